//! Events for watchers (`schedctl dashboard`, the gRPC `Watch` stream): what changed in jobs,
//! executions and workers. Events say what happened; a watcher that falls behind re-reads
//! the state instead of trusting a partial stream.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast;

use crate::execution::ExecutionRecord;
use crate::store::JobChange;
use crate::worker::WorkerInfo;

/// Which stream of a running command some output came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputStream {
    Stdout,
    Stderr,
}

/// Output of a running execution, as it is produced (for `log tail -f`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputChunk {
    pub execution_id: String,
    pub job_name: String,
    pub stream: OutputStream,
    pub data: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Job(JobChange),
    /// A run started; the record has status `Running` and no end time.
    ExecutionStarted(ExecutionRecord),
    /// A run ended and its record is stored.
    ExecutionFinished(ExecutionRecord),
    Worker {
        info: WorkerInfo,
        online: bool,
    },
    /// Events were lost upstream: watchers must re-read what they show.
    Resync,
}

/// The event bus of one process: a broadcast channel, plus the executions running now.
///
/// The running set is updated before each event goes out, so whoever receives an
/// `ExecutionStarted` also finds that execution running when they ask, and nobody has to
/// follow the stream just to know what runs. Receivers that fall behind get `Lagged` from
/// the channel and must re-read state; senders never wait.
#[derive(Debug, Clone)]
pub struct EventHub {
    tx: broadcast::Sender<Event>,
    running: Arc<Mutex<HashMap<String, ExecutionRecord>>>,
}

impl EventHub {
    /// A hub keeping up to `capacity` events for slow receivers.
    pub fn new(capacity: usize) -> EventHub {
        EventHub {
            tx: broadcast::channel(capacity).0,
            running: Arc::default(),
        }
    }

    pub fn send(&self, event: Event) {
        if let Ok(mut running) = self.running.lock() {
            match &event {
                Event::ExecutionStarted(r) => {
                    running.insert(r.execution_id.clone(), r.clone());
                }
                Event::ExecutionFinished(r) => {
                    running.remove(&r.execution_id);
                }
                _ => {}
            }
        }
        // No receiver is not an error: nobody is watching.
        let _ = self.tx.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.tx.subscribe()
    }

    /// The running executions of `job`, oldest first.
    pub fn running_of(&self, job: &str) -> Vec<ExecutionRecord> {
        let Ok(running) = self.running.lock() else {
            return Vec::new();
        };
        let mut runs: Vec<_> = running
            .values()
            .filter(|r| r.job_name == job)
            .cloned()
            .collect();
        runs.sort_by_key(|r| r.start_time_ms);
        runs
    }

    pub fn is_running(&self, execution_id: &str) -> bool {
        self.running
            .lock()
            .is_ok_and(|r| r.contains_key(execution_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str, job: &str, start: i64) -> ExecutionRecord {
        ExecutionRecord {
            execution_id: id.into(),
            job_name: job.into(),
            start_time_ms: start,
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn a_started_execution_is_running_before_anyone_sees_the_event() {
        let hub = EventHub::new(8);
        let mut rx = hub.subscribe();
        hub.send(Event::ExecutionStarted(rec("b", "j", 2)));
        hub.send(Event::ExecutionStarted(rec("a", "j", 1)));
        hub.send(Event::ExecutionStarted(rec("c", "other", 1)));
        assert!(matches!(rx.recv().await, Ok(Event::ExecutionStarted(_))));
        let ids: Vec<_> = hub
            .running_of("j")
            .into_iter()
            .map(|r| r.execution_id)
            .collect();
        assert_eq!(ids, ["a", "b"]);
        hub.send(Event::ExecutionFinished(rec("a", "j", 1)));
        assert!(!hub.is_running("a"));
        assert!(hub.is_running("b"));
    }
}

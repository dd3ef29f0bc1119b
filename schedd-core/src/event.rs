//! Events for watchers (`schedctl dashboard`, the gRPC `Watch` stream): what changed in jobs,
//! executions and workers. Events say what happened; a watcher that falls behind re-reads
//! the state instead of trusting a partial stream.
//!
//! The hub's memory is bounded: it keeps at most its capacity of events for its slowest
//! receiver, and each record an event carries has at most [`STREAM_RECORD_OUTPUT`] of
//! output and of stderr (cut at [`EventHub::send`]), so a hub of 4,096 events holds at most
//! about 2 GiB even when every run prints megabytes and a receiver stalls, and a few MiB in
//! the usual case of small outputs and receivers that keep up. Whoever wants a run's whole
//! output reads the stored record.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast;

use crate::execution::{ExecutionRecord, STREAM_RECORD_OUTPUT};
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
    /// Runs that ended without a record turning up (in a cluster, after a long wait): they
    /// are no longer running, and their end will not be announced.
    RunsGivenUp(Vec<String>),
    /// Events were lost upstream: watchers must re-read what they show.
    Resync,
}

/// The event bus of one process: a broadcast channel, plus the executions running now.
///
/// The running set is updated before each event goes out, so whoever receives an
/// `ExecutionStarted` also finds that execution running when they ask, and nobody has to
/// follow the stream just to know what runs. Receivers that fall behind get `Lagged` from
/// the channel and must re-read state; senders never wait.
///
/// A run may be announced by more than one source (a master learns of a cluster run from
/// etcd, from the worker's live relay and from the ingested record), so each run's start
/// and end go out once: a start of a run already running or recently finished, and an end
/// already announced, are dropped. An end that carries more deliveries of notices than the
/// one announced goes out again: it is the same record, told how its notices went.
#[derive(Debug, Clone)]
pub struct EventHub {
    tx: broadcast::Sender<Event>,
    state: Arc<Mutex<Runs>>,
}

/// How many finished execution ids a hub remembers, to drop repeated announcements.
const RECENTLY_FINISHED: usize = 8192;

#[derive(Debug, Default)]
struct Runs {
    running: HashMap<String, ExecutionRecord>,
    /// Execution ids whose end went out, oldest first, at most [`RECENTLY_FINISHED`].
    finished: VecDeque<String>,
    /// The same ids, with the number of notice deliveries their announced end carried.
    finished_set: HashMap<String, usize>,
}

impl Runs {
    /// Whether `event` is news; updates the running set if so.
    fn admit(&mut self, event: &Event) -> bool {
        match event {
            Event::ExecutionStarted(r) => {
                if self.running.contains_key(&r.execution_id)
                    || self.finished_set.contains_key(&r.execution_id)
                {
                    return false;
                }
                self.running.insert(r.execution_id.clone(), r.clone());
                true
            }
            Event::ExecutionFinished(r) => {
                let notices = r.notifications.len();
                match self.finished_set.get_mut(&r.execution_id) {
                    Some(told) if notices > *told => {
                        *told = notices;
                        return true;
                    }
                    Some(_) => return false,
                    None => {
                        self.finished_set.insert(r.execution_id.clone(), notices);
                    }
                }
                self.finished.push_back(r.execution_id.clone());
                if self.finished.len() > RECENTLY_FINISHED
                    && let Some(old) = self.finished.pop_front()
                {
                    self.finished_set.remove(&old);
                }
                self.running.remove(&r.execution_id);
                true
            }
            _ => true,
        }
    }
}

impl EventHub {
    /// A hub keeping up to `capacity` events for slow receivers.
    pub fn new(capacity: usize) -> EventHub {
        EventHub {
            tx: broadcast::channel(capacity).0,
            state: Arc::default(),
        }
    }

    /// Sends `event` to the receivers, unless it repeats a run's start or end. A record's
    /// output and stderr are cut to [`STREAM_RECORD_OUTPUT`] each (see the module doc).
    pub fn send(&self, mut event: Event) {
        if let Event::ExecutionStarted(r) | Event::ExecutionFinished(r) = &mut event {
            r.cut_output(STREAM_RECORD_OUTPUT);
        }
        // Sent under the lock (sending never waits), so that receivers get a run's start
        // and end in the order the hub admitted them.
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if state.admit(&event) {
            // No receiver is not an error: nobody is watching.
            let _ = self.tx.send(event);
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.tx.subscribe()
    }

    /// The running executions of `job`, oldest first.
    pub fn running_of(&self, job: &str) -> Vec<ExecutionRecord> {
        let Ok(state) = self.state.lock() else {
            return Vec::new();
        };
        let mut runs: Vec<_> = state
            .running
            .values()
            .filter(|r| r.job_name == job)
            .cloned()
            .collect();
        runs.sort_by_key(|r| r.start_time_ms);
        runs
    }

    /// Every running execution, in no particular order.
    pub fn running(&self) -> Vec<ExecutionRecord> {
        self.state
            .lock()
            .map(|s| s.running.values().cloned().collect())
            .unwrap_or_default()
    }

    /// The record of a running execution (status `Running`).
    pub fn running_record(&self, execution_id: &str) -> Option<ExecutionRecord> {
        self.state
            .lock()
            .ok()
            .and_then(|s| s.running.get(execution_id).cloned())
    }

    pub fn is_running(&self, execution_id: &str) -> bool {
        self.state
            .lock()
            .is_ok_and(|s| s.running.contains_key(execution_id))
    }

    /// Stops counting executions as running without a record of their end, and tells the
    /// receivers ([`Event::RunsGivenUp`]): for runs whose record never turned up.
    pub fn give_up(&self, execution_ids: Vec<String>) {
        if execution_ids.is_empty() {
            return;
        }
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for id in &execution_ids {
            state.running.remove(id);
        }
        let _ = self.tx.send(Event::RunsGivenUp(execution_ids));
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

    /// What `rx` holds now, as (kind, execution id).
    fn drain(rx: &mut broadcast::Receiver<Event>) -> Vec<(&'static str, String)> {
        let mut got = Vec::new();
        while let Ok(e) = rx.try_recv() {
            match e {
                Event::ExecutionStarted(r) => got.push(("started", r.execution_id)),
                Event::ExecutionFinished(r) => got.push(("finished", r.execution_id)),
                _ => got.push(("other", String::new())),
            }
        }
        got
    }

    #[test]
    fn a_run_announced_by_several_sources_starts_and_ends_once() {
        let hub = EventHub::new(64);
        let mut rx = hub.subscribe();
        hub.send(Event::ExecutionStarted(rec("a", "j", 1)));
        hub.send(Event::ExecutionStarted(rec("a", "j", 1)));
        hub.send(Event::ExecutionFinished(rec("a", "j", 1)));
        hub.send(Event::ExecutionFinished(rec("a", "j", 1)));
        // A start heard late, after the end, does not bring the run back.
        hub.send(Event::ExecutionStarted(rec("a", "j", 1)));
        // An end without a start (a run this hub never saw start) still goes out, once.
        hub.send(Event::ExecutionFinished(rec("b", "j", 2)));
        hub.send(Event::ExecutionFinished(rec("b", "j", 2)));
        assert_eq!(
            drain(&mut rx),
            [
                ("started", "a".to_owned()),
                ("finished", "a".to_owned()),
                ("finished", "b".to_owned()),
            ]
        );
        assert!(hub.running().is_empty());
        // The same end, told how its notices went, goes out again; an older copy does not.
        let mut told = rec("a", "j", 1);
        told.notifications = vec![crate::notify::Delivery {
            event: "failure".into(),
            ..Default::default()
        }];
        hub.send(Event::ExecutionFinished(told.clone()));
        hub.send(Event::ExecutionFinished(rec("a", "j", 1)));
        hub.send(Event::ExecutionFinished(told));
        assert_eq!(drain(&mut rx), [("finished", "a".to_owned())]);
    }

    #[test]
    fn the_memory_of_finished_runs_is_bounded() {
        let hub = EventHub::new(4);
        for i in 0..RECENTLY_FINISHED + 10 {
            hub.send(Event::ExecutionFinished(rec(&i.to_string(), "j", 0)));
        }
        let s = hub.state.lock().expect("lock");
        assert_eq!(s.finished.len(), RECENTLY_FINISHED);
        assert_eq!(s.finished_set.len(), RECENTLY_FINISHED);
        assert!(!s.finished_set.contains_key("0"));
        assert!(
            s.finished_set
                .contains_key(&(RECENTLY_FINISHED + 9).to_string())
        );
    }

    /// What broke: a finished event carried its record's whole output (up to 32 MiB), so
    /// a hub of thousands of events could hold gigabytes for a slow receiver.
    #[test]
    fn records_on_the_hub_carry_a_bounded_output() {
        let hub = EventHub::new(8);
        let mut rx = hub.subscribe();
        let mut big = rec("big", "j", 1);
        big.output = "o".repeat(4 * STREAM_RECORD_OUTPUT);
        big.stderr = "e".repeat(STREAM_RECORD_OUTPUT + 1);
        hub.send(Event::ExecutionStarted(big.clone()));
        hub.send(Event::ExecutionFinished(big));
        let mut small = rec("small", "j", 1);
        small.output = "fits".into();
        hub.send(Event::ExecutionFinished(small.clone()));
        for _ in 0..2 {
            let Ok(Event::ExecutionStarted(r) | Event::ExecutionFinished(r)) = rx.try_recv() else {
                panic!("a run's event");
            };
            assert!(r.output_truncated);
            assert!(
                r.output.len() < STREAM_RECORD_OUTPUT + 100,
                "{}",
                r.output.len()
            );
            assert!(
                r.stderr.len() < STREAM_RECORD_OUTPUT + 100,
                "{}",
                r.stderr.len()
            );
            assert!(r.output.contains("bytes truncated]"));
        }
        assert!(matches!(rx.try_recv(), Ok(Event::ExecutionFinished(r)) if r == small));
    }

    #[test]
    fn runs_given_up_are_no_longer_running_and_receivers_are_told() {
        let hub = EventHub::new(8);
        hub.send(Event::ExecutionStarted(rec("a", "j", 1)));
        hub.send(Event::ExecutionStarted(rec("b", "j", 2)));
        let mut rx = hub.subscribe();
        assert_eq!(
            hub.running_record("a").map(|r| r.job_name),
            Some("j".into())
        );
        hub.give_up(vec!["a".into()]);
        assert!(!hub.is_running("a"));
        assert!(hub.is_running("b"));
        assert!(matches!(rx.try_recv(), Ok(Event::RunsGivenUp(ids)) if ids == ["a"]));
        hub.give_up(Vec::new());
        assert!(rx.try_recv().is_err(), "nothing to tell");
    }
}

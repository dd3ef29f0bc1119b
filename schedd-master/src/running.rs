//! The executions running now, as seen on the event hub: an execution is added when it
//! starts and removed when its record is stored. `TailLog` uses it to know what to follow.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use schedd_core::{Event, ExecutionRecord};
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

#[derive(Debug, Clone, Default)]
pub struct RunningSet {
    inner: Arc<Mutex<HashMap<String, ExecutionRecord>>>,
}

impl RunningSet {
    /// The running executions of `job`, oldest first.
    pub fn of(&self, job: &str) -> Vec<ExecutionRecord> {
        let Ok(map) = self.inner.lock() else {
            return Vec::new();
        };
        let mut runs: Vec<_> = map
            .values()
            .filter(|r| r.job_name == job)
            .cloned()
            .collect();
        runs.sort_by_key(|r| r.start_time_ms);
        runs
    }

    pub fn contains(&self, execution_id: &str) -> bool {
        self.inner
            .lock()
            .is_ok_and(|m| m.contains_key(execution_id))
    }

    fn apply(&self, event: &Event) {
        let Ok(mut map) = self.inner.lock() else {
            return;
        };
        match event {
            Event::ExecutionStarted(r) => {
                map.insert(r.execution_id.clone(), r.clone());
            }
            Event::ExecutionFinished(r) => {
                map.remove(&r.execution_id);
            }
            _ => {}
        }
    }

    /// Follows the hub until `shutdown`. Subscribed by the caller before anything can run,
    /// so no start is missed.
    pub async fn track(self, mut events: broadcast::Receiver<Event>, shutdown: CancellationToken) {
        loop {
            tokio::select! {
                () = shutdown.cancelled() => return,
                event = events.recv() => match event {
                    Ok(e) => self.apply(&e),
                    // A missed Finished would leave a run listed for ever; a missed Started
                    // only hides one from `TailLog`. Drop what may be stale.
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        if let Ok(mut map) = self.inner.lock() {
                            map.clear();
                        }
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                },
            }
        }
    }
}

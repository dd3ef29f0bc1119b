//! Workers as the master sees them: registered, and online while their heartbeat is fresh.
//! A worker whose registration is gone is shown as offline until its last heartbeat is
//! `workerForgetAfter` old, then no more: hosts that come and go (autoscaled, renamed) do
//! not pile up in every listing.

use std::sync::Arc;
use std::time::Duration;

use schedd_core::store::Coordinator;
use schedd_core::{Clock, WorkerInfo, unix_ms};

use super::error::{Backend, Result, StoreResultExt};

#[derive(Debug, Clone)]
pub struct Workers {
    coordinator: Arc<dyn Coordinator>,
    clock: Arc<dyn Clock>,
    /// How old a heartbeat may be before the worker counts as offline.
    offline_after: Duration,
    /// How old the last heartbeat of a worker no longer registered may be before it is no
    /// longer shown.
    forget_after: Duration,
}

/// A worker as last seen, and whether it counts as online.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerStatus {
    pub info: WorkerInfo,
    pub online: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkerStats {
    pub total: u32,
    pub online: u32,
    pub offline: u32,
    pub running: u32,
    pub capacity: u32,
    pub avg_cpu_usage: f64,
    pub avg_mem_usage: f64,
}

impl Workers {
    pub fn new(
        coordinator: Arc<dyn Coordinator>,
        clock: Arc<dyn Clock>,
        offline_after: Duration,
        forget_after: Duration,
    ) -> Workers {
        Workers {
            coordinator,
            clock,
            offline_after,
            forget_after,
        }
    }

    /// Every worker seen and not yet forgotten, with whether it is online (registered, and
    /// its heartbeat fresh), by id.
    pub async fn list(&self) -> Result<Vec<WorkerStatus>> {
        let now = unix_ms(self.clock.now());
        let grace = millis(self.offline_after);
        let forget = millis(self.forget_after);
        let mut workers: Vec<_> = self
            .coordinator
            .workers()
            .await
            .on(Backend::Coordinator)?
            .into_iter()
            .filter(|w| w.registered || !is_forgotten(&w.info, now, forget))
            .map(|w| WorkerStatus {
                online: w.registered && w.info.is_online(now, grace),
                info: w.info,
            })
            .collect();
        workers.sort_by(|a, b| a.info.worker_id.cmp(&b.info.worker_id));
        Ok(workers)
    }

    /// Totals over online workers (load averages are of online workers only).
    pub async fn stats(&self) -> Result<WorkerStats> {
        let workers = self.list().await?;
        let mut s = WorkerStats {
            total: workers.len() as u32,
            ..Default::default()
        };
        for WorkerStatus { info: w, online } in &workers {
            if *online {
                s.online += 1;
                s.running += w.running;
                s.capacity += w.capacity;
                s.avg_cpu_usage += w.cpu_usage;
                s.avg_mem_usage += w.mem_usage;
            } else {
                s.offline += 1;
            }
        }
        if s.online > 0 {
            // Two decimals, as each worker reports them.
            s.avg_cpu_usage = (s.avg_cpu_usage * 100.0 / f64::from(s.online)).round() / 100.0;
            s.avg_mem_usage = (s.avg_mem_usage * 100.0 / f64::from(s.online)).round() / 100.0;
        }
        Ok(s)
    }
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// Whether a worker no longer registered was last heard of more than `forget_ms` before
/// `now_ms`.
fn is_forgotten(info: &WorkerInfo, now_ms: i64, forget_ms: i64) -> bool {
    now_ms.saturating_sub(info.last_seen) > forget_ms
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_trait::async_trait;
    use schedd_core::store::{StoreError, WorkerCommand, WorkerEntry};

    /// A coordinator that knows a fixed set of workers.
    #[derive(Debug)]
    struct Known(Vec<WorkerEntry>);

    #[async_trait]
    impl Coordinator for Known {
        async fn send(&self, _: WorkerCommand) -> std::result::Result<(), StoreError> {
            Ok(())
        }
        async fn workers(&self) -> std::result::Result<Vec<WorkerEntry>, StoreError> {
            Ok(self.0.clone())
        }
    }

    fn entry(id: &str, last_seen: i64, registered: bool) -> WorkerEntry {
        WorkerEntry {
            info: WorkerInfo {
                worker_id: id.into(),
                last_seen,
                ..Default::default()
            },
            registered,
        }
    }

    #[tokio::test]
    async fn a_worker_gone_longer_than_forget_after_is_no_longer_listed() {
        let hour = 3_600_000;
        let now = 100 * hour;
        let workers = Workers::new(
            Arc::new(Known(vec![
                entry("gone-long-ago", now - 25 * hour, false),
                entry("gone-lately", now - 23 * hour, false),
                // Registered: its registration is what etcd says, whatever its heartbeat.
                entry("stale-but-registered", now - 25 * hour, true),
                entry("well", now, true),
                // A heartbeat from the wire may say anything.
                entry("bogus", i64::MIN, false),
            ])),
            Arc::new(schedd_core::FakeClock::new(
                chrono::DateTime::from_timestamp_millis(now).expect("a valid instant"),
            )),
            Duration::from_secs(9),
            Duration::from_secs(24 * 3600),
        );
        let listed: Vec<(String, bool)> = workers
            .list()
            .await
            .expect("list")
            .into_iter()
            .map(|w| (w.info.worker_id, w.online))
            .collect();
        assert_eq!(
            listed,
            [
                ("gone-lately".to_owned(), false),
                ("stale-but-registered".to_owned(), false),
                ("well".to_owned(), true),
            ]
        );
        assert_eq!(workers.stats().await.expect("stats").total, 3);
    }
}

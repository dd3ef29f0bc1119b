//! Workers as the master sees them: registered, and online while their heartbeat is fresh.

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
    ) -> Workers {
        Workers {
            coordinator,
            clock,
            offline_after,
        }
    }

    /// Every worker seen, with whether it is online (registered, and its heartbeat fresh),
    /// by id.
    pub async fn list(&self) -> Result<Vec<WorkerStatus>> {
        let now = unix_ms(self.clock.now());
        let grace = i64::try_from(self.offline_after.as_millis()).unwrap_or(i64::MAX);
        let mut workers: Vec<_> = self
            .coordinator
            .workers()
            .await
            .on(Backend::Coordinator)?
            .into_iter()
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

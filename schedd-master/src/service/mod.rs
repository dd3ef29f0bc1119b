//! The services: all of the master's logic, called by the gRPC adapter (and the REST
//! bridge). They validate, talk to the stores and the coordinator, and know nothing of wire
//! formats.

mod jobs;
mod logs;
mod workers;

pub use jobs::Jobs;
pub use logs::{Logs, MAX_PAGE_SIZE, MAX_STATS_DAYS};
pub use workers::{WorkerStats, Workers};

/// The master's services, as the adapters get them.
#[derive(Debug, Clone)]
pub struct Services {
    pub jobs: Jobs,
    pub logs: Logs,
    pub workers: Workers,
}

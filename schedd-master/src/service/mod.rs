//! The services: all of the master's behaviour, called alike by the gRPC adapter
//! ([`crate::grpc`]) and the REST bridge ([`crate::rest`]). They validate, talk to the
//! stores, the coordinator and the event hub, and know nothing of wire formats: what they
//! return are domain values and streams of domain items, and their one error type is
//! [`ServiceError`].

mod audit;
mod error;
mod events;
mod jobs;
mod live;
mod logs;
mod outbox;
mod tail;
mod workers;

pub use audit::{Audit, AuditListing, MAX_AUDIT_PAGE_SIZE};
pub use error::{Backend, Result, ServiceError};
pub use events::{Events, WatchFilter, WatchItem, WatchStream};
pub use jobs::{FireTimes, Jobs, MAX_NEXT, Saved, Toggled, as_seen_by};
pub use live::{Followers, Live, RelaySession, Relayed, settle_ended_runs};
pub use logs::{JobStats, LogListing, Logs, MAX_PAGE_SIZE, MAX_STATS_DAYS};
pub use outbox::{
    DEFAULT_STREAM_BYTES, DEFAULT_STREAM_ITEMS, FellBehind, Outboxes, STREAM_RECORD_OUTPUT,
    StreamLimits, StreamMetrics,
};
pub use tail::{TailItem, TailStream};
pub use workers::{WorkerStats, WorkerStatus, Workers};

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use schedd_core::Clock;
use schedd_core::store::{AuditLog, Coordinator, JobStore, LogStore};

/// What `GetInfo` and `GET /api/v1/info` report.
#[derive(Debug, Clone)]
pub struct Info {
    pub version: &'static str,
    /// `embedded` or `cluster`.
    pub mode: &'static str,
    pub default_timezone: String,
    pub started_at: DateTime<Utc>,
}

/// The master's services, as the adapters get them: adapters hold nothing else.
#[derive(Debug, Clone)]
pub struct Services {
    pub jobs: Jobs,
    pub logs: Logs,
    pub workers: Workers,
    pub events: Events,
    pub audit: Audit,
    pub info: Info,
    /// Runs going on: the event hub, live output, followers and relayed runs.
    pub live: Live,
    /// `/metrics`, `/healthz` and `/readyz`.
    pub health: crate::metrics::Health,
}

/// What the services stand on.
#[derive(Debug, Clone)]
pub struct Backends {
    pub jobs: Arc<dyn JobStore>,
    pub logs: Arc<dyn LogStore>,
    /// The audit trail: the log store's backend.
    pub audit: Arc<dyn AuditLog>,
    pub coordinator: Arc<dyn Coordinator>,
    pub clock: Arc<dyn Clock>,
}

impl Services {
    /// The services over `backends`; a worker counts as offline once its heartbeat is
    /// `offline_after` old, and is no longer shown once it is `forget_after` old and its
    /// registration is gone. `/metrics` shows `registry`.
    pub fn new(
        backends: Backends,
        default_tz: Tz,
        (offline_after, forget_after): (Duration, Duration),
        live: Live,
        info: Info,
        registry: prometheus_client::registry::Registry,
    ) -> Services {
        let Backends {
            jobs,
            logs,
            audit,
            coordinator,
            clock,
        } = backends;
        let audit = Audit::new(audit, Arc::clone(&clock));
        let health = crate::metrics::Health::new(registry, Arc::clone(&jobs), Arc::clone(&logs));
        Services {
            jobs: Jobs::new(
                Arc::clone(&jobs),
                Arc::clone(&coordinator),
                Arc::clone(&clock),
                default_tz,
                audit.clone(),
            ),
            logs: Logs::new(logs, jobs, Arc::clone(&clock), live.clone()),
            workers: Workers::new(coordinator, clock, offline_after, forget_after),
            events: Events::new(live.clone()),
            audit,
            info,
            live,
            health,
        }
    }

    /// A worker's relay stream; see [`RelaySession`].
    pub fn relay(&self) -> RelaySession {
        self.live.relay_session()
    }
}

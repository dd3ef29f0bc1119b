//! The schedd master: stores jobs, serves the API, and watches worker health. The logic is
//! in [`service`]; [`grpc`] adapts it to the wire and [`server`] puts it on a listener.
//! [`embedded`] wires master and worker into one process for `--dev`.

pub mod cli;
pub mod cluster;
pub mod embedded;
pub mod error;
pub mod grpc;
pub mod live;
pub mod server;
pub mod service;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use schedd_core::store::JobStore;
use schedd_core::{Event, EventHub, OutputChunk};
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

/// Everything the adapters need.
#[derive(Debug, Clone)]
pub struct Master {
    pub services: service::Services,
    /// The hub `Watch` streams read from.
    pub events: EventHub,
    /// Live output of running executions, for `TailLog`.
    pub output: broadcast::Sender<OutputChunk>,
    /// In a cluster: the jobs clients follow (published for the workers to relay), and the
    /// runs being relayed.
    pub live: Option<live::Live>,
    pub info: Info,
    /// Cancelled when the master stops; ends the streams that would otherwise hold the
    /// server's graceful shutdown open forever.
    pub shutdown: CancellationToken,
}

/// What `GetInfo` reports.
#[derive(Debug, Clone)]
pub struct Info {
    pub version: &'static str,
    /// `embedded` or `cluster`.
    pub mode: &'static str,
    pub default_timezone: String,
    pub started_at: DateTime<Utc>,
}

/// How often retention is applied to the log store.
pub const PRUNE_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// Applies `retention` to the log store at start and then every [`PRUNE_EVERY`] until
/// `shutdown`. A failed pass is logged and tried again at the next one.
pub async fn prune_logs(
    logs: Arc<dyn schedd_core::store::LogStore>,
    retention: schedd_core::store::Retention,
    shutdown: CancellationToken,
) {
    if retention.is_unlimited() {
        return;
    }
    let mut tick = tokio::time::interval(PRUNE_EVERY);
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return,
            _ = tick.tick() => {}
        }
        match logs.prune(&retention, Utc::now()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deleted = n, ?retention, "old execution records deleted"),
            Err(e) => tracing::warn!(error = %e, "applying the log retention failed"),
        }
    }
}

/// Republishes the job store's changes on the event hub until `shutdown`.
pub async fn forward_job_changes(
    jobs: Arc<dyn JobStore>,
    events: EventHub,
    shutdown: CancellationToken,
) {
    let mut changes = jobs.watch();
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return,
            change = changes.recv() => match change {
                Ok(c) => { events.send(Event::Job(c)); }
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    changes = changes.resubscribe();
                    events.send(Event::Resync);
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
        }
    }
}

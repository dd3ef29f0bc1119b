//! The schedd master: stores jobs, serves the API, and watches worker health. The behaviour
//! is in [`service`]; [`grpc`] and [`rest`] adapt it to their wires, side by side, and
//! [`server`] puts both, with the web UI and [`metrics`], on one listener. [`embedded`] wires master and
//! worker into one process for `--dev`; [`cluster`] runs a master over etcd.

pub mod auth;
pub mod cli;
pub mod cluster;
pub mod embedded;
pub mod grpc;
pub mod metrics;
pub mod rest;
pub mod server;
pub mod service;
pub mod tls;
pub mod token_trail;

use std::sync::Arc;

use chrono::Utc;
use schedd_core::store::JobStore;
use schedd_core::{Event, EventHub};
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

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

/// Deletes audit entries older than `days` at start and then every [`PRUNE_EVERY`] until
/// `shutdown`. A failed pass is logged and tried again at the next one.
pub async fn prune_audit(audit: service::Audit, days: u32, shutdown: CancellationToken) {
    let mut tick = tokio::time::interval(PRUNE_EVERY);
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return,
            _ = tick.tick() => {}
        }
        match audit.prune(days).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(deleted = n, days, "old audit entries deleted"),
            Err(e) => tracing::warn!(error = %e, "applying the audit retention failed"),
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

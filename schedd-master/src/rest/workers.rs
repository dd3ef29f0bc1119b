//! `/api/v1/worker/…`: workers in the old system's shape (`ip` is the worker's id, load as
//! fractions), with schedd's fields beside.

use std::collections::BTreeMap;

use axum::extract::State;
use serde::Serialize;

use super::{ApiResult, Data, Envelope};
use crate::service::{Services, WorkerStatus};

/// A worker.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkerJson {
    /// The worker's id, as the old system named it.
    pub ip: String,
    pub hostname: String,
    /// Share of all cores in use on the host, 0-1.
    pub cpu_usage: f64,
    /// Share of the host's memory in use, 0-1.
    pub mem_usage: f64,
    /// Unix milliseconds of the last heartbeat.
    pub last_seen: i64,
    /// `online` or `offline`.
    pub status: String,
    pub worker_id: String,
    /// The host's address.
    pub worker_ip: String,
    pub labels: BTreeMap<String, String>,
    pub version: String,
    /// Executions running now.
    pub running: u32,
    /// How many may run at once.
    pub capacity: u32,
    pub address: String,
}

/// A percentage (0-100, two decimals) as a fraction with four.
fn fraction(percent: f64) -> f64 {
    (percent * 100.0).round() / 10_000.0
}

impl From<WorkerStatus> for WorkerJson {
    fn from(w: WorkerStatus) -> WorkerJson {
        let i = w.info;
        WorkerJson {
            ip: i.worker_id.clone(),
            hostname: i.hostname,
            cpu_usage: fraction(i.cpu_usage),
            mem_usage: fraction(i.mem_usage),
            last_seen: i.last_seen,
            status: if w.online { "online" } else { "offline" }.into(),
            worker_id: i.worker_id,
            worker_ip: i.ip,
            labels: i.labels,
            version: i.version,
            running: i.running,
            capacity: i.capacity,
            address: i.address,
        }
    }
}

/// Every worker seen, by id.
#[utoipa::path(operation_id = "listWorkers", get, path = "/worker/list", tag = "workers",
    responses((status = 200, description = "Workers", body = Envelope<Vec<WorkerJson>>)))]
pub async fn list(State(s): State<Services>) -> ApiResult<Vec<WorkerJson>> {
    let workers = s.workers.list().await?;
    Ok(Data(workers.into_iter().map(WorkerJson::from).collect()))
}

/// Totals over online workers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkerStatsJson {
    pub total: u32,
    pub online: u32,
    pub offline: u32,
    pub running: u32,
    pub capacity: u32,
    /// 0-1.
    pub avg_cpu_usage: f64,
    /// 0-1.
    pub avg_mem_usage: f64,
}

/// Totals over online workers (load averages are of online workers only).
#[utoipa::path(operation_id = "getWorkerStats", get, path = "/worker/stats", tag = "workers",
    responses((status = 200, description = "Totals", body = Envelope<WorkerStatsJson>)))]
pub async fn stats(State(s): State<Services>) -> ApiResult<WorkerStatsJson> {
    let t = s.workers.stats().await?;
    Ok(Data(WorkerStatsJson {
        total: t.total,
        online: t.online,
        offline: t.offline,
        running: t.running,
        capacity: t.capacity,
        avg_cpu_usage: fraction(t.avg_cpu_usage),
        avg_mem_usage: fraction(t.avg_mem_usage),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_is_a_fraction_with_four_decimals() {
        assert_eq!(fraction(1.34), 0.0134);
        assert_eq!(fraction(100.0), 1.0);
        assert_eq!(fraction(0.0), 0.0);
        assert_eq!(fraction(33.33), 0.3333);
    }
}

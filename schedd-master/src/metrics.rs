//! The master's operational endpoints, public (Prometheus scrapes and load balancers probe
//! without a token; see [`crate::auth`]):
//!
//! - `GET /metrics`: the OpenMetrics text of the master's registry. The master counts what
//!   it learns on its event hub ([`MasterMetrics`]): executions finished anywhere in the
//!   cluster, by status, and the runs going on now; what waits for stream clients, and the
//!   clients cut off for falling behind ([`register_streams`]); in cluster mode also its etcd requests
//!   and watch restarts ([`schedd_worker::metrics::EtcdMetrics`]). In embedded mode the
//!   worker's metrics ([`schedd_worker::metrics::WorkerMetrics`]) are in the same registry.
//! - `GET /healthz`: 200 while the process serves; says nothing of its stores.
//! - `GET /readyz`: 200 when the job store and the log store both answer a point read within
//!   [`PROBE_TIMEOUT`], else 503 with a JSON body naming what failed. A load balancer sends
//!   traffic to a ready master only.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::registry::{Registry, Unit};
use schedd_core::store::{JobStore, LogStore};
use schedd_core::{Event, EventHub, ExecutionStatus, JobName};
use serde::Serialize;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

use crate::service::StreamMetrics;

/// How long each store may take to answer a readiness probe.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// The statuses an execution ends with, in the order of [`MasterMetrics`]' counters.
const FINAL_STATUSES: [ExecutionStatus; 6] = [
    ExecutionStatus::Success,
    ExecutionStatus::Failed,
    ExecutionStatus::Timeout,
    ExecutionStatus::Killed,
    ExecutionStatus::Skipped,
    ExecutionStatus::Lost,
];

/// What the master counts from its event hub.
#[derive(Debug)]
pub struct MasterMetrics {
    executions: [Counter; FINAL_STATUSES.len()],
}

impl MasterMetrics {
    /// Registers the master's metrics for `events` in `registry`, and starts counting the
    /// executions that finish from now until `shutdown`.
    pub fn start(
        registry: &mut Registry,
        events: &EventHub,
        shutdown: CancellationToken,
    ) -> tokio::task::JoinHandle<()> {
        let family = Family::<[(&'static str, &'static str); 1], Counter>::default();
        let executions =
            FINAL_STATUSES.map(|s| family.get_or_create_owned(&[("status", s.as_str())]));
        registry.register(
            "schedd_master_executions",
            "Executions whose end this master learned of (from any worker), by status",
            family,
        );
        registry.register_collector(Box::new(RunningCollector(events.clone())));
        let metrics = MasterMetrics { executions };
        // Subscribed before this returns, so no end announced afterwards is missed.
        let rx = events.subscribe();
        tokio::spawn(metrics.count(rx, shutdown))
    }

    async fn count(self, mut rx: broadcast::Receiver<Event>, shutdown: CancellationToken) {
        loop {
            let event = tokio::select! {
                () = shutdown.cancelled() => return,
                event = rx.recv() => event,
            };
            match event {
                Ok(Event::ExecutionFinished(record)) => self.finished(record.status),
                Ok(_) => {}
                // Counting is a few atomic adds per event, so this takes 4,096 events
                // announced faster than that: the missed ones stay uncounted.
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::warn!(
                        missed = n,
                        "counting executions fell behind the event hub; some are not counted"
                    );
                }
                Err(broadcast::error::RecvError::Closed) => return,
            }
        }
    }

    fn finished(&self, status: ExecutionStatus) {
        if let Some(i) = FINAL_STATUSES.iter().position(|s| *s == status) {
            self.executions[i].inc();
        }
    }
}

/// Registers the metrics of the stream clients' outboxes (see [`crate::service::Outboxes`]).
pub fn register_streams(registry: &mut Registry, metrics: &StreamMetrics) {
    registry.register_with_unit(
        "schedd_master_stream_buffered",
        "Bytes waiting to be sent to the clients of event streams and log tails (an estimate of their size in memory); each client may have up to its bound waiting",
        Unit::Bytes,
        metrics.buffered_bytes.clone(),
    );
    registry.register(
        "schedd_master_stream_clients_cut_off",
        "Clients of event streams and log tails whose stream was ended because they fell behind (more than their bound waited to be sent)",
        metrics.cut_off.clone(),
    );
}

/// `schedd_master_running_executions`, read from the event hub at each scrape.
#[derive(Debug)]
struct RunningCollector(EventHub);

impl Collector for RunningCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let running = i64::try_from(self.0.running().len()).unwrap_or(i64::MAX);
        let gauge = ConstGauge::new(running);
        gauge.encode(encoder.encode_descriptor(
            "schedd_master_running_executions",
            "Executions this master knows to be running now (on any worker).",
            None,
            gauge.metric_type(),
        )?)
    }
}

/// What the endpoints read: the registry, and the stores readiness asks.
#[derive(Debug, Clone)]
pub struct Health {
    registry: Arc<Registry>,
    jobs: Arc<dyn JobStore>,
    logs: Arc<dyn LogStore>,
}

impl Health {
    pub fn new(registry: Registry, jobs: Arc<dyn JobStore>, logs: Arc<dyn LogStore>) -> Health {
        Health {
            registry: Arc::new(registry),
            jobs,
            logs,
        }
    }

    /// Asks both stores for one thing each (a job and a record that do not exist: a point
    /// read on an index), at once, each within [`PROBE_TIMEOUT`].
    pub async fn readiness(&self) -> Readiness {
        let name = JobName::new("readyz-probe").expect("a valid job name");
        let ids = ["readyz-probe".to_owned()];
        let (jobs, logs) = tokio::join!(
            probe(PROBE_TIMEOUT, async {
                self.jobs.get(&name).await.map(drop)
            }),
            probe(PROBE_TIMEOUT, async {
                self.logs.find(&ids).await.map(drop)
            }),
        );
        Readiness { jobs, logs }
    }
}

/// Whether a store answered, and if not, why.
pub async fn probe<E: std::fmt::Display>(
    timeout: Duration,
    call: impl Future<Output = Result<(), E>>,
) -> Result<(), String> {
    match tokio::time::timeout(timeout, call).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("no answer within {timeout:?}")),
    }
}

/// The outcome of a readiness check, per store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readiness {
    pub jobs: Result<(), String>,
    pub logs: Result<(), String>,
}

/// The body of `/readyz`: `{"ready": false, "checks": {"jobStore": "ok", "logStore": "..."}}`.
#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ReadinessJson {
    pub ready: bool,
    pub checks: Checks,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Checks {
    /// `ok`, or why the job store did not answer.
    pub job_store: String,
    /// `ok`, or why the log store did not answer.
    pub log_store: String,
}

impl Readiness {
    pub fn is_ready(&self) -> bool {
        self.jobs.is_ok() && self.logs.is_ok()
    }

    /// The status and body `/readyz` answers with.
    pub fn answer(&self) -> (StatusCode, ReadinessJson) {
        let text = |r: &Result<(), String>| match r {
            Ok(()) => "ok".to_owned(),
            Err(e) => e.clone(),
        };
        let status = if self.is_ready() {
            StatusCode::OK
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        };
        (
            status,
            ReadinessJson {
                ready: self.is_ready(),
                checks: Checks {
                    job_store: text(&self.jobs),
                    log_store: text(&self.logs),
                },
            },
        )
    }
}

/// `/metrics`, `/healthz` and `/readyz`, for [`crate::rest::router`].
pub fn router(health: Health) -> Router {
    Router::new()
        .route("/metrics", get(metrics))
        .route("/healthz", get(schedd_worker::metrics::healthz))
        .route("/readyz", get(readyz))
        .with_state(health)
}

async fn metrics(State(health): State<Health>) -> Response {
    schedd_worker::metrics::scrape(&health.registry)
}

async fn readyz(State(health): State<Health>) -> Response {
    let readiness = health.readiness().await;
    if !readiness.is_ready() {
        tracing::warn!(?readiness, "not ready: a store does not answer");
    }
    let (status, body) = readiness.answer();
    match serde_json::to_vec(&body) {
        Ok(bytes) => (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(_) => status.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_probe_tells_an_answer_from_an_error_and_from_silence() {
        let t = Duration::from_millis(50);
        assert_eq!(probe(t, async { Ok::<(), String>(()) }).await, Ok(()));
        assert_eq!(
            probe(t, async { Err::<(), _>("etcd at a:1: connection refused") }).await,
            Err("etcd at a:1: connection refused".to_owned())
        );
        assert_eq!(
            probe(t, std::future::pending::<Result<(), String>>()).await,
            Err("no answer within 50ms".to_owned())
        );
    }

    #[test]
    fn readiness_is_503_naming_the_store_that_failed() {
        let ready = Readiness {
            jobs: Ok(()),
            logs: Ok(()),
        };
        let (status, body) = ready.answer();
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            serde_json::to_value(&body).expect("json"),
            serde_json::json!({"ready": true, "checks": {"jobStore": "ok", "logStore": "ok"}})
        );
        let unready = Readiness {
            jobs: Ok(()),
            logs: Err("no answer within 2s".into()),
        };
        let (status, body) = unready.answer();
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            serde_json::to_value(&body).expect("json"),
            serde_json::json!({"ready": false, "checks": {"jobStore": "ok", "logStore": "no answer within 2s"}})
        );
    }

    /// A real store that stops answering (its table of records dropped behind its back, so
    /// every read of records fails) makes the master unready, naming that store only.
    #[tokio::test]
    async fn a_store_that_fails_makes_the_master_unready() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("schedd.db");
        let store = schedd_store::SqliteStore::open(&path).expect("open");
        let health = Health::new(
            Registry::default(),
            Arc::new(store.clone()),
            Arc::new(store),
        );
        assert_eq!(
            health.readiness().await,
            Readiness {
                jobs: Ok(()),
                logs: Ok(())
            }
        );
        rusqlite::Connection::open(&path)
            .expect("open the file")
            .execute_batch("DROP TABLE executions")
            .expect("drop");
        let readiness = health.readiness().await;
        assert_eq!(readiness.jobs, Ok(()));
        let error = readiness.logs.clone().expect_err("the log store fails");
        assert!(error.contains("executions"), "{error}");
        assert_eq!(readiness.answer().0, StatusCode::SERVICE_UNAVAILABLE);
    }

    #[tokio::test]
    async fn executions_are_counted_by_status_and_running_ones_read_at_the_scrape() {
        let hub = EventHub::new(64);
        let mut registry = Registry::default();
        let stop = CancellationToken::new();
        let counting = MasterMetrics::start(&mut registry, &hub, stop.clone());
        let record = |id: &str, status| schedd_core::ExecutionRecord {
            execution_id: id.into(),
            job_name: "j".into(),
            status,
            ..Default::default()
        };
        hub.send(Event::ExecutionStarted(record(
            "a",
            ExecutionStatus::Running,
        )));
        hub.send(Event::ExecutionStarted(record(
            "b",
            ExecutionStatus::Running,
        )));
        hub.send(Event::ExecutionFinished(record(
            "a",
            ExecutionStatus::Success,
        )));
        hub.send(Event::ExecutionFinished(record("c", ExecutionStatus::Lost)));
        let text = |registry: &Registry| {
            let mut body = String::new();
            prometheus_client::encoding::text::encode(&mut body, registry).expect("encode");
            body
        };
        let body = testkit::eventually_async("both ends counted", Duration::from_secs(30), || {
            let body = text(&registry);
            async move {
                (body.contains("schedd_master_executions_total{status=\"success\"} 1")
                    && body.contains("schedd_master_executions_total{status=\"lost\"} 1"))
                .then_some(body)
            }
        })
        .await;
        assert!(
            body.contains("schedd_master_running_executions 1"),
            "{body}"
        );
        assert!(
            body.contains("schedd_master_executions_total{status=\"failed\"} 0"),
            "{body}"
        );
        stop.cancel();
        counting.await.expect("counting stops");
    }
}

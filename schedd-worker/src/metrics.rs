//! The worker's Prometheus metrics: what it fires, runs, claims, skips and spools, and how
//! its etcd requests go. Exposed in the OpenMetrics text format on `/metrics` of the
//! worker's own listener (`--metrics-listen`, see [`serve`]), or, in embedded mode, on the
//! master's `/metrics` (the master registers these in its own registry).
//!
//! The handles are created once ([`WorkerMetrics::register`]) and passed down as an
//! `Option<Arc<WorkerMetrics>>`: no metrics, no cost. On the paths a tick takes, recording
//! is an atomic add: the counters of each label value are made up front, so no map is
//! looked up per run. Gauges that describe a state (how much is spooled, and since when) are
//! read when scraped instead of kept up to date on every change ([`SpoolCollector`]).
//!
//! Every name starts with `schedd_`; the README lists them all, with their meaning.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::{ConstGauge, Gauge};
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::metrics::info::Info;
use prometheus_client::registry::{Registry, Unit};
use schedd_core::ExecutionStatus;
use schedd_store::etcd::{EtcdObserver, REQUEST_KINDS, WatchRestart};
use tokio::net::TcpListener;
use tonic::service::Routes;
use tonic::transport::server::TcpIncoming;

use crate::spool::SpoolLevel;

/// The content type of the OpenMetrics text format, which Prometheus asks for and reads.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// One label: `[("status", "success")]`.
type Label = [(&'static str, &'static str); 1];

/// Fire lag buckets: 1 ms doubling to about 65 s. A healthy worker starts a run within a
/// few ms of its tick; the upper buckets tell a stall (seconds) from a slow spawn.
fn lag_buckets() -> impl Iterator<Item = f64> {
    exponential_buckets(0.001, 2.0, 17)
}

/// etcd request buckets: 0.5 ms doubling to about 4 s (a loopback claim takes about 1 ms).
fn etcd_buckets() -> Histogram {
    Histogram::new(exponential_buckets(0.0005, 2.0, 14))
}

/// Registers `schedd_build_info{version="..."} 1`. Once per registry: the master and the
/// worker of embedded mode share one, and the master registers it.
pub fn register_build_info(registry: &mut Registry) {
    registry.register(
        "schedd_build",
        "The schedd version this process runs (always 1)",
        Info::new([("version", env!("CARGO_PKG_VERSION"))]),
    );
}

/// The statuses a run of this worker ends with, in the order of
/// [`WorkerMetrics::executions`].
const RUN_OUTCOMES: [ExecutionStatus; 4] = [
    ExecutionStatus::Success,
    ExecutionStatus::Failed,
    ExecutionStatus::Timeout,
    ExecutionStatus::Killed,
];

/// How a claim of a tick in etcd ended, for `schedd_claims_total{outcome}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimResult {
    /// This worker claimed the tick at its turn as the tick's owner, and runs it.
    Won,
    /// This worker claimed the tick after the owner's turn had passed (the owner is dead,
    /// saturated or slow), and runs it.
    TakenOver,
    /// Another worker had claimed the tick first.
    Lost,
    /// This worker claimed the tick and recorded it as skipped: the job still runs
    /// elsewhere (`overlap: forbid`), or the tick came too late to run.
    Skipped,
}

impl ClaimResult {
    const ALL: [ClaimResult; 4] = [
        ClaimResult::Won,
        ClaimResult::TakenOver,
        ClaimResult::Lost,
        ClaimResult::Skipped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClaimResult::Won => "won",
            ClaimResult::TakenOver => "taken_over",
            ClaimResult::Lost => "lost",
            ClaimResult::Skipped => "skipped",
        }
    }
}

/// The worker's metric handles.
#[derive(Debug)]
pub struct WorkerMetrics {
    fire_lag: Histogram,
    /// By [`RUN_OUTCOMES`].
    executions: [Counter; RUN_OUTCOMES.len()],
    running: Gauge,
    waiting: Gauge,
    /// By [`ClaimResult::ALL`].
    claims: [Counter; ClaimResult::ALL.len()],
    ticks_skipped: Counter,
    ticks_lost: Counter,
    fenced: Counter,
    spool: Arc<SpoolCollector>,
    record_queue_bytes: Gauge,
    relay_queued_bytes: Gauge,
    relay_dropped: Counter,
}

impl WorkerMetrics {
    /// Creates the worker's metrics and registers them in `registry` (not the build info:
    /// see [`register_build_info`]).
    pub fn register(registry: &mut Registry) -> Arc<WorkerMetrics> {
        let fire_lag = Histogram::new(lag_buckets());
        registry.register_with_unit(
            "schedd_fire_lag",
            "Time from a tick's scheduled instant to the start of its process, for scheduled runs (first attempts)",
            Unit::Seconds,
            fire_lag.clone(),
        );
        let executions_family = Family::<Label, Counter>::default();
        let executions =
            RUN_OUTCOMES.map(|s| executions_family.get_or_create_owned(&[("status", s.as_str())]));
        registry.register(
            "schedd_executions",
            "Runs this worker finished, by status (success, failed, timeout, killed)",
            executions_family,
        );
        let running = Gauge::default();
        registry.register(
            "schedd_running_executions",
            "Runs holding an executor slot (executorThreads) now",
            running.clone(),
        );
        let waiting = Gauge::default();
        registry.register(
            "schedd_runs_waiting_for_slot",
            "Runs waiting for a free executor slot now",
            waiting.clone(),
        );
        let claims_family = Family::<Label, Counter>::default();
        let claims =
            ClaimResult::ALL.map(|o| claims_family.get_or_create_owned(&[("outcome", o.as_str())]));
        registry.register(
            "schedd_claims",
            "Claims of ticks in etcd, by outcome: won (as the tick's owner), taken_over (after the owner's turn), lost (another worker had it), skipped (claimed and recorded as skipped)",
            claims_family,
        );
        let ticks_skipped = Counter::default();
        registry.register(
            "schedd_ticks_skipped",
            "Ticks recorded as skipped: the previous run was still going (overlap: forbid), or the tick was too late and outside the job's catch-up window",
            ticks_skipped.clone(),
        );
        let ticks_lost = Counter::default();
        registry.register(
            "schedd_ticks_lost",
            "Ticks that neither ran nor got a record here: due too long ago when the scheduler reached them, or their claim could not reach etcd for too long",
            ticks_lost.clone(),
        );
        let fenced = Counter::default();
        registry.register(
            "schedd_fenced",
            "Times this worker fenced itself: its etcd lease could no longer be trusted (keep-alives failing, or the process paused), so it stopped claiming and killed runs holding a job exclusively",
            fenced.clone(),
        );
        let spool = Arc::new(SpoolCollector::default());
        registry.register_collector(Box::new(Arc::clone(&spool)));
        let record_queue_bytes = Gauge::default();
        registry.register_with_unit(
            "schedd_record_queue",
            "Execution records finished and not yet in the spool (queued, reserved by a finished run, or being written), estimated in memory; at most 64 MiB, beyond which runs wait",
            Unit::Bytes,
            record_queue_bytes.clone(),
        );
        let relay_queued_bytes = Gauge::default();
        registry.register_with_unit(
            "schedd_relay_queued",
            "Live output and run starts and ends waiting to be relayed to the masters following them, estimated in memory; at most 8 MiB per master",
            Unit::Bytes,
            relay_queued_bytes.clone(),
        );
        let relay_dropped = Counter::default();
        registry.register(
            "schedd_relay_dropped",
            "Items of live output (and run starts and ends) not relayed to a master that did not keep up: its queue was full, or its connection failed with them waiting",
            relay_dropped.clone(),
        );
        Arc::new(WorkerMetrics {
            fire_lag,
            executions,
            running,
            waiting,
            claims,
            ticks_skipped,
            ticks_lost,
            fenced,
            spool,
            record_queue_bytes,
            relay_queued_bytes,
            relay_dropped,
        })
    }

    /// A scheduled run's process started `lag` after its tick.
    pub fn fire_lag(&self, lag: Duration) {
        self.fire_lag.observe(lag.as_secs_f64());
    }

    /// A run ended with `status`; statuses that are not a run's own end are not counted.
    pub fn execution_finished(&self, status: ExecutionStatus) {
        if let Some(i) = RUN_OUTCOMES.iter().position(|s| *s == status) {
            self.executions[i].inc();
        }
    }

    /// Counts a run as holding an executor slot until the guard drops.
    pub fn running(&self) -> GaugeGuard {
        GaugeGuard::new(&self.running)
    }

    /// Counts a run as waiting for an executor slot until the guard drops.
    pub fn waiting(&self) -> GaugeGuard {
        GaugeGuard::new(&self.waiting)
    }

    pub fn claim(&self, result: ClaimResult) {
        if let Some(i) = ClaimResult::ALL.iter().position(|r| *r == result) {
            self.claims[i].inc();
        }
    }

    /// `n` ticks were recorded as skipped (one record may stand for many missed ticks).
    pub fn ticks_skipped(&self, n: u64) {
        self.ticks_skipped.inc_by(n);
    }

    pub fn tick_lost(&self) {
        self.ticks_lost.inc();
    }

    pub fn fenced(&self) {
        self.fenced.inc();
    }

    /// The gauge of the bytes in the queue of finished records, for the queue to keep
    /// ([`crate::record_queue::channel`]).
    pub fn record_queue_bytes(&self) -> Gauge {
        self.record_queue_bytes.clone()
    }

    /// The relay's gauge and counter, for the relay to keep.
    pub fn relay_metrics(&self) -> crate::relay::RelayMetrics {
        crate::relay::RelayMetrics {
            queued_bytes: self.relay_queued_bytes.clone(),
            dropped: self.relay_dropped.clone(),
        }
    }

    /// Reports this spool's level from now on.
    pub fn watch_spool(&self, level: SpoolLevel) {
        self.spool.set(level);
    }
}

/// Raises a gauge by one while it lives.
#[derive(Debug)]
pub struct GaugeGuard(Gauge);

impl GaugeGuard {
    fn new(gauge: &Gauge) -> GaugeGuard {
        gauge.inc();
        GaugeGuard(gauge.clone())
    }
}

impl Drop for GaugeGuard {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// Reads the spool's level at each scrape: `schedd_spool_records` and
/// `schedd_spool_oldest_record_age_seconds` (0 when the spool is empty).
#[derive(Debug, Default)]
pub struct SpoolCollector {
    level: Mutex<Option<SpoolLevel>>,
}

impl SpoolCollector {
    fn set(&self, level: SpoolLevel) {
        *self
            .level
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(level);
    }
}

impl Collector for SpoolCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let level = self
            .level
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        let records = level.as_ref().map_or(0, SpoolLevel::records);
        let age = level
            .as_ref()
            .and_then(SpoolLevel::oldest_queued_at_ms)
            .map_or(0.0, |queued| {
                let now = chrono::Utc::now().timestamp_millis();
                Duration::from_millis(now.saturating_sub(queued).max(0).unsigned_abs())
                    .as_secs_f64()
            });
        let gauge = ConstGauge::new(i64::try_from(records).unwrap_or(i64::MAX));
        gauge.encode(encoder.encode_descriptor(
            "schedd_spool_records",
            "Execution records in the local spool, waiting for the log store to take them.",
            None,
            gauge.metric_type(),
        )?)?;
        let gauge = ConstGauge::new(age);
        gauge.encode(encoder.encode_descriptor(
            "schedd_spool_oldest_record_age",
            "How long the oldest record in the spool has waited (0 when the spool is empty).",
            Some(&Unit::Seconds),
            gauge.metric_type(),
        )?)?;
        Ok(())
    }
}

/// How a process's etcd requests go, by kind of request (`op`): their latency, their errors,
/// and the watches that had to be made again. Given to the connection as its observer
/// ([`schedd_store::etcd::Etcd::with_observer`]).
#[derive(Debug)]
pub struct EtcdMetrics {
    latency: Family<Label, Histogram, fn() -> Histogram>,
    errors: Family<Label, Counter>,
    watch_restarts: [Counter; 2],
}

impl EtcdMetrics {
    pub fn register(registry: &mut Registry) -> Arc<EtcdMetrics> {
        let latency: Family<Label, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(etcd_buckets);
        registry.register_with_unit(
            "schedd_etcd_request_duration",
            "etcd requests by kind (op: claim, release, take_run_now, register, heartbeat, get, list, put, delete), failed ones included",
            Unit::Seconds,
            latency.clone(),
        );
        let errors = Family::<Label, Counter>::default();
        // At 0 from the start, so that a rate of errors is 0 rather than absent; the latency
        // of a kind appears with its first request.
        for op in REQUEST_KINDS {
            drop(errors.get_or_create(&[("op", *op)]));
        }
        registry.register(
            "schedd_etcd_request_errors",
            "etcd requests that failed, by kind (op)",
            errors.clone(),
        );
        let restarts = Family::<Label, Counter>::default();
        let watch_restarts = [WatchRestart::Interrupted, WatchRestart::Compacted]
            .map(|w| restarts.get_or_create_owned(&[("reason", w.as_str())]));
        registry.register(
            "schedd_watch_restarts",
            "etcd watches made again: interrupted (a broken connection or a cancelled watch, once per outage) or compacted (the history was gone, the range was read again)",
            restarts,
        );
        Arc::new(EtcdMetrics {
            latency,
            errors,
            watch_restarts,
        })
    }
}

impl EtcdObserver for EtcdMetrics {
    fn request(&self, op: &'static str, took: Duration, ok: bool) {
        // A map look-up per request: etcd requests take a millisecond or more, and there are
        // two per run.
        self.latency
            .get_or_create(&[("op", op)])
            .observe(took.as_secs_f64());
        if !ok {
            self.errors.get_or_create(&[("op", op)]).inc();
        }
    }

    fn watch_restarted(&self, why: WatchRestart) {
        let i = match why {
            WatchRestart::Interrupted => 0,
            WatchRestart::Compacted => 1,
        };
        self.watch_restarts[i].inc();
    }
}

/// The exposition of `registry`, as `GET /metrics` answers it.
pub fn scrape(registry: &Registry) -> Response {
    let mut body = String::new();
    match prometheus_client::encoding::text::encode(&mut body, registry) {
        Ok(()) => ([(header::CONTENT_TYPE, CONTENT_TYPE)], body).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "encoding the metrics failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "encoding the metrics failed\n",
            )
                .into_response()
        }
    }
}

/// `GET /healthz`: the process serves.
pub async fn healthz() -> &'static str {
    "ok\n"
}

/// `/metrics` and `/healthz` of a worker.
pub fn router(registry: Arc<Registry>) -> Router {
    Router::new()
        .route("/metrics", get(move || async move { scrape(&registry) }))
        .route("/healthz", get(healthz))
}

/// Serves [`router`] on `listener` (plain HTTP/1.1, as Prometheus scrapes) until `shutdown`.
/// tonic's server, as the master's, so the tree keeps one HTTP server stack.
pub async fn serve(
    listener: TcpListener,
    registry: Arc<Registry>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), tonic::transport::Error> {
    tonic::transport::Server::builder()
        .accept_http1(true)
        .add_routes(Routes::from(router(registry)))
        .serve_with_incoming_shutdown(
            TcpIncoming::from(listener).with_nodelay(Some(true)),
            shutdown,
        )
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry_with_worker() -> (Registry, Arc<WorkerMetrics>, Arc<EtcdMetrics>) {
        let mut registry = Registry::default();
        register_build_info(&mut registry);
        let worker = WorkerMetrics::register(&mut registry);
        let etcd = EtcdMetrics::register(&mut registry);
        (registry, worker, etcd)
    }

    fn text(registry: &Registry) -> String {
        let mut body = String::new();
        prometheus_client::encoding::text::encode(&mut body, registry).expect("encodes");
        body
    }

    #[test]
    fn every_metric_is_exposed_with_its_help_from_the_start() {
        let (registry, _, _) = registry_with_worker();
        let body = text(&registry);
        for line in [
            "schedd_build_info{version=\"",
            "# TYPE schedd_fire_lag_seconds histogram",
            "schedd_executions_total{status=\"success\"} 0",
            "schedd_executions_total{status=\"killed\"} 0",
            "schedd_running_executions 0",
            "schedd_runs_waiting_for_slot 0",
            "schedd_claims_total{outcome=\"taken_over\"} 0",
            "schedd_ticks_skipped_total 0",
            "schedd_ticks_lost_total 0",
            "schedd_fenced_total 0",
            "schedd_spool_records 0",
            "schedd_spool_oldest_record_age_seconds 0",
            "schedd_record_queue_bytes 0",
            "schedd_relay_queued_bytes 0",
            "schedd_relay_dropped_total 0",
            "schedd_etcd_request_errors_total{op=\"claim\"} 0",
            "schedd_etcd_request_errors_total{op=\"heartbeat\"} 0",
            "schedd_watch_restarts_total{reason=\"compacted\"} 0",
        ] {
            assert!(body.contains(line), "no `{line}` in:\n{body}");
        }
        assert!(body.ends_with("# EOF\n"));
    }

    #[test]
    fn recording_moves_the_right_series() {
        let (registry, worker, etcd) = registry_with_worker();
        worker.fire_lag(Duration::from_millis(3));
        worker.execution_finished(ExecutionStatus::Failed);
        worker.execution_finished(ExecutionStatus::Running);
        worker.claim(ClaimResult::Lost);
        worker.ticks_skipped(1);
        let running = worker.running();
        let waiting = worker.waiting();
        etcd.request("claim", Duration::from_millis(2), false);
        etcd.watch_restarted(WatchRestart::Interrupted);
        let body = text(&registry);
        for line in [
            "schedd_fire_lag_seconds_count 1",
            "schedd_fire_lag_seconds_bucket{le=\"0.004\"} 1",
            "schedd_executions_total{status=\"failed\"} 1",
            "schedd_claims_total{outcome=\"lost\"} 1",
            "schedd_ticks_skipped_total 1",
            "schedd_running_executions 1",
            "schedd_runs_waiting_for_slot 1",
            "schedd_etcd_request_duration_seconds_count{op=\"claim\"} 1",
            "schedd_etcd_request_errors_total{op=\"claim\"} 1",
            "schedd_watch_restarts_total{reason=\"interrupted\"} 1",
        ] {
            assert!(body.contains(line), "no `{line}` in:\n{body}");
        }
        assert!(!body.contains("status=\"running\""), "{body}");
        drop((running, waiting));
        let body = text(&registry);
        assert!(body.contains("schedd_running_executions 0"), "{body}");
        assert!(body.contains("schedd_runs_waiting_for_slot 0"), "{body}");
    }

    #[test]
    fn the_spool_is_read_at_each_scrape() {
        let (registry, worker, _) = registry_with_worker();
        let dir = tempfile::tempdir().expect("tempdir");
        let spool = crate::spool::Spool::open(dir.path()).expect("open");
        worker.watch_spool(spool.level());
        spool
            .push_batch(&[schedd_core::ExecutionRecord {
                execution_id: "e1".into(),
                ..Default::default()
            }])
            .expect("push");
        let body = text(&registry);
        assert!(body.contains("schedd_spool_records 1"), "{body}");
        assert!(
            !body.contains("schedd_spool_oldest_record_age_seconds 0\n"),
            "a waiting record has an age: {body}"
        );
    }

    #[tokio::test]
    async fn the_listener_serves_metrics_and_health() {
        let (registry, worker, _) = registry_with_worker();
        worker.execution_finished(ExecutionStatus::Success);
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let stop = tokio_util::sync::CancellationToken::new();
        let server = tokio::spawn(serve(listener, Arc::new(registry), {
            let stop = stop.clone();
            async move { stop.cancelled().await }
        }));
        let (metrics, health) = tokio::task::spawn_blocking(move || {
            (
                testkit::http::get(addr, "/metrics"),
                testkit::http::get(addr, "/healthz"),
            )
        })
        .await
        .expect("join");
        assert_eq!(metrics.status, 200);
        assert_eq!(metrics.header("content-type"), Some(CONTENT_TYPE));
        let body = String::from_utf8(metrics.body).expect("utf-8");
        assert!(
            body.contains("schedd_executions_total{status=\"success\"} 1"),
            "{body}"
        );
        assert_eq!((health.status, health.body.as_slice()), (200, &b"ok\n"[..]));
        stop.cancel();
        server.await.expect("join").expect("served");
    }
}

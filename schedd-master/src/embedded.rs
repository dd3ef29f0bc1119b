//! Embedded mode (`schedd-master --dev`): the master and one worker in one process, jobs and
//! execution records in one SQLite file in the data directory. No etcd, no MongoDB.
//! Finished records pass through the worker's spool (`<data-dir>/spool/spool.db` by default)
//! on their way to that file, so a crash or `kill -9` does not lose them.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use chrono_tz::Tz;
use schedd_core::store::{Coordinator, JobStore, LogStore, Retention, WorkerRegistry};
use schedd_core::{Clock, SystemClock};
use schedd_store::{LocalCoordinator, SqliteStore};
use schedd_worker::spool::Spool;
use schedd_worker::{WorkerConfig, WorkerDeps};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::auth::Tokens;
use crate::service::{Backends, Info, Live, Services, StreamLimits};

#[derive(Debug, Clone)]
pub struct DevConfig {
    pub data_dir: PathBuf,
    pub default_tz: Tz,
    pub executor_threads: usize,
    pub heartbeat_interval: Duration,
    pub log_batch_size: usize,
    /// `logCommitTimeout`: how long a finished record may wait for others to share its write
    /// to the store. Small here, so a run shows up in `log list` (and as a finished event)
    /// within about this long of its end.
    pub log_commit_timeout: Duration,
    /// Where finished records wait until the store has them: `<data-dir>/spool` by default.
    pub spool_dir: PathBuf,
    /// The spool's size cap in bytes of record JSON; when it is full, runs wait.
    pub spool_max_bytes: u64,
    /// How long execution records are kept; unlimited by default.
    pub retention: Retention,
    /// How long audit entries are kept, in days.
    pub audit_retention_days: u32,
    /// The tokens callers must present; none by default (authentication off).
    pub tokens: Tokens,
    /// On shutdown, how long running executions may go on before they are killed; none by
    /// default (Ctrl-C stops them at once).
    pub drain_timeout: Duration,
    /// How much may wait for each event stream or log tail client before it is cut off.
    pub stream_limits: StreamLimits,
    /// The webhooks of the jobs that name none.
    pub notify: Vec<schedd_core::notify::Webhook>,
    /// How long a worker whose registration is gone is still shown (`workerForgetAfter`).
    pub worker_forget_after: Duration,
}

impl DevConfig {
    pub fn new(data_dir: impl Into<PathBuf>) -> DevConfig {
        let data_dir = data_dir.into();
        DevConfig {
            spool_dir: data_dir.join("spool"),
            data_dir,
            default_tz: Tz::UTC,
            executor_threads: 16,
            heartbeat_interval: Duration::from_secs(3),
            log_batch_size: 100,
            log_commit_timeout: Duration::from_millis(100),
            spool_max_bytes: schedd_worker::sink::DEFAULT_SPOOL_MAX_BYTES,
            retention: Retention::default(),
            audit_retention_days: schedd_core::config::DEFAULT_AUDIT_RETENTION_DAYS,
            tokens: Tokens::none(),
            drain_timeout: Duration::ZERO,
            stream_limits: StreamLimits::default(),
            notify: Vec::new(),
            worker_forget_after: schedd_core::config::DEFAULT_WORKER_FORGET_AFTER,
        }
    }
}

/// Runs master and worker until `shutdown`, serving on `listener`. On shutdown the worker
/// kills what is still running and stores its records before this returns.
pub async fn run(
    cfg: DevConfig,
    listener: TcpListener,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(&cfg.data_dir)
        .with_context(|| format!("creating data directory {}", cfg.data_dir.display()))?;
    let db = cfg.data_dir.join("schedd.db");
    let store = SqliteStore::open(&db).with_context(|| format!("opening {}", db.display()))?;
    let spool_dir = cfg.spool_dir.clone();
    let spool = tokio::task::spawn_blocking(move || Spool::open(&spool_dir))
        .await
        .context("opening the record spool")?
        .with_context(|| format!("opening the record spool in {}", cfg.spool_dir.display()))?;
    let coordinator = LocalCoordinator::new();
    let commands = coordinator
        .take_commands()
        .context("the local worker channel was taken")?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let live = Live::new(shutdown.clone()).with_stream_limits(cfg.stream_limits);
    let (events, output) = (live.events.clone(), live.output.clone());
    let jobs: Arc<dyn JobStore> = Arc::new(store.clone());
    let logs: Arc<dyn LogStore> = Arc::new(store.clone());
    let coord: Arc<dyn Coordinator> = Arc::new(coordinator.clone());
    let registry: Arc<dyn WorkerRegistry> = Arc::new(coordinator);
    // One metrics registry for master and worker: the worker's metrics are on the master's
    // `/metrics`.
    let mut metrics = prometheus_client::registry::Registry::default();
    schedd_worker::metrics::register_build_info(&mut metrics);
    let counting = crate::metrics::MasterMetrics::start(&mut metrics, &events, shutdown.clone());
    crate::metrics::register_streams(&mut metrics, &live.outboxes.metrics);
    let worker_metrics = schedd_worker::metrics::WorkerMetrics::register(&mut metrics);

    let services = Services::new(
        Backends {
            jobs: Arc::clone(&jobs),
            logs: Arc::clone(&logs),
            audit: Arc::new(store.clone()),
            coordinator: coord,
            clock: Arc::clone(&clock),
        },
        cfg.default_tz,
        (cfg.heartbeat_interval * 3, cfg.worker_forget_after),
        live,
        Info {
            version: env!("CARGO_PKG_VERSION"),
            mode: "embedded",
            default_timezone: cfg.default_tz.name().to_owned(),
            started_at: chrono::Utc::now(),
        },
        metrics,
    );
    let forward = tokio::spawn(crate::forward_job_changes(
        Arc::clone(&jobs),
        events.clone(),
        shutdown.clone(),
    ));
    let prune = tokio::spawn(crate::prune_logs(
        Arc::clone(&logs),
        cfg.retention,
        shutdown.clone(),
    ));
    let prune_audit = tokio::spawn(crate::prune_audit(
        services.audit.clone(),
        cfg.audit_retention_days,
        shutdown.clone(),
    ));
    let token_trail = tokio::spawn(crate::token_trail::record(
        cfg.tokens.clone(),
        services.audit.clone(),
        cfg.audit_retention_days,
        shutdown.clone(),
    ));

    let mut worker_cfg = WorkerConfig::new(format!("{}-embedded", schedd_worker::hostname()));
    worker_cfg.executor_threads = cfg.executor_threads;
    worker_cfg.heartbeat_interval = cfg.heartbeat_interval;
    worker_cfg.log_batch_size = cfg.log_batch_size;
    worker_cfg.log_commit_timeout = cfg.log_commit_timeout;
    worker_cfg.spool_max_bytes = cfg.spool_max_bytes;
    worker_cfg.default_tz = cfg.default_tz;
    worker_cfg.drain_timeout = cfg.drain_timeout;
    worker_cfg.notify = cfg.notify.clone();
    worker_cfg.address = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let worker = tokio::spawn(schedd_worker::run(
        worker_cfg,
        WorkerDeps {
            jobs,
            logs,
            spool,
            registry,
            commands,
            cluster: None,
            events,
            output,
            clock,
            metrics: Some(worker_metrics),
        },
        shutdown.clone(),
    ));

    let served = crate::cluster::serve_with_grace(
        listener,
        services,
        crate::server::Security {
            tokens: cfg.tokens,
            tls: None,
        },
        shutdown.clone(),
    )
    .await;
    // However the server ended, stop the worker and let it store its last records.
    shutdown.cancel();
    worker.await.context("worker task")?.context("worker")?;
    let _ = forward.await;
    let _ = prune.await;
    let _ = prune_audit.await;
    let _ = token_trail.await;
    let _ = counting.await;
    served
}

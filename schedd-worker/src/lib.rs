//! The schedd worker: watches the jobs, fires them on their schedules, runs them as shell
//! commands, and ships an execution record for every run. In embedded mode it runs inside
//! `schedd-master --dev`; in a cluster it is the `schedd-worker` binary.
//!
//! The pieces, in the order a tick passes through them: [`scheduler`] (what is due, kept in
//! step with the job store) and its [`timetable`], [`runner`] (overlap, concurrency, kill),
//! [`executor`] (the process group), [`sink`] (records to the log store, through the
//! on-disk [`spool`]), and [`heartbeat`]. [`metrics`] counts what passes through them.
//! The binaries fork a [`reaper`] first thing, which kills the runs' groups if the worker dies.

pub mod catchup;
pub mod claiming;
pub mod cli;
pub mod executor;
pub mod heartbeat;
pub mod http_job;
pub mod metrics;
pub mod node;
pub mod notifier;
pub mod process;
pub mod reaper;
pub mod record_queue;
pub mod relay;
pub mod remote;
pub mod runner;
pub mod scheduler;
pub mod sink;
pub mod spool;
pub mod timetable;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use chrono_tz::Tz;
use schedd_core::store::{JobStore, LogStore, WorkerCommand, WorkerRegistry};
use schedd_core::{Clock, EventHub, OutputChunk, WorkerInfo, unix_ms};
use tokio::sync::{broadcast, mpsc};
use tokio_util::sync::CancellationToken;

use catchup::{LoggedTicks, TickHistory};
pub use runner::{Dispatch, Runner, RunnerConfig};
pub use scheduler::{Scheduler, SchedulerConfig};

#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub worker_id: String,
    pub ip: String,
    pub hostname: String,
    pub address: String,
    pub labels: BTreeMap<String, String>,
    /// `executorThreads`.
    pub executor_threads: usize,
    pub kill_grace: Duration,
    /// `heartbeatInterval`.
    pub heartbeat_interval: Duration,
    /// `logBatchSize`.
    pub log_batch_size: usize,
    /// `logCommitTimeout`: how long a partial batch of records waits for more before it is
    /// sent to the log store.
    pub log_commit_timeout: Duration,
    /// Size cap of the record spool (bytes of record JSON); when it is reached, runs wait.
    pub spool_max_bytes: u64,
    pub default_tz: Tz,
    /// `drainTimeout`: on shutdown, how long running executions may go on before they are
    /// killed (zero: killed at once).
    pub drain_timeout: Duration,
    /// `maxWaitingRuns`; `None` for [`runner::default_max_waiting`].
    pub max_waiting_runs: Option<usize>,
    /// `notify`: the webhooks of jobs that name none.
    pub notify: Vec<schedd_core::notify::Webhook>,
}

impl WorkerConfig {
    /// Defaults for a worker with this id on this host.
    pub fn new(worker_id: impl Into<String>) -> WorkerConfig {
        WorkerConfig {
            worker_id: worker_id.into(),
            ip: "127.0.0.1".into(),
            hostname: hostname(),
            address: String::new(),
            labels: BTreeMap::new(),
            executor_threads: 16,
            kill_grace: Duration::from_secs(1),
            heartbeat_interval: Duration::from_secs(3),
            log_batch_size: 100,
            log_commit_timeout: sink::DEFAULT_COMMIT_TIMEOUT,
            spool_max_bytes: sink::DEFAULT_SPOOL_MAX_BYTES,
            default_tz: Tz::UTC,
            drain_timeout: Duration::ZERO,
            max_waiting_runs: None,
            notify: Vec::new(),
        }
    }
}

/// The host's name, or `localhost` if it cannot be read.
pub fn hostname() -> String {
    nix::unistd::gethostname()
        .ok()
        .and_then(|h| h.into_string().ok())
        .unwrap_or_else(|| "localhost".into())
}

/// What a worker of a cluster needs besides the stores: etcd, for claims and signals.
#[derive(Debug)]
pub struct ClusterDeps {
    pub etcd: schedd_store::etcd::Etcd,
    pub claims: schedd_store::etcd::claims::EtcdClaims,
    pub opts: claiming::ClusterOptions,
}

/// What a worker is connected to.
#[derive(Debug)]
pub struct WorkerDeps {
    pub jobs: Arc<dyn JobStore>,
    pub logs: Arc<dyn LogStore>,
    /// Where finished records wait until the log store has them; opened by the caller so a
    /// spool that cannot be opened stops the start-up instead of the records.
    pub spool: spool::Spool,
    pub registry: Arc<dyn WorkerRegistry>,
    /// Kill and run-now requests of embedded mode; a cluster worker gets its own from etcd.
    pub commands: mpsc::UnboundedReceiver<WorkerCommand>,
    /// Set in a cluster: ticks are claimed in etcd before they run.
    pub cluster: Option<ClusterDeps>,
    pub events: EventHub,
    /// Live output of running executions.
    pub output: broadcast::Sender<OutputChunk>,
    pub clock: Arc<dyn Clock>,
    /// Where runs, claims, skips and the spool are counted; `None` keeps no metrics.
    pub metrics: Option<Arc<metrics::WorkerMetrics>>,
}

/// How long a stopping worker lets notices being delivered go on.
const NOTIFY_DRAIN: Duration = Duration::from_secs(5);

/// Records in flight between the runner and the sink before runs wait for the store; and
/// their bytes ([`record_queue::DEFAULT_BYTES`] explains the figure).
const RECORD_QUEUE: usize = record_queue::DEFAULT_RECORDS;
const RECORD_QUEUE_BYTES: usize = record_queue::DEFAULT_BYTES;

/// Makes the record of a run this worker started and never saw end (it was killed, or its
/// machine went down): `lost`, ended at `now_ms`.
fn lost_record(
    worker_id: &str,
    now_ms: i64,
) -> impl Fn(schedd_core::ExecutionRecord) -> schedd_core::ExecutionRecord + use<> {
    let error = format!(
        "lost: worker {worker_id} stopped (killed, or its machine went down) while this run was going; the outcome is unknown"
    );
    move |mut r| {
        r.status = schedd_core::ExecutionStatus::Lost;
        r.error.clone_from(&error);
        r.exit_code = -1;
        r.end_time_ms = now_ms.max(r.start_time_ms);
        r
    }
}

/// The master's requests, and those of dependencies: alone, a worker runs the runs that
/// dependencies ask for itself, through its own scheduler, as it runs those asked for by hand.
fn with_dependents(
    runner: &Runner,
    mut from_master: mpsc::UnboundedReceiver<WorkerCommand>,
) -> mpsc::UnboundedReceiver<WorkerCommand> {
    let (tx, rx) = mpsc::unbounded_channel();
    let asked = tx.clone();
    runner.set_on_dependents(runner::OnDependents(Arc::new(move |runs| {
        for run in runs {
            let _ = asked.send(run);
        }
    })));
    tokio::spawn(async move {
        while let Some(command) = from_master.recv().await {
            if tx.send(command).is_err() {
                return;
            }
        }
    });
    rx
}

/// Runs the worker until `shutdown`; then stops firing, lets running executions finish for
/// up to `drain_timeout` and kills those still going, stores their records
/// (or, if the log store does not take them within [`sink::SHUTDOWN_DRAIN`], leaves them in
/// the spool for the next start), and returns.
pub async fn run(
    cfg: WorkerConfig,
    deps: WorkerDeps,
    shutdown: CancellationToken,
) -> Result<(), schedd_core::store::StoreError> {
    let drain_timeout = cfg.drain_timeout;
    let (records_tx, records_rx) = record_queue::channel(
        RECORD_QUEUE,
        RECORD_QUEUE_BYTES,
        deps.metrics
            .as_ref()
            .map(|m| m.record_queue_bytes())
            .unwrap_or_default(),
    );
    let notices_tx = records_tx.clone();
    let runner = Runner::new(
        RunnerConfig {
            worker_id: cfg.worker_id.clone(),
            worker_ip: cfg.ip.clone(),
            capacity: cfg.executor_threads,
            kill_grace: cfg.kill_grace,
            max_waiting: cfg
                .max_waiting_runs
                .unwrap_or_else(|| runner::default_max_waiting(cfg.executor_threads)),
        },
        Arc::clone(&deps.clock),
        records_tx,
        deps.events.clone(),
        deps.output.clone(),
    );
    if let Some(m) = &deps.metrics {
        runner.set_metrics(Arc::clone(m));
        m.watch_spool(deps.spool.level());
    }
    // What this worker ran last, read before the sink ships (and drops) the spooled records:
    // in embedded mode, where the missed ticks are counted from. Counted from the log store
    // alone, a tick whose record still waits here would look missed and could run again.
    let spooled_ticks = if deps.cluster.is_none() {
        // Alone, the worker marks each run's start in the spool: runs a crash interrupted
        // are recorded lost now, and their ticks count as run.
        runner.mark_starts();
        let spool = deps.spool.clone();
        let lost = lost_record(&cfg.worker_id, unix_ms(deps.clock.now()));
        tokio::task::spawn_blocking(move || {
            let interrupted: Vec<_> = spool.interrupted()?.into_iter().map(lost).collect();
            if !interrupted.is_empty() {
                tracing::warn!(
                    runs = interrupted.len(),
                    "runs were going on when this worker last stopped without finishing them; recorded as lost"
                );
                spool.push_batch(&interrupted)?;
            }
            spool.last_ticks()
        })
            .await
            .map_err(|e| schedd_core::store::StoreError::Unavailable(e.to_string()))?
            .map_err(|e| {
                schedd_core::store::StoreError::Corrupt(format!("reading the record spool: {e}"))
            })?
    } else {
        Default::default()
    };
    let logs = Arc::clone(&deps.logs);
    let notify_logs = Arc::clone(&deps.logs);
    let sink = tokio::spawn(sink::run(
        records_rx,
        deps.logs,
        deps.spool,
        sink::SinkConfig {
            batch_size: cfg.log_batch_size,
            commit_timeout: cfg.log_commit_timeout,
            spool_max_bytes: cfg.spool_max_bytes,
            drain_timeout: sink::SHUTDOWN_DRAIN,
        },
        deps.events.clone(),
        shutdown.clone(),
    ));
    let info = WorkerInfo {
        worker_id: cfg.worker_id.clone(),
        ip: cfg.ip.clone(),
        hostname: cfg.hostname.clone(),
        labels: cfg.labels.clone(),
        version: env!("CARGO_PKG_VERSION").into(),
        capacity: u32::try_from(cfg.executor_threads).unwrap_or(u32::MAX),
        address: cfg.address.clone(),
        ..Default::default()
    };
    let heartbeat = tokio::spawn(heartbeat::run(
        info,
        cfg.heartbeat_interval,
        runner.clone(),
        deps.registry,
        deps.events.clone(),
        shutdown.clone(),
    ));
    let (dispatch, history, commands, cluster): (Arc<dyn Dispatch>, Arc<dyn TickHistory>, _, _) =
        match deps.cluster {
            None => (
                Arc::new(runner.clone()),
                Arc::new(LoggedTicks {
                    logs,
                    spooled: spooled_ticks,
                }),
                with_dependents(&runner, deps.commands),
                None,
            ),
            Some(c) => {
                let started = claiming::Cluster::start(
                    c.etcd,
                    c.claims,
                    runner.clone(),
                    Arc::clone(&deps.clock),
                    c.opts,
                    shutdown.clone(),
                )
                .await;
                match started {
                    Ok((cluster, commands)) => (
                        Arc::new(cluster.clone()),
                        Arc::new(cluster.clone()),
                        commands,
                        Some(cluster),
                    ),
                    Err(e) => {
                        shutdown.cancel();
                        let _ = heartbeat.await;
                        // Every sender of records goes, so that the sink sees its queue end.
                        drop(notices_tx);
                        runner.clear_on_finish();
                        drop(runner);
                        let _ = sink.await;
                        return Err(e);
                    }
                }
            }
        };
    let outcomes: Arc<dyn notifier::Outcomes> = match &cluster {
        Some(c) => Arc::new(claiming::EtcdOutcomes(c.clone())),
        None => Arc::new(notifier::LocalOutcomes::new(notify_logs)),
    };
    let notifier = notifier::Notifier::new(
        cfg.notify.clone(),
        notices_tx,
        outcomes,
        Arc::clone(&deps.jobs),
        Arc::clone(&deps.clock),
    );
    runner.set_notifier(notifier.clone());
    let scheduler = Scheduler::new(
        deps.jobs,
        deps.clock,
        dispatch,
        SchedulerConfig {
            default_tz: cfg.default_tz,
            labels: cfg.labels,
        },
    )
    .with_history(history);
    scheduler.run(commands, shutdown).await;
    runner.drain(drain_timeout).await;
    tracing::debug!("executions stopped");
    // Runs' claims are released, and their notices asked for, as their records are spooled:
    // the last ones first. The sink spools whatever it is handed, or gives up after its own
    // drain deadline (a disk that fails as the log store does), so this ends; the bound is
    // for a sink that died.
    let spooled = tokio::time::timeout(sink::SHUTDOWN_DRAIN * 2, runner.records_spooled())
        .await
        .is_ok();
    // Notices still being delivered get a few seconds; then they give up, and how far they
    // got is recorded.
    notifier.stop(NOTIFY_DRAIN).await;
    if let Some(cluster) = cluster {
        if !spooled {
            tracing::warn!(
                "the log sink did not spool the last records; their runs' claims stay until the lease goes"
            );
        }
        cluster.wait().await;
        tracing::debug!("cluster claims and releases done");
    }
    // The hook holds the cluster, which holds the runner: break the cycle, so the runner's
    // end of the record channel closes and the sink can finish.
    runner.clear_on_finish();
    drop(runner);
    let _ = heartbeat.await;
    tracing::debug!("heartbeat stopped; waiting for the log sink");
    let _ = sink.await;
    Ok(())
}

//! A cluster worker as one piece: connects to etcd, registers, picks the log store (MongoDB
//! with `mongoUri`, else the masters found in etcd), opens the spool, serves its metrics
//! (with `metricsListen`), and runs until `shutdown`. `schedd-worker` is this plus the command line; tests and benchmarks run it
//! in-process.

use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use prometheus_client::registry::Registry;
use schedd_core::config::ClusterConfig;
use schedd_core::store::{JobStore, LogStore};
use schedd_core::{Clock, EventHub, OutputChunk, WorkerInfo};
use schedd_store::etcd::claims::EtcdClaims;
use schedd_store::etcd::lease::KeptLease;
use schedd_store::etcd::output::follow_wanted_output;
use schedd_store::etcd::registry::{EtcdRegistry, follow_masters};
use schedd_store::etcd::{Etcd, EtcdJobStore, EtcdOptions};
use schedd_store::{MongoLogStore, MongoOptions};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::claiming::{ClusterOptions, DEFAULT_TAKEOVER_GRACE};
use crate::metrics::{self, EtcdMetrics, WorkerMetrics};
use crate::remote::MasterLogStore;
use crate::spool::Spool;
use crate::{ClusterDeps, WorkerConfig, WorkerDeps};

/// How long an ingest call to a master may take before the next master is tried.
const INGEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Runs a worker of the cluster `cfg` describes until `shutdown`, on `clock`.
pub async fn run(
    cfg: ClusterConfig,
    clock: Arc<dyn Clock>,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let worker_id = if cfg.worker_id.is_empty() {
        crate::hostname()
    } else {
        cfg.worker_id.clone()
    };
    // Metrics first: the listener answers `/healthz` while etcd is being reached, and the
    // etcd connection reports to them from its first request.
    let metrics = match cfg.metrics_listen {
        Some(addr) => Some(Metrics::serve(addr).await?),
        None => None,
    };
    let mut etcd = Etcd::connect(&etcd_options(&cfg))
        .await
        .context("connecting to etcd")?;
    if let Some(m) = &metrics {
        etcd = etcd.with_observer(m.etcd.clone());
    }
    let lease = KeptLease::grant(&etcd, cfg.job_lock_ttl)
        .await
        .context("granting the worker's etcd lease")?;
    let registry = EtcdRegistry::new(etcd.clone(), &lease);
    let ip =
        local_ip(&cfg.etcd_endpoints).map_or_else(|| "127.0.0.1".to_owned(), |ip| ip.to_string());
    let info = WorkerInfo {
        worker_id: worker_id.clone(),
        ip: ip.clone(),
        hostname: crate::hostname(),
        labels: cfg.labels.clone(),
        version: env!("CARGO_PKG_VERSION").into(),
        capacity: u32::try_from(cfg.executor_threads).unwrap_or(u32::MAX),
        address: cfg.address.clone().unwrap_or_default(),
        last_seen: schedd_core::unix_ms(chrono::Utc::now()),
        ..Default::default()
    };
    register(&registry, &info, &shutdown).await?;

    let jobs: Arc<dyn JobStore> = Arc::new(EtcdJobStore::new(etcd.clone()));
    let access = crate::remote::MasterAccess::new(
        cfg.api_token.as_deref(),
        cfg.master_ca.as_deref(),
        cfg.tls_cert.as_deref().zip(cfg.tls_key.as_deref()),
    )
    .map_err(anyhow::Error::msg)?;
    let logs: Arc<dyn LogStore> = match &cfg.mongo_uri {
        Some(uri) => Arc::new(
            MongoLogStore::open(
                uri,
                MongoOptions {
                    connect_timeout: cfg.mongo_connect_timeout,
                    ..MongoOptions::default()
                },
            )
            .await
            .context("connecting to MongoDB")?,
        ),
        None => Arc::new(
            MasterLogStore::new(follow_masters(&etcd, shutdown.clone()), INGEST_TIMEOUT)
                .with_access(access.clone()),
        ),
    };
    let spool_dir = cfg
        .spool_dir
        .clone()
        .unwrap_or_else(|| cfg.data_dir.join(format!("spool-{worker_id}")));
    let spool = {
        let dir = spool_dir.clone();
        tokio::task::spawn_blocking(move || Spool::open(&dir))
            .await
            .context("opening the record spool")?
            .with_context(|| format!("opening the record spool in {}", spool_dir.display()))?
    };
    let default_tz = schedd_core::schedule::parse_timezone(&cfg.timezone).context("timezone")?;
    let mut wcfg = WorkerConfig::new(worker_id.clone());
    wcfg.ip = ip.clone();
    wcfg.address = info.address.clone();
    wcfg.labels = cfg.labels.clone();
    wcfg.executor_threads = cfg.executor_threads;
    wcfg.max_waiting_runs = cfg.max_waiting_runs;
    wcfg.heartbeat_interval = cfg.heartbeat_interval;
    wcfg.log_batch_size = cfg.log_batch_size;
    wcfg.log_commit_timeout = cfg.log_commit_timeout;
    wcfg.default_tz = default_tz;
    wcfg.drain_timeout = cfg.drain_timeout;
    wcfg.notify = cfg.notify.clone();
    let (_commands_tx, commands) = tokio::sync::mpsc::unbounded_channel();
    let (output, _) = tokio::sync::broadcast::channel::<OutputChunk>(1024);
    let events = EventHub::new(1024);
    // Not a child of `shutdown`: runs killed while the worker stops still have their output
    // and results relayed, until the worker is done.
    let relay_stop = CancellationToken::new();
    let relay = tokio::spawn(crate::relay::run(
        follow_wanted_output(&etcd, relay_stop.clone()),
        events.clone(),
        output.clone(),
        access,
        metrics
            .as_ref()
            .map(|m| m.worker.relay_metrics())
            .unwrap_or_default(),
        relay_stop.clone(),
    ));
    tracing::info!(
        worker_id,
        etcd = %cfg.etcd_endpoints.join(","),
        prefix = %cfg.etcd_prefix,
        executor_threads = cfg.executor_threads,
        logs = if cfg.mongo_uri.is_some() { "mongodb" } else { "master" },
        spool = %spool_dir.display(),
        "schedd worker ready"
    );
    let claims = EtcdClaims::new(etcd.clone(), &lease);
    let result = crate::run(
        wcfg,
        WorkerDeps {
            jobs,
            logs,
            spool,
            registry: Arc::new(registry),
            commands,
            cluster: Some(ClusterDeps {
                etcd,
                claims,
                opts: ClusterOptions {
                    worker_id,
                    worker_ip: ip,
                    labels: cfg.labels.clone(),
                    takeover_grace: DEFAULT_TAKEOVER_GRACE,
                    default_tz,
                },
            }),
            events,
            output,
            clock,
            metrics: metrics.as_ref().map(|m| Arc::clone(&m.worker)),
        },
        shutdown.clone(),
    )
    .await;
    relay_stop.cancel();
    let _ = relay.await;
    if let Some(m) = metrics {
        m.stop().await;
    }
    // Runs are over and released: the entry goes, and the worker shows as stopped.
    if let Err(e) = lease.revoke().await {
        tracing::warn!(error = %e, "revoking the worker's lease failed; it expires on its own");
    }
    result.context("worker")
}

/// The worker's metrics and the listener that serves them.
struct Metrics {
    worker: Arc<WorkerMetrics>,
    etcd: Arc<EtcdMetrics>,
    stop: CancellationToken,
    server: tokio::task::JoinHandle<()>,
}

impl Metrics {
    /// Binds `addr` and serves `/metrics` and `/healthz` on it until [`Metrics::stop`]; a
    /// worker that stops on `shutdown` keeps answering scrapes until its last records are
    /// counted.
    async fn serve(addr: SocketAddr) -> anyhow::Result<Metrics> {
        let mut registry = Registry::default();
        metrics::register_build_info(&mut registry);
        let worker = WorkerMetrics::register(&mut registry);
        let etcd = EtcdMetrics::register(&mut registry);
        let listener = TcpListener::bind(addr)
            .await
            .with_context(|| format!("binding the metrics listener (metricsListen) {addr}"))?;
        let bound = listener.local_addr().unwrap_or(addr);
        tracing::info!(listen = %bound, "serving metrics on /metrics");
        let stop = CancellationToken::new();
        let done = stop.clone();
        let server = tokio::spawn(async move {
            let serving = metrics::serve(listener, Arc::new(registry), async move {
                done.cancelled().await;
            });
            // The worker goes on without it: runs matter more than their metrics.
            if let Err(e) = serving.await {
                tracing::error!(error = %e, "the metrics listener failed; metrics are no longer served");
            }
        });
        Ok(Metrics {
            worker,
            etcd,
            stop,
            server,
        })
    }

    async fn stop(self) {
        self.stop.cancel();
        let _ = self.server.await;
    }
}

fn etcd_options(cfg: &ClusterConfig) -> EtcdOptions {
    EtcdOptions::from(cfg)
}

/// Registers the worker, waiting while its id is held by a live lease: another worker with
/// the same id, or this one's previous life (after a crash) until its lease expires.
async fn register(
    registry: &EtcdRegistry,
    info: &WorkerInfo,
    shutdown: &CancellationToken,
) -> anyhow::Result<()> {
    let mut warned = false;
    loop {
        if registry
            .register(info)
            .await
            .context("registering the worker in etcd")?
        {
            if warned {
                tracing::info!(
                    worker_id = info.worker_id,
                    "worker id is free again; registered"
                );
            }
            return Ok(());
        }
        if !std::mem::replace(&mut warned, true) {
            tracing::warn!(
                worker_id = info.worker_id,
                "a live worker holds this id (a previous run of this worker, or a duplicate id); waiting for its lease to expire"
            );
        }
        tokio::select! {
            () = shutdown.cancelled() => bail!("stopped while waiting for worker id {} to be free", info.worker_id),
            () = tokio::time::sleep(Duration::from_millis(500)) => {}
        }
    }
}

/// The address this host uses to reach etcd: what other hosts see it as.
fn local_ip(endpoints: &[String]) -> Option<IpAddr> {
    let first = endpoints.first()?;
    let host_port = first
        .trim_start_matches("http://")
        .trim_start_matches("https://")
        .trim_end_matches('/');
    let target = std::net::ToSocketAddrs::to_socket_addrs(host_port)
        .ok()?
        .next()?;
    let socket = UdpSocket::bind(if target.is_ipv4() {
        "0.0.0.0:0"
    } else {
        "[::]:0"
    })
    .ok()?;
    socket.connect(target).ok()?;
    socket.local_addr().ok().map(|a| a.ip())
}

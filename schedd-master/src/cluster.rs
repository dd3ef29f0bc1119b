//! Cluster mode (`schedd-master --config master.json`): jobs in etcd, execution records in
//! MongoDB (`mongoUri`) or, without it, in a SQLite file under `dataDir` that workers fill
//! through the ingest API. Masters hold no state of their own beyond that store, so several
//! can run over one etcd; each announces its address under `masters/` for the workers, and
//! learns of runs from etcd and from the workers' live relay (see [`crate::service::Live`]).

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use schedd_core::config::ClusterConfig;
use schedd_core::store::{AuditLog, Coordinator, JobStore, LogStore, Retention};
use schedd_core::{Clock, Event, EventHub, ExecutionRecord, ExecutionStatus, SystemClock, Trigger};
use schedd_store::etcd::claims::RunMarker;
use schedd_store::etcd::coordinator::{ClusterEvent, EtcdCoordinator, Forget};
use schedd_store::etcd::lease::KeptLease;
use schedd_store::etcd::output::announce_wanted_output;
use schedd_store::etcd::registry::{MasterInfo, announce_master, follow_masters};
use schedd_store::etcd::{Etcd, EtcdJobStore, EtcdOptions};
use schedd_store::{MongoLogStore, MongoOptions, SqliteStore};
use tokio::net::TcpListener;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

use crate::server::Security;
use crate::service::{Backends, Info, Live, Services, settle_ended_runs};

/// How long a stopping master waits for clients to finish their calls.
pub const SERVER_GRACE: Duration = Duration::from_secs(5);

/// Runs a cluster master until `shutdown`, serving on `listener`, authentication off.
pub async fn run(
    cfg: ClusterConfig,
    listener: TcpListener,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    run_secured(cfg, Security::default(), listener, shutdown).await
}

/// Runs a cluster master until `shutdown`, serving on `listener` with `security` (tokens,
/// TLS).
pub async fn run_secured(
    cfg: ClusterConfig,
    security: Security,
    listener: TcpListener,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let default_tz = schedd_core::schedule::parse_timezone(&cfg.timezone).context("timezone")?;
    let mut metrics = prometheus_client::registry::Registry::default();
    schedd_worker::metrics::register_build_info(&mut metrics);
    let etcd_metrics = schedd_worker::metrics::EtcdMetrics::register(&mut metrics);
    let etcd = Etcd::connect(&EtcdOptions::from(&cfg))
        .await
        .context("connecting to etcd")?
        .with_observer(etcd_metrics);
    let retention = Retention {
        max_age_days: cfg.log_retention_days,
        keep_per_job: cfg.log_keep_per_job,
    };
    // The audit trail lives beside the records.
    let (logs, audit): (Arc<dyn LogStore>, Arc<dyn AuditLog>) = match &cfg.mongo_uri {
        Some(uri) => {
            let store = Arc::new(
                MongoLogStore::open(
                    uri,
                    MongoOptions {
                        connect_timeout: cfg.mongo_connect_timeout,
                        retention_days: cfg.log_retention_days,
                        ..MongoOptions::default()
                    },
                )
                .await
                .context("connecting to MongoDB")?,
            );
            (store.clone(), store)
        }
        None => {
            std::fs::create_dir_all(&cfg.data_dir)
                .with_context(|| format!("creating data directory {}", cfg.data_dir.display()))?;
            let db = cfg.data_dir.join("schedd.db");
            let store = Arc::new(
                SqliteStore::open(&db).with_context(|| format!("opening {}", db.display()))?,
            );
            (store.clone(), store)
        }
    };
    let lease = KeptLease::grant(&etcd, cfg.job_lock_ttl)
        .await
        .context("granting the master's etcd lease")?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let jobs: Arc<dyn JobStore> = Arc::new(EtcdJobStore::new(etcd.clone()));
    let (coordinator, cluster_rx) = EtcdCoordinator::start(
        etcd.clone(),
        Arc::clone(&jobs),
        Forget {
            after: cfg.worker_forget_after,
            clock: Arc::clone(&clock),
        },
        shutdown.clone(),
    );
    let coord: Arc<dyn Coordinator> = Arc::new(coordinator.clone());
    let live = Live::new(shutdown.clone());
    let events = live.events.clone();
    let counting = crate::metrics::MasterMetrics::start(&mut metrics, &events, shutdown.clone());
    crate::metrics::register_streams(&mut metrics, &live.outboxes.metrics);
    let services = Services::new(
        Backends {
            jobs: Arc::clone(&jobs),
            logs: Arc::clone(&logs),
            audit,
            coordinator: coord,
            clock,
        },
        default_tz,
        (cfg.heartbeat_interval * 3, cfg.worker_forget_after),
        live.clone(),
        Info {
            version: env!("CARGO_PKG_VERSION"),
            mode: "cluster",
            default_timezone: default_tz.name().to_owned(),
            started_at: chrono::Utc::now(),
        },
        metrics,
    );
    let address = listener.local_addr().context("listener address")?;
    let master_id = format!("{}-{}", schedd_worker::hostname(), address.port());
    let reachable = advertised(cfg.advertise.as_deref(), address)?;
    let master_info = MasterInfo {
        master_id: master_id.clone(),
        // Workers connect over TLS to an `https://` address.
        address: if security.tls.is_some() {
            format!("https://{reachable}")
        } else {
            reachable.clone()
        },
        version: env!("CARGO_PKG_VERSION").into(),
    };
    let announce = tokio::spawn(announce_master(
        etcd.clone(),
        master_info.clone(),
        lease.changes(),
        shutdown.clone(),
    ));
    let wanted_output = tokio::spawn(announce_wanted_output(
        etcd.clone(),
        master_info,
        live.followers.wanted(),
        lease.changes(),
        shutdown.clone(),
    ));
    let settle = {
        let coordinator = coordinator.clone();
        tokio::spawn(settle_ended_runs(
            events.clone(),
            Arc::clone(&logs),
            live.relayed.clone(),
            move || coordinator.running_ids(),
            shutdown.clone(),
        ))
    };
    let forward = tokio::spawn(crate::forward_job_changes(
        Arc::clone(&jobs),
        events.clone(),
        shutdown.clone(),
    ));
    let cluster_events = tokio::spawn(forward_cluster_events(
        cluster_rx,
        events.clone(),
        shutdown.clone(),
    ));
    // Without MongoDB the records are this master's alone: it should be the only one.
    let lonely = tokio::spawn(warn_of_other_masters(
        cfg.mongo_uri
            .is_none()
            .then(|| follow_masters(&etcd, shutdown.clone())),
        shutdown.clone(),
    ));
    let prune = tokio::spawn(crate::prune_logs(
        Arc::clone(&logs),
        retention,
        shutdown.clone(),
    ));
    let prune_audit = tokio::spawn(crate::prune_audit(
        services.audit.clone(),
        cfg.audit_retention_days,
        shutdown.clone(),
    ));
    let token_trail = tokio::spawn(crate::token_trail::record(
        security.tokens.clone(),
        services.audit.clone(),
        cfg.audit_retention_days,
        shutdown.clone(),
    ));
    tracing::info!(
        master_id,
        listen = %address,
        etcd = %cfg.etcd_endpoints.join(","),
        prefix = %cfg.etcd_prefix,
        logs = if cfg.mongo_uri.is_some() { "mongodb".to_owned() } else { cfg.data_dir.join("schedd.db").display().to_string() },
        "schedd master ready (cluster mode)"
    );
    let served = serve_with_grace(listener, services, security, shutdown.clone()).await;
    shutdown.cancel();
    let _ = tokio::join!(
        announce,
        wanted_output,
        settle,
        forward,
        cluster_events,
        prune,
        prune_audit,
        token_trail,
        lonely,
        counting
    );
    if let Err(e) = lease.revoke().await {
        tracing::warn!(error = %e, "revoking the master's lease failed; it expires on its own");
    }
    served
}

/// The `host:port` workers reach this master at: `advertise`, else the listener's address,
/// else (for a wildcard listener) the host's primary address on the listener's port.
fn advertised(advertise: Option<&str>, listener: std::net::SocketAddr) -> anyhow::Result<String> {
    if let Some(a) = advertise.map(str::trim).filter(|a| !a.is_empty()) {
        anyhow::ensure!(
            a.rsplit_once(':')
                .is_some_and(|(h, p)| !h.is_empty() && p.parse::<u16>().is_ok()),
            "advertise: expected `host:port`, got `{a}`"
        );
        return Ok(a.to_owned());
    }
    if !listener.ip().is_unspecified() {
        return Ok(listener.to_string());
    }
    let ip = primary_ip().context(
        "listening on a wildcard address, and the host's primary address is unknown: set advertise (--advertise HOST:PORT)",
    )?;
    Ok(std::net::SocketAddr::new(ip, listener.port()).to_string())
}

/// The address this host's default route leaves from: a UDP socket "connected" to an
/// address of the documentation range learns it from the kernel; nothing is sent.
fn primary_ip() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("192.0.2.1:9").ok()?;
    socket
        .local_addr()
        .ok()
        .map(|a| a.ip())
        .filter(|ip| !ip.is_unspecified())
}

/// Serves until `shutdown`, then gives clients [`SERVER_GRACE`] to finish their calls.
pub async fn serve_with_grace(
    listener: TcpListener,
    services: Services,
    security: Security,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let stop = shutdown.clone();
    let mut server = tokio::spawn(crate::server::serve(
        listener,
        services,
        security,
        async move { stop.cancelled().await },
    ));
    let served = tokio::select! {
        served = &mut server => served,
        () = shutdown.cancelled() => match tokio::time::timeout(SERVER_GRACE, &mut server).await {
            Ok(served) => served,
            Err(_) => {
                tracing::warn!(grace = ?SERVER_GRACE, "clients still connected after the grace period; closing them");
                server.abort();
                Ok(Ok(()))
            }
        },
    };
    served.context("server task").and_then(|r| r)
}

/// Warns, until `shutdown`, while other masters share the cluster with this one although
/// it keeps execution records in its own SQLite file (`masters` is the list of masters,
/// this one included, then): each worker's batches go to one master, so every master would
/// hold only part of the records.
async fn warn_of_other_masters(
    masters: Option<tokio::sync::watch::Receiver<Vec<String>>>,
    shutdown: CancellationToken,
) {
    let Some(mut masters) = masters else {
        return;
    };
    let mut warned_at = 1;
    loop {
        let count = masters.borrow_and_update().len();
        if count > warned_at {
            tracing::warn!(
                masters = count,
                "other masters run in this cluster, but without mongoUri each master keeps its own records: workers send each batch to one of them, so every master shows only part of them; configure mongoUri, or run one master"
            );
        }
        warned_at = count.max(1);
        tokio::select! {
            () = shutdown.cancelled() => return,
            changed = masters.changed() => if changed.is_err() { return },
        }
    }
}

/// Publishes what the coordinator learns (workers, started runs) on the event hub.
async fn forward_cluster_events(
    mut rx: broadcast::Receiver<ClusterEvent>,
    events: EventHub,
    shutdown: CancellationToken,
) {
    loop {
        let event = tokio::select! {
            () = shutdown.cancelled() => return,
            e = rx.recv() => e,
        };
        match event {
            Ok(ClusterEvent::Worker(info)) => {
                events.send(Event::Worker { info, online: true });
            }
            Ok(ClusterEvent::WorkerGone(info)) => {
                events.send(Event::Worker {
                    info,
                    online: false,
                });
            }
            Ok(ClusterEvent::RunStarted(m)) => {
                events.send(Event::ExecutionStarted(started_record(m)));
            }
            Err(broadcast::error::RecvError::Lagged(_)) => {
                rx = rx.resubscribe();
                events.send(Event::Resync);
            }
            Err(broadcast::error::RecvError::Closed) => return,
        }
    }
}

fn started_record(m: RunMarker) -> ExecutionRecord {
    ExecutionRecord {
        execution_id: m.execution_id,
        job_name: m.job_name,
        command: m.command,
        plan_time_ms: m.plan_time_ms,
        schedule_time_ms: m.start_time_ms,
        start_time_ms: m.start_time_ms,
        worker_ip: m.worker_ip,
        worker_id: m.worker_id,
        trigger: Trigger::parse(&m.trigger).unwrap_or_default(),
        parent_execution_id: m.parent_execution_id,
        attempt: 1,
        status: ExecutionStatus::Running,
        ..Default::default()
    }
}

//! The cluster backend on etcd. One [`Etcd`] connection is shared by everything a process
//! keeps there, all under one key prefix (default `/cron`, as the old system):
//!
//! | key | value | lease |
//! | --- | --- | --- |
//! | `jobs/<name>` | the job JSON (the old system's format) | none |
//! | `workers/<workerId>` | [`schedd_core::WorkerInfo`] JSON | the worker's |
//! | `masters/<masterId>` | the master's API address | the master's |
//! | `claims/<name>/<tickMs>` | who claimed the tick, and how it ended | a claim lease (minutes) |
//! | `each/<name>/<tickMs>/<workerId>` | a worker's run of a broadcast job's tick | a claim lease (minutes) |
//! | `lock/<name>` | the execution holding the job (overlap `forbid`/`replace`) | the worker's |
//! | `running/<name>/<executionId>` | the running execution | the worker's |
//! | `owed/<name>/<executionId>` | a tick claimed to be skipped, until its record is spooled | the worker's |
//! | `last/<name>` | the newest claimed tick, for catch-up | none |
//! | `outcome/<name>` | how the job's last run ended, for recovery notices | none |
//! | `notified/<executionId>` | which worker sends a lost run's notices | a short lease |
//! | `kill/<name>` | a kill request (all runs, or one execution) | a short lease |
//! | `run/<name>/<executionId>` | a run-now request | a short lease |
//! | `asked/<executionId>` | that a run-now request was made, so it is made once | a short lease |
//! | `output/<name>/<masterId>` | a master whose clients follow the job's live output | the master's |
//!
//! Each folder has one module that writes it and decodes it, so no other crate parses these
//! keys: [`jobs`], [`registry`] (`workers/`, `masters/`), [`claims`] (`claims/`, `each/`,
//! `lock/`, `running/`, `owed/`, `last/`), [`signals`] (`kill/`, `run/`) and [`output`]; [`members`] follows
//! `workers/` for the workers, and [`coordinator`] is the master's view of workers and runs.
//!
//! `running/` and `workers/` sort next to each other (nothing else starts with the letters
//! between them), so the master follows both with one watch. Workers follow only `workers/`
//! and read the runs a departed worker left behind when it leaves ([`members`]).
//!
//! A process that keeps metrics gives its connection an [`EtcdObserver`]
//! ([`Etcd::with_observer`]): it is told how long each request on the hot paths took (tick
//! claims and releases, run-now, registration, job reads and writes) and when a watch had to
//! be made again. This crate only reports; how it is counted is the process's business.

mod batch;
pub mod claims;
pub mod coordinator;
pub mod jobs;
pub mod lease;
pub mod members;
pub mod output;
pub mod registry;
pub mod signals;
pub mod watch;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use etcd_client::{Certificate, Client, ConnectOptions, Identity, TlsOptions};
use schedd_core::config::ClusterConfig;
use schedd_core::store::StoreError;

pub use jobs::EtcdJobStore;
pub use watch::{Change, KeyRange, WatchItem, follow, follow_from};

/// Where etcd is and how to reach it.
#[derive(Debug, Clone)]
pub struct EtcdOptions {
    /// `host:port`, `http://host:port` or `https://host:port`.
    pub endpoints: Vec<String>,
    /// Key prefix, without a trailing slash: `/cron`.
    pub prefix: String,
    /// How long connecting (and each request's first byte) may take (`etcdDialTimeout`).
    pub dial_timeout: Duration,
    pub username: Option<String>,
    pub password: Option<String>,
    /// TLS, for `https://` endpoints and for `host:port` ones when set.
    pub tls: Option<EtcdTls>,
}

/// How to reach etcd over TLS.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EtcdTls {
    /// The CA etcd's certificate must be signed by; the system's roots without one.
    pub ca: Option<PathBuf>,
    /// A client certificate and its key, for an etcd that asks for one.
    pub cert: Option<PathBuf>,
    pub key: Option<PathBuf>,
}

impl EtcdTls {
    /// The client TLS settings, the files read now: a missing or unreadable file is named.
    fn options(&self) -> Result<TlsOptions, StoreError> {
        let read = |what: &str, path: &PathBuf| {
            std::fs::read(path).map_err(|e| {
                StoreError::Unavailable(format!("etcd TLS: reading {what} {}: {e}", path.display()))
            })
        };
        let mut tls = TlsOptions::new().with_native_roots();
        if let Some(ca) = &self.ca {
            tls = tls.ca_certificate(Certificate::from_pem(read("etcdCa", ca)?));
        }
        if let (Some(cert), Some(key)) = (&self.cert, &self.key) {
            tls = tls.identity(Identity::from_pem(
                read("etcdCert", cert)?,
                read("etcdKey", key)?,
            ));
        }
        Ok(tls)
    }
}

impl EtcdOptions {
    pub fn new(endpoints: Vec<String>) -> EtcdOptions {
        EtcdOptions {
            endpoints,
            prefix: "/cron".into(),
            dial_timeout: Duration::from_secs(5),
            username: None,
            password: None,
            tls: None,
        }
    }
}

impl From<&ClusterConfig> for EtcdOptions {
    /// The etcd settings of a master's or worker's config (`etcd*` keys).
    fn from(cfg: &ClusterConfig) -> EtcdOptions {
        let secure = cfg.etcd_ca.is_some() || cfg.etcd_cert.is_some();
        EtcdOptions {
            endpoints: cfg.etcd_endpoints.clone(),
            prefix: cfg.etcd_prefix.clone(),
            dial_timeout: cfg.etcd_dial_timeout,
            username: cfg.etcd_username.clone(),
            password: cfg.etcd_password.clone(),
            tls: secure.then(|| EtcdTls {
                ca: cfg.etcd_ca.clone(),
                cert: cfg.etcd_cert.clone(),
                key: cfg.etcd_key.clone(),
            }),
        }
    }
}

/// Why a watch had to be made again (see [`EtcdObserver::watch_restarted`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchRestart {
    /// The connection or the stream broke, or etcd cancelled the watch: it resumes where it
    /// stopped once etcd answers. Counted once per interruption, not per attempt.
    Interrupted,
    /// The history the watch needed was compacted: the range is read again.
    Compacted,
}

impl WatchRestart {
    pub fn as_str(self) -> &'static str {
        match self {
            WatchRestart::Interrupted => "interrupted",
            WatchRestart::Compacted => "compacted",
        }
    }
}

/// The kinds of request reported to an [`EtcdObserver`].
pub const REQUEST_KINDS: &[&str] = &[
    "claim",
    "release",
    "take_run_now",
    "register",
    "heartbeat",
    "get",
    "list",
    "put",
    "delete",
];

/// Told of a process's etcd traffic, for its metrics. Called on the request path: an
/// implementation must be cheap and must not block.
pub trait EtcdObserver: Send + Sync + std::fmt::Debug {
    /// A request of kind `op` (one of [`REQUEST_KINDS`]) took `took`; `ok` is false when
    /// it failed.
    fn request(&self, op: &'static str, took: Duration, ok: bool);
    /// A watch ended and is made again.
    fn watch_restarted(&self, why: WatchRestart);
}

/// A connection to etcd and the key prefix everything lives under. Cheap to clone: clones
/// share the connection.
#[derive(Clone)]
pub struct Etcd {
    client: Client,
    prefix: String,
    endpoints: String,
    /// How it was reached, for [`Etcd::reconnect`].
    opts: Arc<EtcdOptions>,
    observer: Option<Arc<dyn EtcdObserver>>,
}

impl std::fmt::Debug for Etcd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Etcd")
            .field("endpoints", &self.endpoints)
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl Etcd {
    /// Connects and checks that etcd answers within the dial timeout, so a wrong endpoint
    /// fails at start with a clear message instead of at the first tick.
    pub async fn connect(opts: &EtcdOptions) -> Result<Etcd, StoreError> {
        let endpoints = opts.endpoints.join(",");
        if opts.endpoints.is_empty() {
            return Err(StoreError::Unavailable(
                "no etcd endpoints configured".into(),
            ));
        }
        let mut connect = ConnectOptions::new()
            .with_connect_timeout(opts.dial_timeout)
            .with_keep_alive(Duration::from_secs(10), opts.dial_timeout)
            .with_keep_alive_while_idle(true)
            // A member cut off from its cluster fails requests instead of serving stale data.
            .with_require_leader(true);
        if let (Some(user), Some(password)) = (&opts.username, &opts.password) {
            connect = connect.with_user(user.clone(), password.clone());
        }
        let https = opts.endpoints.iter().any(|e| e.starts_with("https://"));
        if https || opts.tls.is_some() {
            // Plain `host:port` endpoints are reached over TLS once it is set.
            connect = connect.with_tls(opts.tls.clone().unwrap_or_default().options()?);
        }
        let unreachable = |e: &dyn std::fmt::Display| {
            StoreError::Unavailable(format!("etcd at {endpoints}: {e}"))
        };
        let mut client = tokio::time::timeout(
            opts.dial_timeout,
            Client::connect(&opts.endpoints, Some(connect)),
        )
        .await
        .map_err(|_| unreachable(&"no answer within the dial timeout"))?
        .map_err(|e| unreachable(&e))?;
        tokio::time::timeout(opts.dial_timeout, client.status())
            .await
            .map_err(|_| unreachable(&"no answer within the dial timeout"))?
            .map_err(|e| unreachable(&e))?;
        Ok(Etcd {
            client,
            prefix: opts.prefix.trim_end_matches('/').to_owned(),
            endpoints,
            opts: Arc::new(opts.clone()),
            observer: None,
        })
    }

    /// A connection of its own to the same etcd, on the current tokio runtime: for traffic
    /// that must not queue behind everything else (the lease's keep-alives). Reports to the
    /// same observer.
    pub async fn reconnect(&self) -> Result<Etcd, StoreError> {
        let mut etcd = Etcd::connect(&self.opts).await?;
        etcd.observer = self.observer.clone();
        Ok(etcd)
    }

    /// This connection, reporting its requests and watch restarts to `observer`; clones made
    /// from it afterwards report too.
    pub fn with_observer(mut self, observer: Arc<dyn EtcdObserver>) -> Etcd {
        self.observer = Some(observer);
        self
    }

    pub(crate) fn observer(&self) -> Option<&Arc<dyn EtcdObserver>> {
        self.observer.as_ref()
    }

    /// Runs the request `call` and reports it to the observer as `op`.
    pub(crate) async fn timed<T>(
        &self,
        op: &'static str,
        call: impl Future<Output = Result<T, etcd_client::Error>>,
    ) -> Result<T, etcd_client::Error> {
        let Some(observer) = &self.observer else {
            return call.await;
        };
        let started = Instant::now();
        let result = call.await;
        observer.request(op, started.elapsed(), result.is_ok());
        result
    }

    /// A handle on the shared connection.
    pub fn client(&self) -> Client {
        self.client.clone()
    }

    /// The full key of `rest` (`jobs/x` becomes `/cron/jobs/x`).
    pub fn key(&self, rest: &str) -> String {
        format!("{}/{rest}", self.prefix)
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Maps an etcd client error to a store error naming the endpoints.
    pub fn error(&self, e: etcd_client::Error) -> StoreError {
        self.error_ref(&e)
    }

    /// [`Etcd::error`] of a borrowed error, for answering several callers with one.
    pub fn error_ref(&self, e: &etcd_client::Error) -> StoreError {
        StoreError::Unavailable(format!("etcd at {}: {e}", self.endpoints))
    }
}

/// Deletes every key under the prefix; for tests and benchmarks that share one etcd.
pub async fn wipe(etcd: &Etcd) -> Result<(), StoreError> {
    etcd.client()
        .delete(
            format!("{}/", etcd.prefix()),
            Some(etcd_client::DeleteOptions::new().with_prefix()),
        )
        .await
        .map(|_| ())
        .map_err(|e| etcd.error(e))
}

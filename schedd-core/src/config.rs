//! The config of a cluster process (`schedd-master --config master.json`,
//! `schedd-worker --config worker.json`): the old system's JSON keys and their environment
//! overrides, plus schedd's own keys, resolved in one place with the precedence
//! **flag > environment > file > default**.
//!
//! Everything here is pure: the caller reads the file and hands over its text, and passes the
//! environment as a lookup function, so every rule is unit-tested without touching the
//! process. The three layers share one shape, [`Overrides`] (what a layer sets, and nothing
//! else); [`ClusterConfig::resolve`] lays them over the defaults in order and validates the
//! result once, so a bad value in the file that a flag replaces is never reported.
//!
//! | key (file) | environment | default | unit |
//! | --- | --- | --- | --- |
//! | `etcdEndpoints` | `ETCD_ENDPOINTS` (`a,b`) | `["127.0.0.1:2379"]` | |
//! | `etcdDialTimeout` | `ETCD_DIAL_TIMEOUT` | 5000 | ms |
//! | `etcdPrefix` | `ETCD_PREFIX` | `/cron` | |
//! | `etcdUsername`, `etcdPassword` | `ETCD_USERNAME`, `ETCD_PASSWORD` | none | |
//! | `etcdCa` | `ETCD_CA` | the system's roots, for `https://` endpoints | |
//! | `etcdCert`, `etcdKey` | `ETCD_CERT`, `ETCD_KEY` | none: no client certificate | |
//! | `workerId` | `WORKER_ID` | empty: the worker uses its host name | |
//! | `heartbeatInterval` | `HEARTBEAT_INTERVAL` | 3000 | ms |
//! | `logBatchSize` | `LOG_BATCH_SIZE` | 50 | records |
//! | `logCommitTimeout` | `LOG_COMMIT_TIMEOUT` | 2000 | ms |
//! | `executorThreads` | `EXECUTOR_THREADS` | 5 | |
//! | `maxWaitingRuns` | `MAX_WAITING_RUNS` | 16 per executor thread, at least 1,024 | runs |
//! | `jobLockTtl` | `JOB_LOCK_TTL` | 10 (2 to 3,600) | s |
//! | `apiPort` | `API_PORT` | 8070 | |
//! | `mongoUri` | `MONGO_URI` | none: records go to the master | |
//! | `mongoConnectTimeout` | `MONGO_CONNECT_TIMEOUT` | 3000 | ms |
//! | `labels` | `WORKER_LABELS` (`k=v,k2=v2`) | none | |
//! | `timezone` | `SCHEDD_TIMEZONE` | `UTC` | |
//! | `dataDir` | `SCHEDD_DATA_DIR` | `schedd-data` | |
//! | `spoolDir` | `SCHEDD_SPOOL_DIR` | `<dataDir>/spool-<workerId>` | |
//! | `listen` | `SCHEDD_LISTEN` | `127.0.0.1:<apiPort>` | |
//! | `address` | `WORKER_ADDRESS` | none | |
//! | `apiToken` | `SCHEDD_API_TOKEN` | none | |
//! | `advertise` | `SCHEDD_ADVERTISE` | the listener's address, or the host's primary address for a wildcard | |
//! | `tlsCert`, `tlsKey` | `SCHEDD_TLS_CERT`, `SCHEDD_TLS_KEY` | none: plain text | |
//! | `tlsClientCa` | `SCHEDD_TLS_CLIENT_CA` | none: no client certificates | |
//! | `masterCa` | `SCHEDD_MASTER_CA` | the system's roots | |
//! | `logRetentionDays` | `LOG_RETENTION_DAYS` | keep forever | days |
//! | `logKeepPerJob` | `LOG_KEEP_PER_JOB` | keep all | records |
//! | `metricsListen` | `SCHEDD_METRICS_LISTEN` | none: no metrics listener | |
//! | `drainTimeout` | `SCHEDD_DRAIN_TIMEOUT` | 30000 | ms |
//! | `auditRetentionDays` | `AUDIT_RETENTION_DAYS` | 365 | days |
//! | `workerForgetAfter` | `WORKER_FORGET_AFTER` | 86400 (a day) | s |
//! | `notify` | `SCHEDD_NOTIFY` (URLs, `a,b`: each a webhook of the default events) | none | a list of webhooks |
//!
//! The variables of `timezone`, `dataDir`, `spoolDir` and `listen` carry the `SCHEDD_` prefix
//! because `schedd-master --dev` already reads them under those names; one name per setting
//! keeps both modes alike, and bare `TIMEZONE` or `DATA_DIR` are too generic to claim.
//!
//! An empty environment variable (or file string) for an optional string key (`mongoUri`,
//! `etcdUsername`, `etcdPassword`, `spoolDir`, `address`, `apiToken`, `advertise`) clears it: `MONGO_URI=` sends the
//! records of a worker whose file names a MongoDB to the master instead. `labels` from a
//! higher layer replace the lower layer's labels as a whole.
//!
//! `listen` and `apiPort` describe one address: setting `listen` also sets `apiPort` to its
//! port, and a layer that sets only `apiPort` moves a `listen` from a lower layer to that port
//! (`API_PORT=9000` over a file's `"listen": "0.0.0.0:8070"` listens on `0.0.0.0:9000`). One
//! layer that sets both to different ports is an error.

use std::collections::BTreeMap;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::notify::Webhook;
use crate::schedule::{ScheduleError, parse_timezone};
use crate::store::Retention;

/// `etcdEndpoints` when nothing names one.
pub const DEFAULT_ETCD_ENDPOINT: &str = "127.0.0.1:2379";
pub const DEFAULT_ETCD_DIAL_TIMEOUT: Duration = Duration::from_millis(5000);
/// The old system's key prefix.
pub const DEFAULT_ETCD_PREFIX: &str = "/cron";
pub const DEFAULT_HEARTBEAT_INTERVAL: Duration = Duration::from_millis(3000);
pub const DEFAULT_LOG_BATCH_SIZE: usize = 50;
pub const DEFAULT_LOG_COMMIT_TIMEOUT: Duration = Duration::from_millis(2000);
/// How long a stopping worker lets running executions finish before it kills them.
pub const DEFAULT_DRAIN_TIMEOUT: Duration = Duration::from_secs(30);
/// How long the audit trail is kept when the config says nothing.
pub const DEFAULT_AUDIT_RETENTION_DAYS: u32 = 365;
/// The longest audit retention: a century.
pub const MAX_AUDIT_RETENTION_DAYS: u32 = 36_500;
/// How long a master keeps showing a worker whose registration is gone.
pub const DEFAULT_WORKER_FORGET_AFTER: Duration = Duration::from_secs(24 * 3600);
/// `workerForgetAfter` runs from this ...
pub const MIN_WORKER_FORGET_AFTER: Duration = Duration::from_secs(60);
/// ... to this: a year.
pub const MAX_WORKER_FORGET_AFTER: Duration = Duration::from_secs(365 * 24 * 3600);
pub const DEFAULT_EXECUTOR_THREADS: usize = 5;
/// The most `maxWaitingRuns` may be: a million waiting runs is already far more than a worker
/// could ever catch up on.
pub const MAX_WAITING_RUNS: usize = 1_000_000;
pub const DEFAULT_JOB_LOCK_TTL: Duration = Duration::from_secs(10);
pub const DEFAULT_API_PORT: u16 = 8070;
pub const DEFAULT_MONGO_CONNECT_TIMEOUT: Duration = Duration::from_millis(3000);
pub const DEFAULT_TIMEZONE: &str = "UTC";
/// Where the master keeps its SQLite log store (and `--dev` everything).
pub const DEFAULT_DATA_DIR: &str = "schedd-data";

/// The longest `workerId`: it is part of etcd keys and of every record the worker writes.
pub const MAX_WORKER_ID_LEN: usize = 128;
/// `logBatchSize` runs from 1 to this.
pub const MAX_LOG_BATCH_SIZE: usize = 10_000;
/// The shortest `heartbeatInterval`: below it a cluster spends its time renewing leases.
pub const MIN_HEARTBEAT_INTERVAL: Duration = Duration::from_millis(100);
/// The shortest `jobLockTtl`: etcd leases are whole seconds, and one second leaves a lock no
/// time to be renewed.
pub const MIN_JOB_LOCK_TTL: Duration = Duration::from_secs(2);
/// The longest `jobLockTtl`: a worker that dies keeps its locks and registration this long,
/// and its runs are recorded `lost` only after it; past an hour a dead worker would hold its
/// `forbid` jobs for longer than anyone would wait.
pub const MAX_JOB_LOCK_TTL: Duration = Duration::from_secs(3600);

const MS: &str = "a whole number of milliseconds";
const SECS: &str = "a whole number of seconds";
const WHOLE: &str = "a whole number";
const STRING: &str = "a string";

/// The resolved config of a master or a worker. Each process uses the keys that concern it
/// and ignores the rest, so one file can serve both.
#[derive(Clone, PartialEq, Eq)]
pub struct ClusterConfig {
    /// `etcdEndpoints`: `host:port` or `http://host:port`.
    pub etcd_endpoints: Vec<String>,
    /// `etcdDialTimeout` (ms in the file).
    pub etcd_dial_timeout: Duration,
    /// `etcdPrefix`: every key lives under it; starts with `/`, no trailing `/`.
    pub etcd_prefix: String,
    /// `etcdUsername`; set together with `etcdPassword`.
    pub etcd_username: Option<String>,
    /// `etcdPassword`; redacted in `Debug`.
    pub etcd_password: Option<String>,
    /// `etcdCa`: the CA etcd's certificate is checked against; setting it (or a client
    /// certificate) makes `host:port` endpoints `https://`.
    pub etcd_ca: Option<PathBuf>,
    /// `etcdCert`: the client certificate presented to etcd (`--client-cert-auth`).
    pub etcd_cert: Option<PathBuf>,
    /// `etcdKey`: its private key.
    pub etcd_key: Option<PathBuf>,
    /// `workerId`; empty means "the host name", which the worker fills in.
    pub worker_id: String,
    /// `heartbeatInterval` (ms in the file).
    pub heartbeat_interval: Duration,
    /// `logBatchSize`: most records written to the log store at once.
    pub log_batch_size: usize,
    /// `logCommitTimeout` (ms in the file): how long a partial batch waits for more records.
    pub log_commit_timeout: Duration,
    /// `executorThreads`: how many executions a worker runs at once.
    pub executor_threads: usize,
    /// `maxWaitingRuns`: how many runs may wait for an executor slot; a tick beyond them is
    /// recorded `skipped` (capacity). `None`: 16 per executor thread, at least 1,024.
    pub max_waiting_runs: Option<usize>,
    /// `jobLockTtl` (seconds in the file): the lease of a worker's locks and registration.
    pub job_lock_ttl: Duration,
    /// `apiPort`: the port of the master's API; always the port of `listen` when that is set.
    pub api_port: u16,
    /// `mongoUri`: where execution records go; without it they go to the master, which keeps
    /// them in SQLite under `dataDir`. Credentials in it are redacted in `Debug`.
    pub mongo_uri: Option<String>,
    /// `mongoConnectTimeout` (ms in the file).
    pub mongo_connect_timeout: Duration,
    /// `labels`: a worker's labels, matched by job selectors.
    pub labels: BTreeMap<String, String>,
    /// `notify`: the webhooks of the jobs that name none (a worker's).
    pub notify: Vec<Webhook>,
    /// `timezone`: the IANA zone of jobs that name none.
    pub timezone: String,
    /// `dataDir`: the master's own store when there is no `mongoUri`, and the parent of a
    /// worker's default spool.
    pub data_dir: PathBuf,
    /// `spoolDir`: where a worker's finished records wait for the log store; see
    /// [`ClusterConfig::worker_spool_dir`].
    pub spool_dir: Option<PathBuf>,
    /// `listen`: the master's API address; see [`ClusterConfig::listen_addr`].
    pub listen: Option<SocketAddr>,
    /// `address`: the address a worker advertises in its registration.
    pub address: Option<String>,
    /// `apiToken`: the bearer token a worker presents to masters (a token of role `worker`)
    /// when it sends records and live output; redacted in `Debug`.
    pub api_token: Option<String>,
    /// `advertise`: the `host:port` a master registers for workers to reach it at.
    pub advertise: Option<String>,
    /// `tlsCert`, `tlsKey`: PEM files. A master serves TLS with them; a worker presents them
    /// as its client certificate to masters that ask for one.
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// `tlsClientCa`: a master asks every caller for a client certificate signed by it.
    pub tls_client_ca: Option<PathBuf>,
    /// `masterCa`: the CA a worker trusts for masters reached over `https://` (by default
    /// the system's roots).
    pub master_ca: Option<PathBuf>,
    /// `logRetentionDays`: records older than this are deleted; `None` keeps them.
    pub log_retention_days: Option<u32>,
    /// `logKeepPerJob`: only this many of each job's newest records are kept; `None` keeps all.
    pub log_keep_per_job: Option<u32>,
    /// `metricsListen`: where a worker serves `/metrics` and `/healthz`; `None` serves
    /// nothing. (A master serves them on its API listener.)
    pub metrics_listen: Option<SocketAddr>,
    /// `drainTimeout` (ms in the file): on SIGTERM a worker stops claiming and lets running
    /// executions finish for this long, then kills those still going.
    pub drain_timeout: Duration,
    /// `auditRetentionDays`: audit entries older than this are deleted.
    pub audit_retention_days: u32,
    /// `workerForgetAfter` (seconds in the file): a master stops showing a worker whose
    /// registration is gone once its last heartbeat is this old, and forgets it this long
    /// after it saw it go.
    pub worker_forget_after: Duration,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            etcd_endpoints: vec![DEFAULT_ETCD_ENDPOINT.to_owned()],
            etcd_dial_timeout: DEFAULT_ETCD_DIAL_TIMEOUT,
            etcd_prefix: DEFAULT_ETCD_PREFIX.to_owned(),
            etcd_username: None,
            etcd_password: None,
            etcd_ca: None,
            etcd_cert: None,
            etcd_key: None,
            worker_id: String::new(),
            heartbeat_interval: DEFAULT_HEARTBEAT_INTERVAL,
            log_batch_size: DEFAULT_LOG_BATCH_SIZE,
            log_commit_timeout: DEFAULT_LOG_COMMIT_TIMEOUT,
            executor_threads: DEFAULT_EXECUTOR_THREADS,
            max_waiting_runs: None,
            job_lock_ttl: DEFAULT_JOB_LOCK_TTL,
            api_port: DEFAULT_API_PORT,
            mongo_uri: None,
            mongo_connect_timeout: DEFAULT_MONGO_CONNECT_TIMEOUT,
            labels: BTreeMap::new(),
            notify: Vec::new(),
            timezone: DEFAULT_TIMEZONE.to_owned(),
            data_dir: PathBuf::from(DEFAULT_DATA_DIR),
            spool_dir: None,
            listen: None,
            address: None,
            api_token: None,
            advertise: None,
            tls_cert: None,
            tls_key: None,
            tls_client_ca: None,
            master_ca: None,
            log_retention_days: None,
            log_keep_per_job: None,
            metrics_listen: None,
            drain_timeout: DEFAULT_DRAIN_TIMEOUT,
            audit_retention_days: DEFAULT_AUDIT_RETENTION_DAYS,
            worker_forget_after: DEFAULT_WORKER_FORGET_AFTER,
        }
    }
}

/// `Debug` for a config struct with the cluster keys: every field, with the etcd password
/// and the credentials in the MongoDB URI redacted. Both [`ClusterConfig`] and [`Overrides`]
/// have these fields (plain, or as `Option`s).
/// Webhooks as `Debug` shows them: their URLs, secrets hidden.
trait ShownHooks {
    fn shown(&self) -> Vec<String>;
}

impl ShownHooks for Vec<Webhook> {
    fn shown(&self) -> Vec<String> {
        self.iter()
            .map(|w| crate::http::redact_url(&w.url))
            .collect()
    }
}

impl ShownHooks for Option<Vec<Webhook>> {
    fn shown(&self) -> Vec<String> {
        self.as_ref().map(ShownHooks::shown).unwrap_or_default()
    }
}

macro_rules! redacting_debug {
    ($type:ident) => {
        impl fmt::Debug for $type {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($type))
                    .field("etcd_endpoints", &self.etcd_endpoints)
                    .field("etcd_dial_timeout", &self.etcd_dial_timeout)
                    .field("etcd_prefix", &self.etcd_prefix)
                    .field("etcd_username", &self.etcd_username)
                    .field(
                        "etcd_password",
                        &self.etcd_password.as_ref().map(|_| REDACTED),
                    )
                    .field("etcd_ca", &self.etcd_ca)
                    .field("etcd_cert", &self.etcd_cert)
                    .field("etcd_key", &self.etcd_key)
                    .field("worker_id", &self.worker_id)
                    .field("heartbeat_interval", &self.heartbeat_interval)
                    .field("log_batch_size", &self.log_batch_size)
                    .field("log_commit_timeout", &self.log_commit_timeout)
                    .field("executor_threads", &self.executor_threads)
                    .field("max_waiting_runs", &self.max_waiting_runs)
                    .field("job_lock_ttl", &self.job_lock_ttl)
                    .field("api_port", &self.api_port)
                    .field("mongo_uri", &self.mongo_uri.as_deref().map(redact_uri))
                    .field("mongo_connect_timeout", &self.mongo_connect_timeout)
                    .field("labels", &self.labels)
                    .field("notify", &self.notify.shown())
                    .field("timezone", &self.timezone)
                    .field("data_dir", &self.data_dir)
                    .field("spool_dir", &self.spool_dir)
                    .field("listen", &self.listen)
                    .field("address", &self.address)
                    .field("api_token", &self.api_token.as_ref().map(|_| REDACTED))
                    .field("advertise", &self.advertise)
                    .field("tls_cert", &self.tls_cert)
                    .field("tls_key", &self.tls_key)
                    .field("tls_client_ca", &self.tls_client_ca)
                    .field("master_ca", &self.master_ca)
                    .field("log_retention_days", &self.log_retention_days)
                    .field("log_keep_per_job", &self.log_keep_per_job)
                    .field("metrics_listen", &self.metrics_listen)
                    .field("drain_timeout", &self.drain_timeout)
                    .field("audit_retention_days", &self.audit_retention_days)
                    .field("worker_forget_after", &self.worker_forget_after)
                    .finish()
            }
        }
    };
}

redacting_debug!(ClusterConfig);

impl ClusterConfig {
    /// The config from a file (its path, for messages, and its text) and the environment,
    /// validated. Equivalent to [`ClusterConfig::resolve`] without flags.
    pub fn from_sources(
        file: Option<(&Path, &str)>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<ClusterConfig, ConfigError> {
        ClusterConfig::resolve(file, env, &Overrides::default())
    }

    /// The config from all three layers: the defaults, then the file, then the environment,
    /// then `flags`; validated once at the end.
    pub fn resolve(
        file: Option<(&Path, &str)>,
        env: &dyn Fn(&str) -> Option<String>,
        flags: &Overrides,
    ) -> Result<ClusterConfig, ConfigError> {
        let mut cfg = ClusterConfig::default();
        if let Some((path, text)) = file {
            cfg.merge(
                &Overrides::from_file(path, text)?,
                &path.display().to_string(),
            )?;
        }
        cfg.merge(&Overrides::from_env(env)?, "the environment")?;
        cfg.merge(flags, "the command line")?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// Lays `overrides` over this config and validates the result; on an error the config
    /// is unchanged.
    pub fn apply(&mut self, overrides: &Overrides) -> Result<(), ConfigError> {
        let mut next = self.clone();
        next.merge(overrides, "the command line")?;
        next.validate()?;
        *self = next;
        Ok(())
    }

    /// The master's API address: `listen`, or the loopback address on `apiPort`.
    pub fn listen_addr(&self) -> SocketAddr {
        self.listen.unwrap_or(SocketAddr::new(
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            self.api_port,
        ))
    }

    /// Where the worker `worker_id` spools its records: `spoolDir`, or
    /// `<dataDir>/spool-<workerId>`. The id keeps workers that share a directory (several
    /// on one host, or one beside a `--dev` master, whose spool is `<dataDir>/spool`) from
    /// sharing a spool.
    pub fn worker_spool_dir(&self, worker_id: &str) -> PathBuf {
        self.spool_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join(format!("spool-{worker_id}")))
    }

    /// The default time zone of jobs; always `Ok` for a validated config.
    pub fn default_tz(&self) -> Result<chrono_tz::Tz, ScheduleError> {
        parse_timezone(&self.timezone)
    }

    /// The log store's retention (`logRetentionDays`, `logKeepPerJob`).
    pub fn retention(&self) -> Retention {
        Retention {
            max_age_days: self.log_retention_days,
            keep_per_job: self.log_keep_per_job,
        }
    }

    /// Checks every rule a process relies on; the message names the key.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |key: &'static str, reason: String| Err(ConfigError::Invalid { key, reason });

        if self.etcd_endpoints.is_empty() {
            return invalid("etcdEndpoints", "must name at least one endpoint".into());
        }
        for e in &self.etcd_endpoints {
            if e.trim().is_empty() {
                return invalid("etcdEndpoints", "has an empty endpoint".into());
            }
            if e.contains(char::is_whitespace) {
                return invalid(
                    "etcdEndpoints",
                    format!("endpoint `{e}` contains whitespace"),
                );
            }
        }
        if self.etcd_dial_timeout.is_zero() {
            return invalid("etcdDialTimeout", "must be at least 1 ms".into());
        }
        if self.etcd_cert.is_some() != self.etcd_key.is_some() {
            return invalid(
                "etcdCert",
                "etcdCert and etcdKey go together: set both or neither".into(),
            );
        }
        let secure = self.etcd_ca.is_some() || self.etcd_cert.is_some();
        let https = self
            .etcd_endpoints
            .iter()
            .filter(|e| e.starts_with("https://"))
            .count();
        if https > 0 && https < self.etcd_endpoints.len() {
            return invalid(
                "etcdEndpoints",
                "mixes https:// and plain endpoints: one cluster speaks one of them".into(),
            );
        }
        if secure && self.etcd_endpoints.iter().any(|e| e.starts_with("http://")) {
            return invalid(
                "etcdEndpoints",
                "are http:// but etcdCa or etcdCert is set: use https:// (or host:port)".into(),
            );
        }
        if self.tls_cert.is_some() != self.tls_key.is_some() {
            return invalid(
                "tlsCert",
                "tlsCert and tlsKey go together: set both or neither".into(),
            );
        }
        if self.tls_client_ca.is_some() && self.tls_cert.is_none() {
            return invalid(
                "tlsClientCa",
                "needs tlsCert and tlsKey: client certificates are asked for over TLS".into(),
            );
        }
        let prefix = &self.etcd_prefix;
        if !prefix.starts_with('/') || prefix.ends_with('/') || prefix.contains(char::is_whitespace)
        {
            return invalid(
                "etcdPrefix",
                format!(
                    "must start with `/`, not end with one and hold no spaces, like `{DEFAULT_ETCD_PREFIX}` (got `{prefix}`)"
                ),
            );
        }
        match (&self.etcd_username, &self.etcd_password) {
            (Some(_), None) => {
                return invalid("etcdUsername", "is set but `etcdPassword` is not".into());
            }
            (None, Some(_)) => {
                return invalid("etcdPassword", "is set but `etcdUsername` is not".into());
            }
            _ => {}
        }
        if self.worker_id.len() > MAX_WORKER_ID_LEN {
            return invalid(
                "workerId",
                format!(
                    "must be at most {MAX_WORKER_ID_LEN} bytes (got {})",
                    self.worker_id.len()
                ),
            );
        }
        if self
            .worker_id
            .contains(|c: char| c == '/' || c.is_whitespace() || c.is_control())
        {
            return invalid(
                "workerId",
                format!(
                    "must not contain `/`, spaces or control characters (got {:?})",
                    self.worker_id
                ),
            );
        }
        if self.heartbeat_interval < MIN_HEARTBEAT_INTERVAL {
            return invalid(
                "heartbeatInterval",
                format!(
                    "must be at least {} ms (got {} ms)",
                    MIN_HEARTBEAT_INTERVAL.as_millis(),
                    self.heartbeat_interval.as_millis()
                ),
            );
        }
        if !(1..=MAX_LOG_BATCH_SIZE).contains(&self.log_batch_size) {
            return invalid(
                "logBatchSize",
                format!(
                    "must be from 1 to {MAX_LOG_BATCH_SIZE} (got {})",
                    self.log_batch_size
                ),
            );
        }
        if self.executor_threads == 0 {
            return invalid("executorThreads", "must be at least 1 (got 0)".into());
        }
        if let Some(n) = self.max_waiting_runs
            && !(1..=MAX_WAITING_RUNS).contains(&n)
        {
            return invalid(
                "maxWaitingRuns",
                format!("must be from 1 to {MAX_WAITING_RUNS} (got {n})"),
            );
        }
        if !(MIN_JOB_LOCK_TTL..=MAX_JOB_LOCK_TTL).contains(&self.job_lock_ttl) {
            return invalid(
                "jobLockTtl",
                format!(
                    "must be from {} to {} s (got {})",
                    MIN_JOB_LOCK_TTL.as_secs(),
                    MAX_JOB_LOCK_TTL.as_secs(),
                    seconds(self.job_lock_ttl)
                ),
            );
        }
        if self.job_lock_ttl <= self.heartbeat_interval {
            return invalid(
                "jobLockTtl",
                format!(
                    "({}) must be longer than `heartbeatInterval` ({} ms), or locks expire between heartbeats",
                    seconds(self.job_lock_ttl),
                    self.heartbeat_interval.as_millis()
                ),
            );
        }
        if let Some(uri) = &self.mongo_uri
            && !(uri.starts_with("mongodb://") || uri.starts_with("mongodb+srv://"))
        {
            return invalid(
                "mongoUri",
                format!(
                    "must start with `mongodb://` or `mongodb+srv://` (got `{}`)",
                    redact_uri(uri)
                ),
            );
        }
        if self.mongo_connect_timeout.is_zero() {
            return invalid("mongoConnectTimeout", "must be at least 1 ms".into());
        }
        for (k, v) in &self.labels {
            check_label(k, v).or_else(|reason| invalid("labels", reason))?;
        }
        if let Err(reason) = crate::notify::validate_webhooks("notify", &self.notify) {
            return invalid("notify", reason);
        }
        if let Err(e) = parse_timezone(&self.timezone) {
            return invalid("timezone", format!("is not valid: {e}"));
        }
        if self.data_dir.as_os_str().is_empty() {
            return invalid("dataDir", "must not be empty".into());
        }
        if self.log_retention_days == Some(0) {
            return invalid(
                "logRetentionDays",
                "must be at least 1 (leave it out to keep records forever)".into(),
            );
        }
        if !(1..=MAX_AUDIT_RETENTION_DAYS).contains(&self.audit_retention_days) {
            return invalid(
                "auditRetentionDays",
                format!(
                    "must be from 1 to {MAX_AUDIT_RETENTION_DAYS} (a century), got {}",
                    self.audit_retention_days
                ),
            );
        }
        if !(MIN_WORKER_FORGET_AFTER..=MAX_WORKER_FORGET_AFTER).contains(&self.worker_forget_after)
        {
            return invalid(
                "workerForgetAfter",
                format!(
                    "must be from {} to {} (a year), got {}",
                    seconds(MIN_WORKER_FORGET_AFTER),
                    seconds(MAX_WORKER_FORGET_AFTER),
                    seconds(self.worker_forget_after)
                ),
            );
        }
        if self.log_keep_per_job == Some(0) {
            return invalid(
                "logKeepPerJob",
                "must be at least 1 (leave it out to keep every record)".into(),
            );
        }
        Ok(())
    }

    /// Lays one layer over this config, without validating. `layer` names it in messages.
    fn merge(&mut self, o: &Overrides, layer: &str) -> Result<(), ConfigError> {
        // Checked first so that an error leaves the config as it was.
        if let (Some(listen), Some(api_port)) = (o.listen, o.api_port)
            && listen.port() != api_port
        {
            return Err(ConfigError::PortConflict {
                layer: layer.to_owned(),
                listen,
                api_port,
            });
        }
        set(&mut self.etcd_endpoints, &o.etcd_endpoints);
        set(&mut self.etcd_dial_timeout, &o.etcd_dial_timeout);
        set(&mut self.etcd_prefix, &o.etcd_prefix);
        set_optional(&mut self.etcd_username, &o.etcd_username);
        set_optional(&mut self.etcd_password, &o.etcd_password);
        set(&mut self.worker_id, &o.worker_id);
        set(&mut self.heartbeat_interval, &o.heartbeat_interval);
        set(&mut self.log_batch_size, &o.log_batch_size);
        set(&mut self.log_commit_timeout, &o.log_commit_timeout);
        set(&mut self.executor_threads, &o.executor_threads);
        set(&mut self.job_lock_ttl, &o.job_lock_ttl);
        set_optional(&mut self.mongo_uri, &o.mongo_uri);
        set(&mut self.mongo_connect_timeout, &o.mongo_connect_timeout);
        set(&mut self.labels, &o.labels);
        set(&mut self.notify, &o.notify);
        set(&mut self.timezone, &o.timezone);
        set(&mut self.data_dir, &o.data_dir);
        if let Some(dir) = &o.spool_dir {
            self.spool_dir = (!dir.as_os_str().is_empty()).then(|| dir.clone());
        }
        set_optional(&mut self.address, &o.address);
        set_optional(&mut self.api_token, &o.api_token);
        set_optional(&mut self.advertise, &o.advertise);
        for (field, value) in [
            (&mut self.etcd_ca, &o.etcd_ca),
            (&mut self.etcd_cert, &o.etcd_cert),
            (&mut self.etcd_key, &o.etcd_key),
            (&mut self.tls_cert, &o.tls_cert),
            (&mut self.tls_key, &o.tls_key),
            (&mut self.tls_client_ca, &o.tls_client_ca),
            (&mut self.master_ca, &o.master_ca),
        ] {
            if let Some(path) = value {
                *field = (!path.as_os_str().is_empty()).then(|| path.clone());
            }
        }
        if o.log_retention_days.is_some() {
            self.log_retention_days = o.log_retention_days;
        }
        if o.max_waiting_runs.is_some() {
            self.max_waiting_runs = o.max_waiting_runs;
        }
        if o.log_keep_per_job.is_some() {
            self.log_keep_per_job = o.log_keep_per_job;
        }
        set(&mut self.drain_timeout, &o.drain_timeout);
        set(&mut self.audit_retention_days, &o.audit_retention_days);
        set(&mut self.worker_forget_after, &o.worker_forget_after);
        if o.metrics_listen.is_some() {
            self.metrics_listen = o.metrics_listen;
        }
        match (o.listen, o.api_port) {
            (Some(listen), _) => {
                self.listen = Some(listen);
                self.api_port = listen.port();
            }
            (None, Some(port)) => {
                self.api_port = port;
                if let Some(listen) = &mut self.listen {
                    listen.set_port(port);
                }
            }
            (None, None) => {}
        }
        Ok(())
    }
}

fn set<T: Clone>(field: &mut T, value: &Option<T>) {
    if let Some(v) = value {
        *field = v.clone();
    }
}

/// An empty string clears an optional key.
fn set_optional(field: &mut Option<String>, value: &Option<String>) {
    if let Some(v) = value {
        *field = (!v.is_empty()).then(|| v.clone());
    }
}

fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

const REDACTED: &str = "<redacted>";

/// `uri` with the password of its user info replaced, for logs and messages:
/// `mongodb://app:<redacted>@db:27017/?tls=true`.
pub fn redact_uri(uri: &str) -> String {
    let Some(scheme_end) = uri.find("://").map(|i| i + 3) else {
        return uri.to_owned();
    };
    let rest = &uri[scheme_end..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return uri.to_owned();
    };
    let Some((user, _password)) = authority[..at].split_once(':') else {
        return uri.to_owned();
    };
    format!("{}{user}:{REDACTED}{}", &uri[..scheme_end], &rest[at..])
}

/// One `--label`/`WORKER_LABELS` item, `key=value` (the value may hold further `=`).
pub fn parse_label(item: &str) -> Result<(String, String), String> {
    let Some((k, v)) = item.split_once('=') else {
        return Err(format!("`{item}` is not `key=value`"));
    };
    let (k, v) = (k.trim(), v.trim());
    check_label(k, v)?;
    Ok((k.to_owned(), v.to_owned()))
}

/// `WORKER_LABELS`: `k=v,k2=v2`; empty means no labels.
pub fn parse_labels(text: &str) -> Result<BTreeMap<String, String>, String> {
    text.split(',')
        .filter(|item| !item.trim().is_empty())
        .map(parse_label)
        .collect()
}

fn check_label(key: &str, value: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err(format!("label `{key}={value}` has an empty key"));
    }
    if value.is_empty() {
        return Err(format!("label `{key}` has an empty value"));
    }
    if key.contains([',', '=']) {
        return Err(format!("label key `{key}` must not contain `,` or `=`"));
    }
    Ok(())
}

/// What one layer (the file, the environment or the flags) sets; `None` leaves the lower
/// layer's value. For the optional string keys (`mongo_uri`, `etcd_username`,
/// `etcd_password`, `address`, `spool_dir`) `Some("")` clears the value.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub etcd_endpoints: Option<Vec<String>>,
    pub etcd_dial_timeout: Option<Duration>,
    pub etcd_prefix: Option<String>,
    pub etcd_username: Option<String>,
    pub etcd_password: Option<String>,
    pub etcd_ca: Option<PathBuf>,
    pub etcd_cert: Option<PathBuf>,
    pub etcd_key: Option<PathBuf>,
    pub worker_id: Option<String>,
    pub heartbeat_interval: Option<Duration>,
    pub log_batch_size: Option<usize>,
    pub log_commit_timeout: Option<Duration>,
    pub executor_threads: Option<usize>,
    pub max_waiting_runs: Option<usize>,
    pub job_lock_ttl: Option<Duration>,
    pub api_port: Option<u16>,
    pub mongo_uri: Option<String>,
    pub mongo_connect_timeout: Option<Duration>,
    /// Replaces the lower layer's labels as a whole.
    pub labels: Option<BTreeMap<String, String>>,
    /// Replaces the lower layer's webhooks as a whole.
    pub notify: Option<Vec<Webhook>>,
    pub timezone: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub spool_dir: Option<PathBuf>,
    pub listen: Option<SocketAddr>,
    pub address: Option<String>,
    pub api_token: Option<String>,
    pub advertise: Option<String>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    pub tls_client_ca: Option<PathBuf>,
    pub master_ca: Option<PathBuf>,
    pub log_retention_days: Option<u32>,
    pub log_keep_per_job: Option<u32>,
    pub metrics_listen: Option<SocketAddr>,
    pub drain_timeout: Option<Duration>,
    pub audit_retention_days: Option<u32>,
    pub worker_forget_after: Option<Duration>,
}

redacting_debug!(Overrides);

impl Overrides {
    /// What the config file sets. `file` names it in messages; `text` is its content.
    pub fn from_file(file: &Path, text: &str) -> Result<Overrides, ConfigError> {
        let value: Value = serde_json::from_str(text).map_err(|e| ConfigError::Syntax {
            file: file.to_owned(),
            reason: e.to_string(),
        })?;
        let Value::Object(map) = value else {
            return Err(ConfigError::NotAnObject {
                file: file.to_owned(),
            });
        };
        if let Some(unknown) = map.keys().find(|k| key(k).is_none()) {
            return Err(ConfigError::UnknownKey {
                file: file.to_owned(),
                key: unknown.clone(),
                suggestion: closest_key(unknown),
            });
        }
        let parsed: FileConfig = match serde_json::from_value(Value::Object(map.clone())) {
            Ok(parsed) => parsed,
            Err(whole) => {
                // serde_json's errors do not say which field they are about; deserializing
                // the keys one at a time finds the culprit so the message can name it.
                return Err(map
                    .iter()
                    .find_map(|(k, v)| {
                        let one = Map::from_iter([(k.clone(), v.clone())]);
                        let err = serde_json::from_value::<FileConfig>(Value::Object(one)).err()?;
                        let spec = key(k)?;
                        Some(ConfigError::InvalidKey {
                            file: file.to_owned(),
                            key: spec.name,
                            expects: spec.expects,
                            reason: err.to_string(),
                        })
                    })
                    .unwrap_or_else(|| ConfigError::Syntax {
                        file: file.to_owned(),
                        reason: whole.to_string(),
                    }));
            }
        };
        Ok(parsed.into())
    }

    /// What the environment sets, read through `env` (a variable's value, if it is set).
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Result<Overrides, ConfigError> {
        let mut o = Overrides::default();
        for key in KEYS {
            if let Some(value) = env(key.env) {
                (key.from_env)(&mut o, key.env, &value)?;
            }
        }
        Ok(o)
    }
}

/// The file's shape: the keys of [`KEYS`], each optional (`null` counts as absent).
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct FileConfig {
    etcd_endpoints: Option<Vec<String>>,
    etcd_dial_timeout: Option<u64>,
    etcd_prefix: Option<String>,
    etcd_username: Option<String>,
    etcd_password: Option<String>,
    etcd_ca: Option<PathBuf>,
    etcd_cert: Option<PathBuf>,
    etcd_key: Option<PathBuf>,
    worker_id: Option<String>,
    heartbeat_interval: Option<u64>,
    log_batch_size: Option<usize>,
    log_commit_timeout: Option<u64>,
    executor_threads: Option<usize>,
    max_waiting_runs: Option<usize>,
    job_lock_ttl: Option<u64>,
    api_port: Option<u16>,
    mongo_uri: Option<String>,
    mongo_connect_timeout: Option<u64>,
    labels: Option<BTreeMap<String, String>>,
    notify: Option<Vec<Webhook>>,
    timezone: Option<String>,
    data_dir: Option<PathBuf>,
    spool_dir: Option<PathBuf>,
    listen: Option<SocketAddr>,
    address: Option<String>,
    api_token: Option<String>,
    advertise: Option<String>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    tls_client_ca: Option<PathBuf>,
    master_ca: Option<PathBuf>,
    log_retention_days: Option<u32>,
    log_keep_per_job: Option<u32>,
    metrics_listen: Option<SocketAddr>,
    drain_timeout: Option<u64>,
    audit_retention_days: Option<u32>,
    worker_forget_after: Option<u64>,
}

impl From<FileConfig> for Overrides {
    fn from(f: FileConfig) -> Overrides {
        Overrides {
            etcd_endpoints: f.etcd_endpoints,
            etcd_dial_timeout: f.etcd_dial_timeout.map(Duration::from_millis),
            etcd_prefix: f.etcd_prefix,
            etcd_username: f.etcd_username,
            etcd_password: f.etcd_password,
            etcd_ca: f.etcd_ca,
            etcd_cert: f.etcd_cert,
            etcd_key: f.etcd_key,
            worker_id: f.worker_id,
            heartbeat_interval: f.heartbeat_interval.map(Duration::from_millis),
            log_batch_size: f.log_batch_size,
            log_commit_timeout: f.log_commit_timeout.map(Duration::from_millis),
            executor_threads: f.executor_threads,
            max_waiting_runs: f.max_waiting_runs,
            job_lock_ttl: f.job_lock_ttl.map(Duration::from_secs),
            api_port: f.api_port,
            mongo_uri: f.mongo_uri,
            mongo_connect_timeout: f.mongo_connect_timeout.map(Duration::from_millis),
            labels: f.labels,
            notify: f.notify,
            timezone: f.timezone,
            data_dir: f.data_dir,
            spool_dir: f.spool_dir,
            listen: f.listen,
            address: f.address,
            api_token: f.api_token,
            advertise: f.advertise,
            tls_cert: f.tls_cert,
            tls_key: f.tls_key,
            tls_client_ca: f.tls_client_ca,
            master_ca: f.master_ca,
            log_retention_days: f.log_retention_days,
            log_keep_per_job: f.log_keep_per_job,
            metrics_listen: f.metrics_listen,
            drain_timeout: f.drain_timeout.map(Duration::from_millis),
            audit_retention_days: f.audit_retention_days,
            worker_forget_after: f.worker_forget_after.map(Duration::from_secs),
        }
    }
}

/// One config key: its name in the file, the environment variable that overrides it, and
/// what its value must be.
#[derive(Clone, Copy)]
pub struct Key {
    /// The name in the file (camelCase, as the old system).
    pub name: &'static str,
    /// The environment variable that overrides it.
    pub env: &'static str,
    /// What the file's value must be, as messages put it: "a whole number of milliseconds".
    pub expects: &'static str,
    from_env: fn(&mut Overrides, &'static str, &str) -> Result<(), ConfigError>,
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("name", &self.name)
            .field("env", &self.env)
            .field("expects", &self.expects)
            .finish_non_exhaustive()
    }
}

/// Every key a config file may hold, in the order of the old system's file, then schedd's.
pub const KEYS: &[Key] = &[
    Key {
        name: "etcdEndpoints",
        env: "ETCD_ENDPOINTS",
        expects: "a list of `host:port` strings",
        from_env: |o, var, v| {
            let list: Vec<String> = v
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            if list.is_empty() {
                return Err(env_error(
                    var,
                    v,
                    "a comma-separated list of `host:port`",
                    "no endpoint",
                ));
            }
            o.etcd_endpoints = Some(list);
            Ok(())
        },
    },
    Key {
        name: "etcdDialTimeout",
        env: "ETCD_DIAL_TIMEOUT",
        expects: MS,
        from_env: |o, var, v| {
            o.etcd_dial_timeout = Some(env_millis(var, v)?);
            Ok(())
        },
    },
    Key {
        name: "workerId",
        env: "WORKER_ID",
        expects: STRING,
        from_env: |o, _, v| {
            o.worker_id = Some(v.trim().to_owned());
            Ok(())
        },
    },
    Key {
        name: "heartbeatInterval",
        env: "HEARTBEAT_INTERVAL",
        expects: MS,
        from_env: |o, var, v| {
            o.heartbeat_interval = Some(env_millis(var, v)?);
            Ok(())
        },
    },
    Key {
        name: "logBatchSize",
        env: "LOG_BATCH_SIZE",
        expects: WHOLE,
        from_env: |o, var, v| {
            o.log_batch_size = Some(env_number(var, v, WHOLE)?);
            Ok(())
        },
    },
    Key {
        name: "logCommitTimeout",
        env: "LOG_COMMIT_TIMEOUT",
        expects: MS,
        from_env: |o, var, v| {
            o.log_commit_timeout = Some(env_millis(var, v)?);
            Ok(())
        },
    },
    Key {
        name: "executorThreads",
        env: "EXECUTOR_THREADS",
        expects: WHOLE,
        from_env: |o, var, v| {
            o.executor_threads = Some(env_number(var, v, WHOLE)?);
            Ok(())
        },
    },
    Key {
        name: "maxWaitingRuns",
        env: "MAX_WAITING_RUNS",
        expects: WHOLE,
        from_env: |o, var, v| {
            o.max_waiting_runs = Some(env_number(var, v, WHOLE)?);
            Ok(())
        },
    },
    Key {
        name: "jobLockTtl",
        env: "JOB_LOCK_TTL",
        expects: SECS,
        from_env: |o, var, v| {
            o.job_lock_ttl = Some(Duration::from_secs(env_number(var, v, SECS)?));
            Ok(())
        },
    },
    Key {
        name: "apiPort",
        env: "API_PORT",
        expects: "a port number (0-65535)",
        from_env: |o, var, v| {
            o.api_port = Some(env_number(var, v, "a port number (0-65535)")?);
            Ok(())
        },
    },
    Key {
        name: "mongoUri",
        env: "MONGO_URI",
        expects: STRING,
        from_env: |o, _, v| {
            o.mongo_uri = Some(v.trim().to_owned());
            Ok(())
        },
    },
    Key {
        name: "mongoConnectTimeout",
        env: "MONGO_CONNECT_TIMEOUT",
        expects: MS,
        from_env: |o, var, v| {
            o.mongo_connect_timeout = Some(env_millis(var, v)?);
            Ok(())
        },
    },
    Key {
        name: "etcdPrefix",
        env: "ETCD_PREFIX",
        expects: STRING,
        from_env: |o, _, v| {
            o.etcd_prefix = Some(v.trim().to_owned());
            Ok(())
        },
    },
    Key {
        name: "etcdUsername",
        env: "ETCD_USERNAME",
        expects: STRING,
        from_env: |o, _, v| {
            o.etcd_username = Some(v.trim().to_owned());
            Ok(())
        },
    },
    Key {
        name: "etcdPassword",
        env: "ETCD_PASSWORD",
        expects: STRING,
        // Taken as it is: spaces may be part of a password.
        from_env: |o, _, v| {
            o.etcd_password = Some(v.to_owned());
            Ok(())
        },
    },
    Key {
        name: "etcdCa",
        env: "ETCD_CA",
        expects: "a file path",
        from_env: |o, _, v| {
            o.etcd_ca = Some(PathBuf::from(v.trim()));
            Ok(())
        },
    },
    Key {
        name: "etcdCert",
        env: "ETCD_CERT",
        expects: "a file path",
        from_env: |o, _, v| {
            o.etcd_cert = Some(PathBuf::from(v.trim()));
            Ok(())
        },
    },
    Key {
        name: "etcdKey",
        env: "ETCD_KEY",
        expects: "a file path",
        from_env: |o, _, v| {
            o.etcd_key = Some(PathBuf::from(v.trim()));
            Ok(())
        },
    },
    Key {
        name: "labels",
        env: "WORKER_LABELS",
        expects: "an object of string values, like {\"zone\": \"eu-1\"}",
        from_env: |o, var, v| {
            let labels = parse_labels(v)
                .map_err(|reason| env_error(var, v, "a list like `k=v,k2=v2`", &reason))?;
            o.labels = Some(labels);
            Ok(())
        },
    },
    Key {
        name: "notify",
        env: "SCHEDD_NOTIFY",
        expects: "a list of webhooks, like [{\"url\": \"https://hooks.example.com/h\", \"on\": [\"failure\"]}]",
        from_env: |o, _, v| {
            o.notify = Some(
                v.split(',')
                    .map(str::trim)
                    .filter(|u| !u.is_empty())
                    .map(|url| Webhook {
                        url: url.to_owned(),
                        ..Default::default()
                    })
                    .collect(),
            );
            Ok(())
        },
    },
    Key {
        name: "timezone",
        env: "SCHEDD_TIMEZONE",
        expects: "an IANA time zone name, like \"Europe/Berlin\"",
        from_env: |o, _, v| {
            o.timezone = Some(v.trim().to_owned());
            Ok(())
        },
    },
    Key {
        name: "dataDir",
        env: "SCHEDD_DATA_DIR",
        expects: "a directory path",
        from_env: |o, _, v| {
            o.data_dir = Some(PathBuf::from(v.trim()));
            Ok(())
        },
    },
    Key {
        name: "spoolDir",
        env: "SCHEDD_SPOOL_DIR",
        expects: "a directory path",
        from_env: |o, _, v| {
            o.spool_dir = Some(PathBuf::from(v.trim()));
            Ok(())
        },
    },
    Key {
        name: "listen",
        env: "SCHEDD_LISTEN",
        expects: "an `ip:port` address, like \"127.0.0.1:8070\"",
        from_env: |o, var, v| {
            o.listen = Some(env_number(var, v, "an `ip:port` address")?);
            Ok(())
        },
    },
    Key {
        name: "address",
        env: "WORKER_ADDRESS",
        expects: STRING,
        from_env: |o, _, v| {
            o.address = Some(v.trim().to_owned());
            Ok(())
        },
    },
    Key {
        name: "apiToken",
        env: "SCHEDD_API_TOKEN",
        expects: STRING,
        from_env: |o, _, v| {
            o.api_token = Some(v.trim().to_owned());
            Ok(())
        },
    },
    Key {
        name: "advertise",
        env: "SCHEDD_ADVERTISE",
        expects: "a `host:port` address",
        from_env: |o, _, v| {
            o.advertise = Some(v.trim().to_owned());
            Ok(())
        },
    },
    Key {
        name: "tlsCert",
        env: "SCHEDD_TLS_CERT",
        expects: "a file path",
        from_env: |o, _, v| {
            o.tls_cert = Some(PathBuf::from(v.trim()));
            Ok(())
        },
    },
    Key {
        name: "tlsKey",
        env: "SCHEDD_TLS_KEY",
        expects: "a file path",
        from_env: |o, _, v| {
            o.tls_key = Some(PathBuf::from(v.trim()));
            Ok(())
        },
    },
    Key {
        name: "tlsClientCa",
        env: "SCHEDD_TLS_CLIENT_CA",
        expects: "a file path",
        from_env: |o, _, v| {
            o.tls_client_ca = Some(PathBuf::from(v.trim()));
            Ok(())
        },
    },
    Key {
        name: "masterCa",
        env: "SCHEDD_MASTER_CA",
        expects: "a file path",
        from_env: |o, _, v| {
            o.master_ca = Some(PathBuf::from(v.trim()));
            Ok(())
        },
    },
    Key {
        name: "logRetentionDays",
        env: "LOG_RETENTION_DAYS",
        expects: "a whole number of days",
        from_env: |o, var, v| {
            o.log_retention_days = Some(env_number(var, v, "a whole number of days")?);
            Ok(())
        },
    },
    Key {
        name: "logKeepPerJob",
        env: "LOG_KEEP_PER_JOB",
        expects: WHOLE,
        from_env: |o, var, v| {
            o.log_keep_per_job = Some(env_number(var, v, WHOLE)?);
            Ok(())
        },
    },
    Key {
        name: "metricsListen",
        env: "SCHEDD_METRICS_LISTEN",
        expects: "an `ip:port` address, like \"127.0.0.1:9100\"",
        from_env: |o, var, v| {
            o.metrics_listen = Some(env_number(var, v, "an `ip:port` address")?);
            Ok(())
        },
    },
    Key {
        name: "drainTimeout",
        env: "SCHEDD_DRAIN_TIMEOUT",
        expects: MS,
        from_env: |o, var, v| {
            o.drain_timeout = Some(env_millis(var, v)?);
            Ok(())
        },
    },
    Key {
        name: "auditRetentionDays",
        env: "AUDIT_RETENTION_DAYS",
        expects: "a whole number of days",
        from_env: |o, var, v| {
            o.audit_retention_days = Some(env_number(var, v, "a whole number of days")?);
            Ok(())
        },
    },
    Key {
        name: "workerForgetAfter",
        env: "WORKER_FORGET_AFTER",
        expects: SECS,
        from_env: |o, var, v| {
            o.worker_forget_after = Some(Duration::from_secs(env_number(var, v, SECS)?));
            Ok(())
        },
    },
];

/// The key called `name` in a file.
pub fn key(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.name == name)
}

/// The known key a misspelt `name` most likely meant: the same letters in another case or
/// with `_`/`-` (`etcd_endpoints`), or at most three edits away (`etcdEndpoint`).
fn closest_key(name: &str) -> Option<&'static str> {
    let wanted = normalize(name);
    KEYS.iter()
        .map(|k| (levenshtein(&wanted, &normalize(k.name)), k.name))
        .filter(|(distance, _)| *distance <= 3)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

fn normalize(name: &str) -> Vec<char> {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut row = Vec::with_capacity(b.len() + 1);
        row.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != cb);
            row.push(substitute.min(prev[j + 1] + 1).min(row[j] + 1));
        }
        prev = row;
    }
    prev[b.len()]
}

fn env_number<T>(var: &'static str, value: &str, expects: &'static str) -> Result<T, ConfigError>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    value
        .trim()
        .parse()
        .map_err(|e: T::Err| env_error(var, value, expects, &e.to_string()))
}

fn env_millis(var: &'static str, value: &str) -> Result<Duration, ConfigError> {
    env_number(var, value, MS).map(Duration::from_millis)
}

fn env_error(var: &'static str, value: &str, expects: &'static str, reason: &str) -> ConfigError {
    ConfigError::InvalidEnv {
        var,
        value: value.to_owned(),
        expects,
        reason: reason.to_owned(),
    }
}

/// Why a config cannot be used. Each message names the file, variable or key at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: not valid JSON: {reason}", .file.display())]
    Syntax { file: PathBuf, reason: String },
    #[error(
        "{}: the config must be a JSON object, like {{\"etcdEndpoints\": [\"127.0.0.1:2379\"]}}",
        .file.display()
    )]
    NotAnObject { file: PathBuf },
    #[error("{}: unknown key `{key}`{}", .file.display(), did_you_mean(.suggestion))]
    UnknownKey {
        file: PathBuf,
        key: String,
        suggestion: Option<&'static str>,
    },
    #[error("{}: `{key}` must be {expects}: {reason}", .file.display())]
    InvalidKey {
        file: PathBuf,
        key: &'static str,
        expects: &'static str,
        reason: String,
    },
    #[error("environment variable {var}={value:?}: expected {expects} ({reason})")]
    InvalidEnv {
        var: &'static str,
        value: String,
        expects: &'static str,
        reason: String,
    },
    #[error(
        "{layer}: `listen` ({listen}) and `apiPort` ({api_port}) name different ports; set only one of them"
    )]
    PortConflict {
        layer: String,
        listen: SocketAddr,
        api_port: u16,
    },
    #[error("invalid config: `{key}` {reason}")]
    Invalid { key: &'static str, reason: String },
}

fn did_you_mean(suggestion: &Option<&'static str>) -> String {
    suggestion
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use testkit::{env_of, no_env};

    const OLD_FILE: &str = r#"{
        "etcdEndpoints": ["localhost:2379", "10.0.0.2:2379"],
        "etcdDialTimeout": 4000,
        "workerId": "worker1",
        "heartbeatInterval": 2000,
        "logBatchSize": 40,
        "logCommitTimeout": 1500,
        "executorThreads": 7,
        "jobLockTtl": 12,
        "apiPort": 8081,
        "mongoUri": "mongodb://localhost:27017",
        "mongoConnectTimeout": 2500
    }"#;

    fn from_file(text: &str) -> Result<ClusterConfig, ConfigError> {
        ClusterConfig::from_sources(Some((Path::new("worker.json"), text)), &no_env)
    }

    fn error_of(text: &str) -> String {
        from_file(text)
            .expect_err("the config is rejected")
            .to_string()
    }

    #[test]
    fn old_keys_only_file_parses_with_the_right_values() {
        let cfg = from_file(OLD_FILE).expect("valid");
        assert_eq!(cfg.etcd_endpoints, ["localhost:2379", "10.0.0.2:2379"]);
        assert_eq!(cfg.etcd_dial_timeout, Duration::from_millis(4000));
        assert_eq!(cfg.worker_id, "worker1");
        assert_eq!(cfg.heartbeat_interval, Duration::from_millis(2000));
        assert_eq!(cfg.log_batch_size, 40);
        assert_eq!(cfg.log_commit_timeout, Duration::from_millis(1500));
        assert_eq!(cfg.executor_threads, 7);
        assert_eq!(cfg.job_lock_ttl, Duration::from_secs(12));
        assert_eq!(cfg.api_port, 8081);
        assert_eq!(cfg.mongo_uri.as_deref(), Some("mongodb://localhost:27017"));
        assert_eq!(cfg.mongo_connect_timeout, Duration::from_millis(2500));
        // schedd's own keys keep their defaults.
        assert_eq!(cfg.etcd_prefix, "/cron");
        assert_eq!(cfg.timezone, "UTC");
        assert_eq!(cfg.listen_addr(), "127.0.0.1:8081".parse().expect("addr"));
        assert_eq!(
            cfg.worker_spool_dir("worker1"),
            PathBuf::from("schedd-data/spool-worker1")
        );
        assert!(cfg.labels.is_empty());
    }

    #[test]
    fn the_old_example_without_mongo_uri_is_complete() {
        let cfg = from_file(
            r#"{ "etcdEndpoints": ["localhost:2379"], "etcdDialTimeout": 5000, "workerId": "worker1",
                 "heartbeatInterval": 3000, "logBatchSize": 50, "logCommitTimeout": 2000,
                 "executorThreads": 5, "jobLockTtl": 10, "mongoConnectTimeout": 3000 }"#,
        )
        .expect("valid");
        assert_eq!(cfg.mongo_uri, None);
        assert_eq!(
            cfg,
            ClusterConfig {
                etcd_endpoints: vec!["localhost:2379".into()],
                worker_id: "worker1".into(),
                ..ClusterConfig::default()
            }
        );
    }

    #[test]
    fn empty_object_gives_the_defaults() {
        let cfg = from_file("{}").expect("valid");
        assert_eq!(cfg, ClusterConfig::default());
        assert_eq!(cfg.etcd_endpoints, ["127.0.0.1:2379"]);
        assert_eq!(cfg.etcd_dial_timeout, Duration::from_millis(5000));
        assert_eq!(cfg.heartbeat_interval, Duration::from_millis(3000));
        assert_eq!(cfg.log_batch_size, 50);
        assert_eq!(cfg.log_commit_timeout, Duration::from_millis(2000));
        assert_eq!(cfg.executor_threads, 5);
        assert_eq!(cfg.job_lock_ttl, Duration::from_secs(10));
        assert_eq!(cfg.api_port, 8070);
        assert_eq!(cfg.mongo_connect_timeout, Duration::from_millis(3000));
        assert_eq!(cfg.data_dir, PathBuf::from("schedd-data"));
        assert_eq!(cfg.worker_id, "");
        assert_eq!(cfg.listen_addr(), "127.0.0.1:8070".parse().expect("addr"));
        // No file at all is the same.
        assert_eq!(
            ClusterConfig::from_sources(None, &no_env).expect("valid"),
            ClusterConfig::default()
        );
        ClusterConfig::default()
            .validate()
            .expect("the defaults are valid");
    }

    #[test]
    fn missing_etcd_endpoints_uses_the_default() {
        let cfg = from_file(r#"{"workerId": "w1", "etcdEndpoints": null}"#).expect("valid");
        assert_eq!(cfg.etcd_endpoints, ["127.0.0.1:2379"]);
    }

    #[test]
    fn unknown_key_names_the_key_the_file_and_the_closest_key() {
        assert_eq!(
            error_of(r#"{"etcdEndpoint": ["a:1"]}"#),
            "worker.json: unknown key `etcdEndpoint` (did you mean `etcdEndpoints`?)"
        );
        assert_eq!(
            error_of(r#"{"worker_id": "w"}"#),
            "worker.json: unknown key `worker_id` (did you mean `workerId`?)"
        );
        assert_eq!(
            error_of(r#"{"MONGOURI": "mongodb://x"}"#),
            "worker.json: unknown key `MONGOURI` (did you mean `mongoUri`?)"
        );
        assert_eq!(
            error_of(r#"{"webRoot": "./dist"}"#),
            "worker.json: unknown key `webRoot`"
        );
    }

    #[test]
    fn type_errors_name_the_file_and_the_key() {
        let e = error_of(r#"{"workerId": "w", "executorThreads": "x"}"#);
        assert!(
            e.starts_with("worker.json: `executorThreads` must be a whole number: invalid type"),
            "{e}"
        );
        let e = error_of(r#"{"jobLockTtl": -1}"#);
        assert!(
            e.starts_with("worker.json: `jobLockTtl` must be a whole number of seconds:"),
            "{e}"
        );
        let e = error_of(r#"{"etcdEndpoints": "localhost:2379"}"#);
        assert!(
            e.starts_with("worker.json: `etcdEndpoints` must be a list"),
            "{e}"
        );
        let e = error_of(r#"{"labels": {"zone": 1}}"#);
        assert!(
            e.starts_with("worker.json: `labels` must be an object"),
            "{e}"
        );
        let e = error_of(r#"{"apiPort": 70000}"#);
        assert!(
            e.starts_with("worker.json: `apiPort` must be a port number"),
            "{e}"
        );
        let e = error_of(r#"{"listen": "localhost"}"#);
        assert!(
            e.starts_with("worker.json: `listen` must be an `ip:port`"),
            "{e}"
        );
    }

    #[test]
    fn syntax_errors_and_non_objects_name_the_file() {
        let e = error_of(r#"{"workerId": "w",}"#);
        assert!(e.starts_with("worker.json: not valid JSON: "), "{e}");
        assert!(e.contains("line 1"), "{e}");
        let e = error_of(r#"["etcdEndpoints"]"#);
        assert!(
            e.starts_with("worker.json: the config must be a JSON object"),
            "{e}"
        );
    }

    #[test]
    fn env_beats_file() {
        let env = env_of(&[
            ("ETCD_ENDPOINTS", "10.0.0.1:2379, 10.0.0.2:2379"),
            ("ETCD_DIAL_TIMEOUT", "1000"),
            ("WORKER_ID", "from-env"),
            ("HEARTBEAT_INTERVAL", "1000"),
            ("LOG_BATCH_SIZE", "10"),
            ("LOG_COMMIT_TIMEOUT", "0"),
            ("EXECUTOR_THREADS", "3"),
            ("JOB_LOCK_TTL", "30"),
            ("API_PORT", "9000"),
            ("MONGO_URI", "mongodb://db:27017"),
            ("MONGO_CONNECT_TIMEOUT", "100"),
            ("ETCD_PREFIX", "/schedd"),
            ("ETCD_USERNAME", "root"),
            ("ETCD_PASSWORD", " s3cret "),
            ("WORKER_LABELS", "zone=eu-1, gpu=true"),
            ("SCHEDD_TIMEZONE", "Europe/Berlin"),
            ("SCHEDD_DATA_DIR", "/var/lib/schedd"),
            ("SCHEDD_SPOOL_DIR", "/var/spool/schedd"),
            ("WORKER_ADDRESS", "10.0.0.9:7000"),
            ("LOG_RETENTION_DAYS", "30"),
            ("LOG_KEEP_PER_JOB", "100"),
            ("MAX_WAITING_RUNS", "64"),
        ]);
        let cfg = ClusterConfig::from_sources(Some((Path::new("worker.json"), OLD_FILE)), &env)
            .expect("valid");
        assert_eq!(cfg.etcd_endpoints, ["10.0.0.1:2379", "10.0.0.2:2379"]);
        assert_eq!(cfg.etcd_dial_timeout, Duration::from_millis(1000));
        assert_eq!(cfg.worker_id, "from-env");
        assert_eq!(cfg.heartbeat_interval, Duration::from_millis(1000));
        assert_eq!(cfg.log_batch_size, 10);
        assert_eq!(cfg.log_commit_timeout, Duration::ZERO);
        assert_eq!(cfg.executor_threads, 3);
        assert_eq!(cfg.max_waiting_runs, Some(64));
        assert_eq!(cfg.job_lock_ttl, Duration::from_secs(30));
        assert_eq!(cfg.api_port, 9000);
        assert_eq!(cfg.mongo_uri.as_deref(), Some("mongodb://db:27017"));
        assert_eq!(cfg.mongo_connect_timeout, Duration::from_millis(100));
        assert_eq!(cfg.etcd_prefix, "/schedd");
        assert_eq!(cfg.etcd_username.as_deref(), Some("root"));
        assert_eq!(cfg.etcd_password.as_deref(), Some(" s3cret "));
        assert_eq!(
            cfg.labels,
            BTreeMap::from([
                ("gpu".into(), "true".into()),
                ("zone".into(), "eu-1".into())
            ])
        );
        assert_eq!(cfg.timezone, "Europe/Berlin");
        assert_eq!(cfg.data_dir, PathBuf::from("/var/lib/schedd"));
        assert_eq!(cfg.spool_dir, Some(PathBuf::from("/var/spool/schedd")));
        assert_eq!(cfg.address.as_deref(), Some("10.0.0.9:7000"));
        assert_eq!(cfg.log_retention_days, Some(30));
        assert_eq!(cfg.log_keep_per_job, Some(100));
    }

    #[test]
    fn default_webhooks_come_from_the_file_or_the_environment_and_are_checked() {
        let path = Path::new("worker.json");
        let text = r#"{"notify": [{"url": "https://hooks.example.com/h?token=t", "on": ["failure", "lost"]}]}"#;
        let none = Overrides::default();
        let cfg = ClusterConfig::resolve(Some((path, text)), &no_env, &none).expect("valid");
        assert_eq!(cfg.notify.len(), 1);
        assert_eq!(cfg.notify[0].on.len(), 2);
        let shown = format!("{cfg:?}");
        assert!(
            shown.contains("token=***") && !shown.contains("token=t\""),
            "{shown}"
        );
        let env = env_of(&[("SCHEDD_NOTIFY", "https://a.example.com/x")]);
        let cfg = ClusterConfig::resolve(Some((path, text)), &env, &none).expect("valid");
        assert_eq!(
            cfg.notify.len(),
            1,
            "the environment replaces the file's list"
        );
        assert_eq!(cfg.notify[0].url, "https://a.example.com/x");
        let bad = env_of(&[("SCHEDD_NOTIFY", "ftp://a")]);
        let err = ClusterConfig::resolve(None, &bad, &none)
            .expect_err("scheme")
            .to_string();
        assert!(err.contains("notify"), "{err}");
    }

    #[test]
    fn every_key_has_an_environment_variable_that_sets_it() {
        // One variable per key, each set to a value that differs from the default.
        let values = [
            ("ETCD_ENDPOINTS", "e:1"),
            ("ETCD_DIAL_TIMEOUT", "1"),
            ("WORKER_ID", "w"),
            ("HEARTBEAT_INTERVAL", "500"),
            ("LOG_BATCH_SIZE", "1"),
            ("LOG_COMMIT_TIMEOUT", "1"),
            ("EXECUTOR_THREADS", "1"),
            ("MAX_WAITING_RUNS", "7"),
            ("JOB_LOCK_TTL", "3"),
            ("API_PORT", "1"),
            ("MONGO_URI", "mongodb://m"),
            ("MONGO_CONNECT_TIMEOUT", "1"),
            ("ETCD_PREFIX", "/p"),
            ("ETCD_USERNAME", "u"),
            ("ETCD_PASSWORD", "p"),
            ("ETCD_CA", "eca.pem"),
            ("ETCD_CERT", "ec.pem"),
            ("ETCD_KEY", "ek.pem"),
            ("WORKER_LABELS", "a=b"),
            ("SCHEDD_TIMEZONE", "Asia/Tokyo"),
            ("SCHEDD_DATA_DIR", "d"),
            ("SCHEDD_SPOOL_DIR", "s"),
            ("SCHEDD_LISTEN", "127.0.0.2:1"),
            ("WORKER_ADDRESS", "a"),
            ("SCHEDD_API_TOKEN", "t"),
            ("SCHEDD_ADVERTISE", "h:1"),
            ("SCHEDD_TLS_CERT", "c.pem"),
            ("SCHEDD_TLS_KEY", "k.pem"),
            ("SCHEDD_TLS_CLIENT_CA", "ca.pem"),
            ("SCHEDD_MASTER_CA", "m.pem"),
            ("LOG_RETENTION_DAYS", "1"),
            ("LOG_KEEP_PER_JOB", "1"),
            ("SCHEDD_METRICS_LISTEN", "127.0.0.1:9100"),
            ("SCHEDD_DRAIN_TIMEOUT", "5"),
            ("AUDIT_RETENTION_DAYS", "7"),
            ("WORKER_FORGET_AFTER", "3600"),
            (
                "SCHEDD_NOTIFY",
                "https://hooks.example.com/a, https://hooks.example.com/b",
            ),
        ];
        assert_eq!(values.len(), KEYS.len());
        for key in KEYS {
            let (_, value) = values
                .iter()
                .find(|(var, _)| *var == key.env)
                .unwrap_or_else(|| panic!("no test value for {}", key.env));
            let o = Overrides::from_env(&env_of(&[(key.env, value)])).expect("parses");
            assert_ne!(o, Overrides::default(), "{} sets nothing", key.env);
        }
        let cfg = ClusterConfig::from_sources(None, &env_of(&values)).expect("valid");
        let defaults = ClusterConfig::default();
        let debug = format!("{cfg:?}");
        let default_debug = format!("{defaults:?}");
        for (field, value) in debug.split(", ").zip(default_debug.split(", ")) {
            assert_ne!(field, value, "a field kept its default");
        }
    }

    #[test]
    fn keys_table_matches_the_file_shape() {
        // Every key of the table is a field of the file ...
        for key in KEYS {
            let one = Map::from_iter([(key.name.to_owned(), Value::Null)]);
            serde_json::from_value::<FileConfig>(Value::Object(one))
                .unwrap_or_else(|e| panic!("`{}` is not a file field: {e}", key.name));
        }
        // ... and every field of the file is in the table (serde lists the fields when it
        // rejects an unknown one).
        let one = Map::from_iter([("noSuchKey".to_owned(), Value::Null)]);
        let e = serde_json::from_value::<FileConfig>(Value::Object(one))
            .err()
            .expect("unknown fields are denied")
            .to_string();
        let fields: Vec<&str> = e.split('`').skip(3).step_by(2).collect();
        let mut names: Vec<&str> = KEYS.iter().map(|k| k.name).collect();
        assert_eq!(fields.len(), names.len(), "{e}");
        let mut fields = fields;
        fields.sort_unstable();
        names.sort_unstable();
        assert_eq!(fields, names);
    }

    #[test]
    fn flags_beat_env() {
        let env = env_of(&[("WORKER_ID", "from-env"), ("EXECUTOR_THREADS", "3")]);
        let flags = Overrides {
            worker_id: Some("from-flag".into()),
            labels: Some(BTreeMap::from([("a".into(), "1".into())])),
            ..Overrides::default()
        };
        let cfg = ClusterConfig::resolve(Some((Path::new("worker.json"), OLD_FILE)), &env, &flags)
            .expect("valid");
        assert_eq!(cfg.worker_id, "from-flag");
        assert_eq!(cfg.executor_threads, 3);
        assert_eq!(cfg.job_lock_ttl, Duration::from_secs(12));
        assert_eq!(cfg.labels.len(), 1);

        let mut cfg = ClusterConfig::from_sources(None, &env).expect("valid");
        cfg.apply(&Overrides {
            executor_threads: Some(9),
            ..Overrides::default()
        })
        .expect("valid");
        assert_eq!(
            (cfg.worker_id.as_str(), cfg.executor_threads),
            ("from-env", 9)
        );
    }

    #[test]
    fn a_flag_replaces_an_invalid_value_below_it() {
        let flags = Overrides {
            executor_threads: Some(2),
            ..Overrides::default()
        };
        let file = r#"{"executorThreads": 0}"#;
        let cfg = ClusterConfig::resolve(Some((Path::new("w.json"), file)), &no_env, &flags)
            .expect("the flag wins before validation");
        assert_eq!(cfg.executor_threads, 2);
    }

    #[test]
    fn apply_validates_and_changes_nothing_on_error() {
        let mut cfg = ClusterConfig::default();
        let e = cfg
            .apply(&Overrides {
                worker_id: Some("w2".into()),
                executor_threads: Some(0),
                ..Overrides::default()
            })
            .expect_err("0 threads");
        assert_eq!(
            e.to_string(),
            "invalid config: `executorThreads` must be at least 1 (got 0)"
        );
        assert_eq!(cfg, ClusterConfig::default());
    }

    #[test]
    fn unparsable_env_names_the_variable_and_the_value() {
        let e = ClusterConfig::from_sources(None, &env_of(&[("EXECUTOR_THREADS", "many")]))
            .expect_err("not a number")
            .to_string();
        assert_eq!(
            e,
            "environment variable EXECUTOR_THREADS=\"many\": expected a whole number (invalid digit found in string)"
        );
        let e = ClusterConfig::from_sources(None, &env_of(&[("WORKER_LABELS", "zone")]))
            .expect_err("not k=v")
            .to_string();
        assert!(
            e.starts_with("environment variable WORKER_LABELS=\"zone\""),
            "{e}"
        );
        let e = ClusterConfig::from_sources(None, &env_of(&[("API_PORT", "80800")]))
            .expect_err("too large")
            .to_string();
        assert!(
            e.starts_with("environment variable API_PORT=\"80800\""),
            "{e}"
        );
        let e = ClusterConfig::from_sources(None, &env_of(&[("ETCD_ENDPOINTS", " , ")]))
            .expect_err("no endpoint")
            .to_string();
        assert!(e.starts_with("environment variable ETCD_ENDPOINTS"), "{e}");
    }

    #[test]
    fn invalid_values_are_rejected_naming_the_key() {
        let cases = [
            (r#"{"executorThreads": 0}"#, "`executorThreads`"),
            (
                r#"{"logBatchSize": 0}"#,
                "`logBatchSize` must be from 1 to 10000",
            ),
            (r#"{"logBatchSize": 10001}"#, "`logBatchSize`"),
            (
                r#"{"heartbeatInterval": 99}"#,
                "`heartbeatInterval` must be at least 100 ms",
            ),
            (
                r#"{"jobLockTtl": 1}"#,
                "`jobLockTtl` must be from 2 to 3600 s",
            ),
            (
                r#"{"jobLockTtl": 3, "heartbeatInterval": 3000}"#,
                "`jobLockTtl` (3 s) must be longer than `heartbeatInterval` (3000 ms)",
            ),
            (
                r#"{"etcdEndpoints": []}"#,
                "`etcdEndpoints` must name at least one",
            ),
            (r#"{"etcdEndpoints": [""]}"#, "`etcdEndpoints`"),
            (
                r#"{"etcdPrefix": "cron"}"#,
                "`etcdPrefix` must start with `/`",
            ),
            (r#"{"etcdPrefix": "/cron/"}"#, "`etcdPrefix`"),
            (
                r#"{"etcdPassword": "p"}"#,
                "`etcdPassword` is set but `etcdUsername` is not",
            ),
            (
                r#"{"etcdCert": "c.pem"}"#,
                "`etcdCert` etcdCert and etcdKey go together",
            ),
            (
                r#"{"etcdEndpoints": ["https://a:2379", "b:2379"]}"#,
                "`etcdEndpoints` mixes https:// and plain endpoints",
            ),
            (
                r#"{"etcdEndpoints": ["http://a:2379"], "etcdCa": "ca.pem"}"#,
                "`etcdEndpoints` are http:// but etcdCa or etcdCert is set",
            ),
            (r#"{"labels": {"": "x"}}"#, "`labels`"),
            (r#"{"labels": {"a": ""}}"#, "`labels`"),
            (r#"{"labels": {"a,b": "x"}}"#, "`labels`"),
            (r#"{"labels": {"a=b": "x"}}"#, "`labels`"),
            (
                r#"{"timezone": "Mars/Olympus"}"#,
                "`timezone` is not valid: unknown time zone",
            ),
            (r#"{"timezone": ""}"#, "`timezone`"),
            (r#"{"workerId": "a/b"}"#, "`workerId`"),
            (
                r#"{"mongoUri": "localhost:27017"}"#,
                "`mongoUri` must start with",
            ),
            (r#"{"logRetentionDays": 0}"#, "`logRetentionDays`"),
            (r#"{"auditRetentionDays": 0}"#, "`auditRetentionDays`"),
            (
                r#"{"auditRetentionDays": 99999999}"#,
                "`auditRetentionDays` must be from 1 to 36500",
            ),
            (r#"{"logKeepPerJob": 0}"#, "`logKeepPerJob`"),
            (
                r#"{"maxWaitingRuns": 0}"#,
                "`maxWaitingRuns` must be from 1 to 1000000 (got 0)",
            ),
            (
                r#"{"workerForgetAfter": 59}"#,
                "`workerForgetAfter` must be from 60 s to 31536000 s (a year), got 59 s",
            ),
            (
                r#"{"workerForgetAfter": 31536001}"#,
                "`workerForgetAfter` must be from 60 s",
            ),
            (r#"{"etcdDialTimeout": 0}"#, "`etcdDialTimeout`"),
            (r#"{"mongoConnectTimeout": 0}"#, "`mongoConnectTimeout`"),
        ];
        for (file, want) in cases {
            let e = error_of(file);
            assert!(
                e.starts_with(&format!("invalid config: {want}")),
                "{file}: {e}"
            );
        }
    }

    #[test]
    fn empty_strings_clear_optional_keys() {
        let file = r#"{"mongoUri": "mongodb://db", "address": "", "spoolDir": "/s"}"#;
        let env = env_of(&[("MONGO_URI", ""), ("SCHEDD_SPOOL_DIR", "")]);
        let cfg =
            ClusterConfig::from_sources(Some((Path::new("w.json"), file)), &env).expect("valid");
        assert_eq!(cfg.mongo_uri, None);
        assert_eq!(cfg.address, None);
        assert_eq!(cfg.spool_dir, None);
        assert_eq!(
            ClusterConfig::from_sources(None, &env_of(&[("WORKER_LABELS", "")]))
                .expect("valid")
                .labels,
            BTreeMap::new()
        );
    }

    #[test]
    fn listen_and_api_port_stay_one_address() {
        let file = r#"{"listen": "0.0.0.0:8070"}"#;
        let path = Path::new("master.json");
        // listen sets the port ...
        let cfg = ClusterConfig::from_sources(Some((path, file)), &no_env).expect("valid");
        assert_eq!(
            (cfg.api_port, cfg.listen_addr().to_string()),
            (8070, "0.0.0.0:8070".into())
        );
        // ... a higher apiPort moves it ...
        let cfg = ClusterConfig::from_sources(Some((path, file)), &env_of(&[("API_PORT", "9000")]))
            .expect("valid");
        assert_eq!(cfg.listen_addr().to_string(), "0.0.0.0:9000");
        assert_eq!(cfg.api_port, 9000);
        // ... a higher listen replaces it ...
        let flags = Overrides {
            listen: Some("127.0.0.1:7000".parse().expect("addr")),
            ..Overrides::default()
        };
        let cfg =
            ClusterConfig::resolve(Some((path, file)), &env_of(&[("API_PORT", "9000")]), &flags)
                .expect("valid");
        assert_eq!(
            (cfg.api_port, cfg.listen_addr().to_string()),
            (7000, "127.0.0.1:7000".into())
        );
        // ... and one layer may not disagree with itself.
        let e = ClusterConfig::from_sources(
            Some((path, r#"{"listen": "0.0.0.0:8070", "apiPort": 9000}"#)),
            &no_env,
        )
        .expect_err("two ports")
        .to_string();
        assert_eq!(
            e,
            "master.json: `listen` (0.0.0.0:8070) and `apiPort` (9000) name different ports; set only one of them"
        );
        // apiPort alone moves the default loopback address.
        let cfg =
            ClusterConfig::from_sources(None, &env_of(&[("API_PORT", "9001")])).expect("valid");
        assert_eq!(cfg.listen_addr().to_string(), "127.0.0.1:9001");
    }

    #[test]
    fn debug_redacts_secrets() {
        let cfg = ClusterConfig {
            etcd_username: Some("root".into()),
            etcd_password: Some("hunter2".into()),
            mongo_uri: Some("mongodb://app:pa55@db:27017/?tls=true".into()),
            api_token: Some("schedd_s3cr3t".into()),
            ..ClusterConfig::default()
        };
        let debug = format!("{cfg:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(!debug.contains("s3cr3t"), "{debug}");
        assert!(!debug.contains("pa55"), "{debug}");
        assert!(
            debug.contains("mongodb://app:<redacted>@db:27017/?tls=true"),
            "{debug}"
        );
        let flags = Overrides {
            etcd_password: Some("hunter2".into()),
            ..Overrides::default()
        };
        assert!(!format!("{flags:?}").contains("hunter2"));
    }

    #[test]
    fn redact_uri_keeps_everything_but_the_password() {
        assert_eq!(redact_uri("mongodb://db:27017"), "mongodb://db:27017");
        assert_eq!(
            redact_uri("mongodb+srv://u:p@cluster.example/db?x=@"),
            "mongodb+srv://u:<redacted>@cluster.example/db?x=@"
        );
        assert_eq!(redact_uri("mongodb://u@db"), "mongodb://u@db");
        assert_eq!(redact_uri("not a uri"), "not a uri");
    }

    #[test]
    fn labels_parse_from_items() {
        assert_eq!(
            parse_label("zone=eu=1"),
            Ok(("zone".to_owned(), "eu=1".to_owned()))
        );
        assert!(parse_label("zone").is_err());
        assert!(parse_label("=x").is_err());
        assert!(parse_label("a=").is_err());
        assert_eq!(parse_labels(" a=1 ,b=2,").map(|l| l.len()), Ok(2));
    }
}

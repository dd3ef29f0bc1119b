//! The command line of `schedd-worker`, in the library so that man pages and completions can
//! be generated from it.
//!
//! Each config key has a flag here, and none of them reads the environment itself: the
//! environment is one layer of [`ClusterConfig::resolve`], between the file and these flags,
//! so that a flag beats its variable and the variable beats the file.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use schedd_core::config::{ClusterConfig, Overrides, parse_label};

/// The schedd worker: fires jobs on their cron schedules and runs them as shell commands.
#[derive(Debug, Parser)]
#[command(
    name = "schedd-worker",
    version,
    long_about = "The schedd worker: fires jobs on their cron schedules and runs them as shell \
commands.

It watches the jobs in etcd, claims each tick it is to run (so every tick runs exactly once in \
the cluster), runs the command in its own process group, and sends an execution record for \
every run to MongoDB (mongoUri) or, without one, to the master. Records wait in a spool on \
local disk until the store has them.

Settings come from --config (the old system's JSON keys: etcdEndpoints, etcdDialTimeout, \
workerId, heartbeatInterval, logBatchSize, logCommitTimeout, executorThreads, jobLockTtl, \
mongoUri, mongoConnectTimeout, plus etcdPrefix, etcdUsername, etcdPassword, labels, timezone, \
dataDir, spoolDir, address, metricsListen), then the environment (ETCD_ENDPOINTS, WORKER_ID, EXECUTOR_THREADS, \
MONGO_URI, WORKER_LABELS=k=v,k2=v2, ...), then these flags: a flag beats its variable, a \
variable beats the file. An unknown key in the file is an error."
)]
pub struct Cli {
    /// The config file: a JSON object with the keys named above.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// etcd endpoints, comma-separated (`etcdEndpoints`, ETCD_ENDPOINTS)
    /// [default: 127.0.0.1:2379].
    #[arg(long, value_name = "HOST:PORT,...", value_delimiter = ',')]
    pub etcd_endpoints: Option<Vec<String>>,

    /// How long connecting to etcd may take, in milliseconds (`etcdDialTimeout`,
    /// ETCD_DIAL_TIMEOUT) [default: 5000].
    #[arg(long, value_name = "MS")]
    pub etcd_dial_timeout: Option<u64>,

    /// The etcd key prefix everything lives under (`etcdPrefix`, ETCD_PREFIX) [default: /cron].
    #[arg(long, value_name = "PREFIX")]
    pub etcd_prefix: Option<String>,

    /// This worker's id, unique in the cluster (`workerId`, WORKER_ID) [default: the host name].
    #[arg(long, value_name = "ID")]
    pub worker_id: Option<String>,

    /// How often the worker renews its registration, in milliseconds (`heartbeatInterval`,
    /// HEARTBEAT_INTERVAL) [default: 3000].
    #[arg(long, value_name = "MS")]
    pub heartbeat_interval: Option<u64>,

    /// Most execution records sent to the log store at once (`logBatchSize`, LOG_BATCH_SIZE)
    /// [default: 50].
    #[arg(long, value_name = "N")]
    pub log_batch_size: Option<usize>,

    /// Longest a finished record waits for others to share its write, in milliseconds
    /// (`logCommitTimeout`, LOG_COMMIT_TIMEOUT) [default: 2000].
    #[arg(long, value_name = "MS")]
    pub log_commit_timeout: Option<u64>,

    /// How many executions may run at once (`executorThreads`, EXECUTOR_THREADS) [default: 5].
    #[arg(long, value_name = "N")]
    pub executor_threads: Option<usize>,

    /// Lease of this worker's locks and registration, in seconds; longer than the heartbeat
    /// interval (`jobLockTtl`, JOB_LOCK_TTL) [default: 10].
    #[arg(long, value_name = "SECS")]
    pub job_lock_ttl: Option<u64>,

    /// MongoDB to store execution records in (`mongoUri`, MONGO_URI); empty to send them to
    /// the master [default: none, records go to the master].
    #[arg(long, value_name = "URI")]
    pub mongo_uri: Option<String>,

    /// How long connecting to MongoDB may take, in milliseconds (`mongoConnectTimeout`,
    /// MONGO_CONNECT_TIMEOUT) [default: 3000].
    #[arg(long, value_name = "MS")]
    pub mongo_connect_timeout: Option<u64>,

    /// A label of this worker, matched by job selectors; repeat for more (`labels`,
    /// WORKER_LABELS=k=v,k2=v2). Labels given here replace those of the file and the
    /// environment.
    #[arg(long = "label", value_name = "KEY=VALUE", value_parser = parse_label)]
    pub labels: Vec<(String, String)>,

    /// Time zone of jobs that name none, an IANA name (`timezone`, SCHEDD_TIMEZONE)
    /// [default: UTC].
    #[arg(long, value_name = "ZONE")]
    pub timezone: Option<String>,

    /// The directory the default spool lives in (`dataDir`, SCHEDD_DATA_DIR)
    /// [default: schedd-data].
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Where finished records wait until the store has them (`spoolDir`, SCHEDD_SPOOL_DIR)
    /// [default: DATA_DIR/spool-WORKER_ID].
    #[arg(long, value_name = "DIR")]
    pub spool_dir: Option<PathBuf>,

    /// The address this worker advertises in its registration (`address`, WORKER_ADDRESS).
    #[arg(long, value_name = "ADDRESS")]
    pub address: Option<String>,

    /// Serve Prometheus metrics (`/metrics`) and `/healthz` over plain HTTP on this address
    /// (`metricsListen`, SCHEDD_METRICS_LISTEN) [default: none, no metrics listener].
    #[arg(long, value_name = "IP:PORT")]
    pub metrics_listen: Option<std::net::SocketAddr>,

    /// Log format on stderr.
    // Not a config key: like the master's, it reads its variable itself.
    #[arg(long, env = "SCHEDD_LOG_FORMAT", value_enum, default_value = "human")]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Lines for people (also `text`).
    #[value(alias = "text")]
    Human,
    /// One JSON object per line, with the structured fields (job, execution, worker).
    Json,
}

impl Cli {
    /// The config: the --config file (if any), then the environment read through `env`,
    /// then the flags; validated.
    pub fn resolve(&self, env: &dyn Fn(&str) -> Option<String>) -> anyhow::Result<ClusterConfig> {
        let text = match &self.config {
            Some(path) => Some(
                std::fs::read_to_string(path)
                    .with_context(|| format!("reading the config file {}", path.display()))?,
            ),
            None => None,
        };
        let file = self.config.as_deref().zip(text.as_deref());
        Ok(ClusterConfig::resolve(file, env, &self.overrides())?)
    }

    /// Whether logs go to stderr as JSON lines (`--log-format json`).
    pub fn log_format_json(&self) -> bool {
        self.log_format == LogFormat::Json
    }

    /// What the flags set.
    pub fn overrides(&self) -> Overrides {
        Overrides {
            etcd_endpoints: self.etcd_endpoints.clone(),
            etcd_dial_timeout: self.etcd_dial_timeout.map(Duration::from_millis),
            etcd_prefix: self.etcd_prefix.clone(),
            worker_id: self.worker_id.clone(),
            heartbeat_interval: self.heartbeat_interval.map(Duration::from_millis),
            log_batch_size: self.log_batch_size,
            log_commit_timeout: self.log_commit_timeout.map(Duration::from_millis),
            executor_threads: self.executor_threads,
            job_lock_ttl: self.job_lock_ttl.map(Duration::from_secs),
            mongo_uri: self.mongo_uri.clone(),
            mongo_connect_timeout: self.mongo_connect_timeout.map(Duration::from_millis),
            labels: (!self.labels.is_empty()).then(|| self.labels.iter().cloned().collect()),
            timezone: self.timezone.clone(),
            data_dir: self.data_dir.clone(),
            spool_dir: self.spool_dir.clone(),
            address: self.address.clone(),
            metrics_listen: self.metrics_listen,
            ..Overrides::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use clap::CommandFactory;

    use super::*;
    use testkit::{config_file, env_of, no_env};

    fn parse(args: &[&str]) -> Cli {
        Cli::try_parse_from(std::iter::once("schedd-worker").chain(args.iter().copied()))
            .expect("valid arguments")
    }

    #[test]
    fn command_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn flag_beats_env_beats_file() {
        let (_dir, path) = config_file(
            r#"{"etcdEndpoints": ["file:2379"], "workerId": "file", "executorThreads": 2,
                "jobLockTtl": 20, "labels": {"from": "file"}}"#,
        );
        let path = path.to_str().expect("utf-8 path");
        let env = env_of(&[
            ("WORKER_ID", "env"),
            ("EXECUTOR_THREADS", "3"),
            ("WORKER_LABELS", "from=env"),
        ]);
        let cli = parse(&[
            "--config",
            path,
            "--worker-id",
            "flag",
            "--label",
            "from=flag",
            "--label",
            "zone=eu-1",
        ]);
        let cfg = cli.resolve(&env).expect("valid");
        assert_eq!(cfg.worker_id, "flag");
        assert_eq!(cfg.executor_threads, 3);
        assert_eq!(cfg.etcd_endpoints, ["file:2379"]);
        assert_eq!(cfg.job_lock_ttl, Duration::from_secs(20));
        assert_eq!(
            cfg.labels,
            BTreeMap::from([
                ("from".into(), "flag".into()),
                ("zone".into(), "eu-1".into())
            ])
        );
        // Without the flag the variable wins over the file.
        let cfg = parse(&["--config", path]).resolve(&env).expect("valid");
        assert_eq!(cfg.worker_id, "env");
        assert_eq!(cfg.labels, BTreeMap::from([("from".into(), "env".into())]));
    }

    #[test]
    fn every_flag_reaches_the_config() {
        let cli = parse(&[
            "--etcd-endpoints",
            "a:1,b:2",
            "--etcd-dial-timeout",
            "1500",
            "--etcd-prefix",
            "/schedd",
            "--worker-id",
            "w9",
            "--heartbeat-interval",
            "1000",
            "--log-batch-size",
            "7",
            "--log-commit-timeout",
            "250",
            "--executor-threads",
            "4",
            "--job-lock-ttl",
            "6",
            "--mongo-uri",
            "mongodb://db:27017",
            "--mongo-connect-timeout",
            "900",
            "--label",
            "a=1",
            "--timezone",
            "Europe/Berlin",
            "--data-dir",
            "/var/lib/schedd",
            "--spool-dir",
            "/var/spool/schedd",
            "--address",
            "10.0.0.5:7000",
            "--metrics-listen",
            "127.0.0.1:9100",
            "--log-format",
            "json",
        ]);
        let cfg = cli.resolve(&no_env).expect("valid");
        assert_eq!(cfg.etcd_endpoints, ["a:1", "b:2"]);
        assert_eq!(cfg.etcd_dial_timeout, Duration::from_millis(1500));
        assert_eq!(cfg.etcd_prefix, "/schedd");
        assert_eq!(cfg.worker_id, "w9");
        assert_eq!(cfg.heartbeat_interval, Duration::from_millis(1000));
        assert_eq!(cfg.log_batch_size, 7);
        assert_eq!(cfg.log_commit_timeout, Duration::from_millis(250));
        assert_eq!(cfg.executor_threads, 4);
        assert_eq!(cfg.job_lock_ttl, Duration::from_secs(6));
        assert_eq!(cfg.mongo_uri.as_deref(), Some("mongodb://db:27017"));
        assert_eq!(cfg.mongo_connect_timeout, Duration::from_millis(900));
        assert_eq!(cfg.labels, BTreeMap::from([("a".into(), "1".into())]));
        assert_eq!(cfg.timezone, "Europe/Berlin");
        assert_eq!(cfg.data_dir, PathBuf::from("/var/lib/schedd"));
        assert_eq!(
            cfg.worker_spool_dir("w9"),
            PathBuf::from("/var/spool/schedd")
        );
        assert_eq!(cfg.address.as_deref(), Some("10.0.0.5:7000"));
        assert_eq!(
            cfg.metrics_listen,
            Some("127.0.0.1:9100".parse().expect("address"))
        );
        assert!(cli.log_format_json());
    }

    #[test]
    fn an_empty_mongo_uri_flag_sends_records_to_the_master() {
        let (_dir, path) = config_file(r#"{"mongoUri": "mongodb://db:27017"}"#);
        let cli = parse(&["--config", path.to_str().expect("utf-8"), "--mongo-uri", ""]);
        assert_eq!(cli.resolve(&no_env).expect("valid").mongo_uri, None);
    }

    #[test]
    fn no_config_file_means_defaults_and_env() {
        let cfg = parse(&[])
            .resolve(&env_of(&[("ETCD_ENDPOINTS", "10.1.1.1:2379")]))
            .expect("valid");
        assert_eq!(cfg.etcd_endpoints, ["10.1.1.1:2379"]);
        assert_eq!(cfg.executor_threads, 5);
    }

    #[test]
    fn unreadable_config_names_the_path() {
        let e = parse(&["--config", "/nonexistent/worker.json"])
            .resolve(&no_env)
            .expect_err("no such file");
        let msg = format!("{e:#}");
        assert!(
            msg.starts_with("reading the config file /nonexistent/worker.json: "),
            "{msg}"
        );
    }

    #[test]
    fn config_errors_name_the_file_and_the_key() {
        let (_dir, path) = config_file(r#"{"etcdEndpoint": ["a:1"]}"#);
        let msg = format!(
            "{:#}",
            parse(&["--config", path.to_str().expect("utf-8")])
                .resolve(&no_env)
                .expect_err("unknown key")
        );
        assert_eq!(
            msg,
            format!(
                "{}: unknown key `etcdEndpoint` (did you mean `etcdEndpoints`?)",
                path.display()
            )
        );
        let msg = format!(
            "{:#}",
            parse(&["--executor-threads", "0"])
                .resolve(&no_env)
                .expect_err("zero threads")
        );
        assert_eq!(
            msg,
            "invalid config: `executorThreads` must be at least 1 (got 0)"
        );
    }

    /// Hostile config files: each is refused with the file's path and the key (or what is
    /// wrong with the file as a whole) in the message; none panics.
    #[test]
    fn hostile_config_files_are_refused_naming_the_file_and_the_key() {
        let nested = format!(
            "{{\"labels\": {}1{}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let huge = format!("{{\"workerId\": \"{}\"}}", "w".repeat(10 << 20));
        let cases: Vec<(&str, String, &[&str])> = vec![
            (
                "negative threads",
                r#"{"executorThreads": -1}"#.into(),
                &["executorThreads"],
            ),
            (
                "threads past u64",
                r#"{"executorThreads": 1e30}"#.into(),
                &["executorThreads"],
            ),
            (
                "zero threads",
                r#"{"executorThreads": 0}"#.into(),
                &["executorThreads"],
            ),
            (
                "threads as text",
                r#"{"executorThreads": "many"}"#.into(),
                &["executorThreads"],
            ),
            (
                "a negative lock TTL",
                r#"{"jobLockTtl": -10}"#.into(),
                &["jobLockTtl"],
            ),
            (
                "a huge lock TTL",
                r#"{"jobLockTtl": 18446744073709551615}"#.into(),
                &["jobLockTtl"],
            ),
            (
                "a zero heartbeat",
                r#"{"heartbeatInterval": 0}"#.into(),
                &["heartbeatInterval"],
            ),
            (
                "a million waiting runs and one",
                r#"{"maxWaitingRuns": 1000001}"#.into(),
                &["maxWaitingRuns"],
            ),
            (
                "endpoints as a number",
                r#"{"etcdEndpoints": 7}"#.into(),
                &["etcdEndpoints"],
            ),
            (
                "an unknown zone",
                r#"{"timezone": "Mars/Olympus"}"#.into(),
                &["timezone", "Mars"],
            ),
            (
                "JSON nested 100,000 deep",
                nested,
                &["labels", "recursion", "depth"],
            ),
            ("a worker id of 10 MB", huge, &["workerId"]),
            (
                "a NUL in the worker id",
                "{\"workerId\": \"a\\u0000b\"}".into(),
                &["workerId"],
            ),
            ("not JSON", "{{{".into(), &["key", "expected", "line"]),
            (
                "an array",
                "[1, 2]".into(),
                &["expected", "map", "object", "struct"],
            ),
            (
                "an empty file",
                String::new(),
                &["EOF", "empty", "expected"],
            ),
        ];
        for (what, text, words) in cases {
            let (_dir, path) = config_file(&text);
            let shown = path.to_str().expect("utf-8");
            let msg = match parse(&["--config", shown]).resolve(&no_env) {
                Ok(_) => panic!("{what}: accepted"),
                Err(e) => format!("{e:#}"),
            };
            assert!(
                msg.contains(shown) || msg.starts_with("invalid config"),
                "{what}: the file is not named in {msg:.300}"
            );
            assert!(
                words.iter().any(|w| msg.contains(w)),
                "{what}: want one of {words:?} in {msg:.300}"
            );
        }
    }

    #[test]
    fn bad_flag_values_are_rejected_by_the_parser() {
        for args in [
            &["--label", "zone"][..],
            &["--label", "=x"],
            &["--executor-threads", "many"],
            &["--log-format", "xml"],
            &["--metrics-listen", "localhost"],
        ] {
            let argv = std::iter::once("schedd-worker").chain(args.iter().copied());
            assert!(Cli::try_parse_from(argv).is_err(), "{args:?} accepted");
        }
    }

    #[test]
    fn flags_do_not_read_the_environment() {
        // The environment is the config's layer below the flags; a flag that read its own
        // variable would put the variable above the file and the flag at once.
        for arg in Cli::command().get_arguments() {
            if arg.get_id() != "log_format" {
                assert_eq!(arg.get_env(), None, "--{} reads a variable", arg.get_id());
            }
        }
    }
}

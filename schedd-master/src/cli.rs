//! The command line of `schedd-master`, in the library so that man pages and completions can
//! be generated from it.
//!
//! Two modes share it. `--dev` reads its flags (and their variables) directly. A cluster
//! master resolves its settings with [`Cli::resolve_cluster`]: the `--config` file, then the
//! environment, then the flags, through [`ClusterConfig::resolve`]. The cluster-only flags
//! therefore read no variable themselves. The flags both modes share (`--listen`,
//! `--timezone`, `--data-dir`, `--log-retention-days`, `--log-keep-per-job`) do, for
//! `--dev`; their variables are the very ones the config's environment layer reads, so the
//! order flag > environment > file holds in a cluster too.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
use schedd_core::config::{
    ClusterConfig, DEFAULT_API_PORT, DEFAULT_DATA_DIR, DEFAULT_TIMEZONE, Overrides,
};

const DEV: &str = "Embedded mode (--dev)";
const CLUSTER: &str = "Cluster mode (--config)";

/// The schedd master: stores jobs, serves the gRPC API, watches worker health.
///
/// With --dev it runs a complete scheduler in one process: the master and one worker, with
/// jobs and execution records in a SQLite file under --data-dir. No etcd, no MongoDB.
///
/// Without --dev it is the master of a cluster: jobs, workers and kill signals live in etcd,
/// and execution records in MongoDB (mongoUri) or, without one, in a SQLite file under
/// --data-dir that workers send their records to. Settings come from --config master.json
/// (the old system's keys: etcdEndpoints, etcdDialTimeout, heartbeatInterval, jobLockTtl,
/// apiPort, mongoUri, mongoConnectTimeout, plus etcdPrefix, etcdUsername, etcdPassword, listen,
/// timezone, dataDir, logRetentionDays, logKeepPerJob, auditRetentionDays), then the environment (ETCD_ENDPOINTS,
/// API_PORT, MONGO_URI, ...), then the flags: a flag beats its variable, a variable beats the
/// file. An unknown key in the file is an error.
#[derive(Debug, Parser)]
#[command(
    name = "schedd-master",
    version,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Run the master and one worker in this process, storing everything in --data-dir.
    #[arg(long, conflicts_with = "config")]
    pub dev: bool,

    /// Where the data lives: with --dev everything, in a cluster the execution records when
    /// there is no mongoUri (`dataDir`) [default: schedd-data].
    #[arg(long, env = "SCHEDD_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Address of the API (`listen`). Without tokens (or --insecure-no-auth) it must be a
    /// loopback address; --dev always listens on loopback
    /// [default: 127.0.0.1:8070; in a cluster 127.0.0.1:API_PORT].
    #[arg(long, env = "SCHEDD_LISTEN", value_name = "IP:PORT")]
    pub listen: Option<SocketAddr>,

    /// The tokens callers must present (see `schedd-master token`); with none in it, anyone
    /// who reaches the listener may do anything [default: DATA_DIR/tokens.json].
    #[arg(long, env = "SCHEDD_TOKENS_FILE", value_name = "PATH")]
    pub tokens_file: Option<PathBuf>,

    /// Listen on a non-loopback address without tokens: anyone who reaches the port may run
    /// any command on every worker. Logged as a warning every minute.
    #[arg(long, env = "SCHEDD_INSECURE_NO_AUTH", conflicts_with = "dev")]
    pub insecure_no_auth: bool,

    /// Time zone of jobs that name none (IANA name); stamped on each job when saved
    /// (`timezone`) [default: UTC].
    #[arg(long, env = "SCHEDD_TIMEZONE", value_name = "ZONE")]
    pub timezone: Option<String>,

    /// Delete execution records that started more than this many days ago (checked hourly)
    /// (`logRetentionDays`).
    #[arg(long, env = "LOG_RETENTION_DAYS", value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..))]
    pub log_retention_days: Option<u32>,

    /// Keep only this many of each job's newest execution records (checked hourly)
    /// (`logKeepPerJob`).
    #[arg(long, env = "LOG_KEEP_PER_JOB", value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub log_keep_per_job: Option<u32>,

    /// Delete audit entries older than this many days (checked hourly)
    /// (`auditRetentionDays`) [default: 365].
    #[arg(long, env = "AUDIT_RETENTION_DAYS", value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=36_500))]
    pub audit_retention_days: Option<u32>,

    /// Log format on stderr.
    #[arg(long, env = "SCHEDD_LOG_FORMAT", value_enum, default_value = "human")]
    pub log_format: LogFormat,

    /// How many executions may run at once.
    #[arg(long, env = "EXECUTOR_THREADS", default_value_t = 16, help_heading = DEV)]
    pub executor_threads: usize,

    /// Most execution records written to the store at once (`logBatchSize`).
    #[arg(long, env = "LOG_BATCH_SIZE", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=10_000), help_heading = DEV)]
    pub log_batch_size: u32,

    /// Longest a finished record waits for others to share its write, in milliseconds
    /// (`logCommitTimeout`).
    #[arg(long, env = "LOG_COMMIT_TIMEOUT", default_value_t = 100, value_parser = clap::value_parser!(u64).range(0..=60_000), help_heading = DEV)]
    pub log_commit_timeout: u64,

    /// On Ctrl-C or SIGTERM, how long running executions may go on before they are killed,
    /// in milliseconds; a cluster worker's is `drainTimeout` (30000 by default).
    #[arg(long, value_name = "MS", default_value_t = 0, conflicts_with = "config", help_heading = DEV)]
    pub drain_timeout: u64,

    /// Where finished records wait until the store has them [default: DATA_DIR/spool].
    #[arg(long, env = "SCHEDD_SPOOL_DIR", help_heading = DEV)]
    pub spool_dir: Option<PathBuf>,

    /// A webhook told of the failures, timeouts, recoveries and lost runs of every job that
    /// names no webhook of its own; repeat for more (a cluster worker's is `notify`).
    #[arg(long = "notify", value_name = "URL", conflicts_with = "config", help_heading = DEV)]
    pub notify: Vec<String>,

    /// The config file: a JSON object with the keys named above.
    #[arg(long, value_name = "PATH", help_heading = CLUSTER)]
    pub config: Option<PathBuf>,

    /// etcd endpoints, comma-separated (`etcdEndpoints`, ETCD_ENDPOINTS)
    /// [default: 127.0.0.1:2379].
    #[arg(long, value_name = "HOST:PORT,...", value_delimiter = ',', conflicts_with = "dev", help_heading = CLUSTER)]
    pub etcd_endpoints: Option<Vec<String>>,

    /// How long connecting to etcd may take, in milliseconds (`etcdDialTimeout`,
    /// ETCD_DIAL_TIMEOUT) [default: 5000].
    #[arg(long, value_name = "MS", conflicts_with = "dev", help_heading = CLUSTER)]
    pub etcd_dial_timeout: Option<u64>,

    /// The etcd key prefix everything lives under (`etcdPrefix`, ETCD_PREFIX)
    /// [default: /cron].
    #[arg(long, value_name = "PREFIX", conflicts_with = "dev", help_heading = CLUSTER)]
    pub etcd_prefix: Option<String>,

    /// Port of the API on 127.0.0.1, or of --listen (`apiPort`, API_PORT) [default: 8070].
    #[arg(long, value_name = "PORT", conflicts_with = "dev", help_heading = CLUSTER)]
    pub api_port: Option<u16>,

    /// MongoDB holding the execution records (`mongoUri`, MONGO_URI); empty for none
    /// [default: none, records live under --data-dir].
    #[arg(long, value_name = "URI", conflicts_with = "dev", help_heading = CLUSTER)]
    pub mongo_uri: Option<String>,

    /// How long connecting to MongoDB may take, in milliseconds (`mongoConnectTimeout`,
    /// MONGO_CONNECT_TIMEOUT) [default: 3000].
    #[arg(long, value_name = "MS", conflicts_with = "dev", help_heading = CLUSTER)]
    pub mongo_connect_timeout: Option<u64>,

    /// The workers' heartbeat interval, in milliseconds: a worker silent for three of them
    /// shows as down (`heartbeatInterval`, HEARTBEAT_INTERVAL) [default: 3000].
    #[arg(long, value_name = "MS", conflicts_with = "dev", help_heading = CLUSTER)]
    pub heartbeat_interval: Option<u64>,

    /// Lease of the master's entry in etcd, in seconds; longer than the heartbeat interval
    /// (`jobLockTtl`, JOB_LOCK_TTL) [default: 10].
    #[arg(long, value_name = "SECS", conflicts_with = "dev", help_heading = CLUSTER)]
    pub job_lock_ttl: Option<u64>,

    /// The `host:port` workers reach this master at (`advertise`, SCHEDD_ADVERTISE)
    /// [default: the listener's address, or the host's primary address for 0.0.0.0].
    #[arg(long, value_name = "HOST:PORT", conflicts_with = "dev", help_heading = CLUSTER)]
    pub advertise: Option<String>,

    /// Serve TLS with this certificate chain, PEM (`tlsCert`, SCHEDD_TLS_CERT).
    #[arg(long, value_name = "PATH", conflicts_with = "dev", help_heading = CLUSTER)]
    pub tls_cert: Option<PathBuf>,

    /// The TLS certificate's private key, PEM (`tlsKey`, SCHEDD_TLS_KEY).
    #[arg(long, value_name = "PATH", conflicts_with = "dev", help_heading = CLUSTER)]
    pub tls_key: Option<PathBuf>,

    /// Ask every caller for a client certificate signed by this CA, PEM (`tlsClientCa`,
    /// SCHEDD_TLS_CLIENT_CA).
    #[arg(long, value_name = "PATH", conflicts_with = "dev", help_heading = CLUSTER)]
    pub tls_client_ca: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Manage the API's bearer tokens (kept hashed in the tokens file).
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it, once: only its hash is kept.
    Create {
        /// The token's name, shown in logs and the audit trail.
        name: String,
        /// What it may do: viewer (read), operator (also enable, disable, run, kill), admin
        /// (also save and delete), worker (ingest records and relay output only).
        #[arg(long)]
        role: crate::auth::Role,
        /// Where the tokens are kept [default: DATA_DIR/tokens.json].
        #[arg(long, env = "SCHEDD_TOKENS_FILE", value_name = "PATH")]
        tokens_file: Option<PathBuf>,
        #[arg(long, env = "SCHEDD_DATA_DIR", value_name = "DIR", hide = true)]
        data_dir: Option<PathBuf>,
    },
    /// List the tokens: name, role, created (never the tokens themselves).
    List {
        #[arg(long, env = "SCHEDD_TOKENS_FILE", value_name = "PATH")]
        tokens_file: Option<PathBuf>,
        #[arg(long, env = "SCHEDD_DATA_DIR", value_name = "DIR", hide = true)]
        data_dir: Option<PathBuf>,
    },
    /// Revoke a token: callers presenting it are refused from then on.
    Revoke {
        name: String,
        #[arg(long, env = "SCHEDD_TOKENS_FILE", value_name = "PATH")]
        tokens_file: Option<PathBuf>,
        #[arg(long, env = "SCHEDD_DATA_DIR", value_name = "DIR", hide = true)]
        data_dir: Option<PathBuf>,
    },
}

impl TokenCommand {
    /// The tokens file this command works on.
    pub fn tokens_file(&self) -> PathBuf {
        let (file, dir) = match self {
            TokenCommand::Create {
                tokens_file,
                data_dir,
                ..
            }
            | TokenCommand::List {
                tokens_file,
                data_dir,
            }
            | TokenCommand::Revoke {
                tokens_file,
                data_dir,
                ..
            } => (tokens_file, data_dir),
        };
        tokens_path(file.as_deref(), dir.as_deref())
    }
}

/// The tokens file: `--tokens-file`, or `tokens.json` in the data directory.
pub fn tokens_path(file: Option<&std::path::Path>, data_dir: Option<&std::path::Path>) -> PathBuf {
    match file {
        Some(f) => f.to_owned(),
        None => data_dir
            .unwrap_or(std::path::Path::new(DEFAULT_DATA_DIR))
            .join("tokens.json"),
    }
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
    /// `--data-dir` of embedded mode, with its default.
    pub fn dev_data_dir(&self) -> PathBuf {
        self.data_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR))
    }

    /// `--listen` of embedded mode, with its default.
    pub fn dev_listen(&self) -> SocketAddr {
        self.listen.unwrap_or(SocketAddr::new(
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            DEFAULT_API_PORT,
        ))
    }

    /// `--timezone` of embedded mode, with its default.
    pub fn dev_timezone(&self) -> &str {
        self.timezone.as_deref().unwrap_or(DEFAULT_TIMEZONE)
    }

    /// The config of a cluster master: the --config file (if any), then the environment read
    /// through `env`, then the flags; validated.
    pub fn resolve_cluster(
        &self,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> anyhow::Result<ClusterConfig> {
        let text = match &self.config {
            Some(path) => Some(
                std::fs::read_to_string(path)
                    .with_context(|| format!("reading the config file {}", path.display()))?,
            ),
            None => None,
        };
        let file = self.config.as_deref().zip(text.as_deref());
        Ok(ClusterConfig::resolve(file, env, &self.overrides(env))?)
    }

    /// What the flags set in a cluster.
    fn overrides(&self, env: &dyn Fn(&str) -> Option<String>) -> Overrides {
        // `--listen` also reads SCHEDD_LISTEN, which is the config's own variable for
        // `listen`. A value that merely repeats the variable is left to the environment
        // layer, so that `--api-port`, a flag, can still move it.
        let from_env: Option<SocketAddr> = env("SCHEDD_LISTEN").and_then(|v| v.trim().parse().ok());
        let listen = self.listen.filter(|l| Some(*l) != from_env);
        Overrides {
            etcd_endpoints: self.etcd_endpoints.clone(),
            etcd_dial_timeout: self.etcd_dial_timeout.map(Duration::from_millis),
            etcd_prefix: self.etcd_prefix.clone(),
            heartbeat_interval: self.heartbeat_interval.map(Duration::from_millis),
            job_lock_ttl: self.job_lock_ttl.map(Duration::from_secs),
            api_port: self.api_port,
            mongo_uri: self.mongo_uri.clone(),
            mongo_connect_timeout: self.mongo_connect_timeout.map(Duration::from_millis),
            timezone: self.timezone.clone(),
            data_dir: self.data_dir.clone(),
            listen,
            log_retention_days: self.log_retention_days,
            log_keep_per_job: self.log_keep_per_job,
            audit_retention_days: self.audit_retention_days,
            advertise: self.advertise.clone(),
            tls_cert: self.tls_cert.clone(),
            tls_key: self.tls_key.clone(),
            tls_client_ca: self.tls_client_ca.clone(),
            ..Overrides::default()
        }
    }
}

#[cfg(test)]
mod tests {

    use clap::CommandFactory;

    use super::*;
    use testkit::{config_file, env_of, no_env};

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("schedd-master").chain(args.iter().copied()))
    }

    #[test]
    fn command_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn log_format_takes_text_for_human() {
        let cli = parse(&["--dev", "--log-format", "text"]).expect("parses");
        assert_eq!(cli.log_format, LogFormat::Human);
        let cli = parse(&["--dev", "--log-format", "json"]).expect("parses");
        assert_eq!(cli.log_format, LogFormat::Json);
    }

    #[test]
    fn dev_defaults_are_unchanged() {
        let cli = parse(&["--dev"]).expect("valid");
        assert!(cli.dev);
        assert_eq!(cli.dev_data_dir(), PathBuf::from("schedd-data"));
        assert_eq!(cli.dev_listen().to_string(), "127.0.0.1:8070");
        assert_eq!(cli.dev_timezone(), "UTC");
        assert_eq!(cli.executor_threads, 16);
        assert_eq!(cli.log_batch_size, 100);
        assert_eq!(cli.log_commit_timeout, 100);
        assert_eq!(cli.log_format, LogFormat::Human);

        let cli = parse(&[
            "--dev",
            "--listen",
            "127.0.0.1:9000",
            "--data-dir",
            "/tmp/d",
            "--timezone",
            "Europe/Berlin",
        ])
        .expect("valid");
        assert_eq!(cli.dev_listen().to_string(), "127.0.0.1:9000");
        assert_eq!(cli.dev_data_dir(), PathBuf::from("/tmp/d"));
        assert_eq!(cli.dev_timezone(), "Europe/Berlin");
    }

    #[test]
    fn dev_and_config_conflict() {
        let e = parse(&["--dev", "--config", "master.json"]).expect_err("conflict");
        assert_eq!(e.kind(), clap::error::ErrorKind::ArgumentConflict);
        let msg = e.to_string();
        assert!(msg.contains("--dev") && msg.contains("--config"), "{msg}");
        for flag in [
            "--etcd-endpoints",
            "--etcd-dial-timeout",
            "--etcd-prefix",
            "--api-port",
            "--mongo-uri",
            "--mongo-connect-timeout",
            "--heartbeat-interval",
            "--job-lock-ttl",
        ] {
            let e = parse(&["--dev", flag, "1"]).expect_err("cluster flag in --dev");
            assert_eq!(e.kind(), clap::error::ErrorKind::ArgumentConflict, "{flag}");
        }
    }

    #[test]
    fn cluster_flag_beats_env_beats_file() {
        let (_dir, path) = config_file(
            r#"{"etcdEndpoints": ["file:2379"], "apiPort": 8071, "mongoConnectTimeout": 1000,
                "heartbeatInterval": 2000, "dataDir": "/file", "timezone": "Asia/Tokyo"}"#,
        );
        let path = path.to_str().expect("utf-8 path");
        let env = env_of(&[
            ("ETCD_ENDPOINTS", "env:2379"),
            ("API_PORT", "8072"),
            ("MONGO_CONNECT_TIMEOUT", "2000"),
        ]);
        let cfg = parse(&["--config", path])
            .expect("valid")
            .resolve_cluster(&env)
            .expect("valid");
        assert_eq!(cfg.etcd_endpoints, ["env:2379"]);
        assert_eq!(cfg.listen_addr().to_string(), "127.0.0.1:8072");
        assert_eq!(cfg.mongo_connect_timeout, Duration::from_millis(2000));
        assert_eq!(cfg.heartbeat_interval, Duration::from_millis(2000));
        assert_eq!(cfg.data_dir, PathBuf::from("/file"));
        assert_eq!(cfg.timezone, "Asia/Tokyo");

        let cli = parse(&[
            "--config",
            path,
            "--etcd-endpoints",
            "flag1:2379,flag2:2379",
            "--api-port",
            "8073",
            "--data-dir",
            "/flag",
            "--timezone",
            "Europe/Berlin",
        ])
        .expect("valid");
        let cfg = cli.resolve_cluster(&env).expect("valid");
        assert_eq!(cfg.etcd_endpoints, ["flag1:2379", "flag2:2379"]);
        assert_eq!(cfg.listen_addr().to_string(), "127.0.0.1:8073");
        assert_eq!(cfg.mongo_connect_timeout, Duration::from_millis(2000));
        assert_eq!(cfg.data_dir, PathBuf::from("/flag"));
        assert_eq!(cfg.timezone, "Europe/Berlin");
    }

    #[test]
    fn every_cluster_flag_reaches_the_config() {
        let cli = parse(&[
            "--etcd-endpoints",
            "a:1",
            "--etcd-dial-timeout",
            "1500",
            "--etcd-prefix",
            "/schedd",
            "--api-port",
            "9100",
            "--mongo-uri",
            "mongodb://db:27017",
            "--mongo-connect-timeout",
            "900",
            "--heartbeat-interval",
            "1000",
            "--job-lock-ttl",
            "5",
            "--timezone",
            "Europe/Berlin",
            "--data-dir",
            "/var/lib/schedd",
            "--log-retention-days",
            "30",
            "--log-keep-per-job",
            "500",
        ])
        .expect("valid");
        let cfg = cli.resolve_cluster(&no_env).expect("valid");
        assert_eq!(cfg.etcd_endpoints, ["a:1"]);
        assert_eq!(cfg.etcd_dial_timeout, Duration::from_millis(1500));
        assert_eq!(cfg.etcd_prefix, "/schedd");
        assert_eq!(cfg.listen_addr().to_string(), "127.0.0.1:9100");
        assert_eq!(cfg.mongo_uri.as_deref(), Some("mongodb://db:27017"));
        assert_eq!(cfg.mongo_connect_timeout, Duration::from_millis(900));
        assert_eq!(cfg.heartbeat_interval, Duration::from_millis(1000));
        assert_eq!(cfg.job_lock_ttl, Duration::from_secs(5));
        assert_eq!(cfg.timezone, "Europe/Berlin");
        assert_eq!(cfg.data_dir, PathBuf::from("/var/lib/schedd"));
        assert_eq!(cfg.log_retention_days, Some(30));
        assert_eq!(cfg.log_keep_per_job, Some(500));
    }

    #[test]
    fn listen_flag_beats_the_file_and_api_port() {
        let (_dir, path) = config_file(r#"{"listen": "127.0.0.1:8100"}"#);
        let path = path.to_str().expect("utf-8 path");
        let cfg = parse(&["--config", path])
            .expect("valid")
            .resolve_cluster(&no_env)
            .expect("valid");
        assert_eq!(cfg.listen_addr().to_string(), "127.0.0.1:8100");
        // --api-port moves the file's address ...
        let cfg = parse(&["--config", path, "--api-port", "8200"])
            .expect("valid")
            .resolve_cluster(&no_env)
            .expect("valid");
        assert_eq!(cfg.listen_addr().to_string(), "127.0.0.1:8200");
        // ... and --listen replaces it.
        let cfg = parse(&["--config", path, "--listen", "0.0.0.0:8300"])
            .expect("valid")
            .resolve_cluster(&env_of(&[("API_PORT", "8400")]))
            .expect("valid");
        assert_eq!(cfg.listen_addr().to_string(), "0.0.0.0:8300");
        assert_eq!(cfg.api_port, 8300);
    }

    #[test]
    fn schedd_listen_from_the_environment_yields_to_the_api_port_flag() {
        // clap hands SCHEDD_LISTEN over as if it were --listen; it stays an environment value.
        let env = env_of(&[("SCHEDD_LISTEN", "127.0.0.1:8500")]);
        let cli = Cli::try_parse_from(["schedd-master", "--api-port", "8600"]).expect("valid");
        let cli = Cli {
            listen: Some("127.0.0.1:8500".parse().expect("addr")),
            ..cli
        };
        let cfg = cli.resolve_cluster(&env).expect("valid");
        assert_eq!(cfg.listen_addr().to_string(), "127.0.0.1:8600");
    }

    #[test]
    fn unreadable_or_bad_config_names_the_file() {
        let e = parse(&["--config", "/nonexistent/master.json"])
            .expect("valid")
            .resolve_cluster(&no_env)
            .expect_err("no such file");
        assert!(
            format!("{e:#}").starts_with("reading the config file /nonexistent/master.json: "),
            "{e:#}"
        );
        let (_dir, path) = config_file(r#"{"apiport": 8070}"#);
        let e = parse(&["--config", path.to_str().expect("utf-8")])
            .expect("valid")
            .resolve_cluster(&no_env)
            .expect_err("unknown key");
        assert_eq!(
            format!("{e:#}"),
            format!(
                "{}: unknown key `apiport` (did you mean `apiPort`?)",
                path.display()
            )
        );
    }

    #[test]
    fn cluster_flags_do_not_read_the_environment() {
        let cmd = Cli::command();
        for arg in cmd.get_arguments() {
            if arg.get_help_heading() == Some(CLUSTER) {
                assert_eq!(arg.get_env(), None, "--{} reads a variable", arg.get_id());
            }
        }
    }
}

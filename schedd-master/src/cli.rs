//! The command line of `schedd-master`, in the library so that man pages and completions can
//! be generated from it.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

/// The schedd master: stores jobs, serves the gRPC API, watches worker health.
///
/// With --dev it runs a complete scheduler in one process: the master and one worker, with
/// jobs and execution records in a SQLite file under --data-dir. No etcd, no MongoDB.
#[derive(Debug, Parser)]
#[command(name = "schedd-master", version)]
pub struct Cli {
    /// Run the master and one worker in this process, storing everything in --data-dir.
    #[arg(long)]
    pub dev: bool,

    /// Where embedded mode keeps its database.
    #[arg(long, env = "SCHEDD_DATA_DIR", default_value = "schedd-data")]
    pub data_dir: PathBuf,

    /// Address of the API. Without authentication it must be a loopback address.
    #[arg(long, env = "SCHEDD_LISTEN", default_value = "127.0.0.1:8070")]
    pub listen: SocketAddr,

    /// Time zone of jobs that name none (IANA name); stamped on each job when saved.
    #[arg(long, env = "SCHEDD_TIMEZONE", default_value = "UTC")]
    pub timezone: String,

    /// How many executions may run at once.
    #[arg(long, env = "EXECUTOR_THREADS", default_value_t = 16)]
    pub executor_threads: usize,

    /// Most execution records written to the store at once (`logBatchSize`).
    #[arg(long, env = "LOG_BATCH_SIZE", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub log_batch_size: u32,

    /// Longest a finished record waits for others to share its write, in milliseconds
    /// (`logCommitTimeout`).
    #[arg(long, env = "LOG_COMMIT_TIMEOUT", default_value_t = 100, value_parser = clap::value_parser!(u64).range(0..=60_000))]
    pub log_commit_timeout: u64,

    /// Delete execution records that started more than this many days ago (checked hourly).
    #[arg(long, env = "LOG_RETENTION_DAYS", value_parser = clap::value_parser!(u32).range(1..))]
    pub log_retention_days: Option<u32>,

    /// Keep only this many of each job's newest execution records (checked hourly).
    #[arg(long, env = "LOG_KEEP_PER_JOB", value_parser = clap::value_parser!(u32).range(1..))]
    pub log_keep_per_job: Option<u32>,

    /// Where finished records wait until the store has them [default: DATA_DIR/spool].
    #[arg(long, env = "SCHEDD_SPOOL_DIR")]
    pub spool_dir: Option<PathBuf>,

    /// Log format on stderr.
    #[arg(long, env = "SCHEDD_LOG_FORMAT", value_enum, default_value = "human")]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LogFormat {
    Human,
    Json,
}

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

    /// Log format on stderr.
    #[arg(long, env = "SCHEDD_LOG_FORMAT", value_enum, default_value = "human")]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum LogFormat {
    Human,
    Json,
}

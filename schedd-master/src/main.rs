//! `schedd-master`: the master of a schedd cluster, or with `--dev` a complete scheduler in
//! one process.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Parser;
use schedd_master::embedded::{self, DevConfig};
use tokio_util::sync::CancellationToken;
use tracing_subscriber::EnvFilter;

/// The schedd master: stores jobs, serves the gRPC API, watches worker health.
///
/// With --dev it runs a complete scheduler in one process: the master and one worker, with
/// jobs and execution records in a SQLite file under --data-dir. No etcd, no MongoDB.
#[derive(Debug, Parser)]
#[command(name = "schedd-master", version)]
struct Cli {
    /// Run the master and one worker in this process, storing everything in --data-dir.
    #[arg(long)]
    dev: bool,

    /// Where embedded mode keeps its database.
    #[arg(long, env = "SCHEDD_DATA_DIR", default_value = "schedd-data")]
    data_dir: PathBuf,

    /// Address of the API. Without authentication it must be a loopback address.
    #[arg(long, env = "SCHEDD_LISTEN", default_value = "127.0.0.1:8070")]
    listen: SocketAddr,

    /// Time zone of jobs that name none (IANA name); stamped on each job when saved.
    #[arg(long, env = "SCHEDD_TIMEZONE", default_value = "UTC")]
    timezone: String,

    /// How many executions may run at once.
    #[arg(long, env = "EXECUTOR_THREADS", default_value_t = 16)]
    executor_threads: usize,

    /// Log format on stderr.
    #[arg(long, env = "SCHEDD_LOG_FORMAT", value_enum, default_value = "human")]
    log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Human,
    Json,
}

fn init_tracing(format: LogFormat) {
    let filter = EnvFilter::try_from_env("SCHEDD_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    match format {
        LogFormat::Human => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

async fn shutdown_signal(token: CancellationToken) {
    let ctrl_c = tokio::signal::ctrl_c();
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "cannot listen for SIGTERM");
            let _ = ctrl_c.await;
            token.cancel();
            return;
        }
    };
    tokio::select! {
        _ = ctrl_c => {}
        _ = term.recv() => {}
    }
    tracing::info!("shutting down");
    token.cancel();
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if !cli.dev {
        bail!("only embedded mode is available in this build: run `schedd-master --dev`");
    }
    if !cli.listen.ip().is_loopback() {
        bail!(
            "refusing to listen on {} without authentication; use a loopback address such as 127.0.0.1:8070",
            cli.listen
        );
    }
    if cli.executor_threads == 0 {
        bail!("--executor-threads must be at least 1");
    }
    let default_tz = schedd_core::schedule::parse_timezone(&cli.timezone).context("--timezone")?;
    let listener = tokio::net::TcpListener::bind(cli.listen)
        .await
        .with_context(|| format!("listening on {}", cli.listen))?;
    let mut cfg = DevConfig::new(&cli.data_dir);
    cfg.default_tz = default_tz;
    cfg.executor_threads = cli.executor_threads;
    cfg.heartbeat_interval = Duration::from_secs(3);
    tracing::info!(
        listen = %cli.listen,
        data_dir = %cli.data_dir.display(),
        timezone = %default_tz,
        "schedd embedded scheduler ready"
    );
    let token = CancellationToken::new();
    tokio::spawn(shutdown_signal(token.clone()));
    embedded::run(cfg, listener, token).await
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    init_tracing(cli.log_format);
    if let Err(e) = run(cli).await {
        eprintln!("schedd-master: {e:#}");
        std::process::exit(1);
    }
}

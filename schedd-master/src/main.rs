//! `schedd-master`: the master of a schedd cluster, or with `--dev` a complete scheduler in
//! one process.

use std::time::Duration;

use anyhow::{Context, bail};
use clap::Parser;
use schedd_master::cli::{Cli, LogFormat};
use schedd_master::embedded::{self, DevConfig};
use schedd_worker::process;
use tokio_util::sync::CancellationToken;

async fn run(cli: Cli) -> anyhow::Result<()> {
    if !cli.dev {
        return run_cluster(cli).await;
    }
    let listen = cli.dev_listen();
    let data_dir = cli.dev_data_dir();
    if !listen.ip().is_loopback() {
        bail!(
            "refusing to listen on {} without authentication; use a loopback address such as 127.0.0.1:8070",
            listen
        );
    }
    if cli.executor_threads == 0 {
        bail!("--executor-threads must be at least 1");
    }
    let default_tz =
        schedd_core::schedule::parse_timezone(cli.dev_timezone()).context("--timezone")?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    let mut cfg = DevConfig::new(&data_dir);
    cfg.default_tz = default_tz;
    cfg.executor_threads = cli.executor_threads;
    cfg.log_batch_size = cli.log_batch_size as usize;
    cfg.log_commit_timeout = Duration::from_millis(cli.log_commit_timeout);
    cfg.retention = schedd_core::store::Retention {
        max_age_days: cli.log_retention_days,
        keep_per_job: cli.log_keep_per_job,
    };
    if let Some(dir) = cli.spool_dir {
        cfg.spool_dir = dir;
    }
    cfg.heartbeat_interval = Duration::from_secs(3);
    tracing::info!(
        listen = %listen,
        data_dir = %data_dir.display(),
        timezone = %default_tz,
        "schedd embedded scheduler ready"
    );
    let token = CancellationToken::new();
    tokio::spawn(process::shutdown_on_signal(token.clone()));
    embedded::run(cfg, listener, token).await
}

/// Cluster mode: `--config master.json`, the environment, and the cluster flags.
async fn run_cluster(cli: Cli) -> anyhow::Result<()> {
    let cfg = cli.resolve_cluster(&|k| std::env::var(k).ok())?;
    let listen = cfg
        .listen
        .unwrap_or_else(|| std::net::SocketAddr::from(([127, 0, 0, 1], cfg.api_port)));
    if !listen.ip().is_loopback() {
        bail!(
            "refusing to listen on {listen} without authentication; use a loopback address such as 127.0.0.1:{}",
            cfg.api_port
        );
    }
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    let token = CancellationToken::new();
    tokio::spawn(process::shutdown_on_signal(token.clone()));
    schedd_master::cluster::run(cfg, listener, token).await
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    process::init_tracing(matches!(cli.log_format, LogFormat::Json));
    if let Err(e) = run(cli).await {
        eprintln!("schedd-master: {e:#}");
        std::process::exit(1);
    }
}

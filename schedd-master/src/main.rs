//! `schedd-master`: the master of a schedd cluster, or with `--dev` a complete scheduler in
//! one process.

use std::time::Duration;

use anyhow::{Context, bail};
use clap::Parser;
use schedd_master::cli::{Cli, LogFormat};
use schedd_master::embedded::{self, DevConfig};
use tokio_util::sync::CancellationToken;
use tracing_subscriber::EnvFilter;

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
    tracing::info!(
        "shutting down: killing running executions and storing their records (signal again to exit at once)"
    );
    token.cancel();
    // A second signal means "now": running jobs' process groups are left to the OS.
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    tracing::warn!("second signal: exiting without waiting");
    std::process::exit(130);
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

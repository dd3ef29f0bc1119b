//! `schedd-master`: the master of a schedd cluster, or with `--dev` a complete scheduler in
//! one process.

use std::time::Duration;

use anyhow::{Context, bail};
use clap::Parser;
use schedd_master::auth::{RevokedToken, TokenEntry, TokenFile, Tokens, hash_token, new_token};
use schedd_master::cli::{Cli, Command, LogFormat, TokenCommand, tokens_path};
use schedd_master::embedded::{self, DevConfig};
use schedd_master::server::Security;
use schedd_master::tls::TlsFiles;
use schedd_worker::{process, reaper};
use tokio_util::sync::CancellationToken;

/// `schedd-master token …`: the token, or the list, on stdout; what was done, on stderr.
#[allow(clippy::print_stdout, clippy::print_stderr)]
fn token_command(cmd: TokenCommand) -> anyhow::Result<()> {
    let path = cmd.tokens_file();
    let mut file = TokenFile::load(&path)?;
    match cmd {
        TokenCommand::Create { name, role, .. } => {
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
                bail!("a token's name must be printable ASCII without spaces, got `{name}`");
            }
            if file.tokens.iter().any(|t| t.name == name) {
                bail!("a token named `{name}` exists already; revoke it first");
            }
            let token = new_token();
            file.tokens.push(TokenEntry {
                name: name.clone(),
                role,
                sha256: hash_token(&token),
                created_at: chrono::Utc::now().timestamp(),
                created_by: schedd_master::token_trail::local_user(),
            });
            file.save(&path)?;
            eprintln!(
                "token `{name}` ({role}) created in {}; it is shown this once:",
                path.display()
            );
            println!("{token}");
        }
        TokenCommand::List { .. } => {
            for t in &file.tokens {
                let created = chrono::DateTime::from_timestamp(t.created_at, 0)
                    .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
                    .unwrap_or_default();
                println!("{}\t{}\t{created}", t.name, t.role);
            }
        }
        TokenCommand::Revoke { name, .. } => {
            let Some(at) = file.tokens.iter().position(|t| t.name == name) else {
                bail!("no token named `{name}` in {}", path.display());
            };
            let t = file.tokens.remove(at);
            file.revoked.push(RevokedToken {
                name: t.name,
                role: t.role,
                created_at: t.created_at,
                created_by: t.created_by,
                sha256: t.sha256,
                revoked_at: chrono::Utc::now().timestamp(),
                revoked_by: schedd_master::token_trail::local_user(),
            });
            file.save(&path)?;
            eprintln!("token `{name}` revoked");
        }
    }
    Ok(())
}

/// The tokens of `path`; refuses a listener outside loopback without them unless
/// `insecure` (then warns every minute).
fn tokens_for(
    path: std::path::PathBuf,
    listen: std::net::SocketAddr,
    insecure: bool,
) -> anyhow::Result<Tokens> {
    let tokens = Tokens::from_file(path.clone())?;
    if tokens.required() {
        tracing::info!(tokens_file = %path.display(), "callers must present a token");
    } else if !listen.ip().is_loopback() {
        if !insecure {
            bail!(
                "refusing to listen on {listen} without authentication: create a token first (schedd-master token create NAME --role admin --tokens-file {}), or pass --insecure-no-auth to let anyone who reaches the port run any command on every worker",
                path.display()
            );
        }
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(60));
            loop {
                every.tick().await;
                tracing::warn!(%listen, "--insecure-no-auth: anyone who reaches this address may run any command on every worker");
            }
        });
    }
    Ok(tokens)
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if !cli.dev {
        return run_cluster(cli).await;
    }
    let listen = cli.dev_listen();
    let data_dir = cli.dev_data_dir();
    if !listen.ip().is_loopback() {
        bail!(
            "--dev listens on loopback only (it runs a worker as this user); got {listen}: use an address such as 127.0.0.1:8070, or run a cluster master"
        );
    }
    let tokens = tokens_for(
        tokens_path(cli.tokens_file.as_deref(), Some(&data_dir)),
        listen,
        false,
    )?;
    if cli.executor_threads == 0 {
        bail!("--executor-threads must be at least 1");
    }
    let default_tz =
        schedd_core::schedule::parse_timezone(cli.dev_timezone()).context("--timezone")?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    let mut cfg = DevConfig::new(&data_dir);
    cfg.tokens = tokens;
    cfg.default_tz = default_tz;
    cfg.executor_threads = cli.executor_threads;
    cfg.log_batch_size = cli.log_batch_size as usize;
    cfg.log_commit_timeout = Duration::from_millis(cli.log_commit_timeout);
    cfg.drain_timeout = Duration::from_millis(cli.drain_timeout);
    cfg.notify = cli
        .notify
        .iter()
        .map(|url| schedd_core::notify::Webhook {
            url: url.clone(),
            ..Default::default()
        })
        .collect();
    schedd_core::notify::validate_webhooks("--notify", &cfg.notify).map_err(anyhow::Error::msg)?;
    cfg.retention = schedd_core::store::Retention {
        max_age_days: cli.log_retention_days,
        keep_per_job: cli.log_keep_per_job,
    };
    cfg.audit_retention_days = cli
        .audit_retention_days
        .unwrap_or(schedd_core::config::DEFAULT_AUDIT_RETENTION_DAYS);
    if let Some(dir) = cli.spool_dir {
        cfg.spool_dir = dir;
    }
    cfg.heartbeat_interval = Duration::from_secs(3);
    // The address bound, not the one asked for: with port 0 this says which port it got.
    let bound = listener.local_addr().context("reading the bound address")?;
    tracing::info!(
        listen = %bound,
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
    let tokens = tokens_for(
        tokens_path(cli.tokens_file.as_deref(), Some(&cfg.data_dir)),
        listen,
        cli.insecure_no_auth,
    )?;
    let tls = cfg
        .tls_cert
        .clone()
        .zip(cfg.tls_key.clone())
        .map(|(cert, key)| TlsFiles {
            cert,
            key,
            client_ca: cfg.tls_client_ca.clone(),
        });
    if let Some(tls) = &tls {
        // Read now, so a bad file stops the master before it announces itself.
        tls.server_config()?;
    }
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    let bound = listener.local_addr().context("reading the bound address")?;
    tracing::info!(listen = %bound, "schedd master listening");
    let token = CancellationToken::new();
    tokio::spawn(process::shutdown_on_signal(token.clone()));
    schedd_master::cluster::run_secured(cfg, Security { tokens, tls }, listener, token).await
}

// The binary's last word on a fatal error, and its exit status.
#[allow(clippy::print_stderr)]
fn main() {
    // A process started as the reaper of a worker (see `reaper::start`) serves as that.
    reaper::serve_if_reaper();
    process::pin_mmap_threshold();
    let mut cli = Cli::parse();
    // Before anything starts a thread (hence no `#[tokio::main]`): the reaper is forked here,
    // to kill the runs of the worker that `--dev` runs in this process if the process dies (see
    // its docs). Only then: a cluster master or a `token` command runs no jobs, and an idle
    // `schedd-reaper` beside them would only puzzle whoever reads `ps`. Parsing the command
    // line starts no thread.
    if cli.dev && cli.command.is_none() {
        reaper::start();
    }
    let result = process::block_on(async {
        process::init_tracing(matches!(cli.log_format, LogFormat::Json));
        match cli.command.take() {
            Some(Command::Token(cmd)) => token_command(cmd),
            None => run(cli).await,
        }
    });
    if let Err(e) = result {
        eprintln!("schedd-master: {e:#}");
        std::process::exit(1);
    }
}

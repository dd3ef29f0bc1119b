//! `secure`: what tokens and TLS cost a caller. Two cluster masters over one real etcd hold
//! the same `--jobs` jobs: one plain, one with TLS (a certificate of a CA made for the run)
//! and tokens. Each call is made `--requests` times, one at a time, over one gRPC channel
//! per master, after a warm-up: `ListJobs` (the whole list) and `GetJob` (one small answer,
//! where the per-request cost of checking a token shows most). Connection set-up (the TLS
//! handshake) happens once per channel and is timed on its own.

use std::time::Instant;

use anyhow::Context;
use schedd_core::config::ClusterConfig;
use schedd_master::auth::{Role, TokenEntry, TokenFile, Tokens, hash_token, new_token};
use schedd_master::server::Security;
use schedd_master::tls::TlsFiles;
use schedd_proto::v1 as pb;
use tokio_util::sync::CancellationToken;
use tonic::transport::{Certificate, ClientTlsConfig, Endpoint};

use crate::cluster::{Node, start_etcd, stop_nodes};
use crate::percentile;

/// A master's TLS and tokens for a benchmark, made under a directory: a CA and a
/// certificate for 127.0.0.1, and a tokens file holding one worker token.
#[derive(Debug, Clone)]
pub(crate) struct Secured {
    pub security: Security,
    pub worker_token: String,
    /// The CA that signed the master's certificate, for its clients.
    pub ca: std::path::PathBuf,
}

impl Secured {
    pub fn make(dir: &std::path::Path) -> anyhow::Result<Secured> {
        let made = testkit::tls::TestTls::make(dir);
        let worker_token = new_token();
        let tokens_path = dir.join("tokens.json");
        TokenFile {
            revoked: Vec::new(),
            tokens: vec![TokenEntry {
                name: "workers".into(),
                role: Role::Worker,
                sha256: hash_token(&worker_token),
                created_at: 0,
                created_by: String::new(),
            }],
        }
        .save(&tokens_path)?;
        Ok(Secured {
            security: Security {
                tokens: Tokens::from_file(tokens_path)?,
                tls: Some(TlsFiles {
                    cert: made.cert,
                    key: made.key,
                    client_ca: None,
                }),
            },
            worker_token,
            ca: made.ca,
        })
    }
}

/// The flags of `schedd-bench secure`.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Options {
    /// Jobs the masters hold.
    #[arg(long, default_value_t = 1_000)]
    pub jobs: usize,
    /// Timed requests per call and master.
    #[arg(long, default_value_t = 500)]
    pub requests: usize,
}

const WARMUP: usize = 20;

pub async fn run(o: Options) -> anyhow::Result<()> {
    let (dir, etcd) = start_etcd("schedd-bench-secure-").await?;
    let shutdown = CancellationToken::new();
    let base = ClusterConfig {
        etcd_endpoints: vec![etcd.endpoint()],
        data_dir: dir.path().join("master"),
        ..ClusterConfig::default()
    };
    let made = testkit::tls::TestTls::make(dir.path());
    let tls = TlsFiles {
        cert: made.cert,
        key: made.key,
        client_ca: None,
    };
    let ca = std::fs::read(&made.ca)?;
    let token = new_token();
    let tokens_path = dir.path().join("tokens.json");
    TokenFile {
        revoked: Vec::new(),
        tokens: vec![TokenEntry {
            name: "bench".into(),
            role: Role::Admin,
            sha256: hash_token(&token),
            created_at: 0,
            created_by: String::new(),
        }],
    }
    .save(&tokens_path)?;
    let mut nodes = Vec::new();
    let mut addrs = Vec::new();
    for (name, security) in [
        ("plain", Security::default()),
        (
            "tls+tokens",
            Security {
                tokens: Tokens::from_file(tokens_path.clone())?,
                tls: Some(tls.clone()),
            },
        ),
    ] {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        addrs.push(listener.local_addr()?);
        let cfg = ClusterConfig {
            data_dir: dir.path().join(name),
            ..base.clone()
        };
        nodes.push(Node {
            name: name.into(),
            task: tokio::spawn(schedd_master::cluster::run_secured(
                cfg,
                security,
                listener,
                shutdown.clone(),
            )),
        });
    }
    let plain = Endpoint::from_shared(format!("http://{}", addrs[0]))?;
    let secured = Endpoint::from_shared(format!("https://{}", addrs[1]))?
        .tls_config(ClientTlsConfig::new().ca_certificate(Certificate::from_pem(&ca)))?;
    let bearer: tonic::metadata::MetadataValue<_> = format!("Bearer {token}").parse()?;

    // The jobs, saved through the plain master (both read the same etcd).
    let mut jobs = pb::job_service_client::JobServiceClient::new(
        connect_retrying(&plain).await.context("the plain master")?,
    );
    for i in 0..o.jobs {
        jobs.save_job(pb::SaveJobRequest {
            job: Some(pb::Job {
                name: format!("job-{i:05}"),
                command: format!("/usr/local/bin/backup --target /srv/{i}"),
                cron_expr: "0 0 3 * * *".into(),
                disabled: true,
                ..Default::default()
            }),
            expected_revision: None,
        })
        .await?;
    }

    println!(
        "secure: two cluster masters over one etcd, {} jobs; {} requests per call after {WARMUP} warm-up, 1 in flight",
        o.jobs, o.requests
    );
    println!(
        "  {:<22} {:<12} {:>9} {:>9} {:>9} {:>9}",
        "call", "master", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    for (label, endpoint, auth) in [
        ("plain", &plain, None),
        ("tls+tokens", &secured, Some(bearer.clone())),
    ] {
        let t = Instant::now();
        let channel = connect_retrying(endpoint).await.context(label)?;
        let connect_ms = t.elapsed().as_secs_f64() * 1000.0;
        let mut client = pb::job_service_client::JobServiceClient::new(channel);
        for (call, list) in [("ListJobs", true), ("GetJob", false)] {
            let mut times = Vec::with_capacity(o.requests);
            for i in 0..WARMUP + o.requests {
                let t = Instant::now();
                if list {
                    let mut req = tonic::Request::new(pb::ListJobsRequest::default());
                    if let Some(a) = &auth {
                        req.metadata_mut().insert("authorization", a.clone());
                    }
                    let got = client.list_jobs(req).await?.into_inner().jobs.len();
                    anyhow::ensure!(got == o.jobs, "{label}: {got} jobs listed");
                } else {
                    let mut req = tonic::Request::new(pb::GetJobRequest {
                        name: format!("job-{:05}", i % o.jobs),
                    });
                    if let Some(a) = &auth {
                        req.metadata_mut().insert("authorization", a.clone());
                    }
                    client.get_job(req).await?;
                }
                if i >= WARMUP {
                    times.push(t.elapsed().as_micros() as i64);
                }
            }
            times.sort_unstable();
            let ms = |p: f64| percentile(&times, p) as f64 / 1000.0;
            println!(
                "  {:<22} {:<12} {:>9.2} {:>9.2} {:>9.2} {:>9.2}",
                format!("{call} ({} jobs)", if list { o.jobs } else { 1 }),
                label,
                ms(0.5),
                ms(0.9),
                ms(0.99),
                ms(1.0)
            );
        }
        println!(
            "  {:<22} {:<12} {connect_ms:>9.2}",
            "connect (handshake)", label
        );
    }
    stop_nodes(nodes, &shutdown).await;
    drop(etcd);
    Ok(())
}

/// A channel to `endpoint`, trying again while the master starts (up to 30 s).
async fn connect_retrying(endpoint: &Endpoint) -> anyhow::Result<tonic::transport::Channel> {
    let deadline = Instant::now() + std::time::Duration::from_secs(30);
    loop {
        match endpoint.connect().await {
            Ok(c) => return Ok(c),
            Err(e) if Instant::now() > deadline => return Err(e.into()),
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
        }
    }
}

//! `memory`: whether the master's memory stays flat while clients misbehave. A
//! `schedd-master --dev` process (master and worker in one, so one RSS is both) runs `--jobs`
//! jobs every second, each printing `--output-bytes` (256 KiB by default: 12.5 MiB a second
//! of output at 50 jobs). Three clients press on what the master buffers for them:
//!
//! - a gRPC `Watch` of every execution event that never reads: its outbox fills and it is
//!   cut off (it never learns it);
//! - a gRPC `Watch` that reads one event every `--slow-read-ms`: it falls behind, is cut off
//!   with `RESOURCE_EXHAUSTED`, and subscribes again, as a client should;
//! - a `TailLog` following one job's live output that never reads.
//!
//! Every `--sample-every` seconds the master's RSS (`VmRSS` of `/proc/<pid>/status`) is read
//! beside what its `/metrics` says it buffers. At the end it prints the samples, the mean of
//! the first minute's against the last minute's, and the change against the target: master
//! and worker RSS flat (±10 %) over 10 minutes.
//!
//! The master is the release binary (`--master`, by default `target/release/schedd-master`),
//! so its memory is measured alone, without this process's clients. Its records go to a
//! SQLite file in a temporary directory: 7 GiB or so for the default 10 minutes.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use schedd_proto::v1 as pb;
use tokio_util::sync::CancellationToken;
use tonic::transport::Channel;

use crate::mib;

/// How long the master may take to answer after it is started.
const START_DEADLINE: Duration = Duration::from_secs(30);
/// The change of the RSS the target allows, in percent of the first minute's mean.
const TARGET_PERCENT: f64 = 10.0;

/// The flags of `schedd-bench memory`.
#[derive(Debug, Clone, clap::Args)]
pub struct Options {
    /// Seconds measured (the target is about ten minutes).
    #[arg(long, default_value_t = 600)]
    seconds: u64,
    /// Jobs, each running every second.
    #[arg(long, default_value_t = 50)]
    jobs: usize,
    /// Bytes each run prints on stdout.
    #[arg(long, default_value_t = 256 * 1024)]
    output_bytes: u64,
    /// Seconds between samples.
    #[arg(long, default_value_t = 10)]
    sample_every: u64,
    /// Milliseconds the slow client waits after each event it reads.
    #[arg(long, default_value_t = 100)]
    slow_read_ms: u64,
    /// The master binary (build it with `cargo build --release -p schedd-master`).
    #[arg(long, default_value = "target/release/schedd-master")]
    master: PathBuf,
}

/// One reading.
#[derive(Debug, Clone, Copy)]
struct Sample {
    at: u64,
    rss: u64,
    /// `schedd_master_stream_buffered_bytes`.
    stream_buffered: f64,
    /// `schedd_record_queue_bytes`.
    record_queue: f64,
    /// Runs finished so far (`schedd_executions_total`, every status).
    runs: f64,
}

/// Runs the benchmark; see the module docs.
pub async fn run(o: Options) -> anyhow::Result<()> {
    ensure!(
        o.seconds >= 60 && o.jobs > 0 && o.sample_every > 0,
        "--seconds must be at least 60, --jobs and --sample-every at least 1"
    );
    ensure!(
        o.master.exists(),
        "{} not found: build it with `cargo build --release -p schedd-master`",
        o.master.display()
    );
    let dir = tempfile::Builder::new()
        .prefix("schedd-bench-memory-")
        .tempdir()?;
    let mut master = Master::start(&o.master, dir.path())?;
    let result = measure(&o, &mut master).await;
    master.stop();
    if result.is_err() {
        eprintln!("the master's log: {}", master.log.display());
        // Keep the directory for a look at the log.
        let _ = dir.keep();
    }
    result
}

async fn measure(o: &Options, master: &mut Master) -> anyhow::Result<()> {
    let channel = master.connect().await?;
    let mut jobs = pb::job_service_client::JobServiceClient::new(channel.clone());
    let command = format!("head -c {} /dev/zero | tr '\\0' x", o.output_bytes);
    for i in 0..o.jobs {
        jobs.save_job(pb::SaveJobRequest {
            job: Some(pb::Job {
                name: format!("loud-{i:03}"),
                cron_expr: "* * * * * *".into(),
                command: command.clone(),
                ..Default::default()
            }),
            expected_revision: None,
        })
        .await
        .context("saving a job")?;
    }
    let stop = CancellationToken::new();
    let mut events = pb::event_service_client::EventServiceClient::new(channel.clone());
    let executions = pb::WatchRequest {
        jobs: false,
        executions: true,
        workers: false,
    };
    // Held open and never read.
    let _deaf_watch = events
        .watch(executions)
        .await
        .context("Watch (never read)")?
        .into_inner();
    let mut logs = pb::log_service_client::LogServiceClient::new(channel.clone());
    let _deaf_tail = logs
        .tail_log(pb::TailLogRequest {
            job_name: "loud-000".into(),
            follow: true,
        })
        .await
        .context("TailLog (never read)")?
        .into_inner();
    let slow = SlowWatch::default();
    let slow_task = tokio::spawn(slow.clone().run(
        channel.clone(),
        Duration::from_millis(o.slow_read_ms),
        stop.clone(),
    ));

    eprintln!(
        "memory: {} jobs a second printing {} KiB each, for {} s; master pid {}",
        o.jobs,
        o.output_bytes / 1024,
        o.seconds,
        master.pid()
    );
    let start = Instant::now();
    let mut samples = Vec::new();
    let mut next = o.sample_every;
    while next <= o.seconds {
        tokio::time::sleep_until((start + Duration::from_secs(next)).into()).await;
        if let Some(status) = master.exited()? {
            bail!("the master exited ({status})");
        }
        let sample = master.sample(next).await?;
        eprintln!(
            "  t={:>4}s  rss {:>7.1} MiB   stream outboxes {:>6.2} MiB   record queue {:>6.2} MiB   runs {:>6}   slow client read {:>6}, cut off {}",
            sample.at,
            mib(sample.rss),
            sample.stream_buffered / (1024.0 * 1024.0),
            sample.record_queue / (1024.0 * 1024.0),
            sample.runs,
            slow.read.load(Ordering::Relaxed),
            slow.cut_off.load(Ordering::Relaxed),
        );
        samples.push(sample);
        next += o.sample_every;
    }
    stop.cancel();
    let _ = slow_task.await;
    report(o, &samples, &slow);
    Ok(())
}

fn report(o: &Options, samples: &[Sample], slow: &SlowWatch) {
    let mean = |from: u64, to: u64| -> f64 {
        let window: Vec<f64> = samples
            .iter()
            .filter(|s| s.at > from && s.at <= to)
            .map(|s| s.rss as f64)
            .collect();
        window.iter().sum::<f64>() / window.len().max(1) as f64
    };
    let first = mean(0, 60);
    let last = mean(o.seconds.saturating_sub(60), o.seconds);
    let change = (last - first) / first * 100.0;
    let peak = samples.iter().map(|s| s.rss).max().unwrap_or(0);
    let runs = samples.last().map_or(0.0, |s| s.runs);
    println!(
        "memory: schedd-master --dev (master and worker in one process), {} jobs a second printing {} KiB each, {} s",
        o.jobs,
        o.output_bytes / 1024,
        o.seconds
    );
    println!(
        "  clients         a Watch never read, a TailLog never read, a Watch read every {} ms ({} events read, cut off {} times)",
        o.slow_read_ms,
        slow.read.load(Ordering::Relaxed),
        slow.cut_off.load(Ordering::Relaxed)
    );
    println!(
        "  runs            {runs:.0} finished ({:.1} a second)",
        runs / o.seconds as f64
    );
    print!("  rss samples     ");
    for (i, s) in samples.iter().enumerate() {
        if i > 0 && i % 10 == 0 {
            print!("\n                  ");
        }
        print!("{:.0} ", mib(s.rss));
    }
    println!("MiB (every {} s)", o.sample_every);
    println!(
        "  rss             first minute {:.1} MiB, last minute {:.1} MiB, change {change:+.1} %, peak {:.1} MiB; target ±{TARGET_PERCENT:.0} % over 10 minutes: {}",
        first / (1024.0 * 1024.0),
        last / (1024.0 * 1024.0),
        mib(peak),
        if change.abs() <= TARGET_PERCENT {
            "met"
        } else {
            "NOT met"
        }
    );
    let max_buffered = samples
        .iter()
        .map(|s| s.stream_buffered)
        .fold(0.0, f64::max);
    let max_queue = samples.iter().map(|s| s.record_queue).fold(0.0, f64::max);
    println!(
        "  buffered        stream outboxes at most {:.2} MiB, record queue at most {:.2} MiB (at the samples)",
        max_buffered / (1024.0 * 1024.0),
        max_queue / (1024.0 * 1024.0)
    );
}

/// A `Watch` client that reads one event at a time and waits after each; cut off, it
/// subscribes again.
#[derive(Debug, Clone, Default)]
struct SlowWatch {
    read: Arc<AtomicU64>,
    cut_off: Arc<AtomicU64>,
}

impl SlowWatch {
    async fn run(self, channel: Channel, pause: Duration, stop: CancellationToken) {
        let mut client = pb::event_service_client::EventServiceClient::new(channel);
        while !stop.is_cancelled() {
            let request = pb::WatchRequest {
                jobs: false,
                executions: true,
                workers: false,
            };
            let mut stream = match client.watch(request).await {
                Ok(s) => s.into_inner(),
                Err(e) => {
                    eprintln!("  slow client: Watch failed: {}", e.message());
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            loop {
                let message = tokio::select! {
                    () = stop.cancelled() => return,
                    m = stream.message() => m,
                };
                match message {
                    Ok(Some(_)) => {
                        self.read.fetch_add(1, Ordering::Relaxed);
                        tokio::time::sleep(pause).await;
                    }
                    Ok(None) => break,
                    Err(s) if s.code() == tonic::Code::ResourceExhausted => {
                        self.cut_off.fetch_add(1, Ordering::Relaxed);
                        break;
                    }
                    Err(s) => {
                        eprintln!("  slow client: stream failed: {}", s.message());
                        break;
                    }
                }
            }
        }
    }
}

/// The `schedd-master --dev` process.
struct Master {
    child: Child,
    addr: SocketAddr,
    log: PathBuf,
}

impl Master {
    fn start(binary: &std::path::Path, dir: &std::path::Path) -> anyhow::Result<Master> {
        // A free port, given up for the master to take.
        let addr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
        let log = dir.join("master.log");
        let child = Command::new(binary)
            .arg("--dev")
            .arg("--listen")
            .arg(addr.to_string())
            .arg("--data-dir")
            .arg(dir.join("data"))
            .env("SCHEDD_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log)?)
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        Ok(Master { child, addr, log })
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    fn exited(&mut self) -> anyhow::Result<Option<std::process::ExitStatus>> {
        Ok(self.child.try_wait()?)
    }

    async fn connect(&self) -> anyhow::Result<Channel> {
        let end = Instant::now() + START_DEADLINE;
        loop {
            match Channel::from_shared(format!("http://{}", self.addr))?
                .connect()
                .await
            {
                Ok(c) => return Ok(c),
                Err(_) if Instant::now() < end => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(e) => bail!("the master did not answer within {START_DEADLINE:?}: {e}"),
            }
        }
    }

    /// Reads the RSS and what `/metrics` says is buffered.
    async fn sample(&self, at: u64) -> anyhow::Result<Sample> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .context("reading the master's /proc status")?;
        let rss = status
            .lines()
            .find(|l| l.starts_with("VmRSS:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .context("no VmRSS in /proc status")?
            * 1024;
        let addr = self.addr;
        let answer = tokio::task::spawn_blocking(move || testkit::http::get(addr, "/metrics"))
            .await
            .context("scraping /metrics")?;
        ensure!(answer.status == 200, "/metrics answered {}", answer.status);
        let text = String::from_utf8(answer.body).context("/metrics is not UTF-8")?;
        let exposition =
            testkit::openmetrics::parse(&text).map_err(|e| anyhow::anyhow!("/metrics: {e}"))?;
        let runs = ["success", "failed", "timeout", "killed"]
            .iter()
            .filter_map(|s| exposition.value("schedd_executions_total", &[("status", s)]))
            .sum();
        Ok(Sample {
            at,
            rss,
            stream_buffered: exposition
                .value("schedd_master_stream_buffered_bytes", &[])
                .unwrap_or(0.0),
            record_queue: exposition
                .value("schedd_record_queue_bytes", &[])
                .unwrap_or(0.0),
            runs,
        })
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

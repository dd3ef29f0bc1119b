//! `tail`: live output across the cluster. A real etcd, the cluster master and workers run
//! in this process (as in `cluster`); a `TailLog` client on the master follows a job that
//! runs on one of the workers.
//!
//! - Latency: the job prints the current time in nanoseconds every `--interval-ms` for
//!   `--seconds`; each line's latency is from its printing (the time in it) to its arrival
//!   at the client, both read from this machine's clock.
//! - Burst: the job prints `--burst-lines` lines at once (`seq`); the lines that arrived
//!   live are counted (live output is best effort: what does not keep up is dropped), and
//!   the time from the run's start to its result at the client is reported.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use schedd_proto::v1 as pb;
use schedd_proto::v1::tail_log_response::Item;
use tokio_util::sync::CancellationToken;
use tonic::transport::Channel;

use crate::cluster::{
    early_exit, init_logging, start_cluster, start_etcd, stop_nodes, wait_for_keys,
};
use crate::percentile;

const WORKERS: usize = 2;
const THREADS: usize = 16;
/// Longest wait for a run's result beyond the time it prints for (a job loaded, an item,
/// a result).
const DEADLINE: Duration = Duration::from_secs(120);

pub async fn run(seconds: u64, interval_ms: u64, burst_lines: u64) -> anyhow::Result<()> {
    anyhow::ensure!(
        seconds > 0 && interval_ms > 0 && burst_lines > 0,
        "--seconds, --interval-ms and --burst-lines must be at least 1"
    );
    init_logging();
    eprintln!("starting etcd, the master and {WORKERS} workers ...");
    let (dir, etcd) = start_etcd("schedd-bench-tail-").await?;
    let endpoint = etcd.endpoint();
    let shutdown = CancellationToken::new();
    let (mut nodes, address) =
        start_cluster(&endpoint, dir.path(), WORKERS, THREADS, None, &shutdown).await?;
    let mut client = etcd.client().await;
    wait_for_keys(&mut client, "/cron/masters/", 1, &mut nodes).await?;
    wait_for_keys(&mut client, "/cron/workers/", WORKERS, &mut nodes).await?;
    let channel = Channel::from_shared(format!("http://{address}"))?
        .connect()
        .await
        .context("connecting to the master")?;

    let lines = seconds * 1000 / interval_ms;
    let sleep = format!("{}.{:03}", interval_ms / 1000, interval_ms % 1000);
    put_job(
        &mut client,
        "bench-tail-clock",
        &format!("i=0; while [ $i -lt {lines} ]; do date +%s%N; sleep {sleep}; i=$((i+1)); done"),
    )
    .await?;
    put_job(
        &mut client,
        "bench-tail-burst",
        &format!("seq 1 {burst_lines}"),
    )
    .await?;
    early_exit(&mut nodes).await?;

    eprintln!("following a run printing the time every {interval_ms} ms for {seconds} s ...");
    let patience = DEADLINE + Duration::from_secs(seconds);
    let clock = follow_one_run(&channel, &mut client, "bench-tail-clock", patience).await?;
    let mut latencies: Vec<i64> = Vec::new();
    for (at_ns, line) in &clock.lines {
        if let Ok(printed_ns) = line.trim().parse::<i64>() {
            latencies.push((at_ns - printed_ns) / 1_000);
        }
    }
    latencies.sort_unstable();

    eprintln!("following a run printing {burst_lines} lines at once ...");
    let burst = follow_one_run(&channel, &mut client, "bench-tail-burst", DEADLINE).await?;
    let expected: u64 = burst_lines;
    let in_order = burst
        .lines
        .iter()
        .zip(1..)
        .take_while(|((_, l), n)| l.trim().parse::<u64>().ok() == Some(*n))
        .count();

    eprintln!("stopping ...");
    stop_nodes(nodes, &shutdown).await;
    drop(etcd);

    let ms = |us: i64| us as f64 / 1000.0;
    println!(
        "tail: {WORKERS} workers, TailLog on the master following a job that runs on one of them"
    );
    println!(
        "  latency          {} lines printed, {} received live; print -> client p50 {:.1} ms   p99 {:.1} ms   max {:.1} ms",
        lines,
        latencies.len(),
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.99)),
        ms(latencies.last().copied().unwrap_or(0)),
    );
    println!(
        "  burst            {} of {expected} lines received live ({} in order from the first), {} bytes; run start -> result at the client {} ms; result {}",
        burst.lines.len(),
        in_order,
        burst.bytes,
        burst.start_to_result.as_millis(),
        burst.status,
    );
    Ok(())
}

/// Writes a job that never fires on its own into etcd.
async fn put_job(
    client: &mut etcd_client::Client,
    name: &str,
    command: &str,
) -> anyhow::Result<()> {
    let job = serde_json::json!({
        "name": name,
        "command": command,
        "cronExpr": "0 0 0 1 1 *",
        "timeout": 0,
        "disabled": false,
        "createdAt": 0,
        "updatedAt": 0,
    });
    client
        .put(format!("/cron/jobs/{name}"), job.to_string(), None)
        .await
        .with_context(|| format!("writing job {name}"))?;
    Ok(())
}

/// What a client following one run got.
struct Followed {
    /// Each complete line of output, with when it arrived (Unix ns).
    lines: Vec<(i64, String)>,
    bytes: usize,
    start_to_result: Duration,
    status: String,
}

fn now_ns() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// Follows `job`, runs it once, and collects its live output until its result, all within
/// `patience`.
async fn follow_one_run(
    channel: &Channel,
    etcd: &mut etcd_client::Client,
    job: &str,
    patience: Duration,
) -> anyhow::Result<Followed> {
    let mut logs = pb::log_service_client::LogServiceClient::new(channel.clone());
    let mut jobs = pb::job_service_client::JobServiceClient::new(channel.clone());
    let end = Instant::now() + patience;
    // The master has loaded the job.
    while jobs
        .get_job(pb::GetJobRequest { name: job.into() })
        .await
        .is_err()
    {
        if Instant::now() >= end {
            bail!("the master did not load job {job}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut stream = logs
        .tail_log(pb::TailLogRequest {
            job_name: job.into(),
            follow: true,
        })
        .await
        .context("TailLog")?
        .into_inner();
    // The request for the job's output is in etcd; give the workers a moment to see it.
    while etcd
        .get(
            format!("/cron/output/{job}/"),
            Some(
                etcd_client::GetOptions::new()
                    .with_prefix()
                    .with_count_only(),
            ),
        )
        .await?
        .count()
        == 0
    {
        if Instant::now() >= end {
            bail!("the master did not ask for the output of {job}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let asked = Instant::now();
    let run = loop {
        match jobs.run_job(pb::RunJobRequest { name: job.into() }).await {
            Ok(r) => break r.into_inner(),
            Err(e) if Instant::now() < end => {
                eprintln!("  run-now of {job} refused ({}); trying again", e.message());
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => bail!("run-now of {job}: {e}"),
        }
    };
    let mut partial = String::new();
    let mut followed = Followed {
        lines: Vec::new(),
        bytes: 0,
        start_to_result: Duration::ZERO,
        status: String::new(),
    };
    loop {
        let left = end.saturating_duration_since(Instant::now());
        let Some(message) = tokio::time::timeout(left, stream.message())
            .await
            .context("waiting for live output")??
        else {
            bail!("the tail of {job} ended before the run's result");
        };
        match message.item {
            Some(Item::Output(o)) if o.execution_id == run.execution_id => {
                let at = now_ns();
                followed.bytes += o.data.len();
                partial.push_str(&String::from_utf8_lossy(&o.data));
                while let Some(i) = partial.find('\n') {
                    let line: String = partial.drain(..=i).collect();
                    followed.lines.push((at, line));
                }
            }
            Some(Item::Finished(r)) if r.execution_id == run.execution_id => {
                followed.start_to_result = asked.elapsed();
                followed.status = pb::ExecutionStatus::try_from(r.status)
                    .map_or_else(|_| r.status.to_string(), |s| s.as_str_name().to_owned());
                return Ok(followed);
            }
            _ => {}
        }
    }
}

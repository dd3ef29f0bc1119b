//! `cluster`: cluster mode end to end in one process, for the two numbers the etcd design
//! promises: etcd requests per execution (claims and releases batched, under one per run,
//! against about four in the old design: lease grant, txn, keep-alive, revoke), and
//! executions per second of `true` across the workers against the machine's raw rate of
//! spawning `sh -c true`. Past capacity it also says whether the cluster degraded rather
//! than collapsed: every worker kept its lease, and every tick ran once or was recorded.
//!
//! The raw rate is measured first, before anything else runs. Then a real etcd, the cluster
//! master (SQLite log store) and the workers run on this process's tokio runtime, each
//! worker with its own id and spool, and jobs due every second are written straight into
//! etcd. After a settling period a window of whole seconds is measured: etcd's Prometheus
//! metrics are scraped at its start and end, so the requests counted are the ones etcd
//! served, whoever sent them. The records of the ticks in the window are then read from
//! the master's database once they stop arriving.
//!
//! The scrapes sit half a second before the first tick of the window and before the first
//! tick after it: when the cluster keeps up, the requests of tick `t` (claim at `t`, release
//! a few milliseconds later) all fall between the scrapes that bracket it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{IsTerminal, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use etcd_client::{Client, DeleteOptions, GetOptions, Txn, TxnOp};
use schedd_core::config::ClusterConfig;
use schedd_core::{Clock, SystemClock};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::percentile;

/// How long each raw spawn rate is measured.
const RAW_SPAWN_TIME: Duration = Duration::from_secs(3);
/// Spawns in flight for the parallel raw rate: enough to keep two cores busy.
const RAW_IN_FLIGHT: usize = 8;
/// Time from the last job written to the first scrape: every worker loads the jobs and the
/// first ticks' one-time work (claim leases, connections) is done.
const SETTLE: Duration = Duration::from_secs(3);
/// Jobs written per etcd transaction (etcd takes at most 128 operations in one).
const JOB_BATCH: usize = 100;
/// How long each etcd write of the benchmark's own is tried.
const ETCD_WRITE_PATIENCE: Duration = Duration::from_secs(60);
/// How long the workers and the master may take to show up in etcd.
const REGISTER_DEADLINE: Duration = Duration::from_secs(30);
/// The records of the window are complete when their count has not changed for this long:
/// longer than a worker's ingest timeout (10 s) plus its longest retry pause (5 s), so a
/// struggling cluster's records are not cut off.
const RECORDS_QUIET: Duration = Duration::from_secs(30);
/// Longest wait for the records of the window after it ends.
const RECORDS_DEADLINE: Duration = Duration::from_secs(300);
/// How long a stopping master or worker may take.
const STOP_DEADLINE: Duration = Duration::from_secs(30);
/// A run that starts this long after its tick or later counts as late.
const LATE_MS: i64 = 1_000;
// The cluster settings under test.
const HEARTBEAT_INTERVAL: Duration = Duration::from_millis(3_000);
const JOB_LOCK_TTL: Duration = Duration::from_secs(10);
const LOG_BATCH_SIZE: usize = 500;
const LOG_COMMIT_TIMEOUT: Duration = Duration::from_millis(200);
// The targets: requests per execution (and the old design's count), share of the raw rate.
const TARGET_REQUESTS_PER_EXECUTION: f64 = 1.0;
const OLD_DESIGN_REQUESTS_PER_EXECUTION: f64 = 4.0;
const TARGET_SHARE_OF_RAW: f64 = 0.70;

/// Runs the benchmark; see the module docs.
pub async fn run(
    workers: usize,
    jobs: usize,
    seconds: u64,
    threads: usize,
    secure: bool,
    json: bool,
) -> anyhow::Result<()> {
    anyhow::ensure!(
        workers > 0 && jobs > 0 && seconds > 0 && threads > 0,
        "--workers, --jobs, --seconds and --threads must be at least 1"
    );
    init_logging();

    eprintln!("measuring the raw spawn rate of `sh -c true` ...");
    let sequential = spawn_rate(1, RAW_SPAWN_TIME).await;
    let parallel = spawn_rate(RAW_IN_FLIGHT, RAW_SPAWN_TIME).await;
    let raw = if parallel.per_second >= sequential.per_second {
        parallel
    } else {
        sequential
    };

    eprintln!("starting etcd, the master and {workers} workers ...");
    let (dir, etcd) = start_etcd("schedd-bench-cluster-").await?;
    let endpoint = etcd.endpoint();
    let etcd_pid = child_with_arg(&format!("http://{endpoint}"));
    let shutdown = CancellationToken::new();
    let secured = if secure {
        Some(crate::secure::Secured::make(dir.path())?)
    } else {
        None
    };
    let (mut nodes, _) = start_cluster(
        &endpoint,
        dir.path(),
        workers,
        threads,
        secured.as_ref(),
        &shutdown,
    )
    .await?;
    let mut client = etcd.client().await;
    wait_for_keys(&mut client, "/cron/masters/", 1, &mut nodes).await?;
    wait_for_keys(&mut client, "/cron/workers/", workers, &mut nodes).await?;
    let leases_at_start = worker_leases(&mut client).await?;

    eprintln!("writing {jobs} jobs ...");
    put_jobs(&client, jobs).await?;
    tokio::time::sleep(SETTLE).await;
    early_exit(&mut nodes).await?;

    // A window of whole seconds starting at least a second from now; see the module docs
    // for where the scrapes sit.
    let first_tick = DateTime::from_timestamp(Utc::now().timestamp() + 2, 0).expect("valid");
    let end_tick = first_tick + chrono::Duration::seconds(seconds as i64);
    let half = chrono::Duration::milliseconds(500);
    eprintln!("measuring {seconds} s: ticks {first_tick} to {end_tick} ...");
    SystemClock.sleep_until(first_tick - half).await;
    let before = Sample::take(&endpoint, etcd_pid).await?;
    SystemClock.sleep_until(end_tick - half).await;
    let after = Sample::take(&endpoint, etcd_pid).await?;

    // No more ticks: a cluster that fell behind drains its backlog instead of growing it.
    // If etcd cannot even take that, the ticks go on and the records are still reported.
    let stop_ticks = retry("deleting the jobs", || {
        let mut client = client.clone();
        async move {
            client
                .delete("/cron/jobs/", Some(DeleteOptions::new().with_prefix()))
                .await
        }
    });
    if let Err(e) = stop_ticks.await {
        eprintln!("  {e:#}; the jobs keep running");
    }
    let db = dir.path().join("master").join("schedd.db");
    let (from_ms, to_ms) = (first_tick.timestamp_millis(), end_tick.timestamp_millis());
    let expected = jobs * seconds as usize;
    let waited = wait_for_records(&db, from_ms, to_ms, expected).await?;
    let records = blocking({
        let db = db.clone();
        move || read_records(&db, from_ms, to_ms)
    })
    .await?;
    let completions = blocking({
        let db = db.clone();
        let span = (before.at.timestamp_millis(), after.at.timestamp_millis());
        move || completion_times(&db, span.0, span.1)
    })
    .await?;

    let leases_at_end = worker_leases(&mut client).await?;
    let leases_kept = leases_at_start
        .iter()
        .filter(|(id, lease)| leases_at_end.get(*id) == Some(lease))
        .count();

    eprintln!("stopping ...");
    stop_nodes(nodes, &shutdown).await;
    drop(etcd);

    let report = Report {
        secure,
        workers,
        jobs,
        seconds,
        threads,
        sequential,
        parallel,
        raw,
        expected,
        waited,
        records,
        completions,
        before,
        after,
        leases_kept,
    };
    report.print(json);
    Ok(())
}

/// A master or worker running in this process.
#[derive(Debug)]
pub(crate) struct Node {
    pub(crate) name: String,
    pub(crate) task: JoinHandle<anyhow::Result<()>>,
}

/// Starts the master and `workers` workers against etcd at `endpoint`, with their files
/// under `dir`; returns them and the master's API address. With `secured`, the master
/// serves TLS and wants tokens, and the workers reach it with a worker token.
pub(crate) async fn start_cluster(
    endpoint: &str,
    dir: &Path,
    workers: usize,
    threads: usize,
    secured: Option<&crate::secure::Secured>,
    shutdown: &CancellationToken,
) -> anyhow::Result<(Vec<Node>, std::net::SocketAddr)> {
    let base = ClusterConfig {
        etcd_endpoints: vec![endpoint.to_owned()],
        executor_threads: threads,
        job_lock_ttl: JOB_LOCK_TTL,
        heartbeat_interval: HEARTBEAT_INTERVAL,
        log_batch_size: LOG_BATCH_SIZE,
        log_commit_timeout: LOG_COMMIT_TIMEOUT,
        data_dir: dir.join("master"),
        ..ClusterConfig::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .context("binding the master's API")?;
    let address = listener.local_addr().context("the master's API address")?;
    let security = secured.map(|s| s.security.clone()).unwrap_or_default();
    let mut nodes = vec![Node {
        name: "master".into(),
        task: tokio::spawn(schedd_master::cluster::run_secured(
            base.clone(),
            security,
            listener,
            shutdown.clone(),
        )),
    }];
    let base = ClusterConfig {
        api_token: secured.map(|s| s.worker_token.clone()),
        master_ca: secured.map(|s| s.ca.clone()),
        ..base
    };
    for n in 1..=workers {
        let id = format!("worker-{n}");
        let cfg = ClusterConfig {
            worker_id: id.clone(),
            data_dir: dir.join(&id),
            spool_dir: Some(dir.join(format!("spool-{n}"))),
            ..base.clone()
        };
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        nodes.push(Node {
            name: id,
            task: tokio::spawn(schedd_worker::node::run(cfg, clock, shutdown.clone())),
        });
    }
    Ok((nodes, address))
}

/// A temporary directory named with `prefix`, and a real etcd on loopback.
pub(crate) async fn start_etcd(
    prefix: &str,
) -> anyhow::Result<(tempfile::TempDir, testkit::EtcdServer)> {
    let dir = tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .context("a temporary directory")?;
    let etcd = tokio::task::spawn_blocking(testkit::EtcdServer::start)
        .await
        .context("starting etcd")?;
    Ok((dir, etcd))
}

/// Stops the master and workers, reporting any that fails or takes too long.
pub(crate) async fn stop_nodes(nodes: Vec<Node>, shutdown: &CancellationToken) {
    shutdown.cancel();
    for node in nodes {
        match tokio::time::timeout(STOP_DEADLINE, node.task).await {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(e))) => eprintln!("{} failed: {e:#}", node.name),
            Ok(Err(e)) => eprintln!("{} panicked: {e}", node.name),
            Err(_) => eprintln!("{} did not stop within {STOP_DEADLINE:?}", node.name),
        }
    }
}

/// Fails with the error of a master or worker that stopped on its own.
pub(crate) async fn early_exit(nodes: &mut [Node]) -> anyhow::Result<()> {
    for node in nodes.iter_mut() {
        if node.task.is_finished() {
            let result = (&mut node.task).await;
            bail!("{} stopped early: {result:?}", node.name);
        }
    }
    Ok(())
}

/// The lease of each worker's entry, by key.
async fn worker_leases(client: &mut Client) -> anyhow::Result<BTreeMap<String, i64>> {
    let resp = client
        .get("/cron/workers/", Some(GetOptions::new().with_prefix()))
        .await
        .context("reading the workers' entries")?;
    Ok(resp
        .kvs()
        .iter()
        .map(|kv| (String::from_utf8_lossy(kv.key()).into_owned(), kv.lease()))
        .collect())
}

/// Waits until at least `n` keys exist under `prefix`.
pub(crate) async fn wait_for_keys(
    client: &mut Client,
    prefix: &str,
    n: usize,
    nodes: &mut [Node],
) -> anyhow::Result<()> {
    let end = Instant::now() + REGISTER_DEADLINE;
    loop {
        let count = client
            .get(
                prefix,
                Some(GetOptions::new().with_prefix().with_count_only()),
            )
            .await
            .with_context(|| format!("counting {prefix}"))?
            .count();
        if usize::try_from(count).unwrap_or(0) >= n {
            return Ok(());
        }
        early_exit(nodes).await?;
        if Instant::now() >= end {
            bail!("{n} keys under {prefix} not there after {REGISTER_DEADLINE:?} (found {count})");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Writes `jobs` jobs running `true` every second straight into etcd, as the old master
/// did, in transactions of [`JOB_BATCH`].
async fn put_jobs(client: &Client, jobs: usize) -> anyhow::Result<()> {
    let names: Vec<String> = (0..jobs).map(|i| format!("b-{i:05}")).collect();
    for batch in names.chunks(JOB_BATCH) {
        let ops: Vec<TxnOp> = batch
            .iter()
            .map(|name| {
                let job = serde_json::json!({
                    "name": name,
                    "command": "true",
                    "cronExpr": "* * * * * *",
                    "timeout": 0,
                    "disabled": false,
                    "createdAt": 0,
                    "updatedAt": 0,
                    "overlap": "allow",
                });
                TxnOp::put(format!("/cron/jobs/{name}"), job.to_string(), None)
            })
            .collect();
        retry("writing jobs", || {
            let mut client = client.clone();
            let txn = Txn::new().and_then(ops.clone());
            async move { client.txn(txn).await }
        })
        .await?;
    }
    Ok(())
}

/// Runs one of the benchmark's own etcd writes until etcd takes it, for up to
/// [`ETCD_WRITE_PATIENCE`]: an overloaded etcd pushes back (`too many requests`), and the
/// benchmark rides that out to report on the cluster rather than fail.
async fn retry<T, F, Fut>(what: &str, mut f: F) -> anyhow::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, etcd_client::Error>>,
{
    let end = Instant::now() + ETCD_WRITE_PATIENCE;
    let mut pause = Duration::from_millis(200);
    loop {
        match f().await {
            Ok(v) => return Ok(v),
            Err(e) if Instant::now() < end => {
                eprintln!("  {what} failed ({e}); trying again");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_secs(2));
            }
            Err(e) => return Err(e).with_context(|| what.to_owned()),
        }
    }
}

/// Shows the warnings of the master and workers on stderr (`RUST_LOG` overrides).
pub(crate) fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    // Fails only if a subscriber is set already, which is fine.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

/// What spawning `sh -c true` costs on this machine.
#[derive(Debug, Clone, Copy)]
struct SpawnRate {
    per_second: f64,
    /// CPU milliseconds per spawn: this process's side (fork, exec, wait) and the child's.
    parent_ms: f64,
    child_ms: f64,
}

impl SpawnRate {
    fn cpu_ms(&self) -> f64 {
        self.parent_ms + self.child_ms
    }
}

/// Spawns and waits for `sh -c true` for `time`, `in_flight` at once, each in its own process
/// group as the executor does. Output goes nowhere: the cheapest spawn the machine can do,
/// so the ceiling any executor is compared against.
async fn spawn_rate(in_flight: usize, time: Duration) -> SpawnRate {
    let cpu_before = cpu_seconds("self").unwrap_or_default();
    let start = Instant::now();
    let end = start + time;
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..in_flight {
        set.spawn(async move {
            let mut n = 0_u64;
            while Instant::now() < end {
                let ok = tokio::process::Command::new("sh")
                    .args(["-c", "true"])
                    .process_group(0)
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .await
                    .is_ok_and(|s| s.success());
                n += u64::from(ok);
            }
            n
        });
    }
    let mut total = 0;
    while let Some(n) = set.join_next().await {
        total += n.unwrap_or(0);
    }
    let elapsed = start.elapsed().as_secs_f64();
    let cpu_after = cpu_seconds("self").unwrap_or_default();
    let per_spawn = |after: f64, before: f64| (after - before) * 1000.0 / total.max(1) as f64;
    SpawnRate {
        per_second: total as f64 / elapsed,
        parent_ms: per_spawn(cpu_after.0, cpu_before.0),
        child_ms: per_spawn(cpu_after.1, cpu_before.1),
    }
}

/// Runs blocking work (files, SQLite, the metrics socket) off the runtime's threads, which
/// the cluster under test is using.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .context("blocking task")?
}

/// What is measured at each end of the window.
#[derive(Debug)]
struct Sample {
    at: DateTime<Utc>,
    wall: Instant,
    metrics: Metrics,
    /// CPU seconds of this process (master, workers, benchmark) and of its reaped children
    /// (the jobs' `sh`).
    own_cpu: f64,
    children_cpu: f64,
    /// CPU seconds of etcd, when its process was found.
    etcd_cpu: Option<f64>,
    /// (busy, total) jiffies of the whole machine, over all cores.
    machine: (u64, u64),
}

impl Sample {
    async fn take(endpoint: &str, etcd_pid: Option<u32>) -> anyhow::Result<Sample> {
        let at = Utc::now();
        let wall = Instant::now();
        let endpoint = endpoint.to_owned();
        blocking(move || {
            let metrics = Metrics::parse(&scrape(&endpoint)?);
            let (own_cpu, children_cpu) = cpu_seconds("self").unwrap_or_default();
            Ok(Sample {
                at,
                wall,
                metrics,
                own_cpu,
                children_cpu,
                etcd_cpu: etcd_pid.and_then(|p| cpu_seconds(&p.to_string()).map(|(own, _)| own)),
                machine: machine_jiffies().unwrap_or_default(),
            })
        })
        .await
    }
}

/// etcd's Prometheus metrics, by a plain HTTP/1.0 GET: one request, no client library.
fn scrape(endpoint: &str) -> anyhow::Result<String> {
    let mut stream =
        TcpStream::connect(endpoint).with_context(|| format!("connecting to {endpoint}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET /metrics HTTP/1.0\r\nHost: {endpoint}\r\nAccept: text/plain\r\n\r\n"
    )?;
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .context("reading etcd's metrics")?;
    let (head, body) = response
        .split_once("\r\n\r\n")
        .context("etcd's metrics: no end of the HTTP header")?;
    let status = head.split_whitespace().nth(1).unwrap_or_default();
    anyhow::ensure!(status == "200", "etcd's metrics: HTTP status {status}");
    Ok(body.to_owned())
}

/// Samples in Prometheus' text format.
#[derive(Debug, Default)]
struct Metrics {
    series: Vec<Series>,
}

#[derive(Debug)]
struct Series {
    name: String,
    labels: Vec<(String, String)>,
    value: f64,
}

impl Metrics {
    /// Parses `name{label="value",...} number` lines; comments and anything unreadable are
    /// skipped. Label values are taken verbatim up to the next quote, which is enough for
    /// etcd's series (no quotes or escapes in them).
    fn parse(text: &str) -> Metrics {
        let series = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|line| {
                let (series, value) = line.rsplit_once(' ')?;
                let value = value.parse().ok()?;
                let (name, labels) = match series.split_once('{') {
                    Some((name, rest)) => (name, parse_labels(rest.strip_suffix('}')?)?),
                    None => (series, Vec::new()),
                };
                Some(Series {
                    name: name.to_owned(),
                    labels,
                    value,
                })
            })
            .collect();
        Metrics { series }
    }

    /// The series called `name` that carry every label of `filter`, summed by the value of
    /// their label `by`.
    fn sum_by(&self, name: &str, filter: &[(&str, &str)], by: &str) -> BTreeMap<String, f64> {
        let mut out = BTreeMap::new();
        for s in self.series.iter().filter(|s| s.name == name) {
            let label = |k: &str| {
                s.labels
                    .iter()
                    .find(|(l, _)| l == k)
                    .map(|(_, v)| v.as_str())
            };
            if filter.iter().all(|(k, v)| label(k) == Some(v)) {
                *out.entry(label(by).unwrap_or_default().to_owned())
                    .or_insert(0.0) += s.value;
            }
        }
        out
    }

    /// The sum of the series called `name`.
    fn total(&self, name: &str) -> f64 {
        self.series
            .iter()
            .filter(|s| s.name == name)
            .map(|s| s.value)
            .sum()
    }
}

fn parse_labels(mut s: &str) -> Option<Vec<(String, String)>> {
    let mut labels = Vec::new();
    while !s.is_empty() {
        let (key, rest) = s.split_once("=\"")?;
        let (value, rest) = rest.split_once('"')?;
        labels.push((key.to_owned(), value.to_owned()));
        s = rest.strip_prefix(',').unwrap_or(rest);
    }
    Some(labels)
}

/// `after - before` for every key of `after`.
fn delta(before: &BTreeMap<String, f64>, after: &BTreeMap<String, f64>) -> BTreeMap<String, f64> {
    after
        .iter()
        .map(|(k, v)| (k.clone(), v - before.get(k).copied().unwrap_or(0.0)))
        .filter(|(_, v)| *v > 0.0)
        .collect()
}

/// Clock ticks per second of `/proc` CPU times (USER_HZ on Linux).
const USER_HZ: f64 = 100.0;

/// (own, reaped children's) CPU seconds of process `pid` (`self` for this one).
fn cpu_seconds(pid: &str) -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces; the fields are counted from its closing parenthesis.
    let (_, rest) = stat.rsplit_once(')')?;
    let f: Vec<f64> = rest
        .split_whitespace()
        .skip(11)
        .take(4)
        .map(|v| v.parse().unwrap_or(0.0))
        .collect();
    let [utime, stime, cutime, cstime] = f.as_slice() else {
        return None;
    };
    Some(((utime + stime) / USER_HZ, (cutime + cstime) / USER_HZ))
}

/// (busy, total) jiffies of the machine since boot, from `/proc/stat`.
fn machine_jiffies() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let cpu = stat.lines().find(|l| l.starts_with("cpu "))?;
    let v: Vec<u64> = cpu
        .split_whitespace()
        .skip(1)
        .map(|x| x.parse().unwrap_or(0))
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is inside user).
    let total: u64 = v.iter().take(8).sum();
    let idle = v.get(3).copied().unwrap_or(0) + v.get(4).copied().unwrap_or(0);
    Some((total - idle, total))
}

/// The pid of this process's child whose command line holds `arg`: the etcd that testkit
/// started (it does not hand out the pid), found by its client URL.
fn child_with_arg(arg: &str) -> Option<u32> {
    let me = std::process::id();
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .find_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
            if !cmdline.split(|b| *b == 0).any(|a| a == arg.as_bytes()) {
                return None;
            }
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let ppid: u32 = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .nth(1)?
                .parse()
                .ok()?;
            (ppid == me).then_some(pid)
        })
}

/// An execution record, the columns this benchmark reads.
#[derive(Debug)]
struct Rec {
    job: String,
    plan_ms: i64,
    status: String,
    worker: String,
    /// When the worker handed the run to its runner: after the claim succeeded.
    schedule_ms: i64,
    start_ms: i64,
    end_ms: i64,
}

pub(crate) fn open_db(db: &Path) -> anyhow::Result<rusqlite::Connection> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .with_context(|| format!("opening {}", db.display()))?;
    conn.busy_timeout(Duration::from_secs(10))?;
    Ok(conn)
}

fn count_records(db: &Path, from_ms: i64, to_ms: i64) -> anyhow::Result<usize> {
    if !db.exists() {
        return Ok(0);
    }
    let n: i64 = open_db(db)?.query_row(
        "SELECT COUNT(*) FROM executions WHERE plan_time_ms >= ?1 AND plan_time_ms < ?2",
        [from_ms, to_ms],
        |r| r.get(0),
    )?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// The records of the ticks in `[from_ms, to_ms)`.
fn read_records(db: &Path, from_ms: i64, to_ms: i64) -> anyhow::Result<Vec<Rec>> {
    let conn = open_db(db)?;
    let mut stmt = conn.prepare(
        "SELECT job_name, plan_time_ms, status, worker_id, schedule_time_ms, start_time_ms, \
         end_time_ms FROM executions \
         WHERE plan_time_ms >= ?1 AND plan_time_ms < ?2",
    )?;
    let rows = stmt.query_map([from_ms, to_ms], |r| {
        Ok(Rec {
            job: r.get(0)?,
            plan_ms: r.get(1)?,
            status: r.get(2)?,
            worker: r.get(3)?,
            schedule_ms: r.get(4)?,
            start_ms: r.get(5)?,
            end_ms: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// End times of the successful runs that ended in `[from_ms, to_ms)`, whatever their tick.
fn completion_times(db: &Path, from_ms: i64, to_ms: i64) -> anyhow::Result<Vec<i64>> {
    let conn = open_db(db)?;
    let mut stmt = conn.prepare(
        "SELECT end_time_ms FROM executions \
         WHERE status = 'success' AND end_time_ms >= ?1 AND end_time_ms < ?2",
    )?;
    let rows = stmt.query_map([from_ms, to_ms], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Waits until the records of the window stop arriving: all `expected` are there, or the
/// count has not moved for [`RECORDS_QUIET`], or [`RECORDS_DEADLINE`] passed. Returns how
/// long it waited.
async fn wait_for_records(
    db: &Path,
    from_ms: i64,
    to_ms: i64,
    expected: usize,
) -> anyhow::Result<Duration> {
    let start = Instant::now();
    let mut last = (usize::MAX, Instant::now());
    let mut said = Instant::now();
    loop {
        let db_path: PathBuf = db.to_owned();
        let n = blocking(move || count_records(&db_path, from_ms, to_ms)).await?;
        if n != last.0 {
            last = (n, Instant::now());
        }
        let quiet = last.1.elapsed();
        if (n >= expected && quiet >= Duration::from_secs(1))
            || quiet >= RECORDS_QUIET
            || start.elapsed() >= RECORDS_DEADLINE
        {
            return Ok(start.elapsed());
        }
        if said.elapsed() >= Duration::from_secs(5) {
            eprintln!("  {n} of {expected} records of the window so far ...");
            said = Instant::now();
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// Everything measured, and how it is printed.
#[derive(Debug)]
struct Report {
    /// Master with TLS and tokens.
    secure: bool,
    workers: usize,
    jobs: usize,
    seconds: u64,
    threads: usize,
    sequential: SpawnRate,
    parallel: SpawnRate,
    /// The faster of the two: what the cluster is compared against.
    raw: SpawnRate,
    expected: usize,
    waited: Duration,
    records: Vec<Rec>,
    completions: Vec<i64>,
    before: Sample,
    after: Sample,
    /// Workers whose lease at the end is the one they registered with.
    leases_kept: usize,
}

impl Report {
    /// Prints the report; with `json`, also its figures as one line of JSON, last.
    fn print(&self, json: bool) {
        let (w, n) = (self.workers, self.jobs);
        let span = (self.after.wall - self.before.wall).as_secs_f64();
        let ticks = Ticks::tally(&self.records, self.expected, w);
        let executed = ticks.executed;

        // Throughput: runs that ended between the scrapes, whatever their tick, so a cluster
        // working off a backlog is measured by what it gets done.
        let done = self.completions.len();
        let throughput = done as f64 / span;
        let share = throughput / self.raw.per_second;
        let (slowest, fastest) = whole_seconds(&self.completions);

        println!(
            "cluster: {w} workers x {} executor threads, {n} jobs running `true` every second, {} s measured, {}",
            self.threads,
            self.seconds,
            if self.secure {
                "master with TLS and tokens (workers ingest over TLS with a worker token)"
            } else {
                "plain text, no tokens"
            }
        );
        println!(
            "  raw spawn rate   {:.0} /s `sh -c true` with {RAW_IN_FLIGHT} in flight ({:.2} ms CPU each: {:.2} child, {:.2} parent), {:.0} /s sequential (measured first, before the cluster started)",
            self.parallel.per_second,
            self.parallel.cpu_ms(),
            self.parallel.child_ms,
            self.parallel.parent_ms,
            self.sequential.per_second
        );
        ticks.print(self.expected, self.waited);
        println!(
            "  throughput       {throughput:.0} executions/s completed between the scrapes = {:.1} % of the raw rate (offered load {n} /s; whole seconds min {slowest} max {fastest})",
            share * 100.0,
        );
        let (cpu_per_run_ms, capacity_share) = self.print_cpu(span, done);
        let requests = Requests::between(&self.before.metrics, &self.after.metrics);
        requests.print(w, span, executed);

        let verdict = |ok: bool| if ok { "met" } else { "NOT met" };
        println!("  target vs measured");
        let per = |x: f64| (executed > 0).then(|| x / executed as f64);
        match (per(requests.get("Txn")), per(requests.total())) {
            (Some(txn), Some(all)) => {
                row(
                    "etcd requests per execution",
                    "< 1 (claims and releases batched)",
                    &format!("{txn:.2} Txn, {all:.2} all requests"),
                    verdict(all < TARGET_REQUESTS_PER_EXECUTION),
                );
                row(
                    "  against the old design",
                    &format!("~{OLD_DESIGN_REQUESTS_PER_EXECUTION:.0} per execution"),
                    &format!(
                        "{:.0} % of that",
                        txn / OLD_DESIGN_REQUESTS_PER_EXECUTION * 100.0
                    ),
                    "",
                );
            }
            _ => row(
                "etcd requests per execution",
                "< 1 (claims and releases batched)",
                "no execution in the window",
                "NOT measured",
            ),
        }
        // A cluster that ran every tick it was offered cannot show more throughput than the
        // offered load: below the target share, the run measured the load, not the cluster.
        let kept_up = ticks.missed == 0 && throughput >= 0.97 * n as f64;
        let load_bound = format!(
            "load-bound: every tick ran, and the offered {n} /s is {:.0} % of the raw rate; raise --jobs",
            n as f64 / self.raw.per_second * 100.0
        );
        row(
            "throughput vs raw spawn rate",
            ">= 70 %",
            &format!(
                "{throughput:.0} /s of {:.0} /s = {:.1} %",
                self.raw.per_second,
                share * 100.0
            ),
            if kept_up && share < TARGET_SHARE_OF_RAW {
                &load_bound
            } else {
                verdict(share >= TARGET_SHARE_OF_RAW)
            },
        );
        row(
            "duplicate runs of a tick",
            "0",
            &ticks.duplicates.to_string(),
            verdict(ticks.duplicates == 0),
        );
        row(
            "ticks neither run nor recorded skipped",
            "0",
            &ticks.unrecorded.to_string(),
            verdict(ticks.unrecorded == 0),
        );
        row(
            "worker leases kept through the run",
            &format!("{w} of {w}"),
            &format!("{} of {w}", self.leases_kept),
            verdict(self.leases_kept == w),
        );
        row(
            "ticks missed / late",
            "0 / 0",
            &format!("{} / {}", ticks.missed, ticks.late),
            verdict(ticks.missed == 0 && ticks.late == 0),
        );
        if json {
            let lag = |p: f64| crate::percentile(&ticks.lags, p);
            println!(
                "{}",
                serde_json::json!({
                    "jobs": n,
                    "workers": w,
                    "expected": self.expected,
                    "ran": ticks.executed,
                    "skipped": ticks.missed,
                    "duplicates": ticks.duplicates,
                    "unrecorded": ticks.unrecorded,
                    "late": ticks.late,
                    "leases_kept": self.leases_kept,
                    "throughput_per_s": throughput,
                    "raw_per_s": self.raw.per_second,
                    "share_of_raw": share,
                    "kept_up": kept_up,
                    "cpu_per_run_ms": cpu_per_run_ms,
                    "capacity_share_of_raw": capacity_share,
                    "etcd_requests_per_execution": per(requests.total()),
                    "start_lag_p50_ms": lag(0.50),
                    "start_lag_p99_ms": lag(0.99),
                })
            );
        }
    }

    /// CPU between the scrapes, by process, and per completed run against the raw spawn's:
    /// with every core busy, `cores / cost` is the most runs per second the machine can do.
    /// Returns the CPU per run (ms) and the rate all cores could sustain at that cost, as a
    /// share of the raw spawn rate.
    fn print_cpu(&self, span: f64, done: usize) -> (f64, f64) {
        let (b, a) = (&self.before, &self.after);
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let machine =
            (a.machine.0 - b.machine.0) as f64 / (a.machine.1 - b.machine.1).max(1) as f64 * 100.0;
        let own = a.own_cpu - b.own_cpu;
        let children = a.children_cpu - b.children_cpu;
        let etcd = b.etcd_cpu.zip(a.etcd_cpu).map(|(b, a)| a - b);
        let pct = |cpu: f64| format!("{:.0} %", cpu / span * 100.0);
        println!(
            "  cpu              master+workers {}, their `sh` children {}, etcd {} (of one core); machine {machine:.0} % busy of {cores} cores",
            pct(own),
            pct(children),
            etcd.map_or_else(|| "unknown".to_owned(), pct),
        );
        let ms = |cpu: f64| cpu * 1000.0 / done.max(1) as f64;
        let cost = ms(own + children + etcd.unwrap_or(0.0));
        let ceiling = cores as f64 * 1000.0 / cost.max(f64::EPSILON);
        println!(
            "  cpu per run      {cost:.2} ms = `sh` {:.2} + master+workers {:.2} + etcd {:.2}; raw spawn {:.2} ms; all cores busy at this cost: {ceiling:.0} /s = {:.0} % of the raw rate",
            ms(children),
            ms(own),
            ms(etcd.unwrap_or(0.0)),
            self.raw.cpu_ms(),
            ceiling * 100.0 / self.raw.per_second
        );
        (cost, ceiling / self.raw.per_second)
    }
}

/// The fewest and most runs completed in one whole second; the first and last seconds are
/// partial and left out.
fn whole_seconds(completions: &[i64]) -> (usize, usize) {
    let mut per_second: BTreeMap<i64, usize> = BTreeMap::new();
    for t in completions {
        *per_second.entry(t.div_euclid(1000)).or_default() += 1;
    }
    let counts: Vec<usize> = per_second.values().copied().collect();
    let inner = counts
        .get(1..counts.len().saturating_sub(1))
        .unwrap_or_default();
    (
        inner.iter().min().copied().unwrap_or(0),
        inner.iter().max().copied().unwrap_or(0),
    )
}

/// What became of the ticks in the window: each should have exactly one record, a success.
#[derive(Debug, Default)]
struct Ticks {
    /// Ticks with a successful run.
    executed: usize,
    missed: usize,
    /// Records beyond the first of a tick.
    duplicates: usize,
    /// Ticks with no record at all.
    unrecorded: usize,
    /// Successful runs that started [`LATE_MS`] or more after their tick.
    late: usize,
    statuses: BTreeMap<String, usize>,
    per_worker: BTreeMap<String, usize>,
    /// Start lags of the successful runs, and of those run by another worker than the
    /// tick's owner (the first in the workers' ranking): those were taken over after the
    /// owner's turn passed. Sorted.
    lags: Vec<i64>,
    taken_over: Vec<i64>,
    /// The start lag in its parts: tick to claimed (the worker's turn and the claim
    /// transaction), claimed to started (a free executor slot and the spawn), and the run
    /// itself. Sorted.
    to_claimed: Vec<i64>,
    to_started: Vec<i64>,
    run_time: Vec<i64>,
}

impl Ticks {
    fn tally(records: &[Rec], expected: usize, workers: usize) -> Ticks {
        let ids: Vec<String> = (1..=workers).map(|i| format!("worker-{i}")).collect();
        let owner = |job: &str, tick: i64| {
            ids.iter()
                .max_by_key(|id| (schedd_worker::claiming::score(id, job, tick), id.as_str()))
                .map_or("", String::as_str)
        };
        let mut t = Ticks::default();
        let mut per_tick: HashMap<(&str, i64), usize> = HashMap::new();
        let mut ok_ticks: HashSet<(&str, i64)> = HashSet::new();
        for r in records {
            *per_tick.entry((&r.job, r.plan_ms)).or_default() += 1;
            *t.statuses.entry(r.status.clone()).or_default() += 1;
            if r.status != "success" {
                continue;
            }
            ok_ticks.insert((&r.job, r.plan_ms));
            *t.per_worker.entry(r.worker.clone()).or_default() += 1;
            t.lags.push(r.start_ms - r.plan_ms);
            t.to_claimed.push(r.schedule_ms - r.plan_ms);
            t.to_started.push(r.start_ms - r.schedule_ms);
            t.run_time.push(r.end_ms - r.start_ms);
            if r.worker != owner(&r.job, r.plan_ms) {
                t.taken_over.push(r.start_ms - r.plan_ms);
            }
        }
        for v in [
            &mut t.lags,
            &mut t.taken_over,
            &mut t.to_claimed,
            &mut t.to_started,
            &mut t.run_time,
        ] {
            v.sort_unstable();
        }
        t.executed = ok_ticks.len();
        t.missed = expected.saturating_sub(t.executed);
        t.duplicates = per_tick.values().map(|c| c - 1).sum();
        t.unrecorded = expected.saturating_sub(per_tick.len());
        t.late = t.lags.iter().filter(|l| **l >= LATE_MS).count();
        t
    }

    fn print(&self, expected: usize, waited: Duration) {
        println!(
            "  executions       {} of {expected} ticks in the window ran (success); missed {}; duplicates {}",
            self.executed, self.missed, self.duplicates
        );
        println!(
            "  records          by status {}; {} ticks without any record after waiting {:.1} s",
            fmt_counts(&self.statuses),
            self.unrecorded,
            waited.as_secs_f64()
        );
        println!(
            "  per worker       {}; run by another worker than the tick's owner {} ({:.1} %, start lag p50 {} ms)",
            fmt_counts(&self.per_worker),
            self.taken_over.len(),
            self.taken_over.len() as f64 * 100.0 / self.executed.max(1) as f64,
            percentile(&self.taken_over, 0.50)
        );
        println!(
            "  start lag        p50 {} ms   p99 {} ms   max {} ms   late (>= {LATE_MS} ms after the tick) {}",
            percentile(&self.lags, 0.50),
            percentile(&self.lags, 0.99),
            self.lags.last().copied().unwrap_or(0),
            self.late
        );
        let p = |v: &[i64]| {
            format!(
                "p50 {} ms, p99 {} ms",
                percentile(v, 0.50),
                percentile(v, 0.99)
            )
        };
        println!(
            "    in parts       tick -> claimed {}; claimed -> started {}; run {}",
            p(&self.to_claimed),
            p(&self.to_started),
            p(&self.run_time)
        );
    }
}

/// etcd's work between the scrapes: every unary call by method, plus the keep-alive
/// messages on the lease streams (one renewal each). Watch traffic is pushed, not asked for
/// per execution, and is kept apart.
#[derive(Debug)]
struct Requests {
    by_method: BTreeMap<String, f64>,
    /// Raft proposals committed: the writes.
    proposals: f64,
    watch_requests: f64,
    watch_messages: f64,
    /// WAL fsyncs and their seconds: each fsync commits a batch of proposals.
    fsyncs: f64,
    fsync_seconds: f64,
    /// Applies that took over 100 ms.
    slow_applies: f64,
}

impl Requests {
    fn between(m0: &Metrics, m1: &Metrics) -> Requests {
        let change = |name: &str, filter: &[(&str, &str)]| {
            delta(
                &m0.sum_by(name, filter, "grpc_method"),
                &m1.sum_by(name, filter, "grpc_method"),
            )
        };
        let received = "grpc_server_msg_received_total";
        let mut by_method = change("grpc_server_handled_total", &[("grpc_type", "unary")]);
        by_method.extend(change(received, &[("grpc_method", "LeaseKeepAlive")]));
        let watch = [
            ("grpc_method", "Watch"),
            ("grpc_service", "etcdserverpb.Watch"),
        ];
        let sum = |m: BTreeMap<String, f64>| m.values().fold(0.0, |a, b| a + b);
        let total = |name: &str| m1.total(name) - m0.total(name);
        Requests {
            by_method,
            proposals: total("etcd_server_proposals_committed_total"),
            fsyncs: total("etcd_disk_wal_fsync_duration_seconds_count"),
            fsync_seconds: total("etcd_disk_wal_fsync_duration_seconds_sum"),
            slow_applies: total("etcd_server_slow_apply_total"),
            watch_requests: sum(change(received, &watch)),
            watch_messages: sum(change("grpc_server_msg_sent_total", &watch)),
        }
    }

    fn get(&self, method: &str) -> f64 {
        self.by_method.get(method).copied().unwrap_or(0.0)
    }

    fn total(&self) -> f64 {
        self.by_method.values().fold(0.0, |a, b| a + b)
    }

    /// Prints the requests by method, per execution of the window.
    fn print(&self, workers: usize, span: f64, executed: usize) {
        let per = |x: f64| {
            if executed == 0 {
                "n/a".to_owned()
            } else {
                format!("{:.3}", x / executed as f64)
            }
        };
        let renew_every = JOB_LOCK_TTL.as_secs_f64() / 3.0;
        println!(
            "  etcd requests between the scrapes ({span:.1} s), per execution = per success in the window ({executed}):"
        );
        for (method, count) in &self.by_method {
            let what = match method.as_str() {
                "Txn" => format!(
                    "claims and releases; {:.0} beyond one of each per execution (claims that lost a race, retries)",
                    count - 2.0 * executed as f64
                ),
                "Put" => format!(
                    "heartbeats: {workers} workers every {HEARTBEAT_INTERVAL:?}, ~{:.0} expected",
                    workers as f64 * span / HEARTBEAT_INTERVAL.as_secs_f64()
                ),
                "LeaseKeepAlive" => format!(
                    "keep-alive messages of {workers} worker leases and the master's, every {renew_every:.1} s, ~{:.0} expected",
                    (workers + 1) as f64 * span / renew_every
                ),
                "LeaseGrant" => "claim leases, one per worker per minute".to_owned(),
                _ => String::new(),
            };
            println!(
                "    {method:<16} {count:>8.0}   {:>6} per execution   {what}",
                per(*count)
            );
        }
        let total = self.total();
        let background: f64 = ["Put", "LeaseKeepAlive", "LeaseGrant"]
            .iter()
            .map(|m| self.get(m))
            .sum();
        println!(
            "    {:<16} {total:>8.0}   {:>6} per execution   ({} without the heartbeats and leases, which cost per worker and second, not per execution)",
            "total",
            per(total),
            per(total - background)
        );
        println!(
            "    {:<16} {:>8.0}   {:>6} per execution   (raft proposals committed: writes)",
            "proposals",
            self.proposals,
            per(self.proposals)
        );
        println!(
            "    {:<16} {:>8.0}   watch messages pushed to the watchers ({} watch requests received)",
            "watch events", self.watch_messages, self.watch_requests
        );
        println!(
            "    {:<16} {:>8.0}   WAL fsyncs, mean {:.1} ms, {:.1} proposals each; {} applies slower than 100 ms",
            "disk",
            self.fsyncs,
            self.fsync_seconds * 1000.0 / self.fsyncs.max(1.0),
            self.proposals / self.fsyncs.max(1.0),
            self.slow_applies
        );
    }
}

/// One line of the target table.
fn row(what: &str, target: &str, measured: &str, verdict: &str) {
    println!("    {what:<32} {target:<24} {measured:<34} {verdict}");
}

fn fmt_counts(counts: &BTreeMap<String, usize>) -> String {
    if counts.is_empty() {
        return "none".into();
    }
    counts
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etcd_metrics_are_summed_by_method() {
        let text = r#"# HELP grpc_server_handled_total Total number of RPCs completed on the server.
# TYPE grpc_server_handled_total counter
grpc_server_handled_total{grpc_code="OK",grpc_method="Txn",grpc_service="etcdserverpb.KV",grpc_type="unary"} 16
grpc_server_handled_total{grpc_code="Unavailable",grpc_method="Txn",grpc_service="etcdserverpb.KV",grpc_type="unary"} 2
grpc_server_handled_total{grpc_code="OK",grpc_method="Put",grpc_service="etcdserverpb.KV",grpc_type="unary"} 49
grpc_server_handled_total{grpc_code="Canceled",grpc_method="Watch",grpc_service="etcdserverpb.Watch",grpc_type="bidi_stream"} 24
etcd_server_proposals_committed_total 81
"#;
        let m = Metrics::parse(text);
        let by = m.sum_by(
            "grpc_server_handled_total",
            &[("grpc_type", "unary")],
            "grpc_method",
        );
        assert_eq!(
            by,
            BTreeMap::from([("Put".to_owned(), 49.0), ("Txn".to_owned(), 18.0)])
        );
        assert_eq!(m.total("etcd_server_proposals_committed_total"), 81.0);
        let later = Metrics::parse(&text.replace("} 16", "} 20"));
        let change = delta(
            &by,
            &later.sum_by(
                "grpc_server_handled_total",
                &[("grpc_type", "unary")],
                "grpc_method",
            ),
        );
        assert_eq!(change, BTreeMap::from([("Txn".to_owned(), 4.0)]));
    }

    #[test]
    fn partial_first_and_last_seconds_are_left_out() {
        let completions = [999, 1_000, 1_500, 2_000, 2_001, 2_002, 3_000];
        assert_eq!(whole_seconds(&completions), (2, 3));
        assert_eq!(whole_seconds(&[]), (0, 0));
    }
}

//! `failover`: how a cluster gets over a worker killed with SIGKILL, and how long each step
//! takes.
//!
//! A real etcd and the cluster master run in this process; the workers are processes of the
//! release `schedd-worker` binary (so one can be killed for real), with the production
//! defaults for the lease (`jobLockTtl` 10 s) and heartbeat. The load: `--jobs` jobs of
//! `true` every second (overlap `allow`), and one `forbid` job per worker whose first run
//! sleeps for good and writes its shell's pid to a file. Once every worker is busy, the
//! worker running one of the long runs is killed with SIGKILL half a second after a tick,
//! and the benchmark watches what follows:
//!
//! - its long run's process dies (the worker's reaper kills its group);
//! - its share of the ticks is taken over by the other workers, each after the takeover
//!   grace, until its lease expires and the ranks no longer count it;
//! - its lease expires and its entry goes (`jobLockTtl`);
//! - its long run is recorded `lost` by a peer;
//! - the `forbid` job, whose lock went with the lease, starts again on another worker.
//!
//! The killed worker is then started again, as a service manager would, and sends the
//! records it had spooled but not shipped. Every tick of the window around the kill must
//! have run once: the benchmark counts the missed and the duplicated.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use chrono::Utc;
use etcd_client::{Client, DeleteOptions, GetOptions};

use crate::cluster::{blocking, early_exit, start_cluster, start_etcd, stop_nodes, wait_for_keys};
use crate::percentile;

/// Seconds of steady load before the kill, and after the lease expired.
const STEADY: Duration = Duration::from_secs(5);
/// How long after a tick the worker is killed: its claims of the tick are answered, and
/// the ticks after it are all the others' to take over.
const KILL_AFTER_TICK_MS: i64 = 500;
/// Longest wait for any one step after the kill.
const STEP_DEADLINE: Duration = Duration::from_secs(60);
/// How often the steps are looked for.
const POLL: Duration = Duration::from_millis(20);

#[derive(Debug, clap::Args)]
pub struct Options {
    #[arg(long, default_value_t = 3)]
    workers: usize,
    /// Jobs of `true` every second.
    #[arg(long, default_value_t = 100)]
    jobs: usize,
    /// Also print the figures as one line of JSON, last (what `report` reads).
    #[arg(long)]
    json: bool,
}

/// One worker process.
struct Worker {
    id: String,
    child: std::process::Child,
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub async fn run(opts: Options) -> anyhow::Result<()> {
    anyhow::ensure!(
        opts.workers >= 2 && opts.jobs > 0,
        "--workers must be at least 2 (one is killed) and --jobs at least 1"
    );
    crate::cluster::init_logging();
    let bin = crate::repo_root().join("target/release/schedd-worker");
    anyhow::ensure!(
        bin.exists(),
        "{} is missing: run `cargo build --release -p schedd-worker` first",
        bin.display()
    );

    eprintln!(
        "starting etcd, the master and {} worker processes ...",
        opts.workers
    );
    let (dir, etcd) = start_etcd("schedd-bench-failover-").await?;
    let endpoint = etcd.endpoint();
    let shutdown = tokio_util::sync::CancellationToken::new();
    let (mut nodes, _) = start_cluster(&endpoint, dir.path(), 0, 1, None, &shutdown).await?;
    let mut client = etcd.client().await;
    wait_for_keys(&mut client, "/cron/masters/", 1, &mut nodes).await?;
    let config = dir.path().join("worker.json");
    std::fs::write(
        &config,
        serde_json::json!({ "etcdEndpoints": [endpoint], "executorThreads": 64 }).to_string(),
    )?;
    let mut workers = Vec::new();
    for n in 1..=opts.workers {
        workers.push(spawn_worker(&bin, &config, dir.path(), n)?);
    }
    wait_for_keys(&mut client, "/cron/workers/", opts.workers, &mut nodes).await?;

    eprintln!(
        "writing {} jobs and {} long runs ...",
        opts.jobs, opts.workers
    );
    let pids = dir.path().join("pids");
    std::fs::create_dir_all(&pids)?;
    put_jobs(&client, opts.jobs, opts.workers, &pids).await?;
    // Every long job runs somewhere, and the load is steady.
    let long_runs = wait_for(|| {
        let mut client = client.clone();
        let want = opts.workers;
        async move { Ok(running_long(&mut client).await?.filter_len(want)) }
    })
    .await
    .context("the long runs did not all start")?;
    tokio::time::sleep(STEADY).await;
    early_exit(&mut nodes).await?;

    // The victim: a worker with a long run going.
    let (long_job, victim) = long_runs
        .iter()
        .next()
        .map(|(job, worker)| (job.clone(), worker.clone()))
        .context("no long run")?;
    let pid = read_pid(&pids.join(&long_job))?;
    let to_kill = workers
        .iter()
        .position(|w| w.id == victim)
        .with_context(|| format!("{victim} is not one of ours"))?;
    let now_ms = Utc::now().timestamp_millis();
    let to_next_tick = 1_000 - now_ms.rem_euclid(1_000);
    tokio::time::sleep(Duration::from_millis(
        u64::try_from(to_next_tick + KILL_AFTER_TICK_MS).unwrap_or(0),
    ))
    .await;
    let window_from = Utc::now().timestamp_millis() / 1_000 * 1_000 - 5_000;
    let killed_at = Instant::now();
    let killed_ms = Utc::now().timestamp_millis();
    workers[to_kill]
        .child
        .kill()
        .context("SIGKILL the worker")?;
    let _ = workers[to_kill].child.wait();
    eprintln!("killed {victim} (it ran {long_job}, pid {pid}); watching ...");

    let process_dead = wait_for(|| async move { Ok((!alive(pid)).then_some(())) })
        .await
        .map(|()| killed_at.elapsed());
    let entry_gone = wait_for(|| {
        let mut client = client.clone();
        let key = format!("/cron/workers/{victim}");
        async move {
            let resp = client.get(key, None).await?;
            Ok(resp.kvs().is_empty().then_some(()))
        }
    })
    .await
    .map(|()| killed_at.elapsed());
    let db = dir.path().join("master").join("schedd.db");
    let lost_recorded = wait_for(|| {
        let db = db.clone();
        let (job, victim) = (long_job.clone(), victim.clone());
        async move {
            let n = blocking(move || lost_records(&db, &job, &victim)).await?;
            Ok((n > 0).then_some(()))
        }
    })
    .await
    .map(|()| killed_at.elapsed());
    let long_again = wait_for(|| {
        let mut client = client.clone();
        let (job, victim) = (long_job.clone(), victim.clone());
        async move {
            let runs = running_long(&mut client).await?;
            Ok(runs.0.get(&job).filter(|w| **w != victim).map(|_| ()))
        }
    })
    .await
    .map(|()| killed_at.elapsed());
    // Started again, as a service manager would: the records of the runs it finished just
    // before it died wait in its spool, and arrive now.
    workers[to_kill] = spawn_worker(&bin, &config, dir.path(), to_kill + 1)?;
    tokio::time::sleep(STEADY).await;
    let window_to = Utc::now().timestamp_millis() / 1_000 * 1_000 - 1_000;

    eprintln!("stopping the load and reading the records ...");
    client
        .delete("/cron/jobs/", Some(DeleteOptions::new().with_prefix()))
        .await
        .context("deleting the jobs")?;
    let expected = opts.jobs * usize::try_from((window_to - window_from) / 1_000).unwrap_or(0);
    let records = wait_for_records(&db, window_from, window_to, expected).await?;
    drop(workers);
    stop_nodes(nodes, &shutdown).await;
    drop(etcd);

    let report = Report {
        workers: opts.workers,
        jobs: opts.jobs,
        victim,
        killed_ms,
        process_dead,
        entry_gone,
        lost_recorded,
        long_again,
        window: (window_from, window_to),
        expected,
        ticks: Ticks::tally(&records, killed_ms),
    };
    report.print(opts.json);
    Ok(())
}

fn spawn_worker(bin: &Path, config: &Path, dir: &Path, n: usize) -> anyhow::Result<Worker> {
    let id = format!("worker-{n}");
    let home = dir.join(&id);
    std::fs::create_dir_all(&home)?;
    let log = std::fs::File::create(home.join("worker.log"))?;
    let child = std::process::Command::new(bin)
        .arg("--config")
        .arg(config)
        .current_dir(&home)
        .env("WORKER_ID", &id)
        .env("SCHEDD_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .with_context(|| format!("starting {}", bin.display()))?;
    Ok(Worker { id, child })
}

/// The load: `jobs` of `true` every second, and `long` `forbid` jobs that each run one
/// process for good, writing its pid to `pids/<job>`.
async fn put_jobs(client: &Client, jobs: usize, long: usize, pids: &Path) -> anyhow::Result<()> {
    let mut client = client.clone();
    let job = |name: &str, command: &str, overlap: &str| {
        serde_json::json!({
            "name": name,
            "command": command,
            "cronExpr": "* * * * * *",
            "timeout": 0,
            "disabled": false,
            "createdAt": 0,
            "updatedAt": 0,
            "overlap": overlap,
        })
        .to_string()
    };
    for i in 0..long {
        let name = format!("long-{i}");
        let command = format!(
            "echo $$ > {}; exec sleep 100000",
            pids.join(&name).display()
        );
        client
            .put(
                format!("/cron/jobs/{name}"),
                job(&name, &command, "forbid"),
                None,
            )
            .await?;
    }
    for i in 0..jobs {
        let name = format!("f-{i:05}");
        client
            .put(
                format!("/cron/jobs/{name}"),
                job(&name, "true", "allow"),
                None,
            )
            .await?;
    }
    Ok(())
}

/// The long jobs running now, with their workers.
struct LongRuns(BTreeMap<String, String>);

impl LongRuns {
    /// Itself when `n` long jobs run, each on one worker.
    fn filter_len(self, n: usize) -> Option<BTreeMap<String, String>> {
        (self.0.len() >= n).then_some(self.0)
    }
}

async fn running_long(client: &mut Client) -> anyhow::Result<LongRuns> {
    let resp = client
        .get("/cron/running/long-", Some(GetOptions::new().with_prefix()))
        .await?;
    let mut runs = BTreeMap::new();
    for kv in resp.kvs() {
        let marker: serde_json::Value = serde_json::from_slice(kv.value())?;
        let (Some(job), Some(worker)) = (marker["jobName"].as_str(), marker["workerId"].as_str())
        else {
            continue;
        };
        runs.insert(job.to_owned(), worker.to_owned());
    }
    Ok(LongRuns(runs))
}

/// Polls `f` until it gives a value, for up to [`STEP_DEADLINE`].
async fn wait_for<T, F, Fut>(mut f: F) -> anyhow::Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<Option<T>>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = f().await? {
            return Ok(v);
        }
        if start.elapsed() >= STEP_DEADLINE {
            bail!("not within {STEP_DEADLINE:?}");
        }
        tokio::time::sleep(POLL).await;
    }
}

fn read_pid(path: &Path) -> anyhow::Result<i32> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    text.trim()
        .parse()
        .with_context(|| format!("{} holds no pid", path.display()))
}

/// Whether process `pid` lives (a zombie does not).
fn alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X")
    })
}

fn lost_records(db: &Path, job: &str, worker: &str) -> anyhow::Result<i64> {
    if !db.exists() {
        return Ok(0);
    }
    let conn = crate::cluster::open_db(db)?;
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM executions WHERE job_name = ?1 AND worker_id = ?2 AND status = 'lost'",
        [job, worker],
        |r| r.get(0),
    )?)
}

/// A record of one of the `true` jobs: (job, tick, worker, start).
type Rec = (String, i64, String, i64);

/// Waits until the `expected` records of the window's `true` jobs are there, or their
/// count has not moved for 30 s; returns them.
async fn wait_for_records(
    db: &Path,
    from_ms: i64,
    to_ms: i64,
    expected: usize,
) -> anyhow::Result<Vec<Rec>> {
    let mut last = (usize::MAX, Instant::now());
    loop {
        let db: PathBuf = db.to_owned();
        let records = blocking(move || {
            let conn = crate::cluster::open_db(&db)?;
            let mut stmt = conn.prepare(
                "SELECT job_name, plan_time_ms, worker_id, start_time_ms FROM executions \
                 WHERE job_name LIKE 'f-%' AND plan_time_ms >= ?1 AND plan_time_ms < ?2",
            )?;
            let rows = stmt.query_map([from_ms, to_ms], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
            Ok(rows.collect::<Result<Vec<Rec>, _>>()?)
        })
        .await?;
        if records.len() != last.0 {
            last = (records.len(), Instant::now());
        }
        if records.len() >= expected || last.1.elapsed() >= Duration::from_secs(30) {
            return Ok(records);
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// The ticks of the window, by what happened to them.
#[derive(Debug, Default)]
struct Ticks {
    ran: usize,
    duplicates: usize,
    /// Start lag (ms) of the ticks after the kill that ran on time (the survivors' own)
    /// and of those taken over (more than 250 ms late), until the lag settles.
    after_kill_lags: Vec<i64>,
    /// Start lag of the ticks before the kill.
    before_kill_lags: Vec<i64>,
    /// The last tick after the kill that ran later than 250 ms: the ranks count the dead
    /// worker until then.
    last_takeover_ms: Option<i64>,
}

impl Ticks {
    /// A tick that started this late after its planned instant was taken over.
    const TAKEN_OVER_MS: i64 = 250;

    fn tally(records: &[Rec], killed_ms: i64) -> Ticks {
        let mut by_tick: BTreeMap<(&str, i64), Vec<&Rec>> = BTreeMap::new();
        for r in records {
            by_tick.entry((r.0.as_str(), r.1)).or_default().push(r);
        }
        let mut t = Ticks::default();
        for ((_, tick), runs) in &by_tick {
            t.ran += 1;
            t.duplicates += runs.len() - 1;
            let lag = runs[0].3 - tick;
            if *tick > killed_ms {
                t.after_kill_lags.push(lag);
                if lag > Ticks::TAKEN_OVER_MS {
                    t.last_takeover_ms = t.last_takeover_ms.max(Some(*tick));
                }
            } else {
                t.before_kill_lags.push(lag);
            }
        }
        t.after_kill_lags.sort_unstable();
        t.before_kill_lags.sort_unstable();
        t
    }
}

struct Report {
    workers: usize,
    jobs: usize,
    victim: String,
    killed_ms: i64,
    process_dead: anyhow::Result<Duration>,
    entry_gone: anyhow::Result<Duration>,
    lost_recorded: anyhow::Result<Duration>,
    long_again: anyhow::Result<Duration>,
    window: (i64, i64),
    expected: usize,
    ticks: Ticks,
}

impl Report {
    fn print(&self, json: bool) {
        let ms = |d: &anyhow::Result<Duration>| match d {
            Ok(d) => format!("{} ms", d.as_millis()),
            Err(e) => format!("not seen ({e})"),
        };
        let t = &self.ticks;
        let missed = self.expected.saturating_sub(t.ran);
        let takeover_for_ms = t.last_takeover_ms.map(|tick| tick - self.killed_ms);
        println!(
            "failover: {} worker processes, {} jobs of `true` every second and {} long `forbid` runs; {} killed with SIGKILL",
            self.workers, self.jobs, self.workers, self.victim
        );
        let row = |what: &str, measured: String, expected: &str| {
            println!("{what:<58} {measured:>16}  {expected}");
        };
        row("after the kill", "measured".to_owned(), "expected");
        row(
            "its run's process is dead",
            ms(&self.process_dead),
            "at once (its reaper)",
        );
        row(
            "ticks taken over by peers: start lag p50 / p99 / max",
            format!(
                "{} / {} / {} ms",
                percentile(&t.after_kill_lags, 0.50),
                percentile(&t.after_kill_lags, 0.99),
                t.after_kill_lags.last().copied().unwrap_or(0)
            ),
            "the takeover grace (500 ms) + a claim",
        );
        row(
            "  before the kill, for comparison: p50 / p99",
            format!(
                "{} / {} ms",
                percentile(&t.before_kill_lags, 0.50),
                percentile(&t.before_kill_lags, 0.99)
            ),
            "",
        );
        row(
            "last tick taken over (its share on time again after)",
            takeover_for_ms.map_or_else(|| "none".to_owned(), |ms| format!("{ms} ms")),
            "until its lease expires",
        );
        row(
            "its lease expired, its entry gone",
            ms(&self.entry_gone),
            "jobLockTtl (10 s)",
        );
        row(
            "its run recorded `lost` by a peer",
            ms(&self.lost_recorded),
            "just after the lease",
        );
        row(
            "the `forbid` job it ran runs again on another worker",
            ms(&self.long_again),
            "at the next tick after the lease",
        );
        row(
            "ticks in the window: ran / expected",
            format!("{} / {}", t.ran, self.expected),
            "all",
        );
        row(
            "missed / duplicated",
            format!("{missed} / {}", t.duplicates),
            "0 / 0",
        );
        if json {
            let secs = |d: &anyhow::Result<Duration>| d.as_ref().ok().map(Duration::as_secs_f64);
            println!(
                "{}",
                serde_json::json!({
                    "workers": self.workers,
                    "jobs": self.jobs,
                    "process_dead_s": secs(&self.process_dead),
                    "entry_gone_s": secs(&self.entry_gone),
                    "lost_recorded_s": secs(&self.lost_recorded),
                    "forbid_again_s": secs(&self.long_again),
                    "takeover_lag_p50_ms": percentile(&t.after_kill_lags, 0.50),
                    "takeover_lag_p99_ms": percentile(&t.after_kill_lags, 0.99),
                    "takeover_lag_max_ms": t.after_kill_lags.last().copied().unwrap_or(0),
                    "last_takeover_after_ms": takeover_for_ms,
                    "window_ms": self.window.1 - self.window.0,
                    "expected": self.expected,
                    "ran": t.ran,
                    "missed": missed,
                    "duplicates": t.duplicates,
                })
            );
        }
    }
}

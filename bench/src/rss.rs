//! `rss`: the resident memory a master and a worker of a cluster take for their jobs.
//!
//! A real etcd, and the release `schedd-master` and `schedd-worker` binaries as processes of
//! their own, started twice: against no jobs, then against `--jobs` jobs written straight
//! into etcd before they start (each due once a year, so nothing runs). Each time, once the
//! worker has loaded the job list and both processes' RSS has settled, it is read from
//! `/proc/<pid>/status`; then the master serves one full `schedctl -o json job list`, and its
//! RSS after it and its peak are read. The difference between the two starts is what the jobs
//! cost, given per 100,000 jobs.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use etcd_client::{Client, DeleteOptions, Txn, TxnOp};

/// Jobs written per etcd transaction.
const JOB_BATCH: usize = 100;
/// RSS has settled once this many samples in a row are within [`SETTLED_SPREAD`].
const SETTLED_SAMPLES: usize = 4;
const SETTLED_SPREAD: f64 = 0.01;
const SAMPLE_EVERY: Duration = Duration::from_millis(500);
/// Longest wait for the processes to start, load and settle.
const DEADLINE: Duration = Duration::from_secs(180);

#[derive(Debug, clap::Args)]
pub struct Options {
    #[arg(long, default_value_t = 100_000)]
    jobs: usize,
    /// Also print the figures as one line of JSON, last (what `report` reads).
    #[arg(long)]
    json: bool,
}

/// What one start measured, in bytes.
#[derive(Debug, Clone, Copy, Default)]
struct Memory {
    master_idle: u64,
    master_after_list: u64,
    master_peak: u64,
    worker: u64,
    worker_peak: u64,
}

/// A process that is killed when dropped.
struct Proc(std::process::Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Proc {
    fn pid(&self) -> u32 {
        self.0.id()
    }
}

pub async fn run(opts: Options) -> anyhow::Result<()> {
    anyhow::ensure!(opts.jobs > 0, "--jobs must be at least 1");
    let bin = crate::repo_root().join("target/release");
    for name in ["schedd-master", "schedd-worker", "schedctl"] {
        anyhow::ensure!(
            bin.join(name).exists(),
            "{} is missing: run `cargo build --release -p schedd-master -p schedd-worker -p schedctl` first",
            bin.join(name).display()
        );
    }
    let (dir, etcd) = crate::cluster::start_etcd("schedd-bench-rss-").await?;
    let client = etcd.client().await;
    let mut measured = Vec::new();
    for jobs in [0, opts.jobs] {
        eprintln!("{jobs} jobs: writing them, then starting a master and a worker ...");
        let mut c = client.clone();
        c.delete("/cron/", Some(DeleteOptions::new().with_prefix()))
            .await
            .context("clearing etcd")?;
        put_jobs(&client, jobs).await?;
        let home = dir.path().join(format!("jobs-{jobs}"));
        std::fs::create_dir_all(&home)?;
        measured.push((jobs, measure(&bin, &home, &etcd.endpoint(), jobs).await?));
    }
    drop(etcd);
    print(&measured, opts.jobs, opts.json);
    Ok(())
}

async fn measure(bin: &Path, home: &Path, endpoint: &str, jobs: usize) -> anyhow::Result<Memory> {
    let port = free_port()?;
    let config = home.join("cluster.json");
    std::fs::write(
        &config,
        serde_json::json!({
            "etcdEndpoints": [endpoint],
            "listen": format!("127.0.0.1:{port}"),
            "dataDir": home.join("data"),
        })
        .to_string(),
    )?;
    let spawn = |name: &str, log: &str| -> anyhow::Result<Proc> {
        let child = std::process::Command::new(bin.join(name))
            .arg("--config")
            .arg(&config)
            .current_dir(home)
            .env("WORKER_ID", "worker-1")
            .env("SCHEDD_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(home.join(log))?)
            .spawn()
            .with_context(|| format!("starting {name}"))?;
        Ok(Proc(child))
    };
    let master = spawn("schedd-master", "master.log")?;
    let worker = spawn("schedd-worker", "worker.log")?;
    let start = Instant::now();
    let worker_log = home.join("worker.log");
    while !std::fs::read_to_string(&worker_log)
        .unwrap_or_default()
        .contains("job list loaded")
    {
        if start.elapsed() > DEADLINE {
            bail!(
                "the worker did not load its {jobs} jobs within {DEADLINE:?}; see {}",
                worker_log.display()
            );
        }
        tokio::time::sleep(SAMPLE_EVERY).await;
    }
    settle(&[master.pid(), worker.pid()]).await?;
    let master_idle = status(master.pid(), "VmRSS:")?;
    let worker_rss = status(worker.pid(), "VmRSS:")?;
    let out = tokio::process::Command::new(bin.join("schedctl"))
        .args([
            "--endpoint",
            &format!("http://127.0.0.1:{port}"),
            "-o",
            "json",
            "job",
            "list",
        ])
        .output()
        .await
        .context("running schedctl")?;
    anyhow::ensure!(
        out.status.success(),
        "schedctl job list failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: Vec<serde_json::Value> =
        serde_json::from_slice(&out.stdout).context("schedctl's JSON")?;
    anyhow::ensure!(
        listed.len() == jobs,
        "the master listed {} jobs of {jobs}",
        listed.len()
    );
    settle(&[master.pid()]).await?;
    Ok(Memory {
        master_idle,
        master_after_list: status(master.pid(), "VmRSS:")?,
        master_peak: status(master.pid(), "VmHWM:")?,
        worker: worker_rss,
        worker_peak: status(worker.pid(), "VmHWM:")?,
    })
}

/// Waits until the RSS of every process in `pids` has settled.
async fn settle(pids: &[u32]) -> anyhow::Result<()> {
    let start = Instant::now();
    let mut samples: Vec<Vec<u64>> = vec![Vec::new(); pids.len()];
    loop {
        for (pid, seen) in pids.iter().zip(&mut samples) {
            seen.push(status(*pid, "VmRSS:")?);
        }
        let settled = samples.iter().all(|seen| {
            let last = &seen[seen.len().saturating_sub(SETTLED_SAMPLES)..];
            let (lo, hi) = (
                last.iter().copied().min().unwrap_or(0),
                last.iter().copied().max().unwrap_or(0),
            );
            last.len() == SETTLED_SAMPLES && (hi - lo) as f64 <= hi as f64 * SETTLED_SPREAD
        });
        if settled {
            return Ok(());
        }
        if start.elapsed() > DEADLINE {
            bail!("RSS did not settle within {DEADLINE:?}");
        }
        tokio::time::sleep(SAMPLE_EVERY).await;
    }
}

/// A `kB` field of `/proc/<pid>/status`, in bytes.
fn status(pid: u32, field: &str) -> anyhow::Result<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("reading /proc/{pid}/status (did the process exit?)"))?;
    text.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse::<u64>().ok())
        .map(|kib| kib * 1024)
        .with_context(|| format!("no {field} in /proc/{pid}/status"))
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// `jobs` jobs due once a year, written straight into etcd.
async fn put_jobs(client: &Client, jobs: usize) -> anyhow::Result<()> {
    let names: Vec<String> = (0..jobs).map(|i| format!("job-{i:06}")).collect();
    for batch in names.chunks(JOB_BATCH) {
        let ops: Vec<TxnOp> = batch
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let job = serde_json::json!({
                    "name": name,
                    "command": format!("/usr/local/bin/backup --target db-{i} --retention 7d"),
                    "cronExpr": "0 0 3 1 1 *",
                    "timeout": 0,
                    "disabled": false,
                    "createdAt": 0,
                    "updatedAt": 0,
                });
                TxnOp::put(format!("/cron/jobs/{name}"), job.to_string(), None)
            })
            .collect();
        let mut client = client.clone();
        client
            .txn(Txn::new().and_then(ops))
            .await
            .context("writing jobs")?;
    }
    Ok(())
}

fn print(measured: &[(usize, Memory)], jobs: usize, json: bool) {
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    println!("rss: a cluster master and worker, as processes, before and after loading jobs");
    println!(
        "{:>8} {:>14} {:>18} {:>14} {:>12} {:>14}",
        "jobs", "master MiB", "after a list MiB", "master peak", "worker MiB", "worker peak"
    );
    for (n, m) in measured {
        println!(
            "{n:>8} {:>14.1} {:>18.1} {:>14.1} {:>12.1} {:>14.1}",
            mib(m.master_idle),
            mib(m.master_after_list),
            mib(m.master_peak),
            mib(m.worker),
            mib(m.worker_peak)
        );
    }
    let (Some((_, none)), Some((_, all))) = (measured.first(), measured.last()) else {
        return;
    };
    let per_100k =
        |with: u64, without: u64| mib(with.saturating_sub(without)) * 100_000.0 / jobs as f64;
    let master = per_100k(all.master_after_list, none.master_after_list);
    let worker = per_100k(all.worker, none.worker);
    println!(
        "per 100,000 jobs: master {master:.1} MiB (after a full list), worker {worker:.1} MiB"
    );
    if json {
        println!(
            "{}",
            serde_json::json!({
                "jobs": jobs,
                "master_idle_mib": mib(all.master_idle),
                "master_after_list_mib": mib(all.master_after_list),
                "master_peak_mib": mib(all.master_peak),
                "worker_mib": mib(all.worker),
                "worker_peak_mib": mib(all.worker_peak),
                "master_per_100k_mib": master,
                "worker_per_100k_mib": worker,
            })
        );
    }
}

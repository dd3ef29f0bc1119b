//! schedd's scheduler beside two peers, under the same load and measured the same way:
//! tokio-cron-scheduler (the Rust crate people reach for) and APScheduler 3 (Python). Each
//! is given N jobs on `* * * * * *`, runs them for a settling second, then for `--seconds`
//! whole seconds; each fire records its lag and is counted in the second it lands in.
//!
//! Every scheduler runs as a process of its own, one at a time, `--runs` times per size;
//! each prints one line of JSON at the end (fires in the window, lag percentiles, CPU in the
//! window, RSS, time to load the jobs), and the table gives the median of the runs with the
//! lowest and highest beside it.
//!
//! - schedd: `schedd-bench scheduler --jobs N --due N --json` (this binary), lag = dispatch
//!   minus the tick's planned instant;
//! - tokio-cron-scheduler: `bench/peers/tokio-cron-scheduler`, a crate outside the workspace
//!   built into `target/peers`, lag = the job body's start minus the start of its second;
//! - APScheduler 3: `bench/peers/apscheduler/peer.py` in a venv made under
//!   `target/peers/venv`, lag measured like tokio-cron-scheduler's.
//!
//! A peer that has not printed its result `--timeout` seconds after it started is stopped
//! and reported as such, and not run at larger sizes.

use std::path::{Path, PathBuf};

use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::Context;
use tokio::io::{AsyncBufReadExt, BufReader};

#[derive(Debug, clap::Args)]
pub struct Options {
    /// Job counts, one row each.
    #[arg(long, value_delimiter = ',', default_values_t = [1_000, 10_000, 100_000, 1_000_000])]
    jobs: Vec<usize>,
    /// Seconds measured in each run.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Runs of each scheduler at each size.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Seconds a run may take in all (loading included).
    #[arg(long, default_value_t = 240)]
    timeout: u64,
    /// Also write the table (Markdown) to this file.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// What one run printed last.
#[derive(Debug, Clone, serde::Deserialize)]
struct Sample {
    fires: u64,
    expected: u64,
    lag_p50_ms: f64,
    lag_p99_ms: f64,
    lag_max_ms: f64,
    cpu_s: f64,
    rss_mib: f64,
    load_s: f64,
}

impl Sample {
    fn cpu_per_fire_us(&self) -> f64 {
        if self.fires == 0 {
            return f64::NAN;
        }
        self.cpu_s / self.fires as f64 * 1e6
    }
}

/// How one run ended.
#[derive(Debug)]
enum Outcome {
    Done(Sample),
    /// Stopped at the timeout; whether it had loaded its jobs by then.
    TimedOut {
        loaded: bool,
    },
    Failed(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Peer {
    Schedd,
    TokioCronScheduler,
    ApScheduler,
}

impl Peer {
    const ALL: [Peer; 3] = [Peer::Schedd, Peer::TokioCronScheduler, Peer::ApScheduler];

    fn name(self) -> &'static str {
        match self {
            Peer::Schedd => "schedd",
            Peer::TokioCronScheduler => "tokio-cron-scheduler 0.15",
            Peer::ApScheduler => "APScheduler 3.11",
        }
    }

    fn command(
        self,
        root: &Path,
        jobs: usize,
        seconds: u64,
    ) -> anyhow::Result<tokio::process::Command> {
        let (jobs, seconds) = (jobs.to_string(), seconds.to_string());
        let mut cmd = match self {
            Peer::Schedd => {
                let mut c = tokio::process::Command::new(std::env::current_exe()?);
                c.args(["scheduler", "--jobs", &jobs, "--due", &jobs, "--json"]);
                c
            }
            Peer::TokioCronScheduler => {
                let mut c =
                    tokio::process::Command::new(root.join("target/peers/release/tcs-peer"));
                c.args(["--jobs", &jobs]);
                c
            }
            Peer::ApScheduler => {
                let mut c = tokio::process::Command::new(root.join("target/peers/venv/bin/python"));
                c.arg(root.join("bench/peers/apscheduler/peer.py"));
                c.args(["--jobs", &jobs]);
                c
            }
        };
        cmd.args(["--seconds", &seconds]);
        Ok(cmd)
    }
}

/// Builds the tokio-cron-scheduler peer and makes the APScheduler venv, unless done before.
async fn prepare(root: &Path) -> anyhow::Result<()> {
    let target = root.join("target/peers");
    if !target.join("release/tcs-peer").exists() {
        eprintln!("building the tokio-cron-scheduler peer ...");
        let ok = tokio::process::Command::new("cargo")
            .args(["build", "--release", "--locked", "--manifest-path"])
            .arg(root.join("bench/peers/tokio-cron-scheduler/Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target)
            .status()
            .await?
            .success();
        anyhow::ensure!(ok, "building the tokio-cron-scheduler peer failed");
    }
    let python = target.join("venv/bin/python");
    if !python.exists() {
        eprintln!("making the APScheduler venv ...");
        let ok = tokio::process::Command::new("python3")
            .args(["-m", "venv"])
            .arg(target.join("venv"))
            .status()
            .await?
            .success();
        anyhow::ensure!(ok, "python3 -m venv failed");
    }
    let ok = tokio::process::Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
        ])
        .arg(root.join("bench/peers/apscheduler/requirements.txt"))
        .status()
        .await?
        .success();
    anyhow::ensure!(ok, "installing APScheduler into the venv failed");
    Ok(())
}

async fn run_once(mut cmd: tokio::process::Command, timeout: Duration) -> anyhow::Result<Outcome> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .context("starting the scheduler under test")?;
    let mut lines = BufReader::new(child.stdout.take().context("stdout")?).lines();
    let mut loaded = false;
    let mut last = None;
    let read = async {
        while let Some(line) = lines.next_line().await? {
            if line.starts_with("loaded ") || line.trim_start().starts_with("load ") {
                loaded = true;
            }
            if line.starts_with('{') {
                last = Some(line);
            }
        }
        anyhow::Ok(())
    };
    match tokio::time::timeout(timeout, read).await {
        Err(_) => {
            let _ = child.kill().await;
            return Ok(Outcome::TimedOut { loaded });
        }
        Ok(r) => r?,
    }
    let status = child.wait().await?;
    Ok(match last {
        Some(line) => Outcome::Done(serde_json::from_str(&line).context("the result line")?),
        None => Outcome::Failed(format!("exited with {status} without a result")),
    })
}

/// The median of `xs`, with the lowest and highest.
pub(crate) fn spread(mut xs: Vec<f64>) -> (f64, f64, f64) {
    xs.sort_by(f64::total_cmp);
    let mid = if xs.len() % 2 == 1 {
        xs[xs.len() / 2]
    } else {
        (xs[xs.len() / 2 - 1] + xs[xs.len() / 2]) / 2.0
    };
    (mid, xs[0], xs[xs.len() - 1])
}

pub(crate) fn with_spread(xs: Vec<f64>, digits: usize) -> String {
    let (mid, lo, hi) = spread(xs);
    format!("{mid:.digits$} [{lo:.digits$}–{hi:.digits$}]")
}

/// One table row from the runs of one scheduler at one size.
fn row(peer: Peer, jobs: usize, samples: &[Sample], note: &str) -> String {
    if samples.is_empty() {
        return format!("| {} | {jobs} | {note} | | | | | | |", peer.name());
    }
    let missed: Vec<f64> = samples
        .iter()
        .map(|s| s.expected.saturating_sub(s.fires) as f64)
        .collect();
    let missed_share: Vec<f64> = samples
        .iter()
        .map(|s| s.expected.saturating_sub(s.fires) as f64 / s.expected.max(1) as f64 * 100.0)
        .collect();
    let col = |f: fn(&Sample) -> f64, digits| with_spread(samples.iter().map(f).collect(), digits);
    // Lag and CPU per fire of the runs that fired at all.
    let fired: Vec<&Sample> = samples.iter().filter(|s| s.fires > 0).collect();
    let per_fire = |f: fn(&Sample) -> f64, digits| {
        if fired.is_empty() {
            "no fire".to_owned()
        } else {
            with_spread(fired.iter().map(|s| f(s)).collect(), digits)
        }
    };
    format!(
        "| {} | {jobs} | {} ({} %){} | {} | {} | {} | {} | {} | {} |",
        peer.name(),
        with_spread(missed, 0),
        with_spread(missed_share, 1),
        if note.is_empty() {
            String::new()
        } else {
            format!("; {note}")
        },
        per_fire(|s| s.lag_p50_ms, 2),
        per_fire(|s| s.lag_p99_ms, 2),
        per_fire(|s| s.lag_max_ms, 2),
        per_fire(Sample::cpu_per_fire_us, 2),
        col(|s| s.rss_mib, 0),
        col(|s| s.load_s, 2),
    )
}

pub async fn run(opts: Options) -> anyhow::Result<()> {
    let text = table(&opts).await?;
    println!("{text}");
    if let Some(out) = &opts.out {
        std::fs::write(out, format!("{text}\n"))
            .with_context(|| format!("writing {}", out.display()))?;
    }
    Ok(())
}

impl Options {
    /// Options for the report: `runs` runs of `seconds` at each size.
    pub fn for_report(runs: usize, seconds: u64) -> Options {
        Options {
            jobs: vec![1_000, 10_000, 100_000, 1_000_000],
            seconds,
            runs,
            timeout: 240,
            out: None,
        }
    }
}

/// Runs every scheduler at every size; returns the table (Markdown).
pub async fn table(opts: &Options) -> anyhow::Result<String> {
    let root = crate::repo_root();
    prepare(&root).await?;
    let timeout = Duration::from_secs(opts.timeout);
    let mut table = vec![
        format!(
            "| scheduler | jobs due every second | missed fires ({} s measured) | lag p50 ms | lag p99 ms | lag max ms | CPU per fire µs | RSS MiB | load s |",
            opts.seconds
        ),
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |".to_owned(),
    ];
    let mut given_up: Vec<Peer> = Vec::new();
    for &jobs in &opts.jobs {
        for peer in Peer::ALL {
            if given_up.contains(&peer) {
                table.push(row(
                    peer,
                    jobs,
                    &[],
                    "not run: it did not finish at a smaller size",
                ));
                continue;
            }
            let mut samples = Vec::new();
            let mut notes = Vec::new();
            for run in 1..=opts.runs {
                eprintln!(
                    "{} with {jobs} jobs, run {run} of {} ...",
                    peer.name(),
                    opts.runs
                );
                let started = Instant::now();
                let outcome = run_once(peer.command(&root, jobs, opts.seconds)?, timeout).await?;
                match outcome {
                    Outcome::Done(s) => {
                        eprintln!(
                            "  {} of {} fires, lag p99 {:.2} ms ({:.0} s)",
                            s.fires,
                            s.expected,
                            s.lag_p99_ms,
                            started.elapsed().as_secs_f64()
                        );
                        samples.push(s);
                    }
                    Outcome::TimedOut { loaded } => {
                        let what = if loaded {
                            format!("no result within {} s", opts.timeout)
                        } else {
                            format!("{jobs} jobs not loaded within {} s", opts.timeout)
                        };
                        eprintln!("  {what}");
                        notes.push(what);
                        given_up.push(peer);
                        break;
                    }
                    Outcome::Failed(why) => {
                        eprintln!("  {why}");
                        notes.push(why);
                    }
                }
            }
            table.push(row(peer, jobs, &samples, &notes.join("; ")));
        }
    }
    Ok(table.join("\n"))
}

//! tokio-cron-scheduler under the load `schedd-bench peers` gives every scheduler: `--jobs`
//! jobs on `* * * * * *`, `--seconds` whole seconds measured after one to settle. Each fire
//! records its lag (the time the job's body runs, past the start of its second) in a
//! histogram of 10 µs buckets; the last line printed is the result, as JSON.
//!
//! Usage: `tcs-peer --jobs N --seconds S`.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio_cron_scheduler::{Job, JobScheduler};

const BUCKET_US: u64 = 10;
const BUCKETS: usize = 100_001;

struct Lags {
    /// The first and the last second (unix) measured; fires outside are not counted.
    window: (AtomicI64, AtomicI64),
    buckets: Vec<AtomicU64>,
}

impl Lags {
    fn record(&self) {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        let second = now.as_secs() as i64;
        let (first, last) = (
            self.window.0.load(Ordering::Relaxed),
            self.window.1.load(Ordering::Relaxed),
        );
        if second < first || second > last {
            return;
        }
        let lag_us = u64::from(now.subsec_micros());
        let i = ((lag_us / BUCKET_US) as usize).min(BUCKETS - 1);
        self.buckets[i].fetch_add(1, Ordering::Relaxed);
    }
}

fn arg(name: &str) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{name} N is required"))
}

/// User plus system CPU seconds of this process, and its RSS in bytes.
fn usage() -> (f64, u64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let f: Vec<&str> = after.split_whitespace().collect();
    let cpu = f.get(11..13).map_or(0.0, |t| {
        t.iter().filter_map(|v| v.parse::<f64>().ok()).sum::<f64>() / 100.0
    });
    let rss = f.get(21).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0) * 4096;
    (cpu, rss)
}

async fn sleep_to_second(second: i64) {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    let target = Duration::from_secs(second as u64);
    if target > now {
        tokio::time::sleep(target - now).await;
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let jobs = arg("--jobs");
    let seconds = arg("--seconds") as i64;
    let lags = Arc::new(Lags {
        window: (AtomicI64::new(i64::MAX), AtomicI64::new(i64::MIN)),
        buckets: (0..BUCKETS).map(|_| AtomicU64::new(0)).collect(),
    });
    let sched = JobScheduler::new().await?;
    let loading = Instant::now();
    for _ in 0..jobs {
        let lags = Arc::clone(&lags);
        sched
            .add(Job::new("* * * * * *", move |_, _| lags.record())?)
            .await?;
    }
    let load_s = loading.elapsed().as_secs_f64();
    println!("loaded {jobs} jobs in {load_s:.2} s");
    sched.start().await?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() as i64;
    let first = now + 2;
    let last = first + seconds - 1;
    lags.window.0.store(first, Ordering::Relaxed);
    lags.window.1.store(last, Ordering::Relaxed);
    sleep_to_second(first).await;
    let (cpu0, _) = usage();
    sleep_to_second(last + 1).await;
    let (cpu1, rss) = usage();
    // Fires of the last second still running land in the histogram before it is read.
    tokio::time::sleep(Duration::from_millis(900)).await;
    let counts: Vec<u64> = lags.buckets.iter().map(|b| b.load(Ordering::Relaxed)).collect();
    let fires: u64 = counts.iter().sum();
    let pct = |p: f64| -> f64 {
        let want = ((fires as f64) * p).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (i, c) in counts.iter().enumerate() {
            seen += c;
            if seen >= want {
                return (i as u64 * BUCKET_US) as f64 / 1000.0;
            }
        }
        0.0
    };
    let max = counts
        .iter()
        .rposition(|c| *c > 0)
        .map_or(0.0, |i| (i as u64 * BUCKET_US) as f64 / 1000.0);
    println!(
        "{{\"fires\":{fires},\"expected\":{},\"lag_p50_ms\":{:.3},\"lag_p99_ms\":{:.3},\"lag_max_ms\":{max:.3},\"cpu_s\":{:.3},\"rss_mib\":{:.1},\"load_s\":{load_s:.3}}}",
        jobs * seconds as u64,
        pct(0.50),
        pct(0.99),
        cpu1 - cpu0,
        rss as f64 / 1048576.0
    );
    std::process::exit(0)
}

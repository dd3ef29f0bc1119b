//! `schedd-worker`: a worker of a schedd cluster. It follows the jobs in etcd, claims and
//! runs their ticks, and ships an execution record for every run to MongoDB (`mongoUri`) or,
//! without one, to a master's ingest API (masters are found in etcd).

use std::sync::Arc;

use anyhow::Context;
use clap::Parser;
use schedd_core::{Clock, OffsetClock, SystemClock};
use schedd_worker::cli::Cli;
use schedd_worker::{node, process, reaper};
use tokio_util::sync::CancellationToken;

/// Shifts this worker's clock by this many milliseconds. For tests of clock skew only: a
/// release build ignores it (and says so), so it cannot skew a production worker.
const CLOCK_OFFSET_ENV: &str = "SCHEDD_TEST_CLOCK_OFFSET_MS";

// The binary's last word on a fatal error, and its exit status.
#[allow(clippy::print_stderr)]
fn main() {
    // A process started as the reaper of a worker (see `reaper::start`) serves as that.
    reaper::serve_if_reaper();
    process::pin_mmap_threshold();
    // Parsing the command line starts no thread; `--help` exits here, with no reaper forked.
    let cli = Cli::parse();
    // Before anything starts a thread: the reaper is forked here (see its docs), which is why
    // this is no `#[tokio::main]`.
    reaper::start();
    let result = process::block_on(async {
        process::init_tracing(cli.log_format_json());
        run(cli).await
    });
    if let Err(e) = result {
        eprintln!("schedd-worker: {e:#}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let cfg = cli.resolve(&|k| std::env::var(k).ok())?;
    let clock: Arc<dyn Clock> = match std::env::var(CLOCK_OFFSET_ENV) {
        Ok(_) if !cfg!(debug_assertions) => {
            tracing::warn!(
                "{CLOCK_OFFSET_ENV} is for tests of debug builds; this release build ignores it"
            );
            Arc::new(SystemClock)
        }
        Ok(ms) => {
            let ms: i64 = ms
                .parse()
                .with_context(|| format!("{CLOCK_OFFSET_ENV}={ms} is not a number"))?;
            tracing::warn!(
                offset_ms = ms,
                "this worker's clock is shifted ({CLOCK_OFFSET_ENV})"
            );
            Arc::new(OffsetClock::new(ms))
        }
        Err(_) => Arc::new(SystemClock),
    };
    let shutdown = CancellationToken::new();
    tokio::spawn(process::shutdown_on_signal(shutdown.clone()));
    node::run(cfg, clock, shutdown).await
}

//! What the `schedd-master` and `schedd-worker` binaries share as processes: logging to
//! stderr, and stopping on SIGINT or SIGTERM.

use tokio_util::sync::CancellationToken;
use tracing_subscriber::EnvFilter;

/// Allocations this large or larger are mapped on their own and given back to the system when
/// freed.
const MMAP_THRESHOLD: i32 = 64 * 1024;

/// Pins glibc's mmap threshold at [`MMAP_THRESHOLD`], unless `MALLOC_MMAP_THRESHOLD_` sets
/// it. Left to itself, glibc raises the threshold to the size of each mapped block freed, so
/// once a run's 256 KiB output buffer is freed, later buffers of that size come from the
/// per-thread heaps, which keep what is freed: under 50 runs a second each printing 256 KiB,
/// the master's RSS rose by a fifth over ten minutes, in steps, though what it buffers
/// stayed within its bounds. Pinned, it stays flat (see the `memory` benchmark in the
/// README). Other allocators and platforms are left alone.
#[allow(unsafe_code)]
pub fn pin_mmap_threshold() {
    if std::env::var_os("MALLOC_MMAP_THRESHOLD_").is_some() {
        return;
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets one of the allocator's tunables, under the allocator's
    // own lock; it reads and writes no memory of ours.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    }
}

/// Runs `main` of a binary on a multi-threaded tokio runtime built here rather than by
/// `#[tokio::main]`, so that the binary can fork its [`reaper`](crate::reaper) before: the
/// runtime starts the process's threads.
pub fn block_on<F: std::future::Future<Output = anyhow::Result<()>>>(
    main: F,
) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start the async runtime: {e}"))?;
    runtime.block_on(main)
}

/// Logs to stderr at the level in `SCHEDD_LOG` (default `info`), as text or JSON lines.
pub fn init_tracing(json: bool) {
    let filter = EnvFilter::try_from_env("SCHEDD_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Cancels `token` on the first SIGINT or SIGTERM, so the process stops gracefully: running
/// executions are killed and their records stored. A second signal exits at once (code 130);
/// the reaper ([`crate::reaper`]) then kills the process groups still running.
pub async fn shutdown_on_signal(token: CancellationToken) {
    let ctrl_c = tokio::signal::ctrl_c();
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "cannot listen for SIGTERM");
            let _ = ctrl_c.await;
            token.cancel();
            return;
        }
    };
    tokio::select! {
        _ = ctrl_c => {}
        _ = term.recv() => {}
    }
    tracing::info!(
        "shutting down: killing running executions and storing their records (signal again to exit at once)"
    );
    token.cancel();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    tracing::warn!("second signal: exiting without waiting");
    // The exit status of a process ended by SIGINT, as a shell reports it.
    #[allow(clippy::exit)]
    std::process::exit(130);
}

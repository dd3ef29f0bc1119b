//! The log sink: takes finished execution records from the runner and gets them into the
//! log store without ever dropping one. It runs in two stages with the [`Spool`] (a SQLite
//! file on local disk) between them:
//!
//! 1. The **writer** drains the runner's [`record_queue`](crate::record_queue) (bounded in
//!    records and in bytes), up to `logBatchSize` records at a time, and writes each batch
//!    to the spool in one transaction. While the spool holds `spool_max_bytes` or more, it
//!    stops reading: the queue fills, finished runs wait for room in it, and runs are
//!    delayed rather than records dropped.
//! 2. The **shipper** takes the oldest spooled records, up to `logBatchSize`, inserts them
//!    into the store, retrying with backoff (100 ms doubling to 5 s) while the store fails,
//!    deletes them from the spool once the store has them, and announces each with
//!    [`Event::ExecutionFinished`]. When fewer than a batch are waiting it waits up to
//!    `logCommitTimeout` for more before it sends.
//!
//! A crash between the insert and the delete sends those records again on the next start;
//! the store skips execution ids it already has, so that is harmless. On shutdown the writer
//! takes everything the runner hands over (ignoring the size cap, so shutdown cannot stall on
//! a full spool), and the shipper keeps trying for `drain_timeout`, then leaves what it could
//! not ship in the spool. A spool left by a previous run (a crash, `kill -9`, a store that
//! was down at shutdown) is shipped first when the sink starts.

use std::sync::Arc;
use std::time::Duration;

use schedd_core::store::{LogStore, StoreError};
use schedd_core::{Event, EventHub, ExecutionRecord, ExecutionStatus};
use tokio::sync::Notify;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::record_queue::RecordReceiver;
use crate::spool::{Spool, SpoolError};

#[derive(Debug, Clone)]
pub struct SinkConfig {
    /// `logBatchSize`: most records per spool write and per store insert.
    pub batch_size: usize,
    /// `logCommitTimeout`: how long the shipper waits for a full batch before it sends what
    /// it has.
    pub commit_timeout: Duration,
    /// The spool's size cap (bytes of record JSON); at or above it the writer stops reading
    /// the channel until the shipper has made room.
    pub spool_max_bytes: u64,
    /// How long a stopping sink keeps shipping once everything is spooled; what is left
    /// stays in the spool for the next start.
    pub drain_timeout: Duration,
}

impl SinkConfig {
    /// Defaults with this `logBatchSize`.
    pub fn new(batch_size: usize) -> SinkConfig {
        SinkConfig {
            batch_size,
            commit_timeout: DEFAULT_COMMIT_TIMEOUT,
            spool_max_bytes: DEFAULT_SPOOL_MAX_BYTES,
            drain_timeout: SHUTDOWN_DRAIN,
        }
    }
}

/// `logCommitTimeout` when none is configured: the old system's value.
pub const DEFAULT_COMMIT_TIMEOUT: Duration = Duration::from_secs(1);

/// 1 GiB: about two million typical records (a few hundred bytes each), or 2,000 records
/// with the default 256 KiB of output on both streams; hours of a busy worker either way.
pub const DEFAULT_SPOOL_MAX_BYTES: u64 = 1 << 30;

/// How long a stopping worker keeps shipping to a failing store before it leaves the rest
/// in the spool, rather than never exiting.
pub const SHUTDOWN_DRAIN: Duration = Duration::from_secs(10);

const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// How often a full spool is reported again while it stays full.
const FULL_REMINDER: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
enum SinkError {
    #[error(transparent)]
    Spool(#[from] SpoolError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("spool task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// Where records the log store refuses for good are kept, one JSON line each, beside the
/// spool database.
pub const REJECTED_FILE: &str = "rejected.jsonl";

fn append_line(path: &std::path::Path, line: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    writeln!(f, "{line}")?;
    f.sync_data()
}

/// What the two stages tell each other.
#[derive(Debug, Default)]
struct Signals {
    /// The writer spooled a batch.
    pushed: Notify,
    /// The shipper acked a batch: there may be room again.
    acked: Notify,
    /// The channel is closed and everything received is in the spool.
    writer_done: CancellationToken,
}

/// Runs until every sender of `rx` is gone and everything received is stored, or, once
/// `shutdown` is cancelled, until everything received is spooled and `drain_timeout` has
/// passed; records not yet stored stay in `spool`.
pub async fn run(
    rx: RecordReceiver,
    store: Arc<dyn LogStore>,
    spool: Spool,
    cfg: SinkConfig,
    events: EventHub,
    shutdown: CancellationToken,
) {
    let signals = Signals::default();
    let sink = Sink {
        spool: &spool,
        store: &store,
        events: &events,
        cfg: &cfg,
        signals: &signals,
        shutdown: &shutdown,
    };
    tokio::join!(sink.write(rx), sink.ship());
}

/// The state both stages borrow; they run in one task (`join!`), so a panic in either
/// takes the sink down instead of leaving the other waiting.
#[derive(Debug)]
struct Sink<'a> {
    spool: &'a Spool,
    store: &'a Arc<dyn LogStore>,
    events: &'a EventHub,
    cfg: &'a SinkConfig,
    signals: &'a Signals,
    shutdown: &'a CancellationToken,
}

async fn blocking<T: Send + 'static>(
    spool: &Spool,
    f: impl FnOnce(&Spool) -> Result<T, SpoolError> + Send + 'static,
) -> Result<T, SinkError> {
    let spool = spool.clone();
    Ok(tokio::task::spawn_blocking(move || f(&spool)).await??)
}

impl Sink<'_> {
    fn batch_size(&self) -> usize {
        self.cfg.batch_size.max(1)
    }

    /// Stage 1: queue → spool. The records' room in the queue is given back once they are
    /// spooled, so the batch in hand counts against the queue's bounds.
    async fn write(&self, mut rx: RecordReceiver) {
        let batch_size = self.batch_size();
        let mut batch = Vec::with_capacity(batch_size);
        loop {
            self.wait_for_room().await;
            let Some(taken) = rx.recv_many(&mut batch, batch_size).await else {
                break;
            };
            self.spool_batch(&mut batch).await;
            drop(taken);
            self.signals.pushed.notify_one();
        }
        self.signals.writer_done.cancel();
    }

    /// Backpressure: returns once the spool is under its cap, or at once when shutting down
    /// (the runner has stopped; what it still hands over is bounded and must not wait).
    async fn wait_for_room(&self) {
        let full = || self.spool.size_bytes() >= self.cfg.spool_max_bytes;
        if !full() || self.shutdown.is_cancelled() {
            return;
        }
        let since = Instant::now();
        tracing::warn!(
            spool = %self.spool.path().display(),
            records = self.spool.len(),
            bytes = self.spool.size_bytes(),
            max_bytes = self.cfg.spool_max_bytes,
            "the execution record spool is full: runs wait until the log store takes records again"
        );
        while full() && !self.shutdown.is_cancelled() {
            tokio::select! {
                () = self.signals.acked.notified() => {}
                () = self.shutdown.cancelled() => {}
                () = tokio::time::sleep(FULL_REMINDER) => tracing::warn!(
                    records = self.spool.len(),
                    bytes = self.spool.size_bytes(),
                    full_for = ?since.elapsed(),
                    "the execution record spool is still full; runs are waiting"
                ),
            }
        }
        tracing::info!(full_for = ?since.elapsed(), "the execution record spool has room again");
    }

    /// Writes the batch to the spool, retrying while the disk fails. A failing disk is the
    /// one thing the spool cannot absorb, so each retry first offers the batch straight to
    /// the store; if both stay down past the drain deadline of a shutdown, the records are
    /// logged by id and dropped, the only way this sink loses one.
    async fn spool_batch(&self, batch: &mut Vec<ExecutionRecord>) {
        let mut backoff = FIRST_BACKOFF;
        let mut deadline: Option<Instant> = None;
        loop {
            let records = batch.clone();
            let e = match blocking(self.spool, move |s| s.push_batch(&records)).await {
                Ok(()) => {
                    batch.clear();
                    return;
                }
                Err(e) => e,
            };
            tracing::error!(error = %e, records = batch.len(), "writing execution records to the spool failed; trying the log store directly");
            // Starts of runs are marks for the spool alone, not records.
            batch.retain(|r| r.status != ExecutionStatus::Running);
            if self.store.insert(batch).await.is_ok() {
                for record in batch.drain(..) {
                    self.events.send(Event::ExecutionFinished(record));
                }
                return;
            }
            if self.shutdown.is_cancelled() {
                let deadline =
                    *deadline.get_or_insert_with(|| Instant::now() + self.cfg.drain_timeout);
                if Instant::now() >= deadline {
                    let ids: Vec<&str> = batch.iter().map(|r| r.execution_id.as_str()).collect();
                    tracing::error!(
                        records = batch.len(),
                        ?ids,
                        "neither the spool nor the log store takes records during shutdown; these execution records are lost"
                    );
                    batch.clear();
                    return;
                }
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(MAX_BACKOFF);
        }
    }

    /// Stage 2: spool → store.
    async fn ship(&self) {
        let batch_size = self.batch_size();
        let leftover = self.spool.len();
        if leftover > 0 {
            tracing::info!(
                records = leftover,
                spool = %self.spool.path().display(),
                "shipping execution records left in the spool by a previous run first"
            );
        }
        let mut leftover_pending = leftover;
        // The drain deadline runs from when the runner is gone and all it handed over is
        // spooled, so slow kills at shutdown do not eat into it.
        let give_up = async {
            self.shutdown.cancelled().await;
            self.signals.writer_done.cancelled().await;
            tokio::time::sleep(self.cfg.drain_timeout).await;
        };
        tokio::pin!(give_up);
        let mut backoff = FIRST_BACKOFF;
        let mut failing_since: Option<Instant> = None;
        loop {
            let done = self.signals.writer_done.is_cancelled();
            let pending = self.spool.len();
            if pending == 0 {
                if done {
                    break;
                }
                tokio::select! {
                    () = self.signals.pushed.notified() => {}
                    () = self.signals.writer_done.cancelled() => {}
                }
                continue;
            }
            if failing_since.is_none() && pending < batch_size as u64 && !done {
                self.wait_for_batch(batch_size).await;
            }
            let outcome = tokio::select! {
                biased;
                () = &mut give_up => None,
                r = self.ship_batch(batch_size) => Some(r),
            };
            match outcome {
                None => break,
                Some(Ok(n)) => {
                    if leftover_pending > 0 {
                        leftover_pending = leftover_pending.saturating_sub(n as u64);
                        if leftover_pending == 0 {
                            tracing::info!(
                                records = leftover,
                                "the records left by a previous run are stored"
                            );
                        }
                    }
                    if let Some(since) = failing_since.take() {
                        tracing::info!(failing_for = ?since.elapsed(), pending = self.spool.len(), "the log store takes execution records again");
                    }
                    backoff = FIRST_BACKOFF;
                }
                Some(Err(e)) => {
                    failing_since.get_or_insert_with(Instant::now);
                    tracing::warn!(error = %e, pending = self.spool.len(), retry_in = ?backoff, "shipping execution records failed; they stay in the spool");
                    tokio::select! {
                        () = tokio::time::sleep(backoff) => {}
                        () = &mut give_up => break,
                    }
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
        let left = self.spool.len();
        if left > 0 {
            tracing::warn!(
                records = left,
                spool = %self.spool.path().display(),
                "stopping with execution records not yet stored; they stay in the spool and are shipped at the next start"
            );
        }
    }

    /// The store refused a batch for good (`Corrupt`: it will never take it as it is). Sends
    /// its records one by one, so one bad record does not hold up the others; a record the
    /// store refuses on its own is moved to `rejected.jsonl` beside the spool, with the
    /// reason, instead of blocking the queue forever. A temporary failure stops the pass.
    async fn ship_one_by_one(
        &self,
        batch: Vec<(i64, ExecutionRecord)>,
        reason: &str,
    ) -> Result<usize, SinkError> {
        tracing::warn!(
            records = batch.len(),
            reason,
            "the log store refused a batch; sending its records one by one"
        );
        let mut shipped = 0;
        for (seq, record) in batch {
            match self.store.insert(std::slice::from_ref(&record)).await {
                Ok(_) => self.events.send(Event::ExecutionFinished(record)),
                Err(StoreError::Corrupt(reason)) => {
                    let dir = self
                        .spool
                        .path()
                        .parent()
                        .map(std::path::Path::to_path_buf)
                        .unwrap_or_default();
                    let path = dir.join(REJECTED_FILE);
                    tracing::error!(
                        execution_id = record.execution_id,
                        job = record.job_name,
                        reason,
                        file = %path.display(),
                        "the log store refuses this execution record; it is kept in the rejected file"
                    );
                    let line =
                        serde_json::json!({ "reason": reason, "record": record }).to_string();
                    let file = path.clone();
                    tokio::task::spawn_blocking(move || append_line(&file, &line))
                        .await?
                        .map_err(|source| SinkError::Spool(SpoolError::Io { path, source }))?;
                }
                Err(e) => return Err(e.into()),
            }
            blocking(self.spool, move |s| s.ack(seq)).await?;
            self.signals.acked.notify_one();
            shipped += 1;
        }
        Ok(shipped)
    }

    /// Waits until a full batch is spooled, for at most `logCommitTimeout`; no wait once
    /// the writer is done or shutdown has begun.
    async fn wait_for_batch(&self, batch_size: usize) {
        let deadline = Instant::now() + self.cfg.commit_timeout;
        while self.spool.len() < batch_size as u64 && !self.signals.writer_done.is_cancelled() {
            tokio::select! {
                () = self.signals.pushed.notified() => {}
                () = self.signals.writer_done.cancelled() => {}
                () = self.shutdown.cancelled() => return,
                () = tokio::time::sleep_until(deadline) => return,
            }
        }
    }

    /// Ships the oldest batch; returns how many records left the spool.
    async fn ship_batch(&self, batch_size: usize) -> Result<usize, SinkError> {
        let batch = blocking(self.spool, move |s| s.peek(batch_size)).await?;
        let Some(&(last_seq, _)) = batch.last() else {
            return Ok(0);
        };
        let records: Vec<ExecutionRecord> = batch.iter().map(|(_, r)| r.clone()).collect();
        match self.store.insert(&records).await {
            Ok(_) => {}
            Err(StoreError::Corrupt(reason)) => return self.ship_one_by_one(batch, &reason).await,
            Err(e) => return Err(e.into()),
        }
        let acked = blocking(self.spool, move |s| s.ack(last_seq)).await;
        self.signals.acked.notify_one();
        let n = records.len();
        for record in records {
            self.events.send(Event::ExecutionFinished(record));
        }
        // Stored but still spooled if the ack failed: they are sent again after a backoff,
        // and the store skips them.
        acked?;
        Ok(n)
    }
}

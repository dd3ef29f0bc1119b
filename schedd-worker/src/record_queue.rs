//! The queue of finished execution records between the [`runner`](crate::runner) and the
//! [`sink`](crate::sink), bounded in records *and* in bytes.
//!
//! A bound on the count alone bounds nothing in practice: a record carries up to twice its
//! job's `maxOutputBytes` (16 MiB per stream at most), so 4,096 of them could hold gigabytes.
//! Each record is weighed when it enters ([`ExecutionRecord::text_bytes`] plus a fixed
//! allowance) and its bytes are held until the sink has written it to the spool, so the
//! sink's batch in hand counts too. A record heavier than the whole bound is counted as the
//! bound: it waits for an empty queue rather than forever.
//!
//! Nothing is ever dropped: a sender waits for room. A run that ends while the queue is full
//! *reserves* its record's place ([`RecordSender::reserve`]) before it gives up its executor
//! slot, so runs stop starting while records cannot be handed over, instead of finishing and
//! piling their records up outside the queue. The place is kept under the execution id and
//! taken by the [`RecordSender::send`] of that record, which then does not wait: the runner
//! adds its notes to the record between the two (the rejected alternative, handing the slot
//! to the sender, would have to change every caller of `send`). Records made without a run
//! (skipped ticks, lost runs) are small and cannot wait where they are made; they go in at
//! once when there is room and otherwise wait in a task of their own.
//!
//! A record may carry what waits on it being safe ([`Spooled`]): in a cluster, the release
//! of its run's claim, whose marker is what tells the worker's peers to record the run
//! `lost` should the worker die. Released only once the record is spooled, the marker and
//! the record never both go missing.
//!
//! The bytes queued (reserved, waiting, or in the sink's hands) are a gauge,
//! `schedd_record_queue_bytes`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use prometheus_client::metrics::gauge::Gauge;
use schedd_core::ExecutionRecord;
use tokio::sync::{Semaphore, mpsc};

/// Records the queue holds by default.
pub const DEFAULT_RECORDS: usize = 4096;

/// Bytes the queue holds by default: 64 MiB. A record holds at most twice its job's
/// `maxOutputBytes`: 512 KiB at the default 256 KiB. 64 MiB is more than one sink batch of
/// such records (the default `logBatchSize` of 100 is 50 MiB of them), so the runner can go
/// on handing records over while the sink writes a full batch, and the largest record a job
/// may make (2 × 16 MiB) fits twice. Typical records (under a few KiB) reach the 4,096-record
/// bound long before this one. Past it, runs wait holding their executor slots: a worker
/// holds at most these 64 MiB of finished records plus one record per executor slot.
pub const DEFAULT_BYTES: usize = 64 * 1024 * 1024;

/// What a record costs beyond its text: its fixed fields, the queue's slot, and room for a
/// note the runner adds after reserving.
const RECORD_OVERHEAD: usize = 256;

/// A queue for `records` records and `bytes` bytes of them (at least one of each; at most
/// `u32::MAX` bytes). `queued_bytes` shows what it holds.
pub fn channel(
    records: usize,
    bytes: usize,
    queued_bytes: Gauge,
) -> (RecordSender, RecordReceiver) {
    let bound = u32::try_from(bytes).unwrap_or(u32::MAX).max(1);
    let (tx, rx) = mpsc::channel(records.max(1));
    let shared = Arc::new(Shared {
        budget: Semaphore::new(bound as usize),
        bound,
        queued_bytes,
        reserved: Mutex::new(HashMap::new()),
    });
    (
        RecordSender {
            tx,
            shared: Arc::clone(&shared),
        },
        RecordReceiver { rx, shared },
    )
}

/// Called once the sink holds a record safely: spooled (or stored directly when the spool
/// fails). Never called for a record the sink did not take.
pub type Spooled = Box<dyn FnOnce() + Send>;

/// What waits on a queued record, if anything.
struct Then(Option<Spooled>);

impl std::fmt::Debug for Then {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Then(..)"
        } else {
            "Then(None)"
        })
    }
}

/// The sink is gone: the record was not queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the log sink stopped")]
pub struct SinkGone;

#[derive(Debug)]
struct Shared {
    /// One permit per byte not held by a record.
    budget: Semaphore,
    bound: u32,
    queued_bytes: Gauge,
    /// Places reserved by runs, by execution id, until their record is sent.
    reserved: Mutex<HashMap<String, Reservation>>,
}

impl Shared {
    fn cost(&self, record: &ExecutionRecord) -> u32 {
        let bytes = record.text_bytes().saturating_add(RECORD_OVERHEAD);
        u32::try_from(bytes).unwrap_or(u32::MAX).min(self.bound)
    }

    fn reserved(&self) -> std::sync::MutexGuard<'_, HashMap<String, Reservation>> {
        self.reserved
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Bytes of the budget a record holds; given back when dropped.
#[derive(Debug)]
struct Held {
    shared: Arc<Shared>,
    bytes: u32,
}

impl Held {
    /// Takes `bytes` from a budget that has them (acquired and forgotten by the caller).
    fn new(shared: &Arc<Shared>, bytes: u32) -> Held {
        shared.queued_bytes.inc_by(i64::from(bytes));
        Held {
            shared: Arc::clone(shared),
            bytes,
        }
    }

    /// Adds what `other` holds to this one.
    fn merge(&mut self, mut other: Held) {
        self.bytes += std::mem::take(&mut other.bytes);
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if self.bytes > 0 {
            self.shared.queued_bytes.dec_by(i64::from(self.bytes));
            self.shared.budget.add_permits(self.bytes as usize);
        }
    }
}

/// A record with the bytes it holds, and what waits on it.
#[derive(Debug)]
struct Queued {
    record: ExecutionRecord,
    held: Held,
    then: Then,
}

/// A place in the queue kept for a run's record.
#[derive(Debug)]
struct Reservation {
    held: Held,
    slot: mpsc::OwnedPermit<Queued>,
}

/// The runner's end of the queue.
#[derive(Debug, Clone)]
pub struct RecordSender {
    tx: mpsc::Sender<Queued>,
    shared: Arc<Shared>,
}

impl RecordSender {
    /// Queues `record`, waiting for room; at once if its run reserved a place.
    pub async fn send(&self, record: ExecutionRecord) -> Result<(), SinkGone> {
        self.send_then(record, None).await
    }

    /// [`RecordSender::send`], with `then` to call once the sink holds the record safely.
    pub async fn send_then(
        &self,
        record: ExecutionRecord,
        then: Option<Spooled>,
    ) -> Result<(), SinkGone> {
        let then = Then(then);
        let reserved = self.shared.reserved().remove(&record.execution_id);
        if let Some(Reservation { held, slot }) = reserved {
            slot.send(Queued { record, held, then });
            return Ok(());
        }
        let held = self.hold(self.shared.cost(&record)).await?;
        let slot = self.tx.reserve().await.map_err(|_| SinkGone)?;
        slot.send(Queued { record, held, then });
        Ok(())
    }

    /// Queues `record` if there is room now; gives it back otherwise.
    pub fn try_send(&self, record: ExecutionRecord) -> Option<ExecutionRecord> {
        self.try_send_then(record, None).map(|(record, _)| record)
    }

    /// [`RecordSender::try_send`], with `then` to call once the sink holds the record
    /// safely; both are given back when there is no room.
    pub fn try_send_then(
        &self,
        record: ExecutionRecord,
        then: Option<Spooled>,
    ) -> Option<(ExecutionRecord, Option<Spooled>)> {
        let bytes = self.shared.cost(&record);
        let Ok(permit) = self.shared.budget.try_acquire_many(bytes) else {
            return Some((record, then));
        };
        permit.forget();
        let held = Held::new(&self.shared, bytes);
        match self.tx.try_reserve() {
            Ok(slot) => {
                slot.send(Queued {
                    record,
                    held,
                    then: Then(then),
                });
                None
            }
            Err(_) => Some((record, then)),
        }
    }

    /// Waits for room for `record` and keeps it for the [`RecordSender::send`] of a record
    /// with the same execution id. Returns at once if the sink is gone (the send then fails).
    pub async fn reserve(&self, record: &ExecutionRecord) {
        let Ok(held) = self.hold(self.shared.cost(record)).await else {
            return;
        };
        let Ok(slot) = self.tx.clone().reserve_owned().await else {
            return;
        };
        self.shared
            .reserved()
            .insert(record.execution_id.clone(), Reservation { held, slot });
    }

    async fn hold(&self, bytes: u32) -> Result<Held, SinkGone> {
        let permit = self
            .shared
            .budget
            .acquire_many(bytes)
            .await
            .map_err(|_| SinkGone)?;
        permit.forget();
        Ok(Held::new(&self.shared, bytes))
    }

    /// Bytes of the records queued, reserved, or in the sink's hands.
    pub fn queued_bytes(&self) -> u64 {
        self.shared.queued_bytes.get().max(0).unsigned_abs()
    }

    /// The byte bound.
    pub fn max_bytes(&self) -> u64 {
        u64::from(self.shared.bound)
    }

    /// Records that may still be queued before a sender waits.
    pub fn capacity(&self) -> usize {
        self.tx.capacity()
    }
}

/// The sink's end of the queue.
#[derive(Debug)]
pub struct RecordReceiver {
    rx: mpsc::Receiver<Queued>,
    shared: Arc<Shared>,
}

/// The bytes of records the sink has taken and not yet spooled, and what waits on them:
/// dropped once they are spooled, it gives the bytes back and calls each record's
/// [`Spooled`], in order.
#[derive(Debug)]
#[must_use = "dropping it frees the records' room in the queue and tells who waits on them"]
pub struct Taken {
    _held: Held,
    then: Vec<Then>,
}

impl Drop for Taken {
    fn drop(&mut self) {
        for Then(then) in self.then.drain(..) {
            if let Some(f) = then {
                f();
            }
        }
    }
}

impl RecordReceiver {
    /// Waits for records and moves up to `limit` of them into `batch`; `None` once every
    /// sender is gone and nothing is left. The records' bytes stay counted until the
    /// returned [`Taken`] is dropped.
    pub async fn recv_many(
        &mut self,
        batch: &mut Vec<ExecutionRecord>,
        limit: usize,
    ) -> Option<Taken> {
        let mut items = Vec::with_capacity(limit.max(1));
        if self.rx.recv_many(&mut items, limit.max(1)).await == 0 {
            return None;
        }
        let mut taken = Held {
            shared: Arc::clone(&self.shared),
            bytes: 0,
        };
        let mut then = Vec::new();
        for Queued {
            record,
            held,
            then: waiting,
        } in items
        {
            batch.push(record);
            taken.merge(held);
            if waiting.0.is_some() {
                then.push(waiting);
            }
        }
        Some(Taken { _held: taken, then })
    }

    /// The next record, its bytes given back and what waits on it told at once (for a
    /// receiver that keeps nothing in hand); `None` once every sender is gone and nothing
    /// is left.
    pub async fn recv(&mut self) -> Option<ExecutionRecord> {
        let Queued { record, then, .. } = self.rx.recv().await?;
        if let Then(Some(f)) = then {
            f();
        }
        Some(record)
    }
}

impl Drop for RecordReceiver {
    /// Senders waiting for room would wait forever: they fail instead.
    fn drop(&mut self) {
        self.shared.budget.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    fn record(id: &str, output: usize) -> ExecutionRecord {
        ExecutionRecord {
            execution_id: id.into(),
            output: "x".repeat(output),
            ..Default::default()
        }
    }

    /// Polls `f` once.
    fn poll_once<F: Future>(f: std::pin::Pin<&mut F>) -> Poll<F::Output> {
        f.poll(&mut Context::from_waker(Waker::noop()))
    }

    /// Past the byte bound a sender waits (the records queued stay within it), and it goes
    /// on once the sink has spooled what it took, not when it merely took it.
    #[tokio::test]
    async fn a_sender_waits_past_the_byte_bound_until_the_sink_has_spooled() {
        let gauge = Gauge::default();
        let (tx, mut rx) = channel(100, 1000, gauge.clone());
        // 357 bytes each: two fit in 1000, a third does not.
        let cost = (record("a", 100).text_bytes() + RECORD_OVERHEAD) as u64;
        tx.send(record("a", 100)).await.expect("room");
        tx.send(record("b", 100)).await.expect("room");
        assert_eq!(tx.queued_bytes(), 2 * cost);
        let mut third = pin!(tx.send(record("c", 100)));
        assert!(
            poll_once(third.as_mut()).is_pending(),
            "1000 bytes are full"
        );
        assert!(
            tx.try_send(record("d", 100)).is_some(),
            "nor does another by try_send"
        );
        assert!(tx.queued_bytes() <= tx.max_bytes());

        let mut batch = Vec::new();
        let taken = rx.recv_many(&mut batch, 10).await.expect("records");
        assert_eq!(batch.len(), 2);
        assert!(
            poll_once(third.as_mut()).is_pending(),
            "taken but not yet spooled: still counted"
        );
        assert_eq!(gauge.get(), i64::try_from(2 * cost).expect("small"));
        drop(taken);
        assert!(matches!(poll_once(third.as_mut()), Poll::Ready(Ok(()))));
        assert_eq!(tx.queued_bytes(), cost);
    }

    #[tokio::test]
    async fn the_record_bound_holds_for_small_records_and_a_huge_record_still_passes() {
        let (tx, mut rx) = channel(2, 1000, Gauge::default());
        tx.send(record("a", 1)).await.expect("room");
        tx.send(record("b", 1)).await.expect("room");
        assert_eq!(tx.capacity(), 0);
        assert!(tx.try_send(record("c", 1)).is_some(), "two records at most");
        let mut batch = Vec::new();
        drop(rx.recv_many(&mut batch, 10).await);
        // Heavier than the whole bound: it waits for an empty queue, then goes in alone.
        tx.send(record("huge", 5000)).await.expect("room");
        assert_eq!(tx.queued_bytes(), 1000);
        batch.clear();
        drop(rx.recv_many(&mut batch, 10).await);
        assert_eq!(batch[0].execution_id, "huge");
        assert_eq!(batch[0].output.len(), 5000, "never cut, never dropped");
        assert_eq!(tx.queued_bytes(), 0);
    }

    /// A run's reserved place is taken by its record's send, which then does not wait even
    /// though the queue is full.
    #[tokio::test]
    async fn a_reserved_place_is_kept_for_its_record() {
        let (tx, mut rx) = channel(10, 1000, Gauge::default());
        let finished = record("run", 600);
        tx.reserve(&finished).await;
        assert!(
            tx.try_send(record("other", 600)).is_some(),
            "the room is taken"
        );
        let mut noted = finished.clone();
        noted.error = "a note added after reserving".into();
        let mut send = pin!(tx.send(noted));
        assert!(matches!(poll_once(send.as_mut()), Poll::Ready(Ok(()))));
        let mut batch = Vec::new();
        let taken = rx.recv_many(&mut batch, 10).await.expect("the record");
        assert_eq!(batch[0].error, "a note added after reserving");
        drop(taken);
        assert_eq!(tx.queued_bytes(), 0);
    }

    /// What waits on a record is told once the sink has spooled it (dropped its `Taken`),
    /// not when the record is queued or taken; records sent by `try_send_then` and through a
    /// reserved place alike.
    #[tokio::test]
    async fn what_waits_on_a_record_is_told_once_it_is_spooled() {
        let (tx, mut rx) = channel(10, 10_000, Gauge::default());
        let told = Arc::new(Mutex::new(Vec::new()));
        let tell = |id: &'static str| -> Option<Spooled> {
            let told = Arc::clone(&told);
            Some(Box::new(move || told.lock().expect("lock").push(id)))
        };
        tx.send_then(record("a", 1), tell("a")).await.expect("room");
        assert!(tx.try_send_then(record("b", 1), tell("b")).is_none());
        tx.send(record("plain", 1)).await.expect("room");
        let reserved = record("c", 1);
        tx.reserve(&reserved).await;
        tx.send_then(reserved, tell("c")).await.expect("reserved");
        assert!(
            told.lock().expect("lock").is_empty(),
            "queued is not spooled"
        );

        let mut batch = Vec::new();
        let taken = rx.recv_many(&mut batch, 10).await.expect("records");
        assert_eq!(batch.len(), 4);
        assert!(
            told.lock().expect("lock").is_empty(),
            "taken is not spooled"
        );
        drop(taken);
        assert_eq!(*told.lock().expect("lock"), ["a", "b", "c"]);
    }

    /// With no room, `try_send_then` gives back the record and what waits on it, untold.
    #[tokio::test]
    async fn a_record_refused_for_room_keeps_what_waits_on_it() {
        let (tx, _rx) = channel(1, 10_000, Gauge::default());
        tx.send(record("full", 1)).await.expect("room");
        let told = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = Arc::clone(&told);
        let (back, then) = tx
            .try_send_then(
                record("b", 1),
                Some(Box::new(move || {
                    flag.store(true, std::sync::atomic::Ordering::SeqCst);
                })),
            )
            .expect("no room for a second record");
        assert_eq!(back.execution_id, "b");
        assert!(!told.load(std::sync::atomic::Ordering::SeqCst));
        then.expect("given back")();
        assert!(told.load(std::sync::atomic::Ordering::SeqCst));
    }

    #[tokio::test]
    async fn senders_waiting_for_room_fail_once_the_sink_is_gone() {
        let (tx, rx) = channel(10, 1000, Gauge::default());
        tx.send(record("a", 900)).await.expect("room");
        let waiting = tokio::spawn({
            let tx = tx.clone();
            async move { tx.send(record("b", 900)).await }
        });
        drop(rx);
        assert_eq!(waiting.await.expect("join"), Err(SinkGone));
        assert_eq!(tx.send(record("c", 1)).await, Err(SinkGone));
    }
}

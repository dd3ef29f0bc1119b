//! What waits to go out to a stream client (`Watch`, `TailLog` and their server-sent twins):
//! one [`Outbox`] per client, bounded in bytes and in items, so a client that stops reading
//! costs the master a known amount of memory and no more.
//!
//! The producer of a stream never waits: it pushes each item into the client's outbox and
//! goes on. When an item would take the outbox past its [`StreamLimits`], what waits is
//! dropped at once and the stream's next and last item is [`FellBehind`]: the client learns
//! that it missed items and must subscribe again and re-read what it shows. Waiting for a
//! slow client instead (the rejected alternative) holds a producer, and with it memory, for
//! as long as the client likes; and the events it would miss meanwhile would have to be
//! re-read anyway.
//!
//! The bytes counted are an estimate of each item's heap size ([`Weigh`]), taken off when
//! the adapter takes the item to encode it. From there on the transport holds it, within
//! its flow-control window. Items are kept small enough to fit many times over: records on
//! streams carry at most [`StreamLimits::record_output`] of each of their output and
//! stderr ([`ExecutionRecord::cut_output`]).
//!
//! [`StreamMetrics`] shows what all the outboxes hold together, and how many clients were
//! cut off.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use schedd_core::ExecutionRecord;
use tokio_stream::Stream;
use tokio_util::sync::CancellationToken;

/// Bytes one client may have waiting by default: ample for a client that keeps up (a
/// burst of thousands of events), small beside the master's memory.
pub const DEFAULT_STREAM_BYTES: usize = 8 * 1024 * 1024;
/// Items one client may have waiting by default: as many as the event hub keeps, beyond
/// which the client would have missed events anyway.
pub const DEFAULT_STREAM_ITEMS: usize = 4096;
/// Most bytes of a record's output, and of its stderr, a stream item carries; the event hub
/// already cuts records to it.
pub use schedd_core::STREAM_RECORD_OUTPUT;
/// What an item costs beyond the strings counted: its fixed fields and the queue's slot.
pub const ITEM_OVERHEAD: usize = 256;

/// How much one stream client may have waiting before it is cut off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamLimits {
    pub bytes: usize,
    pub items: usize,
}

impl Default for StreamLimits {
    fn default() -> StreamLimits {
        StreamLimits {
            bytes: DEFAULT_STREAM_BYTES,
            items: DEFAULT_STREAM_ITEMS,
        }
    }
}

impl StreamLimits {
    /// Most bytes of a record's output, and of its stderr, an item carries: at most
    /// [`STREAM_RECORD_OUTPUT`], and a small part of the bound, so that a record always
    /// fits in an outbox with room to spare.
    pub fn record_output(&self) -> usize {
        (self.bytes / 8).min(STREAM_RECORD_OUTPUT)
    }
}

/// `schedd_master_stream_buffered_bytes` and `schedd_master_stream_clients_cut_off_total`;
/// see [`crate::metrics::register_streams`].
#[derive(Debug, Clone, Default)]
pub struct StreamMetrics {
    /// Bytes waiting in every outbox, estimated as [`Weigh`] does.
    pub buffered_bytes: Gauge,
    /// Clients whose stream was ended because they fell behind.
    pub cut_off: Counter,
}

/// The outboxes of a master: their limits, and the metrics they keep.
#[derive(Debug, Clone, Default)]
pub struct Outboxes {
    pub limits: StreamLimits,
    pub metrics: StreamMetrics,
}

impl Outboxes {
    pub fn new(limits: StreamLimits) -> Outboxes {
        Outboxes {
            limits,
            metrics: StreamMetrics::default(),
        }
    }

    /// A client's outbox, and the stream that takes from it.
    pub fn open<T: Weigh>(&self) -> (Outbox<T>, OutboxStream<T>) {
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue {
                items: VecDeque::new(),
                bytes: 0,
                end: None,
                waker: None,
            }),
            gone: CancellationToken::new(),
            outboxes: self.clone(),
        });
        (
            Outbox {
                shared: Arc::clone(&shared),
            },
            OutboxStream { shared },
        )
    }
}

/// The last item of a stream whose client fell behind. gRPC says it with
/// `RESOURCE_EXHAUSTED`, server-sent events with a `fell-behind` event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FellBehind {
    pub limits: StreamLimits,
}

impl fmt::Display for FellBehind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the client fell behind: more than {} bytes or {} items waited to be sent, and were dropped; subscribe again and re-read what you show",
            self.limits.bytes, self.limits.items
        )
    }
}

impl std::error::Error for FellBehind {}

/// An estimate of what an item holds on the heap, in bytes.
pub trait Weigh {
    fn weight(&self) -> usize;
}

/// The strings of `record` plus [`ITEM_OVERHEAD`].
pub fn record_weight(record: &ExecutionRecord) -> usize {
    ITEM_OVERHEAD + record.text_bytes()
}

/// How a stream ends, after the items still waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    /// The producer is done.
    Done,
    /// The client fell behind: [`FellBehind`] is its last item.
    FellBehind,
}

#[derive(Debug)]
struct Queue<T> {
    /// Items with their weights, oldest first.
    items: VecDeque<(T, usize)>,
    bytes: usize,
    end: Option<End>,
    /// The stream waiting for an item.
    waker: Option<Waker>,
}

#[derive(Debug)]
struct Shared<T> {
    queue: Mutex<Queue<T>>,
    /// Cancelled when the client's stream is dropped: the client hung up.
    gone: CancellationToken,
    outboxes: Outboxes,
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, Queue<T>> {
        self.queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Drops every waiting item.
    fn clear(&self, queue: &mut Queue<T>) {
        queue.items.clear();
        self.uncount(std::mem::take(&mut queue.bytes));
    }

    fn uncount(&self, bytes: usize) {
        let bytes = i64::try_from(bytes).unwrap_or(i64::MAX);
        self.outboxes.metrics.buffered_bytes.dec_by(bytes);
    }

    fn end(&self, queue: &mut Queue<T>, end: End) {
        queue.end.get_or_insert(end);
        if let Some(waker) = queue.waker.take() {
            waker.wake();
        }
    }
}

/// The producer's side of a client's outbox. Dropping it ends the stream after the items
/// still waiting.
#[derive(Debug)]
pub struct Outbox<T> {
    shared: Arc<Shared<T>>,
}

impl<T: Weigh> Outbox<T> {
    /// Queues `item` for the client, without waiting; false when the stream is over and the
    /// producer should stop: the client hung up, or it fell behind (what waited is dropped
    /// and the stream ends with [`FellBehind`]).
    pub fn push(&self, item: T) -> bool {
        let shared = &self.shared;
        let weight = item.weight();
        let mut queue = shared.lock();
        if queue.end.is_some() || shared.gone.is_cancelled() {
            return false;
        }
        let limits = shared.outboxes.limits;
        if queue.items.len() >= limits.items || queue.bytes.saturating_add(weight) > limits.bytes {
            shared.clear(&mut queue);
            shared.outboxes.metrics.cut_off.inc();
            shared.end(&mut queue, End::FellBehind);
            return false;
        }
        queue.bytes += weight;
        queue.items.push_back((item, weight));
        shared
            .outboxes
            .metrics
            .buffered_bytes
            .inc_by(i64::try_from(weight).unwrap_or(i64::MAX));
        if let Some(waker) = queue.waker.take() {
            waker.wake();
        }
        true
    }
}

impl<T> Outbox<T> {
    /// Resolves when the client hangs up.
    pub async fn closed(&self) {
        self.shared.gone.cancelled().await;
    }
}

impl<T> Drop for Outbox<T> {
    fn drop(&mut self) {
        let mut queue = self.shared.lock();
        self.shared.end(&mut queue, End::Done);
    }
}

/// The client's side of an outbox: the items in order, then [`FellBehind`] if the client
/// fell behind. Dropping it (the client hung up) drops what waits and stops the producer.
#[derive(Debug)]
pub struct OutboxStream<T> {
    shared: Arc<Shared<T>>,
}

impl<T> Stream for OutboxStream<T> {
    type Item = Result<T, FellBehind>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let shared = &self.shared;
        let mut queue = shared.lock();
        if let Some((item, weight)) = queue.items.pop_front() {
            queue.bytes -= weight;
            shared.uncount(weight);
            return Poll::Ready(Some(Ok(item)));
        }
        match queue.end {
            Some(End::FellBehind) => {
                queue.end = Some(End::Done);
                Poll::Ready(Some(Err(FellBehind {
                    limits: shared.outboxes.limits,
                })))
            }
            Some(End::Done) => Poll::Ready(None),
            None => {
                queue.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

impl<T> Drop for OutboxStream<T> {
    fn drop(&mut self) {
        self.shared.gone.cancel();
        let mut queue = self.shared.lock();
        self.shared.clear(&mut queue);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio_stream::StreamExt;

    /// An item of a given weight.
    #[derive(Debug, PartialEq)]
    struct Item(usize);

    impl Weigh for Item {
        fn weight(&self) -> usize {
            self.0
        }
    }

    fn outboxes(bytes: usize, items: usize) -> Outboxes {
        Outboxes::new(StreamLimits { bytes, items })
    }

    fn buffered(o: &Outboxes) -> i64 {
        o.metrics.buffered_bytes.get()
    }

    #[tokio::test]
    async fn items_go_out_in_order_and_the_gauge_follows_what_waits() {
        let o = outboxes(1000, 10);
        let (tx, mut rx) = o.open::<Item>();
        assert!(tx.push(Item(100)));
        assert!(tx.push(Item(200)));
        assert_eq!(buffered(&o), 300);
        assert_eq!(rx.next().await, Some(Ok(Item(100))));
        assert_eq!(buffered(&o), 200);
        drop(tx);
        assert_eq!(rx.next().await, Some(Ok(Item(200))));
        assert_eq!(rx.next().await, None);
        assert_eq!(buffered(&o), 0);
        assert_eq!(o.metrics.cut_off.get(), 0);
    }

    #[tokio::test]
    async fn a_client_past_the_byte_bound_is_cut_off_and_what_waited_is_dropped() {
        let o = outboxes(1000, 100);
        let (tx, mut rx) = o.open::<Item>();
        for _ in 0..9 {
            assert!(tx.push(Item(100)));
        }
        assert!(tx.push(Item(100)), "exactly at the bound still fits");
        assert_eq!(buffered(&o), 1000);
        assert!(!tx.push(Item(1)), "past the bound: cut off");
        assert_eq!(buffered(&o), 0, "what waited is dropped at once");
        assert_eq!(o.metrics.cut_off.get(), 1);
        assert!(!tx.push(Item(1)), "nothing more goes in");
        let end = rx.next().await.expect("an item").expect_err("fell behind");
        assert_eq!(end.limits.bytes, 1000);
        assert!(end.to_string().contains("subscribe again"), "{end}");
        assert_eq!(rx.next().await, None);
        assert_eq!(o.metrics.cut_off.get(), 1);
    }

    #[tokio::test]
    async fn a_client_past_the_item_bound_is_cut_off() {
        let o = outboxes(1_000_000, 3);
        let (tx, mut rx) = o.open::<Item>();
        for _ in 0..3 {
            assert!(tx.push(Item(1)));
        }
        assert!(!tx.push(Item(1)));
        assert!(rx.next().await.expect("an item").is_err());
        assert_eq!(rx.next().await, None);
    }

    #[tokio::test]
    async fn a_client_that_reads_as_it_goes_is_never_cut_off() {
        let o = outboxes(1000, 4);
        let (tx, mut rx) = o.open::<Item>();
        for _ in 0..100 {
            assert!(tx.push(Item(600)));
            assert_eq!(rx.next().await, Some(Ok(Item(600))));
        }
        assert_eq!(o.metrics.cut_off.get(), 0);
    }

    #[tokio::test]
    async fn a_client_hanging_up_stops_the_producer_and_frees_what_waited() {
        let o = outboxes(1000, 10);
        let (tx, rx) = o.open::<Item>();
        assert!(tx.push(Item(300)));
        drop(rx);
        assert_eq!(buffered(&o), 0);
        tx.closed().await;
        assert!(!tx.push(Item(1)));
        assert_eq!(
            o.metrics.cut_off.get(),
            0,
            "hanging up is not falling behind"
        );
    }

    #[tokio::test]
    async fn a_waiting_client_wakes_for_each_item_and_for_the_end() {
        let o = outboxes(1000, 10);
        let (tx, mut rx) = o.open::<Item>();
        let reader = tokio::spawn(async move {
            let mut got = Vec::new();
            while let Some(item) = rx.next().await {
                got.push(item);
            }
            got
        });
        tokio::task::yield_now().await;
        assert!(tx.push(Item(5)));
        drop(tx);
        assert_eq!(reader.await.expect("reader"), [Ok(Item(5))]);
    }

    #[test]
    fn record_output_is_a_small_part_of_the_bound() {
        assert_eq!(
            StreamLimits::default().record_output(),
            STREAM_RECORD_OUTPUT
        );
        let small = StreamLimits {
            bytes: 64 * 1024,
            items: 10,
        };
        assert_eq!(small.record_output(), 8 * 1024);
    }

    #[test]
    fn a_record_weighs_its_strings_and_a_fixed_overhead() {
        let r = ExecutionRecord {
            execution_id: "e1".into(),
            output: "x".repeat(1000),
            stderr: "y".repeat(500),
            ..Default::default()
        };
        assert_eq!(record_weight(&r), ITEM_OVERHEAD + 2 + 1500);
    }
}

//! Requests gathered into etcd transactions: what callers ask while earlier transactions are
//! in flight goes out together in the next one (group commit), so a burst of ticks due at
//! the same instant costs a few transactions instead of one each.
//!
//! A transaction holds at most [`MAX_OPS`] requests and about [`MAX_BYTES`] (etcd refuses
//! more than 128 operations or 1.5 MiB in one), never two requests with the same key (etcd
//! refuses a transaction that writes a key twice; the later one waits for the next), and at
//! most [`MAX_IN_FLIGHT`] transactions are in flight. When etcd answers "too many requests",
//! the next transaction waits, from 50 ms doubling to 2 s, so an overloaded etcd is given
//! room instead of a retry storm.
//!
//! A kind of request nobody waits on (releases of most finished runs) lingers
//! ([`Batched::linger`]) before its transaction goes, so the requests of runs that end a few
//! milliseconds apart share it instead of each taking a free slot on its own.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use schedd_core::store::StoreError;
use tokio::sync::{Semaphore, mpsc, oneshot};

/// Requests in one transaction at most.
pub const MAX_OPS: usize = 64;
/// Bytes of requests in one transaction at most (a single larger request goes alone).
pub const MAX_BYTES: usize = 512 * 1024;
/// Transactions in flight at once.
pub const MAX_IN_FLIGHT: usize = 4;
const BACKOFF_FIRST: Duration = Duration::from_millis(50);
const BACKOFF_MAX: Duration = Duration::from_secs(2);

/// How a kind of request is sent in batches.
#[async_trait]
pub(crate) trait Batched: Send + Sync + 'static {
    type Req: Send + 'static;
    type Out: Send + 'static;
    /// How long the first request of a transaction waits for others to join it (unless the
    /// transaction fills up first). Zero for requests someone is waiting on.
    fn linger(&self) -> Duration {
        Duration::ZERO
    }
    /// Roughly how many bytes `req` adds to a transaction.
    fn size(req: &Self::Req) -> usize;
    /// The key `req` writes: two requests with the same key never share a transaction.
    fn key(req: &Self::Req) -> String;
    /// Sends `reqs` in one transaction: one outcome per request, in order.
    async fn send(&self, reqs: &[Self::Req]) -> Result<Vec<Self::Out>, etcd_client::Error>;
    /// The error every caller of a failed transaction gets.
    fn error(&self, e: &etcd_client::Error) -> StoreError;
}

type Reply<O> = oneshot::Sender<Result<O, StoreError>>;

/// Takes requests and answers each once its transaction is done. Dropping it stops the
/// task that sends them (transactions in flight still finish).
#[derive(Debug)]
pub(crate) struct Batcher<S: Batched> {
    queue: mpsc::UnboundedSender<(S::Req, Reply<S::Out>)>,
}

impl<S: Batched> Batcher<S> {
    /// Starts the sending task on the current tokio runtime.
    pub(crate) fn start(sender: S) -> Batcher<S> {
        let (queue, rx) = mpsc::unbounded_channel();
        tokio::spawn(run(Arc::new(sender), rx));
        Batcher { queue }
    }

    /// Sends `req` with whatever else is waiting.
    pub(crate) async fn call(&self, req: S::Req) -> Result<S::Out, StoreError> {
        let (tx, rx) = oneshot::channel();
        let stopped = || StoreError::Unavailable("the etcd connection is closing".into());
        self.queue.send((req, tx)).map_err(|_| stopped())?;
        rx.await.map_err(|_| stopped())?
    }
}

async fn run<S: Batched>(sender: Arc<S>, mut rx: mpsc::UnboundedReceiver<(S::Req, Reply<S::Out>)>) {
    let in_flight = Arc::new(Semaphore::new(MAX_IN_FLIGHT));
    let backoff = Arc::new(AtomicU64::new(0));
    let mut waiting = VecDeque::new();
    loop {
        if waiting.is_empty() {
            match rx.recv().await {
                Some(first) => waiting.push_back(first),
                None => return,
            }
        }
        let linger = sender.linger();
        if !linger.is_zero() {
            let until = tokio::time::Instant::now() + linger;
            while waiting.len() < MAX_OPS {
                match tokio::time::timeout_at(until, rx.recv()).await {
                    Ok(Some(next)) => waiting.push_back(next),
                    Ok(None) | Err(_) => break,
                }
            }
        }
        let Ok(permit) = Arc::clone(&in_flight).acquire_owned().await else {
            return;
        };
        // Callers woken by the same tick are still being polled on other threads: give them
        // a moment to queue, at the cost of a task switch, not of a timer.
        for _ in 0..3 {
            tokio::task::yield_now().await;
            let before = waiting.len();
            while let Ok(next) = rx.try_recv() {
                waiting.push_back(next);
            }
            if waiting.len() == before {
                break;
            }
        }
        let batch = take_batch::<S, _>(&mut waiting, |(req, _)| req);
        let (reqs, replies): (Vec<S::Req>, Vec<Reply<S::Out>>) = batch.into_iter().unzip();
        let sender = Arc::clone(&sender);
        let backoff = Arc::clone(&backoff);
        tokio::spawn(async move {
            let result = sender.send(&reqs).await;
            match result {
                Ok(outs) => {
                    backoff.store(0, Ordering::Relaxed);
                    for (reply, out) in replies.into_iter().zip(outs) {
                        let _ = reply.send(Ok(out));
                    }
                }
                Err(e) => {
                    let pause = too_many_requests(&e).then(|| next_backoff(&backoff));
                    for reply in replies {
                        let _ = reply.send(Err(sender.error(&e)));
                    }
                    // Holding the slot through the pause slows every sender down.
                    if let Some(pause) = pause {
                        tokio::time::sleep(pause).await;
                    }
                }
            }
            drop(permit);
        });
    }
}

/// Takes the next transaction's requests from the front of `waiting`: in order, skipping
/// (and keeping, in order, at the front) those whose key is already taken.
fn take_batch<S: Batched, T>(waiting: &mut VecDeque<T>, req: impl Fn(&T) -> &S::Req) -> Vec<T> {
    let mut batch = Vec::new();
    let mut held = VecDeque::new();
    let mut keys = HashSet::new();
    let mut bytes = 0;
    while let Some(next) = waiting.pop_front() {
        let size = S::size(req(&next));
        if batch.len() == MAX_OPS || (!batch.is_empty() && bytes + size > MAX_BYTES) {
            waiting.push_front(next);
            break;
        }
        if !keys.insert(S::key(req(&next))) {
            held.push_back(next);
            continue;
        }
        bytes += size;
        batch.push(next);
    }
    held.append(waiting);
    *waiting = held;
    batch
}

fn too_many_requests(e: &etcd_client::Error) -> bool {
    e.to_string().contains("too many requests")
}

fn next_backoff(current: &AtomicU64) -> Duration {
    let ms = current.load(Ordering::Relaxed);
    let next = if ms == 0 {
        BACKOFF_FIRST
    } else {
        (Duration::from_millis(ms) * 2).min(BACKOFF_MAX)
    };
    current.store(
        u64::try_from(next.as_millis()).unwrap_or(u64::MAX),
        Ordering::Relaxed,
    );
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Keys;

    #[async_trait]
    impl Batched for Keys {
        type Req = (&'static str, usize);
        type Out = usize;
        fn size(req: &Self::Req) -> usize {
            req.1
        }
        fn key(req: &Self::Req) -> String {
            req.0.to_owned()
        }
        async fn send(&self, reqs: &[Self::Req]) -> Result<Vec<usize>, etcd_client::Error> {
            Ok(reqs.iter().map(|r| r.1).collect())
        }
        fn error(&self, e: &etcd_client::Error) -> StoreError {
            StoreError::Unavailable(e.to_string())
        }
    }

    fn take(waiting: &mut VecDeque<(&'static str, usize)>) -> Vec<&'static str> {
        take_batch::<Keys, _>(waiting, |r| r)
            .into_iter()
            .map(|r| r.0)
            .collect()
    }

    #[test]
    fn a_key_goes_once_per_batch_and_its_later_requests_keep_their_order() {
        let mut waiting = VecDeque::from([("a", 1), ("b", 1), ("a", 2), ("c", 1), ("a", 3)]);
        assert_eq!(take(&mut waiting), ["a", "b", "c"]);
        assert_eq!(waiting, [("a", 2), ("a", 3)]);
        assert_eq!(take(&mut waiting), ["a"]);
        assert_eq!(take(&mut waiting), ["a"]);
        assert!(waiting.is_empty());
    }

    #[test]
    fn batches_stop_at_the_operation_and_byte_limits() {
        let keys: Vec<&'static str> = (0..MAX_OPS + 5)
            .map(|i| &*Box::leak(format!("k{i}").into_boxed_str()))
            .collect();
        let mut waiting: VecDeque<_> = keys.iter().map(|k| (*k, 10)).collect();
        assert_eq!(take(&mut waiting).len(), MAX_OPS);
        assert_eq!(take(&mut waiting).len(), 5);

        let mut waiting = VecDeque::from([
            ("a", MAX_BYTES / 2),
            ("b", MAX_BYTES / 2),
            ("c", 1),
            ("d", MAX_BYTES * 2),
        ]);
        assert_eq!(take(&mut waiting), ["a", "b"]);
        assert_eq!(take(&mut waiting), ["c"]);
        // Larger than the limit on its own: it still goes, alone.
        assert_eq!(take(&mut waiting), ["d"]);
    }

    #[test]
    fn the_pause_after_too_many_requests_doubles_up_to_its_bound() {
        let b = AtomicU64::new(0);
        assert_eq!(next_backoff(&b), BACKOFF_FIRST);
        assert_eq!(next_backoff(&b), BACKOFF_FIRST * 2);
        for _ in 0..20 {
            next_backoff(&b);
        }
        assert_eq!(next_backoff(&b), BACKOFF_MAX);
    }

    /// Records the size of each transaction it is asked to send.
    #[derive(Debug, Default)]
    struct Lingering {
        sent: std::sync::Mutex<Vec<usize>>,
    }

    #[async_trait]
    impl Batched for Arc<Lingering> {
        type Req = usize;
        type Out = ();
        fn linger(&self) -> Duration {
            Duration::from_millis(50)
        }
        fn size(_: &usize) -> usize {
            1
        }
        fn key(req: &usize) -> String {
            req.to_string()
        }
        async fn send(&self, reqs: &[usize]) -> Result<Vec<()>, etcd_client::Error> {
            self.sent.lock().expect("lock").push(reqs.len());
            Ok(vec![(); reqs.len()])
        }
        fn error(&self, e: &etcd_client::Error) -> StoreError {
            StoreError::Unavailable(e.to_string())
        }
    }

    #[tokio::test(start_paused = true)]
    async fn lingering_requests_share_a_transaction_with_those_asked_for_meanwhile() {
        let sender = Arc::new(Lingering::default());
        let batcher = Arc::new(Batcher::start(Arc::clone(&sender)));
        let mut calls = Vec::new();
        // Five requests 10 ms apart, within the first one's 50 ms: one transaction.
        for i in 0..5 {
            let batcher = Arc::clone(&batcher);
            calls.push(tokio::spawn(async move { batcher.call(i).await }));
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        for call in calls.drain(..) {
            call.await.expect("joined").expect("answered");
        }
        // One more, long after: a transaction of its own.
        tokio::time::sleep(Duration::from_millis(200)).await;
        batcher.call(5).await.expect("answered");
        assert_eq!(*sender.sent.lock().expect("lock"), [5, 1]);
    }

    #[tokio::test]
    async fn every_caller_gets_its_own_answer() {
        let batcher = Arc::new(Batcher::start(Keys));
        let calls: Vec<_> = (0..200)
            .map(|i| {
                let key = if i % 2 == 0 { "even" } else { "odd" };
                let batcher = Arc::clone(&batcher);
                tokio::spawn(async move { batcher.call((key, i)).await })
            })
            .collect();
        let mut answers = Vec::new();
        for call in calls {
            answers.push(call.await.expect("joined").expect("answered"));
        }
        assert_eq!(answers, (0..200).collect::<Vec<_>>());
    }
}

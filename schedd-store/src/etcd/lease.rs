//! The lease a process's keys live under (a worker's entry, run markers and locks; a master's
//! entry), kept alive on a thread of its own, and the fence that tells the process when it
//! may no longer act on it.
//!
//! Keep-alives run on a dedicated thread with its own runtime and its own connection to etcd,
//! so a worker whose runtime is busy (a burst of ticks, a thousand processes to start) never
//! lets its lease lapse: they queue behind nothing.
//!
//! The lease is trusted until a margin before it could have expired: the TTL counted from
//! when the newest answered keep-alive was sent. Past that the process is **fenced**
//! ([`LeaseHealth::fences`]): etcd may hand its tick claims, locks and runs to others at any
//! moment, so it must stop claiming and stop runs that hold a job exclusively. Being fenced is
//! noticed at once after a pause (SIGSTOP, a frozen VM): [`LeaseHealth::is_current`] compares
//! clocks, it does not wait for a timer. A keep-alive answered again for the same lease, or a
//! new lease granted, lifts the fence.

use std::sync::Arc;
use std::time::{Duration, Instant};

use schedd_core::store::StoreError;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::Etcd;

/// What the fence says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fence {
    /// How many times the process has been fenced since the lease was first granted; a
    /// receiver that saw a smaller count has a fence to act on, even if it was lifted since.
    pub count: u64,
    /// Fenced now.
    pub active: bool,
}

/// Whether the lease can be trusted, shared with whoever acts under it.
#[derive(Debug, Clone)]
pub struct LeaseHealth {
    inner: Arc<HealthInner>,
}

#[derive(Debug)]
struct HealthInner {
    /// The lease's TTL less the margin: how long after a keep-alive was sent it is trusted.
    trust: Duration,
    /// When the newest keep-alive (or grant) that etcd answered was sent.
    confirmed: watch::Sender<Instant>,
    fence: watch::Sender<Fence>,
}

impl LeaseHealth {
    fn new(ttl: Duration, confirmed: Instant) -> LeaseHealth {
        LeaseHealth {
            inner: Arc::new(HealthInner {
                trust: ttl.saturating_sub(fence_margin(ttl)),
                confirmed: watch::channel(confirmed).0,
                fence: watch::channel(Fence::default()).0,
            }),
        }
    }

    /// Whether the process may act under its lease now: not fenced, and a keep-alive was
    /// answered recently enough that the lease cannot have expired.
    pub fn is_current(&self) -> bool {
        !self.inner.fence.borrow().active && Instant::now() < self.trusted_until()
    }

    /// Follows the fence.
    pub fn fences(&self) -> watch::Receiver<Fence> {
        self.inner.fence.subscribe()
    }

    /// Until when the lease is trusted, as things stand.
    fn trusted_until(&self) -> Instant {
        *self.inner.confirmed.borrow() + self.inner.trust
    }

    /// Etcd answered a keep-alive (or a grant) sent at `sent`: the lease is trusted again.
    fn confirm(&self, sent: Instant) {
        self.inner.confirmed.send_if_modified(|at| {
            let newer = sent > *at;
            if newer {
                *at = sent;
            }
            newer
        });
        self.inner.fence.send_if_modified(|f| {
            let was = f.active;
            f.active = false;
            was
        });
    }

    fn fence(&self) {
        self.inner.fence.send_if_modified(|f| {
            if f.active {
                return false;
            }
            f.active = true;
            f.count += 1;
            true
        });
    }
}

/// How long before the lease could expire the process fences itself: a quarter of the TTL,
/// at least a second. Keep-alives go out every third of the TTL, so two must fail in a row.
pub fn fence_margin(ttl: Duration) -> Duration {
    (ttl / 4).max(Duration::from_secs(1)).min(ttl / 2)
}

/// A lease kept alive until revoked or dropped.
///
/// If etcd forgets the lease (it expired while this process could not reach etcd, or was
/// paused), the process is fenced, a new lease is granted and announced on
/// [`KeptLease::changes`], so keys can be written again, and the fence is lifted.
#[derive(Debug)]
pub struct KeptLease {
    id: watch::Receiver<i64>,
    health: LeaseHealth,
    stop: CancellationToken,
    thread: Option<std::thread::JoinHandle<()>>,
    etcd: Etcd,
}

impl KeptLease {
    pub async fn grant(etcd: &Etcd, ttl: Duration) -> Result<KeptLease, StoreError> {
        let ttl_secs = i64::try_from(ttl.as_secs().max(2)).unwrap_or(i64::MAX);
        let sent = Instant::now();
        let id = grant(etcd, ttl_secs).await?;
        let (tx, rx) = watch::channel(id);
        let health = LeaseHealth::new(Duration::from_secs(ttl_secs.unsigned_abs()), sent);
        // Kept alive past the process's shutdown until revoked: a stopping worker still holds
        // its runs' markers while it kills them and releases their claims.
        let stop = CancellationToken::new();
        let keeper = Keeper {
            etcd: etcd.clone(),
            ttl_secs,
            id: tx,
            health: health.clone(),
            stop: stop.clone(),
        };
        let thread = std::thread::Builder::new()
            .name("etcd-lease".into())
            .spawn(move || keeper.run())
            .map_err(|e| StoreError::Unavailable(format!("starting the lease thread: {e}")))?;
        Ok(KeptLease {
            id: rx,
            health,
            stop,
            thread: Some(thread),
            etcd: etcd.clone(),
        })
    }

    /// The lease id now.
    pub fn id(&self) -> i64 {
        *self.id.borrow()
    }

    /// Follows the lease id; it changes only when the lease was lost and granted anew.
    pub fn changes(&self) -> watch::Receiver<i64> {
        self.id.clone()
    }

    /// Whether the lease can be trusted, and the fence.
    pub fn health(&self) -> LeaseHealth {
        self.health.clone()
    }

    /// Stops the keep-alive and revokes the lease: every key under it is deleted at once.
    pub async fn revoke(mut self) -> Result<(), StoreError> {
        self.stop.cancel();
        if let Some(thread) = self.thread.take() {
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
        let id = *self.id.borrow();
        self.etcd
            .client()
            .lease_revoke(id)
            .await
            .map(|_| ())
            .map_err(|e| self.etcd.error(e))
    }
}

impl Drop for KeptLease {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

pub(super) async fn grant(etcd: &Etcd, ttl_secs: i64) -> Result<i64, StoreError> {
    lease_grant(etcd, ttl_secs).await.map_err(|e| etcd.error(e))
}

/// [`grant`] with etcd's own error, for callers that answer several requests with one.
pub(super) async fn lease_grant(etcd: &Etcd, ttl_secs: i64) -> Result<i64, etcd_client::Error> {
    etcd.client()
        .lease_grant(ttl_secs, None)
        .await
        .map(|r| r.id())
}

/// The keep-alive thread's work.
struct Keeper {
    etcd: Etcd,
    ttl_secs: i64,
    id: watch::Sender<i64>,
    health: LeaseHealth,
    stop: CancellationToken,
}

/// Why a round of keep-alives ended.
enum Ended {
    /// Etcd says the lease is gone.
    Expired,
    Failed(String),
}

impl Keeper {
    fn run(self) {
        let runtime = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(error = %e, "the lease thread could not start its runtime");
                return;
            }
        };
        runtime.block_on(async move {
            tokio::spawn(fence_timer(self.health.clone(), self.stop.clone()));
            self.keep_alive().await;
        });
    }

    async fn keep_alive(self) {
        let Some(etcd) = self.connect().await else {
            return;
        };
        let every = Duration::from_millis(self.ttl_secs.unsigned_abs().saturating_mul(1000) / 3);
        let mut failing = false;
        loop {
            let lease = *self.id.borrow();
            let ended = tokio::select! {
                () = self.stop.cancelled() => return,
                ended = self.rounds(&etcd, lease, every, &mut failing) => ended,
            };
            match ended {
                Ended::Expired => {
                    self.health.fence();
                    tracing::error!(lease, "etcd lease expired; granting a new one");
                    let sent = Instant::now();
                    match grant(&etcd, self.ttl_secs).await {
                        Ok(new) => {
                            self.id.send_replace(new);
                            self.health.confirm(sent);
                            continue;
                        }
                        Err(e) => tracing::warn!(error = %e, "granting a new etcd lease failed"),
                    }
                }
                Ended::Failed(e) => {
                    if !std::mem::replace(&mut failing, true) {
                        tracing::warn!(lease, error = %e, "etcd lease keep-alive failed; retrying");
                    }
                }
            }
            tokio::select! {
                () = self.stop.cancelled() => return,
                () = tokio::time::sleep(Duration::from_millis(500)) => {}
            }
        }
    }

    /// A connection of the thread's own, tried until it is made (or the lease is dropped).
    async fn connect(&self) -> Option<Etcd> {
        loop {
            let attempt = tokio::select! {
                () = self.stop.cancelled() => return None,
                r = self.etcd.reconnect() => r,
            };
            match attempt {
                Ok(etcd) => return Some(etcd),
                Err(e) => {
                    tracing::warn!(error = %e, "connecting the lease keep-alive to etcd failed; retrying")
                }
            }
            tokio::select! {
                () = self.stop.cancelled() => return None,
                () = tokio::time::sleep(Duration::from_millis(500)) => {}
            }
        }
    }

    /// Keeps `lease` alive every `every` until a keep-alive fails or goes unanswered for
    /// `every`, or etcd says the lease is gone.
    async fn rounds(&self, etcd: &Etcd, lease: i64, every: Duration, failing: &mut bool) -> Ended {
        let patience = every.max(Duration::from_secs(1));
        let opened = tokio::time::timeout(patience, etcd.client().lease_keep_alive(lease)).await;
        let (mut keeper, mut stream) = match opened {
            Ok(Ok(pair)) => pair,
            // Opening the stream sends a keep-alive and reads etcd's answer; etcd-client turns
            // an answer with no TTL left (the lease expired, e.g. while this connection was cut)
            // into this error, and every failure to reach etcd into another. Taken for a
            // failure, it would be retried on the dead lease for ever, fenced.
            Ok(Err(etcd_client::Error::LeaseKeepAliveError(_))) => return Ended::Expired,
            Ok(Err(e)) => return Ended::Failed(e.to_string()),
            Err(_) => return Ended::Failed("no answer".into()),
        };
        loop {
            let sent = Instant::now();
            let round = async {
                keeper.keep_alive().await?;
                stream.message().await
            };
            match tokio::time::timeout(patience, round).await {
                Ok(Ok(Some(r))) if r.ttl() > 0 => self.health.confirm(sent),
                Ok(Ok(_)) => return Ended::Expired,
                Ok(Err(e)) => return Ended::Failed(e.to_string()),
                Err(_) => return Ended::Failed("no answer to a keep-alive".into()),
            }
            if std::mem::take(failing) {
                tracing::info!(lease, "etcd lease keep-alive recovered");
            }
            tokio::time::sleep(every).await;
        }
    }
}

/// Fences the process when the lease stops being trusted, and waits for it to be trusted
/// again.
async fn fence_timer(health: LeaseHealth, stop: CancellationToken) {
    let mut confirmed = health.inner.confirmed.subscribe();
    loop {
        let at = health.trusted_until();
        tokio::select! {
            () = stop.cancelled() => return,
            changed = confirmed.changed() => {
                if changed.is_err() {
                    return;
                }
                continue;
            }
            () = tokio::time::sleep_until(at.into()) => {}
        }
        if Instant::now() >= health.trusted_until() {
            tracing::error!(
                "etcd has not answered a lease keep-alive for too long: fenced (no claims; exclusive runs are stopped)"
            );
            health.fence();
            tokio::select! {
                () = stop.cancelled() => return,
                changed = confirmed.changed() => if changed.is_err() { return },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_margin_is_a_quarter_of_the_ttl_at_least_a_second_at_most_half() {
        assert_eq!(
            fence_margin(Duration::from_secs(10)),
            Duration::from_millis(2500)
        );
        assert_eq!(fence_margin(Duration::from_secs(2)), Duration::from_secs(1));
        assert_eq!(
            fence_margin(Duration::from_secs(60)),
            Duration::from_secs(15)
        );
    }

    #[test]
    fn a_fence_is_counted_once_until_lifted_and_a_confirmation_lifts_it() {
        let start = Instant::now();
        let health = LeaseHealth::new(Duration::from_secs(10), start);
        assert!(health.is_current());
        let fences = health.fences();
        health.fence();
        health.fence();
        assert_eq!(
            *fences.borrow(),
            Fence {
                count: 1,
                active: true
            }
        );
        assert!(!health.is_current());
        health.confirm(Instant::now());
        assert_eq!(
            *fences.borrow(),
            Fence {
                count: 1,
                active: false
            }
        );
        assert!(health.is_current());
        health.fence();
        assert_eq!(fences.borrow().count, 2);
    }

    #[test]
    fn a_lease_not_confirmed_for_its_trust_is_not_current_without_any_timer() {
        // As after a pause: the newest confirmation is older than the TTL less the margin.
        let long_ago = Instant::now()
            .checked_sub(Duration::from_secs(8))
            .expect("the monotonic clock is older than 8 s");
        let health = LeaseHealth::new(Duration::from_secs(10), long_ago);
        assert!(!health.is_current(), "7.5 s of trust have passed");
        assert!(!health.fences().borrow().active, "no timer has fenced yet");
    }
}

//! Time, as the scheduler sees it. Scheduling code asks a [`Clock`] for the wall time and
//! sleeps on it, so tests drive it with a [`FakeClock`] instead of waiting for real seconds.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

pub trait Clock: Send + Sync + fmt::Debug + 'static {
    /// The current wall time.
    fn now(&self) -> DateTime<Utc>;
    /// Completes once `now() >= deadline`.
    fn sleep_until(&self, deadline: DateTime<Utc>) -> Sleep;
}

/// The real wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

/// Longest single sleep: after a wall-clock step (NTP, suspend) the remaining time is
/// measured again within this bound instead of trusting a monotonic timer set long ago.
const MAX_NAP: Duration = Duration::from_secs(1);

/// How early a timer sleep ends before the deadline; the rest is spent yielding. Tokio's
/// timer rounds deadlines up to whole milliseconds and epoll adds its own rounding, so a
/// plain sleep wakes 1-3 ms late; ending it early and yielding the last stretch puts the
/// wake-up within tens of microseconds of the deadline, for at most this much CPU per wake.
const SPIN: Duration = Duration::from_micros(2500);

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep_until(&self, deadline: DateTime<Utc>) -> Sleep {
        Box::pin(async move {
            loop {
                let Ok(left) = (deadline - Utc::now()).to_std() else {
                    return;
                };
                if left.is_zero() {
                    return;
                }
                if left > SPIN {
                    tokio::time::sleep((left - SPIN).min(MAX_NAP)).await;
                } else {
                    tokio::task::yield_now().await;
                }
            }
        })
    }
}

/// The wall clock shifted by a fixed offset: a host whose clock is off by that much. Lets
/// tests and benchmarks run workers with skewed clocks side by side.
#[derive(Debug, Clone, Copy)]
pub struct OffsetClock {
    offset: chrono::Duration,
}

impl OffsetClock {
    /// A clock `offset_ms` milliseconds ahead of the wall clock (behind when negative).
    pub fn new(offset_ms: i64) -> OffsetClock {
        OffsetClock {
            offset: chrono::Duration::milliseconds(offset_ms),
        }
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.offset
    }

    fn sleep_until(&self, deadline: DateTime<Utc>) -> Sleep {
        SystemClock.sleep_until(deadline - self.offset)
    }
}

/// A clock that moves only when told to. Clones share the same time.
#[derive(Clone)]
pub struct FakeClock {
    now: Arc<watch::Sender<DateTime<Utc>>>,
}

impl fmt::Debug for FakeClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FakeClock")
            .field("now", &*self.now.borrow())
            .finish()
    }
}

impl FakeClock {
    pub fn new(start: DateTime<Utc>) -> FakeClock {
        FakeClock {
            now: Arc::new(watch::Sender::new(start)),
        }
    }

    /// Moves time forward by `by` and wakes every sleeper whose deadline has passed.
    pub fn advance(&self, by: Duration) {
        let by = chrono::Duration::from_std(by).expect("test durations fit chrono's range");
        self.now.send_modify(|t| *t += by);
    }

    /// Sets the time; it may not go backwards.
    pub fn set(&self, to: DateTime<Utc>) {
        self.now.send_modify(|t| {
            assert!(to >= *t, "a FakeClock does not go backwards");
            *t = to;
        });
    }
}

impl Clock for FakeClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.borrow()
    }

    fn sleep_until(&self, deadline: DateTime<Utc>) -> Sleep {
        let mut rx = self.now.subscribe();
        Box::pin(async move {
            // The sender lives as long as any clone of the clock; if all are gone, nothing
            // can move time again, so the sleep never completes.
            if rx.wait_for(|now| *now >= deadline).await.is_err() {
                std::future::pending::<()>().await;
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn fake_sleep_completes_only_when_time_reaches_the_deadline() {
        let start = DateTime::from_timestamp(1_000, 0).expect("valid");
        let clock = FakeClock::new(start);
        let mut sleep = clock.sleep_until(start + chrono::Duration::seconds(2));
        clock.advance(Duration::from_secs(1));
        assert!(
            futures_poll_once(&mut sleep).await.is_none(),
            "woke a second early"
        );
        clock.advance(Duration::from_secs(1));
        tokio::time::timeout(Duration::from_secs(10), sleep)
            .await
            .expect("woke at the deadline");
        assert_eq!(clock.now(), start + chrono::Duration::seconds(2));
    }

    async fn futures_poll_once(f: &mut Sleep) -> Option<()> {
        tokio::time::timeout(Duration::from_millis(20), f)
            .await
            .ok()
    }

    #[tokio::test]
    async fn system_sleep_until_a_past_deadline_returns_at_once() {
        let past = Utc::now() - chrono::Duration::seconds(5);
        tokio::time::timeout(Duration::from_secs(10), SystemClock.sleep_until(past))
            .await
            .expect("returns");
    }
}

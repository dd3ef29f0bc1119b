//! The event stream (`Watch`, `GET /api/v1/events`): job, execution and worker events as
//! they happen, filtered to what the client asked for, opened by a resync.
//!
//! A client first gets [`WatchItem::Resync`]: it reads the state it shows, then applies
//! events. Whenever events were missed upstream (runs were given up, or the hub dropped
//! events before the stream's task took them) it gets another resync rather than a stream
//! with holes. A client that stops reading is cut off instead once its outbox is full (see
//! [`super::outbox`]): its stream ends with [`FellBehind`], and it subscribes again.
//!
//! Execution events carry the record, its output and stderr cut to
//! [`StreamLimits::record_output`](super::StreamLimits::record_output) each: the request
//! asks for events, not for output, which `GetLatestLog` and `ListLogs` give whole.

use std::pin::Pin;

use schedd_core::store::JobChange;
use schedd_core::{Event, ExecutionRecord, WorkerInfo};
use tokio::sync::broadcast;
use tokio_stream::Stream;

use super::live::Live;
use super::outbox::{FellBehind, Weigh, record_weight};

/// Which kinds of events a client wants; none at all means every kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WatchFilter {
    pub jobs: bool,
    pub executions: bool,
    pub workers: bool,
}

impl WatchFilter {
    pub const ALL: WatchFilter = WatchFilter {
        jobs: true,
        executions: true,
        workers: true,
    };

    fn or_all(self) -> WatchFilter {
        if self == WatchFilter::default() {
            WatchFilter::ALL
        } else {
            self
        }
    }
}

/// One item of the event stream.
#[derive(Debug, Clone, PartialEq)]
pub enum WatchItem {
    Job(JobChange),
    ExecutionStarted(ExecutionRecord),
    ExecutionFinished(ExecutionRecord),
    Worker(WorkerInfo, bool),
    /// Re-read what you show: the stream's start, or events were missed.
    Resync,
}

impl WatchItem {
    /// What `event` says to a client with `filter`, if anything; records carry at most
    /// `record_output` bytes of output and of stderr.
    fn from_event(event: Event, filter: WatchFilter, record_output: usize) -> Option<WatchItem> {
        let cut = |mut r: ExecutionRecord| {
            r.cut_output(record_output);
            r
        };
        match event {
            Event::Job(change) if filter.jobs => Some(WatchItem::Job(change)),
            Event::ExecutionStarted(r) if filter.executions => {
                Some(WatchItem::ExecutionStarted(cut(r)))
            }
            Event::ExecutionFinished(r) if filter.executions => {
                Some(WatchItem::ExecutionFinished(cut(r)))
            }
            Event::Worker { info, online } if filter.workers => {
                Some(WatchItem::Worker(info, online))
            }
            // The runs' end will not come: watchers re-read what runs.
            Event::Resync | Event::RunsGivenUp(_) => Some(WatchItem::Resync),
            _ => None,
        }
    }
}

impl Weigh for WatchItem {
    fn weight(&self) -> usize {
        match self {
            WatchItem::Job(change) => job_change_weight(change),
            WatchItem::ExecutionStarted(r) | WatchItem::ExecutionFinished(r) => record_weight(r),
            WatchItem::Worker(info, _) => {
                let labels: usize = info.labels.iter().map(|(k, v)| k.len() + v.len()).sum();
                super::outbox::ITEM_OVERHEAD
                    + info.worker_id.len()
                    + info.ip.len()
                    + info.hostname.len()
                    + info.version.len()
                    + info.address.len()
                    + labels
            }
            WatchItem::Resync => super::outbox::ITEM_OVERHEAD,
        }
    }
}

/// A job's strings (its fields written by other versions are counted as their JSON).
fn job_change_weight(change: &JobChange) -> usize {
    let overhead = super::outbox::ITEM_OVERHEAD;
    let job = match change {
        JobChange::Put(v) => &v.value,
        JobChange::Deleted { name, .. } => return overhead + name.len(),
    };
    let maps: usize = job
        .env
        .iter()
        .chain(&job.selector)
        .map(|(k, v)| k.len() + v.len())
        .sum();
    let extra = if job.extra.is_empty() {
        0
    } else {
        serde_json::to_string(&job.extra).map_or(0, |s| s.len())
    };
    overhead
        + job.name.len()
        + job.command.len()
        + job.http.as_ref().map_or(0, |h| {
            h.method.len()
                + h.url.len()
                + h.body.len()
                + h.headers
                    .iter()
                    .map(|(k, v)| k.len() + v.len())
                    .sum::<usize>()
                + h.expect_status.len() * 2
        })
        + job.cron_expr.len()
        + job.timezone.len()
        + job.description.len()
        + maps
        + extra
}

/// The items of a watch, ended by [`FellBehind`] if the client fell behind.
pub type WatchStream = Pin<Box<dyn Stream<Item = Result<WatchItem, FellBehind>> + Send>>;

/// The event stream of the master.
#[derive(Debug, Clone)]
pub struct Events {
    live: Live,
}

impl Events {
    pub fn new(live: Live) -> Events {
        Events { live }
    }

    /// Events matching `filter` (all kinds when it asks for none), opened by a resync. The
    /// stream ends when the master stops; dropping it stops the work behind it.
    pub fn watch(&self, filter: WatchFilter) -> WatchStream {
        let filter = filter.or_all();
        let mut rx = self.live.events.subscribe();
        let shutdown = self.live.shutdown.clone();
        let (tx, out) = self.live.outboxes.open();
        let record_output = self.live.outboxes.limits.record_output();
        tokio::spawn(async move {
            if !tx.push(WatchItem::Resync) {
                return;
            }
            loop {
                let next = tokio::select! {
                    () = shutdown.cancelled() => return,
                    () = tx.closed() => return,
                    next = rx.recv() => next,
                };
                let item = match next {
                    Ok(e) => match WatchItem::from_event(e, filter, record_output) {
                        Some(item) => item,
                        None => continue,
                    },
                    // The client re-reads what it shows; the stream goes on.
                    Err(broadcast::error::RecvError::Lagged(_)) => WatchItem::Resync,
                    Err(broadcast::error::RecvError::Closed) => return,
                };
                if !tx.push(item) {
                    return;
                }
            }
        });
        Box::pin(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::StreamLimits;
    use tokio_stream::StreamExt;
    use tokio_util::sync::CancellationToken;

    #[tokio::test]
    async fn a_watch_opens_with_a_resync_and_passes_only_what_was_asked_for() {
        let live = Live::new(CancellationToken::new());
        let events = Events::new(live.clone());
        let mut only_jobs = events.watch(WatchFilter {
            jobs: true,
            ..Default::default()
        });
        let mut all = events.watch(WatchFilter::default());
        assert_eq!(only_jobs.next().await, Some(Ok(WatchItem::Resync)));
        assert_eq!(all.next().await, Some(Ok(WatchItem::Resync)));
        let run = ExecutionRecord {
            execution_id: "e1".into(),
            job_name: "a".into(),
            ..Default::default()
        };
        live.events.send(Event::ExecutionStarted(run.clone()));
        let deleted = JobChange::Deleted {
            name: "a".into(),
            revision: 2,
        };
        live.events.send(Event::Job(deleted.clone()));
        live.events.send(Event::RunsGivenUp(vec!["e9".into()]));
        assert_eq!(
            only_jobs.next().await,
            Some(Ok(WatchItem::Job(deleted.clone())))
        );
        assert_eq!(only_jobs.next().await, Some(Ok(WatchItem::Resync)));
        assert_eq!(all.next().await, Some(Ok(WatchItem::ExecutionStarted(run))));
        assert_eq!(all.next().await, Some(Ok(WatchItem::Job(deleted))));
        // The master stopping ends every stream.
        live.shutdown.cancel();
        assert_eq!(all.next().await, Some(Ok(WatchItem::Resync)));
        assert_eq!(all.next().await, None);
    }

    fn finished(id: &str, output: usize) -> Event {
        Event::ExecutionFinished(ExecutionRecord {
            execution_id: id.into(),
            job_name: "a".into(),
            output: "x".repeat(output),
            ..Default::default()
        })
    }

    #[tokio::test]
    async fn a_watch_that_is_not_read_is_cut_off_at_its_bound_and_ends_saying_so() {
        let limits = StreamLimits {
            bytes: 64 * 1024,
            items: 1000,
        };
        let live = Live::new(CancellationToken::new()).with_stream_limits(limits);
        let events = Events::new(live.clone());
        let mut stream = events.watch(WatchFilter::default());
        let metrics = live.outboxes.metrics.clone();
        // Each record is cut to fit; the outbox never holds more than its bound.
        for i in 0..100 {
            live.events.send(finished(&format!("e{i}"), 20_000));
            tokio::task::yield_now().await;
            assert!(metrics.buffered_bytes.get() <= 64 * 1024);
        }
        let cut_off = tokio::time::timeout(std::time::Duration::from_secs(60), async {
            while metrics.cut_off.get() == 0 {
                tokio::task::yield_now().await;
            }
        });
        cut_off.await.expect("the client is cut off");
        assert_eq!(metrics.buffered_bytes.get(), 0, "what waited is dropped");
        let end = stream
            .next()
            .await
            .expect("an item")
            .expect_err("fell behind");
        assert_eq!(end.limits, limits);
        assert_eq!(stream.next().await, None);
    }

    #[tokio::test]
    async fn execution_events_carry_output_cut_to_the_streams_share() {
        let limits = StreamLimits {
            bytes: 80 * 1024,
            items: 1000,
        };
        let live = Live::new(CancellationToken::new()).with_stream_limits(limits);
        let events = Events::new(live.clone());
        let mut stream = events.watch(WatchFilter::default());
        assert_eq!(stream.next().await, Some(Ok(WatchItem::Resync)));
        live.events.send(finished("big", 50_000));
        let Some(Ok(WatchItem::ExecutionFinished(r))) = stream.next().await else {
            panic!("a finished run");
        };
        assert!(r.output_truncated);
        assert!(r.output.len() < 11 * 1024, "{}", r.output.len());
    }
}

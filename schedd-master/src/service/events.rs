//! The event stream (`Watch`, `GET /api/v1/events`): job, execution and worker events as
//! they happen, filtered to what the client asked for, opened by a resync.
//!
//! A client first gets [`WatchItem::Resync`]: it reads the state it shows, then applies
//! events. Whenever events were missed (the client fell behind the hub, or runs were given
//! up upstream) it gets another resync rather than a stream with holes.

use std::pin::Pin;

use schedd_core::store::JobChange;
use schedd_core::{Event, ExecutionRecord, WorkerInfo};
use tokio::sync::{broadcast, mpsc};
use tokio_stream::Stream;

use super::live::{Live, send_or_stop};

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
    /// What `event` says to a client with `filter`, if anything.
    fn from_event(event: Event, filter: WatchFilter) -> Option<WatchItem> {
        match event {
            Event::Job(change) if filter.jobs => Some(WatchItem::Job(change)),
            Event::ExecutionStarted(r) if filter.executions => Some(WatchItem::ExecutionStarted(r)),
            Event::ExecutionFinished(r) if filter.executions => {
                Some(WatchItem::ExecutionFinished(r))
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

pub type WatchStream = Pin<Box<dyn Stream<Item = WatchItem> + Send>>;

/// Items the stream may queue for a client that reads slowly before it waits.
const WATCH_BUFFER: usize = 256;

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
        let (tx, out) = mpsc::channel(WATCH_BUFFER);
        tokio::spawn(async move {
            if !send_or_stop(&tx, WatchItem::Resync, &shutdown).await {
                return;
            }
            loop {
                let next = tokio::select! {
                    () = shutdown.cancelled() => return,
                    () = tx.closed() => return,
                    next = rx.recv() => next,
                };
                let item = match next {
                    Ok(e) => match WatchItem::from_event(e, filter) {
                        Some(item) => item,
                        None => continue,
                    },
                    // The client re-reads what it shows; the stream goes on.
                    Err(broadcast::error::RecvError::Lagged(_)) => WatchItem::Resync,
                    Err(broadcast::error::RecvError::Closed) => return,
                };
                if !send_or_stop(&tx, item, &shutdown).await {
                    return;
                }
            }
        });
        Box::pin(tokio_stream::wrappers::ReceiverStream::new(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        assert_eq!(only_jobs.next().await, Some(WatchItem::Resync));
        assert_eq!(all.next().await, Some(WatchItem::Resync));
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
            Some(WatchItem::Job(deleted.clone()))
        );
        assert_eq!(only_jobs.next().await, Some(WatchItem::Resync));
        assert_eq!(all.next().await, Some(WatchItem::ExecutionStarted(run)));
        assert_eq!(all.next().await, Some(WatchItem::Job(deleted)));
        // The master stopping ends every stream.
        live.shutdown.cancel();
        assert_eq!(all.next().await, Some(WatchItem::Resync));
        assert_eq!(all.next().await, None);
    }
}

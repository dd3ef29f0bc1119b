//! `EventService`: the `Watch` stream.

use schedd_proto::v1 as pb;
use schedd_proto::{job_change_to_pb, record_to_pb, worker_to_pb};
use tokio_stream::StreamExt;
use tonic::{Request, Response};

use super::{Reply, ServerStream, fell_behind};
use crate::service::{Events, Services, WatchFilter, WatchItem, as_seen_by};

/// A job change as `who` may see it (see [`as_seen_by`]).
pub(crate) fn seen_by(
    change: schedd_core::store::JobChange,
    who: &schedd_core::Actor,
) -> schedd_core::store::JobChange {
    use schedd_core::store::JobChange;
    match change {
        JobChange::Put(mut v) => {
            v.value = as_seen_by(who, v.value);
            JobChange::Put(v)
        }
        deleted => deleted,
    }
}

#[derive(Debug, Clone)]
pub struct EventApi(Events);

impl EventApi {
    pub fn new(services: &Services) -> EventApi {
        EventApi(services.events.clone())
    }
}

fn watch_item_to_pb(item: WatchItem, who: &schedd_core::Actor) -> pb::Event {
    use pb::event::Event as E;
    let execution = |kind: pb::execution_event::Kind, r| {
        E::Execution(pb::ExecutionEvent {
            kind: kind as i32,
            record: Some(record_to_pb(&r)),
        })
    };
    pb::Event {
        event: Some(match item {
            WatchItem::Job(change) => E::Job(job_change_to_pb(&seen_by(change, who))),
            WatchItem::ExecutionStarted(r) => execution(pb::execution_event::Kind::Started, r),
            WatchItem::ExecutionFinished(r) => execution(pb::execution_event::Kind::Finished, r),
            WatchItem::Worker(info, online) => E::Worker(pb::WorkerEvent {
                kind: pb::worker_event::Kind::Updated as i32,
                worker: Some(worker_to_pb(&info, online)),
            }),
            WatchItem::Resync => E::Resync(pb::Resync {}),
        }),
    }
}

#[tonic::async_trait]
impl pb::event_service_server::EventService for EventApi {
    type WatchStream = ServerStream<pb::Event>;

    async fn watch(&self, req: Request<pb::WatchRequest>) -> Reply<Self::WatchStream> {
        let who = super::actor(&req);
        let want = req.into_inner();
        let stream = self.0.watch(WatchFilter {
            jobs: want.jobs,
            executions: want.executions,
            workers: want.workers,
        });
        Ok(Response::new(Box::pin(stream.map(move |item| {
            item.map(|i| watch_item_to_pb(i, &who)).map_err(fell_behind)
        }))))
    }
}

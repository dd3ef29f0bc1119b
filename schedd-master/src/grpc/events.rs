//! `EventService`: the `Watch` stream.

use schedd_proto::v1 as pb;
use schedd_proto::{job_change_to_pb, record_to_pb, worker_to_pb};
use tokio_stream::StreamExt;
use tonic::{Request, Response};

use super::{Reply, ServerStream, fell_behind};
use crate::service::{Events, Services, WatchFilter, WatchItem};

#[derive(Debug, Clone)]
pub struct EventApi(Events);

impl EventApi {
    pub fn new(services: &Services) -> EventApi {
        EventApi(services.events.clone())
    }
}

fn watch_item_to_pb(item: WatchItem) -> pb::Event {
    use pb::event::Event as E;
    let execution = |kind: pb::execution_event::Kind, r| {
        E::Execution(pb::ExecutionEvent {
            kind: kind as i32,
            record: Some(record_to_pb(&r)),
        })
    };
    pb::Event {
        event: Some(match item {
            WatchItem::Job(change) => E::Job(job_change_to_pb(&change)),
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
        let want = req.into_inner();
        let stream = self.0.watch(WatchFilter {
            jobs: want.jobs,
            executions: want.executions,
            workers: want.workers,
        });
        Ok(Response::new(Box::pin(stream.map(|item| {
            item.map(watch_item_to_pb).map_err(fell_behind)
        }))))
    }
}

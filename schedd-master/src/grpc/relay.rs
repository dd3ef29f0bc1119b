//! `RelayService`: what workers send about the runs of followed jobs, one stream each.

use schedd_proto::v1 as pb;
use schedd_proto::{checked_record_from_pb, chunk_from_pb};
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status, Streaming};

use super::{invalid, to_status};
use crate::service::Services;

#[derive(Debug, Clone)]
pub struct RelayApi {
    services: Services,
    shutdown: CancellationToken,
}

impl RelayApi {
    pub fn new(services: &Services) -> RelayApi {
        RelayApi {
            shutdown: services.live.shutdown.clone(),
            services: services.clone(),
        }
    }
}

#[tonic::async_trait]
impl pb::relay_service_server::RelayService for RelayApi {
    async fn relay(
        &self,
        req: Request<Streaming<pb::RelayRequest>>,
    ) -> Result<Response<pb::RelayResponse>, Status> {
        use pb::relay_request::Item;
        let mut stream = req.into_inner();
        let mut session = self.services.relay();
        loop {
            let message = tokio::select! {
                () = self.shutdown.cancelled() => return Err(Status::unavailable("the master is stopping")),
                m = stream.message() => m?,
            };
            let Some(message) = message else {
                return Ok(Response::new(pb::RelayResponse {}));
            };
            let Some(item) = message.item else {
                continue;
            };
            match item {
                Item::Started(r) => session.started(checked_record_from_pb(r).map_err(invalid)?),
                Item::Output(c) => session.output(chunk_from_pb(c)),
                Item::Finished(r) => session.finished(checked_record_from_pb(r).map_err(invalid)?),
            }
            .map_err(to_status)?;
        }
    }
}

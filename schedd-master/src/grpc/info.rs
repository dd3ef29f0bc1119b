//! `InfoService`.

use schedd_proto::ts_from_datetime;
use schedd_proto::v1 as pb;
use tonic::{Request, Response};

use super::Reply;
use crate::service::{Info, Services};

#[derive(Debug, Clone)]
pub struct InfoApi(Info);

impl InfoApi {
    pub fn new(services: &Services) -> InfoApi {
        InfoApi(services.info.clone())
    }
}

#[tonic::async_trait]
impl pb::info_service_server::InfoService for InfoApi {
    async fn get_info(&self, _: Request<pb::GetInfoRequest>) -> Reply<pb::GetInfoResponse> {
        Ok(Response::new(pb::GetInfoResponse {
            version: self.0.version.to_owned(),
            mode: self.0.mode.to_owned(),
            default_timezone: self.0.default_timezone.clone(),
            started_at: Some(ts_from_datetime(self.0.started_at)),
        }))
    }
}

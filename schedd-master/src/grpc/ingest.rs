//! `IngestService`: execution records from workers in a cluster without MongoDB.

use schedd_proto::checked_record_from_pb;
use schedd_proto::v1 as pb;
use tonic::{Request, Response};

use super::{Reply, invalid, to_status};
use crate::service::{Logs, Services};

#[derive(Debug, Clone)]
pub struct IngestApi(Logs);

impl IngestApi {
    pub fn new(services: &Services) -> IngestApi {
        IngestApi(services.logs.clone())
    }
}

#[tonic::async_trait]
impl pb::ingest_service_server::IngestService for IngestApi {
    async fn ingest(&self, req: Request<pb::IngestRequest>) -> Reply<pb::IngestResponse> {
        let records = req
            .into_inner()
            .records
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                checked_record_from_pb(r).map_err(|e| invalid(format!("record {i}: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let inserted = self.0.ingest(&records).await.map_err(to_status)?;
        Ok(Response::new(pb::IngestResponse {
            // At most MAX_INGEST_RECORDS, far below u32::MAX.
            inserted: u32::try_from(inserted).unwrap_or(u32::MAX),
        }))
    }
}

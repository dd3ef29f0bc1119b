//! `WorkerService`.

use schedd_proto::v1 as pb;
use schedd_proto::worker_to_pb;
use tonic::{Request, Response};

use super::{Reply, to_status};
use crate::service::{Services, Workers};

#[derive(Debug, Clone)]
pub struct WorkerApi(Workers);

impl WorkerApi {
    pub fn new(services: &Services) -> WorkerApi {
        WorkerApi(services.workers.clone())
    }
}

#[tonic::async_trait]
impl pb::worker_service_server::WorkerService for WorkerApi {
    async fn list_workers(
        &self,
        _: Request<pb::ListWorkersRequest>,
    ) -> Reply<pb::ListWorkersResponse> {
        let workers = self.0.list().await.map_err(to_status)?;
        Ok(Response::new(pb::ListWorkersResponse {
            workers: workers
                .iter()
                .map(|w| worker_to_pb(&w.info, w.online))
                .collect(),
        }))
    }

    async fn get_worker_stats(
        &self,
        _: Request<pb::GetWorkerStatsRequest>,
    ) -> Reply<pb::GetWorkerStatsResponse> {
        let s = self.0.stats().await.map_err(to_status)?;
        Ok(Response::new(pb::GetWorkerStatsResponse {
            stats: Some(pb::WorkerStats {
                total: s.total,
                online: s.online,
                offline: s.offline,
                running: s.running,
                capacity: s.capacity,
                avg_cpu_usage: s.avg_cpu_usage,
                avg_mem_usage: s.avg_mem_usage,
            }),
        }))
    }
}

//! `JobService`.

use schedd_proto::v1 as pb;
use schedd_proto::{job_from_pb, job_to_pb, ts_from_datetime};
use tonic::{Request, Response};

use super::{Reply, actor, invalid, to_status};
use crate::service::{Jobs, Saved, Services};

#[derive(Debug, Clone)]
pub struct JobApi(Jobs);

impl JobApi {
    pub fn new(services: &Services) -> JobApi {
        JobApi(services.jobs.clone())
    }
}

#[tonic::async_trait]
impl pb::job_service_server::JobService for JobApi {
    async fn save_job(&self, req: Request<pb::SaveJobRequest>) -> Reply<pb::SaveJobResponse> {
        let who = actor(&req);
        let req = req.into_inner();
        let job = req.job.ok_or_else(|| invalid("job is required"))?;
        let job = job_from_pb(job).map_err(invalid)?;
        let Saved { job, previous } = self
            .0
            .save(&who, job, req.expected_revision)
            .await
            .map_err(to_status)?;
        Ok(Response::new(pb::SaveJobResponse {
            job: Some(job_to_pb(&job.value, job.revision)),
            previous: previous.map(|p| job_to_pb(&p.value, p.revision)),
        }))
    }

    async fn delete_job(&self, req: Request<pb::DeleteJobRequest>) -> Reply<pb::DeleteJobResponse> {
        let who = actor(&req);
        let name = req.into_inner().name;
        let deleted = self.0.delete(&who, &name).await.map_err(to_status)?;
        Ok(Response::new(pb::DeleteJobResponse {
            deleted: Some(job_to_pb(&deleted.value, deleted.revision)),
        }))
    }

    async fn list_jobs(&self, req: Request<pb::ListJobsRequest>) -> Reply<pb::ListJobsResponse> {
        let who = actor(&req);
        let keyword = req.into_inner().keyword;
        let jobs = self.0.list(&who, &keyword).await.map_err(to_status)?;
        Ok(Response::new(pb::ListJobsResponse {
            jobs: jobs
                .iter()
                .map(|v| job_to_pb(&v.value, v.revision))
                .collect(),
        }))
    }

    async fn get_job(&self, req: Request<pb::GetJobRequest>) -> Reply<pb::GetJobResponse> {
        let who = actor(&req);
        let name = req.into_inner().name;
        let job = self.0.get(&who, &name).await.map_err(to_status)?;
        Ok(Response::new(pb::GetJobResponse {
            job: Some(job_to_pb(&job.value, job.revision)),
        }))
    }

    async fn kill_job(&self, req: Request<pb::KillJobRequest>) -> Reply<pb::KillJobResponse> {
        let who = actor(&req);
        let name = req.into_inner().name;
        self.0.kill(&who, &name).await.map_err(to_status)?;
        Ok(Response::new(pb::KillJobResponse {}))
    }

    async fn disable_job(
        &self,
        req: Request<pb::DisableJobRequest>,
    ) -> Reply<pb::DisableJobResponse> {
        let who = actor(&req);
        let name = req.into_inner().name;
        let job = self
            .0
            .set_disabled(&who, &name, true)
            .await
            .map_err(to_status)?
            .after;
        Ok(Response::new(pb::DisableJobResponse {
            job: Some(job_to_pb(&job.value, job.revision)),
        }))
    }

    async fn enable_job(&self, req: Request<pb::EnableJobRequest>) -> Reply<pb::EnableJobResponse> {
        let who = actor(&req);
        let name = req.into_inner().name;
        let job = self
            .0
            .set_disabled(&who, &name, false)
            .await
            .map_err(to_status)?
            .after;
        Ok(Response::new(pb::EnableJobResponse {
            job: Some(job_to_pb(&job.value, job.revision)),
        }))
    }

    async fn run_job(&self, req: Request<pb::RunJobRequest>) -> Reply<pb::RunJobResponse> {
        let who = actor(&req);
        let name = req.into_inner().name;
        let execution_id = self.0.run_now(&who, &name).await.map_err(to_status)?;
        Ok(Response::new(pb::RunJobResponse { execution_id }))
    }

    async fn next_fire_times(
        &self,
        req: Request<pb::NextFireTimesRequest>,
    ) -> Reply<pb::NextFireTimesResponse> {
        let r = req.into_inner();
        let next = self
            .0
            .next_fire_times(&r.name, &r.cron_expr, &r.timezone, r.count)
            .await
            .map_err(to_status)?;
        Ok(Response::new(pb::NextFireTimesResponse {
            times: next.times.into_iter().map(ts_from_datetime).collect(),
            timezone: next.timezone.name().to_owned(),
            description: next.description,
        }))
    }
}

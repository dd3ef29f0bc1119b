//! `LogService`.

use schedd_core::store::LogQuery;
use schedd_proto::v1 as pb;
use schedd_proto::{chunk_to_pb, datetime_from_ts, record_to_pb, status_from_pb, ts_from_ms};
use tokio_stream::StreamExt;
use tonic::{Request, Response};

use super::{Reply, ServerStream, fell_behind, invalid, to_status};
use crate::service::{Logs, Services, TailItem};

#[derive(Debug, Clone)]
pub struct LogApi(Logs);

impl LogApi {
    pub fn new(services: &Services) -> LogApi {
        LogApi(services.logs.clone())
    }
}

fn tail_item_to_pb(item: TailItem) -> pb::TailLogResponse {
    use pb::tail_log_response::Item;
    pb::TailLogResponse {
        item: Some(match item {
            TailItem::Started(r) => Item::Started(record_to_pb(&r)),
            TailItem::Output(c) => Item::Output(chunk_to_pb(c)),
            TailItem::Finished(r) => Item::Finished(record_to_pb(&r)),
        }),
    }
}

#[tonic::async_trait]
impl pb::log_service_server::LogService for LogApi {
    type TailLogStream = ServerStream<pb::TailLogResponse>;

    async fn tail_log(&self, req: Request<pb::TailLogRequest>) -> Reply<Self::TailLogStream> {
        let r = req.into_inner();
        let tail = self
            .0
            .tail(&r.job_name, r.follow)
            .await
            .map_err(to_status)?;
        Ok(Response::new(Box::pin(tail.map(|item| {
            item.map(tail_item_to_pb).map_err(fell_behind)
        }))))
    }

    async fn list_logs(&self, req: Request<pb::ListLogsRequest>) -> Reply<pb::ListLogsResponse> {
        let r = req.into_inner();
        let status = match pb::ExecutionStatus::try_from(r.status) {
            Ok(pb::ExecutionStatus::Unspecified) => None,
            Ok(_) => Some(status_from_pb(r.status)),
            Err(_) => return Err(invalid(format!("status: unknown value {}", r.status))),
        };
        let time = |ts: Option<prost_types::Timestamp>, what: &str| {
            ts.map(|t| {
                datetime_from_ts(&t).ok_or_else(|| invalid(format!("{what}: not a valid time")))
            })
            .transpose()
        };
        let query = LogQuery {
            job_name: Some(r.job_name),
            status,
            since: time(r.since, "since")?,
            until: time(r.until, "until")?,
            tick: time(r.tick, "tick")?,
            page: r.page,
            page_size: r.page_size,
        };
        let listing = self.0.list(query).await.map_err(to_status)?;
        Ok(Response::new(pb::ListLogsResponse {
            records: listing.records.iter().map(record_to_pb).collect(),
            total: listing.total,
            page: listing.page,
            page_size: listing.page_size,
        }))
    }

    async fn get_latest_log(
        &self,
        req: Request<pb::GetLatestLogRequest>,
    ) -> Reply<pb::GetLatestLogResponse> {
        let name = req.into_inner().job_name;
        let record = self.0.latest(&name).await.map_err(to_status)?;
        Ok(Response::new(pb::GetLatestLogResponse {
            record: Some(record_to_pb(&record)),
        }))
    }

    async fn get_log_stats(
        &self,
        req: Request<pb::GetLogStatsRequest>,
    ) -> Reply<pb::GetLogStatsResponse> {
        let r = req.into_inner();
        let got = self.0.stats(&r.job_name, r.days).await.map_err(to_status)?;
        let s = got.stats;
        Ok(Response::new(pb::GetLogStatsResponse {
            stats: Some(pb::LogStats {
                job_name: r.job_name,
                days: got.days,
                total: s.total,
                success: s.success,
                failed: s.failed,
                timeout: s.timeout,
                killed: s.killed,
                success_rate: s.success_rate(),
                avg_duration_ms: s.avg_duration_ms,
                last_run: s.last_run_ms.map(ts_from_ms),
                p50_duration_ms: s.p50_duration_ms,
                p95_duration_ms: s.p95_duration_ms,
            }),
        }))
    }
}

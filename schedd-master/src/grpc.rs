//! The gRPC adapter: each handler converts the request, calls a service, and converts the
//! answer. No logic lives here.

use std::pin::Pin;

use schedd_core::store::{JobChange, LogQuery};
use schedd_core::{Event, EventHub, ExecutionRecord, OutputChunk, OutputStream};
use schedd_proto::v1 as pb;
use schedd_proto::{
    datetime_from_ts, job_from_pb, job_to_pb, record_from_pb, record_to_pb, status_from_pb,
    ts_from_datetime, ts_from_ms, worker_to_pb,
};
use tokio::sync::broadcast;
use tokio_stream::Stream;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status};

use crate::Info;
use crate::error::{ServiceError, to_status};
use crate::service::{Jobs, Logs, Workers};

type Reply<T> = Result<Response<T>, Status>;

fn invalid(msg: impl Into<String>) -> Status {
    to_status(ServiceError::Invalid(msg.into()))
}

#[derive(Debug, Clone)]
pub struct JobApi(pub Jobs);

#[tonic::async_trait]
impl pb::job_service_server::JobService for JobApi {
    async fn save_job(&self, req: Request<pb::SaveJobRequest>) -> Reply<pb::SaveJobResponse> {
        let req = req.into_inner();
        let job = req.job.ok_or_else(|| invalid("job is required"))?;
        let job = job_from_pb(job).map_err(invalid)?;
        let (saved, previous) = self
            .0
            .save(job, req.expected_revision)
            .await
            .map_err(to_status)?;
        Ok(Response::new(pb::SaveJobResponse {
            job: Some(job_to_pb(&saved.value, saved.revision)),
            previous: previous.map(|p| job_to_pb(&p.value, p.revision)),
        }))
    }

    async fn delete_job(&self, req: Request<pb::DeleteJobRequest>) -> Reply<pb::DeleteJobResponse> {
        let deleted = self
            .0
            .delete(&req.into_inner().name)
            .await
            .map_err(to_status)?;
        Ok(Response::new(pb::DeleteJobResponse {
            deleted: Some(job_to_pb(&deleted.value, deleted.revision)),
        }))
    }

    async fn list_jobs(&self, req: Request<pb::ListJobsRequest>) -> Reply<pb::ListJobsResponse> {
        let jobs = self
            .0
            .list(&req.into_inner().keyword)
            .await
            .map_err(to_status)?;
        Ok(Response::new(pb::ListJobsResponse {
            jobs: jobs
                .iter()
                .map(|v| job_to_pb(&v.value, v.revision))
                .collect(),
        }))
    }

    async fn get_job(&self, req: Request<pb::GetJobRequest>) -> Reply<pb::GetJobResponse> {
        let job = self
            .0
            .get(&req.into_inner().name)
            .await
            .map_err(to_status)?;
        Ok(Response::new(pb::GetJobResponse {
            job: Some(job_to_pb(&job.value, job.revision)),
        }))
    }

    async fn kill_job(&self, req: Request<pb::KillJobRequest>) -> Reply<pb::KillJobResponse> {
        self.0
            .kill(&req.into_inner().name)
            .await
            .map_err(to_status)?;
        Ok(Response::new(pb::KillJobResponse {}))
    }

    async fn disable_job(
        &self,
        req: Request<pb::DisableJobRequest>,
    ) -> Reply<pb::DisableJobResponse> {
        let job = self
            .0
            .set_disabled(&req.into_inner().name, true)
            .await
            .map_err(to_status)?;
        Ok(Response::new(pb::DisableJobResponse {
            job: Some(job_to_pb(&job.value, job.revision)),
        }))
    }

    async fn enable_job(&self, req: Request<pb::EnableJobRequest>) -> Reply<pb::EnableJobResponse> {
        let job = self
            .0
            .set_disabled(&req.into_inner().name, false)
            .await
            .map_err(to_status)?;
        Ok(Response::new(pb::EnableJobResponse {
            job: Some(job_to_pb(&job.value, job.revision)),
        }))
    }

    async fn run_job(&self, req: Request<pb::RunJobRequest>) -> Reply<pb::RunJobResponse> {
        let execution_id = self
            .0
            .run_now(&req.into_inner().name)
            .await
            .map_err(to_status)?;
        Ok(Response::new(pb::RunJobResponse { execution_id }))
    }

    async fn next_fire_times(
        &self,
        req: Request<pb::NextFireTimesRequest>,
    ) -> Reply<pb::NextFireTimesResponse> {
        let r = req.into_inner();
        let (times, tz) = self
            .0
            .next_fire_times(&r.name, &r.cron_expr, &r.timezone, r.count)
            .await
            .map_err(to_status)?;
        Ok(Response::new(pb::NextFireTimesResponse {
            times: times.into_iter().map(ts_from_datetime).collect(),
            timezone: tz.name().to_owned(),
        }))
    }
}

#[derive(Debug, Clone)]
pub struct LogApi {
    pub logs: Logs,
    pub jobs: Jobs,
    pub events: EventHub,
    pub output: broadcast::Sender<OutputChunk>,
    /// In a cluster: who to tell that a job is followed, so that workers relay its runs.
    pub followers: Option<crate::live::Followers>,
    pub shutdown: CancellationToken,
}

type TailStream = Pin<Box<dyn Stream<Item = Result<pb::TailLogResponse, Status>> + Send>>;

fn tail_item(item: pb::tail_log_response::Item) -> Result<pb::TailLogResponse, Status> {
    Ok(pb::TailLogResponse { item: Some(item) })
}

/// One `TailLog` stream: the runs it tracks and where its items go.
struct Tail {
    job: String,
    follow: bool,
    tracked: std::collections::HashSet<String>,
    hub: EventHub,
    tx: tokio::sync::mpsc::Sender<Result<pb::TailLogResponse, Status>>,
    shutdown: CancellationToken,
}

impl Tail {
    /// Sends the runs `running` now, then what happens, until the client hangs up, the
    /// master stops, or (without `follow`) the tracked runs are over.
    async fn run(
        mut self,
        running: Vec<ExecutionRecord>,
        mut events: broadcast::Receiver<Event>,
        mut output: broadcast::Receiver<OutputChunk>,
    ) {
        use pb::tail_log_response::Item;
        for rec in running {
            self.tracked.insert(rec.execution_id.clone());
            if !self.send(Item::Started(record_to_pb(&rec))).await {
                return;
            }
        }
        loop {
            tokio::select! {
                () = self.shutdown.cancelled() => return,
                () = self.tx.closed() => return,
                chunk = output.recv() => match chunk {
                    Ok(c) => if !self.output(c).await { return },
                    // Live output is best effort: a slow reader skips what it missed.
                    Err(broadcast::error::RecvError::Lagged(_)) => {}
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                event = events.recv() => match event {
                    Ok(Event::ExecutionStarted(rec)) if rec.job_name == self.job && self.follow => {
                        if self.tracked.insert(rec.execution_id.clone())
                            && !self.send(Item::Started(record_to_pb(&rec))).await
                        {
                            return;
                        }
                    }
                    Ok(Event::ExecutionFinished(rec))
                        if rec.job_name == self.job
                            && (self.follow || self.tracked.contains(&rec.execution_id)) =>
                    {
                        // The run's output was sent before its end: pass on what is
                        // still waiting on the other channel first.
                        loop {
                            match output.try_recv() {
                                Ok(c) => if !self.output(c).await { return },
                                Err(broadcast::error::TryRecvError::Lagged(_)) => {}
                                Err(_) => break,
                            }
                        }
                        self.tracked.remove(&rec.execution_id);
                        let done = !self.follow && self.tracked.is_empty();
                        if !self.send(Item::Finished(record_to_pb(&rec))).await || done {
                            return;
                        }
                    }
                    // Runs whose end will not come.
                    Ok(Event::RunsGivenUp(ids)) => {
                        for id in &ids {
                            self.tracked.remove(id);
                        }
                        if !self.follow && self.tracked.is_empty() {
                            return;
                        }
                    }
                    // Events were missed: stop waiting for runs that are no longer running.
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        let hub = &self.hub;
                        self.tracked.retain(|id| hub.is_running(id));
                        if !self.follow && self.tracked.is_empty() {
                            return;
                        }
                    }
                    Ok(_) => {}
                    Err(broadcast::error::RecvError::Closed) => return,
                },
            }
        }
    }

    /// Passes on a chunk of output if it belongs to a tracked run. With `follow`, the
    /// output of a run of the job whose start has not come yet (it comes on the other
    /// channel) makes the run tracked, its start sent first.
    async fn output(&mut self, c: OutputChunk) -> bool {
        use pb::tail_log_response::Item;
        if c.job_name != self.job {
            return true;
        }
        if !self.tracked.contains(&c.execution_id) {
            let Some(rec) = self
                .hub
                .running_record(&c.execution_id)
                .filter(|_| self.follow)
            else {
                return true;
            };
            self.tracked.insert(rec.execution_id.clone());
            if !self.send(Item::Started(record_to_pb(&rec))).await {
                return false;
            }
        }
        self.send(Item::Output(pb::OutputChunk {
            execution_id: c.execution_id,
            stream: match c.stream {
                OutputStream::Stdout => pb::OutputStream::Stdout,
                OutputStream::Stderr => pb::OutputStream::Stderr,
            } as i32,
            data: c.data,
            job_name: c.job_name,
        }))
        .await
    }

    async fn send(&self, item: pb::tail_log_response::Item) -> bool {
        send_or_stop(&self.tx, tail_item(item), &self.shutdown).await
    }
}

#[tonic::async_trait]
impl pb::log_service_server::LogService for LogApi {
    type TailLogStream = TailStream;

    /// Follows the job's running executions: their output as it is produced, then their
    /// records. Without `follow` it ends when the executions running at the start have
    /// ended, or at once with the latest record when none is running.
    async fn tail_log(&self, req: Request<pb::TailLogRequest>) -> Reply<Self::TailLogStream> {
        use pb::tail_log_response::Item;
        let r = req.into_inner();
        let job = self
            .jobs
            .get(&r.job_name)
            .await
            .map_err(to_status)?
            .value
            .name;
        // Ask workers for the job's runs, and subscribe, before looking at what runs, so
        // nothing falls in between.
        let following = self.followers.as_ref().map(|f| f.follow(&job));
        let events = self.events.subscribe();
        let output = self.output.subscribe();
        let running = self.events.running_of(&job);
        if running.is_empty() && !r.follow {
            let latest = self.logs.latest(&job).await.map_err(to_status)?;
            let once = tokio_stream::once(tail_item(Item::Finished(record_to_pb(&latest))));
            return Ok(Response::new(Box::pin(once)));
        }
        let (tx, rx) = tokio::sync::mpsc::channel(256);
        let tail = Tail {
            job,
            follow: r.follow,
            tracked: std::collections::HashSet::new(),
            hub: self.events.clone(),
            tx,
            shutdown: self.shutdown.clone(),
        };
        tokio::spawn(async move {
            let _following = following;
            tail.run(running, events, output).await;
        });
        Ok(Response::new(Box::pin(
            tokio_stream::wrappers::ReceiverStream::new(rx),
        )))
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
            page: r.page,
            page_size: r.page_size,
        };
        let (page, number, size) = if status == Some(schedd_core::ExecutionStatus::Running) {
            self.logs
                .list_running(query, self.events.running())
                .map_err(to_status)?
        } else {
            self.logs.list(query).await.map_err(to_status)?
        };
        Ok(Response::new(pb::ListLogsResponse {
            records: page.records.iter().map(record_to_pb).collect(),
            total: page.total,
            page: number,
            page_size: size,
        }))
    }

    async fn get_latest_log(
        &self,
        req: Request<pb::GetLatestLogRequest>,
    ) -> Reply<pb::GetLatestLogResponse> {
        let record = self
            .logs
            .latest(&req.into_inner().job_name)
            .await
            .map_err(to_status)?;
        Ok(Response::new(pb::GetLatestLogResponse {
            record: Some(record_to_pb(&record)),
        }))
    }

    async fn get_log_stats(
        &self,
        req: Request<pb::GetLogStatsRequest>,
    ) -> Reply<pb::GetLogStatsResponse> {
        let r = req.into_inner();
        let (s, days) = self
            .logs
            .stats(&r.job_name, r.days)
            .await
            .map_err(to_status)?;
        Ok(Response::new(pb::GetLogStatsResponse {
            stats: Some(pb::LogStats {
                job_name: r.job_name,
                days,
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

/// Takes the execution records of workers in a cluster without MongoDB, and announces
/// each stored run on the event hub, as the worker's sink does in embedded mode.
#[derive(Debug, Clone)]
pub struct IngestApi {
    pub logs: Logs,
    pub events: EventHub,
    /// In a cluster: ends to hold back while the run's output is still being relayed.
    pub relayed: Option<crate::live::Relayed>,
}

/// The domain form of the `index`th record of an ingest call. Enum numbers are checked
/// here because the conversion reads unknown ones as defaults: a missing status would be
/// stored as a success.
pub(crate) fn ingested_record(
    index: usize,
    p: pb::ExecutionRecord,
) -> Result<ExecutionRecord, Status> {
    let bad = |problem: String| invalid(format!("record {index}: {problem}"));
    match pb::ExecutionStatus::try_from(p.status) {
        Ok(pb::ExecutionStatus::Unspecified) => return Err(bad("the status is missing".into())),
        Ok(_) => {}
        Err(_) => return Err(bad(format!("status: unknown value {}", p.status))),
    }
    if pb::Trigger::try_from(p.trigger).is_err() {
        return Err(bad(format!("trigger: unknown value {}", p.trigger)));
    }
    Ok(record_from_pb(p))
}

#[tonic::async_trait]
impl pb::ingest_service_server::IngestService for IngestApi {
    async fn ingest(&self, req: Request<pb::IngestRequest>) -> Reply<pb::IngestResponse> {
        let records = req
            .into_inner()
            .records
            .into_iter()
            .enumerate()
            .map(|(i, r)| ingested_record(i, r))
            .collect::<Result<Vec<_>, _>>()?;
        let inserted = self.logs.ingest(&records).await.map_err(to_status)?;
        // Nothing new means a batch sent again (its answer was lost): it was announced when
        // it was stored. The store counts new records but does not say which they are, so
        // a partly new batch is announced whole; the hub drops the ends it already sent.
        if inserted > 0 {
            for record in records {
                match &self.relayed {
                    Some(relayed) => relayed.finish(&self.events, record),
                    None => self.events.send(Event::ExecutionFinished(record)),
                }
            }
        }
        Ok(Response::new(pb::IngestResponse {
            // At most MAX_INGEST_RECORDS, far below u32::MAX.
            inserted: u32::try_from(inserted).unwrap_or(u32::MAX),
        }))
    }
}

#[derive(Debug, Clone)]
pub struct InfoApi(pub Info);

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

#[derive(Debug, Clone)]
pub struct WorkerApi(pub Workers);

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
                .map(|(w, online)| worker_to_pb(w, *online))
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

/// Serves `Watch` from the master's event hub.
#[derive(Debug, Clone)]
pub struct EventApi {
    pub events: EventHub,
    pub shutdown: CancellationToken,
}

fn event_to_pb(e: &Event, want: &pb::WatchRequest) -> Option<pb::event::Event> {
    use pb::event::Event as E;
    match e {
        Event::Job(change) if want.jobs => Some(E::Job(match change {
            JobChange::Put(v) => pb::JobEvent {
                kind: pb::job_event::Kind::Saved as i32,
                job: Some(job_to_pb(&v.value, v.revision)),
            },
            JobChange::Deleted { name, revision } => pb::JobEvent {
                kind: pb::job_event::Kind::Deleted as i32,
                job: Some(pb::Job {
                    name: name.clone(),
                    revision: *revision,
                    ..Default::default()
                }),
            },
        })),
        Event::ExecutionStarted(r) if want.executions => Some(E::Execution(pb::ExecutionEvent {
            kind: pb::execution_event::Kind::Started as i32,
            record: Some(record_to_pb(r)),
        })),
        Event::ExecutionFinished(r) if want.executions => Some(E::Execution(pb::ExecutionEvent {
            kind: pb::execution_event::Kind::Finished as i32,
            record: Some(record_to_pb(r)),
        })),
        Event::Worker { info, online } if want.workers => Some(E::Worker(pb::WorkerEvent {
            kind: pb::worker_event::Kind::Updated as i32,
            worker: Some(worker_to_pb(info, *online)),
        })),
        // The runs' end will not come: watchers re-read what runs.
        Event::Resync | Event::RunsGivenUp(_) => Some(E::Resync(pb::Resync {})),
        _ => None,
    }
}

type EventStream = Pin<Box<dyn Stream<Item = Result<pb::Event, Status>> + Send>>;

#[tonic::async_trait]
impl pb::event_service_server::EventService for EventApi {
    type WatchStream = EventStream;

    async fn watch(&self, req: Request<pb::WatchRequest>) -> Reply<Self::WatchStream> {
        let mut want = req.into_inner();
        if !(want.jobs || want.executions || want.workers) {
            want = pb::WatchRequest {
                jobs: true,
                executions: true,
                workers: true,
            };
        }
        let mut rx = self.events.subscribe();
        let shutdown = self.shutdown.clone();
        let resync = || pb::Event {
            event: Some(pb::event::Event::Resync(pb::Resync {})),
        };
        let stream = async_stream(move |tx| async move {
            if !send_or_stop(&tx, Ok(resync()), &shutdown).await {
                return;
            }
            loop {
                let next = tokio::select! {
                    () = shutdown.cancelled() => return,
                    next = rx.recv() => next,
                };
                let msg = match next {
                    Ok(e) => match event_to_pb(&e, &want) {
                        Some(ev) => pb::Event { event: Some(ev) },
                        None => continue,
                    },
                    // The client re-reads what it shows; the stream goes on.
                    Err(broadcast::error::RecvError::Lagged(_)) => resync(),
                    Err(broadcast::error::RecvError::Closed) => return,
                };
                if !send_or_stop(&tx, Ok(msg), &shutdown).await {
                    return;
                }
            }
        });
        Ok(Response::new(stream))
    }
}

/// A stream fed by a task; the task ends when the client goes away.
fn async_stream<F, Fut>(f: F) -> EventStream
where
    F: FnOnce(tokio::sync::mpsc::Sender<Result<pb::Event, Status>>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel(256);
    tokio::spawn(f(tx));
    Box::pin(tokio_stream::wrappers::ReceiverStream::new(rx))
}

/// Sends one item of a server stream; false when the stream should end: the client is gone,
/// or the master is stopping. A client that stops reading fills the channel and would
/// otherwise hold the send, and with it the server's graceful shutdown, for ever.
async fn send_or_stop<T>(
    tx: &tokio::sync::mpsc::Sender<T>,
    item: T,
    shutdown: &CancellationToken,
) -> bool {
    tokio::select! {
        biased;
        () = shutdown.cancelled() => false,
        sent = tx.send(item) => sent.is_ok(),
    }
}

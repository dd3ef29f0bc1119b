//! Server-sent events: the event stream (`/api/v1/events`) and the log tail
//! (`/api/v1/log/tail/{name}`), the same streams gRPC's `Watch` and `TailLog` send. Each
//! event's data is one JSON object; a comment every 15 s keeps proxies from closing a quiet
//! stream. A client that fell behind gets a last `fell-behind` event (`{"message": ...}`)
//! and the stream closes; an `EventSource` connects again on its own and starts with a
//! resync.

use std::convert::Infallible;

use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use schedd_core::OutputStream;
use schedd_core::store::JobChange;
use serde_json::json;
use tokio_stream::{Stream, StreamExt};

use super::params::Params;
use super::workers::WorkerJson;
use super::{ApiError, Who};
use crate::service::{
    FellBehind, Services, TailItem, WatchFilter, WatchItem, WorkerStatus, as_seen_by,
};

fn event(name: &str, data: &serde_json::Value) -> Result<Event, Infallible> {
    Ok(Event::default().event(name).data(data.to_string()))
}

/// The last event of a stream whose client fell behind.
fn fell_behind(e: &FellBehind) -> Result<Event, Infallible> {
    event("fell-behind", &json!({ "message": e.to_string() }))
}

fn watch_event(
    item: Result<WatchItem, FellBehind>,
    who: &schedd_core::Actor,
) -> Result<Event, Infallible> {
    let item = match item {
        Ok(item) => item,
        Err(e) => return fell_behind(&e),
    };
    match item {
        WatchItem::Resync => event("resync", &json!({})),
        WatchItem::Job(JobChange::Put(v)) => event(
            "job",
            &json!({"kind": "saved", "job": as_seen_by(who, v.value)}),
        ),
        WatchItem::Job(JobChange::Deleted { name, .. }) => {
            event("job", &json!({"kind": "deleted", "job": {"name": name}}))
        }
        WatchItem::ExecutionStarted(r) => {
            event("execution", &json!({"kind": "started", "record": r}))
        }
        WatchItem::ExecutionFinished(r) => {
            event("execution", &json!({"kind": "finished", "record": r}))
        }
        WatchItem::Worker(info, online) => {
            let worker = WorkerJson::from(WorkerStatus { info, online });
            event("worker", &json!({ "worker": worker }))
        }
    }
}

/// Job, execution and worker events as server-sent events, opened by `resync`.
#[utoipa::path(operation_id = "watch", get, path = "/events", tag = "live",
    params(("jobs" = Option<bool>, Query), ("executions" = Option<bool>, Query),
           ("workers" = Option<bool>, Query)),
    responses((status = 200, description = "Events: resync, job, execution, worker; fell-behind last, when the client read too slowly (connect again)", content_type = "text/event-stream", body = String)))]
pub async fn watch(
    State(s): State<Services>,
    Who(who): Who,
    params: Params,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let filter = WatchFilter {
        jobs: params.flag("jobs")?.unwrap_or(false),
        executions: params.flag("executions")?.unwrap_or(false),
        workers: params.flag("workers")?.unwrap_or(false),
    };
    let stream = s
        .events
        .watch(filter)
        .map(move |item| watch_event(item, &who));
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

fn tail_event(item: Result<TailItem, FellBehind>) -> Result<Event, Infallible> {
    let item = match item {
        Ok(item) => item,
        Err(e) => return fell_behind(&e),
    };
    match item {
        TailItem::Started(r) => event("started", &json!(r)),
        TailItem::Output(c) => event(
            "output",
            &json!({
                "executionId": c.execution_id,
                "jobName": c.job_name,
                "stream": match c.stream {
                    OutputStream::Stdout => "stdout",
                    OutputStream::Stderr => "stderr",
                },
                "data": String::from_utf8_lossy(&c.data),
            }),
        ),
        TailItem::Finished(r) => event("finished", &json!(r)),
    }
}

/// A job's running executions as server-sent events: `started`, `output`, `finished`.
#[utoipa::path(operation_id = "tailLog", get, path = "/log/tail/{name}", tag = "live",
    params(("name" = String, Path), ("follow" = Option<bool>, Query, description = "Go on with the next runs")),
    responses((status = 200, description = "Events: started, output, finished; fell-behind last, when the client read too slowly (connect again)", content_type = "text/event-stream", body = String)))]
pub async fn tail(
    State(s): State<Services>,
    Path(name): Path<String>,
    params: Params,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let follow = params.flag("follow")?.unwrap_or(false);
    let stream = s.logs.tail(&name, follow).await?.map(tail_event);
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

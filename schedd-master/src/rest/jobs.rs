//! `/api/v1/job/…`: the old system's job routes, and run now and next fire times.

use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, header};
use axum::response::IntoResponse;
use bytes::Bytes;
use schedd_core::Job;
use serde::Serialize;

use super::openapi::JobSchema;
use super::params::{Params, json_body};
use super::{ApiError, ApiResult, Data, Envelope, Who, code};
use crate::service::{FireTimes, ServiceError, Services};

/// The job's revision as an entity tag: `GET /job/{name}` sends it, and a save with
/// `If-Match` set to it changes the job only if nobody changed it meanwhile.
fn etag(revision: i64) -> [(HeaderName, String); 1] {
    [(header::ETAG, format!("\"{revision}\""))]
}

/// The revision a save expects: `If-Match: "<revision>"`, or 0 (no job yet) for
/// `If-None-Match: *`; `None` without either.
fn expected_revision(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    if let Some(v) = headers.get(header::IF_MATCH) {
        let text = v.to_str().unwrap_or("").trim();
        let bare = text.trim_start_matches("W/").trim_matches('"');
        return bare
            .parse::<i64>()
            .ok()
            .filter(|r| *r > 0)
            .map(Some)
            .ok_or_else(|| {
                ApiError::bad_parameter(format!(
                    "If-Match: expected a job's ETag (a revision such as \"12\"), got `{}`",
                    text.chars().take(64).collect::<String>()
                ))
            });
    }
    match headers
        .get(header::IF_NONE_MATCH)
        .map(|v| v.to_str().unwrap_or("").trim())
    {
        None => Ok(None),
        Some("*") => Ok(Some(0)),
        Some(other) => Err(ApiError::bad_parameter(format!(
            "If-None-Match: only `*` (create, never replace) is understood, got `{}`",
            other.chars().take(64).collect::<String>()
        ))),
    }
}

/// Create or replace a job. With `If-Match` (the ETag of `GET /job/{name}`), only if the
/// job is still at that revision; with `If-None-Match: *`, only if there is no such job.
/// Either way a job changed meanwhile is code 1000, and nothing is stored.
#[utoipa::path(operation_id = "saveJob", post, path = "/job/save", tag = "jobs", request_body = JobSchema,
    params(("If-Match" = Option<String>, Header, description = "The ETag the job must still have"),
           ("If-None-Match" = Option<String>, Header, description = "`*`: create only")),
    responses((status = 200, description = "The saved job; ETag: its revision", body = Envelope<JobSchema>),
              (status = 413, description = "The body is over 1 MiB", body = Envelope<serde_json::Value>)))]
pub async fn save(
    State(s): State<Services>,
    Who(who): Who,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let expected = expected_revision(&headers)?;
    let job: Job = json_body(body)?;
    let saved = s.jobs.save(&who, job, expected).await?;
    Ok((etag(saved.job.revision), Data(saved.job.value)))
}

/// Delete a job.
#[utoipa::path(operation_id = "deleteJob", delete, path = "/job/{name}", tag = "jobs", params(("name" = String, Path)),
    responses((status = 200, description = "The deleted job", body = Envelope<JobSchema>)))]
pub async fn delete(
    State(s): State<Services>,
    Who(who): Who,
    Path(name): Path<String>,
) -> ApiResult<Job> {
    Ok(Data(s.jobs.delete(&who, &name).await?.value))
}

/// Jobs by name; `keyword` matches name, command or description, in any case.
#[utoipa::path(operation_id = "listJobs", get, path = "/job/list", tag = "jobs",
    params(("keyword" = Option<String>, Query, description = "Text to look for")),
    responses((status = 200, description = "The jobs", body = Envelope<Vec<JobSchema>>)))]
pub async fn list(State(s): State<Services>, Who(who): Who, params: Params) -> ApiResult<Vec<Job>> {
    let jobs = s.jobs.list(&who, params.text("keyword")).await?;
    Ok(Data(jobs.into_iter().map(|v| v.value).collect()))
}

/// One job; its ETag is its revision, for a save that must not overwrite another's change.
#[utoipa::path(operation_id = "getJob", get, path = "/job/{name}", tag = "jobs", params(("name" = String, Path)),
    responses((status = 200, description = "The job; ETag: its revision", body = Envelope<JobSchema>)))]
pub async fn get(
    State(s): State<Services>,
    Who(who): Who,
    Path(name): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let job = s.jobs.get(&who, &name).await?;
    Ok((etag(job.revision), Data(job.value)))
}

/// Kill the job's running executions, wherever they run.
#[utoipa::path(operation_id = "killJob", post, path = "/job/kill/{name}", tag = "jobs", params(("name" = String, Path)),
    responses((status = 200, description = "Kill sent", body = Envelope<serde_json::Value>)))]
pub async fn kill(
    State(s): State<Services>,
    Who(who): Who,
    Path(name): Path<String>,
) -> ApiResult<()> {
    s.jobs.kill(&who, &name).await.map_err(|e| match e {
        // The old API's "kill failed": the signal could not be sent.
        ServiceError::Unavailable { .. } | ServiceError::Corrupt { .. } => {
            ApiError::new(code::KILL_FAILED, e.to_string())
        }
        e => e.into(),
    })?;
    Ok(Data(()))
}

/// Disable a job: it stops firing.
#[utoipa::path(operation_id = "disableJob", post, path = "/job/disable/{name}", tag = "jobs", params(("name" = String, Path)),
    responses((status = 200, description = "The job", body = Envelope<JobSchema>)))]
pub async fn disable(
    State(s): State<Services>,
    Who(who): Who,
    Path(name): Path<String>,
) -> ApiResult<Job> {
    Ok(Data(
        s.jobs.set_disabled(&who, &name, true).await?.after.value,
    ))
}

/// Enable a job.
#[utoipa::path(operation_id = "enableJob", post, path = "/job/enable/{name}", tag = "jobs", params(("name" = String, Path)),
    responses((status = 200, description = "The job", body = Envelope<JobSchema>)))]
pub async fn enable(
    State(s): State<Services>,
    Who(who): Who,
    Path(name): Path<String>,
) -> ApiResult<Job> {
    Ok(Data(
        s.jobs.set_disabled(&who, &name, false).await?.after.value,
    ))
}

/// The names of the jobs with an execution running now.
#[utoipa::path(operation_id = "listRunningJobs", get, path = "/job/running", tag = "jobs",
    responses((status = 200, description = "Job names, sorted", body = Envelope<Vec<String>>)))]
pub async fn running(State(s): State<Services>) -> ApiResult<Vec<String>> {
    Ok(Data(s.logs.running_jobs()))
}

/// What `POST /job/run/{name}` answers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RunJson {
    /// The execution id the run's record will have.
    pub execution_id: String,
}

/// Run a job now, whatever its schedule.
#[utoipa::path(operation_id = "runJob", post, path = "/job/run/{name}", tag = "jobs", params(("name" = String, Path)),
    responses((status = 200, description = "The run's execution id", body = Envelope<RunJson>)))]
pub async fn run(
    State(s): State<Services>,
    Who(who): Who,
    Path(name): Path<String>,
) -> ApiResult<RunJson> {
    let execution_id = s.jobs.run_now(&who, &name).await?;
    Ok(Data(RunJson { execution_id }))
}

/// When a schedule fires next.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NextJson {
    /// Unix seconds.
    pub times: Vec<i64>,
    /// The zone the schedule is read in.
    pub timezone: String,
    /// The schedule in words.
    pub description: String,
}

impl From<FireTimes> for NextJson {
    fn from(f: FireTimes) -> NextJson {
        NextJson {
            times: f.times.iter().map(chrono::DateTime::timestamp).collect(),
            timezone: f.timezone.name().to_owned(),
            description: f.description,
        }
    }
}

/// The next fire times of a stored job.
#[utoipa::path(operation_id = "nextFireTimesOfJob", get, path = "/job/next/{name}", tag = "jobs",
    params(("name" = String, Path), ("count" = Option<u32>, Query, description = "1-100, default 5")),
    responses((status = 200, description = "Fire times", body = Envelope<NextJson>)))]
pub async fn next_of_job(
    State(s): State<Services>,
    Path(name): Path<String>,
    params: Params,
) -> ApiResult<NextJson> {
    let count = params.number("count")?.unwrap_or(0);
    let next = s.jobs.next_fire_times(&name, "", "", count).await?;
    Ok(Data(next.into()))
}

/// The next fire times of a cron expression, and the expression in words: checks it as
/// `job/save` would.
#[utoipa::path(operation_id = "nextFireTimes", get, path = "/job/next", tag = "jobs",
    params(("cronExpr" = String, Query), ("timezone" = Option<String>, Query),
           ("count" = Option<u32>, Query, description = "1-100, default 5")),
    responses((status = 200, description = "Fire times", body = Envelope<NextJson>)))]
pub async fn next_of_expression(State(s): State<Services>, params: Params) -> ApiResult<NextJson> {
    let count = params.number("count")?.unwrap_or(0);
    let expr = params.text("cronExpr");
    if expr.trim().is_empty() {
        return Err(ApiError::bad_parameter("cronExpr: required"));
    }
    let next = s
        .jobs
        .next_fire_times("", expr, params.text("timezone"), count)
        .await?;
    Ok(Data(next.into()))
}

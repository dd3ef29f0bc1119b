//! `/api/v1/log/…`: execution records in the old system's shape (times in seconds), with
//! schedd's fields beside.

use axum::extract::{Path, State};
use schedd_core::store::LogQuery;
use schedd_core::{ExecutionRecord, ExecutionStatus};
use serde::Serialize;

use super::openapi::RecordSchema;
use super::params::Params;
use super::{ApiError, ApiResult, Data, Envelope};
use crate::service::{JobStats, Services};

/// A page of records.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LogListJson {
    /// Newest first.
    #[schema(value_type = Vec<RecordSchema>)]
    pub logs: Vec<ExecutionRecord>,
    /// Records matching the filters, over all pages.
    pub total: u64,
    /// The page used, from 1.
    pub page: u32,
    /// The page size used.
    pub size: u32,
}

fn status_param(params: &Params) -> Result<Option<ExecutionStatus>, ApiError> {
    let text = params.text("status").trim();
    if text.is_empty() {
        return Ok(None);
    }
    serde_json::from_value(serde_json::Value::String(text.to_lowercase()))
        .map(Some)
        .map_err(|_| {
            ApiError::bad_parameter(format!(
                "status: expected running, success, failed, timeout, killed, skipped or lost, got `{}`",
                text.chars().take(64).collect::<String>()
            ))
        })
}

/// Execution records, newest first.
#[utoipa::path(operation_id = "listLogs", get, path = "/log/list", tag = "logs",
    params(("jobName" = Option<String>, Query, description = "One job; all when empty"),
           ("page" = Option<u32>, Query, description = "From 1"),
           ("pageSize" = Option<u32>, Query, description = "1-500, default 20"),
           ("status" = Option<String>, Query, description = "running lists the executions going on"),
           ("since" = Option<i64>, Query, description = "Unix seconds, inclusive"),
           ("until" = Option<i64>, Query, description = "Unix seconds, exclusive"),
           ("tick" = Option<i64>, Query, description = "Unix seconds: only the runs of that tick (plan time), e.g. every worker's run of a broadcast job's tick")),
    responses((status = 200, description = "A page of records", body = Envelope<LogListJson>)))]
pub async fn list(State(s): State<Services>, params: Params) -> ApiResult<LogListJson> {
    let query = LogQuery {
        job_name: Some(params.text("jobName").to_owned()),
        status: status_param(&params)?,
        since: params.unix_seconds("since")?,
        until: params.unix_seconds("until")?,
        tick: params.unix_seconds("tick")?,
        page: params.number("page")?.unwrap_or(0),
        page_size: params.number("pageSize")?.unwrap_or(0),
    };
    let listing = s.logs.list(query).await?;
    Ok(Data(LogListJson {
        logs: listing.records,
        total: listing.total,
        page: listing.page,
        size: listing.page_size,
    }))
}

/// The executions running now, newest first.
#[utoipa::path(operation_id = "listRunningExecutions", get, path = "/log/running", tag = "logs",
    params(("jobName" = Option<String>, Query, description = "One job; all when empty")),
    responses((status = 200, description = "Running executions", body = Envelope<Vec<RecordSchema>>)))]
pub async fn running(State(s): State<Services>, params: Params) -> ApiResult<Vec<ExecutionRecord>> {
    Ok(Data(s.logs.running(params.text("jobName"))?))
}

/// A job's latest record.
#[utoipa::path(operation_id = "getLatestLog", get, path = "/log/{name}", tag = "logs", params(("name" = String, Path)),
    responses((status = 200, description = "The record", body = Envelope<RecordSchema>)))]
pub async fn latest(
    State(s): State<Services>,
    Path(name): Path<String>,
) -> ApiResult<ExecutionRecord> {
    Ok(Data(s.logs.latest(&name).await?))
}

/// A job's record of the run that started in that unix second.
#[utoipa::path(operation_id = "getLogAt", get, path = "/log/{name}/{timestamp}", tag = "logs",
    params(("name" = String, Path), ("timestamp" = i64, Path, description = "Unix seconds")),
    responses((status = 200, description = "The record", body = Envelope<RecordSchema>)))]
pub async fn at(
    State(s): State<Services>,
    Path((name, timestamp)): Path<(String, String)>,
) -> ApiResult<ExecutionRecord> {
    let secs: i64 = timestamp.trim().parse().map_err(|_| {
        ApiError::bad_parameter(format!(
            "timestamp: expected unix seconds, got `{}`",
            timestamp.chars().take(64).collect::<String>()
        ))
    })?;
    Ok(Data(s.logs.record_at(&name, secs).await?))
}

/// Stats in the old system's names, with schedd's beside.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatsJson {
    /// Empty for every job.
    pub job_name: String,
    pub total_count: u64,
    pub success_count: u64,
    /// Every run that did not succeed, timeouts included.
    pub fail_count: u64,
    pub timeout_count: u64,
    pub killed_count: u64,
    /// Seconds.
    pub avg_duration: f64,
    /// The window, in days.
    pub period: u32,
    /// 0-1.
    pub success_rate: f64,
    /// Seconds.
    pub p50_duration: f64,
    /// Seconds.
    pub p95_duration: f64,
    /// Unix seconds of the newest run.
    pub last_run: Option<i64>,
}

fn stats_json(job_name: String, got: JobStats) -> StatsJson {
    let s = got.stats;
    StatsJson {
        job_name,
        total_count: s.total,
        success_count: s.success,
        fail_count: s.total.saturating_sub(s.success),
        timeout_count: s.timeout,
        killed_count: s.killed,
        avg_duration: s.avg_duration_ms / 1000.0,
        period: got.days,
        success_rate: s.success_rate(),
        p50_duration: s.p50_duration_ms as f64 / 1000.0,
        p95_duration: s.p95_duration_ms as f64 / 1000.0,
        last_run: s.last_run_ms.map(|ms| ms.div_euclid(1000)),
    }
}

/// Stats of one job over the last `days` days.
#[utoipa::path(operation_id = "getLogStats", get, path = "/log/stats/{name}", tag = "logs",
    params(("name" = String, Path), ("days" = Option<u32>, Query, description = "1-366, default 7")),
    responses((status = 200, description = "Stats", body = Envelope<StatsJson>)))]
pub async fn stats(
    State(s): State<Services>,
    Path(name): Path<String>,
    params: Params,
) -> ApiResult<StatsJson> {
    let days = params.number("days")?.unwrap_or(0);
    // Records outlive their job: a deleted job's runs still count.
    let got = s.logs.stats(&name, days).await?;
    Ok(Data(stats_json(name, got)))
}

/// Stats over every job.
#[utoipa::path(operation_id = "getLogStatsOfAllJobs", get, path = "/log/stats/all", tag = "logs",
    params(("days" = Option<u32>, Query, description = "1-366, default 7")),
    responses((status = 200, description = "Stats", body = Envelope<StatsJson>)))]
pub async fn stats_all(State(s): State<Services>, params: Params) -> ApiResult<StatsJson> {
    let days = params.number("days")?.unwrap_or(0);
    let got = s.logs.stats("", days).await?;
    Ok(Data(stats_json(String::new(), got)))
}

//! Execution records: ingest, list, latest, stats, the runs going on, and the log tail (in
//! [`super::tail`]). Paging, windows and ingested records are checked here so every adapter
//! gives the same answer to the same bad request.

use std::sync::Arc;

use schedd_core::store::{JobStore, LogQuery, LogStats, LogStore};
use schedd_core::{Clock, ExecutionRecord, ExecutionStatus, JobName};

use super::error::{Backend, Result, ServiceError, StoreResultExt};
use super::live::Live;

pub const DEFAULT_PAGE_SIZE: u32 = 20;
pub const MAX_PAGE_SIZE: u32 = 500;
pub const DEFAULT_STATS_DAYS: u32 = 7;
pub const MAX_STATS_DAYS: u32 = 366;
/// Most records one ingest call may carry. A worker sends `logBatchSize` records at a time
/// (100 by default), so this only bounds what one call can make the store write at once.
pub const MAX_INGEST_RECORDS: usize = 10_000;
/// Longest accepted execution id, in bytes; ids are UUIDs (36 bytes).
pub const MAX_EXECUTION_ID_LEN: usize = 128;

/// A page of records, with the page and size used.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogListing {
    pub records: Vec<ExecutionRecord>,
    /// Records matching the filters, over all pages.
    pub total: u64,
    /// 1-based.
    pub page: u32,
    pub page_size: u32,
}

/// Stats over a window of days.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct JobStats {
    pub stats: LogStats,
    /// The window used.
    pub days: u32,
}

#[derive(Debug, Clone)]
pub struct Logs {
    store: Arc<dyn LogStore>,
    /// To tell a job that does not exist from one without runs.
    jobs: Arc<dyn JobStore>,
    clock: Arc<dyn Clock>,
    pub(super) live: Live,
}

/// An empty filter means every job; anything else must be a valid name.
fn job_filter(job_name: &str) -> Result<Option<String>> {
    if job_name.is_empty() {
        Ok(None)
    } else {
        Ok(Some(JobName::new(job_name)?.into_string()))
    }
}

/// Longest output or stderr a record may carry: a job's largest `maxOutputBytes`, and room
/// for the note the executor adds when it cuts output short.
pub const MAX_RECORD_OUTPUT: usize = schedd_core::job::MAX_OUTPUT_BYTES as usize + 4096;
/// Longest error text, worker id or worker address a record may carry.
pub const MAX_RECORD_ERROR: usize = 64 * 1024;
pub const MAX_RECORD_WORKER_FIELD: usize = 256;
/// How far past the master's clock a record's times may be: workers' clocks drift.
pub const MAX_CLOCK_AHEAD_MS: i64 = 24 * 3600 * 1000;

/// Why a record cannot be stored (at `now_ms` on the master's clock), or None if it can.
/// Most deliveries of notices a record carries: one per event (six) per webhook (eight).
const MAX_RECORD_NOTIFICATIONS: usize = 48;

fn record_problem(r: &ExecutionRecord, now_ms: i64) -> Option<String> {
    let too_long = |field: &str, len: usize, limit: usize| {
        (len > limit).then(|| format!("{field} is {len} bytes long; the limit is {limit}"))
    };
    let checks = [
        too_long(
            "command",
            r.command.len(),
            schedd_core::job::MAX_COMMAND_LEN,
        ),
        too_long("output", r.output.len(), MAX_RECORD_OUTPUT),
        too_long("stderr", r.stderr.len(), MAX_RECORD_OUTPUT),
        too_long("error", r.error.len(), MAX_RECORD_ERROR),
        too_long("workerId", r.worker_id.len(), MAX_RECORD_WORKER_FIELD),
        too_long("workerIp", r.worker_ip.len(), MAX_RECORD_WORKER_FIELD),
        too_long(
            "parentExecutionId",
            r.parent_execution_id.len(),
            MAX_EXECUTION_ID_LEN,
        ),
        (r.notifications.len() > MAX_RECORD_NOTIFICATIONS).then(|| {
            format!(
                "notifications: {} deliveries; the limit is {MAX_RECORD_NOTIFICATIONS}",
                r.notifications.len()
            )
        }),
        r.notifications.iter().find_map(|d| {
            too_long(
                "notifications.url",
                d.url.len(),
                schedd_core::http::MAX_URL_LEN,
            )
            .or_else(|| too_long("notifications.error", d.error.len(), MAX_RECORD_ERROR))
            .or_else(|| too_long("notifications.event", d.event.len(), 16))
        }),
    ];
    if let Some(problem) = checks.into_iter().flatten().next() {
        return Some(problem);
    }
    let latest = now_ms.saturating_add(MAX_CLOCK_AHEAD_MS);
    for (field, ms) in [
        ("planTime", r.plan_time_ms),
        ("scheduleTime", r.schedule_time_ms),
        ("startTime", r.start_time_ms),
        ("endTime", r.end_time_ms),
    ] {
        if !(0..=latest).contains(&ms) {
            return Some(format!(
                "{field} ({ms} ms) is out of range: before 1970 or more than a day ahead of the master's clock"
            ));
        }
    }
    if r.execution_id.is_empty() {
        return Some("the execution id is empty".into());
    }
    if r.execution_id.len() > MAX_EXECUTION_ID_LEN {
        return Some(format!(
            "the execution id is {} bytes long; the limit is {MAX_EXECUTION_ID_LEN}",
            r.execution_id.len()
        ));
    }
    if let Err(e) = JobName::new(r.job_name.as_str()) {
        return Some(e.to_string());
    }
    if r.status == ExecutionStatus::Running {
        return Some("the status is running; only finished executions are stored".into());
    }
    if r.end_time_ms < r.start_time_ms {
        return Some(format!(
            "the end time ({} ms) is before the start time ({} ms)",
            r.end_time_ms, r.start_time_ms
        ));
    }
    None
}

/// The query with its defaults filled in: page 0 means 1 and size 0 means
/// [`DEFAULT_PAGE_SIZE`]; a size over [`MAX_PAGE_SIZE`] is an error rather than a silent cut.
fn checked_query(mut query: LogQuery) -> Result<LogQuery> {
    if let Some(job) = query.job_name.take() {
        query.job_name = job_filter(&job)?;
    }
    query.page = query.page.max(1);
    if query.page_size == 0 {
        query.page_size = DEFAULT_PAGE_SIZE;
    }
    if query.page_size > MAX_PAGE_SIZE {
        return Err(ServiceError::Invalid(format!(
            "pageSize: must be at most {MAX_PAGE_SIZE}, got {}",
            query.page_size
        )));
    }
    if let (Some(since), Some(until)) = (query.since, query.until)
        && since >= until
    {
        return Err(ServiceError::Invalid(
            "since: must be before until (the time range is empty)".into(),
        ));
    }
    Ok(query)
}

impl Logs {
    pub fn new(
        store: Arc<dyn LogStore>,
        jobs: Arc<dyn JobStore>,
        clock: Arc<dyn Clock>,
        live: Live,
    ) -> Logs {
        Logs {
            store,
            jobs,
            clock,
            live,
        }
    }

    /// The name of job `name` as stored, or `JobNotFound`.
    pub(super) async fn job(&self, name: &JobName) -> Result<String> {
        match self.jobs.get(name).await.on(Backend::Jobs)? {
            Some(job) => Ok(job.value.name),
            None => Err(ServiceError::JobNotFound(name.to_string())),
        }
    }

    /// A page of records, newest first; see [`checked_query`] for the paging rules. With
    /// status `Running`, the executions going on now (which the store does not hold), with
    /// the same filters and paging.
    pub async fn list(&self, query: LogQuery) -> Result<LogListing> {
        if query.status == Some(ExecutionStatus::Running) {
            return list_running(query, self.live.events.running());
        }
        let query = checked_query(query)?;
        let page = self.store.list(&query).await.on(Backend::Logs)?;
        Ok(LogListing {
            records: page.records,
            total: page.total,
            page: query.page,
            page_size: query.page_size,
        })
    }

    /// The executions going on now, of one job or of every job, newest first.
    pub fn running(&self, job_name: &str) -> Result<Vec<ExecutionRecord>> {
        let job = job_filter(job_name)?;
        let mut running = self.live.events.running();
        running.retain(|r| job.as_ref().is_none_or(|j| r.job_name == *j));
        sort_newest_first(&mut running);
        Ok(running)
    }

    /// The names of the jobs with an execution going on now, sorted.
    pub fn running_jobs(&self) -> Vec<String> {
        let names: std::collections::BTreeSet<String> = self
            .live
            .events
            .running()
            .into_iter()
            .map(|r| r.job_name)
            .collect();
        names.into_iter().collect()
    }

    /// The job's record of the run that started in unix second `start_time` (the newest,
    /// should several have).
    pub async fn record_at(&self, job_name: &str, start_time: i64) -> Result<ExecutionRecord> {
        let name = JobName::new(job_name)?;
        let at = |s: i64| {
            chrono::DateTime::from_timestamp(s, 0).ok_or_else(|| {
                ServiceError::Invalid(format!("timestamp: {start_time} is out of range"))
            })
        };
        let query = LogQuery {
            job_name: Some(name.as_str().to_owned()),
            since: Some(at(start_time)?),
            until: Some(at(start_time.saturating_add(1))?),
            page: 1,
            page_size: 1,
            ..Default::default()
        };
        let page = self.store.list(&query).await.on(Backend::Logs)?;
        match page.records.into_iter().next() {
            Some(record) => Ok(record),
            None => {
                self.job(&name).await?;
                Err(ServiceError::RecordNotFound(format!(
                    "job `{name}` has no execution that started at {start_time}"
                )))
            }
        }
    }

    pub async fn latest(&self, job_name: &str) -> Result<ExecutionRecord> {
        let name = JobName::new(job_name)?;
        match self.store.latest(name.as_str()).await.on(Backend::Logs)? {
            Some(record) => Ok(record),
            None => {
                self.job(&name).await?;
                Err(ServiceError::RecordNotFound(format!(
                    "job `{name}` has no executions yet"
                )))
            }
        }
    }

    /// Stats over the last `days` days (0 means [`DEFAULT_STATS_DAYS`]).
    pub async fn stats(&self, job_name: &str, days: u32) -> Result<JobStats> {
        let job = job_filter(job_name)?;
        let days = if days == 0 { DEFAULT_STATS_DAYS } else { days };
        if days > MAX_STATS_DAYS {
            return Err(ServiceError::Invalid(format!(
                "days: must be at most {MAX_STATS_DAYS}, got {days}"
            )));
        }
        let since = self.clock.now() - chrono::Duration::days(i64::from(days));
        let stats = self
            .store
            .stats(job.as_deref(), since)
            .await
            .on(Backend::Logs)?;
        Ok(JobStats { stats, days })
    }

    /// Stores finished execution records sent by a worker, and announces them; returns how
    /// many were new (the store skips execution ids it already has, so a batch sent again
    /// stores nothing).
    ///
    /// The batch is checked whole before anything is written: one bad record rejects it
    /// with `Invalid`, naming the record's index and the problem, and stores nothing (bad
    /// input changes nothing, DESIGN.md guarantee 7). A store that cannot take the records
    /// now gives `Unavailable`, which the worker retries.
    pub async fn ingest(&self, records: &[ExecutionRecord]) -> Result<usize> {
        if records.len() > MAX_INGEST_RECORDS {
            return Err(ServiceError::Invalid(format!(
                "a batch holds at most {MAX_INGEST_RECORDS} records, got {}",
                records.len()
            )));
        }
        let now_ms = schedd_core::unix_ms(self.clock.now());
        for (i, r) in records.iter().enumerate() {
            if let Some(problem) = record_problem(r, now_ms) {
                // A missing or oversized id says nothing useful; the index still does.
                let id = if r.execution_id.is_empty() || r.execution_id.len() > MAX_EXECUTION_ID_LEN
                {
                    String::new()
                } else {
                    format!(" (execution `{}`)", r.execution_id)
                };
                return Err(ServiceError::Invalid(format!("record {i}{id}: {problem}")));
            }
        }
        if records.is_empty() {
            return Ok(0);
        }
        let inserted = self.store.insert(records).await.on(Backend::Logs)?;
        // Nothing new means a batch sent again (its answer was lost): it was announced when
        // it was stored. The store counts new records but does not say which they are, so
        // a partly new batch is announced whole; the hub drops the ends it already sent.
        // An end whose run's output is still being relayed is held back until the relay
        // has passed the output on.
        if inserted > 0 {
            for record in records {
                self.live.relayed.finish(&self.live.events, record.clone());
            }
        }
        Ok(inserted)
    }
}

/// Newest first; ties by execution id, so pages are stable.
fn sort_newest_first(records: &mut [ExecutionRecord]) {
    records.sort_by(|a, b| {
        b.start_time_ms
            .cmp(&a.start_time_ms)
            .then_with(|| a.execution_id.cmp(&b.execution_id))
    });
}

/// A page of `running` (the executions going on now), with the filters and paging rules
/// of stored records.
fn list_running(query: LogQuery, mut running: Vec<ExecutionRecord>) -> Result<LogListing> {
    let query = checked_query(query)?;
    running.retain(|r| {
        query.job_name.as_ref().is_none_or(|j| r.job_name == *j)
            && query
                .since
                .is_none_or(|t| r.start_time_ms >= schedd_core::unix_ms(t))
            && query
                .until
                .is_none_or(|t| r.start_time_ms < schedd_core::unix_ms(t))
            && query
                .tick_window()
                .is_none_or(|(from, to)| (from..to).contains(&r.plan_time_ms))
    });
    sort_newest_first(&mut running);
    let total = running.len() as u64;
    let skip = (query.page as usize - 1).saturating_mul(query.page_size as usize);
    let records = running
        .into_iter()
        .skip(skip)
        .take(query.page_size as usize)
        .collect();
    Ok(LogListing {
        records,
        total,
        page: query.page,
        page_size: query.page_size,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The master's clock in these tests: a little after the records' times.
    const NOW: i64 = 1_700_000_100_000;

    fn finished() -> ExecutionRecord {
        ExecutionRecord {
            execution_id: "e1".into(),
            job_name: "backup".into(),
            start_time_ms: 1_700_000_000_000,
            end_time_ms: 1_700_000_000_500,
            status: ExecutionStatus::Failed,
            attempt: 1,
            ..Default::default()
        }
    }

    #[test]
    fn running_executions_are_filtered_and_paged_like_stored_ones() {
        let run = |id: &str, job: &str, start: i64| ExecutionRecord {
            execution_id: id.into(),
            job_name: job.into(),
            start_time_ms: start,
            status: ExecutionStatus::Running,
            ..Default::default()
        };
        let running = vec![
            run("a1", "a", 1_000),
            run("a3", "a", 3_000),
            run("b2", "b", 2_000),
            run("a2", "a", 2_000),
        ];
        let query = |job: &str, page: u32, page_size: u32| LogQuery {
            job_name: Some(job.into()),
            page,
            page_size,
            ..Default::default()
        };
        let ids = |page: &LogListing| -> Vec<String> {
            page.records
                .iter()
                .map(|r| r.execution_id.clone())
                .collect()
        };
        let page = list_running(query("a", 0, 2), running.clone()).expect("list");
        assert_eq!(
            (ids(&page), page.total, page.page, page.page_size),
            (vec!["a3".into(), "a2".into()], 3, 1, 2)
        );
        let page = list_running(query("a", 2, 2), running.clone()).expect("list");
        assert_eq!(ids(&page), ["a1"]);
        let page = list_running(query("", 1, 0), running.clone()).expect("list");
        assert_eq!(ids(&page), ["a3", "a2", "b2", "a1"]);
        let since = LogQuery {
            since: chrono::DateTime::from_timestamp_millis(2_000),
            until: chrono::DateTime::from_timestamp_millis(3_000),
            ..query("", 1, 20)
        };
        let page = list_running(since, running.clone()).expect("list");
        assert_eq!(ids(&page), ["a2", "b2"]);
        // The same rules as for stored records.
        assert!(list_running(query("a", 1, 10_000), running.clone()).is_err());
        assert!(list_running(query("a b", 1, 20), running).is_err());
    }

    #[test]
    fn a_finished_record_is_accepted() {
        assert_eq!(record_problem(&finished(), NOW), None);
        let instant = ExecutionRecord {
            end_time_ms: 1_700_000_000_000,
            ..finished()
        };
        assert_eq!(record_problem(&instant, NOW), None, "end == start is fine");
    }

    #[test]
    fn each_problem_of_a_record_is_named() {
        let cases: Vec<(ExecutionRecord, &str)> = vec![
            (
                ExecutionRecord {
                    execution_id: String::new(),
                    ..finished()
                },
                "execution id is empty",
            ),
            (
                ExecutionRecord {
                    execution_id: "x".repeat(MAX_EXECUTION_ID_LEN + 1),
                    ..finished()
                },
                "the limit is 128",
            ),
            (
                ExecutionRecord {
                    job_name: "a b".into(),
                    ..finished()
                },
                "job name `a b`",
            ),
            (
                ExecutionRecord {
                    job_name: String::new(),
                    ..finished()
                },
                "job name is empty",
            ),
            (
                ExecutionRecord {
                    status: ExecutionStatus::Running,
                    ..finished()
                },
                "status is running",
            ),
            (
                ExecutionRecord {
                    end_time_ms: 1_699_999_999_999,
                    ..finished()
                },
                "before the start time",
            ),
            (
                ExecutionRecord {
                    command: "x".repeat(schedd_core::job::MAX_COMMAND_LEN + 1),
                    ..finished()
                },
                "command is 65537 bytes long",
            ),
            (
                ExecutionRecord {
                    output: "x".repeat(MAX_RECORD_OUTPUT + 1),
                    ..finished()
                },
                "output is",
            ),
            (
                ExecutionRecord {
                    stderr: "x".repeat(MAX_RECORD_OUTPUT + 1),
                    ..finished()
                },
                "stderr is",
            ),
            (
                ExecutionRecord {
                    worker_id: "w".repeat(300),
                    ..finished()
                },
                "workerId is 300 bytes",
            ),
            (
                ExecutionRecord {
                    start_time_ms: -5,
                    end_time_ms: 0,
                    ..finished()
                },
                "startTime (-5 ms) is out of range",
            ),
            (
                ExecutionRecord {
                    start_time_ms: NOW + 2 * MAX_CLOCK_AHEAD_MS,
                    end_time_ms: NOW + 2 * MAX_CLOCK_AHEAD_MS,
                    ..finished()
                },
                "startTime",
            ),
        ];
        for (record, want) in cases {
            let problem = record_problem(&record, NOW).expect(want);
            assert!(problem.contains(want), "{want:?} not in {problem:?}");
        }
    }
}

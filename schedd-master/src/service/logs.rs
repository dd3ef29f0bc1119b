//! Execution records: list, latest, stats. Paging and windows are checked here so every
//! adapter gives the same answer to the same bad request.

use std::sync::Arc;

use schedd_core::store::{LogPage, LogQuery, LogStats, LogStore};
use schedd_core::{Clock, ExecutionRecord, JobName};

use crate::error::{Result, ServiceError};

pub const DEFAULT_PAGE_SIZE: u32 = 20;
pub const MAX_PAGE_SIZE: u32 = 500;
pub const DEFAULT_STATS_DAYS: u32 = 7;
pub const MAX_STATS_DAYS: u32 = 366;

#[derive(Debug, Clone)]
pub struct Logs {
    store: Arc<dyn LogStore>,
    clock: Arc<dyn Clock>,
}

/// An empty filter means every job; anything else must be a valid name.
fn job_filter(job_name: &str) -> Result<Option<String>> {
    if job_name.is_empty() {
        Ok(None)
    } else {
        Ok(Some(JobName::new(job_name)?.into_string()))
    }
}

impl Logs {
    pub fn new(store: Arc<dyn LogStore>, clock: Arc<dyn Clock>) -> Logs {
        Logs { store, clock }
    }

    /// Page 0 means 1 and size 0 means [`DEFAULT_PAGE_SIZE`]; a size over
    /// [`MAX_PAGE_SIZE`] is an error rather than a silent cut.
    pub async fn list(&self, mut query: LogQuery) -> Result<(LogPage, u32, u32)> {
        if let Some(job) = query.job_name.take() {
            query.job_name = job_filter(&job)?;
        }
        query.page = query.page.max(1);
        if query.page_size == 0 {
            query.page_size = DEFAULT_PAGE_SIZE;
        }
        if query.page_size > MAX_PAGE_SIZE {
            return Err(ServiceError::Invalid(format!(
                "page size must be at most {MAX_PAGE_SIZE}, got {}",
                query.page_size
            )));
        }
        if let (Some(since), Some(until)) = (query.since, query.until)
            && since >= until
        {
            return Err(ServiceError::Invalid(
                "the time range is empty (since >= until)".into(),
            ));
        }
        let page = self.store.list(&query).await?;
        Ok((page, query.page, query.page_size))
    }

    pub async fn latest(&self, job_name: &str) -> Result<ExecutionRecord> {
        let name = JobName::new(job_name)?;
        self.store
            .latest(name.as_str())
            .await?
            .ok_or_else(|| ServiceError::NotFound(format!("job `{name}` has no executions yet")))
    }

    /// Stats over the last `days` days (0 means [`DEFAULT_STATS_DAYS`]).
    pub async fn stats(&self, job_name: &str, days: u32) -> Result<(LogStats, u32)> {
        let job = job_filter(job_name)?;
        let days = if days == 0 { DEFAULT_STATS_DAYS } else { days };
        if days > MAX_STATS_DAYS {
            return Err(ServiceError::Invalid(format!(
                "days must be at most {MAX_STATS_DAYS}, got {days}"
            )));
        }
        let since = self.clock.now() - chrono::Duration::days(i64::from(days));
        Ok((self.store.stats(job.as_deref(), since).await?, days))
    }
}

//! The storage traits. The master and the worker see jobs, execution records and kill or
//! run-now signals only through these; `schedd-store` has the backends (SQLite for one
//! process, etcd and MongoDB for clusters).

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tokio::sync::broadcast;

use crate::audit::{AuditEntry, AuditPage, AuditQuery};
use crate::execution::{ExecutionRecord, ExecutionStatus};
use crate::job::Job;
use crate::name::JobName;
use crate::worker::WorkerInfo;

/// A value and the store revision it was written at. Revisions grow with every write to the
/// store, across all keys, so a watcher can tell which of two versions is newer.
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned<T> {
    pub value: T,
    pub revision: i64,
}

/// The condition a write is made under (compare-and-swap).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Write whatever is there.
    Any,
    /// Write only if the key does not exist.
    Absent,
    /// Write only if the key is at this revision.
    Revision(i64),
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("job `{0}` not found")]
    NotFound(String),
    #[error("job `{name}` was changed concurrently (expected revision {expected}, found {found})")]
    Conflict {
        name: String,
        expected: i64,
        found: i64,
    },
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("store unavailable: {0}")]
    Unavailable(String),
}

/// A change to the set of jobs.
// Nearly every change is a Put; boxing it would add an allocation per change to save space
// only on the rare Deleted.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum JobChange {
    Put(Versioned<Job>),
    Deleted { name: String, revision: i64 },
}

impl JobChange {
    pub fn revision(&self) -> i64 {
        match self {
            JobChange::Put(v) => v.revision,
            JobChange::Deleted { revision, .. } => *revision,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            JobChange::Put(v) => &v.value.name,
            JobChange::Deleted { name, .. } => name,
        }
    }
}

/// The outcome of a write.
#[derive(Debug, Clone, PartialEq)]
pub struct PutOutcome {
    pub revision: i64,
    pub previous: Option<Versioned<Job>>,
}

/// Where job definitions live.
///
/// Watching: subscribe with [`JobStore::watch`] *before* calling [`JobStore::list`], then
/// apply only changes newer than the listed revision. A receiver that lags gets
/// `RecvError::Lagged` and must list again: nothing is missed, at worst re-read.
#[async_trait]
pub trait JobStore: Send + Sync + std::fmt::Debug {
    async fn get(&self, name: &JobName) -> Result<Option<Versioned<Job>>, StoreError>;
    /// Every job, ordered by name, and the store revision the list was read at.
    async fn list(&self) -> Result<(Vec<Versioned<Job>>, i64), StoreError>;
    async fn put(&self, job: &Job, expect: Expect) -> Result<PutOutcome, StoreError>;
    /// Deletes the job; `NotFound` if there is none.
    async fn delete(&self, name: &JobName) -> Result<Versioned<Job>, StoreError>;
    fn watch(&self) -> broadcast::Receiver<JobChange>;
}

/// Filters for listing execution records, newest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogQuery {
    pub job_name: Option<String>,
    pub status: Option<ExecutionStatus>,
    /// Inclusive lower bound on the start time.
    pub since: Option<DateTime<Utc>>,
    /// Exclusive upper bound on the start time.
    pub until: Option<DateTime<Utc>>,
    /// Only the runs of the tick at this instant (their plan time, to the second): every
    /// worker's run of a broadcast job's tick, say.
    pub tick: Option<DateTime<Utc>>,
    /// 1-based.
    pub page: u32,
    pub page_size: u32,
}

impl LogQuery {
    /// The plan times `[from, to)` in milliseconds of the second [`LogQuery::tick`] names.
    pub fn tick_window(&self) -> Option<(i64, i64)> {
        self.tick.map(|t| {
            let from = t.timestamp() * 1000;
            (from, from + 1000)
        })
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogPage {
    pub records: Vec<ExecutionRecord>,
    /// Records matching the filters, over all pages.
    pub total: u64,
}

/// Aggregates over a job's runs (or every job's) in a time window.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LogStats {
    pub total: u64,
    pub success: u64,
    pub failed: u64,
    pub timeout: u64,
    pub killed: u64,
    pub avg_duration_ms: f64,
    /// Median duration (nearest rank), 0 without runs.
    pub p50_duration_ms: i64,
    /// 95th percentile duration (nearest rank), 0 without runs.
    pub p95_duration_ms: i64,
    /// Start time of the newest run, Unix ms.
    pub last_run_ms: Option<i64>,
}

impl LogStats {
    pub fn success_rate(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.success as f64 / self.total as f64
        }
    }
}

/// How long execution records are kept. `None` keeps them without that limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Retention {
    /// Records that started more than this many days ago are deleted.
    pub max_age_days: Option<u32>,
    /// Only this many of each job's newest records are kept.
    pub keep_per_job: Option<u32>,
}

impl Retention {
    pub fn is_unlimited(&self) -> bool {
        self.max_age_days.is_none() && self.keep_per_job.is_none()
    }
}

/// Where execution records live.
#[async_trait]
pub trait LogStore: Send + Sync + std::fmt::Debug {
    /// Stores the records; a record whose `execution_id` is already stored is skipped,
    /// except that a record of what happened replaces a stored `lost` one (the guess peers
    /// make when a worker's lease expires while its run goes on): the worker was cut off or
    /// paused, not dead, and its own record tells the outcome. Returns how many were stored.
    async fn insert(&self, records: &[ExecutionRecord]) -> Result<usize, StoreError>;
    async fn list(&self, query: &LogQuery) -> Result<LogPage, StoreError>;
    /// The newest record of the job.
    async fn latest(&self, job_name: &str) -> Result<Option<ExecutionRecord>, StoreError>;
    /// The newest tick of each of `jobs` that ran or was recorded: the greatest `plan_time_ms`
    /// among its recent records that stand for a tick (all but runs asked for by hand). Jobs
    /// without one are left out. Read when a worker starts, to account for the ticks it
    /// missed.
    async fn last_ticks(&self, jobs: &[String]) -> Result<HashMap<String, i64>, StoreError>;
    /// The stored records among `execution_ids` (any order; ids not stored are left out).
    async fn find(&self, execution_ids: &[String]) -> Result<Vec<ExecutionRecord>, StoreError>;
    /// Stats over records that started at or after `since`; every job when `job_name` is None.
    async fn stats(
        &self,
        job_name: Option<&str>,
        since: DateTime<Utc>,
    ) -> Result<LogStats, StoreError>;
    /// Deletes what `retention` no longer keeps at `now`; returns how many records went.
    async fn prune(&self, retention: &Retention, now: DateTime<Utc>) -> Result<u64, StoreError>;
}

/// Where the audit trail lives (beside the execution records).
#[async_trait]
pub trait AuditLog: Send + Sync + std::fmt::Debug {
    /// Stores `entry`, replacing the one with its id: a pending entry is settled by
    /// recording it again.
    async fn record(&self, entry: &AuditEntry) -> Result<(), StoreError>;
    async fn list(&self, query: &AuditQuery) -> Result<AuditPage, StoreError>;
    /// Whether an entry with this id is stored.
    async fn contains(&self, id: &str) -> Result<bool, StoreError>;
    /// Deletes the entries older than `max_age_days` at `now`; returns how many went.
    async fn prune(&self, max_age_days: u32, now: DateTime<Utc>) -> Result<u64, StoreError>;
}

/// A request for the workers: sent by the master, acted on by whichever worker runs the job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkerCommand {
    /// Kill every running execution of the job.
    Kill { job: String },
    /// Run the job now, with this execution id: asked for by hand, or by the end of the
    /// `parent` run (trigger `dependency`).
    RunNow {
        job: String,
        execution_id: String,
        parent: Option<crate::dependency::Parent>,
    },
}

/// Where a worker announces itself; the master lists what it finds there.
#[async_trait]
pub trait WorkerRegistry: Send + Sync + std::fmt::Debug {
    async fn heartbeat(&self, info: &WorkerInfo) -> Result<(), StoreError>;
}

/// A worker as the master knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerEntry {
    /// Its latest heartbeat.
    pub info: WorkerInfo,
    /// False once its registration is gone (its lease expired, or it stopped): it is shown
    /// as offline, not forgotten.
    pub registered: bool,
}

/// How the master reaches workers and learns about them.
#[async_trait]
pub trait Coordinator: Send + Sync + std::fmt::Debug {
    async fn send(&self, command: WorkerCommand) -> Result<(), StoreError>;
    /// Every worker seen, registered or not.
    async fn workers(&self) -> Result<Vec<WorkerEntry>, StoreError>;
}

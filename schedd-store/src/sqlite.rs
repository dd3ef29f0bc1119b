//! SQLite: the store of embedded mode (`schedd-master --dev`), holding jobs and execution
//! records in one file. Writes to jobs are serialised through one connection so every write
//! gets the next store revision and watchers see changes in revision order; execution
//! records have a connection of their own so a burst of inserts never holds up job reads.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use schedd_core::store::{
    Expect, JobChange, JobStore, LogPage, LogQuery, LogStats, LogStore, PutOutcome, Retention,
    StoreError, Versioned,
};
use schedd_core::{ExecutionRecord, ExecutionStatus, Job, JobName, Trigger};
use tokio::sync::broadcast;

mod audit;

/// Buffered job changes per watcher before it lags and must list again.
const WATCH_BUFFER: usize = 4096;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT OR IGNORE INTO meta (key, value) VALUES ('revision', 0);
CREATE TABLE IF NOT EXISTS jobs (
    name     TEXT PRIMARY KEY,
    body     TEXT NOT NULL,
    revision INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS executions (
    execution_id     TEXT PRIMARY KEY,
    job_name         TEXT NOT NULL,
    command          TEXT NOT NULL,
    output           TEXT NOT NULL,
    stderr           TEXT NOT NULL,
    error            TEXT NOT NULL,
    plan_time_ms     INTEGER NOT NULL,
    schedule_time_ms INTEGER NOT NULL,
    start_time_ms    INTEGER NOT NULL,
    end_time_ms      INTEGER NOT NULL,
    exit_code        INTEGER NOT NULL,
    is_timeout       INTEGER NOT NULL,
    worker_ip        TEXT NOT NULL,
    worker_id        TEXT NOT NULL,
    trigger          TEXT NOT NULL,
    attempt          INTEGER NOT NULL,
    output_truncated INTEGER NOT NULL,
    status           TEXT NOT NULL,
    parent_execution_id TEXT NOT NULL DEFAULT '',
    notifications    TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS executions_by_job ON executions (job_name, start_time_ms DESC);
CREATE INDEX IF NOT EXISTS executions_by_start ON executions (start_time_ms DESC);
CREATE TABLE IF NOT EXISTS audit (
    id     TEXT PRIMARY KEY,
    at_ms  INTEGER NOT NULL,
    actor  TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    body   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_by_time ON audit (at_ms DESC, id DESC);
";

/// Jobs and execution records in one SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    path: PathBuf,
    jobs: Mutex<Connection>,
    logs: Mutex<Connection>,
    changes: broadcast::Sender<JobChange>,
}

fn unavailable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

fn open_conn(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)
        .map_err(|e| StoreError::Unavailable(format!("open {}: {e}", path.display())))?;
    // WAL lets the job and log connections read while the other writes; NORMAL sync is
    // durable across process crashes (only an OS crash may lose the last commits).
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(unavailable)?;
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(unavailable)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(unavailable)?;
    // 64 MiB of page cache per connection (the default is 2 MiB): the record indexes of a
    // store with millions of rows stay in memory instead of being re-read on every insert.
    conn.pragma_update(None, "cache_size", -65_536)
        .map_err(unavailable)?;
    // Checkpoint every 16k pages (64 MiB of WAL) rather than every 1k: each checkpoint ends in
    // an fsync, and under a steady stream of records they dominated the cost of a write.
    conn.pragma_update(None, "wal_autocheckpoint", 16_384)
        .map_err(unavailable)?;
    Ok(conn)
}

/// Columns added to `executions` since its first version, with their definitions: a file
/// written before one was added gets it on open (old rows take the default).
const ADDED_COLUMNS: &[(&str, &str)] = &[
    ("parent_execution_id", "TEXT NOT NULL DEFAULT ''"),
    ("notifications", "TEXT NOT NULL DEFAULT '[]'"),
];

fn add_missing_columns(conn: &Connection) -> Result<(), StoreError> {
    let mut stmt = conn
        .prepare("SELECT name FROM pragma_table_info('executions')")
        .map_err(unavailable)?;
    let have: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .map_err(unavailable)?
        .collect::<Result<_, _>>()
        .map_err(unavailable)?;
    for (name, definition) in ADDED_COLUMNS {
        if !have.iter().any(|h| h == name) {
            conn.execute_batch(&format!(
                "ALTER TABLE executions ADD COLUMN {name} {definition}"
            ))
            .map_err(unavailable)?;
        }
    }
    Ok(())
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStore, StoreError> {
        let path = path.as_ref().to_path_buf();
        let jobs = open_conn(&path)?;
        jobs.execute_batch(SCHEMA).map_err(unavailable)?;
        add_missing_columns(&jobs)?;
        let logs = open_conn(&path)?;
        let (changes, _) = broadcast::channel(WATCH_BUFFER);
        Ok(SqliteStore {
            inner: Arc::new(Inner {
                path,
                jobs: Mutex::new(jobs),
                logs: Mutex::new(logs),
                changes,
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `f` on the job connection off the async threads.
    async fn with_jobs<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Inner, &mut Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let mut conn = inner
                .jobs
                .lock()
                .map_err(|_| unavailable("job connection poisoned"))?;
            f(&inner, &mut conn)
        })
        .await
        .map_err(unavailable)?
    }

    async fn with_logs<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let mut conn = inner
                .logs
                .lock()
                .map_err(|_| unavailable("log connection poisoned"))?;
            f(&mut conn)
        })
        .await
        .map_err(unavailable)?
    }
}

/// How many of a job's newest records (by start time) [`LogStore::last_ticks`] looks at for
/// its newest tick: the attempts of its last few ticks, with room for retries and skips
/// recorded out of order.
const LAST_TICK_RECORDS: usize = 64;

// Writes take the write lock when they begin (IMMEDIATE): a deferred transaction that reads
// and then writes fails at once with SQLITE_BUSY_SNAPSHOT if the other connection committed
// in between, and the busy timeout does not cover that case.

fn decode_job(name: &str, body: &str, revision: i64) -> Result<Versioned<Job>, StoreError> {
    let value: Job = serde_json::from_str(body)
        .map_err(|e| StoreError::Corrupt(format!("job `{name}`: {e}")))?;
    Ok(Versioned { value, revision })
}

fn read_job(conn: &Connection, name: &str) -> Result<Option<Versioned<Job>>, StoreError> {
    let row = conn
        .query_row(
            "SELECT body, revision FROM jobs WHERE name = ?1",
            [name],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
        )
        .optional()
        .map_err(unavailable)?;
    row.map(|(body, rev)| decode_job(name, &body, rev))
        .transpose()
}

fn next_revision(tx: &rusqlite::Transaction<'_>) -> Result<i64, StoreError> {
    tx.query_row(
        "UPDATE meta SET value = value + 1 WHERE key = 'revision' RETURNING value",
        [],
        |r| r.get(0),
    )
    .map_err(unavailable)
}

#[async_trait]
impl JobStore for SqliteStore {
    async fn get(&self, name: &JobName) -> Result<Option<Versioned<Job>>, StoreError> {
        let name = name.to_string();
        self.with_jobs(move |_, conn| read_job(conn, &name)).await
    }

    async fn list(&self) -> Result<(Vec<Versioned<Job>>, i64), StoreError> {
        self.with_jobs(|_, conn| {
            let tx = conn.transaction().map_err(unavailable)?;
            let revision: i64 = tx
                .query_row("SELECT value FROM meta WHERE key = 'revision'", [], |r| {
                    r.get(0)
                })
                .map_err(unavailable)?;
            let mut stmt = tx
                .prepare("SELECT name, body, revision FROM jobs ORDER BY name")
                .map_err(unavailable)?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                    ))
                })
                .map_err(unavailable)?;
            let mut jobs = Vec::new();
            for row in rows {
                let (name, body, rev) = row.map_err(unavailable)?;
                // One row this version cannot read (written by a newer one, or by hand) must
                // not hide every other job.
                match decode_job(&name, &body, rev) {
                    Ok(job) => jobs.push(job),
                    Err(e) => tracing::error!(job = %name, error = %e, "skipping a stored job that cannot be read"),
                }
            }
            Ok((jobs, revision))
        })
        .await
    }

    async fn put(&self, job: &Job, expect: Expect) -> Result<PutOutcome, StoreError> {
        let job = job.clone();
        let body = serde_json::to_string(&job).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.with_jobs(move |inner, conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(unavailable)?;
            let previous = read_job(&tx, &job.name)?;
            let found = previous.as_ref().map_or(0, |p| p.revision);
            let ok = match expect {
                Expect::Any => true,
                Expect::Absent => previous.is_none(),
                Expect::Revision(r) => found == r && previous.is_some(),
            };
            if !ok {
                let expected = match expect {
                    Expect::Revision(r) => r,
                    _ => 0,
                };
                return Err(StoreError::Conflict { name: job.name.clone(), expected, found });
            }
            let revision = next_revision(&tx)?;
            tx.execute(
                "INSERT INTO jobs (name, body, revision) VALUES (?1, ?2, ?3)
                 ON CONFLICT (name) DO UPDATE SET body = excluded.body, revision = excluded.revision",
                params![job.name, body, revision],
            )
            .map_err(unavailable)?;
            tx.commit().map_err(unavailable)?;
            // Sent while the connection is held, so changes go out in revision order.
            let _ = inner.changes.send(JobChange::Put(Versioned { value: job, revision }));
            Ok(PutOutcome { revision, previous })
        })
        .await
    }

    async fn delete(&self, name: &JobName) -> Result<Versioned<Job>, StoreError> {
        let name = name.to_string();
        self.with_jobs(move |inner, conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(unavailable)?;
            // A row that cannot be decoded can still be deleted: that is how it gets fixed.
            let previous = match read_job(&tx, &name) {
                Ok(Some(previous)) => previous,
                Ok(None) => return Err(StoreError::NotFound(name)),
                // At the row's revision, as the etcd store reports an unreadable key's.
                Err(StoreError::Corrupt(_)) => Versioned {
                    value: Job::new(name.clone(), "", ""),
                    revision: tx
                        .query_row("SELECT revision FROM jobs WHERE name = ?1", [&name], |r| {
                            r.get(0)
                        })
                        .map_err(unavailable)?,
                },
                Err(e) => return Err(e),
            };
            let revision = next_revision(&tx)?;
            tx.execute("DELETE FROM jobs WHERE name = ?1", [&name])
                .map_err(unavailable)?;
            tx.commit().map_err(unavailable)?;
            let _ = inner.changes.send(JobChange::Deleted { name, revision });
            Ok(previous)
        })
        .await
    }

    fn watch(&self) -> broadcast::Receiver<JobChange> {
        self.inner.changes.subscribe()
    }
}

const RECORD_COLUMNS: &str = "execution_id, job_name, command, output, stderr, error, \
    plan_time_ms, schedule_time_ms, start_time_ms, end_time_ms, exit_code, is_timeout, \
    worker_ip, worker_id, trigger, attempt, output_truncated, status, parent_execution_id, \
    notifications";
/// Every column but the id taken from the incoming row: a real record replacing a `lost` one.
const REPLACE_LOST: &str = "job_name = excluded.job_name, command = excluded.command, \
    output = excluded.output, stderr = excluded.stderr, error = excluded.error, \
    plan_time_ms = excluded.plan_time_ms, schedule_time_ms = excluded.schedule_time_ms, \
    start_time_ms = excluded.start_time_ms, end_time_ms = excluded.end_time_ms, \
    exit_code = excluded.exit_code, is_timeout = excluded.is_timeout, \
    worker_ip = excluded.worker_ip, worker_id = excluded.worker_id, trigger = excluded.trigger, \
    attempt = excluded.attempt, output_truncated = excluded.output_truncated, \
    status = excluded.status, parent_execution_id = excluded.parent_execution_id, \
    notifications = excluded.notifications";
/// When a record of an execution already stored replaces it: a real one replaces a `lost`
/// guess, and one with more deliveries of notices replaces the same record with fewer (its
/// notices were delivered after it was stored).
const REPLACES: &str = "(executions.status = 'lost' AND excluded.status <> 'lost') \
    OR (executions.status = excluded.status \
        AND json_array_length(excluded.notifications) > json_array_length(executions.notifications))";

fn row_to_record(r: &rusqlite::Row<'_>) -> rusqlite::Result<ExecutionRecord> {
    let trigger: String = r.get(14)?;
    let status: String = r.get(17)?;
    Ok(ExecutionRecord {
        execution_id: r.get(0)?,
        job_name: r.get(1)?,
        command: r.get(2)?,
        output: r.get(3)?,
        stderr: r.get(4)?,
        error: r.get(5)?,
        plan_time_ms: r.get(6)?,
        schedule_time_ms: r.get(7)?,
        start_time_ms: r.get(8)?,
        end_time_ms: r.get(9)?,
        exit_code: r.get(10)?,
        is_timeout: r.get(11)?,
        worker_ip: r.get(12)?,
        worker_id: r.get(13)?,
        trigger: Trigger::parse(&trigger).unwrap_or_default(),
        attempt: r.get(15)?,
        output_truncated: r.get(16)?,
        status: ExecutionStatus::parse(&status).unwrap_or(ExecutionStatus::Failed),
        parent_execution_id: r.get(18)?,
        notifications: {
            let text: String = r.get(19)?;
            serde_json::from_str(&text).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    19,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })?
        },
    })
}

/// Ids per `find` query: SQLite's bound-parameter limit is 999 before 3.32.
const FIND_CHUNK: usize = 500;

/// The ids without repeats, in their first order: an id in two chunks would be found twice.
fn distinct(ids: &[String]) -> Vec<String> {
    let mut seen = std::collections::HashSet::with_capacity(ids.len());
    ids.iter()
        .filter(|id| seen.insert(id.as_str()))
        .cloned()
        .collect()
}

/// The WHERE clause and its parameters for a query's filters.
fn where_clause(q: &LogQuery) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let mut conds = Vec::new();
    let mut args = Vec::new();
    if let Some(job) = &q.job_name {
        conds.push("job_name = ?");
        args.push(Value::Text(job.clone()));
    }
    if let Some(status) = q.status {
        conds.push("status = ?");
        args.push(Value::Text(status.as_str().to_owned()));
    }
    if let Some(since) = q.since {
        conds.push("start_time_ms >= ?");
        args.push(Value::Integer(since.timestamp_millis()));
    }
    if let Some(until) = q.until {
        conds.push("start_time_ms < ?");
        args.push(Value::Integer(until.timestamp_millis()));
    }
    if let Some((from, to)) = q.tick_window() {
        conds.push("plan_time_ms >= ? AND plan_time_ms < ?");
        args.push(Value::Integer(from));
        args.push(Value::Integer(to));
    }
    let clause = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    (clause, args)
}

#[async_trait]
impl LogStore for SqliteStore {
    async fn insert(&self, records: &[ExecutionRecord]) -> Result<usize, StoreError> {
        let records = records.to_vec();
        self.with_logs(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(unavailable)?;
            let mut inserted = 0;
            {
                let mut stmt = tx
                    .prepare_cached(&format!(
                        "INSERT INTO executions ({RECORD_COLUMNS}) VALUES \
                         (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20) \
                         ON CONFLICT (execution_id) DO UPDATE SET {REPLACE_LOST} \
                         WHERE {REPLACES}"
                    ))
                    .map_err(unavailable)?;
                for r in &records {
                    inserted += stmt
                        .execute(params![
                            r.execution_id,
                            r.job_name,
                            r.command,
                            r.output,
                            r.stderr,
                            r.error,
                            r.plan_time_ms,
                            r.schedule_time_ms,
                            r.start_time_ms,
                            r.end_time_ms,
                            r.exit_code,
                            r.is_timeout,
                            r.worker_ip,
                            r.worker_id,
                            r.trigger.as_str(),
                            r.attempt,
                            r.output_truncated,
                            r.status.as_str(),
                            r.parent_execution_id,
                            serde_json::to_string(&r.notifications).unwrap_or_else(|_| "[]".into()),
                        ])
                        .map_err(unavailable)?;
                }
            }
            tx.commit().map_err(unavailable)?;
            Ok(inserted)
        })
        .await
    }

    async fn list(&self, query: &LogQuery) -> Result<LogPage, StoreError> {
        let q = query.clone();
        self.with_logs(move |conn| {
            let (clause, args) = where_clause(&q);
            let total: i64 = conn
                .query_row(
                    &format!("SELECT COUNT(*) FROM executions {clause}"),
                    rusqlite::params_from_iter(args.iter()),
                    |r| r.get(0),
                )
                .map_err(unavailable)?;
            let page = q.page.max(1);
            let size = q.page_size.max(1);
            let offset = i64::from(page - 1) * i64::from(size);
            let mut stmt = conn
                .prepare_cached(&format!(
                    "SELECT {RECORD_COLUMNS} FROM executions {clause} \
                     ORDER BY start_time_ms DESC, execution_id DESC LIMIT {size} OFFSET {offset}"
                ))
                .map_err(unavailable)?;
            let records = stmt
                .query_map(rusqlite::params_from_iter(args.iter()), row_to_record)
                .map_err(unavailable)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(unavailable)?;
            Ok(LogPage {
                records,
                total: total.max(0) as u64,
            })
        })
        .await
    }

    async fn latest(&self, job_name: &str) -> Result<Option<ExecutionRecord>, StoreError> {
        let job = job_name.to_owned();
        self.with_logs(move |conn| {
            conn.query_row(
                &format!(
                    "SELECT {RECORD_COLUMNS} FROM executions WHERE job_name = ?1 \
                     ORDER BY start_time_ms DESC, execution_id DESC LIMIT 1"
                ),
                [job],
                row_to_record,
            )
            .optional()
            .map_err(unavailable)
        })
        .await
    }

    /// Per job, from its newest records by start time (through `executions_by_job`), so the
    /// cost follows the jobs asked for, not the records kept.
    async fn last_ticks(&self, jobs: &[String]) -> Result<HashMap<String, i64>, StoreError> {
        let jobs = jobs.to_vec();
        self.with_logs(move |conn| {
            let mut stmt = conn
                .prepare_cached(&format!(
                    "SELECT MAX(plan_time_ms) FROM (SELECT plan_time_ms FROM executions \
                     WHERE job_name = ?1 AND trigger != 'manual' \
                     ORDER BY start_time_ms DESC LIMIT {LAST_TICK_RECORDS})"
                ))
                .map_err(unavailable)?;
            let mut last = HashMap::new();
            for job in jobs {
                let tick: Option<i64> =
                    stmt.query_row([&job], |r| r.get(0)).map_err(unavailable)?;
                if let Some(tick) = tick {
                    last.insert(job, tick);
                }
            }
            Ok(last)
        })
        .await
    }

    async fn find(&self, execution_ids: &[String]) -> Result<Vec<ExecutionRecord>, StoreError> {
        let ids = distinct(execution_ids);
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.with_logs(move |conn| {
            // One read transaction: every chunk sees the same records.
            let tx = conn.transaction().map_err(unavailable)?;
            let mut records = Vec::with_capacity(ids.len());
            for chunk in ids.chunks(FIND_CHUNK) {
                let placeholders = vec!["?"; chunk.len()].join(", ");
                let mut stmt = tx
                    .prepare_cached(&format!(
                        "SELECT {RECORD_COLUMNS} FROM executions \
                         WHERE execution_id IN ({placeholders})"
                    ))
                    .map_err(unavailable)?;
                let rows = stmt
                    .query_map(rusqlite::params_from_iter(chunk), row_to_record)
                    .map_err(unavailable)?;
                for row in rows {
                    records.push(row.map_err(unavailable)?);
                }
            }
            Ok(records)
        })
        .await
    }

    async fn prune(&self, retention: &Retention, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let retention = *retention;
        self.with_logs(move |conn| {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(unavailable)?;
            let mut deleted = 0;
            if let Some(days) = retention.max_age_days {
                let cutoff = (now - chrono::Duration::days(i64::from(days))).timestamp_millis();
                deleted += tx
                    .execute("DELETE FROM executions WHERE start_time_ms < ?1", [cutoff])
                    .map_err(unavailable)?;
            }
            if let Some(keep) = retention.keep_per_job {
                deleted += tx
                    .execute(
                        "DELETE FROM executions WHERE rowid IN (
                            SELECT rowid FROM (
                                SELECT rowid, ROW_NUMBER() OVER (
                                    PARTITION BY job_name
                                    ORDER BY start_time_ms DESC, execution_id DESC
                                ) AS newer
                                FROM executions
                            ) WHERE newer > ?1
                        )",
                        [keep],
                    )
                    .map_err(unavailable)?;
            }
            tx.commit().map_err(unavailable)?;
            Ok(deleted as u64)
        })
        .await
    }

    async fn stats(
        &self,
        job_name: Option<&str>,
        since: DateTime<Utc>,
    ) -> Result<LogStats, StoreError> {
        let q = LogQuery {
            job_name: job_name.map(str::to_owned),
            since: Some(since),
            ..Default::default()
        };
        self.with_logs(move |conn| {
            let (clause, args) = where_clause(&q);
            // Skipped ticks are not runs: they stay out of counts, rates and durations.
            let clause = if clause.is_empty() {
                "WHERE status != 'skipped'".to_owned()
            } else {
                format!("{clause} AND status != 'skipped'")
            };
            let mut stats = conn
                .query_row(
                    &format!(
                        "SELECT COUNT(*),
                        COALESCE(SUM(status = 'success'), 0),
                        COALESCE(SUM(status IN ('failed', 'lost')), 0),
                        COALESCE(SUM(status = 'timeout'), 0),
                        COALESCE(SUM(status = 'killed'), 0),
                        COALESCE(AVG(MAX(end_time_ms - start_time_ms, 0)), 0.0),
                        MAX(start_time_ms)
                     FROM executions {clause}"
                    ),
                    rusqlite::params_from_iter(args.iter()),
                    |r| {
                        Ok(LogStats {
                            total: r.get::<_, i64>(0)?.max(0) as u64,
                            success: r.get::<_, i64>(1)?.max(0) as u64,
                            failed: r.get::<_, i64>(2)?.max(0) as u64,
                            timeout: r.get::<_, i64>(3)?.max(0) as u64,
                            killed: r.get::<_, i64>(4)?.max(0) as u64,
                            avg_duration_ms: r.get(5)?,
                            last_run_ms: r.get(6)?,
                            ..Default::default()
                        })
                    },
                )
                .map_err(unavailable)?;
            // Nearest-rank percentiles: the value at rank ceil(p * n) of the sorted durations.
            let percentile = |p: f64| -> Result<i64, StoreError> {
                if stats.total == 0 {
                    return Ok(0);
                }
                let rank = ((p * stats.total as f64).ceil() as i64).max(1);
                conn.query_row(
                    &format!(
                        "SELECT MAX(end_time_ms - start_time_ms, 0) AS d FROM executions {clause} \
                         ORDER BY d LIMIT 1 OFFSET {}",
                        rank - 1
                    ),
                    rusqlite::params_from_iter(args.iter()),
                    |r| r.get(0),
                )
                .map_err(unavailable)
            };
            let p50 = percentile(0.50)?;
            let p95 = percentile(0.95)?;
            stats.p50_duration_ms = p50;
            stats.p95_duration_ms = p95;
            Ok(stats)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, SqliteStore) {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SqliteStore::open(dir.path().join("schedd.db")).expect("open");
        (dir, store)
    }

    fn name(s: &str) -> JobName {
        JobName::new(s).expect("valid name")
    }

    // What every job store promises (get, list, compare-and-swap, delete, watch) is checked
    // in `tests/job_stores.rs`, shared with etcd; here is what only SQLite does.

    /// A file written before `parent_execution_id` and `notifications` existed gets the
    /// columns on open; its rows read with them empty, and new rows keep theirs.
    #[tokio::test]
    async fn a_file_from_before_a_column_was_added_gets_it_on_open() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("old.db");
        {
            let conn = Connection::open(&path).expect("open");
            let old = SCHEMA.replace(
                ",\n    parent_execution_id TEXT NOT NULL DEFAULT '',\n    notifications    TEXT NOT NULL DEFAULT '[]'",
                "",
            );
            assert_ne!(
                old, SCHEMA,
                "the old schema is the current one without the columns"
            );
            conn.execute_batch(&old).expect("old schema");
            conn.execute(
                "INSERT INTO executions VALUES ('old', 'a', 'true', '', '', '', 1000, 1000, 1000, \
                 2000, 0, 0, '', '', 'schedule', 1, 0, 'success')",
                [],
            )
            .expect("an old row");
        }
        let store = SqliteStore::open(&path).expect("reopen");
        let child = ExecutionRecord {
            execution_id: "new".into(),
            job_name: "b".into(),
            start_time_ms: 3000,
            trigger: Trigger::Dependency,
            parent_execution_id: "old".into(),
            notifications: vec![schedd_core::notify::Delivery {
                event: "failure".into(),
                url: "https://hooks.example.com/h".into(),
                attempts: 1,
                ..Default::default()
            }],
            attempt: 1,
            ..Default::default()
        };
        store
            .insert(std::slice::from_ref(&child))
            .await
            .expect("insert");
        let found = store
            .find(&["old".to_owned(), "new".to_owned()])
            .await
            .expect("find");
        let by_id = |id: &str| found.iter().find(|r| r.execution_id == id).cloned();
        assert_eq!(
            by_id("old").map(|r| (r.parent_execution_id, r.notifications)),
            Some((String::new(), Vec::new()))
        );
        assert_eq!(by_id("new"), Some(child));
        drop(store);
        SqliteStore::open(&path).expect("a file with the column opens as it is");
    }

    #[tokio::test]
    async fn jobs_persist_across_reopen_with_their_revisions() {
        let (dir, store) = store();
        let out = store
            .put(&Job::new("a", "* * * * *", "echo a"), Expect::Absent)
            .await
            .expect("put");
        assert_eq!(out.revision, 1);
        assert!(out.previous.is_none());
        drop(store);
        let store = SqliteStore::open(dir.path().join("schedd.db")).expect("reopen");
        let got = store.get(&name("a")).await.expect("get").expect("present");
        assert_eq!(got.revision, 1);
        assert_eq!(got.value.command, "echo a");
        let (jobs, rev) = JobStore::list(&store).await.expect("list");
        assert_eq!((jobs.len(), rev), (1, 1));
    }

    /// Regression: job writes failed with "database is locked" while the log connection was
    /// inserting records, because a deferred transaction cannot upgrade to a writer.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn job_writes_succeed_while_records_are_being_inserted() {
        let (_dir, store) = store();
        let inserter = {
            let store = store.clone();
            tokio::spawn(async move {
                for i in 0..400 {
                    let r = record(&format!("r{i}"), "busy", i, ExecutionStatus::Success);
                    store.insert(&[r]).await.expect("insert");
                }
            })
        };
        for i in 0..400 {
            let job = Job::new(format!("j{}", i % 7), "* * * * *", format!("echo {i}"));
            store
                .put(&job, Expect::Any)
                .await
                .expect("a save never fails for lock contention");
        }
        inserter.await.expect("inserter");
    }

    #[tokio::test]
    async fn prune_removes_records_past_their_age_and_beyond_the_per_job_count() {
        let (_dir, store) = store();
        let day = 24 * 3600 * 1000;
        let now = DateTime::from_timestamp_millis(100 * day).expect("valid");
        // Job a: one run a day for 10 days; job b: 3 runs today.
        let mut recs: Vec<_> = (0..10)
            .map(|d| {
                record(
                    &format!("a{d}"),
                    "a",
                    (90 + d) * day,
                    ExecutionStatus::Success,
                )
            })
            .collect();
        recs.extend((0..3).map(|i| {
            record(
                &format!("b{i}"),
                "b",
                99 * day + i,
                ExecutionStatus::Success,
            )
        }));
        store.insert(&recs).await.expect("insert");

        let unlimited = Retention::default();
        assert!(unlimited.is_unlimited());
        assert_eq!(store.prune(&unlimited, now).await.expect("prune"), 0);

        let by_age = Retention {
            max_age_days: Some(5),
            keep_per_job: None,
        };
        assert_eq!(
            store.prune(&by_age, now).await.expect("prune"),
            5,
            "days 90..=94 go"
        );
        let by_count = Retention {
            max_age_days: None,
            keep_per_job: Some(2),
        };
        assert_eq!(
            store.prune(&by_count, now).await.expect("prune"),
            4,
            "a keeps 2 of 5, b 2 of 3"
        );
        let q = |job: &str| LogQuery {
            job_name: Some(job.into()),
            page: 1,
            page_size: 100,
            ..Default::default()
        };
        let a: Vec<_> = LogStore::list(&store, &q("a"))
            .await
            .expect("list")
            .records
            .into_iter()
            .map(|r| r.execution_id)
            .collect();
        assert_eq!(a, ["a9", "a8"]);
        let b: Vec<_> = LogStore::list(&store, &q("b"))
            .await
            .expect("list")
            .records
            .into_iter()
            .map(|r| r.execution_id)
            .collect();
        assert_eq!(b, ["b2", "b1"]);
    }

    #[tokio::test]
    async fn an_unreadable_row_is_skipped_by_list_and_can_be_deleted() {
        let (_dir, store) = store();
        store
            .put(&Job::new("good", "* * * * *", "x"), Expect::Any)
            .await
            .expect("put");
        {
            let conn = store.inner.jobs.lock().expect("lock");
            conn.execute(
                "INSERT INTO jobs (name, body, revision) VALUES ('bad', '{\"overlap\":\"sometimes\"}', 99)",
                [],
            )
            .expect("raw insert");
        }
        let (jobs, _) = JobStore::list(&store).await.expect("list still works");
        let names: Vec<_> = jobs.iter().map(|v| v.value.name.as_str()).collect();
        assert_eq!(names, ["good"]);
        let deleted = store
            .delete(&name("bad"))
            .await
            .expect("a corrupt row can be deleted");
        assert_eq!((deleted.value.name.as_str(), deleted.revision), ("bad", 99));
        assert!(store.get(&name("bad")).await.expect("get").is_none());
    }

    fn record(id: &str, job: &str, start: i64, status: ExecutionStatus) -> ExecutionRecord {
        ExecutionRecord {
            execution_id: id.into(),
            job_name: job.into(),
            command: "echo".into(),
            start_time_ms: start,
            end_time_ms: start + 100,
            attempt: 1,
            status,
            ..Default::default()
        }
    }

    /// The rest of what a log store promises is in `tests/log_stores.rs`, shared with
    /// MongoDB; SQLite's percentiles are exact (nearest rank), where MongoDB's may be one off.
    #[tokio::test]
    async fn duration_percentiles_are_exact_nearest_rank() {
        let (_dir, store) = store();
        let spread: Vec<_> = (1..=100)
            .map(|d| {
                let mut r = record(
                    &format!("s{d}"),
                    "spread",
                    2_000_000 + d * 1000,
                    ExecutionStatus::Success,
                );
                r.end_time_ms = r.start_time_ms + d;
                r
            })
            .collect();
        store.insert(&spread).await.expect("insert");
        let since = DateTime::from_timestamp_millis(0).expect("epoch");
        let s = store.stats(Some("spread"), since).await.expect("stats");
        assert_eq!((s.p50_duration_ms, s.p95_duration_ms), (50, 95));
    }
}

//! MongoDB: the execution-log store of cluster mode, in the old system's layout (database
//! `cron`, collection `job_logs`, one document per run with the old field names and Unix-second
//! times). Our fields (`executionId`, millisecond times, `status`, ...) sit beside the old ones,
//! so the old system's readers keep working, and documents the old Go system wrote (old fields
//! only) are read, filtered and aggregated as if `ExecutionRecord`'s `Deserialize` had derived
//! the missing fields: times are seconds × 1000 and the status comes from `isTimeout`,
//! `exitCode` and `error`.
//!
//! The mapping (`to_document`, `from_document`) and the filters are pure functions, unit tested
//! here; everything that talks to a server is in `tests/log_stores.rs`, which runs against the server
//! named by `SCHEDD_TEST_MONGODB_URI` and is ignored (counted as skipped) without one.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use mongodb::bson::{self, Bson, Document, doc};
use mongodb::error::{Error as DriverError, ErrorKind, IndexedWriteError};
use mongodb::options::{ClientOptions, IndexOptions};
use mongodb::{Client, Collection, Database, IndexModel};
use schedd_core::store::{LogPage, LogQuery, LogStats, LogStore, Retention, StoreError};
use schedd_core::{ExecutionRecord, ExecutionStatus, Trigger};

mod audit;

/// The old system's database.
pub const DEFAULT_DATABASE: &str = "cron";
/// The old system's collection.
pub const DEFAULT_COLLECTION: &str = "job_logs";
/// Used when the config has no `mongoConnectTimeout`.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The name of the TTL index, so a changed or removed retention finds the index to change.
const TTL_INDEX: &str = "startedAt_ttl";

/// Server error codes this store reacts to.
const DUPLICATE_KEY: i32 = 11000;
const NAMESPACE_NOT_FOUND: i32 = 26;
const INDEX_NOT_FOUND: i32 = 27;
const INDEX_OPTIONS_CONFLICT: i32 = 85;
const INDEX_KEY_SPECS_CONFLICT: i32 = 86;

/// Where and how [`MongoLogStore`] keeps its records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MongoOptions {
    pub database: String,
    pub collection: String,
    /// Timeout of each TCP (and TLS) connect: the old config's `mongoConnectTimeout` (ms).
    /// How long an operation waits for a usable server is the URI's `serverSelectionTimeoutMS`
    /// (the driver's default is 30 s).
    pub connect_timeout: Duration,
    /// Records older than this many days are deleted by the server (a TTL index on
    /// `startedAt`). `None` or `Some(0)` keeps them forever and removes the TTL index.
    pub retention_days: Option<u32>,
}

impl Default for MongoOptions {
    fn default() -> Self {
        MongoOptions {
            database: DEFAULT_DATABASE.to_owned(),
            collection: DEFAULT_COLLECTION.to_owned(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retention_days: None,
        }
    }
}

/// Execution records in a MongoDB collection.
#[derive(Debug, Clone)]
pub struct MongoLogStore {
    db: Database,
    logs: Collection<Document>,
    /// The audit trail, beside the records.
    audit: Collection<Document>,
    /// The servers from the URI, for error messages. Never the URI itself: it may hold a
    /// password.
    hosts: String,
    retention_days: Option<u32>,
}

impl MongoLogStore {
    /// Connects and makes sure the indexes exist; fails with `Unavailable` when no server
    /// answers within the URI's server selection timeout.
    pub async fn open(uri: &str, options: MongoOptions) -> Result<MongoLogStore, StoreError> {
        // Parsing resolves `mongodb+srv://` names, so it can fail for network reasons too.
        let mut client_options = ClientOptions::parse(uri)
            .await
            .map_err(|e| StoreError::Unavailable(format!("mongodb uri: {e}")))?;
        client_options.connect_timeout = Some(options.connect_timeout);
        client_options
            .app_name
            .get_or_insert_with(|| "schedd".to_owned());
        let hosts = client_options
            .hosts
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let client = Client::with_options(client_options)
            .map_err(|e| StoreError::Unavailable(format!("mongodb at {hosts}: {e}")))?;
        let db = client.database(&options.database);
        let logs = db.collection::<Document>(&options.collection);
        let audit = db.collection::<Document>(audit::COLLECTION);
        let store = MongoLogStore {
            db,
            logs,
            audit,
            hosts,
            retention_days: options.retention_days,
        };
        store.ensure_indexes().await?;
        Ok(store)
    }

    /// The collection, for tools and tests that need to look at the raw documents.
    pub fn collection(&self) -> &Collection<Document> {
        &self.logs
    }

    fn unavailable(&self, e: DriverError) -> StoreError {
        StoreError::Unavailable(format!("mongodb at {}: {e}", self.hosts))
    }

    /// Reads the records of `cursor` into `records`. A document this version cannot read
    /// (written by hand, or by something else) is skipped and logged: it must not hide the
    /// others.
    async fn read_all(
        &self,
        cursor: &mut mongodb::Cursor<Document>,
        records: &mut Vec<ExecutionRecord>,
    ) -> Result<(), StoreError> {
        while cursor.advance().await.map_err(|e| self.unavailable(e))? {
            let d = cursor
                .deserialize_current()
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            match from_document(d) {
                Ok(r) => records.push(r),
                Err(e) => {
                    tracing::error!(error = %e, "skipping a stored execution record that cannot be read")
                }
            }
        }
        Ok(())
    }

    /// Creates the indexes that are missing (creating an existing index is a no-op):
    /// - `{jobName: 1, startTime: -1}`: the old system's, for a job's runs newest first;
    /// - `{executionId: 1}` unique where `executionId` exists: the de-duplication, which old
    ///   documents (without an id) are outside of;
    /// - `{startTime: -1}`: every job's runs newest first, and time windows;
    /// - `startedAt` TTL when a retention is configured (changed in place when it changes,
    ///   dropped when it is removed);
    /// - on the audit trail, `{at: -1}` and `{target: 1, at: -1}`.
    pub async fn ensure_indexes(&self) -> Result<(), StoreError> {
        let models = vec![
            IndexModel::builder()
                .keys(doc! { "jobName": 1, "startTime": -1 })
                .build(),
            IndexModel::builder()
                .keys(doc! { "executionId": 1 })
                .options(
                    IndexOptions::builder()
                        .unique(true)
                        .partial_filter_expression(doc! { "executionId": { "$exists": true } })
                        .build(),
                )
                .build(),
            IndexModel::builder().keys(doc! { "startTime": -1 }).build(),
        ];
        self.logs
            .create_indexes(models)
            .await
            .map_err(|e| self.unavailable(e))?;
        self.audit
            .create_indexes(audit::indexes())
            .await
            .map_err(|e| self.unavailable(e))?;
        self.ensure_ttl().await
    }

    async fn ensure_ttl(&self) -> Result<(), StoreError> {
        let Some(seconds) = ttl_seconds(self.retention_days) else {
            return match self.logs.drop_index(TTL_INDEX).await {
                Ok(()) => {
                    tracing::info!(
                        collection = %self.logs.namespace(),
                        "no retention configured: removed the TTL index on startedAt"
                    );
                    Ok(())
                }
                Err(e)
                    if matches!(
                        command_code(&e),
                        Some(INDEX_NOT_FOUND | NAMESPACE_NOT_FOUND)
                    ) =>
                {
                    Ok(())
                }
                Err(e) => Err(self.unavailable(e)),
            };
        };
        let model = IndexModel::builder()
            .keys(doc! { "startedAt": 1 })
            .options(
                IndexOptions::builder()
                    .name(TTL_INDEX.to_owned())
                    .expire_after(Duration::from_secs(seconds))
                    .build(),
            )
            .build();
        match self.logs.create_index(model).await {
            Ok(_) => Ok(()),
            // The index exists with another expireAfterSeconds: the retention changed.
            // collMod changes it in place; dropping and re-creating would rebuild the index.
            Err(e)
                if matches!(
                    command_code(&e),
                    Some(INDEX_OPTIONS_CONFLICT | INDEX_KEY_SPECS_CONFLICT)
                ) =>
            {
                self.db
                    .run_command(doc! {
                        "collMod": self.logs.name(),
                        "index": { "name": TTL_INDEX, "expireAfterSeconds": seconds as i64 },
                    })
                    .await
                    .map_err(|e| self.unavailable(e))?;
                Ok(())
            }
            Err(e) => Err(self.unavailable(e)),
        }
    }

    async fn run_stats_pipeline(
        &self,
        pipeline: Vec<Document>,
    ) -> Result<Option<Document>, DriverError> {
        let mut cursor = self.logs.aggregate(pipeline).await?;
        if cursor.advance().await? {
            Ok(Some(cursor.deserialize_current()?))
        } else {
            Ok(None)
        }
    }
}

/// `expireAfterSeconds` for a retention; the server takes at most `i32::MAX` (68 years).
fn ttl_seconds(retention_days: Option<u32>) -> Option<u64> {
    retention_days
        .filter(|d| *d > 0)
        .map(|d| (u64::from(d) * 86_400).min(i32::MAX as u64))
}

/// The server's error code when the server refused a command.
fn command_code(e: &DriverError) -> Option<i32> {
    match e.kind.as_ref() {
        ErrorKind::Command(c) => Some(c.code),
        _ => None,
    }
}

/// A write error that only says the record is already stored. The driver generates `_id`, so
/// `executionId` is the only unique key a record can collide on; the field name is checked
/// anyway so a collision on an index someone added by hand is not silently swallowed.
fn is_duplicate_record(e: &IndexedWriteError) -> bool {
    e.code == DUPLICATE_KEY && e.message.contains("executionId")
}

/// Whether the server refused the `$percentile` accumulator (servers before 7.0, or 7.0 with
/// an older feature compatibility version), so the stats need the fallback pipeline.
fn percentile_unsupported(e: &DriverError) -> bool {
    match e.kind.as_ref() {
        // 15952: unknown group operator; 168: unrecognized expression; 224: query feature not
        // allowed at this feature compatibility version.
        ErrorKind::Command(c) => {
            matches!(c.code, 15952 | 168 | 224) || c.message.contains("$percentile")
        }
        _ => false,
    }
}

// ---- the document mapping ----

/// The stored form of a record: the old fields (seconds) and ours (milliseconds, ...), plus
/// `startedAt` as a BSON date for the TTL index.
pub fn to_document(r: &ExecutionRecord) -> Document {
    let mut d = doc! {
        "jobName": &r.job_name,
        "command": &r.command,
        "output": &r.output,
        "error": &r.error,
        "planTime": r.plan_time_ms.div_euclid(1000),
        "scheduleTime": r.schedule_time_ms.div_euclid(1000),
        "startTime": r.start_time_ms.div_euclid(1000),
        "endTime": r.end_time_ms.div_euclid(1000),
        "exitCode": r.exit_code,
        "isTimeout": r.is_timeout,
        "workerIp": &r.worker_ip,
        "executionId": &r.execution_id,
        "stderr": &r.stderr,
        "planTimeMs": r.plan_time_ms,
        "scheduleTimeMs": r.schedule_time_ms,
        "startTimeMs": r.start_time_ms,
        "endTimeMs": r.end_time_ms,
        "trigger": r.trigger.as_str(),
        "attempt": i64::from(r.attempt),
        "outputTruncated": r.output_truncated,
        "status": r.status.as_str(),
        "workerId": &r.worker_id,
        "startedAt": bson::DateTime::from_millis(r.start_time_ms),
    };
    // Only on runs a dependency started, as in the JSON form.
    if !r.parent_execution_id.is_empty() {
        d.insert("parentExecutionId", &r.parent_execution_id);
    }
    if !r.notifications.is_empty() {
        let deliveries: Vec<Bson> = r
            .notifications
            .iter()
            .filter_map(|n| bson::serialize_to_bson(n).ok())
            .collect();
        d.insert("notifications", deliveries);
    }
    d
}

/// Reads a stored document: ours, or one the old Go system wrote (old fields only, seconds, no
/// status). Numbers may be int32, int64 or double; missing and null fields take their
/// defaults, as `ExecutionRecord`'s `Deserialize` does.
pub fn from_document(d: Document) -> Result<ExecutionRecord, StoreError> {
    let job_name = match d.get("jobName") {
        Some(Bson::String(s)) => s.clone(),
        _ => return Err(corrupt(&d, "jobName", "a string")),
    };
    let seconds_or_ms = |ms: &str, s: &str| -> Result<i64, StoreError> {
        match number(&d, ms)? {
            Some(v) => Ok(v),
            None => Ok(number(&d, s)?.unwrap_or(0).saturating_mul(1000)),
        }
    };
    let exit_code = match number(&d, "exitCode")? {
        None => 0,
        Some(v) => i32::try_from(v).map_err(|_| corrupt(&d, "exitCode", "a 32-bit integer"))?,
    };
    let attempt = match number(&d, "attempt")? {
        None => 1,
        Some(v) => u32::try_from(v.max(1)).unwrap_or(u32::MAX),
    };
    let is_timeout = boolean(&d, "isTimeout")?;
    let error = string(&d, "error")?;
    let status = match d.get("status") {
        None | Some(Bson::Null) => derived_status(is_timeout, exit_code, &error),
        // A status this version does not know (written by a newer one) reads as failed, as in
        // the SQLite store.
        Some(Bson::String(s)) => ExecutionStatus::parse(s).unwrap_or(ExecutionStatus::Failed),
        Some(_) => return Err(corrupt(&d, "status", "a string")),
    };
    Ok(ExecutionRecord {
        execution_id: string(&d, "executionId")?,
        command: string(&d, "command")?,
        output: string(&d, "output")?,
        stderr: string(&d, "stderr")?,
        plan_time_ms: seconds_or_ms("planTimeMs", "planTime")?,
        schedule_time_ms: seconds_or_ms("scheduleTimeMs", "scheduleTime")?,
        start_time_ms: seconds_or_ms("startTimeMs", "startTime")?,
        end_time_ms: seconds_or_ms("endTimeMs", "endTime")?,
        worker_ip: string(&d, "workerIp")?,
        worker_id: string(&d, "workerId")?,
        trigger: Trigger::parse(&string(&d, "trigger")?).unwrap_or_default(),
        output_truncated: boolean(&d, "outputTruncated")?,
        job_name,
        error,
        exit_code,
        is_timeout,
        attempt,
        status,
        parent_execution_id: string(&d, "parentExecutionId")?,
        notifications: match d.get("notifications") {
            None | Some(Bson::Null) => Vec::new(),
            Some(b) => bson::deserialize_from_bson(b.clone())
                .map_err(|_| corrupt(&d, "notifications", "a list of deliveries"))?,
        },
    })
}

/// The status of a record written without one (by the old system): the rule of
/// `ExecutionRecord`'s `Deserialize`. [`status_filter`] and [`STATUS_EXPR`](status_expr)
/// express the same rule for the server.
fn derived_status(is_timeout: bool, exit_code: i32, error: &str) -> ExecutionStatus {
    if is_timeout {
        ExecutionStatus::Timeout
    } else if exit_code == 0 && error.is_empty() {
        ExecutionStatus::Success
    } else {
        ExecutionStatus::Failed
    }
}

fn corrupt(d: &Document, key: &str, expected: &str) -> StoreError {
    let id = match d.get("executionId").or_else(|| d.get("_id")) {
        Some(Bson::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => "?".to_owned(),
    };
    let found = match d.get(key) {
        Some(v) => format!("{:?}", v.element_type()),
        None => "nothing".to_owned(),
    };
    StoreError::Corrupt(format!(
        "execution record {id}: `{key}` should be {expected}, found {found}"
    ))
}

fn number(d: &Document, key: &str) -> Result<Option<i64>, StoreError> {
    match d.get(key) {
        None | Some(Bson::Null) => Ok(None),
        Some(Bson::Int32(v)) => Ok(Some(i64::from(*v))),
        Some(Bson::Int64(v)) => Ok(Some(*v)),
        // Written by a driver or shell that stores every number as a double (the mongo shell
        // does). Only whole numbers are meaningful here; round the rest.
        Some(Bson::Double(v)) if v.is_finite() && v.abs() < 9.0e18 => Ok(Some(v.round() as i64)),
        Some(_) => Err(corrupt(d, key, "a number")),
    }
}

fn string(d: &Document, key: &str) -> Result<String, StoreError> {
    match d.get(key) {
        None | Some(Bson::Null) => Ok(String::new()),
        Some(Bson::String(s)) => Ok(s.clone()),
        Some(_) => Err(corrupt(d, key, "a string")),
    }
}

fn boolean(d: &Document, key: &str) -> Result<bool, StoreError> {
    match d.get(key) {
        None | Some(Bson::Null) => Ok(false),
        Some(Bson::Boolean(b)) => Ok(*b),
        Some(Bson::Int32(v)) => Ok(*v != 0),
        Some(Bson::Int64(v)) => Ok(*v != 0),
        Some(_) => Err(corrupt(d, key, "a boolean")),
    }
}

// ---- filters and pipelines ----

/// The query filter for a status, matching old documents (no `status`) by the rule of
/// [`derived_status`]: `{status: null}` matches a missing status, `{exitCode: {$in: [0, null]}}`
/// a zero or missing exit code (numbers compare by value across int32, int64 and double), and
/// `{error: {$in: ["", null]}}` an empty or missing error. Killed, running, skipped and lost
/// runs did not exist in the old system, so those match the stored status only.
pub fn status_filter(status: ExecutionStatus) -> Document {
    let stored = doc! { "status": status.as_str() };
    let old = match status {
        ExecutionStatus::Success => doc! {
            "status": null,
            "isTimeout": { "$ne": true },
            "exitCode": { "$in": [0, null] },
            "error": { "$in": ["", null] },
        },
        ExecutionStatus::Failed => doc! {
            "status": null,
            "isTimeout": { "$ne": true },
            "$or": [
                { "exitCode": { "$nin": [0, null] } },
                { "error": { "$nin": ["", null] } },
            ],
        },
        ExecutionStatus::Timeout => doc! { "status": null, "isTimeout": true },
        ExecutionStatus::Killed
        | ExecutionStatus::Running
        | ExecutionStatus::Skipped
        | ExecutionStatus::Lost => return stored,
    };
    doc! { "$or": [stored, old] }
}

/// The filter for a start-time window `[since, until)` in milliseconds.
///
/// Every document has `startTime` (seconds; ours write `floor(startTimeMs / 1000)`), and the
/// indexes are on it, so the first condition bounds the seconds and lets the server use an
/// index. The second makes the window exact: on `startTimeMs` where a document has it, and on
/// `startTime × 1000` (the start time `from_document` gives an old document) where it does not.
pub fn time_filter(since_ms: Option<i64>, until_ms: Option<i64>) -> Vec<Document> {
    if since_ms.is_none() && until_ms.is_none() {
        return Vec::new();
    }
    let mut coarse = Document::new();
    let mut exact_ms = Document::new();
    let mut exact_s = Document::new();
    if let Some(s) = since_ms {
        coarse.insert("$gte", s.div_euclid(1000));
        exact_ms.insert("$gte", s);
        exact_s.insert("$gte", ceil_seconds(s));
    }
    if let Some(u) = until_ms {
        // start_ms < u  ⇒  floor(start_ms / 1000) < ceil(u / 1000), and for whole seconds t:
        // t × 1000 < u  ⇔  t < ceil(u / 1000).
        coarse.insert("$lt", ceil_seconds(u));
        exact_ms.insert("$lt", u);
        exact_s.insert("$lt", ceil_seconds(u));
    }
    vec![
        doc! { "startTime": coarse },
        doc! { "$or": [
            { "startTimeMs": exact_ms },
            { "startTimeMs": null, "startTime": exact_s },
        ] },
    ]
}

fn ceil_seconds(ms: i64) -> i64 {
    -(-ms).div_euclid(1000)
}

/// The filter for a [`LogQuery`] (paging aside).
pub fn query_filter(q: &LogQuery) -> Document {
    let mut conds = Vec::new();
    if let Some(job) = &q.job_name {
        conds.push(doc! { "jobName": job });
    }
    if let Some(status) = q.status {
        conds.push(status_filter(status));
    }
    conds.extend(time_filter(
        q.since.map(|t| t.timestamp_millis()),
        q.until.map(|t| t.timestamp_millis()),
    ));
    if let Some((from, to)) = q.tick_window() {
        // As the start time: exact on `planTimeMs`, else on the old seconds.
        conds.push(doc! { "$or": [
            { "planTimeMs": { "$gte": from, "$lt": to } },
            { "planTimeMs": null, "planTime": from / 1000 },
        ] });
    }
    match conds.len() {
        0 => Document::new(),
        1 => conds.pop().expect("one condition"),
        _ => doc! { "$and": conds },
    }
}

/// The documents of `job` that come after `oldest_kept` in [`list_sort`] order: older, or
/// as old with a smaller execution id.
pub fn prune_filter(job: &str, oldest_kept: &Document) -> Document {
    let start = oldest_kept
        .get("startTime")
        .cloned()
        .unwrap_or(Bson::Int64(0));
    let id = oldest_kept
        .get("executionId")
        .cloned()
        .unwrap_or(Bson::Null);
    doc! {
        "jobName": job,
        "$or": [
            { "startTime": { "$lt": start.clone() } },
            { "startTime": start, "executionId": { "$lt": id } },
        ],
    }
}

/// Ids per `find` query: keeps each filter document small.
const FIND_CHUNK: usize = 1_000;

/// The filters that find the documents of `execution_ids`, one per chunk of at most
/// [`FIND_CHUNK`] ids: `{executionId: {$in: [...]}}`. Repeated ids are dropped, so no document
/// is matched by two chunks; no ids, no filters.
pub fn find_filters(execution_ids: &[String]) -> Vec<Document> {
    let mut seen = std::collections::HashSet::with_capacity(execution_ids.len());
    let ids: Vec<&str> = execution_ids
        .iter()
        .map(String::as_str)
        .filter(|id| seen.insert(*id))
        .collect();
    ids.chunks(FIND_CHUNK)
        .map(|chunk| doc! { "executionId": { "$in": chunk } })
        .collect()
}

/// Newest first; the execution id orders runs that started in the same second (ids are
/// UUIDv7, so they sort by creation time) and makes paging stable.
/// How many of a job's newest records (by start time) `last_ticks` looks at for its newest
/// tick: the attempts of its last few ticks, with room for retries and skips recorded out of
/// order.
const LAST_TICK_RECORDS: i64 = 64;

fn list_sort() -> Document {
    doc! { "startTime": -1, "executionId": -1 }
}

/// The status of a document as the server computes it: the stored one, or the one
/// [`derived_status`] gives an old document.
fn status_expr() -> Bson {
    bson::bson!({
        "$ifNull": ["$status", {
            "$cond": [
                { "$eq": ["$isTimeout", true] },
                "timeout",
                { "$cond": [
                    { "$and": [
                        { "$eq": [{ "$ifNull": ["$exitCode", 0] }, 0] },
                        { "$eq": [{ "$ifNull": ["$error", ""] }, ""] },
                    ] },
                    "success",
                    "failed",
                ] },
            ],
        }],
    })
}

/// A time field in milliseconds: the `…Ms` field, else the seconds field × 1000.
fn ms_expr(ms: &str, s: &str) -> Bson {
    bson::bson!({
        "$ifNull": [format!("${ms}"), { "$multiply": [{ "$ifNull": [format!("${s}"), 0] }, 1000] }]
    })
}

/// Duration in milliseconds, never negative (as `ExecutionRecord::duration_ms`).
fn duration_expr() -> Bson {
    bson::bson!({
        "$max": [0, { "$subtract": [ms_expr("endTimeMs", "endTime"), ms_expr("startTimeMs", "startTime")] }]
    })
}

/// The stats pipeline: one pass over the matching documents on the server. With
/// `percentiles`, the p50 and p95 come from `$percentile` (MongoDB 7.0+, approximate: a
/// t-digest, exact for small sets); without, [`percentile_pipeline`] finds them.
pub fn stats_pipeline(filter: Document, percentiles: bool) -> Vec<Document> {
    let count = |status: &str| doc! { "$sum": { "$cond": [{ "$eq": ["$s", status] }, 1, 0] } };
    let mut group = doc! {
        "_id": null,
        "total": { "$sum": 1 },
        "success": count("success"),
        // A lost run (its worker died) did not succeed: it counts as failed.
        "failed": { "$sum": { "$cond": [{ "$in": ["$s", ["failed", "lost"]] }, 1, 0] } },
        "timeout": count("timeout"),
        "killed": count("killed"),
        "avgDuration": { "$avg": "$d" },
        "lastRun": { "$max": "$t" },
    };
    if percentiles {
        group.insert(
            "percentiles",
            doc! { "$percentile": { "input": "$d", "p": [0.5, 0.95], "method": "approximate" } },
        );
    }
    vec![
        doc! { "$match": filter },
        doc! { "$project": {
            "_id": 0,
            "s": status_expr(),
            "d": duration_expr(),
            "t": ms_expr("startTimeMs", "startTime"),
        } },
        doc! { "$group": group },
    ]
}

/// The fallback for servers without `$percentile`: the duration at nearest rank `rank`
/// (1-based) of the sorted durations, as the SQLite store computes it.
pub fn percentile_pipeline(filter: Document, rank: u64) -> Vec<Document> {
    vec![
        doc! { "$match": filter },
        doc! { "$project": { "_id": 0, "d": duration_expr() } },
        doc! { "$sort": { "d": 1 } },
        doc! { "$skip": i64::try_from(rank.saturating_sub(1)).unwrap_or(i64::MAX) },
        doc! { "$limit": 1 },
    ]
}

/// Nearest rank of percentile `p` among `n` values: `ceil(p × n)`, at least 1.
fn nearest_rank(p: f64, n: u64) -> u64 {
    ((p * n as f64).ceil() as u64).max(1)
}

fn as_f64(v: Option<&Bson>) -> f64 {
    match v {
        Some(Bson::Double(f)) => *f,
        Some(Bson::Int32(i)) => f64::from(*i),
        Some(Bson::Int64(i)) => *i as f64,
        _ => 0.0,
    }
}

fn as_i64(v: Option<&Bson>) -> Option<i64> {
    match v {
        Some(Bson::Int32(i)) => Some(i64::from(*i)),
        Some(Bson::Int64(i)) => Some(*i),
        Some(Bson::Double(f)) if f.is_finite() => Some(f.round() as i64),
        _ => None,
    }
}

fn as_count(v: Option<&Bson>) -> u64 {
    as_i64(v).unwrap_or(0).max(0) as u64
}

/// Reads the `$group` result of [`stats_pipeline`] (percentiles are filled in separately
/// when the pipeline had none).
fn stats_from_group(g: &Document) -> LogStats {
    let mut stats = LogStats {
        total: as_count(g.get("total")),
        success: as_count(g.get("success")),
        failed: as_count(g.get("failed")),
        timeout: as_count(g.get("timeout")),
        killed: as_count(g.get("killed")),
        avg_duration_ms: as_f64(g.get("avgDuration")),
        last_run_ms: as_i64(g.get("lastRun")),
        ..Default::default()
    };
    if let Some(Bson::Array(p)) = g.get("percentiles") {
        stats.p50_duration_ms = as_i64(p.first()).unwrap_or(0);
        stats.p95_duration_ms = as_i64(p.get(1)).unwrap_or(0);
    }
    stats
}

impl MongoLogStore {
    /// Of the records refused as duplicates, those that tell what happened replace a stored
    /// `lost` record of the same execution (see [`LogStore::insert`]). Returns how many did.
    async fn replace_lost(
        &self,
        records: &[ExecutionRecord],
        duplicates: &[IndexedWriteError],
    ) -> Result<usize, StoreError> {
        let mut replaced = 0;
        for e in duplicates {
            let Some(r) = records.get(e.index) else {
                continue;
            };
            // A real record replaces a `lost` one; a record with more deliveries of notices
            // replaces the same record with fewer (its notices were delivered after it was
            // stored).
            let more_notices = doc! {
                "status": r.status.as_str(),
                "$expr": { "$lt": [
                    { "$size": { "$ifNull": ["$notifications", []] } },
                    i64::try_from(r.notifications.len()).unwrap_or(i64::MAX),
                ] },
            };
            let filter = if r.status == ExecutionStatus::Lost {
                if r.notifications.is_empty() {
                    continue;
                }
                doc! { "executionId": &r.execution_id, "$and": [more_notices] }
            } else {
                doc! {
                    "executionId": &r.execution_id,
                    "$or": [
                        { "status": ExecutionStatus::Lost.as_str() },
                        more_notices,
                    ],
                }
            };
            let result = self
                .logs
                .replace_one(filter, to_document(r))
                .await
                .map_err(|e| self.unavailable(e))?;
            replaced += usize::try_from(result.modified_count).unwrap_or(0);
        }
        Ok(replaced)
    }
}

#[async_trait]
impl LogStore for MongoLogStore {
    async fn insert(&self, records: &[ExecutionRecord]) -> Result<usize, StoreError> {
        if records.is_empty() {
            // The driver refuses an empty insert_many.
            return Ok(0);
        }
        let docs: Vec<Document> = records.iter().map(to_document).collect();
        // Unordered: a duplicate in the middle of a batch does not stop the rest.
        match self.logs.insert_many(docs).ordered(false).await {
            Ok(result) => Ok(result.inserted_ids.len()),
            Err(e) => {
                if let ErrorKind::InsertMany(failure) = e.kind.as_ref()
                    && failure.write_concern_error.is_none()
                {
                    let errors = failure.write_errors.as_deref().unwrap_or_default();
                    if errors.iter().all(is_duplicate_record) {
                        let replaced = self.replace_lost(records, errors).await?;
                        return Ok(records.len().saturating_sub(errors.len()) + replaced);
                    }
                }
                Err(self.unavailable(e))
            }
        }
    }

    async fn list(&self, query: &LogQuery) -> Result<LogPage, StoreError> {
        let filter = query_filter(query);
        let total = self
            .logs
            .count_documents(filter.clone())
            .await
            .map_err(|e| self.unavailable(e))?;
        let page = query.page.max(1);
        let size = query.page_size.max(1);
        let mut cursor = self
            .logs
            .find(filter)
            .sort(list_sort())
            .skip(u64::from(page - 1) * u64::from(size))
            .limit(i64::from(size))
            .await
            .map_err(|e| self.unavailable(e))?;
        let mut records = Vec::new();
        self.read_all(&mut cursor, &mut records).await?;
        Ok(LogPage { records, total })
    }

    async fn latest(&self, job_name: &str) -> Result<Option<ExecutionRecord>, StoreError> {
        self.logs
            .find_one(doc! { "jobName": job_name })
            .sort(list_sort())
            .await
            .map_err(|e| self.unavailable(e))?
            .map(from_document)
            .transpose()
    }

    /// Per job, from its newest records by start time (through `{jobName: 1, startTime: -1}`),
    /// reading only their plan times.
    async fn last_ticks(
        &self,
        jobs: &[String],
    ) -> Result<std::collections::HashMap<String, i64>, StoreError> {
        let mut last = std::collections::HashMap::new();
        for job in jobs {
            let mut cursor = self
                .logs
                .find(doc! { "jobName": job, "trigger": { "$ne": Trigger::Manual.as_str() } })
                .sort(list_sort())
                .limit(LAST_TICK_RECORDS)
                .projection(doc! { "planTimeMs": 1, "planTime": 1 })
                .await
                .map_err(|e| self.unavailable(e))?;
            while cursor.advance().await.map_err(|e| self.unavailable(e))? {
                let d = cursor
                    .deserialize_current()
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                let tick = match number(&d, "planTimeMs")? {
                    Some(ms) => ms,
                    None => number(&d, "planTime")?.unwrap_or(0).saturating_mul(1000),
                };
                let t = last.entry(job.clone()).or_insert(tick);
                *t = (*t).max(tick);
            }
        }
        Ok(last)
    }

    async fn find(&self, execution_ids: &[String]) -> Result<Vec<ExecutionRecord>, StoreError> {
        let mut records = Vec::new();
        for filter in find_filters(execution_ids) {
            let mut cursor = self
                .logs
                .find(filter)
                .await
                .map_err(|e| self.unavailable(e))?;
            self.read_all(&mut cursor, &mut records).await?;
        }
        Ok(records)
    }

    /// Age: deleted here as well as by the TTL index, which cannot see documents of the old
    /// system (they have no `startedAt`). Count: per job, everything older than the job's
    /// `keep`-th newest record goes.
    async fn prune(&self, retention: &Retention, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let mut deleted = 0;
        if let Some(days) = retention.max_age_days {
            let cutoff = (now - chrono::Duration::days(i64::from(days))).timestamp();
            let r = self
                .logs
                .delete_many(doc! { "startTime": { "$lt": cutoff } })
                .await
                .map_err(|e| self.unavailable(e))?;
            deleted += r.deleted_count;
        }
        if let Some(keep) = retention.keep_per_job {
            let jobs = self
                .logs
                .distinct("jobName", doc! {})
                .await
                .map_err(|e| self.unavailable(e))?;
            for job in jobs.iter().filter_map(Bson::as_str) {
                let oldest_kept = self
                    .logs
                    .find_one(doc! { "jobName": job })
                    .sort(list_sort())
                    .skip(u64::from(keep.saturating_sub(1)))
                    .await
                    .map_err(|e| self.unavailable(e))?;
                let Some(oldest_kept) = oldest_kept else {
                    continue;
                };
                let filter = prune_filter(job, &oldest_kept);
                let r = self
                    .logs
                    .delete_many(filter)
                    .await
                    .map_err(|e| self.unavailable(e))?;
                deleted += r.deleted_count;
            }
        }
        Ok(deleted)
    }

    async fn stats(
        &self,
        job_name: Option<&str>,
        since: DateTime<Utc>,
    ) -> Result<LogStats, StoreError> {
        // Skipped ticks are not runs: they stay out of counts, rates and durations.
        let filter = doc! { "$and": [
            query_filter(&LogQuery {
                job_name: job_name.map(str::to_owned),
                since: Some(since),
                ..Default::default()
            }),
            { "status": { "$ne": "skipped" } },
        ] };
        let group = match self
            .run_stats_pipeline(stats_pipeline(filter.clone(), true))
            .await
        {
            Ok(group) => group,
            Err(e) if percentile_unsupported(&e) => {
                tracing::debug!(error = %e, "no $percentile on this server: nearest-rank fallback");
                let Some(group) = self
                    .run_stats_pipeline(stats_pipeline(filter.clone(), false))
                    .await
                    .map_err(|e| self.unavailable(e))?
                else {
                    return Ok(LogStats::default());
                };
                let mut stats = stats_from_group(&group);
                for (p, slot) in [(0.50, 0), (0.95, 1)] {
                    let rank = nearest_rank(p, stats.total);
                    let value = self
                        .run_stats_pipeline(percentile_pipeline(filter.clone(), rank))
                        .await
                        .map_err(|e| self.unavailable(e))?
                        .and_then(|d| as_i64(d.get("d")))
                        .unwrap_or(0);
                    if slot == 0 {
                        stats.p50_duration_ms = value;
                    } else {
                        stats.p95_duration_ms = value;
                    }
                }
                return Ok(stats);
            }
            Err(e) => return Err(self.unavailable(e)),
        };
        Ok(group.as_ref().map(stats_from_group).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full_record() -> ExecutionRecord {
        ExecutionRecord {
            execution_id: "01a211f0-bf40-72cf-a216-7167769c5c3c".into(),
            job_name: "backup".into(),
            command: "tar czf /tmp/etc.tgz /etc".into(),
            output: "done\n".into(),
            stderr: "warning\n".into(),
            error: "exit status 2".into(),
            plan_time_ms: 1_700_000_000_000,
            schedule_time_ms: 1_700_000_000_005,
            start_time_ms: 1_700_000_000_250,
            end_time_ms: 1_700_000_001_999,
            exit_code: 2,
            is_timeout: false,
            worker_ip: "10.0.0.7".into(),
            worker_id: "w7".into(),
            trigger: Trigger::Dependency,
            attempt: 3,
            output_truncated: true,
            status: ExecutionStatus::Failed,
            parent_execution_id: "01a211f0-bf40-72cf-a216-000000000001".into(),
            notifications: vec![schedd_core::notify::Delivery {
                event: "failure".into(),
                url: "https://hooks.example.com/h?token=***".into(),
                delivered: false,
                attempts: 4,
                status: 500,
                error: "HTTP 500 Internal Server Error; expected 2xx".into(),
                at_ms: 1_700_000_009_000,
            }],
        }
    }

    #[test]
    fn a_record_round_trips_with_old_and_new_fields() {
        let rec = full_record();
        let d = to_document(&rec);
        assert_eq!(d.get_str("jobName").expect("jobName"), "backup");
        assert_eq!(d.get_i64("planTime").expect("planTime"), 1_700_000_000);
        assert_eq!(d.get_i64("startTime").expect("startTime"), 1_700_000_000);
        assert_eq!(d.get_i64("endTime").expect("endTime"), 1_700_000_001);
        assert_eq!(d.get_i64("startTimeMs").expect("ms"), 1_700_000_000_250);
        assert_eq!(d.get_i32("exitCode").expect("exitCode"), 2);
        assert!(!d.get_bool("isTimeout").expect("isTimeout"));
        assert_eq!(d.get_str("workerIp").expect("workerIp"), "10.0.0.7");
        assert_eq!(d.get_str("status").expect("status"), "failed");
        assert_eq!(d.get_str("trigger").expect("trigger"), "dependency");
        assert_eq!(
            d.get_str("parentExecutionId").expect("parentExecutionId"),
            "01a211f0-bf40-72cf-a216-000000000001"
        );
        assert_eq!(d.get_i64("attempt").expect("attempt"), 3);
        assert_eq!(
            d.get_datetime("startedAt").expect("startedAt"),
            &bson::DateTime::from_millis(1_700_000_000_250)
        );
        assert_eq!(from_document(d).expect("reads back"), rec);
    }

    #[test]
    fn second_fields_of_times_before_1970_round_down() {
        let rec = ExecutionRecord {
            job_name: "a".into(),
            start_time_ms: -1,
            attempt: 1,
            ..Default::default()
        };
        let d = to_document(&rec);
        assert_eq!(d.get_i64("startTime").expect("startTime"), -1);
        assert_eq!(from_document(d).expect("reads").start_time_ms, -1);
    }

    /// A document as the old Go system wrote it: int64 seconds, no id, no status.
    fn old_go_document(exit_code: i64, is_timeout: bool, error: &str) -> Document {
        doc! {
            "_id": bson::oid::ObjectId::new(),
            "jobName": "legacy",
            "command": "echo hi",
            "output": "hi\n",
            "error": error,
            "planTime": 1_600_000_000_i64,
            "scheduleTime": 1_600_000_000_i64,
            "startTime": 1_600_000_001_i64,
            "endTime": 1_600_000_003_i64,
            "exitCode": exit_code,
            "isTimeout": is_timeout,
            "workerIp": "10.0.0.1",
        }
    }

    #[test]
    fn an_old_go_document_is_read_with_millisecond_times_and_a_derived_status() {
        let rec = from_document(old_go_document(0, false, "")).expect("reads");
        assert_eq!(
            rec,
            ExecutionRecord {
                execution_id: String::new(),
                job_name: "legacy".into(),
                command: "echo hi".into(),
                output: "hi\n".into(),
                plan_time_ms: 1_600_000_000_000,
                schedule_time_ms: 1_600_000_000_000,
                start_time_ms: 1_600_000_001_000,
                end_time_ms: 1_600_000_003_000,
                worker_ip: "10.0.0.1".into(),
                trigger: Trigger::Schedule,
                attempt: 1,
                status: ExecutionStatus::Success,
                ..Default::default()
            }
        );
    }

    #[test]
    fn an_old_document_gets_its_status_like_deserialize_does() {
        let status = |code, timeout, error| {
            from_document(old_go_document(code, timeout, error))
                .expect("reads")
                .status
        };
        assert_eq!(status(0, false, ""), ExecutionStatus::Success);
        assert_eq!(status(1, false, ""), ExecutionStatus::Failed);
        assert_eq!(status(0, false, "fork failed"), ExecutionStatus::Failed);
        assert_eq!(status(0, true, ""), ExecutionStatus::Timeout);
        assert_eq!(status(-1, true, "killed"), ExecutionStatus::Timeout);
        // The same rule as ExecutionRecord's Deserialize, checked against it.
        for (code, timeout, error) in [(0, false, ""), (3, false, ""), (0, true, "x")] {
            let json = serde_json::json!({
                "jobName": "legacy", "exitCode": code, "isTimeout": timeout, "error": error,
            });
            let via_json: ExecutionRecord = serde_json::from_value(json).expect("json");
            assert_eq!(status(code, timeout, error), via_json.status);
        }
        // A stored status wins over the old fields.
        let mut d = old_go_document(1, false, "");
        d.insert("status", "killed");
        assert_eq!(
            from_document(d).expect("reads").status,
            ExecutionStatus::Killed
        );
    }

    #[test]
    fn numbers_may_be_int32_or_double() {
        let d = doc! {
            "jobName": "shell",
            "startTime": 1_600_000_001_i32,
            "endTime": 1_600_000_002.0_f64,
            "startTimeMs": 1_600_000_001_500.0_f64,
            "exitCode": 2.0_f64,
            "attempt": 2_i32,
            "isTimeout": 0_i32,
        };
        let rec = from_document(d).expect("reads");
        assert_eq!(rec.start_time_ms, 1_600_000_001_500);
        assert_eq!(rec.end_time_ms, 1_600_000_002_000);
        assert_eq!(rec.exit_code, 2);
        assert_eq!(rec.attempt, 2);
        assert!(!rec.is_timeout);
        assert_eq!(rec.status, ExecutionStatus::Failed);
    }

    #[test]
    fn missing_and_null_fields_take_their_defaults() {
        let rec = from_document(doc! { "jobName": "bare", "error": null, "status": null })
            .expect("reads");
        assert_eq!(
            rec,
            ExecutionRecord {
                job_name: "bare".into(),
                attempt: 1,
                status: ExecutionStatus::Success,
                ..Default::default()
            }
        );
        let rec = from_document(doc! { "jobName": "t", "trigger": "teleport", "status": "new" })
            .expect("unknown words do not make a record unreadable");
        assert_eq!(
            (rec.trigger, rec.status),
            (Trigger::Schedule, ExecutionStatus::Failed)
        );
    }

    #[test]
    fn a_document_of_the_wrong_shape_is_corrupt_and_says_where() {
        let err = from_document(doc! { "command": "x" }).expect_err("no job name");
        assert!(matches!(err, StoreError::Corrupt(_)), "{err}");
        let err = from_document(doc! { "executionId": "e9", "jobName": "a", "exitCode": "one" })
            .expect_err("a string exit code");
        let msg = err.to_string();
        assert!(msg.contains("e9") && msg.contains("exitCode"), "{msg}");
        let err = from_document(doc! { "jobName": "a", "exitCode": 1_i64 << 40 })
            .expect_err("out of range");
        assert!(err.to_string().contains("exitCode"), "{err}");
    }

    #[test]
    fn status_filters_match_old_documents_by_the_derived_status() {
        assert_eq!(
            status_filter(ExecutionStatus::Success),
            doc! { "$or": [
                { "status": "success" },
                {
                    "status": null,
                    "isTimeout": { "$ne": true },
                    "exitCode": { "$in": [0, null] },
                    "error": { "$in": ["", null] },
                },
            ] }
        );
        assert_eq!(
            status_filter(ExecutionStatus::Failed),
            doc! { "$or": [
                { "status": "failed" },
                {
                    "status": null,
                    "isTimeout": { "$ne": true },
                    "$or": [
                        { "exitCode": { "$nin": [0, null] } },
                        { "error": { "$nin": ["", null] } },
                    ],
                },
            ] }
        );
        assert_eq!(
            status_filter(ExecutionStatus::Timeout),
            doc! { "$or": [{ "status": "timeout" }, { "status": null, "isTimeout": true }] }
        );
        assert_eq!(
            status_filter(ExecutionStatus::Killed),
            doc! { "status": "killed" }
        );
        assert_eq!(
            status_filter(ExecutionStatus::Running),
            doc! { "status": "running" }
        );
    }

    fn at(ms: i64) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(ms).expect("valid time")
    }

    #[test]
    fn an_empty_query_matches_everything() {
        assert_eq!(query_filter(&LogQuery::default()), doc! {});
        let job = LogQuery {
            job_name: Some("a".into()),
            page: 3,
            page_size: 7,
            ..Default::default()
        };
        assert_eq!(query_filter(&job), doc! { "jobName": "a" });
    }

    #[test]
    fn a_query_with_every_filter_builds_this_exact_document() {
        let q = LogQuery {
            job_name: Some("backup".into()),
            status: Some(ExecutionStatus::Timeout),
            since: Some(at(1_700_000_000_250)),
            until: Some(at(1_700_000_060_000)),
            tick: Some(at(1_700_000_030_500)),
            page: 1,
            page_size: 20,
        };
        assert_eq!(
            query_filter(&q),
            doc! { "$and": [
                { "jobName": "backup" },
                { "$or": [{ "status": "timeout" }, { "status": null, "isTimeout": true }] },
                { "startTime": { "$gte": 1_700_000_000_i64, "$lt": 1_700_000_060_i64 } },
                { "$or": [
                    { "startTimeMs": { "$gte": 1_700_000_000_250_i64, "$lt": 1_700_000_060_000_i64 } },
                    { "startTimeMs": null, "startTime": { "$gte": 1_700_000_001_i64, "$lt": 1_700_000_060_i64 } },
                ] },
                { "$or": [
                    { "planTimeMs": { "$gte": 1_700_000_030_000_i64, "$lt": 1_700_000_031_000_i64 } },
                    { "planTimeMs": null, "planTime": 1_700_000_030_i64 },
                ] },
            ] }
        );
    }

    #[test]
    fn time_bounds_are_exact_for_old_second_documents_too() {
        // until = 10.001 s: a run at 10.000 s (ms) or an old one at second 10 (= 10,000 ms)
        // is inside; the index bound on seconds must not cut either off.
        let f = time_filter(Some(9_999), Some(10_001));
        assert_eq!(
            f,
            vec![
                doc! { "startTime": { "$gte": 9_i64, "$lt": 11_i64 } },
                doc! { "$or": [
                    { "startTimeMs": { "$gte": 9_999_i64, "$lt": 10_001_i64 } },
                    { "startTimeMs": null, "startTime": { "$gte": 10_i64, "$lt": 11_i64 } },
                ] },
            ]
        );
        // Whole seconds: since 10 s includes second 10; until 20 s excludes second 20.
        assert_eq!(
            time_filter(Some(10_000), Some(20_000))[1],
            doc! { "$or": [
                { "startTimeMs": { "$gte": 10_000_i64, "$lt": 20_000_i64 } },
                { "startTimeMs": null, "startTime": { "$gte": 10_i64, "$lt": 20_i64 } },
            ] }
        );
        assert_eq!(
            time_filter(None, Some(-1_500))[0],
            doc! { "startTime": { "$lt": -1_i64 } }
        );
        assert!(time_filter(None, None).is_empty());
    }

    #[test]
    fn the_stats_pipeline_groups_on_the_server_with_or_without_percentile() {
        let p = stats_pipeline(doc! { "jobName": "a" }, true);
        assert_eq!(p.len(), 3);
        assert_eq!(p[0], doc! { "$match": { "jobName": "a" } });
        let group = p[2].get_document("$group").expect("group");
        assert_eq!(
            group.get_document("percentiles").expect("percentiles"),
            &doc! { "$percentile": { "input": "$d", "p": [0.5, 0.95], "method": "approximate" } }
        );
        let without = stats_pipeline(doc! {}, false);
        let group = without[2].get_document("$group").expect("group");
        assert!(!group.contains_key("percentiles"));
        assert_eq!(
            percentile_pipeline(doc! {}, 95)[2..],
            [
                doc! { "$sort": { "d": 1 } },
                doc! { "$skip": 94_i64 },
                doc! { "$limit": 1 }
            ]
        );
        assert_eq!(
            (
                nearest_rank(0.5, 100),
                nearest_rank(0.95, 100),
                nearest_rank(0.95, 1)
            ),
            (50, 95, 1)
        );
    }

    #[test]
    fn the_group_result_fills_the_stats_whatever_the_number_types() {
        let g = doc! {
            "_id": null,
            "total": 7_i32,
            "success": 4_i32,
            "failed": 1_i64,
            "timeout": 1_i32,
            "killed": 1_i32,
            "avgDuration": 150.5,
            "lastRun": 1_600_000_001_000_i64,
            "percentiles": [100.0, 240.4],
        };
        assert_eq!(
            stats_from_group(&g),
            LogStats {
                total: 7,
                success: 4,
                failed: 1,
                timeout: 1,
                killed: 1,
                avg_duration_ms: 150.5,
                p50_duration_ms: 100,
                p95_duration_ms: 240,
                last_run_ms: Some(1_600_000_001_000),
            }
        );
    }

    #[test]
    fn prune_filter_takes_what_sorts_after_the_oldest_kept_record() {
        let kept = doc! { "jobName": "a", "startTime": 100_i64, "executionId": "e5" };
        assert_eq!(
            prune_filter("a", &kept),
            doc! {
                "jobName": "a",
                "$or": [
                    { "startTime": { "$lt": 100_i64 } },
                    { "startTime": 100_i64, "executionId": { "$lt": "e5" } },
                ],
            }
        );
    }

    #[test]
    fn find_filters_match_distinct_ids_in_chunks_of_a_thousand() {
        assert!(find_filters(&[]).is_empty());
        let ids = ["e1".to_owned(), "e2".into(), "e1".into(), "e3".into()];
        assert_eq!(
            find_filters(&ids),
            vec![doc! { "executionId": { "$in": ["e1", "e2", "e3"] } }]
        );
        let many: Vec<String> = (0..2_500).map(|i| format!("e{i}")).collect();
        let mut with_repeats = many.clone();
        with_repeats.extend(many[..10].iter().cloned());
        let filters = find_filters(&with_repeats);
        let chunks: Vec<Vec<String>> = filters
            .iter()
            .map(|f| {
                f.get_document("executionId")
                    .expect("executionId")
                    .get_array("$in")
                    .expect("$in")
                    .iter()
                    .map(|id| id.as_str().expect("a string").to_owned())
                    .collect()
            })
            .collect();
        let sizes: Vec<usize> = chunks.iter().map(Vec::len).collect();
        assert_eq!(sizes, [1_000, 1_000, 500]);
        assert_eq!(chunks.concat(), many, "each id once, in order");
    }

    #[test]
    fn retention_becomes_expire_after_seconds() {
        assert_eq!(ttl_seconds(None), None);
        assert_eq!(ttl_seconds(Some(0)), None);
        assert_eq!(ttl_seconds(Some(7)), Some(604_800));
        assert_eq!(ttl_seconds(Some(u32::MAX)), Some(i32::MAX as u64));
    }
}

//! The spool: finished execution records on local disk, waiting to be shipped to the log
//! store. The [`sink`](crate::sink) writes every record here before it sends anything, and
//! deletes ("acks") records only once the store has acknowledged them, so a store outage, a
//! crash or `kill -9` delays records but never loses them: whatever is still here when the
//! worker starts again is shipped first.
//!
//! The spool is one SQLite file, `<dir>/spool.db`, with one row per record: an increasing
//! `seq`, the record's `executionId`, its JSON (`body`) and when it was queued. Records
//! leave in `seq` order. Using SQLite here rather than an append-only file of our own buys
//! atomic batches, crash recovery and reuse of freed space for free; it lives in the worker,
//! not in `schedd-store`, because it is the worker's private queue, not a store backend.
//!
//! Durability: WAL with `synchronous=FULL`, so a batch that [`Spool::push_batch`] returned
//! for survives a power loss, not only a process crash (`NORMAL` would only promise the
//! latter). FULL costs one fsync per batch, which the sink amortises by writing whatever
//! has arrived as one transaction. Measured on the 2-core dev VM with ~500-byte records:
//! batches of 100 go in at ~50,000 records/s with FULL against ~60,000 with NORMAL; single
//! records at ~4,500/s against ~25,000, still above what the runner can start (`sh -c` spawns
//! top out near 2,000/s there). A batch is written whole or not at all.
//!
//! One process at a time: [`Spool::open`] takes an exclusive lock on `<dir>/lock` (an
//! advisory `flock`, released when the process exits, however it exits) before it touches
//! the SQLite file, and fails with [`SpoolError::InUse`] while another process holds it. Two
//! workers shipping from one spool would send every record twice and ack each other's
//! batches. The lock file holds the pid of the process that has the lock, for the error
//! message of the next one.
//!
//! Every call blocks on disk I/O: call it from `spawn_blocking` or a thread of its own.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use schedd_core::{ExecutionRecord, ExecutionStatus};

/// The spool's file inside its directory.
pub const FILE_NAME: &str = "spool.db";

/// The file inside the spool directory that the process using the spool holds locked.
pub const LOCK_FILE_NAME: &str = "lock";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS records (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    execution_id TEXT NOT NULL,
    body         TEXT NOT NULL,
    queued_at_ms INTEGER NOT NULL
);
-- Runs going on: a run's record (status running) written when its process starts, deleted
-- with the push of its finished record. Rows found when the process starts again are runs
-- that a crash or `kill -9` interrupted.
CREATE TABLE IF NOT EXISTS started (
    execution_id TEXT PRIMARY KEY,
    body         TEXT NOT NULL
);
-- Rows this version cannot decode, moved aside so they do not block the queue; kept for a
-- human to look at rather than deleted.
CREATE TABLE IF NOT EXISTS unreadable (
    seq          INTEGER PRIMARY KEY,
    execution_id TEXT NOT NULL,
    body         TEXT NOT NULL,
    queued_at_ms INTEGER NOT NULL,
    error        TEXT NOT NULL
);
";

#[derive(Debug, thiserror::Error)]
pub enum SpoolError {
    #[error("spool {path}: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("spool {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("encoding execution record {execution_id}: {source}")]
    Encode {
        execution_id: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("spool connection poisoned by a panic")]
    Poisoned,
    /// Another process holds the lock of the spool directory.
    #[error(
        "the spool directory {} is in use by another process{}, such as another worker with \
         the same spool directory or worker id; each worker needs a spool directory of its own",
        dir.display(),
        holder.map(|pid| format!(" (pid {pid})")).unwrap_or_default()
    )]
    InUse {
        dir: PathBuf,
        /// The pid written into the lock file by the process holding it, if it could be
        /// read.
        holder: Option<u32>,
    },
}

/// A handle to the spool; clones share one connection.
#[derive(Debug, Clone)]
pub struct Spool {
    inner: Arc<Inner>,
}

/// How much waits in a spool, readable without the spool: metrics hold one of these, and
/// holding it does not keep the spool (or the lock of its directory) open.
#[derive(Debug, Clone, Default)]
pub struct SpoolLevel(Arc<Level>);

#[derive(Debug, Default)]
struct Level {
    /// Records waiting, and the bytes of their JSON. Kept beside the table (updated under
    /// the connection lock, after each commit) so that the async side can read them without
    /// touching the disk.
    len: AtomicU64,
    bytes: AtomicU64,
    /// When the oldest record waiting was queued (Unix ms); 0 when none is.
    oldest_queued_ms: AtomicI64,
}

impl SpoolLevel {
    /// Records waiting to be shipped.
    pub fn records(&self) -> u64 {
        self.0.len.load(Ordering::Acquire)
    }

    /// Bytes of JSON waiting to be shipped.
    pub fn bytes(&self) -> u64 {
        self.0.bytes.load(Ordering::Acquire)
    }

    /// When the oldest record waiting was queued (Unix ms), if one is.
    pub fn oldest_queued_at_ms(&self) -> Option<i64> {
        match self.0.oldest_queued_ms.load(Ordering::Acquire) {
            0 => None,
            ms => Some(ms),
        }
    }
}

#[derive(Debug)]
struct Inner {
    path: PathBuf,
    conn: Mutex<Connection>,
    level: SpoolLevel,
    /// `<dir>/lock`, locked for as long as this process uses the spool. Declared after
    /// `conn` so that the connection is closed before the lock is released.
    _lock: File,
}

impl Spool {
    /// Opens the spool in `dir` (creating the directory and file if needed), with whatever
    /// a previous run left in it. Fails with [`SpoolError::InUse`] while another process
    /// has the spool open; the lock is released when the last clone of the returned handle
    /// is dropped.
    pub fn open(dir: impl AsRef<Path>) -> Result<Spool, SpoolError> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|source| SpoolError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let lock = lock_dir(dir)?;
        let path = dir.join(FILE_NAME);
        let sql = |source| SpoolError::Sqlite {
            path: path.clone(),
            source,
        };
        let conn = Connection::open(&path).map_err(sql)?;
        // auto_vacuum only takes effect on a new file, so it comes before the tables: freed
        // pages go back to the file system once a backlog is shipped (see `ack`).
        conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")
            .map_err(sql)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sql)?;
        // A big batch must not leave a big WAL file behind after its checkpoint.
        conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)
            .map_err(sql)?;
        // Only this process writes, but an operator or a test may be reading.
        conn.busy_timeout(Duration::from_secs(5)).map_err(sql)?;
        conn.execute_batch(SCHEMA).map_err(sql)?;
        let (len, bytes): (i64, i64) = conn
            .query_row(
                "SELECT COUNT(*), COALESCE(SUM(length(CAST(body AS BLOB))), 0) FROM records",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(sql)?;
        let oldest = oldest_queued_ms(&conn).map_err(sql)?;
        Ok(Spool {
            inner: Arc::new(Inner {
                path,
                conn: Mutex::new(conn),
                level: SpoolLevel(Arc::new(Level {
                    len: AtomicU64::new(len.max(0).unsigned_abs()),
                    bytes: AtomicU64::new(bytes.max(0).unsigned_abs()),
                    oldest_queued_ms: AtomicI64::new(oldest.unwrap_or(0)),
                })),
                _lock: lock,
            }),
        })
    }

    /// A handle on how much waits here, kept current (see [`SpoolLevel`]).
    pub fn level(&self) -> SpoolLevel {
        self.inner.level.clone()
    }

    fn counts(&self) -> &Level {
        &self.inner.level.0
    }

    /// Reads the queue time of the oldest record again, after records left. Called under
    /// the connection lock; a failed read leaves the old value (it only feeds metrics).
    fn refresh_oldest(&self, conn: &Connection) {
        if let Ok(oldest) = oldest_queued_ms(conn) {
            self.counts()
                .oldest_queued_ms
                .store(oldest.unwrap_or(0), Ordering::Release);
        }
    }

    /// The spool file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Records waiting to be shipped.
    pub fn len(&self) -> u64 {
        self.inner.level.records()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes of JSON waiting to be shipped: what the sink's size cap is measured against.
    /// The file itself is somewhat larger (row and page overhead, the WAL).
    pub fn size_bytes(&self) -> u64 {
        self.inner.level.bytes()
    }

    fn sql(&self) -> impl Fn(rusqlite::Error) -> SpoolError + '_ {
        |source| SpoolError::Sqlite {
            path: self.inner.path.clone(),
            source,
        }
    }

    fn conn(&self) -> Result<std::sync::MutexGuard<'_, Connection>, SpoolError> {
        self.inner.conn.lock().map_err(|_| SpoolError::Poisoned)
    }

    /// Appends the records in one transaction: when this returns Ok they are on disk, all of
    /// them; on Err none are.
    pub fn push_batch(&self, records: &[ExecutionRecord]) -> Result<(), SpoolError> {
        if records.is_empty() {
            return Ok(());
        }
        let bodies = records
            .iter()
            .map(|r| {
                serde_json::to_string(r).map_err(|source| SpoolError::Encode {
                    execution_id: r.execution_id.clone(),
                    source,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let now = chrono::Utc::now().timestamp_millis();
        let sql = self.sql();
        let mut conn = self.conn()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&sql)?;
        let (mut added, mut queued) = (0u64, 0u64);
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO records (execution_id, body, queued_at_ms) VALUES (?1, ?2, ?3)",
                )
                .map_err(&sql)?;
            let mut start = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO started (execution_id, body) VALUES (?1, ?2)",
                )
                .map_err(&sql)?;
            let mut end = tx
                .prepare_cached("DELETE FROM started WHERE execution_id = ?1")
                .map_err(&sql)?;
            for (r, body) in records.iter().zip(&bodies) {
                if r.status == ExecutionStatus::Running {
                    start.execute(params![r.execution_id, body]).map_err(&sql)?;
                    continue;
                }
                insert
                    .execute(params![r.execution_id, body, now])
                    .map_err(&sql)?;
                end.execute([&r.execution_id]).map_err(&sql)?;
                added += body.len() as u64;
                queued += 1;
            }
        }
        tx.commit().map_err(&sql)?;
        if queued == 0 {
            return Ok(());
        }
        let counts = self.counts();
        counts.len.fetch_add(queued, Ordering::AcqRel);
        counts.bytes.fetch_add(added, Ordering::AcqRel);
        // Still under the connection lock: nothing acks in between.
        let _ =
            counts
                .oldest_queued_ms
                .compare_exchange(0, now, Ordering::AcqRel, Ordering::Acquire);
        Ok(())
    }

    /// The runs whose start was marked and whose end never came: a crash or `kill -9`
    /// interrupted them. Their records as they started (status `running`). A row that cannot
    /// be read is logged and left out.
    pub fn interrupted(&self) -> Result<Vec<ExecutionRecord>, SpoolError> {
        let sql = self.sql();
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare("SELECT execution_id, body FROM started ORDER BY execution_id")
            .map_err(&sql)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(&sql)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(&sql)?;
        Ok(rows
            .into_iter()
            .filter_map(|(execution_id, body)| {
                serde_json::from_str(&body)
                    .map_err(|e| tracing::error!(execution_id, error = %e, "the start of a run in the spool cannot be read"))
                    .ok()
            })
            .collect())
    }

    /// The newest tick (plan time, unix ms) of each job among the records waiting here, not
    /// counting runs asked for by hand: with the log store's, what a worker that starts
    /// again knows it ran. Rows that cannot be read are left for [`Spool::peek`] to set aside.
    pub fn last_ticks(&self) -> Result<std::collections::HashMap<String, i64>, SpoolError> {
        let sql = self.sql();
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare(
                "SELECT json_extract(body, '$.jobName') AS job, \
                        MAX(json_extract(body, '$.planTimeMs')) \
                 FROM records WHERE json_valid(body) \
                   AND json_extract(body, '$.trigger') IS NOT 'manual' \
                   AND json_type(body, '$.planTimeMs') = 'integer' \
                 GROUP BY job HAVING job IS NOT NULL",
            )
            .map_err(&sql)?;
        stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .map_err(&sql)?
            .collect::<Result<_, _>>()
            .map_err(&sql)
    }

    /// Up to `limit` of the oldest records, oldest first, with their sequence numbers. A row
    /// that cannot be decoded is moved to the `unreadable` table (and logged) instead of
    /// being returned, so it cannot block the records behind it.
    pub fn peek(&self, limit: usize) -> Result<Vec<(i64, ExecutionRecord)>, SpoolError> {
        let sql = self.sql();
        let conn = self.conn()?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = {
            let mut stmt = conn
                .prepare_cached("SELECT seq, execution_id, body FROM records ORDER BY seq LIMIT ?1")
                .map_err(&sql)?;
            stmt.query_map([limit], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .map_err(&sql)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(&sql)?
        };
        let mut out = Vec::with_capacity(rows.len());
        for (seq, execution_id, body) in rows {
            match serde_json::from_str::<ExecutionRecord>(&body) {
                Ok(record) => out.push((seq, record)),
                Err(e) => {
                    tracing::error!(
                        seq,
                        execution_id,
                        error = %e,
                        spool = %self.inner.path.display(),
                        "a spooled execution record cannot be read; moved to the `unreadable` table"
                    );
                    self.set_aside(&conn, seq, body.len() as u64, &e.to_string())?;
                }
            }
        }
        Ok(out)
    }

    fn set_aside(
        &self,
        conn: &Connection,
        seq: i64,
        body_len: u64,
        error: &str,
    ) -> Result<(), SpoolError> {
        let sql = self.sql();
        conn.execute_batch("BEGIN IMMEDIATE").map_err(&sql)?;
        let moved = conn
            .execute(
                "INSERT OR REPLACE INTO unreadable (seq, execution_id, body, queued_at_ms, error)
                 SELECT seq, execution_id, body, queued_at_ms, ?2 FROM records WHERE seq = ?1",
                params![seq, error],
            )
            .and_then(|_| conn.execute("DELETE FROM records WHERE seq = ?1", [seq]))
            .and_then(|n| conn.execute_batch("COMMIT").map(|()| n));
        match moved {
            Ok(n) => {
                if n > 0 {
                    saturating_sub(&self.counts().len, 1);
                    saturating_sub(&self.counts().bytes, body_len);
                    self.refresh_oldest(conn);
                }
                Ok(())
            }
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                Err(sql(e))
            }
        }
    }

    /// Deletes every record up to and including `seq`: they are stored. Acking what is
    /// already gone does nothing, so acking twice is harmless.
    pub fn ack(&self, up_to_seq: i64) -> Result<u64, SpoolError> {
        let sql = self.sql();
        let mut conn = self.conn()?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(&sql)?;
        let (removed, bytes) = {
            let mut stmt = tx
                .prepare_cached(
                    "DELETE FROM records WHERE seq <= ?1 RETURNING length(CAST(body AS BLOB))",
                )
                .map_err(&sql)?;
            let sizes = stmt
                .query_map([up_to_seq], |r| r.get::<_, i64>(0))
                .map_err(&sql)?
                .collect::<Result<Vec<_>, _>>()
                .map_err(&sql)?;
            let bytes: i64 = sizes.iter().sum();
            (sizes.len() as u64, bytes.max(0).unsigned_abs())
        };
        tx.commit().map_err(&sql)?;
        saturating_sub(&self.counts().len, removed);
        saturating_sub(&self.counts().bytes, bytes);
        if removed > 0 {
            self.refresh_oldest(&conn);
        }
        if removed > 0 && self.is_empty() {
            // The backlog is gone: give its pages back to the file system. Cheap when the
            // spool was small (the usual case: a page or two), worth it after an outage.
            let free: Option<i64> = conn
                .query_row("PRAGMA freelist_count", [], |r| r.get(0))
                .optional()
                .map_err(&sql)?;
            if free.unwrap_or(0) > 0 {
                conn.execute_batch("PRAGMA incremental_vacuum")
                    .map_err(&sql)?;
            }
        }
        Ok(removed)
    }
}

/// How long opening waits for the spool directory's lock before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(2);

/// Takes the exclusive lock of the spool directory `dir` and writes this process's pid into
/// the lock file. The file is not truncated before the lock is ours: until then it holds the
/// pid of the process that has it.
fn lock_dir(dir: &Path) -> Result<File, SpoolError> {
    let path = dir.join(LOCK_FILE_NAME);
    let io = |source| SpoolError::Io {
        path: path.clone(),
        source,
    };
    let mut file = File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io)?;
    // A holder in this process that is letting go (a stopped sink's last disk task) takes
    // a moment; another live process does not let go.
    let deadline = std::time::Instant::now() + LOCK_WAIT;
    let mut locked = file.try_lock();
    while matches!(locked, Err(std::fs::TryLockError::WouldBlock))
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(20));
        locked = file.try_lock();
    }
    match locked {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            // The holder may not have written its pid yet: then the message goes without.
            let holder = std::fs::read_to_string(&path)
                .ok()
                .and_then(|text| text.trim().parse().ok());
            return Err(SpoolError::InUse {
                dir: dir.to_path_buf(),
                holder,
            });
        }
        Err(std::fs::TryLockError::Error(source)) => return Err(io(source)),
    }
    file.set_len(0).map_err(io)?;
    writeln!(file, "{}", std::process::id()).map_err(io)?;
    Ok(file)
}

/// When the oldest record waiting was queued (Unix ms), if one is: the head of the queue,
/// found by its primary key.
fn oldest_queued_ms(conn: &Connection) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT queued_at_ms FROM records ORDER BY seq LIMIT 1",
        [],
        |r| r.get(0),
    )
    .optional()
}

/// Counters never wrap below zero, even if the table was edited behind our back.
fn saturating_sub(counter: &AtomicU64, n: u64) {
    let _ = counter.fetch_update(Ordering::AcqRel, Ordering::Acquire, |v| {
        Some(v.saturating_sub(n))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str) -> ExecutionRecord {
        ExecutionRecord {
            execution_id: id.into(),
            job_name: "job".into(),
            command: "echo hi".into(),
            output: format!("output of {id}\n"),
            attempt: 1,
            ..Default::default()
        }
    }

    fn ids(entries: &[(i64, ExecutionRecord)]) -> Vec<&str> {
        entries
            .iter()
            .map(|(_, r)| r.execution_id.as_str())
            .collect()
    }

    #[test]
    fn last_ticks_are_the_newest_plan_times_waiting_per_job_not_counting_manual_runs() {
        let dir = tempfile::tempdir().expect("tempdir");
        let spool = Spool::open(dir.path()).expect("open");
        let tick =
            |id: &str, job: &str, plan: i64, trigger: schedd_core::Trigger| ExecutionRecord {
                job_name: job.into(),
                plan_time_ms: plan,
                trigger,
                ..record(id)
            };
        use schedd_core::Trigger::{CatchUp, Manual, Schedule};
        spool
            .push_batch(&[
                tick("a1", "a", 3_000, Schedule),
                tick("a2", "a", 1_000, Schedule),
                tick("a3", "a", 9_000, Manual),
                tick("b1", "b", 5_000, CatchUp),
                tick("c1", "c", 6_000, Manual),
            ])
            .expect("push");
        let last = spool.last_ticks().expect("last ticks");
        assert_eq!(
            last,
            std::collections::HashMap::from([("a".to_owned(), 3_000), ("b".to_owned(), 5_000)])
        );
        let (upto, _) = spool.peek(10).expect("peek").pop().expect("records");
        spool.ack(upto).expect("ack");
        assert!(spool.last_ticks().expect("last ticks").is_empty());
    }

    #[test]
    fn a_marked_start_is_interrupted_until_its_record_is_pushed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let spool = Spool::open(dir.path()).expect("open");
        let running = |id: &str| ExecutionRecord {
            status: ExecutionStatus::Running,
            ..record(id)
        };
        spool
            .push_batch(&[running("a"), running("b")])
            .expect("push starts");
        assert!(spool.is_empty(), "a start is not a record to ship");
        assert_eq!(spool.size_bytes(), 0);
        // `a` ends, in the same batch as the start of `c`.
        spool
            .push_batch(&[
                ExecutionRecord {
                    status: ExecutionStatus::Success,
                    ..record("a")
                },
                running("c"),
            ])
            .expect("push");
        assert_eq!(spool.len(), 1);
        drop(spool);
        // The process died: `b` and `c` were going on.
        let spool = Spool::open(dir.path()).expect("open again");
        let ids: Vec<String> = spool
            .interrupted()
            .expect("interrupted")
            .into_iter()
            .map(|r| r.execution_id)
            .collect();
        assert_eq!(ids, ["b", "c"]);
        let lost: Vec<_> = ["b", "c"]
            .map(|id| ExecutionRecord {
                status: ExecutionStatus::Lost,
                ..record(id)
            })
            .into();
        spool.push_batch(&lost).expect("push lost");
        assert!(spool.interrupted().expect("interrupted").is_empty());
        assert_eq!(spool.len(), 3);
    }

    #[test]
    fn records_leave_oldest_first_and_ack_removes_up_to_a_seq() {
        let dir = tempfile::tempdir().expect("tempdir");
        let spool = Spool::open(dir.path()).expect("open");
        assert!(spool.is_empty());
        spool.push_batch(&[record("a"), record("b")]).expect("push");
        spool.push_batch(&[record("c")]).expect("push");
        assert_eq!(spool.len(), 3);
        let first = spool.peek(2).expect("peek");
        assert_eq!(ids(&first), ["a", "b"]);
        assert_eq!(first[0].1, record("a"), "the record comes back whole");
        assert!(first[0].0 < first[1].0);
        assert_eq!(spool.ack(first[1].0).expect("ack"), 2);
        assert_eq!(ids(&spool.peek(10).expect("peek")), ["c"]);
        assert_eq!(spool.len(), 1);
    }

    #[test]
    fn reopening_keeps_the_records_not_acked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let spool = Spool::open(dir.path()).expect("open");
        spool
            .push_batch(&[record("a"), record("b"), record("c")])
            .expect("push");
        let a = spool.peek(1).expect("peek")[0].0;
        spool.ack(a).expect("ack");
        let size = spool.size_bytes();
        drop(spool);
        let spool = Spool::open(dir.path()).expect("reopen");
        assert_eq!(spool.len(), 2);
        assert_eq!(spool.size_bytes(), size, "the size is recounted on open");
        assert_eq!(ids(&spool.peek(10).expect("peek")), ["b", "c"]);
        // Sequence numbers keep growing across restarts (AUTOINCREMENT), so an ack of an old
        // batch can never hit a new record.
        spool.push_batch(&[record("d")]).expect("push");
        let seqs: Vec<i64> = spool.peek(10).expect("peek").iter().map(|e| e.0).collect();
        assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    }

    #[test]
    fn the_level_follows_the_queue_and_its_oldest_record() {
        let dir = tempfile::tempdir().expect("tempdir");
        let spool = Spool::open(dir.path()).expect("open");
        let level = spool.level();
        assert_eq!((level.records(), level.oldest_queued_at_ms()), (0, None));
        let before = chrono::Utc::now().timestamp_millis();
        spool.push_batch(&[record("a")]).expect("push");
        let after = chrono::Utc::now().timestamp_millis();
        let first = level.oldest_queued_at_ms().expect("a record waits");
        assert!(
            (before..=after).contains(&first),
            "{first} not in {before}..={after}"
        );
        spool.push_batch(&[record("b")]).expect("push");
        assert_eq!(
            level.oldest_queued_at_ms(),
            Some(first),
            "the oldest stays the oldest"
        );
        let a = spool.peek(1).expect("peek")[0].0;
        spool.ack(a).expect("ack");
        let second = level.oldest_queued_at_ms().expect("b waits");
        assert!(second >= first);
        assert_eq!(level.records(), 1);
        drop(spool);
        // Read from the file on open; the handle outlives the spool without holding it.
        assert_eq!(level.records(), 1);
        let spool = Spool::open(dir.path()).expect("reopen");
        assert_eq!(spool.level().oldest_queued_at_ms(), Some(second));
        let b = spool.peek(1).expect("peek")[0].0;
        spool.ack(b).expect("ack");
        assert_eq!(spool.level().oldest_queued_at_ms(), None);
    }

    #[test]
    fn ack_is_idempotent() {
        let dir = tempfile::tempdir().expect("tempdir");
        let spool = Spool::open(dir.path()).expect("open");
        spool.push_batch(&[record("a"), record("b")]).expect("push");
        let a = spool.peek(1).expect("peek")[0].0;
        assert_eq!(spool.ack(a).expect("ack"), 1);
        assert_eq!(spool.ack(a).expect("ack again"), 0);
        assert_eq!(spool.len(), 1);
        assert_eq!(ids(&spool.peek(10).expect("peek")), ["b"]);
    }

    #[test]
    fn size_counts_the_json_of_the_records_waiting() {
        let dir = tempfile::tempdir().expect("tempdir");
        let spool = Spool::open(dir.path()).expect("open");
        assert_eq!(spool.size_bytes(), 0);
        let mut big = record("big");
        big.output = "é".repeat(1000); // two bytes each: bytes, not characters, are counted
        let json = |r: &ExecutionRecord| serde_json::to_string(r).expect("json").len() as u64;
        spool.push_batch(&[record("a"), big.clone()]).expect("push");
        assert_eq!(spool.size_bytes(), json(&record("a")) + json(&big));
        assert!(spool.size_bytes() > 2000);
        let a = spool.peek(1).expect("peek")[0].0;
        spool.ack(a).expect("ack");
        assert_eq!(spool.size_bytes(), json(&big));
        let last = spool.peek(1).expect("peek")[0].0;
        spool.ack(last).expect("ack");
        assert_eq!((spool.len(), spool.size_bytes()), (0, 0));
    }

    #[test]
    fn an_unreadable_row_is_set_aside_and_does_not_block_the_rest() {
        let dir = tempfile::tempdir().expect("tempdir");
        let spool = Spool::open(dir.path()).expect("open");
        spool.push_batch(&[record("a")]).expect("push");
        {
            let conn = spool.conn().expect("conn");
            conn.execute(
                "UPDATE records SET body = '{\"jobName\": 7}' WHERE execution_id = 'a'",
                [],
            )
            .expect("corrupt it");
        }
        spool.push_batch(&[record("b")]).expect("push");
        assert_eq!(ids(&spool.peek(10).expect("peek")), ["b"]);
        assert_eq!(spool.len(), 1);
        let conn = spool.conn().expect("conn");
        let kept: String = conn
            .query_row("SELECT execution_id FROM unreadable", [], |r| r.get(0))
            .expect("kept aside");
        assert_eq!(kept, "a");
    }
}

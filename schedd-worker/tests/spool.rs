//! The log sink against a real SQLite log store and a real spool file: records reach the
//! store exactly once through store outages, shutdowns and restarts, and a full spool slows
//! the runner down instead of dropping records.
//!
//! A store outage is made for real: another connection holds `BEGIN EXCLUSIVE` on the
//! store's file, so the store's inserts wait out their busy timeout and fail.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use schedd_core::store::{LogPage, LogQuery, LogStats, LogStore, Retention, StoreError};
use schedd_core::{Event, EventHub, ExecutionRecord, ExecutionStatus};
use schedd_store::SqliteStore;
use schedd_worker::record_queue::{self, RecordSender};
use schedd_worker::sink::{self, SinkConfig};
use schedd_worker::spool::{Spool, SpoolError};
use tokio::sync::broadcast;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

const DEADLINE: Duration = Duration::from_secs(60);

/// How long the store is down in `a_store_outage_delays_records_and_loses_none`: 30 s, far
/// longer than the SQLite store's 5 s busy timeout, so inserts fail again and again and the
/// sink backs off (up to its 5 s maximum) and retries until the store is back.
const OUTAGE: Duration = Duration::from_secs(30);

struct Env {
    dir: tempfile::TempDir,
    db: PathBuf,
    store: SqliteStore,
    events: EventHub,
}

struct RunningSink {
    tx: RecordSender,
    spool: Spool,
    shutdown: CancellationToken,
    task: tokio::task::JoinHandle<()>,
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("schedd.db");
        let store = SqliteStore::open(&db).expect("open store");
        Env {
            dir,
            db,
            store,
            // Room for every finished event of a test, so none is lost to lagging.
            events: EventHub::new(4096),
        }
    }

    fn spool_dir(&self) -> PathBuf {
        self.dir.path().join("spool")
    }

    fn start(&self, cfg: SinkConfig, channel: usize) -> RunningSink {
        self.start_with(cfg, channel, Arc::new(self.store.clone()))
    }

    fn start_with(&self, cfg: SinkConfig, channel: usize, store: Arc<dyn LogStore>) -> RunningSink {
        let (tx, rx) =
            record_queue::channel(channel, record_queue::DEFAULT_BYTES, Default::default());
        let spool = Spool::open(self.spool_dir()).expect("open spool");
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(sink::run(
            rx,
            store,
            spool.clone(),
            cfg,
            self.events.clone(),
            shutdown.clone(),
        ));
        RunningSink {
            tx,
            spool,
            shutdown,
            task,
        }
    }
}

impl RunningSink {
    /// What a stopping worker does: the runner is gone (the channel closes) and shutdown is
    /// cancelled. The sink must return.
    async fn stop(self) {
        drop(self.tx);
        self.shutdown.cancel();
        tokio::time::timeout(DEADLINE, self.task)
            .await
            .expect("the sink stops in time")
            .expect("the sink did not panic");
    }
}

/// Another connection holding the store's write lock: the store is "down" until `end`.
struct Outage(Connection);

impl Outage {
    fn begin(db: &Path) -> Outage {
        let conn = Connection::open(db).expect("open store file");
        conn.busy_timeout(Duration::from_secs(30))
            .expect("busy timeout");
        conn.execute_batch("BEGIN EXCLUSIVE")
            .expect("lock the store");
        Outage(conn)
    }

    fn end(self) {
        self.0.execute_batch("ROLLBACK").expect("unlock the store");
    }
}

fn cfg(batch_size: usize) -> SinkConfig {
    SinkConfig {
        commit_timeout: Duration::from_millis(50),
        ..SinkConfig::new(batch_size)
    }
}

fn record(tag: &str, i: usize) -> ExecutionRecord {
    ExecutionRecord {
        execution_id: format!("{tag}-{i:05}"),
        job_name: tag.into(),
        command: "echo hi".into(),
        output: format!("hi {i}\n"),
        plan_time_ms: 1_700_000_000_000 + i as i64 * 1000,
        schedule_time_ms: 1_700_000_000_000 + i as i64 * 1000,
        start_time_ms: 1_700_000_000_001 + i as i64 * 1000,
        end_time_ms: 1_700_000_000_002 + i as i64 * 1000,
        worker_ip: "127.0.0.1".into(),
        worker_id: "test".into(),
        attempt: 1,
        status: ExecutionStatus::Success,
        ..Default::default()
    }
}

/// How many times each execution id is in the store, read through a connection of its own.
fn stored(db: &Path) -> BTreeMap<String, i64> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    let mut stmt = conn
        .prepare("SELECT execution_id, COUNT(*) FROM executions GROUP BY execution_id")
        .expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

fn assert_each_stored_once(db: &Path, ids: &BTreeSet<String>) {
    let stored = stored(db);
    for id in ids {
        assert_eq!(stored.get(id), Some(&1), "{id} is stored exactly once");
    }
}

/// Adds the ids of the finished events received so far to `seen`; returns how many there are.
fn finished(rx: &mut broadcast::Receiver<Event>, seen: &mut BTreeSet<String>) -> usize {
    while let Ok(ev) = rx.try_recv() {
        if let Event::ExecutionFinished(r) = ev {
            seen.insert(r.execution_id);
        }
    }
    seen.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_reach_the_store_whole_and_leave_the_spool() {
    let env = Env::new();
    let mut events = env.events.subscribe();
    let mut seen = BTreeSet::new();
    let sink = env.start(cfg(100), 64);
    let records: Vec<_> = (0..250).map(|i| record("flow", i)).collect();
    for r in &records {
        sink.tx.send(r.clone()).await.expect("send");
    }
    let ids: BTreeSet<String> = records.iter().map(|r| r.execution_id.clone()).collect();
    testkit::until("every record stored and acked", DEADLINE, || {
        stored(&env.db).len() == ids.len() && sink.spool.is_empty()
    })
    .await;
    assert_each_stored_once(&env.db, &ids);
    assert_eq!(sink.spool.size_bytes(), 0);
    let page = env
        .store
        .list(&LogQuery {
            job_name: Some("flow".into()),
            page: 1,
            page_size: 1,
            ..Default::default()
        })
        .await
        .expect("list");
    assert_eq!(
        page.records,
        [records[249].clone()],
        "a record comes out of the spool exactly as it went in"
    );
    testkit::until("a finished event for every record", DEADLINE, || {
        finished(&mut events, &mut seen) == ids.len()
    })
    .await;
    sink.stop().await;
    let reopened = Spool::open(env.spool_dir()).expect("reopen");
    assert!(reopened.is_empty(), "nothing is left for the next start");
}

#[test]
fn a_spool_directory_is_used_by_one_process_at_a_time() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("spool");
    let first = Spool::open(&dir).expect("open");
    let clone = first.clone();
    // A second handle on the same directory, as a second worker would open it. The lock is
    // per open file, so a second open in this process conflicts just as another process's
    // would.
    let check_in_use = || {
        let err = Spool::open(&dir).expect_err("the directory is in use");
        let message = err.to_string();
        match err {
            SpoolError::InUse { dir: d, holder } => {
                assert_eq!(d, dir);
                assert_eq!(holder, Some(std::process::id()), "the holder's pid is read");
            }
            other => panic!("expected SpoolError::InUse, got {other:?}"),
        }
        assert!(
            message.contains(&format!("spool directory {}", dir.display()))
                && message.contains("in use by another process")
                && message.contains(&format!("pid {}", std::process::id())),
            "{message}"
        );
    };
    check_in_use();
    first.push_batch(&[record("locked", 0)]).expect("push");
    drop(first);
    // A clone holds the lock as long as it lives.
    check_in_use();
    drop(clone);
    let reopened = Spool::open(&dir).expect("open once the first is dropped");
    assert_eq!(reopened.len(), 1, "the same spool, with its record");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_outage_delays_records_and_loses_none() {
    let env = Env::new();
    let mut events = env.events.subscribe();
    let mut seen = BTreeSet::new();
    let outage = Outage::begin(&env.db);
    let outage_started = Instant::now();
    let sink = env.start(cfg(100), 64);
    let ids: BTreeSet<String> = (0..200).map(|i| record("outage", i).execution_id).collect();
    for i in 0..200 {
        sink.tx.send(record("outage", i)).await.expect("send");
    }
    testkit::until("all 200 records spooled", DEADLINE, || {
        sink.spool.len() == 200
    })
    .await;
    assert!(
        stored(&env.db).is_empty(),
        "nothing reaches a store that is down"
    );
    assert!(
        finished(&mut events, &mut seen) == 0,
        "no record is announced as finished before it is stored"
    );
    tokio::time::sleep_until(outage_started + OUTAGE).await;
    outage.end();
    testkit::until(
        "every record stored and acked after the outage",
        DEADLINE,
        || stored(&env.db).len() == ids.len() && sink.spool.is_empty(),
    )
    .await;
    assert_each_stored_once(&env.db, &ids);
    testkit::until("a finished event for every record", DEADLINE, || {
        finished(&mut events, &mut seen) == ids.len()
    })
    .await;
    sink.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_left_in_the_spool_at_shutdown_are_shipped_by_the_next_sink() {
    let env = Env::new();
    let outage = Outage::begin(&env.db);
    // The store stays down through the whole drain period.
    let first = env.start(
        SinkConfig {
            drain_timeout: Duration::from_millis(300),
            ..cfg(20)
        },
        64,
    );
    let ids: BTreeSet<String> = (0..50).map(|i| record("left", i).execution_id).collect();
    for i in 0..50 {
        first.tx.send(record("left", i)).await.expect("send");
    }
    testkit::until("all 50 records spooled", DEADLINE, || {
        first.spool.len() == 50
    })
    .await;
    first.stop().await;
    assert!(stored(&env.db).is_empty(), "the store was down throughout");
    let reopened = Spool::open(env.spool_dir()).expect("reopen");
    assert_eq!(reopened.len(), 50, "the records wait in the spool file");
    drop(reopened);

    outage.end();
    // A new process: a new store handle and a new sink on the same spool directory. (The
    // first sink's abandoned insert may still land when the lock goes; the store skips the
    // duplicates the second sink then sends.)
    let store = SqliteStore::open(&env.db).expect("reopen store");
    let second = env.start_with(cfg(20), 64, Arc::new(store));
    testkit::until("the left-over records stored", DEADLINE, || {
        stored(&env.db).len() == ids.len() && second.spool.is_empty()
    })
    .await;
    assert_each_stored_once(&env.db, &ids);
    second.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_spool_stops_reading_and_makes_runs_wait_without_dropping_records() {
    let env = Env::new();
    let outage = Outage::begin(&env.db);
    // Any record fills this spool, and the channel holds 8: the runner's ninth record or so
    // has to wait.
    let sink = env.start(
        SinkConfig {
            spool_max_bytes: 1,
            ..cfg(100)
        },
        8,
    );
    let probe = sink.tx.clone();
    let sent = Arc::new(AtomicUsize::new(0));
    let runner = {
        let tx = sink.tx.clone();
        let sent = Arc::clone(&sent);
        tokio::spawn(async move {
            for i in 0..40 {
                tx.send(record("full", i)).await.expect("send");
                sent.fetch_add(1, Ordering::SeqCst);
            }
        })
    };
    // The first batch makes the spool full; the writer then reads nothing more, so the
    // channel fills behind it.
    testkit::until(
        "a first batch spooled and the channel full",
        DEADLINE,
        || !sink.spool.is_empty() && probe.capacity() == 0,
    )
    .await;
    let spooled = sink.spool.len();
    assert!(
        (1..=8).contains(&spooled),
        "the writer stopped after one batch: {spooled} spooled"
    );
    assert!(
        sent.load(Ordering::SeqCst) < 40,
        "the runner is held up, not its records dropped"
    );
    assert_eq!(
        sink.spool.len(),
        spooled,
        "a full spool takes no more records"
    );
    drop(probe);
    outage.end();
    tokio::time::timeout(DEADLINE, runner)
        .await
        .expect("the runner gets every record out once the store is back")
        .expect("runner task");
    let ids: BTreeSet<String> = (0..40).map(|i| record("full", i).execution_id).collect();
    testkit::until("every record stored", DEADLINE, || {
        stored(&env.db).len() == ids.len() && sink.spool.is_empty()
    })
    .await;
    assert_each_stored_once(&env.db, &ids);
    sink.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_batch_and_a_shutdown_do_not_wait_for_the_commit_timeout() {
    let env = Env::new();
    let lazy = SinkConfig {
        commit_timeout: Duration::from_secs(3600),
        ..SinkConfig::new(10)
    };
    let sink = env.start(lazy, 64);
    for i in 0..10 {
        sink.tx.send(record("batch", i)).await.expect("send");
    }
    testkit::until("a full batch shipped at once", DEADLINE, || {
        stored(&env.db).len() == 10
    })
    .await;
    for i in 10..13 {
        sink.tx.send(record("batch", i)).await.expect("send");
    }
    testkit::until("the partial batch spooled", DEADLINE, || {
        sink.spool.len() == 3
    })
    .await;
    sink.stop().await;
    assert_eq!(
        stored(&env.db).len(),
        13,
        "a stopping sink sends its partial batch"
    );
}

/// The real SQLite store, except that it refuses for good (as a master refuses an invalid
/// record) every batch that holds a record of job `poison`.
#[derive(Debug)]
struct Refusing(SqliteStore);

#[async_trait::async_trait]
impl LogStore for Refusing {
    async fn insert(&self, records: &[ExecutionRecord]) -> Result<usize, StoreError> {
        if records.iter().any(|r| r.job_name == "poison") {
            return Err(StoreError::Corrupt(
                "record of job `poison` is invalid".into(),
            ));
        }
        self.0.insert(records).await
    }
    async fn list(&self, q: &LogQuery) -> Result<LogPage, StoreError> {
        self.0.list(q).await
    }
    async fn latest(&self, job: &str) -> Result<Option<ExecutionRecord>, StoreError> {
        self.0.latest(job).await
    }
    async fn find(&self, ids: &[String]) -> Result<Vec<ExecutionRecord>, StoreError> {
        self.0.find(ids).await
    }
    async fn last_ticks(
        &self,
        jobs: &[String],
    ) -> Result<std::collections::HashMap<String, i64>, StoreError> {
        self.0.last_ticks(jobs).await
    }
    async fn stats(
        &self,
        job: Option<&str>,
        since: chrono::DateTime<chrono::Utc>,
    ) -> Result<LogStats, StoreError> {
        self.0.stats(job, since).await
    }
    async fn prune(
        &self,
        retention: &Retention,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<u64, StoreError> {
        self.0.prune(retention, now).await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_record_the_store_refuses_for_good_is_set_aside_and_does_not_block_the_rest() {
    let env = Env::new();
    let sink = env.start_with(cfg(50), 64, Arc::new(Refusing(env.store.clone())));
    let mut records: Vec<_> = (0..40).map(|i| record("flow", i)).collect();
    records.insert(20, record("poison", 0));
    for r in &records {
        sink.tx.send(r.clone()).await.expect("send");
    }
    let good: BTreeSet<String> = records
        .iter()
        .filter(|r| r.job_name == "flow")
        .map(|r| r.execution_id.clone())
        .collect();
    testkit::until(
        "the good records stored and the spool empty",
        DEADLINE,
        || stored(&env.db).len() == good.len() && sink.spool.is_empty(),
    )
    .await;
    assert_each_stored_once(&env.db, &good);
    let rejected = std::fs::read_to_string(env.spool_dir().join(sink::REJECTED_FILE))
        .expect("the rejected file");
    let lines: Vec<serde_json::Value> = rejected
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 1, "{rejected}");
    assert_eq!(lines[0]["record"]["jobName"], "poison");
    assert!(
        lines[0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("invalid")),
        "{rejected}"
    );
    sink.stop().await;
}

//! No execution record is lost (DESIGN.md, guarantee 2), end to end: the real
//! `schedd-master --dev` binary runs a job every second while its store is locked by this
//! test, so finished records pile up in the worker's spool; the master is killed with
//! SIGKILL; after a restart on the same data directory every record that was in the spool
//! is in the store, exactly once.

use std::collections::BTreeMap;
use std::fs::OpenOptions;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use schedd_proto::v1 as pb;
use schedd_proto::v1::job_service_client::JobServiceClient;
use schedd_proto::v1::log_service_client::LogServiceClient;
use tonic::transport::Channel;

const DEADLINE: Duration = Duration::from_secs(60);

/// A `schedd-master --dev` process; killed (SIGKILL) when dropped.
struct MasterProcess {
    child: Child,
    channel: Channel,
    log: PathBuf,
}

impl MasterProcess {
    /// Starts the binary on port 0 and connects to the address it logs having bound.
    async fn start(data_dir: &Path, log: &Path) -> MasterProcess {
        // The log is appended to across restarts: only what this start writes counts.
        let from = std::fs::metadata(log).map_or(0, |m| m.len() as usize);
        let stderr = OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .expect("master log");
        let mut child = Command::new(env!("CARGO_BIN_EXE_schedd-master"))
            .arg("--dev")
            .arg("--data-dir")
            .arg(data_dir)
            .arg("--listen")
            .arg("127.0.0.1:0")
            .env("SCHEDD_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .expect("spawn schedd-master");
        let addr =
            testkit::eventually_async("the master's bound address in its log", DEADLINE, || {
                if let Some(status) = child.try_wait().expect("try_wait") {
                    let text = std::fs::read_to_string(log).unwrap_or_default();
                    panic!("schedd-master exited with {status}:\n{text}");
                }
                let text = std::fs::read(log).unwrap_or_default();
                let text = String::from_utf8_lossy(text.get(from..).unwrap_or_default());
                std::future::ready(bound_address(&text))
            })
            .await;
        // It logs the address once it is bound, so connecting cannot race the server's start.
        let channel = Channel::from_shared(format!("http://{addr}"))
            .expect("uri")
            .connect()
            .await
            .expect("connect to the master");
        MasterProcess {
            child,
            channel,
            log: log.to_path_buf(),
        }
    }

    /// SIGKILL: no shutdown path runs, no record is handed over.
    fn kill(mut self) {
        self.child.kill().expect("kill -9");
        self.child.wait().expect("reap");
    }
}

impl Drop for MasterProcess {
    /// After a failure, the master's log goes to the test's log.
    #[allow(clippy::print_stderr)]
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            let text = std::fs::read_to_string(&self.log).unwrap_or_default();
            eprintln!("--- schedd-master log ---\n{text}");
        }
    }
}

/// The address in the `listen=` field of the master's ready line.
fn bound_address(log: &str) -> Option<SocketAddr> {
    log.lines()
        .filter(|l| l.contains("schedd embedded scheduler ready"))
        .flat_map(str::split_whitespace)
        .find_map(|field| field.strip_prefix("listen=")?.parse().ok())
}

/// Execution ids in the spool file, oldest first, read without disturbing the writer.
fn spooled(spool_db: &Path) -> Vec<String> {
    spool_ids(spool_db, "SELECT execution_id FROM records ORDER BY seq")
}

/// Execution ids of the runs whose start the spool holds and whose end it has not seen.
fn started(spool_db: &Path) -> Vec<String> {
    spool_ids(
        spool_db,
        "SELECT execution_id FROM started ORDER BY execution_id",
    )
}

fn spool_ids(spool_db: &Path, sql: &str) -> Vec<String> {
    if !spool_db.exists() {
        return Vec::new();
    }
    let conn =
        Connection::open_with_flags(spool_db, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    conn.busy_timeout(Duration::from_secs(10))
        .expect("busy timeout");
    let mut stmt = conn.prepare(sql).expect("prepare");
    stmt.query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

/// How many times each execution id is in the store.
fn stored(db: &Path) -> BTreeMap<String, i64> {
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).expect("open");
    conn.busy_timeout(Duration::from_secs(10))
        .expect("busy timeout");
    let mut stmt = conn
        .prepare("SELECT execution_id, COUNT(*) FROM executions GROUP BY execution_id")
        .expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

async fn listed(m: &MasterProcess, job: &str) -> Vec<String> {
    records_of(m, job)
        .await
        .into_iter()
        .map(|r| r.execution_id)
        .collect()
}

async fn records_of(m: &MasterProcess, job: &str) -> Vec<pb::ExecutionRecord> {
    LogServiceClient::new(m.channel.clone())
        .list_logs(pb::ListLogsRequest {
            job_name: job.into(),
            page: 1,
            page_size: 500,
            ..Default::default()
        })
        .await
        .expect("list logs")
        .into_inner()
        .records
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn records_spooled_when_the_master_is_killed_are_stored_once_after_restart() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let log = tmp.path().join("master.log");
    let db = data.join("schedd.db");
    let spool_db = data.join("spool").join("spool.db");

    let m = MasterProcess::start(&data, &log).await;
    JobServiceClient::new(m.channel.clone())
        .save_job(pb::SaveJobRequest {
            job: Some(pb::Job {
                name: "tick".into(),
                cron_expr: "* * * * * *".into(),
                command: "echo x".into(),
                ..Default::default()
            }),
            expected_revision: None,
        })
        .await
        .expect("save job");
    // The pipeline works before the outage: a record gets all the way to the store.
    testkit::eventually_async("a record stored", DEADLINE, || async {
        (!listed(&m, "tick").await.is_empty()).then_some(())
    })
    .await;

    // The store goes down: this connection holds its write lock (readers still read).
    let lock = Connection::open(&db).expect("open store file");
    lock.busy_timeout(Duration::from_secs(30))
        .expect("busy timeout");
    lock.execute_batch("BEGIN EXCLUSIVE")
        .expect("lock the store");
    testkit::until("records piling up in the spool", DEADLINE, || {
        spooled(&spool_db).len() >= 3
    })
    .await;
    m.kill();

    // Read after the kill: exactly what the dead process left behind.
    let left = spooled(&spool_db);
    assert!(left.len() >= 3, "{left:?}");
    let before = stored(&db);
    for id in &left {
        assert!(
            !before.contains_key(id),
            "{id} cannot be stored: the store was locked"
        );
    }
    lock.execute_batch("ROLLBACK").expect("unlock the store");
    drop(lock);

    let m = MasterProcess::start(&data, &log).await;
    testkit::until("every record left in the spool stored", DEADLINE, || {
        let now = stored(&db);
        left.iter().all(|id| now.contains_key(id))
    })
    .await;
    let after = stored(&db);
    for id in &left {
        assert_eq!(after.get(id), Some(&1), "{id} is stored exactly once");
    }
    let twice: Vec<_> = after.iter().filter(|(_, n)| **n != 1).collect();
    assert!(twice.is_empty(), "stored more than once: {twice:?}");
    testkit::until("the shipped records gone from the spool", DEADLINE, || {
        let now = spooled(&spool_db);
        left.iter().all(|id| !now.contains(id))
    })
    .await;
    let visible = listed(&m, "tick").await;
    for id in &left {
        assert!(visible.contains(id), "{id} is listed through the API");
    }
    let text = std::fs::read_to_string(&log).expect("log");
    assert!(
        text.contains("left in the spool by a previous run"),
        "the restart says it ships a previous run's records:\n{text}"
    );
    m.kill();
}

async fn save(m: &MasterProcess, job: pb::Job) {
    JobServiceClient::new(m.channel.clone())
        .save_job(pb::SaveJobRequest {
            job: Some(job),
            expected_revision: None,
        })
        .await
        .expect("save job");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_going_on_when_the_master_is_killed_is_recorded_lost_and_not_run_again() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let log = tmp.path().join("master.log");
    let spool_db = data.join("spool").join("spool.db");
    // A number `sleep` takes, unique to this test run.
    let marker = format!("300.{}", std::process::id());

    let m = MasterProcess::start(&data, &log).await;
    // One tick, 2 s from now, with a catch-up window that would cover it after the restart.
    let tick = chrono::Utc::now().timestamp() + 2;
    save(
        &m,
        pb::Job {
            name: "long".into(),
            cron_expr: format!("{} * * * * *", tick % 60),
            command: format!("sleep {marker}"),
            catch_up_seconds: 3600,
            ..Default::default()
        },
    )
    .await;
    testkit::until("the run started", DEADLINE, || {
        !testkit::sleeps_with(&marker).is_empty()
    })
    .await;
    testkit::until("its start marked in the spool", DEADLINE, || {
        started(&spool_db).len() == 1
    })
    .await;
    let id = started(&spool_db).remove(0);
    m.kill();
    // Its process outlives the master (it has a process group of its own): end it.
    for pid in testkit::sleeps_with(&marker) {
        let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
    }
    testkit::until("the orphaned run gone", DEADLINE, || {
        testkit::sleeps_with(&marker).is_empty()
    })
    .await;

    let m = MasterProcess::start(&data, &log).await;
    // A job every second: once it has a record, the scheduler has handed over the missed
    // ticks (it does so before it fires anything) and a run of them would have started.
    save(
        &m,
        pb::Job {
            name: "probe".into(),
            cron_expr: "* * * * * *".into(),
            command: "true".into(),
            ..Default::default()
        },
    )
    .await;
    testkit::eventually_async("a run of the probe", DEADLINE, || async {
        (!records_of(&m, "probe").await.is_empty()).then_some(())
    })
    .await;
    let records =
        testkit::eventually_async("a record of the interrupted run", DEADLINE, || async {
            let records = records_of(&m, "long").await;
            (!records.is_empty()).then_some(records)
        })
        .await;
    assert_eq!(
        records.len(),
        1,
        "one record for the one tick: {records:#?}"
    );
    let r = &records[0];
    assert_eq!(r.execution_id, id);
    assert_eq!(r.status(), pb::ExecutionStatus::Lost, "{r:#?}");
    assert!(r.error.contains("stopped"), "the record says why: {r:#?}");
    assert_eq!(r.plan_time.as_ref().map(|t| t.seconds), Some(tick));
    assert!(
        testkit::sleeps_with(&marker).is_empty(),
        "the interrupted tick counts as run: it is not run again as a catch-up"
    );
    assert!(started(&spool_db).is_empty(), "the start is settled");
    m.kill();
}

//! The etcd backend against a real etcd: each test starts its own server (testkit's
//! [`EtcdServer`], on free loopback ports with a fresh data directory), so tests run in
//! parallel and may stop, restart and compact their server freely.
//!
//! Waits are for conditions, with generous deadlines; nothing here asserts a duration.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use schedd_core::store::{Expect, JobChange, JobStore, StoreError, Versioned};
use schedd_core::{Job, JobName};
use schedd_store::etcd::claims::RunMarker;
use schedd_store::etcd::coordinator::{ClusterEvent, EtcdCoordinator, Forget};
use schedd_store::etcd::lease::KeptLease;
use schedd_store::etcd::output::{announce_wanted_output, follow_wanted_output};
use schedd_store::etcd::registry::MasterInfo;
use schedd_store::etcd::{
    Change, Etcd, EtcdJobStore, EtcdOptions, KeyRange, WatchItem, follow, follow_from,
};
use testkit::{EtcdServer, eventually_async};
use tokio::sync::{broadcast, mpsc};
use tokio_util::sync::CancellationToken;

const DEADLINE: Duration = Duration::from_secs(30);

/// The old Go master's job JSON, byte for byte as it wrote it.
const GO_JOB: &str = r#"{"name":"x","command":"echo hi","cronExpr":"*/5 * * * * *","timeout":0,"disabled":false,"createdAt":1700000000,"updatedAt":1700000000}"#;

async fn connect(server: &EtcdServer) -> Etcd {
    Etcd::connect(&EtcdOptions::new(vec![server.endpoint()]))
        .await
        .expect("connect to the test etcd")
}

fn job(name: &str, command: &str) -> Job {
    Job::new(name, "*/5 * * * * *", command)
}

fn name(s: &str) -> JobName {
    JobName::new(s).expect("a valid job name")
}

/// Writes `value` at `rest` (under `/cron/`) with a client of its own, as another program
/// would; returns the revision of the write.
async fn raw_put(server: &EtcdServer, rest: &str, value: &str) -> i64 {
    let mut client = server.client().await;
    let response = client
        .put(format!("/cron/{rest}"), value, None)
        .await
        .expect("raw put");
    response.header().expect("a header").revision()
}

async fn raw_delete(server: &EtcdServer, rest: &str) -> i64 {
    let mut client = server.client().await;
    let response = client
        .delete(format!("/cron/{rest}"), None)
        .await
        .expect("raw delete");
    response.header().expect("a header").revision()
}

async fn raw_get(server: &EtcdServer, rest: &str) -> Option<String> {
    let mut client = server.client().await;
    let response = client
        .get(format!("/cron/{rest}"), None)
        .await
        .expect("raw get");
    response
        .kvs()
        .first()
        .map(|kv| kv.value_str().expect("UTF-8").to_owned())
}

/// The next job change, within the deadline.
async fn next_change(rx: &mut broadcast::Receiver<JobChange>) -> JobChange {
    tokio::time::timeout(DEADLINE, rx.recv())
        .await
        .expect("a job change within the deadline")
        .expect("the job watch is open and not lagging")
}

/// The next item of a follower, within the deadline.
async fn next_item(rx: &mut mpsc::Receiver<WatchItem>) -> WatchItem {
    tokio::time::timeout(DEADLINE, rx.recv())
        .await
        .expect("a watch item within the deadline")
        .expect("the follower is running")
}

/// What a subscriber knows: the jobs by name, built the way the `JobStore` contract says
/// (list, then apply changes newer than the list).
#[derive(Debug, Default, PartialEq)]
struct Mirror {
    jobs: BTreeMap<String, Versioned<Job>>,
    /// Every change applied, in order of arrival.
    applied: Vec<(String, i64)>,
}

impl Mirror {
    fn from_list(jobs: Vec<Versioned<Job>>) -> Mirror {
        Mirror {
            jobs: jobs
                .into_iter()
                .map(|j| (j.value.name.clone(), j))
                .collect(),
            applied: Vec::new(),
        }
    }

    fn apply(&mut self, change: JobChange, listed_at: i64) {
        if change.revision() <= listed_at {
            return;
        }
        self.applied
            .push((change.name().to_owned(), change.revision()));
        match change {
            JobChange::Put(v) => {
                self.jobs.insert(v.value.name.clone(), v);
            }
            JobChange::Deleted { name, .. } => {
                self.jobs.remove(&name);
            }
        }
    }

    /// Each change arrived once and in revision order: revisions never go back, and a
    /// revision repeats only for different jobs (one transaction).
    fn assert_no_repeats(&self) {
        for pair in self.applied.windows(2) {
            let ((a_name, a_rev), (b_name, b_rev)) = (&pair[0], &pair[1]);
            assert!(
                a_rev < b_rev || (a_rev == b_rev && a_name != b_name),
                "changes out of order or repeated: {:?}",
                self.applied
            );
        }
    }
}

/// Applies changes until `stop` says the mirror is where it should be.
async fn mirror_until(
    mirror: &mut Mirror,
    rx: &mut broadcast::Receiver<JobChange>,
    listed_at: i64,
    stop: impl Fn(&Mirror) -> bool,
) {
    while !stop(mirror) {
        let change = next_change(rx).await;
        mirror.apply(change, listed_at);
    }
}

/// Where etcd keeps a job: its JSON, at `<prefix>/jobs/<name>`, where the old Go master kept
/// it. What every job store promises (get, list, compare-and-swap, delete, watch) is checked
/// in `tests/job_stores.rs`, shared with SQLite.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_is_stored_as_its_json_at_prefix_jobs_name() {
    let server = EtcdServer::start();
    let store = EtcdJobStore::new(connect(&server).await);
    let a = job("a", "echo a");
    store.put(&a, Expect::Absent).await.expect("create a");
    assert_eq!(
        raw_get(&server, "jobs/a").await.as_deref(),
        Some(serde_json::to_string(&a).expect("JSON").as_str()),
        "the value is the job's JSON, at <prefix>/jobs/<name>"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_written_by_the_go_master_is_read_and_unknown_fields_survive_an_update() {
    let server = EtcdServer::start();
    let store = EtcdJobStore::new(connect(&server).await);

    let revision = raw_put(&server, "jobs/x", GO_JOB).await;
    let got = store.get(&name("x")).await.expect("get").expect("x exists");
    assert_eq!(got.revision, revision);
    let x = &got.value;
    assert_eq!(x.name, "x");
    assert_eq!(x.command, "echo hi");
    assert_eq!(x.cron_expr, "*/5 * * * * *");
    assert_eq!((x.timeout, x.disabled), (0, false));
    assert_eq!((x.created_at, x.updated_at), (1_700_000_000, 1_700_000_000));

    // A newer writer's field, unknown to this version.
    let with_owner = GO_JOB.replace(r#""name":"x""#, r#""name":"x","owner":{"team":"sre"}"#);
    let revision = raw_put(&server, "jobs/x", &with_owner).await;
    let mut got = store.get(&name("x")).await.expect("get").expect("x exists");
    got.value.command = "echo changed".into();
    store
        .put(&got.value, Expect::Revision(revision))
        .await
        .expect("update x");
    let stored: serde_json::Value =
        serde_json::from_str(&raw_get(&server, "jobs/x").await.expect("x is stored"))
            .expect("JSON");
    assert_eq!(stored["command"], "echo changed");
    assert_eq!(stored["owner"], serde_json::json!({"team": "sre"}));
    assert_eq!(stored["cronExpr"], "*/5 * * * * *");
    assert_eq!(stored["createdAt"], 1_700_000_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_value_that_is_not_job_json_is_skipped_by_list_and_reported_by_get() {
    let server = EtcdServer::start();
    let store = EtcdJobStore::new(connect(&server).await);
    let a = store
        .put(&job("a", "echo a"), Expect::Absent)
        .await
        .expect("create a");
    raw_put(&server, "jobs/bad", "{this is not json").await;

    let (jobs, _) = store.list().await.expect("list");
    let names: Vec<_> = jobs.iter().map(|j| j.value.name.as_str()).collect();
    assert_eq!(names, ["a"], "the unreadable value hides nothing else");
    assert_eq!(jobs[0].revision, a.revision);

    match store.get(&name("bad")).await {
        Err(StoreError::Corrupt(message)) => {
            assert!(message.contains("job `bad`"), "{message}");
            assert!(message.contains("/cron/jobs/bad"), "{message}");
            assert!(message.contains("not valid job JSON"), "{message}");
        }
        other => panic!("expected Corrupt, got {other:?}"),
    }
    // Deleting is how it gets fixed.
    let deleted = store.delete(&name("bad")).await.expect("delete bad");
    assert_eq!(deleted.value.name, "bad");
    assert_eq!(store.get(&name("bad")).await.expect("get"), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_watch_reports_a_job_overwritten_with_garbage_as_deleted() {
    let server = EtcdServer::start();
    let store = EtcdJobStore::new(connect(&server).await);
    let mut rx = store.watch();
    let (jobs, listed_at) = store.list().await.expect("list");
    assert!(jobs.is_empty());

    let put = store
        .put(&job("a", "echo a"), Expect::Absent)
        .await
        .expect("create a");
    match next_change(&mut rx).await {
        JobChange::Put(v) => {
            assert_eq!(v.value.name, "a");
            assert_eq!(v.revision, put.revision);
            assert!(v.revision > listed_at);
        }
        other => panic!("expected the put of a, got {other:?}"),
    }
    let garbled = raw_put(&server, "jobs/a", "{garbage").await;
    assert_eq!(
        next_change(&mut rx).await,
        JobChange::Deleted {
            name: "a".into(),
            revision: garbled
        }
    );
    // Garbage under a name nobody had is no change; the next real change comes next.
    raw_put(&server, "jobs/b", "[1, 2]").await;
    let fixed = store
        .put(&job("a", "echo fixed"), Expect::Any)
        .await
        .expect("fix a");
    match next_change(&mut rx).await {
        JobChange::Put(v) => {
            assert_eq!(v.value.command, "echo fixed");
            assert_eq!(v.revision, fixed.revision);
        }
        other => panic!("expected the put of the fixed a, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_job_watch_resumes_across_an_etcd_restart_without_losing_or_repeating_changes() {
    let mut server = EtcdServer::start();
    let store = EtcdJobStore::new(connect(&server).await);
    for n in 0..3 {
        store
            .put(&job(&format!("before-{n}"), "echo"), Expect::Any)
            .await
            .expect("put");
    }
    let mut rx = store.watch();
    let (jobs, listed_at) = store.list().await.expect("list");
    let mut mirror = Mirror::from_list(jobs);

    let seen = store
        .put(&job("seen", "echo"), Expect::Any)
        .await
        .expect("put");
    mirror_until(&mut mirror, &mut rx, listed_at, |m| {
        m.jobs
            .get("seen")
            .is_some_and(|j| j.revision == seen.revision)
    })
    .await;

    server.stop();
    server.start_again();
    // Written at once by a program of its own, most likely before the watch is back: the
    // watch must replay them from where it stopped.
    let mut last = 0;
    for n in 0..5 {
        last = raw_put(
            &server,
            &format!("jobs/after-{n}"),
            &serde_json::to_string(&job(&format!("after-{n}"), "echo")).expect("JSON"),
        )
        .await;
    }
    last = last.max(raw_delete(&server, "jobs/before-1").await);
    // The store's own connection comes back on its own; until then requests fail fast.
    let current = eventually_async("the store to reach etcd again", DEADLINE, || async {
        store.get(&name("after-1")).await.ok()
    })
    .await
    .expect("after-1 exists");
    store
        .put(
            &job("after-1", "echo changed"),
            Expect::Revision(current.revision),
        )
        .await
        .expect("update after-1");

    let (jobs, final_revision) = store.list().await.expect("list");
    assert!(final_revision > last);
    mirror_until(&mut mirror, &mut rx, listed_at, |m| {
        m.applied.last().is_some_and(|(_, r)| *r >= final_revision)
    })
    .await;
    assert_eq!(mirror.jobs, Mirror::from_list(jobs).jobs);
    mirror.assert_no_repeats();
    // Every write after the first change seen arrived: 5 puts, a delete, an update.
    assert_eq!(mirror.applied.len(), 1 + 5 + 1 + 1, "{:?}", mirror.applied);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn follow_resumes_exactly_across_an_etcd_restart() {
    let mut server = EtcdServer::start();
    let etcd = connect(&server).await;
    let shutdown = CancellationToken::new();
    raw_put(&server, "jobs/a", "1").await;
    raw_put(&server, "kill/a", "outside the range").await;
    let mut rx = follow(&etcd, KeyRange::prefix(&etcd, "jobs/"), shutdown.clone());
    let WatchItem::Snapshot { kvs, revision } = next_item(&mut rx).await else {
        panic!("the first item is a snapshot");
    };
    assert_eq!(
        kvs.iter().map(Change::key).collect::<Vec<_>>(),
        ["/cron/jobs/a"]
    );
    let b = raw_put(&server, "jobs/b", "2").await;
    assert!(b > revision);
    assert_eq!(next_item(&mut rx).await.revision(), b);

    server.stop();
    server.start_again();
    let c = raw_put(&server, "jobs/c", "3").await;
    raw_put(&server, "kill/c", "outside the range").await;
    let d = raw_delete(&server, "jobs/a").await;

    let mut got = Vec::new();
    while got.last().map_or(0, Change::mod_revision) < d {
        match next_item(&mut rx).await {
            WatchItem::Changes(changes) => got.extend(changes),
            WatchItem::Snapshot { .. } => panic!("nothing was compacted: no snapshot is needed"),
        }
    }
    assert_eq!(
        got,
        [
            Change::Put {
                key: "/cron/jobs/c".into(),
                value: b"3".to_vec(),
                mod_revision: c,
                create_revision: c,
                lease: 0
            },
            Change::Delete {
                key: "/cron/jobs/a".into(),
                mod_revision: d
            },
        ]
    );
    shutdown.cancel();
    let closed = tokio::time::timeout(DEADLINE, rx.recv()).await;
    assert!(matches!(closed, Ok(None)), "the follower stops on shutdown");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn following_from_a_compacted_revision_starts_with_a_fresh_snapshot() {
    let server = EtcdServer::start();
    let etcd = connect(&server).await;
    let start = raw_put(&server, "jobs/a", "1").await;
    raw_put(&server, "jobs/b", "2").await;
    raw_delete(&server, "jobs/a").await;
    raw_put(&server, "jobs/c", "3").await;
    let compacted = server.compact_now().await;
    assert!(compacted > start);

    let shutdown = CancellationToken::new();
    let mut rx = follow_from(
        &etcd,
        KeyRange::prefix(&etcd, "jobs/"),
        start,
        shutdown.clone(),
    );
    match next_item(&mut rx).await {
        WatchItem::Snapshot { kvs, revision } => {
            assert!(revision >= compacted);
            let keys: Vec<_> = kvs.iter().map(Change::key).collect();
            assert_eq!(keys, ["/cron/jobs/b", "/cron/jobs/c"]);
        }
        other => panic!("expected a snapshot after compaction, got {other:?}"),
    }
    // And it follows on from the snapshot.
    let d = raw_put(&server, "jobs/d", "4").await;
    assert_eq!(next_item(&mut rx).await.revision(), d);

    // From a revision that is not compacted, it continues without a snapshot.
    let mut rx = follow_from(
        &etcd,
        KeyRange::prefix(&etcd, "jobs/"),
        d - 1,
        shutdown.clone(),
    );
    match next_item(&mut rx).await {
        WatchItem::Changes(changes) => {
            assert_eq!(changes.len(), 1);
            assert_eq!(changes[0].key(), "/cron/jobs/d");
        }
        other => panic!("expected the change at {d}, got {other:?}"),
    }
    shutdown.cancel();
}

/// Applies a follower's item to a map of key to value.
fn apply(state: &mut BTreeMap<String, Vec<u8>>, item: WatchItem) {
    match item {
        WatchItem::Snapshot { kvs, .. } => {
            state.clear();
            for change in kvs {
                if let Change::Put { key, value, .. } = change {
                    state.insert(key, value);
                }
            }
        }
        WatchItem::Changes(changes) => {
            for change in changes {
                match change {
                    Change::Put { key, value, .. } => {
                        state.insert(key, value);
                    }
                    Change::Delete { key, .. } => {
                        state.remove(&key);
                    }
                }
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_follower_cut_off_from_compacted_history_gets_a_snapshot_and_ends_up_consistent() {
    let mut server = EtcdServer::start();
    let etcd = connect(&server).await;
    let shutdown = CancellationToken::new();
    let range = KeyRange::prefix(&etcd, "jobs/");
    let mut rx = follow(&etcd, range.clone(), shutdown.clone());
    let mut state = BTreeMap::new();
    apply(&mut state, next_item(&mut rx).await);

    // The receiver stops reading while far more is written than the follower's channel, the
    // HTTP/2 windows and etcd's per-watch buffers hold together (1000 revisions of 32 KiB:
    // those hold a few hundred), so the follower is stuck well behind the last revision.
    // Then etcd compacts that history away and restarts, so the watch must be made again
    // from where the follower stopped: that history is gone, and only a snapshot can
    // bring the receiver up to date.
    let mut client = server.client().await;
    let filler = "x".repeat(32 * 1024);
    for n in 0..1000 {
        let key = format!("/cron/jobs/k{}", n % 50);
        client
            .put(key, format!("{n} {filler}"), None)
            .await
            .expect("put");
        if n % 7 == 0 {
            let key = format!("/cron/jobs/k{}", (n + 3) % 50);
            client.delete(key, None).await.expect("delete");
        }
    }
    let compacted = server.compact_now().await;
    server.stop();
    server.start_again();
    let last = raw_put(&server, "jobs/last", "end").await;

    let mut client = server.client().await;
    let expected: BTreeMap<String, Vec<u8>> = client
        .get(
            range.start.clone(),
            Some(etcd_client::GetOptions::new().with_range(range.end.clone())),
        )
        .await
        .expect("range get")
        .kvs()
        .iter()
        .map(|kv| (kv.key_str().expect("UTF-8").to_owned(), kv.value().to_vec()))
        .collect();
    let mut revision = 0;
    let mut snapshots = Vec::new();
    while revision < last {
        let item = next_item(&mut rx).await;
        revision = item.revision();
        if let WatchItem::Snapshot { revision, .. } = &item {
            snapshots.push(*revision);
        }
        apply(&mut state, item);
    }
    assert!(
        snapshots.iter().any(|r| *r >= compacted),
        "a snapshot after the compaction at {compacted} (snapshots at {snapshots:?})"
    );
    assert_eq!(state, expected);
    shutdown.cancel();
}

/// A marker as a worker writes it under `running/`.
fn marker(job: &str, id: &str) -> String {
    serde_json::to_string(&RunMarker {
        job_name: job.into(),
        execution_id: id.into(),
        worker_id: "w1".into(),
        plan_time_ms: 1,
        start_time_ms: 1,
        ..Default::default()
    })
    .expect("marker JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_coordinator_counts_runs_going_on_before_it_started_and_sees_them_end() {
    let server = EtcdServer::start();
    let etcd = connect(&server).await;
    raw_put(&server, "running/j/before", &marker("j", "before")).await;
    let shutdown = CancellationToken::new();
    let jobs: std::sync::Arc<dyn JobStore> = std::sync::Arc::new(EtcdJobStore::new(etcd.clone()));
    let (coordinator, mut events) = EtcdCoordinator::start(
        etcd,
        jobs,
        Forget::after(Duration::from_secs(3600)),
        shutdown.clone(),
    );
    // A master started while a run goes on learns of it, as a start.
    let started = tokio::time::timeout(DEADLINE, events.recv())
        .await
        .expect("an event within the deadline")
        .expect("events");
    assert!(
        matches!(&started, ClusterEvent::RunStarted(m) if m.execution_id == "before"),
        "{started:?}"
    );
    raw_put(&server, "running/j/later", &marker("j", "later")).await;
    eventually_async("both runs counted", DEADLINE, || async {
        let ids = coordinator.running_ids();
        (ids.len() == 2 && ids.contains("before") && ids.contains("later")).then_some(())
    })
    .await;
    raw_delete(&server, "running/j/before").await;
    eventually_async("the ended run no longer counted", DEADLINE, || async {
        let ids = coordinator.running_ids();
        (ids.len() == 1 && ids.contains("later")).then_some(())
    })
    .await;
    shutdown.cancel();
}

/// A worker's entry as it registers itself under `workers/`.
fn worker_entry(id: &str) -> String {
    serde_json::to_string(&schedd_core::WorkerInfo {
        worker_id: id.into(),
        last_seen: 1,
        ..Default::default()
    })
    .expect("worker JSON")
}

/// The coordinator's workers, as (id, registered), by id.
async fn workers_known(coordinator: &EtcdCoordinator) -> Vec<(String, bool)> {
    use schedd_core::store::Coordinator;
    coordinator
        .workers()
        .await
        .expect("workers")
        .into_iter()
        .map(|w| (w.info.worker_id, w.registered))
        .collect()
}

/// A worker whose entry goes from etcd is remembered as offline for `workerForgetAfter` by
/// the master's clock, then forgotten; a registered one stays however old its heartbeat.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_coordinator_forgets_workers_gone_longer_than_forget_after() {
    let server = EtcdServer::start();
    let etcd = connect(&server).await;
    raw_put(&server, "workers/stays", &worker_entry("stays")).await;
    raw_put(&server, "workers/leaves", &worker_entry("leaves")).await;
    let clock = std::sync::Arc::new(schedd_core::FakeClock::new(
        chrono::DateTime::from_timestamp(1_800_000_000, 0).expect("an instant"),
    ));
    let shutdown = CancellationToken::new();
    let jobs: std::sync::Arc<dyn JobStore> = std::sync::Arc::new(EtcdJobStore::new(etcd.clone()));
    let (coordinator, _events) = EtcdCoordinator::start(
        etcd,
        jobs,
        Forget {
            after: Duration::from_secs(3600),
            clock: clock.clone(),
        },
        shutdown.clone(),
    );
    let both = vec![("leaves".to_owned(), true), ("stays".to_owned(), true)];
    eventually_async("both workers known", DEADLINE, || async {
        (workers_known(&coordinator).await == both).then_some(())
    })
    .await;
    raw_delete(&server, "workers/leaves").await;
    let gone = vec![("leaves".to_owned(), false), ("stays".to_owned(), true)];
    eventually_async("the worker that left shown offline", DEADLINE, || async {
        (workers_known(&coordinator).await == gone).then_some(())
    })
    .await;
    clock.advance(Duration::from_secs(3600));
    assert_eq!(workers_known(&coordinator).await, gone, "not yet forgotten");
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        workers_known(&coordinator).await,
        [("stays".to_owned(), true)],
        "forgotten an hour after it left"
    );
    shutdown.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wanted_output_is_published_per_job_and_withdrawn_and_workers_see_it() {
    let server = EtcdServer::start();
    let etcd = connect(&server).await;
    let shutdown = CancellationToken::new();
    let lease = KeptLease::grant(&etcd, Duration::from_secs(10))
        .await
        .expect("lease");
    let (wanted, wanted_rx) = tokio::sync::watch::channel(BTreeSet::new());
    tokio::spawn(announce_wanted_output(
        etcd.clone(),
        MasterInfo {
            master_id: "m1".into(),
            address: "127.0.0.1:7001".into(),
            version: String::new(),
        },
        wanted_rx,
        lease.changes(),
        shutdown.clone(),
    ));
    let seen = follow_wanted_output(&etcd, shutdown.clone());
    let seen_now = || seen.borrow().clone();
    wanted.send_replace(BTreeSet::from(["a".to_owned(), "b".to_owned()]));
    eventually_async("both jobs wanted", DEADLINE, || async {
        let s = seen_now();
        (s.len() == 2
            && s.get("a") == Some(&BTreeSet::from(["127.0.0.1:7001".to_owned()]))
            && s.contains_key("b"))
        .then_some(())
    })
    .await;
    wanted.send_replace(BTreeSet::from(["b".to_owned()]));
    eventually_async("only b wanted", DEADLINE, || async {
        let s = seen_now();
        (s.len() == 1 && s.contains_key("b")).then_some(())
    })
    .await;
    // The requests live under the master's lease: they go with it.
    lease.revoke().await.expect("revoke");
    eventually_async(
        "nothing wanted after the master is gone",
        DEADLINE,
        || async { seen_now().is_empty().then_some(()) },
    )
    .await;
    shutdown.cancel();
}

/// An etcd serving TLS and asking for client certificates: reached with its CA and a client
/// certificate (as a `host:port` endpoint, and as `https://`), jobs go in and come back.
/// Without the CA, without a client certificate, in plain text, or with a CA file that is
/// not there, connecting fails and says why.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn etcd_over_tls_is_reached_with_its_ca_and_a_client_certificate_and_only_so() {
    use schedd_store::etcd::EtcdTls;
    let dir = tempfile::tempdir().expect("tempdir");
    let tls = testkit::tls::TestTls::make(dir.path());
    let server = tokio::task::spawn_blocking({
        let tls = tls.clone();
        move || EtcdServer::start_tls(&tls, true)
    })
    .await
    .expect("etcd starts");
    let full = EtcdTls {
        ca: Some(tls.ca.clone()),
        cert: Some(tls.cert.clone()),
        key: Some(tls.key.clone()),
    };
    let options = |endpoint: String, tls: Option<EtcdTls>| {
        let mut o = EtcdOptions::new(vec![endpoint]);
        o.dial_timeout = Duration::from_secs(5);
        o.tls = tls;
        o
    };
    for endpoint in [server.endpoint(), format!("https://{}", server.endpoint())] {
        let etcd = Etcd::connect(&options(endpoint.clone(), Some(full.clone())))
            .await
            .unwrap_or_else(|e| panic!("{endpoint}: {e}"));
        let store = EtcdJobStore::new(etcd);
        let saved = job(&format!("tls-{}", endpoint.len()), "echo over tls");
        store.put(&saved, Expect::Absent).await.expect("put");
        let got = store
            .get(&name(&saved.name))
            .await
            .expect("get")
            .expect("stored");
        assert_eq!(got.value, saved);
    }

    let refused = |tls: Option<EtcdTls>, endpoint: String| {
        let o = options(endpoint, tls);
        async move {
            match Etcd::connect(&o).await {
                Ok(_) => panic!("connected with {:?}", o.tls),
                Err(StoreError::Unavailable(why)) => why,
                Err(e) => panic!("{e}"),
            }
        }
    };
    let no_client_cert = EtcdTls {
        ca: Some(tls.ca.clone()),
        ..EtcdTls::default()
    };
    refused(Some(no_client_cert), server.endpoint()).await;
    // The system's roots do not know the test CA.
    refused(None, format!("https://{}", server.endpoint())).await;
    refused(None, server.endpoint()).await;
    let missing = EtcdTls {
        ca: Some(dir.path().join("nowhere.pem")),
        ..full.clone()
    };
    let why = refused(Some(missing), server.endpoint()).await;
    assert!(
        why.contains("etcdCa") && why.contains("nowhere.pem"),
        "{why}"
    );
}

/// Counts the requests of each kind a connection makes.
#[derive(Debug, Default)]
struct Requests(std::sync::Mutex<BTreeMap<&'static str, usize>>);

impl schedd_store::etcd::EtcdObserver for Requests {
    fn request(&self, op: &'static str, _took: Duration, _ok: bool) {
        *self.0.lock().expect("lock").entry(op).or_default() += 1;
    }
    fn watch_restarted(&self, _why: schedd_store::etcd::WatchRestart) {}
}

impl Requests {
    fn count(&self, op: &str) -> usize {
        self.0.lock().expect("lock").get(op).copied().unwrap_or(0)
    }
}

/// Claims asked for together share transactions, and each still gets the outcome of its
/// own: a free tick runs, a claimed one is taken, a `forbid` job holding its lock is busy, a
/// `replace` job names the run it replaces, two claims of one tick give one run, and two
/// ticks of one job (which cannot share a transaction) both run. Releases are batched too
/// and take away markers and locks.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_asked_together_share_transactions_and_each_gets_its_own_outcome() {
    use schedd_store::etcd::claims::{ClaimKind, ClaimOutcome, EtcdClaims, TickClaim};
    use std::sync::Arc;

    let server = EtcdServer::start();
    let requests = Arc::new(Requests::default());
    let etcd = connect(&server).await.with_observer(requests.clone());
    let lease = KeptLease::grant(&etcd, Duration::from_secs(10))
        .await
        .expect("lease");
    let claims = Arc::new(EtcdClaims::new(etcd.clone(), &lease));
    let claim = |kind: ClaimKind, job: &str, tick_ms: i64, exec: &str| TickClaim {
        kind,
        tick_ms,
        marker: RunMarker {
            job_name: job.into(),
            execution_id: exec.into(),
            worker_id: "w1".into(),
            plan_time_ms: tick_ms,
            start_time_ms: tick_ms,
            ..Default::default()
        },
        skip_reason: if kind == ClaimKind::Skip {
            "skipped: too late".into()
        } else {
            String::new()
        },
    };
    let (t0, t) = (1_000_000, 2_000_000);
    // Before the burst: `busy` holds its lock, `taken`'s tick is claimed, `replace` runs.
    let before = [
        claim(ClaimKind::RunExclusive, "busy", t0, "busy-0"),
        claim(ClaimKind::Run, "taken", t, "taken-0"),
        claim(ClaimKind::RunReplacing, "replace", t0, "replace-0"),
    ];
    for c in &before {
        let outcome = claims.claim(c).await.expect("claim");
        assert_eq!(outcome, ClaimOutcome::Run { replaced: None }, "{c:?}");
    }

    let mut burst: Vec<(TickClaim, Option<ClaimOutcome>)> = (0..300)
        .map(|i| {
            let c = claim(ClaimKind::Run, &format!("job-{i}"), t, &format!("e{i}"));
            (c, Some(ClaimOutcome::Run { replaced: None }))
        })
        .collect();
    let run = Some(ClaimOutcome::Run { replaced: None });
    burst.extend([
        (
            claim(ClaimKind::RunExclusive, "busy", t, "busy-1"),
            Some(ClaimOutcome::Busy {
                holder: "busy-0".into(),
            }),
        ),
        (
            claim(ClaimKind::Run, "taken", t, "taken-1"),
            Some(ClaimOutcome::Taken),
        ),
        (
            claim(ClaimKind::RunReplacing, "replace", t, "replace-1"),
            Some(ClaimOutcome::Run {
                replaced: Some("replace-0".into()),
            }),
        ),
        (
            claim(ClaimKind::Skip, "skip", t, "skip-1"),
            Some(ClaimOutcome::Skipped),
        ),
        (claim(ClaimKind::Run, "two-ticks", t, "two-1"), run.clone()),
        (claim(ClaimKind::Run, "two-ticks", t + 1000, "two-2"), run),
        // Two claims of one tick: which one wins is not known, so it is checked below.
        (claim(ClaimKind::Run, "twice", t, "twice-1"), None),
        (claim(ClaimKind::Run, "twice", t, "twice-2"), None),
    ]);
    let claims_before = requests.count("claim");
    let asked: Vec<_> = burst
        .iter()
        .map(|(c, _)| {
            let (claims, c) = (Arc::clone(&claims), c.clone());
            tokio::spawn(async move { claims.claim(&c).await })
        })
        .collect();
    let mut twice = Vec::new();
    for ((c, expected), answer) in burst.iter().zip(asked) {
        let outcome = answer.await.expect("joined").expect("claim");
        match expected {
            Some(expected) => assert_eq!(&outcome, expected, "{c:?}"),
            None => twice.push(outcome),
        }
    }
    twice.sort_by_key(|o| format!("{o:?}"));
    assert_eq!(
        twice,
        [ClaimOutcome::Run { replaced: None }, ClaimOutcome::Taken]
    );
    let transactions = requests.count("claim") - claims_before;
    assert!(
        transactions * 4 <= burst.len(),
        "{} claims took {transactions} transactions",
        burst.len()
    );
    assert_eq!(
        raw_get(&server, "last/job-7").await.as_deref(),
        Some("0000000002000000")
    );
    assert_eq!(
        raw_get(&server, "last/two-ticks").await.as_deref(),
        Some("0000000002001000")
    );
    assert_eq!(
        raw_get(&server, "lock/replace").await.as_deref(),
        Some("replace-1")
    );
    // A claimed skip, and a `forbid` tick found busy, owe their records: a marker each under
    // `owed/`, saying why, until released; a run owes none.
    let owed = |key: &'static str| {
        let server = &server;
        async move {
            raw_get(server, key)
                .await
                .map(|v| serde_json::from_str::<RunMarker>(&v).expect("an owed marker"))
        }
    };
    let skip = owed("owed/skip/skip-1").await.expect("the skip is owed");
    assert_eq!(
        (skip.execution_id.as_str(), skip.skipped.as_str()),
        ("skip-1", "skipped: too late")
    );
    let busy = owed("owed/busy/busy-1")
        .await
        .expect("the busy tick is owed");
    assert_eq!(busy.skipped, schedd_store::etcd::claims::BUSY_REASON);
    assert_eq!(raw_get(&server, "running/skip/skip-1").await, None);
    assert_eq!(raw_get(&server, "running/busy/busy-1").await, None);
    assert_eq!(raw_get(&server, "owed/job-7/e7").await, None);
    for (job, exec) in [("skip", "skip-1"), ("busy", "busy-1")] {
        claims
            .release_skip(job, exec)
            .await
            .expect("release a skip");
    }
    assert_eq!(raw_get(&server, "owed/skip/skip-1").await, None);
    assert_eq!(raw_get(&server, "owed/busy/busy-1").await, None);

    // Every run ends: markers and locks go, in batches too; the runs without a lock lazily.
    let mut ended: Vec<(String, String)> = (0..300)
        .map(|i| (format!("job-{i}"), format!("e{i}")))
        .collect();
    ended.extend(
        [
            ("busy", "busy-0"),
            ("replace", "replace-0"),
            ("replace", "replace-1"),
            ("taken", "taken-0"),
        ]
        .map(|(j, e)| (j.to_owned(), e.to_owned())),
    );
    let releases: Vec<_> = ended
        .into_iter()
        .map(|(job, exec)| {
            let claims = Arc::clone(&claims);
            tokio::spawn(async move {
                if job.starts_with("job-") {
                    claims.release_lazily(&job, &exec).await
                } else {
                    claims.release(&job, &exec).await
                }
            })
        })
        .collect();
    for r in releases {
        r.await.expect("joined").expect("release");
    }
    assert!(
        requests.count("release") * 4 <= 304,
        "releases were not batched"
    );
    assert_eq!(raw_get(&server, "lock/busy").await, None);
    assert_eq!(raw_get(&server, "lock/replace").await, None);
    for i in [0, 150, 299] {
        assert_eq!(
            raw_get(&server, &format!("running/job-{i}/e{i}")).await,
            None
        );
    }
    assert!(
        raw_get(&server, "running/two-ticks/two-1").await.is_some(),
        "an unreleased run keeps its marker"
    );
}

/// A connection to `server` through a proxy the test can cut, and one straight to it.
async fn through_a_proxy(server: &EtcdServer) -> (testkit::proxy::TcpProxy, Etcd, Etcd) {
    let upstream: std::net::SocketAddr = server
        .endpoint()
        .trim_start_matches("http://")
        .parse()
        .expect("etcd's address");
    let proxy = testkit::proxy::TcpProxy::start(upstream);
    let cut_off = Etcd::connect(&EtcdOptions::new(vec![proxy.addr().to_string()]))
        .await
        .expect("connect through the proxy");
    let direct = connect(server).await;
    (proxy, cut_off, direct)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lease_cut_off_from_etcd_is_fenced_before_it_expires_and_the_fence_lifts_when_etcd_answers()
 {
    let server = EtcdServer::start();
    let (proxy, cut_off, direct) = through_a_proxy(&server).await;
    let lease = KeptLease::grant(&cut_off, Duration::from_secs(10))
        .await
        .expect("lease");
    let health = lease.health();
    let mut fences = health.fences();
    assert!(health.is_current());

    proxy.cut();
    // Fenced while etcd still holds the lease: nothing it granted can be taken yet.
    tokio::time::timeout(DEADLINE, fences.wait_for(|f| f.active))
        .await
        .expect("fenced within the deadline")
        .expect("the fence is followed");
    let ttl = direct
        .client()
        .lease_time_to_live(lease.id(), None)
        .await
        .expect("ask etcd about the lease")
        .ttl();
    assert!(ttl > 0, "the lease expired before the fence (ttl {ttl})");
    assert!(!health.is_current());
    assert_eq!(fences.borrow().count, 1);

    proxy.restore();
    tokio::time::timeout(DEADLINE, fences.wait_for(|f| !f.active))
        .await
        .expect("the fence lifts once etcd answers")
        .expect("the fence is followed");
    assert!(health.is_current());
    // The lease answered again is the one etcd holds: keys under it stay usable.
    let alive = direct
        .client()
        .lease_time_to_live(lease.id(), None)
        .await
        .expect("ask etcd about the lease")
        .ttl();
    assert!(alive > 0, "the lease the worker holds is alive in etcd");
}

/// Regression: a keep-alive stream lost with its connection and opened again only after etcd
/// had let the lease expire is refused ("lease not found") as it opens; the keeper took that
/// for an unreachable etcd and kept the dead lease for ever, fenced, never granting a new one
/// (found by the fault suite: a worker whose etcd traffic was cut past its lease never came
/// back).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lease_that_expired_while_cut_off_is_granted_anew_once_etcd_answers() {
    let server = EtcdServer::start();
    let (proxy, cut_off, direct) = through_a_proxy(&server).await;
    let lease = KeptLease::grant(&cut_off, Duration::from_secs(2))
        .await
        .expect("lease");
    let first = lease.id();
    let health = lease.health();
    let mut fences = health.fences();
    let mut changes = lease.changes();

    proxy.cut();
    eventually_async("etcd lets the cut-off lease expire", DEADLINE, || async {
        let ttl = direct
            .client()
            .lease_time_to_live(first, None)
            .await
            .expect("ask etcd about the lease")
            .ttl();
        // -1: etcd holds no such lease (0 is "less than a second left").
        (ttl < 0).then_some(())
    })
    .await;
    assert!(fences.borrow().active, "fenced before the lease expired");

    proxy.restore();
    tokio::time::timeout(DEADLINE, changes.wait_for(|id| *id != first))
        .await
        .expect("a new lease within the deadline")
        .expect("the lease id is followed");
    tokio::time::timeout(DEADLINE, fences.wait_for(|f| !f.active))
        .await
        .expect("the fence lifts with the new lease")
        .expect("the fence is followed");
    let ttl = direct
        .client()
        .lease_time_to_live(lease.id(), None)
        .await
        .expect("ask etcd about the new lease")
        .ttl();
    assert!(ttl > 0, "the new lease is alive in etcd (ttl {ttl})");
}

/// A worker's departure leaves behind the runs under its lease and the skips it had not
/// recorded: both are read back as they were just before it left, the skips with their
/// reason; runs and skips under other leases, and those released before it left, are not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_departed_worker_leaves_its_runs_and_the_skips_it_owed() {
    use schedd_store::etcd::members::{Departure, runs_left_by};

    let server = EtcdServer::start();
    let etcd = connect(&server).await;
    let mut client = server.client().await;
    let gone = client.lease_grant(60, None).await.expect("lease").id();
    let alive = client.lease_grant(60, None).await.expect("lease").id();
    let put = |key: &str, m: RunMarker, lease: i64| {
        let mut client = client.clone();
        let key = format!("/cron/{key}");
        async move {
            let value = serde_json::to_string(&m).expect("marker JSON");
            client
                .put(
                    key,
                    value,
                    Some(etcd_client::PutOptions::new().with_lease(lease)),
                )
                .await
                .expect("put")
                .header()
                .expect("a header")
                .revision()
        }
    };
    let m = |job: &str, id: &str, skipped: &str| RunMarker {
        job_name: job.into(),
        execution_id: id.into(),
        worker_id: "w1".into(),
        plan_time_ms: 1_000,
        start_time_ms: 1_000,
        skipped: skipped.into(),
        ..Default::default()
    };
    put("running/a/run-1", m("a", "run-1", ""), gone).await;
    put("owed/b/skip-1", m("b", "skip-1", "skipped: too late"), gone).await;
    put("owed/b/done", m("b", "done", "skipped: too late"), gone).await;
    put("running/c/other", m("c", "other", ""), alive).await;
    raw_delete(&server, "owed/b/done").await;
    let before = raw_put(&server, "unrelated", "x").await;
    client.lease_revoke(gone).await.expect("revoke");

    let departure = Departure {
        worker_id: "w1".into(),
        lease: gone,
        before,
    };
    let mut left = runs_left_by(&etcd, &departure).await.expect("read");
    left.sort_by(|x, y| x.execution_id.cmp(&y.execution_id));
    assert_eq!(
        left,
        [m("a", "run-1", ""), m("b", "skip-1", "skipped: too late")]
    );
}

/// A job's last outcome is swapped in one transaction (for recovery notices), a run request
/// is made once per execution id, and the notices of a lost run are claimed by one worker
/// only; a broadcast tick is claimed once per worker, beside the tick's own claim.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outcomes_swap_notices_are_claimed_once_and_broadcast_ticks_once_per_worker() {
    use schedd_store::etcd::claims::{ClaimKind, ClaimOutcome, EtcdClaims, RunMarker, TickClaim};

    let server = EtcdServer::start();
    let etcd = connect(&server).await;
    let lease = KeptLease::grant(&etcd, Duration::from_secs(10))
        .await
        .expect("lease");
    let claims = EtcdClaims::new(etcd.clone(), &lease);
    assert_eq!(
        claims.swap_outcome("a", "failed").await.expect("swap"),
        None
    );
    assert_eq!(
        claims.swap_outcome("a", "success").await.expect("swap"),
        Some("failed".into())
    );
    assert_eq!(
        raw_get(&server, "outcome/a").await.as_deref(),
        Some("success")
    );

    // A run request asked for again (a reply lost, say) after a worker took it is not
    // made again.
    use schedd_store::etcd::signals::request_run;
    request_run(&etcd, "child", "r1", None).await.expect("ask");
    assert!(raw_get(&server, "run/child/r1").await.is_some());
    raw_delete(&server, "run/child/r1").await;
    request_run(&etcd, "child", "r1", None)
        .await
        .expect("ask again");
    assert_eq!(raw_get(&server, "run/child/r1").await, None, "taken once");

    assert!(claims.take_notice("e1").await.expect("take"));
    assert!(
        !claims.take_notice("e1").await.expect("again"),
        "claimed once"
    );
    assert!(claims.take_notice("e2").await.expect("another run"));

    let share = |worker: &str, exec: &str| TickClaim {
        kind: ClaimKind::RunOnEach,
        tick_ms: 5_000,
        marker: RunMarker {
            job_name: "rotate".into(),
            execution_id: exec.into(),
            worker_id: worker.into(),
            plan_time_ms: 5_000,
            start_time_ms: 5_000,
            ..Default::default()
        },
        skip_reason: String::new(),
    };
    let run = ClaimOutcome::Run { replaced: None };
    assert_eq!(claims.claim(&share("w1", "x1")).await.expect("w1"), run);
    assert_eq!(claims.claim(&share("w2", "x2")).await.expect("w2"), run);
    assert_eq!(
        claims.claim(&share("w1", "x3")).await.expect("w1 again"),
        ClaimOutcome::Taken,
        "a worker runs a broadcast tick once"
    );
    let tick = schedd_store::etcd::claims::tick_key(5_000);
    for worker in ["w1", "w2"] {
        let claimed = raw_get(&server, &format!("each/rotate/{tick}/{worker}")).await;
        assert!(
            claimed.is_some(),
            "{worker}'s share is claimed under its own key"
        );
    }
    assert_eq!(
        raw_get(&server, &format!("claims/rotate/{tick}")).await,
        None,
        "no worker claimed the whole tick"
    );
}

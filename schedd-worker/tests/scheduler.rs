//! The scheduler loop against a real SQLite job store and a fake clock: every tick fires
//! exactly once, changes to jobs take effect from the next tick, and bad jobs in the store
//! do not stop the others. Nothing here waits for real seconds.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use schedd_core::store::{Expect, JobStore, LogStore, WorkerCommand};
use schedd_core::{ExecutionRecord, FakeClock, Job, Trigger};
use schedd_store::SqliteStore;
use schedd_worker::catchup::{Late, LoggedTicks, Missed};
use schedd_worker::{Dispatch, Scheduler, SchedulerConfig};
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

const DEADLINE: Duration = Duration::from_secs(30);

/// Job, seconds after T0, trigger, execution id.
type Fire = (String, i64, Trigger, Option<String>);

#[derive(Debug, Default)]
struct Recorder {
    fired: Mutex<Vec<Fire>>,
    killed: Mutex<Vec<String>>,
    rejected: Mutex<Vec<(String, String, Trigger)>>,
    /// Runs asked for by a dependency: job, execution id, parent.
    dependents: Mutex<Vec<(String, String, schedd_core::dependency::Parent)>>,
    caught_up: Mutex<Vec<(String, Missed)>>,
    /// Fires plus kills so far, to wait on.
    events: watch::Sender<usize>,
}

impl Dispatch for Recorder {
    fn fire(&self, job: Arc<Job>, plan_time: DateTime<Utc>, trigger: Trigger, id: Option<String>) {
        let at = plan_time.timestamp() - T0;
        self.fired
            .lock()
            .expect("lock")
            .push((job.name.clone(), at, trigger, id));
        self.events.send_modify(|n| *n += 1);
    }

    fn fire_dependent(
        &self,
        job: Arc<Job>,
        plan_time: DateTime<Utc>,
        id: String,
        parent: schedd_core::dependency::Parent,
    ) {
        self.dependents
            .lock()
            .expect("lock")
            .push((job.name.clone(), id, parent));
        self.fire(job, plan_time, Trigger::Dependency, None);
    }

    fn reject(
        &self,
        job: &str,
        id: String,
        trigger: Trigger,
        _: String,
        _: Option<schedd_core::dependency::Parent>,
    ) {
        self.rejected
            .lock()
            .expect("lock")
            .push((job.to_owned(), id, trigger));
        self.events.send_modify(|n| *n += 1);
    }

    fn kill(&self, job: &str) -> usize {
        self.killed.lock().expect("lock").push(job.to_owned());
        self.events.send_modify(|n| *n += 1);
        1
    }

    fn catch_up(&self, job: Arc<Job>, missed: Missed) {
        self.caught_up
            .lock()
            .expect("lock")
            .push((job.name.clone(), missed));
        self.events.send_modify(|n| *n += 1);
    }
}

impl Recorder {
    fn fired(&self) -> Vec<(String, i64)> {
        self.fired
            .lock()
            .expect("lock")
            .iter()
            .map(|(n, t, _, _)| (n.clone(), *t))
            .collect()
    }
}

/// 2027-01-15 08:00:00 UTC.
const T0: i64 = 1_800_000_000;

struct Harness {
    _dir: tempfile::TempDir,
    store: SqliteStore,
    clock: FakeClock,
    rec: Arc<Recorder>,
    applied: watch::Receiver<i64>,
    commands: mpsc::UnboundedSender<WorkerCommand>,
    shutdown: CancellationToken,
    task: tokio::task::JoinHandle<()>,
}

impl Harness {
    async fn start(labels: &[(&str, &str)]) -> Harness {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SqliteStore::open(dir.path().join("s.db")).expect("open");
        Harness::start_on(dir, store, labels, false).await
    }

    /// Starts on a store prepared beforehand, reading the jobs' last ticks from its records
    /// when `with_history`.
    async fn start_on(
        dir: tempfile::TempDir,
        store: SqliteStore,
        labels: &[(&str, &str)],
        with_history: bool,
    ) -> Harness {
        let clock = FakeClock::new(DateTime::from_timestamp(T0, 0).expect("valid"));
        let rec = Arc::new(Recorder::default());
        let cfg = SchedulerConfig {
            default_tz: Tz::UTC,
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<BTreeMap<_, _>>(),
        };
        let mut sched = Scheduler::new(
            Arc::new(store.clone()),
            Arc::new(clock.clone()),
            rec.clone(),
            cfg,
        );
        if with_history {
            sched = sched.with_history(Arc::new(LoggedTicks {
                logs: Arc::new(store.clone()),
                spooled: [("spooled".to_owned(), (T0 - 20) * 1000)].into(),
            }));
        }
        let applied = sched.applied();
        let (commands, rx) = mpsc::unbounded_channel();
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(sched.run(rx, shutdown.clone()));
        Harness {
            _dir: dir,
            store,
            clock,
            rec,
            applied,
            commands,
            shutdown,
            task,
        }
    }

    /// Saves and waits until the scheduler has applied the write.
    async fn put(&mut self, job: Job) {
        let rev = self
            .store
            .put(&job, Expect::Any)
            .await
            .expect("put")
            .revision;
        self.wait_applied(rev).await;
    }

    async fn wait_applied(&mut self, rev: i64) {
        tokio::time::timeout(DEADLINE, self.applied.wait_for(|r| *r >= rev))
            .await
            .expect("scheduler applies the change in time")
            .expect("scheduler alive");
    }

    /// Moves the clock one second and waits until `count` fires in total were recorded.
    async fn step_until(&self, count: usize) {
        self.clock.advance(Duration::from_secs(1));
        self.wait_fired(count).await;
    }

    async fn wait_fired(&self, count: usize) {
        let mut events = self.rec.events.subscribe();
        let rec = Arc::clone(&self.rec);
        let reached =
            tokio::time::timeout(DEADLINE, events.wait_for(|_| rec.fired().len() >= count)).await;
        assert!(
            reached.is_ok(),
            "expected {count} fires, got {:?}",
            self.rec.fired()
        );
    }

    async fn stop(self) {
        self.shutdown.cancel();
        self.task.await.expect("scheduler task");
    }
}

fn job(name: &str, expr: &str) -> Job {
    Job::new(name, expr, "true")
}

#[tokio::test]
async fn every_tick_fires_exactly_once() {
    let mut h = Harness::start(&[]).await;
    h.put(job("a", "* * * * * *")).await;
    h.put(job("b", "*/2 * * * * *")).await;
    let mut expected = Vec::new();
    for s in 1..=6 {
        expected.push(("a".to_string(), s));
        if s % 2 == 0 {
            expected.push(("b".to_string(), s));
        }
        h.step_until(expected.len()).await;
    }
    let mut got = h.rec.fired();
    got.sort_by_key(|(n, t)| (*t, n.clone()));
    assert_eq!(got, expected);
    h.stop().await;
}

#[tokio::test]
async fn disabling_stops_and_enabling_resumes_a_job() {
    let mut h = Harness::start(&[]).await;
    h.put(job("a", "* * * * * *")).await;
    h.put(job("other", "* * * * * *")).await;
    h.step_until(2).await;
    let mut off = job("a", "* * * * * *");
    off.disabled = true;
    h.put(off).await;
    // The other job is the witness that the second passed.
    h.step_until(3).await;
    h.step_until(4).await;
    assert_eq!(
        h.rec.fired().iter().filter(|(n, _)| n == "a").count(),
        1,
        "{:?}",
        h.rec.fired()
    );
    h.put(job("a", "* * * * * *")).await;
    h.step_until(6).await;
    assert_eq!(h.rec.fired().iter().filter(|(n, _)| n == "a").count(), 2);
    h.stop().await;
}

#[tokio::test]
async fn a_deleted_job_never_fires_again() {
    let mut h = Harness::start(&[]).await;
    h.put(job("a", "* * * * * *")).await;
    h.put(job("witness", "* * * * * *")).await;
    h.step_until(2).await;
    h.store
        .delete(&"a".try_into().expect("name"))
        .await
        .expect("delete");
    // The store's revision now is the delete's.
    let (_, rev) = JobStore::list(&h.store).await.expect("list");
    h.wait_applied(rev).await;
    h.step_until(3).await;
    h.step_until(4).await;
    assert_eq!(h.rec.fired().iter().filter(|(n, _)| n == "a").count(), 1);
    h.stop().await;
}

#[tokio::test]
async fn a_bad_job_in_the_store_does_not_stop_the_others() {
    let mut h = Harness::start(&[]).await;
    // Written straight into the store, bypassing the API's validation.
    h.put(job("broken", "not a cron")).await;
    h.put(job("fine", "* * * * * *")).await;
    h.step_until(1).await;
    h.step_until(2).await;
    assert!(h.rec.fired().iter().all(|(n, _)| n == "fine"));
    h.stop().await;
}

#[tokio::test]
async fn jobs_run_only_where_their_selector_matches() {
    let mut h = Harness::start(&[("zone", "eu")]).await;
    let mut us = job("us-only", "* * * * * *");
    us.selector.insert("zone".into(), "us".into());
    let mut eu = job("eu-only", "* * * * * *");
    eu.selector.insert("zone".into(), "eu".into());
    h.put(us).await;
    h.put(eu).await;
    h.step_until(1).await;
    h.step_until(2).await;
    assert!(
        h.rec.fired().iter().all(|(n, _)| n == "eu-only"),
        "{:?}",
        h.rec.fired()
    );
    h.stop().await;
}

#[tokio::test]
async fn a_pause_is_not_replayed() {
    let mut h = Harness::start(&[]).await;
    h.put(job("a", "* * * * * *")).await;
    h.clock.advance(Duration::from_secs(3600));
    // Ticks within the late grace (5 s) after the pause still run: 3596..=3600.
    h.wait_fired(5).await;
    h.step_until(6).await;
    let fired: Vec<i64> = h.rec.fired().into_iter().map(|(_, t)| t).collect();
    // An hour of backlog is not replayed, and the next tick comes on time.
    assert_eq!(fired, (3596..=3601).collect::<Vec<_>>());
    h.stop().await;
}

#[tokio::test]
async fn run_now_of_a_job_that_cannot_be_scheduled_is_recorded_as_rejected() {
    let mut h = Harness::start(&[]).await;
    h.put(job("broken", "not a cron")).await;
    h.commands
        .send(WorkerCommand::RunNow {
            job: "broken".into(),
            execution_id: "e-9".into(),
            parent: None,
        })
        .expect("send");
    let mut events = h.rec.events.subscribe();
    tokio::time::timeout(DEADLINE, events.wait_for(|n| *n >= 1))
        .await
        .expect("rejected in time")
        .expect("open");
    let rejected = h.rec.rejected.lock().expect("lock").clone();
    assert_eq!(
        rejected,
        vec![("broken".to_string(), "e-9".to_string(), Trigger::Manual)]
    );
    h.stop().await;
}

#[tokio::test]
async fn a_run_a_dependency_asks_for_reaches_the_dispatcher_with_its_parent() {
    let mut h = Harness::start(&[]).await;
    h.put(job("child", "0 0 0 1 1 *")).await;
    let parent = schedd_core::dependency::Parent {
        job: "parent".into(),
        execution_id: "p-1".into(),
        depth: 1,
    };
    h.commands
        .send(WorkerCommand::RunNow {
            job: "child".into(),
            execution_id: "c-1".into(),
            parent: Some(parent.clone()),
        })
        .expect("send");
    h.wait_fired(1).await;
    assert_eq!(
        *h.rec.dependents.lock().expect("lock"),
        vec![("child".to_string(), "c-1".to_string(), parent.clone())]
    );
    // For a job this worker does not know, the rejection says it was a dependency's.
    h.commands
        .send(WorkerCommand::RunNow {
            job: "gone".into(),
            execution_id: "c-2".into(),
            parent: Some(parent),
        })
        .expect("send");
    let mut events = h.rec.events.subscribe();
    tokio::time::timeout(DEADLINE, events.wait_for(|n| *n >= 2))
        .await
        .expect("rejected in time")
        .expect("open");
    assert_eq!(
        *h.rec.rejected.lock().expect("lock"),
        vec![("gone".to_string(), "c-2".to_string(), Trigger::Dependency)]
    );
    h.stop().await;
}

#[tokio::test]
async fn run_now_and_kill_reach_the_dispatcher() {
    let mut h = Harness::start(&[]).await;
    h.put(job("a", "0 0 0 1 1 *")).await;
    h.commands
        .send(WorkerCommand::RunNow {
            job: "a".into(),
            execution_id: "e-1".into(),
            parent: None,
        })
        .expect("send");
    h.wait_fired(1).await;
    let fired = h.rec.fired.lock().expect("lock")[0].clone();
    assert_eq!(
        fired,
        ("a".to_string(), 0, Trigger::Manual, Some("e-1".to_string()))
    );
    h.commands
        .send(WorkerCommand::Kill { job: "a".into() })
        .expect("send");
    let mut events = h.rec.events.subscribe();
    tokio::time::timeout(DEADLINE, events.wait_for(|n| *n >= 2))
        .await
        .expect("kill delivered")
        .expect("open");
    assert_eq!(*h.rec.killed.lock().expect("lock"), vec!["a".to_string()]);
    h.stop().await;
}

/// A record of `job`'s tick `at` seconds after T0.
fn ran(job: &str, at: i64, trigger: Trigger) -> ExecutionRecord {
    ExecutionRecord {
        execution_id: format!("{job}-{at}-{trigger:?}"),
        job_name: job.into(),
        plan_time_ms: (T0 + at) * 1000,
        start_time_ms: (T0 + at) * 1000,
        end_time_ms: (T0 + at) * 1000,
        trigger,
        ..Default::default()
    }
}

#[tokio::test]
async fn on_start_the_ticks_missed_since_the_last_recorded_one_are_handed_over_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(dir.path().join("s.db")).expect("open");
    // T0 is a whole hour. "3-59/10" fires 7 s after each whole 10 s: its newest missed tick,
    // T0 - 7, is past the grace of late ticks (5 s).
    let mut window = job("window", "3-59/10 * * * * *");
    window.catch_up_seconds = 60;
    let mut saved_late = job("saved-late", "*/10 * * * * *");
    saved_late.updated_at = T0 - 25;
    let mut disabled = job("disabled", "* * * * * *");
    disabled.disabled = true;
    let jobs = [
        window,
        job("no-window", "3-59/10 * * * * *"),
        saved_late,
        job("never-ran", "* * * * * *"),
        job("spooled", "*/10 * * * * *"),
        job("up-to-date", "0 0 * * * *"),
        disabled,
    ];
    for j in &jobs {
        store.put(j, Expect::Any).await.expect("put");
    }
    store
        .insert(&[
            ran("window", -60, Trigger::Schedule),
            ran("no-window", -60, Trigger::Schedule),
            // A run asked for by hand is not a tick: the newest tick stays at -60.
            ran("no-window", -5, Trigger::Manual),
            ran("saved-late", -60, Trigger::Schedule),
            ran("spooled", -60, Trigger::Schedule),
            ran("up-to-date", 0, Trigger::Schedule),
            ran("disabled", -60, Trigger::Schedule),
        ])
        .await
        .expect("insert");
    let h = Harness::start_on(dir, store, &[], true).await;
    let mut events = h.rec.events.subscribe();
    tokio::time::timeout(
        DEADLINE,
        events.wait_for(|_| h.rec.caught_up.lock().expect("lock").len() >= 4),
    )
    .await
    .unwrap_or_else(|_| {
        panic!(
            "catch-up handed over: {:#?}",
            h.rec.caught_up.lock().expect("lock")
        )
    })
    .expect("recorder alive");
    let mut got = h.rec.caught_up.lock().expect("lock").clone();
    got.sort_by(|a, b| a.0.cmp(&b.0));
    let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["no-window", "saved-late", "spooled", "window"],
        "jobs never run, disabled or not behind are left alone: {got:#?}"
    );
    let at = |s: i64| DateTime::from_timestamp(T0 + s, 0).expect("valid");
    let plan = |newest: (i64, Late), older: &[i64]| {
        let mut v = vec![(at(newest.0), newest.1)];
        v.extend(older.iter().map(|t| (at(*t), Late::Skip)));
        v
    };
    let older_3 = [-17, -27, -37, -47, -57];
    // Without a window the newest is skipped like the rest.
    assert_eq!(got[0].1.ticks, plan((-7, Late::Skip), &older_3));
    // Saved 25 s before T0: the ticks before the save were not this job's. The tick due now
    // is within the grace every late tick has: it runs as scheduled.
    assert_eq!(
        got[1].1.ticks,
        plan((0, Late::Run(Trigger::Schedule)), &[-10, -20])
    );
    // The spool's newer tick (-20) counts over the store's (-60).
    assert_eq!(
        got[2].1.ticks,
        plan((0, Late::Run(Trigger::Schedule)), &[-10])
    );
    // Inside its window the newest runs late, as a catch-up.
    assert_eq!(
        got[3].1.ticks,
        plan((-7, Late::Run(Trigger::CatchUp)), &older_3)
    );
    assert!(got.iter().all(|(_, m)| m.older.is_none()));
    // Nothing was fired besides: the timetable files ticks after now.
    assert!(h.rec.fired().is_empty(), "{:?}", h.rec.fired());
    h.stop().await;
}

//! Runs going on: [`Live`] holds the master's event hub and live output, which the log tail,
//! the event stream and the running view read. In a cluster, runs go on elsewhere: their
//! live output is relayed by the workers, and the running view is kept true when records
//! reach the store without passing through this master.
//!
//! - [`Followers`] counts the `TailLog` streams per job; the set of jobs followed is
//!   published in etcd (`output/<job>/<masterId>`) so that workers relay those jobs' runs.
//! - [`RelaySession`] takes what workers relay: a run's start, its output, and its stored
//!   record, in order; they go out on the master's event hub and output channel, where
//!   tails read them as in embedded mode.
//! - [`Relayed`] holds back the end of a run whose output is still being relayed when its
//!   record arrives another way (ingest is a separate call and may overtake the relay), so
//!   that followers get all of the output before the result.
//! - [`Outboxes`] bound what waits for each stream client (see [`super::outbox`]).
//! - [`settle_ended_runs`] announces the end of runs whose marker left etcd but whose
//!   record this master did not see arrive (a worker writing to MongoDB), by looking the
//!   records up in the store.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use schedd_core::store::LogStore;
use schedd_core::{Event, EventHub, ExecutionRecord, ExecutionStatus, OutputChunk};
use tokio::sync::{broadcast, watch};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::error::{Result, ServiceError};
use super::outbox::{Outboxes, StreamLimits};

/// What the master knows of runs going on, shared by the services: the event hub, the live
/// output channel, who follows which job, and the ends held back for relayed output.
#[derive(Debug, Clone)]
pub struct Live {
    /// Job, execution and worker events, and the executions running now.
    pub events: EventHub,
    /// Output of running executions as it is produced (best effort: small, and a slow
    /// reader skips what it missed).
    pub output: broadcast::Sender<OutputChunk>,
    /// The jobs this master's tails follow; in a cluster, published for workers to relay.
    pub followers: Followers,
    pub relayed: Relayed,
    /// Cancelled when the master stops; ends the streams that would otherwise hold the
    /// server's graceful shutdown open forever.
    pub shutdown: CancellationToken,
    /// What waits for each stream client, bounded.
    pub outboxes: Outboxes,
}

impl Live {
    pub fn new(shutdown: CancellationToken) -> Live {
        Live {
            events: EventHub::new(4096),
            // Small: chunks are up to 16 KiB each, and live output is best effort.
            output: broadcast::channel(256).0,
            followers: Followers::default(),
            relayed: Relayed::default(),
            shutdown,
            outboxes: Outboxes::default(),
        }
    }

    /// This, with stream clients bounded by `limits` instead of the defaults.
    pub fn with_stream_limits(mut self, limits: StreamLimits) -> Live {
        self.outboxes = Outboxes::new(limits);
        self
    }

    /// A relay stream's session; see [`RelaySession`].
    pub fn relay_session(&self) -> RelaySession {
        RelaySession {
            runs: StreamRuns {
                relayed: self.relayed.clone(),
                hub: self.events.clone(),
                ids: HashSet::new(),
            },
            live: self.clone(),
        }
    }
}

/// The jobs this master's clients follow, with how many streams follow each.
#[derive(Debug, Clone)]
pub struct Followers {
    counts: Arc<Mutex<BTreeMap<String, usize>>>,
    wanted: watch::Sender<BTreeSet<String>>,
}

impl Default for Followers {
    fn default() -> Followers {
        Followers {
            counts: Arc::default(),
            wanted: watch::channel(BTreeSet::new()).0,
        }
    }
}

impl Followers {
    /// The followed jobs, kept current.
    pub fn wanted(&self) -> watch::Receiver<BTreeSet<String>> {
        self.wanted.subscribe()
    }

    /// Counts a stream following `job` until the guard drops.
    pub fn follow(&self, job: &str) -> FollowGuard {
        self.change(job, true);
        FollowGuard {
            followers: self.clone(),
            job: job.to_owned(),
        }
    }

    fn change(&self, job: &str, more: bool) {
        let mut counts = self
            .counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let count = counts.entry(job.to_owned()).or_default();
        if more {
            *count += 1;
        } else {
            *count = count.saturating_sub(1);
        }
        if *count == 0 {
            counts.remove(job);
        }
        let jobs: BTreeSet<String> = counts.keys().cloned().collect();
        self.wanted.send_if_modified(|w| {
            let changed = *w != jobs;
            *w = jobs;
            changed
        });
    }
}

/// One stream following a job; see [`Followers::follow`].
#[derive(Debug)]
pub struct FollowGuard {
    followers: Followers,
    job: String,
}

impl Drop for FollowGuard {
    fn drop(&mut self) {
        self.followers.change(&self.job, false);
    }
}

/// How long the end of a run is held back for its relayed output at most.
const RELAY_HOLD: Duration = Duration::from_secs(2);

/// The runs whose output is being relayed to this master, with their ends held back.
#[derive(Debug, Clone, Default)]
pub struct Relayed {
    /// The end that arrived another way, by execution id.
    runs: Arc<Mutex<HashMap<String, Option<ExecutionRecord>>>>,
}

impl Relayed {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Option<ExecutionRecord>>> {
        self.runs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Announces the end of `record`'s run on `hub` or, while the run's output is being
    /// relayed, holds it back until the relay's own end comes (after the output), the
    /// relay stops, or [`RELAY_HOLD`] passes.
    pub fn finish(&self, hub: &EventHub, record: ExecutionRecord) {
        let id = record.execution_id.clone();
        {
            let mut runs = self.lock();
            if let Some(held) = runs.get_mut(&id) {
                if held.is_none() {
                    *held = Some(record);
                    let (relayed, hub) = (self.clone(), hub.clone());
                    tokio::spawn(async move {
                        tokio::time::sleep(RELAY_HOLD).await;
                        relayed.release(&hub, &id);
                    });
                }
                return;
            }
        }
        hub.send(Event::ExecutionFinished(record));
    }

    fn relaying(&self, id: &str) {
        self.lock().entry(id.to_owned()).or_insert(None);
    }

    /// The relay passed on the run's end: announce it (the hub drops a repeat).
    fn relay_finished(&self, hub: &EventHub, record: ExecutionRecord) {
        self.lock().remove(&record.execution_id);
        hub.send(Event::ExecutionFinished(record));
    }

    /// Forgets the runs holding nothing back that the hub no longer counts as running: their
    /// end went out, or was given up on, without the relay's.
    fn prune(&self, hub: &EventHub) {
        self.lock()
            .retain(|id, held| held.is_some() || hub.is_running(id));
    }

    /// Stops holding back the end of run `id`, announcing it if it came.
    fn release(&self, hub: &EventHub, id: &str) {
        let held = self.lock().remove(id).flatten();
        if let Some(record) = held {
            hub.send(Event::ExecutionFinished(record));
        }
    }
}

/// The runs one relay stream carries; released when the stream ends, however it ends.
#[derive(Debug)]
struct StreamRuns {
    relayed: Relayed,
    hub: EventHub,
    ids: HashSet<String>,
}

/// Runs a relay stream remembers before it drops those [`Relayed`] has let go of.
const STREAM_RUNS_TIDY: usize = 4096;

impl StreamRuns {
    fn add(&mut self, id: &str) {
        if !self.ids.contains(id) {
            if self.ids.len() >= STREAM_RUNS_TIDY {
                let runs = self.relayed.lock();
                self.ids.retain(|id| runs.contains_key(id));
            }
            self.ids.insert(id.to_owned());
            self.relayed.relaying(id);
        }
    }
}

impl Drop for StreamRuns {
    fn drop(&mut self) {
        for id in &self.ids {
            self.relayed.release(&self.hub, id);
        }
    }
}

/// What one worker relays about the runs of followed jobs, over one stream: each run's
/// start, its output, and its stored record, in order. Items go out on the event hub and
/// the output channel, where tails read them as in embedded mode. When the session is
/// dropped (the stream ended, however it ended), the ends it held back are let go.
#[derive(Debug)]
pub struct RelaySession {
    runs: StreamRuns,
    live: Live,
}

impl RelaySession {
    pub fn started(&mut self, record: ExecutionRecord) -> Result<()> {
        if record.status != ExecutionStatus::Running {
            return Err(ServiceError::Invalid(
                "a started run must have status running".into(),
            ));
        }
        check(&record.execution_id, &record.job_name)?;
        self.runs.add(&record.execution_id);
        self.live.events.send(Event::ExecutionStarted(record));
        Ok(())
    }

    pub fn output(&mut self, chunk: OutputChunk) -> Result<()> {
        check(&chunk.execution_id, &chunk.job_name)?;
        self.runs.add(&chunk.execution_id);
        // Nobody listening is not an error: the last follower just left.
        let _ = self.live.output.send(chunk);
        Ok(())
    }

    pub fn finished(&mut self, record: ExecutionRecord) -> Result<()> {
        if record.status == ExecutionStatus::Running {
            return Err(ServiceError::Invalid(
                "a finished run must have a final status".into(),
            ));
        }
        check(&record.execution_id, &record.job_name)?;
        self.runs.ids.remove(&record.execution_id);
        self.live.relayed.relay_finished(&self.live.events, record);
        Ok(())
    }
}

fn check(execution_id: &str, job_name: &str) -> Result<()> {
    if execution_id.is_empty() || job_name.is_empty() {
        return Err(ServiceError::Invalid(
            "relayed items need an execution id and a job name".into(),
        ));
    }
    Ok(())
}

/// How often [`settle_ended_runs`] looks for ended runs.
const SETTLE_EVERY: Duration = Duration::from_secs(1);
/// How long a run whose marker left etcd is left to the ingest and relay paths before its
/// record is looked up in the store: a worker sends its records within its
/// `logCommitTimeout` (1 s by default) of the run's end. Each later look-up waits twice as
/// long as the one before, up to [`SETTLE_MAX_WAIT`].
const SETTLE_AFTER: Duration = Duration::from_secs(3);
const SETTLE_MAX_WAIT: Duration = Duration::from_secs(60);
/// How long an ended run's record is looked for before the run is no longer counted as
/// running (watchers are told to re-read what they show).
const SETTLE_GIVE_UP: Duration = Duration::from_secs(600);
/// Most ended runs waiting for their records; beyond it the oldest are given up.
const SETTLE_MAX_PENDING: usize = 100_000;
/// Most ids looked up in one store query.
const SETTLE_BATCH: usize = 1_000;

/// Announces, until `shutdown`, the end of runs the hub counts as running but
/// `still_running` (the runs whose markers are in etcd) no longer lists: their records are
/// looked up in `logs` and announced (through `relayed`) as they turn up. Runs that ended
/// with their record announced by ingest or relay are left alone.
pub async fn settle_ended_runs(
    events: EventHub,
    logs: Arc<dyn LogStore>,
    relayed: Relayed,
    still_running: impl Fn() -> HashSet<String> + Send,
    shutdown: CancellationToken,
) {
    let mut pending = Pending::default();
    let mut tick = tokio::time::interval(SETTLE_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut failing = false;
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return,
            _ = tick.tick() => {}
        }
        let now = Instant::now();
        let given_up = pending.update(&events.running(), &still_running(), now);
        if !given_up.is_empty() {
            tracing::warn!(
                runs = given_up.len(),
                "no record turned up for runs that ended; no longer counted as running"
            );
            events.give_up(given_up);
        }
        relayed.prune(&events);
        let due = pending.due(now);
        for ids in due.chunks(SETTLE_BATCH) {
            let found = tokio::select! {
                () = shutdown.cancelled() => return,
                found = logs.find(ids) => found,
            };
            match found {
                Ok(records) => {
                    if std::mem::take(&mut failing) {
                        tracing::info!("looking up records of ended runs works again");
                    }
                    pending.looked_up(ids, now);
                    pending.remove(records.iter().map(|r| r.execution_id.as_str()));
                    for record in records {
                        relayed.finish(&events, record);
                    }
                }
                Err(e) => {
                    if !std::mem::replace(&mut failing, true) {
                        tracing::warn!(error = %e, "looking up records of ended runs failed; retrying");
                    }
                    break;
                }
            }
        }
    }
}

/// An ended run waiting for its record.
#[derive(Debug)]
struct Ended {
    id: String,
    since: Instant,
    /// When to look it up next, and the wait after that.
    next: Instant,
    wait: Duration,
}

/// Ended runs waiting for their records, oldest first.
#[derive(Debug, Default)]
struct Pending {
    runs: VecDeque<Ended>,
    ids: HashSet<String>,
}

impl Pending {
    /// Takes in the runs `hub_running` lists but `still_running` does not, drops those no
    /// longer running in the hub (announced meanwhile), and returns those to give up on.
    fn update(
        &mut self,
        hub_running: &[ExecutionRecord],
        still_running: &HashSet<String>,
        now: Instant,
    ) -> Vec<String> {
        let in_hub: HashSet<&str> = hub_running
            .iter()
            .map(|r| r.execution_id.as_str())
            .collect();
        // A run counted again by etcd (its marker arrived after the relay's start) is not
        // over after all.
        self.runs
            .retain(|e| in_hub.contains(e.id.as_str()) && !still_running.contains(e.id.as_str()));
        self.ids = self.runs.iter().map(|e| e.id.clone()).collect();
        for r in hub_running {
            if !still_running.contains(&r.execution_id) && self.ids.insert(r.execution_id.clone()) {
                self.runs.push_back(Ended {
                    id: r.execution_id.clone(),
                    since: now,
                    next: now + SETTLE_AFTER,
                    wait: SETTLE_AFTER,
                });
            }
        }
        let mut given_up = Vec::new();
        while let Some(oldest) = self.runs.front() {
            let too_old = now.saturating_duration_since(oldest.since) >= SETTLE_GIVE_UP;
            if !too_old && self.runs.len() <= SETTLE_MAX_PENDING {
                break;
            }
            if let Some(e) = self.runs.pop_front() {
                self.ids.remove(&e.id);
                given_up.push(e.id);
            }
        }
        given_up
    }

    /// The runs to look up now.
    fn due(&self, now: Instant) -> Vec<String> {
        self.runs
            .iter()
            .filter(|e| e.next <= now)
            .map(|e| e.id.clone())
            .collect()
    }

    /// The runs `ids` were looked up at `now`: each is next looked up after twice its last
    /// wait.
    fn looked_up(&mut self, ids: &[String], now: Instant) {
        let ids: HashSet<&str> = ids.iter().map(String::as_str).collect();
        for e in &mut self.runs {
            if ids.contains(e.id.as_str()) {
                e.wait = (e.wait * 2).min(SETTLE_MAX_WAIT);
                e.next = now + e.wait;
            }
        }
    }

    fn remove<'a>(&mut self, found: impl Iterator<Item = &'a str>) {
        let found: HashSet<&str> = found.collect();
        if found.is_empty() {
            return;
        }
        self.runs.retain(|e| !found.contains(e.id.as_str()));
        for id in found {
            self.ids.remove(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use schedd_core::ExecutionRecord;

    fn rec(id: &str) -> ExecutionRecord {
        ExecutionRecord {
            execution_id: id.into(),
            job_name: "j".into(),
            ..Default::default()
        }
    }

    #[test]
    fn followers_publish_each_job_while_one_stream_follows_it() {
        let f = Followers::default();
        let wanted = f.wanted();
        let a1 = f.follow("a");
        let a2 = f.follow("a");
        let b = f.follow("b");
        assert_eq!(*wanted.borrow(), BTreeSet::from(["a".into(), "b".into()]));
        drop(a1);
        assert_eq!(*wanted.borrow(), BTreeSet::from(["a".into(), "b".into()]));
        drop(a2);
        assert_eq!(*wanted.borrow(), BTreeSet::from(["b".into()]));
        drop(b);
        assert!(wanted.borrow().is_empty());
    }

    fn finishes(rx: &mut broadcast::Receiver<Event>) -> Vec<String> {
        let mut ids = Vec::new();
        while let Ok(e) = rx.try_recv() {
            if let Event::ExecutionFinished(r) = e {
                ids.push(r.execution_id);
            }
        }
        ids
    }

    #[tokio::test]
    async fn the_end_of_a_relayed_run_waits_for_the_relay_to_pass_its_output_on() {
        let hub = EventHub::new(64);
        let mut rx = hub.subscribe();
        let relayed = Relayed::default();
        // Not relayed: announced at once.
        relayed.finish(&hub, rec("plain"));
        assert_eq!(finishes(&mut rx), ["plain"]);
        // Relayed: the ingested end waits for the relay's.
        let mut stream = StreamRuns {
            relayed: relayed.clone(),
            hub: hub.clone(),
            ids: HashSet::new(),
        };
        stream.add("r1");
        relayed.finish(&hub, rec("r1"));
        assert!(finishes(&mut rx).is_empty(), "held back");
        relayed.relay_finished(&hub, rec("r1"));
        assert_eq!(finishes(&mut rx), ["r1"]);
        // A relay that stops lets go of what it held.
        stream.add("r2");
        relayed.finish(&hub, rec("r2"));
        assert!(finishes(&mut rx).is_empty(), "held back");
        drop(stream);
        assert_eq!(finishes(&mut rx), ["r2"]);
        // Runs the relay never finished: forgotten once the hub no longer counts them
        // running, kept while it does.
        relayed.relaying("gone");
        relayed.relaying("going");
        hub.send(Event::ExecutionStarted(rec("going")));
        relayed.prune(&hub);
        let left: Vec<String> = relayed.lock().keys().cloned().collect();
        assert_eq!(left, ["going"]);
    }

    #[tokio::test]
    async fn a_held_back_end_goes_out_after_a_while_without_the_relay() {
        let hub = EventHub::new(64);
        let mut rx = hub.subscribe();
        let relayed = Relayed::default();
        relayed.relaying("r1");
        relayed.finish(&hub, rec("r1"));
        let got = tokio::time::timeout(Duration::from_secs(60), rx.recv())
            .await
            .expect("announced within the deadline")
            .expect("event");
        assert!(matches!(got, Event::ExecutionFinished(r) if r.execution_id == "r1"));
        assert!(relayed.lock().is_empty());
    }

    #[test]
    fn a_run_is_settled_only_once_it_left_etcd_and_is_still_unannounced() {
        let t0 = Instant::now();
        let mut p = Pending::default();
        let hub = [rec("a"), rec("b")];
        // `a` still has its marker; `b` does not.
        let etcd = HashSet::from(["a".to_owned()]);
        assert!(p.update(&hub, &etcd, t0).is_empty());
        assert!(p.due(t0).is_empty(), "not before SETTLE_AFTER");
        assert_eq!(p.due(t0 + SETTLE_AFTER), ["b"]);
        // Not looked up (the store failed): still due.
        assert_eq!(p.due(t0 + SETTLE_AFTER * 2), ["b"]);
        // Looked up and not found: looked up again after twice the wait, not at every round.
        let t1 = t0 + SETTLE_AFTER;
        p.looked_up(&["b".to_owned()], t1);
        assert!(p.due(t1 + SETTLE_AFTER).is_empty());
        assert_eq!(p.due(t1 + SETTLE_AFTER * 2), ["b"]);
        // `b` was announced meanwhile (it left the hub): nothing left to do.
        let t2 = t1 + SETTLE_AFTER * 2;
        assert!(p.update(&hub[..1], &etcd, t2).is_empty());
        assert!(p.due(t2 + SETTLE_MAX_WAIT).is_empty());
    }

    #[test]
    fn a_run_whose_marker_shows_up_late_is_not_settled() {
        let t0 = Instant::now();
        let mut p = Pending::default();
        let hub = [rec("a")];
        p.update(&hub, &HashSet::new(), t0);
        p.update(&hub, &HashSet::from(["a".to_owned()]), t0);
        assert!(p.due(t0 + SETTLE_AFTER).is_empty());
        // Found in the store: done with.
        p.update(&hub, &HashSet::new(), t0);
        p.remove(["a"].into_iter());
        assert!(p.due(t0 + SETTLE_MAX_WAIT).is_empty());
    }

    /// A run the hub saw start, whose record went into the store without passing through
    /// this master (as a worker writing to MongoDB does), is announced from the store once
    /// its marker is gone; one still marked stays running.
    #[tokio::test]
    async fn ended_runs_are_announced_from_the_store() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = schedd_store::SqliteStore::open(dir.path().join("schedd.db")).expect("open");
        let logs: Arc<dyn LogStore> = Arc::new(store);
        let hub = EventHub::new(64);
        let mut rx = hub.subscribe();
        let mut started = rec("gone");
        started.status = schedd_core::ExecutionStatus::Running;
        hub.send(Event::ExecutionStarted(started.clone()));
        hub.send(Event::ExecutionStarted(ExecutionRecord {
            execution_id: "still-going".into(),
            ..started.clone()
        }));
        let stored = ExecutionRecord {
            status: schedd_core::ExecutionStatus::Success,
            start_time_ms: 1_000,
            end_time_ms: 2_000,
            output: "done\n".into(),
            ..started
        };
        logs.insert(std::slice::from_ref(&stored))
            .await
            .expect("insert");
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(settle_ended_runs(
            hub.clone(),
            logs,
            Relayed::default(),
            || HashSet::from(["still-going".to_owned()]),
            shutdown.clone(),
        ));
        let finished = tokio::time::timeout(Duration::from_secs(60), async {
            loop {
                if let Ok(Event::ExecutionFinished(r)) = rx.recv().await {
                    break r;
                }
            }
        })
        .await
        .expect("the ended run is announced");
        assert_eq!(finished, stored);
        assert!(!hub.is_running("gone"));
        assert!(hub.is_running("still-going"));
        shutdown.cancel();
        task.await.expect("settling stops");
    }

    #[test]
    fn a_run_whose_record_never_turns_up_is_given_up() {
        let t0 = Instant::now();
        let mut p = Pending::default();
        let hub = [rec("a")];
        assert!(p.update(&hub, &HashSet::new(), t0).is_empty());
        assert_eq!(p.update(&hub, &HashSet::new(), t0 + SETTLE_GIVE_UP), ["a"]);
        assert!(p.due(t0 + SETTLE_GIVE_UP).is_empty());
    }
}

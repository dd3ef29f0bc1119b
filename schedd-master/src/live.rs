//! Runs going on elsewhere, in a cluster: live output relayed by the workers, and the
//! running view kept true when records reach the store without passing through this
//! master.
//!
//! - [`Followers`] counts the `TailLog` streams per job; the set of jobs followed is
//!   published in etcd (`output/<job>/<masterId>`) so that workers relay those jobs' runs.
//! - [`RelayApi`] takes what workers relay: a run's start, its output, and its stored
//!   record, in order; they go out on the master's event hub and output channel, where
//!   `TailLog` reads them as in embedded mode.
//! - [`settle_ended_runs`] announces the end of runs whose marker left etcd but whose
//!   record this master did not see arrive (stored in MongoDB by the worker, or ingested
//!   by another master), by looking the records up in the store.

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use schedd_core::store::LogStore;
use schedd_core::{Event, EventHub, OutputChunk, OutputStream};
use schedd_proto::record_from_pb;
use schedd_proto::v1 as pb;
use tokio::sync::{broadcast, watch};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tonic::{Request, Response, Status, Streaming};

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

/// The `RelayService`: what workers send about the runs of followed jobs.
#[derive(Debug, Clone)]
pub struct RelayApi {
    pub events: EventHub,
    pub output: broadcast::Sender<OutputChunk>,
    pub shutdown: CancellationToken,
}

#[tonic::async_trait]
impl pb::relay_service_server::RelayService for RelayApi {
    async fn relay(
        &self,
        req: Request<Streaming<pb::RelayRequest>>,
    ) -> Result<Response<pb::RelayResponse>, Status> {
        use pb::relay_request::Item;
        let mut stream = req.into_inner();
        loop {
            let message = tokio::select! {
                () = self.shutdown.cancelled() => return Err(Status::unavailable("the master is stopping")),
                m = stream.message() => m?,
            };
            let Some(pb::RelayRequest { item: Some(item) }) = message else {
                if message.is_none() {
                    return Ok(Response::new(pb::RelayResponse {}));
                }
                continue;
            };
            match item {
                Item::Started(r) => {
                    if r.status != pb::ExecutionStatus::Running as i32 {
                        return Err(Status::invalid_argument(
                            "a started run must have status RUNNING",
                        ));
                    }
                    let record = record_from_pb(r);
                    check(&record.execution_id, &record.job_name)?;
                    self.events.send(Event::ExecutionStarted(record));
                }
                Item::Output(c) => {
                    check(&c.execution_id, &c.job_name)?;
                    let stream = match pb::OutputStream::try_from(c.stream) {
                        Ok(pb::OutputStream::Stderr) => OutputStream::Stderr,
                        _ => OutputStream::Stdout,
                    };
                    // Nobody listening is not an error: the last follower just left.
                    let _ = self.output.send(OutputChunk {
                        execution_id: c.execution_id,
                        job_name: c.job_name,
                        stream,
                        data: c.data,
                    });
                }
                Item::Finished(r) => {
                    if r.status == pb::ExecutionStatus::Running as i32 {
                        return Err(Status::invalid_argument(
                            "a finished run must have a final status",
                        ));
                    }
                    let record = crate::grpc::ingested_record(0, r)?;
                    check(&record.execution_id, &record.job_name)?;
                    self.events.send(Event::ExecutionFinished(record));
                }
            }
        }
    }
}

fn check(execution_id: &str, job_name: &str) -> Result<(), Status> {
    if execution_id.is_empty() || job_name.is_empty() {
        return Err(Status::invalid_argument(
            "relayed items need an execution id and a job name",
        ));
    }
    Ok(())
}

/// How often [`settle_ended_runs`] looks for ended runs.
const SETTLE_EVERY: Duration = Duration::from_secs(1);
/// How long a run whose marker left etcd is left to the ingest and relay paths before its
/// record is looked up in the store: a worker sends its records within its
/// `logCommitTimeout` (1 s by default) of the run's end.
const SETTLE_AFTER: Duration = Duration::from_secs(3);
/// How long an ended run's record is looked for before the run is no longer counted as
/// running without an announced end.
const SETTLE_GIVE_UP: Duration = Duration::from_secs(600);
/// Most ended runs waiting for their records; beyond it the oldest are given up.
const SETTLE_MAX_PENDING: usize = 100_000;
/// Most ids looked up in one store query.
const SETTLE_BATCH: usize = 1_000;

/// Announces, until `shutdown`, the end of runs the hub counts as running but
/// `still_running` (the runs whose markers are in etcd) no longer lists: their records are
/// looked up in `logs` and announced as they turn up. Runs that ended with their record
/// announced by ingest or relay are left alone.
pub async fn settle_ended_runs(
    events: EventHub,
    logs: Arc<dyn LogStore>,
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
        let running = still_running();
        for id in pending.update(&events.running(), &running, now) {
            events.forget(&id);
        }
        let due = pending.due(now);
        for ids in due.chunks(SETTLE_BATCH) {
            match logs.find(ids).await {
                Ok(records) => {
                    if std::mem::take(&mut failing) {
                        tracing::info!("looking up records of ended runs works again");
                    }
                    for record in records {
                        pending.remove(&record.execution_id);
                        events.send(Event::ExecutionFinished(record));
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

/// Ended runs waiting for their records, oldest first.
#[derive(Debug, Default)]
struct Pending {
    order: VecDeque<(String, Instant)>,
    ids: HashSet<String>,
}

impl Pending {
    /// Takes in the runs `hub_running` lists but `still_running` does not, drops those no
    /// longer running in the hub (announced meanwhile), and returns those to give up on.
    fn update(
        &mut self,
        hub_running: &[schedd_core::ExecutionRecord],
        still_running: &HashSet<String>,
        now: Instant,
    ) -> Vec<String> {
        let in_hub: HashSet<&str> = hub_running
            .iter()
            .map(|r| r.execution_id.as_str())
            .collect();
        // A run counted again by etcd (its marker arrived after the relay's start) is not
        // over after all.
        self.order
            .retain(|(id, _)| in_hub.contains(id.as_str()) && !still_running.contains(id.as_str()));
        self.ids = self.order.iter().map(|(id, _)| id.clone()).collect();
        for r in hub_running {
            if !still_running.contains(&r.execution_id) && self.ids.insert(r.execution_id.clone()) {
                self.order.push_back((r.execution_id.clone(), now));
            }
        }
        let mut given_up = Vec::new();
        while let Some((id, since)) = self.order.front() {
            let too_old = now.saturating_duration_since(*since) >= SETTLE_GIVE_UP;
            if !too_old && self.order.len() <= SETTLE_MAX_PENDING {
                break;
            }
            self.ids.remove(id);
            given_up.push(id.clone());
            self.order.pop_front();
        }
        given_up
    }

    /// The runs that ended at least [`SETTLE_AFTER`] ago.
    fn due(&self, now: Instant) -> Vec<String> {
        self.order
            .iter()
            .take_while(|(_, since)| now.saturating_duration_since(*since) >= SETTLE_AFTER)
            .map(|(id, _)| id.clone())
            .collect()
    }

    fn remove(&mut self, id: &str) {
        if self.ids.remove(id) {
            self.order.retain(|(i, _)| i != id);
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
        // `b` was announced meanwhile (it left the hub): nothing left to do.
        assert!(p.update(&hub[..1], &etcd, t0 + SETTLE_AFTER).is_empty());
        assert!(p.due(t0 + SETTLE_AFTER).is_empty());
    }

    #[test]
    fn a_run_whose_marker_shows_up_late_is_not_settled() {
        let t0 = Instant::now();
        let mut p = Pending::default();
        let hub = [rec("a")];
        p.update(&hub, &HashSet::new(), t0);
        p.update(&hub, &HashSet::from(["a".to_owned()]), t0);
        assert!(p.due(t0 + SETTLE_AFTER).is_empty());
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

//! A worker in a cluster: exactly one run per tick across every worker, through claims in
//! etcd.
//!
//! Every worker schedules every job it may run, but does not race for every tick. Each tick
//! has an owner: the live worker (matching the job's selector) with the highest rendezvous
//! score for that job and tick, so load spreads evenly and moves as little as possible when
//! workers come and go. The owner claims the tick at once; the next in rank claim it only
//! after [`ClusterOptions::takeover_grace`] (and later ranks a little later still) and only
//! if they have not seen a claim for it, so a dead or saturated owner costs one grace period
//! and a live one costs no extra request. The claim itself is one etcd transaction keyed by
//! job and tick: whatever the clocks say, a tick is run at most once.
//!
//! The same module follows the cluster: live workers (for ranking, and to record the runs of
//! a worker whose lease expired as lost), claims (to know a tick is taken), kill requests,
//! and run-now requests.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use schedd_core::store::{StoreError, WorkerCommand};
use schedd_core::{
    Clock, ExecutionRecord, ExecutionStatus, Job, Overlap, Trigger, from_unix_ms, new_execution_id,
    unix_ms,
};
use schedd_store::etcd::cluster::{
    ClaimKind, ClaimOutcome, EtcdClaims, KillRequest, RunMarker, TickClaim,
};
use schedd_store::etcd::members::{Departure, Members, runs_left_by};
use schedd_store::etcd::{Change, Etcd, KeyRange, WatchItem, follow};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::metrics::ClaimResult;
use crate::runner::{Dispatch, OnFinish, Runner};
use crate::scheduler::selector_matches;
use crate::timetable::LATE_GRACE_SECS;

/// How long after a tick the first worker after its owner takes it over.
pub const DEFAULT_TAKEOVER_GRACE: Duration = Duration::from_millis(500);
/// The takeover grace grows with the observed claim latency up to this.
const MAX_TAKEOVER_GRACE: Duration = Duration::from_secs(10);
/// A tick whose claim could not reach etcd is tried again for this long; after that nobody
/// can tell whether another worker ran it, because claim keys expire.
const PENDING_LIFETIME: chrono::Duration = chrono::Duration::seconds(50);
/// How often a run-now request for a job this worker does not (yet) schedule is tried again,
/// half a second apart.
const RUN_NOW_RETRIES: u32 = 20;
/// At most this many missed ticks of one job are claimed and recorded one by one after the
/// cluster was down; older ones are summed up in one record.
const MAX_CATCH_UP_TICKS: usize = 1000;

#[derive(Debug, Clone)]
pub struct ClusterOptions {
    pub worker_id: String,
    pub worker_ip: String,
    pub labels: BTreeMap<String, String>,
    pub takeover_grace: Duration,
    /// Zone of jobs that carry none (the master stamps one on every job it saves).
    pub default_tz: chrono_tz::Tz,
}

/// The cluster's side of a worker: implements [`Dispatch`] for the scheduler on top of a
/// [`Runner`].
#[derive(Debug, Clone)]
pub struct Cluster {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    claims: EtcdClaims,
    runner: Runner,
    clock: Arc<dyn Clock>,
    opts: ClusterOptions,
    /// Live workers and their labels, from `workers/`.
    live: RwLock<BTreeMap<String, BTreeMap<String, String>>>,
    /// Ticks known to be claimed, from `claims/`.
    seen: Mutex<HashSet<(String, i64)>>,
    /// When `seen` was last pruned.
    pruned_at: Mutex<std::time::Instant>,
    /// Ticks whose claim failed because etcd could not be reached.
    pending: Mutex<Vec<Pending>>,
    /// `last/<job>` as read at start; a job is taken out when its catch-up has been done.
    last_at_start: Mutex<HashMap<String, i64>>,
    /// Runs started here under a claim and not yet released, by execution id.
    claimed: Mutex<HashMap<String, ClaimedRun>>,
    /// Run-now requests for the scheduler; re-sent while the job is not scheduled here yet.
    commands: mpsc::UnboundedSender<WorkerCommand>,
    /// How often each run-now request was re-sent, by execution id.
    run_now_retries: Mutex<HashMap<String, u32>>,
    tasks: TaskTracker,
    shutdown: CancellationToken,
}

/// A run started under a claim: the lease its marker (and lock) went under.
#[derive(Debug, Clone, Copy)]
struct ClaimedRun {
    lease: i64,
    /// It holds the job's lock (overlap `forbid` or `replace`).
    exclusive: bool,
}

/// Added to the record of a run that held its job exclusively when this worker was fenced.
const FENCED_NOTE: &str = "fenced: this worker's etcd lease lapsed (etcd unreachable, or the worker paused), so the run was stopped: its job's lock could pass to another worker";
/// Added to the record of any other run going on when this worker was fenced.
const OUTLIVED_NOTE: &str = "this run outlived its worker's etcd lease (etcd unreachable, or the worker paused); this record replaces a `lost` one";

#[derive(Debug, Clone)]
struct Pending {
    job: Arc<Job>,
    tick: DateTime<Utc>,
}

impl Cluster {
    /// Starts following the cluster. Returns the cluster and the channel of run-now
    /// requests for the scheduler (kill requests go straight to the runner).
    pub async fn start(
        etcd: Etcd,
        claims: EtcdClaims,
        runner: Runner,
        clock: Arc<dyn Clock>,
        opts: ClusterOptions,
        shutdown: CancellationToken,
    ) -> Result<(Cluster, mpsc::UnboundedReceiver<WorkerCommand>), StoreError> {
        let last_at_start = claims.last_ticks().await?;
        let (commands_tx, commands) = mpsc::unbounded_channel();
        let inner = Arc::new(Inner {
            commands: commands_tx.clone(),
            run_now_retries: Mutex::new(HashMap::new()),
            claimed: Mutex::new(HashMap::new()),
            claims,
            runner: runner.clone(),
            clock,
            opts,
            live: RwLock::new(BTreeMap::new()),
            seen: Mutex::new(HashSet::new()),
            pruned_at: Mutex::new(std::time::Instant::now()),
            pending: Mutex::new(Vec::new()),
            last_at_start: Mutex::new(last_at_start),
            tasks: TaskTracker::new(),
            shutdown: shutdown.clone(),
        });
        let cluster = Cluster { inner };

        let releaser = cluster.clone();
        runner.set_on_finish(OnFinish(Arc::new(move |job, execution_id| {
            releaser.release(job.to_owned(), execution_id.to_owned());
        })));

        // Claims and the live set first: ranking and takeover depend on them.
        let mut claims_rx = follow(&etcd, KeyRange::prefix(&etcd, "claims/"), shutdown.clone());
        let mut members_rx = follow(&etcd, KeyRange::prefix(&etcd, "workers/"), shutdown.clone());
        let mut kills_rx = follow(&etcd, KeyRange::prefix(&etcd, "kill/"), shutdown.clone());
        let mut runs_rx = follow(&etcd, KeyRange::prefix(&etcd, "run/"), shutdown.clone());
        let prefix = format!("{}/", etcd.prefix());

        let c = cluster.clone();
        let p = prefix.clone();
        tokio::spawn(async move {
            while let Some(item) = claims_rx.recv().await {
                c.on_claims(&p, item);
            }
        });
        let c = cluster.clone();
        let p = prefix.clone();
        tokio::spawn(async move {
            let mut members = Members::default();
            while let Some(item) = members_rx.recv().await {
                let gone = members.apply(&p, item);
                c.set_live(members.live());
                for departure in gone {
                    c.record_runs_left(departure);
                }
            }
        });
        let c = cluster.clone();
        let p = prefix.clone();
        tokio::spawn(async move {
            let mut seen_revision = None;
            while let Some(item) = kills_rx.recv().await {
                for (job, req) in signals(&p, "kill/", item, &mut seen_revision) {
                    c.on_kill(&job, &req);
                }
            }
        });
        let p = prefix;
        tokio::spawn(async move {
            // Run-now requests are acted on even when they were made before this worker
            // started: taking one deletes it, so none is run twice.
            let mut seen_revision = Some(0);
            while let Some(item) = runs_rx.recv().await {
                for (rest, _) in signals::<serde_json::Value>(&p, "run/", item, &mut seen_revision)
                {
                    if let Some((job, execution_id)) = rest.split_once('/') {
                        let _ = commands_tx.send(WorkerCommand::RunNow {
                            job: job.to_owned(),
                            execution_id: execution_id.to_owned(),
                        });
                    }
                }
            }
        });
        let c = cluster.clone();
        tokio::spawn(async move { c.retry_pending().await });
        let c = cluster.clone();
        tokio::spawn(async move { c.follow_fence().await });
        Ok((cluster, commands))
    }

    /// Waits for claim and release tasks still in flight.
    pub async fn wait(&self) {
        self.inner.tasks.close();
        self.inner.tasks.wait().await;
    }

    fn set_live(&self, live: BTreeMap<String, BTreeMap<String, String>>) {
        if let Ok(mut l) = self.inner.live.write() {
            *l = live;
        }
    }

    fn on_claims(&self, prefix: &str, item: WatchItem) {
        let changes = match item {
            WatchItem::Snapshot { kvs, .. } => kvs,
            WatchItem::Changes(c) => c,
        };
        let Ok(mut seen) = self.inner.seen.lock() else {
            return;
        };
        for change in changes {
            if let Change::Put { key, .. } = change
                && let Some(rest) = key
                    .strip_prefix(prefix)
                    .and_then(|k| k.strip_prefix("claims/"))
                && let Some((job, tick)) = rest.rsplit_once('/')
                && let Ok(tick) = tick.parse::<i64>()
            {
                seen.insert((job.to_owned(), tick));
            }
        }
        // Claims older than anyone would still act on are forgotten, at most once a second:
        // the set holds about a hundred seconds of claims, and scanning it per message would
        // cost more the busier the cluster is.
        let due = self
            .inner
            .pruned_at
            .lock()
            .map(|mut at| {
                let due = at.elapsed() >= Duration::from_secs(1);
                if due {
                    *at = std::time::Instant::now();
                }
                due
            })
            .unwrap_or(false);
        if due && seen.len() > 4096 {
            let horizon = unix_ms(self.inner.clock.now()) - 2 * PENDING_LIFETIME.num_milliseconds();
            seen.retain(|(_, t)| *t >= horizon);
        }
    }

    fn is_claimed(&self, job: &str, tick_ms: i64) -> bool {
        self.inner
            .seen
            .lock()
            .map(|s| s.contains(&(job.to_owned(), tick_ms)))
            .unwrap_or(false)
    }

    fn on_kill(&self, job: &str, req: &KillRequest) {
        let n = if req.execution_id.is_empty() {
            self.inner.runner.kill(job)
        } else {
            usize::from(self.inner.runner.kill_execution(&req.execution_id))
        };
        if n > 0 {
            tracing::info!(job, execution_id = %req.execution_id, killed = n, "kill requested");
        }
    }

    /// This worker's place among the live workers that may run `job`, for `tick_ms`: 0 for
    /// the owner. Also returns how many are eligible.
    fn rank(&self, job: &Job, tick_ms: i64) -> (usize, usize) {
        let me = &self.inner.opts.worker_id;
        let mine = score(me, &job.name, tick_ms);
        let Ok(live) = self.inner.live.read() else {
            return (0, 1);
        };
        let mut eligible = 1;
        let mut ahead = 0;
        for (id, labels) in live.iter() {
            if id == me || !selector_matches(&job.selector, labels) {
                continue;
            }
            eligible += 1;
            let s = score(id, &job.name, tick_ms);
            if (s, id.as_str()) > (mine, me.as_str()) {
                ahead += 1;
            }
        }
        (ahead, eligible)
    }

    /// When the worker of `rank` tries a tick that nobody claimed: the owner at once, the
    /// next after the grace, later ones a quarter grace apart. The grace is at least twice
    /// the longest claim of late (up to [`MAX_TAKEOVER_GRACE`]): when etcd is slow, the
    /// owner's claim takes longer to show, and claiming beside it would only add load.
    fn turn(&self, rank: usize) -> chrono::Duration {
        let observed = (self.inner.claims.recent_claim_latency() * 2).min(MAX_TAKEOVER_GRACE);
        let grace = self.inner.opts.takeover_grace.max(observed);
        let at = match rank {
            0 => Duration::ZERO,
            r => grace + grace / 4 * u32::try_from(r - 1).unwrap_or(u32::MAX),
        };
        chrono::Duration::from_std(at).unwrap_or(chrono::Duration::MAX)
    }

    fn saturated(&self) -> bool {
        self.inner.runner.running() >= self.inner.runner.capacity()
    }

    fn claim_kind(job: &Job) -> ClaimKind {
        match job.overlap {
            Overlap::Allow => ClaimKind::Run,
            Overlap::Forbid => ClaimKind::RunExclusive,
            Overlap::Replace => ClaimKind::RunReplacing,
        }
    }

    fn marker(&self, job: &Job, plan_ms: i64, execution_id: &str, trigger: Trigger) -> RunMarker {
        RunMarker {
            job_name: job.name.clone(),
            execution_id: execution_id.to_owned(),
            worker_id: self.inner.opts.worker_id.clone(),
            worker_ip: self.inner.opts.worker_ip.clone(),
            command: job.command.clone(),
            plan_time_ms: plan_ms,
            start_time_ms: unix_ms(self.inner.clock.now()),
            trigger: trigger.as_str().to_owned(),
        }
    }

    /// Claims the tick and acts on the outcome. Err only when etcd could not be reached.
    /// `taken_over`: this worker is not the tick's owner and claims it after the owner's turn.
    async fn claim_and_run(
        &self,
        job: &Arc<Job>,
        tick: DateTime<Utc>,
        kind: ClaimKind,
        trigger: Trigger,
        skip_reason: &str,
        taken_over: bool,
    ) -> Result<ClaimOutcome, StoreError> {
        let tick_ms = unix_ms(tick);
        let execution_id = new_execution_id();
        let lease = self.inner.claims.lease_id();
        let claim = TickClaim {
            kind,
            tick_ms,
            marker: self.marker(job, tick_ms, &execution_id, trigger),
        };
        let outcome = self.inner.claims.claim(&claim).await?;
        let runner = &self.inner.runner;
        if let Some(m) = runner.metrics() {
            m.claim(match &outcome {
                ClaimOutcome::Run { .. } if taken_over => ClaimResult::TakenOver,
                ClaimOutcome::Run { .. } => ClaimResult::Won,
                ClaimOutcome::Busy { .. } | ClaimOutcome::Skipped => ClaimResult::Skipped,
                ClaimOutcome::Taken => ClaimResult::Lost,
            });
        }
        match &outcome {
            ClaimOutcome::Run { replaced } => {
                if let Some(previous) = replaced {
                    tracing::info!(job = %job.name, previous, "killing the running execution (overlap: replace)");
                    if !runner.kill_execution(previous) {
                        let etcd = self.inner.claims.etcd().clone();
                        let (name, previous) = (job.name.clone(), previous.clone());
                        self.inner.tasks.spawn(async move {
                            if let Err(e) = schedd_store::etcd::cluster::request_kill(
                                &etcd,
                                &name,
                                Some(&previous),
                            )
                            .await
                            {
                                tracing::warn!(job = name, error = %e, "could not ask for the replaced run to be killed");
                            }
                        });
                    }
                }
                if !self.inner.claims.lease_is_current() {
                    // Fenced while the claim went out: the marker and lock may be gone already.
                    // Under the marker's id: peers may have recorded the run `lost` already,
                    // and this record, of what happened, replaces that guess.
                    let reason = "skipped: this worker was fenced (its etcd lease lapsed) as it claimed the tick";
                    let mut record =
                        runner.skipped_record(job, tick_ms, trigger, reason.to_owned());
                    record.execution_id.clone_from(&execution_id);
                    runner.record(record);
                    self.release(job.name.clone(), execution_id);
                    return Ok(outcome);
                }
                self.track(&execution_id, lease, kind != ClaimKind::Run);
                runner.fire(Arc::clone(job), tick, trigger, Some(execution_id));
            }
            ClaimOutcome::Busy { holder } => {
                tracing::warn!(job = %job.name, tick = %tick, holder, "tick skipped: the previous run is still going (overlap: forbid)");
                let reason =
                    format!("skipped: the previous run {holder} is still going (overlap: forbid)");
                runner.record(runner.skipped_record(job, tick_ms, trigger, reason));
            }
            ClaimOutcome::Skipped => {
                runner.record(runner.skipped_record(job, tick_ms, trigger, skip_reason.to_owned()));
            }
            ClaimOutcome::Taken => {}
        }
        Ok(outcome)
    }

    /// Decides about one scheduled tick: waits for this worker's turn, then claims it unless
    /// it has been claimed already.
    async fn take_tick(self, job: Arc<Job>, tick: DateTime<Utc>) {
        let tick_ms = unix_ms(tick);
        let (rank, eligible) = self.rank(&job, tick_ms);
        let clock = Arc::clone(&self.inner.clock);
        if rank > 0
            && (!self.sleep_until(tick + self.turn(rank)).await
                || self.is_claimed(&job.name, tick_ms))
        {
            return;
        }
        // A saturated worker leaves the tick to one with a free slot, and takes it only
        // after everyone's turn has passed.
        if self.saturated()
            && (!self.sleep_until(tick + self.turn(eligible)).await
                || self.is_claimed(&job.name, tick_ms))
        {
            return;
        }
        if self.inner.shutdown.is_cancelled() {
            return;
        }
        let mut backoff = Duration::from_millis(100);
        loop {
            match self
                .claim_and_run(
                    &job,
                    tick,
                    Self::claim_kind(&job),
                    Trigger::Schedule,
                    "",
                    rank > 0,
                )
                .await
            {
                Ok(_) => return,
                Err(e) => {
                    let late = clock.now() - tick > chrono::Duration::seconds(LATE_GRACE_SECS);
                    if late || self.inner.shutdown.is_cancelled() {
                        tracing::warn!(job = %job.name, tick = %tick, error = %e, "claiming a tick failed; it is retried when etcd answers");
                        if let Ok(mut p) = self.inner.pending.lock() {
                            p.push(Pending { job, tick });
                        }
                        return;
                    }
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(1));
                }
            }
        }
    }

    /// Sleeps until `deadline` on the worker's clock; false if the worker is stopping.
    async fn sleep_until(&self, deadline: DateTime<Utc>) -> bool {
        tokio::select! {
            () = self.inner.shutdown.cancelled() => false,
            () = self.inner.clock.sleep_until(deadline) => true,
        }
    }

    /// Ticks whose claim failed while etcd was unreachable are claimed again once it
    /// answers: run late if the job's catch-up window allows, else recorded as skipped.
    async fn retry_pending(self) {
        loop {
            tokio::select! {
                () = self.inner.shutdown.cancelled() => return,
                () = tokio::time::sleep(Duration::from_secs(1)) => {}
            }
            let batch = match self.inner.pending.lock() {
                Ok(mut p) if !p.is_empty() => std::mem::take(&mut *p),
                _ => continue,
            };
            let now = self.inner.clock.now();
            let mut failed = Vec::new();
            for (i, p) in batch.iter().enumerate() {
                if now - p.tick > PENDING_LIFETIME {
                    tracing::error!(job = %p.job.name, tick = %p.tick, "etcd was unreachable for too long to tell whether this tick ran elsewhere; giving it up");
                    if let Some(m) = self.inner.runner.metrics() {
                        m.tick_lost();
                    }
                    continue;
                }
                let (kind, trigger) = self.late_kind(&p.job, p.tick, now);
                let reason = "skipped: etcd could not be reached at the tick, and the job's catch-up window (catchUpSeconds) does not cover it";
                if self
                    .claim_and_run(&p.job, p.tick, kind, trigger, reason, false)
                    .await
                    .is_err()
                {
                    failed.extend(batch[i..].iter().cloned());
                    break;
                }
            }
            if let Ok(mut p) = self.inner.pending.lock() {
                p.extend(failed);
            }
        }
    }

    /// How a tick that is late at `now` is claimed: run with trigger catch-up inside the
    /// job's catch-up window; without one, run as scheduled if it is no later than the
    /// timetable's own grace; else recorded as skipped.
    fn late_kind(
        &self,
        job: &Job,
        tick: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> (ClaimKind, Trigger) {
        let window =
            chrono::Duration::seconds(i64::try_from(job.catch_up_seconds).unwrap_or(i64::MAX));
        if job.catch_up_seconds > 0 && now - tick <= window {
            (Self::claim_kind(job), Trigger::CatchUp)
        } else if now - tick <= chrono::Duration::seconds(LATE_GRACE_SECS) {
            // As late as the timetable itself still fires a tick.
            (Self::claim_kind(job), Trigger::Schedule)
        } else {
            (ClaimKind::Skip, Trigger::Schedule)
        }
    }

    /// Accounts for the ticks of `job` between its newest claimed tick (when this worker
    /// started) and `first`, the first tick this worker fires, then takes `first`. The ticks
    /// before it were missed while no worker ran the job. Each is claimed, so however many
    /// workers start at once, each tick is run or recorded once: the newest runs if the
    /// catch-up window allows, the others are recorded as skipped.
    ///
    /// The newest missed tick is claimed before `first`, in the order they came due: under
    /// `overlap: forbid`, `first` is skipped while the catch-up run goes on, rather than the
    /// catch-up run being skipped because `first` happened to claim sooner.
    ///
    /// Missed ticks are those before the first tick fired: the timetable still fires ticks
    /// up to `LATE_GRACE_SECS` old when it starts.
    async fn catch_up_then_take(self, job: Arc<Job>, last_ms: i64, first: DateTime<Utc>) {
        let mut missed = self.missed_ticks(&job, last_ms, first).into_iter();
        let now = self.inner.clock.now();
        if let Some(newest) = missed.next() {
            let (kind, trigger) = self.late_kind(&job, newest, now);
            self.claim_missed(&job, newest, kind, trigger).await;
        }
        self.inner
            .tasks
            .spawn(self.clone().take_tick(Arc::clone(&job), first));
        // Newest first: a worker that started a second later sees one more missed tick (the
        // one this worker ran on time); claiming from the newest down, that worker finds its
        // newest taken before it could record this worker's catch-up tick as skipped.
        for tick in missed {
            self.claim_missed(&job, tick, ClaimKind::Skip, Trigger::Schedule)
                .await;
        }
    }

    /// The ticks of `job` after `last_ms` and before `first`, newest first. Beyond
    /// `MAX_CATCH_UP_TICKS`, the older ones are recorded together as one skipped record.
    fn missed_ticks(&self, job: &Job, last_ms: i64, first: DateTime<Utc>) -> Vec<DateTime<Utc>> {
        let Ok(schedule) = job.schedule(self.inner.opts.default_tz) else {
            return Vec::new();
        };
        let from_ms = last_ms.max(job.updated_at.saturating_mul(1000));
        let mut missed = std::collections::VecDeque::new();
        let mut dropped = 0_usize;
        let mut at = from_unix_ms(from_ms);
        while let Some(t) = schedule.next_after(at) {
            if t >= first {
                break;
            }
            missed.push_back(t);
            if missed.len() > MAX_CATCH_UP_TICKS {
                missed.pop_front();
                dropped += 1;
            }
            at = t;
        }
        if missed.is_empty() {
            return Vec::new();
        }
        tracing::warn!(job = %job.name, missed = missed.len() + dropped, "ticks were missed while no worker ran the job");
        if dropped > 0 {
            let runner = &self.inner.runner;
            let mut record = runner.skipped_record(
                job,
                from_ms,
                Trigger::Schedule,
                format!("skipped: {dropped} earlier ticks were missed while no worker ran the job"),
            );
            // The same id on every worker, so the store keeps one such record.
            record.execution_id = format!("missed-{}-{from_ms}", job.name);
            runner.record(record);
            // The record counted one skipped tick; it stands for `dropped`.
            if let Some(m) = runner.metrics() {
                m.ticks_skipped(dropped.saturating_sub(1) as u64);
            }
        }
        missed.into_iter().rev().collect()
    }

    /// Claims one missed tick unless it is known to be claimed; a claim that cannot reach
    /// etcd is retried when it answers.
    async fn claim_missed(
        &self,
        job: &Arc<Job>,
        tick: DateTime<Utc>,
        kind: ClaimKind,
        trigger: Trigger,
    ) {
        if self.inner.shutdown.is_cancelled() || self.is_claimed(&job.name, unix_ms(tick)) {
            return;
        }
        let reason = "skipped: missed while no worker ran the job, outside its catch-up window (catchUpSeconds)";
        let outcome = self
            .claim_and_run(job, tick, kind, trigger, reason, false)
            .await;
        tracing::debug!(job = %job.name, %tick, ?kind, ?outcome, "missed tick claimed");
        if let Err(e) = outcome {
            tracing::warn!(job = %job.name, error = %e, "catching up missed ticks failed; they are retried when etcd answers");
            if let Ok(mut p) = self.inner.pending.lock() {
                p.push(Pending {
                    job: Arc::clone(job),
                    tick,
                });
            }
        }
    }

    /// Releases a finished run's claim (marker and lock), retrying until etcd takes it: a
    /// lock left behind would hold an `overlap: forbid` job until this worker stops.
    fn release(&self, job: String, execution_id: String) {
        if let Ok(mut claimed) = self.inner.claimed.lock() {
            claimed.remove(&execution_id);
        }
        let c = self.clone();
        self.inner.tasks.spawn(async move {
            let mut backoff = Duration::from_millis(100);
            loop {
                match c.inner.claims.release(&job, &execution_id).await {
                    Ok(()) => return,
                    Err(e) => {
                        tracing::warn!(job, execution_id, error = %e, "releasing a finished run failed; retrying");
                        tokio::select! {
                            () = c.inner.shutdown.cancelled() => return,
                            () = tokio::time::sleep(backoff) => {}
                        }
                        backoff = (backoff * 2).min(Duration::from_secs(5));
                    }
                }
            }
        });
    }

    fn track(&self, execution_id: &str, lease: i64, exclusive: bool) {
        if let Ok(mut claimed) = self.inner.claimed.lock() {
            claimed.insert(execution_id.to_owned(), ClaimedRun { lease, exclusive });
        }
    }

    /// Acts on each fence of the worker's lease: the runs claimed under a lease that is not
    /// current are noted in their records as having outlived it, and those that hold their
    /// job exclusively are killed, since another worker may now take the job's lock.
    async fn follow_fence(self) {
        let mut fences = self.inner.claims.fences();
        let mut handled = fences.borrow().count;
        loop {
            tokio::select! {
                () = self.inner.shutdown.cancelled() => return,
                changed = fences.changed() => if changed.is_err() { return },
            }
            let fence = *fences.borrow_and_update();
            if fence.count > handled {
                handled = fence.count;
                self.on_fenced();
            }
        }
    }

    fn on_fenced(&self) {
        let claims = &self.inner.claims;
        let live = claims.lease_is_current().then(|| claims.lease_id());
        let runs: Vec<(String, ClaimedRun)> = self
            .inner
            .claimed
            .lock()
            .map(|c| c.iter().map(|(id, r)| (id.clone(), *r)).collect())
            .unwrap_or_default();
        let runner = &self.inner.runner;
        for (id, run) in runs {
            if Some(run.lease) == live {
                continue;
            }
            if run.exclusive {
                tracing::warn!(
                    execution_id = id,
                    "fenced: killing a run that holds its job exclusively"
                );
                runner.note(&id, FENCED_NOTE.to_owned());
                runner.kill_execution(&id);
            } else {
                runner.note(&id, OUTLIVED_NOTE.to_owned());
            }
        }
        if let Some(m) = runner.metrics() {
            m.fenced();
        }
    }

    /// Records as lost the runs a departed worker left behind (not this worker's own: a
    /// worker that lost its lease records its runs itself when they end).
    fn record_runs_left(&self, departure: Departure) {
        if departure.worker_id == self.inner.opts.worker_id {
            return;
        }
        let c = self.clone();
        self.inner.tasks.spawn(async move {
            match runs_left_by(c.inner.claims.etcd(), &departure).await {
                Ok(runs) => {
                    for m in runs {
                        c.record_lost(m);
                    }
                }
                Err(e) => tracing::error!(
                    worker = departure.worker_id,
                    error = %e,
                    "a worker left, and the runs it had going could not be read: they are not recorded as lost"
                ),
            }
        });
    }

    fn record_lost(&self, m: RunMarker) {
        tracing::warn!(
            job = m.job_name,
            execution_id = m.execution_id,
            worker = m.worker_id,
            "run lost: its worker's lease expired while it was running"
        );
        let now = unix_ms(self.inner.clock.now());
        let record = ExecutionRecord {
            execution_id: m.execution_id,
            job_name: m.job_name,
            command: m.command,
            error: format!(
                "lost: worker {} stopped (its lease expired) while this run was going; the outcome is unknown",
                m.worker_id
            ),
            plan_time_ms: m.plan_time_ms,
            schedule_time_ms: m.start_time_ms,
            start_time_ms: m.start_time_ms,
            end_time_ms: now.max(m.start_time_ms),
            exit_code: -1,
            worker_ip: m.worker_ip,
            worker_id: m.worker_id,
            trigger: Trigger::parse(&m.trigger).unwrap_or_default(),
            attempt: 1,
            status: ExecutionStatus::Lost,
            ..Default::default()
        };
        // Every worker that sees the loss records it; the store keeps one per execution id.
        self.inner.runner.record(record);
    }
}

impl Dispatch for Cluster {
    fn fire(&self, job: Arc<Job>, plan_time: DateTime<Utc>, trigger: Trigger, id: Option<String>) {
        match trigger {
            Trigger::Manual => {
                let Some(execution_id) = id else { return };
                if !selector_matches(&job.selector, &self.inner.opts.labels) {
                    // Not for this worker: its labels do not match the job's selector.
                    return;
                }
                if let Ok(mut r) = self.inner.run_now_retries.lock() {
                    r.remove(&execution_id);
                }
                let c = self.clone();
                self.inner.tasks.spawn(async move {
                    let marker = c.marker(&job, unix_ms(plan_time), &execution_id, trigger);
                    let lease = c.inner.claims.lease_id();
                    match c.inner.claims.take_run_now(&marker).await {
                        Ok(true) => {
                            c.track(&execution_id, lease, false);
                            c.inner.runner.fire(job, plan_time, trigger, Some(execution_id));
                        }
                        Ok(false) => {}
                        Err(e) => tracing::warn!(job = %job.name, error = %e, "taking a run-now request failed"),
                    }
                });
            }
            _ => {
                let last = self
                    .inner
                    .last_at_start
                    .lock()
                    .ok()
                    .and_then(|mut l| l.remove(&job.name));
                let task = self.clone();
                match last {
                    Some(last) => self
                        .inner
                        .tasks
                        .spawn(task.catch_up_then_take(job, last, plan_time)),
                    None => self.inner.tasks.spawn(task.take_tick(job, plan_time)),
                };
            }
        }
    }

    fn kill(&self, job: &str) -> usize {
        self.inner.runner.kill(job)
    }

    fn missed(&self, job: &Job, plan_time: DateTime<Utc>) {
        self.inner.runner.missed(job, plan_time);
    }

    fn reject(&self, job: &str, execution_id: String, _trigger: Trigger, _reason: String) {
        // The job may not have reached this worker's timetable yet (it was saved just before
        // the request), or another worker may run it: ask again for a while. The request
        // itself expires in etcd if no worker takes it.
        let attempts = self
            .inner
            .run_now_retries
            .lock()
            .map_or(RUN_NOW_RETRIES, |mut r| {
                let n = r.entry(execution_id.clone()).or_insert(0);
                *n += 1;
                *n
            });
        if attempts >= RUN_NOW_RETRIES {
            tracing::debug!(
                job,
                execution_id,
                "run-now request for a job this worker does not schedule"
            );
            if let Ok(mut r) = self.inner.run_now_retries.lock() {
                r.remove(&execution_id);
            }
            return;
        }
        let commands = self.inner.commands.clone();
        let job = job.to_owned();
        let shutdown = self.inner.shutdown.clone();
        self.inner.tasks.spawn(async move {
            tokio::select! {
                () = shutdown.cancelled() => {}
                () = tokio::time::sleep(Duration::from_millis(500)) => {
                    let _ = commands.send(WorkerCommand::RunNow { job, execution_id });
                }
            }
        });
    }
}

/// A stable 64-bit score of (worker, job, tick): FNV-1a over the three, then the splitmix64
/// finaliser. Stable across builds and platforms, since every worker must agree.
pub fn score(worker: &str, job: &str, tick_ms: i64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in worker
        .bytes()
        .chain([0xff])
        .chain(job.bytes())
        .chain([0xff])
        .chain(tick_ms.to_le_bytes())
    {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// The signals (`kill/<job>`, `run/<job>/<id>`) in a watch item that are new: written after
/// `seen_revision`. The first snapshot only sets `seen_revision` when it is None: a kill
/// request older than the worker is not for it.
fn signals<T: serde::de::DeserializeOwned + Default>(
    prefix: &str,
    kind: &str,
    item: WatchItem,
    seen_revision: &mut Option<i64>,
) -> Vec<(String, T)> {
    let (changes, snapshot_at) = match item {
        WatchItem::Snapshot { kvs, revision } => (kvs, Some(revision)),
        WatchItem::Changes(c) => (c, None),
    };
    let mut out = Vec::new();
    let threshold = *seen_revision;
    for c in changes {
        if let Change::Put {
            key,
            value,
            mod_revision,
            ..
        } = c
        {
            let fresh = threshold.is_some_and(|t| mod_revision > t);
            if fresh && let Some(rest) = key.strip_prefix(prefix).and_then(|k| k.strip_prefix(kind))
            {
                out.push((
                    rest.to_owned(),
                    serde_json::from_slice(&value).unwrap_or_default(),
                ));
            }
            *seen_revision = Some(seen_revision.map_or(mod_revision, |s| s.max(mod_revision)));
        }
    }
    if let Some(rev) = snapshot_at {
        *seen_revision = Some(seen_revision.map_or(rev, |s| s.max(rev)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_stable_and_spread_ticks_evenly() {
        assert_eq!(score("w1", "job", 1_000), score("w1", "job", 1_000));
        assert_ne!(score("w1", "job", 1_000), score("w2", "job", 1_000));
        let workers = ["worker-1", "worker-2", "worker-3"];
        let mut owned = [0_u32; 3];
        for job in 0..50 {
            for tick in 0..20 {
                let name = format!("job-{job}");
                let t = 1_700_000_000_000 + tick * 1000;
                let best = (0..3)
                    .max_by_key(|&i| score(workers[i], &name, t))
                    .expect("three workers");
                owned[best] += 1;
            }
        }
        let mean = 1000.0 / 3.0;
        for n in owned {
            assert!(
                (f64::from(n) - mean).abs() / mean < 0.2,
                "ownership {owned:?} is uneven"
            );
        }
    }

    fn put(key: &str, value: &impl serde::Serialize, rev: i64) -> Change {
        Change::Put {
            key: key.into(),
            value: serde_json::to_vec(value).expect("json"),
            mod_revision: rev,
            create_revision: rev,
            lease: 1,
        }
    }

    #[test]
    fn only_signals_newer_than_the_first_snapshot_are_acted_on() {
        let p = "/cron/";
        let mut seen = None;
        let req = KillRequest::default();
        let old: Vec<(String, KillRequest)> = signals(
            p,
            "kill/",
            WatchItem::Snapshot {
                kvs: vec![put("/cron/kill/a", &req, 3)],
                revision: 5,
            },
            &mut seen,
        );
        assert!(old.is_empty(), "a kill from before the start is ignored");
        let new: Vec<(String, KillRequest)> = signals(
            p,
            "kill/",
            WatchItem::Changes(vec![put("/cron/kill/b", &req, 6)]),
            &mut seen,
        );
        assert_eq!(new, vec![("b".to_owned(), req.clone())]);
        // After a resync, only what is newer than what was seen counts.
        let again: Vec<(String, KillRequest)> = signals(
            p,
            "kill/",
            WatchItem::Snapshot {
                kvs: vec![put("/cron/kill/b", &req, 6), put("/cron/kill/c", &req, 8)],
                revision: 8,
            },
            &mut seen,
        );
        assert_eq!(again, vec![("c".to_owned(), req)]);
    }
}

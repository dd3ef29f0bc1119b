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
use schedd_core::dependency::Parent;
use schedd_core::job::{SHARD_INDEX_VAR, SHARD_TOTAL_VAR};
use schedd_core::store::{StoreError, WorkerCommand};
use schedd_core::{
    Clock, ExecutionRecord, ExecutionStatus, Job, Overlap, RunOn, Trigger, new_execution_id,
    unix_ms,
};
use schedd_store::etcd::Etcd;
use schedd_store::etcd::claims::{
    ClaimKind, ClaimOutcome, ClaimedTick, EtcdClaims, RunMarker, TickClaim, follow_claims,
};
use schedd_store::etcd::members::{Departure, follow_members, runs_left_by};
use schedd_store::etcd::signals::{
    KillRequest, follow_kill_requests, follow_run_requests, request_run,
};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::catchup::{self, Late, MISSED_REASON, Missed, TickHistory};
use crate::metrics::ClaimResult;
use crate::runner::{Dispatch, OnDependents, OnFinish, OnRetry, Runner};
use crate::scheduler::selector_matches;
use crate::timetable::LATE_GRACE_SECS;

/// How long after a tick the first worker after its owner takes it over.
pub const DEFAULT_TAKEOVER_GRACE: Duration = Duration::from_millis(500);
/// The reason on the record of a tick no worker took before it was too late to run.
const TOO_LATE_REASON: &str = "skipped: no worker took the tick before it was later than the job's catch-up window allows: every worker was past its capacity, or etcd was slow (capacity)";
/// The takeover grace grows with the observed claim latency up to this.
const MAX_TAKEOVER_GRACE: Duration = Duration::from_secs(10);
/// How long a retry waits for its run's marker to be pointed at it.
const MARK_RETRY_PATIENCE: Duration = Duration::from_secs(5);
/// A tick whose claim could not reach etcd is tried again for this long; after that nobody
/// can tell whether another worker ran it, because claim keys expire.
const PENDING_LIFETIME: chrono::Duration = chrono::Duration::seconds(50);
/// How often a run-now request for a job this worker does not (yet) schedule is tried again,
/// half a second apart.
const RUN_NOW_RETRIES: u32 = 20;

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
    seen: Mutex<SeenClaims>,
    /// Ticks whose claim failed because etcd could not be reached.
    pending: Mutex<Vec<Pending>>,
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

/// Ticks known to be claimed, from the claims watch: a worker that sees a tick claimed does
/// not send a claim of its own for it. Only a saving: a claim sent anyway is answered
/// "taken" by etcd. Bounded in time (claims older than anyone would still act on are
/// forgotten, at most once a second: scanning per message would cost more the busier the
/// cluster is) and in count ([`SeenClaims::MAX`], the oldest half forgotten past it).
#[derive(Debug)]
struct SeenClaims {
    ticks: HashSet<(String, i64)>,
    pruned_at: std::time::Instant,
}

impl Default for SeenClaims {
    fn default() -> SeenClaims {
        SeenClaims {
            ticks: HashSet::new(),
            pruned_at: std::time::Instant::now(),
        }
    }
}

impl SeenClaims {
    /// About 10 MB of job names and ticks: over 40 s of claims at 3,000 a second.
    const MAX: usize = 1 << 17;
    /// Below this many, the set is not worth scanning.
    const PRUNE_ABOVE: usize = 4096;

    fn insert(&mut self, job: &str, tick_ms: i64) {
        self.ticks.insert((job.to_owned(), tick_ms));
        if self.ticks.len() > Self::MAX {
            self.forget_oldest_half();
        }
    }

    fn contains(&self, job: &str, tick_ms: i64) -> bool {
        // The tuple needs an owned name; the set is small next to a claim's round trip.
        self.ticks.contains(&(job.to_owned(), tick_ms))
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.ticks.len()
    }

    /// Forgets claims too old to matter (twice [`PENDING_LIFETIME`] before `now_ms`), at most
    /// once a second.
    fn prune(&mut self, now_ms: i64) {
        if self.pruned_at.elapsed() < Duration::from_secs(1)
            || self.ticks.len() <= Self::PRUNE_ABOVE
        {
            return;
        }
        self.pruned_at = std::time::Instant::now();
        let horizon = now_ms - 2 * PENDING_LIFETIME.num_milliseconds();
        self.ticks.retain(|(_, t)| *t >= horizon);
    }

    fn forget_oldest_half(&mut self) {
        let mut ticks: Vec<i64> = self.ticks.iter().map(|(_, t)| *t).collect();
        let mid = ticks.len() / 2;
        let (_, median, _) = ticks.select_nth_unstable(mid);
        let median = *median;
        self.ticks.retain(|(_, t)| *t > median);
    }
}

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
            seen: Mutex::new(SeenClaims::default()),
            pending: Mutex::new(Vec::new()),
            tasks: TaskTracker::new(),
            shutdown: shutdown.clone(),
        });
        let cluster = Cluster { inner };

        let releaser = cluster.clone();
        runner.set_on_finish(OnFinish(Arc::new(move |job, execution_id| {
            releaser.release(job.to_owned(), execution_id.to_owned());
        })));
        let asker = cluster.clone();
        runner.set_on_dependents(OnDependents(Arc::new(move |runs| {
            for run in runs {
                asker.ask_for(run);
            }
        })));
        let marker = cluster.clone();
        runner.set_on_retry(OnRetry(Arc::new(
            move |job, handle, execution_id, attempt| {
                let c = marker.clone();
                let (job, handle, execution_id) =
                    (job.to_owned(), handle.to_owned(), execution_id.to_owned());
                Box::pin(async move { c.mark_retry(&job, &handle, &execution_id, attempt).await })
            },
        )));

        // Claims and the live set first: ranking and takeover depend on them.
        let mut claimed = follow_claims(&etcd, shutdown.clone());
        let mut members = follow_members(&etcd, shutdown.clone());
        let mut kills = follow_kill_requests(&etcd, shutdown.clone());
        let mut run_requests = follow_run_requests(&etcd, shutdown.clone());
        let c = cluster.clone();
        tokio::spawn(async move {
            while let Some(ticks) = claimed.recv().await {
                c.on_claims(ticks);
            }
        });
        let c = cluster.clone();
        tokio::spawn(async move {
            while let Some(changed) = members.recv().await {
                c.set_live(changed.live);
                for departure in changed.departed {
                    c.record_runs_left(departure);
                }
            }
        });
        let c = cluster.clone();
        tokio::spawn(async move {
            while let Some((job, request)) = kills.recv().await {
                c.on_kill(&job, &request);
            }
        });
        tokio::spawn(async move {
            while let Some(r) = run_requests.recv().await {
                let _ = commands_tx.send(WorkerCommand::RunNow {
                    job: r.job,
                    execution_id: r.execution_id,
                    parent: r.parent,
                });
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

    fn on_claims(&self, ticks: Vec<ClaimedTick>) {
        let Ok(mut seen) = self.inner.seen.lock() else {
            return;
        };
        for t in ticks {
            seen.insert(&t.job, t.tick_ms);
        }
        seen.prune(unix_ms(self.inner.clock.now()));
    }

    fn is_claimed(&self, job: &str, tick_ms: i64) -> bool {
        self.inner
            .seen
            .lock()
            .map(|s| s.contains(job, tick_ms))
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

    /// How much longer a saturated worker waits before it takes a tick: a quarter of the
    /// takeover grace for each full round of runs already waiting for its slots, at most the
    /// longest grace.
    fn backlog_delay(&self) -> chrono::Duration {
        let runner = &self.inner.runner;
        let rounds = runner.waiting() as f64 / runner.capacity().max(1) as f64;
        let quarter = self.turn(1) / 4;
        let delay = quarter
            .to_std()
            .unwrap_or_default()
            .mul_f64(rounds)
            .min(MAX_TAKEOVER_GRACE);
        chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::MAX)
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
            command: job.what(),
            plan_time_ms: plan_ms,
            start_time_ms: unix_ms(self.inner.clock.now()),
            trigger: trigger.as_str().to_owned(),
            skipped: String::new(),
            attempt: 0,
            parent_execution_id: String::new(),
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
            skip_reason: skip_reason.to_owned(),
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
                            if let Err(e) = schedd_store::etcd::signals::request_kill(
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
                    let c = self.clone();
                    let name = job.name.clone();
                    runner.record_then(
                        record,
                        Some(Box::new(move || c.release(name, execution_id))),
                    );
                    return Ok(outcome);
                }
                self.track(
                    &execution_id,
                    lease,
                    !matches!(kind, ClaimKind::Run | ClaimKind::RunOnEach),
                );
                runner.fire(Arc::clone(job), tick, trigger, Some(execution_id));
            }
            ClaimOutcome::Busy { holder } => {
                tracing::warn!(job = %job.name, tick = %tick, holder, "tick skipped: the previous run is still going (overlap: forbid)");
                let reason =
                    format!("skipped: the previous run {holder} is still going (overlap: forbid)");
                self.record_skip(job, tick_ms, trigger, reason, execution_id);
            }
            ClaimOutcome::Skipped => {
                self.record_skip(job, tick_ms, trigger, skip_reason.to_owned(), execution_id);
            }
            ClaimOutcome::Taken => {}
        }
        Ok(outcome)
    }

    /// Records a tick this worker claimed to skip, under the claim's execution id, and
    /// removes the claim's `owed/` marker once the record is spooled: should the worker die
    /// before, its peers find the marker and record the skip.
    fn record_skip(
        &self,
        job: &Arc<Job>,
        tick_ms: i64,
        trigger: Trigger,
        reason: String,
        execution_id: String,
    ) {
        let runner = &self.inner.runner;
        let mut record = runner.skipped_record(job, tick_ms, trigger, reason);
        record.execution_id.clone_from(&execution_id);
        let c = self.clone();
        let name = job.name.clone();
        let notice = runner.notice_when_spooled(job, &record);
        runner.record_then(
            record,
            crate::runner::both(
                notice,
                Some(Box::new(move || c.release_skip(name, execution_id))),
            ),
        );
    }

    /// Decides about one scheduled tick: waits for this worker's turn, then claims it unless
    /// it has been claimed already.
    async fn take_tick(self, job: Arc<Job>, tick: DateTime<Utc>) {
        if job.run_on == RunOn::All {
            return self.take_my_share(job, tick).await;
        }
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
        // after everyone's turn has passed; when every worker is saturated, the one with the
        // shortest queue goes first, so the backlog spreads instead of piling up on whoever
        // claims fastest.
        if self.saturated()
            && (!self
                .sleep_until(tick + self.turn(eligible) + self.backlog_delay())
                .await
                || self.is_claimed(&job.name, tick_ms))
        {
            return;
        }
        if self.inner.shutdown.is_cancelled() {
            return;
        }
        // A tick every worker left alone until it was later than the catch-up policy lets it
        // run (all of them saturated, or etcd so slow that turns stretched) is claimed to be
        // recorded skipped, not run that late.
        let (kind, skip_reason) = match catchup::late(&job, tick, clock.now()) {
            Late::Skip => (ClaimKind::Skip, TOO_LATE_REASON),
            Late::Run(_) => (Self::claim_kind(&job), ""),
        };
        let mut backoff = Duration::from_millis(100);
        loop {
            match self
                .claim_and_run(&job, tick, kind, Trigger::Schedule, skip_reason, rank > 0)
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

    /// This worker's run of a tick of a broadcast job: claimed under its own key (each
    /// worker runs the tick once, whatever the others do), at once (there is no owner to
    /// wait for), with its shard: its place among the live workers matching the selector,
    /// sorted by id, and how many they are. A worker that joins runs the ticks that come
    /// after it is up; one that is gone has no share.
    async fn take_my_share(self, job: Arc<Job>, tick: DateTime<Utc>) {
        let (index, total) = self.shard(&job);
        let mut share = (*job).clone();
        share
            .env
            .insert(SHARD_INDEX_VAR.to_owned(), index.to_string());
        share
            .env
            .insert(SHARD_TOTAL_VAR.to_owned(), total.to_string());
        let share = Arc::new(share);
        let (kind, skip_reason) = match catchup::late(&job, tick, self.inner.clock.now()) {
            Late::Skip => (ClaimKind::Skip, TOO_LATE_REASON),
            Late::Run(_) => (ClaimKind::RunOnEach, ""),
        };
        if kind == ClaimKind::Skip {
            // Too late to run; the skip of the tick is recorded once, by whoever claims it.
            let _ = self
                .claim_and_run(&job, tick, kind, Trigger::Schedule, skip_reason, false)
                .await;
            return;
        }
        let mut backoff = Duration::from_millis(100);
        loop {
            match self
                .claim_and_run(&share, tick, kind, Trigger::Schedule, skip_reason, false)
                .await
            {
                Ok(_) => return,
                Err(e) => {
                    let late =
                        self.inner.clock.now() - tick > chrono::Duration::seconds(LATE_GRACE_SECS);
                    if late || self.inner.shutdown.is_cancelled() {
                        tracing::warn!(job = %job.name, tick = %tick, error = %e, "claiming this worker's run of a broadcast tick failed; the tick is not run here");
                        return;
                    }
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(1));
                }
            }
        }
    }

    /// This worker's place (0-based) among the live workers matching the job's selector,
    /// sorted by id, and how many they are; itself counted even before it sees its own
    /// registration.
    fn shard(&self, job: &Job) -> (usize, usize) {
        let me = self.inner.opts.worker_id.as_str();
        let Ok(live) = self.inner.live.read() else {
            return (0, 1);
        };
        let mut ids: Vec<&str> = live
            .iter()
            .filter(|(_, labels)| selector_matches(&job.selector, labels))
            .map(|(id, _)| id.as_str())
            .collect();
        if !ids.contains(&me) {
            ids.push(me);
        }
        ids.sort_unstable();
        let index = ids.iter().position(|id| *id == me).unwrap_or(0);
        (index, ids.len())
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
                let (kind, trigger) = Self::late_claim(&p.job, catchup::late(&p.job, p.tick, now));
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

    /// The claim that carries out what catch-up decided for a late tick.
    fn late_claim(job: &Job, late: Late) -> (ClaimKind, Trigger) {
        match late {
            Late::Run(trigger) => (Self::claim_kind(job), trigger),
            Late::Skip => (ClaimKind::Skip, Trigger::Schedule),
        }
    }

    /// Claims the ticks `job` missed, newest first, as catch-up decided: so however many
    /// workers start at once, each tick is run or recorded once.
    async fn claim_all_missed(self, job: Arc<Job>, missed: Missed) {
        if job.run_on == RunOn::All {
            // A broadcast job's ticks belong to the workers that were up for them: one
            // started later has no share of those it missed, and catches none up.
            return;
        }
        if let Some((count, from_ms)) = missed.older {
            let runner = &self.inner.runner;
            runner.record(runner.older_missed_record(&job, count, from_ms));
        }
        for (tick, late) in missed.ticks {
            let (kind, trigger) = Self::late_claim(&job, late);
            self.claim_missed(&job, tick, kind, trigger).await;
        }
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
        let outcome = self
            .claim_and_run(job, tick, kind, trigger, MISSED_REASON, false)
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
    /// lock left behind would hold an `overlap: forbid` job until this worker stops. A run
    /// known to hold no lock is released lazily, in a transaction shared with the runs that
    /// end in the next moment; any other at once.
    /// Writes the run-now request of a run that a dependency asks for, so that whichever
    /// eligible worker takes it first runs it; retried until etcd has it, or the worker stops.
    fn ask_for(&self, run: WorkerCommand) {
        let WorkerCommand::RunNow {
            job,
            execution_id,
            parent,
        } = run
        else {
            return;
        };
        let c = self.clone();
        self.inner.tasks.spawn(async move {
            let mut backoff = Duration::from_millis(100);
            loop {
                let etcd = c.inner.claims.etcd().clone();
                match request_run(&etcd, &job, &execution_id, parent.as_ref()).await {
                    Ok(()) => return,
                    Err(e) => {
                        tracing::warn!(job, execution_id, error = %e, "asking for a dependency's run failed; retrying");
                        tokio::select! {
                            () = c.inner.shutdown.cancelled() => {
                                tracing::error!(job, execution_id, "the worker stopped before a dependency's run could be asked for; it does not run");
                                return;
                            }
                            () = tokio::time::sleep(backoff) => {}
                        }
                        backoff = (backoff * 2).min(Duration::from_secs(5));
                    }
                }
            }
        });
    }

    fn release(&self, job: String, execution_id: String) {
        let run = self
            .inner
            .claimed
            .lock()
            .ok()
            .and_then(|mut claimed| claimed.remove(&execution_id));
        let lazy = run.is_some_and(|r| !r.exclusive);
        let c = self.clone();
        self.inner.tasks.spawn(async move {
            let mut backoff = Duration::from_millis(100);
            loop {
                let released = if lazy {
                    c.inner.claims.release_lazily(&job, &execution_id).await
                } else {
                    c.inner.claims.release(&job, &execution_id).await
                };
                match released {
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

    /// Points a run's marker at its retry about to start (see [`OnRetry`]). Tried once, for
    /// at most [`MARK_RETRY_PATIENCE`]: a retry does not wait on etcd for long, and a marker
    /// left naming the previous attempt only means that, should this worker die during the
    /// retry, its peers' `lost` record names an attempt whose real record the store has.
    async fn mark_retry(&self, job: &str, handle: &str, execution_id: &str, attempt: u32) {
        let start = unix_ms(self.inner.clock.now());
        let marked = tokio::time::timeout(
            MARK_RETRY_PATIENCE,
            self.inner
                .claims
                .mark_retry(job, handle, execution_id, attempt, start),
        )
        .await;
        match marked {
            Ok(Ok(true)) => {}
            Ok(Ok(false)) => {
                tracing::warn!(
                    job,
                    handle,
                    execution_id,
                    "the run's marker is gone; its retry runs unmarked"
                );
            }
            Ok(Err(e)) => {
                tracing::warn!(job, handle, execution_id, error = %e, "could not point the run's marker at its retry");
            }
            Err(_) => {
                tracing::warn!(
                    job,
                    handle,
                    execution_id,
                    "etcd did not answer in time; the run's marker still names the previous attempt"
                );
            }
        }
    }

    /// Removes the `owed/` marker of a skip whose record is spooled, retrying until etcd
    /// takes it (a marker left behind would only have peers record the skip a second time,
    /// under the same id, which the store keeps once). Lazily, in shared transactions.
    fn release_skip(&self, job: String, execution_id: String) {
        let c = self.clone();
        self.inner.tasks.spawn(async move {
            let mut backoff = Duration::from_millis(100);
            while let Err(e) = c.inner.claims.release_skip(&job, &execution_id).await {
                tracing::warn!(job, execution_id, error = %e, "releasing a recorded skip failed; retrying");
                tokio::select! {
                    () = c.inner.shutdown.cancelled() => return,
                    () = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(Duration::from_secs(5));
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
                        c.record_left(m);
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

    /// Records what a departed worker left: a run it had going, `lost`; a skip it had not
    /// recorded yet, `skipped` with its reason.
    fn record_left(&self, m: RunMarker) {
        let (status, error, end_time_ms) = if m.skipped.is_empty() {
            tracing::warn!(
                job = m.job_name,
                execution_id = m.execution_id,
                worker = m.worker_id,
                "run lost: its worker's lease expired while it was running"
            );
            let error = format!(
                "lost: worker {} stopped (its lease expired) while this run was going; the outcome is unknown",
                m.worker_id
            );
            let now = unix_ms(self.inner.clock.now());
            (ExecutionStatus::Lost, error, now.max(m.start_time_ms))
        } else {
            tracing::info!(
                job = m.job_name,
                execution_id = m.execution_id,
                worker = m.worker_id,
                "recording a skip its worker claimed but did not record before it left"
            );
            // As its worker would have recorded it.
            (ExecutionStatus::Skipped, m.skipped, m.start_time_ms)
        };
        let record = ExecutionRecord {
            execution_id: m.execution_id,
            job_name: m.job_name,
            command: m.command,
            error,
            plan_time_ms: m.plan_time_ms,
            schedule_time_ms: m.start_time_ms,
            start_time_ms: m.start_time_ms,
            end_time_ms,
            exit_code: -1,
            worker_ip: m.worker_ip,
            worker_id: m.worker_id,
            trigger: Trigger::parse(&m.trigger).unwrap_or_default(),
            parent_execution_id: m.parent_execution_id,
            attempt: m.attempt.max(1),
            status,
            ..Default::default()
        };
        // Every worker that sees the loss records it; the store keeps one per execution id.
        // Once it is spooled, the first worker with a webhook for it to claim its notices
        // sends them.
        let notice = self.inner.runner.notifier().cloned().map(|notifier| {
            let (c, told) = (self.clone(), record.clone());
            let then: crate::record_queue::Spooled = Box::new(move || {
                let tasks = c.inner.tasks.clone();
                tasks.spawn(async move {
                    let Some(job) = notifier.wants_to_hear(&told).await else {
                        return;
                    };
                    match c.inner.claims.take_notice(&told.execution_id).await {
                        Ok(true) => notifier.ended(job, told),
                        Ok(false) => tracing::info!(execution_id = %told.execution_id, "another worker reports this lost run"),
                        Err(e) => tracing::warn!(execution_id = %told.execution_id, error = %e, "could not claim the notices of a lost run; they are not sent"),
                    }
                });
            });
            then
        });
        self.inner.runner.record_then(record, notice);
    }
}

/// How each job's last run ended, as the cluster noted it (`outcome/<job>` in etcd).
#[derive(Debug)]
pub struct EtcdOutcomes(pub Cluster);

#[async_trait::async_trait]
impl crate::notifier::Outcomes for EtcdOutcomes {
    async fn swap(
        &self,
        job: &str,
        _execution_id: &str,
        status: ExecutionStatus,
    ) -> Result<Option<ExecutionStatus>, StoreError> {
        let before = self
            .0
            .inner
            .claims
            .swap_outcome(job, status.as_str())
            .await?;
        Ok(before.as_deref().and_then(ExecutionStatus::parse))
    }
}

/// A cluster's history of ticks is `last/<job>`, the newest tick claimed (run or skipped).
#[async_trait::async_trait]
impl TickHistory for Cluster {
    async fn last_ticks(&self, _jobs: &[String]) -> Result<HashMap<String, i64>, StoreError> {
        self.inner.claims.last_ticks().await
    }
}

impl Cluster {
    /// Takes the run-now request `execution_id` of `job` (asked for by hand, or by the end of
    /// `parent`), if no other worker took it first, and runs it here.
    fn take_request(
        &self,
        job: Arc<Job>,
        plan_time: DateTime<Utc>,
        execution_id: String,
        parent: Option<Parent>,
    ) {
        if !selector_matches(&job.selector, &self.inner.opts.labels) {
            // Not for this worker: its labels do not match the job's selector.
            return;
        }
        if let Ok(mut r) = self.inner.run_now_retries.lock() {
            r.remove(&execution_id);
        }
        let trigger = if parent.is_some() {
            Trigger::Dependency
        } else {
            Trigger::Manual
        };
        let c = self.clone();
        self.inner.tasks.spawn(async move {
            let mut marker = c.marker(&job, unix_ms(plan_time), &execution_id, trigger);
            if let Some(p) = &parent {
                marker.parent_execution_id.clone_from(&p.execution_id);
            }
            let lease = c.inner.claims.lease_id();
            match c.inner.claims.take_run_now(&marker).await {
                Ok(true) => {
                    c.track(&execution_id, lease, false);
                    match parent {
                        Some(parent) => {
                            c.inner
                                .runner
                                .fire_dependent(job, plan_time, execution_id, parent)
                        }
                        None => c
                            .inner
                            .runner
                            .fire(job, plan_time, trigger, Some(execution_id)),
                    }
                }
                Ok(false) => {}
                Err(e) => {
                    tracing::warn!(job = %job.name, error = %e, "taking a run-now request failed")
                }
            }
        });
    }
}

impl Dispatch for Cluster {
    fn fire(&self, job: Arc<Job>, plan_time: DateTime<Utc>, trigger: Trigger, id: Option<String>) {
        match (trigger, id) {
            (Trigger::Manual, Some(execution_id)) => {
                self.take_request(job, plan_time, execution_id, None);
            }
            (Trigger::Manual, None) => {}
            _ => {
                self.inner
                    .tasks
                    .spawn(self.clone().take_tick(job, plan_time));
            }
        }
    }

    fn fire_dependent(
        &self,
        job: Arc<Job>,
        plan_time: DateTime<Utc>,
        execution_id: String,
        parent: Parent,
    ) {
        self.take_request(job, plan_time, execution_id, Some(parent));
    }

    fn catch_up(&self, job: Arc<Job>, missed: Missed) {
        self.inner
            .tasks
            .spawn(self.clone().claim_all_missed(job, missed));
    }

    fn kill(&self, job: &str) -> usize {
        self.inner.runner.kill(job)
    }

    fn missed(&self, job: &Job, plan_time: DateTime<Utc>) {
        self.inner.runner.missed(job, plan_time);
    }

    fn reject(
        &self,
        job: &str,
        execution_id: String,
        _trigger: Trigger,
        _reason: String,
        parent: Option<Parent>,
    ) {
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
                    let _ = commands.send(WorkerCommand::RunNow { job, execution_id, parent });
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_claims_stay_under_their_bound_keeping_the_newest() {
        let mut seen = SeenClaims::default();
        let n = i64::try_from(SeenClaims::MAX).expect("fits");
        for t in 0..=n {
            seen.insert("j", t);
        }
        assert!(seen.len() <= SeenClaims::MAX / 2 + 1, "{}", seen.len());
        assert!(seen.contains("j", n), "the newest is kept");
        assert!(!seen.contains("j", 0), "the oldest went");
        // By age: claims older than twice the pending lifetime are forgotten.
        let mut seen = SeenClaims::default();
        for t in 0..5000 {
            seen.insert("j", t * 1000);
        }
        seen.pruned_at -= Duration::from_secs(2);
        seen.prune(5_000_000);
        assert_eq!(seen.len(), 100, "100 s of claims kept");
        assert!(seen.contains("j", 4_999_000) && !seen.contains("j", 4_899_000));
    }

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
}

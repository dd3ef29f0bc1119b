//! The runner: turns a fired tick into a running process and, when it ends, an execution
//! record. It owns the per-job bookkeeping the scheduler needs: the overlap policy (a tick
//! is skipped, run beside, or replaces the running one), the `executorThreads` bound, and the
//! kill switch of every running execution.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use schedd_core::dependency::{MAX_CHAIN_DEPTH, Parent};
use schedd_core::job::{SHARD_INDEX_VAR, SHARD_TOTAL_VAR};
use schedd_core::store::WorkerCommand;
use schedd_core::{
    Clock, Event, EventHub, ExecutionRecord, ExecutionStatus, Job, OutputChunk, Overlap, RunOn,
    Trigger, from_unix_ms, new_execution_id, unix_ms,
};
use tokio::sync::{Semaphore, broadcast};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::catchup::{self, Late, MISSED_REASON, Missed};
use crate::executor::{self, ExecOutcome, ExecSpec, OutputTap, Termination};
use crate::http_job::{self, HttpCall};
use crate::metrics::WorkerMetrics;
use crate::notifier::Notifier;
use crate::record_queue::{RecordSender, Spooled};

/// Captured bytes per stream when a job does not set `maxOutputBytes`.
pub const DEFAULT_MAX_OUTPUT_BYTES: usize = 256 * 1024;

/// What the scheduler hands to whoever runs ticks. The real one is [`Runner`]; benchmarks
/// plug in one that only measures.
pub trait Dispatch: Send + Sync + std::fmt::Debug {
    /// Starts a run of `job` for the tick at `plan_time`. Must not block: the scheduler calls
    /// it for every due job before it computes the next fire times.
    fn fire(&self, job: Arc<Job>, plan_time: DateTime<Utc>, trigger: Trigger, id: Option<String>);
    /// Kills every running execution of the job; returns how many were signalled.
    fn kill(&self, job: &str) -> usize;
    /// Starts the run of `job` that the end of `parent` asked for (trigger `dependency`), as
    /// `execution_id`.
    fn fire_dependent(
        &self,
        job: Arc<Job>,
        plan_time: DateTime<Utc>,
        execution_id: String,
        parent: Parent,
    );
    /// Records a run that was asked for but cannot happen (run-now of a job this worker
    /// cannot schedule), so whoever holds its execution id finds a record, not silence.
    fn reject(
        &self,
        job: &str,
        execution_id: String,
        trigger: Trigger,
        reason: String,
        parent: Option<Parent>,
    );
    /// A tick of `job` came due too long ago to be run (the process stalled): it is neither
    /// run nor recorded. Only counted.
    fn missed(&self, _job: &Job, _plan_time: DateTime<Utc>) {}
    /// Carries out what [`catchup`] decided for the ticks `job` missed
    /// before this worker started.
    fn catch_up(&self, job: Arc<Job>, missed: Missed);
}

#[derive(Debug, Clone)]
pub struct RunnerConfig {
    pub worker_id: String,
    pub worker_ip: String,
    /// `executorThreads`: runs at once.
    pub capacity: usize,
    /// TERM-to-KILL grace on kill and timeout.
    pub kill_grace: Duration,
    /// Most runs waiting for an executor slot (see [`default_max_waiting`]); a tick (or a
    /// run asked for by hand) beyond them is recorded `skipped`, not queued.
    pub max_waiting: usize,
}

/// The bound on runs waiting for a slot: 16 per slot, and at least 1,024, so a burst of
/// ticks due at once waits its turn while a worker past its capacity for good records the
/// ticks it cannot run instead of queueing them without end.
pub fn default_max_waiting(capacity: usize) -> usize {
    capacity.saturating_mul(16).max(1_024)
}

/// One run counted among those waiting for a slot, until it gets one or ends.
#[derive(Debug)]
struct Waiting(Arc<std::sync::atomic::AtomicUsize>);

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
}

/// Called with the job name and execution id when a run (with all its retries) is over, or
/// was recorded `skipped` instead of starting, and its record is spooled; the cluster
/// releases the run's claim with it. Not before the record is spooled: the claim's run
/// marker is what has the worker's peers record the run `lost` if the worker dies, so
/// until the record is safe the marker stays.
#[derive(Clone)]
pub struct OnFinish(pub Arc<FinishFn>);

/// The job name and execution id of a run that is over.
pub type FinishFn = dyn Fn(&str, &str) + Send + Sync;

/// Called before a retry of a run starts, with the job name, the run's first execution id
/// (its claim's), the retry's execution id and its attempt number; the retry starts once the
/// returned future is done. The cluster points the run's marker at the retry with it, so that
/// peers record the attempt that was going should the worker die.
#[derive(Clone)]
pub struct OnRetry(pub Arc<RetryFn>);

/// See [`OnRetry`].
pub type RetryFn = dyn Fn(&str, &str, &str, u32) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>
    + Send
    + Sync;

/// Called with the runs that the end of a run asks for (its job's `onSuccess` or
/// `onFailure`), once the ended run's record is spooled and before its claim is released. In
/// embedded mode they go to this worker's scheduler; in a cluster, to etcd, where any
/// eligible worker takes them.
#[derive(Clone)]
pub struct OnDependents(pub Arc<DependentsFn>);

/// See [`OnDependents`]: each is a [`WorkerCommand::RunNow`] with its parent.
pub type DependentsFn = dyn Fn(Vec<WorkerCommand>) + Send + Sync;

impl std::fmt::Debug for OnDependents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OnDependents")
    }
}

impl std::fmt::Debug for OnRetry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OnRetry")
    }
}

impl std::fmt::Debug for OnFinish {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OnFinish")
    }
}

#[derive(Debug)]
struct Running {
    execution_id: String,
    cancel: CancellationToken,
}

#[derive(Debug, Clone)]
pub struct Runner {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    cfg: RunnerConfig,
    clock: Arc<dyn Clock>,
    permits: Arc<Semaphore>,
    /// Runs fired and not yet holding a slot.
    waiting: Arc<std::sync::atomic::AtomicUsize>,
    running: Mutex<HashMap<String, Vec<Running>>>,
    records: RecordSender,
    events: EventHub,
    output: broadcast::Sender<OutputChunk>,
    tasks: TaskTracker,
    on_finish: Mutex<Option<OnFinish>>,
    on_retry: Mutex<Option<OnRetry>>,
    on_dependents: Mutex<Option<OnDependents>>,
    /// What started each run a dependency asked for, by its first execution id, from its
    /// fire until it starts.
    parents: Mutex<HashMap<String, Parent>>,
    /// Hand each run's record to the sink also when its process starts (status `running`),
    /// so the spool knows the runs going on if the process dies (see
    /// [`Spool::interrupted`](crate::spool::Spool::interrupted)).
    mark_starts: std::sync::atomic::AtomicBool,
    /// Notes to add to the record of an execution when it ends, by execution id.
    notes: Mutex<HashMap<String, String>>,
    /// Set once, before the first run, when the worker keeps metrics.
    metrics: OnceLock<Arc<WorkerMetrics>>,
    /// Set once, before the first run: who delivers the jobs' notices.
    notifier: OnceLock<Notifier>,
    /// Warnings about ticks skipped for capacity, at most one every few seconds: past its
    /// capacity a worker may skip thousands a second, and each has its record already.
    capacity_warnings: Mutex<Throttle>,
}

/// Lets a warning through at most once per [`Throttle::EVERY`], counting those held back.
#[derive(Debug, Default)]
struct Throttle {
    last: Option<std::time::Instant>,
    held: u64,
}

impl Throttle {
    const EVERY: Duration = Duration::from_secs(5);

    /// `Some(n)` when this warning is to be logged, `n` being how many were held back
    /// since the last one; `None` when it is held back.
    fn admit(&mut self, now: std::time::Instant) -> Option<u64> {
        match self.last {
            Some(last) if now.duration_since(last) < Throttle::EVERY => {
                self.held += 1;
                None
            }
            _ => {
                self.last = Some(now);
                Some(std::mem::take(&mut self.held))
            }
        }
    }
}

impl Runner {
    /// Finished records go to `records` (a queue bounded in records and bytes: a slow
    /// store slows the recording of runs, it never drops them).
    pub fn new(
        cfg: RunnerConfig,
        clock: Arc<dyn Clock>,
        records: RecordSender,
        events: EventHub,
        output: broadcast::Sender<OutputChunk>,
    ) -> Runner {
        let permits = Arc::new(Semaphore::new(cfg.capacity.max(1)));
        Runner {
            inner: Arc::new(Inner {
                cfg,
                clock,
                permits,
                waiting: Arc::new(std::sync::atomic::AtomicUsize::new(0)),
                running: Mutex::new(HashMap::new()),
                records,
                events,
                output,
                tasks: TaskTracker::new(),
                on_finish: Mutex::new(None),
                on_retry: Mutex::new(None),
                on_dependents: Mutex::new(None),
                parents: Mutex::new(HashMap::new()),
                mark_starts: std::sync::atomic::AtomicBool::new(false),
                notes: Mutex::new(HashMap::new()),
                metrics: OnceLock::new(),
                notifier: OnceLock::new(),
                capacity_warnings: Mutex::new(Throttle::default()),
            }),
        }
    }

    /// Hands each run's record to the sink when its process starts, as well as when it ends:
    /// for a worker that has nothing else (no etcd run markers) to tell, after a crash,
    /// which runs it left going. Best effort: a start is not marked while the record queue
    /// is full (the run is not held up for it).
    pub fn mark_starts(&self) {
        self.inner
            .mark_starts
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Counts runs, skips and waits in `metrics` from now on; a second call changes nothing.
    pub fn set_metrics(&self, metrics: Arc<WorkerMetrics>) {
        let _ = self.inner.metrics.set(metrics);
    }

    /// Delivers the jobs' notices with `notifier` from now on; a second call changes nothing.
    pub fn set_notifier(&self, notifier: Notifier) {
        let _ = self.inner.notifier.set(notifier);
    }

    /// Who delivers the jobs' notices, if anyone.
    pub fn notifier(&self) -> Option<&Notifier> {
        self.inner.notifier.get()
    }

    /// What tells the notifier that `record` of `job` (the end of a run, or a skip) is
    /// spooled; `None` when nobody would be told anything.
    pub fn notice_when_spooled(&self, job: &Arc<Job>, record: &ExecutionRecord) -> Option<Spooled> {
        let notifier = self.notifier().filter(|n| n.interested(job))?.clone();
        let (job, record) = (Arc::clone(job), record.clone());
        Some(Box::new(move || notifier.ended(job, record)))
    }

    /// The worker's metrics, if it keeps them.
    pub fn metrics(&self) -> Option<&Arc<WorkerMetrics>> {
        self.inner.metrics.get()
    }

    /// Executions running or waiting for an executor slot.
    pub fn running(&self) -> usize {
        self.inner
            .running
            .lock()
            .map_or(0, |r| r.values().map(Vec::len).sum())
    }

    pub fn capacity(&self) -> usize {
        self.inner.cfg.capacity
    }

    /// Sets what is called when a run is over (see [`OnFinish`]).
    pub fn set_on_finish(&self, f: OnFinish) {
        if let Ok(mut slot) = self.inner.on_finish.lock() {
            *slot = Some(f);
        }
    }

    /// Sets what is called before a retry starts (see [`OnRetry`]).
    pub fn set_on_retry(&self, f: OnRetry) {
        if let Ok(mut slot) = self.inner.on_retry.lock() {
            *slot = Some(f);
        }
    }

    /// Sets where the runs that dependencies ask for go (see [`OnDependents`]).
    pub fn set_on_dependents(&self, f: OnDependents) {
        if let Ok(mut slot) = self.inner.on_dependents.lock() {
            *slot = Some(f);
        }
    }

    /// The runs that `record`, the last attempt of a run of `job` started by `parent` (if a
    /// dependency started it), asks for: none past [`MAX_CHAIN_DEPTH`] links, or with no
    /// hook to hand them to.
    fn dependents_of(
        &self,
        job: &Job,
        record: &ExecutionRecord,
        parent: Option<&Parent>,
    ) -> Vec<WorkerCommand> {
        let names = job.dependents(record.status);
        if names.is_empty() || self.inner.on_dependents.lock().is_ok_and(|h| h.is_none()) {
            return Vec::new();
        }
        let depth = parent.map_or(0, |p| p.depth) + 1;
        if depth > MAX_CHAIN_DEPTH {
            tracing::warn!(
                job = %job.name,
                execution_id = %record.execution_id,
                depth,
                "dependencies not started: this run is {MAX_CHAIN_DEPTH} links down a chain (a cycle saved by two racing saves?)"
            );
            return Vec::new();
        }
        names
            .iter()
            .map(|child| WorkerCommand::RunNow {
                job: child.clone(),
                execution_id: new_execution_id(),
                parent: Some(Parent {
                    job: job.name.clone(),
                    execution_id: record.execution_id.clone(),
                    depth,
                }),
            })
            .collect()
    }

    /// What to do once the last record of a run is spooled: ask for its dependents, then
    /// release the run (see [`OnFinish`]).
    fn over_when_spooled(
        &self,
        job: &str,
        execution_id: &str,
        dependents: Vec<WorkerCommand>,
    ) -> Option<Spooled> {
        let finished = self.finished_when_spooled(job, execution_id);
        let hook = self.inner.on_dependents.lock().ok().and_then(|h| h.clone());
        match (hook, dependents.is_empty()) {
            (Some(OnDependents(ask)), false) => Some(Box::new(move || {
                ask(dependents);
                if let Some(finished) = finished {
                    finished();
                }
            })),
            _ => finished,
        }
    }

    /// Drops what [`Runner::set_on_finish`], [`Runner::set_on_retry`] and
    /// [`Runner::set_on_dependents`] set; the hooks may hold the runner itself.
    pub fn clear_on_finish(&self) {
        if let Ok(mut slot) = self.inner.on_dependents.lock() {
            *slot = None;
        }
        if let Ok(mut slot) = self.inner.on_finish.lock() {
            *slot = None;
        }
        if let Ok(mut slot) = self.inner.on_retry.lock() {
            *slot = None;
        }
    }

    /// Calls the [`OnRetry`] hook, if any, and waits for it.
    async fn retrying(&self, job: &str, handle: &str, execution_id: &str, attempt: u32) {
        let hook = self.inner.on_retry.lock().ok().and_then(|h| h.clone());
        if let Some(OnRetry(f)) = hook {
            f(job, handle, execution_id, attempt).await;
        }
    }

    /// Adds `note` to the error text of the record of `execution_id` when it ends (once per
    /// execution: a later note replaces an earlier one). Nothing happens if it is not running.
    pub fn note(&self, execution_id: &str, note: String) {
        let running = self.inner.running.lock().is_ok_and(|r| {
            r.values()
                .flatten()
                .any(|run| run.execution_id == execution_id)
        });
        if running && let Ok(mut notes) = self.inner.notes.lock() {
            notes.insert(execution_id.to_owned(), note);
        }
    }

    fn add_note(&self, record: &mut ExecutionRecord) {
        let note = self
            .inner
            .notes
            .lock()
            .ok()
            .and_then(|mut n| n.remove(&record.execution_id));
        if let Some(note) = note {
            record.error = if record.error.is_empty() {
                note
            } else {
                format!("{}; {note}", record.error)
            };
        }
    }

    /// Kills one execution; false if it is not running here.
    pub fn kill_execution(&self, execution_id: &str) -> bool {
        let Ok(running) = self.inner.running.lock() else {
            return false;
        };
        let mut found = false;
        for r in running.values().flatten() {
            if r.execution_id == execution_id {
                r.cancel.cancel();
                found = true;
            }
        }
        found
    }

    /// Hands a record that no run of this worker produced (a skipped tick, a run lost with
    /// its worker) to the log sink.
    pub fn record(&self, record: ExecutionRecord) {
        self.record_then(record, None);
    }

    /// [`Runner::record`], calling `then` once the record is spooled.
    pub fn record_then(&self, record: ExecutionRecord, then: Option<Spooled>) {
        if record.status == ExecutionStatus::Skipped
            && let Some(m) = self.metrics()
        {
            m.ticks_skipped(1);
        }
        // Such records cannot wait where they are made (the scheduler must not block);
        // one that finds the queue full waits in a task of its own.
        let Some((record, then)) = self.inner.records.try_send_then(record, then) else {
            return;
        };
        let records = self.inner.records.clone();
        self.inner.tasks.spawn(async move {
            if records.send_then(record, then).await.is_err() {
                tracing::error!("log sink stopped; record not shipped");
            }
        });
    }

    /// Waits until every record handed over so far is spooled (and what waited on it was
    /// told): a worker that stops releases its runs' claims only then, before its lease goes.
    pub async fn records_spooled(&self) {
        while self.inner.records.queued_bytes() > 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// A record of a tick that did not run, with the reason.
    pub fn skipped_record(
        &self,
        job: &Job,
        plan_time_ms: i64,
        trigger: Trigger,
        reason: String,
    ) -> ExecutionRecord {
        let now = unix_ms(self.inner.clock.now());
        ExecutionRecord {
            execution_id: new_execution_id(),
            job_name: job.name.clone(),
            command: job.what(),
            plan_time_ms,
            schedule_time_ms: now,
            start_time_ms: now,
            end_time_ms: now,
            exit_code: -1,
            worker_ip: self.inner.cfg.worker_ip.clone(),
            worker_id: self.inner.cfg.worker_id.clone(),
            trigger,
            attempt: 1,
            status: ExecutionStatus::Skipped,
            error: reason,
            ..Default::default()
        }
    }

    /// The one record of the ticks of `job` too old to be accounted for one by one after an
    /// outage: `count` of them after `from_ms`. Its execution id is the same on every worker,
    /// so the store keeps one.
    pub fn older_missed_record(&self, job: &Job, count: u64, from_ms: i64) -> ExecutionRecord {
        let mut record = self.skipped_record(
            job,
            from_ms,
            Trigger::Schedule,
            format!("skipped: {count} earlier ticks were missed while no worker ran the job"),
        );
        record.execution_id = format!("missed-{}-{from_ms}", job.name);
        // `record` counts one skipped tick; this one stands for `count`.
        if let Some(m) = self.metrics() {
            m.ticks_skipped(count.saturating_sub(1));
        }
        record
    }

    /// Kills everything and waits until every run has handed over its record.
    /// Stops taking runs and lets those going on finish for up to `timeout`, then kills what
    /// is left (its records say `killed`) and waits for it.
    pub async fn drain(&self, timeout: Duration) {
        self.inner.tasks.close();
        let running = self.running();
        if running > 0 && !timeout.is_zero() {
            tracing::info!(
                running,
                ?timeout,
                "stopping: waiting for running executions to finish"
            );
            if tokio::time::timeout(timeout, self.inner.tasks.wait())
                .await
                .is_ok()
            {
                tracing::info!("every running execution finished");
                return;
            }
            tracing::warn!(
                running = self.running(),
                "drain timeout passed; killing the executions still running"
            );
        }
        self.shutdown().await;
    }

    pub async fn shutdown(&self) {
        if let Ok(running) = self.inner.running.lock() {
            for runs in running.values() {
                for r in runs {
                    r.cancel.cancel();
                }
            }
        }
        self.inner.tasks.close();
        self.inner.tasks.wait().await;
    }

    /// Calls the [`OnFinish`] hook for `execution_id`. Also for a run skipped at [`fire`]
    /// (capacity, or `overlap: forbid` beside a run going on here): in a cluster its tick
    /// was claimed, and a claim left unreleased keeps its run marker in etcd, and the job's
    /// lock with it, for as long as the worker lives: every later tick of a `forbid` job would
    /// be skipped as overlapping a run that never started.
    ///
    /// [`fire`]: Dispatch::fire
    fn finished(&self, job: &str, execution_id: &str) {
        if let Some(then) = self.finished_when_spooled(job, execution_id) {
            then();
        }
    }

    /// What calls the [`OnFinish`] hook for `execution_id` once its record is spooled; `None`
    /// when there is no hook.
    fn finished_when_spooled(&self, job: &str, execution_id: &str) -> Option<Spooled> {
        let OnFinish(f) = self.inner.on_finish.lock().ok().and_then(|f| f.clone())?;
        let (job, execution_id) = (job.to_owned(), execution_id.to_owned());
        Some(Box::new(move || f(&job, &execution_id)))
    }

    fn forget(&self, job: &str, execution_id: &str) {
        if let Ok(mut running) = self.inner.running.lock()
            && let Some(runs) = running.get_mut(job)
        {
            runs.retain(|r| r.execution_id != execution_id);
            if runs.is_empty() {
                running.remove(job);
            }
        }
    }
}

impl Dispatch for Runner {
    fn fire(&self, job: Arc<Job>, plan_time: DateTime<Utc>, trigger: Trigger, id: Option<String>) {
        let execution_id = id.unwrap_or_else(new_execution_id);
        let parent = if trigger == Trigger::Dependency {
            self.inner
                .parents
                .lock()
                .ok()
                .and_then(|mut p| p.remove(&execution_id))
        } else {
            None
        };
        let parent_id = parent
            .as_ref()
            .map(|p| p.execution_id.clone())
            .unwrap_or_default();
        let cancel = CancellationToken::new();
        let Some(waiting) = self.join_queue() else {
            let bound = self.inner.cfg.max_waiting;
            let admitted = self
                .inner
                .capacity_warnings
                .lock()
                .ok()
                .and_then(|mut t| t.admit(std::time::Instant::now()));
            if let Some(held_back) = admitted {
                tracing::warn!(
                    job = %job.name,
                    plan_time = %plan_time,
                    waiting = bound,
                    skipped_since_last_warning = held_back,
                    "tick skipped: the worker is past its capacity (each skip is recorded; this warning comes at most every 5 s)"
                );
            }
            let mut record = self.skipped_record(
                &job,
                unix_ms(plan_time),
                trigger,
                format!(
                    "skipped: {bound} runs already wait for one of the {} executor slots (capacity)",
                    self.inner.cfg.capacity
                ),
            );
            // A run asked for by hand keeps its id: whoever asked finds its record.
            record.execution_id.clone_from(&execution_id);
            record.parent_execution_id.clone_from(&parent_id);
            let then = both(
                self.notice_when_spooled(&job, &record),
                self.finished_when_spooled(&job.name, &execution_id),
            );
            self.record_then(record, then);
            return;
        };
        {
            let Ok(mut running) = self.inner.running.lock() else {
                return;
            };
            let runs = running.entry(job.name.clone()).or_default();
            if !runs.is_empty() && trigger != Trigger::Manual {
                match job.overlap {
                    Overlap::Allow => {}
                    Overlap::Forbid => {
                        tracing::warn!(
                            job = %job.name,
                            plan_time = %plan_time,
                            "tick skipped: the previous run is still going (overlap: forbid)"
                        );
                        let reason = format!(
                            "skipped: the previous run {} is still going (overlap: forbid)",
                            runs.first().map_or("", |r| r.execution_id.as_str())
                        );
                        drop(running);
                        drop(waiting);
                        let mut record =
                            self.skipped_record(&job, unix_ms(plan_time), trigger, reason);
                        // Under the claim's id, like the skip for capacity above.
                        record.execution_id.clone_from(&execution_id);
                        record.parent_execution_id.clone_from(&parent_id);
                        let then = both(
                            self.notice_when_spooled(&job, &record),
                            self.finished_when_spooled(&job.name, &execution_id),
                        );
                        self.record_then(record, then);
                        return;
                    }
                    Overlap::Replace => {
                        tracing::info!(job = %job.name, "killing the running execution (overlap: replace)");
                        for r in runs.iter() {
                            r.cancel.cancel();
                        }
                    }
                }
            }
            runs.push(Running {
                execution_id: execution_id.clone(),
                cancel: cancel.clone(),
            });
        }
        let runner = self.clone();
        let schedule_time = self.inner.clock.now();
        self.inner.tasks.spawn(async move {
            let handle = execution_id.clone();
            let delay = jitter_delay(job.jitter_ms, &execution_id);
            let due = plan_time + chrono::Duration::from_std(delay).unwrap_or_default();
            if !delay.is_zero() {
                // A kill during the delay falls through to `execute`, which records it.
                tokio::select! {
                    () = tokio::time::sleep(delay) => {}
                    () = cancel.cancelled() => {}
                }
            }
            let (mut attempt, mut trigger, mut id) = (1, trigger, execution_id);
            let mut waiting = Some(waiting);
            // The last attempt's record carries the end of the run, released once spooled.
            let mut finish_sent = false;
            // Told when a failed attempt's record is spooled: the run's marker names that
            // attempt until then, so a retry waits for it before the marker moves on.
            let mut spooled = None;
            loop {
                let mut started = runner.new_record(&job, plan_time, schedule_time, trigger, &id, attempt);
                started.parent_execution_id.clone_from(&parent_id);
                let mut record = runner
                    .execute(&job, started, cancel.clone(), &mut waiting, due)
                    .await;
                runner.add_note(&mut record);
                let retry = matches!(record.status, ExecutionStatus::Failed | ExecutionStatus::Timeout)
                    && attempt <= job.retries
                    && !cancel.is_cancelled();
                let then: Option<Spooled> = if retry {
                    let (tell, told) = tokio::sync::oneshot::channel();
                    spooled = Some(told);
                    Some(Box::new(move || {
                        let _ = tell.send(());
                    }))
                } else {
                    finish_sent = true;
                    let dependents = runner.dependents_of(&job, &record, parent.as_ref());
                    both(
                        runner.notice_when_spooled(&job, &record),
                        runner.over_when_spooled(&job.name, &handle, dependents),
                    )
                };
                if runner.inner.records.send_then(record, then).await.is_err() {
                    tracing::error!(job = %job.name, execution_id = id, "log sink stopped; record not shipped");
                }
                if !retry {
                    break;
                }
                if let Some(n) = runner.notifier() {
                    n.attempt_retried(&id);
                }
                let backoff = retry_backoff(job.retry_backoff_ms, attempt);
                tracing::info!(job = %job.name, attempt, retry_in = ?backoff, "run failed; retrying");
                // Waiting holds no executor slot; a kill ends the retries.
                tokio::select! {
                    () = tokio::time::sleep(backoff) => {}
                    () = cancel.cancelled() => break,
                }
                if let Some(told) = spooled.take() {
                    // An error only says the record was dropped unspooled (the sink is gone).
                    tokio::select! {
                        _ = told => {}
                        () = cancel.cancelled() => break,
                    }
                }
                attempt += 1;
                trigger = Trigger::Retry;
                id = new_execution_id();
                runner.retrying(&job.name, &handle, &id, attempt).await;
            }
            runner.forget(&job.name, &handle);
            if !finish_sent {
                // Killed while waiting to retry: the failed attempt's record went already.
                runner.finished(&job.name, &handle);
            }
        });
    }

    fn fire_dependent(
        &self,
        job: Arc<Job>,
        plan_time: DateTime<Utc>,
        execution_id: String,
        parent: Parent,
    ) {
        if job.disabled {
            // A disabled job is not started by others' runs either; its record says why.
            let mut record = self.skipped_record(
                &job,
                unix_ms(plan_time),
                Trigger::Dependency,
                "skipped: the job is disabled".to_owned(),
            );
            record.execution_id.clone_from(&execution_id);
            record.parent_execution_id = parent.execution_id;
            let then = self.finished_when_spooled(&job.name, &execution_id);
            self.record_then(record, then);
            return;
        }
        if let Ok(mut p) = self.inner.parents.lock() {
            p.insert(execution_id.clone(), parent);
        }
        self.fire(job, plan_time, Trigger::Dependency, Some(execution_id));
    }

    fn reject(
        &self,
        job: &str,
        execution_id: String,
        trigger: Trigger,
        reason: String,
        parent: Option<Parent>,
    ) {
        let now = unix_ms(self.inner.clock.now());
        let record = ExecutionRecord {
            execution_id,
            job_name: job.to_owned(),
            plan_time_ms: now,
            schedule_time_ms: now,
            start_time_ms: now,
            end_time_ms: now,
            exit_code: -1,
            worker_ip: self.inner.cfg.worker_ip.clone(),
            worker_id: self.inner.cfg.worker_id.clone(),
            trigger,
            attempt: 1,
            status: ExecutionStatus::Failed,
            error: reason,
            parent_execution_id: parent.map(|p| p.execution_id).unwrap_or_default(),
            ..Default::default()
        };
        let records = self.inner.records.clone();
        self.inner.tasks.spawn(async move {
            let _ = records.send(record).await;
        });
    }

    fn kill(&self, job: &str) -> usize {
        let Ok(running) = self.inner.running.lock() else {
            return 0;
        };
        let runs = running.get(job).map_or(&[][..], Vec::as_slice);
        for r in runs {
            r.cancel.cancel();
        }
        runs.len()
    }

    fn missed(&self, _job: &Job, _plan_time: DateTime<Utc>) {
        if let Some(m) = self.metrics() {
            m.tick_lost();
        }
    }

    fn catch_up(&self, job: Arc<Job>, missed: Missed) {
        if let Some((count, from_ms)) = missed.older {
            self.record(self.older_missed_record(&job, count, from_ms));
        }
        for (tick, late) in missed.ticks {
            match late {
                Late::Run(trigger) => self.fire(Arc::clone(&job), tick, trigger, None),
                Late::Skip => {
                    let record = self.skipped_record(
                        &job,
                        unix_ms(tick),
                        Trigger::Schedule,
                        MISSED_REASON.to_owned(),
                    );
                    let notice = self.notice_when_spooled(&job, &record);
                    self.record_then(record, notice);
                }
            }
        }
    }
}

impl Runner {
    /// A scheduled tick whose run got its executor slot later after `due` (its tick, plus
    /// its jitter) than the catch-up policy lets a tick run late ([`catchup::late`]: the
    /// job's catch-up window, or a few seconds) is not run: it is recorded `skipped`
    /// (capacity), as a tick missed while no worker ran it would be. So a worker past its
    /// capacity runs its ticks at most that late, instead of working through a backlog that
    /// only grows staler. Runs asked for by hand, and retries, wait as long as it takes.
    fn too_late_to_start(
        &self,
        job: &Job,
        record: &ExecutionRecord,
        due: DateTime<Utc>,
    ) -> Option<ExecutionRecord> {
        if !matches!(record.trigger, Trigger::Schedule | Trigger::CatchUp) {
            return None;
        }
        let now = self.inner.clock.now();
        if catchup::late(job, due, now) != Late::Skip {
            return None;
        }
        let late = (now - due).num_milliseconds() as f64 / 1000.0;
        let reason = format!(
            "skipped: its executor slot came {late:.1} s after its tick, later than the job's catch-up window allows; all {} slots were busy (capacity)",
            self.inner.cfg.capacity
        );
        let mut skipped = self.skipped_record(job, record.plan_time_ms, record.trigger, reason);
        skipped.execution_id.clone_from(&record.execution_id);
        skipped.schedule_time_ms = record.schedule_time_ms;
        Some(skipped)
    }

    /// The record of an attempt about to start (status `Running`).
    fn new_record(
        &self,
        job: &Job,
        plan_time: DateTime<Utc>,
        schedule_time: DateTime<Utc>,
        trigger: Trigger,
        execution_id: &str,
        attempt: u32,
    ) -> ExecutionRecord {
        let cfg = &self.inner.cfg;
        ExecutionRecord {
            execution_id: execution_id.to_owned(),
            job_name: job.name.clone(),
            command: job.what(),
            plan_time_ms: unix_ms(plan_time),
            schedule_time_ms: unix_ms(schedule_time),
            worker_ip: cfg.worker_ip.clone(),
            worker_id: cfg.worker_id.clone(),
            trigger,
            attempt,
            status: ExecutionStatus::Running,
            ..Default::default()
        }
    }

    /// A place among the runs waiting for a slot; `None` when they are at their bound.
    fn join_queue(&self) -> Option<Waiting> {
        use std::sync::atomic::Ordering;
        let bound = self.inner.cfg.max_waiting.max(1);
        self.inner
            .waiting
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < bound).then_some(n + 1)
            })
            .ok()
            .map(|_| Waiting(Arc::clone(&self.inner.waiting)))
    }

    /// Runs fired and not yet holding an executor slot.
    pub fn waiting(&self) -> usize {
        self.inner
            .waiting
            .load(std::sync::atomic::Ordering::Acquire)
    }

    /// Runs one attempt described by `record` and returns the record filled in. `queued`
    /// is the run's place among those waiting, given up once it has a slot; `due` is when
    /// it was meant to start (see [`Runner::too_late_to_start`]).
    async fn execute(
        &self,
        job: &Job,
        mut record: ExecutionRecord,
        cancel: CancellationToken,
        queued: &mut Option<Waiting>,
        due: DateTime<Utc>,
    ) -> ExecutionRecord {
        let cfg = &self.inner.cfg;
        let metrics = self.metrics().cloned();
        let waiting = metrics.as_ref().map(|m| m.waiting());
        // Waiting for a slot can be cut short by a kill, like the run itself; a kill that
        // came while the slot was being granted still wins, so no process is started for it.
        let permit = tokio::select! {
            biased;
            () = cancel.cancelled() => None,
            p = Arc::clone(&self.inner.permits).acquire_owned() => p.ok(),
        }
        .filter(|_| !cancel.is_cancelled());
        drop(waiting);
        queued.take();
        let Some(_permit) = permit else {
            let now = unix_ms(self.inner.clock.now());
            record.start_time_ms = now;
            record.end_time_ms = now;
            record.exit_code = -1;
            record.status = ExecutionStatus::Killed;
            record.error = "killed before it started".into();
            if let Some(m) = &metrics {
                m.execution_finished(record.status);
            }
            return record;
        };
        if let Some(skipped) = self.too_late_to_start(job, &record, due) {
            if let Some(m) = &metrics {
                m.ticks_skipped(1);
            }
            return skipped;
        }
        let mut env = job.env.clone();
        if job.run_on == RunOn::All {
            // A broadcast run that no cluster gave a shard (embedded mode, a run asked for
            // by hand) is the only one: shard 0 of 1.
            env.entry(SHARD_INDEX_VAR.to_owned())
                .or_insert_with(|| "0".to_owned());
            env.entry(SHARD_TOTAL_VAR.to_owned())
                .or_insert_with(|| "1".to_owned());
        }
        let spec = ExecSpec {
            command: job.command.clone(),
            env,
            timeout: (job.timeout > 0).then(|| Duration::from_secs(job.timeout.unsigned_abs())),
            max_output_bytes: match job.max_output_bytes {
                0 => DEFAULT_MAX_OUTPUT_BYTES,
                n => usize::try_from(n).unwrap_or(usize::MAX),
            },
            kill_grace: cfg.kill_grace,
            tap: Some(self.output_tap(job, &record.execution_id)),
        };
        let _running = metrics.as_ref().map(|m| m.running());
        let events = self.inner.events.clone();
        let started = record.clone();
        // The fire lag of scheduled runs only: a retry, a catch-up or a manual run is late
        // (or early) on purpose.
        let lag = (record.trigger == Trigger::Schedule && record.attempt == 1)
            .then(|| metrics.clone().map(|m| (m, Arc::clone(&self.inner.clock))))
            .flatten();
        let plan_time_ms = record.plan_time_ms;
        let mark = self
            .inner
            .mark_starts
            .load(std::sync::atomic::Ordering::Relaxed)
            .then(|| self.inner.records.clone());
        let on_start = move |_pgid| {
            let mut started = started;
            started.start_time_ms = unix_ms(Utc::now());
            if let Some(records) = mark
                && records.try_send(started.clone()).is_some()
            {
                tracing::debug!(execution_id = %started.execution_id, "record queue full: this run's start is not marked in the spool");
            }
            if let Some((metrics, clock)) = lag {
                let late = clock.now() - from_unix_ms(plan_time_ms);
                metrics.fire_lag(late.to_std().unwrap_or_default());
            }
            events.send(Event::ExecutionStarted(started));
        };
        if let Some(notifier) = self.notifier() {
            notifier.watch_overdue(job, &record, unix_ms(self.inner.clock.now()));
        }
        let outcome = match &job.http {
            Some(http) => {
                // An HTTP job starts no process: it has started once it has its slot.
                on_start(0);
                let call = HttpCall {
                    http: http.clone(),
                    timeout: spec.timeout,
                    max_output_bytes: spec.max_output_bytes,
                    tap: spec.tap.clone(),
                };
                http_job::call(&call, cancel).await
            }
            None => executor::run(&spec, cancel, on_start).await,
        };
        fill_outcome(&mut record, outcome);
        if let Some(m) = &metrics {
            m.execution_finished(record.status);
        }
        // The slot is given up only once the record has its place in the queue to the sink:
        // while that queue is full, runs wait instead of starting and piling their records up
        // outside it (see `record_queue`).
        self.inner.records.reserve(&record).await;
        record
    }
}

impl Runner {
    /// Forwards output to live watchers, only while someone is watching: with no receiver
    /// the chunk is not even copied.
    fn output_tap(&self, job: &Job, execution_id: &str) -> OutputTap {
        let output = self.inner.output.clone();
        let job_name = job.name.clone();
        let execution_id = execution_id.to_owned();
        OutputTap(Arc::new(move |stream, data| {
            if output.receiver_count() > 0 {
                let _ = output.send(OutputChunk {
                    execution_id: execution_id.clone(),
                    job_name: job_name.clone(),
                    stream,
                    data: data.to_vec(),
                });
            }
        }))
    }
}

/// Backoff before a retry when the job sets none.
pub const DEFAULT_RETRY_BACKOFF: Duration = Duration::from_secs(1);
/// Longest wait before a retry, however many attempts came before.
pub const MAX_RETRY_BACKOFF: Duration = Duration::from_secs(3600);

/// The wait before attempt `failed + 1`: the job's backoff, doubled for each later retry.
pub fn retry_backoff(backoff_ms: u64, failed: u32) -> Duration {
    let base = if backoff_ms == 0 {
        DEFAULT_RETRY_BACKOFF
    } else {
        Duration::from_millis(backoff_ms)
    };
    let factor = 2u32.saturating_pow(failed.saturating_sub(1).min(20));
    base.saturating_mul(factor).min(MAX_RETRY_BACKOFF)
}

/// A delay in `[0, jitter_ms]` drawn afresh for each execution, so that jobs sharing a
/// schedule do not all start in the same millisecond. Randomness comes from the standard
/// library's per-process hash keys; no cryptographic quality is needed.
pub fn jitter_delay(jitter_ms: u64, execution_id: &str) -> Duration {
    use std::hash::BuildHasher;
    if jitter_ms == 0 {
        return Duration::ZERO;
    }
    let draw = std::collections::hash_map::RandomState::new().hash_one(execution_id);
    Duration::from_millis(draw % (jitter_ms + 1))
}

/// `first`, then `second`, as one callback.
pub fn both(first: Option<Spooled>, second: Option<Spooled>) -> Option<Spooled> {
    match (first, second) {
        (Some(a), Some(b)) => Some(Box::new(move || {
            a();
            b();
        })),
        (a, b) => a.or(b),
    }
}

fn fill_outcome(record: &mut ExecutionRecord, outcome: ExecOutcome) {
    record.start_time_ms = unix_ms(outcome.started_at);
    record.end_time_ms = unix_ms(outcome.ended_at);
    record.exit_code = outcome.exit_code;
    record.output = outcome.stdout;
    record.stderr = outcome.stderr;
    record.output_truncated = outcome.output_truncated;
    let responded_as_expected = outcome.error.is_none();
    record.error = outcome.error.unwrap_or_default();
    record.is_timeout = outcome.termination == Termination::TimedOut;
    record.status = match outcome.termination {
        Termination::Exited(0) => ExecutionStatus::Success,
        Termination::Responded(_) if responded_as_expected => ExecutionStatus::Success,
        Termination::Responded(_) => ExecutionStatus::Failed,
        Termination::Exited(_) | Termination::Signalled(_) | Termination::FailedToStart => {
            ExecutionStatus::Failed
        }
        Termination::TimedOut => ExecutionStatus::Timeout,
        Termination::Killed => ExecutionStatus::Killed,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_throttled_warning_comes_once_per_period_and_counts_those_held_back() {
        let mut t = Throttle::default();
        let start = std::time::Instant::now();
        assert_eq!(t.admit(start), Some(0));
        assert_eq!(t.admit(start + Duration::from_secs(1)), None);
        assert_eq!(t.admit(start + Duration::from_secs(4)), None);
        assert_eq!(t.admit(start + Throttle::EVERY), Some(2));
        assert_eq!(t.admit(start + Throttle::EVERY * 2), Some(0));
    }

    #[test]
    fn retry_backoff_doubles_from_the_jobs_base_and_is_capped() {
        assert_eq!(retry_backoff(100, 1), Duration::from_millis(100));
        assert_eq!(retry_backoff(100, 2), Duration::from_millis(200));
        assert_eq!(retry_backoff(100, 4), Duration::from_millis(800));
        assert_eq!(retry_backoff(0, 1), DEFAULT_RETRY_BACKOFF);
        assert_eq!(retry_backoff(3_600_000, 10), MAX_RETRY_BACKOFF);
        assert_eq!(retry_backoff(1, u32::MAX), Duration::from_millis(1 << 20));
    }

    /// A runner with one executor slot and `max_waiting` places to wait for it, on the real
    /// clock, and the end of its record queue.
    fn one_slot_runner(max_waiting: usize) -> (Runner, crate::record_queue::RecordReceiver) {
        one_slot_runner_on(max_waiting, Arc::new(schedd_core::SystemClock))
    }

    /// [`one_slot_runner`] on the given clock.
    fn one_slot_runner_on(
        max_waiting: usize,
        clock: Arc<dyn Clock>,
    ) -> (Runner, crate::record_queue::RecordReceiver) {
        let (records_tx, records) = crate::record_queue::channel(
            64,
            crate::record_queue::DEFAULT_BYTES,
            Default::default(),
        );
        let runner = Runner::new(
            RunnerConfig {
                worker_id: "w".into(),
                worker_ip: "127.0.0.1".into(),
                capacity: 1,
                kill_grace: Duration::from_millis(100),
                max_waiting,
            },
            clock,
            records_tx,
            EventHub::new(16),
            broadcast::channel(16).0,
        );
        (runner, records)
    }

    /// Past its bound of waiting runs, a tick is recorded `skipped` (capacity) at once, and
    /// so is a run asked for by hand, under its own id; the runs already waiting keep their
    /// places.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn ticks_past_the_bound_of_waiting_runs_are_recorded_skipped() {
        let (runner, mut records) = one_slot_runner(3);
        let mut job = Job::new("busy", "* * * * * *", "sleep 30");
        job.overlap = Overlap::Allow;
        let job = Arc::new(job);
        let tick = chrono::DateTime::from_timestamp(1_800_000_000, 0).expect("time");
        // One takes the slot; then three wait, and a fifth fits no more.
        runner.fire(Arc::clone(&job), tick, Trigger::Schedule, None);
        testkit::until(
            "the first run to get its slot",
            Duration::from_secs(30),
            || runner.waiting() == 0,
        )
        .await;
        for _ in 0..4 {
            runner.fire(Arc::clone(&job), tick, Trigger::Schedule, None);
        }
        let skipped = tokio::time::timeout(Duration::from_secs(30), records.recv())
            .await
            .expect("a record in time")
            .expect("a record");
        assert_eq!(skipped.status, ExecutionStatus::Skipped);
        assert!(skipped.error.contains("capacity"), "{}", skipped.error);
        assert_eq!(skipped.plan_time_ms, unix_ms(tick));
        runner.fire(
            Arc::clone(&job),
            tick,
            Trigger::Manual,
            Some("asked-by-hand".into()),
        );
        let manual = tokio::time::timeout(Duration::from_secs(30), records.recv())
            .await
            .expect("a record in time")
            .expect("a record");
        assert_eq!(
            (manual.execution_id.as_str(), manual.status),
            ("asked-by-hand", ExecutionStatus::Skipped)
        );
        assert_eq!(runner.waiting(), 3, "the slot's holder is not waiting");
        assert_eq!(runner.kill("busy"), 4);
        let mut ended = Vec::new();
        for _ in 0..4 {
            let r = tokio::time::timeout(Duration::from_secs(30), records.recv())
                .await
                .expect("a record in time")
                .expect("a record");
            ended.push(r.status);
        }
        assert!(
            ended.iter().all(|s| *s == ExecutionStatus::Killed),
            "{ended:?}"
        );
        runner.shutdown().await;
        assert_eq!(runner.waiting(), 0, "every place given back");
    }

    /// A scheduled tick that waits for its slot longer than its job's catch-up policy lets it
    /// run late is recorded `skipped` under its own id once the slot frees; one inside its
    /// catch-up window, and a run asked for by hand, still run.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_tick_that_waited_too_long_for_a_slot_is_recorded_skipped_not_run_late() {
        let tick = chrono::DateTime::from_timestamp(1_800_000_000, 0).expect("time");
        let clock = schedd_core::FakeClock::new(tick);
        let (runner, mut records) = one_slot_runner_on(8, Arc::new(clock.clone()));
        let dir = tempfile::tempdir().expect("tempdir");
        let go = dir.path().join("go");
        let hold = Arc::new(Job::new(
            "hold",
            "* * * * * *",
            format!("while [ ! -e '{}' ]; do sleep 0.02; done", go.display()),
        ));
        runner.fire(hold, tick, Trigger::Schedule, None);
        testkit::until(
            "the holder to get the slot",
            Duration::from_secs(30),
            || runner.waiting() == 0,
        )
        .await;
        let stale = Arc::new(Job::new("stale", "* * * * * *", "true"));
        let mut windowed = Job::new("windowed", "* * * * * *", "true");
        windowed.catch_up_seconds = 60;
        let windowed = Arc::new(windowed);
        runner.fire(
            Arc::clone(&stale),
            tick,
            Trigger::Schedule,
            Some("stale-tick".into()),
        );
        runner.fire(
            windowed,
            tick,
            Trigger::Schedule,
            Some("windowed-tick".into()),
        );
        runner.fire(stale, tick, Trigger::Manual, Some("by-hand".into()));
        testkit::until("three runs waiting", Duration::from_secs(30), || {
            runner.waiting() == 3
        })
        .await;
        clock.advance(Duration::from_secs(30));
        std::fs::write(&go, "").expect("write");
        let mut by_id = HashMap::new();
        for _ in 0..4 {
            let r = tokio::time::timeout(Duration::from_secs(30), records.recv())
                .await
                .expect("a record in time")
                .expect("a record");
            by_id.insert(r.execution_id.clone(), r);
        }
        let stale = &by_id["stale-tick"];
        assert_eq!(stale.status, ExecutionStatus::Skipped);
        assert!(
            stale.error.contains("30.0 s after its tick") && stale.error.contains("(capacity)"),
            "{}",
            stale.error
        );
        assert_eq!(stale.plan_time_ms, unix_ms(tick));
        assert_eq!(by_id["windowed-tick"].status, ExecutionStatus::Success);
        assert_eq!(by_id["by-hand"].status, ExecutionStatus::Success);
        runner.shutdown().await;
    }

    /// Regression: a tick skipped at `fire` (capacity, or `overlap: forbid` beside a run going
    /// on here) never reached the `OnFinish` hook, so in a cluster its claim (run marker, and
    /// a `forbid` job's lock) was never released, and the job was skipped from then on.
    /// The hook is called once the skip's record is spooled (here: taken from the queue),
    /// not before: until then the claim's marker is what would have it recorded.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_tick_skipped_at_fire_is_finished_once_its_record_is_spooled() {
        let (runner, mut records) = one_slot_runner(1);
        let finished = Arc::new(Mutex::new(Vec::<String>::new()));
        let seen = Arc::clone(&finished);
        runner.set_on_finish(OnFinish(Arc::new(move |_, id| {
            seen.lock().expect("not poisoned").push(id.to_owned());
        })));
        let mut job = Job::new("exclusive", "* * * * * *", "sleep 30");
        job.overlap = Overlap::Forbid;
        let job = Arc::new(job);
        let tick = chrono::DateTime::from_timestamp(1_800_000_000, 0).expect("time");
        let fire = |id: &str| {
            runner.fire(
                Arc::clone(&job),
                tick,
                Trigger::Schedule,
                Some(id.to_owned()),
            );
        };
        fire("running");
        testkit::until(
            "the first run to get its slot",
            Duration::from_secs(30),
            || runner.waiting() == 0,
        )
        .await;
        fire("beside-a-forbid-run");
        // Takes the one place among the waiting runs (a manual run ignores `forbid`), so the
        // next is past capacity.
        runner.fire(
            Arc::clone(&job),
            tick,
            Trigger::Manual,
            Some("waiting".into()),
        );
        fire("past-capacity");
        assert!(
            finished.lock().expect("not poisoned").is_empty(),
            "finished before the records were spooled"
        );
        for id in ["beside-a-forbid-run", "past-capacity"] {
            let record = tokio::time::timeout(Duration::from_secs(30), records.recv())
                .await
                .expect("a record in time")
                .expect("a record");
            assert_eq!(
                (record.execution_id.as_str(), record.status),
                (id, ExecutionStatus::Skipped)
            );
        }
        assert_eq!(
            *finished.lock().expect("not poisoned"),
            ["beside-a-forbid-run", "past-capacity"]
        );
        runner.clear_on_finish();
        runner.shutdown().await;
    }

    async fn next_record(records: &mut crate::record_queue::RecordReceiver) -> ExecutionRecord {
        tokio::time::timeout(Duration::from_secs(30), records.recv())
            .await
            .expect("a record in time")
            .expect("a record")
    }

    /// The end of a run asks for its `onSuccess` jobs after a success and its `onFailure`
    /// jobs after a failure, once its record is spooled, each with the run as its parent; a
    /// run started by a dependency carries its parent; and a chain ends at its depth limit.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_run_asks_for_its_dependents_by_how_it_ended_once_spooled() {
        let (runner, mut records) = one_slot_runner(4);
        let asked = Arc::new(Mutex::new(Vec::<WorkerCommand>::new()));
        let seen = Arc::clone(&asked);
        runner.set_on_dependents(OnDependents(Arc::new(move |runs| {
            seen.lock().expect("not poisoned").extend(runs);
        })));
        let job = |command: &str| {
            let mut j = Job::new("a", "* * * * * *", command);
            // Each run is fired as the one before ends: not skipped while it is forgotten.
            j.overlap = Overlap::Allow;
            j.on_success = vec!["b".into()];
            j.on_failure = vec!["c".into(), "d".into()];
            Arc::new(j)
        };
        let tick = chrono::DateTime::from_timestamp(1_800_000_000, 0).expect("time");
        let asked_for = || -> Vec<(String, Option<Parent>)> {
            std::mem::take(&mut *asked.lock().expect("not poisoned"))
                .into_iter()
                .map(|c| match c {
                    WorkerCommand::RunNow { job, parent, .. } => (job, parent),
                    WorkerCommand::Kill { job } => (job, None),
                })
                .collect()
        };
        let parent = |execution_id: &str, depth: u32| Parent {
            job: "a".into(),
            execution_id: execution_id.into(),
            depth,
        };

        runner.fire(job("true"), tick, Trigger::Manual, Some("ok".into()));
        let ok = next_record(&mut records).await;
        assert_eq!(ok.status, ExecutionStatus::Success);
        assert_eq!(asked_for(), [("b".to_owned(), Some(parent("ok", 1)))]);

        // Started by a dependency two links down: its record names its parent, and what it
        // asks for is one link further.
        runner.fire_dependent(
            job("false"),
            tick,
            "child".into(),
            Parent {
                job: "up".into(),
                execution_id: "up-1".into(),
                depth: 2,
            },
        );
        let failed = next_record(&mut records).await;
        assert_eq!(
            (
                failed.status,
                failed.trigger,
                failed.parent_execution_id.as_str()
            ),
            (ExecutionStatus::Failed, Trigger::Dependency, "up-1")
        );
        assert_eq!(
            asked_for(),
            [
                ("c".to_owned(), Some(parent("child", 3))),
                ("d".to_owned(), Some(parent("child", 3)))
            ]
        );

        // At the end of the longest chain, nothing more is asked for.
        runner.fire_dependent(
            job("true"),
            tick,
            "last".into(),
            Parent {
                job: "up".into(),
                execution_id: "up-2".into(),
                depth: MAX_CHAIN_DEPTH,
            },
        );
        let last = next_record(&mut records).await;
        assert_eq!(last.status, ExecutionStatus::Success);
        assert!(
            asked_for().is_empty(),
            "a chain stops at {MAX_CHAIN_DEPTH} links"
        );
        runner.clear_on_finish();
        runner.shutdown().await;
    }

    #[test]
    fn jitter_stays_within_its_bound_and_varies() {
        assert_eq!(jitter_delay(0, "x"), Duration::ZERO);
        let draws: std::collections::BTreeSet<_> = (0..200)
            .map(|i| jitter_delay(1000, &format!("e{i}")))
            .collect();
        assert!(draws.iter().all(|d| *d <= Duration::from_millis(1000)));
        assert!(
            draws.len() > 50,
            "only {} distinct delays in 200 draws",
            draws.len()
        );
    }
}

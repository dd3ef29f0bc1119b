//! The scheduler loop: keeps the timetable in step with the job store and fires what is due.
//!
//! It follows the store with the watch-then-list pattern: it subscribes to changes, lists
//! every job, and then applies only changes newer than the list. When it falls behind the
//! change stream it lists again. A job that cannot be scheduled (say a bad cron expression
//! written straight into the store) is logged and left out; the others keep running.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use chrono_tz::Tz;
use schedd_core::store::{JobChange, JobStore, WorkerCommand};
use schedd_core::{Clock, Job, Schedule, Trigger};
use tokio::sync::{broadcast, mpsc, watch};
use tokio_util::sync::CancellationToken;

use crate::catchup::{self, TickHistory};
use crate::runner::Dispatch;
use crate::timetable::{LATE_GRACE_SECS, Timetable};

#[derive(Debug, Clone)]
pub struct SchedulerConfig {
    /// Zone of jobs that carry none.
    pub default_tz: Tz,
    /// This worker's labels; a job runs here only if its selector matches them.
    pub labels: BTreeMap<String, String>,
}

/// Schedules shared by every job with the same expression and zone: most fleets use a
/// handful of expressions, and a parsed schedule is far larger than a pointer.
#[derive(Debug, Default)]
struct ScheduleCache {
    map: HashMap<(String, Tz), Arc<Schedule>>,
    /// Size at which unused schedules are next dropped: twice what the last sweep kept, so
    /// the sweeps cost O(1) per insert however many distinct expressions are in use.
    sweep_at: usize,
}

impl ScheduleCache {
    const MIN_SWEEP: usize = 1024;

    /// Validates the job (all of it: a cached schedule does not excuse the other fields)
    /// and returns its schedule.
    fn get(&mut self, job: &Job, default_tz: Tz) -> Result<Arc<Schedule>, schedd_core::JobError> {
        job.validate_fields()?;
        let tz = job.zone(default_tz)?;
        if let Some(s) = self.map.get(&(job.cron_expr.clone(), tz)) {
            return Ok(Arc::clone(s));
        }
        let s = Arc::new(job.schedule(default_tz)?);
        if self.map.len() >= self.sweep_at.max(Self::MIN_SWEEP) {
            // Keep only schedules some job still holds.
            self.map.retain(|_, s| Arc::strong_count(s) > 1);
            self.sweep_at = self.map.len() * 2;
        }
        self.map.insert((job.cron_expr.clone(), tz), Arc::clone(&s));
        Ok(s)
    }
}

pub fn selector_matches(
    selector: &BTreeMap<String, String>,
    labels: &BTreeMap<String, String>,
) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

#[derive(Debug)]
pub struct Scheduler {
    store: Arc<dyn JobStore>,
    clock: Arc<dyn Clock>,
    dispatch: Arc<dyn Dispatch>,
    cfg: SchedulerConfig,
    table: Timetable,
    cache: ScheduleCache,
    applied: watch::Sender<i64>,
    /// Where the ticks each job ran last are read at start, to account for those missed
    /// since; none, and missed ticks are not looked for.
    history: Option<Arc<dyn TickHistory>>,
}

const RELIST_BACKOFF: Duration = Duration::from_secs(1);

impl Scheduler {
    pub fn new(
        store: Arc<dyn JobStore>,
        clock: Arc<dyn Clock>,
        dispatch: Arc<dyn Dispatch>,
        cfg: SchedulerConfig,
    ) -> Scheduler {
        Scheduler {
            store,
            clock,
            dispatch,
            cfg,
            table: Timetable::new(),
            cache: ScheduleCache::default(),
            applied: watch::Sender::new(0),
            history: None,
        }
    }

    /// Accounts at start for the ticks each job missed since its newest tick in `history`
    /// (see [`catchup`]).
    pub fn with_history(mut self, history: Arc<dyn TickHistory>) -> Scheduler {
        self.history = Some(history);
        self
    }

    /// The store revision the timetable reflects; it rises as changes are applied. Lets a
    /// caller wait until a write it made is scheduled (tests, benchmarks).
    pub fn applied(&self) -> watch::Receiver<i64> {
        self.applied.subscribe()
    }

    fn apply(&mut self, job: Job) {
        match self.cache.get(&job, self.cfg.default_tz) {
            Ok(schedule) => {
                let active = !job.disabled && selector_matches(&job.selector, &self.cfg.labels);
                self.table
                    .upsert(Arc::new(job), schedule, active, self.clock.now());
            }
            Err(e) => {
                tracing::error!(job = %job.name, error = %e, "job cannot be scheduled; skipping it");
                self.table.remove(&job.name);
            }
        }
    }

    /// Reads every job and makes the timetable match; returns the revision read at.
    async fn relist(&mut self, shutdown: &CancellationToken) -> Option<i64> {
        loop {
            match self.store.list().await {
                Ok((jobs, revision)) => {
                    // Jobs scheduled now but no longer in the store; the listed ones are
                    // struck off as they are applied.
                    let mut stale: std::collections::HashSet<Arc<str>> =
                        self.table.names().into_iter().collect();
                    let count = jobs.len();
                    for v in jobs {
                        stale.remove(v.value.name.as_str());
                        self.apply(v.value);
                    }
                    for name in stale {
                        self.table.remove(&name);
                    }
                    tracing::info!(jobs = count, revision, "job list loaded");
                    return Some(revision);
                }
                Err(e) => {
                    tracing::warn!(error = %e, "listing jobs failed; retrying");
                    tokio::select! {
                        () = shutdown.cancelled() => return None,
                        () = tokio::time::sleep(RELIST_BACKOFF) => {}
                    }
                }
            }
        }
    }

    /// Hands the dispatcher the ticks each scheduled job missed before now, once, at start:
    /// those after its newest tick in the history, which the timetable (filed from now on)
    /// will not fire. Retries while the history cannot be read; false if the worker stopped
    /// meanwhile.
    async fn catch_up(&mut self, shutdown: &CancellationToken) -> bool {
        let Some(history) = self.history.clone() else {
            return true;
        };
        let jobs: Vec<String> = self
            .table
            .scheduled()
            .map(|(job, _)| job.name.clone())
            .collect();
        let last = loop {
            match history.last_ticks(&jobs).await {
                Ok(last) => break last,
                Err(e) => {
                    tracing::warn!(error = %e, "reading the jobs' last ticks failed; retrying");
                    tokio::select! {
                        () = shutdown.cancelled() => return false,
                        () = tokio::time::sleep(RELIST_BACKOFF) => {}
                    }
                }
            }
        };
        let now = self.clock.now();
        let mut jobs = 0_usize;
        let mut ticks = 0_u64;
        for (job, schedule) in self.table.scheduled() {
            let Some(&last_ms) = last.get(&job.name) else {
                continue;
            };
            let missed = catchup::missed(job, schedule, last_ms, now);
            if missed.is_empty() {
                continue;
            }
            jobs += 1;
            ticks += missed.count();
            tracing::warn!(job = %job.name, missed = missed.count(), "ticks were missed while no worker ran the job");
            self.dispatch.catch_up(Arc::clone(job), missed);
        }
        if jobs > 0 {
            tracing::info!(jobs, ticks, "missed ticks accounted for");
        }
        true
    }

    fn fire_due(&mut self) {
        let now = self.clock.now();
        let horizon = now - chrono::Duration::seconds(LATE_GRACE_SECS);
        let dispatch = &self.dispatch;
        let due = self.table.take_due(now, |d| {
            if d.plan_time >= horizon {
                dispatch.fire(Arc::clone(&d.job), d.plan_time, Trigger::Schedule, None);
            } else {
                tracing::warn!(job = %d.job.name, plan_time = %d.plan_time, "tick missed: it was due too long ago");
                dispatch.missed(&d.job, d.plan_time);
            }
        });
        self.table.reschedule(&due, now);
    }

    fn command(&mut self, cmd: WorkerCommand) {
        match cmd {
            WorkerCommand::Kill { job } => {
                let n = self.dispatch.kill(&job);
                tracing::info!(job, killed = n, "kill requested");
            }
            WorkerCommand::RunNow {
                job,
                execution_id,
                parent,
            } => match (self.table.get(&job), parent) {
                (Some(j), None) => {
                    let j = Arc::clone(j);
                    self.dispatch
                        .fire(j, self.clock.now(), Trigger::Manual, Some(execution_id));
                }
                (Some(j), Some(parent)) => {
                    let j = Arc::clone(j);
                    self.dispatch
                        .fire_dependent(j, self.clock.now(), execution_id, parent);
                }
                (None, parent) => {
                    tracing::debug!(job, "run-now for a job this worker cannot schedule");
                    let reason = "the job could not be run: the worker cannot schedule it (removed, or invalid in the store)".to_owned();
                    let trigger = if parent.is_some() {
                        Trigger::Dependency
                    } else {
                        Trigger::Manual
                    };
                    self.dispatch
                        .reject(&job, execution_id, trigger, reason, parent);
                }
            },
        }
    }

    /// Runs until `shutdown` is cancelled.
    pub async fn run(
        mut self,
        mut commands: mpsc::UnboundedReceiver<WorkerCommand>,
        shutdown: CancellationToken,
    ) {
        let mut changes = self.store.watch();
        let Some(mut listed) = self.relist(&shutdown).await else {
            return;
        };
        if !self.catch_up(&shutdown).await {
            return;
        }
        self.applied.send_replace(listed);
        let mut commands_open = true;
        loop {
            let sleep = match self.table.next_deadline() {
                Some(at) => self.clock.sleep_until(at),
                None => Box::pin(std::future::pending()),
            };
            tokio::select! {
                biased;
                () = shutdown.cancelled() => return,
                () = sleep => self.fire_due(),
                change = changes.recv() => match change {
                    Ok(c) if c.revision() <= listed => {}
                    Ok(JobChange::Put(v)) => {
                        let revision = v.revision;
                        self.apply(v.value);
                        self.applied.send_replace(revision);
                    }
                    Ok(JobChange::Deleted { name, revision }) => {
                        self.table.remove(&name);
                        self.applied.send_replace(revision);
                    }
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        tracing::warn!(skipped = n, "job changes came faster than they were read; re-reading all jobs");
                        changes = changes.resubscribe();
                        match self.relist(&shutdown).await {
                            Some(rev) => {
                                listed = rev;
                                self.applied.send_replace(rev);
                            }
                            None => return,
                        }
                    }
                    Err(broadcast::error::RecvError::Closed) => {
                        tracing::error!("job store closed its change stream; stopping the scheduler");
                        return;
                    }
                },
                cmd = commands.recv(), if commands_open => match cmd {
                    Some(cmd) => self.command(cmd),
                    None => commands_open = false,
                },
            }
        }
    }
}

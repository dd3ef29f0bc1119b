//! Delivers a job's notices to its webhooks (or to the worker's default ones): when a run it
//! recorded ended failed or timed out, recovered, was skipped or lost, or runs past the job's
//! `expectedSeconds`. Each notice is POSTed as JSON ([`Notice`]) and tried again after 1, 2
//! and 4 s when it gets no 2xx; how it went is added to the run's record ([`Delivery`]),
//! which is sent to the log store again, and the stores keep the copy with more deliveries.
//!
//! A notice goes out after the run's record is spooled, so a slow or failing receiver never
//! holds a record back. What it does not survive: a worker that dies while a notice is
//! being delivered (or before) does not deliver it; the record itself is safe.
//!
//! A recovery is the first success after a run that failed or timed out: the worker asks its
//! [`Outcomes`] (in a cluster, `outcome/<job>` in etcd; alone, its own memory, started from
//! the log store) how the job's run before this one ended, only for jobs with a webhook that
//! wants recoveries.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use schedd_core::notify::{
    ATTEMPT_TIMEOUT, Delivery, MAX_ATTEMPTS, Notice, NoticeKind, RETRY_BACKOFF, Webhook,
};
use schedd_core::store::{JobStore, LogQuery, LogStore, StoreError};
use schedd_core::{Clock, ExecutionRecord, ExecutionStatus, Job, unix_ms};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::executor::Termination;
use crate::http_job::{self, HttpCall};
use crate::record_queue::RecordSender;

/// How each job's last run ended, for recoveries.
#[async_trait::async_trait]
pub trait Outcomes: Send + Sync + std::fmt::Debug {
    /// Notes that the run `execution_id` of `job` ended with `status`; returns how the run
    /// noted before it ended, if any is known. For a broadcast job, `job` is `name@worker`:
    /// each worker's runs have an outcome of their own.
    async fn swap(
        &self,
        job: &str,
        execution_id: &str,
        status: ExecutionStatus,
    ) -> Result<Option<ExecutionStatus>, StoreError>;
}

/// Outcomes in memory, for a worker alone: a job's first outcome comes from the log store
/// (its newest run that succeeded, failed or timed out, other than this one).
#[derive(Debug)]
pub struct LocalOutcomes {
    logs: Arc<dyn LogStore>,
    last: tokio::sync::Mutex<HashMap<String, ExecutionStatus>>,
}

impl LocalOutcomes {
    pub fn new(logs: Arc<dyn LogStore>) -> LocalOutcomes {
        LocalOutcomes {
            logs,
            last: tokio::sync::Mutex::new(HashMap::new()),
        }
    }
}

/// Whether a run that ended so counts for recoveries.
fn counts(status: ExecutionStatus) -> bool {
    matches!(
        status,
        ExecutionStatus::Success | ExecutionStatus::Failed | ExecutionStatus::Timeout
    )
}

#[async_trait::async_trait]
impl Outcomes for LocalOutcomes {
    async fn swap(
        &self,
        job: &str,
        execution_id: &str,
        status: ExecutionStatus,
    ) -> Result<Option<ExecutionStatus>, StoreError> {
        let mut last = self.last.lock().await;
        let before = match last.get(job) {
            Some(s) => Some(*s),
            None => self
                .logs
                .list(&LogQuery {
                    // A broadcast job's key is `name@worker`; alone, this worker is the
                    // only one.
                    job_name: Some(job.split('@').next().unwrap_or(job).to_owned()),
                    page: 1,
                    page_size: 20,
                    ..Default::default()
                })
                .await?
                .records
                .into_iter()
                .find(|r| r.execution_id != execution_id && counts(r.status))
                .map(|r| r.status),
        };
        last.insert(job.to_owned(), status);
        Ok(before)
    }
}

#[derive(Debug, Clone)]
pub struct Notifier {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// For jobs that name no webhook.
    defaults: Vec<Webhook>,
    /// What it needs to work, let go of when it stops (the record sender would keep the
    /// sink waiting for more; the outcomes may hold the cluster, which holds the runner).
    parts: Mutex<Option<Parts>>,
    clock: Arc<dyn Clock>,
    tasks: TaskTracker,
    /// Cancelled when the worker stops: deliveries still trying give up.
    stop: CancellationToken,
    /// The overdue watch of each run going on that has one, by execution id: cancelled when
    /// the run ends, and answering the deliveries it made.
    overdue: Mutex<HashMap<String, Watch>>,
}

#[derive(Debug, Clone)]
struct Parts {
    records: RecordSender,
    outcomes: Arc<dyn Outcomes>,
    /// Where the job of a lost run is read.
    jobs: Arc<dyn JobStore>,
    /// To the task that takes ended runs in order.
    ended: mpsc::UnboundedSender<Ended>,
}

/// A run that ended, and what its notices are to be.
#[derive(Debug)]
struct Ended {
    job: Arc<Job>,
    record: ExecutionRecord,
    watch: Option<Watch>,
    recovery: bool,
    kind: Option<NoticeKind>,
}

#[derive(Debug)]
struct Watch {
    done: CancellationToken,
    deliveries: tokio::task::JoinHandle<Vec<Delivery>>,
}

impl Notifier {
    /// Must be called in a tokio runtime: the task that takes ended runs in order starts.
    pub fn new(
        defaults: Vec<Webhook>,
        records: RecordSender,
        outcomes: Arc<dyn Outcomes>,
        jobs: Arc<dyn JobStore>,
        clock: Arc<dyn Clock>,
    ) -> Notifier {
        let (ended, ended_rx) = mpsc::unbounded_channel();
        let parts = Parts {
            records,
            outcomes,
            jobs,
            ended,
        };
        let notifier = Notifier {
            inner: Arc::new(Inner {
                defaults,
                parts: Mutex::new(Some(parts.clone())),
                clock,
                tasks: TaskTracker::new(),
                stop: CancellationToken::new(),
                overdue: Mutex::new(HashMap::new()),
            }),
        };
        // The task holds no sender of `ended`: it ends once the notifier stops.
        notifier.inner.tasks.spawn(notifier.clone().sequence(
            ended_rx,
            parts.outcomes,
            parts.records,
        ));
        notifier
    }

    /// The webhooks of `job`: its own, else the defaults.
    fn hooks<'a>(&'a self, job: &'a Job) -> &'a [Webhook] {
        if job.notify.is_empty() {
            &self.inner.defaults
        } else {
            &job.notify
        }
    }

    /// Whether `job` has any webhook (its own, or the defaults).
    pub fn interested(&self, job: &Job) -> bool {
        !self.hooks(job).is_empty()
    }

    fn wants(&self, job: &Job, kind: NoticeKind) -> bool {
        self.hooks(job).iter().any(|h| h.wants(kind))
    }

    /// Starts watching the run `started` (status running) of `job`, starting at `now_ms`:
    /// should it still go on after the job's `expectedSeconds`, an `overdue` notice goes
    /// out. Nothing for a job without `expectedSeconds` or without a webhook that wants it.
    pub fn watch_overdue(&self, job: &Job, started: &ExecutionRecord, now_ms: i64) {
        if job.expected_seconds == 0 || !self.wants(job, NoticeKind::Overdue) {
            return;
        }
        let mut started = started.clone();
        started.start_time_ms = now_ms;
        let done = CancellationToken::new();
        let expected = Duration::from_secs(job.expected_seconds);
        let execution_id = started.execution_id.clone();
        let (me, job, run, ended) = (self.clone(), job.clone(), started, done.clone());
        let deliveries = tokio::spawn(async move {
            tokio::select! {
                () = ended.cancelled() => return Vec::new(),
                () = me.inner.stop.cancelled() => return Vec::new(),
                () = tokio::time::sleep(expected) => {}
            }
            let mut notice = Notice::new(NoticeKind::Overdue, &run, unix_ms(me.inner.clock.now()));
            notice.expected_seconds = Some(job.expected_seconds);
            me.deliver_all(&job, &notice).await
        });
        if let Ok(mut watches) = self.inner.overdue.lock() {
            watches.insert(execution_id, Watch { done, deliveries });
        }
    }

    /// An attempt that is to be tried again ended: its overdue watch stops, and what it
    /// delivered is not recorded (the attempt's record is spooled already).
    pub fn attempt_retried(&self, execution_id: &str) {
        let watch = self
            .inner
            .overdue
            .lock()
            .ok()
            .and_then(|mut w| w.remove(execution_id));
        if let Some(w) = watch {
            w.done.cancel();
        }
    }

    /// The run `record` of `job` ended (or was skipped, or lost) and its record is spooled:
    /// delivers the notices it calls for, then sends the record again with how their
    /// delivery went. Returns at once; the work goes on in a task of its own.
    pub fn ended(&self, job: Arc<Job>, record: ExecutionRecord) {
        let watch = self
            .inner
            .overdue
            .lock()
            .ok()
            .and_then(|mut w| w.remove(&record.execution_id));
        if let Some(w) = &watch {
            w.done.cancel();
        }
        let recovery = self.wants(&job, NoticeKind::Recovery) && counts(record.status);
        let kind = NoticeKind::of_status(record.status).filter(|k| self.wants(&job, *k));
        if watch.is_none() && !recovery && kind.is_none() {
            return;
        }
        if let Some(parts) = self.parts() {
            let _ = parts.ended.send(Ended {
                job,
                record,
                watch,
                recovery,
                kind,
            });
        }
    }

    /// Takes the ended runs in the order they were spooled: notes each one's outcome (in
    /// that order, so a recovery is told from the run before it, whatever the time their
    /// notices take), then delivers its notices in a task of its own.
    async fn sequence(
        self,
        mut ended: mpsc::UnboundedReceiver<Ended>,
        outcomes: Arc<dyn Outcomes>,
        records: RecordSender,
    ) {
        while let Some(e) = ended.recv().await {
            // Each worker of a broadcast job keeps its own outcome: its runs recover, or not,
            // apart from the others'.
            let key = if e.job.run_on == schedd_core::RunOn::All {
                format!("{}@{}", e.job.name, e.record.worker_id)
            } else {
                e.job.name.clone()
            };
            let before = if e.recovery {
                match outcomes
                    .swap(&key, &e.record.execution_id, e.record.status)
                    .await
                {
                    Ok(before) => before,
                    Err(err) => {
                        tracing::warn!(job = %e.job.name, error = %err, "could not tell whether this run is a recovery; no recovery notice");
                        None
                    }
                }
            } else {
                None
            };
            let recovered = match before {
                Some(previous @ (ExecutionStatus::Failed | ExecutionStatus::Timeout))
                    if e.record.status == ExecutionStatus::Success =>
                {
                    Some(previous)
                }
                _ => None,
            };
            let (me, records) = (self.clone(), records.clone());
            self.inner
                .tasks
                .spawn(async move { me.deliver_for(e, recovered, records).await });
        }
    }

    /// Delivers the notices of one ended run, then sends its record again with how they
    /// went.
    async fn deliver_for(
        &self,
        e: Ended,
        recovered: Option<ExecutionStatus>,
        records: RecordSender,
    ) {
        let Ended {
            job,
            record,
            watch,
            kind,
            ..
        } = e;
        let mut deliveries = match watch {
            Some(w) => w.deliveries.await.unwrap_or_default(),
            None => Vec::new(),
        };
        let now = unix_ms(self.inner.clock.now());
        if let Some(kind) = kind {
            deliveries.extend(
                self.deliver_all(&job, &Notice::new(kind, &record, now))
                    .await,
            );
        }
        if let Some(previous) = recovered {
            let mut notice = Notice::new(NoticeKind::Recovery, &record, now);
            notice.previous_status = Some(previous);
            deliveries.extend(self.deliver_all(&job, &notice).await);
        }
        if deliveries.is_empty() {
            return;
        }
        let mut told = record;
        told.notifications.extend(deliveries);
        if records.send(told).await.is_err() {
            tracing::warn!(job = %job.name, "log sink stopped; the deliveries of this run's notices are not recorded");
        }
    }

    /// The job of a departed worker's run (recorded `lost`, or a skip it owed), read from the
    /// store, when it has a webhook here that wants to hear of `record`: only then does
    /// this worker try to be the one that reports it.
    pub async fn wants_to_hear(&self, record: &ExecutionRecord) -> Option<Arc<Job>> {
        let parts = self.parts()?;
        let name = schedd_core::JobName::new(record.job_name.clone()).ok()?;
        let job = match parts.jobs.get(&name).await {
            Ok(job) => job?.value,
            Err(e) => {
                tracing::warn!(job = %record.job_name, error = %e, "the job of a lost run could not be read; its notices are not sent");
                return None;
            }
        };
        let kind = NoticeKind::of_status(record.status)?;
        self.wants(&job, kind).then(|| Arc::new(job))
    }

    fn parts(&self) -> Option<Parts> {
        self.inner.parts.lock().ok().and_then(|p| p.clone())
    }

    /// Delivers `notice` to every webhook of `job` that wants it.
    async fn deliver_all(&self, job: &Job, notice: &Notice) -> Vec<Delivery> {
        let body = match serde_json::to_string(notice) {
            Ok(body) => body,
            Err(e) => {
                tracing::error!(error = %e, "a notice could not be encoded");
                return Vec::new();
            }
        };
        let hooks: Vec<&Webhook> = self
            .hooks(job)
            .iter()
            .filter(|h| h.wants(notice.event))
            .collect();
        let mut out = Vec::with_capacity(hooks.len());
        for hook in hooks {
            out.push(self.deliver(hook, notice.event, &body).await);
        }
        out
    }

    /// One notice to one webhook: tried until a 2xx comes, [`MAX_ATTEMPTS`] times at most,
    /// the waits between doubling from [`RETRY_BACKOFF`].
    async fn deliver(&self, hook: &Webhook, kind: NoticeKind, body: &str) -> Delivery {
        let call = HttpCall {
            http: hook.request(body.to_owned()),
            timeout: Some(ATTEMPT_TIMEOUT),
            max_output_bytes: 1024,
            tap: None,
        };
        let url = hook.shown_url();
        let mut backoff = RETRY_BACKOFF;
        let mut delivery = Delivery {
            event: kind.as_str().to_owned(),
            url: url.clone(),
            ..Default::default()
        };
        for attempt in 1..=MAX_ATTEMPTS {
            let outcome = http_job::call(&call, self.inner.stop.child_token()).await;
            delivery.attempts = attempt;
            delivery.status = match outcome.termination {
                Termination::Responded(status) => status,
                _ => 0,
            };
            delivery.delivered =
                matches!(outcome.termination, Termination::Responded(_)) && outcome.error.is_none();
            delivery.error = outcome.error.unwrap_or_default();
            if delivery.delivered {
                break;
            }
            tracing::warn!(%url, event = kind.as_str(), attempt, error = %delivery.error, "a notice was not delivered");
            if attempt == MAX_ATTEMPTS {
                break;
            }
            tokio::select! {
                () = self.inner.stop.cancelled() => {
                    delivery.error = format!("{}; the worker stopped before trying again", delivery.error);
                    break;
                }
                () = tokio::time::sleep(backoff) => {}
            }
            backoff *= 2;
        }
        delivery.at_ms = unix_ms(self.inner.clock.now());
        delivery
    }

    /// Stops trying deliveries and waits (for at most `timeout`) for those going on to be
    /// recorded.
    pub async fn stop(&self, timeout: Duration) {
        // Without the sender of ended runs, the task that takes them ends once it has taken
        // those sent already.
        if let Ok(mut parts) = self.inner.parts.lock() {
            *parts = None;
        }
        self.inner.tasks.close();
        if tokio::time::timeout(timeout, self.inner.tasks.wait())
            .await
            .is_err()
        {
            self.inner.stop.cancel();
            self.inner.tasks.wait().await;
        }
        self.inner.stop.cancel();
    }
}

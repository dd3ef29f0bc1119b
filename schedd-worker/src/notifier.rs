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
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::executor::Termination;
use crate::http_job::{self, HttpCall};
use crate::record_queue::RecordSender;

/// How each job's last run ended, for recoveries.
#[async_trait::async_trait]
pub trait Outcomes: Send + Sync + std::fmt::Debug {
    /// Notes that the run `execution_id` of `job` ended with `status`; returns how the run
    /// noted before it ended, if any is known.
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
                    job_name: Some(job.to_owned()),
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
}

#[derive(Debug)]
struct Watch {
    done: CancellationToken,
    deliveries: tokio::task::JoinHandle<Vec<Delivery>>,
}

impl Notifier {
    pub fn new(
        defaults: Vec<Webhook>,
        records: RecordSender,
        outcomes: Arc<dyn Outcomes>,
        jobs: Arc<dyn JobStore>,
        clock: Arc<dyn Clock>,
    ) -> Notifier {
        Notifier {
            inner: Arc::new(Inner {
                defaults,
                parts: Mutex::new(Some(Parts {
                    records,
                    outcomes,
                    jobs,
                })),
                clock,
                tasks: TaskTracker::new(),
                stop: CancellationToken::new(),
                overdue: Mutex::new(HashMap::new()),
            }),
        }
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
        let Some(parts) = self.parts() else {
            return;
        };
        let me = self.clone();
        self.inner.tasks.spawn(async move {
            let mut deliveries = match watch {
                Some(w) => w.deliveries.await.unwrap_or_default(),
                None => Vec::new(),
            };
            let now = unix_ms(me.inner.clock.now());
            if let Some(kind) = kind {
                deliveries.extend(me.deliver_all(&job, &Notice::new(kind, &record, now)).await);
            }
            if recovery {
                let before = parts
                    .outcomes
                    .swap(&job.name, &record.execution_id, record.status)
                    .await;
                match before {
                    Ok(Some(previous @ (ExecutionStatus::Failed | ExecutionStatus::Timeout)))
                        if record.status == ExecutionStatus::Success =>
                    {
                        let mut notice = Notice::new(NoticeKind::Recovery, &record, now);
                        notice.previous_status = Some(previous);
                        deliveries.extend(me.deliver_all(&job, &notice).await);
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(job = %job.name, error = %e, "could not tell whether this run is a recovery; no recovery notice"),
                }
            }
            if deliveries.is_empty() {
                return;
            }
            let mut told = record;
            told.notifications.extend(deliveries);
            if parts.records.send(told).await.is_err() {
                tracing::warn!(job = %job.name, "log sink stopped; the deliveries of this run's notices are not recorded");
            }
        });
    }

    /// A departed worker's run, recorded `lost` (or a skip it owed) by this worker, which
    /// won the right to send its notices: they go out as for a run of this worker's, once
    /// the job is read.
    pub async fn left(&self, record: ExecutionRecord) {
        let Some(parts) = self.parts() else {
            return;
        };
        let name = match schedd_core::JobName::new(record.job_name.clone()) {
            Ok(name) => name,
            Err(_) => return,
        };
        match parts.jobs.get(&name).await {
            Ok(Some(job)) => self.ended(Arc::new(job.value), record),
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(job = %record.job_name, error = %e, "the job of a lost run could not be read; its notices are not sent")
            }
        }
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
        let url = schedd_core::http::redact_url(&hook.url);
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
        self.inner.tasks.close();
        if tokio::time::timeout(timeout, self.inner.tasks.wait())
            .await
            .is_err()
        {
            self.inner.stop.cancel();
            self.inner.tasks.wait().await;
        }
        self.inner.stop.cancel();
        if let Ok(mut parts) = self.inner.parts.lock() {
            *parts = None;
        }
    }
}

//! Job management: save, delete, list, get, enable, disable, kill, run now, next fire times.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use schedd_core::audit::{Actor, AuditAction};
use schedd_core::schedule::parse_timezone;
use schedd_core::store::{Coordinator, Expect, JobStore, StoreError, Versioned, WorkerCommand};
use schedd_core::{Clock, Job, JobName, Schedule};

use super::audit::Audit;
use super::error::{Backend, Result, ServiceError, StoreResultExt};

/// Most fire times `next` returns.
pub const MAX_NEXT: u32 = 100;
/// Tries of a read-modify-write before giving up on a job that keeps changing.
const RMW_TRIES: usize = 16;

/// A job just saved, and the one it replaced.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    pub job: Versioned<Job>,
    pub previous: Option<Versioned<Job>>,
}

/// When a schedule fires next, the zone it is read in, and the schedule in words.
#[derive(Debug, Clone, PartialEq)]
pub struct FireTimes {
    pub times: Vec<DateTime<Utc>>,
    pub timezone: Tz,
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct Jobs {
    store: Arc<dyn JobStore>,
    coordinator: Arc<dyn Coordinator>,
    clock: Arc<dyn Clock>,
    default_tz: Tz,
    audit: Audit,
}

/// `job` as `actor` may see it: whole for an admin, who may save jobs (and so could set
/// their secrets anyway), with an HTTP job's secrets hidden for anyone else.
pub fn as_seen_by(actor: &Actor, job: Job) -> Job {
    if actor.role == crate::auth::Role::Admin.name() {
        job
    } else {
        job.redacted()
    }
}

/// A job whose `disabled` was set: as it was and as it is (the same when it was set already).
#[derive(Debug, Clone, PartialEq)]
pub struct Toggled {
    pub before: Versioned<Job>,
    pub after: Versioned<Job>,
}

impl Jobs {
    pub fn new(
        store: Arc<dyn JobStore>,
        coordinator: Arc<dyn Coordinator>,
        clock: Arc<dyn Clock>,
        default_tz: Tz,
        audit: Audit,
    ) -> Jobs {
        Jobs {
            store,
            coordinator,
            clock,
            default_tz,
            audit,
        }
    }

    pub fn default_tz(&self) -> Tz {
        self.default_tz
    }

    async fn existing(&self, name: &JobName) -> Result<Versioned<Job>> {
        self.store
            .get(name)
            .await
            .on(Backend::Jobs)?
            .ok_or_else(|| ServiceError::JobNotFound(name.to_string()))
    }

    /// Creates or replaces a job. With `expected_revision`, only if the stored job is at that
    /// revision (0: only if there is none). The job's zone defaults to the cluster's and is
    /// stamped on it, so every worker evaluates it the same way. Recorded in the audit trail
    /// (a job that is not valid is refused before: it changes nothing).
    pub async fn save(
        &self,
        actor: &Actor,
        mut job: Job,
        expected_revision: Option<i64>,
    ) -> Result<Saved> {
        if job.timezone.is_empty() {
            job.timezone = self.default_tz.name().to_owned();
        }
        job.validate(self.default_tz)?;
        let name = job.job_name()?;
        self.check_dependents(&job).await?;
        let asked = job.clone();
        self.audit
            .change(
                actor,
                AuditAction::Save,
                name.as_str(),
                |e| e.after = Some(asked),
                self.store_job(&name, job, expected_revision),
                |e, saved: &Saved| {
                    e.before = saved.previous.as_ref().map(|p| p.value.clone());
                    e.after = Some(saved.job.value.clone());
                },
            )
            .await
    }

    /// The jobs `job` names in `onSuccess` and `onFailure` exist, and none leads back to it.
    /// Only a job that names others can close a cycle, so only then are the jobs read. Two
    /// saves racing each other into a cycle are not caught here: the chain such a cycle
    /// starts is cut at [`schedd_core::dependency::MAX_CHAIN_DEPTH`] runs.
    async fn check_dependents(&self, job: &Job) -> Result<()> {
        if job.all_dependents().next().is_none() {
            return Ok(());
        }
        let (jobs, _) = self.store.list().await.on(Backend::Jobs)?;
        let stored = jobs
            .into_iter()
            .map(|v| (v.value.name.clone(), v.value))
            .collect();
        schedd_core::dependency::check_save(job, &stored)
            .map_err(|e| ServiceError::Invalid(e.to_string()))
    }

    async fn store_job(
        &self,
        name: &JobName,
        job: Job,
        expected_revision: Option<i64>,
    ) -> Result<Saved> {
        let name = name.clone();
        for _ in 0..RMW_TRIES {
            let previous = self.store.get(&name).await.on(Backend::Jobs)?;
            let expect = match (expected_revision, &previous) {
                (Some(0), _) => Expect::Absent,
                (Some(r), _) => Expect::Revision(r),
                (None, Some(p)) => Expect::Revision(p.revision),
                (None, None) => Expect::Absent,
            };
            let now = self.clock.now().timestamp();
            let mut next = job.clone();
            next.created_at = previous.as_ref().map_or(now, |p| p.value.created_at);
            next.updated_at = now;
            if let Some(p) = &previous {
                // Fields another version wrote survive a save from this one.
                for (k, v) in &p.value.extra {
                    next.extra.entry(k.clone()).or_insert_with(|| v.clone());
                }
            }
            match self.store.put(&next, expect).await {
                Ok(out) => {
                    return Ok(Saved {
                        job: Versioned {
                            value: next,
                            revision: out.revision,
                        },
                        previous: out.previous,
                    });
                }
                Err(StoreError::Conflict { .. }) if expected_revision.is_none() => continue,
                Err(StoreError::Conflict { found, .. }) if expected_revision == Some(0) => {
                    return Err(ServiceError::Conflict(format!(
                        "job `{name}` already exists (revision {found})"
                    )));
                }
                Err(e) => return Err(ServiceError::store(Backend::Jobs, e)),
            }
        }
        Err(ServiceError::Conflict(format!(
            "job `{name}` keeps changing; try again"
        )))
    }

    /// Deletes the job; recorded in the audit trail.
    pub async fn delete(&self, actor: &Actor, name: &str) -> Result<Versioned<Job>> {
        let name = JobName::new(name)?;
        self.audit
            .change(
                actor,
                AuditAction::Delete,
                name.as_str(),
                |_| {},
                async { self.store.delete(&name).await.on(Backend::Jobs) },
                |e, deleted: &Versioned<Job>| e.before = Some(deleted.value.clone()),
            )
            .await
    }

    /// The job as `actor` may see it (see [`as_seen_by`]).
    pub async fn get(&self, actor: &Actor, name: &str) -> Result<Versioned<Job>> {
        let mut job = self.existing(&JobName::new(name)?).await?;
        job.value = as_seen_by(actor, job.value);
        Ok(job)
    }

    /// Jobs whose name, command or description contains `keyword` (any case), by name, as
    /// `actor` may see them (see [`as_seen_by`]).
    pub async fn list(&self, actor: &Actor, keyword: &str) -> Result<Vec<Versioned<Job>>> {
        let (jobs, _) = self.store.list().await.on(Backend::Jobs)?;
        let keyword = keyword.trim().to_lowercase();
        Ok(jobs
            .into_iter()
            .filter(|v| {
                let j = &v.value;
                // An HTTP job is found by its method and URL, secrets hidden as shown.
                keyword.is_empty()
                    || [&j.name, &j.what(), &j.description]
                        .iter()
                        .any(|f| f.to_lowercase().contains(&keyword))
            })
            .map(|mut v| {
                v.value = as_seen_by(actor, v.value);
                v
            })
            .collect())
    }

    /// Sets `disabled`, keeping everything else: a concurrent save is never overwritten.
    /// Recorded in the audit trail.
    pub async fn set_disabled(&self, actor: &Actor, name: &str, disabled: bool) -> Result<Toggled> {
        let name = JobName::new(name)?;
        let action = if disabled {
            AuditAction::Disable
        } else {
            AuditAction::Enable
        };
        self.audit
            .change(
                actor,
                action,
                name.as_str(),
                |_| {},
                self.toggle(&name, disabled),
                |e, t: &Toggled| {
                    e.before = Some(t.before.value.clone());
                    e.after = Some(t.after.value.clone());
                    if t.before.revision == t.after.revision {
                        e.detail = format!("already {action}d");
                    }
                },
            )
            .await
            // An operator may toggle a job but not read its secrets back.
            .map(|mut t| {
                t.before.value = as_seen_by(actor, t.before.value);
                t.after.value = as_seen_by(actor, t.after.value);
                t
            })
    }

    async fn toggle(&self, name: &JobName, disabled: bool) -> Result<Toggled> {
        for _ in 0..RMW_TRIES {
            let current = self.existing(name).await?;
            if current.value.disabled == disabled {
                return Ok(Toggled {
                    before: current.clone(),
                    after: current,
                });
            }
            let before = current.clone();
            let mut job = current.value;
            job.disabled = disabled;
            job.updated_at = self.clock.now().timestamp();
            match self
                .store
                .put(&job, Expect::Revision(current.revision))
                .await
            {
                Ok(out) => {
                    return Ok(Toggled {
                        before,
                        after: Versioned {
                            value: job,
                            revision: out.revision,
                        },
                    });
                }
                Err(StoreError::Conflict { .. }) => continue,
                Err(e) => return Err(ServiceError::store(Backend::Jobs, e)),
            }
        }
        Err(ServiceError::Conflict(format!(
            "job `{name}` keeps changing; try again"
        )))
    }

    /// Kills every running execution of the job, wherever it runs. Recorded in the audit
    /// trail.
    pub async fn kill(&self, actor: &Actor, name: &str) -> Result<()> {
        let name = JobName::new(name)?;
        let kill = async {
            self.existing(&name).await?;
            self.coordinator
                .send(WorkerCommand::Kill {
                    job: name.to_string(),
                })
                .await
                .on(Backend::Coordinator)
        };
        self.audit
            .change(
                actor,
                AuditAction::Kill,
                name.as_str(),
                |_| {},
                kill,
                |_, _| {},
            )
            .await
    }

    /// Starts a run now, whatever the schedule; returns the execution id its record will have.
    /// Recorded in the audit trail, with the execution id.
    pub async fn run_now(&self, actor: &Actor, name: &str) -> Result<String> {
        let name = JobName::new(name)?;
        let execution_id = schedd_core::new_execution_id();
        let run = async {
            self.existing(&name).await?;
            self.coordinator
                .send(WorkerCommand::RunNow {
                    job: name.to_string(),
                    execution_id: execution_id.clone(),
                    parent: None,
                })
                .await
                .on(Backend::Coordinator)?;
            Ok(execution_id.clone())
        };
        self.audit
            .change(
                actor,
                AuditAction::Run,
                name.as_str(),
                |e| e.detail = format!("execution {execution_id}"),
                run,
                |_, _| {},
            )
            .await
    }

    /// The next `count` fire times of a stored job, or of an expression when `name` is empty
    /// (checked as a save would check it: this is how clients explain an expression).
    pub async fn next_fire_times(
        &self,
        name: &str,
        cron_expr: &str,
        timezone: &str,
        count: u32,
    ) -> Result<FireTimes> {
        if count > MAX_NEXT {
            return Err(ServiceError::Invalid(format!(
                "count: must be at most {MAX_NEXT}, got {count}"
            )));
        }
        let count = if count == 0 { 5 } else { count };
        let schedule = if name.is_empty() {
            if cron_expr.trim().is_empty() {
                return Err(ServiceError::Invalid(
                    "give a job name or a cron expression".into(),
                ));
            }
            let tz = if timezone.is_empty() {
                self.default_tz
            } else {
                parse_timezone(timezone)
                    .map_err(|e| ServiceError::Invalid(format!("timezone: {e}")))?
            };
            Schedule::parse(cron_expr, tz)
                .map_err(|e| ServiceError::Invalid(format!("cronExpr: {e}")))?
        } else {
            self.existing(&JobName::new(name)?)
                .await?
                .value
                .schedule(self.default_tz)?
        };
        Ok(FireTimes {
            times: schedule.upcoming(self.clock.now(), count as usize),
            timezone: schedule.timezone(),
            description: schedd_core::describe::describe(schedule.expr(), schedule.timezone()),
        })
    }
}

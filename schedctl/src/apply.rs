//! `schedctl apply -f FILE|DIR|-`: make the master's jobs match job files.
//!
//! The files are read and checked whole first ([`crate::jobfile`]), so a bad file changes
//! nothing. Then the master's jobs are listed once and each job of the files is compared with
//! the stored one (ignoring the server's timestamps and revision; a job that names no zone
//! means the cluster's default, which the master reports through `GetInfo`). Only jobs that
//! differ are saved, each with `expected_revision` (0 to create, the listed revision to
//! update): when someone else changed a job after the listing, the save fails with a conflict
//! (exit 4) instead of overwriting their change. `--prune` then deletes the master's jobs that
//! no file names. The jobs are applied one by one, not in a transaction: after a failure the
//! lines printed say what was already done, and running `apply` again finishes the work.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use anyhow::{Context, anyhow, bail};
use clap::Args;
use schedd_core::Job;
use schedd_proto::v1 as pb;
use serde::Serialize;

use crate::Ctx;
use crate::client::ClientError;
use crate::jobfile;
use crate::printer::Render;

/// Create or update jobs from files, and print what changed.
///
/// FILE is YAML (several jobs separated by `---`) or JSON (an object or an array); a directory
/// means its .yaml, .yml and .json files; `-` reads stdin. Field names are those of
/// `schedctl -o json job get` (`name`, `command`, `cronExpr`, `timeout` in seconds, ...).
/// A job whose stored copy changed since it was read fails with a conflict (exit 4).
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  schedctl apply -f jobs/\n  schedctl apply -f jobs/ --prune --dry-run\n  schedctl job export | schedctl apply -f -"
)]
pub struct Apply {
    /// A job file, a directory of them, or `-` for stdin; repeat for more.
    #[arg(short = 'f', long = "file", value_name = "FILE|DIR|-", required = true)]
    pub files: Vec<PathBuf>,

    /// Also delete the jobs on the master that no file names.
    #[arg(long)]
    pub prune: bool,

    /// Print what would change, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// What `apply` did (or, with --dry-run, would do) to one job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Created,
    Configured,
    Unchanged,
    Deleted,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Configured => "configured",
            Action::Unchanged => "unchanged",
            Action::Deleted => "deleted",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    pub name: String,
    pub action: Action,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub dry_run: bool,
}

/// One line per job in table mode; `[{"name": .., "action": ..}]` in JSON.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct ApplyReport(pub Vec<Outcome>);

impl Render for ApplyReport {
    fn table(&self) -> String {
        self.0
            .iter()
            .map(|o| {
                let dry = if o.dry_run { " (dry run)" } else { "" };
                format!("job {:?} {}{dry}", o.name, o.action.as_str())
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn note(&self) -> Option<String> {
        self.0.is_empty().then(|| "no jobs in the files".to_owned())
    }
}

/// A job as the master stores it.
#[derive(Debug, Clone)]
pub struct Stored {
    pub job: Job,
    pub revision: i64,
}

/// The master's jobs, listed once, and the zone it stamps on jobs that name none.
#[derive(Debug, Clone, Default)]
pub struct Server {
    pub jobs: BTreeMap<String, Stored>,
    /// `None` for a master too old to say; a job naming no zone then matches any zone.
    pub default_tz: Option<String>,
}

impl Server {
    pub async fn fetch(ctx: &Ctx) -> anyhow::Result<Server> {
        let info = ctx
            .client
            .call(ctx.client.info().get_info(pb::GetInfoRequest {}))
            .await;
        let default_tz = match info {
            Ok(info) => Some(info.default_timezone).filter(|tz| !tz.is_empty()),
            Err(ClientError::Rpc {
                code: tonic::Code::Unimplemented,
                ..
            }) => None,
            Err(e) => return Err(e.into()),
        };
        let reply = ctx
            .client
            .call(ctx.client.jobs().list_jobs(pb::ListJobsRequest::default()))
            .await?;
        let mut jobs = BTreeMap::new();
        for p in reply.jobs {
            let revision = p.revision;
            let job = schedd_proto::job_from_pb(p)
                .map_err(|e| anyhow!("the master sent an invalid job: {e}"))?;
            jobs.insert(job.name.clone(), Stored { job, revision });
        }
        Ok(Server { jobs, default_tz })
    }

    /// `file` and `stored` in the form they are compared in (see [`jobfile::comparable`]).
    pub fn comparable_pair(&self, file: &Job, stored: &Job) -> (Job, Job) {
        let tz = self.default_tz.as_deref();
        (
            jobfile::comparable(file, tz, &stored.timezone),
            jobfile::comparable(stored, tz, ""),
        )
    }

    /// What applying `file` does.
    pub fn action_for(&self, file: &Job) -> Action {
        match self.jobs.get(&file.name) {
            None => Action::Created,
            Some(stored) => {
                let (a, b) = self.comparable_pair(file, &stored.job);
                if a == b {
                    Action::Unchanged
                } else {
                    Action::Configured
                }
            }
        }
    }

    /// The stored jobs no file names, by name.
    pub fn missing_from<'a>(&'a self, files: &[jobfile::JobSource]) -> Vec<&'a Stored> {
        let named: HashSet<&str> = files.iter().map(|s| s.job.name.as_str()).collect();
        self.jobs
            .values()
            .filter(|s| !named.contains(s.job.name.as_str()))
            .collect()
    }
}

impl Apply {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let sources = jobfile::read(&self.files)?;
        if self.prune && sources.is_empty() {
            bail!(
                "the files hold no jobs; refusing to --prune, which would delete every job on the master"
            );
        }
        let server = Server::fetch(ctx).await?;
        let mut report = Vec::new();
        let result = self.apply_all(ctx, &server, &sources, &mut report).await;
        // Print what was done even when a later job failed, so the user knows where it stopped.
        if result.is_ok() || !report.is_empty() {
            ctx.printer.print(&ApplyReport(report))?;
        }
        result
    }

    async fn apply_all(
        &self,
        ctx: &Ctx,
        server: &Server,
        sources: &[jobfile::JobSource],
        report: &mut Vec<Outcome>,
    ) -> anyhow::Result<()> {
        let outcome = |name: &str, action| Outcome {
            name: name.to_owned(),
            action,
            dry_run: self.dry_run && action != Action::Unchanged,
        };
        for source in sources {
            let job = &source.job;
            let action = server.action_for(job);
            if action != Action::Unchanged && !self.dry_run {
                let expected = server.jobs.get(&job.name).map_or(0, |s| s.revision);
                let request = pb::SaveJobRequest {
                    // The revision is the server's to set; 0 here is ignored.
                    job: Some(schedd_proto::job_to_pb(job, 0)),
                    expected_revision: Some(expected),
                };
                ctx.client
                    .call(ctx.client.jobs().save_job(request))
                    .await
                    .with_context(|| format!("saving job {:?} from {}", job.name, source.origin))?;
            }
            report.push(outcome(&job.name, action));
        }
        if self.prune {
            for stored in server.missing_from(sources) {
                let name = &stored.job.name;
                if !self.dry_run {
                    let request = pb::DeleteJobRequest { name: name.clone() };
                    match ctx.client.call(ctx.client.jobs().delete_job(request)).await {
                        // Someone else deleted it first: the outcome is the one asked for.
                        Ok(_)
                        | Err(ClientError::Rpc {
                            code: tonic::Code::NotFound,
                            ..
                        }) => {}
                        Err(e) => {
                            return Err(e).with_context(|| format!("deleting job {name:?}"));
                        }
                    }
                }
                report.push(outcome(name, Action::Deleted));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(job: Job, revision: i64) -> (String, Stored) {
        (job.name.clone(), Stored { job, revision })
    }

    #[test]
    fn actions_ignore_server_fields_and_the_stamped_zone() {
        let mut on_server = Job::new("a", "@daily", "x");
        on_server.timezone = "UTC".into();
        on_server.created_at = 1;
        on_server.updated_at = 2;
        let server = Server {
            jobs: [stored(on_server, 3)].into_iter().collect(),
            default_tz: Some("UTC".into()),
        };
        assert_eq!(
            server.action_for(&Job::new("a", "@daily", "x")),
            Action::Unchanged
        );
        assert_eq!(
            server.action_for(&Job::new("a", "@hourly", "x")),
            Action::Configured
        );
        let mut berlin = Job::new("a", "@daily", "x");
        berlin.timezone = "Europe/Berlin".into();
        assert_eq!(server.action_for(&berlin), Action::Configured);
        assert_eq!(
            server.action_for(&Job::new("b", "@daily", "x")),
            Action::Created
        );
    }

    #[test]
    fn report_lines_and_json() {
        let report = ApplyReport(vec![
            Outcome {
                name: "a".into(),
                action: Action::Created,
                dry_run: false,
            },
            Outcome {
                name: "b".into(),
                action: Action::Deleted,
                dry_run: true,
            },
        ]);
        assert_eq!(
            report.table(),
            "job \"a\" created\njob \"b\" deleted (dry run)"
        );
        let json = serde_json::to_value(&report).expect("json");
        assert_eq!(
            json,
            serde_json::json!([
                {"name": "a", "action": "created"},
                {"name": "b", "action": "deleted", "dryRun": true},
            ])
        );
    }
}

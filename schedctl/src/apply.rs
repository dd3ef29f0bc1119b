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
//!
//! The master refuses a job whose `onSuccess`/`onFailure` names a job it does not have, or that
//! would close a cycle, so the jobs are saved in dependency order ([`save_order`]): each after
//! the jobs of the files it leads to, the others in the order of the files. The jobs as they
//! will be (the files' over the master's; with `--prune` the files' alone) are checked first
//! with the master's own rules (`schedd_core::dependency::check_save`), so a missing job or a
//! cycle is reported, in the master's words, before anything is sent.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use anyhow::{Context, anyhow, bail};
use clap::Args;
use schedd_core::Job;
use schedd_core::dependency::DependencyError;
use schedd_proto::v1 as pb;
use serde::Serialize;

use crate::Ctx;
use crate::client::ClientError;
use crate::jobfile;
use crate::printer::Render;

/// Create or update jobs from files and print what changed.
///
/// FILE is YAML (several jobs separated by `---`) or JSON (an object or an array); a directory
/// means its .yaml, .yml and .json files; `-` reads stdin. Field names are those of
/// `schedctl -o json job get` (`name`, `command`, `cronExpr`, `timeout` in seconds, ...).
/// A job whose stored copy changed since it was read fails with a conflict (exit 4). Jobs are
/// saved in the order of the files, except that a job comes after the jobs its onSuccess and
/// onFailure lead to, which the master requires to exist.
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
    pub fn missing_from<'a, 'f>(
        &'a self,
        files: impl IntoIterator<Item = &'f jobfile::JobSource>,
    ) -> Vec<&'a Stored> {
        let named: HashSet<&str> = files.into_iter().map(|s| s.job.name.as_str()).collect();
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
        let sources = save_order(&sources, &server, self.prune)?;
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
        sources: &[&jobfile::JobSource],
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
            for stored in server.missing_from(sources.iter().copied()) {
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

/// The jobs of the files in the order to save them: each after every job of the files that
/// its `onSuccess`/`onFailure` lead to, directly or through jobs of the master, so that the
/// master has each job a saved job names, in its new version; the others keep the files'
/// order (a job's dependencies are pulled forward to just before it, in the order it names
/// them).
///
/// First every job of the files that names others is checked as the master checks a save
/// (`check_save`), against the jobs as they will be after the apply: the files' over the
/// master's, or with `prune` the files' alone (the others are deleted). A job naming one that
/// will not exist, or a cycle through the files' jobs, is an error naming the file, the job,
/// and the missing job or the cycle in the master's words (`a → b → a`, from the first job of
/// the files on it); nothing is sent then.
///
/// Saving in this order, every save the master checks is acyclic and complete: whatever a
/// saved job leads to is either a job of the files already saved or a job of the master that
/// the apply leaves as it is. Cycles among the master's own jobs, which two racing saves can
/// make, are not the files' to report and do not stop the ordering.
pub fn save_order<'a>(
    sources: &'a [jobfile::JobSource],
    server: &Server,
    prune: bool,
) -> anyhow::Result<Vec<&'a jobfile::JobSource>> {
    // Without dependencies among the files' jobs there is nothing to check or reorder (a job
    // naming none closes no cycle), and no need to copy the master's jobs.
    if sources
        .iter()
        .all(|s| s.job.all_dependents().next().is_none())
    {
        return Ok(sources.iter().collect());
    }
    let mut after: HashMap<String, Job> = if prune {
        HashMap::new()
    } else {
        server
            .jobs
            .iter()
            .map(|(name, stored)| (name.clone(), stored.job.clone()))
            .collect()
    };
    after.extend(sources.iter().map(|s| (s.job.name.clone(), s.job.clone())));
    for source in sources {
        let job = &source.job;
        if job.all_dependents().next().is_none() {
            continue;
        }
        if let Err(e) = schedd_core::dependency::check_save(job, &after) {
            let hint = match &e {
                DependencyError::Missing { name, .. }
                    if prune && server.jobs.contains_key(name) =>
                {
                    " (it is on the master, but no file names it, and --prune deletes it)"
                }
                _ => "",
            };
            bail!("{}: job {:?}: {e}{hint}", source.origin, job.name);
        }
    }

    let position: HashMap<&str, usize> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.job.name.as_str(), i))
        .collect();
    let next = |name: &str| -> Vec<&str> {
        after
            .get(name)
            .map(|j| j.all_dependents().collect())
            .unwrap_or_default()
    };
    let mut order = Vec::with_capacity(sources.len());
    // Depth-first, post-order: a job is placed once everything it leads to is. A job met
    // again (a diamond, or a cycle among the master's jobs) is not followed twice.
    let mut seen: HashSet<&str> = HashSet::new();
    for source in sources {
        let root = source.job.name.as_str();
        if !seen.insert(root) {
            continue;
        }
        let mut stack = vec![(root, next(root).into_iter())];
        while let Some((_, children)) = stack.last_mut() {
            match children.next() {
                Some(child) => {
                    if seen.insert(child) {
                        stack.push((child, next(child).into_iter()));
                    }
                }
                None => {
                    let (done, _) = stack.pop().expect("the loop holds an entry");
                    if let Some(&i) = position.get(done) {
                        order.push(&sources[i]);
                    }
                }
            }
        }
    }
    Ok(order)
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

    fn chained(name: &str, on_success: &[&str], on_failure: &[&str]) -> Job {
        let mut job = Job::new(name, "@daily", "x");
        job.on_success = on_success.iter().map(|n| (*n).to_owned()).collect();
        job.on_failure = on_failure.iter().map(|n| (*n).to_owned()).collect();
        job
    }

    fn files(jobs: &[Job]) -> Vec<jobfile::JobSource> {
        jobs.iter()
            .map(|job| jobfile::JobSource {
                origin: format!("{}.yaml", job.name),
                job: job.clone(),
            })
            .collect()
    }

    fn server_of(jobs: &[Job]) -> Server {
        Server {
            jobs: jobs.iter().map(|j| stored(j.clone(), 1)).collect(),
            default_tz: Some("UTC".into()),
        }
    }

    fn order<'a>(files: &'a [jobfile::JobSource], server: &Server, prune: bool) -> Vec<&'a str> {
        save_order(files, server, prune)
            .expect("an order")
            .into_iter()
            .map(|s| s.job.name.as_str())
            .collect()
    }

    fn refusal(files: &[jobfile::JobSource], server: &Server, prune: bool) -> String {
        save_order(files, server, prune)
            .expect_err("refused")
            .to_string()
    }

    #[test]
    fn a_job_is_saved_after_the_jobs_it_names_and_the_rest_keeps_the_files_order() {
        let none = Server::default();
        // No dependencies: the files' order.
        let plain = files(&[chained("c", &[], &[]), chained("a", &[], &[])]);
        assert_eq!(order(&plain, &none, false), ["c", "a"]);
        // `a` first in the file names `b`: `b` moves to just before it.
        let f = files(&[
            chained("a", &["b"], &[]),
            chained("x", &[], &[]),
            chained("b", &[], &[]),
        ]);
        assert_eq!(order(&f, &none, false), ["b", "a", "x"]);
        // A chain written backwards, and both fields.
        let f = files(&[
            chained("a", &["b"], &[]),
            chained("b", &[], &["c"]),
            chained("c", &[], &[]),
        ]);
        assert_eq!(order(&f, &none, false), ["c", "b", "a"]);
        // A diamond: `d` once, before both its parents; dependencies in the order named.
        let f = files(&[
            chained("a", &["c", "b"], &[]),
            chained("b", &["d"], &[]),
            chained("c", &[], &["d"]),
            chained("d", &[], &[]),
        ]);
        assert_eq!(order(&f, &none, false), ["d", "c", "b", "a"]);
        // Already in order: unchanged.
        let f = files(&[chained("b", &[], &[]), chained("a", &["b"], &["b"])]);
        assert_eq!(order(&f, &none, false), ["b", "a"]);
    }

    #[test]
    fn the_order_follows_dependencies_through_the_master_s_jobs() {
        // `a` names `s`, a job only the master has, which names `b` of the files: `b`'s new
        // version must be saved before `a`.
        let server = server_of(&[chained("s", &["b"], &[]), chained("b", &[], &[])]);
        let f = files(&[chained("a", &["s"], &[]), chained("b", &[], &[])]);
        assert_eq!(order(&f, &server, false), ["b", "a"]);
        // The master's version of a job of the files does not count: `b` no longer names
        // `a` in the file, so saving `b` first is what lets `a` name it.
        let server = server_of(&[chained("a", &[], &[]), chained("b", &["a"], &[])]);
        let f = files(&[chained("a", &["b"], &[]), chained("b", &[], &[])]);
        assert_eq!(order(&f, &server, false), ["b", "a"]);
    }

    #[test]
    fn a_cycle_among_the_files_is_named_like_the_master_does() {
        let f = files(&[
            chained("x", &[], &[]),
            chained("a", &["b"], &[]),
            chained("b", &[], &["c"]),
            chained("c", &["a"], &[]),
        ]);
        assert_eq!(
            refusal(&f, &Server::default(), false),
            "a.yaml: job \"a\": onSuccess/onFailure would make a cycle: a → b → c → a"
        );
        // Through a job of the master.
        let server = server_of(&[chained("s", &["a"], &[])]);
        let f = files(&[chained("a", &[], &["s"])]);
        assert_eq!(
            refusal(&f, &server, false),
            "a.yaml: job \"a\": onSuccess/onFailure would make a cycle: a → s → a"
        );
    }

    #[test]
    fn a_job_naming_one_that_will_not_exist_is_refused_before_anything_is_sent() {
        let f = files(&[chained("a", &[], &["nope"])]);
        assert_eq!(
            refusal(&f, &Server::default(), false),
            "a.yaml: job \"a\": onFailure: there is no job named `nope`"
        );
        // A job of the master will exist, unless --prune deletes it.
        let server = server_of(&[chained("s", &[], &[])]);
        let f = files(&[chained("a", &["s"], &[])]);
        assert_eq!(order(&f, &server, false), ["a"]);
        assert_eq!(
            refusal(&f, &server, true),
            "a.yaml: job \"a\": onSuccess: there is no job named `s` \
             (it is on the master, but no file names it, and --prune deletes it)"
        );
    }

    #[test]
    fn a_cycle_among_the_master_s_own_jobs_does_not_stop_the_order() {
        let server = server_of(&[chained("s", &["t"], &[]), chained("t", &["s"], &[])]);
        let f = files(&[chained("a", &["s"], &[]), chained("b", &[], &[])]);
        assert_eq!(order(&f, &server, false), ["a", "b"]);
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

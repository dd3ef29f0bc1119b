//! `schedctl diff -f FILE|DIR|-`: what `apply` would change, field by field.
//!
//! For each job of the files that differs from the master's copy, a unified-style block:
//!
//! ```text
//! --- server/backup
//! +++ file/backup
//! -  cronExpr: "0 0 3 * * *"
//! +  cronExpr: "0 30 2 * * *"
//! ```
//!
//! Only the fields that differ are shown, values as JSON; a job the master does not have
//! shows all its fields as `+`, and with `--prune` a job the files do not name shows all of
//! the master's as `-`. Jobs are compared as `apply` compares them ([`crate::apply::Server`]).
//!
//! Exit codes follow `kubectl diff` (and `diff(1)`): **0** no differences, **1** differences
//! were found, and the usual codes of [`crate::exit_codes`] for errors, which means 1 is also
//! the generic error code; an error, unlike differences, prints a `schedctl:` line on stderr.
//! `run` returns `anyhow::Result` and `exit_codes` maps only errors, so "differences" is not
//! an error: after printing the diff and flushing stdout, `run` ends the process with
//! `std::process::exit(1)` itself (nothing is left to clean up at that point).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use schedd_core::Job;
use serde_json::Value;

use crate::Ctx;
use crate::apply::Server;
use crate::jobfile;

/// Show how job files differ from the jobs on the master; exit 1 when they differ.
///
/// Takes the same files as `apply`. Exit status: 0 no differences, 1 differences (or an
/// error, which also prints a message on stderr), 3-5 as for every command.
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  schedctl diff -f jobs/ && echo up to date")]
pub struct Diff {
    /// A job file, a directory of them, or `-` for stdin; repeat for more.
    #[arg(short = 'f', long = "file", value_name = "FILE|DIR|-", required = true)]
    pub files: Vec<PathBuf>,

    /// Also show the jobs on the master that no file names (what `apply --prune` deletes).
    #[arg(long)]
    pub prune: bool,
}

impl Diff {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let sources = jobfile::read(&self.files)?;
        let server = Server::fetch(ctx).await?;
        let text = render(&sources, &server, self.prune);
        if text.is_empty() {
            return Ok(());
        }
        write_text(&text)?;
        // Differences: exit 1 without an error message (see the module doc).
        std::process::exit(crate::exit_codes::ERROR)
    }
}

/// Writes `text` to stdout as it is (adding a final newline if it lacks one) and flushes.
pub fn write_text(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    let newline = if text.is_empty() || text.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    write!(out, "{text}{newline}")
        .and_then(|()| out.flush())
        .context("writing to stdout")
}

/// The diff of the files' jobs against the master's; empty when there is none.
pub fn render(sources: &[jobfile::JobSource], server: &Server, prune: bool) -> String {
    let mut out = String::new();
    for source in sources {
        let file = &source.job;
        match server.jobs.get(&file.name) {
            None => {
                // Shown with the zone the master will stamp on it.
                let file = jobfile::comparable(file, server.default_tz.as_deref(), "");
                out.push_str(&job_diff(&file.name, None, Some(&file)));
            }
            Some(stored) => {
                let (file, stored) = server.comparable_pair(file, &stored.job);
                if file != stored {
                    out.push_str(&job_diff(&file.name, Some(&stored), Some(&file)));
                }
            }
        }
    }
    if prune {
        for stored in server.missing_from(sources) {
            let stored = jobfile::comparable(&stored.job, None, "");
            out.push_str(&job_diff(&stored.name, Some(&stored), None));
        }
    }
    out
}

/// A field that differs between two versions of a job: its name, and its value in each
/// (`None` where the version lacks it).
pub type FieldChange = (String, Option<Value>, Option<Value>);

/// The fields of a job file that differ between `old` and `new`, in the order a job file
/// lists them, then any field this version does not know.
pub fn field_changes(old: Option<&Job>, new: Option<&Job>) -> Vec<FieldChange> {
    let fields = |job: Option<&Job>| -> BTreeMap<String, Value> {
        job.map(jobfile::fields)
            .unwrap_or_default()
            .into_iter()
            .collect()
    };
    let (mut old, mut new) = (fields(old), fields(new));
    let mut keys: Vec<String> = jobfile::FIELDS.iter().map(|k| (*k).to_owned()).collect();
    for key in old.keys().chain(new.keys()) {
        if !keys.contains(key) {
            keys.push(key.clone());
        }
    }
    keys.into_iter()
        .filter_map(|key| {
            let (before, after) = (old.remove(&key), new.remove(&key));
            (before != after).then_some((key, before, after))
        })
        .collect()
}

/// One job's block: the fields that differ between the master's copy and the file's.
pub fn job_diff(name: &str, server: Option<&Job>, file: Option<&Job>) -> String {
    let mut out = format!("--- server/{name}\n+++ file/{name}\n");
    for (key, before, after) in field_changes(server, file) {
        if let Some(v) = before {
            out.push_str(&format!("-  {key}: {v}\n"));
        }
        if let Some(v) = after {
            out.push_str(&format!("+  {key}: {v}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply::Stored;
    use crate::jobfile::JobSource;

    fn source(job: Job) -> JobSource {
        JobSource {
            origin: format!("{}.yaml", job.name),
            job,
        }
    }

    fn server(jobs: Vec<Job>) -> Server {
        Server {
            jobs: jobs
                .into_iter()
                .map(|job| (job.name.clone(), Stored { job, revision: 1 }))
                .collect(),
            default_tz: Some("UTC".into()),
        }
    }

    fn stamped(mut job: Job) -> Job {
        job.timezone = "UTC".into();
        job.created_at = 1_700_000_000;
        job.updated_at = 1_700_000_000;
        job
    }

    #[test]
    fn identical_jobs_give_no_diff() {
        let job = Job::new("a", "@daily", "echo a");
        let text = render(&[source(job.clone())], &server(vec![stamped(job)]), true);
        assert_eq!(text, "");
    }

    #[test]
    fn changed_fields_are_shown_old_then_new() {
        let mut file = Job::new("a", "0 30 2 * * *", "echo a");
        file.description = "nightly".into();
        let mut on_server = stamped(Job::new("a", "0 0 3 * * *", "echo a"));
        on_server.timeout = 60;
        let text = render(&[source(file)], &server(vec![on_server]), false);
        assert_eq!(
            text,
            "--- server/a\n+++ file/a\n\
             -  cronExpr: \"0 0 3 * * *\"\n\
             +  cronExpr: \"0 30 2 * * *\"\n\
             -  timeout: 60\n\
             +  timeout: 0\n\
             +  description: \"nightly\"\n"
        );
    }

    #[test]
    fn new_jobs_are_all_plus_and_pruned_jobs_all_minus() {
        let mut new = Job::new("new", "@hourly", "echo \"hi\"");
        new.env.insert("A".into(), "1".into());
        let gone = stamped(Job::new("gone", "@daily", "x"));
        let text = render(&[source(new)], &server(vec![gone]), true);
        assert_eq!(
            text,
            "--- server/new\n+++ file/new\n\
             +  name: \"new\"\n\
             +  command: \"echo \\\"hi\\\"\"\n\
             +  cronExpr: \"@hourly\"\n\
             +  timeout: 0\n\
             +  disabled: false\n\
             +  timezone: \"UTC\"\n\
             +  env: {\"A\":\"1\"}\n\
             --- server/gone\n+++ file/gone\n\
             -  name: \"gone\"\n\
             -  command: \"x\"\n\
             -  cronExpr: \"@daily\"\n\
             -  timeout: 0\n\
             -  disabled: false\n\
             -  timezone: \"UTC\"\n"
        );
        let without_prune = render(
            &[source(Job::new("new", "@hourly", "x"))],
            &server(vec![]),
            false,
        );
        assert!(!without_prune.contains("gone"));
    }

    #[test]
    fn dependents_are_shown_like_the_other_fields() {
        let mut file = Job::new("import", "@daily", "x");
        file.on_success = vec!["report".into(), "notify".into()];
        let mut on_server = stamped(Job::new("import", "@daily", "x"));
        on_server.on_failure = vec!["page".into()];
        let text = render(&[source(file)], &server(vec![on_server]), false);
        assert_eq!(
            text,
            "--- server/import\n+++ file/import\n\
             +  onSuccess: [\"report\",\"notify\"]\n\
             -  onFailure: [\"page\"]\n"
        );
    }

    #[test]
    fn a_file_without_a_zone_differs_from_a_job_in_another_zone() {
        let mut on_server = stamped(Job::new("a", "@daily", "x"));
        on_server.timezone = "Europe/Berlin".into();
        let text = render(
            &[source(Job::new("a", "@daily", "x"))],
            &server(vec![on_server]),
            false,
        );
        assert_eq!(
            text,
            "--- server/a\n+++ file/a\n-  timezone: \"Europe/Berlin\"\n+  timezone: \"UTC\"\n"
        );
    }
}

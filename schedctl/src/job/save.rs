//! `schedctl job save`: create or replace a job, from flags or from a job file (`-f`).

use std::path::PathBuf;

use anyhow::bail;
use clap::{Args, ValueEnum};
use schedd_core::{Job, Overlap};
use schedd_proto::v1 as pb;

use crate::Ctx;
use crate::duration::parse_job_timeout;
use crate::jobfile;

/// Create a job, or replace it whole if one of that name exists.
///
/// Flags left out take their defaults, also when replacing: saving an existing disabled job
/// without --disabled enables it. With -f, the job comes from a file (YAML or JSON, as for
/// `apply`) holding exactly one job, and the other flags are not accepted.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  schedctl job save backup --cron '0 0 3 * * *' --command 'tar czf /tmp/etc.tgz /etc' --timeout 10m\n  schedctl job save -f backup.yaml"
)]
pub struct Save {
    /// Job name: letters, digits, `.`, `_` and `-`, starting with a letter or digit.
    #[arg(required_unless_present = "file")]
    pub name: Option<String>,

    /// When to run: 5 fields (`min hour day month weekday`), 6 with seconds first, a macro
    /// like `@daily`, or `@every 90s`.
    #[arg(
        long,
        value_name = "EXPR",
        allow_hyphen_values = true,
        required_unless_present = "file"
    )]
    pub cron: Option<String>,

    /// The command, run as `sh -c CMD` on a worker.
    #[arg(
        long,
        value_name = "CMD",
        allow_hyphen_values = true,
        required_unless_present = "file"
    )]
    pub command: Option<String>,

    /// Read the job from a YAML or JSON file (`-` for stdin) holding one job.
    // Every flag that describes the job conflicts with it: silently ignoring `--timeout 5m`
    // next to a file would be worse than refusing. Defaults do not count as conflicts.
    #[arg(
        short = 'f',
        long = "file",
        value_name = "FILE|-",
        conflicts_with_all = ["name", "cron", "command", "timeout", "disabled", "timezone", "description", "overlap"],
    )]
    pub file: Option<PathBuf>,

    /// Kill a run after this long: `30s`, `2m`, `1h30m` or a number of seconds; 0 for none.
    // Hyphen values reach the parser so `--timeout -5` says "must not be negative" instead of
    // clap's "unexpected argument '-5'".
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "0",
        value_parser = parse_job_timeout,
        allow_hyphen_values = true,
    )]
    pub timeout: i64,

    /// Store the job without scheduling it.
    #[arg(long)]
    pub disabled: bool,

    /// IANA time zone the cron expression is read in (default: the cluster's).
    #[arg(long, value_name = "TZ")]
    pub timezone: Option<String>,

    /// Free text shown in `job get`.
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub description: Option<String>,

    /// What to do when a tick comes while the previous run is still going.
    #[arg(long, value_enum, default_value_t = OverlapArg::Forbid)]
    pub overlap: OverlapArg,
}

/// `--overlap`, mirrored here so clap lists the choices in `--help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OverlapArg {
    /// Start the new run beside the old one.
    Allow,
    /// Skip the tick.
    Forbid,
    /// Kill the running one, then start the new run.
    Replace,
}

impl From<OverlapArg> for Overlap {
    fn from(o: OverlapArg) -> Overlap {
        match o {
            OverlapArg::Allow => Overlap::Allow,
            OverlapArg::Forbid => Overlap::Forbid,
            OverlapArg::Replace => Overlap::Replace,
        }
    }
}

impl Save {
    /// The job the flags describe (clap requires NAME, --cron and --command without -f).
    pub fn to_job(&self) -> Job {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let mut job = Job::new(text(&self.name), text(&self.cron), text(&self.command));
        job.timeout = self.timeout;
        job.disabled = self.disabled;
        job.timezone = self.timezone.clone().unwrap_or_default();
        job.description = self.description.clone().unwrap_or_default();
        job.overlap = self.overlap.into();
        job
    }

    /// The job to save: the file's one job with -f, else the flags'.
    pub fn job(&self) -> anyhow::Result<Job> {
        let Some(file) = &self.file else {
            return Ok(self.to_job());
        };
        let mut jobs = jobfile::read(std::slice::from_ref(file))?;
        match jobs.len() {
            1 => Ok(jobs.remove(0).job),
            0 => bail!("{} holds no job", file.display()),
            n => bail!(
                "{} holds {n} jobs, and `job save -f` saves one; use `schedctl apply -f {}`",
                file.display(),
                file.display()
            ),
        }
    }

    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let job = self.job()?;
        let request = pb::SaveJobRequest {
            // The revision is the server's to set; 0 here is ignored.
            job: Some(schedd_proto::job_to_pb(&job, 0)),
            expected_revision: None,
        };
        let reply = ctx.client.call(ctx.client.jobs().save_job(request)).await?;
        let saved = super::required_job(reply.job)?;
        ctx.printer
            .done(&format!("job {:?} saved", saved.job.name), &saved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Cli;
    use clap::Parser;

    fn parse(args: &[&str]) -> Result<Save, clap::Error> {
        let argv = ["schedctl", "job", "save"].iter().chain(args);
        match Cli::try_parse_from(argv)?.command {
            crate::Command::Job(super::super::JobCommand::Save(save)) => Ok(save),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn flags_become_the_job() {
        let save = parse(&[
            "hello",
            "--cron",
            "*/5 * * * * *",
            "--command",
            "echo hi",
            "--timeout",
            "2m",
            "--disabled",
            "--timezone",
            "Europe/Berlin",
            "--overlap",
            "replace",
        ])
        .expect("parses");
        let job = save.to_job();
        assert_eq!(job.name, "hello");
        assert_eq!(job.cron_expr, "*/5 * * * * *");
        assert_eq!(job.command, "echo hi");
        assert_eq!(job.timeout, 120);
        assert!(job.disabled);
        assert_eq!(job.timezone, "Europe/Berlin");
        assert_eq!(job.overlap, Overlap::Replace);
    }

    #[test]
    fn defaults_are_the_domain_defaults() {
        let job = parse(&["a", "--cron", "@daily", "--command", "true"])
            .expect("parses")
            .to_job();
        assert_eq!(job.timeout, 0);
        assert!(!job.disabled);
        assert_eq!(job.overlap, Overlap::Forbid);
        assert_eq!(job.timezone, "");
    }

    #[test]
    fn a_file_replaces_name_cron_and_command() {
        let save = parse(&["-f", "job.yaml"]).expect("parses");
        assert_eq!(save.file, Some(PathBuf::from("job.yaml")));
        for extra in [
            &["hello"][..],
            &["--cron", "@daily"],
            &["--command", "x"],
            &["--timeout", "5m"],
            &["--disabled"],
        ] {
            let args: Vec<&str> = ["-f", "job.yaml"].iter().chain(extra).copied().collect();
            let err = parse(&args).expect_err("conflict");
            assert_eq!(
                err.kind(),
                clap::error::ErrorKind::ArgumentConflict,
                "{extra:?}"
            );
            assert!(err.to_string().contains("--file"), "{err}");
        }
        let err = parse(&[]).expect_err("nothing given");
        assert_eq!(err.kind(), clap::error::ErrorKind::MissingRequiredArgument);
        let text = err.to_string();
        assert!(
            text.contains("<NAME>") && text.contains("--cron") && text.contains("--command"),
            "{text}"
        );
        let err = parse(&["a", "--cron", "@daily"]).expect_err("no command");
        assert!(err.to_string().contains("--command"), "{err}");
    }

    #[test]
    fn a_file_with_several_jobs_points_to_apply() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("two.yaml");
        std::fs::write(
            &path,
            "name: a\ncommand: x\ncronExpr: '@daily'\n---\nname: b\ncommand: x\ncronExpr: '@daily'\n",
        )
        .expect("write");
        let save = parse(&["-f", &path.display().to_string()]).expect("parses");
        let err = save.job().expect_err("two jobs").to_string();
        assert!(
            err.contains("holds 2 jobs") && err.contains("schedctl apply -f"),
            "{err}"
        );
        std::fs::write(&path, "name: a\ncommand: x\ncronExpr: '@daily'\n").expect("write");
        let job = save.job().expect("one job");
        assert_eq!((job.name.as_str(), job.cron_expr.as_str()), ("a", "@daily"));
    }

    #[test]
    fn a_negative_timeout_reaches_the_parser_and_is_named() {
        let err = parse(&["a", "--cron", "@daily", "--command", "x", "--timeout", "-5"])
            .expect_err("negative timeout");
        assert_eq!(err.kind(), clap::error::ErrorKind::ValueValidation);
        assert!(
            err.to_string().contains("timeout must not be negative"),
            "{err}"
        );
    }
}

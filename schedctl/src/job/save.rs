//! `schedctl job save`: create or replace a job, from flags or from a job file (`-f`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, ValueEnum};
use schedd_core::http::METHODS;
use schedd_core::notify::{NoticeKind, Webhook};
use schedd_core::{HttpSpec, Job, Overlap, RunOn};
use schedd_proto::v1 as pb;

use crate::Ctx;
use crate::duration::{parse_expected, parse_job_timeout};
use crate::jobfile;

/// Where `--help` lists the flags of HTTP jobs.
const HTTP: &str = "HTTP jobs";
/// Where `--help` lists the flags of notifications.
const NOTIFY: &str = "Notifications";

/// Create a job, or replace it whole if one of that name exists.
///
/// A job runs a command (--command), or makes an HTTP request (--http-url and the other
/// --http-* flags), which succeeds when the response has an expected status. Flags left out
/// take their defaults, also when replacing: saving an existing disabled job without
/// --disabled enables it. --on-success and --on-failure name jobs that must exist already: the
/// master refuses a job naming a missing one, or closing a cycle of jobs starting each other.
/// --notify names webhooks told (a POST of JSON) when a run fails, times out, recovers, is
/// skipped, is lost, or runs longer than --expected; a job without any uses the cluster's
/// default webhooks, if it has some. With -f, the job comes from a file (YAML or JSON, as for `apply`) holding exactly one job,
/// and the other flags are not accepted.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  schedctl job save backup --cron '0 0 3 * * *' --command 'tar czf /tmp/etc.tgz /etc' --timeout 10m\n  schedctl job save health --cron '@every 5m' --http-url https://example.com/health --expect-status 200,204\n  schedctl job save sync --cron '0 0 * * * *' --http-method post --http-url https://api.example.com/v1/sync \\\n      --http-header 'Authorization: Bearer TOKEN' --http-header 'Content-Type: application/json' --http-body '{\"full\": true}'\n  schedctl job save import --cron '0 0 2 * * *' --command ./import.sh --on-success report,notify --on-failure page-oncall\n  schedctl job save rotate --cron '0 0 4 * * *' --command 'logrotate /etc/logrotate.conf' --run-on all\n  schedctl job save nightly --cron '0 0 1 * * *' --command ./nightly.sh --expected 45m \\\n      --notify 'https://hooks.example.com/h?token=TOKEN' --notify-on failure,timeout,overdue\n  schedctl job save -f backup.yaml"
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
        required_unless_present_any = ["file", "http_url"],
        conflicts_with = "http_url"
    )]
    pub command: Option<String>,

    /// Read the job from a YAML or JSON file (`-` for stdin) holding one job.
    // Every flag that describes the job conflicts with it: silently ignoring `--timeout 5m`
    // next to a file would be worse than refusing. Defaults do not count as conflicts.
    #[arg(
        short = 'f',
        long = "file",
        value_name = "FILE|-",
        conflicts_with_all = [
            "name", "cron", "command", "timeout", "disabled", "timezone", "description", "overlap",
            "http_url", "http_method", "http_header", "http_body", "expect_status", "http_timeout",
            "on_success", "on_failure", "run_on", "notify", "notify_on", "notify_header",
            "expected",
        ],
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

    /// Which workers run each tick: one, or every online one (a broadcast job), each run
    /// with SCHEDD_SHARD_INDEX (from 0) and SCHEDD_SHARD_TOTAL in its environment; `log list
    /// --tick TIME` lists the runs of one tick.
    #[arg(long, value_enum, default_value_t = RunOnArg::One)]
    pub run_on: RunOnArg,

    /// A job to run (trigger `dependency`) when a run of this one succeeds, after its
    /// retries; repeat the flag or separate names with commas.
    #[arg(long, value_name = "NAME", value_delimiter = ',', value_parser = parse_job_name)]
    pub on_success: Vec<String>,

    /// A job to run (trigger `dependency`) when a run of this one fails or times out, after
    /// its retries; repeat the flag or separate names with commas.
    #[arg(long, value_name = "NAME", value_delimiter = ',', value_parser = parse_job_name)]
    pub on_failure: Vec<String>,

    /// Make an HTTP job: request this http or https URL on each run instead of running a
    /// command. Secrets in it (a password, `?token=...`) are hidden where the job is shown,
    /// but for `-o json`/`-o yaml` and `job export`.
    #[arg(long, value_name = "URL", help_heading = HTTP)]
    pub http_url: Option<String>,

    /// The request's method, in any case [default: GET].
    // Each --http-* flag conflicts with --command itself: clap lets a `requires` go unmet
    // when the required flag (--http-url) conflicts with one given, so `--command x
    // --http-method POST` would otherwise pass and the method be dropped.
    #[arg(
        long,
        value_name = "METHOD",
        help_heading = HTTP,
        requires = "http_url",
        conflicts_with = "command",
        ignore_case = true,
        value_parser = PossibleValuesParser::new(METHODS).map(|m| m.to_ascii_uppercase()),
    )]
    pub http_method: Option<String>,

    /// A request header, `Name: value`; repeat the flag for more. Values of headers like
    /// Authorization, Cookie or X-Api-Key are hidden as the URL's secrets are.
    #[arg(
        long,
        value_name = "NAME: VALUE",
        help_heading = HTTP,
        requires = "http_url",
        conflicts_with = "command",
        allow_hyphen_values = true,
        value_parser = parse_http_header,
    )]
    pub http_header: Vec<(String, String)>,

    /// The request body; `@FILE` sends the contents of FILE (so a body that starts with `@`
    /// has to come from a file).
    #[arg(
        long,
        value_name = "TEXT|@FILE",
        help_heading = HTTP,
        requires = "http_url",
        conflicts_with = "command",
        allow_hyphen_values = true
    )]
    pub http_body: Option<String>,

    /// A status that counts as success: repeat the flag or separate them with commas
    /// (`200,204`) [default: any 2xx].
    #[arg(
        long,
        value_name = "CODE",
        help_heading = HTTP,
        requires = "http_url",
        conflicts_with = "command",
        value_delimiter = ',',
        value_parser = clap::value_parser!(u16).range(100..=599),
    )]
    pub expect_status: Vec<u16>,

    /// Give up on the request after this long (as for --timeout); 0 or left out: the job's
    /// --timeout bounds it.
    #[arg(
        long,
        value_name = "DURATION",
        help_heading = HTTP,
        requires = "http_url",
        conflicts_with = "command",
        value_parser = parse_job_timeout,
        allow_hyphen_values = true,
    )]
    pub http_timeout: Option<i64>,

    /// A webhook (an http or https URL) to POST a JSON notice to; repeat the flag for more.
    /// Secrets in it (`?token=...`) are hidden where the job is shown, but for `-o json`/`-o
    /// yaml` and `job export`.
    #[arg(long, value_name = "URL", help_heading = NOTIFY)]
    pub notify: Vec<String>,

    /// What every --notify webhook is told of: repeat the flag or separate events with commas
    /// [default: failure,timeout,recovery,lost].
    #[arg(
        long,
        value_name = "EVENTS",
        help_heading = NOTIFY,
        requires = "notify",
        value_delimiter = ',',
        ignore_case = true,
        value_parser = EventParser,
    )]
    pub notify_on: Vec<NoticeKind>,

    /// A header sent to every --notify webhook, `Name: value`; repeat the flag for more.
    /// Values of headers like Authorization are hidden as the URL's secrets are.
    #[arg(
        long,
        value_name = "NAME: VALUE",
        help_heading = NOTIFY,
        requires = "notify",
        allow_hyphen_values = true,
        value_parser = parse_notify_header,
    )]
    pub notify_header: Vec<(String, String)>,

    /// How long a run is expected to take (as for --timeout): a run still going after it
    /// sends an `overdue` notice to the webhooks that ask for one (--notify-on overdue); 0
    /// or left out: never.
    #[arg(
        long,
        value_name = "DURATION",
        help_heading = NOTIFY,
        value_parser = parse_expected,
        allow_hyphen_values = true,
    )]
    pub expected: Option<i64>,
}

/// clap value parser for the names of `--on-success` and `--on-failure`: blanks around a name
/// dropped, so `--on-success 'report, notify'` works as `report,notify` does. Whether the
/// name is valid and the job exists is the master's to say.
// An empty name is kept (and refused by the master, by its field): dropping it would make
// `--on-success ''` silently mean "none".
fn parse_job_name(s: &str) -> Result<String, String> {
    Ok(s.trim().to_owned())
}

/// clap value parser for `--http-header`: see [`parse_header`].
fn parse_http_header(s: &str) -> Result<(String, String), String> {
    parse_header("--http-header", s)
}

/// clap value parser for `--notify-header`: see [`parse_header`].
fn parse_notify_header(s: &str) -> Result<(String, String), String> {
    parse_header("--notify-header", s)
}

/// clap value parser for `--notify-on`: one of [`NoticeKind::ALL`], in any case, blanks
/// around it dropped (so `--notify-on 'failure, timeout'` works as `failure,timeout` does).
/// Its possible values give the shells' completions and clap's message for a bad one, which
/// lists them.
#[derive(Debug, Clone, Copy)]
struct EventParser;

impl TypedValueParser for EventParser {
    type Value = NoticeKind;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<NoticeKind, clap::Error> {
        let value = value
            .to_str()
            .map_or(value, |v| std::ffi::OsStr::new(v.trim()));
        let name = PossibleValuesParser::new(NoticeKind::ALL.map(NoticeKind::as_str))
            .parse_ref(cmd, arg, value)?;
        // The possible values are the events' names, so this holds; ignore_case let any
        // case through.
        Ok(name
            .to_ascii_lowercase()
            .parse()
            .expect("a possible value names an event"))
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(
            NoticeKind::ALL
                .into_iter()
                .map(|k| PossibleValue::new(k.as_str())),
        ))
    }
}

/// A header flag's value: `Name: value`, blanks around the value dropped; `flag` names the
/// flag in messages.
fn parse_header(flag: &str, s: &str) -> Result<(String, String), String> {
    let Some((name, value)) = s.split_once(':') else {
        return Err(format!("{flag} takes `Name: value`, and `{s}` has no `:`"));
    };
    let name = name.trim();
    if name.is_empty() {
        return Err(format!(
            "{flag} takes `Name: value`, and `{s}` has no name before the `:`"
        ));
    }
    Ok((name.to_owned(), value.trim().to_owned()))
}

/// The headers of a header flag's values, refusing a name given twice in any case: HTTP
/// header names are case-insensitive, so `authorization` and `Authorization` would both be
/// sent, and which one the server reads is anyone's guess.
fn header_map(flag: &str, given: &[(String, String)]) -> anyhow::Result<BTreeMap<String, String>> {
    let mut headers = BTreeMap::new();
    for (name, value) in given {
        if let Some(first) = headers
            .keys()
            .find(|k: &&String| k.eq_ignore_ascii_case(name))
        {
            bail!("{flag} `{name}` is given twice (as `{first}` before)");
        }
        headers.insert(name.clone(), value.clone());
    }
    Ok(headers)
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

/// `--run-on`, mirrored here so clap lists the choices in `--help`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunOnArg {
    /// One worker of those matching the job's selector.
    One,
    /// Every online worker matching the job's selector (broadcast).
    All,
}

impl From<RunOnArg> for RunOn {
    fn from(r: RunOnArg) -> RunOn {
        match r {
            RunOnArg::One => RunOn::One,
            RunOnArg::All => RunOn::All,
        }
    }
}

impl Save {
    /// The job the flags describe (clap requires NAME, --cron, and --command or --http-url
    /// without -f). Reads the file of `--http-body @FILE`.
    pub fn to_job(&self) -> anyhow::Result<Job> {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let mut job = Job::new(text(&self.name), text(&self.cron), text(&self.command));
        job.timeout = self.timeout;
        job.disabled = self.disabled;
        job.timezone = self.timezone.clone().unwrap_or_default();
        job.description = self.description.clone().unwrap_or_default();
        job.overlap = self.overlap.into();
        job.run_on = self.run_on.into();
        job.on_success = self.on_success.clone();
        job.on_failure = self.on_failure.clone();
        job.http = self.http()?;
        job.notify = self.webhooks()?;
        // parse_expected gives 0 to 30 days.
        job.expected_seconds = self.expected.map_or(0, i64::unsigned_abs);
        Ok(job)
    }

    /// One webhook per `--notify` URL, each with the `--notify-on` events and the
    /// `--notify-header` headers. How many, and whether each URL is good, is the master's to
    /// say (its message names `notify[i]`).
    fn webhooks(&self) -> anyhow::Result<Vec<Webhook>> {
        let headers = header_map("--notify-header", &self.notify_header)?;
        let mut on: Vec<NoticeKind> = Vec::with_capacity(self.notify_on.len());
        for &event in &self.notify_on {
            // The master would refuse it as `notify[0].on`; the flag is what the user wrote.
            if on.contains(&event) {
                bail!("--notify-on names `{}` twice", event.as_str());
            }
            on.push(event);
        }
        Ok(self
            .notify
            .iter()
            .map(|url| Webhook {
                url: url.clone(),
                headers: headers.clone(),
                on: on.clone(),
            })
            .collect())
    }

    /// The request of `--http-url` and its companions; `None` without `--http-url`.
    fn http(&self) -> anyhow::Result<Option<HttpSpec>> {
        let Some(url) = &self.http_url else {
            return Ok(None);
        };
        let headers = header_map("--http-header", &self.http_header)?;
        let body = match self.http_body.as_deref() {
            None => String::new(),
            Some(text) => match text.strip_prefix('@') {
                Some(path) => std::fs::read_to_string(path)
                    .with_context(|| format!("reading the --http-body file {path}"))?,
                None => text.to_owned(),
            },
        };
        Ok(Some(HttpSpec {
            method: self.http_method.clone().unwrap_or_default(),
            url: url.clone(),
            headers,
            body,
            expect_status: self.expect_status.clone(),
            // parse_job_timeout gives 0 to 30 days.
            timeout: self.http_timeout.map_or(0, i64::unsigned_abs),
        }))
    }

    /// The job to save: the file's one job with -f, else the flags'.
    pub fn job(&self) -> anyhow::Result<Job> {
        let Some(file) = &self.file else {
            return self.to_job();
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
            crate::Command::Job(super::super::JobCommand::Save(save)) => Ok(*save),
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
        let job = save.to_job().expect("a job");
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
            .to_job()
            .expect("a job");
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
    fn http_flags_become_an_http_job() {
        let save = parse(&[
            "ping",
            "--cron",
            "@every 5m",
            "--http-url",
            "https://example.com/hook?token=secret",
            "--http-method",
            "post",
            "--http-header",
            "Authorization: Bearer secret",
            "--http-header",
            "X-Empty:",
            "--http-header",
            "Accept:application/json",
            "--http-body",
            "-{\"a\": 1}",
            "--expect-status",
            "200,204",
            "--expect-status",
            "301",
            "--http-timeout",
            "30s",
        ])
        .expect("parses");
        let job = save.to_job().expect("a job");
        assert_eq!(job.command, "");
        let http = job.http.as_ref().expect("an HTTP job");
        assert_eq!(http.method, "POST");
        assert_eq!(http.url, "https://example.com/hook?token=secret");
        assert_eq!(http.headers["Authorization"], "Bearer secret");
        assert_eq!(http.headers["X-Empty"], "");
        assert_eq!(http.headers["Accept"], "application/json");
        assert_eq!(http.body, "-{\"a\": 1}");
        assert_eq!(http.expect_status, [200, 204, 301]);
        assert_eq!(http.timeout, 30);
        job.validate(chrono_tz::Tz::UTC)
            .expect("the server would take it");
    }

    #[test]
    fn an_http_job_defaults_to_get_any_2xx_and_the_job_s_timeout() {
        let job = parse(&["ping", "--cron", "@daily", "--http-url", "http://a/"])
            .expect("parses")
            .to_job()
            .expect("a job");
        let http = job.http.expect("an HTTP job");
        // Empty means GET, and keeps the job as a file without `method` reads.
        assert_eq!((http.method.as_str(), http.method()), ("", "GET"));
        assert!(http.headers.is_empty() && http.body.is_empty());
        assert_eq!(http.expect_status, Vec::<u16>::new());
        assert_eq!(http.timeout, 0);
        let command = parse(&["a", "--cron", "@daily", "--command", "x"])
            .expect("parses")
            .to_job()
            .expect("a job");
        assert_eq!(command.http, None);
    }

    #[test]
    fn the_body_can_come_from_a_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("body.json");
        std::fs::write(&path, "{\"full\": true}\n").expect("write");
        let at = format!("@{}", path.display());
        let base = ["a", "--cron", "@daily", "--http-url", "http://a/"];
        let args: Vec<&str> = base.iter().copied().chain(["--http-body", &at]).collect();
        let job = parse(&args).expect("parses").to_job().expect("a job");
        assert_eq!(job.http.expect("http").body, "{\"full\": true}\n");

        let missing = format!("@{}", dir.path().join("nope").display());
        let args: Vec<&str> = base
            .iter()
            .copied()
            .chain(["--http-body", &missing])
            .collect();
        let err = parse(&args).expect("parses").to_job().expect_err("no file");
        assert!(
            format!("{err:#}").starts_with("reading the --http-body file "),
            "{err:#}"
        );
    }

    #[test]
    fn bad_http_flags_are_refused_by_name() {
        use clap::error::ErrorKind;
        let base = ["a", "--cron", "@daily", "--http-url", "http://a/"];
        let cases: &[(&[&str], ErrorKind, &str)] = &[
            (
                &["--http-header", "Authorization Bearer x"],
                ErrorKind::ValueValidation,
                "--http-header takes `Name: value`",
            ),
            (
                &["--http-header", ": x"],
                ErrorKind::ValueValidation,
                "no name",
            ),
            (
                &["--http-method", "FETCH"],
                ErrorKind::InvalidValue,
                "--http-method",
            ),
            (
                &["--expect-status", "200,abc"],
                ErrorKind::ValueValidation,
                "--expect-status",
            ),
            (
                &["--expect-status", "99"],
                ErrorKind::ValueValidation,
                "100..=599",
            ),
            (
                &["--http-timeout", "-5"],
                ErrorKind::ValueValidation,
                "must not be negative",
            ),
            (
                &["--http-timeout", "soon"],
                ErrorKind::ValueValidation,
                "--http-timeout",
            ),
            (
                &["--command", "echo"],
                ErrorKind::ArgumentConflict,
                "--command",
            ),
        ];
        for (extra, kind, want) in cases {
            let args: Vec<&str> = base.iter().chain(*extra).copied().collect();
            let err = parse(&args).expect_err(want);
            assert_eq!(err.kind(), *kind, "{extra:?}: {err}");
            assert!(err.to_string().contains(want), "{extra:?}: {err}");
        }

        let err = parse(&[
            "a",
            "--cron",
            "@daily",
            "--http-url",
            "http://a/",
            "--http-header",
            "Authorization: a",
            "--http-header",
            "authorization: b",
        ])
        .expect("parses")
        .to_job()
        .expect_err("twice");
        assert!(err.to_string().contains("given twice"), "{err}");
    }

    #[test]
    fn http_flags_need_an_url_and_neither_a_command_nor_a_file() {
        for extra in [
            &["--http-method", "POST"][..],
            &["--http-header", "A: b"],
            &["--http-body", "x"],
            &["--expect-status", "200"],
            &["--http-timeout", "5s"],
        ] {
            let args: Vec<&str> = ["a", "--cron", "@daily", "--command", "x"]
                .iter()
                .chain(extra)
                .copied()
                .collect();
            let err = parse(&args).expect_err("a command job");
            assert_eq!(
                err.kind(),
                clap::error::ErrorKind::ArgumentConflict,
                "{extra:?}"
            );
            assert!(err.to_string().contains("--command"), "{err}");

            let args: Vec<&str> = ["a", "--cron", "@daily"]
                .iter()
                .chain(extra)
                .copied()
                .collect();
            let err = parse(&args).expect_err("no url");
            assert_eq!(
                err.kind(),
                clap::error::ErrorKind::MissingRequiredArgument,
                "{extra:?}"
            );
            assert!(err.to_string().contains("--http-url"), "{err}");

            let args: Vec<&str> = ["-f", "job.yaml", "--http-url", "http://a/"]
                .iter()
                .chain(extra)
                .copied()
                .collect();
            let err = parse(&args).expect_err("a file");
            assert_eq!(
                err.kind(),
                clap::error::ErrorKind::ArgumentConflict,
                "{extra:?}"
            );
        }
        let err = parse(&["-f", "job.yaml", "--http-url", "http://a/"]).expect_err("a file");
        assert_eq!(err.kind(), clap::error::ErrorKind::ArgumentConflict);
        assert!(err.to_string().contains("--file"), "{err}");
        // Neither a command nor an URL.
        let err = parse(&["a", "--cron", "@daily"]).expect_err("nothing to do");
        assert_eq!(err.kind(), clap::error::ErrorKind::MissingRequiredArgument);
    }

    #[test]
    fn dependents_are_repeatable_and_comma_separated_in_order() {
        let job = parse(&[
            "import",
            "--cron",
            "@daily",
            "--command",
            "./import.sh",
            "--on-success",
            "report,notify",
            "--on-failure",
            "page",
            "--on-success",
            " archive ",
            "--on-failure",
            "notify, cleanup",
        ])
        .expect("parses")
        .to_job()
        .expect("a job");
        assert_eq!(job.on_success, ["report", "notify", "archive"]);
        assert_eq!(job.on_failure, ["page", "notify", "cleanup"]);
        job.validate(chrono_tz::Tz::UTC)
            .expect("the server's own checks pass");

        let to_job = |args: &[&str]| parse(args).expect("parses").to_job().expect("a job");
        let none = to_job(&["a", "--cron", "@daily", "--command", "x"]);
        assert!(none.on_success.is_empty() && none.on_failure.is_empty());
        // An HTTP job has them too.
        let http = to_job(&["a", "--cron", "@daily", "--http-url", "http://a/"]);
        assert!(http.on_failure.is_empty());
        let http = to_job(&[
            "a",
            "--cron",
            "@daily",
            "--http-url",
            "http://a/",
            "--on-failure",
            "b",
        ]);
        assert_eq!(http.on_failure, ["b"]);
    }

    #[test]
    fn bad_dependents_reach_the_master_which_names_the_field() {
        // Empty names are kept rather than dropped, so `--on-success ''` is refused by the
        // same check as a bad name instead of meaning "none".
        let job = parse(&[
            "a",
            "--cron",
            "@daily",
            "--command",
            "x",
            "--on-success",
            "b,,c",
        ])
        .expect("parses")
        .to_job()
        .expect("a job");
        assert_eq!(job.on_success, ["b", "", "c"]);
        let err = job
            .validate(chrono_tz::Tz::UTC)
            .expect_err("an empty name")
            .to_string();
        assert!(err.starts_with("onSuccess: "), "{err}");
        let itself = parse(&[
            "a",
            "--cron",
            "@daily",
            "--command",
            "x",
            "--on-failure",
            "a",
        ])
        .expect("parses")
        .to_job()
        .expect("a job");
        let err = itself
            .validate(chrono_tz::Tz::UTC)
            .expect_err("itself")
            .to_string();
        assert_eq!(err, "onFailure: a job cannot start itself (cycle: a → a)");
    }

    #[test]
    fn dependents_conflict_with_a_file() {
        for flag in ["--on-success", "--on-failure"] {
            let err = parse(&["-f", "job.yaml", flag, "b"]).expect_err("a file");
            assert_eq!(
                err.kind(),
                clap::error::ErrorKind::ArgumentConflict,
                "{flag}"
            );
            let text = err.to_string();
            assert!(text.contains("--file") && text.contains(flag), "{text}");
        }
    }

    #[test]
    fn run_on_defaults_to_one_and_all_makes_a_broadcast_job() {
        let base = ["rotate", "--cron", "@daily", "--command", "x"];
        let job = parse(&base).expect("parses").to_job().expect("a job");
        assert_eq!(job.run_on, RunOn::One);
        for (value, want) in [("one", RunOn::One), ("all", RunOn::All)] {
            let args: Vec<&str> = base.iter().copied().chain(["--run-on", value]).collect();
            let job = parse(&args).expect("parses").to_job().expect("a job");
            assert_eq!(job.run_on, want, "{value}");
            job.validate(chrono_tz::Tz::UTC)
                .expect("the server's own checks pass");
        }
        // An HTTP job can be broadcast too.
        let http = parse(&[
            "ping",
            "--cron",
            "@daily",
            "--http-url",
            "http://a/",
            "--run-on",
            "all",
        ])
        .expect("parses")
        .to_job()
        .expect("a job");
        assert_eq!(http.run_on, RunOn::All);

        let args: Vec<&str> = base.iter().copied().chain(["--run-on", "some"]).collect();
        let err = parse(&args).expect_err("not a choice");
        assert_eq!(err.kind(), clap::error::ErrorKind::InvalidValue);
        let text = err.to_string();
        assert!(
            text.contains("--run-on") && text.contains("one, all"),
            "{text}"
        );
    }

    #[test]
    fn run_on_conflicts_with_a_file() {
        let err = parse(&["-f", "job.yaml", "--run-on", "all"]).expect_err("a file");
        assert_eq!(err.kind(), clap::error::ErrorKind::ArgumentConflict);
        let text = err.to_string();
        assert!(
            text.contains("--file") && text.contains("--run-on"),
            "{text}"
        );
        // Its default is no conflict.
        let save = parse(&["-f", "job.yaml"]).expect("parses");
        assert_eq!(save.run_on, RunOnArg::One);
    }

    #[test]
    fn notify_flags_give_one_webhook_per_url_with_the_same_events_and_headers() {
        let job = parse(&[
            "nightly",
            "--cron",
            "@daily",
            "--command",
            "./nightly.sh",
            "--notify",
            "https://hooks.example.com/h?token=secret",
            "--notify-on",
            "failure, overdue",
            "--notify",
            "http://127.0.0.1:9000/alert",
            "--notify-on",
            "Timeout",
            "--notify-header",
            "Authorization: Bearer secret",
            "--notify-header",
            "X-Team:ops",
            "--expected",
            "45m",
        ])
        .expect("parses")
        .to_job()
        .expect("a job");
        let headers: BTreeMap<String, String> = [
            ("Authorization".to_owned(), "Bearer secret".to_owned()),
            ("X-Team".to_owned(), "ops".to_owned()),
        ]
        .into();
        let on = vec![
            NoticeKind::Failure,
            NoticeKind::Overdue,
            NoticeKind::Timeout,
        ];
        assert_eq!(
            job.notify,
            [
                Webhook {
                    url: "https://hooks.example.com/h?token=secret".into(),
                    headers: headers.clone(),
                    on: on.clone(),
                },
                Webhook {
                    url: "http://127.0.0.1:9000/alert".into(),
                    headers,
                    on,
                },
            ]
        );
        assert_eq!(job.expected_seconds, 45 * 60);
        job.validate(chrono_tz::Tz::UTC)
            .expect("the server's own checks pass");

        // Without --notify-on, the default set: an empty list, as in a job file.
        let base = ["a", "--cron", "@daily", "--command", "x"];
        let with = |extra: &[&str]| {
            let args: Vec<&str> = base.iter().chain(extra).copied().collect();
            parse(&args).expect("parses").to_job().expect("a job")
        };
        let plain = with(&["--notify", "https://a/"]);
        assert_eq!(plain.notify.len(), 1);
        assert!(plain.notify[0].on.is_empty() && plain.notify[0].headers.is_empty());
        assert!(plain.notify[0].wants(NoticeKind::Recovery));
        // Nothing given: no webhooks (the cluster's default ones apply), never overdue.
        let none = with(&[]);
        assert!(none.notify.is_empty());
        assert_eq!(none.expected_seconds, 0);
        // --expected alone is a job setting; an HTTP job has notifications too.
        assert_eq!(with(&["--expected", "90"]).expected_seconds, 90);
        let http = parse(&[
            "ping",
            "--cron",
            "@daily",
            "--http-url",
            "http://a/",
            "--notify",
            "https://hooks/",
        ])
        .expect("parses")
        .to_job()
        .expect("a job");
        assert_eq!(http.notify[0].url, "https://hooks/");
    }

    #[test]
    fn bad_notify_flags_are_refused_by_name() {
        use clap::error::ErrorKind;
        let base = [
            "a",
            "--cron",
            "@daily",
            "--command",
            "x",
            "--notify",
            "http://a/",
        ];
        let cases: &[(&[&str], ErrorKind, &[&str])] = &[
            (
                &["--notify-on", "failure,sometimes"],
                ErrorKind::InvalidValue,
                &[
                    "--notify-on",
                    "sometimes",
                    "failure, timeout, recovery, skipped, lost, overdue",
                ],
            ),
            (
                &["--notify-on", ""],
                ErrorKind::InvalidValue,
                &["--notify-on"],
            ),
            (
                &["--notify-header", "Authorization Bearer x"],
                ErrorKind::ValueValidation,
                &["--notify-header takes `Name: value`", "has no `:`"],
            ),
            (
                &["--notify-header", ": x"],
                ErrorKind::ValueValidation,
                &["--notify-header", "no name"],
            ),
            (
                &["--expected", "-5"],
                ErrorKind::ValueValidation,
                &["--expected", "expected duration must not be negative"],
            ),
            (
                &["--expected", "soon"],
                ErrorKind::ValueValidation,
                &["--expected", "invalid expected duration `soon`"],
            ),
        ];
        for (extra, kind, wants) in cases {
            let args: Vec<&str> = base.iter().chain(*extra).copied().collect();
            let err = parse(&args).expect_err("refused");
            assert_eq!(err.kind(), *kind, "{extra:?}: {err}");
            let text = err.to_string();
            for want in *wants {
                assert!(text.contains(want), "{extra:?}: want {want:?} in {text}");
            }
        }

        // Twice the same event or header, caught before the master names `notify[0]`.
        let to_job_err = |extra: &[&str]| {
            let args: Vec<&str> = base.iter().chain(extra).copied().collect();
            parse(&args)
                .expect("parses")
                .to_job()
                .expect_err("refused")
                .to_string()
        };
        assert_eq!(
            to_job_err(&["--notify-on", "lost,failure", "--notify-on", "lost"]),
            "--notify-on names `lost` twice"
        );
        assert_eq!(
            to_job_err(&["--notify-header", "X-A: 1", "--notify-header", "x-a: 2"]),
            "--notify-header `x-a` is given twice (as `X-A` before)"
        );
    }

    #[test]
    fn notify_events_and_headers_need_a_webhook_and_all_conflict_with_a_file() {
        for extra in [
            &["--notify-on", "failure"][..],
            &["--notify-header", "A: b"],
        ] {
            let args: Vec<&str> = ["a", "--cron", "@daily", "--command", "x"]
                .iter()
                .chain(extra)
                .copied()
                .collect();
            let err = parse(&args).expect_err("no webhook");
            assert_eq!(
                err.kind(),
                clap::error::ErrorKind::MissingRequiredArgument,
                "{extra:?}"
            );
            assert!(err.to_string().contains("--notify <URL>"), "{err}");
        }
        for extra in [
            &["--notify", "http://a/"][..],
            &["--notify", "http://a/", "--notify-on", "failure"],
            &["--notify", "http://a/", "--notify-header", "A: b"],
            &["--expected", "5m"],
        ] {
            let args: Vec<&str> = ["-f", "job.yaml"].iter().chain(extra).copied().collect();
            let err = parse(&args).expect_err("a file");
            assert_eq!(
                err.kind(),
                clap::error::ErrorKind::ArgumentConflict,
                "{extra:?}"
            );
            assert!(err.to_string().contains("--file"), "{err}");
        }
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

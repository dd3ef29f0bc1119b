//! Everything `schedctl` writes to stdout goes through [`Printer`], in the format chosen with
//! `-o`: `table` (the default) and `wide` for people, `json` and `yaml` for scripts, `name` for
//! shell loops (one job name, execution id or worker id per line).
//!
//! The JSON keeps the old system's field names, because scripts written against it parse
//! them: jobs are `schedd_core::Job`'s serde form plus `revision`, records are
//! `schedd_core::ExecutionRecord`'s (`jobName`, `exitCode`, `planTime`, ...), workers are
//! `WorkerInfo`'s plus `online`. YAML is the same objects. The view types here wrap the domain
//! types so every form comes from one value: a view describes its table as a [`Layout`]
//! (header, rows, and which cells are status words), and the printer decides about headers
//! (`--no-headers`) and colour (`--color`). stdout carries data only; notes such as paging go
//! to stderr, and only in the human formats.
//!
//! Tables show an HTTP job by its request (`Job::what`, `Job::redacted`), with the secrets of
//! its URL and headers hidden, and so its webhooks (`notify`); `json` and `yaml` are the whole
//! job, the form `apply -f` reads back. A record's deliveries of notices carry URLs the worker
//! already hid the secrets of.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::ffi::OsStr;
use std::io::{IsTerminal, Write};

use anyhow::Context;
use chrono::{DateTime, Local, Utc};
use comfy_table::{Color, Table, presets};
use schedd_core::notify::{Delivery, NoticeKind, Webhook};
use schedd_core::{ExecutionRecord, ExecutionStatus, HttpSpec, Job, RunOn, WorkerInfo};
use serde::Serialize;

use crate::duration::{format_ms, format_secs};

/// Width of the COMMAND column in job tables (`METHOD URL` for an HTTP job); longer commands
/// end with `…`.
pub const COMMAND_WIDTH: usize = 40;

/// Width of free-text columns (description, error) in wide tables.
pub const TEXT_WIDTH: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for people.
    Table,
    /// The table with more columns (time zone, revision, worker id, error, labels, ...).
    Wide,
    /// The objects with the old system's field names, pretty-printed.
    Json,
    /// The same objects as `json`, in YAML.
    Yaml,
    /// One name or id per line: job names, execution ids, worker ids.
    Name,
}

/// `--color`: whether status words are coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Only when stdout is a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    /// Even into a pipe or a file, and despite `NO_COLOR`.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour, given what we know about stdout and the `NO_COLOR` variable.
    /// `NO_COLOR` counts when it is set to anything but the empty string (no-color.org);
    /// `--color always` wins over it, as an explicit flag should.
    pub fn enabled(self, stdout_is_terminal: bool, no_color: Option<&OsStr>) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stdout_is_terminal && no_color.is_none_or(OsStr::is_empty),
        }
    }

    /// [`ColorChoice::enabled`] for this process's stdout and environment.
    pub fn enabled_here(self) -> bool {
        self.enabled(
            std::io::stdout().is_terminal(),
            std::env::var_os("NO_COLOR").as_deref(),
        )
    }
}

/// What a table cell means, for colour: the printer maps it to a colour or to nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// success, online: green.
    Good,
    /// failed, offline: red.
    Bad,
    /// timeout, killed: yellow.
    Warn,
    /// running: cyan.
    Busy,
}

impl Tone {
    fn color(self) -> Color {
        // The `Dark*` colours are the 8 standard ANSI ones (`ESC[38;5;2m` is green); the
        // others are the bright variants, which are hard to read on light backgrounds.
        match self {
            Tone::Good => Color::DarkGreen,
            Tone::Bad => Color::DarkRed,
            Tone::Warn => Color::DarkYellow,
            Tone::Busy => Color::DarkCyan,
        }
    }

    /// The tone of an execution status word.
    pub fn of_status(status: ExecutionStatus) -> Tone {
        match status {
            ExecutionStatus::Success => Tone::Good,
            ExecutionStatus::Failed | ExecutionStatus::Lost => Tone::Bad,
            ExecutionStatus::Timeout | ExecutionStatus::Killed | ExecutionStatus::Skipped => {
                Tone::Warn
            }
            ExecutionStatus::Running => Tone::Busy,
        }
    }
}

/// A cell: its text and, for status words, its tone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub text: String,
    pub tone: Option<Tone>,
}

impl Text {
    pub fn toned(text: impl Into<String>, tone: Tone) -> Text {
        Text {
            text: text.into(),
            tone: Some(tone),
        }
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text { text, tone: None }
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text::from(text.to_owned())
    }
}

/// A view's table before layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// Columns under a header: `job list`, `log list`, `worker list`.
    List {
        header: Vec<String>,
        rows: Vec<Vec<Text>>,
    },
    /// `Field:  value` lines for one object: `job get`, `log get`.
    Detail(Vec<(String, Text)>),
}

impl Layout {
    pub fn list(header: &[&str]) -> Layout {
        Layout::List {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row to a list (and does nothing to a detail).
    pub fn push(&mut self, row: Vec<Text>) {
        if let Layout::List { rows, .. } = self {
            rows.push(row);
        }
    }

    /// The text, with or without the header line and colour. An empty list without its
    /// header is the empty string.
    pub fn render(&self, headers: bool, color: bool) -> String {
        let mut table = Table::new();
        table.load_style(presets::NOTHING);
        if color {
            table.enforce_styling();
            // Colour the word, not the padding after it.
            table.style_text_only();
        } else {
            // Same output whether stdout is a terminal or a pipe, so tests see what users see.
            table.force_no_tty();
        }
        let cell = |t: &Text| {
            let c = comfy_table::Cell::new(&t.text);
            match t.tone {
                Some(tone) if color => c.fg(tone.color()),
                _ => c,
            }
        };
        match self {
            Layout::List { header, rows } => {
                if headers {
                    table.set_header(header.clone());
                } else if rows.is_empty() {
                    return String::new();
                }
                for row in rows {
                    table.add_row(row.iter().map(cell).collect::<Vec<_>>());
                }
            }
            Layout::Detail(rows) => {
                for (key, value) in rows {
                    table.add_row(vec![comfy_table::Cell::new(format!("{key}:")), cell(value)]);
                }
            }
        }
        for column in table.column_iter_mut() {
            column.set_padding((0, 2));
        }
        table.trim_fmt()
    }
}

/// A value `schedctl` can print: its JSON and YAML forms are its serde form.
pub trait Render: Serialize {
    /// The human form, without a trailing newline. Views in this module describe their table
    /// with [`Render::layout`] instead and get this for free.
    fn table(&self) -> String {
        self.layout(false)
            .map(|layout| layout.render(true, false))
            .unwrap_or_default()
    }

    /// The table before layout, so the printer can leave out the header and colour status
    /// words; `wide` asks for the extra columns of `-o wide`. Without one, the printer prints
    /// [`Render::table`] as it is for `table` and `wide`.
    fn layout(&self, wide: bool) -> Option<Layout> {
        let _ = wide;
        None
    }

    /// A line for stderr in the human formats (e.g. which page this is); none by default.
    fn note(&self) -> Option<String> {
        None
    }

    /// The lines of `-o name`. By default they come from the serde form: for an object, or
    /// each object of an array (or of a `records` array), its first non-empty field among
    /// `executionId`, `workerId`, `name`, `jobName`. `None` when the value has no names.
    fn names(&self) -> Option<Vec<String>> {
        names_of(&serde_json::to_value(self).ok()?)
    }
}

/// The fields `-o name` looks for, most specific first: a record has both an `executionId`
/// and a `jobName`, and its name is the id.
const NAME_FIELDS: [&str; 4] = ["executionId", "workerId", "name", "jobName"];

fn names_of(value: &serde_json::Value) -> Option<Vec<String>> {
    use serde_json::Value;
    let name_of = |v: &Value| {
        NAME_FIELDS
            .iter()
            .find_map(|f| v.get(f).and_then(Value::as_str).filter(|s| !s.is_empty()))
            .map(str::to_owned)
    };
    match value {
        Value::Array(items) => items.iter().map(name_of).collect(),
        Value::Object(map) => match map.get("records") {
            Some(Value::Array(items)) => items.iter().map(name_of).collect(),
            _ => name_of(value).map(|n| vec![n]),
        },
        _ => None,
    }
}

/// Writes views to stdout in the chosen format.
#[derive(Debug, Clone)]
pub struct Printer {
    format: OutputFormat,
    headers: bool,
    color: bool,
}

impl Printer {
    /// A printer with headers and without colour.
    pub fn new(format: OutputFormat) -> Printer {
        Printer {
            format,
            headers: true,
            color: false,
        }
    }

    /// `--no-headers` is `with_headers(false)`.
    pub fn with_headers(mut self, headers: bool) -> Printer {
        self.headers = headers;
        self
    }

    /// Whether status words are coloured (see [`ColorChoice::enabled_here`]).
    pub fn with_color(mut self, color: bool) -> Printer {
        self.color = color;
        self
    }

    pub fn format(&self) -> OutputFormat {
        self.format
    }

    /// Whether the format is one for people (`table`, `wide`), where notes go to stderr.
    pub fn is_human(&self) -> bool {
        matches!(self.format, OutputFormat::Table | OutputFormat::Wide)
    }

    /// What [`Printer::print`] writes to stdout, without the final newline.
    pub fn render(&self, item: &impl Render) -> anyhow::Result<String> {
        match self.format {
            OutputFormat::Table | OutputFormat::Wide => {
                let wide = self.format == OutputFormat::Wide;
                Ok(match item.layout(wide) {
                    Some(layout) => layout.render(self.headers, self.color),
                    None => item.table(),
                })
            }
            OutputFormat::Json => to_json(item),
            OutputFormat::Yaml => to_yaml(item),
            OutputFormat::Name => item.names().map(|names| names.join("\n")).ok_or_else(|| {
                anyhow::anyhow!("`-o name` does not apply here: this output has no names or ids")
            }),
        }
    }

    /// Prints `item` in the chosen format.
    pub fn print(&self, item: &impl Render) -> anyhow::Result<()> {
        write_stdout(&self.render(item)?)?;
        if self.is_human()
            && let Some(note) = item.note()
        {
            self::note(note);
        }
        Ok(())
    }

    /// For mutations: `message` in the human formats, the resulting object otherwise (its
    /// name for `-o name`).
    pub fn done(&self, message: &str, result: &impl Render) -> anyhow::Result<()> {
        if self.is_human() {
            write_stdout(message)
        } else {
            write_stdout(&self.render(result)?)
        }
    }
}

/// The pretty JSON text of `item`.
pub fn to_json(item: &impl Serialize) -> anyhow::Result<String> {
    serde_json::to_string_pretty(item).context("encoding JSON")
}

/// The YAML text of `item`, without the final newline (the printer adds it).
pub fn to_yaml(item: &impl Serialize) -> anyhow::Result<String> {
    let text = serde_norway::to_string(item).context("encoding YAML")?;
    Ok(text.trim_end_matches('\n').to_owned())
}

/// A line for the person at the terminal, on stderr, beside the output proper: warnings,
/// progress, where a result went, the error that ends the command. schedctl writes to
/// stderr here and nowhere else.
#[allow(clippy::print_stderr)]
pub fn note(line: impl std::fmt::Display) {
    eprintln!("{line}");
}

/// Writes `text` and a newline; nothing at all for empty text, so an empty list with
/// `--no-headers` or `-o name` is empty output rather than a blank line.
fn write_stdout(text: &str) -> anyhow::Result<()> {
    if text.is_empty() {
        return Ok(());
    }
    // Not `println!`: it panics on a closed pipe, and `main` wants the error to exit quietly.
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .context("writing to stdout")
}

// ---------------------------------------------------------------------------------------
// Formatting helpers
// ---------------------------------------------------------------------------------------

/// Plain cells from strings.
fn texts<const N: usize>(cells: [String; N]) -> Vec<Text> {
    cells.into_iter().map(Text::from).collect()
}

/// A two-column `field  value` layout from plain values.
fn detail(rows: Vec<(&str, String)>) -> Layout {
    Layout::Detail(
        rows.into_iter()
            .map(|(k, v)| (k.to_owned(), Text::from(v)))
            .collect(),
    )
}

/// Unix milliseconds as local `YYYY-MM-DD HH:MM:SS`; `-` for 0 (never).
pub fn local_time_ms(ms: i64) -> String {
    if ms == 0 {
        return "-".to_owned();
    }
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map_or_else(|| format!("@{ms}ms"), |t| local_time(&t))
}

/// Unix seconds as local `YYYY-MM-DD HH:MM:SS`; `-` for 0 (never).
pub fn local_time_secs(secs: i64) -> String {
    local_time_ms(secs.saturating_mul(1000))
}

pub fn local_time(t: &DateTime<Utc>) -> String {
    t.with_timezone(&Local)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// `s` on one line and at most `max` characters, ending with `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    let one_line: String = s
        .trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() <= max {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// The worker that ran a record, by id; records written by the Go workers carry only the IP.
pub(crate) fn worker_name(r: &ExecutionRecord) -> &str {
    if r.worker_id.is_empty() {
        &r.worker_ip
    } else {
        &r.worker_id
    }
}

/// The worker's id and IP, or whichever of them the record has.
pub(crate) fn worker_described(r: &ExecutionRecord) -> String {
    match (r.worker_id.is_empty(), r.worker_ip.is_empty()) {
        (false, false) => format!("{} ({})", r.worker_id, r.worker_ip),
        (false, true) => r.worker_id.clone(),
        _ => or_dash(&r.worker_ip),
    }
}

fn or_dash(s: &str) -> String {
    if s.is_empty() {
        "-".to_owned()
    } else {
        s.to_owned()
    }
}

fn enabled_word(disabled: bool) -> &'static str {
    if disabled { "disabled" } else { "enabled" }
}

fn percent(v: f64) -> String {
    format!("{v:.1}%")
}

/// `k=v,k2=v2`, or `-` for none.
fn pairs(map: &std::collections::BTreeMap<String, String>) -> String {
    if map.is_empty() {
        return "-".to_owned();
    }
    let pairs: Vec<String> = map.iter().map(|(k, v)| format!("{k}={v}")).collect();
    pairs.join(",")
}

// ---------------------------------------------------------------------------------------
// Jobs
// ---------------------------------------------------------------------------------------

/// A stored job: the old JSON of [`Job`] plus the store revision.
#[derive(Debug, Clone, Serialize)]
pub struct JobView {
    #[serde(flatten)]
    pub job: Job,
    pub revision: i64,
}

impl JobView {
    /// The `job get` rows; `started_by` is the row of the jobs that start this one
    /// ([`JobDetail`]), left out when empty.
    fn rows(&self, started_by: &[String]) -> Vec<(&'static str, String)> {
        let j = &self.job;
        let mut rows = vec![
            ("Name", j.name.clone()),
            ("Cron", j.cron_expr.clone()),
            ("Timezone", or_dash(&j.timezone)),
        ];
        match &j.http {
            None => rows.push(("Command", j.command.clone())),
            Some(http) => rows.extend(http_rows(http)),
        }
        rows.push(("Timeout", format_secs(j.timeout)));
        if j.expected_seconds > 0 {
            let secs = i64::try_from(j.expected_seconds).unwrap_or(i64::MAX);
            rows.push(("Expected", format_secs(secs)));
        }
        rows.extend([
            ("Status", enabled_word(j.disabled).to_owned()),
            ("Overlap", j.overlap.as_str().to_owned()),
        ]);
        // Only the exception: a row saying "one worker" on every job would be noise.
        if j.run_on == RunOn::All {
            rows.push(("Run on", "every worker (broadcast)".to_owned()));
        }
        if j.retries > 0 {
            rows.push((
                "Retries",
                format!("{} (backoff {}ms)", j.retries, j.retry_backoff_ms),
            ));
        }
        if !j.description.is_empty() {
            rows.push(("Description", j.description.clone()));
        }
        if !j.selector.is_empty() {
            let pairs: Vec<String> = j.selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
            rows.push(("Selector", pairs.join(", ")));
        }
        if !j.env.is_empty() {
            // Names only: values may be secrets, and `-o json` has them for those who need them.
            let names: Vec<&str> = j.env.keys().map(String::as_str).collect();
            rows.push(("Env", names.join(", ")));
        }
        // The chain the job is in: what it starts, then what starts it.
        if !j.on_success.is_empty() {
            rows.push(("On success", j.on_success.join(", ")));
        }
        if !j.on_failure.is_empty() {
            rows.push(("On failure", j.on_failure.join(", ")));
        }
        if !started_by.is_empty() {
            rows.push(("Started by", started_by.join(", ")));
        }
        if !j.notify.is_empty() {
            rows.push(("Notify", webhook_lines(&j.notify)));
        }
        rows.push(("Created", local_time_secs(j.created_at)));
        rows.push(("Updated", local_time_secs(j.updated_at)));
        rows.push(("Revision", self.revision.to_string()));
        rows
    }
}

impl Render for JobView {
    fn layout(&self, _wide: bool) -> Option<Layout> {
        Some(detail(self.rows(&[])))
    }
}

/// `job get`: the job, and in the table the jobs that start it (`Started by`), which only a
/// listing of all jobs tells. JSON and YAML are the job alone, as the API answers it.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct JobDetail {
    pub view: JobView,
    /// `import (on success)`, `backup (on failure)`: see [`started_by`].
    #[serde(skip)]
    pub started_by: Vec<String>,
}

impl Render for JobDetail {
    fn layout(&self, _wide: bool) -> Option<Layout> {
        Some(detail(self.view.rows(&self.started_by)))
    }
}

/// How the jobs among `jobs` whose `onSuccess` or `onFailure` name `name` are listed in `job
/// get`: `import (on success)`, `backup (on failure)`, `sync (on success or failure)`; those
/// that start it on success first, then on failure only, each group by name.
pub fn started_by<'a>(name: &str, jobs: impl IntoIterator<Item = &'a Job>) -> Vec<String> {
    let mut starters: Vec<(bool, &str, &str)> = jobs
        .into_iter()
        .filter(|j| j.name != name)
        .filter_map(|j| {
            let on = |names: &[String]| names.iter().any(|n| n == name);
            let how = match (on(&j.on_success), on(&j.on_failure)) {
                (true, true) => "on success or failure",
                (true, false) => "on success",
                (false, true) => "on failure",
                (false, false) => return None,
            };
            Some((how == "on failure", j.name.as_str(), how))
        })
        .collect();
    starters.sort_unstable();
    starters
        .into_iter()
        .map(|(_, job, how)| format!("{job} ({how})"))
        .collect()
}

/// The detail rows of an HTTP job's request, in place of its command: `HTTP` (`METHOD URL`),
/// then `Headers`, `Body`, `Expect status` and `HTTP timeout`, the optional ones when set.
/// Secrets in the URL and the headers are hidden (`-o json` has them); the body is shown.
fn http_rows(http: &HttpSpec) -> Vec<(&'static str, String)> {
    let shown = http.redacted();
    let mut rows = vec![("HTTP", http.describe())];
    if !shown.headers.is_empty() {
        let lines: Vec<String> = shown
            .headers
            .iter()
            .map(|(name, value)| format!("{name}: {value}"))
            .collect();
        rows.push(("Headers", lines.join("\n")));
    }
    if !http.body.is_empty() {
        // On one line and cut, like free text in tables: a body may be a whole document.
        rows.push(("Body", truncate(&http.body, TEXT_WIDTH)));
    }
    rows.push(("Expect status", http.expected()));
    if http.timeout > 0 {
        rows.push((
            "HTTP timeout",
            format_secs(i64::try_from(http.timeout).unwrap_or(i64::MAX)),
        ));
    }
    rows
}

/// The `Notify` row of `job get`: a line per webhook, `URL on failure, timeout, …` (the
/// events it names, else the default ones), and under it its headers, indented. Secrets in
/// the URL and the headers are hidden (`-o json` has them).
fn webhook_lines(hooks: &[Webhook]) -> String {
    let mut lines = Vec::new();
    for hook in hooks {
        let shown = hook.redacted_with(|_| schedd_core::http::REDACTED.to_owned());
        let on = if shown.on.is_empty() {
            &NoticeKind::DEFAULT[..]
        } else {
            &shown.on[..]
        };
        let events: Vec<&str> = on.iter().map(|k| k.as_str()).collect();
        lines.push(format!("{} on {}", shown.url, events.join(", ")));
        lines.extend(
            shown
                .headers
                .iter()
                .map(|(name, value)| format!("  {name}: {value}")),
        );
    }
    lines.join("\n")
}

/// `job list`: a JSON array of jobs.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct JobList(pub Vec<JobView>);

impl Render for JobList {
    fn layout(&self, wide: bool) -> Option<Layout> {
        let mut header = vec!["NAME", "CRON", "COMMAND", "TIMEOUT", "STATUS", "UPDATED"];
        if wide {
            header.extend(["TIMEZONE", "OVERLAP", "RUN ON", "REVISION", "DESCRIPTION"]);
        }
        let mut table = Layout::list(&header);
        for JobView { job, revision } in &self.0 {
            let mut row = texts([
                job.name.clone(),
                job.cron_expr.clone(),
                truncate(&job.what(), COMMAND_WIDTH),
                format_secs(job.timeout),
                enabled_word(job.disabled).to_owned(),
                local_time_secs(job.updated_at),
            ]);
            if wide {
                row.extend(texts([
                    or_dash(&job.timezone),
                    job.overlap.as_str().to_owned(),
                    job.run_on.as_str().to_owned(),
                    revision.to_string(),
                    or_dash(&truncate(&job.description, TEXT_WIDTH)),
                ]));
            }
            table.push(row);
        }
        Some(table)
    }

    fn note(&self) -> Option<String> {
        self.0.is_empty().then(|| "no jobs".to_owned())
    }
}

/// `job next`: the coming fire times of a schedule.
#[derive(Debug, Clone, Serialize)]
pub struct FireTimes {
    pub name: String,
    /// The zone the server evaluated the schedule in.
    pub timezone: String,
    /// RFC 3339 in UTC in JSON.
    pub times: Vec<DateTime<Utc>>,
}

impl Render for FireTimes {
    fn layout(&self, _wide: bool) -> Option<Layout> {
        let mut table = Layout::list(&["NEXT RUN (LOCAL TIME)"]);
        for t in &self.times {
            table.push(texts([local_time(t)]));
        }
        Some(table)
    }

    /// The times in RFC 3339 (UTC), one per line: the useful list here is when, not who.
    fn names(&self) -> Option<Vec<String>> {
        Some(self.times.iter().map(DateTime::to_rfc3339).collect())
    }

    fn note(&self) -> Option<String> {
        Some(format!(
            "{:?} is read in the {} time zone",
            self.name, self.timezone
        ))
    }
}

/// `job run`: the id the execution record will carry.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunStarted {
    pub name: String,
    pub execution_id: String,
}

impl Render for RunStarted {
    /// Only the id, so `id=$(schedctl job run x)` works.
    fn table(&self) -> String {
        self.execution_id.clone()
    }
}

/// `job kill`: nothing comes back but the name.
#[derive(Debug, Clone, Serialize)]
pub struct Killed {
    pub name: String,
    pub killed: bool,
}

impl Render for Killed {
    fn table(&self) -> String {
        format!("kill sent to the running executions of job {:?}", self.name)
    }
}

// ---------------------------------------------------------------------------------------
// Execution records
// ---------------------------------------------------------------------------------------

fn exit_cell(r: &ExecutionRecord) -> String {
    if r.status == ExecutionStatus::Running {
        "-".to_owned()
    } else {
        r.exit_code.to_string()
    }
}

fn duration_cell(r: &ExecutionRecord) -> String {
    if r.end_time_ms == 0 || r.start_time_ms == 0 {
        "-".to_owned()
    } else {
        format_ms(r.duration_ms())
    }
}

fn status_cell(status: ExecutionStatus) -> Text {
    Text::toned(status.as_str(), Tone::of_status(status))
}

/// `log get`: one record.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct RecordView(pub ExecutionRecord);

impl Render for RecordView {
    fn layout(&self, _wide: bool) -> Option<Layout> {
        let r = &self.0;
        let mut rows = vec![
            ("Execution", Text::from(r.execution_id.clone())),
            ("Job", r.job_name.clone().into()),
            ("Command", r.command.clone().into()),
            ("Status", status_cell(r.status)),
            ("Exit code", exit_cell(r).into()),
            (
                "Trigger",
                format!("{} (attempt {})", r.trigger.as_str(), r.attempt).into(),
            ),
        ];
        if !r.parent_execution_id.is_empty() {
            // The run whose end started this one (trigger `dependency`).
            rows.push(("Parent", r.parent_execution_id.clone().into()));
        }
        rows.extend([
            ("Worker", worker_described(r).into()),
            ("Planned", local_time_ms(r.plan_time_ms).into()),
            ("Started", local_time_ms(r.start_time_ms).into()),
            ("Ended", local_time_ms(r.end_time_ms).into()),
            ("Duration", duration_cell(r).into()),
        ]);
        if !r.error.is_empty() {
            rows.push(("Error", r.error.clone().into()));
        }
        if !r.notifications.is_empty() {
            let lines: Vec<String> = r.notifications.iter().map(delivery_line).collect();
            rows.push(("Notices", lines.join("\n").into()));
        }
        let truncated = if r.output_truncated {
            "\n(truncated)"
        } else {
            ""
        };
        rows.push((
            "Output",
            format!("{}{truncated}", r.output.trim_end()).into(),
        ));
        if !r.stderr.is_empty() {
            rows.push(("Stderr", r.stderr.trim_end().to_owned().into()));
        }
        Some(Layout::Detail(
            rows.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        ))
    }
}

/// How one notice's delivery went, on one line: `failure → https://hooks.example.com/h?token=***
/// delivered (2 attempts, HTTP 200)`, or `not delivered (4 attempts, HTTP 500): ERROR`. The
/// URL is as the record has it, its secrets hidden by the worker.
pub(crate) fn delivery_line(d: &Delivery) -> String {
    let plural = if d.attempts == 1 { "" } else { "s" };
    let mut how = format!("{} attempt{plural}", d.attempts);
    // 0: no answer came (the error says why).
    if d.status != 0 {
        how.push_str(&format!(", HTTP {}", d.status));
    }
    let outcome = if d.delivered {
        "delivered"
    } else {
        "not delivered"
    };
    let mut line = format!("{} → {} {outcome} ({how})", d.event, d.url);
    // On one line, as the row is: an error with line breaks would look like more notices.
    let error = d.error.split_whitespace().collect::<Vec<_>>().join(" ");
    if !error.is_empty() {
        line.push_str(": ");
        line.push_str(&error);
    }
    line
}

/// The NOTICES cell of `log list -o wide`: `1/2 delivered`, or `-` for a run without notices.
fn notices_cell(r: &ExecutionRecord) -> String {
    if r.notifications.is_empty() {
        return "-".to_owned();
    }
    let delivered = r.notifications.iter().filter(|d| d.delivered).count();
    format!("{delivered}/{} delivered", r.notifications.len())
}

/// Whether two records are runs of one tick: the same job and the same plan time. A record
/// without a plan time (0, as some old records have) belongs to no tick.
fn same_tick(a: &ExecutionRecord, b: &ExecutionRecord) -> bool {
    a.plan_time_ms != 0 && a.plan_time_ms == b.plan_time_ms && a.job_name == b.job_name
}

/// The positions of `records` grouped by tick ([`same_tick`]): the groups in the order of
/// their first record, the records of a group in their order in `records`. The runs of one
/// tick of a broadcast job (one per worker), and a tick's retries, thus come together while
/// the list keeps the server's order (newest start first) otherwise.
pub(crate) fn tick_groups(records: &[ExecutionRecord]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut by_tick: HashMap<(&str, i64), usize> = HashMap::new();
    for (i, r) in records.iter().enumerate() {
        if r.plan_time_ms == 0 {
            groups.push(vec![i]);
            continue;
        }
        match by_tick.entry((r.job_name.as_str(), r.plan_time_ms)) {
            Entry::Occupied(at) => groups[*at.get()].push(i),
            Entry::Vacant(slot) => {
                slot.insert(groups.len());
                groups.push(vec![i]);
            }
        }
    }
    groups
}

/// `records` reordered so the runs of one tick are together, as [`tick_groups`] orders them.
pub(crate) fn grouped_by_tick(records: Vec<ExecutionRecord>) -> Vec<ExecutionRecord> {
    let order: Vec<usize> = tick_groups(&records).into_iter().flatten().collect();
    let mut slots: Vec<Option<ExecutionRecord>> = records.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect()
}

/// Whether record `i` of `records` (grouped, see [`grouped_by_tick`]) opens its tick's group.
pub(crate) fn opens_tick(records: &[ExecutionRecord], i: usize) -> bool {
    i == 0 || !same_tick(&records[i - 1], &records[i])
}

/// `log list`: one page of records.
///
/// When two records or more of one job share a plan time (the runs of one tick of a broadcast
/// job, a tick and its retries), the table lists the runs of each tick together, in a TICK
/// column shown once per tick (blank on its later rows); `-o wide` then leaves out its
/// PLANNED column, which would say the same. Otherwise the table is the plain list. JSON and
/// YAML are always the records in the server's order.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordPage {
    pub records: Vec<ExecutionRecord>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
}

impl Render for RecordPage {
    fn layout(&self, wide: bool) -> Option<Layout> {
        let groups = tick_groups(&self.records);
        let by_tick = groups.iter().any(|g| g.len() > 1);
        let mut header = Vec::new();
        if by_tick {
            header.push("TICK");
        }
        header.extend([
            "STARTED",
            "JOB",
            "STATUS",
            "EXIT",
            "DURATION",
            "TRIGGER",
            "WORKER",
            "EXECUTION",
        ]);
        if wide {
            if !by_tick {
                header.push("PLANNED");
            }
            header.extend(["WORKER IP", "ATTEMPT", "PARENT", "NOTICES", "ERROR"]);
        }
        let mut table = Layout::list(&header);
        for group in &groups {
            for (n, r) in group.iter().map(|&i| &self.records[i]).enumerate() {
                let mut row = Vec::new();
                if by_tick {
                    // Blank below the first run: the eye finds where each tick starts.
                    row.push(Text::from(if n == 0 {
                        local_time_ms(r.plan_time_ms)
                    } else {
                        String::new()
                    }));
                }
                row.extend([
                    Text::from(local_time_ms(r.start_time_ms)),
                    r.job_name.clone().into(),
                    status_cell(r.status),
                    exit_cell(r).into(),
                    duration_cell(r).into(),
                    r.trigger.as_str().into(),
                    or_dash(worker_name(r)).into(),
                    r.execution_id.clone().into(),
                ]);
                if wide {
                    if !by_tick {
                        row.push(local_time_ms(r.plan_time_ms).into());
                    }
                    row.extend(texts([
                        or_dash(&r.worker_ip),
                        r.attempt.to_string(),
                        or_dash(&r.parent_execution_id),
                        notices_cell(r),
                        or_dash(&truncate(&r.error, TEXT_WIDTH)),
                    ]));
                }
                table.push(row);
            }
        }
        Some(table)
    }

    fn note(&self) -> Option<String> {
        let pages = self.total.div_ceil(u64::from(self.page_size.max(1))).max(1);
        Some(format!(
            "page {} of {pages}, {} records in all",
            self.page, self.total
        ))
    }
}

/// `log stats`: run counts over the last `days` days.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogStatsView {
    /// Empty for every job.
    pub job_name: String,
    pub days: u32,
    pub total: u64,
    pub success: u64,
    pub failed: u64,
    pub timeout: u64,
    pub killed: u64,
    /// success / total, 0 when there were no runs.
    pub success_rate: f64,
    pub avg_duration_ms: f64,
    /// Unix seconds, like the old record times; null when there was no run.
    pub last_run: Option<i64>,
    pub last_run_ms: Option<i64>,
}

impl Render for LogStatsView {
    fn layout(&self, _wide: bool) -> Option<Layout> {
        let job = if self.job_name.is_empty() {
            "(all jobs)".to_owned()
        } else {
            self.job_name.clone()
        };
        let avg_ms = if self.avg_duration_ms.is_finite() {
            // Whole milliseconds are as precise as a run's times.
            self.avg_duration_ms.round() as i64
        } else {
            0
        };
        Some(detail(vec![
            ("Job", job),
            ("Days", self.days.to_string()),
            ("Runs", self.total.to_string()),
            ("Success", self.success.to_string()),
            ("Failed", self.failed.to_string()),
            ("Timeout", self.timeout.to_string()),
            ("Killed", self.killed.to_string()),
            ("Success rate", percent(self.success_rate * 100.0)),
            ("Avg duration", format_ms(avg_ms)),
            ("Last run", local_time_ms(self.last_run_ms.unwrap_or(0))),
        ]))
    }
}

// ---------------------------------------------------------------------------------------
// Workers
// ---------------------------------------------------------------------------------------

/// A worker as it describes itself, and whether the master has heard from it lately.
#[derive(Debug, Clone, Serialize)]
pub struct WorkerView {
    #[serde(flatten)]
    pub info: WorkerInfo,
    pub online: bool,
}

/// `worker list`: a JSON array of workers.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct WorkerList(pub Vec<WorkerView>);

impl Render for WorkerList {
    fn layout(&self, wide: bool) -> Option<Layout> {
        let mut header = vec![
            "ID",
            "HOSTNAME",
            "IP",
            "STATUS",
            "RUNNING",
            "CPU",
            "MEM",
            "LAST SEEN",
            "VERSION",
        ];
        if wide {
            header.extend(["ADDRESS", "LABELS"]);
        }
        let mut table = Layout::list(&header);
        for WorkerView { info, online } in &self.0 {
            let status = if *online {
                Text::toned("online", Tone::Good)
            } else {
                Text::toned("offline", Tone::Bad)
            };
            let mut row = vec![
                Text::from(info.worker_id.clone()),
                or_dash(&info.hostname).into(),
                or_dash(&info.ip).into(),
                status,
                format!("{}/{}", info.running, info.capacity).into(),
                percent(info.cpu_usage).into(),
                percent(info.mem_usage).into(),
                local_time_ms(info.last_seen).into(),
                or_dash(&info.version).into(),
            ];
            if wide {
                row.extend(texts([or_dash(&info.address), pairs(&info.labels)]));
            }
            table.push(row);
        }
        Some(table)
    }

    fn note(&self) -> Option<String> {
        self.0.is_empty().then(|| "no workers".to_owned())
    }
}

/// `worker stats`: the cluster's capacity at a glance.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkerStatsView {
    pub total: u32,
    pub online: u32,
    pub offline: u32,
    pub running: u32,
    pub capacity: u32,
    pub avg_cpu_usage: f64,
    pub avg_mem_usage: f64,
}

impl Render for WorkerStatsView {
    fn layout(&self, _wide: bool) -> Option<Layout> {
        Some(detail(vec![
            ("Workers", self.total.to_string()),
            ("Online", self.online.to_string()),
            ("Offline", self.offline.to_string()),
            ("Running", format!("{}/{}", self.running, self.capacity)),
            ("Avg CPU", percent(self.avg_cpu_usage)),
            ("Avg memory", percent(self.avg_mem_usage)),
        ]))
    }

    /// Counts, not things: `-o name` has nothing to list.
    fn names(&self) -> Option<Vec<String>> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where the detail row `key` starts among `lines` (of `text`), or a failure that shows
    /// the text.
    fn row_index(lines: &[&str], key: &str, text: &str) -> usize {
        lines
            .iter()
            .position(|l| l.starts_with(&format!("{key}:")))
            .unwrap_or_else(|| panic!("no {key} row in\n{text}"))
    }
    use schedd_core::Trigger;

    fn job() -> JobView {
        let mut job = Job::new(
            "backup",
            "0 */5 * * * *",
            "tar czf /tmp/backup.tgz /etc /var/lib/important-data --exclude '*.tmp'",
        );
        job.timeout = 90;
        job.updated_at = 1_700_000_000;
        job.created_at = 1_699_000_000;
        JobView { job, revision: 7 }
    }

    fn record() -> ExecutionRecord {
        ExecutionRecord {
            execution_id: "0190a1b2-c3d4".into(),
            job_name: "backup".into(),
            command: "echo hi".into(),
            output: "hi\n".into(),
            plan_time_ms: 1_700_000_000_000,
            schedule_time_ms: 1_700_000_000_010,
            start_time_ms: 1_700_000_000_100,
            end_time_ms: 1_700_000_001_300,
            exit_code: 0,
            worker_ip: "10.0.0.5".into(),
            worker_id: "w1".into(),
            trigger: Trigger::Manual,
            attempt: 1,
            status: ExecutionStatus::Success,
            ..Default::default()
        }
    }

    fn json(item: &impl Serialize) -> serde_json::Value {
        serde_json::from_str(&to_json(item).expect("encodes")).expect("valid JSON")
    }

    #[test]
    fn job_json_uses_the_old_field_names_plus_revision() {
        let v = json(&job());
        assert_eq!(v["name"], "backup");
        assert_eq!(v["cronExpr"], "0 */5 * * * *");
        assert_eq!(v["timeout"], 90);
        assert_eq!(v["disabled"], false);
        assert_eq!(v["updatedAt"], 1_700_000_000);
        assert_eq!(v["createdAt"], 1_699_000_000);
        assert_eq!(v["revision"], 7);
        assert!(v.get("cron_expr").is_none(), "{v}");
    }

    #[test]
    fn job_list_json_is_an_array() {
        let v = json(&JobList(vec![job(), job()]));
        assert_eq!(v.as_array().map(Vec::len), Some(2));
        assert_eq!(v[1]["cronExpr"], "0 */5 * * * *");
    }

    #[test]
    fn job_table_has_the_columns_and_a_truncated_command() {
        let text = JobList(vec![job()]).table();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        let header: Vec<&str> = lines[0].split_whitespace().collect();
        assert_eq!(
            header,
            ["NAME", "CRON", "COMMAND", "TIMEOUT", "STATUS", "UPDATED"]
        );
        let row = lines[1];
        assert!(row.starts_with("backup  "), "{row}");
        assert!(row.contains("0 */5 * * * *"), "{row}");
        let cut = truncate(&job().job.command, COMMAND_WIDTH);
        assert_eq!(cut.chars().count(), COMMAND_WIDTH);
        assert!(cut.ends_with('…'));
        assert!(row.contains(&cut), "{row}");
        assert!(row.contains("1m30s"), "{row}");
        assert!(row.contains("enabled"), "{row}");
        assert!(row.contains(&local_time_secs(1_700_000_000)), "{row}");
    }

    #[test]
    fn job_detail_shows_every_essential_field() {
        let text = job().table();
        for want in [
            "Name:",
            "backup",
            "Cron:",
            "Timeout:",
            "1m30s",
            "Revision:",
            "7",
        ] {
            assert!(text.contains(want), "{want} missing from\n{text}");
        }
        // The detail view shows the command whole.
        assert!(text.contains("--exclude '*.tmp'"), "{text}");
    }

    #[test]
    fn job_detail_shows_the_chain_only_where_there_is_one() {
        let text = job().table();
        for absent in ["On success:", "On failure:", "Started by:"] {
            assert!(!text.contains(absent), "{absent} in\n{text}");
        }
        let mut view = job();
        view.job.on_success = vec!["report".into(), "notify".into()];
        view.job.on_failure = vec!["page".into()];
        let detail = JobDetail {
            view,
            started_by: vec!["import (on success)".into(), "sync (on failure)".into()],
        };
        let text = detail.table();
        let lines: Vec<&str> = text.lines().collect();
        let row = |key: &str| row_index(&lines, key, &text);
        let value = |key: &str| lines[row(key)][key.len() + 1..].trim().to_owned();
        assert_eq!(value("On success"), "report, notify");
        assert_eq!(value("On failure"), "page");
        assert_eq!(
            value("Started by"),
            "import (on success), sync (on failure)"
        );
        assert!(row("Overlap") < row("On success") && row("Started by") < row("Created"));

        // JSON is the job alone, as the API answers it; so is `-o name`.
        let json = json(&detail);
        assert_eq!(json, self::json(&detail.view));
        assert_eq!(json["onSuccess"], serde_json::json!(["report", "notify"]));
        assert!(json.get("startedBy").is_none(), "{json}");
        assert_eq!(
            printer(OutputFormat::Name).render(&detail).expect("name"),
            "backup"
        );
    }

    #[test]
    fn started_by_lists_success_then_failure_each_by_name() {
        let chained = |name: &str, on_success: &[&str], on_failure: &[&str]| {
            let mut j = Job::new(name, "@daily", "x");
            j.on_success = on_success.iter().map(|n| (*n).to_owned()).collect();
            j.on_failure = on_failure.iter().map(|n| (*n).to_owned()).collect();
            j
        };
        let jobs = [
            chained("backup", &[], &["report"]),
            chained("import", &["report"], &[]),
            chained("zeta", &["other"], &["report"]),
            chained("sync", &["report"], &["report"]),
            chained("other", &[], &[]),
            chained("report", &["x"], &[]),
        ];
        assert_eq!(
            started_by("report", &jobs),
            [
                "import (on success)",
                "sync (on success or failure)",
                "backup (on failure)",
                "zeta (on failure)",
            ]
        );
        assert_eq!(started_by("other", &jobs), ["zeta (on success)"]);
        assert!(started_by("backup", &jobs).is_empty());
    }

    /// An HTTP job with secrets in its URL and a header, and a long body.
    fn http_job() -> JobView {
        let mut job = Job::new("hook", "@every 5m", "");
        job.http = Some(HttpSpec {
            method: "POST".into(),
            url: "https://bob:pw@example.com/hook?token=secret&page=2".into(),
            headers: [
                ("Authorization".to_owned(), "Bearer secret".to_owned()),
                ("Content-Type".to_owned(), "application/json".to_owned()),
            ]
            .into(),
            body: format!("{{\"items\": [{}]}}", "1, ".repeat(30)),
            expect_status: vec![200, 204],
            timeout: 30,
        });
        JobView { job, revision: 2 }
    }

    #[test]
    fn an_http_job_shows_its_request_without_secrets() {
        let text = http_job().table();
        assert!(!text.contains("secret") && !text.contains(":pw@"), "{text}");
        assert!(!text.contains("Command:"), "{text}");
        let lines: Vec<&str> = text.lines().collect();
        let row = |key: &str| row_index(&lines, key, &text);
        assert!(
            lines[row("HTTP")].ends_with("POST https://bob:***@example.com/hook?token=***&page=2"),
            "{text}"
        );
        // One header a line, under each other.
        let headers = row("Headers");
        assert!(
            lines[headers].ends_with("Authorization: Bearer ***"),
            "{text}"
        );
        assert!(
            lines[headers + 1].trim_start() == "Content-Type: application/json",
            "{text}"
        );
        let body = &lines[row("Body")];
        assert!(
            body.contains("{\"items\": [1, 1,") && body.ends_with('…'),
            "{text}"
        );
        assert!(
            lines[row("Expect status")].ends_with("200 or 204"),
            "{text}"
        );
        assert!(lines[row("HTTP timeout")].ends_with("30s"), "{text}");
        // In the order of the command's row: after the zone, before the job's timeout.
        assert!(row("Timezone") < row("HTTP") && row("HTTP timeout") < row("Timeout"));

        // Without the optional parts: no Headers, Body or HTTP timeout rows.
        let mut plain = http_job();
        plain.job.http = Some(HttpSpec {
            url: "http://example.com/health".into(),
            ..HttpSpec::default()
        });
        let text = plain.table();
        assert!(text.contains("GET http://example.com/health"), "{text}");
        assert!(text.contains("Expect status:  2xx"), "{text}");
        for absent in ["Headers:", "Body:", "HTTP timeout:"] {
            assert!(!text.contains(absent), "{absent} in\n{text}");
        }
    }

    #[test]
    fn an_http_job_lists_as_its_request_and_prints_whole_as_json() {
        let jobs = JobList(vec![http_job()]);
        let table = printer(OutputFormat::Wide).render(&jobs).expect("renders");
        assert!(!table.contains("secret"), "{table}");
        let row = table.lines().nth(1).expect("a row");
        let want = truncate(&http_job().job.what(), COMMAND_WIDTH);
        assert!(want.starts_with("POST https://bob:***@"), "{want}");
        assert!(row.contains(&want), "{row}");
        // The machine forms are the stored job, secrets and all, for `apply -f`.
        for format in [OutputFormat::Json, OutputFormat::Yaml] {
            let text = printer(format).render(&http_job()).expect("renders");
            let v: serde_json::Value = serde_norway::from_str(&text).expect("parses");
            assert_eq!(
                v["http"]["url"],
                "https://bob:pw@example.com/hook?token=secret&page=2"
            );
            assert_eq!(v["http"]["headers"]["Authorization"], "Bearer secret");
        }
    }

    #[test]
    fn record_json_uses_the_old_field_names() {
        let v = json(&RecordView(record()));
        assert_eq!(v["jobName"], "backup");
        assert_eq!(v["exitCode"], 0);
        assert_eq!(v["output"], "hi\n");
        assert_eq!(v["status"], "success");
        assert_eq!(v["trigger"], "manual");
        assert_eq!(v["planTime"], 1_700_000_000);
        assert_eq!(v["startTime"], 1_700_000_000);
        assert_eq!(v["workerIp"], "10.0.0.5");
        assert_eq!(v["executionId"], "0190a1b2-c3d4");
        assert_eq!(v["isTimeout"], false);
        assert_eq!(v["attempt"], 1);
    }

    #[test]
    fn record_page_json_is_an_object_with_paging() {
        let page = RecordPage {
            records: vec![record()],
            total: 41,
            page: 2,
            page_size: 20,
        };
        let v = json(&page);
        assert_eq!(v["total"], 41);
        assert_eq!(v["page"], 2);
        assert_eq!(v["pageSize"], 20);
        assert_eq!(v["records"][0]["jobName"], "backup");
        assert_eq!(
            page.note().as_deref(),
            Some("page 2 of 3, 41 records in all")
        );
    }

    #[test]
    fn record_table_shows_status_exit_code_and_duration() {
        let page = RecordPage {
            records: vec![record()],
            total: 1,
            page: 1,
            page_size: 20,
        };
        let text = page.table();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(lines[0].starts_with("STARTED"), "{text}");
        let row = lines[1];
        assert!(row.starts_with(&local_time_ms(1_700_000_000_100)), "{row}");
        for want in [
            "backup",
            "success",
            " 0 ",
            "1.2s",
            "manual",
            " w1 ",
            "0190a1b2-c3d4",
        ] {
            assert!(row.contains(want), "{want:?} missing from {row:?}");
        }
    }

    #[test]
    fn record_detail_shows_output_and_error() {
        let mut r = record();
        r.status = ExecutionStatus::Failed;
        r.exit_code = 2;
        r.error = "exit status 2".into();
        r.stderr = "oops\n".into();
        let text = RecordView(r).table();
        for want in [
            "Status:",
            "failed",
            "Exit code:",
            "2",
            "Error:",
            "exit status 2",
            "Output:",
            "hi",
            "Stderr:",
            "oops",
        ] {
            assert!(text.contains(want), "{want} missing from\n{text}");
        }
    }

    #[test]
    fn a_record_started_by_a_dependency_names_its_parent() {
        let text = RecordView(record()).table();
        assert!(!text.contains("Parent:"), "{text}");
        let mut r = record();
        r.trigger = Trigger::Dependency;
        r.parent_execution_id = "0190a1b2-0001".into();
        let text = RecordView(r.clone()).table();
        let lines: Vec<&str> = text.lines().collect();
        let at = |key: &str| row_index(&lines, key, &text);
        assert!(
            lines[at("Trigger")].ends_with("dependency (attempt 1)"),
            "{text}"
        );
        assert!(lines[at("Parent")].ends_with(" 0190a1b2-0001"), "{text}");
        assert_eq!(at("Parent"), at("Trigger") + 1, "{text}");
        assert_eq!(
            json(&RecordView(r.clone()))["parentExecutionId"],
            "0190a1b2-0001"
        );

        let page = RecordPage {
            records: vec![r, record()],
            total: 2,
            page: 1,
            page_size: 20,
        };
        let table = printer(OutputFormat::Table).render(&page).expect("renders");
        assert!(!table.contains("PARENT"), "{table}");
        assert!(table.contains(" dependency "), "{table}");
        let wide = printer(OutputFormat::Wide).render(&page).expect("renders");
        let lines: Vec<&str> = wide.lines().collect();
        let column = lines[0].find("PARENT").expect("a PARENT column");
        assert!(lines[1][column..].starts_with("0190a1b2-0001  "), "{wide}");
        assert!(lines[2][column..].starts_with("-  "), "{wide}");
    }

    #[test]
    fn job_detail_has_a_run_on_row_only_for_a_broadcast_job() {
        let text = job().table();
        assert!(!text.contains("Run on:"), "{text}");
        let mut view = job();
        view.job.run_on = RunOn::All;
        let text = view.table();
        let lines: Vec<&str> = text.lines().collect();
        let row = |key: &str| row_index(&lines, key, &text);
        assert_eq!(
            lines[row("Run on")]["Run on:".len()..].trim_start(),
            "every worker (broadcast)",
            "{text}"
        );
        assert_eq!(row("Run on"), row("Overlap") + 1, "{text}");
        assert_eq!(json(&view)["runOn"], "all");
        // `one` is the default, left out of the JSON as in a job file.
        assert!(json(&job()).get("runOn").is_none());
    }

    #[test]
    fn job_detail_shows_webhooks_without_secrets_and_the_expected_duration() {
        let text = job().table();
        for absent in ["Notify:", "Expected:"] {
            assert!(!text.contains(absent), "{absent} in\n{text}");
        }
        let mut view = job();
        view.job.notify = vec![
            Webhook {
                url: "https://hooks.example.com/h?token=secret&team=ops".into(),
                headers: [
                    ("Authorization".to_owned(), "Bearer secret".to_owned()),
                    ("X-Team".to_owned(), "ops".to_owned()),
                ]
                .into(),
                on: vec![NoticeKind::Failure, NoticeKind::Overdue],
            },
            Webhook {
                url: "http://127.0.0.1:9000/alert".into(),
                ..Webhook::default()
            },
        ];
        view.job.expected_seconds = 45 * 60;
        let text = view.table();
        assert!(!text.contains("secret"), "{text}");
        let lines: Vec<&str> = text.lines().collect();
        let row = |key: &str| row_index(&lines, key, &text);
        let notify = row("Notify");
        // The value column, where the rows' values start.
        let column = lines[notify].find("https://").expect("a URL");
        let values: Vec<&str> = lines[notify..notify + 4]
            .iter()
            .map(|l| &l[column..])
            .collect();
        assert_eq!(
            values,
            [
                "https://hooks.example.com/***?token=***&team=ops on failure, overdue",
                "  Authorization: Bearer ***",
                "  X-Team: ops",
                // No events named: the default ones.
                "http://127.0.0.1:9000/*** on failure, timeout, recovery, lost",
            ],
            "{text}"
        );
        assert!(lines[row("Expected")].ends_with(" 45m"), "{text}");
        assert_eq!(row("Expected"), row("Timeout") + 1, "{text}");
        assert!(row("Overlap") < notify && notify < row("Created"), "{text}");
        // The machine forms are the job as stored, secrets and all.
        let v = json(&view);
        assert_eq!(
            v["notify"][0]["url"],
            "https://hooks.example.com/h?token=secret&team=ops"
        );
        assert_eq!(
            v["notify"][0]["on"],
            serde_json::json!(["failure", "overdue"])
        );
        assert_eq!(v["expectedSeconds"], 2700);
    }

    /// A delivery of a failure notice that took two attempts.
    fn delivered() -> Delivery {
        Delivery {
            event: "failure".into(),
            url: "https://hooks.example.com/h?token=***".into(),
            delivered: true,
            attempts: 2,
            status: 200,
            error: String::new(),
            at_ms: 1_700_000_002_000,
        }
    }

    #[test]
    fn record_detail_lists_each_notice_and_how_its_delivery_went() {
        let text = RecordView(record()).table();
        assert!(!text.contains("Notices:"), "{text}");
        let mut r = record();
        r.status = ExecutionStatus::Failed;
        r.error = "exit status 1".into();
        r.notifications = vec![
            delivered(),
            Delivery {
                event: "failure".into(),
                url: "http://127.0.0.1:9000/alert".into(),
                delivered: false,
                attempts: 4,
                status: 500,
                error: "HTTP 500 Internal Server Error".into(),
                at_ms: 1_700_000_009_000,
            },
            Delivery {
                event: "overdue".into(),
                url: "http://10.0.0.9/down".into(),
                delivered: false,
                attempts: 1,
                status: 0,
                error: "request failed: connection refused".into(),
                at_ms: 1_700_000_001_000,
            },
        ];
        let text = RecordView(r.clone()).table();
        let lines: Vec<&str> = text.lines().collect();
        let row = |key: &str| row_index(&lines, key, &text);
        let notices = row("Notices");
        let column = lines[notices].find("failure").expect("an event");
        let values: Vec<&str> = lines[notices..notices + 3]
            .iter()
            .map(|l| &l[column..])
            .collect();
        assert_eq!(
            values,
            [
                "failure → https://hooks.example.com/h?token=*** delivered (2 attempts, HTTP 200)",
                "failure → http://127.0.0.1:9000/alert not delivered (4 attempts, HTTP 500): HTTP 500 Internal Server Error",
                "overdue → http://10.0.0.9/down not delivered (1 attempt): request failed: connection refused",
            ],
            "{text}"
        );
        // After the run's error, before its output, which may be long.
        assert_eq!(row("Notices"), row("Error") + 1, "{text}");
        assert_eq!(row("Output"), notices + 3, "{text}");
        // The JSON is the record as the API answers it.
        let v = json(&RecordView(r));
        assert_eq!(v["notifications"][0]["event"], "failure");
        assert_eq!(v["notifications"][0]["delivered"], true);
        assert_eq!(v["notifications"][1]["status"], 500);
        assert!(json(&RecordView(record())).get("notifications").is_none());
    }

    // ---- runs of one tick ------------------------------------------------------------

    /// A run of `job` planned at second `tick` of 1_700_000_000, on `worker`.
    fn run(job: &str, tick: i64, worker: &str, id: &str) -> ExecutionRecord {
        let plan = (1_700_000_000 + tick) * 1000;
        ExecutionRecord {
            execution_id: id.into(),
            job_name: job.into(),
            worker_id: worker.into(),
            trigger: Trigger::Schedule,
            plan_time_ms: plan,
            schedule_time_ms: plan + 5,
            start_time_ms: plan + 10,
            end_time_ms: plan + 1_210,
            ..record()
        }
    }

    #[test]
    fn tick_groups_keep_the_order_of_first_appearance() {
        let mut no_plan = run("rotate", 0, "w1", "e");
        no_plan.plan_time_ms = 0;
        let records = [
            run("rotate", 2, "w1", "a"),
            run("backup", 2, "w1", "b"),
            run("rotate", 1, "w2", "c"),
            run("rotate", 2, "w2", "d"),
            no_plan.clone(),
            run("rotate", 1, "w1", "f"),
            no_plan,
        ];
        // Same plan time, other job: its own group. No plan time: no tick to share.
        assert_eq!(
            tick_groups(&records),
            [vec![0, 3], vec![1], vec![2, 5], vec![4], vec![6]]
        );
        let ids: Vec<String> = grouped_by_tick(records.to_vec())
            .into_iter()
            .map(|r| r.execution_id)
            .collect();
        assert_eq!(ids, ["a", "d", "b", "c", "f", "e", "e"]);
        let grouped = grouped_by_tick(records.to_vec());
        let opens: Vec<bool> = (0..grouped.len())
            .map(|i| opens_tick(&grouped, i))
            .collect();
        assert_eq!(opens, [true, false, true, true, false, true, true]);
        assert!(tick_groups(&[]).is_empty());
    }

    /// Two ticks of the broadcast job `rotate` (three workers, then two), newest start first
    /// as the server sends them, with a run of `backup` in between.
    fn broadcast_page() -> RecordPage {
        let mut failed = run("rotate", 5, "w3", "01-r5-w3");
        failed.status = ExecutionStatus::Failed;
        failed.exit_code = 1;
        failed.error = "exit status 1".into();
        failed.start_time_ms += 400;
        failed.end_time_ms += 400;
        let mut late = run("rotate", 5, "w2", "01-r5-w2");
        late.start_time_ms += 200;
        late.end_time_ms += 200;
        RecordPage {
            records: vec![
                failed,
                late,
                run("backup", 5, "w1", "01-b5-w1"),
                run("rotate", 5, "w1", "01-r5-w1"),
                run("rotate", 4, "w2", "01-r4-w2"),
                run("rotate", 4, "w1", "01-r4-w1"),
            ],
            total: 6,
            page: 1,
            page_size: 20,
        }
    }

    #[test]
    fn runs_of_one_tick_are_listed_together_with_the_tick_once() {
        let page = broadcast_page();
        let t5 = local_time_secs(1_700_000_005);
        let t4 = local_time_secs(1_700_000_004);
        // Starts: +10ms, +210ms and +410ms into the tick's second: the same second shown.
        let (s5, s4) = (t5.clone(), t4.clone());
        let blank = " ".repeat(t5.len());
        let table = printer(OutputFormat::Table).render(&page).expect("renders");
        assert_eq!(
            table,
            format!(
                "TICK                 STARTED              JOB     STATUS   EXIT  DURATION  TRIGGER   WORKER  EXECUTION\n\
                 {t5}  {s5}  rotate  failed   1     1.2s      schedule  w3      01-r5-w3\n\
                 {blank}  {s5}  rotate  success  0     1.2s      schedule  w2      01-r5-w2\n\
                 {blank}  {s5}  rotate  success  0     1.2s      schedule  w1      01-r5-w1\n\
                 {t5}  {s5}  backup  success  0     1.2s      schedule  w1      01-b5-w1\n\
                 {t4}  {s4}  rotate  success  0     1.2s      schedule  w2      01-r4-w2\n\
                 {blank}  {s4}  rotate  success  0     1.2s      schedule  w1      01-r4-w1"
            )
        );
        // The PLANNED column of `-o wide` would repeat TICK: it is left out.
        let wide = printer(OutputFormat::Wide).render(&page).expect("renders");
        let header = wide.lines().next().expect("a header");
        assert!(
            header.starts_with("TICK ") && !header.contains("PLANNED"),
            "{header}"
        );
        assert!(
            header.ends_with("WORKER IP  ATTEMPT  PARENT  NOTICES  ERROR"),
            "{header}"
        );
        assert!(
            wide.lines()
                .nth(1)
                .is_some_and(|l| l.ends_with("exit status 1")),
            "{wide}"
        );
        // Without headers the rows are the same, columns fitted to them alone.
        let bare = printer(OutputFormat::Table)
            .with_headers(false)
            .render(&page)
            .expect("renders");
        assert_eq!(bare.lines().count(), 6, "{bare}");
        assert!(
            bare.lines().nth(1).is_some_and(|l| l.starts_with(&blank)),
            "{bare}"
        );

        // The machine forms are the records in the server's order, untouched.
        let v = json(&page);
        let ids: Vec<&str> = v["records"]
            .as_array()
            .expect("records")
            .iter()
            .map(|r| r["executionId"].as_str().expect("an id"))
            .collect();
        assert_eq!(
            ids,
            [
                "01-r5-w3", "01-r5-w2", "01-b5-w1", "01-r5-w1", "01-r4-w2", "01-r4-w1"
            ]
        );
        let yaml = printer(OutputFormat::Yaml).render(&page).expect("renders");
        let from_yaml: serde_json::Value = serde_norway::from_str(&yaml).expect("valid YAML");
        assert_eq!(from_yaml, v);
        let names = printer(OutputFormat::Name).render(&page).expect("renders");
        assert_eq!(names, ids.join("\n"));
    }

    #[test]
    fn a_tick_and_its_retry_are_a_group_too_and_a_page_without_shared_ticks_has_no_tick_column() {
        let mut retry = run("backup", 3, "w1", "01-b3-2");
        retry.trigger = Trigger::Retry;
        retry.attempt = 2;
        retry.start_time_ms += 5_000;
        retry.end_time_ms += 5_000;
        let page = RecordPage {
            records: vec![retry, run("backup", 3, "w1", "01-b3-1")],
            total: 2,
            page: 1,
            page_size: 20,
        };
        let table = printer(OutputFormat::Table).render(&page).expect("renders");
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[0].starts_with("TICK "), "{table}");
        assert!(
            lines[1].starts_with(&local_time_secs(1_700_000_003)),
            "{table}"
        );
        assert!(lines[2].starts_with("   "), "{table}");

        // One run per tick: the plain table (as `record_page_as_table_...` has it whole).
        let page = RecordPage {
            records: vec![run("rotate", 2, "w1", "a"), run("rotate", 1, "w1", "b")],
            total: 2,
            page: 1,
            page_size: 20,
        };
        for format in [OutputFormat::Table, OutputFormat::Wide] {
            let text = printer(format).render(&page).expect("renders");
            assert!(text.starts_with("STARTED "), "{text}");
            assert!(!text.contains("TICK"), "{text}");
        }
        assert!(
            printer(OutputFormat::Wide)
                .render(&page)
                .expect("renders")
                .contains("PLANNED")
        );
    }

    #[test]
    fn a_running_record_has_no_exit_code_or_duration_yet() {
        let mut r = record();
        r.status = ExecutionStatus::Running;
        r.end_time_ms = 0;
        assert_eq!(exit_cell(&r), "-");
        assert_eq!(duration_cell(&r), "-");
    }

    #[test]
    fn worker_json_is_worker_info_plus_online() {
        let info = WorkerInfo {
            worker_id: "w1".into(),
            ip: "10.0.0.5".into(),
            hostname: "box".into(),
            cpu_usage: 12.5,
            last_seen: 1_700_000_000_000,
            running: 1,
            capacity: 16,
            ..Default::default()
        };
        let list = WorkerList(vec![WorkerView { info, online: true }]);
        let v = json(&list);
        assert_eq!(v[0]["workerId"], "w1");
        assert_eq!(v[0]["cpuUsage"], 12.5);
        assert_eq!(v[0]["lastSeen"], 1_700_000_000_000_i64);
        assert_eq!(v[0]["online"], true);
        let text = list.table();
        assert!(
            text.contains("online") && text.contains("1/16") && text.contains("12.5%"),
            "{text}"
        );
    }

    #[test]
    fn stats_json_is_camel_case() {
        let stats = LogStatsView {
            job_name: "backup".into(),
            days: 7,
            total: 4,
            success: 3,
            failed: 1,
            timeout: 0,
            killed: 0,
            success_rate: 0.75,
            avg_duration_ms: 1234.4,
            last_run: Some(1_700_000_000),
            last_run_ms: Some(1_700_000_000_500),
        };
        let v = json(&stats);
        assert_eq!(v["jobName"], "backup");
        assert_eq!(v["successRate"], 0.75);
        assert_eq!(v["avgDurationMs"], 1234.4);
        assert_eq!(v["lastRun"], 1_700_000_000);
        let text = stats.table();
        assert!(text.contains("75.0%") && text.contains("1.2s"), "{text}");
    }

    #[test]
    fn truncation_keeps_short_text_and_flattens_newlines() {
        assert_eq!(truncate("echo hi", 40), "echo hi");
        assert_eq!(truncate("a\nb", 40), "a b");
        assert_eq!(truncate("abcdef", 4), "abc…");
    }

    // ---- output formats, headers and colour ------------------------------------------

    fn printer(format: OutputFormat) -> Printer {
        Printer::new(format)
    }

    /// Two jobs with fixed, zone-independent times (0 shows as `-`).
    fn two_jobs() -> JobList {
        let mut a = job();
        a.job.updated_at = 0;
        a.job.timezone = "UTC".into();
        a.job.description = "nightly /etc backup".into();
        let mut b = JobView {
            job: Job::new("hello", "* * * * * *", "echo hi"),
            revision: 3,
        };
        b.job.disabled = true;
        b.job.timezone = "Europe/Berlin".into();
        // A broadcast job: only `-o wide` says so, the default table is the same for all.
        b.job.run_on = RunOn::All;
        JobList(vec![a, b])
    }

    fn page_of_two() -> RecordPage {
        let mut failed = record();
        failed.execution_id = "0190a1b2-ffff".into();
        failed.status = ExecutionStatus::Failed;
        failed.exit_code = 2;
        failed.error = "exit status 2".into();
        failed.attempt = 2;
        // A tick of its own: runs sharing one are grouped (see `broadcast_page`).
        failed.plan_time_ms -= 60_000;
        failed.notifications = vec![delivered()];
        RecordPage {
            records: vec![record(), failed],
            total: 2,
            page: 1,
            page_size: 20,
        }
    }

    #[test]
    fn job_list_as_table_wide_no_headers_and_name() {
        let jobs = two_jobs();
        let cmd = truncate(&job().job.command, COMMAND_WIDTH);
        let table = printer(OutputFormat::Table).render(&jobs).expect("renders");
        assert_eq!(
            table,
            format!(
                "NAME    CRON           COMMAND                                   TIMEOUT  STATUS    UPDATED\n\
                 backup  0 */5 * * * *  {cmd}  1m30s    enabled   -\n\
                 hello   * * * * * *    echo hi                                   none     disabled  -"
            )
        );
        let bare = printer(OutputFormat::Table)
            .with_headers(false)
            .render(&jobs)
            .expect("renders");
        assert_eq!(
            bare,
            format!(
                "backup  0 */5 * * * *  {cmd}  1m30s  enabled   -\n\
                 hello   * * * * * *    echo hi                                   none   disabled  -"
            )
        );
        let wide = printer(OutputFormat::Wide).render(&jobs).expect("renders");
        assert_eq!(
            wide,
            format!(
                "NAME    CRON           COMMAND                                   TIMEOUT  STATUS    UPDATED  TIMEZONE       OVERLAP  RUN ON  REVISION  DESCRIPTION\n\
                 backup  0 */5 * * * *  {cmd}  1m30s    enabled   -        UTC            forbid   one     7         nightly /etc backup\n\
                 hello   * * * * * *    echo hi                                   none     disabled  -        Europe/Berlin  forbid   all     3         -"
            )
        );
        let names = printer(OutputFormat::Name).render(&jobs).expect("renders");
        assert_eq!(names, "backup\nhello");
    }

    #[test]
    fn record_page_as_table_wide_no_headers_and_name() {
        let page = page_of_two();
        let started = local_time_ms(1_700_000_000_100);
        let planned = local_time_ms(1_700_000_000_000);
        let planned_before = local_time_ms(1_699_999_940_000);
        let table = printer(OutputFormat::Table).render(&page).expect("renders");
        assert_eq!(
            table,
            format!(
                "STARTED              JOB     STATUS   EXIT  DURATION  TRIGGER  WORKER  EXECUTION\n\
                 {started}  backup  success  0     1.2s      manual   w1      0190a1b2-c3d4\n\
                 {started}  backup  failed   2     1.2s      manual   w1      0190a1b2-ffff"
            )
        );
        let bare = printer(OutputFormat::Table)
            .with_headers(false)
            .render(&page)
            .expect("renders");
        // Columns fit the rows alone, like kubectl's --no-headers.
        assert_eq!(
            bare,
            format!(
                "{started}  backup  success  0  1.2s  manual  w1  0190a1b2-c3d4\n\
                 {started}  backup  failed   2  1.2s  manual  w1  0190a1b2-ffff"
            )
        );
        let wide = printer(OutputFormat::Wide).render(&page).expect("renders");
        assert_eq!(
            wide,
            format!(
                "STARTED              JOB     STATUS   EXIT  DURATION  TRIGGER  WORKER  EXECUTION      PLANNED              WORKER IP  ATTEMPT  PARENT  NOTICES        ERROR\n\
                 {started}  backup  success  0     1.2s      manual   w1      0190a1b2-c3d4  {planned}  10.0.0.5   1        -       -              -\n\
                 {started}  backup  failed   2     1.2s      manual   w1      0190a1b2-ffff  {planned_before}  10.0.0.5   2        -       1/1 delivered  exit status 2"
            )
        );
        let names = printer(OutputFormat::Name).render(&page).expect("renders");
        assert_eq!(names, "0190a1b2-c3d4\n0190a1b2-ffff");
    }

    #[test]
    fn yaml_is_the_json_objects_in_yaml() {
        let jobs = two_jobs();
        let yaml = printer(OutputFormat::Yaml).render(&jobs).expect("renders");
        let from_yaml: serde_json::Value = serde_norway::from_str(&yaml).expect("valid YAML");
        assert_eq!(from_yaml, json(&jobs));
        assert_eq!(from_yaml[1]["name"], "hello");
        assert_eq!(from_yaml[0]["revision"], 7);

        let page = page_of_two();
        let yaml = printer(OutputFormat::Yaml).render(&page).expect("renders");
        let from_yaml: serde_json::Value = serde_norway::from_str(&yaml).expect("valid YAML");
        assert_eq!(from_yaml, json(&page));
        assert_eq!(from_yaml["records"][1]["exitCode"], 2);
        assert_eq!(from_yaml["pageSize"], 20);

        let text = printer(OutputFormat::Json).render(&page).expect("renders");
        let from_json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(from_json["records"][0]["executionId"], "0190a1b2-c3d4");
        assert_eq!(from_json["total"], 2);
    }

    #[test]
    fn worker_is_named_by_id_and_by_ip_when_a_record_has_no_id() {
        let ours = record();
        assert_eq!(worker_name(&ours), "w1");
        assert_eq!(worker_described(&ours), "w1 (10.0.0.5)");
        // A record written by a Go worker has only `workerIp`.
        let go = ExecutionRecord {
            worker_id: String::new(),
            ..record()
        };
        assert_eq!(worker_name(&go), "10.0.0.5");
        assert_eq!(worker_described(&go), "10.0.0.5");
        let page = RecordPage {
            records: vec![go],
            total: 1,
            page: 1,
            page_size: 20,
        };
        let table = printer(OutputFormat::Table)
            .with_headers(false)
            .render(&page)
            .expect("renders");
        assert!(table.contains("  10.0.0.5  0190a1b2-c3d4"), "{table}");
        let no_worker = ExecutionRecord {
            worker_id: String::new(),
            worker_ip: String::new(),
            ..record()
        };
        assert_eq!(worker_described(&no_worker), "-");
    }

    #[test]
    fn name_output_of_single_objects_and_of_things_without_names() {
        let p = printer(OutputFormat::Name);
        assert_eq!(p.render(&job()).expect("job"), "backup");
        assert_eq!(
            p.render(&RecordView(record())).expect("record"),
            "0190a1b2-c3d4"
        );
        let started = RunStarted {
            name: "backup".into(),
            execution_id: "01ab".into(),
        };
        assert_eq!(p.render(&started).expect("run"), "01ab");
        let next = FireTimes {
            name: "backup".into(),
            timezone: "UTC".into(),
            times: vec![DateTime::<Utc>::from_timestamp(1_700_000_000, 0).expect("valid")],
        };
        assert_eq!(p.render(&next).expect("times"), "2023-11-14T22:13:20+00:00");
        assert_eq!(p.render(&JobList(vec![])).expect("empty list"), "");
        let stats = WorkerStatsView {
            total: 1,
            online: 1,
            offline: 0,
            running: 0,
            capacity: 16,
            avg_cpu_usage: 0.0,
            avg_mem_usage: 0.0,
        };
        let err = p.render(&stats).expect_err("no names");
        assert!(
            err.to_string().contains("`-o name` does not apply"),
            "{err}"
        );
    }

    #[test]
    fn an_empty_list_without_headers_is_no_output_at_all() {
        let p = printer(OutputFormat::Table).with_headers(false);
        assert_eq!(p.render(&JobList(vec![])).expect("renders"), "");
        assert_eq!(
            printer(OutputFormat::Table)
                .render(&JobList(vec![]))
                .expect("renders"),
            "NAME  CRON  COMMAND  TIMEOUT  STATUS  UPDATED"
        );
    }

    #[test]
    fn status_words_are_coloured_only_when_asked() {
        let page = page_of_two();
        let plain = printer(OutputFormat::Table).render(&page).expect("renders");
        assert!(!plain.contains('\u{1b}'), "{plain:?}");
        let coloured = printer(OutputFormat::Table)
            .with_color(true)
            .render(&page)
            .expect("renders");
        // ESC[38;5;2m is green, ESC[38;5;1m red; the word is reset right after.
        assert!(
            coloured.contains("\u{1b}[38;5;2msuccess\u{1b}[39m"),
            "{coloured:?}"
        );
        assert!(
            coloured.contains("\u{1b}[38;5;1mfailed\u{1b}[39m"),
            "{coloured:?}"
        );
        // Only the status cells: the job name is plain.
        assert!(!coloured.contains("mbackup"), "{coloured:?}");

        let workers = WorkerList(vec![WorkerView {
            info: WorkerInfo {
                worker_id: "w1".into(),
                ..Default::default()
            },
            online: false,
        }]);
        let coloured = printer(OutputFormat::Table)
            .with_color(true)
            .render(&workers)
            .expect("renders");
        assert!(coloured.contains("\u{1b}[38;5;1moffline"), "{coloured:?}");
        let mut killed = record();
        killed.status = ExecutionStatus::Killed;
        let coloured = printer(OutputFormat::Table)
            .with_color(true)
            .render(&RecordView(killed))
            .expect("renders");
        assert!(coloured.contains("\u{1b}[38;5;3mkilled"), "{coloured:?}");
        // JSON never carries colour.
        let json_text = printer(OutputFormat::Json)
            .with_color(true)
            .render(&page)
            .expect("renders");
        assert!(!json_text.contains('\u{1b}'));
    }

    #[test]
    fn color_auto_follows_the_terminal_and_no_color() {
        use std::ffi::OsStr;
        let set = Some(OsStr::new("1"));
        let empty = Some(OsStr::new(""));
        // (choice, stdout is a terminal, NO_COLOR, coloured?)
        let cases = [
            (ColorChoice::Auto, true, None, true),
            (ColorChoice::Auto, false, None, false),
            (ColorChoice::Auto, true, set, false),
            (ColorChoice::Auto, true, empty, true),
            (ColorChoice::Always, false, set, true),
            (ColorChoice::Never, true, None, false),
        ];
        for (choice, tty, no_color, want) in cases {
            assert_eq!(
                choice.enabled(tty, no_color),
                want,
                "{choice:?} tty={tty} NO_COLOR={no_color:?}"
            );
        }
    }
}

//! Everything `schedctl` writes to stdout goes through [`Printer`]: tables for people
//! (`-o table`, the default) or JSON for scripts (`-o json`).
//!
//! The JSON keeps the old system's field names, because scripts written against it parse
//! them: jobs are `schedd_core::Job`'s serde form plus `revision`, records are
//! `schedd_core::ExecutionRecord`'s (`jobName`, `exitCode`, `planTime`, ...), workers are
//! `WorkerInfo`'s plus `online`. The view types here wrap the domain types so both forms
//! come from one value. stdout carries data only; notes such as paging go to stderr.

use std::io::Write;

use anyhow::Context;
use chrono::{DateTime, Local, Utc};
use comfy_table::{Table, presets};
use schedd_core::{ExecutionRecord, ExecutionStatus, Job, WorkerInfo};
use serde::Serialize;

use crate::duration::{format_ms, format_secs};

/// Width of the COMMAND column in job tables; longer commands end with `…`.
pub const COMMAND_WIDTH: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
}

/// A value `schedctl` can print: its JSON form is its serde form.
pub trait Render: Serialize {
    /// The human form, without a trailing newline.
    fn table(&self) -> String;

    /// A line for stderr in table mode (e.g. which page this is); none by default.
    fn note(&self) -> Option<String> {
        None
    }
}

/// Writes views to stdout in the chosen format.
#[derive(Debug, Clone)]
pub struct Printer {
    format: OutputFormat,
}

impl Printer {
    pub fn new(format: OutputFormat) -> Printer {
        Printer { format }
    }

    /// Prints `item` as a table or as JSON.
    pub fn print(&self, item: &impl Render) -> anyhow::Result<()> {
        match self.format {
            OutputFormat::Table => {
                write_stdout(&item.table())?;
                if let Some(note) = item.note() {
                    eprintln!("{note}");
                }
                Ok(())
            }
            OutputFormat::Json => write_stdout(&to_json(item)?),
        }
    }

    /// For mutations: `message` in table mode, the resulting object in JSON mode.
    pub fn done(&self, message: &str, result: &impl Render) -> anyhow::Result<()> {
        match self.format {
            OutputFormat::Table => write_stdout(message),
            OutputFormat::Json => write_stdout(&to_json(result)?),
        }
    }
}

/// The pretty JSON text of `item`.
pub fn to_json(item: &impl Serialize) -> anyhow::Result<String> {
    serde_json::to_string_pretty(item).context("encoding JSON")
}

fn write_stdout(text: &str) -> anyhow::Result<()> {
    // Not `println!`: it panics on a closed pipe, and `main` wants the error to exit quietly.
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .context("writing to stdout")
}

// ---------------------------------------------------------------------------------------
// Formatting helpers
// ---------------------------------------------------------------------------------------

/// A table in the compact style: no borders, two spaces between columns.
fn list_table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        // Same output whether stdout is a terminal or a pipe, so tests see what users see.
        .force_no_tty()
        .set_header(header.to_vec());
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
    table
}

/// A two-column `field  value` table for one object.
fn detail_table(rows: Vec<(&str, String)>) -> String {
    let mut table = Table::new();
    table.load_style(presets::NOTHING).force_no_tty();
    for (key, value) in rows {
        table.add_row(vec![format!("{key}:"), value]);
    }
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
    table.trim_fmt()
}

fn finish(table: &Table) -> String {
    table.trim_fmt()
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

impl Render for JobView {
    fn table(&self) -> String {
        let j = &self.job;
        let mut rows = vec![
            ("Name", j.name.clone()),
            ("Cron", j.cron_expr.clone()),
            ("Timezone", or_dash(&j.timezone)),
            ("Command", j.command.clone()),
            ("Timeout", format_secs(j.timeout)),
            ("Status", enabled_word(j.disabled).to_owned()),
            ("Overlap", j.overlap.as_str().to_owned()),
        ];
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
        rows.push(("Created", local_time_secs(j.created_at)));
        rows.push(("Updated", local_time_secs(j.updated_at)));
        rows.push(("Revision", self.revision.to_string()));
        detail_table(rows)
    }
}

/// `job list`: a JSON array of jobs.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct JobList(pub Vec<JobView>);

impl Render for JobList {
    fn table(&self) -> String {
        let mut table = list_table(&["NAME", "CRON", "COMMAND", "TIMEOUT", "STATUS", "UPDATED"]);
        for JobView { job, .. } in &self.0 {
            table.add_row(vec![
                job.name.clone(),
                job.cron_expr.clone(),
                truncate(&job.command, COMMAND_WIDTH),
                format_secs(job.timeout),
                enabled_word(job.disabled).to_owned(),
                local_time_secs(job.updated_at),
            ]);
        }
        finish(&table)
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
    fn table(&self) -> String {
        let mut table = list_table(&["NEXT RUN (LOCAL TIME)"]);
        for t in &self.times {
            table.add_row(vec![local_time(t)]);
        }
        finish(&table)
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

/// `log get`: one record.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct RecordView(pub ExecutionRecord);

impl Render for RecordView {
    fn table(&self) -> String {
        let r = &self.0;
        let mut rows = vec![
            ("Execution", r.execution_id.clone()),
            ("Job", r.job_name.clone()),
            ("Command", r.command.clone()),
            ("Status", r.status.as_str().to_owned()),
            ("Exit code", exit_cell(r)),
            (
                "Trigger",
                format!("{} (attempt {})", r.trigger.as_str(), r.attempt),
            ),
            (
                "Worker",
                match (r.worker_ip.is_empty(), r.worker_id.is_empty()) {
                    (false, false) => format!("{} ({})", r.worker_id, r.worker_ip),
                    (true, false) => r.worker_id.clone(),
                    _ => or_dash(&r.worker_ip),
                },
            ),
            ("Planned", local_time_ms(r.plan_time_ms)),
            ("Started", local_time_ms(r.start_time_ms)),
            ("Ended", local_time_ms(r.end_time_ms)),
            ("Duration", duration_cell(r)),
        ];
        if !r.error.is_empty() {
            rows.push(("Error", r.error.clone()));
        }
        let truncated = if r.output_truncated {
            "\n(truncated)"
        } else {
            ""
        };
        rows.push(("Output", format!("{}{truncated}", r.output.trim_end())));
        if !r.stderr.is_empty() {
            rows.push(("Stderr", r.stderr.trim_end().to_owned()));
        }
        detail_table(rows)
    }
}

/// `log list`: one page of records.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordPage {
    pub records: Vec<ExecutionRecord>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
}

impl Render for RecordPage {
    fn table(&self) -> String {
        let mut table = list_table(&[
            "STARTED",
            "JOB",
            "STATUS",
            "EXIT",
            "DURATION",
            "TRIGGER",
            "WORKER",
            "EXECUTION",
        ]);
        for r in &self.records {
            table.add_row(vec![
                local_time_ms(r.start_time_ms),
                r.job_name.clone(),
                r.status.as_str().to_owned(),
                exit_cell(r),
                duration_cell(r),
                r.trigger.as_str().to_owned(),
                or_dash(&r.worker_ip),
                r.execution_id.clone(),
            ]);
        }
        finish(&table)
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
    fn table(&self) -> String {
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
        detail_table(vec![
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
        ])
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
    fn table(&self) -> String {
        let mut table = list_table(&[
            "ID",
            "HOSTNAME",
            "IP",
            "STATUS",
            "RUNNING",
            "CPU",
            "MEM",
            "LAST SEEN",
            "VERSION",
        ]);
        for WorkerView { info, online } in &self.0 {
            table.add_row(vec![
                info.worker_id.clone(),
                or_dash(&info.hostname),
                or_dash(&info.ip),
                if *online { "online" } else { "offline" }.to_owned(),
                format!("{}/{}", info.running, info.capacity),
                percent(info.cpu_usage),
                percent(info.mem_usage),
                local_time_ms(info.last_seen),
                or_dash(&info.version),
            ]);
        }
        finish(&table)
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
    fn table(&self) -> String {
        detail_table(vec![
            ("Workers", self.total.to_string()),
            ("Online", self.online.to_string()),
            ("Offline", self.offline.to_string()),
            ("Running", format!("{}/{}", self.running, self.capacity)),
            ("Avg CPU", percent(self.avg_cpu_usage)),
            ("Avg memory", percent(self.avg_mem_usage)),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
            "10.0.0.5",
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
}

//! Job definitions and their validation.
//!
//! A [`Job`] serialises to the JSON the old Go master stored in etcd under `jobs/<name>`
//! (`name, command, cronExpr, timeout, disabled, createdAt, updatedAt`), plus schedd's own
//! fields, which are left out of the JSON while they hold their defaults. Fields this version
//! does not know are kept in [`Job::extra`] so a read-modify-write never drops them.

use std::collections::BTreeMap;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::http::{HttpError, HttpSpec};
use crate::name::{JobName, NameError};
use crate::notify::{Webhook, validate_webhooks};
use crate::schedule::{Schedule, ScheduleError, parse_timezone};

/// Longest accepted command, in bytes.
pub const MAX_COMMAND_LEN: usize = 64 * 1024;
/// Longest accepted description, in bytes.
pub const MAX_DESCRIPTION_LEN: usize = 4 * 1024;
/// Longest accepted timeout: 30 days.
pub const MAX_TIMEOUT_SECS: i64 = 30 * 24 * 3600;
pub const MAX_RETRIES: u32 = 10;
/// Largest retry backoff: one hour.
pub const MAX_RETRY_BACKOFF_MS: u64 = 3_600_000;
/// Largest capture per stream: 16 MiB.
pub const MAX_OUTPUT_BYTES: u64 = 16 * 1024 * 1024;
/// Largest catch-up window: 7 days.
pub const MAX_CATCH_UP_SECS: u64 = 7 * 24 * 3600;
/// Largest jitter: one hour.
pub const MAX_JITTER_MS: u64 = 3_600_000;
/// Most jobs named in `onSuccess`, and in `onFailure`.
pub const MAX_DEPENDENTS: usize = 32;
/// Most entries in `env` and in `selector`.
pub const MAX_MAP_ENTRIES: usize = 64;
/// Longest key or value in `env` and `selector`, in bytes.
pub const MAX_MAP_ITEM_LEN: usize = 4 * 1024;

/// What a worker does with a tick while an earlier run of the job is still going.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Overlap {
    /// Start the new run beside the old one.
    Allow,
    /// Skip the tick.
    #[default]
    Forbid,
    /// Kill the running one and start the new one.
    Replace,
}

impl Overlap {
    pub fn as_str(self) -> &'static str {
        match self {
            Overlap::Allow => "allow",
            Overlap::Forbid => "forbid",
            Overlap::Replace => "replace",
        }
    }
}

impl std::str::FromStr for Overlap {
    type Err = JobError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "allow" => Ok(Overlap::Allow),
            "forbid" => Ok(Overlap::Forbid),
            "replace" => Ok(Overlap::Replace),
            other => Err(JobError::Overlap(other.to_owned())),
        }
    }
}

/// Which workers run a tick.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunOn {
    /// One worker of those matching the selector.
    #[default]
    One,
    /// Every online worker matching the selector, once each (broadcast): each run gets
    /// `SCHEDD_SHARD_INDEX` and `SCHEDD_SHARD_TOTAL`.
    All,
}

impl RunOn {
    pub fn as_str(self) -> &'static str {
        match self {
            RunOn::One => "one",
            RunOn::All => "all",
        }
    }
}

impl std::str::FromStr for RunOn {
    type Err = JobError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "one" => Ok(RunOn::One),
            "all" => Ok(RunOn::All),
            other => Err(JobError::RunOn(other.to_owned())),
        }
    }
}

/// The variables a broadcast run gets: its worker's place among the workers that run the
/// tick (0-based), and how many they are.
pub const SHARD_INDEX_VAR: &str = "SCHEDD_SHARD_INDEX";
/// See [`SHARD_INDEX_VAR`].
pub const SHARD_TOTAL_VAR: &str = "SCHEDD_SHARD_TOTAL";

pub(crate) fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// A job definition. `timeout` is in seconds (0 = none); times are Unix seconds, as in the
/// old system's JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    pub name: String,
    pub command: String,
    pub cron_expr: String,
    #[serde(default)]
    pub timeout: i64,
    #[serde(default)]
    pub disabled: bool,
    #[serde(default)]
    pub created_at: i64,
    #[serde(default)]
    pub updated_at: i64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub timezone: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub overlap: Overlap,
    #[serde(default, skip_serializing_if = "is_default")]
    pub retries: u32,
    #[serde(default, skip_serializing_if = "is_default")]
    pub retry_backoff_ms: u64,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub selector: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub env: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub max_output_bytes: u64,
    #[serde(default, skip_serializing_if = "is_default")]
    pub catch_up_seconds: u64,
    #[serde(default, skip_serializing_if = "is_default")]
    pub jitter_ms: u64,
    /// The HTTP request an HTTP job makes, in place of a `command`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpSpec>,
    /// Jobs run when a run of this one succeeds (after its retries).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on_success: Vec<String>,
    /// Jobs run when a run of this one fails or times out (after its retries).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on_failure: Vec<String>,
    /// One worker per tick, or all of them.
    #[serde(default, skip_serializing_if = "is_default")]
    pub run_on: RunOn,
    /// Webhooks told when a run fails, times out, recovers, is skipped, is lost or runs
    /// long; none: the cluster's default ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notify: Vec<Webhook>,
    /// How long a run is expected to take, in seconds: past it, an `overdue` notice goes
    /// out (0: never).
    #[serde(default, skip_serializing_if = "is_default")]
    pub expected_seconds: u64,
    /// Fields written by other versions; kept as they are.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Why a job definition was rejected. Each message names the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    #[error(transparent)]
    Name(#[from] NameError),
    #[error("command is empty (a job runs a command, or makes the HTTP request in `http`)")]
    EmptyCommand,
    #[error("a job has a command or an `http` request, not both")]
    CommandAndHttp,
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error("command is {0} bytes long; the limit is {MAX_COMMAND_LEN}")]
    CommandTooLong(usize),
    #[error("command contains a NUL byte")]
    CommandNul,
    #[error("cronExpr: {0}")]
    Schedule(#[from] ScheduleError),
    #[error("timezone: {0}")]
    Timezone(ScheduleError),
    #[error("timeout must be 0 (none) or a positive number of seconds, got {0}")]
    NegativeTimeout(i64),
    #[error("timeout of {0}s is over the limit of {MAX_TIMEOUT_SECS}s (30 days)")]
    TimeoutTooLong(i64),
    #[error("overlap must be allow, forbid or replace, got `{0}`")]
    Overlap(String),
    #[error("runOn must be one or all, got `{0}`")]
    RunOn(String),
    #[error("env: `{0}` is set by schedd on each run of a broadcast job (runOn: all)")]
    ReservedEnv(&'static str),
    #[error("retries must be at most {MAX_RETRIES}, got {0}")]
    TooManyRetries(u32),
    #[error("retryBackoffMs must be at most {MAX_RETRY_BACKOFF_MS}, got {0}")]
    BackoffTooLong(u64),
    #[error("maxOutputBytes must be at most {MAX_OUTPUT_BYTES}, got {0}")]
    OutputTooLarge(u64),
    #[error("catchUpSeconds must be at most {MAX_CATCH_UP_SECS} (7 days), got {0}")]
    CatchUpTooLong(u64),
    #[error("jitterMs must be at most {MAX_JITTER_MS} (1 hour), got {0}")]
    JitterTooLong(u64),
    #[error("description is {0} bytes long; the limit is {MAX_DESCRIPTION_LEN}")]
    DescriptionTooLong(usize),
    #[error("{field}: {reason}")]
    Map { field: &'static str, reason: String },
    #[error("{field}: {reason}")]
    Dependents { field: &'static str, reason: String },
    #[error("{0}")]
    Notify(String),
    #[error("expectedSeconds of {0} is over the limit of {MAX_TIMEOUT_SECS} (30 days)")]
    ExpectedTooLong(u64),
}

impl Job {
    /// A job with the given essentials and every other field at its default.
    pub fn new(
        name: impl Into<String>,
        cron_expr: impl Into<String>,
        command: impl Into<String>,
    ) -> Job {
        Job {
            name: name.into(),
            command: command.into(),
            cron_expr: cron_expr.into(),
            timeout: 0,
            disabled: false,
            created_at: 0,
            updated_at: 0,
            timezone: String::new(),
            overlap: Overlap::default(),
            retries: 0,
            retry_backoff_ms: 0,
            selector: BTreeMap::new(),
            env: BTreeMap::new(),
            description: String::new(),
            max_output_bytes: 0,
            catch_up_seconds: 0,
            jitter_ms: 0,
            http: None,
            on_success: Vec::new(),
            on_failure: Vec::new(),
            run_on: RunOn::One,
            notify: Vec::new(),
            expected_seconds: 0,
            extra: serde_json::Map::new(),
        }
    }

    /// What a run does, for records and listings: the command, or `METHOD URL` of an HTTP
    /// job with the URL's secrets hidden.
    pub fn what(&self) -> String {
        match &self.http {
            Some(http) => http.describe(),
            None => self.command.clone(),
        }
    }

    /// The job as it may be shown: the secrets of an HTTP job's request and of its
    /// webhooks hidden (see [`HttpSpec::redacted`]).
    pub fn redacted(&self) -> Job {
        self.redacted_with(|_| crate::http::REDACTED.to_owned())
    }

    /// The job with each secret of its request and its webhooks (in URLs and headers)
    /// replaced by what `hide` makes of it.
    pub fn redacted_with(&self, hide: impl Fn(&str) -> String) -> Job {
        Job {
            http: self.http.as_ref().map(|h| h.redacted_with(&hide)),
            notify: self.notify.iter().map(|w| w.redacted_with(&hide)).collect(),
            ..self.clone()
        }
    }

    /// The validated name.
    pub fn job_name(&self) -> Result<JobName, NameError> {
        JobName::new(self.name.clone())
    }

    /// The time zone the schedule runs in: the job's own, else `default_tz`.
    pub fn zone(&self, default_tz: Tz) -> Result<Tz, JobError> {
        if self.timezone.is_empty() {
            Ok(default_tz)
        } else {
            parse_timezone(&self.timezone).map_err(JobError::Timezone)
        }
    }

    /// The parsed schedule. A `TZ=` prefix in the expression wins over the job's zone.
    pub fn schedule(&self, default_tz: Tz) -> Result<Schedule, JobError> {
        Ok(Schedule::parse(&self.cron_expr, self.zone(default_tz)?)?)
    }

    /// Checks every field; returns the parsed schedule so callers need not parse twice.
    pub fn validate(&self, default_tz: Tz) -> Result<Schedule, JobError> {
        self.validate_fields()?;
        self.schedule(default_tz)
    }

    /// Checks every field but the schedule (which is the costly one to parse): for callers
    /// that already hold the parsed schedule of an identical expression.
    pub fn validate_fields(&self) -> Result<(), JobError> {
        self.job_name()?;
        if let Some(http) = &self.http {
            if !self.command.is_empty() {
                return Err(JobError::CommandAndHttp);
            }
            http.validate()?;
        } else if self.command.trim().is_empty() {
            return Err(JobError::EmptyCommand);
        }
        if self.command.len() > MAX_COMMAND_LEN {
            return Err(JobError::CommandTooLong(self.command.len()));
        }
        if self.command.contains('\0') {
            return Err(JobError::CommandNul);
        }
        if self.timeout < 0 {
            return Err(JobError::NegativeTimeout(self.timeout));
        }
        if self.timeout > MAX_TIMEOUT_SECS {
            return Err(JobError::TimeoutTooLong(self.timeout));
        }
        if self.retries > MAX_RETRIES {
            return Err(JobError::TooManyRetries(self.retries));
        }
        if self.retry_backoff_ms > MAX_RETRY_BACKOFF_MS {
            return Err(JobError::BackoffTooLong(self.retry_backoff_ms));
        }
        if self.max_output_bytes > MAX_OUTPUT_BYTES {
            return Err(JobError::OutputTooLarge(self.max_output_bytes));
        }
        if self.catch_up_seconds > MAX_CATCH_UP_SECS {
            return Err(JobError::CatchUpTooLong(self.catch_up_seconds));
        }
        if self.jitter_ms > MAX_JITTER_MS {
            return Err(JobError::JitterTooLong(self.jitter_ms));
        }
        if self.description.len() > MAX_DESCRIPTION_LEN {
            return Err(JobError::DescriptionTooLong(self.description.len()));
        }
        check_env(&self.env)?;
        for var in [SHARD_INDEX_VAR, SHARD_TOTAL_VAR] {
            if self.run_on == RunOn::All && self.env.contains_key(var) {
                return Err(JobError::ReservedEnv(var));
            }
        }
        check_selector(&self.selector)?;
        validate_webhooks("notify", &self.notify).map_err(JobError::Notify)?;
        if self.expected_seconds > MAX_TIMEOUT_SECS.unsigned_abs() {
            return Err(JobError::ExpectedTooLong(self.expected_seconds));
        }
        check_dependents("onSuccess", &self.on_success, &self.name)?;
        check_dependents("onFailure", &self.on_failure, &self.name)?;
        Ok(())
    }

    /// The jobs a run of this one starts when it ends with `status`: `onSuccess` after a
    /// success, `onFailure` after a failure or a timeout, none after anything else (a run
    /// killed by hand, a skipped tick, a run whose worker died).
    pub fn dependents(&self, status: crate::ExecutionStatus) -> &[String] {
        use crate::ExecutionStatus as S;
        match status {
            S::Success => &self.on_success,
            S::Failed | S::Timeout => &self.on_failure,
            S::Killed | S::Running | S::Skipped | S::Lost => &[],
        }
    }

    /// Every job named in `onSuccess` or `onFailure`, once each.
    pub fn all_dependents(&self) -> impl Iterator<Item = &str> {
        let mut seen = std::collections::BTreeSet::new();
        self.on_success
            .iter()
            .chain(&self.on_failure)
            .map(String::as_str)
            .filter(move |n| seen.insert(*n))
    }
}

/// Valid job names, each once, not the job's own (that would be a cycle of one).
fn check_dependents(field: &'static str, names: &[String], own: &str) -> Result<(), JobError> {
    let fail = |reason: String| Err(JobError::Dependents { field, reason });
    if names.len() > MAX_DEPENDENTS {
        return fail(format!(
            "{} jobs; the limit is {MAX_DEPENDENTS}",
            names.len()
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    for name in names {
        if let Err(e) = JobName::new(name.clone()) {
            return fail(e.to_string());
        }
        if name == own {
            return fail(format!("a job cannot start itself (cycle: {own} → {own})"));
        }
        if !seen.insert(name) {
            return fail(format!("`{name}` is named twice"));
        }
    }
    Ok(())
}

fn check_map_size(field: &'static str, map: &BTreeMap<String, String>) -> Result<(), JobError> {
    if map.len() > MAX_MAP_ENTRIES {
        return Err(JobError::Map {
            field,
            reason: format!("{} entries; the limit is {MAX_MAP_ENTRIES}", map.len()),
        });
    }
    for (k, v) in map {
        if k.len() > MAX_MAP_ITEM_LEN || v.len() > MAX_MAP_ITEM_LEN {
            return Err(JobError::Map {
                field,
                reason: format!("entry `{k}` is over {MAX_MAP_ITEM_LEN} bytes"),
            });
        }
        if v.contains('\0') {
            return Err(JobError::Map {
                field,
                reason: format!("value of `{k}` has a NUL byte"),
            });
        }
    }
    Ok(())
}

/// Environment names as POSIX shells accept them: `[A-Za-z_][A-Za-z0-9_]*`.
fn check_env(env: &BTreeMap<String, String>) -> Result<(), JobError> {
    check_map_size("env", env)?;
    for k in env.keys() {
        let mut chars = k.chars();
        let ok_start = chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        if !ok_start || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(JobError::Map {
                field: "env",
                reason: format!("`{k}` is not a valid variable name"),
            });
        }
    }
    Ok(())
}

/// Label keys as Kubernetes-style names: letters, digits, `.`, `_`, `-`, `/`.
fn check_selector(selector: &BTreeMap<String, String>) -> Result<(), JobError> {
    check_map_size("selector", selector)?;
    for k in selector.keys() {
        let valid = !k.is_empty()
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'));
        if !valid {
            return Err(JobError::Map {
                field: "selector",
                reason: format!("`{k}` is not a valid label key"),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job() -> Job {
        Job::new("backup", "0 0 3 * * *", "echo hi")
    }

    #[test]
    fn old_master_json_is_read_and_written_back_unchanged() {
        let old = r#"{"name":"backup","command":"tar czf /tmp/x.tgz /etc","cronExpr":"*/5 * * * * *","timeout":30,"disabled":false,"createdAt":1700000000,"updatedAt":1700000100}"#;
        let job: Job = serde_json::from_str(old).expect("old JSON parses");
        assert_eq!(job.timeout, 30);
        assert_eq!(job.cron_expr, "*/5 * * * * *");
        assert_eq!(serde_json::to_string(&job).expect("serialises"), old);
    }

    #[test]
    fn unknown_fields_survive_a_round_trip() {
        let json = r#"{"name":"a","command":"x","cronExpr":"* * * * *","owner":{"team":"sre"}}"#;
        let job: Job = serde_json::from_str(json).expect("parses");
        let back: serde_json::Value =
            serde_json::from_str(&serde_json::to_string(&job).expect("ser")).expect("json");
        assert_eq!(back["owner"]["team"], "sre");
    }

    /// Regression: serde_json's default float parsing is not exact, so a float in a field
    /// written by another version changed in its last digit on a read-modify-write (found
    /// by the `job_json` fuzz target).
    #[test]
    fn unknown_floats_survive_a_round_trip_exactly() {
        let big = format!("{}2.5", "3".repeat(168));
        let json = format!(r#"{{"name":"a","command":"x","cronExpr":"* * * * *","x":{big}}}"#);
        let job: Job = serde_json::from_str(&json).expect("parses");
        let text = serde_json::to_string(&job).expect("ser");
        assert_eq!(
            serde_json::from_str::<Job>(&text).expect("de"),
            job,
            "{text}"
        );
    }

    #[test]
    fn new_fields_round_trip() {
        let mut j = job();
        j.overlap = Overlap::Replace;
        j.retries = 2;
        j.env.insert("A".into(), "1".into());
        j.selector.insert("zone".into(), "eu".into());
        j.timezone = "Europe/Berlin".into();
        let text = serde_json::to_string(&j).expect("ser");
        assert!(text.contains(r#""overlap":"replace""#), "{text}");
        assert_eq!(serde_json::from_str::<Job>(&text).expect("de"), j);
    }

    #[test]
    fn validation_rejects_each_bad_field_with_its_name() {
        type Mutate = fn(&mut Job);
        let cases: &[(Mutate, &str)] = &[
            (|j| j.name = "bad name".into(), "job name"),
            (|j| j.command = "  ".into(), "command is empty"),
            (|j| j.cron_expr = "not a cron".into(), "cronExpr"),
            (|j| j.command = "a\0b".into(), "NUL"),
            (
                |j| j.command = "x".repeat(MAX_COMMAND_LEN + 1),
                "command is",
            ),
            (|j| j.timeout = -1, "timeout must be 0"),
            (|j| j.timeout = MAX_TIMEOUT_SECS + 1, "timeout of"),
            (|j| j.retries = 11, "retries"),
            (
                |j| j.max_output_bytes = MAX_OUTPUT_BYTES + 1,
                "maxOutputBytes",
            ),
            (
                |j| j.catch_up_seconds = MAX_CATCH_UP_SECS + 1,
                "catchUpSeconds",
            ),
            (|j| j.jitter_ms = MAX_JITTER_MS + 1, "jitterMs"),
            (
                |j| j.retry_backoff_ms = MAX_RETRY_BACKOFF_MS + 1,
                "retryBackoffMs",
            ),
            (
                |j| j.description = "d".repeat(MAX_DESCRIPTION_LEN + 1),
                "description",
            ),
            (|j| j.timezone = "Mars/Base".into(), "timezone"),
            (|j| j.on_success = vec!["bad name".into()], "onSuccess"),
            (
                |j| j.on_failure = vec!["backup".into()],
                "cycle: backup → backup",
            ),
            (
                |j| j.on_failure = vec!["a".into(), "a".into()],
                "named twice",
            ),
            (
                |j| {
                    j.http = Some(HttpSpec {
                        url: "http://a/".into(),
                        ..Default::default()
                    })
                },
                "not both",
            ),
            (
                |j| {
                    j.command.clear();
                    j.http = Some(HttpSpec {
                        url: "nope".into(),
                        ..Default::default()
                    });
                },
                "http.url",
            ),
            (|j| _ = j.env.insert("1BAD".into(), "x".into()), "env"),
            (
                |j| _ = j.selector.insert("a b".into(), "x".into()),
                "selector",
            ),
        ];
        for (mutate, want) in cases {
            let mut j = job();
            mutate(&mut j);
            let err = j.validate(Tz::UTC).expect_err(want).to_string();
            assert!(err.contains(want), "want {want:?} in {err:?}");
        }
        job().validate(Tz::UTC).expect("the base job is valid");
    }

    #[test]
    fn an_http_job_has_no_command_and_says_what_it_calls() {
        let json = r#"{"name":"ping","command":"","cronExpr":"* * * * *","http":{"method":"POST","url":"https://example.com/hook?token=t","headers":{"Authorization":"Bearer s"},"expectStatus":204,"timeout":5}}"#;
        let job: Job = serde_json::from_str(json).expect("parses");
        job.validate(Tz::UTC).expect("valid");
        assert_eq!(job.what(), "POST https://example.com/hook?token=***");
        let shown = job.redacted();
        let http = shown.http.as_ref().expect("http");
        assert_eq!(http.headers["Authorization"], "Bearer ***");
        assert_eq!(http.expect_status, vec![204]);
        // The stored job keeps its secrets.
        assert_eq!(
            job.http.as_ref().map(|h| h.url.as_str()),
            Some("https://example.com/hook?token=t")
        );
    }

    #[test]
    fn a_run_starts_its_success_or_failure_dependents_by_how_it_ended() {
        let mut j = job();
        j.on_success = vec!["report".into(), "notify".into()];
        j.on_failure = vec!["notify".into(), "page".into()];
        use crate::ExecutionStatus as S;
        assert_eq!(j.dependents(S::Success), ["report", "notify"]);
        assert_eq!(j.dependents(S::Timeout), ["notify", "page"]);
        assert_eq!(j.dependents(S::Failed), ["notify", "page"]);
        assert!(j.dependents(S::Killed).is_empty() && j.dependents(S::Lost).is_empty());
        assert_eq!(
            j.all_dependents().collect::<Vec<_>>(),
            ["report", "notify", "page"]
        );
        let text = serde_json::to_string(&j).expect("ser");
        assert!(
            text.contains(r#""onSuccess":["report","notify"]"#),
            "{text}"
        );
        assert_eq!(serde_json::from_str::<Job>(&text).expect("de"), j);
    }

    #[test]
    fn a_broadcast_job_reads_and_writes_run_on_and_leaves_its_shard_variables_to_schedd() {
        let json = r#"{"name":"rotate","command":"logrotate","cronExpr":"@daily","runOn":"all"}"#;
        let job: Job = serde_json::from_str(json).expect("parses");
        assert_eq!(job.run_on, RunOn::All);
        job.validate(Tz::UTC).expect("valid");
        assert!(
            serde_json::to_string(&job)
                .expect("ser")
                .contains(r#""runOn":"all""#)
        );
        assert!(
            !serde_json::to_string(&Job::new("a", "@daily", "x"))
                .expect("ser")
                .contains("runOn")
        );
        let mut clash = job.clone();
        clash.env.insert(SHARD_TOTAL_VAR.into(), "3".into());
        let err = clash.validate(Tz::UTC).expect_err("reserved").to_string();
        assert!(err.contains("SCHEDD_SHARD_TOTAL"), "{err}");
        assert!(
            serde_json::from_str::<Job>(
                r#"{"name":"a","command":"x","cronExpr":"@daily","runOn":"some"}"#
            )
            .is_err()
        );
        assert_eq!("all".parse::<RunOn>(), Ok(RunOn::All));
    }

    #[test]
    fn overlap_parses_its_three_words_only() {
        assert_eq!("replace".parse::<Overlap>(), Ok(Overlap::Replace));
        assert!("sometimes".parse::<Overlap>().is_err());
    }
}

//! Execution records: one per run of a job, as stored in the log store and shown by
//! `log list`. The JSON keeps the old system's field names and Unix-second times
//! (`jobName, planTime, exitCode, ...`) and adds millisecond times beside them
//! (`planTimeMs, ...`), so old readers keep working and new ones get precision.

use serde::{Deserialize, Serialize};

/// A new execution id: a UUIDv7, so ids sort by creation time.
pub fn new_execution_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The line that stands for `dropped` bytes of output cut out of the middle, between the
/// head and the tail that are kept (`maxOutputBytes`, and records on streams).
pub fn truncation_marker(dropped: u64) -> String {
    format!("\n... [{dropped} bytes truncated] ...\n")
}

/// Most bytes of a record's output, and of its stderr, that a record carries on an event or a
/// stream ([`ExecutionRecord::cut_output`]): a job's default `maxOutputBytes`, so that only
/// jobs that raised it see their records cut there. The stored record keeps everything
/// (`GetLatestLog`, `ListLogs`); events and streams are queues, and a bound on what one item
/// holds is what makes a bound on their count a bound on their memory.
pub const STREAM_RECORD_OUTPUT: usize = 256 * 1024;

/// Why a run started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trigger {
    #[default]
    Schedule,
    Manual,
    Retry,
    CatchUp,
    /// Another job's run ended and named this job in its `onSuccess` or `onFailure`.
    Dependency,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Schedule => "schedule",
            Trigger::Manual => "manual",
            Trigger::Retry => "retry",
            Trigger::CatchUp => "catch-up",
            Trigger::Dependency => "dependency",
        }
    }

    pub fn parse(s: &str) -> Option<Trigger> {
        Some(match s {
            "schedule" => Trigger::Schedule,
            "manual" => Trigger::Manual,
            "retry" => Trigger::Retry,
            "catch-up" => Trigger::CatchUp,
            "dependency" => Trigger::Dependency,
            _ => return None,
        })
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExecutionStatus {
    #[default]
    Success,
    Failed,
    Timeout,
    Killed,
    Running,
    /// The tick did not run: the previous run was still going (overlap `forbid`), or the
    /// tick was missed while the cluster was down and falls outside the catch-up window.
    Skipped,
    /// The worker running it died; the outcome is unknown.
    Lost,
}

impl ExecutionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionStatus::Success => "success",
            ExecutionStatus::Failed => "failed",
            ExecutionStatus::Timeout => "timeout",
            ExecutionStatus::Killed => "killed",
            ExecutionStatus::Running => "running",
            ExecutionStatus::Skipped => "skipped",
            ExecutionStatus::Lost => "lost",
        }
    }

    pub fn parse(s: &str) -> Option<ExecutionStatus> {
        Some(match s {
            "success" => ExecutionStatus::Success,
            "failed" => ExecutionStatus::Failed,
            "timeout" => ExecutionStatus::Timeout,
            "killed" => ExecutionStatus::Killed,
            "running" => ExecutionStatus::Running,
            "skipped" => ExecutionStatus::Skipped,
            "lost" => ExecutionStatus::Lost,
            _ => return None,
        })
    }
}

/// One run of a job. Times are milliseconds since the Unix epoch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExecutionRecord {
    pub execution_id: String,
    pub job_name: String,
    pub command: String,
    /// Captured stdout.
    pub output: String,
    pub stderr: String,
    /// Why the run did not succeed; empty on success.
    pub error: String,
    /// The tick the run belongs to.
    pub plan_time_ms: i64,
    /// When the scheduler dispatched it.
    pub schedule_time_ms: i64,
    pub start_time_ms: i64,
    pub end_time_ms: i64,
    pub exit_code: i32,
    pub is_timeout: bool,
    pub worker_ip: String,
    pub worker_id: String,
    pub trigger: Trigger,
    /// 1 for the first attempt, 2 for the first retry, ...
    pub attempt: u32,
    pub output_truncated: bool,
    pub status: ExecutionStatus,
    /// The run whose end started this one (trigger `dependency`); empty otherwise.
    pub parent_execution_id: String,
    /// The notices about this run and how their delivery went.
    pub notifications: Vec<crate::notify::Delivery>,
}

impl ExecutionRecord {
    pub fn duration_ms(&self) -> i64 {
        (self.end_time_ms - self.start_time_ms).max(0)
    }

    /// Bytes of the record's text fields: what it holds on the heap, short of a fixed
    /// allowance for the rest, which each queue that weighs records adds.
    pub fn text_bytes(&self) -> usize {
        let ExecutionRecord {
            execution_id,
            job_name,
            command,
            output,
            stderr,
            error,
            worker_ip,
            worker_id,
            parent_execution_id,
            ..
        } = self;
        [
            execution_id,
            job_name,
            command,
            output,
            stderr,
            error,
            worker_ip,
            worker_id,
            parent_execution_id,
        ]
        .iter()
        .map(|s| s.len())
        .sum::<usize>()
            + self
                .notifications
                .iter()
                .map(|d| 64 + d.url.len() + d.error.len())
                .sum::<usize>()
    }

    /// Cuts the output and the stderr to at most about `max` bytes each, as a worker cuts
    /// them to `maxOutputBytes`: the head and the tail are kept, joined by a
    /// [`truncation_marker`], and the record is marked `output_truncated`.
    pub fn cut_output(&mut self, max: usize) {
        let cut_out = cut_text(&mut self.output, max);
        let cut_err = cut_text(&mut self.stderr, max);
        self.output_truncated |= cut_out || cut_err;
    }
}

/// Keeps the first and last `max / 2` bytes of `text` (at character boundaries) around a
/// marker; whether anything was cut.
fn cut_text(text: &mut String, max: usize) -> bool {
    if text.len() <= max {
        return false;
    }
    let head = text.floor_char_boundary(max / 2);
    let tail = text.ceil_char_boundary(text.len() - max / 2);
    *text = format!(
        "{}{}{}",
        &text[..head],
        truncation_marker((tail - head) as u64),
        &text[tail..]
    );
    true
}

/// The JSON form: the old fields in seconds plus the millisecond fields.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RecordJson {
    #[serde(default)]
    execution_id: String,
    job_name: String,
    #[serde(default)]
    command: String,
    #[serde(default)]
    output: String,
    #[serde(default)]
    error: String,
    #[serde(default)]
    plan_time: i64,
    #[serde(default)]
    schedule_time: i64,
    #[serde(default)]
    start_time: i64,
    #[serde(default)]
    end_time: i64,
    #[serde(default)]
    exit_code: i32,
    #[serde(default)]
    is_timeout: bool,
    #[serde(default)]
    worker_ip: String,
    #[serde(default)]
    stderr: String,
    #[serde(default)]
    plan_time_ms: Option<i64>,
    #[serde(default)]
    schedule_time_ms: Option<i64>,
    #[serde(default)]
    start_time_ms: Option<i64>,
    #[serde(default)]
    end_time_ms: Option<i64>,
    #[serde(default)]
    worker_id: String,
    #[serde(default)]
    trigger: Trigger,
    #[serde(default)]
    attempt: u32,
    #[serde(default)]
    output_truncated: bool,
    #[serde(default)]
    status: Option<ExecutionStatus>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    parent_execution_id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    notifications: Vec<crate::notify::Delivery>,
}

impl Serialize for ExecutionRecord {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        RecordJson {
            execution_id: self.execution_id.clone(),
            job_name: self.job_name.clone(),
            command: self.command.clone(),
            output: self.output.clone(),
            error: self.error.clone(),
            plan_time: self.plan_time_ms.div_euclid(1000),
            schedule_time: self.schedule_time_ms.div_euclid(1000),
            start_time: self.start_time_ms.div_euclid(1000),
            end_time: self.end_time_ms.div_euclid(1000),
            exit_code: self.exit_code,
            is_timeout: self.is_timeout,
            worker_ip: self.worker_ip.clone(),
            stderr: self.stderr.clone(),
            plan_time_ms: Some(self.plan_time_ms),
            schedule_time_ms: Some(self.schedule_time_ms),
            start_time_ms: Some(self.start_time_ms),
            end_time_ms: Some(self.end_time_ms),
            worker_id: self.worker_id.clone(),
            trigger: self.trigger,
            attempt: self.attempt,
            output_truncated: self.output_truncated,
            status: Some(self.status),
            parent_execution_id: self.parent_execution_id.clone(),
            notifications: self.notifications.clone(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for ExecutionRecord {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let j = RecordJson::deserialize(d)?;
        // Records written by the old system have only second times and no status.
        let status = j.status.unwrap_or(if j.is_timeout {
            ExecutionStatus::Timeout
        } else if j.exit_code == 0 && j.error.is_empty() {
            ExecutionStatus::Success
        } else {
            ExecutionStatus::Failed
        });
        Ok(ExecutionRecord {
            execution_id: j.execution_id,
            job_name: j.job_name,
            command: j.command,
            output: j.output,
            stderr: j.stderr,
            error: j.error,
            plan_time_ms: j.plan_time_ms.unwrap_or(j.plan_time * 1000),
            schedule_time_ms: j.schedule_time_ms.unwrap_or(j.schedule_time * 1000),
            start_time_ms: j.start_time_ms.unwrap_or(j.start_time * 1000),
            end_time_ms: j.end_time_ms.unwrap_or(j.end_time * 1000),
            exit_code: j.exit_code,
            is_timeout: j.is_timeout,
            worker_ip: j.worker_ip,
            worker_id: j.worker_id,
            trigger: j.trigger,
            attempt: j.attempt.max(1),
            output_truncated: j.output_truncated,
            status,
            parent_execution_id: j.parent_execution_id,
            notifications: j.notifications,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_has_old_second_fields_and_new_millisecond_fields() {
        let rec = ExecutionRecord {
            execution_id: "e1".into(),
            job_name: "hello".into(),
            plan_time_ms: 1_700_000_000_250,
            start_time_ms: 1_700_000_000_300,
            end_time_ms: 1_700_000_001_999,
            exit_code: 0,
            attempt: 1,
            ..Default::default()
        };
        let v = serde_json::to_value(&rec).expect("ser");
        assert_eq!(v["jobName"], "hello");
        assert_eq!(v["planTime"], 1_700_000_000);
        assert_eq!(v["planTimeMs"], 1_700_000_000_250_i64);
        assert_eq!(v["endTime"], 1_700_000_001);
        assert_eq!(v["exitCode"], 0);
        assert_eq!(v["isTimeout"], false);
        assert_eq!(v["status"], "success");
        assert_eq!(v["trigger"], "schedule");
        let back: ExecutionRecord = serde_json::from_value(v).expect("de");
        assert_eq!(back, rec);
    }

    #[test]
    fn an_old_record_without_status_gets_one_from_its_fields() {
        let old = r#"{"jobName":"a","command":"x","output":"","error":"","planTime":10,"scheduleTime":10,"startTime":11,"endTime":12,"exitCode":0,"isTimeout":true,"workerIp":"10.0.0.1"}"#;
        let rec: ExecutionRecord = serde_json::from_str(old).expect("parses");
        assert_eq!(rec.status, ExecutionStatus::Timeout);
        assert_eq!(rec.start_time_ms, 11_000);
        assert_eq!(rec.attempt, 1);
    }

    #[test]
    fn cutting_a_record_keeps_head_and_tail_at_character_boundaries() {
        let mut r = ExecutionRecord {
            output: format!("{}{}", "é".repeat(600), "z".repeat(10)),
            stderr: "short".into(),
            ..Default::default()
        };
        r.cut_output(100);
        assert!(r.output_truncated);
        assert!(r.output.starts_with("éé"), "{}", r.output);
        assert!(r.output.ends_with("zzzzzzzzzz"), "{}", r.output);
        assert!(r.output.contains("bytes truncated]"), "{}", r.output);
        assert!(r.output.len() < 200, "{}", r.output.len());
        assert_eq!(r.stderr, "short");

        let mut small = ExecutionRecord {
            output: "fits".into(),
            ..Default::default()
        };
        small.cut_output(100);
        assert!(!small.output_truncated);
        assert_eq!(small.output, "fits");
    }
}

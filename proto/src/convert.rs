//! Domain <-> wire conversions.

use chrono::{DateTime, Utc};
use prost_types::Timestamp;
use schedd_core::audit::{Actor, AuditAction, AuditEntry, AuditOutcome};
use schedd_core::notify::{Delivery, Webhook};
use schedd_core::store::JobChange;
use schedd_core::{
    ExecutionRecord, ExecutionStatus, HttpSpec, Job, OutputChunk, OutputStream, Overlap, RunOn,
    Trigger, WorkerInfo,
};

use crate::v1 as pb;

/// A protobuf timestamp for Unix milliseconds.
pub fn ts_from_ms(ms: i64) -> Timestamp {
    Timestamp {
        seconds: ms.div_euclid(1000),
        nanos: (ms.rem_euclid(1000) * 1_000_000) as i32,
    }
}

/// Unix milliseconds of a protobuf timestamp (0 when absent), for showing what a server
/// sent. Saturates rather than overflowing; what a server receives goes through
/// [`checked_ms_from_ts`] instead, which refuses what is out of range.
pub fn ms_from_ts(ts: Option<&Timestamp>) -> i64 {
    ts.map_or(0, |t| {
        t.seconds
            .saturating_mul(1000)
            .saturating_add(i64::from(t.nanos) / 1_000_000)
    })
}

/// The first second a `google.protobuf.Timestamp` may hold: 0001-01-01T00:00:00Z.
pub const MIN_TIMESTAMP_SECONDS: i64 = -62_135_596_800;
/// The last second a `google.protobuf.Timestamp` may hold: 9999-12-31T23:59:59Z.
pub const MAX_TIMESTAMP_SECONDS: i64 = 253_402_300_799;

/// A timestamp from the wire outside the range `google.protobuf.Timestamp` defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimestampOutOfRange {
    pub seconds: i64,
    pub nanos: i32,
}

impl std::fmt::Display for TimestampOutOfRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "timestamp out of range: seconds {} and nanos {}; seconds must be from {MIN_TIMESTAMP_SECONDS} to {MAX_TIMESTAMP_SECONDS} (years 1 to 9999) and nanos from 0 to 999999999",
            self.seconds, self.nanos
        )
    }
}

impl std::error::Error for TimestampOutOfRange {}

/// Unix milliseconds of a protobuf timestamp received from a client (0 when absent), or
/// why it cannot be one: seconds or nanos outside the range the well-known type defines.
/// Within that range the milliseconds cannot overflow, and every later computation on them
/// (durations, ages) stays far from `i64`'s limits.
pub fn checked_ms_from_ts(ts: Option<&Timestamp>) -> Result<i64, TimestampOutOfRange> {
    let Some(t) = ts else {
        return Ok(0);
    };
    let out_of_range = TimestampOutOfRange {
        seconds: t.seconds,
        nanos: t.nanos,
    };
    if !(MIN_TIMESTAMP_SECONDS..=MAX_TIMESTAMP_SECONDS).contains(&t.seconds)
        || !(0..=999_999_999).contains(&t.nanos)
    {
        return Err(out_of_range);
    }
    t.seconds
        .checked_mul(1000)
        .and_then(|ms| ms.checked_add(i64::from(t.nanos) / 1_000_000))
        .ok_or(out_of_range)
}

pub fn ts_from_datetime(t: DateTime<Utc>) -> Timestamp {
    Timestamp {
        seconds: t.timestamp(),
        nanos: t.timestamp_subsec_nanos() as i32,
    }
}

pub fn datetime_from_ts(ts: &Timestamp) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(ts.seconds, u32::try_from(ts.nanos).ok()?)
}

fn opt_ts_from_secs(secs: i64) -> Option<Timestamp> {
    (secs != 0).then_some(Timestamp {
        seconds: secs,
        nanos: 0,
    })
}

pub fn overlap_to_pb(o: Overlap) -> pb::Overlap {
    match o {
        Overlap::Allow => pb::Overlap::Allow,
        Overlap::Forbid => pb::Overlap::Forbid,
        Overlap::Replace => pb::Overlap::Replace,
    }
}

pub fn overlap_from_pb(o: pb::Overlap) -> Overlap {
    match o {
        pb::Overlap::Allow => Overlap::Allow,
        pb::Overlap::Unspecified | pb::Overlap::Forbid => Overlap::Forbid,
        pb::Overlap::Replace => Overlap::Replace,
    }
}

/// The wire form of a stored job at `revision`.
pub fn job_to_pb(job: &Job, revision: i64) -> pb::Job {
    pb::Job {
        name: job.name.clone(),
        command: job.command.clone(),
        cron_expr: job.cron_expr.clone(),
        timeout_seconds: job.timeout,
        disabled: job.disabled,
        created_at: opt_ts_from_secs(job.created_at),
        updated_at: opt_ts_from_secs(job.updated_at),
        timezone: job.timezone.clone(),
        overlap: overlap_to_pb(job.overlap) as i32,
        retries: job.retries,
        retry_backoff_ms: job.retry_backoff_ms,
        selector: job.selector.clone().into_iter().collect(),
        env: job.env.clone().into_iter().collect(),
        description: job.description.clone(),
        max_output_bytes: job.max_output_bytes,
        catch_up_seconds: job.catch_up_seconds,
        jitter_ms: job.jitter_ms,
        revision,
        http: job.http.as_ref().map(http_to_pb),
        on_success: job.on_success.clone(),
        on_failure: job.on_failure.clone(),
        notify: job.notify.iter().map(webhook_to_pb).collect(),
        expected_seconds: job.expected_seconds,
        run_on: match job.run_on {
            RunOn::One => pb::RunOn::One,
            RunOn::All => pb::RunOn::All,
        } as i32,
    }
}

pub fn webhook_to_pb(w: &Webhook) -> pb::Webhook {
    pb::Webhook {
        url: w.url.clone(),
        headers: w.headers.clone().into_iter().collect(),
        on: w.on.iter().map(|k| k.as_str().to_owned()).collect(),
    }
}

/// A webhook from the wire; an unknown event is refused, naming it.
pub fn webhook_from_pb(p: pb::Webhook) -> Result<Webhook, String> {
    Ok(Webhook {
        url: p.url,
        headers: p.headers.into_iter().collect(),
        on: p
            .on
            .iter()
            .map(|k| k.parse().map_err(|e| format!("notify.on: {e}")))
            .collect::<Result<_, String>>()?,
    })
}

pub fn delivery_to_pb(d: &Delivery) -> pb::Delivery {
    pb::Delivery {
        event: d.event.clone(),
        url: d.url.clone(),
        delivered: d.delivered,
        attempts: d.attempts,
        status: u32::from(d.status),
        error: d.error.clone(),
        at: opt_ts_from_ms(d.at_ms),
    }
}

pub fn delivery_from_pb(p: pb::Delivery) -> Delivery {
    Delivery {
        event: p.event,
        url: p.url,
        delivered: p.delivered,
        attempts: p.attempts,
        status: u16::try_from(p.status).unwrap_or(0),
        error: p.error,
        at_ms: ms_from_ts(p.at.as_ref()),
    }
}

pub fn http_to_pb(h: &HttpSpec) -> pb::HttpRequest {
    pb::HttpRequest {
        method: h.method.clone(),
        url: h.url.clone(),
        headers: h.headers.clone().into_iter().collect(),
        body: h.body.clone(),
        expect_status: h.expect_status.iter().map(|&c| u32::from(c)).collect(),
        timeout_seconds: h.timeout,
    }
}

/// An HTTP request from the wire; a status past `u16` is refused, not wrapped.
pub fn http_from_pb(p: pb::HttpRequest) -> Result<HttpSpec, String> {
    let expect_status = p
        .expect_status
        .iter()
        .map(|&c| {
            u16::try_from(c)
                .map_err(|_| format!("http.expectStatus: {c} is not an HTTP status (100 to 599)"))
        })
        .collect::<Result<_, _>>()?;
    Ok(HttpSpec {
        method: p.method,
        url: p.url,
        headers: p.headers.into_iter().collect(),
        body: p.body,
        expect_status,
        timeout: p.timeout_seconds,
    })
}

/// The domain form of a job sent by a client. An unknown overlap number is an error, not a
/// silent default.
pub fn job_from_pb(p: pb::Job) -> Result<Job, String> {
    let overlap = pb::Overlap::try_from(p.overlap)
        .map_err(|_| format!("overlap: unknown value {}", p.overlap))?;
    let mut job = Job::new(p.name, p.cron_expr, p.command);
    job.timeout = p.timeout_seconds;
    job.disabled = p.disabled;
    job.created_at = p.created_at.map_or(0, |t| t.seconds);
    job.updated_at = p.updated_at.map_or(0, |t| t.seconds);
    job.timezone = p.timezone;
    job.overlap = overlap_from_pb(overlap);
    job.retries = p.retries;
    job.retry_backoff_ms = p.retry_backoff_ms;
    job.selector = p.selector.into_iter().collect();
    job.env = p.env.into_iter().collect();
    job.description = p.description;
    job.max_output_bytes = p.max_output_bytes;
    job.catch_up_seconds = p.catch_up_seconds;
    job.jitter_ms = p.jitter_ms;
    job.http = p.http.map(http_from_pb).transpose()?;
    job.on_success = p.on_success;
    job.on_failure = p.on_failure;
    job.notify = p
        .notify
        .into_iter()
        .map(webhook_from_pb)
        .collect::<Result<_, _>>()?;
    job.expected_seconds = p.expected_seconds;
    job.run_on = match pb::RunOn::try_from(p.run_on) {
        Ok(pb::RunOn::Unspecified | pb::RunOn::One) => RunOn::One,
        Ok(pb::RunOn::All) => RunOn::All,
        Err(_) => return Err(format!("runOn: unknown value {}", p.run_on)),
    };
    Ok(job)
}

pub fn trigger_to_pb(t: Trigger) -> pb::Trigger {
    match t {
        Trigger::Schedule => pb::Trigger::Schedule,
        Trigger::Manual => pb::Trigger::Manual,
        Trigger::Retry => pb::Trigger::Retry,
        Trigger::CatchUp => pb::Trigger::CatchUp,
        Trigger::Dependency => pb::Trigger::Dependency,
    }
}

pub fn trigger_from_pb(t: i32) -> Trigger {
    match pb::Trigger::try_from(t) {
        Ok(pb::Trigger::Manual) => Trigger::Manual,
        Ok(pb::Trigger::Retry) => Trigger::Retry,
        Ok(pb::Trigger::CatchUp) => Trigger::CatchUp,
        Ok(pb::Trigger::Dependency) => Trigger::Dependency,
        _ => Trigger::Schedule,
    }
}

pub fn status_to_pb(s: ExecutionStatus) -> pb::ExecutionStatus {
    match s {
        ExecutionStatus::Success => pb::ExecutionStatus::Success,
        ExecutionStatus::Failed => pb::ExecutionStatus::Failed,
        ExecutionStatus::Timeout => pb::ExecutionStatus::Timeout,
        ExecutionStatus::Killed => pb::ExecutionStatus::Killed,
        ExecutionStatus::Running => pb::ExecutionStatus::Running,
        ExecutionStatus::Skipped => pb::ExecutionStatus::Skipped,
        ExecutionStatus::Lost => pb::ExecutionStatus::Lost,
    }
}

pub fn status_from_pb(s: i32) -> ExecutionStatus {
    match pb::ExecutionStatus::try_from(s) {
        Ok(pb::ExecutionStatus::Failed) => ExecutionStatus::Failed,
        Ok(pb::ExecutionStatus::Timeout) => ExecutionStatus::Timeout,
        Ok(pb::ExecutionStatus::Killed) => ExecutionStatus::Killed,
        Ok(pb::ExecutionStatus::Running) => ExecutionStatus::Running,
        Ok(pb::ExecutionStatus::Skipped) => ExecutionStatus::Skipped,
        Ok(pb::ExecutionStatus::Lost) => ExecutionStatus::Lost,
        _ => ExecutionStatus::Success,
    }
}

fn opt_ts_from_ms(ms: i64) -> Option<Timestamp> {
    (ms != 0).then(|| ts_from_ms(ms))
}

pub fn record_to_pb(r: &ExecutionRecord) -> pb::ExecutionRecord {
    pb::ExecutionRecord {
        execution_id: r.execution_id.clone(),
        job_name: r.job_name.clone(),
        command: r.command.clone(),
        output: r.output.clone(),
        error: r.error.clone(),
        plan_time: opt_ts_from_ms(r.plan_time_ms),
        schedule_time: opt_ts_from_ms(r.schedule_time_ms),
        start_time: opt_ts_from_ms(r.start_time_ms),
        end_time: opt_ts_from_ms(r.end_time_ms),
        exit_code: r.exit_code,
        is_timeout: r.is_timeout,
        worker_ip: r.worker_ip.clone(),
        stderr: r.stderr.clone(),
        trigger: trigger_to_pb(r.trigger) as i32,
        attempt: r.attempt,
        output_truncated: r.output_truncated,
        status: status_to_pb(r.status) as i32,
        worker_id: r.worker_id.clone(),
        parent_execution_id: r.parent_execution_id.clone(),
        notifications: r.notifications.iter().map(delivery_to_pb).collect(),
    }
}

pub fn record_from_pb(p: pb::ExecutionRecord) -> ExecutionRecord {
    ExecutionRecord {
        execution_id: p.execution_id,
        job_name: p.job_name,
        command: p.command,
        output: p.output,
        stderr: p.stderr,
        error: p.error,
        plan_time_ms: ms_from_ts(p.plan_time.as_ref()),
        schedule_time_ms: ms_from_ts(p.schedule_time.as_ref()),
        start_time_ms: ms_from_ts(p.start_time.as_ref()),
        end_time_ms: ms_from_ts(p.end_time.as_ref()),
        exit_code: p.exit_code,
        is_timeout: p.is_timeout,
        worker_ip: p.worker_ip,
        worker_id: p.worker_id,
        trigger: trigger_from_pb(p.trigger),
        attempt: p.attempt,
        output_truncated: p.output_truncated,
        status: status_from_pb(p.status),
        parent_execution_id: p.parent_execution_id,
        notifications: p.notifications.into_iter().map(delivery_from_pb).collect(),
    }
}

pub fn worker_to_pb(w: &WorkerInfo, online: bool) -> pb::Worker {
    pb::Worker {
        worker_id: w.worker_id.clone(),
        ip: w.ip.clone(),
        hostname: w.hostname.clone(),
        cpu_usage: w.cpu_usage,
        mem_usage: w.mem_usage,
        last_seen: opt_ts_from_ms(w.last_seen),
        labels: w.labels.clone().into_iter().collect(),
        version: w.version.clone(),
        running: w.running,
        capacity: w.capacity,
        address: w.address.clone(),
        online,
    }
}

pub fn worker_from_pb(p: pb::Worker) -> (WorkerInfo, bool) {
    (
        WorkerInfo {
            worker_id: p.worker_id,
            ip: p.ip,
            hostname: p.hostname,
            cpu_usage: p.cpu_usage,
            mem_usage: p.mem_usage,
            last_seen: ms_from_ts(p.last_seen.as_ref()),
            labels: p.labels.into_iter().collect(),
            version: p.version,
            running: p.running,
            capacity: p.capacity,
            address: p.address,
        },
        p.online,
    )
}

/// The domain form of a record sent by a worker (ingest, relay), or what is wrong with it.
/// Enum numbers are checked here because [`record_from_pb`] reads unknown ones as defaults:
/// a missing status would be stored as a success; and times are range-checked
/// ([`checked_ms_from_ts`]), because it saturates them.
pub fn checked_record_from_pb(p: pb::ExecutionRecord) -> Result<ExecutionRecord, String> {
    for (field, ts) in [
        ("plan_time", &p.plan_time),
        ("schedule_time", &p.schedule_time),
        ("start_time", &p.start_time),
        ("end_time", &p.end_time),
    ] {
        checked_ms_from_ts(ts.as_ref()).map_err(|e| format!("{field}: {e}"))?;
    }
    match pb::ExecutionStatus::try_from(p.status) {
        Ok(pb::ExecutionStatus::Unspecified) => return Err("the status is missing".into()),
        Ok(_) => {}
        Err(_) => return Err(format!("status: unknown value {}", p.status)),
    }
    if pb::Trigger::try_from(p.trigger).is_err() {
        return Err(format!("trigger: unknown value {}", p.trigger));
    }
    Ok(record_from_pb(p))
}

pub fn chunk_to_pb(c: OutputChunk) -> pb::OutputChunk {
    pb::OutputChunk {
        execution_id: c.execution_id,
        stream: match c.stream {
            OutputStream::Stdout => pb::OutputStream::Stdout,
            OutputStream::Stderr => pb::OutputStream::Stderr,
        } as i32,
        data: c.data,
        job_name: c.job_name,
    }
}

/// Output of a stream this version does not know is taken as stdout.
pub fn chunk_from_pb(c: pb::OutputChunk) -> OutputChunk {
    OutputChunk {
        stream: match pb::OutputStream::try_from(c.stream) {
            Ok(pb::OutputStream::Stderr) => OutputStream::Stderr,
            _ => OutputStream::Stdout,
        },
        execution_id: c.execution_id,
        job_name: c.job_name,
        data: c.data,
    }
}

/// A job change as `Watch` sends it; a deleted job carries only its name and revision.
pub fn job_change_to_pb(change: &JobChange) -> pb::JobEvent {
    match change {
        JobChange::Put(v) => pb::JobEvent {
            kind: pb::job_event::Kind::Saved as i32,
            job: Some(job_to_pb(&v.value, v.revision)),
        },
        JobChange::Deleted { name, revision } => pb::JobEvent {
            kind: pb::job_event::Kind::Deleted as i32,
            job: Some(pb::Job {
                name: name.clone(),
                revision: *revision,
                ..Default::default()
            }),
        },
    }
}

pub fn audit_action_to_pb(a: AuditAction) -> pb::AuditAction {
    match a {
        AuditAction::Save => pb::AuditAction::Save,
        AuditAction::Delete => pb::AuditAction::Delete,
        AuditAction::Enable => pb::AuditAction::Enable,
        AuditAction::Disable => pb::AuditAction::Disable,
        AuditAction::Run => pb::AuditAction::Run,
        AuditAction::Kill => pb::AuditAction::Kill,
        AuditAction::TokenCreate => pb::AuditAction::TokenCreate,
        AuditAction::TokenRevoke => pb::AuditAction::TokenRevoke,
    }
}

/// The domain action of a wire number; `None` for UNSPECIFIED, an error for a number this
/// version does not know.
pub fn audit_action_from_pb(a: i32) -> Result<Option<AuditAction>, String> {
    Ok(Some(
        match pb::AuditAction::try_from(a).map_err(|_| format!("action: unknown value {a}"))? {
            pb::AuditAction::Unspecified => return Ok(None),
            pb::AuditAction::Save => AuditAction::Save,
            pb::AuditAction::Delete => AuditAction::Delete,
            pb::AuditAction::Enable => AuditAction::Enable,
            pb::AuditAction::Disable => AuditAction::Disable,
            pb::AuditAction::Run => AuditAction::Run,
            pb::AuditAction::Kill => AuditAction::Kill,
            pb::AuditAction::TokenCreate => AuditAction::TokenCreate,
            pb::AuditAction::TokenRevoke => AuditAction::TokenRevoke,
        },
    ))
}

fn audit_outcome_to_pb(o: AuditOutcome) -> pb::AuditOutcome {
    match o {
        AuditOutcome::Pending => pb::AuditOutcome::Pending,
        AuditOutcome::Done => pb::AuditOutcome::Done,
        AuditOutcome::Failed => pb::AuditOutcome::Failed,
    }
}

fn audit_outcome_from_pb(o: i32) -> AuditOutcome {
    match pb::AuditOutcome::try_from(o) {
        Ok(pb::AuditOutcome::Done) => AuditOutcome::Done,
        Ok(pb::AuditOutcome::Failed) => AuditOutcome::Failed,
        // Unknown or unspecified: nothing says the change was made or refused.
        _ => AuditOutcome::Pending,
    }
}

/// The wire form of an audit entry (its jobs carry no revision).
pub fn audit_entry_to_pb(e: &AuditEntry) -> pb::AuditEntry {
    pb::AuditEntry {
        id: e.id.clone(),
        at: Some(ts_from_datetime(e.at)),
        actor: Some(pb::Actor {
            name: e.actor.name.clone(),
            role: e.actor.role.clone(),
            source: e.actor.source.clone(),
            client: e.actor.client.clone(),
        }),
        action: audit_action_to_pb(e.action) as i32,
        target: e.target.clone(),
        outcome: audit_outcome_to_pb(e.outcome) as i32,
        error: e.error.clone(),
        detail: e.detail.clone(),
        before: e.before.as_ref().map(|j| job_to_pb(j, 0)),
        after: e.after.as_ref().map(|j| job_to_pb(j, 0)),
    }
}

/// The domain form of an audit entry from a master.
pub fn audit_entry_from_pb(p: pb::AuditEntry) -> Result<AuditEntry, String> {
    let action = audit_action_from_pb(p.action)?
        .ok_or_else(|| format!("audit entry {}: no action", p.id))?;
    let actor = p.actor.unwrap_or_default();
    Ok(AuditEntry {
        at: p.at.as_ref().and_then(datetime_from_ts).unwrap_or_default(),
        actor: Actor {
            name: actor.name,
            role: actor.role,
            source: actor.source,
            client: actor.client,
        },
        action,
        target: p.target,
        outcome: audit_outcome_from_pb(p.outcome),
        error: p.error,
        detail: p.detail,
        before: p.before.map(job_from_pb).transpose()?,
        after: p.after.map(job_from_pb).transpose()?,
        id: p.id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use schedd_core::notify::NoticeKind;

    #[test]
    fn a_timestamp_out_of_range_is_refused_with_what_the_range_is() {
        let ts = |seconds, nanos| Timestamp { seconds, nanos };
        assert_eq!(checked_ms_from_ts(None), Ok(0));
        assert_eq!(checked_ms_from_ts(Some(&ts(1, 500_000_000))), Ok(1_500));
        assert_eq!(checked_ms_from_ts(Some(&ts(-1, 999_000_000))), Ok(-1));
        assert_eq!(
            checked_ms_from_ts(Some(&ts(MAX_TIMESTAMP_SECONDS, 999_999_999))),
            Ok(MAX_TIMESTAMP_SECONDS * 1000 + 999)
        );
        assert_eq!(
            checked_ms_from_ts(Some(&ts(MIN_TIMESTAMP_SECONDS, 0))),
            Ok(MIN_TIMESTAMP_SECONDS * 1000)
        );
        for bad in [
            ts(i64::MAX, 0),
            ts(i64::MIN, 0),
            ts(MAX_TIMESTAMP_SECONDS + 1, 0),
            ts(MIN_TIMESTAMP_SECONDS - 1, 999_999_999),
            ts(0, -1),
            ts(0, 1_000_000_000),
        ] {
            let e = checked_ms_from_ts(Some(&bad)).expect_err("out of range");
            assert_eq!((e.seconds, e.nanos), (bad.seconds, bad.nanos));
            assert!(e.to_string().contains("years 1 to 9999"), "{e}");
        }
    }

    #[test]
    fn a_record_with_a_time_out_of_range_is_refused_naming_the_field() {
        let mut p = record_to_pb(&ExecutionRecord {
            execution_id: "e1".into(),
            job_name: "a".into(),
            status: ExecutionStatus::Success,
            ..Default::default()
        });
        assert!(checked_record_from_pb(p.clone()).is_ok());
        p.end_time = Some(Timestamp {
            seconds: i64::MAX,
            nanos: 0,
        });
        let e = checked_record_from_pb(p).expect_err("refused");
        assert!(e.starts_with("end_time: timestamp out of range"), "{e}");
    }

    #[test]
    fn a_timestamp_from_the_wire_cannot_overflow() {
        let huge = Timestamp {
            seconds: i64::MAX,
            nanos: 999_999_999,
        };
        assert_eq!(ms_from_ts(Some(&huge)), i64::MAX);
        let tiny = Timestamp {
            seconds: i64::MIN,
            nanos: 0,
        };
        assert_eq!(ms_from_ts(Some(&tiny)), i64::MIN);
        assert_eq!(ms_from_ts(None), 0);
    }

    #[test]
    fn job_round_trips_through_the_wire_form() {
        let mut job = Job::new("a", "* * * * *", "echo");
        job.timeout = 30;
        job.created_at = 1_700_000_000;
        job.overlap = Overlap::Replace;
        job.env.insert("K".into(), "v".into());
        job.on_success = vec!["report".into()];
        job.on_failure = vec!["page".into(), "cleanup".into()];
        job.run_on = RunOn::All;
        job.notify = vec![Webhook {
            url: "https://example.com/hook".into(),
            headers: [("X-Key".to_owned(), "k".to_owned())].into(),
            on: vec![NoticeKind::Failure, NoticeKind::Overdue],
        }];
        job.expected_seconds = 60;
        let back = job_from_pb(job_to_pb(&job, 7)).expect("valid");
        assert_eq!(back, job);

        let mut call = Job::new("ping", "* * * * *", "");
        call.http = Some(HttpSpec {
            method: "POST".into(),
            url: "https://example.com/hook".into(),
            headers: [("Authorization".to_owned(), "Bearer t".to_owned())].into(),
            body: "{}".into(),
            expect_status: vec![200, 204],
            timeout: 5,
        });
        assert_eq!(job_from_pb(job_to_pb(&call, 1)).expect("valid"), call);
    }

    #[test]
    fn an_expected_status_past_u16_is_refused() {
        let mut p = job_to_pb(&Job::new("a", "* * * * *", ""), 1);
        p.http = Some(pb::HttpRequest {
            url: "http://a/".into(),
            expect_status: vec![65_736],
            ..Default::default()
        });
        assert!(job_from_pb(p).expect_err("refused").contains("65736"));
    }

    #[test]
    fn audit_entries_round_trip_through_the_wire_form_for_every_action() {
        for action in AuditAction::ALL {
            for outcome in [
                AuditOutcome::Pending,
                AuditOutcome::Done,
                AuditOutcome::Failed,
            ] {
                let mut e = AuditEntry::pending(
                    schedd_core::from_unix_ms(1_700_000_000_123),
                    Actor {
                        name: "ci".into(),
                        role: "admin".into(),
                        source: "10.0.0.1:5000".into(),
                        client: "schedctl apply".into(),
                    },
                    action,
                    "backup",
                );
                e.outcome = outcome;
                e.error = "e".into();
                e.detail = "d".into();
                e.before = Some(Job::new("backup", "0 0 3 * * *", "tar c /srv"));
                let back = audit_entry_from_pb(audit_entry_to_pb(&e)).expect("valid");
                assert_eq!(back, e);
            }
        }
        assert_eq!(audit_action_from_pb(0), Ok(None));
        assert!(
            audit_action_from_pb(99)
                .expect_err("unknown")
                .contains("99")
        );
    }

    #[test]
    fn unknown_overlap_number_is_rejected() {
        let mut p = job_to_pb(&Job::new("a", "* * * * *", "echo"), 1);
        p.overlap = 42;
        assert!(job_from_pb(p).expect_err("rejected").contains("overlap"));
    }

    #[test]
    fn record_round_trips_with_millisecond_times() {
        let r = ExecutionRecord {
            execution_id: "x".into(),
            job_name: "a".into(),
            plan_time_ms: 1_700_000_000_123,
            start_time_ms: 1_700_000_000_200,
            end_time_ms: 1_700_000_001_001,
            exit_code: 2,
            status: ExecutionStatus::Failed,
            trigger: Trigger::Manual,
            attempt: 1,
            ..Default::default()
        };
        assert_eq!(record_from_pb(record_to_pb(&r)), r);
        let child = ExecutionRecord {
            trigger: Trigger::Dependency,
            parent_execution_id: "p-1".into(),
            notifications: vec![Delivery {
                event: "failure".into(),
                url: "https://example.com/h?token=***".into(),
                delivered: true,
                attempts: 2,
                status: 200,
                error: String::new(),
                at_ms: 1_700_000_002_000,
            }],
            ..r
        };
        assert_eq!(record_from_pb(record_to_pb(&child)), child);
    }

    #[test]
    fn negative_milliseconds_map_to_a_valid_timestamp() {
        let ts = ts_from_ms(-1);
        assert_eq!((ts.seconds, ts.nanos), (-1, 999_000_000));
        assert_eq!(ms_from_ts(Some(&ts)), -1);
    }
}

//! Notifications: webhooks called when a run fails, times out, recovers, is skipped or lost,
//! or runs past its expected duration. A job names its own ([`Job::notify`](crate::Job)); a
//! job that names none uses the cluster's default (the worker's `notify` setting). The
//! worker that records the run delivers the notice, tries again with backoff, and records
//! each delivery on the run's record ([`Delivery`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{ExecutionRecord, ExecutionStatus};

/// Most webhooks per job (and in the default).
pub const MAX_WEBHOOKS: usize = 8;
/// Attempts per notice: the first and three more, after [`RETRY_BACKOFF`] doubled each time.
pub const MAX_ATTEMPTS: u32 = 4;
/// The wait before the first retry of a delivery.
pub const RETRY_BACKOFF: std::time::Duration = std::time::Duration::from_secs(1);
/// Each attempt's time limit.
pub const ATTEMPT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
/// Most bytes of the run's output a notice carries (its end).
pub const OUTPUT_TAIL: usize = 4 * 1024;

/// What a notice is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NoticeKind {
    /// A run failed (after its retries).
    Failure,
    /// A run timed out (after its retries).
    Timeout,
    /// The first success after a run that failed or timed out.
    Recovery,
    /// A tick was skipped.
    Skipped,
    /// A run's worker died while it ran; its outcome is unknown.
    Lost,
    /// A run is still going past the job's `expectedSeconds`.
    Overdue,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 6] = [
        NoticeKind::Failure,
        NoticeKind::Timeout,
        NoticeKind::Recovery,
        NoticeKind::Skipped,
        NoticeKind::Lost,
        NoticeKind::Overdue,
    ];

    /// What a webhook that names no events is called for.
    pub const DEFAULT: [NoticeKind; 4] = [
        NoticeKind::Failure,
        NoticeKind::Timeout,
        NoticeKind::Recovery,
        NoticeKind::Lost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Failure => "failure",
            NoticeKind::Timeout => "timeout",
            NoticeKind::Recovery => "recovery",
            NoticeKind::Skipped => "skipped",
            NoticeKind::Lost => "lost",
            NoticeKind::Overdue => "overdue",
        }
    }

    /// The notice an ended run's record calls for by itself (recovery and overdue depend on
    /// more than the record).
    pub fn of_status(status: ExecutionStatus) -> Option<NoticeKind> {
        match status {
            ExecutionStatus::Failed => Some(NoticeKind::Failure),
            ExecutionStatus::Timeout => Some(NoticeKind::Timeout),
            ExecutionStatus::Skipped => Some(NoticeKind::Skipped),
            ExecutionStatus::Lost => Some(NoticeKind::Lost),
            ExecutionStatus::Success | ExecutionStatus::Killed | ExecutionStatus::Running => None,
        }
    }
}

impl std::str::FromStr for NoticeKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NoticeKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "`{s}` is not a notice: failure, timeout, recovery, skipped, lost or overdue"
                )
            })
    }
}

/// A webhook: a POST of the notice's JSON to `url`, with `headers`, for the notices in `on`
/// (empty: [`NoticeKind::DEFAULT`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    pub url: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on: Vec<NoticeKind>,
}

impl Webhook {
    /// Whether this webhook is called for `kind`.
    pub fn wants(&self, kind: NoticeKind) -> bool {
        if self.on.is_empty() {
            NoticeKind::DEFAULT.contains(&kind)
        } else {
            self.on.contains(&kind)
        }
    }

    /// The request of one delivery: a POST of `body` (JSON) with the webhook's headers.
    pub fn request(&self, body: String) -> crate::HttpSpec {
        let mut headers = self.headers.clone();
        if !headers
            .keys()
            .any(|k| k.eq_ignore_ascii_case("content-type"))
        {
            headers.insert("Content-Type".to_owned(), "application/json".to_owned());
        }
        crate::HttpSpec {
            method: "POST".to_owned(),
            url: self.url.clone(),
            headers,
            body,
            expect_status: Vec::new(),
            timeout: ATTEMPT_TIMEOUT.as_secs(),
        }
    }

    /// The webhook with its secrets (in its URL and headers) replaced by what `hide` makes
    /// of each.
    pub fn redacted_with(&self, hide: impl Fn(&str) -> String) -> Webhook {
        let http = crate::HttpSpec {
            url: self.url.clone(),
            headers: self.headers.clone(),
            ..Default::default()
        }
        .redacted_with(&hide);
        Webhook {
            url: hide_path(&http.url, &hide),
            headers: http.headers,
            on: self.on.clone(),
        }
    }

    /// The webhook's URL as a record shows it: its secrets, path included, hidden.
    pub fn shown_url(&self) -> String {
        self.redacted_with(|_| crate::http::REDACTED.to_owned()).url
    }

    /// Checks the URL and headers as an HTTP job's are checked, and that no event is named
    /// twice.
    pub fn validate(&self, field: &str) -> Result<(), String> {
        self.request(String::new())
            .validate()
            .map_err(|e| format!("{field}: {}", e.to_string().replacen("http.", "", 1)))?;
        let mut seen = std::collections::BTreeSet::new();
        if let Some(twice) = self.on.iter().find(|k| !seen.insert(**k)) {
            return Err(format!("{field}.on: `{}` is named twice", twice.as_str()));
        }
        Ok(())
    }
}

/// `url` with its path (past the first `/`) replaced by what `hide` makes of it: chat and
/// incident webhooks carry their secret in the path (`/services/T000/B000/XXXX`), so a
/// webhook's path is shown as a secret. A URL that does not parse is left as it is (it was
/// redacted before).
fn hide_path(url: &str, hide: &dyn Fn(&str) -> String) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return url.to_owned();
    };
    let path = parsed.path().trim_start_matches('/').to_owned();
    if path.is_empty() {
        return url.to_owned();
    }
    parsed.set_path(&format!("/{}", hide(&path)));
    parsed.to_string()
}

/// Checks a job's (or the default's) webhooks.
pub fn validate_webhooks(field: &str, hooks: &[Webhook]) -> Result<(), String> {
    if hooks.len() > MAX_WEBHOOKS {
        return Err(format!(
            "{field}: {} webhooks; the limit is {MAX_WEBHOOKS}",
            hooks.len()
        ));
    }
    for (i, hook) in hooks.iter().enumerate() {
        hook.validate(&format!("{field}[{i}]"))?;
    }
    Ok(())
}

/// One notice's delivery to one webhook, as the run's record keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    /// `failure`, `timeout`, `recovery`, `skipped`, `lost` or `overdue`.
    pub event: String,
    /// The webhook's URL, its secrets hidden.
    pub url: String,
    /// Whether a 2xx answer came.
    pub delivered: bool,
    pub attempts: u32,
    /// The last answer's status; 0 when none came.
    #[serde(default)]
    pub status: u16,
    /// Why the last attempt failed; empty once delivered.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub error: String,
    /// When the delivery ended, Unix milliseconds.
    pub at_ms: i64,
}

/// The JSON a webhook receives. `text` is a one-line summary (what chat webhooks show).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Notice {
    pub event: NoticeKind,
    pub text: String,
    pub job: String,
    pub execution_id: String,
    pub status: ExecutionStatus,
    pub trigger: crate::Trigger,
    pub attempt: u32,
    /// RFC 3339.
    pub plan_time: String,
    pub start_time: String,
    /// RFC 3339; absent while the run goes on (overdue).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    pub duration_ms: i64,
    pub exit_code: i32,
    pub error: String,
    pub worker: String,
    /// What the job runs: the command, or `METHOD URL` with secrets hidden.
    pub command: String,
    /// The end of the run's output: at most [`OUTPUT_TAIL`] bytes.
    pub output: String,
    /// For a recovery: how the run before it ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_status: Option<ExecutionStatus>,
    /// For an overdue run: the job's `expectedSeconds`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_seconds: Option<u64>,
}

impl Notice {
    /// The notice of `kind` about the run `r`; `now_ms` stands for the end of a run going on.
    pub fn new(kind: NoticeKind, r: &ExecutionRecord, now_ms: i64) -> Notice {
        let time =
            |ms: i64| crate::from_unix_ms(ms).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let running = r.status == ExecutionStatus::Running;
        let end_ms = if running { now_ms } else { r.end_time_ms };
        let output = if r.output.len() > OUTPUT_TAIL {
            let cut = r.output.ceil_char_boundary(r.output.len() - OUTPUT_TAIL);
            r.output[cut..].to_owned()
        } else {
            r.output.clone()
        };
        let text = match kind {
            NoticeKind::Failure => format!("schedd: {} failed: {}", r.job_name, r.error),
            NoticeKind::Timeout => format!("schedd: {} timed out: {}", r.job_name, r.error),
            NoticeKind::Recovery => format!("schedd: {} succeeded again", r.job_name),
            NoticeKind::Skipped => {
                format!("schedd: a tick of {} was skipped: {}", r.job_name, r.error)
            }
            NoticeKind::Lost => format!("schedd: a run of {} was lost: {}", r.job_name, r.error),
            NoticeKind::Overdue => format!(
                "schedd: {} has been running for {} s, longer than expected",
                r.job_name,
                (end_ms - r.start_time_ms).max(0) / 1000
            ),
        };
        Notice {
            event: kind,
            text,
            job: r.job_name.clone(),
            execution_id: r.execution_id.clone(),
            status: r.status,
            trigger: r.trigger,
            attempt: r.attempt,
            plan_time: time(r.plan_time_ms),
            start_time: time(r.start_time_ms),
            end_time: (!running).then(|| time(r.end_time_ms)),
            duration_ms: (end_ms - r.start_time_ms).max(0),
            exit_code: r.exit_code,
            error: r.error.clone(),
            worker: r.worker_id.clone(),
            command: r.command.clone(),
            output,
            previous_status: None,
            expected_seconds: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hook(url: &str, on: &[NoticeKind]) -> Webhook {
        Webhook {
            url: url.to_owned(),
            headers: BTreeMap::new(),
            on: on.to_vec(),
        }
    }

    #[test]
    fn a_webhook_without_events_gets_failures_timeouts_recoveries_and_losses() {
        let h = hook("https://example.com/h", &[]);
        assert!(h.wants(NoticeKind::Failure) && h.wants(NoticeKind::Recovery));
        assert!(!h.wants(NoticeKind::Skipped) && !h.wants(NoticeKind::Overdue));
        let only = hook("https://example.com/h", &[NoticeKind::Overdue]);
        assert!(only.wants(NoticeKind::Overdue) && !only.wants(NoticeKind::Failure));
    }

    #[test]
    fn bad_webhooks_are_refused_by_field() {
        let bad = hook("ftp://example.com/", &[]);
        let err = validate_webhooks("notify", &[bad]).expect_err("scheme");
        assert!(err.starts_with("notify[0]: url"), "{err}");
        let twice = hook(
            "https://example.com/",
            &[NoticeKind::Lost, NoticeKind::Lost],
        );
        let err = validate_webhooks("notify", &[twice]).expect_err("twice");
        assert!(err.contains("notify[0].on: `lost` is named twice"), "{err}");
        let many = vec![hook("https://example.com/", &[]); MAX_WEBHOOKS + 1];
        assert!(validate_webhooks("notify", &many).is_err());
        let json = r#"{"url":"https://example.com/","on":["failure","sometimes"]}"#;
        assert!(serde_json::from_str::<Webhook>(json).is_err());
    }

    #[test]
    fn a_delivery_is_a_json_post_and_the_notice_says_what_happened() {
        let h = Webhook {
            url: "https://example.com/h?token=t".into(),
            headers: [("Authorization".to_owned(), "Bearer s".to_owned())].into(),
            on: vec![],
        };
        let req = h.request("{}".into());
        assert_eq!(req.method, "POST");
        assert_eq!(req.headers["Content-Type"], "application/json");
        req.validate().expect("a valid request");
        let shown = h.redacted_with(|_| "***".into());
        assert_eq!(shown.url, "https://example.com/***?token=***");
        let slack = Webhook {
            url: "https://hooks.slack.com/services/T0/B0/XXXX".into(),
            ..Default::default()
        };
        assert_eq!(slack.shown_url(), "https://hooks.slack.com/***");
        let bare = Webhook {
            url: "https://hooks.example.com/".into(),
            ..Default::default()
        };
        assert_eq!(bare.shown_url(), "https://hooks.example.com/");
        assert_eq!(shown.headers["Authorization"], "Bearer ***");

        let r = ExecutionRecord {
            execution_id: "e1".into(),
            job_name: "backup".into(),
            status: ExecutionStatus::Failed,
            error: "exit status 2".into(),
            exit_code: 2,
            start_time_ms: 1_700_000_000_000,
            end_time_ms: 1_700_000_002_500,
            output: format!("{}end", "x".repeat(OUTPUT_TAIL)),
            ..Default::default()
        };
        let n = Notice::new(NoticeKind::Failure, &r, 0);
        let v = serde_json::to_value(&n).expect("json");
        assert_eq!(v["event"], "failure");
        assert_eq!(v["text"], "schedd: backup failed: exit status 2");
        assert_eq!(v["durationMs"], 2500);
        assert_eq!(v["endTime"], "2023-11-14T22:13:22.500Z");
        assert_eq!(n.output.len(), OUTPUT_TAIL);
        assert!(n.output.ends_with("end"));
        assert!(v.get("previousStatus").is_none());
    }
}

//! The audit trail: who changed what, when, from where, and the job before and after.
//!
//! An entry is written *before* its change is made, as [`AuditOutcome::Pending`], and settled
//! (done or failed) after: a change the trail cannot record is not made, and a change whose
//! settling could not be written still shows, as pending. See [`crate::store::AuditLog`].

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::job::Job;

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuditAction {
    /// A job created or replaced.
    Save,
    Delete,
    Enable,
    Disable,
    /// A run started by hand.
    Run,
    Kill,
    /// A token added to the tokens file (`schedd-master token create`).
    TokenCreate,
    /// A token taken out of the tokens file (`schedd-master token revoke`).
    TokenRevoke,
}

impl AuditAction {
    pub const ALL: [AuditAction; 8] = [
        AuditAction::Save,
        AuditAction::Delete,
        AuditAction::Enable,
        AuditAction::Disable,
        AuditAction::Run,
        AuditAction::Kill,
        AuditAction::TokenCreate,
        AuditAction::TokenRevoke,
    ];

    pub fn name(self) -> &'static str {
        match self {
            AuditAction::Save => "save",
            AuditAction::Delete => "delete",
            AuditAction::Enable => "enable",
            AuditAction::Disable => "disable",
            AuditAction::Run => "run",
            AuditAction::Kill => "kill",
            AuditAction::TokenCreate => "token-create",
            AuditAction::TokenRevoke => "token-revoke",
        }
    }

    /// Whether the target is a token's name rather than a job's.
    pub fn is_token(self) -> bool {
        matches!(self, AuditAction::TokenCreate | AuditAction::TokenRevoke)
    }
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for AuditAction {
    type Err = String;
    fn from_str(s: &str) -> Result<AuditAction, String> {
        AuditAction::ALL
            .into_iter()
            .find(|a| a.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = AuditAction::ALL.iter().map(|a| a.name()).collect();
                format!("expected one of {}, got `{s}`", names.join(", "))
            })
    }
}

/// How a change ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuditOutcome {
    /// Recorded before the change; its end was never recorded (the store failed after the
    /// change, or the master stopped during it): the change may or may not have been made.
    Pending,
    Done,
    /// Not made; `error` says why.
    Failed,
}

impl AuditOutcome {
    pub fn name(self) -> &'static str {
        match self {
            AuditOutcome::Pending => "pending",
            AuditOutcome::Done => "done",
            AuditOutcome::Failed => "failed",
        }
    }
}

/// Who made a change and from where.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Actor {
    /// The token's name; `anonymous` when the master asks for no token; for tokens file
    /// changes, the user who ran `schedd-master token` (`user@host`).
    pub name: String,
    /// The token's role; empty when there is none.
    #[serde(default)]
    pub role: String,
    /// The caller's address (`ip:port`), or what else the change came through.
    #[serde(default)]
    pub source: String,
    /// The program that asked, as it names itself (`schedctl apply`, `web`), or its
    /// user agent.
    #[serde(default)]
    pub client: String,
}

/// One change, or attempt at one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// Unique; ordered by time for entries of the same master.
    pub id: String,
    /// When the change was asked for.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub at: DateTime<Utc>,
    pub actor: Actor,
    pub action: AuditAction,
    /// The job's name, or the token's for token actions.
    pub target: String,
    pub outcome: AuditOutcome,
    /// Why a failed change was not made.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub error: String,
    /// What else there is to know: a run's execution id, a token's role.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// The job before the change (none for a new job).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Job>,
    /// The job after the change (none once deleted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Job>,
}

impl AuditEntry {
    /// A pending entry for a change `actor` asks for now.
    pub fn pending(at: DateTime<Utc>, actor: Actor, action: AuditAction, target: &str) -> Self {
        AuditEntry {
            id: crate::new_execution_id(),
            at,
            actor,
            action,
            target: target.to_owned(),
            outcome: AuditOutcome::Pending,
            error: String::new(),
            detail: String::new(),
            before: None,
            after: None,
        }
    }
}

/// The instant `days` days before `now` (the earliest instant there is, for more days than
/// time has).
pub fn days_before(now: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    now.checked_sub_signed(chrono::Duration::days(i64::from(days)))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// Filters for listing the trail, newest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditQuery {
    /// A job's (or token's) name.
    pub target: Option<String>,
    /// A token's name.
    pub actor: Option<String>,
    pub action: Option<AuditAction>,
    /// Inclusive.
    pub since: Option<DateTime<Utc>>,
    /// Exclusive.
    pub until: Option<DateTime<Utc>>,
    /// 1-based.
    pub page: u32,
    pub page_size: u32,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// Entries matching the filters, over all pages.
    pub total: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_read_back_from_their_names() {
        for a in AuditAction::ALL {
            assert_eq!(a.name().parse::<AuditAction>(), Ok(a));
            let json = serde_json::to_value(a).expect("serialises");
            assert_eq!(json, serde_json::Value::String(a.name().into()));
        }
        let err = "drop".parse::<AuditAction>().expect_err("unknown");
        assert!(
            err.contains("token-revoke") && err.contains("`drop`"),
            "{err}"
        );
    }

    #[test]
    fn an_entry_keeps_its_jobs_through_json() {
        let mut e = AuditEntry::pending(
            crate::from_unix_ms(1_700_000_000_123),
            Actor {
                name: "ci".into(),
                role: "admin".into(),
                source: "10.0.0.7:40112".into(),
                client: "schedctl apply".into(),
            },
            AuditAction::Save,
            "backup",
        );
        e.after = Some(Job::new("backup", "0 0 3 * * *", "tar c /srv"));
        let back: AuditEntry =
            serde_json::from_str(&serde_json::to_string(&e).expect("serialises"))
                .expect("reads back");
        assert_eq!(back, e);
    }
}

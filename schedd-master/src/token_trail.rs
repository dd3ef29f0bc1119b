//! Tokens created and revoked, in the audit trail.
//!
//! `schedd-master token create|revoke` changes the tokens file and needs no running master,
//! so the file itself says who did what: each token carries `createdAt`/`createdBy`, and a
//! revoked token moves to `revoked` with `revokedAt`/`revokedBy`. The master reads the file
//! when it starts and whenever it changes, and records each creation and revocation once:
//! an entry's id is made from the token's name and the time, so the same change is never
//! recorded twice, across restarts too, and a change made while no master ran is recorded
//! when one starts.

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use schedd_core::audit::{Actor, AuditAction, AuditEntry, AuditOutcome};
use tokio_util::sync::CancellationToken;

use crate::auth::{TokenFile, Tokens};
use crate::service::Audit;

/// How often the tokens file is looked at.
const EVERY: Duration = Duration::from_secs(2);

/// The program named as the client of token changes.
const CLIENT: &str = "schedd-master token";

/// Who ran `schedd-master token` here: `user@host`, and under sudo the user behind it.
pub fn local_user() -> String {
    let user = nix::unistd::User::from_uid(nix::unistd::getuid())
        .ok()
        .flatten()
        .map(|u| u.name)
        .unwrap_or_else(|| format!("uid {}", nix::unistd::getuid()));
    let host = schedd_worker::hostname();
    match std::env::var("SUDO_USER") {
        Ok(by) if !by.is_empty() && by != user => format!("{user}@{host} (sudo by {by})"),
        _ => format!("{user}@{host}"),
    }
}

fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

/// What tells a token apart in its entries' ids: its hash's first 16 digits (a name may be
/// taken again after a revocation, within the same second too), else its creation time.
fn token_key(sha256: &str, created_at: i64) -> String {
    sha256
        .get(..16)
        .map_or_else(|| created_at.to_string(), str::to_owned)
}

/// The audit entries the file stands for: one per token created and one per token revoked.
pub fn entries(file: &TokenFile, path: &Path) -> Vec<AuditEntry> {
    let source = format!("tokens file {}", path.display());
    let entry = |id: String, secs: i64, by: &str, action, name: &str, detail: String| AuditEntry {
        id,
        at: at(secs),
        actor: Actor {
            name: if by.is_empty() {
                "unknown".into()
            } else {
                by.to_owned()
            },
            role: String::new(),
            source: source.clone(),
            client: CLIENT.into(),
        },
        action,
        target: name.to_owned(),
        outcome: AuditOutcome::Done,
        error: String::new(),
        detail,
        before: None,
        after: None,
    };
    let created = file.tokens.iter().map(|t| {
        entry(
            format!(
                "token-create:{}:{}",
                t.name,
                token_key(&t.sha256, t.created_at)
            ),
            t.created_at,
            &t.created_by,
            AuditAction::TokenCreate,
            &t.name,
            format!("role {}", t.role),
        )
    });
    let revoked = file.revoked.iter().flat_map(|r| {
        [
            entry(
                format!(
                    "token-create:{}:{}",
                    r.name,
                    token_key(&r.sha256, r.created_at)
                ),
                r.created_at,
                &r.created_by,
                AuditAction::TokenCreate,
                &r.name,
                format!("role {}", r.role),
            ),
            entry(
                format!(
                    "token-revoke:{}:{}",
                    r.name,
                    token_key(&r.sha256, r.created_at)
                ),
                r.revoked_at,
                &r.revoked_by,
                AuditAction::TokenRevoke,
                &r.name,
                format!("role {}", r.role),
            ),
        ]
    });
    created.chain(revoked).collect()
}

/// Records the token changes of `tokens`' file until `shutdown`: at once, then whenever the
/// file changes. Changes older than `retention_days` are left out (the trail no longer
/// keeps them). An entry the store refuses is tried again at the next look.
pub async fn record(
    tokens: Tokens,
    audit: Audit,
    retention_days: u32,
    shutdown: CancellationToken,
) {
    let Some(path) = tokens.path().map(Path::to_owned) else {
        return;
    };
    let mut recorded: HashSet<String> = HashSet::new();
    let mut seen: Option<std::sync::Arc<TokenFile>> = None;
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return,
            _ = tick.tick() => {}
        }
        let file = tokens.file();
        if seen
            .as_ref()
            .is_some_and(|s| std::sync::Arc::ptr_eq(s, &file))
        {
            continue;
        }
        let cutoff = Utc::now() - chrono::Duration::days(i64::from(retention_days));
        let mut complete = true;
        for entry in entries(&file, &path) {
            // A token of an old file has no time: 1970 is outside any retention.
            if entry.at < cutoff || recorded.contains(&entry.id) {
                continue;
            }
            match audit.record_once(&entry).await {
                Ok(_) => {
                    recorded.insert(entry.id);
                }
                Err(e) => {
                    tracing::warn!(error = %e, id = %entry.id, "a token change could not be recorded in the audit trail; trying again");
                    complete = false;
                }
            }
        }
        if complete {
            seen = Some(file);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::{RevokedToken, Role, TokenEntry};

    #[test]
    fn each_token_stands_for_its_creation_and_a_revoked_one_for_both() {
        let file = TokenFile {
            tokens: vec![TokenEntry {
                name: "ci".into(),
                role: Role::Admin,
                sha256: "0".repeat(64),
                created_at: 1_700_000_000,
                created_by: "root@ops1".into(),
            }],
            revoked: vec![RevokedToken {
                name: "old".into(),
                role: Role::Viewer,
                created_at: 1_600_000_000,
                created_by: String::new(),
                sha256: "b".repeat(64),
                revoked_at: 1_700_000_100,
                revoked_by: "alice@ops1".into(),
            }],
        };
        let got = entries(&file, Path::new("/etc/schedd/tokens.json"));
        let summary: Vec<(&str, AuditAction, &str, &str, i64)> = got
            .iter()
            .map(|e| {
                (
                    e.target.as_str(),
                    e.action,
                    e.actor.name.as_str(),
                    e.detail.as_str(),
                    e.at.timestamp(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "ci",
                    AuditAction::TokenCreate,
                    "root@ops1",
                    "role admin",
                    1_700_000_000
                ),
                (
                    "old",
                    AuditAction::TokenCreate,
                    "unknown",
                    "role viewer",
                    1_600_000_000
                ),
                (
                    "old",
                    AuditAction::TokenRevoke,
                    "alice@ops1",
                    "role viewer",
                    1_700_000_100
                ),
            ]
        );
        assert_eq!(got[0].actor.source, "tokens file /etc/schedd/tokens.json");
        assert!(got.iter().all(|e| e.outcome == AuditOutcome::Done));
        // The same file gives the same ids: a change is recorded once however often it is read.
        let again = entries(&file, Path::new("/etc/schedd/tokens.json"));
        let ids = |v: &[AuditEntry]| v.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&got), ids(&again));
        // A name taken again in the same second is another token, with entries of its own.
        let mut reused = file.clone();
        reused.tokens[0].name = "old".into();
        reused.tokens[0].created_at = 1_600_000_000;
        let reused = entries(&reused, Path::new("/etc/schedd/tokens.json"));
        let mut all = ids(&reused);
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 3, "{all:?}");
    }
}

//! Tokens created and revoked, in the audit trail.
//!
//! `schedd-master token create|revoke` changes the tokens file and needs no running master,
//! so the file itself says who did what: each token carries `createdAt`/`createdBy`, and a
//! revoked token moves to `revoked` with `revokedAt`/`revokedBy`. The master reads the file
//! when it starts and whenever it changes, and records each creation and revocation once:
//! an entry's id is made from the token's name and a digest of its hash, so the same change
//! is never recorded twice, across restarts too, and a change made while no master ran is
//! recorded when one starts.
//!
//! A file edited by hand says nothing of who: a token taken out of it (not revoked) or put
//! in without a creation time is recorded, by `unknown`, when a running master sees the
//! change. A token whose creation is older than the retention is not recorded.

use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use schedd_core::audit::{Actor, AuditAction, AuditEntry, AuditOutcome};
use tokio_util::sync::CancellationToken;

use crate::auth::{Role, TokenEntry, TokenFile, Tokens};
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

/// What tells a token apart in its entries' ids (a name may be taken again after a
/// revocation, within the same second too): a digest of its hash, which says nothing of
/// the hash itself; else its creation time.
fn token_key(sha256: &str, created_at: i64) -> String {
    if sha256.is_empty() {
        return created_at.to_string();
    }
    crate::auth::hash_token(&format!("schedd-audit:{sha256}"))[..16].to_owned()
}

/// One token change as the trail holds it.
#[derive(Clone, Copy)]
struct Change<'a> {
    action: AuditAction,
    name: &'a str,
    role: Role,
    sha256: &'a str,
    created_at: i64,
    at: DateTime<Utc>,
    /// Who made it (`unknown` when empty).
    by: &'a str,
    /// Made by editing the file, not with `schedd-master token`: what was done to it.
    by_hand: Option<&'a str>,
}

impl Change<'_> {
    fn entry(&self, path: &Path) -> AuditEntry {
        let detail = match self.by_hand {
            Some(what) => format!("role {}; {what} the file by hand", self.role),
            None => format!("role {}", self.role),
        };
        AuditEntry {
            id: format!(
                "{}:{}:{}",
                self.action.name(),
                self.name,
                token_key(self.sha256, self.created_at)
            ),
            at: self.at,
            actor: Actor {
                name: if self.by.is_empty() {
                    "unknown"
                } else {
                    self.by
                }
                .to_owned(),
                role: String::new(),
                source: format!("tokens file {}", path.display()),
                client: if self.by_hand.is_some() { "" } else { CLIENT }.to_owned(),
            },
            action: self.action,
            target: self.name.to_owned(),
            outcome: AuditOutcome::Done,
            error: String::new(),
            detail,
            before: None,
            after: None,
        }
    }
}

/// A token's name and hash: what tells it apart from another of the same name.
fn key(t: &TokenEntry) -> (&str, &str) {
    (t.name.as_str(), t.sha256.as_str())
}

/// What editing the file by hand did between `last` and `now_file`, seen at `now`: tokens
/// taken out without a revocation, and tokens put in without a creation time.
pub fn hand_edits(
    last: &TokenFile,
    now_file: &TokenFile,
    path: &Path,
    now: DateTime<Utc>,
) -> Vec<AuditEntry> {
    let in_now: HashSet<(&str, &str)> = now_file
        .tokens
        .iter()
        .map(key)
        .chain(
            now_file
                .revoked
                .iter()
                .map(|r| (r.name.as_str(), r.sha256.as_str())),
        )
        .collect();
    let in_last: HashSet<(&str, &str)> = last.tokens.iter().map(key).collect();
    let removed = last.tokens.iter().filter(|t| !in_now.contains(&key(t)));
    let added = now_file
        .tokens
        .iter()
        .filter(|t| t.created_at == 0 && !in_last.contains(&key(t)));
    let change = |t: &TokenEntry, action, what| {
        Change {
            action,
            name: &t.name,
            role: t.role,
            sha256: &t.sha256,
            created_at: t.created_at,
            at: now,
            by: "",
            by_hand: Some(what),
        }
        .entry(path)
    };
    removed
        .map(|t| change(t, AuditAction::TokenRevoke, "taken out of"))
        .chain(added.map(|t| change(t, AuditAction::TokenCreate, "put in")))
        .collect()
}

/// The audit entries the file stands for: one per token created and one per token revoked.
pub fn entries(file: &TokenFile, path: &Path) -> Vec<AuditEntry> {
    let created = file.tokens.iter().map(|t| Change {
        action: AuditAction::TokenCreate,
        name: &t.name,
        role: t.role,
        sha256: &t.sha256,
        created_at: t.created_at,
        at: at(t.created_at),
        by: &t.created_by,
        by_hand: None,
    });
    let revoked = file.revoked.iter().flat_map(|r| {
        let create = Change {
            action: AuditAction::TokenCreate,
            name: &r.name,
            role: r.role,
            sha256: &r.sha256,
            created_at: r.created_at,
            at: at(r.created_at),
            by: &r.created_by,
            by_hand: None,
        };
        let revoke = Change {
            action: AuditAction::TokenRevoke,
            at: at(r.revoked_at),
            by: &r.revoked_by,
            ..create
        };
        [create, revoke]
    });
    created.chain(revoked).map(|c| c.entry(path)).collect()
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
    // The file as last read, for the changes made to it by hand.
    let mut last: Option<std::sync::Arc<TokenFile>> = None;
    let mut pending_hand: Vec<AuditEntry> = Vec::new();
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return,
            _ = tick.tick() => {}
        }
        let file = tokens.file();
        if pending_hand.is_empty()
            && seen
                .as_ref()
                .is_some_and(|s| std::sync::Arc::ptr_eq(s, &file))
        {
            continue;
        }
        let now = Utc::now();
        let cutoff = schedd_core::audit::days_before(now, retention_days);
        if let Some(last) = last.as_ref().filter(|l| !std::sync::Arc::ptr_eq(l, &file)) {
            pending_hand.extend(hand_edits(last, &file, &path, now));
        }
        last = Some(std::sync::Arc::clone(&file));
        let mut complete = true;
        let hand = std::mem::take(&mut pending_hand);
        for entry in entries(&file, &path).into_iter().chain(hand) {
            // A token written without a time says 1970: outside any retention.
            if entry.at < cutoff || recorded.contains(&entry.id) {
                continue;
            }
            match audit.record_once(&entry).await {
                Ok(_) => {
                    recorded.insert(entry.id);
                }
                Err(e) => {
                    tracing::warn!(error = %e, id = %entry.id, "a token change could not be recorded in the audit trail; trying again");
                    if entry.actor.name == "unknown" && entry.actor.client.is_empty() {
                        pending_hand.push(entry);
                    }
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
    use crate::auth::RevokedToken;

    #[test]
    fn tokens_taken_out_or_put_in_by_hand_are_recorded_as_by_unknown() {
        let token = |name: &str, hash: char, created_at: i64| TokenEntry {
            name: name.into(),
            role: Role::Viewer,
            sha256: hash.to_string().repeat(64),
            created_at,
            created_by: String::new(),
        };
        let last = TokenFile {
            tokens: vec![
                token("kept", 'a', 5),
                token("dropped", 'b', 5),
                token("revoked", 'c', 5),
            ],
            revoked: Vec::new(),
        };
        let now_file = TokenFile {
            tokens: vec![
                token("kept", 'a', 5),
                token("pasted", 'd', 0),
                token("new", 'e', 9),
            ],
            revoked: vec![RevokedToken {
                name: "revoked".into(),
                role: Role::Viewer,
                created_at: 5,
                created_by: String::new(),
                sha256: "c".repeat(64),
                revoked_at: 8,
                revoked_by: "root@h".into(),
            }],
        };
        let now = chrono::DateTime::from_timestamp(1_000, 0).expect("time");
        let got = hand_edits(&last, &now_file, Path::new("t.json"), now);
        let summary: Vec<(&str, AuditAction, &str)> = got
            .iter()
            .map(|e| (e.target.as_str(), e.action, e.actor.name.as_str()))
            .collect();
        // `revoked` went through `token revoke`, `new` has its time: neither is a hand edit.
        assert_eq!(
            summary,
            [
                ("dropped", AuditAction::TokenRevoke, "unknown"),
                ("pasted", AuditAction::TokenCreate, "unknown"),
            ]
        );
        assert!(
            got.iter()
                .all(|e| e.at == now && e.detail.contains("by hand"))
        );
        assert!(
            !got[0].id.contains(&"b".repeat(16)),
            "ids hold a digest of the hash, not the hash: {}",
            got[0].id
        );
    }

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

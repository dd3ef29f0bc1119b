//! The audit trail in SQLite: table `audit`, one row per entry, the entry as JSON in `body`
//! and the columns it is filtered by beside it.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};
use schedd_core::audit::{AuditEntry, AuditPage, AuditQuery};
use schedd_core::store::{AuditLog, StoreError};

use super::{SqliteStore, unavailable};

fn where_clause(q: &AuditQuery) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let mut conds = Vec::new();
    let mut args = Vec::new();
    let mut text = |column: &str, value: &Option<String>| {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            args.push(Value::Text(v.to_owned()));
            conds.push(format!("{column} = ?{}", args.len()));
        }
    };
    text("target", &q.target);
    text("actor", &q.actor);
    text("action", &q.action.map(|a| a.name().to_owned()));
    if let Some(since) = q.since {
        args.push(Value::Integer(since.timestamp_millis()));
        conds.push(format!("at_ms >= ?{}", args.len()));
    }
    if let Some(until) = q.until {
        args.push(Value::Integer(until.timestamp_millis()));
        conds.push(format!("at_ms < ?{}", args.len()));
    }
    let clause = if conds.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conds.join(" AND "))
    };
    (clause, args)
}

fn decode(id: &str, body: &str) -> Result<AuditEntry, StoreError> {
    serde_json::from_str(body).map_err(|e| StoreError::Corrupt(format!("audit entry `{id}`: {e}")))
}

#[async_trait]
impl AuditLog for SqliteStore {
    async fn record(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        let body = serde_json::to_string(entry).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let e = entry.clone();
        self.with_logs(move |conn| {
            conn.execute(
                "INSERT INTO audit (id, at_ms, actor, action, target, body) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                 ON CONFLICT (id) DO UPDATE SET body = excluded.body",
                params![
                    e.id,
                    e.at.timestamp_millis(),
                    e.actor.name,
                    e.action.name(),
                    e.target,
                    body
                ],
            )
            .map_err(unavailable)?;
            Ok(())
        })
        .await
    }

    async fn list(&self, query: &AuditQuery) -> Result<AuditPage, StoreError> {
        let q = query.clone();
        self.with_logs(move |conn| {
            let (clause, args) = where_clause(&q);
            let total: i64 = conn
                .query_row(
                    &format!("SELECT COUNT(*) FROM audit {clause}"),
                    rusqlite::params_from_iter(args.iter()),
                    |r| r.get(0),
                )
                .map_err(unavailable)?;
            let size = q.page_size.max(1);
            let offset = i64::from(q.page.max(1) - 1) * i64::from(size);
            let mut stmt = conn
                .prepare_cached(&format!(
                    "SELECT id, body FROM audit {clause} \
                     ORDER BY at_ms DESC, id DESC LIMIT {size} OFFSET {offset}"
                ))
                .map_err(unavailable)?;
            let rows = stmt
                .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })
                .map_err(unavailable)?;
            let mut entries = Vec::new();
            for row in rows {
                let (id, body) = row.map_err(unavailable)?;
                entries.push(decode(&id, &body)?);
            }
            Ok(AuditPage {
                entries,
                total: total.max(0) as u64,
            })
        })
        .await
    }

    async fn contains(&self, id: &str) -> Result<bool, StoreError> {
        let id = id.to_owned();
        self.with_logs(move |conn| {
            conn.query_row("SELECT 1 FROM audit WHERE id = ?1", [id], |_| Ok(()))
                .optional()
                .map(|row| row.is_some())
                .map_err(unavailable)
        })
        .await
    }

    async fn prune(&self, max_age_days: u32, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let cutoff = schedd_core::audit::days_before(now, max_age_days).timestamp_millis();
        self.with_logs(move |conn| {
            conn.execute("DELETE FROM audit WHERE at_ms < ?1", [cutoff])
                .map(|n| n as u64)
                .map_err(unavailable)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use schedd_core::audit::{Actor, AuditAction, AuditOutcome};
    use schedd_core::{Job, from_unix_ms};

    use super::*;

    fn entry(ms: i64, actor: &str, action: AuditAction, target: &str) -> AuditEntry {
        let mut e = AuditEntry::pending(
            from_unix_ms(ms),
            Actor {
                name: actor.into(),
                role: "admin".into(),
                source: "127.0.0.1:5000".into(),
                client: "test".into(),
            },
            action,
            target,
        );
        e.id = format!("{ms:013}-{target}");
        e
    }

    #[tokio::test]
    async fn entries_are_settled_in_place_and_listed_newest_first_with_filters() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SqliteStore::open(dir.path().join("schedd.db")).expect("open");
        let mut save = entry(1_000, "ci", AuditAction::Save, "backup");
        store.record(&save).await.expect("record");
        save.outcome = AuditOutcome::Done;
        save.after = Some(Job::new("backup", "0 0 3 * * *", "tar c /srv"));
        store.record(&save).await.expect("settle");
        store
            .record(&entry(2_000, "alice", AuditAction::Disable, "backup"))
            .await
            .expect("record");
        store
            .record(&entry(3_000, "ci", AuditAction::Delete, "report"))
            .await
            .expect("record");

        let all = AuditLog::list(
            &store,
            &AuditQuery {
                page: 1,
                page_size: 10,
                ..AuditQuery::default()
            },
        )
        .await
        .expect("list");
        assert_eq!(all.total, 3);
        let targets: Vec<(&str, AuditAction)> = all
            .entries
            .iter()
            .map(|e| (e.target.as_str(), e.action))
            .collect();
        assert_eq!(
            targets,
            [
                ("report", AuditAction::Delete),
                ("backup", AuditAction::Disable),
                ("backup", AuditAction::Save)
            ]
        );
        assert_eq!(
            all.entries[2], save,
            "the settled entry replaced the pending one"
        );

        let by = |target: Option<&str>, actor: Option<&str>, action: Option<AuditAction>| {
            let store = store.clone();
            let q = AuditQuery {
                target: target.map(str::to_owned),
                actor: actor.map(str::to_owned),
                action,
                page: 1,
                page_size: 1,
                ..AuditQuery::default()
            };
            async move { AuditLog::list(&store, &q).await.expect("list") }
        };
        let backup = by(Some("backup"), None, None).await;
        assert_eq!((backup.total, backup.entries.len()), (2, 1), "paged by one");
        assert_eq!(backup.entries[0].action, AuditAction::Disable);
        assert_eq!(by(None, Some("ci"), None).await.total, 2);
        assert_eq!(by(None, Some("ci"), Some(AuditAction::Save)).await.total, 1);
        assert_eq!(by(Some("nothing"), None, None).await.total, 0);
        let window = AuditLog::list(
            &store,
            &AuditQuery {
                since: Some(from_unix_ms(2_000)),
                until: Some(from_unix_ms(3_000)),
                page: 1,
                page_size: 10,
                ..AuditQuery::default()
            },
        )
        .await
        .expect("list");
        assert_eq!(window.total, 1, "since is inclusive, until exclusive");

        assert!(store.contains(&save.id).await.expect("contains"));
        assert!(!store.contains("absent").await.expect("contains"));
    }

    #[tokio::test]
    async fn prune_drops_entries_past_their_age_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = SqliteStore::open(dir.path().join("schedd.db")).expect("open");
        let now = from_unix_ms(100 * 86_400_000);
        let old = entry(
            now.timestamp_millis() - 31 * 86_400_000,
            "ci",
            AuditAction::Run,
            "a",
        );
        let new = entry(
            now.timestamp_millis() - 29 * 86_400_000,
            "ci",
            AuditAction::Run,
            "b",
        );
        store.record(&old).await.expect("record");
        store.record(&new).await.expect("record");
        assert_eq!(AuditLog::prune(&store, 30, now).await.expect("prune"), 1);
        assert!(!store.contains(&old.id).await.expect("contains"));
        assert!(store.contains(&new.id).await.expect("contains"));
    }

    #[tokio::test]
    async fn the_trail_survives_reopening_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("schedd.db");
        let e = entry(5_000, "ci", AuditAction::Kill, "backup");
        SqliteStore::open(&path)
            .expect("open")
            .record(&e)
            .await
            .expect("record");
        let store = SqliteStore::open(&path).expect("reopen");
        let page = AuditLog::list(
            &store,
            &AuditQuery {
                page: 1,
                page_size: 10,
                ..AuditQuery::default()
            },
        )
        .await
        .expect("list");
        assert_eq!(page.entries, [e]);
    }
}

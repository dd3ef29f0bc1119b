//! The audit trail in MongoDB: collection `audit` beside the records, one document per entry
//! with the entry's id as `_id`.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use mongodb::IndexModel;
use mongodb::bson::{self, Document, doc};
use mongodb::options::ReplaceOptions;
use schedd_core::audit::{AuditEntry, AuditPage, AuditQuery};
use schedd_core::store::{AuditLog, StoreError};

use super::MongoLogStore;

/// The collection, in the records' database.
pub const COLLECTION: &str = "audit";

pub fn indexes() -> Vec<IndexModel> {
    vec![
        IndexModel::builder().keys(doc! { "at": -1 }).build(),
        IndexModel::builder()
            .keys(doc! { "target": 1, "at": -1 })
            .build(),
    ]
}

/// The document of `entry`: the entry's fields (`at` in Unix ms), `_id` its id.
fn to_document(entry: &AuditEntry) -> Result<Document, StoreError> {
    let mut d = bson::serialize_to_document(entry)
        .map_err(|e| StoreError::Corrupt(format!("audit entry `{}`: {e}", entry.id)))?;
    d.insert("_id", entry.id.clone());
    Ok(d)
}

fn from_document(mut d: Document) -> Result<AuditEntry, StoreError> {
    d.remove("_id");
    bson::deserialize_from_document(d).map_err(|e| StoreError::Corrupt(format!("audit entry: {e}")))
}

fn filter(q: &AuditQuery) -> Document {
    let mut f = Document::new();
    if let Some(t) = q.target.as_deref().filter(|t| !t.is_empty()) {
        f.insert("target", t);
    }
    if let Some(a) = q.actor.as_deref().filter(|a| !a.is_empty()) {
        f.insert("actor.name", a);
    }
    if let Some(a) = q.action {
        f.insert("action", a.name());
    }
    let mut at = Document::new();
    if let Some(since) = q.since {
        at.insert("$gte", since.timestamp_millis());
    }
    if let Some(until) = q.until {
        at.insert("$lt", until.timestamp_millis());
    }
    if !at.is_empty() {
        f.insert("at", at);
    }
    f
}

#[async_trait]
impl AuditLog for MongoLogStore {
    async fn record(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        let d = to_document(entry)?;
        self.audit
            .replace_one(doc! { "_id": &entry.id }, d)
            .with_options(ReplaceOptions::builder().upsert(true).build())
            .await
            .map_err(|e| self.unavailable(e))?;
        Ok(())
    }

    async fn list(&self, query: &AuditQuery) -> Result<AuditPage, StoreError> {
        let f = filter(query);
        let total = self
            .audit
            .count_documents(f.clone())
            .await
            .map_err(|e| self.unavailable(e))?;
        let size = query.page_size.max(1);
        let mut cursor = self
            .audit
            .find(f)
            .sort(doc! { "at": -1, "_id": -1 })
            .skip(u64::from(query.page.max(1) - 1) * u64::from(size))
            .limit(i64::from(size))
            .await
            .map_err(|e| self.unavailable(e))?;
        let mut entries = Vec::new();
        while cursor.advance().await.map_err(|e| self.unavailable(e))? {
            let d = cursor
                .deserialize_current()
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            entries.push(from_document(d)?);
        }
        Ok(AuditPage { entries, total })
    }

    async fn contains(&self, id: &str) -> Result<bool, StoreError> {
        let n = self
            .audit
            .count_documents(doc! { "_id": id })
            .await
            .map_err(|e| self.unavailable(e))?;
        Ok(n > 0)
    }

    async fn prune(&self, max_age_days: u32, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let cutoff = schedd_core::audit::days_before(now, max_age_days).timestamp_millis();
        let r = self
            .audit
            .delete_many(doc! { "at": { "$lt": cutoff } })
            .await
            .map_err(|e| self.unavailable(e))?;
        Ok(r.deleted_count)
    }
}

#[cfg(test)]
mod tests {
    use schedd_core::audit::{Actor, AuditAction, AuditOutcome};
    use schedd_core::{Job, from_unix_ms};

    use super::*;

    #[test]
    fn an_entry_goes_to_a_document_keyed_by_its_id_and_back() {
        let mut e = AuditEntry::pending(
            from_unix_ms(1_700_000_000_000),
            Actor {
                name: "ci".into(),
                role: "admin".into(),
                source: "10.1.2.3:4567".into(),
                client: "schedctl apply".into(),
            },
            AuditAction::Save,
            "backup",
        );
        e.outcome = AuditOutcome::Done;
        e.before = Some(Job::new("backup", "0 0 3 * * *", "tar c /srv"));
        e.after = Some(Job::new("backup", "0 0 4 * * *", "tar c /srv"));
        let d = to_document(&e).expect("document");
        assert_eq!(d.get_str("_id").expect("_id"), e.id);
        assert_eq!(d.get_i64("at").expect("at"), 1_700_000_000_000);
        let actor = d.get_document("actor").expect("actor");
        assert_eq!(actor.get_str("name").expect("name"), "ci");
        assert_eq!(from_document(d).expect("entry"), e);
    }

    #[test]
    fn the_filter_names_the_stored_fields() {
        let q = AuditQuery {
            target: Some("backup".into()),
            actor: Some("ci".into()),
            action: Some(AuditAction::TokenRevoke),
            since: Some(from_unix_ms(1_000)),
            until: Some(from_unix_ms(2_000)),
            page: 1,
            page_size: 10,
        };
        assert_eq!(
            filter(&q),
            doc! {
                "target": "backup",
                "actor.name": "ci",
                "action": "token-revoke",
                "at": { "$gte": 1_000_i64, "$lt": 2_000_i64 },
            }
        );
        assert_eq!(filter(&AuditQuery::default()), Document::new());
    }
}

//! The audit trail: every change made through the API, and every token created or revoked.
//!
//! A change is recorded before it is made (pending) and settled after (done or failed). If
//! the pending entry cannot be written the change is refused, so nothing changes unrecorded;
//! if the settled entry cannot be written the entry stays pending, which says the change may
//! have been made.
//!
//! The trail outlives the jobs it shows and is read by every viewer, so the values of a
//! job's `env` (where credentials end up) are kept only as a digest: a changed value shows
//! as changed, without showing it.

use std::future::Future;
use std::sync::Arc;

use schedd_core::Clock;
use schedd_core::audit::{Actor, AuditAction, AuditEntry, AuditOutcome, AuditQuery};
use schedd_core::store::{AuditLog, StoreError};

use super::error::{Backend, Result, ServiceError, StoreResultExt};

/// The entry's jobs with each `env` value, and each secret of an HTTP job's request and of
/// its webhooks (in URLs and headers), replaced by `sha256:` and the first 16 hex digits of its SHA-256: hidden, and
/// still seen to change.
fn redact(entry: &mut AuditEntry) {
    let digest = |value: &str| {
        let digest = crate::auth::hash_token(value);
        format!("{REDACTED_PREFIX}{}", &digest[..16])
    };
    for job in [&mut entry.before, &mut entry.after].into_iter().flatten() {
        *job = job.redacted_with(digest);
        for value in job.env.values_mut() {
            *value = digest(value);
        }
    }
}

/// How a redacted `env` value starts.
pub const REDACTED_PREFIX: &str = "sha256:";

/// Most entries one page holds.
pub const MAX_AUDIT_PAGE_SIZE: u32 = 500;
/// Entries per page when the caller names no size.
const DEFAULT_PAGE_SIZE: u32 = 50;

/// A page of the trail, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditListing {
    pub entries: Vec<AuditEntry>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
}

#[derive(Debug, Clone)]
pub struct Audit {
    log: Arc<dyn AuditLog>,
    clock: Arc<dyn Clock>,
}

impl Audit {
    pub fn new(log: Arc<dyn AuditLog>, clock: Arc<dyn Clock>) -> Audit {
        Audit { log, clock }
    }

    /// Makes `change` on behalf of `actor`, recorded: `prepare` fills in what is known
    /// before (the job asked for), `settle` what the change returned (the job before and
    /// after). A change that fails is recorded as failed, with its error.
    pub async fn change<T>(
        &self,
        actor: &Actor,
        action: AuditAction,
        target: &str,
        prepare: impl FnOnce(&mut AuditEntry),
        change: impl Future<Output = Result<T>>,
        settle: impl FnOnce(&mut AuditEntry, &T),
    ) -> Result<T> {
        let mut entry = AuditEntry::pending(self.clock.now(), actor.clone(), action, target);
        prepare(&mut entry);
        redact(&mut entry);
        self.log.record(&entry).await.map_err(|e| {
            tracing::error!(error = %e, %action, target, actor = %actor.name, "the audit trail cannot be written: change refused");
            ServiceError::store(
                Backend::Audit,
                match e {
                    StoreError::Unavailable(m) => StoreError::Unavailable(format!(
                        "the audit trail cannot be written, so nothing was changed: {m}"
                    )),
                    other => other,
                },
            )
        })?;
        let result = change.await;
        match &result {
            Ok(value) => {
                entry.outcome = AuditOutcome::Done;
                settle(&mut entry, value);
                redact(&mut entry);
            }
            Err(e) => {
                entry.outcome = AuditOutcome::Failed;
                entry.error = e.to_string();
            }
        }
        if let Err(e) = self.log.record(&entry).await {
            tracing::error!(error = %e, id = %entry.id, %action, target, "the end of a change could not be recorded: its audit entry stays pending");
        }
        result
    }

    /// Records `entry` as it is (token changes, which the master learns of after they are
    /// made), unless an entry with its id is there already.
    pub async fn record_once(&self, entry: &AuditEntry) -> Result<bool> {
        if self.log.contains(&entry.id).await.on(Backend::Audit)? {
            return Ok(false);
        }
        self.log.record(entry).await.on(Backend::Audit)?;
        Ok(true)
    }

    /// A page of entries, newest first; page 0 is page 1, size 0 the default (50).
    pub async fn list(&self, mut query: AuditQuery) -> Result<AuditListing> {
        if query.page_size > MAX_AUDIT_PAGE_SIZE {
            return Err(ServiceError::Invalid(format!(
                "pageSize: must be at most {MAX_AUDIT_PAGE_SIZE}, got {}",
                query.page_size
            )));
        }
        if let (Some(since), Some(until)) = (query.since, query.until)
            && since >= until
        {
            let t = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M:%S UTC");
            return Err(ServiceError::Invalid(format!(
                "since ({}) must be before until ({})",
                t(since),
                t(until)
            )));
        }
        query.page = query.page.max(1);
        if query.page_size == 0 {
            query.page_size = DEFAULT_PAGE_SIZE;
        }
        let page = self.log.list(&query).await.on(Backend::Audit)?;
        Ok(AuditListing {
            entries: page.entries,
            total: page.total,
            page: query.page,
            page_size: query.page_size,
        })
    }

    /// Deletes entries older than `days`.
    pub async fn prune(&self, days: u32) -> Result<u64> {
        self.log
            .prune(days, self.clock.now())
            .await
            .on(Backend::Audit)
    }
}

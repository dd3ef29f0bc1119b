//! `AuditService`.

use schedd_core::audit::AuditQuery;
use schedd_proto::v1 as pb;
use schedd_proto::{audit_action_from_pb, audit_entry_to_pb, datetime_from_ts};
use tonic::{Request, Response};

use super::{Reply, invalid, to_status};
use crate::service::{Audit, Services};

#[derive(Debug, Clone)]
pub struct AuditApi(Audit);

impl AuditApi {
    pub fn new(services: &Services) -> AuditApi {
        AuditApi(services.audit.clone())
    }
}

#[tonic::async_trait]
impl pb::audit_service_server::AuditService for AuditApi {
    async fn list_audit(&self, req: Request<pb::ListAuditRequest>) -> Reply<pb::ListAuditResponse> {
        let r = req.into_inner();
        let time = |ts: Option<prost_types::Timestamp>, what: &str| {
            ts.map(|t| {
                datetime_from_ts(&t).ok_or_else(|| invalid(format!("{what}: not a valid time")))
            })
            .transpose()
        };
        let text = |s: String| Some(s).filter(|s| !s.is_empty());
        let query = AuditQuery {
            target: text(r.target),
            actor: text(r.actor),
            action: audit_action_from_pb(r.action).map_err(invalid)?,
            since: time(r.since, "since")?,
            until: time(r.until, "until")?,
            page: r.page,
            page_size: r.page_size,
        };
        let listing = self.0.list(query).await.map_err(to_status)?;
        Ok(Response::new(pb::ListAuditResponse {
            entries: listing.entries.iter().map(audit_entry_to_pb).collect(),
            total: listing.total,
            page: listing.page,
            page_size: listing.page_size,
        }))
    }
}

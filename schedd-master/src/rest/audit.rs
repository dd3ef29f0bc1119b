//! `/api/v1/audit/list`: the audit trail, newest first.

use axum::extract::State;
use schedd_core::audit::{AuditAction, AuditEntry, AuditQuery};
use serde::Serialize;

use super::openapi::AuditEntrySchema;
use super::params::Params;
use super::{ApiError, ApiResult, Data, Envelope};
use crate::service::Services;

/// A page of the audit trail.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditListJson {
    /// Newest first.
    #[schema(value_type = Vec<AuditEntrySchema>)]
    pub entries: Vec<AuditEntry>,
    /// Entries matching the filters, over all pages.
    pub total: u64,
    /// The page used, from 1.
    pub page: u32,
    /// The page size used.
    pub size: u32,
}

/// Changes made (and attempted): who, what, when, from where, and the job before and after.
#[utoipa::path(operation_id = "listAudit", get, path = "/audit/list", tag = "other",
    params(("target" = Option<String>, Query, description = "A job's (or token's) name"),
           ("actor" = Option<String>, Query, description = "A token's name"),
           ("action" = Option<String>, Query, description = "save, delete, enable, disable, run, kill, token-create or token-revoke"),
           ("since" = Option<i64>, Query, description = "Unix seconds, inclusive"),
           ("until" = Option<i64>, Query, description = "Unix seconds, exclusive"),
           ("page" = Option<u32>, Query, description = "From 1"),
           ("pageSize" = Option<u32>, Query, description = "1-500, default 50")),
    responses((status = 200, description = "A page of the audit trail", body = Envelope<AuditListJson>)))]
pub async fn list(State(s): State<Services>, params: Params) -> ApiResult<AuditListJson> {
    let action = params
        .text_opt("action")
        .map(|a| {
            a.parse::<AuditAction>().map_err(|e| {
                ApiError::bad_parameter(format!(
                    "action: {}",
                    e.chars().take(200).collect::<String>()
                ))
            })
        })
        .transpose()?;
    let query = AuditQuery {
        target: params.text_opt("target"),
        actor: params.text_opt("actor"),
        action,
        since: params.unix_seconds("since")?,
        until: params.unix_seconds("until")?,
        page: params.number("page")?.unwrap_or(0),
        page_size: params.number("pageSize")?.unwrap_or(0),
    };
    let listing = s.audit.list(query).await?;
    Ok(Data(AuditListJson {
        entries: listing.entries,
        total: listing.total,
        page: listing.page,
        size: listing.page_size,
    }))
}

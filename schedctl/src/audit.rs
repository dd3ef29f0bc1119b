//! `schedctl audit list`: the master's audit trail (`AuditService`).

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use schedd_core::audit::{AuditAction, AuditEntry, AuditOutcome};
use schedd_proto::v1 as pb;
use serde::Serialize;
use serde_json::Value;

use crate::Ctx;
use crate::printer::{Layout, Render, TEXT_WIDTH, Text, Tone, local_time, truncate};

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    List(List),
}

impl AuditCommand {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        match self {
            AuditCommand::List(cmd) => cmd.run(ctx).await,
        }
    }
}

/// List changes made to jobs and tokens, newest first: who (the token's name), from where,
/// what, and what changed in the job. Attempts that failed are listed too.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  schedctl audit list --job backup\n  schedctl audit list --actor ci --since 7d\n  schedctl audit list --action delete -o json"
)]
pub struct List {
    /// Only changes to this job (or token).
    #[arg(long, value_name = "NAME")]
    pub job: Option<String>,

    /// Only changes made with this token.
    #[arg(long, value_name = "TOKEN-NAME")]
    pub actor: Option<String>,

    /// Only this kind of change.
    #[arg(long, value_parser = parse_action)]
    pub action: Option<AuditAction>,

    /// Only changes at or after this: an RFC 3339 time or a duration ago (`90m`, `7d`).
    #[arg(long, value_name = "TIME", value_parser = crate::log::parse_time)]
    pub since: Option<DateTime<Utc>>,

    /// Only changes before this (same forms as --since).
    #[arg(long, value_name = "TIME", value_parser = crate::log::parse_time)]
    pub until: Option<DateTime<Utc>>,

    /// Which page, from 1.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub page: u32,

    /// Entries per page, at most 500 (default: the server's, 50).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=500))]
    pub page_size: Option<u32>,
}

fn parse_action(s: &str) -> Result<AuditAction, String> {
    s.parse()
}

impl List {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let request = pb::ListAuditRequest {
            target: self.job.unwrap_or_default(),
            actor: self.actor.unwrap_or_default(),
            action: self.action.map_or(
                pb::AuditAction::Unspecified,
                schedd_proto::audit_action_to_pb,
            ) as i32,
            since: self.since.map(schedd_proto::ts_from_datetime),
            until: self.until.map(schedd_proto::ts_from_datetime),
            page: self.page,
            // 0 asks for the server's default.
            page_size: self.page_size.unwrap_or(0),
        };
        let reply = ctx
            .client
            .call(ctx.client.audit().list_audit(request))
            .await?;
        let entries = reply
            .entries
            .into_iter()
            .map(schedd_proto::audit_entry_from_pb)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| {
                anyhow::anyhow!("the master sent an audit entry this schedctl cannot read: {e}")
            })?;
        ctx.printer.print(&AuditPage {
            entries,
            total: reply.total,
            page: reply.page,
            page_size: reply.page_size,
        })
    }
}

/// One page of the trail.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
}

fn outcome_cell(o: AuditOutcome) -> Text {
    let tone = match o {
        AuditOutcome::Done => Tone::Good,
        AuditOutcome::Failed => Tone::Bad,
        AuditOutcome::Pending => Tone::Warn,
    };
    Text::toned(o.name(), tone)
}

/// What changed in the job, field by field (`cronExpr: "0 3 * * *" → "0 4 * * *"`), or
/// for a job created or deleted, what it runs (`Job::what`: an HTTP job's `METHOD URL`).
pub fn change_summary(e: &AuditEntry) -> String {
    match (&e.before, &e.after) {
        // A pending or failed save has no `before` whether or not the job existed.
        (None, Some(job)) if e.action == AuditAction::Save && e.outcome == AuditOutcome::Done => {
            format!("created: {}", job.what())
        }
        (None, Some(job)) if e.action == AuditAction::Save => format!("asked for: {}", job.what()),
        (Some(job), None) => format!("deleted: {}", job.what()),
        (Some(old), Some(new)) => {
            let show = |v: Option<Value>| v.map_or_else(|| "-".to_owned(), |v| v.to_string());
            let changes: Vec<String> = crate::diff::field_changes(Some(old), Some(new))
                .into_iter()
                .map(|(k, before, after)| format!("{k}: {} → {}", show(before), show(after)))
                .collect();
            if changes.is_empty() {
                "no change".to_owned()
            } else {
                changes.join("; ")
            }
        }
        _ => String::new(),
    }
}

/// The CHANGE column: the error of a failed change, else what changed, else the detail.
fn change_cell(e: &AuditEntry) -> String {
    let text = if e.outcome == AuditOutcome::Failed {
        e.error.clone()
    } else {
        let summary = change_summary(e);
        match (summary.is_empty(), e.detail.is_empty()) {
            (true, _) => e.detail.clone(),
            (false, true) => summary,
            (false, false) => format!("{summary} ({})", e.detail),
        }
    };
    if text.is_empty() { "-".into() } else { text }
}

impl Render for AuditPage {
    fn layout(&self, wide: bool) -> Option<Layout> {
        let mut header = vec![
            "TIME", "WHO", "ROLE", "FROM", "ACTION", "TARGET", "OUTCOME", "CHANGE",
        ];
        if wide {
            header.extend(["CLIENT", "ID"]);
        }
        let mut table = Layout::list(&header);
        let dash = |s: &str| {
            if s.is_empty() {
                "-".to_owned()
            } else {
                s.to_owned()
            }
        };
        for e in &self.entries {
            let change = change_cell(e);
            let mut row = vec![
                Text::from(local_time(&e.at)),
                e.actor.name.clone().into(),
                dash(&e.actor.role).into(),
                dash(&e.actor.source).into(),
                e.action.name().into(),
                e.target.clone().into(),
                outcome_cell(e.outcome),
                if wide {
                    change
                } else {
                    truncate(&change, TEXT_WIDTH)
                }
                .into(),
            ];
            if wide {
                row.extend([dash(&e.actor.client).into(), e.id.clone().into()]);
            }
            table.push(row);
        }
        Some(table)
    }

    fn note(&self) -> Option<String> {
        let pages = self.total.div_ceil(u64::from(self.page_size.max(1))).max(1);
        Some(format!(
            "page {} of {pages}, {} entries in all",
            self.page, self.total
        ))
    }

    fn names(&self) -> Option<Vec<String>> {
        Some(self.entries.iter().map(|e| e.id.clone()).collect())
    }
}

#[cfg(test)]
mod tests {
    use schedd_core::Job;
    use schedd_core::audit::Actor;

    use super::*;

    fn entry(action: AuditAction, before: Option<Job>, after: Option<Job>) -> AuditEntry {
        let mut e = AuditEntry::pending(
            schedd_core::from_unix_ms(1_700_000_000_000),
            Actor {
                name: "ci".into(),
                role: "admin".into(),
                source: "10.0.0.1:5000".into(),
                client: "schedctl apply".into(),
            },
            action,
            "backup",
        );
        e.outcome = AuditOutcome::Done;
        e.before = before;
        e.after = after;
        e
    }

    #[test]
    fn a_change_is_summarised_field_by_field_in_file_order() {
        let old = Job::new("backup", "0 0 3 * * *", "tar c /srv");
        let mut new = old.clone();
        new.cron_expr = "0 0 4 * * *".into();
        new.command = "tar cz /srv".into();
        new.updated_at = 99;
        let e = entry(AuditAction::Save, Some(old.clone()), Some(new));
        assert_eq!(
            change_summary(&e),
            r#"command: "tar c /srv" → "tar cz /srv"; cronExpr: "0 0 3 * * *" → "0 0 4 * * *""#
        );
        let created = entry(AuditAction::Save, None, Some(old.clone()));
        assert_eq!(change_summary(&created), "created: tar c /srv");
        let deleted = entry(AuditAction::Delete, Some(old.clone()), None);
        assert_eq!(change_summary(&deleted), "deleted: tar c /srv");
        let same = entry(AuditAction::Enable, Some(old.clone()), Some(old));
        assert_eq!(change_summary(&same), "no change");
    }

    #[test]
    fn an_http_job_is_summarised_by_its_request() {
        let mut job = Job::new("ping", "@daily", "");
        job.http = Some(schedd_core::HttpSpec {
            url: "https://example.com/ping?token=secret".into(),
            ..Default::default()
        });
        let created = entry(AuditAction::Save, None, Some(job.clone()));
        assert_eq!(
            change_summary(&created),
            "created: GET https://example.com/ping?token=***"
        );
        let deleted = entry(AuditAction::Delete, Some(job), None);
        assert_eq!(
            change_summary(&deleted),
            "deleted: GET https://example.com/ping?token=***"
        );
    }

    #[test]
    fn the_table_shows_who_from_where_and_a_failure_s_error() {
        let mut failed = entry(AuditAction::Delete, None, None);
        failed.outcome = AuditOutcome::Failed;
        failed.error = "job `backup` not found".into();
        let run = {
            let mut e = entry(AuditAction::Run, None, None);
            e.detail = "execution 0190".into();
            e
        };
        let page = AuditPage {
            entries: vec![failed, run],
            total: 2,
            page: 1,
            page_size: 50,
        };
        let text = page.layout(true).expect("a table").render(true, false);
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].starts_with("TIME") && lines[0].contains("CLIENT"),
            "{text}"
        );
        assert!(
            lines[1].contains("ci")
                && lines[1].contains("10.0.0.1:5000")
                && lines[1].contains("failed")
                && lines[1].contains("job `backup` not found"),
            "{text}"
        );
        assert!(
            lines[2].contains("execution 0190") && lines[2].contains("schedctl apply"),
            "{text}"
        );
        assert_eq!(
            page.note().as_deref(),
            Some("page 1 of 1, 2 entries in all")
        );
    }
}

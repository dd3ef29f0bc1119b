//! `schedctl log list`.

use chrono::{DateTime, Utc};
use clap::Args;
use schedd_proto::v1 as pb;

use crate::Ctx;
use crate::printer::RecordPage;

/// List execution records, newest first, a page at a time.
///
/// The runs of one tick are listed together: when records of one job share a plan time (each
/// worker's run of a tick of a broadcast job, a run and its retries), the table has a TICK
/// column, shown on the first run of each tick. `-o wide` adds NOTICES: how many of the
/// notices sent about a run reached their webhook (`log get` says which and why not). `-o json`
/// and `-o yaml` give the records as the master sends them.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  schedctl log list --job backup --status failed --since 7d\n  schedctl log list --job rotate --tick 2026-12-04T12:00:05Z"
)]
pub struct List {
    /// Only this job's records.
    #[arg(long, value_name = "NAME")]
    pub job: Option<String>,

    /// Which page, from 1.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub page: u32,

    /// Records per page, at most 500 (default: the server's, 20).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=500))]
    pub page_size: Option<u32>,

    /// Only runs that ended so; `running` lists the runs going on now instead.
    #[arg(long, value_enum)]
    pub status: Option<Status>,

    /// Only runs that started at or after this: an RFC 3339 time
    /// (`2026-11-25T08:00:00Z`) or a duration ago (`90m`, `2h`, `7d`).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub since: Option<DateTime<Utc>>,

    /// Only runs that started before this (same forms as --since).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub until: Option<DateTime<Utc>>,

    /// Only the runs of the tick planned at this time, to the second (same forms as
    /// --since): every worker's run of a tick of a broadcast job, or a tick and its retries.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub tick: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Status {
    Success,
    Failed,
    Timeout,
    Killed,
    /// Recorded without running: overlap `forbid`, or a tick too late to catch up.
    Skipped,
    /// Interrupted by the death of its worker.
    Lost,
    Running,
}

impl Status {
    fn to_pb(self) -> pb::ExecutionStatus {
        match self {
            Status::Success => pb::ExecutionStatus::Success,
            Status::Failed => pb::ExecutionStatus::Failed,
            Status::Timeout => pb::ExecutionStatus::Timeout,
            Status::Killed => pb::ExecutionStatus::Killed,
            Status::Skipped => pb::ExecutionStatus::Skipped,
            Status::Lost => pb::ExecutionStatus::Lost,
            Status::Running => pb::ExecutionStatus::Running,
        }
    }
}

/// An RFC 3339 instant, or a humantime duration before now.
pub(crate) fn parse_time(s: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    let ago = humantime::parse_duration(s).map_err(|_| {
        format!(
            "`{s}` is neither an RFC 3339 time (2026-11-25T08:00:00Z) nor a duration (90m, 2h, 7d)"
        )
    })?;
    let ago = chrono::Duration::from_std(ago).map_err(|_| format!("`{s}` is too long ago"))?;
    Utc::now()
        .checked_sub_signed(ago)
        .ok_or_else(|| format!("`{s}` is too long ago"))
}

impl List {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let request = pb::ListLogsRequest {
            job_name: self.job.unwrap_or_default(),
            page: self.page,
            // 0 asks for the server's default.
            page_size: self.page_size.unwrap_or(0),
            status: self
                .status
                .map_or(pb::ExecutionStatus::Unspecified, Status::to_pb) as i32,
            since: self.since.map(schedd_proto::ts_from_datetime),
            until: self.until.map(schedd_proto::ts_from_datetime),
            tick: self.tick.map(schedd_proto::ts_from_datetime),
        };
        let reply = ctx
            .client
            .call(ctx.client.logs().list_logs(request))
            .await?;
        ctx.printer.print(&RecordPage {
            records: reply
                .records
                .into_iter()
                .map(schedd_proto::record_from_pb)
                .collect(),
            total: reply.total,
            page: reply.page,
            page_size: reply.page_size,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc3339_or_a_duration_ago() {
        let t = parse_time("2026-11-25T08:00:00Z").expect("rfc3339");
        assert_eq!(t.timestamp(), 1_795_593_600);
        let ago = parse_time("2h").expect("duration");
        let diff = Utc::now() - ago;
        assert!(
            diff >= chrono::Duration::hours(2) && diff < chrono::Duration::hours(3),
            "{diff}"
        );
        let err = parse_time("yesterday").expect_err("neither");
        assert!(err.contains("neither an RFC 3339 time"), "{err}");
    }
}

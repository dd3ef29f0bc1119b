//! `schedctl log stats`.

use anyhow::anyhow;
use clap::Args;
use schedd_proto::v1 as pb;

use crate::Ctx;
use crate::printer::LogStatsView;

/// Count runs by outcome over the last days, for one job or for all.
#[derive(Debug, Args)]
pub struct Stats {
    /// The job's name; all jobs when left out.
    pub name: Option<String>,

    /// How many days back, at most 366.
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=366))]
    pub days: u32,
}

impl Stats {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let request = pb::GetLogStatsRequest {
            job_name: self.name.unwrap_or_default(),
            days: self.days,
        };
        let reply = ctx
            .client
            .call(ctx.client.logs().get_log_stats(request))
            .await?;
        let s = reply
            .stats
            .ok_or_else(|| anyhow!("the master's reply has no stats"))?;
        let last_run_ms = s
            .last_run
            .as_ref()
            .map(|t| schedd_proto::ms_from_ts(Some(t)));
        ctx.printer.print(&LogStatsView {
            job_name: s.job_name,
            days: s.days,
            total: s.total,
            success: s.success,
            failed: s.failed,
            timeout: s.timeout,
            killed: s.killed,
            success_rate: s.success_rate,
            avg_duration_ms: s.avg_duration_ms,
            last_run: last_run_ms.map(|ms| ms.div_euclid(1000)),
            last_run_ms,
        })
    }
}

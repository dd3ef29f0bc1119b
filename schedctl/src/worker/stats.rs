//! `schedctl worker stats`.

use anyhow::anyhow;
use clap::Args;
use schedd_proto::v1 as pb;

use crate::Ctx;
use crate::printer::WorkerStatsView;

/// Show how many workers are online and how busy they are.
#[derive(Debug, Args)]
pub struct Stats {}

impl Stats {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let reply = ctx
            .client
            .call(
                ctx.client
                    .workers()
                    .get_worker_stats(pb::GetWorkerStatsRequest {}),
            )
            .await?;
        let s = reply
            .stats
            .ok_or_else(|| anyhow!("the master's reply has no stats"))?;
        ctx.printer.print(&WorkerStatsView {
            total: s.total,
            online: s.online,
            offline: s.offline,
            running: s.running,
            capacity: s.capacity,
            avg_cpu_usage: s.avg_cpu_usage,
            avg_mem_usage: s.avg_mem_usage,
        })
    }
}

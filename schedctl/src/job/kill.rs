//! `schedctl job kill`.

use clap::Args;
use schedd_proto::v1 as pb;

use crate::Ctx;
use crate::printer::Killed;

/// Kill the job's running executions on every worker. The job stays scheduled.
#[derive(Debug, Args)]
pub struct Kill {
    /// The job's name.
    pub name: String,
}

impl Kill {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let request = pb::KillJobRequest {
            name: self.name.clone(),
        };
        ctx.client.call(ctx.client.jobs().kill_job(request)).await?;
        ctx.printer.print(&Killed {
            name: self.name,
            killed: true,
        })
    }
}

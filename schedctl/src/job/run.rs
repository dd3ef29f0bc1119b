//! `schedctl job run`.

use clap::Args;
use schedd_proto::v1 as pb;

use crate::Ctx;
use crate::printer::RunStarted;

/// Run a job now, once, outside its schedule, and print the execution id.
///
/// The run's record appears in `log list` with trigger `manual` once it finishes.
#[derive(Debug, Args)]
pub struct Run {
    /// The job's name.
    pub name: String,
}

impl Run {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let request = pb::RunJobRequest {
            name: self.name.clone(),
        };
        let reply = ctx.client.call(ctx.client.jobs().run_job(request)).await?;
        ctx.printer.print(&RunStarted {
            name: self.name,
            execution_id: reply.execution_id,
        })
    }
}

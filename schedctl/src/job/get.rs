//! `schedctl job get`.

use clap::Args;
use schedd_proto::v1 as pb;

use crate::Ctx;

/// Show one job with all its settings.
#[derive(Debug, Args)]
pub struct Get {
    /// The job's name.
    pub name: String,
}

impl Get {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let request = pb::GetJobRequest { name: self.name };
        let reply = ctx.client.call(ctx.client.jobs().get_job(request)).await?;
        ctx.printer.print(&super::required_job(reply.job)?)
    }
}

//! `schedctl job enable`.

use clap::Args;
use schedd_proto::v1 as pb;

use crate::Ctx;

/// Schedule a disabled job again.
#[derive(Debug, Args)]
pub struct Enable {
    /// The job's name.
    pub name: String,
}

impl Enable {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let request = pb::EnableJobRequest { name: self.name };
        let reply = ctx
            .client
            .call(ctx.client.jobs().enable_job(request))
            .await?;
        let job = super::required_job(reply.job)?;
        ctx.printer
            .done(&format!("job {:?} enabled", job.job.name), &job)
    }
}

//! `schedctl job disable`.

use clap::Args;
use schedd_proto::v1 as pb;

use crate::Ctx;

/// Stop scheduling a job without deleting it. A run already going is not killed.
#[derive(Debug, Args)]
pub struct Disable {
    /// The job's name.
    pub name: String,
}

impl Disable {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let request = pb::DisableJobRequest { name: self.name };
        let reply = ctx
            .client
            .call(ctx.client.jobs().disable_job(request))
            .await?;
        let job = super::required_job(reply.job)?;
        ctx.printer
            .done(&format!("job {:?} disabled", job.job.name), &job)
    }
}

//! `schedctl job delete`.

use clap::Args;
use schedd_proto::v1 as pb;

use crate::Ctx;

/// Delete a job. Runs already going are not killed (see `job kill`); records are kept.
#[derive(Debug, Args)]
pub struct Delete {
    /// The job's name.
    pub name: String,
}

impl Delete {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let request = pb::DeleteJobRequest { name: self.name };
        let reply = ctx
            .client
            .call(ctx.client.jobs().delete_job(request))
            .await?;
        let deleted = super::required_job(reply.deleted)?;
        ctx.printer
            .done(&format!("job {:?} deleted", deleted.job.name), &deleted)
    }
}

//! `schedctl job list`.

use clap::Args;
use schedd_proto::v1 as pb;

use crate::Ctx;
use crate::printer::JobList;

/// List jobs, optionally only those matching a keyword.
#[derive(Debug, Args)]
pub struct List {
    /// Case-insensitive substring of the name, command or description.
    #[arg(long, short)]
    pub keyword: Option<String>,
}

impl List {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let request = pb::ListJobsRequest {
            keyword: self.keyword.unwrap_or_default(),
        };
        let reply = ctx
            .client
            .call(ctx.client.jobs().list_jobs(request))
            .await?;
        let jobs = reply
            .jobs
            .into_iter()
            .map(super::job_view)
            .collect::<anyhow::Result<_>>()?;
        ctx.printer.print(&JobList(jobs))
    }
}

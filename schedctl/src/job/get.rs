//! `schedctl job get`.

use clap::Args;
use schedd_proto::v1 as pb;

use crate::Ctx;
use crate::printer::{JobDetail, started_by};

/// Show one job with all its settings.
///
/// The table hides the secrets of an HTTP job and of its webhooks (a password or token in a
/// URL, the values of headers like Authorization), and shows the chain the job is in: the jobs
/// it starts (On success, On failure) and the jobs that start it (Started by, which takes a
/// listing of all jobs). `-o json` and `-o yaml` give the whole job as the master has it, the
/// form that `schedctl apply -f` reads back.
#[derive(Debug, Args)]
pub struct Get {
    /// The job's name.
    pub name: String,
}

impl Get {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let request = pb::GetJobRequest { name: self.name };
        let reply = ctx.client.call(ctx.client.jobs().get_job(request)).await?;
        let view = super::required_job(reply.job)?;
        if !ctx.printer.is_human() {
            // The job alone: no second call for rows these formats do not have.
            return ctx.printer.print(&view);
        }
        // Only the master's whole list says which jobs name this one.
        let all = ctx
            .client
            .call(ctx.client.jobs().list_jobs(pb::ListJobsRequest::default()))
            .await?;
        // Only the names matter here, read straight from the wire: a job this version cannot
        // convert whole (an unknown overlap from a newer master) still counts.
        let chains: Vec<schedd_core::Job> = all
            .jobs
            .into_iter()
            .map(|p| schedd_core::Job {
                on_success: p.on_success,
                on_failure: p.on_failure,
                ..schedd_core::Job::new(p.name, "", "")
            })
            .collect();
        let started_by = started_by(&view.job.name, &chains);
        ctx.printer.print(&JobDetail { view, started_by })
    }
}

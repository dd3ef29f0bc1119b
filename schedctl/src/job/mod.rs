//! `schedctl job <verb>`: one file per verb. Each converts its arguments to a request, calls
//! the `JobService`, and prints the answer; validation of the job itself is the server's
//! (it answers `InvalidArgument` with a message naming the field).

mod delete;
mod disable;
mod enable;
mod export;
mod get;
mod kill;
mod list;
mod next;
mod run;
mod save;

use anyhow::anyhow;
use clap::Subcommand;
use schedd_proto::v1 as pb;

use crate::Ctx;
use crate::printer::JobView;

#[derive(Debug, Subcommand)]
pub enum JobCommand {
    // Boxed: its many flags make it several times the size of the other verbs.
    Save(Box<save::Save>),
    List(list::List),
    Get(get::Get),
    Delete(delete::Delete),
    Enable(enable::Enable),
    Disable(disable::Disable),
    Kill(kill::Kill),
    Run(run::Run),
    Next(next::Next),
    Export(export::Export),
}

impl JobCommand {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        match self {
            JobCommand::Save(cmd) => cmd.run(ctx).await,
            JobCommand::List(cmd) => cmd.run(ctx).await,
            JobCommand::Get(cmd) => cmd.run(ctx).await,
            JobCommand::Delete(cmd) => cmd.run(ctx).await,
            JobCommand::Enable(cmd) => cmd.run(ctx).await,
            JobCommand::Disable(cmd) => cmd.run(ctx).await,
            JobCommand::Kill(cmd) => cmd.run(ctx).await,
            JobCommand::Run(cmd) => cmd.run(ctx).await,
            JobCommand::Next(cmd) => cmd.run(ctx).await,
            JobCommand::Export(cmd) => cmd.run(ctx).await,
        }
    }
}

/// The printable form of a job the server sent.
fn job_view(job: pb::Job) -> anyhow::Result<JobView> {
    let revision = job.revision;
    let job = schedd_proto::job_from_pb(job)
        .map_err(|e| anyhow!("the master sent an invalid job: {e}"))?;
    Ok(JobView { job, revision })
}

/// The job in a reply whose `job` field the server always sets.
fn required_job(job: Option<pb::Job>) -> anyhow::Result<JobView> {
    job_view(job.ok_or_else(|| anyhow!("the master's reply has no job"))?)
}

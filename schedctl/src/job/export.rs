//! `schedctl job export`: print jobs as a job file that `apply -f` reads back unchanged.

use clap::{Args, ValueEnum};
use schedd_core::Job;
use schedd_proto::v1 as pb;

use crate::Ctx;
use crate::diff::write_text;
use crate::jobfile;

/// Print jobs as a job file: YAML documents (the default) or a JSON array.
///
/// The output leaves out what the master sets (createdAt, updatedAt, revision), so
/// `schedctl job export > jobs.yaml` and later `schedctl apply -f jobs.yaml` restores the jobs
/// as they were, and reports them unchanged while they still are.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  schedctl job export > jobs.yaml\n  schedctl job export backup --format json"
)]
pub struct Export {
    /// The jobs to export, in this order; every job (by name) when none is given.
    pub names: Vec<String>,

    /// The file format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Yaml)]
    pub format: ExportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Yaml,
    Json,
}

impl Export {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let mut jobs: Vec<Job> = Vec::new();
        if self.names.is_empty() {
            let reply = ctx
                .client
                .call(ctx.client.jobs().list_jobs(pb::ListJobsRequest::default()))
                .await?;
            for job in reply.jobs {
                jobs.push(super::job_view(job)?.job);
            }
        } else {
            for name in &self.names {
                let request = pb::GetJobRequest { name: name.clone() };
                let reply = ctx.client.call(ctx.client.jobs().get_job(request)).await?;
                jobs.push(super::required_job(reply.job)?.job);
            }
        }
        if jobs.is_empty() {
            crate::printer::note(format_args!("no jobs"));
        }
        let text = match self.format {
            ExportFormat::Yaml => jobfile::to_yaml(&jobs)?,
            ExportFormat::Json => jobfile::to_json(&jobs)?,
        };
        write_text(&text)
    }
}

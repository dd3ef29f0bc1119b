//! `schedctl log get`.

use anyhow::anyhow;
use clap::Args;
use schedd_proto::v1 as pb;

use crate::Ctx;
use crate::printer::RecordView;

/// Show the latest execution record of a job, with its output.
///
/// Notices lists the notices the run sent to webhooks (a failure, an overdue run, ...) and
/// whether each was delivered, in how many attempts, with the last HTTP status and error.
#[derive(Debug, Args)]
pub struct Get {
    /// The job's name.
    pub name: String,
}

impl Get {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let request = pb::GetLatestLogRequest {
            job_name: self.name,
        };
        let reply = ctx
            .client
            .call(ctx.client.logs().get_latest_log(request))
            .await?;
        let record = reply
            .record
            .ok_or_else(|| anyhow!("the master's reply has no record"))?;
        ctx.printer
            .print(&RecordView(schedd_proto::record_from_pb(record)))
    }
}

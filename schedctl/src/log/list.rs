//! `schedctl log list`.

use clap::Args;
use schedd_proto::v1 as pb;

use crate::Ctx;
use crate::printer::RecordPage;

/// List execution records, newest first, a page at a time.
#[derive(Debug, Args)]
pub struct List {
    /// Only this job's records.
    #[arg(long, value_name = "NAME")]
    pub job: Option<String>,

    /// Which page, from 1.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub page: u32,

    /// Records per page, at most 500 (default: the server's, 20).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=500))]
    pub page_size: Option<u32>,
}

impl List {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let request = pb::ListLogsRequest {
            job_name: self.job.unwrap_or_default(),
            page: self.page,
            // 0 asks for the server's default.
            page_size: self.page_size.unwrap_or(0),
        };
        let reply = ctx
            .client
            .call(ctx.client.logs().list_logs(request))
            .await?;
        ctx.printer.print(&RecordPage {
            records: reply
                .records
                .into_iter()
                .map(schedd_proto::record_from_pb)
                .collect(),
            total: reply.total,
            page: reply.page,
            page_size: reply.page_size,
        })
    }
}

//! `schedctl worker list`.

use clap::Args;
use schedd_proto::v1 as pb;

use crate::Ctx;
use crate::printer::{WorkerList, WorkerView};

/// List the workers the master knows, online or not.
#[derive(Debug, Args)]
pub struct List {}

impl List {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let reply = ctx
            .client
            .call(ctx.client.workers().list_workers(pb::ListWorkersRequest {}))
            .await?;
        let workers = reply
            .workers
            .into_iter()
            .map(|w| {
                let (info, online) = schedd_proto::worker_from_pb(w);
                WorkerView { info, online }
            })
            .collect();
        ctx.printer.print(&WorkerList(workers))
    }
}

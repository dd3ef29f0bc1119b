//! `schedctl worker <verb>`: what the `WorkerService` knows about the workers.

mod list;
mod stats;

use clap::Subcommand;

use crate::Ctx;

#[derive(Debug, Subcommand)]
pub enum WorkerCommand {
    List(list::List),
    Stats(stats::Stats),
}

impl WorkerCommand {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        match self {
            WorkerCommand::List(cmd) => cmd.run(ctx).await,
            WorkerCommand::Stats(cmd) => cmd.run(ctx).await,
        }
    }
}

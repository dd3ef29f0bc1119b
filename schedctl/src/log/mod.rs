//! `schedctl log <verb>`: execution records from the `LogService`, one file per verb.

mod get;
mod list;
mod stats;
mod tail;

use clap::Subcommand;

pub(crate) use list::parse_time;

use crate::Ctx;

#[derive(Debug, Subcommand)]
pub enum LogCommand {
    List(list::List),
    Get(get::Get),
    Stats(stats::Stats),
    Tail(tail::Tail),
}

impl LogCommand {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        match self {
            LogCommand::List(cmd) => cmd.run(ctx).await,
            LogCommand::Get(cmd) => cmd.run(ctx).await,
            LogCommand::Stats(cmd) => cmd.run(ctx).await,
            LogCommand::Tail(cmd) => cmd.run(ctx).await,
        }
    }
}

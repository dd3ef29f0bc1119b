//! PLACEHOLDER: replaced by its owner.

use clap::Args;

use crate::Ctx;

/// PLACEHOLDER
#[derive(Debug, Args)]
pub struct Diff {}

impl Diff {
    pub async fn run(self, _ctx: &Ctx) -> anyhow::Result<()> {
        anyhow::bail!("not built yet")
    }
}

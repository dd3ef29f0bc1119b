//! PLACEHOLDER: replaced by its owner.

use clap::Args;

/// PLACEHOLDER
#[derive(Debug, Args)]
pub struct Completions {}

impl Completions {
    pub fn run(self) -> anyhow::Result<()> {
        anyhow::bail!("not built yet")
    }
}

/// PLACEHOLDER
#[derive(Debug, Args)]
pub struct Man {}

impl Man {
    pub fn run(self) -> anyhow::Result<()> {
        anyhow::bail!("not built yet")
    }
}

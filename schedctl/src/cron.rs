//! PLACEHOLDER: replaced by its owner.

use clap::Subcommand;

use crate::printer::Printer;

/// PLACEHOLDER
#[derive(Debug, Subcommand)]
pub enum CronCommand {
    /// PLACEHOLDER
    Explain,
}

impl CronCommand {
    pub fn run(self, _printer: &Printer) -> anyhow::Result<()> {
        anyhow::bail!("not built yet")
    }
}

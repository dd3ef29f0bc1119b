//! PLACEHOLDER: replaced by its owner.

use std::time::Duration;

use clap::Args;

use crate::printer::Printer;

/// PLACEHOLDER
#[derive(Debug, Args)]
pub struct Version {}

impl Version {
    pub async fn run(self, _endpoint: &str, _timeout: Duration, _printer: &Printer) -> anyhow::Result<()> {
        anyhow::bail!("not built yet")
    }
}

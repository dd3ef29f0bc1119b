//! `schedctl log tail`.

use std::io::Write;

use anyhow::Context;
use clap::Args;
use schedd_proto::v1 as pb;
use schedd_proto::v1::tail_log_response::Item;

use crate::Ctx;
use crate::printer::local_time_ms;

/// Show a job's output as it runs, then the result.
///
/// The command's stdout goes to stdout and its stderr to stderr, as if it ran here; lines
/// about runs starting and ending go to stderr, prefixed with `==>`. Without --follow it
/// waits for the runs going on now to end (or, when none is running, prints the latest
/// run's output) and exits. Output printed before schedctl attached is not shown for a run
/// in progress: `schedctl log get NAME` has it once the run ends.
#[derive(Debug, Args)]
pub struct Tail {
    /// The job's name.
    pub name: String,
    /// Keep following later runs of the job until interrupted.
    #[arg(short, long)]
    pub follow: bool,
}

impl Tail {
    pub async fn run(self, ctx: &Ctx) -> anyhow::Result<()> {
        let request = pb::TailLogRequest {
            job_name: self.name,
            follow: self.follow,
        };
        // Not through `call`: its timeout is for a single answer, and this stream lasts.
        let mut stream = ctx
            .client
            .logs()
            .tail_log(request)
            .await
            .map_err(|s| crate::client::ClientError::from_status(s, ctx.client.endpoint()))?
            .into_inner();
        // Runs whose start we saw: their output came live. A run that ended before we
        // attached (no --follow, nothing running) only has its stored output to show.
        let mut seen = std::collections::HashSet::new();
        while let Some(msg) = stream
            .message()
            .await
            .map_err(|s| crate::client::ClientError::from_status(s, ctx.client.endpoint()))?
        {
            match msg.item {
                Some(Item::Started(r)) => {
                    let at = local_time_ms(schedd_proto::ms_from_ts(r.start_time.as_ref()));
                    crate::printer::note(format_args!(
                        "==> {} {} started ({at})",
                        r.job_name, r.execution_id
                    ));
                    seen.insert(r.execution_id);
                }
                Some(Item::Output(chunk)) => {
                    if chunk.stream == pb::OutputStream::Stderr as i32 {
                        let mut err = std::io::stderr().lock();
                        err.write_all(&chunk.data).context("writing to stderr")?;
                        err.flush().context("writing to stderr")?;
                    } else {
                        let mut out = std::io::stdout().lock();
                        out.write_all(&chunk.data).context("writing to stdout")?;
                        out.flush().context("writing to stdout")?;
                    }
                }
                Some(Item::Finished(r)) => {
                    let record = schedd_proto::record_from_pb(r);
                    if !seen.remove(&record.execution_id) {
                        print_stored(&record)?;
                    }
                    crate::printer::note(format_args!(
                        "==> {} {} {} (exit {}, {} ms){}",
                        record.job_name,
                        record.execution_id,
                        record.status.as_str(),
                        record.exit_code,
                        record.duration_ms(),
                        if record.error.is_empty() {
                            String::new()
                        } else {
                            format!(": {}", record.error)
                        },
                    ));
                }
                None => {}
            }
        }
        Ok(())
    }
}

fn print_stored(record: &schedd_core::ExecutionRecord) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(record.output.as_bytes())
        .context("writing to stdout")?;
    out.flush().context("writing to stdout")?;
    let mut err = std::io::stderr().lock();
    err.write_all(record.stderr.as_bytes())
        .context("writing to stderr")?;
    Ok(())
}

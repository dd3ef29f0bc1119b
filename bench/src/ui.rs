//! `ui-load`: the web UI's first load with many jobs, in headless Chromium. An embedded
//! master (its UI embedded, in a release build) gets `--jobs` disabled jobs through
//! `SaveJob`; then `web/tests/load.mjs` (playwright-core, Debian's Chromium, installed by
//! `scripts/bootstrap`) opens the UI `--runs` times with an empty cache and reports the bytes
//! transferred and the time from navigation to the jobs table showing every job.

use anyhow::{Context, ensure};
use schedd_proto::v1 as pb;

/// The flags of `schedd-bench ui-load`.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Options {
    /// Jobs the UI lists.
    #[arg(long, default_value_t = 1000)]
    pub jobs: usize,
    /// Page loads, each in a fresh browser context.
    #[arg(long, default_value_t = 10)]
    pub runs: usize,
}

pub async fn run(o: Options) -> anyhow::Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .context("the workspace")?
        .to_owned();
    ensure!(
        root.join("web/node_modules/playwright-core").exists(),
        "web/node_modules is missing: run scripts/bootstrap"
    );
    let dir = tempfile::tempdir()?;
    let master = crate::EmbeddedMaster::start(dir.path()).await?;
    let addr = master.addr;
    let channel = tonic::transport::Channel::from_shared(format!("http://{addr}"))?
        .connect()
        .await?;
    let mut jobs = pb::job_service_client::JobServiceClient::new(channel);
    for i in 0..o.jobs {
        jobs.save_job(pb::SaveJobRequest {
            job: Some(pb::Job {
                name: format!("job-{i:05}"),
                command: format!("/usr/local/bin/backup --target /srv/data/{i} --keep 7"),
                cron_expr: "0 0 3 * * *".into(),
                disabled: true,
                ..Default::default()
            }),
            expected_revision: None,
        })
        .await?;
    }
    let out = tokio::process::Command::new("node")
        .arg("web/tests/load.mjs")
        .current_dir(&root)
        .env("SCHEDD_URL", format!("http://{addr}"))
        .env("JOBS", o.jobs.to_string())
        .env("RUNS", o.runs.to_string())
        .output()
        .await
        .context("running node (scripts/bootstrap installs it)")?;
    print!("{}", String::from_utf8_lossy(&out.stdout));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    master.stop().await?;
    ensure!(out.status.success(), "the page load script failed");
    Ok(())
}

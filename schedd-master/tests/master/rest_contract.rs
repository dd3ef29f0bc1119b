//! The REST API (`/api/v1`) as its outside clients see it, against real masters on
//! 127.0.0.1:0:
//!
//! - `tests/api/contract.py`, written like the old web UI and shell scripts (plain HTTP and
//!   JSON, none of our types), checks the old contract route by route against an embedded
//!   master, with real runs of real commands.
//! - schemathesis generates requests from `/api/v1/openapi.json` and checks that no answer is
//!   a server error and that every answer matches the document. It invents job commands, so
//!   it runs against a cluster master with no worker: jobs are stored in a real etcd and never
//!   run. `negative_data_rejection` is not checked: the old contract answers bad input with
//!   HTTP 200 and code 1001 by design. It is installed by `scripts/bootstrap-python` into
//!   `target/tools/venv`, pinned, because its flags change between releases.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::harness::Master;
use schedd_core::config::ClusterConfig;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// How long schemathesis may take before it is stopped as hung. It takes a few minutes on
/// two cores; this bounds a hang, it does not time it.
const SCHEMATHESIS_LIMIT: Duration = Duration::from_secs(20 * 60);

/// Examples per operation: enough to reach the odd corners of each route's parameters,
/// few enough for the whole API to finish in minutes on two cores.
const MAX_EXAMPLES: &str = "50";

/// Each request; the master answers in milliseconds, so a request this slow is a hang.
const REQUEST_TIMEOUT_SECS: &str = "10";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the crate is in the workspace")
        .to_path_buf()
}

/// Output of a finished process, for assertion messages.
fn output_text(out: &std::process::Output) -> String {
    format!(
        "--- stdout ---\n{}\n--- stderr ---\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_clients_contract_holds_route_by_route() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let master = Master::start(dir.path()).await;
    let url = format!("http://{}", master.addr);

    // The socket is bound, so the script's first request cannot race the server's start.
    // The script bounds each wait (60 s) and each request (30 s) itself.
    let script_url = url.clone();
    let out = tokio::task::spawn_blocking(move || {
        Command::new("python3")
            .arg("tests/api/contract.py")
            .current_dir(workspace_root())
            .env("SCHEDD_URL", script_url)
            .stdin(Stdio::null())
            .output()
    })
    .await
    .expect("join")
    .unwrap_or_else(|e| panic!("running python3 (is it installed?): {e}"));
    let text = output_text(&out);
    println!("{text}");

    master.stop().await;
    // The output is printed above (shown on failure, or with --nocapture), not repeated here.
    assert!(
        out.status.success(),
        "tests/api/contract.py against {url} failed ({}); its output is above",
        out.status
    );
}

/// The schemathesis of `scripts/bootstrap-python`, or a failure saying how to get it: a test
/// that passes because its tool is missing would hide every finding.
fn schemathesis() -> PathBuf {
    let bin = workspace_root().join("target/tools/venv/bin/schemathesis");
    if bin.is_file() {
        return bin;
    }
    if std::env::var_os("CI").is_some() {
        panic!(
            "schemathesis is not installed at {}: CI must run scripts/bootstrap (which calls \
             scripts/bootstrap-python) before the tests",
            bin.display()
        );
    }
    panic!(
        "schemathesis is not installed at {}: run scripts/bootstrap",
        bin.display()
    );
}

/// Kills the child when the test fails while it runs.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

#[test]
fn schemathesis_finds_no_server_error_or_schema_mismatch() {
    let bin = schemathesis();
    let etcd = testkit::EtcdServer::start();
    let dir = tempfile::tempdir().expect("temporary directory");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).expect("bind");
    let addr = listener.local_addr().expect("address");
    // A cluster master with no worker: whatever commands schemathesis saves are stored in
    // etcd and never run.
    let cfg = ClusterConfig {
        etcd_endpoints: vec![etcd.endpoint()],
        data_dir: dir.path().join("master-data"),
        ..ClusterConfig::default()
    };
    let shutdown = CancellationToken::new();
    let master = rt.spawn(schedd_master::cluster::run(cfg, listener, shutdown.clone()));

    let work = dir.path().join("schemathesis");
    std::fs::create_dir_all(&work).expect("schemathesis directory");
    let log_path = dir.path().join("schemathesis.log");
    let log = std::fs::File::create(&log_path).expect("schemathesis log");
    let child = Command::new(&bin)
        .arg("run")
        .arg(format!("http://{addr}/api/v1/openapi.json"))
        .args([
            "--checks",
            "not_a_server_error,response_schema_conformance,status_code_conformance,\
             content_type_conformance",
            // Server-sent event streams never end.
            "--exclude-path-regex",
            "/events|/log/tail/",
            "--max-examples",
            MAX_EXAMPLES,
            "--request-timeout",
            REQUEST_TIMEOUT_SECS,
            "--generation-database",
            "none",
            "--no-color",
        ])
        // Its reports and caches go to the temporary directory, not the workspace.
        .current_dir(&work)
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("log"))
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("running {}: {e}", bin.display()));
    let mut child = KillOnDrop(child);
    let status = testkit::eventually("schemathesis to finish", SCHEMATHESIS_LIMIT, || {
        child.0.try_wait().expect("waiting for schemathesis")
    });
    let text = std::fs::read_to_string(&log_path).unwrap_or_default();
    println!("{text}");

    shutdown.cancel();
    rt.block_on(master)
        .expect("join")
        .expect("the master ran cleanly");
    assert!(
        status.success(),
        "schemathesis found problems in the REST API of a cluster master ({status}); its \
         report is above"
    );
}

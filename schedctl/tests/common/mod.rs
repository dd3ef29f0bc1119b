//! The harness the integration tests share: an embedded master on 127.0.0.1:0 and a
//! `schedctl` command isolated from the developer's environment and config file.

// Each test file compiles this module separately and uses a different part of it.
#![allow(dead_code)]

use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use schedd_master::embedded::{DevConfig, run};
use tokio_util::sync::CancellationToken;

/// Where `SCHEDCTL_CONFIG` points unless a test asks for a config file of its own.
pub const NO_CONFIG: &str = "/nonexistent/schedctl/config.yaml";

/// The path of the built `schedctl` binary, for tests that run it without `assert_cmd`.
pub fn schedctl_bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("schedctl")
}

/// `schedctl` with nothing from the developer's environment, its config file at `config`
/// and no endpoint at all.
pub fn schedctl_with_config(config: &Path) -> Command {
    let mut cmd = Command::cargo_bin("schedctl").expect("the schedctl binary is built");
    cmd.env_remove("SCHEDCTL_ENDPOINT")
        .env_remove("SCHEDCTL_CONTEXT")
        .env_remove("SCHEDCTL_TOKEN")
        .env("SCHEDCTL_CONFIG", config);
    cmd
}

/// `schedctl` with nothing from the developer's environment, no config file and no endpoint.
pub fn schedctl() -> Command {
    schedctl_with_config(Path::new(NO_CONFIG))
}

/// A running embedded master (master, one worker and SQLite in a temporary directory), in a
/// tokio runtime of its own; stopped (and its records flushed) on drop.
pub struct Master {
    pub endpoint: String,
    shutdown: CancellationToken,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    runtime: tokio::runtime::Runtime,
    /// The data directory is `data/` in here; the config file, if any, `config.yaml`.
    dir: tempfile::TempDir,
    /// Whether `schedctl` reads `config.yaml` in `dir` rather than no config file at all.
    config_file: bool,
    /// Whether drop fails the test when the master does not stop cleanly within 10 s.
    check_stop: bool,
}

impl Master {
    /// Starts a master; its `schedctl` reads no config file.
    pub fn start() -> Master {
        let dir = tempfile::tempdir().expect("temporary directory");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime");
        // Bound before the master starts, so the first schedctl call can connect at once.
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind 127.0.0.1:0");
        let endpoint = format!("http://{}", listener.local_addr().expect("local addr"));
        let shutdown = CancellationToken::new();
        let data = dir.path().join("data");
        let task = runtime.spawn(run(DevConfig::new(data), listener, shutdown.clone()));
        Master {
            endpoint,
            shutdown,
            task: Some(task),
            runtime,
            dir,
            config_file: false,
            check_stop: true,
        }
    }

    /// Starts a master whose `schedctl` reads a config file of the test's own, [`Self::config`]
    /// (it does not exist until a `config` verb writes it).
    pub fn with_config_file() -> Master {
        let mut master = Master::start();
        master.config_file = true;
        master
    }

    /// Does not fail the test when the master does not stop cleanly on drop.
    pub fn without_stop_check(mut self) -> Master {
        self.check_stop = false;
        self
    }

    /// The config file `schedctl` reads: this test's own, or one that does not exist.
    pub fn config(&self) -> PathBuf {
        if self.config_file {
            self.dir.path().join("config.yaml")
        } else {
            PathBuf::from(NO_CONFIG)
        }
    }

    /// Runs `future` on the master's runtime.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// `schedctl` with nothing from the developer's environment, [`Self::config`] and no
    /// endpoint at all.
    pub fn bare(&self) -> Command {
        schedctl_with_config(&self.config())
    }

    /// `schedctl --endpoint <this master>`.
    pub fn schedctl(&self) -> Command {
        let mut cmd = self.bare();
        cmd.args(["--endpoint", &self.endpoint]);
        cmd
    }

    /// Runs schedctl, expecting success, and returns its stdout.
    pub fn stdout(&self, args: &[&str]) -> String {
        let out = self.schedctl().args(args).output().expect("schedctl runs");
        assert!(
            out.status.success(),
            "schedctl {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    }

    /// Runs schedctl with `-o json`, expecting success, and parses its stdout.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let out = self
            .schedctl()
            .args(["-o", "json"])
            .args(args)
            .output()
            .expect("schedctl runs");
        assert!(
            out.status.success(),
            "schedctl {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("stdout is JSON")
    }

    /// The names of the jobs on the master.
    pub fn job_names(&self) -> Vec<String> {
        self.json(&["job", "list"])
            .as_array()
            .expect("an array")
            .iter()
            .map(|j| j["name"].as_str().expect("a name").to_owned())
            .collect()
    }

    /// Polls `log list --job NAME` until a record satisfies `done`, for at most 30 s.
    pub fn wait_for_record(
        &self,
        job: &str,
        what: &str,
        done: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let mut page = serde_json::Value::Null;
        let found = testkit::within(Duration::from_secs(30), || {
            page = self.json(&["log", "list", "--job", job, "--page-size", "100"]);
            let records = page["records"].as_array().cloned().unwrap_or_default();
            records.into_iter().find(|r| done(r))
        });
        found.unwrap_or_else(|| {
            panic!("no record of {job} with {what} within 30s; last page: {page:#}")
        })
    }
}

impl Drop for Master {
    fn drop(&mut self) {
        self.shutdown.cancel();
        if let Some(task) = self.task.take() {
            let stopped = self
                .runtime
                .block_on(async { tokio::time::timeout(Duration::from_secs(10), task).await });
            // Don't panic while already panicking: that would hide the test's own failure.
            if self.check_stop && !std::thread::panicking() {
                match stopped {
                    Ok(Ok(Ok(()))) => {}
                    Ok(Ok(Err(e))) => panic!("the embedded master failed: {e:#}"),
                    Ok(Err(e)) => panic!("the embedded master panicked: {e}"),
                    Err(_) => panic!("the embedded master did not stop within 10s"),
                }
            }
        }
    }
}

//! The embedded master that the schedctl integration tests run against: master, worker and
//! SQLite in a temporary directory, listening on 127.0.0.1:0, stopped when dropped.

// Each test file compiles this module on its own and uses a different part of it.
#![allow(dead_code)]

use std::path::Path;
use std::time::Duration;

use schedd_master::embedded::{DevConfig, run};
use tokio_util::sync::CancellationToken;

pub struct Master {
    pub endpoint: String,
    pub runtime: tokio::runtime::Runtime,
    shutdown: CancellationToken,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    dir: tempfile::TempDir,
}

impl Master {
    pub fn start() -> Master {
        let dir = tempfile::tempdir().expect("temporary directory");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime");
        // Bound before the master starts, so the first call can connect at once.
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind 127.0.0.1:0");
        let endpoint = format!("http://{}", listener.local_addr().expect("local addr"));
        let shutdown = CancellationToken::new();
        let data = dir.path().join("data");
        let task = runtime.spawn(run(DevConfig::new(data), listener, shutdown.clone()));
        Master {
            endpoint,
            runtime,
            shutdown,
            task: Some(task),
            dir,
        }
    }

    /// A scratch directory of this test's own (the master's data is in `data/` below it).
    pub fn dir(&self) -> &Path {
        self.dir.path()
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
            if !std::thread::panicking() {
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

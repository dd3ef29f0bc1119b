//! One harness for a master running in the test's process (embedded mode, SQLite in a
//! temporary directory, on 127.0.0.1:0), shared by the modules of this test binary; each
//! adds the helpers of its own kind of test in an `impl Master` block of its own. (The
//! records tests start the real binary instead, to kill it: `records::MasterProcess`.)

use schedd_master::embedded::{self, DevConfig};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tonic::transport::Channel;

pub struct Master {
    pub addr: std::net::SocketAddr,
    pub channel: Channel,
    pub shutdown: CancellationToken,
    pub task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Master {
    /// A master with the defaults of `--dev`, its data in `dir`.
    pub async fn start(dir: &std::path::Path) -> Master {
        Master::start_with(DevConfig::new(dir)).await
    }

    pub async fn start_with(cfg: DevConfig) -> Master {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(embedded::run(cfg, listener, shutdown.clone()));
        // The socket is bound, so connecting cannot race the server's start.
        let channel = Channel::from_shared(format!("http://{addr}"))
            .expect("uri")
            .connect()
            .await
            .expect("connect");
        Master {
            addr,
            channel,
            shutdown,
            task,
        }
    }

    /// Stops the master and fails the test unless it stopped cleanly.
    pub async fn stop(self) {
        self.shutdown.cancel();
        self.task.await.expect("join").expect("master ran cleanly");
    }
}

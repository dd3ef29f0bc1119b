//! A real, single-member etcd for one test: its own data directory and loopback ports, its
//! output in a log file beside the data, and stop, kill and restart for tests of outages.

use std::fs::OpenOptions;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use etcd_client::{
    AlarmAction, AlarmType, Certificate, Client, CompactionOptions, ConnectOptions, Identity,
    TlsOptions,
};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use tempfile::TempDir;

/// How long etcd may take to answer after it is started.
const START_DEADLINE: Duration = Duration::from_secs(30);
/// How long a stopped etcd may take to exit before it is killed.
const STOP_DEADLINE: Duration = Duration::from_secs(10);
/// Attempts with fresh ports when another process took a port between picking and binding.
const PORT_ATTEMPTS: usize = 5;

const NOT_INSTALLED: &str =
    "etcd is not installed: run scripts/bootstrap (it installs Debian's etcd-server)";

/// An etcd process serving on `127.0.0.1`. Dropping it kills the process and removes its data.
#[derive(Debug)]
pub struct EtcdServer {
    binary: PathBuf,
    dir: TempDir,
    client_port: u16,
    peer_port: u16,
    child: Option<Child>,
    /// Serving clients over TLS with these files; with `true`, asking every client for a
    /// certificate of the same CA.
    tls: Option<(crate::tls::TestTls, bool)>,
    /// `--quota-backend-bytes`: past it etcd raises a NOSPACE alarm and takes no more writes.
    /// `None`: etcd's default (2 GiB).
    quota_bytes: Option<u64>,
}

/// Why a start failed.
#[derive(Debug)]
enum StartError {
    /// A port was taken by someone else before etcd bound it.
    PortTaken,
    Failed(String),
}

impl EtcdServer {
    /// Starts etcd on two free loopback ports, with a fresh data directory, and returns once
    /// it answers. Panics (with its log) if it does not within 30 s.
    pub fn start() -> EtcdServer {
        EtcdServer::start_with(None, None)
    }

    /// [`EtcdServer::start`] with a backend quota of `quota_bytes`
    /// (`--quota-backend-bytes`) instead of etcd's 2 GiB, for tests of a cluster that must
    /// stay within a small one: past it etcd raises a NOSPACE alarm (see
    /// [`EtcdServer::alarms`]) and refuses writes. The quota survives
    /// [`EtcdServer::start_again`].
    pub fn start_with_quota(quota_bytes: u64) -> EtcdServer {
        EtcdServer::start_with(None, Some(quota_bytes))
    }

    /// [`EtcdServer::start`], serving clients over TLS with `tls`'s certificate (for
    /// `127.0.0.1`); with `client_certs`, every client must present a certificate signed
    /// by `tls`'s CA (`--client-cert-auth`).
    pub fn start_tls(tls: &crate::tls::TestTls, client_certs: bool) -> EtcdServer {
        EtcdServer::start_with(Some((tls.clone(), client_certs)), None)
    }

    fn start_with(
        tls: Option<(crate::tls::TestTls, bool)>,
        quota_bytes: Option<u64>,
    ) -> EtcdServer {
        let binary = find_on_path("etcd").unwrap_or_else(|| panic!("{NOT_INSTALLED}"));
        let mut last = String::new();
        for _ in 0..PORT_ATTEMPTS {
            let dir = tempfile::Builder::new()
                .prefix("schedd-etcd-")
                .tempdir()
                .expect("a temporary directory for etcd");
            let (client_port, peer_port) = free_ports();
            let mut server = EtcdServer {
                binary: binary.clone(),
                dir,
                client_port,
                peer_port,
                child: None,
                tls: tls.clone(),
                quota_bytes,
            };
            match server.launch() {
                Ok(()) => return server,
                Err(StartError::PortTaken) => {
                    last = server.log();
                    continue;
                }
                Err(StartError::Failed(why)) => {
                    panic!(
                        "etcd did not start: {why}\n--- etcd log ---\n{}",
                        server.log()
                    )
                }
            }
        }
        panic!(
            "etcd did not start: a port was taken {PORT_ATTEMPTS} times over\n--- etcd log ---\n{last}"
        );
    }

    /// `127.0.0.1:<port>`, for [`etcd_client::Client::connect`] or schedd's `etcdEndpoints`.
    pub fn endpoint(&self) -> String {
        format!("127.0.0.1:{}", self.client_port)
    }

    /// Whether the process is running (started and not stopped or killed).
    pub fn is_running(&mut self) -> bool {
        match &mut self.child {
            Some(child) => matches!(child.try_wait(), Ok(None)),
            None => false,
        }
    }

    /// Stops etcd gracefully (SIGTERM) and waits for it to exit; kills it if it takes more
    /// than 10 s.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let pid = Pid::from_raw(i32::try_from(child.id()).expect("a pid fits in i32"));
        // It may have exited already; the wait below tells.
        let _ = kill(pid, Signal::SIGTERM);
        let end = Instant::now() + STOP_DEADLINE;
        loop {
            match child.try_wait() {
                Ok(Some(_)) => return,
                Ok(None) if Instant::now() < end => std::thread::sleep(Duration::from_millis(20)),
                _ => break,
            }
        }
        let _ = child.kill();
        let _ = child.wait();
    }

    /// Kills etcd (SIGKILL), as a crash would, and waits for it to exit.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts etcd again after [`EtcdServer::stop`] or [`EtcdServer::kill`], with the same data
    /// and ports, and returns once it answers. Panics if it is running, or does not answer
    /// within 30 s.
    pub fn start_again(&mut self) {
        assert!(!self.is_running(), "start_again: etcd is still running");
        self.child = None;
        match self.launch() {
            Ok(()) => {}
            Err(StartError::PortTaken) => panic!(
                "etcd did not start again: another process took port {} or {}\n--- etcd log ---\n{}",
                self.client_port,
                self.peer_port,
                self.log()
            ),
            Err(StartError::Failed(why)) => panic!(
                "etcd did not start again: {why}\n--- etcd log ---\n{}",
                self.log()
            ),
        }
    }

    /// Everything etcd wrote to stdout and stderr, across restarts.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// A client of this server (over TLS, with the test certificate, for a TLS server).
    pub async fn client(&self) -> Client {
        let options = self
            .tls_options()
            .map(|tls| ConnectOptions::new().with_tls(tls));
        Client::connect([self.endpoint()], options)
            .await
            .unwrap_or_else(|e| panic!("connecting to the test etcd at {}: {e}", self.endpoint()))
    }

    /// Compacts the history up to the current revision (waiting until the compaction is
    /// applied), so no watch can start at an earlier revision. Returns that revision.
    pub async fn compact_now(&self) -> i64 {
        let mut client = self.client().await;
        let revision = client
            .get("compact_now", None)
            .await
            .expect("reading the current revision")
            .header()
            .expect("a response header")
            .revision();
        client
            .compact(revision, Some(CompactionOptions::new().with_physical()))
            .await
            .expect("compacting");
        revision
    }

    /// The alarms raised in the cluster (`NOSPACE` once the backend is past its quota,
    /// `CORRUPT`), as `(member id, alarm)`; empty when all is well.
    pub async fn alarms(&self) -> Vec<(u64, AlarmType)> {
        let mut client = self.client().await;
        let resp = client
            .alarm(AlarmAction::Get, AlarmType::None, None)
            .await
            .expect("listing etcd's alarms");
        resp.alarms()
            .iter()
            .map(|a| (a.member_id(), a.alarm()))
            .collect()
    }

    /// The size of the backend database in bytes, as `etcdctl endpoint status` shows it:
    /// what counts against the quota.
    pub async fn db_size(&self) -> i64 {
        let mut client = self.client().await;
        client
            .status()
            .await
            .expect("reading etcd's status")
            .db_size()
    }

    fn log_path(&self) -> PathBuf {
        self.dir.path().join("etcd.log")
    }

    /// Spawns etcd and waits until it answers.
    fn launch(&mut self) -> Result<(), StartError> {
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.log_path())
            .map_err(|e| StartError::Failed(format!("opening the log file: {e}")))?;
        let err_log = log
            .try_clone()
            .map_err(|e| StartError::Failed(format!("opening the log file: {e}")))?;
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        let client_url = format!("{scheme}://127.0.0.1:{}", self.client_port);
        let peer_url = format!("http://127.0.0.1:{}", self.peer_port);
        let mut command = Command::new(&self.binary);
        command
            .arg("--name")
            .arg("default")
            .arg("--data-dir")
            .arg(self.dir.path().join("data"))
            .arg("--listen-client-urls")
            .arg(&client_url)
            .arg("--advertise-client-urls")
            .arg(&client_url)
            .arg("--listen-peer-urls")
            .arg(&peer_url)
            .arg("--initial-advertise-peer-urls")
            .arg(&peer_url)
            .arg("--initial-cluster")
            .arg(format!("default={peer_url}"))
            .stdin(Stdio::null())
            .args(self.tls_args())
            .args(
                self.quota_bytes
                    .map(|q| format!("--quota-backend-bytes={q}")),
            )
            .stdout(Stdio::from(log))
            .stderr(Stdio::from(err_log));
        if cfg!(target_arch = "aarch64") {
            // etcd 3.4 refuses to start on arm64 without this.
            command.env("ETCD_UNSUPPORTED_ARCH", "arm64");
        }
        let child = command
            .spawn()
            .map_err(|e| StartError::Failed(format!("spawning {}: {e}", self.binary.display())))?;
        self.child = Some(child);
        self.wait_until_answering()
    }

    /// What a client needs to reach a TLS server: its CA, and the test certificate as a
    /// client certificate.
    fn tls_options(&self) -> Option<TlsOptions> {
        self.tls.as_ref().map(|(tls, _)| {
            let read = |p: &Path| std::fs::read(p).expect("read the test certificates");
            TlsOptions::new()
                .ca_certificate(Certificate::from_pem(read(&tls.ca)))
                .identity(Identity::from_pem(read(&tls.cert), read(&tls.key)))
        })
    }

    fn tls_args(&self) -> Vec<std::ffi::OsString> {
        let Some((tls, client_certs)) = &self.tls else {
            return Vec::new();
        };
        let mut args: Vec<std::ffi::OsString> = vec![
            "--cert-file".into(),
            tls.cert.clone().into(),
            "--key-file".into(),
            tls.key.clone().into(),
        ];
        if *client_certs {
            args.extend([
                "--client-cert-auth".into(),
                "--trusted-ca-file".into(),
                tls.ca.clone().into(),
            ]);
        }
        args
    }

    fn wait_until_answering(&mut self) -> Result<(), StartError> {
        let end = Instant::now() + START_DEADLINE;
        loop {
            let exited = match &mut self.child {
                Some(child) => child.try_wait().ok().flatten(),
                None => return Err(StartError::Failed("no process".into())),
            };
            if let Some(status) = exited {
                self.child = None;
                return Err(if self.log().contains("address already in use") {
                    StartError::PortTaken
                } else {
                    StartError::Failed(format!("etcd exited ({status})"))
                });
            }
            if answers(self.client_port, self.tls_options()) {
                return Ok(());
            }
            if Instant::now() >= end {
                self.kill();
                return Err(StartError::Failed(format!(
                    "no answer within {START_DEADLINE:?}"
                )));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for EtcdServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Whether etcd on `port` answers a status request and has a leader. Runs on a thread of its
/// own with its own runtime, so it works from sync code and from inside a test's runtime.
fn answers(port: u16, tls: Option<TlsOptions>) -> bool {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    // Cheap check first: nothing to ask while the port is closed.
    if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        return false;
    }
    let endpoint = format!("127.0.0.1:{port}");
    std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return false;
        };
        runtime.block_on(async {
            let mut options = ConnectOptions::new()
                .with_connect_timeout(Duration::from_secs(1))
                .with_timeout(Duration::from_secs(1));
            if let Some(tls) = tls {
                options = options.with_tls(tls);
            }
            let ask = async {
                let mut client = Client::connect([endpoint], Some(options)).await.ok()?;
                client.status().await.ok()
            };
            match tokio::time::timeout(Duration::from_secs(2), ask).await {
                Ok(Some(status)) => status.leader() != 0,
                _ => false,
            }
        })
    })
    .join()
    .unwrap_or(false)
}

/// Two distinct free ports on 127.0.0.1. Both listeners are held until both are picked, so
/// the two differ; another process may still take one before etcd binds it (see
/// [`EtcdServer::start`]).
fn free_ports() -> (u16, u16) {
    let bind = || TcpListener::bind("127.0.0.1:0").expect("binding a free loopback port");
    let a = bind();
    let b = bind();
    let port = |l: &TcpListener| l.local_addr().expect("a bound address").port();
    (port(&a), port(&b))
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quota reaches etcd: writing past it raises the NOSPACE alarm that
    /// [`EtcdServer::alarms`] reports, and writes are refused.
    #[test]
    fn writes_past_a_small_quota_raise_the_nospace_alarm() {
        let etcd = EtcdServer::start_with_quota(1024 * 1024);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            assert!(etcd.alarms().await.is_empty());
            let mut client = etcd.client().await;
            let value = vec![b'x'; 100 * 1024];
            let mut refused = None;
            // 100 KiB at a time, each under a new key: the history keeps every one.
            for i in 0..100 {
                if let Err(e) = client.put(format!("fill/{i}"), value.clone(), None).await {
                    refused = Some(e.to_string());
                    break;
                }
            }
            let refused = refused.expect("10 MiB of writes fit in a 1 MiB quota");
            assert!(refused.contains("database space exceeded"), "{refused}");
            assert_eq!(
                etcd.alarms()
                    .await
                    .iter()
                    .map(|(_, a)| *a)
                    .collect::<Vec<_>>(),
                [AlarmType::Nospace]
            );
            assert!(etcd.db_size().await >= 1024 * 1024);
        });
    }
}

//! Helpers for schedd's integration tests, shared by every crate that has them: a real etcd
//! server on loopback ports ([`EtcdServer`]), waiting for a condition instead of sleeping
//! ([`eventually`], [`eventually_async`]), the path of a workspace binary
//! ([`workspace_bin`]), a plain HTTP client for the REST bridge ([`http`]), test certificates ([`tls`]), a strict parser of
//! what `/metrics` serves ([`openmetrics`]), a TCP proxy a test can cut ([`proxy`]), and the environment and files config tests read ([`env_of`],
//! [`no_env`], [`config_file`]). Tests talk to real components (see the house style), and these are the
//! pieces each of them would otherwise write again.

mod etcd;
pub mod hostile;
pub mod http;
pub mod openmetrics;
pub mod proxy;
pub mod tls;

use std::collections::BTreeMap;
use std::future::Future;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

pub use etcd::EtcdServer;

/// How often [`eventually`] and [`eventually_async`] ask again.
const POLL: Duration = Duration::from_millis(50);

/// Calls `f` every 50 ms until it returns `Some`, and returns that. Panics naming `what` if
/// `deadline` passes first.
///
/// ```
/// use std::time::Duration;
/// let mut calls = 0;
/// let n = testkit::eventually("the third call", Duration::from_secs(5), || {
///     calls += 1;
///     (calls == 3).then_some(calls)
/// });
/// assert_eq!(n, 3);
/// ```
pub fn eventually<T>(what: &str, deadline: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let end = Instant::now() + deadline;
    loop {
        if let Some(value) = f() {
            return value;
        }
        if Instant::now() >= end {
            panic!("timed out after {deadline:?} waiting for {what}");
        }
        std::thread::sleep(POLL);
    }
}

/// Calls `f` every 50 ms until it returns `Some`, and returns that; `None` once `deadline`
/// has passed. For a test that waits for a state to settle and then reports what is still
/// wrong, instead of failing with "timed out" as [`eventually`] would.
///
/// ```
/// use std::time::Duration;
/// let never = testkit::within(Duration::from_millis(120), || None::<()>);
/// assert_eq!(never, None);
/// ```
pub fn within<T>(deadline: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let end = Instant::now() + deadline;
    loop {
        if let Some(value) = f() {
            return Some(value);
        }
        if Instant::now() >= end {
            return None;
        }
        std::thread::sleep(POLL);
    }
}

/// [`eventually`] for async conditions: awaits `f()` every 50 ms until it gives `Some`.
pub async fn eventually_async<T, F, Fut>(what: &str, deadline: Duration, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let end = Instant::now() + deadline;
    loop {
        if let Some(value) = f().await {
            return value;
        }
        if Instant::now() >= end {
            panic!("timed out after {deadline:?} waiting for {what}");
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Waits, without blocking the async runtime, until `ok()` holds, checking every 50 ms;
/// panics naming `what` after `deadline`.
pub async fn until(what: &str, deadline: Duration, mut ok: impl FnMut() -> bool) {
    eventually_async(what, deadline, || std::future::ready(ok().then_some(()))).await;
}

/// The path of the binary `name` of the workspace package `package`, in the target directory
/// of the running test (tests live in `target/<profile>/deps/`, binaries in
/// `target/<profile>/`). Cargo builds a package's own binaries before its tests (and gives
/// their paths in `CARGO_BIN_EXE_<name>`), but not another package's. `cargo nextest run
/// --workspace` (what `scripts/test` runs) builds every binary of the workspace first; when
/// the binary is missing (a test run of one package), it is built here with `cargo build -p
/// <package> --bin <name>` in the same profile. A binary that is present is used as it is:
/// building it again with one package's features would rebuild dependencies whose features
/// differ from the workspace build, for minutes. After changing the binary's code, build it
/// (or run the whole workspace's tests) before running one package's tests.
pub fn workspace_bin(package: &str, name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the path of the running test");
    let mut dir = exe
        .parent()
        .expect("the test executable is in a directory")
        .to_path_buf();
    if dir.ends_with("deps") {
        dir.pop();
    }
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    if path.exists() {
        return path;
    }
    let profile = match dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") | None => "dev".to_owned(),
        Some(other) => other.to_owned(),
    };
    let target_dir = dir
        .parent()
        .expect("the profile directory is in the target directory");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args([
            "build",
            "--quiet",
            "-p",
            package,
            "--bin",
            name,
            "--profile",
        ])
        .arg(&profile)
        .arg("--target-dir")
        .arg(target_dir)
        .status()
        .unwrap_or_else(|e| panic!("running cargo to build `{name}`: {e}"));
    assert!(
        status.success(),
        "`cargo build -p {package} --bin {name}` failed ({status})"
    );
    assert!(
        path.exists(),
        "`cargo build -p {package} --bin {name}` did not produce {}",
        path.display()
    );
    path
}

/// An environment holding only `pairs`, for code that reads variables through a lookup
/// function.
pub fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: BTreeMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| map.get(name).cloned()
}

/// An empty environment.
pub fn no_env(_: &str) -> Option<String> {
    None
}

/// A config file `config.json` holding `text`, in a fresh directory that lives as long as
/// the returned guard.
pub fn config_file(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("config.json");
    std::fs::write(&path, text).expect("write the config file");
    (dir, path)
}

/// Pids of the `sleep` processes whose first argument starts with `marker`: a test gives its
/// jobs `sleep <marker>` with a marker of its own to find their processes (the `sh -c` around
/// them does not count: its `argv[0]` is `sh`).
pub fn sleeps_with(marker: &str) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| {
        let e = e.ok()?;
        let pid: u32 = e.file_name().to_str()?.parse().ok()?;
        let cmdline = std::fs::read(e.path().join("cmdline")).ok()?;
        let argv: Vec<&[u8]> = cmdline.split(|b| *b == 0).collect();
        (argv.first()?.ends_with(b"sleep") && argv.get(1)?.starts_with(marker.as_bytes()))
            .then_some(pid)
    })
    .collect()
}

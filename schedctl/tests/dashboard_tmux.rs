//! `schedctl dashboard` end to end: the real binary in a real terminal (tmux), against an
//! embedded master on 127.0.0.1:0, driven with keys and read back with `capture-pane`.
//!
//! tmux is a system package (`scripts/bootstrap` installs it). When it is missing this test
//! fails and says so: skipping silently would let the dashboard go untested.

mod common;

use std::process::{Command, Output};
use std::time::Duration;

use common::{Master, schedctl_bin};
use schedd_proto::v1 as pb;

const JOB: &str = "dash-hello";
const DEADLINE: Duration = Duration::from_secs(30);

/// Saves `JOB`, firing every second, through the gRPC client.
fn save_job(master: &Master) {
    master.block_on(async {
        let mut jobs = pb::job_service_client::JobServiceClient::connect(master.endpoint.clone())
            .await
            .expect("connect to the master");
        jobs.save_job(pb::SaveJobRequest {
            job: Some(pb::Job {
                name: JOB.into(),
                cron_expr: "* * * * * *".into(),
                command: "echo hi".into(),
                timeout_seconds: 30,
                ..Default::default()
            }),
            expected_revision: None,
        })
        .await
        .expect("job saved");
    });
}

/// A tmux server of our own (its own socket, no user config) running one session; killed on
/// drop, whatever happened.
struct Tmux {
    socket: String,
    session: String,
    config: tempfile::NamedTempFile,
}

impl Tmux {
    fn start(command: &str) -> Tmux {
        match Command::new("tmux").arg("-V").output() {
            Ok(out) if out.status.success() => {}
            _ => panic!(
                "tmux is not installed (or does not run): this test drives the dashboard in a \
                 real terminal through tmux. Install it: `apt-get install -y tmux` \
                 (scripts/bootstrap installs it)."
            ),
        }
        let unique = format!(
            "schedctl-dash-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        );
        // Keep the pane after the program exits, so its last state can be read.
        let config = tempfile::NamedTempFile::new().expect("tmux config file");
        std::fs::write(config.path(), "set -g remain-on-exit on\n").expect("write tmux config");
        let tmux = Tmux {
            socket: unique.clone(),
            session: unique,
            config,
        };
        let config_path = tmux.config.path().to_string_lossy().into_owned();
        let out = tmux.run_with(
            &["-f", &config_path],
            &[
                "new-session",
                "-d",
                "-s",
                &tmux.session,
                "-x",
                "120",
                "-y",
                "35",
                command,
            ],
        );
        assert!(
            out.status.success(),
            "tmux new-session failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        tmux
    }

    fn run_with(&self, global: &[&str], args: &[&str]) -> Output {
        let mut cmd = Command::new("tmux");
        cmd.args(["-L", &self.socket]).args(global).args(args);
        // tmux refuses to start without a terminal type; CI may have none.
        if std::env::var_os("TERM").is_none_or(|t| t.is_empty() || t == "dumb") {
            cmd.env("TERM", "xterm-256color");
        }
        cmd.output().expect("tmux runs")
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_with(&[], args)
    }

    fn screen(&self) -> String {
        let out = self.run(&["capture-pane", "-p", "-t", &self.session]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn send_keys(&self, keys: &str) {
        let out = self.run(&["send-keys", "-t", &self.session, keys]);
        assert!(out.status.success(), "tmux send-keys {keys} failed");
    }

    /// `#{format}` of the session's pane.
    fn display(&self, format: &str) -> String {
        let out = self.run(&["display-message", "-p", "-t", &self.session, format]);
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// Polls the screen until `done` holds, for at most [`DEADLINE`].
    fn wait_for(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let mut screen = String::new();
        let found = testkit::within(DEADLINE, || {
            screen = self.screen();
            done(&screen).then(|| screen.clone())
        });
        found.unwrap_or_else(|| {
            panic!("no {what} on the dashboard within {DEADLINE:?}; the screen:\n{screen}")
        })
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

#[test]
fn the_dashboard_shows_a_job_and_its_runs_live_and_quits_cleanly() {
    // This test checks the dashboard, not that the master stops cleanly.
    let master = Master::start().without_stop_check();
    save_job(&master);
    let dir = tempfile::tempdir().expect("temporary directory");
    let status_file = dir.path().join("status");
    let command = format!(
        "'{}' --endpoint {} dashboard; echo $? > '{}'",
        schedctl_bin().display(),
        master.endpoint,
        status_file.display()
    );
    let tmux = Tmux::start(&command);

    tmux.wait_for("job row", |s| s.contains(JOB) && s.contains("* * * * * *"));
    tmux.send_keys("2");
    tmux.wait_for("successful run of the job", |s| {
        s.contains("Executions (")
            && s.lines()
                .any(|line| line.contains(JOB) && line.contains("success"))
    });
    tmux.send_keys("q");

    // The shell around the dashboard writes its exit status once it has exited. (Not
    // tmux's `#{pane_dead_status}`: tmux 3.3 sometimes leaves the exited process a zombie
    // without reading its status.)
    let status = testkit::within(DEADLINE, || {
        let status = std::fs::read_to_string(&status_file).unwrap_or_default();
        status.ends_with('\n').then(|| status.trim().to_owned())
    });
    let status = status.unwrap_or_else(|| {
        panic!(
            "the dashboard did not exit after q; the screen:\n{}",
            tmux.screen()
        )
    });
    assert_eq!(
        status,
        "0",
        "the dashboard's exit status; the screen:\n{}",
        tmux.screen()
    );
    // The terminal was given back: off the alternate screen.
    assert_eq!(tmux.display("#{alternate_on}"), "0");
}

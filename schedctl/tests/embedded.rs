//! `schedctl` against a real master: `schedd_master::embedded::run` (master, one worker and
//! SQLite in a temporary directory) on 127.0.0.1:0, driven through the real binary.

mod common;

use common::Master;
use predicates::prelude::*;

#[test]
fn a_saved_job_runs_and_its_output_shows_in_the_log() {
    let master = Master::start();
    master
        .schedctl()
        .args(["job", "save", "hello", "--cron", "* * * * * *"])
        .args(["--command", "echo hi", "--timeout", "30s"])
        .assert()
        .success()
        .stdout("job \"hello\" saved\n");

    let job = master.json(&["job", "get", "hello"]);
    assert_eq!(job["name"], "hello");
    assert_eq!(job["cronExpr"], "* * * * * *");
    assert_eq!(job["command"], "echo hi");
    assert_eq!(job["timeout"], 30);
    assert_eq!(job["disabled"], false);

    let record = master.wait_for_record("hello", "output \"hi\\n\"", |r| {
        r["output"] == "hi\n" && r["status"] == "success"
    });
    assert_eq!(record["jobName"], "hello");
    assert_eq!(record["exitCode"], 0);
    assert_eq!(record["command"], "echo hi");

    // The table form of the same data, and the latest record by name.
    master
        .schedctl()
        .args(["job", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("hello").and(predicate::str::contains("enabled")));
    let latest = master.json(&["log", "get", "hello"]);
    assert_eq!(latest["jobName"], "hello");

    // `schedctl ... | head -1` closes stdout early: schedctl exits 0 without a message.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("schedctl"))
        .env("SCHEDCTL_CONFIG", "/nonexistent/schedctl/config.yaml")
        .args([
            "--endpoint",
            &master.endpoint,
            "-o",
            "json",
            "log",
            "list",
            "--job",
            "hello",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("schedctl starts");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("schedctl ends");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");

    // Disabled, the job stays stored; a manual run still happens and is recorded as such.
    master
        .schedctl()
        .args(["job", "disable", "hello"])
        .assert()
        .success()
        .stdout("job \"hello\" disabled\n");
    assert_eq!(master.json(&["job", "get", "hello"])["disabled"], true);
    let out = master
        .schedctl()
        .args(["job", "run", "hello"])
        .output()
        .expect("schedctl runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = String::from_utf8(out.stdout).expect("utf-8");
    let id = id.trim();
    assert!(!id.is_empty(), "job run printed no execution id");
    let manual = master.wait_for_record("hello", &format!("executionId {id}"), |r| {
        r["executionId"] == id && r["status"] != "running"
    });
    assert_eq!(manual["trigger"], "manual");

    master
        .schedctl()
        .args(["job", "delete", "hello"])
        .assert()
        .success();
    master
        .schedctl()
        .args(["job", "get", "hello"])
        .assert()
        .code(3);
}

#[test]
fn invalid_jobs_are_refused_with_the_servers_message_and_nothing_is_stored() {
    let master = Master::start();
    master
        .schedctl()
        .args([
            "job",
            "save",
            "bad",
            "--cron",
            "not a cron",
            "--command",
            "x",
        ])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with("schedctl: cronExpr: "));
    master
        .schedctl()
        .args(["job", "get", "bad"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("not found"));

    master
        .schedctl()
        .args([
            "job",
            "save",
            "bad name",
            "--cron",
            "* * * * *",
            "--command",
            "x",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("job name"));
    master
        .schedctl()
        .args([
            "job",
            "save",
            "empty",
            "--cron",
            "* * * * *",
            "--command",
            "",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("command is empty"));
    master
        .schedctl()
        .args([
            "job",
            "save",
            "neg",
            "--cron",
            "* * * * *",
            "--command",
            "x",
        ])
        .args(["--timeout", "-5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("timeout must not be negative"));

    // None of them was stored.
    let jobs = master.json(&["job", "list"]);
    assert_eq!(jobs, serde_json::json!([]));
}

/// Regression: a job list larger than tonic's default 4 MiB answer (about 50,000 jobs;
/// here 80 jobs of 60 KB commands) failed with "decoded message length too large".
#[test]
fn a_job_list_larger_than_four_mib_is_listed_whole() {
    use schedd_proto::v1 as pb;

    let master = Master::start();
    let jobs = 80;
    master.block_on(async {
        let mut client = pb::job_service_client::JobServiceClient::connect(master.endpoint.clone())
            .await
            .expect("connect");
        for i in 0..jobs {
            let job = pb::Job {
                name: format!("big-{i:02}"),
                cron_expr: "0 0 3 1 1 *".into(),
                command: format!("echo {i} # {}", "x".repeat(60_000)),
                disabled: true,
                ..Default::default()
            };
            client
                .save_job(pb::SaveJobRequest {
                    job: Some(job),
                    expected_revision: None,
                })
                .await
                .expect("save");
        }
    });
    let listed = master.json(&["job", "list"]);
    let listed = listed.as_array().expect("a JSON array");
    assert_eq!(listed.len(), jobs);
    let bytes: usize = listed
        .iter()
        .map(|j| j["command"].as_str().map_or(0, str::len))
        .sum();
    assert!(bytes > 4 * 1024 * 1024, "only {bytes} bytes of commands");
}

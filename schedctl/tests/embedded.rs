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

/// An HTTP job from flags: the master stores it whole (what `-o json` shows, for `apply -f`),
/// while the tables show its request with the token in its URL and its Authorization hidden.
/// Its schedule is New Year's Day at midnight, so it never runs during the test.
#[test]
fn an_http_job_is_stored_whole_and_shown_without_its_secrets() {
    let master = Master::start();
    let url = "https://hooks.example.com/deploy?token=secret&env=prod";
    master
        .schedctl()
        .args(["job", "save", "hook", "--cron", "0 0 0 1 1 *"])
        .args(["--http-url", url, "--http-method", "post"])
        .args(["--http-header", "Authorization: Bearer secret"])
        .args(["--http-header", "Content-Type: application/json"])
        .args(["--http-body", r#"{"ref": "main"}"#])
        .args(["--expect-status", "200,204", "--http-timeout", "15s"])
        .assert()
        .success()
        .stdout("job \"hook\" saved\n");

    let job = master.json(&["job", "get", "hook"]);
    assert_eq!(job["command"], "");
    assert_eq!(
        job["http"],
        serde_json::json!({
            "method": "POST",
            "url": url,
            "headers": {
                "Authorization": "Bearer secret",
                "Content-Type": "application/json",
            },
            "body": r#"{"ref": "main"}"#,
            "expectStatus": [200, 204],
            "timeout": 15,
        })
    );

    let shown = master.stdout(&["job", "get", "hook"]);
    assert!(!shown.contains("secret"), "{shown}");
    for want in [
        "POST https://hooks.example.com/deploy?token=***&env=prod",
        "Authorization: Bearer ***",
        "Content-Type: application/json",
        r#"{"ref": "main"}"#,
        "200 or 204",
        "15s",
    ] {
        assert!(shown.contains(want), "{want:?} missing from\n{shown}");
    }
    assert!(!shown.contains("Command:"), "{shown}");
    let listed = master.stdout(&["-o", "wide", "job", "list"]);
    assert!(!listed.contains("secret"), "{listed}");
    assert!(
        listed.contains("POST https://hooks.example.com/deploy?t…"),
        "{listed}"
    );
    let audit = master.stdout(&["-o", "wide", "audit", "list", "--job", "hook"]);
    assert!(!audit.contains("secret"), "{audit}");
    assert!(
        audit.contains("created: POST https://hooks.example.com/deploy?token=***&env=prod"),
        "{audit}"
    );

    // A bad request is the server's to refuse, by its field.
    master
        .schedctl()
        .args(["job", "save", "bad", "--cron", "@yearly"])
        .args(["--http-url", "ftp://example.com/x"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with("schedctl: http.url: "));
    // A header without `:` never reaches it.
    master
        .schedctl()
        .args(["job", "save", "bad", "--cron", "@yearly"])
        .args(["--http-url", url, "--http-header", "Authorization Bearer x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--http-header takes `Name: value`",
        ));
    assert_eq!(master.job_names(), ["hook"]);
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

/// A job chain through the real master and worker: `job save` refuses a job naming a missing
/// one with the master's message; `job get` shows the chain from both ends; a manual run of
/// `import` starts `report`, whose record carries trigger `dependency` and the id of the run
/// that started it. Both schedules are New Year's Day at midnight: only the chain runs them.
#[test]
fn a_job_chain_runs_its_dependent_and_the_record_names_its_parent() {
    let master = Master::start();
    master
        .schedctl()
        .args(["job", "save", "import", "--cron", "0 0 0 1 1 *"])
        .args(["--command", "echo imported", "--on-success", "report"])
        .assert()
        .code(1)
        .stdout("")
        .stderr("schedctl: onSuccess: there is no job named `report`\n");
    assert!(master.job_names().is_empty());

    master
        .schedctl()
        .args(["job", "save", "report", "--cron", "0 0 0 1 1 *"])
        .args(["--command", "echo reported"])
        .assert()
        .success();
    master
        .schedctl()
        .args(["job", "save", "import", "--cron", "0 0 0 1 1 *"])
        .args(["--command", "echo imported", "--on-success", "report"])
        .assert()
        .success()
        .stdout("job \"import\" saved\n");

    // `Field:  value` rows; the value of `key`, if the row is there.
    let row = |text: &str, key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}:")))
            .map(|v| v.trim().to_owned())
    };
    let import = master.stdout(&["job", "get", "import"]);
    assert_eq!(
        row(&import, "On success").as_deref(),
        Some("report"),
        "{import}"
    );
    assert_eq!(row(&import, "Started by"), None, "{import}");
    let report = master.stdout(&["job", "get", "report"]);
    assert_eq!(
        row(&report, "Started by").as_deref(),
        Some("import (on success)"),
        "{report}"
    );
    assert_eq!(row(&report, "On success"), None, "{report}");
    // The machine forms are the job as the API answers it, chain fields and nothing added.
    let json = master.json(&["job", "get", "import"]);
    assert_eq!(json["onSuccess"], serde_json::json!(["report"]));
    assert!(json.get("startedBy").is_none(), "{json}");
    assert!(
        master
            .json(&["job", "get", "report"])
            .get("onSuccess")
            .is_none()
    );

    let parent = master.stdout(&["job", "run", "import"]);
    let parent = parent.trim();
    assert!(!parent.is_empty(), "job run printed no execution id");
    let record = testkit::eventually(
        "a finished run of report started by import",
        std::time::Duration::from_secs(30),
        || {
            let page = master.json(&["log", "list", "--job", "report"]);
            page["records"]
                .as_array()
                .and_then(|rs| rs.iter().find(|r| r["status"] != "running").cloned())
        },
    );
    assert_eq!(record["trigger"], "dependency", "{record:#}");
    assert_eq!(record["status"], "success", "{record:#}");
    assert_eq!(record["parentExecutionId"], parent, "{record:#}");
    let import_run = master.json(&["log", "list", "--job", "import"]);
    assert_eq!(import_run["records"][0]["executionId"], parent);
    assert!(
        import_run["records"][0].get("parentExecutionId").is_none(),
        "{import_run:#}"
    );

    // The table forms show it too.
    let latest = master.stdout(&["log", "get", "report"]);
    assert_eq!(row(&latest, "Parent").as_deref(), Some(parent), "{latest}");
    assert!(
        row(&latest, "Trigger").is_some_and(|t| t.starts_with("dependency")),
        "{latest}"
    );
    assert_eq!(
        master.json(&["log", "get", "report"])["parentExecutionId"],
        parent
    );
    let wide = master.stdout(&["-o", "wide", "log", "list", "--job", "report"]);
    assert!(
        wide.lines().next().is_some_and(|h| h.contains(" PARENT ")),
        "{wide}"
    );
    assert!(wide.contains(&format!("  {parent}  ")), "{wide}");
}

/// A broadcast job through the real master and worker. Embedded mode has one worker, so each
/// tick has one run, shard 0 of 1; `log list --tick` lists the runs of the tick it names. A
/// broadcast job may not set the variables schedd gives its runs: a job file that does is
/// refused, by the variable's name, before anything reaches the master.
#[test]
fn a_broadcast_job_runs_as_shard_0_of_1_and_log_list_finds_its_tick() {
    let master = Master::start();
    master
        .schedctl()
        .args(["job", "save", "rotate", "--cron", "* * * * * *"])
        .args([
            "--command",
            "echo shard $SCHEDD_SHARD_INDEX of $SCHEDD_SHARD_TOTAL",
        ])
        .args(["--run-on", "all"])
        .assert()
        .success()
        .stdout("job \"rotate\" saved\n");
    assert_eq!(master.json(&["job", "get", "rotate"])["runOn"], "all");
    let table = master.stdout(&["job", "get", "rotate"]);
    let run_on = table.lines().find_map(|l| l.strip_prefix("Run on:"));
    assert_eq!(
        run_on.map(str::trim),
        Some("every worker (broadcast)"),
        "{table}"
    );
    let wide = master.stdout(&["-o", "wide", "job", "list"]);
    assert!(
        wide.lines().next().is_some_and(|h| h.contains(" RUN ON ")),
        "{wide}"
    );

    let record = master.wait_for_record("rotate", "a finished run", |r| r["status"] != "running");
    assert_eq!(record["status"], "success", "{record:#}");
    assert_eq!(record["output"], "shard 0 of 1\n", "{record:#}");

    let plan_ms = record["planTimeMs"].as_i64().expect("a plan time");
    let tick = chrono::DateTime::from_timestamp_millis(plan_ms)
        .expect("a valid time")
        .to_rfc3339();
    let page = master.json(&["log", "list", "--job", "rotate", "--tick", &tick]);
    let records = page["records"].as_array().expect("records");
    let ids: Vec<&serde_json::Value> = records.iter().map(|r| &r["executionId"]).collect();
    assert_eq!(ids, [&record["executionId"]], "{page:#}");
    assert_eq!(page["total"], 1, "{page:#}");
    // Another second has other runs: a tick the job had no run for lists none.
    let before = chrono::DateTime::from_timestamp_millis(plan_ms - 3_600_000)
        .expect("a valid time")
        .to_rfc3339();
    let page = master.json(&["log", "list", "--job", "rotate", "--tick", &before]);
    assert_eq!(page["records"], serde_json::json!([]), "{page:#}");
    master
        .schedctl()
        .args(["log", "list", "--tick", "soon"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--tick"));

    // No `--env` flag: the variable comes from a job file, for `apply` and `job save -f`.
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("clash.yaml");
    std::fs::write(
        &file,
        "name: clash\ncommand: 'true'\ncronExpr: '@yearly'\nrunOn: all\n\
         env:\n  SCHEDD_SHARD_INDEX: '1'\n",
    )
    .expect("write a job file");
    let file = file.to_str().expect("a UTF-8 path");
    for verb in [&["apply"][..], &["job", "save"]] {
        master
            .schedctl()
            .args(verb)
            .args(["-f", file])
            .assert()
            .code(1)
            .stdout("")
            .stderr(predicate::str::contains(
                "job \"clash\": env: `SCHEDD_SHARD_INDEX` is set by schedd on each run of a broadcast job (runOn: all)",
            ));
    }
    assert_eq!(master.job_names(), ["rotate"]);
}

/// A webhook receiver on loopback: answers every request `200 OK` and counts them.
struct Receiver {
    port: u16,
    requests: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Receiver {
    /// Bound before it returns, so a notice sent at once finds it. Its thread blocks in
    /// `accept` until the test process ends.
    fn start() -> Receiver {
        use std::io::{Read, Write};
        use std::sync::atomic::Ordering;

        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local addr").port();
        let requests = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = std::sync::Arc::clone(&requests);
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(mut conn) = conn else { continue };
                // The whole request: its head, then as much body as its Content-Length says.
                let mut data = Vec::new();
                let mut buf = [0_u8; 4096];
                while let Ok(n) = conn.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    data.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&data);
                    let Some(end) = text.find("\r\n\r\n") else {
                        continue;
                    };
                    let length = text[..end]
                        .lines()
                        .find_map(|l| {
                            let (k, v) = l.split_once(':')?;
                            k.trim()
                                .eq_ignore_ascii_case("content-length")
                                .then(|| v.trim().parse::<usize>().ok())
                                .flatten()
                        })
                        .unwrap_or(0);
                    if data.len() >= end + 4 + length {
                        break;
                    }
                }
                // Counted before the answer: once the worker records the delivery, the
                // count has it.
                counted.fetch_add(1, Ordering::SeqCst);
                let _ = conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
            }
        });
        Receiver { port, requests }
    }

    fn requests(&self) -> usize {
        self.requests.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// A job's webhook through the real master and worker: `job save --notify` stores it (`job get`
/// shows its URL with the token hidden), a manual run of a failing command sends a `failure`
/// notice to a receiver on loopback, and the run's record says it was delivered, in `-o json`,
/// `log get` and `log list -o wide`. New Year's Day at midnight: only the manual run runs.
#[test]
fn a_failed_run_notifies_its_webhook_and_the_record_says_it_was_delivered() {
    let receiver = Receiver::start();
    let master = Master::start();
    let url = format!("http://127.0.0.1:{}/h?token=secret", receiver.port);
    let shown_url = format!("http://127.0.0.1:{}/***?token=***", receiver.port);
    master
        .schedctl()
        .args(["job", "save", "hook-test", "--cron", "0 0 0 1 1 *"])
        .args(["--command", "false", "--notify", &url])
        .args(["--notify-on", "failure"])
        .assert()
        .success()
        .stdout("job \"hook-test\" saved\n");

    // The table hides the token; the machine form is the job whole, for `apply -f`.
    let shown = master.stdout(&["job", "get", "hook-test"]);
    assert!(!shown.contains("secret"), "{shown}");
    let notify = shown.lines().find_map(|l| l.strip_prefix("Notify:"));
    assert_eq!(
        notify.map(str::trim),
        Some(format!("{shown_url} on failure").as_str()),
        "{shown}"
    );
    let job = master.json(&["job", "get", "hook-test"]);
    assert_eq!(
        job["notify"],
        serde_json::json!([{ "url": url, "on": ["failure"] }]),
        "{job:#}"
    );

    let id = master.stdout(&["job", "run", "hook-test"]);
    let id = id.trim();
    assert!(!id.is_empty(), "job run printed no execution id");
    let record = master.wait_for_record("hook-test", "a delivered failure notice", |r| {
        r["executionId"] == id
            && r["notifications"]
                .as_array()
                .is_some_and(|ds| ds.iter().any(|d| d["delivered"] == true))
    });
    assert_eq!(record["status"], "failed", "{record:#}");
    let deliveries = record["notifications"].as_array().expect("deliveries");
    assert_eq!(deliveries.len(), 1, "{record:#}");
    let delivery = &deliveries[0];
    assert_eq!(delivery["event"], "failure", "{record:#}");
    assert_eq!(delivery["url"], shown_url, "{record:#}");
    assert_eq!(
        (&delivery["attempts"], &delivery["status"]),
        (&serde_json::json!(1), &serde_json::json!(200)),
        "{record:#}"
    );

    let latest = master.stdout(&["log", "get", "hook-test"]);
    assert!(!latest.contains("secret"), "{latest}");
    let notices = latest.lines().find_map(|l| l.strip_prefix("Notices:"));
    assert_eq!(
        notices.map(str::trim),
        Some(format!("failure → {shown_url} delivered (1 attempt, HTTP 200)").as_str()),
        "{latest}"
    );
    let wide = master.stdout(&["-o", "wide", "log", "list", "--job", "hook-test"]);
    assert!(
        wide.lines().next().is_some_and(|h| h.contains(" NOTICES ")),
        "{wide}"
    );
    assert!(wide.contains("  1/1 delivered  "), "{wide}");
    assert_eq!(receiver.requests(), 1, "the receiver got one notice");
}

//! Job files against a real master: `apply`, `diff`, `job export`, `job save -f`, through the
//! real binary and an embedded master on 127.0.0.1:0; and `cron explain`, which needs none.

mod common;

use std::path::Path;

use common::{Master, schedctl};
use predicates::prelude::*;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write a job file");
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temporary path")
}

/// Three jobs in three files of the three kinds. New Year's Day at midnight, so nothing runs
/// during the test.
fn three_jobs(dir: &Path) {
    write(
        dir,
        "alpha.yaml",
        "name: alpha\ncommand: echo alpha\ncronExpr: '0 0 0 1 1 *'\ntimeout: 30\n",
    );
    write(
        dir,
        "beta.yml",
        "# the second job\nname: beta\ncommand: echo beta\ncronExpr: '0 0 0 1 1 *'\nenv:\n  GREETING: hello\n",
    );
    write(
        dir,
        "gamma.json",
        r#"{"name": "gamma", "command": "echo gamma", "cronExpr": "0 0 0 1 1 *", "disabled": true}"#,
    );
    write(dir, "README.md", "not a job file, skipped");
}

#[test]
fn apply_creates_then_leaves_unchanged_then_configures_and_prunes() {
    let master = Master::start();
    let dir = tempfile::tempdir().expect("tempdir");
    three_jobs(dir.path());
    let jobs = path(dir.path());

    master
        .schedctl()
        .args(["apply", "-f", jobs])
        .assert()
        .success()
        .stdout("job \"alpha\" created\njob \"beta\" created\njob \"gamma\" created\n");
    let beta = master.json(&["job", "get", "beta"]);
    assert_eq!(beta["env"]["GREETING"], "hello");
    assert_eq!(beta["timezone"], "UTC");
    assert_eq!(master.json(&["job", "get", "gamma"])["disabled"], true);

    // No differences: diff is silent and exits 0.
    master
        .schedctl()
        .args(["diff", "-f", jobs])
        .assert()
        .code(0)
        .stdout("");
    master
        .schedctl()
        .args(["apply", "-f", jobs])
        .assert()
        .success()
        .stdout("job \"alpha\" unchanged\njob \"beta\" unchanged\njob \"gamma\" unchanged\n");

    // One file changes: diff shows the field and exits 1; apply configures that job only.
    write(
        dir.path(),
        "beta.yml",
        "name: beta\ncommand: echo beta\ncronExpr: '0 0 0 1 2 *'\nenv:\n  GREETING: hello\n",
    );
    master
        .schedctl()
        .args(["diff", "-f", jobs])
        .assert()
        .code(1)
        .stdout(
            "--- server/beta\n+++ file/beta\n\
             -  cronExpr: \"0 0 0 1 1 *\"\n\
             +  cronExpr: \"0 0 0 1 2 *\"\n",
        )
        .stderr("");
    let applied = master.json(&["apply", "-f", jobs]);
    assert_eq!(
        applied,
        serde_json::json!([
            {"name": "alpha", "action": "unchanged"},
            {"name": "beta", "action": "configured"},
            {"name": "gamma", "action": "unchanged"},
        ])
    );
    assert_eq!(
        master.json(&["job", "get", "beta"])["cronExpr"],
        "0 0 0 1 2 *"
    );

    // A job made by hand: diff --prune shows it, apply --prune --dry-run keeps it,
    // apply --prune deletes it.
    master
        .schedctl()
        .args([
            "job",
            "save",
            "extra",
            "--cron",
            "@yearly",
            "--command",
            "true",
        ])
        .assert()
        .success();
    master
        .schedctl()
        .args(["diff", "--prune", "-f", jobs])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "--- server/extra\n+++ file/extra\n-  name: \"extra\"\n",
        ));
    master
        .schedctl()
        .args(["apply", "--prune", "--dry-run", "-f", jobs])
        .assert()
        .success()
        .stdout(
            "job \"alpha\" unchanged\njob \"beta\" unchanged\njob \"gamma\" unchanged\n\
             job \"extra\" deleted (dry run)\n",
        );
    assert_eq!(master.job_names(), ["alpha", "beta", "extra", "gamma"]);
    master
        .schedctl()
        .args(["apply", "-f", jobs, "--prune"])
        .assert()
        .success()
        .stdout(
            "job \"alpha\" unchanged\njob \"beta\" unchanged\njob \"gamma\" unchanged\n\
             job \"extra\" deleted\n",
        );
    assert_eq!(master.job_names(), ["alpha", "beta", "gamma"]);

    // --prune with files holding no job would delete everything: refused.
    let empty = tempfile::tempdir().expect("tempdir");
    master
        .schedctl()
        .args(["apply", "--prune", "-f", path(empty.path())])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("refusing to --prune"));
    assert_eq!(master.job_names(), ["alpha", "beta", "gamma"]);

    // --dry-run on a new and a changed job changes nothing.
    write(
        dir.path(),
        "delta.yaml",
        "name: delta\ncommand: echo delta\ncronExpr: '@yearly'\n",
    );
    write(
        dir.path(),
        "alpha.yaml",
        "name: alpha\ncommand: echo ALPHA\ncronExpr: '0 0 0 1 1 *'\ntimeout: 30\n",
    );
    master
        .schedctl()
        .args(["apply", "--dry-run", "-f", jobs])
        .assert()
        .success()
        .stdout(
            "job \"alpha\" configured (dry run)\njob \"beta\" unchanged\n\
             job \"delta\" created (dry run)\njob \"gamma\" unchanged\n",
        );
    assert_eq!(master.job_names(), ["alpha", "beta", "gamma"]);
    assert_eq!(
        master.json(&["job", "get", "alpha"])["command"],
        "echo alpha"
    );
}

#[test]
fn export_then_apply_is_unchanged() {
    let master = Master::start();
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "jobs.yaml",
        "name: backup\n\
         command: |\n  set -e\n  tar czf /tmp/etc.tgz /etc\n\
         cronExpr: '0 30 2 * * *'\n\
         timezone: Europe/Berlin\n\
         timeout: 600\n\
         overlap: replace\n\
         retries: 2\n\
         retryBackoffMs: 1000\n\
         description: 'nightly: keep # this'\n\
         env:\n  A: '1'\n  B: two words\n\
         selector:\n  zone: eu\n\
         ---\n\
         name: ping\ncommand: 'true'\ncronExpr: '@yearly'\n",
    );
    master
        .schedctl()
        .args(["apply", "-f", path(dir.path())])
        .assert()
        .success()
        .stdout("job \"backup\" created\njob \"ping\" created\n");

    // YAML export, written to a file and applied back.
    let out = master
        .schedctl()
        .args(["job", "export"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let yaml = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        !yaml.contains("createdAt") && !yaml.contains("revision"),
        "{yaml}"
    );
    assert!(yaml.starts_with("name: backup\n"), "{yaml}");
    let exported = tempfile::tempdir().expect("tempdir");
    write(exported.path(), "all.yaml", &yaml);
    master
        .schedctl()
        .args(["apply", "-f", path(&exported.path().join("all.yaml"))])
        .assert()
        .success()
        .stdout("job \"backup\" unchanged\njob \"ping\" unchanged\n");

    // JSON export of one job, through stdin.
    let out = master
        .schedctl()
        .args(["job", "export", "ping", "--format", "json"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        json,
        serde_json::json!([{
            "name": "ping",
            "command": "true",
            "cronExpr": "@yearly",
            "timeout": 0,
            "disabled": false,
            "timezone": "UTC",
        }])
    );
    master
        .schedctl()
        .args(["apply", "-f", "-"])
        .write_stdin(out.stdout)
        .assert()
        .success()
        .stdout("job \"ping\" unchanged\n");
    master
        .schedctl()
        .args(["diff", "-f", path(exported.path())])
        .assert()
        .code(0)
        .stdout("");

    master
        .schedctl()
        .args(["job", "export", "missing"])
        .assert()
        .code(3);
}

/// An HTTP job in a YAML file: applied whole, then unchanged, and its export (which has no
/// `command`) applies back unchanged. New Year's Day at midnight, so it never runs here.
#[test]
fn an_http_job_applies_from_a_file_and_exports_back_unchanged() {
    let master = Master::start();
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "hook.yaml",
        "name: hook\n\
         cronExpr: '0 0 0 1 1 *'\n\
         http:\n\
         \x20 method: POST\n\
         \x20 url: https://hooks.example.com/deploy?token=secret\n\
         \x20 headers:\n\
         \x20   Authorization: Bearer secret\n\
         \x20 body: '{\"ref\": \"main\"}'\n\
         \x20 expectStatus: [200, 204]\n\
         \x20 expect_status: 500\n",
    );
    let file = dir.path().join("hook.yaml");
    master
        .schedctl()
        .args(["apply", "-f", path(&file)])
        .assert()
        .success()
        .stdout("job \"hook\" created\n")
        .stderr(format!(
            "schedctl: warning: {}: unknown field `expect_status` in job \"hook\" http is ignored (did you mean `expectStatus`?)\n",
            file.display()
        ));
    let job = master.json(&["job", "get", "hook"]);
    assert_eq!(job["command"], "");
    assert_eq!(
        job["http"]["url"],
        "https://hooks.example.com/deploy?token=secret"
    );
    assert_eq!(job["http"]["headers"]["Authorization"], "Bearer secret");
    assert_eq!(job["http"]["expectStatus"], serde_json::json!([200, 204]));
    master
        .schedctl()
        .args(["diff", "-f", path(&file)])
        .assert()
        .code(0)
        .stdout("");

    let out = master
        .schedctl()
        .args(["job", "export", "hook"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let yaml = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(!yaml.contains("command"), "{yaml}");
    assert!(
        yaml.contains("token=secret"),
        "the export is the whole job: {yaml}"
    );
    write(dir.path(), "hook.yaml", &yaml);
    master
        .schedctl()
        .args(["apply", "-f", path(&file)])
        .assert()
        .success()
        .stdout("job \"hook\" unchanged\n")
        .stderr("");
    // So is `-o json job get`'s output, `command: ""` and all.
    master
        .schedctl()
        .args(["apply", "-f", "-"])
        .write_stdin(job.to_string())
        .assert()
        .success()
        .stdout("job \"hook\" unchanged\n");

    // Both a command and a request: refused before anything is sent.
    write(
        dir.path(),
        "both.yaml",
        "name: both\ncommand: 'true'\ncronExpr: '@yearly'\nhttp:\n  url: http://a/\n",
    );
    master
        .schedctl()
        .args(["apply", "-f", path(&dir.path().join("both.yaml"))])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "job \"both\": a job has a command or an `http` request, not both",
        ));
    assert_eq!(master.job_names(), ["hook"]);
}

#[test]
fn a_bad_document_changes_nothing_and_names_the_file() {
    let master = Master::start();
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a.yaml",
        "name: fine\ncommand: 'true'\ncronExpr: '@yearly'\n",
    );
    write(
        dir.path(),
        "b.yaml",
        "name: good\ncommand: 'true'\ncronExpr: '@yearly'\n---\n\
         name: broken\ncommand: 'true'\ncronExpr: '0 61 * * *'\n",
    );
    let bad = dir.path().join("b.yaml");
    master
        .schedctl()
        .args(["apply", "-f", path(dir.path())])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with(format!(
            "schedctl: {} (document 2): job \"broken\": cronExpr: ",
            bad.display()
        )));
    master
        .schedctl()
        .args(["diff", "-f", path(dir.path())])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("(document 2)"));
    assert!(master.job_names().is_empty());

    // Duplicate names across files are refused too.
    write(
        dir.path(),
        "b.yaml",
        "name: fine\ncommand: 'false'\ncronExpr: '@yearly'\n",
    );
    master
        .schedctl()
        .args(["apply", "-f", path(dir.path())])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("job \"fine\" is defined twice"));
    assert!(master.job_names().is_empty());

    // An unknown key is a warning, and the rest is applied.
    write(
        dir.path(),
        "b.yaml",
        "name: typo\ncommand: 'true'\ncronExpr: '@yearly'\ntimout: 30\n",
    );
    master
        .schedctl()
        .args(["apply", "-f", path(dir.path())])
        .assert()
        .success()
        .stdout("job \"fine\" created\njob \"typo\" created\n")
        .stderr(
            predicate::str::contains("warning: ").and(predicate::str::contains(
                "unknown field `timout` in job \"typo\" is ignored",
            )),
        );
}

#[test]
fn job_save_reads_one_job_from_a_file() {
    let master = Master::start();
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "one.json",
        r#"{"name": "solo", "command": "echo solo", "cronExpr": "@yearly", "timeout": 5}"#,
    );
    master
        .schedctl()
        .args(["job", "save", "-f", path(&dir.path().join("one.json"))])
        .assert()
        .success()
        .stdout("job \"solo\" saved\n");
    assert_eq!(master.json(&["job", "get", "solo"])["timeout"], 5);

    write(
        dir.path(),
        "two.yaml",
        "name: a\ncommand: x\ncronExpr: '@yearly'\n---\nname: b\ncommand: x\ncronExpr: '@yearly'\n",
    );
    let two = dir.path().join("two.yaml");
    master
        .schedctl()
        .args(["job", "save", "-f", path(&two)])
        .assert()
        .code(1)
        .stderr(format!(
            "schedctl: {} holds 2 jobs, and `job save -f` saves one; use `schedctl apply -f {}`\n",
            two.display(),
            two.display()
        ));
    master
        .schedctl()
        .args(["job", "save", "solo", "-f", path(&two)])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
    assert_eq!(master.job_names(), ["solo"]);
}

#[test]
fn cron_explain_works_offline() {
    // An endpoint nothing listens on: explain must not try to connect.
    schedctl()
        .args(["--endpoint", "http://127.0.0.1:9", "-o", "json"])
        .args([
            "cron",
            "explain",
            "TZ=Europe/Berlin 0 30 2 * * *",
            "-n",
            "2",
        ])
        .assert()
        .success()
        .stdout(predicate::function(|out: &str| {
            let v: serde_json::Value = serde_json::from_str(out).expect("JSON");
            v["description"] == "At 02:30:00, every day, in Europe/Berlin"
                && v["timezone"] == "Europe/Berlin"
                && v["expr"] == "TZ=Europe/Berlin 0 30 2 * * *"
                && v["next"].as_array().map(Vec::len) == Some(2)
        }));
    schedctl()
        .args(["cron", "explain", "*/15 * * * *", "-n", "1"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "Every 15 minutes\n\nNEXT (UTC)",
        ));
    schedctl()
        .args(["cron", "explain", "not a cron"])
        .assert()
        .code(1)
        .stdout("")
        .stderr("schedctl: expected 5, 6 or 7 fields, found 3 in `not a cron`\n");
    schedctl()
        .args(["cron", "explain", "@daily", "--timezone", "Mars/Base"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "timezone: unknown time zone `Mars/Base`",
        ));
}

/// Hostile jobs through `schedctl`: as flags of `job save` where an argument can carry them,
/// and as `apply -f` files (JSON is YAML, so each case is written once). Each is refused with
/// a message naming what is wrong, nothing on stdout, and nothing is stored.
#[test]
fn hostile_jobs_from_flags_and_files_are_refused_by_name_and_store_nothing() {
    let master = Master::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let refused = |out: std::process::Output, how: &str, what: &str, words: &[&str]| {
        let stderr = String::from_utf8_lossy(&out.stderr).to_lowercase();
        assert!(
            matches!(out.status.code(), Some(1 | 2)),
            "{how}, {what}: {:?} {stderr:.300}",
            out.status
        );
        assert!(out.stdout.is_empty(), "{how}, {what}: printed on stdout");
        assert!(
            words.iter().any(|w| stderr.contains(w)),
            "{how}, {what}: want one of {words:?} in {stderr:.300}"
        );
    };
    for testkit::hostile::HostileJob { what, job, words } in &testkit::hostile::jobs() {
        let file = dir.path().join("job.yaml");
        std::fs::write(&file, job.to_string()).expect("write the job file");
        let out = master
            .schedctl()
            .args(["apply", "-f", path(&file)])
            .output()
            .expect("run schedctl");
        refused(out, "apply -f", what, words);

        // Only the fields `job save` has flags for; the others go through files alone.
        let flagged = [
            "name",
            "cronExpr",
            "command",
            "timeout",
            "timezone",
            "description",
        ];
        if job
            .as_object()
            .is_some_and(|o| o.keys().any(|k| !flagged.contains(&k.as_str())))
        {
            continue;
        }
        let text = |k: &str| job[k].as_str().map(str::to_owned);
        let (Some(name), Some(cron), Some(command)) =
            (text("name"), text("cronExpr"), text("command"))
        else {
            continue;
        };
        let fits = |s: &str| !s.contains('\0') && s.len() < 128 << 10;
        if !(fits(&name) && fits(&cron) && fits(&command)) {
            continue;
        }
        let mut cmd = master.schedctl();
        cmd.args(["job", "save", &name, "--cron", &cron, "--command", &command]);
        if let Some(t) = job.get("timeout") {
            cmd.args(["--timeout", &t.to_string()]);
        }
        if let Some(tz) = job.get("timezone").and_then(|v| v.as_str()) {
            cmd.args(["--timezone", tz]);
        }
        if let Some(d) = job.get("description").and_then(|v| v.as_str()) {
            cmd.args(["--description", d]);
        }
        refused(cmd.output().expect("run schedctl"), "job save", what, words);
    }
    assert!(master.job_names().is_empty(), "{:?}", master.job_names());
}

/// Regression guard for the order of saves: `a` names `b` and comes first in the file, and
/// the master refuses a job naming one it does not have, so `apply` must save `b` first. A
/// cycle among the files' jobs is refused before anything is sent, named as the master names
/// it.
#[test]
fn apply_saves_a_job_after_the_jobs_it_names() {
    let master = Master::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("chain.yaml");
    write(
        dir.path(),
        "chain.yaml",
        "name: a\ncommand: echo a\ncronExpr: '0 0 0 1 1 *'\nonSuccess: [b]\n\
         ---\n\
         name: c\ncommand: echo c\ncronExpr: '0 0 0 1 1 *'\n\
         ---\n\
         name: b\ncommand: echo b\ncronExpr: '0 0 0 1 1 *'\nonFailure:\n  - c\n",
    );
    master
        .schedctl()
        .args(["apply", "-f", path(&file)])
        .assert()
        .success()
        .stdout("job \"c\" created\njob \"b\" created\njob \"a\" created\n");
    assert_eq!(
        master.json(&["job", "get", "a"])["onSuccess"],
        serde_json::json!(["b"])
    );
    assert_eq!(
        master.json(&["job", "get", "b"])["onFailure"],
        serde_json::json!(["c"])
    );
    master
        .schedctl()
        .args(["diff", "-f", path(&file)])
        .assert()
        .code(0)
        .stdout("");
    master
        .schedctl()
        .args(["apply", "-f", path(&file)])
        .assert()
        .success()
        .stdout("job \"c\" unchanged\njob \"b\" unchanged\njob \"a\" unchanged\n");

    // Closing the loop `c` → `a` is refused whole, before anything is sent: `d` is not saved.
    write(
        dir.path(),
        "chain.yaml",
        "name: d\ncommand: echo d\ncronExpr: '0 0 0 1 1 *'\n\
         ---\n\
         name: c\ncommand: echo c\ncronExpr: '0 0 0 1 1 *'\nonSuccess: [a]\n",
    );
    master
        .schedctl()
        .args(["diff", "-f", path(&file)])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("+  onSuccess: [\"a\"]\n"));
    master
        .schedctl()
        .args(["apply", "-f", path(&file)])
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "schedctl: {} (document 2): job \"c\": onSuccess/onFailure would make a cycle: c → a → b → c\n",
            file.display()
        ));
    assert_eq!(master.job_names(), ["a", "b", "c"]);
    assert!(master.json(&["job", "get", "c"]).get("onSuccess").is_none());
}

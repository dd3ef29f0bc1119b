//! `schedctl` in scripts, against a real embedded master on 127.0.0.1:0: the output formats
//! a shell loop or a YAML pipeline reads, contexts from the config file instead of
//! `--endpoint`, and `version`.

mod common;

use std::time::Duration;

use common::{Master, schedctl_with_config as bare};
use predicates::prelude::*;

/// Saves job `name` on `master`.
fn save(master: &Master, name: &str) {
    // Once a year: nothing runs while the test looks.
    master
        .schedctl()
        .args(["job", "save", name, "--cron", "0 0 0 1 1 *"])
        .args(["--command", "echo hi", "--timezone", "UTC"])
        .assert()
        .success();
}

#[test]
fn output_formats_for_scripts() {
    let master = Master::with_config_file();
    save(&master, "alpha");
    save(&master, "beta");

    // One name per line, for `for job in $(schedctl -o name job list)`.
    assert_eq!(
        master.stdout(&["-o", "name", "job", "list"]),
        "alpha\nbeta\n"
    );
    // A mutation prints the name of what it changed.
    assert_eq!(
        master.stdout(&["-o", "name", "job", "disable", "beta"]),
        "beta\n"
    );

    // YAML is the JSON object, in YAML.
    let yaml = master.stdout(&["-o", "yaml", "job", "get", "alpha"]);
    let from_yaml: serde_json::Value = serde_norway::from_str(&yaml).expect("valid YAML");
    let from_json: serde_json::Value =
        serde_json::from_str(&master.stdout(&["-o", "json", "job", "get", "alpha"]))
            .expect("valid JSON");
    assert_eq!(from_yaml, from_json);
    assert_eq!(from_yaml["name"], "alpha");
    assert_eq!(from_yaml["cronExpr"], "0 0 0 1 1 *");
    assert!(yaml.contains("cronExpr: 0 0 0 1 1 *"), "{yaml}");

    // Tables without the header line: the first word of each line is the name.
    let bare = master.stdout(&["--no-headers", "job", "list"]);
    let first_words: Vec<&str> = bare
        .lines()
        .map(|l| l.split_whitespace().next().unwrap_or(""))
        .collect();
    assert_eq!(first_words, ["alpha", "beta"], "{bare}");
    assert!(bare.lines().nth(1).is_some_and(|l| l.contains("disabled")));

    // Wide adds the time zone, overlap, run on and revision; a pipe gets no colour. Columns
    // are two spaces apart at least, as a header may hold one (`RUN ON`).
    let wide = master.stdout(&["-o", "wide", "job", "list"]);
    let header: Vec<&str> = wide
        .lines()
        .next()
        .unwrap_or("")
        .split("  ")
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .collect();
    assert_eq!(
        header,
        [
            "NAME",
            "CRON",
            "COMMAND",
            "TIMEOUT",
            "STATUS",
            "UPDATED",
            "TIMEZONE",
            "OVERLAP",
            "RUN ON",
            "REVISION",
            "DESCRIPTION"
        ]
    );
    assert!(!wide.contains('\u{1b}'), "{wide:?}");
    // The embedded worker registers with its first heartbeat, spawned beside the server;
    // poll until it is listed (it is by now in practice), for at most 30 s.
    testkit::eventually("a worker in `worker list`", Duration::from_secs(30), || {
        (!master.stdout(&["-o", "name", "worker", "list"]).is_empty()).then_some(())
    });
    let forced = master.stdout(&["--color", "always", "worker", "list"]);
    assert!(forced.contains("\u{1b}[38;5;2monline"), "{forced:?}");
    let never = master.stdout(&["--color", "never", "worker", "list"]);
    assert!(!never.contains('\u{1b}'), "{never:?}");

    // An empty list is no output at all with --no-headers and -o name.
    master
        .schedctl()
        .args(["job", "delete", "alpha"])
        .assert()
        .success();
    master
        .schedctl()
        .args(["job", "delete", "beta"])
        .assert()
        .success();
    master
        .schedctl()
        .args(["--no-headers", "job", "list"])
        .assert()
        .success()
        .stdout("");
    master
        .schedctl()
        .args(["-o", "name", "job", "list"])
        .assert()
        .success()
        .stdout("")
        .stderr("");
}

#[test]
fn a_context_replaces_the_endpoint_flag() {
    let master = Master::with_config_file();
    save(&master, "hello");
    let config = master.config();

    // Nothing configured: the default endpoint, where nothing listens in a test (or something
    // else does) - either way not this master, so go through a context.
    bare(&config)
        .args([
            "config",
            "set-context",
            "test",
            "--endpoint",
            &master.endpoint,
        ])
        .args(["--token", "not-checked-yet"])
        .assert()
        .success();
    bare(&config)
        .args(["config", "use-context", "test"])
        .assert()
        .success();
    bare(&config)
        .args(["-o", "name", "job", "list"])
        .assert()
        .success()
        .stdout("hello\n");

    // --context names it without making it current.
    bare(&config)
        .args([
            "config",
            "set-context",
            "other",
            "--endpoint",
            "http://127.0.0.1:1",
        ])
        .assert()
        .success();
    bare(&config)
        .args(["config", "use-context", "other"])
        .assert()
        .success();
    bare(&config)
        .args(["--context", "test", "-o", "name", "job", "list"])
        .assert()
        .success()
        .stdout("hello\n");
    bare(&config)
        .args(["--context", "missing", "job", "list"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "context `missing` (from --context) is not in",
        ));
}

#[test]
fn version_shows_both_sides() {
    let master = Master::with_config_file();
    let out = master
        .schedctl()
        .args(["-o", "json", "version"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["client"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(v["server"]["mode"], "embedded");
    assert_eq!(v["server"]["defaultTimezone"], "UTC");
    assert!(
        v["server"]["version"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    assert!(v["server"]["startedAt"].as_i64().is_some_and(|t| t > 0));
    master.schedctl().arg("version").assert().success().stdout(
        predicate::str::starts_with(format!("Client:    {}\n", env!("CARGO_PKG_VERSION")))
            .and(predicate::str::contains("Mode:      embedded")),
    );
}

//! The real `schedctl` binary without a master: usage errors, bad flag values, what the user
//! sees when nothing listens at the endpoint, and the commands that need no master (`config`,
//! `version` against a dead endpoint, `completions`, `man`).

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn schedctl() -> Command {
    let mut cmd = Command::cargo_bin("schedctl").expect("the schedctl binary is built");
    // The developer's own endpoint, token, context and config file must not leak into the
    // tests: the config path points at a file that does not exist.
    cmd.env_remove("SCHEDCTL_ENDPOINT")
        .env_remove("SCHEDCTL_TOKEN")
        .env_remove("SCHEDCTL_CONTEXT")
        .env("SCHEDCTL_CONFIG", "/nonexistent/schedctl/config.yaml");
    cmd
}

/// `schedctl` with its config file at `config`.
fn with_config(config: &Path) -> Command {
    let mut cmd = schedctl();
    cmd.env("SCHEDCTL_CONFIG", config);
    cmd
}

/// An endpoint where nothing listens: bind port 0, note the port, close it again.
fn dead_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind port 0");
    let port = listener.local_addr().expect("local addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[test]
fn connection_refused_exits_5_and_names_the_endpoint() {
    let endpoint = dead_endpoint();
    schedctl()
        .args(["--endpoint", &endpoint, "job", "list"])
        .assert()
        .code(5)
        .stdout("")
        .stderr(format!(
            "schedctl: cannot reach the schedd master at {endpoint}: connection refused\n"
        ));
}

#[test]
fn the_endpoint_comes_from_the_environment_when_no_flag_is_given() {
    let endpoint = dead_endpoint();
    schedctl()
        .env("SCHEDCTL_ENDPOINT", &endpoint)
        .args(["-o", "json", "worker", "stats"])
        .assert()
        .code(5)
        .stderr(predicate::str::contains(format!("at {endpoint}:")));
}

#[test]
fn a_master_that_never_answers_times_out_with_exit_5() {
    // Accepts TCP connections (the kernel completes the handshake for the backlog) but
    // never speaks HTTP/2, like a hung master.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind port 0");
    let endpoint = format!("http://{}", listener.local_addr().expect("local addr"));
    schedctl()
        .args([
            "--endpoint",
            &endpoint,
            "--request-timeout",
            "300ms",
            "job",
            "list",
        ])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(5)
        .stdout("")
        .stderr(format!(
            "schedctl: the schedd master at {endpoint} did not answer within 300ms \
             (see --request-timeout)\n"
        ));
    drop(listener);
}

#[test]
fn an_unknown_verb_is_a_usage_error() {
    schedctl()
        .args(["job", "frobnicate"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "unrecognized subcommand 'frobnicate'",
        ));
}

#[test]
fn a_missing_required_flag_is_a_usage_error() {
    schedctl()
        .args(["job", "save", "hello", "--cron", "* * * * *"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--command <CMD>"));
}

#[test]
fn a_negative_timeout_is_rejected_by_name_before_any_connection() {
    // The dead endpoint proves the check happens before connecting: a connect would exit 5.
    schedctl()
        .args(["--endpoint", &dead_endpoint(), "job", "save", "hello"])
        .args([
            "--cron",
            "* * * * *",
            "--command",
            "echo hi",
            "--timeout",
            "-5",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("timeout must not be negative"));
}

#[test]
fn a_sub_second_timeout_is_rejected() {
    schedctl()
        .args([
            "job",
            "save",
            "hello",
            "--cron",
            "* * * * *",
            "--command",
            "x",
        ])
        .args(["--timeout", "0.5s"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("timeout must be at least 1s"));
}

#[test]
fn an_endpoint_that_is_not_http_is_refused() {
    schedctl()
        .args(["--endpoint", "ftp://master:8070", "job", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "http://HOST:PORT or https://HOST:PORT",
        ));
}

#[test]
fn an_unreadable_ca_file_is_named() {
    schedctl()
        .args([
            "--endpoint",
            "https://127.0.0.1:1",
            "--ca-file",
            "/nonexistent/ca.pem",
            "job",
            "list",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/nonexistent/ca.pem"));
}

#[test]
fn help_lists_the_nouns_on_stdout() {
    schedctl().arg("--help").assert().success().stdout(
        predicate::str::contains("job")
            .and(predicate::str::contains("log"))
            .and(predicate::str::contains("worker")),
    );
}

#[test]
fn an_unknown_context_exits_3_and_says_which_contexts_exist() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.yaml");
    with_config(&config)
        .args(["--context", "nope", "job", "list"])
        .assert()
        .code(3)
        .stdout("")
        .stderr(format!(
            "schedctl: context `nope` (from --context) is not in {}; it has no contexts \
             (add one with `schedctl config set-context`)\n",
            config.display()
        ));
    with_config(&config)
        .env("SCHEDCTL_CONTEXT", "nope")
        .args(["worker", "list"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("(from SCHEDCTL_CONTEXT)"));
}

#[test]
fn config_verbs_edit_the_file_and_never_print_tokens() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("sub").join("config.yaml");
    with_config(&config)
        .args([
            "config",
            "set-context",
            "prod",
            "--endpoint",
            "10.0.0.1:8070",
        ])
        .args(["--token", "s3cret"])
        .assert()
        .success()
        .stdout("context \"prod\" created\n")
        .stderr(predicate::str::contains("config use-context prod"));
    let mode = std::fs::metadata(&config)
        .expect("the file exists")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "the config file holds tokens");
    with_config(&config)
        .args([
            "config",
            "set-context",
            "dev",
            "--endpoint",
            "http://127.0.0.1:8070",
        ])
        .assert()
        .success();
    // A new context needs an endpoint.
    with_config(&config)
        .args(["config", "set-context", "other"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("give its --endpoint"));
    with_config(&config)
        .args(["config", "use-context", "prod"])
        .assert()
        .success()
        .stdout("switched to context \"prod\"\n");
    with_config(&config)
        .args(["config", "use-context", "nope"])
        .assert()
        .code(3)
        .stderr(
            predicate::str::contains("context `nope`")
                .and(predicate::str::contains("contexts: prod, dev")),
        );
    with_config(&config)
        .args(["config", "current-context"])
        .assert()
        .success()
        .stdout("prod\n");
    with_config(&config)
        .args(["config", "get-contexts"])
        .assert()
        .success()
        .stdout(
            "CURRENT  NAME  ENDPOINT               TOKEN\n\
             *        prod  http://10.0.0.1:8070   set\n\
             \x20        dev   http://127.0.0.1:8070  -\n",
        );
    with_config(&config)
        .args(["-o", "name", "config", "get-contexts"])
        .assert()
        .success()
        .stdout("prod\ndev\n");
    with_config(&config)
        .args(["config", "view"])
        .assert()
        .success()
        .stdout(
            "currentContext: prod\n\
             contexts:\n\
             - name: prod\n  endpoint: http://10.0.0.1:8070\n  token: REDACTED\n\
             - name: dev\n  endpoint: http://127.0.0.1:8070\n",
        );
    let out = with_config(&config)
        .args(["-o", "json", "config", "get-contexts"])
        .output()
        .expect("runs");
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(list[0]["current"], true);
    assert_eq!(list[0]["token"], "REDACTED");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("s3cret"));
    // The file itself has the token, for the calls.
    let text = std::fs::read_to_string(&config).expect("reads");
    assert!(text.contains("token: s3cret"), "{text}");

    with_config(&config)
        .args(["config", "delete-context", "prod"])
        .assert()
        .success()
        .stdout("context \"prod\" deleted\n")
        .stderr(predicate::str::contains("no context is current"));
    with_config(&config)
        .args(["config", "current-context"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no current context is set"));
    with_config(&config)
        .args(["config", "delete-context", "prod"])
        .assert()
        .code(3);
}

#[test]
fn the_current_context_gives_the_endpoint_and_the_flag_overrides_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.yaml");
    let (in_context, in_env, in_flag) = (dead_endpoint(), dead_endpoint(), dead_endpoint());
    with_config(&config)
        .args(["config", "set-context", "a", "--endpoint", &in_context])
        .assert()
        .success();
    with_config(&config)
        .args(["config", "use-context", "a"])
        .assert()
        .success();
    let reaches = |cmd: &mut Command, endpoint: &str| {
        cmd.args(["job", "list"])
            .assert()
            .code(5)
            .stderr(predicate::str::contains(format!("at {endpoint}:")));
    };
    reaches(&mut with_config(&config), &in_context);
    reaches(
        with_config(&config).env("SCHEDCTL_ENDPOINT", &in_env),
        &in_env,
    );
    reaches(
        with_config(&config)
            .env("SCHEDCTL_ENDPOINT", &in_env)
            .args(["--endpoint", &in_flag]),
        &in_flag,
    );
    // --context is typed for this call: it beats SCHEDCTL_ENDPOINT.
    reaches(
        with_config(&config)
            .env("SCHEDCTL_ENDPOINT", &in_env)
            .args(["--context", "a"]),
        &in_context,
    );
}

#[test]
fn a_bad_endpoint_in_the_environment_is_a_usage_error() {
    schedctl()
        .env("SCHEDCTL_ENDPOINT", "ftp://master:8070")
        .args(["job", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("(from SCHEDCTL_ENDPOINT)"));
}

#[test]
fn version_prints_the_client_version_even_when_the_master_is_down() {
    let endpoint = dead_endpoint();
    let version = env!("CARGO_PKG_VERSION");
    schedctl()
        .args(["--endpoint", &endpoint, "version"])
        .assert()
        .code(5)
        .stdout(format!("Client:  {version}\n"))
        .stderr(format!(
            "server: unreachable (cannot reach the schedd master at {endpoint}: connection refused)\n"
        ));
    let out = schedctl()
        .args(["--endpoint", &endpoint, "-o", "json", "version"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(5));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        v,
        serde_json::json!({"client": {"version": version}, "server": null})
    );
}

#[test]
fn completions_and_man_pages_come_from_the_command_tree() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        schedctl()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("schedctl"));
    }
    schedctl().args(["completions", "tcsh"]).assert().code(2);
    schedctl()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(".ie \\n(.g .ds Aq"))
        .stdout(predicate::str::contains("schedctl"));
    let dir = tempfile::tempdir().expect("tempdir");
    schedctl()
        .args(["man", "--dir"])
        .arg(dir.path())
        .assert()
        .success();
    for page in [
        "schedctl.1",
        "schedctl-job.1",
        "schedctl-job-save.1",
        "schedctl-config-set-context.1",
    ] {
        assert!(dir.path().join(page).is_file(), "{page} was not written");
    }
}

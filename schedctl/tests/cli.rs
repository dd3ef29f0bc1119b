//! The real `schedctl` binary without a master: usage errors, bad flag values, and what the
//! user sees when nothing listens at the endpoint.

use assert_cmd::Command;
use predicates::prelude::*;

fn schedctl() -> Command {
    let mut cmd = Command::cargo_bin("schedctl").expect("the schedctl binary is built");
    // The developer's own endpoint must not leak into the tests.
    cmd.env_remove("SCHEDCTL_ENDPOINT");
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
fn an_https_endpoint_is_refused_as_unsupported() {
    schedctl()
        .args(["--endpoint", "https://master:8070", "job", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("https is not supported"));
}

#[test]
fn help_lists_the_nouns_on_stdout() {
    schedctl().arg("--help").assert().success().stdout(
        predicate::str::contains("job")
            .and(predicate::str::contains("log"))
            .and(predicate::str::contains("worker")),
    );
}

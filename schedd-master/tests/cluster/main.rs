//! Cluster mode end to end, with real etcd, the real master and worker binaries, and real
//! child processes: exactly one run per tick, failover, clock skew, etcd restarts, kills,
//! catch-up, and bad input.

mod broadcast;
mod checker;
mod dependencies;
mod faults;
mod fencing;
mod harness;
mod master_outage;
mod notifications;
mod overload;
mod reaper;
mod tail;

use std::collections::BTreeMap;
use std::time::Duration;

use harness::{
    Cluster, DEADLINE, Rec, assert_all_success, assert_once, every_second, now_ms, seconds_between,
    wait_for_ticks,
};
use schedd_proto::v1 as pb;
use testkit::eventually;

fn names(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}-{i:02}")).collect()
}

#[test]
fn every_tick_runs_exactly_once_across_three_workers_with_even_load() {
    let mut c = Cluster::start();
    for n in 1..=3 {
        c.add_worker(n, &[]);
    }
    c.wait_for_workers(3);
    let jobs = names("tick", 50);
    for j in &jobs {
        c.put_job(every_second(j, "true"));
    }
    // Give every worker time to load the jobs, then watch 20 s of ticks.
    let start = now_ms() + 2_000;
    let ticks = seconds_between(start, start + 20_000);
    let got = wait_for_ticks(&c, &jobs, &ticks);
    let per_worker = assert_once(&got);
    assert_all_success(&got);
    let total: usize = per_worker.values().sum();
    assert_eq!(total, jobs.len() * ticks.len());
    assert_eq!(
        per_worker.len(),
        3,
        "every worker ran ticks: {per_worker:?}"
    );
    let mean = total as f64 / 3.0;
    for (worker, n) in &per_worker {
        let off = (*n as f64 - mean).abs() / mean;
        assert!(
            off <= 0.2,
            "{worker} ran {n} of {total} ticks, {:.0}% off the mean: {per_worker:?}",
            off * 100.0
        );
    }
}

#[test]
fn a_worker_killed_mid_run_loses_no_tick_and_its_run_is_recorded_lost() {
    let mut c = Cluster::start();
    c.add_worker(1, &[("WORKER_LABELS", "role=victim")]);
    c.add_worker(2, &[]);
    c.add_worker(3, &[]);
    c.wait_for_workers(3);
    let jobs = names("failover", 20);
    for j in &jobs {
        let mut job = every_second(j, "true");
        job["overlap"] = "allow".into();
        c.put_job(job);
    }
    // A long run that only the victim may take.
    let mut long = every_second("long-run", "sleep 120");
    long["cronExpr"] = "0 0 0 1 1 *".into();
    long["selector"] = serde_json::json!({ "role": "victim" });
    c.put_job(long);
    let jobs_at = now_ms();
    let run_id = c.run_until_running("long-run");
    // Let every worker load the jobs and run a few seconds of ticks with all three, then
    // kill the victim without warning.
    let watched_from = jobs_at + 2_000;
    wait_for_ticks(
        &c,
        &jobs,
        &seconds_between(watched_from, watched_from + 3_000),
    );
    let killed_at = now_ms();
    c.kill_worker(0);
    let deadline = std::time::Instant::now() + DEADLINE;
    let lost = loop {
        if let Some(r) = c.records().into_iter().find(|r| r.execution_id == run_id) {
            break r;
        }
        if std::time::Instant::now() > deadline {
            let keys = c.rt.block_on(async {
                let mut etcd = c.etcd.client().await;
                let resp = etcd
                    .get(
                        "/cron/",
                        Some(
                            etcd_client::GetOptions::new()
                                .with_prefix()
                                .with_keys_only(),
                        ),
                    )
                    .await
                    .expect("keys");
                resp.kvs()
                    .iter()
                    .map(|kv| format!("{} lease {}", kv.key_str().unwrap_or_default(), kv.lease()))
                    .filter(|k| !k.contains("/claims/"))
                    .collect::<Vec<_>>()
            });
            panic!("no record of the interrupted run; etcd holds {keys:#?}");
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(lost.status, "lost", "{lost:?}");
    assert_eq!(lost.worker, "worker-1");
    assert!(lost.error.contains("worker-1"), "{lost:?}");
    // The records the victim had not shipped yet wait in its spool until it is back.
    let ticks = seconds_between(watched_from, killed_at + 12_000);
    // The survivors run every tick after the kill; then the victim comes back.
    wait_for_ticks(
        &c,
        &jobs,
        &seconds_between(killed_at + 1_000, killed_at + 12_000),
    );
    c.restart_worker(0);
    let got = wait_for_ticks(&c, &jobs, &ticks);
    let per_worker = assert_once(&got);
    for ((job, tick), recs) in &got {
        assert_eq!(
            recs[0].status, "success",
            "tick {tick} of {job}: {:?}",
            recs[0]
        );
        if *tick > killed_at {
            assert_ne!(
                recs[0].worker, "worker-1",
                "a dead worker ran {job} at {tick}"
            );
        }
    }
    assert!(per_worker.contains_key("worker-2") && per_worker.contains_key("worker-3"));
}

#[test]
fn skewed_clocks_still_run_each_tick_once() {
    let mut c = Cluster::start();
    c.add_worker(1, &[("SCHEDD_TEST_CLOCK_OFFSET_MS", "-500")]);
    c.add_worker(2, &[]);
    c.add_worker(3, &[("SCHEDD_TEST_CLOCK_OFFSET_MS", "500")]);
    c.wait_for_workers(3);
    let jobs = names("skew", 20);
    for j in &jobs {
        c.put_job(every_second(j, "true"));
    }
    let start = now_ms() + 2_000;
    let ticks = seconds_between(start, start + 10_000);
    let got = wait_for_ticks(&c, &jobs, &ticks);
    assert_once(&got);
    assert_all_success(&got);
}

#[test]
fn an_etcd_restart_causes_no_duplicate_and_no_silent_gap() {
    let mut c = Cluster::start();
    for n in 1..=3 {
        c.add_worker(n, &[]);
    }
    c.wait_for_workers(3);
    let jobs = names("restart", 10);
    for j in &jobs {
        c.put_job(every_second(j, "true"));
    }
    let start = now_ms() + 2_000;
    wait_for_ticks(&c, &jobs, &seconds_between(start, start + 3_000));
    c.etcd.stop();
    // The outage itself: three ticks come due while etcd is away.
    std::thread::sleep(Duration::from_secs(3));
    c.etcd.start_again();
    let end = now_ms() + 8_000;
    let ticks = seconds_between(start, end);
    // Every tick is accounted for: run, or recorded as skipped while etcd was away.
    let got = wait_for_ticks(&c, &jobs, &ticks);
    assert_once(&got);
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    for recs in got.values() {
        *statuses.entry(recs[0].status.clone()).or_insert(0) += 1;
    }
    assert!(
        statuses.keys().all(|s| s == "success" || s == "skipped"),
        "{statuses:?}"
    );
    // Ticks after the restart run again.
    let after = seconds_between(now_ms() + 1_000, now_ms() + 4_000);
    let got = wait_for_ticks(&c, &jobs, &after);
    assert_once(&got);
    assert!(got.values().all(|r| r[0].status == "success"));
}

#[test]
fn kill_reaches_the_worker_running_the_job_and_stops_its_process_tree() {
    let mut c = Cluster::start();
    for n in 1..=3 {
        c.add_worker(n, &[]);
    }
    c.wait_for_workers(3);
    let marker = format!("schedd-kill-test-{}", std::process::id());
    let mut job = every_second("sleeper", &format!("sleep 300 & sleep 301; echo {marker}"));
    job["cronExpr"] = "0 0 0 1 1 *".into();
    c.put_job(job);
    let mut api = c.jobs();
    let run = eventually("run-now accepted", DEADLINE, || {
        c.rt.block_on(api.run_job(pb::RunJobRequest {
            name: "sleeper".into(),
        }))
        .ok()
    })
    .into_inner();
    eventually("the job's processes run", DEADLINE, || {
        (!processes_with(&marker).is_empty()).then_some(())
    });
    c.rt.block_on(api.kill_job(pb::KillJobRequest {
        name: "sleeper".into(),
    }))
    .expect("kill");
    let rec = eventually("a killed record", DEADLINE, || {
        c.records()
            .into_iter()
            .find(|r| r.execution_id == run.execution_id)
    });
    assert_eq!(rec.status, "killed", "{rec:?}");
    assert!(
        processes_with(&marker).is_empty(),
        "processes left behind: {:?}",
        processes_with(&marker)
    );
}

/// Pids whose command line contains `needle`.
fn processes_with(needle: &str) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| {
        let e = e.ok()?;
        let pid: u32 = e.file_name().to_str()?.parse().ok()?;
        let cmdline = std::fs::read(e.path().join("cmdline")).ok()?;
        String::from_utf8_lossy(&cmdline)
            .contains(needle)
            .then_some(pid)
    })
    .collect()
}

#[test]
fn after_the_whole_cluster_stops_missed_ticks_are_caught_up_or_recorded_skipped() {
    let mut c = Cluster::start();
    c.add_worker(1, &[]);
    c.add_worker(2, &[]);
    c.wait_for_workers(2);
    let mut catch = every_second("catch-up", "true");
    catch["catchUpSeconds"] = 3600.into();
    c.put_job(catch);
    c.put_job(every_second("no-catch-up", "true"));
    let jobs = vec!["catch-up".to_owned(), "no-catch-up".to_owned()];
    // Both jobs have run.
    let first = seconds_between(now_ms() + 1_000, now_ms() + 3_000);
    wait_for_ticks(&c, &jobs, &first);
    c.stop_worker(0);
    c.stop_worker(1);
    let stopped = now_ms();
    // The downtime itself: ticks come due while no worker runs.
    std::thread::sleep(Duration::from_secs(10));
    c.restart_worker(0);
    c.restart_worker(1);
    let restarted = now_ms();
    // Everything from before the stop to after the restart is accounted for exactly once.
    let ticks = seconds_between(stopped - 2_000, restarted + 6_000);
    let got = wait_for_ticks(&c, &jobs, &ticks);
    assert_once(&got);
    // Ticks up to a few seconds old at the restart still run as scheduled; older ones were
    // missed.
    let gap: Vec<i64> = ticks
        .iter()
        .copied()
        .filter(|t| *t > stopped + 1_000 && *t + 7_000 < restarted)
        .collect();
    assert!(!gap.is_empty(), "the cluster was down for whole seconds");
    for t in &gap {
        let skipped = &got[&("no-catch-up".to_owned(), *t)][0];
        assert_eq!(skipped.status, "skipped", "{skipped:?}");
        let caught = &got[&("catch-up".to_owned(), *t)][0];
        assert_eq!(caught.status, "skipped", "{caught:?}");
    }
    let catch_up_runs = |job: &str| -> Vec<&Rec> {
        got.values()
            .map(|r| &r[0])
            .filter(|r| r.job == job && r.trigger == "catch-up")
            .collect()
    };
    // The newest missed tick of the job with a catch-up window ran late, once.
    let caught = catch_up_runs("catch-up");
    assert_eq!(
        caught.len(),
        1,
        "stopped {stopped}, restarted {restarted}: {:#?}",
        got.values()
            .map(|r| (
                &r[0].job,
                r[0].plan_ms,
                &r[0].status,
                &r[0].trigger,
                &r[0].error
            ))
            .collect::<Vec<_>>()
    );
    assert_eq!(caught[0].status, "success", "{:?}", caught[0]);
    assert!(caught[0].plan_ms > *gap.last().expect("a missed tick") - 1_000);
    assert!(catch_up_runs("no-catch-up").is_empty());
}

#[test]
fn a_bad_job_in_etcd_is_reported_and_the_other_jobs_keep_running() {
    let mut c = Cluster::start();
    c.add_worker(1, &[]);
    c.wait_for_workers(1);
    c.put_job(every_second("good", "true"));
    let mut bad = every_second("bad-cron", "true");
    bad["cronExpr"] = "61 * * * * *".into();
    c.put_job(bad);
    c.put_raw("/cron/jobs/garbage", "{not json");
    let ticks = seconds_between(now_ms() + 1_000, now_ms() + 4_000);
    wait_for_ticks(&c, &["good".to_owned()], &ticks);
    let log = c.worker_log(0);
    assert!(
        log.contains("bad-cron") && log.contains("61"),
        "the bad cron is reported: {log}"
    );
    assert!(
        log.contains("garbage"),
        "the unreadable job is reported: {log}"
    );
    assert!(c.records().iter().all(|r| r.job != "bad-cron"));
}

#[test]
fn bad_config_and_unreachable_etcd_fail_clearly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let worker = testkit::workspace_bin("schedd-worker", "schedd-worker");
    let config = dir.path().join("worker.json");
    std::fs::write(
        &config,
        r#"{"etcdEndpoints":["127.0.0.1:1"],"workerID":"x"}"#,
    )
    .expect("write");
    let out = std::process::Command::new(&worker)
        .arg("--config")
        .arg(&config)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("workerID") && err.contains("workerId"),
        "{err}"
    );

    // Nothing listens on port 1: the worker gives up after the dial timeout.
    std::fs::write(
        &config,
        r#"{"etcdEndpoints":["127.0.0.1:1"],"etcdDialTimeout":1000}"#,
    )
    .expect("write");
    let out = std::process::Command::new(&worker)
        .arg("--config")
        .arg(&config)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("etcd") && err.contains("127.0.0.1:1"), "{err}");

    let master = std::process::Command::new(env!("CARGO_BIN_EXE_schedd-master"))
        .arg("--config")
        .arg(&config)
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&master.stderr);
    assert_eq!(master.status.code(), Some(1), "{err}");
    assert!(err.contains("etcd"), "{err}");
}

/// etcd over TLS, asking for client certificates: the master and two workers reach it with
/// `etcdCa`, `etcdCert` and `etcdKey`, and every tick runs once with its record stored. A
/// worker without a client certificate cannot connect, and says it was etcd it could not
/// reach.
#[test]
fn a_cluster_reaches_etcd_over_tls_with_client_certificates() {
    let mut c = Cluster::start_over_tls_etcd();
    c.add_worker(1, &[]);
    c.add_worker(2, &[]);
    c.wait_for_workers(2);
    let jobs = names("tls", 5);
    for j in &jobs {
        c.put_job(every_second(j, "true"));
    }
    let start = now_ms() + 2_000;
    let ticks = seconds_between(start, start + 5_000);
    let got = wait_for_ticks(&c, &jobs, &ticks);
    let per_worker = assert_once(&got);
    assert_all_success(&got);
    assert_eq!(per_worker.values().sum::<usize>(), jobs.len() * ticks.len());

    // No client certificate: an empty value clears the file's.
    c.add_worker(3, &[("ETCD_CERT", ""), ("ETCD_KEY", "")]);
    eventually(
        "the worker without a certificate gives up",
        DEADLINE,
        || c.worker_exited(2).then_some(()),
    );
    let log = c.worker_log(2);
    assert!(log.contains("etcd"), "{log}");
    assert_eq!(c.registered().len(), 2, "only the two with certificates");
}

/// Workers authenticate to the master with a token of role `worker` (`apiToken`). A worker
/// whose token does not allow ingest keeps its records in its spool, retrying; given the
/// right token, it delivers every one of them.
#[test]
fn records_reach_a_master_that_requires_tokens_only_with_a_worker_token_and_none_are_lost() {
    use schedd_master::auth::{Role, TokenEntry, TokenFile, hash_token, new_token};
    let (worker_token, admin_token) = (new_token(), new_token());
    let tokens = TokenFile {
        revoked: Vec::new(),
        tokens: vec![
            TokenEntry {
                name: "workers".into(),
                role: Role::Worker,
                sha256: hash_token(&worker_token),
                created_at: 0,
                created_by: String::new(),
            },
            TokenEntry {
                name: "ops".into(),
                role: Role::Admin,
                sha256: hash_token(&admin_token),
                created_at: 0,
                created_by: String::new(),
            },
        ],
    };
    let mut c = Cluster::start_with_tokens(Some(&tokens));
    c.add_worker(1, &[("SCHEDD_API_TOKEN", worker_token.as_str())]);
    // An admin token is not a worker token: people cannot pose as workers, nor workers
    // as people.
    c.add_worker(2, &[("SCHEDD_API_TOKEN", admin_token.as_str())]);
    c.wait_for_workers(2);
    c.put_job(every_second("authed", "echo hi"));
    let ran_by = |c: &Cluster, worker: &str| {
        c.records()
            .into_iter()
            .filter(|r| r.job == "authed" && r.worker == worker)
            .count()
    };
    eventually("records from worker-1", DEADLINE, || {
        (ran_by(&c, "worker-1") >= 3).then_some(())
    });
    eventually("worker-2 told its token may not ingest", DEADLINE, || {
        c.worker_log(1).contains("needs role worker").then_some(())
    });
    assert_eq!(
        ran_by(&c, "worker-2"),
        0,
        "records got in with an admin token"
    );
    // Stop the job, so what worker-2 holds is a fixed set; then give it the right token.
    c.put_job(serde_json::json!({
        "name": "authed", "command": "echo hi", "cronExpr": "* * * * * *", "disabled": true,
    }));
    c.stop_worker(1);
    c.set_worker_env(1, "SCHEDD_API_TOKEN", &worker_token);
    c.restart_worker(1);
    eventually("worker-2's spooled records delivered", DEADLINE, || {
        (ran_by(&c, "worker-2") > 0).then_some(())
    });
    let got = c.by_tick(0, now_ms() + 1_000);
    assert_once(&got);
}

/// Across hosts, safely: a master on every interface (`0.0.0.0`) with TLS and tokens. Three
/// workers reach it over TLS with a worker token and their records arrive; `schedctl` over
/// `https://` with a token works; a plain-text client, a missing token and a viewer's
/// `job save` are each refused with their own code.
#[test]
fn a_master_beyond_loopback_serves_tls_and_tokens_to_workers_and_schedctl() {
    use schedd_master::auth::{Role, TokenEntry, TokenFile, hash_token, new_token};
    let tokens: Vec<(Role, String)> = [Role::Worker, Role::Admin, Role::Viewer]
        .into_iter()
        .map(|r| (r, new_token()))
        .collect();
    let token_of = |role: Role| {
        tokens
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, t)| t.clone())
            .expect("token")
    };
    let file = TokenFile {
        revoked: Vec::new(),
        tokens: tokens
            .iter()
            .map(|(role, t)| TokenEntry {
                name: format!("t-{role}"),
                role: *role,
                sha256: hash_token(t),
                created_at: 0,
                created_by: String::new(),
            })
            .collect(),
    };
    let mut c = Cluster::start_secured(Some(&file), true);
    let ca = c.dir.path().join("ca.pem");
    let ca = ca.to_str().expect("utf-8").to_owned();
    let worker = token_of(Role::Worker);
    for n in 1..=3 {
        c.add_worker(
            n,
            &[
                ("SCHEDD_API_TOKEN", worker.as_str()),
                ("SCHEDD_MASTER_CA", &ca),
            ],
        );
    }
    c.wait_for_workers(3);
    let jobs = names("tls", 3);
    for j in &jobs {
        c.put_job(every_second(j, "echo over-tls"));
    }
    let start = now_ms() + 2_000;
    let ticks = seconds_between(start, start + 5_000);
    let got = wait_for_ticks(&c, &jobs, &ticks);
    assert_once(&got);
    assert_all_success(&got);

    // schedctl over https, trusting the test CA, with a token.
    let schedctl = |args: &[&str], token: Option<&str>| {
        let mut cmd = std::process::Command::new(testkit::workspace_bin("schedctl", "schedctl"));
        cmd.args(["--endpoint", &c.api, "--ca-file", &ca])
            .args(args)
            .env_remove("SCHEDCTL_TOKEN")
            .env("SCHEDCTL_CONFIG", c.dir.path().join("schedctl.yaml"));
        if let Some(t) = token {
            cmd.args(["--token", t]);
        }
        cmd.output().expect("run schedctl")
    };
    let listed = schedctl(
        &["-o", "json", "job", "list"],
        Some(&token_of(Role::Viewer)),
    );
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    assert!(String::from_utf8_lossy(&listed.stdout).contains("tls-00"));
    // No token: denied (exit 6); a viewer saving a job: denied, naming the role needed.
    let anonymous = schedctl(&["job", "list"], None);
    assert_eq!(anonymous.status.code(), Some(6), "{anonymous:?}");
    let save = schedctl(
        &[
            "job",
            "save",
            "nope",
            "--cron",
            "* * * * *",
            "--command",
            "true",
        ],
        Some(&token_of(Role::Viewer)),
    );
    assert_eq!(save.status.code(), Some(6), "{save:?}");
    assert!(String::from_utf8_lossy(&save.stderr).contains("needs role admin"));
    // Plain text to the TLS port: no answer that a gRPC client can take.
    let plain = c.rt.block_on(async {
        let channel = harness::endpoint(&c.api.replace("https://", "http://"), None)
            .connect()
            .await;
        match channel {
            Err(e) => Err(e.to_string()),
            Ok(ch) => pb::job_service_client::JobServiceClient::new(ch)
                .list_jobs(pb::ListJobsRequest::default())
                .await
                .map(|_| ())
                .map_err(|s| s.to_string()),
        }
    });
    assert!(plain.is_err(), "a plain-text call went through");
    // With the CA, over TLS, the gRPC codes: no token, then a viewer's save.
    let mut jobs_api = pb::job_service_client::JobServiceClient::new(c.channel());
    let no_token =
        c.rt.block_on(jobs_api.list_jobs(pb::ListJobsRequest::default()))
            .expect_err("no token");
    assert_eq!(no_token.code(), tonic::Code::Unauthenticated);
    let mut req = tonic::Request::new(pb::SaveJobRequest {
        job: Some(pb::Job {
            name: "nope".into(),
            command: "true".into(),
            cron_expr: "* * * * *".into(),
            ..Default::default()
        }),
        expected_revision: None,
    });
    req.metadata_mut().insert(
        "authorization",
        format!("Bearer {}", token_of(Role::Viewer))
            .parse()
            .expect("header"),
    );
    let denied = c.rt.block_on(jobs_api.save_job(req)).expect_err("viewer");
    assert_eq!(denied.code(), tonic::Code::PermissionDenied);
}

/// SIGTERM drains: the worker stops taking ticks, lets a running execution finish (within
/// `drainTimeout`) and stores its record; one still running at the drain timeout is killed,
/// and its record says so.
#[test]
fn sigterm_lets_running_executions_finish_within_the_drain_timeout_then_kills_them() {
    let mut c = Cluster::start();
    c.add_worker(1, &[("SCHEDD_DRAIN_TIMEOUT", "60000")]);
    c.wait_for_workers(1);
    let dir = c.dir.path().to_owned();
    let (started, release) = (dir.join("drain-started"), dir.join("drain-release"));
    let mut job = every_second(
        "drained",
        &format!(
            "touch {s}; while [ ! -e {r} ]; do sleep 0.05; done; echo finished",
            s = started.display(),
            r = release.display()
        ),
    );
    job["cronExpr"] = "0 0 0 1 1 *".into();
    c.put_job(job);
    let mut api = c.jobs();
    let run_now = |api: &mut pb::job_service_client::JobServiceClient<_>, c: &Cluster| {
        eventually("run-now accepted", DEADLINE, || {
            c.rt.block_on(api.run_job(pb::RunJobRequest {
                name: "drained".into(),
            }))
            .ok()
        })
        .into_inner()
        .execution_id
    };
    let first = run_now(&mut api, &c);
    eventually("the run started", DEADLINE, || {
        started.exists().then_some(())
    });
    c.term_worker(0);
    eventually("the worker drains", DEADLINE, || {
        c.worker_log(0)
            .contains("waiting for running executions to finish")
            .then_some(())
    });
    assert!(
        !c.worker_exited(0),
        "the worker left before its run finished"
    );
    std::fs::write(&release, b"").expect("release the run");
    eventually("the worker exits", DEADLINE, || {
        c.worker_exited(0).then_some(())
    });
    let rec = eventually("the drained run's record", DEADLINE, || {
        c.records().into_iter().find(|r| r.execution_id == first)
    });
    assert_eq!(rec.status, "success", "{rec:?}");

    // A drain timeout shorter than the run: killed, and recorded as such.
    std::fs::remove_file(&release).expect("hold runs again");
    std::fs::remove_file(&started).expect("reset");
    c.set_worker_env(0, "SCHEDD_DRAIN_TIMEOUT", "300");
    c.restart_worker(0);
    let second = run_now(&mut api, &c);
    eventually("the second run started", DEADLINE, || {
        started.exists().then_some(())
    });
    c.term_worker(0);
    eventually("the worker exits", DEADLINE, || {
        c.worker_exited(0).then_some(())
    });
    // The worker is gone; its records reached the master before it left, or wait in its
    // spool for its next start.
    if !c.records().iter().any(|r| r.execution_id == second) {
        c.restart_worker(0);
    }
    let rec = eventually("the killed run's record", DEADLINE, || {
        c.records().into_iter().find(|r| r.execution_id == second)
    });
    assert_eq!(rec.status, "killed", "{rec:?}");
}

//! Embedded mode end to end: a real master on 127.0.0.1:0 with a SQLite file in a temp
//! directory, driven through the real gRPC clients (and its REST bridge, where the two must
//! agree), running real processes.

use std::time::Duration;

use crate::harness::Master;

use schedd_master::embedded::DevConfig;
use schedd_proto::v1 as pb;
use schedd_proto::v1::event_service_client::EventServiceClient;
use schedd_proto::v1::job_service_client::JobServiceClient;
use schedd_proto::v1::log_service_client::LogServiceClient;
use schedd_proto::v1::worker_service_client::WorkerServiceClient;
use testkit::eventually_async;
use tonic::Code;
use tonic::transport::Channel;

const DEADLINE: Duration = Duration::from_secs(30);

impl Master {
    pub(crate) fn jobs(&self) -> JobServiceClient<Channel> {
        JobServiceClient::new(self.channel.clone())
    }

    pub(crate) fn logs(&self) -> LogServiceClient<Channel> {
        LogServiceClient::new(self.channel.clone())
    }
}

fn job(name: &str, cron: &str, command: &str) -> pb::Job {
    pb::Job {
        name: name.into(),
        cron_expr: cron.into(),
        command: command.into(),
        ..Default::default()
    }
}

pub(crate) async fn save(m: &Master, j: pb::Job) -> Result<pb::Job, tonic::Status> {
    let resp = m
        .jobs()
        .save_job(pb::SaveJobRequest {
            job: Some(j),
            expected_revision: None,
        })
        .await?;
    Ok(resp.into_inner().job.expect("saved job"))
}

async fn records(m: &Master, name: &str) -> Vec<pb::ExecutionRecord> {
    m.logs()
        .list_logs(pb::ListLogsRequest {
            job_name: name.into(),
            page: 1,
            page_size: 100,
            ..Default::default()
        })
        .await
        .expect("list logs")
        .into_inner()
        .records
}

#[tokio::test]
async fn a_saved_job_runs_every_second_and_records_its_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    let saved = save(&m, job("hello", "* * * * * *", "echo hi; echo oops >&2"))
        .await
        .expect("save");
    assert_eq!(
        saved.timezone, "UTC",
        "the default zone is stamped on the job"
    );
    assert!(saved.created_at.is_some());

    let recs = eventually_async("two successful runs", DEADLINE, || async {
        let recs = records(&m, "hello").await;
        (recs.len() >= 2).then_some(recs)
    })
    .await;
    for r in &recs {
        assert_eq!(r.status, pb::ExecutionStatus::Success as i32);
        assert_eq!(r.output, "hi\n");
        assert_eq!(r.stderr, "oops\n");
        assert_eq!(r.exit_code, 0);
        assert_eq!(r.trigger, pb::Trigger::Schedule as i32);
        let plan = r.plan_time.expect("plan time");
        assert_eq!(plan.nanos, 0, "ticks are on whole seconds");
        let start = r.start_time.expect("start");
        assert!(
            start.seconds >= plan.seconds,
            "a run never starts before its tick"
        );
    }
    let plans: std::collections::BTreeSet<i64> = recs
        .iter()
        .map(|r| r.plan_time.expect("plan").seconds)
        .collect();
    assert_eq!(plans.len(), recs.len(), "no tick ran twice");

    let latest = m
        .logs()
        .get_latest_log(pb::GetLatestLogRequest {
            job_name: "hello".into(),
        })
        .await
        .expect("latest");
    assert_eq!(
        latest.into_inner().record.expect("record").job_name,
        "hello"
    );
    let stats = m
        .logs()
        .get_log_stats(pb::GetLogStatsRequest {
            job_name: "hello".into(),
            days: 0,
        })
        .await
        .expect("stats")
        .into_inner()
        .stats
        .expect("stats");
    assert!(
        stats.total >= 2 && stats.success == stats.total,
        "{stats:?}"
    );
    assert_eq!(stats.days, 7);
    m.stop().await;
}

#[tokio::test]
async fn bad_input_is_rejected_clearly_and_stores_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    let mut negative = job("neg", "* * * * *", "true");
    negative.timeout_seconds = -1;
    let cases = [
        (job("bad", "not a cron", "x"), "cronExpr"),
        (job("bad name!", "* * * * *", "x"), "job name"),
        (job("empty", "* * * * *", "  "), "command is empty"),
        (negative, "timeout must be 0"),
        (job("list", "* * * * *", "x"), "reserved"),
        (
            pb::Job {
                timezone: "Mars/Olympus".into(),
                ..job("tz", "* * * * *", "x")
            },
            "timezone",
        ),
    ];
    for (j, want) in cases {
        let name = j.name.clone();
        let err = save(&m, j).await.expect_err(&name);
        assert_eq!(err.code(), Code::InvalidArgument, "{name}: {err:?}");
        assert!(
            err.message().contains(want),
            "{name}: want {want:?} in {:?}",
            err.message()
        );
    }
    let listed = m
        .jobs()
        .list_jobs(pb::ListJobsRequest::default())
        .await
        .expect("list")
        .into_inner();
    assert!(listed.jobs.is_empty(), "nothing stored: {:?}", listed.jobs);

    let missing = m
        .jobs()
        .get_job(pb::GetJobRequest {
            name: "nope".into(),
        })
        .await
        .expect_err("missing");
    assert_eq!(missing.code(), Code::NotFound);
    let kill = m
        .jobs()
        .kill_job(pb::KillJobRequest {
            name: "nope".into(),
        })
        .await
        .expect_err("missing");
    assert_eq!(kill.code(), Code::NotFound);
    let page = m
        .logs()
        .list_logs(pb::ListLogsRequest {
            job_name: String::new(),
            page: 1,
            page_size: 10_000,
            ..Default::default()
        })
        .await
        .expect_err("too big");
    assert_eq!(page.code(), Code::InvalidArgument);
    let days = m
        .logs()
        .get_log_stats(pb::GetLogStatsRequest {
            job_name: String::new(),
            days: 10_000,
        })
        .await
        .expect_err("too long");
    assert_eq!(days.code(), Code::InvalidArgument);
    m.stop().await;
}

#[tokio::test]
async fn compare_and_swap_on_save_and_enable_disable_keep_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    let mut j = job("cas", "0 0 1 1 *", "echo v1");
    j.description = "nightly".into();
    let first = save(&m, j.clone()).await.expect("create");
    let stale = m
        .jobs()
        .save_job(pb::SaveJobRequest {
            job: Some(j.clone()),
            expected_revision: Some(0),
        })
        .await
        .expect_err("already exists");
    assert_eq!(stale.code(), Code::Aborted);
    let disabled = m
        .jobs()
        .disable_job(pb::DisableJobRequest { name: "cas".into() })
        .await
        .expect("disable");
    let disabled = disabled.into_inner().job.expect("job");
    assert!(disabled.disabled);
    assert_eq!(
        disabled.description, "nightly",
        "disable keeps the other fields"
    );
    let err = m
        .jobs()
        .save_job(pb::SaveJobRequest {
            job: Some(j),
            expected_revision: Some(first.revision),
        })
        .await
        .expect_err("revision moved on");
    assert_eq!(err.code(), Code::Aborted);
    let enabled = m
        .jobs()
        .enable_job(pb::EnableJobRequest { name: "cas".into() })
        .await
        .expect("enable");
    assert!(!enabled.into_inner().job.expect("job").disabled);
    m.stop().await;
}

#[tokio::test]
async fn jobs_survive_a_restart_of_the_master() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    let mut j = job("keep", "0 0 3 * * *", "backup.sh");
    j.timeout_seconds = 30;
    j.timezone = "Europe/Berlin".into();
    save(&m, j).await.expect("save");
    m.stop().await;

    let m = Master::start(dir.path()).await;
    let got = m
        .jobs()
        .get_job(pb::GetJobRequest {
            name: "keep".into(),
        })
        .await
        .expect("get");
    let got = got.into_inner().job.expect("job");
    assert_eq!(
        (got.command.as_str(), got.timeout_seconds),
        ("backup.sh", 30)
    );
    let next = m
        .jobs()
        .next_fire_times(pb::NextFireTimesRequest {
            name: "keep".into(),
            count: 3,
            ..Default::default()
        })
        .await
        .expect("next")
        .into_inner();
    assert_eq!(next.timezone, "Europe/Berlin");
    assert_eq!(next.times.len(), 3);
    assert!(next.times.windows(2).all(|w| w[0].seconds < w[1].seconds));
    m.stop().await;
}

/// The next execution event of `kind` for `job`, skipping everything else.
async fn next_execution(
    events: &mut tonic::Streaming<pb::Event>,
    job: &str,
    kind: pb::execution_event::Kind,
) -> pb::ExecutionRecord {
    let deadline = tokio::time::Instant::now() + DEADLINE;
    loop {
        let ev = tokio::time::timeout_at(deadline, events.message())
            .await
            .unwrap_or_else(|_| panic!("no {kind:?} event for {job} in time"))
            .expect("stream ok")
            .expect("stream open");
        if let Some(pb::event::Event::Execution(e)) = ev.event
            && e.kind == kind as i32
            && let Some(r) = e.record
            && r.job_name == job
        {
            return r;
        }
    }
}

pub(crate) async fn finished_record(
    events: &mut tonic::Streaming<pb::Event>,
    job: &str,
) -> pb::ExecutionRecord {
    next_execution(events, job, pb::execution_event::Kind::Finished).await
}

/// A `Watch` stream of execution events only.
pub(crate) async fn watch_executions(m: &Master) -> tonic::Streaming<pb::Event> {
    EventServiceClient::new(m.channel.clone())
        .watch(pb::WatchRequest {
            executions: true,
            ..Default::default()
        })
        .await
        .expect("watch")
        .into_inner()
}

async fn wait_started(events: &mut tonic::Streaming<pb::Event>, job: &str) {
    next_execution(events, job, pb::execution_event::Kind::Started).await;
}

#[tokio::test]
async fn kill_and_timeout_stop_the_whole_process_tree() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    let mut events = watch_executions(&m).await;

    // Never scheduled (1 January); started by run-now, stopped by kill.
    let marker_kill = format!("30{}", std::process::id() % 1000 + 1000);
    let cmd = format!("sleep {marker_kill}1 & sleep {marker_kill}2; wait");
    save(&m, job("sleepy", "0 0 0 1 1 *", &cmd))
        .await
        .expect("save");
    let run = m
        .jobs()
        .run_job(pb::RunJobRequest {
            name: "sleepy".into(),
        })
        .await
        .expect("run");
    let execution_id = run.into_inner().execution_id;
    wait_started(&mut events, "sleepy").await;
    eventually_async("both sleeps running", DEADLINE, || async {
        (testkit::sleeps_with(&marker_kill).len() >= 2).then_some(())
    })
    .await;
    m.jobs()
        .kill_job(pb::KillJobRequest {
            name: "sleepy".into(),
        })
        .await
        .expect("kill");
    let rec = finished_record(&mut events, "sleepy").await;
    assert_eq!(
        rec.execution_id, execution_id,
        "run-now's id is the record's id"
    );
    assert_eq!(rec.status, pb::ExecutionStatus::Killed as i32);
    assert_eq!(rec.trigger, pb::Trigger::Manual as i32);
    assert!(
        testkit::sleeps_with(&marker_kill).is_empty(),
        "the process tree is gone"
    );

    let marker_to = format!("40{}", std::process::id() % 1000 + 1000);
    let mut j = job(
        "slow",
        "0 0 0 1 1 *",
        &format!("sleep {marker_to}1 & sleep {marker_to}2; wait"),
    );
    j.timeout_seconds = 1;
    save(&m, j).await.expect("save");
    m.jobs()
        .run_job(pb::RunJobRequest {
            name: "slow".into(),
        })
        .await
        .expect("run");
    let rec = finished_record(&mut events, "slow").await;
    assert_eq!(rec.status, pb::ExecutionStatus::Timeout as i32);
    assert!(rec.is_timeout);
    assert!(
        testkit::sleeps_with(&marker_to).is_empty(),
        "the process tree is gone"
    );
    m.stop().await;
}

#[tokio::test]
async fn the_embedded_worker_is_listed_online() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    let mut workers = WorkerServiceClient::new(m.channel.clone());
    let listed = eventually_async("the worker's first heartbeat", DEADLINE, || {
        let mut workers = workers.clone();
        async move {
            let w = workers
                .list_workers(pb::ListWorkersRequest {})
                .await
                .ok()?
                .into_inner()
                .workers;
            (!w.is_empty()).then_some(w)
        }
    })
    .await;
    assert_eq!(listed.len(), 1);
    let w = &listed[0];
    assert!(w.online);
    assert_eq!(w.capacity, 16);
    assert!(w.mem_usage > 0.0);
    let stats = workers
        .get_worker_stats(pb::GetWorkerStatsRequest {})
        .await
        .expect("stats");
    let stats = stats.into_inner().stats.expect("stats");
    assert_eq!((stats.total, stats.online, stats.offline), (1, 1, 0));
    m.stop().await;
}

#[tokio::test]
async fn tail_streams_the_output_of_a_running_execution_then_its_record() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    let mut events = watch_executions(&m).await;
    let gate = dir.path().join("gate");
    let cmd = format!(
        "echo before; while [ ! -f {g} ]; do sleep 0.05; done; echo after; echo oops >&2",
        g = gate.display()
    );
    save(&m, job("gated", "0 0 0 1 1 *", &cmd))
        .await
        .expect("save");

    // Nothing has run yet: a tail without --follow has nothing to show.
    let err = LogServiceClient::new(m.channel.clone())
        .tail_log(pb::TailLogRequest {
            job_name: "gated".into(),
            follow: false,
        })
        .await
        .expect_err("no executions yet");
    assert_eq!(err.code(), Code::NotFound);

    m.jobs()
        .run_job(pb::RunJobRequest {
            name: "gated".into(),
        })
        .await
        .expect("run");
    wait_started(&mut events, "gated").await;
    // The hub marks a run as running before it announces the start, so the tail finds it.
    let mut tail = LogServiceClient::new(m.channel.clone())
        .tail_log(pb::TailLogRequest {
            job_name: "gated".into(),
            follow: false,
        })
        .await
        .expect("tail")
        .into_inner();
    let first = tokio::time::timeout(DEADLINE, tail.message())
        .await
        .expect("in time");
    let first = first.expect("ok").expect("an item");
    assert!(
        matches!(first.item, Some(pb::tail_log_response::Item::Started(_))),
        "{first:?}"
    );

    // Released only now, so "after" is produced while the tail is attached.
    std::fs::write(&gate, b"").expect("open the gate");
    let (mut stdout, mut stderr, mut finished) = (Vec::new(), Vec::new(), None);
    while let Some(msg) = tokio::time::timeout(DEADLINE, tail.message())
        .await
        .expect("in time")
        .expect("stream ok")
    {
        match msg.item {
            Some(pb::tail_log_response::Item::Output(c))
                if c.stream == pb::OutputStream::Stderr as i32 =>
            {
                stderr.extend(c.data)
            }
            Some(pb::tail_log_response::Item::Output(c)) => stdout.extend(c.data),
            Some(pb::tail_log_response::Item::Finished(r)) => finished = Some(r),
            other => panic!("unexpected {other:?}"),
        }
    }
    // "before" may have been printed before the tail attached; "after" came while attached.
    let stdout = String::from_utf8_lossy(&stdout);
    assert!(
        stdout == "after\n" || stdout == "before\nafter\n",
        "{stdout:?}"
    );
    assert_eq!(String::from_utf8_lossy(&stderr), "oops\n");
    let rec = finished.expect("the stream ends with the record");
    assert_eq!(rec.status, pb::ExecutionStatus::Success as i32);
    assert_eq!(
        rec.output, "before\nafter\n",
        "the record has all of the output"
    );

    // Nothing running now: the latest record, then the end.
    let mut tail = LogServiceClient::new(m.channel.clone())
        .tail_log(pb::TailLogRequest {
            job_name: "gated".into(),
            follow: false,
        })
        .await
        .expect("tail")
        .into_inner();
    let only = tail.message().await.expect("ok").expect("one item");
    assert!(
        matches!(only.item, Some(pb::tail_log_response::Item::Finished(ref r)) if r.execution_id == rec.execution_id)
    );
    assert!(tail.message().await.expect("ok").is_none());

    let missing = LogServiceClient::new(m.channel.clone())
        .tail_log(pb::TailLogRequest {
            job_name: "nope".into(),
            follow: true,
        })
        .await
        .expect_err("no such job");
    assert_eq!(missing.code(), Code::NotFound);
    m.stop().await;
}

#[tokio::test]
async fn info_reports_version_mode_and_zone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    let info = schedd_proto::v1::info_service_client::InfoServiceClient::new(m.channel.clone())
        .get_info(pb::GetInfoRequest {})
        .await
        .expect("info")
        .into_inner();
    assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(info.mode, "embedded");
    assert_eq!(info.default_timezone, "UTC");
    assert!(info.started_at.is_some());
    m.stop().await;
}

/// `GET path` on a blocking thread; the test's runtime goes on serving the master.
async fn http_get(m: &Master, path: &'static str) -> testkit::http::Answer {
    let addr = m.addr;
    tokio::task::spawn_blocking(move || testkit::http::get(addr, path))
        .await
        .expect("join")
}

/// `/metrics`, parsed by a strict OpenMetrics parser (the whole exposition must be valid).
async fn scrape(m: &Master) -> testkit::openmetrics::Exposition {
    let answer = http_get(m, "/metrics").await;
    assert_eq!(answer.status, 200, "/metrics");
    assert_eq!(
        answer.header("content-type"),
        Some(schedd_worker::metrics::CONTENT_TYPE)
    );
    let text = String::from_utf8(answer.body).expect("utf-8");
    testkit::openmetrics::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// `/metrics` is valid OpenMetrics with every metric documented, and moves as a job runs:
/// the fire lag histogram and the success counters (the worker's and the master's) grow
/// between two scrapes. `/healthz` and `/readyz` answer 200. All three need no token, on a
/// master that requires tokens for everything else.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_move_as_a_job_runs_and_health_and_readiness_answer_without_a_token() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (tokens, plain) = access::tokens(dir.path());
    let admin = access::token(&plain, schedd_master::auth::Role::Admin);
    let mut cfg = DevConfig::new(dir.path());
    cfg.tokens = tokens;
    let m = Master::start_with(cfg).await;

    let first = scrape(&m).await;
    for name in [
        "schedd_build",
        "schedd_fire_lag_seconds",
        "schedd_executions",
        "schedd_running_executions",
        "schedd_runs_waiting_for_slot",
        "schedd_claims",
        "schedd_ticks_skipped",
        "schedd_ticks_lost",
        "schedd_spool_records",
        "schedd_spool_oldest_record_age_seconds",
        "schedd_record_queue_bytes",
        "schedd_master_executions",
        "schedd_master_running_executions",
    ] {
        let family = first
            .families
            .get(name)
            .unwrap_or_else(|| panic!("no family {name}"));
        assert!(
            family.help.as_deref().is_some_and(|h| !h.is_empty()),
            "{name} has no HELP"
        );
    }
    assert_eq!(
        first.value(
            "schedd_build_info",
            &[("version", env!("CARGO_PKG_VERSION"))]
        ),
        Some(1.0)
    );

    let mut job = pb::SaveJobRequest {
        job: Some(job("ticking", "* * * * * *", "true")),
        expected_revision: None,
    };
    let mut request = tonic::Request::new(std::mem::take(&mut job));
    request.metadata_mut().insert(
        "authorization",
        format!("Bearer {admin}").parse().expect("header value"),
    );
    m.jobs().save_job(request).await.expect("save");

    // (fire lag count, worker's successes, master's successes)
    let counts = |e: &testkit::openmetrics::Exposition| {
        let get = |name, labels: &[(&str, &str)]| e.value(name, labels).unwrap_or(0.0);
        (
            get("schedd_fire_lag_seconds_count", &[]),
            get("schedd_executions_total", &[("status", "success")]),
            get("schedd_master_executions_total", &[("status", "success")]),
        )
    };
    let deadline = Duration::from_secs(60);
    let before = testkit::eventually_async("a first run to be counted", deadline, || async {
        let c = counts(&scrape(&m).await);
        (c.0 >= 1.0 && c.1 >= 1.0 && c.2 >= 1.0).then_some(c)
    })
    .await;
    testkit::eventually_async("later runs to be counted", deadline, || async {
        let c = counts(&scrape(&m).await);
        (c.0 > before.0 && c.1 > before.1 && c.2 > before.2).then_some(())
    })
    .await;

    let health = http_get(&m, "/healthz").await;
    assert_eq!((health.status, health.body.as_slice()), (200, &b"ok\n"[..]));
    let ready = http_get(&m, "/readyz").await;
    assert_eq!(ready.status, 200);
    assert_eq!(
        ready.json(),
        serde_json::json!({"ready": true, "checks": {"jobStore": "ok", "logStore": "ok"}})
    );
    m.stop().await;
}

/// A Python gRPC client with no .proto file (`tests/api/reflection.py`, on grpcio-reflection,
/// which speaks only `grpc.reflection.v1alpha`) lists the services and calls ListJobs with
/// the request it built from the reflected descriptors.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_python_client_without_protos_lists_and_calls_through_reflection_v1alpha() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_path_buf();
    let python = root.join("target/tools/venv/bin/python");
    let has_packages = std::process::Command::new(&python)
        .args(["-c", "import grpc, grpc_reflection.v1alpha"])
        .output()
        .is_ok_and(|out| out.status.success());
    assert!(
        has_packages,
        "{} lacks grpcio and grpcio-reflection: run scripts/bootstrap",
        python.display()
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    save(&m, job("reflected", "0 0 * * * *", "true"))
        .await
        .expect("save");
    save(&m, job("other", "0 0 * * * *", "true"))
        .await
        .expect("save");
    let out = tokio::process::Command::new(&python)
        .arg("tests/api/reflection.py")
        .arg(m.addr.to_string())
        .arg("reflected")
        .current_dir(&root)
        .kill_on_drop(true)
        .output()
        .await
        .expect("run python");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{}\n{stdout}\n{stderr}", out.status);
    let got: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON object");
    let services: Vec<&str> = got["services"]
        .as_array()
        .expect("services")
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    for service in [
        "schedd.v1.JobService",
        "schedd.v1.LogService",
        "grpc.reflection.v1alpha.ServerReflection",
    ] {
        assert!(services.contains(&service), "no {service} in {services:?}");
    }
    let jobs = got["jobs"].as_array().expect("jobs");
    assert_eq!(jobs.len(), 1, "the keyword filters: {jobs:?}");
    assert_eq!(jobs[0]["name"], "reflected");
    assert_eq!(jobs[0]["cronExpr"], "0 0 * * * *");
    m.stop().await;
}

/// Regression: a Watch client that stopped reading held the server's graceful shutdown
/// open for ever once its stream's buffers were full.
#[tokio::test]
async fn a_watcher_that_stops_reading_does_not_hold_up_shutdown() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    let _stalled = EventServiceClient::new(m.channel.clone())
        .watch(pb::WatchRequest {
            jobs: true,
            ..Default::default()
        })
        .await
        .expect("watch")
        .into_inner();
    // Enough job events to fill the stream's channel and HTTP/2 window many times over.
    let description = "d".repeat(4000);
    for i in 0..600 {
        let mut j = job(&format!("j{i}"), "0 0 0 1 1 *", "true");
        j.description = description.clone();
        save(&m, j).await.expect("save");
    }
    m.shutdown.cancel();
    tokio::time::timeout(DEADLINE, m.task)
        .await
        .expect("the master stops in time")
        .expect("join")
        .expect("clean stop");
}

#[tokio::test]
async fn a_failed_run_is_retried_with_a_record_per_attempt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    let mut always = job("always-fails", "0 0 0 1 1 *", "echo try; exit 3");
    always.retries = 2;
    always.retry_backoff_ms = 10;
    save(&m, always).await.expect("save");
    // Fails once, then succeeds: the flag file survives between attempts.
    let flag = dir.path().join("flag");
    let mut flaky = job(
        "flaky",
        "0 0 0 1 1 *",
        &format!(
            "test -f {f} || {{ touch {f}; exit 1; }}",
            f = flag.display()
        ),
    );
    flaky.retries = 5;
    flaky.retry_backoff_ms = 10;
    save(&m, flaky).await.expect("save");
    m.jobs()
        .run_job(pb::RunJobRequest {
            name: "always-fails".into(),
        })
        .await
        .expect("run");
    m.jobs()
        .run_job(pb::RunJobRequest {
            name: "flaky".into(),
        })
        .await
        .expect("run");

    let recs = eventually_async("three attempts", DEADLINE, || async {
        let recs = records(&m, "always-fails").await;
        (recs.len() >= 3).then_some(recs)
    })
    .await;
    let mut attempts: Vec<_> = recs
        .iter()
        .map(|r| (r.attempt, r.trigger, r.status, r.exit_code))
        .collect();
    attempts.sort();
    let failed = pb::ExecutionStatus::Failed as i32;
    assert_eq!(
        attempts,
        vec![
            (1, pb::Trigger::Manual as i32, failed, 3),
            (2, pb::Trigger::Retry as i32, failed, 3),
            (3, pb::Trigger::Retry as i32, failed, 3),
        ]
    );
    let ids: std::collections::BTreeSet<_> = recs.iter().map(|r| r.execution_id.clone()).collect();
    assert_eq!(ids.len(), 3, "each attempt has its own execution id");
    let plans: std::collections::BTreeSet<_> = recs
        .iter()
        .map(|r| r.plan_time.expect("plan").seconds)
        .collect();
    assert_eq!(plans.len(), 1, "every attempt belongs to the same tick");

    // Filters: by status, and by start time.
    let filtered = |status: pb::ExecutionStatus, since: Option<prost_types::Timestamp>| {
        let mut logs = m.logs();
        async move {
            logs.list_logs(pb::ListLogsRequest {
                job_name: "always-fails".into(),
                status: status as i32,
                since,
                ..Default::default()
            })
            .await
            .expect("list")
            .into_inner()
            .total
        }
    };
    assert_eq!(filtered(pb::ExecutionStatus::Failed, None).await, 3);
    assert_eq!(filtered(pb::ExecutionStatus::Success, None).await, 0);
    let future = prost_types::Timestamp {
        seconds: 4_000_000_000,
        nanos: 0,
    };
    assert_eq!(
        filtered(pb::ExecutionStatus::Unspecified, Some(future)).await,
        0
    );
    let bad = m
        .logs()
        .list_logs(pb::ListLogsRequest {
            status: 99,
            ..Default::default()
        })
        .await
        .expect_err("unknown status");
    assert_eq!(bad.code(), Code::InvalidArgument);

    let recs = eventually_async("the flaky job to succeed", DEADLINE, || async {
        let recs = records(&m, "flaky").await;
        recs.iter()
            .any(|r| r.status == pb::ExecutionStatus::Success as i32)
            .then_some(recs)
    })
    .await;
    let mut got: Vec<_> = recs.iter().map(|r| (r.attempt, r.status)).collect();
    got.sort();
    assert_eq!(
        got,
        vec![(1, failed), (2, pb::ExecutionStatus::Success as i32)],
        "no retry after success"
    );
    m.stop().await;
}

#[tokio::test]
async fn retention_keeps_only_the_newest_records_of_each_job() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    save(&m, job("often", "* * * * * *", "true"))
        .await
        .expect("save");
    eventually_async("three runs", DEADLINE, || async {
        (records(&m, "often").await.len() >= 3).then_some(())
    })
    .await;
    m.jobs()
        .disable_job(pb::DisableJobRequest {
            name: "often".into(),
        })
        .await
        .expect("disable");
    m.stop().await;

    // Retention is applied when the master starts, then hourly.
    let mut cfg = DevConfig::new(dir.path());
    cfg.retention = schedd_core::store::Retention {
        max_age_days: None,
        keep_per_job: Some(1),
    };
    let m = Master::start_with(cfg).await;
    let kept = eventually_async("the older records to go", DEADLINE, || async {
        let recs = records(&m, "often").await;
        (recs.len() == 1).then_some(recs)
    })
    .await;
    let stats = m
        .logs()
        .get_log_stats(pb::GetLogStatsRequest {
            job_name: "often".into(),
            days: 1,
        })
        .await
        .expect("stats")
        .into_inner()
        .stats
        .expect("stats");
    assert_eq!(stats.total, 1);
    assert_eq!(stats.last_run, kept[0].start_time, "the newest one is kept");
    m.stop().await;
}

/// A REST call on a blocking thread; the test's runtime goes on serving the master.
pub(crate) async fn rest(
    m: &Master,
    method: &'static str,
    path: &str,
    body: Option<serde_json::Value>,
) -> serde_json::Value {
    let (addr, path) = (m.addr, path.to_owned());
    tokio::task::spawn_blocking(move || {
        let body = body.map(|b| b.to_string().into_bytes());
        let answer = testkit::http::request(addr, method, &path, body.as_deref());
        assert_eq!(answer.status, 200, "{method} {path}");
        answer.json()
    })
    .await
    .expect("REST call")
}

/// The `data` of a successful REST answer.
pub(crate) async fn rest_data(
    m: &Master,
    method: &'static str,
    path: &str,
    body: Option<serde_json::Value>,
) -> serde_json::Value {
    let answer = rest(m, method, path, body).await;
    assert_eq!(answer["code"], 0, "{method} {path}: {answer}");
    answer["data"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn grpc_and_rest_give_the_same_jobs_records_and_stats() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    // One job saved through each API.
    rest_data(
        &m,
        "POST",
        "/api/v1/job/save",
        Some(serde_json::json!({"name": "via-rest", "command": "echo rest", "cronExpr": "* * * * * *"})),
    )
    .await;
    save(&m, job("via-grpc", "* * * * * *", "echo grpc; exit 3"))
        .await
        .expect("save");
    for name in ["via-rest", "via-grpc"] {
        eventually_async(&format!("two records of {name}"), DEADLINE, || async {
            (records(&m, name).await.len() >= 2).then_some(())
        })
        .await;
    }
    // Freeze what there is to compare: no more runs.
    for name in ["via-rest", "via-grpc"] {
        rest_data(&m, "POST", &format!("/api/v1/job/disable/{name}"), None).await;
    }
    eventually_async("no run going on", DEADLINE, || async {
        let running = rest_data(&m, "GET", "/api/v1/job/running", None).await;
        (running.as_array().is_some_and(Vec::is_empty)).then_some(())
    })
    .await;
    // Jobs.
    let via_grpc = m
        .jobs()
        .list_jobs(pb::ListJobsRequest::default())
        .await
        .expect("list")
        .into_inner()
        .jobs;
    let via_rest = rest_data(&m, "GET", "/api/v1/job/list", None).await;
    let via_rest = via_rest.as_array().expect("array");
    assert_eq!(via_grpc.len(), via_rest.len());
    for (g, r) in via_grpc.iter().zip(via_rest) {
        assert_eq!(r["name"], g.name.as_str());
        assert_eq!(r["command"], g.command.as_str());
        assert_eq!(r["cronExpr"], g.cron_expr.as_str());
        assert_eq!(r["timezone"], g.timezone.as_str());
        assert_eq!(r["disabled"], g.disabled);
        assert_eq!(
            r["updatedAt"],
            g.updated_at.as_ref().map_or(0, |t| t.seconds)
        );
    }
    for name in ["via-rest", "via-grpc"] {
        // Records, newest first, page by page.
        for page in [1, 2] {
            let g = m
                .logs()
                .list_logs(pb::ListLogsRequest {
                    job_name: name.into(),
                    page,
                    page_size: 1,
                    ..Default::default()
                })
                .await
                .expect("list logs")
                .into_inner();
            let r = rest_data(
                &m,
                "GET",
                &format!("/api/v1/log/list?jobName={name}&page={page}&pageSize=1"),
                None,
            )
            .await;
            assert_eq!(r["total"], g.total);
            assert_eq!(
                (r["page"].clone(), r["size"].clone()),
                (g.page.into(), g.page_size.into())
            );
            let (g, r) = (&g.records[0], &r["logs"][0]);
            assert_eq!(r["executionId"], g.execution_id.as_str());
            assert_eq!(r["output"], g.output.as_str());
            assert_eq!(r["exitCode"], g.exit_code);
            assert_eq!(
                r["startTimeMs"],
                schedd_proto::ms_from_ts(g.start_time.as_ref())
            );
            assert_eq!(
                r["startTime"],
                g.start_time.as_ref().map_or(0, |t| t.seconds)
            );
        }
        // The latest record, and the record found by its start second.
        let latest = m
            .logs()
            .get_latest_log(pb::GetLatestLogRequest {
                job_name: name.into(),
            })
            .await
            .expect("latest")
            .into_inner()
            .record
            .expect("record");
        let r = rest_data(&m, "GET", &format!("/api/v1/log/{name}"), None).await;
        assert_eq!(r["executionId"], latest.execution_id.as_str());
        let second = latest.start_time.as_ref().map_or(0, |t| t.seconds);
        let r = rest_data(&m, "GET", &format!("/api/v1/log/{name}/{second}"), None).await;
        assert_eq!(r["executionId"], latest.execution_id.as_str());
        // Stats.
        let g = m
            .logs()
            .get_log_stats(pb::GetLogStatsRequest {
                job_name: name.into(),
                days: 3,
            })
            .await
            .expect("stats")
            .into_inner()
            .stats
            .expect("stats");
        let r = rest_data(&m, "GET", &format!("/api/v1/log/stats/{name}?days=3"), None).await;
        assert_eq!(r["totalCount"], g.total);
        assert_eq!(r["successCount"], g.success);
        assert_eq!(r["failCount"], g.total - g.success);
        assert_eq!(r["period"], g.days);
        let avg = r["avgDuration"].as_f64().expect("float");
        assert!(
            (avg * 1000.0 - g.avg_duration_ms).abs() < 1e-6,
            "{avg} s vs {} ms",
            g.avg_duration_ms
        );
    }
    // Workers.
    let g = WorkerServiceClient::new(m.channel.clone())
        .list_workers(pb::ListWorkersRequest {})
        .await
        .expect("workers")
        .into_inner()
        .workers;
    let r = rest_data(&m, "GET", "/api/v1/worker/list", None).await;
    assert_eq!(r.as_array().map(Vec::len), Some(g.len()));
    assert_eq!(r[0]["ip"], g[0].worker_id.as_str());
    assert_eq!(
        r[0]["status"],
        if g[0].online { "online" } else { "offline" }
    );
    // Next fire times.
    let g = m
        .jobs()
        .next_fire_times(pb::NextFireTimesRequest {
            cron_expr: "0 */5 * * * *".into(),
            count: 3,
            ..Default::default()
        })
        .await
        .expect("next")
        .into_inner();
    let r = rest_data(
        &m,
        "GET",
        "/api/v1/job/next?cronExpr=0+*/5+*+*+*+*&count=3",
        None,
    )
    .await;
    let secs: Vec<i64> = g.times.iter().map(|t| t.seconds).collect();
    assert_eq!(r["times"], serde_json::json!(secs));
    // The same errors, each in its API's terms.
    let missing = m
        .jobs()
        .get_job(pb::GetJobRequest {
            name: "nope".into(),
        })
        .await
        .expect_err("missing");
    assert_eq!(missing.code(), Code::NotFound);
    let r = rest(&m, "GET", "/api/v1/job/nope", None).await;
    assert_eq!(
        (r["code"].clone(), r["message"].clone()),
        (1002.into(), missing.message().into())
    );
    let bad = m
        .jobs()
        .get_job(pb::GetJobRequest {
            name: "a..b/c".into(),
        })
        .await
        .expect_err("bad name");
    assert_eq!(bad.code(), Code::InvalidArgument);
    let r = rest(&m, "DELETE", "/api/v1/job/-x", None).await;
    assert_eq!(r["code"], 1001, "{r}");
    m.stop().await;
}

/// Runs a browser test script of `web/tests` against the master at `addr` with `env`, and
/// checks it ran steps and all passed. Screenshots of each step stay in `target/e2e/<script>`
/// as CI artefacts. `scripts/bootstrap` installs Node, Chromium and the UI's packages, and builds
/// the UI. What the browser test printed goes to the test's log.
#[allow(clippy::print_stdout)]
async fn browser_test(script: &str, addr: std::net::SocketAddr, env: &[(&str, &str)]) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_owned();
    for needed in ["web/dist/index.html", "web/node_modules/playwright-core"] {
        assert!(
            root.join(needed).exists(),
            "{needed} is missing: run scripts/bootstrap, which builds the UI and installs its packages"
        );
    }
    let out = tokio::process::Command::new("node")
        .arg(format!("web/tests/{script}"))
        .current_dir(&root)
        .env("SCHEDD_URL", format!("http://{addr}"))
        .env(
            "SCREENSHOT_DIR",
            root.join("target/e2e")
                .join(script.trim_end_matches(".mjs")),
        )
        .envs(env.iter().copied())
        .kill_on_drop(true)
        .output()
        .await
        .expect("node runs (scripts/bootstrap installs it)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{text}");
    assert!(out.status.success(), "the browser test failed:\n{text}");
    let last = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    assert!(
        last.ends_with(" 0 failed") && !last.starts_with("0 passed"),
        "no browser step ran, or one failed: {last}"
    );
}

/// The web UI in a real browser (headless Chromium through playwright-core): a job created
/// in the UI runs live, its output opens, an edit made from a stale read is refused, it is
/// disabled and deleted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_web_ui_creates_runs_shows_disables_and_deletes_a_job() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    browser_test("e2e.mjs", m.addr, &[]).await;
    m.stop().await;
}

/// The web UI against a master that requires tokens: it asks for one, refuses a wrong one,
/// lets an admin create a job, and shows a viewer the master's refusal to delete it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_web_ui_signs_in_with_a_token_and_shows_what_its_role_may_not_do() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (tokens, plain) = access::tokens(dir.path());
    let token = |role| access::token(&plain, role);
    let mut cfg = DevConfig::new(dir.path());
    cfg.tokens = tokens;
    let m = Master::start_with(cfg).await;
    let (viewer, admin) = (
        token(schedd_master::auth::Role::Viewer),
        token(schedd_master::auth::Role::Admin),
    );
    browser_test(
        "e2e-auth.mjs",
        m.addr,
        &[
            ("VIEWER_TOKEN", viewer.as_str()),
            ("ADMIN_TOKEN", admin.as_str()),
        ],
    )
    .await;
    m.stop().await;
}

/// Two people editing one job in the web UI: the second save, made from the job as it was
/// before the first, is refused instead of overwriting it (the ETag of `GET /job/{name}`,
/// sent back as `If-Match`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rest_save_with_a_stale_etag_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    let addr = m.addr;
    tokio::task::spawn_blocking(move || {
        use testkit::http::{get, request_with};
        let body = |command: &str| {
            serde_json::json!({"name": "shared", "command": command, "cronExpr": "0 0 0 1 1 *"})
                .to_string()
                .into_bytes()
        };
        let code = |a: &testkit::http::Answer| a.json()["code"].clone();
        let created = request_with(
            addr,
            "POST",
            "/api/v1/job/save",
            &[("If-None-Match", "*")],
            Some(&body("a")),
        );
        assert_eq!(code(&created), 0, "{:?}", created.json());
        let again = request_with(
            addr,
            "POST",
            "/api/v1/job/save",
            &[("If-None-Match", "*")],
            Some(&body("b")),
        );
        assert_eq!(
            code(&again),
            1000,
            "create-only on an existing job: {:?}",
            again.json()
        );
        let read = get(addr, "/api/v1/job/shared");
        let etag = read
            .header("etag")
            .expect("GET /job/:name sends an ETag")
            .to_owned();
        assert_eq!(Some(etag.as_str()), created.header("etag"));
        // The first editor saves from what they read…
        let first = request_with(
            addr,
            "POST",
            "/api/v1/job/save",
            &[("If-Match", &etag)],
            Some(&body("first")),
        );
        assert_eq!(code(&first), 0, "{:?}", first.json());
        assert_ne!(
            first.header("etag"),
            Some(etag.as_str()),
            "a save gives a new revision"
        );
        // …the second, from the same old read, is refused and stores nothing.
        let second = request_with(
            addr,
            "POST",
            "/api/v1/job/save",
            &[("If-Match", &etag)],
            Some(&body("second")),
        );
        assert_eq!(code(&second), 1000, "{:?}", second.json());
        assert_eq!(
            get(addr, "/api/v1/job/shared").json()["data"]["command"],
            "first"
        );
        let bad = request_with(
            addr,
            "POST",
            "/api/v1/job/save",
            &[("If-Match", "yesterday")],
            Some(&body("x")),
        );
        assert_eq!(code(&bad), 1001, "{:?}", bad.json());
        assert!(
            bad.json()["message"]
                .as_str()
                .unwrap_or("")
                .starts_with("If-Match:")
        );
    })
    .await
    .expect("REST calls");
    m.stop().await;
}

// ---- Who may call what -------------------------------------------------------------------

pub(crate) mod access {
    use schedd_master::auth::{Role, TokenEntry, TokenFile, Tokens, hash_token, new_token};

    /// What each gRPC method needs, written out here independently of the server's table.
    /// A method the API has and this table lacks fails the test.
    pub const GRPC: &[(&str, Option<Role>)] = &[
        ("schedd.v1.JobService/SaveJob", Some(Role::Admin)),
        ("schedd.v1.JobService/DeleteJob", Some(Role::Admin)),
        ("schedd.v1.JobService/ListJobs", Some(Role::Viewer)),
        ("schedd.v1.JobService/GetJob", Some(Role::Viewer)),
        ("schedd.v1.JobService/KillJob", Some(Role::Operator)),
        ("schedd.v1.JobService/DisableJob", Some(Role::Operator)),
        ("schedd.v1.JobService/EnableJob", Some(Role::Operator)),
        ("schedd.v1.JobService/RunJob", Some(Role::Operator)),
        ("schedd.v1.JobService/NextFireTimes", Some(Role::Viewer)),
        ("schedd.v1.LogService/ListLogs", Some(Role::Viewer)),
        ("schedd.v1.LogService/GetLatestLog", Some(Role::Viewer)),
        ("schedd.v1.LogService/GetLogStats", Some(Role::Viewer)),
        ("schedd.v1.LogService/TailLog", Some(Role::Viewer)),
        ("schedd.v1.IngestService/Ingest", Some(Role::Worker)),
        ("schedd.v1.RelayService/Relay", Some(Role::Worker)),
        ("schedd.v1.WorkerService/ListWorkers", Some(Role::Viewer)),
        ("schedd.v1.WorkerService/GetWorkerStats", Some(Role::Viewer)),
        ("schedd.v1.InfoService/GetInfo", Some(Role::Viewer)),
        ("schedd.v1.EventService/Watch", Some(Role::Viewer)),
        ("schedd.v1.AuditService/ListAudit", Some(Role::Viewer)),
        ("grpc.health.v1.Health/Check", None),
    ];

    /// What each REST route needs (`None`: anyone), by method and OpenAPI path.
    pub const REST: &[(&str, &str, Option<Role>)] = &[
        ("post", "/job/save", Some(Role::Admin)),
        ("delete", "/job/{name}", Some(Role::Admin)),
        ("get", "/job/list", Some(Role::Viewer)),
        ("get", "/job/{name}", Some(Role::Viewer)),
        ("post", "/job/kill/{name}", Some(Role::Operator)),
        ("post", "/job/disable/{name}", Some(Role::Operator)),
        ("post", "/job/enable/{name}", Some(Role::Operator)),
        ("post", "/job/run/{name}", Some(Role::Operator)),
        ("get", "/job/running", Some(Role::Viewer)),
        ("get", "/job/next", Some(Role::Viewer)),
        ("get", "/job/next/{name}", Some(Role::Viewer)),
        ("get", "/log/list", Some(Role::Viewer)),
        ("get", "/log/running", Some(Role::Viewer)),
        ("get", "/log/{name}", Some(Role::Viewer)),
        ("get", "/log/{name}/{timestamp}", Some(Role::Viewer)),
        ("get", "/log/stats/{name}", Some(Role::Viewer)),
        ("get", "/log/stats/all", Some(Role::Viewer)),
        ("get", "/log/tail/{name}", Some(Role::Viewer)),
        ("get", "/worker/list", Some(Role::Viewer)),
        ("get", "/worker/stats", Some(Role::Viewer)),
        ("get", "/events", Some(Role::Viewer)),
        ("get", "/info", Some(Role::Viewer)),
        ("get", "/audit/list", Some(Role::Viewer)),
        ("get", "/openapi.json", None),
    ];

    /// A tokens file with one token per role; the tokens by role.
    pub fn tokens(dir: &std::path::Path) -> (Tokens, Vec<(Role, String)>) {
        let mut file = TokenFile::default();
        let mut plain = Vec::new();
        for role in Role::ALL {
            let token = new_token();
            file.tokens.push(TokenEntry {
                name: format!("t-{role}"),
                role,
                sha256: hash_token(&token),
                created_at: 0,
                created_by: String::new(),
            });
            plain.push((role, token));
        }
        let path = dir.join("tokens.json");
        file.save(&path).expect("tokens file");
        (Tokens::from_file(path).expect("tokens"), plain)
    }

    /// The token of `role` among those [`tokens`] made.
    pub fn token(plain: &[(Role, String)], role: Role) -> String {
        plain
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, t)| t.clone())
            .expect("a token of every role")
    }

    /// What a caller with `role` (none: no token) must get for something that needs
    /// `needed`: `Ok` when let through, else whether it is unauthenticated (vs forbidden).
    pub fn expect(role: Option<Role>, needed: Option<Role>) -> Result<(), bool> {
        match (needed, role) {
            (None, _) => Ok(()),
            (Some(_), None) => Err(true),
            (Some(n), Some(r)) if r.allows(n) => Ok(()),
            (Some(_), Some(_)) => Err(false),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_grpc_method_and_rest_route_lets_through_exactly_the_roles_its_rule_names() {
    use prost::Message;
    let dir = tempfile::tempdir().expect("tempdir");
    let (tokens, plain) = access::tokens(dir.path());
    let mut cfg = DevConfig::new(dir.path());
    cfg.tokens = tokens;
    let m = Master::start_with(cfg).await;
    let callers: Vec<(Option<schedd_master::auth::Role>, Option<String>)> =
        std::iter::once((None, None))
            .chain(plain.iter().map(|(r, t)| (Some(*r), Some(t.clone()))))
            .collect();

    // Every method of the API has a line in the table above.
    let set = prost_types::FileDescriptorSet::decode(schedd_proto::v1::FILE_DESCRIPTOR_SET)
        .expect("descriptor set");
    let mut methods = Vec::new();
    for file in &set.file {
        for service in &file.service {
            for method in &service.method {
                let path = format!("{}.{}/{}", file.package(), service.name(), method.name());
                methods.push((path, method.client_streaming(), method.server_streaming()));
            }
        }
    }
    for (path, ..) in &methods {
        assert!(
            access::GRPC.iter().any(|(p, _)| p == path),
            "gRPC method {path} has no line in the access table: give it a rule (schedd-master/src/auth.rs) and a line here"
        );
    }
    methods.push(("grpc.health.v1.Health/Check".into(), false, false));
    for (path, client_streaming, server_streaming) in &methods {
        let needed = access::GRPC
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, r)| *r)
            .expect("listed");
        for (role, token) in &callers {
            let mut grpc = tonic::client::Grpc::new(m.channel.clone());
            grpc.ready().await.expect("ready");
            let mut req = tonic::Request::new(());
            if let Some(t) = token {
                req.metadata_mut().insert(
                    "authorization",
                    format!("Bearer {t}").parse().expect("header"),
                );
            }
            let route: tonic::codegen::http::uri::PathAndQuery =
                format!("/{path}").parse().expect("path");
            let codec = tonic_prost::ProstCodec::<(), ()>::default();
            let got = if *client_streaming {
                let (parts_md, ext, ()) = req.into_parts();
                let stream = tonic::Request::from_parts(parts_md, ext, tokio_stream::empty::<()>());
                grpc.client_streaming(stream, route, codec)
                    .await
                    .map(|_| ())
            } else if *server_streaming {
                grpc.server_streaming(req, route, codec).await.map(|_| ())
            } else {
                grpc.unary(req, route, codec).await.map(|_| ())
            };
            let code = got.err().map(|s| s.code());
            match access::expect(*role, needed) {
                Ok(()) => assert!(
                    !matches!(code, Some(Code::Unauthenticated | Code::PermissionDenied)),
                    "{path} as {role:?}: let through expected, got {code:?}"
                ),
                Err(true) => assert_eq!(code, Some(Code::Unauthenticated), "{path} as {role:?}"),
                Err(false) => assert_eq!(code, Some(Code::PermissionDenied), "{path} as {role:?}"),
            }
        }
    }

    // Every route of the REST API has a line in the table above.
    let doc: serde_json::Value =
        serde_json::from_str(&schedd_master::rest::openapi::json()).expect("document");
    let mut routes = Vec::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for method in ops.as_object().expect("operations").keys() {
            routes.push((method.clone(), path.clone()));
        }
    }
    assert!(routes.len() >= 20, "{routes:?}");
    for (method, path) in &routes {
        assert!(
            access::REST
                .iter()
                .any(|(m, p, _)| m == method && p == path),
            "REST route {method} {path} has no line in the access table: give it a rule (schedd-master/src/auth.rs) and a line here"
        );
    }
    let addr = m.addr;
    let callers_rest = callers.clone();
    tokio::task::spawn_blocking(move || {
        for (method, path) in routes {
            let needed = access::REST
                .iter()
                .find(|(m, p, _)| *m == method && *p == path)
                .map(|(_, _, r)| *r)
                .expect("listed");
            let concrete = format!(
                "/api/v1{}",
                path.replace("{name}", "nope").replace("{timestamp}", "1")
            );
            for (role, token) in &callers_rest {
                let auth = token.as_ref().map(|t| format!("Bearer {t}"));
                let headers: Vec<(&str, &str)> = auth
                    .as_deref()
                    .map(|a| ("Authorization", a))
                    .into_iter()
                    .collect();
                let status =
                    testkit::http::status_of(addr, &method.to_uppercase(), &concrete, &headers);
                match access::expect(*role, needed) {
                    Ok(()) => assert!(
                        status != 401 && status != 403,
                        "{method} {path} as {role:?}: let through expected, got {status}"
                    ),
                    Err(true) => assert_eq!(status, 401, "{method} {path} as {role:?}"),
                    Err(false) => assert_eq!(status, 403, "{method} {path} as {role:?}"),
                }
            }
        }
        // The web UI's page loads without a token (it asks for one); the event stream
        // takes one in its URL, as a browser's EventSource cannot set headers.
        assert_eq!(testkit::http::status_of(addr, "GET", "/", &[]), 200);
        let viewer = &callers_rest
            .iter()
            .find(|(r, _)| *r == Some(schedd_master::auth::Role::Viewer))
            .and_then(|(_, t)| t.clone())
            .expect("viewer token");
        assert_eq!(
            testkit::http::status_of(
                addr,
                "GET",
                &format!("/api/v1/events?access_token={viewer}"),
                &[]
            ),
            200
        );
        assert_eq!(
            testkit::http::status_of(addr, "GET", "/api/v1/events?access_token=wrong", &[]),
            401
        );
    })
    .await
    .expect("REST calls");
    m.stop().await;
}

/// Outside loopback the master refuses to start without tokens, and `--dev` never leaves
/// loopback.
#[test]
fn listening_beyond_loopback_without_tokens_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_schedd-master"))
            .args(args)
            .env_remove("SCHEDD_TOKENS_FILE")
            .env_remove("SCHEDD_INSECURE_NO_AUTH")
            .output()
            .expect("run schedd-master")
    };
    let data = dir.path().to_str().expect("utf-8");
    let out = run(&["--listen", "0.0.0.0:0", "--data-dir", data]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("refusing to listen on 0.0.0.0:0 without authentication")
            && err.contains("schedd-master token create"),
        "{err}"
    );
    let out = run(&["--dev", "--listen", "0.0.0.0:0", "--data-dir", data]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("--dev listens on loopback only"), "{err}");
}

/// A stream opened with a token does not outlive it: revoking the token ends the event
/// stream over SSE (the browser reconnects and is asked for a token) and `Watch` over gRPC
/// (with `UNAUTHENTICATED`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoking_a_token_ends_the_streams_it_opened() {
    use schedd_master::auth::{Role, TokenFile};
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().expect("tempdir");
    let (tokens, plain) = access::tokens(dir.path());
    let viewer = access::token(&plain, schedd_master::auth::Role::Viewer);
    let mut cfg = DevConfig::new(dir.path());
    cfg.tokens = tokens;
    let m = Master::start_with(cfg).await;
    // An event stream over SSE, read to its end on another thread.
    let mut sse = std::net::TcpStream::connect(m.addr).expect("connect");
    write!(
        sse,
        "GET /api/v1/events?access_token={viewer} HTTP/1.0\r\nHost: x\r\n\r\n"
    )
    .expect("request");
    let sse_done = tokio::task::spawn_blocking(move || {
        let mut all = Vec::new();
        let _ = sse.read_to_end(&mut all);
        String::from_utf8_lossy(&all).into_owned()
    });
    // And a gRPC Watch.
    let mut req = tonic::Request::new(pb::WatchRequest::default());
    req.metadata_mut().insert(
        "authorization",
        format!("Bearer {viewer}").parse().expect("header"),
    );
    let mut watch = EventServiceClient::new(m.channel.clone())
        .watch(req)
        .await
        .expect("watch opens")
        .into_inner();
    let first = watch.message().await.expect("first event");
    assert!(first.is_some(), "the watch opens with a resync");
    // Revoked the way `token revoke` does it.
    let path = dir.path().join("tokens.json");
    let mut file = TokenFile::load(&path).expect("tokens");
    file.tokens.retain(|t| t.role != Role::Viewer);
    file.save(&path).expect("save");
    let text = tokio::time::timeout(DEADLINE, sse_done)
        .await
        .expect("the event stream ends after the revocation")
        .expect("reader");
    assert!(
        text.starts_with("HTTP/1.0 200") || text.starts_with("HTTP/1.1 200"),
        "{text}"
    );
    assert!(text.contains("event: resync"), "{text}");
    let ended = tokio::time::timeout(DEADLINE, async {
        loop {
            match watch.message().await {
                Ok(Some(_)) => continue,
                Ok(None) => break None,
                Err(status) => break Some(status.code()),
            }
        }
    })
    .await
    .expect("the watch ends after the revocation");
    assert_eq!(ended, Some(Code::Unauthenticated));
    m.stop().await;
}

// ---- The audit trail ---------------------------------------------------------------------

/// `msg` as a gRPC request with `token` and the client name `client`.
pub(crate) fn as_caller<T>(msg: T, token: &str, client: &str) -> tonic::Request<T> {
    let mut req = tonic::Request::new(msg);
    req.metadata_mut().insert(
        "authorization",
        format!("Bearer {token}").parse().expect("header"),
    );
    req.metadata_mut()
        .insert("x-schedd-client", client.parse().expect("header"));
    req
}

async fn audit(m: &Master, token: &str, req: pb::ListAuditRequest) -> Vec<pb::AuditEntry> {
    schedd_proto::v1::audit_service_client::AuditServiceClient::new(m.channel.clone())
        .list_audit(as_caller(req, token, "test"))
        .await
        .expect("list audit")
        .into_inner()
        .entries
}

/// Every change made through the API is in the trail, newest first: who (the token's
/// name and role), from where, with which program, and the job before and after. A change
/// that fails is recorded as failed; a call refused for its role never reaches a change
/// and is not. gRPC and REST read the same trail, with the same filters.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_change_is_in_the_audit_trail_with_who_from_where_and_the_job_before_and_after() {
    use schedd_master::auth::Role;
    let dir = tempfile::tempdir().expect("tempdir");
    let (tokens, plain) = access::tokens(dir.path());
    let token = |role| access::token(&plain, role);
    let (admin, operator, viewer) = (
        token(Role::Admin),
        token(Role::Operator),
        token(Role::Viewer),
    );
    let mut cfg = DevConfig::new(dir.path());
    cfg.tokens = tokens;
    let m = Master::start_with(cfg).await;
    let jobs = || m.jobs();
    let save = |cron: &str, token: &str| {
        let mut j = job("nightly", cron, "echo audited");
        j.env.insert("API_KEY".into(), "s3cret-value".into());
        as_caller(
            pb::SaveJobRequest {
                job: Some(j),
                expected_revision: None,
            },
            token,
            "schedctl apply",
        )
    };
    jobs()
        .save_job(save("0 0 3 * * *", &admin))
        .await
        .expect("create");
    jobs()
        .save_job(save("0 0 4 * * *", &admin))
        .await
        .expect("change");
    let refused = jobs()
        .save_job(save("0 0 5 * * *", &viewer))
        .await
        .expect_err("a viewer may not save");
    assert_eq!(refused.code(), Code::PermissionDenied);
    let name = |n: &str| pb::DisableJobRequest { name: n.into() };
    jobs()
        .disable_job(as_caller(name("nightly"), &operator, "web"))
        .await
        .expect("disable");
    let run = jobs()
        .run_job(as_caller(
            pb::RunJobRequest {
                name: "nightly".into(),
            },
            &operator,
            "web",
        ))
        .await
        .expect("run")
        .into_inner()
        .execution_id;
    let missing = jobs()
        .delete_job(as_caller(
            pb::DeleteJobRequest {
                name: "nope".into(),
            },
            &admin,
            "schedctl job delete",
        ))
        .await
        .expect_err("no such job");
    assert_eq!(missing.code(), Code::NotFound);
    // Through REST, as the web UI does.
    let addr = m.addr;
    let admin2 = admin.clone();
    let deleted = tokio::task::spawn_blocking(move || {
        testkit::http::request_with(
            addr,
            "DELETE",
            "/api/v1/job/nightly",
            &[
                ("authorization", &format!("Bearer {admin2}")),
                ("x-schedd-client", "web"),
            ],
            None,
        )
        .json()
    })
    .await
    .expect("REST delete");
    assert_eq!(deleted["code"], 0, "{deleted}");

    let all = audit(
        &m,
        &viewer,
        pb::ListAuditRequest {
            page_size: 100,
            ..Default::default()
        },
    )
    .await;
    let trail: Vec<(i32, &str, &str, &str, i32)> = all
        .iter()
        .map(|e| {
            let actor = e.actor.as_ref().expect("actor");
            (
                e.action,
                e.target.as_str(),
                actor.name.as_str(),
                actor.client.as_str(),
                e.outcome,
            )
        })
        .collect();
    use pb::{AuditAction as A, AuditOutcome as O};
    assert_eq!(
        trail,
        [
            (
                A::Delete as i32,
                "nightly",
                "t-admin",
                "web",
                O::Done as i32
            ),
            (
                A::Delete as i32,
                "nope",
                "t-admin",
                "schedctl job delete",
                O::Failed as i32
            ),
            (
                A::Run as i32,
                "nightly",
                "t-operator",
                "web",
                O::Done as i32
            ),
            (
                A::Disable as i32,
                "nightly",
                "t-operator",
                "web",
                O::Done as i32
            ),
            (
                A::Save as i32,
                "nightly",
                "t-admin",
                "schedctl apply",
                O::Done as i32
            ),
            (
                A::Save as i32,
                "nightly",
                "t-admin",
                "schedctl apply",
                O::Done as i32
            ),
        ],
        "newest first; the viewer's refused save is not there"
    );
    for e in &all {
        let actor = e.actor.as_ref().expect("actor");
        assert!(
            actor.source.starts_with("127.0.0.1:"),
            "from where: {}",
            actor.source
        );
        assert!(!actor.role.is_empty() && e.at.is_some(), "{e:?}");
    }
    let cron = |j: &Option<pb::Job>| j.as_ref().map(|j| j.cron_expr.clone());
    let (change, create) = (&all[4], &all[5]);
    assert_eq!(cron(&create.before), None, "a new job has no before");
    assert_eq!(cron(&create.after).as_deref(), Some("0 0 3 * * *"));
    assert_eq!(cron(&change.before).as_deref(), Some("0 0 3 * * *"));
    assert_eq!(cron(&change.after).as_deref(), Some("0 0 4 * * *"));
    let disable = &all[3];
    assert_eq!(
        (
            disable.before.as_ref().map(|j| j.disabled),
            disable.after.as_ref().map(|j| j.disabled)
        ),
        (Some(false), Some(true))
    );
    assert_eq!(all[2].detail, format!("execution {run}"));
    assert!(all[1].error.contains("not found"), "{:?}", all[1]);
    assert_eq!(
        all[0].before.as_ref().map(|j| j.command.as_str()),
        Some("echo audited")
    );
    assert!(all[0].after.is_none(), "a deleted job has no after");
    // Environment values are kept as digests: a change shows, the value never does.
    let env = |j: &Option<pb::Job>| j.as_ref().and_then(|j| j.env.get("API_KEY").cloned());
    let digest = env(&create.after).expect("the variable is listed");
    assert!(digest.starts_with("sha256:"), "{digest}");
    assert_eq!(
        env(&change.before),
        Some(digest.clone()),
        "same value, same digest"
    );
    assert!(
        all.iter()
            .all(|e| !format!("{e:?}").contains("s3cret-value")),
        "a value of env is in the trail"
    );

    // Filters, over gRPC and REST alike.
    let by_operator = audit(
        &m,
        &viewer,
        pb::ListAuditRequest {
            actor: "t-operator".into(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(by_operator.len(), 2);
    let saves = audit(
        &m,
        &viewer,
        pb::ListAuditRequest {
            target: "nightly".into(),
            action: A::Save as i32,
            page_size: 1,
            ..Default::default()
        },
    )
    .await;
    assert_eq!(saves.len(), 1, "paged");
    assert_eq!(saves[0].id, change.id, "the newest save first");
    let viewer2 = viewer.clone();
    let (listed, bad) = tokio::task::spawn_blocking(move || {
        let auth = format!("Bearer {viewer2}");
        let get = |path: &str| {
            testkit::http::request_with(addr, "GET", path, &[("authorization", &auth)], None).json()
        };
        (
            get("/api/v1/audit/list?target=nightly&action=save"),
            get("/api/v1/audit/list?action=drop"),
        )
    })
    .await
    .expect("REST list");
    assert_eq!(listed["code"], 0, "{listed}");
    assert_eq!(listed["data"]["total"], 2, "{listed}");
    assert_eq!(listed["data"]["entries"][0]["id"], change.id.as_str());
    assert_eq!(
        listed["data"]["entries"][0]["after"]["cronExpr"],
        "0 0 4 * * *"
    );
    assert_eq!(
        listed["data"]["entries"][0]["actor"]["client"],
        "schedctl apply"
    );
    assert!(!listed.to_string().contains("s3cret-value"), "{listed}");
    assert_eq!(bad["code"], 1001, "{bad}");
    assert!(
        bad["message"].as_str().unwrap_or("").contains("action"),
        "{bad}"
    );
    m.stop().await;
}

/// `schedd-master token create` and `token revoke` reach the trail of a running master,
/// named by the user who ran them, each once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_created_and_revoked_with_the_cli_are_in_the_audit_trail() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (tokens, plain) = access::tokens(dir.path());
    let viewer = access::token(&plain, schedd_master::auth::Role::Viewer);
    let mut cfg = DevConfig::new(dir.path());
    cfg.tokens = tokens;
    let m = Master::start_with(cfg).await;
    let tokens_file = dir.path().join("tokens.json");
    let cli = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_schedd-master"))
            .args(args)
            .arg("--tokens-file")
            .arg(&tokens_file)
            .output()
            .expect("schedd-master runs");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    cli(&["token", "create", "deployer", "--role", "operator"]);
    cli(&["token", "revoke", "deployer"]);
    let entries = eventually_async("both token changes in the trail", DEADLINE, || async {
        let e = audit(
            &m,
            &viewer,
            pb::ListAuditRequest {
                target: "deployer".into(),
                ..Default::default()
            },
        )
        .await;
        (e.len() >= 2).then_some(e)
    })
    .await;
    let actions: Vec<i32> = entries.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            pb::AuditAction::TokenRevoke as i32,
            pb::AuditAction::TokenCreate as i32
        ]
    );
    let host = nix::unistd::gethostname()
        .expect("hostname")
        .into_string()
        .expect("utf-8");
    for e in &entries {
        let actor = e.actor.as_ref().expect("actor");
        assert!(
            actor.name.contains(&format!("@{host}")),
            "who: {}",
            actor.name
        );
        assert_eq!(e.detail, "role operator");
        assert!(actor.source.contains("tokens.json"), "{}", actor.source);
    }
    // The file is read again on every change; the same changes are not recorded twice.
    cli(&["token", "create", "other", "--role", "viewer"]);
    eventually_async("the next token change", DEADLINE, || async {
        let e = audit(
            &m,
            &viewer,
            pb::ListAuditRequest {
                target: "other".into(),
                ..Default::default()
            },
        )
        .await;
        (!e.is_empty()).then_some(())
    })
    .await;
    let again = audit(
        &m,
        &viewer,
        pb::ListAuditRequest {
            target: "deployer".into(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(again.len(), 2, "each change once");
    m.stop().await;
}

/// When the audit trail cannot be written the change is refused, saying why, and nothing
/// changes; once it can, the same change goes through. The failure is SQLite's own: a
/// trigger that fails every write to the trail, as a full or read-only disk would.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_the_audit_trail_cannot_record_is_not_made() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    // An answer means the master is serving, so its database and tables exist.
    let empty = rest_data(&m, "GET", "/api/v1/audit/list", None).await;
    assert_eq!(empty["total"], 0, "{empty}");
    let db = rusqlite::Connection::open(dir.path().join("schedd.db")).expect("open");
    db.busy_timeout(Duration::from_secs(10)).expect("timeout");
    db.execute_batch(
        "CREATE TRIGGER audit_down BEFORE INSERT ON audit \
         BEGIN SELECT RAISE(FAIL, 'disk I/O error'); END;",
    )
    .expect("trigger");
    let refused = save(&m, job("guarded", "0 0 3 * * *", "true"))
        .await
        .expect_err("refused");
    assert_eq!(refused.code(), Code::Unavailable, "{refused:?}");
    assert!(
        refused.message().contains("audit trail")
            && refused.message().contains("nothing was changed"),
        "{}",
        refused.message()
    );
    let got = m
        .jobs()
        .get_job(pb::GetJobRequest {
            name: "guarded".into(),
        })
        .await
        .expect_err("nothing stored");
    assert_eq!(got.code(), Code::NotFound);
    let r = rest(
        &m,
        "POST",
        "/api/v1/job/save",
        Some(serde_json::json!({"name": "guarded", "command": "true", "cronExpr": "0 0 3 * * *"})),
    )
    .await;
    assert_eq!(
        r["code"], 2001,
        "the REST bridge reports the store's failure: {r}"
    );

    db.execute_batch("DROP TRIGGER audit_down;").expect("drop");
    save(&m, job("guarded", "0 0 3 * * *", "true"))
        .await
        .expect("saved once the trail can be written");
    let trail = rest_data(&m, "GET", "/api/v1/audit/list?target=guarded", None).await;
    assert_eq!(trail["total"], 1, "only the change made: {trail}");
    assert_eq!(trail["entries"][0]["outcome"], "done");
    assert_eq!(trail["entries"][0]["actor"]["name"], "anonymous");

    // The trail fails after the pending entry: the change is made, and its entry stays
    // pending, saying the change may have been made.
    db.execute_batch(
        "CREATE TRIGGER settle_down BEFORE UPDATE ON audit \
         BEGIN SELECT RAISE(FAIL, 'disk I/O error'); END;",
    )
    .expect("trigger");
    rest_data(&m, "POST", "/api/v1/job/disable/guarded", None).await;
    let trail = rest_data(
        &m,
        "GET",
        "/api/v1/audit/list?target=guarded&action=disable",
        None,
    )
    .await;
    assert_eq!(trail["total"], 1, "{trail}");
    assert_eq!(trail["entries"][0]["outcome"], "pending", "{trail}");
    let job = m
        .jobs()
        .get_job(pb::GetJobRequest {
            name: "guarded".into(),
        })
        .await
        .expect("job")
        .into_inner()
        .job
        .expect("job");
    assert!(job.disabled, "the change was made");
    m.stop().await;
}

/// The tick a record belongs to, in unix seconds.
fn tick_of(r: &pb::ExecutionRecord) -> i64 {
    r.plan_time.as_ref().map_or(0, |t| t.seconds)
}

/// Every record of `name`, oldest tick first.
async fn all_records(m: &Master, name: &str) -> Vec<pb::ExecutionRecord> {
    let mut rs = records(m, name).await;
    rs.sort_by_key(tick_of);
    rs
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ticks_missed_while_the_master_was_stopped_run_or_are_recorded_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    // Two jobs fire at `first`, before the stop, and at `missed`, in the middle of it: one
    // with a catch-up window, one without. The stop lasts 10 s, so at the restart `missed`
    // is past the scheduler's own grace for late ticks (5 s) and only the window runs it.
    let now = chrono::Utc::now().timestamp();
    let first = now + 3;
    let missed = first + 4;
    let cron = format!("{},{} * * * * *", first % 60, missed % 60);
    let mut on = job("catch-up-on", &cron, "true");
    on.catch_up_seconds = 300;
    save(&m, on).await.expect("save");
    save(&m, job("catch-up-off", &cron, "true"))
        .await
        .expect("save");
    // And one every second: each tick of the stop is accounted for.
    save(&m, job("every-second", "* * * * * *", "true"))
        .await
        .expect("save");
    for name in ["catch-up-on", "catch-up-off"] {
        eventually_async(&format!("the first run of {name}"), DEADLINE, || async {
            records(&m, name)
                .await
                .iter()
                .any(|r| tick_of(r) == first)
                .then_some(())
        })
        .await;
    }
    m.stop().await;
    let stopped = chrono::Utc::now().timestamp();
    assert!(
        stopped < missed,
        "the master took until {stopped} to stop, past the tick at {missed} it should miss"
    );
    // The outage the test is about: not a wait for a condition.
    tokio::time::sleep(Duration::from_secs(10)).await;
    let restarted = chrono::Utc::now().timestamp();
    let m = Master::start(dir.path()).await;

    let on = eventually_async("the missed tick of catch-up-on", DEADLINE, || async {
        let rs = all_records(&m, "catch-up-on").await;
        rs.iter().any(|r| tick_of(r) == missed).then_some(rs)
    })
    .await;
    let off = eventually_async("the missed tick of catch-up-off", DEADLINE, || async {
        let rs = all_records(&m, "catch-up-off").await;
        rs.iter().any(|r| tick_of(r) == missed).then_some(rs)
    })
    .await;
    for (name, rs) in [("catch-up-on", &on), ("catch-up-off", &off)] {
        let ticks: Vec<i64> = rs.iter().map(tick_of).collect();
        assert_eq!(
            ticks,
            [first, missed],
            "{name}: one record per tick: {rs:#?}"
        );
    }
    let caught = &on[1];
    assert_eq!(
        (caught.trigger(), caught.status()),
        (pb::Trigger::CatchUp, pb::ExecutionStatus::Success),
        "inside its window the missed tick ran late: {caught:#?}"
    );
    let skipped = &off[1];
    assert_eq!(
        skipped.status(),
        pb::ExecutionStatus::Skipped,
        "{skipped:#?}"
    );
    assert!(
        skipped.error.contains("catch-up window"),
        "the record says why: {skipped:#?}"
    );

    // Every second from the first record to after the restart has exactly one record: run,
    // or skipped because it was missed.
    let until = restarted + 3;
    let every = eventually_async(
        "every-second's ticks after the restart",
        DEADLINE,
        || async {
            let rs = all_records(&m, "every-second").await;
            rs.iter().any(|r| tick_of(r) >= until).then_some(rs)
        },
    )
    .await;
    let from = tick_of(&every[0]);
    let ticks: Vec<i64> = every.iter().map(tick_of).filter(|t| *t <= until).collect();
    let expected: Vec<i64> = (from..=until).collect();
    assert_eq!(ticks, expected, "one record per second, no gap, none twice");
    let in_outage: Vec<_> = every
        .iter()
        .filter(|r| tick_of(r) > stopped && tick_of(r) < restarted - 5)
        .collect();
    assert!(!in_outage.is_empty());
    for r in in_outage {
        assert_eq!(
            r.status(),
            pb::ExecutionStatus::Skipped,
            "a tick missed long before the restart is not run late without a window: {r:#?}"
        );
    }
    m.stop().await;
}

/// A job for gRPC from the REST body of the same job: the fields a hostile case sets. `None`
/// when the case cannot be said in protobuf (a negative or fractional number where the field
/// is unsigned, a string where a number belongs: only JSON can carry those).
fn pb_job_of(body: &serde_json::Value) -> Option<pb::Job> {
    let text = |k: &str| match body.get(k) {
        None => Some(String::new()),
        Some(v) => v.as_str().map(str::to_owned),
    };
    let unsigned = |k: &str| match body.get(k) {
        None => Some(0),
        Some(v) => v.as_u64(),
    };
    let map = |k: &str| -> Option<std::collections::HashMap<String, String>> {
        match body.get(k) {
            None => Some(Default::default()),
            Some(v) => v
                .as_object()?
                .iter()
                .map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect(),
        }
    };
    Some(pb::Job {
        name: text("name")?,
        command: text("command")?,
        cron_expr: text("cronExpr")?,
        timeout_seconds: match body.get("timeout") {
            None => 0,
            Some(v) => v.as_i64()?,
        },
        timezone: text("timezone")?,
        retries: u32::try_from(unsigned("retries")?).ok()?,
        max_output_bytes: unsigned("maxOutputBytes")?,
        catch_up_seconds: unsigned("catchUpSeconds")?,
        jitter_ms: unsigned("jitterMs")?,
        env: map("env")?,
        selector: map("selector")?,
        description: text("description")?,
        ..Default::default()
    })
}

/// Hostile input on the two network surfaces, one table: each case gets an error that names
/// what is wrong (gRPC `InvalidArgument`, or `OutOfRange`/`ResourceExhausted` for a message
/// over the size limit; REST a non-zero `code` or HTTP 4xx), nothing is stored, and the
/// master goes on answering. (`schedctl` and `apply` files: schedctl's `tests/files.rs` and
/// `tests/embedded.rs`; values written straight into etcd: the cluster tests.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_input_on_grpc_and_rest_is_refused_by_name_and_stores_nothing() {
    use serde_json::json;
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    for testkit::hostile::HostileJob {
        what,
        job: body,
        words,
    } in &testkit::hostile::jobs()
    {
        // gRPC, where protobuf can say it.
        if let Some(j) = pb_job_of(body) {
            let err = save(&m, j).await.expect_err(what);
            assert!(
                matches!(
                    err.code(),
                    Code::InvalidArgument | Code::OutOfRange | Code::ResourceExhausted
                ),
                "gRPC, {what}: {err:?}"
            );
            let msg = err.message().to_lowercase();
            assert!(
                words.iter().any(|w| msg.contains(w)),
                "gRPC, {what}: want one of {words:?} in {:?}",
                err.message()
            );
        }
        // REST.
        let (addr, bytes) = (m.addr, body.to_string().into_bytes());
        let answer = tokio::task::spawn_blocking(move || {
            testkit::http::request(addr, "POST", "/api/v1/job/save", Some(&bytes))
        })
        .await
        .expect("REST call");
        let text = String::from_utf8_lossy(&answer.body).to_lowercase();
        let refused = (400..500).contains(&answer.status)
            || (answer.status == 200 && answer.json()["code"] != 0);
        assert!(refused, "REST, {what}: HTTP {} {text:.300}", answer.status);
        assert!(
            words.iter().any(|w| text.contains(w)),
            "REST, {what}: want one of {words:?} in HTTP {} {text:.300}",
            answer.status
        );
    }

    // Bodies that are not a job at all, deeply nested JSON among them.
    let nested = format!(
        "{{\"name\": {}1{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    for (what, body) in [
        ("JSON nested 100,000 deep", nested.into_bytes()),
        ("not JSON", b"{{{".to_vec()),
        ("a JSON array", b"[1, 2, 3]".to_vec()),
        ("invalid UTF-8", vec![b'{', b'"', 0xff, 0xfe, b'"', b'}']),
    ] {
        let addr = m.addr;
        let answer = tokio::task::spawn_blocking(move || {
            testkit::http::request(addr, "POST", "/api/v1/job/save", Some(&body))
        })
        .await
        .expect("REST call");
        let refused = (400..500).contains(&answer.status)
            || (answer.status == 200 && answer.json()["code"] != 0);
        assert!(
            refused,
            "REST, {what}: HTTP {} {}",
            answer.status,
            String::from_utf8_lossy(&answer.body)
        );
    }

    // Times far in the past and the future: a clear refusal or an empty answer, never a
    // crash.
    for query in [
        "/api/v1/log/list?since=-9223372036854775808&until=9223372036854775807",
        "/api/v1/log/list?since=99999999999999999999",
        "/api/v1/log/ok/-9223372036854775808",
        "/api/v1/log/ok/9223372036854775807",
    ] {
        let addr = m.addr;
        let answer =
            tokio::task::spawn_blocking(move || testkit::http::request(addr, "GET", query, None))
                .await
                .expect("REST call");
        assert!(
            answer.status < 500,
            "REST {query}: HTTP {} {}",
            answer.status,
            String::from_utf8_lossy(&answer.body)
        );
    }
    for (since, until) in [(i64::MIN, i64::MAX), (-62_135_596_801, 253_402_300_800)] {
        let r = m
            .logs()
            .list_logs(pb::ListLogsRequest {
                since: Some(prost_types::Timestamp {
                    seconds: since,
                    nanos: 0,
                }),
                until: Some(prost_types::Timestamp {
                    seconds: until,
                    nanos: 0,
                }),
                page: 1,
                page_size: 10,
                ..Default::default()
            })
            .await;
        match r {
            Ok(page) => assert!(page.into_inner().records.is_empty()),
            Err(e) => {
                assert_eq!(e.code(), Code::InvalidArgument, "{e:?}");
                assert!(e.message().contains("since"), "{e:?}");
            }
        }
    }

    // Nothing was stored, and the master still answers.
    let listed = m
        .jobs()
        .list_jobs(pb::ListJobsRequest::default())
        .await
        .expect("the master still answers")
        .into_inner();
    assert!(listed.jobs.is_empty(), "nothing stored: {:?}", listed.jobs);
    let addr = m.addr;
    let rest_list = tokio::task::spawn_blocking(move || {
        testkit::http::request(addr, "GET", "/api/v1/job/list", None).json()
    })
    .await
    .expect("REST call");
    assert_eq!(rest_list["data"], json!([]), "{rest_list}");
    m.stop().await;
}

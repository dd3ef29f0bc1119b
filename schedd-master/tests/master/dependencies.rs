//! Dependencies end to end in embedded mode: a run's end starts the jobs its job names in
//! `onSuccess` or `onFailure`, once per run, and a save that would close a cycle is refused.

use schedd_proto::v1 as pb;

use crate::embedded::{rest, save, watch_executions};
use crate::harness::Master;

fn job(name: &str, command: &str, on_success: &[&str], on_failure: &[&str]) -> pb::Job {
    pb::Job {
        name: name.into(),
        // Never on its own: the test asks for each run.
        cron_expr: "0 0 0 1 1 *".into(),
        command: command.into(),
        on_success: on_success.iter().map(|s| (*s).to_owned()).collect(),
        on_failure: on_failure.iter().map(|s| (*s).to_owned()).collect(),
        ..Default::default()
    }
}

/// The finished records of every job in the order they end, until `n` of them came.
async fn finished(events: &mut tonic::Streaming<pb::Event>, n: usize) -> Vec<pb::ExecutionRecord> {
    let mut got = Vec::new();
    while got.len() < n {
        let ev = tokio::time::timeout(std::time::Duration::from_secs(30), events.message())
            .await
            .unwrap_or_else(|_| panic!("only {} of {n} runs ended in time: {got:?}", got.len()))
            .expect("stream ok")
            .expect("stream open");
        if let Some(pb::event::Event::Execution(e)) = ev.event
            && e.kind == pb::execution_event::Kind::Finished as i32
            && let Some(r) = e.record
        {
            got.push(r);
        }
    }
    got
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_starts_its_success_or_its_failure_dependents_once_per_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    let flag = dir.path().join("succeed");
    // Children first: a job may only name jobs that exist.
    save(&m, job("report", "echo report", &[], &[]))
        .await
        .expect("B");
    save(&m, job("page", "echo page", &[], &[]))
        .await
        .expect("C");
    let a = format!("test -e {}", flag.display());
    save(&m, job("import", &a, &["report"], &["page"]))
        .await
        .expect("A");
    let mut events = watch_executions(&m).await;

    // A fails: C runs, once, naming A's run; B does not.
    let run = |m: &Master| {
        let mut jobs = m.jobs();
        async move {
            jobs.run_job(pb::RunJobRequest {
                name: "import".into(),
            })
            .await
            .expect("run")
            .into_inner()
            .execution_id
        }
    };
    let failed_id = run(&m).await;
    let ended = finished(&mut events, 2).await;
    assert_eq!(ended[0].job_name, "import");
    assert_eq!(ended[0].execution_id, failed_id);
    assert_eq!(ended[0].status, pb::ExecutionStatus::Failed as i32);
    let child = &ended[1];
    assert_eq!(child.job_name, "page", "{ended:?}");
    assert_eq!(child.trigger, pb::Trigger::Dependency as i32);
    assert_eq!(child.parent_execution_id, failed_id);
    assert_eq!(child.status, pb::ExecutionStatus::Success as i32);

    // A succeeds: B runs, once, naming A's run; C does not.
    std::fs::write(&flag, "").expect("flag");
    let ok_id = run(&m).await;
    let ended = finished(&mut events, 2).await;
    assert_eq!(
        (ended[0].job_name.as_str(), ended[0].execution_id.as_str()),
        ("import", ok_id.as_str())
    );
    assert_eq!(ended[0].status, pb::ExecutionStatus::Success as i32);
    assert_eq!(ended[1].job_name, "report", "{ended:?}");
    assert_eq!(ended[1].parent_execution_id, ok_id);

    // Nothing else ran: one run of each child per parent run, as the store has it.
    let all = m
        .logs()
        .list_logs(pb::ListLogsRequest {
            page_size: 100,
            ..Default::default()
        })
        .await
        .expect("logs")
        .into_inner()
        .records;
    let runs_of = |name: &str| all.iter().filter(|r| r.job_name == name).count();
    assert_eq!(
        (runs_of("import"), runs_of("report"), runs_of("page")),
        (2, 1, 1),
        "{all:?}"
    );
    // A disabled child is not started: its skip is recorded, naming the parent run.
    m.jobs()
        .disable_job(pb::DisableJobRequest {
            name: "report".into(),
        })
        .await
        .expect("disable");
    let again = run(&m).await;
    let ended = finished(&mut events, 2).await;
    let skipped = ended
        .iter()
        .find(|r| r.job_name == "report")
        .expect("report");
    assert_eq!(
        skipped.status,
        pb::ExecutionStatus::Skipped as i32,
        "{skipped:?}"
    );
    assert!(skipped.error.contains("disabled"), "{}", skipped.error);
    assert_eq!(skipped.parent_execution_id, again);
    m.jobs()
        .enable_job(pb::EnableJobRequest {
            name: "report".into(),
        })
        .await
        .expect("enable");

    // The chain's link is in the stored record, and in the REST form of it.
    let page = rest(&m, "GET", "/api/v1/log/list?jobName=report", None).await;
    let logs = page["data"]["logs"].as_array().expect("logs");
    assert!(
        logs.iter()
            .any(|l| l["parentExecutionId"] == ok_id.as_str() && l["trigger"] == "dependency"),
        "{page}"
    );
    m.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_save_that_would_close_a_cycle_or_names_no_job_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    save(&m, job("c", "true", &[], &[])).await.expect("c");
    save(&m, job("b", "true", &["c"], &[])).await.expect("b");
    save(&m, job("a", "true", &[], &["b"])).await.expect("a");

    // c → a would close a → b → c → a.
    let cycle = save(&m, job("c", "true", &["a"], &[]))
        .await
        .expect_err("a cycle is refused");
    assert_eq!(cycle.code(), tonic::Code::InvalidArgument);
    assert!(
        cycle.message().contains("c → a → b → c"),
        "the cycle is named: {}",
        cycle.message()
    );
    // Through REST too, with the old system's code for a bad parameter.
    let answer = rest(
        &m,
        "POST",
        "/api/v1/job/save",
        Some(serde_json::json!({"name": "c", "command": "true", "cronExpr": "* * * * *", "onFailure": ["a"]})),
    )
    .await;
    assert_eq!(answer["code"], 1001, "{answer}");
    assert!(
        answer["message"]
            .as_str()
            .unwrap_or_default()
            .contains("cycle"),
        "{answer}"
    );

    let missing = save(&m, job("d", "true", &["nope"], &[]))
        .await
        .expect_err("an unknown job is refused");
    assert!(
        missing
            .message()
            .contains("onSuccess: there is no job named `nope`"),
        "{}",
        missing.message()
    );
    let itself = save(&m, job("d", "true", &[], &["d"]))
        .await
        .expect_err("a job naming itself is refused");
    assert!(
        itself.message().contains("cycle: d → d"),
        "{}",
        itself.message()
    );

    // Nothing changed: c still names nobody, and d does not exist.
    let c = m
        .jobs()
        .get_job(pb::GetJobRequest { name: "c".into() })
        .await
        .expect("get")
        .into_inner()
        .job
        .expect("c");
    assert!(c.on_success.is_empty() && c.on_failure.is_empty(), "{c:?}");
    let d = m
        .jobs()
        .get_job(pb::GetJobRequest { name: "d".into() })
        .await
        .expect_err("d was not stored");
    assert_eq!(d.code(), tonic::Code::NotFound);
    m.stop().await;
}

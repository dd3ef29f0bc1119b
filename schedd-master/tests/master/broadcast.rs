//! A broadcast job (`runOn: all`) in embedded mode: the one worker is the whole cluster, so
//! each tick has one run, shard 0 of 1; and a tick's runs are listed by their tick.

use schedd_proto::v1 as pb;

use crate::embedded::{finished_record, rest_data, save, watch_executions};
use crate::harness::Master;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broadcast_tick_runs_as_shard_0_of_1_and_its_runs_are_listed_by_tick() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    let mut events = watch_executions(&m).await;
    let saved = save(
        &m,
        pb::Job {
            name: "rotate".into(),
            cron_expr: "* * * * * *".into(),
            command: "echo shard $SCHEDD_SHARD_INDEX of $SCHEDD_SHARD_TOTAL".into(),
            run_on: pb::RunOn::All as i32,
            ..Default::default()
        },
    )
    .await
    .expect("saved");
    assert_eq!(saved.run_on, pb::RunOn::All as i32);
    let run = finished_record(&mut events, "rotate").await;
    assert_eq!(run.output, "shard 0 of 1\n", "{run:?}");
    let tick = run.plan_time.expect("plan time");

    // That tick's runs, through gRPC and REST: this one only.
    let listed = m
        .logs()
        .list_logs(pb::ListLogsRequest {
            job_name: "rotate".into(),
            tick: Some(tick),
            ..Default::default()
        })
        .await
        .expect("list")
        .into_inner();
    assert_eq!(listed.total, 1, "{listed:?}");
    assert_eq!(listed.records[0].execution_id, run.execution_id);
    let page = rest_data(
        &m,
        "GET",
        &format!("/api/v1/log/list?jobName=rotate&tick={}", tick.seconds),
        None,
    )
    .await;
    assert_eq!(page["total"], 1, "{page}");
    assert_eq!(page["logs"][0]["executionId"], run.execution_id.as_str());
    // The next second's tick is another tick.
    let next = rest_data(
        &m,
        "GET",
        &format!(
            "/api/v1/log/list?jobName=rotate&tick={}",
            tick.seconds + 3600
        ),
        None,
    )
    .await;
    assert_eq!(next["total"], 0, "{next}");

    // A broadcast job may not set its shard variables itself.
    let mut clash = saved.clone();
    clash.env.insert("SCHEDD_SHARD_INDEX".into(), "7".into());
    let refused = save(&m, clash).await.expect_err("refused");
    assert!(
        refused.message().contains("SCHEDD_SHARD_INDEX"),
        "{}",
        refused.message()
    );
    m.stop().await;
}

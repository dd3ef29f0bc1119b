//! Notifications end to end in embedded mode: a webhook receiver on loopback is told of a
//! failure (after answering 500 once, so the notice is tried again), of the recovery after
//! it, and of a run going past its expected duration; each run's record says how the
//! delivery of its notices went.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use schedd_proto::v1 as pb;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

use crate::embedded::save;
use crate::harness::Master;

const DEADLINE: Duration = Duration::from_secs(30);

/// A webhook receiver: answers 500 to its first `fail_first` requests and 200 to the rest,
/// and keeps every request's body (JSON).
struct Receiver {
    url: String,
    bodies: Arc<Mutex<Vec<serde_json::Value>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    async fn start(fail_first: usize) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!(
            "http://{}/hook?token=s3cret",
            listener.local_addr().expect("addr")
        );
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&bodies);
        let task = tokio::spawn(async move {
            let mut served = 0;
            while let Ok((mut conn, _)) = listener.accept().await {
                let (_, body) = crate::loopback::read_request(&mut conn).await;
                kept.lock()
                    .expect("lock")
                    .push(serde_json::from_str(&body).unwrap_or(serde_json::Value::Null));
                served += 1;
                let answer = if served <= fail_first {
                    "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\nnope"
                } else {
                    "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                };
                let _ = conn.write_all(answer.as_bytes()).await;
                let _ = conn.shutdown().await;
            }
        });
        Receiver { url, bodies, task }
    }

    /// The bodies received so far, once there are at least `n`.
    async fn wait_for(&self, n: usize) -> Vec<serde_json::Value> {
        let bodies = Arc::clone(&self.bodies);
        testkit::eventually_async(&format!("{n} notices"), DEADLINE, || {
            let got = bodies.lock().expect("lock").clone();
            async move { (got.len() >= n).then_some(got) }
        })
        .await
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The stored record of `execution_id`, once it has `n` deliveries.
async fn told(m: &Master, job: &str, execution_id: &str, n: usize) -> pb::ExecutionRecord {
    let logs = m.logs();
    let (job, id) = (job.to_owned(), execution_id.to_owned());
    testkit::eventually_async(&format!("{n} deliveries on the record"), DEADLINE, || {
        let (mut logs, job, id) = (logs.clone(), job.clone(), id.clone());
        async move {
            logs.list_logs(pb::ListLogsRequest {
                job_name: job,
                page_size: 100,
                ..Default::default()
            })
            .await
            .ok()?
            .into_inner()
            .records
            .into_iter()
            .find(|r| r.execution_id == id && r.notifications.len() >= n)
        }
    })
    .await
}

async fn run(m: &Master, name: &str) -> String {
    m.jobs()
        .run_job(pb::RunJobRequest { name: name.into() })
        .await
        .expect("run")
        .into_inner()
        .execution_id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_is_told_of_a_failure_again_after_a_500_then_of_the_recovery() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    let receiver = Receiver::start(1).await;
    let flag = dir.path().join("succeed");
    save(
        &m,
        pb::Job {
            name: "backup".into(),
            cron_expr: "0 0 0 1 1 *".into(),
            command: format!("echo working; test -e {}", flag.display()),
            notify: vec![pb::Webhook {
                url: receiver.url.clone(),
                headers: [("Authorization".to_owned(), "Bearer hook-secret".to_owned())].into(),
                on: Vec::new(),
            }],
            ..Default::default()
        },
    )
    .await
    .expect("saved");

    // The run fails: the receiver answers 500, then the notice comes again and is taken.
    let failed = run(&m, "backup").await;
    let bodies = receiver.wait_for(2).await;
    for body in &bodies {
        assert_eq!(body["event"], "failure", "{body}");
        assert_eq!(body["job"], "backup");
        assert_eq!(body["executionId"], failed.as_str());
        assert_eq!(body["status"], "failed");
        assert_eq!(body["output"], "working\n");
        assert!(
            body["text"]
                .as_str()
                .unwrap_or_default()
                .contains("backup failed"),
            "{body}"
        );
    }
    let record = told(&m, "backup", &failed, 1).await;
    let d = &record.notifications[0];
    assert_eq!(
        (d.event.as_str(), d.delivered, d.attempts, d.status),
        ("failure", true, 2, 200),
        "{d:?}"
    );
    assert!(
        d.url.ends_with("token=***") && !d.url.contains("s3cret"),
        "{d:?}"
    );

    // The next run succeeds: a recovery, which names how the run before ended.
    std::fs::write(&flag, "").expect("flag");
    let ok = run(&m, "backup").await;
    let bodies = receiver.wait_for(3).await;
    let recovery = &bodies[2];
    assert_eq!(recovery["event"], "recovery", "{recovery}");
    assert_eq!(recovery["executionId"], ok.as_str());
    assert_eq!(recovery["previousStatus"], "failed");
    let record = told(&m, "backup", &ok, 1).await;
    assert_eq!(record.notifications[0].event, "recovery");
    assert_eq!(record.notifications[0].attempts, 1);

    // Another success is no recovery: nothing more is sent.
    // Another success is no recovery. The run after it fails again: once its failure is
    // told (and recorded), nothing else was sent in between.
    let again = run(&m, "backup").await;
    testkit::eventually_async("the third run stored", DEADLINE, || {
        let mut logs = m.logs();
        let id = again.clone();
        async move {
            logs.list_logs(pb::ListLogsRequest {
                job_name: "backup".into(),
                ..Default::default()
            })
            .await
            .ok()?
            .into_inner()
            .records
            .into_iter()
            .find(|r| r.execution_id == id)
        }
    })
    .await;
    std::fs::remove_file(&flag).expect("flag");
    let fails = run(&m, "backup").await;
    told(&m, "backup", &fails, 1).await;
    let bodies = receiver.bodies.lock().expect("lock").clone();
    let events: Vec<(&str, &str)> = bodies
        .iter()
        .map(|b| {
            (
                b["event"].as_str().unwrap_or_default(),
                b["executionId"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        events,
        [
            ("failure", failed.as_str()),
            ("failure", failed.as_str()),
            ("recovery", ok.as_str()),
            ("failure", fails.as_str()),
        ],
        "a second success sends nothing"
    );
    m.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_past_its_expected_duration_is_reported_overdue_while_it_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    let receiver = Receiver::start(0).await;
    save(
        &m,
        pb::Job {
            name: "slow".into(),
            cron_expr: "0 0 0 1 1 *".into(),
            command: "sleep 3".into(),
            expected_seconds: 1,
            notify: vec![pb::Webhook {
                url: receiver.url.clone(),
                on: vec!["overdue".into(), "failure".into()],
                ..Default::default()
            }],
            ..Default::default()
        },
    )
    .await
    .expect("saved");
    let id = run(&m, "slow").await;
    let bodies = receiver.wait_for(1).await;
    assert_eq!(bodies[0]["event"], "overdue", "{}", bodies[0]);
    assert_eq!(bodies[0]["status"], "running");
    assert_eq!(bodies[0]["expectedSeconds"], 1);
    assert!(bodies[0].get("endTime").is_none(), "{}", bodies[0]);
    let record = told(&m, "slow", &id, 1).await;
    assert_eq!(record.status, pb::ExecutionStatus::Success as i32);
    assert_eq!(record.notifications[0].event, "overdue");
    assert!(record.notifications[0].delivered);
    m.stop().await;
}

/// The default webhooks (`--notify`) are told about the jobs that name none; a job that
/// names its own is not reported to them. A skipped tick is reported to a webhook that asks
/// for skips.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn default_webhooks_serve_the_jobs_that_name_none() {
    let dir = tempfile::tempdir().expect("tempdir");
    let default = Receiver::start(0).await;
    let own = Receiver::start(0).await;
    let mut cfg = schedd_master::embedded::DevConfig::new(dir.path());
    cfg.notify = vec![schedd_core::notify::Webhook {
        url: default.url.clone(),
        ..Default::default()
    }];
    let m = Master::start_with(cfg).await;
    let job = |name: &str, command: &str| pb::Job {
        name: name.into(),
        cron_expr: "0 0 0 1 1 *".into(),
        command: command.into(),
        ..Default::default()
    };
    save(&m, job("plain", "false")).await.expect("saved");
    save(
        &m,
        pb::Job {
            notify: vec![pb::Webhook {
                url: own.url.clone(),
                on: vec!["failure".into(), "skipped".into()],
                ..Default::default()
            }],
            // Every second, forbid: a tick while the long run goes on is skipped.
            cron_expr: "* * * * * *".into(),
            ..job("mine", "sleep 2; false")
        },
    )
    .await
    .expect("saved");
    let plain = run(&m, "plain").await;
    let bodies = default.wait_for(1).await;
    assert_eq!(bodies[0]["job"], "plain", "{}", bodies[0]);
    assert_eq!(bodies[0]["executionId"], plain.as_str());
    let mine = own.wait_for(2).await;
    let events: std::collections::BTreeSet<String> = mine
        .iter()
        .map(|b| b["event"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(events.contains("skipped"), "{mine:?}");
    assert!(
        default
            .bodies
            .lock()
            .expect("lock")
            .iter()
            .all(|b| b["job"] == "plain"),
        "a job with its own webhooks is not reported to the defaults"
    );
    m.stop().await;
}

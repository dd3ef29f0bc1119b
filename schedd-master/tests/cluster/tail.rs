//! Live output across the cluster: `TailLog` on the master shows the output of a run on a
//! worker process as it is produced, then its result, including when the worker dies.
//!
//! The jobs block until the test creates a release file, so "as it is produced" is shown
//! without timing: output that reaches the client while the command still waits cannot
//! have come from the stored record.

use std::path::Path;
use std::process::{Command, Stdio};

use schedd_proto::v1 as pb;
use schedd_proto::v1::tail_log_response::Item;
use testkit::eventually;
use tonic::Streaming;

use crate::harness::{Cluster, DEADLINE, every_second};

/// A job that never fires on its own: it runs when asked to.
fn on_demand(name: &str, command: &str) -> serde_json::Value {
    let mut job = every_second(name, command);
    job["cronExpr"] = "0 0 0 1 1 *".into();
    job
}

/// A shell loop printing `line` every 200 ms until `file` exists, for two minutes at most
/// (a run orphaned by a killed worker ends on its own). Printing again and again, not once,
/// so that a follower is sure to get some of it live, however late the relay starts.
fn print_until(file: &Path, line: &str) -> String {
    format!(
        "i=0; while [ ! -e '{}' ] && [ $i -lt 600 ]; do echo {line}; sleep 0.2; i=$((i+1)); done",
        file.display()
    )
}

fn run_now(c: &Cluster, job: &str) -> String {
    let mut api = c.jobs();
    eventually("run-now accepted", DEADLINE, || {
        c.rt.block_on(api.run_job(pb::RunJobRequest { name: job.into() }))
            .ok()
    })
    .into_inner()
    .execution_id
}

fn tail(c: &Cluster, job: &str, follow: bool) -> Streaming<pb::TailLogResponse> {
    c.rt.block_on(async {
        let mut logs = pb::log_service_client::LogServiceClient::connect(c.api.clone())
            .await
            .expect("connect to the master");
        logs.tail_log(pb::TailLogRequest {
            job_name: job.into(),
            follow,
        })
        .await
        .expect("tail")
        .into_inner()
    })
}

/// The next item of the stream, within the deadline.
fn next(c: &Cluster, stream: &mut Streaming<pb::TailLogResponse>) -> Item {
    c.rt.block_on(async {
        tokio::time::timeout(DEADLINE, stream.message())
            .await
            .expect("an item within the deadline")
            .expect("the stream works")
            .expect("the stream goes on")
            .item
            .expect("an item")
    })
}

/// Items until the output of `execution_id` so far contains `text`; returns them.
fn until_output(
    c: &Cluster,
    stream: &mut Streaming<pb::TailLogResponse>,
    execution_id: &str,
    text: &str,
) -> Vec<Item> {
    let mut items = Vec::new();
    let mut seen = String::new();
    while !seen.contains(text) {
        let item = next(c, stream);
        if let Item::Output(o) = &item {
            assert_eq!(o.execution_id, execution_id, "output of another run");
            seen.push_str(&String::from_utf8_lossy(&o.data));
        }
        assert!(
            !matches!(item, Item::Finished(_)),
            "the run ended before `{text}` was shown: {item:?}"
        );
        items.push(item);
    }
    items
}

/// Whether `/cron/output/<job>/` lists a master: the workers are being asked to relay.
fn relay_requested(c: &Cluster, job: &str) -> bool {
    c.rt.block_on(async {
        let mut client = c.etcd.client().await;
        client
            .get(
                format!("/cron/output/{job}/"),
                Some(
                    etcd_client::GetOptions::new()
                        .with_prefix()
                        .with_count_only(),
                ),
            )
            .await
            .is_ok_and(|r| r.count() > 0)
    })
}

#[test]
fn tail_follows_a_run_on_a_worker_as_its_output_is_produced_then_shows_the_result() {
    let mut c = Cluster::start();
    c.add_worker(1, &[]);
    c.add_worker(2, &[]);
    c.wait_for_workers(2);
    let release = c.dir.path().join("release-chatty");
    c.put_job(on_demand(
        "chatty",
        &format!(
            "{}; echo second >&2; exit 3",
            print_until(&release, "first")
        ),
    ));
    let mut stream = tail(&c, "chatty", true);
    eventually("the master asks for the job's output", DEADLINE, || {
        relay_requested(&c, "chatty").then_some(())
    });
    let id = run_now(&c, "chatty");

    let Item::Started(started) = next(&c, &mut stream) else {
        panic!("the run's start comes first");
    };
    assert_eq!(started.execution_id, id);
    assert!(
        ["worker-1", "worker-2"].contains(&started.worker_id.as_str()),
        "{started:?}"
    );
    // The command waits for the release file: this output came live.
    let mut stdout = String::new();
    for item in until_output(&c, &mut stream, &id, "first\n") {
        let Item::Output(o) = item else {
            panic!("only output before the release: {item:?}");
        };
        assert_eq!(o.stream, pb::OutputStream::Stdout as i32, "{o:?}");
        stdout.push_str(&String::from_utf8_lossy(&o.data));
    }
    std::fs::write(&release, "").expect("release the job");

    let mut stderr = String::new();
    let finished = loop {
        match next(&c, &mut stream) {
            Item::Output(o) if o.stream == pb::OutputStream::Stderr as i32 => {
                stderr.push_str(&String::from_utf8_lossy(&o.data));
            }
            Item::Output(o) => {
                assert!(stderr.is_empty(), "stdout after stderr: {o:?}");
                stdout.push_str(&String::from_utf8_lossy(&o.data));
            }
            Item::Finished(r) => break r,
            Item::Started(r) => panic!("no other run was started: {r:?}"),
        }
    };
    assert_eq!(stderr, "second\n", "all the output, before the result");
    assert_eq!(finished.execution_id, id);
    assert_eq!(finished.status, pb::ExecutionStatus::Failed as i32);
    assert_eq!(finished.exit_code, 3);
    assert_eq!(finished.worker_id, started.worker_id);
    // What came live is the end of what the run printed (its first lines may have been
    // printed before the worker heard that someone follows).
    assert!(
        finished.output.ends_with(&stdout) && stdout.lines().all(|l| l == "first"),
        "live {stdout:?}, stored {:?}",
        finished.output
    );

    // With the stream gone, the workers are no longer asked for the job's output.
    drop(stream);
    eventually("the output request is withdrawn", DEADLINE, || {
        (!relay_requested(&c, "chatty")).then_some(())
    });
}

#[test]
fn schedctl_attached_to_a_run_in_progress_shows_its_output_and_result_and_exits() {
    let mut c = Cluster::start();
    c.add_worker(1, &[]);
    c.wait_for_workers(1);
    let release = c.dir.path().join("release-ticker");
    c.put_job(on_demand(
        "ticker",
        &format!(
            "i=0; while [ ! -e '{}' ] && [ $i -lt 600 ]; do echo tick; sleep 0.2; i=$((i+1)); done; echo done-ticking",
            release.display()
        ),
    ));
    let id = run_now(&c, "ticker");
    // The master knows the run is going on (from etcd) before schedctl attaches.
    eventually("the run is going on", DEADLINE, || {
        c.rt.block_on(async {
            let mut client = c.etcd.client().await;
            client
                .get(
                    format!("/cron/running/ticker/{id}"),
                    Some(etcd_client::GetOptions::new().with_count_only()),
                )
                .await
                .is_ok_and(|r| r.count() == 1)
        })
        .then_some(())
    });
    // It is listed as running, with the worker that runs it.
    let listed = eventually("the run listed as running", DEADLINE, || {
        c.rt.block_on(async {
            let mut logs = pb::log_service_client::LogServiceClient::connect(c.api.clone())
                .await
                .ok()?;
            let page = logs
                .list_logs(pb::ListLogsRequest {
                    job_name: "ticker".into(),
                    status: pb::ExecutionStatus::Running as i32,
                    ..Default::default()
                })
                .await
                .ok()?
                .into_inner();
            page.records.into_iter().find(|r| r.execution_id == id)
        })
    });
    assert_eq!(listed.worker_id, "worker-1");
    assert_eq!(listed.status, pb::ExecutionStatus::Running as i32);
    let out = c.dir.path().join("schedctl.out");
    let err = c.dir.path().join("schedctl.err");
    let mut schedctl = Command::new(testkit::workspace_bin("schedctl", "schedctl"))
        .args(["--endpoint", &c.api, "log", "tail", "ticker"])
        .stdout(std::fs::File::create(&out).expect("stdout file"))
        .stderr(std::fs::File::create(&err).expect("stderr file"))
        .stdin(Stdio::null())
        .spawn()
        .expect("start schedctl");
    eventually("live output reaches schedctl", DEADLINE, || {
        std::fs::read_to_string(&out)
            .ok()
            .filter(|s| s.contains("tick\n"))
    });
    std::fs::write(&release, "").expect("release the job");
    let status = eventually("schedctl exits after the run ends", DEADLINE, || {
        schedctl.try_wait().expect("wait for schedctl")
    });
    let stdout = std::fs::read_to_string(&out).expect("stdout");
    let stderr = std::fs::read_to_string(&err).expect("stderr");
    assert!(status.success(), "{status}: {stderr}");
    assert!(stdout.ends_with("done-ticking\n"), "{stdout}");
    assert!(
        stderr.contains(&format!("==> ticker {id} started"))
            && stderr.contains(&format!("==> ticker {id} success (exit 0")),
        "{stderr}"
    );
}

#[test]
fn a_tailed_run_whose_worker_is_killed_ends_as_lost() {
    let mut c = Cluster::start();
    c.add_worker(1, &[]);
    c.add_worker(2, &[]);
    c.wait_for_workers(2);
    // Created only at the end, to let the orphaned command go.
    let never = c.dir.path().join("release-doomed");
    c.put_job(on_demand("doomed", &print_until(&never, "started-work")));
    let mut stream = tail(&c, "doomed", true);
    eventually("the master asks for the job's output", DEADLINE, || {
        relay_requested(&c, "doomed").then_some(())
    });
    let id = run_now(&c, "doomed");
    let Item::Started(started) = next(&c, &mut stream) else {
        panic!("the run's start comes first");
    };
    until_output(&c, &mut stream, &id, "started-work\n");
    let victim = c
        .workers
        .iter()
        .position(|w| w.id == started.worker_id)
        .expect("the worker running the job");
    c.kill_worker(victim);
    let finished = loop {
        if let Item::Finished(r) = next(&c, &mut stream) {
            break r;
        }
    };
    assert_eq!(finished.execution_id, id);
    assert_eq!(
        finished.status,
        pb::ExecutionStatus::Lost as i32,
        "{finished:?}"
    );
    std::fs::write(&never, "").expect("release the orphaned command");
}

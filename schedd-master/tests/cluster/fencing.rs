//! A worker paused past its lease (SIGSTOP, as a long stall or a frozen VM would): its peers
//! take its ticks and record its runs `lost`; on resuming it fences itself at once, and its
//! own records replace the `lost` guesses.

use super::harness::{
    Cluster, DEADLINE, Rec, assert_no_overlap, assert_once, every_second, now_ms, seconds_between,
    wait_for_ticks,
};
use super::names;
use testkit::eventually;

/// The run of `job` going on now, from its marker in etcd: (worker id, execution id).
fn running(c: &Cluster, job: &str) -> Vec<(String, String, i64)> {
    c.rt.block_on(async {
        let mut etcd = c.etcd.client().await;
        let resp = etcd
            .get(
                format!("/cron/running/{job}/"),
                Some(etcd_client::GetOptions::new().with_prefix()),
            )
            .await
            .expect("read run markers");
        resp.kvs()
            .iter()
            .map(|kv| {
                let m: serde_json::Value = serde_json::from_slice(kv.value()).expect("marker");
                (
                    m["workerId"].as_str().unwrap_or_default().to_owned(),
                    m["executionId"].as_str().unwrap_or_default().to_owned(),
                    m["startTimeMs"].as_i64().unwrap_or_default(),
                )
            })
            .collect()
    })
}

#[test]
fn a_worker_paused_past_its_lease_runs_no_tick_twice_and_its_real_record_replaces_the_lost_one() {
    let mut c = Cluster::start();
    c.add_worker(1, &[]);
    c.add_worker(2, &[]);
    c.wait_for_workers(2);
    let jobs = names("paused", 10);
    let jobs_at = now_ms();
    for j in &jobs {
        let mut job = every_second(j, "true");
        job["overlap"] = "allow".into();
        c.put_job(job);
    }
    let mut exclusive = every_second("exclusive", "sleep 20");
    exclusive["overlap"] = "forbid".into();
    c.put_job(exclusive);

    let (victim_id, execution_id, _) =
        eventually("the exclusive job runs somewhere", DEADLINE, || {
            running(&c, "exclusive").into_iter().next()
        });
    let victim = c
        .workers
        .iter()
        .position(|w| w.id == victim_id)
        .expect("the victim is one of ours");
    let paused_at = now_ms();
    c.pause_worker(victim);

    // Its lease expires (jobLockTtl 3 s): the peer records the run lost, and takes the
    // exclusive job, whose lock went with the lease.
    let of_run = |c: &Cluster| -> Vec<Rec> {
        c.records()
            .into_iter()
            .filter(|r| r.execution_id == execution_id)
            .collect()
    };
    eventually("the paused worker's run is recorded lost", DEADLINE, || {
        of_run(&c).into_iter().find(|r| r.status == "lost")
    });
    let (_, other_run, _) = eventually("the peer runs the exclusive job", DEADLINE, || {
        running(&c, "exclusive")
            .into_iter()
            .find(|(w, _, _)| *w != victim_id)
    });
    c.resume_worker(victim);
    let resumed_at = now_ms();

    // Fenced at once on resuming: the exclusive run is killed instead of running on beside
    // the peer's (or, if the pause came between its claim and its start, never started), and
    // its record replaces the lost one.
    let real = eventually("the paused worker's own record", DEADLINE, || {
        of_run(&c).into_iter().find(|r| r.status != "lost")
    });
    let stopped = real.status == "killed" || real.status == "skipped";
    if !stopped || !real.error.contains("fenced") {
        c.dump_logs();
    }
    assert!(stopped, "{real:?}");
    assert!(real.error.contains("fenced"), "{real:?}");
    assert_eq!(of_run(&c).len(), 1, "one record per execution");
    assert!(
        running(&c, "exclusive")
            .iter()
            .any(|(_, id, _)| *id == other_run),
        "the peer's run of the exclusive job goes on"
    );

    // Every tick around the pause ran once, and every run of the paused worker that its peer
    // guessed lost got its real record.
    // From when every worker has loaded the jobs.
    let from = (paused_at - 2_000).max(jobs_at + 2_000);
    let ticks = seconds_between(from, resumed_at + 4_000);
    let got = wait_for_ticks(&c, &jobs, &ticks);
    assert_once(&got);
    let lost = eventually("no run is left recorded lost", DEADLINE, || {
        let lost: Vec<Rec> = c
            .records()
            .into_iter()
            .filter(|r| r.status == "lost")
            .collect();
        lost.is_empty().then_some(lost)
    });
    assert!(lost.is_empty());
    // Runs of the exclusive job never overlapped, but for the paused one: frozen with the
    // worker, it could not be stopped before the worker resumed (the documented window).
    let runs: Vec<Rec> = c
        .records()
        .into_iter()
        .filter(|r| {
            r.job == "exclusive" && r.status != "skipped" && r.execution_id != real.execution_id
        })
        .collect();
    assert_no_overlap(runs.iter());
    // Both workers schedule again.
    let after = now_ms() + 1_000;
    let got = wait_for_ticks(&c, &jobs, &seconds_between(after, after + 3_000));
    let per_worker = assert_once(&got);
    assert!(
        per_worker.contains_key(&victim_id),
        "the resumed worker runs ticks again: {per_worker:?}"
    );
}

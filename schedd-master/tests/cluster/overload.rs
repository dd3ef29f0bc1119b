//! Overload: three workers offered about three times the runs they can hold for a short
//! window, on an etcd with a small backend quota. A worker past its capacity must keep its
//! lease (its keep-alives are not starved by the load), and every tick must still be
//! accounted for once: run, or recorded `skipped` with the reason (capacity, or the job's own
//! previous run for `overlap: forbid`); never lost, never run twice.
//!
//! What "capacity" means here: each worker runs `executorThreads` = 2 runs at once, and
//! every job runs `sleep 1` every second, so the cluster holds 6 run-seconds per second and
//! the jobs offer 18. Runs beyond the slots wait for one, at most `maxWaitingRuns` = 8 per
//! worker; a tick beyond those is recorded `skipped` (capacity). The `forbid` jobs hold their
//! lock while their run waits for a slot, so their later ticks are recorded `skipped`
//! (overlap).

use std::collections::BTreeMap;
use std::time::Duration;

use super::harness::{
    Cluster, DEADLINE, Rec, assert_no_overlap, assert_once, every_second, now_ms, seconds_between,
    wait_for_ticks_within,
};
use super::names;
use testkit::eventually;

/// etcd's backend quota: small, so a cluster that wrote far more than it needs (keys left
/// behind, history grown without bound) would raise a NOSPACE alarm and stop taking claims.
const ETCD_QUOTA: u64 = 64 * 1024 * 1024;
/// Executor slots per worker.
const SLOTS: usize = 2;
/// Runs that may wait for a slot, per worker.
const MAX_WAITING: usize = 8;
/// Jobs that may run beside themselves (`overlap: allow`): each second they offer, with the
/// `forbid` ones, three times the slots of three workers.
const ALLOW_JOBS: usize = 16;
const FORBID_JOBS: usize = 2;
/// How long the cluster is overloaded.
const WINDOW_MS: i64 = 15_000;
/// How long the runs that waited for a slot may take to drain once the load stops: at most
/// `MAX_WAITING` runs of a second each per worker on 2 slots, a few seconds. A deadline for
/// failing, generous for a loaded machine, not an expected duration.
const DRAIN_DEADLINE: Duration = Duration::from_secs(90);

#[test]
fn overload_at_three_times_capacity_on_a_small_etcd_quota_keeps_every_lease_and_loses_no_tick() {
    let mut c = Cluster::start_with_etcd_quota(ETCD_QUOTA);
    let (slots, waiting) = (SLOTS.to_string(), MAX_WAITING.to_string());
    for n in 1..=3 {
        c.add_worker_with_metrics(
            n,
            &[
                ("EXECUTOR_THREADS", slots.as_str()),
                ("MAX_WAITING_RUNS", waiting.as_str()),
            ],
        );
    }
    c.wait_for_workers(3);
    let registered = c.registrations();
    assert_eq!(registered.len(), 3, "{registered:?}");

    let allow = names("overload", ALLOW_JOBS);
    let forbid = names("exclusive", FORBID_JOBS);
    for j in &allow {
        let mut job = every_second(j, "sleep 1");
        job["overlap"] = "allow".into();
        c.put_job(job);
    }
    for j in &forbid {
        let mut job = every_second(j, "sleep 1");
        job["overlap"] = "forbid".into();
        c.put_job(job);
    }
    let jobs: Vec<String> = allow.iter().chain(&forbid).cloned().collect();

    // The load itself: every worker has loaded the jobs 2 s from now, and the window runs
    // from there. Meanwhile, every quarter second, each worker's entry must be the one it
    // registered (a lapsed lease shows as a new entry under a new lease), and the runs
    // waiting for a slot are sampled to show the workers were past their capacity.
    let start = now_ms() + 2_000;
    let end = start + WINDOW_MS;
    let mut most_waiting: BTreeMap<String, f64> = BTreeMap::new();
    while now_ms() < end {
        assert_eq!(
            c.registrations(),
            registered,
            "a worker's registration changed under load (its lease lapsed)"
        );
        for (i, w) in c.workers.iter().enumerate() {
            let waiting = c
                .worker_metrics(i)
                .value("schedd_runs_waiting_for_slot", &[])
                .unwrap_or_else(|| panic!("{} serves no schedd_runs_waiting_for_slot", w.id));
            let most = most_waiting.entry(w.id.clone()).or_insert(0.0);
            *most = most.max(waiting);
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    // Stop the load; the runs already waiting for a slot go on.
    for j in &jobs {
        let mut job = every_second(j, "sleep 1");
        job["disabled"] = true.into();
        c.put_job(job);
    }
    let ticks = seconds_between(start, end);
    let got = wait_for_ticks_within(&c, &jobs, &ticks, DRAIN_DEADLINE);
    // Every run has ended (ticks after the window, before the jobs were disabled, too) and
    // released its claim: no marker is left behind.
    eventually("every run ended and released", DEADLINE, || {
        c.run_markers().is_empty().then_some(())
    });

    // Exactly one record per tick, each a run or a skip for a stated reason.
    let per_worker = assert_once(&got);
    let mut ran = 0;
    let mut skipped: BTreeMap<&str, usize> = BTreeMap::new();
    for ((job, tick), recs) in &got {
        let r = &recs[0];
        match r.status.as_str() {
            "success" => {
                assert_eq!(r.trigger, "schedule", "tick {tick} of {job}: {r:?}");
                ran += 1;
            }
            "skipped" if r.error.contains("(capacity)") => {
                *skipped.entry("capacity").or_insert(0) += 1;
            }
            "skipped" if r.error.contains("(overlap: forbid)") => {
                assert!(
                    forbid.contains(job),
                    "tick {tick} of {job}, an `overlap: allow` job, skipped for overlap: {r:?}"
                );
                *skipped.entry("overlap").or_insert(0) += 1;
            }
            _ => panic!(
                "tick {tick} of {job} neither ran nor was skipped for capacity or overlap: {r:?}"
            ),
        }
    }
    eprintln!(
        "{} ticks: {ran} ran, skipped {skipped:?}; runs and skips per worker {per_worker:?}; \
         most runs waiting for a slot {most_waiting:?}",
        got.len()
    );
    assert_eq!(got.len(), jobs.len() * ticks.len());
    assert!(
        skipped.get("capacity").is_some_and(|n| *n > 0),
        "at three times the capacity, with {MAX_WAITING} runs waiting at most, some ticks are skipped for capacity: {skipped:?}"
    );

    // The workers were past their capacity (else this tested nothing), and each took its
    // share of the ticks.
    for w in &c.workers {
        assert!(
            most_waiting.get(&w.id).is_some_and(|n| *n > 0.0),
            "{} never had a run waiting for a slot: {most_waiting:?}",
            w.id
        );
        assert!(
            per_worker.contains_key(&w.id),
            "{} recorded no tick: {per_worker:?}",
            w.id
        );
    }
    // A `forbid` job never ran beside itself, however late its runs started.
    for job in &forbid {
        assert_no_overlap(
            got.values()
                .map(|r| &r[0])
                .filter(|r| r.job == *job && r.status == "success"),
        );
    }
    // Nothing anywhere in the store was lost or outlived its worker's lease.
    let troubled: Vec<Rec> = c
        .records()
        .into_iter()
        .filter(|r| r.status == "lost" || r.error.contains("lease"))
        .collect();
    assert!(troubled.is_empty(), "{troubled:#?}");

    // Every worker kept its lease from start to end: the same entry, never fenced, and no
    // tick dropped without a record.
    assert_eq!(
        c.registrations(),
        registered,
        "a worker's registration changed under load (its lease lapsed)"
    );
    for (i, w) in c.workers.iter().enumerate() {
        let metrics = c.worker_metrics(i);
        let counter = |name: &str| {
            metrics
                .value(name, &[])
                .unwrap_or_else(|| panic!("{} serves no {name}", w.id))
        };
        assert_eq!(
            counter("schedd_fenced_total"),
            0.0,
            "{} fenced itself",
            w.id
        );
        assert_eq!(
            counter("schedd_ticks_lost_total"),
            0.0,
            "{} dropped ticks without a record",
            w.id
        );
    }
    // etcd stayed within its quota.
    let (alarms, db_size) =
        c.rt.block_on(async { (c.etcd.alarms().await, c.etcd.db_size().await) });
    eprintln!("etcd backend: {db_size} bytes of a {ETCD_QUOTA}-byte quota");
    assert!(alarms.is_empty(), "etcd raised alarms: {alarms:?}");
}

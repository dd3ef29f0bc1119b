//! Broadcast jobs (`runOn: all`) across a cluster: every online worker runs each tick once,
//! with its shard, and a worker that joins takes its share from the next tick on.

use std::collections::{BTreeMap, BTreeSet};

use testkit::eventually;

use crate::harness::{Cluster, DEADLINE, Rec, every_second, now_ms, seconds_between};

/// The runs of `job` by tick, for ticks in `[from, to)`.
fn by_tick(c: &Cluster, job: &str, from: i64, to: i64) -> BTreeMap<i64, Vec<Rec>> {
    let mut ticks: BTreeMap<i64, Vec<Rec>> = BTreeMap::new();
    for r in c.records() {
        if r.job == job && r.plan_ms >= from && r.plan_ms < to {
            ticks.entry(r.plan_ms).or_default().push(r);
        }
    }
    ticks
}

#[test]
fn a_broadcast_tick_runs_once_on_each_worker_and_a_joiner_starts_at_the_next_tick() {
    let mut c = Cluster::start();
    for n in 1..=3 {
        c.add_worker(n, &[]);
    }
    c.wait_for_workers(3);
    let mut job = every_second(
        "rotate",
        "echo shard $SCHEDD_SHARD_INDEX of $SCHEDD_SHARD_TOTAL",
    );
    job["runOn"] = "all".into();
    c.put_job(job);

    // Ten ticks with three workers: three runs each, one per worker, shards 0..3 of 3.
    let start = now_ms() + 2_000;
    let ticks = seconds_between(start, start + 10_000);
    let got = eventually(
        "every tick of the window run by three workers",
        DEADLINE * 2,
        || {
            let got = by_tick(&c, "rotate", start, start + 10_000);
            (got.len() == ticks.len() && got.values().all(|runs| runs.len() >= 3)).then_some(got)
        },
    );
    let outputs = c.outputs();
    for (tick, runs) in &got {
        let workers: BTreeSet<&str> = runs.iter().map(|r| r.worker.as_str()).collect();
        assert_eq!(
            workers,
            BTreeSet::from(["worker-1", "worker-2", "worker-3"]),
            "tick {tick}: {runs:?}"
        );
        assert_eq!(runs.len(), 3, "one run per worker at tick {tick}: {runs:?}");
        let mut shards: Vec<String> = runs
            .iter()
            .map(|r| outputs.get(&r.execution_id).cloned().unwrap_or_default())
            .collect();
        shards.sort();
        assert_eq!(
            shards,
            ["shard 0 of 3\n", "shard 1 of 3\n", "shard 2 of 3\n"],
            "tick {tick}"
        );
        assert!(runs.iter().all(|r| r.status == "success"), "{runs:?}");
    }

    // A fourth worker joins: it runs no tick from before it was up, then every tick.
    let joined = now_ms();
    c.add_worker(4, &[]);
    c.wait_for_workers(4);
    let first_of_joiner = eventually("the joiner's first run", DEADLINE, || {
        c.records()
            .into_iter()
            .filter(|r| r.job == "rotate" && r.worker == "worker-4")
            .map(|r| r.plan_ms)
            .min()
    });
    assert!(
        first_of_joiner > joined,
        "the joiner ran tick {first_of_joiner}, from before it started at {joined}"
    );
    // From its first tick on, each tick is run by the four workers, once each.
    let after = first_of_joiner;
    let later = seconds_between(after, after + 5_000);
    let got = eventually(
        "four runs per tick from the joiner's first",
        DEADLINE * 2,
        || {
            let got = by_tick(&c, "rotate", after, after + 5_000);
            (got.len() == later.len() && got.values().all(|runs| runs.len() >= 4)).then_some(got)
        },
    );
    for (tick, runs) in &got {
        let workers: BTreeSet<&str> = runs.iter().map(|r| r.worker.as_str()).collect();
        assert_eq!(workers.len(), 4, "tick {tick}: {runs:?}");
        assert_eq!(runs.len(), 4, "one run per worker at tick {tick}: {runs:?}");
    }
    // Every tick since the joiner's first, up to the window, has its run.
    let joiner_ticks: BTreeSet<i64> = c
        .records()
        .into_iter()
        .filter(|r| r.job == "rotate" && r.worker == "worker-4")
        .map(|r| r.plan_ms)
        .collect();
    for tick in seconds_between(first_of_joiner, after + 5_000) {
        assert!(
            joiner_ticks.contains(&tick),
            "the joiner skipped tick {tick}"
        );
    }
}

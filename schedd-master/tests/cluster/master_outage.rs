//! The master stopped for 30 s while jobs run every second: the workers keep running the
//! ticks and spool their records, and once the master is back every tick of the whole window
//! is recorded exactly once.

use std::time::Duration;

use crate::harness::{
    Cluster, assert_all_success, assert_once, every_second, now_ms, seconds_between, wait_for_ticks,
};

/// How long the master is stopped.
const OUTAGE: Duration = Duration::from_secs(30);

#[test]
fn ticks_run_while_the_master_is_stopped_for_30_s_are_recorded_once_after_its_restart() {
    let mut c = Cluster::start();
    c.add_worker(1, &[]);
    c.add_worker(2, &[]);
    c.wait_for_workers(2);
    let jobs: Vec<String> = (0..5).map(|i| format!("master-outage-{i}")).collect();
    for j in &jobs {
        c.put_job(every_second(j, "true"));
    }
    // The jobs run and their records reach the master.
    let start = now_ms() + 2_000;
    wait_for_ticks(&c, &jobs, &seconds_between(start, start + 3_000));

    c.stop_master();
    let stopped = now_ms();
    // The outage under test: the master is away for 30 s while the jobs keep running.
    std::thread::sleep(OUTAGE);
    let outage_end = now_ms();
    // Nothing could reach the stopped master: the records of the outage's ticks are still on
    // the workers.
    let stored_during = c.by_tick(stopped, outage_end);
    assert!(
        stored_during.is_empty(),
        "records of ticks after the master stopped are in its store: {:?}",
        stored_during.keys().collect::<Vec<_>>()
    );
    c.start_master();
    let restarted = now_ms();

    // Every tick from before the stop to a while after the restart has its record, once.
    let ticks = seconds_between(start, restarted + 5_000);
    let got = wait_for_ticks(&c, &jobs, &ticks);
    let per_worker = assert_once(&got);
    assert_all_success(&got);
    assert_eq!(
        per_worker.values().sum::<usize>(),
        jobs.len() * ticks.len(),
        "{per_worker:?}"
    );
    // The ticks of the outage ran on schedule, were spooled on the workers and reached the
    // master after its restart.
    let during = seconds_between(stopped, outage_end);
    assert!(
        during.len() >= 25,
        "the outage spans whole seconds: {during:?}"
    );
    for job in &jobs {
        for tick in &during {
            assert!(
                got.contains_key(&(job.clone(), *tick)),
                "tick {tick} of {job} in the outage has no record"
            );
        }
    }
}

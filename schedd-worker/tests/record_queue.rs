//! The queue of finished records between the real runner (real processes) and the sink,
//! against its byte bound: runs that end while it is full keep their executor slots until
//! their record has room, so no more runs start and nothing piles up outside the queue; and
//! once the sink reads again, every record arrives whole. The state is read from the
//! worker's metrics and the queue, with generous deadlines; nothing is timed.

use std::sync::Arc;
use std::time::Duration;

use prometheus_client::registry::Registry;
use schedd_core::{EventHub, ExecutionStatus, Job, Overlap, SystemClock, Trigger};
use schedd_worker::metrics::WorkerMetrics;
use schedd_worker::{Dispatch, Runner, RunnerConfig, record_queue};
use tokio::sync::broadcast;

const DEADLINE: Duration = Duration::from_secs(60);
/// Output of each run: 300 KiB, so one record fits in the queue's 400 KiB and two do not.
const OUTPUT: usize = 300 * 1024;
const QUEUE_BYTES: usize = 400 * 1024;

/// Runs that finished, as the worker's metrics count them.
fn finished(registry: &Registry) -> f64 {
    let mut text = String::new();
    prometheus_client::encoding::text::encode(&mut text, registry).expect("encodes");
    let exposition = testkit::openmetrics::parse(&text).expect("valid exposition");
    exposition
        .value("schedd_executions_total", &[("status", "success")])
        .expect("the series is there from the start")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_ending_while_the_record_queue_is_full_hold_their_slots_and_lose_nothing() {
    let mut registry = Registry::default();
    let metrics = WorkerMetrics::register(&mut registry);
    let (tx, mut rx) = record_queue::channel(1000, QUEUE_BYTES, metrics.record_queue_bytes());
    let runner = Runner::new(
        RunnerConfig {
            worker_id: "w".into(),
            worker_ip: "127.0.0.1".into(),
            capacity: 2,
            kill_grace: Duration::from_millis(100),
            max_waiting: 100,
        },
        Arc::new(SystemClock),
        tx.clone(),
        EventHub::new(64),
        broadcast::channel(16).0,
    );
    runner.set_metrics(Arc::clone(&metrics));
    let mut job = Job::new(
        "big-output",
        "0 0 0 1 1 *",
        format!("head -c {OUTPUT} /dev/zero | tr '\\0' x"),
    );
    job.overlap = Overlap::Allow;
    job.max_output_bytes = 2 * OUTPUT as u64;
    let job = Arc::new(job);
    let tick = chrono::DateTime::from_timestamp(1_800_000_000, 0).expect("time");
    for _ in 0..5 {
        runner.fire(Arc::clone(&job), tick, Trigger::Manual, None);
    }

    // The sink reads nothing. The first record takes the queue; the next two runs end and
    // keep both slots waiting for room; the last two never start.
    testkit::eventually_async("three runs finished", DEADLINE, || {
        let n = finished(&registry);
        async move { (n >= 3.0).then_some(()) }
    })
    .await;
    assert_eq!(finished(&registry), 3.0, "no run past the slots' holders");
    assert_eq!(runner.waiting(), 2, "two runs still wait for a slot");
    let one = tx.queued_bytes();
    assert!(
        (OUTPUT as u64..=QUEUE_BYTES as u64).contains(&one),
        "one record queued: {one} bytes"
    );

    // The sink reads again: every record comes, whole, and the queue stays in its bound.
    let mut got = Vec::new();
    while got.len() < 5 {
        assert!(tx.queued_bytes() <= tx.max_bytes());
        let record = tokio::time::timeout(DEADLINE, rx.recv())
            .await
            .expect("a record within the deadline")
            .expect("the runner is there");
        assert_eq!(record.status, ExecutionStatus::Success, "{}", record.error);
        assert_eq!(record.output.len(), OUTPUT, "never cut, never dropped");
        got.push(record.execution_id);
    }
    got.sort();
    got.dedup();
    assert_eq!(got.len(), 5, "five distinct records");
    runner.shutdown().await;
    assert_eq!(tx.queued_bytes(), 0);
}

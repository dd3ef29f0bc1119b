//! What every [`LogStore`] promises, written once and run against each backend (SQLite
//! always, MongoDB when a server is named). Each check takes an empty store.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use schedd_core::store::{LogQuery, LogStore};
use schedd_core::{ExecutionRecord, ExecutionStatus, Trigger};

pub fn record(id: &str, job: &str, start: i64, status: ExecutionStatus) -> ExecutionRecord {
    ExecutionRecord {
        execution_id: id.into(),
        job_name: job.into(),
        command: "echo".into(),
        start_time_ms: start,
        end_time_ms: start + 100,
        exit_code: i32::from(status != ExecutionStatus::Success),
        attempt: 1,
        status,
        ..Default::default()
    }
}

/// 25 runs of `a` one second apart from 1,000 s, every fifth failed.
pub fn runs_of_a() -> Vec<ExecutionRecord> {
    (0..25)
        .map(|i| {
            let status = if i % 5 == 0 {
                ExecutionStatus::Failed
            } else {
                ExecutionStatus::Success
            };
            record(&format!("e{i:02}"), "a", 1_000_000 + i * 1000, status)
        })
        .collect()
}

/// A record with every field set, and set differently for each `i`.
fn full_record(i: i64) -> ExecutionRecord {
    let triggers = [
        Trigger::Schedule,
        Trigger::Manual,
        Trigger::Retry,
        Trigger::CatchUp,
        Trigger::Dependency,
    ];
    let statuses = [
        ExecutionStatus::Success,
        ExecutionStatus::Failed,
        ExecutionStatus::Timeout,
        ExecutionStatus::Killed,
        ExecutionStatus::Skipped,
        ExecutionStatus::Lost,
    ];
    ExecutionRecord {
        execution_id: format!("x{i:04}"),
        job_name: format!("job{}", i % 7),
        command: format!("echo {i}"),
        output: format!("out {i}\n"),
        stderr: format!("err {i}\n"),
        error: if i % 2 == 0 {
            String::new()
        } else {
            format!("exit status {i}")
        },
        plan_time_ms: 1_700_000_000_000 + i * 1000,
        schedule_time_ms: 1_700_000_000_003 + i * 1000,
        start_time_ms: 1_700_000_000_010 + i * 1000,
        end_time_ms: 1_700_000_000_500 + i * 1000,
        exit_code: i32::try_from(i % 256).expect("small") - 1,
        is_timeout: i % 3 == 0,
        worker_ip: format!("10.0.{}.{}", i / 256, i % 256),
        worker_id: format!("w{}", i % 5),
        trigger: triggers[(i % 5) as usize],
        attempt: u32::try_from(i % 4 + 1).expect("small"),
        output_truncated: i % 2 == 1,
        status: statuses[(i % 6) as usize],
        parent_execution_id: if i % 5 == 4 {
            format!("p{i:04}")
        } else {
            String::new()
        },
        notifications: (0..i % 3)
            .map(|n| schedd_core::notify::Delivery {
                event: "failure".into(),
                url: format!("https://hooks.example.com/{i}?token=***"),
                delivered: n == 0,
                attempts: u32::try_from(n + 1).expect("small"),
                status: if n == 0 { 200 } else { 500 },
                error: if n == 0 {
                    String::new()
                } else {
                    "HTTP 500".into()
                },
                at_ms: 1_700_000_001_000 + i,
            })
            .collect(),
    }
}

/// Stored once per execution id: a batch counts only its new records.
pub async fn insert_skips_records_already_stored_and_counts_the_new_ones(store: &dyn LogStore) {
    let recs = runs_of_a();
    assert_eq!(store.insert(&recs).await.expect("insert"), 25);
    assert_eq!(store.insert(&recs[..3]).await.expect("again"), 0);
    let mixed = [
        recs[4].clone(),
        record("new", "a", 9_000_000, ExecutionStatus::Success),
    ];
    assert_eq!(store.insert(&mixed).await.expect("mixed"), 1);
    assert_eq!(store.insert(&[]).await.expect("nothing"), 0);
    let all = LogQuery {
        page: 1,
        page_size: 100,
        ..Default::default()
    };
    assert_eq!(store.list(&all).await.expect("list").total, 26);
}

/// A record of what happened replaces a `lost` guess for the same execution; nothing
/// replaces a real record.
pub async fn a_real_record_replaces_a_lost_guess_and_nothing_replaces_a_real_one(
    store: &dyn LogStore,
) {
    let mut lost = record("e1", "a", 1_000_000, ExecutionStatus::Lost);
    lost.error = "lost: worker w1 stopped".into();
    let one = |r: &ExecutionRecord| vec![r.clone()];
    assert_eq!(store.insert(&one(&lost)).await.expect("lost"), 1);
    assert_eq!(
        store.insert(&one(&lost)).await.expect("lost again"),
        0,
        "a second guess changes nothing"
    );
    let mut real = record("e1", "a", 1_000_000, ExecutionStatus::Killed);
    real.end_time_ms = 1_009_000;
    real.error = "fenced".into();
    let batch = [
        real.clone(),
        record("e2", "a", 2_000_000, ExecutionStatus::Success),
    ];
    assert_eq!(store.insert(&batch).await.expect("real"), 2);
    let ids = ["e1".to_owned()];
    assert_eq!(
        store.find(&ids).await.expect("find"),
        vec![real.clone()],
        "the real record wins"
    );
    // A late guess, or another real record, leaves the real one in place.
    assert_eq!(store.insert(&[lost]).await.expect("late guess"), 0);
    let other = record("e1", "a", 3_000_000, ExecutionStatus::Success);
    assert_eq!(store.insert(&[other]).await.expect("other"), 0);
    assert_eq!(store.find(&ids).await.expect("find"), vec![real]);
    let page = store
        .list(&LogQuery {
            job_name: Some("a".into()),
            ..Default::default()
        })
        .await
        .expect("list");
    assert_eq!(page.total, 2, "each execution stored once");

    // The same record again with the deliveries of its notices replaces it; with fewer
    // (an older copy, sent again) it does not.
    let failed = record("e3", "a", 4_000_000, ExecutionStatus::Failed);
    assert_eq!(store.insert(&one(&failed)).await.expect("failed"), 1);
    let delivery = |attempts| schedd_core::notify::Delivery {
        event: "failure".into(),
        url: "https://hooks.example.com/h".into(),
        delivered: true,
        attempts,
        status: 200,
        error: String::new(),
        at_ms: 4_001_000,
    };
    let told = ExecutionRecord {
        notifications: vec![delivery(2)],
        ..failed.clone()
    };
    assert_eq!(store.insert(&one(&told)).await.expect("told"), 1);
    let ids = ["e3".to_owned()];
    assert_eq!(store.find(&ids).await.expect("find"), vec![told.clone()]);
    assert_eq!(store.insert(&one(&failed)).await.expect("older"), 0);
    assert_eq!(store.find(&ids).await.expect("find"), vec![told]);
}

/// Records are found by id, whole, however many ids are asked for.
pub async fn find_returns_the_stored_records_among_the_ids_across_chunks(store: &dyn LogStore) {
    assert!(
        store
            .find(&["x0000".to_owned()])
            .await
            .expect("empty")
            .is_empty()
    );
    let recs: Vec<_> = (0..2_400).map(full_record).collect();
    assert_eq!(store.insert(&recs).await.expect("insert"), 2_400);
    // Every other record: 1,200 ids, more than one chunk in either store; then unknown ids,
    // an empty one, and a repeat of the first, which lands in a later chunk than its first
    // occurrence.
    let wanted: Vec<ExecutionRecord> = recs.iter().step_by(2).cloned().collect();
    let mut ids: Vec<String> = wanted.iter().map(|r| r.execution_id.clone()).collect();
    ids.extend((0..5).map(|i| format!("unknown{i}")));
    ids.push(String::new());
    ids.push(wanted[0].execution_id.clone());
    let mut found = store.find(&ids).await.expect("find");
    found.sort_by(|a, b| a.execution_id.cmp(&b.execution_id));
    assert_eq!(
        found.len(),
        1_200,
        "each stored id once, unknown ones left out"
    );
    assert_eq!(found, wanted, "records read back whole");
    assert!(store.find(&[]).await.expect("find nothing").is_empty());
}

/// The newest tick of each job: manual runs are not ticks, a retry keeps its tick, jobs
/// without a tick are left out.
pub async fn last_ticks_are_the_newest_plan_times_of_each_job_not_counting_manual_runs(
    store: &dyn LogStore,
) {
    let tick = |id: &str, job: &str, plan: i64, start: i64, trigger: Trigger| ExecutionRecord {
        plan_time_ms: plan,
        trigger,
        ..record(id, job, start, ExecutionStatus::Success)
    };
    let records = [
        tick("a1", "a", 1_000, 1_000, Trigger::Schedule),
        tick("a2", "a", 2_000, 2_000, Trigger::Schedule),
        // A retry of the newest tick starts later and keeps its plan time.
        tick("a3", "a", 2_000, 9_000, Trigger::Retry),
        tick("a4", "a", 50_000, 50_000, Trigger::Manual),
        tick("b1", "b", 7_000, 7_100, Trigger::CatchUp),
        tick("c1", "c", 5_000, 5_000, Trigger::Manual),
    ];
    store.insert(&records).await.expect("insert");
    let jobs = ["a", "b", "c", "d"].map(String::from);
    let last = store.last_ticks(&jobs).await.expect("last ticks");
    assert_eq!(
        last,
        HashMap::from([("a".to_owned(), 2_000), ("b".to_owned(), 7_000)])
    );
}

fn query() -> LogQuery {
    LogQuery {
        page: 1,
        page_size: 100,
        ..Default::default()
    }
}

fn ids(records: &[ExecutionRecord]) -> Vec<&str> {
    records.iter().map(|r| r.execution_id.as_str()).collect()
}

fn at(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).expect("valid time")
}

/// Filters by job, status and time (since inclusive, until exclusive, to the millisecond)
/// and pages, newest first.
pub async fn list_filters_by_job_status_and_time_and_pages_newest_first(store: &dyn LogStore) {
    let recs = runs_of_a();
    store.insert(&recs).await.expect("insert");
    store
        .insert(&[record("b1", "b", 5_000_000, ExecutionStatus::Timeout)])
        .await
        .expect("b");

    let all = store.list(&query()).await.expect("all");
    assert_eq!(all.total, 26);
    assert_eq!(
        all.records.first().map(|r| r.execution_id.as_str()),
        Some("b1")
    );
    assert_eq!(all.records[1], recs[24], "records read back whole");

    let page2 = LogQuery {
        job_name: Some("a".into()),
        page: 2,
        page_size: 10,
        ..Default::default()
    };
    let page = store.list(&page2).await.expect("page 2");
    assert_eq!(page.total, 25);
    let expected: Vec<String> = (5..=14).rev().map(|i| format!("e{i:02}")).collect();
    assert_eq!(ids(&page.records), expected);
    let beyond = LogQuery {
        page: 9,
        ..page2.clone()
    };
    let page = store.list(&beyond).await.expect("beyond the end");
    assert_eq!((page.records.len(), page.total), (0, 25));

    let by_status = |status| LogQuery {
        status: Some(status),
        ..query()
    };
    let failed = store
        .list(&by_status(ExecutionStatus::Failed))
        .await
        .expect("failed");
    assert_eq!(ids(&failed.records), ["e20", "e15", "e10", "e05", "e00"]);
    let success = store
        .list(&by_status(ExecutionStatus::Success))
        .await
        .expect("success");
    assert_eq!(success.total, 20);
    let timeout = store
        .list(&by_status(ExecutionStatus::Timeout))
        .await
        .expect("timeout");
    assert_eq!(ids(&timeout.records), ["b1"]);
    let killed = store
        .list(&by_status(ExecutionStatus::Killed))
        .await
        .expect("killed");
    assert_eq!(killed.total, 0);

    // [1,003,000 ms, 1,006,000 ms): e03, e04, e05; the lower bound is inclusive, the
    // upper exclusive, at millisecond precision.
    let window = LogQuery {
        since: Some(at(1_003_000)),
        until: Some(at(1_006_000)),
        ..query()
    };
    let page = store.list(&window).await.expect("window");
    assert_eq!(ids(&page.records), ["e05", "e04", "e03"]);
    let window = LogQuery {
        since: Some(at(1_003_001)),
        until: Some(at(1_006_001)),
        ..query()
    };
    let page = store.list(&window).await.expect("window");
    assert_eq!(ids(&page.records), ["e06", "e05", "e04"]);
    let everything = LogQuery {
        job_name: Some("a".into()),
        status: Some(ExecutionStatus::Failed),
        since: Some(at(1_000_000)),
        until: Some(at(1_015_000)),
        ..query()
    };
    let page = store.list(&everything).await.expect("all filters");
    assert_eq!(ids(&page.records), ["e10", "e05", "e00"]);

    // One tick's runs: every worker's run of a broadcast job's tick at 2,000 s, and none
    // of the ticks around it.
    let runs: Vec<ExecutionRecord> = [
        ("w1", 2_000_000),
        ("w2", 2_000_000),
        ("w3", 2_000_000),
        ("w1", 1_999_000),
        ("w1", 2_001_000),
    ]
    .iter()
    .enumerate()
    .map(|(i, (worker, tick))| ExecutionRecord {
        plan_time_ms: *tick,
        worker_id: (*worker).into(),
        ..record(
            &format!("t{i}"),
            "bc",
            tick + 50 + i as i64,
            ExecutionStatus::Success,
        )
    })
    .collect();
    store.insert(&runs).await.expect("insert");
    let tick = LogQuery {
        job_name: Some("bc".into()),
        tick: Some(at(2_000_400)),
        ..query()
    };
    let page = store.list(&tick).await.expect("tick");
    assert_eq!(ids(&page.records), ["t2", "t1", "t0"]);
    assert_eq!(page.total, 3);
}

/// The newest run of a job, or none.
pub async fn latest_is_the_newest_run_of_the_job(store: &dyn LogStore) {
    assert_eq!(store.latest("a").await.expect("latest"), None);
    let recs = runs_of_a();
    store.insert(&recs).await.expect("insert");
    store
        .insert(&[record("b1", "b", 5_000_000, ExecutionStatus::Success)])
        .await
        .expect("b");
    let latest = store.latest("a").await.expect("latest").expect("some");
    assert_eq!(latest, recs[24]);
}

/// Counts by status, mean and percentile durations, last run; since a time.
pub async fn stats_count_statuses_average_percentiles_and_last_run(store: &dyn LogStore) {
    store.insert(&runs_of_a()).await.expect("insert");
    store
        .insert(&[
            record("b1", "b", 5_000_000, ExecutionStatus::Timeout),
            record("b2", "b", 5_001_000, ExecutionStatus::Killed),
        ])
        .await
        .expect("b");
    let since = at(0);
    let a = store.stats(Some("a"), since).await.expect("stats a");
    assert_eq!((a.total, a.success, a.failed), (25, 20, 5));
    assert_eq!((a.timeout, a.killed), (0, 0));
    assert!((a.avg_duration_ms - 100.0).abs() < 1e-9, "{a:?}");
    assert_eq!((a.p50_duration_ms, a.p95_duration_ms), (100, 100));
    assert_eq!(a.last_run_ms, Some(1_024_000));
    let all = store.stats(None, since).await.expect("all");
    assert_eq!((all.total, all.timeout, all.killed), (27, 1, 1));
    assert_eq!(all.last_run_ms, Some(5_001_000));
    let recent = store.stats(Some("a"), at(1_020_000)).await.expect("since");
    assert_eq!(recent.total, 5);

    // Durations 1..=100 ms: nearest-rank p50 is 50 and p95 is 95. `$percentile` is
    // approximate (MongoDB 7+), so allow one step either way.
    let spread: Vec<_> = (1..=100)
        .map(|d| {
            let mut r = record(
                &format!("s{d}"),
                "spread",
                2_000_000 + d * 1000,
                ExecutionStatus::Success,
            );
            r.end_time_ms = r.start_time_ms + d;
            r
        })
        .collect();
    store.insert(&spread).await.expect("insert");
    let s = store.stats(Some("spread"), since).await.expect("stats");
    assert!((s.p50_duration_ms - 50).abs() <= 1, "{s:?}");
    assert!((s.p95_duration_ms - 95).abs() <= 1, "{s:?}");
    assert!((s.avg_duration_ms - 50.5).abs() < 1e-9, "{s:?}");

    let none = store.stats(Some("nope"), since).await.expect("none");
    assert_eq!((none.total, none.last_run_ms), (0, None));
    assert_eq!((none.p50_duration_ms, none.p95_duration_ms), (0, 0));
}

/// The checks, to name one for a backend that makes the store its own way.
#[derive(Debug, Clone, Copy)]
pub enum Check {
    InsertSkipsDuplicates,
    RealRecordReplacesLost,
    FindAcrossChunks,
    LastTicks,
    ListFiltersAndPages,
    Latest,
    Stats,
}

/// Runs `check` against `store`, which must be empty.
pub async fn run(check: Check, store: &dyn LogStore) {
    match check {
        Check::InsertSkipsDuplicates => {
            insert_skips_records_already_stored_and_counts_the_new_ones(store).await;
        }
        Check::RealRecordReplacesLost => {
            a_real_record_replaces_a_lost_guess_and_nothing_replaces_a_real_one(store).await;
        }
        Check::FindAcrossChunks => {
            find_returns_the_stored_records_among_the_ids_across_chunks(store).await;
        }
        Check::LastTicks => {
            last_ticks_are_the_newest_plan_times_of_each_job_not_counting_manual_runs(store).await;
        }
        Check::ListFiltersAndPages => {
            list_filters_by_job_status_and_time_and_pages_newest_first(store).await;
        }
        Check::Latest => latest_is_the_newest_run_of_the_job(store).await,
        Check::Stats => stats_count_statuses_average_percentiles_and_last_run(store).await,
    }
}

/// A test per check for one backend: `$backend` names the tests' module, `$with_store` is
/// an async fn that runs a [`Check`] against a fresh store, and the attributes mark each test
/// (an `ignore` for a backend that needs a server).
#[macro_export]
macro_rules! log_store_contract {
    ($backend:ident, $with_store:path $(, #[$attr:meta])*) => {
        mod $backend {
            use super::common::Check;

            #[tokio::test]
            $(#[$attr])*
            async fn insert_skips_records_already_stored_and_counts_the_new_ones() {
                $with_store(Check::InsertSkipsDuplicates).await;
            }

            #[tokio::test]
            $(#[$attr])*
            async fn a_real_record_replaces_a_lost_guess_and_nothing_replaces_a_real_one() {
                $with_store(Check::RealRecordReplacesLost).await;
            }

            #[tokio::test]
            $(#[$attr])*
            async fn find_returns_the_stored_records_among_the_ids_across_chunks() {
                $with_store(Check::FindAcrossChunks).await;
            }

            #[tokio::test]
            $(#[$attr])*
            async fn last_ticks_are_the_newest_plan_times_of_each_job_not_counting_manual_runs() {
                $with_store(Check::LastTicks).await;
            }

            #[tokio::test]
            $(#[$attr])*
            async fn list_filters_by_job_status_and_time_and_pages_newest_first() {
                $with_store(Check::ListFiltersAndPages).await;
            }

            #[tokio::test]
            $(#[$attr])*
            async fn latest_is_the_newest_run_of_the_job() {
                $with_store(Check::Latest).await;
            }

            #[tokio::test]
            $(#[$attr])*
            async fn stats_count_statuses_average_percentiles_and_last_run() {
                $with_store(Check::Stats).await;
            }
        }
    };
}

//! The log stores: the contract every [`LogStore`] keeps ([`common`]), run against SQLite and
//! MongoDB, and what is MongoDB's own (the old system's documents, indexes, the TTL).
//!
//! MongoDB runs against a real server. Set `SCHEDD_TEST_MONGODB_URI` (e.g.
//! `mongodb://127.0.0.1:27017`) to run these: they are `#[ignore]`d, so the runner reports
//! them as skipped, not passed, and `scripts/test` runs them when the variable is set (no
//! MongoDB server can be installed on the project's machines).
//! Each test works in a fresh database with a random name and drops it at the end, pass or fail.
//!
//! `opening_an_unreachable_server_fails_promptly_naming_the_address` needs no server and
//! always runs.

use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::DateTime;
use mongodb::Client;
use mongodb::bson::{Document, doc};
use schedd_core::ExecutionStatus;
use schedd_core::store::{LogQuery, LogStore, StoreError};
use schedd_store::{MongoLogStore, MongoOptions, SqliteStore};

mod common;
use common::{Check, record, runs_of_a};

const URI_VAR: &str = "SCHEDD_TEST_MONGODB_URI";

/// Runs `body` with the server URI and a fresh database name, then drops the database. Fails
/// when no server is named: a test that cannot run must not pass.
async fn with_server<F, Fut>(test: &str, body: F)
where
    F: FnOnce(String, String) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Ok(uri) = std::env::var(URI_VAR) else {
        panic!("{test} needs a MongoDB server: set {URI_VAR} (e.g. mongodb://127.0.0.1:27017)");
    };
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_nanos();
    let db = format!(
        "schedd_test_{}_{nanos}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    // Spawned so that a failed assertion still reaches the drop below.
    let outcome = tokio::spawn(body(uri.clone(), db.clone())).await;
    let client = Client::with_uri_str(&uri).await.expect("client");
    client
        .database(&db)
        .drop()
        .await
        .expect("drop the test database");
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

fn options(db: &str, retention_days: Option<u32>) -> MongoOptions {
    MongoOptions {
        database: db.to_owned(),
        retention_days,
        ..Default::default()
    }
}

async fn open(uri: &str, db: &str) -> MongoLogStore {
    MongoLogStore::open(uri, options(db, None))
        .await
        .expect("open")
}

fn query() -> LogQuery {
    LogQuery {
        page: 1,
        page_size: 100,
        ..Default::default()
    }
}

fn at(ms: i64) -> DateTime<chrono::Utc> {
    DateTime::from_timestamp_millis(ms).expect("valid time")
}

async fn with_sqlite(check: Check) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = SqliteStore::open(dir.path().join("schedd.db")).expect("open");
    common::run(check, &store).await;
}

async fn with_mongo(check: Check) {
    with_server(&format!("{check:?}"), move |uri, db| async move {
        common::run(check, &open(&uri, &db).await).await;
    })
    .await;
}

log_store_contract!(sqlite, super::with_sqlite);
log_store_contract!(
    mongo,
    super::with_mongo,
    #[ignore = "needs a MongoDB server: set SCHEDD_TEST_MONGODB_URI (scripts/test then runs it)"]
);

#[tokio::test]
#[ignore = "needs a MongoDB server: set SCHEDD_TEST_MONGODB_URI (scripts/test then runs it)"]
async fn stored_documents_keep_the_old_field_names_beside_ours() {
    with_server(
        "stored_documents_keep_the_old_field_names_beside_ours",
        |uri, db| async move {
            let store = open(&uri, &db).await;
            assert_eq!(store.insert(&runs_of_a()).await.expect("insert"), 25);
            let raw = store
                .collection()
                .find_one(doc! { "executionId": "e01" })
                .await
                .expect("find")
                .expect("stored");
            assert_eq!(raw.get_i64("startTime").expect("startTime"), 1_001);
            assert_eq!(raw.get_i64("startTimeMs").expect("startTimeMs"), 1_001_000);
            assert_eq!(raw.get_str("status").expect("status"), "success");
            assert!(raw.get_datetime("startedAt").is_ok());
        },
    )
    .await;
}

#[tokio::test]
#[ignore = "needs a MongoDB server: set SCHEDD_TEST_MONGODB_URI (scripts/test then runs it)"]
async fn old_documents_are_never_found_by_id_and_their_ticks_count_in_seconds() {
    with_server(
        "old_documents_are_never_found_by_id_and_their_ticks_count_in_seconds",
        |uri, db| async move {
            let store = open(&uri, &db).await;
            let mut old = old_document(1_600_000_000, 0, false, "");
            old.insert("jobName", "old");
            store
                .collection()
                .insert_one(old)
                .await
                .expect("raw insert");
            // It has no executionId: not even the empty id finds it.
            assert!(store.find(&[String::new()]).await.expect("find").is_empty());
            let last = store
                .last_ticks(&["old".to_owned()])
                .await
                .expect("last ticks");
            assert_eq!(last.get("old"), Some(&1_600_000_000_000));
        },
    )
    .await;
}

/// A document as the old Go system wrote it: int64 seconds, no executionId, no status.
fn old_document(start_s: i64, exit_code: i64, is_timeout: bool, error: &str) -> Document {
    doc! {
        "jobName": "legacy",
        "command": "echo hi",
        "output": "hi\n",
        "error": error,
        "planTime": start_s,
        "scheduleTime": start_s,
        "startTime": start_s,
        "endTime": start_s + 2,
        "exitCode": exit_code,
        "isTimeout": is_timeout,
        "workerIp": "10.0.0.1",
    }
}

#[tokio::test]
async fn opening_an_unreachable_server_fails_promptly_naming_the_address() {
    let options = MongoOptions {
        connect_timeout: Duration::from_millis(500),
        ..Default::default()
    };
    let err = MongoLogStore::open(
        "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=500",
        options,
    )
    .await
    .expect_err("nothing listens on port 1");
    let StoreError::Unavailable(msg) = &err else {
        panic!("expected Unavailable, got {err:?}");
    };
    assert!(msg.contains("127.0.0.1:1"), "{msg}");
}

#[tokio::test]
#[ignore = "needs a MongoDB server: set SCHEDD_TEST_MONGODB_URI (scripts/test then runs it)"]
async fn open_creates_the_indexes_and_keeps_the_ttl_in_step_with_the_retention() {
    with_server(
        "open_creates_the_indexes_and_keeps_the_ttl_in_step_with_the_retention",
        |uri, db| async move {
            let store = MongoLogStore::open(&uri, options(&db, Some(7)))
                .await
                .expect("open");
            let mut cursor = store.collection().list_indexes().await.expect("indexes");
            let mut indexes = Vec::new();
            while cursor.advance().await.expect("next index") {
                indexes.push(cursor.deserialize_current().expect("index"));
            }
            let find = |keys: Document| {
                indexes
                    .iter()
                    .find(|i| i.keys == keys)
                    .unwrap_or_else(|| panic!("no index on {keys}: {indexes:?}"))
                    .clone()
            };
            find(doc! { "jobName": 1, "startTime": -1 });
            find(doc! { "startTime": -1 });
            let unique = find(doc! { "executionId": 1 });
            let unique = unique.options.expect("options");
            assert_eq!(unique.unique, Some(true));
            assert_eq!(
                unique.partial_filter_expression,
                Some(doc! { "executionId": { "$exists": true } })
            );
            let ttl = find(doc! { "startedAt": 1 }).options.expect("options");
            assert_eq!(ttl.expire_after, Some(Duration::from_secs(7 * 86_400)));
            drop(store);

            // A changed retention changes the index; opening again is harmless.
            let store = MongoLogStore::open(&uri, options(&db, Some(30)))
                .await
                .expect("reopen with 30 days");
            MongoLogStore::open(&uri, options(&db, Some(30)))
                .await
                .expect("reopen unchanged");
            let mut cursor = store.collection().list_indexes().await.expect("indexes");
            let mut ttl = None;
            while cursor.advance().await.expect("next index") {
                let i = cursor.deserialize_current().expect("index");
                if i.keys == doc! { "startedAt": 1 } {
                    ttl = i.options.and_then(|o| o.expire_after);
                }
            }
            assert_eq!(ttl, Some(Duration::from_secs(30 * 86_400)));

            // No retention: the TTL index goes, the others stay.
            let store = MongoLogStore::open(&uri, options(&db, None))
                .await
                .expect("reopen without retention");
            let names = store.collection().list_index_names().await.expect("names");
            assert!(!names.iter().any(|n| n == "startedAt_ttl"), "{names:?}");
            assert!(names.iter().any(|n| n == "executionId_1"), "{names:?}");
        },
    )
    .await;
}

#[tokio::test]
#[ignore = "needs a MongoDB server: set SCHEDD_TEST_MONGODB_URI (scripts/test then runs it)"]
async fn old_go_documents_are_listed_filtered_and_counted() {
    with_server(
        "old_go_documents_are_listed_filtered_and_counted",
        |uri, db| async move {
            let store = open(&uri, &db).await;
            let mut shell_numbers = old_document(104, 0, false, "");
            // As the mongo shell writes numbers: doubles; and a 32-bit exit code.
            shell_numbers.insert("startTime", 104.0);
            shell_numbers.insert("endTime", 105.0);
            shell_numbers.insert("exitCode", 0_i32);
            store
                .collection()
                .insert_many([
                    old_document(100, 0, false, ""),
                    old_document(101, 1, false, "exit status 1"),
                    old_document(102, 0, false, "fork failed"),
                    old_document(103, -1, true, "timeout"),
                    shell_numbers,
                ])
                .await
                .expect("raw insert");
            // A new run of the same job, 500 ms into second 103.
            store
                .insert(&[record("n1", "legacy", 103_500, ExecutionStatus::Killed)])
                .await
                .expect("new run");
            // Old documents have no executionId: the unique index does not make them collide.
            assert_eq!(
                store
                    .collection()
                    .count_documents(doc! {})
                    .await
                    .expect("count"),
                6
            );

            let job = LogQuery {
                job_name: Some("legacy".into()),
                ..query()
            };
            let all = store.list(&job).await.expect("list");
            assert_eq!(all.total, 6);
            let starts: Vec<_> = all.records.iter().map(|r| r.start_time_ms).collect();
            assert_eq!(
                starts,
                [104_000, 103_500, 103_000, 102_000, 101_000, 100_000]
            );
            let newest = &all.records[0];
            assert_eq!((newest.end_time_ms, newest.attempt), (105_000, 1));
            assert_eq!(newest.status, ExecutionStatus::Success);

            let status = |s| LogQuery {
                status: Some(s),
                ..job.clone()
            };
            let starts_of = |page: schedd_core::store::LogPage| -> Vec<i64> {
                page.records.iter().map(|r| r.start_time_ms).collect()
            };
            let success = store
                .list(&status(ExecutionStatus::Success))
                .await
                .expect("success");
            assert_eq!(starts_of(success), [104_000, 100_000]);
            let failed = store
                .list(&status(ExecutionStatus::Failed))
                .await
                .expect("failed");
            assert_eq!(starts_of(failed), [102_000, 101_000]);
            let timeout = store
                .list(&status(ExecutionStatus::Timeout))
                .await
                .expect("timeout");
            assert_eq!(starts_of(timeout), [103_000]);

            // [101,000 ms, 103,500 ms): old runs at seconds 101 to 103, not the new one at
            // 103.5 s; (101,001 ms ..) leaves out second 101.
            let window = LogQuery {
                since: Some(at(101_000)),
                until: Some(at(103_500)),
                ..job.clone()
            };
            let page = store.list(&window).await.expect("window");
            assert_eq!(starts_of(page), [103_000, 102_000, 101_000]);
            let window = LogQuery {
                since: Some(at(101_001)),
                until: Some(at(103_501)),
                ..job.clone()
            };
            let page = store.list(&window).await.expect("window");
            assert_eq!(starts_of(page), [103_500, 103_000, 102_000]);

            let latest = store.latest("legacy").await.expect("latest").expect("some");
            assert_eq!(latest.start_time_ms, 104_000);

            let stats = store.stats(Some("legacy"), at(0)).await.expect("stats");
            assert_eq!(
                (
                    stats.total,
                    stats.success,
                    stats.failed,
                    stats.timeout,
                    stats.killed
                ),
                (6, 2, 2, 1, 1)
            );
            // Old runs last 2 s (1 s for the shell one), the new one 100 ms.
            let avg = (4.0 * 2000.0 + 1000.0 + 100.0) / 6.0;
            assert!((stats.avg_duration_ms - avg).abs() < 1e-6, "{stats:?}");
            assert_eq!(stats.last_run_ms, Some(104_000));
            // Nearest rank gives 2000; `$percentile` is approximate, so only its range is sure.
            assert!((1000..=2000).contains(&stats.p95_duration_ms), "{stats:?}");
            let since = store
                .stats(Some("legacy"), at(103_001))
                .await
                .expect("since");
            assert_eq!(
                since.total, 2,
                "the new run at 103.5 s and the old one at 104 s"
            );
        },
    )
    .await;
}

#[tokio::test]
#[ignore = "needs a MongoDB server: set SCHEDD_TEST_MONGODB_URI (scripts/test then runs it)"]
async fn the_audit_trail_is_settled_in_place_filtered_paged_and_pruned() {
    use schedd_core::audit::{Actor, AuditAction, AuditEntry, AuditOutcome, AuditQuery};
    use schedd_core::store::AuditLog;
    with_server(
        "the_audit_trail_is_settled_in_place_filtered_paged_and_pruned",
        |uri, db| async move {
            let store = open(&uri, &db).await;
            let entry = |ms: i64, actor: &str, action, target: &str| {
                let mut e = AuditEntry::pending(
                    at(ms),
                    Actor {
                        name: actor.into(),
                        role: "admin".into(),
                        source: "10.0.0.1:5000".into(),
                        client: "test".into(),
                    },
                    action,
                    target,
                );
                e.id = format!("{ms:013}");
                e
            };
            let mut save = entry(1_000, "ci", AuditAction::Save, "backup");
            store.record(&save).await.expect("pending");
            save.outcome = AuditOutcome::Done;
            save.after = Some(schedd_core::Job::new("backup", "0 0 3 * * *", "tar c /srv"));
            store.record(&save).await.expect("settled");
            store
                .record(&entry(2_000, "alice", AuditAction::Disable, "backup"))
                .await
                .expect("record");
            store
                .record(&entry(3_000, "ci", AuditAction::Delete, "report"))
                .await
                .expect("record");
            let list = |q: AuditQuery| {
                let store = store.clone();
                async move { AuditLog::list(&store, &q).await.expect("list") }
            };
            let all = list(AuditQuery {
                page: 1,
                page_size: 10,
                ..AuditQuery::default()
            })
            .await;
            assert_eq!(all.total, 3);
            let ids: Vec<&str> = all.entries.iter().map(|e| e.id.as_str()).collect();
            assert_eq!(ids, ["0000000003000", "0000000002000", "0000000001000"]);
            assert_eq!(all.entries[2], save, "settled in place");
            let backup = list(AuditQuery {
                target: Some("backup".into()),
                page: 1,
                page_size: 1,
                ..AuditQuery::default()
            })
            .await;
            assert_eq!((backup.total, backup.entries.len()), (2, 1));
            let ci_saves = list(AuditQuery {
                actor: Some("ci".into()),
                action: Some(AuditAction::Save),
                page: 1,
                page_size: 10,
                ..AuditQuery::default()
            })
            .await;
            assert_eq!(ci_saves.total, 1);
            let window = list(AuditQuery {
                since: Some(at(2_000)),
                until: Some(at(3_000)),
                page: 1,
                page_size: 10,
                ..AuditQuery::default()
            })
            .await;
            assert_eq!(window.total, 1, "since inclusive, until exclusive");
            assert!(store.contains(&save.id).await.expect("contains"));
            let pruned = AuditLog::prune(&store, 1, at(86_400_000 + 2_500))
                .await
                .expect("prune");
            assert_eq!(pruned, 2, "entries older than a day at that time");
            assert!(!store.contains(&save.id).await.expect("contains"));
        },
    )
    .await;
}

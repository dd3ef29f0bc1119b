//! What every [`JobStore`] promises, as checks that take a fresh, empty store: reads give back
//! what was written, whole, at the revision the write returned; `Expect` guards each write and a
//! refused write changes nothing (not even the store revision); a delete returns what it took;
//! revisions grow with every write; and a watcher that subscribes and then lists sees each
//! later change once, in order, at the revision its write returned. `tests/job_stores.rs` runs
//! each check against every backend through [`job_store_contract!`]; what only one backend does
//! (the old Go master's JSON in etcd, a SQLite file reopened) is tested beside it.
//!
//! The checks never assert a revision's value, only how revisions compare: SQLite counts from
//! 1, etcd from wherever its cluster is.
//!
//! Kept out of `tests/common`: each test binary compiles the modules it declares whole, and
//! these checks would be dead code in `tests/log_stores.rs`.

use std::collections::BTreeMap;
use std::time::Duration;

use schedd_core::store::{Expect, JobChange, JobStore, StoreError, Versioned};
use schedd_core::{Job, JobName, Overlap};
use tokio::sync::broadcast;

/// How long a change may take to reach a watcher: generous, as the machine may be busy; a
/// passing run waits only as long as the change takes.
const DEADLINE: Duration = Duration::from_secs(30);

fn name(s: &str) -> JobName {
    JobName::new(s).expect("a valid job name")
}

fn job(name: &str, command: &str) -> Job {
    Job::new(name, "*/5 * * * * *", command)
}

/// A job with every field away from its default, including one this version does not know.
fn full_job(name: &str) -> Job {
    let mut job = Job::new(
        name,
        "0 30 2 * * 1-5",
        "report --out \"$REPORT_DIR\"\necho 'done'",
    );
    job.timeout = 600;
    job.disabled = true;
    job.created_at = 1_700_000_000;
    job.updated_at = 1_700_000_100;
    job.timezone = "Europe/Berlin".into();
    job.overlap = Overlap::Replace;
    job.retries = 3;
    job.retry_backoff_ms = 2_500;
    job.selector = BTreeMap::from([
        ("disk".to_owned(), "ssd".to_owned()),
        (
            "topology.kubernetes.io/zone".to_owned(),
            "eu-west-1a".to_owned(),
        ),
    ]);
    job.env = BTreeMap::from([
        ("REPORT_DIR".to_owned(), "/var/reports".to_owned()),
        ("GREETING".to_owned(), "grüße \"alle\"\n".to_owned()),
    ]);
    job.description = "Nightly report, weekdays only.".into();
    job.max_output_bytes = 1 << 20;
    job.catch_up_seconds = 3_600;
    job.jitter_ms = 1_500;
    job.extra.insert(
        "owner".into(),
        serde_json::json!({ "team": "sre", "pager": true }),
    );
    job.validate_fields().expect("the full job is a valid job");
    job
}

/// The store's current revision.
async fn revision(store: &dyn JobStore) -> i64 {
    store.list().await.expect("list").1
}

/// The names of the jobs listed, in the order listed.
async fn names(store: &dyn JobStore) -> Vec<String> {
    let (jobs, _) = store.list().await.expect("list");
    jobs.into_iter().map(|j| j.value.name).collect()
}

/// The next change newer than `listed_at` (older ones a subscriber skips, as the
/// [`JobStore`] docs say), within the deadline.
async fn next_change(rx: &mut broadcast::Receiver<JobChange>, listed_at: i64) -> JobChange {
    loop {
        let change = tokio::time::timeout(DEADLINE, rx.recv())
            .await
            .expect("a job change within the deadline")
            .expect("the job watch is open and not lagging");
        if change.revision() > listed_at {
            return change;
        }
    }
}

/// Asserts that `result` is a conflict over `job` with these revisions.
fn assert_conflict<T: std::fmt::Debug>(
    result: Result<T, StoreError>,
    job: &str,
    expected_revision: i64,
    found_revision: i64,
) {
    match result {
        Err(StoreError::Conflict {
            name,
            expected,
            found,
        }) => assert_eq!(
            (name.as_str(), expected, found),
            (job, expected_revision, found_revision),
            "(name, expected, found) of the conflict"
        ),
        other => panic!("expected a conflict over `{job}`, got {other:?}"),
    }
}

/// A job put is got back at the revision the put returned, and listed among the others by
/// name, with a store revision at or after each job's.
pub async fn a_put_job_is_got_back_and_listed_by_name_with_its_revision(store: &dyn JobStore) {
    let (jobs, _) = store.list().await.expect("list");
    assert!(jobs.is_empty(), "a fresh store is empty: {jobs:?}");
    assert_eq!(store.get(&name("a")).await.expect("get"), None);

    let a = job("a", "echo a");
    let created = store.put(&a, Expect::Absent).await.expect("create a");
    assert!(created.revision > 0, "{created:?}");
    assert_eq!(created.previous, None, "nothing was replaced");
    let a = Versioned {
        value: a,
        revision: created.revision,
    };
    assert_eq!(store.get(&name("a")).await.expect("get a"), Some(a.clone()));

    // Written out of name order, and with `Any`: the list is ordered by name all the same.
    let c = job("c", "echo c");
    let c = Versioned {
        revision: store.put(&c, Expect::Any).await.expect("put c").revision,
        value: c,
    };
    let b = job("b", "echo b");
    let b = Versioned {
        revision: store.put(&b, Expect::Absent).await.expect("put b").revision,
        value: b,
    };
    let (jobs, listed_at) = store.list().await.expect("list");
    assert_eq!(jobs, [a, b, c.clone()]);
    for job in &jobs {
        assert!(listed_at >= job.revision, "listed at {listed_at}: {job:?}");
    }
    assert_eq!(store.get(&name("c")).await.expect("get c"), Some(c));
    assert_eq!(store.get(&name("d")).await.expect("get d"), None);
}

/// Every field of a job, one this version does not know included, comes back unchanged from
/// get, list, the watch and the `previous` of the write that replaces it.
pub async fn every_field_of_a_job_survives_the_round_trip(store: &dyn JobStore) {
    let mut rx = store.watch();
    let (_, listed_at) = store.list().await.expect("list");
    let full = full_job("report");
    let created = store.put(&full, Expect::Absent).await.expect("create");
    let stored = Versioned {
        value: full.clone(),
        revision: created.revision,
    };
    assert_eq!(
        store.get(&name("report")).await.expect("get"),
        Some(stored.clone())
    );
    assert_eq!(
        store.list().await.expect("list").0,
        std::slice::from_ref(&stored)
    );
    assert_eq!(
        next_change(&mut rx, listed_at).await,
        JobChange::Put(stored.clone())
    );

    let mut changed = full.clone();
    changed.env.insert("EXTRA".into(), "1".into());
    changed.selector.remove("disk");
    changed.overlap = Overlap::Allow;
    changed.timezone = "America/New_York".into();
    let updated = store
        .put(&changed, Expect::Revision(created.revision))
        .await
        .expect("update");
    assert_eq!(updated.previous, Some(stored), "the replaced job, whole");
    assert_eq!(
        store.get(&name("report")).await.expect("get"),
        Some(Versioned {
            value: changed,
            revision: updated.revision
        })
    );
}

/// `Expect::Absent` creates a job only where there is none: over one it conflicts, naming
/// the job's revision, and changes nothing.
pub async fn creating_a_job_that_exists_conflicts_and_changes_nothing(store: &dyn JobStore) {
    let original = job("a", "echo original");
    let created = store.put(&original, Expect::Absent).await.expect("create");
    let before = revision(store).await;

    assert_conflict(
        store.put(&job("a", "echo again"), Expect::Absent).await,
        "a",
        0,
        created.revision,
    );
    assert_eq!(
        store.get(&name("a")).await.expect("get"),
        Some(Versioned {
            value: original,
            revision: created.revision
        }),
        "the job is as it was"
    );
    assert_eq!(revision(store).await, before, "no write happened");
}

/// `Expect::Revision` writes only over the job at that revision: at the current one the write
/// succeeds and the revision grows; at a stale one it conflicts, naming the current revision,
/// and changes nothing.
pub async fn a_write_at_a_stale_revision_conflicts_and_at_the_current_one_succeeds(
    store: &dyn JobStore,
) {
    let v1 = job("a", "echo v1");
    let r1 = store
        .put(&v1, Expect::Absent)
        .await
        .expect("create")
        .revision;
    let v2 = job("a", "echo v2");
    let updated = store
        .put(&v2, Expect::Revision(r1))
        .await
        .expect("update at the current revision");
    assert!(updated.revision > r1, "{updated:?} after {r1}");
    assert_eq!(
        updated.previous,
        Some(Versioned {
            value: v1,
            revision: r1
        })
    );
    let now = Versioned {
        value: v2,
        revision: updated.revision,
    };
    let before = revision(store).await;

    assert_conflict(
        store.put(&job("a", "echo v3"), Expect::Revision(r1)).await,
        "a",
        r1,
        updated.revision,
    );
    assert_eq!(store.get(&name("a")).await.expect("get"), Some(now.clone()));
    assert_eq!(revision(store).await, before, "no write happened");

    let v3 = job("a", "echo v3");
    let again = store
        .put(&v3, Expect::Revision(updated.revision))
        .await
        .expect("update at the revision just read");
    assert!(again.revision > updated.revision, "{again:?} after {now:?}");
    assert_eq!(again.previous, Some(now));
}

/// `Expect::Revision` never creates: for a job that is not there it conflicts with found 0,
/// at revision 0 too, and writes nothing.
pub async fn a_write_at_a_revision_of_a_missing_job_conflicts_and_creates_nothing(
    store: &dyn JobStore,
) {
    store
        .put(&job("other", "echo"), Expect::Absent)
        .await
        .expect("create another job");
    let before = revision(store).await;
    assert_conflict(
        store.put(&job("b", "echo b"), Expect::Revision(7)).await,
        "b",
        7,
        0,
    );
    assert_conflict(
        store.put(&job("b", "echo b"), Expect::Revision(0)).await,
        "b",
        0,
        0,
    );
    assert_eq!(store.get(&name("b")).await.expect("get"), None);
    assert_eq!(names(store).await, ["other"]);
    assert_eq!(revision(store).await, before, "no write happened");
}

/// Of two writers at the same revision, exactly one wins; the other conflicts, naming the
/// winner's revision, and leaves the winner's job in place.
pub async fn of_two_writers_at_the_same_revision_one_wins_and_the_other_conflicts(
    store: &dyn JobStore,
) {
    let base = store
        .put(&job("a", "echo base"), Expect::Absent)
        .await
        .expect("create a");
    let first = job("a", "echo first");
    let second = job("a", "echo second");
    let (r1, r2) = tokio::join!(
        store.put(&first, Expect::Revision(base.revision)),
        store.put(&second, Expect::Revision(base.revision)),
    );
    let (winner, won, lost) = match (r1, r2) {
        (Ok(won), lost @ Err(_)) => (first, won, lost),
        (lost @ Err(_), Ok(won)) => (second, won, lost),
        other => panic!("exactly one writer must win, got {other:?}"),
    };
    assert_conflict(lost, "a", base.revision, won.revision);
    let (jobs, _) = store.list().await.expect("list");
    assert_eq!(
        jobs,
        [Versioned {
            value: winner,
            revision: won.revision
        }],
        "the loser changed nothing"
    );
}

/// `Expect::Any` writes whatever is there: it creates a job, then overwrites it, returning what
/// it replaced.
pub async fn an_unconditional_put_creates_or_overwrites_and_returns_what_it_replaced(
    store: &dyn JobStore,
) {
    let v1 = job("a", "echo v1");
    let created = store.put(&v1, Expect::Any).await.expect("create");
    assert_eq!(created.previous, None);
    let v2 = job("a", "echo v2");
    let overwritten = store.put(&v2, Expect::Any).await.expect("overwrite");
    assert!(overwritten.revision > created.revision, "{overwritten:?}");
    assert_eq!(
        overwritten.previous,
        Some(Versioned {
            value: v1,
            revision: created.revision
        })
    );
    assert_eq!(
        store.get(&name("a")).await.expect("get"),
        Some(Versioned {
            value: v2,
            revision: overwritten.revision
        })
    );
}

/// A delete returns the job it took, at its last revision; the job is gone from get and list;
/// deleting it again, or a job that never was, is `NotFound` and writes nothing; and the name
/// can be created again.
pub async fn a_delete_returns_the_job_and_a_second_delete_is_not_found(store: &dyn JobStore) {
    let a = job("a", "echo a");
    let r_a = store
        .put(&a, Expect::Absent)
        .await
        .expect("create a")
        .revision;
    store
        .put(&job("b", "echo b"), Expect::Absent)
        .await
        .expect("create b");

    let deleted = store.delete(&name("a")).await.expect("delete a");
    assert_eq!(
        deleted,
        Versioned {
            value: a,
            revision: r_a
        }
    );
    assert_eq!(store.get(&name("a")).await.expect("get"), None);
    assert_eq!(names(store).await, ["b"]);

    let before = revision(store).await;
    assert!(before > r_a, "the delete is a write: {before} after {r_a}");
    for gone in ["a", "never"] {
        match store.delete(&name(gone)).await {
            Err(StoreError::NotFound(n)) => assert_eq!(n, gone),
            other => panic!("deleting `{gone}` again: expected NotFound, got {other:?}"),
        }
    }
    assert_eq!(revision(store).await, before, "no write happened");

    let again = store
        .put(&job("a", "echo again"), Expect::Absent)
        .await
        .expect("a deleted name is free again");
    assert!(again.revision > before, "{again:?}");
    assert_eq!(again.previous, None);
}

/// A watcher that subscribes and then lists sees every later write once, in order: a put, an
/// update and a delete of a job at the revisions the writes returned (the delete at the store
/// revision it made), nothing for a refused write, then the next job's put.
pub async fn watchers_see_puts_updates_and_deletes_in_order_at_their_revisions(
    store: &dyn JobStore,
) {
    store
        .put(&job("before", "echo"), Expect::Any)
        .await
        .expect("a job from before the watch");
    let mut rx = store.watch();
    let (jobs, listed_at) = store.list().await.expect("list");
    assert_eq!(jobs.len(), 1);

    let v1 = job("a", "echo v1");
    let created = store.put(&v1, Expect::Absent).await.expect("create a");
    let v2 = job("a", "echo v2");
    let updated = store
        .put(&v2, Expect::Revision(created.revision))
        .await
        .expect("update a");
    store
        .put(
            &job("a", "echo refused"),
            Expect::Revision(created.revision),
        )
        .await
        .expect_err("a stale write is refused");
    let deleted = store.delete(&name("a")).await.expect("delete a");
    assert_eq!(deleted.revision, updated.revision);
    let deleted_at = revision(store).await;
    let next = job("next", "echo");
    let next_put = store.put(&next, Expect::Absent).await.expect("create next");

    let mut seen = Vec::new();
    for _ in 0..4 {
        seen.push(next_change(&mut rx, listed_at).await);
    }
    assert_eq!(
        seen,
        [
            JobChange::Put(Versioned {
                value: v1,
                revision: created.revision
            }),
            JobChange::Put(Versioned {
                value: v2,
                revision: updated.revision
            }),
            JobChange::Deleted {
                name: "a".into(),
                revision: deleted_at
            },
            JobChange::Put(Versioned {
                value: next,
                revision: next_put.revision
            }),
        ]
    );
    assert!(
        updated.revision < deleted_at && deleted_at < next_put.revision,
        "{seen:?}"
    );
}

/// Every write takes a revision above every earlier one, whichever job it is to; a delete
/// too.
pub async fn revisions_strictly_increase_across_writes_of_different_jobs(store: &dyn JobStore) {
    let mut last = revision(store).await;
    let mut grows = |at: i64, what: &str| {
        assert!(at > last, "{what} at {at}, after {last}");
        last = at;
    };
    for (n, expect) in [
        ("a", Expect::Absent),
        ("b", Expect::Any),
        ("c", Expect::Absent),
    ] {
        let out = store.put(&job(n, "echo"), expect).await.expect("put");
        grows(out.revision, &format!("put of {n}"));
    }
    let a = store.get(&name("a")).await.expect("get").expect("a exists");
    let out = store
        .put(&job("a", "echo again"), Expect::Revision(a.revision))
        .await
        .expect("update a");
    grows(out.revision, "update of a");
    let out = store
        .put(&job("b", "echo again"), Expect::Any)
        .await
        .expect("overwrite b");
    grows(out.revision, "overwrite of b");
    store.delete(&name("c")).await.expect("delete c");
    grows(revision(store).await, "delete of c");
    let out = store
        .put(&job("d", "echo"), Expect::Absent)
        .await
        .expect("create d");
    grows(out.revision, "put of d");
}

/// The checks, to name one in a backend's test.
#[derive(Debug, Clone, Copy)]
pub enum Check {
    RoundTrip,
    FieldsSurvive,
    AbsentConflicts,
    StaleRevisionConflicts,
    MissingRevisionConflicts,
    TwoWriters,
    AnyOverwrites,
    Delete,
    Watch,
    RevisionsIncrease,
}

/// Runs `check` against `store`, which must be empty.
pub async fn run(check: Check, store: &dyn JobStore) {
    match check {
        Check::RoundTrip => a_put_job_is_got_back_and_listed_by_name_with_its_revision(store).await,
        Check::FieldsSurvive => every_field_of_a_job_survives_the_round_trip(store).await,
        Check::AbsentConflicts => {
            creating_a_job_that_exists_conflicts_and_changes_nothing(store).await;
        }
        Check::StaleRevisionConflicts => {
            a_write_at_a_stale_revision_conflicts_and_at_the_current_one_succeeds(store).await;
        }
        Check::MissingRevisionConflicts => {
            a_write_at_a_revision_of_a_missing_job_conflicts_and_creates_nothing(store).await;
        }
        Check::TwoWriters => {
            of_two_writers_at_the_same_revision_one_wins_and_the_other_conflicts(store).await;
        }
        Check::AnyOverwrites => {
            an_unconditional_put_creates_or_overwrites_and_returns_what_it_replaced(store).await;
        }
        Check::Delete => a_delete_returns_the_job_and_a_second_delete_is_not_found(store).await,
        Check::Watch => {
            watchers_see_puts_updates_and_deletes_in_order_at_their_revisions(store).await;
        }
        Check::RevisionsIncrease => {
            revisions_strictly_increase_across_writes_of_different_jobs(store).await;
        }
    }
}

/// A test per check for one backend: `$backend` names the tests' module, `$with_store` is an
/// async fn that runs a [`Check`] against a fresh store, and the attributes mark each test.
/// The runtime has two threads: the etcd store's watch runs as a task beside the test.
#[macro_export]
macro_rules! job_store_contract {
    ($backend:ident, $with_store:path $(, #[$attr:meta])*) => {
        mod $backend {
            use super::job_contract::Check;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            $(#[$attr])*
            async fn a_put_job_is_got_back_and_listed_by_name_with_its_revision() {
                $with_store(Check::RoundTrip).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            $(#[$attr])*
            async fn every_field_of_a_job_survives_the_round_trip() {
                $with_store(Check::FieldsSurvive).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            $(#[$attr])*
            async fn creating_a_job_that_exists_conflicts_and_changes_nothing() {
                $with_store(Check::AbsentConflicts).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            $(#[$attr])*
            async fn a_write_at_a_stale_revision_conflicts_and_at_the_current_one_succeeds() {
                $with_store(Check::StaleRevisionConflicts).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            $(#[$attr])*
            async fn a_write_at_a_revision_of_a_missing_job_conflicts_and_creates_nothing() {
                $with_store(Check::MissingRevisionConflicts).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            $(#[$attr])*
            async fn of_two_writers_at_the_same_revision_one_wins_and_the_other_conflicts() {
                $with_store(Check::TwoWriters).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            $(#[$attr])*
            async fn an_unconditional_put_creates_or_overwrites_and_returns_what_it_replaced() {
                $with_store(Check::AnyOverwrites).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            $(#[$attr])*
            async fn a_delete_returns_the_job_and_a_second_delete_is_not_found() {
                $with_store(Check::Delete).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            $(#[$attr])*
            async fn watchers_see_puts_updates_and_deletes_in_order_at_their_revisions() {
                $with_store(Check::Watch).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            $(#[$attr])*
            async fn revisions_strictly_increase_across_writes_of_different_jobs() {
                $with_store(Check::RevisionsIncrease).await;
            }
        }
    };
}

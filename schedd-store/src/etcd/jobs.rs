//! Job definitions in etcd, at `<prefix>/jobs/<name>`, as the old system's JSON: the
//! [`JobStore`] of cluster mode. A job's revision is its key's `mod_revision`, so writes are
//! compare-and-swap on what etcd itself tracks, and the old Go master and schedd can share a
//! cluster during a migration.
//!
//! Watching runs one pump task per store (started by the first [`JobStore::watch`]): it
//! [`follow`]s the jobs prefix and republishes every change on a broadcast channel. A value
//! that is not job JSON (written into etcd by hand or by another program) is logged and
//! treated as if the job were not there.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use async_trait::async_trait;
use etcd_client::{
    Compare, CompareOp, DeleteOptions, KeyValue, PutOptions, Txn, TxnOp, TxnOpResponse,
};
use schedd_core::store::{Expect, JobChange, JobStore, PutOutcome, StoreError, Versioned};
use schedd_core::{Job, JobName};
use tokio::sync::{broadcast, mpsc, watch};
use tokio_util::sync::CancellationToken;

use super::Etcd;
use super::watch::{Change, KeyRange, WatchItem, follow, read_range};

/// Buffered job changes per watcher before it lags and must list again.
const WATCH_BUFFER: usize = 4096;
/// How long `list` waits for a just-started watch to read the jobs (see [`EtcdJobStore::list`]).
const WATCH_READY_WAIT: Duration = Duration::from_secs(10);

/// Jobs in etcd. Cheap to clone: clones share the connection and the watch.
#[derive(Debug, Clone)]
pub struct EtcdJobStore {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    etcd: Etcd,
    /// `<prefix>/jobs/`
    jobs_prefix: String,
    changes: broadcast::Sender<JobChange>,
    /// Set once the pump is started; true once it has read the jobs.
    pump_ready: OnceLock<watch::Receiver<bool>>,
    /// Stops the pump when the last clone of the store is dropped.
    shutdown: CancellationToken,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

impl EtcdJobStore {
    pub fn new(etcd: Etcd) -> EtcdJobStore {
        let jobs_prefix = etcd.key("jobs/");
        let (changes, _) = broadcast::channel(WATCH_BUFFER);
        EtcdJobStore {
            inner: Arc::new(Inner {
                etcd,
                jobs_prefix,
                changes,
                pump_ready: OnceLock::new(),
                shutdown: CancellationToken::new(),
            }),
        }
    }

    fn key(&self, name: &str) -> String {
        format!("{}{name}", self.inner.jobs_prefix)
    }

    fn error(&self, e: etcd_client::Error) -> StoreError {
        self.inner.etcd.error(e)
    }

    /// Decodes a value written to `prev_kv`, where a value that cannot be read is logged and
    /// reported as no previous job: the write itself succeeded.
    fn previous(&self, kv: Option<&KeyValue>) -> Option<Versioned<Job>> {
        let kv = kv?;
        match decode(&self.inner.jobs_prefix, kv) {
            Ok(job) => Some(job),
            Err(e) => {
                tracing::error!(key = %String::from_utf8_lossy(kv.key()), error = %e, "replaced a stored job that could not be read");
                None
            }
        }
    }

    /// Waits until the pump, if one runs, has read the jobs. See [`EtcdJobStore::list`].
    async fn pump_caught_up(&self) -> Result<(), StoreError> {
        let Some(ready) = self.inner.pump_ready.get() else {
            return Ok(());
        };
        let mut ready = ready.clone();
        match tokio::time::timeout(WATCH_READY_WAIT, ready.wait_for(|ready| *ready)).await {
            // Either ready, or the pump is gone (the store is being dropped): nothing to wait for.
            Ok(_) => Ok(()),
            Err(_) => Err(StoreError::Unavailable(format!(
                "the job watch could not read the jobs from etcd within {WATCH_READY_WAIT:?}"
            ))),
        }
    }

    fn start_pump(&self) -> watch::Receiver<bool> {
        let etcd = &self.inner.etcd;
        let (ready_tx, ready_rx) = watch::channel(false);
        let items = follow(
            etcd,
            KeyRange::prefix(etcd, "jobs/"),
            self.inner.shutdown.clone(),
        );
        tokio::spawn(pump(
            items,
            JobView::new(self.inner.jobs_prefix.clone()),
            self.inner.changes.clone(),
            ready_tx,
        ));
        ready_rx
    }
}

/// The job's name in `key`, if `key` is a job key.
fn job_name<'a>(jobs_prefix: &str, key: &'a str) -> Option<&'a str> {
    key.strip_prefix(jobs_prefix)
}

/// Reads one job from its JSON. The key is what names a job: a value naming another job (put
/// there by hand) is read under the key's name, so `get`, `put` and `delete` agree on it.
fn decode_value(name: &str, value: &[u8]) -> Result<Job, String> {
    let mut job: Job =
        serde_json::from_slice(value).map_err(|e| format!("not valid job JSON: {e}"))?;
    if job.name != name {
        job.name = name.to_owned();
    }
    Ok(job)
}

fn decode(jobs_prefix: &str, kv: &KeyValue) -> Result<Versioned<Job>, String> {
    let key = String::from_utf8_lossy(kv.key());
    let name = job_name(jobs_prefix, &key).ok_or_else(|| format!("`{key}` is not a job key"))?;
    let value = decode_value(name, kv.value())?;
    Ok(Versioned {
        value,
        revision: kv.mod_revision(),
    })
}

#[async_trait]
impl JobStore for EtcdJobStore {
    async fn get(&self, name: &JobName) -> Result<Option<Versioned<Job>>, StoreError> {
        let key = self.key(name.as_str());
        let mut client = self.inner.etcd.client();
        let response = self
            .inner
            .etcd
            .timed("get", client.get(key.as_str(), None))
            .await
            .map_err(|e| self.error(e))?;
        let Some(kv) = response.kvs().first() else {
            return Ok(None);
        };
        decode(&self.inner.jobs_prefix, kv)
            .map(Some)
            .map_err(|e| StoreError::Corrupt(format!("job `{name}` (etcd key {key}): {e}")))
    }

    /// Every readable job. When this store's watch was started just before (the order the
    /// [`JobStore`] contract asks for), the list waits until the watch has read the jobs: its
    /// revision is then at or after the revision the watch publishes changes from, so no
    /// change falls between the two.
    async fn list(&self) -> Result<(Vec<Versioned<Job>>, i64), StoreError> {
        self.pump_caught_up().await?;
        let mut client = self.inner.etcd.client();
        let range = KeyRange::prefix(&self.inner.etcd, "jobs/");
        let (kvs, revision) = self
            .inner
            .etcd
            .timed("list", read_range(&mut client, &range))
            .await
            .map_err(|e| self.error(e))?;
        let mut jobs = Vec::with_capacity(kvs.len());
        for kv in &kvs {
            // One value this version cannot read (written by a newer one, or by hand) must
            // not hide every other job.
            match decode(&self.inner.jobs_prefix, kv) {
                Ok(job) => jobs.push(job),
                Err(e) => tracing::error!(
                    key = %String::from_utf8_lossy(kv.key()),
                    error = %e,
                    "skipping a stored job that cannot be read"
                ),
            }
        }
        // Keys sort bytewise, and so do names; sorted again to not depend on it.
        jobs.sort_by(|a, b| a.value.name.cmp(&b.value.name));
        Ok((jobs, revision))
    }

    async fn put(&self, job: &Job, expect: Expect) -> Result<PutOutcome, StoreError> {
        let key = self.key(&job.name);
        let body = serde_json::to_vec(job).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut client = self.inner.etcd.client();
        let put_options = Some(PutOptions::new().with_prev_key());
        let when = match expect {
            Expect::Any => {
                let mut response = self
                    .inner
                    .etcd
                    .timed("put", client.put(key, body, put_options))
                    .await
                    .map_err(|e| self.error(e))?;
                let revision = response.header().map_or(0, |h| h.revision());
                let previous = self.previous(response.take_prev_key().as_ref());
                return Ok(PutOutcome { revision, previous });
            }
            Expect::Absent => vec![Compare::create_revision(key.as_str(), CompareOp::Equal, 0)],
            // The key must exist too: an absent key has mod_revision 0, and `Revision(0)`
            // must not create one (as in the SQLite store).
            Expect::Revision(r) => vec![
                Compare::create_revision(key.as_str(), CompareOp::Greater, 0),
                Compare::mod_revision(key.as_str(), CompareOp::Equal, r),
            ],
        };
        let txn = Txn::new()
            .when(when)
            .and_then([TxnOp::put(key.as_str(), body, put_options)])
            // On a conflict, what is there now, read in the same transaction.
            .or_else([TxnOp::get(key.as_str(), None)]);
        let response = self
            .inner
            .etcd
            .timed("put", client.txn(txn))
            .await
            .map_err(|e| self.error(e))?;
        let revision = response.header().map_or(0, |h| h.revision());
        let first = response.op_responses().into_iter().next();
        if response.succeeded() {
            let previous = match first {
                Some(TxnOpResponse::Put(mut put)) => self.previous(put.take_prev_key().as_ref()),
                _ => None,
            };
            return Ok(PutOutcome { revision, previous });
        }
        let found = match first {
            Some(TxnOpResponse::Get(get)) => get.kvs().first().map_or(0, KeyValue::mod_revision),
            _ => 0,
        };
        let expected = match expect {
            Expect::Revision(r) => r,
            Expect::Any | Expect::Absent => 0,
        };
        Err(StoreError::Conflict {
            name: job.name.clone(),
            expected,
            found,
        })
    }

    async fn delete(&self, name: &JobName) -> Result<Versioned<Job>, StoreError> {
        let key = self.key(name.as_str());
        let mut client = self.inner.etcd.client();
        let mut response = self
            .inner
            .etcd
            .timed(
                "delete",
                client.delete(key, Some(DeleteOptions::new().with_prev_key())),
            )
            .await
            .map_err(|e| self.error(e))?;
        let Some(kv) = response.take_prev_kvs().into_iter().next() else {
            return Err(StoreError::NotFound(name.to_string()));
        };
        // A value that cannot be decoded can still be deleted: that is how it gets fixed.
        Ok(
            decode(&self.inner.jobs_prefix, &kv).unwrap_or_else(|_| Versioned {
                value: Job::new(name.to_string(), "", ""),
                revision: kv.mod_revision(),
            }),
        )
    }

    /// Subscribes to job changes. The first call starts the watch task, so it must be made
    /// within a Tokio runtime.
    fn watch(&self) -> broadcast::Receiver<JobChange> {
        let receiver = self.inner.changes.subscribe();
        self.inner.pump_ready.get_or_init(|| self.start_pump());
        receiver
    }
}

/// Republishes what [`follow`] sees as job changes, and says when it has read the jobs.
async fn pump(
    mut items: mpsc::Receiver<WatchItem>,
    mut view: JobView,
    changes: broadcast::Sender<JobChange>,
    ready: watch::Sender<bool>,
) {
    while let Some(item) = items.recv().await {
        for change in view.apply(item) {
            // No receivers is fine: the next subscriber lists first.
            let _ = changes.send(change);
        }
        ready.send_replace(true);
    }
}

/// The set of readable jobs as the pump last saw it, and how each item changes it.
#[derive(Debug)]
struct JobView {
    jobs_prefix: String,
    /// Readable jobs by name, with their revision.
    known: BTreeMap<String, i64>,
    /// False until the first snapshot, which is the starting point rather than a change.
    started: bool,
}

impl JobView {
    fn new(jobs_prefix: String) -> JobView {
        JobView {
            jobs_prefix,
            known: BTreeMap::new(),
            started: false,
        }
    }

    /// The job changes `item` makes, in revision order.
    fn apply(&mut self, item: WatchItem) -> Vec<JobChange> {
        match item {
            WatchItem::Changes(changes) => changes
                .into_iter()
                .filter_map(|change| self.change(change))
                .collect(),
            WatchItem::Snapshot { kvs, revision } => {
                let out = self.snapshot(kvs, revision);
                if self.started {
                    out
                } else {
                    self.started = true;
                    Vec::new()
                }
            }
        }
    }

    fn change(&mut self, change: Change) -> Option<JobChange> {
        let name = job_name(&self.jobs_prefix, change.key())?.to_owned();
        match change {
            Change::Put {
                key,
                value,
                mod_revision,
                ..
            } => match decode_value(&name, &value) {
                Ok(job) => {
                    self.known.insert(name, mod_revision);
                    Some(JobChange::Put(Versioned {
                        value: job,
                        revision: mod_revision,
                    }))
                }
                Err(e) => {
                    tracing::error!(%key, error = %e, "a stored job cannot be read; it is ignored until it is fixed");
                    // Whoever ran the old version must stop: for them the job is gone.
                    self.known.remove(&name).map(|_| JobChange::Deleted {
                        name,
                        revision: mod_revision,
                    })
                }
            },
            Change::Delete { mod_revision, .. } => {
                self.known.remove(&name).map(|_| JobChange::Deleted {
                    name,
                    revision: mod_revision,
                })
            }
        }
    }

    /// Replaces the view with a snapshot at `revision`, returning the difference: puts for
    /// new and changed jobs (at their own revisions, in revision order), then deletions, at
    /// the snapshot's revision, of the jobs that are gone.
    fn snapshot(&mut self, kvs: Vec<Change>, revision: i64) -> Vec<JobChange> {
        let mut now = BTreeMap::new();
        let mut puts = Vec::new();
        for change in kvs {
            let Change::Put {
                key,
                value,
                mod_revision,
                ..
            } = change
            else {
                continue;
            };
            let Some(name) = job_name(&self.jobs_prefix, &key) else {
                continue;
            };
            if self.known.get(name) == Some(&mod_revision) {
                now.insert(name.to_owned(), mod_revision);
                continue;
            }
            match decode_value(name, &value) {
                Ok(job) => {
                    now.insert(name.to_owned(), mod_revision);
                    puts.push(JobChange::Put(Versioned {
                        value: job,
                        revision: mod_revision,
                    }));
                }
                Err(e) => {
                    tracing::error!(%key, error = %e, "a stored job cannot be read; it is ignored until it is fixed");
                }
            }
        }
        puts.sort_by_key(JobChange::revision);
        let gone = self
            .known
            .keys()
            .filter(|name| !now.contains_key(*name))
            .map(|name| JobChange::Deleted {
                name: name.clone(),
                revision,
            });
        let out = puts.into_iter().chain(gone).collect();
        self.known = now;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PREFIX: &str = "/cron/jobs/";

    fn job_json(name: &str, command: &str) -> Vec<u8> {
        serde_json::to_vec(&Job::new(name, "* * * * * *", command)).expect("a job serialises")
    }

    fn put(name: &str, command: &str, revision: i64) -> Change {
        Change::Put {
            key: format!("{PREFIX}{name}"),
            value: job_json(name, command),
            mod_revision: revision,
            create_revision: revision,
            lease: 0,
        }
    }

    fn garbage(name: &str, revision: i64) -> Change {
        Change::Put {
            key: format!("{PREFIX}{name}"),
            value: b"{not json".to_vec(),
            mod_revision: revision,
            create_revision: revision,
            lease: 0,
        }
    }

    fn delete(name: &str, revision: i64) -> Change {
        Change::Delete {
            key: format!("{PREFIX}{name}"),
            mod_revision: revision,
        }
    }

    /// (name, revision, is a put) of each change.
    fn summary(changes: &[JobChange]) -> Vec<(String, i64, bool)> {
        changes
            .iter()
            .map(|c| {
                (
                    c.name().to_owned(),
                    c.revision(),
                    matches!(c, JobChange::Put(_)),
                )
            })
            .collect()
    }

    fn started_view(kvs: Vec<Change>, revision: i64) -> JobView {
        let mut view = JobView::new(PREFIX.into());
        let first = view.apply(WatchItem::Snapshot { kvs, revision });
        assert!(first.is_empty(), "the first snapshot is the starting point");
        view
    }

    #[test]
    fn changes_become_puts_and_deletions() {
        let mut view = started_view(vec![put("a", "x", 2)], 3);
        let out = view.apply(WatchItem::Changes(vec![
            put("b", "y", 4),
            put("a", "z", 5),
            delete("a", 6),
        ]));
        assert_eq!(
            summary(&out),
            [
                ("b".into(), 4, true),
                ("a".into(), 5, true),
                ("a".into(), 6, false)
            ]
        );
    }

    #[test]
    fn garbage_over_a_job_deletes_it_and_garbage_alone_is_ignored() {
        let mut view = started_view(vec![put("a", "x", 2)], 3);
        let out = view.apply(WatchItem::Changes(vec![garbage("a", 4), garbage("b", 5)]));
        assert_eq!(summary(&out), [("a".into(), 4, false)]);
        // Deleting the garbage changes nothing for subscribers: the job was already gone.
        let out = view.apply(WatchItem::Changes(vec![delete("a", 6)]));
        assert!(out.is_empty());
        // Fixing it brings the job back.
        let out = view.apply(WatchItem::Changes(vec![put("b", "y", 7)]));
        assert_eq!(summary(&out), [("b".into(), 7, true)]);
    }

    #[test]
    fn a_later_snapshot_becomes_the_difference() {
        let mut view = started_view(
            vec![put("a", "x", 2), put("b", "x", 3), put("c", "x", 4)],
            4,
        );
        // Meanwhile: b changed at 9, c deleted, d created at 7, e created and garbled at 8.
        let out = view.apply(WatchItem::Snapshot {
            kvs: vec![
                put("a", "x", 2),
                put("b", "y", 9),
                put("d", "x", 7),
                garbage("e", 8),
            ],
            revision: 10,
        });
        assert_eq!(
            summary(&out),
            [
                ("d".into(), 7, true),
                ("b".into(), 9, true),
                ("c".into(), 10, false)
            ]
        );
        // The view is the snapshot now.
        let out = view.apply(WatchItem::Changes(vec![delete("d", 11), delete("c", 12)]));
        assert_eq!(summary(&out), [("d".into(), 11, false)]);
    }

    #[test]
    fn keys_outside_the_jobs_prefix_are_not_jobs() {
        let mut view = started_view(vec![], 1);
        let stray = Change::Put {
            key: "/cron/kill/a".into(),
            value: job_json("a", "x"),
            mod_revision: 2,
            create_revision: 2,
            lease: 0,
        };
        assert!(view.apply(WatchItem::Changes(vec![stray])).is_empty());
    }

    #[test]
    fn the_key_names_the_job() {
        let job = decode_value("a", &job_json("b", "x")).expect("valid JSON");
        assert_eq!(job.name, "a");
        let err = decode_value("a", b"[]").expect_err("not a job");
        assert!(err.starts_with("not valid job JSON: "), "{err}");
    }
}

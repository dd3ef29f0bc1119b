//! The workers registered under `workers/`, followed with one watch, and the runs a worker's
//! lease took with it when it expired.
//!
//! Run markers (`running/`) are not watched: a busy cluster writes two of them per run, and
//! every watcher would be told of each. A worker's departure is rare, so the runs it leaves
//! behind are read when it happens: the markers under its lease just before the revision
//! that deleted its entry, less any still there (an entry deleted by hand leaves its lease,
//! and so its runs, alive). The skips it owed records for (`owed/`) are read the same way.
//! A worker that stops cleanly releases its runs and skips before it revokes its lease, so
//! it leaves none.

use std::collections::BTreeMap;

use etcd_client::GetOptions;
use schedd_core::WorkerInfo;
use schedd_core::store::StoreError;

use super::claims::RunMarker;
use super::{Change, Etcd, WatchItem};

/// A registered worker and the lease its entry is under.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub info: WorkerInfo,
    pub lease: i64,
}

/// A worker whose entry is gone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Departure {
    pub worker_id: String,
    /// The lease its entry was under: its runs' markers are under the same one.
    pub lease: i64,
    /// A revision at which its markers were still there: the one before its entry was
    /// deleted, or, when the watch resumed with a snapshot after a gap, the newest revision
    /// seen before the gap.
    pub before: i64,
}

/// The workers live after a change to `workers/` (labels by id), and those that left with it.
#[derive(Debug, Clone, PartialEq)]
pub struct MembersChanged {
    pub live: BTreeMap<String, BTreeMap<String, String>>,
    pub departed: Vec<Departure>,
}

/// Follows `workers/` until `shutdown`: the first item is the workers live now.
pub fn follow_members(
    etcd: &Etcd,
    shutdown: tokio_util::sync::CancellationToken,
) -> tokio::sync::mpsc::UnboundedReceiver<MembersChanged> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let mut items = super::follow(etcd, super::KeyRange::prefix(etcd, "workers/"), shutdown);
    let prefix = format!("{}/", etcd.prefix());
    tokio::spawn(async move {
        let mut members = Members::default();
        while let Some(item) = items.recv().await {
            let departed = members.apply(&prefix, item);
            let changed = MembersChanged {
                live: members.live(),
                departed,
            };
            if tx.send(changed).is_err() {
                return;
            }
        }
    });
    rx
}

/// The registered workers, kept from the items of a watch on `workers/`.
#[derive(Debug, Default)]
pub struct Members {
    workers: BTreeMap<String, Member>,
    /// The newest revision applied.
    revision: i64,
}

impl Members {
    /// The live workers by id.
    pub fn workers(&self) -> &BTreeMap<String, Member> {
        &self.workers
    }

    /// The live workers' labels by id.
    pub fn live(&self) -> BTreeMap<String, BTreeMap<String, String>> {
        self.workers
            .iter()
            .map(|(id, m)| (id.clone(), m.info.labels.clone()))
            .collect()
    }

    /// Applies an item of a watch on `workers/` (keys under `prefix`, with its trailing
    /// slash); returns the workers that left.
    pub fn apply(&mut self, prefix: &str, item: WatchItem) -> Vec<Departure> {
        let mut gone = Vec::new();
        match item {
            WatchItem::Snapshot { kvs, revision } => {
                let before = std::mem::take(&mut self.workers);
                for change in kvs {
                    self.put(prefix, change);
                }
                gone.extend(
                    before
                        .into_iter()
                        .filter(|(id, m)| {
                            self.workers.get(id).is_none_or(|now| now.lease != m.lease)
                        })
                        .map(|(id, m)| Departure {
                            worker_id: id,
                            lease: m.lease,
                            before: self.revision,
                        }),
                );
                self.revision = revision;
            }
            WatchItem::Changes(changes) => {
                for change in changes {
                    let revision = change.mod_revision();
                    match change {
                        Change::Put { .. } => {
                            // An entry written again under a new lease: the old lease expired.
                            if let Some(old) = self.put(prefix, change) {
                                gone.push(Departure {
                                    worker_id: old.info.worker_id,
                                    lease: old.lease,
                                    before: revision - 1,
                                });
                            }
                        }
                        Change::Delete { key, .. } => {
                            if let Some(id) = worker_id(prefix, &key)
                                && let Some(m) = self.workers.remove(id)
                            {
                                gone.push(Departure {
                                    worker_id: id.to_owned(),
                                    lease: m.lease,
                                    before: revision - 1,
                                });
                            }
                        }
                    }
                    self.revision = self.revision.max(revision);
                }
            }
        }
        gone
    }

    /// Stores a worker's entry; returns what it replaced when that was under another lease.
    fn put(&mut self, prefix: &str, change: Change) -> Option<Member> {
        let Change::Put {
            key, value, lease, ..
        } = change
        else {
            return None;
        };
        let id = worker_id(prefix, &key)?;
        match serde_json::from_slice::<WorkerInfo>(&value) {
            Ok(info) => {
                let old = self.workers.insert(id.to_owned(), Member { info, lease })?;
                (old.lease != lease).then_some(old)
            }
            Err(e) => {
                tracing::warn!(key, error = %e, "unreadable worker entry");
                None
            }
        }
    }
}

/// The worker id of a key under `workers/` (`prefix` is the etcd prefix with its slash).
pub(super) fn worker_id<'k>(prefix: &str, key: &'k str) -> Option<&'k str> {
    key.strip_prefix(prefix)?.strip_prefix("workers/")
}

/// The runs that `departure` took with it, and the skips it had not recorded yet (markers
/// with [`RunMarker::skipped`] set): the markers under its lease at `departure.before`, less
/// those still there now. Fails when etcd has compacted that revision away (nothing then
/// tells which runs were going on).
pub async fn runs_left_by(
    etcd: &Etcd,
    departure: &Departure,
) -> Result<Vec<RunMarker>, StoreError> {
    let mut left = markers_left_by(etcd, departure, "running/").await?;
    left.extend(markers_left_by(etcd, departure, "owed/").await?);
    Ok(left)
}

/// The markers under `folder` that `departure` took with it.
async fn markers_left_by(
    etcd: &Etcd,
    departure: &Departure,
    folder: &str,
) -> Result<Vec<RunMarker>, StoreError> {
    let prefix = etcd.key(folder);
    // At `revision`, or now when it is 0.
    let read = |revision: i64| {
        let mut client = etcd.client();
        let prefix = prefix.clone();
        let mut opts = GetOptions::new().with_prefix();
        if revision > 0 {
            opts = opts.with_revision(revision);
        }
        async move {
            etcd.timed("runs_left", client.get(prefix, Some(opts)))
                .await
                .map_err(|e| etcd.error(e))
        }
    };
    let then = read(departure.before.max(1)).await?;
    let mut left: BTreeMap<String, RunMarker> = BTreeMap::new();
    for kv in then.kvs() {
        if kv.lease() != departure.lease {
            continue;
        }
        match serde_json::from_slice::<RunMarker>(kv.value()) {
            Ok(m) => {
                left.insert(String::from_utf8_lossy(kv.key()).into_owned(), m);
            }
            Err(e) => tracing::warn!(error = %e, "unreadable run marker"),
        }
    }
    if left.is_empty() {
        return Ok(Vec::new());
    }
    let now = read(0).await?;
    for kv in now.kvs() {
        left.remove(String::from_utf8_lossy(kv.key()).as_ref());
    }
    Ok(left.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(id: &str, lease: i64, rev: i64) -> Change {
        let info = WorkerInfo {
            worker_id: id.into(),
            ..Default::default()
        };
        Change::Put {
            key: format!("/cron/workers/{id}"),
            value: serde_json::to_vec(&info).expect("json"),
            mod_revision: rev,
            create_revision: rev,
            lease,
        }
    }

    fn del(id: &str, rev: i64) -> Change {
        Change::Delete {
            key: format!("/cron/workers/{id}"),
            mod_revision: rev,
        }
    }

    fn departure(id: &str, lease: i64, before: i64) -> Departure {
        Departure {
            worker_id: id.into(),
            lease,
            before,
        }
    }

    #[test]
    fn a_deleted_entry_is_a_departure_read_just_before_its_deletion() {
        let p = "/cron/";
        let mut m = Members::default();
        let gone = m.apply(
            p,
            WatchItem::Snapshot {
                kvs: vec![put("a", 10, 3), put("b", 20, 4)],
                revision: 4,
            },
        );
        assert!(gone.is_empty());
        assert_eq!(m.live().len(), 2);
        // Heartbeats under the same lease change nothing.
        assert!(
            m.apply(p, WatchItem::Changes(vec![put("a", 10, 5)]))
                .is_empty()
        );
        let gone = m.apply(p, WatchItem::Changes(vec![del("b", 9)]));
        assert_eq!(gone, vec![departure("b", 20, 8)]);
        assert_eq!(m.live().keys().collect::<Vec<_>>(), ["a"]);
        // An unknown worker's deletion is nobody's departure.
        assert!(
            m.apply(p, WatchItem::Changes(vec![del("zz", 10)]))
                .is_empty()
        );
    }

    #[test]
    fn an_entry_written_under_a_new_lease_means_the_old_lease_expired() {
        let p = "/cron/";
        let mut m = Members::default();
        m.apply(
            p,
            WatchItem::Snapshot {
                kvs: vec![put("a", 10, 3)],
                revision: 3,
            },
        );
        let gone = m.apply(p, WatchItem::Changes(vec![put("a", 11, 7)]));
        assert_eq!(gone, vec![departure("a", 10, 6)]);
        assert_eq!(m.workers()["a"].lease, 11);
    }

    #[test]
    fn a_snapshot_after_a_gap_finds_who_left_during_it() {
        let p = "/cron/";
        let mut m = Members::default();
        m.apply(
            p,
            WatchItem::Snapshot {
                kvs: vec![put("a", 10, 2), put("b", 20, 3), put("c", 30, 4)],
                revision: 5,
            },
        );
        // b left, c came back under a new lease, a stayed.
        let mut gone = m.apply(
            p,
            WatchItem::Snapshot {
                kvs: vec![put("a", 10, 2), put("c", 31, 12)],
                revision: 20,
            },
        );
        gone.sort_by(|x, y| x.worker_id.cmp(&y.worker_id));
        assert_eq!(gone, vec![departure("b", 20, 5), departure("c", 30, 5)]);
        assert_eq!(m.live().len(), 2);
    }
}

//! The master's view of a cluster: the workers registered in etcd (and those that were, shown
//! as offline), the runs going on, and the kill and run-now requests it sends.
//!
//! A worker whose registration is gone is remembered, as offline, for `workerForgetAfter`
//! from when this master saw it go, then forgotten ([`Forget`]): hosts come and go
//! (autoscaled, renamed, one id per container), and a master that remembered every worker
//! that ever lived would grow without end. The time is the master's own (its [`Clock`]),
//! not the worker's last heartbeat: that comes from the worker and may say anything. The
//! master's listing hides such workers by their last heartbeat already
//! (`schedd-master`'s `service::workers`); this is what lets go of their memory.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use async_trait::async_trait;
use schedd_core::store::{Coordinator, JobStore, StoreError, WorkerCommand, WorkerEntry};
use schedd_core::{Clock, JobName, SystemClock, WorkerInfo, unix_ms};
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

use super::claims::RunMarker;
use super::signals::{request_kill, request_run};
use super::{Change, Etcd, KeyRange, WatchItem, follow};

/// What the master learns from `workers/` and `running/`.
#[derive(Debug, Clone, PartialEq)]
pub enum ClusterEvent {
    /// A worker registered or sent a heartbeat.
    Worker(WorkerInfo),
    /// A worker's registration is gone.
    WorkerGone(WorkerInfo),
    /// A run started somewhere (or was going on when the master started).
    RunStarted(RunMarker),
}

/// When the coordinator lets go of a worker whose registration is gone: `after` it saw it
/// go (`workerForgetAfter`), by `clock`.
#[derive(Debug, Clone)]
pub struct Forget {
    pub after: Duration,
    pub clock: Arc<dyn Clock>,
}

impl Forget {
    /// `after` by the system clock.
    pub fn after(after: Duration) -> Forget {
        Forget {
            after,
            clock: Arc::new(SystemClock),
        }
    }
}

#[derive(Debug, Clone)]
pub struct EtcdCoordinator {
    etcd: Etcd,
    jobs: Arc<dyn JobStore>,
    registry: Arc<RwLock<Registry>>,
    forget: Forget,
    events: broadcast::Sender<ClusterEvent>,
}

impl EtcdCoordinator {
    /// Starts following the registry; runs until `shutdown`. The receiver gets every event
    /// from the first on (the runs going on at the start included); later ones come from
    /// [`EtcdCoordinator::subscribe`].
    pub fn start(
        etcd: Etcd,
        jobs: Arc<dyn JobStore>,
        forget: Forget,
        shutdown: CancellationToken,
    ) -> (EtcdCoordinator, broadcast::Receiver<ClusterEvent>) {
        let (events, first) = broadcast::channel(1024);
        let coordinator = EtcdCoordinator {
            etcd: etcd.clone(),
            jobs,
            registry: Arc::default(),
            forget,
            events,
        };
        let mut items = follow(
            &etcd,
            KeyRange::between(&etcd, "running/", "workers0"),
            shutdown,
        );
        let c = coordinator.clone();
        let prefix = format!("{}/", etcd.prefix());
        tokio::spawn(async move {
            while let Some(item) = items.recv().await {
                c.apply(&prefix, item);
            }
        });
        (coordinator, first)
    }

    /// Registry changes and started runs, for the master's event stream.
    pub fn subscribe(&self) -> broadcast::Receiver<ClusterEvent> {
        self.events.subscribe()
    }

    /// The execution ids of the runs going on, as far as etcd has told.
    pub fn running_ids(&self) -> HashSet<String> {
        self.registry
            .read()
            .map(|r| r.runs.values().cloned().collect())
            .unwrap_or_default()
    }

    fn now_ms(&self) -> i64 {
        unix_ms(self.forget.clock.now())
    }

    fn forget_after_ms(&self) -> i64 {
        i64::try_from(self.forget.after.as_millis()).unwrap_or(i64::MAX)
    }

    fn apply(&self, prefix: &str, item: WatchItem) {
        let now = self.now_ms();
        let Ok(mut registry) = self.registry.write() else {
            return;
        };
        // Sent under the lock, so receivers get the events in the order of the changes, and
        // find the registry updated when they look.
        for event in registry.apply(prefix, item, now) {
            let _ = self.events.send(event);
        }
        registry.forget(now, self.forget_after_ms());
    }
}

/// The workers and runs as etcd told them, without etcd: what [`EtcdCoordinator`] keeps.
#[derive(Debug, Default)]
struct Registry {
    workers: BTreeMap<String, Known>,
    /// The runs going on: execution id by `running/` key.
    runs: HashMap<String, String>,
}

/// A worker, and when this master saw its registration go (Unix ms, its own clock).
#[derive(Debug, Clone)]
struct Known {
    entry: WorkerEntry,
    gone_at: Option<i64>,
}

impl Known {
    fn gone(&mut self, now_ms: i64) {
        self.entry.registered = false;
        self.gone_at.get_or_insert(now_ms);
    }
}

impl Registry {
    /// Applies what etcd says at `now_ms`; returns what happened.
    fn apply(&mut self, prefix: &str, item: WatchItem, now_ms: i64) -> Vec<ClusterEvent> {
        let mut events = Vec::new();
        let (changes, snapshot) = match item {
            WatchItem::Snapshot { kvs, .. } => (kvs, true),
            WatchItem::Changes(c) => (c, false),
        };
        // After a snapshot, whoever is not in it is no longer registered and whatever run
        // is not in it has ended; the runs in it that were not known have started.
        let mut before = HashMap::new();
        let mut in_snapshot = HashSet::new();
        if snapshot {
            before = std::mem::take(&mut self.runs);
        }
        for change in changes {
            match change {
                Change::Put { key, value, .. } => {
                    let Some(rest) = key.strip_prefix(prefix) else {
                        continue;
                    };
                    if rest.starts_with("workers/") {
                        match serde_json::from_slice::<WorkerInfo>(&value) {
                            Ok(info) => {
                                events.push(ClusterEvent::Worker(info.clone()));
                                in_snapshot.insert(info.worker_id.clone());
                                self.workers.insert(
                                    info.worker_id.clone(),
                                    Known {
                                        entry: WorkerEntry {
                                            info,
                                            registered: true,
                                        },
                                        gone_at: None,
                                    },
                                );
                            }
                            Err(e) => tracing::warn!(key, error = %e, "unreadable worker entry"),
                        }
                    } else if rest.starts_with("running/")
                        && let Ok(m) = serde_json::from_slice::<RunMarker>(&value)
                    {
                        let known = before.remove(&key).is_some() || self.runs.contains_key(&key);
                        self.runs.insert(key, m.execution_id.clone());
                        if !known {
                            events.push(ClusterEvent::RunStarted(m));
                        }
                    }
                }
                Change::Delete { key, .. } => {
                    self.runs.remove(&key);
                    if let Some(id) = super::members::worker_id(prefix, &key)
                        && let Some(w) = self.workers.get_mut(id)
                    {
                        w.gone(now_ms);
                        events.push(ClusterEvent::WorkerGone(w.entry.info.clone()));
                    }
                }
            }
        }
        if snapshot {
            for (id, w) in &mut self.workers {
                if !in_snapshot.contains(id) {
                    w.gone(now_ms);
                }
            }
        }
        events
    }

    /// Lets go of the workers whose registration went more than `after_ms` before `now_ms`.
    fn forget(&mut self, now_ms: i64, after_ms: i64) {
        self.workers.retain(|_, w| {
            w.gone_at
                .is_none_or(|gone| now_ms.saturating_sub(gone) <= after_ms)
        });
    }

    fn entries(&self) -> Vec<WorkerEntry> {
        self.workers.values().map(|w| w.entry.clone()).collect()
    }
}

#[async_trait]
impl Coordinator for EtcdCoordinator {
    async fn send(&self, command: WorkerCommand) -> Result<(), StoreError> {
        match command {
            WorkerCommand::Kill { job } => request_kill(&self.etcd, &job, None).await,
            WorkerCommand::RunNow {
                job,
                execution_id,
                parent,
            } => {
                // Refuse what no worker would take, instead of letting the request expire.
                let name = JobName::new(&job).map_err(|e| StoreError::NotFound(e.to_string()))?;
                let selector = match self.jobs.get(&name).await? {
                    Some(v) => v.value.selector,
                    None => return Err(StoreError::NotFound(job)),
                };
                let eligible = self
                    .registry
                    .read()
                    .map(|r| {
                        r.workers.values().any(|w| {
                            w.entry.registered
                                && selector
                                    .iter()
                                    .all(|(k, v)| w.entry.info.labels.get(k) == Some(v))
                        })
                    })
                    .unwrap_or(false);
                if !eligible {
                    return Err(StoreError::Unavailable(format!(
                        "no live worker can run job `{job}` (none is registered, or none matches its selector)"
                    )));
                }
                request_run(&self.etcd, &job, &execution_id, parent.as_ref()).await
            }
        }
    }

    /// Every worker registered, or gone for at most `workerForgetAfter`.
    async fn workers(&self) -> Result<Vec<WorkerEntry>, StoreError> {
        let now = self.now_ms();
        let mut registry = self
            .registry
            .write()
            .map_err(|_| StoreError::Unavailable("worker registry poisoned".into()))?;
        // Forgotten here too, not only when etcd says something: the clock moves on alone.
        registry.forget(now, self.forget_after_ms());
        Ok(registry.entries())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PREFIX: &str = "/cron/";
    const HOUR: i64 = 3_600_000;

    fn put(id: &str, last_seen: i64) -> Change {
        Change::Put {
            key: format!("{PREFIX}workers/{id}"),
            value: serde_json::to_vec(&WorkerInfo {
                worker_id: id.into(),
                last_seen,
                ..Default::default()
            })
            .expect("JSON"),
            mod_revision: 1,
            create_revision: 1,
            lease: 0,
        }
    }

    fn delete(id: &str) -> Change {
        Change::Delete {
            key: format!("{PREFIX}workers/{id}"),
            mod_revision: 2,
        }
    }

    fn known(r: &Registry) -> Vec<(String, bool)> {
        r.entries()
            .into_iter()
            .map(|w| (w.info.worker_id, w.registered))
            .collect()
    }

    /// Workers gone are shown as offline until `after` has passed since they went, by the
    /// master's clock (whatever their last heartbeat says), then forgotten; registered ones
    /// never are, and one that comes back starts afresh.
    #[test]
    fn workers_gone_longer_than_forget_after_are_forgotten() {
        let after = 24 * HOUR;
        let mut r = Registry::default();
        let t0 = 100 * HOUR;
        r.apply(
            PREFIX,
            WatchItem::Snapshot {
                kvs: vec![put("stays", t0), put("leaves", t0), put("bogus", i64::MIN)],
                revision: 1,
            },
            t0,
        );
        let events = r.apply(
            PREFIX,
            WatchItem::Changes(vec![delete("leaves"), delete("bogus")]),
            t0 + HOUR,
        );
        assert_eq!(events.len(), 2, "{events:?}");
        r.forget(t0 + HOUR + after, after);
        assert_eq!(
            known(&r),
            [
                ("bogus".to_owned(), false),
                ("leaves".to_owned(), false),
                ("stays".to_owned(), true)
            ]
        );
        r.forget(t0 + HOUR + after + 1, after);
        assert_eq!(known(&r), [("stays".to_owned(), true)]);

        // Gone, back before it was forgotten, gone again: the clock restarts.
        r.apply(PREFIX, WatchItem::Changes(vec![put("again", t0)]), t0);
        r.apply(PREFIX, WatchItem::Changes(vec![delete("again")]), t0);
        r.apply(
            PREFIX,
            WatchItem::Changes(vec![put("again", t0)]),
            t0 + after,
        );
        r.apply(
            PREFIX,
            WatchItem::Changes(vec![delete("again")]),
            t0 + after,
        );
        r.forget(t0 + after + after, after);
        assert!(known(&r).contains(&("again".to_owned(), false)));
    }

    /// What broke: every worker that ever registered stayed in the master's memory.
    #[test]
    fn the_memory_of_workers_does_not_grow_with_every_worker_that_ever_lived() {
        let after = HOUR;
        let mut r = Registry::default();
        // A worker a minute, each living ten minutes, for two days.
        for minute in 0..2 * 24 * 60 {
            let now = minute * 60_000;
            let id = format!("w-{minute}");
            let old = format!("w-{}", minute - 10);
            r.apply(
                PREFIX,
                WatchItem::Changes(vec![put(&id, now), delete(&old)]),
                now,
            );
            r.forget(now, after);
            assert!(
                r.workers.len() <= 10 + 60 + 1,
                "{} workers remembered at minute {minute}",
                r.workers.len()
            );
        }
    }

    /// A snapshot after a lost watch leaves out the workers that went meanwhile: they count
    /// as gone from then, and are forgotten in their turn.
    #[test]
    fn workers_missing_from_a_snapshot_are_gone_from_then() {
        let mut r = Registry::default();
        r.apply(
            PREFIX,
            WatchItem::Snapshot {
                kvs: vec![put("a", 0), put("b", 0)],
                revision: 1,
            },
            0,
        );
        r.apply(
            PREFIX,
            WatchItem::Snapshot {
                kvs: vec![put("a", 5)],
                revision: 9,
            },
            10,
        );
        assert_eq!(known(&r), [("a".to_owned(), true), ("b".to_owned(), false)]);
        r.forget(10 + HOUR, HOUR);
        assert_eq!(known(&r).len(), 2);
        r.forget(11 + HOUR, HOUR);
        assert_eq!(known(&r), [("a".to_owned(), true)]);
    }
}

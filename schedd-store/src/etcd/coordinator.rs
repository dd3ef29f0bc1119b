//! The master's view of a cluster: the workers registered in etcd (and those that were, shown
//! as offline), the runs going on, and the kill and run-now requests it sends.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, RwLock};

use async_trait::async_trait;
use schedd_core::store::{Coordinator, JobStore, StoreError, WorkerCommand, WorkerEntry};
use schedd_core::{JobName, WorkerInfo};
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

use super::cluster::{RunMarker, request_kill, request_run};
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

#[derive(Debug, Clone)]
pub struct EtcdCoordinator {
    etcd: Etcd,
    jobs: Arc<dyn JobStore>,
    workers: Arc<RwLock<BTreeMap<String, WorkerEntry>>>,
    /// The runs going on: execution id by `running/` key.
    runs: Arc<RwLock<HashMap<String, String>>>,
    events: broadcast::Sender<ClusterEvent>,
}

impl EtcdCoordinator {
    /// Starts following the registry; runs until `shutdown`. The receiver gets every event
    /// from the first on (the runs going on at the start included); later ones come from
    /// [`EtcdCoordinator::subscribe`].
    pub fn start(
        etcd: Etcd,
        jobs: Arc<dyn JobStore>,
        shutdown: CancellationToken,
    ) -> (EtcdCoordinator, broadcast::Receiver<ClusterEvent>) {
        let (events, first) = broadcast::channel(1024);
        let coordinator = EtcdCoordinator {
            etcd: etcd.clone(),
            jobs,
            workers: Arc::new(RwLock::new(BTreeMap::new())),
            runs: Arc::default(),
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
        self.runs
            .read()
            .map(|r| r.values().cloned().collect())
            .unwrap_or_default()
    }

    fn apply(&self, prefix: &str, item: WatchItem) {
        let (changes, snapshot) = match item {
            WatchItem::Snapshot { kvs, .. } => (kvs, true),
            WatchItem::Changes(c) => (c, false),
        };
        let (Ok(mut workers), Ok(mut runs)) = (self.workers.write(), self.runs.write()) else {
            return;
        };
        // After a snapshot, whoever is not in it is no longer registered and whatever run
        // is not in it has ended; the runs in it that were not known have started.
        let mut before = HashMap::new();
        if snapshot {
            for w in workers.values_mut() {
                w.registered = false;
            }
            before = std::mem::take(&mut *runs);
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
                                let _ = self.events.send(ClusterEvent::Worker(info.clone()));
                                workers.insert(
                                    info.worker_id.clone(),
                                    WorkerEntry {
                                        info,
                                        registered: true,
                                    },
                                );
                            }
                            Err(e) => tracing::warn!(key, error = %e, "unreadable worker entry"),
                        }
                    } else if rest.starts_with("running/")
                        && let Ok(m) = serde_json::from_slice::<RunMarker>(&value)
                    {
                        let known = before.remove(&key).is_some() || runs.contains_key(&key);
                        runs.insert(key, m.execution_id.clone());
                        if !known {
                            let _ = self.events.send(ClusterEvent::RunStarted(m));
                        }
                    }
                }
                Change::Delete { key, .. } => {
                    runs.remove(&key);
                    if let Some(id) = key
                        .strip_prefix(prefix)
                        .and_then(|k| k.strip_prefix("workers/"))
                        && let Some(w) = workers.get_mut(id)
                    {
                        w.registered = false;
                        let _ = self.events.send(ClusterEvent::WorkerGone(w.info.clone()));
                    }
                }
            }
        }
    }
}

#[async_trait]
impl Coordinator for EtcdCoordinator {
    async fn send(&self, command: WorkerCommand) -> Result<(), StoreError> {
        match command {
            WorkerCommand::Kill { job } => request_kill(&self.etcd, &job, None).await,
            WorkerCommand::RunNow { job, execution_id } => {
                // Refuse what no worker would take, instead of letting the request expire.
                let name = JobName::new(&job).map_err(|e| StoreError::NotFound(e.to_string()))?;
                let selector = match self.jobs.get(&name).await? {
                    Some(v) => v.value.selector,
                    None => return Err(StoreError::NotFound(job)),
                };
                let eligible = self
                    .workers
                    .read()
                    .map(|w| {
                        w.values().any(|w| {
                            w.registered
                                && selector
                                    .iter()
                                    .all(|(k, v)| w.info.labels.get(k) == Some(v))
                        })
                    })
                    .unwrap_or(false);
                if !eligible {
                    return Err(StoreError::Unavailable(format!(
                        "no live worker can run job `{job}` (none is registered, or none matches its selector)"
                    )));
                }
                request_run(&self.etcd, &job, &execution_id).await
            }
        }
    }

    async fn workers(&self) -> Result<Vec<WorkerEntry>, StoreError> {
        let workers = self
            .workers
            .read()
            .map_err(|_| StoreError::Unavailable("worker registry poisoned".into()))?;
        Ok(workers.values().cloned().collect())
    }
}

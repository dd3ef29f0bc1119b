//! The in-process coordinator of embedded mode: the master and its one worker share a
//! process, so kill and run-now requests travel over a channel and the worker publishes its
//! description into shared memory instead of etcd.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use schedd_core::WorkerInfo;
use schedd_core::store::{Coordinator, StoreError, WorkerCommand, WorkerEntry, WorkerRegistry};
use tokio::sync::mpsc;

#[derive(Debug, Clone)]
pub struct LocalCoordinator {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    // Unbounded: commands come from people (kill, run now), not from a loop, and dropping
    // one would lose a kill.
    tx: mpsc::UnboundedSender<WorkerCommand>,
    rx: Mutex<Option<mpsc::UnboundedReceiver<WorkerCommand>>>,
    workers: Mutex<BTreeMap<String, WorkerInfo>>,
}

impl Default for LocalCoordinator {
    fn default() -> Self {
        Self::new()
    }
}

impl LocalCoordinator {
    pub fn new() -> LocalCoordinator {
        let (tx, rx) = mpsc::unbounded_channel();
        LocalCoordinator {
            inner: Arc::new(Inner {
                tx,
                rx: Mutex::new(Some(rx)),
                workers: Mutex::new(BTreeMap::new()),
            }),
        }
    }

    /// The worker's end of the command channel; there is one, for the one local worker.
    /// Commands sent before it is taken wait in the channel.
    pub fn take_commands(&self) -> Option<mpsc::UnboundedReceiver<WorkerCommand>> {
        self.inner.rx.lock().ok()?.take()
    }

    /// Records the worker's latest heartbeat.
    pub fn publish(&self, info: WorkerInfo) {
        if let Ok(mut workers) = self.inner.workers.lock() {
            workers.insert(info.worker_id.clone(), info);
        }
    }
}

#[async_trait]
impl Coordinator for LocalCoordinator {
    async fn send(&self, command: WorkerCommand) -> Result<(), StoreError> {
        self.inner
            .tx
            .send(command)
            .map_err(|_| StoreError::Unavailable("the local worker has stopped".into()))
    }

    async fn workers(&self) -> Result<Vec<WorkerEntry>, StoreError> {
        let workers = self
            .inner
            .workers
            .lock()
            .map_err(|_| StoreError::Unavailable("worker registry poisoned".into()))?;
        Ok(workers
            .values()
            .map(|info| WorkerEntry {
                info: info.clone(),
                registered: true,
            })
            .collect())
    }
}

#[async_trait]
impl WorkerRegistry for LocalCoordinator {
    async fn heartbeat(&self, info: &WorkerInfo) -> Result<(), StoreError> {
        self.publish(info.clone());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn commands_sent_before_the_worker_starts_are_delivered() {
        let coord = LocalCoordinator::new();
        coord
            .send(WorkerCommand::Kill { job: "a".into() })
            .await
            .expect("send");
        let mut rx = coord.take_commands().expect("first take");
        assert!(
            coord.take_commands().is_none(),
            "only one worker takes the channel"
        );
        assert_eq!(
            rx.recv().await,
            Some(WorkerCommand::Kill { job: "a".into() })
        );
    }

    #[tokio::test]
    async fn the_latest_heartbeat_of_each_worker_is_listed() {
        let coord = LocalCoordinator::new();
        for seen in [1, 2] {
            coord.publish(WorkerInfo {
                worker_id: "w".into(),
                last_seen: seen,
                ..Default::default()
            });
        }
        let workers = coord.workers().await.expect("list");
        assert_eq!(workers.len(), 1);
        assert_eq!(workers[0].info.last_seen, 2);
    }
}

//! The registry: `workers/<workerId>` (each worker's [`WorkerInfo`], under its lease) and
//! `masters/<masterId>` (where workers reach each master's API, under the master's lease).

use std::collections::HashMap;
use std::time::Duration;

use async_trait::async_trait;
use etcd_client::{Compare, CompareOp, PutOptions, Txn, TxnOp};
use schedd_core::WorkerInfo;
use schedd_core::store::{StoreError, WorkerRegistry};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::Etcd;
use super::lease::KeptLease;

/// The worker's entry in the registry: `workers/<workerId>` under its lease.
#[derive(Debug, Clone)]
pub struct EtcdRegistry {
    etcd: Etcd,
    lease: watch::Receiver<i64>,
}

impl EtcdRegistry {
    pub fn new(etcd: Etcd, lease: &KeptLease) -> EtcdRegistry {
        EtcdRegistry {
            etcd,
            lease: lease.changes(),
        }
    }
}

impl EtcdRegistry {
    /// Writes the worker's first entry, only if no live worker holds the id: false when one
    /// does (another process, or this worker's previous life whose lease has not expired).
    pub async fn register(&self, info: &WorkerInfo) -> Result<bool, StoreError> {
        let key = self.etcd.key(&format!("workers/{}", info.worker_id));
        let value = serde_json::to_vec(info)
            .map_err(|e| StoreError::Corrupt(format!("worker info: {e}")))?;
        let lease = *self.lease.borrow();
        let txn = Txn::new()
            .when([Compare::create_revision(key.clone(), CompareOp::Equal, 0)])
            .and_then([TxnOp::put(
                key,
                value,
                Some(PutOptions::new().with_lease(lease)),
            )]);
        self.etcd
            .timed("register", self.etcd.client().txn(txn))
            .await
            .map(|r| r.succeeded())
            .map_err(|e| self.etcd.error(e))
    }
}

#[async_trait]
impl WorkerRegistry for EtcdRegistry {
    async fn heartbeat(&self, info: &WorkerInfo) -> Result<(), StoreError> {
        let value = serde_json::to_vec(info)
            .map_err(|e| StoreError::Corrupt(format!("worker info: {e}")))?;
        let lease = *self.lease.borrow();
        let mut client = self.etcd.client();
        let put = client.put(
            self.etcd.key(&format!("workers/{}", info.worker_id)),
            value,
            Some(PutOptions::new().with_lease(lease)),
        );
        self.etcd
            .timed("heartbeat", put)
            .await
            .map(|_| ())
            .map_err(|e| self.etcd.error(e))
    }
}

/// What a master publishes under `masters/<masterId>`: where workers reach its API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MasterInfo {
    pub master_id: String,
    /// `host:port` of the gRPC API (and its ingest service).
    pub address: String,
    #[serde(default)]
    pub version: String,
}

/// Keeps `masters/<masterId>` written under `lease` until `shutdown`, writing it again
/// whenever the lease is replaced.
pub async fn announce_master(
    etcd: Etcd,
    info: MasterInfo,
    mut lease: watch::Receiver<i64>,
    shutdown: CancellationToken,
) {
    let key = etcd.key(&format!("masters/{}", info.master_id));
    let Ok(value) = serde_json::to_vec(&info) else {
        return;
    };
    loop {
        let id = *lease.borrow_and_update();
        let put = etcd
            .client()
            .put(
                key.clone(),
                value.clone(),
                Some(PutOptions::new().with_lease(id)),
            )
            .await;
        let retry = match put {
            Ok(_) => false,
            Err(e) => {
                tracing::warn!(error = %e, "announcing the master in etcd failed; retrying");
                true
            }
        };
        tokio::select! {
            () = shutdown.cancelled() => return,
            changed = lease.changed() => if changed.is_err() { return },
            () = tokio::time::sleep(Duration::from_secs(1)), if retry => {}
        }
    }
}

/// The masters' addresses, kept current from `masters/` until `shutdown`.
pub fn follow_masters(etcd: &Etcd, shutdown: CancellationToken) -> watch::Receiver<Vec<String>> {
    let (tx, rx) = watch::channel(Vec::new());
    let mut items = super::follow(etcd, super::KeyRange::prefix(etcd, "masters/"), shutdown);
    tokio::spawn(async move {
        let mut masters: HashMap<String, String> = HashMap::new();
        while let Some(item) = items.recv().await {
            let changes = match item {
                super::WatchItem::Snapshot { kvs, .. } => {
                    masters.clear();
                    kvs
                }
                super::WatchItem::Changes(c) => c,
            };
            for change in changes {
                match change {
                    super::Change::Put { key, value, .. } => {
                        match serde_json::from_slice::<MasterInfo>(&value) {
                            Ok(m) => {
                                masters.insert(key, m.address);
                            }
                            Err(e) => tracing::warn!(key, error = %e, "unreadable master entry"),
                        }
                    }
                    super::Change::Delete { key, .. } => {
                        masters.remove(&key);
                    }
                }
            }
            let mut list: Vec<String> = masters.values().cloned().collect();
            list.sort();
            tx.send_replace(list);
        }
    });
    rx
}

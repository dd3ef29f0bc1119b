//! What a worker says about itself: the value under `<prefix>/workers/<workerId>` in etcd,
//! and what `worker list` shows.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkerInfo {
    pub worker_id: String,
    pub ip: String,
    pub hostname: String,
    /// Percent of all cores in use on the host, 0-100.
    pub cpu_usage: f64,
    /// Percent of the host's memory in use, 0-100.
    pub mem_usage: f64,
    /// Unix milliseconds of the last heartbeat.
    pub last_seen: i64,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub version: String,
    /// Executions running now.
    #[serde(default)]
    pub running: u32,
    /// `executorThreads`: how many may run at once.
    #[serde(default)]
    pub capacity: u32,
    #[serde(default)]
    pub address: String,
}

impl WorkerInfo {
    /// Online when the last heartbeat is at most `grace_ms` old at `now_ms`.
    pub fn is_online(&self, now_ms: i64, grace_ms: i64) -> bool {
        // Saturating: `last_seen` comes from the registry and may be anything.
        now_ms.saturating_sub(self.last_seen) <= grace_ms
    }
}

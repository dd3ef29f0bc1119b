//! Who wants the live output of which job: `output/<job>/<masterId>` holds the master's
//! [`MasterInfo`] under its lease while some client of that master follows the job
//! (`TailLog`). Workers watch `output/` and stream the job's runs to the masters listed
//! there, so live output costs nothing while nobody follows.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use etcd_client::PutOptions;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::registry::MasterInfo;
use super::{Change, Etcd, KeyRange, WatchItem, follow};

/// How long to wait before writing again after etcd refused a write.
const RETRY: Duration = Duration::from_secs(1);

/// Keeps `output/<job>/<masterId>` written for each job in `wanted`, and only for those,
/// under the master's `lease` (written again when the lease is replaced), until `shutdown`.
pub async fn announce_wanted_output(
    etcd: Etcd,
    master: MasterInfo,
    mut wanted: watch::Receiver<BTreeSet<String>>,
    mut lease: watch::Receiver<i64>,
    shutdown: CancellationToken,
) {
    let Ok(value) = serde_json::to_vec(&master) else {
        return;
    };
    let key = |job: &str| etcd.key(&format!("output/{job}/{}", master.master_id));
    // What etcd holds, under which lease.
    let mut written: BTreeSet<String> = BTreeSet::new();
    let mut written_lease = None;
    loop {
        let want = wanted.borrow_and_update().clone();
        let lease_id = *lease.borrow_and_update();
        if written_lease != Some(lease_id) {
            // Keys under a lost lease are gone.
            written.clear();
            written_lease = Some(lease_id);
        }
        let mut failed = false;
        for job in want.difference(&written.clone()) {
            let put = etcd
                .client()
                .put(
                    key(job),
                    value.clone(),
                    Some(PutOptions::new().with_lease(lease_id)),
                )
                .await;
            match put {
                Ok(_) => {
                    written.insert(job.clone());
                }
                Err(e) => {
                    tracing::warn!(job, error = %e, "asking workers for live output failed; retrying");
                    failed = true;
                }
            }
        }
        for job in written.difference(&want).cloned().collect::<Vec<_>>() {
            match etcd.client().delete(key(&job), None).await {
                Ok(_) => {
                    written.remove(&job);
                }
                Err(e) => {
                    tracing::warn!(job, error = %e, "withdrawing a live output request failed; retrying");
                    failed = true;
                }
            }
        }
        tokio::select! {
            () = shutdown.cancelled() => return,
            changed = wanted.changed() => if changed.is_err() { return },
            changed = lease.changed() => if changed.is_err() { return },
            () = tokio::time::sleep(RETRY), if failed => {}
        }
    }
}

/// The masters' addresses by job whose live output they want, kept current from `output/`
/// until `shutdown`.
pub fn follow_wanted_output(
    etcd: &Etcd,
    shutdown: CancellationToken,
) -> watch::Receiver<BTreeMap<String, BTreeSet<String>>> {
    let (tx, rx) = watch::channel(BTreeMap::new());
    let mut items = follow(etcd, KeyRange::prefix(etcd, "output/"), shutdown);
    let prefix = etcd.key("output/");
    tokio::spawn(async move {
        // Master address by key.
        let mut entries: BTreeMap<String, String> = BTreeMap::new();
        while let Some(item) = items.recv().await {
            let changes = match item {
                WatchItem::Snapshot { kvs, .. } => {
                    entries.clear();
                    kvs
                }
                WatchItem::Changes(c) => c,
            };
            for change in changes {
                match change {
                    Change::Put { key, value, .. } => {
                        match serde_json::from_slice::<MasterInfo>(&value) {
                            Ok(m) => {
                                entries.insert(key, m.address);
                            }
                            Err(e) => {
                                tracing::warn!(key, error = %e, "unreadable live output request");
                            }
                        }
                    }
                    Change::Delete { key, .. } => {
                        entries.remove(&key);
                    }
                }
            }
            tx.send_replace(by_job(&prefix, &entries));
        }
    });
    rx
}

/// Addresses by job, from `<prefix><job>/<masterId>` keys.
fn by_job(prefix: &str, entries: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let mut jobs: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (key, address) in entries {
        if let Some((job, _master)) = key
            .strip_prefix(prefix)
            .and_then(|rest| rest.split_once('/'))
        {
            jobs.entry(job.to_owned())
                .or_default()
                .insert(address.clone());
        }
    }
    jobs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_grouped_by_job() {
        let entries = BTreeMap::from([
            ("/cron/output/a/m1".to_owned(), "10.0.0.1:8070".to_owned()),
            ("/cron/output/a/m2".to_owned(), "10.0.0.2:8070".to_owned()),
            ("/cron/output/b/m1".to_owned(), "10.0.0.1:8070".to_owned()),
            ("/cron/output/broken".to_owned(), "x".to_owned()),
        ]);
        let jobs = by_job("/cron/output/", &entries);
        assert_eq!(jobs.len(), 2);
        assert_eq!(
            jobs["a"],
            BTreeSet::from(["10.0.0.1:8070".to_owned(), "10.0.0.2:8070".to_owned()])
        );
        assert_eq!(jobs["b"], BTreeSet::from(["10.0.0.1:8070".to_owned()]));
    }
}

//! Kill and run-now requests: `kill/<job>` and `run/<job>/<executionId>`, written by masters
//! under a short lease, followed by workers. A worker acts on a kill request made after it
//! started; a run-now request counts whenever it was made, since taking one deletes it.

use etcd_client::{Compare, CompareOp, PutOptions, Txn, TxnOp};
use schedd_core::store::StoreError;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use schedd_core::dependency::Parent;

use super::lease::grant;
use super::{Change, Etcd, KeyRange, WatchItem, follow};

/// Kill and run-now requests expire after this long.
pub const SIGNAL_TTL_SECS: i64 = 60;

/// A kill request under `kill/<job>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KillRequest {
    /// Only this execution; every run of the job when empty.
    #[serde(default)]
    pub execution_id: String,
}

/// A run-now request: run `job` now as `execution_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRequest {
    pub job: String,
    pub execution_id: String,
    /// Set when the end of another run asked for it (trigger `dependency`).
    pub parent: Option<Parent>,
}

/// The value of `run/<job>/<executionId>`: `{}` for a run asked for by hand, the parent run
/// for one a dependency started.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RunBody {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    parent_job: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    parent_execution_id: String,
    #[serde(default, skip_serializing_if = "is_zero")]
    depth: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl RunBody {
    fn parent(self) -> Option<Parent> {
        (!self.parent_execution_id.is_empty()).then_some(Parent {
            job: self.parent_job,
            execution_id: self.parent_execution_id,
            depth: self.depth,
        })
    }
}

/// Asks every worker running `job` to kill it (one execution, or all of them). The request
/// expires after [`SIGNAL_TTL_SECS`].
pub async fn request_kill(
    etcd: &Etcd,
    job: &str,
    execution_id: Option<&str>,
) -> Result<(), StoreError> {
    let value = serde_json::to_vec(&KillRequest {
        execution_id: execution_id.unwrap_or_default().to_owned(),
    })
    .map_err(|e| StoreError::Corrupt(format!("kill request: {e}")))?;
    let lease = grant(etcd, SIGNAL_TTL_SECS).await?;
    etcd.client()
        .put(
            etcd.key(&format!("kill/{job}")),
            value,
            Some(PutOptions::new().with_lease(lease)),
        )
        .await
        .map(|_| ())
        .map_err(|e| etcd.error(e))
}

/// Asks the workers to run `job` now as `execution_id` (for `parent`, when a dependency
/// asks); the first eligible worker takes it. Asking again for the same execution id
/// changes nothing.
pub async fn request_run(
    etcd: &Etcd,
    job: &str,
    execution_id: &str,
    parent: Option<&Parent>,
) -> Result<(), StoreError> {
    let body = parent.map_or_else(RunBody::default, |p| RunBody {
        parent_job: p.job.clone(),
        parent_execution_id: p.execution_id.clone(),
        depth: p.depth,
    });
    let value =
        serde_json::to_vec(&body).map_err(|e| StoreError::Corrupt(format!("run request: {e}")))?;
    let lease = grant(etcd, SIGNAL_TTL_SECS).await?;
    // Once per execution id: `asked/<id>` stays (under the same lease) after a worker took
    // the request and deleted it, so a request sent again after a reply was lost is not
    // taken, and run, a second time.
    let asked = etcd.key(&format!("asked/{execution_id}"));
    let on_lease = || Some(PutOptions::new().with_lease(lease));
    let txn = Txn::new()
        .when([Compare::create_revision(asked.clone(), CompareOp::Equal, 0)])
        .and_then([
            TxnOp::put(asked, "", on_lease()),
            TxnOp::put(
                etcd.key(&format!("run/{job}/{execution_id}")),
                value,
                on_lease(),
            ),
        ]);
    etcd.client()
        .txn(txn)
        .await
        .map(|_| ())
        .map_err(|e| etcd.error(e))
}

/// Kill requests (job, request) made after this call, until `shutdown`.
pub fn follow_kill_requests(
    etcd: &Etcd,
    shutdown: CancellationToken,
) -> mpsc::UnboundedReceiver<(String, KillRequest)> {
    let (tx, rx) = mpsc::unbounded_channel();
    let mut items = follow(etcd, KeyRange::prefix(etcd, "kill/"), shutdown);
    let prefix = format!("{}/", etcd.prefix());
    tokio::spawn(async move {
        // The first snapshot sets the revision from which requests count: one made before
        // this worker started is not for it.
        let mut seen_revision = None;
        while let Some(item) = items.recv().await {
            for kill in new_signals(&prefix, "kill/", item, &mut seen_revision) {
                if tx.send(kill).is_err() {
                    return;
                }
            }
        }
    });
    rx
}

/// Run-now requests not yet taken, those already waiting first, until `shutdown`.
pub fn follow_run_requests(
    etcd: &Etcd,
    shutdown: CancellationToken,
) -> mpsc::UnboundedReceiver<RunRequest> {
    let (tx, rx) = mpsc::unbounded_channel();
    let mut items = follow(etcd, KeyRange::prefix(etcd, "run/"), shutdown);
    let prefix = format!("{}/", etcd.prefix());
    tokio::spawn(async move {
        let mut seen_revision = Some(0);
        while let Some(item) = items.recv().await {
            for (rest, body) in new_signals::<RunBody>(&prefix, "run/", item, &mut seen_revision) {
                let Some((job, execution_id)) = rest.split_once('/') else {
                    continue;
                };
                let request = RunRequest {
                    job: job.to_owned(),
                    execution_id: execution_id.to_owned(),
                    parent: body.parent(),
                };
                if tx.send(request).is_err() {
                    return;
                }
            }
        }
    });
    rx
}

/// The signals (`kill/<job>`, `run/<job>/<id>`) in a watch item that are new: written after
/// `seen_revision`, keyed by what follows `kind` in the key. The first snapshot only sets
/// `seen_revision` when it is None. A value that cannot be read counts as the default.
fn new_signals<T: serde::de::DeserializeOwned + Default>(
    prefix: &str,
    kind: &str,
    item: WatchItem,
    seen_revision: &mut Option<i64>,
) -> Vec<(String, T)> {
    let (changes, snapshot_at) = match item {
        WatchItem::Snapshot { kvs, revision } => (kvs, Some(revision)),
        WatchItem::Changes(c) => (c, None),
    };
    let mut out = Vec::new();
    let threshold = *seen_revision;
    for c in changes {
        if let Change::Put {
            key,
            value,
            mod_revision,
            ..
        } = c
        {
            let fresh = threshold.is_some_and(|t| mod_revision > t);
            if fresh && let Some(rest) = key.strip_prefix(prefix).and_then(|k| k.strip_prefix(kind))
            {
                out.push((
                    rest.to_owned(),
                    serde_json::from_slice(&value).unwrap_or_default(),
                ));
            }
            *seen_revision = Some(seen_revision.map_or(mod_revision, |s| s.max(mod_revision)));
        }
    }
    if let Some(rev) = snapshot_at {
        *seen_revision = Some(seen_revision.map_or(rev, |s| s.max(rev)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(key: &str, value: &impl serde::Serialize, rev: i64) -> Change {
        Change::Put {
            key: key.into(),
            value: serde_json::to_vec(value).expect("json"),
            mod_revision: rev,
            create_revision: rev,
            lease: 1,
        }
    }

    #[test]
    fn only_signals_newer_than_the_first_snapshot_are_acted_on() {
        let p = "/cron/";
        let mut seen = None;
        let req = KillRequest::default();
        let old: Vec<(String, KillRequest)> = new_signals(
            p,
            "kill/",
            WatchItem::Snapshot {
                kvs: vec![put("/cron/kill/a", &req, 3)],
                revision: 5,
            },
            &mut seen,
        );
        assert!(old.is_empty(), "a kill from before the start is ignored");
        let new: Vec<(String, KillRequest)> = new_signals(
            p,
            "kill/",
            WatchItem::Changes(vec![put("/cron/kill/b", &req, 6)]),
            &mut seen,
        );
        assert_eq!(new, vec![("b".to_owned(), req.clone())]);
        // After a resync, only what is newer than what was seen counts.
        let again: Vec<(String, KillRequest)> = new_signals(
            p,
            "kill/",
            WatchItem::Snapshot {
                kvs: vec![put("/cron/kill/b", &req, 6), put("/cron/kill/c", &req, 8)],
                revision: 8,
            },
            &mut seen,
        );
        assert_eq!(again, vec![("c".to_owned(), req)]);
    }

    #[test]
    fn run_requests_waiting_at_the_start_count() {
        let mut seen = Some(0);
        let waiting: Vec<(String, serde::de::IgnoredAny)> = new_signals(
            "/cron/",
            "run/",
            WatchItem::Snapshot {
                kvs: vec![put("/cron/run/a/e1", &serde_json::json!({}), 3)],
                revision: 5,
            },
            &mut seen,
        );
        let keys: Vec<&str> = waiting.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a/e1"]);
    }

    #[test]
    fn a_run_request_carries_its_parent_and_one_by_hand_none() {
        let child = RunBody {
            parent_job: "a".into(),
            parent_execution_id: "e1".into(),
            depth: 2,
        };
        let text = serde_json::to_string(&child).expect("json");
        assert_eq!(
            text,
            r#"{"parentJob":"a","parentExecutionId":"e1","depth":2}"#
        );
        let read: RunBody = serde_json::from_str(&text).expect("read");
        assert_eq!(
            read.parent(),
            Some(Parent {
                job: "a".into(),
                execution_id: "e1".into(),
                depth: 2
            })
        );
        let by_hand: RunBody = serde_json::from_str("{}").expect("read");
        assert_eq!(by_hand.parent(), None);
        assert_eq!(
            serde_json::to_string(&RunBody::default()).expect("json"),
            "{}"
        );
    }
}

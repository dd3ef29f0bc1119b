//! Tick claims, run markers and job locks: how a worker of the cluster takes a tick so that
//! it runs once, and gives it back when the run ends. The layout is in the
//! [module docs](super).
//!
//! A scheduled run takes two writes: the claim (a transaction that claims the tick, takes
//! the job's lock when the overlap policy needs one, marks the run as running under the
//! worker's lease, and advances the job's newest claimed tick) and the release (one that
//! removes the marker and the lock). Both go out in batches ([`super::batch`]): claims of
//! the same instant share transactions, each claim a nested transaction, and so do releases
//! of runs that end close together, so a busy worker spends well under one request per run.
//! Claim keys live under a claim lease that is granted once per [`CLAIM_LEASE_REUSE`] and
//! left to expire, so they cost no request of their own.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use etcd_client::{
    Compare, CompareOp, GetOptions, PutOptions, Txn, TxnOp, TxnOpResponse, TxnResponse,
};
use schedd_core::store::StoreError;
use serde::{Deserialize, Serialize};
use tokio::sync::{Mutex, watch};

use super::Etcd;
use super::batch::{Batched, Batcher};
use super::lease::lease_grant;
use super::lease::{Fence, KeptLease, LeaseHealth};

/// How long a claim key lives at least: far longer than any worker takes to decide about a
/// tick, so a tick is never claimed twice because its first claim expired.
pub const CLAIM_TTL_SECS: i64 = 120;
/// A claim lease takes new claims for this long; it expires `CLAIM_TTL_SECS` after its grant.
pub const CLAIM_LEASE_REUSE: Duration = Duration::from_secs(60);
/// How long a lazy release ([`EtcdClaims::release_lazily`]) waits for others to share its
/// transaction.
pub const LAZY_RELEASE_LINGER: Duration = Duration::from_millis(50);

/// Ticks are written zero-padded so that etcd's byte-wise comparison orders them as numbers.
pub fn tick_key(tick_ms: i64) -> String {
    format!("{:016}", tick_ms.max(0))
}

/// What `running/<job>/<executionId>` holds while a run goes on: enough to write its record
/// if the worker dies. The same, with [`RunMarker::skipped`] set, is what
/// `owed/<job>/<executionId>` holds for a tick claimed to be skipped, until its record is
/// spooled: if the worker dies first, its peers record the skip.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunMarker {
    pub job_name: String,
    pub execution_id: String,
    pub worker_id: String,
    #[serde(default)]
    pub worker_ip: String,
    #[serde(default)]
    pub command: String,
    pub plan_time_ms: i64,
    pub start_time_ms: i64,
    #[serde(default)]
    pub trigger: String,
    /// Why the tick is skipped, for a marker under `owed/`; empty for a run.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub skipped: String,
    /// The attempt going on, once a retry has started ([`EtcdClaims::mark_retry`]): the
    /// marker then names the retry's execution id, under the key of the run's first. Absent
    /// (0) for the first attempt.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub attempt: u32,
    /// The run whose end started this one (trigger `dependency`); empty otherwise.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub parent_execution_id: String,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// What a claim also takes, besides the tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimKind {
    /// Run beside any other run of the job (overlap `allow`).
    Run,
    /// Run only if no other run of the job holds its lock (overlap `forbid`).
    RunExclusive,
    /// Take the job's lock from whoever holds it (overlap `replace`).
    RunReplacing,
    /// Claim the tick without running it: it is recorded as skipped.
    Skip,
    /// Claim this worker's run of a broadcast job's tick (`runOn: all`): keyed by the tick
    /// and the worker (`each/<job>/<tick>/<worker>`), so each worker runs it once, beside
    /// the others; overlap is each worker's own affair.
    RunOnEach,
}

/// Why a `forbid` job's tick is skipped when its lock is held, as the marker under `owed/`
/// says it (the claiming worker's own record names the run holding the lock).
pub const BUSY_REASON: &str = "skipped: the previous run is still going (overlap: forbid)";

/// A tick to claim. For [`ClaimKind::Skip`], `skip_reason` is why, and goes into the
/// marker under `owed/`; a `RunExclusive` claim that finds the lock held owes its skip with
/// [`BUSY_REASON`].
#[derive(Debug, Clone)]
pub struct TickClaim {
    pub kind: ClaimKind,
    pub tick_ms: i64,
    pub marker: RunMarker,
    pub skip_reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimOutcome {
    /// This worker owns the tick and runs it. `replaced` is the execution that held the
    /// job's lock before (overlap `replace`), which must be killed.
    Run { replaced: Option<String> },
    /// This worker owns the tick, but the job is running (overlap `forbid`): the tick is
    /// skipped, and this worker records the skip.
    Busy { holder: String },
    /// This worker owns the tick and records it as skipped ([`ClaimKind::Skip`]).
    Skipped,
    /// Another worker claimed the tick first.
    Taken,
}

/// The claim side of the cluster, used by workers (and the master's signals).
///
/// Claims and releases go out in batches ([`super::batch`]): the claims of ticks due at the
/// same instant share transactions, each claim a nested transaction of its own, so a burst
/// of a thousand ticks costs a few dozen requests.
#[derive(Debug)]
pub struct EtcdClaims {
    etcd: Etcd,
    worker_lease: watch::Receiver<i64>,
    health: LeaseHealth,
    claims: Batcher<ClaimSender>,
    releases: Batcher<ReleaseSender>,
    lazy_releases: Batcher<ReleaseSender>,
    latency: std::sync::Mutex<Recent>,
}

/// The longest claim of the last [`Recent::SPAN`] to [`Recent::SPAN`] × 2.
#[derive(Debug)]
struct Recent {
    since: Instant,
    now: Duration,
    before: Duration,
}

impl Recent {
    const SPAN: Duration = Duration::from_secs(10);

    fn record(&mut self, took: Duration) {
        if self.since.elapsed() >= Recent::SPAN {
            self.before = std::mem::take(&mut self.now);
            self.since = Instant::now();
        }
        self.now = self.now.max(took);
    }

    fn longest(&self) -> Duration {
        if self.since.elapsed() >= Recent::SPAN * 2 {
            return Duration::ZERO;
        }
        self.now.max(self.before)
    }
}

impl EtcdClaims {
    /// `worker_lease` holds run markers and locks, so they vanish with the worker. Starts
    /// the tasks that send claims and releases, on the current tokio runtime.
    /// No claim is made while the lease is not current ([`LeaseHealth::is_current`]): the
    /// worker is fenced, and whatever it claimed could be claimed by others too.
    pub fn new(etcd: Etcd, lease: &KeptLease) -> EtcdClaims {
        let worker_lease = lease.changes();
        EtcdClaims {
            claims: Batcher::start(ClaimSender {
                etcd: etcd.clone(),
                worker_lease: worker_lease.clone(),
                claim_lease: Mutex::new(None),
            }),
            releases: Batcher::start(ReleaseSender {
                etcd: etcd.clone(),
                linger: Duration::ZERO,
            }),
            lazy_releases: Batcher::start(ReleaseSender {
                etcd: etcd.clone(),
                linger: LAZY_RELEASE_LINGER,
            }),
            etcd,
            worker_lease,
            health: lease.health(),
            latency: std::sync::Mutex::new(Recent {
                since: Instant::now(),
                now: Duration::ZERO,
                before: Duration::ZERO,
            }),
        }
    }

    pub fn etcd(&self) -> &Etcd {
        &self.etcd
    }

    fn running_key(&self, job: &str, execution_id: &str) -> String {
        running_key(&self.etcd, job, execution_id)
    }

    /// Claims a tick, in a transaction shared with the claims asked for meanwhile; see
    /// [`ClaimOutcome`].
    pub async fn claim(&self, c: &TickClaim) -> Result<ClaimOutcome, StoreError> {
        self.check_fence()?;
        let encode = |m: &RunMarker| {
            serde_json::to_vec(m).map_err(|e| StoreError::Corrupt(format!("run marker: {e}")))
        };
        let owed_for = |reason: &str| {
            encode(&RunMarker {
                skipped: reason.to_owned(),
                ..c.marker.clone()
            })
        };
        let (marker, owed) = match c.kind {
            ClaimKind::Skip => (Vec::new(), owed_for(&c.skip_reason)?),
            ClaimKind::RunExclusive => (encode(&c.marker)?, owed_for(BUSY_REASON)?),
            ClaimKind::Run | ClaimKind::RunReplacing | ClaimKind::RunOnEach => {
                (encode(&c.marker)?, Vec::new())
            }
        };
        let req = ClaimReq {
            kind: c.kind,
            tick_ms: c.tick_ms,
            job: c.marker.job_name.clone(),
            execution_id: c.marker.execution_id.clone(),
            worker_id: c.marker.worker_id.clone(),
            marker,
            owed,
        };
        let started = Instant::now();
        let outcome = self.claims.call(req).await;
        if outcome.is_ok()
            && let Ok(mut latency) = self.latency.lock()
        {
            latency.record(started.elapsed());
        }
        outcome
    }

    /// Refuses to act while the worker's lease is not current.
    fn check_fence(&self) -> Result<(), StoreError> {
        if self.health.is_current() {
            return Ok(());
        }
        Err(StoreError::Unavailable(
            "fenced: this worker's etcd lease is not confirmed (keep-alives fail, or it was paused); nothing is claimed until it is".into(),
        ))
    }

    /// Whether the worker's lease is current (see [`LeaseHealth::is_current`]).
    pub fn lease_is_current(&self) -> bool {
        self.health.is_current()
    }

    /// Follows the fence of the worker's lease.
    pub fn fences(&self) -> watch::Receiver<Fence> {
        self.health.fences()
    }

    /// The worker's lease id now.
    pub fn lease_id(&self) -> i64 {
        *self.worker_lease.borrow()
    }

    /// The longest a claim took lately, from asking to the answer: how long another
    /// worker's claim may take to show, so a takeover waits at least that long.
    pub fn recent_claim_latency(&self) -> Duration {
        self.latency.lock().map_or(Duration::ZERO, |l| l.longest())
    }

    /// Ends a run: removes its marker, and the job's lock if the run holds it. Shares a
    /// transaction with the releases asked for meanwhile.
    pub async fn release(&self, job: &str, execution_id: &str) -> Result<(), StoreError> {
        self.releases.call(Release::run(job, execution_id)).await
    }

    /// Removes the `owed/` marker of a tick claimed to be skipped, once its record is safe;
    /// lazily, like [`EtcdClaims::release_lazily`].
    pub async fn release_skip(&self, job: &str, execution_id: &str) -> Result<(), StoreError> {
        self.lazy_releases
            .call(Release {
                skip: true,
                ..Release::run(job, execution_id)
            })
            .await
    }

    /// [`EtcdClaims::release`] for a run that holds no lock (its job allows overlap): it
    /// waits up to [`LAZY_RELEASE_LINGER`] for the releases of runs ending meanwhile, so a
    /// busy worker's releases share a few transactions a second instead of one each. Its
    /// marker stays that much longer, which delays nothing: no claim waits on it.
    pub async fn release_lazily(&self, job: &str, execution_id: &str) -> Result<(), StoreError> {
        self.lazy_releases
            .call(Release::run(job, execution_id))
            .await
    }

    /// Points the marker of the run whose first execution id is `handle` at a retry that is
    /// about to start: its execution id, attempt, start time and the `retry` trigger. Peers
    /// that find the marker after the worker died record that attempt `lost`. The key, its
    /// lease and the job's lock stay the run's. False when the marker is gone (released, or
    /// gone with the lease) or changed meanwhile.
    pub async fn mark_retry(
        &self,
        job: &str,
        handle: &str,
        execution_id: &str,
        attempt: u32,
        start_time_ms: i64,
    ) -> Result<bool, StoreError> {
        let key = self.running_key(job, handle);
        let mut client = self.etcd.client();
        let resp = self
            .etcd
            .timed("mark_retry", client.get(key.clone(), None))
            .await
            .map_err(|e| self.etcd.error(e))?;
        let Some(kv) = resp.kvs().first() else {
            return Ok(false);
        };
        let mut marker: RunMarker = serde_json::from_slice(kv.value())
            .map_err(|e| StoreError::Corrupt(format!("run marker {key}: {e}")))?;
        marker.execution_id = execution_id.to_owned();
        marker.attempt = attempt;
        marker.start_time_ms = start_time_ms;
        marker.trigger = "retry".to_owned();
        let value = serde_json::to_vec(&marker)
            .map_err(|e| StoreError::Corrupt(format!("run marker: {e}")))?;
        let txn = Txn::new()
            .when([Compare::mod_revision(
                key.clone(),
                CompareOp::Equal,
                kv.mod_revision(),
            )])
            .and_then([TxnOp::put(
                key,
                value,
                Some(PutOptions::new().with_lease(kv.lease())),
            )]);
        let resp = self
            .etcd
            .timed("mark_retry", client.txn(txn))
            .await
            .map_err(|e| self.etcd.error(e))?;
        Ok(resp.succeeded())
    }

    /// Notes that a run of `job` ended with `status` (`outcome/<job>`) and returns what was
    /// noted before, in one transaction: how the job's previous run ended, for recoveries.
    pub async fn swap_outcome(
        &self,
        job: &str,
        status: &str,
    ) -> Result<Option<String>, StoreError> {
        let key = self.etcd.key(&format!("outcome/{job}"));
        let txn = Txn::new().and_then([
            TxnOp::get(key.clone(), None),
            TxnOp::put(key, status.as_bytes(), None),
        ]);
        let resp = self
            .etcd
            .timed("swap_outcome", self.etcd.client().txn(txn))
            .await
            .map_err(|e| self.etcd.error(e))?;
        Ok(resp.op_responses().into_iter().find_map(|r| match r {
            TxnOpResponse::Get(get) => get
                .kvs()
                .first()
                .and_then(|kv| kv.value_str().ok().map(str::to_owned)),
            _ => None,
        }))
    }

    /// Whether this worker is the one to send the notices of `execution_id`: every worker
    /// records a departed worker's lost runs, and the first to ask (`notified/<id>`, under a
    /// short lease) sends them.
    pub async fn take_notice(&self, execution_id: &str) -> Result<bool, StoreError> {
        let key = self.etcd.key(&format!("notified/{execution_id}"));
        let lease = lease_grant(&self.etcd, super::signals::SIGNAL_TTL_SECS * 10)
            .await
            .map_err(|e| self.etcd.error(e))?;
        let txn = Txn::new()
            .when([Compare::create_revision(key.clone(), CompareOp::Equal, 0)])
            .and_then([TxnOp::put(
                key,
                "",
                Some(PutOptions::new().with_lease(lease)),
            )]);
        let resp = self
            .etcd
            .timed("take_notice", self.etcd.client().txn(txn))
            .await
            .map_err(|e| self.etcd.error(e))?;
        Ok(resp.succeeded())
    }

    /// Takes a run-now request: deletes `run/<job>/<executionId>` and marks the run as
    /// running, in one transaction. False when another worker took it first.
    pub async fn take_run_now(&self, marker: &RunMarker) -> Result<bool, StoreError> {
        self.check_fence()?;
        let key = self
            .etcd
            .key(&format!("run/{}/{}", marker.job_name, marker.execution_id));
        let value = serde_json::to_vec(marker)
            .map_err(|e| StoreError::Corrupt(format!("run marker: {e}")))?;
        let lease = *self.worker_lease.borrow();
        let txn = Txn::new()
            .when([Compare::create_revision(key.clone(), CompareOp::Greater, 0)])
            .and_then([
                TxnOp::delete(key, None),
                TxnOp::put(
                    self.running_key(&marker.job_name, &marker.execution_id),
                    value,
                    Some(PutOptions::new().with_lease(lease)),
                ),
            ]);
        let resp = self
            .etcd
            .timed("take_run_now", self.etcd.client().txn(txn))
            .await
            .map_err(|e| self.etcd.error(e))?;
        Ok(resp.succeeded())
    }

    /// The newest claimed tick of every job that has one.
    pub async fn last_ticks(&self) -> Result<HashMap<String, i64>, StoreError> {
        last_ticks(&self.etcd).await
    }
}

fn running_key(etcd: &Etcd, job: &str, execution_id: &str) -> String {
    etcd.key(&format!("running/{job}/{execution_id}"))
}

fn owed_key(etcd: &Etcd, job: &str, execution_id: &str) -> String {
    etcd.key(&format!("owed/{job}/{execution_id}"))
}

/// A claim ready to go into a transaction.
#[derive(Debug)]
struct ClaimReq {
    kind: ClaimKind,
    tick_ms: i64,
    job: String,
    execution_id: String,
    worker_id: String,
    /// The run marker's JSON (empty for a skip).
    marker: Vec<u8>,
    /// The `owed/` marker's JSON, for a claim that may end in a skip (else empty).
    owed: Vec<u8>,
}

#[derive(Debug)]
struct ClaimSender {
    etcd: Etcd,
    /// Read when a transaction goes out: a lease replaced while a claim waited in the
    /// queue would make etcd refuse the whole transaction.
    worker_lease: watch::Receiver<i64>,
    claim_lease: Mutex<Option<(i64, Instant)>>,
}

impl ClaimSender {
    /// The lease new claim keys go under: reused for [`CLAIM_LEASE_REUSE`], then replaced.
    async fn claim_lease(&self) -> Result<i64, etcd_client::Error> {
        let mut current = self.claim_lease.lock().await;
        if let Some((id, granted)) = *current
            && granted.elapsed() < CLAIM_LEASE_REUSE
        {
            return Ok(id);
        }
        let id = lease_grant(&self.etcd, CLAIM_TTL_SECS).await?;
        *current = Some((id, Instant::now()));
        Ok(id)
    }

    /// One claim's transaction: claims the tick only if nobody has, and with it advances
    /// `last/<job>`, marks the run and takes the job's lock as its kind asks.
    fn txn(&self, c: &ClaimReq, claim_lease: i64, worker_lease: i64) -> Txn {
        let (job, exec) = (&c.job, &c.execution_id);
        let tick = tick_key(c.tick_ms);
        let claim_key = match c.kind {
            ClaimKind::RunOnEach => self.etcd.key(&format!("each/{job}/{tick}/{}", c.worker_id)),
            _ => self.etcd.key(&format!("claims/{job}/{tick}")),
        };
        let lock_key = self.etcd.key(&format!("lock/{job}"));
        let last_key = self.etcd.key(&format!("last/{job}"));
        let claim_value = format!(
            "{{\"workerId\":{},\"executionId\":{}}}",
            serde_json::Value::from(c.worker_id.as_str()),
            serde_json::Value::from(exec.as_str())
        );
        let on_worker_lease = || Some(PutOptions::new().with_lease(worker_lease));
        let put_marker = TxnOp::put(
            running_key(&self.etcd, job, exec),
            c.marker.clone(),
            on_worker_lease(),
        );
        let put_owed = || {
            TxnOp::put(
                owed_key(&self.etcd, job, exec),
                c.owed.clone(),
                on_worker_lease(),
            )
        };
        let put_lock = |opts: PutOptions| TxnOp::put(lock_key.clone(), exec.as_bytes(), Some(opts));
        // The newest claimed tick only moves forward.
        let advance_last = TxnOp::txn(
            Txn::new()
                .when([Compare::value(
                    last_key.clone(),
                    CompareOp::Less,
                    tick.as_bytes(),
                )])
                .and_then([TxnOp::put(last_key.clone(), tick.as_bytes(), None)])
                .or_else([TxnOp::txn(
                    Txn::new()
                        .when([Compare::create_revision(
                            last_key.clone(),
                            CompareOp::Equal,
                            0,
                        )])
                        .and_then([TxnOp::put(last_key.clone(), tick.as_bytes(), None)]),
                )]),
        );
        let run_ops = match c.kind {
            ClaimKind::Run | ClaimKind::RunOnEach => vec![put_marker],
            ClaimKind::Skip => vec![put_owed()],
            ClaimKind::RunReplacing => vec![
                put_marker,
                put_lock(PutOptions::new().with_lease(worker_lease).with_prev_key()),
            ],
            ClaimKind::RunExclusive => vec![TxnOp::txn(
                Txn::new()
                    .when([Compare::create_revision(
                        lock_key.clone(),
                        CompareOp::Equal,
                        0,
                    )])
                    .and_then([
                        put_marker,
                        put_lock(PutOptions::new().with_lease(worker_lease)),
                    ])
                    .or_else([TxnOp::get(lock_key.clone(), None), put_owed()]),
            )],
        };
        let mut then = vec![
            TxnOp::put(
                claim_key.clone(),
                claim_value,
                Some(PutOptions::new().with_lease(claim_lease)),
            ),
            advance_last,
        ];
        then.extend(run_ops);
        Txn::new()
            .when([Compare::create_revision(claim_key, CompareOp::Equal, 0)])
            .and_then(then)
    }
}

/// What one claim's transaction answered.
fn claim_outcome(c: &ClaimReq, resp: &TxnResponse) -> ClaimOutcome {
    if !resp.succeeded() {
        return ClaimOutcome::Taken;
    }
    let responses = resp.op_responses();
    match c.kind {
        ClaimKind::Skip => ClaimOutcome::Skipped,
        ClaimKind::Run | ClaimKind::RunOnEach => ClaimOutcome::Run { replaced: None },
        ClaimKind::RunReplacing => {
            let replaced = responses.iter().rev().find_map(|r| match r {
                TxnOpResponse::Put(p) => p
                    .prev_key()
                    .map(|kv| String::from_utf8_lossy(kv.value()).into_owned()),
                _ => None,
            });
            ClaimOutcome::Run {
                replaced: replaced.filter(|r| *r != c.execution_id),
            }
        }
        ClaimKind::RunExclusive => match responses.last() {
            Some(TxnOpResponse::Txn(inner)) if !inner.succeeded() => {
                let holder = inner
                    .op_responses()
                    .into_iter()
                    .find_map(|r| match r {
                        TxnOpResponse::Get(g) => g
                            .kvs()
                            .first()
                            .map(|kv| String::from_utf8_lossy(kv.value()).into_owned()),
                        _ => None,
                    })
                    .unwrap_or_default();
                ClaimOutcome::Busy { holder }
            }
            _ => ClaimOutcome::Run { replaced: None },
        },
    }
}

/// The answers of the nested transactions of a batch, in order.
fn nested(resp: &etcd_client::TxnResponse) -> Result<Vec<TxnResponse>, etcd_client::Error> {
    resp.op_responses()
        .into_iter()
        .map(|r| match r {
            TxnOpResponse::Txn(t) => Ok(t),
            other => Err(etcd_client::Error::InvalidArgs(format!(
                "etcd answered a nested transaction with {other:?}"
            ))),
        })
        .collect()
}

#[async_trait]
impl Batched for ClaimSender {
    type Req = ClaimReq;
    type Out = ClaimOutcome;

    fn size(c: &ClaimReq) -> usize {
        // Keys and the claim value besides the markers: a few hundred bytes.
        c.marker.len() + c.owed.len() + 5 * c.job.len() + 256
    }

    fn key(c: &ClaimReq) -> String {
        // One claim per job in a transaction: claims of one job write the same lock and
        // `last/` keys.
        c.job.clone()
    }

    async fn send(&self, reqs: &[ClaimReq]) -> Result<Vec<ClaimOutcome>, etcd_client::Error> {
        let claim_lease = self.claim_lease().await?;
        let worker_lease = *self.worker_lease.borrow();
        let txn = Txn::new().and_then(
            reqs.iter()
                .map(|c| TxnOp::txn(self.txn(c, claim_lease, worker_lease)))
                .collect::<Vec<_>>(),
        );
        let resp = self
            .etcd
            .timed("claim", self.etcd.client().txn(txn))
            .await?;
        let answers = nested(&resp)?;
        Ok(reqs
            .iter()
            .zip(&answers)
            .map(|(c, r)| claim_outcome(c, r))
            .collect())
    }

    fn error(&self, e: &etcd_client::Error) -> StoreError {
        self.etcd.error_ref(e)
    }
}

/// What a release removes: a run's marker and the job's lock if the run holds it, or the
/// `owed/` marker of a skip.
#[derive(Debug)]
struct Release {
    job: String,
    execution_id: String,
    skip: bool,
}

impl Release {
    fn run(job: &str, execution_id: &str) -> Release {
        Release {
            job: job.to_owned(),
            execution_id: execution_id.to_owned(),
            skip: false,
        }
    }
}

#[derive(Debug)]
struct ReleaseSender {
    etcd: Etcd,
    linger: Duration,
}

#[async_trait]
impl Batched for ReleaseSender {
    type Req = Release;
    type Out = ();

    fn linger(&self) -> Duration {
        self.linger
    }

    fn size(r: &Release) -> usize {
        3 * r.job.len() + 2 * r.execution_id.len() + 64
    }

    fn key(r: &Release) -> String {
        format!("{}/{}", r.job, r.execution_id)
    }

    async fn send(&self, reqs: &[Release]) -> Result<Vec<()>, etcd_client::Error> {
        let ops: Vec<TxnOp> = reqs
            .iter()
            .map(|r| {
                let (job, execution_id) = (&r.job, &r.execution_id);
                if r.skip {
                    return TxnOp::delete(owed_key(&self.etcd, job, execution_id), None);
                }
                let lock_key = self.etcd.key(&format!("lock/{job}"));
                TxnOp::txn(
                    Txn::new().and_then([
                        TxnOp::delete(running_key(&self.etcd, job, execution_id), None),
                        TxnOp::txn(
                            Txn::new()
                                .when([Compare::value(
                                    lock_key.clone(),
                                    CompareOp::Equal,
                                    execution_id.as_bytes(),
                                )])
                                .and_then([TxnOp::delete(lock_key, None)]),
                        ),
                    ]),
                )
            })
            .collect();
        self.etcd
            .timed("release", self.etcd.client().txn(Txn::new().and_then(ops)))
            .await?;
        Ok(vec![(); reqs.len()])
    }

    fn error(&self, e: &etcd_client::Error) -> StoreError {
        self.etcd.error_ref(e)
    }
}

/// A tick claimed by some worker: `claims/<job>/<tick>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedTick {
    pub job: String,
    pub tick_ms: i64,
}

/// The ticks claimed from now on (and those whose claims are still there), in the batches
/// etcd reports them, until `shutdown`.
pub fn follow_claims(
    etcd: &Etcd,
    shutdown: tokio_util::sync::CancellationToken,
) -> tokio::sync::mpsc::UnboundedReceiver<Vec<ClaimedTick>> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let mut items = super::follow(etcd, super::KeyRange::prefix(etcd, "claims/"), shutdown);
    let prefix = etcd.key("claims/");
    tokio::spawn(async move {
        while let Some(item) = items.recv().await {
            let changes = match item {
                super::WatchItem::Snapshot { kvs, .. } => kvs,
                super::WatchItem::Changes(c) => c,
            };
            let claimed: Vec<ClaimedTick> = changes
                .iter()
                .filter_map(|change| match change {
                    super::Change::Put { key, .. } => claimed_tick(&prefix, key),
                    super::Change::Delete { .. } => None,
                })
                .collect();
            if !claimed.is_empty() && tx.send(claimed).is_err() {
                return;
            }
        }
    });
    rx
}

/// The job and tick of a key under `claims/` (`prefix` is that folder's full key).
fn claimed_tick(prefix: &str, key: &str) -> Option<ClaimedTick> {
    let (job, tick) = key.strip_prefix(prefix)?.rsplit_once('/')?;
    Some(ClaimedTick {
        job: job.to_owned(),
        tick_ms: tick.parse().ok()?,
    })
}

/// The newest claimed tick of every job that has one (`last/<job>`).
pub async fn last_ticks(etcd: &Etcd) -> Result<HashMap<String, i64>, StoreError> {
    let prefix = etcd.key("last/");
    let resp = etcd
        .client()
        .get(prefix.clone(), Some(GetOptions::new().with_prefix()))
        .await
        .map_err(|e| etcd.error(e))?;
    Ok(resp
        .kvs()
        .iter()
        .filter_map(|kv| {
            let job = kv.key_str().ok()?.strip_prefix(&prefix)?.to_owned();
            let tick = kv.value_str().ok()?.parse().ok()?;
            Some((job, tick))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_keys_read_back_as_job_and_tick() {
        let key = format!("/cron/claims/a/b/{}", tick_key(1_700_000_000_000));
        assert_eq!(
            claimed_tick("/cron/claims/", &key),
            Some(ClaimedTick {
                job: "a/b".into(),
                tick_ms: 1_700_000_000_000
            })
        );
        assert_eq!(claimed_tick("/cron/claims/", "/cron/claims/a/x"), None);
        assert_eq!(claimed_tick("/cron/claims/", "/cron/last/a"), None);
    }

    #[test]
    fn tick_keys_sort_like_numbers() {
        let ticks = [0_i64, 999, 1_000, 1_700_000_000_000, 99_999_999_999_999];
        let keys: Vec<String> = ticks.iter().map(|t| tick_key(*t)).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        assert_eq!(tick_key(1_000), "0000000000001000");
    }
}

//! The log store of a worker in a cluster without MongoDB: [`MasterLogStore`] sends the
//! sink's batches of finished execution records to a master's `IngestService`, which writes
//! them to the master's own store. The sink keeps each batch in its spool until this
//! returns `Ok`, so a master that is down or unreachable delays records and loses none;
//! the master skips execution ids it already has, so sending a batch again is harmless.
//!
//! The master addresses come from a `watch` channel kept current by whoever watches the
//! masters' registrations. Each call tries them in turn, starting from the one that last
//! took records, with one lazily connected channel per address.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use schedd_core::ExecutionRecord;
use schedd_core::store::{LogPage, LogQuery, LogStats, LogStore, Retention, StoreError};
use schedd_proto::record_to_pb;
use schedd_proto::v1 as pb;
use schedd_proto::v1::ingest_service_client::IngestServiceClient;
use tokio::sync::watch;
use tonic::Code;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint, Identity};

/// Most records the master takes in one ingest call; larger batches are sent in parts.
pub const MAX_RECORDS_PER_REQUEST: usize = 10_000;

/// Estimated bytes of records per ingest call; larger batches are sent in parts. A quarter
/// of the master's 64 MiB request limit, so the estimate (string lengths plus a fixed
/// allowance per record) can be well off and the request still fits.
pub const MAX_BYTES_PER_REQUEST: usize = 16 * 1024 * 1024;

/// Allowance per record for its numbers, enums and field tags on the wire.
const RECORD_OVERHEAD_BYTES: usize = 128;

/// A [`LogStore`] that sends records to the masters' ingest API. Only [`LogStore::insert`]
/// works: a worker only ever stores records, and the queries (`list`, `latest`, `stats`,
/// `prune`) are the master's business, so they return [`StoreError::Unavailable`].
#[derive(Debug)]
pub struct MasterLogStore {
    addresses: watch::Receiver<Vec<String>>,
    request_timeout: Duration,
    access: MasterAccess,
    state: Mutex<State>,
}

/// How a worker reaches masters: `authorization: Bearer TOKEN` on every call when it has a
/// token (`apiToken`, a token of role `worker`), and TLS for masters at `https://`
/// addresses (trusting `masterCa`, or the system's roots; presenting `tlsCert`/`tlsKey` to
/// masters that ask for a client certificate). Its `Debug` shows no token.
#[derive(Clone, Default)]
pub struct MasterAccess {
    bearer: Option<tonic::metadata::MetadataValue<tonic::metadata::Ascii>>,
    tls: Option<ClientTlsConfig>,
}

impl std::fmt::Debug for MasterAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MasterAccess")
            .field("bearer", &self.bearer.as_ref().map(|_| "<redacted>"))
            .field("tls", &self.tls.is_some())
            .finish()
    }
}

/// A PEM file's bytes, or a message naming it.
fn read_pem(what: &str, path: &std::path::Path) -> Result<Vec<u8>, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("reading {what} {}: {e}", path.display()))?;
    if !String::from_utf8_lossy(&bytes).contains("-----BEGIN ") {
        return Err(format!("{what} {} is not a PEM file", path.display()));
    }
    Ok(bytes)
}

impl MasterAccess {
    /// Access with `token` (none: no header), and TLS settings for `https://` masters. An
    /// error names what is wrong (never the token).
    pub fn new(
        token: Option<&str>,
        master_ca: Option<&std::path::Path>,
        client_identity: Option<(&std::path::Path, &std::path::Path)>,
    ) -> Result<MasterAccess, String> {
        let bearer = match token.filter(|t| !t.is_empty()) {
            None => None,
            Some(token) => {
                if !token.bytes().all(|b| b.is_ascii_graphic()) {
                    return Err("apiToken must be printable ASCII without spaces".into());
                }
                Some(
                    format!("Bearer {token}")
                        .parse()
                        .map_err(|_| "apiToken cannot be sent as a header".to_owned())?,
                )
            }
        };
        let mut tls = ClientTlsConfig::new().with_native_roots();
        if let Some(ca) = master_ca {
            tls = tls.ca_certificate(Certificate::from_pem(read_pem("masterCa", ca)?));
        }
        if let Some((cert, key)) = client_identity {
            tls = tls.identity(Identity::from_pem(
                read_pem("tlsCert", cert)?,
                read_pem("tlsKey", key)?,
            ));
        }
        Ok(MasterAccess {
            bearer,
            tls: Some(tls),
        })
    }
}

impl tonic::service::Interceptor for MasterAccess {
    fn call(&mut self, mut req: tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> {
        if let Some(value) = &self.bearer {
            req.metadata_mut().insert("authorization", value.clone());
        }
        Ok(req)
    }
}

#[derive(Debug, Default)]
struct State {
    /// One channel per address; a channel reconnects by itself after a failure.
    channels: HashMap<String, Channel>,
    /// The address that last took records: tried first next time.
    last_good: Option<String>,
}

/// How one master answered one request.
enum Attempt {
    Stored(usize),
    /// The master refused the records themselves: every master would.
    Rejected(String),
    /// This master could not take them now; another may.
    Failed(String),
}

impl MasterLogStore {
    /// A store sending to the masters listed in `addresses` (`host:port` or a URI such as
    /// `http://host:port`); the list may change at any time, and may be empty while no
    /// master is known. `request_timeout` bounds connecting to a master and each call.
    pub fn new(
        addresses: watch::Receiver<Vec<String>>,
        request_timeout: Duration,
    ) -> MasterLogStore {
        MasterLogStore {
            addresses,
            request_timeout,
            access: MasterAccess::default(),
            state: Mutex::default(),
        }
    }

    /// Reaches masters with `access` (a token, TLS).
    pub fn with_access(mut self, access: MasterAccess) -> MasterLogStore {
        self.access = access;
        self
    }

    /// The known addresses, starting from the one that last took records. Channels of
    /// addresses no longer listed are dropped here.
    fn in_turn(&self) -> Vec<String> {
        let mut addresses: Vec<String> = Vec::new();
        for a in self.addresses.borrow().iter() {
            let a = a.trim();
            if !a.is_empty() && !addresses.iter().any(|b| b == a) {
                addresses.push(a.to_owned());
            }
        }
        let mut state = self.lock();
        state.channels.retain(|a, _| addresses.contains(a));
        if let Some(i) = state
            .last_good
            .as_ref()
            .and_then(|good| addresses.iter().position(|a| a == good))
        {
            addresses.rotate_left(i);
        }
        addresses
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is a cache: one left by a panicking holder is still usable.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The cached channel to `address`, created (without connecting) on first use.
    fn channel(&self, address: &str) -> Result<Channel, String> {
        if let Some(channel) = self.lock().channels.get(address) {
            return Ok(channel.clone());
        }
        let channel = master_endpoint(address, self.request_timeout, &self.access)?
            .timeout(self.request_timeout)
            .connect_lazy();
        self.lock()
            .channels
            .insert(address.to_owned(), channel.clone());
        Ok(channel)
    }

    async fn attempt(&self, address: &str, request: &pb::IngestRequest) -> Attempt {
        let channel = match self.channel(address) {
            Ok(c) => c,
            Err(e) => return Attempt::Failed(e),
        };
        let mut client = IngestServiceClient::with_interceptor(channel, self.access.clone());
        // Bounds the whole call, waiting for a connection included, whatever the
        // endpoint's own timeouts happen to cover.
        let call = client.ingest(request.clone());
        match tokio::time::timeout(self.request_timeout, call).await {
            Err(_) => Attempt::Failed(format!("no answer within {:?}", self.request_timeout)),
            Ok(Ok(response)) => {
                let inserted = response.into_inner().inserted;
                Attempt::Stored(usize::try_from(inserted).unwrap_or(usize::MAX))
            }
            // OUT_OF_RANGE: the request is over the master's size limit; sending it again
            // cannot help either.
            Ok(Err(status))
                if matches!(status.code(), Code::InvalidArgument | Code::OutOfRange) =>
            {
                Attempt::Rejected(status.message().to_owned())
            }
            Ok(Err(status)) => Attempt::Failed(describe(&status)),
        }
    }

    /// Sends one request's worth of records to the first master that takes them.
    async fn send(&self, records: &[ExecutionRecord]) -> Result<usize, StoreError> {
        let addresses = self.in_turn();
        if addresses.is_empty() {
            return Err(StoreError::Unavailable(
                "no master address is known yet to send execution records to".into(),
            ));
        }
        let request = pb::IngestRequest {
            records: records.iter().map(record_to_pb).collect(),
        };
        let mut failures = Vec::new();
        for address in addresses {
            match self.attempt(&address, &request).await {
                Attempt::Stored(inserted) => {
                    self.lock().last_good = Some(address);
                    return Ok(inserted);
                }
                Attempt::Rejected(message) => {
                    return Err(StoreError::Corrupt(format!(
                        "master {address} rejected {} execution records: {message}",
                        records.len()
                    )));
                }
                Attempt::Failed(why) => {
                    tracing::debug!(master = %address, error = %why, "a master did not take execution records");
                    failures.push(format!("{address}: {why}"));
                }
            }
        }
        Err(StoreError::Unavailable(format!(
            "no master took the execution records (tried {})",
            failures.join("; ")
        )))
    }
}

/// The endpoint of a master's API at `address` (`host:port` or a URI), connecting within
/// `connect_timeout`.
pub(crate) fn master_endpoint(
    address: &str,
    connect_timeout: Duration,
    access: &MasterAccess,
) -> Result<Endpoint, String> {
    let uri = if address.contains("://") {
        address.to_owned()
    } else {
        format!("http://{address}")
    };
    let mut endpoint = Endpoint::from_shared(uri.clone())
        .map_err(|e| format!("not a valid address: {e}"))?
        .connect_timeout(connect_timeout)
        .tcp_nodelay(true);
    if uri.starts_with("https://") {
        let tls = access
            .tls
            .clone()
            .unwrap_or_else(|| ClientTlsConfig::new().with_native_roots());
        endpoint = endpoint
            .tls_config(tls)
            .map_err(|e| format!("TLS settings for {address}: {e}"))?;
    }
    Ok(endpoint)
}

/// A status as one line: its code and message, and the root cause of a transport error
/// (the layers between repeat the message and add nothing).
pub(crate) fn describe(status: &tonic::Status) -> String {
    use std::error::Error;
    let mut text = format!("{:?}: {}", status.code(), status.message());
    let mut root = status.source();
    while let Some(next) = root.and_then(Error::source) {
        root = Some(next);
    }
    if let Some(root) = root.map(ToString::to_string)
        && !text.contains(&root)
    {
        text.push_str(": ");
        text.push_str(&root);
    }
    text
}

/// Rough wire size of a record: its strings plus a fixed allowance.
fn estimated_bytes(r: &ExecutionRecord) -> usize {
    r.text_bytes() + RECORD_OVERHEAD_BYTES
}

/// Splits `records` into consecutive parts of at most [`MAX_RECORDS_PER_REQUEST`] records
/// and, unless a single record is larger, [`MAX_BYTES_PER_REQUEST`] estimated bytes.
fn parts(records: &[ExecutionRecord]) -> Vec<&[ExecutionRecord]> {
    let mut parts = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, r) in records.iter().enumerate() {
        let size = estimated_bytes(r);
        let full = i - start == MAX_RECORDS_PER_REQUEST || bytes + size > MAX_BYTES_PER_REQUEST;
        if i > start && full {
            parts.push(&records[start..i]);
            (start, bytes) = (i, 0);
        }
        bytes += size;
    }
    if start < records.len() {
        parts.push(&records[start..]);
    }
    parts
}

fn not_on_a_worker(what: &str) -> StoreError {
    StoreError::Unavailable(format!(
        "{what} is not available on a worker: execution records are queried on the master"
    ))
}

#[async_trait]
impl LogStore for MasterLogStore {
    /// Sends the records to a master, in parts if the batch is large; returns how many were
    /// new. `Unavailable` when no master is known or none took them (the message names
    /// each master tried and why it failed): try again later. `Corrupt` when a master
    /// rejected the records themselves (invalid, or too large): sending them again to any
    /// master gets the same answer. When a later part fails, the earlier parts are stored
    /// already; sending the whole batch again is harmless.
    async fn insert(&self, records: &[ExecutionRecord]) -> Result<usize, StoreError> {
        let mut inserted = 0;
        for part in parts(records) {
            inserted += self.send(part).await?;
        }
        Ok(inserted)
    }

    async fn list(&self, _: &LogQuery) -> Result<LogPage, StoreError> {
        Err(not_on_a_worker("listing execution records"))
    }

    async fn latest(&self, _: &str) -> Result<Option<ExecutionRecord>, StoreError> {
        Err(not_on_a_worker("reading the latest execution record"))
    }

    async fn find(&self, _: &[String]) -> Result<Vec<ExecutionRecord>, StoreError> {
        Err(not_on_a_worker("finding execution records"))
    }

    async fn last_ticks(
        &self,
        _: &[String],
    ) -> Result<std::collections::HashMap<String, i64>, StoreError> {
        Err(not_on_a_worker(
            "reading last ticks (a cluster worker reads them from etcd)",
        ))
    }

    async fn stats(&self, _: Option<&str>, _: DateTime<Utc>) -> Result<LogStats, StoreError> {
        Err(not_on_a_worker("execution statistics"))
    }

    async fn prune(&self, _: &Retention, _: DateTime<Utc>) -> Result<u64, StoreError> {
        Err(not_on_a_worker("pruning execution records"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: usize, output_bytes: usize) -> ExecutionRecord {
        ExecutionRecord {
            execution_id: format!("e{id}"),
            job_name: "j".into(),
            output: "x".repeat(output_bytes),
            ..Default::default()
        }
    }

    fn sizes(parts: &[&[ExecutionRecord]]) -> Vec<usize> {
        parts.iter().map(|p| p.len()).collect()
    }

    #[test]
    fn a_small_batch_is_sent_in_one_part() {
        let records: Vec<_> = (0..100).map(|i| record(i, 10)).collect();
        assert_eq!(sizes(&parts(&records)), [100]);
        assert!(parts(&[]).is_empty());
    }

    #[test]
    fn a_batch_is_split_by_record_count() {
        let records: Vec<_> = (0..MAX_RECORDS_PER_REQUEST * 2 + 1)
            .map(|i| record(i, 0))
            .collect();
        assert_eq!(
            sizes(&parts(&records)),
            [MAX_RECORDS_PER_REQUEST, MAX_RECORDS_PER_REQUEST, 1]
        );
    }

    #[test]
    fn a_batch_is_split_by_size_and_an_oversized_record_goes_alone() {
        let third = MAX_BYTES_PER_REQUEST / 3;
        let records = vec![
            record(0, third),
            record(1, third),
            record(2, third),
            record(3, MAX_BYTES_PER_REQUEST * 2),
            record(4, 1),
        ];
        let split = parts(&records);
        assert_eq!(sizes(&split), [2, 1, 1, 1]);
        let ids: Vec<&str> = split
            .iter()
            .flat_map(|p| p.iter().map(|r| r.execution_id.as_str()))
            .collect();
        assert_eq!(ids, ["e0", "e1", "e2", "e3", "e4"], "order is kept");
    }

    #[tokio::test]
    async fn without_a_known_master_insert_is_unavailable_and_queries_are_refused() {
        let (_tx, rx) = watch::channel(Vec::new());
        let store = MasterLogStore::new(rx, Duration::from_secs(1));
        let err = store.insert(&[record(0, 1)]).await.expect_err("no master");
        assert!(
            matches!(&err, StoreError::Unavailable(m) if m.contains("no master address")),
            "{err}"
        );
        let err = store
            .list(&LogQuery::default())
            .await
            .expect_err("not on a worker");
        assert!(
            err.to_string().contains("not available on a worker"),
            "{err}"
        );
    }

    #[test]
    fn masters_are_tried_from_the_last_good_one_and_gone_ones_are_forgotten() {
        let (tx, rx) = watch::channel(vec![
            " a:1 ".to_owned(),
            "b:2".into(),
            "a:1".into(),
            String::new(),
            "c:3".into(),
        ]);
        let store = MasterLogStore::new(rx, Duration::from_secs(1));
        assert_eq!(store.in_turn(), ["a:1", "b:2", "c:3"]);
        store.lock().last_good = Some("b:2".into());
        assert_eq!(store.in_turn(), ["b:2", "c:3", "a:1"]);
        tx.send_replace(vec!["c:3".into(), "a:1".into()]);
        assert_eq!(store.in_turn(), ["c:3", "a:1"], "b is gone");
    }
}

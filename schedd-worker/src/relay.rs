//! Live output for the masters that ask for it. A master whose clients follow a job
//! (`log tail -f`) lists itself under `output/<job>/` in etcd; this worker then streams
//! each run of that job to it over one `RelayService.Relay` call per master: the run's
//! start, its output as it is produced, and its record once stored, in that order. While
//! no master asks, nothing is read or sent.
//!
//! Best effort, like live output in one process, and bounded: what waits for one master is
//! at most [`QUEUE`] items and [`QUEUE_BYTES`] bytes (each item is small: a chunk of output
//! as the executor reads it, or a record whose output the event hub has cut to 256 KiB), and
//! a master that takes nothing within [`CONNECT_TIMEOUT`] has its call cut off and made
//! again. What does not fit is dropped, never waited for, and said so three ways: the
//! `schedd_relay_dropped_total` counter, a warning naming the master (once per episode,
//! with the count when it catches up), and in the run's live output itself: the next item
//! of a run that lost output is preceded by a line saying how many bytes were dropped, so a
//! `log tail -f` shows the gap where it is. Records reach the log store through the sink as
//! always. After a connection to a master fails, the next one starts afresh: runs in
//! progress are announced to the master again on their next output.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::gauge::Gauge;
use schedd_core::{Event, EventHub, ExecutionRecord, OutputChunk, OutputStream};
use schedd_proto::v1 as pb;
use schedd_proto::v1::relay_service_client::RelayServiceClient;
use schedd_proto::{chunk_to_pb, record_to_pb};
use tokio::sync::{broadcast, mpsc, watch};
use tokio_stream::StreamExt;
use tokio_util::sync::CancellationToken;

use crate::remote::{MasterAccess, describe, master_endpoint};

/// Items waiting for one master; beyond it, items are dropped.
pub const QUEUE: usize = 1024;
/// Bytes waiting for one master (an estimate of their size in memory), counted until the
/// transport takes them; beyond it, items are dropped. As much as a master lets one of its
/// own stream clients have waiting: ample for a master that keeps up (a burst of hundreds
/// of chunks), small beside the worker's memory, and at least 16 records of the largest
/// size the hub lets through.
pub const QUEUE_BYTES: usize = 8 * 1024 * 1024;
/// What an item costs beyond its strings and data.
const ITEM_OVERHEAD: usize = 256;
/// How long connecting to a master may take, and how long a master may take nothing before
/// its call is cut off.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Wait before connecting again to a master that failed.
const RECONNECT: Duration = Duration::from_secs(1);
/// Items between the queue and the transport of one call.
const CALL_QUEUE: usize = 64;

/// Masters' addresses by the job whose runs they want.
pub type Wanted = BTreeMap<String, BTreeSet<String>>;

/// What the relay shows: `schedd_relay_queued_bytes` and `schedd_relay_dropped_total` (see
/// [`crate::metrics::WorkerMetrics`]); unregistered by default.
#[derive(Debug, Clone, Default)]
pub struct RelayMetrics {
    /// Bytes waiting for every master together.
    pub queued_bytes: Gauge,
    /// Items not relayed: a master's queue was full, or its call failed with them waiting.
    pub dropped: Counter,
}

/// The line that stands in a run's live output for `bytes` of it that were not relayed.
pub fn dropped_output_marker(bytes: u64) -> String {
    format!(
        "\n... [{bytes} bytes of live output dropped: the master fell behind; the stored record has them] ...\n"
    )
}

/// Relays the runs of the jobs in `wanted` from `events` and `output` (this worker's) to
/// the masters wanting them, until `shutdown`.
pub async fn run(
    mut wanted: watch::Receiver<Wanted>,
    events: EventHub,
    output: broadcast::Sender<OutputChunk>,
    access: MasterAccess,
    metrics: RelayMetrics,
    shutdown: CancellationToken,
) {
    let mut relay = Relay {
        wanted: Wanted::new(),
        masters: HashMap::new(),
        hub: events.clone(),
        access,
        metrics,
    };
    // Subscribed only while some job is wanted: otherwise output is not even copied.
    let mut events_rx: Option<broadcast::Receiver<Event>> = None;
    let mut output_rx: Option<broadcast::Receiver<OutputChunk>> = None;
    // Events taken early (see below), handled before anything newer.
    let mut deferred: VecDeque<Event> = VecDeque::new();
    loop {
        if relay.wanted.is_empty() {
            events_rx = None;
            output_rx = None;
            deferred.clear();
        } else if events_rx.is_none() {
            events_rx = Some(events.subscribe());
            output_rx = Some(output.subscribe());
        }
        if let Some(event) = deferred.pop_front() {
            relay.event(event, output_rx.as_mut());
            continue;
        }
        tokio::select! {
            () = shutdown.cancelled() => {
                // Pass on what already happened (the ends of runs killed by a stopping
                // worker); dropping `relay` then closes the connections once they have it.
                while let Some(event) = deferred.pop_front() {
                    relay.event(event, output_rx.as_mut());
                }
                if let Some(events) = events_rx.as_mut() {
                    loop {
                        match events.try_recv() {
                            Ok(e) => relay.event(e, output_rx.as_mut()),
                            Err(broadcast::error::TryRecvError::Lagged(_)) => {}
                            Err(_) => break,
                        }
                    }
                }
                if let Some(output) = output_rx.as_mut() {
                    while let Ok(c) = output.try_recv() {
                        relay.output(c);
                    }
                }
                return;
            }
            changed = wanted.changed() => {
                if changed.is_err() {
                    return;
                }
                let w = wanted.borrow_and_update().clone();
                relay.want(w);
            }
            chunk = recv(output_rx.as_mut()) => match chunk {
                Ok(c) => {
                    // A run's start is sent before its output, but on the other channel.
                    // When the hub no longer has it (the run is over), take the starts
                    // waiting there first, keeping the other events for later.
                    if relay.unannounced(&c)
                        && !events.is_running(&c.execution_id)
                        && let Some(events) = events_rx.as_mut()
                    {
                        loop {
                            match events.try_recv() {
                                Ok(Event::ExecutionStarted(r)) => relay.started(&r),
                                Ok(other) => deferred.push_back(other),
                                Err(broadcast::error::TryRecvError::Lagged(_)) => {}
                                Err(_) => break,
                            }
                        }
                    }
                    relay.output(c);
                }
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    // The worker's output channel moved on without this task: chunks of
                    // some runs, which, is not known.
                    relay.metrics.dropped.inc_by(n);
                    tracing::debug!(skipped = n, "live output relay fell behind; output dropped");
                }
                Err(broadcast::error::RecvError::Closed) => return,
            },
            event = recv(events_rx.as_mut()) => match event {
                Ok(e) => relay.event(e, output_rx.as_mut()),
                Err(broadcast::error::RecvError::Lagged(_)) => relay.forget_ended(),
                Err(broadcast::error::RecvError::Closed) => return,
            },
        }
    }
}

/// The next message of `rx`, or never without one.
async fn recv<T: Clone>(
    rx: Option<&mut broadcast::Receiver<T>>,
) -> Result<T, broadcast::error::RecvError> {
    match rx {
        Some(rx) => rx.recv().await,
        None => std::future::pending().await,
    }
}

struct Relay {
    wanted: Wanted,
    masters: HashMap<String, Master>,
    hub: EventHub,
    /// How masters are reached: a token, TLS.
    access: MasterAccess,
    metrics: RelayMetrics,
}

/// The queue to one master's connection, and the runs announced to it.
struct Master {
    address: String,
    tx: mpsc::Sender<Queued>,
    /// What the queue and the connection hold, shared with the items.
    shared: Arc<MasterShared>,
    /// Counts the connections made; what was announced on an earlier one is forgotten.
    connection: Arc<AtomicU64>,
    announced_on: u64,
    announced: HashSet<String>,
    /// Items dropped since the master last took one, for the warning when it catches up.
    dropped: u64,
}

/// What one master's items hold, and lost.
#[derive(Debug)]
struct MasterShared {
    /// Bytes of the items queued or in the connection's hands.
    bytes: AtomicU64,
    /// Bytes of output not relayed, by execution id, stdout then stderr: told to the master
    /// before the run's next item.
    lost: Mutex<HashMap<String, [u64; 2]>>,
    metrics: RelayMetrics,
}

impl MasterShared {
    fn lost(&self) -> std::sync::MutexGuard<'_, HashMap<String, [u64; 2]>> {
        self.lost
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Counts an item as not relayed; its output, if any, is told later.
    fn note_lost(&self, output: Option<&(String, OutputStream, u64)>) {
        self.metrics.dropped.inc();
        if let Some((id, stream, bytes)) = output {
            self.lost().entry(id.clone()).or_default()[stream_index(*stream)] += bytes;
        }
    }
}

fn stream_index(stream: OutputStream) -> usize {
    match stream {
        OutputStream::Stdout => 0,
        OutputStream::Stderr => 1,
    }
}

/// An item on its way to a master. Its bytes count until the transport takes it
/// ([`Queued::deliver`]); dropped before that (a call that failed), it counts as lost.
struct Queued {
    request: pb::RelayRequest,
    bytes: u64,
    /// Run, stream and bytes of an output item.
    output: Option<(String, OutputStream, u64)>,
    shared: Arc<MasterShared>,
    delivered: bool,
}

impl Queued {
    fn deliver(mut self) -> pb::RelayRequest {
        self.delivered = true;
        std::mem::take(&mut self.request)
    }
}

impl Drop for Queued {
    fn drop(&mut self) {
        self.shared.bytes.fetch_sub(self.bytes, Ordering::AcqRel);
        self.shared
            .metrics
            .queued_bytes
            .dec_by(i64::try_from(self.bytes).unwrap_or(i64::MAX));
        if !self.delivered {
            self.shared.note_lost(self.output.as_ref());
        }
    }
}

/// An item for a master, with its estimated size and, for output, whose it is.
#[derive(Clone)]
struct Outgoing {
    item: pb::relay_request::Item,
    bytes: u64,
    output: Option<(String, OutputStream, u64)>,
}

impl Outgoing {
    fn record(item: pb::relay_request::Item, r: &ExecutionRecord) -> Outgoing {
        Outgoing {
            item,
            bytes: (ITEM_OVERHEAD + r.text_bytes()) as u64,
            output: None,
        }
    }

    fn output(c: OutputChunk) -> Outgoing {
        let bytes = ITEM_OVERHEAD + c.execution_id.len() + c.job_name.len() + c.data.len();
        let output = Some((c.execution_id.clone(), c.stream, c.data.len() as u64));
        Outgoing {
            item: pb::relay_request::Item::Output(chunk_to_pb(c)),
            bytes: bytes as u64,
            output,
        }
    }
}

impl Master {
    /// The runs announced on the current connection.
    fn announced(&mut self) -> &mut HashSet<String> {
        let connection = self.connection.load(Ordering::Acquire);
        if connection != self.announced_on {
            self.announced.clear();
            self.announced_on = connection;
        }
        &mut self.announced
    }

    /// Marks run `id` as announced; false if it already was on this connection.
    fn announce(&mut self, id: &str) -> bool {
        self.announced().insert(id.to_owned())
    }

    /// Queues an item of run `run` if it fits, after a line telling of the run's output
    /// lost before it; drops it otherwise (and the item after a line that did not fit, so
    /// that no output goes out past a gap not told). Whether it was queued.
    fn send_for(&mut self, run: &str, job: &str, out: Outgoing) -> bool {
        let lost = self.shared.lost().remove(run).unwrap_or_default();
        let untold: Vec<(OutputStream, u64)> = [OutputStream::Stdout, OutputStream::Stderr]
            .into_iter()
            .zip(lost)
            .filter(|(_, bytes)| *bytes > 0)
            .collect();
        for (i, &(stream, bytes)) in untold.iter().enumerate() {
            let mut told = Outgoing::output(OutputChunk {
                execution_id: run.to_owned(),
                job_name: job.to_owned(),
                stream,
                data: dropped_output_marker(bytes).into_bytes(),
            });
            // Should the line itself be lost on the way, what it tells is lost again.
            told.output = Some((run.to_owned(), stream, bytes));
            if !self.send(told) {
                // The line counted as lost with its own bytes; add those it did not tell.
                let mut lost = self.shared.lost();
                let entry = lost.entry(run.to_owned()).or_default();
                for &(stream, bytes) in &untold[i + 1..] {
                    entry[stream_index(stream)] += bytes;
                }
                drop(lost);
                self.drop_item(out.output.as_ref());
                return false;
            }
        }
        self.send(out)
    }

    /// Queues `out` if it fits; whether it was queued.
    fn send(&mut self, out: Outgoing) -> bool {
        if self.shared.bytes.load(Ordering::Acquire) + out.bytes > QUEUE_BYTES as u64 {
            self.drop_item(out.output.as_ref());
            return false;
        }
        self.shared.bytes.fetch_add(out.bytes, Ordering::AcqRel);
        self.shared
            .metrics
            .queued_bytes
            .inc_by(i64::try_from(out.bytes).unwrap_or(i64::MAX));
        let queued = Queued {
            request: pb::RelayRequest {
                item: Some(out.item),
            },
            bytes: out.bytes,
            output: out.output,
            shared: Arc::clone(&self.shared),
            delivered: false,
        };
        if self.tx.try_send(queued).is_err() {
            // The item came back in the error and was dropped with it: counted as lost.
            self.falling_behind();
            return false;
        }
        if self.dropped > 0 {
            tracing::info!(
                master = %self.address,
                dropped = self.dropped,
                "a master takes live output again; items were dropped meanwhile"
            );
            self.dropped = 0;
        }
        true
    }

    /// Counts an item not queued as lost.
    fn drop_item(&mut self, output: Option<&(String, OutputStream, u64)>) {
        self.shared.note_lost(output);
        self.falling_behind();
    }

    fn falling_behind(&mut self) {
        if self.dropped == 0 {
            tracing::warn!(
                master = %self.address,
                max_items = QUEUE,
                max_bytes = QUEUE_BYTES,
                "a master does not keep up with live output: items are dropped until it does (schedd_relay_dropped_total); its clients are shown where output is missing"
            );
        }
        self.dropped += 1;
    }
}

impl Relay {
    /// Connects to masters newly wanting something and lets go of those wanting nothing.
    fn want(&mut self, wanted: Wanted) {
        let addresses: BTreeSet<&String> = wanted.values().flatten().collect();
        self.masters.retain(|a, _| addresses.contains(a));
        for address in addresses {
            if !self.masters.contains_key(address) {
                let (tx, rx) = mpsc::channel(QUEUE);
                let connections = Arc::new(AtomicU64::new(0));
                tokio::spawn(connection(
                    address.clone(),
                    rx,
                    Arc::clone(&connections),
                    self.access.clone(),
                ));
                self.masters.insert(
                    address.clone(),
                    Master {
                        address: address.clone(),
                        tx,
                        shared: Arc::new(MasterShared {
                            bytes: AtomicU64::new(0),
                            lost: Mutex::new(HashMap::new()),
                            metrics: self.metrics.clone(),
                        }),
                        connection: connections,
                        announced_on: 0,
                        announced: HashSet::new(),
                        dropped: 0,
                    },
                );
            }
        }
        self.wanted = wanted;
    }

    /// The masters wanting `job`'s runs.
    fn for_job<'a>(&'a mut self, job: &str) -> impl Iterator<Item = &'a mut Master> {
        let addresses = self.wanted.get(job);
        self.masters
            .iter_mut()
            .filter(move |(a, _)| addresses.is_some_and(|set| set.contains(*a)))
            .map(|(_, m)| m)
    }

    fn event(&mut self, event: Event, output: Option<&mut broadcast::Receiver<OutputChunk>>) {
        match event {
            Event::ExecutionStarted(r) => self.started(&r),
            Event::ExecutionFinished(r) => {
                // The run's output went out before its record: relay what of it is still
                // waiting first.
                if let Some(output) = output {
                    loop {
                        match output.try_recv() {
                            Ok(c) => self.output(c),
                            Err(broadcast::error::TryRecvError::Lagged(n)) => {
                                self.metrics.dropped.inc_by(n);
                            }
                            Err(_) => break,
                        }
                    }
                }
                self.finished(&r);
            }
            _ => {}
        }
    }

    /// Whether a master wanting the chunk's job has not been told its run started.
    fn unannounced(&mut self, c: &OutputChunk) -> bool {
        self.for_job(&c.job_name)
            .any(|m| !m.announced().contains(&c.execution_id))
    }

    fn started(&mut self, r: &ExecutionRecord) {
        for m in self.for_job(&r.job_name) {
            if m.announce(&r.execution_id) {
                let start = Outgoing::record(pb::relay_request::Item::Started(record_to_pb(r)), r);
                if !m.send(start) {
                    // Announced again with its next output, if that fits.
                    m.announced().remove(&r.execution_id);
                }
            }
        }
    }

    fn output(&mut self, c: OutputChunk) {
        if !self.wanted.contains_key(&c.job_name) {
            return;
        }
        // A run that started before the master asked is announced on its first output.
        let record = self.hub.running_record(&c.execution_id);
        let (job, id) = (c.job_name.clone(), c.execution_id.clone());
        let out = Outgoing::output(c);
        for m in self.for_job(&job) {
            if let Some(r) = &record
                && m.announce(&id)
            {
                let start = Outgoing::record(pb::relay_request::Item::Started(record_to_pb(r)), r);
                if !m.send(start) {
                    m.announced().remove(&id);
                }
            }
            m.send_for(&id, &job, out.clone());
        }
    }

    fn finished(&mut self, r: &ExecutionRecord) {
        for m in self.masters.values_mut() {
            m.announced.remove(&r.execution_id);
        }
        for m in self.for_job(&r.job_name) {
            let end = Outgoing::record(pb::relay_request::Item::Finished(record_to_pb(r)), r);
            m.send_for(&r.execution_id, &r.job_name, end);
        }
        // Whatever was lost and not yet told stays untold: the run is over.
        for m in self.masters.values() {
            m.shared.lost().remove(&r.execution_id);
        }
    }

    /// After missing events: stop remembering runs that are over.
    fn forget_ended(&mut self) {
        let hub = &self.hub;
        for m in self.masters.values_mut() {
            m.announced.retain(|id| hub.is_running(id));
            m.shared.lost().retain(|id, _| hub.is_running(id));
        }
    }
}

/// Sends what arrives on `rx` to the master at `address`, connecting when there is
/// something to send and again after a failure (counted in `connections`), until `rx`
/// closes; then what is still queued is sent, within [`CONNECT_TIMEOUT`].
async fn connection(
    address: String,
    mut rx: mpsc::Receiver<Queued>,
    connections: Arc<AtomicU64>,
    access: MasterAccess,
) {
    let endpoint = match master_endpoint(&address, CONNECT_TIMEOUT, &access) {
        Ok(e) => e,
        Err(e) => {
            tracing::warn!(master = %address, error = %e, "cannot relay live output to this master");
            return;
        }
    };
    let mut warned = false;
    loop {
        let Some(first) = rx.recv().await else {
            return;
        };
        let (tx, stream) = mpsc::channel::<Queued>(CALL_QUEUE);
        let _ = tx.try_send(first);
        let mut client =
            RelayServiceClient::with_interceptor(endpoint.connect_lazy(), access.clone());
        let call =
            client.relay(tokio_stream::wrappers::ReceiverStream::new(stream).map(Queued::deliver));
        tokio::pin!(call);
        let ended = loop {
            tokio::select! {
                ended = &mut call => break ended,
                item = rx.recv() => match item {
                    // A master that does not read within the timeout has failed: its call
                    // is cut off, and what it held counts as dropped.
                    Some(i) => match tokio::time::timeout(CONNECT_TIMEOUT, tx.send(i)).await {
                        Ok(Ok(())) => {}
                        Ok(Err(_)) => break (&mut call).await,
                        Err(_) => break Err(tonic::Status::deadline_exceeded("the master does not take live output")),
                    },
                    // Nothing more for this master: end the call once it has the rest.
                    None => {
                        drop(tx);
                        let _ = tokio::time::timeout(CONNECT_TIMEOUT, call).await;
                        return;
                    }
                },
            }
        };
        // The next connection starts afresh: runs are announced again.
        connections.fetch_add(1, Ordering::AcqRel);
        match ended {
            Ok(_) => warned = false,
            Err(status) if !warned => {
                warned = true;
                tracing::warn!(master = %address, error = %describe(&status), "relaying live output failed; reconnecting");
            }
            Err(status) => {
                tracing::debug!(master = %address, error = %describe(&status), "relaying live output failed");
            }
        }
        tokio::time::sleep(RECONNECT).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use schedd_core::OutputStream;

    /// Waits until `ok` holds, for a minute at most.
    async fn until(what: &str, mut ok: impl FnMut() -> bool) {
        testkit::eventually_async(what, Duration::from_secs(60), || {
            let done = ok();
            async move { done.then_some(()) }
        })
        .await;
    }
    use pb::relay_request::Item;
    use tonic::{Request, Response, Status, Streaming};

    /// A master's relay service that passes on what it receives.
    struct Collect(mpsc::UnboundedSender<Item>);

    #[tonic::async_trait]
    impl pb::relay_service_server::RelayService for Collect {
        async fn relay(
            &self,
            req: Request<Streaming<pb::RelayRequest>>,
        ) -> Result<Response<pb::RelayResponse>, Status> {
            let mut stream = req.into_inner();
            while let Some(m) = stream.message().await? {
                if let Some(item) = m.item {
                    let _ = self.0.send(item);
                }
            }
            Ok(Response::new(pb::RelayResponse {}))
        }
    }

    fn rec(id: &str, job: &str, status: schedd_core::ExecutionStatus) -> ExecutionRecord {
        ExecutionRecord {
            execution_id: id.into(),
            job_name: job.into(),
            status,
            ..Default::default()
        }
    }

    fn chunk(id: &str, job: &str, data: &str) -> OutputChunk {
        OutputChunk {
            execution_id: id.into(),
            job_name: job.into(),
            stream: OutputStream::Stdout,
            data: data.as_bytes().to_vec(),
        }
    }

    /// What a relayed item is, as (kind, execution id, data).
    fn describe(item: Item) -> (&'static str, String, String) {
        match item {
            Item::Started(r) => ("started", r.execution_id, String::new()),
            Item::Output(c) => (
                "output",
                c.execution_id,
                String::from_utf8_lossy(&c.data).into_owned(),
            ),
            Item::Finished(r) => ("finished", r.execution_id, String::new()),
        }
    }

    #[tokio::test]
    async fn a_wanted_jobs_runs_are_relayed_in_order_and_nothing_is_read_otherwise() {
        use schedd_core::ExecutionStatus::{Running, Success};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address").to_string();
        let (tx, mut got) = mpsc::unbounded_channel();
        tokio::spawn(
            tonic::transport::Server::builder()
                .add_service(pb::relay_service_server::RelayServiceServer::new(Collect(
                    tx,
                )))
                .serve_with_incoming(tonic::transport::server::TcpIncoming::from(listener)),
        );
        let hub = EventHub::new(64);
        let (output, _) = broadcast::channel(64);
        let (wanted, wanted_rx) = watch::channel(Wanted::new());
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(run(
            wanted_rx,
            hub.clone(),
            output.clone(),
            MasterAccess::default(),
            RelayMetrics::default(),
            shutdown.clone(),
        ));

        // A run that started before anyone asked.
        hub.send(Event::ExecutionStarted(rec("early", "a", Running)));
        wanted.send_replace(Wanted::from([(
            "a".to_owned(),
            BTreeSet::from([address.clone()]),
        )]));
        until("the relay to listen", || output.receiver_count() == 1).await;
        output.send(chunk("early", "a", "e1")).expect("send");
        hub.send(Event::ExecutionStarted(rec("r1", "a", Running)));
        output.send(chunk("r1", "a", "x1")).expect("send");
        output
            .send(chunk("other", "b", "not wanted"))
            .expect("send");
        output.send(chunk("r1", "a", "x2")).expect("send");
        hub.send(Event::ExecutionFinished(rec("r1", "a", Success)));

        let mut items = Vec::new();
        while items.len() < 6 {
            let item = tokio::time::timeout(Duration::from_secs(60), got.recv())
                .await
                .expect("relayed within the deadline")
                .expect("the server runs");
            items.push(describe(item));
        }
        // Each run's items in order; runs may interleave (their events and output come on
        // two channels), and nothing of job `b`.
        let of = |id: &str| -> Vec<(&'static str, String)> {
            items
                .iter()
                .filter(|(_, i, _)| i == id)
                .map(|(k, _, d)| (*k, d.clone()))
                .collect()
        };
        let s = |k: &'static str, d: &str| (k, d.to_owned());
        assert_eq!(
            of("early"),
            [s("started", ""), s("output", "e1")],
            "{items:?}"
        );
        assert_eq!(
            of("r1"),
            [
                s("started", ""),
                s("output", "x1"),
                s("output", "x2"),
                s("finished", "")
            ],
            "{items:?}"
        );

        // Nobody wants anything: the relay stops listening.
        wanted.send_replace(Wanted::new());
        until("the relay to stop listening", || {
            output.receiver_count() == 0
        })
        .await;
        shutdown.cancel();
        task.await.expect("the relay stops");
    }

    /// A master's relay service that reads nothing until `gate` is cancelled, then passes
    /// on what it receives.
    struct Gated {
        items: mpsc::UnboundedSender<Item>,
        gate: CancellationToken,
    }

    #[tonic::async_trait]
    impl pb::relay_service_server::RelayService for Gated {
        async fn relay(
            &self,
            req: Request<Streaming<pb::RelayRequest>>,
        ) -> Result<Response<pb::RelayResponse>, Status> {
            self.gate.cancelled().await;
            let mut stream = req.into_inner();
            while let Some(m) = stream.message().await? {
                if let Some(item) = m.item {
                    let _ = self.items.send(item);
                }
            }
            Ok(Response::new(pb::RelayResponse {}))
        }
    }

    /// A master that stops reading costs this worker a bounded queue, not everything its
    /// runs print: past the bound, output is dropped and counted, and once the master reads
    /// again the run's live output says where and how much is missing.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_master_that_stops_reading_costs_a_bounded_queue_and_is_told_what_it_missed() {
        use schedd_core::ExecutionStatus::{Running, Success};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address").to_string();
        let (tx, mut got) = mpsc::unbounded_channel();
        let gate = CancellationToken::new();
        tokio::spawn(
            tonic::transport::Server::builder()
                .add_service(pb::relay_service_server::RelayServiceServer::new(Gated {
                    items: tx,
                    gate: gate.clone(),
                }))
                .serve_with_incoming(tonic::transport::server::TcpIncoming::from(listener)),
        );
        let hub = EventHub::new(64);
        // Room for everything the test prints before the relay reads it: what is measured
        // is the relay's queue, not this channel.
        let (output, _) = broadcast::channel(4096);
        let (wanted, wanted_rx) = watch::channel(Wanted::new());
        let metrics = RelayMetrics::default();
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(run(
            wanted_rx,
            hub.clone(),
            output.clone(),
            MasterAccess::default(),
            metrics.clone(),
            shutdown.clone(),
        ));
        wanted.send_replace(Wanted::from([(
            "a".to_owned(),
            BTreeSet::from([address.clone()]),
        )]));
        until("the relay to listen", || output.receiver_count() == 1).await;
        hub.send(Event::ExecutionStarted(rec("r1", "a", Running)));

        // 16 KiB chunks, as the executor reads them, 64 at a time, until some are dropped.
        let data = "x".repeat(16 * 1024);
        let mut printed = 0u64;
        testkit::eventually_async("output dropped", Duration::from_secs(60), || {
            for _ in 0..64 {
                output.send(chunk("r1", "a", &data)).expect("send");
                printed += data.len() as u64;
            }
            let queued = metrics.queued_bytes.get();
            assert!(
                (0..=QUEUE_BYTES as i64).contains(&queued),
                "{queued} bytes queued, beyond the bound of {QUEUE_BYTES}"
            );
            let dropped = metrics.dropped.get();
            async move { (dropped > 0).then_some(()) }
        })
        .await;
        assert!(
            printed > QUEUE_BYTES as u64,
            "dropping began only past the bound: {printed} bytes printed"
        );

        // The master reads again: what waited goes out, and the run's next output comes
        // after a line telling of the gap.
        gate.cancel();
        until("the queue emptied", || metrics.queued_bytes.get() == 0).await;
        output.send(chunk("r1", "a", "after")).expect("send");
        hub.send(Event::ExecutionFinished(rec("r1", "a", Success)));
        let mut told = None;
        loop {
            let item = tokio::time::timeout(Duration::from_secs(60), got.recv())
                .await
                .expect("relayed within the deadline")
                .expect("the server runs");
            match describe(item) {
                ("output", _, d) if d.contains("bytes of live output dropped") => {
                    told = Some(d);
                }
                ("output", _, d) if d == "after" => {
                    let told = told
                        .take()
                        .expect("the gap told before the output after it");
                    let bytes: u64 = told
                        .trim()
                        .trim_start_matches("... [")
                        .split(' ')
                        .next()
                        .and_then(|n| n.parse().ok())
                        .expect("a count of bytes");
                    assert!(bytes > 0 && bytes <= printed, "{told}");
                }
                ("finished", id, _) if id == "r1" => break,
                _ => {}
            }
        }
        shutdown.cancel();
        task.await.expect("the relay stops");
    }
}

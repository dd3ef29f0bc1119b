//! Live output for the masters that ask for it. A master whose clients follow a job
//! (`log tail -f`) lists itself under `output/<job>/` in etcd; this worker then streams
//! each run of that job to it over one `RelayService.Relay` call per master: the run's
//! start, its output as it is produced, and its record once stored, in that order. While
//! no master asks, nothing is read or sent.
//!
//! Best effort, like live output in one process: what a slow or unreachable master cannot
//! take is dropped (a bounded queue per master); records reach the log store through the
//! sink as always. After a connection to a master fails, the next one starts afresh: runs
//! in progress are announced to the master again on their next output.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use schedd_core::{Event, EventHub, ExecutionRecord, OutputChunk};
use schedd_proto::v1 as pb;
use schedd_proto::v1::relay_service_client::RelayServiceClient;
use schedd_proto::{chunk_to_pb, record_to_pb};
use tokio::sync::{broadcast, mpsc, watch};
use tokio_util::sync::CancellationToken;

use crate::remote::{MasterAccess, describe, master_endpoint};

/// Items waiting for one master; beyond it, items are dropped.
const QUEUE: usize = 1024;
/// How long connecting to a master may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Wait before connecting again to a master that failed.
const RECONNECT: Duration = Duration::from_secs(1);

/// Masters' addresses by the job whose runs they want.
pub type Wanted = BTreeMap<String, BTreeSet<String>>;

/// Relays the runs of the jobs in `wanted` from `events` and `output` (this worker's) to
/// the masters wanting them, until `shutdown`.
pub async fn run(
    mut wanted: watch::Receiver<Wanted>,
    events: EventHub,
    output: broadcast::Sender<OutputChunk>,
    access: MasterAccess,
    shutdown: CancellationToken,
) {
    let mut relay = Relay {
        wanted: Wanted::new(),
        masters: HashMap::new(),
        hub: events.clone(),
        access,
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
}

/// The queue to one master's connection, and the runs announced to it.
struct Master {
    tx: mpsc::Sender<pb::RelayRequest>,
    /// Counts the connections made; what was announced on an earlier one is forgotten.
    connection: Arc<AtomicU64>,
    announced_on: u64,
    announced: HashSet<String>,
    dropped: u64,
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

    fn send(&mut self, item: pb::relay_request::Item) {
        if self
            .tx
            .try_send(pb::RelayRequest { item: Some(item) })
            .is_err()
        {
            self.dropped += 1;
            if self.dropped.is_power_of_two() {
                tracing::debug!(
                    dropped = self.dropped,
                    "a master does not keep up with live output; items dropped"
                );
            }
        }
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
                        tx,
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
                            Err(broadcast::error::TryRecvError::Lagged(_)) => {}
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
                m.send(pb::relay_request::Item::Started(record_to_pb(r)));
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
        let chunk = chunk_to_pb(c);
        for m in self.for_job(&job) {
            if let Some(r) = &record
                && m.announce(&id)
            {
                m.send(pb::relay_request::Item::Started(record_to_pb(r)));
            }
            m.send(pb::relay_request::Item::Output(chunk.clone()));
        }
    }

    fn finished(&mut self, r: &ExecutionRecord) {
        for m in self.masters.values_mut() {
            m.announced.remove(&r.execution_id);
        }
        for m in self.for_job(&r.job_name) {
            m.send(pb::relay_request::Item::Finished(record_to_pb(r)));
        }
    }

    /// After missing events: stop remembering runs that are over.
    fn forget_ended(&mut self) {
        let hub = &self.hub;
        for m in self.masters.values_mut() {
            m.announced.retain(|id| hub.is_running(id));
        }
    }
}

/// Sends what arrives on `rx` to the master at `address`, connecting when there is
/// something to send and again after a failure (counted in `connections`), until `rx`
/// closes; then what is still queued is sent, within [`CONNECT_TIMEOUT`].
async fn connection(
    address: String,
    mut rx: mpsc::Receiver<pb::RelayRequest>,
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
        let (tx, stream) = mpsc::channel(64);
        let _ = tx.try_send(first);
        let mut client =
            RelayServiceClient::with_interceptor(endpoint.connect_lazy(), access.clone());
        let call = client.relay(tokio_stream::wrappers::ReceiverStream::new(stream));
        tokio::pin!(call);
        let ended = loop {
            tokio::select! {
                ended = &mut call => break ended,
                item = rx.recv() => match item {
                    // A master that does not read within the timeout has failed.
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
}

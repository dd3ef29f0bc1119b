//! The ingest API end to end: a real master (embedded mode, SQLite in a temp directory) on
//! 127.0.0.1:0, fed by the worker's `MasterLogStore` as a cluster worker without MongoDB
//! feeds it, and read back through the real gRPC clients.

use std::time::Duration;

use crate::harness::Master;

use schedd_core::store::{LogStore, StoreError};
use schedd_core::{ExecutionRecord, ExecutionStatus, Trigger};
use schedd_master::embedded::DevConfig;
use schedd_master::service::StreamLimits;
use schedd_proto::v1 as pb;
use schedd_proto::v1::event_service_client::EventServiceClient;
use schedd_proto::v1::ingest_service_client::IngestServiceClient;
use schedd_proto::v1::log_service_client::LogServiceClient;
use schedd_proto::{record_from_pb, record_to_pb};
use schedd_worker::remote::MasterLogStore;
use tokio::sync::watch;
use tonic::Code;
use tonic::transport::Channel;

const DEADLINE: Duration = Duration::from_secs(30);

/// Short, so a master that never answers costs the tests little; the store's contract is
/// only that it gives up, which is checked against [`DEADLINE`].
const REQUEST_TIMEOUT: Duration = Duration::from_secs(2);

impl Master {
    /// A worker's log store that knows only this master.
    fn log_store(&self) -> MasterLogStore {
        let (_, rx) = watch::channel(vec![self.addr.to_string()]);
        MasterLogStore::new(rx, REQUEST_TIMEOUT)
    }

    fn ingest_client(&self) -> IngestServiceClient<Channel> {
        IngestServiceClient::new(self.channel.clone())
    }

    async fn records(&self, job: &str) -> (Vec<ExecutionRecord>, u64) {
        let page = LogServiceClient::new(self.channel.clone())
            .list_logs(pb::ListLogsRequest {
                job_name: job.into(),
                page: 1,
                page_size: 500,
                ..Default::default()
            })
            .await
            .expect("list logs")
            .into_inner();
        (
            page.records.into_iter().map(record_from_pb).collect(),
            page.total,
        )
    }
}

/// A finished run as a remote worker reports it.
fn record(job: &str, n: i64) -> ExecutionRecord {
    let start = 1_780_000_000_000 + n * 1000;
    ExecutionRecord {
        execution_id: format!("{job}-{n:05}"),
        job_name: job.into(),
        command: "echo hi".into(),
        output: format!("hi {n}\n"),
        stderr: "warn\n".into(),
        error: String::new(),
        plan_time_ms: start - 5,
        schedule_time_ms: start - 2,
        start_time_ms: start,
        end_time_ms: start + 250,
        exit_code: 0,
        is_timeout: false,
        worker_ip: "10.0.0.7".into(),
        worker_id: "remote-1".into(),
        trigger: Trigger::Schedule,
        attempt: 1,
        output_truncated: false,
        status: ExecutionStatus::Success,
        // Every field crosses the ingest API: this one too.
        parent_execution_id: format!("{job}-parent-{n:05}"),
        notifications: vec![schedd_core::notify::Delivery {
            event: "failure".into(),
            url: "https://hooks.example.com/h".into(),
            delivered: true,
            attempts: 1,
            status: 204,
            error: String::new(),
            at_ms: start + 300,
        }],
    }
}

fn batch(job: &str, n: i64) -> Vec<ExecutionRecord> {
    (0..n).map(|i| record(job, i)).collect()
}

/// Runs `f`, failing if it has not finished within the deadline: a hang is a failure,
/// not a slow pass.
async fn within<T>(what: &str, f: impl Future<Output = T>) -> T {
    tokio::time::timeout(DEADLINE, f)
        .await
        .unwrap_or_else(|_| panic!("{what} did not finish within {DEADLINE:?}"))
}

#[tokio::test]
async fn a_batch_sent_by_a_worker_is_listed_by_the_master_and_stored_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    let store = m.log_store();
    let mut sent = batch("remote-job", 3);
    sent[1].status = ExecutionStatus::Failed;
    sent[1].exit_code = 2;
    sent[1].error = "exit status 2".into();
    sent[2].trigger = Trigger::Retry;
    sent[2].attempt = 2;

    let inserted = within("insert", store.insert(&sent)).await.expect("insert");
    assert_eq!(inserted, 3);

    let (mut listed, total) = m.records("remote-job").await;
    assert_eq!(total, 3);
    listed.sort_by(|a, b| a.execution_id.cmp(&b.execution_id));
    assert_eq!(listed, sent, "the master returns the records as sent");

    let again = within("second insert", store.insert(&sent))
        .await
        .expect("second insert");
    assert_eq!(again, 0, "a batch sent again stores nothing new");
    assert_eq!(m.records("remote-job").await.1, 3);
    m.stop().await;
}

#[tokio::test]
async fn a_bad_batch_is_rejected_whole_and_stores_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    let store = m.log_store();

    let mut no_id = batch("bad-batch", 3);
    no_id[1].execution_id = String::new();
    let err = within("insert", store.insert(&no_id))
        .await
        .expect_err("an empty execution id is rejected");
    match &err {
        StoreError::Corrupt(m) => assert!(
            m.contains("record 1") && m.contains("execution id is empty"),
            "{m}"
        ),
        e => panic!("expected Corrupt, got {e:?}"),
    }

    let mut bad_name = batch("bad-batch", 3);
    bad_name[2].job_name = "no spaces".into();
    let err = within("insert", store.insert(&bad_name))
        .await
        .expect_err("a bad job name is rejected");
    match &err {
        StoreError::Corrupt(m) => assert!(
            m.contains("record 2") && m.contains("job name `no spaces`"),
            "{m}"
        ),
        e => panic!("expected Corrupt, got {e:?}"),
    }
    assert_eq!(
        m.records("bad-batch").await.1,
        0,
        "the good records of a rejected batch are not stored either"
    );

    // What the worker's store never sends (it splits big batches and only has finished
    // runs), sent on the wire directly.
    let mut client = m.ingest_client();
    let wire = |records: &[ExecutionRecord]| pb::IngestRequest {
        records: records.iter().map(record_to_pb).collect(),
    };
    let too_many = batch("too-many", 10_001);
    let status = client
        .ingest(wire(&too_many))
        .await
        .expect_err("10,001 records are too many");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(
        status.message().contains("at most 10000"),
        "{}",
        status.message()
    );
    assert_eq!(m.records("too-many").await.1, 0);

    let mut running = batch("bad-wire", 2);
    running[0].status = ExecutionStatus::Running;
    let status = client
        .ingest(wire(&running))
        .await
        .expect_err("a running execution is rejected");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(
        status.message().contains("record 0") && status.message().contains("running"),
        "{}",
        status.message()
    );

    let mut backwards = batch("bad-wire", 2);
    backwards[1].end_time_ms = backwards[1].start_time_ms - 1;
    let status = client
        .ingest(wire(&backwards))
        .await
        .expect_err("an end before the start is rejected");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(
        status.message().contains("record 1") && status.message().contains("before the start"),
        "{}",
        status.message()
    );

    let mut no_status = wire(&batch("bad-wire", 2));
    no_status.records[1].status = pb::ExecutionStatus::Unspecified as i32;
    let status = client
        .ingest(no_status)
        .await
        .expect_err("a record without a status is rejected");
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(
        status.message().contains("record 1") && status.message().contains("status"),
        "{}",
        status.message()
    );
    assert_eq!(m.records("bad-wire").await.1, 0);
    m.stop().await;
}

#[tokio::test]
async fn without_a_reachable_master_insert_is_unavailable_until_one_is_listed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    let (addresses, rx) = watch::channel(Vec::new());
    let store = MasterLogStore::new(rx, REQUEST_TIMEOUT);
    let sent = batch("late-job", 2);

    let err = within("insert with no master", store.insert(&sent))
        .await
        .expect_err("no master is known");
    assert!(
        matches!(&err, StoreError::Unavailable(msg) if msg.contains("no master address")),
        "{err:?}"
    );

    // Nothing listens on `refused` (connections fail at once); `silent` accepts
    // connections (the kernel completes them) but never answers, so only the timeout ends
    // a call to it.
    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr")
    };
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let silent_addr = silent.local_addr().expect("addr");
    addresses.send_replace(vec![refused.to_string(), format!("http://{silent_addr}")]);
    let err = within("insert to dead masters", store.insert(&sent))
        .await
        .expect_err("no master answers");
    match &err {
        StoreError::Unavailable(msg) => {
            assert!(msg.contains(&refused.to_string()), "{msg}");
            assert!(msg.contains(&silent_addr.to_string()), "{msg}");
        }
        e => panic!("expected Unavailable, got {e:?}"),
    }
    assert_eq!(m.records("late-job").await.1, 0);

    addresses.send_replace(vec![format!("http://{silent_addr}"), m.addr.to_string()]);
    let inserted = within("insert once the master is listed", store.insert(&sent))
        .await
        .expect("the live master takes the records");
    assert_eq!(inserted, 2);
    assert_eq!(m.records("late-job").await.1, 2);
    drop(silent);
    m.stop().await;
}

/// A Watch of executions on `channel`, past its first Resync: the stream subscribes to the
/// hub before it sends that, so nothing published later can be missed.
async fn watch_executions(channel: Channel) -> tonic::Streaming<pb::Event> {
    let mut events = EventServiceClient::new(channel)
        .watch(pb::WatchRequest {
            executions: true,
            ..Default::default()
        })
        .await
        .expect("watch")
        .into_inner();
    let first = within("the first event", events.message())
        .await
        .expect("stream")
        .expect("an event");
    assert!(
        matches!(first.event, Some(pb::event::Event::Resync(_))),
        "{first:?}"
    );
    events
}

#[tokio::test]
async fn a_watcher_sees_an_ingested_run_finish() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    let mut events = watch_executions(m.channel.clone()).await;

    let sent = batch("watched-job", 1);
    within("insert", m.log_store().insert(&sent))
        .await
        .expect("insert");
    let finished = within("the finished event", async {
        loop {
            let event = events.message().await.expect("stream").expect("an event");
            if let Some(pb::event::Event::Execution(e)) = event.event
                && e.kind == pb::execution_event::Kind::Finished as i32
                && let Some(r) = e.record
                && r.execution_id == sent[0].execution_id
            {
                return record_from_pb(r);
            }
        }
    })
    .await;
    assert_eq!(finished, sent[0]);
    drop(events);
    m.stop().await;
}

/// The master's `/metrics`, parsed.
async fn scrape(addr: std::net::SocketAddr) -> testkit::openmetrics::Exposition {
    let answer = tokio::task::spawn_blocking(move || testkit::http::get(addr, "/metrics"))
        .await
        .expect("scrape");
    assert_eq!(answer.status, 200);
    testkit::openmetrics::parse(&String::from_utf8_lossy(&answer.body)).expect("OpenMetrics")
}

/// What waits for stream clients, and how many were cut off, as `/metrics` says.
async fn stream_metrics(addr: std::net::SocketAddr) -> (f64, f64) {
    let m = scrape(addr).await;
    let buffered = m
        .value("schedd_master_stream_buffered_bytes", &[])
        .expect("the buffered-bytes gauge");
    let cut_off = m
        .value("schedd_master_stream_clients_cut_off_total", &[])
        .expect("the cut-off counter");
    (buffered, cut_off)
}

/// A watcher that stops reading while ingested runs with large output keep finishing is
/// cut off at its bound: the master's buffered bytes never pass the bound, and the stream
/// ends with `RESOURCE_EXHAUSTED` saying it fell behind.
#[tokio::test]
async fn a_watcher_that_stops_reading_is_cut_off_at_its_bound() {
    let dir = tempfile::tempdir().expect("tempdir");
    let limits = StreamLimits {
        bytes: 1024 * 1024,
        items: 4096,
    };
    let mut cfg = DevConfig::new(dir.path());
    cfg.stream_limits = limits;
    let m = Master::start_with(cfg).await;
    // A connection of its own: the unread stream holds its flow-control window.
    let watcher = Channel::from_shared(format!("http://{}", m.addr))
        .expect("uri")
        .connect()
        .await
        .expect("connect");
    let mut events = watch_executions(watcher).await;
    assert_eq!(stream_metrics(m.addr).await.1, 0.0);

    // The watcher reads no more. Runs keep finishing, each record with 100 KiB of output
    // and of stderr, until the master gives up on the watcher.
    let store = m.log_store();
    let mut n = 0;
    let bound = limits.bytes as f64;
    let most = std::cell::Cell::new(0.0_f64);
    testkit::eventually_async(
        "the watcher to be cut off",
        Duration::from_secs(120),
        || {
            let batch: Vec<ExecutionRecord> = (n..n + 2)
                .map(|i| ExecutionRecord {
                    output: "o".repeat(100 * 1024),
                    stderr: "e".repeat(100 * 1024),
                    ..record("flood", i)
                })
                .collect();
            n += 2;
            let (store, addr, most) = (&store, m.addr, &most);
            async move {
                within("insert", store.insert(&batch))
                    .await
                    .expect("insert");
                let (buffered, cut_off) = stream_metrics(addr).await;
                assert!(
                    buffered <= bound,
                    "{buffered} bytes buffered, past the bound of {bound}"
                );
                most.set(most.get().max(buffered));
                (cut_off >= 1.0).then_some(())
            }
        },
    )
    .await;
    assert!(
        most.get() > 0.0,
        "the watcher's outbox filled up before it was cut off"
    );
    assert_eq!(
        stream_metrics(m.addr).await,
        (0.0, 1.0),
        "what waited was dropped"
    );

    // What the transport still held comes first, then the end.
    let status = within("the end of the stream", async {
        loop {
            match events.message().await {
                Ok(Some(_)) => {}
                Ok(None) => panic!("the stream ended without a status"),
                Err(status) => return status,
            }
        }
    })
    .await;
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    assert!(status.message().contains("fell behind"), "{status:?}");
    assert!(status.message().contains("subscribe again"), "{status:?}");
    m.stop().await;
}

#[tokio::test]
async fn reflection_lists_the_ingest_service() {
    use tonic_reflection::pb::v1::ServerReflectionRequest;
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;

    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut replies = ServerReflectionClient::new(m.channel.clone())
        .server_reflection_info(tokio_stream::once(request))
        .await
        .expect("reflection")
        .into_inner();
    let reply = within("the reflection answer", replies.message())
        .await
        .expect("stream")
        .expect("an answer");
    let Some(MessageResponse::ListServicesResponse(list)) = reply.message_response else {
        panic!("not a service list: {reply:?}");
    };
    let names: Vec<&str> = list.service.iter().map(|s| s.name.as_str()).collect();
    assert!(names.contains(&"schedd.v1.IngestService"), "{names:?}");
    drop(replies);
    m.stop().await;
}

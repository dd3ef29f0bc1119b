//! `api`: the master's API with a realistic amount of data behind it, the REST bridge
//! (`/api/v1`, HTTP/1.1 and JSON) beside gRPC (`schedd.v1`, HTTP/2 and protobuf) for the same
//! calls. Both reach the same services, so the difference between two rows of one call is
//! the adapter and the wire: JSON against protobuf, HTTP/1.1 against HTTP/2.
//!
//! Setup writes `--jobs` disabled jobs (nothing runs) and `--records` execution records
//! (spread over `--log-jobs` of those jobs and the last 30 days) straight into a SQLite file
//! through `schedd_store::SqliteStore`, then starts an embedded master on that directory at
//! `127.0.0.1:0`. Saving 10,000 jobs through `SaveJob` measures the write path, which is not
//! what this benchmark is about, and takes longer than the direct writes.
//!
//! The calls: the job list, log lists and stats, and a save (`POST /job/save`, `SaveJob`)
//! that replaces one of the jobs with itself at a new revision: a stored write, a change
//! event to the embedded worker's scheduler, and the saved job back.
//!
//! Each call is made `--requests` times per protocol after a short warm-up, with
//! `--concurrency` requests in flight (1 by default: one request at a time). REST uses one
//! kept-alive HTTP/1.1 connection per request in flight, as a browser does; gRPC uses one
//! channel (one HTTP/2 connection) whatever the concurrency. The answer of each call is
//! checked once before it is timed (REST: `code` 0 in the envelope and the counts; gRPC: the
//! counts). A REST request is timed to the last byte of its body, not including JSON parsing;
//! a gRPC request is timed to its decoded message, which includes protobuf decoding, as a
//! tonic client cannot have one without the other. Response bytes are the body for REST and
//! the protobuf message for gRPC (without the 5-byte gRPC frame header and HTTP/2 framing).

use std::net::SocketAddr;
use std::time::Instant;

use anyhow::{Context, bail, ensure};
use bytes::Bytes;
use chrono::Utc;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use hyper::{Request, StatusCode, header};
use hyper_util::rt::TokioIo;
use prost::Message;
use schedd_core::Job;
use schedd_core::store::{Expect, JobStore, LogStore};
use schedd_proto::v1 as pb;
use tonic::transport::Channel;

use crate::cluster::init_logging;
use crate::percentile;

/// Records per insert while filling the store (the `log-store` benchmark's batch).
const RECORD_BATCH: usize = 1_000;
/// Jobs written concurrently while filling the store: the store serialises its writes, this
/// only overlaps one write's hand-off to the blocking pool with the previous one's commit.
const JOB_WRITERS: usize = 4;
/// Requests per call and protocol before the timed ones: fill SQLite's page cache for the
/// rows read and the connections' buffers.
const WARMUP: usize = 10;
/// The page size of the log list calls (the old web UI's).
const PAGE_SIZE: u32 = 20;
/// The stats window, in days (the API's default).
const STATS_DAYS: u32 = 7;
/// Records go back this far.
const RECORD_SPAN_MS: i64 = 30 * 24 * 3600 * 1000;

/// The flags of `schedd-bench api`.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct Options {
    /// Jobs in the store, all disabled.
    #[arg(long, default_value_t = 10_000)]
    jobs: usize,
    /// Execution records in the store.
    #[arg(long, default_value_t = 1_000_000)]
    records: usize,
    /// Jobs the records belong to (the first ones).
    #[arg(long, default_value_t = 100)]
    log_jobs: usize,
    /// Timed requests per call and protocol.
    #[arg(long, default_value_t = 200)]
    requests: usize,
    /// Requests in flight (REST: one connection each; gRPC: one channel).
    #[arg(long, default_value_t = 1)]
    concurrency: usize,
}

/// Runs the benchmark; see the module docs.
pub async fn run(o: Options) -> anyhow::Result<()> {
    ensure!(
        o.jobs > 0 && o.records > 0 && o.log_jobs > 0 && o.requests > 0 && o.concurrency > 0,
        "--jobs, --records, --log-jobs, --requests and --concurrency must be at least 1"
    );
    ensure!(o.log_jobs <= o.jobs, "--log-jobs must not exceed --jobs");
    init_logging();
    let dir = tempfile::Builder::new()
        .prefix("schedd-bench-api-")
        .tempdir()?;
    let db = dir.path().join("schedd.db");

    let t_setup = Instant::now();
    eprintln!("writing {} jobs ...", o.jobs);
    let store = schedd_store::SqliteStore::open(&db).context("opening the store")?;
    let t = Instant::now();
    write_jobs(&store, o.jobs).await?;
    let jobs_time = t.elapsed();
    eprintln!("writing {} records over {} jobs ...", o.records, o.log_jobs);
    let t = Instant::now();
    write_records(&store, o.records, o.log_jobs).await?;
    let records_time = t.elapsed();
    // The master opens the file itself; closing ours first also checkpoints the WAL.
    drop(store);
    let db_size = std::fs::metadata(&db).map_or(0, |m| m.len());

    let t = Instant::now();
    let master = crate::EmbeddedMaster::start(dir.path()).await?;
    let addr = master.addr;
    let channel = Channel::from_shared(format!("http://{addr}"))?
        .connect()
        .await
        .context("connecting to the master")?;
    // The first call answered: the master has opened the store and serves.
    pb::info_service_client::InfoServiceClient::new(channel.clone())
        .get_info(pb::GetInfoRequest {})
        .await
        .context("the master's first answer")?;
    let start_time = t.elapsed();
    let mut rest = Vec::with_capacity(o.concurrency);
    for _ in 0..o.concurrency {
        rest.push(Client::Rest(Rest::connect(addr).await?));
    }
    let setup = t_setup.elapsed();

    let calls = [
        Call::ListJobs,
        Call::ListLogs { by_job: true },
        Call::ListLogs { by_job: false },
        Call::Stats,
        Call::SaveJob,
    ];
    println!(
        "api: embedded master (SQLite), {} jobs, {} records over {} jobs and 30 days; {} requests per call after {WARMUP} warm-up, {} in flight",
        o.jobs, o.records, o.log_jobs, o.requests, o.concurrency
    );
    println!(
        "  setup  {:.1} s: jobs {:.1} s ({:.0}/s), records {:.1} s ({:.0}/s), master up {:.2} s; database {:.0} MiB",
        setup.as_secs_f64(),
        jobs_time.as_secs_f64(),
        o.jobs as f64 / jobs_time.as_secs_f64(),
        records_time.as_secs_f64(),
        o.records as f64 / records_time.as_secs_f64(),
        start_time.as_secs_f64(),
        crate::mib(db_size)
    );
    println!(
        "  {:<34} {:<8} {:>9} {:>9} {:>9} {:>9} {:>8} {:>10}",
        "call", "protocol", "p50 ms", "p90 ms", "p99 ms", "max ms", "req/s", "bytes"
    );
    let mut grpc: Vec<Client> = (0..o.concurrency)
        .map(|_| Client::Grpc(channel.clone()))
        .collect();
    for call in calls {
        for (protocol, clients) in [("REST", &mut rest), ("gRPC", &mut grpc)] {
            let (back, sample) = measure(std::mem::take(clients), call, o).await?;
            *clients = back;
            println!(
                "  {:<34} {:<8} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>8.0} {:>10}",
                call.label(o),
                protocol,
                percentile(&sample.micros, 0.50) as f64 / 1000.0,
                percentile(&sample.micros, 0.90) as f64 / 1000.0,
                percentile(&sample.micros, 0.99) as f64 / 1000.0,
                sample.micros.last().copied().unwrap_or(0) as f64 / 1000.0,
                sample.per_second,
                sample.bytes
            );
        }
    }

    drop((rest, grpc, channel));
    master.stop().await
}

/// Jobs as an operator writes them, disabled so the embedded worker never runs one.
async fn write_jobs(store: &schedd_store::SqliteStore, jobs: usize) -> anyhow::Result<()> {
    let now = Utc::now().timestamp();
    let mut writers = tokio::task::JoinSet::new();
    for w in 0..JOB_WRITERS {
        let store = store.clone();
        writers.spawn(async move {
            for i in (w..jobs).step_by(JOB_WRITERS) {
                store.put(&job(i, now), Expect::Absent).await?;
            }
            anyhow::Ok(())
        });
    }
    while let Some(done) = writers.join_next().await {
        done.context("job writer")??;
    }
    Ok(())
}

/// Records spread evenly over the last 30 days and over the first `log_jobs` jobs, about 100
/// bytes of output each, one in ten failed; as the `log-store` benchmark writes them.
async fn write_records(
    store: &schedd_store::SqliteStore,
    records: usize,
    log_jobs: usize,
) -> anyhow::Result<()> {
    let now = Utc::now().timestamp_millis();
    let step = (RECORD_SPAN_MS / records as i64).max(1);
    let make = |i: usize| {
        crate::sample_record(
            i,
            now - RECORD_SPAN_MS + i as i64 * step,
            job_name(i % log_jobs),
        )
    };
    let mut i = 0;
    while i < records {
        let chunk: Vec<_> = (i..(i + RECORD_BATCH).min(records)).map(make).collect();
        store.insert(&chunk).await?;
        i += chunk.len();
    }
    Ok(())
}

fn job_name(i: usize) -> String {
    format!("job-{i:05}")
}

/// Job `i` as the store holds it (disabled: nothing runs).
fn job(i: usize, now: i64) -> Job {
    let mut job = Job::new(
        job_name(i),
        "0 0 3 * * *",
        format!("/usr/local/bin/backup --target db-{i} --retention 7d"),
    );
    job.description = "nightly backup".into();
    job.timeout = 600;
    job.disabled = true;
    job.created_at = now;
    job.updated_at = now;
    job
}

/// The job of the `k`-th request of a per-job call: a stride through the jobs with records,
/// so consecutive requests do not read the same rows.
fn job_of_request(k: usize, log_jobs: usize) -> String {
    job_name((k * 37) % log_jobs)
}

/// One call of the API, as REST and as gRPC.
#[derive(Debug, Clone, Copy)]
enum Call {
    /// Every job.
    ListJobs,
    /// The first page of one job's records, or of every record.
    ListLogs { by_job: bool },
    /// One job's stats over the last [`STATS_DAYS`] days.
    Stats,
    /// One job replaced by itself (a stride through the jobs).
    SaveJob,
}

impl Call {
    fn label(self, o: Options) -> String {
        match self {
            Call::ListJobs => format!("job list ({} jobs)", o.jobs),
            Call::ListLogs { by_job: true } => format!("log list, one job, page of {PAGE_SIZE}"),
            Call::ListLogs { by_job: false } => {
                format!("log list, all jobs, page of {PAGE_SIZE}")
            }
            Call::Stats => format!("log stats, one job, {STATS_DAYS} days"),
            Call::SaveJob => format!("job save (one of {})", o.jobs),
        }
    }

    /// The job the `k`-th save writes.
    fn saved_job(k: usize, o: &Options) -> Job {
        job((k * 37) % o.jobs, Utc::now().timestamp())
    }

    fn rest_path(self, k: usize, o: &Options) -> String {
        match self {
            Call::ListJobs => "/api/v1/job/list".to_owned(),
            Call::ListLogs { by_job: true } => format!(
                "/api/v1/log/list?jobName={}&page=1&pageSize={PAGE_SIZE}",
                job_of_request(k, o.log_jobs)
            ),
            Call::ListLogs { by_job: false } => {
                format!("/api/v1/log/list?page=1&pageSize={PAGE_SIZE}")
            }
            Call::Stats => format!(
                "/api/v1/log/stats/{}?days={STATS_DAYS}",
                job_of_request(k, o.log_jobs)
            ),
            Call::SaveJob => "/api/v1/job/save".to_owned(),
        }
    }

    /// The body of the REST request: none but for a save.
    fn rest_body(self, k: usize, o: &Options) -> anyhow::Result<Option<Bytes>> {
        Ok(match self {
            Call::SaveJob => Some(serde_json::to_vec(&Call::saved_job(k, o))?.into()),
            _ => None,
        })
    }

    fn list_logs_request(self, k: usize, o: &Options) -> pb::ListLogsRequest {
        let job_name = match self {
            Call::ListLogs { by_job: true } => job_of_request(k, o.log_jobs),
            _ => String::new(),
        };
        pb::ListLogsRequest {
            job_name,
            page: 1,
            page_size: PAGE_SIZE,
            ..Default::default()
        }
    }

    /// Checks a REST answer: the envelope says success and the counts are the data's.
    fn check_rest(self, body: &[u8], o: &Options) -> anyhow::Result<()> {
        let v: serde_json::Value =
            serde_json::from_slice(body).context("the REST answer is not JSON")?;
        ensure!(
            v["code"] == 0,
            "code {} in the envelope: {}",
            v["code"],
            v["message"]
        );
        let data = &v["data"];
        match self {
            Call::ListJobs => {
                let n = data.as_array().map_or(0, Vec::len);
                ensure!(n == o.jobs, "job list: {n} jobs, {} expected", o.jobs);
            }
            Call::ListLogs { by_job } => {
                let n = data["logs"].as_array().map_or(0, Vec::len);
                let total = data["total"].as_u64().unwrap_or(0);
                check_page(by_job, n, total, o)?;
            }
            Call::Stats => {
                let total = data["totalCount"].as_u64().unwrap_or(0);
                ensure!(total > 0, "stats: no runs in the window");
            }
            Call::SaveJob => {
                let name = Call::saved_job(0, o).name;
                ensure!(data["name"] == name.as_str(), "job save: saved {data}");
            }
        }
        Ok(())
    }

    /// Makes the `k`-th gRPC request; returns the answer's size. With `check`, checks the
    /// counts as [`Call::check_rest`] does.
    async fn grpc(
        self,
        channel: &Channel,
        k: usize,
        o: &Options,
        check: bool,
    ) -> anyhow::Result<usize> {
        match self {
            Call::ListJobs => {
                let r = pb::job_service_client::JobServiceClient::new(channel.clone())
                    .list_jobs(pb::ListJobsRequest::default())
                    .await?
                    .into_inner();
                if check {
                    let n = r.jobs.len();
                    ensure!(n == o.jobs, "ListJobs: {n} jobs, {} expected", o.jobs);
                }
                Ok(r.encoded_len())
            }
            Call::ListLogs { by_job } => {
                let r = pb::log_service_client::LogServiceClient::new(channel.clone())
                    .list_logs(self.list_logs_request(k, o))
                    .await?
                    .into_inner();
                if check {
                    check_page(by_job, r.records.len(), r.total, o)?;
                }
                Ok(r.encoded_len())
            }
            Call::Stats => {
                let r = pb::log_service_client::LogServiceClient::new(channel.clone())
                    .get_log_stats(pb::GetLogStatsRequest {
                        job_name: job_of_request(k, o.log_jobs),
                        days: STATS_DAYS,
                    })
                    .await?
                    .into_inner();
                if check {
                    let total = r.stats.as_ref().map_or(0, |s| s.total);
                    ensure!(total > 0, "GetLogStats: no runs in the window");
                }
                Ok(r.encoded_len())
            }
            Call::SaveJob => {
                let job = Call::saved_job(k, o);
                let r = pb::job_service_client::JobServiceClient::new(channel.clone())
                    .save_job(pb::SaveJobRequest {
                        job: Some(schedd_proto::job_to_pb(&job, 0)),
                        expected_revision: None,
                    })
                    .await?
                    .into_inner();
                if check {
                    let saved = r.job.as_ref().map(|j| j.name.as_str());
                    ensure!(saved == Some(job.name.as_str()), "SaveJob: saved {saved:?}");
                }
                Ok(r.encoded_len())
            }
        }
    }
}

/// A first page of records: full, and of the size expected (the first request's job is
/// `job-00000`, which holds every `log_jobs`-th record).
fn check_page(by_job: bool, n: usize, total: u64, o: &Options) -> anyhow::Result<()> {
    let expected = if by_job {
        o.records.div_ceil(o.log_jobs)
    } else {
        o.records
    };
    ensure!(
        total == expected as u64,
        "log list: total {total}, {expected} expected"
    );
    ensure!(
        n == (PAGE_SIZE as usize).min(expected),
        "log list: a page of {n} records"
    );
    Ok(())
}

/// One kept-alive HTTP/1.1 connection to the master.
#[derive(Debug)]
struct Rest {
    sender: http1::SendRequest<Full<Bytes>>,
    host: String,
    connection: tokio::task::JoinHandle<()>,
}

impl Rest {
    async fn connect(addr: SocketAddr) -> anyhow::Result<Rest> {
        let stream = tokio::net::TcpStream::connect(addr)
            .await
            .context("connecting to the master")?;
        // As browsers and curl do; without it each request waits for a delayed ACK.
        stream.set_nodelay(true)?;
        let (sender, conn) = http1::handshake(TokioIo::new(stream))
            .await
            .context("HTTP/1.1 handshake")?;
        let connection = tokio::spawn(async move {
            if let Err(e) = conn.await {
                eprintln!("REST connection: {e}");
            }
        });
        Ok(Rest {
            sender,
            host: addr.to_string(),
            connection,
        })
    }

    /// The whole answer to a `GET`, or a `POST` of `body`; anything but HTTP 200 is an
    /// error.
    async fn send(&mut self, path: &str, body: Option<Bytes>) -> anyhow::Result<Bytes> {
        // Fails if the server closed the connection: the benchmark never reconnects, so a
        // connection that is not kept alive shows up as an error rather than as slow requests.
        self.sender
            .ready()
            .await
            .context("the REST connection was closed")?;
        let req = match body {
            Some(body) => Request::post(path)
                .header(header::HOST, &self.host)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Full::new(body))?,
            None => Request::get(path)
                .header(header::HOST, &self.host)
                .body(Full::new(Bytes::new()))?,
        };
        let resp = self
            .sender
            .send_request(req)
            .await
            .with_context(|| path.to_owned())?;
        let status = resp.status();
        let body = resp
            .into_body()
            .collect()
            .await
            .with_context(|| format!("{path}: reading the body"))?
            .to_bytes();
        if status != StatusCode::OK {
            bail!(
                "{path}: HTTP {status}: {}",
                String::from_utf8_lossy(&body[..body.len().min(300)])
            );
        }
        Ok(body)
    }
}

impl Drop for Rest {
    fn drop(&mut self) {
        self.connection.abort();
    }
}

/// One request in flight: a REST connection or the gRPC channel.
#[derive(Debug)]
enum Client {
    Rest(Rest),
    Grpc(Channel),
}

impl Client {
    fn protocol(&self) -> &'static str {
        match self {
            Client::Rest(_) => "REST",
            Client::Grpc(_) => "gRPC",
        }
    }

    /// Makes the `k`-th request of `call`; returns the answer's size.
    async fn request(
        &mut self,
        call: Call,
        k: usize,
        o: &Options,
        check: bool,
    ) -> anyhow::Result<usize> {
        match self {
            Client::Rest(rest) => {
                let body = rest
                    .send(&call.rest_path(k, o), call.rest_body(k, o)?)
                    .await?;
                if check {
                    call.check_rest(&body, o)?;
                }
                Ok(body.len())
            }
            Client::Grpc(channel) => call.grpc(channel, k, o, check).await,
        }
    }
}

/// The timed requests of one call over one protocol.
#[derive(Debug)]
struct Sample {
    /// Latency of each request, sorted.
    micros: Vec<i64>,
    per_second: f64,
    /// Mean answer size.
    bytes: usize,
}

/// Checks the answer once, warms up, then times `o.requests` requests with one in flight per
/// client; the clients share the requests. Hands the clients back.
async fn measure(
    mut clients: Vec<Client>,
    call: Call,
    o: Options,
) -> anyhow::Result<(Vec<Client>, Sample)> {
    let first = clients.first_mut().context("no clients")?;
    first
        .request(call, 0, &o, true)
        .await
        .with_context(|| format!("{} {}", first.protocol(), call.label(o)))?;
    let (clients, _) = round(clients, call, o, WARMUP).await?;
    let t = Instant::now();
    let (clients, mut timed) = round(clients, call, o, o.requests).await?;
    let wall = t.elapsed().as_secs_f64();
    timed.sort_unstable();
    let bytes = timed.iter().map(|(_, b)| b).sum::<usize>() / timed.len().max(1);
    let sample = Sample {
        micros: timed.iter().map(|(us, _)| *us).collect(),
        per_second: timed.len() as f64 / wall,
        bytes,
    };
    Ok((clients, sample))
}

/// `requests` requests spread over the clients, each client making its share one after the
/// other; the clients, and (latency in microseconds, answer size) of each request.
async fn round(
    clients: Vec<Client>,
    call: Call,
    o: Options,
    requests: usize,
) -> anyhow::Result<(Vec<Client>, Vec<(i64, usize)>)> {
    let n = clients.len();
    let mut tasks = tokio::task::JoinSet::new();
    for (c, mut client) in clients.into_iter().enumerate() {
        tasks.spawn(async move {
            let mut out = Vec::with_capacity(requests / n + 1);
            for k in (c..requests).step_by(n) {
                let t = Instant::now();
                let bytes = client.request(call, k, &o, false).await?;
                out.push((t.elapsed().as_micros() as i64, bytes));
            }
            anyhow::Ok((client, out))
        });
    }
    let mut clients = Vec::with_capacity(n);
    let mut timed = Vec::with_capacity(requests);
    while let Some(done) = tasks.join_next().await {
        let (client, out) = done.context("request task")??;
        clients.push(client);
        timed.extend(out);
    }
    Ok((clients, timed))
}

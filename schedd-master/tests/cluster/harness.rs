//! A real cluster on loopback: an etcd process, the `schedd-master` binary in cluster mode
//! (records in its SQLite store) and `schedd-worker` processes configured with the old
//! config keys only. Everything is stopped on drop.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use schedd_proto::v1 as pb;
use testkit::{EtcdServer, eventually};

pub const DEADLINE: Duration = Duration::from_secs(60);

/// One execution record, as the master stored it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rec {
    pub execution_id: String,
    pub job: String,
    pub plan_ms: i64,
    pub status: String,
    pub trigger: String,
    pub worker: String,
    pub error: String,
    pub start_ms: i64,
    pub end_ms: i64,
    /// The run whose end started this one (trigger `dependency`); empty otherwise.
    pub parent: String,
}

/// A run marker (`running/<job>/<execution>`) as the worker that started the run wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    pub job: String,
    pub execution_id: String,
    pub worker: String,
    pub plan_ms: i64,
    /// When the worker claimed the tick, by its clock.
    pub start_ms: i64,
}

/// A claimed tick (`claims/<job>/<tick>`): the worker that claimed it, and the execution id
/// its run got (a skip's record has an id of its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub job: String,
    pub tick_ms: i64,
    pub worker: String,
    pub execution_id: String,
}

impl Marker {
    fn decode(value: &[u8]) -> Marker {
        let m: schedd_store::etcd::claims::RunMarker =
            serde_json::from_slice(value).expect("a run marker");
        Marker {
            job: m.job_name,
            execution_id: m.execution_id,
            worker: m.worker_id,
            plan_ms: m.plan_time_ms,
            start_ms: m.start_time_ms,
        }
    }
}

pub struct Worker {
    pub id: String,
    pub child: Child,
    pub log: PathBuf,
    env: Vec<(String, String)>,
}

pub struct Cluster {
    pub etcd: EtcdServer,
    pub dir: tempfile::TempDir,
    pub api: String,
    /// The CA of the master's certificate, when it serves TLS.
    pub ca: Option<Vec<u8>>,
    /// The certificates of an etcd that serves TLS and asks for client certificates; the
    /// master and workers present `cert` as theirs.
    etcd_tls: Option<testkit::tls::TestTls>,
    /// The master process; `None` while it is stopped.
    master: Option<Child>,
    pub workers: Vec<Worker>,
    pub rt: tokio::runtime::Runtime,
}

/// The endpoint of `api`, trusting `ca` for `https://`.
pub fn endpoint(api: &str, ca: Option<&[u8]>) -> tonic::transport::Endpoint {
    let endpoint = tonic::transport::Endpoint::from_shared(api.to_owned()).expect("api uri");
    match ca {
        Some(ca) => endpoint
            .tls_config(
                tonic::transport::ClientTlsConfig::new()
                    .ca_certificate(tonic::transport::Certificate::from_pem(ca)),
            )
            .expect("TLS settings"),
        None => endpoint,
    }
}

/// What sets a cluster apart from the default one; see the `start_*` constructors.
#[derive(Default)]
struct Setup<'a> {
    /// The master requires these tokens; `None`: open.
    tokens: Option<&'a schedd_master::auth::TokenFile>,
    /// The master listens on every interface, over TLS.
    tls: bool,
    /// etcd serves TLS and asks for client certificates.
    etcd_tls: bool,
    /// etcd's `--quota-backend-bytes`; `None`: its default.
    etcd_quota: Option<u64>,
}

/// A worker's entry in etcd (`workers/<id>`): the lease it lives under and the revision that
/// created it. A worker that keeps its lease keeps both; one whose lease lapsed registers
/// again under a new lease, in a new entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Registration {
    pub lease: i64,
    pub create_revision: i64,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

impl Cluster {
    /// etcd and a master; no workers yet.
    pub fn start() -> Cluster {
        Cluster::start_with_tokens(None)
    }

    /// etcd and a master that requires the tokens of `tokens` (none: open); no workers.
    pub fn start_with_tokens(tokens: Option<&schedd_master::auth::TokenFile>) -> Cluster {
        Cluster::start_secured(tokens, false)
    }

    /// etcd with a backend quota of `quota_bytes` (`--quota-backend-bytes`), and a master;
    /// no workers.
    pub fn start_with_etcd_quota(quota_bytes: u64) -> Cluster {
        Cluster::start_full(Setup {
            etcd_quota: Some(quota_bytes),
            ..Setup::default()
        })
    }

    /// etcd and a master that requires `tokens` (none: open) and, with `tls`, listens on
    /// every interface (`0.0.0.0`, reached here through 127.0.0.1) over TLS with a
    /// certificate of a CA made for the test (`dir/ca.pem`).
    pub fn start_secured(tokens: Option<&schedd_master::auth::TokenFile>, tls: bool) -> Cluster {
        Cluster::start_full(Setup {
            tokens,
            tls,
            ..Setup::default()
        })
    }

    /// etcd serving TLS, asking every client for a certificate of a CA made for the test;
    /// the master (and the workers added later) reach it with `etcdCa`, `etcdCert` and
    /// `etcdKey`.
    pub fn start_over_tls_etcd() -> Cluster {
        Cluster::start_full(Setup {
            etcd_tls: true,
            ..Setup::default()
        })
    }

    fn start_full(setup: Setup<'_>) -> Cluster {
        let Setup {
            tokens,
            tls,
            etcd_tls,
            etcd_quota,
        } = setup;
        let dir = tempfile::tempdir().expect("temporary directory");
        let etcd_tls = etcd_tls.then(|| {
            let certs = dir.path().join("etcd-certs");
            std::fs::create_dir(&certs).expect("etcd-certs");
            testkit::tls::TestTls::make(&certs)
        });
        let etcd = match (&etcd_tls, etcd_quota) {
            (Some(t), None) => EtcdServer::start_tls(t, true),
            (None, Some(quota)) => EtcdServer::start_with_quota(quota),
            (None, None) => EtcdServer::start(),
            (Some(_), Some(_)) => unreachable!("no constructor asks for both"),
        };
        if let Some(tokens) = tokens {
            // The master's default tokens file: `tokens.json` in its data directory.
            tokens
                .save(&dir.path().join("master-data").join("tokens.json"))
                .expect("write the tokens file");
        }
        let port = free_port();
        let mut master_json = serde_json::json!({
            "etcdEndpoints": [etcd.endpoint()],
            "apiPort": port,
            "heartbeatInterval": 500,
            "jobLockTtl": 3,
            "dataDir": dir.path().join("master-data"),
        });
        if let Some(t) = &etcd_tls {
            master_json["etcdCa"] = t.ca.to_str().expect("utf-8").into();
            master_json["etcdCert"] = t.cert.to_str().expect("utf-8").into();
            master_json["etcdKey"] = t.key.to_str().expect("utf-8").into();
        }
        let tls = tls.then(|| testkit::tls::TestTls::make(dir.path()));
        if let Some(tls) = &tls {
            master_json["listen"] = format!("0.0.0.0:{port}").into();
            master_json["advertise"] = format!("127.0.0.1:{port}").into();
            master_json["tlsCert"] = tls.cert.to_str().expect("utf-8").into();
            master_json["tlsKey"] = tls.key.to_str().expect("utf-8").into();
        }
        std::fs::write(dir.path().join("master.json"), master_json.to_string())
            .expect("write master.json");
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let mut cluster = Cluster {
            etcd,
            dir,
            api: format!(
                "{}://127.0.0.1:{port}",
                if tls.is_some() { "https" } else { "http" }
            ),
            ca: tls
                .as_ref()
                .map(|t| std::fs::read(&t.ca).expect("read ca.pem")),
            etcd_tls,
            master: None,
            workers: Vec::new(),
            rt,
        };
        cluster.start_master();
        cluster
    }

    /// Starts the master with `master.json` (so on the same port and data directory as
    /// before), its output appended to `master.log`, and waits until it answers.
    pub fn start_master(&mut self) {
        assert!(self.master.is_none(), "the master is already running");
        let log_path = self.dir.path().join("master.log");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .expect("master log");
        let child = Command::new(env!("CARGO_BIN_EXE_schedd-master"))
            .arg("--config")
            .arg(self.dir.path().join("master.json"))
            .env("SCHEDD_LOG", "info")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start schedd-master");
        let master = self.master.insert(child);
        let rt = &self.rt;
        let endpoint = endpoint(&self.api, self.ca.as_deref());
        eventually("the master answers", DEADLINE, || {
            if let Ok(Some(status)) = master.try_wait() {
                let log = std::fs::read_to_string(&log_path).unwrap_or_default();
                panic!("schedd-master exited with {status}:\n{log}");
            }
            rt.block_on(endpoint.connect()).ok()
        });
    }

    /// Sends SIGTERM to the master and waits for it to exit.
    pub fn stop_master(&mut self) {
        if let Some(mut master) = self.master.take()
            && let Ok(None) = master.try_wait()
        {
            signal(&mut master, nix::sys::signal::Signal::SIGTERM);
        }
    }

    /// Writes `worker.json` with the old keys only (no `mongoUri`: records go to the master).
    fn worker_config(&self) -> PathBuf {
        let path = self.dir.path().join("worker.json");
        if !path.exists() {
            let mut json = serde_json::json!({
                "etcdEndpoints": [self.etcd.endpoint()],
                "etcdDialTimeout": 5000,
                "heartbeatInterval": 500,
                "logBatchSize": 50,
                "logCommitTimeout": 200,
                "executorThreads": 16,
                "jobLockTtl": 3,
            });
            if let Some(t) = &self.etcd_tls {
                json["etcdCa"] = t.ca.to_str().expect("utf-8").into();
                json["etcdCert"] = t.cert.to_str().expect("utf-8").into();
                json["etcdKey"] = t.key.to_str().expect("utf-8").into();
            }
            std::fs::write(&path, json.to_string()).expect("write worker.json");
        }
        path
    }

    /// Starts a worker `worker-<n>` with extra environment.
    pub fn add_worker(&mut self, n: usize, env: &[(&str, &str)]) {
        let id = format!("worker-{n}");
        let mut env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        env.push(("WORKER_ID".into(), id.clone()));
        let worker = self.spawn_worker(&id, env);
        self.workers.push(worker);
    }

    fn spawn_worker(&self, id: &str, env: Vec<(String, String)>) -> Worker {
        let config = self.worker_config();
        let log = self.dir.path().join(format!("{id}.log"));
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .expect("worker log");
        let child = Command::new(testkit::workspace_bin("schedd-worker", "schedd-worker"))
            .arg("--config")
            .arg(&config)
            .current_dir(self.dir.path())
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("SCHEDD_LOG", "info,schedd_worker::cluster=debug")
            .stdout(Stdio::null())
            .stderr(file)
            .spawn()
            .expect("start schedd-worker");
        Worker {
            id: id.to_owned(),
            child,
            log,
            env,
        }
    }

    /// [`Cluster::add_worker`], serving its metrics on a port of its own (`metricsListen`);
    /// read them with [`Cluster::worker_metrics`].
    pub fn add_worker_with_metrics(&mut self, n: usize, env: &[(&str, &str)]) {
        let listen = format!("127.0.0.1:{}", free_port());
        let mut env = env.to_vec();
        env.push(("SCHEDD_METRICS_LISTEN", &listen));
        self.add_worker(n, &env);
    }

    /// Worker `i`'s `/metrics`, parsed; it must have been added with
    /// [`Cluster::add_worker_with_metrics`].
    pub fn worker_metrics(&self, i: usize) -> testkit::openmetrics::Exposition {
        let worker = &self.workers[i];
        let addr = worker
            .env
            .iter()
            .find(|(k, _)| k == "SCHEDD_METRICS_LISTEN")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or_else(|| panic!("{} serves no metrics", worker.id));
        let answer = testkit::http::get(addr, "/metrics");
        assert_eq!(answer.status, 200, "/metrics of {}", worker.id);
        let text = String::from_utf8_lossy(&answer.body);
        testkit::openmetrics::parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    /// Sets `key` in the environment worker `i` starts with next.
    pub fn set_worker_env(&mut self, i: usize, key: &str, value: &str) {
        let env = &mut self.workers[i].env;
        env.retain(|(k, _)| k != key);
        env.push((key.to_owned(), value.to_owned()));
    }

    /// Starts worker `i` again (same id, same spool) after it stopped.
    pub fn restart_worker(&mut self, i: usize) {
        let (id, env) = (self.workers[i].id.clone(), self.workers[i].env.clone());
        self.workers[i] = self.spawn_worker(&id, env);
    }

    /// Waits until `n` workers are registered in etcd.
    pub fn wait_for_workers(&self, n: usize) {
        eventually(&format!("{n} workers registered"), DEADLINE, || {
            (self.registered().len() >= n).then_some(())
        });
    }

    pub fn registered(&self) -> Vec<String> {
        self.worker_entries()
            .kvs()
            .iter()
            .map(|kv| kv.key_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// What etcd holds under `workers/`.
    fn worker_entries(&self) -> etcd_client::GetResponse {
        self.rt.block_on(async {
            let mut client = self.etcd.client().await;
            client
                .get(
                    "/cron/workers/",
                    Some(etcd_client::GetOptions::new().with_prefix()),
                )
                .await
                .expect("list workers")
        })
    }

    /// Each registered worker's entry, by worker id.
    pub fn registrations(&self) -> BTreeMap<String, Registration> {
        self.worker_entries()
            .kvs()
            .iter()
            .map(|kv| {
                let key = kv.key_str().unwrap_or_default();
                let id = key.strip_prefix("/cron/workers/").unwrap_or(key);
                (
                    id.to_owned(),
                    Registration {
                        lease: kv.lease(),
                        create_revision: kv.create_revision(),
                    },
                )
            })
            .collect()
    }

    /// The keys of the markers of runs going on (`running/<job>/<execution>`); a run's
    /// marker goes when its worker releases it, after its record is handed over.
    pub fn run_markers(&self) -> Vec<String> {
        self.rt.block_on(async {
            let mut client = self.etcd.client().await;
            let resp = client
                .get(
                    "/cron/running/",
                    Some(
                        etcd_client::GetOptions::new()
                            .with_prefix()
                            .with_keys_only(),
                    ),
                )
                .await
                .expect("list run markers");
            resp.kvs()
                .iter()
                .map(|kv| kv.key_str().unwrap_or_default().to_owned())
                .collect()
        })
    }

    /// Writes a job straight into etcd, as the old Go master did.
    /// Asks for a run of `job` now (until the master accepts) and waits until its run
    /// marker shows it running; returns its execution id.
    pub fn run_until_running(&self, job: &str) -> String {
        let mut api = self.jobs();
        let run = eventually(&format!("run-now of {job} accepted"), DEADLINE, || {
            self.rt
                .block_on(api.run_job(pb::RunJobRequest { name: job.into() }))
                .ok()
        })
        .into_inner();
        eventually(&format!("{job} is running"), DEADLINE, || {
            self.rt.block_on(async {
                let mut etcd = self.etcd.client().await;
                let key = format!("/cron/running/{job}/{}", run.execution_id);
                let resp = etcd.get(key, None).await.ok()?;
                (!resp.kvs().is_empty()).then_some(())
            })
        });
        run.execution_id
    }

    pub fn put_job(&self, job: serde_json::Value) {
        let name = job["name"].as_str().expect("job name").to_owned();
        self.put_raw(&format!("/cron/jobs/{name}"), &job.to_string());
    }

    pub fn put_raw(&self, key: &str, value: &str) {
        self.rt.block_on(async {
            let mut client = self.etcd.client().await;
            client.put(key, value, None).await.expect("put");
        });
    }

    pub fn jobs(&self) -> pb::job_service_client::JobServiceClient<tonic::transport::Channel> {
        self.rt
            .block_on(pb::job_service_client::JobServiceClient::connect(
                self.api.clone(),
            ))
            .expect("connect to the master")
    }

    /// The API's channel (over TLS when the master serves it).
    pub fn channel(&self) -> tonic::transport::Channel {
        self.rt
            .block_on(endpoint(&self.api, self.ca.as_deref()).connect())
            .expect("connect to the master")
    }

    /// Every execution record in the master's store.
    pub fn records(&self) -> Vec<Rec> {
        let Some(conn) = self.master_db() else {
            return Vec::new();
        };
        let mut stmt = conn
            .prepare(
                "SELECT execution_id, job_name, plan_time_ms, status, trigger, worker_id, error, \
                 start_time_ms, end_time_ms, parent_execution_id FROM executions",
            )
            .expect("query");
        stmt.query_map([], |r| {
            Ok(Rec {
                execution_id: r.get(0)?,
                job: r.get(1)?,
                plan_ms: r.get(2)?,
                status: r.get(3)?,
                trigger: r.get(4)?,
                worker: r.get(5)?,
                error: r.get(6)?,
                start_ms: r.get(7)?,
                end_ms: r.get(8)?,
                parent: r.get(9)?,
            })
        })
        .expect("records")
        .collect::<Result<_, _>>()
        .expect("read records")
    }

    /// Records per (job, tick), for ticks in `[from_ms, to_ms)`.
    pub fn by_tick(&self, from_ms: i64, to_ms: i64) -> BTreeMap<(String, i64), Vec<Rec>> {
        let mut map: BTreeMap<(String, i64), Vec<Rec>> = BTreeMap::new();
        for r in self.records() {
            if r.plan_ms >= from_ms && r.plan_ms < to_ms {
                map.entry((r.job.clone(), r.plan_ms)).or_default().push(r);
            }
        }
        map
    }

    pub fn worker_log(&self, i: usize) -> String {
        std::fs::read_to_string(&self.workers[i].log).unwrap_or_default()
    }

    pub fn master_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("master.log")).unwrap_or_default()
    }

    /// Sends SIGTERM to worker `i` and returns at once.
    pub fn term_worker(&mut self, i: usize) {
        if let Ok(pid) = i32::try_from(self.workers[i].child.id()) {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGTERM,
            );
        }
    }

    /// Whether worker `i` has exited.
    pub fn worker_exited(&mut self, i: usize) -> bool {
        matches!(self.workers[i].child.try_wait(), Ok(Some(_)))
    }

    /// Sends SIGTERM to worker `i` and waits for it to exit.
    pub fn stop_worker(&mut self, i: usize) {
        signal(
            &mut self.workers[i].child,
            nix::sys::signal::Signal::SIGTERM,
        );
    }

    /// SIGSTOP: worker `i` freezes (its runs' processes, in groups of their own, go on).
    pub fn pause_worker(&mut self, i: usize) {
        self.signal_worker(i, nix::sys::signal::Signal::SIGSTOP);
    }

    /// SIGCONT: worker `i` resumes.
    pub fn resume_worker(&mut self, i: usize) {
        self.signal_worker(i, nix::sys::signal::Signal::SIGCONT);
    }

    fn signal_worker(&mut self, i: usize, sig: nix::sys::signal::Signal) {
        let pid = i32::try_from(self.workers[i].child.id()).expect("a pid");
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), sig).expect("signal the worker");
    }

    /// SIGKILL: the worker gets no chance to clean up.
    pub fn kill_worker(&mut self, i: usize) {
        let _ = self.workers[i].child.kill();
        let _ = self.workers[i].child.wait();
    }

    /// SIGKILL: the master gets no chance to clean up (records it took but had not written
    /// yet die with it); returns once it has exited.
    pub fn kill_master(&mut self) {
        if let Some(mut master) = self.master.take() {
            let _ = master.kill();
            let _ = master.wait();
        }
    }

    /// The master's store, read-only; `None` before the master created it.
    pub fn master_db(&self) -> Option<rusqlite::Connection> {
        let db = self.dir.path().join("master-data").join("schedd.db");
        if !db.exists() {
            return None;
        }
        let conn =
            rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .expect("open the master's database");
        conn.busy_timeout(Duration::from_secs(10))
            .expect("busy timeout");
        Some(conn)
    }

    /// Each stored record's stdout, by execution id.
    pub fn outputs(&self) -> BTreeMap<String, String> {
        let Some(conn) = self.master_db() else {
            return BTreeMap::new();
        };
        let mut stmt = conn
            .prepare("SELECT execution_id, output FROM executions")
            .expect("query");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("outputs")
            .collect::<Result<_, _>>()
            .expect("read outputs")
    }

    /// The runs going on now, from their markers (`running/<job>/<execution>`).
    pub fn running_now(&self) -> Vec<Marker> {
        self.rt.block_on(async {
            let mut client = self.etcd.client().await;
            let resp = client
                .get(
                    "/cron/running/",
                    Some(etcd_client::GetOptions::new().with_prefix()),
                )
                .await
                .expect("list run markers");
            resp.kvs()
                .iter()
                .map(|kv| Marker::decode(kv.value()))
                .collect()
        })
    }

    /// Every run marker ever written, from etcd's history: each run a worker started under a
    /// claim, going on or long ended.
    pub fn marker_history(&self) -> Vec<Marker> {
        let mut markers = BTreeMap::new();
        for (_, value) in self.put_history("/cron/running/") {
            let m = Marker::decode(&value);
            markers.entry(m.execution_id.clone()).or_insert(m);
        }
        markers.into_values().collect()
    }

    /// Every tick ever claimed (`claims/<job>/<tick>`), from etcd's history: who claimed it,
    /// whether it then ran it or recorded it skipped.
    pub fn claim_history(&self) -> Vec<Claim> {
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Value {
            worker_id: String,
            execution_id: String,
        }
        let mut claims = BTreeMap::new();
        for (key, value) in self.put_history("/cron/claims/") {
            let Some((job, tick)) = key
                .strip_prefix("/cron/claims/")
                .and_then(|k| k.rsplit_once('/'))
            else {
                continue;
            };
            let v: Value = serde_json::from_slice(&value).expect("a claim");
            let tick_ms: i64 = tick.parse().expect("a claimed tick");
            claims
                .entry((job.to_owned(), tick_ms))
                .or_insert_with(|| Claim {
                    job: job.to_owned(),
                    tick_ms,
                    worker: v.worker_id,
                    execution_id: v.execution_id,
                });
        }
        claims.into_values().collect()
    }

    /// Every value put under `prefix`, with its key, oldest first. The test etcd never
    /// compacts its history, so a watch from revision 1 replays it all; it is read up to the
    /// revision current when called.
    fn put_history(&self, prefix: &str) -> Vec<(String, Vec<u8>)> {
        self.rt.block_on(async {
            let mut client = self.etcd.client().await;
            let upto = client
                .get(
                    prefix,
                    Some(etcd_client::GetOptions::new().with_count_only()),
                )
                .await
                .expect("read the current revision")
                .header()
                .expect("a response header")
                .revision();
            let mut stream = client
                .watch(
                    prefix,
                    Some(
                        etcd_client::WatchOptions::new()
                            .with_prefix()
                            .with_start_revision(1),
                    ),
                )
                .await
                .unwrap_or_else(|e| panic!("watch the history of {prefix}: {e}"));
            let mut puts = Vec::new();
            loop {
                // Past the history, the watch is quiet: a progress request is answered, with
                // the revision the watch has caught up to, once it is at the present (etcd
                // ignores it before).
                let message = match tokio::time::timeout(
                    Duration::from_millis(500),
                    stream.message(),
                )
                .await
                {
                    Ok(message) => {
                        message.unwrap_or_else(|e| panic!("the history of {prefix}: {e}"))
                    }
                    Err(_) => {
                        stream.request_progress().await.expect("ask for progress");
                        continue;
                    }
                };
                let Some(resp) = message else {
                    panic!("etcd closed the watch of {prefix}")
                };
                assert!(
                    !resp.canceled(),
                    "the watch of {prefix} was cancelled: {}",
                    resp.cancel_reason()
                );
                for event in resp.events() {
                    if event.event_type() == etcd_client::EventType::Put
                        && let Some(kv) = event.kv()
                    {
                        puts.push((
                            kv.key_str().unwrap_or_default().to_owned(),
                            kv.value().to_vec(),
                        ));
                    }
                }
                let at = resp.header().map_or(0, |h| h.revision());
                if resp.events().is_empty() && !resp.created() && at >= upto {
                    break;
                }
            }
            puts
        })
    }

    /// Prints the logs of every process; for failing tests.
    #[allow(clippy::print_stderr)]
    pub fn dump_logs(&self) {
        eprintln!("==== master\n{}", self.master_log());
        for (i, w) in self.workers.iter().enumerate() {
            eprintln!("==== {}\n{}", w.id, self.worker_log(i));
        }
    }
}

fn signal(child: &mut Child, sig: nix::sys::signal::Signal) {
    if let Ok(pid) = i32::try_from(child.id()) {
        let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), sig);
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while std::time::Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
}

impl Drop for Cluster {
    /// Stops the processes, saying in the test's log how long each took (and, after a
    /// failure, what each logged).
    #[allow(clippy::print_stderr)]
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.dump_logs();
        }
        let started = std::time::Instant::now();
        for w in &mut self.workers {
            if let Ok(None) = w.child.try_wait() {
                signal(&mut w.child, nix::sys::signal::Signal::SIGTERM);
            }
            eprintln!("{} stopped after {:?}", w.id, started.elapsed());
        }
        if self.master.is_some() {
            self.stop_master();
            eprintln!("master stopped after {:?}", started.elapsed());
        }
    }
}

/// Waits until every (job, tick) in `ticks` has a record, and returns the records by tick.
/// On timeout, names the ticks without one.
pub fn wait_for_ticks(
    c: &Cluster,
    jobs: &[String],
    ticks: &[i64],
) -> BTreeMap<(String, i64), Vec<Rec>> {
    wait_for_ticks_within(c, jobs, ticks, DEADLINE)
}

/// [`wait_for_ticks`], failing after `within` instead of [`DEADLINE`]: for ticks whose runs
/// are known to wait their turn for a while.
pub fn wait_for_ticks_within(
    c: &Cluster,
    jobs: &[String],
    ticks: &[i64],
    within: Duration,
) -> BTreeMap<(String, i64), Vec<Rec>> {
    let (from, to) = (ticks[0], ticks[ticks.len() - 1] + 1);
    let deadline = std::time::Instant::now() + within;
    loop {
        let got = c.by_tick(from, to);
        let missing: Vec<(&String, i64)> = jobs
            .iter()
            .flat_map(|j| ticks.iter().map(move |t| (j, *t)))
            .filter(|(j, t)| !got.contains_key(&((*j).clone(), *t)))
            .collect();
        if missing.is_empty() {
            return got;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{} of {} ticks have no record after {within:?}, e.g. {:?}",
            missing.len(),
            jobs.len() * ticks.len(),
            &missing[..missing.len().min(10)]
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Fails if any tick ran (or was recorded) more than once; returns the runs per worker.
pub fn assert_once(got: &BTreeMap<(String, i64), Vec<Rec>>) -> BTreeMap<String, usize> {
    let mut per_worker = BTreeMap::new();
    for ((job, tick), recs) in got {
        assert_eq!(
            recs.len(),
            1,
            "tick {tick} of {job} has {} records: {recs:#?}",
            recs.len()
        );
        *per_worker.entry(recs[0].worker.clone()).or_insert(0) += 1;
    }
    per_worker
}

/// Asserts that every tick in `got` ran successfully.
pub fn assert_all_success(got: &BTreeMap<(String, i64), Vec<Rec>>) {
    for ((job, tick), recs) in got {
        assert_eq!(
            recs[0].status, "success",
            "tick {tick} of {job}: {:?}",
            recs[0]
        );
    }
}

/// Now, in Unix milliseconds.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The whole seconds in `[from_ms, to_ms)`, in milliseconds.
pub fn seconds_between(from_ms: i64, to_ms: i64) -> Vec<i64> {
    let first = (from_ms + 999) / 1000 * 1000;
    (first..to_ms).step_by(1000).collect()
}

/// A job running every second.
pub fn every_second(name: &str, command: &str) -> serde_json::Value {
    serde_json::json!({
        "name": name,
        "command": command,
        "cronExpr": "* * * * * *",
        "timeout": 0,
        "disabled": false,
        "createdAt": 1_700_000_000,
        "updatedAt": 1_700_000_000,
    })
}

/// Fails if two of `runs` (of one job) overlapped in time.
pub fn assert_no_overlap<'r>(runs: impl Iterator<Item = &'r Rec> + Clone) {
    for a in runs.clone() {
        for b in runs.clone() {
            assert!(
                a.execution_id == b.execution_id
                    || a.end_ms <= b.start_ms
                    || b.end_ms <= a.start_ms,
                "two runs of {} at once: {a:?} and {b:?}",
                a.job
            );
        }
    }
}

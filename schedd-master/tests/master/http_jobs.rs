//! HTTP jobs end to end in embedded mode: saved through REST and gRPC, run against a real
//! server on loopback, their records read back through both.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use schedd_proto::v1 as pb;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::embedded::{finished_record, rest, rest_data, save, watch_executions};
use crate::harness::Master;
use schedd_proto::v1::event_service_client::EventServiceClient;

/// A loopback HTTP/1.1 server: `/ok` answers 200, `/fail` 500 with the body `boom`, and
/// `/slow` reads the request and never answers. Each request's head and body are kept.
struct Server {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    async fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&seen);
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut conn, _)) = listener.accept().await else {
                    return;
                };
                let kept = Arc::clone(&kept);
                tokio::spawn(async move {
                    let (head, body) = crate::loopback::read_request(&mut conn).await;
                    let request = format!("{head}\r\n\r\n{body}");
                    kept.lock().expect("lock").push(request.clone());
                    let answer = if request.starts_with("POST /ok")
                        || request.starts_with("GET /ok")
                    {
                        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 8\r\n\r\nall good"
                    } else if request.contains(" /fail") {
                        "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\nboom"
                    } else {
                        // `/slow`: hold the connection until the client gives up.
                        let mut rest = Vec::new();
                        let _ = conn.read_to_end(&mut rest).await;
                        return;
                    };
                    let _ = conn.write_all(answer.as_bytes()).await;
                    let _ = conn.shutdown().await;
                });
            }
        });
        Server { addr, seen, task }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().expect("lock").clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn http_job(name: &str, http: pb::HttpRequest) -> pb::Job {
    pb::Job {
        name: name.into(),
        // Never on its own: each test asks for its runs.
        cron_expr: "0 0 0 1 1 *".into(),
        timeout_seconds: 60,
        http: Some(http),
        ..Default::default()
    }
}

/// Runs the job now and returns its finished record.
async fn run_once(
    m: &Master,
    events: &mut tonic::Streaming<pb::Event>,
    name: &str,
) -> pb::ExecutionRecord {
    let id = m
        .jobs()
        .run_job(pb::RunJobRequest { name: name.into() })
        .await
        .expect("run")
        .into_inner()
        .execution_id;
    let record = finished_record(events, name).await;
    assert_eq!(record.execution_id, id, "the record of the run asked for");
    record
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_http_job_succeeds_on_200_fails_on_500_with_the_body_and_times_out_on_a_slow_server() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    let server = Server::start().await;
    let mut events = watch_executions(&m).await;

    // 200: success. Saved through REST, as the web UI saves it; the request carries the
    // method, the headers and the body, and the record shows no secret.
    let url = format!("{}?token=s3cret&page=1", server.url("/ok"));
    let saved = rest_data(
        &m,
        "POST",
        "/api/v1/job/save",
        Some(serde_json::json!({
            "name": "ping-ok", "command": "", "cronExpr": "0 0 0 1 1 *",
            "http": {"method": "POST", "url": url, "body": "{\"hello\":1}",
                     "headers": {"Authorization": "Bearer s3cret", "Content-Type": "application/json"},
                     "expectStatus": 200}
        })),
    )
    .await;
    assert_eq!(
        saved["http"]["url"],
        url.as_str(),
        "the job is stored whole: {saved}"
    );
    let ok = run_once(&m, &mut events, "ping-ok").await;
    assert_eq!(ok.status, pb::ExecutionStatus::Success as i32, "{ok:?}");
    assert_eq!(ok.exit_code, 200);
    assert!(ok.output.starts_with("HTTP/1.1 200 OK\n"), "{}", ok.output);
    assert!(ok.output.ends_with("\n\nall good"), "{}", ok.output);
    assert!(ok.command.starts_with("POST http://"), "{}", ok.command);
    assert!(
        ok.command.contains("token=***") && !ok.command.contains("s3cret"),
        "{}",
        ok.command
    );
    let sent = server.seen();
    let request = sent
        .iter()
        .find(|r| r.starts_with("POST /ok"))
        .expect("the server was called");
    assert!(
        request.starts_with("POST /ok?token=s3cret&page=1 HTTP/1.1\r\n"),
        "{request}"
    );
    assert!(
        request.contains("authorization: Bearer s3cret")
            || request.contains("Authorization: Bearer s3cret"),
        "{request}"
    );
    assert!(request.ends_with("\r\n\r\n{\"hello\":1}"), "{request}");

    // 500: a failure, with the body in the record. Saved through gRPC.
    save(
        &m,
        http_job(
            "ping-fail",
            pb::HttpRequest {
                url: server.url("/fail"),
                ..Default::default()
            },
        ),
    )
    .await
    .expect("saved");
    let failed = run_once(&m, &mut events, "ping-fail").await;
    assert_eq!(
        failed.status,
        pb::ExecutionStatus::Failed as i32,
        "{failed:?}"
    );
    assert_eq!(failed.exit_code, 500);
    assert!(failed.output.ends_with("boom"), "{}", failed.output);
    assert!(
        failed.error.contains("HTTP 500") && failed.error.contains("expected 2xx"),
        "{}",
        failed.error
    );

    // A server that never answers: the request's own timeout ends the run.
    save(
        &m,
        http_job(
            "ping-slow",
            pb::HttpRequest {
                url: server.url("/slow"),
                timeout_seconds: 1,
                ..Default::default()
            },
        ),
    )
    .await
    .expect("saved");
    let slow = run_once(&m, &mut events, "ping-slow").await;
    assert_eq!(slow.status, pb::ExecutionStatus::Timeout as i32, "{slow:?}");
    assert!(slow.is_timeout);
    assert!(slow.error.contains("timed out after"), "{}", slow.error);

    // The same records through REST.
    let page = rest_data(&m, "GET", "/api/v1/log/list?jobName=ping-fail", None).await;
    let logs = page["logs"].as_array().expect("logs");
    assert_eq!(logs.len(), 1, "{page}");
    assert_eq!(logs[0]["exitCode"], 500);
    assert_eq!(logs[0]["status"], "failed");
    m.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_http_job_is_refused_by_name_and_stores_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    let cases = [
        (
            serde_json::json!({"url": "http://127.0.0.1/", "method": "FETCH"}),
            "http.method",
        ),
        (serde_json::json!({"url": "ftp://127.0.0.1/"}), "scheme"),
        (
            serde_json::json!({"url": "http://127.0.0.1/", "headers": {"X-A": "a\r\nB: c"}}),
            "control character",
        ),
        (
            serde_json::json!({"url": "http://127.0.0.1/", "expectStatus": [42]}),
            "not an HTTP status",
        ),
    ];
    for (http, want) in cases {
        let answer = rest(
            &m,
            "POST",
            "/api/v1/job/save",
            Some(serde_json::json!({"name": "bad", "command": "", "cronExpr": "* * * * *", "http": http})),
        )
        .await;
        assert_eq!(answer["code"], 1001, "{answer}");
        let message = answer["message"].as_str().unwrap_or_default();
        assert!(message.contains(want), "want {want:?} in {message:?}");
    }
    let both = save(
        &m,
        pb::Job {
            command: "true".into(),
            ..http_job(
                "bad",
                pb::HttpRequest {
                    url: "http://127.0.0.1/".into(),
                    ..Default::default()
                },
            )
        },
    )
    .await
    .expect_err("refused");
    assert_eq!(both.code(), tonic::Code::InvalidArgument);
    assert!(both.message().contains("not both"), "{}", both.message());
    let listed = m
        .jobs()
        .list_jobs(pb::ListJobsRequest::default())
        .await
        .expect("list")
        .into_inner();
    assert!(listed.jobs.is_empty(), "nothing was stored: {listed:?}");
    m.stop().await;
}

/// The audit trail keeps no secret of an HTTP job (its URL's and its headers'), yet shows
/// that one changed: each is kept as a digest.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_trail_hides_an_http_jobs_secrets_and_still_shows_them_change() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = Master::start(dir.path()).await;
    let call = |secret: &str| {
        http_job(
            "hook",
            pb::HttpRequest {
                url: format!("https://example.com/hook?token={secret}&page=1"),
                headers: [("Authorization".to_owned(), format!("Bearer {secret}"))].into(),
                ..Default::default()
            },
        )
    };
    save(&m, call("first-secret")).await.expect("saved");
    save(&m, call("second-secret")).await.expect("saved");
    let entries =
        schedd_proto::v1::audit_service_client::AuditServiceClient::new(m.channel.clone())
            .list_audit(pb::ListAuditRequest {
                target: "hook".into(),
                ..Default::default()
            })
            .await
            .expect("audit")
            .into_inner()
            .entries;
    assert_eq!(entries.len(), 2, "{entries:?}");
    let text = format!("{entries:?}");
    assert!(
        !text.contains("first-secret") && !text.contains("second-secret"),
        "a secret in the audit trail: {text}"
    );
    let http = |e: &pb::AuditEntry| e.after.as_ref().and_then(|j| j.http.clone()).expect("http");
    let (newer, older) = (http(&entries[0]), http(&entries[1]));
    assert!(
        newer.headers["Authorization"].starts_with("Bearer sha256:"),
        "{newer:?}"
    );
    assert!(
        newer.url.contains("page=1") && newer.url.contains("token=sha256"),
        "{newer:?}"
    );
    assert_ne!(
        newer.headers, older.headers,
        "a changed secret shows as a change"
    );
    assert_ne!(newer.url, older.url);
    m.stop().await;
}

/// Only an admin, who may save jobs, reads an HTTP job's secrets back; a viewer or an
/// operator gets the job with them hidden, through gRPC, REST and the event stream alike.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_an_admin_reads_an_http_jobs_secrets_back() {
    use crate::embedded::{access, as_caller};
    use schedd_master::auth::Role;
    let dir = tempfile::tempdir().expect("tempdir");
    let (tokens, plain) = access::tokens(dir.path());
    let mut cfg = schedd_master::embedded::DevConfig::new(dir.path());
    cfg.tokens = tokens;
    let m = Master::start_with(cfg).await;
    let token = |role| access::token(&plain, role);
    let secret = "hush-7f3a";
    let job = http_job(
        "hook",
        pb::HttpRequest {
            url: format!("https://example.com/hook?token={secret}"),
            headers: [("X-Api-Key".to_owned(), secret.to_owned())].into(),
            ..Default::default()
        },
    );
    let viewer = token(Role::Viewer);
    let mut events = EventServiceClient::new(m.channel.clone())
        .watch(as_caller(
            pb::WatchRequest {
                jobs: true,
                ..Default::default()
            },
            &viewer,
            "test",
        ))
        .await
        .expect("watch")
        .into_inner();
    m.jobs()
        .save_job(as_caller(
            pb::SaveJobRequest {
                job: Some(job),
                expected_revision: None,
            },
            &token(Role::Admin),
            "test",
        ))
        .await
        .expect("an admin saves it");

    let get = |role| {
        let mut jobs = m.jobs();
        let token = token(role);
        async move {
            jobs.get_job(as_caller(
                pb::GetJobRequest {
                    name: "hook".into(),
                },
                &token,
                "test",
            ))
            .await
            .expect("get")
            .into_inner()
            .job
            .and_then(|j| j.http)
            .expect("http")
        }
    };
    let whole = get(Role::Admin).await;
    assert!(
        whole.url.ends_with(secret) && whole.headers["X-Api-Key"] == secret,
        "{whole:?}"
    );
    for role in [Role::Viewer, Role::Operator] {
        let shown = get(role).await;
        assert!(shown.url.ends_with("token=***"), "{role:?}: {shown:?}");
        assert_eq!(shown.headers["X-Api-Key"], "***", "{role:?}");
    }
    // An operator may disable the job, and gets it back with its secrets hidden.
    let toggled = m
        .jobs()
        .disable_job(as_caller(
            pb::DisableJobRequest {
                name: "hook".into(),
            },
            &token(Role::Operator),
            "test",
        ))
        .await
        .expect("an operator disables it")
        .into_inner()
        .job
        .and_then(|j| j.http)
        .expect("http");
    assert_eq!(toggled.headers["X-Api-Key"], "***", "{toggled:?}");
    let listed = m
        .jobs()
        .list_jobs(as_caller(pb::ListJobsRequest::default(), &viewer, "test"))
        .await
        .expect("list")
        .into_inner();
    assert!(!format!("{listed:?}").contains(secret), "{listed:?}");

    // REST, as the web UI reads jobs.
    let addr = m.addr;
    let (rest_viewer, rest_admin) = tokio::task::spawn_blocking({
        let (viewer, admin) = (viewer.clone(), token(Role::Admin));
        move || {
            let get = |token: &str| {
                let auth = format!("Bearer {token}");
                testkit::http::request_with(
                    addr,
                    "GET",
                    "/api/v1/job/hook",
                    &[("Authorization", &auth)],
                    None,
                )
                .json()
            };
            (get(&viewer), get(&admin))
        }
    })
    .await
    .expect("REST");
    assert!(!rest_viewer.to_string().contains(secret), "{rest_viewer}");
    assert_eq!(rest_viewer["data"]["http"]["headers"]["X-Api-Key"], "***");
    assert_eq!(rest_admin["data"]["http"]["headers"]["X-Api-Key"], secret);

    // The viewer's event stream carried the saved job with its secrets hidden.
    let saved = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        loop {
            let ev = events
                .message()
                .await
                .expect("stream ok")
                .expect("stream open");
            if let Some(pb::event::Event::Job(j)) = ev.event {
                return j;
            }
        }
    })
    .await
    .expect("the job's event in time");
    assert!(!format!("{saved:?}").contains(secret), "{saved:?}");
    m.stop().await;
}

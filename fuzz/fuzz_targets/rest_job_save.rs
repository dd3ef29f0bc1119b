//! The body of `POST /api/v1/job/save`, the old system's save route that its web UI and
//! scripts call, sent through the master's real REST router over a real SQLite store.
//!
//! Checked beyond "no panic": every answer is the `{code, message, data}` envelope with
//! HTTP 200 (or 413 for an oversized body); the server accepts exactly the bodies that are
//! a JSON object decoding to a job that validates (decoded here with plain `serde_json`
//! and checked with `Job::validate`, independently of the handler's path-tracking decoder);
//! an accepted job comes back as sent, with only the cluster's zone and the server's
//! timestamps filled in, and `GET /api/v1/job/{name}` then returns the same job. Each saved
//! job is deleted again, so every input starts from an empty store.
#![no_main]

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use chrono::DateTime;
use chrono_tz::Tz;
use libfuzzer_sys::fuzz_target;
use schedd_core::store::{AuditLog, Coordinator, JobStore, LogStore};
use schedd_core::{Clock, FakeClock, Job};
use schedd_master::service::{Backends, Info, Live, Services};
use schedd_store::{LocalCoordinator, SqliteStore};
use serde_json::Value;
use tower::ServiceExt;

/// What every input is run against, made once per fuzzing process.
struct Harness {
    runtime: tokio::runtime::Runtime,
    router: Router,
    /// The store's directory, removed when the process ends.
    _dir: tempfile::TempDir,
}

/// The server's clock: `createdAt` and `updatedAt` of every saved job.
const NOW: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        // On tmpfs where there is one: SQLite syncs every save, which a disk makes the
        // cost of each input.
        let dir = match tempfile::tempdir_in("/dev/shm") {
            Ok(dir) => dir,
            Err(_) => tempfile::tempdir().expect("a temporary directory"),
        };
        let store = SqliteStore::open(dir.path().join("schedd.db")).expect("open SQLite");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let clock: Arc<dyn Clock> = Arc::new(FakeClock::new(
            DateTime::from_timestamp(NOW, 0).expect("in range"),
        ));
        let jobs: Arc<dyn JobStore> = Arc::new(store.clone());
        let logs: Arc<dyn LogStore> = Arc::new(store.clone());
        let audit: Arc<dyn AuditLog> = Arc::new(store);
        let coordinator: Arc<dyn Coordinator> = Arc::new(LocalCoordinator::new());
        let router = {
            let _inside = runtime.enter();
            let services = Services::new(
                Backends {
                    jobs,
                    logs,
                    audit,
                    coordinator,
                    clock,
                },
                Tz::UTC,
                (Duration::from_secs(9), Duration::from_secs(86_400)),
                Live::new(tokio_util::sync::CancellationToken::new()),
                Info {
                    version: "fuzz",
                    mode: "embedded",
                    default_timezone: "UTC".to_owned(),
                    started_at: DateTime::from_timestamp(NOW, 0).expect("in range"),
                },
                prometheus_client::registry::Registry::default(),
            );
            schedd_master::rest::router(&services)
        };
        Harness {
            runtime,
            router,
            _dir: dir,
        }
    })
}

/// Sends one request; the status and the envelope of the answer.
async fn call(router: &Router, method: Method, uri: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .expect("a well-formed request");
    let response = router
        .clone()
        .oneshot(request)
        .await
        .expect("the router is infallible");
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("the answer's body");
    let envelope: Value = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
        panic!(
            "{uri}: the answer is not JSON ({e}): {}",
            String::from_utf8_lossy(&bytes)
        )
    });
    assert!(
        envelope["code"].is_i64() && envelope["message"].is_string(),
        "{uri}: not the envelope: {envelope}"
    );
    (status, envelope)
}

/// The job the service would store for this body, decoded and checked without the
/// handler's code: `None` when the save must be refused.
fn expected_job(body: &[u8]) -> Option<Job> {
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return None;
    }
    let mut job: Job = serde_json::from_slice(body).ok()?;
    if job.timezone.is_empty() {
        job.timezone = "UTC".to_owned();
    }
    job.validate(Tz::UTC).ok()?;
    job.created_at = NOW;
    job.updated_at = NOW;
    Some(job)
}

fuzz_target!(|data: &[u8]| {
    let h = harness();
    let expected = expected_job(data);
    h.runtime.block_on(async {
        let (status, envelope) =
            call(&h.router, Method::POST, "/api/v1/job/save", data.to_vec()).await;
        let code = envelope["code"].as_i64().expect("checked by call");
        let Some(expected) = expected else {
            assert_ne!(
                code, 0,
                "accepted a body that should be refused: {envelope}"
            );
            assert!(
                status == StatusCode::OK || status == StatusCode::PAYLOAD_TOO_LARGE,
                "{status}: {envelope}"
            );
            return;
        };
        assert_eq!(status, StatusCode::OK, "{envelope}");
        assert_eq!(code, 0, "refused a job that validates: {envelope}");
        let saved: Job =
            serde_json::from_value(envelope["data"].clone()).expect("the saved job decodes");
        assert_eq!(saved, expected, "the saved job differs from the one sent");

        // Names are letters, digits, `.`, `_` and `-`: a path segment as they are.
        let uri = format!("/api/v1/job/{}", expected.name);
        let (_, got) = call(&h.router, Method::GET, &uri, Vec::new()).await;
        let got: Job = serde_json::from_value(got["data"].clone()).expect("the stored job decodes");
        assert_eq!(got, expected, "the stored job differs from the one saved");
        let (_, deleted) = call(&h.router, Method::DELETE, &uri, Vec::new()).await;
        assert_eq!(deleted["code"], 0, "{deleted}");
    });
});

//! The OpenAPI 3 document of the REST bridge, generated from the handlers' annotations and
//! served at `/api/v1/openapi.json`; `docs/openapi.json` is a committed copy that a test
//! keeps current.
//!
//! Jobs and records are the domain's own serde types (their JSON is the old system's
//! format, with custom parts), and the domain crate stays free of API annotations, so their
//! schemas are described here by [`JobSchema`] and [`RecordSchema`]. Tests compare both with
//! what the types really serialise to, so the description cannot drift from the wire.

use std::collections::BTreeMap;

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::OpenApi;

use super::{audit, events, jobs, logs, workers};

/// A job: the old system's fields, then schedd's. Fields not listed are kept as they are.
#[derive(Debug, utoipa::ToSchema)]
#[schema(as = Job)]
#[allow(dead_code)] // A description, never built.
#[serde(rename_all = "camelCase")]
pub struct JobSchema {
    /// `^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`; not `list`, `running`, `all`, `next`, `save`,
    /// `stats` or `tail`.
    name: String,
    /// Run with `sh -c`. Empty for an HTTP job (one with `http`).
    command: String,
    /// 5, 6 (seconds first) or 7 fields, `@daily`…, `@every 90s`, an optional `TZ=` prefix.
    cron_expr: String,
    /// Seconds; 0 for none.
    #[schema(default = 0)]
    timeout: Option<i64>,
    #[schema(default = false)]
    disabled: Option<bool>,
    /// Unix seconds; set by the master.
    created_at: Option<i64>,
    /// Unix seconds; set by the master.
    updated_at: Option<i64>,
    /// An IANA zone; the cluster's default when empty.
    timezone: Option<String>,
    /// What a tick does while the previous run goes on: `allow`, `forbid` or `replace`.
    overlap: Option<String>,
    retries: Option<u32>,
    retry_backoff_ms: Option<u64>,
    /// Worker labels a worker must have to run the job.
    selector: Option<BTreeMap<String, String>>,
    env: Option<BTreeMap<String, String>>,
    description: Option<String>,
    max_output_bytes: Option<u64>,
    catch_up_seconds: Option<u64>,
    jitter_ms: Option<u64>,
    /// Set instead of `command`: the job makes this request on each run.
    http: Option<HttpSchema>,
    /// Jobs started when a run succeeds (after its retries); each must exist, and none may
    /// lead back to this one.
    on_success: Option<Vec<String>>,
    /// Jobs started when a run fails or times out (after its retries).
    on_failure: Option<Vec<String>>,
    /// `one` (the default) or `all`: every online worker matching the selector runs each
    /// tick, with `SCHEDD_SHARD_INDEX` and `SCHEDD_SHARD_TOTAL` set.
    #[schema(default = "one")]
    run_on: Option<String>,
    /// Webhooks told about this job's runs; none: the cluster's default ones.
    notify: Option<Vec<WebhookSchema>>,
    /// Seconds a run is expected to take: past it, an `overdue` notice goes out.
    #[schema(default = 0)]
    expected_seconds: Option<u64>,
}

/// A webhook: each notice is POSTed to `url` as JSON (see the README for its fields).
#[derive(Debug, utoipa::ToSchema)]
#[schema(as = Webhook)]
#[allow(dead_code)] // A description, never built.
pub struct WebhookSchema {
    /// An `http` or `https` URL.
    url: String,
    headers: Option<BTreeMap<String, String>>,
    /// `failure`, `timeout`, `recovery`, `skipped`, `lost`, `overdue`; absent: failure,
    /// timeout, recovery and lost.
    on: Option<Vec<String>>,
}

/// One notice's delivery to one webhook.
#[derive(Debug, utoipa::ToSchema)]
#[schema(as = Delivery)]
#[allow(dead_code)] // A description, never built.
#[serde(rename_all = "camelCase")]
pub struct DeliverySchema {
    /// `failure`, `timeout`, `recovery`, `skipped`, `lost` or `overdue`.
    event: String,
    /// The webhook's URL, its secrets hidden.
    url: String,
    /// Whether a 2xx answer came.
    delivered: bool,
    attempts: u32,
    /// The last answer's status; 0 when none came.
    status: u16,
    /// Why the last attempt failed.
    error: Option<String>,
    /// When the delivery ended, unix milliseconds.
    at_ms: i64,
}

/// The request of an HTTP job. A run succeeds when the response has an expected status; its
/// record's output is the status line, the headers and the body (bounded by
/// `maxOutputBytes`), its exit code the status.
#[derive(Debug, utoipa::ToSchema)]
#[schema(as = HttpRequest)]
#[allow(dead_code)] // A description, never built.
#[serde(rename_all = "camelCase")]
pub struct HttpSchema {
    /// `GET`, `HEAD`, `POST`, `PUT`, `PATCH`, `DELETE` or `OPTIONS`.
    #[schema(default = "GET")]
    method: Option<String>,
    /// An `http` or `https` URL. Redirects are not followed.
    url: String,
    headers: Option<BTreeMap<String, String>>,
    body: Option<String>,
    /// Statuses that count as success (a number or a list); any 2xx when absent.
    expect_status: Option<Vec<u16>>,
    /// Seconds; 0 (the default): the job's `timeout` bounds the request.
    #[schema(default = 0)]
    timeout: Option<u64>,
}

/// An execution record: the old system's document (times in unix seconds), then schedd's.
#[derive(Debug, utoipa::ToSchema)]
#[schema(as = ExecutionRecord)]
#[allow(dead_code)] // A description, never built.
#[serde(rename_all = "camelCase")]
pub struct RecordSchema {
    job_name: String,
    command: String,
    output: String,
    error: String,
    plan_time: i64,
    schedule_time: i64,
    start_time: i64,
    end_time: i64,
    exit_code: i32,
    is_timeout: bool,
    worker_ip: String,
    execution_id: String,
    stderr: String,
    plan_time_ms: i64,
    schedule_time_ms: i64,
    start_time_ms: i64,
    end_time_ms: i64,
    worker_id: String,
    /// `schedule`, `manual`, `retry`, `catch-up` or `dependency`.
    trigger: String,
    attempt: u32,
    output_truncated: bool,
    /// `running`, `success`, `failed`, `timeout`, `killed`, `skipped` or `lost`.
    status: String,
    /// The run whose end started this one (trigger `dependency`).
    parent_execution_id: Option<String>,
    /// The notices about this run and how their delivery went.
    notifications: Option<Vec<DeliverySchema>>,
}

/// Who made a change and from where.
#[derive(Debug, utoipa::ToSchema)]
#[schema(as = Actor)]
#[allow(dead_code)] // A description, never built.
pub struct ActorSchema {
    /// The token's name (`anonymous` without tokens); for token changes, `user@host`.
    name: String,
    /// The token's role; empty for token changes.
    role: String,
    /// The caller's `ip:port`, or the tokens file.
    source: String,
    /// The program, by its `x-schedd-client` header or its user agent.
    client: String,
}

/// One change, or attempt at one.
#[derive(Debug, utoipa::ToSchema)]
#[schema(as = AuditEntry)]
#[allow(dead_code)] // A description, never built.
#[serde(rename_all = "camelCase")]
pub struct AuditEntrySchema {
    id: String,
    /// Unix milliseconds.
    at: i64,
    actor: ActorSchema,
    /// `save`, `delete`, `enable`, `disable`, `run`, `kill`, `token-create` or `token-revoke`.
    action: String,
    /// The job's name, or the token's.
    target: String,
    /// `done`, `failed`, or `pending` (recorded before the change; its end never was).
    outcome: String,
    /// Why a failed change was not made.
    error: Option<String>,
    /// A run's execution id, a token's role.
    detail: Option<String>,
    /// The job before (none for a new job).
    before: Option<JobSchema>,
    /// The job after (none once deleted; for a failed save, the job asked for).
    after: Option<JobSchema>,
}

#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "schedd REST API",
        description = "The old system's REST API, kept exactly, with schedd's additions. \
            Every answer is {\"code\", \"message\", \"data\"}; application errors keep HTTP 200 \
            (1000 failure, 1001 bad parameter, 1002 job does not exist, 1003 kill failed, \
            2000 system error, 2001 log store error).",
    ),
    servers((url = "/api/v1")),
    paths(
        jobs::save, jobs::delete, jobs::list, jobs::get, jobs::kill, jobs::disable,
        jobs::enable, jobs::running, jobs::run, jobs::next_of_job, jobs::next_of_expression,
        logs::list, logs::running, logs::latest, logs::at, logs::stats, logs::stats_all,
        workers::list, workers::stats, events::watch, events::tail, super::info, audit::list,
    ),
    components(schemas(
        JobSchema, HttpSchema, WebhookSchema, DeliverySchema, RecordSchema, jobs::RunJson, jobs::NextJson, logs::LogListJson,
        logs::StatsJson, workers::WorkerJson, workers::WorkerStatsJson, super::InfoJson,
        ActorSchema, AuditEntrySchema, audit::AuditListJson,
    )),
    tags(
        (name = "jobs"), (name = "logs"), (name = "workers"),
        (name = "live", description = "Server-sent events"), (name = "other"),
    ),
)]
pub struct ApiDoc;

/// The document, pretty-printed (as committed in `docs/openapi.json`).
pub fn json() -> String {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the OpenAPI document serialises");
    nullable_envelope_data(&mut doc);
    serde_json::to_string_pretty(&doc).expect("the OpenAPI document serialises")
}

/// Marks each envelope's `data` as possibly `null` (it is, on every error). utoipa inlines
/// a generic field's schema and drops the field's own `nullable` when it does, so this is
/// done on the finished document.
fn nullable_envelope_data(doc: &mut serde_json::Value) {
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(serde_json::Value::as_object_mut)
    else {
        return;
    };
    for (name, schema) in schemas.iter_mut() {
        if !name.starts_with("Envelope_") {
            continue;
        }
        if let Some(data) = schema.pointer_mut("/properties/data") {
            let inner = data.take();
            // anyOf: an unconstrained `data` matches null as well.
            *data = serde_json::json!({"anyOf": [{"type": "null"}, inner]});
        }
        if let Some(required) = schema
            .get_mut("required")
            .and_then(serde_json::Value::as_array_mut)
            && !required.iter().any(|r| r == "data")
        {
            required.push("data".into());
        }
    }
}

/// `GET /api/v1/openapi.json`.
pub async fn document() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], json())
}

#[cfg(test)]
mod tests {
    use super::*;
    use schedd_core::{ExecutionRecord, Job};

    fn schema_properties(name: &str) -> Vec<String> {
        let doc: serde_json::Value = serde_json::from_str(&json()).expect("json");
        let props = &doc["components"]["schemas"][name]["properties"];
        let mut keys: Vec<String> = props
            .as_object()
            .unwrap_or_else(|| panic!("schema {name} has properties"))
            .keys()
            .cloned()
            .collect();
        keys.sort();
        keys
    }

    fn serialised_keys<T: serde::Serialize>(value: &T) -> Vec<String> {
        let v = serde_json::to_value(value).expect("serialises");
        let mut keys: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
        keys.sort();
        keys
    }

    #[test]
    fn the_job_schema_names_every_field_a_job_is_written_with() {
        // Every optional field set, so none is skipped when serialising.
        let mut job = Job::new("a", "true", "* * * * * *");
        job.timezone = "UTC".into();
        job.overlap = schedd_core::Overlap::Replace;
        job.retries = 1;
        job.retry_backoff_ms = 1;
        job.selector.insert("k".into(), "v".into());
        job.env.insert("K".into(), "v".into());
        job.description = "d".into();
        job.max_output_bytes = 1;
        job.catch_up_seconds = 1;
        job.jitter_ms = 1;
        let http = schedd_core::HttpSpec {
            method: "POST".into(),
            url: "http://a/".into(),
            headers: [("A".to_owned(), "b".to_owned())].into(),
            body: "b".into(),
            expect_status: vec![200],
            timeout: 1,
        };
        job.http = Some(http.clone());
        job.on_success = vec!["b".into()];
        job.on_failure = vec!["c".into()];
        job.run_on = schedd_core::RunOn::All;
        let hook = schedd_core::notify::Webhook {
            url: "http://a/".into(),
            headers: [("A".to_owned(), "b".to_owned())].into(),
            on: vec![schedd_core::notify::NoticeKind::Lost],
        };
        job.notify = vec![hook.clone()];
        job.expected_seconds = 1;
        assert_eq!(schema_properties("Job"), serialised_keys(&job));
        assert_eq!(schema_properties("Webhook"), serialised_keys(&hook));
        assert_eq!(schema_properties("HttpRequest"), serialised_keys(&http));
    }

    #[test]
    fn the_record_schema_names_every_field_a_record_is_written_with() {
        let delivery = schedd_core::notify::Delivery {
            error: "e".into(),
            ..Default::default()
        };
        let record = ExecutionRecord {
            parent_execution_id: "p".into(),
            notifications: vec![delivery.clone()],
            ..Default::default()
        };
        assert_eq!(
            schema_properties("ExecutionRecord"),
            serialised_keys(&record)
        );
        assert_eq!(schema_properties("Delivery"), serialised_keys(&delivery));
    }

    #[test]
    fn the_audit_schema_names_every_field_an_entry_is_written_with() {
        let mut entry = schedd_core::AuditEntry::pending(
            chrono::Utc::now(),
            schedd_core::Actor::default(),
            schedd_core::AuditAction::Save,
            "a",
        );
        entry.error = "e".into();
        entry.detail = "d".into();
        entry.before = Some(Job::new("a", "true", "* * * * * *"));
        entry.after = entry.before.clone();
        assert_eq!(schema_properties("AuditEntry"), serialised_keys(&entry));
        assert_eq!(
            schema_properties("Actor"),
            serialised_keys(&schedd_core::Actor::default())
        );
    }

    /// `docs/openapi.json` is the served document; `SCHEDD_REGENERATE=1` rewrites it.
    #[test]
    fn the_committed_document_is_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/openapi.json");
        let want = json() + "\n";
        if std::env::var_os("SCHEDD_REGENERATE").is_some() {
            std::fs::write(&path, &want).expect("write docs/openapi.json");
            return;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "docs/openapi.json is stale; run SCHEDD_REGENERATE=1 cargo test -p schedd-master openapi"
        );
    }
}

//! Hostile jobs, one table for every surface that takes a job (gRPC, REST, `schedctl` flags
//! and `apply` files): each case is the job as the REST API and job files write it (JSON,
//! which is also YAML), what it is, and words one of which the refusal must contain (lower
//! case), so a test can check that the error names what is wrong.

use serde_json::{Value, json};

/// One hostile job.
#[derive(Debug, Clone)]
pub struct HostileJob {
    pub what: &'static str,
    pub job: Value,
    pub words: &'static [&'static str],
}

/// The table. Every job is a valid one (`ok`, every second, `true`) with one field made
/// hostile.
pub fn jobs() -> Vec<HostileJob> {
    let base = json!({"name": "ok", "cronExpr": "* * * * * *", "command": "true"});
    let with = |patch: Value| {
        let mut b = base.clone();
        for (k, v) in patch.as_object().expect("a patch is an object") {
            b[k] = v.clone();
        }
        b
    };
    let many: serde_json::Map<String, Value> =
        (0..1000).map(|i| (format!("k{i}"), json!("v"))).collect();
    let case = |what, job, words| HostileJob { what, job, words };
    vec![
        case(
            "a name with a slash",
            with(json!({"name": "a/b"})),
            &["name"],
        ),
        case("a name of dots", with(json!({"name": ".."})), &["name"]),
        case(
            "a name with NUL",
            with(json!({"name": "a\u{0}b"})),
            &["name"],
        ),
        case("a unicode name", with(json!({"name": "jöb-ü"})), &["name"]),
        case(
            "a name of 200 bytes",
            with(json!({"name": "a".repeat(200)})),
            &["name"],
        ),
        case("an empty name", with(json!({"name": ""})), &["name"]),
        case(
            "a command of 10 MB",
            with(json!({"command": "x".repeat(10 << 20)})),
            &["large", "limit", "length", "command"],
        ),
        case(
            "a command of 100 KiB",
            with(json!({"command": "x".repeat(100 << 10)})),
            &["command"],
        ),
        case(
            "a command with NUL",
            with(json!({"command": "echo a\u{0}b"})),
            &["nul"],
        ),
        case(
            "a command of unicode spaces only",
            with(json!({"command": "\u{3000}\u{2003}"})),
            &["command"],
        ),
        case(
            "a cron expression of 1,000 fields",
            with(json!({"cronExpr": "* ".repeat(1000)})),
            &["cron"],
        ),
        case(
            "a cron value past u64",
            with(json!({"cronExpr": "99999999999999999999 * * * * *"})),
            &["cron"],
        ),
        case(
            "a negative cron value",
            with(json!({"cronExpr": "-1 * * * * *"})),
            &["cron"],
        ),
        case(
            "an empty cron expression",
            with(json!({"cronExpr": ""})),
            &["cron"],
        ),
        case(
            "a negative timeout",
            with(json!({"timeout": -5})),
            &["timeout"],
        ),
        case(
            "a timeout of i64::MAX",
            with(json!({"timeout": i64::MAX})),
            &["timeout"],
        ),
        case(
            "u32::MAX retries",
            with(json!({"retries": u32::MAX})),
            &["retries"],
        ),
        case(
            "2^40 retries",
            with(json!({"retries": 1u64 << 40})),
            &["retries"],
        ),
        case(
            "a catch-up window of u64::MAX",
            with(json!({"catchUpSeconds": u64::MAX})),
            &["catch"],
        ),
        case(
            "a negative output bound",
            with(json!({"maxOutputBytes": -1})),
            &["maxoutputbytes"],
        ),
        case(
            "a jitter of u64::MAX",
            with(json!({"jitterMs": u64::MAX})),
            &["jitter"],
        ),
        case(
            "a timeout as text",
            with(json!({"timeout": "soon"})),
            &["timeout"],
        ),
        case(
            "an unknown zone",
            with(json!({"timezone": "Mars/Olympus"})),
            &["timezone"],
        ),
        case(
            "a zone of 10,000 bytes",
            with(json!({"timezone": "Z".repeat(10_000)})),
            &["timezone"],
        ),
        case(
            "an env name with =",
            with(json!({"env": {"A=B": "x"}})),
            &["env"],
        ),
        case(
            "an env value with NUL",
            with(json!({"env": {"K": "a\u{0}b"}})),
            &["nul"],
        ),
        case(
            "a selector of 1,000 entries",
            with(json!({"selector": many})),
            &["selector"],
        ),
        case(
            "a description of 100 KiB",
            with(json!({"description": "d".repeat(100 << 10)})),
            &["description"],
        ),
    ]
}

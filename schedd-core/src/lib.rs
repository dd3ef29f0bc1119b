//! The schedd domain. Everything here is plain data and rules: job definitions and their
//! validation, the cron dialect, execution records, worker descriptions, the clock, and the
//! storage traits that the backends in `schedd-store` implement. No network, no files: the
//! master, the worker and `schedctl` all build on this crate and translate at their edges.

pub mod audit;
pub mod clock;
pub mod config;
pub mod dependency;
pub mod describe;
pub mod event;
pub mod execution;
pub mod http;
pub mod job;
pub mod name;
pub mod notify;
pub mod schedule;
pub mod store;
pub mod worker;

pub use audit::{Actor, AuditAction, AuditEntry, AuditOutcome};
pub use clock::{Clock, FakeClock, OffsetClock, SystemClock};
pub use event::{Event, EventHub, OutputChunk, OutputStream};
pub use execution::{
    ExecutionRecord, ExecutionStatus, STREAM_RECORD_OUTPUT, Trigger, new_execution_id,
    truncation_marker,
};
pub use http::HttpSpec;
pub use job::{Job, JobError, Overlap, RunOn};
pub use name::{JobName, NameError};
pub use schedule::{Schedule, ScheduleError};
pub use worker::WorkerInfo;

/// Milliseconds since the Unix epoch of `t`.
pub fn unix_ms(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp_millis()
}

/// The instant `ms` milliseconds after the Unix epoch (clamped to chrono's range).
pub fn from_unix_ms(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

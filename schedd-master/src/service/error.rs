//! The services' one error type. Each adapter maps it with one exhaustive match, without
//! reading messages: gRPC to a status (`grpc::to_status`), REST to the old system's codes
//! (`rest::ApiError`).

use std::fmt;

use schedd_core::store::StoreError;
use schedd_core::{JobError, NameError};

/// Which backing store an operation reached: the REST bridge reports a log store that is
/// down with its own code (2001), apart from other system errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Jobs: etcd in a cluster, SQLite embedded.
    Jobs,
    /// Execution records: MongoDB or SQLite.
    Logs,
    /// Workers, kill signals and run-now requests.
    Coordinator,
    /// The audit trail: beside the execution records.
    Audit,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Jobs => "job store",
            Backend::Logs => "log store",
            Backend::Coordinator => "coordinator",
            Backend::Audit => "audit trail",
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Bad input; the message names the field.
    #[error("{0}")]
    Invalid(String),
    #[error("job `{0}` not found")]
    JobNotFound(String),
    /// An execution record that does not exist (the job may).
    #[error("{0}")]
    RecordNotFound(String),
    /// The job changed meanwhile (an expected revision did not match, or it kept changing).
    #[error("{0}")]
    Conflict(String),
    /// A store could not be reached; trying again later may work.
    #[error("{source}")]
    Unavailable {
        backend: Backend,
        #[source]
        source: StoreError,
    },
    /// A store holds data it cannot read.
    #[error("{source}")]
    Corrupt {
        backend: Backend,
        #[source]
        source: StoreError,
    },
}

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

impl ServiceError {
    /// `e`, which `backend` answered.
    pub fn store(backend: Backend, e: StoreError) -> ServiceError {
        match e {
            StoreError::NotFound(name) => ServiceError::JobNotFound(name),
            StoreError::Conflict { .. } => ServiceError::Conflict(e.to_string()),
            StoreError::Unavailable(_) => ServiceError::Unavailable { backend, source: e },
            StoreError::Corrupt(_) => ServiceError::Corrupt { backend, source: e },
        }
    }
}

/// Names the store a result came from: `store.get(name).await.on(Backend::Jobs)?`.
pub trait StoreResultExt<T> {
    fn on(self, backend: Backend) -> Result<T>;
}

impl<T> StoreResultExt<T> for std::result::Result<T, StoreError> {
    fn on(self, backend: Backend) -> Result<T> {
        self.map_err(|e| ServiceError::store(backend, e))
    }
}

impl From<JobError> for ServiceError {
    fn from(e: JobError) -> Self {
        ServiceError::Invalid(e.to_string())
    }
}

impl From<NameError> for ServiceError {
    fn from(e: NameError) -> Self {
        ServiceError::Invalid(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_keep_what_the_adapters_tell_apart() {
        let e = ServiceError::store(Backend::Jobs, StoreError::NotFound("a".into()));
        assert!(matches!(&e, ServiceError::JobNotFound(n) if n == "a"));
        assert_eq!(e.to_string(), "job `a` not found");
        let e = ServiceError::store(Backend::Logs, StoreError::Unavailable("down".into()));
        assert!(matches!(
            e,
            ServiceError::Unavailable {
                backend: Backend::Logs,
                ..
            }
        ));
        let conflict = StoreError::Conflict {
            name: "a".into(),
            expected: 1,
            found: 2,
        };
        assert!(matches!(
            ServiceError::store(Backend::Jobs, conflict),
            ServiceError::Conflict(_)
        ));
        let e = ServiceError::store(Backend::Logs, StoreError::Corrupt("x".into()));
        assert!(matches!(e, ServiceError::Corrupt { .. }));
    }
}

//! The services' one error type, and its mapping to gRPC statuses (the REST bridge will map
//! the same enum to HTTP statuses and the old system's codes).

use schedd_core::store::StoreError;
use schedd_core::{JobError, NameError};

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Unavailable(String),
    #[error("{0}")]
    Internal(String),
}

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(_) => ServiceError::NotFound(e.to_string()),
            StoreError::Conflict { .. } => ServiceError::Conflict(e.to_string()),
            StoreError::Unavailable(_) => ServiceError::Unavailable(e.to_string()),
            StoreError::Corrupt(_) => ServiceError::Internal(e.to_string()),
        }
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

pub fn to_status(e: ServiceError) -> tonic::Status {
    match e {
        ServiceError::Invalid(m) => tonic::Status::invalid_argument(m),
        ServiceError::NotFound(m) => tonic::Status::not_found(m),
        ServiceError::Conflict(m) => tonic::Status::aborted(m),
        ServiceError::Unavailable(m) => tonic::Status::unavailable(m),
        ServiceError::Internal(m) => tonic::Status::internal(m),
    }
}

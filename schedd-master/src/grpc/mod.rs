//! The gRPC adapter (`schedd.v1`): each handler converts the request, calls a service, and
//! converts the answer; errors are mapped once, by [`to_status`]. No behaviour lives here:
//! the REST bridge ([`crate::rest`]) calls the same service functions.

mod audit;
mod events;
mod info;
mod ingest;
mod jobs;
mod logs;
mod relay;
mod workers;

pub use audit::AuditApi;
pub use events::EventApi;
pub use info::InfoApi;
pub use ingest::IngestApi;
pub use jobs::JobApi;
pub use logs::LogApi;
pub use relay::RelayApi;
pub use workers::WorkerApi;

use std::pin::Pin;

use tokio_stream::Stream;
use tonic::{Response, Status};

use crate::service::{FellBehind, ServiceError};

type Reply<T> = Result<Response<T>, Status>;

/// A server stream of `T`.
type ServerStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send>>;

/// The status for a service error: one exhaustive match, no message reading.
pub fn to_status(e: ServiceError) -> Status {
    let message = e.to_string();
    match e {
        ServiceError::Invalid(_) => Status::invalid_argument(message),
        ServiceError::JobNotFound(_) | ServiceError::RecordNotFound(_) => {
            Status::not_found(message)
        }
        ServiceError::Conflict(_) => Status::aborted(message),
        ServiceError::Unavailable { .. } => Status::unavailable(message),
        ServiceError::Corrupt { .. } => Status::internal(message),
    }
}

/// The last item of a stream whose client fell behind (see [`crate::service::Outboxes`]):
/// `RESOURCE_EXHAUSTED`, which a client answers by calling again and re-reading what it
/// shows. Not `UNAVAILABLE`: the master is fine, and this client alone was too slow.
fn fell_behind(e: FellBehind) -> Status {
    Status::resource_exhausted(e.to_string())
}

/// Who made `req`, for the audit trail (see [`crate::auth::actor`]).
fn actor<T>(req: &tonic::Request<T>) -> schedd_core::Actor {
    crate::auth::actor(req.extensions(), &req.metadata().clone().into_headers())
}

fn invalid(message: impl Into<String>) -> Status {
    to_status(ServiceError::Invalid(message.into()))
}

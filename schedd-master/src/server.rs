//! The listener: gRPC services, health and reflection, the REST bridge under `/api/v1` and
//! the web UI at `/`, all on one address. gRPC clients speak HTTP/2; browsers and `curl`
//! speak HTTP/1.1 or HTTP/2; requests are routed by path. Taking the listener and a shutdown
//! future makes tests on port 0 and graceful stops the same code path.

use std::future::Future;

use schedd_proto::v1 as pb;
use tokio::net::TcpListener;
use tonic::service::Routes;
use tonic::transport::server::TcpIncoming;

use crate::auth::{self, Tokens};
use crate::grpc::{AuditApi, EventApi, InfoApi, IngestApi, JobApi, LogApi, RelayApi, WorkerApi};
use crate::service::Services;
use crate::tls::TlsFiles;

/// Largest request the master accepts: bounds what one call can make it allocate.
pub const MAX_REQUEST_BYTES: usize = 1024 * 1024;

/// Largest ingest request: a worker's batch of execution records, each with up to
/// `maxOutputBytes` of stdout and of stderr (256 KiB each by default), so far above
/// [`MAX_REQUEST_BYTES`]. Workers split their batches to stay well under it.
pub const MAX_INGEST_REQUEST_BYTES: usize = 64 * 1024 * 1024;

/// Who may reach the listener, and how: the tokens callers present, and TLS.
#[derive(Debug, Clone, Default)]
pub struct Security {
    pub tokens: Tokens,
    pub tls: Option<TlsFiles>,
}

pub async fn serve(
    listener: TcpListener,
    services: Services,
    security: Security,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let Security { tokens, tls } = security;
    let (health_reporter, health) = tonic_health::server::health_reporter();
    health_reporter
        .set_serving::<pb::job_service_server::JobServiceServer<JobApi>>()
        .await;
    let reflection = || {
        tonic_reflection::server::Builder::configure()
            .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
            .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
    };
    // v1alpha too: Python's grpcio-reflection, Postman and older grpcurl speak only that.
    let (reflection, reflection_v1alpha) =
        (reflection().build_v1()?, reflection().build_v1alpha()?);
    let s = &services;
    let routes = Routes::from(crate::rest::router(s))
        .add_service(health)
        .add_service(reflection)
        .add_service(reflection_v1alpha)
        .add_service(
            pb::job_service_server::JobServiceServer::new(JobApi::new(s))
                .max_decoding_message_size(MAX_REQUEST_BYTES),
        )
        .add_service(
            pb::log_service_server::LogServiceServer::new(LogApi::new(s))
                .max_decoding_message_size(MAX_REQUEST_BYTES),
        )
        .add_service(
            pb::ingest_service_server::IngestServiceServer::new(IngestApi::new(s))
                .max_decoding_message_size(MAX_INGEST_REQUEST_BYTES),
        )
        .add_service(
            pb::relay_service_server::RelayServiceServer::new(RelayApi::new(s))
                .max_decoding_message_size(MAX_INGEST_REQUEST_BYTES),
        )
        .add_service(
            pb::worker_service_server::WorkerServiceServer::new(WorkerApi::new(s))
                .max_decoding_message_size(MAX_REQUEST_BYTES),
        )
        .add_service(pb::info_service_server::InfoServiceServer::new(
            InfoApi::new(s),
        ))
        .add_service(pb::event_service_server::EventServiceServer::new(
            EventApi::new(s),
        ))
        .add_service(pb::audit_service_server::AuditServiceServer::new(
            AuditApi::new(s),
        ));
    // Every route, gRPC and REST alike, passes the same check of who may call it.
    let routes = Routes::from(
        routes
            .into_axum_router()
            .layer(axum::middleware::from_fn_with_state(tokens, auth::check)),
    );
    let mut server = tonic::transport::Server::builder();
    if let Some(tls) = &tls {
        server = server.tls_config(tls.server_config()?)?;
    }
    server
        // The REST bridge and the web UI are reached with HTTP/1.1 as well.
        .accept_http1(true)
        .add_routes(routes.prepare())
        // Without TCP_NODELAY every small answer waits for the peer's delayed ACK (about
        // 40 ms per call); `serve_with_incoming` ignores the builder's own nodelay setting.
        .serve_with_incoming_shutdown(
            TcpIncoming::from(listener).with_nodelay(Some(true)),
            shutdown,
        )
        .await?;
    Ok(())
}

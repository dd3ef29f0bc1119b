//! The listener: gRPC services, health and reflection on one address. Taking the listener
//! and a shutdown future makes tests on port 0 and graceful stops the same code path.

use std::future::Future;

use schedd_proto::v1 as pb;
use tokio::net::TcpListener;
use tonic::transport::server::TcpIncoming;

use crate::grpc::{EventApi, InfoApi, IngestApi, JobApi, LogApi, WorkerApi};
use crate::live::RelayApi;
use crate::{Master, service};

/// Largest request the master accepts: bounds what one call can make it allocate.
pub const MAX_REQUEST_BYTES: usize = 1024 * 1024;

/// Largest ingest request: a worker's batch of execution records, each with up to
/// `maxOutputBytes` of stdout and of stderr (256 KiB each by default), so far above
/// [`MAX_REQUEST_BYTES`]. Workers split their batches to stay well under it.
pub const MAX_INGEST_REQUEST_BYTES: usize = 64 * 1024 * 1024;

pub async fn serve(
    listener: TcpListener,
    master: Master,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let (health_reporter, health) = tonic_health::server::health_reporter();
    health_reporter
        .set_serving::<pb::job_service_server::JobServiceServer<JobApi>>()
        .await;
    let reflection = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1()?;
    let service::Services {
        jobs,
        logs,
        workers,
    } = master.services;
    let relayed = master.live.as_ref().map(|l| l.relayed.clone());
    let ingest_api = IngestApi {
        logs: logs.clone(),
        events: master.events.clone(),
        relayed: relayed.clone(),
    };
    let relay_api = RelayApi {
        events: master.events.clone(),
        output: master.output.clone(),
        relayed: relayed.unwrap_or_default(),
        shutdown: master.shutdown.clone(),
    };
    let log_api = LogApi {
        logs,
        jobs: jobs.clone(),
        events: master.events.clone(),
        output: master.output,
        followers: master.live.map(|l| l.followers),
        shutdown: master.shutdown.clone(),
    };
    tonic::transport::Server::builder()
        .add_service(health)
        .add_service(reflection)
        .add_service(
            pb::job_service_server::JobServiceServer::new(JobApi(jobs))
                .max_decoding_message_size(MAX_REQUEST_BYTES),
        )
        .add_service(
            pb::log_service_server::LogServiceServer::new(log_api)
                .max_decoding_message_size(MAX_REQUEST_BYTES),
        )
        .add_service(
            pb::ingest_service_server::IngestServiceServer::new(ingest_api)
                .max_decoding_message_size(MAX_INGEST_REQUEST_BYTES),
        )
        .add_service(
            pb::relay_service_server::RelayServiceServer::new(relay_api)
                .max_decoding_message_size(MAX_INGEST_REQUEST_BYTES),
        )
        .add_service(
            pb::worker_service_server::WorkerServiceServer::new(WorkerApi(workers))
                .max_decoding_message_size(MAX_REQUEST_BYTES),
        )
        .add_service(pb::info_service_server::InfoServiceServer::new(InfoApi(
            master.info,
        )))
        .add_service(pb::event_service_server::EventServiceServer::new(
            EventApi {
                events: master.events,
                shutdown: master.shutdown,
            },
        ))
        // Without TCP_NODELAY every small answer waits for the peer's delayed ACK (about
        // 40 ms per call); `serve_with_incoming` ignores the builder's own nodelay setting.
        .serve_with_incoming_shutdown(
            TcpIncoming::from(listener).with_nodelay(Some(true)),
            shutdown,
        )
        .await?;
    Ok(())
}

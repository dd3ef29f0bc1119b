//! The `schedd.v1` gRPC API: the generated messages, clients and servers, and the
//! conversions between them and the domain types of `schedd-core`. Conversions live here,
//! once, so the master, the worker and `schedctl` agree on them.

// Generated code: it follows prost's conventions, not this workspace's lints.
#[allow(missing_debug_implementations, clippy::all, clippy::pedantic)]
pub mod v1 {
    tonic::include_proto!("schedd.v1");

    /// The encoded file descriptor set, served by gRPC reflection.
    pub const FILE_DESCRIPTOR_SET: &[u8] =
        tonic::include_file_descriptor_set!("schedd_v1_descriptor");
}

mod convert;

pub use convert::*;

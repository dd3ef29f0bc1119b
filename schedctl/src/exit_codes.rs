//! `schedctl`'s exit codes, in one place so scripts can rely on them.
//!
//! | code | meaning |
//! |------|---------|
//! | 0 | success (also when stdout was closed early, e.g. `schedctl job list \| head -1`) |
//! | 1 | any other error: invalid input rejected by the server, internal server error, bad reply |
//! | 2 | usage error: unknown flag, missing argument, bad flag value (reported by clap) |
//! | 3 | not found: the job, the record, or the named context does not exist (gRPC `NotFound`) |
//! | 4 | conflict: the state changed under us or forbids the action (`Aborted`, `AlreadyExists`, `FailedPrecondition`) |
//! | 5 | the master is unreachable or did not answer in time (`Unavailable`, `DeadlineExceeded`, `Cancelled`, connection failure) |
//! | 6 | denied: no valid token (`Unauthenticated`), or the token's role does not allow it (`PermissionDenied`) |
//!
//! Codes 3-6 exist so a script can tell "retry later" (5) and "someone else changed it" (4)
//! from "you asked for something that is not there" (3) without parsing messages.

use crate::client::ClientError;

pub const OK: i32 = 0;
pub const ERROR: i32 = 1;
/// What clap returns for usage errors; named here so the table above is complete.
pub const USAGE: i32 = 2;
pub const NOT_FOUND: i32 = 3;
pub const CONFLICT: i32 = 4;
pub const UNAVAILABLE: i32 = 5;
pub const DENIED: i32 = 6;

/// The exit code for a gRPC status code.
pub fn for_code(code: tonic::Code) -> i32 {
    use tonic::Code;
    // Exhaustive on purpose: a new code in tonic must be placed here by a human.
    match code {
        Code::Ok => OK,
        Code::NotFound => NOT_FOUND,
        Code::Aborted | Code::AlreadyExists | Code::FailedPrecondition => CONFLICT,
        // tonic reports its own client-side timeouts as `Cancelled`; nothing in schedctl
        // cancels a call otherwise, so it means "no answer in time" like a deadline.
        Code::Unavailable | Code::DeadlineExceeded | Code::Cancelled => UNAVAILABLE,
        Code::Unauthenticated | Code::PermissionDenied => DENIED,
        Code::InvalidArgument
        | Code::OutOfRange
        | Code::Unknown
        | Code::Internal
        | Code::Unimplemented
        | Code::ResourceExhausted
        | Code::DataLoss => ERROR,
    }
}

/// The exit code for an error that reached `main`.
pub fn for_error(err: &anyhow::Error) -> i32 {
    match err.chain().find_map(|e| e.downcast_ref::<ClientError>()) {
        Some(ClientError::Unreachable { .. } | ClientError::NoAnswer { .. }) => UNAVAILABLE,
        Some(ClientError::Rpc { code, .. }) => for_code(*code),
        Some(ClientError::BadEndpoint { .. }) => USAGE,
        None => ERROR,
    }
}

/// Whether the error is stdout going away under us, which is not worth a message.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;
    use tonic::Code;

    #[test]
    fn every_grpc_code_maps_to_its_documented_exit_code() {
        let cases = [
            (Code::Ok, OK),
            (Code::Cancelled, UNAVAILABLE),
            (Code::Unknown, ERROR),
            (Code::InvalidArgument, ERROR),
            (Code::DeadlineExceeded, UNAVAILABLE),
            (Code::NotFound, NOT_FOUND),
            (Code::AlreadyExists, CONFLICT),
            (Code::PermissionDenied, DENIED),
            (Code::ResourceExhausted, ERROR),
            (Code::FailedPrecondition, CONFLICT),
            (Code::Aborted, CONFLICT),
            (Code::OutOfRange, ERROR),
            (Code::Unimplemented, ERROR),
            (Code::Internal, ERROR),
            (Code::Unavailable, UNAVAILABLE),
            (Code::DataLoss, ERROR),
            (Code::Unauthenticated, DENIED),
        ];
        for (code, want) in cases {
            assert_eq!(for_code(code), want, "{code:?}");
        }
    }

    #[test]
    fn a_status_keeps_its_exit_code_under_context() {
        let status = tonic::Status::not_found("job `x` not found");
        let err = anyhow::Error::new(ClientError::from_status(status, "http://h:1"))
            .context("while doing something");
        assert_eq!(for_error(&err), NOT_FOUND);
        let conflict = anyhow::Error::new(ClientError::from_status(
            tonic::Status::aborted("revision changed"),
            "http://h:1",
        ));
        assert_eq!(for_error(&conflict), CONFLICT);
    }

    #[test]
    fn connection_failures_and_timeouts_are_unavailable() {
        let unreachable = anyhow::Error::new(ClientError::Unreachable {
            endpoint: "http://h:1".into(),
            reason: "connection refused".into(),
        });
        assert_eq!(for_error(&unreachable), UNAVAILABLE);
        let slow = anyhow::Error::new(ClientError::NoAnswer {
            endpoint: "http://h:1".into(),
            after: std::time::Duration::from_secs(10),
        });
        assert_eq!(for_error(&slow), UNAVAILABLE);
    }

    #[test]
    fn other_errors_are_plain_failures_and_broken_pipes_are_recognised() {
        assert_eq!(for_error(&anyhow::anyhow!("server sent no job")), ERROR);
        let pipe: anyhow::Result<()> =
            Err(std::io::Error::from(std::io::ErrorKind::BrokenPipe)).context("writing to stdout");
        let pipe = pipe.expect_err("an error");
        assert!(is_broken_pipe(&pipe));
        assert!(!is_broken_pipe(&anyhow::anyhow!("other")));
    }
}

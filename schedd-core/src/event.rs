//! Events for watchers (`schedctl dashboard`, the gRPC `Watch` stream): what changed in jobs,
//! executions and workers. Events say what happened; a watcher that falls behind re-reads
//! the state instead of trusting a partial stream.

use crate::execution::ExecutionRecord;
use crate::store::JobChange;
use crate::worker::WorkerInfo;

/// Which stream of a running command some output came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputStream {
    Stdout,
    Stderr,
}

/// Output of a running execution, as it is produced (for `log tail -f`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputChunk {
    pub execution_id: String,
    pub job_name: String,
    pub stream: OutputStream,
    pub data: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Job(JobChange),
    /// A run started; the record has status `Running` and no end time.
    ExecutionStarted(ExecutionRecord),
    /// A run ended and its record is stored.
    ExecutionFinished(ExecutionRecord),
    Worker {
        info: WorkerInfo,
        online: bool,
    },
    /// Events were lost upstream: watchers must re-read what they show.
    Resync,
}

//! The log sink: takes finished execution records from the runner and writes them to the
//! log store in batches. Batches form by themselves: the sink writes whatever has arrived
//! (up to `logBatchSize`) as soon as the previous write is done, so an idle system writes a
//! record at once and a busy one writes large batches. A failed write is retried with
//! backoff until it succeeds: a store outage delays records, it never drops them, and while
//! it lasts the bounded channel in front of the sink slows the runner down.

use std::sync::Arc;
use std::time::Duration;

use schedd_core::store::LogStore;
use schedd_core::{Event, EventHub, ExecutionRecord};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

#[derive(Debug, Clone)]
pub struct SinkConfig {
    /// `logBatchSize`: most records per write.
    pub batch_size: usize,
}

const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// How long a stopping worker keeps retrying a failing store before it gives up on the
/// records it holds (and says which), rather than never exiting.
pub const SHUTDOWN_DRAIN: Duration = Duration::from_secs(10);

/// Runs until every sender of `rx` is gone and everything received is stored. Once
/// `shutdown` is cancelled, a store that keeps failing is retried for [`SHUTDOWN_DRAIN`],
/// then the records still held are logged by id and dropped.
pub async fn run(
    mut rx: mpsc::Receiver<ExecutionRecord>,
    store: Arc<dyn LogStore>,
    cfg: SinkConfig,
    events: EventHub,
    shutdown: CancellationToken,
) {
    let batch_size = cfg.batch_size.max(1);
    let mut batch = Vec::with_capacity(batch_size);
    let give_up = async {
        shutdown.cancelled().await;
        tokio::time::sleep(SHUTDOWN_DRAIN).await;
    };
    tokio::pin!(give_up);
    let mut giving_up = false;
    while rx.recv_many(&mut batch, batch_size).await > 0 {
        let mut backoff = FIRST_BACKOFF;
        let stored = loop {
            if giving_up {
                break false;
            }
            match store.insert(&batch).await {
                Ok(_) => break true,
                Err(e) => {
                    tracing::warn!(error = %e, records = batch.len(), retry_in = ?backoff, "storing execution records failed");
                    tokio::select! {
                        () = tokio::time::sleep(backoff) => {}
                        () = &mut give_up => giving_up = true,
                    }
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        };
        if stored {
            for record in batch.drain(..) {
                events.send(Event::ExecutionFinished(record));
            }
        } else {
            let ids: Vec<&str> = batch.iter().map(|r| r.execution_id.as_str()).collect();
            tracing::error!(
                records = batch.len(),
                ?ids,
                "the log store stayed down during shutdown; these execution records are lost"
            );
            batch.clear();
        }
    }
}

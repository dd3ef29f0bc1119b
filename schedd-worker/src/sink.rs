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

#[derive(Debug, Clone)]
pub struct SinkConfig {
    /// `logBatchSize`: most records per write.
    pub batch_size: usize,
}

const FIRST_BACKOFF: Duration = Duration::from_millis(100);
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// Runs until every sender of `rx` is gone and everything received is stored.
pub async fn run(
    mut rx: mpsc::Receiver<ExecutionRecord>,
    store: Arc<dyn LogStore>,
    cfg: SinkConfig,
    events: EventHub,
) {
    let batch_size = cfg.batch_size.max(1);
    let mut batch = Vec::with_capacity(batch_size);
    while rx.recv_many(&mut batch, batch_size).await > 0 {
        let mut backoff = FIRST_BACKOFF;
        loop {
            match store.insert(&batch).await {
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(error = %e, records = batch.len(), retry_in = ?backoff, "storing execution records failed");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
        for record in batch.drain(..) {
            events.send(Event::ExecutionFinished(record));
        }
    }
}

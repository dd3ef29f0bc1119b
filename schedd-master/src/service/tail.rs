//! The log tail (`TailLog`, `GET /api/v1/log/tail/:name`): a job's running executions, their
//! output as it is produced, then their records, as a stream of [`TailItem`]s that each
//! adapter puts on its wire.
//!
//! Starts and ends come on the event hub and output on the output channel, so the two can
//! arrive out of step; the tail restores each run's order: a run's output is sent after its
//! start (output seen first makes the start go out first), and its end after any output
//! still waiting.
//!
//! A tail's items wait in a bounded outbox (see [`super::outbox`]): a client that stops
//! reading is cut off, its stream ended with [`FellBehind`]. The records it carries have
//! their output and stderr cut to [`StreamLimits::record_output`](super::StreamLimits::record_output)
//! each: the output came live, chunk by chunk, before the record.

use std::collections::HashSet;
use std::pin::Pin;

use schedd_core::{Event, EventHub, ExecutionRecord, JobName, OutputChunk};
use tokio::sync::broadcast;
use tokio_stream::Stream;
use tokio_util::sync::CancellationToken;

use super::Logs;
use super::error::Result;
use super::outbox::{FellBehind, ITEM_OVERHEAD, Outbox, Weigh, record_weight};

/// One item of a tail, in the order a client shows them.
#[derive(Debug, Clone, PartialEq)]
pub enum TailItem {
    /// A run of the job started (or was running when the tail began); status `Running`.
    Started(ExecutionRecord),
    Output(OutputChunk),
    /// A run ended; its stored record. Without runs going on and without `follow`, the
    /// job's latest record.
    Finished(ExecutionRecord),
}

impl Weigh for TailItem {
    fn weight(&self) -> usize {
        match self {
            TailItem::Started(r) | TailItem::Finished(r) => record_weight(r),
            TailItem::Output(c) => {
                ITEM_OVERHEAD + c.execution_id.len() + c.job_name.len() + c.data.len()
            }
        }
    }
}

/// The items of a tail, ended by [`FellBehind`] if the client fell behind.
pub type TailStream = Pin<Box<dyn Stream<Item = Result<TailItem, FellBehind>> + Send>>;

impl Logs {
    /// Follows the job's running executions: their output as it is produced, then their
    /// records. Without `follow` it ends when the executions running at the start have
    /// ended, or at once with the latest record when none is running. The stream ends when
    /// the master stops; dropping it stops the work behind it.
    pub async fn tail(&self, job_name: &str, follow: bool) -> Result<TailStream> {
        let job = self.job(&JobName::new(job_name)?).await?;
        let live = &self.live;
        // Ask workers for the job's runs, and subscribe, before looking at what runs, so
        // nothing falls in between.
        let following = live.followers.follow(&job);
        let events = live.events.subscribe();
        let output = live.output.subscribe();
        let running = live.events.running_of(&job);
        if running.is_empty() && !follow {
            let latest = self.latest(&job).await?;
            // One record, as `GetLatestLog` gives it: nothing waits behind it.
            return Ok(Box::pin(tokio_stream::once(Ok(TailItem::Finished(latest)))));
        }
        let (tx, rx) = live.outboxes.open();
        let tail = Tail {
            job,
            follow,
            tracked: HashSet::new(),
            hub: live.events.clone(),
            tx,
            record_output: live.outboxes.limits.record_output(),
            shutdown: live.shutdown.clone(),
        };
        tokio::spawn(async move {
            let _following = following;
            tail.run(running, events, output).await;
        });
        Ok(Box::pin(rx))
    }
}

/// One tail: the runs it tracks and where its items go.
struct Tail {
    job: String,
    follow: bool,
    tracked: HashSet<String>,
    hub: EventHub,
    tx: Outbox<TailItem>,
    /// Most bytes of output, and of stderr, a record carries.
    record_output: usize,
    shutdown: CancellationToken,
}

impl Tail {
    /// Sends the runs `running` now, then what happens, until the client hangs up, the
    /// master stops, or (without `follow`) the tracked runs are over.
    async fn run(
        mut self,
        running: Vec<ExecutionRecord>,
        mut events: broadcast::Receiver<Event>,
        mut output: broadcast::Receiver<OutputChunk>,
    ) {
        for rec in running {
            self.tracked.insert(rec.execution_id.clone());
            if !self.send(TailItem::Started(rec)) {
                return;
            }
        }
        loop {
            tokio::select! {
                () = self.shutdown.cancelled() => return,
                () = self.tx.closed() => return,
                chunk = output.recv() => match chunk {
                    Ok(c) => if !self.output(c) { return },
                    // Live output is best effort: chunks the channel dropped before this task
                    // took them (it never waits for the client) are skipped.
                    Err(broadcast::error::RecvError::Lagged(_)) => {}
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                event = events.recv() => match event {
                    Ok(Event::ExecutionStarted(rec)) if rec.job_name == self.job && self.follow => {
                        if self.tracked.insert(rec.execution_id.clone())
                            && !self.send(TailItem::Started(rec))
                        {
                            return;
                        }
                    }
                    Ok(Event::ExecutionFinished(rec))
                        if rec.job_name == self.job
                            && (self.follow || self.tracked.contains(&rec.execution_id)) =>
                    {
                        // The run's output was sent before its end: pass on what is
                        // still waiting on the other channel first.
                        loop {
                            match output.try_recv() {
                                Ok(c) => if !self.output(c) { return },
                                Err(broadcast::error::TryRecvError::Lagged(_)) => {}
                                Err(_) => break,
                            }
                        }
                        self.tracked.remove(&rec.execution_id);
                        let done = !self.follow && self.tracked.is_empty();
                        if !self.send(TailItem::Finished(rec)) || done {
                            return;
                        }
                    }
                    // Runs whose end will not come.
                    Ok(Event::RunsGivenUp(ids)) => {
                        for id in &ids {
                            self.tracked.remove(id);
                        }
                        if !self.follow && self.tracked.is_empty() {
                            return;
                        }
                    }
                    // Events were missed: stop waiting for runs that are no longer running.
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        let hub = &self.hub;
                        self.tracked.retain(|id| hub.is_running(id));
                        if !self.follow && self.tracked.is_empty() {
                            return;
                        }
                    }
                    Ok(_) => {}
                    Err(broadcast::error::RecvError::Closed) => return,
                },
            }
        }
    }

    /// Passes on a chunk of output if it belongs to a tracked run. With `follow`, the
    /// output of a run of the job whose start has not come yet (it comes on the other
    /// channel) makes the run tracked, its start sent first.
    fn output(&mut self, c: OutputChunk) -> bool {
        if c.job_name != self.job {
            return true;
        }
        if !self.tracked.contains(&c.execution_id) {
            let Some(rec) = self
                .hub
                .running_record(&c.execution_id)
                .filter(|_| self.follow)
            else {
                return true;
            };
            self.tracked.insert(rec.execution_id.clone());
            if !self.send(TailItem::Started(rec)) {
                return false;
            }
        }
        self.send(TailItem::Output(c))
    }

    /// Queues `item` for the client; false when the tail should stop.
    fn send(&self, item: TailItem) -> bool {
        let item = match item {
            TailItem::Started(mut r) => {
                r.cut_output(self.record_output);
                TailItem::Started(r)
            }
            TailItem::Finished(mut r) => {
                r.cut_output(self.record_output);
                TailItem::Finished(r)
            }
            output @ TailItem::Output(_) => output,
        };
        self.tx.push(item)
    }
}

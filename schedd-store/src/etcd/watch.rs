//! Following a key range in etcd without losing or repeating a change: [`follow`] reads the
//! range once (a [`WatchItem::Snapshot`]), then streams every later revision of it
//! ([`WatchItem::Changes`]) over a bounded channel. Everything in cluster mode that reacts to
//! etcd (the job store's watch, workers, claims) builds on this one primitive, so resuming
//! after a broken connection and recovering from compaction are solved once, here.
//!
//! Resuming is exact because the task remembers the newest revision it delivered and creates
//! the next watch from the revision after it; etcd replays the history from there. When that
//! history is gone (compacted), or etcd cancels the watch for any other reason, the range is
//! read again and the receiver gets a fresh snapshot instead of a gap.

use std::sync::Arc;
use std::time::{Duration, Instant};

use etcd_client::{Client, EventType, GetOptions, KeyValue, WatchOptions, WatchResponse};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::{Etcd, EtcdObserver, WatchRestart};

/// Items buffered between the watch task and its receiver. A receiver that falls behind holds
/// the task back (and etcd buffers for the watch) rather than losing items.
const CHANNEL_CAPACITY: usize = 256;
/// Keys per range request when reading a snapshot, so that a large range never exceeds the
/// gRPC message limit (4 MiB by default).
const PAGE_SIZE: i64 = 500;
const BACKOFF_FIRST: Duration = Duration::from_millis(100);
const BACKOFF_MAX: Duration = Duration::from_secs(2);

/// A range of full keys, `[start, end)` as etcd has it. An `end` of `"\0"` means every key
/// from `start` on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyRange {
    pub start: String,
    pub end: String,
}

impl KeyRange {
    /// Every key that starts with `etcd.key(rest)`: `KeyRange::prefix(&etcd, "jobs/")`.
    pub fn prefix(etcd: &Etcd, rest: &str) -> KeyRange {
        let start = etcd.key(rest);
        let end = prefix_end(&start);
        KeyRange { start, end }
    }

    /// The keys from `etcd.key(from_rest)` (included) to `etcd.key(to_rest)` (excluded).
    pub fn between(etcd: &Etcd, from_rest: &str, to_rest: &str) -> KeyRange {
        KeyRange {
            start: etcd.key(from_rest),
            end: etcd.key(to_rest),
        }
    }

    pub fn contains(&self, key: &str) -> bool {
        key >= self.start.as_str() && (self.end == "\0" || key < self.end.as_str())
    }
}

/// The smallest key after every key that starts with `prefix`. The last character is bumped
/// to the next code point rather than the last byte to the next byte, so the result stays a
/// valid string; UTF-8 sorts bytewise in code point order, so the two agree on string keys.
fn prefix_end(prefix: &str) -> String {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        // `char::from_u32` refuses surrogates; the code point after them is U+E000.
        let next = (u32::from(last) + 1..=u32::from(char::MAX)).find_map(char::from_u32);
        if let Some(next) = next {
            chars.push(next);
            return chars.into_iter().collect();
        }
    }
    // No key is greater than every key with this prefix: the range runs to the end.
    "\0".to_owned()
}

/// One change to a key, or one key of a snapshot (always a `Put`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Put {
        key: String,
        value: Vec<u8>,
        mod_revision: i64,
        create_revision: i64,
        /// The lease the key is attached to; 0 for none.
        lease: i64,
    },
    Delete {
        key: String,
        /// The revision of the deletion.
        mod_revision: i64,
    },
}

impl Change {
    pub fn key(&self) -> &str {
        match self {
            Change::Put { key, .. } | Change::Delete { key, .. } => key,
        }
    }

    /// The revision that made this change (for a snapshot key: that last changed it).
    pub fn mod_revision(&self) -> i64 {
        match self {
            Change::Put { mod_revision, .. } | Change::Delete { mod_revision, .. } => *mod_revision,
        }
    }

    pub(crate) fn from_kv(kv: &KeyValue) -> Change {
        Change::Put {
            key: String::from_utf8_lossy(kv.key()).into_owned(),
            value: kv.value().to_vec(),
            mod_revision: kv.mod_revision(),
            create_revision: kv.create_revision(),
            lease: kv.lease(),
        }
    }

    fn from_event(event: &etcd_client::Event) -> Option<Change> {
        let kv = event.kv()?;
        Some(match event.event_type() {
            EventType::Put => Change::from_kv(kv),
            EventType::Delete => Change::Delete {
                key: String::from_utf8_lossy(kv.key()).into_owned(),
                mod_revision: kv.mod_revision(),
            },
        })
    }
}

/// What [`follow`] delivers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WatchItem {
    /// Everything in the range at `revision`; replaces whatever the receiver knew. Sent
    /// first, and again whenever the watch could not resume exactly (its history was
    /// compacted).
    Snapshot { kvs: Vec<Change>, revision: i64 },
    /// The changes of one or more whole revisions, in revision order. A revision is never
    /// split across items, so a transaction is seen at once.
    Changes(Vec<Change>),
}

impl WatchItem {
    /// The newest revision the receiver knows everything up to once it has this item.
    pub fn revision(&self) -> i64 {
        match self {
            WatchItem::Snapshot { revision, .. } => *revision,
            WatchItem::Changes(changes) => changes.last().map_or(0, Change::mod_revision),
        }
    }
}

/// Follows `range`: the returned channel gets a [`WatchItem::Snapshot`] first, then every
/// change in revision order, across reconnects, etcd restarts and compaction (after which a
/// new snapshot comes). The channel is bounded and nothing is dropped: a receiver that does
/// not read holds the watch back. The task ends when `shutdown` is cancelled or the receiver
/// is dropped, and the channel closes.
///
/// Spawns a task, so it must be called within a Tokio runtime.
pub fn follow(
    etcd: &Etcd,
    range: KeyRange,
    shutdown: CancellationToken,
) -> mpsc::Receiver<WatchItem> {
    spawn(etcd, range, None, shutdown)
}

/// Like [`follow`] for a receiver that already knows the range at `revision` (from an earlier
/// follow, or a range read): no first snapshot, the first item holds the changes after
/// `revision`. If etcd has compacted that history, the first item is a snapshot instead.
pub fn follow_from(
    etcd: &Etcd,
    range: KeyRange,
    revision: i64,
    shutdown: CancellationToken,
) -> mpsc::Receiver<WatchItem> {
    spawn(etcd, range, Some(Cursor::at(revision)), shutdown)
}

fn spawn(
    etcd: &Etcd,
    range: KeyRange,
    cursor: Option<Cursor>,
    shutdown: CancellationToken,
) -> mpsc::Receiver<WatchItem> {
    let (tx, rx) = mpsc::channel(CHANNEL_CAPACITY);
    let task = FollowTask {
        client: etcd.client(),
        range,
        tx,
        shutdown,
        outage: None,
        observer: etcd.observer().cloned(),
    };
    tokio::spawn(task.run(cursor));
    rx
}

/// Reads every key of `range` at one revision, a page at a time; returns them in key order
/// with that revision.
pub(crate) async fn read_range(
    client: &mut Client,
    range: &KeyRange,
) -> Result<(Vec<KeyValue>, i64), etcd_client::Error> {
    let mut kvs = Vec::new();
    let mut from = range.start.clone().into_bytes();
    // Pages after the first are read at the first page's revision, so they fit together.
    let mut revision = None;
    loop {
        let mut options = GetOptions::new()
            .with_range(range.end.clone())
            .with_limit(PAGE_SIZE);
        if let Some(revision) = revision {
            options = options.with_revision(revision);
        }
        let mut response = client.get(from.clone(), Some(options)).await?;
        let at = match revision {
            Some(revision) => revision,
            None => {
                let header = response.header().ok_or_else(|| {
                    etcd_client::Error::Internal("a range response without a header".into())
                })?;
                *revision.insert(header.revision())
            }
        };
        let more = response.more();
        let page = response.take_kvs();
        match page.last() {
            Some(last) if more => {
                // The next page starts just after the last key of this one.
                from = last.key().to_vec();
                from.push(0);
                kvs.extend(page);
            }
            _ => {
                kvs.extend(page);
                return Ok((kvs, at));
            }
        }
    }
}

/// The parts of a watch response that decide what to do with it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Response {
    watch_id: i64,
    created: bool,
    canceled: bool,
    compact_revision: i64,
    cancel_reason: String,
    /// The store revision in the header (0 if there is none).
    revision: i64,
    changes: Vec<Change>,
}

impl From<&WatchResponse> for Response {
    fn from(r: &WatchResponse) -> Response {
        Response {
            watch_id: r.watch_id(),
            created: r.created(),
            canceled: r.canceled(),
            compact_revision: r.compact_revision(),
            cancel_reason: r.cancel_reason().to_owned(),
            revision: r.header().map_or(0, |h| h.revision()),
            changes: r.events().iter().filter_map(Change::from_event).collect(),
        }
    }
}

/// What a watch response asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    /// The watch is in place.
    Created,
    /// Changes to hand on (all newer than anything handed on before).
    Deliver(Vec<Change>),
    /// Nothing to hand on.
    Nothing,
    /// The history from the resume revision is compacted (up to this revision): read the
    /// range again.
    Compacted(i64),
    /// The watch was cancelled for another reason.
    Canceled(String),
}

/// Where a follower is in the range's history, independent of any connection: every change
/// up to `revision` was handed on, so the next watch starts at `revision + 1`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cursor {
    revision: i64,
    /// The id of the current watch, once etcd confirmed it.
    watch_id: Option<i64>,
}

impl Cursor {
    /// After a snapshot read at `revision`.
    fn at(revision: i64) -> Cursor {
        Cursor {
            revision,
            watch_id: None,
        }
    }

    /// The start revision of the next watch.
    fn resume_from(&self) -> i64 {
        self.revision + 1
    }

    /// Forgets the current watch (before creating another).
    fn rewatch(&mut self) {
        self.watch_id = None;
    }

    fn on_response(&mut self, r: Response) -> Step {
        if r.compact_revision > 0 {
            return Step::Compacted(r.compact_revision);
        }
        if r.canceled {
            return Step::Canceled(if r.cancel_reason.is_empty() {
                "the watch was cancelled".to_owned()
            } else {
                r.cancel_reason
            });
        }
        if r.created {
            // The header of a created response is the store's revision when the watch was
            // made, not how far the events went: a watch that starts in the past still has
            // to replay up to there, so the cursor must not move.
            self.watch_id = Some(r.watch_id);
            return Step::Created;
        }
        if r.changes.is_empty() {
            // A progress notification: etcd sends one to a watch only once it has sent every
            // event up to the header revision, so resuming from there loses nothing and keeps
            // the resume point ahead of compaction while the range is quiet.
            if self.watch_id == Some(r.watch_id) {
                self.revision = self.revision.max(r.revision);
            }
            return Step::Nothing;
        }
        let fresh: Vec<Change> = r
            .changes
            .into_iter()
            .filter(|c| c.mod_revision() > self.revision)
            .collect();
        match fresh.last() {
            Some(last) => {
                self.revision = last.mod_revision();
                Step::Deliver(fresh)
            }
            None => Step::Nothing,
        }
    }
}

/// Exponential backoff between reconnection attempts.
#[derive(Debug)]
struct Backoff {
    next: Duration,
}

impl Backoff {
    fn new() -> Backoff {
        Backoff {
            next: BACKOFF_FIRST,
        }
    }

    fn next(&mut self) -> Duration {
        let wait = self.next;
        self.next = (self.next * 2).min(BACKOFF_MAX);
        wait
    }

    fn reset(&mut self) {
        self.next = BACKOFF_FIRST;
    }
}

/// How one watch ended.
#[derive(Debug)]
enum Ended {
    /// Shutdown was asked for or the receiver is gone.
    Stop,
    Compacted(i64),
    /// etcd cancelled the watch for another reason (a start revision it will not serve, a
    /// permission): resuming at the same revision may be refused again, so the range is
    /// read anew.
    Canceled(String),
    /// The connection or the stream failed: the watch is made again where it stopped.
    Broken(String),
}

/// The task behind [`follow`].
struct FollowTask {
    client: Client,
    range: KeyRange,
    tx: mpsc::Sender<WatchItem>,
    shutdown: CancellationToken,
    /// When the current outage began, if there is one.
    outage: Option<Instant>,
    /// Told of each restart (for metrics).
    observer: Option<Arc<dyn EtcdObserver>>,
}

impl FollowTask {
    /// Follows from `cursor`, or from a snapshot when there is none.
    async fn run(mut self, mut cursor: Option<Cursor>) {
        let mut backoff = Backoff::new();
        // `cursor` is `None` while a snapshot is needed.
        loop {
            let mut current = match cursor.take() {
                Some(current) => current,
                None => match self.snapshot().await {
                    Ok(Some(current)) => current,
                    Ok(None) => return,
                    Err(e) => {
                        self.interrupted(&e);
                        if !self.pause(backoff.next()).await {
                            return;
                        }
                        continue;
                    }
                },
            };
            current.rewatch();
            match self.watch(&mut current, &mut backoff).await {
                Ended::Stop => return,
                Ended::Compacted(compact_revision) => {
                    self.restarted(WatchRestart::Compacted);
                    tracing::info!(
                        range = %self.range.start,
                        resume_from = current.resume_from(),
                        compact_revision,
                        "etcd compacted the history this watch needs; reading the range again"
                    );
                    // `cursor` stays `None`: the next turn reads a snapshot, at once.
                }
                Ended::Canceled(reason) => {
                    self.interrupted(&reason);
                    if !self.pause(backoff.next()).await {
                        return;
                    }
                }
                Ended::Broken(e) => {
                    self.interrupted(&e);
                    cursor = Some(current);
                    if !self.pause(backoff.next()).await {
                        return;
                    }
                }
            }
        }
    }

    /// Reads the range and sends it as a snapshot. `Ok(None)` when the task should stop.
    async fn snapshot(&mut self) -> Result<Option<Cursor>, String> {
        let read = tokio::select! {
            _ = self.shutdown.cancelled() => return Ok(None),
            read = read_range(&mut self.client, &self.range) => read,
        };
        let (kvs, revision) = read.map_err(|e| e.to_string())?;
        let kvs = kvs.iter().map(Change::from_kv).collect();
        if !self.send(WatchItem::Snapshot { kvs, revision }).await {
            return Ok(None);
        }
        Ok(Some(Cursor::at(revision)))
    }

    /// Watches from the cursor until the watch ends, handing changes on.
    async fn watch(&mut self, cursor: &mut Cursor, backoff: &mut Backoff) -> Ended {
        let options = WatchOptions::new()
            .with_range(self.range.end.clone())
            .with_start_revision(cursor.resume_from())
            .with_progress_notify();
        let created = tokio::select! {
            _ = self.shutdown.cancelled() => return Ended::Stop,
            _ = self.tx.closed() => return Ended::Stop,
            created = self.client.watch(self.range.start.clone(), Some(options)) => created,
        };
        // The stream owns the request side too: dropping it cancels the watch on the server.
        let mut stream = match created {
            Ok(stream) => stream,
            Err(e) => return Ended::Broken(e.to_string()),
        };
        loop {
            let message = tokio::select! {
                _ = self.shutdown.cancelled() => return Ended::Stop,
                _ = self.tx.closed() => return Ended::Stop,
                message = stream.message() => message,
            };
            let response = match message {
                Ok(Some(response)) => response,
                Ok(None) => return Ended::Broken("etcd closed the watch stream".to_owned()),
                Err(e) => return Ended::Broken(e.to_string()),
            };
            match cursor.on_response(Response::from(&response)) {
                Step::Created => {
                    self.recovered();
                    backoff.reset();
                }
                Step::Deliver(changes) => {
                    if !self.send(WatchItem::Changes(changes)).await {
                        return Ended::Stop;
                    }
                }
                Step::Nothing => {}
                Step::Compacted(revision) => return Ended::Compacted(revision),
                Step::Canceled(reason) => return Ended::Canceled(reason),
            }
        }
    }

    /// Sends an item, waiting for room. False when the task should stop.
    async fn send(&self, item: WatchItem) -> bool {
        tokio::select! {
            _ = self.shutdown.cancelled() => false,
            sent = self.tx.send(item) => sent.is_ok(),
        }
    }

    /// Waits before the next attempt. False when the task should stop.
    async fn pause(&self, wait: Duration) -> bool {
        tokio::select! {
            _ = self.shutdown.cancelled() => false,
            _ = self.tx.closed() => false,
            _ = tokio::time::sleep(wait) => true,
        }
    }

    /// Notes a failure: a warning (and a restart for the observer) on the first of an
    /// outage, debug after: retries during one outage are one restart.
    fn interrupted(&mut self, error: &str) {
        if self.outage.is_none() {
            self.outage = Some(Instant::now());
            self.restarted(WatchRestart::Interrupted);
            tracing::warn!(range = %self.range.start, error, "etcd watch interrupted; reconnecting");
        } else {
            tracing::debug!(range = %self.range.start, error, "etcd watch still interrupted");
        }
    }

    fn restarted(&self, why: WatchRestart) {
        if let Some(observer) = &self.observer {
            observer.watch_restarted(why);
        }
    }

    fn recovered(&mut self) {
        if let Some(since) = self.outage.take() {
            tracing::info!(
                range = %self.range.start,
                outage = ?since.elapsed(),
                "etcd watch resumed"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(key: &str, revision: i64) -> Change {
        Change::Put {
            key: key.to_owned(),
            value: b"v".to_vec(),
            mod_revision: revision,
            create_revision: revision,
            lease: 0,
        }
    }

    fn response(watch_id: i64, revision: i64, changes: Vec<Change>) -> Response {
        Response {
            watch_id,
            created: false,
            canceled: false,
            compact_revision: 0,
            cancel_reason: String::new(),
            revision,
            changes,
        }
    }

    fn created(watch_id: i64, revision: i64) -> Response {
        Response {
            created: true,
            ..response(watch_id, revision, vec![])
        }
    }

    #[test]
    fn prefix_end_is_the_next_string_after_the_prefix() {
        assert_eq!(prefix_end("/cron/jobs/"), "/cron/jobs0");
        assert_eq!(prefix_end("a\u{d7ff}"), "a\u{e000}");
        assert_eq!(prefix_end("a\u{10ffff}"), "b");
        assert_eq!(prefix_end(""), "\0");
        let range = KeyRange {
            start: "/cron/jobs/".into(),
            end: prefix_end("/cron/jobs/"),
        };
        assert!(range.contains("/cron/jobs/x"));
        assert!(range.contains("/cron/jobs/"));
        assert!(!range.contains("/cron/jobs"));
        assert!(!range.contains("/cron/jobsx"));
        assert!(!range.contains("/cron/kill/x"));
    }

    #[test]
    fn created_does_not_move_the_cursor() {
        let mut cursor = Cursor::at(10);
        assert_eq!(cursor.on_response(created(7, 50)), Step::Created);
        assert_eq!(cursor.resume_from(), 11);
    }

    #[test]
    fn changes_move_the_cursor_to_their_last_revision() {
        let mut cursor = Cursor::at(10);
        cursor.on_response(created(7, 50));
        let changes = vec![put("a", 11), put("b", 11), put("a", 12)];
        assert_eq!(
            cursor.on_response(response(7, 12, changes.clone())),
            Step::Deliver(changes)
        );
        assert_eq!(cursor.resume_from(), 13);
    }

    #[test]
    fn changes_already_handed_on_are_not_repeated() {
        let mut cursor = Cursor::at(11);
        let step = cursor.on_response(response(7, 12, vec![put("a", 10), put("b", 12)]));
        assert_eq!(step, Step::Deliver(vec![put("b", 12)]));
        let step = cursor.on_response(response(7, 12, vec![put("b", 12)]));
        assert_eq!(step, Step::Nothing);
        assert_eq!(cursor.resume_from(), 13);
    }

    #[test]
    fn progress_notifications_of_the_current_watch_move_the_cursor() {
        let mut cursor = Cursor::at(10);
        cursor.on_response(created(7, 12));
        assert_eq!(cursor.on_response(response(7, 40, vec![])), Step::Nothing);
        assert_eq!(cursor.resume_from(), 41);
        // From another watch (or a stream-wide notification): not about this one.
        assert_eq!(cursor.on_response(response(-1, 90, vec![])), Step::Nothing);
        assert_eq!(cursor.resume_from(), 41);
        // Never backwards.
        cursor.on_response(response(7, 20, vec![]));
        assert_eq!(cursor.resume_from(), 41);
    }

    #[test]
    fn a_progress_notification_before_creation_is_ignored() {
        let mut cursor = Cursor::at(10);
        cursor.on_response(created(7, 12));
        cursor.rewatch();
        assert_eq!(cursor.on_response(response(7, 40, vec![])), Step::Nothing);
        assert_eq!(cursor.resume_from(), 11);
    }

    #[test]
    fn compaction_asks_for_a_snapshot_and_other_cancels_for_a_new_watch() {
        let mut cursor = Cursor::at(10);
        let compacted = Response {
            canceled: true,
            compact_revision: 30,
            ..response(7, 50, vec![])
        };
        assert_eq!(cursor.on_response(compacted), Step::Compacted(30));
        let canceled = Response {
            canceled: true,
            cancel_reason: "permission denied".into(),
            ..response(7, 50, vec![])
        };
        assert_eq!(
            cursor.on_response(canceled),
            Step::Canceled("permission denied".into())
        );
        assert_eq!(cursor.resume_from(), 11);
    }

    #[test]
    fn backoff_doubles_to_its_cap_and_resets() {
        let mut backoff = Backoff::new();
        let waits: Vec<_> = (0..7).map(|_| backoff.next().as_millis()).collect();
        assert_eq!(waits, [100, 200, 400, 800, 1600, 2000, 2000]);
        backoff.reset();
        assert_eq!(backoff.next(), BACKOFF_FIRST);
    }

    #[test]
    fn an_items_revision_is_where_the_receiver_stands() {
        let snapshot = WatchItem::Snapshot {
            kvs: vec![put("a", 3)],
            revision: 9,
        };
        assert_eq!(snapshot.revision(), 9);
        assert_eq!(
            WatchItem::Changes(vec![put("a", 10), put("b", 11)]).revision(),
            11
        );
    }
}

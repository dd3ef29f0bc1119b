//! What the dashboard shows and how keys and events change it, with no terminal and no
//! network: [`State::on_key`] returns an [`Action`] for the async loop in `mod.rs` to carry
//! out, [`State::on_event`] and [`State::apply_snapshot`] fold the `Watch` stream in, and
//! `view.rs` draws a `&State`. Everything here is plain data, so it is tested directly.
//!
//! Sizes stay bounded however large the cluster: jobs live in a `BTreeMap` (sorted by name
//! as they arrive) with a maintained list of the names that pass the filter, so a frame
//! touches only the rows on screen; executions are the newest [`MAX_EXECUTIONS`]; worker
//! histories keep [`HISTORY_LEN`] samples.

use std::cell::{Cell, OnceCell};
use std::collections::{BTreeMap, HashMap, VecDeque};

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use schedd_core::{ExecutionRecord, ExecutionStatus, HttpSpec, Schedule, WorkerInfo};
use schedd_proto::v1 as pb;
use schedd_proto::{record_from_pb, worker_from_pb};

use crate::printer::grouped_by_tick;

/// Executions kept for the Executions tab, newest first.
pub const MAX_EXECUTIONS: usize = 1000;
/// Samples of worker load kept for the sparklines (one per heartbeat).
pub const HISTORY_LEN: usize = 120;
/// How long an action's result stays in the status line.
const STATUS_TTL_MS: i64 = 8_000;
/// Rows a page key moves before the first frame told us the real height.
const DEFAULT_PAGE: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Jobs,
    Executions,
    Workers,
}

impl Tab {
    pub const ALL: [Tab; 3] = [Tab::Jobs, Tab::Executions, Tab::Workers];

    pub fn index(self) -> usize {
        match self {
            Tab::Jobs => 0,
            Tab::Executions => 1,
            Tab::Workers => 2,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Tab::Jobs => "Jobs",
            Tab::Executions => "Executions",
            Tab::Workers => "Workers",
        }
    }

    fn next(self) -> Tab {
        Tab::ALL[(self.index() + 1) % 3]
    }

    fn prev(self) -> Tab {
        Tab::ALL[(self.index() + 2) % 3]
    }
}

/// A network effect asked for by a key, carried out by the async loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    None,
    Quit,
    Enable(String),
    Disable(String),
    Run(String),
    Kill(String),
    /// Fetch the job's recent runs and 7-day stats for the detail pane.
    LoadJobDetail(String),
}

/// The state of the connection to the master, as the banner shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Connection {
    /// Before the first snapshot arrived.
    Connecting,
    Connected,
    /// The stream broke; the loop retries in `retry_in_ms`.
    Disconnected {
        reason: String,
        retry_in_ms: u64,
    },
}

/// Everything a `Resync` re-reads.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub jobs: Vec<pb::Job>,
    /// The first page of `ListLogs`, newest first.
    pub records: Vec<pb::ExecutionRecord>,
    pub workers: Vec<pb::Worker>,
}

/// A job and what is derived from it lazily (only for rows that get drawn).
#[derive(Debug)]
pub struct JobEntry {
    pub job: pb::Job,
    /// What a run does, as the tables show it and the filter searches it: the command, or an
    /// HTTP job's `METHOD URL` with the URL's secrets hidden (`schedd_core::Job::what`). Made
    /// once when the job arrives, not per frame: it parses the URL.
    pub what: String,
    /// Parsed on first use; `None` when the expression does not parse here.
    schedule: OnceCell<Option<Schedule>>,
    /// Cached next fire time in Unix ms (0: not computed yet); valid while it lies ahead.
    next_fire_ms: Cell<i64>,
}

impl JobEntry {
    fn new(job: pb::Job) -> JobEntry {
        let what = match &job.http {
            // Only what `describe` reads, without converting the whole request.
            Some(h) => HttpSpec {
                method: h.method.clone(),
                url: h.url.clone(),
                ..HttpSpec::default()
            }
            .describe(),
            None => job.command.clone(),
        };
        JobEntry {
            job,
            what,
            schedule: OnceCell::new(),
            next_fire_ms: Cell::new(0),
        }
    }

    /// The next fire time after `now_ms`, computed client-side from the cron expression
    /// (no RPC per row); `None` for disabled jobs and expressions that never fire again.
    pub fn next_fire(&self, now_ms: i64) -> Option<i64> {
        if self.job.disabled {
            return None;
        }
        let cached = self.next_fire_ms.get();
        if cached > now_ms {
            return Some(cached);
        }
        let schedule = self.schedule.get_or_init(|| {
            let tz =
                schedd_core::schedule::parse_timezone(&self.job.timezone).unwrap_or(chrono_tz::UTC);
            Schedule::parse(&self.job.cron_expr, tz).ok()
        });
        let now = DateTime::<Utc>::from_timestamp_millis(now_ms)?;
        let next = schedule.as_ref()?.next_after(now)?.timestamp_millis();
        self.next_fire_ms.set(next);
        Some(next)
    }
}

/// What the dashboard has seen of a job's runs since the last resync.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobRuns {
    pub finished: u64,
    pub success: u64,
    pub last_status: Option<ExecutionStatus>,
    pub last_end_ms: i64,
}

#[derive(Debug, Clone)]
pub struct WorkerEntry {
    pub info: WorkerInfo,
    pub online: bool,
    /// CPU percent per heartbeat, oldest first.
    pub cpu: VecDeque<u64>,
    /// Running executions per heartbeat, oldest first.
    pub running: VecDeque<u64>,
}

impl WorkerEntry {
    fn sample(&mut self) {
        push_capped(&mut self.cpu, self.info.cpu_usage.round().max(0.0) as u64);
        push_capped(&mut self.running, u64::from(self.info.running));
    }
}

fn push_capped(history: &mut VecDeque<u64>, v: u64) {
    if history.len() == HISTORY_LEN {
        history.pop_front();
    }
    history.push_back(v);
}

/// Selection and scroll position of one table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    pub selected: usize,
    pub offset: usize,
}

impl Cursor {
    /// Moves by `delta` rows within `len` rows, keeping the selection within a `page`.
    fn move_by(&mut self, delta: isize, len: usize, page: usize) {
        let last = len.saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        self.scroll_into_view(len, page);
    }

    fn scroll_into_view(&mut self, len: usize, page: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
        *self = Cursor {
            selected: self.selected,
            offset: visible_offset(*self, len, page),
        };
    }
}

/// The first row to draw so that the selection is visible in `page` rows.
pub fn visible_offset(cursor: Cursor, len: usize, page: usize) -> usize {
    let page = page.max(1);
    let selected = cursor.selected.min(len.saturating_sub(1));
    let mut offset = cursor.offset.min(len.saturating_sub(page));
    if selected < offset {
        offset = selected;
    } else if selected >= offset + page {
        offset = selected + 1 - page;
    }
    offset
}

/// The detail pane opened with Enter.
#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    /// A job's recent runs (newest first, the runs of one tick together: see
    /// [`grouped_by_tick`]) and, below them, the selected run's output.
    Job {
        name: String,
        loading: bool,
        error: Option<String>,
        runs: Vec<ExecutionRecord>,
        stats: Option<pb::LogStats>,
        selected: usize,
        scroll: u16,
    },
    /// One execution: its fields, output and stderr.
    Run {
        record: Box<ExecutionRecord>,
        scroll: u16,
    },
    Worker {
        id: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    None,
    Help,
    /// Waiting for y/n before killing the job's running executions.
    ConfirmKill(String),
    Detail(Detail),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Error,
}

/// Times on screen: local time for people, UTC where output must not depend on the machine
/// (the snapshot tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Local,
    Utc,
}

impl Zone {
    /// `YYYY-MM-DD HH:MM:SS` of Unix ms; `-` for 0.
    pub fn datetime(self, ms: i64) -> String {
        self.format(ms, "%Y-%m-%d %H:%M:%S")
    }

    /// `HH:MM:SS` of Unix ms; `-` for 0.
    pub fn time(self, ms: i64) -> String {
        self.format(ms, "%H:%M:%S")
    }

    fn format(self, ms: i64, fmt: &str) -> String {
        if ms == 0 {
            return "-".to_owned();
        }
        let Some(t) = DateTime::<Utc>::from_timestamp_millis(ms) else {
            return format!("@{ms}ms");
        };
        match self {
            Zone::Local => t.with_timezone(&chrono::Local).format(fmt).to_string(),
            Zone::Utc => t.format(fmt).to_string(),
        }
    }
}

/// The whole dashboard.
#[derive(Debug)]
pub struct State {
    pub endpoint: String,
    pub zone: Zone,
    /// Unix ms of "now", set by the loop on each tick (fixed in tests).
    pub now_ms: i64,
    pub tab: Tab,
    pub connection: Connection,
    pub overlay: Overlay,
    /// Per tab: the substring filter (lowercase match), and whether it is being typed.
    pub filters: [String; 3],
    pub editing_filter: bool,
    pub cursors: [Cursor; 3],
    pub status: Option<(String, StatusKind, i64)>,
    /// Terminal size, for page movement; set by the loop on start and on resize.
    pub size: (u16, u16),

    pub jobs: BTreeMap<String, JobEntry>,
    /// Names of the jobs passing the Jobs filter, sorted; what the Jobs table indexes.
    pub job_view: Vec<String>,
    /// Newest first, at most [`MAX_EXECUTIONS`].
    pub executions: VecDeque<ExecutionRecord>,
    pub runs: HashMap<String, JobRuns>,
    /// Running execution id -> job name.
    pub running: HashMap<String, String>,
    pub workers: BTreeMap<String, WorkerEntry>,
}

impl State {
    pub fn new(endpoint: impl Into<String>, zone: Zone, now_ms: i64) -> State {
        State {
            endpoint: endpoint.into(),
            zone,
            now_ms,
            tab: Tab::Jobs,
            connection: Connection::Connecting,
            overlay: Overlay::None,
            filters: Default::default(),
            editing_filter: false,
            cursors: [Cursor::default(); 3],
            status: None,
            size: (0, 0),
            jobs: BTreeMap::new(),
            job_view: Vec::new(),
            executions: VecDeque::new(),
            runs: HashMap::new(),
            running: HashMap::new(),
            workers: BTreeMap::new(),
        }
    }

    // ------------------------------------------------------------------------------------
    // Time and status
    // ------------------------------------------------------------------------------------

    /// Moves the clock; returns whether anything on screen changes (the second ticked over,
    /// or a status message expired), so the loop redraws only then.
    pub fn tick(&mut self, now_ms: i64) -> bool {
        let changed = now_ms.div_euclid(1000) != self.now_ms.div_euclid(1000);
        self.now_ms = now_ms;
        let expired = self
            .status
            .as_ref()
            .is_some_and(|(_, _, at)| now_ms - at > STATUS_TTL_MS);
        if expired {
            self.status = None;
        }
        changed || expired
    }

    pub fn set_status(&mut self, text: impl Into<String>, kind: StatusKind) {
        self.status = Some((text.into(), kind, self.now_ms));
    }

    /// The result of an action the loop carried out.
    pub fn action_done(&mut self, result: Result<String, String>) {
        match result {
            Ok(text) => self.set_status(text, StatusKind::Info),
            Err(text) => self.set_status(text, StatusKind::Error),
        }
    }

    pub fn disconnected(&mut self, reason: impl Into<String>, retry_in_ms: u64) {
        self.connection = Connection::Disconnected {
            reason: reason.into(),
            retry_in_ms,
        };
    }

    // ------------------------------------------------------------------------------------
    // Rows
    // ------------------------------------------------------------------------------------

    pub fn filter(&self, tab: Tab) -> &str {
        &self.filters[tab.index()]
    }

    fn needle(&self, tab: Tab) -> String {
        self.filters[tab.index()].to_lowercase()
    }

    /// Whether the name, the schedule, what the job runs (an HTTP job's request with its
    /// secrets hidden, so no one finds a job by its token) or the description holds `needle`.
    fn job_matches(needle: &str, entry: &JobEntry) -> bool {
        let job = &entry.job;
        needle.is_empty()
            || [&job.name, &job.cron_expr, &entry.what, &job.description]
                .iter()
                .any(|s| s.to_lowercase().contains(needle))
    }

    fn exec_matches(needle: &str, r: &ExecutionRecord) -> bool {
        needle.is_empty()
            || [
                r.job_name.as_str(),
                r.status.as_str(),
                r.worker_id.as_str(),
                r.worker_ip.as_str(),
                r.execution_id.as_str(),
            ]
            .iter()
            .any(|s| s.to_lowercase().contains(needle))
    }

    fn worker_matches(needle: &str, w: &WorkerEntry) -> bool {
        needle.is_empty()
            || [&w.info.worker_id, &w.info.hostname, &w.info.ip]
                .iter()
                .any(|s| s.to_lowercase().contains(needle))
    }

    /// Indexes into `executions` of the rows passing the filter (all of them, at most
    /// [`MAX_EXECUTIONS`]).
    pub fn execution_view(&self) -> Vec<usize> {
        let needle = self.needle(Tab::Executions);
        (0..self.executions.len())
            .filter(|&i| Self::exec_matches(&needle, &self.executions[i]))
            .collect()
    }

    pub fn worker_view(&self) -> Vec<&WorkerEntry> {
        let needle = self.needle(Tab::Workers);
        self.workers
            .values()
            .filter(|w| Self::worker_matches(&needle, w))
            .collect()
    }

    /// Rows in the current table.
    pub fn row_count(&self, tab: Tab) -> usize {
        match tab {
            Tab::Jobs => self.job_view.len(),
            Tab::Executions => {
                if self.filter(tab).is_empty() {
                    self.executions.len()
                } else {
                    self.execution_view().len()
                }
            }
            Tab::Workers => self.worker_view().len(),
        }
    }

    pub fn selected_job(&self) -> Option<&JobEntry> {
        let name = self.job_view.get(self.cursors[0].selected)?;
        self.jobs.get(name)
    }

    pub fn selected_execution(&self) -> Option<&ExecutionRecord> {
        let sel = self.cursors[1].selected;
        if self.filter(Tab::Executions).is_empty() {
            self.executions.get(sel)
        } else {
            let i = *self.execution_view().get(sel)?;
            self.executions.get(i)
        }
    }

    pub fn selected_worker(&self) -> Option<&WorkerEntry> {
        self.worker_view().get(self.cursors[2].selected).copied()
    }

    /// The job the action keys act on: the selected job, or the selected run's job.
    fn target_job(&self) -> Option<String> {
        match self.tab {
            Tab::Jobs => self.selected_job().map(|j| j.job.name.clone()),
            Tab::Executions => self.selected_execution().map(|r| r.job_name.clone()),
            Tab::Workers => None,
        }
    }

    pub fn running_count(&self, job: &str) -> usize {
        self.running.values().filter(|j| *j == job).count()
    }

    /// Rows a page key moves: the table's height on screen.
    pub fn page_rows(&self) -> usize {
        match super::view::table_rows(self) {
            0 => DEFAULT_PAGE,
            n => n,
        }
    }

    fn rebuild_job_view(&mut self) {
        let keep = self.selected_job().map(|j| j.job.name.clone());
        let needle = self.needle(Tab::Jobs);
        self.job_view = self
            .jobs
            .values()
            .filter(|e| Self::job_matches(&needle, e))
            .map(|e| e.job.name.clone())
            .collect();
        let cursor = &mut self.cursors[0];
        cursor.selected = keep
            .and_then(|name| self.job_view.binary_search(&name).ok())
            .unwrap_or(0);
        cursor.offset = 0;
    }

    // ------------------------------------------------------------------------------------
    // The event stream
    // ------------------------------------------------------------------------------------

    /// Replaces what the dashboard shows with a fresh read (after a `Resync`).
    pub fn apply_snapshot(&mut self, snapshot: Snapshot) {
        self.connection = Connection::Connected;
        self.jobs = snapshot
            .jobs
            .into_iter()
            .map(|j| (j.name.clone(), JobEntry::new(j)))
            .collect();
        self.rebuild_job_view();

        let mut records: Vec<ExecutionRecord> =
            snapshot.records.into_iter().map(record_from_pb).collect();
        // The snapshot lists the runs going on (read from the master) besides the stored
        // ones; a run listed both ways ended between the two reads.
        let finished: std::collections::HashSet<String> = records
            .iter()
            .filter(|r| r.status != ExecutionStatus::Running)
            .map(|r| r.execution_id.clone())
            .collect();
        records.retain(|r| {
            r.status != ExecutionStatus::Running || !finished.contains(&r.execution_id)
        });
        records.sort_by_key(|r| std::cmp::Reverse(r.start_time_ms));
        let mut seen = std::collections::HashSet::new();
        records.retain(|r| seen.insert(r.execution_id.clone()));
        records.truncate(MAX_EXECUTIONS);

        self.running = records
            .iter()
            .filter(|r| r.status == ExecutionStatus::Running)
            .map(|r| (r.execution_id.clone(), r.job_name.clone()))
            .collect();
        self.runs.clear();
        // Oldest first, so the last one counted is each job's latest.
        for r in records.iter().rev() {
            self.count_finished(r);
        }
        self.executions = records.into();
        let len = self.row_count(Tab::Executions);
        self.cursors[1].scroll_into_view(len, self.page_rows());

        let mut old = std::mem::take(&mut self.workers);
        for w in snapshot.workers {
            let prev = old.remove(&w.worker_id);
            self.upsert_worker(w, prev);
        }
        let len = self.row_count(Tab::Workers);
        self.cursors[2].scroll_into_view(len, self.page_rows());
    }

    /// Stores a worker, carrying its load history over from `prev`, and samples its load.
    fn upsert_worker(&mut self, w: pb::Worker, prev: Option<WorkerEntry>) {
        let (info, online) = worker_from_pb(w);
        let mut entry = match prev {
            Some(prev) => WorkerEntry {
                info,
                online,
                cpu: prev.cpu,
                running: prev.running,
            },
            None => WorkerEntry {
                info,
                online,
                cpu: VecDeque::new(),
                running: VecDeque::new(),
            },
        };
        entry.sample();
        self.workers.insert(entry.info.worker_id.clone(), entry);
    }

    fn count_finished(&mut self, r: &ExecutionRecord) {
        if r.status == ExecutionStatus::Running {
            return;
        }
        let runs = self.runs.entry(r.job_name.clone()).or_default();
        runs.finished += 1;
        if r.status == ExecutionStatus::Success {
            runs.success += 1;
        }
        if r.end_time_ms >= runs.last_end_ms {
            runs.last_status = Some(r.status);
            runs.last_end_ms = r.end_time_ms;
        }
    }

    /// Folds one event of the `Watch` stream in. `Resync` is handled by the loop, which
    /// re-reads and calls [`State::apply_snapshot`].
    pub fn on_event(&mut self, event: pb::event::Event) {
        use pb::event::Event as E;
        match event {
            E::Job(ev) => {
                let Some(job) = ev.job else { return };
                if ev.kind == pb::job_event::Kind::Deleted as i32 {
                    self.remove_job(&job.name);
                } else {
                    self.upsert_job(job);
                }
            }
            E::Execution(ev) => {
                let Some(record) = ev.record else { return };
                let record = record_from_pb(record);
                if ev.kind == pb::execution_event::Kind::Started as i32 {
                    self.execution_started(record);
                } else {
                    self.execution_finished(record);
                }
            }
            E::Worker(ev) => {
                let Some(w) = ev.worker else { return };
                if ev.kind == pb::worker_event::Kind::Gone as i32 {
                    self.workers.remove(&w.worker_id);
                } else {
                    let prev = self.workers.remove(&w.worker_id);
                    self.upsert_worker(w, prev);
                }
                let len = self.row_count(Tab::Workers);
                self.cursors[2].scroll_into_view(len, self.page_rows());
            }
            E::Resync(_) => {}
        }
    }

    fn upsert_job(&mut self, job: pb::Job) {
        let name = job.name.clone();
        let entry = JobEntry::new(job);
        let matches = Self::job_matches(&self.needle(Tab::Jobs), &entry);
        self.jobs.insert(name.clone(), entry);
        match (self.job_view.binary_search(&name), matches) {
            (Err(at), true) => {
                self.job_view.insert(at, name);
                // Keep the same job selected when a row appears above it.
                let cursor = &mut self.cursors[0];
                if at <= cursor.selected && self.job_view.len() > 1 {
                    cursor.selected += 1;
                }
            }
            (Ok(at), false) => self.remove_from_job_view(at),
            _ => {}
        }
    }

    fn remove_job(&mut self, name: &str) {
        self.jobs.remove(name);
        if let Ok(at) = self.job_view.binary_search_by(|n| n.as_str().cmp(name)) {
            self.remove_from_job_view(at);
        }
    }

    fn remove_from_job_view(&mut self, at: usize) {
        self.job_view.remove(at);
        let len = self.job_view.len();
        let cursor = &mut self.cursors[0];
        if at < cursor.selected {
            cursor.selected -= 1;
        }
        let page = self.page_rows();
        self.cursors[0].scroll_into_view(len, page);
    }

    fn execution_started(&mut self, record: ExecutionRecord) {
        if self
            .executions
            .iter()
            .any(|r| r.execution_id == record.execution_id)
        {
            return;
        }
        self.running
            .insert(record.execution_id.clone(), record.job_name.clone());
        self.push_execution(record);
    }

    fn execution_finished(&mut self, record: ExecutionRecord) {
        self.running.remove(&record.execution_id);
        if let Overlay::Detail(Detail::Job { name, runs, .. }) = &mut self.overlay
            && *name == record.job_name
        {
            match runs
                .iter_mut()
                .find(|r| r.execution_id == record.execution_id)
            {
                Some(r) => *r = record.clone(),
                None => {
                    runs.insert(0, record.clone());
                    // Beside the runs of its tick that ended before it (other workers'
                    // runs of a broadcast tick).
                    *runs = grouped_by_tick(std::mem::take(runs));
                }
            }
        }
        match self
            .executions
            .iter_mut()
            .find(|r| r.execution_id == record.execution_id)
        {
            Some(seen) if seen.status != ExecutionStatus::Running => {} // counted already
            Some(seen) => {
                *seen = record.clone();
                self.count_finished(&record);
            }
            None => {
                self.count_finished(&record);
                self.push_execution(record);
            }
        }
    }

    fn push_execution(&mut self, record: ExecutionRecord) {
        let matches = Self::exec_matches(&self.needle(Tab::Executions), &record);
        self.executions.push_front(record);
        if self.executions.len() > MAX_EXECUTIONS {
            self.executions.pop_back();
        }
        // Keep the selected run selected as new ones arrive above it; at the top, follow
        // the newest.
        // No clamping here: counting the filtered rows on every event would be the costly
        // part under load, and drawing and moving clamp anyway.
        let cursor = &mut self.cursors[1];
        if matches && cursor.selected > 0 {
            cursor.selected += 1;
            cursor.offset += 1;
        }
    }

    /// The answer to [`Action::LoadJobDetail`].
    pub fn job_detail_loaded(
        &mut self,
        job: &str,
        result: Result<(Vec<pb::ExecutionRecord>, Option<pb::LogStats>), String>,
    ) {
        if let Overlay::Detail(Detail::Job {
            name,
            loading,
            error,
            runs,
            stats,
            selected,
            ..
        }) = &mut self.overlay
            && name == job
        {
            *loading = false;
            match result {
                Ok((records, s)) => {
                    *runs = grouped_by_tick(records.into_iter().map(record_from_pb).collect());
                    *stats = s;
                    *selected = 0;
                }
                Err(e) => *error = Some(e),
            }
        }
    }

    // ------------------------------------------------------------------------------------
    // Keys
    // ------------------------------------------------------------------------------------

    /// Handles one key press and returns what the loop must do.
    pub fn on_key(&mut self, key: KeyEvent) -> Action {
        if key.kind == KeyEventKind::Release {
            return Action::None;
        }
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return Action::Quit;
        }
        match &self.overlay {
            Overlay::ConfirmKill(job) => {
                let job = job.clone();
                return self.on_confirm_key(key, job);
            }
            Overlay::Help => {
                match key.code {
                    KeyCode::Char('q') => return Action::Quit,
                    KeyCode::Esc | KeyCode::Char('?') | KeyCode::Enter => {
                        self.overlay = Overlay::None;
                    }
                    _ => {}
                }
                return Action::None;
            }
            Overlay::Detail(_) => return self.on_detail_key(key),
            Overlay::None => {}
        }
        if self.editing_filter {
            return self.on_filter_key(key);
        }
        let page = self.page_rows() as isize;
        match key.code {
            KeyCode::Char('q') => return Action::Quit,
            KeyCode::Tab => self.tab = self.tab.next(),
            KeyCode::BackTab => self.tab = self.tab.prev(),
            KeyCode::Char('1') => self.tab = Tab::Jobs,
            KeyCode::Char('2') => self.tab = Tab::Executions,
            KeyCode::Char('3') => self.tab = Tab::Workers,
            KeyCode::Char('j') | KeyCode::Down => self.move_by(1),
            KeyCode::Char('k') | KeyCode::Up => self.move_by(-1),
            KeyCode::PageDown => self.move_by(page),
            KeyCode::PageUp => self.move_by(-page),
            KeyCode::Home | KeyCode::Char('g') => self.move_by(isize::MIN / 2),
            KeyCode::End | KeyCode::Char('G') => self.move_by(isize::MAX / 2),
            KeyCode::Char('?') => self.overlay = Overlay::Help,
            KeyCode::Char('/') => self.editing_filter = true,
            KeyCode::Esc if !self.filter(self.tab).is_empty() => self.set_filter(String::new()),
            KeyCode::Enter => return self.open_detail(),
            KeyCode::Char(c @ ('e' | 'd' | 'r' | 'x')) => {
                let Some(job) = self.target_job() else {
                    self.set_status(
                        "select a job first (Jobs or Executions tab)",
                        StatusKind::Error,
                    );
                    return Action::None;
                };
                return match c {
                    'e' => Action::Enable(job),
                    'd' => Action::Disable(job),
                    'r' => Action::Run(job),
                    _ => {
                        self.overlay = Overlay::ConfirmKill(job);
                        Action::None
                    }
                };
            }
            _ => {}
        }
        Action::None
    }

    fn move_by(&mut self, delta: isize) {
        let len = self.row_count(self.tab);
        let page = self.page_rows();
        self.cursors[self.tab.index()].move_by(delta, len, page);
    }

    fn on_confirm_key(&mut self, key: KeyEvent, job: String) -> Action {
        match key.code {
            KeyCode::Char('y' | 'Y') => {
                self.overlay = Overlay::None;
                Action::Kill(job)
            }
            KeyCode::Char('n' | 'N' | 'q') | KeyCode::Esc => {
                self.overlay = Overlay::None;
                self.set_status(format!("kill of {job:?} cancelled"), StatusKind::Info);
                Action::None
            }
            _ => Action::None,
        }
    }

    fn on_filter_key(&mut self, key: KeyEvent) -> Action {
        let mut text = self.filter(self.tab).to_owned();
        match key.code {
            KeyCode::Esc => {
                self.editing_filter = false;
                text.clear();
            }
            KeyCode::Enter => {
                self.editing_filter = false;
                return Action::None;
            }
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Char(c) => text.push(c),
            _ => return Action::None,
        }
        self.set_filter(text);
        Action::None
    }

    fn set_filter(&mut self, text: String) {
        self.filters[self.tab.index()] = text;
        match self.tab {
            Tab::Jobs => self.rebuild_job_view(),
            tab => {
                self.cursors[tab.index()] = Cursor::default();
            }
        }
    }

    fn open_detail(&mut self) -> Action {
        match self.tab {
            Tab::Jobs => {
                let Some(job) = self.selected_job() else {
                    return Action::None;
                };
                let name = job.job.name.clone();
                self.overlay = Overlay::Detail(Detail::Job {
                    name: name.clone(),
                    loading: true,
                    error: None,
                    runs: Vec::new(),
                    stats: None,
                    selected: 0,
                    scroll: 0,
                });
                Action::LoadJobDetail(name)
            }
            Tab::Executions => {
                if let Some(r) = self.selected_execution() {
                    self.overlay = Overlay::Detail(Detail::Run {
                        record: Box::new(r.clone()),
                        scroll: 0,
                    });
                }
                Action::None
            }
            Tab::Workers => {
                if let Some(w) = self.selected_worker() {
                    self.overlay = Overlay::Detail(Detail::Worker {
                        id: w.info.worker_id.clone(),
                    });
                }
                Action::None
            }
        }
    }

    fn on_detail_key(&mut self, key: KeyEvent) -> Action {
        let Overlay::Detail(detail) = &mut self.overlay else {
            return Action::None;
        };
        match key.code {
            KeyCode::Esc | KeyCode::Enter => self.overlay = Overlay::None,
            KeyCode::Char('q') => return Action::Quit,
            code => match detail {
                Detail::Job {
                    runs,
                    selected,
                    scroll,
                    ..
                } => match code {
                    KeyCode::Char('j') | KeyCode::Down => {
                        *selected = (*selected + 1).min(runs.len().saturating_sub(1));
                        *scroll = 0;
                    }
                    KeyCode::Char('k') | KeyCode::Up => {
                        *selected = selected.saturating_sub(1);
                        *scroll = 0;
                    }
                    KeyCode::PageDown => *scroll = scroll.saturating_add(10),
                    KeyCode::PageUp => *scroll = scroll.saturating_sub(10),
                    _ => {}
                },
                Detail::Run { scroll, .. } => match code {
                    KeyCode::Char('j') | KeyCode::Down => *scroll = scroll.saturating_add(1),
                    KeyCode::Char('k') | KeyCode::Up => *scroll = scroll.saturating_sub(1),
                    KeyCode::PageDown => *scroll = scroll.saturating_add(10),
                    KeyCode::PageUp => *scroll = scroll.saturating_sub(10),
                    KeyCode::Home => *scroll = 0,
                    _ => {}
                },
                Detail::Worker { .. } => {}
            },
        }
        Action::None
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// 2026-11-25 09:02:00 UTC, the fixed "now" of the tests.
    pub const NOW: i64 = 1_795_597_320_000;

    pub fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    pub fn ch(c: char) -> KeyEvent {
        key(KeyCode::Char(c))
    }

    pub fn job(name: &str, cron: &str) -> pb::Job {
        pb::Job {
            name: name.into(),
            cron_expr: cron.into(),
            command: format!("echo {name}"),
            timezone: "UTC".into(),
            ..Default::default()
        }
    }

    pub fn record(
        id: &str,
        job: &str,
        status: pb::ExecutionStatus,
        start_ms: i64,
    ) -> pb::ExecutionRecord {
        let running = status == pb::ExecutionStatus::Running;
        pb::ExecutionRecord {
            execution_id: id.into(),
            job_name: job.into(),
            command: format!("echo {job}"),
            output: if running {
                String::new()
            } else {
                format!("{job} says hi\n")
            },
            start_time: Some(schedd_proto::ts_from_ms(start_ms)),
            end_time: (!running).then(|| schedd_proto::ts_from_ms(start_ms + 12)),
            plan_time: Some(schedd_proto::ts_from_ms(start_ms)),
            exit_code: if status == pb::ExecutionStatus::Failed {
                1
            } else {
                0
            },
            status: status as i32,
            worker_id: "vm-embedded".into(),
            worker_ip: "127.0.0.1".into(),
            attempt: 1,
            trigger: pb::Trigger::Schedule as i32,
            ..Default::default()
        }
    }

    pub fn worker(id: &str, online: bool, running: u32, cpu: f64) -> pb::Worker {
        pb::Worker {
            worker_id: id.into(),
            ip: "10.0.0.7".into(),
            hostname: format!("{id}-host"),
            cpu_usage: cpu,
            mem_usage: 41.5,
            last_seen: Some(schedd_proto::ts_from_ms(NOW - 1000)),
            running,
            capacity: 16,
            online,
            version: "0.1.0".into(),
            ..Default::default()
        }
    }

    /// A state with three jobs, a few runs and two workers, as after a first resync.
    pub fn sample_state() -> State {
        use pb::ExecutionStatus as S;
        let mut state = State::new("http://127.0.0.1:8070", Zone::Utc, NOW);
        state.size = (100, 30);
        let mut nightly = job("nightly-backup", "TZ=Europe/Berlin 0 30 2 * * *");
        nightly.disabled = true;
        state.apply_snapshot(Snapshot {
            jobs: vec![
                job("hello", "* * * * * *"),
                nightly,
                job("report", "0 */5 * * * *"),
            ],
            records: vec![
                record("01a-0005", "hello", S::Success, NOW - 1_000),
                record("01a-0004", "report", S::Failed, NOW - 2_000),
                record("01a-0003", "hello", S::Timeout, NOW - 3_000),
                record("01a-0002", "hello", S::Success, NOW - 4_000),
                record("01a-0001", "report", S::Killed, NOW - 5_000),
            ],
            workers: vec![worker("vm-a", true, 2, 12.5), worker("vm-b", false, 0, 0.0)],
        });
        state
    }

    fn started(r: pb::ExecutionRecord) -> pb::event::Event {
        pb::event::Event::Execution(pb::ExecutionEvent {
            kind: pb::execution_event::Kind::Started as i32,
            record: Some(r),
        })
    }

    fn finished(r: pb::ExecutionRecord) -> pb::event::Event {
        pb::event::Event::Execution(pb::ExecutionEvent {
            kind: pb::execution_event::Kind::Finished as i32,
            record: Some(r),
        })
    }

    fn saved(j: pb::Job) -> pb::event::Event {
        pb::event::Event::Job(pb::JobEvent {
            kind: pb::job_event::Kind::Saved as i32,
            job: Some(j),
        })
    }

    #[test]
    fn tabs_switch_with_tab_backtab_and_digits() {
        let mut s = sample_state();
        assert_eq!(s.tab, Tab::Jobs);
        s.on_key(key(KeyCode::Tab));
        assert_eq!(s.tab, Tab::Executions);
        s.on_key(key(KeyCode::Tab));
        s.on_key(key(KeyCode::Tab));
        assert_eq!(s.tab, Tab::Jobs);
        s.on_key(key(KeyCode::BackTab));
        assert_eq!(s.tab, Tab::Workers);
        s.on_key(ch('2'));
        assert_eq!(s.tab, Tab::Executions);
        s.on_key(ch('1'));
        assert_eq!(s.tab, Tab::Jobs);
    }

    #[test]
    fn movement_is_clamped_to_the_rows() {
        let mut s = sample_state();
        s.on_key(ch('k'));
        assert_eq!(s.cursors[0].selected, 0);
        for _ in 0..10 {
            s.on_key(key(KeyCode::Down));
        }
        assert_eq!(s.cursors[0].selected, 2);
        s.on_key(key(KeyCode::Home));
        assert_eq!(s.cursors[0].selected, 0);
        s.on_key(key(KeyCode::End));
        assert_eq!(s.cursors[0].selected, 2);
        s.on_key(key(KeyCode::PageUp));
        assert_eq!(s.cursors[0].selected, 0);
        s.on_key(key(KeyCode::PageDown));
        assert_eq!(s.cursors[0].selected, 2);
        // An empty table keeps the cursor at 0.
        s.on_key(ch('3'));
        s.workers.clear();
        s.on_key(ch('j'));
        assert_eq!(s.cursors[2].selected, 0);
    }

    #[test]
    fn page_keys_keep_the_selection_in_view() {
        let mut s = State::new("e", Zone::Utc, NOW);
        s.size = (100, 30);
        s.apply_snapshot(Snapshot {
            jobs: (0..500)
                .map(|i| job(&format!("job-{i:04}"), "* * * * *"))
                .collect(),
            ..Snapshot::default()
        });
        let page = s.page_rows();
        assert!(page > 5, "{page}");
        s.on_key(key(KeyCode::PageDown));
        assert_eq!(s.cursors[0].selected, page);
        assert_eq!(s.cursors[0].offset, 1);
        s.on_key(key(KeyCode::End));
        assert_eq!(s.cursors[0].selected, 499);
        assert_eq!(s.cursors[0].offset, 500 - page);
        s.on_key(key(KeyCode::Home));
        assert_eq!(s.cursors[0], Cursor::default());
    }

    #[test]
    fn typed_filter_narrows_the_current_table_and_esc_clears_it() {
        let mut s = sample_state();
        s.on_key(ch('/'));
        assert!(s.editing_filter);
        for c in "rep".chars() {
            s.on_key(ch(c));
        }
        assert_eq!(s.job_view, vec!["report".to_owned()]);
        s.on_key(key(KeyCode::Backspace));
        s.on_key(key(KeyCode::Backspace));
        assert_eq!(s.filter(Tab::Jobs), "r");
        assert_eq!(s.job_view, vec!["nightly-backup", "report"]);
        s.on_key(key(KeyCode::Enter));
        assert!(!s.editing_filter);
        // `q` quits again once the filter is no longer being typed.
        assert_eq!(s.on_key(ch('q')), Action::Quit);
        // The filter belongs to its tab.
        s.on_key(ch('2'));
        assert_eq!(s.row_count(Tab::Executions), 5);
        s.on_key(ch('/'));
        for c in "FAIL".chars() {
            s.on_key(ch(c));
        }
        assert_eq!(s.row_count(Tab::Executions), 1);
        assert_eq!(
            s.selected_execution().map(|r| r.job_name.as_str()),
            Some("report")
        );
        s.on_key(key(KeyCode::Esc));
        assert_eq!(s.row_count(Tab::Executions), 5);
        s.on_key(ch('1'));
        s.on_key(key(KeyCode::Esc));
        assert_eq!(s.job_view.len(), 3);
    }

    /// A job that POSTs to a URL with a token in it.
    pub fn http_job(name: &str) -> pb::Job {
        pb::Job {
            command: String::new(),
            http: Some(pb::HttpRequest {
                method: "POST".into(),
                url: "https://hooks.example.com/deploy?token=s3cr3t".into(),
                headers: [("Authorization".to_owned(), "Bearer s3cr3t".to_owned())].into(),
                ..Default::default()
            }),
            ..job(name, "0 0 * * * *")
        }
    }

    #[test]
    fn an_http_job_is_found_by_its_request_but_not_by_its_secret() {
        let mut s = sample_state();
        s.on_event(pb::event::Event::Job(pb::JobEvent {
            kind: pb::job_event::Kind::Saved as i32,
            job: Some(http_job("deploy-hook")),
        }));
        assert_eq!(
            s.jobs["deploy-hook"].what,
            "POST https://hooks.example.com/deploy?token=***"
        );
        assert_eq!(s.jobs["hello"].what, "echo hello");
        let find = |s: &mut State, text: &str| {
            s.set_filter(text.to_owned());
            s.job_view.clone()
        };
        assert_eq!(find(&mut s, "hooks.example"), ["deploy-hook"]);
        assert_eq!(find(&mut s, "post "), ["deploy-hook"]);
        assert!(find(&mut s, "s3cr3t").is_empty());
        // A job arriving while a filter is set is matched the same way.
        s.on_event(pb::event::Event::Job(pb::JobEvent {
            kind: pb::job_event::Kind::Saved as i32,
            job: Some(http_job("another-hook")),
        }));
        assert!(s.job_view.is_empty());
        assert_eq!(
            find(&mut s, "example.com/deploy"),
            ["another-hook", "deploy-hook"]
        );
        assert_eq!(find(&mut s, "echo hel"), ["hello"]);
    }

    #[test]
    fn kill_asks_for_confirmation_and_only_yes_kills() {
        let mut s = sample_state();
        assert_eq!(s.on_key(ch('x')), Action::None);
        assert_eq!(s.overlay, Overlay::ConfirmKill("hello".into()));
        // Other keys do nothing while the question is open.
        assert_eq!(s.on_key(ch('j')), Action::None);
        assert_eq!(s.on_key(ch('n')), Action::None);
        assert_eq!(s.overlay, Overlay::None);
        assert!(
            s.status
                .as_ref()
                .is_some_and(|(t, _, _)| t.contains("cancelled"))
        );
        s.on_key(ch('x'));
        assert_eq!(s.on_key(ch('y')), Action::Kill("hello".into()));
        assert_eq!(s.overlay, Overlay::None);
    }

    #[test]
    fn action_keys_name_the_selected_job() {
        let mut s = sample_state();
        s.on_key(ch('j'));
        assert_eq!(s.on_key(ch('e')), Action::Enable("nightly-backup".into()));
        assert_eq!(s.on_key(ch('d')), Action::Disable("nightly-backup".into()));
        assert_eq!(s.on_key(ch('r')), Action::Run("nightly-backup".into()));
        // On the Executions tab they act on the selected run's job.
        s.on_key(ch('2'));
        s.on_key(ch('j'));
        assert_eq!(s.on_key(ch('r')), Action::Run("report".into()));
        s.on_key(ch('3'));
        assert_eq!(s.on_key(ch('r')), Action::None);
        assert_eq!(s.status.as_ref().map(|s| s.1), Some(StatusKind::Error));
        s.action_done(Err("boom".into()));
        assert_eq!(s.status.as_ref().map(|s| s.0.as_str()), Some("boom"));
        let mut ctrl_c = ch('c');
        ctrl_c.modifiers = KeyModifiers::CONTROL;
        assert_eq!(s.on_key(ctrl_c), Action::Quit);
    }

    #[test]
    fn help_and_detail_overlays_open_and_close() {
        let mut s = sample_state();
        s.on_key(ch('?'));
        assert_eq!(s.overlay, Overlay::Help);
        s.on_key(key(KeyCode::Esc));
        assert_eq!(s.overlay, Overlay::None);
        assert_eq!(
            s.on_key(key(KeyCode::Enter)),
            Action::LoadJobDetail("hello".into())
        );
        s.job_detail_loaded(
            "hello",
            Ok((
                vec![record("r1", "hello", pb::ExecutionStatus::Success, NOW)],
                None,
            )),
        );
        let Overlay::Detail(Detail::Job { runs, loading, .. }) = &s.overlay else {
            panic!("job detail open: {:?}", s.overlay);
        };
        assert!(!loading);
        assert_eq!(runs.len(), 1);
        s.on_key(key(KeyCode::Esc));
        assert_eq!(s.overlay, Overlay::None);
        s.on_key(ch('2'));
        s.on_key(key(KeyCode::Enter));
        assert!(
            matches!(&s.overlay, Overlay::Detail(Detail::Run { record, .. }) if record.execution_id == "01a-0005")
        );
    }

    /// A run of `job` on `worker` for the tick planned at `plan_ms`, started `late` ms after.
    pub fn tick_run(
        id: &str,
        job: &str,
        worker: &str,
        plan_ms: i64,
        late: i64,
    ) -> pb::ExecutionRecord {
        pb::ExecutionRecord {
            worker_id: worker.into(),
            plan_time: Some(schedd_proto::ts_from_ms(plan_ms)),
            ..record(id, job, pb::ExecutionStatus::Success, plan_ms + late)
        }
    }

    fn shown_runs(s: &State) -> Vec<String> {
        let Overlay::Detail(Detail::Job { runs, .. }) = &s.overlay else {
            panic!("job detail open: {:?}", s.overlay);
        };
        runs.iter().map(|r| r.execution_id.clone()).collect()
    }

    #[test]
    fn a_jobs_runs_of_one_tick_are_kept_together() {
        let mut s = sample_state();
        s.on_key(key(KeyCode::Enter));
        let (t1, t2) = (NOW - 2_000, NOW - 1_000);
        // Newest start first, as the master sends them: the workers of tick t1 were slow.
        s.job_detail_loaded(
            "hello",
            Ok((
                vec![
                    tick_run("t1-b", "hello", "vm-b", t1, 1_500),
                    tick_run("t2-a", "hello", "vm-a", t2, 10),
                    tick_run("t1-a", "hello", "vm-a", t1, 20),
                ],
                None,
            )),
        );
        assert_eq!(shown_runs(&s), ["t1-b", "t1-a", "t2-a"]);
        // A run that ends later joins its tick's runs.
        s.on_event(finished(tick_run("t2-b", "hello", "vm-b", t2, 30)));
        assert_eq!(shown_runs(&s), ["t2-b", "t2-a", "t1-b", "t1-a"]);
        s.on_event(finished(tick_run("t1-c", "hello", "vm-c", t1, 40)));
        assert_eq!(shown_runs(&s), ["t1-c", "t1-b", "t1-a", "t2-b", "t2-a"]);
    }

    #[test]
    fn resync_replaces_the_data() {
        let mut s = sample_state();
        s.apply_snapshot(Snapshot {
            jobs: vec![job("only", "@hourly")],
            records: vec![record("z1", "only", pb::ExecutionStatus::Failed, NOW)],
            workers: vec![worker("vm-a", true, 5, 50.0)],
        });
        assert_eq!(s.job_view, vec!["only"]);
        assert_eq!(s.executions.len(), 1);
        assert!(!s.runs.contains_key("hello"));
        assert_eq!(s.runs["only"].last_status, Some(ExecutionStatus::Failed));
        assert_eq!(s.workers.len(), 1);
        // The worker's history goes on across a resync.
        assert_eq!(s.workers["vm-a"].running, [2, 5]);
        assert_eq!(s.connection, Connection::Connected);
    }

    #[test]
    fn a_resync_shows_runs_going_on_that_the_dashboard_never_saw_start() {
        use pb::ExecutionStatus as S;
        let mut s = State::new("http://127.0.0.1:8070", Zone::Utc, NOW);
        s.apply_snapshot(Snapshot {
            jobs: vec![job("hello", "* * * * * *")],
            records: vec![
                record("done-1", "hello", S::Success, NOW - 2_000),
                // Listed as running and as stored: it ended between the two reads.
                record("both-1", "hello", S::Success, NOW - 1_000),
                record("both-1", "hello", S::Running, NOW - 1_001),
                record("going-1", "hello", S::Running, NOW - 500),
            ],
            workers: vec![],
        });
        assert_eq!(s.running_count("hello"), 1);
        assert!(s.running.contains_key("going-1"));
        let ids: Vec<&str> = s
            .executions
            .iter()
            .map(|r| r.execution_id.as_str())
            .collect();
        assert_eq!(ids, ["going-1", "both-1", "done-1"]);
        assert_eq!(s.executions[1].status, ExecutionStatus::Success);
    }

    #[test]
    fn a_finished_execution_updates_the_jobs_last_result() {
        let mut s = sample_state();
        assert_eq!(s.runs["hello"].last_status, Some(ExecutionStatus::Success));
        assert_eq!((s.runs["hello"].finished, s.runs["hello"].success), (3, 2));
        let run = record("new-1", "hello", pb::ExecutionStatus::Running, NOW);
        s.on_event(started(run.clone()));
        assert_eq!(s.running_count("hello"), 1);
        assert_eq!(s.executions[0].status, ExecutionStatus::Running);
        let mut done = run;
        done.status = pb::ExecutionStatus::Failed as i32;
        done.end_time = Some(schedd_proto::ts_from_ms(NOW + 5));
        s.on_event(finished(done.clone()));
        assert_eq!(s.running_count("hello"), 0);
        assert_eq!(s.executions.len(), 6);
        assert_eq!(s.executions[0].status, ExecutionStatus::Failed);
        assert_eq!(s.runs["hello"].last_status, Some(ExecutionStatus::Failed));
        assert_eq!((s.runs["hello"].finished, s.runs["hello"].success), (4, 2));
        // The same event twice (e.g. also in a resync page) is counted once.
        s.on_event(finished(done));
        assert_eq!(s.runs["hello"].finished, 4);
    }

    #[test]
    fn new_runs_keep_a_selected_run_selected() {
        let mut s = sample_state();
        s.on_key(ch('2'));
        s.on_key(ch('j'));
        let before = s.selected_execution().map(|r| r.execution_id.clone());
        s.on_event(started(record(
            "n",
            "hello",
            pb::ExecutionStatus::Running,
            NOW,
        )));
        assert_eq!(
            s.selected_execution().map(|r| r.execution_id.clone()),
            before
        );
        // At the top, the selection follows the newest.
        s.on_key(key(KeyCode::Home));
        s.on_event(started(record(
            "m",
            "hello",
            pb::ExecutionStatus::Running,
            NOW,
        )));
        assert_eq!(
            s.selected_execution().map(|r| r.execution_id.as_str()),
            Some("m")
        );
    }

    #[test]
    fn job_events_insert_sorted_and_keep_the_selection() {
        let mut s = sample_state();
        s.on_key(ch('j')); // nightly-backup
        s.on_event(saved(job("aaa", "@daily")));
        assert_eq!(s.job_view[0], "aaa");
        assert_eq!(
            s.selected_job().map(|j| j.job.name.as_str()),
            Some("nightly-backup")
        );
        s.on_event(pb::event::Event::Job(pb::JobEvent {
            kind: pb::job_event::Kind::Deleted as i32,
            job: Some(pb::Job {
                name: "aaa".into(),
                ..Default::default()
            }),
        }));
        assert_eq!(s.job_view.len(), 3);
        assert_eq!(
            s.selected_job().map(|j| j.job.name.as_str()),
            Some("nightly-backup")
        );
        // A save that changes the job shows at once.
        let mut disabled = job("hello", "* * * * * *");
        disabled.disabled = true;
        s.on_event(saved(disabled));
        assert!(s.jobs["hello"].job.disabled);
    }

    #[test]
    fn worker_events_add_history_samples() {
        let mut s = sample_state();
        s.on_event(pb::event::Event::Worker(pb::WorkerEvent {
            kind: pb::worker_event::Kind::Updated as i32,
            worker: Some(worker("vm-a", true, 7, 80.0)),
        }));
        assert_eq!(s.workers["vm-a"].running, [2, 7]);
        assert_eq!(s.workers["vm-a"].cpu, [13, 80]);
    }

    #[test]
    fn a_stream_error_shows_the_disconnected_state_until_the_next_snapshot() {
        let mut s = sample_state();
        s.disconnected("connection refused", 1000);
        assert!(matches!(s.connection, Connection::Disconnected { .. }));
        // The data stays on screen while disconnected.
        assert_eq!(s.job_view.len(), 3);
        s.apply_snapshot(Snapshot::default());
        assert_eq!(s.connection, Connection::Connected);
    }

    #[test]
    fn next_fire_is_computed_client_side_and_cached() {
        let s = sample_state();
        assert_eq!(s.jobs["hello"].next_fire(NOW), Some(NOW + 1000));
        assert_eq!(s.jobs["report"].next_fire(NOW), Some(NOW + 180_000));
        assert_eq!(s.jobs["nightly-backup"].next_fire(NOW), None, "disabled");
        assert_eq!(s.jobs["hello"].next_fire(NOW + 1000), Some(NOW + 2000));
    }

    #[test]
    fn the_clock_asks_for_a_redraw_once_a_second() {
        let mut s = sample_state();
        assert!(!s.tick(NOW + 250));
        assert!(s.tick(NOW + 1000));
        s.set_status("x", StatusKind::Info);
        assert!(s.tick(NOW + 1000 + STATUS_TTL_MS + 1));
        assert!(s.status.is_none());
    }
}

//! The exactly-once checker of the fault suite (`faults.rs`): pure functions over what a
//! cluster left behind, listing every way that history breaks the cluster's promises. Its
//! inputs are plain data: the jobs as saved, the window whose ticks must each be accounted
//! for, the faults injected (only a worker's pause changes a verdict, see below), and the
//! [`History`]: every execution record, each record's stdout, every run marker the workers
//! ever wrote and every tick they claimed (from etcd's history), the markers still there at
//! the end, and the lines each job's command appended to its job's file when it really ran.
//!
//! The runner gives a run's process no execution id (its environment is the worker's plus the
//! job's `env`), so the commands tie themselves to their records another way: each makes up a
//! token, prints it (it lands in its record's output) and appends it, with its worker
//! (`$WORKER_ID`, from the worker's environment) and the time, to its job's file. A process
//! whose token is in no record ran without a record, unless a record that carries no output
//! (`lost`: its worker died) or a marker without a record accounts for it.
//!
//! Findings, each naming the job, the tick and the records involved:
//! - [`Finding::Duplicate`]: two records that both ran one tick; [`Finding::AccountedTwice`]:
//!   a tick recorded more than once otherwise (run and skipped, skipped twice). The claim key
//!   of a tick is created once, so every tick has one record at most.
//! - [`Finding::Missed`]: a tick of the schedule in the window with no record and no run
//!   started: neither run nor recorded skipped; it names the worker that claimed the tick,
//!   if one did (its record was lost), or says none did. Ticks within [`LOAD_GRACE_MS`] of a job's
//!   save are not expected: a job that never ran has no missed ticks (see "Missed ticks" in
//!   the README), and a worker may learn of the job just after its first tick.
//! - [`Finding::Late`]: a tick that ran later than its catch-up policy allows: its
//!   `catchUpSeconds`, or the timetable's 5 s grace without one (`schedd_worker::catchup`),
//!   plus [`LATE_SLACK_MS`] for spawning and clock skew. Late ticks are to be recorded
//!   `skipped` instead. A run whose worker was paused after the tick is let off: a frozen
//!   process cannot skip anything.
//! - [`Finding::RecordLost`]: a run a worker started (its marker) with no record, or
//!   [`Finding::ProcessUnrecorded`]: a process that ran with neither record nor marker.
//! - [`Finding::Stuck`]: a run still marked running once the cluster settled, or a record
//!   stored as `running` (the store keeps finished runs only).
//! - [`Finding::Overlap`]: two runs of a `forbid` job at once, from the records' start and
//!   end, and from the processes' own times (which see what records cannot: a process that
//!   outlived its worker, recorded `lost`). `lost` records are left out of the first: their end
//!   is the time a peer noticed the loss, not the run's. The one documented window is let off:
//!   a worker frozen past its lease cannot stop its runs until it resumes, so a run that
//!   started while the other's worker was paused is no finding (README, "A worker cut off or
//!   paused fences itself"). A process that wrote no end line, and whose worker was killed
//!   after it started, ended at the kill (its worker's reaper kills its group at once; within
//!   [`KILL_SLACK_MS`]): one that outlived its worker writes its end line when it ends.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{DateTime, Utc};
use schedd_core::{Overlap, Schedule};

use crate::harness::{Claim, Marker, Rec};

/// Ticks this soon after a job's save may come before every worker has loaded the job.
pub const LOAD_GRACE_MS: i64 = 2_000;
/// How late a tick may run without a catch-up window: the timetable's grace.
pub const LATE_GRACE_MS: i64 = schedd_worker::timetable::LATE_GRACE_SECS * 1_000;
/// Allowed on top of a tick's policy: the policy is applied when the run gets its slot, the
/// process is spawned a moment later, and a skewed worker's clock is off by up to a second.
pub const LATE_SLACK_MS: i64 = 2_000;
/// How far apart a process's start and the marker or `lost` record that accounts for it
/// may be: the marker is written at the claim, by the worker's (possibly skewed) clock.
pub const MATCH_SLACK_MS: i64 = 5_000;

/// How soon after its worker is killed a run's processes are dead: the reaper reads the
/// end of its pipe and kills their groups at once.
pub const KILL_SLACK_MS: i64 = 1_000;

/// A job of the load, as it was saved.
#[derive(Debug, Clone)]
pub struct JobSpec {
    pub name: String,
    pub cron: String,
    pub overlap: Overlap,
    pub catch_up_seconds: u64,
    pub saved_at_ms: i64,
}

/// The ticks `[from_ms, to_ms)` must each be accounted for.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub from_ms: i64,
    pub to_ms: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// SIGKILL, then started again once its lease expired.
    WorkerKilled,
    /// SIGSTOP until SIGCONT.
    WorkerPaused,
    WorkerClockSkewed,
    /// The worker's connections to etcd cut.
    WorkerCut,
    EtcdRestarted,
    /// The master, and with it the log store, stopped.
    MasterStopped,
    MasterKilled,
}

/// A fault injected during `[from_ms, to_ms]`, into `worker` when it names one.
#[derive(Debug, Clone)]
pub struct Fault {
    pub kind: FaultKind,
    pub worker: Option<String>,
    pub from_ms: i64,
    pub to_ms: i64,
}

/// A process a job's command started, from the lines it appended to its job's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    pub job: String,
    pub token: String,
    pub worker: String,
    pub start_ms: i64,
    /// `None`: it wrote no end line (killed with SIGKILL, or still running).
    pub end_ms: Option<i64>,
}

/// What a cluster left behind.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub records: Vec<Rec>,
    /// Each record's stdout, by execution id.
    pub outputs: BTreeMap<String, String>,
    /// Every run a worker started under a claim (its marker).
    pub started: Vec<Marker>,
    /// The markers still there once the cluster settled.
    pub left_running: Vec<Marker>,
    pub processes: Vec<Process>,
    /// Every tick claimed: a missed tick that was claimed lost the record of its claim,
    /// one that was not was taken by no worker.
    pub claims: Vec<Claim>,
}

/// One run's span of time, from its record or its process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The execution id, or the process's token when no record carries it.
    pub id: String,
    pub worker: String,
    pub start_ms: i64,
    pub end_ms: i64,
    /// `record` or `process`.
    pub source: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    Duplicate {
        job: String,
        tick_ms: i64,
        records: Vec<Rec>,
    },
    AccountedTwice {
        job: String,
        tick_ms: i64,
        records: Vec<Rec>,
    },
    Missed {
        job: String,
        tick_ms: i64,
        claim: Option<Claim>,
    },
    Late {
        job: String,
        tick_ms: i64,
        allowed_ms: i64,
        record: Rec,
    },
    RecordLost {
        marker: Marker,
    },
    ProcessUnrecorded {
        process: Process,
    },
    Stuck {
        job: String,
        tick_ms: i64,
        execution_id: String,
        worker: String,
        why: &'static str,
    },
    Overlap {
        job: String,
        a: Span,
        b: Span,
    },
}

impl Finding {
    /// Whether time may still mend it: a record on its way, a run still ending.
    pub fn may_settle(&self) -> bool {
        matches!(
            self,
            Finding::Missed { .. }
                | Finding::RecordLost { .. }
                | Finding::ProcessUnrecorded { .. }
                | Finding::Stuck { .. }
        )
    }
}

fn at(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map_or_else(|| ms.to_string(), |t| t.format("%H:%M:%S%.3f").to_string())
}

struct Recs<'a>(&'a [Rec]);

impl fmt::Display for Recs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for r in self.0 {
            write!(f, "\n      {}", RecLine(r))?;
        }
        Ok(())
    }
}

struct RecLine<'a>(&'a Rec);

impl fmt::Display for RecLine<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = self.0;
        write!(
            f,
            "{} on {}: {} ({}) {}..{}",
            r.execution_id,
            r.worker,
            r.status,
            r.trigger,
            at(r.start_ms),
            at(r.end_ms)
        )?;
        if !r.error.is_empty() {
            write!(f, " \"{}\"", r.error)?;
        }
        Ok(())
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} on {} {}..{}",
            self.source,
            self.id,
            self.worker,
            at(self.start_ms),
            at(self.end_ms)
        )
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::Duplicate {
                job,
                tick_ms,
                records,
            } => write!(
                f,
                "duplicate: tick {} of {job} ran {} times:{}",
                at(*tick_ms),
                records.iter().filter(|r| ran(r)).count(),
                Recs(records)
            ),
            Finding::AccountedTwice {
                job,
                tick_ms,
                records,
            } => write!(
                f,
                "accounted twice: tick {} of {job} has {} records:{}",
                at(*tick_ms),
                records.len(),
                Recs(records)
            ),
            Finding::Missed {
                job,
                tick_ms,
                claim,
            } => {
                write!(
                    f,
                    "missed: tick {} of {job} was neither run nor recorded; ",
                    at(*tick_ms)
                )?;
                match claim {
                    Some(c) => write!(f, "{} claimed it (execution {})", c.worker, c.execution_id),
                    None => write!(f, "no worker claimed it"),
                }
            }
            Finding::Late {
                job,
                tick_ms,
                allowed_ms,
                record,
            } => write!(
                f,
                "late: tick {} of {job} started {} ms after it, its policy allows {allowed_ms} ms:\n      {}",
                at(*tick_ms),
                record.start_ms - tick_ms,
                RecLine(record)
            ),
            Finding::RecordLost { marker: m } => write!(
                f,
                "record lost: {} started {} (tick {}) on {} at {} and has no record",
                m.job,
                m.execution_id,
                at(m.plan_ms),
                m.worker,
                at(m.start_ms)
            ),
            Finding::ProcessUnrecorded { process: p } => write!(
                f,
                "process unrecorded: a process of {} (token {}) ran on {} from {} and no record or marker accounts for it",
                p.job,
                p.token,
                p.worker,
                at(p.start_ms)
            ),
            Finding::Stuck {
                job,
                tick_ms,
                execution_id,
                worker,
                why,
            } => write!(
                f,
                "stuck: {execution_id} of {job} (tick {}) on {worker}: {why}",
                at(*tick_ms)
            ),
            Finding::Overlap { job, a, b } => {
                write!(
                    f,
                    "overlap: two runs of forbid job {job} at once:\n      {a}\n      {b}"
                )
            }
        }
    }
}

/// Whether the record stands for a run that started: anything but a skip, or a kill that
/// came before the process did.
fn ran(r: &Rec) -> bool {
    match r.status.as_str() {
        "skipped" => false,
        "killed" => !r.error.contains("before it started"),
        _ => true,
    }
}

/// Whether `worker` was paused at some time in `[from_ms, to_ms]`.
/// When `worker` was first killed at or after `from_ms`, if it was.
fn killed_after(faults: &[Fault], worker: &str, from_ms: i64) -> Option<i64> {
    faults
        .iter()
        .filter(|f| {
            f.kind == FaultKind::WorkerKilled
                && f.worker.as_deref() == Some(worker)
                && f.from_ms >= from_ms
        })
        .map(|f| f.from_ms)
        .min()
}

fn paused(faults: &[Fault], worker: &str, from_ms: i64, to_ms: i64) -> bool {
    faults.iter().any(|f| {
        f.kind == FaultKind::WorkerPaused
            && f.worker.as_deref() == Some(worker)
            && f.from_ms <= to_ms
            && from_ms <= f.to_ms
    })
}

/// Every finding in `history`, in a stable order: by kind, then job, then time.
pub fn check(jobs: &[JobSpec], window: Window, faults: &[Fault], h: &History) -> Vec<Finding> {
    let mut findings = Vec::new();
    let by_job: BTreeMap<&str, &JobSpec> = jobs.iter().map(|j| (j.name.as_str(), j)).collect();
    let mut by_tick: BTreeMap<(&str, i64), Vec<&Rec>> = BTreeMap::new();
    for r in &h.records {
        by_tick
            .entry((r.job.as_str(), r.plan_ms))
            .or_default()
            .push(r);
    }

    // Each tick once.
    for ((job, tick_ms), recs) in &by_tick {
        if recs.len() < 2 {
            continue;
        }
        let records: Vec<Rec> = recs.iter().map(|r| (*r).clone()).collect();
        let (job, tick_ms) = ((*job).to_owned(), *tick_ms);
        findings.push(if recs.iter().filter(|r| ran(r)).count() >= 2 {
            Finding::Duplicate {
                job,
                tick_ms,
                records,
            }
        } else {
            Finding::AccountedTwice {
                job,
                tick_ms,
                records,
            }
        });
    }

    // Every tick of the window, run or recorded. A tick whose run started (a marker) but has
    // no record is a lost record, found below, not a missed tick.
    let started_ticks: BTreeSet<(&str, i64)> = h
        .started
        .iter()
        .map(|m| (m.job.as_str(), m.plan_ms))
        .collect();
    for job in jobs {
        let schedule = Schedule::parse(&job.cron, chrono_tz::UTC).expect("a valid schedule");
        let from = window.from_ms.max(job.saved_at_ms + LOAD_GRACE_MS);
        let mut cursor = DateTime::<Utc>::from_timestamp_millis(from - 1).expect("a valid time");
        while let Some(tick) = schedule.next_after(cursor) {
            let tick_ms = tick.timestamp_millis();
            if tick_ms >= window.to_ms {
                break;
            }
            let key = (job.name.as_str(), tick_ms);
            if !by_tick.contains_key(&key) && !started_ticks.contains(&key) {
                findings.push(Finding::Missed {
                    job: job.name.clone(),
                    tick_ms,
                    claim: h
                        .claims
                        .iter()
                        .find(|c| c.job == job.name && c.tick_ms == tick_ms)
                        .cloned(),
                });
            }
            cursor = tick;
        }
    }

    // No tick later than its policy allows.
    for r in &h.records {
        let Some(job) = by_job.get(r.job.as_str()) else {
            continue;
        };
        if !matches!(r.trigger.as_str(), "schedule" | "catch-up") || !ran(r) || r.status == "lost" {
            continue;
        }
        let window_ms = i64::try_from(job.catch_up_seconds)
            .unwrap_or(i64::MAX / 2_000)
            .saturating_mul(1_000);
        let allowed_ms = window_ms.max(LATE_GRACE_MS) + LATE_SLACK_MS;
        if r.start_ms - r.plan_ms > allowed_ms && !paused(faults, &r.worker, r.plan_ms, r.start_ms)
        {
            findings.push(Finding::Late {
                job: r.job.clone(),
                tick_ms: r.plan_ms,
                allowed_ms,
                record: r.clone(),
            });
        }
    }

    // Every run recorded; nothing left running.
    let recorded: BTreeSet<&str> = h.records.iter().map(|r| r.execution_id.as_str()).collect();
    let still: BTreeSet<&str> = h
        .left_running
        .iter()
        .map(|m| m.execution_id.as_str())
        .collect();
    for m in &h.started {
        if !recorded.contains(m.execution_id.as_str()) && !still.contains(m.execution_id.as_str()) {
            findings.push(Finding::RecordLost { marker: m.clone() });
        }
    }
    let (linked, unrecorded) = link_processes(h);
    findings.extend(
        unrecorded
            .into_iter()
            .map(|p| Finding::ProcessUnrecorded { process: p.clone() }),
    );
    for m in &h.left_running {
        findings.push(Finding::Stuck {
            job: m.job.clone(),
            tick_ms: m.plan_ms,
            execution_id: m.execution_id.clone(),
            worker: m.worker.clone(),
            why: "still marked running after the cluster settled",
        });
    }
    for r in h.records.iter().filter(|r| r.status == "running") {
        findings.push(Finding::Stuck {
            job: r.job.clone(),
            tick_ms: r.plan_ms,
            execution_id: r.execution_id.clone(),
            worker: r.worker.clone(),
            why: "stored with status running",
        });
    }

    // `forbid` jobs never ran beside themselves.
    let ends: BTreeMap<&str, i64> = h
        .records
        .iter()
        .map(|r| (r.execution_id.as_str(), r.end_ms))
        .collect();
    let mut reported: BTreeSet<(String, String, String)> = BTreeSet::new();
    for job in jobs.iter().filter(|j| j.overlap == Overlap::Forbid) {
        let records: Vec<Span> = h
            .records
            .iter()
            .filter(|r| r.job == job.name && ran(r) && r.status != "lost")
            .map(|r| Span {
                id: r.execution_id.clone(),
                worker: r.worker.clone(),
                start_ms: r.start_ms,
                end_ms: r.end_ms,
                source: "record",
            })
            .collect();
        let processes: Vec<Span> = h
            .processes
            .iter()
            .filter(|p| p.job == job.name)
            .filter_map(|p| {
                let id = linked.get(p.token.as_str()).copied();
                let end_ms = p
                    .end_ms
                    .or_else(|| {
                        killed_after(faults, &p.worker, p.start_ms).map(|k| k + KILL_SLACK_MS)
                    })
                    .or_else(|| id.and_then(|id| ends.get(id).copied()))?;
                Some(Span {
                    id: id.unwrap_or(&p.token).to_owned(),
                    worker: p.worker.clone(),
                    start_ms: p.start_ms,
                    end_ms,
                    source: "process",
                })
            })
            .collect();
        for spans in [records, processes] {
            for (a, b) in overlaps(spans) {
                if paused(faults, &a.worker, b.start_ms, b.start_ms) {
                    continue;
                }
                let key = (job.name.clone(), a.id.clone(), b.id.clone());
                if reported.insert(key) {
                    findings.push(Finding::Overlap {
                        job: job.name.clone(),
                        a,
                        b,
                    });
                }
            }
        }
    }
    findings
}

/// Pairs of spans that overlap, each as (earlier start, later start).
fn overlaps(mut spans: Vec<Span>) -> Vec<(Span, Span)> {
    spans.sort_by_key(|s| (s.start_ms, s.end_ms));
    let mut out = Vec::new();
    for (i, a) in spans.iter().enumerate() {
        for b in &spans[i + 1..] {
            if b.start_ms >= a.end_ms {
                // Sorted by start: no later span starts before `a` ends either.
                break;
            }
            out.push((a.clone(), b.clone()));
        }
    }
    out
}

/// Ties each process to its record by the token in the record's output; returns those
/// links (token to execution id) and the processes nothing accounts for. A process whose
/// token no record carries is accounted for by a run of its job on its worker that started
/// at about the same time and has no output of its own: a `lost` record, or a marker
/// without a record (itself a finding already). Each of those accounts for one process.
fn link_processes(h: &History) -> (BTreeMap<&str, &str>, Vec<&Process>) {
    let mut linked = BTreeMap::new();
    for (id, output) in &h.outputs {
        for line in output.lines().map(str::trim).filter(|l| !l.is_empty()) {
            linked.insert(line, id.as_str());
        }
    }
    let recorded: BTreeSet<&str> = h.records.iter().map(|r| r.execution_id.as_str()).collect();
    // (job, worker, start) of each run that left no output.
    let mut silent: Vec<Option<(&str, &str, i64)>> = h
        .records
        .iter()
        .filter(|r| r.status == "lost")
        .map(|r| Some((r.job.as_str(), r.worker.as_str(), r.start_ms)))
        .chain(
            h.started
                .iter()
                .filter(|m| !recorded.contains(m.execution_id.as_str()))
                .map(|m| Some((m.job.as_str(), m.worker.as_str(), m.start_ms))),
        )
        .collect();
    let mut unaccounted = Vec::new();
    let mut orphans: Vec<&Process> = h
        .processes
        .iter()
        .filter(|p| !linked.contains_key(p.token.as_str()))
        .collect();
    orphans.sort_by_key(|p| p.start_ms);
    for p in orphans {
        let best = silent
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let (job, worker, start) = (*s)?;
                let gap = (start - p.start_ms).abs();
                (job == p.job && worker == p.worker && gap <= MATCH_SLACK_MS).then_some((gap, i))
            })
            .min();
        match best {
            Some((_, i)) => silent[i] = None,
            None => unaccounted.push(p),
        }
    }
    (linked, unaccounted)
}

/// The processes in a job's file: `start <token> <worker> <ms>` when one begins, `end
/// <token> <ms>` when it ends. A line cut short (a process killed as it wrote) is ignored.
pub fn parse_processes(job: &str, text: &str) -> Vec<Process> {
    let mut starts: BTreeMap<&str, Process> = BTreeMap::new();
    let mut ends: BTreeMap<&str, i64> = BTreeMap::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        match fields.as_slice() {
            ["start", token, worker, ms] => {
                if let Ok(ms) = ms.parse() {
                    starts.insert(
                        token,
                        Process {
                            job: job.to_owned(),
                            token: (*token).to_owned(),
                            worker: (*worker).to_owned(),
                            start_ms: ms,
                            end_ms: None,
                        },
                    );
                }
            }
            ["end", token, ms] => {
                if let Ok(ms) = ms.parse() {
                    ends.insert(token, ms);
                }
            }
            _ => {}
        }
    }
    starts
        .into_iter()
        .map(|(token, mut p)| {
            p.end_ms = ends.get(token).copied();
            p
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2027-01-15 08:00:00 UTC.
    const T0: i64 = 1_800_000_000_000;
    const WORKERS: [&str; 3] = ["worker-1", "worker-2", "worker-3"];

    fn job(name: &str, overlap: Overlap) -> JobSpec {
        JobSpec {
            name: name.into(),
            cron: "* * * * * *".into(),
            overlap,
            catch_up_seconds: 0,
            saved_at_ms: T0 - 10_000,
        }
    }

    fn jobs() -> Vec<JobSpec> {
        vec![
            job("allowed", Overlap::Allow),
            job("exclusive", Overlap::Forbid),
        ]
    }

    fn window() -> Window {
        Window {
            from_ms: T0,
            to_ms: T0 + 10_000,
        }
    }

    fn rec(job: &str, tick: i64, id: &str, worker: &str) -> Rec {
        Rec {
            execution_id: id.into(),
            job: job.into(),
            plan_ms: tick,
            status: "success".into(),
            trigger: "schedule".into(),
            worker: worker.into(),
            error: String::new(),
            start_ms: tick + 50,
            end_ms: tick + 400,
            parent: String::new(),
        }
    }

    /// Every tick from 5 s before the window to its end ran once, 50 ms after its tick for
    /// 350 ms, with its marker, its process and the process's token in its output.
    fn clean() -> History {
        let mut h = History::default();
        for job in jobs() {
            for (i, tick) in (T0 - 5_000..T0 + 10_000).step_by(1_000).enumerate() {
                let worker = WORKERS[i % 3];
                let id = format!("e-{}-{tick}", job.name);
                let token = format!("p-{}-{tick}", job.name);
                h.records.push(rec(&job.name, tick, &id, worker));
                h.claims.push(Claim {
                    job: job.name.clone(),
                    tick_ms: tick,
                    worker: worker.into(),
                    execution_id: id.clone(),
                });
                h.outputs.insert(id.clone(), format!("{token}\n"));
                h.started.push(Marker {
                    job: job.name.clone(),
                    execution_id: id,
                    worker: worker.into(),
                    plan_ms: tick,
                    start_ms: tick + 10,
                });
                h.processes.push(Process {
                    job: job.name.clone(),
                    token,
                    worker: worker.into(),
                    start_ms: tick + 60,
                    end_ms: Some(tick + 390),
                });
            }
        }
        h
    }

    fn check_all(h: &History, faults: &[Fault]) -> Vec<Finding> {
        check(&jobs(), window(), faults, h)
    }

    /// Makes the run of `exclusive` at `tick` a run whose worker died: recorded `lost`, with
    /// no output and its end when a peer noticed; returns its worker and its process's token.
    fn lose(h: &mut History, tick: i64, noticed_ms: i64) -> (String, String) {
        let id = format!("e-exclusive-{tick}");
        let i = position(h, &id);
        h.records[i].status = "lost".into();
        h.records[i].end_ms = noticed_ms;
        h.outputs.remove(&id);
        (h.records[i].worker.clone(), format!("p-exclusive-{tick}"))
    }

    /// Takes away the record (and output) of run `id`, as if it never reached the store;
    /// returns the marker its worker wrote when it started it.
    fn unrecord(h: &mut History, id: &str) -> Marker {
        let marker = h
            .started
            .iter()
            .find(|m| m.execution_id == id)
            .expect("the marker")
            .clone();
        h.records.retain(|r| r.execution_id != id);
        h.outputs.remove(id);
        marker
    }

    fn process<'h>(h: &'h mut History, token: &str) -> &'h mut Process {
        h.processes
            .iter_mut()
            .find(|p| p.token == token)
            .expect("the process")
    }

    fn position(h: &History, id: &str) -> usize {
        h.records
            .iter()
            .position(|r| r.execution_id == id)
            .expect("the record")
    }

    #[test]
    fn a_clean_history_has_no_finding() {
        assert_eq!(check_all(&clean(), &[]), []);
    }

    #[test]
    fn a_planted_duplicate_is_found() {
        let mut h = clean();
        let tick = T0 + 3_000;
        let original = h.records[position(&h, &format!("e-allowed-{tick}"))].clone();
        let twin = rec("allowed", tick, "twin", "worker-3");
        h.records.push(twin.clone());
        assert_eq!(
            check_all(&h, &[]),
            [Finding::Duplicate {
                job: "allowed".into(),
                tick_ms: tick,
                records: vec![original, twin],
            }]
        );
    }

    #[test]
    fn a_tick_both_run_and_recorded_skipped_is_accounted_twice() {
        let mut h = clean();
        let tick = T0 + 4_000;
        let mut skip = rec("allowed", tick, "skip", "worker-2");
        skip.status = "skipped".into();
        h.records.push(skip);
        let found = check_all(&h, &[]);
        assert!(
            matches!(found.as_slice(), [Finding::AccountedTwice { tick_ms, .. }] if *tick_ms == tick),
            "{found:#?}"
        );
    }

    #[test]
    fn a_planted_gap_is_found() {
        let mut h = clean();
        let tick = T0 + 5_000;
        let id = format!("e-exclusive-{tick}");
        h.records.retain(|r| r.execution_id != id);
        h.started.retain(|m| m.execution_id != id);
        h.outputs.remove(&id);
        h.processes
            .retain(|p| p.token != format!("p-exclusive-{tick}"));
        let claim = h
            .claims
            .iter()
            .position(|c| c.execution_id == id)
            .expect("the claim");
        let claim = h.claims.remove(claim);
        assert_eq!(
            check_all(&h, &[]),
            [Finding::Missed {
                job: "exclusive".into(),
                tick_ms: tick,
                claim: None,
            }]
        );
        // Claimed, and then neither run nor recorded: the finding names the claim.
        h.claims.push(claim.clone());
        assert_eq!(
            check_all(&h, &[]),
            [Finding::Missed {
                job: "exclusive".into(),
                tick_ms: tick,
                claim: Some(claim),
            }]
        );
    }

    #[test]
    fn ticks_before_the_window_or_just_after_the_save_are_not_expected() {
        let mut h = clean();
        // Before the window.
        h.records.retain(|r| r.plan_ms != T0 - 2_000);
        h.started.retain(|m| m.plan_ms != T0 - 2_000);
        // A job saved just before the window: its first tick may pass unnoticed.
        let mut jobs = jobs();
        jobs[0].saved_at_ms = T0 - 500;
        let first = format!("e-allowed-{T0}");
        h.records.retain(|r| r.execution_id != first);
        h.started.retain(|m| m.execution_id != first);
        h.outputs.remove(&first);
        h.processes.retain(|p| p.token != format!("p-allowed-{T0}"));
        assert_eq!(check(&jobs, window(), &[], &h), []);
    }

    #[test]
    fn a_tick_recorded_skipped_or_lost_or_caught_up_is_accounted_for() {
        let mut h = clean();
        let skipped = position(&h, &format!("e-allowed-{}", T0 + 1_000));
        h.records[skipped].status = "skipped".into();
        h.records[skipped].error = "skipped: missed while no worker ran the job".into();
        let id = h.records[skipped].execution_id.clone();
        h.outputs.remove(&id);
        h.processes
            .retain(|p| p.token != format!("p-allowed-{}", T0 + 1_000));
        let lost = position(&h, &format!("e-allowed-{}", T0 + 2_000));
        h.records[lost].status = "lost".into();
        h.outputs.remove(&h.records[lost].execution_id.clone());
        let mut jobs = jobs();
        jobs[0].catch_up_seconds = 60;
        let caught = position(&h, &format!("e-allowed-{}", T0 + 3_000));
        h.records[caught].trigger = "catch-up".into();
        h.records[caught].start_ms += 40_000;
        h.records[caught].end_ms += 40_000;
        assert_eq!(check(&jobs, window(), &[], &h), []);
    }

    #[test]
    fn a_tick_run_later_than_its_policy_allows_is_found_unless_its_worker_was_paused() {
        let mut h = clean();
        let i = position(&h, &format!("e-allowed-{}", T0 + 2_000));
        h.records[i].start_ms += 9_000;
        h.records[i].end_ms += 9_000;
        let found = check_all(&h, &[]);
        assert!(
            matches!(found.as_slice(), [Finding::Late { allowed_ms: 7_000, record, .. }] if *record == h.records[i]),
            "{found:#?}"
        );
        let pause = Fault {
            kind: FaultKind::WorkerPaused,
            worker: Some(h.records[i].worker.clone()),
            from_ms: T0 + 2_500,
            to_ms: T0 + 8_000,
        };
        assert_eq!(check_all(&h, &[pause]), []);
    }

    #[test]
    fn a_planted_overlap_of_a_forbid_job_is_found() {
        let mut h = clean();
        let first = position(&h, &format!("e-exclusive-{}", T0 + 6_000));
        h.records[first].end_ms = T0 + 7_200;
        let found = check_all(&h, &[]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let Finding::Overlap { job, a, b } = &found[0] else {
            panic!("{found:#?}")
        };
        assert_eq!(job, "exclusive");
        assert_eq!(
            (a.id.as_str(), b.id.as_str(), a.source),
            (
                format!("e-exclusive-{}", T0 + 6_000).as_str(),
                format!("e-exclusive-{}", T0 + 7_000).as_str(),
                "record"
            )
        );
        // The same overlap on an `allow` job is no finding.
        let mut h = clean();
        let first = position(&h, &format!("e-allowed-{}", T0 + 6_000));
        h.records[first].end_ms = T0 + 7_200;
        assert_eq!(check_all(&h, &[]), []);
    }

    /// A worker killed mid-run: its run is recorded `lost` (no output, its end the time the
    /// loss was noticed), while its process runs on beside the next run on another worker.
    #[test]
    fn a_process_outliving_its_lost_record_beside_the_next_run_is_an_overlap() {
        let mut h = clean();
        let tick = T0 + 6_000;
        let (_, token) = lose(&mut h, tick, tick + 200);
        process(&mut h, &token).end_ms = Some(tick + 1_500);
        let found = check_all(&h, &[]);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            matches!(&found[0], Finding::Overlap { a, b, .. } if a.id == token && a.source == "process" && b.start_ms == tick + 1_060),
            "{found:#?}"
        );
    }

    /// A process that wrote no end line ended when its worker was killed (its reaper killed
    /// it), give or take [`KILL_SLACK_MS`], not when a peer noticed the loss: killed soon
    /// enough, it does not overlap the next run; killed later, it does.
    #[test]
    fn a_process_of_a_killed_worker_without_an_end_line_ends_at_the_kill() {
        let mut h = clean();
        let tick = T0 + 6_000;
        let (worker, token) = lose(&mut h, tick, tick + 5_000);
        process(&mut h, &token).end_ms = None;
        let kill = |at: i64| Fault {
            kind: FaultKind::WorkerKilled,
            worker: Some(worker.clone()),
            from_ms: at,
            to_ms: tick + 4_000,
        };
        // The next run starts at tick + 1,060.
        assert_eq!(check_all(&h, &[kill(tick + 20)]), []);
        let found = check_all(&h, &[kill(tick + 200)]);
        assert!(
            matches!(&found[..], [Finding::Overlap { a, b, .. }] if a.id == token && a.source == "process" && a.end_ms == tick + 200 + KILL_SLACK_MS && b.start_ms == tick + 1_060),
            "{found:#?}"
        );
    }

    #[test]
    fn a_run_starting_while_the_other_runs_worker_is_paused_is_the_documented_window() {
        let mut h = clean();
        let first = position(&h, &format!("e-exclusive-{}", T0 + 6_000));
        h.records[first].end_ms = T0 + 7_200;
        let worker = h.records[first].worker.clone();
        let pause = Fault {
            kind: FaultKind::WorkerPaused,
            worker: Some(worker),
            from_ms: T0 + 6_500,
            to_ms: T0 + 7_100,
        };
        assert_eq!(check_all(&h, &[pause]), []);
    }

    #[test]
    fn a_planted_lost_record_is_found() {
        let mut h = clean();
        let id = format!("e-allowed-{}", T0 + 7_000);
        let marker = unrecord(&mut h, &id);
        assert_eq!(check_all(&h, &[]), [Finding::RecordLost { marker }]);
    }

    #[test]
    fn a_process_with_neither_record_nor_marker_is_found() {
        let mut h = clean();
        let stray = Process {
            job: "allowed".into(),
            token: "stray".into(),
            worker: "worker-2".into(),
            start_ms: T0 + 2_500,
            end_ms: Some(T0 + 2_600),
        };
        h.processes.push(stray.clone());
        assert_eq!(
            check_all(&h, &[]),
            [Finding::ProcessUnrecorded { process: stray }]
        );
    }

    #[test]
    fn a_planted_stuck_run_is_found() {
        let mut h = clean();
        let id = format!("e-exclusive-{}", T0 + 9_000);
        let marker = unrecord(&mut h, &id);
        h.left_running.push(marker.clone());
        assert_eq!(
            check_all(&h, &[]),
            [Finding::Stuck {
                job: "exclusive".into(),
                tick_ms: T0 + 9_000,
                execution_id: id,
                worker: marker.worker,
                why: "still marked running after the cluster settled",
            }]
        );
    }

    #[test]
    fn process_lines_pair_starts_with_ends_and_skip_torn_lines() {
        let text = "start a worker-1 100\nstart b worker-2 150\nend a 300\nend b\nstart c wor";
        assert_eq!(
            parse_processes("j", text),
            [
                Process {
                    job: "j".into(),
                    token: "a".into(),
                    worker: "worker-1".into(),
                    start_ms: 100,
                    end_ms: Some(300),
                },
                Process {
                    job: "j".into(),
                    token: "b".into(),
                    worker: "worker-2".into(),
                    start_ms: 150,
                    end_ms: None,
                },
            ]
        );
    }
}

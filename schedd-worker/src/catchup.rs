//! Catch-up: what becomes of the ticks a job missed while nothing ran it (the embedded
//! master stopped, or every worker of a cluster down). One policy for both modes, decided
//! here from the job's newest tick that ran or was recorded and the time now; the embedded
//! runner and the cluster's claims only carry it out.
//!
//! The policy: every missed tick is accounted for once. The newest runs, late, if it is
//! within the job's `catchUpSeconds` (trigger `catch-up`) or else still within
//! [`LATE_GRACE_SECS`] (as the timetable itself runs a late tick); every other one is recorded
//! `skipped` with the reason. A job saved during the outage has missed nothing from before
//! the save. At most [`MAX_CATCH_UP_TICKS`] ticks are accounted for one by one; older ones
//! are counted in one record.

use std::collections::HashMap;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use schedd_core::store::{LogStore, StoreError};
use schedd_core::{Job, Schedule, Trigger, from_unix_ms};

use crate::timetable::LATE_GRACE_SECS;

/// At most this many missed ticks of one job are accounted for one by one; older ones are
/// summed up in one record.
pub const MAX_CATCH_UP_TICKS: usize = 1000;

/// The reason on the record of a missed tick that was not run.
pub const MISSED_REASON: &str =
    "skipped: missed while no worker ran the job, outside its catch-up window (catchUpSeconds)";

/// What becomes of one late tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Late {
    /// Run it now, with this trigger.
    Run(Trigger),
    /// Record it `skipped`.
    Skip,
}

/// How a tick that is late at `now` is handled: run with trigger catch-up inside the job's
/// catch-up window; outside it (or without one), run as scheduled if it is no later than the
/// timetable's own grace; else recorded as skipped.
pub fn late(job: &Job, tick: DateTime<Utc>, now: DateTime<Utc>) -> Late {
    let behind = now - tick;
    let window = chrono::Duration::seconds(i64::try_from(job.catch_up_seconds).unwrap_or(i64::MAX));
    if job.catch_up_seconds > 0 && behind <= window {
        Late::Run(Trigger::CatchUp)
    } else if behind <= chrono::Duration::seconds(LATE_GRACE_SECS) {
        // As late as the timetable itself still fires a tick.
        Late::Run(Trigger::Schedule)
    } else {
        Late::Skip
    }
}

/// The ticks a job missed, and what becomes of each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Missed {
    /// Newest first: a worker that started a moment later sees one more missed tick (one
    /// that another worker ran on time); accounting from the newest down, it finds that
    /// tick taken before it could record an older one differently from its peers.
    pub ticks: Vec<(DateTime<Utc>, Late)>,
    /// Ticks older than the [`MAX_CATCH_UP_TICKS`] newest: how many, and the job's newest
    /// tick before them (unix ms), which names their one record the same on every worker.
    pub older: Option<(u64, i64)>,
}

impl Missed {
    pub fn is_empty(&self) -> bool {
        self.ticks.is_empty() && self.older.is_none()
    }

    /// How many ticks were missed in all.
    pub fn count(&self) -> u64 {
        self.ticks.len() as u64 + self.older.map_or(0, |(n, _)| n)
    }
}

/// The ticks of `job` after `last_ms` (its newest tick that ran or was recorded) up to and
/// including `now`, and what becomes of each. Ticks before the job was last saved are not
/// missed: the job did not have that schedule then.
pub fn missed(job: &Job, schedule: &Schedule, last_ms: i64, now: DateTime<Utc>) -> Missed {
    let from_ms = last_ms.max(job.updated_at.saturating_mul(1000));
    let mut ticks = std::collections::VecDeque::new();
    let mut older = 0_u64;
    let mut at = from_unix_ms(from_ms);
    while let Some(t) = schedule.next_after(at) {
        if t > now {
            break;
        }
        ticks.push_back(t);
        if ticks.len() > MAX_CATCH_UP_TICKS {
            ticks.pop_front();
            older += 1;
        }
        at = t;
    }
    let mut out = Missed {
        ticks: Vec::with_capacity(ticks.len()),
        older: (older > 0).then_some((older, from_ms)),
    };
    for (i, t) in ticks.into_iter().rev().enumerate() {
        let what = if i == 0 {
            late(job, t, now)
        } else {
            Late::Skip
        };
        out.ticks.push((t, what));
    }
    out
}

/// Where the scheduler learns, when it starts, each job's newest tick that ran or was
/// recorded: the claims in etcd in a cluster, the log store (and the spool on its way there)
/// in embedded mode.
#[async_trait]
pub trait TickHistory: Send + Sync + std::fmt::Debug {
    /// The newest tick (unix ms) of each of `jobs` that has one.
    async fn last_ticks(&self, jobs: &[String]) -> Result<HashMap<String, i64>, StoreError>;
}

/// The history a single worker keeps: its log store, and the records still in its spool.
#[derive(Debug)]
pub struct LoggedTicks {
    pub logs: std::sync::Arc<dyn LogStore>,
    /// Newest tick per job among the records not yet shipped, read from the spool at start.
    pub spooled: HashMap<String, i64>,
}

#[async_trait]
impl TickHistory for LoggedTicks {
    async fn last_ticks(&self, jobs: &[String]) -> Result<HashMap<String, i64>, StoreError> {
        let mut last = self.logs.last_ticks(jobs).await?;
        for (job, tick) in &self.spooled {
            let t = last.entry(job.clone()).or_insert(*tick);
            *t = (*t).max(*tick);
        }
        Ok(last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2027-01-15 08:00:00 UTC, a whole hour.
    const T0: i64 = 1_800_000_000;

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(T0 + s, 0).expect("valid")
    }

    fn job(expr: &str, catch_up_seconds: u64) -> (Job, Schedule) {
        let mut job = Job::new("j", expr, "true");
        job.catch_up_seconds = catch_up_seconds;
        let schedule = job.schedule(chrono_tz::UTC).expect("schedule");
        (job, schedule)
    }

    #[test]
    fn a_late_tick_runs_within_the_grace_or_the_window_and_is_skipped_beyond() {
        let (none, _) = job("* * * * * *", 0);
        let (window, _) = job("* * * * * *", 60);
        let now = at(0);
        assert_eq!(late(&none, at(-5), now), Late::Run(Trigger::Schedule));
        assert_eq!(late(&none, at(-6), now), Late::Skip);
        assert_eq!(late(&window, at(-5), now), Late::Run(Trigger::CatchUp));
        assert_eq!(late(&window, at(-6), now), Late::Run(Trigger::CatchUp));
        assert_eq!(late(&window, at(-60), now), Late::Run(Trigger::CatchUp));
        assert_eq!(late(&window, at(-61), now), Late::Skip);
    }

    #[test]
    fn only_the_newest_missed_tick_may_run_and_every_other_is_skipped() {
        let (j, s) = job("*/10 * * * * *", 3600);
        let m = missed(&j, &s, (T0 - 40) * 1000, at(-3));
        assert_eq!(
            m.ticks,
            [
                (at(-10), Late::Run(Trigger::CatchUp)),
                (at(-20), Late::Skip),
                (at(-30), Late::Skip),
            ],
            "the last tick (-40) ran; the next one (0) is the timetable's"
        );
        assert_eq!((m.older, m.count()), (None, 3));
    }

    #[test]
    fn nothing_is_missed_when_the_last_tick_is_the_newest_or_later() {
        let (j, s) = job("*/10 * * * * *", 60);
        assert!(missed(&j, &s, T0 * 1000, at(9)).is_empty());
        // A clock stepped back behind the last tick misses nothing either.
        assert!(missed(&j, &s, T0 * 1000, at(-30)).is_empty());
    }

    #[test]
    fn ticks_before_the_job_was_saved_are_not_missed() {
        let (mut j, s) = job("*/10 * * * * *", 0);
        j.updated_at = T0 - 15;
        let m = missed(&j, &s, (T0 - 3600) * 1000, at(0));
        let ticks: Vec<_> = m.ticks.iter().map(|(t, _)| *t).collect();
        assert_eq!(ticks, [at(0), at(-10)]);
    }

    #[test]
    fn beyond_the_bound_older_ticks_are_counted_in_one_record() {
        let (j, s) = job("* * * * * *", 0);
        let last_ms = (T0 - 3600) * 1000;
        let m = missed(&j, &s, last_ms, at(0));
        assert_eq!(m.ticks.len(), MAX_CATCH_UP_TICKS);
        assert_eq!(m.ticks[0], (at(0), Late::Run(Trigger::Schedule)));
        assert_eq!(
            m.ticks.last().map(|(t, _)| *t),
            Some(at(-(MAX_CATCH_UP_TICKS as i64) + 1))
        );
        // 3,600 ticks after the last: 1,000 one by one, 2,600 in one record.
        assert_eq!(m.older, Some((3600 - MAX_CATCH_UP_TICKS as u64, last_ms)));
        assert_eq!(m.count(), 3600);
    }
}

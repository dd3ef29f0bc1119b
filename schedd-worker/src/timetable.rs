//! The timetable: which job fires next. Jobs are filed in buckets keyed by the whole second
//! of their next fire time (every schedule in the dialect fires on whole seconds), so taking
//! the due jobs is popping the first buckets, and the work per second is proportional to
//! the jobs due in it, never to the jobs loaded. Entries live in a slab and buckets refer to
//! them by index, so firing a job costs no hashing. A job that changes gets a new
//! generation; its old bucket slot is skipped when popped instead of searched for.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use schedd_core::{Job, Schedule};

/// One due tick of one job.
#[derive(Debug, Clone)]
pub struct Due {
    pub job: Arc<Job>,
    /// The scheduled instant.
    pub plan_time: DateTime<Utc>,
    /// The job's slab index, to reschedule it without a lookup.
    slot: u32,
}

#[derive(Debug)]
struct Entry {
    job: Arc<Job>,
    schedule: Arc<Schedule>,
    generation: u64,
    /// The next fire time, if the job is scheduled (enabled and with a future tick).
    next: Option<DateTime<Utc>>,
    /// The last tick taken, kept across saves of the job.
    last_fired: Option<DateTime<Utc>>,
}

#[derive(Debug, Default)]
pub struct Timetable {
    index: HashMap<Arc<str>, u32>,
    slab: Vec<Option<Entry>>,
    free: Vec<u32>,
    /// Unix second -> (slab index, generation) of the jobs due then.
    buckets: BTreeMap<i64, Vec<(u32, u64)>>,
    /// Bucket slots known to be dead (their job changed or went away), roughly.
    stale: usize,
    generation: u64,
}

/// How late a tick may be taken and still run; older ones count as missed. Covers a busy
/// event loop, not downtime (downtime is what a job's catch-up window is for).
pub const LATE_GRACE_SECS: i64 = 5;

impl Timetable {
    pub fn new() -> Timetable {
        Timetable::default()
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    fn entry(&self, name: &str) -> Option<&Entry> {
        let slot = *self.index.get(name)?;
        self.slab.get(slot as usize)?.as_ref()
    }

    pub fn get(&self, name: &str) -> Option<&Arc<Job>> {
        self.entry(name).map(|e| &e.job)
    }

    /// Adds or replaces a job. A job whose schedule is unchanged keeps its next fire time, so
    /// saving a job right at its tick does not lose the tick. A changed schedule is searched
    /// from `now`, or from the last tick fired if the clock has stepped back behind it, so a
    /// tick is never fired twice. `active` says whether this worker should fire it at all
    /// (enabled, selector matches).
    pub fn upsert(
        &mut self,
        job: Arc<Job>,
        schedule: Arc<Schedule>,
        active: bool,
        now: DateTime<Utc>,
    ) {
        let slot = self.index.get(job.name.as_str()).copied();
        let old = slot.and_then(|s| self.slab[s as usize].as_mut());
        let mut last_fired = None;
        if let Some(old) = old {
            last_fired = old.last_fired;
            let same = old.schedule.expr() == schedule.expr()
                && old.schedule.timezone() == schedule.timezone();
            if same && active && old.next.is_some() {
                // Its bucket slot stays valid: same generation, same instant.
                old.job = job;
                old.schedule = schedule;
                return;
            }
            if old.next.is_some() {
                self.stale += 1;
            }
        }
        let from = last_fired.map_or(now, |t| t.max(now));
        let next = if active {
            schedule.next_after(from)
        } else {
            None
        };
        let slot = match slot {
            Some(slot) => slot,
            None => {
                let slot = match self.free.pop() {
                    Some(slot) => slot,
                    None => {
                        self.slab.push(None);
                        u32::try_from(self.slab.len() - 1).expect("fewer than 4 billion jobs")
                    }
                };
                self.index.insert(Arc::from(job.name.as_str()), slot);
                slot
            }
        };
        self.generation += 1;
        let generation = self.generation;
        if let Some(at) = next {
            self.buckets
                .entry(at.timestamp())
                .or_default()
                .push((slot, generation));
        }
        self.slab[slot as usize] = Some(Entry {
            job,
            schedule,
            generation,
            next,
            last_fired,
        });
        self.compact_if_stale();
    }

    pub fn remove(&mut self, name: &str) -> bool {
        let Some(slot) = self.index.remove(name) else {
            return false;
        };
        if self.slab[slot as usize]
            .as_ref()
            .is_some_and(|e| e.next.is_some())
        {
            self.stale += 1;
        }
        self.slab[slot as usize] = None;
        self.free.push(slot);
        self.compact_if_stale();
        true
    }

    /// Bucket slots of jobs that changed or went away are skipped when their second comes;
    /// for a yearly job that is a long wait. When they outnumber the live ones, the buckets
    /// are rebuilt from the slab, so memory follows the jobs, not the history of saves.
    fn compact_if_stale(&mut self) {
        if self.stale <= self.index.len() + 1024 {
            return;
        }
        self.buckets.clear();
        for (slot, entry) in self.slab.iter().enumerate() {
            if let Some(Entry {
                next: Some(at),
                generation,
                ..
            }) = entry
            {
                let slot = u32::try_from(slot).expect("fewer than 4 billion jobs");
                self.buckets
                    .entry(at.timestamp())
                    .or_default()
                    .push((slot, *generation));
            }
        }
        self.stale = 0;
    }

    /// Names of all jobs, for reconciling after a full re-read.
    pub fn names(&self) -> Vec<Arc<str>> {
        self.index.keys().cloned().collect()
    }

    /// The jobs this worker fires (enabled, selector matching, with a tick to come) and
    /// their schedules.
    pub fn scheduled(&self) -> impl Iterator<Item = (&Arc<Job>, &Arc<Schedule>)> {
        self.slab
            .iter()
            .flatten()
            .filter(|e| e.next.is_some())
            .map(|e| (&e.job, &e.schedule))
    }

    /// The earliest instant at which something may be due.
    pub fn next_deadline(&self) -> Option<DateTime<Utc>> {
        self.buckets
            .keys()
            .next()
            .and_then(|s| DateTime::from_timestamp(*s, 0))
    }

    /// Takes every tick due at or before `now`, oldest first, handing each to `on_due` as
    /// soon as it is found, so the first job of a large batch is not held up by the last.
    /// The caller then passes the returned ticks to [`Timetable::reschedule`]: firing first
    /// keeps the cost of computing next fire times out of the dispatch latency.
    pub fn take_due(&mut self, now: DateTime<Utc>, mut on_due: impl FnMut(&Due)) -> Vec<Due> {
        let mut due = Vec::new();
        let now_s = now.timestamp();
        while let Some(entry) = self.buckets.first_entry() {
            if *entry.key() > now_s {
                break;
            }
            let (second, slots) = entry.remove_entry();
            let Some(plan_time) = DateTime::from_timestamp(second, 0) else {
                continue;
            };
            due.reserve(slots.len());
            for (slot, generation) in slots {
                let Some(Some(e)) = self.slab.get_mut(slot as usize) else {
                    self.stale = self.stale.saturating_sub(1);
                    continue;
                };
                // Generations are never reused, so a slot freed and taken by another job
                // does not match an old bucket entry.
                if e.generation != generation || e.next != Some(plan_time) {
                    self.stale = self.stale.saturating_sub(1);
                    continue;
                }
                e.next = None;
                e.last_fired = Some(plan_time);
                let d = Due {
                    job: Arc::clone(&e.job),
                    plan_time,
                    slot,
                };
                on_due(&d);
                due.push(d);
            }
        }
        due
    }

    /// Files the next tick of each job just taken. A next tick that is already more than
    /// [`LATE_GRACE_SECS`] old at `now` is not filed: the search restarts at the grace
    /// horizon, so a long pause costs one step, not one step per missed tick.
    pub fn reschedule(&mut self, taken: &[Due], now: DateTime<Utc>) {
        let horizon = now - chrono::Duration::seconds(LATE_GRACE_SECS);
        for d in taken {
            let Some(Some(e)) = self.slab.get_mut(d.slot as usize) else {
                continue;
            };
            // A job saved again (or removed and its slot reused) while its tick was being
            // fired already has a newer entry.
            if !Arc::ptr_eq(&e.job, &d.job) || e.next.is_some() {
                continue;
            }
            let mut next = e.schedule.next_after(d.plan_time);
            if next.is_some_and(|n| n < horizon) {
                next = e.schedule.next_after(horizon);
            }
            e.next = next;
            if let Some(at) = next {
                self.buckets
                    .entry(at.timestamp())
                    .or_default()
                    .push((d.slot, e.generation));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Tz;

    fn t(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + s, 0).expect("valid")
    }

    fn add(tt: &mut Timetable, name: &str, expr: &str, now: DateTime<Utc>) -> Arc<Job> {
        let job = Arc::new(Job::new(name, expr, "true"));
        let sched = Arc::new(Schedule::parse(expr, Tz::UTC).expect("valid"));
        tt.upsert(Arc::clone(&job), sched, true, now);
        job
    }

    fn fire(tt: &mut Timetable, now: DateTime<Utc>) -> Vec<(String, i64)> {
        let due = tt.take_due(now, |_| {});
        tt.reschedule(&due, now);
        due.iter()
            .map(|d| (d.job.name.clone(), d.plan_time.timestamp() - 1_800_000_000))
            .collect()
    }

    #[test]
    fn every_second_job_fires_once_per_second() {
        let mut tt = Timetable::new();
        add(&mut tt, "a", "* * * * * *", t(0));
        assert_eq!(tt.next_deadline(), Some(t(1)));
        assert!(fire(&mut tt, t(0)).is_empty());
        assert_eq!(fire(&mut tt, t(1)), vec![("a".into(), 1)]);
        assert!(fire(&mut tt, t(1)).is_empty(), "a tick is taken once");
        assert_eq!(fire(&mut tt, t(2)), vec![("a".into(), 2)]);
    }

    #[test]
    fn a_removed_or_replaced_job_leaves_no_stale_tick() {
        let mut tt = Timetable::new();
        add(&mut tt, "a", "* * * * * *", t(0));
        add(&mut tt, "b", "* * * * * *", t(0));
        tt.remove("a");
        add(&mut tt, "b", "*/10 * * * * *", t(0));
        assert!(fire(&mut tt, t(1)).is_empty());
        assert_eq!(fire(&mut tt, t(10)), vec![("b".into(), 10)]);
    }

    #[test]
    fn saving_an_unchanged_schedule_at_its_tick_keeps_the_tick() {
        let mut tt = Timetable::new();
        add(&mut tt, "a", "* * * * * *", t(0));
        // Saved again at the instant of its tick, before the tick was taken.
        let job = add(&mut tt, "a", "* * * * * *", t(1));
        assert_eq!(job.name, "a");
        assert_eq!(fire(&mut tt, t(1)), vec![("a".into(), 1)]);
    }

    #[test]
    fn late_ticks_within_grace_all_run_and_older_ones_are_skipped() {
        let mut tt = Timetable::new();
        add(&mut tt, "a", "* * * * * *", t(0));
        // Three seconds late: ticks 1, 2, 3 are all within the grace.
        let now = t(3);
        let mut fired = Vec::new();
        loop {
            let got = fire(&mut tt, now);
            if got.is_empty() {
                break;
            }
            fired.extend(got);
        }
        assert_eq!(
            fired,
            vec![("a".into(), 1), ("a".into(), 2), ("a".into(), 3)]
        );
        // An hour-long pause: the next tick filed is within the grace, not an hour of backlog.
        let now = t(3600);
        let mut count = 0;
        loop {
            let got = fire(&mut tt, now);
            if got.is_empty() {
                break;
            }
            count += got.len();
        }
        assert!(
            count <= (LATE_GRACE_SECS as usize) + 2,
            "ran {count} stale ticks"
        );
    }

    #[test]
    fn a_changed_schedule_never_refires_a_tick_after_the_clock_steps_back() {
        let mut tt = Timetable::new();
        add(&mut tt, "a", "* * * * * *", t(0));
        while !fire(&mut tt, t(10)).is_empty() {}
        assert_eq!(tt.next_deadline(), Some(t(11)));
        // The wall clock steps back 5 s, and the job is saved with another schedule.
        add(&mut tt, "a", "*/2 * * * * *", t(5));
        let mut fired = Vec::new();
        for s in 5..=14 {
            fired.extend(fire(&mut tt, t(s)));
        }
        assert_eq!(fired, vec![("a".into(), 12), ("a".into(), 14)]);
    }

    #[test]
    fn saves_and_removals_do_not_pile_up_dead_bucket_slots() {
        let mut tt = Timetable::new();
        for round in 0..50 {
            for i in 0..100 {
                // Alternate the schedule so every save files a new slot.
                let expr = if round % 2 == 0 {
                    "0 0 0 1 1 *"
                } else {
                    "0 0 0 1 7 *"
                };
                add(&mut tt, &format!("y{i}"), expr, t(0));
            }
        }
        let slots: usize = tt.buckets.values().map(Vec::len).sum();
        assert!(
            slots <= 100 + 100 + 1024,
            "{slots} bucket slots for 100 jobs"
        );
        for i in 0..100 {
            tt.remove(&format!("y{i}"));
        }
        assert!(tt.is_empty());
    }

    #[test]
    fn disabled_jobs_are_kept_but_never_due() {
        let mut tt = Timetable::new();
        let job = Arc::new(Job::new("a", "* * * * * *", "true"));
        let sched = Arc::new(Schedule::parse("* * * * * *", Tz::UTC).expect("valid"));
        tt.upsert(job, sched, false, t(0));
        assert!(tt.get("a").is_some());
        assert_eq!(tt.next_deadline(), None);
        assert!(fire(&mut tt, t(5)).is_empty());
    }

    #[test]
    fn work_per_second_follows_the_due_jobs_not_the_loaded_ones() {
        let mut tt = Timetable::new();
        for i in 0..1000 {
            add(&mut tt, &format!("yearly{i}"), "0 0 0 1 1 *", t(0));
        }
        add(&mut tt, "often", "* * * * * *", t(0));
        assert_eq!(tt.len(), 1001);
        assert_eq!(fire(&mut tt, t(1)), vec![("often".into(), 1)]);
        assert_eq!(
            tt.buckets.len(),
            2,
            "one bucket for the yearly jobs, one for the next second"
        );
    }
}

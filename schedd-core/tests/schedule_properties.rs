//! Properties of [`Schedule::next_after`] over generated cron expressions, zones and start
//! instants, checked against a reference written from the module doc of `schedule.rs`
//! alone (not from its code):
//!
//! * `next_after` is strictly later than its argument, so a walk of fire times strictly
//!   increases;
//! * it agrees with a brute-force search of wall-clock minutes over two years;
//! * every fire is a real local time of its zone (never one inside a clock change's gap),
//!   and matches the expression under the documented DST rule.
//!
//! Expressions use every field form of the dialect that the plain field-matching rule
//! covers (`*`, values, ranges, `*/n`, `a-b/n`, lists, month and weekday names, weekday 7 for
//! Sunday, `?` and `+` in the day fields, 5 and 6 fields, a `TZ=` prefix, tabs between
//! fields); zones come from the whole tz database with extra weight on zones with odd clock
//! changes; starts lie in 2000-2036, half of them shortly before one of the zone's clock
//! changes. The reference is cheap because whole days and hours that cannot match are
//! skipped, so 1,024 cases of each property take a few seconds in a debug build;
//! `PROPTEST_CASES=50000` hunts longer.

use std::ops::ControlFlow;

use chrono::{
    DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeDelta, TimeZone,
    Timelike, Utc,
};
use chrono_tz::Tz;
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, FileFailurePersistence};
use schedd_core::{Schedule, ScheduleError};

// ---------------------------------------------------------------------------------------------
// Generated expressions, and the plain field-matching rule
// ---------------------------------------------------------------------------------------------

/// One comma-separated entry of a field.
#[derive(Debug, Clone)]
enum Part {
    /// `*`, only ever a whole field.
    Star,
    /// `*/n`: from the field's minimum, every `n`.
    StarStep(u32),
    Value(u32),
    Range(u32, u32),
    /// `a-b/n`: from `a` to `b`, every `n`.
    RangeStep(u32, u32, u32),
}

#[derive(Debug, Clone)]
struct Field {
    parts: Vec<Part>,
    /// Month and weekday values written as names (`JAN`, `mon`) where they have one.
    spelled: bool,
}

/// Where a field's values run, and its names (month names start at 1, weekday names at 0).
#[derive(Debug, Clone, Copy)]
struct Spec {
    min: u32,
    max: u32,
    names: &'static [&'static str],
}

const SECOND: Spec = Spec::plain(0, 59);
const MINUTE: Spec = Spec::plain(0, 59);
const HOUR: Spec = Spec::plain(0, 23);
const DOM: Spec = Spec::plain(1, 31);
const MONTH: Spec = Spec {
    min: 1,
    max: 12,
    names: &[
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ],
};
const DOW: Spec = Spec {
    min: 0,
    max: 7,
    names: &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
};

impl Spec {
    const fn plain(min: u32, max: u32) -> Spec {
        Spec {
            min,
            max,
            names: &[],
        }
    }

    fn name(&self, v: u32) -> Option<&'static str> {
        let first = if self.min == 0 { 0 } else { 1 };
        self.names.get(v.checked_sub(first)? as usize).copied()
    }
}

impl Part {
    fn matches(&self, v: u32, spec: Spec) -> bool {
        match *self {
            Part::Star => true,
            Part::StarStep(n) => v >= spec.min && (v - spec.min).is_multiple_of(n),
            Part::Value(x) => v == x,
            Part::Range(a, b) => (a..=b).contains(&v),
            Part::RangeStep(a, b, n) => (a..=b).contains(&v) && (v - a).is_multiple_of(n),
        }
    }
}

impl Field {
    fn star() -> Field {
        Field {
            parts: vec![Part::Star],
            spelled: false,
        }
    }

    fn is_star(&self) -> bool {
        matches!(self.parts.as_slice(), [Part::Star])
    }

    fn matches(&self, v: u32, spec: Spec) -> bool {
        self.parts.iter().any(|p| p.matches(v, spec))
    }

    /// Whether a weekday (0 = Sunday) matches: 7 is Sunday too.
    fn matches_weekday(&self, day: u32) -> bool {
        self.matches(day, DOW) || (day == 0 && self.matches(7, DOW))
    }

    /// The field as written; a `*` field as `star` (`?` is the same in the day fields).
    fn text(&self, spec: Spec, star: &str) -> String {
        let value = |v: u32| match spec.name(v) {
            // Any case is accepted; alternate to show it.
            Some(name) if self.spelled && v.is_multiple_of(2) => name.to_ascii_lowercase(),
            Some(name) if self.spelled => name.to_owned(),
            _ => v.to_string(),
        };
        self.parts
            .iter()
            .map(|p| match *p {
                Part::Star => star.to_owned(),
                Part::StarStep(n) => format!("*/{n}"),
                Part::Value(v) => value(v),
                Part::Range(a, b) => format!("{}-{}", value(a), value(b)),
                Part::RangeStep(a, b, n) => format!("{}-{}/{n}", value(a), value(b)),
            })
            .collect::<Vec<_>>()
            .join(",")
    }
}

#[derive(Debug, Clone)]
struct Expr {
    second: Field,
    minute: Field,
    hour: Field,
    dom: Field,
    month: Field,
    dow: Field,
    /// Written in the 5-field form (possible when the second is a single 0).
    five_fields: bool,
    /// The zone goes in a `TZ=` prefix instead of the default zone argument.
    tz_prefix: bool,
    /// A leading `+` on the day of week: a day must match both restricted day fields.
    both_days: bool,
    /// `*` day fields written `?`.
    question: bool,
    /// What separates the fields: any run of spaces or tabs.
    separator: &'static str,
}

impl Expr {
    fn text(&self, tz: Tz) -> String {
        let mut fields = Vec::with_capacity(6);
        if !self.five_fields {
            fields.push(self.second.text(SECOND, "*"));
        }
        let day_star = if self.question { "?" } else { "*" };
        let plus = if self.both_days { "+" } else { "" };
        fields.extend([
            self.minute.text(MINUTE, "*"),
            self.hour.text(HOUR, "*"),
            self.dom.text(DOM, day_star),
            self.month.text(MONTH, "*"),
            format!("{plus}{}", self.dow.text(DOW, day_star)),
        ]);
        let body = fields.join(self.separator);
        if self.tz_prefix {
            format!("TZ={} {body}", tz.name())
        } else {
            body
        }
    }

    fn parse(&self, tz: Tz) -> Result<Schedule, ScheduleError> {
        // With a prefix, a default zone that differs shows the prefix wins.
        let default = if self.tz_prefix {
            chrono_tz::Pacific::Kiritimati
        } else {
            tz
        };
        Schedule::parse(&self.text(tz), default)
    }

    /// The day rule of the module doc: when both day fields are restricted a day matches if
    /// either does, or if both do with a leading `+`; a `*` (or `?`) day field is ignored.
    fn date_matches(&self, d: NaiveDate) -> bool {
        if !self.month.matches(d.month(), MONTH) {
            return false;
        }
        let dom = self.dom.matches(d.day(), DOM);
        let dow = self.dow.matches_weekday(d.weekday().num_days_from_sunday());
        match (self.dom.is_star(), self.dow.is_star()) {
            (true, true) => true,
            (true, false) => dow,
            (false, true) => dom,
            (false, false) if self.both_days => dom && dow,
            (false, false) => dom || dow,
        }
    }

    fn time_matches(&self, w: NaiveDateTime) -> bool {
        self.hour.matches(w.hour(), HOUR)
            && self.minute.matches(w.minute(), MINUTE)
            && self.second.matches(w.second(), SECOND)
    }

    fn wall_matches(&self, w: NaiveDateTime) -> bool {
        self.date_matches(w.date()) && self.time_matches(w)
    }

    /// The module doc's choice of DST rule: wildcard hours are `*`, `*/n`, or any field
    /// naming all 24 hours; everything else is specific hours.
    fn wildcard_hours(&self) -> bool {
        matches!(
            self.hour.parts.first(),
            Some(Part::Star | Part::StarStep(_))
        ) || (0..24).all(|h| self.hour.matches(h, HOUR))
    }

    /// The single second value, for the minute-by-minute reference.
    fn single_second(&self) -> Option<u32> {
        match self.second.parts.as_slice() {
            [Part::Value(s)] => Some(*s),
            _ => None,
        }
    }

    /// Calls `f` with each matching wall time in `[from, until]`, in order, until it says
    /// stop. Whole days and hours that cannot match are skipped; otherwise this is a plain
    /// walk of wall-clock minutes, the second being the field's single value.
    fn for_each_match(
        &self,
        from: NaiveDateTime,
        until: NaiveDateTime,
        mut f: impl FnMut(NaiveDateTime) -> ControlFlow<()>,
    ) {
        let second = self.single_second().expect("a single-valued second field");
        let mut day = from.date();
        while day <= until.date() {
            if self.date_matches(day) {
                for hour in (0..24).filter(|h| self.hour.matches(*h, HOUR)) {
                    for minute in (0..60).filter(|m| self.minute.matches(*m, MINUTE)) {
                        let w = day
                            .and_hms_opt(hour, minute, second)
                            .expect("a valid time of day");
                        if w < from {
                            continue;
                        }
                        if w > until || f(w).is_break() {
                            return;
                        }
                    }
                }
            }
            day = day.succ_opt().expect("far from the end of the calendar");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Wall clock and instants
// ---------------------------------------------------------------------------------------------

/// Every real instant whose wall clock in `tz` reads `w`: none in a gap, two in an overlap.
fn instants(tz: Tz, w: NaiveDateTime) -> Vec<DateTime<Utc>> {
    match tz.from_local_datetime(&w) {
        LocalResult::Single(t) => vec![t.with_timezone(&Utc)],
        LocalResult::Ambiguous(a, b) => {
            let (a, b) = (a.with_timezone(&Utc), b.with_timezone(&Utc));
            vec![a.min(b), a.max(b)]
        }
        LocalResult::None => Vec::new(),
    }
}

/// The specific-hours rule of the module doc: a wall time runs at its only instant, at its
/// first one in an overlap, and, inside a gap, at the first instant after the gap (the first
/// wall-clock minute that exists again). Transitions after 2000 fall on whole minutes.
fn specific_instant(tz: Tz, w: NaiveDateTime) -> DateTime<Utc> {
    if let Some(first) = instants(tz, w).first() {
        return *first;
    }
    let mut m = w.with_second(0).expect("second 0 exists");
    loop {
        m += TimeDelta::minutes(1);
        if let Some(first) = instants(tz, m).first() {
            return *first;
        }
    }
}

fn local(tz: Tz, t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&tz).naive_local()
}

/// UTC offsets from 2000 on lie within -12 h..+14 h, so an instant is within this of any
/// wall-clock reading of it taken as UTC.
const MAX_OFFSET: TimeDelta = TimeDelta::hours(14);
/// How far the reference searches.
const WINDOW: TimeDelta = TimeDelta::days(731);

/// The reference: the first fire strictly after `t`, found by walking wall-clock minutes
/// from before `t`'s reading to two years after it; `None` when none lies in that window.
///
/// DST, as the module doc of `schedule.rs` states it:
/// * **wildcard hours**: every real instant whose reading matches fires. A matching wall
///   time in a gap has no instant and is skipped; one in an overlap has two, both fire. The
///   second pass of an overlap replays readings from before `t`'s, so the walk starts two
///   days early and keeps the earliest instant after `t`, stopping once no later reading
///   can give an earlier one.
/// * **specific hours**: each matching wall time fires once, at [`specific_instant`]. That
///   map never goes backwards as the wall time advances, so the first matching wall time
///   whose instant lies after `t` gives the answer (times in one gap collapse into one fire).
fn reference_next(expr: &Expr, tz: Tz, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
    // Gaps and overlaps are under a day (Apia skipped one whole day in 2011): two days of
    // wall time before `t` covers every reading that could map after it.
    let from = t.naive_utc() - TimeDelta::days(2);
    let until = t.naive_utc() + WINDOW;
    let mut best: Option<DateTime<Utc>> = None;
    if expr.wildcard_hours() {
        expr.for_each_match(from, until, |w| {
            // Every instant of `w` or of a later reading is after `w - MAX_OFFSET`.
            if best.is_some_and(|b| (w - MAX_OFFSET).and_utc() > b) {
                return ControlFlow::Break(());
            }
            for i in instants(tz, w) {
                if i > t && best.is_none_or(|b| i < b) {
                    best = Some(i);
                }
            }
            ControlFlow::Continue(())
        });
    } else {
        expr.for_each_match(from, until, |w| {
            let i = specific_instant(tz, w);
            if i > t {
                best = Some(i);
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        });
    }
    best
}

/// Whether `fire` is a fire time of `expr` under the documented rule (whatever the second
/// field): its reading is a real local time and matches; under specific hours, it is the
/// first pass of a repeated reading, or else the end of a gap that swallowed a match.
fn fires_at(expr: &Expr, tz: Tz, fire: DateTime<Utc>) -> Result<(), String> {
    let reading = local(tz, fire);
    let all = instants(tz, reading);
    if !all.contains(&fire) {
        return Err(format!(
            "{fire} reads {reading} in {tz}, which is not that instant ({all:?})"
        ));
    }
    if expr.wildcard_hours() {
        if expr.wall_matches(reading) {
            return Ok(());
        }
        return Err(format!(
            "{fire} reads {reading} in {tz}, which does not match"
        ));
    }
    if expr.wall_matches(reading) {
        if all[0] != fire {
            return Err(format!(
                "{fire} is the second pass of {reading} in {tz}; specific hours run the first"
            ));
        }
        return Ok(());
    }
    // The end of a gap: the clock jumped forward to `reading` just now.
    let before = local(tz, fire - TimeDelta::seconds(1));
    let mut w = before + TimeDelta::seconds(1);
    while w < reading {
        if expr.wall_matches(w) {
            return Ok(());
        }
        w += TimeDelta::seconds(1);
    }
    Err(format!(
        "{fire} reads {reading} in {tz}: no match, and no skipped match just before"
    ))
}

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

/// Zones whose clock changes are odd in some way, weighted up against the whole database.
fn tricky_zones() -> Vec<Tz> {
    use chrono_tz::{Africa, America, Antarctica, Asia, Australia, Etc, Europe, Pacific};
    vec![
        America::New_York,
        Europe::London,
        Europe::Berlin,
        // Moves by 30 minutes, at 02:00.
        Australia::Lord_Howe,
        // Changes at midnight: the gap swallows 00:00.
        America::Santiago,
        America::Havana,
        // +12:45/+13:45.
        Pacific::Chatham,
        // Two hours of summer time.
        Antarctica::Troll,
        // Summer time suspended for Ramadan: four changes some years.
        Africa::Casablanca,
        // Skipped 2011-12-30 entirely.
        Pacific::Apia,
        // No changes at all.
        Tz::UTC,
        Asia::Kathmandu,
        Etc::GMTPlus5,
        Asia::Kolkata,
    ]
}

fn zone() -> impl Strategy<Value = Tz> {
    prop_oneof![
        3 => prop::sample::select(tricky_zones()),
        2 => prop::sample::select(chrono_tz::TZ_VARIANTS.to_vec()),
    ]
}

fn part(spec: Spec) -> impl Strategy<Value = Part> {
    let (min, max) = (spec.min, spec.max);
    let range = (min..=max, min..=max).prop_map(|(a, b)| (a.min(b), a.max(b)));
    prop_oneof![
        1 => (1..=max.max(1)).prop_map(Part::StarStep),
        4 => (min..=max).prop_map(Part::Value),
        2 => range.clone().prop_map(|(a, b)| Part::Range(a, b)),
        1 => (range, 1..=max.max(1)).prop_map(|((a, b), n)| Part::RangeStep(a, b, n)),
    ]
}

/// `*` with weight `star`, else a list of one to three entries.
fn field(spec: Spec, star: u32) -> impl Strategy<Value = Field> {
    let list = (prop::collection::vec(part(spec), 1..=3), any::<bool>())
        .prop_map(|(parts, spelled)| Field { parts, spelled });
    prop_oneof![
        star => Just(Field::star()),
        4 => list,
    ]
}

/// An hour field, often naming the early hours where clocks change (midnight to 03:00
/// local in most zones), so that specific-hour expressions meet gaps and overlaps.
fn hour_field() -> impl Strategy<Value = Field> {
    let early = prop_oneof![
        (0..=3u32).prop_map(Part::Value),
        (0..=3u32, 0..=2u32).prop_map(|(a, len)| Part::Range(a, a + len)),
    ];
    prop_oneof![
        3 => field(HOUR, 3),
        2 => prop::collection::vec(early, 1..=2).prop_map(|parts| Field { parts, spelled: false }),
    ]
}

/// An expression; its second field a single value when `single_second`.
fn expr(single_second: bool) -> impl Strategy<Value = Expr> {
    let second = if single_second {
        (0..=59u32)
            .prop_map(|s| Field {
                parts: vec![Part::Value(s)],
                spelled: false,
            })
            .boxed()
    } else {
        field(SECOND, 2).boxed()
    };
    (
        second,
        field(MINUTE, 2),
        hour_field(),
        // Day fields mostly `*`, so most expressions fire often.
        field(DOM, 8),
        field(MONTH, 8),
        field(DOW, 6),
        (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>()),
        prop::sample::select(vec![" ", "  ", "\t", " \t "]),
    )
        .prop_map(
            |(second, minute, hour, dom, month, dow, flags, separator)| {
                let (five, tz_prefix, both_days, question) = flags;
                let five_fields = five && matches!(second.parts.as_slice(), [Part::Value(0)]);
                Expr {
                    second,
                    minute,
                    hour,
                    dom,
                    month,
                    dow,
                    five_fields,
                    tz_prefix,
                    both_days,
                    question,
                    separator,
                }
            },
        )
}

/// 2000-01-01 to 2036-01-01, Unix seconds.
const STARTS: std::ops::Range<i64> = 946_684_800..2_082_758_400;

/// (any instant, whether to move it to just before the zone's next clock change, how long
/// before, in seconds: often within hours, so that even an hourly walk meets the change).
fn start() -> impl Strategy<Value = (i64, bool, i64)> {
    let back = prop_oneof![0..=3 * 3600i64, 0..=2 * 86_400i64];
    (STARTS, any::<bool>(), back)
}

fn offset(tz: Tz, t: i64) -> i32 {
    let utc = DateTime::from_timestamp(t, 0)
        .expect("in range")
        .naive_utc();
    tz.offset_from_utc_datetime(&utc).fix().local_minus_utc()
}

/// The first clock change of `tz` within a year after `t`, to the second, if any.
fn next_change(tz: Tz, t: i64) -> Option<i64> {
    let before = offset(tz, t);
    let step = 6 * 3600;
    let mut lo = t;
    while lo < t + 366 * 86_400 {
        let hi = lo + step;
        if offset(tz, hi) != before {
            let (mut lo, mut hi) = (lo, hi);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if offset(tz, mid) == before {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            return Some(hi);
        }
        lo = hi;
    }
    None
}

fn start_instant(tz: Tz, (t, near_change, back): (i64, bool, i64)) -> DateTime<Utc> {
    let t = if near_change {
        next_change(tz, t).map_or(t, |change| change - back)
    } else {
        t
    };
    DateTime::from_timestamp(t, 0).expect("in range")
}

/// The schedule of `expr`, or `None` for one the parser rightly rejects: its day and month
/// fields can never match (checked here over four years, a leap year included).
fn schedule(expr: &Expr, tz: Tz) -> Option<Schedule> {
    match expr.parse(tz) {
        Ok(s) => Some(s),
        Err(ScheduleError::NeverFires(text)) => {
            let first = NaiveDate::from_ymd_opt(2000, 1, 1).expect("a date");
            let matching = first
                .iter_days()
                .take(4 * 366)
                .find(|d| expr.date_matches(*d));
            assert_eq!(matching, None, "`{text}` was rejected as never firing");
            None
        }
        Err(e) => panic!("`{}` should parse: {e}", expr.text(tz)),
    }
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/// Fire times followed from each start.
const WALK: usize = 40;

/// Cases per property (`PROPTEST_CASES` overrides it for a longer hunt).
const CASES: u32 = 1024;

proptest! {
    #![proptest_config(ProptestConfig {
        cases: CASES,
        // Beside this file: the default looks for the crate's `lib.rs` from here and fails.
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    /// Walking `next_after` gives strictly later whole seconds, each a real local time that
    /// matches under the documented DST rule.
    #[test]
    fn next_strictly_increases_and_each_fire_matches(
        expr in expr(false),
        tz in zone(),
        start in start(),
    ) {
        let Some(schedule) = schedule(&expr, tz) else { return Ok(()) };
        let text = expr.text(tz);
        let mut prev = start_instant(tz, start);
        for _ in 0..WALK {
            let next = schedule.next_after(prev);
            prop_assert!(next.is_some(), "`{}` in {} stopped firing after {}", text, tz, prev);
            let next = next.expect("checked above");
            prop_assert!(next > prev, "`{text}` in {tz}: {next} after {prev}");
            prop_assert_eq!(next.timestamp_subsec_nanos(), 0);
            let fires = fires_at(&expr, tz, next);
            prop_assert!(fires.is_ok(), "`{}` from {}: {:?}", text, prev, fires);
            prev = next;
        }
    }

    /// `next_after` is the first fire the brute-force reference finds.
    #[test]
    fn next_agrees_with_a_minute_by_minute_search(
        expr in expr(true),
        tz in zone(),
        start in start(),
    ) {
        let Some(schedule) = schedule(&expr, tz) else { return Ok(()) };
        let text = expr.text(tz);
        let mut t = start_instant(tz, start);
        // A few steps, so a walk that starts before a clock change crosses it.
        for _ in 0..4 {
            let got = schedule.next_after(t);
            match reference_next(&expr, tz, t) {
                Some(want) => prop_assert_eq!(
                    got, Some(want),
                    "`{}` in {} after {} (reads {})", text, tz, t, local(tz, t)
                ),
                None => {
                    prop_assert!(
                        got.is_none_or(|g| g > t + WINDOW - TimeDelta::days(1)),
                        "`{}` in {} after {}: the reference finds nothing in two years, \
                         next_after gives {:?}", text, tz, t, got
                    );
                    break;
                }
            }
            t = got.expect("checked above");
        }
    }
}

//! The cron dialect of schedd: parsing an expression into a [`Schedule`] and finding its fire
//! times.
//!
//! # Dialect
//!
//! * **5 fields** `min hour dom month dow` (fires at second 0), **6 fields** with seconds first
//!   (`sec min hour dom month dow`), **7 fields** with seconds first and a year last
//!   (1970-4999). Fields are separated by any run of spaces or tabs; the whole expression is
//!   trimmed.
//! * Every field takes `*`, numbers, ranges `1-5`, lists `1,3,5` and steps `*/15` or
//!   `10-40/10`. A step needs `*` or a range before the slash (`5/15` is rejected: write
//!   `5-59/15`), and must be at least 1.
//! * Month names `JAN`-`DEC` and day-of-week names `SUN`-`SAT` are accepted, in any case. The
//!   day of week runs 0-7, where 0 and 7 are both Sunday and 1 is Monday.
//! * Day of month: `L` (last day), `LW` (last weekday), `15W` (the weekday nearest the 15th,
//!   never leaving the month), `?` (same as `*`).
//! * Day of week: `5#2` (second Friday), `5#L` or `5L` (last Friday), `?` (same as `*`), and a
//!   leading `+` (`+MON`) to require both day fields to match. Without `+`, when both day
//!   fields are restricted a day matches if either does (classic Vixie cron); a `*` day field
//!   is ignored.
//! * Macros, all firing at second 0: `@yearly`/`@annually` (`0 0 0 1 1 *`), `@monthly`
//!   (`0 0 0 1 * *`), `@weekly` (Sunday, `0 0 0 * * 0`), `@daily`/`@midnight`
//!   (`0 0 0 * * *`), `@hourly` (`0 0 * * * *`).
//! * `@every <duration>` (humantime syntax: `90s`, `5m`, `1h30m`) fires at every instant `t`
//!   with `t % interval == 0` in Unix seconds, so every worker agrees on the ticks without
//!   sharing state. The interval must be a whole number of seconds from 1s to 366 days. Time
//!   zones do not affect it.
//! * A `TZ=Area/City ` or `CRON_TZ=Area/City ` prefix (before a field list or a macro; the key
//!   in any case, the zone name exactly as in the tz database) sets the IANA zone the
//!   expression is read in; otherwise the caller's default zone applies.
//! * An expression whose day, month and year fields can never match (`0 0 30 2 *`) is rejected
//!   rather than accepted as a schedule that silently never fires. One whose only years are in
//!   the past is accepted and simply has no more fire times.
//!
//! # Daylight saving time
//!
//! Cron fields describe wall-clock time in the schedule's zone, but fire times are real
//! instants, and around a clock change some wall-clock times happen twice or not at all.
//! A schedule follows one of two rules, picked by its **hour field**:
//!
//! * **Wildcard hours** (`*`, `*/n`, or any field naming all 24 hours; e.g. `0 */15 * * * *`,
//!   `@hourly`): the job is about elapsed time. It fires at every real instant whose
//!   wall-clock reading matches. Matching times inside a spring-forward gap do not exist, so
//!   they are skipped; in a fall-back overlap the repeated hour is matched in both passes. An
//!   hourly job therefore fires exactly once per real hour (23 times on the spring day, 25 on
//!   the autumn day), and a `*/15` job every 15 real minutes across both transitions.
//! * **Specific hours** (everything else; e.g. `0 30 2 * * *`, `@daily`, `*/10 * 9-17 * * *`):
//!   the job is about a time of day and runs once for each matching wall-clock time. A time
//!   inside a spring-forward gap runs at the first instant after the gap (03:00 local when
//!   02:00-02:59 is skipped); several such times collapse into that one run. A time that
//!   happens twice in a fall-back overlap runs only at its first occurrence.
//!
//! Either way [`Schedule::next_after`] is strictly increasing: it never returns an instant at
//! or before its argument, never returns the same instant twice, and always lands on a whole
//! second.
use std::fmt;

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{GapInfo, Tz};
use croner::Cron;
use croner::parser::{CronParser, Seconds, Year};

/// The longest `@every` interval. Longer ones would fire less than once a year, which is a
/// yearly cron expression's job, and bounding it keeps the tick arithmetic far from overflow.
const MAX_EVERY_SECS: u64 = 366 * 86_400;

/// Year bounds of the 7th field. croner searches up to year 5000 and gives up there.
const MIN_YEAR: u32 = 1970;
const MAX_YEAR: u32 = 4999;

/// Bound on the wall-clock candidates one `next_after` call examines. A call normally needs
/// one or two (a third after a gap); the bound only matters for a broken time zone table,
/// where giving up beats spinning on the hot path.
const MAX_CANDIDATES: usize = 16;

/// A parsed schedule: cron fields or an `@every` interval, and the zone it is evaluated in.
#[derive(Clone, PartialEq, Eq)]
pub struct Schedule {
    expr: String,
    tz: Tz,
    kind: Kind,
}

/// By hand: croner's parsed pattern prints thousands of bitfield entries, which would drown
/// any log line or test failure that includes a job.
impl fmt::Debug for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Schedule");
        s.field("expr", &self.expr).field("tz", &self.tz);
        match &self.kind {
            Kind::Every(secs) => s.field("every_secs", secs),
            Kind::Cron(rule) => s.field("dst", &rule.dst),
        };
        s.finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// Fires at every multiple of this many seconds since the Unix epoch.
    Every(i64),
    /// Boxed: a parsed croner pattern is large, an interval is one word.
    Cron(Box<CronRule>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct CronRule {
    cron: Cron,
    dst: DstRule,
    /// No fire exists at or after this Unix second (set when the year field ends).
    horizon: Option<i64>,
}

/// How wall-clock matches turn into instants around clock changes (see the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DstRule {
    /// Hour field names specific hours: each matching wall time fires once.
    SpecificHours,
    /// Hour field covers every hour: fire whenever the real clock shows a match.
    WildcardHours,
}

/// Why an expression or a time zone name was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("empty cron expression")]
    Empty,
    #[error("expected 5, 6 or 7 fields, found {found} in `{expr}`")]
    FieldCount { expr: String, found: usize },
    #[error("invalid cron expression `{expr}`: {reason}")]
    Invalid { expr: String, reason: String },
    #[error("cron expression `{0}` never fires: no date matches its day, month and year fields")]
    NeverFires(String),
    #[error("empty time zone name")]
    EmptyTimeZone,
    #[error("unknown time zone `{name}`{}", tz_hint(.suggestion))]
    UnknownTimeZone {
        name: String,
        suggestion: Option<String>,
    },
    #[error("missing cron expression after `{prefix}`")]
    MissingExpression { prefix: String },
    #[error("more than one time zone prefix in `{0}`")]
    DuplicateTimeZone(String),
    #[error(
        "unknown macro `{0}` (expected @yearly, @annually, @monthly, @weekly, @daily, \
         @midnight, @hourly or @every <duration>)"
    )]
    UnknownMacro(String),
    #[error("macro `{name}` takes no arguments, found `{rest}`")]
    MacroArguments { name: String, rest: String },
    #[error("@every needs a duration, e.g. `@every 5m` or `@every 1h30m`")]
    MissingInterval,
    #[error("invalid @every duration `{input}`: {reason}")]
    InvalidDuration { input: String, reason: String },
    #[error("@every needs a whole number of seconds of at least 1s, got `{0}`")]
    BadInterval(String),
    #[error("@every interval `{0}` is longer than the maximum of 366 days")]
    IntervalTooLong(String),
}

fn tz_hint(suggestion: &Option<String>) -> String {
    match suggestion {
        Some(name) => format!(" (did you mean `{name}`?)"),
        None => " (expected an IANA name such as `Europe/Berlin` or `UTC`)".to_owned(),
    }
}

/// Parses an IANA zone name with a clear [`ScheduleError`] on failure.
pub fn parse_timezone(name: &str) -> Result<Tz, ScheduleError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ScheduleError::EmptyTimeZone);
    }
    name.parse::<Tz>()
        .map_err(|_| ScheduleError::UnknownTimeZone {
            name: name.to_owned(),
            // Only the spelling is wrong surprisingly often (`europe/berlin`); naming the right
            // one saves a trip to the tz database.
            suggestion: chrono_tz::TZ_VARIANTS
                .iter()
                .map(|tz| tz.name())
                .find(|known| known.eq_ignore_ascii_case(name))
                .map(str::to_owned),
        })
}

impl Schedule {
    /// Parses `expr` in the dialect of the module doc; `default_tz` applies unless the
    /// expression has a `TZ=`/`CRON_TZ=` prefix.
    pub fn parse(expr: &str, default_tz: Tz) -> Result<Schedule, ScheduleError> {
        let expr = expr.trim();
        if expr.is_empty() {
            return Err(ScheduleError::Empty);
        }
        let (tz, body) = match split_tz_prefix(expr)? {
            Some((tz, body)) => (tz, body),
            None => (default_tz, expr),
        };
        let kind = if body.starts_with('@') {
            parse_macro(body)?
        } else {
            parse_fields(body, body)?
        };
        Ok(Schedule {
            expr: expr.to_owned(),
            tz,
            kind,
        })
    }

    /// The first fire time strictly after `after`, always on a whole second; `None` if there
    /// is none (e.g. the year field lies in the past).
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        // Fire times are whole seconds, so "after `after`" is "after its whole second", even
        // when `after` carries a fraction.
        let after = after.timestamp();
        let next = match &self.kind {
            Kind::Every(interval) => after
                .div_euclid(*interval)
                .checked_add(1)?
                .checked_mul(*interval)?,
            Kind::Cron(rule) => {
                if rule.horizon.is_some_and(|h| after >= h) {
                    return None;
                }
                match rule.dst {
                    DstRule::SpecificHours => next_specific_hours(&rule.cron, self.tz, after)?,
                    DstRule::WildcardHours => next_wildcard_hours(&rule.cron, self.tz, after)?,
                }
            }
        };
        DateTime::from_timestamp(next, 0)
    }

    /// Up to `n` successive fire times strictly after `after`.
    pub fn upcoming(&self, after: DateTime<Utc>, n: usize) -> Vec<DateTime<Utc>> {
        // `n` comes from callers (an API's `limit`); don't let it size the allocation.
        let mut out = Vec::with_capacity(n.min(1024));
        let mut cursor = after;
        while out.len() < n {
            match self.next_after(cursor) {
                Some(next) => {
                    out.push(next);
                    cursor = next;
                }
                None => break,
            }
        }
        out
    }

    /// The zone the schedule is evaluated in.
    pub fn timezone(&self) -> Tz {
        self.tz
    }

    /// The expression as given (trimmed), including any `TZ=` prefix.
    pub fn expr(&self) -> &str {
        &self.expr
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

/// Splits a `TZ=`/`CRON_TZ=` prefix off `expr`, returning the zone and the rest.
fn split_tz_prefix(expr: &str) -> Result<Option<(Tz, &str)>, ScheduleError> {
    let Some(after_key) = strip_tz_key(expr) else {
        return Ok(None);
    };
    let (name, rest) = after_key
        .split_once(char::is_whitespace)
        .unwrap_or((after_key, ""));
    let tz = parse_timezone(name)?;
    let rest = rest.trim_start();
    if rest.is_empty() {
        return Err(ScheduleError::MissingExpression {
            prefix: expr.to_owned(),
        });
    }
    if strip_tz_key(rest).is_some() {
        return Err(ScheduleError::DuplicateTimeZone(expr.to_owned()));
    }
    Ok(Some((tz, rest)))
}

fn strip_tz_key(s: &str) -> Option<&str> {
    ["TZ=", "CRON_TZ="].iter().find_map(|key| {
        s.get(..key.len())
            .filter(|head| head.eq_ignore_ascii_case(key))
            .and_then(|_| s.get(key.len()..))
    })
}

fn parse_macro(body: &str) -> Result<Kind, ScheduleError> {
    let (name, rest) = body
        .split_once(char::is_whitespace)
        .map_or((body, ""), |(n, r)| (n, r.trim()));
    let lower = name.to_ascii_lowercase();
    if lower == "@every" {
        return parse_every(rest).map(Kind::Every);
    }
    // Seconds spelled out so a macro always fires at second 0 whatever the parser defaults.
    let fields = match lower.as_str() {
        "@yearly" | "@annually" => "0 0 0 1 1 *",
        "@monthly" => "0 0 0 1 * *",
        "@weekly" => "0 0 0 * * 0",
        "@daily" | "@midnight" => "0 0 0 * * *",
        "@hourly" => "0 0 * * * *",
        _ => return Err(ScheduleError::UnknownMacro(name.to_owned())),
    };
    if !rest.is_empty() {
        return Err(ScheduleError::MacroArguments {
            name: name.to_owned(),
            rest: rest.to_owned(),
        });
    }
    parse_fields(fields, body)
}

fn parse_every(input: &str) -> Result<i64, ScheduleError> {
    if input.is_empty() {
        return Err(ScheduleError::MissingInterval);
    }
    let duration =
        humantime::parse_duration(input).map_err(|e| ScheduleError::InvalidDuration {
            input: input.to_owned(),
            reason: e.to_string(),
        })?;
    if duration.subsec_nanos() != 0 || duration.as_secs() == 0 {
        return Err(ScheduleError::BadInterval(input.to_owned()));
    }
    if duration.as_secs() > MAX_EVERY_SECS {
        return Err(ScheduleError::IntervalTooLong(input.to_owned()));
    }
    i64::try_from(duration.as_secs()).map_err(|_| ScheduleError::IntervalTooLong(input.to_owned()))
}

/// Parses a field list. `shown` is what error messages quote (the macro for a macro).
fn parse_fields(body: &str, shown: &str) -> Result<Kind, ScheduleError> {
    let invalid = |reason: String| ScheduleError::Invalid {
        expr: shown.to_owned(),
        reason,
    };
    let given: Vec<&str> = body.split_whitespace().collect();
    let found = given.len();
    let first = match found {
        5 => 1, // the 5-field form has no seconds
        6 | 7 => 0,
        _ => {
            return Err(ScheduleError::FieldCount {
                expr: shown.to_owned(),
                found,
            });
        }
    };
    for (field, text) in FIELDS[first..].iter().zip(&given) {
        check_field(field, text).map_err(invalid)?;
    }

    // croner checks the structure we did not (and is the authority on what it can evaluate);
    // our own pass above exists for messages that name the field and the bad value.
    let mut text: Vec<String> = given.iter().map(|f| f.to_ascii_uppercase()).collect();
    let dow = &mut text[5 - first];
    *dow = dow_ranges_in_numbers(dow);
    let cron = CronParser::builder()
        .seconds(Seconds::Optional)
        .year(Year::Optional)
        .build()
        .parse(&text.join(" "))
        .map_err(|e| invalid(describe_croner_error(&e)))?;

    let hour_field = given[2 - first];
    let dst = if hour_field.starts_with('*') || cron.pattern.hours.values().len() == 24 {
        DstRule::WildcardHours
    } else {
        DstRule::SpecificHours
    };

    let years = cron.pattern.years.values();
    let first_year = years.first().map_or(MIN_YEAR, |&y| u32::from(y));
    let last_year = years.last().map_or(MAX_YEAR, |&y| u32::from(y));

    // Rejecting the impossible here keeps `next_after` cheap: croner would otherwise scan to
    // year 5000 on every call for a pattern like Feb 30.
    let probe_from = wall(first_year, 1, 1).expect("the first year of the field is a real date");
    if cron.find_next_occurrence(&probe_from, true).is_err() {
        return Err(ScheduleError::NeverFires(shown.to_owned()));
    }

    // Every fire's wall time lies before January 1st after the last year; its instant lies at
    // most a day later (zone offsets and gap shifts are well under a day).
    let horizon = (last_year < MAX_YEAR)
        .then(|| wall(last_year + 1, 1, 1))
        .flatten()
        .map(|end| end.and_utc().timestamp() + 86_400);

    Ok(Kind::Cron(Box::new(CronRule { cron, dst, horizon })))
}

/// The day-of-week field with each range (before any `/step` or `#nth`) in numbers, and a
/// Sunday end written 7 unless the range starts on Sunday too. croner turns every `-SUN`
/// into `-7`, so `SUN-SUN` would mean every day, and refuses a range ending in 0, which
/// [`check_field`] accepts as ending on Sunday (`5-0`, Friday through Sunday).
fn dow_ranges_in_numbers(field: &str) -> String {
    let dow = &FIELDS[5];
    let (plus, body) = match field.strip_prefix('+') {
        Some(body) => ("+", body),
        None => ("", field),
    };
    let entries: Vec<String> = body
        .split(',')
        .map(|entry| {
            let (range, rest) = entry.split_at(entry.find(['/', '#']).unwrap_or(entry.len()));
            let Some((lo, hi)) = range.split_once('-') else {
                return entry.to_owned();
            };
            let (Ok(lo), Ok(hi)) = (dow.value(lo), dow.value(hi)) else {
                return entry.to_owned();
            };
            let hi = if hi == 0 && lo > 0 { 7 } else { hi };
            format!("{lo}-{hi}{rest}")
        })
        .collect();
    format!("{plus}{}", entries.join(","))
}

fn wall(year: u32, month: u32, day: u32) -> Option<NaiveDateTime> {
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?.and_hms_opt(0, 0, 0)
}

fn describe_croner_error(e: &croner::errors::CronError) -> String {
    let text = e.to_string();
    let text = text.trim_end_matches('.');
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => "rejected by the cron parser".to_owned(),
    }
}

/// What values a field takes, for validation and messages.
struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
}

const MONTH_NAMES: &[&str] = &[
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
const DOW_NAMES: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

const FIELDS: [Field; 7] = [
    Field::new("second", 0, 59, &[]),
    Field::new("minute", 0, 59, &[]),
    Field::new("hour", 0, 23, &[]),
    Field::new("day-of-month", 1, 31, &[]),
    Field::new("month", 1, 12, MONTH_NAMES),
    Field::new("day-of-week", 0, 7, DOW_NAMES),
    Field::new("year", MIN_YEAR, MAX_YEAR, &[]),
];

impl Field {
    const fn new(name: &'static str, min: u32, max: u32, names: &'static [&'static str]) -> Field {
        Field {
            name,
            min,
            max,
            names,
        }
    }

    fn is_dom(&self) -> bool {
        self.name == "day-of-month"
    }

    fn is_dow(&self) -> bool {
        self.name == "day-of-week"
    }

    /// The numeric value of one token (a number or a name), range-checked.
    fn value(&self, token: &str) -> Result<u32, String> {
        let name = self.name;
        if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) {
            return match token.parse::<u32>() {
                Ok(v) if (self.min..=self.max).contains(&v) => Ok(v),
                _ => Err(format!(
                    "{name} value {token} is out of range {}-{}",
                    self.min, self.max
                )),
            };
        }
        if let Some(i) = self
            .names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(token))
        {
            let first = if self.is_dow() { 0 } else { 1 };
            return Ok(first + u32::try_from(i).expect("name tables are tiny"));
        }
        if token.is_empty() {
            return Err(format!("missing {name} value"));
        }
        match (self.names.first(), self.names.last()) {
            (Some(first), Some(last)) if token.bytes().all(|b| b.is_ascii_alphabetic()) => {
                Err(format!(
                    "unknown {name} name `{token}` (use {first}-{last} or {}-{})",
                    self.min, self.max
                ))
            }
            _ => Err(format!(
                "`{token}` is not a valid {name} value (use {}-{})",
                self.min, self.max
            )),
        }
    }

    /// A `lo-hi` range or a single value.
    fn range(&self, text: &str) -> Result<(), String> {
        match text.split_once('-') {
            Some((lo, hi)) => {
                let lo_v = self.value(lo)?;
                let mut hi_v = self.value(hi)?;
                // `FRI-SUN` means Friday through Sunday: Sunday ends a week as 7.
                if self.is_dow() && hi_v == 0 {
                    hi_v = 7;
                }
                if lo_v > hi_v {
                    return Err(format!(
                        "{} range `{text}` runs backwards (write the smaller value first)",
                        self.name
                    ));
                }
                Ok(())
            }
            None => self.value(text).map(drop),
        }
    }
}

/// Checks one field for values out of range, bad steps and misplaced special
/// characters, so the user learns which field is wrong and why.
fn check_field(field: &Field, text: &str) -> Result<(), String> {
    let name = field.name;
    let body = if field.is_dow() {
        text.strip_prefix('+').unwrap_or(text)
    } else {
        text
    };
    for part in body.split(',') {
        if part.is_empty() {
            return Err(format!("{name} field `{text}` has an empty list entry"));
        }
        let (base, step) = match part.split_once('/') {
            Some((base, step)) => (base, Some(step)),
            None => (part, None),
        };
        if let Some(step) = step {
            match step.parse::<u32>() {
                Ok(0) => return Err(format!("{name} step in `{part}` must be at least 1")),
                Ok(_) => {}
                Err(_) => {
                    return Err(format!(
                        "{name} step `{step}` in `{part}` is not a positive number"
                    ));
                }
            }
            if base != "*" && !base.contains('-') {
                return Err(format!(
                    "{name} step `{part}` needs `*` or a range before the slash, \
                     e.g. `*/{step}` or `{base}-{}/{step}`",
                    field.max
                ));
            }
        }
        if base == "*" {
            continue;
        }
        if base == "?" {
            if field.is_dom() || field.is_dow() {
                continue;
            }
            return Err(format!(
                "`?` is only allowed in the day-of-month and day-of-week fields, not {name}"
            ));
        }
        if field.is_dom() {
            if base.eq_ignore_ascii_case("L") || base.eq_ignore_ascii_case("LW") {
                continue;
            }
            if let Some(day) = base.strip_suffix(['W', 'w']) {
                field.value(day)?;
                continue;
            }
        }
        if field.is_dow() {
            if let Some((days, nth)) = base.split_once('#') {
                if !matches!(nth, "1" | "2" | "3" | "4" | "5" | "L" | "l") {
                    return Err(format!(
                        "`#{nth}` in `{part}` must be #1 to #5, or #L for the last one"
                    ));
                }
                field.range(days)?;
                continue;
            }
            if let Some(days) = base.strip_suffix(['L', 'l']) {
                field.range(days)?;
                continue;
            }
        }
        field.range(base)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Evaluation
//
// Instants are Unix seconds (`i64`), wall-clock times are `NaiveDateTime`s in the schedule's
// zone. croner only ever searches wall-clock time (on `NaiveDateTime`, where every time exists
// once); mapping wall times to instants, and so every DST rule, is done here.
// ---------------------------------------------------------------------------------------------

/// How a wall-clock time maps to real instants.
enum Resolved {
    Single(i64),
    /// Happens twice (fall-back overlap): the first and second pass.
    Twice {
        first: i64,
        second: i64,
    },
    /// Never happens (spring-forward gap).
    Gap,
}

fn offset_at(tz: Tz, t: i64) -> Option<i64> {
    let utc = DateTime::from_timestamp(t, 0)?.naive_utc();
    Some(i64::from(
        tz.offset_from_utc_datetime(&utc).fix().local_minus_utc(),
    ))
}

/// The wall-clock reading `off` seconds ahead of instant `t`.
fn wall_at(t: i64, off: i64) -> Option<NaiveDateTime> {
    Some(DateTime::from_timestamp(t.checked_add(off)?, 0)?.naive_utc())
}

fn resolve(tz: Tz, w: NaiveDateTime) -> Resolved {
    let secs = w.and_utc().timestamp();
    let instant = |off: <Tz as TimeZone>::Offset| secs - i64::from(off.fix().local_minus_utc());
    match tz.offset_from_local_datetime(&w) {
        LocalResult::Single(off) => Resolved::Single(instant(off)),
        LocalResult::Ambiguous(a, b) => {
            let (a, b) = (instant(a), instant(b));
            if a == b {
                Resolved::Single(a)
            } else {
                Resolved::Twice {
                    first: a.min(b),
                    second: a.max(b),
                }
            }
        }
        LocalResult::None => Resolved::Gap,
    }
}

/// The first instant after the spring-forward gap that contains wall time `w`.
fn gap_end(tz: Tz, w: NaiveDateTime) -> Option<i64> {
    Some(GapInfo::new(&w, &tz)?.end?.timestamp())
}

/// The instant the clock went back, given the two instants of one repeated wall time: the
/// first instant of the second pass. chrono-tz has no transition lookup, so bisect on the
/// offset; an overlap is at most a few hours, about a dozen lookups.
fn fall_back_instant(tz: Tz, first: i64, second: i64) -> Option<i64> {
    let old = offset_at(tz, first)?;
    let (mut lo, mut hi) = (first, second);
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if offset_at(tz, mid)? == old {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(hi)
}

fn next_wall(cron: &Cron, from: NaiveDateTime, inclusive: bool) -> Option<NaiveDateTime> {
    cron.find_next_occurrence(&from, inclusive).ok()
}

/// Specific-hours rule: each matching wall time `w` fires once, at the first instant whose
/// wall clock reads `w` or later (its only instant, its first pass, or the end of its gap).
/// That map is monotonic in `w`, so the answer is the first matching wall time after the
/// latest wall clock reading shown so far.
fn next_specific_hours(cron: &Cron, tz: Tz, after: i64) -> Option<i64> {
    let off = offset_at(tz, after)?;
    let local = wall_at(after, off)?;
    let shown_so_far = match resolve(tz, local) {
        // In the second pass of an overlap the clock has already shown the whole repeated
        // range once, up to one second before the change.
        Resolved::Twice { first, second } if after >= second => {
            let change = fall_back_instant(tz, first, second)?;
            wall_at(change - 1, offset_at(tz, change - 1)?)?
        }
        _ => local,
    };
    let mut w = shown_so_far;
    for _ in 0..MAX_CANDIDATES {
        w = next_wall(cron, w, false)?;
        let t = match resolve(tz, w) {
            Resolved::Single(t) => t,
            Resolved::Twice { first, .. } => first,
            Resolved::Gap => match gap_end(tz, w) {
                Some(t) => t,
                None => continue,
            },
        };
        // Always true by the reasoning above; checked so a surprise in the zone data can
        // never break monotonicity.
        if t > after {
            return Some(t);
        }
    }
    None
}

/// Wildcard-hours rule: fire at every instant whose wall clock reading matches.
///
/// Walking wall time forward from `after`'s reading finds every such instant except one kind:
/// when `after` is in the first pass of an overlap, the second pass replays wall times at or
/// before `after`'s reading, yet its instants come later. Those are searched separately.
fn next_wildcard_hours(cron: &Cron, tz: Tz, after: i64) -> Option<i64> {
    let off = offset_at(tz, after)?;
    let local = wall_at(after, off)?;

    let mut best = None;
    let mut w = local;
    for _ in 0..MAX_CANDIDATES {
        let Some(next) = next_wall(cron, w, false) else {
            break;
        };
        w = next;
        match resolve(tz, w) {
            Resolved::Single(t) if t > after => {
                best = Some(t);
                break;
            }
            Resolved::Twice { first, second } => {
                if first > after {
                    best = Some(first);
                    break;
                }
                if second > after {
                    best = Some(second);
                    break;
                }
            }
            Resolved::Gap => {
                // Skip the rest of the gap in one step instead of match by match (a
                // `* * * * * *` job would otherwise visit 3,600 nonexistent seconds).
                let end = gap_end(tz, w)?;
                w = wall_at(end - 1, offset_at(tz, end)?)?;
            }
            Resolved::Single(_) => {}
        }
    }

    // Written without let-chains: the workspace's rust-version predates them.
    let Resolved::Twice { first, second } = resolve(tz, local) else {
        return best;
    };
    if after >= second {
        return best;
    }
    let change = fall_back_instant(tz, first, second)?;
    let new_off = offset_at(tz, change)?;
    let replay_start = wall_at(change, new_off)?;
    let replay_end = wall_at(change, off)?;
    match next_wall(cron, replay_start, true) {
        Some(w2) if w2 < replay_end => {
            let t = w2.and_utc().timestamp() - new_off;
            Some(best.map_or(t, |b| b.min(t)))
        }
        _ => best,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::America::New_York;
    use chrono_tz::Europe::Berlin;
    use std::collections::BTreeMap;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .unwrap_or_else(|e| panic!("bad test timestamp {s}: {e}"))
            .with_timezone(&Utc)
    }

    fn sched(expr: &str, tz: Tz) -> Schedule {
        Schedule::parse(expr, tz).unwrap_or_else(|e| panic!("`{expr}` should parse: {e}"))
    }

    fn fmt(t: &DateTime<Utc>) -> String {
        t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }

    fn fires(expr: &str, tz: Tz, after: &str, n: usize) -> Vec<String> {
        sched(expr, tz)
            .upcoming(utc(after), n)
            .iter()
            .map(fmt)
            .collect()
    }

    /// Every dialect feature, with the fire times worked out by hand (2026-01-01 is a
    /// Thursday; all expected instants are UTC).
    #[test]
    fn dialect_table() {
        let utc_tz = Tz::UTC;
        let cases: &[(&str, &str, Tz, &str, &[&str])] = &[
            // 5 fields: classic, second 0.
            (
                "5 fields",
                "*/15 * * * *",
                utc_tz,
                "2026-01-01T00:07:30Z",
                &[
                    "2026-01-01T00:15:00Z",
                    "2026-01-01T00:30:00Z",
                    "2026-01-01T00:45:00Z",
                ],
            ),
            (
                "5 fields fixed",
                "30 9 * * *",
                utc_tz,
                "2026-01-01T09:30:00Z",
                &["2026-01-02T09:30:00Z", "2026-01-03T09:30:00Z"],
            ),
            // 6 fields: seconds first.
            (
                "6 fields",
                "30 * * * * *",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2026-01-01T00:00:30Z", "2026-01-01T00:01:30Z"],
            ),
            (
                "every second",
                "* * * * * *",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &[
                    "2026-01-01T00:00:01Z",
                    "2026-01-01T00:00:02Z",
                    "2026-01-01T00:00:03Z",
                ],
            ),
            // 7 fields: year last.
            (
                "7 fields",
                "0 0 12 1 1 * 2027",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2027-01-01T12:00:00Z"],
            ),
            (
                "7 fields year list",
                "0 0 0 1 1 * 2027,2029",
                utc_tz,
                "2026-06-01T00:00:00Z",
                &["2027-01-01T00:00:00Z", "2029-01-01T00:00:00Z"],
            ),
            (
                "7 fields year star",
                "0 0 0 1 1 * *",
                utc_tz,
                "2026-06-01T00:00:00Z",
                &["2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"],
            ),
            // Day of week: 0 and 7 are Sunday, 1 is Monday.
            (
                "dow 0 is sunday",
                "0 0 * * 0",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"],
            ),
            (
                "dow 7 is sunday",
                "0 0 * * 7",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"],
            ),
            (
                "dow 1 is monday",
                "0 0 * * 1",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2026-01-05T00:00:00Z"],
            ),
            (
                "dow range 1-5",
                "0 0 * * 1-5",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &[
                    "2026-01-02T00:00:00Z",
                    "2026-01-05T00:00:00Z",
                    "2026-01-06T00:00:00Z",
                ],
            ),
            (
                "dow range 5-7",
                "0 0 * * 5-7",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &[
                    "2026-01-02T00:00:00Z",
                    "2026-01-03T00:00:00Z",
                    "2026-01-04T00:00:00Z",
                    "2026-01-09T00:00:00Z",
                ],
            ),
            // Names, in any case.
            (
                "dow names",
                "0 0 * * MON-FRI",
                utc_tz,
                "2026-01-02T00:00:00Z",
                &["2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z"],
            ),
            (
                "dow names lower",
                "0 0 * * mon-fri",
                utc_tz,
                "2026-01-02T00:00:00Z",
                &["2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z"],
            ),
            (
                "dow names wrap to sun",
                "0 0 * * Fri-Sun",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &[
                    "2026-01-02T00:00:00Z",
                    "2026-01-03T00:00:00Z",
                    "2026-01-04T00:00:00Z",
                    "2026-01-09T00:00:00Z",
                ],
            ),
            (
                "dow name list",
                "0 0 * * sun,WED",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2026-01-04T00:00:00Z", "2026-01-07T00:00:00Z"],
            ),
            (
                "month names",
                "0 0 1 jan,Jul *",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2026-07-01T00:00:00Z", "2027-01-01T00:00:00Z"],
            ),
            (
                "month name range",
                "0 0 1 MAR-may *",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &[
                    "2026-03-01T00:00:00Z",
                    "2026-04-01T00:00:00Z",
                    "2026-05-01T00:00:00Z",
                    "2027-03-01T00:00:00Z",
                ],
            ),
            // Lists, ranges and steps.
            (
                "second range step",
                "10-40/10 * * * * *",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &[
                    "2026-01-01T00:00:10Z",
                    "2026-01-01T00:00:20Z",
                    "2026-01-01T00:00:30Z",
                    "2026-01-01T00:00:40Z",
                    "2026-01-01T00:01:10Z",
                ],
            ),
            (
                "minute list",
                "0 5,35 * * * *",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &[
                    "2026-01-01T00:05:00Z",
                    "2026-01-01T00:35:00Z",
                    "2026-01-01T01:05:00Z",
                ],
            ),
            (
                "hour range",
                "0 0 22-23 * * *",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &[
                    "2026-01-01T22:00:00Z",
                    "2026-01-01T23:00:00Z",
                    "2026-01-02T22:00:00Z",
                ],
            ),
            (
                "hour step",
                "0 0 */6 * * *",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &[
                    "2026-01-01T06:00:00Z",
                    "2026-01-01T12:00:00Z",
                    "2026-01-01T18:00:00Z",
                    "2026-01-02T00:00:00Z",
                ],
            ),
            (
                "leading zeros",
                "00 05 09 * * *",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2026-01-01T09:05:00Z"],
            ),
            // Day-of-month and day-of-week together: either matches (Vixie), `+` for both.
            (
                "dom or dow",
                "0 0 1 * MON",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &[
                    "2026-01-05T00:00:00Z",
                    "2026-01-12T00:00:00Z",
                    "2026-01-19T00:00:00Z",
                    "2026-01-26T00:00:00Z",
                    "2026-02-01T00:00:00Z",
                ],
            ),
            (
                "dom and dow",
                "0 0 1 * +MON",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2026-06-01T00:00:00Z"],
            ),
            (
                "rare dom and dow",
                "0 0 0 29 2 +MON",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2044-02-29T00:00:00Z", "2072-02-29T00:00:00Z"],
            ),
            (
                "lower-case prefix key",
                "cron_tz=America/New_York 0 9 * * *",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2026-01-01T14:00:00Z"],
            ),
            (
                "question mark",
                "0 0 0 ? * 1",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2026-01-05T00:00:00Z"],
            ),
            // L, W and #.
            (
                "last day",
                "0 0 L * *",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &[
                    "2026-01-31T00:00:00Z",
                    "2026-02-28T00:00:00Z",
                    "2026-03-31T00:00:00Z",
                ],
            ),
            (
                "nearest weekday sunday",
                "0 0 15W * *",
                utc_tz,
                "2026-02-01T00:00:00Z",
                &["2026-02-16T00:00:00Z"],
            ),
            (
                "nearest weekday stays in month",
                "0 0 1W * *",
                utc_tz,
                "2026-07-15T00:00:00Z",
                &["2026-08-03T00:00:00Z"],
            ),
            (
                "last weekday",
                "0 0 LW * *",
                utc_tz,
                "2026-02-01T00:00:00Z",
                &["2026-02-27T00:00:00Z", "2026-03-31T00:00:00Z"],
            ),
            (
                "second friday",
                "0 0 * * 5#2",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2026-01-09T00:00:00Z", "2026-02-13T00:00:00Z"],
            ),
            (
                "second friday by name",
                "0 0 * * fri#2",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2026-01-09T00:00:00Z"],
            ),
            (
                "last friday 5L",
                "0 0 * * 5L",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2026-01-30T00:00:00Z", "2026-02-27T00:00:00Z"],
            ),
            (
                "last friday 5#L",
                "0 0 * * 5#L",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2026-01-30T00:00:00Z"],
            ),
            (
                "specials in lower case",
                "0 0 lw * *",
                utc_tz,
                "2026-02-01T00:00:00Z",
                &["2026-02-27T00:00:00Z"],
            ),
            (
                "last friday lower case",
                "0 0 * * fri#l",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2026-01-30T00:00:00Z"],
            ),
            // Macros, all at second 0.
            (
                "@yearly",
                "@yearly",
                utc_tz,
                "2026-01-01T00:00:30Z",
                &["2027-01-01T00:00:00Z"],
            ),
            (
                "@annually",
                "@annually",
                utc_tz,
                "2026-01-01T00:00:30Z",
                &["2027-01-01T00:00:00Z"],
            ),
            (
                "@monthly",
                "@monthly",
                utc_tz,
                "2026-01-01T00:00:30Z",
                &["2026-02-01T00:00:00Z"],
            ),
            (
                "@weekly",
                "@weekly",
                utc_tz,
                "2026-01-01T00:00:30Z",
                &["2026-01-04T00:00:00Z"],
            ),
            (
                "@daily",
                "@daily",
                utc_tz,
                "2026-01-01T00:00:30Z",
                &["2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"],
            ),
            (
                "@midnight",
                "@midnight",
                utc_tz,
                "2026-01-01T00:00:30Z",
                &["2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z"],
            ),
            (
                "@hourly",
                "@hourly",
                utc_tz,
                "2026-01-01T00:00:30Z",
                &["2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z"],
            ),
            (
                "macro case",
                "@Daily",
                utc_tz,
                "2026-01-01T00:00:30Z",
                &["2026-01-02T00:00:00Z"],
            ),
            // @every: multiples of the interval since the epoch (1767225600 = 2026-01-01 is a
            // multiple of 90, 300 and 5400; 1767225603 is the next multiple of 13).
            (
                "@every 90s",
                "@every 90s",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2026-01-01T00:01:30Z", "2026-01-01T00:03:00Z"],
            ),
            (
                "@every 5m",
                "@every 5m",
                utc_tz,
                "2026-01-01T00:02:00Z",
                &["2026-01-01T00:05:00Z", "2026-01-01T00:10:00Z"],
            ),
            (
                "@every 1h30m",
                "@every 1h30m",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2026-01-01T01:30:00Z", "2026-01-01T03:00:00Z"],
            ),
            (
                "@every 13s",
                "@every 13s",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2026-01-01T00:00:03Z", "2026-01-01T00:00:16Z"],
            ),
            (
                "@every ignores zone",
                "@every 1h30m",
                Berlin,
                "2026-01-01T00:00:00Z",
                &["2026-01-01T01:30:00Z", "2026-01-01T03:00:00Z"],
            ),
            (
                "@every ignores prefix",
                "TZ=America/New_York @every 1h30m",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2026-01-01T01:30:00Z"],
            ),
            (
                "@every with spaces",
                "@every 1h 30m",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2026-01-01T01:30:00Z"],
            ),
            // Zones: default, TZ= and CRON_TZ= prefixes (also before a macro), UTC.
            (
                "default zone",
                "0 0 9 * * *",
                Berlin,
                "2026-01-01T00:00:00Z",
                &["2026-01-01T08:00:00Z"],
            ),
            (
                "TZ= prefix wins",
                "TZ=America/New_York 0 0 9 * * *",
                Berlin,
                "2026-01-01T00:00:00Z",
                &["2026-01-01T14:00:00Z"],
            ),
            (
                "CRON_TZ= prefix",
                "CRON_TZ=Europe/Berlin 0 9 * * *",
                utc_tz,
                "2026-07-01T00:00:00Z",
                &["2026-07-01T07:00:00Z"],
            ),
            (
                "TZ= before macro",
                "TZ=Europe/Berlin @daily",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2026-01-01T23:00:00Z"],
            ),
            (
                "TZ=UTC",
                "TZ=UTC 0 0 9 * * *",
                Berlin,
                "2026-01-01T00:00:00Z",
                &["2026-01-01T09:00:00Z"],
            ),
            // Whitespace: trimmed, any run of spaces and tabs separates fields.
            (
                "whitespace",
                " \t0\t 9   * *\t\t* ",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2026-01-01T09:00:00Z"],
            ),
            (
                "whitespace after prefix",
                "TZ=UTC\t  @hourly ",
                utc_tz,
                "2026-01-01T00:00:00Z",
                &["2026-01-01T01:00:00Z"],
            ),
        ];
        for (name, expr, tz, after, expected) in cases {
            let got = fires(expr, *tz, after, expected.len());
            assert_eq!(&got, expected, "case `{name}`: `{expr}` after {after}");
        }
    }

    /// Every rejection, with the part of the message that tells the user what to fix.
    #[test]
    fn error_table() {
        let cases: &[(&str, &str)] = &[
            ("", "empty cron expression"),
            (" \t ", "empty cron expression"),
            ("not a cron", "expected 5, 6 or 7 fields, found 3"),
            ("* * * *", "expected 5, 6 or 7 fields, found 4"),
            ("* * * * * * * *", "expected 5, 6 or 7 fields, found 8"),
            ("a b c d e", "`a` is not a valid minute value (use 0-59)"),
            (
                "* * * * monday",
                "unknown day-of-week name `monday` (use SUN-SAT or 0-7)",
            ),
            ("0 0 1 * MON-FRI#9", "`#9` in `MON-FRI#9` must be #1 to #5"),
            (
                "? * * * *",
                "`?` is only allowed in the day-of-month and day-of-week fields",
            ),
            ("61 * * * * *", "second value 61 is out of range 0-59"),
            ("60 * * * *", "minute value 60 is out of range 0-59"),
            ("0 24 * * *", "hour value 24 is out of range 0-23"),
            ("* * 32 * *", "day-of-month value 32 is out of range 1-31"),
            ("* * 0 * *", "day-of-month value 0 is out of range 1-31"),
            ("* * * 13 *", "month value 13 is out of range 1-12"),
            ("* * * * 8", "day-of-week value 8 is out of range 0-7"),
            (
                "0 0 0 1 1 * 1969",
                "year value 1969 is out of range 1970-4999",
            ),
            (
                "* * * * 99999999999",
                "day-of-week value 99999999999 is out of range 0-7",
            ),
            ("*/0 * * * *", "minute step in `*/0` must be at least 1"),
            (
                "*/x * * * *",
                "minute step `x` in `*/x` is not a positive number",
            ),
            (
                "5/15 * * * *",
                "needs `*` or a range before the slash, e.g. `*/15` or `5-59/15`",
            ),
            ("40-10 * * * *", "minute range `40-10` runs backwards"),
            (
                "1,,2 * * * *",
                "minute field `1,,2` has an empty list entry",
            ),
            ("* * * * 5#6", "`#6` in `5#6` must be #1 to #5"),
            ("* * 32W * *", "day-of-month value 32 is out of range 1-31"),
            (
                "* * * MON *",
                "unknown month name `MON` (use JAN-DEC or 1-12)",
            ),
            (
                "* * * * JAN",
                "unknown day-of-week name `JAN` (use SUN-SAT or 0-7)",
            ),
            ("* * * * MONDAY", "unknown day-of-week name `MONDAY`"),
            ("0 0 30 2 *", "never fires"),
            ("0 0 31 4,6 *", "never fires"),
            ("0 0 0 29 2 * 2027", "never fires"),
            ("TZ=Mars/Base * * * * *", "unknown time zone `Mars/Base`"),
            (
                "TZ=europe/berlin * * * * *",
                "did you mean `Europe/Berlin`?",
            ),
            ("CRON_TZ= * * * * *", "empty time zone name"),
            ("TZ=UTC", "missing cron expression after `TZ=UTC`"),
            ("TZ=UTC TZ=UTC * * * * *", "more than one time zone prefix"),
            ("TZ=UTC not a cron", "expected 5, 6 or 7 fields, found 3"),
            ("@foo", "unknown macro `@foo`"),
            ("@", "unknown macro `@`"),
            ("@daily 5", "macro `@daily` takes no arguments, found `5`"),
            ("@every", "@every needs a duration"),
            (
                "@every 500ms",
                "@every needs a whole number of seconds of at least 1s, got `500ms`",
            ),
            (
                "@every 1500ms",
                "whole number of seconds of at least 1s, got `1500ms`",
            ),
            (
                "@every 0s",
                "whole number of seconds of at least 1s, got `0s`",
            ),
            (
                "@every 367d",
                "@every interval `367d` is longer than the maximum of 366 days",
            ),
            ("@every banana", "invalid @every duration `banana`"),
            ("@every 5", "invalid @every duration `5`"),
        ];
        for (expr, needle) in cases {
            match Schedule::parse(expr, Tz::UTC) {
                Ok(_) => panic!("`{expr}` should be rejected"),
                Err(e) => {
                    let msg = e.to_string();
                    assert!(
                        msg.contains(needle),
                        "`{expr}`: message `{msg}` lacks `{needle}`"
                    );
                    // Messages start lowercase and name the input, so they compose into
                    // "cronExpr: ..." in the job validator.
                    let first = msg.chars().next().unwrap_or(' ');
                    assert!(
                        !first.is_uppercase(),
                        "`{expr}`: message `{msg}` is capitalised"
                    );
                }
            }
        }
    }

    #[test]
    fn error_messages_name_the_input() {
        let cases = [
            (
                "61 * * * * *",
                "invalid cron expression `61 * * * * *`: second value 61 is out of range 0-59",
            ),
            (
                "not a cron",
                "expected 5, 6 or 7 fields, found 3 in `not a cron`",
            ),
            (
                "TZ=Mars/Base * * * * *",
                "unknown time zone `Mars/Base` (expected an IANA name such as `Europe/Berlin` \
                 or `UTC`)",
            ),
            (
                "@every 500ms",
                "@every needs a whole number of seconds of at least 1s, got `500ms`",
            ),
        ];
        for (expr, expected) in cases {
            let err = Schedule::parse(expr, Tz::UTC).expect_err("must be rejected");
            assert_eq!(err.to_string(), expected);
        }
    }

    #[test]
    fn edge_values_are_accepted() {
        for expr in [
            "59 59 23 31 12 7",
            "0 0 0 1 1 0 1970",
            "0 0 0 1 1 * 4999",
            "@every 1s",
            "@every 366d",
            "* * * * * *",
            "0 0 29 2 *",
            "0 0 0 29 2 * 2028",
            "0 0 0 L 2 ?",
        ] {
            sched(expr, Tz::UTC);
        }
    }

    #[test]
    fn every_is_anchored_at_the_epoch() {
        let every = sched("@every 7m", Berlin);
        let mut t = utc("2026-03-29T00:00:01Z");
        for _ in 0..500 {
            let next = every
                .next_after(t)
                .expect("an interval always has a next tick");
            assert_eq!(next.timestamp() % 420, 0);
            assert!(next > t && (next - t).num_seconds() <= 420);
            t = next;
        }
        // A tick is not its own successor.
        let tick = DateTime::from_timestamp(420 * 4_000_000, 0).expect("in range");
        assert_eq!(
            every.next_after(tick).map(|t| t.timestamp()),
            Some(420 * 4_000_001)
        );
    }

    #[test]
    fn schedules_can_be_shared_between_threads() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Schedule>();
        assert_send_sync::<ScheduleError>();
    }

    #[test]
    fn accessors() {
        let s = sched("  TZ=America/New_York   0 9 * * MON-FRI \t", Berlin);
        assert_eq!(s.expr(), "TZ=America/New_York   0 9 * * MON-FRI");
        assert_eq!(s.timezone(), New_York);
        let s = sched("0 9 * * *", Berlin);
        assert_eq!(s.timezone(), Berlin);
        assert_eq!(s.expr(), "0 9 * * *");
        assert_eq!(sched("@every 5m", Tz::UTC).expr(), "@every 5m");
        assert_eq!(s.clone(), s);
        assert_eq!(
            format!("{s:?}"),
            r#"Schedule { expr: "0 9 * * *", tz: Europe/Berlin, dst: SpecificHours }"#
        );
        assert_eq!(
            format!("{:?}", sched("@every 5m", Tz::UTC)),
            r#"Schedule { expr: "@every 5m", tz: UTC, every_secs: 300 }"#
        );
        assert_ne!(s, sched("0 9 * * *", Tz::UTC));
    }

    #[test]
    fn parse_timezone_names() {
        assert_eq!(parse_timezone("Europe/Berlin"), Ok(Berlin));
        assert_eq!(parse_timezone(" UTC "), Ok(Tz::UTC));
        assert_eq!(parse_timezone("America/New_York"), Ok(New_York));
        let err = parse_timezone("Mars/Base").expect_err("no such zone");
        assert!(err.to_string().starts_with("unknown time zone `Mars/Base`"));
        let err = parse_timezone("america/new_york").expect_err("zone names are case-sensitive");
        assert!(
            err.to_string().contains("did you mean `America/New_York`?"),
            "{err}"
        );
        assert_eq!(parse_timezone(""), Err(ScheduleError::EmptyTimeZone));
    }

    #[test]
    fn results_are_whole_seconds_strictly_after() {
        for expr in ["* * * * * *", "0 30 2 * * *", "@every 1s", "*/5 * * * * *"] {
            let s = sched(expr, Berlin);
            for after in [
                "2026-01-01T00:00:00.999999999Z",
                "2026-01-01T00:00:00.5Z",
                "2026-01-01T00:00:05Z",
                "1969-12-31T23:59:59.5Z",
            ] {
                let after = utc(after);
                let next = s.next_after(after).expect("these schedules always fire");
                assert!(next > after, "`{expr}`: {next} <= {after}");
                assert_eq!(next.timestamp_subsec_nanos(), 0, "`{expr}`: {next}");
            }
        }
        let s = sched("* * * * * *", Tz::UTC);
        let next = s.next_after(utc("2026-01-01T00:00:00.5Z")).map(|t| fmt(&t));
        assert_eq!(next.as_deref(), Some("2026-01-01T00:00:01Z"));
    }

    #[test]
    fn exhausted_schedules_end() {
        let past = sched("0 0 0 1 1 * 2020", Tz::UTC);
        assert_eq!(past.next_after(utc("2026-01-01T00:00:00Z")), None);
        assert!(past.upcoming(utc("2026-01-01T00:00:00Z"), 10).is_empty());
        // Before its year it still fires, once.
        assert_eq!(
            fires("0 0 0 1 1 * 2020", Tz::UTC, "2019-06-01T00:00:00Z", 5),
            ["2020-01-01T00:00:00Z"]
        );
        assert_eq!(
            fires("0 0 0 1 1 * 2027", Berlin, "2026-01-01T00:00:00Z", 5),
            ["2026-12-31T23:00:00Z"]
        );
        // Last fires of a bounded schedule, then nothing.
        assert_eq!(
            fires("0 0 23 31 12 * 2026", Tz::UTC, "2026-12-31T22:00:00Z", 3),
            ["2026-12-31T23:00:00Z"]
        );
        assert!(
            sched("* * * * *", Tz::UTC)
                .upcoming(utc("2026-01-01T00:00:00Z"), 0)
                .is_empty()
        );
        // Far future: croner's search ends at year 5000; we return None instead of looping.
        let late = sched("0 0 0 1 1 *", Tz::UTC);
        assert_eq!(late.next_after(utc("5000-06-01T00:00:00Z")), None);
        assert_eq!(
            sched("@every 1s", Tz::UTC).next_after(DateTime::<Utc>::MAX_UTC),
            None
        );
    }

    #[test]
    fn upcoming_is_bounded_by_n() {
        let s = sched("* * * * * *", Tz::UTC);
        let v = s.upcoming(utc("2026-01-01T00:00:00Z"), 5000);
        assert_eq!(v.len(), 5000);
        assert_eq!(fmt(&v[4999]), "2026-01-01T01:23:20Z");
    }

    /// Spring forward and fall back in Berlin (last Sunday of March/October, 01:00 UTC) and
    /// New York (second Sunday of March at 07:00 UTC, first Sunday of November at 06:00 UTC),
    /// 2025 and 2026. Expected instants worked out by hand in UTC.
    #[test]
    fn dst_table() {
        let cases: &[(&str, &str, Tz, &str, &[&str])] = &[
            // Berlin 2026-03-29: 02:00 CET -> 03:00 CEST, 02:00-02:59 does not exist.
            // A fixed time in the gap runs once, at 03:00 CEST, and is back to normal next day.
            (
                "berlin spring fixed",
                "0 30 2 * * *",
                Berlin,
                "2026-03-27T12:00:00Z",
                &[
                    "2026-03-28T01:30:00Z",
                    "2026-03-29T01:00:00Z",
                    "2026-03-30T00:30:00Z",
                ],
            ),
            (
                "berlin spring fixed 2025",
                "0 30 2 * * *",
                Berlin,
                "2025-03-29T12:00:00Z",
                &["2025-03-30T01:00:00Z", "2025-03-31T00:30:00Z"],
            ),
            // Several fixed times in the gap collapse into the one run at 03:00.
            (
                "berlin spring two times",
                "0 0,30 2 * * *",
                Berlin,
                "2026-03-28T12:00:00Z",
                &[
                    "2026-03-29T01:00:00Z",
                    "2026-03-30T00:00:00Z",
                    "2026-03-30T00:30:00Z",
                ],
            ),
            (
                "berlin spring 2am quarter hours",
                "0 */15 2 * * *",
                Berlin,
                "2026-03-28T12:00:00Z",
                &["2026-03-29T01:00:00Z", "2026-03-30T00:00:00Z"],
            ),
            // A fixed job at 02:00 and 03:00 runs once at 03:00, not twice.
            (
                "berlin spring 2 and 3",
                "0 0 2,3 * * *",
                Berlin,
                "2026-03-28T12:00:00Z",
                &[
                    "2026-03-29T01:00:00Z",
                    "2026-03-30T00:00:00Z",
                    "2026-03-30T01:00:00Z",
                ],
            ),
            (
                "berlin spring hour range",
                "0 30 1-3 * * *",
                Berlin,
                "2026-03-28T12:00:00Z",
                &[
                    "2026-03-29T00:30:00Z",
                    "2026-03-29T01:00:00Z",
                    "2026-03-29T01:30:00Z",
                    "2026-03-29T23:30:00Z",
                ],
            ),
            // Wildcard hours: no ticks in the gap, a single tick at 03:00.
            (
                "berlin spring quarter hours",
                "0 */15 * * * *",
                Berlin,
                "2026-03-29T00:30:00Z",
                &[
                    "2026-03-29T00:45:00Z",
                    "2026-03-29T01:00:00Z",
                    "2026-03-29T01:15:00Z",
                ],
            ),
            (
                "berlin spring hourly",
                "0 0 * * * *",
                Berlin,
                "2026-03-28T23:30:00Z",
                &[
                    "2026-03-29T00:00:00Z",
                    "2026-03-29T01:00:00Z",
                    "2026-03-29T02:00:00Z",
                ],
            ),
            (
                "berlin spring hourly at :30",
                "0 30 * * * *",
                Berlin,
                "2026-03-29T00:00:00Z",
                &["2026-03-29T00:30:00Z", "2026-03-29T01:30:00Z"],
            ),
            (
                "berlin spring every second",
                "* * * * * *",
                Berlin,
                "2026-03-29T00:59:58Z",
                &[
                    "2026-03-29T00:59:59Z",
                    "2026-03-29T01:00:00Z",
                    "2026-03-29T01:00:01Z",
                ],
            ),
            // Berlin 2026-10-25: 03:00 CEST -> 02:00 CET, 02:00-02:59 happens twice.
            // A fixed time in the overlap runs once, in the first pass.
            (
                "berlin fall fixed",
                "0 30 2 * * *",
                Berlin,
                "2026-10-24T12:00:00Z",
                &["2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"],
            ),
            (
                "berlin fall fixed 2025",
                "0 30 2 * * *",
                Berlin,
                "2025-10-25T12:00:00Z",
                &["2025-10-26T00:30:00Z", "2025-10-27T01:30:00Z"],
            ),
            (
                "berlin fall fixed from second pass",
                "0 30 2 * * *",
                Berlin,
                "2026-10-25T01:10:00Z",
                &["2026-10-26T01:30:00Z"],
            ),
            (
                "berlin fall fixed from first pass",
                "0 30 2 * * *",
                Berlin,
                "2026-10-25T00:10:00Z",
                &["2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"],
            ),
            (
                "berlin fall 2am quarter hours",
                "0 */15 2 * * *",
                Berlin,
                "2026-10-24T12:00:00Z",
                &[
                    "2026-10-25T00:00:00Z",
                    "2026-10-25T00:15:00Z",
                    "2026-10-25T00:30:00Z",
                    "2026-10-25T00:45:00Z",
                    "2026-10-26T01:00:00Z",
                ],
            ),
            (
                "berlin fall daily",
                "@daily",
                Berlin,
                "2026-10-24T12:00:00Z",
                &["2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"],
            ),
            // Wildcard hours fire in both passes, following real time.
            (
                "berlin fall quarter hours",
                "0 */15 * * * *",
                Berlin,
                "2026-10-25T00:30:00Z",
                &[
                    "2026-10-25T00:45:00Z",
                    "2026-10-25T01:00:00Z",
                    "2026-10-25T01:15:00Z",
                    "2026-10-25T01:30:00Z",
                    "2026-10-25T01:45:00Z",
                    "2026-10-25T02:00:00Z",
                ],
            ),
            (
                "berlin fall hourly",
                "0 0 * * * *",
                Berlin,
                "2026-10-24T23:30:00Z",
                &[
                    "2026-10-25T00:00:00Z",
                    "2026-10-25T01:00:00Z",
                    "2026-10-25T02:00:00Z",
                ],
            ),
            // From late in the first pass, the second pass comes before 03:00.
            (
                "berlin fall hourly from first pass",
                "0 0 * * * *",
                Berlin,
                "2026-10-25T00:50:00Z",
                &["2026-10-25T01:00:00Z", "2026-10-25T02:00:00Z"],
            ),
            (
                "berlin fall :10 from first pass",
                "0 10 * * * *",
                Berlin,
                "2026-10-25T00:50:00Z",
                &["2026-10-25T01:10:00Z", "2026-10-25T02:10:00Z"],
            ),
            (
                "berlin fall :10 from second pass",
                "0 10 * * * *",
                Berlin,
                "2026-10-25T01:50:00Z",
                &["2026-10-25T02:10:00Z"],
            ),
            (
                "berlin fall every second",
                "* * * * * *",
                Berlin,
                "2026-10-25T00:59:58Z",
                &[
                    "2026-10-25T00:59:59Z",
                    "2026-10-25T01:00:00Z",
                    "2026-10-25T01:00:01Z",
                ],
            ),
            (
                "berlin fall every 2h",
                "0 0 */2 * * *",
                Berlin,
                "2026-10-24T23:30:00Z",
                &[
                    "2026-10-25T00:00:00Z",
                    "2026-10-25T01:00:00Z",
                    "2026-10-25T03:00:00Z",
                ],
            ),
            // New York 2026-03-08: 02:00 EST -> 03:00 EDT at 07:00 UTC.
            (
                "ny spring fixed",
                "0 30 2 * * *",
                New_York,
                "2026-03-06T12:00:00Z",
                &[
                    "2026-03-07T07:30:00Z",
                    "2026-03-08T07:00:00Z",
                    "2026-03-09T06:30:00Z",
                ],
            ),
            (
                "ny spring fixed 2025",
                "30 2 * * *",
                New_York,
                "2025-03-08T12:00:00Z",
                &["2025-03-09T07:00:00Z", "2025-03-10T06:30:00Z"],
            ),
            (
                "ny spring quarter hours",
                "*/15 * * * *",
                New_York,
                "2026-03-08T06:30:00Z",
                &[
                    "2026-03-08T06:45:00Z",
                    "2026-03-08T07:00:00Z",
                    "2026-03-08T07:15:00Z",
                ],
            ),
            // New York 2026-11-01: 02:00 EDT -> 01:00 EST at 06:00 UTC; 01:00-01:59 twice.
            (
                "ny fall fixed",
                "0 30 1 * * *",
                New_York,
                "2026-10-31T12:00:00Z",
                &["2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"],
            ),
            (
                "ny fall fixed 2025",
                "30 1 * * *",
                New_York,
                "2025-11-01T12:00:00Z",
                &["2025-11-02T05:30:00Z", "2025-11-03T06:30:00Z"],
            ),
            (
                "ny fall quarter hours",
                "*/15 * * * *",
                New_York,
                "2026-11-01T05:30:00Z",
                &[
                    "2026-11-01T05:45:00Z",
                    "2026-11-01T06:00:00Z",
                    "2026-11-01T06:15:00Z",
                    "2026-11-01T06:30:00Z",
                    "2026-11-01T06:45:00Z",
                    "2026-11-01T07:00:00Z",
                ],
            ),
            (
                "ny fall hourly",
                "0 0 * * * *",
                New_York,
                "2026-11-01T04:30:00Z",
                &[
                    "2026-11-01T05:00:00Z",
                    "2026-11-01T06:00:00Z",
                    "2026-11-01T07:00:00Z",
                ],
            ),
            // A weekday job on the transition Sunday's neighbours is untouched.
            (
                "ny weekdays",
                "0 9 * * MON-FRI",
                New_York,
                "2026-11-01T00:00:00Z",
                &["2026-11-02T14:00:00Z"],
            ),
        ];
        for (name, expr, tz, after, expected) in cases {
            let got = fires(expr, *tz, after, expected.len());
            assert_eq!(&got, expected, "case `{name}`: `{expr}` after {after}");
        }
    }

    /// Walks two years of wildcard-hour schedules through four transitions per zone: fire
    /// times must be strictly increasing, exactly one interval of real time apart, and each
    /// local day must have 24 hours' worth (23 on the spring day, 25 on the autumn day).
    #[test]
    fn two_years_of_wildcard_hours_follow_real_time() {
        let transitions: [(Tz, [&str; 2], [&str; 2]); 2] = [
            (
                Berlin,
                ["2025-03-30", "2026-03-29"],
                ["2025-10-26", "2026-10-25"],
            ),
            (
                New_York,
                ["2025-03-09", "2026-03-08"],
                ["2025-11-02", "2026-11-01"],
            ),
        ];
        for (tz, spring, fall) in transitions {
            for (expr, step) in [
                ("0 0 * * * *", 3600),
                ("0 */15 * * * *", 900),
                ("*/15 * * * *", 900),
            ] {
                let s = sched(expr, tz);
                let per_hour = 3600 / step;
                let start = utc("2024-12-31T23:59:59Z");
                let end = utc("2027-01-01T00:00:00Z");
                let mut per_day: BTreeMap<String, i64> = BTreeMap::new();
                let mut prev = start;
                let mut total = 0_i64;
                loop {
                    let next = s.next_after(prev).expect("wildcard schedules always fire");
                    if next >= end {
                        break;
                    }
                    assert!(next > prev, "`{expr}` in {tz}: {next} after {prev}");
                    if total > 0 {
                        assert_eq!(
                            (next - prev).num_seconds(),
                            step,
                            "`{expr}` in {tz}: gap between {prev} and {next}"
                        );
                    }
                    let local = next.with_timezone(&tz);
                    *per_day
                        .entry(local.format("%Y-%m-%d").to_string())
                        .or_default() += 1;
                    prev = next;
                    total += 1;
                }
                // 730 days from 2025-01-01 00:00 UTC, one fire per `step` of real time.
                assert_eq!(total, 730 * 86_400 / step, "`{expr}` in {tz}");
                for (day, count) in &per_day {
                    let hours = if spring.contains(&day.as_str()) {
                        23
                    } else if fall.contains(&day.as_str()) {
                        25
                    } else {
                        24
                    };
                    // The UTC walk cuts the first and last local day short.
                    let edge = day.starts_with("2024")
                        || day.starts_with("2027")
                        || day == "2025-01-01"
                        || day == "2026-12-31";
                    if !edge {
                        assert_eq!(*count, hours * per_hour, "`{expr}` in {tz} on {day}");
                    }
                }
            }
        }
    }

    /// Two years of fixed-time jobs, including times in the gap and in the overlap: strictly
    /// increasing and exactly one fire per local day.
    #[test]
    fn two_years_of_fixed_times_fire_once_a_day() {
        for tz in [Berlin, New_York] {
            for expr in [
                "0 30 2 * * *",
                "0 30 1 * * *",
                "0 0 2 * * *",
                "0 59 3 * * *",
                "@daily",
            ] {
                let s = sched(expr, tz);
                let mut prev = utc("2025-01-01T12:00:00Z");
                let end = utc("2026-12-31T12:00:00Z");
                let mut days = Vec::new();
                while prev < end {
                    let next = s.next_after(prev).expect("daily schedules always fire");
                    assert!(next > prev, "`{expr}` in {tz}: {next} after {prev}");
                    days.push(next.with_timezone(&tz).date_naive());
                    prev = next;
                }
                for pair in days.windows(2) {
                    assert_eq!(
                        pair[1] - pair[0],
                        chrono::TimeDelta::days(1),
                        "`{expr}` in {tz}: skipped or repeated a day at {}",
                        pair[0]
                    );
                }
                assert!(days.len() >= 729, "`{expr}` in {tz}: {} fires", days.len());
            }
        }
    }

    /// From every second around a transition, `next_after` lands strictly later and agrees
    /// with the schedule's full list of fire times: nothing is skipped, nothing repeats.
    #[test]
    fn next_after_from_every_second_around_transitions() {
        let windows = [
            (Berlin, "2026-03-29T00:00:00Z"),
            (Berlin, "2026-10-25T00:00:00Z"),
            (New_York, "2026-03-08T06:00:00Z"),
            (New_York, "2026-11-01T05:00:00Z"),
        ];
        for (tz, from) in windows {
            for expr in [
                "0 */15 * * * *",
                "0 30 2 * * *",
                "0 */20 2 * * *",
                "0 0,30 1,2 * * *",
                "30 */10 * * * *",
            ] {
                let s = sched(expr, tz);
                let start = utc(from) - chrono::TimeDelta::hours(1);
                let list = s.upcoming(start, 200);
                for pair in list.windows(2) {
                    assert!(pair[0] < pair[1], "`{expr}` in {tz}: {list:?}");
                }
                let mut t = start;
                let stop = utc(from) + chrono::TimeDelta::hours(3);
                while t < stop {
                    let next = s.next_after(t).expect("fires daily");
                    assert!(next > t);
                    let expected = list.iter().find(|f| **f > t).expect("list is long enough");
                    assert_eq!(&next, expected, "`{expr}` in {tz} after {t}");
                    t += chrono::TimeDelta::seconds(7);
                }
            }
        }
    }

    #[test]
    fn zones_without_dst_and_odd_offsets() {
        // Kathmandu is UTC+05:45 all year.
        assert_eq!(
            fires(
                "0 0 9 * * *",
                chrono_tz::Asia::Kathmandu,
                "2026-01-01T00:00:00Z",
                1
            ),
            ["2026-01-01T03:15:00Z"]
        );
        // Lord Howe moves its clock by 30 minutes: 2026-04-05 02:00 -> 01:30 (15:00 UTC).
        let lhi = chrono_tz::Australia::Lord_Howe;
        assert_eq!(
            fires("0 45 1 * * *", lhi, "2026-04-04T12:00:00Z", 2),
            ["2026-04-04T14:45:00Z", "2026-04-05T15:15:00Z"]
        );
        assert_eq!(
            fires("0 */15 * * * *", lhi, "2026-04-04T14:40:00Z", 4),
            [
                "2026-04-04T14:45:00Z",
                "2026-04-04T15:00:00Z",
                "2026-04-04T15:15:00Z",
                "2026-04-04T15:30:00Z"
            ]
        );
    }

    /// Regression: croner read `SUN-SUN` as `0-7`, every day, and refused `5-0`, which the
    /// field check accepts as Friday through Sunday (found by `tests/schedule_properties.rs`).
    #[test]
    fn day_of_week_ranges_ending_on_sunday() {
        // 2026-01-01 is a Thursday.
        let at_noon = |dow: &str| {
            fires(
                &format!("0 0 12 * * {dow}"),
                Tz::UTC,
                "2026-01-01T00:00:00Z",
                3,
            )
        };
        let sundays = [
            "2026-01-04T12:00:00Z",
            "2026-01-11T12:00:00Z",
            "2026-01-18T12:00:00Z",
        ];
        for dow in ["SUN-SUN", "sun-sun/1", "0-0", "7-7", "SUN-0", "0-SUN"] {
            assert_eq!(at_noon(dow), sundays, "`{dow}`");
        }
        let friday_to_sunday = [
            "2026-01-02T12:00:00Z",
            "2026-01-03T12:00:00Z",
            "2026-01-04T12:00:00Z",
        ];
        for dow in ["FRI-SUN", "5-0", "5-7", "fri-0", "+5-0", "MON,5-0"] {
            let got = at_noon(dow);
            assert_eq!(got, friday_to_sunday, "`{dow}`");
        }
        let every_day = [
            "2026-01-01T12:00:00Z",
            "2026-01-02T12:00:00Z",
            "2026-01-03T12:00:00Z",
        ];
        assert_eq!(at_noon("SUN-7"), every_day);
        assert_eq!(at_noon("0-6"), every_day);
    }
}

//! A cron expression in words: "At 02:30:00, every day, in Europe/Berlin", "Every 15
//! minutes", "At 09:00:00, Monday through Friday". `schedctl cron explain` and the master's
//! next-fire-times answer (gRPC and REST, so the web UI) show the same sentence.
//!
//! The sentence is built from the expression's fields: common shapes get plain English;
//! anything this module does not recognise falls back to a literal description per field
//! rather than a wrong sentence. It never fails: checking the expression is
//! [`crate::Schedule::parse`]'s work.

use chrono_tz::Tz;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
/// The field names of the literal fallback, seconds first.
const FIELD_NAMES: [&str; 7] = [
    "second",
    "minute",
    "hour",
    "day of month",
    "month",
    "day of week",
    "year",
];

/// A sentence for a cron expression (with or without a `TZ=` prefix) read in `tz`. Never
/// panics, also on input the parser would reject: what it cannot put in words it describes
/// field by field.
pub fn describe(expr: &str, tz: Tz) -> String {
    let body = strip_tz_prefix(expr.trim());
    let (sentence, zoned) = if body.starts_with('@') {
        describe_macro(body)
    } else {
        (describe_fields(body), true)
    };
    if zoned && tz != Tz::UTC {
        format!("{sentence}, in {}", tz.name())
    } else {
        sentence
    }
}

fn strip_tz_prefix(expr: &str) -> &str {
    let has_key = ["TZ=", "CRON_TZ="].iter().any(|key| {
        expr.get(..key.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(key))
    });
    if !has_key {
        return expr;
    }
    expr.split_once(char::is_whitespace)
        .map_or("", |(_, rest)| rest.trim_start())
}

/// The sentence for a macro, and whether the zone matters to it (not for `@every`).
fn describe_macro(body: &str) -> (String, bool) {
    let (name, rest) = body
        .split_once(char::is_whitespace)
        .map_or((body, ""), |(n, r)| (n, r.trim()));
    let fields = match name.to_ascii_lowercase().as_str() {
        "@every" => return (describe_every(rest), false),
        // The 5-field forms: a macro's implicit second 0 is not worth a mention.
        "@yearly" | "@annually" => "0 0 1 1 *",
        "@monthly" => "0 0 1 * *",
        "@weekly" => "0 0 * * 0",
        "@daily" | "@midnight" => "0 0 * * *",
        "@hourly" => "0 * * * *",
        _ => return (format!("macro {body}"), true),
    };
    (describe_fields(fields), true)
}

fn describe_every(input: &str) -> String {
    let Ok(duration) = humantime::parse_duration(input) else {
        return format!("Every {input} (@every)");
    };
    let secs = duration.as_secs();
    let (n, unit) = if secs > 0 && secs % 86_400 == 0 {
        (secs / 86_400, "day")
    } else if secs > 0 && secs % 3600 == 0 {
        (secs / 3600, "hour")
    } else if secs > 0 && secs % 60 == 0 {
        (secs / 60, "minute")
    } else {
        (secs, "second")
    };
    if n == 1 {
        format!("Every {unit} (@every)")
    } else {
        format!("Every {n} {unit}s (@every)")
    }
}

/// One element of a field's comma list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    One(u32),
    Range(u32, u32),
    /// `*/n` (no start, no end), `a/n`, `a-b/n`.
    Step {
        start: Option<u32>,
        end: Option<u32>,
        step: u32,
    },
    /// Day of month `L`.
    Last,
    /// Day of month `LW`.
    LastWeekday,
    /// Day of month `15W`.
    NearestWeekday(u32),
    /// Day of week `5#2`.
    Nth(u32, u32),
    /// Day of week `5L` or `5#L`.
    LastOf(u32),
}

/// A parsed field: `*`/`?` (any), or a list of items.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Spec {
    text: String,
    any: bool,
    items: Vec<Item>,
}

impl Spec {
    fn single(&self) -> Option<u32> {
        match self.items.as_slice() {
            [Item::One(v)] if !self.any => Some(*v),
            _ => None,
        }
    }

    /// The values of a list made only of single values.
    fn values(&self) -> Option<Vec<u32>> {
        if self.any {
            return None;
        }
        self.items
            .iter()
            .map(|i| match i {
                Item::One(v) => Some(*v),
                _ => None,
            })
            .collect()
    }

    /// `*/n`: every n units from the start of the range.
    fn every(&self) -> Option<u32> {
        match self.items.as_slice() {
            [
                Item::Step {
                    start: None,
                    end: None,
                    step,
                },
            ] if !self.any => Some(*step),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Second,
    Minute,
    Hour,
    Dom,
    Month,
    Dow,
    Year,
}

fn value(kind: Kind, text: &str) -> Option<u32> {
    if let Ok(v) = text.parse::<u32>() {
        return Some(v);
    }
    let upper = text.to_ascii_uppercase();
    let find = |names: &[&str]| {
        names
            .iter()
            .position(|n| {
                n.get(..3)
                    .is_some_and(|abbr| abbr.eq_ignore_ascii_case(&upper))
            })
            .and_then(|i| u32::try_from(i).ok())
    };
    match kind {
        Kind::Month => find(&MONTHS).map(|i| i + 1),
        Kind::Dow => find(&DAYS),
        _ => None,
    }
}

fn parse_item(kind: Kind, part: &str) -> Option<Item> {
    if kind == Kind::Dom {
        match part.to_ascii_uppercase().as_str() {
            "L" => return Some(Item::Last),
            "LW" => return Some(Item::LastWeekday),
            _ => {}
        }
        if let Some(day) = part.strip_suffix(['W', 'w']) {
            return Some(Item::NearestWeekday(value(kind, day)?));
        }
    }
    if kind == Kind::Dow {
        if let Some((day, nth)) = part.split_once('#') {
            let day = value(kind, day)?;
            return if nth.eq_ignore_ascii_case("L") {
                Some(Item::LastOf(day))
            } else {
                Some(Item::Nth(day, nth.parse().ok()?))
            };
        }
        if part.len() > 1
            && let Some(day) = part.strip_suffix(['L', 'l'])
        {
            return Some(Item::LastOf(value(kind, day)?));
        }
    }
    if let Some((base, step)) = part.split_once('/') {
        let step = step.parse().ok()?;
        let (start, end) = if base == "*" {
            (None, None)
        } else if let Some((a, b)) = base.split_once('-') {
            (Some(value(kind, a)?), Some(value(kind, b)?))
        } else {
            (Some(value(kind, base)?), None)
        };
        return Some(Item::Step { start, end, step });
    }
    if let Some((a, b)) = part.split_once('-') {
        return Some(Item::Range(value(kind, a)?, value(kind, b)?));
    }
    Some(Item::One(value(kind, part)?))
}

fn parse_spec(kind: Kind, text: &str) -> Option<Spec> {
    let body = if kind == Kind::Dow {
        text.strip_prefix('+').unwrap_or(text)
    } else {
        text
    };
    let mut spec = Spec {
        text: text.to_owned(),
        any: false,
        items: Vec::new(),
    };
    for part in body.split(',') {
        match part {
            "*" | "?" => spec.any = true,
            "" => return None,
            _ => {
                let item = parse_item(kind, part)?;
                // `*/1` is every value: the same as `*`.
                if item
                    == (Item::Step {
                        start: None,
                        end: None,
                        step: 1,
                    })
                {
                    spec.any = true;
                } else {
                    spec.items.push(item);
                }
            }
        }
    }
    if spec.any {
        spec.items.clear();
    }
    Some(spec)
}

/// The sentence for a field list, or the literal per-field description when a field is not
/// understood.
fn describe_fields(body: &str) -> String {
    let tokens: Vec<&str> = body.split_whitespace().collect();
    match fields_sentence(&tokens) {
        Some(sentence) => sentence,
        None => literal(&tokens),
    }
}

/// `second 0, minute */15, hour 9-17, any day of month, any month, day of week MON-FRI`.
fn literal(tokens: &[&str]) -> String {
    let names: &[&str] = match tokens.len() {
        5 => FIELD_NAMES.get(1..6).unwrap_or(&[]),
        6 => FIELD_NAMES.get(..6).unwrap_or(&[]),
        7 => &FIELD_NAMES,
        _ => return format!("the expression `{}`", tokens.join(" ")),
    };
    let parts: Vec<String> = names
        .iter()
        .zip(tokens)
        .map(|(name, text)| {
            if matches!(*text, "*" | "?") {
                format!("any {name}")
            } else {
                format!("{name} {text}")
            }
        })
        .collect();
    capitalize(&parts.join(", "))
}

fn fields_sentence(tokens: &[&str]) -> Option<String> {
    let (sec, rest) = match tokens.len() {
        5 => (None, tokens),
        6 | 7 => (
            Some(parse_spec(Kind::Second, tokens.first()?)?),
            tokens.get(1..)?,
        ),
        _ => return None,
    };
    let min = parse_spec(Kind::Minute, rest.first()?)?;
    let hour = parse_spec(Kind::Hour, rest.get(1)?)?;
    let dom = parse_spec(Kind::Dom, rest.get(2)?)?;
    let month = parse_spec(Kind::Month, rest.get(3)?)?;
    let dow = parse_spec(Kind::Dow, rest.get(4)?)?;
    let year = match rest.get(5) {
        Some(text) => Some(parse_spec(Kind::Year, text)?),
        None => None,
    };
    let (time, time_of_day) = describe_time(sec.as_ref(), &min, &hour);
    let mut clauses = vec![time];
    clauses.extend(describe_days(
        &dom,
        &month,
        &dow,
        year.as_ref(),
        time_of_day,
    ));
    Some(clauses.join(", "))
}

/// The time of day part, and whether it names fixed times of day (then "every day" is
/// worth saying when no day is restricted).
fn describe_time(sec: Option<&Spec>, min: &Spec, hour: &Spec) -> (String, bool) {
    // Fixed times: every field a short list of single values.
    let secs = match sec {
        Some(s) => s.values(),
        None => Some(vec![0]),
    };
    if let (Some(s), Some(m), Some(h)) = (secs, min.values(), hour.values())
        && s.len() * m.len() * h.len() <= 6
    {
        let mut times: Vec<(u32, u32, u32)> = Vec::new();
        for &hh in &h {
            for &mm in &m {
                for &ss in &s {
                    times.push((hh, mm, ss));
                }
            }
        }
        times.sort_unstable();
        times.dedup();
        let words: Vec<String> = times
            .iter()
            .map(|(h, m, s)| format!("{h:02}:{m:02}:{s:02}"))
            .collect();
        return (format!("At {}", join_words(&words)), true);
    }

    // `0 0 */2 * * *`: every n hours, on the hour.
    let on_the_minute = sec.is_none_or(|s| s.single() == Some(0));
    if on_the_minute
        && min.single() == Some(0)
        && let Some(n) = hour.every()
    {
        return (plural_every(n, "hour"), false);
    }

    // A chain from the smallest unit up: "second 0 of every minute".
    let mut chain: Vec<String> = Vec::new();
    if let Some(sec) = sec {
        // A second 0 goes without saying once the minute is named.
        if sec.single() != Some(0) || min.any {
            chain.push(unit_phrase(sec, "second", "seconds"));
        }
    }
    chain.push(unit_phrase(min, "minute", "minutes"));
    let mut hour_suffix = None;
    if hour.any || hour.every().is_some() {
        chain.push(unit_phrase(hour, "hour", "hours"));
    } else {
        hour_suffix = Some(hour_window(hour));
    }
    // "every 15 minutes of every hour" says no more than "every 15 minutes".
    let mut kept: Vec<String> = Vec::new();
    for phrase in chain {
        let repeats = kept.last().is_some_and(|p| p.starts_with("every "))
            && (phrase == "every minute" || phrase == "every hour");
        if !repeats {
            kept.push(phrase);
        }
    }
    let mut sentence = kept.join(" of ");
    if !sentence.starts_with("every ") {
        sentence.insert_str(0, "at ");
    }
    if let Some(suffix) = hour_suffix {
        sentence.push_str(", ");
        sentence.push_str(&suffix);
    }
    (capitalize(&sentence), false)
}

fn plural_every(n: u32, unit: &str) -> String {
    if n == 1 {
        format!("Every {unit}")
    } else {
        format!("Every {n} {unit}s")
    }
}

/// `second 5`, `every minute`, `every 15 minutes`, `minutes 0, 15 and 30`, `minutes 10-20`.
fn unit_phrase(spec: &Spec, one: &str, many: &str) -> String {
    if spec.any {
        return format!("every {one}");
    }
    if let Some(n) = spec.every() {
        return format!("every {n} {many}");
    }
    if let Some(v) = spec.single() {
        return format!("{one} {v}");
    }
    match spec.values() {
        Some(values) => {
            let words: Vec<String> = values.iter().map(u32::to_string).collect();
            format!("{many} {}", join_words(&words))
        }
        None => format!("{many} {}", spec.text),
    }
}

/// The hours a non-wildcard hour field allows: `between 09:00 and 17:59`.
fn hour_window(hour: &Spec) -> String {
    match hour.items.as_slice() {
        [Item::One(h)] => format!("between {h:02}:00 and {h:02}:59"),
        [Item::Range(a, b)] if a <= b => format!("between {a:02}:00 and {b:02}:59"),
        _ => match hour.values() {
            Some(values) => {
                let words: Vec<String> = values.iter().map(|h| format!("{h:02}:00")).collect();
                format!("in the hours starting at {}", join_words(&words))
            }
            None => format!("hours {}", hour.text),
        },
    }
}

fn describe_days(
    dom: &Spec,
    month: &Spec,
    dow: &Spec,
    year: Option<&Spec>,
    time_of_day: bool,
) -> Vec<String> {
    let mut clauses = Vec::new();
    let mut month_said = false;
    let dom_clause = if dom.any {
        None
    } else if let (Some(d), Some(m)) = (dom.single(), month.single()) {
        month_said = true;
        Some(format!("on {} {d}", month_name(m)))
    } else {
        Some(dom_phrase(dom))
    };
    let dow_clause = (!dow.any).then(|| dow_phrase(dow, dom_clause.is_some()));
    match (dom_clause, dow_clause) {
        (None, None) => {
            if time_of_day && month.any {
                clauses.push("every day".to_owned());
            }
        }
        (Some(d), None) => clauses.push(d),
        (None, Some(w)) => clauses.push(w),
        (Some(d), Some(w)) => {
            // Vixie cron: either day field matching is enough, unless `+` asks for both.
            let joint = if dow.text.starts_with('+') {
                "and"
            } else {
                "or"
            };
            clauses.push(format!("{d} {joint} {w}"));
        }
    }
    if !month.any && !month_said {
        clauses.push(month_phrase(month));
    }
    if let Some(year) = year.filter(|y| !y.any) {
        clauses.push(match year.items.as_slice() {
            [Item::One(y)] => format!("in {y}"),
            [Item::Range(a, b)] => format!("in {a} through {b}"),
            _ => format!("in years {}", year.text),
        });
    }
    clauses
}

fn dom_phrase(dom: &Spec) -> String {
    if let Some(values) = dom.values() {
        let words: Vec<String> = values.iter().map(u32::to_string).collect();
        let noun = if values.len() == 1 { "day" } else { "days" };
        return format!("on {noun} {} of the month", join_words(&words));
    }
    let parts: Vec<String> = dom
        .items
        .iter()
        .map(|item| match item {
            Item::One(d) => format!("day {d}"),
            Item::Range(a, b) => format!("days {a} through {b}"),
            Item::Last => "the last day".to_owned(),
            Item::LastWeekday => "the last weekday".to_owned(),
            Item::NearestWeekday(d) => format!("the weekday nearest day {d}"),
            Item::Step {
                start: None,
                end: None,
                step,
            } => format!("every {step} days"),
            _ => format!("days {}", dom.text),
        })
        .collect();
    format!("on {} of the month", join_words(&parts))
}

fn dow_phrase(dow: &Spec, with_dom: bool) -> String {
    if let [Item::Range(a, b)] = dow.items.as_slice() {
        return match day_range(*a, *b) {
            DayRange::Week => "every day".to_owned(),
            DayRange::One(d) if with_dom => format!("on {}", day_name(d)),
            DayRange::One(d) => format!("only on {}", day_name(d)),
            DayRange::Span(a, b) => format!("{} through {}", day_name(a), day_name(b)),
        };
    }
    if let Some(values) = dow.values() {
        let words: Vec<String> = values.iter().map(|d| day_name(*d)).collect();
        let only = if values.len() == 1 && !with_dom {
            "only "
        } else {
            ""
        };
        return format!("{only}on {}", join_words(&words));
    }
    let parts: Vec<String> = dow
        .items
        .iter()
        .map(|item| match item {
            Item::One(d) => day_name(*d),
            Item::Range(a, b) => match day_range(*a, *b) {
                DayRange::Week => "every day".to_owned(),
                DayRange::One(d) => day_name(d),
                DayRange::Span(a, b) => format!("{} through {}", day_name(a), day_name(b)),
            },
            Item::Nth(d, n) => format!("the {} {} of the month", ordinal(*n), day_name(*d)),
            Item::LastOf(d) => format!("the last {} of the month", day_name(*d)),
            _ => format!("days of the week {}", dow.text),
        })
        .collect();
    format!("on {}", join_words(&parts))
}

fn month_phrase(month: &Spec) -> String {
    if let [Item::Range(a, b)] = month.items.as_slice() {
        return format!("{} through {}", month_name(*a), month_name(*b));
    }
    if let Some(n) = month.every() {
        return format!("every {n} months");
    }
    match month.values() {
        Some(values) => {
            let words: Vec<String> = values.iter().map(|m| month_name(*m)).collect();
            let only = if values.len() == 1 { "only " } else { "" };
            format!("{only}in {}", join_words(&words))
        }
        None => format!("months {}", month.text),
    }
}

fn month_name(m: u32) -> String {
    (m as usize)
        .checked_sub(1)
        .and_then(|i| MONTHS.get(i))
        .map_or_else(|| format!("month {m}"), |n| (*n).to_owned())
}

/// What a day-of-week range covers, where 0 and 7 are both Sunday: `SUN-7` (0-7) is the
/// whole week, `SUN-SUN` one day, not "Sunday through Sunday".
enum DayRange {
    Week,
    One(u32),
    Span(u32, u32),
}

fn day_range(a: u32, b: u32) -> DayRange {
    if b >= a.saturating_add(7) {
        DayRange::Week
    } else if a % 7 == b % 7 {
        DayRange::One(a)
    } else {
        DayRange::Span(a, b)
    }
}

fn day_name(d: u32) -> String {
    // 7 is Sunday too.
    DAYS.get((d % 7) as usize)
        .map_or_else(|| format!("day {d}"), |n| (*n).to_owned())
}

fn ordinal(n: u32) -> String {
    match n {
        1 => "first".to_owned(),
        2 => "second".to_owned(),
        3 => "third".to_owned(),
        4 => "fourth".to_owned(),
        5 => "fifth".to_owned(),
        _ => format!("{n}th"),
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join_words(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Schedule;

    #[test]
    fn common_expressions_read_as_sentences() {
        let berlin = chrono_tz::Europe::Berlin;
        let cases: &[(&str, Tz, &str)] = &[
            (
                "0 30 2 * * *",
                berlin,
                "At 02:30:00, every day, in Europe/Berlin",
            ),
            (
                "TZ=Europe/Berlin 0 30 2 * * *",
                berlin,
                "At 02:30:00, every day, in Europe/Berlin",
            ),
            ("*/15 * * * *", Tz::UTC, "Every 15 minutes"),
            ("0 */15 * * * *", Tz::UTC, "Every 15 minutes"),
            ("* * * * * *", Tz::UTC, "Every second"),
            ("*/10 * * * * *", Tz::UTC, "Every 10 seconds"),
            ("* * * * *", Tz::UTC, "Every minute"),
            (
                "0 * * * * MON-FRI",
                Tz::UTC,
                "At second 0 of every minute, Monday through Friday",
            ),
            ("@every 90s", berlin, "Every 90 seconds (@every)"),
            ("@every 1h", Tz::UTC, "Every hour (@every)"),
            ("@every 1h30m", Tz::UTC, "Every 90 minutes (@every)"),
            ("@daily", Tz::UTC, "At 00:00:00, every day"),
            ("@hourly", Tz::UTC, "At minute 0 of every hour"),
            ("@weekly", Tz::UTC, "At 00:00:00, only on Sunday"),
            ("@monthly", Tz::UTC, "At 00:00:00, on day 1 of the month"),
            ("@yearly", Tz::UTC, "At 00:00:00, on January 1"),
            ("0 0 */2 * * *", Tz::UTC, "Every 2 hours"),
            (
                "0 9,17 * * *",
                Tz::UTC,
                "At 09:00:00 and 17:00:00, every day",
            ),
            (
                "0 */10 9-17 * * MON-FRI",
                Tz::UTC,
                "Every 10 minutes, between 09:00 and 17:59, Monday through Friday",
            ),
            (
                "0 0 0 L * *",
                Tz::UTC,
                "At 00:00:00, on the last day of the month",
            ),
            (
                "0 0 0 LW * *",
                Tz::UTC,
                "At 00:00:00, on the last weekday of the month",
            ),
            (
                "0 0 9 15W * *",
                Tz::UTC,
                "At 09:00:00, on the weekday nearest day 15 of the month",
            ),
            (
                "0 0 9 * * 5#2",
                Tz::UTC,
                "At 09:00:00, on the second Friday of the month",
            ),
            (
                "0 0 9 * * 5L",
                Tz::UTC,
                "At 09:00:00, on the last Friday of the month",
            ),
            (
                "0 0 9 * JAN-MAR MON-FRI",
                Tz::UTC,
                "At 09:00:00, Monday through Friday, January through March",
            ),
            ("0 0 12 * * SUN-7", Tz::UTC, "At 12:00:00, every day"),
            ("0 0 12 * * 0-7", Tz::UTC, "At 12:00:00, every day"),
            ("0 0 12 * * SUN-SUN", Tz::UTC, "At 12:00:00, only on Sunday"),
            (
                "0 0 12 * * 1,SUN-SUN",
                Tz::UTC,
                "At 12:00:00, on Monday and Sunday",
            ),
            (
                "0 0 12 1 * MON",
                Tz::UTC,
                "At 12:00:00, on day 1 of the month or on Monday",
            ),
            (
                "0 0 12 * * * 2027",
                Tz::UTC,
                "At 12:00:00, every day, in 2027",
            ),
            (
                "30 5 * * * *",
                Tz::UTC,
                "At second 30 of minute 5 of every hour",
            ),
            (
                "0 0,30 * * * *",
                Tz::UTC,
                "At minutes 0 and 30 of every hour",
            ),
            (
                "0 0 9 1,15 * *",
                Tz::UTC,
                "At 09:00:00, on days 1 and 15 of the month",
            ),
            ("0 0 9 * 6 *", Tz::UTC, "At 09:00:00, only in June"),
        ];
        for (expr, tz, want) in cases {
            Schedule::parse(expr, *tz).unwrap_or_else(|e| panic!("`{expr}` is valid: {e}"));
            assert_eq!(describe(expr, *tz), *want, "`{expr}`");
        }
    }

    #[test]
    fn what_is_not_understood_is_described_field_by_field() {
        assert_eq!(
            literal(&["0", "*/15", "9-17", "*", "?", "MON-FRI"]),
            "Second 0, minute */15, hour 9-17, any day of month, any month, day of week MON-FRI"
        );
        // `5-59/15` has a start: put literally into the minute phrase, not guessed at.
        assert_eq!(
            describe("0 5-59/15 * * * *", Tz::UTC),
            "At minutes 5-59/15 of every hour"
        );
        // Something this module's parser does not know falls back to the literal form.
        assert_eq!(
            describe("0 0 9 L-2 * *", Tz::UTC),
            "Second 0, minute 0, hour 9, day of month L-2, any month, any day of week"
        );
    }

    #[test]
    fn describing_never_panics() {
        let tokens = [
            "*",
            "?",
            "0",
            "7",
            "59",
            "61",
            "1-5",
            "5-1",
            "*/0",
            "*/1",
            "*/7",
            "3/4",
            "1-10/3",
            "1,2,L",
            "L",
            "LW",
            "15W",
            "W",
            "5#2",
            "5#L",
            "5L",
            "+MON",
            "JAN-DEC",
            "x",
            "",
            "-",
            "#",
            "/",
            ",",
            "4294967295",
            "99999999999",
            "sun-sat",
            "L-2",
            "#9",
        ];
        let mut count = 0;
        for (i, a) in tokens.iter().enumerate() {
            for b in &tokens {
                let c = tokens[(i * 7) % tokens.len()];
                let d = tokens[(i * 11 + 3) % tokens.len()];
                for expr in [
                    format!("{a} {b} {c} {d} {a}"),
                    format!("{b} {a} {c} {d} {b} {a}"),
                    format!("0 {a} {b} {c} {d} {a} {b}"),
                    format!("TZ=UTC {a} {b}"),
                    format!("@every {a}{b}"),
                    format!("@{a}"),
                ] {
                    let text = describe(&expr, Tz::UTC);
                    assert!(!text.is_empty(), "`{expr}`");
                    count += 1;
                }
            }
        }
        assert!(count > 1000);
        for odd in ["", "   ", "TZ=", "TZ=Europe/Berlin", "@", "@every", "1 2 3"] {
            assert!(!describe(odd, Tz::UTC).is_empty(), "`{odd}`");
        }
    }
}

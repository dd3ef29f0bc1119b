//! Cron expressions as every surface hands them to [`Schedule::parse`] (a job's `cronExpr`,
//! `schedctl cron explain`, `GET /api/v1/job/next?cronExpr=`), then the fire times of each
//! one that parses, in zones with and without clock changes, from starts next to those
//! changes and to the ends of the year field.
//!
//! Checked beyond "no panic": `next_after` is strictly later, on a whole second, and skips
//! nothing (asked again from one second before its answer, it gives the same answer);
//! `upcoming` is the same walk; a fraction of a second in the start changes nothing;
//! re-parsing the schedule's own `expr()` gives the same schedule; describing it works.
#![no_main]

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use libfuzzer_sys::fuzz_target;
use schedd_core::Schedule;
use schedd_core::describe::describe;

/// Fire times followed from each start: enough to cross a clock change or a year.
const FIRES: usize = 6;

/// Default zones, each with starts around its own clock changes (Unix seconds). A `TZ=`
/// prefix in the input overrides the zone, so the starts then merely land elsewhere.
const CASES: [(Tz, &[i64]); 3] = [
    (
        Tz::UTC,
        &[
            0,              // the epoch, where the 7th field's years begin
            1_835_352_000,  // 2028-02-28T12:00:00Z, before a leap day
            95_617_583_999, // 4999-12-31T23:59:59Z, the last second of the year field
        ],
    ),
    (
        chrono_tz::America::New_York,
        &[
            1_772_953_199, // 2026-03-08T06:59:59Z, a second before 02:00 EST becomes 03:00 EDT
            1_793_512_770, // 2026-11-01T05:59:30Z, in the first pass of 01:00-01:59
            1_793_516_370, // 2026-11-01T06:59:30Z, in the second pass
        ],
    ),
    (
        chrono_tz::Australia::Lord_Howe,
        &[
            1_775_314_799, // 2026-04-04T14:59:59Z, a second before 02:00 goes back to 01:30
            1_791_041_399, // 2026-10-03T15:29:59Z, a second before 02:00 jumps to 02:30
        ],
    ),
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for (tz, starts) in CASES {
        // Whether an expression parses does not depend on the default zone; a failure in
        // the first zone is a failure in all.
        let Ok(schedule) = Schedule::parse(text, tz) else {
            return;
        };
        assert_eq!(
            Schedule::parse(schedule.expr(), tz).as_ref(),
            Ok(&schedule),
            "re-parsing `{}` changed the schedule",
            schedule.expr()
        );
        assert!(!describe(schedule.expr(), schedule.timezone()).is_empty());
        for &start in starts {
            check_fires(&schedule, at(start));
        }
    }
});

fn at(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).expect("the starts are in chrono's range")
}

fn check_fires(schedule: &Schedule, start: DateTime<Utc>) {
    let expr = schedule.expr();
    let tz = schedule.timezone();
    let mut walked = Vec::with_capacity(FIRES);
    let mut prev = start;
    while walked.len() < FIRES {
        let Some(next) = schedule.next_after(prev) else {
            break;
        };
        assert!(next > prev, "`{expr}` in {tz}: {next} is not after {prev}");
        assert_eq!(
            next.timestamp_subsec_nanos(),
            0,
            "`{expr}` in {tz}: {next} is not a whole second"
        );
        // Nothing fires between `prev` and `next`, so from any instant in between the
        // answer is `next` again.
        let just_before = next - TimeDelta::seconds(1);
        assert_eq!(
            schedule.next_after(just_before),
            Some(next),
            "`{expr}` in {tz}: after {prev} comes {next}, but not after {just_before}"
        );
        assert_eq!(
            schedule.next_after(prev + TimeDelta::milliseconds(500)),
            Some(next),
            "`{expr}` in {tz}: half a second after {prev} changed the next fire"
        );
        walked.push(next);
        prev = next;
    }
    assert_eq!(
        schedule.upcoming(start, FIRES),
        walked,
        "`{expr}` in {tz}: upcoming disagrees with next_after from {start}"
    );
}

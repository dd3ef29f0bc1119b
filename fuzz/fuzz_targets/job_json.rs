//! The old system's job JSON, as the etcd and SQLite job stores decode it
//! (`serde_json::from_slice::<Job>`): what a job written by the Go master, by hand with
//! `etcdctl put`, or by another schedd version looks like to this one.
//!
//! Checked beyond "no panic": a decoded job encodes and decodes back equal (fields this
//! version does not know included, so a read-modify-write never changes them); a job that
//! validates has a name, fields and a schedule that agree with `validate`, and its schedule
//! fires strictly later each time.
#![no_main]

use chrono::DateTime;
use chrono_tz::Tz;
use libfuzzer_sys::fuzz_target;
use schedd_core::Job;

fuzz_target!(|data: &[u8]| {
    let Ok(job) = serde_json::from_slice::<Job>(data) else {
        return;
    };
    let encoded = serde_json::to_vec(&job).expect("a decoded job encodes");
    let again: Job = serde_json::from_slice(&encoded).unwrap_or_else(|e| {
        panic!(
            "the encoding of a decoded job does not decode: {e}\n{}",
            String::from_utf8_lossy(&encoded)
        )
    });
    assert_eq!(again, job, "a job changed through encode and decode");

    let Ok(schedule) = job.validate(Tz::UTC) else {
        return;
    };
    job.validate_fields()
        .expect("validate_fields is part of validate");
    job.job_name().expect("validate checks the name");
    assert_eq!(job.schedule(Tz::UTC).as_ref(), Ok(&schedule));
    let start = DateTime::from_timestamp(1_767_225_600, 0).expect("2026-01-01 is in range");
    let fires = schedule.upcoming(start, 3);
    assert!(fires.first().is_none_or(|first| *first > start));
    assert!(
        fires.windows(2).all(|w| w[0] < w[1]),
        "`{}`: {fires:?}",
        job.cron_expr
    );
});

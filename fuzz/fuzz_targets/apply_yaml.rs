//! Job files as `schedctl apply -f jobs.yaml` (and `diff`, `job save -f`) read them:
//! `schedctl::jobfile::parse_text` in YAML, several documents separated by `---`.
//!
//! Checked beyond "no panic": every job it returns validates; what `job export` writes for
//! those jobs, as YAML and as JSON, reads back as the same jobs without a warning (the
//! round trip `export`, edit, `apply` depends on).
#![no_main]

use chrono_tz::Tz;
use libfuzzer_sys::fuzz_target;
use schedctl::jobfile::{self, Format};
use schedd_core::Job;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(loaded) = jobfile::parse_text(text, Format::Yaml, "jobs.yaml") else {
        return;
    };
    let jobs: Vec<Job> = loaded.jobs.into_iter().map(|s| s.job).collect();
    for job in &jobs {
        job.validate(Tz::UTC)
            .expect("parse_text returns only jobs that validate");
    }

    let yaml = jobfile::to_yaml(&jobs).expect("jobs encode as YAML");
    let back = jobfile::parse_text(&yaml, Format::Yaml, "export.yaml")
        .unwrap_or_else(|e| panic!("an export does not read back: {e:#}\n{yaml}"));
    assert!(back.warnings.is_empty(), "{:?}\n{yaml}", back.warnings);
    let back: Vec<Job> = back.jobs.into_iter().map(|s| s.job).collect();
    assert_eq!(back, jobs, "YAML export changed the jobs:\n{yaml}");

    let json = jobfile::to_json(&jobs).expect("jobs encode as JSON");
    let back = jobfile::parse_text(&json, Format::Json, "export.json")
        .unwrap_or_else(|e| panic!("a JSON export does not read back: {e:#}\n{json}"));
    let back: Vec<Job> = back.jobs.into_iter().map(|s| s.job).collect();
    assert_eq!(back, jobs, "JSON export changed the jobs:\n{json}");
});

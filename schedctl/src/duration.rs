//! Durations on the command line and on screen. Flags accept humantime (`30s`, `2m`,
//! `1h30m`, `500ms`) or a plain number of seconds (`90`); tables show them compactly (`1.2s`,
//! `1h30m`). Negative values are caught here, by name, rather than left to look like flags.

use std::time::Duration;

use schedd_core::job::MAX_TIMEOUT_SECS;

/// Parses a non-negative duration: humantime, or a plain (possibly fractional) number of
/// seconds. `what` names the flag in messages.
fn parse_non_negative(what: &str, s: &str) -> Result<Duration, String> {
    let s = s.trim();
    if s.starts_with('-') {
        return Err(format!("{what} must not be negative, got `{s}`"));
    }
    if let Ok(secs) = s.parse::<u64>() {
        return Ok(Duration::from_secs(secs));
    }
    // `f64::from_str` also takes `inf` and `NaN`; `try_from_secs_f64` refuses those.
    if let Ok(secs) = s.parse::<f64>() {
        return Duration::try_from_secs_f64(secs)
            .map_err(|_| format!("{what} `{s}` is not a usable number of seconds"));
    }
    humantime::parse_duration(s).map_err(|e| {
        format!(
            "invalid {what} `{s}` ({e}); use a number of seconds or a duration like 30s, 2m, 1h30m"
        )
    })
}

/// clap value parser for `job save --timeout`: whole seconds, `0` meaning no timeout, at most
/// the 30 days the server accepts. Returns seconds as the job stores them.
pub fn parse_job_timeout(s: &str) -> Result<i64, String> {
    parse_job_seconds("timeout", s)
}

/// clap value parser for `job save --expected`: as [`parse_job_timeout`] (the server holds
/// `expectedSeconds` to the same 30 days), `0` meaning no overdue notice; messages name it.
pub fn parse_expected(s: &str) -> Result<i64, String> {
    parse_job_seconds("expected duration", s)
}

/// Whole seconds from 0 to the server's 30 days; `what` names the flag in messages.
fn parse_job_seconds(what: &str, s: &str) -> Result<i64, String> {
    let d = parse_non_negative(what, s)?;
    if d > Duration::ZERO && d < Duration::from_secs(1) {
        return Err(format!(
            "{what} must be at least 1s (or 0 for none), got `{}`",
            s.trim()
        ));
    }
    if d.subsec_nanos() != 0 {
        return Err(format!(
            "{what} must be a whole number of seconds, got `{}`",
            s.trim()
        ));
    }
    match i64::try_from(d.as_secs()) {
        Ok(secs) if secs <= MAX_TIMEOUT_SECS => Ok(secs),
        _ => Err(format!(
            "{what} must be at most 30 days ({MAX_TIMEOUT_SECS}s), got `{}`",
            s.trim()
        )),
    }
}

/// clap value parser for `--request-timeout`: any positive duration.
pub fn parse_request_timeout(s: &str) -> Result<Duration, String> {
    let d = parse_non_negative("request timeout", s)?;
    if d.is_zero() {
        return Err("request timeout must be greater than zero".to_owned());
    }
    Ok(d)
}

/// A job timeout for tables: `none`, `30s`, `2m`, `1h30m`.
pub fn format_secs(secs: i64) -> String {
    match u64::try_from(secs) {
        Ok(0) => "none".to_owned(),
        // humantime writes `1h 30m`; without the spaces it reads back the same and keeps
        // table columns narrow.
        Ok(s) => humantime::format_duration(Duration::from_secs(s))
            .to_string()
            .replace(' ', ""),
        Err(_) => format!("{secs}s"),
    }
}

/// A run's length for tables: `4ms`, `1.2s`, `12.0s`, `2m05s`, `1h02m`.
pub fn format_ms(ms: i64) -> String {
    let ms = ms.max(0);
    // Most runs of `echo` take a few milliseconds; `0.0s` would hide that.
    if ms < 1000 {
        return format!("{ms}ms");
    }
    // Tenths of a second, rounded, without going through floats.
    let tenths = (ms + 50) / 100;
    if tenths < 600 {
        return format!("{}.{}s", tenths / 10, tenths % 10);
    }
    let secs = (ms + 500) / 1000;
    if secs < 3600 {
        format!("{}m{:02}s", secs / 60, secs % 60)
    } else {
        format!("{}h{:02}m", secs / 3600, (secs % 3600) / 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_timeouts_accept_humantime_and_plain_seconds() {
        assert_eq!(parse_job_timeout("30s"), Ok(30));
        assert_eq!(parse_job_timeout("2m"), Ok(120));
        assert_eq!(parse_job_timeout("1h30m"), Ok(5400));
        assert_eq!(parse_job_timeout("90"), Ok(90));
        assert_eq!(parse_job_timeout("0"), Ok(0));
        assert_eq!(parse_job_timeout("2.0"), Ok(2));
    }

    #[test]
    fn job_timeouts_reject_negative_sub_second_and_garbage_values() {
        let err = |s| parse_job_timeout(s).expect_err(s);
        assert!(err("-5").contains("timeout must not be negative"));
        assert!(err("-5s").contains("must not be negative"));
        assert!(err("0.5s").contains("at least 1s"));
        assert!(err("0.5").contains("at least 1s"));
        assert!(err("1500ms").contains("whole number of seconds"));
        assert!(err("soon").contains("invalid timeout `soon`"));
        assert!(err("").contains("invalid timeout"));
        assert!(err("NaN").contains("not a usable number"));
        assert!(err("31days").contains("at most 30 days"));
    }

    #[test]
    fn expected_durations_parse_as_timeouts_do_and_name_themselves() {
        assert_eq!(parse_expected("30m"), Ok(1800));
        assert_eq!(parse_expected("0"), Ok(0));
        let err = |s| parse_expected(s).expect_err(s);
        assert!(err("-5").contains("expected duration must not be negative"));
        assert!(err("soon").contains("invalid expected duration `soon`"));
        assert!(err("31days").contains("expected duration must be at most 30 days"));
    }

    #[test]
    fn request_timeouts_may_be_short_but_not_zero() {
        assert_eq!(
            parse_request_timeout("500ms"),
            Ok(Duration::from_millis(500))
        );
        assert_eq!(parse_request_timeout("10"), Ok(Duration::from_secs(10)));
        assert!(parse_request_timeout("0").is_err());
        assert!(parse_request_timeout("-1s").is_err());
    }

    #[test]
    fn durations_are_shown_compactly() {
        assert_eq!(format_secs(0), "none");
        assert_eq!(format_secs(30), "30s");
        assert_eq!(format_secs(5400), "1h30m");
        assert_eq!(format_ms(1_234), "1.2s");
        assert_eq!(format_ms(49), "49ms");
        assert_eq!(format_ms(999), "999ms");
        assert_eq!(format_ms(1_000), "1.0s");
        assert_eq!(format_ms(59_960), "1m00s");
        assert_eq!(format_ms(125_000), "2m05s");
        assert_eq!(format_ms(3_720_000), "1h02m");
        assert_eq!(format_ms(-5), "0ms");
    }
}

//! `schedctl cron explain EXPR`: what a cron expression means, offline.
//!
//! The expression is checked with the same parser as the master's ([`Schedule::parse`]), so an
//! expression `explain` accepts is one `job save` accepts, and its next fire times are computed
//! by the same code the workers use. The sentence comes from [`describe`], which the master
//! uses too.

use std::fmt::Write as _;

use anyhow::anyhow;
use chrono::{DateTime, Local, Utc};
use chrono_tz::Tz;
use clap::{Args, Subcommand};
use schedd_core::Schedule;
use schedd_core::describe::describe;
use schedd_core::schedule::parse_timezone;
use serde::Serialize;

use crate::printer::{Printer, Render};

#[derive(Debug, Subcommand)]
pub enum CronCommand {
    Explain(Explain),
}

impl CronCommand {
    pub fn run(self, printer: &Printer) -> anyhow::Result<()> {
        match self {
            CronCommand::Explain(cmd) => cmd.run(printer),
        }
    }
}

/// Explain a cron expression in words and show its next fire times (needs no master).
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  schedctl cron explain '*/15 * * * *'\n  schedctl cron explain 'TZ=Europe/Berlin 0 30 2 * * *' -n 3\n  schedctl cron explain '0 0 9 * * MON-FRI' --timezone America/New_York"
)]
pub struct Explain {
    /// The expression, quoted: 5-7 fields, a macro like `@daily`, or `@every 90s`.
    #[arg(value_name = "EXPR", allow_hyphen_values = true)]
    pub expr: String,

    /// How many fire times to show.
    #[arg(short = 'n', long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub count: u32,

    /// IANA zone to read the expression in, unless it has a `TZ=` prefix (default: UTC; the
    /// master's own default is its --timezone).
    #[arg(long, value_name = "TZ")]
    pub timezone: Option<String>,
}

impl Explain {
    pub fn run(self, printer: &Printer) -> anyhow::Result<()> {
        let default_tz = match &self.timezone {
            Some(name) => parse_timezone(name).map_err(|e| anyhow!("timezone: {e}"))?,
            None => Tz::UTC,
        };
        let schedule = Schedule::parse(&self.expr, default_tz).map_err(|e| anyhow!("{e}"))?;
        let tz = schedule.timezone();
        printer.print(&Explanation {
            expr: schedule.expr().to_owned(),
            timezone: tz.name().to_owned(),
            description: describe(schedule.expr(), tz),
            next: schedule.upcoming(Utc::now(), self.count as usize),
            tz,
        })
    }
}

/// `cron explain`'s answer; JSON `{"expr", "timezone", "description", "next": [RFC 3339]}`.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub expr: String,
    pub timezone: String,
    pub description: String,
    pub next: Vec<DateTime<Utc>>,
    #[serde(skip)]
    pub tz: Tz,
}

impl Render for Explanation {
    fn table(&self) -> String {
        let mut out = self.description.clone();
        if self.next.is_empty() {
            return out;
        }
        let rows: Vec<(String, String)> = self
            .next
            .iter()
            .map(|t| {
                (
                    t.with_timezone(&self.tz)
                        .format("%Y-%m-%d %H:%M:%S %Z")
                        .to_string(),
                    t.with_timezone(&Local)
                        .format("%Y-%m-%d %H:%M:%S %:z")
                        .to_string(),
                )
            })
            .collect();
        let head = format!("NEXT ({})", self.timezone);
        let width = rows
            .iter()
            .map(|(a, _)| a.chars().count())
            .chain([head.chars().count()])
            .max()
            .unwrap_or(0);
        let _ = write!(out, "\n\n{head:<width$}  LOCAL TIME");
        for (zoned, local) in rows {
            let _ = write!(out, "\n{zoned:<width$}  {local}");
        }
        out
    }

    fn note(&self) -> Option<String> {
        self.next
            .is_empty()
            .then(|| "the expression fires no more".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use schedd_core::describe::describe;

    #[test]
    fn explanation_json_and_table() {
        let tz = chrono_tz::Europe::Berlin;
        let schedule = Schedule::parse("0 30 2 * * *", tz).expect("valid");
        let from = DateTime::parse_from_rfc3339("2026-11-25T00:00:00Z")
            .expect("time")
            .with_timezone(&Utc);
        let e = Explanation {
            expr: "0 30 2 * * *".into(),
            timezone: tz.name().into(),
            description: describe("0 30 2 * * *", tz),
            next: schedule.upcoming(from, 2),
            tz,
        };
        let json = serde_json::to_value(&e).expect("json");
        assert_eq!(
            json,
            serde_json::json!({
                "expr": "0 30 2 * * *",
                "timezone": "Europe/Berlin",
                "description": "At 02:30:00, every day, in Europe/Berlin",
                "next": ["2026-11-25T01:30:00Z", "2026-11-26T01:30:00Z"],
            })
        );
        let table = e.table();
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines[0], "At 02:30:00, every day, in Europe/Berlin");
        assert_eq!(lines[1], "");
        assert!(lines[2].starts_with("NEXT (Europe/Berlin)"), "{table}");
        assert!(lines[3].starts_with("2026-11-25 02:30:00 CET  "), "{table}");
        assert_eq!(lines.len(), 5, "{table}");
    }
}

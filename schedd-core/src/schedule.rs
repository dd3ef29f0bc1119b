//! Placeholder; replaced by the cron dialect module.
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone)]
pub struct Schedule {
    expr: String,
    tz: Tz,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("invalid cron expression `{0}`")]
    Invalid(String),
}

impl Schedule {
    pub fn parse(expr: &str, default_tz: Tz) -> Result<Schedule, ScheduleError> {
        Ok(Schedule {
            expr: expr.trim().to_owned(),
            tz: default_tz,
        })
    }
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        Some(after + chrono::Duration::seconds(1))
    }
    pub fn upcoming(&self, after: DateTime<Utc>, n: usize) -> Vec<DateTime<Utc>> {
        let mut v = Vec::new();
        let mut t = after;
        for _ in 0..n {
            match self.next_after(t) {
                Some(x) => {
                    v.push(x);
                    t = x;
                }
                None => break,
            }
        }
        v
    }
    pub fn timezone(&self) -> Tz {
        self.tz
    }
    pub fn expr(&self) -> &str {
        &self.expr
    }
}

pub fn parse_timezone(name: &str) -> Result<Tz, ScheduleError> {
    name.parse()
        .map_err(|_| ScheduleError::Invalid(name.to_owned()))
}

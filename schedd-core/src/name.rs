//! Job names. A name is part of etcd keys and REST paths, so it is checked once, here, and
//! carried as a [`JobName`] from then on.

use std::fmt;

/// Longest accepted name, in bytes.
pub const MAX_NAME_LEN: usize = 128;

/// Names that would collide with REST routes: `/api/v1/job/list`, `/job/running`,
/// `/job/next`, `/job/save`, `/log/list`, `/log/running`, `/log/stats/all`,
/// `/log/stats/:name` and `/log/tail/:name` sit where `/api/v1/job/:name`, `/log/:name`,
/// `/log/:name/:timestamp` and `/log/stats/:name` would.
pub const RESERVED: &[&str] = &["list", "running", "all", "next", "save", "stats", "tail"];

/// A valid job name: `^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$` and not a reserved route word.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JobName(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("job name is empty")]
    Empty,
    #[error("job name is {0} bytes long; the limit is {MAX_NAME_LEN}")]
    TooLong(usize),
    #[error("job name `{0}` must start with a letter or digit")]
    BadStart(String),
    #[error("job name `{name}` has `{ch}`; use only letters, digits, `.`, `_` and `-`")]
    BadChar { name: String, ch: char },
    #[error("job name `{0}` is reserved")]
    Reserved(String),
}

impl JobName {
    pub fn new(name: impl Into<String>) -> Result<JobName, NameError> {
        let name = name.into();
        let Some(first) = name.chars().next() else {
            return Err(NameError::Empty);
        };
        if name.len() > MAX_NAME_LEN {
            return Err(NameError::TooLong(name.len()));
        }
        if !first.is_ascii_alphanumeric() {
            return Err(NameError::BadStart(name));
        }
        if let Some(ch) = name
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        {
            return Err(NameError::BadChar { name, ch });
        }
        if RESERVED.contains(&name.as_str()) {
            return Err(NameError::Reserved(name));
        }
        Ok(JobName(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl TryFrom<String> for JobName {
    type Error = NameError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        JobName::new(value)
    }
}

impl TryFrom<&str> for JobName {
    type Error = NameError;
    fn try_from(value: &str) -> Result<Self, Self::Error> {
        JobName::new(value)
    }
}

impl fmt::Display for JobName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for JobName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_names() {
        for ok in [
            "a",
            "A9",
            "backup-db",
            "x.y_z-1",
            "9lives",
            &"a".repeat(128),
        ] {
            assert_eq!(
                JobName::new(ok).map(|n| n.into_string()),
                Ok(ok.to_string())
            );
        }
    }

    #[test]
    fn rejects_invalid_names_with_the_reason() {
        let cases: &[(&str, &str)] = &[
            ("", "empty"),
            ("-x", "must start"),
            (".hidden", "must start"),
            ("a b", "has ` `"),
            ("a/b", "has `/`"),
            ("ünï", "must start"),
            ("list", "reserved"),
            ("running", "reserved"),
            ("all", "reserved"),
            ("next", "reserved"),
            ("save", "reserved"),
            ("stats", "reserved"),
            ("tail", "reserved"),
        ];
        for (name, want) in cases {
            let err = JobName::new(*name).expect_err(name).to_string();
            assert!(err.contains(want), "{name:?}: {err}");
        }
        let long = "a".repeat(129);
        assert_eq!(JobName::new(long), Err(NameError::TooLong(129)));
    }
}

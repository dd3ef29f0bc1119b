//! HTTP jobs: a job with `http` instead of `command` makes one HTTP request per run, and
//! succeeds when the response has an expected status. Also how secrets in URLs and headers
//! are hidden wherever a job or a record is shown ([`redact_url`], [`redact_header`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Methods an HTTP job may use.
pub const METHODS: &[&str] = &["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
/// Longest accepted URL, in bytes.
pub const MAX_URL_LEN: usize = 8 * 1024;
/// Largest request body, in bytes (as a command's length).
pub const MAX_BODY_LEN: usize = crate::job::MAX_COMMAND_LEN;
/// Most expected statuses.
pub const MAX_EXPECT_STATUS: usize = 16;
/// Headers of the connection itself, which the worker sets: a job may not.
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];
/// What stands for a hidden secret.
pub const REDACTED: &str = "***";

/// The request an HTTP job makes. `timeout` is in seconds (0: the job's own `timeout`
/// bounds the request, as it bounds a command).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpSpec {
    /// Upper case; empty means GET.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub method: String,
    pub url: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub body: String,
    /// Statuses that count as success; empty means any 2xx.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "one_or_many"
    )]
    pub expect_status: Vec<u16>,
    #[serde(default, skip_serializing_if = "crate::job::is_default")]
    pub timeout: u64,
}

/// `expectStatus: 200` and `expectStatus: [200, 204]` both read.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u16>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(u16),
        Many(Vec<u16>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(code) => vec![code],
        OneOrMany::Many(codes) => codes,
    })
}

/// Why an `http` block was rejected; each message names its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    #[error("http.method must be one of GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS, got `{0}`")]
    Method(String),
    #[error("http.url: {0}")]
    Url(String),
    #[error("http.headers: {0}")]
    Header(String),
    #[error("http.body is {0} bytes long; the limit is {MAX_BODY_LEN}")]
    BodyTooLong(usize),
    #[error("http.expectStatus: {0}")]
    ExpectStatus(String),
    #[error("http.timeout of {0}s is over the limit of 2592000s (30 days)")]
    TimeoutTooLong(u64),
}

impl HttpSpec {
    /// The method to send: the given one, or GET.
    pub fn method(&self) -> &str {
        if self.method.is_empty() {
            "GET"
        } else {
            &self.method
        }
    }

    /// Whether a response with this status is a success.
    pub fn expects(&self, status: u16) -> bool {
        if self.expect_status.is_empty() {
            (200..300).contains(&status)
        } else {
            self.expect_status.contains(&status)
        }
    }

    /// The expected statuses in words: "2xx", "200", "200 or 204".
    pub fn expected(&self) -> String {
        match self.expect_status.as_slice() {
            [] => "2xx".to_owned(),
            codes => codes
                .iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(" or "),
        }
    }

    /// `METHOD URL`, with the URL's secrets hidden: what a record shows in place of a command.
    pub fn describe(&self) -> String {
        format!("{} {}", self.method(), redact_url(&self.url))
    }

    /// The same request with every secret in its URL and headers hidden, for display.
    pub fn redacted(&self) -> HttpSpec {
        self.redacted_with(|_| REDACTED.to_owned())
    }

    /// The same request with every secret in its URL and headers replaced by what `hide`
    /// makes of it (the audit trail keeps a digest, so that a changed secret shows as a
    /// change).
    pub fn redacted_with(&self, hide: impl Fn(&str) -> String) -> HttpSpec {
        HttpSpec {
            url: redact_url_with(&self.url, &hide),
            headers: self
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), redact_header_with(k, v, &hide)))
                .collect(),
            ..self.clone()
        }
    }

    /// Checks every field.
    pub fn validate(&self) -> Result<(), HttpError> {
        if !self.method.is_empty() && !METHODS.contains(&self.method.as_str()) {
            return Err(HttpError::Method(self.method.clone()));
        }
        if self.url.len() > MAX_URL_LEN {
            return Err(HttpError::Url(format!(
                "{} bytes long; the limit is {MAX_URL_LEN}",
                self.url.len()
            )));
        }
        let url = url::Url::parse(&self.url).map_err(|e| {
            HttpError::Url(format!("`{}` is not a URL: {e}", redact_url(&self.url)))
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(HttpError::Url(format!(
                "the scheme must be http or https, got `{}`",
                url.scheme()
            )));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(HttpError::Url("the URL has no host".to_owned()));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(HttpError::Url(
                "credentials in a URL (`user:password@`) are not sent; set an `Authorization` header instead".to_owned(),
            ));
        }
        if url.fragment().is_some() {
            return Err(HttpError::Url(
                "a fragment (`#...`) is never sent; leave it out".to_owned(),
            ));
        }
        if self.headers.len() > crate::job::MAX_MAP_ENTRIES {
            return Err(HttpError::Header(format!(
                "{} entries; the limit is {}",
                self.headers.len(),
                crate::job::MAX_MAP_ENTRIES
            )));
        }
        for (name, value) in &self.headers {
            let token = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
            if !token {
                return Err(HttpError::Header(format!(
                    "`{name}` is not a valid header name"
                )));
            }
            if name.eq_ignore_ascii_case("host") || name.eq_ignore_ascii_case("content-length") {
                return Err(HttpError::Header(format!(
                    "`{name}` is set from the URL and the body; leave it out"
                )));
            }
            if HOP_BY_HOP.iter().any(|h| name.eq_ignore_ascii_case(h)) {
                return Err(HttpError::Header(format!(
                    "`{name}` belongs to the connection, which schedd makes; leave it out"
                )));
            }
            if self
                .headers
                .keys()
                .any(|other| other != name && other.eq_ignore_ascii_case(name))
            {
                return Err(HttpError::Header(format!(
                    "`{name}` is given twice (header names are case-insensitive)"
                )));
            }
            if value.len() > crate::job::MAX_MAP_ITEM_LEN {
                return Err(HttpError::Header(format!(
                    "the value of `{name}` is over {} bytes",
                    crate::job::MAX_MAP_ITEM_LEN
                )));
            }
            if value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
                return Err(HttpError::Header(format!(
                    "the value of `{name}` has a control character (a line break?)"
                )));
            }
        }
        if self.body.len() > MAX_BODY_LEN {
            return Err(HttpError::BodyTooLong(self.body.len()));
        }
        if self.expect_status.len() > MAX_EXPECT_STATUS {
            return Err(HttpError::ExpectStatus(format!(
                "{} statuses; the limit is {MAX_EXPECT_STATUS}",
                self.expect_status.len()
            )));
        }
        if let Some(bad) = self
            .expect_status
            .iter()
            .find(|c| !(100..=599).contains(*c))
        {
            return Err(HttpError::ExpectStatus(format!(
                "{bad} is not an HTTP status (100 to 599)"
            )));
        }
        if self.timeout > crate::job::MAX_TIMEOUT_SECS.unsigned_abs() {
            return Err(HttpError::TimeoutTooLong(self.timeout));
        }
        Ok(())
    }
}

/// Whether a header or query parameter of this name is likely to carry a secret.
fn is_secret_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        "auth",
        "token",
        "secret",
        "password",
        "passwd",
        "key",
        "cookie",
        "signature",
        "sig",
        "credential",
        "session",
    ]
    .iter()
    .any(|word| name.contains(word))
}

/// `value` when the header `name` is not a likely secret (`Authorization`, `Cookie`,
/// `X-Api-Key`, anything naming a token, key, secret, password, signature, session or
/// credential), else [`REDACTED`]. An `Authorization` value keeps its scheme
/// (`Bearer ***`), so it still says what kind of credential is sent.
pub fn redact_header(name: &str, value: &str) -> String {
    redact_header_with(name, value, &|_| REDACTED.to_owned())
}

fn redact_header_with(name: &str, value: &str, hide: &dyn Fn(&str) -> String) -> String {
    if !is_secret_name(name) {
        return value.to_owned();
    }
    match value.split_once(' ') {
        Some((scheme, secret))
            if name.to_ascii_lowercase().contains("authorization")
                && scheme.bytes().all(|b| b.is_ascii_alphabetic()) =>
        {
            format!("{scheme} {}", hide(secret))
        }
        _ => hide(value),
    }
}

/// The URL with its password, and the values of query parameters that are likely secrets
/// (`token`, `api_key`, `sig`, ...), replaced by [`REDACTED`]. A URL that does not parse is
/// shown cut before its userinfo and query, which is where secrets go.
pub fn redact_url(text: &str) -> String {
    redact_url_with(text, &|_| REDACTED.to_owned())
}

fn redact_url_with(text: &str, hide: &dyn Fn(&str) -> String) -> String {
    let Ok(mut url) = url::Url::parse(text) else {
        let end = text.find(['?', '#']).unwrap_or(text.len());
        let head = &text[..end];
        return match head.rfind('@') {
            Some(at) => match head.find("://") {
                Some(scheme) if scheme < at => {
                    format!("{}{REDACTED}@{}", &head[..scheme + 3], &head[at + 1..])
                }
                _ => head.to_owned(),
            },
            None => head.to_owned(),
        } + if end < text.len() { "?..." } else { "" };
    };
    if let Some(password) = url.password().map(str::to_owned) {
        let _ = url.set_password(Some(&hide(&password)));
    }
    if url.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let v = if is_secret_name(&k) {
                    hide(&v)
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(url: &str) -> HttpSpec {
        HttpSpec {
            url: url.to_owned(),
            ..Default::default()
        }
    }

    #[test]
    fn a_plain_get_is_valid_and_expects_any_2xx() {
        let s = spec("https://example.com/health");
        s.validate().expect("valid");
        assert_eq!(s.method(), "GET");
        assert!(s.expects(204));
        assert!(!s.expects(301));
        assert_eq!(s.expected(), "2xx");
        let listed = HttpSpec {
            expect_status: vec![200, 301],
            ..s
        };
        assert!(listed.expects(301) && !listed.expects(204));
        assert_eq!(listed.expected(), "200 or 301");
    }

    #[test]
    fn each_bad_field_is_named() {
        type Mutate = fn(&mut HttpSpec);
        let cases: &[(Mutate, &str)] = &[
            (|s| s.method = "get".into(), "http.method"),
            (|s| s.method = "CONNECT".into(), "http.method"),
            (|s| s.url = "not a url".into(), "http.url"),
            (|s| s.url = "ftp://example.com/x".into(), "scheme"),
            (|s| s.url = "https://example.com/#frag".into(), "fragment"),
            (
                |s| s.url = "https://u:p@example.com/".into(),
                "Authorization",
            ),
            (
                |s| _ = s.headers.insert("bad name".into(), "x".into()),
                "not a valid header name",
            ),
            (
                |s| _ = s.headers.insert("X-A".into(), "a\r\nInjected: 1".into()),
                "control character",
            ),
            (
                |s| _ = s.headers.insert("Host".into(), "other".into()),
                "Host",
            ),
            (
                |s| {
                    _ = s
                        .headers
                        .insert("Transfer-Encoding".into(), "chunked".into())
                },
                "belongs to the connection",
            ),
            (
                |s| {
                    s.headers.insert("X-A".into(), "1".into());
                    s.headers.insert("x-a".into(), "2".into());
                },
                "given twice",
            ),
            (|s| s.body = "b".repeat(MAX_BODY_LEN + 1), "http.body"),
            (|s| s.expect_status = vec![99], "not an HTTP status"),
            (|s| s.timeout = u64::MAX, "http.timeout"),
        ];
        for (mutate, want) in cases {
            let mut s = spec("https://example.com/");
            mutate(&mut s);
            let err = s.validate().expect_err(want).to_string();
            assert!(err.contains(want), "want {want:?} in {err:?}");
        }
    }

    #[test]
    fn expect_status_reads_a_number_or_a_list() {
        let one: HttpSpec =
            serde_json::from_str(r#"{"url":"http://a/","expectStatus":204}"#).expect("one");
        assert_eq!(one.expect_status, vec![204]);
        let many: HttpSpec =
            serde_json::from_str(r#"{"url":"http://a/","expectStatus":[200,204]}"#).expect("many");
        assert_eq!(many.expect_status, vec![200, 204]);
        let text = serde_json::to_string(&many).expect("ser");
        assert_eq!(text, r#"{"url":"http://a/","expectStatus":[200,204]}"#);
    }

    #[test]
    fn secrets_in_urls_are_hidden() {
        assert_eq!(
            redact_url("https://bob:hunter2@example.com/x?token=abc&page=2"),
            "https://bob:***@example.com/x?token=***&page=2"
        );
        assert_eq!(
            redact_url("https://example.com/x?api_key=k&Signature=s"),
            "https://example.com/x?api_key=***&Signature=***"
        );
        assert_eq!(
            redact_url("https://example.com/health"),
            "https://example.com/health"
        );
        // Not a URL: cut before the userinfo's secret and the query.
        assert_eq!(
            redact_url("https://bob:pw@exa mple.com/x?token=1"),
            "https://***@exa mple.com/x?..."
        );
    }

    #[test]
    fn secret_headers_are_hidden_and_keep_their_scheme() {
        assert_eq!(redact_header("Authorization", "Bearer abc"), "Bearer ***");
        assert_eq!(redact_header("X-Api-Key", "abc"), REDACTED);
        assert_eq!(redact_header("Cookie", "a=b"), REDACTED);
        assert_eq!(
            redact_header("Content-Type", "application/json"),
            "application/json"
        );
        let mut s = spec("https://u:p@example.com/");
        s.headers
            .insert("Authorization".into(), "Basic dXNlcg==".into());
        let shown = s.redacted();
        assert_eq!(shown.url, "https://u:***@example.com/");
        assert_eq!(shown.headers["Authorization"], "Basic ***");
        assert_eq!(s.describe(), "GET https://u:***@example.com/");
        let digest = s.redacted_with(|v| format!("#{}", v.len()));
        assert_eq!(digest.url, "https://u:%231@example.com/");
        assert_eq!(digest.headers["Authorization"], "Basic #8");
    }
}

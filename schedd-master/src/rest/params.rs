//! Reading a request: query parameters, path segments and JSON bodies, each bad value
//! answered with code 1001 and a message that names the field. Parameters are read one by
//! one rather than through a derived struct so each message can say which field was wrong
//! and what was expected; unknown parameters are ignored, as the old API did.

use std::collections::HashMap;

use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequestParts, Query};
use axum::http::StatusCode;
use axum::http::request::Parts;
use bytes::Bytes;
use serde::de::DeserializeOwned;

use super::ApiError;

/// The query string of a request.
#[derive(Debug, Default)]
pub struct Params(HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Params, ApiError> {
        let Query(pairs) = Query::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::bad_parameter(format!("query string: {}", e.body_text())))?;
        // The first of a repeated parameter counts, as in Gin's `c.Query`.
        let mut map = HashMap::new();
        for (k, v) in pairs {
            map.entry(k).or_insert(v);
        }
        Ok(Params(map))
    }
}

impl Params {
    /// The parameter's text; empty when absent.
    pub fn text(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }

    /// A whole number parameter; `None` when absent or empty.
    pub fn number<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, ApiError> {
        let text = self.text(name).trim();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse().map(Some).map_err(|_| {
            ApiError::bad_parameter(format!(
                "{name}: expected a whole number in range, got `{}`",
                shorten(text)
            ))
        })
    }

    /// The parameter's text, trimmed; `None` when absent or blank.
    pub fn text_opt(&self, name: &str) -> Option<String> {
        Some(self.text(name).trim().to_owned()).filter(|t| !t.is_empty())
    }

    /// An instant given in Unix seconds; `None` when absent or empty.
    pub fn unix_seconds(
        &self,
        name: &str,
    ) -> Result<Option<chrono::DateTime<chrono::Utc>>, ApiError> {
        match self.number::<i64>(name)? {
            None => Ok(None),
            Some(secs) => chrono::DateTime::from_timestamp(secs, 0)
                .map(Some)
                .ok_or_else(|| ApiError::bad_parameter(format!("{name}: {secs} is out of range"))),
        }
    }

    /// A `true`/`false` parameter (also `1`/`0`); `None` when absent or empty.
    pub fn flag(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.text(name).trim() {
            "" => Ok(None),
            "true" | "1" => Ok(Some(true)),
            "false" | "0" => Ok(Some(false)),
            other => Err(ApiError::bad_parameter(format!(
                "{name}: expected true or false, got `{}`",
                shorten(other)
            ))),
        }
    }
}

/// A JSON body as `T`; an error names the field that was wrong. Bodies over the size limit
/// get HTTP 413 with the envelope.
pub fn json_body<T: DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> Result<T, ApiError> {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::bad_parameter(format!(
                "body: larger than the limit of {} bytes",
                crate::server::MAX_REQUEST_BYTES
            ))
            .with_status(StatusCode::PAYLOAD_TOO_LARGE)
        } else {
            ApiError::bad_parameter(format!("body: {}", e.body_text()))
        }
    })?;
    // serde reads a struct from an array too, field by field; the API takes objects only.
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::bad_parameter("body: expected a JSON object"));
    }
    let de = &mut serde_json::Deserializer::from_slice(&body);
    let value = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." || path == "?" {
            ApiError::bad_parameter(format!("body: {inner}"))
        } else {
            ApiError::bad_parameter(format!("{path}: {inner}"))
        }
    })?;
    // Only whitespace may follow the object: `{…}{…}` is not one job. `serde_json::from_slice`
    // checks this itself; a deserializer driven by hand leaves it to its caller.
    de.end()
        .map_err(|e| ApiError::bad_parameter(format!("body: {e}")))?;
    Ok(value)
}

/// At most 64 characters of a bad value, for a message.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(64) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn a_bad_number_is_named_and_an_absent_one_is_none() {
        let p = params(&[("page", "abc"), ("size", "20"), ("days", "-1")]);
        let e = p.number::<u32>("page").expect_err("abc");
        assert!(
            e.message.starts_with("page: expected a whole number"),
            "{e:?}"
        );
        assert_eq!(e.code, super::super::code::BAD_PARAMETER);
        assert_eq!(p.number::<u32>("size").expect("20"), Some(20));
        assert!(p.number::<u32>("days").is_err(), "negative");
        assert_eq!(p.number::<u32>("missing").expect("absent"), None);
        let long = params(&[("page", &"9".repeat(200))]);
        let e = long.number::<u32>("page").expect_err("too big");
        assert!(e.message.chars().count() < 120, "{}", e.message);
    }

    #[test]
    fn a_flag_is_true_false_or_an_error() {
        let p = params(&[("a", "true"), ("b", "0"), ("c", "yes")]);
        assert_eq!(p.flag("a").expect("a"), Some(true));
        assert_eq!(p.flag("b").expect("b"), Some(false));
        assert!(p.flag("c").is_err());
        assert_eq!(p.flag("d").expect("d"), None);
    }

    #[test]
    fn a_bad_body_names_the_field() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Body {
            timeout: i64,
        }
        let e =
            json_body::<Body>(Ok(Bytes::from_static(br#"{"timeout":"x"}"#))).expect_err("string");
        assert!(
            e.message.starts_with("timeout: invalid type"),
            "{}",
            e.message
        );
        let e = json_body::<Body>(Ok(Bytes::from_static(b"[1]"))).expect_err("array");
        assert_eq!(e.message, "body: expected a JSON object");
        let e = json_body::<Body>(Ok(Bytes::from_static(b""))).expect_err("empty");
        assert_eq!(e.message, "body: expected a JSON object");
        let e = json_body::<Body>(Ok(Bytes::from_static(b"{"))).expect_err("cut short");
        assert!(e.message.starts_with("body: EOF"), "{}", e.message);
    }

    /// Regression: a body with more after its object (`{…}{…}`, two jobs pasted together)
    /// was read as its first object, and the rest ignored (found by the `rest_job_save`
    /// fuzz target).
    #[test]
    fn a_body_with_more_after_the_object_is_refused() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Body {
            timeout: i64,
        }
        for body in [
            &br#"{"timeout":1}{"timeout":2}"#[..],
            br#"{"timeout":1} x"#,
            br#"{"timeout":1}]"#,
        ] {
            let e = json_body::<Body>(Ok(Bytes::from_static(body))).expect_err("trailing data");
            assert!(
                e.message.starts_with("body: trailing characters"),
                "{}",
                e.message
            );
        }
        let ok = json_body::<Body>(Ok(Bytes::from_static(b" {\"timeout\":1} \r\n")));
        assert_eq!(ok.expect("whitespace after the object").timeout, 1);
    }
}

//! Job files: reading job definitions for `apply`, `diff` and `job save -f`, and writing them
//! for `job export`.
//!
//! A file is YAML (`.yaml`/`.yml`, several documents separated by `---`) or JSON (`.json`: one
//! object or an array of objects); `-` is stdin, and a file with another extension, like stdin,
//! is JSON when its first non-blank character is `{` or `[` and YAML otherwise. A directory
//! stands for its `.yaml`/`.yml`/`.json` files, sorted by name, not recursing.
//!
//! Field names are exactly the JSON ones of [`schedd_core::Job`] (`cronExpr`, `timeout` in
//! seconds, ...), so `schedctl -o json job list > jobs.json` is a valid job file. `createdAt`,
//! `updatedAt` and `revision` are the server's and are ignored; a `null` value means the field's
//! default. Any other unknown key is reported on stderr and dropped: in a hand-written file it is
//! usually a typo (`cronexpr`), and the wire form could not carry it to the master anyway. The
//! same goes for the keys of an HTTP job's `http` block ([`HTTP_FIELDS`]); such a job leaves
//! `command` out (export writes none). `onSuccess` and `onFailure` are lists of job names;
//! whether those jobs exist is checked by `apply` against the files and the master together.
//! `runOn` is `one` (the default) or `all`, a broadcast job, which may not set the variables
//! schedd gives each of its runs (`SCHEDD_SHARD_INDEX`, `SCHEDD_SHARD_TOTAL`) in `env`.
//! `notify` is a list of webhooks (`url`, `headers`, `on`: a list of events), whose unknown
//! keys are warned about and dropped as those of `http` are ([`WEBHOOK_FIELDS`]);
//! `expectedSeconds` is a number of seconds.
//!
//! Every job is checked here with the cluster's rules ([`Job::validate`], UTC standing in for the
//! cluster's zone) and names must be unique across all inputs, so a bad file is reported before
//! anything is sent and changes nothing on the master. Errors name the file, the document (or
//! array item) when the file holds several, and the field.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use chrono_tz::Tz;
use schedd_core::notify::{NoticeKind, Webhook};
use schedd_core::{HttpSpec, Job, Overlap, RunOn};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// The keys of a job in a file, in the order `job export` writes them. A unit test checks this
/// against `Job`'s serde form so a new field cannot be forgotten here.
pub const FIELDS: &[&str] = &[
    "name",
    "command",
    "cronExpr",
    "timeout",
    "disabled",
    "timezone",
    "overlap",
    "retries",
    "retryBackoffMs",
    "selector",
    "env",
    "description",
    "maxOutputBytes",
    "catchUpSeconds",
    "jitterMs",
    "http",
    "onSuccess",
    "onFailure",
    "runOn",
    "notify",
    "expectedSeconds",
];

/// The keys of a job's `http` block, in the order `job export` writes them. A unit test checks
/// this against `HttpSpec`'s serde form.
pub const HTTP_FIELDS: &[&str] = &[
    "method",
    "url",
    "headers",
    "body",
    "expectStatus",
    "timeout",
];

/// The keys of a webhook of `notify`, in the order `job export` writes them. A unit test
/// checks this against `Webhook`'s serde form.
pub const WEBHOOK_FIELDS: &[&str] = &["url", "headers", "on"];

/// Keys the server sets; accepted in a file (an export or `-o json` output) and ignored.
const SERVER_FIELDS: &[&str] = &["createdAt", "updatedAt", "revision"];

/// What a path argument of `-f` means.
const STDIN: &str = "-";

/// A job read from a file, with where it came from for messages.
#[derive(Debug, Clone, PartialEq)]
pub struct JobSource {
    pub job: Job,
    /// `path`, or `path (document 2)` / `path (item 2)` when the file holds several jobs.
    pub origin: String,
}

/// The jobs of all inputs, in order, and the warnings met on the way.
#[derive(Debug, Default)]
pub struct Loaded {
    pub jobs: Vec<JobSource>,
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
}

/// JSON when the text starts (after blanks) with `{` or `[`, else YAML.
pub fn sniff(text: &str) -> Format {
    match text.trim_start().chars().next() {
        Some('{' | '[') => Format::Json,
        _ => Format::Yaml,
    }
}

fn format_of(path: &Path, text: &str) -> Format {
    match path.extension().and_then(|e| e.to_str()) {
        Some("yaml" | "yml") => Format::Yaml,
        Some("json") => Format::Json,
        _ => sniff(text),
    }
}

fn is_job_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml" | "json")
    )
}

/// Reads every input (`-` is stdin), prints the warnings to stderr, and returns the jobs.
pub fn read(inputs: &[PathBuf]) -> anyhow::Result<Vec<JobSource>> {
    let loaded = load(inputs, std::io::stdin().lock())?;
    for warning in &loaded.warnings {
        crate::printer::note(format_args!("schedctl: warning: {warning}"));
    }
    Ok(loaded.jobs)
}

/// Reads, parses and checks every input; `stdin` is read for `-`, at most once.
pub fn load(inputs: &[PathBuf], mut stdin: impl Read) -> anyhow::Result<Loaded> {
    let mut loaded = Loaded::default();
    let mut stdin_used = false;
    for input in inputs {
        if input.as_os_str() == STDIN {
            if stdin_used {
                bail!("`-f -` (stdin) is given more than once");
            }
            stdin_used = true;
            let mut text = String::new();
            stdin
                .read_to_string(&mut text)
                .context("reading job definitions from stdin")?;
            let format = sniff(&text);
            parse_into(&text, format, "<stdin>", &mut loaded)?;
            continue;
        }
        let meta =
            std::fs::metadata(input).with_context(|| format!("reading {}", input.display()))?;
        let files = if meta.is_dir() {
            let mut files = Vec::new();
            for entry in std::fs::read_dir(input)
                .with_context(|| format!("listing directory {}", input.display()))?
            {
                let path = entry
                    .with_context(|| format!("listing directory {}", input.display()))?
                    .path();
                if is_job_file(&path) && path.is_file() {
                    files.push(path);
                }
            }
            files.sort();
            files
        } else {
            vec![input.clone()]
        };
        for file in files {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let format = format_of(&file, &text);
            parse_into(&text, format, &file.display().to_string(), &mut loaded)?;
        }
    }
    check_unique(&loaded.jobs)?;
    Ok(loaded)
}

fn parse_into(text: &str, format: Format, name: &str, loaded: &mut Loaded) -> anyhow::Result<()> {
    let parsed = parse_text(text, format, name)?;
    loaded.jobs.extend(parsed.jobs);
    loaded.warnings.extend(parsed.warnings);
    Ok(())
}

/// Parses and checks the jobs of one file's text; `name` is how messages call the file.
pub fn parse_text(text: &str, format: Format, name: &str) -> anyhow::Result<Loaded> {
    let (docs, unit) = match format {
        Format::Yaml => (yaml_documents(text, name)?, "document"),
        Format::Json => (json_items(text, name)?, "item"),
    };
    let several = docs.len() > 1;
    let mut loaded = Loaded::default();
    for (i, doc) in docs {
        let origin = if several {
            format!("{name} ({unit} {})", i + 1)
        } else {
            name.to_owned()
        };
        let job = job_from_value(doc, &origin, &mut loaded.warnings)?;
        job.validate(Tz::UTC)
            .map_err(|e| anyhow!("{origin}: job {:?}: {e}", job.name))?;
        loaded.jobs.push(JobSource { job, origin });
    }
    Ok(loaded)
}

/// The non-empty documents of a YAML stream, with their 0-based position in it.
fn yaml_documents(text: &str, name: &str) -> anyhow::Result<Vec<(usize, Value)>> {
    let mut docs = Vec::new();
    // After a syntax error the iterator keeps yielding the same error: stop at the first.
    for (i, doc) in serde_norway::Deserializer::from_str(text).enumerate() {
        let value = Value::deserialize(doc).map_err(|e| anyhow!("{name}: {e}"))?;
        // Empty documents (a comment-only file, a trailing `---`) hold no job. They keep
        // their place in the numbering: messages give the position a reader counts.
        if !value.is_null() {
            docs.push((i, value));
        }
    }
    Ok(docs)
}

/// One JSON object, or the items of an array, with their 0-based position.
fn json_items(text: &str, name: &str) -> anyhow::Result<Vec<(usize, Value)>> {
    let value: Value = serde_json::from_str(text).map_err(|e| anyhow!("{name}: {e}"))?;
    Ok(match value {
        Value::Array(items) => items.into_iter().enumerate().collect(),
        other => vec![(0, other)],
    })
}

/// A job from one document: unknown keys become warnings, nulls defaults, and a bad value
/// an error naming its field.
fn job_from_value(doc: Value, origin: &str, warnings: &mut Vec<String>) -> anyhow::Result<Job> {
    let Value::Object(map) = doc else {
        bail!(
            "{origin}: expected a job (a mapping of fields such as name, command, cronExpr), found {}",
            kind_of(&doc)
        );
    };
    let label = match map.get("name") {
        Some(Value::String(n)) => format!("job {n:?}"),
        _ => "the job".to_owned(),
    };
    let mut known = Map::new();
    for (key, mut value) in map {
        if SERVER_FIELDS.contains(&key.as_str()) || value.is_null() {
            continue;
        }
        if !FIELDS.contains(&key.as_str()) {
            warnings.push(format!(
                "{origin}: unknown field `{key}` in {label} is ignored{}",
                suggest(&key, FIELDS.iter().chain(SERVER_FIELDS))
            ));
            continue;
        }
        match key.as_str() {
            "http" => value = http_block(value, origin, &label, warnings)?,
            "notify" => value = notify_list(value, origin, &label, warnings)?,
            _ => {}
        }
        check_type(&key, &value).map_err(|e| anyhow!("{origin}: {label}: {key}: {e}"))?;
        known.insert(key, value);
    }
    for required in ["name", "cronExpr"] {
        if !known.contains_key(required) {
            bail!("{origin}: {label}: missing field `{required}`");
        }
    }
    if !known.contains_key("command") {
        if !known.contains_key("http") {
            bail!(
                "{origin}: {label}: missing field `command` (or `http`, for a job that makes an HTTP request)"
            );
        }
        // An HTTP job has no command; `Job` has no serde default for it, as the old JSON
        // always carries one.
        known.insert("command".to_owned(), Value::String(String::new()));
    }
    // Every field was checked above, so this only fails on a mismatch between `FIELDS` and
    // `Job` (caught by the tests); keep serde's message all the same.
    serde_json::from_value(Value::Object(known)).map_err(|e| anyhow!("{origin}: {label}: {e}"))
}

/// An `http` block with its unknown keys (warned about) and nulls dropped, and each field's
/// type checked for a message that names it (`http.expectStatus: ...`).
fn http_block(
    value: Value,
    origin: &str,
    label: &str,
    warnings: &mut Vec<String>,
) -> anyhow::Result<Value> {
    let block = Block {
        path: "http".to_owned(),
        fields: HTTP_FIELDS,
        such_as: "url, method, headers",
        check: check_http_type,
    };
    block.read(value, origin, label, warnings)
}

/// `notify`: a list of webhooks, each read as a [`Block`] (`notify[1].on: ...`) and checked
/// whole, so a webhook without `url` is named by its place.
fn notify_list(
    value: Value,
    origin: &str,
    label: &str,
    warnings: &mut Vec<String>,
) -> anyhow::Result<Value> {
    let Value::Array(items) = value else {
        bail!(
            "{origin}: {label}: notify: expected a list of webhooks (mappings of url, headers, on), found {}",
            kind_of(&value)
        );
    };
    let mut hooks = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let block = Block {
            path: format!("notify[{i}]"),
            fields: WEBHOOK_FIELDS,
            such_as: "url, headers, on",
            check: check_webhook_type,
        };
        let hook = block.read(item, origin, label, warnings)?;
        is::<Webhook>(&hook).map_err(|e| anyhow!("{origin}: {label}: {}: {e}", block.path))?;
        hooks.push(hook);
    }
    Ok(Value::Array(hooks))
}

/// A mapping inside a job (`http`, a webhook of `notify`): what it is called in messages, its
/// known keys, and how a known key's value is checked.
struct Block {
    /// `http`, `notify[0]`.
    path: String,
    fields: &'static [&'static str],
    /// The fields named when the value is not a mapping at all.
    such_as: &'static str,
    check: fn(&str, &Value) -> Result<(), String>,
}

impl Block {
    /// The mapping with its unknown keys (warned about) and nulls dropped, and each field's
    /// type checked for a message that names it (`http.expectStatus: ...`).
    fn read(
        &self,
        value: Value,
        origin: &str,
        label: &str,
        warnings: &mut Vec<String>,
    ) -> anyhow::Result<Value> {
        let path = &self.path;
        let Value::Object(map) = value else {
            bail!(
                "{origin}: {label}: {path}: expected a mapping of fields such as {}, found {}",
                self.such_as,
                kind_of(&value)
            );
        };
        let mut known = Map::new();
        for (key, value) in map {
            if value.is_null() {
                continue;
            }
            if !self.fields.contains(&key.as_str()) {
                warnings.push(format!(
                    "{origin}: unknown field `{key}` in {label} {path} is ignored{}",
                    suggest(&key, self.fields.iter())
                ));
                continue;
            }
            (self.check)(&key, &value)
                .map_err(|e| anyhow!("{origin}: {label}: {path}.{key}: {e}"))?;
            known.insert(key, value);
        }
        Ok(Value::Object(known))
    }
}

/// Checks the value of a known key of a webhook against its type in `Webhook`.
fn check_webhook_type(key: &str, value: &Value) -> Result<(), String> {
    match key {
        "url" => is::<String>(value),
        "headers" => is::<BTreeMap<String, String>>(value),
        // Each event by `NoticeKind`'s own message, which lists them all.
        "on" => {
            let events = NoticeKind::ALL.map(NoticeKind::as_str).join(", ");
            let Value::Array(items) = value else {
                return Err(format!("expected a list of events ({events}), got {value}"));
            };
            for item in items {
                let Value::String(name) = item else {
                    return Err(format!("expected an event ({events}), got {item}"));
                };
                name.parse::<NoticeKind>()?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Checks the value of a known key of `http` against its type in `HttpSpec`.
fn check_http_type(key: &str, value: &Value) -> Result<(), String> {
    match key {
        "method" | "url" | "body" => is::<String>(value),
        "headers" => is::<BTreeMap<String, String>>(value),
        // One status or a list, as `HttpSpec` reads it.
        "expectStatus" => is::<u16>(value)
            .or_else(|_| is::<Vec<u16>>(value))
            .map_err(|_| {
                format!("expected a status (a number such as 200) or a list of them, got {value}")
            }),
        "timeout" => is::<u64>(value).map_err(|e| format!("{e} (a number of seconds)")),
        _ => Ok(()),
    }
}

fn is<T: DeserializeOwned>(v: &Value) -> Result<(), String> {
    T::deserialize(v).map(drop).map_err(|e| e.to_string())
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// ` (did you mean `cronExpr`?)` for `cronexpr`, `cron_expr` or `CronExpr`, among `fields`.
fn suggest<'a>(key: &str, mut fields: impl Iterator<Item = &'a &'a str>) -> String {
    let squash = |s: &str| s.replace(['_', '-'], "").to_ascii_lowercase();
    fields
        .find(|f| squash(f) == squash(key))
        .map_or_else(String::new, |f| format!(" (did you mean `{f}`?)"))
}

/// Checks the value of a known field against its type in `Job`, for a message that names it.
fn check_type(key: &str, value: &Value) -> Result<(), String> {
    match key {
        "name" | "command" | "cronExpr" | "timezone" | "description" => is::<String>(value),
        "timeout" => is::<i64>(value).map_err(|e| format!("{e} (a number of seconds)")),
        "disabled" => is::<bool>(value),
        "overlap" => is::<Overlap>(value),
        // serde's own message for a non-string is "expected string or map".
        "runOn" => is::<RunOn>(value)
            .map_err(|_| format!("expected `one` (the default) or `all`, got {value}")),
        "retries" => is::<u32>(value),
        "retryBackoffMs" | "maxOutputBytes" | "catchUpSeconds" | "jitterMs" => is::<u64>(value),
        "selector" | "env" => is::<BTreeMap<String, String>>(value),
        // Its fields' types were checked by `http_block`; what is left is a missing `url`.
        "http" => is::<HttpSpec>(value),
        "onSuccess" | "onFailure" => {
            is::<Vec<String>>(value).map_err(|e| format!("{e} (a list of job names)"))
        }
        // Each webhook was checked by `notify_list`.
        "notify" => is::<Vec<Webhook>>(value),
        "expectedSeconds" => is::<u64>(value).map_err(|e| format!("{e} (a number of seconds)")),
        _ => Ok(()),
    }
}

fn check_unique(jobs: &[JobSource]) -> anyhow::Result<()> {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for source in jobs {
        if let Some(first) = seen.insert(&source.job.name, &source.origin) {
            bail!(
                "job {:?} is defined twice: in {first} and in {}",
                source.job.name,
                source.origin
            );
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Writing and comparing
// ---------------------------------------------------------------------------------------

/// The file form of a job: its serde form, in `Job`'s field order, without the server's
/// timestamps, and without the empty `command` of an HTTP job.
fn file_form(job: &Job) -> anyhow::Result<serde_norway::Value> {
    // Through serde_norway's Value rather than serde_json's: its mapping keeps the struct's
    // field order (serde_json's sorts keys unless built with `preserve_order`).
    let mut value = serde_norway::to_value(job).context("encoding a job")?;
    if let serde_norway::Value::Mapping(map) = &mut value {
        for key in SERVER_FIELDS {
            map.shift_remove(*key);
        }
        if job.http.is_some() && job.command.is_empty() {
            map.shift_remove("command");
        }
    }
    Ok(value)
}

/// YAML documents, one per job, that `apply -f` reads back as the same jobs.
pub fn to_yaml(jobs: &[Job]) -> anyhow::Result<String> {
    let mut docs = Vec::with_capacity(jobs.len());
    for job in jobs {
        docs.push(serde_norway::to_string(&file_form(job)?).context("encoding YAML")?);
    }
    Ok(docs.join("---\n"))
}

/// A pretty JSON array of the jobs that `apply -f` reads back as the same jobs.
pub fn to_json(jobs: &[Job]) -> anyhow::Result<String> {
    let forms = jobs
        .iter()
        .map(file_form)
        .collect::<anyhow::Result<Vec<_>>>()?;
    serde_json::to_string_pretty(&forms).context("encoding JSON")
}

/// The fields of a job that a file can set, in file order, as JSON values: what `diff`
/// shows and `apply` compares.
pub fn fields(job: &Job) -> Vec<(String, Value)> {
    let Ok(serde_norway::Value::Mapping(map)) = file_form(job) else {
        return Vec::new();
    };
    map.into_iter()
        .filter_map(|(k, v)| {
            let key = k.as_str()?.to_owned();
            let value = serde_json::to_value(&v).ok()?;
            Some((key, value))
        })
        .collect()
}

/// `job` as it compares with a stored one: without the server's timestamps and unknown
/// fields (the wire does not carry them), and with no zone meaning the cluster's
/// `default_tz`, which the master stamps on save. Without a known default, a job that names
/// no zone takes `stored_tz`: it compares equal whatever zone the stored job has.
pub fn comparable(job: &Job, default_tz: Option<&str>, stored_tz: &str) -> Job {
    let mut job = job.clone();
    job.created_at = 0;
    job.updated_at = 0;
    job.extra.clear();
    if job.timezone.is_empty() {
        job.timezone = default_tz.unwrap_or(stored_tz).to_owned();
    }
    job
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, format: Format) -> anyhow::Result<Loaded> {
        parse_text(text, format, "jobs.yaml")
    }

    fn names(loaded: &Loaded) -> Vec<&str> {
        loaded.jobs.iter().map(|s| s.job.name.as_str()).collect()
    }

    const TWO_DOCS: &str = "\
name: a
command: echo a
cronExpr: '*/5 * * * *'
---
# the second
name: b
command: echo b
cronExpr: '@daily'
timeout: 30
env:
  A: '1'
";

    #[test]
    fn yaml_with_several_documents_gives_one_job_each() {
        let loaded = parse(TWO_DOCS, Format::Yaml).expect("parses");
        assert_eq!(names(&loaded), ["a", "b"]);
        assert_eq!(loaded.jobs[1].origin, "jobs.yaml (document 2)");
        assert_eq!(loaded.jobs[1].job.timeout, 30);
        assert_eq!(loaded.jobs[1].job.env["A"], "1");
        assert!(loaded.warnings.is_empty());
    }

    #[test]
    fn a_single_document_is_named_by_the_file_alone() {
        let loaded =
            parse("name: a\ncommand: x\ncronExpr: '@hourly'\n", Format::Yaml).expect("parses");
        assert_eq!(loaded.jobs[0].origin, "jobs.yaml");
    }

    #[test]
    fn empty_documents_and_files_hold_no_jobs() {
        assert!(parse("", Format::Yaml).expect("empty").jobs.is_empty());
        assert!(
            parse("# nothing yet\n", Format::Yaml)
                .expect("comment")
                .jobs
                .is_empty()
        );
        let loaded = parse(
            "---\nname: a\ncommand: x\ncronExpr: '@daily'\n---\n",
            Format::Yaml,
        )
        .expect("trailing separator");
        assert_eq!(names(&loaded), ["a"]);
    }

    #[test]
    fn json_takes_an_object_or_an_array() {
        let one = r#"{"name":"a","command":"x","cronExpr":"* * * * *"}"#;
        assert_eq!(names(&parse(one, Format::Json).expect("object")), ["a"]);
        let many = r#"[{"name":"a","command":"x","cronExpr":"* * * * *"},
                       {"name":"b","command":"y","cronExpr":"@daily","disabled":true}]"#;
        let loaded = parse(many, Format::Json).expect("array");
        assert_eq!(names(&loaded), ["a", "b"]);
        assert!(loaded.jobs[1].job.disabled);
        assert_eq!(loaded.jobs[1].origin, "jobs.yaml (item 2)");
    }

    #[test]
    fn stdin_is_sniffed() {
        assert_eq!(sniff("  \n[{}]"), Format::Json);
        assert_eq!(sniff("{\"a\":1}"), Format::Json);
        assert_eq!(sniff("name: a"), Format::Yaml);
        assert_eq!(sniff(""), Format::Yaml);
        let json = br#"{"name":"a","command":"x","cronExpr":"@daily"}"#;
        let loaded = load(&[PathBuf::from("-")], &json[..]).expect("stdin JSON");
        assert_eq!(loaded.jobs[0].origin, "<stdin>");
        let yaml = b"name: b\ncommand: x\ncronExpr: '@daily'\n";
        let loaded = load(&[PathBuf::from("-")], &yaml[..]).expect("stdin YAML");
        assert_eq!(names(&loaded), ["b"]);
        let twice = load(&[PathBuf::from("-"), PathBuf::from("-")], &yaml[..]);
        assert!(
            twice
                .expect_err("twice")
                .to_string()
                .contains("more than once")
        );
    }

    #[test]
    fn a_directory_means_its_job_files_in_name_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        let write = |name: &str, text: &str| {
            std::fs::write(dir.path().join(name), text).expect("write");
        };
        write("b.yml", "name: b\ncommand: x\ncronExpr: '@daily'\n");
        write(
            "a.json",
            r#"{"name":"a","command":"x","cronExpr":"@daily"}"#,
        );
        write("c.yaml", "name: c\ncommand: x\ncronExpr: '@daily'\n");
        write("notes.txt", "not a job");
        std::fs::create_dir(dir.path().join("sub.yaml")).expect("subdir");
        let loaded = load(&[dir.path().to_path_buf()], std::io::empty()).expect("dir");
        assert_eq!(names(&loaded), ["a", "b", "c"]);
        assert!(
            loaded.jobs[1].origin.ends_with("b.yml"),
            "{:?}",
            loaded.jobs[1]
        );
    }

    #[test]
    fn errors_name_the_file_the_document_and_the_field() {
        let bad_cron = format!("{TWO_DOCS}---\nname: c\ncommand: x\ncronExpr: '61 * * * *'\n");
        let err = parse(&bad_cron, Format::Yaml)
            .expect_err("bad cron")
            .to_string();
        assert!(
            err.starts_with("jobs.yaml (document 3): job \"c\": cronExpr: "),
            "{err}"
        );
        let bad_type = "name: a\ncommand: x\ncronExpr: '@daily'\ntimeout: 10m\n";
        let err = parse(bad_type, Format::Yaml)
            .expect_err("bad type")
            .to_string();
        assert!(
            err.starts_with("jobs.yaml: job \"a\": timeout: invalid type: string"),
            "{err}"
        );
        let missing = "name: a\ncommand: x\n";
        let err = parse(missing, Format::Yaml)
            .expect_err("missing")
            .to_string();
        assert_eq!(err, "jobs.yaml: job \"a\": missing field `cronExpr`");
        let overlap = "name: a\ncommand: x\ncronExpr: '@daily'\noverlap: sometimes\n";
        let err = parse(overlap, Format::Yaml)
            .expect_err("overlap")
            .to_string();
        assert!(
            err.contains("overlap: unknown variant `sometimes`"),
            "{err}"
        );
        let list = parse("- a\n- b\n", Format::Yaml)
            .expect_err("a list")
            .to_string();
        assert!(list.contains("found a list"), "{list}");
        let syntax = parse("name: [a\n", Format::Yaml)
            .expect_err("syntax")
            .to_string();
        assert!(syntax.starts_with("jobs.yaml: "), "{syntax}");
        assert!(syntax.contains("line"), "{syntax}");
        let json = parse("{\"name\": }", Format::Json)
            .expect_err("json")
            .to_string();
        assert!(
            json.starts_with("jobs.yaml: ") && json.contains("line 1"),
            "{json}"
        );
    }

    #[test]
    fn duplicate_names_across_inputs_are_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("a.yaml"),
            "name: x\ncommand: a\ncronExpr: '@daily'\n",
        )
        .expect("write");
        std::fs::write(
            dir.path().join("b.json"),
            r#"{"name":"x","command":"b","cronExpr":"@daily"}"#,
        )
        .expect("write");
        let err = load(&[dir.path().to_path_buf()], std::io::empty())
            .expect_err("duplicate")
            .to_string();
        assert!(err.starts_with("job \"x\" is defined twice: in "), "{err}");
        assert!(
            err.contains("a.yaml and in ") && err.ends_with("b.json"),
            "{err}"
        );
    }

    #[test]
    fn unknown_keys_are_warned_about_and_dropped_server_keys_ignored() {
        let text = "name: a\ncommand: x\ncronexpr: '@daily'\ncronExpr: '@daily'\n\
                    owner: sre\ncreatedAt: 1700000000\nrevision: 3\ndescription:\n";
        let loaded = parse(text, Format::Yaml).expect("parses");
        assert_eq!(
            loaded.warnings,
            [
                "jobs.yaml: unknown field `cronexpr` in job \"a\" is ignored (did you mean `cronExpr`?)",
                "jobs.yaml: unknown field `owner` in job \"a\" is ignored",
            ]
        );
        let job = &loaded.jobs[0].job;
        assert!(job.extra.is_empty());
        assert_eq!(job.created_at, 0);
        assert_eq!(job.description, "");
    }

    #[test]
    fn field_list_matches_the_job_type() {
        let mut job = Job::new("a", "@daily", "x");
        job.timezone = "UTC".into();
        job.overlap = Overlap::Allow;
        job.retries = 1;
        job.retry_backoff_ms = 1;
        job.selector.insert("k".into(), "v".into());
        job.env.insert("K".into(), "v".into());
        job.description = "d".into();
        job.max_output_bytes = 1;
        job.catch_up_seconds = 1;
        job.jitter_ms = 1;
        let http = HttpSpec {
            method: "POST".into(),
            url: "http://a/".into(),
            headers: [("A".to_owned(), "b".to_owned())].into(),
            body: "b".into(),
            expect_status: vec![200],
            timeout: 1,
        };
        job.http = Some(http.clone());
        job.on_success = vec!["b".into()];
        job.on_failure = vec!["c".into()];
        job.run_on = RunOn::All;
        let hook = Webhook {
            url: "http://a/".into(),
            headers: [("A".to_owned(), "b".to_owned())].into(),
            on: vec![NoticeKind::Failure],
        };
        job.notify = vec![hook.clone()];
        job.expected_seconds = 1;
        let keys: Vec<String> = fields(&job).into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, FIELDS);
        let keys_of = |value: Result<serde_norway::Value, _>| -> Vec<String> {
            let Ok(serde_norway::Value::Mapping(map)) = value else {
                panic!("encodes as a mapping");
            };
            map.keys()
                .filter_map(serde_norway::Value::as_str)
                .map(str::to_owned)
                .collect()
        };
        assert_eq!(keys_of(serde_norway::to_value(&http)), HTTP_FIELDS);
        assert_eq!(keys_of(serde_norway::to_value(&hook)), WEBHOOK_FIELDS);
    }

    const NOTIFY_JOB: &str = "\
name: nightly
command: ./nightly.sh
cronExpr: '@daily'
notify:
- url: https://hooks.example.com/h?token=secret
  headers:
    Authorization: Bearer secret
  on: [failure, overdue]
- url: http://127.0.0.1:9000/alert
expectedSeconds: 2700
";

    #[test]
    fn notify_is_a_list_of_webhooks_and_expected_seconds_a_number() {
        let loaded = parse(NOTIFY_JOB, Format::Yaml).expect("parses");
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        let job = &loaded.jobs[0].job;
        assert_eq!(
            job.notify,
            [
                Webhook {
                    url: "https://hooks.example.com/h?token=secret".into(),
                    headers: [("Authorization".to_owned(), "Bearer secret".to_owned())].into(),
                    on: vec![NoticeKind::Failure, NoticeKind::Overdue],
                },
                Webhook {
                    url: "http://127.0.0.1:9000/alert".into(),
                    ..Webhook::default()
                },
            ]
        );
        assert_eq!(job.expected_seconds, 2700);
        // The JSON form, and nulls meaning the defaults, inside a webhook too.
        let json = r#"{"name":"a","command":"x","cronExpr":"@daily","expectedSeconds":null,
                       "notify":[{"url":"https://a/","on":null,"headers":{"X-A":"1"}}]}"#;
        let job = &parse(json, Format::Json).expect("JSON").jobs[0].job;
        assert_eq!(job.expected_seconds, 0);
        assert_eq!(job.notify[0].on, []);
        assert_eq!(job.notify[0].headers["X-A"], "1");
    }

    #[test]
    fn bad_notify_and_expected_seconds_are_refused_by_field() {
        let base = "name: a\ncommand: x\ncronExpr: '@daily'\n";
        let cases = [
            (
                "notify: https://a/\n",
                "notify: expected a list of webhooks (mappings of url, headers, on), found a string",
            ),
            (
                "notify:\n  url: https://a/\n",
                "notify: expected a list of webhooks (mappings of url, headers, on), found a mapping",
            ),
            (
                "notify:\n- https://a/\n",
                "notify[0]: expected a mapping of fields such as url, headers, on, found a string",
            ),
            (
                "notify:\n- url: 5\n",
                "notify[0].url: invalid type: integer `5`, expected a string",
            ),
            (
                "notify:\n- url: https://a/\n  headers:\n    X-N: 5\n",
                "notify[0].headers: invalid type: integer `5`, expected a string",
            ),
            (
                "notify:\n- url: https://a/\n  on: failure\n",
                "notify[0].on: expected a list of events (failure, timeout, recovery, skipped, lost, overdue), got \"failure\"",
            ),
            (
                "notify:\n- url: https://a/\n  on: [failure, 3]\n",
                "notify[0].on: expected an event (failure, timeout, recovery, skipped, lost, overdue), got 3",
            ),
            (
                "notify:\n- url: https://a/\n- url: https://b/\n  on: [failure, sometimes]\n",
                "notify[1].on: `sometimes` is not a notice: failure, timeout, recovery, skipped, lost or overdue",
            ),
            (
                "notify:\n- url: https://a/\n- on: [lost]\n",
                "notify[1]: missing field `url`",
            ),
            (
                "expectedSeconds: 5m\n",
                "expectedSeconds: invalid type: string \"5m\", expected u64 (a number of seconds)",
            ),
            // The domain's own checks, by field.
            (
                "notify:\n- url: https://a/\n  on: [lost, lost]\n",
                "notify[0].on: `lost` is named twice",
            ),
            (
                "expectedSeconds: 2592001\n",
                "expectedSeconds of 2592001 is over the limit of 2592000 (30 days)",
            ),
        ];
        for (extra, want) in cases {
            let err = parse(&format!("{base}{extra}"), Format::Yaml)
                .expect_err(want)
                .to_string();
            assert_eq!(err, format!("jobs.yaml: job \"a\": {want}"));
        }
        let bad_url = format!("{base}notify:\n- url: ftp://a/\n");
        let err = parse(&bad_url, Format::Yaml)
            .expect_err("a scheme")
            .to_string();
        assert!(
            err.starts_with("jobs.yaml: job \"a\": notify[0]: url: "),
            "{err}"
        );
    }

    #[test]
    fn unknown_keys_in_a_webhook_are_warned_about_and_dropped() {
        let text = "name: x\ncommand: x\ncronExpr: '@daily'\nnotify:\n- url: http://a/\n  \
                    Headers: {A: b}\n  events: [failure]\n  on:\n";
        let loaded = parse(text, Format::Yaml).expect("parses");
        assert_eq!(
            loaded.warnings,
            [
                "jobs.yaml: unknown field `Headers` in job \"x\" notify[0] is ignored (did you mean `headers`?)",
                "jobs.yaml: unknown field `events` in job \"x\" notify[0] is ignored",
            ]
        );
        let hook = &loaded.jobs[0].job.notify[0];
        assert_eq!(
            hook,
            &Webhook {
                url: "http://a/".into(),
                ..Webhook::default()
            }
        );
        let typo = "name: x\ncommand: x\ncronExpr: '@daily'\nexpected_seconds: 60\n";
        let loaded = parse(typo, Format::Yaml).expect("a warning");
        assert_eq!(
            loaded.warnings,
            [
                "jobs.yaml: unknown field `expected_seconds` in job \"x\" is ignored (did you mean `expectedSeconds`?)"
            ]
        );
    }

    #[test]
    fn notifications_export_and_read_back_unchanged() {
        let mut job = parse(NOTIFY_JOB, Format::Yaml).expect("parses").jobs[0]
            .job
            .clone();
        job.created_at = 1_700_000_000;
        let want = comparable(&job, None, "");

        let yaml = to_yaml(std::slice::from_ref(&job)).expect("yaml");
        assert!(
            yaml.ends_with(
                "notify:\n\
                 - url: https://hooks.example.com/h?token=secret\n  \
                   headers:\n    Authorization: Bearer secret\n  \
                   on:\n  - failure\n  - overdue\n\
                 - url: http://127.0.0.1:9000/alert\n\
                 expectedSeconds: 2700\n"
            ),
            "{yaml}"
        );
        let back = parse(&yaml, Format::Yaml).expect("YAML reads back");
        assert!(back.warnings.is_empty(), "{:?}", back.warnings);
        assert_eq!(back.jobs[0].job, want);

        let json = to_json(std::slice::from_ref(&job)).expect("json");
        let back = parse(&json, Format::Json).expect("JSON reads back");
        assert_eq!(back.jobs[0].job, want);
        // `-o json` output reads back too.
        let printed = serde_json::to_string(&job).expect("json");
        let back = parse(&printed, Format::Json).expect("`-o json` reads back");
        assert_eq!(back.jobs[0].job, want);
    }

    #[test]
    fn dependents_are_lists_of_names_checked_by_field() {
        let text = "name: import\ncommand: x\ncronExpr: '@daily'\n\
                    onSuccess: [report, notify]\nonFailure:\n  - page\n";
        let loaded = parse(text, Format::Yaml).expect("parses");
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        let job = &loaded.jobs[0].job;
        assert_eq!(job.on_success, ["report", "notify"]);
        assert_eq!(job.on_failure, ["page"]);
        let json =
            r#"{"name":"a","command":"x","cronExpr":"@daily","onFailure":["b"],"onSuccess":null}"#;
        let job = &parse(json, Format::Json).expect("JSON").jobs[0].job;
        assert_eq!(
            (job.on_success.len(), job.on_failure.as_slice()),
            (0, &["b".to_owned()][..])
        );

        let base = "name: a\ncommand: x\ncronExpr: '@daily'\n";
        let cases = [
            (
                "onSuccess: report\n",
                "jobs.yaml: job \"a\": onSuccess: invalid type: string \"report\", expected a sequence (a list of job names)",
            ),
            (
                "onFailure: [b, 3]\n",
                "jobs.yaml: job \"a\": onFailure: invalid type: integer `3`, expected a string (a list of job names)",
            ),
            (
                "onFailure:\n  b: c\n",
                "jobs.yaml: job \"a\": onFailure: invalid type: map, expected a sequence (a list of job names)",
            ),
            // The domain's own checks, by field.
            (
                "onSuccess: [a]\n",
                "jobs.yaml: job \"a\": onSuccess: a job cannot start itself (cycle: a → a)",
            ),
            (
                "onFailure: [b, b]\n",
                "jobs.yaml: job \"a\": onFailure: `b` is named twice",
            ),
        ];
        for (extra, want) in cases {
            let err = parse(&format!("{base}{extra}"), Format::Yaml)
                .expect_err(want)
                .to_string();
            assert_eq!(err, want);
        }
        let typo = format!("{base}on_success: [b]\n");
        let loaded = parse(&typo, Format::Yaml).expect("a warning");
        assert_eq!(
            loaded.warnings,
            [
                "jobs.yaml: unknown field `on_success` in job \"a\" is ignored (did you mean `onSuccess`?)"
            ]
        );
    }

    #[test]
    fn dependents_export_and_read_back() {
        let mut job = Job::new("import", "@daily", "x");
        job.on_success = vec!["report".into(), "notify".into()];
        job.on_failure = vec!["page".into()];
        let yaml = to_yaml(std::slice::from_ref(&job)).expect("yaml");
        assert!(
            yaml.ends_with("onSuccess:\n- report\n- notify\nonFailure:\n- page\n"),
            "{yaml}"
        );
        let back = parse(&yaml, Format::Yaml).expect("reads back");
        assert_eq!(back.jobs[0].job, job);
        let json = to_json(std::slice::from_ref(&job)).expect("json");
        assert_eq!(
            parse(&json, Format::Json).expect("reads back").jobs[0].job,
            job
        );
    }

    #[test]
    fn run_on_is_one_or_all_checked_by_field() {
        let base = "name: rotate\ncommand: x\ncronExpr: '@daily'\n";
        let loaded = parse(&format!("{base}runOn: all\n"), Format::Yaml).expect("parses");
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        assert_eq!(loaded.jobs[0].job.run_on, RunOn::All);
        let one = parse(&format!("{base}runOn: one\n"), Format::Yaml).expect("parses");
        assert_eq!(one.jobs[0].job.run_on, RunOn::One);
        let json = r#"{"name":"a","command":"x","cronExpr":"@daily","runOn":"all"}"#;
        let job = &parse(json, Format::Json).expect("JSON").jobs[0].job;
        assert_eq!(job.run_on, RunOn::All);
        // null is the default, as for every field.
        let null = parse(&format!("{base}runOn:\n"), Format::Yaml).expect("parses");
        assert_eq!(null.jobs[0].job.run_on, RunOn::One);

        let cases = [
            (
                "runOn: every\n",
                "jobs.yaml: job \"rotate\": runOn: expected `one` (the default) or `all`, got \"every\"",
            ),
            (
                "runOn: true\n",
                "jobs.yaml: job \"rotate\": runOn: expected `one` (the default) or `all`, got true",
            ),
            (
                "runOn: All\n",
                "jobs.yaml: job \"rotate\": runOn: expected `one` (the default) or `all`, got \"All\"",
            ),
            // The domain's own check: a broadcast job leaves its shard variables to schedd.
            (
                "runOn: all\nenv:\n  SCHEDD_SHARD_INDEX: '1'\n",
                "jobs.yaml: job \"rotate\": env: `SCHEDD_SHARD_INDEX` is set by schedd on each run of a broadcast job (runOn: all)",
            ),
        ];
        for (extra, want) in cases {
            let err = parse(&format!("{base}{extra}"), Format::Yaml)
                .expect_err(want)
                .to_string();
            assert_eq!(err, want);
        }
        // A job run by one worker may set them: nothing else does.
        let one = format!("{base}env:\n  SCHEDD_SHARD_INDEX: '1'\n");
        parse(&one, Format::Yaml).expect("a job run by one worker");
        let typo = parse(&format!("{base}run_on: all\n"), Format::Yaml).expect("a warning");
        assert_eq!(
            typo.warnings,
            [
                "jobs.yaml: unknown field `run_on` in job \"rotate\" is ignored (did you mean `runOn`?)"
            ]
        );
    }

    #[test]
    fn a_broadcast_job_exports_and_reads_back() {
        let mut job = Job::new("rotate", "@daily", "x");
        job.run_on = RunOn::All;
        let yaml = to_yaml(std::slice::from_ref(&job)).expect("yaml");
        assert!(yaml.ends_with("runOn: all\n"), "{yaml}");
        assert_eq!(
            parse(&yaml, Format::Yaml).expect("reads back").jobs[0].job,
            job
        );
        // `one` is the default and left out.
        let one = to_yaml(&[Job::new("a", "@daily", "x")]).expect("yaml");
        assert!(!one.contains("runOn"), "{one}");
    }

    const HTTP_JOB: &str = "\
name: ping
cronExpr: '@every 5m'
http:
  method: POST
  url: https://example.com/hook?token=secret
  headers:
    Authorization: Bearer secret
  body: '{\"full\": true}'
  expectStatus: 204
  timeout: 10
";

    #[test]
    fn an_http_job_loads_without_a_command() {
        let loaded = parse(HTTP_JOB, Format::Yaml).expect("parses");
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        let job = &loaded.jobs[0].job;
        assert_eq!(job.command, "");
        let http = job.http.as_ref().expect("http");
        assert_eq!(http.method, "POST");
        assert_eq!(http.url, "https://example.com/hook?token=secret");
        assert_eq!(http.headers["Authorization"], "Bearer secret");
        assert_eq!(http.body, r#"{"full": true}"#);
        assert_eq!(http.expect_status, [204]);
        assert_eq!(http.timeout, 10);
        // A list of statuses, and the JSON form.
        let json = r#"{"name":"p","cronExpr":"@daily","http":{"url":"http://a/","expectStatus":[200,301]}}"#;
        let loaded = parse(json, Format::Json).expect("JSON");
        let http = loaded.jobs[0].job.http.as_ref().expect("http");
        assert_eq!(http.expect_status, [200, 301]);
        assert_eq!(http.method(), "GET");
    }

    #[test]
    fn http_jobs_are_refused_by_name() {
        let both = format!("{HTTP_JOB}command: echo hi\n");
        let err = parse(&both, Format::Yaml).expect_err("both").to_string();
        assert_eq!(
            err,
            "jobs.yaml: job \"ping\": a job has a command or an `http` request, not both"
        );
        let no_url = "name: p\ncronExpr: '@daily'\nhttp:\n  method: GET\n";
        let err = parse(no_url, Format::Yaml).expect_err("no url").to_string();
        assert_eq!(err, "jobs.yaml: job \"p\": http: missing field `url`");
        let neither = "name: p\ncronExpr: '@daily'\n";
        let err = parse(neither, Format::Yaml)
            .expect_err("neither")
            .to_string();
        assert!(
            err.starts_with("jobs.yaml: job \"p\": missing field `command` (or `http`"),
            "{err}"
        );
        let cases = [
            ("http: https://a/\n", "http: expected a mapping"),
            ("http:\n  url: 5\n", "http.url: invalid type: integer `5`"),
            (
                "http:\n  url: http://a/\n  expectStatus: ok\n",
                "http.expectStatus: expected a status",
            ),
            (
                "http:\n  url: http://a/\n  headers:\n    X-N: 5\n",
                "http.headers: invalid type: integer `5`",
            ),
            (
                "http:\n  url: http://a/\n  timeout: 5m\n",
                "http.timeout: invalid type: string",
            ),
            // The domain's own checks, by name.
            ("http:\n  url: ftp://a/\n", "http.url: the scheme"),
            (
                "http:\n  url: http://a/\n  method: fetch\n",
                "http.method must be one of",
            ),
        ];
        for (http, want) in cases {
            let text = format!("name: p\ncronExpr: '@daily'\n{http}");
            let err = parse(&text, Format::Yaml).expect_err(want).to_string();
            assert!(err.starts_with("jobs.yaml: job \"p\": "), "{err}");
            assert!(err.contains(want), "want {want:?} in {err:?}");
        }
    }

    #[test]
    fn unknown_keys_in_http_are_warned_about_and_dropped() {
        let text = "name: x\ncronExpr: '@daily'\nhttp:\n  url: http://a/\n  \
                    expect_status: 200\n  retries: 3\n  body:\n";
        let loaded = parse(text, Format::Yaml).expect("parses");
        assert_eq!(
            loaded.warnings,
            [
                "jobs.yaml: unknown field `expect_status` in job \"x\" http is ignored (did you mean `expectStatus`?)",
                "jobs.yaml: unknown field `retries` in job \"x\" http is ignored",
            ]
        );
        let http = loaded.jobs[0].job.http.as_ref().expect("http");
        assert_eq!(http.expect_status, Vec::<u16>::new());
        assert_eq!(http.body, "");
    }

    #[test]
    fn an_http_job_exports_and_reads_back_unchanged() {
        let loaded = parse(HTTP_JOB, Format::Yaml).expect("parses");
        let mut job = loaded.jobs[0].job.clone();
        job.created_at = 1_700_000_000;
        job.timeout = 60;
        let want = comparable(&job, None, "");

        let yaml = to_yaml(std::slice::from_ref(&job)).expect("yaml");
        // No `command: ''` beside `http`.
        assert!(!yaml.contains("command"), "{yaml}");
        assert!(yaml.contains("http:\n  method: POST\n  url: "), "{yaml}");
        let back = parse(&yaml, Format::Yaml).expect("YAML reads back");
        assert_eq!(back.jobs[0].job, want);
        assert!(back.warnings.is_empty(), "{:?}", back.warnings);

        let json = to_json(std::slice::from_ref(&job)).expect("json");
        let back = parse(&json, Format::Json).expect("JSON reads back");
        assert_eq!(back.jobs[0].job, want);

        // `-o json` output (the job with `command: ""` and the server's fields) reads too.
        let printed = serde_json::to_string(&job).expect("json");
        assert!(printed.contains(r#""command":"""#), "{printed}");
        let back = parse(&printed, Format::Json).expect("`-o json` reads back");
        assert_eq!(back.jobs[0].job, want);
    }

    #[test]
    fn export_forms_parse_back_to_the_same_jobs() {
        let mut a = Job::new("a", "TZ=Europe/Berlin 0 30 2 * * *", "echo 'multi\nline'");
        a.timeout = 600;
        a.created_at = 1_700_000_000;
        a.updated_at = 1_700_000_100;
        a.timezone = "UTC".into();
        a.env.insert("PATH".into(), "/bin".into());
        a.overlap = Overlap::Replace;
        let mut b = Job::new("b", "* * * * *", "true");
        b.disabled = true;
        b.description = "yes: no # not a comment".into();
        let jobs = [a, b];
        let want: Vec<Job> = jobs.iter().map(|j| comparable(j, None, "")).collect();

        let yaml = to_yaml(&jobs).expect("yaml");
        assert!(
            !yaml.contains("createdAt") && !yaml.contains("updatedAt"),
            "{yaml}"
        );
        assert!(yaml.starts_with("name: a\ncommand: "), "{yaml}");
        let back = parse(&yaml, Format::Yaml).expect("YAML reads back");
        let got: Vec<Job> = back.jobs.into_iter().map(|s| s.job).collect();
        assert_eq!(got, want);

        let json = to_json(&jobs).expect("json");
        assert!(!json.contains("createdAt"), "{json}");
        let back = parse(&json, Format::Json).expect("JSON reads back");
        let got: Vec<Job> = back.jobs.into_iter().map(|s| s.job).collect();
        assert_eq!(got, want);
        assert_eq!(to_json(&[]).expect("empty"), "[]");
        assert_eq!(to_yaml(&[]).expect("empty"), "");
    }

    #[test]
    fn comparing_fills_the_zone_and_drops_server_fields() {
        let mut stored = Job::new("a", "@daily", "x");
        stored.timezone = "Europe/Berlin".into();
        stored.updated_at = 5;
        let file = Job::new("a", "@daily", "x");
        assert_eq!(
            comparable(&file, None, &stored.timezone),
            comparable(&stored, None, "")
        );
        assert_ne!(
            comparable(&file, Some("UTC"), &stored.timezone),
            comparable(&stored, Some("UTC"), "")
        );
    }
}

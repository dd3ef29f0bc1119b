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
//! usually a typo (`cronexpr`), and the wire form could not carry it to the master anyway.
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
use schedd_core::{Job, Overlap};
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
];

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
    for (key, value) in map {
        if SERVER_FIELDS.contains(&key.as_str()) || value.is_null() {
            continue;
        }
        if !FIELDS.contains(&key.as_str()) {
            warnings.push(format!(
                "{origin}: unknown field `{key}` in {label} is ignored{}",
                suggest(&key)
            ));
            continue;
        }
        check_type(&key, &value).map_err(|e| anyhow!("{origin}: {label}: {key}: {e}"))?;
        known.insert(key, value);
    }
    for required in ["name", "command", "cronExpr"] {
        if !known.contains_key(required) {
            bail!("{origin}: {label}: missing field `{required}`");
        }
    }
    // Every field was checked above, so this only fails on a mismatch between `FIELDS` and
    // `Job` (caught by the tests); keep serde's message all the same.
    serde_json::from_value(Value::Object(known)).map_err(|e| anyhow!("{origin}: {label}: {e}"))
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

/// ` (did you mean `cronExpr`?)` for `cronexpr`, `cron_expr` or `CronExpr`.
fn suggest(key: &str) -> String {
    let squash = |s: &str| s.replace(['_', '-'], "").to_ascii_lowercase();
    FIELDS
        .iter()
        .chain(SERVER_FIELDS)
        .find(|f| squash(f) == squash(key))
        .map_or_else(String::new, |f| format!(" (did you mean `{f}`?)"))
}

/// Checks the value of a known field against its type in `Job`, for a message that names it.
fn check_type(key: &str, value: &Value) -> Result<(), String> {
    fn is<T: DeserializeOwned>(v: &Value) -> Result<(), String> {
        T::deserialize(v).map(drop).map_err(|e| e.to_string())
    }
    match key {
        "name" | "command" | "cronExpr" | "timezone" | "description" => is::<String>(value),
        "timeout" => is::<i64>(value).map_err(|e| format!("{e} (a number of seconds)")),
        "disabled" => is::<bool>(value),
        "overlap" => is::<Overlap>(value),
        "retries" => is::<u32>(value),
        "retryBackoffMs" | "maxOutputBytes" | "catchUpSeconds" | "jitterMs" => is::<u64>(value),
        "selector" | "env" => is::<BTreeMap<String, String>>(value),
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
/// timestamps.
fn file_form(job: &Job) -> anyhow::Result<serde_norway::Value> {
    // Through serde_norway's Value rather than serde_json's: its mapping keeps the struct's
    // field order (serde_json's sorts keys unless built with `preserve_order`).
    let mut value = serde_norway::to_value(job).context("encoding a job")?;
    if let serde_norway::Value::Mapping(map) = &mut value {
        for key in SERVER_FIELDS {
            map.shift_remove(*key);
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
        let keys: Vec<String> = fields(&job).into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, FIELDS);
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

//! A strict parser of the OpenMetrics text format (what `/metrics` of masters and workers
//! serves, and Prometheus reads), for tests. Strict where the lenient parsers on crates.io
//! skip what they do not understand: every line must be metadata, a sample or the final
//! `# EOF`; every sample must belong to the family declared before it, with a suffix its
//! type allows; labels must be well formed; a family is described once and its samples come
//! together; counters are not negative; a histogram's buckets are cumulative and its `+Inf`
//! bucket equals its `_count`. An error names the line.

use std::collections::{BTreeMap, HashSet};

/// A parsed exposition: its metric families by name.
#[derive(Debug, Clone, Default)]
pub struct Exposition {
    pub families: BTreeMap<String, Family>,
}

#[derive(Debug, Clone, Default)]
pub struct Family {
    /// `counter`, `gauge`, `histogram`, `info`, ...
    pub kind: String,
    pub help: Option<String>,
    pub unit: Option<String>,
    pub samples: Vec<Sample>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// The sample's full name (`schedd_executions_total`).
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub value: f64,
}

impl Exposition {
    /// The value of the sample `name` whose labels are exactly `labels`.
    pub fn value(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        let wanted: BTreeMap<String, String> = labels
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        self.families
            .values()
            .flat_map(|f| &f.samples)
            .find(|s| s.name == name && s.labels == wanted)
            .map(|s| s.value)
    }
}

/// The suffixes a sample of a family of `kind` may add to the family's name.
fn suffixes(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "counter" => &["_total", "_created"],
        "gauge" | "unknown" | "stateset" => &[""],
        "histogram" => &["_bucket", "_count", "_sum", "_created"],
        "gaugehistogram" => &["_bucket", "_gcount", "_gsum"],
        "summary" => &["", "_count", "_sum", "_created"],
        "info" => &["_info"],
        _ => return None,
    })
}

fn is_name(s: &str, colon: bool) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || (colon && c == ':'))
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || (colon && c == ':'))
}

fn parse_value(s: &str) -> Result<f64, String> {
    match s {
        "+Inf" | "Inf" => Ok(f64::INFINITY),
        "-Inf" => Ok(f64::NEG_INFINITY),
        "NaN" => Ok(f64::NAN),
        _ if s.contains(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E') => {
            Err(format!("`{s}` is not a number"))
        }
        _ => s.parse().map_err(|e| format!("`{s}` is not a number: {e}")),
    }
}

/// `{a="1",b="x\"y"}` (without the braces) into labels.
fn parse_labels(mut s: &str) -> Result<BTreeMap<String, String>, String> {
    let mut labels = BTreeMap::new();
    while !s.is_empty() {
        let (name, rest) = s
            .split_once("=\"")
            .ok_or_else(|| format!("label `{s}` is not name=\"value\""))?;
        if !is_name(name, false) {
            return Err(format!("bad label name `{name}`"));
        }
        let mut value = String::new();
        let mut chars = rest.char_indices();
        let end = loop {
            match chars.next() {
                Some((i, '"')) => break i,
                Some((_, '\\')) => match chars.next() {
                    Some((_, '\\')) => value.push('\\'),
                    Some((_, '"')) => value.push('"'),
                    Some((_, 'n')) => value.push('\n'),
                    other => return Err(format!("bad escape in label `{name}`: {other:?}")),
                },
                Some((_, c)) => value.push(c),
                None => return Err(format!("unterminated value of label `{name}`")),
            }
        };
        if labels.insert(name.to_owned(), value).is_some() {
            return Err(format!("label `{name}` given twice"));
        }
        s = &rest[end + 1..];
        s = match s.strip_prefix(',') {
            Some(next) if !next.is_empty() => next,
            Some(_) => return Err("a trailing comma in labels".into()),
            None if s.is_empty() => s,
            None => return Err(format!("`{s}` after a label value")),
        };
    }
    Ok(labels)
}

/// Parses `text`; an error names the line (1-based) and what is wrong with it.
pub fn parse(text: &str) -> Result<Exposition, String> {
    let body = text
        .strip_suffix("# EOF\n")
        .or_else(|| text.strip_suffix("# EOF"))
        .ok_or("the exposition does not end with `# EOF`")?;
    let mut exposition = Exposition::default();
    // The family being described or sampled, and those that are done with.
    let mut current: Option<String> = None;
    let mut closed: HashSet<String> = HashSet::new();
    for (i, line) in body.lines().enumerate() {
        let at = |e: String| format!("line {}: {e}: `{line}`", i + 1);
        if line.is_empty() {
            return Err(at("an empty line".into()));
        }
        if let Some(meta) = line.strip_prefix("# ") {
            let mut parts = meta.splitn(3, ' ');
            let (keyword, name, rest) = (parts.next(), parts.next(), parts.next());
            let (Some(keyword), Some(name)) = (keyword, name) else {
                return Err(at("a comment that is not HELP, TYPE or UNIT".into()));
            };
            if !is_name(name, true) {
                return Err(at(format!("bad metric name `{name}`")));
            }
            if current.as_deref() != Some(name) {
                if closed.contains(name) || exposition.families.contains_key(name) {
                    return Err(at(format!("family `{name}` described twice")));
                }
                if let Some(done) = current.take() {
                    closed.insert(done);
                }
                current = Some(name.to_owned());
                exposition
                    .families
                    .insert(name.to_owned(), Family::default());
            }
            let family = exposition
                .families
                .get_mut(name)
                .expect("inserted just above");
            if !family.samples.is_empty() {
                return Err(at("metadata after the family's samples".into()));
            }
            let rest = rest.unwrap_or_default();
            match keyword {
                "HELP" if family.help.is_none() => family.help = Some(rest.to_owned()),
                "TYPE" if family.kind.is_empty() => {
                    if suffixes(rest).is_none() {
                        return Err(at(format!("unknown type `{rest}`")));
                    }
                    family.kind = rest.to_owned();
                }
                "UNIT" if family.unit.is_none() => {
                    if !name.ends_with(&format!("_{rest}")) {
                        return Err(at(format!("the name does not end with its unit `{rest}`")));
                    }
                    family.unit = Some(rest.to_owned());
                }
                "HELP" | "TYPE" | "UNIT" => return Err(at(format!("a second {keyword}"))),
                _ => return Err(at(format!("unknown keyword `{keyword}`"))),
            }
            continue;
        }
        if line.starts_with('#') {
            return Err(at("a comment that is not HELP, TYPE or UNIT".into()));
        }
        let (name_and_labels, value) = match line.find('{') {
            Some(open) => {
                let close = line
                    .rfind('}')
                    .ok_or_else(|| at("labels without a closing brace".into()))?;
                let labels = parse_labels(&line[open + 1..close]).map_err(at)?;
                ((&line[..open], labels), &line[close + 1..])
            }
            None => {
                let (name, _) = line
                    .split_once(' ')
                    .ok_or_else(|| at("a sample without a value".into()))?;
                ((name, BTreeMap::new()), &line[name.len()..])
            }
        };
        let (name, labels) = name_and_labels;
        let value = value
            .strip_prefix(' ')
            .ok_or_else(|| at("no space before the value".into()))?;
        let mut fields = value.split(' ');
        let value = parse_value(fields.next().unwrap_or_default()).map_err(at)?;
        if let Some(timestamp) = fields.next() {
            parse_value(timestamp).map_err(at)?;
        }
        if fields.next().is_some() {
            return Err(at("more than a value and a timestamp".into()));
        }
        let Some(family_name) = current.clone() else {
            return Err(at("a sample before any TYPE".into()));
        };
        let family = exposition
            .families
            .get_mut(&family_name)
            .expect("the current family exists");
        let allowed = suffixes(&family.kind)
            .ok_or_else(|| at(format!("family `{family_name}` has no TYPE")))?;
        let suffix = name
            .strip_prefix(family_name.as_str())
            .filter(|s| allowed.contains(s))
            .ok_or_else(|| {
                at(format!(
                    "`{name}` is not a sample of the {} `{family_name}`",
                    family.kind
                ))
            })?;
        if family.kind == "counter" && suffix == "_total" && (value < 0.0 || value.is_nan()) {
            return Err(at("a counter below zero".into()));
        }
        if suffix == "_bucket" && !labels.contains_key("le") {
            return Err(at("a bucket without `le`".into()));
        }
        family.samples.push(Sample {
            name: name.to_owned(),
            labels,
            value,
        });
    }
    for (name, family) in &exposition.families {
        if family.kind.is_empty() {
            return Err(format!("family `{name}` has no TYPE"));
        }
        if family.kind == "histogram" {
            check_histogram(name, family)?;
        }
    }
    Ok(exposition)
}

/// Buckets cumulative in `le` order, ending with `+Inf`, which equals `_count`; per series.
fn check_histogram(name: &str, family: &Family) -> Result<(), String> {
    /// One series' buckets (`le`, count) as they come, and its `_count`.
    type Series = (Vec<(f64, f64)>, Option<f64>);
    let mut series: BTreeMap<BTreeMap<String, String>, Series> = BTreeMap::new();
    for s in &family.samples {
        let mut key = s.labels.clone();
        key.remove("le");
        let entry = series.entry(key).or_default();
        if s.name.ends_with("_bucket") {
            let le = parse_value(&s.labels["le"])?;
            entry.0.push((le, s.value));
        } else if s.name.ends_with("_count") {
            entry.1 = Some(s.value);
        }
    }
    for (labels, (buckets, count)) in series {
        let fail = |e: &str| Err(format!("histogram `{name}` {labels:?}: {e}"));
        if !buckets
            .windows(2)
            .all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1)
        {
            return fail("buckets are not cumulative in `le` order");
        }
        match (buckets.last(), count) {
            (Some((le, n)), Some(count)) if le.is_infinite() && *n == count => {}
            _ => return fail("no `+Inf` bucket equal to `_count`"),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "# HELP jobs_runs Runs.\n# TYPE jobs_runs counter\n\
jobs_runs_total{status=\"ok\"} 3\njobs_runs_total{status=\"a \\\"b\\\"\"} 1\n\
# TYPE lag_seconds histogram\n# UNIT lag_seconds seconds\n\
lag_seconds_sum 0.5\nlag_seconds_count 2\nlag_seconds_bucket{le=\"0.1\"} 1\n\
lag_seconds_bucket{le=\"+Inf\"} 2\n# TYPE up gauge\nup 1\n\
# TYPE build info\nbuild_info{version=\"1\"} 1\n# EOF\n";

    #[test]
    fn a_good_exposition_parses_and_values_are_found() {
        let e = parse(GOOD).expect("parses");
        assert_eq!(e.value("jobs_runs_total", &[("status", "ok")]), Some(3.0));
        assert_eq!(
            e.value("jobs_runs_total", &[("status", "a \"b\"")]),
            Some(1.0)
        );
        assert_eq!(e.value("lag_seconds_count", &[]), Some(2.0));
        assert_eq!(e.families["lag_seconds"].unit.as_deref(), Some("seconds"));
        assert_eq!(e.value("up", &[]), Some(1.0));
        assert_eq!(e.value("up", &[("x", "y")]), None);
    }

    #[test]
    fn what_is_not_openmetrics_is_refused() {
        for (broken, why) in [
            (GOOD.replace("# EOF\n", ""), "EOF"),
            (
                GOOD.replace("jobs_runs_total{status=\"ok\"}", "jobs_runs{status=\"ok\"}"),
                "not a sample",
            ),
            (GOOD.replace("up 1", "up one"), "not a number"),
            (GOOD.replace("up 1", "down 1"), "not a sample"),
            (GOOD.replace("{le=\"+Inf\"} 2", "{le=\"+Inf\"} 3"), "+Inf"),
            (
                GOOD.replace("{le=\"0.1\"} 1", "{le=\"0.1\"} 5"),
                "cumulative",
            ),
            (GOOD.replace("status=\"ok\"", "status=ok"), "name=\"value\""),
            (
                GOOD.replace("# TYPE up gauge\n", "# TYPE jobs_runs gauge\n"),
                "twice",
            ),
            (GOOD.replace("} 3\n", "} -3\n"), "below zero"),
            (
                GOOD.replace("# TYPE up gauge\n", "# TYPE up gauge\n\n"),
                "empty line",
            ),
            (
                GOOD.replace("# UNIT lag_seconds seconds", "# UNIT lag_seconds bytes"),
                "unit",
            ),
        ] {
            let e = parse(&broken).expect_err(why);
            assert!(e.contains(why), "{why}: {e}");
        }
    }
}

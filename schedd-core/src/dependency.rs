//! Dependencies between jobs: a run that ends starts the jobs its job names in `onSuccess` or
//! `onFailure` ([`crate::Job::dependents`]). Saving a job checks that the jobs it names exist
//! and that it closes no cycle ([`check_save`]); a chain started by runs is also cut after
//! [`MAX_CHAIN_DEPTH`] links, which bounds what two saves racing each other into a cycle
//! could start.

use std::collections::{BTreeSet, HashMap};

use crate::Job;

/// Most runs in one chain: a run started by a dependency `MAX_CHAIN_DEPTH` links away from a
/// run that nothing started starts nothing more.
pub const MAX_CHAIN_DEPTH: u32 = 64;

/// What started a run through a dependency.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parent {
    pub job: String,
    pub execution_id: String,
    /// Links from the run that started the chain: 1 for a run its first run started.
    pub depth: u32,
}

/// Why a job's dependencies cannot be saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DependencyError {
    #[error("{field}: there is no job named `{name}`")]
    Missing { field: &'static str, name: String },
    #[error("onSuccess/onFailure would make a cycle: {}", .0.join(" → "))]
    Cycle(Vec<String>),
}

/// Checks `job` about to be saved against the stored jobs (`stored` by name; its own stored
/// version, if any, is replaced by `job`): every job it names exists, and no chain of
/// dependencies leads from it back to it. The cycle is named from `job` round to `job`.
pub fn check_save(job: &Job, stored: &HashMap<String, Job>) -> Result<(), DependencyError> {
    for (field, names) in [
        ("onSuccess", &job.on_success),
        ("onFailure", &job.on_failure),
    ] {
        if let Some(name) = names
            .iter()
            .find(|n| **n != job.name && !stored.contains_key(*n))
        {
            return Err(DependencyError::Missing {
                field,
                name: name.clone(),
            });
        }
    }
    let next = |name: &str| -> Vec<String> {
        let j = if name == job.name {
            Some(job)
        } else {
            stored.get(name)
        };
        j.map(|j| j.all_dependents().map(str::to_owned).collect())
            .unwrap_or_default()
    };
    // Depth-first from the job, along every edge; the graph was acyclic before, so a cycle
    // now goes through the job.
    let mut path = vec![job.name.clone()];
    let mut stack = vec![next(&job.name).into_iter()];
    let mut done = BTreeSet::new();
    while let Some(children) = stack.last_mut() {
        match children.next() {
            Some(child) if child == job.name => {
                path.push(child);
                return Err(DependencyError::Cycle(path));
            }
            Some(child) => {
                if done.contains(&child) || path.contains(&child) {
                    continue;
                }
                stack.push(next(&child).into_iter());
                path.push(child);
            }
            None => {
                stack.pop();
                if let Some(finished) = path.pop() {
                    done.insert(finished);
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(name: &str, on_success: &[&str], on_failure: &[&str]) -> Job {
        let mut j = Job::new(name, "* * * * *", "true");
        j.on_success = on_success.iter().map(|s| (*s).to_owned()).collect();
        j.on_failure = on_failure.iter().map(|s| (*s).to_owned()).collect();
        j
    }

    fn stored(jobs: &[Job]) -> HashMap<String, Job> {
        jobs.iter().map(|j| (j.name.clone(), j.clone())).collect()
    }

    #[test]
    fn a_chain_without_a_cycle_is_accepted() {
        let s = stored(&[
            job("b", &["c"], &[]),
            job("c", &[], &["d"]),
            job("d", &[], &[]),
        ]);
        check_save(&job("a", &["b"], &["d"]), &s).expect("no cycle");
        // A diamond is not a cycle.
        let s = stored(&[
            job("b", &["d"], &[]),
            job("c", &["d"], &[]),
            job("d", &[], &[]),
        ]);
        check_save(&job("a", &["b", "c"], &[]), &s).expect("diamond");
    }

    #[test]
    fn a_cycle_is_named_from_the_job_round_to_it() {
        let s = stored(&[
            job("a", &[], &[]),
            job("b", &["c"], &[]),
            job("c", &[], &["a"]),
        ]);
        assert_eq!(
            check_save(&job("a", &["b"], &[]), &s),
            Err(DependencyError::Cycle(vec![
                "a".into(),
                "b".into(),
                "c".into(),
                "a".into()
            ]))
        );
        let message = check_save(&job("a", &[], &["b"]), &s)
            .expect_err("cycle")
            .to_string();
        assert_eq!(
            message,
            "onSuccess/onFailure would make a cycle: a → b → c → a"
        );
    }

    #[test]
    fn the_saved_version_replaces_the_stored_one() {
        // Stored, `b` starts `a`; saving `b` without it removes the only way back.
        let s = stored(&[job("a", &["b"], &[]), job("b", &["a"], &[])]);
        check_save(&job("b", &[], &[]), &s).expect("the edge back is gone");
        assert!(check_save(&job("b", &["a"], &[]), &s).is_err());
    }

    #[test]
    fn a_job_not_stored_is_named() {
        let s = stored(&[job("b", &[], &[])]);
        assert_eq!(
            check_save(&job("a", &["b"], &["nope"]), &s),
            Err(DependencyError::Missing {
                field: "onFailure",
                name: "nope".into()
            })
        );
    }
}

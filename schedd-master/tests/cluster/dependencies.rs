//! Dependencies across a cluster: the end of each run of a job, whichever worker ran it,
//! starts its `onSuccess` or its `onFailure` jobs exactly once, on whichever eligible worker
//! takes the request first.

use std::collections::BTreeMap;

use testkit::eventually;

use crate::harness::{Cluster, DEADLINE, Rec, every_second};

#[test]
fn each_run_starts_its_success_or_failure_child_once_across_three_workers() {
    let mut c = Cluster::start();
    for n in 1..=3 {
        c.add_worker(n, &[]);
    }
    c.wait_for_workers(3);
    let child = |name: &str| {
        let mut j = every_second(name, "true");
        j["cronExpr"] = "0 0 0 1 1 *".into();
        j
    };
    c.put_job(child("on-ok"));
    c.put_job(child("on-fail"));
    // Every second; fails on odd seconds, so both ends come up tick after tick.
    let mut parent = every_second("parent", "test $(( $(date +%s) % 2 )) -eq 0");
    parent["onSuccess"] = serde_json::json!(["on-ok"]);
    parent["onFailure"] = serde_json::json!(["on-fail"]);
    c.put_job(parent);

    // Until at least three runs of the parent ended each way and their children ended too.
    let (parents, children) = eventually(
        "three successes and three failures of the parent, and their children",
        DEADLINE * 2,
        || {
            let records = c.records();
            let parents: Vec<Rec> = records
                .iter()
                .filter(|r| r.job == "parent")
                .cloned()
                .collect();
            let children: Vec<Rec> = records.into_iter().filter(|r| r.job != "parent").collect();
            let ended = |status: &str| parents.iter().filter(|p| p.status == status).count();
            let all_children_ended = parents
                .iter()
                .filter(|p| p.status == "success" || p.status == "failed")
                .all(|p| children.iter().any(|ch| ch.parent == p.execution_id));
            // Records reach the store from each worker on its own: a child's may come first.
            let all_parents_stored = children
                .iter()
                .all(|ch| parents.iter().any(|p| p.execution_id == ch.parent));
            (ended("success") >= 3
                && ended("failed") >= 3
                && all_children_ended
                && all_parents_stored)
                .then_some((parents, children))
        },
    );
    let mut by_parent: BTreeMap<&str, Vec<&Rec>> = BTreeMap::new();
    for ch in &children {
        assert_eq!(ch.trigger, "dependency", "{ch:?}");
        assert_eq!(ch.status, "success", "{ch:?}");
        by_parent.entry(ch.parent.as_str()).or_default().push(ch);
    }
    for p in &parents {
        let started = by_parent
            .remove(p.execution_id.as_str())
            .unwrap_or_default();
        let want: &[&str] = match p.status.as_str() {
            "success" => &["on-ok"],
            "failed" => &["on-fail"],
            // A tick skipped on a busy machine starts nothing.
            _ => &[],
        };
        let names: Vec<&str> = started.iter().map(|ch| ch.job.as_str()).collect();
        assert_eq!(names, want, "run {p:?} started {started:?}");
    }
    assert!(
        by_parent.is_empty(),
        "children without a parent run: {by_parent:?}"
    );
}

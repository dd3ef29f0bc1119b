//! A worker killed with SIGKILL: the runs it started must not go on without it (they went on
//! as orphans, and an `overlap: forbid` job ran twice once another worker took it over).

use std::path::Path;

use super::harness::{Cluster, DEADLINE, every_second};
use testkit::eventually;

/// A process as seen in `/proc/PID/stat`: its pid and start time (clock ticks since boot),
/// which together name it even after the pid has been given to another process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Process {
    pid: i32,
    start: u64,
}

impl Process {
    /// The live process `pid`, if it is one.
    fn live(pid: i32) -> Option<Process> {
        let (state, start) = stat(pid)?;
        (state != "Z" && state != "X").then_some(Process { pid, start })
    }

    /// Whether it is dead: gone, a zombie (dead, waiting for init to collect it), or its pid
    /// now another process'.
    fn dead(self) -> bool {
        Process::live(self.pid) != Some(self)
    }
}

/// (state, start time) from `/proc/PID/stat`. The command name (field 2) may hold spaces and
/// parentheses, so fields are counted from its last `)`.
fn stat(pid: i32) -> Option<(String, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // Fields 3 (state) and 22 (starttime), counted from 1 with the pid.
    Some((fields.first()?.to_string(), fields.get(19)?.parse().ok()?))
}

/// SIGKILLs what is left of `processes` when the test ends, passed or failed, so that a
/// failure leaks no `sleep 600`.
struct Survivors(Vec<Process>);

impl Drop for Survivors {
    fn drop(&mut self) {
        for p in &self.0 {
            if !p.dead() {
                let _ = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(p.pid),
                    nix::sys::signal::Signal::SIGKILL,
                );
            }
        }
    }
}

/// The pid the job wrote to `path`, once it has written it whole.
fn pid_in(path: &Path) -> Option<i32> {
    let text = std::fs::read_to_string(path).ok()?;
    text.strip_suffix('\n')?.parse().ok()
}

#[test]
fn the_runs_of_a_worker_killed_with_sigkill_are_killed_with_it() {
    let mut c = Cluster::start();
    c.add_worker(1, &[]);
    c.wait_for_workers(1);
    let dir = tempfile::tempdir().expect("temporary directory");
    let (shell_file, child_file) = (dir.path().join("shell"), dir.path().join("child"));
    // A shell that waits for a child: both are in the run's group, and the child is not the
    // process the worker spawned.
    let mut job = every_second(
        "exclusive",
        &format!(
            "sleep 600 & echo $! > '{}'; echo $$ > '{}'; wait",
            child_file.display(),
            shell_file.display()
        ),
    );
    job["overlap"] = "forbid".into();
    c.put_job(job);
    let mut survivors = Survivors(Vec::new());
    let (shell, child) = eventually("the run has started both processes", DEADLINE, || {
        Some((
            Process::live(pid_in(&shell_file)?)?,
            Process::live(pid_in(&child_file)?)?,
        ))
    });
    survivors.0 = vec![shell, child];

    c.kill_worker(0);

    eventually(
        "the killed worker's run is killed (shell and its child)",
        DEADLINE,
        || survivors.0.iter().all(|p| p.dead()).then_some(()),
    );
}

/// A worker killed during a retry: its peers record the retry `lost` (trigger `retry`, an
/// execution id of its own), beside the real record of the attempt that failed (spooled on
/// the worker, and sent once it is back). Before, the
/// run's marker still named the first attempt, whose record the store had, so the retry was
/// recorded nowhere.
#[test]
fn a_worker_killed_during_a_retry_has_the_retry_recorded_lost() {
    use schedd_proto::v1 as pb;

    let mut c = Cluster::start();
    c.add_worker(1, &[]);
    c.add_worker(2, &[]);
    c.wait_for_workers(2);
    let dir = tempfile::tempdir().expect("temporary directory");
    let (failed_once, retrying) = (dir.path().join("failed-once"), dir.path().join("retrying"));
    // Fails the first time; the retry writes its worker and runs long.
    let mut job = every_second(
        "retried",
        &format!(
            "if [ -e '{failed}' ]; then echo $$ > '{retrying}.pid'; echo $WORKER_ID > '{retrying}'; exec sleep 600; fi; touch '{failed}'; exit 1",
            failed = failed_once.display(),
            retrying = retrying.display(),
        ),
    );
    job["cronExpr"] = "0 0 0 1 1 *".into();
    job["retries"] = 1.into();
    job["retryBackoffMs"] = 100.into();
    c.put_job(job);
    let mut api = c.jobs();
    let run = eventually("run-now of retried accepted", DEADLINE, || {
        c.rt.block_on(api.run_job(pb::RunJobRequest {
            name: "retried".into(),
        }))
        .ok()
    })
    .into_inner();
    let worker = eventually("the retry to start", DEADLINE, || {
        let text = std::fs::read_to_string(&retrying).ok()?;
        text.strip_suffix('\n').map(str::to_owned)
    });
    let shell = Process::live(eventually("the retry's pid", DEADLINE, || {
        pid_in(&dir.path().join("retrying.pid"))
    }));
    let _survivors = Survivors(shell.into_iter().collect());
    let victim = match worker.as_str() {
        "worker-1" => 0,
        "worker-2" => 1,
        other => panic!("the retry ran on {other}"),
    };
    c.kill_worker(victim);
    let lost = eventually("the retry recorded lost", DEADLINE, || {
        c.records()
            .into_iter()
            .find(|r| r.job == "retried" && r.status == "lost")
    });
    // The failed attempt's record is in the killed worker's spool: it arrives once the worker
    // is back.
    c.restart_worker(victim);
    eventually(
        "the first attempt's record, from the spool",
        DEADLINE,
        || {
            c.records()
                .into_iter()
                .find(|r| r.execution_id == run.execution_id)
        },
    );
    let records: Vec<_> = c
        .records()
        .into_iter()
        .filter(|r| r.job == "retried")
        .collect();
    let first = records
        .iter()
        .find(|r| r.execution_id == run.execution_id)
        .unwrap_or_else(|| panic!("no record of the first attempt in {records:#?}"));
    assert_eq!(first.status, "failed", "{records:#?}");
    assert_ne!(lost.execution_id, run.execution_id, "{records:#?}");
    assert_eq!(
        (lost.trigger.as_str(), lost.worker.as_str()),
        ("retry", worker.as_str())
    );
    assert_eq!(records.len(), 2, "{records:#?}");
}

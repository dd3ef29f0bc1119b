//! The fault suite: a cluster (etcd, a master, three workers, each worker reaching etcd
//! through a proxy the suite can cut) under a steady load of jobs of all three overlap
//! policies, some with a catch-up window, some running longer than their interval; faults
//! injected one after another, each followed by recovery (every worker registered and
//! running ticks again); then, once the cluster has settled, every record, every run marker
//! etcd ever held and every process the jobs started go through the exactly-once checker
//! (`checker.rs`), and the test fails listing every finding.
//!
//! Two tests share the load, the recovery and the checking: one injects the faults of a
//! worker (SIGKILL a few milliseconds after a tick, once per worker, and SIGKILL mid-run of a
//! long `forbid` job; SIGSTOP past its lease; a clock 800 ms ahead; its etcd traffic cut past
//! its lease), the other those of what workers depend on (etcd stopped for 3 s and started
//! again; the master, and with it the log store, stopped for 60 s; the master SIGKILLed while
//! the records spooled meanwhile pour in). Two, not one: nextest ends a test after three
//! minutes (`.config/nextest.toml`), and the 60 s outage with its recovery takes more than a
//! third of that on a two-core machine. The faults of a worker come while it runs a long
//! `forbid` job (but for the kills at a tick), so each interrupts a run holding a lock.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use schedd_core::Overlap;
use testkit::eventually;
use testkit::proxy::TcpProxy;

use super::checker::{self, Fault, FaultKind, Finding, History, JobSpec, Window};
use super::harness::{Cluster, DEADLINE, now_ms};

/// How long the log store (the master: in cluster mode records go worker -> master ->
/// SQLite) is stopped: the number.
const LOG_STORE_OUTAGE: Duration = Duration::from_secs(60);
/// A worker killed "at a tick" dies this many milliseconds after it: when its claims of
/// the tick have been answered, and the records they call for are being made.
const KILL_AFTER_TICK_MS: i64 = 5;
/// How long etcd is down across its restart: longer than three quarters of the workers'
/// `jobLockTtl` (3 s), so every worker fences itself meanwhile.
const ETCD_OUTAGE: Duration = Duration::from_secs(3);
/// The skewed worker's clock runs this far ahead.
const CLOCK_SKEW_MS: &str = "800";
/// How long a skewed worker runs ticks before its clock is set right.
const SKEWED_FOR_MS: i64 = 8_000;
/// Ticks this close to the jobs being disabled are not checked: their claims may still be
/// in flight when the workers drop the jobs.
const END_MARGIN_MS: i64 = 3_000;
/// How long the cluster may take to settle once the load stops: every run ended, every
/// record (spooled ones included) stored. A deadline for failing, not an expected time.
const SETTLE: Duration = Duration::from_secs(60);

/// One job of the load: name, schedule, overlap, `catchUpSeconds`, how long a run takes.
type Load = (&'static str, &'static str, Overlap, u64, &'static str);

/// About a dozen runs start each second. The long `forbid` jobs run past their next tick, so
/// most of their ticks are claimed and recorded skipped (overlap), and a lock held by a dead,
/// paused or cut-off worker matters; the `replace` ones mostly end killed by their next tick.
const LOAD: &[Load] = &[
    ("allow-0", "* * * * * *", Overlap::Allow, 0, "0.1"),
    ("allow-1", "* * * * * *", Overlap::Allow, 0, "0.1"),
    ("allow-2", "* * * * * *", Overlap::Allow, 30, "0.1"),
    ("allow-3", "* * * * * *", Overlap::Allow, 30, "0.3"),
    ("allow-long-0", "*/2 * * * * *", Overlap::Allow, 0, "3"),
    ("allow-long-1", "* * * * * *", Overlap::Allow, 30, "2.5"),
    ("forbid-0", "* * * * * *", Overlap::Forbid, 0, "0.2"),
    ("forbid-1", "* * * * * *", Overlap::Forbid, 30, "0.2"),
    ("forbid-long-0", "* * * * * *", Overlap::Forbid, 0, "2.5"),
    ("forbid-long-1", "*/2 * * * * *", Overlap::Forbid, 30, "3.5"),
    ("forbid-long-2", "* * * * * *", Overlap::Forbid, 30, "1.5"),
    ("forbid-long-3", "*/3 * * * * *", Overlap::Forbid, 0, "6"),
    ("forbid-long-4", "* * * * * *", Overlap::Forbid, 0, "2.5"),
    ("forbid-long-5", "* * * * * *", Overlap::Forbid, 30, "2.5"),
    ("replace-0", "* * * * * *", Overlap::Replace, 0, "1.5"),
    ("replace-1", "* * * * * *", Overlap::Replace, 30, "1.5"),
    ("replace-2", "*/2 * * * * *", Overlap::Replace, 0, "0.5"),
    ("replace-3", "*/2 * * * * *", Overlap::Replace, 30, "3"),
];

/// The command of a job that writes its processes to `file`: it makes up a token, prints it
/// (so its record's output carries it) and appends `start <token> <worker> <ms>` to the
/// file, sleeps for the run's length, and appends `end <token> <ms>`, also when it is
/// stopped with SIGTERM (a kill, a replace, a fence). The runner gives a run no execution
/// id, so the token stands in for it; `WORKER_ID` is in the worker's environment, which a
/// run inherits.
fn command(file: &Path, run_s: &str) -> String {
    let f = file.display();
    format!(
        "t=$(cat /proc/sys/kernel/random/uuid); echo \"$t\"; \
         trap 'echo \"end $t $(date +%s%3N)\" >> {f}; exit 143' TERM; \
         echo \"start $t $WORKER_ID $(date +%s%3N)\" >> {f}; \
         sleep {run_s}; \
         echo \"end $t $(date +%s%3N)\" >> {f}"
    )
}

struct Suite {
    // Declared first, dropped first: the workers stop before their proxies go.
    c: Cluster,
    /// Worker `i` reaches etcd through `proxies[i]`.
    proxies: Vec<TcpProxy>,
    /// Where the jobs' processes write, one file per job.
    runs: PathBuf,
    jobs: Vec<JobSpec>,
    faults: Vec<Fault>,
}

impl Suite {
    /// etcd, a master, three workers each behind a proxy to etcd, and the load, running on
    /// every worker.
    fn start() -> Suite {
        let mut c = Cluster::start();
        let upstream: SocketAddr = c.etcd.endpoint().parse().expect("etcd's address");
        let proxies: Vec<TcpProxy> = (0..3).map(|_| TcpProxy::start(upstream)).collect();
        for (n, proxy) in (1..=3).zip(&proxies) {
            c.add_worker(n, &[("ETCD_ENDPOINTS", &proxy.addr().to_string())]);
        }
        c.wait_for_workers(3);
        let runs = c.dir.path().join("runs");
        std::fs::create_dir(&runs).expect("create the runs directory");
        let mut suite = Suite {
            c,
            proxies,
            runs,
            jobs: Vec::new(),
            faults: Vec::new(),
        };
        for load in LOAD {
            suite.save(load, false);
        }
        suite.recover(now_ms());
        suite
    }

    /// Saves `load` straight into etcd, as the old Go master did.
    fn save(&mut self, &(name, cron, overlap, catch_up, run_s): &Load, disabled: bool) {
        let saved_at_ms = now_ms();
        self.c.put_job(serde_json::json!({
            "name": name,
            "command": command(&self.runs.join(name), run_s),
            "cronExpr": cron,
            "timeout": 0,
            "disabled": disabled,
            "overlap": overlap.as_str(),
            "catchUpSeconds": catch_up,
            "createdAt": saved_at_ms / 1_000,
            "updatedAt": saved_at_ms / 1_000,
        }));
        if !disabled {
            self.jobs.push(JobSpec {
                name: name.to_owned(),
                cron: cron.to_owned(),
                overlap,
                catch_up_seconds: catch_up,
                saved_at_ms,
            });
        }
    }

    fn id(&self, i: usize) -> String {
        self.c.workers[i].id.clone()
    }

    /// Waits until every worker is registered and has run (and recorded) a tick after
    /// `since_ms`.
    fn recover(&self, since_ms: i64) {
        let ids: Vec<String> = (0..self.c.workers.len()).map(|i| self.id(i)).collect();
        eventually("every worker runs ticks again", DEADLINE, || {
            let registered = self.c.registrations();
            let records = self.c.records();
            ids.iter()
                .all(|id| {
                    registered.contains_key(id)
                        && records
                            .iter()
                            .any(|r| r.worker == *id && r.plan_ms > since_ms)
                })
                .then_some(())
        });
    }

    /// Waits until a process of a long `forbid` job (`job`, or any) runs on worker `i` (or,
    /// with `None`, on any worker), started less than a second ago, so that a fault
    /// interrupts a run that holds its job's lock and has most of its time still to go.
    /// Returns the worker's index.
    fn wait_until_running_exclusively(&self, i: Option<usize>, job: Option<&str>) -> usize {
        let ids: Vec<String> = (0..self.c.workers.len()).map(|i| self.id(i)).collect();
        eventually("a worker to run a long forbid job", DEADLINE, || {
            let now = now_ms();
            self.processes().iter().find_map(|p| {
                let w = ids.iter().position(|id| *id == p.worker)?;
                (i.is_none_or(|i| i == w)
                    && job.map_or(p.job.starts_with("forbid-long"), |j| p.job == j)
                    && p.end_ms.is_none()
                    && now - p.start_ms < 1_000)
                    .then_some(w)
            })
        })
    }

    /// The processes the jobs' commands wrote to their files.
    fn processes(&self) -> Vec<checker::Process> {
        self.jobs
            .iter()
            .flat_map(|j| {
                let text = std::fs::read_to_string(self.runs.join(&j.name)).unwrap_or_default();
                checker::parse_processes(&j.name, &text)
            })
            .collect()
    }

    /// Waits until worker `i`'s lease has expired: etcd dropped its entry.
    fn wait_until_unregistered(&self, i: usize) {
        let id = self.id(i);
        eventually(&format!("{id}'s lease to expire"), DEADLINE, || {
            (!self.c.registrations().contains_key(&id)).then_some(())
        });
    }

    fn fault(&mut self, kind: FaultKind, worker: Option<usize>, from_ms: i64) {
        let to_ms = now_ms();
        let worker = worker.map(|i| self.id(i));
        self.faults.push(Fault {
            kind,
            worker,
            from_ms,
            to_ms,
        });
        self.recover(to_ms);
    }

    /// SIGKILL worker `i` a few milliseconds after a tick, while the claims of that tick
    /// are being answered and their records made; once its lease has expired (its peers
    /// record its runs lost), start it again.
    fn kill_worker_at_a_tick(&mut self, i: usize) {
        // Aiming the fault, not waiting for a condition: to just after the next tick.
        let to_next_tick = 1_000 - now_ms().rem_euclid(1_000);
        std::thread::sleep(Duration::from_millis(
            u64::try_from(to_next_tick + KILL_AFTER_TICK_MS).expect("a positive delay"),
        ));
        let from = now_ms();
        self.c.kill_worker(i);
        self.wait_until_unregistered(i);
        self.c.restart_worker(i);
        self.fault(FaultKind::WorkerKilled, Some(i), from);
    }

    /// SIGKILL the worker that has just started the 6 s run of `forbid-long-3`; once its
    /// lease has expired, start it again.
    fn kill_worker_mid_run(&mut self) {
        let i = self.wait_until_running_exclusively(None, Some("forbid-long-3"));
        let from = now_ms();
        self.c.kill_worker(i);
        self.wait_until_unregistered(i);
        self.c.restart_worker(i);
        self.fault(FaultKind::WorkerKilled, Some(i), from);
    }

    /// SIGSTOP worker `i` until its lease has expired, then SIGCONT.
    fn pause_worker(&mut self, i: usize) {
        self.wait_until_running_exclusively(Some(i), None);
        let from = now_ms();
        self.c.pause_worker(i);
        self.wait_until_unregistered(i);
        self.c.resume_worker(i);
        self.fault(FaultKind::WorkerPaused, Some(i), from);
    }

    /// Restarts worker `i` with its clock [`CLOCK_SKEW_MS`] ahead, lets the cluster run
    /// ticks for [`SKEWED_FOR_MS`], and restarts it with its clock right. While it is ahead
    /// by more than the takeover grace (500 ms), it takes over every tick its owner has not
    /// claimed yet (at the skewed worker's "half a second after the tick", the owner's clock
    /// has not reached the tick), so only ticks being recorded, not every worker running
    /// some, shows the cluster going on meanwhile.
    fn skew_worker(&mut self, i: usize) {
        self.c.stop_worker(i);
        self.c
            .set_worker_env(i, "SCHEDD_TEST_CLOCK_OFFSET_MS", CLOCK_SKEW_MS);
        self.c.restart_worker(i);
        let from = now_ms();
        let until = from + SKEWED_FOR_MS;
        eventually("ticks run while a clock is skewed", DEADLINE, || {
            self.c
                .records()
                .iter()
                .any(|r| r.plan_ms > until)
                .then_some(())
        });
        self.c.stop_worker(i);
        self.c.set_worker_env(i, "SCHEDD_TEST_CLOCK_OFFSET_MS", "0");
        self.c.restart_worker(i);
        self.fault(FaultKind::WorkerClockSkewed, Some(i), from);
    }

    /// Cuts worker `i`'s connections to etcd until its lease has expired, then restores them.
    fn cut_worker(&mut self, i: usize) {
        self.wait_until_running_exclusively(Some(i), None);
        let from = now_ms();
        self.proxies[i].cut();
        self.wait_until_unregistered(i);
        self.proxies[i].restore();
        self.fault(FaultKind::WorkerCut, Some(i), from);
    }

    /// Stops etcd for [`ETCD_OUTAGE`] and starts it again on the same data.
    fn restart_etcd(&mut self) {
        let from = now_ms();
        self.c.etcd.stop();
        // The outage under test.
        std::thread::sleep(ETCD_OUTAGE);
        self.c.etcd.start_again();
        self.fault(FaultKind::EtcdRestarted, None, from);
    }

    /// Stops the master (SIGTERM) for [`LOG_STORE_OUTAGE`] and starts it again; then, while
    /// the records the workers spooled meanwhile pour in, SIGKILLs it (records it took but
    /// had not written yet die with it, and must be sent again) and starts it again.
    fn stop_log_store_then_kill_it_catching_up(&mut self) {
        let from = now_ms();
        self.c.stop_master();
        // The outage under test: the workers spool their records meanwhile.
        std::thread::sleep(LOG_STORE_OUTAGE);
        self.c.start_master();
        let restarted = now_ms();
        self.faults.push(Fault {
            kind: FaultKind::MasterStopped,
            worker: None,
            from_ms: from,
            to_ms: restarted,
        });
        eventually("the records of the outage to pour in", DEADLINE, || {
            (!self.c.by_tick(from, restarted).is_empty()).then_some(())
        });
        let killed = now_ms();
        self.c.kill_master();
        self.c.start_master();
        self.fault(FaultKind::MasterKilled, None, killed);
    }

    /// Everything the cluster left behind. Read in this order so that a later source is at
    /// least as new as an earlier one: processes, claims, markers, records, outputs.
    fn history(&self) -> History {
        let processes = self.processes();
        let claims = self.c.claim_history();
        let started = self.c.marker_history();
        let left_running = self.c.running_now();
        let records = self.c.records();
        History {
            processes,
            claims,
            started,
            left_running,
            records,
            outputs: self.c.outputs(),
        }
    }

    /// Stops the load, waits for the cluster to settle, checks the history of the whole
    /// run, and fails listing every finding.
    // The one print: what the suite injected and what the cluster left, passed or failed,
    // for whoever reads the test's output.
    #[allow(clippy::print_stderr)]
    fn finish(mut self) {
        let from_ms = self
            .jobs
            .iter()
            .map(|j| j.saved_at_ms)
            .max()
            .expect("a load");
        for load in LOAD {
            self.save(load, true);
        }
        let window = Window {
            from_ms,
            to_ms: now_ms() - END_MARGIN_MS,
        };
        let check = |h: &History| checker::check(&self.jobs, window, &self.faults, h);
        // Settled: nothing left that time could mend (runs ending, records on their way).
        let settled = testkit::within(SETTLE, || {
            let h = self.history();
            let findings = check(&h);
            (!findings.iter().any(Finding::may_settle)).then_some((h, findings))
        });
        let (h, findings) = settled.unwrap_or_else(|| {
            let h = self.history();
            let findings = check(&h);
            (h, findings)
        });
        let mut statuses = std::collections::BTreeMap::<&str, usize>::new();
        for r in &h.records {
            *statuses.entry(r.status.as_str()).or_default() += 1;
        }
        eprintln!("faults injected:");
        for f in &self.faults {
            eprintln!(
                "  {:?} {} for {} ms",
                f.kind,
                f.worker.as_deref().unwrap_or(""),
                f.to_ms - f.from_ms
            );
        }
        eprintln!(
            "{} records {statuses:?}, {} runs started, {} processes, {} findings",
            h.records.len(),
            h.started.len(),
            h.processes.len(),
            findings.len()
        );
        assert!(
            findings.is_empty(),
            "{} findings after {:?}:\n{}",
            findings.len(),
            self.faults,
            findings
                .iter()
                .map(|f| format!("  {f}"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

#[test]
fn faults_of_a_worker_leave_every_tick_run_once_or_recorded_and_every_run_recorded() {
    let mut s = Suite::start();
    s.pause_worker(2);
    s.skew_worker(1);
    s.cut_worker(0);
    s.finish();
}

/// A worker killed with SIGKILL at a tick (its claims answered, their records being made)
/// and in the middle of a `forbid` run: its runs die with it (its reaper kills their
/// process groups), so no second run of a `forbid` job starts beside them once its lease
/// expires; a skip it claimed is recorded by its peers from the claim's `owed/` marker; and
/// a run's marker stays until its record is spooled, so each run has its real record or a
/// `lost` one.
#[test]
fn a_worker_killed_with_sigkill_leaves_every_tick_run_once_or_recorded_and_every_run_recorded() {
    let mut s = Suite::start();
    for i in 0..3 {
        s.kill_worker_at_a_tick(i);
    }
    s.kill_worker_mid_run();
    s.finish();
}

#[test]
fn faults_of_etcd_and_the_master_leave_every_tick_run_once_or_recorded_and_every_run_recorded() {
    let mut s = Suite::start();
    s.restart_etcd();
    s.stop_log_store_then_kill_it_catching_up();
    s.finish();
}

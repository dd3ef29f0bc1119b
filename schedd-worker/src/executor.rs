//! Runs one job command on the worker: `sh -c COMMAND` in a process group of its own, with
//! stdin from `/dev/null`, the worker's environment plus `ExecSpec::env`, stdout and stderr
//! captured (bounded), an optional timeout, and cancellation through a [`CancellationToken`].
//!
//! This module owns the job's whole process tree, i.e. its process group (pgid = pid of the
//! `sh` it spawns), and these are the cleanup rules:
//!
//! * **A job's processes do not outlive the job.** When the main `sh` process exits by itself,
//!   whatever it left running in its group (`sleep 300 & echo done`) is sent SIGKILL at once, and
//!   only then are the pipes drained. Otherwise a background child holding stdout open would keep
//!   [`run`] waiting for as long as that child lives.
//! * **Timeout and kill stop the whole group**: SIGTERM to the group, then up to
//!   `ExecSpec::kill_grace` (default [`DEFAULT_KILL_GRACE`], 1 s) for it to go away, then SIGKILL
//!   to the group. If the main process dies early in the grace period, the rest of the group
//!   still gets the remainder of the grace to clean up (the shell usually dies on SIGTERM at once
//!   while the programs it started are still shutting down), and is SIGKILLed only if still alive
//!   when the grace ends. Zombies count as gone: they are dead, merely not yet reaped by init.
//! * **Dropping the future returned by [`run`] kills the group** with SIGKILL (a drop guard), and
//!   tokio's `kill_on_drop` kills and reaps the main process, so an abandoned run leaks nothing.
//! * SIGKILL takes effect asynchronously (when the process is next scheduled), so after sending
//!   it [`run`] waits, up to [`KILL_WAIT`], for the group to have no live process left.
//! * After the group is killed the pipes are drained for at most [`DRAIN_TIMEOUT`]: a process that
//!   left the group (`setsid`) is beyond our reach and may hold a pipe open forever; its output
//!   past that point is dropped (and it gets SIGPIPE) rather than [`run`] hanging.
//! * **The groups do not outlive the worker either**: each group is reported to the
//!   [`reaper`](crate::reaper) right after its spawn and again once it is dead or given up on,
//!   and the reaper SIGKILLs the groups still reported when the worker dies, even by SIGKILL,
//!   where none of the rules above gets to run.
//!
//! Processes are spawned by a small pool of threads, one per core (see [`SpawnPool`]), so a
//! burst of jobs due in the same second starts as fast as the machine can spawn them and the
//! async runtime is not blocked meanwhile; `sh` is spawned by absolute path with
//! `posix_spawn`-compatible settings (see [`shell`]).
//!
//! Known limit: a process that moved to another process group or session escapes the kill (only
//! a cgroup could track it). Signalling a group by number after its leader was reaped can in
//! theory hit a reused pgid; we only do it immediately after reaping, or while the group is
//! observed to still have live members (which keeps the number in use), so the window is tiny.
//!
//! Output capture keeps at most `max_output_bytes` per stream: the first half and the last half of
//! what the stream produced, joined by a `\n... [N bytes truncated] ...\n` marker line, so memory
//! stays bounded however much a job prints. Bytes are converted to text lossily.
//!
//! Exit codes in [`ExecOutcome::exit_code`]: `Exited(c)` gives `c`; `Signalled(s)` gives
//! `128 + s` like a shell; `TimedOut`, `Killed` and `FailedToStart` give `-1` (the job produced
//! no exit code of its own: whatever status the stopped process had was caused by us).

use std::{
    collections::{BTreeMap, VecDeque},
    io,
    os::unix::process::ExitStatusExt,
    process::{ExitStatus, Stdio},
    time::Duration,
};

use chrono::{DateTime, Utc};
use nix::{
    errno::Errno,
    sys::signal::{Signal, kill, killpg},
    unistd::{Pid, getpgid},
};
use schedd_core::OutputStream as Stream;
use tokio::{
    io::{AsyncRead, AsyncReadExt},
    process::{Child, Command},
    time::Instant,
};
use tokio_util::sync::CancellationToken;

/// Grace between SIGTERM and SIGKILL that callers should use unless configured otherwise.
pub const DEFAULT_KILL_GRACE: Duration = Duration::from_secs(1);

/// How long the pipes are still read once every process of the group is dead (or killed). Data
/// already in a pipe is read in microseconds; this bound only matters when a process outside the
/// group still holds the write end.
pub const DRAIN_TIMEOUT: Duration = Duration::from_millis(500);

/// How long to wait for SIGKILLed processes to actually die before giving up on them (only a
/// process stuck in uninterruptible I/O takes more than milliseconds).
pub const KILL_WAIT: Duration = Duration::from_secs(1);

/// Size of one read from a pipe.
const READ_CHUNK: usize = 16 * 1024;

/// Bounds of the back-off while polling for the group to die.
const GROUP_POLL_MIN: Duration = Duration::from_millis(1);
const GROUP_POLL_MAX: Duration = Duration::from_millis(50);

/// What to run and under which limits.
#[derive(Debug, Clone)]
pub struct ExecSpec {
    /// Shell command line, run as `sh -c COMMAND`.
    pub command: String,
    /// Added to (or overriding) the worker's own environment.
    pub env: BTreeMap<String, String>,
    /// Wall-clock limit counted from the spawn; `None` for no limit.
    pub timeout: Option<Duration>,
    /// Per stream (stdout, stderr): bytes of output kept (head half + tail half).
    pub max_output_bytes: usize,
    /// Time between SIGTERM and SIGKILL when stopping the job; see [`DEFAULT_KILL_GRACE`].
    pub kill_grace: Duration,
    /// Sees every chunk of output as it is read, before it is bounded (live output).
    pub tap: Option<OutputTap>,
}

/// A callback for output as it is produced: `(stream, bytes)`. It runs on the reading task,
/// so it must be quick and must not block (the runner forwards into a broadcast channel).
#[derive(Clone)]
pub struct OutputTap(pub std::sync::Arc<TapFn>);

/// What an [`OutputTap`] calls.
pub type TapFn = dyn Fn(Stream, &[u8]) + Send + Sync;

impl std::fmt::Debug for OutputTap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OutputTap")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Termination {
    /// Exited by itself with this code.
    Exited(i32),
    /// Stopped by a signal not sent by us (code reported as 128 + signal, like a shell).
    Signalled(i32),
    TimedOut,
    Killed,
    /// Could not be started (spawn failed); `error` says why.
    FailedToStart,
    /// A response with this HTTP status arrived (an HTTP job, see [`crate::http_job`]);
    /// `error` says whether the status was one the job expects.
    Responded(u16),
}

#[derive(Debug, Clone)]
pub struct ExecOutcome {
    /// Right after the spawn returned (for `FailedToStart`: when the spawn failed).
    pub started_at: DateTime<Utc>,
    /// After the process tree was gone and the output drained.
    pub ended_at: DateTime<Utc>,
    pub termination: Termination,
    /// `Exited(c)` -> `c`; `Signalled(s)` -> `128 + s`; `Responded(status)` -> the status;
    /// `TimedOut`, `Killed`, `FailedToStart` -> -1.
    pub exit_code: i32,
    pub stdout: String,
    pub stderr: String,
    /// Either stream was truncated.
    pub output_truncated: bool,
    /// Human reason for anything but `Exited(0)`: "timed out after 30s", "killed",
    /// "exit status 3", "killed by signal 9 (SIGKILL)", "failed to start: ...".
    pub error: Option<String>,
}

/// Runs the command to completion, timeout, or cancellation of `kill`.
/// `on_start` is called once with the process group id right after the spawn (the scheduler uses
/// it to record the start); it is not called if the spawn fails. A token that is already cancelled
/// still starts the job, which is then stopped at once like any killed job.
///
/// Returns only once every process of the job's group is gone (see the module docs; a process
/// stuck in uninterruptible I/O is given up on after [`KILL_WAIT`]). Dropping the returned future
/// kills the group.
pub async fn run(
    spec: &ExecSpec,
    kill: CancellationToken,
    on_start: impl FnOnce(u32) + Send,
) -> ExecOutcome {
    // A job that sets its own `PATH` gets the `sh` that `PATH` names, as it always has (at the
    // price of fork + exec, see [`shell`]).
    let program = if spec.env.contains_key("PATH") {
        std::path::Path::new("sh")
    } else {
        shell()
    };
    let mut cmd = Command::new(program);
    cmd.arg("-c")
        .arg(&spec.command)
        .envs(&spec.env)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Own group, so that the whole tree can be signalled at once and nothing of ours
        // (or of other jobs) is hit.
        .process_group(0)
        // Backstop for the main process if this future is dropped; the group is handled by
        // `Job`'s drop guard.
        .kill_on_drop(true);

    let (mut child, started_at) = match spawn(cmd).await {
        Ok(spawned) => spawned,
        Err(e) => return failed_to_start(format!("failed to start: {e}")),
    };

    let Some(pgid) = pgid_of(&child) else {
        // Never reported to the reaper either (see `spawn_here`): nothing to forget.
        let _ = child.start_kill();
        return failed_to_start("failed to start: spawned process has no usable pid".to_owned());
    };
    let pgid_u32 = pgid.unsigned_abs();
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    // Created right after the spawn so that nothing between here and the spawn can leak the group
    // (and, when dropped, it tells the reaper that the group is done with).
    let mut job = Job {
        child,
        pgid: Pid::from_raw(pgid),
        leader_reaped: false,
        armed: true,
    };
    tracing::debug!(pgid, command = %spec.command, "job started");
    on_start(pgid_u32);

    // Cancelled by the supervisor once the group is dead; from then on the readers only drain
    // what is left, for at most DRAIN_TIMEOUT.
    let group_dead = CancellationToken::new();
    let ((termination, wait_error), (stdout, out_truncated), (stderr, err_truncated)) = tokio::join!(
        supervise(&mut job, spec, &kill, &group_dead),
        capture(
            stdout,
            spec.max_output_bytes,
            &group_dead,
            pgid,
            Stream::Stdout,
            spec.tap.as_ref()
        ),
        capture(
            stderr,
            spec.max_output_bytes,
            &group_dead,
            pgid,
            Stream::Stderr,
            spec.tap.as_ref()
        ),
    );
    let ended_at = Utc::now();

    let error = wait_error.or_else(|| describe(termination, spec.timeout));
    tracing::debug!(pgid, ?termination, "job finished");
    ExecOutcome {
        started_at,
        ended_at,
        termination,
        exit_code: exit_code(termination),
        stdout,
        stderr,
        output_truncated: out_truncated || err_truncated,
        error,
    }
}

fn failed_to_start(error: String) -> ExecOutcome {
    tracing::warn!(%error, "job could not be started");
    let now = Utc::now();
    ExecOutcome {
        started_at: now,
        ended_at: now,
        termination: Termination::FailedToStart,
        exit_code: -1,
        stdout: String::new(),
        stderr: String::new(),
        output_truncated: false,
        error: Some(error),
    }
}

fn exit_code(termination: Termination) -> i32 {
    match termination {
        Termination::Exited(code) => code,
        Termination::Signalled(sig) => 128 + sig,
        Termination::Responded(status) => i32::from(status),
        Termination::TimedOut | Termination::Killed | Termination::FailedToStart => -1,
    }
}

fn describe(termination: Termination, timeout: Option<Duration>) -> Option<String> {
    match termination {
        Termination::Exited(0) => None,
        Termination::Exited(code) => Some(format!("exit status {code}")),
        Termination::Signalled(sig) => Some(match Signal::try_from(sig) {
            Ok(signal) => format!("killed by signal {sig} ({})", signal.as_str()),
            Err(_) => format!("killed by signal {sig}"),
        }),
        Termination::TimedOut => Some(match timeout {
            Some(t) => format!("timed out after {t:?}"),
            None => "timed out".to_owned(),
        }),
        Termination::Killed => Some("killed".to_owned()),
        Termination::FailedToStart => Some("failed to start".to_owned()),
        // Only HTTP jobs respond, and `http_job` sets their error itself.
        Termination::Responded(_) => None,
    }
}

/// The `sh` that jobs run under: `sh` looked up once in the worker's `PATH` (as `execvp` would),
/// falling back to plain `sh` when the lookup is not certain to agree with `execvp` (no `PATH`,
/// a relative entry before the first match).
///
/// Why an absolute path: with plain `sh`, every spawn makes the kernel try `execve` in each
/// `PATH` directory before the one holding `sh` (8 failed tries on a developer machine, while
/// the spawning thread waits); and the standard library gives up `posix_spawn` for a
/// slow fork + exec when the job's env sets `PATH` and the program is not a path. Looked up once
/// because the worker's own `PATH` does not change while it runs; a `sh` installed earlier in
/// `PATH` later is picked up on restart. The benchmark spawns this same `sh` for its baseline.
pub fn shell() -> &'static std::path::Path {
    static SHELL: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    SHELL.get_or_init(|| {
        std::env::var_os("PATH")
            .and_then(|path| find_in_path("sh", &path))
            .unwrap_or_else(|| "sh".into())
    })
}

/// The first executable regular file `name` in a `PATH` value, or `None` when the answer
/// depends on the current directory (an empty or relative entry comes first) or there is none.
fn find_in_path(name: &str, path: &std::ffi::OsStr) -> Option<std::path::PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    for dir in std::env::split_paths(path) {
        if !dir.is_absolute() {
            return None;
        }
        let candidate = dir.join(name);
        // `execvp` skips what it cannot execute, so a non-executable `sh` is skipped too.
        if std::fs::metadata(&candidate)
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        {
            return Some(candidate);
        }
    }
    None
}

/// Spawns `cmd` on a thread of the spawn pool (see [`SpawnPool`]); returns the child and the
/// time right after the spawn returned. Cancel safe: a child spawned for a caller that is gone
/// has its group killed (see [`PendingSpawn`]). Spawns on the calling thread when the pool
/// cannot run or the caller is not in a tokio runtime (the spawn then reports why).
async fn spawn(cmd: Command) -> io::Result<(Child, DateTime<Utc>)> {
    let (Some(pool), Ok(runtime)) = (SpawnPool::get(), tokio::runtime::Handle::try_current())
    else {
        return spawn_here(cmd);
    };
    let (reply, answer) = tokio::sync::oneshot::channel();
    if let Err(std::sync::mpsc::SendError(request)) = pool.requests.send(SpawnRequest {
        cmd,
        runtime,
        reply,
    }) {
        // Only if every pool thread died, which nothing in their loop does.
        return spawn_here(request.cmd);
    }
    let mut pending = PendingSpawn(answer);
    (&mut pending.0)
        .await
        .unwrap_or_else(|_| Err(io::Error::other("the spawning thread went away")))
}

/// Spawns `cmd`, which leads a process group of its own (`process_group(0)`, as [`run`] and the
/// tests set it up), and reports the group to the [`reaper`](crate::reaper) at once: from here
/// on the child is in a `Job` or [`abandon`]ed, and either tells the reaper when it is done.
fn spawn_here(mut cmd: Command) -> io::Result<(Child, DateTime<Utc>)> {
    let child = cmd.spawn()?;
    let started_at = Utc::now();
    if let Some(pgid) = pgid_of(&child) {
        crate::reaper::watch(pgid);
    }
    Ok((child, started_at))
}

/// The process group a child spawned by [`spawn_here`] leads: its pid. `id()` is only `None` once
/// the child has been reaped, which cannot have happened while we hold it unwaited. The pgid must
/// be > 1: signalling group 0 would hit the worker's own group, and -1 everything.
fn pgid_of(child: &Child) -> Option<i32> {
    child
        .id()
        .and_then(|pid| i32::try_from(pid).ok())
        .filter(|&pid| pid > 1)
}

/// A fixed pool of plain threads, one per core, that spawn the jobs' processes in the order
/// asked: a burst of due jobs starts as fast as the machine can spawn, without blocking the
/// async runtime.
///
/// Why: a spawn blocks its thread until the child has exec'd (`posix_spawn` suspends the caller
/// like `vfork`), a fraction of a millisecond, and tokio's `Command::spawn` does it on the
/// calling thread. A thousand jobs due in the same second thus kept the runtime's threads busy
/// spawning for most of a second, with timers, output and heartbeats waiting behind them; and
/// on a single-threaded runtime the spawns were strictly serial. Rejected alternatives:
/// `spawn_blocking` (up to 512 threads on 2 cores, created and torn down around each burst,
/// and no order among the jobs of a burst) and a single thread (spawns are independent work of
/// the calling thread and run side by side on as many cores; more threads than cores only
/// compete with the children just started). Limit: where the children's own start-up saturates
/// the cores (`e2e` on a 2-core VM, where each `sh` spends about a millisecond in the dynamic
/// loader), no spawning strategy starts a burst faster than the machine does.
///
/// Each request carries the caller's runtime handle, entered around the spawn, so the child's
/// pipes and exit notification are registered with the runtime that awaits them (tests run one
/// runtime each). The settings stay `posix_spawn`-friendly: [`shell`] by absolute path, a
/// process group via `process_group` rather than a `pre_exec` closure (which would force fork +
/// exec, slow from a process with a large address space).
struct SpawnPool {
    requests: std::sync::mpsc::Sender<SpawnRequest>,
}

struct SpawnRequest {
    cmd: Command,
    runtime: tokio::runtime::Handle,
    reply: tokio::sync::oneshot::Sender<io::Result<(Child, DateTime<Utc>)>>,
}

impl SpawnPool {
    /// The pool, started on first use; `None` if not one thread could be started.
    fn get() -> Option<&'static SpawnPool> {
        static POOL: std::sync::OnceLock<Option<SpawnPool>> = std::sync::OnceLock::new();
        POOL.get_or_init(SpawnPool::start).as_ref()
    }

    fn start() -> Option<SpawnPool> {
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        let (requests, queue) = std::sync::mpsc::channel();
        // One queue shared by all threads (std's receiver is single-consumer, hence the mutex):
        // whichever thread is free takes the oldest request. The lock is held only to wait and
        // take one request, never across a spawn.
        let queue = std::sync::Arc::new(std::sync::Mutex::new(queue));
        let mut started = 0;
        for i in 0..threads {
            let queue = std::sync::Arc::clone(&queue);
            match std::thread::Builder::new()
                .name(format!("schedd-spawn-{i}"))
                .spawn(move || serve_spawns(&queue))
            {
                Ok(_) => started += 1,
                Err(error) => tracing::warn!(%error, "could not start a process spawning thread"),
            }
        }
        if started == 0 {
            tracing::warn!("no process spawning thread; spawning on the runtime's threads");
        }
        (started > 0).then_some(SpawnPool { requests })
    }
}

/// The loop of a pool thread; runs for the life of the process (the pool is never dropped).
fn serve_spawns(queue: &std::sync::Mutex<std::sync::mpsc::Receiver<SpawnRequest>>) {
    loop {
        // A poisoned lock only means another thread panicked while waiting; the queue is fine.
        let next = queue
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .recv();
        let Ok(SpawnRequest {
            cmd,
            runtime,
            reply,
        }) = next
        else {
            return;
        };
        let _runtime = runtime.enter();
        if let Err(Ok((child, _))) = reply.send(spawn_here(cmd)) {
            // The run was dropped while its process was being spawned.
            abandon(child);
        }
    }
}

/// The answer of the spawn pool, awaited by `spawn`. Dropped before the answer was taken (the
/// run future was dropped), it makes sure that a child spawned anyway does not outlive the run:
/// either the pool thread finds the channel closed and abandons the child, or the child is
/// already in the channel and is abandoned here.
struct PendingSpawn(tokio::sync::oneshot::Receiver<io::Result<(Child, DateTime<Utc>)>>);

impl Drop for PendingSpawn {
    fn drop(&mut self) {
        self.0.close();
        if let Ok(Ok((child, _))) = self.0.try_recv() {
            abandon(child);
        }
    }
}

/// Kills the group of a child nobody waits for, and tells the reaper so; dropping it then kills
/// (`kill_on_drop`) and reaps the main process. Its pid cannot have been reused: the child is not
/// reaped yet.
fn abandon(child: Child) {
    if let Some(pgid) = pgid_of(&child) {
        let _ = killpg(Pid::from_raw(pgid), Signal::SIGKILL);
        crate::reaper::forget(pgid);
    }
    drop(child);
}

/// The running job: main process plus the process group it leads.
///
/// Dropping it while `armed` SIGKILLs the group. The drop runs before the `Child` field is dropped
/// (and reaped by tokio), so the group leader, alive or zombie, still pins the pgid then. Dropping
/// it, armed or not, tells the reaper the group is done with: every `Job` is made from a child
/// [`spawn_here`] reported.
struct Job {
    child: Child,
    pgid: Pid,
    leader_reaped: bool,
    /// The group may still have members we are responsible for.
    armed: bool,
}

impl Job {
    /// Waits for (and reaps) the main process. Cancel safe, like `Child::wait`.
    async fn wait_leader(&mut self) -> io::Result<ExitStatus> {
        let res = self.child.wait().await;
        if res.is_ok() {
            self.leader_reaped = true;
        }
        res
    }

    /// Sends `signal` to the group, and to the main process too if it is still ours to signal
    /// and has moved out of the group (`exec setsid ...`), which killpg would miss.
    fn signal(&self, signal: Signal) {
        if let Err(e) = killpg(self.pgid, signal)
            && e != Errno::ESRCH
        {
            tracing::warn!(pgid = %self.pgid, %signal, error = %e, "killpg failed");
        }
        // Unreaped, the leader's pid cannot have been reused, so signalling it by pid is safe.
        if !self.leader_reaped && getpgid(Some(self.pgid)).is_ok_and(|g| g != self.pgid) {
            let _ = kill(self.pgid, signal);
        }
    }

    /// Final SIGKILL of whatever is left of the group; the guard has nothing left to do after it.
    fn kill_group(&mut self) {
        self.signal(Signal::SIGKILL);
        self.armed = false;
    }

    /// SIGKILL is asynchronous: a process dies when it next gets scheduled, which on a busy
    /// machine can be a while after the signal. Waits (at most KILL_WAIT) until it happened, so
    /// that `run` returning means the job's processes are gone.
    async fn await_killed_group(&self) {
        let deadline = Instant::now() + KILL_WAIT;
        if !group_died_by(self.pgid, deadline).await {
            tracing::warn!(
                pgid = %self.pgid,
                "processes of the job still alive {KILL_WAIT:?} after SIGKILL (uninterruptible sleep?)"
            );
        }
    }

    /// SIGTERM, up to `grace` for the group to go away, then SIGKILL. Returns the main process'
    /// exit status (or the error from waiting for it).
    async fn terminate(&mut self, grace: Duration) -> io::Result<ExitStatus> {
        let now = Instant::now();
        // A huge grace must not overflow the clock: a year is as good as forever here.
        let deadline = now
            .checked_add(grace)
            .unwrap_or_else(|| now + Duration::from_secs(365 * 24 * 3600));
        self.signal(Signal::SIGTERM);
        let status = match tokio::time::timeout_at(deadline, self.wait_leader()).await {
            Ok(status) => status,
            Err(_elapsed) => {
                tracing::info!(pgid = %self.pgid, ?grace, "job ignored SIGTERM, sending SIGKILL");
                self.kill_group();
                // After SIGKILL the leader dies promptly (barring uninterruptible I/O, which
                // nothing could shorten).
                let status = self.wait_leader().await;
                self.await_killed_group().await;
                return status;
            }
        };
        // The main process is gone but its children may still be cleaning up: give them the rest
        // of the grace period.
        if group_died_by(self.pgid, deadline).await {
            // Nothing alive is left; no signal needed (and none sent to a pgid that might soon
            // be free for reuse).
            self.armed = false;
        } else {
            tracing::info!(pgid = %self.pgid, ?grace, "job's children ignored SIGTERM, sending SIGKILL");
            self.kill_group();
            self.await_killed_group().await;
        }
        status
    }
}

/// Polls (with back-off) until group `pgid` has no live member, or `deadline`; returns whether
/// it died. Polling is all there is: no event tells when a process group becomes empty.
async fn group_died_by(pgid: Pid, deadline: Instant) -> bool {
    let mut pause = GROUP_POLL_MIN;
    loop {
        if !group_alive(pgid).await {
            return true;
        }
        let now = Instant::now();
        if now >= deadline {
            return false;
        }
        tokio::time::sleep(pause.min(deadline - now)).await;
        pause = (pause * 2).min(GROUP_POLL_MAX);
    }
}

impl Drop for Job {
    fn drop(&mut self) {
        if self.armed {
            tracing::debug!(pgid = %self.pgid, "run dropped before the job ended, killing its group");
            self.signal(Signal::SIGKILL);
        }
        // Dead, SIGKILLed, or (stuck past KILL_WAIT) given up on.
        crate::reaper::forget(self.pgid.as_raw());
    }
}

/// [`group_has_live_members`] off the async threads: the cheap check inline, the scan of
/// /proc (thousands of files on a busy host) on a blocking thread.
async fn group_alive(pgid: Pid) -> bool {
    if killpg(pgid, None) == Err(Errno::ESRCH) {
        return false;
    }
    tokio::task::spawn_blocking(move || group_has_live_members(pgid))
        .await
        .unwrap_or(true)
}

/// Whether a process of group `pgid` is still alive (zombies don't count: they are dead and only
/// wait for their parent, often init after reparenting, to reap them). Scans /proc; falls back
/// to `killpg(pgid, 0)` (which counts zombies) if /proc can't be read.
fn group_has_live_members(pgid: Pid) -> bool {
    // Cheap first check; it cannot tell zombies from the living, hence the scan below.
    if killpg(pgid, None) == Err(Errno::ESRCH) {
        return false;
    }
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return true;
    };
    let pgid = pgid.as_raw();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        // The process may vanish between listing and reading: that is just "not alive".
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        if let Some((state, pgrp)) = parse_stat(&stat)
            && pgrp == pgid
            && state != "Z"
            && state != "X"
        {
            return true;
        }
    }
    false
}

/// (state, pgrp) from a /proc/PID/stat line. The command name (field 2) may contain spaces and
/// parentheses, so fields are counted from its last ')'.
fn parse_stat(stat: &str) -> Option<(&str, i32)> {
    let (_, rest) = stat.rsplit_once(')')?;
    let mut fields = rest.split_whitespace();
    let state = fields.next()?;
    let _ppid = fields.next()?;
    let pgrp = fields.next()?.parse().ok()?;
    Some((state, pgrp))
}

/// Waits for the job to end by itself, time out, or be killed; always leaves the group dead (or
/// dying of SIGKILL) and cancels `group_dead`. Returns the termination and, when the exit status
/// could not be obtained, the error to report instead of the usual description.
async fn supervise(
    job: &mut Job,
    spec: &ExecSpec,
    kill: &CancellationToken,
    group_dead: &CancellationToken,
) -> (Termination, Option<String>) {
    let result = supervise_inner(job, spec, kill).await;
    group_dead.cancel();
    result
}

async fn supervise_inner(
    job: &mut Job,
    spec: &ExecSpec,
    kill: &CancellationToken,
) -> (Termination, Option<String>) {
    let timeout = async {
        match spec.timeout {
            Some(t) => tokio::time::sleep(t).await,
            None => std::future::pending().await,
        }
    };
    let stopped_by_us = tokio::select! {
        // The job's own exit wins over a kill or timeout that became due at the same moment.
        biased;
        status = job.wait_leader() => {
            // Main process done: the job is over, its leftovers must not outlive it (nor hold
            // our pipes open).
            job.kill_group();
            job.await_killed_group().await;
            return match status {
                Ok(status) => (termination_of(status), None),
                Err(e) => {
                    tracing::warn!(pgid = %job.pgid, error = %e, "could not wait for job");
                    (Termination::Exited(-1), Some(format!("could not get exit status: {e}")))
                }
            };
        }
        () = kill.cancelled() => Termination::Killed,
        () = timeout => Termination::TimedOut,
    };
    tracing::info!(pgid = %job.pgid, reason = ?stopped_by_us, "stopping job");
    if let Err(e) = job.terminate(spec.kill_grace).await {
        // Stopped all the same; only its (irrelevant) status is unknown.
        tracing::warn!(pgid = %job.pgid, error = %e, "could not wait for stopped job");
    }
    (stopped_by_us, None)
}

fn termination_of(status: ExitStatus) -> Termination {
    match (status.code(), status.signal()) {
        (Some(code), _) => Termination::Exited(code),
        (None, Some(sig)) => Termination::Signalled(sig),
        // wait() reports only exits and deaths by signal; kept total anyway.
        (None, None) => Termination::Exited(-1),
    }
}

/// Reads one stream to EOF while the job runs, keeping a bounded head and tail. Once `group_dead`
/// is cancelled, reads on for at most DRAIN_TIMEOUT. Returns the text and whether it was
/// truncated.
async fn capture<R: AsyncRead + Unpin>(
    stream: Option<R>,
    max_bytes: usize,
    group_dead: &CancellationToken,
    pgid: i32,
    which: Stream,
    tap: Option<&OutputTap>,
) -> (String, bool) {
    let name = match which {
        Stream::Stdout => "stdout",
        Stream::Stderr => "stderr",
    };
    let mut captured = BoundedCapture::new(max_bytes);
    let Some(mut stream) = stream else {
        return captured.finish();
    };
    let drain_deadline = async {
        group_dead.cancelled().await;
        tokio::time::sleep(DRAIN_TIMEOUT).await;
    };
    tokio::pin!(drain_deadline);
    let mut buf = vec![0u8; READ_CHUNK];
    loop {
        tokio::select! {
            // `read` is cancel safe: losing the race to the deadline loses no data.
            res = stream.read(&mut buf) => match res {
                Ok(0) => break,
                Ok(n) => {
                    if let Some(tap) = tap {
                        (tap.0)(which, &buf[..n]);
                    }
                    captured.push(&buf[..n]);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    tracing::warn!(pgid, stream = name, error = %e, "reading job output failed");
                    break;
                }
            },
            () = &mut drain_deadline => {
                tracing::warn!(
                    pgid,
                    stream = name,
                    "job output still open after its process group died \
                     (held by a process outside the group?); not reading further"
                );
                break;
            }
        }
    }
    captured.finish()
}

/// Keeps the first `max / 2` and the last `max - max / 2` bytes of a stream.
#[derive(Debug)]
pub(crate) struct BoundedCapture {
    head: Vec<u8>,
    head_limit: usize,
    tail: VecDeque<u8>,
    tail_limit: usize,
    /// Bytes dropped from the middle.
    dropped: u64,
}

impl BoundedCapture {
    pub(crate) fn new(max: usize) -> Self {
        let head_limit = max / 2;
        Self {
            // Grown as output arrives: most jobs print far less than the limit.
            head: Vec::new(),
            head_limit,
            tail: VecDeque::new(),
            tail_limit: max - head_limit,
            dropped: 0,
        }
    }

    pub(crate) fn push(&mut self, mut data: &[u8]) {
        if self.head.len() < self.head_limit {
            let n = (self.head_limit - self.head.len()).min(data.len());
            self.head.extend_from_slice(&data[..n]);
            data = &data[n..];
        }
        if data.is_empty() {
            return;
        }
        if data.len() >= self.tail_limit {
            // Only the end of this chunk can survive: skip copying the rest.
            let keep = &data[data.len() - self.tail_limit..];
            self.dropped += (self.tail.len() + data.len() - keep.len()) as u64;
            self.tail.clear();
            self.tail.extend(keep);
        } else {
            let overflow = (self.tail.len() + data.len()).saturating_sub(self.tail_limit);
            self.tail.drain(..overflow);
            self.dropped += overflow as u64;
            self.tail.extend(data);
        }
    }

    pub(crate) fn finish(self) -> (String, bool) {
        let Self {
            mut head,
            mut tail,
            dropped,
            ..
        } = self;
        if dropped == 0 {
            // Contiguous output: convert in one piece so that a character spanning the
            // head/tail boundary survives.
            head.extend(tail);
            return (String::from_utf8_lossy(&head).into_owned(), false);
        }
        let mut text = String::from_utf8_lossy(&head).into_owned();
        text.push_str(&schedd_core::truncation_marker(dropped));
        text.push_str(&String::from_utf8_lossy(tail.make_contiguous()));
        (text, true)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    };
    use tokio::sync::oneshot;

    const LONG: Duration = Duration::from_secs(10);

    fn spec(command: &str) -> ExecSpec {
        ExecSpec {
            tap: None,
            command: command.to_owned(),
            env: BTreeMap::new(),
            // A safety net so that a broken test fails instead of hanging.
            timeout: Some(Duration::from_secs(60)),
            max_output_bytes: 64 * 1024,
            kill_grace: DEFAULT_KILL_GRACE,
        }
    }

    async fn run_simple(spec: &ExecSpec) -> ExecOutcome {
        run(spec, CancellationToken::new(), |_| {}).await
    }

    /// Command names of the live (non-zombie) processes in group `pgid`, read from /proc
    /// independently of the module.
    fn live_comms(pgid: u32) -> Vec<String> {
        let mut comms = Vec::new();
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
                continue;
            };
            let f: Vec<&str> = stat[close + 1..].split_whitespace().collect();
            if f.len() > 2 && f[2] == pgid.to_string() && f[0] != "Z" && f[0] != "X" {
                comms.push(stat[open + 1..close].to_owned());
            }
        }
        comms
    }

    fn live_members(pgid: u32) -> usize {
        live_comms(pgid).len()
    }

    /// Polls until no process of the group exists: `killpg(pgid, 0)` fails with ESRCH. That also
    /// needs the dead to be reaped, which for orphans is init's job (PID 1 here does it only every
    /// couple of seconds); so if the deadline passes with only zombies left, that is accepted too.
    async fn group_gone(pgid: u32) -> bool {
        let begin = Instant::now();
        loop {
            if killpg(Pid::from_raw(pgid as i32), None) == Err(Errno::ESRCH) {
                return true;
            }
            if begin.elapsed() > LONG {
                let live = live_members(pgid);
                return live == 0;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Polls until the group runs `n` `sleep` processes: then the job's shell has got past
    /// everything written before them (such as a `trap`).
    async fn wait_sleeps(pgid: u32, n: usize) {
        let deadline = Instant::now() + LONG;
        while live_comms(pgid).iter().filter(|c| *c == "sleep").count() < n {
            assert!(
                Instant::now() < deadline,
                "group {pgid} never ran {n} sleeps"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// A unique path under the temp dir, for handshakes with a job.
    fn temp_path(tag: &str) -> std::path::PathBuf {
        static N: AtomicUsize = AtomicUsize::new(0);
        std::env::temp_dir().join(format!(
            "executor-test-{}-{}-{tag}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ))
    }

    #[tokio::test]
    async fn captures_stdout_and_stderr_separately() {
        let out = run_simple(&spec("echo to-out; echo to-err >&2")).await;
        assert_eq!(out.termination, Termination::Exited(0));
        assert_eq!(out.exit_code, 0);
        assert_eq!(out.stdout, "to-out\n");
        assert_eq!(out.stderr, "to-err\n");
        assert!(!out.output_truncated);
        assert_eq!(out.error, None);
        assert!(out.started_at <= out.ended_at);
    }

    #[tokio::test]
    async fn exit_codes() {
        let ok = run_simple(&spec("true")).await;
        assert_eq!(
            (ok.termination, ok.exit_code, ok.error),
            (Termination::Exited(0), 0, None)
        );
        let three = run_simple(&spec("exit 3")).await;
        assert_eq!(three.termination, Termination::Exited(3));
        assert_eq!(three.exit_code, 3);
        assert_eq!(three.error.as_deref(), Some("exit status 3"));
    }

    #[tokio::test]
    async fn env_is_workers_plus_spec() {
        let mut s = spec(r#"printf '%s|%s' "$SCHEDD_TEST_VAR" "$PATH""#);
        s.env.insert("SCHEDD_TEST_VAR".into(), "hello world".into());
        let out = run_simple(&s).await;
        let path = std::env::var("PATH").unwrap();
        assert_eq!(out.stdout, format!("hello world|{path}"));
    }

    #[tokio::test]
    async fn stdin_is_empty() {
        // `cat` would block forever on an inherited terminal or pipe.
        let mut s = spec("cat; echo eof");
        s.timeout = Some(LONG);
        let out = run_simple(&s).await;
        assert_eq!(out.termination, Termination::Exited(0));
        assert_eq!(out.stdout, "eof\n");
    }

    #[tokio::test]
    async fn on_start_gets_the_group_id_once() {
        let calls = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = oneshot::channel();
        let c = calls.clone();
        let out = run(&spec("echo $$"), CancellationToken::new(), move |pgid| {
            c.fetch_add(1, Ordering::SeqCst);
            // The leader cannot have been reaped yet: it leads its own group.
            let group = getpgid(Some(Pid::from_raw(pgid as i32))).unwrap();
            let _ = tx.send((pgid, group.as_raw() as u32));
        })
        .await;
        let (pgid, group) = rx.await.unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(pgid, group);
        assert_eq!(out.stdout.trim(), pgid.to_string(), "$$ of sh is the pgid");
    }

    #[tokio::test]
    async fn timeout_kills_the_whole_group() {
        let mut s = spec("sleep 300 & sleep 300; wait");
        s.timeout = Some(Duration::from_secs(1));
        let (tx, rx) = oneshot::channel();
        let begin = Instant::now();
        let out = run(&s, CancellationToken::new(), move |pgid| {
            let _ = tx.send(pgid);
        })
        .await;
        let took = begin.elapsed();
        let pgid = rx.await.unwrap();
        assert_eq!(out.termination, Termination::TimedOut);
        assert_eq!(out.exit_code, -1);
        assert_eq!(out.error.as_deref(), Some("timed out after 1s"));
        assert!(took >= Duration::from_secs(1));
        assert!(took < LONG, "took {took:?}");
        assert_eq!(
            live_members(pgid),
            0,
            "run returned with live processes in the group"
        );
        assert!(group_gone(pgid).await);
    }

    #[tokio::test]
    async fn kill_token_kills_the_whole_group() {
        let s = spec("sleep 300 & sleep 300; wait");
        let token = CancellationToken::new();
        let (tx, rx) = oneshot::channel();
        let fut = run(&s, token.clone(), move |pgid| {
            let _ = tx.send(pgid);
        });
        let killer = async {
            let pgid = rx.await.unwrap();
            // sh and both sleeps, so that the kill really has a tree to take down.
            wait_sleeps(pgid, 2).await;
            token.cancel();
            (pgid, Instant::now())
        };
        let (out, (pgid, cancelled_at)) = tokio::join!(fut, killer);
        let took = cancelled_at.elapsed();
        assert_eq!(out.termination, Termination::Killed);
        assert_eq!(out.exit_code, -1);
        assert_eq!(out.error.as_deref(), Some("killed"));
        assert!(took < LONG, "took {took:?}");
        assert_eq!(
            live_members(pgid),
            0,
            "run returned with live processes in the group"
        );
        assert!(group_gone(pgid).await);
    }

    #[tokio::test]
    async fn term_ignoring_job_is_sigkilled_after_the_grace() {
        // The plain case, and a tree where every process ignores SIGTERM (ignored dispositions
        // survive fork and exec).
        for (command, sleeps) in [
            ("trap '' TERM; sleep 300", 1),
            ("trap '' TERM; sleep 300 & sleep 300; wait", 2),
        ] {
            let mut s = spec(command);
            s.kill_grace = Duration::from_millis(300);
            let token = CancellationToken::new();
            let (tx, rx) = oneshot::channel();
            let fut = run(&s, token.clone(), move |pgid| {
                let _ = tx.send(pgid);
            });
            let killer = async {
                let pgid = rx.await.unwrap();
                wait_sleeps(pgid, sleeps).await;
                token.cancel();
                (pgid, Instant::now())
            };
            let (out, (pgid, cancelled_at)) = tokio::join!(fut, killer);
            let took = cancelled_at.elapsed();
            assert_eq!(out.termination, Termination::Killed);
            assert!(took >= s.kill_grace, "SIGKILL came before the grace ended");
            assert!(took < LONG, "took {took:?}");
            assert_eq!(live_members(pgid), 0);
            assert!(group_gone(pgid).await);
        }
    }

    #[tokio::test]
    async fn sigterm_comes_first_and_cleanup_output_is_kept() {
        let ready = temp_path("ready");
        // The shell leader dies on SIGTERM at once; the subshell traps it and cleans up for a
        // while, which the rest of the grace period must allow. The ready file appears once the
        // trap is set and `sleep 300` is in the group, so that SIGTERM reaches both.
        let cmd = format!(
            "(trap 'sleep 0.3; echo child-cleaned; exit 0' TERM; sleep 300 & touch '{}'; wait) & wait",
            ready.display()
        );
        let mut s = spec(&cmd);
        s.kill_grace = LONG;
        let token = CancellationToken::new();
        let fut = run(&s, token.clone(), |_| {});
        let killer = async {
            let deadline = Instant::now() + LONG;
            while !ready.exists() {
                assert!(Instant::now() < deadline, "job never got ready");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            token.cancel();
            Instant::now()
        };
        let (out, cancelled_at) = tokio::join!(fut, killer);
        let _ = std::fs::remove_file(&ready);
        assert_eq!(out.termination, Termination::Killed);
        assert_eq!(out.stdout, "child-cleaned\n");
        // Returned as soon as the group was gone, not at the end of the (10 s) grace.
        assert!(cancelled_at.elapsed() < LONG);
    }

    #[tokio::test]
    async fn background_child_holding_the_pipe_does_not_block() {
        let (tx, rx) = oneshot::channel();
        let begin = Instant::now();
        let out = run(
            &spec("sleep 300 & echo done"),
            CancellationToken::new(),
            move |p| {
                let _ = tx.send(p);
            },
        )
        .await;
        let pgid = rx.await.unwrap();
        assert!(begin.elapsed() < LONG);
        assert_eq!(out.termination, Termination::Exited(0));
        assert_eq!(out.stdout, "done\n");
        assert_eq!(live_members(pgid), 0);
        assert!(group_gone(pgid).await);
    }

    #[tokio::test]
    async fn process_that_left_the_group_cannot_hold_run_forever() {
        // It escapes the kill (only a cgroup could catch it) but must not keep `run` waiting on
        // the pipe it inherited.
        let pidfile = temp_path("escaped");
        let p = pidfile.display();
        let cmd = format!(
            "setsid sh -c 'echo $$ > {p}; exec sleep 30' & \
             while [ ! -s {p} ]; do sleep 0.01; done; echo done"
        );
        let begin = Instant::now();
        let out = run_simple(&spec(&cmd)).await;
        let took = begin.elapsed();
        let escaped = std::fs::read_to_string(&pidfile).unwrap();
        let _ = std::fs::remove_file(&pidfile);
        let _ = kill(
            Pid::from_raw(escaped.trim().parse().unwrap()),
            Signal::SIGKILL,
        );
        assert_eq!(out.termination, Termination::Exited(0));
        assert_eq!(out.stdout, "done\n");
        assert!(took < LONG, "took {took:?}");
    }

    #[tokio::test]
    async fn signal_not_sent_by_us() {
        let out = run_simple(&spec("kill -USR1 $$; sleep 5")).await;
        assert_eq!(
            out.termination,
            Termination::Signalled(Signal::SIGUSR1 as i32)
        );
        assert_eq!(out.exit_code, 128 + Signal::SIGUSR1 as i32);
        assert_eq!(out.error.as_deref(), Some("killed by signal 10 (SIGUSR1)"));
    }

    #[tokio::test]
    async fn big_output_is_bounded_to_head_and_tail() {
        // 50 MB on each stream, concurrently, against 1 KiB kept per stream.
        let mut s = spec(
            "{ printf HEAD; head -c 50000000 /dev/zero | tr '\\0' x; printf TAIL; } & \
             { printf head; yes | head -c 50000000; printf tail; } >&2; wait",
        );
        s.max_output_bytes = 1024;
        let out = run_simple(&s).await;
        assert_eq!(out.termination, Termination::Exited(0));
        assert!(out.output_truncated);
        let dropped = 50_000_008 - 1024;
        let marker = format!("\n... [{dropped} bytes truncated] ...\n");

        let expected_out = format!("HEAD{}{marker}{}TAIL", "x".repeat(508), "x".repeat(508));
        assert_eq!(out.stdout, expected_out);

        assert!(
            out.stderr.starts_with("heady\ny\n"),
            "{:?}",
            &out.stderr[..20]
        );
        assert!(out.stderr.ends_with("y\ny\ntail"));
        let (head, rest) = out.stderr.split_at(512);
        let tail = rest.strip_prefix(marker.as_str()).unwrap();
        assert_eq!(tail.len(), 512);
        assert!(head.starts_with("head"));
    }

    #[tokio::test]
    async fn invalid_utf8_is_converted_lossily() {
        let out = run_simple(&spec(r"printf 'a\377\376b'")).await;
        assert_eq!(out.termination, Termination::Exited(0));
        assert_eq!(out.stdout, "a\u{FFFD}\u{FFFD}b");
    }

    #[tokio::test]
    async fn missing_program_is_exit_127_from_sh() {
        let out = run_simple(&spec("/nonexistent/bin")).await;
        assert_eq!(out.termination, Termination::Exited(127));
        assert_eq!(out.exit_code, 127);
        assert!(out.stderr.contains("/nonexistent/bin"), "{:?}", out.stderr);
        assert_eq!(out.error.as_deref(), Some("exit status 127"));
    }

    #[tokio::test]
    async fn spawn_failure_is_failed_to_start() {
        // A NUL byte cannot be passed in argv, so the spawn itself fails.
        let called = Arc::new(AtomicUsize::new(0));
        let c = called.clone();
        let out = run(&spec("echo \0"), CancellationToken::new(), move |_| {
            c.fetch_add(1, Ordering::SeqCst);
        })
        .await;
        assert_eq!(out.termination, Termination::FailedToStart);
        assert_eq!(out.exit_code, -1);
        let error = out.error.unwrap();
        assert!(error.starts_with("failed to start: "), "{error}");
        assert_eq!(called.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn dropping_the_future_kills_the_group() {
        let s = spec("sleep 300 & sleep 300; wait");
        let (tx, rx) = oneshot::channel();
        // Boxed so that `drop` really drops the future (a pinned `&mut` would not).
        let mut fut = Box::pin(run(&s, CancellationToken::new(), move |pgid| {
            let _ = tx.send(pgid);
        }));
        let pgid = tokio::select! {
            _ = &mut fut => panic!("job ended by itself"),
            pgid = async {
                let pgid = rx.await.unwrap();
                wait_sleeps(pgid, 2).await;
                pgid
            } => pgid,
        };
        drop(fut);
        assert!(group_gone(pgid).await);
    }

    #[tokio::test]
    async fn already_cancelled_token_still_starts_then_kills() {
        let token = CancellationToken::new();
        token.cancel();
        let started = Arc::new(AtomicUsize::new(0));
        let st = started.clone();
        let out = run(&spec("sleep 300"), token, move |_| {
            st.fetch_add(1, Ordering::SeqCst);
        })
        .await;
        assert_eq!(out.termination, Termination::Killed);
        assert_eq!(started.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn run_future_is_send() {
        fn assert_send<T: Send>(_: &T) {}
        let s = spec("true");
        assert_send(&run(&s, CancellationToken::new(), |_| {}));
    }

    #[test]
    fn capture_under_and_at_the_limit_is_verbatim() {
        for len in [0, 1, 9, 10] {
            let mut c = BoundedCapture::new(10);
            let data: Vec<u8> = (0..len).map(|i| b'a' + i as u8).collect();
            c.push(&data);
            assert_eq!(c.finish(), (String::from_utf8(data).unwrap(), false));
        }
    }

    #[test]
    fn capture_keeps_head_and_tail_whatever_the_chunking() {
        let data: Vec<u8> = (0..1000u32).map(|i| b'a' + (i % 26) as u8).collect();
        let expected = format!(
            "{}\n... [990 bytes truncated] ...\n{}",
            String::from_utf8_lossy(&data[..5]),
            String::from_utf8_lossy(&data[995..])
        );
        for chunk in [1, 3, 4, 5, 6, 7, 100, 1000] {
            let mut c = BoundedCapture::new(10);
            for piece in data.chunks(chunk) {
                c.push(piece);
            }
            assert_eq!(c.finish(), (expected.clone(), true), "chunk size {chunk}");
        }
    }

    #[test]
    fn capture_odd_and_zero_limits() {
        let mut c = BoundedCapture::new(3);
        c.push(b"abcdef");
        assert_eq!(
            c.finish(),
            ("a\n... [3 bytes truncated] ...\nef".to_owned(), true)
        );
        let mut c = BoundedCapture::new(0);
        c.push(b"abc");
        assert_eq!(
            c.finish(),
            ("\n... [3 bytes truncated] ...\n".to_owned(), true)
        );
        assert_eq!(BoundedCapture::new(0).finish(), (String::new(), false));
    }

    #[test]
    fn capture_keeps_multibyte_chars_across_the_head_tail_boundary() {
        // "é" is 2 bytes; with a limit of 4 its bytes land in head and tail respectively.
        let mut c = BoundedCapture::new(4);
        c.push("aé!".as_bytes());
        assert_eq!(c.finish(), ("aé!".to_owned(), false));
    }

    #[test]
    fn stat_parsing_handles_odd_command_names() {
        let line = "42 (we) ird (name)) S 1 4242 4242 0 -1 4194560";
        assert_eq!(parse_stat(line), Some(("S", 4242)));
        assert_eq!(parse_stat("garbage"), None);
    }

    /// A child for the spawn pool tests: `sh` with two sleeps in a group of its own, set up
    /// as `run` sets up a job.
    fn tree_command(marker: &str) -> Command {
        let mut cmd = Command::new(shell());
        cmd.args(["-c", "sleep 300 & sleep 300; wait"])
            .env("SCHEDD_TEST_MARKER", marker)
            .process_group(0)
            .kill_on_drop(true);
        cmd
    }

    /// Live processes whose environment holds `SCHEDD_TEST_MARKER=marker` (children inherit it).
    fn live_with_marker(marker: &str) -> usize {
        let needle = format!("SCHEDD_TEST_MARKER={marker}");
        std::fs::read_dir("/proc")
            .unwrap()
            .flatten()
            .filter(|e| {
                let dir = e.path();
                let alive = std::fs::read_to_string(dir.join("stat"))
                    .ok()
                    .and_then(|s| parse_stat(&s).map(|(state, _)| state != "Z" && state != "X"))
                    .unwrap_or(false);
                alive
                    && std::fs::read(dir.join("environ"))
                        .is_ok_and(|env| env.split(|&b| b == 0).any(|v| v == needle.as_bytes()))
            })
            .count()
    }

    #[tokio::test]
    async fn a_child_spawned_for_a_dropped_run_is_killed_with_its_group() {
        // The answer is in the channel when the run's future goes away.
        let (child, _) = spawn_here(tree_command("in-channel")).unwrap();
        let pgid = child.id().unwrap();
        wait_sleeps(pgid, 2).await;
        let (reply, answer) = tokio::sync::oneshot::channel();
        assert!(reply.send(Ok((child, Utc::now()))).is_ok());
        drop(PendingSpawn(answer));
        assert!(group_gone(pgid).await);
    }

    #[tokio::test]
    async fn the_spawn_pool_kills_what_it_spawned_for_a_run_that_is_gone() {
        // The run's future went away before the pool thread answered.
        let marker = format!("gone-{}", std::process::id());
        let (reply, answer) = tokio::sync::oneshot::channel();
        drop(answer);
        let (requests, queue) = std::sync::mpsc::channel();
        requests
            .send(SpawnRequest {
                cmd: tree_command(&marker),
                runtime: tokio::runtime::Handle::current(),
                reply,
            })
            .unwrap();
        drop(requests);
        // Returns once the queue is empty and closed, i.e. after the spawn.
        tokio::task::spawn_blocking(move || serve_spawns(&std::sync::Mutex::new(queue)))
            .await
            .unwrap();
        let deadline = Instant::now() + LONG;
        while live_with_marker(&marker) > 0 {
            assert!(
                Instant::now() < deadline,
                "the abandoned job is still alive"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_burst_of_runs_all_start_and_finish() {
        // More runs than pool threads, from a multi-threaded runtime: every one gets its own
        // process and output, through the shared queue.
        let runs = (0..64)
            .map(|i| tokio::spawn(async move { run_simple(&spec(&format!("echo {i}"))).await }));
        for (i, handle) in runs.collect::<Vec<_>>().into_iter().enumerate() {
            let out = handle.await.unwrap();
            assert_eq!(out.termination, Termination::Exited(0));
            assert_eq!(out.stdout, format!("{i}\n"));
        }
    }

    #[tokio::test]
    async fn a_job_setting_path_gets_the_sh_its_path_names() {
        // As before jobs were spawned by absolute path: the job's own PATH decides.
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("sh");
        std::fs::write(&fake, "#!/bin/sh\necho fake-sh \"$@\"\n").unwrap();
        std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let mut s = spec("true");
        s.env.insert(
            "PATH".into(),
            format!(
                "{}:{}",
                dir.path().display(),
                std::env::var("PATH").unwrap()
            ),
        );
        let out = run_simple(&s).await;
        assert_eq!(out.stdout, "fake-sh -c true\n");
    }

    #[test]
    fn sh_is_looked_up_in_path_as_execvp_would() {
        use std::os::unix::fs::PermissionsExt;
        let not_exec = tempfile::tempdir().unwrap();
        let exec = tempfile::tempdir().unwrap();
        let dir_named_sh = tempfile::tempdir().unwrap();
        std::fs::write(not_exec.path().join("sh"), "").unwrap();
        std::fs::write(exec.path().join("sh"), "").unwrap();
        std::fs::set_permissions(exec.path().join("sh"), PermissionsExt::from_mode(0o755)).unwrap();
        std::fs::create_dir(dir_named_sh.path().join("sh")).unwrap();
        let path = |dirs: &[&str]| std::ffi::OsString::from(dirs.join(":"));
        let (n, e, d) = (
            not_exec.path().to_str().unwrap(),
            exec.path().to_str().unwrap(),
            dir_named_sh.path().to_str().unwrap(),
        );
        assert_eq!(
            find_in_path("sh", &path(&[d, n, e])),
            Some(exec.path().join("sh"))
        );
        assert_eq!(find_in_path("sh", &path(&[n, d])), None);
        // Relative and empty entries mean the current directory: left to execvp.
        assert_eq!(find_in_path("sh", &path(&["bin", e])), None);
        assert_eq!(find_in_path("sh", &path(&["", e])), None);
        assert!(shell().is_absolute(), "{}", shell().display());
    }
}

//! The reaper: a small process, forked by the worker binaries before anything else, that
//! SIGKILLs the process groups of the runs still going on when the worker is gone, however
//! it went (SIGKILL, the OOM killer, the `exit` of a second Ctrl-C, a fatal error).
//!
//! Why: every run is `sh -c CMD` in a process group of its own (see [`crate::executor`]), so
//! that its whole tree can be stopped at once; the executor's cleanup rules stop those groups
//! as long as the worker lives to apply them. A worker killed with SIGKILL applies nothing,
//! and its runs go on as orphans. In a cluster, the dead worker's lease then expires and
//! another worker may start the same `overlap: forbid` job beside its orphan: the job runs
//! twice at once. The same holds for `schedd-master --dev`, which runs the worker in-process.
//!
//! How: [`start`], called at the top of `main` while the process has a single thread, opens a
//! pipe and forks. The child executes the binary again as `schedd-reaper FD` (read by
//! [`serve_if_reaper`], first thing in `main`): a small fresh process, whose command line is
//! not the worker's, so that `pkill -f schedd-worker` does not take it down with the worker.
//! Should that exec fail, the forked child serves as it is. The reaper keeps the read end; the worker keeps the write end
//! and reports each group right after its spawn ([`watch`]) and again once the group is dead
//! or given up on ([`forget`]). The kernel closes the write end when the worker dies, for
//! whatever reason, and the reaper, reading EOF, SIGKILLs every group still watched and
//! exits. Nothing has to run in the dying worker. The pipe is `O_CLOEXEC`, so no job
//! inherits the write end (a job holding it would keep the EOF from coming while it lives).
//! Forked first, the reaper holds none of the worker's later files and sockets, and its
//! memory is what the process had at the top of `main`. It ignores the signals that a
//! terminal (Ctrl-C to the foreground group) or a service manager (`systemctl stop`) sends to
//! the worker's whole group, so that it outlives the worker's own graceful stop, which
//! forgets every group it stops; it goes away once the worker has. Its name in `ps -o comm`
//! and `top` is `schedd-reaper`.
//!
//! The protocol is fixed 5-byte frames, one op byte (`+` watch, `-` forget) and the pgid as
//! an `i32` little-endian. A write of at most `PIPE_BUF` bytes to a pipe is atomic, so the
//! threads that spawn and those that drop runs write whole frames concurrently without a lock.
//! The writes block if the pipe (64 KiB, 13,000 frames) is full, which only a stopped reaper
//! would let happen.
//!
//! Windows that remain:
//! * A group spawned but not yet reported when the worker dies (the microseconds between
//!   the spawn returning and [`watch`] writing its frame) is not killed.
//! * A pgid reused between a group's death and its `forget` being read: if the worker dies
//!   then, the new group of that number is killed; and a new group whose `watch` overtakes
//!   the old group's `forget` ends up unwatched. Pids are handed out in increasing order, so
//!   this needs the pid space to wrap around in that time (a fraction of a second at most).
//! * A process that left its group (`setsid`, `setpgid`) escapes, as it escapes the
//!   executor's own kill.
//! * If the reaper itself is killed (say with the worker's whole process group, `kill -9
//!   -PGID`), runs outlive the worker as they did before it existed. The worker notices at
//!   its next report, logs it once, and goes on without one.
//!
//! A process that never called [`start`] (the tests, which run the worker as a library) has
//! no reaper: [`watch`] and [`forget`] do nothing there.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::OwnedFd;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use nix::errno::Errno;
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;

/// Op byte of a frame: start watching the group.
const WATCH: u8 = b'+';
/// Op byte of a frame: the group is dead, or given up on; stop watching it.
const FORGET: u8 = b'-';
/// Bytes in a frame: the op, then the pgid (`i32`, little-endian).
const FRAME: usize = 5;

/// The reaper's `argv[0]`; its only argument is the read end's descriptor.
const ARGV0: &str = "schedd-reaper";

/// This process' link to its reaper; unset while [`start`] has not been called.
static REAPER: OnceLock<Reaper> = OnceLock::new();

#[derive(Debug)]
struct Reaper {
    link: Link,
    /// Set once the link failed and that was logged: from then on nothing is sent.
    given_up: AtomicBool,
}

#[derive(Debug)]
enum Link {
    /// The reaper runs: the write end of its pipe, and its pid.
    Pipe { pipe: File, pid: Pid },
    /// [`start`] could not start one, for this reason. Only logged at the first [`watch`]:
    /// when `start` runs, logging is not set up yet.
    Failed(String),
}

/// Becomes the reaper, and never returns, when this process was started as one by [`start`]
/// (`schedd-reaper FD`); returns at once otherwise. Call it first thing in `main`, before
/// the command line is parsed.
#[allow(unsafe_code)]
pub fn serve_if_reaper() {
    let mut args = std::env::args_os();
    if args.next().as_deref() != Some(std::ffi::OsStr::new(ARGV0)) {
        return;
    }
    let Some(fd) = args
        .next()
        .and_then(|a| a.to_str().and_then(|a| a.parse::<i32>().ok()))
        .filter(|fd| *fd > 2)
    else {
        return;
    };
    use std::os::fd::FromRawFd;
    // SAFETY: `start` passed the read end of its pipe, open and ours alone, under this number.
    let read = unsafe { OwnedFd::from_raw_fd(fd) };
    become_reaper(read, nix::unistd::getppid())
}

/// Forks the reaper (see the module docs). Call it first thing in `main`, while the process
/// has a single thread: before the tokio runtime or anything else starts a thread. If the
/// reaper cannot be started, the worker runs without one; the first [`watch`] says so.
pub fn start() {
    if REAPER.get().is_some() {
        return;
    }
    let link = match fork_reaper() {
        Ok((pipe, pid)) => Link::Pipe { pipe, pid },
        Err(error) => Link::Failed(error.to_string()),
    };
    let _ = REAPER.set(Reaper {
        link,
        given_up: AtomicBool::new(false),
    });
}

/// Reports a process group just spawned: if this process dies while the group is watched,
/// the reaper SIGKILLs the group. Does nothing without a reaper, or for `pgid <= 1`.
pub fn watch(pgid: i32) {
    send(WATCH, pgid);
}

/// Reports that a watched group is dead, or given up on: the reaper no longer kills it.
pub fn forget(pgid: i32) {
    send(FORGET, pgid);
}

fn send(op: u8, pgid: i32) {
    let Some(reaper) = REAPER.get() else {
        return;
    };
    if pgid <= 1 || reaper.given_up.load(Ordering::Relaxed) {
        return;
    }
    match &reaper.link {
        Link::Pipe { pipe, pid } => {
            let [a, b, c, d] = pgid.to_le_bytes();
            // One `write` of the whole frame (atomic, see the module docs); `write_all` only
            // retries after EINTR.
            if let Err(error) = (&*pipe).write_all(&[op, a, b, c, d])
                && !reaper.given_up.swap(true, Ordering::Relaxed)
            {
                tracing::warn!(
                    %error,
                    "the reaper process is gone; runs will outlive this process if it is killed"
                );
                if error.kind() == io::ErrorKind::BrokenPipe {
                    // No reader is left: the reaper has exited or is exiting. Collect it
                    // rather than leave a zombie for as long as the worker runs.
                    let _ = nix::sys::wait::waitpid(*pid, None);
                }
            }
        }
        Link::Failed(error) => {
            if op == WATCH && !reaper.given_up.swap(true, Ordering::Relaxed) {
                tracing::warn!(
                    %error,
                    "no reaper process could be started; runs will outlive this process if it is killed"
                );
            }
        }
    }
}

/// Opens the pipe and forks; returns the write end and the reaper's pid. Never returns in
/// the child.
#[allow(unsafe_code)]
fn fork_reaper() -> io::Result<(File, Pid)> {
    if let Some(threads) = threads()
        && threads > 1
    {
        return Err(io::Error::other(format!(
            "reaper::start was called with {threads} threads running; it must come before any"
        )));
    }
    let (read, write) = cloexec_pipe()?;
    let worker = nix::unistd::getpid();
    // Made before the fork: the child only has to exec.
    let exe = c"/proc/self/exe";
    let argv = [
        std::ffi::CString::new(ARGV0).map_err(io::Error::other)?,
        std::ffi::CString::new(std::os::fd::AsRawFd::as_raw_fd(&read).to_string())
            .map_err(io::Error::other)?,
    ];
    // SAFETY: the process has a single thread (checked above where /proc tells, and `start`'s
    // contract: it is called at the top of `main`, before any thread is started), so the
    // child is a complete copy of it, with no lock held by a thread that does not exist in
    // the child; it may allocate and do anything the parent could.
    match unsafe { nix::unistd::fork() }? {
        nix::unistd::ForkResult::Child => {
            // Else the EOF that tells the worker is gone would never come.
            drop(write);
            // The read end must survive the exec; the write end, closed above, must not.
            let flags = nix::fcntl::FdFlag::empty();
            if nix::fcntl::fcntl(&read, nix::fcntl::FcntlArg::F_SETFD(flags)).is_ok() {
                let _ = nix::unistd::execv(exe, &argv);
            }
            // No exec: serve from this copy of the worker instead.
            become_reaper(read, worker)
        }
        nix::unistd::ForkResult::Parent { child } => {
            drop(read);
            Ok((File::from(write), child))
        }
    }
}

/// The threads of this process, where /proc tells.
fn threads() -> Option<usize> {
    std::fs::read_dir("/proc/self/task")
        .ok()
        .map(|tasks| tasks.count())
}

/// (read end, write end), both close-on-exec from the start.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn cloexec_pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    use std::os::fd::FromRawFd;
    let mut fds = [0; 2];
    // SAFETY: `pipe2` writes two descriptors into the array it is given, which has room for
    // them.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `pipe2` succeeded, so both are open descriptors that nothing else owns.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// `pipe2` is not everywhere (macOS); the worker runs without a reaper there.
#[cfg(not(target_os = "linux"))]
fn cloexec_pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "the reaper is only built for Linux",
    ))
}

/// The reaper's life, in the forked child: serves until the worker is gone, then exits. It
/// must never return into the worker's `main`, hence `_exit` (no atexit handlers, no
/// flushing of buffers that are the worker's) even after a panic.
// The reaper has no logging set up (it was forked before that), and its stderr is the
// worker's: one line there is how it reports what it killed.
#[allow(unsafe_code, clippy::print_stderr)]
fn become_reaper(read: OwnedFd, worker: Pid) -> ! {
    let served = std::panic::catch_unwind(move || {
        // Not the worker's stdin and stdout: whoever reads the worker's stdout waits for its
        // EOF, which must not wait for the reaper. stderr stays, for the line below.
        if let Ok(null) = File::options().read(true).write(true).open("/dev/null") {
            for fd in [libc::STDIN_FILENO, libc::STDOUT_FILENO] {
                // SAFETY: `dup2` only makes `fd` another descriptor of /dev/null; nothing in
                // the reaper holds stdin or stdout through a handle this invalidates.
                unsafe { libc::dup2(std::os::fd::AsRawFd::as_raw_fd(&null), fd) };
            }
        }
        for signal in [
            Signal::SIGINT,
            Signal::SIGTERM,
            Signal::SIGHUP,
            Signal::SIGQUIT,
            Signal::SIGPIPE,
        ] {
            // SAFETY: ignoring a signal installs no handler, so no code of ours runs in
            // signal context.
            let _ =
                unsafe { nix::sys::signal::signal(signal, nix::sys::signal::SigHandler::SigIgn) };
        }
        #[cfg(target_os = "linux")]
        let _ = nix::sys::prctl::set_name(c"schedd-reaper");
        let mut killed = Vec::new();
        let mut failed = Vec::new();
        let ended = serve(File::from(read), |pgid| {
            match killpg(Pid::from_raw(pgid), Signal::SIGKILL) {
                Ok(()) => killed.push(pgid),
                // Dead already: it died as the worker did, before its `forget` was sent.
                Err(Errno::ESRCH) => {}
                Err(e) => failed.push(format!("{pgid} ({e})")),
            }
        });
        if let Err(e) = &ended {
            eprintln!(
                "schedd-reaper: reading from the worker (pid {worker}) failed ({e}); stopping its runs"
            );
        }
        if !killed.is_empty() {
            killed.sort_unstable();
            eprintln!(
                "schedd-reaper: the worker (pid {worker}) is gone with runs going on; sent SIGKILL to their process groups {killed:?}"
            );
        }
        if !failed.is_empty() {
            eprintln!(
                "schedd-reaper: the worker (pid {worker}) is gone; could not kill process groups {}",
                failed.join(", ")
            );
        }
    });
    // SAFETY: `_exit` ends this process at once; it touches no memory of ours.
    unsafe { libc::_exit(if served.is_ok() { 0 } else { 1 }) }
}

/// Reads frames until EOF, or a read error other than EINTR; then calls `kill` for every
/// pgid still watched, and returns how reading ended. A partial frame at EOF is ignored (the
/// worker writes frames whole, so only a bug would leave one). Pgids `<= 1` are ignored: 0
/// and negative numbers mean "our own group" and "every process" to `killpg`'s C
/// underpinnings, and 1 is init's.
fn serve(mut reader: impl Read, mut kill: impl FnMut(i32)) -> io::Result<()> {
    let mut watched = HashSet::new();
    let mut frame = [0; FRAME];
    let mut filled = 0;
    let mut buf = [0; 4096];
    let ended = loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => break Err(e),
        };
        // Frames may be split across reads: a frame is assembled byte by byte.
        for &byte in &buf[..n] {
            frame[filled] = byte;
            filled += 1;
            if filled == FRAME {
                filled = 0;
                let [op, a, b, c, d] = frame;
                let pgid = i32::from_le_bytes([a, b, c, d]);
                if pgid <= 1 {
                    continue;
                }
                match op {
                    WATCH => watched.insert(pgid),
                    FORGET => watched.remove(&pgid),
                    // Cannot come from `send`; ignored rather than trusted.
                    _ => false,
                };
            }
        }
    };
    for pgid in watched {
        kill(pgid);
    }
    ended
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(op: u8, pgid: i32) -> Vec<u8> {
        let mut f = vec![op];
        f.extend_from_slice(&pgid.to_le_bytes());
        f
    }

    fn stream(frames: &[(u8, i32)]) -> Vec<u8> {
        frames
            .iter()
            .flat_map(|&(op, pgid)| frame(op, pgid))
            .collect()
    }

    /// The pgids `serve` kills when reading `reader` to its end, sorted.
    fn killed_by(reader: impl Read) -> (Vec<i32>, io::Result<()>) {
        let mut killed = Vec::new();
        let ended = serve(reader, |pgid| killed.push(pgid));
        killed.sort_unstable();
        (killed, ended)
    }

    /// Gives the data in reads of `sizes` bytes in turn (cycling), with an EINTR before each
    /// read, as a pipe may.
    struct Chunked<'a> {
        data: &'a [u8],
        sizes: &'a [usize],
        reads: usize,
        interrupted: bool,
    }

    impl Read for Chunked<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.interrupted = !self.interrupted;
            if self.interrupted {
                return Err(io::ErrorKind::Interrupted.into());
            }
            let size = self.sizes[self.reads % self.sizes.len()];
            self.reads += 1;
            let n = size.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    #[test]
    fn the_groups_watched_and_not_forgotten_are_killed_at_eof() {
        let data = stream(&[
            (WATCH, 100),
            (WATCH, 200),
            (WATCH, 300),
            (FORGET, 200),
            (WATCH, 70_000),
            (FORGET, 100),
            (WATCH, 100),
            (FORGET, 999),
        ]);
        let (killed, ended) = killed_by(data.as_slice());
        assert_eq!(killed, [100, 300, 70_000]);
        assert!(ended.is_ok());
    }

    #[test]
    fn frames_split_across_reads_are_put_together() {
        let data = stream(&[
            (WATCH, 4242),
            (WATCH, i32::MAX),
            (FORGET, 4242),
            (WATCH, 0x0102_0304),
        ]);
        for sizes in [
            &[1][..],
            &[2],
            &[3],
            &[4],
            &[6],
            &[7, 1, 2],
            &[11, 3],
            &[64],
        ] {
            let (killed, ended) = killed_by(Chunked {
                data: &data,
                sizes,
                reads: 0,
                interrupted: false,
            });
            assert_eq!(killed, [0x0102_0304, i32::MAX], "reads of {sizes:?}");
            assert!(ended.is_ok());
        }
    }

    #[test]
    fn nothing_is_killed_when_every_group_was_forgotten() {
        let data = stream(&[(WATCH, 10), (WATCH, 11), (FORGET, 11), (FORGET, 10)]);
        assert_eq!(killed_by(data.as_slice()).0, [0; 0]);
        assert_eq!(killed_by(&[][..]).0, [0; 0]);
    }

    #[test]
    fn a_partial_frame_at_eof_is_ignored() {
        let mut data = stream(&[(WATCH, 10), (WATCH, 20)]);
        // The start of `forget 10`: not a request.
        data.extend_from_slice(&frame(FORGET, 10)[..4]);
        assert_eq!(killed_by(data.as_slice()).0, [10, 20]);
        // The start of `watch 30`: not a request either.
        let mut data = stream(&[(WATCH, 10)]);
        data.extend_from_slice(&frame(WATCH, 30)[..1]);
        assert_eq!(killed_by(data.as_slice()).0, [10]);
    }

    #[test]
    fn pgids_up_to_1_are_never_killed() {
        let data = stream(&[
            (WATCH, 0),
            (WATCH, 1),
            (WATCH, -1),
            (WATCH, -4242),
            (WATCH, i32::MIN),
            (WATCH, 2),
            (b'?', 3),
        ]);
        assert_eq!(killed_by(data.as_slice()).0, [2]);
    }

    #[test]
    fn a_read_error_kills_the_watched_groups_and_is_returned() {
        struct Failing<'a>(&'a [u8]);
        impl Read for Failing<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0.is_empty() {
                    return Err(io::Error::other("gone"));
                }
                let n = self.0.read(buf)?;
                Ok(n)
            }
        }
        let data = stream(&[(WATCH, 10), (WATCH, 20), (FORGET, 20)]);
        let (killed, ended) = killed_by(Failing(&data));
        assert_eq!(killed, [10]);
        assert!(ended.is_err());
    }

    #[test]
    fn without_a_reaper_watch_and_forget_do_nothing() {
        // Tests never call `start`.
        assert!(REAPER.get().is_none());
        watch(4242);
        forget(4242);
    }
}

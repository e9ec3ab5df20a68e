//! Running a program as a hook runs: in a session of its own (so a process group of its own,
//! with no controlling terminal), its output kept from the terminal, watched to its end or to
//! its time limit. Then nothing it started is left running: what is left of its group gets
//! SIGTERM, and SIGKILL after a short grace. A hook that exits in time but leaves a child
//! behind (`sleep 300 & exit 4`) would otherwise keep it past its limit and past postrun.
//! The guide's end stops every group still running the same way ([`Running::stop_all`]).
use std::io::{self, Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

/// How a hook failed: the end of `the cue hook ...`.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// `sh` could not be started.
    #[error("could not start: {0}")]
    Start(io::Error),
    /// The event could not be put into JSON for its stdin.
    #[error("could not be given its event: {0}")]
    Event(serde_json::Error),
    /// Whether it had ended could not be asked.
    #[error("could not be waited for: {0}")]
    Wait(io::Error),
    /// It ran past its time limit, and was killed.
    #[error("took longer than {} and was stopped", limit(*.0))]
    TimedOut(Duration),
    /// It exited with a code other than 0.
    #[error("failed with exit code {code}{}", said(.stderr))]
    Exit {
        /// The exit code.
        code: i32,
        /// The first line it wrote to stderr, if any.
        stderr: Option<String>,
    },
    /// A signal ended it.
    #[error("was killed by a signal{}", said(.stderr))]
    Killed {
        /// The first line it wrote to stderr, if any.
        stderr: Option<String>,
    },
}

/// A time limit as a runner reads it: `300ms`, `10s`, `1m30s`.
fn limit(timeout: Duration) -> String {
    if timeout < Duration::from_secs(1) {
        format!("{}ms", timeout.as_millis())
    } else {
        crate::core::protocol::Short(timeout).to_string()
    }
}

/// What a hook said on stderr, after the failure: `: no display here`.
fn said(stderr: &Option<String>) -> String {
    stderr
        .as_ref()
        .map(|s| format!(": {s}"))
        .unwrap_or_default()
}

/// How long a hook's first line on stderr may come after the hook itself has exited.
const STDERR_GRACE: Duration = Duration::from_millis(200);

/// How long what is left of a hook has to end on SIGTERM before SIGKILL: enough to tidy up,
/// short enough not to hold up the guide's end.
const TERM_GRACE: Duration = Duration::from_millis(500);

/// How often a hook is looked at while it runs.
const POLL: Duration = Duration::from_millis(10);

/// The process groups of the hooks running now, so that the guide's end can stop them: a
/// hook still running then would be left behind, its limit kept by no one.
#[derive(Debug, Clone, Default)]
pub struct Running(Arc<Mutex<Groups>>);

#[derive(Debug, Default)]
struct Groups {
    ids: Vec<libc::pid_t>,
    /// The guide has ended: no hook starts any more.
    ended: bool,
}

impl Running {
    fn groups(&self) -> MutexGuard<'_, Groups> {
        // A thread that panicked holding it left a list still worth stopping.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stops every hook still running and what it started (SIGTERM, then SIGKILL to what is
    /// left after a short grace), and lets no other start. Returns at once when none runs.
    pub fn stop_all(&self) {
        let ids = {
            let mut groups = self.groups();
            groups.ended = true;
            std::mem::take(&mut groups.ids)
        };
        for &group in &ids {
            signal(group, libc::SIGTERM);
        }
        settle(&ids, Instant::now() + TERM_GRACE);
    }

    fn forget(&self, group: libc::pid_t) {
        self.groups().ids.retain(|g| *g != group);
    }
}

/// Runs `program` as a hook (see the module's text), `stdin` given to it when there is one
/// (else nothing), to its end or to `timeout`. Nothing starts once `running` has been stopped.
pub fn supervise(
    mut program: Command,
    stdin: Option<String>,
    timeout: Duration,
    running: &Running,
) -> Result<(), Failure> {
    let json = stdin.unwrap_or_default();
    let sh = &mut program;
    sh.stdin(Stdio::piped())
        // Never the terminal: a hook's output would tear the guide's screen.
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    // SAFETY: between fork and exec only setsid runs, which is async-signal-safe and touches
    // no memory of ours.
    unsafe {
        sh.pre_exec(|| {
            if libc::setsid() == -1 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let (mut child, group) = {
        // Held across the start, so a hook starting as the guide ends is either stopped with
        // the others or never started.
        let mut groups = running.groups();
        if groups.ended {
            return Ok(());
        }
        let mut child = sh.spawn().map_err(Failure::Start)?;
        // setsid made the hook the leader of a new process group with its own pid as the id.
        let Ok(group) = libc::pid_t::try_from(child.id()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(Failure::Wait(io::Error::other("a process id out of range")));
        };
        groups.ids.push(group);
        (child, group)
    };
    if let Some(mut stdin) = child.stdin.take() {
        // On a thread: a hook that never reads its stdin must not hold up the time limit,
        // whatever the size of the event. A hook may close it early; that is its right.
        thread::spawn(move || {
            let _ = stdin.write_all(json.as_bytes());
        });
    }
    let said = child.stderr.take().map(first_line);
    let started = Instant::now();
    let ended = loop {
        match exited(&child) {
            Ok(true) => break Ok(true),
            Ok(false) if started.elapsed() >= timeout => break Ok(false),
            Ok(false) => thread::sleep(POLL),
            Err(e) => break Err(e),
        }
    };
    // Exited, at its limit, or past watching: either way nothing of its group runs on.
    let status = stop(&mut child, group);
    running.forget(group);
    if !ended.map_err(Failure::Wait)? {
        return Err(Failure::TimedOut(timeout));
    }
    let status = status.map_err(Failure::Wait)?;
    if status.success() {
        return Ok(());
    }
    let stderr = said
        .and_then(|rx| rx.recv_timeout(STDERR_GRACE).ok())
        .filter(|s| !s.is_empty());
    Err(match status.code() {
        Some(code) => Failure::Exit { code, stderr },
        None => Failure::Killed { stderr },
    })
}

/// The first line a hook writes to stderr, made printable and short, on a channel; the rest is
/// read and dropped so the hook never blocks on a full pipe.
fn first_line(err: std::process::ChildStderr) -> std::sync::mpsc::Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    thread::spawn(move || {
        let mut first = Vec::new();
        let mut err = io::BufReader::new(err);
        let _ = io::BufRead::read_until(&mut err.by_ref().take(4096), b'\n', &mut first);
        let line: String = String::from_utf8_lossy(&first)
            .lines()
            .next()
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_control())
            .take(200)
            .collect();
        let _ = tx.send(line);
        let _ = io::copy(&mut err, &mut io::sink());
    });
    rx
}

/// Whether the hook's own process has ended, without reaping it: until it is reaped its id
/// stays its group's, and no other process can take it.
fn exited(child: &Child) -> io::Result<bool> {
    // SAFETY: waitid writes only into `info`, a zeroed siginfo_t of ours; WNOHANG makes it
    // return at once and WNOWAIT leaves the child to be reaped by `Child::wait`.
    unsafe {
        let mut info: libc::siginfo_t = std::mem::zeroed();
        let flags = libc::WEXITED | libc::WNOHANG | libc::WNOWAIT;
        if libc::waitid(libc::P_PID, child.id(), &mut info, flags) == -1 {
            let error = io::Error::last_os_error();
            return match error.kind() {
                io::ErrorKind::Interrupted => Ok(false),
                _ => Err(error),
            };
        }
        // No child ready leaves the zeroed pid as it was.
        Ok(info.si_pid() != 0)
    }
}

/// Ends the hook's group: SIGTERM to all of it, its own process reaped, and SIGKILL to what is
/// still there after [`TERM_GRACE`]. The hook's exit status.
fn stop(child: &mut Child, group: libc::pid_t) -> io::Result<ExitStatus> {
    // The leader is not reaped yet, so the group's id is still the hook's.
    signal(group, libc::SIGTERM);
    let until = Instant::now() + TERM_GRACE;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < until => thread::sleep(POLL),
            other => {
                signal(group, libc::SIGKILL);
                let waited = child.wait();
                return other.and(waited);
            }
        }
    };
    // Reaped: what the hook left keeps the group's id while it lives.
    settle(&[group], until);
    Ok(status)
}

/// Waits until each group has no process left, or `until`; then kills what is left.
fn settle(groups: &[libc::pid_t], until: Instant) {
    loop {
        let left: Vec<libc::pid_t> = groups.iter().copied().filter(|g| exists(*g)).collect();
        if left.is_empty() {
            return;
        }
        if Instant::now() >= until {
            for group in left {
                signal(group, libc::SIGKILL);
            }
            return;
        }
        thread::sleep(POLL);
    }
}

/// Sends `sig` to the process group `group`.
fn signal(group: libc::pid_t, sig: libc::c_int) {
    // SAFETY: kill with a negative pid signals that process group only; a group already gone
    // is an error we have nothing to do about.
    unsafe {
        libc::kill(-group, sig);
    }
}

/// Whether any process is left in the group (one we may not signal counts).
fn exists(group: libc::pid_t) -> bool {
    // SAFETY: signal 0 checks for the group and sends nothing.
    let sent = unsafe { libc::kill(-group, 0) };
    sent == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

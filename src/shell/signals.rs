//! Signals as messages. SIGTERM, SIGHUP, SIGINT, SIGQUIT and every other signal whose default
//! is to end the process and that can be caught (see [`ending`]) take the normal way out, so
//! the session is saved and the terminal restored. SIGTSTP from anywhere (Ctrl-Z in the plain
//! guide, `kill -TSTP`) gives the terminal back before stopping, and SIGCONT takes it again: a
//! stop that could not be caught (SIGSTOP) left it in the shell's hands.
use std::io;
use std::sync::mpsc;
use std::thread;

use anyhow::Context;
use signal_hook::consts::{SIGCONT, SIGTSTP};

/// What a signal asks of the loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// Leave the normal way.
    Terminate,
    /// Stop, giving the terminal back first.
    Stop,
    /// Resumed after a stop: take the terminal again and draw it whole.
    Continue,
}

/// The signals that would end postrun where it stands, left on the alternate screen with the
/// cursor hidden, and that can be caught. Not here: SIGKILL and SIGSTOP (they cannot be
/// caught), SIGILL, SIGFPE, SIGSEGV and SIGBUS (a fault: going on after one would run the
/// faulting instruction again; signal_hook refuses the first three), SIGPIPE (Rust ignores
/// it, so a closed pipe is a write error), and those whose default is to do nothing or to
/// stop. SIGXFSZ caught means a write past `ulimit -f` fails with an error instead, and the
/// guide ends as on a full disk: "cannot save your session", nothing torn left in the log.
pub fn ending() -> Vec<i32> {
    let mut ending = vec![
        libc::SIGTERM,
        libc::SIGHUP,
        libc::SIGINT,
        libc::SIGQUIT,
        libc::SIGUSR1,
        libc::SIGUSR2,
        libc::SIGALRM,
        libc::SIGVTALRM,
        libc::SIGPROF,
        libc::SIGSYS,
        libc::SIGXCPU,
        libc::SIGXFSZ,
        libc::SIGTRAP,
        libc::SIGABRT,
    ];
    // Linux's own: SIGIO (which other systems ignore), power failure, the coprocessor's stack
    // fault, and the real-time signals, every one of which ends a process by default.
    #[cfg(target_os = "linux")]
    {
        ending.extend([libc::SIGIO, libc::SIGPWR]);
        #[cfg(not(any(
            target_arch = "mips",
            target_arch = "mips64",
            target_arch = "sparc",
            target_arch = "sparc64"
        )))]
        ending.push(libc::SIGSTKFLT);
        ending.extend(libc::SIGRTMIN()..=libc::SIGRTMAX());
    }
    ending
}

/// Forwards the signals postrun answers as `msg(signal)` on `tx`.
pub fn on_signals<M: Send + 'static>(
    tx: mpsc::Sender<M>,
    msg: fn(Signal) -> M,
) -> anyhow::Result<()> {
    // The real-time signals are asked for one by one: a system may keep some for itself
    // (valgrind does), and one postrun cannot catch is no reason not to start.
    let (realtime, mut heard): (Vec<i32>, Vec<i32>) = ending()
        .into_iter()
        .partition(|signal| (libc::SIGRTMIN()..=libc::SIGRTMAX()).contains(signal));
    heard.extend([SIGTSTP, SIGCONT]);
    let mut signals =
        signal_hook::iterator::Signals::new(heard).context("cannot listen for signals")?;
    for signal in realtime {
        let _kept_by_the_system = signals.add_signal(signal);
    }
    thread::spawn(move || {
        for signal in signals.forever() {
            let what = match signal {
                SIGTSTP => Signal::Stop,
                SIGCONT => Signal::Continue,
                _ => Signal::Terminate,
            };
            if tx.send(msg(what)).is_err() {
                break;
            }
        }
    });
    Ok(())
}

/// Stops postrun and everything in its process group, as Ctrl-Z does for a program that
/// does not catch it, and returns once continued. The whole group, so a wrapper that started
/// postrun (`cargo run`, `bash -c`, a script) stops too and the shell gets the terminal back;
/// stopping postrun alone left the shell waiting on the wrapper. Where no shell could take the
/// terminal (an orphaned group: postrun run straight from tmux) the system ignores the stop
/// and this returns at once.
pub fn stop_group() -> io::Result<()> {
    // SAFETY: plain calls into libc with valid pointers; the old action is put back as it
    // was, so the handler that turned SIGTSTP into a message hears the next one.
    unsafe {
        let mut default: libc::sigaction = std::mem::zeroed();
        default.sa_sigaction = libc::SIG_DFL;
        let mut handler: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(libc::SIGTSTP, &default, &mut handler) != 0 {
            return Err(io::Error::last_os_error());
        }
        // A signal sent to its own process is taken by the sending thread before `kill`
        // returns (this thread does not block it), so the stop happens here, before the
        // handler is back.
        let sent = libc::kill(0, libc::SIGTSTP);
        let error = (sent != 0).then(io::Error::last_os_error);
        libc::sigaction(libc::SIGTSTP, &handler, std::ptr::null_mut());
        error.map_or(Ok(()), Err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every signal Linux has is either heard, or left alone for a reason: a signal added to
    /// neither list fails here.
    #[cfg(target_os = "linux")]
    #[test]
    fn every_signal_that_ends_a_process_and_can_be_caught_is_heard() {
        let ending = ending();
        let left_alone = [
            // Cannot be caught, or a fault.
            libc::SIGKILL,
            libc::SIGSTOP,
            libc::SIGILL,
            libc::SIGFPE,
            libc::SIGSEGV,
            libc::SIGBUS,
            // Ignored by Rust.
            libc::SIGPIPE,
            // Their default does nothing, or stops.
            libc::SIGCHLD,
            libc::SIGURG,
            libc::SIGWINCH,
            libc::SIGCONT,
            libc::SIGTSTP,
            libc::SIGTTIN,
            libc::SIGTTOU,
        ];
        // Between the classic signals and SIGRTMIN: the C library's own, never ours.
        let libcs = 32..libc::SIGRTMIN();
        for signal in 1..=libc::SIGRTMAX() {
            let heard = ending.contains(&signal);
            let alone = left_alone.contains(&signal) || libcs.contains(&signal);
            assert!(
                heard != alone,
                "signal {signal}: heard {heard}, left alone {alone}"
            );
        }
        for signal in &ending {
            assert!(!signal_hook::consts::FORBIDDEN.contains(signal), "{signal}");
        }
    }
}

//! Signals as messages. SIGTERM, SIGHUP, SIGINT, SIGQUIT and the other signals whose default
//! is to end the process (SIGUSR1, SIGUSR2, SIGALRM) take the normal way out, so the session
//! is saved and the terminal restored. SIGTSTP from anywhere (Ctrl-Z in the plain guide,
//! `kill -TSTP`) gives the terminal back before stopping, and SIGCONT takes it again: a stop
//! that could not be caught (SIGSTOP) left it in the shell's hands.
use std::io;
use std::sync::mpsc;
use std::thread;

use anyhow::Context;
use signal_hook::consts::{
    SIGALRM, SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGUSR1, SIGUSR2,
};

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

/// Forwards the signals postrun answers as `msg(signal)` on `tx`.
pub fn on_signals<M: Send + 'static>(
    tx: mpsc::Sender<M>,
    msg: fn(Signal) -> M,
) -> anyhow::Result<()> {
    let mut signals = signal_hook::iterator::Signals::new([
        SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGTSTP, SIGCONT,
    ])
    .context("cannot listen for signals")?;
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

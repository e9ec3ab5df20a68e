//! The terminal given back when the process aborts: a panic while panicking, an allocation
//! that failed, a stack overflow (Rust's handler aborts). None of them unwinds or runs the
//! panic hook, and `abort` ends the process before the loop hears of the SIGABRT it raises,
//! so the shell would be left in raw mode on the alternate screen. A SIGABRT handler puts back
//! the terminal's settings as they were before raw mode and leaves the alternate screen, with
//! only async-signal-safe calls (`tcsetattr`, `write`); `abort` then ends the process. A
//! SIGABRT sent from outside (`kill -ABRT`) is left to the loop, which ends the guide the
//! normal way (`shell::signals`).
use std::sync::OnceLock;

/// The terminal's settings before raw mode, kept for the handler.
static BEFORE: OnceLock<libc::termios> = OnceLock::new();

/// Plain colours, the cursor shown, the main screen.
const LEAVE: &[u8] = b"\x1b[0m\x1b[?25h\x1b[?1049l";

/// Keeps the terminal's settings as they are now, before raw mode, and gives them back on
/// SIGABRT. Does nothing when standard input is not a terminal.
pub fn give_back_on_abort() {
    // SAFETY: isatty and tcgetattr only read the descriptor's state; `now` is ours to fill.
    let mut now: libc::termios = unsafe { std::mem::zeroed() };
    let tty = unsafe { libc::isatty(0) == 1 && libc::tcgetattr(0, &mut now) == 0 };
    if !tty || BEFORE.set(now).is_err() {
        return;
    }
    // SAFETY: the action only reads `BEFORE`, set above and never again, and calls getpid,
    // tcsetattr and write, all async-signal-safe.
    let _ = unsafe { signal_hook_registry::register_sigaction(libc::SIGABRT, give_back) };
}

fn give_back(info: &libc::siginfo_t) {
    // SAFETY: si_pid is set for signals sent by kill, tkill and raise, which is how SIGABRT
    // comes; getpid only reads.
    let ours = unsafe { info.si_pid() == libc::getpid() };
    if let (true, Some(before)) = (ours, BEFORE.get()) {
        // SAFETY: both calls are async-signal-safe and touch only the terminal; what they
        // return is of no use now.
        unsafe {
            libc::tcsetattr(0, libc::TCSANOW, before);
            libc::write(1, LEAVE.as_ptr().cast(), LEAVE.len());
        }
    }
}

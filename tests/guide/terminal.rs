//! The terminal always comes back: postrun is launched from a real interactive bash in tmux,
//! ended by each way a guide can end (q, Ctrl-C, SIGTERM, SIGHUP, a panic, an abort, a failed write,
//! the window closing), and then the shell's terminal must be as it was (same `stty -g`, main
//! screen, cursor shown, the prompt reading lines) and the session must hold what was done.
//! Ctrl-Z then `fg` must give the shell a normal terminal, then redraw with the timer having
//! kept real time. Skips with a notice where tmux is missing, except under CI=true.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use crate::fixture;
use crate::home::tmux::{Tmux, alive, signal, tmux_available};

/// A shell in tmux with its terminal settings saved, and postrun running in it with hydrate
/// done and the stretch timer started: two events the log must keep.
fn guide_with_two_events(name: &str, env: &str) -> (Tmux, u32) {
    let t = Tmux::new(name);
    t.start_shell((80, 24));
    t.shell_run("stty -g > before.stty");
    assert_eq!(t.pane("#{alternate_on} #{cursor_flag}"), "0 1");
    let pid = t.launch(&format!(
        "{env} postrun --finished 20m --bedtime 23:59; echo EXITED $?"
    ));
    t.wait_for("0/9 done", 10);
    t.wait_pane("#{alternate_on} #{cursor_flag}", "1 0", 5);
    t.keys(&["Enter"]);
    t.wait_for("1/9 done", 5);
    t.keys(&["Enter"]);
    t.wait_for("whole step", 5);
    (t, pid)
}

/// After the guide has ended with `code`: the terminal is the shell's again, exactly as it was,
/// and the screen it ended on is returned.
fn assert_terminal_restored(t: &Tmux, code: u8) -> String {
    let screen = t.wait_until(10, "the guide to end", |s| exit_code(s).is_some());
    assert_eq!(exit_code(&screen), Some(code), "the exit code:\n{screen}");
    assert_eq!(
        t.pane("#{alternate_on}"),
        "0",
        "still on the alternate screen"
    );
    assert_eq!(t.pane("#{cursor_flag}"), "1", "the cursor is hidden");
    // The shell reads a line again, and the terminal's settings are what they were: raw mode
    // off, echo on, the same special keys.
    t.shell_run("stty -g > after.stty");
    let before = std::fs::read_to_string(t.home.path().join("before.stty")).unwrap();
    let after = std::fs::read_to_string(t.home.path().join("after.stty")).unwrap();
    assert_eq!(before, after, "stty settings changed");
    screen
}

/// The code on the screen's `EXITED <code>` line (the typed command shows `EXITED $?`).
fn exit_code(screen: &str) -> Option<u8> {
    screen
        .lines()
        .rev()
        .find_map(|l| l.trim_end().strip_prefix("EXITED ")?.parse().ok())
}

/// The log holds hydrate done and the stretch timer running.
fn assert_two_events_saved(t: &Tmux) {
    let status = t.status().expect("the session is still open");
    let states: Vec<&str> = status["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap())
        .collect();
    assert_eq!(&states[..3], ["done", "active", "pending"], "{status}");
    assert_eq!(status["timer"]["step"], "stretch", "{status}");
    assert_eq!(status["timer"]["running"], true, "{status}");
    assert_eq!(status["warnings"], serde_json::json!([]), "{status}");
}

#[test]
fn q_restores_the_terminal_and_keeps_the_session() {
    if !tmux_available() {
        return;
    }
    let (t, _) = guide_with_two_events("quit-q", "");
    t.keys(&["q"]);
    assert_terminal_restored(&t, 0);
    assert_two_events_saved(&t);
}

#[test]
fn ctrl_c_restores_the_terminal_and_keeps_the_session() {
    if !tmux_available() {
        return;
    }
    let (t, _) = guide_with_two_events("quit-ctrl-c", "");
    t.keys(&["C-c"]);
    assert_terminal_restored(&t, 0);
    assert_two_events_saved(&t);
}

#[test]
fn sigterm_restores_the_terminal_and_keeps_the_session() {
    if !tmux_available() {
        return;
    }
    let (t, pid) = guide_with_two_events("sigterm", "");
    signal(pid, "TERM");
    assert_terminal_restored(&t, 0);
    assert_two_events_saved(&t);
}

#[test]
fn sighup_restores_the_terminal_and_keeps_the_session() {
    if !tmux_available() {
        return;
    }
    let (t, pid) = guide_with_two_events("sighup", "");
    signal(pid, "HUP");
    assert_terminal_restored(&t, 0);
    assert_two_events_saved(&t);
}

#[test]
fn an_abort_restores_the_terminal_and_keeps_the_session() {
    if !tmux_available() {
        return;
    }
    // What a panic while panicking, a failed allocation or a stack overflow end in: abort(),
    // with no unwinding and no panic hook. The shell reports 128 + SIGABRT's 6.
    let (t, _) = guide_with_two_events("abort", "POSTRUN_TEST_PANIC=abort");
    t.keys(&["!"]);
    assert_terminal_restored(&t, 134);
    assert_two_events_saved(&t);
}

#[test]
fn a_panic_restores_the_terminal_prints_its_message_and_keeps_the_session() {
    if !tmux_available() {
        return;
    }
    // No backtrace, so the message stays on the screen.
    let (t, _) = guide_with_two_events("panic", "RUST_BACKTRACE=0 POSTRUN_TEST_PANIC=1");
    t.keys(&["!"]);
    let screen = assert_terminal_restored(&t, 101);
    assert!(
        screen.contains("panicked") && screen.contains("POSTRUN_TEST_PANIC is set"),
        "the panic message is on the screen:\n{screen}"
    );
    assert_two_events_saved(&t);
}

#[test]
fn the_panic_key_does_nothing_without_the_test_variable() {
    if !tmux_available() {
        return;
    }
    let (t, _) = guide_with_two_events("no-panic", "");
    t.keys(&["!", "Space"]);
    // The key after it is still handled: the guide is alive.
    t.wait_for("paused", 5);
    t.keys(&["q"]);
    assert_terminal_restored(&t, 0);
}

/// The guide with two events, quit, then reopened by `shell` (a subshell that sets the file
/// size limit to the log's size, then `exec postrun`) and paused and resumed until a write
/// does not fit: it must end as on a full disk, with the terminal back and exit 2. The tmux
/// (its home holds the session) and the log.
fn reopened_at_the_size_limit(name: &str, shell: &str) -> (Tmux, std::path::PathBuf) {
    let (t, _) = guide_with_two_events(name, "");
    t.keys(&["q"]);
    assert_terminal_restored(&t, 0);
    t.shell_run("clear");
    let log = std::fs::read_dir(t.sessions_dir())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let kib = std::fs::metadata(&log).unwrap().len().div_ceil(1024);
    t.launch(&format!(
        "({}; exec postrun); echo EXITED $?",
        shell.replace("{kib}", &kib.to_string())
    ));
    t.wait_for("1/9 done", 10);
    // Pause, resume, ... until one does not fit; each before it was written and shown.
    for _ in 0..40 {
        if exit_code(&t.screen()).is_some() {
            break;
        }
        t.keys(&["Space"]);
        std::thread::sleep(Duration::from_millis(30));
    }
    let screen = assert_terminal_restored(&t, 2);
    assert!(
        screen.contains("postrun: cannot save your session"),
        "the error says what failed:\n{screen}"
    );
    assert_two_events_saved_or_paused(&t);
    (t, log)
}

#[test]
fn a_failed_write_restores_the_terminal_says_why_and_loses_nothing_shown() {
    if !tmux_available() {
        return;
    }
    // The log at the file-size limit, so the next event cannot be written: the same as a
    // full disk. SIGXFSZ is ignored so the write fails with an error instead.
    reopened_at_the_size_limit("write-error", "trap '' XFSZ; ulimit -f {kib}");
}

/// Like `assert_two_events_saved`, but the stretch timer may have been paused by the keys.
fn assert_two_events_saved_or_paused(t: &Tmux) {
    let status = t.status().expect("the session is still open");
    assert_eq!(status["steps"][0]["state"], "done", "{status}");
    assert_eq!(status["steps"][1]["state"], "active", "{status}");
    assert_eq!(status["timer"]["step"], "stretch", "{status}");
}

#[test]
fn closing_the_window_ends_the_guide_and_keeps_the_session() {
    if !tmux_available() {
        return;
    }
    let (t, pid) = guide_with_two_events("hangup", "");
    t.tmux(&["kill-server"]);
    let until = Instant::now() + Duration::from_secs(5);
    while alive(pid) {
        assert!(Instant::now() < until, "postrun outlived its terminal");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_two_events_saved(&t);
}

/// Reads the countdown's plain `MM:SS left` from the screen, in seconds.
fn shown_left(screen: &str) -> Option<u64> {
    let at = screen.find(" left")?;
    let mmss = screen.get(at.checked_sub(5)?..at)?;
    let (m, s) = mmss.split_once(':')?;
    Some(m.parse::<u64>().ok()? * 60 + s.parse::<u64>().ok()?)
}

#[test]
fn ctrl_z_gives_the_shell_a_normal_terminal_and_fg_redraws_with_the_timer_on_time() {
    if !tmux_available() {
        return;
    }
    let t = Tmux::new("suspend");
    let quick = t.protocol("quick.toml", &fixture::one_timer("40s", None));
    t.start_shell((80, 24));
    t.shell_run("stty -g > before.stty");
    t.launch(&format!(
        "postrun --protocol {} --finished 0m",
        quick.display()
    ));
    t.wait_for("Enter start", 10);
    t.keys(&["Enter"]);
    let screen = t.wait_until(5, "a running countdown", |s| {
        shown_left(s).is_some_and(|l| l < 40)
    });
    let (left_before, stopped_at) = (shown_left(&screen).unwrap(), Instant::now());

    t.keys(&["C-z"]);
    t.wait_for("Stopped", 5);
    t.wait_pane("#{alternate_on} #{cursor_flag}", "0 1", 5);
    t.shell_run("stty -g > during.stty");
    let before = std::fs::read_to_string(t.home.path().join("before.stty")).unwrap();
    let during = std::fs::read_to_string(t.home.path().join("during.stty")).unwrap();
    assert_eq!(before, during, "stty settings while stopped");
    // Stopped for 3 s at least: that time must come off the timer.
    let rest = Duration::from_secs(3).saturating_sub(stopped_at.elapsed());
    std::thread::sleep(rest);

    t.type_line("fg");
    t.wait_pane("#{alternate_on} #{cursor_flag}", "1 0", 5);
    let screen = t.wait_until(5, "the guide redrawn", |s| {
        s.contains("┌ Today") && s.contains("▶ Soak") && shown_left(s).is_some()
    });
    let gone = stopped_at.elapsed().as_secs_f64();
    let left_after = shown_left(&screen).unwrap();
    let counted = left_before as f64 - left_after as f64;
    assert!(
        (counted - gone).abs() <= 1.5,
        "the timer went from {left_before}s to {left_after}s over {gone:.1}s of wall time:\n{screen}"
    );
    // And it keeps counting.
    t.wait_until(3, "the countdown to move on", |s| {
        shown_left(s).is_some_and(|l| l < left_after)
    });
    t.keys(&["q"]);
    t.wait_pane("#{alternate_on} #{cursor_flag}", "0 1", 5);
    t.shell_run("echo EXITED $?");
    assert_terminal_restored(&t, 0);
}

#[test]
fn ctrl_z_with_no_shell_to_return_to_carries_on() {
    if !tmux_available() {
        return;
    }
    // Run straight from tmux, there is no job control: the stop is refused, and the guide
    // takes the terminal straight back and redraws.
    let t = Tmux::new("suspend-orphan");
    t.start((80, 24), "--finished 20m --bedtime 23:59");
    t.wait_for("0/9 done", 10);
    t.keys(&["C-z"]);
    t.wait_pane("#{alternate_on} #{cursor_flag}", "1 0", 5);
    t.wait_for("┌ Today", 5);
    t.keys(&["Enter"]);
    t.wait_for("1/9 done", 5);
    t.keys(&["q"]);
    t.wait_for("EXITED 0", 5);
}

#[test]
fn ctrl_z_under_a_wrapper_stops_the_wrapper_too_and_fg_brings_both_back() {
    if !tmux_available() {
        return;
    }
    // `bash -c` with more to do after postrun stays postrun's parent, in its process group
    // (as `cargo run` does): stopping postrun alone left the shell waiting on the wrapper,
    // the terminal never given back.
    let t = Tmux::new("suspend-wrapped");
    t.start_shell((80, 24));
    t.shell_run("stty -g > before.stty");
    t.launch("bash -c 'postrun --finished 20m --bedtime 23:59; echo INNER $?'");
    t.wait_for("0/9 done", 10);
    t.keys(&["C-z"]);
    t.wait_for("Stopped", 5);
    t.wait_pane("#{alternate_on} #{cursor_flag}", "0 1", 5);
    t.shell_run("stty -g > during.stty");
    let before = std::fs::read_to_string(t.home.path().join("before.stty")).unwrap();
    let during = std::fs::read_to_string(t.home.path().join("during.stty")).unwrap();
    assert_eq!(before, during, "stty settings while stopped");
    t.type_line("fg");
    t.wait_pane("#{alternate_on} #{cursor_flag}", "1 0", 5);
    t.wait_for("┌ Today", 5);
    // Raw again: one key acts without Enter.
    t.keys(&["q"]);
    t.wait_for("INNER 0", 5);
    t.wait_pane("#{alternate_on} #{cursor_flag}", "0 1", 5);
}

/// After a stop from outside and `fg`: the guide is back on its own screen, in raw mode (a
/// lone `q` quits it), and the terminal comes back as it was.
fn fg_takes_the_terminal_back_in_raw_mode(t: &Tmux) {
    t.wait_for("Stopped", 5);
    t.wait_pane("#{alternate_on} #{cursor_flag}", "0 1", 5);
    t.type_line("fg");
    t.wait_pane("#{alternate_on} #{cursor_flag}", "1 0", 5);
    t.wait_for("┌ Today", 5);
    t.keys(&["q"]);
    t.wait_pane("#{alternate_on} #{cursor_flag}", "0 1", 5);
    // The line's own `echo EXITED` ran when the job stopped; ask for the exit again.
    t.shell_run("echo EXITED $?");
    assert_terminal_restored(t, 0);
    assert_two_events_saved(t);
}

#[test]
fn sigtstp_from_outside_gives_the_terminal_back_and_fg_takes_it_again() {
    if !tmux_available() {
        return;
    }
    let (t, pid) = guide_with_two_events("sigtstp", "");
    signal(pid, "TSTP");
    fg_takes_the_terminal_back_in_raw_mode(&t);
}

#[test]
fn after_sigstop_fg_takes_the_terminal_back_in_raw_mode() {
    if !tmux_available() {
        return;
    }
    // SIGSTOP cannot be caught: the shell takes the terminal as postrun left it, and SIGCONT
    // is postrun's one chance to set it up again.
    let (t, pid) = guide_with_two_events("sigstop", "");
    signal(pid, "STOP");
    t.wait_for("Stopped", 5);
    // The shell puts its own settings back; fg hands the terminal over as it is then.
    t.type_line("fg");
    t.wait_pane("#{alternate_on}", "1", 5);
    t.wait_for("┌ Today", 5);
    t.keys(&["q"]);
    t.wait_pane("#{alternate_on} #{cursor_flag}", "0 1", 5);
    t.shell_run("echo EXITED $?");
    assert_terminal_restored(&t, 0);
    assert_two_events_saved(&t);
}

#[test]
fn sigusr1_and_sigalrm_restore_the_terminal_and_keep_the_session() {
    if !tmux_available() {
        return;
    }
    for sig in ["USR1", "ALRM"] {
        let (t, pid) = guide_with_two_events(&format!("sig{}", sig.to_lowercase()), "");
        signal(pid, sig);
        assert_terminal_restored(&t, 0);
        assert_two_events_saved(&t);
    }
}

#[test]
fn every_other_signal_that_would_end_postrun_restores_the_terminal_and_keeps_the_session() {
    if !tmux_available() {
        return;
    }
    // Each of these ends a process that does not catch it, on the alternate screen with the
    // cursor hidden: the profiling and CPU-time timers, a power failure, a bad system call,
    // abort, a breakpoint trap, and a real-time signal.
    for sig in [
        "PROF", "VTALRM", "XCPU", "PWR", "SYS", "ABRT", "TRAP", "IO", "RTMIN+3",
    ] {
        let name = format!("sig-{}", sig.to_lowercase().replace('+', "-"));
        let (t, pid) = guide_with_two_events(&name, "");
        signal(pid, sig);
        assert_terminal_restored(&t, 0);
        assert_two_events_saved(&t);
    }
}

#[test]
fn a_log_past_the_file_size_limit_ends_the_guide_as_a_full_disk_does() {
    if !tmux_available() {
        return;
    }
    // `ulimit -f` with SIGXFSZ left at its default, which ends the process at the write that
    // passes the limit: caught, the write fails instead, and the guide ends as on a full disk.
    let (t, log) = reopened_at_the_size_limit("xfsz", "ulimit -f {kib}");
    // The piece of the record that fitted under the limit was cut off again.
    let status = t.status().unwrap();
    assert_eq!(status["warnings"], serde_json::json!([]), "{status}");
    assert!(std::fs::read(&log).unwrap().ends_with(b"\n"));
}

#[test]
fn ctrl_z_stops_the_plain_guide_and_fg_carries_on() {
    if !tmux_available() {
        return;
    }
    // The plain guide hears SIGTSTP as a message now: it must still stop, and come back.
    let t = Tmux::new("suspend-plain");
    t.start_shell((80, 24));
    let pid = t.launch("postrun --plain --finished 20m --bedtime 23:59");
    t.wait_for("Now:", 10);
    t.keys(&["C-z"]);
    t.wait_for("Stopped", 5);
    assert!(stopped(pid), "postrun is stopped");
    t.type_line("fg");
    let until = Instant::now() + Duration::from_secs(5);
    while stopped(pid) {
        assert!(Instant::now() < until, "fg never continued postrun");
        std::thread::sleep(Duration::from_millis(20));
    }
    // Only once it runs again: the plain guide reads ahead, and would take the shell's line.
    std::thread::sleep(Duration::from_millis(200));
    t.type_line("q");
    // Typed ahead of the guide's end, the shell's line would be read as a key.
    t.wait_for("Saved:", 5);
    t.shell_run("echo EXITED $?");
    let screen = t.screen();
    assert_eq!(exit_code(&screen), Some(0), "{screen}");
}

/// Whether a process is stopped (state `T` in `/proc/PID/stat`).
fn stopped(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| Some(s.rsplit_once(')')?.1.trim_start().starts_with('T')))
        .unwrap_or(false)
}

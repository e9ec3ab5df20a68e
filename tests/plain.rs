//! The plain guide, for screen readers and dumb terminals: a line per change, keys as lines.
//! The state tests drive `Plain` with a fixed clock; the last ones run the real binary with
//! piped input and output and read its lines.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use postrun::front::plain::Plain;
use postrun::core::session::StepState;

mod fixture;
use fixture::at;

/// The plain guide over a new session of the default protocol, the run finished at 10:00 UTC.
fn plain(dir: &std::path::Path) -> Plain {
    Plain::new(fixture::live(dir), true, fixture::utc())
}

#[test]
fn it_opens_with_the_day_and_what_to_do_now() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = plain(dir.path());
    let lines = p.open(at(0));
    assert_eq!(
        lines[0],
        "Optimal recovery: run finished 10:00, bed at 22:30, 0 of 9 steps done. ? lists the keys."
    );
    assert!(lines[1].starts_with("Now: Hydrate. Drink"), "{lines:?}");
    assert!(lines[1].ends_with("Enter when it is done."), "{lines:?}");
}

#[test]
fn an_empty_line_is_enter_and_each_change_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = plain(dir.path());
    p.open(at(0));
    let lines = p.line("", at(60));
    assert_eq!(lines[0], "Hydrate: done, 1 of 9 steps");
    assert!(
        lines[1].starts_with("Now: Stretch.")
            && lines[1].ends_with("Enter starts the 14m35s timer."),
        "{lines:?}"
    );
    assert_eq!(lines.len(), 2, "{lines:?}");

    let lines = p.line("", at(600));
    assert_eq!(
        lines,
        [
            "Stretch: started, 14:35 in all",
            "Get into position: Quadriceps, left leg"
        ]
    );
    assert_eq!(p.next_wake(at(600)), Some(at(605)), "the gap's end");
    assert_eq!(p.wake(at(605)), ["Hold: Quadriceps, left leg, 00:30"]);
    assert_eq!(p.wake(at(635)), ["Switch to the right leg"]);
    // No line for a wake that changed nothing.
    assert!(p.wake(at(636)).is_empty());
    assert_eq!(p.ui.bells, 3, "the hold, the switch, and the gap's bell");
}

#[test]
fn a_long_countdown_says_each_minute_once_even_when_woken_late() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = plain(dir.path());
    p.open(at(0));
    // Step 4 is the ice bath: its number makes it current, an empty line starts it.
    let lines = p.line("4", at(1800));
    assert!(lines[0].starts_with("Now: Ice bath."), "{lines:?}");
    assert_eq!(p.line("", at(1800)), ["Ice bath: started, 15:00 in all"]);
    assert_eq!(p.next_wake(at(1800)), Some(at(1860)));
    assert_eq!(p.wake(at(1860)), ["14 minutes left"]);
    // Woken late, past two marks and the 3-minute cue: the cue and one minute line.
    let lines = p.wake(at(1800 + 185));
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].contains("hardest part is over"), "{lines:?}");
    assert_eq!(lines[1], "12 minutes left");
    assert_eq!(p.line("p", at(1990)), ["Ice bath: paused with 11:50 left"]);
    assert_eq!(
        p.next_wake(at(1990)),
        Some(at(3600)),
        "paused: only the meal's window"
    );
    assert_eq!(
        p.line("t", at(1995)),
        ["Ice bath: 11:50 left, paused; 0 of 9 steps done."]
    );
}

#[test]
fn a_window_opening_is_announced_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = plain(dir.path());
    p.open(at(0));
    // The meal's window opens an hour after the run.
    assert_eq!(p.next_wake(at(10)), Some(at(3600)));
    assert!(p.wake(at(3599)).is_empty());
    assert_eq!(p.wake(at(3600)), ["Balanced meal is due now, 11:00-12:00."]);
    assert!(p.wake(at(3601)).is_empty());
    assert_eq!(
        p.next_wake(at(3601)),
        Some(at(11 * 3600)),
        "the Epsom bath at 21:00"
    );
}

#[test]
fn skipping_a_required_step_asks_and_y_confirms() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = plain(dir.path());
    p.open(at(0));
    assert_eq!(
        p.line("s", at(5)),
        ["Hydrate is not optional. Skip it anyway? y or n"]
    );
    let lines = p.line("y", at(6));
    assert_eq!(lines[0], "Hydrate: skipped");
    assert_eq!(p.ui.live.session.states()[0], StepState::Skipped);
    assert_eq!(p.line("u", at(7)), ["Undone: Hydrate is current again"]);
}

#[test]
fn unknown_lines_are_named_without_their_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = plain(dir.path());
    p.open(at(0));
    let lines = p.line("\u{1b}[2Jx", at(1));
    assert_eq!(lines, ["'?[2Jx' is not a key here; ? lists them."]);
    assert_eq!(p.line("42", at(2)).len(), 1, "no step 42");
    assert!(p.line("?", at(3))[0].starts_with("Keys, each followed by Enter"));
    let list = p.line("l", at(4));
    assert_eq!(list.len(), 9);
    assert_eq!(list[0], "1. Hydrate: current, by 10:10-10:15, open now");
    assert_eq!(list[3], "4. Ice bath: to do");
    assert!(!p.quit());
    p.line("q", at(5));
    assert!(p.quit());
}

/// The real binary without a terminal: it reads keys as lines and writes a line per change.
#[test]
fn the_binary_speaks_plain_lines_through_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let protocol = dir.path().join("quick.toml");
    std::fs::write(
        &protocol,
        fixture::one_timer("3s", Some(("1s", "One second in"))),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_postrun"))
        .arg("--protocol")
        .arg(&protocol)
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("TZ", "UTC")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    let mut wait_for = |want: &str| {
        loop {
            let line = rx
                .recv_timeout(Duration::from_secs(10))
                .unwrap_or_else(|_| panic!("no line {want:?}; saw {seen:?}"));
            assert!(!line.contains('\u{1b}'), "no escape sequences: {line:?}");
            seen.push(line.clone());
            if line == want {
                return;
            }
        }
    };
    wait_for("Now: Soak. Sit still. Enter starts the 3s timer.");
    writeln!(stdin,).unwrap();
    wait_for("Soak: started, 00:03 in all");
    wait_for("One second in");
    wait_for("Time: Soak is done");
    wait_for("Now: Rest. Lie down. Enter when it is done.");
    writeln!(stdin, "q").unwrap();
    wait_for("Saved: 1 of 2 steps done. Run postrun again to carry on.");
    assert!(child.wait().unwrap().success());

    // The same log: status sees it, and reopening in plain mode carries on.
    let out = Command::new(env!("CARGO_BIN_EXE_postrun"))
        .arg("--plain")
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("1 of 2 steps done"), "{text}");
    assert!(text.contains("Now: Rest."), "{text}");
}

#[test]
fn more_time_past_a_top_asks_in_words_and_the_top_is_called() {
    let dir = tempfile::tempdir().unwrap();
    let mut p = plain(dir.path());
    p.open(at(0));
    p.line("4", at(1800));
    p.line("", at(1800));
    assert_eq!(
        p.line("+", at(1810)),
        ["Ice bath tops out at 15m. Staying longer is not advised. Add 30 s anyway? y or n"]
    );
    assert_eq!(p.line("y", at(1811)), ["Ice bath: 30 s more, 15:19 left"]);
    p.wake(at(1800 + 899));
    let lines = p.wake(at(1800 + 900));
    assert_eq!(
        lines,
        ["Time to get out: Ice bath has reached its 15m limit"],
        "and no minute line over it"
    );
}

//! Two terminals on one session, end to end in tmux: while the guide runs in one window,
//! `postrun` in a second is turned away with the first one's pid, `status` and `history` read
//! freely, and once the first quits the second opens the session. Skips with a notice where
//! tmux is missing, except under CI=true.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use crate::home::BIN;
use crate::home::tmux::{Tmux, tmux_available};

/// A second tmux window beside the harness's pane, running `args`; its pane id.
fn second_window(t: &Tmux, args: &str) -> String {
    let cmd = command(args);
    t.tmux(&["new-window", "-d", "-P", "-F", "#{pane_id}", &cmd])
        .trim()
        .to_string()
}

/// postrun with `args`, run by the pane's shell (in the harness's home, as the server is);
/// when it exits, the pane says `EXITED <code>` and stays.
fn command(args: &str) -> String {
    format!("'{BIN}' {args}; echo EXITED $?; sleep 600")
}

/// Waits until the pane shows `needle`, polling; fails with its screen after `secs`.
fn wait_in(t: &Tmux, pane: &str, needle: &str, secs: u64) -> String {
    let until = Instant::now() + Duration::from_secs(secs);
    loop {
        // -J: a message wider than the pane comes back as one line.
        let screen = t.tmux(&["capture-pane", "-p", "-J", "-t", pane]);
        if screen.contains(needle) {
            return screen;
        }
        assert!(
            Instant::now() < until,
            "waited {secs}s for {needle:?} in {pane}; the screen:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_second_window_is_turned_away_while_the_guide_runs() {
    if !tmux_available() {
        return;
    }
    let t = Tmux::new("two-windows");
    let args = "--finished 20m --bedtime 22:30";
    t.start((80, 24), args);
    t.wait_for("0/9 done", 10);

    // The second window: told which process has the session and how to watch it; exit 2.
    let second = second_window(&t, args);
    let screen = wait_in(&t, &second, "EXITED 2", 10);
    let said = &screen;
    let pid: u32 = said
        .split("open in another window (pid ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .and_then(|pid| pid.parse().ok())
        .unwrap_or_else(|| panic!("no pid in:\n{screen}"));
    assert!(
        said.contains("postrun: this session is open in another window (pid ")
            && said.contains("); close it there, or watch it with `postrun status`"),
        "{screen}"
    );
    let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap();
    assert_eq!(comm.trim(), "postrun", "the pid is the guide's");

    // Watching is free, and follows what the guide writes.
    t.keys(&["Enter"]);
    t.wait_for("1/9 done", 5);
    let status = t.postrun(&["status"]);
    assert_eq!(status.status.code(), Some(0));
    let line = String::from_utf8(status.stdout).unwrap();
    assert!(line.ends_with(" · 1/9\n"), "{line}");
    assert_eq!(t.postrun(&["history"]).status.code(), Some(0));

    // Once the first window quits, the second opens the session where it stands.
    t.keys(&["q"]);
    t.wait_for("EXITED 0", 5);
    t.tmux(&["respawn-pane", "-k", "-t", &second, &command(args)]);
    wait_in(&t, &second, "1/9 done", 10);
    t.tmux(&["send-keys", "-t", &second, "q"]);
    wait_in(&t, &second, "EXITED 0", 5);
    let logs = std::fs::read_dir(t.sessions_dir()).unwrap().count();
    assert_eq!(
        logs, 1,
        "one session all along, and nothing else in its folder"
    );
}

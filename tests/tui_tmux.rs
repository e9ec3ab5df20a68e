//! End-to-end runs of the real binary in tmux, with the XDG folders in a temp dir: what a
//! runner sees and types. Skips with a notice where tmux is missing, except under CI=true,
//! where `.ci/run` has installed it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod tmux;

use std::process::Command;

use tmux::{Tmux, tmux_available};

#[test]
fn a_runner_walks_through_pauses_skips_quits_and_comes_back() {
    if !tmux_available() {
        return;
    }
    let t = Tmux::new("walk");
    t.start((80, 24), "--finished 20m --bedtime 22:30");
    t.wait_for("Enter done", 10);
    t.wait_for("▶ Hydrate", 2);

    t.keys(&["Enter"]);
    t.wait_for("1/9 done", 5);
    t.wait_for("▶ Stretch", 2);

    t.keys(&["Enter"]);
    let screen = t.wait_for("whole step", 5);
    assert!(
        screen.contains("get ready: Quadriceps, left leg")
            || screen.contains("Quadriceps, left leg"),
        "{screen}"
    );

    t.keys(&["Space"]);
    t.wait_for("paused", 5);

    t.keys(&["?"]);
    t.wait_for("Keys", 5);
    t.keys(&["Escape"]);
    let screen = t.wait_for("Enter finish", 5);
    assert!(
        !screen.contains("these keys; Esc closes"),
        "help closed:\n{screen}"
    );

    // The stretch is required: skipping asks first.
    t.keys(&["s"]);
    t.wait_for("is not optional", 5);
    t.keys(&["y"]);
    t.wait_for("▶ Recovery snack", 5);
    t.wait_for("– Stretch", 2);

    // A small window: the checklist gives way, the step stays.
    t.tmux(&["resize-window", "-x", "40", "-y", "12"]);
    let screen = t.wait_for("Recovery snack", 5);
    let small = t.wait_for("┌ Now", 5);
    assert!(!small.contains("Today"), "no checklist at 40x12:\n{screen}");
    t.tmux(&["resize-window", "-x", "80", "-y", "24"]);
    t.wait_for("┌ Today", 5);

    t.keys(&["q"]);
    let screen = t.wait_for("EXITED 0", 5);
    assert!(
        !screen.contains("┌ Today"),
        "the terminal is back to normal:\n{screen}"
    );

    // Reopening carries on where it was.
    t.start((80, 24), "");
    let screen = t.wait_for("▶ Recovery snack", 10);
    assert!(
        screen.contains("✓ Hydrate") && screen.contains("– Stretch"),
        "{screen}"
    );
    assert!(screen.contains("1/9 done"), "{screen}");
    t.keys(&["C-c"]);
    t.wait_for("EXITED 0", 5);
}

#[test]
fn a_short_timer_fires_its_cue_and_finishes_by_itself() {
    if !tmux_available() {
        return;
    }
    let t = Tmux::new("timer");
    let protocol = t.dir.path().join("quick.toml");
    std::fs::write(
        &protocol,
        r#"name = "Quick"
summary = "A short test."

[[steps]]
id = "soak"
title = "Soak"
do = "Sit still."
[steps.timer]
length = "4s"
cues = [{ at = "2s", say = "Halfway there" }]

[[steps]]
id = "rest"
title = "Rest"
do = "Lie down."
"#,
    )
    .unwrap();
    t.start((80, 24), &format!("--protocol {}", protocol.display()));
    t.wait_for("Enter start", 10);
    t.keys(&["Enter"]);
    t.wait_for("Halfway there", 6);
    t.wait_for("Time: Soak is done", 6);
    let screen = t.wait_for("▶ Rest", 2);
    assert!(screen.contains("✓ Soak"), "{screen}");
    t.keys(&["q"]);
    t.wait_for("EXITED 0", 5);

    // The log holds the run: status agrees from outside.
    let d = t.dir.path();
    let out = Command::new(env!("CARGO_BIN_EXE_postrun"))
        .arg("status")
        .env("XDG_CONFIG_HOME", d.join("config"))
        .env("XDG_DATA_HOME", d.join("data"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "rest · 1/2\n");
}

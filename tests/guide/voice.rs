//! Issue 18: `speak = true` and `notify = true` end to end: the real binary, a timer's cue,
//! and stand-ins for spd-say, espeak-ng and notify-send on `PATH` that write down their argv;
//! with no speech program, one clear warning.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::home::Home;
use crate::home::stand_in::{runs_of, stand_in};

/// A folder of stand-ins ([`stand_in`]) in the home.
fn stand_ins(home: &Home, names: &[&str]) -> PathBuf {
    let bin = home.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for name in names {
        stand_in(&bin, name);
    }
    bin
}

/// Two timers, each with a cue: the first ends before the second starts.
const TWO_TIMERS: &str = r#"name = "Quick"
summary = "A short test."

[[steps]]
id = "soak"
title = "Soak"
do = "Sit still."
[steps.timer]
length = "3s"
cues = [{ at = "1s", say = "One second in" }]

[[steps]]
id = "cool"
title = "Cool"
do = "Sit up."
[steps.timer]
length = "4s"
cues = [{ at = "2s", say = "Halfway" }]
"#;

/// Waits (10 s at most) until the speech stand-in in `bin` has run `runs` times, so nothing is
/// still on its way when the guide quits; at once when it has never run (nothing is said).
fn wait_until(bin: &Path, runs: usize) {
    let started = Instant::now();
    for name in ["spd-say", "espeak-ng"] {
        let file = bin.join(format!("{name}.args"));
        if !file.exists() {
            continue;
        }
        while std::fs::read_to_string(&file)
            .unwrap_or_default()
            .matches("END\n")
            .count()
            < runs
            && started.elapsed() < Duration::from_secs(10)
        {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Runs the plain guide over two timers with a cue each, with `PATH` set to `path` only, and
/// `config.toml` saying `config`: runs both, quits. Returns every line it printed.
fn run_the_timer(home: &Home, path: &Path, config: &str) -> Vec<String> {
    let dir = home.config_home().join("postrun");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), config).unwrap();
    let protocol = home.path().join("quick.toml");
    std::fs::write(&protocol, TWO_TIMERS).unwrap();
    let mut child = home
        .std_postrun()
        .env("PATH", path)
        .args(["--finished", "0m", "--protocol"])
        .arg(&protocol)
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
    let mut wait_for = |want: &str| loop {
        let line = rx
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("no line {want:?}; saw {seen:?}"));
        seen.push(line.clone());
        if line == want {
            return;
        }
    };
    wait_for("Now: Soak. Sit still. Enter starts the 3s timer.");
    writeln!(stdin).unwrap();
    wait_for("One second in");
    wait_for("Time: Soak is done");
    // A second timer: what the first one's end set off has long run by its cue.
    writeln!(stdin).unwrap();
    wait_for("Halfway");
    wait_until(path, 2);
    writeln!(stdin, "q").unwrap();
    wait_for("Saved: 1 of 2 steps done. Run postrun again to carry on.");
    assert!(child.wait().unwrap().success());
    seen
}

#[test]
fn cues_are_said_with_spd_say_and_shown_with_notify_send() {
    let home = Home::new();
    let bin = stand_ins(&home, &["spd-say", "espeak-ng", "notify-send"]);
    let seen = run_the_timer(&home, &bin, "speak = true\nnotify = true\n");
    // Each cue, once; the first timer's end is the bell's, not said.
    assert_eq!(
        runs_of(&bin, "spd-say"),
        [["--", "One second in"], ["--", "Halfway"]]
    );
    assert_eq!(
        runs_of(&bin, "notify-send"),
        [
            ["--app-name=postrun", "--", "Soak", "One second in"],
            ["--app-name=postrun", "--", "Cool", "Halfway"]
        ]
    );
    assert!(!bin.join("espeak-ng.args").exists(), "spd-say comes first");
    assert!(!seen.iter().any(|l| l.starts_with("Warning")), "{seen:?}");
}

#[test]
fn espeak_ng_speaks_where_there_is_no_spd_say() {
    let home = Home::new();
    let bin = stand_ins(&home, &["espeak-ng"]);
    run_the_timer(&home, &bin, "speak = true\n");
    assert_eq!(
        runs_of(&bin, "espeak-ng"),
        [["--", "One second in"], ["--", "Halfway"]]
    );
}

#[test]
fn no_speech_program_is_one_clear_warning() {
    let home = Home::new();
    let bin = stand_ins(&home, &[]);
    let seen = run_the_timer(&home, &bin, "speak = true\nnotify = true\n");
    let warnings: Vec<&String> = seen.iter().filter(|l| l.starts_with("Warning")).collect();
    assert_eq!(
        warnings,
        [
            "Warning: speak = true, but neither spd-say (speech-dispatcher) nor espeak-ng is installed: nothing is said aloud",
            "Warning: notify = true, but notify-send (libnotify) is not installed: no desktop notifications",
        ],
        "{seen:?}"
    );
}

#[test]
fn nothing_is_said_unless_asked() {
    let home = Home::new();
    let bin = stand_ins(&home, &["spd-say", "notify-send"]);
    let seen = run_the_timer(&home, &bin, "");
    assert!(!bin.join("spd-say.args").exists());
    assert!(!bin.join("notify-send.args").exists());
    assert!(!seen.iter().any(|l| l.starts_with("Warning")), "{seen:?}");
}

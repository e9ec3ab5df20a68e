//! Issue 18: 12-hour times read wherever a time is read (`--bedtime 10:30pm`, `--finished 9am`,
//! `bedtime = "10:30 PM"` in config.toml), and `clock = "12h"` shows clock times that way.
//! postrun runs in UTC here, so the times given are the times shown.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;

use predicates::prelude::*;

use crate::home::Home;

impl Home {
    fn config(&self, text: &str) {
        let dir = self.config_home().join("postrun");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("config.toml"), text).unwrap();
    }

    fn stdout(&self, args: &[&str]) -> String {
        let out = self.postrun().args(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }
}

fn row<'a>(out: &'a str, id: &str) -> &'a str {
    out.lines()
        .find(|l| l.split_whitespace().any(|w| w == id))
        .unwrap_or_else(|| panic!("no {id} row in\n{out}"))
        .trim_start()
}

#[test]
fn twelve_hour_times_are_read_on_the_command_line_and_in_config() {
    let home = Home::new();
    for (finished, bedtime) in [
        ("10am", "10:30pm"),
        ("10:00 AM", "10:30 PM"),
        ("10:00a.m.", "10:30 p.m."),
    ] {
        let out = home.stdout(&["plan", "--finished", finished, "--bedtime", bedtime]);
        assert!(
            out.starts_with("Optimal recovery: run finished 10:00, bedtime 22:30\n"),
            "{finished} {bedtime}: {out}"
        );
    }
    let out = home.stdout(&["plan", "--finished", "12pm", "--bedtime", "12am"]);
    assert!(
        out.starts_with("Optimal recovery: run finished 12:00, bedtime tomorrow 00:00\n"),
        "{out}"
    );
    home.postrun()
        .args(["plan", "--bedtime", "13pm"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "'13pm' is not a time; write it like 21:30 or 9:30pm",
        ));

    home.config("bedtime = \"10:30pm\"\n");
    let out = home.stdout(&["plan", "--finished", "10:00"]);
    assert!(out.contains("bedtime 22:30\n"), "{out}");
}

#[test]
fn plan_shows_the_twelve_hour_clock_when_asked() {
    let home = Home::new();
    home.config("clock = \"12h\"\n");
    let out = home.stdout(&["plan", "--finished", "10:00", "--bedtime", "22:30"]);
    assert!(
        out.starts_with("Optimal recovery: run finished 10:00am, bedtime 10:30pm\n"),
        "{out}"
    );
    assert!(
        row(&out, "hydrate").starts_with("by 10:10am-10:15am"),
        "{out}"
    );
    assert!(row(&out, "meal").starts_with("11:00am-12:00pm"), "{out}");
    assert!(
        row(&out, "epsom-bath").starts_with("9:00pm-9:30pm"),
        "{out}"
    );
    assert!(row(&out, "sleep").starts_with("at 10:30pm"), "{out}");
    // JSON keeps its RFC 3339 times whatever the clock.
    let json = home.stdout(&[
        "plan",
        "--json",
        "--finished",
        "10:00",
        "--bedtime",
        "22:30",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        v["bedtime"].as_str().unwrap().ends_with("T22:30:00+00:00"),
        "{v}"
    );

    home.config("clock = \"24h\"\n");
    let out = home.stdout(&["plan", "--finished", "10:00", "--bedtime", "22:30"]);
    assert!(row(&out, "sleep").starts_with("at 22:30"), "{out}");

    // A bad file is a problem in a file, as everywhere: exit 1.
    home.config("clock = \"am/pm\"\n");
    home.postrun()
        .args(["plan"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "config.toml:1:9: clock is \"24h\" or \"12h\", not 'am/pm'",
        ));
}

/// `hydrate by 9:55am-10:00am · 0/9` (the hours depend on when the test runs).
fn twelve_hour_window(line: &str) -> bool {
    let clock = |t: &str| {
        let Some(t) = t.strip_suffix("am").or_else(|| t.strip_suffix("pm")) else {
            return false;
        };
        let Some((h, m)) = t.split_once(':') else {
            return false;
        };
        h.parse::<u32>().is_ok_and(|h| (1..=12).contains(&h))
            && !h.starts_with('0')
            && m.len() == 2
            && m.parse::<u32>().is_ok_and(|m| m < 60)
    };
    let Some(rest) = line.strip_prefix("hydrate by ") else {
        return false;
    };
    let Some((window, tail)) = rest.split_once(' ') else {
        return false;
    };
    let Some((from, to)) = window.split_once('-') else {
        return false;
    };
    clock(from) && clock(to) && tail == "· 0/9\n"
}

#[test]
fn status_shows_the_twelve_hour_clock_when_asked() {
    let home = Home::new();
    home.postrun()
        .args(["--finished", "5m", "--bedtime", "10:30pm"])
        .assert()
        .success();
    let line = home.stdout(&["status"]);
    assert!(!twelve_hour_window(&line), "24-hour by default: {line}");
    home.config("clock = \"12h\"\n");
    let line = home.stdout(&["status"]);
    assert!(twelve_hour_window(&line), "{line}");
    let history = home.stdout(&["history"]);
    assert_eq!(history, "No past sessions yet.\n");

    // A config file half-edited does not stop a status bar: a warning, and 24-hour times.
    home.config("clock = \"12\"\n");
    home.postrun()
        .arg("status")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("hydrate by "))
        .stderr(predicate::str::contains(
            "config.toml:1:9: clock is \"24h\" or \"12h\", not '12'; showing 24-hour times and metric units",
        ));
}

//! Issue 18: `status --format TEMPLATE` fills named fields, an unknown one is bad usage
//! (exit 2, named), and `status --waybar` prints waybar's JSON shape. The plain line and
//! `--json` stay as they were (the tests in `commands.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, TimeDelta, Utc};
use postrun::core::session::Event;
use predicates::prelude::*;
use serde_json::Value;

use crate::home::Home;

fn stdout(home: &Home, args: &[&str]) -> String {
    let out = home.postrun().args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// A session finished 5 minutes ago, with `events` recorded on it as the guide would.
fn session(events: &[Event]) -> Home {
    let home = Home::new();
    home.postrun()
        .args(["--finished", "5m", "--bedtime", &crate::home::bedtime_far()])
        .assert()
        .success();
    let store = postrun::store::Store::new(&home.data_home().join("postrun"));
    let now = Utc::now();
    let open = store.find_open(now).unwrap().expect("an open session");
    let (mut log, mut session) = store.resume(open).unwrap();
    for e in events {
        session.apply(e.clone(), now).unwrap();
        log.append(now, e).unwrap();
    }
    home
}

/// `HH:MM` of the session's finish plus `minutes` (postrun runs in UTC here).
fn after_finish(home: &Home, minutes: i64) -> String {
    let v: Value = serde_json::from_str(&stdout(home, &["status", "--json"])).unwrap();
    let finished = DateTime::parse_from_rfc3339(v["finished_at"].as_str().unwrap()).unwrap();
    (finished + TimeDelta::minutes(minutes))
        .format("%H:%M")
        .to_string()
}

#[test]
fn a_template_fills_every_field() {
    let home = session(&[Event::Complete, Event::Start]);
    let out = stdout(
        &home,
        &[
            "status",
            "--format",
            "{step}|{title}|{left}|{done}/{total}|{next}|{{braces}}",
        ],
    );
    let fields: Vec<&str> = out.trim_end_matches('\n').split('|').collect();
    assert_eq!(fields[..2], ["stretch", "Stretch"], "{out}");
    assert!(
        ["00:03", "00:04", "00:05"].contains(&fields[2]),
        "the get-into-position gap: {out}"
    );
    assert_eq!(fields[3], "1/9", "{out}");
    // The meal opens 1h after the finish, the first window still to come.
    let meal = format!(
        "Balanced meal {}-{}",
        after_finish(&home, 60),
        after_finish(&home, 120)
    );
    assert_eq!(fields[4], meal, "{out}");
    assert_eq!(fields[5], "{braces}", "{out}");
}

#[test]
fn empty_fields_say_nothing_and_the_clock_setting_holds() {
    let home = session(&[]);
    let out = stdout(&home, &["status", "--format", "[{left}] {title}"]);
    assert_eq!(out, "[] Hydrate\n", "no timer runs: {{left}} is empty");
    let dir = home.config_home().join("postrun");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "clock = \"12h\"\n").unwrap();
    let next = stdout(&home, &["status", "--format", "{next}"]);
    assert!(next.starts_with("Balanced meal "), "{next}");
    assert!(next.trim_end().ends_with('m'), "am or pm: {next}");
}

#[test]
fn an_unknown_field_is_bad_usage_and_named() {
    let home = session(&[]);
    home.postrun()
        .args(["status", "--format", "{title} {remaining}"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("unknown field '{remaining}'"))
        .stderr(predicate::str::contains(
            "{step}, {title}, {left}, {done}, {total}, {next}",
        ));
    home.postrun()
        .args(["status", "--format", "{title", "--waybar"])
        .assert()
        .code(2);
    home.postrun()
        .args(["status", "--format", "{title}", "--json"])
        .assert()
        .code(2);
}

fn waybar(home: &Home, args: &[&str]) -> Value {
    let mut all = vec!["status", "--waybar"];
    all.extend(args);
    let out = stdout(home, &all);
    assert_eq!(out.lines().count(), 1, "one line a poll: {out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["class", "percentage", "text", "tooltip"], "{v}");
    v
}

#[test]
fn waybar_gets_its_json_shape() {
    let home = session(&[]);
    let v = waybar(&home, &[]);
    let line = stdout(&home, &["status"]);
    assert_eq!(v["text"], line.trim_end(), "the text is the one line");
    assert_eq!(v["class"], "ready");
    assert_eq!(v["percentage"], 0);
    let tooltip = v["tooltip"].as_str().unwrap();
    assert!(
        tooltip.starts_with("Optimal recovery: 0 of 9 done\nnext: Balanced meal "),
        "{tooltip}"
    );
    let v = waybar(&home, &["--format", "{title} {done}/{total}"]);
    assert_eq!(v["text"], "Hydrate 0/9");

    let home = session(&[Event::Complete, Event::Start]);
    let v = waybar(&home, &[]);
    assert_eq!(v["class"], "running");
    assert!(v["percentage"].as_u64().unwrap() <= 1, "just started: {v}");
    let home = session(&[Event::Complete, Event::Start, Event::Pause]);
    assert_eq!(waybar(&home, &[])["class"], "paused");
}

#[test]
fn waybar_without_a_session_is_empty_and_exits_1() {
    let home = Home::new();
    let out = home.postrun().args(["status", "--waybar"]).assert().code(1);
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["text"], "");
    assert_eq!(v["class"], "none");
    home.postrun()
        .args(["status", "--format", "{title}"])
        .assert()
        .code(1)
        .stdout("");
}

#[test]
fn waybar_text_is_printable_once_its_json_is_read() {
    // An ESC in the text, escaped as \u001b in the JSON, is an ESC again on waybar's bar.
    let home = session(&[]);
    let v = waybar(&home, &["--format", "\u{1b}]52;c;eA==\u{7}{title}\u{202E}"]);
    let text = v["text"].as_str().unwrap();
    assert_eq!(text, "?]52;c;eA==?Hydrate?");
}

//! Issue 18: quantities a protocol marks (`{12-15 C}`, `{500 ml}`) are shown in the runner's
//! units: metric by default, US with `units = "us"` (54-59 F, 17 fl oz); the built-ins mark
//! theirs, and `check` refuses a mark it cannot read.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;

use predicates::prelude::*;

use crate::home::Home;

fn config(home: &Home, text: &str) {
    let dir = home.config_home().join("postrun");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("config.toml"), text).unwrap();
}

fn stdout(home: &Home, args: &[&str]) -> String {
    let out = home.postrun().args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// A routine of the runner's own whose one step, with a window, marks a temperature.
const COLD: &str = "name = \"Cold\"\nsummary = \"s\"\n\n[[steps]]\nid = \"ice\"\ntitle = \"Ice\"\ndo = \"Sit in {12-15 C} water; drink {500 ml} after.\"\nwindow = { within = \"1h\" }\n";

/// The calendar file's text for `COLD`, its folded lines joined again (RFC 5545 folds at 75
/// octets).
fn ics(home: &Home) -> String {
    let protocols = home.config_home().join("postrun/protocols");
    fs::create_dir_all(&protocols).unwrap();
    fs::write(protocols.join("cold.toml"), COLD).unwrap();
    stdout(
        home,
        &["plan", "--ics", "--protocol", "cold", "--finished", "10:00"],
    )
    .replace("\r\n ", "")
    .replace("\\,", ",")
    .replace("\\;", ";")
}

/// What the plain guide says first about the day: its first step.
fn guide(home: &Home) -> String {
    let out = home
        .postrun()
        .args(["--plain", "--new", "--finished", "0m"])
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn the_builtins_mark_their_quantities() {
    let source = postrun::core::protocol::builtin("optimal-recovery")
        .unwrap()
        .source;
    assert!(source.contains("Sit in {12-15 C} water"), "the ice bath");
    assert!(source.contains("Drink at least {500 ml}"), "hydrate");
    let home = Home::new();
    home.postrun().arg("init").assert().success();
    let mine = home
        .config_home()
        .join("postrun/protocols/optimal-recovery.toml");
    home.postrun()
        .arg("check")
        .arg(&mine)
        .assert()
        .success()
        .stdout(predicate::str::ends_with(": ok (9 steps)\n"));
}

#[test]
fn metric_is_the_default_and_no_brace_shows() {
    let home = Home::new();
    let said = guide(&home);
    assert!(said.contains("Drink at least 500 ml, ideally"), "{said}");
    let calendar = ics(&home);
    assert!(
        calendar.contains("Sit in 12-15 C water; drink 500 ml after."),
        "{calendar}"
    );
    for out in [said, calendar, stdout(&home, &["show", "cold"])] {
        assert!(!out.contains('{') && !out.contains('}'), "{out}");
    }
}

#[test]
fn us_units_show_fahrenheit_and_fluid_ounces() {
    let home = Home::new();
    config(&home, "units = \"us\"\n");
    let said = guide(&home);
    assert!(said.contains("Drink at least 17 fl oz, ideally"), "{said}");
    let calendar = ics(&home);
    assert!(
        calendar.contains("Sit in 54-59 F water; drink 17 fl oz after."),
        "{calendar}"
    );

    // A session begun in metric reads in US units once the setting changes, and back.
    let home = Home::new();
    home.postrun()
        .args(["--plain", "--finished", "0m"])
        .assert()
        .success();
    config(&home, "units = \"us\"\n");
    let out = home.postrun().arg("--plain").assert().success();
    let said = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(said.contains("Drink at least 17 fl oz"), "{said}");
    config(&home, "units = \"metric\"\n");
    let out = home.postrun().arg("--plain").assert().success();
    let said = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(said.contains("Drink at least 500 ml"), "{said}");
}

#[test]
fn a_mark_check_cannot_read_points_at_its_text() {
    let home = Home::new();
    let file = home.path().join("mine.toml");
    fs::write(
        &file,
        "name = \"Mine\"\nsummary = \"s\"\n\n[[steps]]\nid = \"ice\"\ntitle = \"Ice\"\ndo = \"Sit in {12-15 K} water.\"\n",
    )
    .unwrap();
    home.postrun()
        .args(["check", "mine.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "mine.toml:7:6: 'do': '{12-15 K}' is not a quantity: 'K' is not a unit postrun knows",
        ));
    fs::write(
        &file,
        "name = \"Mine\"\nsummary = \"s\"\n\n[[steps]]\nid = \"ice\"\ntitle = \"Ice\"\ndo = \"Braces: {{ok}} and {not closed\"\n",
    )
    .unwrap();
    home.postrun()
        .args(["check", "mine.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "mine.toml:7:6: 'do': a '{' with no '}' after it; write '{{' for a brace",
        ));
    config(&home, "units = \"imperial\"\n");
    home.postrun()
        .arg("plan")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "config.toml:1:9: units is \"metric\" or \"us\", not 'imperial'",
        ));
}

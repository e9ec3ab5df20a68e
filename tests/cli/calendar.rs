//! `postrun plan --ics`, end to end: the built binary's calendar file parses back, and holds
//! every kept step's window and alarm as `plan --json` gives them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;

use assert_cmd::Command;
use chrono::{DateTime, Utc};
use icalendar::{Calendar, CalendarComponent, CalendarDateTime, Component, DatePerhapsTime, Event};

use crate::home::Home;

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

fn events(text: &str) -> Vec<Event> {
    let calendar: Calendar = text.parse().unwrap();
    calendar
        .components
        .into_iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .collect()
}

fn utc(t: Option<DatePerhapsTime>) -> Option<DateTime<Utc>> {
    match t? {
        DatePerhapsTime::DateTime(CalendarDateTime::Utc(t)) => Some(t),
        other => panic!("not a UTC time: {other:?}"),
    }
}

fn time(v: &serde_json::Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap())
        .unwrap()
        .to_utc()
}

/// Checks the calendar against `plan --json` for the same arguments: one event per kept step
/// with a window, in order, with its start, end and an alarm at its start; nothing else.
fn check_against_json(home: &Home, args: &[&str]) -> Vec<String> {
    let ics = stdout(home.postrun().args(["plan", "--ics"]).args(args));
    let json: serde_json::Value =
        serde_json::from_str(&stdout(home.postrun().args(["plan", "--json"]).args(args))).unwrap();
    let kept: Vec<&serde_json::Value> = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kept"] == true && !s["start"].is_null())
        .collect();
    let events = events(&ics);
    assert_eq!(events.len(), kept.len(), "{ics}");
    for (event, step) in events.iter().zip(&kept) {
        let id = step["id"].as_str().unwrap();
        assert_eq!(event.get_summary(), step["title"].as_str(), "{id}");
        assert!(
            event
                .get_uid()
                .unwrap()
                .ends_with(&format!("-{id}@postrun"))
        );
        let (start, end) = (time(&step["start"]), time(&step["end"]));
        assert_eq!(utc(event.get_start()), Some(start), "{id}");
        // A window that is one moment has no end: it ends as it starts.
        assert_eq!(utc(event.get_end()).unwrap_or(start), end, "{id}");
        let alarms: Vec<_> = event
            .components()
            .iter()
            .filter(|c| c.component_kind() == "VALARM")
            .collect();
        assert_eq!(alarms.len(), 1, "{id}");
        assert_eq!(alarms[0].property_value("ACTION"), Some("DISPLAY"));
        let trigger = alarms[0].properties().get("TRIGGER").unwrap();
        assert_eq!(
            (
                trigger.value(),
                trigger.params().get("RELATED").map(|p| p.value())
            ),
            ("P0D", Some("START")),
            "{id}"
        );
    }
    events
        .iter()
        .map(|e| e.get_summary().unwrap().to_string())
        .collect()
}

#[test]
fn plan_ics_holds_every_kept_window_with_its_alarm() {
    let home = Home::new();
    let titles = check_against_json(&home, &["--finished", "10:00", "--bedtime", "22:30"]);
    assert_eq!(
        titles,
        [
            "Hydrate",
            "Stretch",
            "Recovery snack",
            "Balanced meal",
            "Epsom salt bath",
            "Roll and stretch",
            "Sleep"
        ]
    );
    let ics =
        stdout(
            home.postrun()
                .args(["plan", "--ics", "--finished", "10:00", "--bedtime", "22:30"]),
        );
    let meal = events(&ics).into_iter().nth(3).unwrap();
    let description = meal.get_description().unwrap();
    assert!(description.starts_with("Sit down to a proper meal of carbohydrates, protein and fat"));
    assert!(description.contains("\n\nWhen: 11:00-12:00\n\n"));
}

#[test]
fn plan_ics_leaves_out_what_the_budget_drops() {
    let home = Home::new();
    let titles = check_against_json(
        &home,
        &[
            "--finished",
            "10:00",
            "--bedtime",
            "22:30",
            "--budget",
            "25m",
        ],
    );
    // 25m keeps the required steps (20m55s, the meal taking none) and nothing optional.
    assert_eq!(
        titles,
        [
            "Hydrate",
            "Stretch",
            "Recovery snack",
            "Balanced meal",
            "Sleep"
        ]
    );
}

#[test]
fn plan_ics_output_writes_the_file() {
    let home = Home::new();
    let path = home.path().join("out/today.ics");
    let printed = stdout(
        home.postrun()
            .args(["plan", "--ics", "--finished", "10:00"]),
    );
    home.postrun()
        .args(["plan", "--ics", "--finished", "10:00", "--output"])
        .arg(&path)
        .assert()
        .success()
        // It says what it wrote.
        .stdout(format!(
            "Wrote 7 events for the run that finished 10:00 to {}\n",
            path.display()
        ));
    let written = fs::read_to_string(&path).unwrap();
    // Only the time stamp of the export differs.
    let strip = |s: &str| {
        s.lines()
            .filter(|l| !l.starts_with("DTSTAMP:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&written), strip(&printed));
    assert_eq!(events(&written).len(), 7);
    // `-o -` prints it, as without -o.
    let dashed =
        stdout(
            home.postrun()
                .args(["plan", "--ics", "--finished", "10:00", "--output", "-"]),
        );
    assert_eq!(strip(&dashed), strip(&printed));
    // `-o /dev/stdout` (a pipe here) is written into, not refused or replaced, and nothing
    // else is said there.
    #[cfg(target_os = "linux")]
    {
        let devout = stdout(home.postrun().args([
            "plan",
            "--ics",
            "--finished",
            "10:00",
            "--output",
            "/dev/stdout",
        ]));
        assert_eq!(strip(&devout), strip(&printed));
    }
    // Beside it, no temporary file is left.
    assert_eq!(fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);
}

#[test]
fn plan_ics_refuses_json_and_output_alone() {
    let home = Home::new();
    home.postrun()
        .args(["plan", "--ics", "--json"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot be used with"));
    home.postrun()
        .args(["plan", "--output", "x.ics"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--ics"));
    assert!(!home.path().join("x.ics").exists());
}

#[test]
fn plan_and_its_calendar_follow_the_open_session() {
    let home = Home::new();
    // A session started 40 minutes ago with its own bedtime and budget.
    home.postrun()
        .args(["--finished", "40m", "--bedtime", "23:59", "--budget", "25m"])
        .write_stdin("")
        .assert()
        .success();
    let status: serde_json::Value = serde_json::from_slice(
        &home
            .postrun()
            .args(["status", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let plan: serde_json::Value = serde_json::from_slice(
        &home
            .postrun()
            .args(["plan", "--json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    // The session's finish and bedtime, not now and the default.
    assert_eq!(plan["session"], true, "{plan}");
    assert_eq!(plan["finished_at"], status["finished_at"], "{plan}");
    assert_eq!(plan["bedtime"], status["bedtime"], "{plan}");
    assert_eq!(plan["budget_s"], 25 * 60, "{plan}");
    let kept: Vec<&str> = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kept"] == true)
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(!kept.contains(&"ice-bath"), "the budget's drops: {kept:?}");
    // The calendar of the day is the same a minute later: the UIDs are the session's.
    let uids = |text: &[u8]| -> Vec<String> {
        events(std::str::from_utf8(text).unwrap())
            .iter()
            .map(|e| e.get_uid().unwrap().to_string())
            .collect()
    };
    let a = uids(
        &home
            .postrun()
            .args(["plan", "--ics"])
            .output()
            .unwrap()
            .stdout,
    );
    let b = uids(
        &home
            .postrun()
            .args(["plan", "--ics"])
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(a, b);
    assert_eq!(
        a.len(),
        plan["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["kept"] == true && s["start"] != serde_json::Value::Null)
            .count()
    );
}

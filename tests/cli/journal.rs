//! Issue 17, part 2: how sore, and notes. `postrun log` keeps them in the journal (private,
//! append-only); `plan` and the plain guide say the trend first, and what the runner's own
//! rule in config.toml says of it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::os::unix::fs::PermissionsExt;

use chrono::{Days, TimeDelta, Utc};
use postrun::core::journal::Entry;
use postrun::store::journal::Journal;
use predicates::prelude::*;

use crate::home::Home;

fn stdout(cmd: &mut assert_cmd::Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

fn journal(home: &Home) -> Journal {
    Journal::new(&home.data_home().join("postrun"))
}

/// Soreness `yesterday` and `today` in the journal (the harness's clock is UTC).
fn sore_two_days(home: &Home, yesterday: u8, today: u8) {
    let now = Utc::now();
    let day = now.date_naive();
    for (at, day, sore) in [
        (
            now - TimeDelta::days(1),
            day.checked_sub_days(Days::new(1)).unwrap(),
            yesterday,
        ),
        (now - TimeDelta::seconds(5), day, today),
    ] {
        journal(home)
            .append(&Entry {
                at,
                day,
                sore: Some(sore),
                note: None,
            })
            .unwrap();
    }
}

#[test]
fn log_notes_soreness_and_a_line_and_shows_them() {
    let home = Home::new();
    assert!(stdout(home.postrun().arg("log")).starts_with("Nothing noted yet."));
    let out = stdout(
        home.postrun()
            .args(["log", "--sore", "7", "left", "calf", "tight"]),
    );
    let today = Utc::now().date_naive();
    assert_eq!(
        out,
        format!(
            "Noted for {}: sore 7, \"left calf tight\".\nYour record: sore 7 today.\n",
            today.format("%A %-d %B")
        )
    );
    stdout(home.postrun().args(["log", "slept badly"]));
    let path = journal(&home).path().to_path_buf();
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(fs::read_to_string(&path).unwrap().lines().count(), 2);
    let out = stdout(home.postrun().arg("log"));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with(&today.format("%Y-%m-%d ").to_string()),
        "{out}"
    );
    assert!(lines[0].ends_with("  sore 7, \"left calf tight\""), "{out}");
    assert!(lines[1].ends_with("  \"slept badly\""), "{out}");
    assert_eq!(lines[2], "Your record: sore 7 today.");
}

#[test]
fn log_refuses_what_is_not_a_number_or_a_line() {
    let home = Home::new();
    for args in [
        vec!["log", "--sore", "11"],
        vec!["log", "--sore", "-1"],
        vec!["log", "--sore", "seven"],
        vec!["log", "two\nlines"],
        vec!["log", "\u{1b}[2Jcleared"],
    ] {
        home.postrun().args(&args).assert().code(2);
    }
    let long = "x".repeat(501);
    home.postrun()
        .args(["log", &long])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("a note is at most 500 characters"));
    assert!(!journal(&home).path().exists(), "nothing noted");
}

#[test]
fn plan_and_the_plain_guide_say_the_record_and_the_runners_rule() {
    let home = Home::new();
    sore_two_days(&home, 7, 8);
    // Without a rule, the record alone.
    let out = stdout(home.postrun().arg("plan"));
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("Optimal recovery: run finished"),
        "{out}"
    );
    assert_eq!(lines[1], "Your record: sore 7 and 8 the last two days.");
    assert!(!out.contains("rule"), "{out}");

    let config = home.config_home().join("postrun");
    fs::create_dir_all(&config).unwrap();
    fs::write(config.join("config.toml"), "sore_rest_above = 6\n").unwrap();
    let out = stdout(home.postrun().arg("plan"));
    assert!(
        out.lines().nth(2).unwrap().starts_with(
            "Sore above 6 two days in a row (7, then 8), which your rule in config.toml watches for: today could be the Soothe sore muscles routine (postrun --protocol soothe-sore-muscles) or a rest day."
        ),
        "{out}"
    );
    let out = stdout(
        home.postrun()
            .args(["plan", "--protocol", "soothe-sore-muscles"]),
    );
    assert!(
        out.contains("today could be this gentler routine, or a rest day."),
        "{out}"
    );
    let v: serde_json::Value =
        serde_json::from_str(&stdout(home.postrun().args(["plan", "--json"]))).unwrap();
    assert_eq!(
        v["record"][0],
        "Your record: sore 7 and 8 the last two days."
    );

    let out = stdout(home.postrun().args(["--finished", "5m"]).write_stdin("q\n"));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[1], "Your record: sore 7 and 8 the last two days.",
        "{out}"
    );
    assert!(
        lines[2].starts_with("Sore above 6 two days in a row"),
        "{out}"
    );

    // Numbers at or under the rule's: the record, no offer.
    let calm = Home::new();
    sore_two_days(&calm, 7, 6);
    fs::create_dir_all(calm.config_home().join("postrun")).unwrap();
    fs::write(
        calm.config_home().join("postrun/config.toml"),
        "sore_rest_above = 6\n",
    )
    .unwrap();
    let out = stdout(calm.postrun().arg("plan"));
    assert!(
        out.contains("Your record: sore 7 and 6 the last two days."),
        "{out}"
    );
    assert!(!out.contains("Sore above"), "{out}");
}

#[test]
fn history_draws_the_weeks_and_writes_csv_end_to_end() {
    let home = Home::new();
    stdout(home.postrun().args(["log", "--sore", "4", "easy, really"]));
    // Hydrate done, then quit: today's session so far (the run finished now, so on the
    // journal's day).
    stdout(
        home.postrun()
            .args(["--finished", "0m"])
            .write_stdin("\nq\n"),
    );
    let out = stdout(
        home.postrun()
            .args(["history", "--calendar", "--weeks", "2"]),
    );
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("Week of   Mon"), "{out}");
    assert_eq!(lines.len(), 1 + 2 + 4, "{out}");
    assert!(
        lines[2].trim_end().ends_with("░░ 4"),
        "today: 1 of 9 done, sore 4: {out}"
    );
    let csv = stdout(home.postrun().args(["history", "--csv"]));
    let rows: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 2, "{csv}");
    assert!(
        rows[1].contains(",true,false,1,9,"),
        "open, not closed early, 1 of 9: {csv}"
    );
    assert!(
        rows[1].contains(",4,\"easy, really\",,done,active,"),
        "{csv}"
    );
    for args in [
        vec!["history", "--csv", "--json"],
        vec!["history", "--csv", "--calendar"],
        vec!["history", "--weeks", "3"],
        vec!["history", "--calendar", "--weeks", "0"],
    ] {
        home.postrun().args(&args).assert().code(2);
    }
}

#[test]
fn the_plain_guide_asks_how_sore_at_the_end_and_notes_the_answer() {
    let home = Home::new();
    let routine = home.path().join("short.toml");
    fs::write(
        &routine,
        "name = \"Short\"\nsummary = \"One step.\"\n[[steps]]\nid = \"nap\"\ntitle = \"Nap\"\n\
         do = \"Sleep.\"\noptional = true\n",
    )
    .unwrap();
    let args = [
        "--plain",
        "--protocol",
        routine.to_str().unwrap(),
        "--finished",
        "1m",
        "--bedtime",
        &crate::home::bedtime_far(),
    ];
    let out = stdout(
        home.postrun()
            .args(args)
            .write_stdin("s\n7 left calf tight\nq\n"),
    );
    assert!(
        out.contains("How sore are you, 0-10, and a note? (Enter skips)\n"),
        "{out}"
    );
    assert!(out.contains("Noted in your journal"), "{out}");
    let (entries, _) = journal(&home).read().unwrap();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0].sore, Some(7));
    assert_eq!(entries[0].note.as_deref(), Some("left calf tight"));

    // Enter skips: nothing is noted, and q still quits.
    let other = Home::new();
    let out = stdout(other.postrun().args(args).write_stdin("s\n\nq\n"));
    assert!(out.contains("Nothing noted."), "{out}");
    assert!(journal(&other).read().unwrap().0.is_empty());
}

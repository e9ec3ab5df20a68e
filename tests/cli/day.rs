//! The day as a runner lives it, end to end under libfaketime (Debian's `faketime`, which
//! `.ci/run` installs) in Europe/Berlin: a run at 07:00, 20:37 and 23:10 with bedtime 22:30,
//! and the nights the clocks change. Skips with a notice where faketime is missing, except
//! under CI=true.
#![allow(clippy::unwrap_used)]

use std::process::{Command, Output};

use crate::home::{BIN, Home};

/// Whether `faketime` is here; a notice when not, and a failure under CI=true.
fn faketime_available() -> bool {
    let found = Command::new("faketime")
        .args(["2026-05-01 07:00:00", "true"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "faketime is missing under CI=true; .ci/run must install it"
        );
        eprintln!("NOTICE: faketime not found; skipping the end-to-end clock tests");
    }
    found
}

/// postrun with `args`, its clock at `when` in Berlin.
fn at(home: &Home, when: &str, args: &[&str]) -> Output {
    home.std_command("faketime")
        .env("TZ", "Europe/Berlin")
        .arg(when)
        .arg(BIN)
        .args(args)
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// The step ids of a `plan`, in its order, with their last column.
fn rows(plan: &str) -> Vec<String> {
    plan.lines()
        .filter(|l| l.starts_with("  "))
        .map(|l| {
            let cells: Vec<&str> = l.split("  ").filter(|c| !c.trim().is_empty()).collect();
            let id = cells.get(1).copied().unwrap_or_default().trim();
            let last = cells.last().copied().unwrap_or_default().trim();
            match last {
                "optional" | "dropped" | "too late tonight" => format!("{id} {last}"),
                _ => id.to_string(),
            }
        })
        .collect()
}

#[test]
fn a_morning_run_is_planned_in_the_files_order() {
    if !faketime_available() {
        return;
    }
    let home = Home::new();
    let plan = text(&at(
        &home,
        "2026-05-01 07:05:00",
        &["plan", "--finished", "7:00", "--bedtime", "22:30"],
    ));
    assert!(
        plan.starts_with("Optimal recovery: run finished 07:00, bedtime 22:30\n"),
        "{plan}"
    );
    assert_eq!(
        rows(&plan),
        [
            "hydrate",
            "stretch",
            "snack",
            "ice-bath optional",
            "meal",
            "nap optional",
            "epsom-bath optional",
            "roll optional",
            "sleep"
        ]
    );
    assert!(!plan.contains("runs past"), "{plan}");
}

#[test]
fn an_evening_run_eats_after_the_bath_and_says_what_clashes() {
    if !faketime_available() {
        return;
    }
    let home = Home::new();
    let plan = text(&at(
        &home,
        "2026-05-01 20:40:00",
        &["plan", "--finished", "20:37", "--bedtime", "22:30"],
    ));
    assert!(
        plan.starts_with("Optimal recovery: run finished 20:37, bedtime 22:30\n"),
        "{plan}"
    );
    assert_eq!(
        rows(&plan),
        [
            "hydrate",
            "stretch",
            "snack",
            "ice-bath optional",
            "epsom-bath optional",
            "roll optional",
            "meal",
            "nap optional",
            "sleep"
        ]
    );
    assert!(
        plan.contains("\nBalanced meal 21:37-22:37 runs past your 22:30 bedtime.\n"),
        "{plan}"
    );
    assert!(
        plan.contains("\nEpsom salt bath 21:00-21:30 comes before Balanced meal 21:37-22:37"),
        "{plan}"
    );

    // The guide's first screen, plain: the same day, the same words, the session in that order.
    let out = home
        .std_command("faketime")
        .env("TZ", "Europe/Berlin")
        .args([
            "2026-05-01 20:40:00",
            BIN,
            "--plain",
            "--finished",
            "20:37",
            "--bedtime",
            "22:30",
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let said = text(&out);
    assert!(
        said.starts_with("Optimal recovery: run finished 20:37, bedtime 22:30, 0 of 9 steps done."),
        "{said}"
    );
    assert!(
        said.contains("Balanced meal 21:37-22:37 runs past your 22:30 bedtime."),
        "{said}"
    );
    let status = text(&at(&home, "2026-05-01 20:41:00", &["status", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&status).unwrap();
    let ids: Vec<&str> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids[4..7], ["epsom-bath", "roll", "meal"], "{status}");
    assert_eq!(v["clashes"].as_array().unwrap().len(), 2, "{status}");
    // And `plan` with the session open shows that day, not a new one from now.
    let plan = text(&at(&home, "2026-05-01 21:10:00", &["plan"]));
    assert!(
        plan.starts_with("Your session, Optimal recovery: run finished 20:37, bedtime 22:30"),
        "{plan}"
    );
}

#[test]
fn a_run_after_bedtime_plans_tonight_not_tomorrow() {
    if !faketime_available() {
        return;
    }
    let home = Home::new();
    let plan = text(&at(
        &home,
        "2026-05-01 23:12:00",
        &["plan", "--finished", "23:10", "--bedtime", "22:30"],
    ));
    assert!(
        plan.starts_with("Optimal recovery: run finished 23:10, bedtime 23:40\n"),
        "{plan}"
    );
    assert!(
        plan.contains("A late night: tonight is the steps that follow a run at once"),
        "{plan}"
    );
    assert!(
        plan.contains("epsom-bath  Epsom salt bath   10m     too late tonight"),
        "{plan}"
    );
    assert!(
        plan.contains("Balanced meal: too late tonight: it opens at 00:10"),
        "{plan}"
    );
}

#[test]
fn a_bedtime_far_off_is_shown_with_its_day() {
    if !faketime_available() {
        return;
    }
    let home = Home::new();
    // A run at 05:00 sleeps at 22:30 the same day, 17.5 hours on: named "today".
    let plan = text(&at(
        &home,
        "2026-05-01 05:05:00",
        &["plan", "--finished", "5:00", "--bedtime", "22:30"],
    ));
    assert!(
        plan.starts_with("Optimal recovery: run finished 05:00, bedtime today 22:30\n"),
        "{plan}"
    );
    // Midnight is tomorrow.
    let plan = text(&at(
        &home,
        "2026-05-01 20:05:00",
        &["plan", "--finished", "20:00", "--bedtime", "0:00"],
    ));
    assert!(
        plan.starts_with("Optimal recovery: run finished 20:00, bedtime tomorrow 00:00\n"),
        "{plan}"
    );
}

#[test]
fn the_night_the_clocks_go_back_takes_the_later_time_and_says_so() {
    if !faketime_available() {
        return;
    }
    let home = Home::new();
    // 2026-10-25 in Berlin: 02:30 happened twice; at 09:00 both have passed.
    let out = at(
        &home,
        "2026-10-25 09:00:00",
        &["plan", "--finished", "2:30", "--bedtime", "22:30", "--json"],
    );
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        err.contains(
            "02:30 happened twice as the clocks went back; taking the second, at UTC+01:00"
        ),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_str(&text(&out)).unwrap();
    assert_eq!(v["finished_at"], "2026-10-25T02:30:00+01:00");
    // A run that morning goes to bed at 22:30 CET, as the guide will say.
    let v: serde_json::Value = serde_json::from_str(&text(&at(
        &home,
        "2026-10-25 08:00:00",
        &["plan", "--finished", "7:30", "--bedtime", "22:30", "--json"],
    )))
    .unwrap();
    assert_eq!(v["bedtime"], "2026-10-25T22:30:00+01:00");
}

#[test]
fn a_time_the_clocks_skipped_is_refused_with_why() {
    if !faketime_available() {
        return;
    }
    let home = Home::new();
    let out = at(
        &home,
        "2026-03-29 09:00:00",
        &["plan", "--finished", "2:30"],
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("02:30 did not happen on 2026-03-29: the clocks went forward past it"),
        "{err}"
    );
}

/// The plain guide at `when`, reading `input`; its output.
fn plain(home: &Home, when: &str, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = home
        .std_command("faketime")
        .env("TZ", "Europe/Berlin")
        .args([when, BIN, "--plain"])
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn the_next_morning_closes_yesterday_and_starts_a_new_day() {
    if !faketime_available() {
        return;
    }
    let home = Home::new();
    // A day: hydrate done, then closed.
    let out = plain(
        &home,
        "2026-05-01 07:05:00",
        &["--finished", "7:00", "--bedtime", "22:30"],
        "\n",
    );
    assert!(out.status.success(), "{out:?}");
    // 03:00 the next night, 4.5 hours after bed: still that day.
    let out = plain(&home, "2026-05-02 03:00:00", &[], "");
    let said = text(&out);
    assert!(
        said.starts_with("Optimal recovery: run finished 07:00"),
        "{said}"
    );
    assert_eq!(home.logs().len(), 1);
    // 06:00, the night over: yesterday goes to history in a line, and a new day begins once
    // the start questions are answered (the routine, the finish, bedtime, the budget).
    let out = plain(&home, "2026-05-02 06:00:00", &[], "\n\n\n\n");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        err.contains("postrun: Yesterday: 1 of 9 done. A new day starts here."),
        "{err}"
    );
    let said = text(&out);
    assert!(
        said.contains("\nOptimal recovery: run finished 06:00"),
        "{said}"
    );
    assert_eq!(home.logs().len(), 2);
}

#[test]
fn the_day_can_be_changed_from_the_command_line_and_the_plain_guide() {
    if !faketime_available() {
        return;
    }
    let home = Home::new();
    let out = plain(
        &home,
        "2026-05-01 07:05:00",
        &["--finished", "7:00", "--bedtime", "22:30"],
        "",
    );
    assert!(out.status.success(), "{out:?}");
    // --bedtime with the session open applies to it, and says so.
    let out = plain(
        &home,
        "2026-05-01 07:10:00",
        &["--bedtime", "21:00", "--budget", "25m"],
        "",
    );
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        err.contains(
            "postrun: the open session now has the run finished 07:00, bedtime 21:00, budget 25m"
        ),
        "{err}"
    );
    assert_eq!(home.logs().len(), 1, "the same day, changed");
    let v: serde_json::Value = serde_json::from_str(&text(&at(
        &home,
        "2026-05-01 07:11:00",
        &["status", "--json"],
    )))
    .unwrap();
    assert_eq!(v["bedtime"], "2026-05-01T21:00:00+02:00", "{v}");
    let dropped: Vec<&str> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["dropped"] == true)
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(dropped, ["ice-bath", "nap", "epsom-bath", "roll"]);
    // The plain guide's own words change it again: the budget goes, the steps come back.
    let out = plain(&home, "2026-05-01 07:12:00", &[], "budget none\nq\n");
    let said = text(&out);
    assert!(
        said.contains("The day is planned again (run finished 07:00, bedtime 21:00); back in: Ice bath, Feet up, Epsom salt bath, Roll and stretch."),
        "{said}"
    );
    // Another routine with the day open is refused, naming the way to it.
    let out = at(
        &home,
        "2026-05-01 07:13:00",
        &["--plain", "--protocol", "soothe-sore-muscles"],
    );
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`postrun --new --protocol soothe-sore-muscles`"),
        "{err}"
    );
}

#[test]
fn options_before_a_command_apply_or_are_refused() {
    let home = Home::new();
    let out = home
        .postrun()
        .args(["--budget", "15m", "plan", "--finished", "10:00"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Budget 15m"));
    let out = home
        .postrun()
        .args(["--budget", "15m", "status"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("--budget is for the guide (and for `plan` and `remind`); `postrun status` takes no such option"),
        "{out:?}"
    );
    let out = home
        .postrun()
        .args(["--budget", "15m", "plan", "--budget", "20m"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--budget is given twice"));
    let out = home.postrun().args(["--plain", "plan"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("--plain is for the guide; `postrun plan` takes no such option"),
        "{out:?}"
    );
}

//! Issue 17, part 1: the run from the watch. `--from` reads a FIT, GPX or TCX file (made here
//! by the tests' own encoder, tests/fixture/activity.rs) or the newest in a folder, takes the
//! run's end as the finish, and keeps its figures in the session, the header and history; the
//! config's `activities` folder is looked in when nothing says when the run finished.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta, Timelike, Utc};
use predicates::prelude::*;

use crate::activity::{FitRun, fit, gpx, tcx};
use crate::home::Home;

/// Now, to the second.
fn now() -> DateTime<Utc> {
    Utc::now().with_nanosecond(0).unwrap()
}

/// A half marathon that ended `ago` before now, at `celsius`.
fn half_ending(ago: TimeDelta, celsius: i8) -> FitRun {
    let mut run = FitRun::half(now() - ago - TimeDelta::seconds(6310));
    run.temperature_c = Some(celsius);
    run
}

fn write(home: &Home, name: &str, bytes: &[u8]) -> PathBuf {
    let path = home.path().join(name);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).unwrap();
    }
    fs::write(&path, bytes).unwrap();
    path
}

fn stdout(cmd: &mut assert_cmd::Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

fn hhmm(t: DateTime<Utc>) -> String {
    t.format("%H:%M").to_string()
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn plan_from_a_fit_file_plans_the_day_after_that_run() {
    let home = Home::new();
    let run = half_ending(TimeDelta::minutes(20), 18);
    let file = write(&home, "Morning_Run.fit", &fit(&run));
    let bed = crate::home::bedtime_far();
    let out = stdout(
        home.postrun()
            .args(["plan", "--bedtime", &bed, "--from", arg(&file)]),
    );
    let mut lines = out.lines();
    assert_eq!(
        lines.next().unwrap(),
        format!(
            "Using your {} run (21.1 km) from {}",
            hhmm(run.end()),
            file.display()
        )
    );
    assert!(
        lines.next().unwrap().starts_with(&format!(
            "Optimal recovery: run finished {} after 21.1 km in 1:45:10, bedtime",
            hhmm(run.end())
        )),
        "{out}"
    );
    assert!(!out.contains("hot run"), "18 C is not hot: {out}");
    let v: serde_json::Value = serde_json::from_str(&stdout(home.postrun().args([
        "plan",
        "--json",
        "--from",
        arg(&file),
    ])))
    .unwrap();
    assert_eq!(v["run"]["distance_m"], 21098);
    assert_eq!(v["run"]["duration_s"], 6310);
    assert_eq!(v["run"]["temperature_c"], 18);
    assert_eq!(v["run"]["format"], "fit");
    assert_eq!(v["run"]["hot"], false);
    let finished = DateTime::parse_from_rfc3339(v["finished_at"].as_str().unwrap()).unwrap();
    assert_eq!(finished, run.end());
}

#[test]
fn the_guide_from_a_fit_file_keeps_the_run_in_the_session_and_history() {
    let home = Home::new();
    let run = half_ending(TimeDelta::minutes(20), 29);
    let file = write(&home, "hot.fit", &fit(&run));
    let out = stdout(
        home.postrun()
            .args([
                "--from",
                arg(&file),
                "--bedtime",
                &crate::home::bedtime_far(),
            ])
            .write_stdin("q\n"),
    );
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with(&format!(
            "Optimal recovery: run finished {} after 21.1 km in 1:45:10, bedtime",
            hhmm(run.end())
        )),
        "{out}"
    );
    assert_eq!(
        lines[1],
        format!(
            "Using your {} run (21.1 km) from {}.",
            hhmm(run.end()),
            file.display()
        )
    );
    // 29 C is above the default routine's 25 C: hydrate says its advice for the heat first.
    assert!(
        out.contains("Now: Hydrate. That was a hot run: you sweated far more than on a cool day"),
        "{out}"
    );
    let log = fs::read_to_string(&home.logs()[0]).unwrap();
    let opening: serde_json::Value = serde_json::from_str(log.lines().next().unwrap()).unwrap();
    assert_eq!(opening["open"]["run"]["distance_m"], 21098);
    assert_eq!(opening["open"]["run"]["temperature_c"], 29);

    // Reopened, the header still tells the run.
    let again = stdout(home.postrun().write_stdin("q\n"));
    assert!(
        again
            .lines()
            .next()
            .unwrap()
            .contains("after 21.1 km in 1:45:10"),
        "{again}"
    );

    // Into history: the run's figures beside the session, in text and JSON.
    home.postrun()
        .args(["--new", "--finished", "1m"])
        .write_stdin("q\n")
        .assert()
        .success();
    let history = stdout(home.postrun().arg("history"));
    assert!(
        history
            .lines()
            .next()
            .unwrap()
            .ends_with("run 21.1 km in 1:45:10"),
        "{history}"
    );
    let v: serde_json::Value =
        serde_json::from_str(&stdout(home.postrun().args(["history", "--json"]))).unwrap();
    assert_eq!(v[0]["run"]["distance_m"], 21098);
    assert_eq!(v[0]["run"]["temperature_c"], 29);
    assert_eq!(v[0]["protocol"], "optimal-recovery");
}

#[test]
fn plan_from_a_gpx_or_a_tcx_file() {
    let home = Home::new();
    let start = now() - TimeDelta::minutes(70);
    let file = write(
        &home,
        "track.gpx",
        gpx(start, 51, 200.0, Some(31.0)).as_bytes(),
    );
    let out = stdout(home.postrun().args(["plan", "--from", arg(&file)]));
    assert!(
        out.contains(&format!(
            "run finished {} after 10.0 km in 50:00",
            hhmm(start + TimeDelta::minutes(50))
        )),
        "{out}"
    );
    assert!(
        out.contains("A hot run: 31 C on average, so Hydrate starts with advice for the heat."),
        "{out}"
    );
    let file = write(&home, "lap.tcx", tcx(start, 3000, 10_000.0).as_bytes());
    let out = stdout(home.postrun().args(["plan", "--from", arg(&file)]));
    assert!(
        out.contains(&format!(
            "run finished {} after 10.0 km in 50:00",
            hhmm(start + TimeDelta::minutes(50))
        )),
        "{out}"
    );
    // US units: miles and Fahrenheit.
    write(&home, "config/postrun/config.toml", b"units = \"us\"\n");
    let out = stdout(home.postrun().args(["plan", "--from", arg(&file)]));
    assert!(out.contains("after 6.2 mi in 50:00"), "{out}");
}

#[test]
fn a_corrupt_fit_file_is_an_error_that_names_it_and_starts_nothing() {
    let home = Home::new();
    let mut bytes = fit(&half_ending(TimeDelta::minutes(20), 18));
    let cut = write(&home, "cut.fit", &bytes[..bytes.len() / 2]);
    home.postrun()
        .args(["--from", arg(&cut)])
        .write_stdin("q\n")
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(format!(
            "postrun: {}: cannot be read as a FIT activity: it is cut short",
            cut.display()
        )))
        .stderr(predicate::str::contains(
            "expected a whole FIT activity file as a watch exports it",
        ));
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    let damaged = write(&home, "damaged.fit", &bytes);
    home.postrun()
        .args(["plan", "--from", arg(&damaged)])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "damaged.fit: cannot be read as a FIT activity",
        ));
    assert!(home.logs().is_empty(), "no session from a bad file");
}

#[test]
fn from_a_folder_the_run_that_ended_last_is_taken() {
    let home = Home::new();
    let folder = home.path().join("watch");
    let newest = now() - TimeDelta::minutes(30);
    write(
        &home,
        "watch/older.fit",
        &fit(&half_ending(TimeDelta::hours(3), 15)),
    );
    write(
        &home,
        "watch/newest.gpx",
        gpx(newest - TimeDelta::minutes(20), 21, 250.0, None).as_bytes(),
    );
    write(
        &home,
        "watch/middle.tcx",
        tcx(now() - TimeDelta::hours(2), 1800, 6000.0).as_bytes(),
    );
    write(&home, "watch/broken.fit", b"not a fit file at all");
    write(&home, "watch/notes.txt", b"leg felt fine");
    let out = stdout(home.postrun().args(["plan", "--from", arg(&folder)]));
    assert_eq!(
        out.lines().next().unwrap(),
        format!(
            "Using your {} run (5.0 km) from {}",
            hhmm(newest),
            folder.join("newest.gpx").display()
        ),
        "{out}"
    );

    // The config's folder: looked in when nothing says when the run finished.
    write(
        &home,
        "config/postrun/config.toml",
        format!("activities = \"{}\"\n", folder.display()).as_bytes(),
    );
    let out = stdout(home.postrun().arg("plan"));
    assert!(
        out.starts_with(&format!("Using your {} run (5.0 km) from", hhmm(newest))),
        "{out}"
    );
    let out = stdout(home.postrun().args(["plan", "--finished", "5m"]));
    assert!(!out.contains("Using your"), "{out}");
    let out = stdout(home.postrun().arg("--plain").write_stdin("q\n"));
    assert!(
        out.lines().nth(1).unwrap().starts_with("Using your"),
        "{out}"
    );

    // Runs over four hours old are not today's: no run is taken.
    let stale = Home::new();
    write(
        &stale,
        "watch/older.fit",
        &fit(&half_ending(TimeDelta::hours(5), 15)),
    );
    write(
        &stale,
        "config/postrun/config.toml",
        format!(
            "activities = \"{}\"\n",
            stale.path().join("watch").display()
        )
        .as_bytes(),
    );
    let out = stdout(stale.postrun().arg("plan"));
    assert!(!out.contains("Using your"), "{out}");
}

#[test]
fn from_and_finished_together_are_refused() {
    let home = Home::new();
    let file = write(
        &home,
        "a.fit",
        &fit(&half_ending(TimeDelta::minutes(5), 18)),
    );
    for args in [
        vec!["--from", arg(&file), "--finished", "9:40"],
        vec!["plan", "--from", arg(&file), "--finished", "9:40"],
        vec!["--from", arg(&file), "plan", "--finished", "9:40"],
    ] {
        let out = home
            .postrun()
            .args(&args)
            .write_stdin("q\n")
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(
            err.contains("--from") && err.contains("--finished"),
            "{args:?}: {err}"
        );
    }
    assert!(home.logs().is_empty());
}

#[test]
fn a_fifo_or_an_old_run_is_refused_by_name() {
    let home = Home::new();
    let fifo = home.path().join("run.fit");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    home.postrun()
        .args(["plan", "--from", arg(&fifo)])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "run.fit: it is a FIFO, not a file",
        ));
    let old = write(
        &home,
        "old.fit",
        &fit(&half_ending(TimeDelta::hours(30), 18)),
    );
    home.postrun()
        .args(["plan", "--from", arg(&old)])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("over a day ago"));
}

#[test]
fn from_with_a_session_open_asks_for_new() {
    let home = Home::new();
    let file = write(
        &home,
        "a.fit",
        &fit(&half_ending(TimeDelta::minutes(10), 18)),
    );
    home.postrun()
        .args(["--finished", "5m"])
        .write_stdin("q\n")
        .assert()
        .success();
    home.postrun()
        .args(["--from", arg(&file)])
        .write_stdin("q\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`postrun --new --from FILE` closes it into history",
        ));
    assert_eq!(home.logs().len(), 1, "the open session is left as it was");
    let out = stdout(
        home.postrun()
            .args(["--new", "--from", arg(&file)])
            .write_stdin("q\n"),
    );
    assert!(
        out.lines()
            .next()
            .unwrap()
            .contains("after 21.1 km in 1:45:10"),
        "{out}"
    );
    assert_eq!(home.logs().len(), 2);
}

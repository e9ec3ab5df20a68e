//! End-to-end runs of the built binary for the plain commands, each in a fresh temp home.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

use crate::home::Home;

impl Home {
    fn protocols(&self) -> PathBuf {
        self.dir.path().join("config/postrun/protocols")
    }

    /// An executable script standing in for the runner's editor.
    fn editor(&self, body: &str) -> PathBuf {
        let path = self.dir.path().join("editor.sh");
        fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        path
    }
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap()
}

#[test]
fn check_reports_ok_with_step_counts() {
    let home = Home::new();
    let root = env!("CARGO_MANIFEST_DIR");
    home.postrun()
        .args(["check"])
        .arg(format!("{root}/protocols/optimal-recovery.toml"))
        .arg(format!("{root}/protocols/soothe-sore-muscles.toml"))
        .assert()
        .success()
        .stdout(
            predicate::str::contains("optimal-recovery.toml: ok (9 steps)").and(
                predicate::str::contains("soothe-sore-muscles.toml: ok (6 steps)"),
            ),
        );
}

#[test]
fn check_takes_a_builtin_name_and_reports_a_missing_file() {
    let home = Home::new();
    home.postrun()
        .args(["check", "optimal-recovery"])
        .assert()
        .success()
        .stdout("optimal-recovery: ok (9 steps)\n");
    home.postrun()
        .args(["check", "nowhere.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "nowhere.toml: cannot read nowhere.toml:",
        ));
}

#[test]
fn check_needs_a_file() {
    Home::new().postrun().arg("check").assert().code(2);
}

#[test]
fn bad_usage_exits_2_and_help_exits_0() {
    let home = Home::new();
    home.postrun().arg("--nonsense").assert().code(2);
    home.postrun()
        .args(["--finished", "soon"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("'soon'"));
    home.postrun().args(["--bedtime", "25:00"]).assert().code(2);
    home.postrun()
        .args(["--budget", "-5m"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("negative"));
    home.postrun()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("check"));
}

#[test]
fn show_prints_nine_steps_with_windows_and_timers() {
    let out = Home::new()
        .postrun()
        .arg("show")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    for (id, window) in [
        ("hydrate", "within 10m-15m"),
        ("stretch", "within 25m-30m"),
        ("snack", "within 25m-30m"),
        ("meal", "1h-2h after"),
        ("epsom-bath", "1h30m-1h before bed"),
    ] {
        let row = out
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(id))
            .unwrap_or_else(|| panic!("no {id} row in\n{out}"));
        assert!(row.ends_with(window), "{id}: {row}");
    }
    for id in ["ice-bath", "nap", "roll", "sleep"] {
        assert!(
            out.lines().any(|l| l.split_whitespace().nth(1) == Some(id)),
            "{id} missing:\n{out}"
        );
    }
    assert!(out.contains("timer 10m-15m"), "{out}");
    assert!(
        out.contains("- Quadriceps 20s-30s each: left leg, right leg"),
        "{out}"
    );
    assert!(
        out.contains("- Calf 30s-40s each: left foot, right foot"),
        "{out}"
    );
}

#[test]
fn show_names_an_unknown_protocol_and_lists_the_known() {
    Home::new()
        .postrun()
        .args(["show", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no protocol named 'nope'; available: optimal-recovery, soothe-sore-muscles",
        ));
}

#[test]
fn show_of_a_bad_file_points_at_the_fault() {
    let home = Home::new();
    let bad = home.dir.path().join("bad.toml");
    fs::write(&bad, "name = \"x\"\nsummary = \"y\"\nsteps = []\n").unwrap();
    home.postrun()
        .args(["show", "bad.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "bad.toml:3:9: the protocol has no steps",
        ));
}

#[test]
fn init_writes_the_builtins_and_refuses_to_overwrite() {
    let home = Home::new();
    let dir = home.protocols();
    home.postrun()
        .arg("init")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            dir.join("optimal-recovery.toml").display().to_string(),
        ));
    assert_eq!(
        read(&dir.join("optimal-recovery.toml")),
        postrun::core::protocol::BUILTINS[0].source
    );
    assert_eq!(
        read(&dir.join("soothe-sore-muscles.toml")),
        postrun::core::protocol::BUILTINS[1].source
    );

    fs::write(dir.join("optimal-recovery.toml"), "my edits").unwrap();
    home.postrun()
        .arg("init")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    assert_eq!(
        read(&dir.join("optimal-recovery.toml")),
        "my edits",
        "init must not overwrite"
    );

    home.postrun().args(["init", "--force"]).assert().success();
    assert_eq!(
        read(&dir.join("optimal-recovery.toml")),
        postrun::core::protocol::BUILTINS[0].source
    );
}

#[test]
fn the_runners_copy_wins_over_the_builtin() {
    let home = Home::new();
    home.postrun().arg("init").assert().success();
    let file = home.protocols().join("optimal-recovery.toml");
    fs::write(
        &file,
        read(&file).replace("title = \"Hydrate\"", "title = \"Drink up\""),
    )
    .unwrap();
    home.postrun()
        .arg("show")
        .assert()
        .success()
        .stdout(predicate::str::contains("Drink up"));
}

#[test]
fn edit_saves_a_valid_change() {
    let home = Home::new();
    let editor = home.editor(r#"sed -i 's/^title = "Hydrate"/title = "Drink"/' "$1""#);
    home.postrun()
        .arg("edit")
        .env("EDITOR", &editor)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "optimal-recovery.toml: ok (9 steps), saved",
        ));
    let file = home.protocols().join("optimal-recovery.toml");
    assert!(read(&file).contains("title = \"Drink\""));
    assert!(
        !home
            .protocols()
            .join(".optimal-recovery.edit.toml")
            .exists(),
        "draft left behind"
    );
}

#[test]
fn edit_never_leaves_an_invalid_file_in_use() {
    let home = Home::new();
    home.postrun().arg("init").assert().success();
    let file = home.protocols().join("optimal-recovery.toml");
    let before = read(&file);
    let editor = home.editor(r#"sed -i 's/^title = "Hydrate"/title = ""/' "$1""#);
    let line = 1 + before
        .lines()
        .position(|l| l == "title = \"Hydrate\"")
        .unwrap();
    home.postrun()
        .arg("edit")
        .env("EDITOR", &editor)
        .write_stdin("n\n")
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains(format!(
                ".optimal-recovery.edit.toml:{line}:9: 'title' is empty"
            ))
            .and(predicate::str::contains("Reopen the editor to fix it?"))
            .and(predicate::str::contains("is unchanged and still in use")),
        );
    assert_eq!(read(&file), before, "the protocol in use must be untouched");
    let draft = home.protocols().join(".optimal-recovery.edit.toml");
    assert!(
        read(&draft).contains("title = \"\""),
        "the runner's edit is kept in the draft"
    );
}

#[test]
fn edit_reopens_on_error_until_the_file_is_valid() {
    let home = Home::new();
    // First run breaks the title, second run fixes it.
    let editor = home.editor(
        r#"if [ -e "$1.once" ]; then sed -i 's/^title = ""/title = "Fixed"/' "$1"; else touch "$1.once"; sed -i 's/^title = "Hydrate"/title = ""/' "$1"; fi"#,
    );
    home.postrun()
        .args(["edit", "optimal-recovery"])
        .env("VISUAL", &editor)
        .env("EDITOR", "false")
        .write_stdin("y\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("saved"));
    assert!(read(&home.protocols().join("optimal-recovery.toml")).contains("title = \"Fixed\""));
}

#[test]
fn edit_without_changes_says_so() {
    let home = Home::new();
    home.postrun()
        .arg("edit")
        .env("EDITOR", "true")
        .assert()
        .success()
        .stdout(predicate::str::contains("no changes"));
}

#[test]
fn edit_a_failing_editor_changes_nothing() {
    let home = Home::new();
    home.postrun().arg("init").assert().success();
    let file = home.protocols().join("optimal-recovery.toml");
    let before = read(&file);
    home.postrun()
        .arg("edit")
        .env("EDITOR", "false")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unchanged"));
    assert_eq!(read(&file), before);
}

#[test]
fn edit_a_new_name_starts_from_the_default() {
    let home = Home::new();
    let editor = home.editor(r#"sed -i 's/^title = "Hydrate"/title = "Drink"/' "$1""#);
    home.postrun()
        .args(["edit", "mine"])
        .env("EDITOR", &editor)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "mine.toml: ok (9 steps), saved, started from the built-in optimal-recovery",
        ));
    home.postrun()
        .args(["show", "mine"])
        .assert()
        .success()
        .stdout(predicate::str::contains("(mine)"));
}

#[test]
fn edit_without_changes_creates_nothing() {
    let home = Home::new();
    for name in ["optimal-recovery", "mine"] {
        home.postrun()
            .args(["edit", name])
            .env("EDITOR", "true")
            .assert()
            .success()
            .stdout(predicate::str::contains("no changes"));
    }
    assert!(
        !home.dir.path().join("config/postrun").exists(),
        "no copy, no draft, no folder"
    );
}

#[test]
fn an_edit_draft_is_never_a_routine_and_can_be_thrown_away() {
    let home = Home::new();
    let editor = home.editor(r#"sed -i 's/^title = "Hydrate"/title = ""/' "$1""#);
    home.postrun()
        .arg("edit")
        .env("EDITOR", &editor)
        .write_stdin("n\n")
        .assert()
        .code(1);
    let draft = home.protocols().join(".optimal-recovery.edit.toml");
    assert!(draft.exists());
    // Not among the routines `show` offers, nor the start screen's.
    home.postrun()
        .args(["show", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "available: optimal-recovery, soothe-sore-muscles\n",
        ));
    let folders = postrun::store::catalog::Folders {
        config: home.dir.path().join("config/postrun"),
        data: home.dir.path().join("data/postrun"),
    };
    assert_eq!(
        postrun::store::catalog::available(&folders),
        ["optimal-recovery", "soothe-sore-muscles"]
    );
    home.postrun()
        .args(["edit", "--discard"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Discarded your unsaved edit in"));
    assert!(!draft.exists());
    home.postrun()
        .args(["edit", "--discard", "optimal-recovery"])
        .assert()
        .success()
        .stdout(predicate::str::contains("No unsaved edit of"));
}

#[test]
fn completions_for_each_shell() {
    let home = Home::new();
    for shell in ["bash", "zsh", "fish"] {
        home.postrun()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("postrun"));
    }
    home.postrun()
        .args(["completions", "tcsh"])
        .assert()
        .code(2);
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let home = Home::new();
    for args in [&["completions", "bash"][..], &["show"], &["plan"], &["man"]] {
        // The reading end is closed before postrun writes: every write fails with EPIPE.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = home
            .std_postrun()
            .args(args)
            .stdout(writer)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}");
    }
}

// ---- plan, status, history -----------------------------------------------------------------

// postrun runs in UTC (the harness's TZ), so clock times in assertions are the ones given on
// the command line.

fn stdout_of(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

fn row<'a>(out: &'a str, id: &str) -> &'a str {
    out.lines()
        .find(|l| l.split_whitespace().any(|w| w == id))
        .unwrap_or_else(|| panic!("no {id} row in\n{out}"))
}

#[test]
fn plan_shows_the_days_clock_times() {
    let home = Home::new();
    let out = stdout_of(
        home.postrun()
            .args(["plan", "--finished", "10:00", "--bedtime", "22:30"]),
    );
    assert!(
        out.starts_with("Optimal recovery: run finished 10:00, bedtime 22:30\n"),
        "{out}"
    );
    assert!(
        row(&out, "hydrate")
            .trim_start()
            .starts_with("by 10:10-10:15"),
        "{out}"
    );
    assert!(
        row(&out, "stretch")
            .trim_start()
            .starts_with("by 10:25-10:30"),
        "{out}"
    );
    assert!(
        row(&out, "snack")
            .trim_start()
            .starts_with("by 10:25-10:30"),
        "{out}"
    );
    assert!(
        row(&out, "meal").trim_start().starts_with("11:00-12:00"),
        "{out}"
    );
    assert!(
        row(&out, "epsom-bath")
            .trim_start()
            .starts_with("21:00-21:30"),
        "{out}"
    );
    assert!(
        row(&out, "sleep").trim_start().starts_with("at 22:30"),
        "{out}"
    );
    assert!(
        !out.contains("dropped"),
        "no budget, nothing dropped:\n{out}"
    );
}

#[test]
fn plan_with_a_budget_keeps_the_essentials_and_says_why_it_drops() {
    let home = Home::new();
    let out = stdout_of(home.postrun().args([
        "plan",
        "--finished",
        "10:00",
        "--bedtime",
        "22:30",
        "--budget",
        "15m",
    ]));
    for kept in ["hydrate", "snack"] {
        assert!(!row(&out, kept).contains("dropped"), "{kept} kept:\n{out}");
    }
    assert!(row(&out, "ice-bath").ends_with("dropped"), "{out}");
    assert!(
        out.contains("\nIce bath dropped: needs 10m, 0s of the budget left.\n"),
        "{out}"
    );
    assert!(out.contains("Budget 15m"), "{out}");
    // The real shortfall is named, not hidden behind "0s left".
    assert!(
        out.contains("The required steps alone take 20m55s: 5m55s more than the budget"),
        "{out}"
    );
}

#[test]
fn plan_with_a_roomy_budget_drops_only_what_does_not_fit() {
    let home = Home::new();
    // The required steps take 20m55s of it (the meal takes none); 1h15m leaves 54m05s: the
    // ice bath (dropped last), the Epsom bath and the rolling fit, the nap (30m) does not.
    let out = stdout_of(
        home.postrun()
            .args(["plan", "--finished", "10:00", "--budget", "1h15m"]),
    );
    assert!(!row(&out, "ice-bath").contains("dropped"), "{out}");
    assert!(!row(&out, "epsom-bath").contains("dropped"), "{out}");
    assert!(row(&out, "nap").ends_with("dropped"), "{out}");
    assert!(
        out.contains("Feet up dropped: needs 30m, 24m5s of the budget left."),
        "{out}"
    );
}

#[test]
fn plan_json_follows_the_contract() {
    let home = Home::new();
    let out = stdout_of(home.postrun().args([
        "plan",
        "--json",
        "--finished",
        "10:00",
        "--bedtime",
        "22:30",
        "--budget",
        "15m",
    ]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["protocol"], "optimal-recovery");
    assert_eq!(v["budget_s"], 900);
    assert!(
        v["finished_at"]
            .as_str()
            .unwrap()
            .ends_with("T10:00:00+00:00"),
        "{v}"
    );
    assert!(
        v["bedtime"].as_str().unwrap().ends_with("T22:30:00+00:00"),
        "{v}"
    );
    let steps = v["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 9);
    let step = |id: &str| steps.iter().find(|s| s["id"] == id).unwrap().clone();
    assert_eq!(step("hydrate")["kept"], true);
    assert_eq!(step("hydrate")["optional"], false);
    assert_eq!(step("hydrate")["takes_s"], 300);
    assert!(
        step("hydrate")["end"]
            .as_str()
            .unwrap()
            .ends_with("T10:15:00+00:00")
    );
    assert_eq!(step("ice-bath")["kept"], false);
    assert_eq!(step("ice-bath")["start"], serde_json::Value::Null);
    assert!(
        step("meal")["start"]
            .as_str()
            .unwrap()
            .ends_with("T11:00:00+00:00")
    );
    assert!(
        step("epsom-bath")["start"]
            .as_str()
            .unwrap()
            .ends_with("T21:00:00+00:00")
    );
    assert_eq!(step("epsom-bath")["title"], "Epsom salt bath");
    let no_budget: serde_json::Value =
        serde_json::from_str(&stdout_of(home.postrun().args(["plan", "--json"]))).unwrap();
    assert_eq!(no_budget["budget_s"], serde_json::Value::Null);
}

#[test]
fn plan_takes_the_bedtime_from_the_config_file_and_checks_it() {
    let home = Home::new();
    let config = home.dir.path().join("config/postrun/config.toml");
    fs::create_dir_all(config.parent().unwrap()).unwrap();
    fs::write(&config, "bedtime = \"23:00\"\n").unwrap();
    let out = stdout_of(home.postrun().args(["plan", "--finished", "10:00"]));
    assert!(out.contains("bedtime 23:00\n"), "{out}");
    assert!(
        row(&out, "epsom-bath")
            .trim_start()
            .starts_with("21:30-22:00"),
        "{out}"
    );

    fs::remove_file(&config).unwrap();
    let out = stdout_of(home.postrun().args(["plan", "--finished", "10:00"]));
    assert!(out.contains("bedtime 22:30 (the default"), "{out}");

    fs::write(&config, "bedtime = \"late\"\n").unwrap();
    home.postrun()
        .args(["plan"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "config.toml:1:11: 'late' is not a time; write it like 21:30 or 9:30pm",
        ));
}

#[test]
fn status_without_a_session_exits_1() {
    let home = Home::new();
    home.postrun()
        .arg("status")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no open session"));
    home.postrun()
        .args(["status", "--json"])
        .assert()
        .code(1)
        .stdout("null\n");
}

#[test]
fn status_follows_the_session_postrun_started() {
    let home = Home::new();
    let bed = crate::home::bedtime_far();
    home.postrun()
        .args(["--finished", "5m", "--bedtime", &bed])
        .assert()
        .success();
    let line = stdout_of(home.postrun().arg("status"));
    assert!(line.starts_with("hydrate by "), "{line}");
    assert!(line.ends_with(" · 0/9\n"), "{line}");

    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(home.postrun().args(["status", "--json"]))).unwrap();
    assert_eq!(v["protocol"], "optimal-recovery");
    assert_eq!(v["timer"], serde_json::Value::Null);
    assert_eq!(v["warnings"], serde_json::json!([]));
    let states: Vec<_> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["state"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(states[0], "active");
    assert!(states[1..].iter().all(|s| s == "pending"), "{states:?}");
    assert_eq!(v["steps"][3]["id"], "ice-bath");
}

#[test]
fn status_says_missed_for_a_window_that_has_closed() {
    let home = Home::new();
    // Bed in 12 hours from the run, whatever the hour: an ordinary day, its windows as planned.
    let bed = (chrono::Utc::now() + chrono::TimeDelta::minutes(10 * 60 + 30))
        .format("%H:%M")
        .to_string();
    home.postrun()
        .args(["--finished", "90m", "--bedtime", &bed])
        .assert()
        .success();
    let line = stdout_of(home.postrun().arg("status"));
    assert!(line.starts_with("hydrate by "), "{line}");
    assert!(line.ends_with(", missed · 0/9\n"), "{line}");
    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(home.postrun().args(["status", "--json"]))).unwrap();
    assert_eq!(v["steps"][0]["window"], "missed");
    assert_eq!(
        v["steps"][3]["window"],
        serde_json::Value::Null,
        "the ice bath has none"
    );
    assert_eq!(v["steps"][4]["window"], "open", "the meal, 1-2 h after");
}

/// Starts the active step's timer through the library, as the TUI will.
fn drive(home: &Home, events: &[postrun::core::session::Event]) {
    let store = postrun::store::Store::new(&home.dir.path().join("data/postrun"));
    let now = chrono::Utc::now();
    let open = store.find_open(now).unwrap().expect("an open session");
    let (mut log, mut session) = store.resume(open).unwrap();
    for e in events {
        // Accepted, then written, as the guide records an event.
        session
            .apply(e.clone(), now)
            .unwrap_or_else(|r| panic!("{e:?} refused: {r}"));
        log.append(now, e).unwrap();
    }
}

#[test]
fn status_shows_a_running_hold_sequence() {
    use postrun::core::session::Event;
    let home = Home::new();
    home.postrun().args(["--finished", "5m"]).assert().success();
    drive(&home, &[Event::Complete, Event::Start]);
    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(home.postrun().args(["status", "--json"]))).unwrap();
    let timer = &v["timer"];
    assert_eq!(timer["step"], "stretch");
    assert_eq!(timer["running"], true);
    assert_eq!(timer["hold"], "Quadriceps");
    assert_eq!(timer["side"], "left leg");
    let remaining = timer["remaining_s"].as_u64().unwrap();
    assert!(
        (3..=5).contains(&remaining),
        "in the 5 s get-into-position gap: {timer}"
    );
    let whole = timer["step_remaining_s"].as_u64().unwrap();
    assert!(
        (870..=875).contains(&whole),
        "the whole stretch at its top is 14m35s: {timer}"
    );
    assert_eq!(v["steps"][0]["state"], "done");

    let line = stdout_of(home.postrun().arg("status"));
    assert!(line.starts_with("stretch 00:0"), "{line}");
    assert!(line.ends_with(" · 1/9\n"), "{line}");
}

#[test]
fn status_warns_when_the_protocol_file_changed() {
    let home = Home::new();
    home.postrun().arg("init").assert().success();
    home.postrun().args(["--finished", "1m"]).assert().success();
    let file = home.protocols().join("optimal-recovery.toml");
    fs::write(
        &file,
        read(&file).replace("title = \"Hydrate\"", "title = \"Water\""),
    )
    .unwrap();
    home.postrun()
        .arg("status")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("hydrate "))
        .stderr(predicate::str::contains(
            "has changed since this session began",
        ));
}

#[test]
fn new_closes_the_open_session_into_history() {
    let home = Home::new();
    assert_eq!(
        stdout_of(home.postrun().args(["history"])),
        "No past sessions yet.\n"
    );
    home.postrun()
        .args([
            "--finished",
            "30m",
            "--budget",
            "20m",
            "--bedtime",
            &crate::home::bedtime_far(),
        ])
        .assert()
        .success();
    home.postrun()
        .args([
            "--new",
            "--protocol",
            "soothe-sore-muscles",
            "--finished",
            "1m",
        ])
        .assert()
        .success();

    let out = stdout_of(home.postrun().arg("history"));
    assert_eq!(out.lines().count(), 3, "{out}");
    assert!(
        out.lines()
            .next()
            .unwrap()
            .contains("optimal-recovery  0/9 done"),
        "{out}"
    );
    // The budget's drops are dropped, as `plan` calls them, not skipped.
    assert!(
        out.contains("  dropped ice-bath, nap, epsom-bath, roll"),
        "the budget's drops: {out}"
    );
    assert!(!out.contains("skipped"), "{out}");
    assert!(!out.contains("most skipped"), "a drop is not a skip: {out}");
    assert!(
        out.contains("1 session; longest streak 0 days in a row"),
        "a day with nothing done is no day of a streak: {out}"
    );

    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(home.postrun().args(["history", "--json"]))).unwrap();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["protocol"], "optimal-recovery");
    assert_eq!(list[0]["steps"].as_array().unwrap().len(), 9);
    assert_eq!(list[0]["steps"][3]["state"], "skipped");
    assert_eq!(list[0]["steps"][3]["dropped"], true);
    assert_eq!(list[0]["steps"][0]["dropped"], false);

    let line = stdout_of(home.postrun().arg("status"));
    assert!(
        line.starts_with("stretch · 0/6"),
        "the new session is open: {line}"
    );

    // The summary alone, as text and as one JSON object; the list keeps its shape.
    let summary = stdout_of(home.postrun().args(["history", "--summary"]));
    assert_eq!(
        summary,
        "1 session; longest streak 0 days in a row; about 0s on recovery\n"
    );
    let totals: serde_json::Value = serde_json::from_str(&stdout_of(home.postrun().args([
        "history",
        "--summary",
        "--json",
    ])))
    .unwrap();
    assert_eq!(totals["sessions"], 1);
    assert_eq!(totals["longest_streak_days"], 0);
    assert_eq!(totals["most_skipped"], serde_json::Value::Null);
    assert!(v.is_array(), "history --json is still a list");
}

#[test]
fn reopening_resumes_the_open_session() {
    use postrun::core::session::Event;
    let home = Home::new();
    home.postrun().args(["--finished", "5m"]).assert().success();
    drive(&home, &[Event::Complete]);
    // Without a terminal, the plain guide: `l` lists the day.
    let out = stdout_of(home.postrun().args(["--finished", "1m"]).write_stdin("l\n"));
    assert!(out.contains("1 of 9 steps done"), "{out}");
    assert!(out.contains("1. Hydrate: done"), "{out}");
    assert!(out.contains("2. Stretch: current"), "{out}");
    let sessions = fs::read_dir(home.dir.path().join("data/postrun/sessions"))
        .unwrap()
        .count();
    assert_eq!(sessions, 1, "no second session while one is open");
}

#[test]
fn new_with_a_bad_protocol_keeps_the_open_session() {
    let home = Home::new();
    home.postrun().args(["--finished", "5m"]).assert().success();
    home.postrun()
        .args(["--new", "--protocol", "nope"])
        .assert()
        .code(2);
    let line = stdout_of(home.postrun().arg("status"));
    assert!(
        line.starts_with("hydrate "),
        "the open session is still open: {line}"
    );
}

#[test]
fn a_run_a_day_ago_is_refused() {
    let home = Home::new();
    home.postrun()
        .args(["--finished", "24h"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("a day or more ago"));
    home.postrun()
        .args(["plan", "--finished", "23h59m"])
        .assert()
        .success();
}

/// Two optional steps: a budget can drop them all.
const EXTRAS: &str = r#"name = "Extras"
summary = "Only treats."

[[steps]]
id = "bath"
title = "Bath"
do = "Soak."
optional = true
estimate = "20m"

[[steps]]
id = "nap"
title = "Nap"
do = "Sleep a little."
optional = true
estimate = "30m"
"#;

#[test]
fn a_budget_that_keeps_no_step_says_so_and_starts_nothing() {
    let home = Home::new();
    let file = home.path().join("extras.toml");
    fs::write(&file, EXTRAS).unwrap();
    // Bed far off, whatever the hour: a late night would drop these optional steps anyway.
    let bed = crate::home::bedtime_far();
    home.postrun()
        .args([
            "--finished",
            "1m",
            "--bedtime",
            &bed,
            "--budget",
            "5s",
            "--protocol",
        ])
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "a budget of 5s keeps none of the steps of Extras; give it more time, or none",
        ));
    assert!(
        !home.data_home().join("postrun/sessions").exists(),
        "no session was started"
    );
    home.postrun().arg("status").assert().code(1);
    // With time enough for one, the day starts.
    home.postrun()
        .args([
            "--finished",
            "1m",
            "--bedtime",
            &bed,
            "--budget",
            "25m",
            "--protocol",
        ])
        .arg(&file)
        .assert()
        .success();
}

#[test]
fn a_broken_own_copy_of_the_default_is_no_dead_end() {
    let home = Home::new();
    fs::create_dir_all(home.protocols()).unwrap();
    let own = home.protocols().join("optimal-recovery.toml");
    fs::write(&own, "name = \"x\"\nsummary = \"y\"\n[[steps]\n").unwrap();
    let notice = format!(
        "{}:3:9: unclosed array table, expected `]`; the built-in optimal-recovery is picked \
         for today (`postrun edit optimal-recovery` fixes yours)",
        own.display()
    );
    // Straight to the guide: the built-in, with the problem named at its line and column.
    home.postrun()
        .args(["--finished", "1m"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "postrun: warning: {notice}"
        )));
    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(home.postrun().args(["status", "--json"]))).unwrap();
    assert_eq!(v["protocol"], "optimal-recovery");
    assert_eq!(v["steps"].as_array().unwrap().len(), 9);
    // The start screen's questions, as lines: the same words, the built-in in brackets.
    let out = stdout_of(
        home.postrun()
            .args(["--new", "--plain"])
            .write_stdin("\n\n\n\nq\n"),
    );
    assert!(out.contains(&notice), "{out}");
    assert!(
        out.contains(
            "Routine? [built-in:optimal-recovery] A name or a number: 1 optimal-recovery, 2 \
             built-in:optimal-recovery, 3 soothe-sore-muscles."
        ),
        "{out}"
    );
    assert!(out.contains("Now: Hydrate."), "{out}");
    // A copy of no built-in still stops with its problems, as before.
    let mine = home.protocols().join("mine.toml");
    fs::write(&mine, "name = \"x\"\n[[steps]\n").unwrap();
    home.postrun()
        .args(["--finished", "1m", "--new", "--protocol", "mine"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "mine.toml:2:9: unclosed array table",
        ));
}

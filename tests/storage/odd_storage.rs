//! Corrupt and odd storage, end to end: torn, garbled, empty and future logs, missing and
//! unwritable folders, a config folder that is a file, a protocol file changed under a running
//! session, a session held by another window, and sessions across midnight and days old. Each
//! runs the real binary in a fresh temp home.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use assert_cmd::Command;
use chrono::{TimeDelta, Utc};
use postrun::core::session::{Event, Session, Timestamp};
use postrun::store::{Log, Opening, Store};
use predicates::prelude::*;

use crate::home::{BIN, Home};

impl Home {
    /// postrun in this home, in the zone `tz` (`TZ=UTC` is the harness's own).
    fn postrun_in(&self, tz: &str) -> Command {
        let mut cmd = self.postrun();
        cmd.env("TZ", tz);
        cmd
    }

    fn data(&self) -> PathBuf {
        self.data_home().join("postrun")
    }

    fn store(&self) -> Store {
        Store::new(&self.data())
    }

    fn sessions(&self) -> PathBuf {
        self.data().join("sessions")
    }

    /// The one session log.
    fn log(&self) -> PathBuf {
        let logs = self.logs();
        assert_eq!(logs.len(), 1, "{logs:?}");
        logs[0].clone()
    }

    /// Applies events to the open session through the library, as the guide does.
    fn drive(&self, events: &[Event]) {
        let store = self.store();
        let now = Utc::now();
        let open = store.find_open(now).unwrap().expect("an open session");
        let (mut log, mut session) = store.resume(open).unwrap();
        for e in events {
            put(&mut log, &mut session, e.clone(), now);
        }
    }
}

/// Applies an event to the session and writes it to its log, as the guide does with an
/// event it records: it must be accepted.
fn put(log: &mut Log, session: &mut Session, event: Event, at: Timestamp) {
    session
        .apply(event.clone(), at)
        .unwrap_or_else(|r| panic!("{event:?} refused: {r}"));
    log.append(at, &event).unwrap();
}

fn stdout_of(cmd: &mut Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).unwrap()
}

fn stderr_of(cmd: &mut Command, code: i32) -> String {
    String::from_utf8(cmd.assert().code(code).get_output().stderr.clone()).unwrap()
}

/// The built-in default routine, as a session opening at `finished_at`.
fn opening(finished_at: Timestamp, bedtime: Timestamp) -> Opening {
    let builtin = postrun::core::protocol::builtin("optimal-recovery").unwrap();
    Opening {
        protocol: builtin.parse().unwrap(),
        origin: "built-in:optimal-recovery".into(),
        source: builtin.source.into(),
        finished_at,
        bedtime,
        bedtime_is_default: false,
        dropped: Vec::new(),
        too_late: Vec::new(),
        budget_s: None,
        late: false,
        run: None,
    }
}

// ---- damaged logs ----------------------------------------------------------------------------

#[test]
fn garbage_a_torn_last_line_and_an_empty_log_lose_nothing_else() {
    let home = Home::new();
    home.postrun().args(["--finished", "5m"]).assert().success();
    home.drive(&[Event::Complete]);
    let log = home.log();
    let mut bytes = fs::read(&log).unwrap();
    bytes.extend_from_slice(b"\x00\xffnot json at all\n");
    bytes.extend_from_slice(br#"{"v":1,"seq":2,"at":"2026-05-01T09:4"#);
    fs::write(&log, &bytes).unwrap();
    fs::write(home.sessions().join("20000101T000000.000Z.jsonl"), "").unwrap();

    let mut status = home.postrun();
    status.arg("status");
    let out = status.assert().success().get_output().clone();
    let line = String::from_utf8(out.stdout).unwrap();
    assert!(
        line.starts_with("stretch ") && line.ends_with(" · 1/9\n"),
        "{line}"
    );
    let err = String::from_utf8(out.stderr).unwrap();
    let name = log.display().to_string();
    assert!(
        err.contains(&format!("{name}:3: unreadable line")),
        "names file and line: {err}"
    );
    assert!(
        err.contains(&format!("{name}:4: the line is cut short")),
        "{err}"
    );
    assert!(!err.contains("20000101"), "an empty log is no news: {err}");

    // Reopening carries on from the last whole line and cuts the torn one off for good.
    let out = stdout_of(home.postrun().write_stdin("l\n"));
    assert!(
        out.contains("1. Hydrate: done") && out.contains("2. Stretch: current"),
        "{out}"
    );
    assert!(fs::read(&log).unwrap().ends_with(b"at all\n"));
    let err = stderr_of(home.postrun().arg("status"), 0);
    assert!(!err.contains("cut short"), "{err}");
    assert!(err.contains(":3: unreadable line"), "{err}");
    assert_eq!(home.logs().len(), 2, "no session was started instead");
}

#[test]
fn a_session_a_newer_postrun_wrote_to_is_left_alone_until_closed_with_new() {
    let home = Home::new();
    home.postrun().args(["--finished", "5m"]).assert().success();
    let log = home.log();
    let mut text = fs::read_to_string(&log).unwrap();
    let at = Utc::now().to_rfc3339();
    text.push_str(&format!(
        "{{\"v\":4,\"seq\":1,\"at\":\"{at}\",\"event\":{{\"type\":\"stretch_more\"}}}}\n"
    ));
    fs::write(&log, &text).unwrap();

    let err = stderr_of(home.postrun().args(["--finished", "5m"]), 2);
    assert!(
        err.contains("written by a newer postrun (format 4); update postrun")
            && err.contains("`postrun --new`"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(&log).unwrap(),
        text,
        "not a byte written"
    );
    let err = stderr_of(home.postrun().arg("status"), 0);
    assert!(
        err.contains(":2: written by a newer postrun (format 4)"),
        "{err}"
    );

    home.postrun()
        .args(["--new", "--finished", "1m"])
        .assert()
        .success();
    let kept = fs::read_to_string(&log).unwrap();
    assert!(kept.starts_with(&text), "closing only adds a line");
    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(home.postrun().args(["history", "--json"]))).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v[0]["closed_early"], true);
}

// ---- folders ---------------------------------------------------------------------------------

#[test]
fn a_missing_data_folder_is_made_only_when_a_session_starts() {
    let home = Home::new();
    home.postrun()
        .arg("status")
        .assert()
        .code(1)
        .stderr("postrun: no open session; `postrun` starts one\n");
    assert_eq!(
        stdout_of(home.postrun().arg("history")),
        "No past sessions yet.\n"
    );
    assert!(!home.data().exists(), "reading makes no folders");
    home.postrun().args(["--finished", "5m"]).assert().success();
    assert_eq!(home.logs().len(), 1);
}

#[test]
fn a_data_folder_that_is_a_file_is_named() {
    let home = Home::new();
    fs::create_dir_all(home.data()).unwrap();
    fs::write(home.sessions(), "not a folder").unwrap();
    let named = format!(
        "postrun: cannot read {}: Not a directory",
        home.sessions().display()
    );
    for args in [&["status"][..], &["history"], &["--finished", "5m"]] {
        let err = stderr_of(home.postrun().args(args), 2);
        assert!(err.starts_with(&named), "{args:?}: {err}");
    }
    assert_eq!(fs::read_to_string(home.sessions()).unwrap(), "not a folder");
}

/// Makes the sessions folder read-only, its logs left as they are, and gives a way to run
/// postrun there. Root writes through permissions, so there a zero file-size limit (with
/// SIGXFSZ ignored) stands in: every write that would add a byte fails, the way it would in a
/// full or read-only folder.
fn unwritable(home: &Home) -> impl Fn(&[&str]) -> Command + '_ {
    fs::set_permissions(home.sessions(), fs::Permissions::from_mode(0o555)).unwrap();
    let probe = home.sessions().join("probe");
    let privileged = fs::write(&probe, "").is_ok();
    if privileged {
        fs::remove_file(probe).unwrap();
        eprintln!(
            "NOTICE: running as root, where chmod stops no writes; using a zero file-size limit"
        );
    }
    move |args: &[&str]| {
        if !privileged {
            let mut cmd = home.postrun();
            cmd.args(args);
            return cmd;
        }
        let mut cmd = home.command("sh");
        cmd.arg("-c")
            .arg("trap '' XFSZ; ulimit -f 0; exec \"$0\" \"$@\"")
            .arg(BIN)
            .args(args);
        cmd
    }
}

#[test]
fn an_unwritable_sessions_folder_is_named_and_loses_nothing() {
    let home = Home::new();
    home.postrun()
        .args(["--finished", "20m"])
        .assert()
        .success();
    home.drive(&[Event::Complete, Event::Start]);
    let log = home.log();
    let before = fs::read(&log).unwrap();
    let postrun = unwritable(&home);

    // A new session cannot be written: a clear error naming the folder, and the open one is
    // neither closed nor touched.
    let err = stderr_of(&mut postrun(&["--new", "--finished", "1m"]), 2);
    let folder = home.sessions().display().to_string();
    assert!(
        err.starts_with("postrun: cannot ") && err.contains(&folder),
        "{err}"
    );
    assert!(
        fs::read(&log).unwrap() == before,
        "the open session was written to"
    );
    // Reading still works.
    let line = stdout_of(&mut postrun(&["status"]));
    assert!(line.starts_with("stretch 00:0"), "{line}");

    fs::set_permissions(home.sessions(), fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(
        home.logs(),
        std::slice::from_ref(&log),
        "no half-made log left behind"
    );
    let open = home.store().find_open(Utc::now()).unwrap().unwrap();
    assert_eq!(open.path, log);
    assert_eq!(open.events.len(), 2, "every event recorded is still there");
}

#[test]
fn a_config_folder_that_is_a_file_leaves_the_defaults_and_names_it_on_writing() {
    let home = Home::new();
    let config = home.dir.path().join("config/postrun");
    fs::create_dir_all(config.parent().unwrap()).unwrap();
    fs::write(&config, "").unwrap();

    let out = stdout_of(home.postrun().args(["plan", "--finished", "10:00"]));
    assert!(out.contains("bedtime 22:30 (the default"), "{out}");
    home.postrun().arg("show").assert().success();
    home.postrun().args(["--finished", "5m"]).assert().success();
    let err = stderr_of(home.postrun().arg("init"), 2);
    assert!(
        err.starts_with(&format!("postrun: cannot write {}/", config.display()))
            && err.contains("Not a directory"),
        "{err}"
    );
    let err = stderr_of(home.postrun().arg("edit").env("EDITOR", "true"), 2);
    assert!(err.contains(&config.display().to_string()), "{err}");
}

// ---- the protocol file under a running session ----------------------------------------------

#[test]
fn a_protocol_file_edited_or_deleted_mid_session_leaves_the_session_as_it_began() {
    let home = Home::new();
    home.postrun().arg("init").assert().success();
    let file = home
        .dir
        .path()
        .join("config/postrun/protocols/optimal-recovery.toml");
    // Bed 12 hours on, whatever the hour: the routine keeps the file's order tonight.
    let bed = (Utc::now() + TimeDelta::hours(12))
        .format("%H:%M")
        .to_string();
    home.postrun()
        .args(["--finished", "5m", "--bedtime", &bed])
        .assert()
        .success();
    home.drive(&[Event::Complete]);

    // Edited into one that no longer parses: the session keeps its own copy.
    fs::write(&file, "name = \"Broken\"\n[[steps]\n").unwrap();
    let out = stdout_of(home.postrun().write_stdin("l\n"));
    assert!(
        out.contains("1. Hydrate: done") && out.contains("9. Sleep: to do"),
        "{out}"
    );
    home.postrun()
        .arg("status")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("stretch "))
        .stderr(predicate::str::contains(format!(
            "{} has changed since this session began; the session keeps the routine it \
             started with",
            file.display()
        )));

    // Deleted: the same, and status says it is gone.
    fs::remove_file(&file).unwrap();
    let out = stdout_of(home.postrun().write_stdin("l\n"));
    assert!(out.contains("2. Stretch: current"), "{out}");
    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(home.postrun().args(["status", "--json"]))).unwrap();
    assert_eq!(v["steps"].as_array().unwrap().len(), 9);
    assert_eq!(
        v["warnings"],
        serde_json::json!([format!(
            "cannot read {}: No such file or directory (os error 2); the session keeps the \
             routine it started with",
            file.display()
        )])
    );
    assert_eq!(home.logs().len(), 1);
}

// ---- two windows -----------------------------------------------------------------------------

#[test]
fn a_second_postrun_is_turned_away_while_another_holds_the_session() {
    let home = Home::new();
    home.postrun().args(["--finished", "5m"]).assert().success();
    // This test process stands in for the first window.
    let store = home.store();
    let open = store.find_open(Utc::now()).unwrap().unwrap();
    let (mut first, mut session) = store.resume(open).unwrap();
    let log = home.log();
    let before = fs::read(&log).unwrap();

    let message = format!(
        "postrun: this session is open in another window (pid {}); close it there, or watch \
         it with `postrun status`\n",
        std::process::id()
    );
    for args in [&["--finished", "5m"][..], &["--new", "--finished", "1m"]] {
        home.postrun()
            .args(args)
            .assert()
            .code(2)
            .stderr(message.clone());
    }
    assert_eq!(
        fs::read(&log).unwrap(),
        before,
        "nothing written, nothing closed"
    );
    assert_eq!(home.logs().len(), 1);

    // Watching is free while the first window writes.
    put(&mut first, &mut session, Event::Complete, Utc::now());
    let line = stdout_of(home.postrun().arg("status"));
    assert!(
        line.starts_with("stretch ") && line.ends_with(" · 1/9\n"),
        "{line}"
    );
    stdout_of(home.postrun().arg("history"));

    drop(first);
    let out = stdout_of(home.postrun().write_stdin("l\n"));
    assert!(
        out.contains("1. Hydrate: done"),
        "the second window opens it now: {out}"
    );
}

// ---- time ------------------------------------------------------------------------------------

#[test]
fn a_session_days_old_goes_to_history_and_a_new_one_starts() {
    let home = Home::new();
    let run = Utc::now() - TimeDelta::days(3);
    let (mut log, mut session) = home
        .store()
        .create(opening(run, run + TimeDelta::hours(12)), run)
        .unwrap();
    put(
        &mut log,
        &mut session,
        Event::Complete,
        run + TimeDelta::minutes(5),
    );
    put(
        &mut log,
        &mut session,
        Event::Start,
        run + TimeDelta::minutes(6),
    );
    drop(log);
    let old = home.log();

    // Its stretch was left running three days ago: it is history, not today's session.
    home.postrun()
        .arg("status")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no open session"));
    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(home.postrun().args(["history", "--json"]))).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v[0]["steps"][0]["state"], "done");

    let out = stdout_of(home.postrun().args(["--finished", "5m"]).write_stdin("l\n"));
    assert!(out.contains("1. Hydrate: current"), "a fresh day: {out}");
    assert_eq!(home.logs().len(), 2);
    let history = stdout_of(home.postrun().arg("history"));
    assert!(history.contains("1/9 done"), "{history}");
    assert!(history.contains("\n1 session;"), "{history}");
    assert_eq!(
        fs::read_to_string(&old).unwrap().lines().count(),
        3,
        "the old log is not written to"
    );
}

/// A POSIX TZ whose local time now is 00:05 plus less than a minute, so midnight has just
/// passed on the runner's clock.
fn just_after_midnight() -> String {
    use chrono::Timelike;
    let now = Utc::now();
    let minutes_utc = i64::from(now.hour() * 60 + now.minute());
    // East of UTC by `offset` minutes, kept within -12h..+14h.
    let mut offset = (5 - minutes_utc).rem_euclid(24 * 60);
    if offset >= 14 * 60 {
        offset -= 24 * 60;
    }
    // POSIX writes the offset west of UTC: UTC+01:30 is "-01:30".
    let sign = if offset >= 0 { '-' } else { '+' };
    let a = offset.abs();
    format!("<LOCAL>{sign}{:02}:{:02}", a / 60, a % 60)
}

#[test]
fn a_session_across_midnight_keeps_its_windows() {
    let home = Home::new();
    let tz = just_after_midnight();
    // The run finished at 21:00 yesterday by the runner's clock, bedtime 00:30 tonight; the
    // guide was opened at 23:50 and is reopened now, just after midnight.
    let plan: serde_json::Value = serde_json::from_str(&stdout_of(home.postrun_in(&tz).args([
        "plan",
        "--finished",
        "21:00",
        "--bedtime",
        "00:30",
        "--json",
    ])))
    .unwrap();
    let at = |v: &serde_json::Value| {
        chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap())
            .unwrap()
            .with_timezone(&Utc)
    };
    let finished = at(&plan["finished_at"]);
    let bedtime = at(&plan["bedtime"]);
    assert_eq!(bedtime - finished, TimeDelta::minutes(210), "{plan}");
    home.store()
        .create(
            opening(finished, bedtime),
            finished + TimeDelta::minutes(170),
        )
        .unwrap();

    let out = stdout_of(home.postrun_in(&tz).write_stdin("l\n"));
    assert_eq!(home.logs().len(), 1, "reopened, not a new day: {out}");
    assert!(
        out.contains("run finished 21:00, bedtime tomorrow 00:30, 0 of 9 steps done"),
        "{out}"
    );
    for row in [
        "5. Balanced meal: to do, 22:00-23:00, missed",
        "7. Epsom salt bath: to do, 23:00-23:30, missed",
        "8. Roll and stretch: to do, 23:30-00:30, open now",
        "9. Sleep: to do, at 00:30, opens in ",
    ] {
        assert!(out.contains(row), "{row:?} in\n{out}");
    }

    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(home.postrun_in(&tz).args(["status", "--json"]))).unwrap();
    assert_eq!(at(&v["finished_at"]), finished);
    assert_eq!(at(&v["bedtime"]), bedtime);
    assert_eq!(
        stdout_of(home.postrun_in(&tz).arg("history")),
        "No past sessions yet.\n",
        "still open after midnight"
    );
}

#[test]
fn a_damaged_opening_line_is_named_with_its_line_and_what_is_wrong() {
    let home = Home::new();
    home.postrun()
        .args(["--finished", "5m"])
        .write_stdin("")
        .assert()
        .success();
    let log = home.log();
    let text = fs::read_to_string(&log).unwrap();
    let (first, rest) = text.split_once('\n').unwrap();
    let broken = first.replacen("\"bedtime\":\"", "\"bedtime\":5,\"x\":\"", 1);
    fs::write(&log, format!("{broken}\n{rest}")).unwrap();
    let err = stderr_of(home.postrun().arg("history"), 0);
    let name = log.display().to_string();
    assert!(
        err.contains(&format!("{name}:1: unreadable line (")),
        "{err}"
    );
    assert!(
        err.contains("no session opening line this postrun can read; skipped"),
        "{err}"
    );
}

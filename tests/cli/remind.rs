//! `postrun remind`, end to end, against fake `systemctl`, `systemd-run`, `at`, `atq`, `atrm`
//! and `notify-send` scripts on `PATH` that log their arguments and input: the exact
//! commands that set the reminders, take them back, and fire them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use assert_cmd::Command;
use chrono::{DateTime, TimeDelta, Timelike, Utc};
use postrun::core::protocol::{self, parse};
use postrun::core::session::{Event, Session};
use postrun::store::{Log, Opening, Store};
use predicates::prelude::*;

use crate::home;

/// The harness's temp home, with a folder of fake programs as the whole `PATH`.
struct Home(home::Home);

/// Each fake logs `NAME<TAB>ARG<TAB>ARG...` as one line, then its input as `stdin<TAB>LINE`
/// lines; only shell built-ins, so no other program is needed.
const LOGGER: &str = r#"printf '%s' "$NAME" >> "$FAKE_LOG"
for a in "$@"; do printf '\t%s' "$a" >> "$FAKE_LOG"; done
printf '\n' >> "$FAKE_LOG"
"#;

impl Home {
    fn new() -> Home {
        let home = Home(home::Home::new());
        fs::create_dir(home.bin()).unwrap();
        home
    }

    fn bin(&self) -> PathBuf {
        self.0.path().join("bin")
    }

    fn data(&self) -> PathBuf {
        self.0.data_home().join("postrun")
    }

    fn fake(&self, name: &str, body: &str) {
        let path = self.bin().join(name);
        fs::write(&path, format!("#!/bin/sh\nNAME={name}\n{LOGGER}{body}\n")).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    }

    /// A user systemd in the given state.
    fn systemd(&self, state: &str) {
        self.fake(
            "systemctl",
            &format!("[ \"$2\" = is-system-running ] && echo {state}\nexit 0"),
        );
        self.fake("systemd-run", "exit 0");
    }

    /// `at` and friends; `at` numbers its jobs from 1 and reads the command from stdin.
    fn at(&self) {
        let counter = self.0.path().join("at-counter");
        fs::write(&counter, "0\n").unwrap();
        self.fake(
            "at",
            &format!(
                r#"while IFS= read -r line; do printf 'stdin\t%s\n' "$line" >> "$FAKE_LOG"; done
read n < "{c}"; n=$((n + 1)); echo "$n" > "{c}"
echo "warning: commands will be executed using /bin/sh" >&2
echo "job $n at Fri May  1 11:00:00 2026" >&2"#,
                c = counter.display()
            ),
        );
        self.fake("atq", "exit 0");
        self.fake("atrm", "exit 0");
    }

    fn postrun(&self) -> Command {
        let mut cmd = self.0.postrun();
        cmd.env("PATH", self.bin()).env("FAKE_LOG", self.log_path());
        cmd
    }

    fn log_path(&self) -> PathBuf {
        self.0.path().join("log")
    }

    /// The commands run since the last call, each as its words.
    fn take_log(&self) -> Vec<Vec<String>> {
        let text = fs::read_to_string(self.log_path()).unwrap_or_default();
        let _ = fs::remove_file(self.log_path());
        text.lines()
            .map(|l| l.split('\t').map(str::to_string).collect())
            .collect()
    }

    fn record(&self) -> Option<serde_json::Value> {
        let text = fs::read_to_string(self.data().join("reminders.json")).ok()?;
        Some(serde_json::from_str(&text).unwrap())
    }

    /// An open session of the default protocol whose run finished `ago` before now, with
    /// bedtime 13 hours after the run; the first step (hydrate) done. Returns the finish.
    fn open_session(&self, ago: TimeDelta) -> DateTime<Utc> {
        let finished = (Utc::now() - ago).with_nanosecond(0).unwrap();
        let source = protocol::builtin("optimal-recovery").unwrap().source;
        let opening = Opening {
            protocol: parse("optimal-recovery", "optimal-recovery", source).unwrap(),
            origin: "built-in:optimal-recovery".into(),
            source: source.into(),
            finished_at: finished,
            bedtime: finished + TimeDelta::hours(13),
            bedtime_is_default: false,
            dropped: Vec::new(),
            too_late: Vec::new(),
            budget_s: None,
            late: false,
            run: None,
        };
        let store = Store::new(&self.data());
        let (mut log, mut session) = store.create(opening, finished).unwrap();
        put(
            &mut log,
            &mut session,
            Event::Complete,
            finished + TimeDelta::minutes(1),
        );
        finished
    }
}

/// Applies an event to the session and writes it to its log, as the guide does with an
/// event it records: it must be accepted.
fn put(log: &mut Log, session: &mut Session, event: Event, at: DateTime<Utc>) {
    session
        .apply(event.clone(), at)
        .unwrap_or_else(|r| panic!("{event:?} refused: {r}"));
    log.append(at, &event).unwrap();
}

fn exe() -> String {
    fs::canonicalize(home::BIN).unwrap().display().to_string()
}

fn words(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

/// `HH:MM` as the binary, run with `TZ=UTC`, writes it.
fn clock(t: DateTime<Utc>) -> String {
    t.format("%H:%M").to_string()
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The command that takes back the systemd timer set for `step` at `at`.
fn systemd_stop(step: &str, at: DateTime<Utc>) -> Vec<String> {
    words(&[
        "systemctl",
        "--user",
        "stop",
        &format!("postrun-remind-{step}-{}.timer", stamp(at)),
    ])
}

/// The `systemd-run` line for a step at a moment, with the test's data folder.
fn systemd_run(home: &Home, step: &str, at: DateTime<Utc>) -> Vec<String> {
    let data = home.0.data_home();
    let config = home.0.config_home();
    words(&[
        "systemd-run",
        "--user",
        "--quiet",
        "--collect",
        &format!("--unit=postrun-remind-{step}-{}", stamp(at)),
        &format!("--on-calendar={}", at.format("%Y-%m-%d %H:%M:%S UTC")),
        "--timer-property=AccuracySec=1s",
        &format!("--setenv=XDG_DATA_HOME={}", data.display()),
        &format!("--setenv=XDG_CONFIG_HOME={}", config.display()),
        "--",
        &exe(),
        "notify",
        step,
    ])
}

/// The session's windows still to open: meal 1h after the run; Epsom bath, roll and sleep
/// 90, 60 and 0 minutes before bed (13 hours after the run).
fn upcoming(fin: DateTime<Utc>) -> Vec<(&'static str, DateTime<Utc>)> {
    let bed = fin + TimeDelta::hours(13);
    vec![
        ("meal", fin + TimeDelta::hours(1)),
        ("epsom-bath", bed - TimeDelta::minutes(90)),
        ("roll", bed - TimeDelta::minutes(60)),
        ("sleep", bed),
    ]
}

#[test]
fn remind_sets_systemd_timers_for_the_open_sessions_windows_and_cancels_them() {
    let home = Home::new();
    home.systemd("running");
    let fin = home.open_session(TimeDelta::minutes(5));
    let out = home.postrun().arg("remind").assert().success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let mut expected = vec![words(&["systemctl", "--user", "is-system-running"])];
    expected.extend(
        upcoming(fin)
            .into_iter()
            .map(|(step, at)| systemd_run(&home, step, at)),
    );
    assert_eq!(home.take_log(), expected);
    assert!(stdout.contains("set with systemd user timers"), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "  {}  Balanced meal\n",
            clock(fin + TimeDelta::hours(1))
        )),
        "{stdout}"
    );
    let record = home.record().unwrap();
    assert_eq!(record["scheduler"], "systemd");
    assert_eq!(
        record["jobs"][0]["handle"],
        format!(
            "postrun-remind-meal-{}.timer",
            stamp(fin + TimeDelta::hours(1))
        )
    );

    home.postrun()
        .args(["remind", "--cancel"])
        .assert()
        .success()
        .stdout("Cancelled 4 reminders.\n");
    let stops: Vec<Vec<String>> = upcoming(fin)
        .into_iter()
        .map(|(step, at)| systemd_stop(step, at))
        .collect();
    assert_eq!(home.take_log(), stops);
    assert_eq!(home.record(), None);
    home.postrun()
        .args(["remind", "--cancel"])
        .assert()
        .success()
        .stdout("No reminders to cancel.\n");
    assert_eq!(home.take_log(), Vec::<Vec<String>>::new());
}

#[test]
fn remind_again_replaces_the_reminders_set_before() {
    let home = Home::new();
    home.systemd("degraded");
    let fin = home.open_session(TimeDelta::minutes(5));
    home.postrun().arg("remind").assert().success();
    home.take_log();
    // The open session wins over the day's arguments, and says so.
    home.postrun()
        .args(["remind", "--budget", "10m"])
        .assert()
        .success()
        .stderr(predicate::str::contains("following your open session"));
    // First the old ones go, then the same are set again: never twice.
    let mut expected: Vec<Vec<String>> = upcoming(fin)
        .into_iter()
        .map(|(step, at)| systemd_stop(step, at))
        .collect();
    expected.push(words(&["systemctl", "--user", "is-system-running"]));
    expected.extend(
        upcoming(fin)
            .into_iter()
            .map(|(step, at)| systemd_run(&home, step, at)),
    );
    assert_eq!(home.take_log(), expected);
    assert_eq!(home.record().unwrap()["jobs"].as_array().unwrap().len(), 4);
}

#[test]
fn remind_falls_back_to_at_without_a_user_systemd() {
    let home = Home::new();
    home.systemd("offline");
    home.at();
    let fin = home.open_session(TimeDelta::minutes(5));
    home.postrun()
        .arg("remind")
        .assert()
        .success()
        .stdout(predicate::str::contains("set with at:"));
    let mut expected = vec![
        words(&["systemctl", "--user", "is-system-running"]),
        words(&["atq"]),
    ];
    for (step, at) in upcoming(fin) {
        expected.push(words(&[
            "at",
            "-t",
            &at.format("%Y%m%d%H%M.%S").to_string(),
        ]));
        expected.push(words(&["stdin", &format!("'{}' notify '{step}'", exe())]));
    }
    assert_eq!(home.take_log(), expected);
    let record = home.record().unwrap();
    assert_eq!(record["scheduler"], "at");
    let handles: Vec<_> = record["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["handle"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(handles, ["1", "2", "3", "4"]);

    home.postrun()
        .args(["remind", "--cancel"])
        .assert()
        .success()
        .stdout("Cancelled 4 reminders.\n");
    assert_eq!(
        home.take_log(),
        ["1", "2", "3", "4"].map(|id| words(&["atrm", id]))
    );
    assert_eq!(home.record(), None);
}

#[test]
fn remind_without_a_scheduler_says_what_is_missing_and_points_at_the_calendar() {
    let home = Home::new();
    home.systemd("offline");
    home.open_session(TimeDelta::minutes(5));
    home.postrun()
        .arg("remind")
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            predicate::str::contains("says offline")
                .and(predicate::str::contains("at: at is not installed"))
                .and(predicate::str::contains("postrun plan --ics")),
        );
    assert_eq!(
        home.take_log(),
        [words(&["systemctl", "--user", "is-system-running"])]
    );
    assert_eq!(home.record(), None);
}

#[test]
fn remind_without_a_session_follows_the_days_plan() {
    let home = Home::new();
    home.systemd("running");
    // The latest whole minute not in the future: what `--finished HH:MM` means.
    let fin = Utc::now()
        .with_second(0)
        .unwrap()
        .with_nanosecond(0)
        .unwrap();
    let bed = fin + TimeDelta::hours(13);
    home.postrun()
        .args([
            "remind",
            "--finished",
            &fin.format("%H:%M").to_string(),
            "--bedtime",
            &bed.format("%H:%M").to_string(),
            "--budget",
            "25m",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("today's plan"));
    // A 25m budget keeps the required steps only: the meal and sleep are still to come.
    let runs: Vec<_> = home
        .take_log()
        .into_iter()
        .filter(|w| w[0] == "systemd-run")
        .collect();
    assert_eq!(
        runs,
        [
            systemd_run(&home, "meal", fin + TimeDelta::hours(1)),
            systemd_run(&home, "sleep", bed)
        ]
    );
}

#[test]
fn remind_with_every_window_open_already_sets_nothing() {
    let home = Home::new();
    home.systemd("running");
    // 18 hours after the run, bedtime (13 hours after it) passed and its night not yet over:
    // the session is still open, every window gone.
    home.open_session(TimeDelta::hours(18));
    home.postrun()
        .arg("remind")
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "Nothing left to remind you of today",
        ));
    assert_eq!(home.take_log(), Vec::<Vec<String>>::new());
    assert_eq!(home.record(), None);
}

#[test]
fn the_fired_reminder_notifies_unless_the_step_is_done() {
    let home = Home::new();
    home.systemd("running");
    home.fake("notify-send", "exit 0");
    let fin = home.open_session(TimeDelta::minutes(5));
    home.postrun().arg("remind").assert().success();
    home.take_log();
    let meal = fin + TimeDelta::hours(1);
    // The meal is still to do: a desktop notification.
    home.postrun()
        .args(["notify", "meal"])
        .assert()
        .success()
        .stdout("");
    assert_eq!(
        home.take_log(),
        [words(&[
            "notify-send",
            "--app-name=postrun",
            // Text after `--`: a title or body starting with a dash is never an option.
            "--",
            "Balanced meal",
            &format!(
                "Sit down to a proper meal of carbohydrates, protein and fat, 1-2 hours after you finish. ({}-{})",
                clock(meal),
                clock(meal + TimeDelta::hours(1))
            ),
        ])]
    );
    // Done early in the guide: the reminder stays quiet.
    let store = Store::new(&home.data());
    let (mut log, mut session) = store
        .resume(store.find_open(Utc::now()).unwrap().unwrap())
        .unwrap();
    let now = Utc::now();
    put(&mut log, &mut session, Event::Select { step: 4 }, now);
    put(&mut log, &mut session, Event::Complete, now);
    home.postrun()
        .args(["notify", "meal"])
        .assert()
        .success()
        .stdout("");
    assert_eq!(home.take_log(), Vec::<Vec<String>>::new());
    // Without notify-send, the reminder is printed (to the journal, or at's mail).
    fs::remove_file(home.bin().join("notify-send")).unwrap();
    home.postrun()
        .args(["notify", "sleep"])
        .assert()
        .success()
        .stdout(
            predicate::str::starts_with("postrun: Sleep: ").and(predicate::str::ends_with(
                format!("(at {})\n", clock(fin + TimeDelta::hours(13))),
            )),
        );
    // Cancelled: a timer that fires anyway says nothing.
    home.postrun()
        .args(["remind", "--cancel"])
        .assert()
        .success();
    home.postrun()
        .args(["notify", "sleep"])
        .assert()
        .success()
        .stdout("");
}

#[test]
fn skipping_a_step_in_the_guide_takes_its_reminder_back() {
    let home = Home::new();
    home.systemd("running");
    let fin = home.open_session(TimeDelta::minutes(5));
    home.postrun().arg("remind").assert().success();
    home.take_log();
    // The plain guide (no terminal here): step 5, the meal, made current, skipped, confirmed.
    home.postrun()
        .write_stdin("5\ns\ny\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("Balanced meal: skipped"));
    let log = home.take_log();
    // Opening the guide brings the reminders in line, and the skip does again; each time the
    // four set before are taken back first. The worker acts on the newest state only, so when
    // the skip comes before it has started on the opening (a loaded machine), the two are one.
    let stops = log
        .iter()
        .filter(|l| l.get(2).map(String::as_str) == Some("stop"))
        .count();
    assert!(stops == 4 || stops == 8, "{stops} stops: {log:?}");
    let last = log
        .iter()
        .rposition(|l| l.get(2).map(String::as_str) == Some("is-system-running"))
        .unwrap();
    let expected: Vec<Vec<String>> = upcoming(fin)
        .into_iter()
        .filter(|(step, _)| *step != "meal")
        .map(|(step, at)| systemd_run(&home, step, at))
        .collect();
    assert_eq!(log[last + 1..], expected, "set again without the meal");
    assert_eq!(home.record().unwrap()["jobs"].as_array().unwrap().len(), 3);
}

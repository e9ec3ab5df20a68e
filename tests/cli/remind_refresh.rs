//! The hook the guide calls when a step changes, [`postrun::shell::scheduler::refresh`]: it leaves a
//! runner who never asked for reminders alone, and otherwise sets them again to match the
//! session. It needs its own `PATH` for the whole process, so the test runs again, alone, in
//! a child process of this test binary started in the harness's home with that `PATH`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use chrono::{TimeDelta, TimeZone, Utc};
use postrun::core::clock::Hours;
use postrun::core::protocol::{self, parse};
use postrun::core::session::{Event, Session};
use postrun::shell::scheduler::{self, Outcome, Scheduler};

use crate::home::Home;

/// Set in the child process: the home the parent made.
const CHILD: &str = "POSTRUN_TEST_REFRESH_HOME";

/// Runs the test named `name` in this module again in a child process of this test binary,
/// alone, in `home` with `PATH` set to `path`, `FAKE_LOG` to `log` in the home, and the XDG
/// folders unset; fails if it fails.
fn in_child(home: &Home, name: &str, path: &Path) {
    let module = module_path!().split_once("::").unwrap().1;
    let out = home
        .std_command(std::env::current_exe().unwrap())
        .args([&format!("{module}::{name}"), "--exact"])
        .env("PATH", path)
        .env("FAKE_LOG", home.path().join("log"))
        .env_remove("XDG_DATA_HOME")
        .env_remove("XDG_CONFIG_HOME")
        .env(CHILD, home.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("test result: ok. 1 passed"),
        "the child run failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn refresh_follows_the_session_once_reminders_are_set() {
    let Some(dir) = std::env::var_os(CHILD).map(PathBuf::from) else {
        let home = Home::new();
        let bin = home.path().join("bin");
        fs::create_dir(&bin).unwrap();
        fake_systemd(&bin);
        in_child(
            &home,
            "refresh_follows_the_session_once_reminders_are_set",
            &bin,
        );
        return;
    };
    let log = dir.join("log");
    let data = dir.join("data");
    let take = || {
        let text = fs::read_to_string(&log).unwrap_or_default();
        let _ = fs::remove_file(&log);
        text.lines().map(str::to_string).collect::<Vec<_>>()
    };

    let fin = Utc.with_ymd_and_hms(2100, 5, 1, 10, 0, 0).unwrap();
    let source = protocol::builtin("optimal-recovery").unwrap().source;
    let p = parse("optimal-recovery", "optimal-recovery", source).unwrap();
    let mut session = Session::new(p, fin, fin + TimeDelta::hours(12) + TimeDelta::minutes(30));
    let now = fin + TimeDelta::minutes(5);

    // No reminders set: nothing runs, nothing is written.
    assert_eq!(
        scheduler::refresh(&data, &session, now, Hours::TwentyFour).unwrap(),
        None
    );
    assert!(take().is_empty());
    assert!(!data.join("reminders.json").exists());

    let reminders = postrun::core::reminder::for_session(&session, now, &Utc, Hours::TwentyFour);
    let (outcome, _) = scheduler::replace(&data, &reminders, now).unwrap();
    assert!(
        matches!(outcome, Outcome::Set { scheduler: Scheduler::Systemd, ref jobs, .. } if jobs.len() == 4)
    );
    take();

    // The meal done early: its timer goes, the others are set again.
    session.apply(Event::Select { step: 4 }, now).unwrap();
    session.apply(Event::Complete, now).unwrap();
    let (outcome, warnings) = scheduler::refresh(&data, &session, now, Hours::TwentyFour)
        .unwrap()
        .unwrap();
    assert!(warnings.is_empty());
    let Outcome::Set { jobs, .. } = outcome else {
        panic!("{outcome:?}")
    };
    let steps: Vec<_> = jobs.iter().map(|j| j.reminder.step.as_str()).collect();
    assert_eq!(steps, ["epsom-bath", "roll", "sleep"]);
    let log = take();
    assert_eq!(
        log[..5],
        [
            "systemctl --user stop postrun-remind-meal-21000501T110000Z.timer",
            "systemctl --user stop postrun-remind-epsom-bath-21000501T210000Z.timer",
            "systemctl --user stop postrun-remind-roll-21000501T213000Z.timer",
            "systemctl --user stop postrun-remind-sleep-21000501T223000Z.timer",
            "systemctl --user is-system-running",
        ]
    );
    assert_eq!(log.len(), 8);
    assert!(log[5].starts_with(
        "systemd-run --user --quiet --collect --unit=postrun-remind-epsom-bath-21000501T210000Z --on-calendar=2100-05-01 21:00:00 UTC"
    ));
}

/// A running user systemd: fake `systemctl` and `systemd-run` in `bin` that log their
/// arguments to `$FAKE_LOG`.
fn fake_systemd(bin: &Path) {
    for (name, body) in [
        (
            "systemctl",
            "[ \"$2\" = is-system-running ] && echo running",
        ),
        ("systemd-run", ""),
    ] {
        let path = bin.join(name);
        let script = format!(
            "#!/bin/sh\nprintf '%s' {name} >> \"$FAKE_LOG\"\nfor a in \"$@\"; do printf ' %s' \"$a\" >> \"$FAKE_LOG\"; done\nprintf '\\n' >> \"$FAKE_LOG\"\n{body}\nexit 0\n"
        );
        fs::write(&path, script).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    }
}

//! The hook the guide calls when a step changes, [`postrun::shell::scheduler::refresh`]: it leaves a
//! runner who never asked for reminders alone, and otherwise sets them again to match the
//! session. Its own test binary, as it sets `PATH` for the whole process.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::os::unix::fs::PermissionsExt;

use chrono::{TimeDelta, TimeZone, Utc};
use postrun::core::protocol::{self, parse};
use postrun::core::session::{Event, Session};
use postrun::shell::scheduler::{self, Outcome, Scheduler};

#[test]
fn refresh_follows_the_session_once_reminders_are_set() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    let log = dir.path().join("log");
    fs::create_dir(&bin).unwrap();
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
    // SAFETY: the only test in this binary, so no other thread reads the environment.
    unsafe {
        std::env::set_var("PATH", &bin);
        std::env::set_var("FAKE_LOG", &log);
        std::env::remove_var("XDG_DATA_HOME");
        std::env::remove_var("XDG_CONFIG_HOME");
        std::env::set_var("TZ", "UTC");
    }
    let data = dir.path().join("data");
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
    assert_eq!(scheduler::refresh(&data, &session, now).unwrap(), None);
    assert!(take().is_empty());
    assert!(!data.join("reminders.json").exists());

    let reminders = postrun::core::reminder::for_session(&session, now, &Utc);
    let (outcome, _) = scheduler::replace(&data, &reminders, now).unwrap();
    assert!(
        matches!(outcome, Outcome::Set { scheduler: Scheduler::Systemd, ref jobs, .. } if jobs.len() == 4)
    );
    take();

    // The meal done early: its timer goes, the others are set again.
    session.apply(Event::Select { step: 4 }, now).unwrap();
    session.apply(Event::Complete, now).unwrap();
    let (outcome, warnings) = scheduler::refresh(&data, &session, now).unwrap().unwrap();
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

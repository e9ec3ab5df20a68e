//! One writer per day, through the real binary: windows that start a day at the same moment
//! make one session between them, and two `--new` close the old one once.
#![allow(clippy::unwrap_used)]

use std::process::{Child, Stdio};

use crate::home::Home;

/// The plain guide started with `args`; it reads no input and so ends at once.
fn spawn(home: &Home, args: &[&str]) -> Child {
    home.std_postrun()
        .args(["--plain", "--finished", "1m"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Both, started together, finished; their stderr, for a failure's message.
fn both(home: &Home, args: &[&str]) -> String {
    let (a, b) = (spawn(home, args), spawn(home, args));
    [a, b]
        .into_iter()
        .map(|c| String::from_utf8_lossy(&c.wait_with_output().unwrap().stderr).into_owned())
        .collect()
}

#[test]
fn two_windows_starting_a_day_together_make_one_session() {
    // The race was lost 12 times in 20 before the store-wide lock.
    for round in 0..12 {
        let home = Home::new();
        let said = both(&home, &[]);
        assert_eq!(home.logs().len(), 1, "round {round}: {said}");
    }
}

#[test]
fn two_new_days_started_together_close_the_old_one_once() {
    for round in 0..8 {
        let home = Home::new();
        let first = spawn(&home, &[]).wait_with_output().unwrap();
        assert!(first.status.success());
        let said = both(&home, &["--new"]);
        // Each log closed at most once, and one day left open: the second `--new` either
        // replaced the first's new day (it had seen it) or carried on with it.
        let closes: Vec<usize> = home
            .logs()
            .iter()
            .map(|p| {
                let log = std::fs::read_to_string(p).unwrap();
                log.lines().filter(|l| l.contains("\"close\"")).count()
            })
            .collect();
        assert!(
            closes.iter().all(|c| *c <= 1),
            "round {round}: {closes:?} {said}"
        );
        assert_eq!(closes[0], 1, "round {round}: {said}");
        let open = closes.iter().filter(|c| **c == 0).count();
        assert_eq!(open, 1, "round {round}: {closes:?} {said}");
    }
}

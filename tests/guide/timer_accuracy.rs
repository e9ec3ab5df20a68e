//! The real binary in tmux: a 3 s timer, its process stopped for a second (SIGSTOP, as a
//! laptop lid or Ctrl-Z would), must still end on its deadline, not a second late. The log's
//! finishing wake is checked against the start line's time plus 3 s. `bench/run` does the same
//! with a 60 s timer and a 5 s stop. Skips with a notice where tmux is missing, except under
//! CI=true.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};

use crate::fixture;
use crate::home::tmux::{Tmux, signal, tmux_available};

/// The times of the log's lines whose event is `kind`, in order.
fn times(log: &str, kind: &str) -> Vec<DateTime<Utc>> {
    log.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["event"]["type"] == kind)
        .map(|v| v["at"].as_str().unwrap().parse().unwrap())
        .collect()
}

/// The first process whose parent is `pid`, read from /proc.
fn child_of(pid: &str) -> Option<String> {
    std::fs::read_dir("/proc")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
            let ppid = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .nth(1)?
                .to_owned();
            (ppid == pid).then(|| e.file_name().to_string_lossy().into_owned())
        })
        .next()
}

#[test]
fn a_timer_stopped_for_a_second_still_ends_on_its_deadline() {
    if !tmux_available() {
        return;
    }
    let t = Tmux::new("accuracy");
    let d = t.home.path();
    std::fs::write(d.join("short.toml"), fixture::one_timer("3s", None)).unwrap();
    t.start(
        (80, 24),
        &format!("--protocol {}/short.toml --finished 0m", d.display()),
    );
    t.wait_for("Enter start", 10);
    let pid = t.pane("#{pane_pid}");
    // The pane runs `sh -c`: postrun is its child.
    let postrun: u32 = child_of(pid.trim())
        .and_then(|p| p.parse().ok())
        .expect("postrun runs in the pane");
    t.keys(&["Enter"]);
    t.wait_for("left", 5);
    signal(postrun, "STOP");
    // The stop lands when the kernel next looks at the process: wait for it.
    let until = Instant::now() + Duration::from_secs(2);
    loop {
        let stat = std::fs::read_to_string(format!("/proc/{postrun}/stat")).unwrap();
        if stat.rsplit_once(')').unwrap().1.split_whitespace().next() == Some("T") {
            break;
        }
        assert!(Instant::now() < until, "postrun never stopped: {stat}");
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_secs(1));
    signal(postrun, "CONT");
    t.wait_for("is done", 10);
    t.keys(&["q"]);
    t.wait_for("EXITED 0", 5);

    let sessions = d.join("data/postrun/sessions");
    let log = std::fs::read_dir(&sessions)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .unwrap();
    let log = std::fs::read_to_string(log).unwrap();
    let start = times(&log, "start")[0];
    let wake = *times(&log, "wake")
        .iter()
        .find(|w| **w > start)
        .expect("a wake finished the timer");
    let late = wake - (start + TimeDelta::seconds(3));
    assert!(
        late.num_milliseconds().abs() <= 300,
        "the timer ended {late} from its deadline:\n{log}"
    );
}

//! Crash safety (issue 7, part 1): the real binary runs in tmux under a random script of keys
//! and is killed with SIGKILL at a random moment, again and again. After each kill:
//! - every screen captured before the kill (its ✓/–/▶/· marks and its "N/9 done") must be
//!   the session as some prefix of the log leaves it, the prefixes in the order the screens
//!   were seen: nothing shown is missing from the disk, and the screen never ran ahead;
//! - every line of every log is a whole record: no garbage, no torn line;
//! - `postrun status --json` reads the session with no warnings, and the next start reopens it
//!   (its first screen is checked the same way).
//!
//! The seed is printed; `POSTRUN_CRASH_SEED=N` replays a run. 10 kills in the default suite;
//! 100 in `many_random_kills_lose_nothing_shown`, which `.ci/run` runs with `--ignored`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use postrun::core::session::StepState;
use postrun::store::{self, Record};

use crate::home::BIN;
use crate::home::tmux::{Tmux, signal, tmux_available};

/// Steps in the default protocol.
const STEPS: usize = 9;

/// A tiny linear congruential generator (Knuth's MMIX constants): enough to pick keys and
/// moments, and the same seed gives the same choices.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }

    fn pause(&mut self, max_ms: u64) {
        std::thread::sleep(Duration::from_millis(self.below(max_ms + 1)));
    }
}

/// Keys a runner might press, weighted by repetition. Undo is in: the check follows the log's
/// order, not only its growth.
const KEYS: &[&str] = &[
    "Enter", "Enter", "Enter", "Enter", "s", "s", "s", "s", "y", "y", "y", "y", "n", "Escape",
    "Space", "Space", "j", "k", "u", "u", "?", "+", "-",
];

/// What one screen said about the session.
#[derive(Debug, Clone)]
struct Shown {
    /// The checklist's marks, when all its rows were in view.
    marks: Option<Vec<StepState>>,
    /// The header's done count, when in view.
    done: Option<usize>,
    screen: String,
}

fn read_screen(screen: &str) -> Shown {
    let marks: Vec<StepState> = screen
        .lines()
        .filter_map(|l| {
            let mut c = l.chars();
            if c.next() != Some('│') {
                return None;
            }
            let state = match c.next()? {
                '✓' => StepState::Done,
                '–' => StepState::Skipped,
                '▶' => StepState::Active,
                '·' => StepState::Pending,
                _ => return None,
            };
            (c.next() == Some(' ')).then_some(state)
        })
        .collect();
    let done = screen.find(&format!("/{STEPS} done")).and_then(|at| {
        let digits: String = screen[..at]
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        digits.parse().ok()
    });
    Shown {
        marks: (marks.len() == STEPS).then_some(marks),
        done,
        screen: screen.to_string(),
    }
}

/// A screen read twice alike, so never a frame caught half drawn; `None` if it kept moving.
fn settled(t: &Tmux) -> Option<Shown> {
    let mut last = t.screen();
    for _ in 0..5 {
        let now = t.screen();
        if now == last {
            return Some(read_screen(&now));
        }
        last = now;
    }
    None
}

/// Waits until postrun has handled every key sent so far, and returns the screen then. Keys
/// are handled in order, so once a `?` sent last has opened the help, the keys before it are
/// done. (A `?` may instead close the help or a skip confirmation left open by the script;
/// then the next one opens it.) Esc closes the help again; neither key changes the session.
fn drained(t: &Tmux, seed: u64) -> Shown {
    let open = |t: &Tmux| t.screen().contains("┌ Keys");
    let mut shown = false;
    for _ in 0..4 {
        // The end of the day asks how sore, and takes `?` as text: skip it (Esc writes
        // nothing), and ask again.
        if t.screen().contains("┌ How sore") {
            t.keys(&["Escape"]);
            t.wait_until(5, "the question to close", |s| !s.contains("┌ How sore"));
        }
        t.keys(&["?"]);
        let until = Instant::now() + Duration::from_secs(1);
        while !shown && Instant::now() < until {
            shown = open(t);
            std::thread::sleep(Duration::from_millis(10));
        }
        if shown {
            break;
        }
    }
    assert!(shown, "seed {seed}: the help never opened:\n{}", t.screen());
    t.keys(&["Escape"]);
    t.wait_until(5, "the help to close", |s| !s.contains("┌ Keys"));
    loop {
        if let Some(s) = settled(t) {
            return s;
        }
    }
}

/// The step states and done count after each prefix of a log's events, from none to all.
fn prefixes(log: &Path) -> Vec<(Vec<StepState>, usize)> {
    let bytes = std::fs::read(log).unwrap();
    let replayed = store::replay_bytes(log, &bytes).unwrap();
    let mut session = store::begin(&replayed.opening);
    let mut out = vec![(session.states().to_vec(), session.done_count())];
    for (at, event) in &replayed.events {
        let _ = session.apply(event.clone(), *at);
        out.push((session.states().to_vec(), session.done_count()));
    }
    out
}

/// Every session log, and checks that each holds only whole records; the newest that has a
/// session in it.
fn check_logs(dir: &Path, seed: u64) -> Option<PathBuf> {
    let mut logs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    logs.sort();
    for log in &logs {
        let bytes = std::fs::read(log).unwrap();
        assert!(
            bytes.is_empty() || bytes.ends_with(b"\n"),
            "seed {seed}: {} ends in a torn line",
            log.display()
        );
        for (n, line) in bytes.split(|b| *b == b'\n').enumerate() {
            if line.is_empty() {
                continue;
            }
            assert!(
                serde_json::from_slice::<Record>(line).is_ok(),
                "seed {seed}: {}:{} is not a record: {}",
                log.display(),
                n + 1,
                String::from_utf8_lossy(line)
            );
        }
    }
    logs.into_iter()
        .rev()
        .find(|l| store::replay_bytes(l, &std::fs::read(l).unwrap()).is_some())
}

/// Each screen must be what some prefix of the log leaves, prefixes in screen order.
fn check_shown(log: &Path, shown: &[Shown], seed: u64) {
    let states = prefixes(log);
    let mut at = 0;
    for (i, s) in shown.iter().enumerate() {
        let fits = |(marks, done): &(Vec<StepState>, usize)| {
            s.marks.as_ref().is_none_or(|m| m == marks) && s.done.is_none_or(|d| d == *done)
        };
        match states[at..].iter().position(fits) {
            Some(k) => at += k,
            None => panic!(
                "seed {seed}: screen {i} of this session shows what the log never held \
                 (marks {:?}, done {:?}); the log's states from the last match on: {:#?}\n{}",
                s.marks,
                s.done,
                &states[at..],
                s.screen
            ),
        }
    }
}

/// What a run of the harness did, for the printout.
#[derive(Debug, Default)]
struct Tally {
    kills: u32,
    during_start: u32,
    screens: usize,
    exact: u32,
    sessions: u32,
    lines: usize,
}

fn kill_at_random(kills: u32, name: &str) {
    if !tmux_available() {
        return;
    }
    let seed = std::env::var("POSTRUN_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("crash harness: seed {seed} (rerun with POSTRUN_CRASH_SEED={seed})");
    let mut rng = Lcg(seed);
    let t = Tmux::new(name);
    t.spawn((80, 24), "sleep 600");
    t.tmux(&["set-option", "-g", "remain-on-exit", "on"]);
    let mut tally = Tally::default();
    let mut shown: Vec<Shown> = Vec::new();
    let mut fresh = true;
    let started = Instant::now();

    for round in 0..=kills {
        if fresh {
            shown.clear();
            tally.sessions += 1;
        }
        let args = if fresh {
            "--new --finished 20m --bedtime 23:59"
        } else {
            ""
        };
        t.tmux(&["respawn-pane", "-k", &format!("exec '{BIN}' {args}")]);
        let pid: u32 = t.pane("#{pane_pid}").parse().unwrap();
        // The last round only reopens, to check the last kill's session from the inside too,
        // and quits.
        let last = round == kills;
        let mut quiet = None;
        if !last && rng.below(5) == 0 {
            // Somewhere in starting up: reading the logs, writing a new one, the first frame.
            tally.during_start += 1;
            rng.pause(60);
        } else {
            t.wait_until(10, "the first frame", |s| {
                s.contains("done") && !s.contains("Pane is dead")
            });
            shown.extend(settled(&t));
            tally.screens += 1;
            if !last {
                for _ in 0..=rng.below(8) {
                    t.keys(&[KEYS[rng.below(KEYS.len() as u64) as usize]]);
                    rng.pause(50);
                    if rng.below(2) == 0 {
                        shown.extend(settled(&t));
                        tally.screens += 1;
                    }
                }
            }
            if last || rng.below(3) == 0 {
                // Every key handled: then the log must end exactly where the screen is.
                let s = drained(&t, seed);
                shown.push(s.clone());
                tally.screens += 1;
                quiet = Some(s);
            } else {
                rng.pause(30);
            }
        }
        if last {
            t.keys(&["q"]);
        } else {
            signal(pid, "KILL");
            tally.kills += 1;
        }
        t.wait_pane("#{pane_dead}", "1", 5);

        let log = check_logs(&t.sessions_dir(), seed);
        if let Some(log) = &log {
            check_shown(log, &shown, seed);
            if let Some(q) = &quiet {
                let (marks, done) = prefixes(log).pop().unwrap();
                assert!(
                    q.marks.as_ref().is_none_or(|m| *m == marks)
                        && q.done.is_none_or(|d| d == done),
                    "seed {seed}: the log ends at {marks:?} ({done} done), the screen showed:\n{}",
                    q.screen
                );
                tally.exact += 1;
            }
        } else {
            assert!(shown.is_empty(), "seed {seed}: screens but no session log");
        }
        let status = t.status();
        if let Some(status) = &status {
            assert_eq!(
                status["warnings"],
                serde_json::json!([]),
                "seed {seed}: {status}"
            );
        }
        fresh = status.is_none();
    }
    tally.lines = std::fs::read_dir(t.sessions_dir())
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .map(|b| b.iter().filter(|c| **c == b'\n').count())
        .sum();
    eprintln!(
        "crash harness: {tally:?} in {:.1}s",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn random_kills_lose_nothing_shown() {
    kill_at_random(10, "kill10");
}

#[test]
#[ignore = "slow: 100 kills; .ci/run runs it with --ignored"]
fn many_random_kills_lose_nothing_shown() {
    kill_at_random(100, "kill100");
}

//! The plain guide, for screen readers and dumb terminals: a line per change, keys as lines.
//! The state tests drive `Plain` over a guide in memory with a fixed clock, as the shell's
//! loop does; the last ones run the real binary with piped input and output and read its
//! lines.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use postrun::core::clock::Choice;
use postrun::core::guide::{Guide, Told};
use postrun::core::session::{Event, StepState, Timestamp};
use postrun::front::plain::Plain;
use postrun::shell::{self, Front, carry_out};

use crate::fixture::{self, at};
use crate::home::{BIN, Home};

/// The day the loop holds: where the guide's events go (a list in memory) and the guide.
type Day = Option<(Vec<(Timestamp, Event)>, Guide)>;

/// The plain guide over a new session of the default protocol, the run finished at 10:00
/// UTC, in memory, driven as the shell's loop drives it.
struct Guided {
    front: Plain,
    day: Day,
    /// Bells rung so far.
    bells: u32,
    /// The runner asked to leave.
    quit: bool,
}

fn plain() -> Guided {
    let fixture::Day { log, guide } = fixture::day();
    Guided {
        front: Plain::default(),
        day: Some((log, guide)),
        bells: 0,
        quit: false,
    }
}

impl Guided {
    fn guide(&self) -> &Guide {
        &self.day.as_ref().unwrap().1
    }

    /// The loop opening on the day at `now`: a wake, then the first lines.
    fn open(&mut self, now: Timestamp) -> Vec<String> {
        self.wake(now)
    }

    /// A line typed by the runner: what the loop does with one input, then what it shows.
    fn line(&mut self, text: &str, now: Timestamp) -> Vec<String> {
        let mut begin =
            |_: Choice, _: Timestamp| -> anyhow::Result<(Vec<(Timestamp, Event)>, Guide)> {
                anyhow::bail!("the plain guide has no start screen")
            };
        let told = shell::handle(
            &mut self.front,
            &mut self.day,
            text.to_string(),
            now,
            &mut begin,
        )
        .unwrap();
        self.show(&told, now, false)
    }

    /// Time passes: the loop's wake with no input, then what it shows.
    fn wake(&mut self, now: Timestamp) -> Vec<String> {
        let (log, guide) = self.day.as_mut().unwrap();
        let change = guide.wake(now);
        let told = carry_out(log, guide, change).unwrap();
        let only_time = told.is_empty();
        self.show(&told, now, only_time)
    }

    fn show(&mut self, told: &Told, now: Timestamp, only_time: bool) -> Vec<String> {
        self.bells += told.bells;
        self.quit |= told.quit;
        let guide = self.day.as_ref().map(|(_, g)| g);
        self.front.show(guide, told, now, only_time).unwrap();
        self.front.take()
    }

    /// When the loop next wakes by itself: the guide's next change, or the plain guide's next
    /// whole minute of a countdown.
    fn next_wake(&self, now: Timestamp) -> Option<Timestamp> {
        let guide = self.guide();
        [guide.next_change(now), self.front.next_wake(guide, now)]
            .into_iter()
            .flatten()
            .min()
    }

    /// Whether the runner has quit.
    fn quit(&self) -> bool {
        self.quit
    }
}

#[test]
fn it_opens_with_the_day_and_what_to_do_now() {
    let mut p = plain();
    let lines = p.open(at(0));
    assert_eq!(
        lines[0],
        "Optimal recovery: run finished 10:00, bedtime 22:30, 0 of 9 steps done. ? lists the keys."
    );
    assert!(lines[1].starts_with("Now: Hydrate. Drink"), "{lines:?}");
    assert!(lines[1].ends_with("Enter when it is done."), "{lines:?}");
}

#[test]
fn an_empty_line_is_enter_and_each_change_is_one_line() {
    let mut p = plain();
    p.open(at(0));
    let lines = p.line("", at(60));
    assert_eq!(lines[0], "Hydrate: done, 1 of 9 steps");
    assert!(
        lines[1].starts_with("Now: Stretch.")
            && lines[1].ends_with("Enter starts the 14m35s timer."),
        "{lines:?}"
    );
    // The step asks what was drunk; an empty line carries on, as below.
    assert_eq!(
        lines[2],
        "Millilitres drunk, in ml (500-1000)? A number and Enter, or carry on."
    );
    assert_eq!(lines.len(), 3, "{lines:?}");

    let lines = p.line("", at(600));
    assert_eq!(
        lines,
        [
            "Stretch: started, 14:35 in all",
            "Get into position: Quadriceps, left leg (hold 1 of 11)"
        ]
    );
    assert_eq!(p.next_wake(at(600)), Some(at(605)), "the gap's end");
    assert_eq!(p.wake(at(605)), ["Hold: Quadriceps, left leg, 00:30"]);
    assert_eq!(
        p.wake(at(625)),
        ["Quadriceps, left leg: 20s held. Enter moves on, or hold on"]
    );
    assert_eq!(p.wake(at(635)), ["Switch to the right leg (hold 2 of 11)"]);
    // No line for a wake that changed nothing.
    assert!(p.wake(at(636)).is_empty());
    assert_eq!(
        p.bells, 4,
        "the hold, its minimum, the switch, and the gap's bell"
    );
}

#[test]
fn a_long_countdown_says_each_minute_once_even_when_woken_late() {
    let mut p = plain();
    p.open(at(0));
    // Step 4 is the ice bath: its number makes it current, an empty line starts it.
    let lines = p.line("4", at(1800));
    assert!(lines[0].starts_with("Now: Ice bath."), "{lines:?}");
    assert_eq!(p.line("", at(1800)), ["Ice bath: started, 15:00 in all"]);
    assert_eq!(p.next_wake(at(1800)), Some(at(1860)));
    assert_eq!(p.wake(at(1860)), ["14 minutes left"]);
    // Woken late, past two marks and the 3-minute cue: the cue and one minute line.
    let lines = p.wake(at(1800 + 185));
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].contains("hardest part is over"), "{lines:?}");
    assert_eq!(lines[1], "12 minutes left");
    assert_eq!(p.line("p", at(1990)), ["Ice bath: paused with 11:50 left"]);
    assert_eq!(
        p.next_wake(at(1990)),
        Some(at(3600)),
        "paused: only the meal's window"
    );
    assert_eq!(
        p.line("t", at(1995)),
        ["Ice bath: 11:50 left, paused; 0 of 9 steps done."]
    );
}

#[test]
fn a_window_opening_is_announced_once() {
    let mut p = plain();
    p.open(at(0));
    // The meal's window opens an hour after the run.
    assert_eq!(p.next_wake(at(10)), Some(at(3600)));
    assert!(p.wake(at(3599)).is_empty());
    assert_eq!(p.wake(at(3600)), ["Balanced meal is due now, 11:00-12:00."]);
    assert!(p.wake(at(3601)).is_empty());
    assert_eq!(
        p.next_wake(at(3601)),
        Some(at(11 * 3600)),
        "the Epsom bath at 21:00"
    );
}

#[test]
fn skipping_a_required_step_asks_and_y_confirms() {
    let mut p = plain();
    p.open(at(0));
    assert_eq!(
        p.line("s", at(5)),
        ["Hydrate is not optional. Skip it anyway? y or n"]
    );
    let lines = p.line("y", at(6));
    assert_eq!(lines[0], "Hydrate: skipped");
    assert_eq!(p.guide().session().states()[0], StepState::Skipped);
    assert_eq!(p.line("u", at(7)), ["Undone: Hydrate is current again"]);
}

#[test]
fn unknown_lines_are_named_without_their_control_characters() {
    let mut p = plain();
    p.open(at(0));
    let lines = p.line("\u{1b}[2Jx", at(1));
    assert_eq!(lines, ["'?[2Jx' is not a key here; ? lists them."]);
    assert_eq!(p.line("42", at(2)).len(), 1, "no step 42");
    assert!(p.line("?", at(3))[0].starts_with("Keys, each followed by Enter"));
    let list = p.line("l", at(4));
    assert_eq!(list.len(), 9);
    assert_eq!(list[0], "1. Hydrate: current, by 10:10-10:15, open now");
    assert_eq!(list[3], "4. Ice bath: to do");
    assert_eq!(
        list[4],
        "5. Balanced meal: to do, 11:00-12:00, opens in 60m"
    );
    assert_eq!(
        list[6],
        "7. Epsom salt bath: to do, 21:00-21:30, opens at 21:00"
    );
    assert!(!p.quit());
    p.line("q", at(5));
    assert!(p.quit());
}

/// The real binary without a terminal: it reads keys as lines and writes a line per change.
#[test]
fn the_binary_speaks_plain_lines_through_a_pipe() {
    let home = Home::new();
    let protocol = home.path().join("quick.toml");
    std::fs::write(
        &protocol,
        fixture::one_timer("3s", Some(("1s", "One second in"))),
    )
    .unwrap();
    let mut child = home
        .std_postrun()
        .arg("--protocol")
        .arg(&protocol)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    let mut wait_for = |want: &str| {
        loop {
            let line = rx
                .recv_timeout(Duration::from_secs(10))
                .unwrap_or_else(|_| panic!("no line {want:?}; saw {seen:?}"));
            assert!(!line.contains('\u{1b}'), "no escape sequences: {line:?}");
            seen.push(line.clone());
            if line == want {
                return;
            }
        }
    };
    // No session yet: the start screen's questions, as lines; empty lines keep each answer
    // in brackets, and the routine named with --protocol is the one in brackets.
    wait_for(
        "A new recovery day. Answer each question and press Enter; an empty line keeps what is in brackets, q leaves without starting anything.",
    );
    let path = protocol.display().to_string();
    wait_for(&format!(
        "Routine? [{path}] A name or a number: 1 {path}, 2 optimal-recovery, 3 \
         soothe-sore-muscles."
    ));
    for _ in 0..4 {
        writeln!(stdin).unwrap();
    }
    wait_for("Now: Soak. Sit still. Enter starts the 3s timer.");
    writeln!(stdin,).unwrap();
    wait_for("Soak: started, 00:03 in all");
    wait_for("One second in");
    wait_for("Time: Soak is done");
    wait_for("Now: Rest. Lie down. Enter when it is done.");
    writeln!(stdin, "q").unwrap();
    wait_for("Saved: 1 of 2 steps done. Run postrun again to carry on.");
    assert!(child.wait().unwrap().success());

    // The same log: status sees it, and reopening in plain mode carries on.
    let out = home
        .std_postrun()
        .arg("--plain")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("1 of 2 steps done"), "{text}");
    assert!(text.contains("Now: Rest."), "{text}");
}

#[test]
fn more_time_past_a_top_asks_in_words_and_the_top_is_called() {
    let mut p = plain();
    p.open(at(0));
    p.line("4", at(1800));
    p.line("", at(1800));
    assert_eq!(
        p.line("+", at(1810)),
        ["Ice bath tops out at 15m. Staying longer is not advised. Add 30 s anyway? y or n"]
    );
    assert_eq!(p.line("y", at(1811)), ["Ice bath: 30 s more, 15:19 left"]);
    p.wake(at(1800 + 899));
    let lines = p.wake(at(1800 + 900));
    assert_eq!(
        lines,
        ["Time to get out: Ice bath has reached its 15m limit"],
        "and no minute line over it"
    );
}

/// A write that fails (the log at the file-size limit, as on a full disk) ends the plain
/// guide the way it ends the full-screen one: exit 2 with "cannot save your session", the
/// log cut back to its last whole line, and everything said before it saved.
#[test]
fn a_failed_write_ends_the_plain_guide_and_loses_nothing_said() {
    let home = Home::new();
    // A day with its first step done, written as the guide writes it.
    let out = home
        .std_postrun()
        .args(["--plain", "--finished", "1m"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(out.stdin.as_ref().unwrap()).unwrap();
    writeln!(out.stdin.as_ref().unwrap(), "q").unwrap();
    assert!(out.wait_with_output().unwrap().status.success());
    let sessions = home.data_home().join("postrun/sessions");
    let log = std::fs::read_dir(&sessions)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let kib = std::fs::metadata(&log).unwrap().len().div_ceil(1024);
    // Reopen with no room for more than a few lines: pause and resume until one fails.
    let mut child = home
        .std_command("sh")
        .arg("-c")
        .arg(format!("trap '' XFSZ; ulimit -f {kib}; exec {BIN} --plain"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // The stretch's timer: start it, then pause and resume it until the log is full.
    for _ in 0..60 {
        if writeln!(stdin, "p").is_err() {
            break;
        }
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("postrun: cannot save your session"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !stdout.contains("Saved:"),
        "nothing claims to be saved:\n{stdout}"
    );
    // Every line on disk is whole, and what was said before the failure replays.
    let bytes = std::fs::read(&log).unwrap();
    assert_eq!(bytes.last(), Some(&b'\n'), "no torn piece left behind");
    let said_paused = stdout.matches("paused with").count();
    let written_pauses = String::from_utf8_lossy(&bytes).matches("\"pause\"").count();
    assert_eq!(
        said_paused, written_pauses,
        "each pause said was written:\n{stdout}"
    );
    let status = home
        .std_postrun()
        .args(["status", "--json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(json["steps"][0]["state"], "done", "{json}");
}

/// Issue 16: a line that is not UTF-8 (a terminal in another encoding, a stray byte) used to
/// end the plain guide without a word; it is said, and the guide goes on. A typed direction
/// override is echoed printable.
#[test]
fn a_line_that_is_not_utf8_is_said_and_the_guide_goes_on() {
    let home = Home::new();
    let mut typed = b"\xE2\x80\xAE1\n".to_vec();
    typed.extend_from_slice(b"\xff\xfe\x1b[2J\n\nq\n");
    let out = home
        .postrun()
        .args(["--plain", "--finished", "1m"])
        .write_stdin(typed)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{out:?}");
    assert!(
        text.contains("'?1' is not a key here"),
        "the override is echoed as '?': {text}"
    );
    assert!(
        !text.contains('\u{202E}') && !text.contains('\u{1b}'),
        "{text:?}"
    );
    assert!(
        text.contains("Warning: that line could not be read (it is not UTF-8 text)"),
        "{text}"
    );
    assert!(
        text.contains("Hydrate: done, 1 of 9 steps"),
        "the empty line after it still ticked the step off: {text}"
    );
    assert!(text.contains("Saved: 1 of 9 steps done"), "{text}");
}

#[test]
fn less_time_with_a_second_left_stays_with_the_hold_and_says_why() {
    let mut p = plain();
    p.open(at(0));
    p.line("", at(60));
    p.line("", at(600));
    p.wake(at(605));
    p.wake(at(625));
    assert_eq!(
        p.line("-", at(634)),
        ["Quadriceps, left leg has only 1s left; nothing to take off"]
    );
    // Nothing jumped: the right leg's switch comes when the left leg's hold ends.
    assert_eq!(p.wake(at(635)), ["Switch to the right leg (hold 2 of 11)"]);
}

#[test]
fn a_hold_or_side_is_skipped_with_a_line_and_the_rest_goes_on() {
    let mut p = plain();
    p.open(at(0));
    p.line("", at(60));
    p.line("", at(600));
    p.wake(at(605));
    assert_eq!(
        p.line(">", at(610)),
        [
            "Skipped: Quadriceps, left leg",
            "Switch to the right leg (hold 2 of 11)"
        ]
    );
    assert_eq!(p.wake(at(615)), ["Hold: Quadriceps, right leg, 00:30"]);
    assert!(p.line("?", at(616))[0].contains("> skips one hold or side"));
}

#[test]
fn more_time_past_a_holds_top_asks_in_words() {
    let mut p = plain();
    p.open(at(0));
    p.line("", at(60));
    p.line("", at(600));
    p.wake(at(605));
    assert_eq!(
        p.line("+", at(610)),
        [
            "Quadriceps, left leg tops out at 30s. Staying longer is not advised. Add 30 s \
             anyway? y or n"
        ]
    );
    assert_eq!(p.line("y", at(611)), ["Stretch: 30 s more, 00:54 left"]);
}

#[test]
fn i_tells_all_about_the_current_step_or_any_other_by_number() {
    let mut p = plain();
    p.open(at(0));
    let lines = p.line("i", at(1));
    assert_eq!(lines[0], "Hydrate: step 1 of 9, required, current");
    assert_eq!(lines[1], "When: by 10:10-10:15 (open now)");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Do: Drink at least 500 ml"))
    );
    assert!(lines.iter().any(|l| l.starts_with("You sweat a lot")));
    assert!(lines.last().unwrap().starts_with("Tip: "), "{lines:?}");
    let ice = p.line("i 4", at(2));
    assert_eq!(ice[0], "Ice bath: step 4 of 9, optional");
    assert!(
        ice.iter().any(|l| l.contains("Without a thermometer")),
        "{ice:?}"
    );
    let epsom = p.line("details 7", at(3));
    assert_eq!(epsom[1], "When: 21:00-21:30 (not open yet)");
    assert!(
        epsom
            .iter()
            .any(|l| l.contains("roll your muscles on the foam roller again")),
        "{epsom:?}"
    );
    let stretch = p.line("i 2", at(4));
    assert!(
        stretch
            .iter()
            .any(|l| l.starts_with("Hold: Quadriceps 20s-30s, left leg then right leg")),
        "{stretch:?}"
    );
    assert_eq!(
        p.line("i 42", at(5)),
        ["'i 42' is not a key here; ? lists them."]
    );
    // Reading changes nothing.
    assert_eq!(p.guide().session().active(), Some(0));
}

/// The start screen's form as a new day opens at 10:00 UTC: both built-ins, bed at 22:30.
fn start_form() -> postrun::front::tui::setup::Setup {
    use postrun::front::tui::setup::{Routine, Setup};
    let routines = postrun::core::protocol::BUILTINS
        .iter()
        .map(|b| Routine {
            name: b.id.to_string(),
            protocol: Ok(b.parse().unwrap()),
        })
        .collect();
    Setup::new(
        routines,
        0,
        chrono::NaiveTime::from_hms_opt(22, 30, 0).unwrap(),
        "the default",
        None,
        at(0),
        fixture::utc(),
    )
}

/// The plain guide with no session yet, and the day the last answer begins.
struct Asked {
    front: Plain,
    day: Day,
    begun: Vec<(Choice, Timestamp)>,
    quit: bool,
}

impl Asked {
    fn new() -> Asked {
        Asked {
            front: Plain::default().with_form(Some(start_form())),
            day: None,
            begun: Vec::new(),
            quit: false,
        }
    }

    fn show(&mut self, told: &Told, now: Timestamp) -> Vec<String> {
        self.quit |= told.quit;
        let guide = self.day.as_ref().map(|(_, g)| g);
        self.front.show(guide, told, now, false).unwrap();
        self.front.take()
    }

    fn line(&mut self, text: &str, now: Timestamp) -> Vec<String> {
        let begun = &mut self.begun;
        let mut begin = |c: Choice, at: Timestamp| {
            begun.push((c, at));
            Ok((Vec::new(), fixture::guide()))
        };
        let told = shell::handle(
            &mut self.front,
            &mut self.day,
            text.to_string(),
            now,
            &mut begin,
        )
        .unwrap();
        self.show(&told, now)
    }
}

#[test]
fn with_no_session_the_plain_guide_asks_the_start_screens_questions() {
    let mut p = Asked::new();
    let lines = p.show(&Told::default(), at(0));
    assert!(lines[0].starts_with("A new recovery day."), "{lines:?}");
    assert_eq!(
        lines[1],
        "Routine? [optimal-recovery] A name or a number: 1 optimal-recovery, 2 \
         soothe-sore-muscles."
    );
    assert_eq!(
        p.line("", at(5)),
        ["Run finished? [now, 10:00] A time like 9:40, or 25m for 25 minutes ago."]
    );
    assert_eq!(p.line("", at(6)), ["Bedtime? [22:30] Like 22:30."]);
    assert_eq!(
        p.line("23:61", at(7)),
        [
            "'23:61' is not a time; write it like 21:30 or 9:30pm",
            "Bedtime? [22:30] Like 22:30."
        ]
    );
    assert_eq!(
        p.line("23:00", at(8)),
        ["Time you have? [all day] Or how long, like 20m."]
    );
    assert!(p.begun.is_empty(), "nothing begins before the last answer");
    let lines = p.line("", at(90));
    assert!(
        lines[0].starts_with("Optimal recovery: run finished"),
        "{lines:?}"
    );
    let [(choice, when)] = &p.begun[..] else {
        panic!("one day begun: {:?}", p.begun);
    };
    assert_eq!(*when, at(90), "the run is recorded at the last Enter");
    assert_eq!(choice.finished, None, "now, as the day begins");
    assert_eq!(choice.protocol.as_deref(), Some("optimal-recovery"));
    assert_eq!(
        choice.bedtime.map(|b| b.0),
        chrono::NaiveTime::from_hms_opt(23, 0, 0)
    );
}

#[test]
fn q_before_the_first_answer_starts_nothing_and_says_so_once() {
    let mut p = Asked::new();
    p.show(&Told::default(), at(0));
    assert!(p.line("q", at(1)).is_empty());
    assert!(p.quit);
    assert!(p.begun.is_empty());
    p.front.close(None).unwrap();
    assert_eq!(
        p.front.take(),
        ["Nothing was started; postrun asks again next time."]
    );
}

/// The real binary: `q` at once writes no session, and says one line for it.
#[test]
fn the_binary_with_q_at_once_leaves_no_session_behind() {
    let home = Home::new();
    let child = home
        .std_postrun()
        .arg("--plain")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.as_ref().unwrap(), "q").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.ends_with("Nothing was started; postrun asks again next time.\n"));
    assert!(!text.contains("already done"), "{text}");
    assert!(!home.data_home().join("postrun/sessions").exists());
    home.postrun().arg("status").assert().code(1);
}

#[test]
fn ticking_off_sleep_early_asks_in_words() {
    let mut p = plain();
    p.open(at(0));
    let evening = 10 * 3600 + 44 * 60;
    p.line("9", at(evening));
    assert_eq!(
        p.line("", at(evening + 1)),
        ["Sleep opens at 22:30. Mark it done now anyway? y or n"]
    );
    p.line("n", at(evening + 2));
    assert_eq!(p.guide().session().states()[8], StepState::Active);
    p.line("", at(evening + 3));
    let lines = p.line("y", at(evening + 4));
    assert!(lines[0].starts_with("Sleep: done"), "{lines:?}");
}

#[test]
fn the_last_line_of_a_finished_day_does_not_ask_to_carry_on() {
    let mut p = plain();
    p.open(at(0));
    let mut now = 60;
    while p.guide().session().active().is_some() {
        now += 1;
        p.line("s", at(now));
        p.line("y", at(now));
    }
    let guide = p.guide().clone();
    p.front.close(Some(&guide)).unwrap();
    assert_eq!(
        p.front.take(),
        ["Saved: 0 of 9 steps done. The day is finished and in your history."]
    );
}

/// A burst of lines is answered in the order typed: the answer to `t` after the "done" typed
/// before it (it came first when a batch of lines was shown at once).
#[test]
fn lines_typed_together_are_answered_in_order() {
    let home = Home::new();
    let out = home
        .postrun()
        .args([
            "--plain",
            "--finished",
            "5m",
            "--bedtime",
            &crate::home::bedtime_far(),
        ])
        .write_stdin("\nt\nq\n")
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let at = |needle: &str| {
        text.lines()
            .position(|l| l.starts_with(needle))
            .unwrap_or_else(|| panic!("no {needle:?} in:\n{text}"))
    };
    assert!(at("Hydrate: done") < at("Stretch: 14:35 in all"), "{text}");
}

#[test]
fn a_step_asks_its_value_as_it_ends_and_calls_out_one_out_of_range() {
    use postrun::core::session::Event;
    let mut p = plain();
    p.open(at(0));
    let lines = p.line("", at(60));
    assert!(
        lines[2].starts_with("Millilitres drunk, in ml (500-1000)?"),
        "{lines:?}"
    );
    // A number answers it: recorded, said back, and called out below the range.
    let lines = p.line("300", at(70));
    assert_eq!(
        lines,
        [
            "Hydrate: millilitres drunk 300 ml noted. 300 ml is less than the 500-1000 ml the routine asks for."
        ]
    );
    let (log, _) = p.day.as_ref().unwrap();
    assert_eq!(
        log.last(),
        Some(&(
            at(70),
            Event::Value {
                step: 0,
                value: "300".into()
            }
        ))
    );
    // Answered: an empty line is Enter again, starting the stretch's timer.
    let lines = p.line("", at(80));
    assert_eq!(lines[0], "Stretch: started, 14:35 in all", "{lines:?}");

    // Not a number: the question closes and the line is read as always.
    let mut p = plain();
    p.open(at(0));
    p.line("", at(60));
    let lines = p.line("s", at(70));
    assert!(
        lines.iter().any(|l| l.contains("not optional")),
        "{lines:?}"
    );
    let (log, _) = p.day.as_ref().unwrap();
    assert!(!log.iter().any(|(_, e)| matches!(e, Event::Value { .. })));
}

//! Hooks: which events call them and with what, that they run detached with their event as
//! environment and JSON, and that a failing or hanging hook is a warning, not a stop.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::{Arc, mpsc};
use std::time::Duration;

use postrun::core::clock::Hours;
use postrun::core::guide::{Intent, Said};
use postrun::core::session::{Event, Timestamp};
use postrun::shell::hooks::{Call, Hooks, Kind, calls};
use postrun::store::config::HookCommands;

use crate::fixture::{self, Day, at, utc};
use crate::home::Home;

/// A guide over a new session in memory, and what it said since the last look.
struct Heard {
    day: Day<Vec<(Timestamp, Event)>>,
    said: Vec<Said>,
}

fn heard() -> Heard {
    Heard {
        day: fixture::day(),
        said: Vec::new(),
    }
}

impl Heard {
    /// The runner means `intent` at `now`.
    fn handle(&mut self, intent: Intent, now: Timestamp) {
        let told = self.day.press(intent, now);
        self.said.extend(told.said);
    }

    /// Time passes to `now`.
    fn wake(&mut self, now: Timestamp) {
        let told = self.day.wake(now);
        self.said.extend(told.said);
    }

    /// What the guide said since the last look, as hook calls.
    fn take_calls(&mut self, now: Timestamp) -> Vec<Call> {
        let said = std::mem::take(&mut self.said);
        calls(
            &said,
            self.day.guide.session(),
            now,
            utc(),
            Hours::TwentyFour,
        )
    }
}

#[test]
fn cues_switches_timer_ends_and_openings_call_hooks() {
    let mut guide = heard();
    guide.wake(at(0));
    guide.handle(Intent::Go, at(10)); // hydrate done
    guide.handle(Intent::Go, at(20)); // the stretch starts
    assert_eq!(guide.take_calls(at(20)), []);
    guide.wake(at(20 + 5 + 20)); // the left leg's 20 s minimum: a cue, as a timer's
    let c = guide.take_calls(at(45));
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!((c[0].event, c[0].step.as_str()), (Kind::Cue, "stretch"));
    assert_eq!(
        c[0].text,
        "Quadriceps, left leg: 20s held. Enter moves on, or hold on"
    );
    guide.wake(at(20 + 5 + 30)); // the left leg's hold is over
    let c = guide.take_calls(at(55));
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].event, Kind::Switch);
    assert_eq!(c[0].step, "stretch");
    assert_eq!(c[0].text, "Switch to the right leg (hold 2 of 11)");
    assert_eq!(c[0].remaining_s, Some(875 - 35));

    // The ice bath: its 3-minute cue, then its end.
    guide.handle(Intent::Skip, at(60));
    guide.handle(Intent::Yes, at(60)); // the stretch, skipped
    guide.handle(Intent::Skip, at(61));
    guide.handle(Intent::Yes, at(61)); // the snack, skipped
    guide.handle(Intent::Go, at(100)); // the ice bath starts
    guide.take_calls(at(100));
    guide.wake(at(100 + 180));
    let c = guide.take_calls(at(280));
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!((c[0].event, c[0].step.as_str()), (Kind::Cue, "ice-bath"));
    assert!(c[0].text.contains("hardest part is over"), "{c:?}");
    assert_eq!(c[0].remaining_s, Some(12 * 60));
    guide.wake(at(100 + 900));
    let c = guide.take_calls(at(1000));
    assert!(
        c.iter().any(|c| c.event == Kind::TimerEnd
            && c.step == "ice-bath"
            && c.text == "Time: Ice bath is done"),
        "{c:?}"
    );

    // The meal's window opens an hour after the run.
    guide.wake(at(3600));
    let c = guide.take_calls(at(3600));
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!(c[0].event, Kind::WindowOpen);
    assert_eq!(c[0].step, "meal");
    assert_eq!(c[0].text, "Balanced meal is due now, 11:00-12:00.");
}

fn call() -> Call {
    Call {
        event: Kind::Cue,
        step: "ice-bath".into(),
        title: "Ice bath".into(),
        text: "The hardest part is over; it's \"easier\" now".into(),
        remaining_s: Some(720),
        at: at(280),
    }
}

fn hooks(cue: &str, timeout: Duration) -> (Hooks, mpsc::Receiver<String>) {
    let (tx, rx) = mpsc::channel();
    let commands = HookCommands {
        cue: Some(cue.to_string()),
        timeout,
        ..HookCommands::default()
    };
    let report = Arc::new(move |w: String| {
        let _ = tx.send(w);
    });
    (Hooks::new(commands, report), rx)
}

/// Waits for a file a hook writes, polling; fails after 10 s.
fn wait_for_file(path: &Path) -> String {
    for _ in 0..500 {
        if let Ok(text) = std::fs::read_to_string(path)
            && text.ends_with("END\n")
        {
            return text;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("the hook never wrote {}", path.display());
}

#[test]
fn a_hook_gets_its_event_as_environment_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let go = dir.path().join("go");
    // The hook waits for a file the test writes only after `fire` has returned: `fire` never
    // waits for its hook.
    let (hooks, warnings) = hooks(
        &format!(
            "while [ ! -e '{go}' ]; do sleep 0.02; done; \
             {{ echo \"$POSTRUN_EVENT|$POSTRUN_STEP|$POSTRUN_TITLE|$POSTRUN_TEXT|$POSTRUN_REMAINING_S\"; cat; echo; echo END; }} > '{out}'",
            go = go.display(),
            out = out.display()
        ),
        Duration::from_secs(10),
    );
    hooks.fire(call());
    std::fs::write(&go, "").unwrap();
    let text = wait_for_file(&out);
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "cue|ice-bath|Ice bath|The hardest part is over; it's \"easier\" now|720"
    );
    let json: serde_json::Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    assert_eq!(json["event"], "cue");
    assert_eq!(json["step"], "ice-bath");
    assert_eq!(
        json["text"],
        "The hardest part is over; it's \"easier\" now"
    );
    assert_eq!(json["remaining_s"], 720);
    assert_eq!(json["at"], "2026-05-01T10:04:40Z");
    assert!(
        warnings.recv_timeout(Duration::from_millis(300)).is_err(),
        "a hook that succeeds is no news"
    );
}

#[test]
fn a_failing_hook_is_a_warning_with_its_first_words() {
    let (hooks, warnings) = hooks(
        "echo 'no display here' >&2; exit 3",
        Duration::from_secs(10),
    );
    hooks.fire(call());
    let w = warnings.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(w, "the cue hook failed with exit code 3: no display here");
}

#[test]
fn a_hook_that_hangs_is_stopped_at_its_time_limit() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    let (hooks, warnings) = hooks(
        &format!("echo $$ > '{}'; exec sleep 30", pid_file.display()),
        Duration::from_millis(300),
    );
    hooks.fire(call());
    let w = warnings.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(w, "the cue hook took longer than 300ms and was stopped");
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    let alive = Path::new(&format!("/proc/{}", pid.trim())).exists();
    assert!(!alive, "the hung hook was killed");
}

#[test]
fn an_event_without_a_hook_runs_nothing() {
    let (hooks, warnings) = hooks("exit 1", Duration::from_secs(10));
    let mut c = call();
    c.event = Kind::TimerEnd;
    hooks.fire(c);
    assert!(warnings.recv_timeout(Duration::from_millis(300)).is_err());
}

/// The real binary (plain mode, through pipes) runs the hooks named in config.toml, and a
/// broken one is a warning line while the countdown carries on.
#[test]
fn the_binary_runs_the_configured_hooks() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::Stdio;
    let home = Home::new();
    let config = home.config_home().join("postrun");
    std::fs::create_dir_all(&config).unwrap();
    let log = home.path().join("hooks.log");
    std::fs::write(
        config.join("config.toml"),
        format!(
            "[hooks]\ncue = \"echo \\\"cue $POSTRUN_STEP $POSTRUN_TEXT\\\" >> '{log}'\"\n\
             timer_end = \"echo \\\"end $POSTRUN_STEP $POSTRUN_REMAINING_S\\\" >> '{log}'; echo END >> '{log}'\"\n\
             switch = \"exit 7\"\n",
            log = log.display()
        ),
    )
    .unwrap();
    let protocol = home.path().join("quick.toml");
    std::fs::write(
        &protocol,
        "name = \"Quick\"\nsummary = \"A short test.\"\n\n[[steps]]\nid = \"soak\"\ntitle = \"Soak\"\n\
         do = \"Sit still.\"\n[steps.timer]\nlength = \"2s\"\ncues = [{ at = \"1s\", say = \"Halfway\" }]\n",
    )
    .unwrap();
    let mut child = home
        .std_postrun()
        .args(["--finished", "1m", "--protocol"])
        .arg(&protocol)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin).unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    while !seen.iter().any(|l: &String| l == "Time: Soak is done") {
        seen.push(lines.next().expect("more lines").unwrap());
    }
    let text = wait_for_file(&log);
    assert_eq!(text, "cue soak Halfway\nend soak 0\nEND\n");
    writeln!(stdin, "q").unwrap();
    assert!(child.wait().unwrap().success());
}

#[test]
fn the_top_of_a_hard_timer_calls_the_get_out_hook() {
    let mut guide = heard();
    guide.wake(at(0));
    for i in [
        Intent::Down,
        Intent::Down,
        Intent::Down,
        Intent::Go,
        Intent::Go,
    ] {
        guide.handle(i, at(100));
    }
    guide.take_calls(at(100));
    guide.wake(at(100 + 899));
    guide.take_calls(at(999));
    guide.wake(at(100 + 900));
    let c = guide.take_calls(at(1000));
    assert_eq!(c.len(), 2, "{c:?}");
    assert_eq!(c[0].event, Kind::GetOut, "{c:?}");
    assert_eq!(c[0].step, "ice-bath");
    assert_eq!(
        c[0].text,
        "Time to get out: Ice bath has reached its 15m limit"
    );
    assert_eq!(c[1].event, Kind::TimerEnd, "{c:?}");
}

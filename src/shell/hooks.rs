//! Hooks: commands the runner names in `config.toml` to hear of events beyond the terminal (a
//! desktop notification, a spoken cue, a push to a phone). Each runs through `sh -c`, detached
//! from the terminal and from the countdown, with a time limit; its failure is a warning,
//! never an error.
use std::io::{self, Read, Write};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::core::clock::{Hours, Zone};
use crate::core::guide::{Said, narrate};
use crate::core::session::{Fact, Session, Timestamp};
use crate::store::config::HookCommands;

/// The events a hook can be named for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A timer's cue.
    Cue,
    /// A switch to the other side.
    Switch,
    /// A timer ran out.
    TimerEnd,
    /// A step's window opened.
    WindowOpen,
    /// A `hard_max` timer reached its top.
    GetOut,
}

impl Kind {
    /// The key in `[hooks]`, and `POSTRUN_EVENT`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Cue => "cue",
            Kind::Switch => "switch",
            Kind::TimerEnd => "timer_end",
            Kind::WindowOpen => "window_open",
            Kind::GetOut => "get_out",
        }
    }
}

/// One event for a hook: what it gets as environment variables and as JSON on stdin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Call {
    /// What happened.
    pub event: Kind,
    /// The step's id.
    pub step: String,
    /// The step's title.
    pub title: String,
    /// What to say: the cue, "Switch to the right leg", ...
    pub text: String,
    /// Seconds left of the step's timer, if it has one.
    pub remaining_s: Option<u64>,
    /// When, as RFC 3339 UTC.
    pub at: Timestamp,
}

/// The hook calls for what the guide has just said.
pub fn calls(
    said: &[Said],
    session: &Session,
    now: Timestamp,
    zone: Zone,
    hours: Hours,
) -> Vec<Call> {
    said.iter()
        .filter_map(|s| {
            let (event, step, text) = match s {
                // A ranged hold's minimum is a cue as a timer's are.
                Said::Fact(f @ (Fact::Cue { step, .. } | Fact::HoldMinimum { step, .. })) => {
                    (Kind::Cue, *step, narrate::say(f, session, now))
                }
                Said::Fact(
                    f @ Fact::GetReady {
                        step, switch: true, ..
                    },
                ) => (Kind::Switch, *step, narrate::say(f, session, now)),
                Said::Fact(f @ Fact::TopReached { step }) => {
                    (Kind::GetOut, *step, narrate::say(f, session, now))
                }
                Said::Fact(f @ Fact::TimerFinished { step }) => {
                    (Kind::TimerEnd, *step, narrate::say(f, session, now))
                }
                Said::Due(step) => (
                    Kind::WindowOpen,
                    *step,
                    narrate::due(session, *step, zone, hours),
                ),
                _ => return None,
            };
            let s = session.protocol.steps.get(step)?;
            let remaining_s = match event {
                // By now the step is done and the next one is current.
                Kind::TimerEnd => Some(0),
                _ => (session.active() == Some(step))
                    .then(|| session.run().map(|r| r.left(now).as_secs()))
                    .flatten(),
            };
            Some(Call {
                event,
                step: s.id.clone(),
                title: s.title.clone(),
                text,
                remaining_s,
                at: now,
            })
        })
        .collect()
}

/// Reports a hook's failure to whoever shows warnings.
pub type Report = Arc<dyn Fn(String) + Send + Sync>;

/// The runner's hooks, ready to fire.
#[derive(Clone)]
pub struct Hooks {
    commands: HookCommands,
    report: Report,
}

impl std::fmt::Debug for Hooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hooks")
            .field("commands", &self.commands)
            .finish_non_exhaustive()
    }
}

impl Hooks {
    /// Hooks from the config, reporting failures through `report`.
    pub fn new(commands: HookCommands, report: Report) -> Hooks {
        Hooks { commands, report }
    }

    fn command(&self, kind: Kind) -> Option<&String> {
        match kind {
            Kind::Cue => self.commands.cue.as_ref(),
            Kind::Switch => self.commands.switch.as_ref(),
            Kind::TimerEnd => self.commands.timer_end.as_ref(),
            Kind::WindowOpen => self.commands.window_open.as_ref(),
            Kind::GetOut => self.commands.get_out.as_ref(),
        }
    }

    /// Runs the hook for `call`, if one is named, on a thread of its own: this returns at once.
    pub fn fire(&self, call: Call) {
        let Some(command) = self.command(call.event).cloned() else {
            return;
        };
        let timeout = self.commands.timeout;
        let report = Arc::clone(&self.report);
        thread::spawn(move || {
            if let Err(why) = run(&command, &call, timeout) {
                report(format!("the {} hook {why}", call.event.name()));
            }
        });
    }

    /// Fires the hooks for what the guide has just said.
    pub fn fire_all(
        &self,
        said: &[Said],
        session: &Session,
        now: Timestamp,
        zone: Zone,
        hours: Hours,
    ) {
        for call in calls(said, session, now, zone, hours) {
            self.fire(call);
        }
    }
}

/// How a hook failed: the end of `the cue hook ...`.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// `sh` could not be started.
    #[error("could not start: {0}")]
    Start(io::Error),
    /// The event could not be put into JSON for its stdin.
    #[error("could not be given its event: {0}")]
    Event(serde_json::Error),
    /// Whether it had ended could not be asked.
    #[error("could not be waited for: {0}")]
    Wait(io::Error),
    /// It ran past its time limit, and was killed.
    #[error("took longer than {} and was stopped", limit(*.0))]
    TimedOut(Duration),
    /// It exited with a code other than 0.
    #[error("failed with exit code {code}{}", said(.stderr))]
    Exit {
        /// The exit code.
        code: i32,
        /// The first line it wrote to stderr, if any.
        stderr: Option<String>,
    },
    /// A signal ended it.
    #[error("was killed by a signal{}", said(.stderr))]
    Killed {
        /// The first line it wrote to stderr, if any.
        stderr: Option<String>,
    },
}

/// A time limit as a runner reads it: `300ms`, `10s`, `1m30s`.
fn limit(timeout: Duration) -> String {
    if timeout < Duration::from_secs(1) {
        format!("{}ms", timeout.as_millis())
    } else {
        crate::core::protocol::Short(timeout).to_string()
    }
}

/// What a hook said on stderr, after the failure: `: no display here`.
fn said(stderr: &Option<String>) -> String {
    stderr
        .as_ref()
        .map(|s| format!(": {s}"))
        .unwrap_or_default()
}

/// How long a hook's first line on stderr may come after the hook itself has exited: a
/// child it left behind may hold stderr open for good.
const STDERR_GRACE: Duration = Duration::from_millis(200);

/// Runs one hook to its end or its time limit; `Err` says what went wrong. The hook runs in a
/// session of its own, with no controlling terminal, so nothing it starts can write to the
/// guide's screen or be stopped with it; at its limit the whole session's process group is
/// killed, children and all.
fn run(command: &str, call: &Call, timeout: Duration) -> Result<(), Failure> {
    let json = serde_json::to_string(call).map_err(Failure::Event)?;
    let mut sh = Command::new("sh");
    sh.arg("-c")
        .arg(command)
        .env("POSTRUN_EVENT", call.event.name())
        .env("POSTRUN_STEP", &call.step)
        .env("POSTRUN_TITLE", &call.title)
        .env("POSTRUN_TEXT", &call.text)
        .env(
            "POSTRUN_REMAINING_S",
            call.remaining_s.map(|s| s.to_string()).unwrap_or_default(),
        );
    supervise(sh, Some(json), timeout)
}

/// Runs a program as a hook runs (see [`run`]): in a session of its own, `stdin` given to it
/// when there is one (else nothing), its output kept from the terminal, to its end or to
/// `timeout`, when its whole process group is killed. The built-in speech and notifications
/// run their programs this way too.
pub(crate) fn supervise(
    mut program: Command,
    stdin: Option<String>,
    timeout: Duration,
) -> Result<(), Failure> {
    let json = stdin.unwrap_or_default();
    let sh = &mut program;
    sh.stdin(Stdio::piped())
        // Never the terminal: a hook's output would tear the guide's screen.
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    // SAFETY: between fork and exec only setsid runs, which is async-signal-safe and touches
    // no memory of ours.
    unsafe {
        sh.pre_exec(|| {
            if libc::setsid() == -1 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = sh.spawn().map_err(Failure::Start)?;
    // setsid made the hook the leader of a new process group with its own pid as the id.
    let group = i32::try_from(child.id()).ok();
    if let Some(mut stdin) = child.stdin.take() {
        // On a thread: a hook that never reads its stdin must not hold up the time limit,
        // whatever the size of the event. A hook may close it early; that is its right.
        thread::spawn(move || {
            let _ = stdin.write_all(json.as_bytes());
        });
    }
    let (said_tx, said_rx) = std::sync::mpsc::channel();
    if let Some(err) = child.stderr.take() {
        thread::spawn(move || {
            let mut first = Vec::new();
            let mut err = io::BufReader::new(err);
            let _ = io::BufRead::read_until(&mut err.by_ref().take(4096), b'\n', &mut first);
            let line: String = String::from_utf8_lossy(&first)
                .lines()
                .next()
                .unwrap_or_default()
                .chars()
                .filter(|c| !c.is_control())
                .take(200)
                .collect();
            let _ = said_tx.send(line);
            let _ = io::copy(&mut err, &mut io::sink());
        });
    }
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= timeout => {
                match group {
                    // SAFETY: kill with a negative pid signals that process group only.
                    Some(g) => unsafe {
                        libc::kill(-g, libc::SIGKILL);
                    },
                    None => {
                        let _ = child.kill();
                    }
                }
                let _ = child.wait();
                return Err(Failure::TimedOut(timeout));
            }
            Ok(None) => thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(Failure::Wait(e)),
        }
    };
    if status.success() {
        return Ok(());
    }
    let stderr = said_rx
        .recv_timeout(STDERR_GRACE)
        .ok()
        .filter(|s| !s.is_empty());
    Err(match status.code() {
        Some(code) => Failure::Exit { code, stderr },
        None => Failure::Killed { stderr },
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn call(text: String) -> Call {
        Call {
            event: Kind::Cue,
            step: "ice-bath".into(),
            title: "Ice bath".into(),
            text,
            remaining_s: Some(60),
            at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_hook_is_reported_when_it_exits_not_when_its_children_let_go_of_stderr() {
        let started = Instant::now();
        let got = run(
            "sleep 25 & echo gone >&2; exit 3",
            &call("x".into()),
            Duration::from_secs(20),
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        match got {
            Err(Failure::Exit { code: 3, stderr }) => assert_eq!(stderr.as_deref(), Some("gone")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_limit_kills_the_hook_and_everything_it_started() {
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("pid");
        let command = format!("sleep 300 & echo $! > '{}'; wait", pid_file.display());
        let got = run(&command, &call("x".into()), Duration::from_millis(300));
        assert!(matches!(got, Err(Failure::TimedOut(_))), "{got:?}");
        let pid: i32 = std::fs::read_to_string(&pid_file)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        // Killed, and reaped by whoever adopted it: gone from the process table soon.
        let gone = (0..100).any(|_| {
            let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok();
            let dead = state.is_none_or(|s| {
                s.rsplit(')')
                    .next()
                    .is_some_and(|r| r.trim_start().starts_with('Z'))
            });
            if !dead {
                thread::sleep(Duration::from_millis(20));
            }
            dead
        });
        assert!(gone, "the hook's child {pid} outlived its limit");
    }

    #[test]
    fn a_hook_that_never_reads_a_large_event_still_meets_its_limit() {
        let started = Instant::now();
        let got = run(
            "sleep 30",
            &call("x".repeat(100 * 1024)),
            Duration::from_millis(300),
        );
        assert!(matches!(got, Err(Failure::TimedOut(_))), "{got:?}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    }

    /// The README's hook recipes, run as a hook would run them with a hostile text, against
    /// stand-ins for the programs they call: the text arrives as one argument that is never
    /// an option, and tmux gets no format to expand.
    #[test]
    fn the_readmes_hook_recipes_are_safe_with_any_text() {
        let readme =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        let from = readme.find("## Hooks").unwrap();
        let block = readme[from..].split("```toml\n").nth(1).unwrap();
        let block = block.split("```").next().unwrap();
        let hooks: toml::Table = toml::from_str(block).unwrap();
        let hooks = hooks["hooks"].as_table().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        for program in ["espeak-ng", "notify-send", "tmux"] {
            let path = bin.join(program);
            let out = dir.path().join(program);
            std::fs::write(
                &path,
                format!("#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\n", out.display()),
            )
            .unwrap();
            let mut perms = std::fs::metadata(&path).unwrap().permissions();
            std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
            std::fs::set_permissions(&path, perms).unwrap();
        }
        let text = "-w/tmp/postrun-pwned #(touch /tmp/postrun-pwned) $(id) `id`";
        for (event, command) in hooks.iter().filter_map(|(k, v)| Some((k, v.as_str()?))) {
            if event == "timeout" {
                continue;
            }
            let command = format!("PATH='{}':\"$PATH\"; {command}", bin.display());
            run(&command, &call(text.into()), Duration::from_secs(5)).unwrap();
            let program = command
                .split("; ")
                .nth(1)
                .unwrap()
                .split(' ')
                .next()
                .unwrap();
            let args = std::fs::read_to_string(dir.path().join(program)).unwrap();
            let args: Vec<&str> = args.lines().collect();
            match program {
                "espeak-ng" => assert_eq!(args, ["--", text], "{event}"),
                "notify-send" => assert_eq!(args, ["--", "postrun", text], "{event}"),
                "tmux" => assert_eq!(
                    args,
                    [
                        "display-message",
                        &format!("postrun: {}", text.replace('#', "##"))
                    ],
                    "{event}"
                ),
                other => panic!("a recipe for {other}: add its stand-in here"),
            }
        }
        assert!(!std::path::Path::new("/tmp/postrun-pwned").exists());
    }

    #[test]
    fn a_hook_runs_in_a_session_of_its_own() {
        // After the name in /proc/PID/stat: state, parent, group, session; the hook leads both.
        let check =
            r#"set -- $(cut -d')' -f2 /proc/$$/stat); test "$4" = "$$" && test "$3" = "$$""#;
        let got = run(check, &call("x".into()), Duration::from_secs(5));
        assert!(got.is_ok(), "{got:?}");
    }

    #[test]
    fn each_failure_reads_as_the_end_of_a_sentence() {
        let said = |f: Failure| format!("the cue hook {f}");
        assert_eq!(
            said(Failure::TimedOut(Duration::from_millis(300))),
            "the cue hook took longer than 300ms and was stopped"
        );
        assert_eq!(
            said(Failure::TimedOut(Duration::from_secs(10))),
            "the cue hook took longer than 10s and was stopped"
        );
        let exit = Failure::Exit {
            code: 3,
            stderr: Some("no display here".into()),
        };
        assert_eq!(
            said(exit),
            "the cue hook failed with exit code 3: no display here"
        );
        assert_eq!(
            said(Failure::Killed { stderr: None }),
            "the cue hook was killed by a signal"
        );
    }
}

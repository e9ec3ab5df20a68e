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

use crate::core::clock::Zone;
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
pub fn calls(said: &[Said], session: &Session, now: Timestamp, zone: Zone) -> Vec<Call> {
    said.iter()
        .filter_map(|s| {
            let (event, step, text) = match s {
                Said::Fact(f @ Fact::Cue { step, .. }) => {
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
                Said::Due(step) => (Kind::WindowOpen, *step, narrate::due(session, *step, zone)),
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
    pub fn fire_all(&self, said: &[Said], session: &Session, now: Timestamp, zone: Zone) {
        for call in calls(said, session, now, zone) {
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

/// Runs one hook to its end or its time limit; `Err` says what went wrong.
fn run(command: &str, call: &Call, timeout: Duration) -> Result<(), Failure> {
    let json = serde_json::to_string(call).map_err(Failure::Event)?;
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .env("POSTRUN_EVENT", call.event.name())
        .env("POSTRUN_STEP", &call.step)
        .env("POSTRUN_TITLE", &call.title)
        .env("POSTRUN_TEXT", &call.text)
        .env(
            "POSTRUN_REMAINING_S",
            call.remaining_s.map(|s| s.to_string()).unwrap_or_default(),
        )
        .stdin(Stdio::piped())
        // Never the terminal: a hook's output would tear the guide's screen.
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        // Its own process group: signals meant for postrun do not reach it.
        .process_group(0)
        .spawn()
        .map_err(Failure::Start)?;
    if let Some(mut stdin) = child.stdin.take() {
        // A hook that ignores its stdin may close it early; that is its right.
        let _ = stdin.write_all(json.as_bytes());
    }
    let stderr = child.stderr.take().map(|mut err| {
        thread::spawn(move || {
            let mut first = Vec::new();
            let _ = err.by_ref().take(4096).read_to_end(&mut first);
            let _ = std::io::copy(&mut err, &mut std::io::sink());
            String::from_utf8_lossy(&first)
                .lines()
                .next()
                .unwrap_or_default()
                .chars()
                .filter(|c| !c.is_control())
                .take(200)
                .collect::<String>()
        })
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= timeout => {
                let _ = child.kill();
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
    let stderr = stderr.and_then(|h| h.join().ok()).filter(|s| !s.is_empty());
    Err(match status.code() {
        Some(code) => Failure::Exit { code, stderr },
        None => Failure::Killed { stderr },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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

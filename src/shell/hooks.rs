//! Hooks: commands the runner names in `config.toml` to hear of events beyond the terminal (a
//! desktop notification, a spoken cue, a push to a phone). Each runs through `sh -c`, detached
//! from the terminal and from the countdown, with a time limit; its failure is a warning,
//! never an error.
use std::process::Command;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use serde::Serialize;

use crate::core::clock::{Hours, Zone};
use crate::core::guide::{Said, narrate};
use crate::core::session::{Fact, Session, Timestamp};
use crate::store::config::HookCommands;

use super::supervise::supervise;
pub use super::supervise::{Failure, Running};

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

/// The runner's hooks, ready to fire. Dropped (or [`Hooks::finish`]ed), it stops the hooks
/// still running and everything they started.
pub struct Hooks {
    commands: HookCommands,
    report: Report,
    running: Running,
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
        Hooks {
            commands,
            report,
            running: Running::default(),
        }
    }

    /// Stops every hook still running, children and all, and starts no more: the guide has
    /// ended, and a hook left running would outlive postrun, its limit kept by no one.
    pub fn finish(&self) {
        self.running.stop_all();
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
        let running = self.running.clone();
        thread::spawn(move || {
            if let Err(why) = run(&command, &call, timeout, &running) {
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

impl Drop for Hooks {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Runs one hook to its end or its time limit; `Err` says what went wrong. The hook runs in a
/// session of its own, with no controlling terminal, so nothing it starts can write to the
/// guide's screen or be stopped with it; when it exits, or at its limit, whatever is left of
/// its process group is stopped, children and all.
fn run(command: &str, call: &Call, timeout: Duration, running: &Running) -> Result<(), Failure> {
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
    supervise(sh, Some(json), timeout, running)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::time::Instant;

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

    /// Runs a hook as `Hooks::fire` does, but on this thread.
    fn run(command: &str, call: &Call, timeout: Duration) -> Result<(), Failure> {
        super::run(command, call, timeout, &Running::default())
    }

    /// The process id a hook wrote to `file`, once it is there.
    fn pid_in(file: &std::path::Path) -> i32 {
        for _ in 0..500 {
            if let Some(pid) = std::fs::read_to_string(file)
                .ok()
                .and_then(|s| s.trim().parse().ok())
            {
                return pid;
            }
            thread::sleep(Duration::from_millis(10));
        }
        panic!("no process id in {}", file.display());
    }

    /// Whether the process is gone (or a zombie, killed and waiting for whoever adopted it),
    /// by `within`.
    fn gone_within(pid: i32, within: Duration) -> bool {
        let until = Instant::now() + within;
        loop {
            let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok();
            let dead = state.is_none_or(|s| {
                s.rsplit(')')
                    .next()
                    .is_some_and(|r| r.trim_start().starts_with('Z'))
            });
            if dead || Instant::now() >= until {
                return dead;
            }
            thread::sleep(Duration::from_millis(20));
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
        let pid = pid_in(&pid_file);
        assert!(
            gone_within(pid, Duration::from_secs(2)),
            "the hook's child {pid} outlived its limit"
        );
    }

    #[test]
    fn a_hook_that_exits_leaves_nothing_it_started_running() {
        // One child ends on SIGTERM; the other ignores it and needs SIGKILL.
        let dir = tempfile::tempdir().unwrap();
        let (plain, stubborn) = (dir.path().join("plain"), dir.path().join("stubborn"));
        let command = format!(
            "sleep 300 & echo $! > '{}'; \
             sh -c \"trap '' TERM; echo \\$\\$ > '{}'; exec sleep 300\" & \
             while [ ! -s '{}' ]; do sleep 0.01; done; exit 4",
            plain.display(),
            stubborn.display(),
            stubborn.display()
        );
        let started = Instant::now();
        let got = run(&command, &call("x".into()), Duration::from_secs(2));
        assert!(matches!(got, Err(Failure::Exit { code: 4, .. })), "{got:?}");
        // Reported when it exited, not at its limit.
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        for file in [plain, stubborn] {
            let pid = pid_in(&file);
            assert!(
                gone_within(pid, Duration::from_millis(500)),
                "{pid} ({}) outlived the hook that started it",
                file.display()
            );
        }
    }

    #[test]
    fn the_guides_end_stops_the_hooks_still_running_and_what_they_started() {
        let dir = tempfile::tempdir().unwrap();
        let (leader, child) = (dir.path().join("leader"), dir.path().join("child"));
        let command = format!(
            "sleep 302 & echo $! > '{}'; echo $$ > '{}'; exec sleep 301",
            child.display(),
            leader.display()
        );
        let (tx, warnings) = std::sync::mpsc::channel();
        let commands = HookCommands {
            cue: Some(command),
            timeout: Duration::from_secs(30),
            ..HookCommands::default()
        };
        let hooks = Hooks::new(
            commands,
            Arc::new(move |w| {
                let _ = tx.send(w);
            }),
        );
        hooks.fire(call("x".into()));
        let pids = [pid_in(&leader), pid_in(&child)];
        let ended = Instant::now();
        drop(hooks);
        for pid in pids {
            assert!(
                gone_within(pid, Duration::from_millis(100)),
                "{pid} outlived the guide"
            );
        }
        assert!(
            ended.elapsed() < Duration::from_secs(2),
            "{:?}",
            ended.elapsed()
        );
        drop(warnings);
    }

    #[test]
    fn a_hook_fired_as_the_guide_ends_never_starts() {
        let dir = tempfile::tempdir().unwrap();
        let ran = dir.path().join("ran");
        let commands = HookCommands {
            cue: Some(format!("touch '{}'", ran.display())),
            ..HookCommands::default()
        };
        let hooks = Hooks::new(commands, Arc::new(|_| {}));
        hooks.finish();
        hooks.fire(call("x".into()));
        thread::sleep(Duration::from_millis(300));
        assert!(!ran.exists(), "a hook started after the guide's end");
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

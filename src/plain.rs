//! The plain guide, for screen readers and dumb terminals: nothing is drawn, nothing moves the
//! cursor; each change is one line of text, and keys are read as lines (an empty line is
//! Enter). It drives the same `Ui` over the same session log as the full-screen guide, so
//! switching between the two loses nothing.
use std::io::{self, BufRead, IsTerminal, Write};
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use chrono::{FixedOffset, TimeDelta, Utc};

use crate::cli::day::{clock_in, window_text_in};
use crate::config::Config;
use crate::hooks::Hooks;
use crate::plan;
use crate::scheduler::Follow;
use crate::session::{Phase, StepState, Timestamp, mmss, shown_seconds};
use crate::store::Live;
use crate::tui::input::Intent;
use crate::tui::narrate;
use crate::tui::state::{Overlay, Said, Ui};

/// The keys, as lines.
pub const KEYS: &str = "Keys, each followed by Enter: an empty line starts the timer, ticks the \
step off or finishes a range past its minimum; p pauses or resumes; s skips; u undoes; + or - \
adds or takes 30 s; a step's number makes it current; l lists the day; t tells the time left; \
q quits, and the session is saved.";

/// The plain guide's state: the UI, and what it has already announced.
#[derive(Debug)]
pub struct Plain {
    /// The session and the keys' effects, shared with the full-screen guide.
    pub ui: Ui,
    /// The runner's hooks, if any are named.
    pub hooks: Option<Hooks>,
    /// The reminders set with `postrun remind`, kept in line with the session.
    pub reminders: Option<Follow>,
    /// The countdown piece under way (step, piece start) and the whole minutes left last said.
    minutes: Option<((usize, Duration), u64)>,
}

impl Plain {
    /// The plain guide over a live session, opened at `now`.
    pub fn new(live: Live, bell: bool, zone: FixedOffset) -> Plain {
        Plain {
            ui: Ui::new(live, bell, false, zone),
            hooks: None,
            reminders: None,
            minutes: None,
        }
    }

    /// The first lines: the day, and what to do now.
    pub fn open(&mut self, now: Timestamp) -> Vec<String> {
        let s = &self.ui.live.session;
        let zone = self.ui.zone;
        let mut lines = vec![format!(
            "{}: run finished {}, bed at {}, {} of {} steps done. ? lists the keys.",
            s.protocol.name,
            clock_in(s.finished_at, &zone),
            clock_in(s.bedtime, &zone),
            s.done_count(),
            s.states().len()
        )];
        if let Some(active) = s.active() {
            lines.push(narrate::now_due(s, active));
        }
        self.minutes = self.piece(now).map(|p| (p, minutes_up(self.left(now))));
        lines.extend(self.wake(now));
        lines
    }

    /// Time passes: what fell due, windows that opened, a minute gone.
    pub fn wake(&mut self, now: Timestamp) -> Vec<String> {
        self.act(None, now)
    }

    /// A line typed by the runner.
    pub fn line(&mut self, text: &str, now: Timestamp) -> Vec<String> {
        let text = text.trim();
        let intent = match text {
            "" => Intent::Go,
            "p" | "P" => Intent::PauseResume,
            "s" | "S" => Intent::Skip,
            "y" | "Y" => Intent::Yes,
            "n" | "N" => Intent::Back,
            "u" | "U" => Intent::Undo,
            "+" => Intent::More,
            "-" => Intent::Less,
            "q" | "Q" => Intent::Quit,
            "?" | "h" | "help" => return vec![KEYS.to_string()],
            "l" | "L" => return self.list(now),
            "t" | "T" => return vec![self.time_left(now)],
            number => match number.parse::<usize>() {
                Ok(n) if n >= 1 && n <= self.ui.live.session.states().len() => {
                    self.ui.cursor = n - 1;
                    Intent::Go
                }
                _ => {
                    return vec![format!(
                        "'{}' is not a key here; ? lists them.",
                        printable(number)
                    )];
                }
            },
        };
        self.act(Some(intent), now)
    }

    /// Whether the runner has quit.
    pub fn quit(&self) -> bool {
        self.ui.quit
    }

    /// When something will next be worth a line by itself: the session's next change, the
    /// next whole minute of a countdown, the next window to open. `None`: only input.
    pub fn next_wake(&self, now: Timestamp) -> Option<Timestamp> {
        let s = &self.ui.live.session;
        let minute = match s.run().map(|r| r.phase) {
            Some(Phase::Running { .. }) => {
                let left = self.left(now);
                let up = minutes_up(left);
                let next_mark = Duration::from_secs(up.saturating_sub(1) * 60);
                (up > 1).then(|| now + TimeDelta::from_std(left - next_mark).unwrap_or_default())
            }
            _ => None,
        };
        [self.ui.next_change(now), minute]
            .into_iter()
            .flatten()
            .min()
    }

    fn act(&mut self, intent: Option<Intent>, now: Timestamp) -> Vec<String> {
        let result = match intent {
            Some(i) => self.ui.handle(i, now),
            None => self.ui.wake(now),
        };
        let mut lines = Vec::new();
        if let Err(e) = result {
            lines.push(format!("Could not save that: {e}"));
        }
        let said = std::mem::take(&mut self.ui.said);
        if let Some(hooks) = &self.hooks {
            hooks.fire_all(&said, &self.ui.live.session, now, self.ui.zone);
        }
        if let Some(reminders) = &self.reminders {
            reminders.after(&said, &self.ui.live.session, now);
        }
        for said in said {
            lines.push(match said {
                Said::Fact(fact) => narrate::say(&fact, &self.ui.live.session, now),
                Said::Refused(why) => why,
                Said::Due(step) => narrate::due(&self.ui.live.session, step, self.ui.zone),
            });
        }
        match self.ui.overlay {
            Some(Overlay::ConfirmSkip) => {
                let title = self.ui.active_title();
                lines.push(format!("{title} is not optional. Skip it anyway? y or n"));
            }
            Some(Overlay::ConfirmExtend { top }) => {
                let title = self.ui.active_title();
                lines.push(format!(
                    "{title} tops out at {}. Staying longer is not advised. Add 30 s anyway? y or n",
                    crate::protocol::Short(top)
                ));
            }
            Some(Overlay::Help) => {
                self.ui.overlay = None;
                lines.push(KEYS.to_string());
            }
            None => {}
        }
        lines.extend(self.minute(now));
        lines
    }

    /// "4 minutes left", once as each whole minute of a countdown passes.
    fn minute(&mut self, now: Timestamp) -> Vec<String> {
        let running = matches!(
            self.ui.live.session.run().map(|r| r.phase),
            Some(Phase::Running { .. })
        );
        let Some(piece) = self.piece(now).filter(|_| running) else {
            self.minutes = None;
            return Vec::new();
        };
        let up = minutes_up(self.left(now));
        let line = match self.minutes {
            Some((p, before)) if p == piece && up < before && up >= 1 => Some(match up {
                1 => "1 minute left".to_string(),
                n => format!("{n} minutes left"),
            }),
            _ => None,
        };
        self.minutes = Some((piece, up));
        line.into_iter().collect()
    }

    /// The piece under way: its step and where it starts in the step.
    fn piece(&self, now: Timestamp) -> Option<(usize, Duration)> {
        let s = &self.ui.live.session;
        let run = s.run()?;
        let (_, start) = run.piece_at(run.position(now));
        Some((s.active()?, start))
    }

    fn left(&self, now: Timestamp) -> Duration {
        self.ui
            .live
            .session
            .run()
            .map(|r| r.piece_left(now))
            .unwrap_or_default()
    }

    fn time_left(&self, now: Timestamp) -> String {
        let s = &self.ui.live.session;
        let done = format!("{} of {} steps done", s.done_count(), s.states().len());
        let (Some(step), Some(run)) = (s.active_step(), s.run()) else {
            return match s.active_step() {
                Some(step) => format!("{}: no timer; {done}.", step.title),
                None => format!("All done; {done}."),
            };
        };
        let left = mmss(shown_seconds(run.piece_left(now)));
        let whole = mmss(shown_seconds(run.left(now)));
        let state = match run.phase {
            Phase::Ready => format!("{whole} in all, not started"),
            Phase::Paused { .. } => format!("{left} left, paused"),
            Phase::Finished => "finished".to_string(),
            Phase::Running { .. } if whole != left => format!("{left} left, {whole} in all"),
            Phase::Running { .. } => format!("{left} left"),
        };
        format!("{}: {state}; {done}.", step.title)
    }

    fn list(&self, now: Timestamp) -> Vec<String> {
        let s = &self.ui.live.session;
        s.protocol
            .steps
            .iter()
            .zip(s.states())
            .enumerate()
            .map(|(i, (step, state))| {
                let word = match state {
                    StepState::Done => "done",
                    StepState::Skipped => "skipped",
                    StepState::Active => "current",
                    StepState::Pending => "to do",
                };
                let todo = matches!(state, StepState::Active | StepState::Pending);
                let when = step
                    .window
                    .map(|w| plan::times(&w, s.finished_at, s.bedtime))
                    .map(|t| {
                        let status = match plan::status(&t, now) {
                            _ if !todo => "",
                            plan::WindowStatus::Upcoming => "",
                            plan::WindowStatus::Open => ", open now",
                            plan::WindowStatus::Closing => ", closing",
                            plan::WindowStatus::Missed => ", missed",
                        };
                        format!(", {}{status}", window_text_in(&t, &self.ui.zone))
                    })
                    .unwrap_or_default();
                format!("{}. {}: {word}{when}", i + 1, step.title)
            })
            .collect()
    }
}

/// Whole minutes left, rounded up: 13:59.9 is 14.
fn minutes_up(left: Duration) -> u64 {
    left.as_millis().div_ceil(60_000) as u64
}

/// A typed line echoed back with control characters made visible.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .take(20)
        .collect()
}

/// What the loop waits for.
enum Msg {
    Line(String),
    Closed,
    Terminate,
    Warning(String),
}

/// Runs the plain guide on standard input and output until the runner quits, input ends or
/// a signal comes.
pub fn run(live: Live, config: &Config, data: &std::path::Path) -> anyhow::Result<()> {
    let zone = *chrono::Local::now().offset();
    let ring = config.bell && io::stdout().is_terminal();
    let mut plain = Plain::new(live, config.bell, zone);
    let (tx, rx) = mpsc::channel();
    let warn = tx.clone();
    let report: crate::hooks::Report = Arc::new(move |w| {
        let _ = warn.send(Msg::Warning(w));
    });
    plain.hooks = Some(Hooks::new(config.hooks.clone(), Arc::clone(&report)));
    let reminders = Follow::start(data.to_path_buf(), report);
    reminders.update(&plain.ui.live.session, Utc::now());
    plain.reminders = Some(reminders);
    let input = tx.clone();
    thread::spawn(move || {
        for line in io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if input.send(Msg::Line(line)).is_err() {
                return;
            }
        }
        let _ = input.send(Msg::Closed);
    });
    crate::tui::on_signals(tx, || Msg::Terminate)?;
    let mut out = io::stdout().lock();
    let mut say = |lines: Vec<String>, bells: &mut u32| -> io::Result<()> {
        for l in lines {
            writeln!(out, "{l}")?;
        }
        if ring && *bells > 0 {
            // A bell is a sound, not a cursor move: screen readers and dumb terminals keep it.
            out.write_all(b"\x07")?;
        }
        *bells = 0;
        out.flush()
    };
    let lines = plain.open(Utc::now());
    say(lines, &mut plain.ui.bells)?;
    loop {
        let now = Utc::now();
        let msg = match plain.next_wake(now) {
            None => rx.recv().ok(),
            Some(at) => match rx.recv_timeout((at - now).to_std().unwrap_or_default()) {
                Ok(msg) => Some(msg),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => Some(Msg::Closed),
            },
        };
        let lines = match msg {
            None => plain.wake(Utc::now()),
            Some(Msg::Line(text)) => plain.line(&text, Utc::now()),
            Some(Msg::Warning(w)) => vec![format!("Warning: {w}")],
            Some(Msg::Closed | Msg::Terminate) => break,
        };
        say(lines, &mut plain.ui.bells)?;
        if plain.quit() {
            break;
        }
    }
    if let Some(reminders) = plain.reminders.take() {
        reminders.finish();
    }
    let s = &plain.ui.live.session;
    say(
        vec![format!(
            "Saved: {} of {} steps done. Run postrun again to carry on.",
            s.done_count(),
            s.states().len()
        )],
        &mut 0,
    )?;
    Ok(())
}

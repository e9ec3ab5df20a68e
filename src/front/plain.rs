//! The plain guide, for screen readers and dumb terminals: nothing is drawn, nothing moves the
//! cursor; each change is one line of text, and keys are read as lines (an empty line is
//! Enter). It runs on the same loop and guide over the same session log as the full-screen
//! guide, so switching between the two loses nothing.
mod form;
mod said;
mod sore;

use said::{details_of, list, time_left};
use std::io::{self, BufRead, Write};
use std::sync::mpsc::Sender;
use std::thread;
use std::time::Duration;

use chrono::TimeDelta;

use crate::core::clock::{clock_after, clock_in};
use crate::core::guide::{
    CardLine, DayChange, Guide, Intent, Overlay, Said, Told, card, narrate, when,
};
use crate::core::plan::{self, window_text_in, words};
use crate::core::printable::Printable;
use crate::core::protocol::{Short, Units};
use crate::core::session::{Fact, Phase, StepState, Timestamp, mmss, shown_seconds};
use crate::front::tui::setup::Setup;
use crate::shell::{Action, Front, Msg};

/// The keys, as lines.
pub const KEYS: &str = "Keys, each followed by Enter: an empty line starts the timer, ticks the \
step off or finishes a range past its minimum; p pauses or resumes; s skips; > skips one hold \
or side; u undoes; + or - adds or takes 30 s; a step's number makes it current; l lists the \
day; t tells the time left; i tells all about the current step, i and a number about that \
step; finished 9:40, bedtime 21:00 or budget 30m changes the day; q quits, and the session is \
saved.";

/// What is said of a typed line that is not UTF-8 text.
pub const UNREADABLE: &str = "that line could not be read (it is not UTF-8 text); type it again";

/// The plain front end: the lines still to write, and what it has already announced.
#[derive(Debug, Default)]
pub struct Plain {
    /// The start screen's questions, until a day begins.
    form: Option<form::Form>,
    /// Lines written so far and not yet taken (see [`Plain::take`]).
    lines: Vec<String>,
    /// Write the lines to standard output as they come (the real guide; tests take them).
    print: bool,
    /// Ring the terminal's bell (config `bell`, and output is a terminal).
    ring: bool,
    /// The day's first lines have been said.
    opened: bool,
    /// The question last asked, so it is asked once.
    asked: Option<Overlay>,
    /// The countdown piece under way (step, piece start) and the whole minutes left last said.
    minutes: Option<((usize, Duration), u64)>,
    /// The units the run's distance and temperature are said in.
    units: Units,
    /// Lines said after the first: which run the day follows, the runner's record.
    notes: Vec<String>,
    /// The questions: a step's value as it ends, how sore at the end of the day.
    questions: sore::Questions,
}

impl Plain {
    /// The plain guide on standard output; `ring` rings the bell for cues.
    pub fn stdout(ring: bool) -> Plain {
        Plain {
            print: true,
            ring,
            ..Plain::default()
        }
    }

    /// Asks the start screen's questions as lines before a new day begins.
    pub fn with_form(mut self, setup: Option<Setup>) -> Plain {
        self.form = setup.map(form::Form::new);
        self
    }

    /// Says distances and temperatures in `units`.
    pub fn with_units(mut self, units: Units) -> Plain {
        self.units = units;
        self
    }

    /// Says `notes` after the day's first line.
    pub fn with_notes(mut self, notes: Vec<String>) -> Plain {
        self.notes = notes;
        self
    }

    /// Takes the lines said since the last take.
    pub fn take(&mut self) -> Vec<String> {
        std::mem::take(&mut self.lines)
    }

    /// What a typed line means.
    fn line(&mut self, text: &str, guide: &Guide, now: Timestamp) -> Option<Intent> {
        let text = text.trim();
        // The current step's card, or step N's: `i`, `i 4`, `details 4`.
        if let Some(step) = details_of(text, guide) {
            let card = card(guide.session(), step, *guide.zone(), guide.hours(), now);
            self.lines.extend(card.iter().map(|l| match l {
                CardLine::Tip(t) => format!("Tip: {t}"),
                CardLine::Hold(t) => format!("Hold: {t}"),
                CardLine::Do(t) => format!("Do: {t}"),
                other => other.text().to_string(),
            }));
            return None;
        }
        Some(match text {
            "" => Intent::Go,
            "p" | "P" => Intent::PauseResume,
            "s" | "S" => Intent::Skip,
            ">" => Intent::SkipHold,
            "y" | "Y" => Intent::Yes,
            "n" | "N" => Intent::Back,
            "u" | "U" => Intent::Undo,
            "+" => Intent::More,
            "-" => Intent::Less,
            "q" | "Q" => Intent::Quit,
            "?" | "h" | "help" => {
                self.lines.push(KEYS.to_string());
                return None;
            }
            "l" | "L" => {
                self.lines.extend(list(guide, now));
                return None;
            }
            "t" | "T" => {
                self.lines.push(time_left(guide, now));
                return None;
            }
            words if let Some(change) = DayChange::from_words(words) => match change {
                Ok(change) => Intent::ChangeDay(change),
                Err(why) => {
                    self.lines
                        .push(format!("{}.", crate::core::printable::printable(&why)));
                    return None;
                }
            },
            number => match number.parse::<usize>() {
                Ok(n) if n >= 1 && n <= guide.session().states().len() => Intent::Pick(n - 1),
                _ => {
                    self.lines.push(format!(
                        "'{}' is not a key here; ? lists them.",
                        printable(number)
                    ));
                    return None;
                }
            },
        })
    }

    /// The first lines: the day, and what to do now.
    fn open(&mut self, guide: &Guide, now: Timestamp) {
        let s = guide.session();
        let zone = guide.zone();
        let after = s
            .recorded
            .as_ref()
            .map(|r| format!(" after {}", r.figures(self.units)))
            .unwrap_or_default();
        self.lines.push(format!(
            "{}: run finished {}{after}, bedtime {}, {} of {} steps done. ? lists the keys.",
            s.protocol.name,
            clock_in(s.finished_at, zone, guide.hours()),
            clock_after(s.bedtime, s.finished_at, zone, guide.hours()),
            s.done_count(),
            s.states().len()
        ));
        self.lines.extend(self.notes.iter().cloned());
        let clock = |t| clock_in(t, zone, guide.hours());
        for clash in plan::tonight::of_session(s) {
            self.lines.push(words::session_clash(&clash, s, &clock));
        }
        if let Some(active) = s.active() {
            self.lines.push(narrate::now_due(s, active));
        }
        self.minutes = piece(guide, now).map(|p| (p, minutes_up(left(guide, now))));
    }

    /// "4 minutes left", once as each whole minute of a countdown passes.
    fn minute(&mut self, guide: &Guide, now: Timestamp) {
        let running = matches!(
            guide.session().run().map(|r| r.phase),
            Some(Phase::Running { .. })
        );
        let Some(piece) = piece(guide, now).filter(|_| running) else {
            self.minutes = None;
            return;
        };
        let up = minutes_up(left(guide, now));
        if let Some((p, before)) = self.minutes
            && p == piece
            && up < before
            && up >= 1
        {
            self.lines.push(match up {
                1 => "1 minute left".to_string(),
                n => format!("{n} minutes left"),
            });
        }
        self.minutes = Some((piece, up));
    }

    fn write(&mut self, bells: u32) -> io::Result<()> {
        if !self.print {
            return Ok(());
        }
        // Every line passes the printable writer: titles from a session log, echoes of what
        // was typed and hooks' words are made printable there, whatever said them.
        let mut out = Printable::new(io::stdout().lock());
        for l in self.lines.drain(..) {
            writeln!(out, "{l}")?;
        }
        if self.ring && bells > 0 {
            // A bell is a sound, not a cursor move: screen readers and dumb terminals keep it.
            // It is ours, so it goes round the printable writer.
            out.raw()?.write_all(b"\x07")?;
        }
        out.flush()
    }
}

impl Front for Plain {
    type Input = String;

    /// One line at a time: each says what it did before the next is read, so the answer to
    /// `t` never comes ahead of the "done" typed before it.
    fn batches(&self) -> bool {
        false
    }

    fn listen(&mut self, tx: Sender<Msg<String>>) {
        thread::spawn(move || {
            let mut input = io::stdin().lock();
            let mut bytes = Vec::new();
            loop {
                bytes.clear();
                match input.read_until(b'\n', &mut bytes) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {}
                }
                let line = bytes.strip_suffix(b"\n").unwrap_or(&bytes);
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                // A line that is not UTF-8 (a terminal in another encoding, a stray byte) is
                // said and passed over; the guide goes on.
                let msg = match std::str::from_utf8(line) {
                    Ok(text) => Msg::Input(text.to_string()),
                    Err(_) => Msg::Warning(UNREADABLE.to_string()),
                };
                if tx.send(msg).is_err() {
                    return;
                }
            }
            let _ = tx.send(Msg::Closed);
        });
    }

    fn read(&mut self, input: String, guide: Option<&Guide>, now: Timestamp) -> Vec<Action> {
        let Some(guide) = guide else {
            return match &mut self.form {
                Some(form) => form.answer(&input, now, &mut self.lines),
                None => Vec::new(),
            };
        };
        if let Some(actions) = self.questions.answer(&input, guide, now, &mut self.lines) {
            return actions;
        }
        self.line(&input, guide, now)
            .map(Action::Intent)
            .into_iter()
            .collect()
    }

    fn show(
        &mut self,
        guide: Option<&Guide>,
        told: &Told,
        now: Timestamp,
        _only_time: bool,
    ) -> anyhow::Result<()> {
        let Some(guide) = guide else {
            if let Some(form) = &mut self.form {
                form.say(now, &mut self.lines);
            }
            self.write(0)?;
            return Ok(());
        };
        // A day has begun: the questions are done with.
        self.form = None;
        let s = guide.session();
        if !std::mem::replace(&mut self.opened, true) {
            self.open(guide, now);
        }
        for said in &told.said {
            self.lines.push(match said {
                // A changed day says its new times, as the first line did.
                Said::Fact(Fact::DayChanged { dropped, restored }) => {
                    let (zone, hours) = (guide.zone(), guide.hours());
                    let times = (
                        clock_in(s.finished_at, zone, hours),
                        clock_after(s.bedtime, s.finished_at, zone, hours),
                    );
                    narrate::day_changed(s, dropped, restored, Some(times)) + "."
                }
                Said::Fact(fact) => narrate::say(fact, s, now),
                Said::Refused(why) => why.clone(),
                Said::Due(step) => narrate::due(s, *step, *guide.zone(), guide.hours()),
            });
        }
        if guide.overlay != self.asked {
            match guide.overlay {
                Some(Overlay::ConfirmSkip) => self.lines.push(format!(
                    "{} is not optional. Skip it anyway? y or n",
                    guide.active_title()
                )),
                Some(Overlay::ConfirmExtend { top, .. }) => self.lines.push(format!(
                    "{} tops out at {}. Staying longer is not advised. Add 30 s anyway? y or n",
                    s.piece_title(now),
                    Short(top)
                )),
                Some(Overlay::ConfirmEarly { step, opens }) => self.lines.push(format!(
                    "{} y or n",
                    narrate::early(s, step, opens, *guide.zone(), guide.hours())
                )),
                Some(Overlay::Help | Overlay::Details { .. }) | None => {}
            }
            self.asked = guide.overlay;
        }
        self.minute(guide, now);
        self.questions.ask(guide, &mut self.lines);
        self.write(told.bells)?;
        Ok(())
    }

    /// The next whole minute of a countdown.
    fn next_wake(&self, guide: &Guide, now: Timestamp) -> Option<Timestamp> {
        let left = guide.running_left(now)?;
        let up = minutes_up(left);
        let next_mark = Duration::from_secs(up.saturating_sub(1) * 60);
        (up > 1).then(|| now + TimeDelta::from_std(left - next_mark).unwrap_or_default())
    }

    fn refused(&mut self, why: String) {
        if let Some(form) = &mut self.form {
            form.refused(crate::core::printable::printable(&why), &mut self.lines);
        }
    }

    fn close(&mut self, guide: Option<&Guide>) -> anyhow::Result<()> {
        if guide.is_none() && self.form.is_some() {
            self.lines
                .push("Nothing was started; postrun asks again next time.".to_string());
        }
        if let Some(guide) = guide {
            let s = guide.session();
            // A finished day has nothing to carry on with: saying so would not be true.
            let next = if s.is_complete() {
                "The day is finished and in your history."
            } else {
                "Run postrun again to carry on."
            };
            self.lines.push(format!(
                "Saved: {} of {} steps done. {next}",
                s.done_count(),
                s.states().len()
            ));
        }
        self.write(0)?;
        Ok(())
    }
}

/// The piece under way: its step and where it starts in the step.
fn piece(guide: &Guide, now: Timestamp) -> Option<(usize, Duration)> {
    let s = guide.session();
    let run = s.run()?;
    let (_, start) = run.piece_at(run.position(now));
    Some((s.active()?, start))
}

fn left(guide: &Guide, now: Timestamp) -> Duration {
    guide
        .session()
        .run()
        .map(|r| r.piece_left(now))
        .unwrap_or_default()
}

/// Whole minutes left, rounded up: 13:59.9 is 14.
fn minutes_up(left: Duration) -> u64 {
    left.as_millis().div_ceil(60_000) as u64
}

/// A typed line echoed back, made printable and cut short.
fn printable(text: &str) -> String {
    crate::core::printable::fit(text, 20)
}

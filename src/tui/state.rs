//! What the screen shows besides the session: the selected row, an overlay, the last note,
//! a flash, bells to ring. `handle` turns the runner's intents into session events, through
//! the log, so nothing is shown that is not on disk.
use std::io;

use chrono::{FixedOffset, TimeDelta};

use super::input::Intent;
use super::narrate;
use crate::plan;
use crate::protocol::Activity;
use crate::session::{Event, Fact, Phase, Refusal, StepState, Timestamp};
use crate::store::Live;

/// A window over the main screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    /// The keys.
    Help,
    /// "Skip a required step?"
    ConfirmSkip,
    /// "Past the timer's top: add 30 s anyway?", and why not.
    ConfirmExtend {
        /// The top of the timer's length.
        top: std::time::Duration,
    },
}

/// The TUI's state: the live session plus a little view state.
#[derive(Debug)]
pub struct Ui {
    /// The session and its log.
    pub live: Live,
    /// The checklist row under the cursor.
    pub cursor: usize,
    /// An overlay, if one is open.
    pub overlay: Option<Overlay>,
    /// The last thing said: a cue, a switch, why a key did nothing.
    pub note: Option<String>,
    /// The screen flashes until then (side switches, timer ends).
    pub flash_until: Option<Timestamp>,
    /// Bells owed to the terminal; the shell rings and clears them.
    pub bells: u32,
    /// Ring bells at all (config `bell`).
    pub bell_on: bool,
    /// Colour, unless `NO_COLOR`.
    pub color: bool,
    /// The time zone clock times are shown in: the machine's offset when the guide opened
    /// (tests pin it).
    pub zone: FixedOffset,
    /// The runner asked to quit.
    pub quit: bool,
    /// The runner pressed Ctrl-Z.
    pub suspend: bool,
    /// What happened since the shell last took it: the plain mode says it, hooks get it.
    pub said: Vec<Said>,
    /// Windows that opened up to here have been announced; `None` until the first look, so
    /// windows already open when the guide starts are not announced as news.
    seen: Option<Timestamp>,
    /// When each step with a window opens (`plan::openings`): fixed for the session, and
    /// asked for on every wake.
    opens: Vec<(usize, Timestamp)>,
}

/// Something the runner should hear of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    /// The session changed.
    Fact(Fact),
    /// A key did nothing, and why.
    Refused(String),
    /// The window of a step still to do has just opened.
    Due(usize),
}

/// How long a flash shows.
const FLASH: TimeDelta = TimeDelta::milliseconds(600);

impl Ui {
    /// A UI over a live session.
    pub fn new(live: Live, bell_on: bool, color: bool, zone: FixedOffset) -> Ui {
        let cursor = live.session.active().unwrap_or(0);
        let s = &live.session;
        let opens = plan::openings(&s.protocol, s.finished_at, s.bedtime);
        Ui {
            opens,
            live,
            cursor,
            overlay: None,
            note: None,
            flash_until: None,
            bells: 0,
            bell_on,
            color,
            zone,
            quit: false,
            suspend: false,
            said: Vec::new(),
            seen: None,
        }
    }

    /// The current step's title, or nothing once the day is done.
    pub fn active_title(&self) -> String {
        self.live
            .session
            .active_step()
            .map(|s| s.title.clone())
            .unwrap_or_default()
    }

    /// Time passes: fire what fell due.
    pub fn wake(&mut self, now: Timestamp) -> io::Result<()> {
        self.send(Event::Wake, now)
    }

    /// Acts on an intent at `now`.
    pub fn handle(&mut self, intent: Intent, now: Timestamp) -> io::Result<()> {
        // No separate Wake first: `Session::apply` catches up itself, and only there can it
        // tell that a late Enter was meant for a step that has just ended by itself.
        match (self.overlay, intent) {
            (_, Intent::Quit) => self.quit = true,
            (_, Intent::Suspend) => self.suspend = true,
            (Some(Overlay::Help), _) => self.overlay = None,
            (Some(Overlay::ConfirmSkip), Intent::Yes | Intent::Skip) => {
                self.overlay = None;
                self.send(Event::Skip { confirmed: true }, now)?;
            }
            (Some(Overlay::ConfirmSkip), _) => self.overlay = None,
            (Some(Overlay::ConfirmExtend { .. }), Intent::Yes | Intent::More) => {
                self.overlay = None;
                self.send(Event::ExtendPastTop, now)?;
            }
            (Some(Overlay::ConfirmExtend { .. }), _) => self.overlay = None,
            (None, Intent::Help) => self.overlay = Some(Overlay::Help),
            (None, Intent::Up) => self.cursor = self.cursor.saturating_sub(1),
            (None, Intent::Down) => {
                self.cursor =
                    (self.cursor + 1).min(self.live.session.states().len().saturating_sub(1));
            }
            (None, Intent::Go) => self.go(now)?,
            (None, Intent::PauseResume) => {
                let event = match self.live.session.run().map(|r| r.phase) {
                    Some(Phase::Running { .. }) => Event::Pause,
                    Some(Phase::Paused { .. }) => Event::Resume,
                    _ => Event::Start,
                };
                self.send(event, now)?;
            }
            (None, Intent::Skip) => {
                let optional = self.live.session.active_step().is_some_and(|s| s.optional);
                if optional || self.live.session.active_step().is_none() {
                    self.send(Event::Skip { confirmed: false }, now)?;
                } else {
                    self.overlay = Some(Overlay::ConfirmSkip);
                }
            }
            (None, Intent::Undo) => self.send(Event::Undo, now)?,
            (None, Intent::More) => {
                let result = self.live.apply(Event::Extend, now)?;
                match result {
                    Err(Refusal::PastTop { top, .. }) => {
                        self.overlay = Some(Overlay::ConfirmExtend { top });
                    }
                    result => self.settle(result, now),
                }
            }
            (None, Intent::Less) => self.send(Event::Shorten, now)?,
            (None, Intent::Yes | Intent::Back) => self.note = None,
        }
        Ok(())
    }

    /// Enter: on another row, make it current; on the current step, start its timer, tick it
    /// off, or finish a range past its minimum.
    fn go(&mut self, now: Timestamp) -> io::Result<()> {
        let session = &self.live.session;
        if session.active() != Some(self.cursor) && self.cursor < session.states().len() {
            return self.send(Event::Select { step: self.cursor }, now);
        }
        let event = match (
            session.active_step().map(|s| &s.activity),
            session.run().map(|r| r.phase),
        ) {
            (Some(Activity::Tick) | None, _) => Event::Complete,
            (_, Some(Phase::Ready)) => Event::Start,
            _ => Event::Complete,
        };
        self.send(event, now)
    }

    fn send(&mut self, event: Event, now: Timestamp) -> io::Result<()> {
        let result = self.live.apply(event, now)?;
        self.settle(result, now);
        Ok(())
    }

    /// Shows what an event did, or why it did nothing.
    fn settle(&mut self, result: Result<Vec<Fact>, Refusal>, now: Timestamp) {
        self.openings(now);
        match result {
            Ok(facts) => {
                for fact in facts {
                    self.react(&fact, now);
                }
            }
            Err(refusal) => {
                let why = capitalise(&refusal.to_string());
                self.said.push(Said::Refused(why.clone()));
                self.note = Some(why);
            }
        }
    }

    /// What a fact does to the screen: a note, a bell, a flash, the cursor following.
    fn react(&mut self, fact: &Fact, now: Timestamp) {
        let sentence = || narrate::say(fact, &self.live.session, now);
        match fact {
            Fact::Cue { .. } | Fact::MinimumReached { .. } => {
                self.note = Some(sentence());
                self.ring(now, false);
            }
            Fact::GetReady { switch, .. } => {
                self.note = Some(sentence());
                self.ring(now, *switch);
            }
            Fact::HoldStarted { .. } => {
                // The countdown's heading names the hold and side; the bell says "go".
                self.note = None;
                self.ring(now, true);
            }
            Fact::TopReached { .. } => {
                // Loud: two bells and a flash, whatever the runner chose before.
                self.note = Some(sentence());
                self.ring(now, true);
                self.ring(now, true);
            }
            Fact::TimerFinished { step } => {
                // At a hard top, "time to get out" has just been said; let it stand.
                let top_said = matches!(
                    self.said.last(),
                    Some(Said::Fact(Fact::TopReached { step: s })) if s == step
                );
                if !top_said {
                    self.note = Some(sentence());
                    self.ring(now, true);
                }
            }
            Fact::StepActive { step } | Fact::Undone { step } => self.cursor = *step,
            Fact::AllDone => self.note = Some(sentence()),
            Fact::TimerStarted { .. }
            | Fact::Paused { .. }
            | Fact::Resumed { .. }
            | Fact::Nudged { .. } => {
                self.note = None;
            }
            Fact::StepDone { .. } | Fact::StepSkipped { .. } => {}
        }
        self.said.push(Said::Fact(fact.clone()));
    }

    /// Steps still to do whose windows opened since the last look: each is said once.
    fn openings(&mut self, now: Timestamp) {
        let seen = *self.seen.get_or_insert(now);
        let due: Vec<usize> = self
            .opens
            .iter()
            .copied()
            .filter(|(i, at)| *at > seen && *at <= now && self.to_do(*i))
            .map(|(i, _)| i)
            .collect();
        for step in due {
            self.note = Some(narrate::due(&self.live.session, step, self.zone));
            self.said.push(Said::Due(step));
            self.ring(now, false);
        }
        self.seen = Some(seen.max(now));
    }

    fn to_do(&self, step: usize) -> bool {
        matches!(
            self.live.session.states().get(step),
            Some(StepState::Pending | StepState::Active)
        )
    }

    /// When the next window of a step still to do opens.
    fn next_opening(&self, now: Timestamp) -> Option<Timestamp> {
        let seen = self.seen.unwrap_or(now).max(now);
        self.opens
            .iter()
            .filter(|(i, at)| *at > seen && self.to_do(*i))
            .map(|&(_, at)| at)
            .min()
    }

    fn ring(&mut self, now: Timestamp, flash: bool) {
        if self.bell_on {
            self.bells += 1;
        }
        if flash {
            self.flash_until = Some(now + FLASH);
        }
    }

    /// Whether the screen is flashing at `now`.
    pub fn flashing(&self, now: Timestamp) -> bool {
        self.flash_until.is_some_and(|t| now < t)
    }

    /// When the screen next needs redrawing by itself: the session's next change, the next
    /// whole second of a running countdown, the end of a flash, the next window to open.
    /// `None`: only input.
    pub fn next_wake(&self, now: Timestamp) -> Option<Timestamp> {
        let run = self.live.session.run();
        let second = run
            .filter(|r| matches!(r.phase, Phase::Running { .. }))
            .map(|r| {
                // The digits show whole seconds rounded up; they change when the time left
                // crosses the next whole second.
                let left = r.piece_left(now).as_nanos();
                let frac = left % 1_000_000_000;
                now + TimeDelta::nanoseconds(if frac == 0 {
                    1_000_000_000
                } else {
                    frac as i64
                })
            });
        [
            self.next_change(now),
            second,
            self.flash_until.filter(|t| *t > now),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// When the session next changes by itself or a window opens; `None`: only input.
    pub fn next_change(&self, now: Timestamp) -> Option<Timestamp> {
        [self.live.session.next_deadline(now), self.next_opening(now)]
            .into_iter()
            .flatten()
            .min()
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

//! The guide: what the runner is shown and told, apart from how it is drawn. It holds the
//! session, the checklist cursor, an open question, the last note, a flash, and which windows
//! have been announced. [`Guide::handle`] works out what an intent or a moment means, as a
//! [`Change`] that names the events to record; the guide takes the change on only through
//! [`Guide::commit`], which the shell calls once those events are on disk. So nothing is shown
//! that is not saved, and a failed write changes nothing.
mod card;
mod daily;
mod intent;
pub mod narrate;
mod note;
mod opening;
mod react;
mod reschedule;
mod send;
mod told;
pub mod when;

use std::time::Duration;

pub use card::{Line as CardLine, card};
pub use daily::DailyUses;
pub use intent::{Intent, Overlay};
pub use note::{Note, While};
pub use reschedule::DayChange;
use told::Next;
pub use told::{Change, Said, Told};

use super::clock::{Hours, Zone};
use super::plan;
use super::protocol::{Activity, Units};
use super::session::{Event, Fact, Phase, Piece, Refusal, Session, Timestamp};

/// The session and what the runner sees of it.
#[derive(Debug, Clone)]
pub struct Guide {
    session: Session,
    /// The checklist row under the cursor.
    pub cursor: usize,
    /// An overlay, if one is open.
    pub overlay: Option<Overlay>,
    /// The last thing said: a cue, a minimum, why a key did nothing; each holds only while
    /// its fact does.
    note: Option<Note>,
    /// Said beside the note, never over it: a hook's warning, or anything said while the
    /// note is a safety call.
    aside: Option<Note>,
    /// The screen flashes until then (side switches, timer ends).
    pub flash_until: Option<Timestamp>,
    /// Whether the runner wants bells.
    bell: bool,
    /// The zone clock times are shown in.
    zone: Zone,
    /// The clock they are shown on.
    hours: Hours,
    /// Metric or US units, for the run's distance.
    units: Units,
    /// Uses of daily-limited steps in other sessions.
    daily: Option<DailyUses>,
    /// Windows that opened up to here have been announced; `None` until the first look, so
    /// windows already open when the guide starts are not announced as news.
    seen: Option<Timestamp>,
    /// When each step with a window opens: fixed for the session.
    opens: Vec<(usize, Timestamp)>,
    /// The latest moment of a wake that fired nothing: applied, but not recorded.
    unsaved: Option<Timestamp>,
    /// Records made by the change under way.
    record: Vec<(Timestamp, Event)>,
    told: Told,
    /// Counts the changes taken on, but for the high-water mark (see [`Guide::version`]).
    version: u64,
}

impl Guide {
    /// A guide over a session, showing clock times in `zone`.
    pub fn new(session: Session, zone: Zone) -> Guide {
        let cursor = session.active().unwrap_or(0);
        let opens = plan::openings(&session.protocol, session.finished_at, session.bedtime);
        Guide {
            session,
            cursor,
            overlay: None,
            note: None,
            aside: None,
            flash_until: None,
            bell: true,
            zone,
            hours: Hours::default(),
            units: Units::default(),
            daily: None,
            seen: None,
            opens,
            unsaved: None,
            record: Vec::new(),
            told: Told::default(),
            version: 0,
        }
    }

    /// Bells on or off (config `bell`).
    pub fn with_bell(mut self, bell: bool) -> Guide {
        self.bell = bell;
        self
    }

    /// Shows clock times on the 12- or 24-hour clock (config `clock`).
    pub fn with_hours(mut self, hours: Hours) -> Guide {
        self.hours = hours;
        self
    }

    /// Says distances in `units`.
    pub fn with_units(mut self, units: Units) -> Guide {
        self.units = units;
        self
    }

    /// The units distances are said in.
    pub fn units(&self) -> Units {
        self.units
    }

    /// Counts daily limits with the uses made in other sessions.
    pub fn with_daily(mut self, daily: DailyUses) -> Guide {
        self.daily = Some(daily);
        self
    }

    /// The session.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The zone clock times are shown in.
    pub fn zone(&self) -> &Zone {
        &self.zone
    }

    /// The clock clock times are shown on.
    pub fn hours(&self) -> Hours {
        self.hours
    }

    /// The current step's title, or nothing once the day is done.
    pub fn active_title(&self) -> String {
        self.session
            .active_step()
            .map(|s| s.title.clone())
            .unwrap_or_default()
    }

    /// Time passes: what fell due at `now`.
    pub fn wake(&self, now: Timestamp) -> Change {
        let clock_back = self.unsaved.is_some_and(|t| t > now);
        let quiet = self.seen.is_some_and(|seen| !self.opens_between(seen, now));
        if !clock_back && quiet && !self.session.due(now) {
            // The once-a-second wake of a countdown: nothing fires and nothing is written, so
            // nothing needs the guide copied.
            return Change {
                record: Vec::new(),
                told: Told::default(),
                next: Next::Mark(now),
            };
        }
        self.changed(|g| g.send(Event::Wake, now))
    }

    /// What `intent` at `now` means.
    pub fn handle(&self, intent: Intent, now: Timestamp) -> Change {
        self.changed(|g| g.act(intent, now))
    }

    /// Takes a change on: the shell calls this once the change's records are on disk. Returns
    /// what to tell.
    pub fn commit(&mut self, change: Change) -> Told {
        match change.next {
            Next::Mark(now) => {
                // Nothing due, so nothing fires: this only moves the timer's high-water mark.
                let _ = self.session.apply(Event::Wake, now);
                self.unsaved = self.unsaved.max(Some(now));
            }
            Next::Guide(next) => *self = *next,
        }
        change.told
    }

    /// Works on a copy of the guide, and hands back what it recorded and told with the copy.
    fn changed(&self, act: impl FnOnce(&mut Guide)) -> Change {
        let mut next = self.clone();
        next.version = next.version.wrapping_add(1);
        act(&mut next);
        let record = std::mem::take(&mut next.record);
        let told = std::mem::take(&mut next.told);
        Change {
            record,
            told,
            next: Next::Guide(Box::new(next)),
        }
    }

    fn act(&mut self, intent: Intent, now: Timestamp) {
        // A note that answered a key, or told of what has passed, has been read by the next.
        for slot in [&mut self.note, &mut self.aside] {
            if slot.as_ref().is_some_and(|n| n.ends_on_key(&self.session)) {
                *slot = None;
            }
        }
        // No separate wake first: `Session::apply` catches up itself, and only there can it
        // tell that a late Enter was meant for a step that has just ended by itself.
        match (self.overlay, intent) {
            (_, Intent::Quit) => self.told.quit = true,
            (_, Intent::Suspend) => self.told.suspend = true,
            (Some(Overlay::Details { step, scroll }), Intent::Down | Intent::Up) => {
                let scroll = if intent == Intent::Down {
                    scroll.saturating_add(1)
                } else {
                    scroll.saturating_sub(1)
                };
                self.overlay = Some(Overlay::Details { step, scroll });
            }
            (Some(Overlay::Help | Overlay::Details { .. }), _) => self.overlay = None,
            (Some(Overlay::ConfirmSkip), Intent::Yes | Intent::Skip) => {
                self.overlay = None;
                self.send(Event::Skip { confirmed: true }, now);
            }
            (Some(Overlay::ConfirmExtend { piece, .. }), Intent::Yes | Intent::More) => {
                self.overlay = None;
                // Asked of one hold, said yes to in the next: the 30 s are not the next one's.
                if self.under_way(now) == Some(piece) {
                    self.send(Event::ExtendPastTop, now);
                }
            }
            (Some(Overlay::ConfirmEarly { step, .. }), Intent::Yes) => {
                self.overlay = None;
                if self.session.active() == Some(step) {
                    self.send(Event::Complete, now);
                }
            }
            (
                Some(
                    Overlay::ConfirmSkip
                    | Overlay::ConfirmExtend { .. }
                    | Overlay::ConfirmEarly { .. },
                ),
                _,
            ) => self.overlay = None,
            (None, Intent::Help) => self.overlay = Some(Overlay::Help),
            (None, Intent::Details) => {
                let step = self.cursor;
                self.overlay = Some(Overlay::Details { step, scroll: 0 });
            }
            (None, Intent::Up) => self.cursor = self.cursor.saturating_sub(1),
            (None, Intent::Down) => {
                self.cursor = (self.cursor + 1).min(self.session.states().len().saturating_sub(1));
            }
            (None, Intent::Pick(row)) => {
                self.cursor = row.min(self.session.states().len().saturating_sub(1));
                self.go(now);
            }
            (None, Intent::Go) => self.go(now),
            (None, Intent::PauseResume) => {
                let event = match self.session.run().map(|r| r.phase) {
                    Some(Phase::Running { .. }) => Event::Pause,
                    Some(Phase::Paused { .. }) => Event::Resume,
                    _ => Event::Start,
                };
                self.send(event, now);
            }
            (None, Intent::Skip) => {
                let optional = self.session.active_step().is_some_and(|s| s.optional);
                if optional || self.session.active_step().is_none() {
                    self.send(Event::Skip { confirmed: false }, now);
                } else {
                    self.overlay = Some(Overlay::ConfirmSkip);
                }
            }
            (None, Intent::Undo) => self.send(Event::Undo, now),
            (None, Intent::SkipHold) => self.send(Event::SkipHold, now),
            (None, Intent::More) => match self.session.may_extend(now) {
                Ok(()) => self.send(Event::Extend, now),
                Err(refusal) => self.settle(Err(refusal), now),
            },
            (None, Intent::Less) => match self.session.may_shorten(now) {
                Ok(()) => self.send(Event::Shorten, now),
                Err(refusal) => self.settle(Err(refusal), now),
            },
            (None, Intent::Yes | Intent::Back) => {
                self.note = None;
                self.aside = None;
            }
            (None, Intent::ChangeDay(change)) => match self.reschedule(change, now) {
                Ok(event) => {
                    self.send(event, now);
                    self.replan_openings();
                }
                Err(why) => {
                    let why = capitalise(&why);
                    self.told.said.push(Said::Refused(why.clone()));
                    self.say(Note::new(why, While::Always, true), now);
                }
            },
        }
    }

    /// Enter: on another row, make it current; on the current step, start its timer, tick it
    /// off, or finish a range past its minimum.
    fn go(&mut self, now: Timestamp) {
        let session = &self.session;
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
        // Ticking off a step whose time has not come (sleep at 22:30, at 20:44) would end
        // the day by one Enter: ask first.
        let ticked =
            event == Event::Complete && session.run().is_none_or(|r| r.phase == Phase::Finished);
        if let Some(step) = session.active().filter(|_| ticked)
            && let Some(opens) = self.opens_at(step).filter(|at| now < *at)
        {
            self.overlay = Some(Overlay::ConfirmEarly { step, opens });
            return;
        }
        self.send(event, now)
    }

    /// Whether the screen is flashing at `now`.
    pub fn flashing(&self, now: Timestamp) -> bool {
        self.flash_until.is_some_and(|t| now < t)
    }

    /// When the session next changes by itself or a window opens; `None`: only input.
    pub fn next_change(&self, now: Timestamp) -> Option<Timestamp> {
        [self.session.next_deadline(now), self.next_opening(now)]
            .into_iter()
            .flatten()
            .min()
    }

    /// Changes whenever the guide does, other than by a wake that only moved the timer's
    /// high-water mark: two moments with the same version differ in the time alone, so what
    /// a front end worked out for one moment ahead still holds at it.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Until when time alone changes nothing here: a [`Guide::wake`] before it finds nothing
    /// due (no mark of the timer, no window opening) and only moves the timer's high-water
    /// mark. The shell, whose clock never goes back, need not wake the guide before it; the
    /// mark moves with the next event that is applied, as it does on replay. `None`: only
    /// input changes it.
    pub fn quiet_until(&self) -> Option<Timestamp> {
        // Not woken yet: the first wake looks at the windows.
        let Some(seen) = self.seen else {
            return Some(Timestamp::MIN_UTC);
        };
        [self.session.next_deadline(seen), self.next_opening(seen)]
            .into_iter()
            .flatten()
            .min()
    }

    /// The time left of the countdown piece under way, while one runs.
    pub fn running_left(&self, now: Timestamp) -> Option<Duration> {
        self.session
            .run()
            .filter(|r| matches!(r.phase, Phase::Running { .. }))
            .map(|r| r.piece_left(now))
    }
}

pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;

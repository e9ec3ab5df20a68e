//! The timing of the active step: its pieces (one countdown, or gaps and holds side by side),
//! kept as a deadline while running and as time left while paused, never as a tick count.
use std::collections::BTreeSet;
use std::time::Duration;

use serde::Serialize;

use super::Timestamp;
use super::time::{after, span};
use crate::core::protocol::{Activity, Cue, Step};

mod marks;
pub use marks::Mark;

/// How much `+` and `-` move a countdown.
pub const NUDGE: Duration = Duration::from_secs(30);

/// One stretch of a timed step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Piece {
    /// A timer's single countdown.
    Countdown,
    /// Time to get into position before a hold (on a side).
    Gap {
        /// Index of the hold about to start.
        hold: usize,
        /// Index of its side, if it has sides.
        side: Option<usize>,
    },
    /// A hold (on a side).
    Hold {
        /// Index of the hold.
        hold: usize,
        /// Index of its side, if it has sides.
        side: Option<usize>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Slot {
    piece: Piece,
    len: Duration,
    /// Where a range's minimum falls within the piece; `None` for a fixed length. Kept as
    /// the protocol gives it: a piece shortened below it ends at its length (see `min`).
    min: Option<Duration>,
    /// A countdown's or a hold's top: the end of its range, or of a `hard_max` length. Going
    /// past it takes the runner's confirmation.
    top: Option<Duration>,
    /// A hold the runner skipped: it takes no time and nothing of it is said.
    skipped: bool,
}

impl Slot {
    /// The minimum in effect: never past the piece's end.
    fn min(&self) -> Option<Duration> {
        self.min.map(|m| m.min(self.len))
    }
}

/// Whether the clock runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Phase {
    /// Not started.
    Ready,
    /// Counting down to `ends_at`, the end of the whole track.
    Running {
        /// The deadline of the last piece.
        ends_at: Timestamp,
    },
    /// Stopped with this much of the whole track left.
    Paused {
        /// Time left on the whole track.
        left: Duration,
    },
    /// Ran out, or finished early.
    Finished,
}

/// The active step's timer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    slots: Vec<Slot>,
    cues: Vec<Cue>,
    /// Whether the clock runs.
    pub phase: Phase,
    /// The furthest position reached, so a clock set back never gives time back.
    reached: Duration,
    fired: BTreeSet<Mark>,
    /// The top is a limit for the body (`hard_max`).
    hard_max: bool,
}

impl Run {
    /// The timer for a step; `None` for a step without one.
    pub fn for_step(step: &Step) -> Option<Run> {
        let (slots, cues) = match &step.activity {
            Activity::Tick => return None,
            Activity::Timer(t) => {
                let min = t.length.is_range().then_some(t.length.min.min(t.target));
                let top = (t.length.is_range() || t.hard_max).then_some(t.length.max);
                (
                    vec![Slot {
                        piece: Piece::Countdown,
                        len: t.target,
                        min,
                        top,
                        skipped: false,
                    }],
                    t.cues.clone(),
                )
            }
            Activity::Holds(h) => {
                let mut slots = Vec::new();
                for (hi, hold) in h.holds.iter().enumerate() {
                    let sides: Vec<Option<usize>> = if hold.sides.is_empty() {
                        vec![None]
                    } else {
                        (0..hold.sides.len()).map(Some).collect()
                    };
                    for side in sides {
                        slots.push(Slot {
                            piece: Piece::Gap { hold: hi, side },
                            len: h.gap,
                            min: None,
                            top: None,
                            skipped: false,
                        });
                        let range = hold.length.is_range();
                        slots.push(Slot {
                            piece: Piece::Hold { hold: hi, side },
                            len: hold.length.max,
                            min: range.then_some(hold.length.min),
                            top: range.then_some(hold.length.max),
                            skipped: false,
                        });
                    }
                }
                (slots, Vec::new())
            }
        };
        Some(Run {
            slots,
            cues,
            phase: Phase::Ready,
            reached: Duration::ZERO,
            fired: BTreeSet::new(),
            hard_max: matches!(&step.activity, Activity::Timer(t) if t.hard_max),
        })
    }

    /// The whole track's length as it stands (nudges included).
    pub fn total(&self) -> Duration {
        self.slots.iter().map(|s| s.len).sum()
    }

    /// Position on the track at `now`: never past the end, never back before what was reached.
    pub fn position(&self, now: Timestamp) -> Duration {
        let total = self.total();
        let raw = match self.phase {
            Phase::Ready => Duration::ZERO,
            Phase::Running { ends_at } => total.saturating_sub(span(now, ends_at)),
            Phase::Paused { left } => total.saturating_sub(left),
            Phase::Finished => total,
        };
        raw.max(self.reached).min(total)
    }

    /// Which piece is under way at a position, with its start; the last piece at the end.
    pub fn piece_at(&self, pos: Duration) -> (usize, Duration) {
        let mut start = Duration::ZERO;
        for (i, s) in self.slots.iter().enumerate() {
            if pos < start + s.len || i + 1 == self.slots.len() {
                return (i, start);
            }
            start += s.len;
        }
        (0, Duration::ZERO)
    }

    /// The piece under way at `now`.
    pub fn current(&self, now: Timestamp) -> Piece {
        let (i, _) = self.piece_at(self.position(now));
        self.slots.get(i).map_or(Piece::Countdown, |s| s.piece)
    }

    /// Time left in the piece under way (what the big digits show).
    pub fn piece_left(&self, now: Timestamp) -> Duration {
        self.piece_left_at(self.position(now))
    }

    /// Time left in the piece under way at a position ([`Run::position`]).
    pub fn piece_left_at(&self, pos: Duration) -> Duration {
        let (i, start) = self.piece_at(pos);
        (start + self.slots.get(i).map_or(Duration::ZERO, |s| s.len)).saturating_sub(pos)
    }

    /// Time left on the whole step.
    pub fn left(&self, now: Timestamp) -> Duration {
        self.left_at(self.position(now))
    }

    /// Time left on the whole step at a position ([`Run::position`]).
    pub fn left_at(&self, pos: Duration) -> Duration {
        self.total().saturating_sub(pos)
    }

    /// Whether the piece under way may be ended early: a range past its minimum, or a gap.
    pub fn may_finish_early(&self, now: Timestamp) -> Result<(), Duration> {
        let pos = self.position(now);
        let (i, start) = self.piece_at(pos);
        match self.slots.get(i) {
            Some(Slot {
                piece: Piece::Gap { .. },
                ..
            }) => Ok(()),
            Some(slot) => match slot.min() {
                Some(min) if pos >= start + min => Ok(()),
                Some(min) => Err(start + min - pos),
                None => Err((start + slot.len).saturating_sub(pos)),
            },
            None => Ok(()),
        }
    }

    /// Starts or resumes the clock.
    pub fn run(&mut self, now: Timestamp) {
        let left = match self.phase {
            Phase::Ready => self.total(),
            Phase::Paused { left } => left,
            Phase::Running { .. } | Phase::Finished => return,
        };
        self.phase = Phase::Running {
            ends_at: after(now, left),
        };
    }

    /// Stops the clock, keeping the time left.
    pub fn pause(&mut self, now: Timestamp) {
        if let Phase::Running { .. } = self.phase {
            self.reached = self.position(now);
            self.phase = Phase::Paused {
                left: self.left(now),
            };
        }
    }

    /// The top that 30 s more would take a timer's countdown past, if any. Holds are left to
    /// [`Run::past_top`]: an `Extend` in a log written before holds had tops must replay as
    /// it applied then.
    pub fn top_in_the_way(&self, now: Timestamp) -> Option<Duration> {
        let (i, _) = self.piece_at(self.position(now));
        self.slots.get(i).filter(|s| s.piece == Piece::Countdown)?;
        self.past_top(now)
    }

    /// The top that 30 s more would take the piece under way past, a timer's or a ranged
    /// hold's, if any: the guide asks before going there.
    pub fn past_top(&self, now: Timestamp) -> Option<Duration> {
        let (i, _) = self.piece_at(self.position(now));
        let slot = self.slots.get(i)?;
        slot.top.filter(|top| slot.len + NUDGE > *top)
    }

    /// Skips the hold under way, or the one a gap gets ready for, with the rest of that gap:
    /// the next gap starts now. Returns the hold and side skipped; `None` outside holds.
    pub fn skip_hold(&mut self, now: Timestamp) -> Option<(usize, Option<usize>)> {
        let pos = self.position(now);
        self.reached = pos;
        let (i, start) = self.piece_at(pos);
        let (hold, side, gap) = match self.slots.get(i)?.piece {
            Piece::Countdown => return None,
            Piece::Gap { hold, side } => (hold, side, true),
            Piece::Hold { hold, side } => (hold, side, false),
        };
        if let Some(slot) = self.slots.get_mut(i) {
            slot.len = pos.saturating_sub(start);
            slot.skipped |= !gap;
        }
        if gap && let Some(held) = self.slots.get_mut(i + 1) {
            held.len = Duration::ZERO;
            held.skipped = true;
        }
        self.keep_position(pos, now);
        Some((hold, side))
    }

    /// Lengthens (or shortens) the piece under way; never below what has already passed.
    pub fn nudge(&mut self, now: Timestamp, longer: bool) {
        let pos = self.position(now);
        self.reached = pos;
        let (i, start) = self.piece_at(pos);
        if let Some(slot) = self.slots.get_mut(i) {
            let elapsed = pos.saturating_sub(start);
            slot.len = if longer {
                slot.len + NUDGE
            } else {
                slot.len.saturating_sub(NUDGE).max(elapsed)
            };
            // The minimum itself stays: clamping it here lowered it for good, so a shorten
            // then an extend let Enter finish a range before its real minimum.
        }
        self.keep_position(pos, now);
    }

    /// Ends the piece under way now (a gap, or a range past its minimum).
    pub fn cut(&mut self, now: Timestamp) {
        let pos = self.position(now);
        self.reached = pos;
        let (i, start) = self.piece_at(pos);
        if let Some(slot) = self.slots.get_mut(i) {
            slot.len = pos.saturating_sub(start);
        }
        self.keep_position(pos, now);
    }

    /// After the track's length changed, moves the deadline (or time left) so that the
    /// position stays where it was.
    fn keep_position(&mut self, pos: Duration, now: Timestamp) {
        let left = self.total().saturating_sub(pos);
        self.phase = match self.phase {
            Phase::Running { .. } => Phase::Running {
                ends_at: after(now, left),
            },
            Phase::Paused { .. } => Phase::Paused { left },
            other => other,
        };
    }
}

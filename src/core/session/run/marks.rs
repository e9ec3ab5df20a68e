//! The marks of a timer's track: the moments something is said (a hold begins, a cue, a
//! minimum, a top, the end), each fired once as time reaches it.
use std::time::Duration;

use super::{Phase, Piece, Run};
use crate::core::session::Timestamp;
use crate::core::session::time::before;

/// A moment on the track where something happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mark {
    /// A gap or a hold begins.
    Begin(usize),
    /// A cue of the countdown.
    Cue(usize, usize),
    /// A ranged countdown or hold reaches its minimum.
    Minimum(usize),
    /// A `hard_max` countdown reaches its top: time to get out.
    Top(usize),
    /// The last piece ends: the timer has run out.
    End,
}

impl Run {
    /// Every mark at or before `now` not yet fired, in order; marks them fired.
    pub fn advance(&mut self, now: Timestamp) -> Vec<Mark> {
        if matches!(self.phase, Phase::Ready) {
            return Vec::new();
        }
        let pos = self.position(now);
        self.reached = pos;
        // Most wakes (once a second while a countdown runs) find nothing due: say so without
        // listing and sorting the marks.
        let mut any = false;
        self.each_mark(|at, m| any |= at <= pos && !self.fired.contains(&m));
        if !any {
            return Vec::new();
        }
        let due: Vec<Mark> = self
            .marks()
            .into_iter()
            .filter(|(at, m)| *at <= pos && !self.fired.contains(m))
            .map(|(_, m)| m)
            .collect();
        self.fired.extend(due.iter().copied());
        if due.contains(&Mark::End) {
            self.phase = Phase::Finished;
        }
        due
    }

    /// When the next mark falls, while running. A mark already due but not yet fired comes
    /// back as it is, in the past, so the shell wakes at once: looking only from `now` on
    /// would skip an overdue cue until the mark after it. (Right after `advance`, every
    /// unfired mark lies ahead, so this is never a busy loop.)
    pub fn next_deadline(&self, _now: Timestamp) -> Option<Timestamp> {
        let Phase::Running { ends_at } = self.phase else {
            return None;
        };
        let total = self.total();
        // The first unfired mark in `marks`' order is the least unfired one: found without
        // listing and sorting them (this runs more than once a wake).
        let mut next: Option<(Duration, Mark)> = None;
        self.each_mark(|at, m| {
            if !self.fired.contains(&m) && next.is_none_or(|n| (at, m) < n) {
                next = Some((at, m));
            }
        });
        next.map(|(at, _)| before(ends_at, total.saturating_sub(at)))
    }

    /// Every mark of the track with its position, in order. Only marks the runner hears of
    /// are kept: a countdown's begin (Start already says so) would fire silently, and a
    /// silent mark is state no fact reports. A refused event undoes its
    /// catching up when that reported nothing, which would leave such a mark due but unfired
    /// and `next_deadline` pointing at the past.
    fn marks(&self) -> Vec<(Duration, Mark)> {
        let mut marks = Vec::new();
        self.each_mark(|at, m| marks.push((at, m)));
        marks.sort();
        marks
    }

    /// Calls `f` with every mark of [`Run::marks`] and its position, in track order rather
    /// than sorted.
    fn each_mark(&self, mut f: impl FnMut(Duration, Mark)) {
        let mut start = Duration::ZERO;
        for (i, s) in self.slots.iter().enumerate() {
            if s.skipped {
                // Skipped before it began, or cut short where it stood: nothing more of it.
                if s.len.is_zero() {
                    continue;
                }
            } else if s.piece != Piece::Countdown {
                f(start, Mark::Begin(i));
            }
            match (s.min(), s.piece) {
                (Some(min), Piece::Countdown) => f(start + min, Mark::Minimum(i)),
                // A hold's minimum is said only when there is time left to hold on for.
                (Some(min), Piece::Hold { .. }) if min < s.len && !s.skipped => {
                    f(start + min, Mark::Minimum(i));
                }
                _ => {}
            }
            if let Some(top) = s.top.filter(|top| self.hard_max && *top <= s.len) {
                f(start + top, Mark::Top(i));
            }
            if s.piece == Piece::Countdown {
                for (c, cue) in self.cues.iter().enumerate() {
                    if cue.at <= s.len {
                        f(start + cue.at, Mark::Cue(i, c));
                    }
                }
            }
            start += s.len;
        }
        f(start, Mark::End);
    }

    /// The piece a mark belongs to.
    pub fn piece(&self, i: usize) -> Option<Piece> {
        self.slots.get(i).map(|s| s.piece)
    }

    /// The text of a cue.
    pub fn cue_text(&self, c: usize) -> Option<&str> {
        self.cues.get(c).map(|c| c.say.as_str())
    }
}

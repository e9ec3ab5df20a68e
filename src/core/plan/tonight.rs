//! The evening a run leaves: which bedtime the day runs to, what can no longer be done before
//! it, and the windows that clash with it or with each other. A run that ends in the evening
//! or after bedtime plans tonight, never tomorrow.
use std::time::Duration;

use chrono::{NaiveTime, TimeZone};

use super::Times;
use crate::core::clock::bedtime_after;
use crate::core::protocol::{Protocol, Window};
use crate::core::session::{Session, StepState, Timestamp, delta};

/// A run this long after the bedtime clock time is a late night, not an early morning: the
/// runner has not slept yet, so tonight's bed is still to come (a run at 23:10 with bedtime
/// 22:30 sleeps that night, not 23 hours later). Past it, the run starts a new day.
pub const LATE_FOR: Duration = Duration::from_secs(6 * 3600);

/// When the night of a late run begins at the earliest, after the run: time to cool down.
const LATE_AT_LEAST: Duration = Duration::from_secs(30 * 60);

/// The night after a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Night {
    /// When the day's steps must be done by, and sleep comes.
    pub bedtime: Timestamp,
    /// The run ended after bedtime: sleep comes once the steps that follow a run at once
    /// are done, and the evening's steps are too late.
    pub late: bool,
}

/// The night after a run that finished at `finished`, for bedtime clock time `bed` in `tz`:
/// the next `bed` after the run; but for a run within [`LATE_FOR`] after a `bed`, or so
/// close before one that the steps a routine says to do at once (its required "within"
/// windows) would not fit, a late night whose bedtime is the end of the latest of those
/// windows, and at least [`LATE_AT_LEAST`] after the run.
pub fn night<Tz: TimeZone>(
    protocol: &Protocol,
    finished: Timestamp,
    bed: NaiveTime,
    tz: &Tz,
) -> Night {
    let at_once = protocol
        .steps
        .iter()
        .filter(|s| !s.optional)
        .filter_map(|s| match s.window {
            Some(Window::Within(by)) => Some(by.max),
            _ => None,
        })
        .max()
        .unwrap_or_default()
        .max(LATE_AT_LEAST);
    let next = bedtime_after(finished, bed, tz);
    let passed = bedtime_after(finished - delta(LATE_FOR), bed, tz);
    // Bed still ahead with room for what follows a run at once: an ordinary night.
    if passed > finished && next - finished >= delta(at_once) {
        return Night {
            bedtime: next,
            late: false,
        };
    }
    // Bed has passed, or comes before even the first steps could be done: a late night.
    Night {
        bedtime: finished + delta(at_once),
        late: true,
    }
}

/// Why a step cannot be done tonight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TooLate {
    /// Its window closed before the run ended, or closes before it could be done.
    Closes(Timestamp),
    /// It opens too close to bedtime, or after it, to be done before bed.
    OpensAt(Timestamp),
    /// An optional step on a late night, which is for what follows a run at once.
    LateNight,
}

/// Whether a step with `times`, taking `takes`, still fits between the run's end and bedtime.
/// A window at one moment (sleep at bedtime) always fits.
pub fn too_late(
    times: &Times,
    takes: Duration,
    finished: Timestamp,
    bedtime: Timestamp,
) -> Option<TooLate> {
    if times.start == times.end {
        return None;
    }
    let from = times.start.max(finished);
    let done = from + delta(takes);
    if times.end <= finished || done > times.end {
        return Some(TooLate::Closes(times.end));
    }
    (done > bedtime).then_some(TooLate::OpensAt(times.start))
}

/// A window that does not sit well in the evening.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clash {
    /// A window runs past bedtime: `step` closes at `end`.
    PastBed {
        /// The step (index in the protocol).
        step: usize,
    },
    /// A before-bed window closes before an after-run one can be done (the Epsom bath at
    /// 21:00-21:30 before the meal from 21:37): the evening's steps come after the run's.
    Before {
        /// The before-bed step.
        step: usize,
        /// The after-run step it comes before.
        first: usize,
    },
}

/// The clashes among the kept windows, `(step, times)`.
pub fn clashes(protocol: &Protocol, kept: &[(usize, Times)], bedtime: Timestamp) -> Vec<Clash> {
    let mut found = Vec::new();
    for &(step, t) in kept {
        if t.start != t.end && t.end > bedtime {
            found.push(Clash::PastBed { step });
        }
    }
    for &(step, t) in kept {
        if !matches!(protocol.steps[step].window, Some(Window::BeforeBed { .. })) {
            continue;
        }
        // It comes first if its window closes before the earlier step can be done.
        let first = kept.iter().find(|&&(other, o)| {
            other != step
                && matches!(protocol.steps[other].window, Some(Window::After { .. }))
                && t.end < o.start + delta(protocol.steps[other].takes())
        });
        if let Some(&(first, _)) = first {
            found.push(Clash::Before { step, first });
        }
    }
    found
}

/// The clashes of a session's day as it stands: its kept windows against its bedtime.
pub fn of_session(session: &Session) -> Vec<Clash> {
    let kept: Vec<(usize, Times)> = session
        .protocol
        .steps
        .iter()
        .zip(session.states())
        .enumerate()
        .filter(|(_, (_, state))| **state != StepState::Skipped)
        .filter_map(|(i, (step, _))| {
            let w = step.window?;
            Some((i, super::times(&w, session.finished_at, session.bedtime)))
        })
        .collect();
    clashes(&session.protocol, &kept, session.bedtime)
}

#[cfg(test)]
mod tests;

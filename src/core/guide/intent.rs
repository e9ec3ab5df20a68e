//! What the runner means, and the questions the guide can ask.
use std::time::Duration;

use crate::core::session::{Piece, Timestamp};

/// What the runner means, whatever key or line said it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// Start the timer, tick the step off, finish a range early, or make the selected step
    /// current.
    Go,
    /// Pause or resume.
    PauseResume,
    /// Skip the current step.
    Skip,
    /// Skip the hold (or side) under way, or the one about to start.
    SkipHold,
    /// Yes, in a question.
    Yes,
    /// No, or close an overlay.
    Back,
    /// Undo the last step change.
    Undo,
    /// The row above.
    Up,
    /// The row below.
    Down,
    /// Row `n` (from 0), then [`Intent::Go`]: the plain guide's step numbers.
    Pick(usize),
    /// 30 s more.
    More,
    /// 30 s less.
    Less,
    /// The keys.
    Help,
    /// Everything the protocol says of the step under the cursor.
    Details,
    /// Leave; the session is saved.
    Quit,
    /// Stop for now (Ctrl-Z) and carry on when resumed.
    Suspend,
    /// Change the day: when the run finished, bedtime, the budget.
    ChangeDay(super::DayChange),
}

/// A question or a window over the guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    /// The keys.
    Help,
    /// A step's card ([`super::card`]), scrolled down by `scroll` lines.
    Details {
        /// The step.
        step: usize,
        /// Lines scrolled past.
        scroll: u16,
    },
    /// "Skip a required step?"
    ConfirmSkip,
    /// "Sleep opens at 22:30: mark it done now?": ticking off a step before its window.
    ConfirmEarly {
        /// The step.
        step: usize,
        /// When its window opens.
        opens: Timestamp,
    },
    /// "Past the timer's top: add 30 s anyway?", and why not.
    ConfirmExtend {
        /// The top of the timer's (or the hold's) length.
        top: Duration,
        /// The piece it was asked for: once that piece is over, the question is moot.
        piece: Piece,
    },
}

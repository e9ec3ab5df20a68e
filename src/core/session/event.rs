//! What happens to a session: the events that change it, the facts it reports, and the
//! reasons it refuses an event.
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Something the runner (or time) does to the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// Start the active step's timer.
    Start,
    /// Pause the running timer.
    Pause,
    /// Resume the paused timer.
    Resume,
    /// Add 30 s to the countdown under way, but not past a timer's top.
    Extend,
    /// Add 30 s even past the timer's top: the runner confirmed.
    ExtendPastTop,
    /// Take 30 s off the countdown under way.
    Shorten,
    /// Mark the active step done; on a timer past its minimum, finish it early.
    Complete,
    /// Skip the active step; a required step needs `confirmed`.
    Skip {
        /// The runner confirmed skipping a required step.
        confirmed: bool,
    },
    /// Make another step the active one.
    Select {
        /// Its index.
        step: usize,
    },
    /// Undo the last step change the runner made (a done or a skip).
    Undo,
    /// Skip the hold (or side) under way, or the one a gap gets ready for: an injured leg, a
    /// stretch that hurts. The step goes on with the next.
    SkipHold,
    /// Time has passed: fire what fell due.
    Wake,
    /// The runner changed the day: when the run finished, bedtime or the budget. The steps
    /// the day's plan now drops come with it, so a replay needs no planner.
    Reschedule(Box<Reschedule>),
    /// The value a step asks for, as the runner gave it once the step ended: a number as
    /// written (`12.5`), in the step's unit.
    Value {
        /// The step.
        step: usize,
        /// The number.
        value: String,
    },
}

impl Event {
    /// Whether the event acts on the active step (rather than on time, another step or the
    /// history of changes).
    pub(super) fn is_for_active_step(&self) -> bool {
        !matches!(
            self,
            Event::Wake
                | Event::Select { .. }
                | Event::Undo
                | Event::Reschedule(_)
                | Event::Value { .. }
        )
    }
}

/// A changed day, as [`Event::Reschedule`] records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reschedule {
    /// When the run finished.
    pub finished_at: super::Timestamp,
    /// Bedtime.
    pub bedtime: super::Timestamp,
    /// The run ended after bedtime: a short night.
    #[serde(default)]
    pub late: bool,
    /// The budget, in seconds.
    #[serde(default)]
    pub budget_s: Option<u64>,
    /// The steps the plan drops now (the budget had no room, or too late tonight).
    #[serde(default)]
    pub dropped: Vec<usize>,
    /// Those of them too late tonight.
    #[serde(default)]
    pub too_late: Vec<usize>,
}

/// What happened, for the shell to show, ring and hook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Fact {
    /// A timer started.
    TimerStarted {
        /// The step.
        step: usize,
    },
    /// The timer paused.
    Paused {
        /// The step.
        step: usize,
    },
    /// The timer resumed.
    Resumed {
        /// The step.
        step: usize,
    },
    /// The countdown under way was lengthened or shortened.
    Nudged {
        /// The step.
        step: usize,
        /// Longer (true) or shorter.
        longer: bool,
    },
    /// Get into position for a hold (and side).
    GetReady {
        /// The step.
        step: usize,
        /// The hold about to start.
        hold: usize,
        /// Its side.
        side: Option<usize>,
        /// Whether this is a switch to another side of the same hold.
        switch: bool,
    },
    /// A hold (on a side) began.
    HoldStarted {
        /// The step.
        step: usize,
        /// The hold.
        hold: usize,
        /// Its side.
        side: Option<usize>,
    },
    /// A cue of the countdown.
    Cue {
        /// The step.
        step: usize,
        /// What to say.
        text: String,
    },
    /// A range reached its minimum: the step may be finished early from here.
    MinimumReached {
        /// The step.
        step: usize,
    },
    /// A ranged hold (on a side) reached its minimum: Enter may end it from here.
    HoldMinimum {
        /// The step.
        step: usize,
        /// The hold.
        hold: usize,
        /// Its side.
        side: Option<usize>,
    },
    /// The runner skipped a hold (on a side).
    HoldSkipped {
        /// The step.
        step: usize,
        /// The hold.
        hold: usize,
        /// Its side.
        side: Option<usize>,
    },
    /// A `hard_max` timer reached its top: time to get out.
    TopReached {
        /// The step.
        step: usize,
    },
    /// The timer ran out.
    TimerFinished {
        /// The step.
        step: usize,
    },
    /// A step was done.
    StepDone {
        /// The step.
        step: usize,
    },
    /// A step was skipped.
    StepSkipped {
        /// The step.
        step: usize,
    },
    /// A step became the active one.
    StepActive {
        /// The step.
        step: usize,
    },
    /// The runner undid a step change.
    Undone {
        /// The step that is active again.
        step: usize,
    },
    /// Every step is done or skipped.
    AllDone,
    /// The value a step asks for was given.
    ValueNoted {
        /// The step.
        step: usize,
        /// The value, in tenths of its unit.
        tenths: i64,
    },
    /// The day was changed (finish, bedtime or budget); `dropped` are steps it newly drops,
    /// `restored` those it gives back.
    DayChanged {
        /// Newly dropped.
        dropped: Vec<usize>,
        /// Given back.
        restored: Vec<usize>,
    },
}

/// Why an event does not apply now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Every step is done or skipped.
    #[error("the routine is finished")]
    Finished,
    /// The step has no timer.
    #[error("{0} has no timer")]
    NoTimer(String),
    /// The step has no holds to skip one of.
    #[error("{0} has no holds; s skips the whole step")]
    NoHolds(String),
    /// Taking 30 s off would end the piece under way, and spill into what comes next.
    #[error("{what} has only {} left; nothing to take off", crate::core::protocol::Short(*left))]
    NothingToTakeOff {
        /// What is counting.
        what: String,
        /// Its time left.
        left: Duration,
    },
    /// The timer already runs.
    #[error("the timer is already running")]
    Running,
    /// The timer is not running.
    #[error("the timer is not running")]
    NotRunning,
    /// The timer is not paused.
    #[error("the timer is not paused")]
    NotPaused,
    /// The timer has not started.
    #[error("start the timer first")]
    NotStarted,
    /// A range before its minimum, or a fixed countdown.
    #[error("{what} can end in {}", crate::core::protocol::Short(*left))]
    TooEarly {
        /// What is counting.
        what: String,
        /// Until it may be finished.
        left: Duration,
    },
    /// A required step needs confirmation to skip.
    #[error("{0} is not optional; confirm to skip it")]
    Required(String),
    /// No such step.
    #[error("there is no step {0}")]
    NoStep(usize),
    /// The step is done.
    #[error("{0} is already done")]
    AlreadyDone(String),
    /// The step is already the active one.
    #[error("{0} is already the current step")]
    AlreadyActive(String),
    /// Switching away would lose the timer under way.
    #[error("{0} has its timer under way; finish or skip it first")]
    TimerUnderWay(String),
    /// The step asks for no value, or this one is no number.
    #[error("{0}")]
    NoValue(String),
    /// Nothing to undo.
    #[error("nothing to undo")]
    NothingToUndo,
    /// 30 s more would pass the timer's top; the runner must confirm.
    #[error("{title} tops out at {}; going longer is not advised. Confirm to add 30 s anyway", crate::core::protocol::Short(*top))]
    PastTop {
        /// The step.
        title: String,
        /// The top of its length.
        top: Duration,
    },
    /// The daily limit is reached.
    #[error("{title} is limited to {limit} times a day, and today's are used")]
    DailyLimit {
        /// The step.
        title: String,
        /// Its limit.
        limit: u32,
    },
}

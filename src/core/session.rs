//! The session: one day's routine as a pure state machine. It knows the time only when told:
//! every change goes through [`Session::apply`] with the moment it happens.
mod budget;
mod event;
mod run;
mod time;
mod timing;
mod uses;
mod values;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::core::protocol::{Activity, Protocol, Step};

pub use event::{Event, Fact, Refusal, Reschedule};
pub use run::{Mark, NUDGE, Phase, Piece, Run};
pub use time::{NIGHT, delta, mmss, open_until, shown_seconds, span, to_next_second};

/// Wall time in UTC: deadlines survive restarts and a laptop's sleep, unlike `Instant`.
pub type Timestamp = DateTime<Utc>;

/// How long after the run a session stays open at most.
pub const OPEN_FOR: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    /// Still to come.
    Pending,
    /// The one being done now.
    Active,
    /// Done.
    Done,
    /// Skipped.
    Skipped,
}

/// What undo restores: the step states, the active step's timer and the uses before a change.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Before {
    states: Vec<StepState>,
    run: Option<Run>,
    uses: Vec<Vec<Timestamp>>,
}

/// One day's routine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The protocol as it was when the session began: editing the file later changes nothing.
    /// Shared, because the shell copies the session on every event to keep it unchanged when
    /// a write fails, and the protocol (every step's text) never changes.
    pub protocol: Arc<Protocol>,
    /// When the run finished.
    pub finished_at: Timestamp,
    /// Bedtime, as a moment after the finish.
    pub bedtime: Timestamp,
    states: Vec<StepState>,
    run: Option<Run>,
    undo: Vec<Before>,
    /// When each step was marked done, each time: a step with a daily limit may be done
    /// again, up to its limit.
    uses: Vec<Vec<Timestamp>>,
    /// Uses of daily-limited steps today, by step id, this session's own and other
    /// sessions'. The guide sets it; replaying a log leaves it empty, so a replay never
    /// refuses what was once allowed.
    pub used_today: BTreeMap<String, u32>,
    /// Steps the planner dropped (the budget had no room, or too late tonight), to be called
    /// "dropped" rather than "skipped", until the runner takes one up.
    pub dropped: Vec<usize>,
    /// Those of them too late tonight (an evening run).
    pub too_late: Vec<usize>,
    /// The budget the day was planned with.
    pub budget: Option<std::time::Duration>,
    /// The run ended after bedtime: a short night.
    pub late: bool,
    /// The run as the watch recorded it, when the day was planned from an activity file.
    pub recorded: Option<crate::core::watch::Run>,
    /// The values steps asked for, as given: (step, value in tenths), in order.
    values: Vec<(usize, i64)>,
}

impl Session {
    /// A new session: the first step is active.
    pub fn new(protocol: Protocol, finished_at: Timestamp, bedtime: Timestamp) -> Session {
        let protocol_len = protocol.steps.len();
        let mut states = vec![StepState::Pending; protocol_len];
        let run = protocol.steps.first().and_then(Run::for_step);
        if let Some(first) = states.first_mut() {
            *first = StepState::Active;
        }
        Session {
            protocol: Arc::new(protocol),
            finished_at,
            bedtime,
            states,
            run,
            undo: Vec::new(),
            uses: vec![Vec::new(); protocol_len],
            used_today: BTreeMap::new(),
            dropped: Vec::new(),
            too_late: Vec::new(),
            budget: None,
            late: false,
            recorded: None,
            values: Vec::new(),
        }
    }

    /// Each step's state, in protocol order.
    pub fn states(&self) -> &[StepState] {
        &self.states
    }

    /// The active step's index, if any step is active.
    pub fn active(&self) -> Option<usize> {
        self.states.iter().position(|s| *s == StepState::Active)
    }

    /// The active step.
    pub fn active_step(&self) -> Option<&Step> {
        self.active().and_then(|i| self.protocol.steps.get(i))
    }

    /// The active step's timer, if it has one.
    pub fn run(&self) -> Option<&Run> {
        self.run.as_ref()
    }

    /// Whether there is a step change to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether every step is done or skipped.
    pub fn is_complete(&self) -> bool {
        self.states
            .iter()
            .all(|s| matches!(s, StepState::Done | StepState::Skipped))
    }

    /// How many steps are done.
    pub fn done_count(&self) -> usize {
        self.states
            .iter()
            .filter(|s| **s == StepState::Done)
            .count()
    }

    /// When anything next changes by itself (a cue, a hold, a timer's end); `None` while
    /// nothing runs, so the shell can sleep until input.
    pub fn next_deadline(&self, now: Timestamp) -> Option<Timestamp> {
        self.run.as_ref().and_then(|r| r.next_deadline(now))
    }

    /// Whether a Wake at `now` would report anything: a mark of the running timer has
    /// fallen due. When not, a Wake only moves the timer's high-water mark.
    pub fn due(&self, now: Timestamp) -> bool {
        self.next_deadline(now).is_some_and(|d| d <= now)
    }

    /// Applies an event at `now`: the only way a session changes. Returns what happened, or
    /// why the event does not apply (leaving the session as it was).
    pub fn apply(&mut self, event: Event, now: Timestamp) -> Result<Vec<Fact>, Refusal> {
        // Catching up moves the timer's high-water mark and fires silent marks even when it
        // reports nothing. A refused event is not logged, so it must leave no such trace: a
        // replay without it would otherwise differ once the clock is set back.
        // A Wake is never refused, so it needs no copy to go back to (it runs every second).
        let run_before = if event == Event::Wake {
            None
        } else {
            self.run.clone()
        };
        let active_before = self.active();
        // Time first: whatever fell due before this event happened before it.
        let mut facts = self.catch_up(now);
        let result = match event {
            Event::Wake => Ok(Vec::new()),
            // A finished routine still takes Undo: a mis-pressed last Enter or skip must be
            // reversible.
            Event::Undo => self.undo(),
            // A value is asked once its step is over, often the last one.
            Event::Value { step, value } => self.note_value(step, &value),
            _ if self.is_complete() => Err(Refusal::Finished),
            // The step this event was meant for has just ended by itself (the shell had not
            // woken for it, e.g. after a laptop's sleep): a late Enter or `s` meant for the
            // ice bath must not also tick off or skip the step after it.
            _ if event.is_for_active_step() && self.active() != active_before => Ok(Vec::new()),
            Event::Start => self.start(now),
            Event::Pause => self.pause(now),
            Event::Resume => self.resume(now),
            Event::Extend => self.extend(now, false),
            Event::ExtendPastTop => self.extend(now, true),
            Event::Shorten => self.nudge(now, false),
            Event::Complete => self.complete(now),
            Event::Skip { confirmed } => self.skip(confirmed, now),
            Event::Select { step } => self.select(step),
            Event::Reschedule(day) => Ok(self.reschedule(*day)),
            Event::SkipHold => self.skip_hold(now),
        };
        match result {
            Ok(more) => {
                facts.extend(more);
                facts.extend(self.catch_up(now));
                Ok(facts)
            }
            // What time did is kept: catching up is not part of the refused event.
            Err(refusal) if facts.is_empty() => {
                self.run = run_before;
                Err(refusal)
            }
            Err(_) => Ok(facts),
        }
    }

    fn active_or_finished(&self) -> Result<usize, Refusal> {
        self.active().ok_or(Refusal::Finished)
    }

    fn title(&self, i: usize) -> String {
        self.protocol
            .steps
            .get(i)
            .map(|s| s.title.clone())
            .unwrap_or_default()
    }

    fn complete(&mut self, now: Timestamp) -> Result<Vec<Fact>, Refusal> {
        let i = self.active_or_finished()?;
        self.check_limit(i)?;
        // "Quadriceps, left leg can end in 10s": the hold under way, not the whole stretch.
        let title = self.piece_title(now);
        let Some(run) = self.run.as_mut() else {
            self.remember();
            return Ok(self.close_active(StepState::Done, now));
        };
        match run.phase {
            // A timed step is done by running its timer (Enter starts it): marking it done
            // unstarted would slip past the minimum a running timer enforces.
            Phase::Ready => Err(Refusal::NotStarted),
            // Only after undoing a timer that ran out: Enter marks the step done again.
            Phase::Finished => {
                self.remember();
                Ok(self.close_active(StepState::Done, now))
            }
            Phase::Running { .. } | Phase::Paused { .. } => {
                // Enter on a running timer ends the piece under way early, where allowed.
                if let Err(left) = run.may_finish_early(now) {
                    return Err(Refusal::TooEarly { what: title, left });
                }
                let before = run.clone();
                run.cut(now);
                if !run.left(now).is_zero() {
                    // A gap or a hold ended early; the sequence goes on.
                    return Ok(Vec::new());
                }
                // The last piece ended: the step is done now. This is the runner's change, so
                // undo must bring back the timer as it was before the cut; without this entry
                // undo skipped over it and reverted an older change along with it.
                self.undo.push(Before {
                    states: self.states.clone(),
                    run: Some(before),
                    uses: self.uses.clone(),
                });
                Ok(self.fire(now, false))
            }
        }
    }

    fn skip(&mut self, confirmed: bool, now: Timestamp) -> Result<Vec<Fact>, Refusal> {
        let i = self.active_or_finished()?;
        let step = &self.protocol.steps[i];
        // A step done before and taken up again (a daily one) was already done: skipping
        // this use needs no confirming.
        if !step.optional && !confirmed && self.uses[i].is_empty() {
            return Err(Refusal::Required(step.title.clone()));
        }
        self.remember();
        Ok(self.close_active(StepState::Skipped, now))
    }

    fn select(&mut self, step: usize) -> Result<Vec<Fact>, Refusal> {
        let Some(state) = self.states.get(step).copied() else {
            return Err(Refusal::NoStep(step));
        };
        match state {
            // A step with a daily limit may be done again, up to its limit: each use counts.
            StepState::Done if self.protocol.steps[step].daily_limit.is_some() => {
                self.check_limit(step)?;
            }
            StepState::Done => return Err(Refusal::AlreadyDone(self.title(step))),
            StepState::Active => return Err(Refusal::AlreadyActive(self.title(step))),
            StepState::Pending | StepState::Skipped => {}
        }
        if let Some(current) = self.active() {
            if self.run.as_ref().is_some_and(|r| r.phase != Phase::Ready) {
                return Err(Refusal::TimerUnderWay(self.title(current)));
            }
            self.states[current] = self.resting(current);
        }
        Ok(self.activate(step))
    }

    /// Where a step left without being finished stands: done if it was done before (a daily
    /// step taken up again), else still to come.
    fn resting(&self, step: usize) -> StepState {
        if self.uses.get(step).is_some_and(|u| !u.is_empty()) {
            StepState::Done
        } else {
            StepState::Pending
        }
    }

    fn undo(&mut self) -> Result<Vec<Fact>, Refusal> {
        let before = self.undo.pop().ok_or(Refusal::NothingToUndo)?;
        self.states = before.states;
        self.run = before.run;
        self.uses = before.uses;
        let step = self.active().unwrap_or_default();
        Ok(vec![Fact::Undone { step }])
    }

    fn check_limit(&self, i: usize) -> Result<(), Refusal> {
        let step = &self.protocol.steps[i];
        match step.daily_limit {
            Some(limit) if self.used_today.get(&step.id).copied().unwrap_or(0) >= limit => {
                Err(Refusal::DailyLimit {
                    title: step.title.clone(),
                    limit,
                })
            }
            _ => Ok(()),
        }
    }

    fn remember(&mut self) {
        self.undo.push(Before {
            states: self.states.clone(),
            run: self.run.clone(),
            uses: self.uses.clone(),
        });
    }

    /// Ends the active step as done or skipped at `now` and activates the next pending one.
    fn close_active(&mut self, to: StepState, now: Timestamp) -> Vec<Fact> {
        let Some(i) = self.active() else {
            return Vec::new();
        };
        self.states[i] = match to {
            StepState::Done => {
                if let Some(uses) = self.uses.get_mut(i) {
                    uses.push(now);
                }
                StepState::Done
            }
            // Skipping a daily step taken up again leaves it done, as it was.
            _ if self.resting(i) == StepState::Done => StepState::Done,
            other => other,
        };
        self.run = None;
        let mut facts = vec![match to {
            StepState::Skipped => Fact::StepSkipped { step: i },
            _ => Fact::StepDone { step: i },
        }];
        // The next pending step after this one, else the first still pending.
        let n = self.states.len();
        let next = (1..=n)
            .map(|k| (i + k) % n)
            .find(|&j| self.states[j] == StepState::Pending);
        match next {
            Some(j) => facts.extend(self.activate(j)),
            None if self.is_complete() => facts.push(Fact::AllDone),
            None => {}
        }
        facts
    }

    fn activate(&mut self, step: usize) -> Vec<Fact> {
        self.states[step] = StepState::Active;
        // Taken up: no longer the budget's to drop.
        self.dropped.retain(|&d| d != step);
        self.run = self.protocol.steps.get(step).and_then(Run::for_step);
        vec![Fact::StepActive { step }]
    }
}

/// Whether a step is timed.
pub fn is_timed(step: &Step) -> bool {
    !matches!(step.activity, Activity::Tick)
}

#[cfg(test)]
mod tests;

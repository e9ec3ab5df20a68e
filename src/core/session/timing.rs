//! A step's timer under the runner's hands and the clock's: start, pause, resume, longer or
//! shorter, and what fires as time passes.
use super::{Fact, Mark, NUDGE, Phase, Piece, Refusal, Run, Session, StepState, Timestamp};
use crate::core::protocol::Activity;

impl Session {
    pub(super) fn timer_mut(&mut self) -> Result<(usize, &mut Run), Refusal> {
        let i = self.active_or_finished()?;
        let title = self.title(i);
        self.run
            .as_mut()
            .map(|r| (i, r))
            .ok_or(Refusal::NoTimer(title))
    }

    pub(super) fn start(&mut self, now: Timestamp) -> Result<Vec<Fact>, Refusal> {
        let (step, run) = self.timer_mut()?;
        match run.phase {
            Phase::Ready => {
                // A timer that runs out marks its step done by itself, so a daily limit must
                // be checked here, not only on Complete.
                self.check_limit(step)?;
                if let Some(run) = self.run.as_mut() {
                    run.run(now);
                }
                Ok(vec![Fact::TimerStarted { step }])
            }
            Phase::Paused { .. } => self.resume(now),
            Phase::Running { .. } | Phase::Finished => Err(Refusal::Running),
        }
    }

    pub(super) fn pause(&mut self, now: Timestamp) -> Result<Vec<Fact>, Refusal> {
        let (step, run) = self.timer_mut()?;
        if !matches!(run.phase, Phase::Running { .. }) {
            return Err(Refusal::NotRunning);
        }
        run.pause(now);
        Ok(vec![Fact::Paused { step }])
    }

    pub(super) fn resume(&mut self, now: Timestamp) -> Result<Vec<Fact>, Refusal> {
        let (step, run) = self.timer_mut()?;
        if !matches!(run.phase, Phase::Paused { .. }) {
            return Err(Refusal::NotPaused);
        }
        run.run(now);
        Ok(vec![Fact::Resumed { step }])
    }

    /// 30 s more; past a ranged or `hard_max` timer's top only when the runner confirmed.
    pub(super) fn extend(&mut self, now: Timestamp, confirmed: bool) -> Result<Vec<Fact>, Refusal> {
        if !confirmed
            && let Some(run) = self.run.as_ref()
            && matches!(run.phase, Phase::Running { .. } | Phase::Paused { .. })
            && let Some(top) = run.top_in_the_way(now)
        {
            let title = self
                .active_step()
                .map(|s| s.title.clone())
                .unwrap_or_default();
            return Err(Refusal::PastTop { title, top });
        }
        self.nudge(now, true)
    }

    pub(super) fn nudge(&mut self, now: Timestamp, longer: bool) -> Result<Vec<Fact>, Refusal> {
        let (step, run) = self.timer_mut()?;
        match run.phase {
            // `+`/`-` move the countdown under way; before Start a `-` could otherwise cut a
            // timer to nothing without running it.
            Phase::Ready => return Err(Refusal::NotStarted),
            Phase::Finished => return Err(Refusal::NotRunning),
            Phase::Running { .. } | Phase::Paused { .. } => {}
        }
        run.nudge(now, longer);
        Ok(vec![Fact::Nudged { step, longer }])
    }

    /// Skips the hold under way, or the one its gap gets ready for.
    pub(super) fn skip_hold(&mut self, now: Timestamp) -> Result<Vec<Fact>, Refusal> {
        let (step, run) = self.timer_mut()?;
        match run.phase {
            Phase::Ready => return Err(Refusal::NotStarted),
            Phase::Finished => return Err(Refusal::NotRunning),
            Phase::Running { .. } | Phase::Paused { .. } => {}
        }
        let Some((hold, side)) = run.skip_hold(now) else {
            return Err(Refusal::NoHolds(self.title(step)));
        };
        Ok(vec![Fact::HoldSkipped { step, hold, side }])
    }

    /// Whether `-` may take 30 s off the piece under way: not when that would end it, which
    /// would start the next hold (or end the step) with words about "30 s less". A check for
    /// the guide, not a rule of `Shorten`: logs written before it must replay as they applied.
    pub fn may_shorten(&self, now: Timestamp) -> Result<(), Refusal> {
        let Some(run) = self.run.as_ref() else {
            return Ok(());
        };
        let left = run.piece_left(now);
        match run.phase {
            Phase::Running { .. } | Phase::Paused { .. } if left <= NUDGE => {
                Err(Refusal::NothingToTakeOff {
                    what: self.piece_title(now),
                    left,
                })
            }
            _ => Ok(()),
        }
    }

    /// Whether `+` may add 30 s without passing a top (a timer's, or a ranged hold's); the
    /// guide asks first when not. A check for the guide, for the reason [`Session::may_shorten`]
    /// gives.
    pub fn may_extend(&self, now: Timestamp) -> Result<(), Refusal> {
        match self.run.as_ref() {
            Some(run) if matches!(run.phase, Phase::Running { .. } | Phase::Paused { .. }) => {
                match run.past_top(now) {
                    Some(top) => Err(Refusal::PastTop {
                        title: self.piece_title(now),
                        top,
                    }),
                    None => Ok(()),
                }
            }
            _ => Ok(()),
        }
    }

    /// What counts down now, in the runner's words: the hold and side under way (or about to
    /// start), else the step's title.
    pub fn piece_title(&self, now: Timestamp) -> String {
        let step = self.active().unwrap_or_default();
        let title = self.title(step);
        let (Some(run), Some(Activity::Holds(h))) = (
            self.run.as_ref(),
            self.protocol.steps.get(step).map(|s| &s.activity),
        ) else {
            return title;
        };
        match run.current(now) {
            Piece::Gap { hold, side } | Piece::Hold { hold, side } => {
                h.name_of(hold, side).unwrap_or(title)
            }
            Piece::Countdown => title,
        }
    }

    /// Fires every mark that fell due by `now`; a timer that ran out marks its step done.
    pub(super) fn catch_up(&mut self, now: Timestamp) -> Vec<Fact> {
        self.fire(now, true)
    }

    /// Fires what fell due; when the timer ran out, closes its step, first remembering the
    /// step as it was (with its finished timer) if `remember`.
    pub(super) fn fire(&mut self, now: Timestamp, remember: bool) -> Vec<Fact> {
        let (Some(step), Some(run)) = (self.active(), self.run.as_mut()) else {
            return Vec::new();
        };
        let marks = run.advance(now);
        let mut facts = Vec::new();
        let mut finished = false;
        for mark in marks {
            match mark {
                Mark::Begin(p) => match run.piece(p) {
                    Some(Piece::Gap { hold, side }) => {
                        let switch = side.is_some_and(|s| s > 0);
                        facts.push(Fact::GetReady {
                            step,
                            hold,
                            side,
                            switch,
                        });
                    }
                    Some(Piece::Hold { hold, side }) => {
                        facts.push(Fact::HoldStarted { step, hold, side })
                    }
                    _ => {}
                },
                Mark::Cue(_, c) => {
                    let text = run.cue_text(c).unwrap_or_default().to_string();
                    facts.push(Fact::Cue { step, text });
                }
                Mark::Minimum(p) => match run.piece(p) {
                    Some(Piece::Hold { hold, side }) => {
                        facts.push(Fact::HoldMinimum { step, hold, side })
                    }
                    _ => facts.push(Fact::MinimumReached { step }),
                },
                Mark::Top(_) => facts.push(Fact::TopReached { step }),
                Mark::End => finished = true,
            }
        }
        if finished {
            facts.push(Fact::TimerFinished { step });
            // A step done by its timer is a step change like any other: without an entry of
            // its own, undo would revert the change before it and this one with it.
            if remember {
                self.remember();
            }
            facts.extend(self.close_active(StepState::Done, now));
        }
        facts
    }
}

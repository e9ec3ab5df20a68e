//! A session started with steps the planner dropped (the budget had no room for them, or they
//! are too late tonight): they begin skipped.
use super::{Fact, Phase, Reschedule, Run, Session, StepState};

impl Session {
    /// Marks the planner's dropped steps skipped before anything happens. Unknown indexes and
    /// anything already done are left alone; a dropped active step hands over to the next.
    pub fn drop_steps(&mut self, steps: &[usize]) {
        for &i in steps {
            if self.states.get(i) == Some(&StepState::Pending) {
                self.states[i] = StepState::Skipped;
                self.mark_dropped(i);
            }
        }
        if let Some(active) = self.active()
            && steps.contains(&active)
        {
            self.states[active] = StepState::Skipped;
            self.mark_dropped(active);
            let next = self.states.iter().position(|s| *s == StepState::Pending);
            self.run = None;
            if let Some(j) = next {
                self.states[j] = StepState::Active;
                self.run = self.protocol.steps.get(j).and_then(Run::for_step);
            }
        }
    }

    /// Whether step `i` stands skipped because the budget dropped it, not because the runner
    /// skipped it: "dropped", as `plan` says.
    pub fn is_dropped(&self, i: usize) -> bool {
        self.dropped.contains(&i) && self.states.get(i) == Some(&StepState::Skipped)
    }

    fn mark_dropped(&mut self, i: usize) {
        if !self.dropped.contains(&i) {
            self.dropped.push(i);
        }
    }
}

impl Session {
    /// A changed day: new times, and the plan's drops applied. A step the plan now drops is
    /// skipped if still to do; a step it dropped before and gives back is to do again, unless
    /// the runner has skipped or done it since. Done steps stay done.
    pub(super) fn reschedule(&mut self, day: Reschedule) -> Vec<Fact> {
        self.finished_at = day.finished_at;
        self.bedtime = day.bedtime;
        self.late = day.late;
        self.budget = day.budget_s.map(std::time::Duration::from_secs);
        let restored: Vec<usize> = self
            .dropped
            .iter()
            .copied()
            .filter(|i| !day.dropped.contains(i))
            .filter(|&i| self.states.get(i) == Some(&StepState::Skipped))
            .collect();
        for &i in &restored {
            self.states[i] = StepState::Pending;
        }
        // A step under way (its timer started) is the runner's to finish or skip.
        let under_way = self.run.as_ref().is_some_and(|r| r.phase != Phase::Ready);
        let dropped: Vec<usize> = day
            .dropped
            .iter()
            .copied()
            .filter(|&i| match self.states.get(i) {
                Some(StepState::Pending) => true,
                Some(StepState::Active) => !under_way,
                _ => false,
            })
            .collect();
        self.drop_steps(&dropped);
        // Nothing active (all was dropped, then some given back): the first to do.
        if self.active().is_none()
            && let Some(j) = self.states.iter().position(|s| *s == StepState::Pending)
        {
            self.states[j] = StepState::Active;
            self.run = self.protocol.steps.get(j).and_then(Run::for_step);
        }
        self.dropped = day
            .dropped
            .iter()
            .copied()
            .filter(|&i| self.states.get(i) == Some(&StepState::Skipped))
            .collect();
        self.too_late = day.too_late;
        let mut facts = vec![Fact::DayChanged { dropped, restored }];
        if self.is_complete() {
            facts.push(Fact::AllDone);
        }
        facts
    }
}

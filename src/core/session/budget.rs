//! A session started with a budget: the planner's dropped steps begin skipped.
use super::{Run, Session, StepState};

impl Session {
    /// Marks optional steps skipped before anything happens, as the budget planner dropped
    /// them. Required steps, unknown indexes and anything already under way are left alone.
    pub fn drop_steps(&mut self, steps: &[usize]) {
        for &i in steps {
            let optional = self.protocol.steps.get(i).is_some_and(|s| s.optional);
            if optional && self.states[i] == StepState::Pending {
                self.states[i] = StepState::Skipped;
                self.dropped[i] = true;
            }
        }
        if let Some(active) = self.active() {
            let optional = self.protocol.steps[active].optional;
            if optional && steps.contains(&active) {
                self.states[active] = StepState::Skipped;
                self.dropped[active] = true;
                let next = self.states.iter().position(|s| *s == StepState::Pending);
                self.run = None;
                if let Some(j) = next {
                    self.states[j] = StepState::Active;
                    self.run = self.protocol.steps.get(j).and_then(Run::for_step);
                }
            }
        }
    }

    /// Whether step `i` stands skipped because the budget dropped it, not because the runner
    /// skipped it: "dropped", as `plan` says.
    pub fn is_dropped(&self, i: usize) -> bool {
        self.dropped.get(i).copied().unwrap_or(false)
            && self.states.get(i) == Some(&StepState::Skipped)
    }
}

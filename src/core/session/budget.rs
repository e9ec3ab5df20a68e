//! A session started with steps the planner dropped (the budget had no room for them, or they
//! are too late tonight): they begin skipped.
use super::{Run, Session, StepState};

impl Session {
    /// Marks the planner's dropped steps skipped before anything happens. Unknown indexes and
    /// anything already done are left alone; a dropped active step hands over to the next.
    pub fn drop_steps(&mut self, steps: &[usize]) {
        for &i in steps {
            if self.states.get(i) == Some(&StepState::Pending) {
                self.states[i] = StepState::Skipped;
            }
        }
        if let Some(active) = self.active()
            && steps.contains(&active)
        {
            self.states[active] = StepState::Skipped;
            let next = self.states.iter().position(|s| *s == StepState::Pending);
            self.run = None;
            if let Some(j) = next {
                self.states[j] = StepState::Active;
                self.run = self.protocol.steps.get(j).and_then(Run::for_step);
            }
        }
    }
}

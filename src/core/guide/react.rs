//! What a fact does to the screen: a note, a bell, a flash, the cursor following.
use chrono::TimeDelta;

use super::{Guide, Said, narrate};
use crate::core::session::{Fact, Timestamp};

/// How long a flash shows.
const FLASH: TimeDelta = TimeDelta::milliseconds(600);

impl Guide {
    /// What a fact does to the screen: a note, a bell, a flash, the cursor following.
    pub(super) fn react(&mut self, fact: &Fact, now: Timestamp) {
        let sentence = || narrate::say(fact, &self.session, now);
        match fact {
            Fact::Cue { .. } | Fact::MinimumReached { .. } => {
                self.note = Some(sentence());
                self.ring(now, false);
            }
            Fact::HoldMinimum { .. } => {
                self.note = Some(sentence());
                self.ring(now, true);
            }
            Fact::GetReady { switch, .. } => {
                // The countdown's heading names the hold ahead and its place, in one line; a
                // note saying it again would be a second.
                self.note = None;
                self.ring(now, *switch);
            }
            Fact::HoldStarted { .. } => {
                // The countdown's heading names the hold and side; the bell says "go".
                self.note = None;
                self.ring(now, true);
            }
            Fact::TopReached { .. } => {
                // Loud: two bells and a flash, whatever the runner chose before.
                self.note = Some(sentence());
                self.ring(now, true);
                self.ring(now, true);
            }
            Fact::TimerFinished { step } => {
                // At a hard top, "time to get out" has just been said; let it stand.
                let top_said = matches!(
                    self.told.said.last(),
                    Some(Said::Fact(Fact::TopReached { step: s })) if s == step
                );
                if !top_said {
                    self.note = Some(sentence());
                    self.ring(now, true);
                }
            }
            Fact::StepActive { step } | Fact::Undone { step } => self.cursor = *step,
            Fact::AllDone => self.note = Some(sentence()),
            Fact::TimerStarted { .. }
            | Fact::Paused { .. }
            | Fact::Resumed { .. }
            | Fact::Nudged { .. }
            | Fact::HoldSkipped { .. } => {
                self.note = None;
            }
            Fact::StepDone { .. } | Fact::StepSkipped { .. } => {}
        }
        self.told.said.push(Said::Fact(fact.clone()));
    }

    pub(super) fn ring(&mut self, now: Timestamp, flash: bool) {
        if self.bell {
            self.told.bells += 1;
        }
        if flash {
            self.flash_until = Some(now + FLASH);
        }
    }
}

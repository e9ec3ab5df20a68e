//! What a fact does to the screen: a note, a bell, a flash, the cursor following.
use chrono::TimeDelta;

use super::note::{GET_OUT_STAYS, NEWS_STAYS};
use super::{Guide, Note, Said, While, narrate};
use crate::core::session::{Fact, Timestamp};

/// How long a flash shows.
const FLASH: TimeDelta = TimeDelta::milliseconds(600);

impl Guide {
    /// What a fact does to the screen: a note, a bell, a flash, the cursor following.
    pub(super) fn react(&mut self, fact: &Fact, now: Timestamp) {
        let sentence = || narrate::say(fact, &self.session, now);
        // A cue or a minimum holds while its countdown's piece runs on.
        let piece = |g: &Guide| {
            let run = g.session.run()?;
            Some(While::Piece(g.session.active()?, run.current(now)))
        };
        match fact {
            Fact::Cue { .. } | Fact::MinimumReached { .. } => {
                let holds = piece(self).unwrap_or(While::Until(now + NEWS_STAYS));
                self.say(Note::new(sentence(), holds, false), now);
                self.ring(now, false);
            }
            Fact::HoldMinimum { .. } => {
                let holds = piece(self).unwrap_or(While::Until(now + NEWS_STAYS));
                self.say(Note::new(sentence(), holds, false), now);
                self.ring(now, true);
            }
            Fact::GetReady { switch, .. } => {
                // The countdown's heading names the hold ahead and its place, in one line; a
                // note saying it again would be a second.
                self.hush(now);
                self.ring(now, *switch);
            }
            Fact::HoldStarted { .. } => {
                // The countdown's heading names the hold and side; the bell says "go".
                self.hush(now);
                self.ring(now, true);
            }
            Fact::TopReached { step } => {
                // Loud: two bells and a flash, whatever the runner chose before. It holds
                // while the step is current, and a little after: not on the steps after it.
                let holds = While::Step(*step, now + GET_OUT_STAYS);
                self.say(Note::new(sentence(), holds, false).urgent(), now);
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
                    let holds = While::Until(now + NEWS_STAYS);
                    self.say(Note::new(sentence(), holds, true), now);
                    self.ring(now, true);
                }
            }
            Fact::StepActive { step } | Fact::Undone { step } => self.cursor = *step,
            Fact::AllDone => self.say(Note::new(sentence(), While::Always, true), now),
            // What changed stays until the next key: the screen shows the new times anyway.
            Fact::DayChanged { .. } => self.say(Note::new(sentence(), While::Always, true), now),
            // A value outside the range is called out at once, and stays until the next key.
            Fact::ValueNoted { .. } => self.say(Note::new(sentence(), While::Always, true), now),
            Fact::TimerStarted { .. }
            | Fact::Paused { .. }
            | Fact::Resumed { .. }
            | Fact::Nudged { .. }
            | Fact::HoldSkipped { .. } => self.hush(now),
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

//! Windows opening: each step still to do is announced once as its window opens, with a
//! bell, and the loop wakes for the next.
use super::{Guide, Note, Said, While, narrate};
use crate::core::plan;
use crate::core::session::{StepState, Timestamp};

impl Guide {
    /// Steps still to do whose windows opened since the last look: each is said once.
    pub(super) fn openings(&mut self, now: Timestamp) {
        let seen = *self.seen.get_or_insert(now);
        let due: Vec<usize> = self
            .opens
            .iter()
            .copied()
            .filter(|(i, at)| *at > seen && *at <= now && self.to_do(*i))
            .map(|(i, _)| i)
            .collect();
        for step in due {
            let closes = self.session.protocol.steps.get(step).and_then(|s| s.window);
            let closes = closes.map_or(Timestamp::MAX_UTC, |w| {
                plan::times(&w, self.session.finished_at, self.session.bedtime).end
            });
            let text = narrate::due(&self.session, step, self.zone, self.hours);
            self.say(Note::new(text, While::Window(step, closes), true), now);
            self.told.said.push(Said::Due(step));
            self.ring(now, false);
        }
        self.seen = Some(seen.max(now));
    }

    pub(super) fn to_do(&self, step: usize) -> bool {
        matches!(
            self.session.states().get(step),
            Some(StepState::Pending | StepState::Active)
        )
    }

    /// Whether the window of a step still to do opens after `seen`, up to `now`.
    pub(super) fn opens_between(&self, seen: Timestamp, now: Timestamp) -> bool {
        self.opens
            .iter()
            .any(|(i, at)| *at > seen && *at <= now && self.to_do(*i))
    }

    /// When the next window of a step still to do opens.
    pub(super) fn next_opening(&self, now: Timestamp) -> Option<Timestamp> {
        let seen = self.seen.unwrap_or(now).max(now);
        self.opens
            .iter()
            .filter(|(i, at)| *at > seen && self.to_do(*i))
            .map(|&(_, at)| at)
            .min()
    }

    /// When a step's window opens, for a step with a window.
    pub(super) fn opens_at(&self, step: usize) -> Option<Timestamp> {
        self.opens
            .iter()
            .find(|(i, _)| *i == step)
            .map(|(_, at)| *at)
    }
}

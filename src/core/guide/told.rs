//! What a change asks of the shell: events to record, then what to say and ring.
use super::Guide;
use crate::core::session::{Event, Fact, Timestamp};

/// Something the runner should hear of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    /// The session changed.
    Fact(Fact),
    /// An intent did nothing, and why.
    Refused(String),
    /// The window of a step still to do has just opened.
    Due(usize),
}

/// What a change asks of the shell besides recording it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Told {
    /// What happened, in order: the plain guide says it, hooks and reminders hear of it.
    pub said: Vec<Said>,
    /// Bells to ring.
    pub bells: u32,
    /// The runner asked to leave.
    pub quit: bool,
    /// The runner asked to stop for now.
    pub suspend: bool,
    /// How sore, and notes, the runner gave for the journal: the loop writes them.
    pub noted: Vec<crate::core::journal::Entry>,
}

impl Told {
    /// Adds what `more` tells after this.
    pub fn merge(&mut self, more: Told) {
        self.said.extend(more.said);
        self.bells += more.bells;
        self.quit |= more.quit;
        self.suspend |= more.suspend;
        self.noted.extend(more.noted);
    }

    /// Whether there is anything to say, ring or do: a wake without it changes only the clock.
    pub fn is_empty(&self) -> bool {
        self.said.is_empty()
            && self.bells == 0
            && !self.quit
            && !self.suspend
            && self.noted.is_empty()
    }
}

/// What an intent or a moment means, not yet taken on: the events to record first, in order.
#[derive(Debug)]
#[must_use = "a change does nothing until it is committed"]
pub struct Change {
    /// Each event to write to the log, with its moment; empty when there is nothing to write.
    pub record: Vec<(Timestamp, Event)>,
    /// What to tell, once committed.
    pub told: Told,
    pub(super) next: Next,
}

#[derive(Debug)]
pub(super) enum Next {
    /// A wake with nothing due: the timer's high-water mark moves, in place.
    Mark(Timestamp),
    /// The guide as it will be.
    Guide(Box<Guide>),
}

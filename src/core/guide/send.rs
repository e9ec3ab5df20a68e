//! Handing an event to the session: what it records, and what is said of what it did or why
//! it did nothing.
use super::*;

impl Guide {
    /// Applies an event, and records it unless it was refused or was a wake that fired
    /// nothing.
    pub(super) fn send(&mut self, event: Event, now: Timestamp) {
        // The clock reads earlier than a wake kept only in memory: it has been set back.
        // Record that wake's moment first, or replaying the log after a crash would not reach
        // as far as the screen did, and give the time back. One line per clock set back.
        if let Some(seen) = self.unsaved.filter(|t| *t > now) {
            self.record.push((seen, Event::Wake));
            self.unsaved = None;
        }
        let before = self.session.clone();
        // Only the runner's own steps meet a daily limit; a wake lets time pass. The count is
        // for this event alone: left in the session, it would make it differ from its replay.
        if event != Event::Wake {
            self.session.used_today =
                daily::used_today(self.daily.as_ref(), &self.session, self.zone, now);
        }
        let result = self.session.apply(event.clone(), now);
        self.session.used_today.clear();
        match &result {
            Ok(facts) if event == Event::Wake && facts.is_empty() => {
                self.unsaved = self.unsaved.max(Some(now));
            }
            Ok(_) => {
                self.record.push((now, event));
                self.unsaved = None;
            }
            Err(_) => self.session = before,
        }
        self.openings(now);
        self.settle(result, now);
        // A question about more time for a piece that has ended is no longer a question.
        if let Some(Overlay::ConfirmExtend { piece, .. }) = self.overlay
            && self.under_way(now) != Some(piece)
        {
            self.overlay = None;
        }
    }

    /// The piece of the current step's timer under way (or ready to start).
    pub(super) fn under_way(&self, now: Timestamp) -> Option<Piece> {
        self.session
            .run()
            .filter(|r| r.phase != Phase::Finished)
            .map(|r| r.current(now))
    }

    /// Shows what an event did, or why it did nothing.
    pub(super) fn settle(&mut self, result: Result<Vec<Fact>, Refusal>, now: Timestamp) {
        match result {
            Ok(facts) => {
                for fact in facts {
                    self.react(&fact, now);
                }
            }
            Err(Refusal::PastTop { top, .. }) => {
                if let Some(piece) = self.under_way(now) {
                    self.overlay = Some(Overlay::ConfirmExtend { top, piece });
                }
            }
            Err(refusal) => {
                let why = capitalise(&refusal.to_string());
                self.told.said.push(Said::Refused(why.clone()));
                let note = match (&refusal, self.session.active(), self.session.run()) {
                    // "Quadriceps can end in 26s" reads true only while it counts down.
                    (Refusal::TooEarly { what, left }, Some(step), Some(run)) => Note::to_go(
                        what.clone(),
                        run.position(now) + *left,
                        step,
                        run.current(now),
                    ),
                    _ => Note::new(why, While::Always, true),
                };
                self.say(note, now);
            }
        }
    }
}

impl Guide {
    /// The value `step` asks for, as the runner typed it once the step ended: recorded as an
    /// event, said back, and called out when outside the routine's range.
    pub fn give_value(&self, step: usize, value: String, now: Timestamp) -> Change {
        self.changed(|g| g.send(Event::Value { step, value }, now))
    }
}

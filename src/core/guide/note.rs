//! What the guide says on screen, each with how long it stays true: a cue for as long as its
//! countdown runs, "Quadriceps can end in 26s" counted down with the clock, "time to get out"
//! while the bath is current and a little after, a refusal until the next key. A note goes
//! when its fact stops holding, so nothing on screen is left saying what is no longer so.
use std::ops::Range;
use std::time::Duration;

use chrono::TimeDelta;

use super::Guide;
use crate::core::protocol::Short;
use crate::core::session::{Phase, Piece, Session, Timestamp, shown_seconds};

/// How long "time to get out" stays after its step is over: long enough to be read on the
/// way out of the bath, not for the rest of the day.
pub const GET_OUT_STAYS: TimeDelta = TimeDelta::minutes(2);
/// How long a report of something past stays: a timer's end, a hook's warning.
pub const NEWS_STAYS: TimeDelta = TimeDelta::minutes(1);

/// Something said on screen, and while it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    words: Words,
    holds: While,
    /// The runner's next key ends it: it answered a key, or reported what has passed.
    ends_on_key: bool,
    /// A safety call: no lesser note replaces it while it holds.
    pub urgent: bool,
}

/// The words of a note.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Words {
    /// Fixed words.
    Said(String),
    /// "{what} can end in {left}", the time left counted down to `at`, a position on the
    /// current step's track: it reads true for as long as it shows, paused or running.
    ToGo { what: String, at: Duration },
}

/// While a note holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum While {
    /// Until it is replaced (or a key ends it).
    Always,
    /// While this step's timer is on this piece: a cue, a minimum, time still to go.
    Piece(usize, Piece),
    /// While this step is current, and after it until the moment given.
    Step(usize, Timestamp),
    /// While this step is still to do and its window open, up to when it closes.
    Window(usize, Timestamp),
    /// Until a moment.
    Until(Timestamp),
}

impl Note {
    /// Fixed words that hold while `holds` does, and go at the next key if `ends_on_key`.
    pub fn new(text: String, holds: While, ends_on_key: bool) -> Note {
        Note {
            words: Words::Said(text),
            holds,
            ends_on_key,
            urgent: false,
        }
    }

    /// A safety call: kept over any lesser note while it holds.
    pub fn urgent(mut self) -> Note {
        self.urgent = true;
        self
    }

    /// "{what} can end in {left}", counting down to position `at` of `step`'s `piece`, gone
    /// at the next key or once there.
    pub fn to_go(what: String, at: Duration, step: usize, piece: Piece) -> Note {
        Note {
            words: Words::ToGo { what, at },
            holds: While::Piece(step, piece),
            ends_on_key: true,
            urgent: false,
        }
    }

    /// Whether a key ends it, in `session` as it stands.
    pub fn ends_on_key(&self, session: &Session) -> bool {
        match self.holds {
            // Time to get out is for the bath; once the bath is over, any key has seen it.
            While::Step(step, _) => session.active() != Some(step),
            _ => self.ends_on_key,
        }
    }

    /// The words at `now`, if the note still holds then.
    pub fn text(&self, session: &Session, now: Timestamp) -> Option<String> {
        let to_do = |step: usize| {
            matches!(
                session.states().get(step),
                Some(crate::core::session::StepState::Pending)
                    | Some(crate::core::session::StepState::Active)
            )
        };
        let holds = match self.holds {
            While::Always => true,
            While::Piece(step, piece) => under_way(session, now) == Some((step, piece)),
            While::Step(step, until) => session.active() == Some(step) || now < until,
            While::Window(step, closes) => to_do(step) && now < closes,
            While::Until(t) => now < t,
        };
        if !holds {
            return None;
        }
        match &self.words {
            Words::Said(text) => Some(text.clone()),
            Words::ToGo { what, at } => {
                let left = at.saturating_sub(session.run()?.position(now));
                (!left.is_zero()).then(|| {
                    let shown = Duration::from_secs(shown_seconds(left));
                    format!("{what} can end in {}", Short(shown))
                })
            }
        }
    }

    /// The moments around `since` between which the words stay as they are at `since`, as
    /// far as time alone changes them; the session's own deadlines (a piece ending) are the
    /// caller's to add.
    pub fn still(&self, session: &Session, since: Timestamp) -> Range<Timestamp> {
        let mut range = Timestamp::MIN_UTC..Timestamp::MAX_UTC;
        let mut cut = |at: Timestamp| {
            if at <= since {
                range.start = range.start.max(at);
            } else {
                range.end = range.end.min(at);
            }
        };
        match self.holds {
            While::Step(_, t) | While::Window(_, t) | While::Until(t) => cut(t),
            While::Always | While::Piece(..) => {}
        }
        if let (Words::ToGo { at, .. }, Some(run)) = (&self.words, session.run())
            && let Phase::Running { ends_at } = run.phase
        {
            // The count reaches `at` at this moment, and shows whole seconds rounded up to
            // it, so its words change a whole number of seconds before it.
            let reached = ends_at - crate::core::session::delta(run.total().saturating_sub(*at));
            if since < reached {
                let left = (reached - since).to_std().unwrap_or_default();
                let k = shown_seconds(left);
                let secs = |n: u64| TimeDelta::seconds(i64::try_from(n).unwrap_or(i64::MAX));
                cut(reached - secs(k));
                cut(reached - secs(k.saturating_sub(1)));
            }
        }
        range
    }
}

impl Guide {
    /// What the note says at `now`, if it still holds.
    pub fn note(&self, now: Timestamp) -> Option<String> {
        self.note.as_ref()?.text(&self.session, now)
    }

    /// What is said beside the note at `now`, if it still holds.
    pub fn aside(&self, now: Timestamp) -> Option<String> {
        self.aside.as_ref()?.text(&self.session, now)
    }

    /// Something from outside the guide (a hook's or the scheduler's warning), said beside
    /// the note for a minute or until the next key: never over a safety call.
    pub fn warn(&mut self, text: String, now: Timestamp) {
        self.version = self.version.wrapping_add(1);
        self.aside = Some(Note::new(text, While::Until(now + NEWS_STAYS), true));
    }

    /// Says a note: in place of the last, unless that is a safety call still holding, which
    /// only another takes the place of; then beside it.
    pub(super) fn say(&mut self, note: Note, now: Timestamp) {
        let kept = self
            .note
            .as_ref()
            .is_some_and(|n| n.urgent && n.text(&self.session, now).is_some());
        if kept && !note.urgent {
            self.aside = Some(note);
        } else {
            self.note = Some(note);
        }
    }

    /// Clears the note, unless it is a safety call still holding.
    pub(super) fn hush(&mut self, now: Timestamp) {
        if !self
            .note
            .as_ref()
            .is_some_and(|n| n.urgent && n.text(&self.session, now).is_some())
        {
            self.note = None;
        }
    }

    /// The moments around `since` between which the note and the aside read as they do at
    /// `since`, as far as time alone changes them.
    pub fn words_still(&self, since: Timestamp) -> std::ops::Range<Timestamp> {
        let mut range = Timestamp::MIN_UTC..Timestamp::MAX_UTC;
        for n in [&self.note, &self.aside].into_iter().flatten() {
            let r = n.still(&self.session, since);
            range = range.start.max(r.start)..range.end.min(r.end);
        }
        range
    }
}

/// The current step and its timer's piece under way, while the timer has not finished.
fn under_way(session: &Session, now: Timestamp) -> Option<(usize, Piece)> {
    let run = session.run().filter(|r| r.phase != Phase::Finished)?;
    Some((session.active()?, run.current(now)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::core::protocol::parse;
    use crate::core::session::Event;
    use chrono::{TimeZone, Utc};

    const SOAK: &str = r#"
name = "Soak"
summary = "One ranged timer."
[[steps]]
id = "soak"
title = "Soak"
do = "Sit."
[steps.timer]
length = "1m-2m"
[[steps]]
id = "rest"
title = "Rest"
do = "Rest."
"#;

    fn at(s: i64) -> Timestamp {
        Utc.with_ymd_and_hms(2026, 5, 1, 10, 0, 0).unwrap() + TimeDelta::seconds(s)
    }

    fn soaking() -> Session {
        let p = parse("soak.toml", "soak", SOAK).unwrap();
        let mut s = Session::new(p, at(0), at(12 * 3600));
        s.apply(Event::Start, at(0)).unwrap();
        s
    }

    #[test]
    fn time_to_go_counts_down_with_the_clock_and_goes_when_it_is_up() {
        let s = soaking();
        let n = Note::to_go("Soak".into(), Duration::from_secs(60), 0, Piece::Countdown);
        assert_eq!(n.text(&s, at(34)).as_deref(), Some("Soak can end in 26s"));
        assert_eq!(n.text(&s, at(35)).as_deref(), Some("Soak can end in 25s"));
        assert_eq!(n.text(&s, at(60)), None, "the minimum is reached");
        // The words hold from 34 s to 35 s, and change exactly there.
        assert_eq!(n.still(&s, at(34)), at(34)..at(35));
        let half = at(34) + TimeDelta::milliseconds(500);
        assert_eq!(n.still(&s, half), at(34)..at(35));
    }

    #[test]
    fn time_to_go_stands_still_while_paused() {
        let mut s = soaking();
        s.apply(Event::Pause, at(34)).unwrap();
        let n = Note::to_go("Soak".into(), Duration::from_secs(60), 0, Piece::Countdown);
        assert_eq!(n.text(&s, at(500)).as_deref(), Some("Soak can end in 26s"));
        assert_eq!(n.still(&s, at(500)), Timestamp::MIN_UTC..Timestamp::MAX_UTC);
    }

    #[test]
    fn a_call_for_a_step_stays_a_while_after_it_and_then_goes() {
        let mut s = soaking();
        let n = Note::new("Time to get out".into(), While::Step(0, at(200)), false);
        assert!(n.text(&s, at(150)).is_some() && !n.ends_on_key(&s));
        s.apply(Event::Wake, at(120)).unwrap(); // the soak is over
        assert!(n.text(&s, at(199)).is_some() && n.ends_on_key(&s));
        assert_eq!(n.text(&s, at(200)), None);
    }

    #[test]
    fn a_cue_holds_while_its_piece_runs() {
        let mut s = soaking();
        let n = Note::new("Half".into(), While::Piece(0, Piece::Countdown), false);
        assert!(n.text(&s, at(90)).is_some());
        s.apply(Event::Wake, at(120)).unwrap();
        assert_eq!(n.text(&s, at(120)), None);
    }
}

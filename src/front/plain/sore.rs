//! The questions asked as lines: a step's value as it ends (a number answers it; any other
//! line closes it and is read as always), and the end of the day's: once every step is done or skipped, the plain
//! guide asks how sore, 0-10, and a note; the next line answers (an empty one skips). `q`
//! and `u` keep their meaning, so the day can still be left or a step undone.
use crate::core::guide::Guide;
use crate::core::journal::{END_QUESTION, Entry, read_answer};
use crate::core::session::StepState;
use crate::core::session::Timestamp;
use crate::front::value::ValueAsk;
use crate::shell::Action;

/// Whether the question has been asked, and answered.
#[derive(Debug, Default)]
pub struct SoreLine {
    asked: bool,
    settled: bool,
}

impl SoreLine {
    /// Asks, once, when the day is done.
    pub fn ask(&mut self, guide: &Guide, lines: &mut Vec<String>) {
        if !self.asked && !self.settled && guide.session().is_complete() {
            self.asked = true;
            lines.push(END_QUESTION.to_string());
        }
    }

    /// A typed line, when it answers the question; `None` leaves it to the guide's keys.
    pub fn answer(
        &mut self,
        text: &str,
        guide: &Guide,
        now: Timestamp,
        lines: &mut Vec<String>,
    ) -> Option<Vec<Action>> {
        // Not `asked`: lines typed ahead (piped in) are read before the question is shown.
        let waiting = !self.settled && guide.session().is_complete();
        if !waiting || matches!(text.trim(), "q" | "Q" | "u" | "U") {
            return None;
        }
        // Asked first, so a transcript reads question then answer.
        self.ask(guide, lines);
        match read_answer(text) {
            Ok(None) => {
                self.settled = true;
                lines.push("Nothing noted.".into());
                Some(Vec::new())
            }
            Ok(Some((sore, note))) => {
                self.settled = true;
                lines.push("Noted in your journal; postrun log shows it.".into());
                let day = now.with_timezone(guide.zone()).date_naive();
                Some(vec![Action::Note(Entry {
                    at: now,
                    day,
                    sore,
                    note,
                })])
            }
            Err(why) => {
                lines.push(format!("{why}. {END_QUESTION}"));
                Some(Vec::new())
            }
        }
    }
}

/// A line while a step's question is open: a number answers it; anything else closes it and
/// is read as always.
pub fn value(
    ask: &mut ValueAsk,
    text: &str,
    guide: &Guide,
    lines: &mut Vec<String>,
) -> Option<Action> {
    ask.open(guide)?;
    let looks_like_a_number = text
        .trim()
        .starts_with(|c: char| c.is_ascii_digit() || c == '-' && text.trim().len() > 1);
    if !looks_like_a_number {
        ask.close();
        return None;
    }
    let action = ask.answer(text, guide);
    if let Some(why) = ask.problem.take() {
        lines.push(format!("{why}; a number like 12, or carry on."));
    }
    action
}

/// Both questions, a step's value first.
#[derive(Debug, Default)]
pub struct Questions {
    value: ValueAsk,
    sore: SoreLine,
    /// The steps' states when last looked at: a step done since asks its question. Read from
    /// the session, not from what was said, since lines typed ahead are read before a batch's
    /// changes are shown.
    seen: Vec<StepState>,
}

impl Questions {
    /// Opens the question of a step done since the last look, and says it.
    fn catch_up(&mut self, guide: &Guide, lines: &mut Vec<String>) {
        let states = guide.session().states();
        if self.seen.len() == states.len() {
            for (i, (was, is)) in self.seen.iter().zip(states).enumerate() {
                if *is == StepState::Done && *was != StepState::Done {
                    self.value = ValueAsk {
                        step: Some(i),
                        ..ValueAsk::default()
                    };
                    if let Some((_, question)) = self.value.open(guide) {
                        let q = question.question();
                        lines.push(format!("{q} A number and Enter, or carry on."));
                    }
                }
            }
        }
        self.seen = states.to_vec();
    }

    /// Asks what is due.
    pub fn ask(&mut self, guide: &Guide, lines: &mut Vec<String>) {
        self.catch_up(guide, lines);
        if self.value.open(guide).is_none() {
            self.sore.ask(guide, lines);
        }
    }

    /// A line that answers a question; `None` leaves it to the guide's keys.
    pub fn answer(
        &mut self,
        text: &str,
        guide: &Guide,
        now: Timestamp,
        lines: &mut Vec<String>,
    ) -> Option<Vec<Action>> {
        self.catch_up(guide, lines);
        if let Some(action) = value(&mut self.value, text, guide, lines) {
            return Some(vec![action]);
        }
        if self.value.open(guide).is_some() {
            // A number not taken: said why, and the question stays.
            return Some(Vec::new());
        }
        self.sore.answer(text, guide, now, lines)
    }
}

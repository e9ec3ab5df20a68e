//! The end of the day's question as a line: once every step is done or skipped, the plain
//! guide asks how sore, 0-10, and a note; the next line answers (an empty one skips). `q`
//! and `u` keep their meaning, so the day can still be left or a step undone.
use crate::core::guide::Guide;
use crate::core::journal::{END_QUESTION, Entry, read_answer};
use crate::core::session::Timestamp;
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

//! The end of the day's question: how sore, 0-10, and a line of text, typed over the summary
//! once every step is done or skipped. Enter with nothing, or Esc, skips; what is typed goes
//! to the loop as [`Action::Note`], which writes the journal. Until something is typed, `q`
//! quits and `u` undoes, as everywhere else.
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::core::guide::{Guide, Intent};
use crate::core::journal::{Entry, LONGEST_NOTE, read_answer};
use crate::core::session::Timestamp;
use crate::shell::Action;

/// The question's state over one run of the guide.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SoreAsk {
    /// What is typed so far.
    pub text: String,
    /// Why the last Enter was not taken.
    pub problem: Option<String>,
    /// Answered or skipped: not asked again in this run of the guide.
    pub settled: bool,
}

impl SoreAsk {
    /// Whether the question is up: the day is done and it is not yet answered.
    pub fn asking(&self, guide: &Guide) -> bool {
        !self.settled && guide.session().is_complete()
    }

    /// A key while asking: typing, Enter to note it, Esc to skip; Ctrl-C still quits.
    pub fn handle(&mut self, key: KeyEvent, guide: &Guide, now: Timestamp) -> Vec<Action> {
        if key.kind != KeyEventKind::Press {
            return Vec::new();
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Char('c') if ctrl => return vec![Action::Intent(Intent::Quit)],
            KeyCode::Char('z') if ctrl => return vec![Action::Suspend],
            _ if ctrl => {}
            // Before anything is typed, `q` and `u` keep the meaning the key contract gives
            // them on every screen: quit, and undo the last step.
            KeyCode::Char('q') if self.text.is_empty() => {
                return vec![Action::Intent(Intent::Quit)];
            }
            KeyCode::Char('u') if self.text.is_empty() => {
                return vec![Action::Intent(Intent::Undo)];
            }
            KeyCode::Esc => self.settled = true,
            KeyCode::Backspace => {
                self.text.pop();
            }
            KeyCode::Char(c) if self.text.chars().count() < LONGEST_NOTE => self.text.push(c),
            KeyCode::Enter => match read_answer(&self.text) {
                Ok(None) => self.settled = true,
                Ok(Some((sore, note))) => {
                    self.settled = true;
                    let day = now.with_timezone(guide.zone()).date_naive();
                    return vec![Action::Note(Entry {
                        at: now,
                        day,
                        sore,
                        note,
                    })];
                }
                Err(why) => self.problem = Some(why),
            },
            _ => {}
        }
        Vec::new()
    }
}

//! What opens over the guide and takes its keys: a step's question, the weeks at a glance.
use crossterm::event::KeyCode;

use super::{Tui, view};
use crate::core::guide::Guide;
use crate::core::session::Timestamp;
use crate::front::value::ValueAsk;
use crate::shell::Action;

/// Reads the weeks at a glance at a moment: the sessions' summaries and the journal.
pub type ReadWeeks = Box<dyn FnMut(Timestamp) -> view::history::Weeks>;

impl Tui {
    /// Shows the weeks at a glance with `h`, read by `read` each time it opens.
    pub fn with_weeks(mut self, read: ReadWeeks) -> Tui {
        self.read_weeks = Some(read);
        self
    }
}

/// A key while a step's question is open: digits (and a point, a leading minus) are typed,
/// Backspace takes one back, Enter answers and Esc closes it; `None` for any other key,
/// which closes the question and does what it always does. Enter with nothing typed is such
/// a key too.
pub fn value_key(
    ask: &mut ValueAsk,
    key: crossterm::event::KeyEvent,
    guide: &Guide,
) -> Option<Vec<Action>> {
    use crossterm::event::KeyEventKind;
    if key.kind != KeyEventKind::Press
        || !key
            .modifiers
            .difference(crossterm::event::KeyModifiers::SHIFT)
            .is_empty()
    {
        ask.close();
        return None;
    }
    match key.code {
        KeyCode::Char(c) if c.is_ascii_digit() || matches!(c, '.' | ',') => ask.text.push(c),
        KeyCode::Char('-') if ask.text.is_empty() => ask.text.push('-'),
        KeyCode::Backspace if !ask.text.is_empty() => {
            ask.text.pop();
        }
        KeyCode::Esc => ask.close(),
        KeyCode::Enter if !ask.text.is_empty() => {
            let text = ask.text.clone();
            return Some(ask.answer(&text, guide).into_iter().collect());
        }
        _ => {
            ask.close();
            return None;
        }
    }
    Some(Vec::new())
}

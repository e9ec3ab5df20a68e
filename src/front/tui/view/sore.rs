//! The end of the day's question, in a box at the foot of the summary so what was done stays
//! in sight above it.
use super::Canvas;
use ratatui::text::Line;

use super::Theme;
use crate::core::journal::END_QUESTION;
use crate::core::printable::printable;
use crate::front::tui::sore::SoreAsk;

/// Draws the question over the foot of the screen.
pub fn render(frame: &mut impl Canvas, ask: &SoreAsk, theme: Theme) {
    let area = frame.area();
    if area.width < 4 || area.height < 3 {
        return;
    }
    let wide = area.width >= 60;
    // The end of what is typed shows, as in a shell's line, when it is longer than the box.
    let room = usize::from(area.width.saturating_sub(6));
    let typed = printable(&ask.text);
    let skip = typed.chars().count().saturating_sub(room);
    let shown: String = typed.chars().skip(skip).collect();
    let mut lines = vec![
        Line::styled(
            if wide {
                END_QUESTION
            } else {
                "How sore, 0-10, and a note?"
            },
            theme.bold(),
        ),
        Line::from(format!("> {shown}_")),
    ];
    super::overlay::refusal_and_keys(
        &mut lines,
        ask.problem.as_deref(),
        (
            "like 7 left calf tight · Enter notes it · Esc skips · q quits",
            "Enter notes it · Esc skips",
        ),
        wide,
        theme,
    );
    super::overlay::at_foot(frame, area, lines, "How sore");
}

//! The end of the day: what was done, what skipped, and the time it took.
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::Theme;
use crate::core::guide::Guide;
use crate::core::session::StepState;

/// The end of the day: what was done, what skipped, and the time it took.
pub fn render(frame: &mut Frame, area: Rect, ui: &Guide, theme: Theme) {
    let s = &ui.session();
    let done: Vec<&str> = s
        .protocol
        .steps
        .iter()
        .zip(s.states())
        .filter(|(_, st)| **st == StepState::Done)
        .map(|(st, _)| st.title.as_str())
        .collect();
    let skipped: Vec<&str> = s
        .protocol
        .steps
        .iter()
        .zip(s.states())
        .filter(|(_, st)| **st == StepState::Skipped)
        .map(|(st, _)| st.title.as_str())
        .collect();
    let spent: std::time::Duration = s
        .protocol
        .steps
        .iter()
        .zip(s.states())
        .filter(|(_, st)| **st == StepState::Done)
        .map(|(st, _)| st.takes())
        .sum();
    let lines = vec![
        Line::styled("The day is done", theme.bold()),
        Line::from(""),
        Line::from(format!("Done ({}): {}", done.len(), done.join(", "))),
        Line::from(format!(
            "Skipped ({}): {}",
            skipped.len(),
            if skipped.is_empty() {
                "none".to_string()
            } else {
                skipped.join(", ")
            }
        )),
        Line::from(format!(
            "Time on recovery: about {}",
            crate::core::protocol::Short(spent)
        )),
        Line::from(""),
        Line::from("u undoes the last step; q quits."),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}

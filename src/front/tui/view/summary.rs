//! The end of the day: what was done, what skipped, and the time it took.
use super::Canvas;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::Theme;
use crate::core::guide::Guide;
use crate::core::session::StepState;

/// The end of the day: what was done, what skipped, and the time it took.
pub fn render(frame: &mut impl Canvas, area: Rect, ui: &Guide, theme: Theme) {
    let s = &ui.session();
    let done: Vec<&str> = s
        .protocol
        .steps
        .iter()
        .zip(s.states())
        .filter(|(_, st)| **st == StepState::Done)
        .map(|(st, _)| st.title.as_str())
        .collect();
    let (mut skipped, mut dropped, mut late): (Vec<&str>, Vec<&str>, Vec<&str>) =
        (Vec::new(), Vec::new(), Vec::new());
    for (i, (st, state)) in s.protocol.steps.iter().zip(s.states()).enumerate() {
        match state {
            // Left out by the plan is not skipped: the same words as `plan` and `history`.
            StepState::Skipped if s.is_dropped(i) && s.too_late.contains(&i) => {
                late.push(st.title.as_str())
            }
            StepState::Skipped if s.is_dropped(i) => dropped.push(st.title.as_str()),
            StepState::Skipped => skipped.push(st.title.as_str()),
            _ => {}
        }
    }
    let spent = s.time_spent();
    let mut lines = vec![
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
        Line::styled(
            "(each step at its planned time, as history counts it)",
            theme.fg(ratatui::style::Color::DarkGray),
        ),
        Line::from(""),
        Line::from("u undoes the last step; q quits."),
    ];
    for (word, titles) in [
        ("Too late tonight", &late),
        ("Dropped by your budget", &dropped),
    ] {
        if !titles.is_empty() {
            lines.insert(
                4,
                Line::from(format!("{word} ({}): {}", titles.len(), titles.join(", "))),
            );
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}

//! The "change the day" form, drawn over the guide.
use super::Canvas;
use ratatui::layout::{Constraint, Flex, Layout};
use ratatui::style::Modifier;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::Theme;
use crate::front::tui::change::{ChangeForm, Field};

/// Draws the form in a box at the middle of the screen.
pub fn render(frame: &mut impl Canvas, form: &ChangeForm, theme: Theme) {
    let area = frame.area();
    let wide = area.width >= 60;
    let labels = if wide {
        ["Run finished", "Bedtime", "Time you have"]
    } else {
        ["Finished", "Bed", "Time"]
    };
    let fields = [Field::Finished, Field::Bedtime, Field::Budget];
    let mut lines: Vec<Line> = fields
        .iter()
        .zip(labels)
        .zip(&form.texts)
        .map(|((field, label), text)| {
            let focused = *field == form.focus;
            let shown = match (text.is_empty(), field) {
                (true, Field::Budget) if !focused => "all day".to_string(),
                _ => text.clone(),
            };
            let cursor = if focused { "_" } else { "" };
            let line = Line::from(format!(
                "{} {label:<w$} {shown}{cursor}",
                if focused { "▶" } else { " " },
                w = if wide { 13 } else { 8 }
            ));
            if focused {
                line.patch_style(theme.bold().add_modifier(Modifier::REVERSED))
            } else {
                line
            }
        })
        .collect();
    super::overlay::refusal_and_keys(
        &mut lines,
        form.problem.as_deref(),
        (
            "Enter plans the day again · Tab field · Esc closes",
            "Enter apply · Tab · Esc",
        ),
        wide,
        theme,
    );
    let width = if wide { 56 } else { area.width.min(38) };
    let text = Paragraph::new(lines).wrap(Wrap { trim: false });
    let rows = u16::try_from(text.line_count(width.saturating_sub(2))).unwrap_or(6) + 2;
    let [row] = Layout::vertical([Constraint::Length(rows.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    frame.render_widget(Clear, cell);
    frame.render_widget(
        text.block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Change the day "),
        ),
        cell,
    );
}

//! Windows over the main screen: the keys, and the skip confirmation.
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}

/// All keys; Esc closes it. A narrow screen gets the short wording, one line a key, so every
/// key fits in 40 columns.
pub fn help(frame: &mut Frame, area: Rect) {
    // (key, wording, short wording)
    let keys = [
        (
            "Enter",
            "start the timer, tick off, or finish a range past its minimum",
            "start / done / finish",
        ),
        ("Space", "pause or resume the timer", "pause, resume"),
        (
            "s",
            "skip the step (a required one asks to confirm)",
            "skip (asks if required)",
        ),
        (
            ">",
            "skip the hold or side under way (a sore leg, say)",
            "skip one hold/side",
        ),
        ("u", "undo the last done or skip", "undo done or skip"),
        (
            "Up/Down, k/j",
            "select a step; Enter makes it current",
            "pick a step",
        ),
        ("+ / -", "30 seconds more or less", "30 s more or less"),
        ("?", "these keys; Esc closes", "keys; Esc closes"),
        ("q, Ctrl-C", "quit; the session is saved", "quit, saved"),
        ("Ctrl-Z", "suspend; fg comes back", "suspend"),
    ];
    let wide = area.width >= 80;
    let lines: Vec<Line> = keys
        .iter()
        .map(|(k, what, short)| {
            if wide {
                Line::from(format!("{k:>13}  {what}"))
            } else {
                Line::from(format!("{k:>12} {short}"))
            }
        })
        .collect();
    let width = if wide { 78 } else { 38 };
    let box_area = centered(area, width, lines.len() as u16 + 2);
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(" Keys ")),
        box_area,
    );
}

/// "Skip a required step?"
pub fn confirm_skip(frame: &mut Frame, area: Rect, title: &str) {
    let lines = vec![
        Line::from(format!("{title} is not optional.")),
        Line::from("Skip it anyway?  y yes · n no"),
    ];
    let box_area = centered(area, 40, 4);
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(Block::default().borders(Borders::ALL).title(" Skip ")),
        box_area,
    );
}

/// "Past the top: add 30 s anyway?"
pub fn confirm_extend(frame: &mut Frame, area: Rect, title: &str, top: std::time::Duration) {
    let lines = vec![
        Line::from(format!(
            "{title} tops out at {}. Staying longer is not advised.",
            crate::core::protocol::Short(top)
        )),
        Line::from("Add 30 s anyway?  y yes · n no"),
    ];
    let width = 44.min(area.width);
    // Room for the wrapped question plus the border.
    let text = Paragraph::new(lines.clone()).wrap(Wrap { trim: true });
    let rows = u16::try_from(text.line_count(width.saturating_sub(2))).unwrap_or(4) + 2;
    let box_area = centered(area, width, rows);
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(Block::default().borders(Borders::ALL).title(" Longer? ")),
        box_area,
    );
}

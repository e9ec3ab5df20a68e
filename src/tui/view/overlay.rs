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

/// All keys; Esc closes it.
pub fn help(frame: &mut Frame, area: Rect) {
    let keys = [
        (
            "Enter",
            "start the timer, tick the step off, or finish a range past its minimum",
        ),
        ("Space", "pause or resume the timer"),
        ("s", "skip the step (a required one asks to confirm)"),
        ("u", "undo the last done or skip"),
        ("Up/Down, k/j", "select a step; Enter makes it current"),
        ("+ / -", "30 seconds more or less"),
        ("?", "these keys; Esc closes"),
        ("q, Ctrl-C", "quit; the session is saved"),
        ("Ctrl-Z", "suspend; fg comes back"),
    ];
    let lines: Vec<Line> = keys
        .iter()
        .map(|(k, what)| Line::from(format!("{k:>13}  {what}")))
        .collect();
    let box_area = centered(area, 76, lines.len() as u16 + 2);
    frame.render_widget(Clear, box_area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::default().borders(Borders::ALL).title(" Keys ")),
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

//! One function per part of the screen. Rendering reads the UI state and the time; it never
//! changes anything.
mod checklist;
mod countdown;
mod overlay;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::state::{Overlay, Ui};
use crate::cli::day::clock_in;
use crate::protocol::Activity;
use crate::session::{StepState, Timestamp};

/// Colours, or none under `NO_COLOR`.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    color: bool,
}

impl Theme {
    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::default().fg(c)
        } else {
            Style::default()
        }
    }
    fn bold(self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }
}

/// Draws the whole screen.
pub fn render(frame: &mut Frame, ui: &Ui, now: Timestamp) {
    let theme = Theme { color: ui.color };
    let area = frame.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    let flash = ui.flashing(now);
    if flash {
        let style = if ui.color {
            Style::default().bg(Color::Yellow).fg(Color::Black)
        } else {
            Style::default().add_modifier(Modifier::REVERSED)
        };
        frame.render_widget(Block::default().style(style), area);
    }
    // Below 80x24 the layout gives way: the checklist goes first, then header and footer, so
    // the timer keeps its room.
    let (header, body, footer) = if area.height >= 8 {
        let [h, b, f] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(area);
        (Some(h), b, Some(f))
    } else {
        (None, area, None)
    };
    if let Some(h) = header {
        render_header(frame, h, ui, theme);
    }
    if let Some(f) = footer {
        render_footer(frame, f, ui);
    }
    if body.width >= 72 && body.height >= 10 {
        let list_width = (body.width / 3).clamp(30, 44);
        let [list, step] =
            Layout::horizontal([Constraint::Length(list_width), Constraint::Min(1)]).areas(body);
        checklist::render(frame, list, ui, now, theme);
        render_step(frame, step, ui, now, theme, true);
    } else {
        render_step(
            frame,
            body,
            ui,
            now,
            theme,
            body.height >= 6 && body.width >= 20,
        );
    }
    match ui.overlay {
        Some(Overlay::Help) => overlay::help(frame, area),
        Some(Overlay::ConfirmSkip) => {
            let title = ui
                .live
                .session
                .active_step()
                .map(|s| s.title.clone())
                .unwrap_or_default();
            overlay::confirm_skip(frame, area, &title);
        }
        None => {}
    }
}

fn render_header(frame: &mut Frame, area: Rect, ui: &Ui, theme: Theme) {
    let s = &ui.live.session;
    let text = format!(
        " {} · run {} · bed {} · {}/{} done",
        s.protocol.name,
        clock_in(s.finished_at, &ui.zone),
        clock_in(s.bedtime, &ui.zone),
        s.done_count(),
        s.states().len()
    );
    let line = Line::from(vec![
        Span::styled(text, theme.bold()),
        Span::raw("   ? keys"),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

fn render_footer(frame: &mut Frame, area: Rect, ui: &Ui) {
    let s = &ui.live.session;
    let enter = match (
        s.active_step().map(|s| &s.activity),
        s.run().map(|r| r.phase),
    ) {
        (_, _) if s.active() != Some(ui.cursor) && s.active().is_some() => "Enter make current",
        (Some(Activity::Tick), _) => "Enter done",
        (_, Some(crate::session::Phase::Ready)) => "Enter start",
        (Some(_), _) => "Enter finish",
        (None, _) => "",
    };
    let keys = format!(" {enter} · Space pause · s skip · u undo · +/- 30s · q quit");
    frame.render_widget(Paragraph::new(keys), area);
}

/// The current step: what to do, its timer, the last note, tips.
fn render_step(frame: &mut Frame, area: Rect, ui: &Ui, now: Timestamp, theme: Theme, framed: bool) {
    let s = &ui.live.session;
    let inner = if framed {
        let block = Block::default().borders(Borders::ALL).title(" Now ");
        let inner = block.inner(area);
        frame.render_widget(block, area);
        inner
    } else {
        area
    };
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let Some(active) = s.active() else {
        render_summary(frame, inner, ui, theme);
        return;
    };
    let step = &s.protocol.steps[active];
    let mut rows: Vec<Constraint> = Vec::new();
    let timed = s.run().is_some();
    rows.push(Constraint::Length(1)); // title
    rows.push(Constraint::Length(if timed { 2 } else { 4 })); // what to do
    if timed {
        // The countdown takes what it wants first; tips get what is left.
        let want = countdown::height(inner.width, inner.height.saturating_sub(5));
        rows.push(Constraint::Length(want));
    }
    rows.push(Constraint::Length(2)); // note
    rows.push(Constraint::Min(0)); // tips
    let parts = Layout::vertical(rows).split(inner);
    // The timer comes first when space is short: title and text give way.
    if timed && inner.height < 9 {
        countdown::render(frame, inner, ui, step, now, theme);
        return;
    }
    frame.render_widget(
        Paragraph::new(Line::styled(
            step.title.clone(),
            theme.bold().patch(theme.fg(Color::Cyan)),
        )),
        parts[0],
    );
    frame.render_widget(
        Paragraph::new(step.what.clone()).wrap(Wrap { trim: true }),
        parts[1],
    );
    let mut next = 2;
    if timed {
        countdown::render(frame, parts[2], ui, step, now, theme);
        next = 3;
    }
    if let Some(note) = &ui.note {
        frame.render_widget(
            Paragraph::new(Line::styled(
                note.clone(),
                theme.bold().patch(theme.fg(Color::Yellow)),
            ))
            .wrap(Wrap { trim: true }),
            parts[next],
        );
    }
    let tips: Vec<Line> = step
        .tips
        .iter()
        .map(|t| Line::from(format!("· {t}")))
        .collect();
    frame.render_widget(
        Paragraph::new(tips).wrap(Wrap { trim: true }),
        parts[next + 1],
    );
}

/// The end of the day: what was done, what skipped, and the time it took.
fn render_summary(frame: &mut Frame, area: Rect, ui: &Ui, theme: Theme) {
    let s = &ui.live.session;
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
            crate::protocol::Short(spent)
        )),
        Line::from(""),
        Line::from("u undoes the last step; q quits."),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}

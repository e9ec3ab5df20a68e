//! The day's steps: state (a symbol and a word, so it reads without colour), window as clock
//! times, and the window's status now.
use super::Canvas;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::Theme;
use crate::core::guide::{Guide, when};
use crate::core::plan::window_text_in;
use crate::core::plan::{self, Times, WindowStatus};
use crate::core::printable::{fit, pad};
use crate::core::session::{StepState, Timestamp};

/// Draws the checklist.
pub fn render(frame: &mut impl Canvas, area: Rect, ui: &Guide, now: Timestamp, theme: Theme) {
    let s = &ui.session();
    let block = Block::default().borders(Borders::ALL).title(" Today ");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let mut lines = Vec::new();
    let past_bed: Vec<usize> = plan::tonight::of_session(s)
        .into_iter()
        .filter_map(|c| match c {
            plan::Clash::PastBed { step } => Some(step),
            plan::Clash::Before { .. } => None,
        })
        .collect();
    for (i, (step, state)) in s.protocol.steps.iter().zip(s.states()).enumerate() {
        let (mark, color) = match state {
            StepState::Done => ("✓", Color::Green),
            StepState::Skipped => ("–", Color::DarkGray),
            StepState::Active => ("▶", Color::Cyan),
            StepState::Pending => ("·", Color::Reset),
        };
        let window = step
            .window
            .map(|w| plan::times(&w, s.finished_at, s.bedtime));
        let status = status(i, *state, window.as_ref(), now, ui);
        let status_color = match status.as_str() {
            "closing" => Color::Yellow,
            "missed" => Color::Red,
            "open" | "now" => Color::Cyan,
            _ => color,
        };
        let mut when = window
            .as_ref()
            .map(|t| window_text_in(t, ui.zone(), ui.hours()))
            .unwrap_or_default();
        if past_bed.contains(&i) && *state != StepState::Done {
            when.push_str(" · past bed");
        }
        let title_width = width.saturating_sub(2 + 10);
        // Cut and padded by the columns it takes, so a wide (CJK) title stops where the
        // state column starts.
        let mut spans = vec![
            Span::styled(format!("{mark} "), theme.fg(color)),
            Span::raw(pad(&step.title, title_width)),
        ];
        spans.push(Span::styled(
            format!(" {status:<8}"),
            theme.fg(status_color),
        ));
        let mut line = Line::from(spans);
        if i == ui.cursor {
            line = line.patch_style(theme.bold().add_modifier(Modifier::REVERSED));
        }
        lines.push(line);
        if !when.is_empty() && inner.height as usize >= s.states().len() * 2 {
            lines.push(Line::styled(
                format!("  {}", fit(&when, width.saturating_sub(2))),
                theme.fg(Color::DarkGray),
            ));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The row picked with Up/Down, on one line, for a screen too small for the list: "▸ 4/9 Ice
/// bath · in 46m".
pub fn render_picked(
    frame: &mut impl Canvas,
    area: Rect,
    ui: &Guide,
    now: Timestamp,
    theme: Theme,
) {
    let s = ui.session();
    let (Some(step), Some(state)) = (s.protocol.steps.get(ui.cursor), s.states().get(ui.cursor))
    else {
        return;
    };
    let window = step
        .window
        .map(|w| plan::times(&w, s.finished_at, s.bedtime));
    let status = status(ui.cursor, *state, window.as_ref(), now, ui);
    let status = if status.is_empty() {
        String::new()
    } else {
        format!(" · {status}")
    };
    let place = format!("▸ {}/{} ", ui.cursor + 1, s.states().len());
    let room =
        usize::from(area.width).saturating_sub(place.chars().count() + status.chars().count());
    let text = format!("{place}{}{status}", fit(&step.title, room));
    frame.render_widget(
        Paragraph::new(Line::styled(
            text,
            theme.bold().add_modifier(Modifier::REVERSED),
        )),
        area,
    );
}

/// Step `step`'s status in a word or two: done, skipped, dropped (by the plan), now, open,
/// closing, missed, or when its window opens ("in 46m", "at 21:00").
pub fn status(
    step: usize,
    state: StepState,
    window: Option<&Times>,
    now: Timestamp,
    ui: &Guide,
) -> String {
    let uses = ui.session().uses().get(step).map_or(0, Vec::len);
    match (state, window) {
        // A daily step done more than once: each use counts.
        (StepState::Done, _) if uses > 1 => format!("done ×{uses}"),
        (StepState::Done, _) => "done".to_string(),
        (StepState::Skipped, _) if ui.session().is_dropped(step) => "dropped".to_string(),
        (StepState::Skipped, _) => "skipped".to_string(),
        (_, Some(t)) => match plan::status(t, now) {
            WindowStatus::Upcoming => {
                when::opens(t, now, ui.zone(), ui.hours()).unwrap_or_default()
            }
            WindowStatus::Open => "open".into(),
            WindowStatus::Closing => "closing".into(),
            WindowStatus::Missed => "missed".into(),
        },
        (StepState::Active, None) => "now".to_string(),
        (StepState::Pending, None) => String::new(),
    }
}

//! The countdown: big digits readable from a bath two metres away, the same time as plain
//! MM:SS, a gauge, and for a hold sequence the hold, the side, the how-to and what is next.
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Color;
use ratatui::text::Line;
use ratatui::widgets::{Gauge, Paragraph, Wrap};
use tui_big_text::{BigText, PixelSize};

use super::Theme;
use crate::protocol::{Activity, Short, Step};
use crate::session::{Phase, Piece, Timestamp, mmss, shown_seconds};
use crate::tui::state::Ui;

/// The digits' size for an area: full (8 rows) where there is room, quadrant (4 rows) on
/// smaller screens, none on tiny ones, where the plain MM:SS stays.
fn big_size(width: u16, height: u16) -> Option<(PixelSize, u16)> {
    if height >= 13 && width >= 42 {
        Some((PixelSize::Full, 8))
    } else if height >= 7 && width >= 22 {
        Some((PixelSize::Quadrant, 4))
    } else {
        None
    }
}

/// How many rows the countdown wants, given at most `room`.
pub fn height(width: u16, room: u16) -> u16 {
    let digits = big_size(width, room).map_or(0, |(_, h)| h);
    (digits + 5).min(room)
}

/// Draws the countdown of the active step.
pub fn render(frame: &mut Frame, area: Rect, ui: &Ui, step: &Step, now: Timestamp, theme: Theme) {
    let Some(run) = ui.live.session.run() else {
        return;
    };
    let left = shown_seconds(run.piece_left(now));
    let digits = mmss(left);
    let piece = run.current(now);
    let state = match run.phase {
        Phase::Ready => " · Enter starts",
        Phase::Paused { .. } => " · paused",
        Phase::Finished => " · done",
        Phase::Running { .. } => "",
    };
    // What is under way: the hold and side, or the timer's marks.
    let (heading, how, next) = describe(step, piece);
    let whole = shown_seconds(run.left(now));
    // A hold sequence also says how long the whole step has to go.
    let plain = if whole > left {
        format!("{digits} left · whole step {}{state}", mmss(whole))
    } else {
        format!("{digits} left{state}")
    };
    let marks = marks_line(step, run.position(now)).or(heading);
    let big = big_size(area.width, area.height);
    let mut rows = Vec::new();
    if let Some((_, h)) = big {
        rows.push(Constraint::Length(h));
    }
    rows.extend([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(u16::from(marks.is_some())),
        Constraint::Min(0),
    ]);
    let parts = Layout::vertical(rows).split(area);
    let mut i = 0;
    let color = match run.phase {
        Phase::Paused { .. } => Color::Yellow,
        _ => Color::Reset,
    };
    if let Some((size, _)) = big {
        let text = BigText::builder()
            .pixel_size(size)
            .style(theme.fg(color))
            .lines(vec![digits.clone().into()])
            .build();
        frame.render_widget(text, parts[0]);
        i = 1;
    }
    frame.render_widget(Paragraph::new(Line::styled(plain, theme.bold())), parts[i]);
    let total = piece_len(run, now);
    let ratio = if total.is_zero() {
        1.0
    } else {
        1.0 - run.piece_left(now).as_secs_f64() / total.as_secs_f64()
    };
    frame.render_widget(
        Gauge::default()
            .ratio(ratio.clamp(0.0, 1.0))
            .label("")
            .gauge_style(theme.fg(Color::Cyan)),
        parts[i + 1],
    );
    if let Some(m) = marks {
        frame.render_widget(Paragraph::new(m), parts[i + 2]);
    }
    let mut lines = Vec::new();
    if let Some(how) = how {
        lines.push(Line::from(how));
    }
    if let Some(next) = next {
        lines.push(Line::styled(
            format!("Next: {next}"),
            theme.fg(Color::DarkGray),
        ));
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }),
        parts[i + 3],
    );
}

/// The length of the piece under way.
fn piece_len(run: &crate::session::Run, now: Timestamp) -> std::time::Duration {
    let (index, start) = run.piece_at(run.position(now));
    let end = run.position(now) + run.piece_left(now);
    let _ = index;
    end.saturating_sub(start)
}

/// For a hold: "Quadriceps, left leg" (or "get ready for ..."), its how-to, what comes next.
fn describe(step: &Step, piece: Piece) -> (Option<String>, Option<String>, Option<String>) {
    let Activity::Holds(h) = &step.activity else {
        return (None, None, None);
    };
    let (Piece::Gap { hold, side } | Piece::Hold { hold, side }) = piece else {
        return (None, None, None);
    };
    let Some(held) = h.holds.get(hold) else {
        return (None, None, None);
    };
    let side_name = side.and_then(|s| held.sides.get(s));
    let name = match side_name {
        Some(side) => format!("{}, {side}", held.name),
        None => held.name.clone(),
    };
    let heading = match piece {
        Piece::Gap { .. } => format!("get ready: {name}"),
        _ => name,
    };
    let next = match (side, held.sides.len()) {
        (Some(s), n) if s + 1 < n => Some(format!("{}, {}", held.name, held.sides[s + 1])),
        _ => h.holds.get(hold + 1).map(|n| match n.sides.first() {
            Some(side) => format!("{}, {side}", n.name),
            None => n.name.clone(),
        }),
    };
    (Some(heading), held.how.clone(), next)
}

/// A timer's marks, ticked once passed: "✓ 3m the worst is over · 10m minimum".
fn marks_line(step: &Step, position: std::time::Duration) -> Option<String> {
    let Activity::Timer(t) = &step.activity else {
        return None;
    };
    let mut marks: Vec<(std::time::Duration, String)> = t
        .cues
        .iter()
        .map(|c| (c.at, format!("{} cue", Short(c.at))))
        .collect();
    if t.length.is_range() {
        marks.push((t.length.min, format!("{} minimum", Short(t.length.min))));
    }
    marks.sort();
    if marks.is_empty() {
        return None;
    }
    Some(
        marks
            .into_iter()
            .map(|(at, text)| {
                if position >= at {
                    format!("✓ {text}")
                } else {
                    text
                }
            })
            .collect::<Vec<_>>()
            .join(" · "),
    )
}

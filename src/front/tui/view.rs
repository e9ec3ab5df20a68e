//! One function per part of the screen. Rendering reads the UI state and the time; it never
//! changes anything.
pub mod change;
mod checklist;
mod countdown;
mod footer;
pub mod history;
mod overlay;
pub mod setup;
pub mod sore;
mod step;
mod summary;
pub mod value;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::core::clock::{clock_after, clock_in};
use crate::core::guide::{Guide, Overlay, narrate, when};
use crate::core::plan;
use crate::core::session::Timestamp;

/// Colours, or none under `NO_COLOR`.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    color: bool,
}

impl Theme {
    /// Colours unless `color` is false (`NO_COLOR`).
    pub fn new(color: bool) -> Theme {
        Theme { color }
    }
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

pub use countdown::{Clock, Countdown, Drawn, Place, Shows, row_mut};

/// What a screen is drawn on: the guide's own frame (a [`Buffer`], see `tui::screen`), or
/// ratatui's [`Frame`] in the tests that draw through ratatui's `Terminal`.
pub trait Canvas {
    /// The whole screen.
    fn area(&self) -> Rect;
    /// The cells drawn so far.
    fn buffer_mut(&mut self) -> &mut Buffer;
    /// Draws `widget` over `area`.
    fn render_widget<W: ratatui::widgets::Widget>(&mut self, widget: W, area: Rect) {
        widget.render(area, self.buffer_mut());
    }
}

impl Canvas for Buffer {
    fn area(&self) -> Rect {
        self.area
    }
    fn buffer_mut(&mut self) -> &mut Buffer {
        self
    }
}

impl Canvas for Frame<'_> {
    fn area(&self) -> Rect {
        Frame::area(self)
    }
    fn buffer_mut(&mut self) -> &mut Buffer {
        Frame::buffer_mut(self)
    }
}
pub use overlay::details_scroll_max;

/// Draws the whole screen.
pub fn render(frame: &mut impl Canvas, ui: &Guide, theme: Theme, now: Timestamp) {
    let _ = render_frame(frame, ui, theme, now);
}

/// Draws the whole screen; returns where the countdown is and what it shows when the passing
/// of time alone changes nothing else on it (no overlay, no flash), so the next seconds can
/// redraw just what changed of it: see [`Countdown::render_changes`] and [`still`].
pub fn render_frame(
    frame: &mut impl Canvas,
    ui: &Guide,
    theme: Theme,
    now: Timestamp,
) -> Option<Clock> {
    let area = frame.area();
    if area.width == 0 || area.height == 0 {
        return None;
    }
    let flash = ui.flashing(now);
    if flash {
        let style = if theme.color {
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
        footer::render(frame, f, ui, now);
    }
    let clock = if body.width >= 72 && body.height >= 10 {
        let list_width = (body.width / 3).clamp(30, 44);
        let [list, step] =
            Layout::horizontal([Constraint::Length(list_width), Constraint::Min(1)]).areas(body);
        checklist::render(frame, list, ui, now, theme);
        step::render(frame, step, ui, now, theme, true)
    } else {
        // No list on screen: the row Up/Down has picked shows on a line of its own above the
        // step under way, while it is another than that step.
        let body = if ui.session().active() != Some(ui.cursor) && body.height >= 4 {
            let [picked, rest] =
                Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(body);
            checklist::render_picked(frame, picked, ui, now, theme);
            rest
        } else {
            body
        };
        step::render(
            frame,
            body,
            ui,
            now,
            theme,
            body.height >= 6 && body.width >= 20,
        )
    };
    match ui.overlay {
        Some(Overlay::Help) => overlay::help(frame, area),
        Some(Overlay::Details { step, scroll }) => {
            overlay::details(frame, area, ui, step, scroll, theme, now);
        }
        Some(Overlay::ConfirmEarly { step, opens }) => {
            let question = narrate::early(ui.session(), step, opens, *ui.zone(), ui.hours());
            overlay::confirm_early(frame, area, &question);
        }
        Some(Overlay::ConfirmSkip) => {
            let title = ui.active_title();
            overlay::confirm_skip(frame, area, &title);
        }
        Some(Overlay::ConfirmExtend { top, .. }) => {
            let title = ui.session().piece_title(now);
            overlay::confirm_extend(frame, area, &title, top);
        }
        None => {}
    }
    clock.filter(|_| ui.overlay.is_none() && !flash)
}

/// The moments around `since` between which a frame differs from one drawn at `since` in
/// the countdown alone: no flash, no change the session makes by itself (the next cue, hold
/// or end), every window of the checklist in the status it had. Empty during a flash; it
/// leaves out `since` itself when a mark is overdue then. Worked out once per whole frame,
/// so a tick only compares two timestamps.
pub fn still(ui: &Guide, since: Timestamp) -> std::ops::Range<Timestamp> {
    let s = &ui.session();
    if ui.flashing(since) {
        return since..since;
    }
    let mut range = ui.words_still(since);
    let mut cut = |at: Timestamp| {
        if at <= since {
            range.start = range.start.max(at);
        } else {
            range.end = range.end.min(at);
        }
    };
    if let Some(flash) = ui.flash_until {
        cut(flash);
    }
    // A deadline ends the range even when overdue: a mark due but not yet fired means the
    // frame at `since` is already out of date.
    let deadline = s.next_deadline(since);
    for w in s.protocol.steps.iter().filter_map(|step| step.window) {
        let t = plan::times(&w, s.finished_at, s.bedtime);
        plan::changes(&t).into_iter().for_each(&mut cut);
        // "in 46m" counts down a minute at a time.
        let words = when::still(&t, since);
        cut(words.start);
        if words.end < Timestamp::MAX_UTC {
            cut(words.end);
        }
    }
    if let Some(d) = deadline {
        range.end = range.end.min(d);
    }
    range
}

fn render_header(frame: &mut impl Canvas, area: Rect, ui: &Guide, theme: Theme) {
    let s = &ui.session();
    let progress = format!("{}/{} done", s.done_count(), s.states().len());
    let bed = clock_after(s.bedtime, s.finished_at, ui.zone(), ui.hours());
    // On a narrow screen the protocol's name and the run's time give way to what changes.
    // The run from the watch says how far, where there is room: "run 07:42 (21.1 km)".
    let far = s
        .recorded
        .as_ref()
        .filter(|_| area.width >= 80)
        .and_then(|run| run.distance(ui.units()))
        .map(|d| format!(" ({d})"))
        .unwrap_or_default();
    let text = if area.width >= 64 {
        format!(
            " {} · run {}{far} · bed {bed} · {progress}",
            s.protocol.name,
            clock_in(s.finished_at, ui.zone(), ui.hours()),
        )
    } else {
        format!(" {progress} · bed {bed}")
    };
    let line = Line::from(vec![
        Span::styled(text, theme.bold()),
        Span::raw("   ? keys"),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

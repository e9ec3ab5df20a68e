//! The "Now" panel: the current step's title, what to do, its countdown, the last note, the
//! tips. Each part asks for rows and has a rank; when the panel is short the parts of lower
//! rank give way first, so the time left is the last thing to go.
use super::Canvas;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::countdown::{Clock, Countdown, Digits, Place};
use super::{Theme, summary};
use crate::core::guide::Guide;
use crate::core::session::{Phase, Timestamp};

/// What one part of the panel asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Want {
    /// Rows it would like.
    pub rows: u16,
    /// 0 is kept first.
    pub rank: u8,
    /// All its rows or none (big digits cut in half read as nothing).
    pub whole: bool,
}

impl Want {
    fn lines(rows: usize, rank: u8) -> Want {
        Want {
            rows: u16::try_from(rows).unwrap_or(u16::MAX),
            rank,
            whole: false,
        }
    }
}

/// Shares `total` rows out among parts by rank: each part in rank order gets what it wants
/// while rows are left (a `whole` part gets all or nothing). Ties keep display order.
pub fn allot(wants: &[Want], total: u16) -> Vec<u16> {
    let mut order: Vec<usize> = (0..wants.len()).collect();
    order.sort_by_key(|&i| wants[i].rank);
    let mut left = total;
    let mut rows = vec![0; wants.len()];
    for i in order {
        let w = wants[i];
        let got = if w.whole && w.rows > left {
            0
        } else {
            w.rows.min(left)
        };
        rows[i] = got;
        left -= got;
    }
    rows
}

/// Lays out parts top to bottom in the rows `allot` gave them.
fn stack(area: Rect, rows: &[u16]) -> Vec<Rect> {
    let mut y = area.y;
    rows.iter()
        .map(|&h| {
            let r = Rect::new(area.x, y, area.width, h);
            y += h;
            r
        })
        .collect()
}

/// Draws a part into the rows it was given.
type Draw<'a> = Box<dyn FnOnce(&mut Buffer, Rect) + 'a>;

/// A part of the panel: what it asks for and what it draws.
struct Part<'a> {
    want: Want,
    draw: Draw<'a>,
}

fn text_part<'a>(text: Paragraph<'a>, width: u16, rank: u8, max: usize) -> Part<'a> {
    let text = text.wrap(Wrap { trim: true });
    let rows = text.line_count(width).min(max);
    Part {
        want: Want::lines(rows, rank),
        draw: Box::new(move |f, r| f.render_widget(text, r)),
    }
}

/// Draws the current step, or the day's summary once every step is settled. Returns where
/// the countdown is, while one runs.
pub fn render(
    frame: &mut impl Canvas,
    area: Rect,
    ui: &Guide,
    now: Timestamp,
    theme: Theme,
    framed: bool,
) -> Option<Clock> {
    let s = &ui.session();
    let inner = if framed {
        let block = Block::default().borders(Borders::ALL).title(" Now ");
        let inner = block.inner(area);
        frame.render_widget(block, area);
        inner
    } else {
        area
    };
    if inner.height == 0 || inner.width == 0 {
        return None;
    }
    let Some(step) = s.active_step() else {
        summary::render(frame, inner, ui, theme);
        return None;
    };
    let width = inner.width;
    let mut parts: Vec<Part> = Vec::new();
    parts.push(text_part(
        Paragraph::new(Line::styled(
            step.title.clone(),
            theme.bold().patch(theme.fg(Color::Cyan)),
        )),
        width,
        3,
        1,
    ));
    let timed = s.run().is_some();
    // Before a timer starts there is time to read: the details come before the big digits,
    // which show only the whole length until then.
    let ready = matches!(s.run().map(|r| r.phase), Some(Phase::Ready));
    // While a timer runs, what to do is a reminder; before, it is the instruction.
    parts.push(text_part(
        Paragraph::new(step.what.clone()),
        width,
        if timed { 6 } else { 1 },
        if timed { 3 } else { usize::MAX },
    ));
    // The countdown's moving parts (digits, plain time, bar) only keep rows here, at these
    // indices; the countdown draws them itself once the rows are known.
    let mut clock_parts = [None; 3];
    let countdown = s.run().map(|run| Countdown::new(step, run, now, theme));
    let digits = Digits::fitting(width, inner.height);
    if let Some(c) = &countdown {
        let keep = |rows, rank, whole| Part {
            want: Want { rows, rank, whole },
            draw: Box::new(|_, _| {}),
        };
        if let Some(size) = digits {
            clock_parts[0] = Some(parts.len());
            parts.push(keep(size.cell().1, if ready { 10 } else { 1 }, true));
        }
        clock_parts[1] = Some(parts.len());
        parts.push(keep(1, 0, false));
        clock_parts[2] = Some(parts.len());
        // An empty bar says nothing before the start.
        parts.push(keep(1, if ready { 11 } else { 5 }, false));
        if let Some(heading) = c.heading(s, s.active().unwrap_or_default(), width) {
            parts.push(text_part(Paragraph::new(heading), width, 2, 3));
        }
        if let Some(how) = c.how() {
            parts.push(text_part(Paragraph::new(how), width, 4, usize::MAX));
        }
        if let Some(next) = c.next() {
            parts.push(text_part(Paragraph::new(next), width, 7, 1));
        }
    }
    if let Some(note) = ui.note(now) {
        parts.push(text_part(
            Paragraph::new(Line::styled(
                note,
                theme.bold().patch(theme.fg(Color::Yellow)),
            )),
            width,
            2,
            3,
        ));
    }
    if let Some(aside) = ui.aside(now) {
        parts.push(text_part(
            Paragraph::new(Line::styled(aside, theme.fg(Color::Yellow))),
            width,
            4,
            2,
        ));
    }
    if (!timed || ready)
        && let Some(details) = &step.details
    {
        parts.push(text_part(
            Paragraph::new(details.clone()),
            width,
            8,
            usize::MAX,
        ));
    }
    if !step.tips.is_empty() {
        let tips: Vec<Line> = step
            .tips
            .iter()
            .map(|t| Line::from(format!("· {t}")))
            .collect();
        parts.push(text_part(Paragraph::new(tips), width, 9, usize::MAX));
    }
    let wants: Vec<Want> = parts.iter().map(|p| p.want).collect();
    let rows = allot(&wants, inner.height);
    let rects = stack(inner, &rows);
    for (part, rect) in parts.into_iter().zip(&rects) {
        if rect.height > 0 {
            (part.draw)(frame.buffer_mut(), *rect);
        }
    }
    let placed = |i: Option<usize>| {
        i.and_then(|i| rects.get(i).copied())
            .filter(|r| r.height > 0)
    };
    let place = Place {
        digits: placed(clock_parts[0]).zip(digits),
        plain: placed(clock_parts[1]),
        bar: placed(clock_parts[2]),
    };
    let drawn = countdown?.render_whole(&place, frame.buffer_mut());
    let running = matches!(s.run().map(|r| r.phase), Some(Phase::Running { .. }));
    running.then_some(Clock { place, drawn })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn want(rows: u16, rank: u8, whole: bool) -> Want {
        Want { rows, rank, whole }
    }

    #[test]
    fn everything_fits_when_there_is_room() {
        let w = [want(1, 3, false), want(8, 1, true), want(1, 0, false)];
        assert_eq!(allot(&w, 20), vec![1, 8, 1]);
    }

    #[test]
    fn low_ranks_give_way_first() {
        // title (3), digits (1, whole), plain (0), tips (9)
        let w = [
            want(1, 3, false),
            want(4, 1, true),
            want(1, 0, false),
            want(5, 9, false),
        ];
        assert_eq!(allot(&w, 7), vec![1, 4, 1, 1]);
        assert_eq!(allot(&w, 5), vec![0, 4, 1, 0]);
    }

    #[test]
    fn a_whole_part_takes_all_or_nothing() {
        let w = [want(8, 1, true), want(1, 0, false), want(3, 2, false)];
        assert_eq!(allot(&w, 6), vec![0, 1, 3]);
    }

    #[test]
    fn no_rows_no_parts() {
        let w = [want(1, 0, false), want(2, 1, false)];
        assert_eq!(allot(&w, 0), vec![0, 0]);
    }
}

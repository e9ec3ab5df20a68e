//! The "Now" panel: the current step's title, what to do, its countdown, the last note, the
//! tips. Each part asks for rows and has a rank; when the panel is short the parts of lower
//! rank give way first, so the time left is the last thing to go.
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Color;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};
use tui_big_text::PixelSize;

use super::{Theme, countdown, summary};
use crate::core::session::Timestamp;
use crate::core::guide::Guide;

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
type Draw<'a> = Box<dyn FnOnce(&mut Frame, Rect) + 'a>;

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

/// Where a running countdown's parts are on screen: all that the passing of a second changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    digits: Option<(Rect, PixelSize)>,
    plain: Option<Rect>,
    gauge: Option<Rect>,
    width: u16,
}

/// The time as plain text, as the panel shows it.
fn plain_text(line: Line<'static>) -> Paragraph<'static> {
    Paragraph::new(line).alignment(Alignment::Center)
}

/// What the painter's ticks last drew of the countdown, so the next tick draws only what
/// moved; `None` after a whole frame, when the next tick draws every part whole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drawn {
    /// The digits' text, glyph by glyph.
    digits: String,
    /// Where the plain time's line starts and how wide it is, when it fitted on one line.
    plain: Option<(u16, u16)>,
    /// How many cells of the bar are filled.
    filled: Option<u16>,
}

/// What the countdown's parts show at a moment: the seconds of the digits and of the whole
/// step, and the bar's fill. Two moments with the same key draw the same clock.
pub type ClockKey = (u64, u64, Option<u16>);

/// The countdown's [`ClockKey`] at `now`.
pub fn clock_key(clock: &Clock, ui: &Guide, now: Timestamp, theme: Theme) -> ClockKey {
    let s = &ui.session();
    let (Some(step), Some(run)) = (s.active_step(), s.run()) else {
        return (0, 0, None);
    };
    let c = countdown::Countdown::new(step, run, now, theme);
    let whole = crate::core::session::shown_seconds(run.left(now));
    (
        c.left(),
        whole,
        clock.gauge.map(|r| c.bar().filled(r.width)),
    )
}

/// The countdown's parts at `now`, each a buffer over the area it may have changed, as a
/// whole frame would draw it there: the digits' glyphs that show another character than
/// `last` drew (all of them if the text changed length), the columns that the plain time's
/// line covered or covers, the columns of the bar between its old and new fill. Without
/// `last`, every part whole. Returns them with what they draw, for the next tick.
pub fn clock_patches(
    clock: &Clock,
    ui: &Guide,
    last: Option<&Drawn>,
    glyphs: &mut countdown::Glyphs,
    now: Timestamp,
    theme: Theme,
) -> (Vec<Buffer>, Drawn) {
    let s = &ui.session();
    let (Some(step), Some(run)) = (s.active_step(), s.run()) else {
        return (Vec::new(), Drawn::default());
    };
    let c = countdown::Countdown::new(step, run, now, theme);
    let mut patches = Vec::new();
    let drawn_at = |r: Rect, draw: &dyn Fn(Rect, &mut Buffer)| {
        let mut buf = Buffer::empty(r);
        draw(r, &mut buf);
        buf
    };
    let mut drawn = Drawn {
        digits: c.digits_text(),
        plain: None,
        filled: None,
    };
    if let Some((r, size)) = clock.digits {
        // BigText lays glyphs out on a fixed grid, the line centred: each glyph is drawn in
        // its own cell, and the painter sends only the cells that differ from the screen.
        // A glyph that `last` drew with the same character is left alone.
        let new = &drawn.digits;
        let n = new.chars().count();
        let old: Vec<char> = last
            .map(|l| &l.digits)
            .filter(|d| d.chars().count() == n)
            .map_or_else(Vec::new, |d| d.chars().collect());
        let cell = match size {
            PixelSize::Full => Some((8, 8)),
            PixelSize::Quadrant => Some((4, 4)),
            _ => None,
        };
        match cell {
            Some((gw, gh)) => {
                let width = u16::try_from(n).unwrap_or(u16::MAX).saturating_mul(gw);
                let x0 = r.x + (r.width / 2).saturating_sub(width / 2);
                for (i, b) in (0u16..).zip(new.chars()) {
                    let x = x0.saturating_add(i.saturating_mul(gw));
                    if x >= r.right() {
                        break;
                    }
                    if old.get(usize::from(i)) == Some(&b) {
                        continue;
                    }
                    let g = Rect::new(x, r.y, gw.min(r.right() - x), gh.min(r.height));
                    if (g.width, g.height) == (gw, gh) {
                        let mut cells = c.cached_glyph(glyphs, size, (gw, gh), b).clone();
                        cells.area = g;
                        patches.push(cells);
                    } else {
                        patches.push(drawn_at(g, &|g, buf| c.glyph(size, b).render(g, buf)));
                    }
                }
            }
            None => patches.push(drawn_at(r, &|r, buf| c.digits(size).render(r, buf))),
        }
    }
    if let Some(r) = clock.plain {
        let line = c.plain(clock.width);
        match u16::try_from(line.width()) {
            // What the paragraph draws for a line that fits, without wrapping it: only the
            // columns the old line or the new one covers can differ.
            Ok(width) if width <= r.width => {
                let x = r.x + (r.width / 2).saturating_sub(width / 2);
                let cols = match last.and_then(|l| l.plain) {
                    Some((was, was_width)) => {
                        let left = x.min(was);
                        let right = (x + width).max(was + was_width).min(r.right());
                        Rect::new(left, r.y, right - left, 1)
                    }
                    None => r,
                };
                patches.push(drawn_at(cols, &|_, buf| {
                    buf.set_line(x, r.y, &line, width);
                }));
                drawn.plain = Some((x, width));
            }
            _ => patches.push(drawn_at(r, &|r, buf| {
                plain_text(line.clone())
                    .wrap(Wrap { trim: true })
                    .render(r, buf)
            })),
        }
    }
    if let Some(r) = clock.gauge {
        let bar = c.bar();
        let filled = bar.filled(r.width);
        let cols = match last.and_then(|l| l.filled) {
            Some(was) => {
                let (from, to) = (was.min(filled), was.max(filled));
                Rect::new(r.x + from, r.y, to - from, r.height)
            }
            None => r,
        };
        if !cols.is_empty() {
            patches.push(drawn_at(cols, &|_, buf| bar.render(r, buf)));
        }
        drawn.filled = Some(filled);
    }
    (patches, drawn)
}

/// Draws the current step, or the day's summary once every step is settled. Returns where
/// the countdown is, while one runs.
pub fn render(
    frame: &mut Frame,
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
    // Which parts are the clock's: digits, plain time, bar.
    let mut clock_parts = [None; 3];
    // While a timer runs, what to do is a reminder; before, it is the instruction.
    parts.push(text_part(
        Paragraph::new(step.what.clone()),
        width,
        if timed { 6 } else { 1 },
        if timed { 3 } else { usize::MAX },
    ));
    if let Some(run) = s.run() {
        let c = countdown::Countdown::new(step, run, now, theme);
        if let Some((size, rows)) = countdown::big_size(width, inner.height) {
            let digits = c.digits(size);
            clock_parts[0] = Some((parts.len(), Some(size)));
            parts.push(Part {
                want: Want {
                    rows,
                    rank: 1,
                    whole: true,
                },
                draw: Box::new(move |f, r| f.render_widget(digits, r)),
            });
        }
        clock_parts[1] = Some((parts.len(), None));
        parts.push(text_part(plain_text(c.plain(width)), width, 0, 1));
        let bar = c.bar();
        clock_parts[2] = Some((parts.len(), None));
        parts.push(Part {
            want: Want::lines(1, 5),
            draw: Box::new(move |f, r| f.render_widget(bar, r)),
        });
        if let Some(heading) = c.heading() {
            parts.push(text_part(Paragraph::new(heading), width, 2, 2));
        }
        if let Some(how) = c.how() {
            parts.push(text_part(Paragraph::new(how), width, 4, usize::MAX));
        }
        if let Some(next) = c.next() {
            parts.push(text_part(Paragraph::new(next), width, 7, 1));
        }
    }
    if let Some(note) = &ui.note {
        parts.push(text_part(
            Paragraph::new(Line::styled(
                note.clone(),
                theme.bold().patch(theme.fg(Color::Yellow)),
            )),
            width,
            2,
            3,
        ));
    }
    if !timed && let Some(details) = &step.details {
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
            (part.draw)(frame, *rect);
        }
    }
    let placed = |i: usize| {
        clock_parts[i]
            .and_then(|(ix, size)| rects.get(ix).map(|r| (*r, size)))
            .filter(|(r, _)| r.height > 0)
    };
    let running = matches!(
        s.run().map(|r| r.phase),
        Some(crate::core::session::Phase::Running { .. })
    );
    running.then(|| Clock {
        digits: placed(0).and_then(|(r, size)| size.map(|size| (r, size))),
        plain: placed(1).map(|(r, _)| r),
        gauge: placed(2).map(|(r, _)| r),
        width,
    })
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

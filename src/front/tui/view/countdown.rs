//! The countdown's parts: big digits readable from a bath two metres away, the same time as
//! plain MM:SS, a bar of the piece under way, the timer's marks, and for a hold sequence the
//! hold, the side, its how-to and what comes next. The "Now" panel decides which of them fit.
use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::Widget;
use tui_big_text::{BigText, PixelSize};

use super::Theme;
use crate::core::protocol::{Activity, Holds, Short, Step};
use crate::core::session::{Phase, Piece, Run, Timestamp, mmss, shown_seconds};

/// The digits' size for a panel: full (8 rows) where there is room, quadrant (4 rows) on
/// smaller screens, none on tiny ones, where the plain MM:SS stays.
pub fn big_size(width: u16, height: u16) -> Option<(PixelSize, u16)> {
    if height >= 16 && width >= 42 {
        Some((PixelSize::Full, 8))
    } else if height >= 7 && width >= 22 {
        Some((PixelSize::Quadrant, 4))
    } else {
        None
    }
}

/// The digits' glyphs as drawn once, by character, size and colour: a tick copies a glyph's
/// cells instead of drawing it from the font again (most of a tick's work, once a second).
/// A countdown needs at most a dozen (0-9, the colon, paused or not).
#[derive(Debug, Default)]
pub struct Glyphs(Vec<(char, PixelSize, Style, Buffer)>);

/// How far through the piece under way, as a row of blocks filled from the left. Drawn by
/// hand rather than with ratatui's `Gauge`, which formats a percentage on every draw even
/// with no label shown, and leaves a gap in the middle of the fill without colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    ratio: f64,
    style: Style,
}

impl Bar {
    /// How many cells of a bar `width` wide are filled.
    pub fn filled(&self, width: u16) -> u16 {
        // At most `width`: the ratio is within 0..=1.
        (f64::from(width) * self.ratio).round() as u16
    }
}

impl Widget for Bar {
    /// Draws the bar over `area`; only the cells within the buffer's own area, so a tick can
    /// draw the few columns that moved.
    fn render(self, area: Rect, buf: &mut Buffer) {
        let end = area.x + self.filled(area.width);
        let cols = area.intersection(buf.area);
        for y in cols.top()..cols.bottom() {
            for x in cols.left()..cols.right() {
                let cell = &mut buf[(x, y)];
                if x < end {
                    cell.set_symbol(ratatui::symbols::block::FULL)
                        .set_style(self.style);
                } else {
                    cell.set_symbol(" ");
                }
            }
        }
    }
}

/// The running step's countdown at one moment.
pub struct Countdown<'a> {
    step: &'a Step,
    run: &'a Run,
    now: Timestamp,
    theme: Theme,
}

impl<'a> Countdown<'a> {
    /// The countdown of `step`, whose run is `run`, at `now`.
    pub fn new(step: &'a Step, run: &'a Run, now: Timestamp, theme: Theme) -> Self {
        Countdown {
            step,
            run,
            now,
            theme,
        }
    }

    /// The seconds the digits show: the piece under way, or before the start the whole step.
    pub fn left(&self) -> u64 {
        match self.run.phase {
            Phase::Ready => shown_seconds(self.run.left(self.now)),
            _ => shown_seconds(self.run.piece_left(self.now)),
        }
    }

    /// The time left as the digits spell it.
    pub fn digits_text(&self) -> String {
        mmss(self.left())
    }

    /// One glyph of the digits, drawn on its own from the left of its area, as
    /// [`Countdown::digits`] draws it within the line.
    pub fn glyph(&self, size: PixelSize, glyph: char) -> BigText<'static> {
        BigText::builder()
            .pixel_size(size)
            .style(self.digit_style())
            .alignment(Alignment::Left)
            .lines(vec![glyph.to_string().into()])
            .build()
    }

    /// One glyph of the digits at its full size, from `glyphs`, drawn there the first time.
    pub fn cached_glyph<'g>(
        &self,
        glyphs: &'g mut Glyphs,
        size: PixelSize,
        (width, height): (u16, u16),
        glyph: char,
    ) -> &'g Buffer {
        let style = self.digit_style();
        let found = glyphs
            .0
            .iter()
            .position(|(c, p, s, _)| (*c, *p, *s) == (glyph, size, style));
        let i = found.unwrap_or_else(|| {
            let mut buf = Buffer::empty(Rect::new(0, 0, width, height));
            self.glyph(size, glyph).render(buf.area, &mut buf);
            glyphs.0.push((glyph, size, style, buf));
            glyphs.0.len() - 1
        });
        &glyphs.0[i].3
    }

    fn digit_style(&self) -> Style {
        let color = match self.run.phase {
            Phase::Paused { .. } => Color::Yellow,
            _ => Color::Reset,
        };
        self.theme.fg(color)
    }

    /// The time left in big digits; yellow while paused.
    pub fn digits(&self, size: PixelSize) -> BigText<'static> {
        BigText::builder()
            .pixel_size(size)
            .style(self.digit_style())
            .alignment(Alignment::Center)
            .lines(vec![self.digits_text().into()])
            .build()
    }

    /// `08:41 left`, with the whole step's time for a hold sequence and the timer's state;
    /// shorter wording where `width` is narrow.
    pub fn plain(&self, width: u16) -> Line<'static> {
        let left = mmss(self.left());
        let whole = shown_seconds(self.run.left(self.now));
        let narrow = width < 36;
        let text = match self.run.phase {
            Phase::Ready if narrow => format!("{left} · Enter starts"),
            Phase::Ready => format!("{left} in all · Enter starts"),
            Phase::Finished => format!("{left} · done"),
            _ => {
                let state = if matches!(self.run.phase, Phase::Paused { .. }) {
                    " · paused"
                } else {
                    ""
                };
                if whole > self.left() && narrow {
                    format!("{left} · all {}{state}", mmss(whole))
                } else if whole > self.left() {
                    format!("{left} left · whole step {}{state}", mmss(whole))
                } else {
                    format!("{left} left{state}")
                }
            }
        };
        Line::styled(text, self.theme.bold())
    }

    /// How far through the piece under way.
    pub fn bar(&self) -> Bar {
        let position = self.run.position(self.now);
        let (_, start) = self.run.piece_at(position);
        let left = self.run.piece_left(self.now);
        let total = (position + left).saturating_sub(start);
        let ratio = if total.is_zero() {
            1.0
        } else {
            1.0 - left.as_secs_f64() / total.as_secs_f64()
        };
        Bar {
            ratio: ratio.clamp(0.0, 1.0),
            style: self.theme.fg(Color::Cyan),
        }
    }

    /// For a hold: "Quadriceps, left leg" (or "Get ready: ..."); for a timer, its marks.
    pub fn heading(&self) -> Option<Line<'static>> {
        if let Some(marks) = marks_line(self.step, self.run.position(self.now)) {
            return Some(Line::from(marks));
        }
        let (held, side) = self.hold()?;
        let name = match side {
            Some(side) => format!("{}, {side}", held.name),
            None => held.name.clone(),
        };
        let text = match self.run.current(self.now) {
            Piece::Gap { .. } => format!("Get ready: {name}"),
            _ => name,
        };
        Some(Line::styled(
            text,
            self.theme.bold().patch(self.theme.fg(Color::Cyan)),
        ))
    }

    /// The hold's how-to.
    pub fn how(&self) -> Option<String> {
        self.hold().and_then(|(h, _)| h.how.clone())
    }

    /// What comes after this hold or side.
    pub fn next(&self) -> Option<Line<'static>> {
        let (holds, hold, side) = self.place()?;
        let held = holds.holds.get(hold)?;
        let next = match side {
            Some(s) if s + 1 < held.sides.len() => {
                format!("{}, {}", held.name, held.sides[s + 1])
            }
            _ => {
                let n = holds.holds.get(hold + 1)?;
                match n.sides.first() {
                    Some(side) => format!("{}, {side}", n.name),
                    None => n.name.clone(),
                }
            }
        };
        Some(Line::styled(
            format!("Next: {next}"),
            self.theme.fg(Color::DarkGray),
        ))
    }

    /// The hold sequence, and the hold and side under way (or about to start).
    fn place(&self) -> Option<(&'a Holds, usize, Option<usize>)> {
        let Activity::Holds(h) = &self.step.activity else {
            return None;
        };
        let (Piece::Gap { hold, side } | Piece::Hold { hold, side }) = self.run.current(self.now)
        else {
            return None;
        };
        Some((h, hold, side))
    }

    /// The hold under way (or about to start) and its side.
    fn hold(&self) -> Option<(&'a crate::core::protocol::Hold, Option<&'a String>)> {
        let (holds, hold, side) = self.place()?;
        let held = holds.holds.get(hold)?;
        Some((held, side.and_then(|s| held.sides.get(s))))
    }
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
    if t.hard_max {
        marks.push((t.length.max, format!("{} limit", Short(t.length.max))));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(ratio: f64, color: bool) -> Bar {
        Bar {
            ratio,
            style: Theme { color }.fg(Color::Cyan),
        }
    }

    fn symbols(buf: &Buffer) -> String {
        buf.content.iter().map(|c| c.symbol()).collect()
    }

    #[test]
    fn a_full_bar_has_no_gap_with_or_without_colour() {
        for color in [true, false] {
            let area = Rect::new(0, 0, 9, 1);
            let mut buf = Buffer::empty(area);
            bar(1.0, color).render(area, &mut buf);
            assert_eq!(symbols(&buf), "█".repeat(9), "colour {color}");
        }
    }

    #[test]
    fn a_bar_fills_from_the_left_rounding_to_the_nearest_cell() {
        let area = Rect::new(2, 1, 10, 1);
        let mut buf = Buffer::empty(area);
        bar(0.44, true).render(area, &mut buf);
        assert_eq!(symbols(&buf), "████      ");
        assert_eq!(buf[(2, 1)].fg, Color::Cyan);
        assert_eq!(bar(0.45, true).filled(10), 5);
        assert_eq!(bar(0.0, true).filled(10), 0);
    }

    #[test]
    fn a_bar_drawn_into_a_few_columns_draws_them_as_the_whole_bar_does() {
        let area = Rect::new(0, 0, 20, 1);
        let mut whole = Buffer::empty(area);
        bar(0.5, true).render(area, &mut whole);
        let cols = Rect::new(8, 0, 4, 1);
        let mut part = Buffer::empty(cols);
        bar(0.5, true).render(area, &mut part);
        for x in cols.left()..cols.right() {
            assert_eq!(part[(x, 0)], whole[(x, 0)], "column {x}");
        }
    }
}

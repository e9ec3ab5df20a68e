//! The big digits: tui-big-text's font, laid out as its `BigText` lays out a centred line (a
//! fixed grid of glyph cells), but each glyph drawn on its own, so that a redraw can draw only
//! the glyphs that show another character.
use std::sync::OnceLock;

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::widgets::Widget;
use tui_big_text::{BigText, PixelSize};

/// The digits' size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digits {
    /// One cell a pixel: 8x8 cells a glyph.
    Full,
    /// Four pixels a cell: 4x4 cells a glyph.
    Quadrant,
}

impl Digits {
    /// The digits for a panel: full where there is room, quadrant on smaller screens, none on
    /// tiny ones, where the plain MM:SS stays.
    pub fn fitting(width: u16, height: u16) -> Option<Digits> {
        if height >= 16 && width >= 42 {
            Some(Digits::Full)
        } else if height >= 7 && width >= 22 {
            Some(Digits::Quadrant)
        } else {
            None
        }
    }

    /// A glyph's width and height in cells.
    pub fn cell(self) -> (u16, u16) {
        match self {
            Digits::Full => (8, 8),
            Digits::Quadrant => (4, 4),
        }
    }

    fn pixels(self) -> PixelSize {
        match self {
            Digits::Full => PixelSize::Full,
            Digits::Quadrant => PixelSize::Quadrant,
        }
    }
}

/// The characters a countdown spells, in the order [`Font`] has them.
const CHARS: &str = "0123456789:";

/// [`CHARS`] side by side as tui-big-text's font draws them at one size, a character a
/// cell, row by row. Drawn once: a glyph is copied from here rather than drawn from the font
/// again, which was once most of a tick's work.
struct Font {
    width: usize,
    cells: Vec<char>,
}

impl Font {
    /// Draws [`CHARS`] from the font.
    ///
    /// A glyph at a time, through one glyph's buffer: the whole line at once took a buffer of
    /// 88x8 cells at 48 bytes each, 34 KB at every start for a moment (BENCHMARKS.md, "Peak
    /// memory (session 5)"). The font is a fixed grid, so a glyph drawn alone is the same.
    fn draw(size: Digits) -> Font {
        let (w, h) = size.cell();
        let width = usize::from(w) * CHARS.chars().count();
        let mut cells = vec![' '; width * usize::from(h)];
        let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
        for (i, glyph) in CHARS.chars().enumerate() {
            buf.reset();
            BigText::builder()
                .pixel_size(size.pixels())
                .alignment(Alignment::Left)
                .lines(vec![glyph.to_string().into()])
                .build()
                .render(buf.area, &mut buf);
            for (j, cell) in buf.content.iter().enumerate() {
                let (dx, dy) = (j % usize::from(w), j / usize::from(w));
                cells[dy * width + i * usize::from(w) + dx] =
                    cell.symbol().chars().next().unwrap_or(' ');
            }
        }
        Font { width, cells }
    }

    /// The character at column `dx`, row `dy` of the glyph at `index` ([`index`]).
    fn pixel(&self, index: usize, dx: u16, dy: u16) -> Option<&char> {
        let glyph_width = self.width / CHARS.len();
        self.cells
            .get(usize::from(dy) * self.width + index * glyph_width + usize::from(dx))
    }

    /// The font at `size`, drawn the first time it is asked for.
    fn at(size: Digits) -> &'static Font {
        static FULL: OnceLock<Font> = OnceLock::new();
        static QUADRANT: OnceLock<Font> = OnceLock::new();
        match size {
            Digits::Full => FULL.get_or_init(|| Font::draw(size)),
            Digits::Quadrant => QUADRANT.get_or_init(|| Font::draw(size)),
        }
    }
}

/// Where glyph `i` of a line of `n` glyphs sits in `area`, cut to it, as `BigText` lays out a
/// centred line; `None` from the first glyph past its right edge.
pub fn cell(area: Rect, size: Digits, n: usize, i: usize) -> Option<Rect> {
    let (w, h) = size.cell();
    let line = u16::try_from(n).unwrap_or(u16::MAX).saturating_mul(w);
    let x = (area.x + (area.width / 2).saturating_sub(line / 2))
        .saturating_add(u16::try_from(i).unwrap_or(u16::MAX).saturating_mul(w));
    (x < area.right()).then(|| Rect::new(x, area.y, w.min(area.right() - x), h.min(area.height)))
}

/// Draws `glyph` into `at` (a [`cell`]), its top left where the cell is cut, as `BigText`
/// draws it: `style` over the cell, then the pixels. A character the font lacks gets the
/// style alone.
pub fn draw(buf: &mut Buffer, at: Rect, size: Digits, glyph: char, style: Style) {
    draw_part(buf, at, at, size, glyph, style);
}

/// Where `glyph` is in [`CHARS`], and so in the font; `None` for a character it lacks.
fn index(glyph: char) -> Option<usize> {
    CHARS.chars().position(|c| c == glyph)
}

/// [`draw`], but only over `part` of the cell `at`.
pub fn draw_part(buf: &mut Buffer, at: Rect, part: Rect, size: Digits, glyph: char, style: Style) {
    // Cut to the buffer too: a row is found once and each cell styled and drawn in one pass
    // (a tick draws here every second; `Buffer::set_style` looked each cell up again).
    let part = part.intersection(at).intersection(buf.area);
    let font = index(glyph).map(|i| (i, Font::at(size)));
    for y in part.top()..part.bottom() {
        let cells = super::row_mut(buf, y, part.left(), part.right());
        for (x, cell) in (part.left()..part.right()).zip(cells) {
            cell.set_style(style);
            if let Some(c) = font.and_then(|(i, f)| f.pixel(i, x - at.x, y - at.y)) {
                cell.set_char(*c);
            }
        }
    }
}

/// Where the cell `at` shows `glyph` differently from `was`: for each row that differs, the
/// columns from its first differing cell to its last. A tick redraws these alone, often half
/// of a glyph or less, rather than the whole glyph to compare every cell of it afterwards.
pub fn changed(at: Rect, size: Digits, was: char, glyph: char) -> Vec<Rect> {
    let (Some(a), Some(b)) = (index(was), index(glyph)) else {
        return vec![at];
    };
    let font = Font::at(size);
    let mut rows = Vec::with_capacity(usize::from(at.height));
    for dy in 0..at.height {
        let differs = |dx: &u16| font.pixel(a, *dx, dy) != font.pixel(b, *dx, dy);
        let first = (0..at.width).find(differs);
        let last = (0..at.width).rev().find(differs);
        if let (Some(first), Some(last)) = (first, last) {
            rows.push(Rect::new(at.x + first, at.y + dy, last - first + 1, 1));
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line of glyphs drawn one by one lands as `BigText` draws the line whole, centred,
    /// cut at the right edge or not.
    #[test]
    fn glyph_by_glyph_is_big_text_whole() {
        for (size, width) in [
            (Digits::Full, 42),
            (Digits::Full, 37),
            (Digits::Full, 61),
            (Digits::Quadrant, 22),
            (Digits::Quadrant, 13),
        ] {
            for text in ["08:41", "1:00:00", "99:59"] {
                let (_, h) = size.cell();
                let area = Rect::new(3, 1, width, h);
                let style = Style::default().fg(ratatui::style::Color::Yellow);
                let mut whole = Buffer::empty(Rect::new(0, 0, width + 5, h + 2));
                BigText::builder()
                    .pixel_size(size.pixels())
                    .style(style)
                    .alignment(Alignment::Center)
                    .lines(vec![text.into()])
                    .build()
                    .render(area, &mut whole);
                let mut glyphs = Buffer::empty(whole.area);
                let n = text.chars().count();
                for (i, c) in text.chars().enumerate() {
                    let Some(at) = cell(area, size, n, i) else {
                        break;
                    };
                    draw(&mut glyphs, at, size, c, style);
                }
                assert_eq!(glyphs, whole, "{text} at {size:?} in {width}");
            }
        }
    }

    /// A glyph drawn, then only where the next one differs ([`changed`], [`draw_part`]), is
    /// the next glyph drawn whole: for every pair of characters, at both sizes, whole or cut.
    #[test]
    fn the_changed_rows_of_a_glyph_make_the_next_glyph() {
        let style = Style::default().fg(ratatui::style::Color::Yellow);
        for size in [Digits::Full, Digits::Quadrant] {
            let (w, h) = size.cell();
            for at in [Rect::new(2, 1, w, h), Rect::new(2, 1, w - 3, h - 1)] {
                for was in CHARS.chars() {
                    for glyph in CHARS.chars() {
                        let mut step = Buffer::empty(Rect::new(0, 0, 12, 10));
                        draw(&mut step, at, size, was, style);
                        for part in changed(at, size, was, glyph) {
                            assert_eq!(part.intersection(at), part, "{was}->{glyph}");
                            draw_part(&mut step, at, part, size, glyph, style);
                        }
                        let mut whole = Buffer::empty(step.area);
                        draw(&mut whole, at, size, glyph, style);
                        assert_eq!(step, whole, "{was} -> {glyph} at {size:?} in {at:?}");
                    }
                }
            }
        }
    }
}

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
    fn draw(size: Digits) -> Font {
        let (w, h) = size.cell();
        let glyphs = u16::try_from(CHARS.len()).unwrap_or(u16::MAX);
        let mut buf = Buffer::empty(Rect::new(0, 0, w.saturating_mul(glyphs), h));
        BigText::builder()
            .pixel_size(size.pixels())
            .alignment(Alignment::Left)
            .lines(vec![CHARS.into()])
            .build()
            .render(buf.area, &mut buf);
        Font {
            width: usize::from(buf.area.width),
            cells: buf
                .content
                .iter()
                .map(|c| c.symbol().chars().next().unwrap_or(' '))
                .collect(),
        }
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
    buf.set_style(at, style);
    let Some(i) = CHARS.chars().position(|c| c == glyph) else {
        return;
    };
    let font = Font::at(size);
    let x0 = i * usize::from(size.cell().0);
    for (fy, y) in (0..).zip(at.top()..at.bottom()) {
        for (fx, x) in (x0..).zip(at.left()..at.right()) {
            if let Some(c) = font.cells.get(fy * font.width + fx) {
                buf[(x, y)].set_char(*c);
            }
        }
    }
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
}

//! The bar of the piece under way.
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

/// How far through the piece under way, as a row of blocks filled from the left. Drawn by
/// hand rather than with ratatui's `Gauge`, which formats a percentage on every draw even
/// with no label shown, and leaves a gap in the middle of the fill without colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    ratio: f64,
    style: Style,
}

impl Bar {
    /// A bar `ratio` full (kept within 0..=1), its fill in `style`.
    pub fn new(ratio: f64, style: Style) -> Bar {
        Bar {
            ratio: ratio.clamp(0.0, 1.0),
            style,
        }
    }

    /// How many cells of a bar `width` wide are filled.
    pub fn filled(&self, width: u16) -> u16 {
        // At most `width`: the ratio is within 0..=1.
        (f64::from(width) * self.ratio).round() as u16
    }

    /// Draws the cells of the bar over `area` that lie in `cols` (and in the buffer), so a
    /// redraw can draw the few columns that moved. An empty cell keeps its background.
    pub fn draw(self, area: Rect, cols: Rect, buf: &mut Buffer) {
        let end = area.x + self.filled(area.width);
        let cols = area.intersection(cols).intersection(buf.area);
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

impl Widget for Bar {
    fn render(self, area: Rect, buf: &mut Buffer) {
        self.draw(area, area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::front::tui::view::Theme;
    use ratatui::style::Color;

    fn bar(ratio: f64, color: bool) -> Bar {
        Bar::new(ratio, Theme::new(color).fg(Color::Cyan))
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

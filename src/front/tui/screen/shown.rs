//! What the terminal shows, a compact cell at a time: see the screen's own text for why.
use ratatui::buffer::{Cell, CellDiffOption};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};

/// A cell as the terminal was sent it: one character and its colours, or, for the rare cell
/// that is more (a grapheme of several characters, a cell ratatui is told to skip), the place
/// of the whole cell in [`Shown::rare`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    /// The character, or [`RARE`] and an index into [`Shown::rare`].
    pub(super) glyph: u32,
    fg: Color,
    bg: Color,
    underline: Color,
    modifier: Modifier,
}

/// Marks [`Seen::glyph`] as an index: above every `char` (at most 0x10FFFF).
pub(super) const RARE: u32 = 1 << 31;

/// A cell whose content is not known (see [`Screen::forget`]): an index past any list, so
/// it matches no cell, and the next frame sends whatever goes there.
pub(super) const UNKNOWN: Seen = Seen {
    glyph: u32::MAX,
    ..BLANK
};

/// A blank cell, as a cleared terminal shows.
pub(super) const BLANK: Seen = Seen {
    glyph: ' ' as u32,
    fg: Color::Reset,
    bg: Color::Reset,
    underline: Color::Reset,
    modifier: Modifier::empty(),
};

/// The character of a cell that is one character and nothing special to ratatui's
/// comparison; `None` for the rest, kept whole.
pub(super) fn plain(cell: &Cell) -> Option<char> {
    if !ordinary(cell) {
        return None;
    }
    let mut chars = cell.symbol().chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// Whether ratatui's comparison treats `cell` as it treats most: not skipped, no option.
#[inline]
#[allow(deprecated)] // `skip` is read so that a cell with it set is never taken for plain.
pub(super) fn ordinary(cell: &Cell) -> bool {
    !cell.skip && cell.diff_option == CellDiffOption::None
}

/// What the terminal shows, a [`Seen`] a cell, row by row.
#[derive(Debug)]
pub(super) struct Shown {
    pub(super) area: Rect,
    pub(super) cells: Vec<Seen>,
    /// The cells [`plain`] does not cover, whole. Started afresh at every frame.
    pub(super) rare: Vec<Cell>,
}

impl Shown {
    pub(super) fn blank(area: Rect) -> Shown {
        Shown {
            area,
            cells: vec![BLANK; usize::from(area.width) * usize::from(area.height)],
            rare: Vec::new(),
        }
    }

    #[inline]
    pub(super) fn index(&self, x: u16, y: u16) -> Option<usize> {
        let a = self.area;
        (x >= a.x && x < a.right() && y >= a.y && y < a.bottom())
            .then(|| usize::from(y - a.y) * usize::from(a.width) + usize::from(x - a.x))
    }

    /// Records that the terminal now shows `cell` at `x`, `y`.
    #[inline]
    pub(super) fn set(&mut self, x: u16, y: u16, cell: &Cell) {
        let Some(i) = self.index(x, y) else {
            return;
        };
        let was = self.cells[i];
        self.cells[i] = seen(cell, &mut self.rare, (was.glyph & RARE != 0).then_some(was));
    }
}

/// `cell` as a [`Seen`]; a rare one goes into `rare`, over the slot of `reuse` if that was one.
pub(super) fn seen(cell: &Cell, rare: &mut Vec<Cell>, reuse: Option<Seen>) -> Seen {
    let glyph = match plain(cell) {
        Some(c) => u32::from(c),
        None => {
            let slot = reuse.map(|s| (s.glyph & !RARE) as usize);
            match slot.and_then(|i| rare.get_mut(i).map(|c| (i, c))) {
                Some((i, kept)) => {
                    kept.clone_from(cell);
                    RARE | i as u32
                }
                None => {
                    rare.push(cell.clone());
                    RARE | (rare.len() - 1) as u32
                }
            }
        }
    };
    Seen {
        glyph,
        fg: cell.fg,
        bg: cell.bg,
        underline: cell.underline_color,
        modifier: cell.modifier,
    }
}

/// Whether `seen` is `cell`, as ratatui compares cells. A tick asks this of every cell it
/// drew, so the colours go first and the character is compared as bytes, not decoded.
#[inline]
pub(super) fn matches(seen: Seen, cell: &Cell, rare: &[Cell]) -> bool {
    if seen.glyph & RARE != 0 {
        return rare.get((seen.glyph & !RARE) as usize) == Some(cell);
    }
    if cell.fg != seen.fg
        || cell.bg != seen.bg
        || cell.modifier != seen.modifier
        || cell.underline_color != seen.underline
        || !ordinary(cell)
    {
        return false;
    }
    let mut chars = cell.symbol().chars();
    chars.next().map(u32::from) == Some(seen.glyph) && chars.as_str().is_empty()
}

/// Writes `seen` into `cell`, which was blank.
pub(super) fn unpack(seen: Seen, rare: &[Cell], cell: &mut Cell) {
    if seen.glyph & RARE != 0 {
        match rare.get((seen.glyph & !RARE) as usize) {
            Some(whole) => cell.clone_from(whole),
            // Unknown: a cell no frame draws (ratatui compares the option too), so that
            // whatever the frame has there is sent.
            None => cell.diff_option = CellDiffOption::Skip,
        }
        return;
    }
    cell.set_char(char::from_u32(seen.glyph).unwrap_or(' '));
    cell.fg = seen.fg;
    cell.bg = seen.bg;
    cell.underline_color = seen.underline;
    cell.modifier = seen.modifier;
}

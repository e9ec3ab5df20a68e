//! The terminal's screen as the guide draws on it, in place of ratatui's `Terminal`: the
//! frame being drawn, and a copy of what the terminal shows, so that a frame sends only the
//! cells that changed.
//!
//! Why not ratatui's `Terminal`: it keeps the last frame as a second buffer of full cells, 48
//! bytes each (92 KB at 80x24), to compare the next frame with. The copy here keeps a cell in
//! 20 bytes, its character and colours ([`Seen`]), 38 KB at 80x24 (BENCHMARKS.md, "Peak memory
//! (session 5)"). The comparison itself is still ratatui's (`Buffer::diff`, with its care for
//! wide characters and skipped cells), made a row at a time over one row of each.
//!
//! The countdown's ticks go through here as well ([`Screen::send`]), so the copy always says
//! what the terminal shows, and a whole frame after some ticks sends exactly what differs.
use ratatui::backend::Backend;
use ratatui::buffer::{Buffer, Cell, CellDiffOption};
use ratatui::layout::{Rect, Size};
use ratatui::style::{Color, Modifier};

/// A cell as the terminal was sent it: one character and its colours, or, for the rare cell
/// that is more (a grapheme of several characters, a cell ratatui is told to skip), the place
/// of the whole cell in [`Shown::rare`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    /// The character, or [`RARE`] and an index into [`Shown::rare`].
    glyph: u32,
    fg: Color,
    bg: Color,
    underline: Color,
    modifier: Modifier,
}

/// Marks [`Seen::glyph`] as an index: above every `char` (at most 0x10FFFF).
const RARE: u32 = 1 << 31;

/// A blank cell, as a cleared terminal shows.
const BLANK: Seen = Seen {
    glyph: ' ' as u32,
    fg: Color::Reset,
    bg: Color::Reset,
    underline: Color::Reset,
    modifier: Modifier::empty(),
};

/// The character of a cell that is one character and nothing special to ratatui's
/// comparison; `None` for the rest, kept whole.
fn plain(cell: &Cell) -> Option<char> {
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
fn ordinary(cell: &Cell) -> bool {
    !cell.skip && cell.diff_option == CellDiffOption::None
}

/// What the terminal shows, a [`Seen`] a cell, row by row.
#[derive(Debug)]
struct Shown {
    area: Rect,
    cells: Vec<Seen>,
    /// The cells [`plain`] does not cover, whole. Started afresh at every frame.
    rare: Vec<Cell>,
}

impl Shown {
    fn blank(area: Rect) -> Shown {
        Shown {
            area,
            cells: vec![BLANK; usize::from(area.width) * usize::from(area.height)],
            rare: Vec::new(),
        }
    }

    #[inline]
    fn index(&self, x: u16, y: u16) -> Option<usize> {
        let a = self.area;
        (x >= a.x && x < a.right() && y >= a.y && y < a.bottom())
            .then(|| usize::from(y - a.y) * usize::from(a.width) + usize::from(x - a.x))
    }

    /// Records that the terminal now shows `cell` at `x`, `y`.
    #[inline]
    fn set(&mut self, x: u16, y: u16, cell: &Cell) {
        let Some(i) = self.index(x, y) else {
            return;
        };
        let was = self.cells[i];
        self.cells[i] = seen(cell, &mut self.rare, (was.glyph & RARE != 0).then_some(was));
    }
}

/// `cell` as a [`Seen`]; a rare one goes into `rare`, over the slot of `reuse` if that was one.
fn seen(cell: &Cell, rare: &mut Vec<Cell>, reuse: Option<Seen>) -> Seen {
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
fn matches(seen: Seen, cell: &Cell, rare: &[Cell]) -> bool {
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
fn unpack(seen: Seen, rare: &[Cell], cell: &mut Cell) {
    if seen.glyph & RARE != 0 {
        if let Some(whole) = rare.get((seen.glyph & !RARE) as usize) {
            cell.clone_from(whole);
        }
        return;
    }
    cell.set_char(char::from_u32(seen.glyph).unwrap_or(' '));
    cell.fg = seen.fg;
    cell.bg = seen.bg;
    cell.underline_color = seen.underline;
    cell.modifier = seen.modifier;
}

/// Raw mode, the alternate screen, and a panic hook that gives the terminal back before the
/// message prints: what `ratatui::try_init` does, without the `Terminal` it also makes (two
/// screens of cells, 184 KB at 80x24, allocated and dropped at every start).
pub fn take_terminal() -> std::io::Result<()> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = ratatui::try_restore();
        hook(info);
    }));
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(std::io::stdout(), crossterm::terminal::EnterAlternateScreen)
}

/// The screen: a backend, the frame drawn into, and what the terminal shows.
#[derive(Debug)]
pub struct Screen<B: Backend> {
    backend: B,
    /// The frame being drawn; blank between frames, so a tick may draw into it too.
    frame: Buffer,
    shown: Shown,
    /// One row of what was shown and one of the new frame, for ratatui's comparison.
    was: Buffer,
    now: Buffer,
    /// The cursor was hidden: shown again when the screen is dropped.
    hid_cursor: bool,
}

impl<B: Backend> Screen<B> {
    /// A screen over `backend`, its size the terminal's, taken to be blank (the alternate
    /// screen, just entered).
    pub fn new(backend: B) -> Result<Screen<B>, B::Error> {
        let size = backend.size()?;
        let area = Rect::new(0, 0, size.width, size.height);
        let row = Rect::new(0, 0, size.width, 1);
        Ok(Screen {
            backend,
            frame: Buffer::empty(area),
            shown: Shown::blank(area),
            was: Buffer::empty(row),
            now: Buffer::empty(row),
            hid_cursor: false,
        })
    }

    /// The terminal's size, as the backend knows it.
    pub fn size(&self) -> Result<Size, B::Error> {
        self.backend.size()
    }

    /// The backend, to read what a test backend shows.
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// The backend, to ring the bell or leave the colours plain.
    pub fn backend_mut(&mut self) -> &mut B {
        &mut self.backend
    }

    /// The frame to draw into, blank and the terminal's size: for a tick, which sends what it
    /// drew with [`Screen::send`] and leaves it blank again.
    pub fn scratch(&mut self) -> &mut Buffer {
        &mut self.frame
    }

    /// Clears the terminal and takes it as blank, at its size now: after a resize, or when
    /// someone else has drawn on it (a suspend).
    pub fn clear(&mut self) -> Result<(), B::Error> {
        let size = self.backend.size()?;
        let area = Rect::new(0, 0, size.width, size.height);
        self.frame.resize(area);
        self.frame.reset();
        self.shown = Shown::blank(area);
        let row = Rect::new(0, 0, size.width, 1);
        self.was.resize(row);
        self.now.resize(row);
        self.backend.clear()
    }

    /// Draws a whole frame with `render` and sends the cells that differ from the screen.
    pub fn draw<T>(&mut self, render: impl FnOnce(&mut Buffer) -> T) -> Result<T, B::Error> {
        let size = self.backend.size()?;
        if Rect::new(0, 0, size.width, size.height) != self.frame.area {
            self.clear()?;
        }
        let out = render(&mut self.frame);
        let old = std::mem::take(&mut self.shown.rare);
        let width = usize::from(self.frame.area.width);
        for y in 0..self.frame.area.height {
            let start = usize::from(y) * width;
            let row = start..start + width;
            for ((kept, was), (drawn, now)) in self.shown.cells[row.clone()]
                .iter()
                .zip(self.was.content.iter_mut())
                .zip(
                    self.frame.content[row.clone()]
                        .iter_mut()
                        .zip(self.now.content.iter_mut()),
                )
            {
                unpack(*kept, &old, was);
                std::mem::swap(drawn, now);
            }
            self.was.area.y = y;
            self.now.area.y = y;
            self.backend.draw(self.was.diff_iter(&self.now))?;
            for ((kept, was), now) in self.shown.cells[row]
                .iter_mut()
                .zip(self.was.content.iter_mut())
                .zip(self.now.content.iter_mut())
            {
                *kept = seen(now, &mut self.shown.rare, None);
                was.reset();
                now.reset();
            }
        }
        self.backend.hide_cursor()?;
        self.hid_cursor = true;
        self.backend.flush()?;
        Ok(out)
    }

    /// Takes out of the frame the cells of `areas` that differ from what the terminal shows,
    /// into `cells` (emptied first), and blanks the rest of them: the frame is blank again.
    ///
    /// Row by row, each row's areas left to right as they were drawn (a tick draws its parts
    /// left to right), so the cells come out in the order the terminal is written, with no
    /// sort. (A sort of the areas ran only when the minutes turned, and kept 64 KB of code
    /// resident for that.)
    pub fn changes(&mut self, areas: &[Rect], cells: &mut Vec<(u16, u16, Cell)>) {
        cells.clear();
        let rows = areas.iter().map(|a| a.top()).min().unwrap_or(0)
            ..areas.iter().map(|a| a.bottom()).max().unwrap_or(0);
        // The frame and the copy are always the same size (see `clear`): one index for both.
        debug_assert_eq!(self.frame.area, self.shown.area);
        for y in rows {
            for part in areas.iter().filter(|a| a.top() <= y && y < a.bottom()) {
                let part = part.intersection(self.shown.area);
                let Some(start) = self
                    .shown
                    .index(part.left(), y)
                    .filter(|_| !part.is_empty())
                else {
                    continue;
                };
                let width = usize::from(part.width);
                let drawn = self.frame.content[start..start + width].iter_mut();
                let shown = &self.shown.cells[start..start + width];
                for ((x, cell), was) in (part.left()..part.right()).zip(drawn).zip(shown) {
                    if matches(*was, cell, &self.shown.rare) {
                        cell.reset();
                    } else {
                        cells.push((x, y, std::mem::replace(cell, Cell::EMPTY)));
                    }
                }
            }
        }
    }

    /// Sends `cells` (what a tick changed, top to bottom, left to right) and records them.
    pub fn send(&mut self, cells: &[(u16, u16, Cell)]) -> Result<(), B::Error> {
        self.backend
            .draw(cells.iter().map(|(x, y, c)| (*x, *y, c)))?;
        self.backend.flush()?;
        for (x, y, cell) in cells {
            self.shown.set(*x, *y, cell);
        }
        Ok(())
    }
}

impl<B: Backend> Drop for Screen<B> {
    /// As ratatui's `Terminal` does: a cursor it hid comes back, on a panic's unwinding too.
    fn drop(&mut self) {
        if self.hid_cursor {
            let _ = self.backend.show_cursor();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::backend::TestBackend;
    use ratatui::style::Style;

    /// A frame as ratatui's `Terminal` leaves the terminal after the same frames.
    fn through_ratatui(frames: &[Buffer]) -> Buffer {
        let area = frames[0].area;
        let mut t = ratatui::Terminal::new(TestBackend::new(area.width, area.height)).unwrap();
        for f in frames {
            t.draw(|frame| frame.buffer_mut().clone_from(f)).unwrap();
        }
        t.backend().buffer().clone()
    }

    fn through_screen(frames: &[Buffer]) -> Buffer {
        let area = frames[0].area;
        let mut s = Screen::new(TestBackend::new(area.width, area.height)).unwrap();
        for f in frames {
            s.draw(|b| b.clone_from(f)).unwrap();
        }
        s.backend().buffer().clone()
    }

    fn text(area: Rect, lines: &[(&str, Style)]) -> Buffer {
        let mut b = Buffer::empty(area);
        for (y, (line, style)) in lines.iter().enumerate() {
            b.set_string(0, y as u16, line, *style);
        }
        b
    }

    #[test]
    fn frames_leave_the_terminal_as_ratatui_leaves_it() {
        let area = Rect::new(0, 0, 12, 3);
        let red = Style::default().fg(Color::Red).bg(Color::Indexed(17));
        let frames = [
            text(
                area,
                &[
                    ("hello", red),
                    ("水水 wide", Style::default()),
                    ("e\u{301}x", red),
                ],
            ),
            text(
                area,
                &[("help", Style::default()), ("a水b", red), ("👍🏽 ok", red)],
            ),
            text(
                area,
                &[("", red), ("水水水水水水", red), ("❤\u{fe0f} x", red)],
            ),
            text(
                area,
                &[("hello", red), ("plain", Style::default()), ("", red)],
            ),
        ];
        for n in 1..=frames.len() {
            assert_eq!(
                through_screen(&frames[..n]),
                through_ratatui(&frames[..n]),
                "{n}"
            );
        }
    }

    #[test]
    fn a_frame_the_same_as_the_last_sends_nothing() {
        let area = Rect::new(0, 0, 10, 2);
        let f = text(
            area,
            &[
                ("same", Style::default().fg(Color::Green)),
                ("é水", Style::default()),
            ],
        );
        let mut s = Screen::new(TestBackend::new(10, 2)).unwrap();
        s.draw(|b| b.clone_from(&f)).unwrap();
        // A TestBackend forgets nothing; overwrite what it shows to see whether it is sent again.
        Backend::clear(s.backend_mut()).unwrap();
        s.draw(|b| b.clone_from(&f)).unwrap();
        assert_eq!(s.backend().buffer(), &Buffer::empty(area));
    }

    #[test]
    fn what_a_tick_sent_is_known_to_the_next_frame() {
        let area = Rect::new(0, 0, 6, 1);
        let f = text(area, &[("12:00", Style::default())]);
        let mut s = Screen::new(TestBackend::new(6, 1)).unwrap();
        s.draw(|b| b.clone_from(&f)).unwrap();
        s.send(&[(4, 0, Cell::new("9"))]).unwrap();
        assert!(matches(s.shown.cells[4], &Cell::new("9"), &s.shown.rare));
        // The frame after draws the time as it was: the cell the tick changed goes back.
        s.draw(|b| b.clone_from(&f)).unwrap();
        assert_eq!(s.backend().buffer(), &f);
    }

    #[test]
    fn a_cell_of_several_characters_is_kept_whole() {
        let mut rare = Vec::new();
        let mut cell = Cell::new("e\u{301}");
        cell.fg = Color::Rgb(1, 2, 3);
        let s = seen(&cell, &mut rare, None);
        assert!(matches(s, &cell, &rare));
        assert!(!matches(s, &Cell::new("e"), &rare));
        let mut back = Cell::EMPTY;
        unpack(s, &rare, &mut back);
        assert_eq!(back, cell);
        // Written over, its slot is reused rather than the list growing.
        let again = seen(&Cell::new("a\u{301}"), &mut rare, Some(s));
        assert_eq!((again.glyph, rare.len()), (s.glyph, 1));
    }

    #[test]
    fn a_resize_clears_and_draws_whole() {
        let mut s = Screen::new(TestBackend::new(8, 2)).unwrap();
        s.draw(|b| b.set_string(0, 0, "before", Style::default()))
            .unwrap();
        s.backend_mut().resize(5, 3);
        s.draw(|b| b.set_string(0, 2, "after", Style::default()))
            .unwrap();
        let mut want = Buffer::empty(Rect::new(0, 0, 5, 3));
        want.set_string(0, 2, "after", Style::default());
        assert_eq!(s.backend().buffer(), &want);
    }

    #[test]
    fn a_cell_is_twenty_bytes() {
        // What the module is for: a regression here is memory at every start.
        assert!(
            std::mem::size_of::<Seen>() <= 20,
            "{}",
            std::mem::size_of::<Seen>()
        );
    }
}

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
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Rect, Size};

mod on_abort;
mod shown;

use shown::{Shown, UNKNOWN, matches, seen, unpack};

/// Raw mode, the alternate screen, and a panic hook that gives the terminal back before the
/// message prints (an abort gives it back too, see `on_abort`): what `ratatui::try_init` does, without the `Terminal` it also makes (two
/// screens of cells, 184 KB at 80x24, allocated and dropped at every start).
pub fn take_terminal() -> std::io::Result<()> {
    // Before raw mode: an abort gives back the terminal as it is now.
    on_abort::give_back_on_abort();
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = ratatui::try_restore();
        hook(info);
    }));
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(std::io::stdout(), crossterm::terminal::EnterAlternateScreen)
}

/// A backend that works out ahead what it will write for a tick, so that the tick's own wake
/// only writes it ([`Screen::expect`]). Whatever it worked out is written in the order worked
/// out, with nothing else written in between, or never.
pub trait Ahead: Backend {
    /// A tick as it will go out.
    type Out: std::fmt::Debug + Default;

    /// Works out into `out` what drawing `cells` will write, after all it has written or
    /// worked out before; it then takes the terminal to be as that leaves it.
    fn work_out(
        &mut self,
        cells: &[(u16, u16, Cell)],
        out: &mut Self::Out,
    ) -> Result<(), Self::Error>;

    /// Writes what [`Ahead::work_out`] worked out.
    fn write_out(&mut self, out: &Self::Out) -> Result<(), Self::Error>;

    /// Something worked out will not be written: the terminal's colours and cursor are as
    /// the last thing written left them, which the backend no longer knows.
    fn unsure(&mut self);
}

/// A test backend works out the cells themselves, and draws them when told to write.
impl Ahead for ratatui::backend::TestBackend {
    type Out = Vec<(u16, u16, Cell)>;

    fn work_out(
        &mut self,
        cells: &[(u16, u16, Cell)],
        out: &mut Self::Out,
    ) -> Result<(), Self::Error> {
        out.clear();
        out.extend_from_slice(cells);
        Ok(())
    }

    fn write_out(&mut self, out: &Self::Out) -> Result<(), Self::Error> {
        self.draw(out.iter().map(|(x, y, c)| (*x, *y, c)))
    }

    fn unsure(&mut self) {}
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

    /// Works out how to send `cells` into `out`, and records them as shown before they are
    /// sent: a tick worked out ahead, which the next is compared with. Sent later with
    /// [`Screen::send_expected`], or, if it never is, forgotten with [`Screen::forget`].
    pub fn expect(&mut self, cells: &[(u16, u16, Cell)], out: &mut B::Out) -> Result<(), B::Error>
    where
        B: Ahead,
    {
        self.backend.work_out(cells, out)?;
        for (x, y, cell) in cells {
            self.shown.set(*x, *y, cell);
        }
        Ok(())
    }

    /// Sends a tick worked out by [`Screen::expect`].
    pub fn send_expected(&mut self, out: &B::Out) -> Result<(), B::Error>
    where
        B: Ahead,
    {
        self.backend.write_out(out)
    }

    /// Forgets what the terminal shows at `places`: cells expected but never sent. The next
    /// comparison sends whatever goes there, and the backend is unsure of its colours and
    /// cursor.
    pub fn forget(&mut self, places: impl Iterator<Item = (u16, u16)>)
    where
        B: Ahead,
    {
        self.backend.unsure();
        for (x, y) in places {
            if let Some(i) = self.shown.index(x, y) {
                self.shown.cells[i] = UNKNOWN;
            }
        }
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
    use ratatui::style::{Color, Style};
    use shown::Seen;

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
    fn a_tick_expected_but_never_sent_is_forgotten_and_sent_by_the_next_frame() {
        let area = Rect::new(0, 0, 6, 1);
        let f = text(area, &[("12:00", Style::default())]);
        let mut s = Screen::new(TestBackend::new(6, 1)).unwrap();
        s.draw(|b| b.clone_from(&f)).unwrap();
        // Two ticks worked out ahead; the first is sent, the second never is.
        let (first, second) = ([(4, 0, Cell::new("9"))], [(3, 0, Cell::new("5"))]);
        let (mut one, mut two) = (Vec::new(), Vec::new());
        s.expect(&first, &mut one).unwrap();
        s.expect(&second, &mut two).unwrap();
        s.send_expected(&one).unwrap();
        s.forget(second.iter().map(|(x, y, _)| (*x, *y)));
        // The terminal shows 12:09; a frame of 12:59 must send the 5 the copy had expected.
        let next = text(area, &[("12:59", Style::default())]);
        Backend::clear(s.backend_mut()).unwrap();
        s.draw(|b| b.clone_from(&next)).unwrap();
        let mut sent = Buffer::empty(area);
        sent.set_string(3, 0, "5", Style::default());
        assert_eq!(s.backend().buffer(), &sent, "only the forgotten cell");
        // Left unforgotten, the copy would have taken the 5 as shown and sent only the 9.
        let mut s = Screen::new(TestBackend::new(6, 1)).unwrap();
        s.draw(|b| b.clone_from(&f)).unwrap();
        s.expect(&second, &mut two).unwrap();
        Backend::clear(s.backend_mut()).unwrap();
        s.draw(|b| b.clone_from(&next)).unwrap();
        let mut nine = Buffer::empty(area);
        nine.set_string(4, 0, "9", Style::default());
        assert_eq!(s.backend().buffer(), &nine);
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

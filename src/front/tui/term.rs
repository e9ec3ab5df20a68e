//! The terminal as postrun writes to it: a ratatui backend that sends the fewest bytes a
//! change needs and asks the system for the size only after a resize. A countdown left
//! running for an hour over SSH or on battery pays for every byte and syscall once a second.
//!
//! It remembers what it left on the terminal (cursor place and visibility, colours and
//! modifiers), so a frame moves the cursor with the shortest sequence, sets a style only when
//! it changes (one SGR for the whole change, in 16-colour codes where the colour is one of
//! those), and does not hide a hidden cursor again. Each frame goes out in one write. The
//! sequences themselves are worked out in `term/ansi.rs`.
mod ansi;

use std::cell::Cell as Memo;
use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use unicode_width::UnicodeWidthStr;

use ansi::{PLAIN, Pen};

/// A backend writing to `W` (stdout in the guide).
#[derive(Debug)]
pub struct Lean<W: Write> {
    out: W,
    buf: Vec<u8>,
    /// The terminal's colours, `None` when unknown (then the next style starts from a reset).
    pen: Option<Pen>,
    /// Where the cursor is, `None` when unknown.
    at: Option<Position>,
    /// Whether the cursor is hidden, `None` when unknown.
    hidden: Option<bool>,
    /// The size last asked for; `None` after a resize.
    size: Memo<Option<Size>>,
}

impl<W: Write> Lean<W> {
    /// A backend over `out`; it knows nothing of the terminal's state yet.
    pub fn new(out: W) -> Lean<W> {
        Lean {
            out,
            buf: Vec::with_capacity(4096),
            pen: None,
            at: None,
            hidden: None,
            size: Memo::new(None),
        }
    }

    /// The terminal was resized: ask its size again.
    pub fn resized(&mut self) {
        self.size.set(None);
    }

    /// Someone else wrote to the terminal (a suspend, a restore): assume nothing about it.
    pub fn forget(&mut self) {
        self.pen = None;
        self.at = None;
        self.hidden = None;
        self.size.set(None);
    }

    /// Leaves the terminal's colours plain, for whatever writes after us.
    pub fn plain(&mut self) -> io::Result<()> {
        if self.pen != Some(PLAIN) {
            self.buf.extend_from_slice(b"\x1b[0m");
            self.pen = Some(PLAIN);
        }
        self.flush()
    }

    /// Rings the terminal's bell.
    pub fn bell(&mut self) -> io::Result<()> {
        self.buf.push(b'\x07');
        self.flush()
    }

    /// What was written to the terminal, in tests.
    pub fn writer(&self) -> &W {
        &self.out
    }

    fn move_to(&mut self, x: u16, y: u16) {
        if self.at != Some(Position { x, y }) {
            ansi::move_to(&mut self.buf, self.at, x, y);
            self.at = Some(Position { x, y });
        }
    }

    fn style(&mut self, to: Pen) {
        if self.pen != Some(to) {
            ansi::style(&mut self.buf, self.pen, to);
            self.pen = Some(to);
        }
    }
}

impl<W: Write> Backend for Lean<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let width = self.size()?.width;
        for (x, y, cell) in content {
            self.move_to(x, y);
            self.style(Pen {
                fg: cell.fg,
                bg: cell.bg,
                underline: cell.underline_color,
                modifier: cell.modifier,
            });
            let symbol = cell.symbol();
            let w = match symbol.as_bytes() {
                // Most of a screen, and every tick's digits but the blocks: one column, and no
                // trip through the width tables or memcpy for a byte.
                &[b] if b == b' ' || b.is_ascii_graphic() => {
                    self.buf.push(b);
                    1
                }
                bytes => {
                    self.buf.extend_from_slice(bytes);
                    u16::try_from(symbol.width()).unwrap_or(0)
                }
            };
            // At the right edge the cursor waits to wrap; a symbol of no width leaves it
            // unsure. Either way the next move is absolute.
            self.at = match x.checked_add(w) {
                Some(next) if w > 0 && next < width => Some(Position { x: next, y }),
                _ => None,
            };
        }
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.hidden != Some(true) {
            self.buf.extend_from_slice(b"\x1b[?25l");
            self.hidden = Some(true);
        }
        self.flush()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.hidden != Some(false) {
            self.buf.extend_from_slice(b"\x1b[?25h");
            self.hidden = Some(false);
        }
        self.flush()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.flush()?;
        let (x, y) = crossterm::cursor::position()?;
        Ok(Position { x, y })
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let p = position.into();
        self.at = None;
        self.move_to(p.x, p.y);
        self.flush()
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        // Erasing paints with the background colour: make it the plain one first.
        if self.pen != Some(PLAIN) {
            self.buf.extend_from_slice(b"\x1b[0m");
            self.pen = Some(PLAIN);
        }
        let code: &[u8] = match clear_type {
            ClearType::All => b"\x1b[2J",
            ClearType::AfterCursor => b"\x1b[J",
            ClearType::BeforeCursor => b"\x1b[1J",
            ClearType::CurrentLine => b"\x1b[2K",
            ClearType::UntilNewLine => b"\x1b[K",
        };
        self.buf.extend_from_slice(code);
        self.flush()
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        for _ in 0..n {
            self.buf.push(b'\n');
        }
        self.at = None;
        self.flush()
    }

    fn size(&self) -> io::Result<Size> {
        if let Some(size) = self.size.get() {
            return Ok(size);
        }
        let (width, height) = crossterm::terminal::size()?;
        let size = Size { width, height };
        self.size.set(Some(size));
        Ok(size)
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let w = crossterm::terminal::window_size()?;
        Ok(WindowSize {
            columns_rows: Size {
                width: w.columns,
                height: w.rows,
            },
            pixels: Size {
                width: w.width,
                height: w.height,
            },
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        self.out.flush()
    }
}

/// A tick worked out ahead is the bytes it will write: its wake then only writes them.
impl<W: Write> super::screen::Ahead for Lean<W> {
    type Out = Vec<u8>;

    fn work_out(&mut self, cells: &[(u16, u16, Cell)], out: &mut Vec<u8>) -> io::Result<()> {
        // Whatever is waiting goes first, so that the tick's bytes are its own.
        if !self.buf.is_empty() {
            self.flush()?;
        }
        self.draw(cells.iter().map(|(x, y, c)| (*x, *y, c)))?;
        out.clear();
        out.extend_from_slice(&self.buf);
        self.buf.clear();
        Ok(())
    }

    fn write_out(&mut self, out: &Vec<u8>) -> io::Result<()> {
        // Anything left waiting (a flush that failed) goes first, in the order it was made.
        if !self.buf.is_empty() {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        self.out.write_all(out)?;
        self.out.flush()
    }

    fn unsure(&mut self) {
        self.pen = None;
        self.at = None;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::{Color, Modifier, Style};

    fn lean() -> Lean<Vec<u8>> {
        let l = Lean::new(Vec::new());
        l.size.set(Some(Size {
            width: 20,
            height: 6,
        }));
        l
    }

    /// A tiny terminal for what `Lean` writes: moves, SGR, printing; enough to check that the
    /// screen ends up as the buffer says.
    struct Screen {
        cells: Vec<Vec<(String, Pen)>>,
        /// Cells whose style is the terminal's choice: the blanked half of a wide character
        /// written over, and the right half of one.
        loose: Vec<Vec<bool>>,
        x: usize,
        y: usize,
        pen: Pen,
    }

    impl Screen {
        fn new(w: usize, h: usize) -> Screen {
            Screen {
                cells: vec![vec![(" ".to_string(), PLAIN); w]; h],
                loose: vec![vec![false; w]; h],
                x: 0,
                y: 0,
                pen: PLAIN,
            }
        }

        fn feed(&mut self, bytes: &[u8]) {
            let text = std::str::from_utf8(bytes).unwrap();
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '\n' => self.y += 1,
                    '\r' => self.x = 0,
                    '\x1b' => {
                        assert_eq!(chars.next(), Some('['));
                        let mut params = String::new();
                        let end = loop {
                            let c = chars.next().unwrap();
                            if c.is_ascii_alphabetic() {
                                break c;
                            }
                            params.push(c);
                        };
                        let nums: Vec<u16> = params
                            .trim_start_matches('?')
                            .split(';')
                            .filter(|s| !s.is_empty())
                            .map(|s| s.parse().unwrap())
                            .collect();
                        let n = *nums.first().unwrap_or(&1) as usize;
                        match end {
                            'H' => {
                                self.y = nums.first().map_or(0, |v| *v as usize - 1);
                                self.x = nums.get(1).map_or(0, |v| *v as usize - 1);
                            }
                            'A' => self.y -= n,
                            'B' => self.y += n,
                            'C' => self.x += n,
                            'D' => self.x -= n,
                            'm' => self.sgr(&nums),
                            'l' | 'h' | 'J' | 'K' => {}
                            other => panic!("unexpected {other}"),
                        }
                    }
                    c => {
                        // As a terminal does: a wide character takes two cells, and writing
                        // over either half of one blanks the other half.
                        let w = unicode_width::UnicodeWidthChar::width(c)
                            .unwrap_or(0)
                            .max(1);
                        let (row, loose) = (&mut self.cells[self.y], &mut self.loose[self.y]);
                        let (x, pen) = (self.x, self.pen);
                        let mut blanks = Vec::new();
                        if x > 0 && row[x - 1].0.width() == 2 {
                            blanks.push(x - 1);
                        }
                        if row[x].0.width() == 2 || w == 2 {
                            blanks.push(x + 1);
                        }
                        let len = row.len();
                        for i in blanks.into_iter().filter(|i| *i < len) {
                            row[i].0 = " ".to_string();
                            loose[i] = true;
                        }
                        row[x] = (c.to_string(), pen);
                        loose[x] = false;
                        self.x += w;
                    }
                }
            }
        }

        fn sgr(&mut self, codes: &[u16]) {
            let named = |i: u16| NAMED[i as usize];
            let mut i = 0;
            let codes = if codes.is_empty() { &[0][..] } else { codes };
            while i < codes.len() {
                let p = &mut self.pen;
                match codes[i] {
                    0 => *p = PLAIN,
                    1 => p.modifier |= Modifier::BOLD,
                    2 => p.modifier |= Modifier::DIM,
                    3 => p.modifier |= Modifier::ITALIC,
                    4 => p.modifier |= Modifier::UNDERLINED,
                    7 => p.modifier |= Modifier::REVERSED,
                    22 => p.modifier -= Modifier::BOLD | Modifier::DIM,
                    23 => p.modifier -= Modifier::ITALIC,
                    24 => p.modifier -= Modifier::UNDERLINED,
                    27 => p.modifier -= Modifier::REVERSED,
                    c @ 30..=37 => p.fg = named(c - 30),
                    c @ 40..=47 => p.bg = named(c - 40),
                    c @ 90..=97 => p.fg = named(c - 90 + 8),
                    c @ 100..=107 => p.bg = named(c - 100 + 8),
                    39 => p.fg = Color::Reset,
                    49 => p.bg = Color::Reset,
                    59 => p.underline = Color::Reset,
                    c @ (38 | 48 | 58) => {
                        let colour = if codes[i + 1] == 5 {
                            i += 2;
                            Color::Indexed(codes[i] as u8)
                        } else {
                            i += 4;
                            Color::Rgb(codes[i - 2] as u8, codes[i - 1] as u8, codes[i] as u8)
                        };
                        match c {
                            38 => p.fg = colour,
                            48 => p.bg = colour,
                            _ => p.underline = colour,
                        }
                    }
                    other => panic!("unexpected SGR {other}"),
                }
                i += 1;
            }
        }

        fn matches(&self, buf: &Buffer) {
            for (y, row) in self.cells.iter().enumerate() {
                for (x, (sym, pen)) in row.iter().enumerate() {
                    let c = &buf[(x as u16, y as u16)];
                    assert_eq!(sym, c.symbol(), "symbol at {x},{y}");
                    if self.loose[y][x] {
                        // Blank, in whatever style the terminal gave it.
                        continue;
                    }
                    let want = Pen {
                        fg: c.fg,
                        bg: c.bg,
                        underline: c.underline_color,
                        modifier: c.modifier,
                    };
                    // A named colour and its index are the same colour on a terminal.
                    assert_eq!(*pen, normalise(want), "style at {x},{y}");
                }
            }
        }
    }

    const NAMED: [Color; 16] = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];

    fn normalise(p: Pen) -> Pen {
        let n = |c: Color| match c {
            Color::Indexed(i) if i < 16 => NAMED[i as usize],
            c => c,
        };
        Pen {
            fg: n(p.fg),
            bg: n(p.bg),
            underline: p.underline,
            modifier: p.modifier,
        }
    }

    /// Draws `next` over `prev` the way ratatui does (only the cells that differ).
    fn frame(l: &mut Lean<Vec<u8>>, prev: &Buffer, next: &Buffer) {
        l.draw(prev.diff(next).into_iter()).unwrap();
        l.flush().unwrap();
    }

    #[test]
    fn frames_land_where_the_buffer_says_in_its_styles() {
        let area = Rect::new(0, 0, 20, 6);
        let styles = [
            Style::default(),
            Style::default().fg(Color::Cyan),
            Style::default().bold(),
            Style::default().bg(Color::Yellow).fg(Color::Black),
            Style::default().fg(Color::Indexed(200)).italic(),
            Style::default().fg(Color::Rgb(1, 2, 3)).reversed(),
            Style::default().dim().underlined(),
        ];
        let mut l = lean();
        let mut screen = Screen::new(20, 6);
        let mut prev = Buffer::empty(area);
        // A deterministic walk through many small changes.
        let mut seed = 7u32;
        let mut next_rand = move || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (seed >> 16) as usize
        };
        for _ in 0..200 {
            let mut next = prev.clone();
            for _ in 0..(next_rand() % 12) {
                let (x, y) = ((next_rand() % 20) as u16, (next_rand() % 6) as u16);
                let text = ["█", "a", " ", "7", "·", "▶"][next_rand() % 6];
                next.set_string(x, y, text, styles[next_rand() % styles.len()]);
            }
            frame(&mut l, &prev, &next);
            screen.feed(&std::mem::take(&mut l.out));
            screen.matches(&next);
            prev = next;
        }
    }

    #[test]
    fn wide_characters_take_two_cells_and_the_next_move_knows_it() {
        let area = Rect::new(0, 0, 20, 6);
        let mut l = lean();
        let mut screen = Screen::new(20, 6);
        let mut prev = Buffer::empty(area);
        let mut seed = 11u32;
        let mut next_rand = move || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (seed >> 16) as usize
        };
        for _ in 0..300 {
            let mut next = prev.clone();
            for _ in 0..(next_rand() % 8) {
                let (x, y) = ((next_rand() % 20) as u16, (next_rand() % 6) as u16);
                let text = ["足", "ｂ", "a", " ", "足足", "x足"][next_rand() % 6];
                let style = if next_rand() % 2 == 0 {
                    Style::default()
                } else {
                    Style::default().fg(Color::Cyan)
                };
                next.set_string(x, y, text, style);
            }
            // A narrow character over a wide one's right half leaves ratatui's buffer saying
            // what no terminal can show; the painter settles it before every frame.
            crate::front::tui::paint::whole_wide_cells(&mut next);
            frame(&mut l, &prev, &next);
            screen.feed(&std::mem::take(&mut l.out));
            screen.matches(&next);
            prev = next;
        }
    }

    #[test]
    fn ticks_worked_out_ahead_write_what_drawing_each_at_its_turn_writes() {
        use crate::front::tui::screen::Ahead;
        let area = Rect::new(0, 0, 20, 6);
        let styles = [
            Style::default(),
            Style::default().fg(Color::Cyan),
            Style::default().bold(),
        ];
        let mut seed = 5u32;
        let mut next_rand = move || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (seed >> 16) as usize
        };
        let mut frames = vec![Buffer::empty(area)];
        for _ in 0..40 {
            let mut next = frames[frames.len() - 1].clone();
            for _ in 0..(1 + next_rand() % 6) {
                let (x, y) = ((next_rand() % 20) as u16, (next_rand() % 6) as u16);
                let text = ["█", "5", " ", "0", "·"][next_rand() % 5];
                next.set_string(x, y, text, styles[next_rand() % styles.len()]);
            }
            frames.push(next);
        }
        let ticks: Vec<Vec<(u16, u16, Cell)>> = frames
            .windows(2)
            .map(|w| {
                w[0].diff(&w[1])
                    .into_iter()
                    .map(|(x, y, c)| (x, y, c.clone()))
                    .collect()
            })
            .collect();
        let (mut at_turn, mut ahead) = (lean(), lean());
        let outs: Vec<Vec<u8>> = ticks
            .iter()
            .map(|t| {
                let mut out = Vec::new();
                ahead.work_out(t, &mut out).unwrap();
                out
            })
            .collect();
        assert!(ahead.out.is_empty(), "nothing is written while working out");
        for (tick, out) in ticks.iter().zip(&outs) {
            at_turn
                .draw(tick.iter().map(|(x, y, c)| (*x, *y, c)))
                .unwrap();
            at_turn.flush().unwrap();
            ahead.write_out(out).unwrap();
            assert_eq!(ahead.out, at_turn.out);
        }
        // One more worked out and never written, which leaves the cursor and the pen just
        // where the next frame needs them. Once unsure, that frame still lands where its
        // buffer says; taken as written, it would be sent with no move and no colour.
        let last = &frames[frames.len() - 1];
        let bold = Style::default().fg(Color::Cyan).bold();
        let mut skipped = last.clone();
        skipped.set_string(8, 1, "x", bold);
        let unsent: Vec<(u16, u16, Cell)> = last
            .diff(&skipped)
            .into_iter()
            .map(|(x, y, c)| (x, y, c.clone()))
            .collect();
        ahead.work_out(&unsent, &mut Vec::new()).unwrap();
        ahead.unsure();
        let mut shown = last.clone();
        shown.set_string(9, 1, "5", bold);
        frame(&mut ahead, last, &shown);
        let mut screen = Screen::new(20, 6);
        screen.feed(&ahead.out);
        screen.matches(&shown);
    }

    /// The guide's loop as the shell runs it (the guide left asleep until it can change, the
    /// ticks worked out ahead, wakes a little late and now and then seconds late, a key now
    /// and then) over `Lean`, into the test terminal: after every wake it shows exactly what
    /// a whole frame at that moment draws. A dropped reel that left a cell, the cursor or
    /// the colours wrong shows here. (A review's simulation, kept.)
    fn loop_over_lean(seed: u32, w: u16, h: u16, stretch: bool) {
        use crate::core::clock::Zone;
        use crate::core::guide::{Guide, Intent};
        use crate::core::protocol::{DEFAULT, builtin};
        use crate::core::session::{Session, Timestamp};
        use crate::front::tui::paint::{Painter, printable_cells, whole_wide_cells};
        use crate::front::tui::view::{self, Theme};
        use chrono::{FixedOffset, TimeDelta, TimeZone, Utc};

        let theme = Theme::new(true);
        let whole = |g: &Guide, now: Timestamp| {
            let mut b = Buffer::empty(Rect::new(0, 0, w, h));
            let _ = view::render_frame(&mut b, g, theme, now);
            printable_cells(b.content.iter_mut());
            whole_wide_cells(&mut b);
            b
        };
        let t0 = Utc.with_ymd_and_hms(2026, 5, 1, 10, 0, 0).unwrap();
        let p = builtin(DEFAULT).unwrap().parse().unwrap();
        let zone = Zone::Fixed(FixedOffset::east_opt(0).unwrap());
        let mut g = Guide::new(Session::new(p, t0, t0 + TimeDelta::minutes(750)), zone);
        let mut now = t0 + TimeDelta::seconds(if stretch { 600 } else { 900 });
        let c = g.wake(now);
        let _ = g.commit(c);
        let start: &[Intent] = if stretch {
            &[Intent::Go, Intent::Go]
        } else {
            &[
                Intent::Down,
                Intent::Down,
                Intent::Down,
                Intent::Go,
                Intent::Go,
            ]
        };
        for &i in start {
            let c = g.handle(i, now);
            let _ = g.commit(c);
        }
        let l = Lean::new(Vec::new());
        l.size.set(Some(Size {
            width: w,
            height: h,
        }));
        let mut screen = crate::front::tui::screen::Screen::new(l).unwrap();
        let mut painter: Painter<Vec<u8>> = Painter::new(theme);
        painter
            .full(&mut screen, now, |f| view::render_frame(f, &g, theme, now))
            .unwrap();
        let mut terminal = Screen::new(usize::from(w), usize::from(h));
        let (mut fed, mut ticks, mut rand) = (0, 0, seed);
        let mut next_rand = move || {
            rand = rand.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (rand >> 16) as usize
        };
        let mut quiet: Option<Option<Timestamp>> = None;
        for step in 0..300 {
            let q = *quiet.get_or_insert_with(|| g.quiet_until());
            let wake = [q, crate::front::tui::next_wake(&g, now)]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(now + TimeDelta::seconds(5));
            painter.prepare(&mut screen, &g, wake);
            let late = match next_rand() % 20 {
                0 => 1_000 + (next_rand() % 3000) as i64,
                1 => 0,
                _ => (next_rand() % 40) as i64,
            };
            now = now.max(wake) + TimeDelta::milliseconds(late);
            let key = next_rand() % 60 == 0;
            let asleep = q.is_none_or(|t| now < t);
            let mut told_nothing = true;
            if !key && !asleep {
                let c = g.wake(now);
                told_nothing = g.commit(c).is_empty();
            }
            if key {
                let intent = [Intent::PauseResume, Intent::Back][next_rand() % 2];
                let c = g.handle(intent, now);
                let _ = g.commit(c);
                told_nothing = false;
            }
            if key || !asleep {
                quiet = None;
            }
            let ticked = !key && told_nothing && painter.tick(&mut screen, &g, now).unwrap();
            if ticked {
                ticks += 1;
            } else {
                painter
                    .full(&mut screen, now, |f| view::render_frame(f, &g, theme, now))
                    .unwrap();
            }
            let out = screen.backend().writer();
            terminal.feed(&out[fed..]);
            fed = out.len();
            let shown = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                terminal.matches(&whole(&g, now))
            }));
            assert!(
                shown.is_ok(),
                "seed {seed}, {w}x{h}, wake {step} at {now}, a tick: {ticked}"
            );
        }
        assert!(ticks > 50, "seed {seed}, {w}x{h}: only {ticks} ticks");
    }

    #[test]
    fn the_loop_over_lean_leaves_the_terminal_as_whole_frames_would() {
        for seed in 0..3 {
            for (w, h) in [(80, 24), (40, 12), (30, 8)] {
                loop_over_lean(seed, w, h, false);
                loop_over_lean(seed, w, h, true);
            }
        }
    }

    #[test]
    fn a_second_of_countdown_costs_few_bytes() {
        let area = Rect::new(0, 0, 20, 6);
        let mut l = lean();
        let prev = Buffer::empty(area);
        let mut next = prev.clone();
        next.set_string(5, 2, "00:56 left", Style::default().bold());
        frame(&mut l, &prev, &next);
        l.out.clear();
        let mut later = next.clone();
        later.set_string(5, 2, "00:55 left", Style::default().bold());
        frame(&mut l, &next, &later);
        // A short move back and one digit; the style is already bold.
        assert_eq!(String::from_utf8_lossy(&l.out), "\x1b[6D5");
    }

    #[test]
    fn the_cursor_is_hidden_once_and_colours_left_plain_on_request() {
        let mut l = lean();
        l.hide_cursor().unwrap();
        l.hide_cursor().unwrap();
        assert_eq!(l.out, b"\x1b[?25l");
        l.out.clear();
        l.style(Pen {
            fg: Color::Cyan,
            ..PLAIN
        });
        l.plain().unwrap();
        assert_eq!(String::from_utf8_lossy(&l.out), "\x1b[0;36m\x1b[0m");
        l.forget();
        l.out.clear();
        l.hide_cursor().unwrap();
        assert_eq!(l.out, b"\x1b[?25l", "after forget, nothing is assumed");
    }
}

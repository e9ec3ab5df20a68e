//! The terminal as postrun writes to it: a ratatui backend that sends the fewest bytes a
//! change needs and asks the system for the size only after a resize. A countdown left
//! running for an hour over SSH or on battery pays for every byte and syscall once a second.
//!
//! It remembers what it left on the terminal (cursor place and visibility, colours and
//! modifiers), so a frame moves the cursor with the shortest sequence, sets a style only when
//! it changes (one SGR for the whole change, in 16-colour codes where the colour is one of
//! those), and does not hide a hidden cursor again. Each frame goes out in one write.
use std::cell::Cell as Memo;
use std::cmp::Ordering;
use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

/// Colours and modifiers as the terminal has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    underline: Color,
    modifier: Modifier,
}

const PLAIN: Pen = Pen {
    fg: Color::Reset,
    bg: Color::Reset,
    underline: Color::Reset,
    modifier: Modifier::empty(),
};

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
        if self.at == Some(Position { x, y }) {
            return;
        }
        let digits = |n: u16| n.checked_ilog10().unwrap_or(0) as usize + 1;
        // `ESC [ row ; col H`, with the defaults left out.
        let absolute = match (x, y) {
            (0, 0) => 3,
            (0, y) => 3 + digits(y + 1),
            (x, y) => 4 + digits(y + 1) + digits(x + 1),
        };
        // A relative move: line feed or `ESC [ n A/B`, then carriage return or `ESC [ n C/D`.
        let step = |n: u16| if n == 1 { 3 } else { 3 + digits(n) };
        let relative = self.at.map(|at| {
            let down = match y.cmp(&at.y) {
                Ordering::Equal => 0,
                Ordering::Greater if y - at.y == 1 => 1,
                Ordering::Greater => step(y - at.y),
                Ordering::Less => step(at.y - y),
            };
            let across = match x.cmp(&at.x) {
                Ordering::Equal => 0,
                _ if x == 0 => 1,
                Ordering::Greater => step(x - at.x),
                Ordering::Less => step(at.x - x),
            };
            (down + across, at)
        });
        let b = &mut self.buf;
        // Writing to a Vec cannot fail.
        let _ = match relative {
            Some((len, at)) if len < absolute => {
                let _ = match y.cmp(&at.y) {
                    Ordering::Equal => Ok(()),
                    // In raw mode a line feed moves down and keeps the column; the target is
                    // on the screen, so it never scrolls.
                    Ordering::Greater if y - at.y == 1 => b.write_all(b"\n"),
                    Ordering::Greater => csi(b, &[y - at.y], b'B'),
                    Ordering::Less => csi(b, &[at.y - y], b'A'),
                };
                match x.cmp(&at.x) {
                    Ordering::Equal => Ok(()),
                    _ if x == 0 => b.write_all(b"\r"),
                    Ordering::Greater if x - at.x == 1 => b.write_all(b"\x1b[C"),
                    Ordering::Greater => csi(b, &[x - at.x], b'C'),
                    Ordering::Less if at.x - x == 1 => b.write_all(b"\x1b[D"),
                    Ordering::Less => csi(b, &[at.x - x], b'D'),
                }
            }
            _ => match (x, y) {
                (0, 0) => b.write_all(b"\x1b[H"),
                (0, y) => csi(b, &[y + 1], b'H'),
                (x, y) => csi(b, &[y + 1, x + 1], b'H'),
            },
        };
        self.at = Some(Position { x, y });
    }

    fn style(&mut self, to: Pen) {
        let from = self.pen;
        if from == Some(to) {
            return;
        }
        let mut changes = Codes::default();
        if let Some(from) = from {
            let off = from.modifier - to.modifier;
            let mut kept = from.modifier & to.modifier;
            if off.intersects(Modifier::BOLD | Modifier::DIM) {
                // One code turns both off: put back whichever stays.
                changes.push(22);
                kept -= Modifier::BOLD | Modifier::DIM;
            }
            for (m, code) in [
                (Modifier::ITALIC, 23),
                (Modifier::UNDERLINED, 24),
                (Modifier::SLOW_BLINK | Modifier::RAPID_BLINK, 25),
                (Modifier::REVERSED, 27),
                (Modifier::HIDDEN, 28),
                (Modifier::CROSSED_OUT, 29),
            ] {
                if off.intersects(m) {
                    changes.push(code);
                    kept -= m;
                }
            }
            modifiers_on(to.modifier - kept, &mut changes);
            colour(from.fg, to.fg, 30, &mut changes);
            colour(from.bg, to.bg, 40, &mut changes);
            colour(from.underline, to.underline, 50, &mut changes);
        }
        // From a reset: whatever is shorter wins.
        let mut fresh = Codes::default();
        fresh.push(0);
        modifiers_on(to.modifier, &mut fresh);
        colour(Color::Reset, to.fg, 30, &mut fresh);
        colour(Color::Reset, to.bg, 40, &mut fresh);
        colour(Color::Reset, to.underline, 50, &mut fresh);
        let codes = match from {
            Some(_) if changes.n > 0 && csi_len(changes.list()) <= csi_len(fresh.list()) => {
                changes.list()
            }
            _ => fresh.list(),
        };
        // Writing to a Vec cannot fail.
        let _ = csi(&mut self.buf, codes, b'm');
        self.pen = Some(to);
    }
}

/// SGR codes, at most a few dozen: no allocation for each change of style.
#[derive(Default)]
struct Codes {
    v: [u16; 32],
    n: usize,
}

impl Codes {
    fn push(&mut self, c: u16) {
        if let Some(slot) = self.v.get_mut(self.n) {
            *slot = c;
            self.n += 1;
        }
    }

    fn list(&self) -> &[u16] {
        &self.v[..self.n]
    }
}

/// `ESC [ n ; n ... final`, numbers written by hand: this runs for every change on screen.
fn csi(b: &mut Vec<u8>, nums: &[u16], last: u8) -> io::Result<()> {
    b.extend_from_slice(b"\x1b[");
    for (i, n) in nums.iter().enumerate() {
        if i > 0 {
            b.push(b';');
        }
        let mut digits = [0u8; 5];
        let mut k = digits.len();
        let mut n = *n;
        loop {
            k -= 1;
            digits[k] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        b.extend_from_slice(&digits[k..]);
    }
    b.push(last);
    Ok(())
}

/// How long [`csi`] writes these numbers.
fn csi_len(nums: &[u16]) -> usize {
    let digits: usize = nums
        .iter()
        .map(|n| n.checked_ilog10().unwrap_or(0) as usize + 1)
        .sum();
    3 + digits + nums.len().saturating_sub(1)
}

fn modifiers_on(m: Modifier, codes: &mut Codes) {
    for (bit, code) in [
        (Modifier::BOLD, 1),
        (Modifier::DIM, 2),
        (Modifier::ITALIC, 3),
        (Modifier::UNDERLINED, 4),
        (Modifier::SLOW_BLINK, 5),
        (Modifier::RAPID_BLINK, 6),
        (Modifier::REVERSED, 7),
        (Modifier::HIDDEN, 8),
        (Modifier::CROSSED_OUT, 9),
    ] {
        if m.contains(bit) {
            codes.push(code);
        }
    }
}

/// SGR codes that change a colour: `base` 30 for the text, 40 the background, 50 the underline
/// (which has no 16-colour codes).
fn colour(from: Color, to: Color, base: u16, codes: &mut Codes) {
    if from == to {
        return;
    }
    let index = match to {
        Color::Reset => {
            codes.push(base + 9);
            return;
        }
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
        Color::Indexed(i) => u16::from(i),
        Color::Rgb(r, g, b) => {
            for c in [base + 8, 2, u16::from(r), u16::from(g), u16::from(b)] {
                codes.push(c);
            }
            return;
        }
    };
    match index {
        0..=7 if base != 50 => codes.push(base + index),
        8..=15 if base != 50 => codes.push(base + 60 + index - 8),
        _ => {
            for c in [base + 8, 5, index] {
                codes.push(c);
            }
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
            self.buf.extend_from_slice(symbol.as_bytes());
            let w = u16::try_from(symbol.width()).unwrap_or(0);
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

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
        x: usize,
        y: usize,
        pen: Pen,
    }

    impl Screen {
        fn new(w: usize, h: usize) -> Screen {
            Screen {
                cells: vec![vec![(" ".to_string(), PLAIN); w]; h],
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
                        self.cells[self.y][self.x] = (c.to_string(), self.pen);
                        self.x += 1;
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

//! The escape sequences the backend writes: the shortest cursor move from where the cursor
//! is, and the shortest SGR from the colours the terminal has, in 16-colour codes where the
//! colour is one of those. Each writes to a buffer that the backend sends once per frame.
use std::cmp::Ordering;
use std::io::{self, Write};

use ratatui::layout::Position;
use ratatui::style::{Color, Modifier};

/// Colours and modifiers as the terminal has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pen {
    pub fg: Color,
    pub bg: Color,
    pub underline: Color,
    pub modifier: Modifier,
}

/// The terminal's colours and modifiers after a reset.
pub const PLAIN: Pen = Pen {
    fg: Color::Reset,
    bg: Color::Reset,
    underline: Color::Reset,
    modifier: Modifier::empty(),
};

/// Writes the shortest sequence that moves the cursor from `at` (`None`: unknown) to
/// `(x, y)`: an absolute move, or a relative one (line feed, carriage return, `CSI n
/// A/B/C/D`) when that is shorter.
pub fn move_to(b: &mut Vec<u8>, at: Option<Position>, x: u16, y: u16) {
    let digits = |n: u16| n.checked_ilog10().unwrap_or(0) as usize + 1;
    // `ESC [ row ; col H`, with the defaults left out.
    let absolute = match (x, y) {
        (0, 0) => 3,
        (0, y) => 3 + digits(y + 1),
        (x, y) => 4 + digits(y + 1) + digits(x + 1),
    };
    // A relative move: line feed or `ESC [ n A/B`, then carriage return or `ESC [ n C/D`.
    let step = |n: u16| if n == 1 { 3 } else { 3 + digits(n) };
    let relative = at.map(|at| {
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
}

/// Writes the shortest SGR that changes the terminal's colours and modifiers from `from`
/// (`None`: unknown) to `to`: the changes alone, or a reset and `to` whole.
pub fn style(b: &mut Vec<u8>, from: Option<Pen>, to: Pen) {
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
    let _ = csi(b, codes, b'm');
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

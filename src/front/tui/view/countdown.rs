//! The countdown: big digits readable from a bath two metres away, the same time as plain
//! MM:SS, a bar of the piece under way, the timer's marks, and for a hold sequence the hold,
//! the side, its how-to and what comes next. The "Now" panel decides which parts fit and
//! where ([`Place`]). The three parts that move with time are drawn one way: a frame draws
//! them whole ([`Countdown::render_whole`]); the painter's tick, once a second, redraws only
//! what changed since ([`Countdown::render_changes`]), which for a fresh frame is everything.
mod bar;
mod digits;
mod heading;

use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

pub use bar::Bar;
pub use digits::Digits;

use std::time::Duration;

use super::Theme;
use crate::core::guide::Guide;
use crate::core::protocol::Step;
use crate::core::session::{Phase, Run, Timestamp, mmss, shown_seconds, to_next_second};

/// Where a countdown's moving parts are on screen; `None` for a part the panel had no room
/// for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Place {
    pub(super) digits: Option<(Rect, Digits)>,
    pub(super) plain: Option<Rect>,
    pub(super) bar: Option<Rect>,
}

impl Place {
    /// The rectangle around every part.
    pub fn area(&self) -> Rect {
        [self.digits.map(|(r, _)| r), self.plain, self.bar]
            .into_iter()
            .flatten()
            .reduce(Rect::union)
            .unwrap_or_default()
    }
}

/// What a countdown shows, as far as the passing of time changes it: the seconds of the
/// digits and of the whole step, and how many cells of the bar are filled. Two moments of a
/// running countdown that show the same draw the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shows {
    left: u64,
    whole: u64,
    filled: Option<u16>,
}

/// What a countdown drew: what it showed, and where the plain time's line starts and how
/// wide it is, when it fitted on one line. A redraw compares with it to draw what changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Drawn {
    /// What it showed.
    pub shows: Shows,
    plain: Option<(u16, u16)>,
}

/// A running countdown on a frame, where the passing of time alone changes nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    /// Where its parts are.
    pub place: Place,
    /// What the frame drew of it.
    pub drawn: Drawn,
}

/// The cells of row `y` from column `left` to `right`, found once for the row: the countdown's
/// loops go row by row, and `buf[(x, y)]` works out (and checks) each cell's place alone.
pub fn row_mut(buf: &mut Buffer, y: u16, left: u16, right: u16) -> &mut [Cell] {
    let start = buf.index_of(left, y);
    &mut buf.content[start..start + usize::from(right.saturating_sub(left))]
}

/// A redraw's buffer and the areas it drew. Over a fresh frame each part is drawn onto what is
/// there (a flash's colour); for a tick, over the screen's blank frame, each area is blanked
/// first, as the painter ticks only over a blank background.
struct Redraw<'b> {
    buf: &'b mut Buffer,
    fresh: bool,
    areas: Vec<Rect>,
}

impl Redraw<'_> {
    /// The buffer to draw `area` into, blanked unless the frame is fresh.
    fn part(&mut self, area: Rect) -> &mut Buffer {
        if !self.fresh {
            for y in area.top()..area.bottom() {
                row_mut(self.buf, y, area.left(), area.right())
                    .iter_mut()
                    .for_each(Cell::reset);
            }
        }
        self.areas.push(area);
        self.buf
    }
}

/// The running step's countdown at one moment.
pub struct Countdown<'a> {
    step: &'a Step,
    run: &'a Run,
    now: Timestamp,
    /// Where on its track the run is at `now`, worked out once: every part of the countdown
    /// reads it, several times a tick.
    position: Duration,
    theme: Theme,
}

impl<'a> Countdown<'a> {
    /// The countdown of `step`, whose run is `run`, at `now`.
    pub fn new(step: &'a Step, run: &'a Run, now: Timestamp, theme: Theme) -> Self {
        Countdown {
            step,
            run,
            now,
            position: run.position(now),
            theme,
        }
    }

    /// The countdown of the guide's current step at `now`, if that step is timed.
    pub fn of(guide: &'a Guide, now: Timestamp, theme: Theme) -> Option<Self> {
        let s = guide.session();
        Some(Countdown::new(s.active_step()?, s.run()?, now, theme))
    }

    /// The seconds the digits show: the piece under way, or before the start the whole step.
    fn left(&self) -> u64 {
        match self.run.phase {
            Phase::Ready => shown_seconds(self.run.left_at(self.position)),
            _ => shown_seconds(self.run.piece_left_at(self.position)),
        }
    }

    /// What the parts at `place` show.
    pub fn shows(&self, place: &Place) -> Shows {
        Shows {
            left: self.left(),
            whole: shown_seconds(self.run.left_at(self.position)),
            filled: place.bar.map(|r| self.bar().filled(r.width)),
        }
    }

    /// How long from its moment the countdown goes on showing what it shows: to the next whole
    /// second of the piece's time left or of the step's, whichever comes first. The digits,
    /// the plain time and the bar all count whole seconds; `None` while the time stands.
    pub fn steady(&self) -> Option<Duration> {
        if !matches!(self.run.phase, Phase::Running { .. }) {
            return None;
        }
        let piece = to_next_second(self.run.piece_left_at(self.position));
        let step = to_next_second(self.run.left_at(self.position));
        Some(piece.min(step))
    }

    /// Draws the digits, the plain time and the bar at `place` onto a frame.
    pub fn render_whole(&self, place: &Place, buf: &mut Buffer) -> Drawn {
        self.render(place, buf, None).0
    }

    /// Redraws what changed since `last` was drawn at `place` (by this run, still running) into
    /// `buf`: the glyphs that show another character (all of them if the text changed
    /// length), the columns that the plain time's line covered or covers, the columns of the
    /// bar between its old and new fill. `buf` covers [`Place::area`]; what it holds
    /// elsewhere than the areas returned is not looked at.
    pub fn render_changes(
        &self,
        place: &Place,
        buf: &mut Buffer,
        last: &Drawn,
    ) -> (Drawn, Vec<Rect>) {
        self.render(place, buf, Some(last))
    }

    /// Draws the parts that differ from `last`, every part without it. The areas come out
    /// in the order drawn: the digits' glyphs left to right, then the plain time's row and the
    /// bar's, so those on any one row are already left to right.
    fn render(&self, place: &Place, buf: &mut Buffer, last: Option<&Drawn>) -> (Drawn, Vec<Rect>) {
        let shows = self.shows(place);
        let mut redraw = Redraw {
            buf,
            fresh: last.is_none(),
            // Digits, plain time and bar: each changed glyph's rows (up to seven glyphs of
            // eight rows when the hours turn), the plain time's line and the bar's columns.
            areas: Vec::with_capacity(64),
        };
        if let Some((area, size)) = place.digits {
            self.render_digits(&mut redraw, area, size, last.map(|l| l.shows.left));
        }
        let plain = place
            .plain
            .and_then(|area| self.render_plain(&mut redraw, area, last.and_then(|l| l.plain)));
        if let (Some(area), Some(filled)) = (place.bar, shows.filled) {
            let cols = match last.and_then(|l| l.shows.filled) {
                Some(was) => Rect::new(
                    area.x + was.min(filled),
                    area.y,
                    was.abs_diff(filled),
                    area.height,
                ),
                None => area,
            };
            if !cols.is_empty() {
                self.bar().draw(area, cols, redraw.part(cols));
            }
        }
        (Drawn { shows, plain }, redraw.areas)
    }

    /// The digits, in glyphs of `size` centred in `area`. When they showed `was` seconds in
    /// a text of the same length, each glyph sits where it sat: one showing the same character
    /// is left alone, and of one showing another only the cells that differ in the font are
    /// drawn ([`digits::changed`]); otherwise the line moves, and all of it is drawn again.
    fn render_digits(&self, redraw: &mut Redraw, area: Rect, size: Digits, was: Option<u64>) {
        let text = mmss(self.left());
        let n = text.len();
        let was = was.map(mmss).filter(|w| w.len() == n);
        if was.is_none() {
            redraw.part(area);
        }
        for (i, c) in text.bytes().enumerate() {
            let Some(at) = digits::cell(area, size, n, i) else {
                break;
            };
            let (glyph, style) = (char::from(c), self.digit_style());
            match was.as_ref().and_then(|w| w.as_bytes().get(i)) {
                Some(&w) if w == c => {}
                // Only the rows, and in them the columns, where the two glyphs differ.
                Some(&w) => {
                    for part in digits::changed(at, size, char::from(w), glyph) {
                        digits::draw_part(redraw.part(part), at, part, size, glyph, style);
                    }
                }
                None => digits::draw(redraw.buf, at, size, glyph, style),
            }
        }
    }

    /// The plain time, centred in `area`, over the columns its line covers and those the
    /// line at `was` (start, width) covered; all of `area` when either wraps or is unknown.
    /// Returns where the line is, if it fits on one line.
    fn render_plain(
        &self,
        redraw: &mut Redraw,
        area: Rect,
        was: Option<(u16, u16)>,
    ) -> Option<(u16, u16)> {
        let line = self.plain(area.width);
        let fits = u16::try_from(line.width())
            .ok()
            .filter(|w| *w <= area.width);
        let at = fits.map(|w| (area.x + (area.width / 2).saturating_sub(w / 2), w));
        let cols = match (was, at) {
            (Some((was, was_width)), Some((x, width))) => {
                let left = x.min(was);
                let right = (x + width)
                    .max(was.saturating_add(was_width))
                    .min(area.right());
                Rect::new(left, area.y, right - left, 1)
            }
            _ => area,
        };
        let buf = redraw.part(cols);
        match at {
            // What the centred paragraph draws for a line that fits, without wrapping it.
            Some((x, width)) => {
                set_plain(buf, x, area.y, &line, width);
            }
            None => Paragraph::new(line)
                .alignment(Alignment::Center)
                .wrap(Wrap { trim: true })
                .render(area, buf),
        }
        at
    }

    fn digit_style(&self) -> Style {
        let color = match self.run.phase {
            Phase::Paused { .. } => Color::Yellow,
            _ => Color::Reset,
        };
        self.theme.fg(color)
    }

    /// `08:41 left`, with the whole step's time for a hold sequence and the timer's state;
    /// shorter wording where `width` is narrow.
    pub fn plain(&self, width: u16) -> Line<'static> {
        // Pieces pushed onto the time, not `format!`: see `mmss`.
        let left = self.left();
        let mut text = mmss(left);
        let whole = shown_seconds(self.run.left_at(self.position));
        let narrow = width < 36;
        match self.run.phase {
            Phase::Ready if narrow => text.push_str(" · Enter starts"),
            Phase::Ready => text.push_str(" in all · Enter starts"),
            Phase::Finished => text.push_str(" · done"),
            _ => {
                if whole > left {
                    text.push_str(if narrow {
                        " · all "
                    } else {
                        " left · whole step "
                    });
                    text.push_str(&mmss(whole));
                } else {
                    text.push_str(" left");
                }
                if matches!(self.run.phase, Phase::Paused { .. }) {
                    text.push_str(" · paused");
                }
            }
        }
        Line::styled(text, self.theme.bold())
    }

    /// How far through the piece under way.
    pub fn bar(&self) -> Bar {
        let position = self.position;
        let (_, start) = self.run.piece_at(position);
        let left = self.run.piece_left_at(position);
        let total = (position + left).saturating_sub(start);
        // Filled as far as the digits say, a whole second at a time: what the countdown shows
        // then stays the same until the next second (see `steady`).
        let shown = Duration::from_secs(shown_seconds(left)).min(total);
        let ratio = if total.is_zero() {
            1.0
        } else {
            1.0 - shown.as_secs_f64() / total.as_secs_f64()
        };
        Bar::new(ratio, self.theme.fg(Color::Cyan))
    }
}

/// Sets a line as [`Buffer::set_line`] does, a character a cell where every character is
/// printable ASCII or `·`, as the plain time always is ([`Countdown::plain`]): ratatui's
/// grapheme segmentation is then not needed, and its tables are data a tick would bring back
/// into the cache each second. Any other line goes through ratatui.
fn set_plain(buf: &mut Buffer, x: u16, y: u16, line: &Line, width: u16) {
    let simple = |c: char| c == '·' || c.is_ascii_graphic() || c == ' ';
    if !line.spans.iter().all(|s| s.content.chars().all(simple)) {
        buf.set_line(x, y, line, width);
        return;
    }
    let end = buf.area.right().min(x.saturating_add(width));
    let mut x = x;
    for span in &line.spans {
        let style = line.style.patch(span.style);
        for c in span.content.chars() {
            if x >= end {
                return;
            }
            buf[(x, y)].set_char(c).set_style(style);
            x += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use ratatui::style::Stylize;
    use ratatui::text::Span;

    use super::*;

    /// The plain time set a character a cell is what ratatui's `set_line` makes of it, cut or
    /// not, at the buffer's edge or not; lines it cannot set so go through ratatui.
    #[test]
    fn set_plain_sets_what_set_line_does() {
        let lines = [
            Line::styled("08:41 left · whole step 14:33", Style::new().bold()),
            Line::from(vec![Span::raw("00:03 "), Span::raw("· paused").yellow()]).italic(),
            Line::raw("e\u{301}t\u{e9} 終わり · done"),
        ];
        for line in &lines {
            for (x, width) in [(0, 40), (2, 10), (30, 40), (5, 0)] {
                let area = Rect::new(0, 0, 36, 1);
                let mut theirs = Buffer::empty(area);
                theirs.set_line(x, 0, line, width);
                let mut ours = Buffer::empty(area);
                set_plain(&mut ours, x, 0, line, width);
                assert_eq!(ours, theirs, "{line:?} at {x} in {width}");
            }
        }
    }
}

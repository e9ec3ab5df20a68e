//! Drawing frames, whole or just the clock. While a countdown runs with nothing else going on,
//! the screen changes once a second and only in the digits, the plain time and the bar.
//!
//! - [`Painter::full`]: anything else (a key, a fact, a flash, a window's status turning, a
//!   resize) draws a whole frame through ratatui, which lays out, draws and compares every
//!   cell; the painter keeps a copy of the screen it left.
//! - [`Painter::tick`]: while only the countdown can have changed ([`still`]), it redraws what
//!   changed of it ([`Countdown::render_changes`], the very drawing a frame does) into a
//!   buffer of its own, and sends the cells there that differ from the screen.
//! - [`Painter::prepare`]: the next tick, worked out right after this one and sent on the wake
//!   if the countdown then shows what it expected.
//!
//! Ticks change the screen behind ratatui's back, so before the next whole frame the painter
//! gives ratatui its copy as the frame to compare with.
use std::ops::Range;

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

use super::view::{Clock, Countdown, Drawn, Place, Shows, Theme, still};
use crate::core::guide::Guide;
use crate::core::printable;
use crate::core::session::Timestamp;

/// What is on screen, as far as the painter knows.
#[derive(Debug)]
pub struct Painter {
    /// Colours or none.
    theme: Theme,
    /// The screen as the last frame and the ticks since left it.
    shown: Option<Buffer>,
    /// The countdown, while the last whole frame drew one that may tick.
    clock: Option<Ticking>,
    /// Ticks have changed the screen behind the terminal's back.
    stale: bool,
    /// The next tick, worked out ahead; see [`Painter::prepare`].
    ready: Option<Ready>,
}

/// A countdown on screen that ticks.
#[derive(Debug)]
struct Ticking {
    /// Where its parts are.
    place: Place,
    /// What the screen shows of it.
    drawn: Drawn,
    /// When the last whole frame was drawn.
    since: Timestamp,
    /// While the screen differs from that frame in the countdown alone; worked out at the
    /// first tick after it.
    still: Option<Range<Timestamp>>,
    /// What a tick draws into, over the countdown's parts, before comparing with the screen.
    scratch: Buffer,
}

/// A tick worked out: the cells it changes and what it leaves drawn.
#[derive(Debug)]
struct Ready {
    drawn: Drawn,
    /// The cells that differ from the screen, top to bottom, left to right.
    cells: Vec<(u16, u16, Cell)>,
}

/// Copies a screen into a buffer, reusing its cells' memory: `Buffer`'s derived `clone_from`
/// would allocate a new one while the old still lives, and at 80x24 each is 92 KB, which made
/// the copy after every whole frame the peak of postrun's heap (BENCHMARKS.md, "Peak memory").
fn copy_into(into: &mut Buffer, from: &Buffer) {
    into.area = from.area;
    into.content.clone_from(&from.content);
}

impl Painter {
    /// A painter that knows nothing of the screen yet.
    pub fn new(theme: Theme) -> Painter {
        Painter {
            theme,
            shown: None,
            clock: None,
            stale: false,
            ready: None,
        }
    }

    /// Draws a whole frame; `render` says where the countdown is, if it may tick.
    pub fn full<B: Backend>(
        &mut self,
        terminal: &mut Terminal<B>,
        now: Timestamp,
        render: impl FnOnce(&mut ratatui::Frame) -> Option<Clock>,
    ) -> Result<(), B::Error> {
        if std::mem::take(&mut self.stale)
            && let Some(shown) = &self.shown
            && terminal.current_buffer_mut().area == shown.area
        {
            // Make what is on screen the frame the next one is compared with.
            copy_into(terminal.current_buffer_mut(), shown);
            terminal.swap_buffers();
        }
        let mut clock = None;
        let done = terminal.draw(|f| {
            clock = render(f);
            printable_cells(f.buffer_mut().content.iter_mut());
            whole_wide_cells(f.buffer_mut());
        })?;
        let screen = done.buffer.area;
        match &mut self.shown {
            Some(shown) => copy_into(shown, done.buffer),
            None => self.shown = Some(done.buffer.clone()),
        }
        self.clock = clock
            .filter(|c| screen.intersection(c.place.area()) == c.place.area())
            .map(|c| Ticking {
                place: c.place,
                drawn: c.drawn,
                since: now,
                still: None,
                scratch: Buffer::empty(c.place.area()),
            });
        self.ready = None;
        Ok(())
    }

    /// Redraws only what changed of the countdown at `now`, if nothing else on screen can
    /// have changed since the last whole frame; `false` when a whole frame is needed.
    pub fn tick<B: Backend>(
        &mut self,
        terminal: &mut Terminal<B>,
        ui: &Guide,
        now: Timestamp,
    ) -> Result<bool, B::Error> {
        let ready = match self.ready.take() {
            // Worked out a second ago for this moment, and the countdown shows what it
            // expected: no need to look at the font, the buffers or the layout again.
            Some(r) if self.ticks_at(ui, now) && Some(r.drawn.shows) == self.shows(ui, now) => {
                Some(r)
            }
            _ => self.work_out(ui, now),
        };
        let (Some(ready), Some(shown), Some(clock)) = (ready, &mut self.shown, &mut self.clock)
        else {
            return Ok(false);
        };
        let backend = terminal.backend_mut();
        backend.draw(ready.cells.iter().map(|(x, y, c)| (*x, *y, c)))?;
        backend.flush()?;
        for (x, y, cell) in ready.cells {
            shown[(x, y)] = cell;
        }
        clock.drawn = ready.drawn;
        self.stale = true;
        Ok(true)
    }

    /// Works out the tick for `at`, the guide's next wake, now, while what it needs is in
    /// the caches: after a second asleep, reaching the session, the font, the screen's
    /// buffer and the code that draws them again costs more than the drawing itself.
    /// [`Painter::tick`] sends it if the countdown then shows what it expected.
    pub fn prepare(&mut self, ui: &Guide, at: Timestamp) {
        self.ready = self.work_out(ui, at);
    }

    /// Someone else drew on the terminal (after a suspend): the next frame is whole.
    pub fn forget(&mut self) {
        *self = Painter::new(self.theme);
    }

    /// Whether a tick at `now` may draw the countdown alone.
    fn ticks_at(&mut self, ui: &Guide, now: Timestamp) -> bool {
        let Some(clock) = &mut self.clock else {
            return false;
        };
        let since = clock.since;
        clock
            .still
            .get_or_insert_with(|| still(ui, since))
            .contains(&now)
    }

    /// What the countdown shows at `now`, if one ticks.
    fn shows(&self, ui: &Guide, now: Timestamp) -> Option<Shows> {
        let clock = self.clock.as_ref()?;
        Some(Countdown::of(ui, now, self.theme)?.shows(&clock.place))
    }

    /// The cells a tick at `now` changes, or `None` when it cannot tick.
    fn work_out(&mut self, ui: &Guide, now: Timestamp) -> Option<Ready> {
        if !self.ticks_at(ui, now) {
            return None;
        }
        let (Some(shown), Some(clock)) = (&self.shown, &mut self.clock) else {
            return None;
        };
        let countdown = Countdown::of(ui, now, self.theme)?;
        let (drawn, mut areas) =
            countdown.render_changes(&clock.place, &mut clock.scratch, &clock.drawn);
        // Row by row, each row's areas left to right: the cells come out in the order the
        // terminal is written, with no sort of the cells themselves.
        areas.sort_unstable_by_key(|a| a.x);
        let rows = areas.iter().map(|a| a.top()).min().unwrap_or(0)
            ..areas.iter().map(|a| a.bottom()).max().unwrap_or(0);
        let mut cells = Vec::new();
        for y in rows {
            for area in areas.iter().filter(|a| a.top() <= y && y < a.bottom()) {
                for x in area.left()..area.right() {
                    let cell = &clock.scratch[(x, y)];
                    if shown[(x, y)] != *cell {
                        cells.push((x, y, cell.clone()));
                    }
                }
            }
        }
        printable_cells(cells.iter_mut().map(|(_, _, c)| c));
        Some(Ready { drawn, cells })
    }
}

/// Every cell on its way to the terminal made printable ([`printable::cell`]): a title from a
/// hand-edited log, a hook's words or a protocol's problems quoted on the start screen may
/// hold what would drive the terminal, and ratatui passes direction marks and line
/// separators through. Each cell keeps its width, so the layout stands.
pub fn printable_cells<'a>(cells: impl Iterator<Item = &'a mut Cell>) {
    for cell in cells {
        if let Some(shown) = printable::cell(cell.symbol()) {
            cell.set_symbol(&shown);
        }
    }
}

/// A wide character (CJK) whose right half something else was drawn over (an overlay's border
/// over a wide title) is blanked, as the terminal blanks it: the frame then says what the
/// screen shows, and the next frame's comparison redraws both cells when they change.
pub fn whole_wide_cells(buffer: &mut Buffer) {
    let Rect {
        x,
        y,
        width,
        height,
    } = buffer.area;
    for row in y..y + height {
        for col in x..x + width {
            if buffer[(col, row)].symbol().width() < 2 {
                continue;
            }
            let covered = col + 1 < x + width && buffer[(col + 1, row)].symbol() == " ";
            if !covered {
                buffer[(col, row)].set_symbol(" ");
            }
        }
    }
}

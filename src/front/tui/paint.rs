//! Drawing frames, whole or just the clock. While a countdown runs with nothing else going on,
//! the screen changes once a second and only in the digits, the plain time and the bar.
//!
//! - [`Painter::full`]: anything else (a key, a fact, a flash, a window's status turning, a
//!   resize) draws a whole frame through ratatui, which lays out, draws and compares every
//!   cell; the painter keeps a copy of what it left over the countdown.
//! - [`Painter::tick`]: while only the countdown can have changed ([`still`]), it redraws what
//!   changed of it ([`Countdown::render_changes`], the very drawing a frame does) and sends
//!   the cells that differ from that copy.
//! - [`Painter::prepare`]: the next tick, worked out right after this one and sent on the wake
//!   if the countdown then shows what it expected.
//!
//! Memory: ratatui keeps two screens (the frame being drawn and the last one), at 80x24 92 KB
//! each. The painter adds only the countdown's rectangle, and a tick draws into ratatui's
//! frame-to-be, which is blank between frames, and leaves it blank again (BENCHMARKS.md, "Peak
//! memory"). Ticks change the screen behind ratatui's back, so the next whole frame is
//! followed by the cells a tick left that ratatui, comparing with its last frame, did not send.
use std::ops::Range;

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

use super::view::{Clock, Countdown, Drawn, Place, Shows, Theme, row, row_mut, still};
use crate::core::guide::Guide;
use crate::core::printable;
use crate::core::session::Timestamp;

/// What is on screen, as far as the painter knows.
#[derive(Debug)]
pub struct Painter {
    /// Colours or none.
    theme: Theme,
    /// The countdown, while the last whole frame drew one that may tick.
    clock: Option<Ticking>,
    /// The next tick, worked out ahead; see [`Painter::prepare`].
    ready: Option<Ready>,
    /// The last tick's list of cells, emptied, for the next: no allocation a tick.
    spare: Vec<(u16, u16, Cell)>,
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
    /// What the screen shows over [`Place::area`]: the last frame's cells there, and what the
    /// ticks since have sent.
    shown: Buffer,
    /// A tick has changed the screen since the last whole frame.
    ticked: bool,
}

/// A tick worked out: the cells it changes and what it leaves drawn.
#[derive(Debug)]
struct Ready {
    drawn: Drawn,
    /// The cells that differ from the screen, top to bottom, left to right.
    cells: Vec<(u16, u16, Cell)>,
}

/// The cells of `area` (inside both buffers) where `screen` differs from `shown`, as they are
/// in `screen`, top to bottom, left to right.
fn differing(shown: &Buffer, screen: &Buffer, area: Rect) -> Vec<(u16, u16, Cell)> {
    let mut cells = Vec::new();
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &screen[(x, y)];
            if shown[(x, y)] != *cell {
                cells.push((x, y, cell.clone()));
            }
        }
    }
    cells
}

impl Painter {
    /// A painter that knows nothing of the screen yet.
    pub fn new(theme: Theme) -> Painter {
        Painter {
            theme,
            clock: None,
            ready: None,
            spare: Vec::new(),
        }
    }

    /// Draws a whole frame; `render` says where the countdown is, if it may tick.
    pub fn full<B: Backend>(
        &mut self,
        terminal: &mut Terminal<B>,
        now: Timestamp,
        render: impl FnOnce(&mut ratatui::Frame) -> Option<Clock>,
    ) -> Result<(), B::Error> {
        let mut clock = None;
        let done = terminal.draw(|f| {
            clock = render(f);
            printable_cells(f.buffer_mut().content.iter_mut());
            whole_wide_cells(f.buffer_mut());
        })?;
        let screen = done.buffer;
        let old = self.clock.take();
        // ratatui compared this frame with its last one, not with what the ticks drew since:
        // a cell a tick changed that this frame draws as that last frame had it (the clock
        // set back, a run extended) is still as the tick left it.
        let behind = match &old {
            Some(old) if old.ticked => {
                differing(&old.shown, screen, old.shown.area.intersection(screen.area))
            }
            _ => Vec::new(),
        };
        self.clock = clock
            .filter(|c| screen.area.intersection(c.place.area()) == c.place.area())
            .map(|c| {
                let area = c.place.area();
                // The last copy's memory, when the countdown stayed where it was.
                let mut shown = match old {
                    Some(old) if old.shown.area == area => old.shown,
                    _ => Buffer::empty(area),
                };
                for y in area.top()..area.bottom() {
                    for x in area.left()..area.right() {
                        shown[(x, y)].clone_from(&screen[(x, y)]);
                    }
                }
                Ticking {
                    place: c.place,
                    drawn: c.drawn,
                    since: now,
                    still: None,
                    shown,
                    ticked: false,
                }
            });
        self.ready = None;
        if !behind.is_empty() {
            let backend = terminal.backend_mut();
            backend.draw(behind.iter().map(|(x, y, c)| (*x, *y, c)))?;
            backend.flush()?;
        }
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
            _ => self.work_out(terminal, ui, now),
        };
        let (Some(ready), Some(clock)) = (ready, &mut self.clock) else {
            return Ok(false);
        };
        let backend = terminal.backend_mut();
        backend.draw(ready.cells.iter().map(|(x, y, c)| (*x, *y, c)))?;
        backend.flush()?;
        let mut cells = ready.cells;
        for (x, y, cell) in cells.drain(..) {
            clock.shown[(x, y)] = cell;
        }
        self.spare = cells;
        clock.drawn = ready.drawn;
        clock.ticked = true;
        Ok(true)
    }

    /// Works out the tick for `at`, the guide's next wake, now, while what it needs is in
    /// the caches: after a second asleep, reaching the session, the font, the screen's
    /// buffer and the code that draws them again costs more than the drawing itself.
    /// [`Painter::tick`] sends it if the countdown then shows what it expected.
    pub fn prepare<B: Backend>(&mut self, terminal: &mut Terminal<B>, ui: &Guide, at: Timestamp) {
        self.ready = self.work_out(terminal, ui, at);
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

    /// The cells a tick at `now` changes, or `None` when it cannot tick. The tick is drawn
    /// into ratatui's frame-to-be, blank between frames, and blanked again after.
    fn work_out<B: Backend>(
        &mut self,
        terminal: &mut Terminal<B>,
        ui: &Guide,
        now: Timestamp,
    ) -> Option<Ready> {
        if !self.ticks_at(ui, now) {
            return None;
        }
        let clock = self.clock.as_mut()?;
        let scratch = terminal.current_buffer_mut();
        if scratch.area.intersection(clock.shown.area) != clock.shown.area {
            return None;
        }
        let countdown = Countdown::of(ui, now, self.theme)?;
        let (drawn, areas) = countdown.render_changes(&clock.place, scratch, &clock.drawn);
        // Row by row, each row's areas left to right as they were drawn: the cells come out in
        // the order the terminal is written, with no sort. (A sort of the areas ran only when
        // the minutes turned, and kept 64 KB of code resident for that.)
        let rows = areas.iter().map(|a| a.top()).min().unwrap_or(0)
            ..areas.iter().map(|a| a.bottom()).max().unwrap_or(0);
        let mut cells = std::mem::take(&mut self.spare);
        cells.clear();
        for y in rows {
            for area in areas.iter().filter(|a| a.top() <= y && y < a.bottom()) {
                let (left, right) = (area.left(), area.right());
                let drawn = row_mut(scratch, y, left, right);
                let shown = row(&clock.shown, y, left, right);
                for ((x, cell), was) in (left..right).zip(drawn).zip(shown) {
                    if *was != *cell {
                        cells.push((x, y, std::mem::replace(cell, Cell::EMPTY)));
                    } else {
                        cell.reset();
                    }
                }
            }
        }
        // The tick tests cross every kind of turn; a part drawn out of order would show here.
        debug_assert!(
            cells.is_sorted_by_key(|(x, y, _)| (*y, *x)),
            "a tick's cells out of the terminal's order"
        );
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

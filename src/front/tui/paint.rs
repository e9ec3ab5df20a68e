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
//! Memory: the screen ([`Screen`]) keeps the frame being drawn and a compact copy of what
//! the terminal shows; the painter adds nothing of its own to that. A tick draws into the
//! screen's frame-to-be, which is blank between frames, compares it with that copy and leaves
//! it blank again; what it sends is recorded in the copy, so the next whole frame is compared
//! with what the terminal really shows (BENCHMARKS.md, "Peak memory").
use std::ops::Range;

use ratatui::backend::Backend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

use super::screen::Screen;
use super::view::{Clock, Countdown, Drawn, Place, Shows, Theme, still};
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
}

/// A tick worked out: the cells it changes and what it leaves drawn.
#[derive(Debug)]
struct Ready {
    drawn: Drawn,
    /// The cells that differ from the screen, top to bottom, left to right.
    cells: Vec<(u16, u16, Cell)>,
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
        screen: &mut Screen<B>,
        now: Timestamp,
        render: impl FnOnce(&mut Buffer) -> Option<Clock>,
    ) -> Result<(), B::Error> {
        let (clock, area) = screen.draw(|frame| {
            let clock = render(frame);
            printable_cells(frame.content.iter_mut());
            whole_wide_cells(frame);
            (clock, frame.area)
        })?;
        self.clock = clock
            .filter(|c| area.intersection(c.place.area()) == c.place.area())
            .map(|c| Ticking {
                place: c.place,
                drawn: c.drawn,
                since: now,
                still: None,
            });
        self.ready = None;
        Ok(())
    }

    /// Redraws only what changed of the countdown at `now`, if nothing else on screen can
    /// have changed since the last whole frame; `false` when a whole frame is needed.
    pub fn tick<B: Backend>(
        &mut self,
        screen: &mut Screen<B>,
        ui: &Guide,
        now: Timestamp,
    ) -> Result<bool, B::Error> {
        let ready = match self.ready.take() {
            // Worked out a second ago for this moment, and the countdown shows what it
            // expected: no need to look at the font, the buffers or the layout again.
            Some(r) if self.ticks_at(ui, now) && Some(r.drawn.shows) == self.shows(ui, now) => {
                Some(r)
            }
            _ => self.work_out(screen, ui, now),
        };
        let (Some(ready), Some(clock)) = (ready, &mut self.clock) else {
            return Ok(false);
        };
        screen.send(&ready.cells)?;
        let mut cells = ready.cells;
        cells.clear();
        self.spare = cells;
        clock.drawn = ready.drawn;
        Ok(true)
    }

    /// Works out the tick for `at`, the guide's next wake, now, while what it needs is in
    /// the caches: after a second asleep, reaching the session, the font, the screen's
    /// buffer and the code that draws them again costs more than the drawing itself.
    /// [`Painter::tick`] sends it if the countdown then shows what it expected.
    pub fn prepare<B: Backend>(&mut self, screen: &mut Screen<B>, ui: &Guide, at: Timestamp) {
        self.ready = self.work_out(screen, ui, at);
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
    /// into the screen's frame-to-be, blank between frames, and blanked again after.
    fn work_out<B: Backend>(
        &mut self,
        screen: &mut Screen<B>,
        ui: &Guide,
        now: Timestamp,
    ) -> Option<Ready> {
        if !self.ticks_at(ui, now) {
            return None;
        }
        let clock = self.clock.as_ref()?;
        let scratch = screen.scratch();
        let area = clock.place.area();
        if scratch.area.intersection(area) != area {
            return None;
        }
        let countdown = Countdown::of(ui, now, self.theme)?;
        let (drawn, areas) = countdown.render_changes(&clock.place, scratch, &clock.drawn);
        let mut cells = std::mem::take(&mut self.spare);
        screen.changes(&areas, &mut cells);
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

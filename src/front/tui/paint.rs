//! Drawing frames, whole or just the clock. While a countdown runs with nothing else going on,
//! the screen changes once a second and only in the digits, the plain time and the bar: a
//! tick redraws those few rows and sends the cells that changed, instead of laying out,
//! drawing and comparing the whole screen (most of a frame's cost). Anything else (a key, a
//! fact, a flash, a window's status turning, a resize) draws a whole frame.
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::buffer::{Buffer, Cell};

use crate::core::guide::Guide;
use super::view::{self, Clock};
use crate::core::session::Timestamp;

/// What is on screen, as far as the painter knows.
#[derive(Debug)]
pub struct Painter {
    /// Colours or none.
    theme: view::Theme,
    /// The screen as the last frame and the ticks since left it.
    shown: Option<Buffer>,
    /// Where the countdown is, and when the last whole frame was drawn.
    clock: Option<(Clock, Timestamp)>,
    /// What the last tick drew of the countdown; `None` after a whole frame, so the next
    /// tick draws every part of it whole.
    last: Option<view::Drawn>,
    /// Ticks have changed the screen behind the terminal's back: its idea of the previous
    /// frame must be put right before the next whole frame is compared with it.
    stale: bool,
    /// While the screen differs from the last whole frame in the countdown alone; worked
    /// out at the first tick after it.
    still: Option<std::ops::Range<Timestamp>>,
    /// The next tick, worked out ahead; see [`Painter::prepare`].
    ready: Option<Ready>,
    /// The digits' glyphs, drawn once each.
    glyphs: view::Glyphs,
}

/// A tick worked out: the cells it changes and what it leaves drawn.
#[derive(Debug)]
struct Ready {
    /// What the countdown shows then; the tick is good for any moment that shows the same.
    key: view::ClockKey,
    /// The cells that differ from the screen, top to bottom, left to right.
    cells: Vec<(u16, u16, Cell)>,
    drawn: view::Drawn,
}

impl Painter {
    /// A painter that knows nothing of the screen yet.
    pub fn new(theme: view::Theme) -> Painter {
        Painter {
            theme,
            shown: None,
            clock: None,
            last: None,
            stale: false,
            still: None,
            ready: None,
            glyphs: view::Glyphs::default(),
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
            terminal.current_buffer_mut().clone_from(shown);
            terminal.swap_buffers();
        }
        let mut clock = None;
        let done = terminal.draw(|f| clock = render(f))?;
        self.shown = Some(done.buffer.clone());
        self.clock = clock.map(|c| (c, now));
        self.last = None;
        self.still = None;
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
            Some(r) if self.ticks_at(ui, now) && Some(r.key) == self.key(ui, now) => Some(r),
            _ => self.work_out(ui, now),
        };
        let (Some(ready), Some(shown)) = (ready, self.shown.as_mut()) else {
            return Ok(false);
        };
        terminal
            .backend_mut()
            .draw(ready.cells.iter().map(|(x, y, c)| (*x, *y, c)))?;
        terminal.backend_mut().flush()?;
        for (x, y, cell) in ready.cells {
            shown[(x, y)] = cell;
        }
        self.last = Some(ready.drawn);
        self.stale = true;
        Ok(true)
    }

    /// Works out the tick for `at`, the guide's next wake, now, while what it needs is in
    /// the caches: after a second asleep, reaching the session, the glyphs, the screen's
    /// buffer and the code that draws them again costs more than the drawing itself.
    /// [`Painter::tick`] sends it if the countdown then shows what it expected.
    pub fn prepare(&mut self, ui: &Guide, at: Timestamp) {
        self.ready = self.work_out(ui, at);
    }

    /// Whether a tick at `now` may draw the clock alone.
    fn ticks_at(&mut self, ui: &Guide, now: Timestamp) -> bool {
        let (Some(_), Some((_, since))) = (&self.shown, self.clock) else {
            return false;
        };
        self.still
            .get_or_insert_with(|| view::still(ui, since))
            .contains(&now)
    }

    /// What the countdown's parts show at `now`, as far as the clock goes.
    fn key(&self, ui: &Guide, now: Timestamp) -> Option<view::ClockKey> {
        self.clock
            .map(|(clock, _)| view::clock_key(&clock, ui, now, self.theme))
    }

    /// The cells a tick at `now` changes, or `None` when it cannot tick.
    fn work_out(&mut self, ui: &Guide, now: Timestamp) -> Option<Ready> {
        if !self.ticks_at(ui, now) {
            return None;
        }
        let (Some(shown), Some((clock, _))) = (&self.shown, self.clock) else {
            return None;
        };
        let (patches, drawn) =
            view::clock_patches(&clock, ui, self.last.as_ref(), &mut self.glyphs, now, self.theme);
        if patches
            .iter()
            .any(|p| p.area.intersection(shown.area) != p.area)
        {
            return None;
        }
        // The cells that differ from the screen, top to bottom, left to right.
        let mut cells = Vec::new();
        for p in &patches {
            for y in p.area.top()..p.area.bottom() {
                for x in p.area.left()..p.area.right() {
                    if shown[(x, y)] != p[(x, y)] {
                        cells.push((x, y, p[(x, y)].clone()));
                    }
                }
            }
        }
        cells.sort_unstable_by_key(|(x, y, _)| (*y, *x));
        Some(Ready {
            key: view::clock_key(&clock, ui, now, self.theme),
            cells,
            drawn,
        })
    }

    /// Someone else drew on the terminal (after a suspend): the next frame is whole.
    pub fn forget(&mut self) {
        *self = Painter::new(self.theme);
    }
}

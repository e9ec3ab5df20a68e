//! Drawing frames, whole or just the clock. While a countdown runs with nothing else going on,
//! the screen changes once a second and only in the digits, the plain time and the bar.
//!
//! - [`Painter::full`]: anything else (a key, a fact, a flash, a window's status turning, a
//!   resize) draws a whole frame through ratatui, which lays out, draws and compares every
//!   cell; the painter keeps a copy of what it left over the countdown.
//! - [`Painter::tick`]: while only the countdown can have changed ([`still`]), it redraws what
//!   changed of it ([`Countdown::render_changes`], the very drawing a frame does) and sends
//!   the cells that differ from what the terminal shows.
//! - [`Painter::prepare`]: the next ticks, worked out ahead, [`REEL`] seconds at a time, and
//!   sent each at its second if the guide is still the one they were worked out for.
//!
//! Why ahead, and several at once: after a second asleep, the code and data that draw a tick
//! (the session, the font, the screen's buffers, ratatui's cells) have left the caches, and
//! bringing them back costs more than the drawing itself. Worked out twenty at a time, they
//! come back once in twenty wakes; the others only write the bytes worked out for them
//! (BENCHMARKS.md, "Idle CPU (session 6)"). Every tick is still drawn by the one drawing a
//! frame does, at its own moment.
//!
//! Memory: the screen ([`Screen`]) keeps the frame being drawn and a compact copy of what
//! the terminal shows; the painter adds only the cells of the ticks ahead. A tick draws into
//! the screen's frame-to-be, which is blank between frames, compares it with that copy and
//! leaves it blank again; the copy records each tick ahead as if sent
//! ([`Screen::expect`]), so the next is compared with what the terminal will show, and
//! forgets the cells of those never sent ([`Screen::forget`]).
use std::collections::VecDeque;
use std::ops::Range;
use std::time::Duration;

use ratatui::backend::Backend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

use super::screen::{Ahead, Screen};
use super::view::{Clock, Countdown, Drawn, Place, Theme, still};
use crate::core::guide::Guide;
use crate::core::printable;
use crate::core::session::{Timestamp, delta};

/// How many seconds of a countdown are worked out at once.
pub const REEL: usize = 20;

/// What is on screen, as far as the painter knows, for a backend that works ticks out into
/// `O` (the bytes to write, on a terminal).
#[derive(Debug)]
pub struct Painter<O> {
    /// Colours or none.
    theme: Theme,
    /// The countdown, while the last whole frame drew one that may tick.
    clock: Option<Ticking>,
    /// The next ticks, in order, worked out ahead; see [`Painter::prepare`].
    reel: VecDeque<Prepared<O>>,
    /// A tick's cells, emptied, for the next: no allocation a tick.
    cells: Vec<(u16, u16, Cell)>,
    /// Ticks sent, emptied, for the next batch.
    spare: Vec<Prepared<O>>,
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

/// A tick worked out: what it leaves drawn and until when it holds.
#[derive(Debug, Clone, Copy)]
struct Ready {
    drawn: Drawn,
    until: Timestamp,
}

/// A tick worked out ahead: how the backend will send it, where, and for when.
#[derive(Debug, Default)]
struct Prepared<O> {
    drawn: Option<Drawn>,
    /// What the backend will write.
    out: O,
    /// The cells it changes, which the screen's copy forgets if it is never sent.
    places: Vec<(u16, u16)>,
    /// The moments it shows, with the guide at [`Prepared::version`].
    during: Option<Range<Timestamp>>,
    version: u64,
}

impl<O: Default> Painter<O> {
    /// A painter that knows nothing of the screen yet.
    pub fn new(theme: Theme) -> Painter<O> {
        Painter {
            theme,
            clock: None,
            reel: VecDeque::new(),
            cells: Vec::new(),
            spare: Vec::new(),
        }
    }

    /// Draws a whole frame; `render` says where the countdown is, if it may tick.
    pub fn full<B: Ahead<Out = O>>(
        &mut self,
        screen: &mut Screen<B>,
        now: Timestamp,
        render: impl FnOnce(&mut Buffer) -> Option<Clock>,
    ) -> Result<(), B::Error> {
        self.drop_reel(screen);
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
        Ok(())
    }

    /// Redraws only what changed of the countdown at `now`, if nothing else on screen can
    /// have changed since the last whole frame; `false` when a whole frame is needed.
    pub fn tick<B: Ahead<Out = O>>(
        &mut self,
        screen: &mut Screen<B>,
        ui: &Guide,
        now: Timestamp,
    ) -> Result<bool, B::Error> {
        // Worked out ahead for this moment, with the guide as it is: no need to look at the
        // session, the font, the buffers or the layout again, only to write.
        let ahead = self.reel.front().is_some_and(|r| {
            r.version == ui.version() && r.during.as_ref().is_some_and(|d| d.contains(&now))
        });
        let drawn = match self.reel.pop_front() {
            Some(tick) if ahead => {
                screen.send_expected(&tick.out)?;
                let drawn = tick.drawn;
                self.spare.push(tick);
                drawn
            }
            other => {
                if let Some(tick) = other {
                    self.reel.push_front(tick);
                }
                self.drop_reel(screen);
                let Some(ready) = self.work_out(screen, ui, now) else {
                    return Ok(false);
                };
                screen.send(&self.cells)?;
                Some(ready.drawn)
            }
        };
        let (Some(clock), Some(drawn)) = (&mut self.clock, drawn) else {
            return Ok(false);
        };
        clock.drawn = drawn;
        Ok(true)
    }

    /// Works out the ticks from `at`, the loop's next wake, on: up to [`REEL`] seconds of
    /// them, while only the countdown changes and the guide's next change has not come. Each
    /// is recorded in the screen's copy as if sent, so the next is compared with it, and the
    /// backend works out what it will write. Nothing is done while ticks worked out before
    /// are still to send.
    pub fn prepare<B: Ahead<Out = O>>(
        &mut self,
        screen: &mut Screen<B>,
        ui: &Guide,
        at: Timestamp,
    ) {
        if !self.reel.is_empty() {
            return;
        }
        let Some(mut drawn) = self.clock.as_ref().map(|c| c.drawn) else {
            return;
        };
        // The guide's own next change (a cue, a hold's end, a window) redraws the frame.
        let end = ui.quiet_until().unwrap_or(Timestamp::MAX_UTC);
        let mut from = at;
        while self.reel.len() < REEL && from < end {
            let Some(ready) = self.work_out_from(screen, ui, from, drawn) else {
                break;
            };
            // Time stands (a pause), or the rest of the screen changes now: nothing ahead.
            if ready.until <= from {
                break;
            }
            let mut tick = self.spare.pop().unwrap_or_default();
            if screen.expect(&self.cells, &mut tick.out).is_err() {
                // Recorded as shown, perhaps: forgotten again, and worked out at its wake.
                screen.forget(self.cells.iter().map(|(x, y, _)| (*x, *y)));
                self.spare.push(tick);
                break;
            }
            tick.places.clear();
            tick.places
                .extend(self.cells.iter().map(|(x, y, _)| (*x, *y)));
            tick.drawn = Some(ready.drawn);
            tick.during = Some(from..ready.until.min(end));
            tick.version = ui.version();
            self.reel.push_back(tick);
            drawn = ready.drawn;
            from = ready.until;
        }
    }

    /// Until when the screen differs from the last whole frame in the countdown alone, as the
    /// last tick worked out, if `now` is within it.
    pub fn still_until(&self, now: Timestamp) -> Option<Timestamp> {
        let still = self.clock.as_ref()?.still.as_ref()?;
        still.contains(&now).then_some(still.end)
    }

    /// Someone else drew on the terminal (after a suspend): the next frame is whole.
    pub fn forget(&mut self) {
        *self = Painter::new(self.theme);
    }

    /// Drops the ticks worked out ahead: the screen's copy forgets the cells they recorded,
    /// and the backend what it took the terminal to be after them.
    fn drop_reel<B: Ahead<Out = O>>(&mut self, screen: &mut Screen<B>) {
        while let Some(tick) = self.reel.pop_front() {
            screen.forget(tick.places.iter().copied());
            self.spare.push(tick);
        }
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

    /// The cells a tick at `now` changes, in [`Painter::cells`], or `None` when it cannot tick.
    fn work_out<B: Backend>(
        &mut self,
        screen: &mut Screen<B>,
        ui: &Guide,
        now: Timestamp,
    ) -> Option<Ready> {
        let drawn = self.clock.as_ref()?.drawn;
        self.work_out_from(screen, ui, now, drawn)
    }

    /// The cells a tick at `now` changes when the countdown shows `last`, in
    /// [`Painter::cells`], and until when it shows the same; `None` when it cannot tick. The
    /// tick is drawn into the screen's frame-to-be, blank between frames, and blanked again.
    fn work_out_from<B: Backend>(
        &mut self,
        screen: &mut Screen<B>,
        ui: &Guide,
        now: Timestamp,
        last: Drawn,
    ) -> Option<Ready> {
        if !self.ticks_at(ui, now) {
            return None;
        }
        let clock = self.clock.as_ref()?;
        let still_end = clock.still.as_ref().map_or(now, |s| s.end);
        let scratch = screen.scratch();
        let area = clock.place.area();
        if scratch.area.intersection(area) != area {
            return None;
        }
        let countdown = Countdown::of(ui, now, self.theme)?;
        let steady = countdown.steady().unwrap_or(Duration::ZERO);
        let (drawn, areas) = countdown.render_changes(&clock.place, scratch, &last);
        screen.changes(&areas, &mut self.cells);
        // The tick tests cross every kind of turn; a part drawn out of order would show here.
        debug_assert!(
            self.cells.is_sorted_by_key(|(x, y, _)| (*y, *x)),
            "a tick's cells out of the terminal's order"
        );
        printable_cells(self.cells.iter_mut().map(|(_, _, c)| c));
        Some(Ready {
            drawn,
            until: (now + delta(steady)).min(still_end),
        })
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

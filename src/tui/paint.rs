//! Drawing frames, whole or just the clock. While a countdown runs with nothing else going on,
//! the screen changes once a second and only in the digits, the plain time and the gauge: a
//! tick redraws those few rows and sends the cells that changed, instead of laying out,
//! drawing and comparing the whole screen (most of a frame's cost). Anything else (a key, a
//! fact, a flash, a window's status turning, a resize) draws a whole frame.
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::buffer::Buffer;

use super::state::Ui;
use super::view::{self, Clock};
use crate::session::Timestamp;

/// What is on screen, as far as the painter knows.
#[derive(Debug, Default)]
pub struct Painter {
    /// The screen as the last frame and the ticks since left it.
    shown: Option<Buffer>,
    /// Where the countdown is, and when the last whole frame was drawn.
    clock: Option<(Clock, Timestamp)>,
    /// Ticks have changed the screen behind the terminal's back: its idea of the previous
    /// frame must be put right before the next whole frame is compared with it.
    stale: bool,
    /// The clock's rows as the tick draws them, kept from one tick to the next.
    scratch: Option<Buffer>,
}

impl Painter {
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
        Ok(())
    }

    /// Redraws only the countdown at `now`, if nothing else on screen can have changed since
    /// the last whole frame; `false` when a whole frame is needed.
    pub fn tick<B: Backend>(
        &mut self,
        terminal: &mut Terminal<B>,
        ui: &Ui,
        now: Timestamp,
    ) -> Result<bool, B::Error> {
        let (Some(shown), Some((clock, since))) = (self.shown.as_mut(), self.clock) else {
            return Ok(false);
        };
        if !view::still(ui, since, now) {
            return Ok(false);
        }
        let area = clock.area().intersection(shown.area);
        // Whole rows of the screen buffer, by slices: indexing cell by cell costs more than
        // drawing the clock.
        let (x0, w) = (usize::from(area.x - shown.area.x), usize::from(area.width));
        let row = |y: u16| usize::from(y - shown.area.y) * usize::from(shown.area.width) + x0;
        let mut next = match self.scratch.take() {
            Some(b) if b.area == area => b,
            _ => Buffer::empty(area),
        };
        if !clock.fills() || area != clock.area() {
            for (i, y) in (area.top()..area.bottom()).enumerate() {
                next.content[i * w..(i + 1) * w]
                    .clone_from_slice(&shown.content[row(y)..row(y) + w]);
            }
        }
        view::render_clock(&mut next, &clock, ui, now);
        let mut changed = Vec::new();
        for (i, y) in (area.top()..area.bottom()).enumerate() {
            let (old, new) = (
                &shown.content[row(y)..row(y) + w],
                &next.content[i * w..(i + 1) * w],
            );
            for (dx, (a, b)) in old.iter().zip(new).enumerate() {
                if a != b {
                    changed.push((area.x + dx as u16, y, i * w + dx));
                }
            }
        }
        terminal
            .backend_mut()
            .draw(changed.iter().map(|&(x, y, i)| (x, y, &next.content[i])))?;
        terminal.backend_mut().flush()?;
        for (x, y, i) in changed {
            let at = row(y) + usize::from(x - area.x);
            shown.content[at] = next.content[i].clone();
        }
        self.scratch = Some(next);
        self.stale = true;
        Ok(true)
    }

    /// Someone else drew on the terminal (after a suspend): the next frame is whole.
    pub fn forget(&mut self) {
        *self = Painter::default();
    }
}

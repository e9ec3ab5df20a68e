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
    /// When the screen was last drawn, whole or a tick.
    drawn: Option<Timestamp>,
    /// What the last tick drew of the countdown; `None` after a whole frame, so the next
    /// tick draws every part of it whole.
    last: Option<view::Drawn>,
    /// Ticks have changed the screen behind the terminal's back: its idea of the previous
    /// frame must be put right before the next whole frame is compared with it.
    stale: bool,
    /// While the screen differs from the last whole frame in the countdown alone; worked
    /// out at the first tick after it.
    still: Option<std::ops::Range<Timestamp>>,
    /// The digits' glyphs, drawn once each.
    glyphs: view::Glyphs,
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
        self.drawn = Some(now);
        self.last = None;
        self.still = None;
        Ok(())
    }

    /// Redraws only what changed of the countdown at `now`, if nothing else on screen can
    /// have changed since the last whole frame; `false` when a whole frame is needed.
    pub fn tick<B: Backend>(
        &mut self,
        terminal: &mut Terminal<B>,
        ui: &Ui,
        now: Timestamp,
    ) -> Result<bool, B::Error> {
        let (Some(shown), Some((clock, since)), Some(_)) =
            (self.shown.as_mut(), self.clock, self.drawn)
        else {
            return Ok(false);
        };
        let still = self.still.get_or_insert_with(|| view::still(ui, since));
        if !still.contains(&now) {
            return Ok(false);
        }
        let (patches, drawn) =
            view::clock_patches(&clock, ui, self.last.as_ref(), &mut self.glyphs, now);
        if patches
            .iter()
            .any(|p| p.area.intersection(shown.area) != p.area)
        {
            return Ok(false);
        }
        // The cells that differ from the screen, top to bottom, left to right: each as
        // (row, column, patch, index in the patch).
        let mut changed = Vec::new();
        let at = |x: u16, y: u16| {
            usize::from(y - shown.area.y) * usize::from(shown.area.width)
                + usize::from(x - shown.area.x)
        };
        for (k, p) in patches.iter().enumerate() {
            let w = usize::from(p.area.width);
            for (r, y) in (p.area.top()..p.area.bottom()).enumerate() {
                let row = &shown.content[at(p.area.x, y)..at(p.area.x, y) + w];
                for (dx, (old, new)) in row.iter().zip(&p.content[r * w..(r + 1) * w]).enumerate() {
                    if old != new {
                        changed.push((y, p.area.x + dx as u16, k, r * w + dx));
                    }
                }
            }
        }
        changed.sort_unstable();
        terminal.backend_mut().draw(
            changed
                .iter()
                .map(|&(y, x, k, i)| (x, y, &patches[k].content[i])),
        )?;
        terminal.backend_mut().flush()?;
        for (y, x, k, i) in changed {
            shown.content[at(x, y)] = patches[k].content[i].clone();
        }
        self.drawn = Some(now);
        self.last = Some(drawn);
        self.stale = true;
        Ok(true)
    }

    /// Someone else drew on the terminal (after a suspend): the next frame is whole.
    pub fn forget(&mut self) {
        *self = Painter::default();
    }
}

//! The full-screen guide's screens, drawn in memory on ratatui's `TestBackend` from a `Guide`
//! driven with a fake clock and no temp folder: snapshots of each screen state, and every
//! once-a-second tick checked against a whole frame.
//!
//! One test binary with a module per area (`BurntSushi/ripgrep` `tests/tests.rs`); `cli`,
//! `guide` and `storage` are the others.

#[path = "../fixture/mod.rs"]
mod fixture;

mod asking;
mod details;
mod holds;
mod hostile;
mod record;
mod tui_screens;
mod tui_ticks;
mod waiting;
mod words;

use postrun::core::guide::Guide;
use postrun::core::session::Timestamp;

/// When the full-screen guide's loop next wakes by itself: the guide's next change, or the
/// front end's own (the next whole second of a countdown, the end of a flash).
fn next_wake(guide: &Guide, now: Timestamp) -> Option<Timestamp> {
    [
        guide.next_change(now),
        postrun::front::tui::next_wake(guide, now),
    ]
    .into_iter()
    .flatten()
    .min()
}

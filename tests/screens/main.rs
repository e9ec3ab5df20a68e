//! The full-screen guide's screens, drawn in memory on ratatui's `TestBackend` from a `Guide`
//! driven with a fake clock and no temp folder: snapshots of each screen state, and every
//! once-a-second tick checked against a whole frame.
//!
//! One test binary with a module per area (`BurntSushi/ripgrep` `tests/tests.rs`); `cli`,
//! `guide` and `storage` are the others.

#[path = "../fixture/mod.rs"]
mod fixture;

mod tui_screens;
mod tui_ticks;

//! The guide end to end: the real binary in tmux (what a runner sees and types, the terminal
//! given back however the guide ends, the timer on time, two windows on one session) and
//! through pipes (the plain guide). Each starts in a temp home ([`home::Home`]); the tmux
//! tests skip with a notice where tmux is missing, except under CI=true.
//!
//! One test binary with a module per area (`BurntSushi/ripgrep` `tests/tests.rs`); `cli`,
//! `storage` and `screens` are the others.

#[path = "../fixture/activity.rs"]
mod activity;
#[path = "../fixture/mod.rs"]
mod fixture;
#[path = "../home/mod.rs"]
mod home;

mod plain;
mod record;
mod terminal;
mod timer_accuracy;
mod tui_tmux;
mod two_windows;
mod voice;

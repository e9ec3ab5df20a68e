//! The command line without a terminal, and the logic under it: each command run end to end
//! in a temp home ([`home::Home`]), protocol validation and the built-ins, reminders and hooks,
//! and property tests of the parser and the session.
//!
//! One test binary with a module per area (`BurntSushi/ripgrep` `tests/tests.rs`); `guide`,
//! `storage` and `screens` are the others.

#[path = "../fixture/activity.rs"]
mod activity;
#[path = "../fixture/mod.rs"]
mod fixture;
#[path = "../home/mod.rs"]
mod home;

mod builtins;
mod builtins_facts;
mod calendar;
mod commands;
mod completion;
mod day;
mod footprint;
mod hooks;
mod hostile;
mod journal;
mod man_page;
mod parser_props;
mod quiet_props;
mod readme;
mod remind;
mod remind_refresh;
mod session_props;
mod status_bar;
mod twelve_hour;
mod units;
mod validation;
mod values;
mod voice;
mod watch;

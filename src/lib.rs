//! postrun: a terminal guide through a runner's recovery after a hard workout.
//!
//! Five layers, each using only those below it; `src/layers.rs` checks the rule on the
//! source in every `cargo test`:
//!
//! - [`core`]: pure. [`core::protocol`] (TOML to a validated routine, errors with file, line
//!   and column, the built-ins), [`core::session`] (the state machine: `apply(event, now)`),
//!   [`core::plan`] (windows as clock times, the budget), [`core::clock`] (clock times read and
//!   written one way, DST-aware), [`core::calendar`] and [`core::reminder`] (the day as
//!   iCalendar, reminders' words), [`core::guide`] (what the runner is shown and told:
//!   `handle(intent, now)` says what to record, and nothing changes until it is on disk).
//!   No file, environment, process, thread, clock read or terminal.
//! - [`store`]: the files. Session logs (append, replay, locks, summaries), the protocols in
//!   the config folder ([`store::catalog`]), `config.toml` ([`store::config`]), the
//!   reminders' record. It stores; it holds no domain rules.
//! - [`shell`]: the one loop both guides run on ([`shell::run`]): input and signals on one
//!   channel, the guide asked, events written, hooks ([`shell::hooks`]) and reminders
//!   ([`shell::scheduler`]) told; the clock that counts suspend ([`shell::clock`]).
//! - [`front`]: the full-screen guide ([`front::tui`]: keys in, frames out) and the plain
//!   guide ([`front::plain`]: lines in, sentences out).
//! - [`cli`]: clap; one file per subcommand, each a thin function over the layers below.
#![deny(clippy::unwrap_used, clippy::expect_used)]
#![warn(missing_docs)]

pub mod cli;
pub mod core;
pub mod front;
pub mod shell;
pub mod store;

#[cfg(test)]
mod layers;

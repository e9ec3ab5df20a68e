//! postrun: a terminal guide through a runner's recovery after a hard workout.
//!
//! The crate is a pure core with thin shells around it:
//!
//! - [`protocol`] (core): TOML text to a validated [`protocol::Protocol`], with errors that
//!   point at file, line and column; the embedded built-in protocols.
//! - [`plan`] (core): windows as clock times, and the budget planner.
//! - [`calendar`] (core): the day's plan as an iCalendar file.
//! - [`reminder`] (core): the reminders still to come today, with their words.
//! - [`scheduler`] (shell): hands reminders to the user's systemd or `at`, and takes them back.
//! - [`catalog`] (shell): where protocols come from: built-ins, the config folder, paths.
//! - [`cli`] (shell): the command line; one file per subcommand.
//!
//! The rule: the core never imports the terminal, the file system or the environment, and never
//! reads the clock. Shells use the core; the core never uses them.
#![deny(clippy::unwrap_used, clippy::expect_used)]
#![warn(missing_docs)]

pub mod cli;
pub mod core;
pub mod front;
pub mod shell;
pub mod store;

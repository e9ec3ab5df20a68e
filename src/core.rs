//! The pure core: what a routine is, how a session moves, when things happen and what the
//! runner is told. It reads no clock, file, environment or terminal: time comes in as `now`,
//! and what should happen goes out as values for the shells to carry out.
pub mod calendar;
pub mod clock;
pub mod guide;
pub mod journal;
pub mod plan;
pub mod printable;
pub mod protocol;
pub mod reminder;
pub mod session;
pub mod watch;
pub mod weeks;

//! What is kept on disk: the session log through the library (replay, torn and garbled
//! lines, one writer, daily limits), odd storage under the real binary (damaged logs,
//! missing and unwritable folders, midnight), and SIGKILL at random moments. The slow crash
//! suite is `cargo test --test storage crash -- --ignored`.
//!
//! One test binary with a module per area (`BurntSushi/ripgrep` `tests/tests.rs`); `cli`,
//! `guide` and `screens` are the others.

#[path = "../home/mod.rs"]
mod home;

mod crash;
mod files;
mod odd_storage;
mod record;
mod store;
mod writers;

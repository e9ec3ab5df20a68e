//! Signals as messages: SIGTERM, SIGHUP, SIGINT and SIGQUIT arrive on the loop's channel and
//! take the normal way out, so the session is saved and the terminal restored.
use std::sync::mpsc;
use std::thread;

use anyhow::Context;
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};

/// Forwards SIGTERM, SIGHUP, SIGINT and SIGQUIT as `msg()` on `tx`.
pub fn on_signals<M: Send + 'static>(tx: mpsc::Sender<M>, msg: fn() -> M) -> anyhow::Result<()> {
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])
        .context("cannot listen for signals")?;
    thread::spawn(move || {
        for _ in signals.forever() {
            if tx.send(msg()).is_err() {
                break;
            }
        }
    });
    Ok(())
}

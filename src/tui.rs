//! The full-screen guide: the terminal guard and the event loop. It sleeps until something
//! can change (a key, a signal, the next second of a running countdown, the next cue) and
//! never ticks while idle.
pub mod input;
pub mod state;
pub mod view;

use std::io::Write;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;

use anyhow::Context;
use chrono::Utc;
use crossterm::event::Event as TermEvent;
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};

use crate::store::Live;
use state::Ui;

/// Everything the loop waits for, on one channel.
enum Msg {
    /// A key, a resize, ...
    Input(TermEvent),
    /// SIGTERM, SIGHUP, SIGINT or SIGQUIT: leave the normal way, session saved.
    Terminate,
    /// The terminal's input is gone.
    InputClosed,
}

/// Restores the terminal when the loop ends by any path but a panic (the panic hook that
/// `ratatui::try_init` installs restores it then, before the message prints).
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        if !thread::panicking() {
            let _ = ratatui::try_restore();
        }
    }
}

/// Runs the guide over a live session until the runner quits.
pub fn run(live: Live, bell_on: bool) -> anyhow::Result<()> {
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let zone = *chrono::Local::now().offset();
    let mut ui = Ui::new(live, bell_on, color, zone);
    let (tx, rx) = mpsc::channel();
    let input = tx.clone();
    thread::spawn(move || {
        loop {
            let msg = match crossterm::event::read() {
                Ok(ev) => Msg::Input(ev),
                Err(_) => Msg::InputClosed,
            };
            let closed = matches!(msg, Msg::InputClosed);
            if input.send(msg).is_err() || closed {
                break;
            }
        }
    });
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])
        .context("cannot listen for signals")?;
    thread::spawn(move || {
        for _ in signals.forever() {
            if tx.send(Msg::Terminate).is_err() {
                break;
            }
        }
    });

    let mut terminal = ratatui::try_init().context("cannot set up the terminal")?;
    let _restore = Restore;
    ui.wake(Utc::now())?;
    loop {
        terminal.draw(|f| view::render(f, &ui, Utc::now()))?;
        let now = Utc::now();
        let first = match ui.next_wake(now) {
            None => rx.recv().ok(),
            Some(at) => match rx.recv_timeout((at - now).to_std().unwrap_or_default()) {
                Ok(msg) => Some(msg),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => Some(Msg::InputClosed),
            },
        };
        // Handle everything queued, then draw once.
        let mut pending: Vec<Msg> = first.into_iter().collect();
        pending.extend(rx.try_iter());
        if pending.is_empty() {
            ui.wake(Utc::now())?;
        }
        for msg in pending {
            match msg {
                Msg::Input(TermEvent::Key(key)) => {
                    if let Some(intent) = input::intent(key) {
                        ui.handle(intent, Utc::now())?;
                    }
                }
                Msg::Input(_) => ui.wake(Utc::now())?,
                Msg::Terminate | Msg::InputClosed => ui.quit = true,
            }
        }
        if ui.quit {
            break;
        }
        if ui.suspend {
            ui.suspend = false;
            suspend(&mut terminal)?;
        }
        if ui.bells > 0 {
            // The bell goes through ratatui's own writer, like everything else.
            terminal.backend_mut().write_all(b"\x07")?;
            terminal.backend_mut().flush()?;
            ui.bells = 0;
        }
    }
    Ok(())
}

/// Ctrl-Z: give the terminal back, stop, and on `fg` take it again and redraw. The timer is a
/// deadline, so the time spent stopped has passed when it comes back.
fn suspend(terminal: &mut ratatui::DefaultTerminal) -> anyhow::Result<()> {
    ratatui::try_restore()?;
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(std::io::stdout(), crossterm::terminal::EnterAlternateScreen)?;
    terminal.clear()?;
    Ok(())
}

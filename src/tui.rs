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
use crossterm::event::{Event as TermEvent, KeyCode};
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

/// Restores the terminal (raw mode off, main screen, cursor shown) when the loop ends by any
/// path but a panic: the panic hook that `ratatui::try_init` installs restores it then, before
/// the message prints, and the terminal's own drop shows the cursor as the panic unwinds.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        if !thread::panicking() {
            let _ = ratatui::try_restore();
            let _ = crossterm::execute!(std::io::stdout(), crossterm::cursor::Show);
        }
    }
}

/// The environment variable that arms [`TEST_PANIC_KEY`]. It exists only so the end-to-end
/// tests (tests/terminal.rs) can prove the terminal comes back after a panic; a runner never
/// sets it, and without it the key does nothing.
const TEST_PANIC_ENV: &str = "POSTRUN_TEST_PANIC";
/// The key that panics on purpose when [`TEST_PANIC_ENV`] is `1`.
const TEST_PANIC_KEY: KeyCode = KeyCode::Char('!');

/// What a failed write to the session log means to a runner: the change that failed was never
/// shown, and everything shown before it is on disk.
const SAVE_FAILED: &str =
    "cannot save your session; everything the guide showed before this is saved";

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

    let test_panic = std::env::var_os(TEST_PANIC_ENV).is_some_and(|v| v == "1");

    // The guard comes first: `try_init` can fail after it has turned raw mode on.
    let _restore = Restore;
    let mut terminal = ratatui::try_init().context("cannot set up the terminal")?;
    ui.wake(Utc::now()).context(SAVE_FAILED)?;
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
            ui.wake(Utc::now()).context(SAVE_FAILED)?;
        }
        for msg in pending {
            match msg {
                Msg::Input(TermEvent::Key(key)) => {
                    if test_panic && key.code == TEST_PANIC_KEY {
                        panic!("{TEST_PANIC_ENV} is set and {TEST_PANIC_KEY} was pressed");
                    }
                    if let Some(intent) = input::intent(key) {
                        ui.handle(intent, Utc::now()).context(SAVE_FAILED)?;
                    }
                }
                Msg::Input(_) => ui.wake(Utc::now()).context(SAVE_FAILED)?,
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

/// Ctrl-Z: give the terminal back (cursor shown), stop, and on `fg` take it again and redraw.
/// The timer is a deadline, so the time spent stopped has passed when it comes back.
fn suspend(terminal: &mut ratatui::DefaultTerminal) -> anyhow::Result<()> {
    ratatui::try_restore()?;
    crossterm::execute!(std::io::stdout(), crossterm::cursor::Show)?;
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(std::io::stdout(), crossterm::terminal::EnterAlternateScreen)?;
    // Not `terminal.clear()`: it asks the terminal where the cursor is, and the answer never
    // comes while the input thread holds crossterm's reader, so `fg` failed after 2 s with
    // "the cursor position could not be read". `resize` clears and forces a full redraw
    // without asking.
    let size = terminal.size()?;
    terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
    Ok(())
}

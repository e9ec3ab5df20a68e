//! The full-screen guide: the terminal guard and the event loop. It sleeps until something
//! can change (a key, a signal, the next second of a running countdown, the next cue) and
//! never ticks while idle.
pub mod input;
pub mod narrate;
pub mod paint;
pub mod setup;
pub mod state;
pub mod term;
pub mod view;

use std::os::fd::AsFd;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;

use anyhow::Context;
use chrono::Utc;
use crossterm::event::{Event as TermEvent, KeyCode};
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};

use crate::cli::DayArgs;
use crate::config::Config;
use crate::hooks::Hooks;
use crate::scheduler::Follow;
use crate::session::Timestamp;
use crate::store::Live;
use paint::Painter;
use setup::{Outcome, Setup};
use state::Ui;
use term::Lean;

/// The terminal the guide draws on.
type Term = ratatui::Terminal<Lean<std::fs::File>>;

/// Everything the loop waits for, on one channel.
enum Msg {
    /// A key, a resize, ...
    Input(TermEvent),
    /// SIGTERM, SIGHUP, SIGINT or SIGQUIT: leave the normal way, session saved.
    Terminate,
    /// The terminal's input is gone.
    InputClosed,
    /// A hook failed.
    Warning(String),
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

/// What the guide opens on.
pub enum Opening {
    /// The main screen over a session: one under way, or one the command line set up.
    Guide(Live),
    /// The start screen, for a new session; nothing is written until Enter.
    Start(Setup),
}

/// Starts the day the start screen asked for.
pub type Begin<'a> = dyn FnMut(DayArgs, Timestamp) -> anyhow::Result<Live> + 'a;

/// The screen the loop drives. One lives for the whole run, so the size gap between the two
/// costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
enum Screen {
    Start(Setup),
    Guide(Ui),
}

/// Runs the guide until the runner quits.
pub fn run(
    opening: Opening,
    config: &Config,
    data: &std::path::Path,
    begin: &mut Begin,
) -> anyhow::Result<()> {
    let bell_on = config.bell;
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let zone = *chrono::Local::now().offset();
    let guide = |live| Screen::Guide(Ui::new(live, bell_on, color, zone));
    let mut screen = match opening {
        Opening::Guide(live) => guide(live),
        Opening::Start(setup) => Screen::Start(setup),
    };
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
    let warn = tx.clone();
    let report: crate::hooks::Report = Arc::new(move |w| {
        let _ = warn.send(Msg::Warning(w));
    });
    let hooks = Hooks::new(config.hooks.clone(), Arc::clone(&report));
    let reminders = Follow::start(data.to_path_buf(), report);
    on_signals(tx, || Msg::Terminate)?;

    let test_panic = std::env::var_os(TEST_PANIC_ENV).is_some_and(|v| v == "1");

    // The guard comes first: `try_init` can fail after it has turned raw mode on.
    let _restore = Restore;
    // `try_init` sets up the terminal and the panic hook that restores it; the frames go
    // through our own lean backend.
    drop(ratatui::try_init().context("cannot set up the terminal")?);
    // Our own handle on standard output, unbuffered: `Stdout` would split a frame holding a
    // line feed into two writes.
    let out = std::io::stdout()
        .as_fd()
        .try_clone_to_owned()
        .context("cannot set up the terminal")?;
    let mut terminal =
        Term::new(Lean::new(std::fs::File::from(out))).context("cannot set up the terminal")?;
    let mut painter = Painter::default();
    // Nothing but time has passed since the last frame: only the clock may need redrawing.
    let mut only_time = false;
    if let Screen::Guide(ui) = &mut screen {
        ui.wake(Utc::now()).context(SAVE_FAILED)?;
        // Reopened: whatever changed while postrun was closed moves the reminders too.
        reminders.update(&ui.live.session, Utc::now());
    }
    let theme = view::Theme::new(color);
    loop {
        let now = Utc::now();
        match &screen {
            Screen::Start(setup) => painter.full(&mut terminal, now, |f| {
                view::setup::render(f, setup, theme);
                None
            })?,
            Screen::Guide(ui) => {
                if !(only_time && painter.tick(&mut terminal, ui, now)?) {
                    painter.full(&mut terminal, now, |f| view::render_frame(f, ui, now))?;
                }
            }
        }
        let now = Utc::now();
        let wake = match &screen {
            Screen::Start(_) => None,
            Screen::Guide(ui) => ui.next_wake(now),
        };
        if let (Screen::Guide(ui), Some(at)) = (&screen, wake) {
            painter.prepare(ui, at);
        }
        let first = match wake {
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
        let (mut quit, mut suspend) = (false, false);
        only_time = pending.is_empty();
        if pending.is_empty()
            && let Screen::Guide(ui) = &mut screen
        {
            ui.wake(Utc::now()).context(SAVE_FAILED)?;
        }
        for msg in pending {
            if let Msg::Input(TermEvent::Resize(..)) = msg {
                terminal.backend_mut().resized();
            }
            match (&mut screen, msg) {
                (_, Msg::Terminate | Msg::InputClosed) => quit = true,
                (Screen::Guide(ui), Msg::Warning(w)) => ui.note = Some(format!("Warning: {w}")),
                (Screen::Start(_), Msg::Warning(_)) => {}
                (Screen::Start(setup), Msg::Input(TermEvent::Key(key))) => {
                    let Some(key) = input::form_key(key) else {
                        continue;
                    };
                    let now = Utc::now();
                    match setup.handle(key, now) {
                        Outcome::Stay => {}
                        Outcome::Quit => quit = true,
                        Outcome::Suspend => suspend = true,
                        Outcome::Begin(args) => match begin(args, now) {
                            Ok(live) => {
                                screen = guide(live);
                                if let Screen::Guide(ui) = &mut screen {
                                    ui.wake(now).context(SAVE_FAILED)?;
                                }
                            }
                            Err(e) => setup.problem = Some((setup.focus, format!("{e:#}"))),
                        },
                    }
                }
                (Screen::Start(_), Msg::Input(_)) => {}
                (Screen::Guide(ui), Msg::Input(TermEvent::Key(key))) => {
                    if test_panic && key.code == TEST_PANIC_KEY {
                        panic!("{TEST_PANIC_ENV} is set and {TEST_PANIC_KEY} was pressed");
                    }
                    if let Some(intent) = input::intent(key) {
                        ui.handle(intent, Utc::now()).context(SAVE_FAILED)?;
                    }
                }
                (Screen::Guide(ui), Msg::Input(_)) => ui.wake(Utc::now()).context(SAVE_FAILED)?,
            }
        }
        if let Screen::Guide(ui) = &mut screen {
            let said = std::mem::take(&mut ui.said);
            only_time &= said.is_empty() && ui.bells == 0;
            hooks.fire_all(&said, &ui.live.session, Utc::now(), ui.zone);
            reminders.after(&said, &ui.live.session, Utc::now());
            quit |= std::mem::take(&mut ui.quit);
            suspend |= std::mem::take(&mut ui.suspend);
            if ui.bells > 0 {
                // The bell goes through ratatui's own writer, like everything else.
                terminal.backend_mut().bell()?;
                ui.bells = 0;
            }
        }
        if quit {
            reminders.finish();
            break;
        }
        if suspend {
            self::suspend(&mut terminal)?;
            painter.forget();
            only_time = false;
        }
    }
    terminal.backend_mut().plain()?;
    Ok(())
}

/// Forwards SIGTERM, SIGHUP, SIGINT and SIGQUIT as messages on `tx`, so they take the normal
/// way out and the session is saved.
pub(crate) fn on_signals<M: Send + 'static>(
    tx: mpsc::Sender<M>,
    msg: fn() -> M,
) -> anyhow::Result<()> {
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

/// Ctrl-Z: give the terminal back (cursor shown), stop, and on `fg` take it again and redraw.
/// The timer is a deadline, so the time spent stopped has passed when it comes back.
fn suspend(terminal: &mut Term) -> anyhow::Result<()> {
    terminal.backend_mut().plain()?;
    ratatui::try_restore()?;
    crossterm::execute!(std::io::stdout(), crossterm::cursor::Show)?;
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(std::io::stdout(), crossterm::terminal::EnterAlternateScreen)?;
    // Not `terminal.clear()`: it asks the terminal where the cursor is, and the answer never
    // comes while the input thread holds crossterm's reader, so `fg` failed after 2 s with
    // "the cursor position could not be read". `resize` clears and forces a full redraw
    // without asking; the backend first forgets what it knew of the terminal.
    terminal.backend_mut().forget();
    let size = terminal.size()?;
    terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
    Ok(())
}

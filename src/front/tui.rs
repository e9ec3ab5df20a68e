//! The full-screen guide: keys in, frames out. The terminal guard, the start screen's form,
//! the painter that draws whole frames or just the clock ([`paint`]), on a screen that sends
//! only the cells that changed ([`screen`]) through a lean backend ([`term`]); the loop is
//! the shell's.
pub mod asking;
mod breakdown;
pub mod change;
pub mod input;
pub mod paint;
pub mod screen;
pub mod setup;
pub mod sore;
pub mod term;
pub mod view;

use std::os::fd::AsFd;
use std::sync::mpsc::Sender;
use std::thread;

use anyhow::Context;
use chrono::TimeDelta;
use crossterm::event::Event as TermEvent;

use crate::core::guide::{Guide, Intent, Overlay, Told};
use crate::core::session::{Timestamp, delta, to_next_second};
use crate::shell::{Action, Front, Msg};
pub use asking::ReadWeeks;
use change::ChangeForm;
use paint::Painter;
use setup::{Outcome, Setup};
use sore::SoreAsk;
use term::Lean;
use view::Theme;

/// The terminal the guide draws on.
type Term = screen::Screen<Lean<std::fs::File>>;

/// Restores the terminal (raw mode off, main screen, cursor shown) when the guide ends by any
/// path but a panic: the panic hook [`screen::take_terminal`] installs restores it then, before the
/// message prints, and the screen's own drop shows the cursor as the panic unwinds.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        if !thread::panicking() {
            let _ = ratatui::try_restore();
            let _ = crossterm::execute!(std::io::stdout(), crossterm::cursor::Show);
        }
    }
}

/// The full-screen front end: the terminal, what is on it, and the start screen's form until
/// a day begins.
pub struct Tui {
    terminal: Term,
    painter: Painter<Vec<u8>>,
    theme: Theme,
    /// The start screen, until it settles.
    setup: Option<Setup>,
    /// The "change the day" form, while it is open over the guide.
    change: Option<ChangeForm>,
    /// How sore, asked at the end of the day.
    sore: SoreAsk,
    /// The value a step asks for as it ends.
    value: crate::front::value::ValueAsk,
    /// The weeks at a glance, while shown (`h`).
    weeks: Option<view::history::Weeks>,
    /// Where the weeks are read from when `h` is pressed (the command line's store).
    read_weeks: Option<ReadWeeks>,
    /// The terminal was resized or given back: the next frame is drawn whole.
    redraw: bool,
    test_panic: breakdown::OnPurpose,
    _restore: Restore,
}

impl Tui {
    /// Takes the terminal: raw mode, the alternate screen, a panic hook that gives it back.
    /// `setup` is the start screen's form, for a new session.
    pub fn start(setup: Option<Setup>, color: bool) -> anyhow::Result<Tui> {
        // Open crossterm's event source now, before the terminal changes: it hears of a
        // resize (SIGWINCH) only from then on, and the input thread starts later.
        let _ = crossterm::event::poll(std::time::Duration::ZERO);
        // The guard comes first: this can fail after it has turned raw mode on.
        let restore = Restore;
        screen::take_terminal().context("cannot set up the terminal")?;
        // Our own handle on standard output, unbuffered: `Stdout` would split a frame holding
        // a line feed into two writes.
        let out = std::io::stdout()
            .as_fd()
            .try_clone_to_owned()
            .context("cannot set up the terminal")?;
        let terminal =
            Term::new(Lean::new(std::fs::File::from(out))).context("cannot set up the terminal")?;
        let theme = Theme::new(color);
        Ok(Tui {
            terminal,
            painter: Painter::new(theme),
            theme,
            setup,
            change: None,
            sore: SoreAsk::default(),
            value: Default::default(),
            weeks: None,
            read_weeks: None,
            redraw: true,
            test_panic: breakdown::OnPurpose::from_env(),
            _restore: restore,
        })
    }
}

/// When the screen next needs drawing by itself, besides the guide's own changes: the next
/// whole second of a running countdown (the digits show whole seconds rounded up, so they
/// change as the time left crosses one), the end of a flash, or anything else on screen that
/// time alone changes ([`view::still`]).
pub fn next_wake(guide: &Guide, now: Timestamp) -> Option<Timestamp> {
    next_wake_before(guide, now, view::still(guide, now).end)
}

/// [`next_wake`], knowing when the screen next changes other than in the countdown.
fn next_wake_before(guide: &Guide, now: Timestamp, still: Timestamp) -> Option<Timestamp> {
    let second = guide
        .running_left(now)
        .map(|left| now + delta(to_next_second(left)));
    // Anything else on screen that time alone changes: a note, "in 46m", a window closing.
    let screen = Some(still).filter(|t| *t > now && *t < Timestamp::MAX_UTC);
    [second, guide.flash_until.filter(|t| *t > now), screen]
        .into_iter()
        .flatten()
        .min()
}

/// The next whole minute after `now`.
pub fn next_minute(now: Timestamp) -> Timestamp {
    let into = now.timestamp().rem_euclid(60);
    let whole = now
        - TimeDelta::seconds(into)
        - TimeDelta::nanoseconds(i64::from(now.timestamp_subsec_nanos()));
    whole + TimeDelta::minutes(1)
}

impl Front for Tui {
    type Input = TermEvent;

    fn listen(&mut self, tx: Sender<Msg<TermEvent>>) {
        thread::spawn(move || {
            loop {
                let msg = match crossterm::event::read() {
                    Ok(ev) => Msg::Input(ev),
                    Err(_) => Msg::Closed,
                };
                let closed = matches!(msg, Msg::Closed);
                if tx.send(msg).is_err() || closed {
                    break;
                }
            }
        });
    }

    fn read(&mut self, input: TermEvent, guide: Option<&Guide>, now: Timestamp) -> Vec<Action> {
        let key = match input {
            TermEvent::Key(key) => key,
            TermEvent::Resize(..) => {
                self.terminal.backend_mut().resized();
                self.redraw = true;
                return Vec::new();
            }
            _ => {
                self.redraw = true;
                return Vec::new();
            }
        };
        match (guide, &mut self.setup) {
            (Some(guide), _) => {
                self.test_panic.on_key(key.code);
                if self.weeks.is_some() {
                    // Over the calendar, q still quits; h and Esc close it; nothing else acts.
                    self.redraw = true;
                    return match input::weeks_key(key) {
                        Some(true) => vec![Action::Intent(Intent::Quit)],
                        Some(false) => {
                            self.weeks = None;
                            Vec::new()
                        }
                        None => Vec::new(),
                    };
                }
                if input::opens_weeks(key)
                    && guide.overlay.is_none()
                    && self.change.is_none()
                    && let Some(read) = &mut self.read_weeks
                {
                    self.value.close();
                    self.weeks = Some(read(now));
                    self.redraw = true;
                    return Vec::new();
                }
                if self.value.open(guide).is_some() {
                    self.redraw = true;
                    if let Some(actions) = asking::value_key(&mut self.value, key, guide) {
                        return actions;
                    }
                }
                if self.sore.asking(guide) {
                    self.redraw = true;
                    return self.sore.handle(key, guide, now);
                }
                if let Some(form) = &mut self.change {
                    self.redraw = true;
                    let Some(key) = input::form_key(key) else {
                        return Vec::new();
                    };
                    return match form.handle(key) {
                        change::Outcome::Stay => Vec::new(),
                        change::Outcome::Close => {
                            self.change = None;
                            Vec::new()
                        }
                        change::Outcome::Apply(day) => {
                            self.change = None;
                            vec![Action::Intent(Intent::ChangeDay(day))]
                        }
                        change::Outcome::Quit => vec![Action::Intent(Intent::Quit)],
                    };
                }
                if input::opens_change(key) && guide.overlay.is_none() {
                    self.change = Some(ChangeForm::new(guide));
                    self.redraw = true;
                    return Vec::new();
                }
                let intent = input::intent(key);
                // Down past the end of a step's details would only have to be scrolled back.
                if let (Some(Intent::Down), Some(Overlay::Details { step, scroll })) =
                    (intent, guide.overlay)
                    && let Ok(size) = self.terminal.size()
                {
                    let area = ratatui::layout::Rect::new(0, 0, size.width, size.height);
                    if scroll >= view::details_scroll_max(area, guide, step, now) {
                        return Vec::new();
                    }
                }
                intent.map(Action::Intent).into_iter().collect()
            }
            (None, Some(setup)) => {
                let Some(key) = input::form_key(key) else {
                    return Vec::new();
                };
                match setup.handle(key, now) {
                    Outcome::Stay => Vec::new(),
                    Outcome::Quit => vec![Action::Quit],
                    Outcome::Suspend => vec![Action::Suspend],
                    Outcome::Begin(choice) => vec![Action::Begin(choice)],
                }
            }
            (None, None) => Vec::new(),
        }
    }

    fn show(
        &mut self,
        guide: Option<&Guide>,
        told: &Told,
        now: Timestamp,
        only_time: bool,
    ) -> anyhow::Result<()> {
        let theme = self.theme;
        let only_time = only_time && !std::mem::take(&mut self.redraw);
        match guide {
            None => {
                if let Some(setup) = &mut self.setup {
                    // "now, 20:44" and the day laid out below it move with the clock.
                    setup.at(now);
                    self.painter.full(&mut self.terminal, now, |f| {
                        view::setup::render(f, setup, theme);
                        None
                    })?;
                }
            }
            Some(guide) => {
                // A day has begun: the form is done with.
                self.setup = None;
                // A form over the guide is drawn whole each time: the countdown's own ticks
                // would draw through it.
                let change = self.change.as_ref();
                self.value.after(&told.said, guide);
                let value = Some(&self.value).filter(|v| v.open(guide).is_some());
                let sore = Some(&self.sore).filter(|s| value.is_none() && s.asking(guide));
                let weeks = self.weeks.as_ref();
                let only_time = only_time
                    && change.is_none()
                    && sore.is_none()
                    && value.is_none()
                    && weeks.is_none();
                if !(only_time && self.painter.tick(&mut self.terminal, guide, now)?) {
                    self.painter.full(&mut self.terminal, now, |f| {
                        let clock = view::render_frame(f, guide, theme, now);
                        if let Some(weeks) = weeks {
                            view::history::render(f, weeks, theme);
                            return None;
                        }
                        if let (None, Some(ask)) = (change, value) {
                            view::value::render(f, ask, guide, theme);
                            return None;
                        }
                        match (change, sore) {
                            (Some(form), _) => {
                                view::change::render(f, form, theme);
                                None
                            }
                            (None, Some(ask)) => {
                                view::sore::render(f, ask, theme);
                                None
                            }
                            (None, None) => clock,
                        }
                    })?;
                }
            }
        }
        if told.bells > 0 {
            // The bell goes through ratatui's own writer, like everything else.
            self.terminal.backend_mut().bell()?;
        }
        Ok(())
    }

    fn next_wake(&self, guide: &Guide, now: Timestamp) -> Option<Timestamp> {
        // While the countdown ticks, the painter has worked out how long the rest stays.
        let still = (self.painter.still_until(now)).unwrap_or_else(|| view::still(guide, now).end);
        next_wake_before(guide, now, still)
    }

    /// On the start screen, the next minute: "now, 20:44" and the day below it follow the
    /// clock.
    fn idle_wake(&self, now: Timestamp) -> Option<Timestamp> {
        self.setup.as_ref().map(|_| next_minute(now))
    }

    fn prepare(&mut self, guide: &Guide, at: Timestamp) {
        self.painter.prepare(&mut self.terminal, guide, at);
    }

    fn refused(&mut self, why: String) {
        if let Some(setup) = &mut self.setup {
            setup.problem = Some((setup.focus, why));
        }
    }

    /// Ctrl-Z or SIGTSTP: give the terminal back (cursor shown), stop with the process
    /// group, and on `fg` take it again and redraw. The timer is a deadline, so the time spent
    /// stopped has passed when it comes back.
    fn suspend(&mut self) -> anyhow::Result<()> {
        self.terminal.backend_mut().plain()?;
        ratatui::try_restore()?;
        crossterm::execute!(std::io::stdout(), crossterm::cursor::Show)?;
        crate::shell::stop_group()?;
        self.resumed()
    }

    /// Raw mode and the alternate screen again, and the next frame whole: after a stop the
    /// shell has had the terminal and set it as it likes.
    fn resumed(&mut self) -> anyhow::Result<()> {
        // crossterm remembers raw mode as on after an uncaught stop and would do nothing:
        // off first (back to the settings postrun started with), then on again.
        crossterm::terminal::disable_raw_mode()?;
        crossterm::terminal::enable_raw_mode()?;
        crossterm::execute!(
            std::io::stdout(),
            crossterm::terminal::EnterAlternateScreen,
            crossterm::cursor::Hide
        )?;
        // Never ask the terminal where the cursor is (ratatui's `Terminal::clear` did): the
        // answer never comes while the input thread holds crossterm's reader, so `fg` failed
        // after 2 s with "the cursor position could not be read". The backend forgets what it
        // knew of the terminal, and the screen clears it and takes it as blank.
        self.terminal.backend_mut().forget();
        self.terminal.clear()?;
        self.painter.forget();
        self.redraw = true;
        Ok(())
    }

    fn close(&mut self, _guide: Option<&Guide>) -> anyhow::Result<()> {
        self.terminal.backend_mut().plain()?;
        Ok(())
    }
}

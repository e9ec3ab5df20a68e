//! The shell: the one loop both guides run on. It reads input and signals on one channel, asks
//! the guide what each means, writes the events to the log, runs hooks and reminders, rings,
//! and hands the guide to a front end to show. It sleeps until something can change (input,
//! a signal, the guide's next deadline, the front end's next visible second) and never ticks
//! while idle.
pub mod clock;
pub mod hooks;
pub mod scheduler;
mod signals;
pub mod supervise;
pub mod voice;

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};

use anyhow::Context;

use crate::core::clock::Choice;
use crate::core::guide::{Change, Guide, Intent, Said, Told};
use crate::core::printable::printable;
use crate::core::session::{Event, Timestamp};
use crate::store::Log;
use crate::store::config::Config;
use clock::Clock;
use hooks::Hooks;
use scheduler::Follow;
pub use signals::{Signal, on_signals, stop_group};

/// Everything the loop waits for, on one channel.
#[derive(Debug)]
pub enum Msg<I> {
    /// Input for the front end: a key, a resize, a line.
    Input(I),
    /// The input is gone.
    Closed,
    /// SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2 or SIGALRM: leave the normal way,
    /// session saved.
    Terminate,
    /// SIGTSTP: give the terminal back and stop.
    Stop,
    /// SIGCONT: resumed after a stop, perhaps one that could not be caught.
    Continue,
    /// A hook or the reminders went wrong.
    Warning(String),
}

/// What a front end makes of an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Ask the guide.
    Intent(Intent),
    /// Start the day the start screen settled on.
    Begin(Choice),
    /// Leave (from the start screen, where there is no guide to ask).
    Quit,
    /// Stop for now (from the start screen).
    Suspend,
    /// Note how sore, and a line of text, in the journal (the end of the day's question).
    Note(crate::core::journal::Entry),
    /// The value a step asked for as it ended, as typed (a number).
    Value {
        /// The step.
        step: usize,
        /// The number.
        value: String,
    },
}

/// A front end: input in, frames or sentences out, and nothing more.
pub trait Front {
    /// What its input thread reads.
    type Input: Send + 'static;

    /// Starts the thread that reads input until it ends, sending each piece on `tx`.
    fn listen(&mut self, tx: Sender<Msg<Self::Input>>);

    /// What an input means; `guide` is `None` on the start screen. Anything it shows by
    /// itself (a list, the keys) it keeps until [`Front::show`].
    fn read(&mut self, input: Self::Input, guide: Option<&Guide>, now: Timestamp) -> Vec<Action>;

    /// Shows the guide (or the start screen) after a batch: `told` is what the batch said;
    /// `only_time` means nothing but time has passed since the last show.
    fn show(
        &mut self,
        guide: Option<&Guide>,
        told: &Told,
        now: Timestamp,
        only_time: bool,
    ) -> anyhow::Result<()>;

    /// When it next needs showing by itself (the next second of a countdown, the end of a
    /// flash, the next whole minute); the guide's own deadlines are the loop's business.
    fn next_wake(&self, guide: &Guide, now: Timestamp) -> Option<Timestamp>;

    /// When it next needs showing by itself while there is no day yet (the start screen's
    /// clock).
    fn idle_wake(&self, _now: Timestamp) -> Option<Timestamp> {
        None
    }

    /// The loop will next wake at `at`: a chance to work out that frame while idle.
    fn prepare(&mut self, _guide: &Guide, _at: Timestamp) {}

    /// The start screen's choice could not start a day.
    fn refused(&mut self, _why: String) {}

    /// Gives the terminal back, stops (with its process group: see [`signals::stop_group`]),
    /// and takes it again once resumed.
    fn suspend(&mut self) -> anyhow::Result<()> {
        signals::stop_group().context("cannot stop")
    }

    /// Resumed after a stop it did not see coming (SIGSTOP): takes the terminal again and
    /// shows everything afresh.
    fn resumed(&mut self) -> anyhow::Result<()> {
        Ok(())
    }

    /// Whether inputs queued together are handled together and shown once (a screen: one
    /// frame for a burst of keys), rather than one at a time, each shown before the next.
    fn batches(&self) -> bool {
        true
    }

    /// The last words, once the loop ends.
    fn close(&mut self, guide: Option<&Guide>) -> anyhow::Result<()>;
}

/// Where the guide's events go: the session log, or nowhere in tests.
pub trait Record {
    /// Why a write failed.
    type Error: std::error::Error + Send + Sync + 'static;
    /// Writes one event, whole, or leaves the record as it was and says why not.
    fn record(&mut self, at: Timestamp, event: &Event) -> Result<(), Self::Error>;
}

impl Record for Log {
    type Error = crate::store::Error;
    fn record(&mut self, at: Timestamp, event: &Event) -> Result<(), Self::Error> {
        self.append(at, event)
    }
}

/// Keeps the events in memory: for driving a guide in tests, and seeing what it recorded.
impl Record for Vec<(Timestamp, Event)> {
    type Error = std::convert::Infallible;
    fn record(&mut self, at: Timestamp, event: &Event) -> Result<(), Self::Error> {
        self.push((at, event.clone()));
        Ok(())
    }
}

/// What a failed write means to a runner: the change that failed was never shown, and
/// everything shown before it is on disk.
pub const SAVE_FAILED: &str =
    "cannot save your session; everything the guide showed before this is saved";

/// Writes a change's events, then lets the guide take it on. A write that fails changes
/// nothing in the guide, and the log is cut back to its last whole line; the guide then ends
/// with [`SAVE_FAILED`], in both front ends alike, rather than go on showing what it cannot
/// keep (a full disk fails every second of a countdown again).
pub fn carry_out<R: Record>(
    log: &mut R,
    guide: &mut Guide,
    change: Change,
) -> anyhow::Result<Told> {
    for (at, event) in &change.record {
        log.record(*at, event)
            .map_err(|e| anyhow::Error::new(e).context(SAVE_FAILED))?;
    }
    Ok(guide.commit(change))
}

/// One input's worth of work: what the front end makes of it, asked of the guide.
pub fn handle<F: Front, R: Record>(
    front: &mut F,
    day: &mut Option<(R, Guide)>,
    input: F::Input,
    now: Timestamp,
    begin: &mut Begin<R>,
) -> anyhow::Result<Told> {
    let mut told = Told::default();
    for action in front.read(input, day.as_ref().map(|(_, g)| g), now) {
        match (action, day.as_mut()) {
            (Action::Intent(intent), Some((log, guide))) => {
                let change = guide.handle(intent, now);
                told.merge(carry_out(log, guide, change)?);
            }
            (Action::Intent(_), None) => {}
            (Action::Begin(choice), None) => match begin(choice, now) {
                Ok((mut log, mut guide)) => {
                    let change = guide.wake(now);
                    told.merge(carry_out(&mut log, &mut guide, change)?);
                    *day = Some((log, guide));
                }
                Err(e) => front.refused(format!("{e:#}")),
            },
            (Action::Begin(_), Some(_)) => {}
            (Action::Quit, _) => told.quit = true,
            (Action::Suspend, _) => told.suspend = true,
            (Action::Note(entry), _) => told.noted.push(entry),
            (Action::Value { step, value }, Some((log, guide))) => {
                let change = guide.give_value(step, value, now);
                told.merge(carry_out(log, guide, change)?);
            }
            (Action::Value { .. }, None) => {}
        }
    }
    Ok(told)
}

/// Starts the day the start screen asked for: its log and its guide.
pub type Begin<'a, R> = dyn FnMut(Choice, Timestamp) -> anyhow::Result<(R, Guide)> + 'a;

/// What the guide opens on. One lives for the whole run, so the size gap between the two
/// costs nothing worth a box.
#[allow(clippy::large_enum_variant)]
pub enum Opening {
    /// A session under way, or one the command line set up.
    Guide(Log, Guide),
    /// The start screen, for a new session; nothing is written until it settles.
    Start,
}

/// Runs a front end on the loop until the runner quits, input ends or a signal comes.
pub fn run<F: Front>(
    front: &mut F,
    opening: Opening,
    config: &Config,
    data: &Path,
    begin: &mut Begin<Log>,
) -> anyhow::Result<()> {
    let clock = Clock::start();
    let (tx, rx) = mpsc::channel();
    front.listen(tx.clone());
    let warn = tx.clone();
    let report: hooks::Report = Arc::new(move |w| {
        let _ = warn.send(Msg::Warning(w));
    });
    let hooks = Hooks::new(config.hooks.clone(), Arc::clone(&report));
    let voice = voice::Voice::new(config.speak, config.notify, Arc::clone(&report));
    let mut reminders = Follow::start(data.to_path_buf(), config.clock, report);
    on_signals(tx, |signal| match signal {
        Signal::Terminate => Msg::Terminate,
        Signal::Stop => Msg::Stop,
        Signal::Continue => Msg::Continue,
    })?;

    let mut day = match opening {
        Opening::Guide(log, guide) => Some((log, guide)),
        Opening::Start => None,
    };
    let mut told = Told::default();
    if let Some((log, guide)) = &mut day {
        let now = clock.now();
        let change = guide.wake(now);
        told = carry_out(log, guide, change)?;
        // Reopened: whatever changed while postrun was closed moves the reminders too.
        reminders.update(guide.session(), now);
    }
    let mut only_time = false;
    // When the guide next changes by itself (`Some(None)`: never), asked again only once it
    // has changed: until then a wake with no input leaves it asleep (`Guide::quiet_until`).
    let mut quiet: Option<Option<Timestamp>> = None;
    loop {
        let now = clock.now();
        if let Some((_, guide)) = &day
            && !told.said.is_empty()
        {
            let calls = hooks::calls(
                &told.said,
                guide.session(),
                now,
                *guide.zone(),
                guide.hours(),
            );
            voice.tell(&calls);
            for call in calls {
                hooks.fire(call);
            }
            reminders.after(&told.said, guide.session(), now);
        }
        front.show(day.as_ref().map(|(_, g)| g), &told, now, only_time)?;
        if told.quit {
            break;
        }
        if told.suspend {
            front.suspend()?;
            // Back from the stop: show again at once, whole, before waiting for anything.
            told = Told::default();
            only_time = false;
            continue;
        }
        let now = clock.now();
        let wake = match &day {
            Some((_, guide)) => [
                *quiet.get_or_insert_with(|| guide.quiet_until()),
                front.next_wake(guide, now),
            ]
            .into_iter()
            .flatten()
            .min(),
            None => front.idle_wake(now),
        };
        if let (Some((_, guide)), Some(at)) = (&day, wake) {
            front.prepare(guide, at);
        }
        let first = match wake {
            None => rx.recv().ok().or(Some(Msg::Closed)),
            Some(at) => match rx.recv_timeout((at - now).to_std().unwrap_or_default()) {
                Ok(msg) => Some(msg),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => Some(Msg::Closed),
            },
        };
        // Handle everything queued, then show once; a front end that says each change in turn
        // takes one input at a time, so an answer never comes before what was typed first.
        let mut pending: Vec<Msg<F::Input>> = first.into_iter().collect();
        if front.batches() {
            pending.extend(rx.try_iter());
        }
        told = Told::default();
        let now = clock.now();
        // Before the guide can change by itself, a wake is the countdown's alone.
        let asleep = matches!(quiet, Some(until) if until.is_none_or(|t| now < t));
        if pending.is_empty()
            && !asleep
            && let Some((log, guide)) = &mut day
        {
            let change = guide.wake(now);
            told.merge(carry_out(log, guide, change)?);
        }
        if !(pending.is_empty() && asleep) {
            quiet = None;
        }
        only_time = pending.is_empty() && told.is_empty();
        for msg in pending {
            match msg {
                Msg::Input(input) => {
                    let mut more = handle(front, &mut day, input, clock.now(), begin)?;
                    // The journal is written here, in the loop, never from a front end.
                    for entry in std::mem::take(&mut more.noted) {
                        let journal = crate::store::journal::Journal::new(data);
                        if let Err(e) = journal.append(&entry) {
                            let w =
                                format!("Warning: cannot note it: {}", printable(&e.to_string()));
                            if let Some((_, guide)) = &mut day {
                                guide.warn(w.clone(), clock.now());
                            }
                            more.said.push(Said::Refused(w));
                        }
                    }
                    told.merge(more);
                }
                Msg::Warning(w) => {
                    // A hook's or a scheduler's words: shown, never obeyed by the terminal.
                    let w = format!("Warning: {}", printable(&w));
                    if let Some((_, guide)) = &mut day {
                        guide.warn(w.clone(), clock.now());
                    }
                    told.said.push(Said::Refused(w));
                }
                Msg::Terminate | Msg::Closed => told.quit = true,
                Msg::Stop => told.suspend = true,
                Msg::Continue => {
                    front.resumed()?;
                    only_time = false;
                }
            }
        }
    }
    // Nothing postrun started runs on after it: a hook still running is stopped with all it
    // started (also when the loop ends early, as `hooks` and `voice` are dropped).
    hooks.finish();
    voice.finish();
    reminders.finish();
    front.close(day.as_ref().map(|(_, g)| g))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use chrono::{TimeZone, Utc};

    use std::io;

    use super::*;
    use crate::core::clock::Zone;
    use crate::core::protocol::{DEFAULT, builtin};
    use crate::core::session::{Session, StepState};

    /// A log whose writes fail, as on a full disk.
    struct Full;

    impl Record for Full {
        type Error = io::Error;
        fn record(&mut self, _: Timestamp, _: &Event) -> io::Result<()> {
            Err(io::Error::other("no space left on device"))
        }
    }

    fn guide() -> (Guide, Timestamp) {
        let t0 = Utc.with_ymd_and_hms(2026, 5, 1, 10, 0, 0).unwrap();
        let p = builtin(DEFAULT).unwrap().parse().unwrap();
        let mut g = Guide::new(
            Session::new(p, t0, t0 + chrono::TimeDelta::hours(12)),
            Zone::Local,
        );
        let first = g.wake(t0);
        let _ = g.commit(first);
        (g, t0)
    }

    #[test]
    fn a_failed_write_changes_nothing_and_ends_the_guide() {
        let (mut g, t0) = guide();
        let change = g.handle(Intent::Go, t0);
        let err = carry_out(&mut Full, &mut g, change).unwrap_err();
        assert!(format!("{err:#}").starts_with(SAVE_FAILED), "{err:#}");
        assert!(format!("{err:#}").contains("no space left"), "{err:#}");
        assert_eq!(
            g.session().states()[0],
            StepState::Active,
            "not marked done"
        );
        // Had the disk taken it, the same Enter would have gone through.
        let change = g.handle(Intent::Go, t0);
        let mut log = Vec::new();
        carry_out(&mut log, &mut g, change).unwrap();
        assert_eq!(log, [(t0, Event::Complete)]);
        assert_eq!(g.session().states()[0], StepState::Done);
    }
}

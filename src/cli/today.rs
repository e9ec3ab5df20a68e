//! Today's session: the open one resumed, else a new one, set up on the start screen or by
//! the command line. `postrun` without a command starts here.
use std::io::{self, IsTerminal};
use std::process::ExitCode;
use std::sync::Arc;

use chrono::Utc;

use super::day::{self, origin_label};
use super::out::tell;
use super::{Context, DayArgs, Failure};
use crate::core::clock::{Choice, Hours, Zone};
use crate::core::guide::{DailyUses, DayChange, Guide, Intent, narrate};
use crate::core::protocol::{self, Units};
use crate::core::session::Timestamp;
use crate::core::watch;
use crate::front::plain::Plain;
use crate::front::tui::{Tui, setup::Routine, setup::Setup};
use crate::shell::{self, Opening as Start};
use crate::store::activities;
use crate::store::catalog::{self, Folders};
use crate::store::config::{Config, Source};
use crate::store::{Begun, Log, Opening, Replayed, Store};

/// Today as found on disk: the sessions that can matter today replayed (the open one, and
/// those whose uses count toward today's daily limits), and what replaying warned of.
struct Found {
    store: Store,
    bell: bool,
    hours: Hours,
    units: Units,
    sessions: Vec<Replayed>,
    open: Option<Replayed>,
    warnings: Vec<String>,
}

fn look(folders: &Folders, now: Timestamp, config: &Config) -> Result<Found, Failure> {
    let store = Store::new(&folders.data);
    let (sessions, warnings) = store
        .replay_recent(now)
        .with_context(|| format!("cannot read {}", store.dir().display()))?;
    let open = sessions.iter().rev().find(|r| r.is_open(now)).cloned();
    Ok(Found {
        store,
        bell: config.bell,
        hours: config.clock,
        units: config.units,
        sessions,
        open,
        warnings,
    })
}

impl Found {
    /// The newest day before now whose night is over, in a line, for a new day's start.
    fn behind(&self, now: Timestamp) -> Option<String> {
        let last = self.sessions.iter().rev().find(|r| !r.is_open(now))?;
        narrate::day_behind(&last.session, now, Zone::Local)
    }

    /// Reopens the open session.
    fn resume(&mut self, r: Replayed) -> Result<(Log, Guide), Failure> {
        self.warnings.extend(r.warnings.iter().cloned());
        let source = r.opening.source.clone();
        let (log, session) = self
            .store
            .resume(r)
            .context("cannot reopen the session log")?;
        Ok(self.guide(log, session, &source))
    }

    /// Starts a new session as `args` say; an open one is closed into history first, but only
    /// once the new day is settled, so a bad `--protocol` never closes it.
    fn start(
        &mut self,
        args: &Choice,
        run: Option<&activities::Found>,
        folders: &Folders,
        now: Timestamp,
    ) -> Result<(Log, Guide), Failure> {
        let day = day::resolve(args, run, folders, now)?;
        // The session keeps the routine in the order of the day (an evening run eats after
        // the Epsom bath), with what the plan drops skipped from the start.
        let ordered = day.plan(args.budget).ordered(&day.loaded.protocol);
        // A day that keeps nothing would be over at once ("Done (0)"): say why, start nothing.
        let steps = ordered.protocol.steps.len();
        if steps > 0 && ordered.dropped.len() == steps {
            let name = crate::core::printable::printable(&day.loaded.protocol.name);
            return Err(anyhow::anyhow!(match args.budget {
                Some(budget) if ordered.too_late.len() < steps => format!(
                    "a budget of {} keeps none of the steps of {name}; give it more time, or none",
                    crate::core::protocol::Short(budget)
                ),
                _ => format!(
                    "none of the steps of {name} fits before bed tonight; give a later --bedtime"
                ),
            })
            .into());
        }
        let opening = Opening {
            protocol: ordered.protocol,
            origin: origin_label(&day.loaded.origin),
            source: day.loaded.source.clone(),
            finished_at: day.finished_at,
            bedtime: day.bedtime,
            bedtime_is_default: day.bedtime_source == Source::Default,
            dropped: ordered.dropped,
            too_late: ordered.too_late,
            budget_s: args.budget.map(|b| b.as_secs()),
            late: day.late,
            run: day.run.clone(),
        };
        // The open session we saw is closed into history only once the new one is on disk,
        // so a folder that takes no new log leaves it open as it was. The store checks again
        // under its lock: a session another window started meanwhile is carried on instead.
        let replacing = self.open.take().map(|r| r.path);
        let begun = self
            .store
            .start(opening, now, replacing.as_deref())
            .with_context(|| format!("cannot start a session in {}", self.store.dir().display()))?;
        let (log, session) = match begun {
            Begun::New(log, session) => (log, *session),
            Begun::Open(r) => {
                self.warnings
                    .push("another window started a session meanwhile; carrying on with it".into());
                return self.resume(*r);
            }
        };
        Ok(self.guide(log, session, &day.loaded.source))
    }

    /// The guide over a session: daily limits count every use on the local calendar day it is
    /// made, across sessions; quantities in the runner's units, read again from `source`.
    fn guide(
        &self,
        log: Log,
        mut session: crate::core::session::Session,
        source: &str,
    ) -> (Log, Guide) {
        let shown = protocol::shown_in(&session.protocol, source, self.units);
        // After a hot run, the steps' advice for the heat comes first.
        session.protocol = Arc::new(watch::for_run(&shown, session.recorded.as_ref()));
        let uses = crate::store::daily_uses(&self.sessions, Some(log.path()));
        let guide = Guide::new(session, Zone::Local)
            .with_bell(self.bell)
            .with_hours(self.hours)
            .with_units(self.units)
            .with_daily(DailyUses::new(uses, Zone::Local));
        (log, guide)
    }
}

/// The built-in to go on with when the runner's own copy of it, named `name`, cannot be
/// used, and the problem on one line (`FILE:LINE:COL: message`): an exhausted runner is not
/// left at a dead end by a typo in their file. `None` when `name` loads, or names no built-in.
fn fallback(name: &str, folders: &Folders) -> Option<(String, String)> {
    if catalog::is_path(name) || crate::core::protocol::builtin(name).is_none() {
        return None;
    }
    match catalog::load(name, folders) {
        Ok(_) | Err(catalog::CatalogError::NotFound { .. }) => None,
        Err(e) => Some((
            format!("{}{name}", catalog::BUILTIN_PREFIX),
            crate::core::printable::printable(&e.headline()),
        )),
    }
}

/// What is said when the built-in stands in for a broken copy.
fn fallback_notice(headline: &str, name: &str) -> String {
    format!(
        "{headline}; the built-in {name} is picked for today (`postrun edit {name}` fixes yours)"
    )
}

/// The start screen's form for `args`: every routine to be had, the one named first picked,
/// and the bedtime as `--bedtime`, the config file or the default give it.
fn setup(
    args: &DayArgs,
    folders: &Folders,
    now: Timestamp,
    behind: Option<String>,
) -> Result<Setup, Failure> {
    let config = crate::store::config::load(folders)?;
    let wanted = args.protocol.clone().unwrap_or(config.protocol.clone());
    let fallback = fallback(&wanted, folders);
    // The named routine must load, as on the command line: its problems print before the
    // terminal is taken, unless it is the runner's copy of a built-in, which stands in. The
    // others are offered with their problems shown.
    if fallback.is_none() {
        catalog::load(&wanted, folders)?;
    }
    let mut names = catalog::available(folders);
    if !names.contains(&wanted) {
        names.insert(0, wanted.clone());
    }
    let mut routines = Vec::new();
    for name in names {
        let loaded = catalog::load(&name, folders);
        // A copy of a built-in that cannot be used has the built-in beside it.
        let stand_in = loaded
            .is_err()
            .then(|| crate::core::protocol::builtin(&name))
            .flatten()
            .filter(|_| !catalog::is_path(&name))
            .and_then(|b| b.parse().ok());
        routines.push(Routine {
            protocol: loaded
                .map(|l| protocol::shown_in(&l.protocol, &l.source, config.units))
                .map_err(|e| crate::core::printable::printable(&e.headline())),
            name: name.clone(),
        });
        if let Some(protocol) = stand_in {
            routines.push(Routine {
                name: format!("{}{name}", catalog::BUILTIN_PREFIX),
                protocol: Ok(protocol),
            });
        }
    }
    let picked_name = fallback.as_ref().map_or(wanted.clone(), |(b, _)| b.clone());
    let picked = routines
        .iter()
        .position(|r| r.name == picked_name)
        .unwrap_or(0);
    let (bed, from) = match args.bedtime {
        Some(b) => (b.0, "from --bedtime"),
        None => match config.bedtime.1 {
            Source::File => (config.bedtime.0, "from config.toml"),
            _ => (config.bedtime.0, "the default"),
        },
    };
    let zone = Zone::Local;
    let mut setup =
        Setup::new(routines, picked, bed, from, args.budget, now, zone).with_hours(config.clock);
    setup.behind = behind;
    setup.notice = fallback.map(|(_, headline)| fallback_notice(&headline, &wanted));
    Ok(setup)
}

/// A `--protocol` other than the open session's is refused: the day keeps its routine, and
/// `--new` is the way to another.
fn same_routine(args: &DayArgs, open: &Replayed, folders: &Folders) -> Result<(), Failure> {
    let Some(wanted) = &args.protocol else {
        return Ok(());
    };
    let loaded = catalog::load(wanted, folders)?;
    if origin_label(&loaded.origin) == open.opening.origin {
        return Ok(());
    }
    Err(Failure::usage(format!(
        "a session of {} is open; `postrun --new --protocol {wanted}` closes it into history and starts {} instead",
        open.session.protocol.name, loaded.protocol.name
    )))
}

/// `--finished`, `--bedtime` and `--budget` with a session open change its day, as the guide's
/// own form does: one event in its log, and a line saying what changed.
fn change_day(
    args: &DayArgs,
    log: &mut Log,
    guide: &mut Guide,
    now: Timestamp,
) -> Result<(), Failure> {
    let change = DayChange {
        finished: args.finished,
        bedtime: args.bedtime.map(|b| b.0),
        budget: args.budget.map(Some),
    };
    if change.is_empty() {
        return Ok(());
    }
    // Refused changes (a finish in the future) end here, with why, before anything is written.
    guide.reschedule(change, now).map_err(Failure::usage)?;
    let change = guide.handle(Intent::ChangeDay(change), now);
    shell::carry_out(log, guide, change).context("cannot change the open session")?;
    let s = guide.session();
    let clock = |t| crate::core::clock::clock_in(t, guide.zone(), guide.hours());
    let budget = s
        .budget
        .map(|b| format!(", budget {}", crate::core::protocol::Short(b)))
        .unwrap_or_default();
    tell!(
        "postrun: the open session now has the run finished {}, bedtime {}{budget}",
        clock(s.finished_at),
        clock(s.bedtime)
    );
    Ok(())
}

/// `postrun` with no command: the full-screen guide over the open session, or the start
/// screen for a new one (straight to the main screen with `--finished`); the plain guide with
/// `--plain`, under `TERM=dumb`, or where input or output is not a terminal.
pub fn run(args: &DayArgs, plain: bool, folders: &Folders) -> Result<ExitCode, Failure> {
    let now = Utc::now();
    // Settle the arguments and the protocol before touching the terminal, so errors land on
    // the normal screen.
    let config = crate::store::config::load(folders)?;
    let mut found = look(folders, now, &config)?;
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    let terminal = io::stdout().is_terminal() && io::stdin().is_terminal() && !dumb && !plain;
    // The day before, when it has just been closed into history by its night ending.
    let behind = match found.open {
        None => found.behind(now),
        Some(_) => None,
    };
    let starting = found.open.is_none() || args.new;
    if let (Some(r), Some(_), false) = (&found.open, &args.from, starting) {
        return Err(Failure::usage(format!(
            "a session is open (run finished {}); `postrun --new --from FILE` closes it into history and starts the day after that run",
            day::clock(r.session.finished_at, config.clock)
        )));
    }
    // The config's watch folder is looked in only for a day started without a word of when
    // the run finished; the full-screen start screen asks instead.
    let watch_folder = args.finished.is_none() && !terminal;
    let picked = match starting {
        true => day::pick_run(args.from.as_deref(), watch_folder, &config, now)?,
        false => None,
    };
    let mut notes: Vec<String> = picked
        .iter()
        .map(|f| day::using(f, config.clock, config.units) + ".")
        .collect();
    let opening = match found.open.clone() {
        Some(r) if !args.new => {
            same_routine(args, &r, folders)?;
            let (mut log, mut guide) = found.resume(r)?;
            change_day(args, &mut log, &mut guide, now)?;
            Some((log, guide))
        }
        _ if args.finished.is_some() || picked.is_some() => {
            let mut choice = args.choice();
            let name = choice.protocol.clone().unwrap_or(config.protocol.clone());
            if let Some((builtin, headline)) = fallback(&name, folders) {
                found.warnings.push(fallback_notice(&headline, &name));
                choice.protocol = Some(builtin);
            }
            Some(found.start(&choice, picked.as_ref(), folders, now)?)
        }
        // A new day without --finished: the start screen asks first, as lines in the plain
        // guide, and nothing is written until it is answered.
        _ => None,
    };
    for w in std::mem::take(&mut found.warnings) {
        tell!("postrun: warning: {w}");
    }
    if let (Some(b), false) = (&behind, terminal) {
        tell!("postrun: {b} A new day starts here.");
    }
    // The runner's record, under the day's first line: the soreness trend, and their rule.
    if let Some((_, guide)) = &opening
        && !terminal
    {
        let routine = &guide.session().protocol.id;
        notes.extend(super::journal::record(folders, &config, routine, now));
    }
    let opening = match opening {
        Some((log, guide)) => Start::Guide(log, guide),
        None => Start::Start,
    };
    let mut begin = |mut day: Choice, at: Timestamp| {
        // An untouched bedtime comes back unset (a default stays one); `--bedtime`'s holds.
        day.bedtime = day.bedtime.or(args.bedtime);
        // The run the start screen offered, when the runner began with it.
        let run = day.run.clone().map(|run| activities::Found {
            path: run.file.clone().into(),
            run,
        });
        found
            .start(&day, run.as_ref(), folders, at)
            .map_err(anyhow::Error::from)
    };
    let setup = match opening {
        Start::Start => {
            let mut form = setup(args, folders, now, behind)?;
            let routine = args.protocol.as_deref().unwrap_or(&config.protocol);
            form.record = super::journal::record(folders, &config, routine, now);
            match terminal && args.finished.is_none() {
                true => Some(day::offer_run(form, &config, now)),
                false => Some(form),
            }
        }
        Start::Guide(..) => None,
    };
    if terminal {
        let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        let weeks = super::history::calendar::read_weeks(folders.data.clone());
        let mut tui = Tui::start(setup, color)?.with_weeks(weeks);
        shell::run(&mut tui, opening, &config, &folders.data, &mut begin)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut plain = Plain::stdout(config.bell && io::stdout().is_terminal())
        .with_form(setup)
        .with_units(config.units)
        .with_notes(notes);
    shell::run(&mut plain, opening, &config, &folders.data, &mut begin)?;
    Ok(ExitCode::SUCCESS)
}

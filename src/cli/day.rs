//! Today's setup from the command line and the config file: which protocol, when the run
//! finished, when bed is. Shared by the guide, `plan` and `status`.
use chrono::Local;

use super::Failure;
use super::out::tell;
use std::path::Path;

use crate::core::clock::{Choice, Hours, Latest, Zone, clock_after, clock_in, finished_at};
use crate::core::plan;
use crate::core::plan::window_text_in;
use crate::core::protocol;
use crate::core::protocol::Units;
use crate::core::session::OPEN_FOR;
use crate::core::session::Timestamp;
use crate::core::watch::Run;
use crate::front::tui::setup::Setup;
use crate::store::activities::{self, Found};
use crate::store::catalog::{self, Folders, Loaded, Origin};
use crate::store::config::{self, Config, Source};

/// The day's inputs, resolved.
#[derive(Debug, Clone)]
pub struct Day {
    /// The protocol.
    pub loaded: Loaded,
    /// When the run finished.
    pub finished_at: Timestamp,
    /// Bedtime as a moment after the finish.
    pub bedtime: Timestamp,
    /// The run ended after bedtime: a short night (see [`plan::night`]).
    pub late: bool,
    /// Where the bedtime came from.
    pub bedtime_source: Source,
    /// The clock clock times are shown on.
    pub hours: Hours,
    /// The run from the watch the day is planned after, if it is.
    pub run: Option<Run>,
}

/// Resolves the day's inputs at `now`; with a run from the watch, its end is the finish.
pub fn resolve(
    args: &Choice,
    run: Option<&Found>,
    folders: &Folders,
    now: Timestamp,
) -> Result<Day, Failure> {
    let config = config::load(folders)?;
    let name = args
        .protocol
        .clone()
        .unwrap_or_else(|| config.protocol.clone());
    let mut loaded = catalog::load(&name, folders)?;
    loaded.protocol = protocol::shown_in(&loaded.protocol, &loaded.source, config.units);
    let found = match run {
        Some(f) => Latest {
            at: f.run.ended_at.min(now),
            note: None,
        },
        None => finished_at(args.finished, now, &Zone::Local).map_err(|e| anyhow::anyhow!(e))?,
    };
    if let Some(note) = &found.note {
        tell!("postrun: note: {note}");
    }
    let finished_at = found.at;
    let (bed, bedtime_source) = match args.bedtime {
        Some(b) => (b.0, Source::Flag),
        None => config.bedtime,
    };
    let night = plan::night(&loaded.protocol, finished_at, bed, &Zone::Local);
    Ok(Day {
        loaded,
        finished_at,
        bedtime: night.bedtime,
        late: night.late,
        bedtime_source,
        hours: config.clock,
        run: run.map(|f| f.run.clone()),
    })
}

/// How far a watch's clock may run ahead of this one: a run that ends this little in the
/// future ended now.
const AHEAD: chrono::TimeDelta = chrono::TimeDelta::minutes(10);

/// The run the day is planned after: the file `--from` names (or the newest activity in the
/// folder it names), else, when `watch_folder` and the config's `activities` folder holds a
/// run that ended in the last hours, that one; else none. A file that cannot be read is an
/// error naming it; a run that ended in the future or over a day ago is refused, since the
/// day after it cannot be planned.
pub fn pick_run(
    from: Option<&Path>,
    watch_folder: bool,
    config: &Config,
    now: Timestamp,
) -> Result<Option<Found>, Failure> {
    let found = match (from, &config.activities) {
        (Some(path), _) => activities::read_run(path).map_err(anyhow::Error::from)?,
        (None, Some(folder)) if watch_folder => match activities::newest_activity(folder, now) {
            Some(found) => found,
            None => return Ok(None),
        },
        _ => return Ok(None),
    };
    let ended = found.run.ended_at;
    let when = ended.with_timezone(&Local).format("%Y-%m-%d %H:%M");
    if ended > now + AHEAD {
        return Err(Failure::usage(format!(
            "{}: its run ends at {when}, in the future; is the watch's clock or this one wrong?",
            found.path.display()
        )));
    }
    if now - ended >= chrono::TimeDelta::from_std(OPEN_FOR).unwrap_or_default() {
        return Err(Failure::usage(format!(
            "{}: its run ended at {when}, over a day ago; postrun plans the day after a run, within 24 hours of it",
            found.path.display()
        )));
    }
    Ok(Some(found))
}

/// The start screen with the run of the last hours in the config's watch folder offered, if
/// there is one: offered, not taken, so the runner sees it and may type another finish.
pub fn offer_run(form: Setup, config: &Config, now: Timestamp) -> Setup {
    let found = config
        .activities
        .as_deref()
        .and_then(|folder| activities::newest_activity(folder, now));
    let Some(f) = found else { return form };
    let file = f.path.file_name().unwrap_or_default();
    let file = file.to_string_lossy().into_owned();
    let distance = f.run.distance(config.units);
    form.with_run(f.run, distance, file)
}

/// "Using your 07:42 run (21.1 km) from FILE": which run the day is planned after.
pub fn using(found: &Found, hours: Hours, units: Units) -> String {
    let distance = found
        .run
        .distance(units)
        .map(|d| format!(" ({d})"))
        .unwrap_or_default();
    format!(
        "Using your {} run{distance} from {}",
        clock(found.run.ended_at, hours),
        found.path.display()
    )
}

/// The settings, for the commands that only show what is there (`status`, `history`,
/// `show`): a config file half-edited must not stop a status bar, so its problem comes back as
/// a warning, with the defaults (24-hour times, metric units) meanwhile.
pub fn settings(folders: &Folders) -> (Config, Option<String>) {
    match config::load(folders) {
        Ok(config) => (config, None),
        Err(e) => {
            let first = e.to_string().lines().next().unwrap_or_default().to_string();
            (
                Config::default(),
                Some(format!("{first}; showing 24-hour times and metric units")),
            )
        }
    }
}

/// A clock time in local time: `HH:MM`, or `H:MMam` on the 12-hour clock.
pub fn clock(t: Timestamp, hours: Hours) -> String {
    clock_in(t, &Local, hours)
}

/// A moment after the run, with its day named where it could be misread (`tomorrow 22:30`).
pub fn clock_from(t: Timestamp, from: Timestamp, hours: Hours) -> String {
    clock_after(t, from, &Local, hours)
}

/// RFC 3339 with the local offset, as the JSON contract says.
pub fn rfc3339(t: Timestamp) -> String {
    t.with_timezone(&Local)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// How a protocol's origin is written in a session log.
pub fn origin_label(origin: &Origin) -> String {
    match origin {
        Origin::Builtin(b) => format!("built-in:{}", b.id),
        Origin::File(p) => p.display().to_string(),
    }
}

/// The window of a step as the runner reads it: `by 10:10-10:15`, `11:00-12:00`, `at 22:30`.
pub fn window_text(t: &plan::Times, hours: Hours) -> String {
    window_text_in(t, &Local, hours)
}

impl Day {
    /// The night this day runs to.
    pub fn night(&self) -> plan::Night {
        plan::Night {
            bedtime: self.bedtime,
            late: self.late,
        }
    }

    /// The day's plan, with `budget`.
    pub fn plan(&self, budget: Option<std::time::Duration>) -> plan::Plan {
        plan::plan_night(
            &self.loaded.protocol,
            self.finished_at,
            self.night(),
            budget,
        )
    }
}

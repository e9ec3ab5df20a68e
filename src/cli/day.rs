//! Today's setup from the command line and the config file: which protocol, when the run
//! finished, when bed is. Shared by the guide, `plan` and `status`.
use chrono::Local;

use super::Failure;
use super::out::tell;
use crate::core::clock::{Choice, Hours, Zone, clock_after, clock_in, finished_at};
use crate::core::plan;
use crate::core::plan::window_text_in;
use crate::core::protocol;
use crate::core::session::Timestamp;
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
}

/// Resolves the day's inputs at `now`.
pub fn resolve(args: &Choice, folders: &Folders, now: Timestamp) -> Result<Day, Failure> {
    let config = config::load(folders)?;
    let name = args
        .protocol
        .clone()
        .unwrap_or_else(|| config.protocol.clone());
    let mut loaded = catalog::load(&name, folders)?;
    loaded.protocol = protocol::shown_in(&loaded.protocol, &loaded.source, config.units);
    let found = finished_at(args.finished, now, &Zone::Local).map_err(|e| anyhow::anyhow!(e))?;
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
    })
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

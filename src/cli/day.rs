//! Today's setup from the command line and the config file: which protocol, when the run
//! finished, when bed is. Shared by the guide, `plan` and `status`.
use chrono::{Days, Local, NaiveTime, TimeZone, Utc};

use super::{DayArgs, Finished};
use crate::catalog::{self, Folders, Loaded, Origin};
use crate::config::{self, Source};
use crate::plan;
pub use crate::plan::{clock_in, window_text_in};
use crate::session::{StepState, Timestamp, delta};

/// The day's inputs, resolved.
#[derive(Debug, Clone)]
pub struct Day {
    /// The protocol.
    pub loaded: Loaded,
    /// When the run finished.
    pub finished_at: Timestamp,
    /// Bedtime as a moment after the finish.
    pub bedtime: Timestamp,
    /// Where the bedtime came from.
    pub bedtime_source: Source,
}

/// Resolves the day's inputs at `now`.
pub fn resolve(args: &DayArgs, folders: &Folders, now: Timestamp) -> anyhow::Result<Day> {
    let config = config::load(folders)?;
    let name = args
        .protocol
        .clone()
        .unwrap_or_else(|| config.protocol.clone());
    let loaded = catalog::load(&name, folders)?;
    let finished_at = finished(args.finished, now);
    let (bed, bedtime_source) = match args.bedtime {
        Some(b) => (b.0, Source::Flag),
        None => config.bedtime,
    };
    let bedtime = plan::bedtime_after(finished_at, bed, &Local);
    Ok(Day {
        loaded,
        finished_at,
        bedtime,
        bedtime_source,
    })
}

/// When the run finished: `9:40` is the latest 9:40 not in the future; `25m` is 25 minutes
/// ago; nothing is now.
pub fn finished(arg: Option<Finished>, now: Timestamp) -> Timestamp {
    match arg {
        None => now,
        Some(Finished::Ago(d)) => now - delta(d),
        Some(Finished::At(t)) => latest_at(t, now),
    }
}

fn latest_at(t: NaiveTime, now: Timestamp) -> Timestamp {
    let today = now.with_timezone(&Local).date_naive();
    for day in [Some(today), today.checked_sub_days(Days::new(1))]
        .into_iter()
        .flatten()
    {
        if let Some(at) = Local.from_local_datetime(&day.and_time(t)).earliest() {
            let at = at.with_timezone(&Utc);
            if at <= now {
                return at;
            }
        }
    }
    now
}

/// `HH:MM` in local time.
pub fn clock(t: Timestamp) -> String {
    clock_in(t, &Local)
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
pub fn window_text(t: &plan::Times) -> String {
    window_text_in(t, &Local)
}

/// A step state as the JSON contract spells it.
pub fn state_word(s: StepState) -> &'static str {
    match s {
        StepState::Pending => "pending",
        StepState::Active => "active",
        StepState::Done => "done",
        StepState::Skipped => "skipped",
    }
}

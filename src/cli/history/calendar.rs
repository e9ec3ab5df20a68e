//! `postrun history --calendar`: the last weeks, a cell a day (see [`crate::core::weeks`]),
//! from the sessions' summaries and the journal.
use std::collections::BTreeMap;

use chrono::{NaiveDate, TimeZone};

use crate::core::journal::{self, Entry};
use crate::core::session::StepState;
use crate::core::weeks::{self, Mark};
use crate::store::Summary;

/// The weeks up to `today` as text: each day shaded by its most complete session, as the
/// calendar in `tz` has it, with the soreness the journal notes for it.
pub fn calendar<Tz: TimeZone>(
    sessions: &[Summary],
    entries: &[Entry],
    today: NaiveDate,
    tz: &Tz,
    weeks: u32,
) -> String {
    weeks::render(&marks(sessions, entries, tz), today, weeks)
}

/// Each day's mark: its most complete session, as the calendar in `tz` has it, and the
/// soreness the journal notes for it.
pub fn marks<Tz: TimeZone>(
    sessions: &[Summary],
    entries: &[Entry],
    tz: &Tz,
) -> BTreeMap<NaiveDate, Mark> {
    let mut days: BTreeMap<NaiveDate, Mark> = BTreeMap::new();
    for s in sessions {
        let day = s.finished_at.with_timezone(tz).date_naive();
        let done = s
            .steps
            .iter()
            .filter(|(_, st)| *st == StepState::Done)
            .count();
        let this = (done, s.steps.len());
        let mark = days.entry(day).or_default();
        // The more complete of two sessions a day: compared as shares, without division.
        let better = mark
            .done
            .is_none_or(|(d, n)| this.0 * n.max(1) > d * this.1.max(1));
        if better {
            mark.done = Some(this);
        }
    }
    for (day, sore) in journal::sore_by_day(entries) {
        days.entry(day).or_default().sore = Some(sore);
    }
    days
}

/// The weeks at a glance as the guide's `h` shows them: read afresh each time it opens, so a
/// day just finished is on it. What cannot be read leaves those days blank; the guide goes on.
pub fn read_weeks(data: std::path::PathBuf) -> crate::front::tui::ReadWeeks {
    Box::new(move |now| {
        let sessions = crate::store::Store::new(&data)
            .summaries()
            .map(|(s, _)| s)
            .unwrap_or_default();
        let entries = crate::store::journal::Journal::new(&data)
            .read()
            .map(|(e, _)| e)
            .unwrap_or_default();
        crate::front::tui::view::history::Weeks {
            days: marks(&sessions, &entries, &chrono::Local),
            today: now.with_timezone(&chrono::Local).date_naive(),
        }
    })
}

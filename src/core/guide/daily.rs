//! Daily limits across sessions: when each daily-limited step was used, counted by calendar day.
use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::core::clock::Zone;
use crate::core::session::{Session, Timestamp};

/// When daily-limited steps were done in other sessions. A use counts toward the calendar day
/// on the runner's clock when it was made, whichever session it belongs to: cream put on at
/// 00:30 after a late run counts toward the new day, as the label's "times a day" means.
#[derive(Debug, Clone)]
pub struct DailyUses {
    /// Each use's step and calendar day, worked out once: the uses are all in the past.
    uses: Vec<(String, NaiveDate)>,
    zone: Zone,
}

impl DailyUses {
    /// Uses made at the given moments (step id, when), counted by calendar day in `zone`.
    pub fn new(uses: impl IntoIterator<Item = (String, Timestamp)>, zone: Zone) -> DailyUses {
        let uses = uses
            .into_iter()
            .map(|(id, at)| (id, at.with_timezone(&zone).date_naive()))
            .collect();
        DailyUses { uses, zone }
    }

    /// How many times each step was used on the calendar day of `now`.
    pub fn on_day_of(&self, now: Timestamp) -> BTreeMap<String, u32> {
        let today = now.with_timezone(&self.zone).date_naive();
        let mut used = BTreeMap::new();
        for (id, on) in &self.uses {
            if *on == today {
                *used.entry(id.clone()).or_insert(0) += 1;
            }
        }
        used
    }
}

/// How many times each daily-limited step has been used on the calendar day of `now`: in
/// other sessions (`others`) and in this one, each use on the day it was made.
pub fn used_today(
    others: Option<&DailyUses>,
    session: &Session,
    zone: Zone,
    now: Timestamp,
) -> BTreeMap<String, u32> {
    let mut used = others.map(|d| d.on_day_of(now)).unwrap_or_default();
    let today = now.with_timezone(&zone).date_naive();
    for (step, times) in session.protocol.steps.iter().zip(session.uses()) {
        if step.daily_limit.is_none() {
            continue;
        }
        let n = times
            .iter()
            .filter(|t| t.with_timezone(&zone).date_naive() == today)
            .count();
        if n > 0 {
            *used.entry(step.id.clone()).or_insert(0) += u32::try_from(n).unwrap_or(u32::MAX);
        }
    }
    used
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::{FixedOffset, TimeZone, Utc};

    #[test]
    fn a_use_counts_toward_the_local_day_it_was_made_on() {
        // UTC+2: 23:30 UTC on the 1st is 01:30 on the 2nd.
        let zone = Zone::Fixed(FixedOffset::east_opt(7200).unwrap());
        let at = |d, h| Utc.with_ymd_and_hms(2026, 5, d, h, 30, 0).unwrap();
        let uses = DailyUses::new(
            [
                ("cream".to_string(), at(1, 23)),
                ("cream".to_string(), at(1, 10)),
            ],
            zone,
        );
        assert_eq!(uses.on_day_of(at(2, 8)).get("cream"), Some(&1));
        assert_eq!(uses.on_day_of(at(1, 12)).get("cream"), Some(&1));
        assert_eq!(uses.on_day_of(at(3, 12)).get("cream"), None);
    }
}

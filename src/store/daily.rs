//! Daily limits across sessions: when each daily-limited step was used, counted by calendar day.
use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;

use super::Replayed;
use crate::session::Timestamp;

/// When daily-limited steps were done in other sessions. A use counts toward the calendar day
/// on the runner's clock when it was made, whichever session it belongs to: cream put on at
/// 00:30 after a late run counts toward the new day, as the label's "times a day" means.
#[derive(Debug, Clone)]
pub struct DailyUses {
    /// Each use's step and calendar day, worked out once: the uses are all in the past.
    uses: Vec<(String, NaiveDate)>,
    day: fn(Timestamp) -> NaiveDate,
}

impl DailyUses {
    /// Every use in `sessions` but the one at `except`; `day` gives a moment's calendar day
    /// (the local one, outside tests).
    pub fn new(
        sessions: &[Replayed],
        except: Option<&Path>,
        day: fn(Timestamp) -> NaiveDate,
    ) -> DailyUses {
        let uses = sessions
            .iter()
            .filter(|r| Some(r.path.as_path()) != except)
            .flat_map(|r| r.session.protocol.steps.iter().zip(&r.done_at))
            .filter(|(step, _)| step.daily_limit.is_some())
            .filter_map(|(step, at)| Some((step.id.clone(), day((*at)?))))
            .collect();
        DailyUses { uses, day }
    }

    /// How many times each step was used on the calendar day of `now`.
    pub fn on_day_of(&self, now: Timestamp) -> BTreeMap<String, u32> {
        let today = (self.day)(now);
        let mut used = BTreeMap::new();
        for (id, on) in &self.uses {
            if *on == today {
                *used.entry(id.clone()).or_insert(0) += 1;
            }
        }
        used
    }
}

//! Changing the day from the guide: when the run finished, bedtime, the budget. The guide
//! plans the day again over the session's own routine and records what changed as one
//! event, so a replay needs no planner and the windows, drops and reminders follow.
use std::time::Duration;

use chrono::NaiveTime;

use super::Guide;
use crate::core::clock::{Finished, finished_at, parse_budget, parse_clock};
use crate::core::plan::{self, Dropped, Night};
use crate::core::session::{Event, Reschedule, Timestamp};

/// A change to the day the runner asked for; what is not given stays as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayChange {
    /// When the run finished.
    pub finished: Option<Finished>,
    /// Bedtime, as a clock time.
    pub bedtime: Option<NaiveTime>,
    /// The budget; `Some(None)` takes it away.
    pub budget: Option<Option<Duration>>,
}

impl DayChange {
    /// The plain guide's words for a change: `finished 9:40` (or `25m`), `bedtime 21:00`,
    /// `budget 30m` (`budget none` takes it away). `None` when the line is none of these.
    pub fn from_words(line: &str) -> Option<Result<DayChange, String>> {
        let (word, value) = line.trim().split_once(char::is_whitespace)?;
        let value = value.trim();
        Some(match word.to_ascii_lowercase().as_str() {
            "finished" => value.parse::<Finished>().map(|f| DayChange {
                finished: Some(f),
                ..DayChange::default()
            }),
            "bedtime" | "bed" => parse_clock(value).map(|b| DayChange {
                bedtime: Some(b),
                ..DayChange::default()
            }),
            "budget" if matches!(value, "none" | "off" | "all day") => Ok(DayChange {
                budget: Some(None),
                ..DayChange::default()
            }),
            "budget" => parse_budget(value).map(|b| DayChange {
                budget: Some(Some(b)),
                ..DayChange::default()
            }),
            _ => return None,
        })
    }

    /// Whether it changes anything at all.
    pub fn is_empty(&self) -> bool {
        *self == DayChange::default()
    }
}

impl Guide {
    /// The event that changes the day as `change` asks at `now`, or why it cannot.
    pub fn reschedule(&self, change: DayChange, now: Timestamp) -> Result<Event, String> {
        let session = self.session();
        let finished = match change.finished {
            Some(f) => finished_at(Some(f), now, &self.zone)?.at,
            None => session.finished_at,
        };
        if finished > now {
            return Err("the run cannot finish in the future".into());
        }
        let night = match change.bedtime {
            Some(bed) => plan::night(&session.protocol, finished, bed, &self.zone),
            // The same bedtime, moved with a late night's finish (its bed follows the run).
            None if session.late => Night {
                bedtime: finished + (session.bedtime - session.finished_at),
                late: true,
            },
            None => Night {
                bedtime: session.bedtime,
                late: false,
            },
        };
        if night.bedtime <= finished {
            return Err("bedtime must come after the run".into());
        }
        let budget = change.budget.unwrap_or(session.budget);
        let planned = plan::plan_night(&session.protocol, finished, night, budget);
        let dropped_where = |too_late: bool| {
            let mut steps: Vec<usize> = planned
                .entries
                .iter()
                .filter(|e| match e.dropped {
                    Some(Dropped::TooLate(_)) => true,
                    Some(Dropped::Budget { .. }) => !too_late,
                    None => false,
                })
                .map(|e| e.step)
                .collect();
            steps.sort_unstable();
            steps
        };
        Ok(Event::Reschedule(Box::new(Reschedule {
            finished_at: finished,
            bedtime: night.bedtime,
            late: night.late,
            budget_s: budget.map(|b| b.as_secs()),
            dropped: dropped_where(false),
            too_late: dropped_where(true),
        })))
    }

    /// The windows' openings, again: the day's times have moved.
    pub(super) fn replan_openings(&mut self) {
        let s = self.session();
        self.opens = plan::openings(&s.protocol, s.finished_at, s.bedtime);
    }
}

#[cfg(test)]
mod tests;

//! The day laid out: windows as clock times from the finish and bedtime, their status at a
//! moment, and the budget planner that keeps what fits. Pure: the time zone comes in as an
//! argument.
use std::time::Duration;

use chrono::TimeZone;

use super::clock::{Hours, clock_in};

pub mod tonight;
pub mod words;

pub use tonight::{Clash, Night, TooLate, night};
use tonight::{clashes, too_late};

use crate::core::protocol::{Length, Protocol, Window};
use crate::core::session::{Session, Timestamp, delta};

/// A step's window as moments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Times {
    /// When it opens.
    pub start: Timestamp,
    /// When it closes.
    pub end: Timestamp,
    /// For a `within` range, the early end of the deadline ("by 10:10-10:15").
    pub by: Option<Timestamp>,
}

/// A window's status at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowStatus {
    /// Not open yet.
    Upcoming,
    /// Open.
    Open,
    /// In its last fifth.
    Closing,
    /// Closed.
    Missed,
}

/// The moments a window spans for a run that finished at `finished` with this bedtime.
pub fn times(window: &Window, finished: Timestamp, bedtime: Timestamp) -> Times {
    match *window {
        Window::Within(Length { min, max }) => Times {
            start: finished,
            end: finished + delta(max),
            by: (min != max).then(|| finished + delta(min)),
        },
        Window::After { from, to } => Times {
            start: finished + delta(from),
            end: finished + delta(to),
            by: None,
        },
        Window::BeforeBed { from, to } => Times {
            start: bedtime - delta(from),
            end: bedtime - delta(to),
            by: None,
        },
    }
}

/// Where a window stands at `now`; its last fifth is "closing".
pub fn status(t: &Times, now: Timestamp) -> WindowStatus {
    if now < t.start {
        return WindowStatus::Upcoming;
    }
    if now >= t.end {
        return if t.start == t.end && now == t.end {
            WindowStatus::Closing
        } else {
            WindowStatus::Missed
        };
    }
    if now >= closing_from(t) {
        WindowStatus::Closing
    } else {
        WindowStatus::Open
    }
}

/// When a window enters its last fifth.
fn closing_from(t: &Times) -> Timestamp {
    t.end - (t.end - t.start) / 5
}

/// The moments at which a window's [`status`] changes: it is the same from each to the next.
pub fn changes(t: &Times) -> [Timestamp; 3] {
    if t.start == t.end {
        // Closing at that one moment only.
        [t.start, t.end + chrono::TimeDelta::nanoseconds(1), t.end]
    } else {
        [t.start, closing_from(t), t.end]
    }
}

/// A window as the runner reads it, in a given time zone and on the runner's clock:
/// `by 10:10-10:15`, `11:00-12:00`, `at 22:30` (or `at 10:30pm`).
pub fn window_text_in<Tz: TimeZone>(t: &Times, tz: &Tz, hours: Hours) -> String
where
    Tz::Offset: std::fmt::Display,
{
    words::window(t, &|at| clock_in(at, tz, hours))
}

/// When each step with a window becomes due: `(step, opening)`, in protocol order.
pub fn openings(
    protocol: &Protocol,
    finished: Timestamp,
    bedtime: Timestamp,
) -> Vec<(usize, Timestamp)> {
    protocol
        .steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.window.map(|w| (i, times(&w, finished, bedtime).start)))
        .collect()
}

/// Why the planner dropped a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dropped {
    /// The budget ran out before its turn.
    Budget {
        /// What it needs.
        needs: Duration,
        /// What was left of the budget when its turn came.
        left: Duration,
    },
    /// It no longer fits before bed tonight.
    TooLate(TooLate),
}

/// One step of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The step's index in the protocol.
    pub step: usize,
    /// Its window, if it has one.
    pub times: Option<Times>,
    /// How long it takes at least.
    pub takes: Duration,
    /// Why it was dropped; `None` when kept.
    pub dropped: Option<Dropped>,
    /// Kept only at its shortest: the budget has no room for its full range.
    pub shortest: bool,
}

/// The day's schedule, and what a budget keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// When the run finished.
    pub finished_at: Timestamp,
    /// Bed.
    pub bedtime: Timestamp,
    /// The run ended after bedtime: the night is a short one (see [`tonight::night`]).
    pub late: bool,
    /// Every step, in the order the runner will do them: by when each window opens, a step
    /// without one right after the step before it in the file.
    pub entries: Vec<Entry>,
    /// Windows that run past bedtime, or come before one the routine puts first.
    pub clashes: Vec<Clash>,
    /// The budget, if one was given.
    pub budget: Option<Duration>,
    /// What the required steps that count toward the budget take.
    pub required: Duration,
    /// What the kept steps that count toward the budget take.
    pub kept: Duration,
}

impl Plan {
    /// How far the required steps alone go past the budget, if they do.
    pub fn over(&self) -> Option<Duration> {
        let budget = self.budget?;
        (self.required > budget).then(|| self.required - budget)
    }
}

/// The day's routine as a session begins it: the steps in the plan's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ordered {
    /// The protocol with its steps in the order they come today.
    pub protocol: Protocol,
    /// The steps (new indexes) the plan dropped, for the budget or as too late.
    pub dropped: Vec<usize>,
    /// Those of them that are too late tonight.
    pub too_late: Vec<usize>,
}

impl Plan {
    /// `protocol`, the one planned, with its steps in the plan's order, and what it drops.
    pub fn ordered(&self, protocol: &Protocol) -> Ordered {
        let mut ordered = Ordered {
            protocol: Protocol {
                steps: Vec::with_capacity(self.entries.len()),
                ..protocol.clone()
            },
            dropped: Vec::new(),
            too_late: Vec::new(),
        };
        for (i, e) in self.entries.iter().enumerate() {
            ordered.protocol.steps.push(protocol.steps[e.step].clone());
            if let Some(d) = e.dropped {
                ordered.dropped.push(i);
                if matches!(d, Dropped::TooLate(_)) {
                    ordered.too_late.push(i);
                }
            }
        }
        ordered
    }
}

/// Plans the day for a run that finished at `finished`, to bed at `bedtime`: first, what no
/// longer fits before bed is dropped as too late (a run in the evening); then every required
/// step is kept, and optional steps, last-to-drop first, are kept while they fit in what is
/// left of the budget. Steps the day holds anyway (`budget = false`: the meal, sleep) take
/// none of it. Without a budget everything that fits tonight is kept.
pub fn plan(
    protocol: &Protocol,
    finished: Timestamp,
    bedtime: Timestamp,
    budget: Option<Duration>,
) -> Plan {
    let mut entries: Vec<Entry> = protocol
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let times = s.window.map(|w| times(&w, finished, bedtime));
            Entry {
                step: i,
                times,
                takes: s.takes(),
                dropped: times
                    .and_then(|t| too_late(&t, s.takes(), finished, bedtime))
                    .map(Dropped::TooLate),
                shortest: false,
            }
        })
        .collect();
    let counted = |i: usize| protocol.steps[i].in_budget;
    let required: Duration = entries
        .iter()
        .filter(|e| e.dropped.is_none() && !protocol.steps[e.step].optional && counted(e.step))
        .map(|e| e.takes)
        .sum();
    if let Some(budget) = budget {
        let mut left = budget.saturating_sub(required);
        // Keep order: the highest drop_order is dropped last, so it is kept first; steps
        // without one go before any numbered step; ties drop the later step first.
        let mut optional: Vec<usize> = (0..protocol.steps.len())
            .filter(|&i| protocol.steps[i].optional && entries[i].dropped.is_none())
            .collect();
        optional.sort_by_key(|&i| {
            (
                std::cmp::Reverse(protocol.steps[i].drop_order.unwrap_or(0)),
                i,
            )
        });
        for i in optional {
            let needs = if counted(i) {
                entries[i].takes
            } else {
                Duration::ZERO
            };
            if needs <= left {
                left -= needs;
            } else {
                entries[i].dropped = Some(Dropped::Budget { needs, left });
            }
        }
    }
    let kept_in_budget = |e: &&Entry| e.dropped.is_none() && counted(e.step);
    let kept = entries.iter().filter(kept_in_budget).map(|e| e.takes).sum();
    if let Some(budget) = budget {
        // Planned at the minimum throughout; say so where the full range would not fit.
        let full: Duration = entries
            .iter()
            .filter(kept_in_budget)
            .map(|e| protocol.steps[e.step].takes_longest())
            .sum();
        if full > budget {
            for e in entries
                .iter_mut()
                .filter(|e| e.dropped.is_none() && counted(e.step))
            {
                e.shortest = protocol.steps[e.step].takes_longest() > e.takes;
            }
        }
    }
    let kept_windows: Vec<(usize, Times)> = entries
        .iter()
        .filter(|e| e.dropped.is_none())
        .filter_map(|e| Some((e.step, e.times?)))
        .collect();
    let clashes = clashes(protocol, &kept_windows, bedtime);
    Plan {
        finished_at: finished,
        bedtime,
        late: false,
        entries: in_time_order(entries, finished),
        clashes,
        budget,
        required,
        kept,
    }
}

/// Plans the night `night` leaves (see [`tonight::night`]).
pub fn plan_night(
    protocol: &Protocol,
    finished: Timestamp,
    night: Night,
    budget: Option<Duration>,
) -> Plan {
    let mut plan = plan(protocol, finished, night.bedtime, budget);
    if night.late {
        // A late night is the steps that follow a run at once, then sleep: the optional
        // ones wait for another day, however short.
        for e in &mut plan.entries {
            if protocol.steps[e.step].optional && e.dropped.is_none() {
                e.dropped = Some(Dropped::TooLate(TooLate::LateNight));
                e.shortest = false;
            }
        }
        plan.clashes.retain(|c| match *c {
            Clash::PastBed { step } | Clash::Before { step, .. } => !protocol.steps[step].optional,
        });
        plan.kept = plan
            .entries
            .iter()
            .filter(|e| e.dropped.is_none() && protocol.steps[e.step].in_budget)
            .map(|e| e.takes)
            .sum();
    }
    plan.late = night.late;
    plan
}

/// The plan of a session's day as it began: its routine (already in the day's order), finish,
/// bedtime and budget. What has been done since is the session's to say.
pub fn of_session(session: &Session) -> Plan {
    let night = Night {
        bedtime: session.bedtime,
        late: session.late,
    };
    plan_night(
        &session.protocol,
        session.finished_at,
        night,
        session.budget,
    )
}

/// The entries in the order the runner will do them: by when each can begin (its window's
/// opening, or the run's end if it opened before); a step without a window keeps its place
/// after the step before it in the file; ties keep the file's order.
fn in_time_order(entries: Vec<Entry>, finished: Timestamp) -> Vec<Entry> {
    let mut key = None;
    let mut keyed: Vec<(Option<Timestamp>, Entry)> = entries
        .into_iter()
        .map(|e| {
            let own = e.times.map(|t| t.start.max(finished));
            key = own.or(key);
            (key, e)
        })
        .collect();
    keyed.sort_by_key(|(k, e)| (*k, e.step));
    keyed.into_iter().map(|(_, e)| e).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::core::clock::bedtime_after;
    use chrono::{FixedOffset, NaiveTime, Utc};

    fn at(h: u32, m: u32) -> Timestamp {
        Utc.with_ymd_and_hms(2026, 5, 1, h, m, 0).unwrap()
    }
    fn mins(m: u64) -> Duration {
        Duration::from_secs(m * 60)
    }

    #[test]
    fn windows_as_clock_times() {
        let (fin, bed) = (at(10, 0), at(22, 30));
        let within = times(
            &Window::Within(Length {
                min: mins(10),
                max: mins(15),
            }),
            fin,
            bed,
        );
        assert_eq!(
            (within.start, within.by, within.end),
            (at(10, 0), Some(at(10, 10)), at(10, 15))
        );
        let meal = times(
            &Window::After {
                from: mins(60),
                to: mins(120),
            },
            fin,
            bed,
        );
        assert_eq!((meal.start, meal.end), (at(11, 0), at(12, 0)));
        let epsom = times(
            &Window::BeforeBed {
                from: mins(90),
                to: mins(60),
            },
            fin,
            bed,
        );
        assert_eq!((epsom.start, epsom.end), (at(21, 0), at(21, 30)));
    }

    #[test]
    fn status_walks_upcoming_open_closing_missed() {
        let t = Times {
            start: at(11, 0),
            end: at(12, 0),
            by: None,
        };
        assert_eq!(status(&t, at(10, 59)), WindowStatus::Upcoming);
        assert_eq!(status(&t, at(11, 0)), WindowStatus::Open);
        assert_eq!(status(&t, at(11, 47)), WindowStatus::Open);
        assert_eq!(status(&t, at(11, 48)), WindowStatus::Closing);
        assert_eq!(status(&t, at(12, 0)), WindowStatus::Missed);
    }

    #[test]
    fn bedtime_is_the_next_one_after_the_finish() {
        let bed = NaiveTime::from_hms_opt(22, 30, 0).unwrap();
        assert_eq!(bedtime_after(at(9, 40), bed, &Utc), at(22, 30));
        assert_eq!(
            bedtime_after(at(23, 0), bed, &Utc),
            at(22, 30) + delta(mins(24 * 60))
        );
        // 22:30 at UTC+2 is 20:30 UTC.
        let plus2 = FixedOffset::east_opt(2 * 3600).unwrap();
        assert_eq!(bedtime_after(at(9, 40), bed, &plus2), at(20, 30));
    }
}

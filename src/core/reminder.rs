//! Reminders for the rest of the day: one for each step still to do whose window opens after
//! `now`, with the words to show. Pure: the moment and the time zone of the clock times come
//! in as arguments; the system scheduler that fires them is [`crate::shell::scheduler`]'s business.
use chrono::TimeZone;
use serde::{Deserialize, Serialize};

use crate::core::clock::Hours;
use crate::core::plan::{self, Plan, Times, window_text_in};
use crate::core::protocol::{Protocol, Step};
use crate::core::session::{Session, StepState, Timestamp};

/// A reminder to fire as a step's window opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    /// The step's id.
    pub step: String,
    /// When to fire: the window's opening.
    pub at: Timestamp,
    /// The notification's headline: the step's title.
    pub title: String,
    /// The notification's text: what to do, and the window.
    pub body: String,
}

/// Reminders for the session's steps not yet done or skipped (a budget's drops are skipped
/// from the start) whose windows open after `now`, soonest first.
pub fn for_session<Tz: TimeZone>(
    session: &Session,
    now: Timestamp,
    tz: &Tz,
    hours: Hours,
) -> Vec<Reminder>
where
    Tz::Offset: std::fmt::Display,
{
    let steps = session
        .protocol
        .steps
        .iter()
        .zip(session.states())
        .filter(|(_, state)| matches!(state, StepState::Pending | StepState::Active))
        .filter_map(|(step, _)| {
            let times = plan::times(&step.window?, session.finished_at, session.bedtime);
            Some((step, times))
        });
    upcoming(steps, now, tz, hours)
}

/// Reminders for the plan's kept steps whose windows open after `now`, soonest first.
pub fn for_plan<Tz: TimeZone>(
    protocol: &Protocol,
    plan: &Plan,
    now: Timestamp,
    tz: &Tz,
    hours: Hours,
) -> Vec<Reminder>
where
    Tz::Offset: std::fmt::Display,
{
    let steps = plan
        .entries
        .iter()
        .filter(|e| e.dropped.is_none())
        .filter_map(|e| Some((protocol.steps.get(e.step)?, e.times?)));
    upcoming(steps, now, tz, hours)
}

fn upcoming<'a, Tz: TimeZone>(
    steps: impl Iterator<Item = (&'a Step, Times)>,
    now: Timestamp,
    tz: &Tz,
    hours: Hours,
) -> Vec<Reminder>
where
    Tz::Offset: std::fmt::Display,
{
    let mut reminders: Vec<Reminder> = steps
        .filter(|(_, times)| times.start > now)
        .map(|(step, times)| Reminder {
            step: step.id.clone(),
            at: times.start,
            title: step.title.clone(),
            body: format!("{} ({})", step.what, window_text_in(&times, tz, hours)),
        })
        .collect();
    // Stable: steps opening together keep the protocol's order.
    reminders.sort_by_key(|r| r.at);
    reminders
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::time::Duration;

    use chrono::Utc;

    use super::*;
    use crate::core::protocol::parse;
    use crate::core::session::Event;

    const PROTOCOL: &str = r#"
name = "Day"
summary = "Windows through the day."

[[steps]]
id = "drink"
title = "Drink"
do = "Drink."
window = { within = "15m" }

[[steps]]
id = "meal"
title = "Meal"
do = "Eat."
window = { from = "1h", to = "2h" }
estimate = "30m"

[[steps]]
id = "nap"
title = "Nap"
do = "Lie down."
optional = true
window = { from = "3h", to = "4h" }
estimate = "30m"

[[steps]]
id = "bath"
title = "Bath"
do = "Soak."
optional = true
window = { from = "90m", to = "60m", before_bed = true }
estimate = "20m"

[[steps]]
id = "stretch"
title = "Stretch"
do = "Reach."
estimate = "5m"

[[steps]]
id = "sleep"
title = "Sleep"
do = "Lights out."
window = { from = "0m", to = "0m", before_bed = true }
"#;

    fn at(h: u32, m: u32) -> Timestamp {
        Utc.with_ymd_and_hms(2026, 5, 1, h, m, 0).unwrap()
    }

    fn session() -> Session {
        let p = parse("day.toml", "day", PROTOCOL).unwrap();
        Session::new(p, at(10, 0), at(22, 30))
    }

    fn steps(rs: &[Reminder]) -> Vec<(&str, Timestamp)> {
        rs.iter().map(|r| (r.step.as_str(), r.at)).collect()
    }

    #[test]
    fn only_windows_still_to_open_are_reminded() {
        let s = session();
        assert_eq!(
            steps(&for_session(&s, at(10, 5), &Utc, Hours::TwentyFour)),
            [
                ("meal", at(11, 0)),
                ("nap", at(13, 0)),
                ("bath", at(21, 0)),
                ("sleep", at(22, 30))
            ]
        );
        // A window opening right now is not in the future; sleep at 22:29 still is.
        assert_eq!(
            steps(&for_session(&s, at(21, 0), &Utc, Hours::TwentyFour)),
            [("sleep", at(22, 30))]
        );
        assert!(for_session(&s, at(22, 30), &Utc, Hours::TwentyFour).is_empty());
    }

    #[test]
    fn done_and_skipped_steps_are_not_reminded() {
        let mut s = session();
        s.apply(Event::Complete, at(10, 5)).unwrap(); // drink
        s.apply(Event::Complete, at(10, 6)).unwrap(); // meal, early
        s.apply(Event::Skip { confirmed: false }, at(10, 7))
            .unwrap(); // nap
        assert_eq!(
            steps(&for_session(&s, at(10, 8), &Utc, Hours::TwentyFour)),
            [("bath", at(21, 0)), ("sleep", at(22, 30))]
        );
    }

    #[test]
    fn a_plan_reminds_of_its_kept_steps_only() {
        let p = parse("day.toml", "day", PROTOCOL).unwrap();
        // 30m (meal) + 5m (stretch) required; 20m more keeps the bath, not the nap.
        let plan = plan::plan(
            &p,
            at(10, 0),
            at(22, 30),
            Some(Duration::from_secs(55 * 60)),
        );
        assert_eq!(
            steps(&for_plan(&p, &plan, at(10, 5), &Utc, Hours::TwentyFour)),
            [
                ("meal", at(11, 0)),
                ("bath", at(21, 0)),
                ("sleep", at(22, 30))
            ]
        );
    }

    #[test]
    fn the_text_says_what_to_do_and_when() {
        let s = session();
        let r = for_session(&s, at(10, 5), &Utc, Hours::TwentyFour);
        assert_eq!(r[0].title, "Meal");
        assert_eq!(r[0].body, "Eat. (11:00-12:00)");
        assert_eq!(r[3].body, "Lights out. (at 22:30)");
    }
}

//! A step's card: everything the protocol says of it, in reading order, for the details view
//! and the plain guide's `i`: when, how it is timed, what to do, why, and the tips. Any step,
//! current or not.
use crate::core::clock::{Hours, Zone};
use crate::core::plan::{self, window_text_in};
use crate::core::protocol::{Activity, Short};
use crate::core::session::{Session, StepState, Timestamp};

/// A line of a card, and what kind of line it is (a screen may set headings apart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// The step's title, its place and whether it is optional.
    Title(String),
    /// A fact about the step: when, its timer, its limit.
    Fact(String),
    /// What to do.
    Do(String),
    /// The longer explanation.
    Details(String),
    /// One tip.
    Tip(String),
    /// One hold of a sequence, with its how-to.
    Hold(String),
}

impl Line {
    /// The words.
    pub fn text(&self) -> &str {
        match self {
            Line::Title(t)
            | Line::Fact(t)
            | Line::Do(t)
            | Line::Details(t)
            | Line::Tip(t)
            | Line::Hold(t) => t,
        }
    }
}

/// Everything the protocol says of step `step`, its window as clock times in `zone` and where
/// it stands at `now`. Empty for a step that does not exist.
pub fn card(session: &Session, step: usize, zone: Zone, hours: Hours, now: Timestamp) -> Vec<Line> {
    let Some(s) = session.protocol.steps.get(step) else {
        return Vec::new();
    };
    let total = session.protocol.steps.len();
    let kind = if s.optional { "optional" } else { "required" };
    let state = match session.states().get(step) {
        Some(StepState::Done) => ", done",
        Some(StepState::Skipped) if session.is_dropped(step) => ", dropped by the budget",
        Some(StepState::Skipped) => ", skipped",
        Some(StepState::Active) => ", current",
        _ => "",
    };
    let mut lines = vec![Line::Title(format!(
        "{}: step {} of {total}, {kind}{state}",
        s.title,
        step + 1
    ))];
    if let Some(w) = s.window {
        let t = plan::times(&w, session.finished_at, session.bedtime);
        let status = match plan::status(&t, now) {
            plan::WindowStatus::Upcoming => "not open yet",
            plan::WindowStatus::Open => "open now",
            plan::WindowStatus::Closing => "closing",
            plan::WindowStatus::Missed => "closed",
        };
        lines.push(Line::Fact(format!(
            "When: {} ({status})",
            window_text_in(&t, &zone, hours)
        )));
    }
    match &s.activity {
        Activity::Tick => {
            if let Some(e) = s.estimate {
                lines.push(Line::Fact(format!("Takes about {e}; Enter ticks it off")));
            }
        }
        Activity::Timer(t) => {
            lines.push(Line::Fact(if t.length.is_range() {
                format!(
                    "Timer: {}, counts to {}; Enter finishes it from {}",
                    t.length,
                    Short(t.target),
                    Short(t.length.min)
                )
            } else {
                format!("Timer: {}", t.length)
            }));
            for cue in &t.cues {
                lines.push(Line::Fact(format!("At {}: {}", Short(cue.at), cue.say)));
            }
            if t.hard_max {
                lines.push(Line::Fact(format!(
                    "{} is a limit: the guide calls time there",
                    Short(t.length.max)
                )));
            }
        }
        Activity::Holds(h) => {
            let turns: usize = h.holds.iter().map(|x| x.sides.len().max(1)).sum();
            lines.push(Line::Fact(format!(
                "Holds: {turns}, {} to get into position before each",
                Short(h.gap)
            )));
            for held in &h.holds {
                let sides = if held.sides.is_empty() {
                    String::new()
                } else {
                    format!(", {}", held.sides.join(" then "))
                };
                let how = held
                    .how
                    .as_ref()
                    .map(|how| format!(": {how}"))
                    .unwrap_or_default();
                lines.push(Line::Hold(format!(
                    "{} {}{sides}{how}",
                    held.name, held.length
                )));
            }
        }
    }
    if let Some(limit) = s.daily_limit {
        lines.push(Line::Fact(format!("At most {limit} times a day")));
    }
    lines.push(Line::Do(s.what.clone()));
    if let Some(d) = &s.details {
        lines.push(Line::Details(d.clone()));
    }
    lines.extend(s.tips.iter().map(|t| Line::Tip(t.clone())));
    lines
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::core::protocol::{DEFAULT, builtin};
    use chrono::{FixedOffset, TimeDelta, TimeZone, Utc};

    fn session() -> (Session, Timestamp) {
        let t0 = Utc.with_ymd_and_hms(2026, 5, 1, 10, 0, 0).unwrap();
        let p = builtin(DEFAULT).unwrap().parse().unwrap();
        (Session::new(p, t0, t0 + TimeDelta::minutes(750)), t0)
    }

    fn utc() -> Zone {
        Zone::Fixed(FixedOffset::east_opt(0).unwrap())
    }

    #[test]
    fn the_ice_baths_card_has_its_thermometer_tip_and_its_timer() {
        let (s, t0) = session();
        let card = card(&s, 3, utc(), Hours::TwentyFour, t0);
        let text: Vec<&str> = card.iter().map(Line::text).collect();
        assert_eq!(text[0], "Ice bath: step 4 of 9, optional");
        assert!(
            text[1].starts_with("Timer: 10m-15m, counts to 15m"),
            "{text:?}"
        );
        assert_eq!(
            text[2],
            "At 3m: Three minutes done: the hardest part is over. Breathe and relax."
        );
        assert_eq!(text[3], "15m is a limit: the guide calls time there");
        assert!(
            text.iter().any(|l| l.contains("Without a thermometer")),
            "{text:?}"
        );
        assert!(matches!(card.last(), Some(Line::Tip(_))));
    }

    #[test]
    fn a_card_says_when_a_step_not_yet_open_opens() {
        let (s, t0) = session();
        let card = card(&s, 6, utc(), Hours::TwentyFour, t0);
        assert_eq!(card[1].text(), "When: 21:00-21:30 (not open yet)");
        assert!(
            card.iter().any(|l| l
                .text()
                .contains("roll your muscles on the foam roller again")),
            "the Epsom bath's aftercare: {card:?}"
        );
    }

    #[test]
    fn the_stretchs_card_lists_every_hold() {
        let (s, t0) = session();
        let card = card(&s, 1, utc(), Hours::TwentyFour, t0);
        let holds: Vec<&Line> = card.iter().filter(|l| matches!(l, Line::Hold(_))).collect();
        assert_eq!(holds.len(), 6);
        assert!(
            holds[0]
                .text()
                .starts_with("Quadriceps 20s-30s, left leg then right leg: Stand tall"),
            "{holds:?}"
        );
        assert!(
            card.iter()
                .any(|l| l.text() == "Holds: 11, 5s to get into position before each")
        );
    }
}

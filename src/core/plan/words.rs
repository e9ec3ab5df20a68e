//! The plan in the runner's words: why a step was dropped, which windows clash, what the
//! budget keeps. One place for these sentences, used by `plan`, the start screen, `status`
//! and the guide. Clock times come from the caller's `clock`, in the runner's zone and hours.
use super::{Clash, Dropped, Plan, Times, TooLate};
use crate::core::protocol::{Protocol, Short};
use crate::core::session::{Session, Timestamp};

/// A clock time as the caller writes them.
pub type Clock<'a> = &'a dyn Fn(Timestamp) -> String;

/// A window: `by 10:10-10:15`, `11:00-12:00`, `at 22:30`.
pub fn window(t: &Times, clock: Clock) -> String {
    match t.by {
        Some(by) => format!("by {}-{}", clock(by), clock(t.end)),
        None if t.start == t.end => format!("at {}", clock(t.end)),
        None => format!("{}-{}", clock(t.start), clock(t.end)),
    }
}

/// Why a step is not in the plan: `too late tonight: closes at 21:30`, `needs 10m, 5m left`.
pub fn dropped(d: &Dropped, clock: Clock) -> String {
    match d {
        Dropped::Budget { needs, left } => {
            format!(
                "needs {}, {} of the budget left",
                Short(*needs),
                Short(*left)
            )
        }
        Dropped::TooLate(TooLate::Closes(at)) => {
            format!("too late tonight: its window closes at {}", clock(*at))
        }
        Dropped::TooLate(TooLate::LateNight) => {
            "too late tonight: after a late run, only what follows it at once".to_string()
        }
        Dropped::TooLate(TooLate::OpensAt(at)) => {
            format!(
                "too late tonight: it opens at {}, too late to finish before bed",
                clock(*at)
            )
        }
    }
}

/// The word for a dropped step in a list.
pub fn dropped_word(d: &Dropped) -> &'static str {
    match d {
        Dropped::Budget { .. } => "dropped",
        Dropped::TooLate(_) => "too late tonight",
    }
}

/// A clash in a plan as a sentence: "Balanced meal 21:37-22:37 runs past your 22:30 bedtime."
pub fn clash(c: &Clash, plan: &Plan, protocol: &Protocol, clock: Clock) -> String {
    let times = |step: usize| plan.entries.iter().find(|e| e.step == step)?.times;
    clash_with(c, protocol, plan.bedtime, &times, clock)
}

/// A clash in a session's day as a sentence, as [`clash`] says it.
pub fn session_clash(c: &Clash, session: &Session, clock: Clock) -> String {
    let times = |step: usize| {
        let w = session.protocol.steps.get(step)?.window?;
        Some(super::times(&w, session.finished_at, session.bedtime))
    };
    clash_with(c, &session.protocol, session.bedtime, &times, clock)
}

fn clash_with(
    c: &Clash,
    protocol: &Protocol,
    bedtime: Timestamp,
    times: &dyn Fn(usize) -> Option<Times>,
    clock: Clock,
) -> String {
    let named = |step: usize| {
        let title = &protocol.steps[step].title;
        match times(step) {
            Some(t) => format!("{title} {}", window(&t, clock)),
            None => title.clone(),
        }
    };
    match *c {
        Clash::PastBed { step } => {
            format!("{} runs past your {} bedtime.", named(step), clock(bedtime))
        }
        Clash::Before { step, first } => format!(
            "{} comes before {}, though the evening's steps should follow the run's.",
            named(step),
            named(first)
        ),
    }
}

/// What the budget keeps, and the real shortfall when the required steps alone overrun it;
/// the steps kept at their shortest. Empty without a budget.
pub fn budget(plan: &Plan, protocol: &Protocol) -> Vec<String> {
    let Some(budget) = plan.budget else {
        return Vec::new();
    };
    let mut lines = vec![format!(
        "Budget {}: keeping steps that take {}; the meal and sleep take none of it.",
        Short(budget),
        Short(plan.kept)
    )];
    if let Some(over) = plan.over() {
        lines.push(format!(
            "The required steps alone take {}: {} more than the budget, so every optional step is dropped.",
            Short(plan.required),
            Short(over)
        ));
    }
    let shortest: Vec<&str> = plan
        .entries
        .iter()
        .filter(|e| e.shortest)
        .map(|e| protocol.steps[e.step].title.as_str())
        .collect();
    if !shortest.is_empty() {
        lines.push(format!(
            "Planned at their shortest to fit: {}.",
            shortest.join(", ")
        ));
    }
    lines
}

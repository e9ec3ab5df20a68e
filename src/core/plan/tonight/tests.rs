//! The day as a runner lives it, with fixed times and no clock: a run at 07:00, 20:37 and
//! 23:10 with bedtime 22:30, and the same across Berlin's DST change.
#![allow(clippy::unwrap_used)]
use std::time::Duration;

use chrono::{FixedOffset, NaiveTime, TimeZone, Utc};

use crate::core::plan::{Clash, Dropped, Plan, TooLate, night, plan_night, words};
use crate::core::protocol::{DEFAULT, Protocol, builtin};
use crate::core::session::Timestamp;

fn at(d: u32, h: u32, m: u32) -> Timestamp {
    Utc.with_ymd_and_hms(2026, 5, d, h, m, 0).unwrap()
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn default() -> Protocol {
    builtin(DEFAULT).unwrap().parse().unwrap()
}

/// The plan for a run at `finished` (UTC), bed at 22:30 UTC.
fn day(finished: Timestamp, budget: Option<Duration>) -> (Protocol, Plan) {
    let p = default();
    let n = night(&p, finished, hm(22, 30), &Utc);
    let plan = plan_night(&p, finished, n, budget);
    (p, plan)
}

/// Step ids in the plan's order, with the dropped ones marked.
fn order(p: &Protocol, plan: &Plan) -> Vec<String> {
    plan.entries
        .iter()
        .map(|e| {
            let id = p.steps[e.step].id.clone();
            match e.dropped {
                Some(Dropped::TooLate(_)) => format!("{id} (too late)"),
                Some(Dropped::Budget { .. }) => format!("{id} (dropped)"),
                None => id,
            }
        })
        .collect()
}

fn clock(t: Timestamp) -> String {
    t.format("%H:%M").to_string()
}

#[test]
fn a_morning_run_keeps_the_files_order_and_nothing_clashes() {
    let (p, plan) = day(at(1, 7, 0), None);
    assert!(!plan.late);
    assert_eq!(plan.bedtime, at(1, 22, 30));
    let ids: Vec<&str> = p.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(order(&p, &plan), ids);
    assert!(plan.clashes.is_empty(), "{:?}", plan.clashes);
}

#[test]
fn an_evening_run_puts_the_meal_after_the_bath_and_says_it_runs_past_bed() {
    let (p, plan) = day(at(1, 20, 37), None);
    assert!(!plan.late);
    assert_eq!(plan.bedtime, at(1, 22, 30), "tonight, not tomorrow");
    assert_eq!(
        order(&p, &plan),
        [
            "hydrate",
            "stretch",
            "snack",
            "ice-bath",
            "epsom-bath",
            "roll",
            "meal",
            "nap",
            "sleep"
        ]
    );
    let said: Vec<String> = plan
        .clashes
        .iter()
        .map(|c| words::clash(c, &plan, &p, &clock))
        .collect();
    assert_eq!(
        said,
        [
            "Balanced meal 21:37-22:37 runs past your 22:30 bedtime.",
            "Epsom salt bath 21:00-21:30 comes before Balanced meal 21:37-22:37, though the \
             evening's steps should follow the run's."
        ]
    );
}

#[test]
fn a_run_after_bedtime_plans_a_short_night_tonight() {
    let (p, plan) = day(at(1, 23, 10), None);
    assert!(plan.late);
    // Sleep once the steps that follow a run at once are done: the snack's window, 30m.
    assert_eq!(plan.bedtime, at(1, 23, 40));
    assert_eq!(
        order(&p, &plan),
        [
            "hydrate",
            "stretch",
            "snack",
            "ice-bath (too late)",
            "epsom-bath (too late)",
            "roll (too late)",
            "sleep",
            "meal (too late)",
            "nap (too late)"
        ]
    );
    let why = |id: &str| {
        let e = plan
            .entries
            .iter()
            .find(|e| p.steps[e.step].id == id)
            .unwrap();
        words::dropped(&e.dropped.unwrap(), &clock)
    };
    assert_eq!(
        why("meal"),
        "too late tonight: it opens at 00:10, too late to finish before bed"
    );
    assert_eq!(
        why("epsom-bath"),
        "too late tonight: its window closes at 22:40"
    );
    // A required step too late tonight is dropped, not missed, and takes nothing.
    assert_eq!(plan.required, Duration::from_secs(20 * 60 + 55));
}

#[test]
fn no_bedtime_is_more_than_a_day_after_the_run() {
    for (h, m) in [
        (0, 0),
        (4, 29),
        (4, 31),
        (6, 0),
        (12, 0),
        (22, 29),
        (22, 30),
        (23, 59),
    ] {
        let fin = at(1, h, m);
        let n = night(&default(), fin, hm(22, 30), &Utc);
        let after = n.bedtime - fin;
        assert!(after > chrono::TimeDelta::zero(), "{h}:{m}");
        assert!(
            after <= chrono::TimeDelta::hours(18) + chrono::TimeDelta::minutes(1),
            "{h}:{m}: {after}"
        );
        // Within 6 hours after bedtime it is a late night, and so is a run too close to bed
        // for the first steps (30 minutes); from then on a new day.
        let late = fin > at(1, 22, 0) || fin < at(1, 4, 30);
        assert_eq!(n.late, late, "{h}:{m}");
    }
}

#[test]
fn a_window_that_cannot_be_finished_before_it_closes_is_too_late() {
    // A run at 21:25 with bed at 22:30: the Epsom bath (21:00-21:30, 10m at least) no
    // longer fits, the rolling (21:30-22:30) does.
    let (p, plan) = day(at(1, 21, 25), None);
    let state = |id: &str| {
        plan.entries
            .iter()
            .find(|e| p.steps[e.step].id == id)
            .unwrap()
            .dropped
    };
    assert_eq!(
        state("epsom-bath"),
        Some(Dropped::TooLate(TooLate::Closes(at(1, 21, 30))))
    );
    assert_eq!(state("roll"), None);
    // The meal opens 22:25, and 30m of it cannot end before bed at 22:30.
    assert_eq!(
        state("meal"),
        Some(Dropped::TooLate(TooLate::OpensAt(at(1, 22, 25))))
    );
}

#[test]
fn the_budget_counts_recovery_work_not_the_meal_or_sleep() {
    let (p, plan) = day(at(1, 7, 0), Some(Duration::from_secs(35 * 60)));
    assert_eq!(plan.required, Duration::from_secs(20 * 60 + 55));
    assert_eq!(plan.over(), None);
    // 14m05s left: the ice bath (dropped last) fits at its shortest, the rest do not.
    assert_eq!(
        order(&p, &plan),
        [
            "hydrate",
            "stretch",
            "snack",
            "ice-bath",
            "meal",
            "nap (dropped)",
            "epsom-bath (dropped)",
            "roll (dropped)",
            "sleep"
        ]
    );
    let shortest: Vec<&str> = plan
        .entries
        .iter()
        .filter(|e| e.shortest)
        .map(|e| p.steps[e.step].id.as_str())
        .collect();
    assert_eq!(shortest, ["stretch", "ice-bath"]);
    let said = words::budget(&plan, &p);
    assert_eq!(
        said[0],
        "Budget 35m: keeping steps that take 30m55s; the meal and sleep take none of it."
    );
    assert_eq!(
        said[1],
        "Planned at their shortest to fit: Stretch, Ice bath."
    );
}

#[test]
fn a_budget_under_the_required_steps_names_the_shortfall() {
    let (p, plan) = day(at(1, 7, 0), Some(Duration::from_secs(15 * 60)));
    assert_eq!(plan.over(), Some(Duration::from_secs(5 * 60 + 55)));
    let said = words::budget(&plan, &p);
    assert!(
        said[1].starts_with("The required steps alone take 20m55s: 5m55s more than the budget"),
        "{said:?}"
    );
}

#[test]
fn the_night_follows_the_zone_across_a_dst_change() {
    // Berlin, 2026-10-25: CEST (+2) until 01:00 UTC, then CET (+1). A run at 20:37 CET on
    // the day of the change goes to bed at 22:30 CET, 21:30 UTC.
    let cet = FixedOffset::east_opt(3600).unwrap();
    let fin = Utc.with_ymd_and_hms(2026, 10, 25, 19, 37, 0).unwrap();
    let n = night(&default(), fin, hm(22, 30), &cet);
    assert_eq!(
        n.bedtime,
        Utc.with_ymd_and_hms(2026, 10, 25, 21, 30, 0).unwrap()
    );
    assert!(!n.late);
}

#[test]
fn clashes_only_name_what_runs_past_bed_or_comes_first() {
    // A morning run clashes with nothing; a run at 20:37 has the two clashes above, and
    // their steps are the meal and the Epsom bath.
    let (p, plan) = day(at(1, 20, 37), None);
    let ids: Vec<(&str, Option<&str>)> = plan
        .clashes
        .iter()
        .map(|c| match *c {
            Clash::PastBed { step } => (p.steps[step].id.as_str(), None),
            Clash::Before { step, first } => {
                (p.steps[step].id.as_str(), Some(p.steps[first].id.as_str()))
            }
        })
        .collect();
    assert_eq!(ids, [("meal", None), ("epsom-bath", Some("meal"))]);
}

#[test]
fn a_run_just_before_bedtime_is_a_late_night_too() {
    // A run at 22:29 with bed at 22:30: the hydrate and snack windows cannot fit in a minute,
    // so the night is planned as a late one, not with every step dropped.
    let (p, plan) = day(at(1, 22, 29), None);
    assert!(plan.late);
    assert_eq!(plan.bedtime, at(1, 22, 59));
    assert_eq!(order(&p, &plan)[..3], ["hydrate", "stretch", "snack"]);
    // Thirty minutes before bed is room enough: an ordinary night.
    let (_, plan) = day(at(1, 22, 0), None);
    assert!(!plan.late);
    assert_eq!(plan.bedtime, at(1, 22, 30));
}

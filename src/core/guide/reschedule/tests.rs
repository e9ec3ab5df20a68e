//! Changing the day from the guide, with a fake clock: the event it records, what a new
//! bedtime or budget drops and gives back, and a replay that reaches the same session.
#![allow(clippy::unwrap_used)]
use std::time::Duration;

use chrono::{FixedOffset, NaiveTime, TimeZone, Utc};

use super::DayChange;
use crate::core::clock::{Finished, Zone};
use crate::core::guide::{Guide, Intent};
use crate::core::plan;
use crate::core::protocol::{DEFAULT, builtin};
use crate::core::session::{Event, Session, StepState, Timestamp};

fn at(h: u32, m: u32) -> Timestamp {
    Utc.with_ymd_and_hms(2026, 5, 1, h, m, 0).unwrap()
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn utc() -> Zone {
    Zone::Fixed(FixedOffset::east_opt(0).unwrap())
}

/// The default routine, run at 07:00, bed at 22:30: the session as a day begins it.
fn guide() -> Guide {
    let p = builtin(DEFAULT).unwrap().parse().unwrap();
    let night = plan::night(&p, at(7, 0), hm(22, 30), &utc());
    let s = Session::new(p, at(7, 0), night.bedtime);
    Guide::new(s, utc())
}

fn ids(g: &Guide, steps: &[usize]) -> Vec<String> {
    steps
        .iter()
        .map(|&i| g.session().protocol.steps[i].id.clone())
        .collect()
}

/// Handles the intent and takes the change on, as the shell does once it is written.
fn change(g: &mut Guide, c: DayChange, now: Timestamp) -> Vec<(Timestamp, Event)> {
    let change = g.handle(Intent::ChangeDay(c), now);
    let record = change.record.clone();
    g.commit(change);
    record
}

#[test]
fn a_new_bedtime_moves_the_evening_and_is_one_event() {
    let mut g = guide();
    let bed = DayChange {
        bedtime: Some(hm(21, 0)),
        ..DayChange::default()
    };
    let record = change(&mut g, bed, at(8, 0));
    assert_eq!(record.len(), 1, "{record:?}");
    let s = g.session();
    assert_eq!(s.bedtime, at(21, 0));
    assert_eq!(s.finished_at, at(7, 0));
    // The Epsom bath's window follows: 90 to 60 minutes before the new bedtime.
    let epsom = s
        .protocol
        .steps
        .iter()
        .position(|x| x.id == "epsom-bath")
        .unwrap();
    let t = plan::times(
        &s.protocol.steps[epsom].window.unwrap(),
        s.finished_at,
        s.bedtime,
    );
    assert_eq!((t.start, t.end), (at(19, 30), at(20, 0)));
}

#[test]
fn a_budget_drops_what_does_not_fit_and_taking_it_away_gives_it_back() {
    let mut g = guide();
    let tight = DayChange {
        budget: Some(Some(Duration::from_secs(25 * 60))),
        ..DayChange::default()
    };
    change(&mut g, tight, at(7, 5));
    assert_eq!(
        ids(&g, &g.session().dropped),
        ["ice-bath", "nap", "epsom-bath", "roll"]
    );
    let skipped: Vec<usize> = (0..9)
        .filter(|&i| g.session().states()[i] == StepState::Skipped)
        .collect();
    assert_eq!(
        skipped,
        g.session().dropped,
        "dropped means skipped from now"
    );
    // Then the budget goes.
    let none = DayChange {
        budget: Some(None),
        ..DayChange::default()
    };
    change(&mut g, none, at(7, 10));
    assert!(g.session().dropped.is_empty());
    assert!(
        g.session()
            .states()
            .iter()
            .all(|s| *s != StepState::Skipped),
        "every dropped step is to do again: {:?}",
        g.session().states()
    );
    assert_eq!(g.session().budget, None);
}

#[test]
fn a_finish_after_bedtime_is_refused_unless_the_night_is_planned_again() {
    let mut g = guide();
    let earlier = DayChange {
        finished: Some(Finished::At(hm(6, 30))),
        ..DayChange::default()
    };
    change(&mut g, earlier, at(7, 5));
    assert_eq!(g.session().finished_at, at(6, 30));
    assert_eq!(g.session().bedtime, at(22, 30), "bed stays where it was");
    // At 23:15, "the run finished 23:10" alone would leave bed before the run: refused, and
    // nothing is recorded.
    let late = DayChange {
        finished: Some(Finished::At(hm(23, 10))),
        ..DayChange::default()
    };
    assert_eq!(
        g.reschedule(late, at(23, 15)).unwrap_err(),
        "bedtime must come after the run"
    );
    assert!(change(&mut g, late, at(23, 15)).is_empty());
    assert_eq!(
        g.note
            .as_ref()
            .and_then(|n| n.text(g.session(), at(23, 15)))
            .as_deref(),
        Some("Bedtime must come after the run")
    );
    // With the bedtime given again, it is a late night: bed once the first steps are done.
    let night = DayChange {
        finished: Some(Finished::At(hm(23, 10))),
        bedtime: Some(hm(22, 30)),
        ..DayChange::default()
    };
    assert_eq!(change(&mut g, night, at(23, 15)).len(), 1);
    assert!(g.session().late);
    assert_eq!(g.session().bedtime, at(23, 40));
    // The meal opens after that bed; the optional steps wait for another day.
    assert_eq!(
        ids(&g, &g.session().too_late),
        ["ice-bath", "meal", "nap", "epsom-bath", "roll"]
    );
}

#[test]
fn the_log_replays_to_the_changed_day() {
    let mut g = guide();
    let mut log = Vec::new();
    for (c, now) in [
        (
            DayChange {
                bedtime: Some(hm(21, 0)),
                ..DayChange::default()
            },
            at(7, 10),
        ),
        (
            DayChange {
                budget: Some(Some(Duration::from_secs(25 * 60))),
                ..DayChange::default()
            },
            at(7, 20),
        ),
    ] {
        log.extend(change(&mut g, c, now));
    }
    let mut replayed = guide().session().clone();
    for (t, e) in log {
        replayed.apply(e, t).unwrap();
    }
    assert_eq!(replayed.bedtime, g.session().bedtime);
    assert_eq!(replayed.states(), g.session().states());
    assert_eq!(replayed.dropped, g.session().dropped);
    assert_eq!(replayed.budget, g.session().budget);
    // And the event reads back from its JSON line as written.
    let line = serde_json::to_string(&Event::Reschedule(Box::new(
        crate::core::session::Reschedule {
            finished_at: at(7, 0),
            bedtime: at(21, 0),
            late: false,
            budget_s: Some(1500),
            dropped: vec![3],
            too_late: vec![],
        },
    )))
    .unwrap();
    let back: Event = serde_json::from_str(&line).unwrap();
    assert!(matches!(back, Event::Reschedule(r) if r.bedtime == at(21, 0) && r.dropped == [3]));
}

#[test]
fn the_plain_guides_words_for_a_change() {
    assert_eq!(
        DayChange::from_words("bedtime 21:00")
            .unwrap()
            .unwrap()
            .bedtime,
        Some(hm(21, 0))
    );
    assert_eq!(
        DayChange::from_words("budget 30m").unwrap().unwrap().budget,
        Some(Some(Duration::from_secs(1800)))
    );
    assert_eq!(
        DayChange::from_words("budget none")
            .unwrap()
            .unwrap()
            .budget,
        Some(None)
    );
    assert_eq!(
        DayChange::from_words("finished 25m")
            .unwrap()
            .unwrap()
            .finished,
        Some(Finished::Ago(Duration::from_secs(1500)))
    );
    assert!(DayChange::from_words("bedtime 25:00").unwrap().is_err());
    assert!(DayChange::from_words("hello there").is_none());
    assert!(DayChange::from_words("l").is_none());
}

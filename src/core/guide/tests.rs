//! The guide's unit tests, on a fake clock.
#![allow(clippy::unwrap_used)]
use chrono::{FixedOffset, TimeDelta, TimeZone, Utc};

use super::*;
use crate::core::protocol::parse;
use crate::core::session::StepState;

/// A tick-off step, a 60 s timer with a cue at 20 s, and a step with a daily limit of 1.
const DAY: &str = r#"
name = "Test"
summary = "For the guide."
[[steps]]
id = "drink"
title = "Drink"
do = "Water."
[[steps]]
id = "soak"
title = "Soak"
do = "Sit."
optional = true
[steps.timer]
length = "60s"
cues = [{ at = "20s", say = "A third" }]
[[steps]]
id = "cream"
title = "Cream"
do = "Rub it in."
daily_limit = 1
[[steps]]
id = "meal"
title = "Meal"
do = "Eat."
window = { from = "1h", to = "2h" }
"#;

fn at(s: i64) -> Timestamp {
    Utc.with_ymd_and_hms(2026, 5, 1, 10, 0, 0).unwrap() + TimeDelta::seconds(s)
}

fn guide() -> Guide {
    let p = parse("test.toml", "test", DAY).unwrap();
    let zone = Zone::Fixed(FixedOffset::east_opt(0).unwrap());
    let mut g = Guide::new(Session::new(p, at(0), at(12 * 3600)), zone);
    let first = g.wake(at(0));
    let _ = g.commit(first);
    g
}

/// Handles and commits, as the shell does once the records are on disk.
fn press(g: &mut Guide, intent: Intent, now: Timestamp) -> (Vec<(Timestamp, Event)>, Told) {
    let change = g.handle(intent, now);
    let record = change.record.clone();
    (record, g.commit(change))
}

#[test]
fn an_intent_changes_nothing_until_it_is_committed() {
    let mut g = guide();
    let change = g.handle(Intent::Go, at(5));
    assert_eq!(change.record, [(at(5), Event::Complete)]);
    assert_eq!(g.session().states()[0], StepState::Active, "not yet");
    assert_eq!(g.cursor, 0);
    // Dropped, as when the write failed: nothing happened.
    drop(change);
    assert_eq!(g.session().states()[0], StepState::Active);
    let (_, told) = press(&mut g, Intent::Go, at(6));
    assert_eq!(g.session().states()[0], StepState::Done);
    assert_eq!(g.cursor, 1, "the cursor follows the step");
    assert!(told.said.contains(&Said::Fact(Fact::StepDone { step: 0 })));
}

#[test]
fn a_refused_intent_records_nothing_and_says_why() {
    let mut g = guide();
    let (record, told) = press(&mut g, Intent::PauseResume, at(1));
    assert!(record.is_empty());
    assert!(matches!(&told.said[..], [Said::Refused(_)]), "{told:?}");
    assert!(g.note(at(1)).is_some());
}

#[test]
fn view_only_intents_record_nothing() {
    let mut g = guide();
    for i in [Intent::Down, Intent::Help, Intent::Back, Intent::Up] {
        let (record, _) = press(&mut g, i, at(1));
        assert!(record.is_empty(), "{i:?}");
    }
    let (record, told) = press(&mut g, Intent::Quit, at(2));
    assert!(record.is_empty() && told.quit);
}

#[test]
fn a_wake_with_nothing_due_records_nothing_and_one_with_a_cue_records_the_wake() {
    let mut g = guide();
    press(&mut g, Intent::Go, at(1));
    let (record, told) = press(&mut g, Intent::Go, at(10));
    assert_eq!(record, [(at(10), Event::Start)]);
    assert!(
        told.said
            .contains(&Said::Fact(Fact::TimerStarted { step: 1 }))
    );
    let quiet = g.wake(at(15));
    assert!(quiet.record.is_empty() && quiet.told.is_empty());
    let _ = g.commit(quiet);
    let cue = g.wake(at(30));
    assert_eq!(cue.record, [(at(30), Event::Wake)]);
    let told = g.commit(cue);
    assert_eq!(told.bells, 1);
    assert_eq!(g.note(at(30)).as_deref(), Some("A third"));
}

#[test]
fn a_clock_set_back_records_the_furthest_wake_first() {
    let mut g = guide();
    press(&mut g, Intent::Go, at(1));
    press(&mut g, Intent::Go, at(10));
    let quiet = g.wake(at(25));
    let _ = g.commit(quiet);
    // The clock now reads 10 s earlier: pausing must not give those 10 s back on replay.
    let (record, _) = press(&mut g, Intent::PauseResume, at(15));
    assert_eq!(record, [(at(25), Event::Wake), (at(15), Event::Pause)]);
}

#[test]
fn a_window_opening_is_said_once_even_between_quiet_wakes() {
    let mut g = guide();
    for s in [10, 600, 3599] {
        let c = g.wake(at(s));
        assert!(c.told.is_empty(), "{s}");
        let _ = g.commit(c);
    }
    assert_eq!(g.next_change(at(3599)), Some(at(3600)));
    let c = g.wake(at(3600));
    assert!(c.record.is_empty(), "nothing in the session changed");
    let told = g.commit(c);
    assert_eq!(told.said, [Said::Due(3)]);
    let again = g.wake(at(3601));
    assert!(again.told.is_empty());
}

#[test]
fn the_daily_limit_counts_other_sessions_uses_on_the_same_day() {
    let zone = Zone::Fixed(FixedOffset::east_opt(0).unwrap());
    let used = DailyUses::new([("cream".to_string(), at(-3600))], zone);
    let mut g = guide().with_daily(used);
    let (record, told) = press(&mut g, Intent::Pick(2), at(5));
    assert_eq!(record, [(at(5), Event::Select { step: 2 })], "{told:?}");
    let (record, told) = press(&mut g, Intent::Go, at(6));
    assert!(record.is_empty(), "used up today");
    assert!(
        matches!(&told.said[..], [Said::Refused(w)] if w.contains("today")),
        "{told:?}"
    );
}

#[test]
fn a_required_skip_asks_first_and_yes_records_it() {
    let mut g = guide();
    let (record, _) = press(&mut g, Intent::Skip, at(1));
    assert!(record.is_empty());
    assert_eq!(g.overlay, Some(Overlay::ConfirmSkip));
    let (record, _) = press(&mut g, Intent::Yes, at(2));
    assert_eq!(record, [(at(2), Event::Skip { confirmed: true })]);
    assert_eq!(g.overlay, None);
}

#[test]
fn ticking_off_a_step_before_its_window_opens_asks_first() {
    let mut g = guide();
    // The meal's window opens an hour after the run.
    let (record, _) = press(&mut g, Intent::Pick(3), at(60));
    assert_eq!(record, [(at(60), Event::Select { step: 3 })]);
    let (record, _) = press(&mut g, Intent::Go, at(61));
    assert!(record.is_empty(), "one Enter ticks nothing off");
    assert_eq!(
        g.overlay,
        Some(Overlay::ConfirmEarly {
            step: 3,
            opens: at(3600)
        })
    );
    let (record, _) = press(&mut g, Intent::Go, at(62));
    assert!(record.is_empty(), "nor a second: the question wants y");
    assert_eq!(g.overlay, None);
    press(&mut g, Intent::Go, at(63));
    let (record, _) = press(&mut g, Intent::Yes, at(64));
    assert_eq!(record, [(at(64), Event::Complete)]);
    // Once the window is open, Enter ticks it off at once.
    let mut g = guide();
    press(&mut g, Intent::Pick(3), at(3600));
    let (record, _) = press(&mut g, Intent::Go, at(3601));
    assert_eq!(record, [(at(3601), Event::Complete)]);
}

#[test]
fn a_daily_step_is_done_again_up_to_its_limit_counting_this_sessions_uses() {
    let mut g = guide();
    press(&mut g, Intent::Pick(2), at(5));
    let (record, _) = press(&mut g, Intent::Go, at(6));
    assert_eq!(record, [(at(6), Event::Complete)], "the first use");
    // Its limit is once a day: taking it up again is refused, with no session counting.
    let (record, told) = press(&mut g, Intent::Pick(2), at(7));
    assert!(record.is_empty(), "{told:?}");
    assert!(
        matches!(&told.said[..], [Said::Refused(w)] if w.contains("1 times a day")),
        "{told:?}"
    );
}

#[test]
fn a_value_out_of_range_is_recorded_and_called_out_at_once() {
    let p = parse(
        "ice.toml",
        "ice",
        "name = \"Ice\"\nsummary = \"Cold.\"\n[[steps]]\nid = \"ice-bath\"\ntitle = \"Ice bath\"\n\
         do = \"Sit.\"\n[steps.ask]\nwhat = \"water temperature\"\nunit = \"C\"\nrange = \"12-15\"\n",
    )
    .unwrap();
    let zone = Zone::Fixed(FixedOffset::east_opt(0).unwrap());
    let mut g = Guide::new(Session::new(p, at(0), at(12 * 3600)), zone);
    press(&mut g, Intent::Go, at(60));
    assert!(g.session().is_complete(), "the only step is done");
    // Asked once the step ended: the value is taken even after the last step.
    let change = g.give_value(0, "10".into(), at(70));
    assert_eq!(
        change.record,
        vec![(
            at(70),
            Event::Value {
                step: 0,
                value: "10".into()
            }
        )]
    );
    let told = g.commit(change);
    let said: Vec<String> = told
        .said
        .iter()
        .map(|s| match s {
            Said::Fact(f) => narrate::say(f, g.session(), at(70)),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        said,
        vec![
            "Ice bath: water temperature 10 C noted. 10 C is colder than the 12-15 C the \
             routine asks for."
        ]
    );
    assert_eq!(g.session().values(), &[(0, 100)]);
    // Inside the range: noted, nothing called out.
    let told = g.commit(g.give_value(0, "12.5".into(), at(80)));
    let Some(Said::Fact(f)) = told.said.first() else {
        panic!("{told:?}")
    };
    assert_eq!(
        narrate::say(f, g.session(), at(80)),
        "Ice bath: water temperature 12.5 C noted."
    );
    assert_eq!(g.session().last_values(), vec![(0, 125)]);
    // No number: refused, nothing recorded.
    let change = g.give_value(0, "cold".into(), at(90));
    assert!(change.record.is_empty());
    let _ = g.commit(change);
    assert_eq!(g.session().values().len(), 2);
}

//! Unit tests of the session state machine, on a fake clock: every timestamp is built from one
//! fixed origin, never from the real clock.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use chrono::{TimeDelta, TimeZone, Utc};

use super::*;
use crate::core::protocol::parse;

/// A tick step, an optional ranged timer with a cue, a two-sided hold sequence, and an
/// optional daily-limited tick step.
const ROUTINE: &str = r#"
name = "Fixture"
summary = "A small routine for session tests."

[[steps]]
id = "hydrate"
title = "Hydrate"
do = "Drink."

[[steps]]
id = "ice-bath"
title = "Ice bath"
do = "Sit in cold water."
optional = true
[steps.timer]
length = "10m-15m"
cues = [{ at = "3m", say = "The worst is over." }]

[[steps]]
id = "stretch"
title = "Stretch"
do = "Hold each stretch."
gap = "5s"
[[steps.holds]]
name = "Quadriceps"
time = "30s"
sides = ["left leg", "right leg"]
[[steps.holds]]
name = "Calves"
time = "20s"

[[steps]]
id = "cream"
title = "Muscle cream"
do = "Rub it in."
optional = true
daily_limit = 4
"#;

/// A fixed five-minute timer with a daily limit, then a tick step.
const BATH: &str = r#"
name = "Bath"
summary = "A fixed timer."

[[steps]]
id = "bath"
title = "Epsom bath"
do = "Soak."
daily_limit = 2
[steps.timer]
length = "5m"

[[steps]]
id = "sleep"
title = "Sleep"
do = "Sleep."
"#;

/// A ranged hold on two sides: 5 s gap, 20-30 s per side.
const RANGED_HOLDS: &str = r#"
name = "Ranged holds"
summary = "Holds that may end early."

[[steps]]
id = "stretch"
title = "Stretch"
do = "Hold."
gap = "5s"
[[steps.holds]]
name = "Hamstrings"
time = "20s-30s"
sides = ["left", "right"]

[[steps]]
id = "rest"
title = "Rest"
do = "Rest."
"#;

const HYDRATE: usize = 0;
const ICE: usize = 1;
const STRETCH: usize = 2;
const CREAM: usize = 3;

fn t0() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 5, 1, 9, 40, 0).unwrap()
}

fn at(s: i64) -> Timestamp {
    t0() + TimeDelta::seconds(s)
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

fn session(toml: &str) -> Session {
    let protocol = parse("fixture.toml", "fixture", toml).unwrap();
    Session::new(protocol, t0(), t0() + TimeDelta::hours(13))
}

/// The routine with hydrate done, so the ice bath is active (not started).
fn at_ice_bath() -> Session {
    let mut s = session(ROUTINE);
    s.apply(Event::Complete, at(0)).unwrap();
    assert_eq!(s.active(), Some(ICE));
    s
}

/// The routine with the stretch active (not started).
fn at_stretch() -> Session {
    let mut s = session(ROUTINE);
    s.apply(Event::Select { step: STRETCH }, at(0)).unwrap();
    s
}

fn left(s: &Session, now: Timestamp) -> Duration {
    s.run().unwrap().left(now)
}

fn count_cues(facts: &[Fact]) -> usize {
    facts
        .iter()
        .filter(|f| matches!(f, Fact::Cue { .. }))
        .count()
}

// --- a new session ----------------------------------------------------------------------------

#[test]
fn new_session_activates_the_first_step() {
    let s = session(ROUTINE);
    use StepState::*;
    assert_eq!(s.states(), [Active, Pending, Pending, Pending]);
    assert_eq!(s.active(), Some(HYDRATE));
    assert_eq!(s.active_step().unwrap().id, "hydrate");
    assert!(s.run().is_none(), "a tick step has no timer");
    assert_eq!(s.next_deadline(at(0)), None);
    assert!(!s.is_complete());
    assert_eq!(s.done_count(), 0);
}

#[test]
fn a_timed_first_step_gets_a_ready_timer() {
    let s = session(BATH);
    let run = s.run().unwrap();
    assert_eq!(run.phase, Phase::Ready);
    assert_eq!(run.left(at(0)), secs(300));
    assert_eq!(s.next_deadline(at(0)), None, "nothing runs before Start");
    assert!(is_timed(s.active_step().unwrap()));
}

// --- complete on a tick step -------------------------------------------------------------------

#[test]
fn complete_on_a_tick_step_marks_it_done_and_activates_the_next() {
    let mut s = session(ROUTINE);
    let facts = s.apply(Event::Complete, at(10)).unwrap();
    assert_eq!(
        facts,
        [
            Fact::StepDone { step: HYDRATE },
            Fact::StepActive { step: ICE }
        ]
    );
    use StepState::*;
    assert_eq!(s.states(), [Done, Active, Pending, Pending]);
    assert_eq!(s.run().unwrap().phase, Phase::Ready);
    assert_eq!(s.done_count(), 1);
}

// --- start, pause, resume ---------------------------------------------------------------------

#[test]
fn start_runs_the_timer_to_a_deadline() {
    let mut s = at_ice_bath();
    assert_eq!(
        s.apply(Event::Start, at(0)).unwrap(),
        [Fact::TimerStarted { step: ICE }]
    );
    assert_eq!(
        s.run().unwrap().phase,
        Phase::Running {
            ends_at: at(15 * 60)
        }
    );
    assert_eq!(left(&s, at(60)), secs(14 * 60));
    assert_eq!(s.apply(Event::Start, at(1)), Err(Refusal::Running));
}

#[test]
fn start_on_a_tick_step_is_refused() {
    let mut s = session(ROUTINE);
    assert_eq!(
        s.apply(Event::Start, at(0)),
        Err(Refusal::NoTimer("Hydrate".into()))
    );
    for event in [Event::Pause, Event::Resume, Event::Extend, Event::Shorten] {
        assert_eq!(
            s.apply(event, at(0)),
            Err(Refusal::NoTimer("Hydrate".into()))
        );
    }
}

#[test]
fn pause_at_100s_and_resume_60s_later_finishes_60s_late() {
    let mut s = session(BATH);
    s.apply(Event::Start, at(0)).unwrap();
    assert_eq!(
        s.apply(Event::Pause, at(100)).unwrap(),
        [Fact::Paused { step: 0 }]
    );
    assert_eq!(s.run().unwrap().phase, Phase::Paused { left: secs(200) });
    // Time does not pass while paused.
    assert_eq!(left(&s, at(130)), secs(200));
    assert_eq!(s.apply(Event::Wake, at(150)).unwrap(), []);
    assert_eq!(
        s.next_deadline(at(150)),
        None,
        "paused: nothing to wake for"
    );
    assert_eq!(
        s.apply(Event::Resume, at(160)).unwrap(),
        [Fact::Resumed { step: 0 }]
    );
    assert_eq!(s.run().unwrap().phase, Phase::Running { ends_at: at(360) });
    assert_eq!(s.next_deadline(at(160)), Some(at(360)));
    assert_eq!(s.apply(Event::Wake, at(300)).unwrap(), []);
    let just_before = at(360) - TimeDelta::nanoseconds(1);
    assert!(
        !s.due(just_before),
        "the store keeps no copy for a Wake that is not due"
    );
    assert_eq!(s.apply(Event::Wake, just_before).unwrap(), []);
    assert!(s.due(at(360)), "due on the deadline itself");
    assert_eq!(
        s.apply(Event::Wake, at(360)).unwrap(),
        [
            Fact::TimerFinished { step: 0 },
            Fact::StepDone { step: 0 },
            Fact::StepActive { step: 1 }
        ]
    );
}

#[test]
fn pause_and_resume_refuse_the_wrong_phase() {
    let mut s = session(BATH);
    assert_eq!(s.apply(Event::Pause, at(0)), Err(Refusal::NotRunning));
    assert_eq!(s.apply(Event::Resume, at(0)), Err(Refusal::NotPaused));
    s.apply(Event::Start, at(0)).unwrap();
    assert_eq!(s.apply(Event::Resume, at(10)), Err(Refusal::NotPaused));
    s.apply(Event::Pause, at(20)).unwrap();
    assert_eq!(s.apply(Event::Pause, at(30)), Err(Refusal::NotRunning));
    // Start on a paused timer resumes it (Space and Enter both get it going again).
    assert_eq!(
        s.apply(Event::Start, at(40)).unwrap(),
        [Fact::Resumed { step: 0 }]
    );
    assert_eq!(left(&s, at(40)), secs(280));
}

#[test]
fn several_pauses_add_up() {
    let mut s = session(BATH);
    s.apply(Event::Start, at(0)).unwrap();
    for k in 0..5 {
        // Run 20 s, pause 100 s.
        s.apply(Event::Pause, at(20 + 120 * k)).unwrap();
        s.apply(Event::Resume, at(120 + 120 * k)).unwrap();
    }
    assert_eq!(left(&s, at(600)), secs(200));
    assert_eq!(s.next_deadline(at(600)), Some(at(800)));
}

// --- extend and shorten -----------------------------------------------------------------------

#[test]
fn extend_adds_30s_and_moves_the_deadline() {
    let mut s = session(BATH);
    s.apply(Event::Start, at(0)).unwrap();
    assert_eq!(
        s.apply(Event::Extend, at(100)).unwrap(),
        [Fact::Nudged {
            step: 0,
            longer: true
        }]
    );
    assert_eq!(left(&s, at(100)), secs(230));
    assert_eq!(s.next_deadline(at(100)), Some(at(330)));
    assert_eq!(s.run().unwrap().total(), secs(330));
}

#[test]
fn shorten_takes_30s_off_but_never_below_what_has_passed() {
    let mut s = session(BATH);
    s.apply(Event::Start, at(0)).unwrap();
    assert_eq!(
        s.apply(Event::Shorten, at(100)).unwrap(),
        [Fact::Nudged {
            step: 0,
            longer: false
        }]
    );
    assert_eq!(left(&s, at(100)), secs(170));
    // 270 -> 240 -> 210 -> 180 -> 150 -> 120: 20 s left.
    for _ in 0..5 {
        s.apply(Event::Shorten, at(100)).unwrap();
    }
    assert_eq!(left(&s, at(100)), secs(20));
    // One more would go to 90 s, below the 100 s passed: it stops at 100 s, so the timer ends.
    let facts = s.apply(Event::Shorten, at(100)).unwrap();
    assert_eq!(
        facts,
        [
            Fact::Nudged {
                step: 0,
                longer: false
            },
            Fact::TimerFinished { step: 0 },
            Fact::StepDone { step: 0 },
            Fact::StepActive { step: 1 }
        ]
    );
}

#[test]
fn nudges_while_paused_change_the_time_left() {
    let mut s = session(BATH);
    s.apply(Event::Start, at(0)).unwrap();
    s.apply(Event::Pause, at(100)).unwrap();
    s.apply(Event::Extend, at(150)).unwrap();
    assert_eq!(s.run().unwrap().phase, Phase::Paused { left: secs(230) });
    s.apply(Event::Shorten, at(150)).unwrap();
    s.apply(Event::Shorten, at(150)).unwrap();
    assert_eq!(s.run().unwrap().phase, Phase::Paused { left: secs(170) });
    s.apply(Event::Resume, at(200)).unwrap();
    assert_eq!(s.next_deadline(at(200)), Some(at(370)));
}

#[test]
fn nudging_a_timer_not_yet_started_is_refused() {
    // "+"/"-" move the countdown under way; before Start there is none, and a "-" could
    // otherwise shorten a timer to nothing before it began.
    let mut s = session(BATH);
    assert_eq!(s.apply(Event::Extend, at(0)), Err(Refusal::NotStarted));
    assert_eq!(s.apply(Event::Shorten, at(0)), Err(Refusal::NotStarted));
    assert_eq!(s.run().unwrap().total(), secs(300));
}

#[test]
fn extend_during_a_hold_lengthens_that_hold_only() {
    let mut s = at_stretch();
    s.apply(Event::Start, at(0)).unwrap();
    s.apply(Event::Wake, at(10)).unwrap(); // left-leg quad hold, 5 s in
    s.apply(Event::Extend, at(10)).unwrap();
    let run = s.run().unwrap();
    assert_eq!(run.piece_left(at(10)), secs(55));
    assert_eq!(run.left(at(10)), secs(115));
    assert_eq!(s.next_deadline(at(10)), Some(at(65)));
}

// --- complete on a ranged timer ---------------------------------------------------------------

#[test]
fn complete_before_the_minimum_is_refused_with_the_time_left() {
    let mut s = at_ice_bath();
    s.apply(Event::Start, at(0)).unwrap();
    s.apply(Event::Wake, at(300)).unwrap();
    let before = s.clone();
    assert_eq!(
        s.apply(Event::Complete, at(300)),
        Err(Refusal::TooEarly {
            what: "Ice bath".into(),
            left: secs(300)
        })
    );
    assert_eq!(s, before, "a refused event changes nothing");
}

#[test]
fn complete_after_the_minimum_finishes_early_as_done() {
    let mut s = at_ice_bath();
    s.apply(Event::Start, at(0)).unwrap();
    let facts = s.apply(Event::Wake, at(600)).unwrap();
    assert_eq!(
        facts,
        [
            Fact::Cue {
                step: ICE,
                text: "The worst is over.".into()
            },
            Fact::MinimumReached { step: ICE }
        ]
    );
    let facts = s.apply(Event::Complete, at(720)).unwrap();
    assert_eq!(
        facts,
        [
            Fact::TimerFinished { step: ICE },
            Fact::StepDone { step: ICE },
            Fact::StepActive { step: STRETCH }
        ]
    );
    assert_eq!(s.states()[ICE], StepState::Done);
}

#[test]
fn complete_on_a_paused_ranged_timer_past_its_minimum_finishes_it() {
    let mut s = at_ice_bath();
    s.apply(Event::Start, at(0)).unwrap();
    s.apply(Event::Pause, at(660)).unwrap();
    let facts = s.apply(Event::Complete, at(700)).unwrap();
    assert!(facts.contains(&Fact::StepDone { step: ICE }), "{facts:?}");
}

#[test]
fn complete_on_a_fixed_timer_is_too_early_until_it_ends() {
    let mut s = session(BATH);
    s.apply(Event::Start, at(0)).unwrap();
    assert_eq!(
        s.apply(Event::Complete, at(299)),
        Err(Refusal::TooEarly {
            what: "Epsom bath".into(),
            left: secs(1)
        })
    );
}

#[test]
fn complete_on_a_timer_not_yet_started_is_refused() {
    // Enter starts a timer; marking a timed step done without running it would slip past the
    // minimum a running timer enforces.
    let mut s = at_ice_bath();
    assert_eq!(s.apply(Event::Complete, at(0)), Err(Refusal::NotStarted));
    assert_eq!(s.active(), Some(ICE));
}

#[test]
fn complete_in_a_gap_starts_the_hold_at_once() {
    let mut s = at_stretch();
    s.apply(Event::Start, at(0)).unwrap();
    assert_eq!(
        s.apply(Event::Complete, at(2)).unwrap(),
        [Fact::HoldStarted {
            step: STRETCH,
            hold: 0,
            side: Some(0)
        }]
    );
    // The hold runs its full 30 s from now; the gap's 3 s are gone from the step.
    assert_eq!(s.next_deadline(at(2)), Some(at(32)));
    assert_eq!(left(&s, at(2)), secs(90));
}

#[test]
fn complete_on_a_ranged_hold_past_its_minimum_ends_that_hold() {
    let mut s = session(RANGED_HOLDS);
    s.apply(Event::Start, at(0)).unwrap();
    s.apply(Event::Wake, at(5)).unwrap(); // left side begins
    assert_eq!(
        s.apply(Event::Complete, at(15)),
        Err(Refusal::TooEarly {
            what: "Hamstrings, left".into(),
            left: secs(10)
        })
    );
    assert_eq!(
        s.apply(Event::Complete, at(27)).unwrap(),
        [
            // The minimum fell due at 25 s, unwoken: said first, as time comes first.
            Fact::HoldMinimum {
                step: 0,
                hold: 0,
                side: Some(0)
            },
            Fact::GetReady {
                step: 0,
                hold: 0,
                side: Some(1),
                switch: true
            }
        ]
    );
    assert_eq!(s.next_deadline(at(27)), Some(at(32)));
}

// --- timers running out -----------------------------------------------------------------------

#[test]
fn a_timer_that_runs_out_marks_its_step_done_and_activates_the_next() {
    let mut s = at_ice_bath();
    s.apply(Event::Start, at(0)).unwrap();
    let facts = s.apply(Event::Wake, at(900)).unwrap();
    assert_eq!(
        facts,
        [
            Fact::Cue {
                step: ICE,
                text: "The worst is over.".into()
            },
            Fact::MinimumReached { step: ICE },
            Fact::TimerFinished { step: ICE },
            Fact::StepDone { step: ICE },
            Fact::StepActive { step: STRETCH }
        ]
    );
    use StepState::*;
    assert_eq!(s.states(), [Done, Done, Active, Pending]);
    assert_eq!(s.run().unwrap().phase, Phase::Ready, "the stretch waits");
    assert_eq!(s.next_deadline(at(900)), None);
}

#[test]
fn cues_fire_exactly_once_across_many_wakes() {
    let mut s = at_ice_bath();
    s.apply(Event::Start, at(0)).unwrap();
    let mut cues = 0;
    let mut minimums = 0;
    for t in 0..900 {
        let facts = s.apply(Event::Wake, at(t)).unwrap();
        cues += count_cues(&facts);
        minimums += facts
            .iter()
            .filter(|f| matches!(f, Fact::MinimumReached { .. }))
            .count();
        if t == 180 {
            assert_eq!(count_cues(&facts), 1, "the cue falls at 3:00 exactly");
        }
    }
    assert_eq!((cues, minimums), (1, 1));
}

#[test]
fn cues_fire_exactly_once_across_pause_and_resume() {
    let mut s = at_ice_bath();
    s.apply(Event::Start, at(0)).unwrap();
    let mut facts = Vec::new();
    // Paused just before the cue: it waits for the resume.
    facts.extend(s.apply(Event::Pause, at(170)).unwrap());
    facts.extend(s.apply(Event::Wake, at(400)).unwrap());
    assert_eq!(count_cues(&facts), 0, "no cue while paused");
    facts.extend(s.apply(Event::Resume, at(400)).unwrap());
    facts.extend(s.apply(Event::Wake, at(409)).unwrap());
    assert_eq!(count_cues(&facts), 0);
    facts.extend(s.apply(Event::Wake, at(410)).unwrap());
    assert_eq!(count_cues(&facts), 1, "the cue at 3:00 of running time");
    // Paused after the cue, then resumed: it does not come again.
    facts.extend(s.apply(Event::Pause, at(420)).unwrap());
    facts.extend(s.apply(Event::Resume, at(500)).unwrap());
    for t in 500..700 {
        facts.extend(s.apply(Event::Wake, at(t)).unwrap());
    }
    assert_eq!(count_cues(&facts), 1);
}

// --- holds ------------------------------------------------------------------------------------

#[test]
fn the_two_sided_hold_sequence_runs_gap_hold_switch_hold() {
    let mut s = at_stretch();
    assert_eq!(
        s.apply(Event::Start, at(0)).unwrap(),
        [
            Fact::TimerStarted { step: STRETCH },
            Fact::GetReady {
                step: STRETCH,
                hold: 0,
                side: Some(0),
                switch: false
            }
        ]
    );
    let run = s.run().unwrap();
    assert_eq!(
        run.current(at(0)),
        Piece::Gap {
            hold: 0,
            side: Some(0)
        }
    );
    assert_eq!(run.piece_left(at(0)), secs(5));
    // Track: gap 0-5, left 5-35, gap 35-40, right 40-70, gap 70-75, calves 75-95.
    assert_eq!(run.left(at(0)), secs(95));
    assert_eq!(s.next_deadline(at(0)), Some(at(5)));

    assert_eq!(
        s.apply(Event::Wake, at(5)).unwrap(),
        [Fact::HoldStarted {
            step: STRETCH,
            hold: 0,
            side: Some(0)
        }]
    );
    assert_eq!(s.next_deadline(at(5)), Some(at(35)));
    assert_eq!(s.apply(Event::Wake, at(20)).unwrap(), []);
    assert_eq!(
        s.run().unwrap().current(at(20)),
        Piece::Hold {
            hold: 0,
            side: Some(0)
        }
    );
    assert_eq!(s.run().unwrap().piece_left(at(20)), secs(15));

    assert_eq!(
        s.apply(Event::Wake, at(35)).unwrap(),
        [Fact::GetReady {
            step: STRETCH,
            hold: 0,
            side: Some(1),
            switch: true
        }]
    );
    assert_eq!(s.next_deadline(at(35)), Some(at(40)));
    assert_eq!(
        s.apply(Event::Wake, at(40)).unwrap(),
        [Fact::HoldStarted {
            step: STRETCH,
            hold: 0,
            side: Some(1)
        }]
    );
    assert_eq!(
        s.apply(Event::Wake, at(70)).unwrap(),
        [Fact::GetReady {
            step: STRETCH,
            hold: 1,
            side: None,
            switch: false
        }]
    );
    assert_eq!(
        s.apply(Event::Wake, at(75)).unwrap(),
        [Fact::HoldStarted {
            step: STRETCH,
            hold: 1,
            side: None
        }]
    );
    assert_eq!(s.next_deadline(at(75)), Some(at(95)));
    assert_eq!(
        s.apply(Event::Wake, at(95)).unwrap(),
        [
            Fact::TimerFinished { step: STRETCH },
            Fact::StepDone { step: STRETCH },
            Fact::StepActive { step: CREAM }
        ]
    );
}

#[test]
fn a_late_wake_fires_every_skipped_hold_and_side_in_order() {
    let mut s = at_stretch();
    s.apply(Event::Start, at(0)).unwrap();
    let facts = s.apply(Event::Wake, at(95)).unwrap();
    let hold = |hold, side| Fact::HoldStarted {
        step: STRETCH,
        hold,
        side,
    };
    let ready = |hold, side, switch| Fact::GetReady {
        step: STRETCH,
        hold,
        side,
        switch,
    };
    assert_eq!(
        facts,
        [
            hold(0, Some(0)),
            ready(0, Some(1), true),
            hold(0, Some(1)),
            ready(1, None, false),
            hold(1, None),
            Fact::TimerFinished { step: STRETCH },
            Fact::StepDone { step: STRETCH },
            Fact::StepActive { step: CREAM }
        ]
    );
}

#[test]
fn a_late_wake_mid_sequence_stops_at_the_piece_under_way() {
    let mut s = at_stretch();
    s.apply(Event::Start, at(0)).unwrap();
    let facts = s.apply(Event::Wake, at(50)).unwrap();
    assert_eq!(facts.len(), 3, "{facts:?}");
    assert_eq!(
        s.run().unwrap().current(at(50)),
        Piece::Hold {
            hold: 0,
            side: Some(1)
        }
    );
    assert_eq!(s.run().unwrap().piece_left(at(50)), secs(20));
    assert_eq!(s.next_deadline(at(50)), Some(at(70)));
}

#[test]
fn pause_in_a_gap_holds_the_gap() {
    let mut s = at_stretch();
    s.apply(Event::Start, at(0)).unwrap();
    s.apply(Event::Pause, at(2)).unwrap();
    assert_eq!(s.apply(Event::Wake, at(60)).unwrap(), []);
    assert_eq!(s.run().unwrap().piece_left(at(60)), secs(3));
    s.apply(Event::Resume, at(60)).unwrap();
    assert_eq!(s.next_deadline(at(60)), Some(at(63)));
}

// --- skip -------------------------------------------------------------------------------------

#[test]
fn skip_of_an_optional_step_goes_on_to_the_next() {
    let mut s = at_ice_bath();
    assert_eq!(
        s.apply(Event::Skip { confirmed: false }, at(5)).unwrap(),
        [
            Fact::StepSkipped { step: ICE },
            Fact::StepActive { step: STRETCH }
        ]
    );
    assert_eq!(s.states()[ICE], StepState::Skipped);
}

#[test]
fn skip_of_a_required_step_needs_confirmation() {
    let mut s = session(ROUTINE);
    assert_eq!(
        s.apply(Event::Skip { confirmed: false }, at(0)),
        Err(Refusal::Required("Hydrate".into()))
    );
    assert_eq!(s.active(), Some(HYDRATE));
    assert_eq!(
        s.apply(Event::Skip { confirmed: true }, at(0)).unwrap(),
        [
            Fact::StepSkipped { step: HYDRATE },
            Fact::StepActive { step: ICE }
        ]
    );
}

#[test]
fn skip_of_a_running_timer_drops_it() {
    let mut s = at_ice_bath();
    s.apply(Event::Start, at(0)).unwrap();
    s.apply(Event::Skip { confirmed: false }, at(100)).unwrap();
    assert_eq!(s.active(), Some(STRETCH));
    assert_eq!(s.run().unwrap().phase, Phase::Ready);
}

#[test]
fn the_next_step_wraps_round_to_an_earlier_pending_one() {
    let mut s = session(ROUTINE);
    s.apply(Event::Select { step: CREAM }, at(0)).unwrap();
    assert_eq!(
        s.apply(Event::Complete, at(0)).unwrap(),
        [
            Fact::StepDone { step: CREAM },
            Fact::StepActive { step: HYDRATE }
        ]
    );
}

// --- select -----------------------------------------------------------------------------------

#[test]
fn select_moves_the_active_step() {
    let mut s = session(ROUTINE);
    assert_eq!(
        s.apply(Event::Select { step: STRETCH }, at(0)).unwrap(),
        [Fact::StepActive { step: STRETCH }]
    );
    use StepState::*;
    assert_eq!(s.states(), [Pending, Pending, Active, Pending]);
    assert_eq!(s.run().unwrap().phase, Phase::Ready);
}

#[test]
fn select_is_refused_for_done_active_and_missing_steps() {
    let mut s = session(ROUTINE);
    s.apply(Event::Complete, at(0)).unwrap();
    assert_eq!(
        s.apply(Event::Select { step: HYDRATE }, at(1)),
        Err(Refusal::AlreadyDone("Hydrate".into()))
    );
    assert_eq!(
        s.apply(Event::Select { step: ICE }, at(1)),
        Err(Refusal::AlreadyActive("Ice bath".into()))
    );
    assert_eq!(
        s.apply(Event::Select { step: 9 }, at(1)),
        Err(Refusal::NoStep(9))
    );
}

#[test]
fn select_is_refused_while_a_timer_is_under_way() {
    let mut s = at_ice_bath();
    s.apply(Event::Start, at(0)).unwrap();
    let refused = Err(Refusal::TimerUnderWay("Ice bath".into()));
    assert_eq!(s.apply(Event::Select { step: CREAM }, at(10)), refused);
    s.apply(Event::Pause, at(20)).unwrap();
    assert_eq!(s.apply(Event::Select { step: CREAM }, at(30)), refused);
}

#[test]
fn select_brings_a_skipped_step_back() {
    let mut s = at_ice_bath();
    s.apply(Event::Skip { confirmed: false }, at(0)).unwrap();
    s.apply(Event::Select { step: ICE }, at(5)).unwrap();
    use StepState::*;
    assert_eq!(s.states(), [Done, Active, Pending, Pending]);
    assert_eq!(s.run().unwrap().phase, Phase::Ready);
}

// --- undo -------------------------------------------------------------------------------------

#[test]
fn nothing_to_undo_at_the_start() {
    let mut s = session(ROUTINE);
    assert_eq!(s.apply(Event::Undo, at(0)), Err(Refusal::NothingToUndo));
}

#[test]
fn undo_of_a_done_restores_the_states() {
    let mut s = session(ROUTINE);
    let before = s.clone();
    s.apply(Event::Complete, at(0)).unwrap();
    assert_eq!(
        s.apply(Event::Undo, at(5)).unwrap(),
        [Fact::Undone { step: HYDRATE }]
    );
    assert_eq!(s, before);
    assert_eq!(s.apply(Event::Undo, at(6)), Err(Refusal::NothingToUndo));
}

#[test]
fn undo_of_a_skip_restores_the_timer_as_it_was() {
    let mut s = at_ice_bath();
    s.apply(Event::Start, at(0)).unwrap();
    s.apply(Event::Pause, at(100)).unwrap();
    let before = s.clone();
    s.apply(Event::Skip { confirmed: false }, at(110)).unwrap();
    assert_eq!(
        s.apply(Event::Undo, at(120)).unwrap(),
        [Fact::Undone { step: ICE }]
    );
    assert_eq!(s.states(), before.states());
    assert_eq!(s.run(), before.run());
    assert_eq!(left(&s, at(120)), secs(800));
}

#[test]
fn undo_of_a_skip_of_a_running_timer_keeps_its_deadline() {
    // The runner is still in the bath: the time spent skipped counted.
    let mut s = at_ice_bath();
    s.apply(Event::Start, at(0)).unwrap();
    s.apply(Event::Skip { confirmed: false }, at(100)).unwrap();
    s.apply(Event::Undo, at(110)).unwrap();
    assert_eq!(s.active(), Some(ICE));
    assert_eq!(left(&s, at(110)), secs(790));
}

#[test]
fn undo_of_an_early_finish_puts_the_timer_back_running() {
    let mut s = at_ice_bath();
    s.apply(Event::Start, at(0)).unwrap();
    s.apply(Event::Wake, at(700)).unwrap();
    let before = s.clone();
    s.apply(Event::Complete, at(700)).unwrap();
    assert_eq!(s.states()[ICE], StepState::Done);
    assert_eq!(
        s.apply(Event::Undo, at(700)).unwrap(),
        [Fact::Undone { step: ICE }]
    );
    assert_eq!(
        s, before,
        "undo restores the running ice bath, not an older change"
    );
    // And the hydrate done before it is still undoable afterwards.
    s.apply(Event::Skip { confirmed: false }, at(701)).unwrap();
    s.apply(Event::Undo, at(702)).unwrap();
    assert_eq!(s.active(), Some(ICE));
}

#[test]
fn undo_after_a_timer_ran_out_undoes_that_and_nothing_older() {
    let mut s = at_ice_bath();
    s.apply(Event::Start, at(0)).unwrap();
    s.apply(Event::Wake, at(900)).unwrap();
    assert_eq!(s.active(), Some(STRETCH));
    assert_eq!(
        s.apply(Event::Undo, at(910)).unwrap(),
        [Fact::Undone { step: ICE }]
    );
    use StepState::*;
    assert_eq!(
        s.states(),
        [Done, Active, Pending, Pending],
        "hydrate stays done"
    );
    assert_eq!(s.run().unwrap().phase, Phase::Finished);
    assert_eq!(s.next_deadline(at(910)), None);
    // The finished timer's step is done with Enter.
    assert_eq!(
        s.apply(Event::Complete, at(920)).unwrap(),
        [
            Fact::StepDone { step: ICE },
            Fact::StepActive { step: STRETCH }
        ]
    );
}

#[test]
fn undo_twice_walks_back_two_changes() {
    let mut s = session(ROUTINE);
    let start = s.clone();
    s.apply(Event::Complete, at(0)).unwrap();
    s.apply(Event::Skip { confirmed: false }, at(1)).unwrap();
    assert_eq!(
        s.apply(Event::Undo, at(2)).unwrap(),
        [Fact::Undone { step: ICE }]
    );
    assert_eq!(
        s.apply(Event::Undo, at(3)).unwrap(),
        [Fact::Undone { step: HYDRATE }]
    );
    assert_eq!(s, start);
}

// --- daily limit ------------------------------------------------------------------------------

#[test]
fn the_daily_limit_refuses_a_step_used_up_today() {
    let mut s = session(ROUTINE);
    s.apply(Event::Select { step: CREAM }, at(0)).unwrap();
    s.used_today.insert("cream".into(), 4);
    assert_eq!(
        s.apply(Event::Complete, at(1)),
        Err(Refusal::DailyLimit {
            title: "Muscle cream".into(),
            limit: 4
        })
    );
    // It can still be skipped.
    s.apply(Event::Skip { confirmed: false }, at(2)).unwrap();
    assert_eq!(s.states()[CREAM], StepState::Skipped);
}

#[test]
fn the_daily_limit_allows_uses_below_it() {
    let mut s = session(ROUTINE);
    s.apply(Event::Select { step: CREAM }, at(0)).unwrap();
    s.used_today.insert("cream".into(), 3);
    s.apply(Event::Complete, at(1)).unwrap();
    assert_eq!(s.states()[CREAM], StepState::Done);
}

#[test]
fn the_daily_limit_refuses_to_start_a_used_up_timer() {
    // A timer that ran out marks its step done by itself, so the limit is checked at Start.
    let mut s = session(BATH);
    s.used_today.insert("bath".into(), 2);
    assert_eq!(
        s.apply(Event::Start, at(0)),
        Err(Refusal::DailyLimit {
            title: "Epsom bath".into(),
            limit: 2
        })
    );
    assert_eq!(s.run().unwrap().phase, Phase::Ready);
}

// --- the end ----------------------------------------------------------------------------------

#[test]
fn the_routine_finishes_with_all_done_and_refuses_further_events() {
    let mut s = session(ROUTINE);
    s.apply(Event::Complete, at(0)).unwrap();
    s.apply(Event::Start, at(0)).unwrap();
    s.apply(Event::Wake, at(900)).unwrap();
    s.apply(Event::Start, at(900)).unwrap();
    s.apply(Event::Wake, at(995)).unwrap();
    let facts = s.apply(Event::Skip { confirmed: false }, at(1000)).unwrap();
    assert_eq!(facts, [Fact::StepSkipped { step: CREAM }, Fact::AllDone]);
    assert!(s.is_complete());
    assert_eq!(s.active(), None);
    assert_eq!(s.done_count(), 3);
    assert_eq!(s.next_deadline(at(1000)), None);
    let events = [
        Event::Start,
        Event::Pause,
        Event::Resume,
        Event::Extend,
        Event::Shorten,
        Event::Complete,
        Event::Skip { confirmed: true },
        Event::Select { step: CREAM },
    ];
    let done = s.clone();
    for event in events {
        assert_eq!(
            s.apply(event.clone(), at(1001)),
            Err(Refusal::Finished),
            "{event:?}"
        );
    }
    assert_eq!(s.apply(Event::Wake, at(1002)).unwrap(), []);
    assert_eq!(s, done);
    // A mis-pressed last skip can still be undone: the routine opens again on that step.
    assert_eq!(
        s.apply(Event::Undo, at(1003)).unwrap(),
        [Fact::Undone { step: CREAM }]
    );
    assert!(!s.is_complete());
    assert_eq!(s.active(), Some(CREAM));
}

#[test]
fn all_done_follows_a_timer_that_runs_out_on_the_last_step() {
    let mut s = session(BATH);
    s.apply(Event::Select { step: 1 }, at(0)).unwrap();
    s.apply(Event::Complete, at(0)).unwrap();
    s.apply(Event::Start, at(0)).unwrap();
    let facts = s.apply(Event::Wake, at(300)).unwrap();
    assert_eq!(
        facts,
        [
            Fact::TimerFinished { step: 0 },
            Fact::StepDone { step: 0 },
            Fact::AllDone
        ]
    );
}

// --- next deadline ----------------------------------------------------------------------------

#[test]
fn next_deadline_walks_cue_minimum_end() {
    let mut s = at_ice_bath();
    assert_eq!(s.next_deadline(at(0)), None, "ready");
    s.apply(Event::Start, at(0)).unwrap();
    assert_eq!(s.next_deadline(at(0)), Some(at(180)), "the cue");
    s.apply(Event::Wake, at(180)).unwrap();
    assert_eq!(s.next_deadline(at(180)), Some(at(600)), "the minimum");
    s.apply(Event::Wake, at(600)).unwrap();
    assert_eq!(s.next_deadline(at(600)), Some(at(900)), "the end");
    s.apply(Event::Pause, at(700)).unwrap();
    assert_eq!(s.next_deadline(at(700)), None, "paused");
}

#[test]
fn next_deadline_points_at_a_mark_that_is_already_overdue() {
    // The shell asks with its own clock, which may have passed a mark it has not yet applied:
    // the answer is that overdue mark (wake now), not the one after it.
    let mut s = at_ice_bath();
    s.apply(Event::Start, at(0)).unwrap();
    assert_eq!(s.next_deadline(at(181)), Some(at(180)));
}

// --- the clock --------------------------------------------------------------------------------

#[test]
fn a_clock_set_back_never_gives_time_back() {
    let mut s = at_ice_bath();
    s.apply(Event::Start, at(0)).unwrap();
    s.apply(Event::Wake, at(200)).unwrap();
    assert_eq!(left(&s, at(200)), secs(700));
    // The clock goes back 100 s.
    assert_eq!(s.apply(Event::Wake, at(100)).unwrap(), []);
    assert_eq!(left(&s, at(100)), secs(700));
    assert_eq!(
        left(&s, at(150)),
        secs(700),
        "frozen until the clock catches up"
    );
    assert_eq!(left(&s, at(250)), secs(650));
    // Pausing at the set-back time keeps what was reached.
    s.apply(Event::Pause, at(120)).unwrap();
    assert_eq!(s.run().unwrap().phase, Phase::Paused { left: secs(700) });
    s.apply(Event::Resume, at(130)).unwrap();
    assert_eq!(s.next_deadline(at(130)), Some(at(130 + 400)), "the minimum");
}

#[test]
fn a_clock_set_back_does_not_refire_cues() {
    let mut s = at_ice_bath();
    s.apply(Event::Start, at(0)).unwrap();
    let mut cues = count_cues(&s.apply(Event::Wake, at(200)).unwrap());
    for t in [10, 150, 190, 250] {
        cues += count_cues(&s.apply(Event::Wake, at(t)).unwrap());
    }
    assert_eq!(cues, 1);
}

#[test]
fn a_clock_jump_forward_finishes_the_timer() {
    let mut s = at_stretch();
    s.apply(Event::Start, at(0)).unwrap();
    let far = t0() + TimeDelta::days(3650);
    let facts = s.apply(Event::Wake, far).unwrap();
    assert!(facts.contains(&Fact::TimerFinished { step: STRETCH }));
    assert_eq!(s.active(), Some(CREAM));
    assert_eq!(s.next_deadline(far), None);
}

#[test]
fn a_refused_event_leaves_no_trace_even_of_time() {
    // A refused event is not logged, so it must not move the clock's high-water mark either,
    // or replaying the log would give a different session after a clock set back.
    let mut s = at_ice_bath();
    s.apply(Event::Start, at(0)).unwrap();
    let before = s.clone();
    assert_eq!(s.apply(Event::Resume, at(150)), Err(Refusal::NotPaused));
    assert_eq!(s, before);
    s.apply(Event::Wake, at(100)).unwrap();
    assert_eq!(left(&s, at(100)), secs(800));
}

// --- events aimed at a step that has just ended -----------------------------------------------

#[test]
fn enter_after_a_timer_ran_out_unseen_does_not_complete_the_next_step() {
    // The laptop slept through the end of the bath; on waking the runner presses Enter to end
    // the bath. The bath is done by itself; the Enter must not also tick off the next step.
    let mut s = session(BATH);
    s.apply(Event::Start, at(0)).unwrap();
    let facts = s.apply(Event::Complete, at(400)).unwrap();
    assert_eq!(
        facts,
        [
            Fact::TimerFinished { step: 0 },
            Fact::StepDone { step: 0 },
            Fact::StepActive { step: 1 }
        ]
    );
    assert_eq!(s.active(), Some(1));
    assert_eq!(s.states()[1], StepState::Active);
}

#[test]
fn skip_after_a_timer_ran_out_unseen_does_not_skip_the_next_step() {
    let mut s = at_ice_bath();
    s.apply(Event::Start, at(0)).unwrap();
    s.apply(Event::Skip { confirmed: true }, at(1000)).unwrap();
    assert_eq!(s.states()[ICE], StepState::Done);
    assert_eq!(s.active(), Some(STRETCH));
}

#[test]
fn a_refused_event_after_due_marks_still_reports_them() {
    let mut s = at_ice_bath();
    s.apply(Event::Start, at(0)).unwrap();
    // Too early for Complete, but the cue fell due: the cue is reported, nothing else changes.
    let facts = s.apply(Event::Complete, at(200)).unwrap();
    assert_eq!(
        facts,
        [Fact::Cue {
            step: ICE,
            text: "The worst is over.".into()
        }]
    );
    assert_eq!(s.active(), Some(ICE));
}

#[test]
fn times_at_the_ends_of_the_calendar_do_not_panic() {
    // Timestamps come back from logs; arithmetic on them saturates rather than overflows.
    let end = chrono::DateTime::<Utc>::MAX_UTC;
    let mut s = session(BATH);
    s.apply(Event::Start, end - TimeDelta::seconds(10)).unwrap();
    s.apply(Event::Extend, end).unwrap();
    let _ = s.next_deadline(end);
    let mut s = session(BATH);
    let start = chrono::DateTime::<Utc>::MIN_UTC;
    s.apply(Event::Start, start).unwrap();
    s.apply(Event::Wake, start).unwrap();
    assert!(s.next_deadline(start).is_some());
    s.apply(Event::Wake, end).unwrap();
    assert_eq!(s.active(), Some(1));
}

#[test]
fn shorten_then_extend_does_not_lower_the_minimum() {
    let mut s = at_ice_bath();
    s.apply(Event::Start, at(0)).unwrap();
    // 15m down to 9m30s: below the 10m minimum, so the minimum now falls at the end.
    for _ in 0..11 {
        s.apply(Event::Shorten, at(60)).unwrap();
    }
    assert_eq!(s.next_deadline(at(60)), Some(at(180)), "the cue");
    // Back up to 11m: the minimum is 10m again, not the 9m30s it was cut to.
    for _ in 0..3 {
        s.apply(Event::Extend, at(60)).unwrap();
    }
    s.apply(Event::Wake, at(580)).unwrap();
    assert_eq!(
        s.apply(Event::Complete, at(580)),
        Err(Refusal::TooEarly {
            what: "Ice bath".into(),
            left: secs(20)
        })
    );
    assert_eq!(
        s.apply(Event::Wake, at(600)).unwrap(),
        [Fact::MinimumReached { step: ICE }]
    );
}

// --- a timer's top --------------------------------------------------------------------------

/// A cold bath whose 15 minutes are a limit for the body.
const COLD: &str = r#"
name = "Cold"
summary = "A hard top."

[[steps]]
id = "ice-bath"
title = "Ice bath"
do = "Sit in cold water."
[steps.timer]
length = "10m-15m"
hard_max = true

[[steps]]
id = "rest"
title = "Rest"
do = "Lie down."
"#;

#[test]
fn more_time_past_a_ranged_timers_top_needs_confirming() {
    let mut s = at_ice_bath();
    s.apply(Event::Start, at(0)).unwrap();
    let before = s.clone();
    assert_eq!(
        s.apply(Event::Extend, at(60)),
        Err(Refusal::PastTop {
            title: "Ice bath".into(),
            top: secs(900)
        })
    );
    assert_eq!(s, before, "a refusal changes nothing");
    assert_eq!(
        s.apply(Event::ExtendPastTop, at(60)).unwrap(),
        [Fact::Nudged {
            step: 1,
            longer: true
        }]
    );
    assert_eq!(s.run().unwrap().total(), secs(930));
    // Once past the top, each further 30 s asks again.
    assert!(matches!(
        s.apply(Event::Extend, at(61)),
        Err(Refusal::PastTop { .. })
    ));
}

#[test]
fn a_fixed_timer_without_a_hard_top_extends_freely() {
    let mut s = session(BATH);
    s.apply(Event::Start, at(0)).unwrap();
    for i in 0..3 {
        s.apply(Event::Extend, at(10 + i)).unwrap();
    }
    assert_eq!(s.run().unwrap().total(), secs(390));
}

#[test]
fn shortening_then_extending_within_the_range_needs_no_confirming() {
    let mut s = at_ice_bath();
    s.apply(Event::Start, at(0)).unwrap();
    s.apply(Event::Shorten, at(10)).unwrap();
    s.apply(Event::Extend, at(11)).unwrap();
    assert_eq!(s.run().unwrap().total(), secs(900));
}

#[test]
fn a_hard_top_says_time_to_get_out_as_the_timer_ends() {
    let mut s = session(COLD);
    s.apply(Event::Start, at(0)).unwrap();
    assert_eq!(s.next_deadline(at(0)), Some(at(600)), "the minimum first");
    s.apply(Event::Wake, at(600)).unwrap();
    assert_eq!(s.next_deadline(at(600)), Some(at(900)));
    let facts = s.apply(Event::Wake, at(900)).unwrap();
    assert_eq!(
        facts[..2],
        [
            Fact::TopReached { step: 0 },
            Fact::TimerFinished { step: 0 }
        ]
    );
}

#[test]
fn a_hard_top_still_calls_time_after_the_runner_chose_to_stay() {
    let mut s = session(COLD);
    s.apply(Event::Start, at(0)).unwrap();
    s.apply(Event::ExtendPastTop, at(100)).unwrap();
    s.apply(Event::Wake, at(600)).unwrap(); // the minimum
    assert_eq!(
        s.next_deadline(at(600)),
        Some(at(900)),
        "the top comes first"
    );
    assert_eq!(
        s.apply(Event::Wake, at(900)).unwrap(),
        [Fact::TopReached { step: 0 }]
    );
    assert_eq!(s.next_deadline(at(900)), Some(at(930)));
    let facts = s.apply(Event::Wake, at(930)).unwrap();
    assert_eq!(facts[0], Fact::TimerFinished { step: 0 });
}

#[test]
fn a_late_wake_past_a_hard_top_says_it_once_in_order() {
    let mut s = session(COLD);
    s.apply(Event::Start, at(0)).unwrap();
    s.apply(Event::ExtendPastTop, at(1)).unwrap();
    let facts = s.apply(Event::Wake, at(5000)).unwrap();
    let tops = facts
        .iter()
        .filter(|f| matches!(f, Fact::TopReached { .. }))
        .count();
    assert_eq!(tops, 1, "{facts:?}");
    let top = facts
        .iter()
        .position(|f| *f == Fact::TopReached { step: 0 });
    let end = facts
        .iter()
        .position(|f| *f == Fact::TimerFinished { step: 0 });
    assert!(top < end, "{facts:?}");
    assert_eq!(s.active(), Some(1));
}

// --- holds at parity with timers (issue 15) ---------------------------------------------------

#[test]
fn a_ranged_holds_minimum_is_said_as_a_timers_is() {
    let mut s = session(RANGED_HOLDS);
    s.apply(Event::Start, at(0)).unwrap();
    s.apply(Event::Wake, at(5)).unwrap(); // the left side begins
    assert_eq!(s.next_deadline(at(5)), Some(at(25)), "its 20 s minimum");
    assert_eq!(
        s.apply(Event::Wake, at(25)).unwrap(),
        [Fact::HoldMinimum {
            step: 0,
            hold: 0,
            side: Some(0)
        }]
    );
    assert_eq!(s.next_deadline(at(25)), Some(at(35)), "then the switch");
}

#[test]
fn a_fixed_hold_has_no_minimum_to_say() {
    let mut s = at_stretch();
    s.apply(Event::Start, at(0)).unwrap();
    let facts = s.apply(Event::Wake, at(500)).unwrap();
    assert!(
        !facts.iter().any(|f| matches!(f, Fact::HoldMinimum { .. })),
        "{facts:?}"
    );
}

#[test]
fn more_time_past_a_ranged_holds_top_is_asked_for_first() {
    let mut s = session(RANGED_HOLDS);
    s.apply(Event::Start, at(0)).unwrap();
    assert_eq!(s.may_extend(at(2)), Ok(()), "a gap has no top");
    s.apply(Event::Wake, at(5)).unwrap();
    assert_eq!(
        s.may_extend(at(10)),
        Err(Refusal::PastTop {
            title: "Hamstrings, left".into(),
            top: secs(30)
        })
    );
    // The event itself applies as it did before holds had tops: old logs replay the same.
    assert_eq!(
        s.apply(Event::Extend, at(10)).unwrap(),
        [Fact::Nudged {
            step: 0,
            longer: true
        }]
    );
}

#[test]
fn taking_30s_off_never_ends_the_piece_under_way() {
    let mut s = session(RANGED_HOLDS);
    s.apply(Event::Start, at(0)).unwrap();
    s.apply(Event::Wake, at(5)).unwrap();
    // 30 s hold, 29 s left: taking 30 s off would end it and start the right side.
    assert_eq!(
        s.may_shorten(at(6)),
        Err(Refusal::NothingToTakeOff {
            what: "Hamstrings, left".into(),
            left: secs(29)
        })
    );
    s.apply(Event::ExtendPastTop, at(6)).unwrap();
    assert_eq!(s.may_shorten(at(6)), Ok(()), "59 s left: 30 s can go");
    let mut ice = at_ice_bath();
    assert_eq!(
        ice.may_shorten(at(0)),
        Ok(()),
        "not started: the event says so"
    );
    ice.apply(Event::Start, at(0)).unwrap();
    assert!(
        ice.may_shorten(at(880)).is_err(),
        "20 s left of the ice bath"
    );
}

#[test]
fn skipping_a_hold_goes_on_to_the_next_side_and_says_nothing_more_of_it() {
    let mut s = session(RANGED_HOLDS);
    s.apply(Event::Start, at(0)).unwrap();
    s.apply(Event::Wake, at(5)).unwrap();
    assert_eq!(
        s.apply(Event::SkipHold, at(10)).unwrap(),
        [
            Fact::HoldSkipped {
                step: 0,
                hold: 0,
                side: Some(0)
            },
            Fact::GetReady {
                step: 0,
                hold: 0,
                side: Some(1),
                switch: true
            }
        ]
    );
    // The right side's gap, its hold, its minimum: nothing of the left is said again.
    assert_eq!(s.next_deadline(at(10)), Some(at(15)));
    let facts = s.apply(Event::Wake, at(35)).unwrap();
    assert_eq!(
        facts,
        [
            Fact::HoldStarted {
                step: 0,
                hold: 0,
                side: Some(1)
            },
            Fact::HoldMinimum {
                step: 0,
                hold: 0,
                side: Some(1)
            }
        ]
    );
    assert_eq!(left(&s, at(35)), secs(10));
}

#[test]
fn skipping_in_a_gap_skips_the_hold_it_gets_ready_for() {
    let mut s = session(RANGED_HOLDS);
    s.apply(Event::Start, at(0)).unwrap();
    let facts = s.apply(Event::SkipHold, at(2)).unwrap();
    assert_eq!(
        facts[0],
        Fact::HoldSkipped {
            step: 0,
            hold: 0,
            side: Some(0)
        }
    );
    assert_eq!(
        facts[1],
        Fact::GetReady {
            step: 0,
            hold: 0,
            side: Some(1),
            switch: true
        }
    );
    assert!(
        !facts.iter().any(|f| matches!(f, Fact::HoldStarted { .. })),
        "the left side never starts: {facts:?}"
    );
    assert_eq!(left(&s, at(2)), secs(35), "the right side's gap and hold");
}

#[test]
fn skipping_the_last_hold_ends_the_step_as_its_timer_would() {
    let mut s = session(RANGED_HOLDS);
    s.apply(Event::Start, at(0)).unwrap();
    s.apply(Event::SkipHold, at(1)).unwrap();
    let facts = s.apply(Event::SkipHold, at(2)).unwrap();
    assert!(
        facts.contains(&Fact::TimerFinished { step: 0 }),
        "{facts:?}"
    );
    assert_eq!(s.active(), Some(1));
    assert_eq!(s.states()[0], StepState::Done);
}

#[test]
fn skipping_a_hold_is_refused_where_there_is_none() {
    let mut ice = at_ice_bath();
    assert_eq!(ice.apply(Event::SkipHold, at(0)), Err(Refusal::NotStarted));
    ice.apply(Event::Start, at(0)).unwrap();
    assert_eq!(
        ice.apply(Event::SkipHold, at(5)),
        Err(Refusal::NoHolds("Ice bath".into()))
    );
    let mut tick = session(ROUTINE);
    assert_eq!(
        tick.apply(Event::SkipHold, at(0)),
        Err(Refusal::NoTimer("Hydrate".into()))
    );
}

#[test]
fn a_skipped_hold_while_paused_stays_paused_at_the_next_gap() {
    let mut s = session(RANGED_HOLDS);
    s.apply(Event::Start, at(0)).unwrap();
    s.apply(Event::Wake, at(5)).unwrap();
    s.apply(Event::Pause, at(8)).unwrap();
    s.apply(Event::SkipHold, at(50)).unwrap();
    assert!(matches!(s.run().unwrap().phase, Phase::Paused { .. }));
    assert_eq!(left(&s, at(500)), secs(35));
    assert_eq!(s.run().unwrap().piece_left(at(500)), secs(5));
}

// --- daily steps done again (issue 15) --------------------------------------------------------

#[test]
fn a_daily_step_may_be_done_again_up_to_its_limit_each_use_kept() {
    let mut s = session(ROUTINE);
    s.apply(Event::Complete, at(0)).unwrap(); // hydrate
    s.apply(Event::Select { step: CREAM }, at(0)).unwrap();
    s.apply(Event::Complete, at(10)).unwrap();
    assert_eq!(s.states()[CREAM], StepState::Done);
    // Taken up again: current, and done a second time.
    s.apply(Event::Select { step: CREAM }, at(20)).unwrap();
    assert_eq!(s.active(), Some(CREAM));
    let facts = s.apply(Event::Complete, at(30)).unwrap();
    assert_eq!(facts[0], Fact::StepDone { step: CREAM });
    assert_eq!(s.uses()[CREAM], [at(10), at(30)]);
    assert_eq!(s.done_count(), 2, "hydrate, and the cream done twice");
    // With today's four used, a fifth is refused before it starts.
    s.used_today.insert("cream".into(), 4);
    assert_eq!(
        s.apply(Event::Select { step: CREAM }, at(40)),
        Err(Refusal::DailyLimit {
            title: "Muscle cream".into(),
            limit: 4
        })
    );
    // A step without a limit is still done once.
    assert_eq!(
        s.apply(Event::Select { step: HYDRATE }, at(50)),
        Err(Refusal::AlreadyDone("Hydrate".into()))
    );
}

#[test]
fn leaving_or_skipping_a_daily_step_taken_up_again_leaves_it_done() {
    let mut s = session(ROUTINE);
    s.apply(Event::Select { step: CREAM }, at(0)).unwrap();
    s.apply(Event::Complete, at(1)).unwrap();
    s.apply(Event::Select { step: CREAM }, at(2)).unwrap();
    s.apply(Event::Select { step: ICE }, at(3)).unwrap();
    assert_eq!(s.states()[CREAM], StepState::Done, "left for another step");
    s.apply(Event::Select { step: CREAM }, at(4)).unwrap();
    s.apply(Event::Skip { confirmed: false }, at(5)).unwrap();
    assert_eq!(s.states()[CREAM], StepState::Done, "this use skipped");
    assert_eq!(s.uses()[CREAM].len(), 1);
}

#[test]
fn undo_of_a_second_use_takes_only_that_use_back() {
    let mut s = session(ROUTINE);
    s.apply(Event::Select { step: CREAM }, at(0)).unwrap();
    s.apply(Event::Complete, at(1)).unwrap();
    s.apply(Event::Select { step: CREAM }, at(2)).unwrap();
    s.apply(Event::Complete, at(3)).unwrap();
    s.apply(Event::Undo, at(4)).unwrap();
    assert_eq!(s.uses()[CREAM], [at(1)]);
    assert_eq!(s.active(), Some(CREAM), "the second use is under way again");
}

//! Property tests of the session state machine: random events at random times, mostly moving
//! forward and sometimes back (a clock set back), checked against the invariants the shells rely
//! on after every single event, and replayed to check that a log rebuilds the same session.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use chrono::{TimeDelta, TimeZone, Utc};
use postrun::core::protocol::parse;
use postrun::core::session::{Event, Fact, Session, StepState, Timestamp};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

/// A tick step, an optional ranged timer with cues, a two-sided ranged hold and a plain hold,
/// and an optional daily-limited tick step. Short times, so random events cross every mark.
const ROUTINE: &str = r#"
name = "Mixed"
summary = "Every kind of step, briefly."

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
length = "1m-2m"
cues = [{ at = "20s", say = "Breathe." }, { at = "1m30s", say = "Nearly there." }]
hard_max = true

[[steps]]
id = "stretch"
title = "Stretch"
do = "Hold each stretch."
gap = "5s"
[[steps.holds]]
name = "Quadriceps"
time = "10s-20s"
sides = ["left leg", "right leg"]
[[steps.holds]]
name = "Calves"
time = "15s"

[[steps]]
id = "cream"
title = "Muscle cream"
do = "Rub it in."
optional = true
daily_limit = 2
"#;

const STEPS: usize = 4;

fn t0() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 5, 1, 9, 40, 0).unwrap()
}

fn fresh(used_cream: Option<u32>) -> Session {
    let protocol = parse("mixed.toml", "mixed", ROUTINE).unwrap();
    let mut s = Session::new(protocol, t0(), t0() + TimeDelta::hours(13));
    if let Some(n) = used_cream {
        s.used_today.insert("cream".into(), n);
    }
    s
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        6 => Just(Event::Wake),
        4 => Just(Event::Start),
        2 => Just(Event::Pause),
        2 => Just(Event::Resume),
        1 => Just(Event::Extend),
        1 => Just(Event::ExtendPastTop),
        1 => Just(Event::Shorten),
        4 => Just(Event::Complete),
        2 => any::<bool>().prop_map(|confirmed| Event::Skip { confirmed }),
        2 => (0..STEPS + 1).prop_map(|step| Event::Select { step }),
        2 => Just(Event::Undo),
    ]
}

/// Milliseconds to move the clock by: mostly a little forward, sometimes a lot, sometimes back.
fn step_ms() -> impl Strategy<Value = i64> {
    prop_oneof![
        8 => 0..30_000i64,
        2 => 30_000..200_000i64,
        1 => -120_000..0i64,
    ]
}

/// What the invariants compare from one event to the next.
struct Seen {
    active: Option<usize>,
    left: Option<Duration>,
    position: Option<Duration>,
}

fn seen(s: &Session, now: Timestamp) -> Seen {
    Seen {
        active: s.active(),
        left: s.run().map(|r| r.left(now)),
        position: s.run().map(|r| r.position(now)),
    }
}

fn check_shape(s: &Session, now: Timestamp) -> Result<(), TestCaseError> {
    let states = s.states();
    prop_assert_eq!(states.len(), s.protocol.steps.len());
    let active = states.iter().filter(|x| **x == StepState::Active).count();
    prop_assert!(active <= 1, "{states:?}");
    if s.is_complete() {
        prop_assert_eq!(active, 0);
        prop_assert!(s.run().is_none());
    } else {
        prop_assert_eq!(active, 1, "{:?}", states);
        let step = s.active_step().unwrap();
        prop_assert_eq!(
            s.run().is_some(),
            postrun::core::session::is_timed(step),
            "a timed step has a timer, a tick step none"
        );
    }
    if let Some(run) = s.run() {
        prop_assert!(run.position(now) <= run.total());
        prop_assert_eq!(run.left(now) + run.position(now), run.total());
        prop_assert!(run.piece_left(now) <= run.left(now));
    }
    if let Some(deadline) = s.next_deadline(now) {
        // Right after an event every due mark has fired, so the next one lies ahead: a shell
        // sleeping until it never spins.
        prop_assert!(deadline > now, "deadline {deadline} not after {now}");
    }
    Ok(())
}

proptest! {
    // Failures are kept beside this file, in `session_props.proptest-regressions`: proptest's default
    // would look for them in `tests/proptest-regressions/`, as `main.rs` is beside this file.
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_events_keep_the_invariants_and_replay_the_same(
        script in prop::collection::vec((event(), step_ms()), 1..80),
        used_cream in prop_oneof![Just(None), (0u32..3).prop_map(Some)],
    ) {
        let mut s = fresh(used_cream);
        let mut now = t0();
        let mut accepted: Vec<(Event, Timestamp, Vec<Fact>)> = Vec::new();
        check_shape(&s, now)?;
        for (event, ms) in script {
            now += TimeDelta::milliseconds(ms);
            let before = seen(&s, now);
            let snapshot = s.clone();
            let was_complete = s.is_complete();
            let due = s.due(now);
            match s.apply(event.clone(), now) {
                Ok(facts) => {
                    if event == Event::Wake {
                        // The store writes no line and keeps no copy for a Wake that is not
                        // due: `due` must know exactly when a Wake has something to say.
                        prop_assert_eq!(due, !facts.is_empty(), "due {} at {}: {:?}", due, now, facts);
                    }
                    let all_done = facts.iter().filter(|f| **f == Fact::AllDone).count();
                    if event == Event::Undo {
                        // Time may finish the routine just before an Undo reopens it.
                        prop_assert!(all_done <= 1);
                    } else {
                        prop_assert_eq!(all_done, usize::from(!was_complete && s.is_complete()));
                    }
                    if all_done == 1 && event != Event::Undo {
                        prop_assert_eq!(facts.last(), Some(&Fact::AllDone));
                    }
                    accepted.push((event.clone(), now, facts));
                }
                Err(_) => {
                    prop_assert_eq!(&s, &snapshot, "a refused {:?} changed the session", event);
                }
            }
            check_shape(&s, now)?;

            // Time left and position, on the same step's timer, move only one way.
            let after = seen(&s, now);
            let same_timer = before.active == after.active && event != Event::Undo;
                        if let (true, Some(was), Some(is)) = (same_timer, before.left, after.left)
                && event != Event::Extend
                && event != Event::ExtendPastTop
            {
                prop_assert!(is <= was, "{:?} at {}: left grew from {:?} to {:?}", event, now, was, is);
            }
            if let (true, Some(was), Some(is)) = (same_timer, before.position, after.position) {
                prop_assert!(is >= was, "{:?} at {}: position went back from {:?} to {:?}", event, now, was, is);
            }
        }

        // Replaying the accepted events rebuilds the same session and the same facts.
        let mut replay = fresh(used_cream);
        for (event, at, facts) in &accepted {
            let again = replay.apply(event.clone(), *at);
            prop_assert_eq!(again.as_ref(), Ok(facts), "{:?} at {}", event, at);
        }
        prop_assert_eq!(&replay, &s);
    }

    #[test]
    fn cues_and_the_top_fire_at_most_once_per_timer_without_undo(
        script in prop::collection::vec((event(), step_ms()), 1..80),
    ) {
        let mut s = fresh(None);
        let mut now = t0();
        let mut heard: Vec<String> = Vec::new();
        for (event, ms) in script {
            if event == Event::Undo {
                continue;
            }
            now += TimeDelta::milliseconds(ms);
            let active = s.active();
            let Ok(facts) = s.apply(event, now) else { continue };
            for fact in &facts {
                match fact {
                    Fact::Cue { text, .. } => {
                        prop_assert!(!heard.contains(text), "{text:?} twice");
                        heard.push(text.clone());
                    }
                    // "Time to get out" is said once per timer too.
                    Fact::TopReached { .. } => {
                        let top = "<top>".to_string();
                        prop_assert!(!heard.contains(&top), "the top twice");
                        heard.push(top);
                    }
                    // A new timer for the step: its cues may come again.
                    Fact::StepActive { .. } => heard.clear(),
                    _ => {}
                }
            }
            if s.active() != active && !facts.iter().any(|f| matches!(f, Fact::StepActive { .. })) {
                heard.clear();
            }
        }
    }
}

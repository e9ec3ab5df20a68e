//! The shell leaves the guide asleep until [`Guide::quiet_until`]: a wake before it would
//! find nothing due. A guide woken only from then on must do, record and say exactly what one
//! woken at every moment does, whatever the runner presses in between.
#![allow(clippy::unwrap_used)]

use chrono::{FixedOffset, TimeDelta, TimeZone, Utc};
use postrun::core::clock::Zone;
use postrun::core::guide::{Guide, Intent, Said};
use postrun::core::protocol::parse;
use postrun::core::session::{Event, Session, Timestamp};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

/// A tick step, a timer with cues, holds with a gap, and two steps whose windows open later.
const DAY: &str = r#"
name = "Quiet"
summary = "Every kind of deadline, briefly."

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
length = "1m-2m"
cues = [{ at = "20s", say = "A third." }, { at = "50s", say = "Nearly." }]

[[steps]]
id = "stretch"
title = "Stretch"
do = "Hold each."
gap = "5s"
[[steps.holds]]
name = "Quadriceps"
time = "10s-20s"
sides = ["left leg", "right leg"]

[[steps]]
id = "snack"
title = "Snack"
do = "Eat a little."
window = { from = "4m", to = "10m" }

[[steps]]
id = "meal"
title = "Meal"
do = "Eat."
window = { from = "9m", to = "20m" }
"#;

fn t0() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 5, 1, 9, 40, 0).unwrap()
}

fn fresh() -> Guide {
    let protocol = parse("quiet.toml", "quiet", DAY).unwrap();
    let zone = Zone::Fixed(FixedOffset::east_opt(0).unwrap());
    let mut g = Guide::new(
        Session::new(protocol, t0(), t0() + TimeDelta::hours(13)),
        zone,
    );
    let first = g.wake(t0());
    let _ = g.commit(first);
    g
}

/// What a guide did: its records and what it said, in order.
#[derive(Debug, Default, PartialEq)]
struct Trace {
    record: Vec<(Timestamp, Event)>,
    said: Vec<Said>,
    bells: u32,
}

impl Trace {
    fn wake(&mut self, g: &mut Guide, now: Timestamp) -> bool {
        let change = g.wake(now);
        let quiet = change.record.is_empty() && change.told.is_empty();
        self.record.extend(change.record.iter().cloned());
        let told = g.commit(change);
        self.said.extend(told.said);
        self.bells += told.bells;
        quiet
    }

    fn press(&mut self, g: &mut Guide, intent: Intent, now: Timestamp) {
        let change = g.handle(intent, now);
        self.record.extend(change.record.iter().cloned());
        let told = g.commit(change);
        self.said.extend(told.said);
        self.bells += told.bells;
    }
}

fn intent() -> impl Strategy<Value = Option<Intent>> {
    prop_oneof![
        8 => Just(None),
        4 => Just(Some(Intent::Go)),
        2 => Just(Some(Intent::PauseResume)),
        1 => Just(Some(Intent::Skip)),
        1 => Just(Some(Intent::SkipHold)),
        2 => Just(Some(Intent::Yes)),
        1 => Just(Some(Intent::Back)),
        1 => Just(Some(Intent::Undo)),
        1 => Just(Some(Intent::More)),
        1 => Just(Some(Intent::Less)),
    ]
}

/// Milliseconds from one moment to the next: mostly within a second, sometimes minutes.
fn step_ms() -> impl Strategy<Value = i64> {
    prop_oneof![
        8 => 0..1_500i64,
        2 => 1_500..40_000i64,
        1 => 40_000..400_000i64,
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 1024,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_guide_left_asleep_until_it_can_change_does_what_one_woken_always_does(
        script in prop::collection::vec((intent(), step_ms()), 1..120),
    ) {
        let (mut always, mut lazy) = (fresh(), fresh());
        let (mut a, mut b) = (Trace::default(), Trace::default());
        let mut now = t0();
        for (intent, ms) in script {
            now += TimeDelta::milliseconds(ms);
            match intent {
                None => {
                    let skipped = lazy.quiet_until().is_none_or(|t| now < t);
                    let version = always.version();
                    let quiet = a.wake(&mut always, now);
                    if skipped {
                        prop_assert!(quiet, "quiet until {:?}, but a wake at {} did something", lazy.quiet_until(), now);
                        // Only the high-water mark moved: what the front end worked out holds.
                        prop_assert_eq!(version, always.version());
                    } else {
                        b.wake(&mut lazy, now);
                    }
                }
                Some(intent) => {
                    a.press(&mut always, intent, now);
                    b.press(&mut lazy, intent, now);
                }
            }
            prop_assert_eq!(&a, &b, "at {}", now);
            prop_assert_eq!(always.session().states(), lazy.session().states());
            prop_assert_eq!(always.running_left(now), lazy.running_left(now));
            // And what the screen shows of the guide.
            prop_assert_eq!(always.note(now), lazy.note(now));
            prop_assert_eq!(always.aside(now), lazy.aside(now));
            prop_assert_eq!(always.overlay, lazy.overlay);
            prop_assert_eq!(always.flash_until, lazy.flash_until);
            prop_assert_eq!(always.cursor, lazy.cursor);
        }
    }
}

#[test]
fn a_running_timer_is_quiet_until_its_cue_and_a_window_until_it_opens() {
    let mut g = fresh();
    let mut t = Trace::default();
    t.press(&mut g, Intent::Go, t0() + TimeDelta::seconds(1)); // drink done, the soak is next
    t.press(&mut g, Intent::Go, t0() + TimeDelta::seconds(2)); // the soak starts
    assert_eq!(
        g.quiet_until(),
        Some(t0() + TimeDelta::seconds(22)),
        "the 20 s cue"
    );
    for s in 3..22 {
        assert!(
            t.wake(&mut g, t0() + TimeDelta::seconds(s)),
            "quiet at {s} s"
        );
    }
    assert!(!t.wake(&mut g, t0() + TimeDelta::seconds(22)), "the cue");
    assert_eq!(
        g.quiet_until(),
        Some(t0() + TimeDelta::seconds(52)),
        "the next cue"
    );
    t.press(&mut g, Intent::Skip, t0() + TimeDelta::seconds(30));
    t.press(&mut g, Intent::Skip, t0() + TimeDelta::seconds(31));
    t.press(&mut g, Intent::Skip, t0() + TimeDelta::seconds(32));
    // The soak and the stretch skipped, nothing runs: the snack's window, 4 minutes after the
    // run, is the next change.
    assert_eq!(g.session().active(), Some(3), "{:?}", g.session().states());
    assert_eq!(g.quiet_until(), Some(t0() + TimeDelta::minutes(4)));
}

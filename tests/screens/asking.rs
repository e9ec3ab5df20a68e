//! Steps that ask first or come back (issue 15): ticking off a step before its window opens
//! asks, and a step with a daily limit can be done again up to it, each use shown.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use postrun::core::guide::{Intent, Overlay};
use postrun::core::session::{Event, StepState};

use crate::fixture::{self, at};
use crate::tui_screens::{both_sizes, folded, screen};

/// 20:44, ten hours and 44 minutes after the run.
const EVENING: i64 = 10 * 3600 + 44 * 60;

#[test]
fn sleep_ticked_off_at_20_44_asks_before_ending_the_day() {
    let mut day = fixture::day();
    day.press(Intent::Pick(8), at(EVENING));
    assert_eq!(day.guide.session().active(), Some(8));
    day.press(Intent::Go, at(EVENING + 1));
    assert!(matches!(
        day.guide.overlay,
        Some(Overlay::ConfirmEarly { step: 8, .. })
    ));
    assert_eq!(day.guide.session().states()[8], StepState::Active);
    // The question, wrapped in its window over the list.
    let text = folded(&screen(&day.guide, at(EVENING + 1), 80, 24), 0);
    assert!(
        text.contains("Sleep opens at 22:30. Mark it done now"),
        "{text}"
    );
    both_sizes("confirm_early_sleep", &day.guide, at(EVENING + 1));
    day.press(Intent::Back, at(EVENING + 2));
    assert_eq!(day.guide.session().states()[8], StepState::Active);
    day.press_all(&[Intent::Go, Intent::Yes], at(EVENING + 3));
    assert_eq!(day.guide.session().states()[8], StepState::Done);
    assert_eq!(day.log.last(), Some(&(at(EVENING + 3), Event::Complete)));
}

#[test]
fn the_muscle_cream_is_done_again_and_the_list_counts_each_use() {
    let mut opening = fixture::opening();
    opening.protocol = postrun::core::protocol::builtin("soothe-sore-muscles")
        .unwrap()
        .parse()
        .unwrap();
    let mut day = fixture::Day {
        log: Vec::new(),
        guide: postrun::core::guide::Guide::new(postrun::store::begin(&opening), fixture::utc()),
    };
    // The cream is step 3: pick it, tick it off, take it up again, tick it off again.
    for k in 0..2 {
        day.press(Intent::Pick(2), at(60 + k));
        day.press(Intent::Go, at(60 + k));
    }
    assert_eq!(day.guide.session().uses()[2].len(), 2);
    let text = folded(&screen(&day.guide, at(70), 80, 24), 0);
    assert!(text.contains("Muscle cream done ×2"), "{text}");
}

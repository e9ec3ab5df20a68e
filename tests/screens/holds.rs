//! Holds at parity with timers (issue 15): a cue at a ranged hold's minimum, `+` past a hold's
//! top asks, `+`/`-` never spill into the next hold, one line for the hold ahead with its
//! place, and a key to skip one hold or side. Driven through `Guide::handle` on a fake clock,
//! the default protocol's stretch: a 5 s gap before each hold and side; quadriceps 20-30 s a
//! leg, hip flexor 30-40 s a side, then IT band, hamstring, calf and the sore spots: 11 holds.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use postrun::core::guide::{Intent, Overlay, Said};
use postrun::core::session::{Event, Fact, Timestamp};

use crate::fixture::{self, Day, at};
use crate::tui_screens::{both_sizes, folded, screen};

type Memory = Day<Vec<(Timestamp, Event)>>;

/// Hydrate done and the stretch started at 10:10: the first gap runs to 605 s.
fn stretching() -> Memory {
    let mut day = fixture::day();
    day.press_all(&[Intent::Go, Intent::Go], at(600));
    day
}

/// The stretch's timeline from its start at 600 s: gap 600-605, quadriceps left 605-635, gap,
/// right 640-670, gap, hip flexor left 675-715 (minimum at 705).
const HIP_LEFT: i64 = 675;

#[test]
fn a_hold_three_holds_in_says_which_of_how_many_it_is() {
    let mut day = stretching();
    day.wake(at(HIP_LEFT + 15));
    let text = folded(&screen(&day.guide, at(HIP_LEFT + 15), 80, 24), 30);
    assert!(
        text.contains("Hip flexor, left side · hold 3 of 11"),
        "{text}"
    );
    both_sizes("stretch_hold_3_of_11", &day.guide, at(HIP_LEFT + 15));
}

#[test]
fn the_hold_ahead_is_one_line_not_two() {
    let day = stretching();
    let text = folded(&screen(&day.guide, at(601), 80, 24), 30);
    // 48 columns: the place goes on a line of its own.
    assert!(
        text.contains("Get into position: Quadriceps, left leg hold 1 of 11"),
        "{text}"
    );
    assert!(!text.contains("Get ready"), "{text}");
    assert_eq!(
        text.matches("Quadriceps, left leg").count(),
        1,
        "said once: {text}"
    );
    assert_eq!(day.guide.note(at(601)), None);
}

#[test]
fn a_ranged_holds_minimum_rings_flashes_and_says_so() {
    let mut day = stretching();
    day.wake(at(HIP_LEFT + 1));
    let told = day.wake(at(HIP_LEFT + 30));
    assert_eq!(told.bells, 1);
    assert!(day.guide.flashing(at(HIP_LEFT + 30)));
    assert_eq!(
        day.guide.note(at(HIP_LEFT + 30)).as_deref(),
        Some("Hip flexor, left side: 30s held. Enter moves on, or hold on")
    );
    assert!(told.said.contains(&Said::Fact(Fact::HoldMinimum {
        step: 1,
        hold: 1,
        side: Some(0)
    })));
    both_sizes("stretch_hold_minimum", &day.guide, at(HIP_LEFT + 31));
    // Enter now moves on to the right side's gap.
    day.press(Intent::Go, at(HIP_LEFT + 32));
    let text = folded(&screen(&day.guide, at(HIP_LEFT + 33), 80, 24), 30);
    assert!(text.contains("Switch to the right side"), "{text}");
}

#[test]
fn more_time_past_a_holds_top_asks_and_the_question_goes_with_the_hold() {
    let mut day = stretching();
    day.wake(at(HIP_LEFT + 1));
    let told = day.press(Intent::More, at(HIP_LEFT + 10));
    assert!(
        matches!(day.guide.overlay, Some(Overlay::ConfirmExtend { .. })),
        "{told:?}"
    );
    assert!(day.log.iter().all(|(_, e)| *e != Event::Extend));
    both_sizes("confirm_extend_hold", &day.guide, at(HIP_LEFT + 10));
    let text = folded(&screen(&day.guide, at(HIP_LEFT + 10), 80, 24), 0);
    assert!(
        text.contains("Hip flexor, left side tops out at 40s"),
        "{text}"
    );
    // The hold ends with the question open: it closes, and a late y adds nothing to the next.
    day.wake(at(HIP_LEFT + 40));
    assert_eq!(day.guide.overlay, None);
    let before = day.log.len();
    day.press(Intent::Yes, at(HIP_LEFT + 41));
    assert_eq!(day.log.len(), before, "nothing recorded");
}

#[test]
fn a_yes_to_more_time_given_after_the_hold_ended_unseen_adds_nothing() {
    let mut day = stretching();
    day.wake(at(HIP_LEFT + 1));
    day.press(Intent::More, at(HIP_LEFT + 10));
    // No wake between: the hold ended at 715 while the question stood.
    day.press(Intent::Yes, at(HIP_LEFT + 42));
    assert!(
        day.log.iter().all(|(_, e)| *e != Event::ExtendPastTop),
        "{:?}",
        day.log
    );
    assert_eq!(day.guide.overlay, None);
}

#[test]
fn less_time_with_a_second_left_does_not_jump_to_the_next_hold() {
    let mut day = stretching();
    day.wake(at(606));
    let told = day.press(Intent::Less, at(634));
    assert_eq!(
        told.said,
        [Said::Refused(
            "Quadriceps, left leg has only 1s left; nothing to take off".into()
        )]
    );
    assert!(day.log.iter().all(|(_, e)| *e != Event::Shorten));
    assert_eq!(
        day.guide.session().run().unwrap().current(at(634)),
        postrun::core::session::Piece::Hold {
            hold: 0,
            side: Some(0)
        }
    );
}

#[test]
fn a_key_skips_one_hold_or_side_and_the_log_keeps_it() {
    let mut day = stretching();
    day.wake(at(606));
    let told = day.press(Intent::SkipHold, at(610));
    assert_eq!(day.log.last(), Some(&(at(610), Event::SkipHold)));
    assert_eq!(
        told.said[0],
        Said::Fact(Fact::HoldSkipped {
            step: 1,
            hold: 0,
            side: Some(0)
        })
    );
    let text = folded(&screen(&day.guide, at(611), 80, 24), 30);
    assert!(
        text.contains("Switch to the right leg · hold 2 of 11"),
        "{text}"
    );
    // The right leg's hold runs in full; the stretch goes on.
    assert_eq!(day.guide.session().active(), Some(1));
}

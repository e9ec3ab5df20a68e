//! Small screens and waiting (issue 15): at 40x12, where the list does not fit, the row
//! Up/Down picks shows on a line of its own; a step not yet open says when it opens ("in
//! 46m", "at 21:00") instead of "later".
#![allow(clippy::unwrap_used, clippy::expect_used)]

use postrun::core::guide::Intent;
use postrun::core::session::{Event, Timestamp};

use crate::fixture::{self, Day, at};
use crate::tui_screens::{both_sizes, folded, screen};

type Memory = Day<Vec<(Timestamp, Event)>>;

/// The screen's top row of the body (below the header) at 40x12.
fn picked_row(day: &Memory, now: Timestamp) -> String {
    let t = screen(&day.guide, now, 40, 12);
    let buf = t.backend().buffer();
    (0..40).map(|x| buf[(x, 1)].symbol().to_string()).collect()
}

#[test]
fn at_40x12_the_picked_step_is_shown_while_picking() {
    let mut day = fixture::day();
    let now = at(14 * 60); // 10:14
    assert!(
        !picked_row(&day, now).contains('▸'),
        "nothing picked: the step under way has the whole panel"
    );
    day.press_all(&[Intent::Down; 4], now);
    assert_eq!(
        picked_row(&day, now).trim_end(),
        "▸ 5/9 Balanced meal · in 46m"
    );
    both_sizes("picked_meal", &day.guide, now);
    day.press(Intent::Down, now);
    assert_eq!(picked_row(&day, now).trim_end(), "▸ 6/9 Feet up");
    day.press_all(&[Intent::Down, Intent::Down], now);
    assert_eq!(
        picked_row(&day, now).trim_end(),
        "▸ 8/9 Roll and stretch · at 21:30"
    );
    // Back on the step under way, the line goes.
    day.press_all(&[Intent::Up; 7], now);
    assert!(!picked_row(&day, now).contains('▸'));
}

#[test]
fn a_step_not_yet_open_says_when_it_opens() {
    let day = fixture::day();
    let text = folded(&screen(&day.guide, at(14 * 60), 80, 24), 0);
    assert!(text.contains("Balanced meal in 46m"), "{text}");
    assert!(text.contains("Epsom salt bath at 21:00"), "{text}");
    assert!(text.contains("Sleep at 22:30"), "{text}");
    assert!(!text.contains("later"), "{text}");
    // A minute on, the count has moved.
    let text = folded(&screen(&day.guide, at(15 * 60), 80, 24), 0);
    assert!(text.contains("Balanced meal in 45m"), "{text}");
}

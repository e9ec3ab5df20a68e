//! Every step's what-to-do, details and tips can be read when needed (issue 15): before a
//! timer starts where there is room, one key away (`i`) for any step picked in the list,
//! current or not, scrolled with Up/Down on a small screen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use postrun::core::guide::{Intent, Overlay};
use postrun::core::session::{Event, Timestamp};
use postrun::front::tui::view;
use ratatui::layout::Rect;

use crate::fixture::{self, Day, at};
use crate::tui_screens::{both_sizes, folded, screen};

type Memory = Day<Vec<(Timestamp, Event)>>;

/// The ice bath (step 4) made current at 10:30, its timer not started.
fn ice_bath_ready() -> Memory {
    let mut day = fixture::day();
    day.press_all(
        &[Intent::Down, Intent::Down, Intent::Down, Intent::Go],
        at(1800),
    );
    day
}

#[test]
fn the_ice_bath_before_its_timer_starts_shows_its_details() {
    let day = ice_bath_ready();
    let text = folded(&screen(&day.guide, at(1801), 80, 24), 30);
    assert!(
        text.contains("Without a thermometer, judge by the ice"),
        "{text}"
    );
    assert!(text.contains("15:00 in all · Enter starts"), "{text}");
    both_sizes("ice_bath_ready", &day.guide, at(1801));
}

#[test]
fn the_epsom_bath_before_its_timer_starts_shows_its_aftercare() {
    let mut day = fixture::day();
    day.press(intent_pick(6), at(11 * 3600));
    let text = folded(&screen(&day.guide, at(11 * 3600), 80, 24), 30);
    assert!(
        text.contains("Afterwards, dry off, roll your muscles on the foam roller again"),
        "{text}"
    );
}

fn intent_pick(row: usize) -> Intent {
    Intent::Pick(row)
}

#[test]
fn i_shows_the_details_of_a_step_picked_in_the_list_not_yet_current() {
    let mut day = fixture::day();
    day.press_all(
        &[Intent::Down, Intent::Down, Intent::Down, Intent::Details],
        at(60),
    );
    assert_eq!(
        day.guide.overlay,
        Some(Overlay::Details { step: 3, scroll: 0 })
    );
    assert_eq!(day.guide.session().active(), Some(0), "nothing changed");
    assert!(day.log.is_empty(), "nothing recorded");
    both_sizes("details_ice_bath", &day.guide, at(60));
    let text = folded(&screen(&day.guide, at(60), 80, 24), 0);
    assert!(text.contains("Ice bath: step 4 of 9, optional"), "{text}");
    assert!(text.contains("Without a thermometer"), "{text}");
    // Down scrolls the details, not the list; Esc closes them.
    day.press(Intent::Down, at(61));
    assert_eq!(
        day.guide.overlay,
        Some(Overlay::Details { step: 3, scroll: 1 })
    );
    assert_eq!(day.guide.cursor, 3);
    day.press(Intent::Back, at(62));
    assert_eq!(day.guide.overlay, None);
}

#[test]
fn the_details_of_the_running_stretch_are_one_key_away() {
    let mut day = fixture::day();
    day.press_all(&[Intent::Go, Intent::Go], at(600));
    day.press(Intent::Details, at(610));
    let text = folded(&screen(&day.guide, at(610), 80, 24), 0);
    assert!(
        text.contains("Stretch: step 2 of 9, required, current"),
        "{text}"
    );
    assert!(
        text.contains("Holds: 11, 5s to get into position"),
        "{text}"
    );
    // The timer runs on under it.
    day.press(Intent::Back, at(640));
    assert!(day.guide.running_left(at(640)).is_some());
}

#[test]
fn a_small_screen_scrolls_the_details_a_big_one_need_not() {
    let mut day = fixture::day();
    day.press_all(&[Intent::Down, Intent::Down, Intent::Down], at(60));
    let small = view::details_scroll_max(Rect::new(0, 0, 40, 12), &day.guide, 3, at(60));
    let big = view::details_scroll_max(Rect::new(0, 0, 200, 60), &day.guide, 3, at(60));
    assert!(small > 10, "{small}");
    assert_eq!(big, 0);
    // Scrolled to the end at 40x12, the last tip shows.
    day.press(Intent::Details, at(60));
    for _ in 0..small {
        day.press(Intent::Down, at(61));
    }
    let text = folded(&screen(&day.guide, at(61), 40, 12), 0);
    assert!(text.contains("It gets easier every time"), "{text}");
}

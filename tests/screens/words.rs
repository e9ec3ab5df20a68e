//! Words that stay true (issue 15): every note goes when its fact stops holding, a warning
//! never takes the place of a safety call, and the footer offers only the keys that act now.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::TimeDelta;
use postrun::core::guide::Intent;
use postrun::core::session::{Event, Timestamp};

use crate::fixture::{self, Day, at};
use crate::tui_screens::{both_sizes, folded, screen};

type Memory = Day<Vec<(Timestamp, Event)>>;

/// The ice bath (step 4) made current and started at 10:30: 10-15 minutes, a hard top.
fn ice_bath() -> Memory {
    let mut day = fixture::day();
    day.press_all(
        &[
            Intent::Down,
            Intent::Down,
            Intent::Down,
            Intent::Go,
            Intent::Go,
        ],
        at(1800),
    );
    day
}

/// The last row of the screen at 80x24.
fn footer(day: &Memory, now: Timestamp) -> String {
    let t = screen(&day.guide, now, 80, 24);
    let buf = t.backend().buffer();
    (0..80)
        .map(|x| buf[(x, 23)].symbol().to_string())
        .collect::<String>()
}

#[test]
fn time_to_go_counts_down_with_the_time_left_and_goes_at_the_minimum() {
    let mut day = fixture::day();
    day.press_all(&[Intent::Go, Intent::Go], at(600)); // the stretch: the left leg 605-635
    day.wake(at(605));
    day.press(Intent::Go, at(610)); // before the 20 s minimum
    let said = |now| day.guide.note(now);
    assert_eq!(
        said(at(610)).as_deref(),
        Some("Quadriceps, left leg can end in 15s")
    );
    // A second later the words have moved with the clock, not stayed behind it.
    assert_eq!(
        said(at(611)).as_deref(),
        Some("Quadriceps, left leg can end in 14s")
    );
    assert_eq!(
        said(at(624) + TimeDelta::milliseconds(1)).as_deref(),
        Some("Quadriceps, left leg can end in 1s")
    );
    assert_eq!(
        said(at(625)),
        None,
        "the minimum is reached: nothing to wait for"
    );
    let text = folded(&screen(&day.guide, at(611), 80, 24), 30);
    assert!(text.contains("can end in 14s"), "{text}");
}

#[test]
fn time_to_go_stands_still_while_paused() {
    let mut day = ice_bath();
    day.press(Intent::PauseResume, at(1860));
    day.press(Intent::Go, at(1870));
    assert_eq!(
        day.guide.note(at(1870)).as_deref(),
        Some("Ice bath can end in 9m")
    );
    assert_eq!(
        day.guide.note(at(2500)).as_deref(),
        Some("Ice bath can end in 9m")
    );
    // Any key has read it.
    day.press(Intent::Down, at(2501));
    assert_eq!(day.guide.note(at(2501)), None);
}

#[test]
fn time_to_get_out_stays_with_the_bath_not_with_the_steps_after_it() {
    let mut day = ice_bath();
    day.wake(at(1800 + 600));
    day.wake(at(1800 + 900)); // the top: the bath ends, the meal is current
    assert_eq!(day.guide.session().active(), Some(4));
    let get_out = "Time to get out: Ice bath has reached its 15m limit";
    assert_eq!(day.guide.note(at(1800 + 900)).as_deref(), Some(get_out));
    assert_eq!(day.guide.note(at(1800 + 960)).as_deref(), Some(get_out));
    assert_eq!(
        day.guide.note(at(1800 + 1020)),
        None,
        "two minutes on, the meal's screen no longer says it"
    );
    // And a key on the next step has seen it.
    let mut keyed = ice_bath();
    keyed.wake(at(1800 + 900));
    keyed.press(Intent::Down, at(1800 + 905));
    assert_eq!(keyed.guide.note(at(1800 + 905)), None);
}

#[test]
fn time_to_get_out_stays_through_the_keys_of_the_bath() {
    let mut day = ice_bath();
    day.press_all(&[Intent::More, Intent::Yes], at(1900)); // 30 s past the top
    day.wake(at(1800 + 900));
    day.press(Intent::PauseResume, at(1800 + 910));
    day.press(Intent::Down, at(1800 + 911));
    assert!(
        day.guide
            .note(at(1800 + 911))
            .is_some_and(|n| n.starts_with("Time to get out")),
        "{:?}",
        day.guide.note(at(1800 + 911))
    );
}

#[test]
fn a_failed_hooks_warning_never_replaces_time_to_get_out() {
    let mut day = ice_bath();
    day.wake(at(1800 + 900));
    let now = at(1800 + 901);
    day.guide.warn(
        "Warning: the get_out hook failed with exit code 1".into(),
        now,
    );
    assert!(
        day.guide
            .note(now)
            .is_some_and(|n| n.starts_with("Time to get out")),
    );
    let text = folded(&screen(&day.guide, now, 80, 24), 30);
    assert!(text.contains("Time to get out"), "{text}");
    assert!(text.contains("the get_out hook failed"), "{text}");
    both_sizes("get_out_and_a_warning", &day.guide, now);
    // The warning goes after a minute, or at the next key.
    assert_eq!(day.guide.aside(now + TimeDelta::seconds(60)), None);
}

#[test]
fn the_footer_offers_space_only_as_it_acts() {
    let day = fixture::day();
    let f = footer(&day, at(60));
    assert!(f.starts_with(" Enter done · s skip"), "{f:?}");
    assert!(!f.contains("Space"), "no timer, no Space: {f:?}");
    let mut day = ice_bath();
    assert!(footer(&day, at(1801)).contains("Space pause"));
    assert!(
        !footer(&day, at(1801)).contains("Enter"),
        "before the minimum Enter only says it is too early"
    );
    assert!(footer(&day, at(1800 + 600)).contains("Enter finish"));
    day.press(Intent::PauseResume, at(1810));
    let f = footer(&day, at(1811));
    assert!(f.contains("Space resume") && !f.contains("pause"), "{f:?}");
}

#[test]
fn the_end_screens_footer_begins_with_a_key() {
    let mut day = fixture::day();
    let mut now = 60;
    while day.guide.session().active().is_some() {
        now += 1;
        day.press_all(&[Intent::Skip, Intent::Yes], at(now));
    }
    let f = footer(&day, at(now));
    assert_eq!(f.trim_end(), " u undo · i details · q quit");
}

#[test]
fn a_refusal_goes_at_the_next_key() {
    let mut day = fixture::day();
    day.press(Intent::Undo, at(5));
    assert_eq!(day.guide.note(at(5)).as_deref(), Some("Nothing to undo"));
    day.press(Intent::Down, at(6));
    assert_eq!(day.guide.note(at(6)), None);
}

/// The end of a day on disk: hydrate and the snack done, every other step skipped or (with a
/// budget) dropped.
fn finished_on_disk(dir: &std::path::Path, dropped: Vec<usize>) -> Day<postrun::store::Log> {
    let mut opening = fixture::opening();
    opening.dropped = dropped;
    let (log, session) = postrun::store::Store::new(dir)
        .create(opening, fixture::t0())
        .unwrap();
    let mut day = Day {
        log,
        guide: postrun::core::guide::Guide::new(session, fixture::utc()),
    };
    let mut now = 60;
    while let Some(active) = day.guide.session().active() {
        now += 1;
        if [0, 2].contains(&active) {
            day.press(Intent::Go, at(now));
        } else {
            day.press_all(&[Intent::Skip, Intent::Yes], at(now));
        }
    }
    day
}

#[test]
fn the_end_of_the_day_and_history_count_time_on_recovery_one_way() {
    let dir = tempfile::tempdir().unwrap();
    let day = finished_on_disk(dir.path(), Vec::new());
    let spent = day.guide.session().time_spent();
    assert_eq!(spent, std::time::Duration::from_secs(600), "5m and 5m");
    let end = folded(&screen(&day.guide, at(200), 80, 24), 0);
    assert!(end.contains("Time on recovery: about 10m"), "{end}");
    let path = day.log.path();
    let replayed = postrun::store::replay_bytes(path, &std::fs::read(path).unwrap()).unwrap();
    let summary = postrun::store::Summary::of(&replayed);
    assert_eq!(summary.spent_s, 600);
    let history = postrun::cli::history::text(
        &[&summary],
        postrun::core::clock::Hours::TwentyFour,
        postrun::core::protocol::Units::Metric,
    );
    assert!(history.contains("about 10m on recovery"), "{history}");
}

#[test]
fn a_step_the_budget_dropped_reads_dropped_not_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let day = finished_on_disk(dir.path(), vec![3, 5]);
    let end = folded(&screen(&day.guide, at(200), 80, 24), 0);
    assert!(
        end.contains("Dropped by your budget (2): Ice bath, Feet up"),
        "{end}"
    );
    assert!(!end.contains("Skipped (7)"), "{end}");
    both_sizes("summary_with_drops", &day.guide, at(200));
    // And in the list while the day is under way.
    let mut opening = fixture::opening();
    opening.dropped = vec![3, 5];
    let guide = postrun::core::guide::Guide::new(postrun::store::begin(&opening), fixture::utc());
    let list = folded(&screen(&guide, at(60), 80, 24), 0);
    assert!(list.contains("Ice bath dropped"), "{list}");
    assert!(list.contains("Feet up dropped"), "{list}");
}

//! While a countdown runs, a second that changes nothing but the time redraws only the clock
//! (`tui::paint`). The screen that leaves must be the very screen a whole frame would draw,
//! second after second, across holds, sides, cues and sizes: if anything else on screen comes
//! to change with time alone, these tests fail.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::TimeDelta;
use postrun::core::guide::{Guide, Intent};
use postrun::core::session::{Event, Timestamp};
use postrun::front::tui::paint::Painter;
use postrun::front::tui::screen::Screen;
use postrun::front::tui::view::{self, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use crate::fixture;
use crate::next_wake;
use fixture::{Day, t0};

fn at_ms(ms: i64) -> Timestamp {
    t0() + TimeDelta::milliseconds(ms)
}

/// A guide over a fresh session of the default protocol, its events kept in memory.
type Memory = Day<Vec<(Timestamp, Event)>>;

fn day() -> Memory {
    fixture::day()
}

/// Colour, as the guide draws unless `NO_COLOR`.
fn theme() -> Theme {
    Theme::new(true)
}

fn whole(guide: &Guide, now: Timestamp, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::render(f, guide, theme(), now)).unwrap();
    t.backend().buffer().clone()
}

/// Runs the guide's loop from `from` for `secs` seconds, waking at odd moments in each
/// second, and checks the screen against a whole frame after every wake. Returns how many
/// wakes were ticks.
fn run(day: &mut Memory, from_ms: i64, secs: i64, w: u16, h: u16) -> usize {
    let mut terminal = Screen::new(TestBackend::new(w, h)).unwrap();
    let mut painter = Painter::new(theme());
    painter
        .full(&mut terminal, at_ms(from_ms), |f| {
            view::render_frame(f, &day.guide, theme(), at_ms(from_ms))
        })
        .unwrap();
    let mut ticks = 0;
    for i in 1..=secs * 2 {
        let now = at_ms(from_ms + i * 500 + (i * 37) % 400);
        let said = day.wake(now).said;
        let ticked = said.is_empty() && painter.tick(&mut terminal, &day.guide, now).unwrap();
        if ticked {
            ticks += 1;
        } else {
            painter
                .full(&mut terminal, now, |f| {
                    view::render_frame(f, &day.guide, theme(), now)
                })
                .unwrap();
        }
        assert_eq!(
            terminal.backend().buffer(),
            &whole(&day.guide, now, w, h),
            "{w}x{h} at {now} ({})",
            if ticked { "a tick" } else { "a whole frame" }
        );
        // As the guide does: the next tick is worked out ahead, for the next wake. The
        // wakes here come at other moments, so it is sometimes sent and sometimes not.
        if let Some(next) = next_wake(&day.guide, now) {
            painter.prepare(&mut terminal, &day.guide, next);
        }
    }
    ticks
}

#[test]
fn ticks_through_the_stretch_draw_what_whole_frames_draw() {
    for (w, h) in [(80, 24), (40, 12), (200, 60), (60, 18), (30, 8)] {
        let mut day = day();
        day.press(Intent::Go, at_ms(600_000)); // hydrate done
        day.press(Intent::Go, at_ms(600_000)); // the stretch's holds start
        // Gaps, holds, side switches (with their flashes), the next hold.
        let ticks = run(&mut day, 600_000, 90, w, h);
        assert!(ticks > 100, "{w}x{h}: only {ticks} ticks");
    }
}

#[test]
fn ticks_through_the_ice_bath_and_its_cue_draw_what_whole_frames_draw() {
    let mut day = day();
    let now = at_ms(900_000);
    // Make the ice bath current and start it.
    for _ in 0..3 {
        day.press(Intent::Down, now);
    }
    day.press(Intent::Go, now);
    day.press(Intent::Go, now);
    let ticks = run(&mut day, 900_000, 200, 80, 24);
    assert!(ticks > 300, "only {ticks} ticks");
    assert!(
        day.guide.note(at_ms(1_100_000)).is_some(),
        "the 3-minute cue was said on the way: {:?}",
        day.guide.note(at_ms(1_100_000))
    );
}

#[test]
fn ticks_under_a_note_that_counts_down_draw_what_whole_frames_draw() {
    // "Ice bath can end in 9m" changes each second with the clock: the painter must not tick
    // the digits alone under it, and the words must go at the next key.
    for (w, h) in [(80, 24), (40, 12)] {
        let mut day = day();
        let now = at_ms(900_000);
        for _ in 0..3 {
            day.press(Intent::Down, now);
        }
        day.press(Intent::Go, now);
        day.press(Intent::Go, now);
        day.press(Intent::Go, at_ms(960_300)); // a minute in: too early to finish
        assert!(day.guide.note(at_ms(960_300)).is_some());
        run(&mut day, 960_300, 30, w, h);
    }
}

#[test]
fn ticks_across_the_hour_draw_what_whole_frames_draw() {
    // A timer of an hour and a minute: the digits go from 1:01:00 (seven glyphs, wider than
    // the panel at 80x24) to 59:59 (five), and the plain time's line gets shorter, so a tick
    // must blank what the longer line and the wider digits left.
    let mut opening = fixture::opening();
    opening.protocol =
        postrun::core::protocol::parse("long.toml", "long", &fixture::one_timer("61m", None))
            .unwrap();
    for (w, h) in [(80, 24), (40, 12), (200, 60), (60, 18), (30, 8)] {
        let mut day = Day {
            log: Vec::new(),
            guide: Guide::new(postrun::store::begin(&opening), fixture::utc()),
        };
        day.press(Intent::Go, at_ms(600_000)); // the timer starts
        let ticks = run(&mut day, 600_000, 80, w, h);
        assert!(ticks > 100, "{w}x{h}: only {ticks} ticks");
    }
}

#[test]
fn ticks_after_the_clock_steps_back_still_draw_what_whole_frames_draw() {
    let mut day = day();
    let start = 900_000;
    for _ in 0..3 {
        day.press(Intent::Down, at_ms(start));
    }
    day.press(Intent::Go, at_ms(start));
    day.press(Intent::Go, at_ms(start));
    let mut terminal = Screen::new(TestBackend::new(80, 24)).unwrap();
    let mut painter = Painter::new(theme());
    painter
        .full(&mut terminal, at_ms(start), |f| {
            view::render_frame(f, &day.guide, theme(), at_ms(start))
        })
        .unwrap();
    // Forward a second, now and then back two and a half: a clock set back, a wake that the
    // session clamps, digits that must not be left as the last tick drew them.
    let mut t = start;
    let mut ticks = 0;
    for i in 1..=120 {
        t += if i % 7 == 0 { -2_500 } else { 1_000 };
        let now = at_ms(t);
        let said = day.wake(now).said;
        if said.is_empty() && painter.tick(&mut terminal, &day.guide, now).unwrap() {
            ticks += 1;
        } else {
            painter
                .full(&mut terminal, now, |f| {
                    view::render_frame(f, &day.guide, theme(), now)
                })
                .unwrap();
        }
        assert_eq!(
            terminal.backend().buffer(),
            &whole(&day.guide, now, 80, 24),
            "at {now}"
        );
        // Worked out for a second on; the clock may go back instead.
        painter.prepare(&mut terminal, &day.guide, now + TimeDelta::seconds(1));
    }
    assert!(ticks > 60, "only {ticks} ticks");
}

/// What "only the countdown can have changed between `since` and `now`" means, written out
/// in full: the painter asks [`view::still`] instead, a range worked out once per frame.
fn still_by_definition(guide: &Guide, since: Timestamp, now: Timestamp) -> bool {
    let s = guide.session();
    !guide.flashing(since)
        && !guide.flashing(now)
        && guide.note(since) == guide.note(now)
        && guide.aside(since) == guide.aside(now)
        && s.next_deadline(since).is_none_or(|d| d > now)
        && s.protocol.steps.iter().all(|step| {
            step.window.is_none_or(|w| {
                let t = postrun::core::plan::times(&w, s.finished_at, s.bedtime);
                let opens =
                    |at| postrun::core::guide::when::opens(&t, at, guide.zone(), guide.hours());
                postrun::core::plan::status(&t, since) == postrun::core::plan::status(&t, now)
                    && opens(since) == opens(now)
            })
        })
}

proptest::proptest! {
    // Saved cases sit beside this file (tui_ticks.proptest-regressions): with a main.rs
    // beside it, proptest's default would look for them somewhere else and never replay them.
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 64,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// Moments across the whole day (every window opening, closing, missed), before and
    /// after, with a timer running or not and flashes from its holds.
    #[test]
    fn the_still_range_holds_exactly_when_only_the_countdown_changed(
        keys in proptest::collection::vec(0u8..4, 0..6),
        pairs in proptest::collection::vec((-3_600_000i64..50_000_000, -400_000i64..400_000), 40),
    ) {
        let mut day = day();
        for (i, k) in keys.iter().enumerate() {
            let intent = [Intent::Go, Intent::Down, Intent::PauseResume, Intent::Skip][usize::from(*k)];
            day.press(intent, at_ms(600_000 + 20_000 * i as i64));
        }
        for (since, d) in pairs {
            let (since, now) = (at_ms(since), at_ms(since + d));
            proptest::prop_assert_eq!(
                view::still(&day.guide, since).contains(&now),
                still_by_definition(&day.guide, since, now),
                "since {} now {}", since, now
            );
        }
    }
}

#[test]
fn the_still_range_is_exact_to_the_nanosecond_at_every_window_change() {
    let mut day = day();
    // A stretch under way: its next hold is a deadline too.
    day.press(Intent::Go, at_ms(600_000));
    day.press(Intent::Go, at_ms(600_000));
    // The first hold starts, with a flash.
    let first = day.guide.session().next_deadline(at_ms(600_000)).unwrap();
    day.wake(first);
    let guide = &day.guide;
    assert!(guide.flash_until.is_some());
    let s = guide.session();
    let mut moments: Vec<Timestamp> = s
        .protocol
        .steps
        .iter()
        .filter_map(|step| step.window)
        .flat_map(|w| {
            postrun::core::plan::changes(&postrun::core::plan::times(&w, s.finished_at, s.bedtime))
        })
        .chain(s.next_deadline(first))
        .chain(guide.flash_until)
        .collect();
    assert!(moments.len() > 20, "{moments:?}");
    let ns = TimeDelta::nanoseconds(1);
    moments = moments
        .iter()
        .flat_map(|m| [*m - ns, *m, *m + ns])
        .collect();
    for since in &moments {
        for now in &moments {
            assert_eq!(
                view::still(guide, *since).contains(now),
                still_by_definition(guide, *since, *now),
                "since {since} now {now}"
            );
        }
    }
}

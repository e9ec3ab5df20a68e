//! Snapshots of every screen on ratatui's TestBackend, at 80x24 and 40x12, with a fixed clock
//! and a fixed time zone. Each state is reached through `Guide::handle`, as the runner would,
//! with the guide's events kept in memory.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::TimeDelta;
use postrun::core::guide::{Guide, Intent, Overlay, Said, Told};
use postrun::core::session::{Event, Timestamp};
use postrun::front::tui::view::{self, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::fixture;
use crate::next_wake;
use fixture::{Day, at, t0};

/// A guide over a fresh session of the default protocol, the run finished at 10:00 UTC, its
/// events kept in memory.
type Memory = Day<Vec<(Timestamp, Event)>>;

fn day() -> Memory {
    fixture::day()
}

/// The screen in colour.
pub(crate) fn screen(
    guide: &Guide,
    now: Timestamp,
    width: u16,
    height: u16,
) -> Terminal<TestBackend> {
    screen_in(Theme::new(true), guide, now, width, height)
}

fn screen_in(
    theme: Theme,
    guide: &Guide,
    now: Timestamp,
    width: u16,
    height: u16,
) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| view::render(f, guide, theme, now))
        .unwrap();
    terminal
}

pub(crate) fn both_sizes(name: &str, guide: &Guide, now: Timestamp) {
    insta::assert_snapshot!(
        format!("{name}_80x24"),
        screen(guide, now, 80, 24).backend()
    );
    insta::assert_snapshot!(
        format!("{name}_40x12"),
        screen(guide, now, 40, 12).backend()
    );
}

fn press(day: &mut Memory, intents: &[Intent], now: Timestamp) -> Told {
    day.press_all(intents, now)
}

#[test]
fn start_of_the_day_hydrate_is_current() {
    let day = day();
    both_sizes("hydrate", &day.guide, at(300));
}

#[test]
fn stretch_hold_on_the_left_leg() {
    let mut day = day();
    press(&mut day, &[Intent::Go, Intent::Go], at(600)); // hydrate done, stretch started
    day.wake(at(600 + 5 + 12)); // the 5 s gap, then 12 s into the first hold
    assert_eq!(
        day.guide.note(at(617)),
        None,
        "the heading names the hold; no note repeats it"
    );
    both_sizes("stretch_left_leg", &day.guide, at(617));
}

#[test]
fn stretch_switches_sides_with_a_bell_and_a_flash() {
    let mut day = day();
    press(&mut day, &[Intent::Go, Intent::Go], at(600));
    day.wake(at(606)); // the left leg's hold has begun
    day.wake(at(625)); // its 20 s minimum
    let told = day.wake(at(600 + 5 + 30)); // the left leg's 30 s are up
    // One line says it, the countdown's heading, with the hold's place; no note repeats it.
    assert_eq!(day.guide.note(at(635)), None);
    let text = folded(&screen(&day.guide, at(635), 80, 24), 30);
    assert!(
        text.contains("Switch to the right leg · hold 2 of 11"),
        "{text}"
    );
    assert!(!text.contains("Get ready"), "{text}");
    assert_eq!(told.bells, 1);
    assert!(day.guide.flashing(at(635)));
    assert!(!day.guide.flashing(at(636)), "a flash, not a state");
    both_sizes("stretch_switch", &day.guide, at(635));
}

#[test]
fn ice_bath_countdown_past_the_hardest_part() {
    let mut day = day();
    // Select the ice bath from the checklist and start it.
    ice_bath_started(&mut day);
    day.wake(at(1800 + 6 * 60 + 19));
    let note = day.guide.note(at(1800 + 6 * 60 + 19));
    assert!(
        note.as_deref().unwrap().contains("hardest part is over"),
        "{note:?}"
    );
    both_sizes("ice_bath_08m41", &day.guide, at(1800 + 6 * 60 + 19));
}

#[test]
fn ice_bath_paused() {
    let mut day = day();
    ice_bath_started(&mut day);
    press(&mut day, &[Intent::PauseResume], at(1860));
    both_sizes("ice_bath_paused", &day.guide, at(1900));
}

#[test]
fn help_overlay() {
    let mut day = day();
    press(&mut day, &[Intent::Help], at(60));
    both_sizes("help", &day.guide, at(60));
    press(&mut day, &[Intent::Back], at(61));
    assert_eq!(day.guide.overlay, None);
}

#[test]
fn skipping_a_required_step_asks_first() {
    let mut day = day();
    press(&mut day, &[Intent::Skip], at(60));
    both_sizes("confirm_skip", &day.guide, at(60));
    press(&mut day, &[Intent::Back], at(61));
    assert_eq!(day.guide.session().active(), Some(0), "n keeps the step");
    press(&mut day, &[Intent::Skip, Intent::Yes], at(62));
    assert_eq!(day.guide.session().active(), Some(1), "y skips it");
}

#[test]
fn end_of_day_summary() {
    let mut day = day();
    let mut now = 60;
    while day.guide.session().active().is_some() {
        now += 1;
        let optional = day.guide.session().active_step().unwrap().optional;
        if optional {
            press(&mut day, &[Intent::Skip], at(now));
        } else {
            press(&mut day, &[Intent::Skip, Intent::Yes], at(now));
        }
    }
    both_sizes("summary", &day.guide, at(now));
}

#[test]
fn any_size_renders_without_a_panic() {
    let mut day = day();
    press(&mut day, &[Intent::Go, Intent::Go], at(600));
    for (w, h) in [
        (1, 1),
        (2, 1),
        (10, 3),
        (20, 5),
        (30, 8),
        (79, 23),
        (200, 60),
    ] {
        screen(&day.guide, at(620), w, h);
    }
    press(&mut day, &[Intent::Help], at(621));
    for (w, h) in [(1, 1), (10, 3), (40, 12)] {
        screen(&day.guide, at(622), w, h);
    }
}

#[test]
fn the_timer_shows_first_when_space_is_short() {
    let mut day = day();
    ice_bath_started(&mut day);
    let t = screen(&day.guide, at(1800 + 61), 24, 4);
    let text: String = t
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(
        text.contains("13:59"),
        "the plain MM:SS survives at 24x4:\n{text}"
    );
}

#[test]
fn no_color_means_no_colour() {
    let mut day = day();
    press(&mut day, &[Intent::Go, Intent::Go], at(600));
    let t = screen_in(Theme::new(false), &day.guide, at(620), 80, 24);
    for cell in t.backend().buffer().content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset, "{cell:?}");
        assert_eq!(cell.bg, ratatui::style::Color::Reset, "{cell:?}");
    }
}

#[test]
fn the_loop_wakes_only_when_something_changes() {
    let mut day = day();
    assert_eq!(
        next_wake(&day.guide, at(60)),
        Some(at(120)),
        "idle without a timer: sleep until input or the screen changes by itself, as the \
         meal's \"in 59m\" turns \"in 58m\""
    );
    assert_eq!(
        next_wake(&day.guide, at(9 * 3600 + 1800)),
        Some(at(10 * 3600)),
        "idle at 19:30: the Epsom bath's \"at 21:00\" turns \"in 60m\" at 20:00"
    );
    ice_bath_started(&mut day);
    // Running: the next whole second of the digits.
    let half = t0() + TimeDelta::milliseconds(1_800_500);
    assert_eq!(next_wake(&day.guide, half), Some(at(1801)));
    press(&mut day, &[Intent::PauseResume], at(1810));
    assert_eq!(
        next_wake(&day.guide, at(1811)),
        Some(at(1860)),
        "paused: nothing changes by itself but the meal's \"in 30m\""
    );
}

#[test]
fn a_window_opening_is_a_note_and_a_bell_once() {
    let mut day = day();
    let mut told = day.wake(at(60));
    let at_the_hour = day.wake(at(3600));
    assert_eq!(
        day.guide.note(at(3600)).as_deref(),
        Some("Balanced meal is due now, 11:00-12:00.")
    );
    assert_eq!(at_the_hour.bells, 1);
    told.merge(at_the_hour);
    assert_eq!(told.said, [Said::Due(4)]);
    assert_eq!(day.wake(at(3601)).bells, 0, "said once");
    // The screen next changes as the meal's window enters its last fifth at 11:48.
    assert_eq!(next_wake(&day.guide, at(3601)), Some(at(3600 + 48 * 60)));
    // The note holds while the meal's window is open, and goes as it closes at 12:00.
    assert!(day.guide.note(at(2 * 3600 - 1)).is_some());
    assert_eq!(day.guide.note(at(2 * 3600)), None);
    // Once the meal is done, the note goes with it.
    press(&mut day, &[Intent::Pick(4), Intent::Go], at(3700));
    assert_eq!(day.guide.note(at(3700)), None);
}

/// The ice bath started at 10:30 (select it, then Enter).
fn ice_bath_started(day: &mut Memory) {
    press(
        day,
        &[
            Intent::Down,
            Intent::Down,
            Intent::Down,
            Intent::Go,
            Intent::Go,
        ],
        at(1800),
    );
}

#[test]
fn more_time_past_the_ice_baths_top_asks_first_and_says_why() {
    let mut day = day();
    ice_bath_started(&mut day);
    press(&mut day, &[Intent::More], at(1900));
    assert!(matches!(
        day.guide.overlay,
        Some(Overlay::ConfirmExtend { .. })
    ));
    both_sizes("confirm_extend", &day.guide, at(1900));
    let before = day.guide.session().run().unwrap().total();
    press(&mut day, &[Intent::Back], at(1901));
    assert_eq!(
        day.guide.session().run().unwrap().total(),
        before,
        "n adds nothing"
    );
    press(&mut day, &[Intent::More, Intent::Yes], at(1902));
    assert_eq!(
        day.guide.session().run().unwrap().total(),
        before + std::time::Duration::from_secs(30)
    );
}

#[test]
fn at_the_top_of_the_ice_bath_the_guide_calls_time_loudly() {
    let mut day = day();
    ice_bath_started(&mut day);
    press(&mut day, &[Intent::More, Intent::Yes], at(1900)); // stay 30 s longer
    day.wake(at(1800 + 899));
    let told = day.wake(at(1800 + 900));
    assert_eq!(
        day.guide.note(at(1800 + 900)).as_deref(),
        Some("Time to get out: Ice bath has reached its 15m limit")
    );
    assert_eq!(told.bells, 2, "two bells");
    assert!(day.guide.flashing(at(1800 + 900)));
    both_sizes("ice_bath_top", &day.guide, at(1800 + 900));
    // The timer runs on to its end 30 s later.
    assert_eq!(day.guide.session().active(), Some(3));
    day.wake(at(1800 + 930));
    assert_eq!(day.guide.session().active(), Some(4));
}

#[test]
fn a_late_enter_after_an_unseen_timer_end_does_not_tick_off_the_next_step() {
    let mut day = day();
    // Start the ice bath (15 min), then press Enter a second after it ran out unseen.
    ice_bath_started(&mut day);
    press(&mut day, &[Intent::Go], at(1800 + 15 * 60 + 1));
    let states = day.guide.session().states();
    assert_eq!(
        states[3],
        postrun::core::session::StepState::Done,
        "the ice bath ran out: done"
    );
    assert_eq!(
        day.guide.session().active(),
        Some(4),
        "the meal is current, not ticked off"
    );
}

/// The screen's text from column `x0` on, rows joined by spaces and runs of blanks folded, so
/// wrapped text reads as one sentence.
pub(crate) fn folded(t: &Terminal<TestBackend>, x0: u16) -> String {
    let buf = t.backend().buffer();
    let mut rows = Vec::new();
    for y in 0..buf.area.height {
        let row: String = (x0..buf.area.width)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect();
        rows.push(row.replace('│', " "));
    }
    rows.join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_hold_shows_its_whole_how_to_and_what_comes_next_at_80x24() {
    let mut day = day();
    press(&mut day, &[Intent::Go, Intent::Go], at(600));
    day.wake(at(617));
    let postrun::core::protocol::Activity::Holds(h) =
        &day.guide.session().protocol.steps[1].activity
    else {
        panic!("the stretch is a hold sequence");
    };
    let how = h.holds[0].how.clone().unwrap();
    // The "Now" panel starts after the 30-column checklist.
    let text = folded(&screen(&day.guide, at(617), 80, 24), 30);
    assert!(text.contains(&how), "the how-to is cut:\n{text}");
    assert!(text.contains("Next: Quadriceps, right leg"), "{text}");
}

pub(crate) mod start_screen {
    use super::*;
    use chrono::NaiveTime;
    use postrun::core::protocol::BUILTINS;
    use postrun::front::tui::input::FormKey;
    use postrun::front::tui::setup::{Outcome, Routine, Setup};

    /// The start screen as a new day opens at 10:00 UTC, with both built-ins to pick from.
    fn form() -> Setup {
        let routines = BUILTINS
            .iter()
            .map(|b| Routine {
                name: b.id.to_string(),
                protocol: Ok(b.parse().unwrap()),
            })
            .collect();
        Setup::new(
            routines,
            0,
            NaiveTime::from_hms_opt(22, 30, 0).unwrap(),
            "the default",
            None,
            t0(),
            fixture::utc(),
        )
    }

    /// The start screen's form drawn at `width` x `height`.
    pub(crate) fn draw(setup: &Setup, width: u16, height: u16) -> Terminal<TestBackend> {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|f| view::setup::render(f, setup, view::Theme::new(true)))
            .unwrap();
        terminal
    }

    fn keys(setup: &mut Setup, keys: &[FormKey]) {
        for k in keys {
            assert_eq!(setup.handle(*k, t0()), Outcome::Stay, "{k:?}");
        }
    }

    #[test]
    fn a_new_day_opens_on_the_start_screen() {
        let setup = form();
        insta::assert_snapshot!("start_80x24", draw(&setup, 80, 24).backend());
        insta::assert_snapshot!("start_40x12", draw(&setup, 40, 12).backend());
    }

    #[test]
    fn the_morning_after_names_yesterday_above_the_form() {
        let mut setup = form();
        setup.behind = Some("Yesterday: 6 of 9 done.".into());
        let wide = draw(&setup, 80, 24);
        insta::assert_snapshot!("start_behind_80x24", wide.backend());
        insta::assert_snapshot!("start_behind_40x12", draw(&setup, 40, 12).backend());
        assert!(
            folded(&wide, 0).contains("Yesterday: 6 of 9 done. A new day starts here."),
            "{}",
            folded(&wide, 0)
        );
    }

    #[test]
    fn a_typed_finish_and_a_budget_lay_out_a_shorter_day() {
        let mut setup = form();
        keys(
            &mut setup,
            &[
                FormKey::Down,
                FormKey::Char('9'),
                FormKey::Char(':'),
                FormKey::Char('4'),
                FormKey::Char('0'),
                FormKey::Down,
                FormKey::Down,
                FormKey::Char('2'),
                FormKey::Char('0'),
                FormKey::Char('m'),
            ],
        );
        let t = draw(&setup, 80, 24);
        insta::assert_snapshot!("start_budget_80x24", t.backend());
        let text = folded(&t, 0);
        assert!(text.contains("09:40 today"), "{text}");
        assert!(text.contains("Hydrate by 09:50-09:55"), "{text}");
        assert!(text.contains("Ice bath dropped"), "{text}");
    }

    #[test]
    fn a_bad_field_says_what_is_wrong_where_it_is() {
        let mut setup = form();
        keys(&mut setup, &[FormKey::Up, FormKey::Char('1')]);
        assert_eq!(setup.handle(FormKey::Begin, t0()), Outcome::Stay);
        insta::assert_snapshot!("start_problem_40x12", draw(&setup, 40, 12).backend());
        let text = folded(&draw(&setup, 80, 24), 0);
        assert!(text.contains("'1' has no unit"), "{text}");
    }

    #[test]
    fn the_other_routine_is_a_right_arrow_away() {
        let mut setup = form();
        keys(&mut setup, &[FormKey::Right]);
        let text = folded(&draw(&setup, 80, 24), 0);
        assert!(text.contains("Soothe sore muscles"), "{text}");
        assert!(text.contains("6 steps"), "{text}");
    }

    #[test]
    fn the_bedtime_says_the_default_only_while_it_is_the_default() {
        let mut setup = form();
        keys(&mut setup, &[FormKey::Down, FormKey::Down]);
        let text = folded(&draw(&setup, 80, 24), 0);
        assert!(text.contains("22:30_ the default"), "{text}");
        keys(&mut setup, &[FormKey::Backspace, FormKey::Char('5')]);
        let text = folded(&draw(&setup, 80, 24), 0);
        assert!(
            text.contains("22:35_ typed; Esc gives back 22:30"),
            "{text}"
        );
        assert!(!text.contains("the default"), "{text}");
        insta::assert_snapshot!("start_bedtime_typed_80x24", draw(&setup, 80, 24).backend());
        insta::assert_snapshot!("start_bedtime_typed_40x12", draw(&setup, 40, 12).backend());
        keys(&mut setup, &[FormKey::Clear]);
        let text = folded(&draw(&setup, 80, 24), 0);
        assert!(text.contains("22:30_ the default"), "{text}");
    }

    #[test]
    fn now_moves_with_the_clock_and_is_the_moment_of_enter() {
        let mut setup = form();
        let later = t0() + chrono::TimeDelta::minutes(7);
        setup.at(later);
        let text = folded(&draw(&setup, 80, 24), 0);
        assert!(text.contains("now, 10:07"), "{text}");
        assert!(
            text.contains("Hydrate by 10:17-10:22"),
            "the day from 10:07: {text}"
        );
        let Outcome::Begin(choice) = setup.handle(FormKey::Begin, later) else {
            panic!("Enter begins");
        };
        assert_eq!(
            choice.finished, None,
            "the run finished as Enter was pressed"
        );
        // The start screen wakes each minute to move "now" on, and only then.
        assert_eq!(
            postrun::front::tui::next_minute(t0() + chrono::TimeDelta::seconds(61)),
            t0() + chrono::TimeDelta::minutes(2)
        );
        assert_eq!(
            postrun::front::tui::next_minute(t0()),
            t0() + chrono::TimeDelta::minutes(1)
        );
    }

    #[test]
    fn a_broken_own_copy_offers_the_built_in_and_names_the_problem() {
        let builtin = BUILTINS[0];
        let headline = "/home/r/.config/postrun/protocols/optimal-recovery.toml:3:9: unclosed \
                        array table, expected `]`";
        let routines = vec![
            Routine {
                name: "optimal-recovery".into(),
                protocol: Err(headline.into()),
            },
            Routine {
                name: "built-in:optimal-recovery".into(),
                protocol: Ok(builtin.parse().unwrap()),
            },
        ];
        let mut setup = Setup::new(
            routines,
            1,
            NaiveTime::from_hms_opt(22, 30, 0).unwrap(),
            "the default",
            None,
            t0(),
            fixture::utc(),
        );
        setup.notice = Some(format!(
            "{headline}; the built-in optimal-recovery is picked for today"
        ));
        let text = folded(&draw(&setup, 80, 24), 0);
        assert!(text.contains("9 steps, built in"), "{text}");
        assert!(
            text.contains("optimal-recovery.toml:3:9: unclosed"),
            "{text}"
        );
        insta::assert_snapshot!(
            "start_broken_own_copy_80x24",
            draw(&setup, 80, 24).backend()
        );
        insta::assert_snapshot!(
            "start_broken_own_copy_40x12",
            draw(&setup, 40, 12).backend()
        );
        // Picking the broken copy says its problem on one line, not a snippet.
        keys(&mut setup, &[FormKey::Left]);
        assert_eq!(setup.handle(FormKey::Begin, t0()), Outcome::Stay);
        assert_eq!(
            setup.problem.as_ref().map(|(_, w)| w.as_str()),
            Some(headline)
        );
    }

    #[test]
    fn any_size_renders_without_a_panic() {
        let setup = form();
        for (w, h) in [(1, 1), (2, 1), (10, 3), (20, 5), (39, 11), (200, 60)] {
            draw(&setup, w, h);
        }
    }
}

#[test]
fn a_bedtime_far_off_names_its_day_in_the_header() {
    // A run at 05:00, bed at 22:30: 17.5 hours on, so the header says "today".
    let mut opening = fixture::opening();
    opening.finished_at = t0() - TimeDelta::hours(5);
    opening.bedtime = t0() + TimeDelta::minutes(12 * 60 + 30);
    let guide = Guide::new(postrun::store::begin(&opening), fixture::utc());
    let t = screen(&guide, t0(), 80, 24);
    let top: String = (0..80)
        .map(|x| t.backend().buffer()[(x, 0)].symbol().to_string())
        .collect();
    assert!(top.contains("run 05:00 · bed today 22:30"), "{top}");
    // The usual day names none.
    let t = screen(&fixture::guide(), t0(), 80, 24);
    let top: String = (0..80)
        .map(|x| t.backend().buffer()[(x, 0)].symbol().to_string())
        .collect();
    assert!(top.contains("run 10:00 · bed 22:30"), "{top}");
}

/// The guide with the "change the day" form open over it (`c`), bedtime typed over.
fn change_form(width: u16, height: u16) -> Terminal<TestBackend> {
    use postrun::front::tui::change::{ChangeForm, Outcome};
    use postrun::front::tui::input::FormKey;
    let guide = fixture::guide();
    let mut form = ChangeForm::new(&guide);
    form.handle(FormKey::Down);
    for c in "21:00".chars() {
        assert_eq!(form.handle(FormKey::Char(c)), Outcome::Stay);
    }
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| {
            view::render(f, &guide, Theme::new(true), t0());
            view::change::render(f, &form, Theme::new(true));
        })
        .unwrap();
    terminal
}

#[test]
fn the_change_the_day_form_shows_over_the_guide() {
    insta::assert_snapshot!("change_day_80x24", change_form(80, 24).backend());
    insta::assert_snapshot!("change_day_40x12", change_form(40, 12).backend());
}

#[test]
fn the_header_says_how_far_the_run_from_the_watch_went() {
    use postrun::core::watch::{Format, Run};
    let mut session = fixture::session();
    session.recorded = Some(Run {
        format: Format::Fit,
        file: "morning.fit".into(),
        started_at: t0() - TimeDelta::minutes(105),
        ended_at: t0(),
        duration_s: 6310,
        distance_m: Some(21_097),
        temperature_c: None,
    });
    let guide = Guide::new(session, fixture::utc());
    let top = |g: &Guide, w: u16| -> String {
        let t = screen(g, t0(), w, 24);
        (0..w)
            .map(|x| t.backend().buffer()[(x, 0)].symbol().to_string())
            .collect()
    };
    assert!(
        top(&guide, 80).contains("run 10:00 (21.1 km) · bed 22:30"),
        "{}",
        top(&guide, 80)
    );
    let us = guide.clone().with_units(postrun::core::protocol::Units::Us);
    assert!(
        top(&us, 80).contains("run 10:00 (13.1 mi)"),
        "{}",
        top(&us, 80)
    );
}

#[test]
fn the_end_of_the_day_tells_too_late_from_dropped_by_the_budget() {
    let mut opening = fixture::opening();
    opening.dropped = (1..9).collect();
    opening.too_late = vec![4];
    let mut day = fixture::Day {
        log: Vec::new(),
        guide: Guide::new(postrun::store::begin(&opening), fixture::utc()),
    };
    day.press(Intent::Go, at(60));
    assert!(day.guide.session().is_complete());
    let t = screen(&day.guide, at(61), 80, 24);
    let text: String = (0..24)
        .map(|y| {
            (0..80)
                .map(|x| t.backend().buffer()[(x, y)].symbol().to_string())
                .collect::<String>()
                + "\n"
        })
        .collect();
    assert!(
        text.contains("Too late tonight (1): Balanced meal"),
        "{text}"
    );
    assert!(
        text.contains("Dropped by your budget (7): Stretch"),
        "{text}"
    );
}

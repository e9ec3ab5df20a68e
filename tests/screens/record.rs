//! The runner's record on the guide's screens: the run from the watch folder offered on the
//! start screen, with the soreness trend and the runner's rule above the form.
use chrono::{NaiveTime, TimeDelta};
use postrun::core::protocol::BUILTINS;
use postrun::core::watch::{Format, Run};
use postrun::front::tui::input::FormKey;
use postrun::front::tui::setup::{Outcome, Routine, Setup};
use postrun::front::tui::sore::SoreAsk;
use postrun::front::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::fixture::{self, t0};
use crate::tui_screens::folded;
use crate::tui_screens::start_screen::draw;

/// A half marathon that ended at 07:42, read from `morning.fit`.
fn half_marathon() -> Run {
    let ended_at = t0() - TimeDelta::minutes(2 * 60 + 18);
    Run {
        format: Format::Fit,
        file: "/media/watch/GARMIN/Activity/morning.fit".into(),
        started_at: ended_at - TimeDelta::seconds(6310),
        ended_at,
        duration_s: 6310,
        distance_m: Some(21_097),
        temperature_c: None,
    }
}

/// The start screen at 10:00 offering the 07:42 run, with yesterday's soreness noted.
fn form() -> Setup {
    let routines = BUILTINS
        .iter()
        .map(|b| Routine {
            name: b.id.to_string(),
            protocol: Ok(b.parse().unwrap()),
        })
        .collect();
    let mut setup = Setup::new(
        routines,
        0,
        NaiveTime::from_hms_opt(22, 30, 0).unwrap(),
        "the default",
        None,
        t0(),
        fixture::utc(),
    )
    .with_run(
        half_marathon(),
        Some("21.1 km".into()),
        "morning.fit".into(),
    );
    setup.record = vec![
        "Your record: sore 7 and 8 the last two days.".into(),
        "Sore above 6 two days in a row (7, then 8), which your rule in config.toml watches for: \
         today could be the Soothe sore muscles routine (postrun --protocol soothe-sore-muscles) \
         or a rest day."
            .into(),
    ];
    setup
}

#[test]
fn the_start_screen_offers_the_run_from_the_watch_folder() {
    let setup = form();
    let wide = draw(&setup, 80, 24);
    insta::assert_snapshot!("start_offer_80x24", wide.backend());
    insta::assert_snapshot!("start_offer_40x12", draw(&setup, 40, 12).backend());
    let text = folded(&wide, 0);
    assert!(text.contains("Use your 07:42 run (21.1 km)?"), "{text}");
    assert!(
        text.contains("07:42 your run's end, from morning.fit"),
        "{text}"
    );
    assert!(text.contains("sore 7 and 8 the last two days"), "{text}");
    assert!(
        text.contains("Hydrate by 07:52-07:57"),
        "the day from 07:42: {text}"
    );
}

#[test]
fn beginning_with_the_offer_carries_the_run_into_the_day() {
    let mut setup = form();
    let Outcome::Begin(choice) = setup.handle(FormKey::Begin, t0()) else {
        panic!("Enter begins");
    };
    assert_eq!(choice.run, Some(half_marathon()));
}

#[test]
fn typing_another_finish_drops_the_offer() {
    let mut setup = form();
    for k in [FormKey::Down, FormKey::Backspace, FormKey::Char('5')] {
        assert_eq!(setup.handle(k, t0()), Outcome::Stay);
    }
    let text = folded(&draw(&setup, 80, 24), 0);
    assert!(!text.contains("Use your"), "{text}");
    assert!(text.contains("07:45_ 07:45 today"), "{text}");
    let Outcome::Begin(choice) = setup.handle(FormKey::Begin, t0()) else {
        panic!("Enter begins");
    };
    assert_eq!(choice.run, None, "the typed finish, not the run");
    assert!(choice.finished.is_some());
}

/// The default day with every step skipped: the end of the day.
fn day_done() -> fixture::Day<
    Vec<(
        postrun::core::session::Timestamp,
        postrun::core::session::Event,
    )>,
> {
    use postrun::core::guide::{Intent, Overlay};
    let mut day = fixture::day();
    let now = fixture::at(60);
    for _ in 0..40 {
        if day.guide.session().is_complete() {
            break;
        }
        day.press(Intent::Skip, now);
        if matches!(day.guide.overlay, Some(Overlay::ConfirmSkip)) {
            day.press(Intent::Yes, now);
        }
    }
    assert!(day.guide.session().is_complete());
    day
}

fn key(code: crossterm::event::KeyCode) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE)
}

fn end_screen(
    guide: &postrun::core::guide::Guide,
    ask: &SoreAsk,
    width: u16,
    height: u16,
) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|f| {
            view::render_frame(f, guide, view::Theme::new(true), fixture::at(60));
            view::sore::render(f, ask, view::Theme::new(true));
        })
        .unwrap();
    terminal
}

#[test]
fn the_end_of_the_day_asks_how_sore_and_hands_the_answer_to_the_loop() {
    use crossterm::event::KeyCode;
    use postrun::shell::Action;
    let day = day_done();
    let mut ask = SoreAsk::default();
    assert!(ask.asking(&day.guide));
    for c in "7 left calf tight".chars() {
        assert_eq!(
            ask.handle(key(KeyCode::Char(c)), &day.guide, fixture::at(60)),
            vec![]
        );
    }
    let wide = end_screen(&day.guide, &ask, 80, 24);
    insta::assert_snapshot!("end_sore_80x24", wide.backend());
    insta::assert_snapshot!(
        "end_sore_40x12",
        end_screen(&day.guide, &ask, 40, 12).backend()
    );
    let text = folded(&wide, 0);
    assert!(
        text.contains("How sore are you, 0-10, and a note? (Enter skips)"),
        "{text}"
    );
    assert!(text.contains("> 7 left calf tight_"), "{text}");
    assert!(
        text.contains("The day is done"),
        "the summary stays above: {text}"
    );
    let actions = ask.handle(key(KeyCode::Enter), &day.guide, fixture::at(60));
    let [Action::Note(entry)] = actions.as_slice() else {
        panic!("{actions:?}");
    };
    assert_eq!(entry.sore, Some(7));
    assert_eq!(entry.note.as_deref(), Some("left calf tight"));
    assert_eq!(entry.at, fixture::at(60));
    assert!(!ask.asking(&day.guide), "asked once");
}

#[test]
fn the_end_question_skips_with_enter_or_esc_and_calls_out_a_bad_number() {
    use crossterm::event::KeyCode;
    let day = day_done();
    let now = fixture::at(60);
    let mut ask = SoreAsk::default();
    assert!(ask.handle(key(KeyCode::Enter), &day.guide, now).is_empty());
    assert!(!ask.asking(&day.guide), "Enter with nothing skips");
    let mut ask = SoreAsk::default();
    ask.handle(key(KeyCode::Esc), &day.guide, now);
    assert!(!ask.asking(&day.guide), "Esc skips");
    let mut ask = SoreAsk::default();
    for c in "12".chars() {
        ask.handle(key(KeyCode::Char(c)), &day.guide, now);
    }
    assert!(ask.handle(key(KeyCode::Enter), &day.guide, now).is_empty());
    assert!(ask.asking(&day.guide), "still asking");
    assert!(ask.problem.as_deref().unwrap().contains("12 is past 10"));
    // Before anything is typed, q quits and u undoes, as the key contract says.
    use postrun::core::guide::Intent;
    use postrun::shell::Action;
    let mut ask = SoreAsk::default();
    assert_eq!(
        ask.handle(key(KeyCode::Char('q')), &day.guide, now),
        vec![Action::Intent(Intent::Quit)]
    );
    assert_eq!(
        ask.handle(key(KeyCode::Char('u')), &day.guide, now),
        vec![Action::Intent(Intent::Undo)]
    );
    ask.handle(key(KeyCode::Char('6')), &day.guide, now);
    ask.handle(key(KeyCode::Char(' ')), &day.guide, now);
    assert!(
        ask.handle(key(KeyCode::Char('q')), &day.guide, now)
            .is_empty()
    );
    assert_eq!(ask.text, "6 q", "typed once a line is begun");
    // Not asked while the day is under way.
    assert!(!SoreAsk::default().asking(&fixture::guide()));
}

#[test]
fn a_step_asks_its_value_in_a_box_at_the_foot() {
    use postrun::core::guide::Intent;
    use postrun::front::value::ValueAsk;
    let mut day = fixture::day();
    let told = day.press(Intent::Go, fixture::at(60));
    let mut ask = ValueAsk::default();
    ask.after(&told.said, &day.guide);
    assert_eq!(ask.step, Some(0), "hydrate asks what was drunk");
    ask.text = "300".into();
    let draw = |w, h| {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal
            .draw(|f| {
                view::render_frame(f, &day.guide, view::Theme::new(true), fixture::at(60));
                view::value::render(f, &ask, &day.guide, view::Theme::new(true));
            })
            .unwrap();
        terminal
    };
    let wide = draw(80, 24);
    insta::assert_snapshot!("value_ask_80x24", wide.backend());
    insta::assert_snapshot!("value_ask_40x12", draw(40, 12).backend());
    let text = folded(&wide, 0);
    assert!(
        text.contains("Millilitres drunk, in ml (500-1000)?"),
        "{text}"
    );
    assert!(text.contains("> 300_ ml"), "{text}");
}

/// A month of made-up days up to Sunday 2026-05-31: most routines done, some not, soreness
/// noted now and then.
fn month() -> view::history::Weeks {
    use chrono::NaiveDate;
    use postrun::core::weeks::Mark;
    let mut days = std::collections::BTreeMap::new();
    for d in 1..=31u32 {
        let done = match d % 7 {
            0 => None,
            1 => Some((9, 9)),
            2 => Some((6, 9)),
            3 => Some((3, 9)),
            4 => Some((1, 9)),
            5 => None,
            _ => Some((9, 9)),
        };
        let sore = (d % 3 == 0).then_some(((d * 7) % 11) as u8);
        if done.is_some() || sore.is_some() {
            days.insert(
                NaiveDate::from_ymd_opt(2026, 5, d).unwrap(),
                Mark { done, sore },
            );
        }
    }
    view::history::Weeks {
        days,
        today: NaiveDate::from_ymd_opt(2026, 5, 31).unwrap(),
    }
}

#[test]
fn the_guide_shows_the_weeks_at_a_glance() {
    let weeks = month();
    let draw = |w, h| {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal
            .draw(|f| {
                let guide = fixture::guide();
                view::render_frame(f, &guide, view::Theme::new(true), fixture::at(0));
                view::history::render(f, &weeks, view::Theme::new(true));
            })
            .unwrap();
        terminal
    };
    let wide = draw(80, 24);
    insta::assert_snapshot!("weeks_80x24", wide.backend());
    insta::assert_snapshot!("weeks_40x12", draw(40, 12).backend());
    let text = folded(&wide, 0);
    // The same rows as `postrun history --calendar`.
    let same = postrun::core::weeks::render(&weeks.days, weeks.today, 8);
    for row in same.lines().skip(1).take(8) {
        let row = row.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains(&row), "{row:?} in {text}");
    }
    assert!(text.contains("h or Esc closes"), "{text}");
}

#[test]
fn h_opens_the_weeks_and_h_or_esc_closes_them_while_q_still_quits() {
    use crossterm::event::KeyCode;
    use postrun::front::tui::input::{opens_weeks, weeks_key};
    assert!(opens_weeks(key(KeyCode::Char('h'))));
    assert!(!opens_weeks(key(KeyCode::Char('j'))));
    assert_eq!(weeks_key(key(KeyCode::Char('h'))), Some(false));
    assert_eq!(weeks_key(key(KeyCode::Esc)), Some(false));
    assert_eq!(weeks_key(key(KeyCode::Char('q'))), Some(true));
    assert_eq!(weeks_key(key(KeyCode::Enter)), None);
    // h means nothing else to the guide.
    assert_eq!(
        postrun::front::tui::input::intent(key(KeyCode::Char('h'))),
        None
    );
}

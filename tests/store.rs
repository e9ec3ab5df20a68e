//! The session log: replaying it rebuilds the session; a log cut at any byte replays to a
//! prefix of its events, losing at most the line being written; bad lines are skipped.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;

use chrono::{TimeDelta, TimeZone, Utc};
use postrun::protocol::parse;
use postrun::session::{Event, StepState, Timestamp};
use postrun::store::{self, Opening, Store, replay_bytes};
use proptest::prelude::*;

const PROTOCOL: &str = r#"
name = "Test"
summary = "A tick, a ranged timer with a cue, a two-sided hold, a limited step."

[[steps]]
id = "drink"
title = "Drink"
do = "Drink."

[[steps]]
id = "ice"
title = "Ice"
do = "Sit."
optional = true
[steps.timer]
length = "1m-2m"
cues = [{ at = "30s", say = "Half a minute." }]

[[steps]]
id = "stretch"
title = "Stretch"
do = "Hold."
gap = "5s"
[[steps.holds]]
name = "Calf"
time = "20s-30s"
sides = ["left foot", "right foot"]

[[steps]]
id = "cream"
title = "Cream"
do = "Rub."
daily_limit = 2
"#;

fn t0() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 5, 1, 9, 40, 0).unwrap()
}

fn opening() -> Opening {
    Opening {
        protocol: parse("test.toml", "test", PROTOCOL).unwrap(),
        origin: "test.toml".into(),
        source: PROTOCOL.into(),
        finished_at: t0(),
        bedtime: t0() + TimeDelta::hours(12),
        bedtime_is_default: false,
        dropped: Vec::new(),
    }
}

fn event_strategy() -> impl Strategy<Value = Event> {
    prop_oneof![
        Just(Event::Start),
        Just(Event::Pause),
        Just(Event::Resume),
        Just(Event::Extend),
        Just(Event::ExtendPastTop),
        Just(Event::Shorten),
        Just(Event::Complete),
        Just(Event::Skip { confirmed: false }),
        Just(Event::Skip { confirmed: true }),
        (0usize..5).prop_map(|step| Event::Select { step }),
        Just(Event::Undo),
        Just(Event::Wake),
    ]
}

/// Applies events through a live log at increasing times; returns the log's path, the
/// accepted events and the live session.
fn record(
    dir: &std::path::Path,
    script: &[(u16, Event)],
) -> (
    std::path::PathBuf,
    Vec<(Timestamp, Event)>,
    postrun::session::Session,
) {
    let store = Store::new(dir);
    let mut live = store.create(opening(), t0()).unwrap();
    let mut now = t0();
    let mut accepted = Vec::new();
    for (gap, event) in script {
        now += TimeDelta::seconds(i64::from(*gap));
        let before = fs::metadata(&live.path).unwrap().len();
        if let Ok(facts) = live.apply(event.clone(), now).unwrap() {
            let written = fs::metadata(&live.path).unwrap().len() > before;
            assert_eq!(
                written,
                !(event == &Event::Wake && facts.is_empty()),
                "{event:?}"
            );
            if written {
                accepted.push((now, event.clone()));
            }
        } else {
            assert_eq!(
                fs::metadata(&live.path).unwrap().len(),
                before,
                "a refused event is not written"
            );
        }
    }
    (live.path.clone(), accepted, live.session.clone())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn replaying_the_log_equals_applying_the_events(
        script in proptest::collection::vec((0u16..90, event_strategy()), 0..40)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let (path, accepted, live) = record(dir.path(), &script);
        let replayed = replay_bytes(&path, &fs::read(&path).unwrap()).unwrap();
        prop_assert!(replayed.warnings.is_empty(), "{:?}", replayed.warnings);
        prop_assert_eq!(&replayed.events, &accepted);
        prop_assert_eq!(&replayed.session, &live);
    }

    #[test]
    fn a_log_cut_at_any_byte_replays_to_a_prefix(
        script in proptest::collection::vec((0u16..90, event_strategy()), 1..25)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let (path, accepted, _) = record(dir.path(), &script);
        let bytes = fs::read(&path).unwrap();
        // Where each line ends (its newline's offset).
        let ends: Vec<usize> = bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i).collect();
        for cut in 0..=bytes.len() {
            let replayed = replay_bytes(&path, &bytes[..cut]);
            // Lines wholly inside the cut (a line whose newline was cut off is still whole).
            let whole = ends.iter().filter(|&&e| e <= cut).count();
            if whole == 0 {
                prop_assert!(replayed.is_none() || cut >= ends[0], "cut {cut}");
                continue;
            }
            let replayed = replayed.unwrap();
            let events = whole - 1;
            prop_assert!(replayed.events.len() >= events, "cut {cut}: lost more than the line being written");
            prop_assert!(replayed.events.len() <= events + 1);
            prop_assert_eq!(&replayed.events[..], &accepted[..replayed.events.len()]);
        }
    }
}

#[test]
fn a_garbled_line_is_skipped_with_a_warning_and_the_rest_replays() {
    let dir = tempfile::tempdir().unwrap();
    let script = [(0, Event::Complete), (10, Event::Start)];
    let (path, accepted, live) = record(dir.path(), &script);
    let mut lines: Vec<String> = fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    lines.insert(1, "{not json".into());
    lines.insert(
        2,
        r#"{"v":99,"seq":9,"at":"2026-05-01T09:40:00Z","event":{"type":"warp"}}"#.into(),
    );
    fs::write(&path, lines.join("\n")).unwrap();
    let replayed = replay_bytes(&path, &fs::read(&path).unwrap()).unwrap();
    assert_eq!(replayed.events, accepted);
    assert_eq!(replayed.session, live);
    assert_eq!(replayed.warnings.len(), 2, "{:?}", replayed.warnings);
    assert!(
        replayed.warnings[0]
            .ends_with(":2: unreadable line (key must be a string at line 1 column 2); skipped"),
        "{:?}",
        replayed.warnings
    );
    assert!(
        replayed.warnings[1].contains(":3: written by a newer postrun (format 99)"),
        "{:?}",
        replayed.warnings
    );
}

#[test]
fn resuming_after_a_torn_line_starts_a_fresh_line() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _, _) = record(dir.path(), &[(0, Event::Complete)]);
    let mut bytes = fs::read(&path).unwrap();
    bytes.extend_from_slice(br#"{"v":1,"seq":2,"at":"2026-05"#);
    fs::write(&path, &bytes).unwrap();

    let store = Store::new(dir.path());
    let open = store
        .find_open(t0() + TimeDelta::minutes(5))
        .unwrap()
        .unwrap();
    assert_eq!(open.warnings.len(), 1, "{:?}", open.warnings);
    assert!(
        open.warnings[0].contains("cut short"),
        "{:?}",
        open.warnings
    );
    let mut live = store.resume(open).unwrap();
    live.apply(Event::Start, t0() + TimeDelta::minutes(5))
        .unwrap()
        .unwrap();

    let replayed = replay_bytes(&path, &fs::read(&path).unwrap()).unwrap();
    assert_eq!(
        replayed.events.len(),
        2,
        "the torn line is lost, the new event is not"
    );
    assert_eq!(replayed.session, live.session);
}

#[test]
fn a_session_is_open_until_finished_closed_or_a_day_old() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let live = store.create(opening(), t0()).unwrap();
    let path = live.path.clone();
    assert!(
        store
            .find_open(t0() + TimeDelta::hours(23))
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .find_open(t0() + TimeDelta::hours(24))
            .unwrap()
            .is_none(),
        "a day after the run it is history"
    );
    live.close(t0() + TimeDelta::minutes(1)).unwrap();
    assert!(
        store
            .find_open(t0() + TimeDelta::minutes(2))
            .unwrap()
            .is_none(),
        "closed by --new"
    );

    let mut live = store
        .create(opening(), t0() + TimeDelta::minutes(3))
        .unwrap();
    assert_ne!(live.path, path);
    let mut now = t0() + TimeDelta::minutes(3);
    for event in [
        Event::Complete,
        Event::Skip { confirmed: false },
        Event::Skip { confirmed: true },
        Event::Complete,
    ] {
        now += TimeDelta::seconds(1);
        live.apply(event, now).unwrap().unwrap();
    }
    assert!(live.session.is_complete());
    assert!(
        store.find_open(now).unwrap().is_none(),
        "a finished session is history"
    );
    let (all, warnings) = store.replay_all().unwrap();
    assert!(warnings.is_empty());
    assert_eq!(all.len(), 2);
    assert_eq!(
        all[1].session.states(),
        [
            StepState::Done,
            StepState::Skipped,
            StepState::Skipped,
            StepState::Done
        ]
    );
}

#[test]
fn daily_limits_count_every_session_of_the_day() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    for k in 0..2 {
        let mut live = store
            .create(opening(), t0() + TimeDelta::minutes(k))
            .unwrap();
        live.apply(Event::Select { step: 3 }, t0())
            .unwrap()
            .unwrap();
        live.apply(Event::Complete, t0()).unwrap().unwrap();
    }
    let (all, _) = store.replay_all().unwrap();
    let used = store::used_on_day(&all, t0(), &Utc, None);
    assert_eq!(used.get("cream"), Some(&2));
    let tomorrow = store::used_on_day(&all, t0() + TimeDelta::days(1), &Utc, None);
    assert!(tomorrow.is_empty());

    // A third session the same day is refused the cream.
    let mut live = store
        .create(opening(), t0() + TimeDelta::minutes(5))
        .unwrap();
    live.session.used_today = store::used_on_day(&all, t0(), &Utc, Some(&live.path));
    live.apply(Event::Select { step: 3 }, t0())
        .unwrap()
        .unwrap();
    let refused = live.apply(Event::Complete, t0()).unwrap();
    assert_eq!(
        refused.unwrap_err().to_string(),
        "Cream is limited to 2 times a day, and today's are used"
    );
}

#[test]
fn an_empty_or_missing_folder_has_no_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(&dir.path().join("nowhere"));
    assert!(store.find_open(t0()).unwrap().is_none());
    fs::create_dir_all(store.dir()).unwrap();
    fs::write(store.dir().join("empty.jsonl"), "").unwrap();
    let (all, warnings) = store.replay_all().unwrap();
    assert!(all.is_empty() && warnings.is_empty(), "{warnings:?}");
}

#[test]
fn a_log_with_times_or_durations_out_of_range_is_skipped_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _, _) = record(dir.path(), &[(0, Event::Complete)]);
    let text = fs::read_to_string(&path).unwrap();
    let cases = [
        text.replacen(
            "\"finished_at\":\"2026-05-01T09:40:00Z\"",
            "\"finished_at\":\"+262142-12-31T23:59:59Z\"",
            1,
        ),
        text.replacen(
            "\"gap\":{\"secs\":5,",
            "\"gap\":{\"secs\":18446744073709551615,",
            1,
        ),
    ];
    for (i, bad) in cases.iter().enumerate() {
        assert_ne!(bad, &text, "case {i} changed the log");
        fs::write(&path, bad).unwrap();
        let store = Store::new(dir.path());
        assert!(store.find_open(t0()).unwrap().is_none(), "case {i}");
        let replayed = replay_bytes(&path, bad.as_bytes());
        assert!(
            replayed.is_none(),
            "case {i}: the session cannot be trusted"
        );
    }
}

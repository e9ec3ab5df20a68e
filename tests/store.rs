//! The session log: replaying it rebuilds the session; a log cut at any byte replays to a
//! prefix of its events, losing at most the line being written; bad lines are skipped.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;

use chrono::{TimeDelta, TimeZone, Utc};
use postrun::core::protocol::parse;
use postrun::core::session::{Event, StepState, Timestamp};
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

/// The session as it stands at `now`: what fell due has fired.
fn caught_up(mut s: postrun::core::session::Session, now: Timestamp) -> postrun::core::session::Session {
    let _ = s.apply(Event::Wake, now);
    s
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
    postrun::core::session::Session,
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
        // A last Wake that fired nothing is kept in memory only; at the same moment both agree.
        let end = t0() + TimeDelta::seconds(script.iter().map(|(g, _)| i64::from(*g)).sum());
        prop_assert_eq!(caught_up(replayed.session, end), caught_up(live, end));
    }

    #[test]
    fn with_the_clock_set_back_the_log_still_replays_to_what_was_shown(
        script in proptest::collection::vec((-120i16..90, event_strategy()), 0..40)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        let mut live = store.create(opening(), t0()).unwrap();
        let mut now = t0();
        for (gap, event) in &script {
            now += TimeDelta::seconds(i64::from(*gap));
            let _ = live.apply(event.clone(), now).unwrap();
            // A crash here: the log replays to the session on screen, time left and all.
            let replayed = replay_bytes(&live.path, &fs::read(&live.path).unwrap()).unwrap();
            prop_assert!(replayed.warnings.is_empty(), "{:?}", replayed.warnings);
            prop_assert_eq!(
                caught_up(replayed.session, now),
                caught_up(live.session.clone(), now),
                "{:?} at {}", event, now
            );
        }
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

/// The calendar day in UTC, as the shell's local one would give it with TZ=UTC.
fn utc_day(t: Timestamp) -> chrono::NaiveDate {
    t.date_naive()
}

/// Runs the cream step (step 3) in a new session begun at `at`, with the day's other uses
/// counted; returns the live session and what Complete gave.
fn cream(
    store: &Store,
    run: Timestamp,
    at: Timestamp,
    day: fn(Timestamp) -> chrono::NaiveDate,
) -> Result<(), String> {
    let (all, _) = store.replay_all().unwrap();
    let mut live = store
        .create(
            Opening {
                finished_at: run,
                bedtime: run + TimeDelta::hours(12),
                ..opening()
            },
            run,
        )
        .unwrap();
    live.daily = Some(store::DailyUses::new(&all, Some(&live.path), day));
    live.apply(Event::Select { step: 3 }, at).unwrap().unwrap();
    live.apply(Event::Complete, at)
        .unwrap()
        .map(|_| ())
        .map_err(|r| r.to_string())
}

#[test]
fn daily_limits_count_every_session_of_the_day() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    for k in 0..2 {
        let run = t0() + TimeDelta::minutes(k);
        cream(&store, run, run, utc_day).unwrap();
    }
    let (all, _) = store.replay_all().unwrap();
    let uses = store::DailyUses::new(&all, None, utc_day);
    assert_eq!(uses.on_day_of(t0()).get("cream"), Some(&2));
    assert!(uses.on_day_of(t0() + TimeDelta::days(1)).is_empty());

    // A third session the same day is refused the cream.
    let run = t0() + TimeDelta::minutes(5);
    assert_eq!(
        cream(&store, run, run, utc_day).unwrap_err(),
        "Cream is limited to 2 times a day, and today's are used"
    );
}

/// The decision for a session across midnight: a daily limit counts each use toward the
/// calendar day on the clock when it was made, not the day of the run it belongs to.
#[test]
fn a_use_after_midnight_counts_toward_the_new_day() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let may = |d, h, m| Utc.with_ymd_and_hms(2026, 5, d, h, m, 0).unwrap();
    // May 1: a run at 22:00, cream at 22:10; a run at 23:30, cream at 00:30 on May 2.
    cream(&store, may(1, 22, 0), may(1, 22, 10), utc_day).unwrap();
    cream(&store, may(1, 23, 30), may(2, 0, 30), utc_day).unwrap();
    let (all, _) = store.replay_all().unwrap();
    let uses = store::DailyUses::new(&all, None, utc_day);
    assert_eq!(uses.on_day_of(may(1, 12, 0)).get("cream"), Some(&1));
    assert_eq!(uses.on_day_of(may(2, 12, 0)).get("cream"), Some(&1));
    // May 2: one more is allowed, then the limit of 2 is reached. Counting by the run's day
    // would have allowed a third on May 2.
    cream(&store, may(2, 8, 0), may(2, 8, 10), utc_day).unwrap();
    assert_eq!(
        cream(&store, may(2, 12, 0), may(2, 12, 10), utc_day).unwrap_err(),
        "Cream is limited to 2 times a day, and today's are used"
    );
}

#[test]
fn a_session_open_across_midnight_gets_the_new_days_uses() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    // Days as on a clock at UTC+2: May 1 ends at 22:00 UTC.
    fn plus2(t: Timestamp) -> chrono::NaiveDate {
        t.with_timezone(&chrono::FixedOffset::east_opt(2 * 3600).unwrap())
            .date_naive()
    }
    let utc = |d, h, m| Utc.with_ymd_and_hms(2026, 5, d, h, m, 0).unwrap();
    cream(&store, utc(1, 6, 0), utc(1, 6, 10), plus2).unwrap();
    cream(&store, utc(1, 18, 0), utc(1, 18, 10), plus2).unwrap();
    let (all, _) = store.replay_all().unwrap();
    // A run at 23:00 local (21:00 UTC), the guide left open past midnight.
    let run = utc(1, 21, 0);
    let mut live = store
        .create(
            Opening {
                finished_at: run,
                bedtime: run + TimeDelta::hours(3),
                ..opening()
            },
            run,
        )
        .unwrap();
    live.daily = Some(store::DailyUses::new(&all, Some(&live.path), plus2));
    live.apply(Event::Select { step: 3 }, utc(1, 21, 30))
        .unwrap()
        .unwrap();
    let refused = live.apply(Event::Complete, utc(1, 21, 50)).unwrap();
    assert!(refused.is_err(), "23:50 local: both of May 1's are used");
    live.apply(Event::Complete, utc(1, 22, 10))
        .unwrap()
        .expect("00:10 local: a new day, without reopening");
    let replayed = replay_bytes(&live.path, &fs::read(&live.path).unwrap()).unwrap();
    assert_eq!(replayed.done_at[3], Some(utc(1, 22, 10)));
    assert_eq!(replayed.session.states()[3], StepState::Done);
}

#[test]
fn undoing_a_use_gives_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let mut live = store.create(opening(), t0()).unwrap();
    live.apply(Event::Select { step: 3 }, t0())
        .unwrap()
        .unwrap();
    live.apply(Event::Complete, t0()).unwrap().unwrap();
    live.apply(Event::Undo, t0()).unwrap().unwrap();
    let (all, _) = store.replay_all().unwrap();
    assert_eq!(all[0].done_at, [None, None, None, None]);
    assert!(
        store::DailyUses::new(&all, None, utc_day)
            .on_day_of(t0())
            .is_empty()
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

/// Review note: a clock set back made the live guide's time left grow between recorded
/// events, because a Wake that fired nothing was dropped along with its high-water mark.
#[test]
fn a_clock_set_back_between_events_never_gives_time_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let at = |s| t0() + TimeDelta::seconds(s);
    let mut live = store.create(opening(), t0()).unwrap();
    // The ice bath: 2 minutes, a cue at 30 s.
    live.apply(Event::Select { step: 1 }, at(0))
        .unwrap()
        .unwrap();
    live.apply(Event::Start, at(0)).unwrap().unwrap();
    let cue = live.apply(Event::Wake, at(50)).unwrap().unwrap();
    assert_eq!(cue.len(), 1, "the cue is written: {cue:?}");
    let path = live.path.clone();
    let lines = || fs::read_to_string(&path).unwrap().lines().count();
    let written = lines();
    assert!(live.apply(Event::Wake, at(55)).unwrap().unwrap().is_empty());
    assert_eq!(lines(), written, "a Wake that fired nothing is not written");
    let left = |live: &store::Live, s| live.session.run().unwrap().left(at(s));
    assert_eq!(left(&live, 55), std::time::Duration::from_secs(65));

    // The clock goes back 45 s: the screen stays at 65 s left, and the moment reached is
    // written once, so a crash now would not give the time back either.
    assert!(live.apply(Event::Wake, at(10)).unwrap().unwrap().is_empty());
    assert_eq!(left(&live, 10), std::time::Duration::from_secs(65));
    assert_eq!(lines(), written + 1);
    assert!(live.apply(Event::Wake, at(11)).unwrap().unwrap().is_empty());
    assert_eq!(left(&live, 11), std::time::Duration::from_secs(65));
    assert_eq!(lines(), written + 1, "once per set back");

    live.apply(Event::Pause, at(12)).unwrap().unwrap();
    assert_eq!(lines(), written + 2);
    let replayed = replay_bytes(&live.path, &fs::read(&live.path).unwrap()).unwrap();
    assert!(replayed.warnings.is_empty(), "{:?}", replayed.warnings);
    assert_eq!(replayed.session, live.session);
    assert_eq!(
        replayed.session.run().unwrap().phase,
        postrun::core::session::Phase::Paused {
            left: std::time::Duration::from_secs(65)
        }
    );
}

#[test]
fn a_session_has_one_writer_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let mut live = store.create(opening(), t0()).unwrap();
    let stale = store.find_open(t0()).unwrap().unwrap();

    // A second writer is turned away, told who has it; reading stays free.
    for err in [
        store.resume(stale.clone()).unwrap_err(),
        store.hold(stale.clone()).unwrap_err(),
    ] {
        let busy = store::Busy::within(&err).expect("busy");
        assert_eq!(busy.pid, Some(std::process::id()));
        assert_eq!(
            err.to_string(),
            format!(
                "this session is open in another window (pid {}); close it there, or watch \
                 it with `postrun status`",
                std::process::id()
            )
        );
    }
    assert_eq!(store.replay_all().unwrap().0.len(), 1);

    // The writer carries on, then lets go, and leaves nothing behind but its log.
    live.apply(Event::Complete, t0() + TimeDelta::seconds(5))
        .unwrap()
        .unwrap();
    drop(live);
    assert_eq!(fs::read_dir(store.dir()).unwrap().count(), 1);

    // The next writer reads the log again under the lock, so an older replay loses nothing.
    assert_eq!(stale.session.states()[0], StepState::Active);
    let again = store.resume(stale).unwrap();
    assert_eq!(again.session.states()[0], StepState::Done);
}

#[test]
fn a_session_a_newer_postrun_wrote_to_is_not_carried_on_but_can_be_closed() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _, _) = record(dir.path(), &[(0, Event::Complete)]);
    let mut text = fs::read_to_string(&path).unwrap();
    text.push_str(r#"{"v":2,"seq":2,"at":"2026-05-01T09:41:00Z","event":{"type":"warp"}}"#);
    text.push('\n');
    fs::write(&path, &text).unwrap();
    let store = Store::new(dir.path());
    let now = t0() + TimeDelta::minutes(2);
    let open = store.find_open(now).unwrap().unwrap();
    assert_eq!(open.newer, Some(2));
    let err = store.resume(open.clone()).unwrap_err();
    assert!(
        err.to_string().ends_with(
            "was written by a newer postrun (format 2); update postrun to carry on with this \
             session, or start a new one with `postrun --new`"
        ),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), text, "left as it was");
    store.hold(open).unwrap().close(now).unwrap();
    assert!(store.find_open(now).unwrap().is_none());
    let kept = fs::read_to_string(&path).unwrap();
    assert!(kept.starts_with(&text), "only a line added");
}

#[test]
fn a_log_whose_opening_is_from_a_newer_postrun_is_named_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    fs::create_dir_all(store.dir()).unwrap();
    let path = store.dir().join("future.jsonl");
    fs::write(
        &path,
        "{\"v\":7,\"seq\":0,\"at\":\"2026-05-01T09:40:00Z\",\"open\":{\"shape\":\"new\"}}\n",
    )
    .unwrap();
    let (all, warnings) = store.replay_all().unwrap();
    assert!(all.is_empty());
    let p = path.display();
    assert_eq!(
        warnings,
        [
            format!("{p}:1: written by a newer postrun (format 7); skipped"),
            format!("{p}: no session this postrun can read; skipped"),
        ]
    );
}

#[test]
fn a_window_that_is_closing_gets_a_moment_to_let_go() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let live = store.create(opening(), t0()).unwrap();
    let open = store.find_open(t0()).unwrap().unwrap();
    // The first window takes a tenth of a second to close (a shut terminal, a respawned
    // pane); the second, started meanwhile, waits for it rather than turning the runner away.
    let closing = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(100));
        drop(live);
    });
    let again = store.resume(open);
    closing.join().unwrap();
    assert!(again.is_ok(), "{:?}", again.err());
}

/// Starting the guide or `status` replays only what can matter today: the open session and
/// those written to in the last two days (their uses count toward today's daily limits).
/// Older logs are passed over by their cached summaries: one garbled after it was summed up,
/// its length and time kept, is never read again.
#[test]
fn only_recent_sessions_are_replayed_and_their_daily_uses_still_count() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let old = t0() - TimeDelta::days(10);
    cream(&store, old, old, utc_day).unwrap();
    let yesterday = t0() - TimeDelta::hours(20);
    cream(&store, yesterday, yesterday, utc_day).unwrap();
    let open = t0() - TimeDelta::minutes(30);
    cream(&store, open, open, utc_day).unwrap();
    // The summaries are cached on first look.
    assert_eq!(store.summaries().unwrap().0.len(), 3);

    let logs = store.logs().unwrap();
    let old_log = logs
        .iter()
        .find(|p| p.to_string_lossy().contains("20260421"))
        .expect("the old session's log");
    let modified = fs::metadata(old_log).unwrap().modified().unwrap();
    let len = fs::metadata(old_log).unwrap().len();
    fs::write(old_log, vec![b'x'; len as usize]).unwrap();
    fs::File::options()
        .write(true)
        .open(old_log)
        .unwrap()
        .set_modified(modified)
        .unwrap();

    let (recent, warnings) = store.replay_recent(t0()).unwrap();
    assert!(warnings.is_empty(), "the old log was read: {warnings:?}");
    let begun: Vec<Timestamp> = recent.iter().map(|r| r.opening.finished_at).collect();
    assert_eq!(begun, [yesterday, open]);
    assert_eq!(
        store
            .find_open(t0())
            .unwrap()
            .map(|r| r.opening.finished_at),
        Some(open)
    );
    let uses = store::DailyUses::new(&recent, None, utc_day);
    assert_eq!(
        uses.on_day_of(t0()).get("cream"),
        Some(&1),
        "today's own use"
    );
    assert_eq!(uses.on_day_of(yesterday).get("cream"), Some(&1));
    // Everything, as `replay_all` reads it, does meet the garbled log.
    assert!(!store.replay_all().unwrap().1.is_empty());
}

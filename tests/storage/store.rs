//! The session log: replaying it rebuilds the session; a log cut at any byte replays to a
//! prefix of its events, losing at most the line being written; bad lines are skipped.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{FixedOffset, TimeDelta, TimeZone, Utc};
use postrun::core::clock::Zone;
use postrun::core::guide::{DailyUses, Guide, Intent, Said, Told};
use postrun::core::protocol::parse;
use postrun::core::session::{Event, Fact, Session, StepState, Timestamp};
use postrun::shell::carry_out;
use postrun::store::{self, Body, Log, Opening, Store, replay_bytes};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

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
        too_late: Vec::new(),
        budget_s: None,
        late: false,
        run: None,
    }
}

/// The session as it stands at `now`: what fell due has fired.
fn caught_up(mut s: Session, now: Timestamp) -> Session {
    let _ = s.apply(Event::Wake, now);
    s
}

/// UTC: calendar days as the shell's local ones would be with TZ=UTC.
fn utc() -> Zone {
    Zone::Fixed(FixedOffset::east_opt(0).unwrap())
}

/// What the runner does: let time pass, or mean something.
#[derive(Debug, Clone, Copy)]
enum Step {
    Wake,
    Press(Intent),
}

fn step_strategy() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => Just(Step::Wake),
        3 => Just(Step::Press(Intent::Go)),
        3 => Just(Step::Press(Intent::PauseResume)),
        2 => Just(Step::Press(Intent::Skip)),
        2 => Just(Step::Press(Intent::Yes)),
        1 => Just(Step::Press(Intent::Back)),
        1 => Just(Step::Press(Intent::Undo)),
        1 => Just(Step::Press(Intent::Up)),
        1 => Just(Step::Press(Intent::Down)),
        2 => (0usize..5).prop_map(|row| Step::Press(Intent::Pick(row))),
        2 => Just(Step::Press(Intent::More)),
        1 => Just(Step::Press(Intent::Less)),
        1 => Just(Step::Press(Intent::SkipHold)),
        1 => Just(Step::Press(Intent::Help)),
    ]
}

/// A step, or an intent and its confirmation: past a timer's top, or skipping a required step.
fn moves() -> impl Strategy<Value = Vec<Step>> {
    prop_oneof![
        20 => step_strategy().prop_map(|s| vec![s]),
        2 => Just(vec![Step::Press(Intent::More), Step::Press(Intent::Yes)]),
        1 => Just(vec![Step::Press(Intent::Skip), Step::Press(Intent::Yes)]),
    ]
}

/// Up to `len` moves, each after a gap from `gaps`; a confirmation follows at once.
fn script<G>(gaps: G, len: std::ops::Range<usize>) -> impl Strategy<Value = Vec<(G::Value, Step)>>
where
    G: Strategy,
    G::Value: Default + Clone,
{
    proptest::collection::vec((gaps, moves()), len).prop_map(|moves| {
        moves
            .into_iter()
            .flat_map(|(gap, steps)| {
                steps.into_iter().enumerate().map(move |(k, step)| {
                    (
                        if k == 0 {
                            gap.clone()
                        } else {
                            G::Value::default()
                        },
                        step,
                    )
                })
            })
            .collect()
    })
}

/// The events written to the log at `path` past its first `from` bytes, read back.
fn written_since(path: &Path, from: u64) -> Vec<(Timestamp, Event)> {
    let bytes = fs::read(path).unwrap();
    bytes[usize::try_from(from).unwrap()..]
        .split(|b| *b == b'\n')
        .filter(|line| !line.is_empty())
        .map(|line| {
            let record: store::Record = serde_json::from_slice(line).unwrap();
            match record.body {
                Body::Event(event) => (record.at, event),
                other => panic!("not an event: {other:?}"),
            }
        })
        .collect()
}

/// A guide writing its session's log, changed only as the shell's loop changes it.
struct Writer {
    log: Log,
    guide: Guide,
}

impl Writer {
    /// A guide over a new session in `store`, begun at `now`.
    fn create(store: &Store, opening: Opening, now: Timestamp, zone: Zone) -> Writer {
        let (log, session) = store.create(opening, now).unwrap();
        Writer {
            log,
            guide: Guide::new(session, zone),
        }
    }

    /// Does `step` at `now` as the loop does (the change written, then taken on): what it
    /// told, and the events it wrote, read back from the log.
    fn step(&mut self, step: Step, now: Timestamp) -> (Told, Vec<(Timestamp, Event)>) {
        let from = fs::metadata(self.log.path()).unwrap().len();
        let change = match step {
            Step::Wake => self.guide.wake(now),
            Step::Press(intent) => self.guide.handle(intent, now),
        };
        let told = carry_out(&mut self.log, &mut self.guide, change).unwrap();
        (told, written_since(self.log.path(), from))
    }

    fn press(&mut self, intent: Intent, now: Timestamp) -> (Told, Vec<(Timestamp, Event)>) {
        self.step(Step::Press(intent), now)
    }

    fn wake(&mut self, now: Timestamp) -> (Told, Vec<(Timestamp, Event)>) {
        self.step(Step::Wake, now)
    }
}

/// The facts a change told of.
fn facts(told: &Told) -> Vec<Fact> {
    told.said
        .iter()
        .filter_map(|s| match s {
            Said::Fact(f) => Some(f.clone()),
            _ => None,
        })
        .collect()
}

/// Why a change was refused, if it was.
fn refusal(told: &Told) -> Option<String> {
    told.said.iter().find_map(|s| match s {
        Said::Refused(why) => Some(why.clone()),
        _ => None,
    })
}

/// Applies an event to the session and writes it to its log, as the guide does with an
/// event it records: it must be accepted.
fn put(log: &mut Log, session: &mut Session, event: Event, at: Timestamp) {
    session
        .apply(event.clone(), at)
        .unwrap_or_else(|r| panic!("{event:?} refused: {r}"));
    log.append(at, &event).unwrap();
}

/// Drives a guide over a new session's log at increasing times; returns the log's path, the
/// events written and the guide's session. Checks what each step wrote: a refused event
/// nothing, a Wake only when it fired something, an intent its one event or nothing, and
/// then nothing changed.
fn record(dir: &Path, script: &[(u16, Step)]) -> (PathBuf, Vec<(Timestamp, Event)>, Session) {
    let store = Store::new(dir);
    let mut w = Writer::create(&store, opening(), t0(), utc());
    let mut now = t0();
    let mut accepted = Vec::new();
    for &(gap, step) in script {
        now += TimeDelta::seconds(i64::from(gap));
        let before = w.guide.session().clone();
        let (told, written) = w.step(step, now);
        if refusal(&told).is_some() {
            assert!(
                written.is_empty(),
                "a refused event is not written: {step:?} {told:?}"
            );
        }
        match step {
            Step::Wake => {
                let fired = !facts(&told).is_empty();
                let expected = if fired {
                    vec![(now, Event::Wake)]
                } else {
                    Vec::new()
                };
                assert_eq!(
                    written, expected,
                    "a Wake is written when it fires something, only then"
                );
            }
            Step::Press(intent) => match &written[..] {
                [] => assert_eq!(
                    w.guide.session(),
                    &before,
                    "{intent:?}: nothing written, so nothing changed"
                ),
                [(at, event)] => {
                    assert_eq!(*at, now, "{intent:?}");
                    assert_ne!(*event, Event::Wake, "{intent:?}");
                }
                more => panic!("{intent:?} wrote {more:?}"),
            },
        }
        accepted.extend(written);
    }
    (
        w.log.path().to_path_buf(),
        accepted,
        w.guide.session().clone(),
    )
}

/// The log replays to the events written, and at the end to the guide's session.
fn replays_to_the_events(script: &[(u16, Step)]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let (path, accepted, live) = record(dir.path(), script);
    let replayed = replay_bytes(&path, &fs::read(&path).unwrap()).unwrap();
    prop_assert!(replayed.warnings.is_empty(), "{:?}", replayed.warnings);
    prop_assert_eq!(&replayed.events, &accepted);
    // A last Wake that fired nothing is kept in memory only; at the same moment both agree.
    let end = t0() + TimeDelta::seconds(script.iter().map(|(g, _)| i64::from(*g)).sum());
    prop_assert_eq!(caught_up(replayed.session, end), caught_up(live, end));
    Ok(())
}

/// After each event and each wake, with the clock going back as well as forth, the log
/// replays to the session on screen.
fn replays_to_what_was_shown(script: &[(i16, Step)]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let mut w = Writer::create(&store, opening(), t0(), utc());
    let mut now = t0();
    for &(gap, step) in script {
        now += TimeDelta::seconds(i64::from(gap));
        let (told, written) = w.step(step, now);
        // As before, the events and the wakes are checked: an intent that writes nothing and
        // is not refused (a cursor move, a window, a question) never reaches the session.
        if matches!(step, Step::Press(_)) && written.is_empty() && refusal(&told).is_none() {
            continue;
        }
        // A crash here: the log replays to the session on screen, time left and all.
        let path = w.log.path();
        let replayed = replay_bytes(path, &fs::read(path).unwrap()).unwrap();
        prop_assert!(replayed.warnings.is_empty(), "{:?}", replayed.warnings);
        prop_assert_eq!(
            caught_up(replayed.session, now),
            caught_up(w.guide.session().clone(), now),
            "{:?} at {}",
            step,
            now
        );
    }
    Ok(())
}

proptest! {
    // Failures are kept beside this file, in `store.proptest-regressions`: proptest's default
    // would look for them in `tests/proptest-regressions/`, as `main.rs` is beside this file.
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn replaying_the_log_equals_applying_the_events(
        script in script(0u16..90, 0..40)
    ) {
        replays_to_the_events(&script)?;
    }

    #[test]
    fn with_the_clock_set_back_the_log_still_replays_to_what_was_shown(
        script in script(-120i16..90, 0..40)
    ) {
        replays_to_what_was_shown(&script)?;
    }

    #[test]
    fn a_log_cut_at_any_byte_replays_to_a_prefix(
        script in script(0u16..90, 1..25)
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

/// The cases saved in `store.proptest-regressions` when the scripts were of raw events, as
/// the runner's intents: the drink skipped (confirmed), the ice bath started, an event
/// refused while it runs, a wake a second later, and the clock set back a second.
#[test]
fn the_cases_saved_from_event_scripts_still_hold() {
    use Intent::{Go, Skip, Yes};
    use Step::{Press, Wake};
    let at = |s| t0() + TimeDelta::seconds(s);
    // [(0, Skip { confirmed: true }), (0, Start), (0, Start), (1, Wake)]
    let script = [
        (0, Press(Skip)),
        (0, Press(Yes)),
        (0, Press(Go)),
        (0, Press(Go)),
        (1, Wake),
    ];
    let dir = tempfile::tempdir().unwrap();
    let (_, written, _) = record(dir.path(), &script);
    assert_eq!(
        written,
        [
            (at(0), Event::Skip { confirmed: true }),
            (at(0), Event::Start)
        ]
    );
    replays_to_the_events(&script).unwrap();
    replays_to_what_was_shown(&script.map(|(g, s)| (i16::try_from(g).unwrap(), s))).unwrap();
    // [(0, Skip { confirmed: true }), (0, Start), (1, Wake), (-1, Start)]: the Enter with the
    // clock set back is refused (the ice bath's minimum is a minute off), and the moment the
    // wake reached is written first.
    let store = Store::new(dir.path());
    let mut w = Writer::create(&store, opening(), t0(), utc());
    w.press(Skip, at(0));
    w.press(Yes, at(0));
    w.press(Go, at(0));
    w.wake(at(1));
    let (told, written) = w.press(Go, at(0));
    assert!(refusal(&told).is_some(), "{told:?}");
    assert_eq!(written, [(at(1), Event::Wake)]);
    replays_to_what_was_shown(&[
        (0, Press(Skip)),
        (0, Press(Yes)),
        (0, Press(Go)),
        (1, Wake),
        (-1, Press(Go)),
    ])
    .unwrap();
}

/// Ticks the drink off, then starts the ice bath's timer ten seconds later.
const DRINK_THEN_ICE: [(u16, Step); 2] =
    [(0, Step::Press(Intent::Go)), (10, Step::Press(Intent::Go))];

#[test]
fn a_garbled_line_is_skipped_with_a_warning_and_the_rest_replays() {
    let dir = tempfile::tempdir().unwrap();
    let (path, accepted, live) = record(dir.path(), &DRINK_THEN_ICE);
    assert_eq!(
        accepted,
        [
            (t0(), Event::Complete),
            (t0() + TimeDelta::seconds(10), Event::Start)
        ]
    );
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

/// Ticks the drink off.
const DRINK: [(u16, Step); 1] = [(0, Step::Press(Intent::Go))];

#[test]
fn resuming_after_a_torn_line_starts_a_fresh_line() {
    let dir = tempfile::tempdir().unwrap();
    let (path, accepted, _) = record(dir.path(), &DRINK);
    assert_eq!(accepted, [(t0(), Event::Complete)]);
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
    let (mut log, mut session) = store.resume(open).unwrap();
    put(
        &mut log,
        &mut session,
        Event::Start,
        t0() + TimeDelta::minutes(5),
    );

    let replayed = replay_bytes(&path, &fs::read(&path).unwrap()).unwrap();
    assert_eq!(
        replayed.events.len(),
        2,
        "the torn line is lost, the new event is not"
    );
    assert_eq!(replayed.session, session);
}

#[test]
fn a_record_that_lost_only_its_newline_is_kept_on_reopening() {
    // A disk that filled at the last byte of a line: the record is whole, and `status`
    // counts it, so reopening must keep it (it was cut off with the torn ones before).
    let dir = tempfile::tempdir().unwrap();
    let (path, accepted, _) = record(dir.path(), &DRINK);
    assert_eq!(accepted, [(t0(), Event::Complete)]);
    let mut bytes = fs::read(&path).unwrap();
    assert_eq!(bytes.pop(), Some(b'\n'));
    fs::write(&path, &bytes).unwrap();

    let store = Store::new(dir.path());
    let later = t0() + TimeDelta::minutes(5);
    let open = store.find_open(later).unwrap().unwrap();
    assert_eq!(open.events, accepted, "the replay counts it");
    let (mut log, mut session) = store.resume(open).unwrap();
    put(&mut log, &mut session, Event::Start, later);

    let replayed = replay_bytes(&path, &fs::read(&path).unwrap()).unwrap();
    assert!(replayed.warnings.is_empty(), "{:?}", replayed.warnings);
    assert_eq!(replayed.events.len(), 2, "the done drink is still there");
    assert_eq!(replayed.events[0], (t0(), Event::Complete));
    assert_eq!(replayed.session, session);
}

#[test]
fn a_session_is_open_until_finished_closed_or_a_day_old() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let (log, _) = store.create(opening(), t0()).unwrap();
    let path = log.path().to_path_buf();
    // The run at 10:00, bed 12 hours later: the night is over six hours after that.
    let night_over = t0() + TimeDelta::hours(18);
    assert!(
        store
            .find_open(night_over - TimeDelta::seconds(1))
            .unwrap()
            .is_some()
    );
    assert!(
        store.find_open(night_over).unwrap().is_none(),
        "the morning after, it is history"
    );
    // Without a night to end it (a bedtime a day off), 24 hours after the run.
    let late = tempfile::tempdir().unwrap();
    let store_late = Store::new(late.path());
    let mut far = opening();
    far.bedtime = t0() + TimeDelta::hours(30);
    store_late.create(far, t0()).unwrap();
    assert!(
        store_late
            .find_open(t0() + TimeDelta::hours(23))
            .unwrap()
            .is_some()
    );
    assert!(
        store_late
            .find_open(t0() + TimeDelta::hours(24))
            .unwrap()
            .is_none(),
        "a day after the run it is history"
    );
    log.close(t0() + TimeDelta::minutes(1)).unwrap();
    assert!(
        store
            .find_open(t0() + TimeDelta::minutes(2))
            .unwrap()
            .is_none(),
        "closed by --new"
    );

    let (mut log, mut session) = store
        .create(opening(), t0() + TimeDelta::minutes(3))
        .unwrap();
    assert_ne!(log.path(), path);
    let mut now = t0() + TimeDelta::minutes(3);
    for event in [
        Event::Complete,
        Event::Skip { confirmed: false },
        Event::Skip { confirmed: true },
        Event::Complete,
    ] {
        now += TimeDelta::seconds(1);
        put(&mut log, &mut session, event, now);
    }
    assert!(session.is_complete());
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

/// Runs the cream step (step 3) in a new session begun at `run`, at `at`, with the day's
/// other uses counted by calendar day in `zone`: Ok if its Complete was written, or why it
/// was refused (and nothing written).
fn cream(store: &Store, run: Timestamp, at: Timestamp, zone: Zone) -> Result<(), String> {
    let (all, _) = store.replay_all().unwrap();
    let mut w = Writer::create(
        store,
        Opening {
            finished_at: run,
            bedtime: run + TimeDelta::hours(12),
            ..opening()
        },
        run,
        zone,
    );
    let daily = DailyUses::new(store::daily_uses(&all, Some(w.log.path())), zone);
    w.guide = w.guide.with_daily(daily);
    let (told, written) = w.press(Intent::Pick(3), at);
    assert_eq!(written, [(at, Event::Select { step: 3 })], "{told:?}");
    let (told, written) = w.press(Intent::Go, at);
    match refusal(&told) {
        Some(why) => {
            assert!(written.is_empty(), "a refused event is not written");
            Err(why)
        }
        None => {
            assert_eq!(written, [(at, Event::Complete)], "{told:?}");
            Ok(())
        }
    }
}

#[test]
fn daily_limits_count_every_session_of_the_day() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    for k in 0..2 {
        let run = t0() + TimeDelta::minutes(k);
        cream(&store, run, run, utc()).unwrap();
    }
    let (all, _) = store.replay_all().unwrap();
    let uses = DailyUses::new(store::daily_uses(&all, None), utc());
    assert_eq!(uses.on_day_of(t0()).get("cream"), Some(&2));
    assert!(uses.on_day_of(t0() + TimeDelta::days(1)).is_empty());

    // A third session the same day is refused the cream.
    let run = t0() + TimeDelta::minutes(5);
    assert_eq!(
        cream(&store, run, run, utc()).unwrap_err(),
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
    cream(&store, may(1, 22, 0), may(1, 22, 10), utc()).unwrap();
    cream(&store, may(1, 23, 30), may(2, 0, 30), utc()).unwrap();
    let (all, _) = store.replay_all().unwrap();
    let uses = DailyUses::new(store::daily_uses(&all, None), utc());
    assert_eq!(uses.on_day_of(may(1, 12, 0)).get("cream"), Some(&1));
    assert_eq!(uses.on_day_of(may(2, 12, 0)).get("cream"), Some(&1));
    // May 2: one more is allowed, then the limit of 2 is reached. Counting by the run's day
    // would have allowed a third on May 2.
    cream(&store, may(2, 8, 0), may(2, 8, 10), utc()).unwrap();
    assert_eq!(
        cream(&store, may(2, 12, 0), may(2, 12, 10), utc()).unwrap_err(),
        "Cream is limited to 2 times a day, and today's are used"
    );
}

#[test]
fn a_session_open_across_midnight_gets_the_new_days_uses() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    // Days as on a clock at UTC+2: May 1 ends at 22:00 UTC.
    let plus2 = Zone::Fixed(FixedOffset::east_opt(2 * 3600).unwrap());
    let utc = |d, h, m| Utc.with_ymd_and_hms(2026, 5, d, h, m, 0).unwrap();
    cream(&store, utc(1, 6, 0), utc(1, 6, 10), plus2).unwrap();
    cream(&store, utc(1, 18, 0), utc(1, 18, 10), plus2).unwrap();
    let (all, _) = store.replay_all().unwrap();
    // A run at 23:00 local (21:00 UTC), the guide left open past midnight.
    let run = utc(1, 21, 0);
    let mut w = Writer::create(
        &store,
        Opening {
            finished_at: run,
            bedtime: run + TimeDelta::hours(3),
            ..opening()
        },
        run,
        plus2,
    );
    let daily = DailyUses::new(store::daily_uses(&all, Some(w.log.path())), plus2);
    w.guide = w.guide.with_daily(daily);
    let (told, written) = w.press(Intent::Pick(3), utc(1, 21, 30));
    assert_eq!(
        written,
        [(utc(1, 21, 30), Event::Select { step: 3 })],
        "{told:?}"
    );
    let (told, written) = w.press(Intent::Go, utc(1, 21, 50));
    assert!(
        refusal(&told).is_some(),
        "23:50 local: both of May 1's are used: {told:?}"
    );
    assert!(written.is_empty(), "a refused event is not written");
    let (told, written) = w.press(Intent::Go, utc(1, 22, 10));
    assert_eq!(
        refusal(&told),
        None,
        "00:10 local: a new day, without reopening"
    );
    assert_eq!(written, [(utc(1, 22, 10), Event::Complete)]);
    let path = w.log.path();
    let replayed = replay_bytes(path, &fs::read(path).unwrap()).unwrap();
    assert_eq!(replayed.done_at[3], Some(utc(1, 22, 10)));
    assert_eq!(replayed.session.states()[3], StepState::Done);
}

#[test]
fn undoing_a_use_gives_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let (mut log, mut session) = store.create(opening(), t0()).unwrap();
    put(&mut log, &mut session, Event::Select { step: 3 }, t0());
    put(&mut log, &mut session, Event::Complete, t0());
    put(&mut log, &mut session, Event::Undo, t0());
    let (all, _) = store.replay_all().unwrap();
    assert_eq!(all[0].done_at, [None, None, None, None]);
    assert!(
        DailyUses::new(store::daily_uses(&all, None), utc())
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
    let (path, accepted, _) = record(dir.path(), &DRINK);
    assert_eq!(accepted, [(t0(), Event::Complete)]);
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
    let mut w = Writer::create(&store, opening(), t0(), utc());
    // The ice bath: 2 minutes, a cue at 30 s.
    let (_, written) = w.press(Intent::Pick(1), at(0));
    assert_eq!(written, [(at(0), Event::Select { step: 1 })]);
    let (_, written) = w.press(Intent::Go, at(0));
    assert_eq!(written, [(at(0), Event::Start)]);
    let (told, written) = w.wake(at(50));
    let cue = facts(&told);
    assert_eq!(cue.len(), 1, "the cue is written: {cue:?}");
    assert_eq!(written, [(at(50), Event::Wake)]);
    let path = w.log.path().to_path_buf();
    let lines = || fs::read_to_string(&path).unwrap().lines().count();
    let written = lines();
    assert!(facts(&w.wake(at(55)).0).is_empty());
    assert_eq!(lines(), written, "a Wake that fired nothing is not written");
    let left = |guide: &Guide, s| guide.session().run().unwrap().left(at(s));
    assert_eq!(left(&w.guide, 55), std::time::Duration::from_secs(65));

    // The clock goes back 45 s: the screen stays at 65 s left, and the moment reached is
    // written once, so a crash now would not give the time back either.
    let (told, set_back) = w.wake(at(10));
    assert!(facts(&told).is_empty());
    assert_eq!(set_back, [(at(55), Event::Wake)], "the moment reached");
    assert_eq!(left(&w.guide, 10), std::time::Duration::from_secs(65));
    assert_eq!(lines(), written + 1);
    assert!(facts(&w.wake(at(11)).0).is_empty());
    assert_eq!(left(&w.guide, 11), std::time::Duration::from_secs(65));
    assert_eq!(lines(), written + 1, "once per set back");

    let (_, paused) = w.press(Intent::PauseResume, at(12));
    assert_eq!(paused, [(at(12), Event::Pause)]);
    assert_eq!(lines(), written + 2);
    let replayed = replay_bytes(&path, &fs::read(&path).unwrap()).unwrap();
    assert!(replayed.warnings.is_empty(), "{:?}", replayed.warnings);
    assert_eq!(&replayed.session, w.guide.session());
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
    let (mut log, mut session) = store.create(opening(), t0()).unwrap();
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
    put(
        &mut log,
        &mut session,
        Event::Complete,
        t0() + TimeDelta::seconds(5),
    );
    drop(log);
    assert_eq!(fs::read_dir(store.dir()).unwrap().count(), 1);

    // The next writer reads the log again under the lock, so an older replay loses nothing.
    assert_eq!(stale.session.states()[0], StepState::Active);
    let (_again, session) = store.resume(stale).unwrap();
    assert_eq!(session.states()[0], StepState::Done);
}

#[test]
fn a_session_a_newer_postrun_wrote_to_is_not_carried_on_but_can_be_closed() {
    let dir = tempfile::tempdir().unwrap();
    let (path, accepted, _) = record(dir.path(), &DRINK);
    assert_eq!(accepted, [(t0(), Event::Complete)]);
    let mut text = fs::read_to_string(&path).unwrap();
    text.push_str(r#"{"v":4,"seq":2,"at":"2026-05-01T09:41:00Z","event":{"type":"warp"}}"#);
    text.push('\n');
    fs::write(&path, &text).unwrap();
    let store = Store::new(dir.path());
    let now = t0() + TimeDelta::minutes(2);
    let open = store.find_open(now).unwrap().unwrap();
    assert_eq!(open.newer, Some(4));
    let err = store.resume(open.clone()).unwrap_err();
    assert!(
        err.to_string().ends_with(
            "was written by a newer postrun (format 4); update postrun to carry on with this \
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
    let (log, _) = store.create(opening(), t0()).unwrap();
    let open = store.find_open(t0()).unwrap().unwrap();
    // The first window takes a tenth of a second to close (a shut terminal, a respawned
    // pane); the second, started meanwhile, waits for it rather than turning the runner away.
    let closing = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(100));
        drop(log);
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
    cream(&store, old, old, utc()).unwrap();
    let yesterday = t0() - TimeDelta::hours(20);
    cream(&store, yesterday, yesterday, utc()).unwrap();
    let open = t0() - TimeDelta::minutes(30);
    cream(&store, open, open, utc()).unwrap();
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
    let uses = DailyUses::new(store::daily_uses(&recent, None), utc());
    assert_eq!(
        uses.on_day_of(t0()).get("cream"),
        Some(&1),
        "today's own use"
    );
    assert_eq!(uses.on_day_of(yesterday).get("cream"), Some(&1));
    // Everything, as `replay_all` reads it, does meet the garbled log.
    assert!(!store.replay_all().unwrap().1.is_empty());
}

/// A skipped hold is a new kind of line: it is written in format 2, every other line still in
/// format 1, so a postrun of format 1 reads what it can and leaves the session alone rather
/// than carry on without the skip.
#[test]
fn a_skipped_hold_is_a_format_2_line_that_replays() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let mut w = Writer::create(&store, opening(), t0(), utc());
    let at = |s| t0() + TimeDelta::seconds(s);
    w.press(Intent::Go, at(1)); // drink done
    w.press(Intent::Pick(2), at(2)); // the stretch
    w.press(Intent::Go, at(3)); // started: the gap to 8 s, the left foot to 38 s
    let (_, written) = w.press(Intent::SkipHold, at(10));
    assert_eq!(written, [(at(10), Event::SkipHold)]);
    let text = fs::read_to_string(w.log.path()).unwrap();
    let formats: Vec<u64> = text
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["v"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(formats, [1, 1, 1, 1, 2], "{text}");
    let replayed = replay_bytes(w.log.path(), text.as_bytes()).unwrap();
    assert!(replayed.warnings.is_empty(), "{:?}", replayed.warnings);
    assert_eq!(
        caught_up(replayed.session, at(20)),
        caught_up(w.guide.session().clone(), at(20))
    );
}

#[test]
fn a_daily_step_done_twice_is_two_uses_on_disk_and_in_history() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let mut w = Writer::create(&store, opening(), t0(), utc());
    let at = |s| t0() + TimeDelta::seconds(s);
    for k in 0..2 {
        let (_, written) = w.press(Intent::Pick(3), at(10 * k + 1));
        assert_eq!(written, [(at(10 * k + 1), Event::Select { step: 3 })]);
        let (_, written) = w.press(Intent::Go, at(10 * k + 2));
        assert_eq!(written, [(at(10 * k + 2), Event::Complete)]);
    }
    // The limit is two a day: a third is refused before it starts.
    let (told, written) = w.press(Intent::Pick(3), at(30));
    assert!(written.is_empty());
    assert_eq!(
        refusal(&told).as_deref(),
        Some("Cream is limited to 2 times a day, and today's are used")
    );
    let (all, _) = store.replay_all().unwrap();
    assert_eq!(all[0].session.uses()[3], [at(2), at(12)]);
    let uses = DailyUses::new(store::daily_uses(&all, None), utc());
    assert_eq!(uses.on_day_of(t0()).get("cream"), Some(&2));
    let (summaries, _) = store.summaries().unwrap();
    assert_eq!(summaries[0].uses_of(3), 2);
    assert_eq!(summaries[0].uses_of(0), 0);
}

//! Issue 17, parts 3 and 2 together: the runner's record read back. A month of made-up
//! sessions and journal entries, made through the store's own API in a temp folder, drawn as
//! the `history --calendar` text (a snapshot at 80 columns) and written as `history --csv`,
//! which a CSV reader we did not write parses back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{NaiveDate, TimeDelta, TimeZone, Utc};
use postrun::core::journal::Entry;
use postrun::core::protocol::{Activity, DEFAULT, builtin};
use postrun::core::session::{Event, Timestamp};
use postrun::core::watch::{Format, Run};
use postrun::store::journal::Journal;
use postrun::store::{Opening, Store, Summary};

/// The last day shown: Sunday 31 May 2026.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, 31).unwrap()
}

fn morning(day: u32) -> Timestamp {
    Utc.with_ymd_and_hms(2026, 5, day, 7, 0, 0).unwrap()
}

/// A session of the default routine whose run finished at `finished`, with its first `done`
/// steps done and the rest skipped, written event by event as the guide would.
fn session(store: &Store, finished: Timestamp, done: usize, run: Option<Run>) {
    let b = builtin(DEFAULT).unwrap();
    let opening = Opening {
        protocol: b.parse().unwrap(),
        origin: "built-in:optimal-recovery".into(),
        source: b.source.into(),
        finished_at: finished,
        bedtime: finished + TimeDelta::hours(15),
        bedtime_is_default: false,
        dropped: Vec::new(),
        too_late: Vec::new(),
        budget_s: None,
        late: false,
        run,
    };
    let (mut log, mut s) = store.create(opening, finished).unwrap();
    let mut at = finished + TimeDelta::minutes(1);
    for i in 0..s.protocol.steps.len() {
        let timed = !matches!(s.protocol.steps[i].activity, Activity::Tick);
        let events = match (i < done, timed) {
            // Hydrate asks what was drunk: 650 ml, written to the log and read back.
            (true, false) if i == 0 => vec![
                Event::Complete,
                Event::Value {
                    step: 0,
                    value: "650".into(),
                },
            ],
            (true, false) => vec![Event::Complete],
            // Started, then a wake long after: the timer has run out, the step is done.
            (true, true) => vec![Event::Start, Event::Wake],
            (false, _) => vec![Event::Skip { confirmed: true }],
        };
        for event in events {
            if event == Event::Wake {
                at += TimeDelta::hours(2);
            }
            s.apply(event.clone(), at).unwrap();
            log.append(at, &event).unwrap();
            at += TimeDelta::minutes(1);
        }
    }
    assert_eq!(s.done_count(), done);
}

fn note(journal: &Journal, day: u32, sore: Option<u8>, note: Option<&str>) {
    journal
        .append(&Entry {
            at: morning(day) + TimeDelta::hours(1),
            day: NaiveDate::from_ymd_opt(2026, 5, day).unwrap(),
            sore,
            note: note.map(str::to_string),
        })
        .unwrap();
}

/// A month: runs most weekdays, some of the routine done or all of it, a long run on
/// Saturdays, soreness noted after the hard days.
fn month(dir: &std::path::Path) -> (Vec<Summary>, Vec<Entry>) {
    let store = Store::new(dir);
    let journal = Journal::new(dir);
    let half = Run {
        format: Format::Fit,
        file: "=HYPERLINK(\"x\")".into(),
        started_at: morning(30) - TimeDelta::seconds(6310),
        ended_at: morning(30),
        duration_s: 6310,
        distance_m: Some(21_098),
        temperature_c: Some(27),
    };
    for (day, done) in [
        (4, 9),
        (5, 3),
        (7, 6),
        (9, 9),
        (11, 2),
        (12, 9),
        (14, 5),
        (16, 9),
        (18, 0),
        (19, 9),
        (21, 8),
        (23, 9),
        (25, 4),
        (26, 9),
        (28, 7),
    ] {
        session(&store, morning(day), done, None);
    }
    session(&store, morning(30), 9, Some(half));
    // Two sessions one day: the more complete one shades it.
    session(&store, morning(30) + TimeDelta::hours(3), 1, None);
    for (day, sore) in [(10, 6), (17, 7), (24, 5), (31, 8)] {
        note(&journal, day, Some(sore), None);
    }
    note(&journal, 30, Some(3), Some("calves tight, \"very\" tight"));
    note(&journal, 31, None, Some("rest day"));
    let (summaries, warnings) = store.summaries().unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let (entries, warnings) = journal.read().unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    (summaries, entries)
}

#[test]
fn a_month_as_the_calendar_draws_it_at_80_columns() {
    let dir = tempfile::tempdir().unwrap();
    let (sessions, entries) = month(dir.path());
    let text = postrun::cli::history::calendar(&sessions, &entries, today(), &Utc, 5);
    for line in text.lines() {
        assert!(postrun::core::printable::width(line) <= 80, "{line}");
    }
    insta::assert_snapshot!("calendar_month_80_columns", text);
}

#[test]
fn history_csv_reads_back_row_by_row() {
    let dir = tempfile::tempdir().unwrap();
    let (sessions, entries) = month(dir.path());
    let now = Utc.with_ymd_and_hms(2026, 6, 2, 12, 0, 0).unwrap();
    let text = postrun::cli::history::csv(&sessions, &entries, &Utc, now);
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header[..4],
        ["finished_at", "protocol", "open", "closed_early"]
    );
    assert_eq!(header[14], "values");
    assert_eq!(header[15..17], ["step:hydrate", "step:stretch"]);
    assert_eq!(header.len(), 15 + 9);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 17, "a row a session");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let first = &rows[0];
    assert_eq!(&first[col("finished_at")], "2026-05-04T07:00:00+00:00");
    assert_eq!(&first[col("steps_done")], "9");
    assert_eq!(&first[col("step:sleep")], "done");
    let fifth = &rows[4];
    assert_eq!(&fifth[col("steps_done")], "2");
    assert_eq!(&fifth[col("step:stretch")], "done");
    assert_eq!(&fifth[col("step:snack")], "skipped");
    let run = &rows[15];
    assert_eq!(&run[col("run_distance_m")], "21098");
    assert_eq!(&run[col("run_duration_s")], "6310");
    assert_eq!(&run[col("run_temperature_c")], "27");
    assert_eq!(
        &run[col("run_file")],
        "'=HYPERLINK(\"x\")",
        "a formula kept as text"
    );
    assert_eq!(&run[col("sore")], "3");
    assert_eq!(&run[col("notes")], "calves tight, \"very\" tight");
    assert_eq!(
        &rows[16][col("notes")],
        "calves tight, \"very\" tight",
        "same day"
    );
    assert_eq!(&first[col("sore")], "");
    assert_eq!(
        &first[col("values")],
        "hydrate=650 ml",
        "replayed from the log"
    );
}

//! `postrun history --csv`: one row a session, for a spreadsheet: when, the routine, each
//! step's state (a column per step id, empty where a session's routine has no such step),
//! the run's figures, and the soreness and notes of the session's day. Quoted as RFC 4180
//! asks; text that a spreadsheet would take for a formula is kept as text.
use chrono::{SecondsFormat, TimeZone};

use crate::core::journal::{self, Entry};
use crate::core::session::{StepState, Timestamp, span};
use crate::store::Summary;

/// The columns before the steps'.
const COLUMNS: [&str; 15] = [
    "finished_at",
    "protocol",
    "open",
    "closed_early",
    "steps_done",
    "steps_total",
    "duration_s",
    "run_file",
    "run_ended_at",
    "run_duration_s",
    "run_distance_m",
    "run_temperature_c",
    "sore",
    "notes",
    "values",
];

/// The sessions, oldest first, as CSV; times in `tz`.
pub fn csv<Tz: TimeZone>(sessions: &[Summary], entries: &[Entry], tz: &Tz, now: Timestamp) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let time = |t: Timestamp| {
        t.with_timezone(tz)
            .to_rfc3339_opts(SecondsFormat::Secs, false)
    };
    let mut ids: Vec<&str> = Vec::new();
    for s in sessions {
        for (id, _) in &s.steps {
            if !ids.contains(&id.as_str()) {
                ids.push(id);
            }
        }
    }
    let sore = journal::sore_by_day(entries);
    let mut out = String::new();
    let header: Vec<String> = COLUMNS
        .iter()
        .map(|c| c.to_string())
        .chain(ids.iter().map(|id| format!("step:{id}")))
        .collect();
    row(&mut out, &header);
    let mut sorted: Vec<&Summary> = sessions.iter().collect();
    sorted.sort_by_key(|s| s.finished_at);
    for s in sorted {
        let day = s.finished_at.with_timezone(tz).date_naive();
        let notes: Vec<&str> = entries
            .iter()
            .filter(|e| e.day == day)
            .filter_map(|e| e.note.as_deref())
            .collect();
        let done = s
            .steps
            .iter()
            .filter(|(_, st)| *st == StepState::Done)
            .count();
        let run = s.run.as_ref();
        let mut cells = vec![
            time(s.finished_at),
            text(&s.protocol),
            s.is_open(now).to_string(),
            s.closed.to_string(),
            done.to_string(),
            s.steps.len().to_string(),
            span(s.finished_at, s.last_at).as_secs().to_string(),
            run.map(|r| text(&r.file)).unwrap_or_default(),
            run.map(|r| time(r.ended_at)).unwrap_or_default(),
            run.map(|r| r.duration_s.to_string()).unwrap_or_default(),
            number(run.and_then(|r| r.distance_m)),
            number(run.and_then(|r| r.temperature_c)),
            number(sore.get(&day)),
            text(&notes.join(" / ")),
            // `hydrate=300 ml;ice-bath=10 C`: one cell, however many steps ask.
            text(
                &s.values
                    .iter()
                    .map(|g| format!("{}={} {}", g.step, g.value, g.unit))
                    .collect::<Vec<_>>()
                    .join(";"),
            ),
        ];
        cells.extend(ids.iter().map(|id| {
            s.steps
                .iter()
                .find(|(step, _)| step == id)
                .map(|(_, st)| state(*st).to_string())
                .unwrap_or_default()
        }));
        row(&mut out, &cells);
    }
    out
}

fn number<N: ToString>(n: Option<N>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

fn state(s: StepState) -> &'static str {
    match s {
        StepState::Pending => "pending",
        StepState::Active => "active",
        StepState::Done => "done",
        StepState::Skipped => "skipped",
    }
}

/// Text from a file or the runner: a leading `=`, `+`, `-` or `@` would make a spreadsheet
/// run it as a formula, so such text starts with an apostrophe, which shows it as text.
fn text(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

/// A row: each cell quoted when it holds a comma, a quote or a line break, quotes doubled.
fn row(out: &mut String, cells: &[String]) {
    let quoted: Vec<String> = cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        })
        .collect();
    out.push_str(&quoted.join(","));
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_only_when_they_must_be() {
        let mut out = String::new();
        row(
            &mut out,
            &[
                "plain".into(),
                "a, b".into(),
                "say \"hi\"".into(),
                "two\nlines".into(),
            ],
        );
        assert_eq!(out, "plain,\"a, b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
        assert_eq!(text("=1+1"), "'=1+1");
        assert_eq!(text("tight calves"), "tight calves");
    }
}

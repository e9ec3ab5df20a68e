//! `postrun history`: past sessions, newest first, with streaks and the most skipped steps;
//! or the last weeks as a calendar ([`calendar`]), or every session as CSV ([`csv`]).
mod calendar;
mod csv;

pub use calendar::calendar;
pub use csv::csv;
use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use chrono::{Local, NaiveDate, Utc};
use serde_json::json;

use super::day::{clock, rfc3339};
use super::out::{self, tell};
use super::{Context, Failure};
use crate::core::clock::Hours;
use crate::core::protocol::Units;
use crate::core::session::{StepState, Timestamp, mmss, span};
use crate::store::catalog::Folders;
use crate::store::journal::Journal;
use crate::store::{self, Store, Summary};

/// Arguments of `history`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON for scripts.
    #[arg(long, conflicts_with_all = ["csv", "calendar"])]
    pub json: bool,
    /// Print every session as CSV for a spreadsheet: one row each, oldest first, with each
    /// step's state, the run's figures, and the day's soreness and notes.
    #[arg(long, conflicts_with = "calendar")]
    pub csv: bool,
    /// Draw the last weeks as a calendar: a cell a day, shaded by how much of the routine was
    /// done, with how sore you were beside it.
    #[arg(long)]
    pub calendar: bool,
    /// How many weeks the calendar shows.
    #[arg(long, value_name = "N", default_value_t = 5, requires = "calendar", value_parser = clap::value_parser!(u32).range(1..=52))]
    pub weeks: u32,
}

/// Prints past sessions.
pub fn run(args: Args, folders: &Folders) -> Result<ExitCode, Failure> {
    let now = Utc::now();
    let store = Store::new(&folders.data);
    if args.csv || args.calendar {
        return record(&args, folders, &store, now);
    }
    let (sessions, warnings) =
        past(&store, now).with_context(|| format!("cannot read {}", store.dir().display()))?;
    let past: Vec<&Summary> = sessions.iter().collect();
    let (config, config_warning) = super::day::settings(folders);
    let hours = config.clock;
    for w in warnings.into_iter().chain(config_warning) {
        tell!("postrun: warning: {w}");
    }
    let mut out = out::stdout();
    if args.json {
        writeln!(out, "{}", out::json(&to_json(&past))?)?;
    } else {
        write!(out, "{}", text(&past, hours, config.units))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The calendar or the CSV: every session, open ones too (today's so far), with the journal.
fn record(
    args: &Args,
    folders: &Folders,
    store: &Store,
    now: Timestamp,
) -> Result<ExitCode, Failure> {
    let (sessions, warnings) = store
        .summaries()
        .with_context(|| format!("cannot read {}", store.dir().display()))?;
    let (entries, more) = match Journal::new(&folders.data).read() {
        Ok(read) => read,
        Err(e) => (Vec::new(), vec![e.to_string()]),
    };
    let (_, config_warning) = super::day::settings(folders);
    let all = warnings.iter().chain(&more).chain(&config_warning);
    for w in all.chain(sessions.iter().flat_map(|s| &s.warnings)) {
        tell!("postrun: warning: {w}");
    }
    let mut out = out::stdout();
    if args.csv {
        write!(out, "{}", csv(&sessions, &entries, &Local, now))?;
    } else {
        let today = now.with_timezone(&Local).date_naive();
        write!(
            out,
            "{}",
            calendar(&sessions, &entries, today, &Local, args.weeks)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The sessions no longer open at `now`, newest first, with what reading them warned of.
/// Summaries come from the store's cache: a long history is not replayed log by log.
fn past(store: &Store, now: Timestamp) -> Result<(Vec<Summary>, Vec<String>), store::Error> {
    let (sessions, mut warnings) = store.summaries()?;
    let mut past: Vec<Summary> = sessions.into_iter().filter(|r| !r.is_open(now)).collect();
    past.sort_by_key(|r| std::cmp::Reverse(r.finished_at));
    warnings.extend(past.iter().flat_map(|r| r.warnings.iter().cloned()));
    Ok((past, warnings))
}

/// The history as `postrun history` prints it with the default settings (24-hour times), and
/// the warnings it prints first.
pub fn summarise(store: &Store, now: Timestamp) -> Result<(String, Vec<String>), store::Error> {
    let (sessions, warnings) = past(store, now)?;
    let past: Vec<&Summary> = sessions.iter().collect();
    Ok((text(&past, Hours::default(), Units::default()), warnings))
}

fn to_json(past: &[&Summary]) -> serde_json::Value {
    let list: Vec<_> = past
        .iter()
        .map(|r| {
            let steps: Vec<_> = r
                .steps
                .iter()
                .map(|(id, st)| json!({"id": id, "state": st}))
                .collect();
            json!({
                "protocol": r.protocol,
                "finished_at": rfc3339(r.finished_at),
                "steps": steps,
                "duration_s": span(r.finished_at, r.last_at).as_secs(),
                "closed_early": r.closed,
                "run": r.run.as_ref().map(|run| json!({
                    "file": run.file,
                    "format": run.format,
                    "started_at": rfc3339(run.started_at),
                    "ended_at": rfc3339(run.ended_at),
                    "duration_s": run.duration_s,
                    "distance_m": run.distance_m,
                    "temperature_c": run.temperature_c,
                })),
            })
        })
        .collect();
    serde_json::Value::Array(list)
}

/// The history as text: one line a session, then streak and most-skipped lines.
pub fn text(past: &[&Summary], hours: Hours, units: Units) -> String {
    if past.is_empty() {
        return "No past sessions yet.\n".to_string();
    }
    let mut s = String::new();
    let mut skipped: BTreeMap<&str, usize> = BTreeMap::new();
    for r in past {
        let done = r
            .steps
            .iter()
            .filter(|(_, s)| *s == StepState::Done)
            .count();
        let skips: Vec<&str> = r
            .steps
            .iter()
            .filter(|(_, st)| *st == StepState::Skipped)
            .map(|(id, _)| id.as_str())
            .collect();
        for id in &skips {
            *skipped.entry(id).or_insert(0) += 1;
        }
        let when = format!(
            "{} {}",
            r.finished_at.with_timezone(&Local).format("%Y-%m-%d"),
            clock(r.finished_at, hours)
        );
        let skip_text = if skips.is_empty() {
            String::new()
        } else {
            format!("  skipped {}", skips.join(", "))
        };
        let run_text = r
            .run
            .as_ref()
            .map(|run| format!("  run {}", run.figures(units)))
            .unwrap_or_default();
        s.push_str(&format!(
            "{when}  {}  {done}/{} done  over {}{skip_text}{run_text}\n",
            r.protocol,
            r.steps.len(),
            mmss(span(r.finished_at, r.last_at).as_secs()),
        ));
    }
    let days: Vec<NaiveDate> = past
        .iter()
        .map(|r| r.finished_at.with_timezone(&Local).date_naive())
        .collect();
    let (n, streak) = (past.len(), longest_streak(&days));
    s.push_str(&format!(
        "\n{n} {}; longest streak {streak} {} in a row",
        if n == 1 { "session" } else { "sessions" },
        if streak == 1 { "day" } else { "days" }
    ));
    if let Some((id, n)) = skipped
        .iter()
        .max_by_key(|(id, n)| (**n, std::cmp::Reverse(**id)))
    {
        s.push_str(&format!("; most skipped: {id} ({n} of {})", past.len()));
    }
    s.push('\n');
    s
}

/// The longest run of consecutive calendar days with a session.
fn longest_streak(days: &[NaiveDate]) -> usize {
    let mut days = days.to_vec();
    days.sort();
    days.dedup();
    let (mut best, mut run) = (0, 0);
    for (i, d) in days.iter().enumerate() {
        run = if i > 0 && days[i - 1].succ_opt() == Some(*d) {
            run + 1
        } else {
            1
        };
        best = best.max(run);
    }
    best
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn streaks_count_consecutive_days() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 5, day).unwrap();
        assert_eq!(longest_streak(&[]), 0);
        assert_eq!(longest_streak(&[d(1)]), 1);
        assert_eq!(longest_streak(&[d(3), d(1), d(2), d(2), d(5)]), 3);
    }
}

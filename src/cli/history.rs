//! `postrun history`: past sessions, newest first, with streaks, the most skipped steps and
//! the time given to recovery, counted as the end of the day counts it; or the last weeks as a
//! calendar ([`calendar`]), or every session as CSV ([`csv`]).
pub mod calendar;
mod csv;

pub use calendar::calendar;
pub use csv::csv;
use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use chrono::{Local, NaiveDate, Utc};
use serde_json::json;

use std::time::Duration;

use super::day::{clock, rfc3339};
use super::out::{self, tell};
use super::{Context, Failure};
use crate::core::clock::Hours;
use crate::core::protocol::{Short, Units};
use crate::core::session::{StepState, Timestamp, span};
use crate::store::catalog::Folders;
use crate::store::journal::Journal;
use crate::store::{self, Store, Summary};

/// Arguments of `history`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON for scripts.
    #[arg(long, conflicts_with_all = ["csv", "calendar"])]
    pub json: bool,
    /// Only the summary: sessions, streaks, the step skipped most, time on recovery. With
    /// `--json`, as one object (the list `--json` gives alone keeps its shape).
    #[arg(long)]
    pub summary: bool,
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
    match (args.json, args.summary) {
        (true, false) => writeln!(out, "{}", out::json(&to_json(&past))?)?,
        (true, true) => writeln!(out, "{}", out::json(&Totals::of(&past).to_json())?)?,
        (false, false) => write!(out, "{}", text(&past, hours, config.units))?,
        (false, true) => write!(out, "{}", Totals::of(&past).text())?,
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

/// The steps of a session in a state, by id: skipped by the runner (the budget's drops are
/// not), or dropped by the budget.
fn ids(r: &Summary, dropped: bool) -> Vec<&str> {
    r.steps
        .iter()
        .enumerate()
        .filter(|(i, (_, st))| *st == StepState::Skipped && r.dropped.contains(i) == dropped)
        .map(|(_, (id, _))| id.as_str())
        .collect()
}

fn to_json(past: &[&Summary]) -> serde_json::Value {
    let list: Vec<_> = past
        .iter()
        .map(|r| {
            let steps: Vec<_> = r
                .steps
                .iter()
                .enumerate()
                .map(|(i, (id, st))| {
                    json!({
                        "id": id,
                        "state": st,
                        "dropped": r.dropped.contains(&i),
                        "uses": r.uses_of(i),
                    })
                })
                .collect();
            json!({
                "protocol": r.protocol,
                "finished_at": rfc3339(r.finished_at),
                "steps": steps,
                "duration_s": span(r.finished_at, r.last_at).as_secs(),
                "spent_s": r.spent_s,
                "closed_early": r.closed,
                "run": r.run.as_ref().map(super::plan::run_figures),
                "values": r.values,
            })
        })
        .collect();
    serde_json::Value::Array(list)
}

/// The history as text: one line a session, then the summary.
pub fn text(past: &[&Summary], hours: Hours, units: Units) -> String {
    if past.is_empty() {
        return "No past sessions yet.\n".to_string();
    }
    let mut s = String::new();
    for r in past {
        let done = r
            .steps
            .iter()
            .filter(|(_, s)| *s == StepState::Done)
            .count();
        let listed = |word: &str, ids: Vec<&str>| {
            if ids.is_empty() {
                String::new()
            } else {
                format!("  {word} {}", ids.join(", "))
            }
        };
        // A daily step done more than once says how often: each use counts.
        let repeats: String = (0..r.steps.len())
            .filter(|i| r.uses_of(*i) > 1)
            .map(|i| format!("  {} ×{}", r.steps[i].0, r.uses_of(i)))
            .collect();
        let when = format!(
            "{} {}",
            r.finished_at.with_timezone(&Local).format("%Y-%m-%d"),
            clock(r.finished_at, hours)
        );
        let run_text = r
            .run
            .as_ref()
            .map(|run| format!("  run {}", run.figures(units)))
            .unwrap_or_default();
        let given: Vec<String> = r.values.iter().map(|g| g.text()).collect();
        let run_text = run_text + &listed("values", given.iter().map(String::as_str).collect());
        // What the end of the day says, and when the last step was: "over 01:45" read as
        // time spent, and disagreed with it.
        s.push_str(&format!(
            "{when}  {}  {done}/{} done{repeats}  about {} on recovery, last at {}{}{}{run_text}\n",
            r.protocol,
            r.steps.len(),
            Short(Duration::from_secs(r.spent_s)),
            clock(r.last_at, hours),
            listed("skipped", ids(r, false)),
            listed("dropped", ids(r, true)),
        ));
    }
    s.push('\n');
    s.push_str(&Totals::of(past).text());
    s
}

/// What the history adds up to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    /// Past sessions.
    pub sessions: usize,
    /// The longest run of calendar days with something done.
    pub longest_streak: usize,
    /// The step the runner skipped most (dropped by a budget does not count), how often.
    pub most_skipped: Option<(String, usize)>,
    /// Time given to recovery in all.
    pub spent: Duration,
}

impl Totals {
    /// The totals of `past`.
    pub fn of(past: &[&Summary]) -> Totals {
        let mut skipped: BTreeMap<&str, usize> = BTreeMap::new();
        for r in past {
            for id in ids(r, false) {
                *skipped.entry(id).or_insert(0) += 1;
            }
        }
        // A day with nothing done is no day of recovery: it breaks a streak.
        let days: Vec<NaiveDate> = past
            .iter()
            .filter(|r| r.steps.iter().any(|(_, s)| *s == StepState::Done))
            .map(|r| r.finished_at.with_timezone(&Local).date_naive())
            .collect();
        Totals {
            sessions: past.len(),
            longest_streak: longest_streak(&days),
            most_skipped: skipped
                .iter()
                .max_by_key(|(id, n)| (**n, std::cmp::Reverse(**id)))
                .map(|(id, n)| (id.to_string(), *n)),
            spent: past.iter().map(|r| Duration::from_secs(r.spent_s)).sum(),
        }
    }

    /// "3 sessions; longest streak 2 days in a row; most skipped: nap (2 of 3)".
    pub fn text(&self) -> String {
        if self.sessions == 0 {
            return "No past sessions yet.\n".to_string();
        }
        let (n, streak) = (self.sessions, self.longest_streak);
        let mut s = format!(
            "{n} {}; longest streak {streak} {} in a row",
            if n == 1 { "session" } else { "sessions" },
            if streak == 1 { "day" } else { "days" }
        );
        if let Some((id, k)) = &self.most_skipped {
            s.push_str(&format!("; most skipped: {id} ({k} of {n})"));
        }
        s.push_str(&format!("; about {} on recovery\n", Short(self.spent)));
        s
    }

    /// The totals for scripts.
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "sessions": self.sessions,
            "longest_streak_days": self.longest_streak,
            "most_skipped": self.most_skipped.as_ref().map(|(id, n)| json!({
                "id": id,
                "sessions": n,
            })),
            "spent_s": self.spent.as_secs(),
        })
    }
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

    /// A past session on May `day` at noon: each step's id and state, the budget's drops.
    fn day(day: u32, steps: &[(&str, StepState)], dropped: &[usize]) -> Summary {
        use chrono::TimeZone;
        let at = Utc.with_ymd_and_hms(2026, 5, day, 12, 0, 0).unwrap();
        Summary {
            protocol: "p".into(),
            finished_at: at,
            bedtime: None,
            run: None,
            values: Vec::new(),
            opened_at: at,
            last_at: at + chrono::TimeDelta::minutes(90),
            closed: true,
            complete: false,
            steps: steps.iter().map(|(id, s)| (id.to_string(), *s)).collect(),
            uses: steps
                .iter()
                .map(|(_, s)| u32::from(*s == StepState::Done))
                .collect(),
            dropped: dropped.to_vec(),
            spent_s: 300,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn a_step_the_budget_dropped_is_not_counted_as_skipped() {
        use StepState::{Done, Skipped};
        let a = day(
            1,
            &[("drink", Done), ("nap", Skipped), ("bath", Skipped)],
            &[1, 2],
        );
        let b = day(2, &[("drink", Done), ("nap", Skipped), ("bath", Done)], &[]);
        let totals = Totals::of(&[&a, &b]);
        assert_eq!(totals.most_skipped, Some(("nap".to_string(), 1)));
        let text = text(&[&a, &b], Hours::TwentyFour, Units::Metric);
        assert!(text.contains("  dropped nap, bath"), "{text}");
        assert!(text.contains("most skipped: nap (1 of 2)"), "{text}");
    }

    #[test]
    fn a_day_with_nothing_done_breaks_a_streak() {
        use StepState::{Done, Skipped};
        let done = |d| day(d, &[("drink", Done)], &[]);
        let idle = day(2, &[("drink", Skipped)], &[]);
        let (one, three) = (done(1), done(3));
        assert_eq!(Totals::of(&[&one, &idle, &three]).longest_streak, 1);
        let two = done(2);
        assert_eq!(Totals::of(&[&one, &two, &three]).longest_streak, 3);
    }

    #[test]
    fn each_line_says_the_time_on_recovery_and_when_the_last_step_was() {
        let a = day(1, &[("drink", StepState::Done)], &[]);
        let line = text(&[&a], Hours::TwentyFour, Units::Metric);
        assert!(
            line.contains("1/1 done  about 5m on recovery, last at"),
            "{line}"
        );
        assert!(!line.contains(" over "), "{line}");
    }

    #[test]
    fn the_summary_as_json_is_an_object_of_totals() {
        let a = day(
            1,
            &[("drink", StepState::Done), ("nap", StepState::Skipped)],
            &[],
        );
        let v = Totals::of(&[&a, &a]).to_json();
        assert_eq!(
            v,
            json!({
                "sessions": 2,
                "longest_streak_days": 1,
                "most_skipped": {"id": "nap", "sessions": 2},
                "spent_s": 600,
            })
        );
    }
}

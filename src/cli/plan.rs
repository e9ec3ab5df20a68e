//! `postrun plan`: the day's schedule with clock times; with a budget, what is kept and what
//! is dropped, and why; or the kept steps as an iCalendar file.
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{Local, Utc};
use serde_json::json;

use super::day::{self, Day, clock, clock_from, rfc3339};
use super::{Context, DayArgs, Failure};
use crate::core::calendar;
use crate::core::plan::{self, Plan, words};
use crate::core::protocol::Short;
use crate::store::catalog::{self, Folders};
use crate::store::config::Source;

/// Arguments of `plan`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The day's setup.
    #[command(flatten)]
    pub day: DayArgs,
    /// Print JSON for scripts.
    #[arg(long, conflicts_with = "ics")]
    pub json: bool,
    /// Print the kept steps as an iCalendar file, to import into a calendar: one event per
    /// step window, with an alarm as it opens.
    #[arg(long)]
    pub ics: bool,
    /// With --ics: write the file here (replaced whole, never half-written) instead of
    /// printing it.
    #[arg(long, short, value_name = "FILE", requires = "ics")]
    pub output: Option<PathBuf>,
}

/// Prints the plan.
pub fn run(args: Args, folders: &Folders) -> Result<ExitCode, Failure> {
    let now = Utc::now();
    let day = day::resolve(&args.day.choice(), folders, now)?;
    let plan = day.plan(args.day.budget);
    if args.ics {
        let text = calendar::ics(&day.loaded.protocol, &plan, now, &Local, day.hours);
        match &args.output {
            Some(path) => catalog::write_atomic(path, text.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?,
            None => io::stdout().lock().write_all(text.as_bytes())?,
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = io::stdout().lock();
    if args.json {
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&to_json(&day, &plan))?
        )?;
    } else {
        write!(out, "{}", text(&day, &plan))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn to_json(day: &Day, plan: &Plan) -> serde_json::Value {
    let p = &day.loaded.protocol;
    let clock = |t| clock(t, day.hours);
    let steps: Vec<_> = plan
        .entries
        .iter()
        .map(|e| {
            let s = &p.steps[e.step];
            json!({
                "id": s.id,
                "title": s.title,
                "optional": s.optional,
                "kept": e.dropped.is_none(),
                "start": e.times.map(|t| rfc3339(t.start)),
                "end": e.times.map(|t| rfc3339(t.end)),
                "takes_s": e.takes.as_secs(),
                "too_late": matches!(e.dropped, Some(plan::Dropped::TooLate(_))),
                "dropped_because": e.dropped.map(|d| words::dropped(&d, &clock)),
                "shortest": e.shortest,
            })
        })
        .collect();
    let clashes: Vec<String> = plan
        .clashes
        .iter()
        .map(|c| words::clash(c, plan, p, &clock))
        .collect();
    json!({
        "protocol": p.id,
        "finished_at": rfc3339(day.finished_at),
        "bedtime": rfc3339(day.bedtime),
        "late": plan.late,
        "budget_s": plan.budget.map(|b| b.as_secs()),
        "kept_s": plan.kept.as_secs(),
        "required_s": plan.required.as_secs(),
        "over_s": plan.over().map(|d| d.as_secs()),
        "clashes": clashes,
        "steps": steps,
    })
}

/// The plan as the runner reads it: the steps in the order they come, what clashes, what is
/// too late tonight, and what the budget keeps.
pub fn text(day: &Day, plan: &Plan) -> String {
    let p = &day.loaded.protocol;
    let clock = |t| clock(t, day.hours);
    let bed_note = match day.bedtime_source {
        Source::Default => " (the default; set yours with --bedtime or in config.toml)",
        Source::File | Source::Flag => "",
    };
    let mut s = format!(
        "{}: run finished {}, bedtime {}{bed_note}\n",
        p.name,
        clock(day.finished_at),
        clock_from(day.bedtime, day.finished_at, day.hours)
    );
    if plan.late {
        s.push_str(
            "Your run ended after bedtime: tonight is the steps that follow a run at once, then sleep.\n",
        );
    }
    s.push('\n');
    let rows: Vec<[String; 5]> = plan
        .entries
        .iter()
        .map(|e| {
            let step = &p.steps[e.step];
            [
                e.times
                    .as_ref()
                    .map_or_else(|| "-".to_string(), |t| words::window(t, &clock)),
                step.id.clone(),
                step.title.clone(),
                if e.takes.is_zero() {
                    String::new()
                } else {
                    Short(e.takes).to_string()
                },
                match (e.dropped, step.optional) {
                    (Some(d), _) => words::dropped_word(&d).into(),
                    (None, true) => "optional".into(),
                    (None, false) => String::new(),
                },
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..5)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for row in &rows {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        s.push_str("  ");
        s.push_str(line.join("  ").trim_end());
        s.push('\n');
    }
    let mut notes: Vec<String> = plan
        .clashes
        .iter()
        .map(|c| words::clash(c, plan, p, &clock))
        .collect();
    for e in &plan.entries {
        if let Some(d @ plan::Dropped::TooLate(_)) = e.dropped {
            notes.push(format!(
                "{}: {}.",
                p.steps[e.step].title,
                words::dropped(&d, &clock)
            ));
        }
    }
    notes.extend(words::budget(plan, p));
    for e in &plan.entries {
        if let Some(d @ plan::Dropped::Budget { .. }) = e.dropped {
            notes.push(format!(
                "{} dropped: {}.",
                p.steps[e.step].title,
                words::dropped(&d, &clock)
            ));
        }
    }
    if !notes.is_empty() {
        s.push('\n');
        for n in notes {
            s.push_str(&n);
            s.push('\n');
        }
    }
    s
}

//! `postrun plan`: the day's schedule with clock times; with a budget, what is kept and what
//! is dropped, and why; or the kept steps as an iCalendar file.
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{Local, Utc};
use serde_json::json;

use super::day::{self, Day, clock, rfc3339, window_text};
use super::out;
use super::{Context, DayArgs, Failure};
use crate::core::calendar;
use crate::core::plan::{self, Plan};
use crate::core::printable::{pad, width};
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
    let plan = plan::plan(
        &day.loaded.protocol,
        day.finished_at,
        day.bedtime,
        args.day.budget,
    );
    if args.ics {
        let text = calendar::ics(&day.loaded.protocol, &plan, now, &Local);
        match &args.output {
            Some(path) => catalog::write_atomic(path, text.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?,
            None => out::stdout().write_all(text.as_bytes())?,
        }
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = out::stdout();
    if args.json {
        writeln!(out, "{}", out::json(&to_json(&day, &plan))?)?;
    } else {
        write!(out, "{}", text(&day, &plan))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn to_json(day: &Day, plan: &Plan) -> serde_json::Value {
    let p = &day.loaded.protocol;
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
                "dropped_because": e.dropped.map(|d| format!("needs {}, {} left", Short(d.needs), Short(d.left))),
            })
        })
        .collect();
    json!({
        "protocol": p.id,
        "finished_at": rfc3339(day.finished_at),
        "bedtime": rfc3339(day.bedtime),
        "budget_s": plan.budget.map(|b| b.as_secs()),
        "kept_s": plan.kept.as_secs(),
        "steps": steps,
    })
}

/// The plan as the runner reads it.
pub fn text(day: &Day, plan: &Plan) -> String {
    let p = &day.loaded.protocol;
    let bed_note = match day.bedtime_source {
        Source::Default => " (the default; set yours with --bedtime or in config.toml)",
        Source::File | Source::Flag => "",
    };
    let mut s = format!(
        "{}: run finished {}, bedtime {}{bed_note}\n\n",
        p.name,
        clock(day.finished_at),
        clock(day.bedtime)
    );
    let rows: Vec<[String; 5]> = plan
        .entries
        .iter()
        .map(|e| {
            let step = &p.steps[e.step];
            [
                e.times
                    .as_ref()
                    .map_or_else(|| "-".to_string(), window_text),
                step.id.clone(),
                step.title.clone(),
                if e.takes.is_zero() {
                    String::new()
                } else {
                    Short(e.takes).to_string()
                },
                match (e.dropped, step.optional) {
                    (Some(_), _) => "dropped".into(),
                    (None, true) => "optional".into(),
                    (None, false) => String::new(),
                },
            ]
        })
        .collect();
    // Columns by what they take on screen: a CJK title is twice as wide as it is long.
    let widths: Vec<usize> = (0..5)
        .map(|c| rows.iter().map(|r| width(&r[c])).max().unwrap_or(0))
        .collect();
    for row in &rows {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| pad(cell, *w))
            .collect();
        s.push_str("  ");
        s.push_str(line.join("  ").trim_end());
        s.push('\n');
    }
    if let Some(budget) = plan.budget {
        s.push_str(&format!(
            "\nBudget {}: keeping steps that take {}.",
            Short(budget),
            Short(plan.kept)
        ));
        if plan.required > budget {
            s.push_str(&format!(
                " The required steps alone take {}.",
                Short(plan.required)
            ));
        }
        s.push('\n');
        for e in &plan.entries {
            if let Some(d) = e.dropped {
                let title = &p.steps[e.step].title;
                s.push_str(&format!(
                    "{title} dropped: needs {}, {} left\n",
                    Short(d.needs),
                    Short(d.left)
                ));
            }
        }
    }
    s
}

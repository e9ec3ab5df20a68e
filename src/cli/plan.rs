//! `postrun plan`: the day's schedule with clock times; with a budget, what is kept and what
//! is dropped, and why; or the kept steps as an iCalendar file.
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{Local, Utc};
use serde_json::json;

use super::day::{self, clock, clock_from, rfc3339};
use super::out;
use super::{Context, DayArgs, Failure};
use crate::core::calendar;
use crate::core::clock::Hours;
use crate::core::plan::{self, Plan, words};
use crate::core::printable::{pad, width};
use crate::core::protocol::{Protocol, Short, Units};
use crate::core::session::{Session, StepState, Timestamp};
use crate::core::watch::Run;
use crate::store::Store;
use crate::store::catalog::{self, Folders};
use crate::store::config::Source;
use crate::store::write::{self, Mode};

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
    /// printing it; `-` prints it, and a device or pipe (`/dev/stdout`) is written into.
    #[arg(long, short, value_name = "FILE", requires = "ics")]
    pub output: Option<PathBuf>,
}

/// The day shown: the open session's, or the one the arguments plan.
struct Shown<'a> {
    protocol: &'a Protocol,
    finished_at: Timestamp,
    bedtime: Timestamp,
    default_bedtime: bool,
    hours: Hours,
    /// The open session, when the plan is its day: what is done and skipped.
    session: Option<&'a Session>,
    /// The run from the watch the day follows, if it does.
    run: Option<&'a Run>,
    /// The units distances and temperatures are shown in.
    units: Units,
}

/// Prints the plan: the open session's day, unless the command line asks for another.
pub fn run(args: Args, folders: &Folders) -> Result<ExitCode, Failure> {
    let now = Utc::now();
    let open = match args.day.is_given() {
        true => None,
        false => Store::new(&folders.data).find_open(now)?,
    };
    let config = crate::store::config::load(folders)?;
    let units = config.units;
    let day;
    let mut using = None;
    let (shown, plan) = match &open {
        Some(r) => {
            let hours = config.clock;
            let shown = Shown {
                protocol: &r.session.protocol,
                finished_at: r.session.finished_at,
                bedtime: r.session.bedtime,
                default_bedtime: r.opening.bedtime_is_default,
                hours,
                session: Some(&r.session),
                run: r.session.recorded.as_ref(),
                units,
            };
            (shown, plan::of_session(&r.session))
        }
        None => {
            let watch_folder = args.day.finished.is_none();
            let found = day::pick_run(args.day.from.as_deref(), watch_folder, &config, now)?;
            using = found.as_ref().map(|f| day::using(f, config.clock, units));
            day = day::resolve(&args.day.choice(), found.as_ref(), folders, now)?;
            let shown = Shown {
                protocol: &day.loaded.protocol,
                finished_at: day.finished_at,
                bedtime: day.bedtime,
                default_bedtime: day.bedtime_source == Source::Default,
                hours: day.hours,
                session: None,
                run: day.run.as_ref(),
                units,
            };
            (shown, day.plan(args.day.budget))
        }
    };
    if args.ics {
        let text = calendar::ics(shown.protocol, &plan, now, &Local, shown.hours);
        // `-o -` is standard output, as for most tools that write a file.
        let output = args.output.as_ref().filter(|p| p.as_os_str() != "-");
        match output {
            // `/dev/stdout`, a terminal, a pipe: nothing said there, as for `-o -`.
            Some(path) if write::is_stream(path) => {
                write::into_stream(path, text.as_bytes())
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            Some(path) => {
                catalog::write_atomic(path, text.as_bytes(), Mode::Kept)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                let events = text.matches("BEGIN:VEVENT").count();
                writeln!(
                    out::stdout(),
                    "Wrote {events} events for the run that finished {} to {}",
                    clock(shown.finished_at, shown.hours),
                    path.display()
                )?;
            }
            None => out::stdout().write_all(text.as_bytes())?,
        }
        return Ok(ExitCode::SUCCESS);
    }
    let record = super::journal::record(folders, &config, &shown.protocol.id, now);
    let mut out = out::stdout();
    if args.json {
        let mut value = to_json(&shown, &plan);
        value["record"] = json!(record);
        writeln!(out, "{}", out::json(&value)?)?;
    } else {
        if let Some(line) = using {
            writeln!(out, "{line}")?;
        }
        let text = text(&shown, &plan);
        // The runner's record comes under the first line (the day's), before the steps.
        let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
        writeln!(out, "{first}")?;
        for line in &record {
            writeln!(out, "{line}")?;
        }
        write!(out, "{rest}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A step's state in the open session, as the plan says it: `done`, `skipped`, or nothing.
fn done_word(shown: &Shown, step: usize) -> Option<&'static str> {
    match shown.session?.states().get(step)? {
        StepState::Done => Some("done"),
        StepState::Skipped if !shown.session?.dropped.contains(&step) => Some("skipped"),
        _ => None,
    }
}

fn to_json(day: &Shown, plan: &Plan) -> serde_json::Value {
    let p = day.protocol;
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
                "state": day.session.and_then(|s| s.states().get(e.step)),
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
        "session": day.session.is_some(),
        "budget_s": plan.budget.map(|b| b.as_secs()),
        "kept_s": plan.kept.as_secs(),
        "required_s": plan.required.as_secs(),
        "over_s": plan.over().map(|d| d.as_secs()),
        "clashes": clashes,
        "steps": steps,
        "run": day.run.map(|r| run_json(r, day.protocol)),
    })
}

/// The run from the watch as JSON: its figures as the file gave them (`history --json` too).
pub fn run_figures(run: &Run) -> serde_json::Value {
    json!({
        "file": run.file,
        "format": run.format,
        "started_at": rfc3339(run.started_at),
        "ended_at": rfc3339(run.ended_at),
        "duration_s": run.duration_s,
        "distance_m": run.distance_m,
        "temperature_c": run.temperature_c,
    })
}

/// The run's figures, and whether the routine calls it hot.
pub fn run_json(run: &Run, protocol: &Protocol) -> serde_json::Value {
    let mut figures = run_figures(run);
    figures["hot"] = json!(run.is_hot(protocol));
    figures
}

/// After a hot run: how hot, and the steps whose advice for the heat comes first today.
pub fn hot_line(run: &Run, protocol: &Protocol, units: Units) -> Option<String> {
    if !run.is_hot(protocol) {
        return None;
    }
    let steps: Vec<&str> = protocol
        .steps
        .iter()
        .filter(|s| s.when_hot.is_some())
        .map(|s| s.title.as_str())
        .collect();
    let temperature = run.temperature(units)?;
    Some(match steps.is_empty() {
        true => format!("A hot run: {temperature} on average."),
        false => format!(
            "A hot run: {temperature} on average, so {} starts with advice for the heat.",
            steps.join(", ")
        ),
    })
}

/// The plan as the runner reads it: the steps in the order they come, what clashes, what is
/// too late tonight, and what the budget keeps.
fn text(day: &Shown, plan: &Plan) -> String {
    let p = day.protocol;
    let clock = |t| clock(t, day.hours);
    let bed_note = match day.default_bedtime {
        true => " (the default; set yours with --bedtime or in config.toml)",
        false => "",
    };
    let yours = if day.session.is_some() {
        "Your session, "
    } else {
        ""
    };
    let after = day
        .run
        .map(|r| format!(" after {}", r.figures(day.units)))
        .unwrap_or_default();
    let mut s = format!(
        "{yours}{}: run finished {}{after}, bedtime {}{bed_note}\n",
        p.name,
        clock(day.finished_at),
        clock_from(day.bedtime, day.finished_at, day.hours)
    );
    if let Some(hot) = day.run.and_then(|r| hot_line(r, p, day.units)) {
        s.push_str(&hot);
        s.push('\n');
    }
    if plan.late {
        s.push_str("A late night: tonight is the steps that follow a run at once, then sleep.\n");
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
                match (e.dropped, done_word(day, e.step), step.optional) {
                    (Some(d), _, _) => words::dropped_word(&d).into(),
                    (None, Some(word), _) => word.into(),
                    (None, None, true) => "optional".into(),
                    (None, None, false) => String::new(),
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

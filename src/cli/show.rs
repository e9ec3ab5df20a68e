//! `postrun show [NAME_OR_PATH]`: a protocol's steps as a plain table.
use std::io::Write;
use std::process::ExitCode;

use super::Failure;
use super::out::{self, tell};
use crate::core::printable::{printable, width};
use crate::core::protocol::{self, Activity, DEFAULT, Protocol, Short, Step};
use crate::store::catalog::{self, Folders, Origin};

/// Arguments of `show`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A built-in name, one of yours in the config folder, or a path (default: optimal-recovery).
    #[arg(value_name = "NAME_OR_PATH", add = super::completions::routine_or_path())]
    pub name: Option<String>,
}

/// Prints the table.
pub fn run(args: Args, folders: &Folders) -> Result<ExitCode, Failure> {
    let mut loaded = catalog::load(args.name.as_deref().unwrap_or(DEFAULT), folders)?;
    let (config, warning) = super::day::settings(folders);
    if let Some(w) = warning {
        tell!("postrun: warning: {w}");
    }
    loaded.protocol = protocol::shown_in(&loaded.protocol, &loaded.source, config.units);
    let from = match &loaded.origin {
        Origin::Builtin(b) => format!("built in ({})", b.id),
        Origin::File(p) => p.display().to_string(),
    };
    let mut out = out::stdout();
    write!(out, "{}", table(&loaded.protocol, &from))?;
    Ok(ExitCode::SUCCESS)
}

/// The table `show` prints.
pub fn table(p: &Protocol, from: &str) -> String {
    let mut rows: Vec<[String; 6]> = vec![[
        "#".into(),
        "ID".into(),
        "TITLE".into(),
        "OPTIONAL".into(),
        "TIMER / HOLDS".into(),
        "WINDOW".into(),
    ]];
    let mut details: Vec<Vec<String>> = vec![Vec::new()];
    for (i, step) in p.steps.iter().enumerate() {
        rows.push([
            (i + 1).to_string(),
            step.id.clone(),
            step.title.clone(),
            optional(step),
            timing(step),
            step.window
                .map_or_else(|| "-".to_string(), |w| w.to_string()),
        ]);
        details.push(hold_lines(step));
    }
    // Columns by what they take on screen: a CJK title is twice as wide as it is long.
    let rows: Vec<[String; 6]> = rows.into_iter().map(|r| r.map(|c| printable(&c))).collect();
    let widths: Vec<usize> = (0..6)
        .map(|c| rows.iter().map(|r| width(&r[c])).max().unwrap_or(0))
        .collect();
    let mut s = format!("{} ({})\n{}\nfrom {from}\n\n", p.name, p.id, p.summary);
    for (row, extra) in rows.iter().zip(&details) {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let pad = widths[c] - width(cell);
            if c == 0 {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str("  ");
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            }
        }
        s.push_str(line.trim_end());
        s.push('\n');
        let indent = widths[0] + widths[1] + widths[2] + widths[3] + 8;
        for d in extra {
            s.push_str(&" ".repeat(indent));
            s.push_str(d);
            s.push('\n');
        }
    }
    s
}

fn optional(step: &Step) -> String {
    match (step.optional, step.drop_order) {
        (false, _) => "no".into(),
        (true, None) => "yes".into(),
        (true, Some(n)) => format!("yes, drop {n}"),
    }
}

fn timing(step: &Step) -> String {
    let limit = step
        .daily_limit
        .map(|n| format!(", max {n}/day"))
        .unwrap_or_default();
    let main = match &step.activity {
        Activity::Tick => match step.estimate {
            Some(e) => format!("about {e}"),
            None => "-".into(),
        },
        Activity::Timer(t) if t.length.is_range() && t.target != t.length.max => {
            format!("timer {} (to {})", t.length, Short(t.target))
        }
        Activity::Timer(t) => format!("timer {}", t.length),
        Activity::Holds(h) => {
            let (min, max) = (h.takes(|l| l.min), h.takes(|l| l.max));
            let n = h.holds.len();
            let holds = if n == 1 {
                "1 hold".to_string()
            } else {
                format!("{n} holds")
            };
            if min == max {
                format!("{holds}, {}", Short(min))
            } else {
                format!("{holds}, {}-{}", Short(min), Short(max))
            }
        }
    };
    main + &limit
}

fn hold_lines(step: &Step) -> Vec<String> {
    let Activity::Holds(h) = &step.activity else {
        return Vec::new();
    };
    h.holds
        .iter()
        .map(|hold| {
            let sides = if hold.sides.is_empty() {
                String::new()
            } else {
                format!(" each: {}", hold.sides.join(", "))
            };
            format!("- {} {}{sides}", hold.name, hold.length)
        })
        .collect()
}

//! `postrun log`: how sore you are (0-10) and a line of notes for today, kept in the journal;
//! alone, the last entries. And the record's lines that `plan` and the plain guide say first:
//! the trend, and what your own rule in config.toml says of it.
use std::io::Write;
use std::process::ExitCode;

use chrono::{Local, Utc};

use super::out::{self, tell};
use super::{Context, Failure};
use crate::core::journal::{self, Entry, MOST_SORE};
use crate::core::session::Timestamp;
use crate::store::catalog::Folders;
use crate::store::config::Config;
use crate::store::journal::Journal;

/// How many entries `postrun log` shows.
const SHOWN: usize = 14;

/// Arguments of `log`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// How sore you are today, from 0 (not at all) to 10.
    #[arg(long, value_name = "0-10", value_parser = clap::value_parser!(u8).range(0..=MOST_SORE as i64))]
    pub sore: Option<u8>,
    /// A line of notes ("left calf tight"); the words are joined with spaces.
    #[arg(value_name = "TEXT")]
    pub text: Vec<String>,
}

/// Notes an entry for today, or shows the last ones.
pub fn run(args: Args, folders: &Folders) -> Result<ExitCode, Failure> {
    let now = Utc::now();
    let journal = Journal::new(&folders.data);
    let (config, config_warning) = super::day::settings(folders);
    if let Some(w) = config_warning {
        tell!("postrun: warning: {w}");
    }
    let note = args.text.join(" ").trim().to_string();
    let mut out = out::stdout();
    if args.sore.is_some() || !note.is_empty() {
        if let Some(why) = journal::refuse_note(&note) {
            return Err(Failure::usage(why));
        }
        let entry = Entry {
            at: now,
            day: now.with_timezone(&Local).date_naive(),
            sore: args.sore,
            note: (!note.is_empty()).then_some(note),
        };
        journal
            .append(&entry)
            .with_context(|| format!("cannot note it in {}", journal.path().display()))?;
        writeln!(
            out,
            "Noted for {}: {}.",
            entry.day.format("%A %-d %B"),
            said(&entry)
        )?;
    } else {
        let (entries, _) = read(&journal);
        if entries.is_empty() {
            writeln!(
                out,
                "Nothing noted yet. `postrun log --sore 6 left calf tight` notes how you feel today."
            )?;
        }
        let from = entries.len().saturating_sub(SHOWN);
        for e in &entries[from..] {
            let when = e.at.with_timezone(&Local);
            writeln!(
                out,
                "{} {}  {}",
                e.day.format("%Y-%m-%d"),
                when.format("%H:%M"),
                said(e)
            )?;
        }
    }
    for line in record(folders, &config, &config.protocol, now) {
        writeln!(out, "{line}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// An entry in words: `sore 7, "left calf tight"`.
fn said(e: &Entry) -> String {
    let sore = e.sore.map(|s| format!("sore {s}"));
    let note = e.note.as_ref().map(|n| format!("\"{n}\""));
    [sore, note]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ")
}

/// The journal's entries; a journal that cannot be read is a warning, never the end of a
/// command that only shows it.
fn read(journal: &Journal) -> (Vec<Entry>, Vec<String>) {
    match journal.read() {
        Ok((entries, warnings)) => {
            for w in &warnings {
                tell!("postrun: warning: {w}");
            }
            (entries, warnings)
        }
        Err(e) => {
            tell!("postrun: warning: {e}");
            (Vec::new(), Vec::new())
        }
    }
}

/// What the record says today, for a day of `routine`: the trend (`Your record: sore 7 and 8
/// the last two days.`) and, when the runner's rule in config.toml is met, what today could
/// be instead. Nothing when there is nothing recent.
pub fn record(folders: &Folders, config: &Config, routine: &str, now: Timestamp) -> Vec<String> {
    let (entries, _) = read(&Journal::new(&folders.data));
    let today = now.with_timezone(&Local).date_naive();
    let mut lines: Vec<String> = journal::trend(&entries, today)
        .map(|t| format!("Your record: {t}."))
        .into_iter()
        .collect();
    if let Some(rule) = config.sore_rule {
        lines.extend(journal::offer(&entries, today, rule, routine));
    }
    lines
}

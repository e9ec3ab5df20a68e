//! Today's session: the open one resumed, else a new one from the day's setup. The guide and
//! `postrun` without a command start here.
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use chrono::{Local, Utc};

use super::DayArgs;
use super::day::{self, origin_label};
use super::status;
use crate::catalog::Folders;
use crate::config::Source;
use crate::plan;
use crate::session::Timestamp;
use crate::store::{self, Live, Opening, Store};

/// The open session at `now`, or a new one; with `--new`, the open one is closed first.
pub fn open_or_start(
    args: &DayArgs,
    folders: &Folders,
    now: Timestamp,
) -> anyhow::Result<(Live, Vec<String>)> {
    let store = Store::new(&folders.data);
    let (sessions, mut warnings) = store
        .replay_all()
        .with_context(|| format!("cannot read {}", store.dir().display()))?;
    let open = sessions.iter().rev().find(|r| r.is_open(now)).cloned();
    let mut live = match open {
        Some(r) if !args.new => {
            warnings.extend(r.warnings.iter().cloned());
            store.resume(r).context("cannot reopen the session log")?
        }
        open => {
            // Settle the new day first: a bad --protocol must not close the open session.
            let day = day::resolve(args, folders, now)?;
            if let Some(r) = open {
                store
                    .resume(r)?
                    .close(now)
                    .context("cannot close the open session")?;
            }
            let dropped = match args.budget {
                Some(budget) => plan::plan(
                    &day.loaded.protocol,
                    day.finished_at,
                    day.bedtime,
                    Some(budget),
                )
                .entries
                .iter()
                .filter(|e| e.dropped.is_some())
                .map(|e| e.step)
                .collect(),
                None => Vec::new(),
            };
            let opening = Opening {
                protocol: day.loaded.protocol.clone(),
                origin: origin_label(&day.loaded.origin),
                source: day.loaded.source.clone(),
                finished_at: day.finished_at,
                bedtime: day.bedtime,
                bedtime_is_default: day.bedtime_source == Source::Default,
                dropped,
            };
            store
                .create(opening, now)
                .with_context(|| format!("cannot start a session in {}", store.dir().display()))?
        }
    };
    live.session.used_today = store::used_on_day(
        &sessions,
        live.session.finished_at,
        &Local,
        Some(&live.path),
    );
    Ok((live, warnings))
}

/// `postrun` with no command: opens or starts today's session and runs the full-screen
/// guide over it; where input or output is not a terminal, prints where the session stands.
pub fn run(args: &DayArgs, folders: &Folders) -> anyhow::Result<ExitCode> {
    let now = Utc::now();
    // Settle the arguments and the protocol before touching the terminal, so errors land on
    // the normal screen.
    let bell = crate::config::load(folders)?.bell;
    let (live, warnings) = open_or_start(args, folders, now)?;
    for w in &warnings {
        eprintln!("postrun: warning: {w}");
    }
    if io::stdout().is_terminal() && io::stdin().is_terminal() {
        crate::tui::run(live, bell)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = io::stdout().lock();
    write!(out, "{}", status::day_text(&live.session, now))?;
    writeln!(out, "\n{}", status::line(&live.session, now))?;
    writeln!(
        out,
        "(Not a terminal: run postrun in one for the full-screen guide.)"
    )?;
    Ok(ExitCode::SUCCESS)
}

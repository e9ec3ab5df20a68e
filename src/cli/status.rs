//! `postrun status`: the open session in one line for a tmux status bar, or as JSON.
use std::io::{self, Write};
use std::process::ExitCode;

use chrono::Utc;
use serde_json::json;

use super::day::{rfc3339, window_text};
use super::{Context, Failure};
use crate::core::plan;
use crate::core::protocol::{self, Activity};
use crate::core::session::{Phase, Piece, Session, Timestamp, mmss, shown_seconds};
use crate::store::catalog::{self, Folders};
use crate::store::{Replayed, Store};

/// Arguments of `status`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON for scripts.
    #[arg(long)]
    pub json: bool,
}

/// Prints the open session's status; exit 1 when there is none.
pub fn run(args: Args, folders: &Folders) -> Result<ExitCode, Failure> {
    let now = Utc::now();
    let store = Store::new(&folders.data);
    // Reads only: a session open in another window is shown as it stands on disk.
    let (sessions, unreadable) = store
        .replay_recent(now)
        .with_context(|| format!("cannot read {}", store.dir().display()))?;
    let Some(replayed) = sessions.into_iter().rev().find(|r| r.is_open(now)) else {
        if args.json {
            writeln!(io::stdout().lock(), "null")?;
        }
        for w in &unreadable {
            eprintln!("postrun: warning: {w}");
        }
        eprintln!("postrun: no open session; `postrun` starts one");
        return Ok(ExitCode::from(1));
    };
    let mut warnings = replayed.warnings.clone();
    warnings.extend(protocol_changed(&replayed));
    // Time has passed since the last line: show the session as it stands now.
    let mut session = replayed.session.clone();
    let _ = session.apply(crate::core::session::Event::Wake, now);
    let mut out = io::stdout().lock();
    if args.json {
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&to_json(&session, &warnings, now))?
        )?;
    } else {
        for w in &warnings {
            eprintln!("postrun: warning: {w}");
        }
        writeln!(out, "{}", line(&session, now))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A warning when the protocol file has changed since the session began, or is gone.
fn protocol_changed(r: &Replayed) -> Option<String> {
    let keeps = "the session keeps the routine it started with";
    let now_text = match r.opening.origin.strip_prefix("built-in:") {
        Some(id) => protocol::builtin(id)?.source.to_string(),
        // The text, not the protocol: a file edited into an invalid one has changed too.
        None => match catalog::read_bounded(std::path::Path::new(&r.opening.origin)) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => return Some(format!("{e}; {keeps}")),
        },
    };
    (now_text != r.opening.source).then(|| {
        format!(
            "{} has changed since this session began; {keeps}",
            r.opening.origin
        )
    })
}

/// The one-line status: `ice bath 08:41 · 3/9`.
pub fn line(session: &Session, now: Timestamp) -> String {
    let total = session.states().len();
    let done = session.done_count();
    let Some(step) = session.active_step() else {
        return format!("all done · {done}/{total}");
    };
    let title = step.title.to_lowercase();
    let what = match session.run().map(|r| (r.phase, r.piece_left(now))) {
        Some((Phase::Running { .. }, left)) => format!("{title} {}", mmss(shown_seconds(left))),
        Some((Phase::Paused { .. }, left)) => {
            format!("{title} {} paused", mmss(shown_seconds(left)))
        }
        _ => match step
            .window
            .map(|w| plan::times(&w, session.finished_at, session.bedtime))
        {
            // A window that has closed says so: "by 10:10-10:15" alone reads as still to come.
            Some(t) if plan::status(&t, now) == plan::WindowStatus::Missed => {
                format!("{title} {}, missed", window_text(&t))
            }
            Some(t) => format!("{title} {}", window_text(&t)),
            None => title,
        },
    };
    format!("{what} · {done}/{total}")
}

fn to_json(session: &Session, warnings: &[String], now: Timestamp) -> serde_json::Value {
    let p = &session.protocol;
    let steps: Vec<_> = p
        .steps
        .iter()
        .zip(session.states())
        .enumerate()
        .map(|(i, (s, st))| {
            // Where its window stands now: upcoming, open, closing, missed; null without one.
            let window = s
                .window
                .map(|w| plan::status(&plan::times(&w, session.finished_at, session.bedtime), now));
            json!({
                "id": s.id,
                "title": s.title,
                "state": st,
                "dropped": session.is_dropped(i),
                "window": window
            })
        })
        .collect();
    let timer = match (session.active_step(), session.run()) {
        (Some(step), Some(run)) if run.phase != Phase::Finished => {
            let (hold, side) = match (&step.activity, run.current(now)) {
                (Activity::Holds(h), Piece::Gap { hold, side } | Piece::Hold { hold, side }) => {
                    let held = h.holds.get(hold);
                    (
                        held.map(|x| x.name.clone()),
                        side.and_then(|s| held.and_then(|x| x.sides.get(s)).cloned()),
                    )
                }
                _ => (None, None),
            };
            json!({
                "step": step.id,
                "running": matches!(run.phase, Phase::Running { .. }),
                                "remaining_s": shown_seconds(run.piece_left(now)),
                "step_remaining_s": shown_seconds(run.left(now)),
                "hold": hold,
                "side": side,
            })
        }
        _ => serde_json::Value::Null,
    };
    json!({
        "protocol": p.id,
        "finished_at": rfc3339(session.finished_at),
        "bedtime": rfc3339(session.bedtime),
        "steps": steps,
        "timer": timer,
        "warnings": warnings,
    })
}

//! `postrun status`: the open session in one line for a tmux status bar, or as JSON; or in a
//! template's words, or waybar's JSON (see [`bar`]).
mod bar;

use std::io::Write;
use std::process::ExitCode;

use chrono::Utc;
use serde_json::json;

use super::day::{rfc3339, window_text};
use super::out::{self, tell};
use super::{Context, Failure};
use crate::core::clock::Hours;
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
    /// Print the status in your words, for a status bar: the fields {step} (the current step's
    /// id), {title} (its title), {left} (the running or paused countdown, MM:SS), {done} and
    /// {total} (steps), {next} (the next window to open, like "Meal 11:00-12:00") are filled
    /// in, an empty field where there is nothing to say; {{ and }} are braces.
    #[arg(long, value_name = "TEMPLATE", value_parser = bar::parse_template, conflicts_with = "json")]
    pub format: Option<bar::Template>,
    /// Print waybar's JSON ({"text", "tooltip", "class", "percentage"}) for a custom module
    /// with "return-type": "json"; the text is the one line, or --format's. The class is
    /// running, paused, ready or done; the percentage is how far through the running timer,
    /// else the share of steps done.
    #[arg(long, conflicts_with = "json")]
    pub waybar: bool,
}

/// Prints the open session's status; exit 1 when there is none.
pub fn run(args: Args, folders: &Folders) -> Result<ExitCode, Failure> {
    let now = Utc::now();
    let store = Store::new(&folders.data);
    // Reads only: a session open in another window is shown as it stands on disk.
    let (sessions, unreadable) = store
        .replay_recent(now)
        .with_context(|| format!("cannot read {}", store.dir().display()))?;
    // A log that could not be read (a FIFO, a device, one too large) is skipped and named,
    // whether or not another session is open.
    for w in &unreadable {
        tell!("postrun: warning: {w}");
    }
    let Some(replayed) = sessions.into_iter().rev().find(|r| r.is_open(now)) else {
        if args.json {
            writeln!(out::stdout(), "null")?;
        }
        if args.waybar {
            // Exit 1 hides a waybar module; the text is empty for a bar that shows it anyway.
            let none =
                json!({"text": "", "tooltip": "no open session", "class": "none", "percentage": 0});
            writeln!(out::stdout(), "{none}")?;
        }
        tell!("postrun: no open session; `postrun` starts one");
        return Ok(ExitCode::from(1));
    };
    let mut warnings = replayed.warnings.clone();
    warnings.extend(protocol_changed(&replayed));
    let (config, config_warning) = super::day::settings(folders);
    warnings.extend(config_warning);
    let hours = config.clock;
    // Time has passed since the last line: show the session as it stands now.
    let mut session = replayed.session.clone();
    session.protocol = std::sync::Arc::new(protocol::shown_in(
        &session.protocol,
        &replayed.opening.source,
        config.units,
    ));
    let _ = session.apply(crate::core::session::Event::Wake, now);
    let mut out = out::stdout();
    if args.json {
        writeln!(
            out,
            "{}",
            out::json(&to_json(&session, &warnings, now, hours))?
        )?;
    } else if args.waybar || args.format.is_some() {
        for w in &warnings {
            tell!("postrun: warning: {w}");
        }
        let values = bar::Values::of(&session, now, hours);
        let text = match &args.format {
            Some(template) => values.fill(template),
            None => line(&session, now, hours),
        };
        if args.waybar {
            let shape = values.waybar(text, &session.protocol.name);
            writeln!(out, "{shape}")?;
        } else {
            writeln!(out, "{text}")?;
        }
    } else {
        for w in &warnings {
            tell!("postrun: warning: {w}");
        }
        writeln!(out, "{}", line(&session, now, hours))?;
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
pub fn line(session: &Session, now: Timestamp, hours: Hours) -> String {
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
                format!("{title} {}, missed", window_text(&t, hours))
            }
            Some(t) => format!("{title} {}", window_text(&t, hours)),
            None => title,
        },
    };
    format!("{what} · {done}/{total}")
}

fn to_json(
    session: &Session,
    warnings: &[String],
    now: Timestamp,
    hours: Hours,
) -> serde_json::Value {
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
                "window": window,
                "dropped": session.is_dropped(i),
                "too_late": session.too_late.contains(&i),
            })
        })
        .collect();
    let clock = |t| super::day::clock(t, hours);
    let clashes: Vec<String> = plan::tonight::of_session(session)
        .iter()
        .map(|c| plan::words::session_clash(c, session, &clock))
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
        "clashes": clashes,
        "warnings": warnings,
    })
}

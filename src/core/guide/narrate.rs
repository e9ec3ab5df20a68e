//! What happened, in one sentence a runner can read or hear: the guide's notes, the plain
//! mode's lines and the hooks' text all come from here, so they never disagree.

use crate::core::clock::{Hours, Zone};
use crate::core::plan;
use crate::core::plan::window_text_in;
use crate::core::protocol::{Activity, Hold, Short};
use crate::core::session::{Fact, Phase, Piece, Session, Timestamp, mmss, shown_seconds};

/// One sentence for a fact, read at `now`.
pub fn say(fact: &Fact, session: &Session, now: Timestamp) -> String {
    let title = |i: &usize| {
        session
            .protocol
            .steps
            .get(*i)
            .map(|s| s.title.clone())
            .unwrap_or_default()
    };
    let left = || {
        session
            .run()
            .map(|r| mmss(shown_seconds(r.piece_left(now))))
            .unwrap_or_default()
    };
    match fact {
        Fact::TimerStarted { step } => {
            let whole = session
                .run()
                .map(|r| mmss(shown_seconds(r.left(now))))
                .unwrap_or_default();
            format!("{}: started, {whole} in all", title(step))
        }
        Fact::Paused { step } => format!("{}: paused with {} left", title(step), left()),
        Fact::Resumed { step } => format!("{}: running again, {} left", title(step), left()),
        Fact::Nudged { step, longer } => format!(
            "{}: 30 s {}, {} left",
            title(step),
            if *longer { "more" } else { "less" },
            left()
        ),
        Fact::GetReady {
            step, hold, side, ..
        } => hold_heading(
            session,
            *step,
            Piece::Gap {
                hold: *hold,
                side: *side,
            },
        )
        .unwrap_or_default(),
        Fact::HoldStarted { step, hold, side } => {
            let (name, side) = hold_side(session, *step, *hold, *side);
            let hold_for = left();
            match side {
                Some(side) => format!("Hold: {name}, {side}, {hold_for}"),
                None => format!("Hold: {name}, {hold_for}"),
            }
        }
        Fact::Cue { text, .. } => text.clone(),
        Fact::HoldMinimum { step, hold, side } => {
            let held = hold_of(session, *step, *hold);
            let (name, side) = hold_side(session, *step, *hold, *side);
            let name = side.map_or(name.clone(), |side| format!("{name}, {side}"));
            let min = held.map(|h| Short(h.length.min).to_string());
            format!(
                "{name}: {} held. Enter moves on, or hold on",
                min.unwrap_or_default()
            )
        }
        Fact::HoldSkipped { step, hold, side } => {
            let (name, side) = hold_side(session, *step, *hold, *side);
            match side {
                Some(side) => format!("Skipped: {name}, {side}"),
                None => format!("Skipped: {name}"),
            }
        }
        Fact::MinimumReached { step } => format!(
            "{} has reached its minimum: Enter finishes it, or keep going",
            title(step)
        ),
        Fact::TopReached { step } => {
            let top = session
                .protocol
                .steps
                .get(*step)
                .and_then(|s| match &s.activity {
                    Activity::Timer(t) => Some(Short(t.length.max).to_string()),
                    _ => None,
                })
                .unwrap_or_default();
            format!(
                "Time to get out: {} has reached its {top} limit",
                title(step)
            )
        }
        Fact::TimerFinished { step } => format!("Time: {} is done", title(step)),
        Fact::StepDone { step } => match session.uses().get(*step).map_or(0, Vec::len) {
            // A daily step taken up again: the count of steps is the same, the uses are not.
            n if n > 1 => format!("{}: done again, {n} times this session", title(step)),
            _ => format!(
                "{}: done, {} of {} steps",
                title(step),
                session.done_count(),
                session.states().len()
            ),
        },
        Fact::StepSkipped { step } => format!("{}: skipped", title(step)),
        Fact::StepActive { step } => now_due(session, *step),
        Fact::Undone { step } => format!("Undone: {} is current again", title(step)),
        Fact::AllDone => "That is the whole routine. Rest well.".to_string(),
        Fact::DayChanged { dropped, restored } => day_changed(session, dropped, restored, None),
        Fact::ValueNoted { step, tenths } => value_noted(session, *step, *tenths),
    }
}

/// "Ice bath: water temperature 10 C noted. 10 C is colder than the 12-15 C the routine asks
/// for."
pub fn value_noted(session: &Session, step: usize, tenths: i64) -> String {
    let Some(s) = session.protocol.steps.get(step) else {
        return String::new();
    };
    let Some(ask) = &s.ask else {
        return String::new();
    };
    let value = crate::core::protocol::ask::shown(tenths);
    let said = format!("{}: {} {value} {} noted.", s.title, ask.what, ask.unit);
    match ask.call_out(tenths) {
        Some(out) => format!("{said} {out}."),
        None => said,
    }
}

/// "The day is planned again (run finished 07:30, bedtime 21:00); dropped: Ice bath". The
/// times, when given, are written by the caller in the runner's zone and hours.
pub fn day_changed(
    session: &Session,
    dropped: &[usize],
    restored: &[usize],
    times: Option<(String, String)>,
) -> String {
    let names = |steps: &[usize]| {
        steps
            .iter()
            .filter_map(|i| session.protocol.steps.get(*i))
            .map(|s| s.title.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut said = "The day is planned again".to_string();
    if let Some((finished, bed)) = times {
        said.push_str(&format!(" (run finished {finished}, bedtime {bed})"));
    }
    if !dropped.is_empty() {
        said.push_str(&format!("; dropped: {}", names(dropped)));
    }
    if !restored.is_empty() {
        said.push_str(&format!("; back in: {}", names(restored)));
    }
    said
}

/// "Epsom salt bath is due now, 21:00-21:30."
pub fn due(session: &Session, step: usize, zone: Zone, hours: Hours) -> String {
    let Some(s) = session.protocol.steps.get(step) else {
        return String::new();
    };
    match s.window {
        Some(w) => format!(
            "{} is due now, {}.",
            s.title,
            window_text_in(
                &plan::times(&w, session.finished_at, session.bedtime),
                &zone,
                hours
            )
        ),
        None => format!("{} is due now.", s.title),
    }
}

/// The day before this one, in a line, once its night is over: "Yesterday: 6 of 9 done." The
/// day is named by the run's date against `now`'s; a day older than yesterday says nothing.
pub fn day_behind(session: &Session, now: Timestamp, zone: Zone) -> Option<String> {
    let (ran, today) = (
        session.finished_at.with_timezone(&zone).date_naive(),
        now.with_timezone(&zone).date_naive(),
    );
    let day = match (today - ran).num_days() {
        0 => "Earlier today",
        1 => "Yesterday",
        _ => return None,
    };
    Some(format!(
        "{day}: {} of {} done.",
        session.done_count(),
        session.states().len()
    ))
}

/// "Sleep opens at 22:30. Mark it done now anyway?": the question before ticking off a step
/// whose window has not opened.
pub fn early(session: &Session, step: usize, opens: Timestamp, zone: Zone, hours: Hours) -> String {
    let title = session
        .protocol
        .steps
        .get(step)
        .map(|s| s.title.as_str())
        .unwrap_or_default();
    format!(
        "{title} opens at {}. Mark it done now anyway?",
        crate::core::clock::clock_in(opens, &zone, hours)
    )
}

/// "Now: Ice bath. Sit in 12-15 C water ... Enter starts the 15:00 timer."
pub fn now_due(session: &Session, step: usize) -> String {
    let Some(s) = session.protocol.steps.get(step) else {
        return String::new();
    };
    let enter = match (&s.activity, session.run().map(|r| r.phase)) {
        (Activity::Tick, _) => "Enter when it is done.".to_string(),
        (_, Some(Phase::Ready)) => format!(
            "Enter starts the {} timer.",
            session
                .run()
                .map(|r| Short(r.total()).to_string())
                .unwrap_or_default()
        ),
        _ => String::new(),
    };
    format!("Now: {}. {} {enter}", s.title, s.what)
        .trim_end()
        .to_string()
}

/// The one line for the hold ahead or under way, with its place in the sequence: "Get into
/// position: Quadriceps, left leg (hold 1 of 11)", "Switch to the right leg (hold 2 of 11)",
/// "Quadriceps, right leg (hold 2 of 11)". `None` outside a hold sequence.
pub fn hold_heading(session: &Session, step: usize, piece: Piece) -> Option<String> {
    let (words, place) = hold_words(session, step, piece)?;
    Some(format!("{words} ({place})"))
}

/// [`hold_heading`] in its two parts, the words and the place ("hold 3 of 11"), for a screen
/// that puts the place on a line of its own when both do not fit on one.
pub fn hold_words(session: &Session, step: usize, piece: Piece) -> Option<(String, String)> {
    let Activity::Holds(h) = &session.protocol.steps.get(step)?.activity else {
        return None;
    };
    let (Piece::Gap { hold, side } | Piece::Hold { hold, side }) = piece else {
        return None;
    };
    let (n, of) = h.place(hold, side);
    let held = h.holds.get(hold)?;
    let name = h.name_of(hold, side)?;
    let switch = side.filter(|s| *s > 0).and_then(|s| held.sides.get(s));
    let words = match (piece, switch) {
        // The same stretch on the other side: its name was on screen a moment ago.
        (Piece::Gap { .. }, Some(side)) => format!("Switch to the {side}"),
        (Piece::Gap { .. }, None) => format!("Get into position: {name}"),
        _ => name,
    };
    Some((words, format!("hold {n} of {of}")))
}

fn hold_of(session: &Session, step: usize, hold: usize) -> Option<&Hold> {
    session
        .protocol
        .steps
        .get(step)
        .and_then(|s| match &s.activity {
            Activity::Holds(h) => h.holds.get(hold),
            _ => None,
        })
}

/// The name of a hold and of its side.
fn hold_side(
    session: &Session,
    step: usize,
    hold: usize,
    side: Option<usize>,
) -> (String, Option<String>) {
    let held = hold_of(session, step, hold);
    let name = held.map(|h| h.name.clone()).unwrap_or_default();
    let side = side.and_then(|s| held.and_then(|h| h.sides.get(s)).cloned());
    (name, side)
}

//! What the plain guide says when asked: the time left, the day's list, which step a
//! `details` line names.
use super::*;

/// `t`: the time left on the step under way, and how much of the day is done.
pub(super) fn time_left(guide: &Guide, now: Timestamp) -> String {
    let s = guide.session();
    let done = format!("{} of {} steps done", s.done_count(), s.states().len());
    let (Some(step), Some(run)) = (s.active_step(), s.run()) else {
        return match s.active_step() {
            Some(step) => format!("{}: no timer; {done}.", step.title),
            None => format!("All done; {done}."),
        };
    };
    let left = mmss(shown_seconds(run.piece_left(now)));
    let whole = mmss(shown_seconds(run.left(now)));
    let state = match run.phase {
        Phase::Ready => format!("{whole} in all, not started"),
        Phase::Paused { .. } => format!("{left} left, paused"),
        Phase::Finished => "finished".to_string(),
        Phase::Running { .. } if whole != left => format!("{left} left, {whole} in all"),
        Phase::Running { .. } => format!("{left} left"),
    };
    format!("{}: {state}; {done}.", step.title)
}

/// `l`: the day's steps, a line each, with their state and window.
pub(super) fn list(guide: &Guide, now: Timestamp) -> Vec<String> {
    let s = guide.session();
    s.protocol
        .steps
        .iter()
        .zip(s.states())
        .enumerate()
        .map(|(i, (step, state))| {
            let word = match state {
                StepState::Done => "done",
                StepState::Skipped if s.is_dropped(i) => "dropped",
                StepState::Skipped => "skipped",
                StepState::Active => "current",
                StepState::Pending => "to do",
            };
            let todo = matches!(state, StepState::Active | StepState::Pending);
            let when = step
                .window
                .map(|w| plan::times(&w, s.finished_at, s.bedtime))
                .map(|t| {
                    let status = match plan::status(&t, now) {
                        _ if !todo => String::new(),
                        plan::WindowStatus::Upcoming => {
                            when::opens(&t, now, guide.zone(), guide.hours())
                                .map(|w| format!(", opens {w}"))
                                .unwrap_or_default()
                        }
                        plan::WindowStatus::Open => ", open now".into(),
                        plan::WindowStatus::Closing => ", closing".into(),
                        plan::WindowStatus::Missed => ", missed".into(),
                    };
                    format!(
                        ", {}{status}",
                        window_text_in(&t, guide.zone(), guide.hours())
                    )
                })
                .unwrap_or_default();
            format!("{}. {}: {word}{when}", i + 1, step.title)
        })
        .collect()
}

/// The step a details line asks for: `i` or `details` alone, the current step (the first,
/// once all are done); with a step's number, that step.
pub(super) fn details_of(text: &str, guide: &Guide) -> Option<usize> {
    let mut words = text.split_whitespace();
    if !matches!(words.next()?, "i" | "I" | "details") {
        return None;
    }
    let s = guide.session();
    match (words.next(), words.next()) {
        (None, _) => Some(s.active().unwrap_or(0)),
        (Some(n), None) => match n.parse::<usize>() {
            Ok(n) if n >= 1 && n <= s.states().len() => Some(n - 1),
            _ => None,
        },
        _ => None,
    }
}

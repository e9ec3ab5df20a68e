//! The footer: the keys that do something now, and only those. "Space pause" is not offered
//! while paused (Space resumes), nor on a step without a timer; "Enter finish" not before a
//! range's minimum; nothing for a key that would only be refused.
use super::Canvas;
use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;

use crate::core::guide::{Guide, Overlay};
use crate::core::protocol::Activity;
use crate::core::session::{Phase, Piece, StepState, Timestamp};

/// Draws the footer: as many of the keys that act now as fit, the least needed left out first.
pub fn render(frame: &mut impl Canvas, area: Rect, ui: &Guide, now: Timestamp) {
    let keys = keys(ui, now);
    let width = usize::from(area.width);
    // (rank, words): 0 is kept longest. Display order is the order of `keys`.
    let mut shown: Vec<(u8, String)> = keys;
    while !shown.is_empty() && line(&shown).chars().count() > width {
        let worst = shown
            .iter()
            .enumerate()
            .max_by_key(|(i, (rank, _))| (*rank, *i))
            .map(|(i, _)| i)
            .unwrap_or(0);
        shown.remove(worst);
    }
    frame.render_widget(Paragraph::new(line(&shown)), area);
}

fn line(keys: &[(u8, String)]) -> String {
    let words: Vec<&str> = keys.iter().map(|(_, w)| w.as_str()).collect();
    format!(" {}", words.join(" · "))
}

/// The keys that act at `now`, in display order, each with its rank (0 kept longest).
fn keys(ui: &Guide, now: Timestamp) -> Vec<(u8, String)> {
    // Over a window or a question, its own keys: any other key only closes it.
    let own: Option<&[&str]> = match ui.overlay {
        Some(Overlay::Help) => Some(&["Esc close", "q quit"]),
        Some(Overlay::Details { .. }) => Some(&["Up/Down scroll", "Esc close", "q quit"]),
        Some(Overlay::ConfirmSkip) => Some(&["y skip it", "n keep it"]),
        Some(Overlay::ConfirmEarly { .. }) => Some(&["y done now", "n not yet"]),
        Some(Overlay::ConfirmExtend { .. }) => Some(&["y 30 s more", "n no"]),
        None => None,
    };
    if let Some(own) = own {
        return own.iter().map(|k| (0, k.to_string())).collect();
    }
    let s = ui.session();
    let run = s.run();
    let phase = run.map(|r| r.phase);
    let under_way = matches!(phase, Some(Phase::Running { .. } | Phase::Paused { .. }));
    let mut keys: Vec<(u8, String)> = Vec::new();
    if let Some(enter) = enter(ui, now) {
        keys.push((0, format!("Enter {enter}")));
    }
    match phase {
        Some(Phase::Running { .. }) => keys.push((1, "Space pause".into())),
        Some(Phase::Paused { .. }) => keys.push((0, "Space resume".into())),
        _ => {}
    }
    let holds = matches!(
        s.active_step().map(|st| &st.activity),
        Some(Activity::Holds(_))
    );
    if holds && under_way {
        keys.push((3, "> skip hold".into()));
    }
    if s.active().is_some() {
        keys.push((3, "s skip".into()));
    }
    if s.can_undo() {
        keys.push((4, "u undo".into()));
    }
    if under_way {
        keys.push((5, "+/- 30s".into()));
    }
    if !s.protocol.steps.is_empty() {
        // A narrow screen cuts the details first: the key to them stays.
        keys.push((2, "i details".into()));
    }
    keys.push((1, "q quit".into()));
    keys
}

/// What Enter does now, if anything.
fn enter(ui: &Guide, now: Timestamp) -> Option<&'static str> {
    let s = ui.session();
    let active = s.active()?;
    let run = s.run();
    if ui.cursor != active {
        // Another row: Enter makes it current, unless a timer under way holds the step.
        let held = run.is_some_and(|r| r.phase != Phase::Ready);
        let daily = s
            .protocol
            .steps
            .get(ui.cursor)
            .is_some_and(|st| st.daily_limit.is_some());
        let free = match s.states().get(ui.cursor) {
            Some(StepState::Pending | StepState::Skipped) => true,
            // A daily step may be done again, up to its limit.
            Some(StepState::Done) => daily,
            _ => false,
        };
        return (free && !held).then_some("make current");
    }
    let Some(run) = run else {
        return Some("done");
    };
    match run.phase {
        Phase::Ready => Some("start"),
        Phase::Finished => Some("done"),
        Phase::Running { .. } | Phase::Paused { .. } => {
            run.may_finish_early(now).ok()?;
            let last = run.left(now) == run.piece_left(now);
            Some(match run.current(now) {
                Piece::Gap { .. } => "start hold",
                Piece::Hold { .. } if !last => "next hold",
                _ => "finish",
            })
        }
    }
}

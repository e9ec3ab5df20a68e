//! The words around the time: for a hold sequence the hold, its side, its how-to and what
//! comes next; for a timer its marks.
use ratatui::style::Color;
use ratatui::text::Line;

use super::Countdown;
use crate::core::guide::narrate;
use crate::core::protocol::{Activity, Hold, Holds, Short, Step};
use crate::core::session::{Piece, Session};

impl<'a> Countdown<'a> {
    /// For a hold, its words and its place: "Quadriceps, left leg · hold 1 of 11" ("Get into
    /// position: ..." in the gap before it), the place on a line of its own where both do not
    /// fit in `width`; for a timer, its marks.
    pub fn heading(
        &self,
        session: &Session,
        step: usize,
        width: u16,
    ) -> Option<Vec<Line<'static>>> {
        if let Some(marks) = marks_line(self.step, self.run.position(self.now)) {
            return Some(vec![Line::from(marks)]);
        }
        let (words, place) = narrate::hold_words(session, step, self.run.current(self.now))?;
        let style = self.theme.bold().patch(self.theme.fg(Color::Cyan));
        let one = format!("{words} · {place}");
        Some(if one.chars().count() <= usize::from(width) {
            vec![Line::styled(one, style)]
        } else {
            vec![Line::styled(words, style), Line::styled(place, style)]
        })
    }

    /// The hold's how-to.
    pub fn how(&self) -> Option<String> {
        self.hold().and_then(|(h, _)| h.how.clone())
    }

    /// What comes after this hold or side.
    pub fn next(&self) -> Option<Line<'static>> {
        let (holds, hold, side) = self.under_way()?;
        let held = holds.holds.get(hold)?;
        let next = match side {
            Some(s) if s + 1 < held.sides.len() => {
                format!("{}, {}", held.name, held.sides[s + 1])
            }
            _ => {
                let n = holds.holds.get(hold + 1)?;
                match n.sides.first() {
                    Some(side) => format!("{}, {side}", n.name),
                    None => n.name.clone(),
                }
            }
        };
        Some(Line::styled(
            format!("Next: {next}"),
            self.theme.fg(Color::DarkGray),
        ))
    }

    /// The hold sequence, and the hold and side under way (or about to start).
    fn under_way(&self) -> Option<(&'a Holds, usize, Option<usize>)> {
        let Activity::Holds(h) = &self.step.activity else {
            return None;
        };
        let (Piece::Gap { hold, side } | Piece::Hold { hold, side }) = self.run.current(self.now)
        else {
            return None;
        };
        Some((h, hold, side))
    }

    /// The hold under way (or about to start) and its side.
    fn hold(&self) -> Option<(&'a Hold, Option<&'a String>)> {
        let (holds, hold, side) = self.under_way()?;
        let held = holds.holds.get(hold)?;
        Some((held, side.and_then(|s| held.sides.get(s))))
    }
}

/// A timer's marks, ticked once passed: "✓ 3m the worst is over · 10m minimum".
fn marks_line(step: &Step, position: std::time::Duration) -> Option<String> {
    let Activity::Timer(t) = &step.activity else {
        return None;
    };
    let mut marks: Vec<(std::time::Duration, String)> = t
        .cues
        .iter()
        .map(|c| (c.at, format!("{} cue", Short(c.at))))
        .collect();
    if t.length.is_range() {
        marks.push((t.length.min, format!("{} minimum", Short(t.length.min))));
    }
    if t.hard_max {
        marks.push((t.length.max, format!("{} limit", Short(t.length.max))));
    }
    marks.sort();
    if marks.is_empty() {
        return None;
    }
    Some(
        marks
            .into_iter()
            .map(|(at, text)| {
                if position >= at {
                    format!("✓ {text}")
                } else {
                    text
                }
            })
            .collect::<Vec<_>>()
            .join(" · "),
    )
}

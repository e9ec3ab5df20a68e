//! `status --format TEMPLATE` and `status --waybar`: the open session in the shape a status
//! bar wants. A template names fields in braces (`{title} {left}`); it is read when the
//! command line is, so a field that does not exist is bad usage (exit 2) before anything runs.
use std::fmt::Write as _;

use serde_json::json;

use crate::core::clock::Hours;
use crate::core::plan::{self, window_text_in};
use crate::core::printable::printable;
use crate::core::session::{Phase, Session, StepState, Timestamp, mmss, shown_seconds};

/// A field of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The current step's id: `ice-bath`.
    Step,
    /// The current step's title: `Ice bath`.
    Title,
    /// The running or paused countdown, as the big digits show it: `08:41`.
    Left,
    /// Steps done.
    Done,
    /// Steps in all.
    Total,
    /// The next window to open of a step still to do: `Meal 11:00-12:00`.
    Next,
}

/// Every field, by the name a template writes it with.
pub const FIELDS: [(&str, Field); 6] = [
    ("step", Field::Step),
    ("title", Field::Title),
    ("left", Field::Left),
    ("done", Field::Done),
    ("total", Field::Total),
    ("next", Field::Next),
];

/// A piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Field(Field),
}

/// A template, read: text and fields in turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template(Vec<Piece>);

/// Reads a template: `{name}` is a field, `{{` and `}}` are braces.
pub fn parse_template(text: &str) -> Result<Template, String> {
    let names = || {
        FIELDS
            .iter()
            .map(|(n, _)| format!("{{{n}}}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut pieces = Vec::new();
    let mut plain = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                plain.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                plain.push('}');
            }
            '{' => {
                let mut name = String::new();
                let mut closed = false;
                for c in chars.by_ref() {
                    if c == '}' {
                        closed = true;
                        break;
                    }
                    name.push(c);
                }
                let known = FIELDS.iter().find(|(n, _)| *n == name);
                let (Some((_, field)), true) = (known, closed) else {
                    return Err(format!(
                        "unknown field '{{{}}}'; the fields are {}",
                        name.escape_debug(),
                        names()
                    ));
                };
                pieces.push(Piece::Text(std::mem::take(&mut plain)));
                pieces.push(Piece::Field(*field));
            }
            '}' => {
                return Err("a '}' with no '{' before it; write '}}' for a brace".to_string());
            }
            c => plain.push(c),
        }
    }
    pieces.push(Piece::Text(plain));
    Ok(Template(pieces))
}

/// The fields' values for a session at `now`.
pub struct Values {
    step: String,
    title: String,
    left: String,
    done: usize,
    total: usize,
    next: String,
    /// How far through: the step's timer while one runs or waits paused, else the steps done.
    percentage: u8,
    /// `running`, `paused`, `ready` (a step waits) or `done`.
    class: &'static str,
}

impl Values {
    /// What the fields say of `session` at `now`, clock times on `hours`' clock. Text from
    /// the session's protocol is made printable, as everywhere it reaches a terminal.
    pub fn of(session: &Session, now: Timestamp, hours: Hours) -> Values {
        let step = session.active_step();
        let (left, class, through) = match session.run().map(|r| (r, r.phase)) {
            Some((r, Phase::Running { .. } | Phase::Paused { .. })) => (
                mmss(shown_seconds(r.piece_left(now))),
                if matches!(r.phase, Phase::Running { .. }) {
                    "running"
                } else {
                    "paused"
                },
                Some((r.position(now), r.total())),
            ),
            _ if step.is_none() => (String::new(), "done", None),
            _ => (String::new(), "ready", None),
        };
        let (done, total) = (session.done_count(), session.states().len());
        let share = |part: u128, whole: u128| (part * 100).checked_div(whole).unwrap_or(100);
        let percentage = match through {
            Some((at, of)) => share(at.as_millis(), of.as_millis()),
            None => share(done as u128, total as u128),
        };
        Values {
            step: step.map(|s| printable(&s.id)).unwrap_or_default(),
            title: step.map(|s| printable(&s.title)).unwrap_or_default(),
            left,
            done,
            total,
            next: next_window(session, now, hours),
            percentage: u8::try_from(percentage.min(100)).unwrap_or(100),
            class,
        }
    }

    /// The template filled in.
    pub fn fill(&self, template: &Template) -> String {
        let mut out = String::new();
        for piece in &template.0 {
            let _ = match piece {
                Piece::Text(t) => write!(out, "{t}"),
                Piece::Field(Field::Step) => write!(out, "{}", self.step),
                Piece::Field(Field::Title) => write!(out, "{}", self.title),
                Piece::Field(Field::Left) => write!(out, "{}", self.left),
                Piece::Field(Field::Done) => write!(out, "{}", self.done),
                Piece::Field(Field::Total) => write!(out, "{}", self.total),
                Piece::Field(Field::Next) => write!(out, "{}", self.next),
            };
        }
        out
    }

    /// Waybar's shape for a custom module with `"return-type": "json"`: `text` is the
    /// status line, `tooltip` the routine's name, progress and next window.
    pub fn waybar(&self, text: String, protocol: &str) -> serde_json::Value {
        let mut tooltip = format!(
            "{}: {} of {} done",
            printable(protocol),
            self.done,
            self.total
        );
        if !self.next.is_empty() {
            tooltip.push_str(&format!("\nnext: {}", self.next));
        }
        // waybar decodes the JSON and shows the text on its bar: made printable first, as the
        // tooltip is, since `\u001b` in JSON is an ESC again once read.
        json!({
            "text": printable(&text),
            "tooltip": tooltip,
            "class": self.class,
            "percentage": self.percentage,
        })
    }
}

/// The window opening soonest after `now` among the steps still to do: `Meal 11:00-12:00`.
fn next_window(session: &Session, now: Timestamp, hours: Hours) -> String {
    session
        .protocol
        .steps
        .iter()
        .zip(session.states())
        .filter(|(_, st)| matches!(st, StepState::Pending | StepState::Active))
        .filter_map(|(s, _)| {
            let t = plan::times(&s.window?, session.finished_at, session.bedtime);
            (t.start > now).then_some((t, s))
        })
        .min_by_key(|(t, _)| t.start)
        .map(|(t, s)| {
            format!(
                "{} {}",
                printable(&s.title),
                window_text_in(&t, &chrono::Local, hours)
            )
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_template_reads_fields_and_braces() {
        let t = parse_template("{title} {left} · {done}/{total} {{x}}").unwrap();
        assert_eq!(
            t.0,
            [
                Piece::Text(String::new()),
                Piece::Field(Field::Title),
                Piece::Text(" ".into()),
                Piece::Field(Field::Left),
                Piece::Text(" · ".into()),
                Piece::Field(Field::Done),
                Piece::Text("/".into()),
                Piece::Field(Field::Total),
                Piece::Text(" {x}".into()),
            ]
        );
    }

    #[test]
    fn an_unknown_field_is_named() {
        let e = parse_template("{title} {remaining}").unwrap_err();
        assert_eq!(
            e,
            "unknown field '{remaining}'; the fields are {step}, {title}, {left}, {done}, {total}, {next}"
        );
        assert!(parse_template("{title").unwrap_err().contains("'{title}'"));
        assert!(parse_template("a } b").unwrap_err().contains("'}}'"));
    }
}

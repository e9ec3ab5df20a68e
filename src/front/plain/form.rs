//! The start screen's questions as lines, for the plain guide: which routine, when the run
//! finished, bedtime, and how long the runner has, each with what an empty line keeps. Nothing
//! is written until the last answer begins the day; `q` (or the end of input) before then
//! leaves without a session.
use crate::core::clock::clock_in;
use crate::core::session::Timestamp;
use crate::front::tui::input::FormKey;
use crate::front::tui::setup::{FIELDS, Field, Outcome, Setup};
use crate::shell::Action;

/// The questions under way.
#[derive(Debug)]
pub struct Form {
    setup: Setup,
    /// The question being asked, as an index into [`FIELDS`].
    at: usize,
    /// Whether that question has been put on a line yet.
    asked: bool,
    /// The first lines have been said.
    opened: bool,
}

impl Form {
    /// The questions of `setup`, from the first.
    pub fn new(setup: Setup) -> Form {
        Form {
            setup,
            at: 0,
            asked: false,
            opened: false,
        }
    }

    /// The lines to say now: the opening words once, then the question, once.
    pub fn say(&mut self, now: Timestamp, lines: &mut Vec<String>) {
        self.setup.at(now);
        if !std::mem::replace(&mut self.opened, true) {
            lines.push(
                "A new recovery day. Answer each question and press Enter; an empty line keeps \
                 what is in brackets, q leaves without starting anything."
                    .to_string(),
            );
            if let Some(notice) = &self.setup.notice {
                lines.push(notice.clone());
            }
        }
        if !std::mem::replace(&mut self.asked, true) {
            lines.push(self.question());
        }
    }

    /// The question being asked, with what an empty answer keeps.
    fn question(&self) -> String {
        let s = &self.setup;
        match FIELDS.get(self.at).copied().unwrap_or(Field::Budget) {
            Field::Routine => {
                let names: Vec<String> = s
                    .routines
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        format!("{} {}", i + 1, crate::core::printable::printable(&r.name))
                    })
                    .collect();
                let kept = s
                    .routines
                    .get(s.routine)
                    .map(|r| crate::core::printable::printable(&r.name))
                    .unwrap_or_default();
                format!(
                    "Routine? [{kept}] A name or a number: {}.",
                    names.join(", ")
                )
            }
            Field::Finished => format!(
                "Run finished? [now, {}] A time like 9:40, or 25m for 25 minutes ago.",
                clock_in(s.now, &s.zone, s.hours)
            ),
            Field::Bedtime => format!("Bedtime? [{}] Like 22:30.", s.bedtime),
            Field::Budget if s.budget.is_empty() => {
                "Time you have? [all day] Or how long, like 20m.".to_string()
            }
            Field::Budget => format!("Time you have? [{}] Or all day: a single -.", s.budget),
        }
    }

    /// An answer at `now`: the next question, the same one again with what was wrong, or the
    /// day begun after the last.
    pub fn answer(&mut self, text: &str, now: Timestamp, lines: &mut Vec<String>) -> Vec<Action> {
        self.setup.at(now);
        let text = text.trim();
        if matches!(text, "q" | "Q") {
            return vec![Action::Quit];
        }
        let field = FIELDS.get(self.at).copied().unwrap_or(Field::Budget);
        if let Err(why) = self.set(field, text) {
            lines.push(crate::core::printable::printable(&why));
            lines.push(self.question());
            return Vec::new();
        }
        self.at += 1;
        if self.at < FIELDS.len() {
            // Answers typed ahead come in together: each gets its question in turn.
            lines.push(self.question());
            self.asked = true;
            return Vec::new();
        }
        match self.setup.handle(FormKey::Begin, now) {
            Outcome::Begin(choice) => vec![Action::Begin(choice)],
            _ => {
                // Every field was checked as it was answered; should one still not do, ask
                // it again.
                if let Some((field, why)) = self.setup.problem.take() {
                    lines.push(crate::core::printable::printable(&why));
                    self.at = FIELDS.iter().position(|f| *f == field).unwrap_or(0);
                    lines.push(self.question());
                }
                Vec::new()
            }
        }
    }

    /// The day could not begin: say why, and ask again from the first question.
    pub fn refused(&mut self, why: String, lines: &mut Vec<String>) {
        lines.push(format!("Cannot start that day: {why}"));
        self.at = 0;
        lines.push(self.question());
    }

    /// Puts an answer into its field, or says what is wrong with it.
    fn set(&mut self, field: Field, text: &str) -> Result<(), String> {
        let s = &mut self.setup;
        if text.is_empty() {
            return s.check(field);
        }
        match field {
            Field::Routine => {
                let by_number = text
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=s.routines.len()).contains(n))
                    .map(|n| n - 1);
                let by_name = s.routines.iter().position(|r| r.name == text);
                match by_number.or(by_name) {
                    Some(i) => s.routine = i,
                    None => {
                        return Err(format!(
                            "'{}' is not one of the routines listed.",
                            crate::core::printable::printable(text)
                        ));
                    }
                }
            }
            Field::Finished => s.finished = text.to_string(),
            Field::Bedtime => s.bedtime = text.to_string(),
            Field::Budget if text == "-" => s.budget.clear(),
            Field::Budget => s.budget = text.to_string(),
        }
        s.check(field).inspect_err(|_| {
            // The field goes back to what it was; the question is asked again.
            match field {
                Field::Finished => s.finished.clear(),
                Field::Bedtime => s.bedtime = s.bedtime_given.clone(),
                Field::Budget => s.budget.clear(),
                Field::Routine => {}
            }
        })
    }
}

//! The value a step asks for as it ends (water temperature, millilitres drunk), for both
//! guides: which step's question is open, what is typed so far. Only a number answers it;
//! any other key or line closes it and does what it always does, so the question never holds
//! up the day.
use crate::core::guide::{Guide, Said};
use crate::core::protocol::Ask;
use crate::core::protocol::ask::shown;
use crate::core::session::{Fact, StepState};
use crate::shell::Action;

/// An open question.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValueAsk {
    /// The step asking, while its question is open.
    pub step: Option<usize>,
    /// What is typed so far (the full-screen guide types it key by key).
    pub text: String,
    /// Why the last answer was not taken.
    pub problem: Option<String>,
}

impl ValueAsk {
    /// Opens the question of a step that has just been done, if it asks one.
    pub fn after(&mut self, said: &[Said], guide: &Guide) {
        for s in said {
            // Another step done closes an older question; one that asks opens its own.
            if let Said::Fact(Fact::StepDone { step }) = s {
                *self = ValueAsk {
                    step: ask_of(guide, *step).map(|_| *step),
                    ..ValueAsk::default()
                };
            }
        }
    }

    /// The open question's step and what it asks; `None` once closed, or once the step is no
    /// longer done (undone).
    pub fn open<'g>(&self, guide: &'g Guide) -> Option<(usize, &'g Ask)> {
        let step = self.step?;
        let done = guide.session().states().get(step) == Some(&StepState::Done);
        done.then(|| ask_of(guide, step))
            .flatten()
            .map(|a| (step, a))
    }

    /// Closes the question.
    pub fn close(&mut self) {
        *self = ValueAsk::default();
    }

    /// An answer: the value to record, or why it was not taken (the question stays).
    pub fn answer(&mut self, text: &str, guide: &Guide) -> Option<Action> {
        let (step, ask) = self.open(guide)?;
        match ask.read(text) {
            Ok(Some(tenths)) => {
                self.close();
                Some(Action::Value {
                    step,
                    value: shown(tenths),
                })
            }
            Ok(None) => {
                self.close();
                None
            }
            Err(why) => {
                self.problem = Some(why);
                None
            }
        }
    }
}

fn ask_of(guide: &Guide, step: usize) -> Option<&Ask> {
    guide.session().protocol.steps.get(step)?.ask.as_ref()
}

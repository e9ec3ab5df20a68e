//! The values steps ask for (water temperature, millilitres drunk), as given once each step
//! ended: kept in the session so history and the CSV can show them.
use super::{Fact, Refusal, Session};
use crate::core::protocol::ask;

impl Session {
    /// Notes `value` for `step`; a step that asks nothing, or a value that is no number, is
    /// refused and nothing is kept.
    pub(super) fn note_value(&mut self, step: usize, value: &str) -> Result<Vec<Fact>, Refusal> {
        let asks = self.protocol.steps.get(step).and_then(|s| s.ask.as_ref());
        let Some(_) = asks else {
            return Err(Refusal::NoValue(format!(
                "{} asks for no value",
                self.title(step)
            )));
        };
        let tenths = ask::tenths(value).map_err(Refusal::NoValue)?;
        self.values.push((step, tenths));
        Ok(vec![Fact::ValueNoted { step, tenths }])
    }

    /// Each value given, in order: the step and the value in tenths of its unit.
    pub fn values(&self) -> &[(usize, i64)] {
        &self.values
    }

    /// The last value given for each step that has one, in step order.
    pub fn last_values(&self) -> Vec<(usize, i64)> {
        let mut last: std::collections::BTreeMap<usize, i64> = Default::default();
        for (step, v) in &self.values {
            last.insert(*step, *v);
        }
        last.into_iter().collect()
    }
}

//! The guide's "change the day" form (`c`): when the run finished, bedtime and the budget,
//! as the start screen asks them, over the running guide. Enter hands the guide what changed
//! ([`DayChange`]); the guide plans the day again and records one event.
use std::time::Duration;

use super::input::FormKey;
use crate::core::clock::{Finished, Hours, Zone, clock_in, parse_budget, parse_clock};
use crate::core::guide::{DayChange, Guide};
use crate::core::protocol::Short;

/// A field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// When the run finished.
    Finished,
    /// Bedtime.
    Bedtime,
    /// The time the runner has.
    Budget,
}

const FIELDS: [Field; 3] = [Field::Finished, Field::Bedtime, Field::Budget];

/// The form: each field's text as typed, what it started as, and a problem to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeForm {
    /// The texts, in [`FIELDS`]' order.
    pub texts: [String; 3],
    /// What each showed when the form opened: a field left as it was changes nothing.
    pub first: [String; 3],
    /// The field typed into.
    pub focus: Field,
    /// Whether each field has been typed into: the first key into a field replaces what it
    /// showed, as "now" or a bedtime is replaced, not added to.
    touched: [bool; 3],
    /// Why Enter did not apply it.
    pub problem: Option<String>,
}

/// What a key did to the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Still open.
    Stay,
    /// Closed, nothing changed.
    Close,
    /// Closed: change the day so.
    Apply(DayChange),
    /// Ctrl-C: leave postrun.
    Quit,
}

impl ChangeForm {
    /// The form over `guide`'s day: its finish, bedtime and budget as they are.
    pub fn new(guide: &Guide) -> ChangeForm {
        let s = guide.session();
        let (zone, hours): (Zone, Hours) = (*guide.zone(), guide.hours());
        let first = [
            clock_in(s.finished_at, &zone, hours),
            clock_in(s.bedtime, &zone, hours),
            s.budget.map(|b| Short(b).to_string()).unwrap_or_default(),
        ];
        ChangeForm {
            texts: first.clone(),
            first,
            focus: Field::Finished,
            touched: [false; 3],
            problem: None,
        }
    }

    fn at(&self) -> usize {
        FIELDS.iter().position(|f| *f == self.focus).unwrap_or(0)
    }

    /// Takes a key.
    pub fn handle(&mut self, key: FormKey) -> Outcome {
        let i = self.at();
        match key {
            FormKey::Char(c) => {
                if !self.touched[i] {
                    self.texts[i].clear();
                }
                self.touched[i] = true;
                if self.texts[i].chars().count() < 12 {
                    self.texts[i].push(c);
                }
            }
            FormKey::Backspace if !self.touched[i] => {
                self.touched[i] = true;
                self.texts[i].clear();
            }
            FormKey::Backspace => {
                self.texts[i].pop();
            }
            FormKey::Up => self.focus = FIELDS[(i + FIELDS.len() - 1) % FIELDS.len()],
            FormKey::Down => self.focus = FIELDS[(i + 1) % FIELDS.len()],
            FormKey::Left | FormKey::Right | FormKey::Suspend => {}
            FormKey::Clear => return Outcome::Close,
            FormKey::Quit => return Outcome::Quit,
            FormKey::Begin => {
                return match self.change() {
                    Ok(change) if change.is_empty() => Outcome::Close,
                    Ok(change) => Outcome::Apply(change),
                    Err((field, why)) => {
                        self.focus = field;
                        self.problem = Some(why);
                        Outcome::Stay
                    }
                };
            }
        }
        self.problem = None;
        Outcome::Stay
    }

    /// What the form asks to change: only the fields typed over.
    fn change(&self) -> Result<DayChange, (Field, String)> {
        let typed = |i: usize| (self.texts[i] != self.first[i]).then(|| self.texts[i].trim());
        let finished = typed(0)
            .map(|t| t.parse::<Finished>().map_err(|e| (Field::Finished, e)))
            .transpose()?;
        let bedtime = typed(1)
            .map(|t| parse_clock(t).map_err(|e| (Field::Bedtime, e)))
            .transpose()?;
        let budget: Option<Option<Duration>> = typed(2)
            .map(|t| match t {
                "" => Ok(None),
                t => parse_budget(t).map(Some).map_err(|e| (Field::Budget, e)),
            })
            .transpose()?;
        Ok(DayChange {
            finished,
            bedtime,
            budget,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use chrono::{FixedOffset, NaiveTime, TimeZone, Utc};

    use super::*;
    use crate::core::protocol::{DEFAULT, builtin};
    use crate::core::session::Session;

    fn guide() -> Guide {
        let p = builtin(DEFAULT).unwrap().parse().unwrap();
        let fin = Utc.with_ymd_and_hms(2026, 5, 1, 7, 0, 0).unwrap();
        let bed = Utc.with_ymd_and_hms(2026, 5, 1, 22, 30, 0).unwrap();
        let zone = Zone::Fixed(FixedOffset::east_opt(0).unwrap());
        Guide::new(Session::new(p, fin, bed), zone)
    }

    fn typed(form: &mut ChangeForm, text: &str) {
        for c in text.chars() {
            assert_eq!(form.handle(FormKey::Char(c)), Outcome::Stay);
        }
    }

    #[test]
    fn only_the_fields_typed_over_change() {
        let mut form = ChangeForm::new(&guide());
        assert_eq!(form.texts, ["07:00", "22:30", ""]);
        form.handle(FormKey::Down);
        // The first key replaces the bedtime shown.
        typed(&mut form, "21:00");
        let Outcome::Apply(change) = form.handle(FormKey::Begin) else {
            panic!("{form:?}")
        };
        assert_eq!(
            change.bedtime,
            Some(NaiveTime::from_hms_opt(21, 0, 0).unwrap())
        );
        assert_eq!((change.finished, change.budget), (None, None));
        // Nothing typed: Enter closes it, changing nothing.
        let mut form = ChangeForm::new(&guide());
        assert_eq!(form.handle(FormKey::Begin), Outcome::Close);
    }

    #[test]
    fn a_bad_time_keeps_the_form_open_on_its_field_and_esc_closes_it() {
        let mut form = ChangeForm::new(&guide());
        form.handle(FormKey::Down);
        form.handle(FormKey::Down);
        typed(&mut form, "soon");
        assert_eq!(form.handle(FormKey::Begin), Outcome::Stay);
        assert_eq!(form.focus, Field::Budget);
        assert!(form.problem.is_some());
        assert_eq!(form.handle(FormKey::Clear), Outcome::Close);
        // A budget typed, then cleared to nothing, takes the budget away.
        let mut form = ChangeForm::new(&guide());
        form.handle(FormKey::Up);
        typed(&mut form, "30m");
        let Outcome::Apply(change) = form.handle(FormKey::Begin) else {
            panic!("{form:?}")
        };
        assert_eq!(change.budget, Some(Some(Duration::from_secs(1800))));
    }
}

//! The start screen's form, for a new session: which routine, when the run finished (now,
//! unless the runner says otherwise), bedtime and an optional time budget. `Enter` hands the
//! choice back as the same `DayArgs` the command line gives, so both start a day one way.
use std::time::Duration;

use chrono::{NaiveTime, TimeDelta};

use super::input::FormKey;
use crate::core::clock::{
    Bedtime, Choice, Finished, Hours, Zone, clock_in, clock_text, finished_at, parse_clock,
};
use crate::core::plan::{self, Plan};
use crate::core::protocol::{Protocol, Short, parse_duration};
use crate::core::session::Timestamp;

mod offer;
pub use offer::Offer;

/// A routine the runner can pick.
#[derive(Debug, Clone)]
pub struct Routine {
    /// The name `--protocol` takes: a built-in, one of the runner's, or a path.
    pub name: String,
    /// The protocol, or why it cannot be used.
    pub protocol: Result<Protocol, String>,
}

/// The form's fields, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Which protocol.
    Routine,
    /// When the run finished.
    Finished,
    /// When bed is.
    Bedtime,
    /// How much time the runner has, if short.
    Budget,
}

/// The fields, top to bottom.
pub const FIELDS: [Field; 4] = [
    Field::Routine,
    Field::Finished,
    Field::Bedtime,
    Field::Budget,
];

/// What a key did to the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing more to do than redraw.
    Stay,
    /// Begin the day with these arguments.
    Begin(Choice),
    /// Leave without starting anything.
    Quit,
    /// Ctrl-Z.
    Suspend,
}

/// The start screen's state.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The routines to pick from.
    pub routines: Vec<Routine>,
    /// The one picked.
    pub routine: usize,
    /// The finish as typed; empty means now, the moment Enter begins the day.
    pub finished: String,
    /// The bedtime as typed.
    pub bedtime: String,
    /// Where the bedtime first shown came from ("config.toml", "default", ...).
    pub bedtime_from: &'static str,
    /// The bedtime first shown, which Esc brings back.
    pub bedtime_given: String,
    /// The budget as typed; empty means none.
    pub budget: String,
    /// The field with the cursor.
    pub focus: Field,
    /// What is wrong with a field, after Enter.
    pub problem: Option<(Field, String)>,
    /// The day before, closed into history now its night is over ("Yesterday: 6 of 9 done.").
    pub behind: Option<String>,
    /// Something to know before beginning: the runner's copy of the routine has a problem,
    /// and the built-in stands in.
    pub notice: Option<String>,
    /// The time now, as of the last key or frame: "now" for the finish moves with it.
    pub now: Timestamp,
    /// The zone clock times are read and shown in.
    pub zone: Zone,
    /// The clock they are shown on (either is read).
    pub hours: Hours,
    /// The run from the watch folder offered as the finish, while the runner has not typed
    /// another.
    pub offer: Option<Offer>,
    /// The runner's record on a new day: the soreness trend, and what their rule says.
    pub record: Vec<String>,
}

impl Setup {
    /// A form opened at `now`, with the routine `picked` and the bedtime first shown.
    pub fn new(
        routines: Vec<Routine>,
        picked: usize,
        bedtime: NaiveTime,
        bedtime_from: &'static str,
        budget: Option<Duration>,
        now: Timestamp,
        zone: Zone,
    ) -> Setup {
        let bedtime = clock_text(bedtime, Hours::default());
        Setup {
            routine: picked.min(routines.len().saturating_sub(1)),
            routines,
            finished: String::new(),
            bedtime_given: bedtime.clone(),
            bedtime,
            bedtime_from,
            budget: budget.map(|b| Short(b).to_string()).unwrap_or_default(),
            focus: Field::Routine,
            problem: None,
            behind: None,
            notice: None,
            now,
            zone,
            hours: Hours::default(),
            offer: None,
            record: Vec::new(),
        }
    }

    /// Shows clock times on the 12- or 24-hour clock (config `clock`); the bedtime first shown
    /// is written on it too.
    pub fn with_hours(mut self, hours: Hours) -> Setup {
        let untouched = self.bedtime == self.bedtime_given;
        if let Ok(t) = parse_clock(&self.bedtime_given) {
            self.bedtime_given = clock_text(t, hours);
            if untouched {
                self.bedtime = self.bedtime_given.clone();
            }
        }
        self.hours = hours;
        if let Some(offer) = &mut self.offer {
            offer.shown = clock_in(offer.run.ended_at, &self.zone, hours);
            self.finished = offer.shown.clone();
        }
        self
    }

    /// Moves the form's clock on: "now" is shown, and read, as it is.
    pub fn at(&mut self, now: Timestamp) {
        self.now = now;
    }

    /// Where the bedtime shown comes from: as first given, or typed over it.
    pub fn bedtime_label(&self) -> String {
        if self.bedtime == self.bedtime_given {
            self.bedtime_from.to_string()
        } else {
            format!("typed; Esc gives back {}", self.bedtime_given)
        }
    }

    /// Acts on a key at `now`.
    pub fn handle(&mut self, key: FormKey, now: Timestamp) -> Outcome {
        self.at(now);
        let at = FIELDS.iter().position(|f| *f == self.focus).unwrap_or(0);
        match key {
            FormKey::Quit => return Outcome::Quit,
            FormKey::Suspend => return Outcome::Suspend,
            FormKey::Begin => return self.begin(),
            FormKey::Down => self.focus = FIELDS[(at + 1) % FIELDS.len()],
            FormKey::Up => self.focus = FIELDS[(at + FIELDS.len() - 1) % FIELDS.len()],
            FormKey::Left => self.nudge(false),
            FormKey::Right => self.nudge(true),
            FormKey::Char(c) => {
                if let Some(text) = self.text_mut()
                    && text.chars().count() < 10
                {
                    text.push(c);
                }
            }
            FormKey::Backspace => {
                if let Some(text) = self.text_mut() {
                    text.pop();
                }
            }
            FormKey::Clear => {
                let given = self.bedtime_given.clone();
                match self.focus {
                    Field::Finished => self.finished.clear(),
                    Field::Bedtime => self.bedtime = given,
                    Field::Budget => self.budget.clear(),
                    Field::Routine => {}
                }
            }
        }
        if self.problem.as_ref().is_some_and(|(f, _)| *f == self.focus) {
            self.problem = None;
        }
        Outcome::Stay
    }

    fn text_mut(&mut self) -> Option<&mut String> {
        match self.focus {
            Field::Routine => None,
            Field::Finished => Some(&mut self.finished),
            Field::Bedtime => Some(&mut self.bedtime),
            Field::Budget => Some(&mut self.budget),
        }
    }

    /// Left/Right: the next routine, or a time a step earlier or later.
    fn nudge(&mut self, later: bool) {
        let sign = if later { 1 } else { -1 };
        match self.focus {
            Field::Routine => {
                let n = self.routines.len().max(1);
                self.routine = (self.routine + if later { 1 } else { n - 1 }) % n;
            }
            Field::Finished => {
                let Ok(at) = self.finished_at() else { return };
                let moved = at + TimeDelta::minutes(5 * sign);
                // The run cannot have finished in the future.
                self.finished = if moved >= self.now {
                    String::new()
                } else {
                    clock_in(moved, &self.zone, self.hours)
                };
            }
            Field::Bedtime => {
                if let Ok(t) = parse_clock(&self.bedtime) {
                    let moved = t + TimeDelta::minutes(15 * sign);
                    self.bedtime = clock_text(moved, self.hours);
                }
            }
            Field::Budget => {
                let now = self.budget_value().ok().flatten().unwrap_or_default();
                let step = Duration::from_secs(5 * 60);
                let moved = if later {
                    now + step
                } else {
                    now.saturating_sub(step)
                };
                self.budget = if moved.is_zero() {
                    String::new()
                } else {
                    Short(moved).to_string()
                };
            }
        }
    }

    /// The finish as written: `Ok(None)` for now.
    fn finished_value(&self) -> Result<Option<Finished>, String> {
        if self.finished.trim().is_empty() {
            return Ok(None);
        }
        self.finished.parse::<Finished>().map(Some)
    }

    /// When the run finished, read in the form's zone.
    pub fn finished_at(&self) -> Result<Timestamp, String> {
        finished_at(self.finished_value()?, self.now, &self.zone).map(|l| l.at)
    }

    fn bedtime_value(&self) -> Result<NaiveTime, String> {
        parse_clock(&self.bedtime)
    }

    fn budget_value(&self) -> Result<Option<Duration>, String> {
        if self.budget.trim().is_empty() {
            return Ok(None);
        }
        match parse_duration(&self.budget) {
            Ok(d) if d.is_zero() => Ok(None),
            Ok(d) => Ok(Some(d)),
            Err(e) => Err(format!("{e}; or leave it empty for no limit")),
        }
    }

    /// The picked routine's protocol, if it can be used.
    pub fn protocol(&self) -> Result<&Protocol, String> {
        match self.routines.get(self.routine) {
            Some(r) => r.protocol.as_ref().map_err(Clone::clone),
            None => Err("no routine to pick".into()),
        }
    }

    /// The day as it would be planned now, when every field reads well.
    pub fn preview(&self) -> Option<Plan> {
        let protocol = self.protocol().ok()?;
        let finished = self.finished_at().ok()?;
        let night = plan::night(protocol, finished, self.bedtime_value().ok()?, &self.zone);
        Some(plan::plan_night(
            protocol,
            finished,
            night,
            self.budget_value().ok()?,
        ))
    }

    /// What is wrong with a field as it stands, if anything.
    pub fn check(&self, field: Field) -> Result<(), String> {
        match field {
            Field::Routine => self.protocol().map(|_| ()),
            Field::Finished => self.finished_value().map(|_| ()),
            Field::Bedtime => self.bedtime_value().map(|_| ()),
            Field::Budget => {
                let budget = self.budget_value()?;
                // A budget that keeps no step would start a day that is over at once.
                match (budget, self.preview()) {
                    (Some(b), Some(plan))
                        if !plan.entries.is_empty()
                            && plan.entries.iter().all(|e| e.dropped.is_some()) =>
                    {
                        Err(format!(
                            "{} keeps none of the steps; give more time, or none",
                            Short(b)
                        ))
                    }
                    _ => Ok(()),
                }
            }
        }
    }

    /// Enter: every field checked; the first problem keeps the form open with the cursor on it.
    fn begin(&mut self) -> Outcome {
        if let Some((field, Err(why))) = FIELDS
            .iter()
            .map(|f| (*f, self.check(*f)))
            .find(|(_, r)| r.is_err())
        {
            self.focus = field;
            self.problem = Some((field, why));
            return Outcome::Stay;
        }
        // Nothing typed: the run finished now, as Enter is pressed, not when the screen
        // opened: the day is laid out from the moment it begins.
        let finished = self.finished_value().ok().flatten();
        // An untouched bedtime keeps its source, so a default is still known as one.
        let bedtime = (self.bedtime != self.bedtime_given)
            .then(|| self.bedtime_value().ok().map(Bedtime))
            .flatten();
        Outcome::Begin(Choice {
            protocol: self.routines.get(self.routine).map(|r| r.name.clone()),
            finished,
            bedtime,
            budget: self.budget_value().ok().flatten(),
            run: self.offered().map(|o| o.run.clone()),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::core::protocol::{DEFAULT, builtin};
    use chrono::{TimeZone, Utc};

    fn t0() -> Timestamp {
        Utc.with_ymd_and_hms(2026, 5, 1, 10, 0, 0).unwrap()
    }

    fn form() -> Setup {
        let b = builtin(DEFAULT).unwrap();
        let routines = vec![
            Routine {
                name: "optimal-recovery".into(),
                protocol: Ok(b.parse().unwrap()),
            },
            Routine {
                name: "broken".into(),
                protocol: Err("broken.toml:3:1: unknown key".into()),
            },
        ];
        let bed = NaiveTime::from_hms_opt(22, 30, 0).unwrap();
        Setup::new(
            routines,
            0,
            bed,
            "default",
            None,
            t0(),
            Zone::Fixed(chrono::FixedOffset::east_opt(0).unwrap()),
        )
    }

    fn typed(s: &mut Setup, text: &str) {
        for c in text.chars() {
            s.handle(FormKey::Char(c), t0());
        }
    }

    #[test]
    fn enter_at_once_begins_now_with_the_defaults() {
        let mut s = form();
        let later = t0() + TimeDelta::seconds(20);
        let Outcome::Begin(args) = s.handle(FormKey::Begin, later) else {
            panic!("Enter begins");
        };
        assert_eq!(args.protocol.as_deref(), Some("optimal-recovery"));
        // "now" is the moment of Enter, not when the screen opened 20 s before.
        assert_eq!(args.finished, None);
        assert_eq!(args.bedtime, None, "an untouched default stays a default");
        assert_eq!(args.budget, None);
    }

    #[test]
    fn typed_values_are_what_begins() {
        let mut s = form();
        s.handle(FormKey::Down, t0());
        typed(&mut s, "9:40");
        s.handle(FormKey::Down, t0());
        for _ in 0..5 {
            s.handle(FormKey::Backspace, t0());
        }
        typed(&mut s, "23:00");
        s.handle(FormKey::Down, t0());
        typed(&mut s, "20m");
        assert_eq!(
            s.finished_at().unwrap(),
            Utc.with_ymd_and_hms(2026, 5, 1, 9, 40, 0).unwrap()
        );
        let Outcome::Begin(args) = s.handle(FormKey::Begin, t0()) else {
            panic!("Enter begins");
        };
        assert_eq!(
            args.finished,
            Some(Finished::At(NaiveTime::from_hms_opt(9, 40, 0).unwrap()))
        );
        assert_eq!(
            args.bedtime,
            Some(Bedtime(NaiveTime::from_hms_opt(23, 0, 0).unwrap()))
        );
        assert_eq!(args.budget, Some(Duration::from_secs(20 * 60)));
    }

    #[test]
    fn twelve_hour_times_are_typed_and_shown() {
        let mut s = form().with_hours(Hours::Twelve);
        assert_eq!(
            s.bedtime, "10:30pm",
            "the first bedtime on the runner's clock"
        );
        s.handle(FormKey::Down, t0());
        typed(&mut s, "9:40 am");
        s.handle(FormKey::Down, t0());
        s.handle(FormKey::Right, t0());
        assert_eq!(s.bedtime, "10:45pm");
        for _ in 0..7 {
            s.handle(FormKey::Backspace, t0());
        }
        typed(&mut s, "11 P.M.");
        let Outcome::Begin(args) = s.handle(FormKey::Begin, t0()) else {
            panic!("Enter begins");
        };
        assert_eq!(
            args.finished,
            Some(Finished::At(NaiveTime::from_hms_opt(9, 40, 0).unwrap()))
        );
        assert_eq!(
            args.bedtime,
            Some(Bedtime(NaiveTime::from_hms_opt(23, 0, 0).unwrap()))
        );
        // The finish nudged is written on the runner's clock too.
        let mut s = form().with_hours(Hours::Twelve);
        s.handle(FormKey::Down, t0());
        s.handle(FormKey::Left, t0());
        assert_eq!(s.finished, "9:55am");
    }

    #[test]
    fn a_finish_later_today_means_yesterday() {
        let mut s = form();
        s.handle(FormKey::Down, t0());
        typed(&mut s, "11:00");
        assert_eq!(
            s.finished_at().unwrap(),
            Utc.with_ymd_and_hms(2026, 4, 30, 11, 0, 0).unwrap()
        );
    }

    #[test]
    fn a_bad_field_keeps_the_form_open_and_points_at_it() {
        let mut s = form();
        s.handle(FormKey::Down, t0());
        s.handle(FormKey::Down, t0());
        typed(&mut s, "x");
        s.handle(FormKey::Up, t0());
        assert_eq!(s.handle(FormKey::Begin, t0()), Outcome::Stay);
        assert_eq!(s.focus, Field::Bedtime);
        let (field, why) = s.problem.clone().unwrap();
        assert_eq!(field, Field::Bedtime);
        assert!(why.contains("is not a time"), "{why}");
        // Fixing the field clears the problem.
        s.handle(FormKey::Clear, t0());
        assert_eq!(s.problem, None);
        assert!(matches!(s.handle(FormKey::Begin, t0()), Outcome::Begin(_)));
    }

    #[test]
    fn a_routine_with_problems_cannot_begin() {
        let mut s = form();
        s.handle(FormKey::Right, t0());
        assert_eq!(s.routine, 1);
        assert_eq!(s.handle(FormKey::Begin, t0()), Outcome::Stay);
        assert_eq!(s.focus, Field::Routine);
        s.handle(FormKey::Right, t0());
        assert_eq!(s.routine, 0, "Right wraps around");
        assert!(matches!(s.handle(FormKey::Begin, t0()), Outcome::Begin(_)));
    }

    #[test]
    fn arrows_move_times_but_never_into_the_future() {
        let mut s = form();
        s.handle(FormKey::Down, t0());
        s.handle(FormKey::Left, t0());
        s.handle(FormKey::Left, t0());
        assert_eq!(s.finished, "09:50");
        s.handle(FormKey::Right, t0());
        s.handle(FormKey::Right, t0());
        s.handle(FormKey::Right, t0());
        assert_eq!(s.finished, "", "back to now, not 10:05");
        s.handle(FormKey::Down, t0());
        s.handle(FormKey::Right, t0());
        assert_eq!(s.bedtime, "22:45");
        s.handle(FormKey::Down, t0());
        s.handle(FormKey::Right, t0());
        s.handle(FormKey::Right, t0());
        assert_eq!(s.budget, "10m");
        s.handle(FormKey::Left, t0());
        s.handle(FormKey::Left, t0());
        assert_eq!(s.budget, "", "no budget below zero");
    }

    #[test]
    fn the_preview_follows_the_fields() {
        let mut s = form();
        let p = s.preview().unwrap();
        assert!(p.entries.iter().all(|e| e.dropped.is_none()));
        s.handle(FormKey::Up, t0()); // to the budget, wrapping
        typed(&mut s, "15m");
        let p = s.preview().unwrap();
        assert!(p.entries.iter().any(|e| e.dropped.is_some()), "{p:?}");
        typed(&mut s, "x");
        assert!(s.preview().is_none(), "no preview of a bad budget");
    }

    #[test]
    fn a_budget_that_keeps_no_step_cannot_begin() {
        let extras = crate::core::protocol::parse(
            "extras.toml",
            "extras",
            "name = \"Extras\"\nsummary = \"Treats.\"\n[[steps]]\nid = \"nap\"\n\
             title = \"Nap\"\ndo = \"Sleep.\"\noptional = true\nestimate = \"30m\"\n",
        )
        .unwrap();
        let mut s = form();
        s.routines[0].protocol = Ok(extras);
        s.handle(FormKey::Up, t0()); // the budget, wrapping
        typed(&mut s, "5s");
        assert_eq!(s.handle(FormKey::Begin, t0()), Outcome::Stay);
        let (field, why) = s.problem.clone().unwrap();
        assert_eq!(field, Field::Budget);
        assert_eq!(why, "5s keeps none of the steps; give more time, or none");
    }

    #[test]
    fn quit_and_suspend_pass_through() {
        let mut s = form();
        assert_eq!(s.handle(FormKey::Quit, t0()), Outcome::Quit);
        assert_eq!(s.handle(FormKey::Suspend, t0()), Outcome::Suspend);
    }
}

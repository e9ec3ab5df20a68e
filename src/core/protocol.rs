//! A protocol: the runner's routine as validated steps, read from TOML with errors that point
//! at file, line and column.
pub mod ask;
mod builtin;
mod duration;
pub(crate) mod keys;
mod problem;
mod raw;
mod syntax;
mod units;
mod validate;

use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use ask::Ask;
pub use builtin::{BUILTINS, Builtin, DEFAULT, builtin};
pub use duration::{DurationFault, LONGEST, Length, Short, parse_duration, parse_length};
pub use problem::{Fault, Problem, Problems, line_col};
/// The TOML parser's errors as problems, for the config file too.
pub(crate) use syntax::problems as syntax_problems;
pub(crate) use syntax::{one_line, type_names};
pub use units::Units;

/// The largest protocol file read: far above any routine, small enough never to stall.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

/// A validated routine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Protocol {
    /// The file stem it was read from, e.g. `optimal-recovery`.
    pub id: String,
    /// Its human name.
    pub name: String,
    /// One line saying what it is for.
    pub summary: String,
    /// The steps, in order; never empty.
    pub steps: Vec<Step>,
    /// A run whose average temperature, as the watch measured it, is above this (whole
    /// degrees Celsius) was hot: steps then say their `when_hot` advice first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hot_above_c: Option<i32>,
}

/// Serde's default for a flag that is on unless a log written before it existed says otherwise.
fn yes() -> bool {
    true
}

/// One thing to do after the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Unique kebab-case id.
    pub id: String,
    /// Short title for the checklist.
    pub title: String,
    /// What to do, in a sentence or two.
    pub what: String,
    /// Longer explanation.
    pub details: Option<String>,
    /// Tips, shown beside the step.
    pub tips: Vec<String>,
    /// Advice for the day after a hot run, said before `what` then (see
    /// [`Protocol::hot_above_c`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when_hot: Option<String>,
    /// Optional steps can be skipped freely and dropped by the planner.
    pub optional: bool,
    /// Among optional steps, the planner drops lower numbers first.
    pub drop_order: Option<u32>,
    /// Whether the step takes time from the runner's budget: `false` for what the day holds
    /// anyway (eating a meal, sleeping), which a budget for recovery work must not count.
    #[serde(default = "yes")]
    pub in_budget: bool,
    /// When it should happen.
    pub window: Option<Window>,
    /// How the step is timed.
    pub activity: Activity,
    /// How long a step without a timer takes, for the planner.
    pub estimate: Option<Length>,
    /// At most this many times a calendar day, across sessions.
    pub daily_limit: Option<u32>,
    /// A value the step asks for when it ends (water temperature, millilitres drunk).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ask: Option<Ask>,
}

/// How a step is timed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Activity {
    /// Ticked off when done.
    Tick,
    /// One countdown.
    Timer(Timer),
    /// A sequence of timed holds.
    Holds(Holds),
}

/// One countdown with cues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timer {
    /// Its length, maybe a range.
    pub length: Length,
    /// Where it counts to: the top of the range unless the file says otherwise.
    pub target: Duration,
    /// Things to say on the way, in time order.
    pub cues: Vec<Cue>,
    /// The top of the length is a limit for the body, not a target: the guide calls time
    /// loudly there, even after the runner chose to go on.
    #[serde(default)]
    pub hard_max: bool,
}

/// Something said at a moment of a timer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cue {
    /// Time since the timer started.
    pub at: Duration,
    /// What to say.
    pub say: String,
}

/// A sequence of holds, each maybe done per side, with a gap to get into position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holds {
    /// Get-into-position time before each hold and side.
    pub gap: Duration,
    /// The holds, in order; never empty.
    pub holds: Vec<Hold>,
}

/// One stretch held for a time, on each side in turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hold {
    /// Its name, e.g. `Quadriceps`.
    pub name: String,
    /// How long, per side.
    pub length: Length,
    /// Sides in order, e.g. `left leg`, `right leg`; empty for a single hold.
    pub sides: Vec<String>,
    /// How to get into it.
    pub how: Option<String>,
}

/// When a step should happen, relative to the run's finish or to bedtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Window {
    /// From the finish until the end of `by`; a range reads "done by 10 to 15 minutes after".
    Within(Length),
    /// From `from` to `to` after the finish.
    After {
        /// Opens this long after the finish.
        from: Duration,
        /// Closes this long after the finish.
        to: Duration,
    },
    /// From `from` to `to` before bedtime (`from` is the larger).
    BeforeBed {
        /// Opens this long before bedtime.
        from: Duration,
        /// Closes this long before bedtime.
        to: Duration,
    },
}

impl std::fmt::Display for Window {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Window::Within(by) => write!(f, "within {by}"),
            Window::After { from, to } => write!(f, "{}-{} after", Short(*from), Short(*to)),
            Window::BeforeBed { from, to } if from.is_zero() && to.is_zero() => {
                write!(f, "at bedtime")
            }
            Window::BeforeBed { from, to } if from == to => {
                write!(f, "{} before bed", Short(*from))
            }
            Window::BeforeBed { from, to } if to.is_zero() => {
                write!(f, "last {} before bed", Short(*from))
            }
            Window::BeforeBed { from, to } => {
                write!(f, "{}-{} before bed", Short(*from), Short(*to))
            }
        }
    }
}

impl Step {
    /// How long the step takes at its longest: every range at its top.
    pub fn takes_longest(&self) -> Duration {
        match &self.activity {
            Activity::Tick => self.estimate.map(|e| e.max).unwrap_or_default(),
            Activity::Timer(t) => t.length.max,
            Activity::Holds(h) => h.takes(|l| l.max),
        }
    }

    /// How long the step takes at the least, for the planner: a timer's minimum, every hold,
    /// side and gap at their minimum, or the estimate's minimum.
    pub fn takes(&self) -> Duration {
        match &self.activity {
            Activity::Tick => self.estimate.map(|e| e.min).unwrap_or_default(),
            Activity::Timer(t) => t.length.min,
            Activity::Holds(h) => h.takes(|l| l.min),
        }
    }
}

impl Holds {
    /// "Quadriceps, left leg": a hold's name and side, as the runner reads them.
    pub fn name_of(&self, hold: usize, side: Option<usize>) -> Option<String> {
        let held = self.holds.get(hold)?;
        Some(match side.and_then(|s| held.sides.get(s)) {
            Some(side) => format!("{}, {side}", held.name),
            None => held.name.clone(),
        })
    }

    /// Where a hold (on a side) falls in the sequence, counting each side, from 1: "hold 3 of
    /// 11" is `(3, 11)`.
    pub fn place(&self, hold: usize, side: Option<usize>) -> (usize, usize) {
        let turns = |h: &Hold| h.sides.len().max(1);
        let before: usize = self.holds.iter().take(hold).map(turns).sum();
        let total = self.holds.iter().map(turns).sum();
        (before + side.unwrap_or(0) + 1, total)
    }

    /// The whole sequence with each hold's time picked by `pick`, gaps included.
    pub fn takes(&self, pick: impl Fn(&Length) -> Duration) -> Duration {
        self.holds
            .iter()
            .map(|h| {
                let turns = h.sides.len().max(1) as u32;
                (pick(&h.length) + self.gap) * turns
            })
            .sum()
    }
}

/// Reads and validates a protocol. `path` names the file in errors; `id` is the protocol id.
/// Quantities marked in its text (`{12-15 C}`) are written in metric units.
pub fn parse(path: &str, id: &str, source: &str) -> Result<Protocol, Problems> {
    validate::parse(path, id, source, Units::Metric)
}

/// The protocol as the runner reads it, its marked quantities in `units`: read again from
/// the `source` it was read from (a session keeps it), whose marks say where they are. The
/// steps keep `protocol`'s order (a session lays them in the day's order), matched by id. Just
/// `protocol` when the source does not give the same steps (it cannot, unless it changed).
pub fn shown_in(protocol: &Protocol, source: &str, units: Units) -> Protocol {
    let Ok(read) = validate::parse("", &protocol.id, source, units) else {
        return protocol.clone();
    };
    let matched: Option<Vec<Step>> = protocol
        .steps
        .iter()
        .map(|b| {
            let a = read.steps.iter().find(|a| a.id == b.id)?;
            let same = a.window == b.window && a.takes() == b.takes() && a.optional == b.optional;
            same.then(|| Step {
                in_budget: b.in_budget,
                ..a.clone()
            })
        })
        .collect();
    match matched {
        Some(steps) if steps.len() == read.steps.len() => Protocol { steps, ..read },
        _ => protocol.clone(),
    }
}

/// Like [`parse`], from raw bytes: refuses files over [`MAX_FILE_BYTES`] and invalid UTF-8 with
/// a pointed error rather than a panic.
pub fn parse_bytes(path: &str, id: &str, bytes: &[u8]) -> Result<Protocol, Problems> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Problems::one(
            path,
            String::new(),
            0..0,
            Fault::TooLarge { bytes: bytes.len() },
        ));
    }
    parse(path, id, utf8(path, bytes)?)
}

/// A file's bytes as text, or a problem at the line and column of the first byte that is not
/// UTF-8: never read with replacement characters, which would change what the file says.
pub fn utf8<'a>(path: &str, bytes: &'a [u8]) -> Result<&'a str, Problems> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = e.valid_up_to();
        // The lossy copy equals the file up to the bad byte, so the offset still points.
        let shown = String::from_utf8_lossy(bytes).into_owned();
        Problems::one(path, shown, good..good, Fault::NotUtf8)
    })
}

//! What a session begins with, the first line of its log, and the session it begins.
use serde::{Deserialize, Serialize};

use crate::core::protocol::Protocol;
use crate::core::session::{Session, Timestamp};
use crate::core::watch::Run;

/// What a session began with: everything needed to rebuild it without the protocol file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opening {
    /// The protocol as it was: editing the file later does not change the session.
    pub protocol: Protocol,
    /// Where it came from: a path, or `built-in:ID`.
    pub origin: String,
    /// The file's text then, to tell the runner when it has changed since.
    pub source: String,
    /// When the run finished.
    pub finished_at: Timestamp,
    /// Bedtime as a moment.
    pub bedtime: Timestamp,
    /// Whether the bedtime was postrun's default rather than the runner's.
    #[serde(default)]
    pub bedtime_is_default: bool,
    /// Steps the planner dropped (the budget had no room, or too late tonight), skipped from
    /// the start.
    #[serde(default)]
    pub dropped: Vec<usize>,
    /// Those of the dropped steps that are too late tonight, to be called so.
    #[serde(default)]
    pub too_late: Vec<usize>,
    /// The budget the day was planned with, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_s: Option<u64>,
    /// The run ended after bedtime: a short night.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub late: bool,
    /// The run as the watch recorded it, when the day was planned from an activity file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<Run>,
}

/// A fresh session from its opening, with the budget's drops applied.
pub fn begin(opening: &Opening) -> Session {
    let mut session = Session::new(
        opening.protocol.clone(),
        opening.finished_at,
        opening.bedtime,
    );
    session.drop_steps(&opening.dropped);
    session.too_late = opening.too_late.clone();
    session.budget = opening.budget_s.map(std::time::Duration::from_secs);
    session.late = opening.late;
    session.recorded = opening.run.clone();
    session
}

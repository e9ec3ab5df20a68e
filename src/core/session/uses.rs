//! What a session has to show for itself: when each step was done, each time, and the time
//! given to recovery.
use super::{Session, Timestamp};

impl Session {
    /// When each step was marked done in this session, each time, in protocol order.
    pub fn uses(&self) -> &[Vec<Timestamp>] {
        &self.uses
    }

    /// Time given to recovery: each use of each step done, at the time the plan gives it
    /// (a timer's minimum, every hold at its minimum, a tick step's estimate). One definition
    /// for the end of the day and for `history`.
    pub fn time_spent(&self) -> std::time::Duration {
        self.protocol
            .steps
            .iter()
            .zip(&self.uses)
            .map(|(step, uses)| step.takes() * u32::try_from(uses.len()).unwrap_or(u32::MAX))
            .sum()
    }
}

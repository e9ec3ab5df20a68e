//! Keeps the reminders set with `postrun remind` in line with the session while a guide runs:
//! one worker thread, fed the session after each step change, that acts on the latest only,
//! so two refreshes never race on the record and a slow scheduler never holds up the timer.
use std::path::PathBuf;
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

use super::{Outcome, refresh};
use crate::core::clock::Hours;
use crate::core::guide::Said;
use crate::core::session::{Fact, Session, Timestamp};
use crate::shell::hooks::Report;
use crate::store::reminders as record;

/// The worker's mailbox, once there is a worker: it starts with the first update that finds
/// reminders to follow, so a runner who never set any pays no thread for them.
pub struct Follow {
    data: PathBuf,
    hours: Hours,
    report: Report,
    worker: Option<Worker>,
}

struct Worker {
    tx: mpsc::Sender<(Session, Timestamp)>,
    done: mpsc::Receiver<()>,
}

impl std::fmt::Debug for Follow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Follow")
            .field("data", &self.data)
            .field("started", &self.worker.is_some())
            .finish_non_exhaustive()
    }
}

/// How long leaving postrun waits for the reminders to catch up.
const FINISH_WITHIN: Duration = Duration::from_secs(5);

impl Follow {
    /// Follows the reminders recorded in the data folder `data`, their clock times written
    /// on `hours`' clock; what goes wrong goes to `report`. Nothing starts until there is
    /// something to follow.
    pub fn start(data: PathBuf, hours: Hours, report: Report) -> Follow {
        Follow {
            data,
            hours,
            report,
            worker: None,
        }
    }

    fn worker(&mut self) -> &Worker {
        let (data, report) = (self.data.clone(), Arc::clone(&self.report));
        let hours = self.hours;
        self.worker
            .get_or_insert_with(|| spawn(data, hours, report))
    }

    /// On the way out: lets the last update reach the scheduler, waiting a few seconds at most.
    pub fn finish(self) {
        if let Some(Worker { tx, done }) = self.worker {
            drop(tx);
            let _ = done.recv_timeout(FINISH_WITHIN);
        }
    }

    /// The session as it now stands; the reminders follow it, if any were set (a look at
    /// whether the record exists, no more, until there is one).
    pub fn update(&mut self, session: &Session, now: Timestamp) {
        if self.worker.is_none() && !record::path(&self.data).exists() {
            return;
        }
        let _ = self.worker().tx.send((session.clone(), now));
    }

    /// After what the guide has just said: a step done, skipped or undone moves the reminders.
    pub fn after(&mut self, said: &[Said], session: &Session, now: Timestamp) {
        if moves_reminders(said) {
            self.update(session, now);
        }
    }
}

/// Whether what was said changes which reminders are due: a step done, skipped or undone, or
/// the day itself changed (its windows moved).
fn moves_reminders(said: &[Said]) -> bool {
    said.iter().any(|s| {
        matches!(
            s,
            Said::Fact(
                Fact::StepDone { .. }
                    | Fact::StepSkipped { .. }
                    | Fact::Undone { .. }
                    | Fact::DayChanged { .. }
            )
        )
    })
}

/// The worker: refreshes the reminders for the newest session it is sent, one at a time.
fn spawn(data: PathBuf, hours: Hours, report: Report) -> Worker {
    let (tx, rx) = mpsc::channel::<(Session, Timestamp)>();
    let (finished, done) = mpsc::channel();
    thread::spawn(move || {
        while let Ok(mut latest) = rx.recv() {
            // Only the newest state matters: the ones queued behind it are stale.
            while let Ok(newer) = rx.try_recv() {
                latest = newer;
            }
            let (session, now) = latest;
            match refresh(&data, &session, now, hours) {
                Ok(None) => {}
                Ok(Some((outcome, warnings))) => {
                    for w in warnings {
                        report(w);
                    }
                    match outcome {
                        Outcome::Set { errors, .. } => {
                            errors.iter().for_each(|e| report(e.to_string()))
                        }
                        Outcome::NoScheduler(_) => {
                            report("reminders could not be set again: no scheduler".into())
                        }
                        Outcome::NothingLeft => {}
                    }
                }
                Err(e) => report(format!("reminders could not be updated: {e:#}")),
            }
        }
        let _ = finished.send(());
    });
    Worker { tx, done }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_day_moves_the_reminders_and_a_cue_does_not() {
        let changed = Said::Fact(Fact::DayChanged {
            dropped: vec![],
            restored: vec![],
        });
        assert!(moves_reminders(&[changed]));
        assert!(moves_reminders(&[Said::Fact(Fact::StepDone { step: 0 })]));
        assert!(!moves_reminders(&[Said::Fact(Fact::AllDone), Said::Due(1)]));
    }
}

//! Keeps the reminders set with `postrun remind` in line with the session while a guide runs:
//! one worker thread, fed the session after each step change, that acts on the latest only,
//! so two refreshes never race on the record and a slow scheduler never holds up the timer.
use std::path::PathBuf;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use super::{Outcome, refresh};
use crate::core::guide::Said;
use crate::core::session::{Fact, Session, Timestamp};
use crate::shell::hooks::Report;

/// The worker's mailbox.
#[derive(Debug)]
pub struct Follow {
    tx: mpsc::Sender<(Session, Timestamp)>,
    done: mpsc::Receiver<()>,
}

/// How long leaving postrun waits for the reminders to catch up.
const FINISH_WITHIN: Duration = Duration::from_secs(5);

impl Follow {
    /// Starts the worker for the data folder `data`; what goes wrong goes to `report`.
    pub fn start(data: PathBuf, report: Report) -> Follow {
        let (tx, rx) = mpsc::channel::<(Session, Timestamp)>();
        let (finished, done) = mpsc::channel();
        thread::spawn(move || {
            while let Ok(mut latest) = rx.recv() {
                // Only the newest state matters: the ones queued behind it are stale.
                while let Ok(newer) = rx.try_recv() {
                    latest = newer;
                }
                let (session, now) = latest;
                match refresh(&data, &session, now) {
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
        Follow { tx, done }
    }

    /// On the way out: lets the last update reach the scheduler, waiting a few seconds at most.
    pub fn finish(self) {
        drop(self.tx);
        let _ = self.done.recv_timeout(FINISH_WITHIN);
    }

    /// The session as it now stands; the reminders follow it.
    pub fn update(&self, session: &Session, now: Timestamp) {
        let _ = self.tx.send((session.clone(), now));
    }

    /// After what the guide has just said: a step done, skipped or undone moves the reminders.
    pub fn after(&self, said: &[Said], session: &Session, now: Timestamp) {
        let moved = said.iter().any(|s| {
            matches!(
                s,
                Said::Fact(Fact::StepDone { .. } | Fact::StepSkipped { .. } | Fact::Undone { .. })
            )
        });
        if moved {
            self.update(session, now);
        }
    }
}

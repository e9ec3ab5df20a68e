//! Starting a day, one window at a time: creating a session re-checks for an open one under a
//! lock on the whole store, so two windows (or two `postrun --finished` started together)
//! never make two open sessions of one day, and two `--new` never close one session twice.
use std::fs::{File, OpenOptions, TryLockError};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use super::{Error, Log, Opening, Replayed, Store};
use crate::core::session::{Session, Timestamp};

/// What starting a day came to.
#[derive(Debug)]
pub enum Begun {
    /// A new session, its log locked and its opening line on disk.
    New(Log, Box<Session>),
    /// Another window started a session first (or replaced the one we meant to replace): it
    /// is the day's session, to be carried on rather than doubled.
    Open(Box<Replayed>),
}

/// How long a window waits for another to finish starting a day: long enough for a slow disk's
/// fsyncs, short enough that a stuck process is reported rather than waited on.
const STARTING_GRACE: Duration = Duration::from_secs(5);

impl Store {
    /// Starts a new session with `opening` unless another is open at `now`. `replacing` is the
    /// open session the caller saw and means to close into history (`--new`): it is closed
    /// once the new log is on disk. Any other open session found under the lock is returned
    /// instead, untouched.
    pub fn start(
        &self,
        opening: Opening,
        now: Timestamp,
        replacing: Option<&Path>,
    ) -> Result<Begun, Error> {
        let _held = self.lock_all()?;
        let (sessions, _) = self.replay_recent(now)?;
        let old = match sessions.into_iter().rev().find(|r| r.is_open(now)) {
            Some(r) if Some(r.path.as_path()) == replacing => Some(self.hold(r)?),
            Some(r) => return Ok(Begun::Open(Box::new(r))),
            None => None,
        };
        let (log, session) = self.create(opening, now)?;
        if let Some(old) = old {
            old.close(now)?;
        }
        Ok(Begun::New(log, Box::new(session)))
    }

    /// The store-wide lock, held while the returned file is open. A crashed holder lets go
    /// with its process, so no stale lock is ever left behind.
    fn lock_all(&self) -> Result<File, Error> {
        let io = |error| Error::Io {
            path: self.dir.clone(),
            error,
        };
        self.make_private().map_err(io)?;
        // Beside the sessions folder, not in it: the folder holds logs and nothing else.
        let path = self.dir.parent().unwrap_or(&self.dir).join("sessions.lock");
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(&path)
            .map_err(|error| Error::Io {
                path: path.clone(),
                error,
            })?;
        let until = Instant::now() + STARTING_GRACE;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(file),
                Err(TryLockError::WouldBlock) if Instant::now() < until => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(Error::Starting {
                        pid: super::lock::holder(&file),
                    });
                }
                Err(TryLockError::Error(error)) => return Err(Error::Lock { path, error }),
            }
        }
    }
}

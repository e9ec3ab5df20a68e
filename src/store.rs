//! Session logs: one append-only JSON Lines file per session under the data folder, each line
//! written and synced before its effect is shown. Replaying a log rebuilds the session; a torn
//! or garbled line is skipped with a warning, never fatal. A session has one writer at a time:
//! it holds an advisory lock on the log, and a window turned away is told which process has
//! it. [`reminders`] keeps the record of reminders set with the system's scheduler.
//! The only module that touches the data folder. Every file is read through [`read`] (regular
//! files only, bounded) and replaced through [`write`] (whole, private where it is health data).
pub mod activities;
pub mod catalog;
pub mod config;
mod error;
pub mod journal;
mod lock;
mod log;
pub mod read;
pub mod reminders;
mod replay;
mod start;
pub mod write;

pub use error::Error;
pub use lock::Busy;
use lock::lock;
pub use log::Log;
pub use replay::replay_bytes;
use replay::{replay, replay_paths};
pub use start::Begun;

use std::fs::{self, File, OpenOptions};
use std::io::{self, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

mod opening;
mod summary;

pub use opening::{Opening, begin};
pub use summary::Summary;

use crate::core::session::{Event, Session, Timestamp, open_until};

/// The newest log format this postrun reads and writes. Each line carries the format it needs
/// (see [`format_of`]); a line of a newer one is skipped rather than misread.
pub const VERSION: u32 = 3;

/// The format a line is written in: the oldest that holds everything in it. A postrun of
/// format 1 then reads every line it can, and knows that a line with an event it has never
/// heard of (a skipped hold) was written by a newer postrun: it leaves that session alone
/// rather than carry on from a state it cannot rebuild.
fn format_of(body: &Body) -> u32 {
    match body {
        Body::Event(Event::SkipHold) => 2,
        // A value a step asked for: format 2 would not know the event.
        Body::Event(Event::Value { .. }) => 3,
        _ => 1,
    }
}

/// A line's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Body {
    /// The first line.
    Open(Box<Opening>),
    /// Something applied to the session.
    Event(Event),
    /// The session was closed into history before it was finished (`--new`).
    Close,
}

/// One line of a log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Format version.
    pub v: u32,
    /// Position in the session, from 0.
    pub seq: u64,
    /// When it happened.
    pub at: Timestamp,
    /// What happened.
    #[serde(flatten)]
    pub body: Body,
}

/// A session rebuilt from its log.
#[derive(Debug, Clone)]
pub struct Replayed {
    /// The log file.
    pub path: PathBuf,
    /// What it began with.
    pub opening: Opening,
    /// The session as the log leaves it.
    pub session: Session,
    /// Every event applied, with its time.
    pub events: Vec<(Timestamp, Event)>,
    /// Closed by `--new`.
    pub closed: bool,
    /// When the opening line was written.
    pub opened_at: Timestamp,
    /// When the last line was written.
    pub last_at: Timestamp,
    /// The next line's `seq`.
    pub next_seq: u64,
    /// Lines that could not be used, as `path:line: why`.
    pub warnings: Vec<String>,
    /// When each step was last marked done, for the steps that are done.
    pub done_at: Vec<Option<Timestamp>>,
    /// The newest format among lines this postrun could not read, if a newer postrun wrote any.
    pub newer: Option<u32>,
}

impl Replayed {
    /// Whether the session is still open at `now`: not closed, not finished, and less than
    /// 24 hours after the run.
    pub fn is_open(&self, now: Timestamp) -> bool {
        !self.closed
            && !self.session.is_complete()
            && now < open_until(self.opening.finished_at, Some(self.opening.bedtime))
    }
}

/// When each daily-limited step was done, in `sessions` but the one at `except`: what
/// [`crate::core::guide::DailyUses`] counts.
pub fn daily_uses(sessions: &[Replayed], except: Option<&Path>) -> Vec<(String, Timestamp)> {
    sessions
        .iter()
        .filter(|r| Some(r.path.as_path()) != except)
        .flat_map(|r| r.session.protocol.steps.iter().zip(r.session.uses()))
        .filter(|(step, _)| step.daily_limit.is_some())
        .flat_map(|(step, times)| times.iter().map(|at| (step.id.clone(), *at)))
        .collect()
}

/// The session logs in the data folder.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    /// The store under a data folder.
    pub fn new(data: &Path) -> Store {
        Store {
            dir: data.join("sessions"),
        }
    }

    /// The folder of session logs.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every log file, oldest first (names start with the creation time).
    pub fn logs(&self) -> Result<Vec<PathBuf>, Error> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(error) => {
                return Err(Error::Io {
                    path: self.dir.clone(),
                    error,
                });
            }
        };
        let mut logs: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        logs.sort();
        Ok(logs)
    }

    /// Every session that can be rebuilt, oldest first, with the warnings of those that
    /// cannot.
    pub fn replay_all(&self) -> Result<(Vec<Replayed>, Vec<String>), Error> {
        Ok(replay_paths(self.logs()?))
    }

    /// The open session at `now`, the newest if several.
    pub fn find_open(&self, now: Timestamp) -> Result<Option<Replayed>, Error> {
        let (sessions, _) = self.replay_recent(now)?;
        Ok(sessions.into_iter().rev().find(|r| r.is_open(now)))
    }

    /// Starts a new session log, locked, and synced before returning.
    pub fn create(&self, opening: Opening, now: Timestamp) -> Result<(Log, Session), Error> {
        self.make_private().map_err(|error| Error::Io {
            path: self.dir.clone(),
            error,
        })?;
        let stem = now.format("%Y%m%dT%H%M%S%.3fZ").to_string();
        let mut created = None;
        for n in 0..1000 {
            let name = if n == 0 {
                format!("{stem}.jsonl")
            } else {
                format!("{stem}-{n}.jsonl")
            };
            let path = self.dir.join(name);
            let mut options = OpenOptions::new();
            options.append(true).create_new(true).mode(0o600);
            match options.open(&path) {
                Ok(f) => {
                    created = Some((path, f));
                    break;
                }
                // Only a name already taken is worth another try; anything else is the answer.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(error) => return Err(Error::Io { path, error }),
            }
        }
        let (path, file) = created.ok_or_else(|| Error::NoName {
            dir: self.dir.clone(),
        })?;
        if let Err(e) = lock(&file, &path) {
            let _ = fs::remove_file(&path);
            return Err(e);
        }
        let session = begin(&opening);
        let mut log = Log {
            path,
            file,
            next_seq: 0,
            len: 0,
            torn: false,
        };
        if let Err(e) = log.write(Body::Open(Box::new(opening)), now) {
            // A log without its opening line is no session: leave nothing behind.
            let _ = fs::remove_file(&log.path);
            return Err(e);
        }
        // The new file's name must survive a crash too.
        if let Ok(dir) = File::open(&self.dir) {
            let _ = dir.sync_all();
        }
        Ok((log, session))
    }

    /// Reopens a replayed session to carry on writing to it: refused while another window
    /// has it (see [`Busy`]), or when a newer postrun has written to it.
    pub fn resume(&self, replayed: Replayed) -> Result<(Log, Session), Error> {
        let (log, session, newer) = self.take(replayed.path)?;
        if let Some(version) = newer {
            return Err(Error::Newer {
                path: log.path,
                version,
            });
        }
        Ok((log, session))
    }

    /// Takes a session to close it, even one a newer postrun has written to: a `Close` line
    /// is one every version reads. Refused while another window has it.
    pub fn hold(&self, replayed: Replayed) -> Result<Log, Error> {
        self.take(replayed.path).map(|(log, ..)| log)
    }

    /// Opens and locks a log, and replays it as it stands under the lock; with the newest
    /// format a newer postrun wrote to it, if any.
    fn take(&self, path: PathBuf) -> Result<(Log, Session, Option<u32>), Error> {
        let named = |error| Error::Open {
            path: path.clone(),
            error,
        };
        // Only a regular file is written to, as only one is read: see [`read`].
        let mut file = read::open(&path, OpenOptions::new().read(true).append(true))
            .map_err(|e| named(e.into()))?;
        lock(&file, &path)?;
        // Read it again under the lock: another window may have written to it since.
        file.seek(SeekFrom::Start(0)).map_err(named)?;
        let mut bytes =
            read::read_to_end(&mut file, read::Kind::Log).map_err(|e| named(e.into()))?;
        if bytes.last().is_some_and(|b| *b != b'\n') {
            let keep = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            if serde_json::from_slice::<Record>(&bytes[keep..]).is_ok() {
                // A whole record that lost only its newline (a disk full at the last byte):
                // the replay counted it, so it stays, and ours start on a line of their own.
                file.write_all(b"\n").map_err(named)?;
                bytes.push(b'\n');
            } else {
                // A crash left a torn last line, already reported by the replay; cut it off so
                // ours start on a line of their own and it is not reported ever after.
                file.set_len(keep as u64).map_err(named)?;
                bytes.truncate(keep);
            }
            file.sync_data().map_err(named)?;
        }
        let fresh = replay(&path, &bytes).map_err(|_| Error::Unreadable { path: path.clone() })?;
        let log = Log {
            path,
            file,
            next_seq: fresh.next_seq,
            len: bytes.len() as u64,
            torn: false,
        };
        Ok((log, fresh.session, fresh.newer))
    }
}

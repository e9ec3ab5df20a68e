//! Why the store could not do what it was asked: one enum holding the paths and the system's
//! errors, each variant's message as the runner reads it.
use std::io;
use std::path::PathBuf;

use super::Busy;

/// Why a session log, the summaries or the reminders record could not be read or written.
//
// No variant names its I/O error `source`: the message already holds it, and a source would
// print it twice in an `anyhow` chain (as in `CatalogError::Read`).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The session is open in another window.
    #[error("{0}")]
    Busy(Busy),
    /// Another window has been starting a day for longer than it should take.
    #[error(
        "another window is starting a session{}; try again in a moment",
        pid.map(|p| format!(" (pid {p})")).unwrap_or_default()
    )]
    Starting {
        /// The process starting it, when the system says.
        pid: Option<u32>,
    },
    /// A file or folder could not be read, made or removed. The message is the system's
    /// alone: the caller says what it was doing (`cannot read DIR: ...`).
    #[error("{error}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        error: io::Error,
    },
    /// Every name a new session log could have in the folder is taken.
    #[error("cannot name a new session log in {}", dir.display())]
    NoName {
        /// The sessions folder.
        dir: PathBuf,
    },
    /// The log's lock could not be taken, for a reason other than another window having it.
    #[error("cannot lock {}: {error}", path.display())]
    Lock {
        /// The log.
        path: PathBuf,
        /// Why.
        error: io::Error,
    },
    /// A log could not be opened or read again to take it.
    #[error("{}: {error}", path.display())]
    Open {
        /// The log.
        path: PathBuf,
        /// Why.
        error: io::Error,
    },
    /// A line could not be written to a log; the log is as it was before (unless [`Error::Torn`]
    /// follows).
    #[error("cannot write to {}: {error}", path.display())]
    Write {
        /// The log.
        path: PathBuf,
        /// Why.
        error: io::Error,
    },
    /// A failed write could not be cut back, so nothing more is written to the log.
    #[error(
        "{} could not be put back after a failed write; nothing more is written to it",
        path.display()
    )]
    Torn {
        /// The log.
        path: PathBuf,
    },
    /// A line or record could not be put into JSON.
    #[error("{0}")]
    Encode(serde_json::Error),
    /// A log taken to write to has no session this postrun can read (any more).
    #[error("{}: no session this postrun can read any more", path.display())]
    Unreadable {
        /// The log.
        path: PathBuf,
    },
    /// A newer postrun has written to the session, so this one does not carry it on.
    #[error(
        "{} was written by a newer postrun (format {version}); update postrun to carry on \
         with this session, or start a new one with `postrun --new`",
        path.display()
    )]
    Newer {
        /// The log.
        path: PathBuf,
        /// The newest format in it.
        version: u32,
    },
    /// A record that is not JSON this postrun reads.
    #[error("{}: unreadable ({error})", path.display())]
    Damaged {
        /// The file.
        path: PathBuf,
        /// Why.
        error: serde_json::Error,
    },
}

impl Error {
    /// The error of the system underneath, if there is one.
    pub fn io(&self) -> Option<&io::Error> {
        match self {
            Error::Io { error, .. }
            | Error::Lock { error, .. }
            | Error::Open { error, .. }
            | Error::Write { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// For callers that speak `io::Result` (the shell's `Record`): the same message, with the kind
/// of the system's error where there is one.
impl From<Error> for io::Error {
    fn from(e: Error) -> io::Error {
        let kind = match &e {
            Error::Busy(_) => io::ErrorKind::WouldBlock,
            Error::Unreadable { .. } | Error::Newer { .. } | Error::Damaged { .. } => {
                io::ErrorKind::InvalidData
            }
            _ => e.io().map_or(io::ErrorKind::Other, io::Error::kind),
        };
        io::Error::new(kind, e)
    }
}

//! The open session's log: one JSON line per event, written and synced before its effect is
//! shown; a failed write cut back so the file is always whole lines.
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Body, Error, Record, format_of};
use crate::core::session::{Event, Timestamp};

/// An open session's log: each line is written and synced before its effect is shown. It
/// holds the log's lock for as long as it lives, so no other window writes the same session.
#[derive(Debug)]
pub struct Log {
    pub(super) path: PathBuf,
    /// Open for appending, and locked.
    pub(super) file: File,
    pub(super) next_seq: u64,
    /// The length of the whole lines written: a failed write is cut back to it.
    pub(super) len: u64,
    /// A failed write could not be cut back: what is on disk is no longer known, so nothing
    /// more is written.
    pub(super) torn: bool,
}

impl Log {
    /// The log file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records an event at `at`. On failure the log is left exactly as it was (a torn piece
    /// is cut off), so nothing is reported saved that is not whole on disk, and the next
    /// line starts on a line of its own.
    pub fn append(&mut self, at: Timestamp, event: &Event) -> Result<(), Error> {
        self.write(Body::Event(event.clone()), at)
    }

    /// Closes the session into history as it stands.
    pub fn close(mut self, now: Timestamp) -> Result<(), Error> {
        self.write(Body::Close, now)
    }

    pub(super) fn write(&mut self, body: Body, at: Timestamp) -> Result<(), Error> {
        if self.torn {
            return Err(Error::Torn {
                path: self.path.clone(),
            });
        }
        let record = Record {
            v: format_of(&body),
            seq: self.next_seq,
            at,
            body,
        };
        let mut line = serde_json::to_vec(&record).map_err(Error::Encode)?;
        line.push(b'\n');
        let written = self
            .file
            .write_all(&line)
            .and_then(|()| self.file.sync_data());
        if let Err(error) = written {
            // Whatever part of the line reached the file goes: the log is as it was.
            let back = self
                .file
                .set_len(self.len)
                .and_then(|()| self.file.sync_data());
            self.torn = back.is_err();
            return Err(Error::Write {
                path: self.path.clone(),
                error,
            });
        }
        self.len += line.len() as u64;
        self.next_seq += 1;
        Ok(())
    }
}

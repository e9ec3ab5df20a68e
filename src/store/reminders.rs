//! The record of what `postrun remind` handed to the system's scheduler, `reminders.json` in
//! the data folder: `--cancel` takes those back, a fired reminder reads what to say from it,
//! and setting reminders again replaces them. Written atomically.
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Error, read, write};
use crate::core::reminder::Reminder;

/// A scheduler that runs a command at a set time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scheduler {
    /// The user's systemd: one transient timer per reminder.
    Systemd,
    /// `at` (atd): one job per reminder.
    At,
}

impl std::fmt::Display for Scheduler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Scheduler::Systemd => "systemd user timers",
            Scheduler::At => "at",
        })
    }
}

/// The record's format version.
pub const VERSION: u32 = 1;

/// Reminders handed to a scheduler.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scheduled {
    /// Format version.
    pub v: u32,
    /// Which scheduler holds them.
    pub scheduler: Scheduler,
    /// One per reminder.
    pub jobs: Vec<Job>,
}

/// One reminder and the scheduler's name for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    /// What fires, and when.
    #[serde(flatten)]
    pub reminder: Reminder,
    /// The scheduler's handle: a systemd timer unit, or an `at` job number.
    pub handle: String,
}

/// Where the record lives under a data folder.
pub fn path(data: &Path) -> PathBuf {
    data.join("reminders.json")
}

/// The record, or `None` when no reminders are set.
pub fn load(data: &Path) -> Result<Option<Scheduled>, Error> {
    let path = path(data);
    let bytes = match read::read(&path, read::Kind::Record).map_err(io::Error::from) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(Error::Io { path, error }),
    };
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|error| Error::Damaged { path, error })
}

/// Writes the record, or removes it when there are no jobs left.
pub fn save(data: &Path, scheduled: &Scheduled) -> Result<(), Error> {
    if scheduled.jobs.is_empty() {
        return clear(data);
    }
    let mut text = serde_json::to_vec_pretty(scheduled).map_err(Error::Encode)?;
    text.push(b'\n');
    write::private_dir(data).map_err(|error| Error::Io {
        path: data.to_path_buf(),
        error,
    })?;
    write::sweep(data);
    write::replace(&path(data), &text, write::PRIVATE)
}

/// Removes the record.
pub fn clear(data: &Path) -> Result<(), Error> {
    let path = path(data);
    match fs::remove_file(&path) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => Err(Error::Io { path, error }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::os::unix::fs::PermissionsExt;

    use chrono::{TimeZone, Utc};

    use super::*;

    #[test]
    fn saves_loads_and_clears() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()).unwrap(), None);
        let scheduled = Scheduled {
            v: VERSION,
            scheduler: Scheduler::At,
            jobs: vec![Job {
                reminder: Reminder {
                    step: "meal".into(),
                    at: Utc.with_ymd_and_hms(2026, 5, 1, 11, 0, 0).unwrap(),
                    title: "Meal".into(),
                    body: "Eat. (11:00-12:00)".into(),
                },
                handle: "7".into(),
            }],
        };
        save(dir.path(), &scheduled).unwrap();
        assert_eq!(load(dir.path()).unwrap(), Some(scheduled.clone()));
        // What is to be done when is the runner's alone.
        let mode = fs::metadata(path(dir.path())).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        // Nothing left to hold: the record goes.
        save(
            dir.path(),
            &Scheduled {
                jobs: vec![],
                ..scheduled
            },
        )
        .unwrap();
        assert!(!path(dir.path()).exists());
        clear(dir.path()).unwrap();
    }

    #[test]
    fn a_damaged_record_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(path(dir.path()), "{not json").unwrap();
        let e = load(dir.path()).unwrap_err();
        assert!(e.to_string().contains("reminders.json: unreadable"), "{e}");
    }
}

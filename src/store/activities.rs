//! Activity files from the watch: one the runner names, or the newest in a folder (a mounted
//! watch, a downloads folder). Each is read through [`read`](super::read) as
//! [`Kind::Activity`]: a regular file, bounded, so a FIFO or a device is refused by name and
//! nothing waits on one.
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::read::{self, Kind, Refusal};
use crate::core::session::Timestamp;
use crate::core::watch::{self, Run, Unreadable};

/// How long after a run postrun takes it as today's without being told: the time a runner
/// may take to get home, shower and open a terminal, and well inside the first windows.
pub const RECENT: Duration = Duration::from_secs(4 * 3600);

/// How many of a folder's files are read, newest first by their time on disk: a watch's
/// folder holds years of runs, and today's is among the last written.
const LOOKED_AT: usize = 20;

/// A run and the file it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The file.
    pub path: PathBuf,
    /// The run in it.
    pub run: Run,
}

/// Why no run came from a path.
#[derive(Debug)]
pub enum ActivityError {
    /// The file could not be read: missing, not a regular file, too large.
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        why: Refusal,
    },
    /// It was read, but holds no run postrun can read.
    Unreadable {
        /// The file.
        path: PathBuf,
        /// Why.
        why: Unreadable,
    },
    /// The folder could not be listed.
    Folder {
        /// The folder.
        path: PathBuf,
        /// Why.
        why: std::io::Error,
    },
    /// The folder holds no activity file that could be read.
    NoneIn {
        /// The folder.
        path: PathBuf,
        /// The first file that could not be read, and why, if any was there.
        first: Option<Box<ActivityError>>,
    },
}

impl fmt::Display for ActivityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActivityError::Read { path, why } => write!(f, "{}: {why}", path.display()),
            ActivityError::Unreadable { path, why } => write!(f, "{}: {why}", path.display()),
            ActivityError::Folder { path, why } => {
                write!(f, "{}: cannot list the folder: {why}", path.display())
            }
            ActivityError::NoneIn { path, first } => {
                write!(
                    f,
                    "{}: no FIT, GPX or TCX activity here that postrun can read",
                    path.display()
                )?;
                match first {
                    Some(e) => write!(f, " ({e})"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl std::error::Error for ActivityError {}

/// The run in the file at `path`, or in the newest activity file when `path` is a folder.
pub fn read_run(path: &Path) -> Result<Found, ActivityError> {
    if path.is_dir() {
        return newest_in(path, None);
    }
    read_file(path)
}

/// The run in one file.
fn read_file(path: &Path) -> Result<Found, ActivityError> {
    let bytes = read::read(path, Kind::Activity).map_err(|why| ActivityError::Read {
        path: path.to_path_buf(),
        why,
    })?;
    let name = path.display().to_string();
    let run = watch::read(&name, &bytes).map_err(|why| ActivityError::Unreadable {
        path: path.to_path_buf(),
        why,
    })?;
    Ok(Found {
        path: path.to_path_buf(),
        run,
    })
}

/// The run that ended last among the activity files in `folder` (the [`LOOKED_AT`] newest on
/// disk); with `since`, only files written since then, and only runs that ended since.
fn newest_in(folder: &Path, since: Option<SystemTime>) -> Result<Found, ActivityError> {
    let entries = fs::read_dir(folder).map_err(|why| ActivityError::Folder {
        path: folder.to_path_buf(),
        why,
    })?;
    let mut files: Vec<(SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| is_activity(&e.file_name().to_string_lossy()))
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            let at = meta.modified().ok()?;
            since.is_none_or(|s| at >= s).then(|| (at, e.path()))
        })
        .collect();
    files.sort_by(|a, b| b.cmp(a));
    let mut best: Option<Found> = None;
    let mut first_error = None;
    for (_, path) in files.into_iter().take(LOOKED_AT) {
        match read_file(&path) {
            Ok(found)
                if best
                    .as_ref()
                    .is_none_or(|b| found.run.ended_at > b.run.ended_at) =>
            {
                best = Some(found);
            }
            Ok(_) => {}
            Err(e) => {
                first_error.get_or_insert_with(|| Box::new(e));
            }
        }
    }
    best.ok_or_else(|| ActivityError::NoneIn {
        path: folder.to_path_buf(),
        first: first_error,
    })
}

/// Whether a file's name is an activity's: `.fit`, `.gpx`, `.tcx` in any case, not hidden.
fn is_activity(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    !name.starts_with('.') && [".fit", ".gpx", ".tcx"].iter().any(|x| lower.ends_with(x))
}

/// The run in `folder` that ended in the [`RECENT`] hours before `now`, the latest if
/// several: what postrun takes as today's run when the config names a watch folder. `None`
/// when there is none, or the folder is not there (a watch not plugged in).
pub fn newest_activity(folder: &Path, now: Timestamp) -> Option<Found> {
    let recent = chrono::TimeDelta::from_std(RECENT).unwrap_or_default();
    let since = SystemTime::from(now - recent);
    let found = newest_in(folder, Some(since)).ok()?;
    let ended = found.run.ended_at;
    (ended <= now && now - ended <= recent).then_some(found)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn activity_files_are_told_by_their_names() {
        for name in ["a.fit", "B.FIT", "run.gpx", "x.Tcx"] {
            assert!(is_activity(name), "{name}");
        }
        for name in [".a.fit", "a.fit.part", "notes.txt", "fit"] {
            assert!(!is_activity(name), "{name}");
        }
    }

    #[test]
    fn a_fifo_among_the_files_is_refused_by_name_and_never_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("run.fit");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        let e = read_run(&fifo).unwrap_err();
        assert!(
            e.to_string().ends_with("run.fit: it is a FIFO, not a file"),
            "{e}"
        );
        let e = read_run(dir.path()).unwrap_err();
        assert!(e.to_string().contains("it is a FIFO, not a file"), "{e}");
        assert_eq!(newest_activity(dir.path(), chrono::Utc::now()), None);
        assert_eq!(
            newest_activity(&dir.path().join("gone"), chrono::Utc::now()),
            None
        );
    }
}

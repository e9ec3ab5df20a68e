//! The journal: how sore the runner was and a line of notes, one JSON line an entry in
//! `journal.jsonl` in the data folder. Written as a session log is: appended under a lock and
//! synced before it is reported, a failed write cut back so the file is as it was; private
//! (0600, in the 0700 data folder); read through [`read`](super::read) as [`Kind::Journal`],
//! a line that cannot be read skipped with a warning.
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Error;
use super::read::{self, Kind};
use crate::core::journal::Entry;

/// The journal's line format; a newer one is skipped rather than misread.
pub const VERSION: u32 = 1;

/// One line of the journal.
#[derive(Debug, Serialize, Deserialize)]
struct Line {
    v: u32,
    #[serde(flatten)]
    entry: Entry,
}

/// The journal in a data folder.
#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
}

impl Journal {
    /// The journal in the data folder `data`.
    pub fn new(data: &Path) -> Journal {
        Journal {
            path: data.join("journal.jsonl"),
        }
    }

    /// Its file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Adds an entry, synced before it returns. On failure the file is as it was.
    pub fn append(&self, entry: &Entry) -> Result<(), Error> {
        let io = |error| Error::Io {
            path: self.path.clone(),
            error,
        };
        let data = self.path.parent().unwrap_or(Path::new("."));
        super::write::private_dir(data).map_err(io)?;
        let mut options = OpenOptions::new();
        options.read(true).append(true).create(true).mode(0o600);
        // Only a regular file is written to, as only one is read.
        let mut file = read::open(&self.path, &mut options).map_err(|e| io(e.into()))?;
        // Another `postrun log` waits its turn: two lines never interleave or cut each other.
        file.lock().map_err(|error| Error::Lock {
            path: self.path.clone(),
            error,
        })?;
        let len = file.metadata().map_err(io)?.len();
        let mut line = Vec::new();
        if len > 0 && !ends_a_line(&mut file, len).map_err(io)? {
            // A line a crash left torn stays a line of its own, skipped when read.
            line.push(b'\n');
        }
        serde_json::to_writer(
            &mut line,
            &Line {
                v: VERSION,
                entry: entry.clone(),
            },
        )
        .map_err(Error::Encode)?;
        line.push(b'\n');
        let written = file.write_all(&line).and_then(|()| file.sync_data());
        if let Err(error) = written {
            let _ = file.set_len(len).and_then(|()| file.sync_data());
            return Err(Error::Write {
                path: self.path.clone(),
                error,
            });
        }
        if len == 0
            && let Ok(dir) = File::open(data)
        {
            // The new file's name must survive a crash too.
            let _ = dir.sync_all();
        }
        Ok(())
    }

    /// Every entry, oldest first, and a warning for each line that could not be read. No
    /// journal yet is no entries.
    pub fn read(&self) -> Result<(Vec<Entry>, Vec<String>), Error> {
        let bytes = match read::read(&self.path, Kind::Journal) {
            Ok(bytes) => bytes,
            Err(read::Refusal::Io(e)) if e.kind() == io::ErrorKind::NotFound => {
                return Ok((Vec::new(), Vec::new()));
            }
            Err(e) => {
                return Err(Error::Open {
                    path: self.path.clone(),
                    error: e.into(),
                });
            }
        };
        let (mut entries, mut warnings) = (Vec::new(), Vec::new());
        for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let at = format!("{}:{}", self.path.display(), i + 1);
            match serde_json::from_slice::<Line>(line) {
                Ok(l) if l.v > VERSION => warnings.push(format!(
                    "{at}: written by a newer postrun (format {}); skipped",
                    l.v
                )),
                Ok(l) => entries.push(l.entry),
                Err(_) => warnings.push(format!("{at}: not a journal entry; skipped")),
            }
        }
        entries.sort_by_key(|e| e.at);
        Ok((entries, warnings))
    }
}

/// Whether the file's last byte ends a line.
fn ends_a_line(file: &mut File, len: u64) -> io::Result<bool> {
    file.seek(SeekFrom::Start(len - 1))?;
    let mut last = [0u8];
    file.read_exact(&mut last)?;
    Ok(last[0] == b'\n')
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::{NaiveDate, TimeZone, Utc};
    use std::os::unix::fs::PermissionsExt;

    fn entry(d: u32, sore: Option<u8>, note: Option<&str>) -> Entry {
        Entry {
            at: Utc.with_ymd_and_hms(2026, 5, d, 8, 0, 0).unwrap(),
            day: NaiveDate::from_ymd_opt(2026, 5, d).unwrap(),
            sore,
            note: note.map(str::to_string),
        }
    }

    #[test]
    fn entries_come_back_in_order_from_a_private_file() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::new(&dir.path().join("postrun"));
        assert_eq!(journal.read().unwrap(), (vec![], vec![]));
        journal
            .append(&entry(2, Some(7), Some("left calf tight")))
            .unwrap();
        journal.append(&entry(1, None, Some("easy day"))).unwrap();
        let (entries, warnings) = journal.read().unwrap();
        assert!(warnings.is_empty());
        assert_eq!(
            entries,
            [
                entry(1, None, Some("easy day")),
                entry(2, Some(7), Some("left calf tight"))
            ]
        );
        let mode = std::fs::metadata(journal.path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let data = std::fs::metadata(dir.path().join("postrun"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(data & 0o777, 0o700);
    }

    #[test]
    fn a_torn_line_is_skipped_with_a_warning_and_the_next_starts_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::new(dir.path());
        journal.append(&entry(1, Some(3), None)).unwrap();
        let mut f = OpenOptions::new()
            .append(true)
            .open(journal.path())
            .unwrap();
        f.write_all(b"{\"v\":1,\"at\":\"2026-05-02T08:0").unwrap();
        journal.append(&entry(3, Some(5), None)).unwrap();
        let (entries, warnings) = journal.read().unwrap();
        assert_eq!(entries, [entry(1, Some(3), None), entry(3, Some(5), None)]);
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].ends_with("journal.jsonl:2: not a journal entry; skipped"),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_fifo_in_its_place_is_refused_not_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::new(dir.path());
        let ok = std::process::Command::new("mkfifo")
            .arg(journal.path())
            .status()
            .unwrap();
        assert!(ok.success());
        assert!(
            journal
                .read()
                .unwrap_err()
                .to_string()
                .contains("it is a FIFO, not a file")
        );
        assert!(
            journal
                .append(&entry(1, Some(1), None))
                .unwrap_err()
                .to_string()
                .contains("FIFO")
        );
    }
}

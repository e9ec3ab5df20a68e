//! The one way postrun reads a file it is given or keeps: a protocol, the config, a session
//! log, the reminders record, the summaries. Only a regular file is read (a symlink to one is
//! one); a FIFO, a device, a socket or a folder is refused by name, and nothing ever waits on
//! one. No read takes more than its kind's cap, so a file that grows without end (or a log
//! linked to `/dev/zero`) cannot fill the memory.
use std::fmt;
use std::fs::{self, File, FileType, Metadata, OpenOptions};
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use crate::core::protocol::MAX_FILE_BYTES;

const MIB: u64 = 1024 * 1024;

/// What is being read, and so how much of it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A protocol: the parser's own limit, [`MAX_FILE_BYTES`].
    Protocol,
    /// `config.toml`: a dozen lines by hand. The protocol's 1 MiB is thousands of times that
    /// and still read at once.
    Config,
    /// A session log. Its opening line holds the protocol twice (parsed, and as text), a few
    /// MiB at most for a 1 MiB protocol once JSON has escaped it; each event is about 100
    /// bytes. 64 MiB leaves room for over half a million events, thousands of times a real
    /// session, and is still read in well under a second.
    Log,
    /// `reminders.json`: one job per step of one protocol, a few KiB.
    Record,
    /// `summaries.cache`: about 1 KiB per session, so 128 MiB is over a hundred thousand
    /// sessions. One over the cap is only rebuilt, never an error.
    Cache,
    /// An activity file from the watch (FIT, GPX, TCX): a marathon recorded each second is
    /// 1-2 MiB as FIT and about 10 MiB as GPX; 64 MiB holds a day-long ultra as XML.
    Activity,
    /// The journal of soreness and notes: a line of about 100 bytes a day, so 16 MiB is
    /// centuries of them.
    Journal,
}

impl Kind {
    /// The most bytes a file of this kind may have.
    pub fn cap(self) -> u64 {
        match self {
            Kind::Protocol => MAX_FILE_BYTES as u64,
            Kind::Config | Kind::Record => MIB,
            Kind::Log | Kind::Activity => 64 * MIB,
            Kind::Journal => 16 * MIB,
            Kind::Cache => 128 * MIB,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Protocol => "a protocol",
            Kind::Config => "a config file",
            Kind::Log => "a session log",
            Kind::Record => "the reminders record",
            Kind::Cache => "the summaries cache",
            Kind::Activity => "an activity file",
            Kind::Journal => "the journal",
        }
    }
}

/// Why a file was not read.
#[derive(Debug)]
pub enum Refusal {
    /// The system refused: it is not there, not readable, ...
    Io(io::Error),
    /// It is there, but not a regular file: what it is instead (`a FIFO`).
    NotAFile(&'static str),
    /// A symlink to nothing.
    Dangling(PathBuf),
    /// More bytes than its kind may have.
    TooLarge {
        /// Its size.
        size: u64,
        /// What it was read as.
        kind: Kind,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Io(e) => write!(f, "{e}"),
            Refusal::NotAFile(what) => write!(f, "it is {what}, not a file"),
            Refusal::Dangling(to) => write!(
                f,
                "it is a symlink to {}, which does not exist",
                to.display()
            ),
            Refusal::TooLarge { size, kind } => write!(
                f,
                "it is {size} bytes; {} may be at most {} bytes",
                kind.name(),
                kind.cap()
            ),
        }
    }
}

impl std::error::Error for Refusal {}

/// For callers that speak `io::Error`: the same message. A dangling link is not `NotFound`,
/// so no caller takes it for a file that is simply absent.
impl From<Refusal> for io::Error {
    fn from(r: Refusal) -> io::Error {
        let kind = match r {
            Refusal::Io(e) => return e,
            Refusal::NotAFile(_) | Refusal::Dangling(_) => io::ErrorKind::InvalidInput,
            Refusal::TooLarge { .. } => io::ErrorKind::FileTooLarge,
        };
        io::Error::new(kind, r)
    }
}

impl From<io::Error> for Refusal {
    fn from(e: io::Error) -> Refusal {
        Refusal::Io(e)
    }
}

/// The whole of a regular file, refused if it is anything else or over `kind`'s cap.
pub fn read(path: &Path, kind: Kind) -> Result<Vec<u8>, Refusal> {
    // Looking first keeps us from opening a device at all (some act on being opened); the
    // handle is checked again below, as the path may change in between.
    match fs::metadata(path) {
        Ok(meta) => regular(&meta)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(missing(path, e)),
        Err(e) => return Err(e.into()),
    }
    let mut file = open(path, OpenOptions::new().read(true))?;
    read_to_end(&mut file, kind)
}

/// Opens a file with `options`, only if it is a regular file: a FIFO is opened without
/// waiting for a writer, then refused by what the opened handle is.
pub fn open(path: &Path, options: &mut OpenOptions) -> Result<File, Refusal> {
    // O_NONBLOCK: opening a FIFO for reading would wait for a writer. It changes nothing for
    // a regular file. O_NOCTTY: a terminal is never made ours by opening it.
    let file = options
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => missing(path, e),
            _ => Refusal::Io(e),
        })?;
    regular(&file.metadata()?)?;
    Ok(file)
}

/// The rest of an open regular file, from where it stands, at most `kind`'s cap: one byte
/// more is read to know that it is over, whatever its size said when it was opened.
pub fn read_to_end(file: &mut File, kind: Kind) -> Result<Vec<u8>, Refusal> {
    let size = file.metadata()?.len();
    if size > kind.cap() {
        return Err(Refusal::TooLarge { size, kind });
    }
    let mut bytes = Vec::new();
    file.take(kind.cap() + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > kind.cap() {
        let size = file.metadata().map_or(bytes.len() as u64, |m| m.len());
        return Err(Refusal::TooLarge { size, kind });
    }
    Ok(bytes)
}

fn regular(meta: &Metadata) -> Result<(), Refusal> {
    if meta.is_file() {
        Ok(())
    } else {
        Err(Refusal::NotAFile(what(meta.file_type())))
    }
}

/// What a file that is not a regular file is, in a few words.
pub(super) fn what(t: FileType) -> &'static str {
    if t.is_dir() {
        "a folder"
    } else if t.is_fifo() {
        "a FIFO"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "something other than a regular file"
    }
}

/// A file that is not there: a symlink to nothing is said to be one, since it was meant to
/// be read.
fn missing(path: &Path, e: io::Error) -> Refusal {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => match fs::read_link(path) {
            Ok(to) => Refusal::Dangling(to),
            Err(_) => Refusal::Io(e),
        },
        _ => Refusal::Io(e),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_regular_file_is_read_whole_and_anything_else_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a");
        fs::write(&file, "text").unwrap();
        assert_eq!(read(&file, Kind::Config).unwrap(), b"text");
        let e = read(dir.path(), Kind::Config).unwrap_err();
        assert_eq!(e.to_string(), "it is a folder, not a file");
        let e = read(Path::new("/dev/null"), Kind::Config).unwrap_err();
        assert_eq!(e.to_string(), "it is a character device, not a file");
        let e = read(&dir.path().join("b"), Kind::Config).unwrap_err();
        assert_eq!(io::Error::from(e).kind(), io::ErrorKind::NotFound);
        std::os::unix::fs::symlink(dir.path().join("b"), dir.path().join("c")).unwrap();
        let e = io::Error::from(read(&dir.path().join("c"), Kind::Config).unwrap_err());
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        assert!(e.to_string().ends_with("/b, which does not exist"), "{e}");
    }

    #[test]
    fn a_file_over_its_cap_is_refused_with_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a");
        fs::write(&file, vec![b'x'; MAX_FILE_BYTES + 1]).unwrap();
        let e = read(&file, Kind::Protocol).unwrap_err();
        assert!(matches!(e, Refusal::TooLarge { size, .. } if size == MAX_FILE_BYTES as u64 + 1));
        assert_eq!(read(&file, Kind::Log).unwrap().len(), MAX_FILE_BYTES + 1);
    }
}

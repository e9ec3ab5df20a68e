//! Writing the files postrun keeps, and the folders they go in. A file is replaced whole or
//! not at all: a temporary file beside it, synced, then renamed over it; the temporary file
//! is removed on every failure, and one a killed postrun left is swept by the next `init`,
//! `edit`, summaries or reminders written to that folder. What is written through a symlink
//! lands on its target, so the link stays, and the target keeps its mode and owner; but a
//! link another user made in a shared folder such as `/tmp` is not followed, as the system
//! itself would not follow it (see [`may_follow`]).
//!
//! The session logs and what is kept beside them say how the runner's body is doing, so
//! they are the runner's alone: the data folder and `sessions/` are 0700 (an older postrun
//! made them 0755; they are tightened when a session starts, which also closes the logs it
//! made 0644 inside them), and every file in them is 0600. Protocols and the config keep the
//! mode they have, or the usual one (the umask's) when new.
use std::ffi::OsStr;
use std::fs::{self, DirBuilder, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::Error;

/// What mode a file written gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The mode the file has now; for a new file, the usual one (0666 less the umask).
    Kept,
    /// Exactly this, whatever the umask.
    Set(u32),
}

/// The runner's alone: session logs, summaries, the reminders record.
pub const PRIVATE: Mode = Mode::Set(0o600);

/// A temporary file older than this is one a killed postrun left: no write takes so long.
const STALE: Duration = Duration::from_secs(10 * 60);

/// Replaces `path` with `bytes`, through any symlink at `path`, in `mode`, synced so that a
/// crash leaves the old or the new file. The folder must be there: postrun makes folders only
/// where it means to (see [`private_dir`]).
pub fn replace(path: &Path, bytes: &[u8], mode: Mode) -> Result<(), Error> {
    write(path, bytes, mode, true)
}

/// [`replace`] without waiting for the disk: for a cache, which a crash may cost but never
/// garble into something believed (a damaged cache is rebuilt), and which `status` rewrites
/// as often as a status bar asks while a session goes on.
pub fn replace_unsynced(path: &Path, bytes: &[u8], mode: Mode) -> Result<(), Error> {
    write(path, bytes, mode, false)
}

fn write(path: &Path, bytes: &[u8], mode: Mode, sync: bool) -> Result<(), Error> {
    let failed = |error| Error::Io {
        path: path.to_path_buf(),
        error,
    };
    let target = resolve(path).map_err(failed)?;
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let was = fs::metadata(&target).ok();
    if let Some(m) = was.as_ref().filter(|m| !m.is_file()) {
        // Only a regular file is replaced: renaming over a device or a FIFO would swap a
        // file of ours in for it.
        let what = super::read::Refusal::NotAFile(super::read::what(m.file_type()));
        return Err(failed(what.into()));
    }
    let mode = match mode {
        Mode::Set(m) => Some(m),
        Mode::Kept => was.as_ref().map(|m| m.mode() & 0o7777),
    };
    let name = target.file_name().unwrap_or(OsStr::new("file"));
    let tmp = dir.join(temp_name(name));
    let written = (|| {
        // Made 0600 (or 0666 less the umask for a new file of the runner's), and given its
        // final mode once whole, so no one else can read it while it is written.
        let mut f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(if mode.is_some() { 0o600 } else { 0o666 })
            .open(&tmp)?;
        f.write_all(bytes)?;
        if let Some(was) = &was {
            // The owner too, where we may (as root, editing a runner's file); else as is.
            // Before the mode, since a change of owner clears set-id bits.
            let _ = std::os::unix::fs::fchown(&f, Some(was.uid()), Some(was.gid()));
        }
        if let Some(m) = mode {
            f.set_permissions(fs::Permissions::from_mode(m))?;
        }
        if sync {
            f.sync_all()?;
        }
        fs::rename(&tmp, &target)
    })();
    if let Err(error) = written {
        let _ = fs::remove_file(&tmp);
        return Err(failed(error));
    }
    // The new name must survive a crash too.
    if let Some(d) = sync.then(|| fs::File::open(dir).ok()).flatten() {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Whether `path` is a character device or a pipe (`/dev/stdout` is one or the other, or a
/// file): an output the runner names there is written into ([`into_stream`]), as a shell's
/// `>` would, where a regular file is replaced whole.
pub fn is_stream(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    fs::metadata(path).is_ok_and(|m| m.file_type().is_char_device() || m.file_type().is_fifo())
}

/// Writes into a device or a pipe. A FIFO nothing reads is an error at once, not a wait for a
/// reader that may never come: it is opened without blocking, which fails then; writes block.
pub fn into_stream(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::os::unix::io::AsRawFd;
    let mut file = OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ENXIO) => io::Error::other("it is a FIFO nothing reads"),
            _ => e,
        })?;
    // SAFETY: fcntl on a descriptor this function owns, with integer arguments only.
    unsafe {
        let flags = libc::fcntl(file.as_raw_fd(), libc::F_GETFL);
        if flags < 0 || libc::fcntl(file.as_raw_fd(), libc::F_SETFL, flags & !libc::O_NONBLOCK) < 0
        {
            return Err(io::Error::last_os_error());
        }
    }
    file.write_all(bytes)
}

/// Makes a folder of postrun's data, and any missing above it, 0700 (as the XDG spec asks of
/// a data folder made on writing), and takes group and other permissions off it if an older
/// postrun left them. Only the folder named is tightened, not those above it.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
    let meta = fs::metadata(dir)?;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let ours = meta.uid() == unsafe { libc::geteuid() };
    if ours && meta.mode() & 0o077 != 0 {
        // Best effort: a folder that cannot be tightened still holds private files.
        let _ = fs::set_permissions(dir, fs::Permissions::from_mode(meta.mode() & 0o7700));
    }
    Ok(())
}

impl super::Store {
    /// The data folder and `sessions/`, made or made private.
    pub(super) fn make_private(&self) -> io::Result<()> {
        if let Some(data) = self.dir().parent() {
            private_dir(data)?;
        }
        private_dir(self.dir())
    }
}

/// The file a symlink at `path` leads to, through any chain of them; `path` itself when it is
/// no symlink. The file need not exist: writing through a link to nothing makes its target,
/// as the shell's `>` does.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut at = path.to_path_buf();
    // The kernel's own limit on a chain of links.
    for _ in 0..40 {
        match fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                may_follow(&at, &m, at != path)?;
                let to = fs::read_link(&at)?;
                at = match at.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(at),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        "too many levels of symbolic links",
    ))
}

/// The system's own rule for symlinks in shared folders (Linux's `fs.protected_symlinks`),
/// kept here because [`resolve`] reads links by hand and the rename then goes around the
/// system's check: in a folder that is sticky and writable by everyone (`/tmp`), a link is
/// followed only if we or the folder's owner made it. Another user's link there may lead
/// wherever they like, and writing through it would let them choose the file we replace.
/// `further` when the link is not the path written but one it leads to.
fn may_follow(link: &Path, meta: &fs::Metadata, further: bool) -> io::Result<()> {
    let dir = match link.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let folder = fs::metadata(dir)?;
    let shared = folder.mode() & 0o1002 == 0o1002;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let us = unsafe { libc::geteuid() };
    if !shared || meta.uid() == us || meta.uid() == folder.uid() {
        return Ok(());
    }
    Err(io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!(
            "{} a symlink another user (uid {}) made in {}, a folder anyone may write to: \
             it could lead to any file, so it is not followed (as the system would not); \
             remove it, or write elsewhere",
            match further {
                true => format!("it leads to {},", link.display()),
                false => "it is".to_string(),
            },
            meta.uid(),
            dir.display()
        ),
    ))
}

/// `.NAME.PID.tmp`: hidden, so no listing of protocols or logs shows it, and with our pid so
/// two writers never share one.
fn temp_name(name: &OsStr) -> String {
    format!(".{}.{}.tmp", name.to_string_lossy(), std::process::id())
}

/// Whether a file name is one [`temp_name`] makes (or, `summaries.tmpPID`, an older postrun
/// made).
fn is_temp(name: &str) -> bool {
    let pid_then = |rest: &str, end: &str| {
        rest.strip_suffix(end)
            .and_then(|r| r.rsplit_once('.'))
            .is_some_and(|(_, pid)| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
    };
    if let Some(rest) = name.strip_prefix('.') {
        return pid_then(rest, ".tmp");
    }
    name.strip_prefix("summaries.tmp")
        .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
}

/// Removes the temporary files of ours in `dir` that a killed postrun left: only those older
/// than [`STALE`], since a younger one may be another postrun's write under way. Only for
/// postrun's own folders (protocols, data): elsewhere a file of that name may be another
/// program's.
pub fn sweep(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let stale = entry.metadata().is_ok_and(|m| {
            m.is_file()
                && m.modified()
                    .is_ok_and(|t| now.duration_since(t).is_ok_and(|age| age > STALE))
        });
        if stale && name.to_str().is_some_and(is_temp) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn temporary_names_are_told_from_the_runners_files() {
        assert!(is_temp(&temp_name(OsStr::new("optimal-recovery.toml"))));
        assert!(is_temp(".reminders.json.77.tmp"));
        assert!(is_temp("summaries.tmp4242"));
        for name in [
            ".mine.edit.toml",
            "mine.tmp",
            ".mine.tmp",
            ".mine..tmp",
            ".x.12a.tmp",
            "summaries.cache",
            "summaries.tmp",
            "a.1.tmp",
        ] {
            assert!(!is_temp(name), "{name}");
        }
    }

    #[test]
    fn a_private_file_is_0600_and_a_kept_one_keeps_its_mode_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        fs::write(&file, "old").unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink("f", &link).unwrap();
        replace(&link, b"new", Mode::Kept).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&file).unwrap(), b"new");
        assert_eq!(fs::metadata(&file).unwrap().mode() & 0o777, 0o640);
        replace(&file, b"newer", PRIVATE).unwrap();
        assert_eq!(fs::metadata(&file).unwrap().mode() & 0o777, 0o600);
        let mut names: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().collect();
        names.sort_by_key(|e| e.file_name());
        assert_eq!(names.len(), 2, "nothing left beside them: {names:?}");
    }

    /// A folder like /tmp: sticky and writable by all, owned by us; in it, `victim` (ours) and
    /// a link to it that another user (nobody, 65534) made. `None`, with a notice, where we
    /// may not give a file away (not root).
    fn a_shared_folder_with_a_strangers_link() -> Option<(tempfile::TempDir, PathBuf, PathBuf)> {
        let dir = tempfile::tempdir().unwrap();
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o1777)).unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, "mine").unwrap();
        let link = dir.path().join("link.ics");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        let c = std::ffi::CString::new(link.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        if unsafe { libc::lchown(c.as_ptr(), 65534, 65534) } != 0 {
            eprintln!(
                "NOTICE: cannot give a link to another user here ({}); skipping",
                io::Error::last_os_error()
            );
            return None;
        }
        Some((dir, victim, link))
    }

    #[test]
    fn a_strangers_link_in_a_shared_sticky_folder_is_never_followed() {
        let Some((dir, victim, link)) = a_shared_folder_with_a_strangers_link() else {
            return;
        };
        let err = replace(&link, b"calendar", Mode::Kept).unwrap_err();
        let said = err.to_string();
        assert!(
            said.starts_with("it is a symlink another user (uid 65534) made in"),
            "{said}"
        );
        assert_eq!(
            fs::read(&victim).unwrap(),
            b"mine",
            "the link's target was replaced"
        );
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        let names = fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(names, 2, "nothing left beside them");
        // The folder's owner may: a link the folder's owner made is followed, as the kernel does.
        std::os::unix::fs::chown(dir.path(), Some(65534), Some(65534)).unwrap();
        replace(&link, b"calendar", Mode::Kept).unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"calendar");
    }

    #[test]
    fn our_own_link_in_a_shared_sticky_folder_is_followed() {
        let dir = tempfile::tempdir().unwrap();
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o1777)).unwrap();
        let file = dir.path().join("f");
        fs::write(&file, "old").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink("f", &link).unwrap();
        replace(&link, b"new", Mode::Kept).unwrap();
        assert_eq!(fs::read(&file).unwrap(), b"new");
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[test]
    fn a_write_into_a_missing_folder_fails_and_makes_none() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("no/f");
        assert!(replace(&file, b"x", PRIVATE).is_err());
        assert!(!dir.path().join("no").exists());
    }
}

//! One writer per session: an advisory lock on the log, and who holds it when a second window
//! is turned away.
use std::fmt;
use std::fs::{self, File, TryLockError};
use std::path::Path;

use super::Error;

/// The session is open in another window: another process holds its log's lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Busy {
    /// The process that holds it, when the system says.
    pub pid: Option<u32>,
}

impl fmt::Display for Busy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "this session is open in another window")?;
        if let Some(pid) = self.pid {
            write!(f, " (pid {pid})")?;
        }
        write!(f, "; close it there, or watch it with `postrun status`")
    }
}

impl std::error::Error for Busy {}

impl Busy {
    /// The `Busy` a store error is, if that is what it is.
    pub fn within(e: &Error) -> Option<&Busy> {
        match e {
            Error::Busy(busy) => Some(busy),
            _ => None,
        }
    }
}

/// The process holding a flock on the file, as the kernel lists it in `/proc/locks` (Linux;
/// elsewhere, or if unreadable, nobody is named). Asking the kernel needs no pid file that a
/// crash would leave behind or a read-only folder would refuse.
pub(super) fn holder(file: &File) -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    let meta = file.metadata().ok()?;
    holder_in(
        &fs::read_to_string("/proc/locks").ok()?,
        meta.dev(),
        meta.ino(),
    )
}

/// The pid of the first `FLOCK` in a `/proc/locks` text on the file `dev`, `ino`. Its lines
/// read `1: FLOCK  ADVISORY  WRITE 1234 fe:00:10010876 0 EOF`: the device as hex major and
/// minor, then the inode; a waiter's line has `->` after the number.
fn holder_in(locks: &str, dev: u64, ino: u64) -> Option<u32> {
    // How glibc splits a device number.
    let major = ((dev >> 32) & 0xffff_f000) | ((dev >> 8) & 0x0fff);
    let minor = ((dev >> 12) & 0xffff_ff00) | (dev & 0x00ff);
    locks.lines().find_map(|line| {
        let f: Vec<&str> = line.split_whitespace().collect();
        let (kind, pid, file) = (f.get(1)?, f.get(4)?, f.get(5)?);
        let mut id = file.split(':');
        let at = (
            u64::from_str_radix(id.next()?, 16).ok()?,
            u64::from_str_radix(id.next()?, 16).ok()?,
            id.next()?.parse::<u64>().ok()?,
        );
        (*kind == "FLOCK" && at == (major, minor, ino))
            .then(|| pid.parse().ok())
            .flatten()
    })
}

/// How long to wait for a window that is closing to let go of a session.
const LOCK_GRACE: std::time::Duration = std::time::Duration::from_millis(500);

/// Takes the log's lock for this process, or says who has it. A window that is just closing
/// (a terminal shut, a pane respawned) gets a moment to let go first.
pub(super) fn lock(file: &File, log: &Path) -> Result<(), Error> {
    let until = std::time::Instant::now() + LOCK_GRACE;
    let mut result = file.try_lock();
    while matches!(result, Err(TryLockError::WouldBlock)) && std::time::Instant::now() < until {
        std::thread::sleep(std::time::Duration::from_millis(20));
        result = file.try_lock();
    }
    match result {
        Ok(()) => Ok(()),
        Err(TryLockError::WouldBlock) => Err(Error::Busy(Busy { pid: holder(file) })),
        Err(TryLockError::Error(error)) => Err(Error::Lock {
            path: log.to_path_buf(),
            error,
        }),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_holder_is_read_from_the_kernels_list_of_locks() {
        let locks = "1: POSIX  ADVISORY  WRITE 99 fe:00:42 0 EOF\n\
                     2: FLOCK  ADVISORY  WRITE 7 08:01:42 0 EOF\n\
                     2: -> FLOCK  ADVISORY  WRITE 8 fe:00:42 0 EOF\n\
                     3: FLOCK  ADVISORY  WRITE 1234 fe:00:42 0 EOF\n";
        // Device 254:0 (0xfe00), inode 42: the POSIX lock, another device's and a waiter are
        // not the holder.
        assert_eq!(holder_in(locks, 0xfe00, 42), Some(1234));
        assert_eq!(holder_in(locks, 0x0801, 42), Some(7));
        assert_eq!(holder_in(locks, 0xfe00, 43), None);
        assert_eq!(holder_in("garbage\n\n1: FLOCK", 0xfe00, 42), None);
        // A large device number splits as glibc does: major 259, minor 65536.
        let dev = (259 << 8) | (65536 << 12);
        assert_eq!(
            holder_in("1: FLOCK ADVISORY WRITE 5 103:10000:9 0 EOF", dev, 9),
            Some(5)
        );
    }
}

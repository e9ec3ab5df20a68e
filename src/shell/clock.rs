//! The running process's clock: wall time read once, when the loop starts, then carried
//! forward by a clock that only moves forward and counts time spent suspended (Linux's
//! `CLOCK_BOOTTIME`). A wall clock set back an hour (NTP, travel, by hand) can then neither
//! freeze a running countdown nor give time back, and a laptop's sleep still counts, which a
//! monotonic `Instant` would not (it stops while suspended on Linux).
use std::time::Duration;

use chrono::Utc;

use crate::core::session::{Timestamp, delta};

/// Wall time at the start, and the boot clock's reading then.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    wall: Timestamp,
    boot: Duration,
}

impl Clock {
    /// Anchors the clock to wall time now.
    pub fn start() -> Clock {
        Clock {
            wall: Utc::now(),
            boot: since_boot(),
        }
    }

    /// Now: the anchor plus the time since, suspend included.
    pub fn now(&self) -> Timestamp {
        self.wall + delta(since_boot().saturating_sub(self.boot))
    }
}

/// The time since boot, suspend included; never goes back.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn since_boot() -> Duration {
    boot_clock(libc::CLOCK_BOOTTIME)
}

/// Elsewhere the monotonic clock: macOS's counts sleep already, others may not.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn since_boot() -> Duration {
    boot_clock(libc::CLOCK_MONOTONIC)
}

fn boot_clock(id: libc::clockid_t) -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec, and the clock id is a constant the
    // system defines; clock_gettime writes nothing else.
    let ok = unsafe { libc::clock_gettime(id, &mut ts) } == 0;
    if !ok {
        return Duration::ZERO;
    }
    Duration::new(
        u64::try_from(ts.tv_sec).unwrap_or(0),
        u32::try_from(ts.tv_nsec).unwrap_or(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_boot_clock_never_goes_back_and_now_follows_it() {
        let clock = Clock::start();
        let (a, b) = (since_boot(), since_boot());
        assert!(a > Duration::ZERO, "CLOCK_BOOTTIME answers");
        assert!(b >= a);
        let (x, y) = (clock.now(), clock.now());
        assert!(y >= x && x >= clock.wall);
    }
}

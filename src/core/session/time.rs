//! Time arithmetic for the session: what a countdown shows, and moments that saturate at
//! the ends of time instead of panicking (a timestamp read back from a log may be anything).
use std::time::Duration;

use chrono::TimeDelta;

use super::Timestamp;

/// Whole seconds as a countdown shows them: rounded up, so `00:00` appears exactly at the
/// deadline and never a second early. The TUI and `status` share it so they always agree.
pub fn shown_seconds(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// How long until a countdown with `left` to go shows another [`shown_seconds`]: its
/// fraction of a second, or a whole second when it stands on one.
pub fn to_next_second(left: Duration) -> Duration {
    match left.subsec_nanos() {
        0 => Duration::from_secs(1),
        n => Duration::from_nanos(u64::from(n)),
    }
}

/// `MM:SS`, or `H:MM:SS` from an hour.
///
/// Digit by digit rather than through `format!`: a running countdown spells its time several
/// times a second's wake, and the formatting machinery is code a wake after a second asleep
/// has to bring back into the cache (BENCHMARKS.md, "Idle CPU").
pub fn mmss(secs: u64) -> String {
    let mut text = String::with_capacity(8);
    let two = |text: &mut String, n: u64| {
        text.push(char::from(b'0' + (n / 10 % 10) as u8));
        text.push(char::from(b'0' + (n % 10) as u8));
    };
    let hours = secs / 3600;
    if hours > 0 {
        let digits = hours.to_string();
        text.push_str(&digits);
        text.push(':');
    }
    two(&mut text, secs / 60 % 60);
    text.push(':');
    two(&mut text, secs % 60);
    text
}

/// A core duration as a chrono delta, saturating instead of failing.
pub fn delta(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

/// `d` after `t`, saturating at the end of time: `DateTime + TimeDelta` panics on overflow,
/// and a timestamp read back from a log may be anything.
pub(super) fn after(t: Timestamp, d: Duration) -> Timestamp {
    t.checked_add_signed(delta(d))
        .unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC)
}

/// `d` before `t`, saturating at the start of time.
pub(super) fn before(t: Timestamp, d: Duration) -> Timestamp {
    t.checked_sub_signed(delta(d))
        .unwrap_or(chrono::DateTime::<chrono::Utc>::MIN_UTC)
}

/// The time from `a` to `b`, zero if `b` is not after `a`.
pub fn span(a: Timestamp, b: Timestamp) -> Duration {
    (b - a).to_std().unwrap_or_default()
}

/// How long after bedtime the night is over: postrun opened the next morning (from 04:30
/// after a 22:30 bedtime) closes yesterday into history and starts a new day, rather than
/// showing last night's steps as missed.
pub const NIGHT: std::time::Duration = std::time::Duration::from_secs(6 * 3600);

/// Until when a session whose run finished at `finished` stays open: 24 hours after the run,
/// or the end of its night, whichever comes first. `bedtime` is unknown for summaries cached
/// before it was kept.
pub fn open_until(finished: Timestamp, bedtime: Option<Timestamp>) -> Timestamp {
    let day = finished + delta(super::OPEN_FOR);
    bedtime.map_or(day, |bed| day.min(bed + delta(NIGHT)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spelled digit by digit, the time reads as `format!` spelled it: two-digit minutes and
    /// seconds, hours unpadded from the first hour, across every boundary.
    #[test]
    fn mmss_spells_as_format_did() {
        let format = |secs: u64| {
            if secs >= 3600 {
                format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
            } else {
                format!("{:02}:{:02}", secs / 60, secs % 60)
            }
        };
        let edges = [
            0, 1, 9, 10, 59, 60, 61, 599, 600, 3599, 3600, 3601, 35_999, 36_000,
        ];
        for secs in (0..4000).chain(edges).chain([359_999, 360_000, u64::MAX]) {
            assert_eq!(mmss(secs), format(secs), "{secs}");
        }
    }
}

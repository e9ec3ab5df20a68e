//! When a window not yet open opens, in words that say when: "in 46m" within the hour, "at
//! 21:00" after it, rather than "later"; and the moments those words change, for a screen
//! that must redraw then.
use std::ops::Range;

use chrono::TimeDelta;

use crate::core::clock::{Hours, Zone, clock_in};
use crate::core::plan::Times;
use crate::core::session::Timestamp;

/// Within this long a window's opening is counted in minutes; after it, told as a clock time.
const COUNTED: TimeDelta = TimeDelta::hours(1);

/// "in 46m" or "at 21:00" for a window that opens after `now`; `None` once it has opened.
pub fn opens(t: &Times, now: Timestamp, zone: &Zone, hours: Hours) -> Option<String> {
    if now >= t.start {
        return None;
    }
    let until = t.start - now;
    Some(if until <= COUNTED {
        format!("in {}m", minutes_up(until))
    } else {
        format!("at {}", clock_in(t.start, zone, hours))
    })
}

/// Whole minutes, rounded up: 45m01s is 46.
fn minutes_up(d: TimeDelta) -> i64 {
    const MINUTE: i64 = 60_000_000_000;
    d.num_nanoseconds()
        .map_or(i64::MAX / MINUTE, |ns| (ns + MINUTE - 1) / MINUTE)
}

/// The moments around `since` between which [`opens`] says the same.
pub fn still(t: &Times, since: Timestamp) -> Range<Timestamp> {
    if since >= t.start {
        return t.start..Timestamp::MAX_UTC;
    }
    let counted_from = t.start - COUNTED;
    if since < counted_from {
        return Timestamp::MIN_UTC..counted_from;
    }
    // The count shows whole minutes rounded up: it changes a whole number of minutes before
    // the opening.
    let k = minutes_up(t.start - since);
    let at = |n: i64| t.start - TimeDelta::minutes(n);
    at(k).max(counted_from)..at(k - 1)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::{FixedOffset, TimeZone, Utc};

    fn at(h: u32, m: u32, s: u32) -> Timestamp {
        Utc.with_ymd_and_hms(2026, 5, 1, h, m, s).unwrap()
    }

    fn meal() -> Times {
        Times {
            start: at(11, 0, 0),
            end: at(12, 0, 0),
            by: None,
        }
    }

    fn utc() -> Zone {
        Zone::Fixed(FixedOffset::east_opt(0).unwrap())
    }

    #[test]
    fn within_the_hour_in_minutes_after_it_at_a_clock_time() {
        let t = meal();
        assert_eq!(
            opens(&t, at(10, 14, 0), &utc(), Hours::TwentyFour).as_deref(),
            Some("in 46m")
        );
        assert_eq!(
            opens(&t, at(10, 14, 1), &utc(), Hours::TwentyFour).as_deref(),
            Some("in 46m")
        );
        assert_eq!(
            opens(&t, at(10, 59, 59), &utc(), Hours::TwentyFour).as_deref(),
            Some("in 1m")
        );
        assert_eq!(
            opens(&t, at(10, 0, 0), &utc(), Hours::TwentyFour).as_deref(),
            Some("in 60m")
        );
        assert_eq!(
            opens(&t, at(9, 59, 59), &utc(), Hours::TwentyFour).as_deref(),
            Some("at 11:00")
        );
        assert_eq!(opens(&t, at(11, 0, 0), &utc(), Hours::TwentyFour), None);
    }

    #[test]
    fn the_words_hold_exactly_between_their_changes() {
        let t = meal();
        for since in [
            at(9, 0, 0),
            at(10, 0, 0),
            at(10, 14, 0),
            at(10, 14, 1),
            at(10, 59, 59),
            at(11, 0, 0),
        ] {
            let r = still(&t, since);
            assert!(r.contains(&since), "{since}: {r:?}");
            let words = opens(&t, since, &utc(), Hours::TwentyFour);
            assert_eq!(
                opens(&t, r.start, &utc(), Hours::TwentyFour),
                words,
                "{since}: {r:?}"
            );
            let before_end = r.end - TimeDelta::nanoseconds(1);
            assert_eq!(
                opens(&t, before_end, &utc(), Hours::TwentyFour),
                words,
                "{since}: {r:?}"
            );
            if r.end < Timestamp::MAX_UTC {
                assert_ne!(
                    opens(&t, r.end, &utc(), Hours::TwentyFour),
                    words,
                    "{since}: {r:?}"
                );
            }
        }
    }
}

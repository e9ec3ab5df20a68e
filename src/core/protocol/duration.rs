//! Durations (`90s`, `12m`, `1h30m`) and ranges (`10m-15m`, `10-15m`) as runners write them.
use std::fmt;
use std::time::Duration;

/// The longest duration a protocol may name: a recovery day fits in it.
pub const LONGEST: Duration = Duration::from_secs(24 * 60 * 60);

/// Why a duration or range could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationFault {
    /// Empty text.
    #[error("a duration is empty; write one like '90s', '12m' or '1h30m'")]
    Empty,
    /// A leading minus sign.
    #[error("'{0}' is negative; durations count forward, like '90s'")]
    Negative(String),
    /// A bare number without a unit.
    #[error("'{0}' has no unit; write '{0}s' or '{0}m'")]
    NoUnit(String),
    /// Numbers too large to hold, or over [`LONGEST`].
    #[error("'{0}' is longer than a day; the longest a protocol allows is 24h")]
    TooLong(String),
    /// Anything else humantime refuses.
    #[error("'{text}' is not a duration; write one like '90s', '12m' or '1h30m'")]
    Unreadable {
        /// The text as written.
        text: String,
        /// humantime's reason.
        reason: String,
    },
    /// Not text at all (a boolean, a table).
    #[error("a duration is written as text, like '90s', '12m' or '1h30m'")]
    NotText,
    /// A range whose start is above its end.
    #[error("range '{0}' starts above where it ends; write the shorter time first")]
    Backwards(String),
}

/// A time that may be a range: a fixed `12m` has `min == max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Length {
    /// The shortest acceptable time: a range cues here and may be finished early after it.
    pub min: Duration,
    /// The longest: where a range counts to unless a target says otherwise.
    pub max: Duration,
}

impl Length {
    /// A fixed length.
    pub fn fixed(d: Duration) -> Self {
        Length { min: d, max: d }
    }

    /// Whether this is a range rather than one time.
    pub fn is_range(&self) -> bool {
        self.min != self.max
    }
}

impl fmt::Display for Length {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_range() {
            write!(f, "{}-{}", Short(self.min), Short(self.max))
        } else {
            write!(f, "{}", Short(self.min))
        }
    }
}

/// A duration printed the way runners write them: `90s` as `1m30s`, `5400s` as `1h30m`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Short(pub Duration);

impl fmt::Display for Short {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.0.as_secs();
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
        if total == 0 {
            return write!(f, "0s");
        }
        if h > 0 {
            write!(f, "{h}h")?;
        }
        if m > 0 {
            write!(f, "{m}m")?;
        }
        if s > 0 {
            write!(f, "{s}s")?;
        }
        Ok(())
    }
}

/// Reads one duration: `90s`, `12m`, `1h30m`, `1h 30m`.
pub fn parse_duration(text: &str) -> Result<Duration, DurationFault> {
    let t = text.trim();
    if t.is_empty() {
        return Err(DurationFault::Empty);
    }
    if t.starts_with('-') {
        return Err(DurationFault::Negative(t.to_string()));
    }
    if t.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(DurationFault::NoUnit(t.to_string()));
    }
    match humantime::parse_duration(t) {
        Ok(d) if d > LONGEST => Err(DurationFault::TooLong(t.to_string())),
        Ok(d) => Ok(d),
        Err(humantime::DurationError::NumberOverflow) => Err(DurationFault::TooLong(t.to_string())),
        Err(e) => Err(DurationFault::Unreadable {
            text: t.to_string(),
            reason: e.to_string(),
        }),
    }
}

/// Reads a duration or a range. In `10-15m` the bare start borrows the unit of the end.
pub fn parse_length(text: &str) -> Result<Length, DurationFault> {
    let t = text.trim();
    if t.starts_with('-') {
        return Err(DurationFault::Negative(t.to_string()));
    }
    let Some((low, high)) = t.split_once('-') else {
        return parse_duration(t).map(Length::fixed);
    };
    let (low, high) = (low.trim(), high.trim());
    let max = parse_duration(high)?;
    let min = if !low.is_empty() && low.chars().all(|c| c.is_ascii_digit()) {
        // `1-1h30m` borrows the top's first unit: 1h.
        let unit: String = high
            .chars()
            .skip_while(|c| c.is_ascii_digit() || c.is_whitespace())
            .take_while(|c| !c.is_ascii_digit() && !c.is_whitespace())
            .collect();
        parse_duration(&format!("{low}{unit}"))?
    } else {
        parse_duration(low)?
    };
    if min > max {
        return Err(DurationFault::Backwards(t.to_string()));
    }
    Ok(Length { min, max })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn reads_the_forms_runners_write() {
        assert_eq!(parse_duration("90s"), Ok(secs(90)));
        assert_eq!(parse_duration("12m"), Ok(secs(720)));
        assert_eq!(parse_duration("1h30m"), Ok(secs(5400)));
        assert_eq!(parse_duration(" 1h 30m "), Ok(secs(5400)));
        assert_eq!(parse_duration("0m"), Ok(secs(0)));
    }

    #[test]
    fn refuses_what_is_not_a_duration() {
        assert_eq!(parse_duration(""), Err(DurationFault::Empty));
        assert_eq!(
            parse_duration("-5s"),
            Err(DurationFault::Negative("-5s".into()))
        );
        assert_eq!(
            parse_duration("30"),
            Err(DurationFault::NoUnit("30".into()))
        );
        assert_eq!(
            parse_duration("25h"),
            Err(DurationFault::TooLong("25h".into()))
        );
        assert_eq!(
            parse_duration("99999999999999999999999h"),
            Err(DurationFault::TooLong("99999999999999999999999h".into()))
        );
        assert!(matches!(
            parse_duration("soon"),
            Err(DurationFault::Unreadable { .. })
        ));
    }

    #[test]
    fn reads_ranges_and_borrows_the_unit() {
        let ten_fifteen = Length {
            min: secs(600),
            max: secs(900),
        };
        assert_eq!(parse_length("10m-15m"), Ok(ten_fifteen));
        assert_eq!(parse_length("10-15m"), Ok(ten_fifteen));
        assert_eq!(parse_length("10m - 15m"), Ok(ten_fifteen));
        assert_eq!(parse_length("20s-30s").map(|l| l.max), Ok(secs(30)));
        assert_eq!(parse_length("12m"), Ok(Length::fixed(secs(720))));
        assert_eq!(
            parse_length("1-1h30m"),
            Ok(Length {
                min: secs(3600),
                max: secs(5400)
            })
        );
        assert_eq!(
            parse_length("30s-20s"),
            Err(DurationFault::Backwards("30s-20s".into()))
        );
        assert_eq!(
            parse_length("-5s-10s"),
            Err(DurationFault::Negative("-5s-10s".into()))
        );
        assert_eq!(
            parse_length("5s--10s"),
            Err(DurationFault::Negative("-10s".into()))
        );
    }

    #[test]
    fn prints_durations_compactly() {
        assert_eq!(Short(secs(90)).to_string(), "1m30s");
        assert_eq!(Short(secs(5400)).to_string(), "1h30m");
        assert_eq!(Short(secs(0)).to_string(), "0s");
        assert_eq!(
            Length {
                min: secs(600),
                max: secs(900)
            }
            .to_string(),
            "10m-15m"
        );
    }
}

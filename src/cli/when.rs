//! The command line's times: `--finished 9:40` or `--finished 25m`, `--bedtime 22:30`,
//! `--budget 20m`.
use std::str::FromStr;
use std::time::Duration;

use chrono::NaiveTime;

use crate::protocol::parse_duration;

/// When the run finished, as written on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finished {
    /// At a clock time: the latest such moment not in the future.
    At(NaiveTime),
    /// This long ago.
    Ago(Duration),
}

/// A bedtime, like 22:30.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bedtime(pub NaiveTime);

/// Reads `21:30`, `9:40` or `09:40`.
pub fn parse_clock(text: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M")
        .map_err(|_| format!("'{text}' is not a time; write it like 21:30"))
}

impl FromStr for Finished {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s.contains(':') {
            return parse_clock(s).map(Finished::At);
        }
        let ago = parse_duration(s).map_err(|e| format!("{e}; or give a time like 9:40"))?;
        // A session stays open for 24 hours after the run; one that long ago is history.
        if ago >= crate::store::OPEN_FOR {
            return Err(format!(
                "'{s}' is a day or more ago; a session covers the 24 hours after a run"
            ));
        }
        Ok(Finished::Ago(ago))
    }
}

impl FromStr for Bedtime {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        parse_clock(s).map(Bedtime)
    }
}

/// Reads a budget like `20m` or `1h`.
pub fn parse_budget(s: &str) -> Result<Duration, String> {
    parse_duration(s).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
    }

    #[test]
    fn reads_finished_as_a_time_or_a_duration() {
        assert_eq!("9:40".parse(), Ok(Finished::At(hm(9, 40))));
        assert_eq!("09:40".parse(), Ok(Finished::At(hm(9, 40))));
        assert_eq!("25m".parse(), Ok(Finished::Ago(Duration::from_secs(1500))));
        assert!("25:99".parse::<Finished>().is_err());
        assert!("soon".parse::<Finished>().is_err());
    }

    #[test]
    fn reads_bedtime_and_budget() {
        assert_eq!("22:30".parse(), Ok(Bedtime(hm(22, 30))));
        assert!("22".parse::<Bedtime>().is_err());
        assert_eq!(parse_budget("20m"), Ok(Duration::from_secs(1200)));
        assert!(parse_budget("-5m").is_err());
    }
}

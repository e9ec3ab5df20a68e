//! Clock times, one way everywhere: reading `21:30`, `25m` and `20m`, finding "the latest
//! 9:40" and "the first 22:30 after the run", and writing `HH:MM`, each in the UTC offset in
//! force at that moment (a DST change moves the offset; the answer follows it).
use std::str::FromStr;
use std::time::Duration;

use chrono::{
    Days, FixedOffset, MappedLocalTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike,
};

use super::protocol::parse_duration;
use super::session::{OPEN_FOR, Timestamp, delta};

/// The zone clock times are read and written in: the system's own (the time zone database,
/// so the offset follows DST), or one fixed offset (tests, and a zone given by hand).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// The machine's local time, offset by offset.
    Local,
    /// One offset all year.
    Fixed(FixedOffset),
}

impl TimeZone for Zone {
    type Offset = FixedOffset;

    fn from_offset(offset: &FixedOffset) -> Zone {
        Zone::Fixed(*offset)
    }

    fn offset_from_local_date(&self, local: &NaiveDate) -> MappedLocalTime<FixedOffset> {
        match self {
            Zone::Local => chrono::Local.offset_from_local_date(local),
            Zone::Fixed(o) => MappedLocalTime::Single(*o),
        }
    }

    fn offset_from_local_datetime(&self, local: &NaiveDateTime) -> MappedLocalTime<FixedOffset> {
        match self {
            Zone::Local => chrono::Local.offset_from_local_datetime(local),
            Zone::Fixed(o) => MappedLocalTime::Single(*o),
        }
    }

    fn offset_from_utc_date(&self, utc: &NaiveDate) -> FixedOffset {
        match self {
            Zone::Local => chrono::Local.offset_from_utc_date(utc),
            Zone::Fixed(o) => *o,
        }
    }

    fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> FixedOffset {
        match self {
            Zone::Local => chrono::Local.offset_from_utc_datetime(utc),
            Zone::Fixed(o) => *o,
        }
    }
}

/// When the run finished, as the runner wrote it.
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

/// The day's options as the runner gave them (on the command line or the start screen);
/// what is not given comes from the config file or the defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choice {
    /// The routine: a built-in name, one of the runner's, or a path.
    pub protocol: Option<String>,
    /// When the run finished; nothing is now.
    pub finished: Option<Finished>,
    /// Bedtime.
    pub bedtime: Option<Bedtime>,
    /// How much time the runner has.
    pub budget: Option<Duration>,
    /// The run from the watch the start screen offered and the runner began with: its end is
    /// the finish, and its figures go into the session.
    pub run: Option<crate::core::watch::Run>,
}

/// How clock times are written: `22:30`, or `10:30pm` (config `clock = "12h"`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Hours {
    /// `00:00` to `23:59`.
    #[default]
    TwentyFour,
    /// `12:00am` to `11:59pm`.
    Twelve,
}

/// Reads a clock time: `21:30`, `9:40` or `09:40` on the 24-hour clock, or `10:30pm`,
/// `10:30 PM`, `9pm`, `9 p.m.` on the 12-hour one (`12am` is midnight, `12pm` noon).
pub fn parse_clock(text: &str) -> Result<NaiveTime, String> {
    let bad = || {
        format!(
            "'{}' is not a time; write it like 21:30 or 9:30pm",
            text.escape_debug()
        )
    };
    let trimmed = text.trim();
    let Some((clock, pm)) = split_meridiem(trimmed) else {
        return NaiveTime::parse_from_str(trimmed, "%H:%M").map_err(|_| bad());
    };
    // `9pm` has no minutes; `9:30pm` has.
    let clock = clock.trim_end();
    let with_minutes = if clock.contains(':') {
        clock.to_string()
    } else {
        format!("{clock}:00")
    };
    let t = NaiveTime::parse_from_str(&with_minutes, "%H:%M").map_err(|_| bad())?;
    let hour = t.hour();
    if !(1..=12).contains(&hour) || !clock.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(bad());
    }
    // 12am is the hour after midnight's start, 12pm noon's.
    let hour = match (hour, pm) {
        (12, false) => 0,
        (12, true) => 12,
        (h, false) => h,
        (h, true) => h + 12,
    };
    t.with_hour(hour).ok_or_else(bad)
}

/// Splits `9:30pm` into `9:30` and whether it is after noon; `None` without an am/pm mark.
fn split_meridiem(text: &str) -> Option<(&str, bool)> {
    let lower = text.to_ascii_lowercase();
    ["am", "a.m.", "a.m", "pm", "p.m.", "p.m"]
        .iter()
        .find(|mark| lower.ends_with(*mark))
        // The marks are ASCII, so the cut falls on a character boundary of `text` too.
        .and_then(|mark| Some((text.get(..text.len() - mark.len())?, mark.starts_with('p'))))
}

impl FromStr for Finished {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if let Ok(t) = parse_clock(s) {
            return Ok(Finished::At(t));
        }
        if s.contains(':') || split_meridiem(s.trim()).is_some() {
            return parse_clock(s).map(Finished::At);
        }
        let ago =
            parse_duration(s).map_err(|e| format!("{e}; or give a time like 9:40 or 9:40am"))?;
        // A session stays open for 24 hours after the run; one that long ago is history.
        if ago >= OPEN_FOR {
            return Err(format!(
                "'{}' is a day or more ago; a session covers the 24 hours after a run",
                s.escape_debug()
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

/// When the run finished, at `now`: `9:40` is the latest 9:40 not in the future; `25m` is
/// 25 minutes ago; nothing is now. See [`latest_at`] for the days a DST change makes odd.
pub fn finished_at<Tz: TimeZone>(
    arg: Option<Finished>,
    now: Timestamp,
    tz: &Tz,
) -> Result<Latest, String>
where
    Tz::Offset: std::fmt::Display,
{
    match arg {
        None => Ok(Latest {
            at: now,
            note: None,
        }),
        Some(Finished::Ago(d)) => Ok(Latest {
            at: now - delta(d),
            note: None,
        }),
        Some(Finished::At(t)) => latest_at(t, now, tz),
    }
}

/// A moment found for a clock time, and what the runner should be told of how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Latest {
    /// The moment.
    pub at: Timestamp,
    /// Said when the clock time was ambiguous (it happened twice as the clocks went back).
    pub note: Option<String>,
}

/// The latest moment at clock time `t` in `tz` that is not after `now`: today's, else
/// yesterday's. A time the clocks skipped when they went forward (and that would have been the
/// answer) is an error that says so; a time that happened twice as they went back is the later
/// one not in the future, with a note saying which was taken.
pub fn latest_at<Tz: TimeZone>(t: NaiveTime, now: Timestamp, tz: &Tz) -> Result<Latest, String>
where
    Tz::Offset: std::fmt::Display,
{
    let today = now.with_timezone(tz).date_naive();
    for day in [Some(today), today.checked_sub_days(Days::new(1))]
        .into_iter()
        .flatten()
    {
        let local = day.and_time(t);
        match tz.from_local_datetime(&local) {
            MappedLocalTime::Single(at) if at.to_utc() <= now => {
                return Ok(Latest {
                    at: at.to_utc(),
                    note: None,
                });
            }
            MappedLocalTime::Single(_) => {}
            MappedLocalTime::Ambiguous(a, b) => {
                // By instant: not every zone lists the earlier one first.
                let (first, second) = if a.to_utc() <= b.to_utc() {
                    (a, b)
                } else {
                    (b, a)
                };
                let offset = |at: &chrono::DateTime<Tz>| at.format("%:z").to_string();
                let (taken, which, other) = if second.to_utc() <= now {
                    (second.clone(), "the second", "")
                } else if first.to_utc() <= now {
                    (first.clone(), "the first", "; the second has not come yet")
                } else {
                    continue;
                };
                return Ok(Latest {
                    at: taken.to_utc(),
                    note: Some(format!(
                        "{} happened twice as the clocks went back; taking {which}, at UTC{}{other}",
                        t.format("%H:%M"),
                        offset(&taken),
                        which = which,
                    )),
                });
            }
            MappedLocalTime::None => {
                // Skipped this day. If the skip is still to come, yesterday's is the one.
                let after = tz.from_local_datetime(&(local + chrono::TimeDelta::hours(2)));
                if after.earliest().is_some_and(|a| a.to_utc() > now) {
                    continue;
                }
                return Err(format!(
                    "{} did not happen on {}: the clocks went forward past it; give the time as \
                     your clock showed it, or how long ago (like 25m)",
                    t.format("%H:%M"),
                    day.format("%Y-%m-%d")
                ));
            }
        }
    }
    Ok(Latest {
        at: now,
        note: None,
    })
}

/// The first moment at clock time `bed` (in `tz`) after the finish: a run at 9:40 with
/// bedtime 22:30 sleeps the same day; a run at 23:00 sleeps the next.
pub fn bedtime_after<Tz: TimeZone>(finished: Timestamp, bed: NaiveTime, tz: &Tz) -> Timestamp {
    let local = finished.with_timezone(tz);
    let date = local.date_naive();
    for day in [date, date + Days::new(1), date + Days::new(2)] {
        // A bedtime inside a DST gap does not exist; the earliest mapping covers a repeat.
        if let Some(at) = tz.from_local_datetime(&day.and_time(bed)).earliest() {
            let at = at.to_utc();
            if at > finished {
                return at;
            }
        }
    }
    finished + delta(Duration::from_secs(24 * 3600))
}

/// The clock time of `t` in `tz`, with the offset in force at that moment: `HH:MM`, or
/// `H:MMam` on the 12-hour clock. Every clock time shown to the runner is written here.
pub fn clock_in<Tz: TimeZone>(t: Timestamp, tz: &Tz, hours: Hours) -> String
where
    Tz::Offset: std::fmt::Display,
{
    clock_text(t.with_timezone(tz).time(), hours)
}

/// A moment after `from` as a clock time, with its day named when a reader could mistake it:
/// `22:30` the same day, `tomorrow 22:30` on the next, `Wed 22:30` further on; and `today
/// 22:30` when it is more than 16 hours after `from` on the same day (no one reads a bedtime
/// 17 hours off as tonight's without being told).
pub fn clock_after<Tz: TimeZone>(t: Timestamp, from: Timestamp, tz: &Tz, hours: Hours) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let time = clock_in(t, tz, hours);
    let (day, from_day) = (
        t.with_timezone(tz).date_naive(),
        from.with_timezone(tz).date_naive(),
    );
    match (day - from_day).num_days() {
        0 if t - from > chrono::TimeDelta::hours(16) => format!("today {time}"),
        0 => time,
        1 => format!("tomorrow {time}"),
        _ => format!("{} {time}", day.format("%a")),
    }
}

/// A clock time as [`clock_in`] writes it, for a time of day with no date (a bedtime typed
/// into the start screen).
pub fn clock_text(t: NaiveTime, hours: Hours) -> String {
    match hours {
        Hours::TwentyFour => t.format("%H:%M").to_string(),
        Hours::Twelve => t.format("%-I:%M%P").to_string(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::Utc;

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn utc(d: u32, h: u32, m: u32) -> Timestamp {
        Utc.with_ymd_and_hms(2026, 10, d, h, m, 0).unwrap()
    }

    /// Berlin's 2026 autumn change by hand: CEST (+2) until 2026-10-25 01:00 UTC, then CET.
    #[derive(Debug, Clone, Copy)]
    struct Berlin;

    impl TimeZone for Berlin {
        type Offset = FixedOffset;
        fn from_offset(_: &FixedOffset) -> Berlin {
            Berlin
        }
        fn offset_from_local_date(&self, _: &NaiveDate) -> MappedLocalTime<FixedOffset> {
            MappedLocalTime::None
        }
        fn offset_from_local_datetime(&self, l: &NaiveDateTime) -> MappedLocalTime<FixedOffset> {
            let (cest, cet) = (
                FixedOffset::east_opt(7200).unwrap(),
                FixedOffset::east_opt(3600).unwrap(),
            );
            let change = NaiveDate::from_ymd_opt(2026, 10, 25).unwrap();
            let (from, to) = (change.and_time(hm(2, 0)), change.and_time(hm(3, 0)));
            if *l < from {
                MappedLocalTime::Single(cest)
            } else if *l < to {
                MappedLocalTime::Ambiguous(cest, cet)
            } else {
                MappedLocalTime::Single(cet)
            }
        }
        fn offset_from_utc_date(&self, _: &NaiveDate) -> FixedOffset {
            FixedOffset::east_opt(3600).unwrap()
        }
        fn offset_from_utc_datetime(&self, u: &NaiveDateTime) -> FixedOffset {
            let change = NaiveDate::from_ymd_opt(2026, 10, 25)
                .unwrap()
                .and_time(hm(1, 0));
            FixedOffset::east_opt(if *u < change { 7200 } else { 3600 }).unwrap()
        }
    }

    #[test]
    fn reads_finished_as_a_time_or_a_duration() {
        assert_eq!("9:40".parse(), Ok(Finished::At(hm(9, 40))));
        assert_eq!("09:40".parse(), Ok(Finished::At(hm(9, 40))));
        assert_eq!("25m".parse(), Ok(Finished::Ago(Duration::from_secs(1500))));
        assert!("25:99".parse::<Finished>().is_err());
        assert!("soon".parse::<Finished>().is_err());
        assert!("24h".parse::<Finished>().is_err());
    }

    #[test]
    fn reads_bedtime_and_budget() {
        assert_eq!("22:30".parse(), Ok(Bedtime(hm(22, 30))));
        assert!("22".parse::<Bedtime>().is_err());
        assert_eq!(parse_budget("20m"), Ok(Duration::from_secs(1200)));
        assert!(parse_budget("-5m").is_err());
    }

    #[test]
    fn reads_twelve_hour_times() {
        for (text, want) in [
            ("10:30pm", hm(22, 30)),
            ("10:30 PM", hm(22, 30)),
            ("10:30 p.m.", hm(22, 30)),
            ("9pm", hm(21, 0)),
            ("9 am", hm(9, 0)),
            ("09:05AM", hm(9, 5)),
            ("12am", hm(0, 0)),
            ("12:30am", hm(0, 30)),
            ("12pm", hm(12, 0)),
            ("12:45 pm", hm(12, 45)),
            ("11:59pm", hm(23, 59)),
        ] {
            assert_eq!(parse_clock(text), Ok(want), "{text}");
        }
        for text in [
            "13pm", "0am", "0:30am", "21:30pm", "pm", "9:pm", "9:5x pm", "-9pm",
        ] {
            let e = parse_clock(text).unwrap_err();
            assert!(e.contains("write it like 21:30 or 9:30pm"), "{text}: {e}");
        }
    }

    #[test]
    fn finished_and_bedtime_read_twelve_hour_times() {
        assert_eq!("9:40am".parse(), Ok(Finished::At(hm(9, 40))));
        assert_eq!("9pm".parse(), Ok(Finished::At(hm(21, 0))));
        assert_eq!("12am".parse(), Ok(Finished::At(hm(0, 0))));
        assert_eq!("10:30 PM".parse(), Ok(Bedtime(hm(22, 30))));
        assert_eq!("12pm".parse(), Ok(Bedtime(hm(12, 0))));
        // A bad 12-hour time is named a time, not a duration.
        let e = "13pm".parse::<Finished>().unwrap_err();
        assert!(e.contains("is not a time"), "{e}");
        assert_eq!("25m".parse(), Ok(Finished::Ago(Duration::from_secs(1500))));
    }

    #[test]
    fn writes_clock_times_on_either_clock() {
        let zone = Zone::Fixed(FixedOffset::east_opt(3600).unwrap());
        let cases = [
            (utc(20, 21, 30), "22:30", "10:30pm"),
            (utc(20, 23, 5), "00:05", "12:05am"),
            (utc(20, 11, 0), "12:00", "12:00pm"),
            (utc(20, 8, 40), "09:40", "9:40am"),
        ];
        for (at, h24, h12) in cases {
            assert_eq!(clock_in(at, &zone, Hours::TwentyFour), h24);
            assert_eq!(clock_in(at, &zone, Hours::Twelve), h12);
            // What is written reads back.
            let back = at.with_timezone(&zone).time();
            assert_eq!(parse_clock(h12), Ok(back));
            assert_eq!(parse_clock(h24), Ok(back));
        }
    }

    #[test]
    fn a_bad_time_is_quoted_escaped() {
        let e = parse_clock("\u{1b}]52;c;x\u{7}").unwrap_err();
        assert!(!e.contains('\u{1b}') && !e.contains('\u{7}'), "{e}");
    }

    #[test]
    fn the_latest_time_is_today_or_yesterday() {
        let zone = Zone::Fixed(FixedOffset::east_opt(3600).unwrap());
        // 10:00 local is 09:00 UTC.
        let now = utc(20, 9, 0);
        let at = |t| latest_at(t, now, &zone).unwrap().at;
        assert_eq!(at(hm(9, 40)), utc(20, 8, 40));
        assert_eq!(at(hm(10, 0)), now);
        assert_eq!(at(hm(10, 1)), utc(19, 9, 1));
    }

    #[test]
    fn the_latest_time_follows_the_offset_across_a_dst_change() {
        // 2026-10-25 09:00 CET is 08:00 UTC; 7:30 that morning is already CET (06:30 UTC),
        // where yesterday's offset (+2) would have said 05:30 UTC.
        let now = utc(25, 8, 0);
        assert_eq!(
            latest_at(hm(7, 30), now, &Berlin).unwrap().at,
            utc(25, 6, 30)
        );
        // 2:30 happens twice that night: the later one (CET, 01:30 UTC) is the latest, and
        // the runner is told which was taken.
        let twice = latest_at(hm(2, 30), now, &Berlin).unwrap();
        assert_eq!(twice.at, utc(25, 1, 30));
        assert_eq!(
            twice.note.as_deref(),
            Some("02:30 happened twice as the clocks went back; taking the second, at UTC+01:00")
        );
        // Just after the first 2:30 (00:30 UTC), only that one has happened.
        let first = latest_at(hm(2, 30), utc(25, 0, 40), &Berlin).unwrap();
        assert_eq!(first.at, utc(25, 0, 30));
        assert!(
            first
                .note
                .unwrap()
                .contains("taking the first, at UTC+02:00; the second has not come yet")
        );
    }

    /// Berlin's 2026 spring change by hand: CET (+1) until 2026-03-29 01:00 UTC, then CEST;
    /// 02:00-03:00 local does not exist that day.
    #[derive(Debug, Clone, Copy)]
    struct Spring;

    impl TimeZone for Spring {
        type Offset = FixedOffset;
        fn from_offset(_: &FixedOffset) -> Spring {
            Spring
        }
        fn offset_from_local_date(&self, _: &NaiveDate) -> MappedLocalTime<FixedOffset> {
            MappedLocalTime::None
        }
        fn offset_from_local_datetime(&self, l: &NaiveDateTime) -> MappedLocalTime<FixedOffset> {
            let change = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
            let (from, to) = (change.and_time(hm(2, 0)), change.and_time(hm(3, 0)));
            if *l < from {
                MappedLocalTime::Single(FixedOffset::east_opt(3600).unwrap())
            } else if *l < to {
                MappedLocalTime::None
            } else {
                MappedLocalTime::Single(FixedOffset::east_opt(7200).unwrap())
            }
        }
        fn offset_from_utc_date(&self, _: &NaiveDate) -> FixedOffset {
            FixedOffset::east_opt(3600).unwrap()
        }
        fn offset_from_utc_datetime(&self, u: &NaiveDateTime) -> FixedOffset {
            let change = NaiveDate::from_ymd_opt(2026, 3, 29)
                .unwrap()
                .and_time(hm(1, 0));
            FixedOffset::east_opt(if *u < change { 3600 } else { 7200 }).unwrap()
        }
    }

    #[test]
    fn a_time_the_clocks_skipped_is_an_error_that_says_so() {
        let march = |d, h, m| Utc.with_ymd_and_hms(2026, 3, d, h, m, 0).unwrap();
        // 09:00 CEST on the day of the change (07:00 UTC): 2:30 never happened today.
        let err = latest_at(hm(2, 30), march(29, 7, 0), &Spring).unwrap_err();
        assert_eq!(
            err,
            "02:30 did not happen on 2026-03-29: the clocks went forward past it; give the time \
             as your clock showed it, or how long ago (like 25m)"
        );
        // At 01:30 local, before the change, yesterday's 2:30 is the latest: no error.
        let before = latest_at(hm(2, 30), march(29, 0, 30), &Spring).unwrap();
        assert_eq!(before.at, march(28, 1, 30));
        // 3:30 that morning is CEST: 01:30 UTC.
        assert_eq!(
            latest_at(hm(3, 30), march(29, 7, 0), &Spring).unwrap().at,
            march(29, 1, 30)
        );
    }

    #[test]
    fn bedtime_comes_after_the_run_in_the_offset_of_that_night() {
        // A run on the morning of the change: 22:30 that evening is CET, 21:30 UTC.
        assert_eq!(
            bedtime_after(utc(25, 8, 0), hm(22, 30), &Berlin),
            utc(25, 21, 30)
        );
        assert_eq!(
            clock_in(utc(25, 21, 30), &Berlin, Hours::TwentyFour),
            "22:30"
        );
        // The evening before, still CEST: 20:30 UTC.
        assert_eq!(
            clock_in(utc(24, 20, 30), &Berlin, Hours::TwentyFour),
            "22:30"
        );
    }
}

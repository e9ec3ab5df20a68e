//! How the runner felt: soreness from 0 to 10 and a line of notes, noted by calendar day, and
//! what the record of the last days says. It presents the runner's own numbers and the rule
//! they set; it gives no medical advice.
use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The most sore a runner can be.
pub const MOST_SORE: u8 = 10;

/// The longest note kept, in characters: a line, not a diary page.
pub const LONGEST_NOTE: usize = 500;

/// The sore-muscles routine a high record points to.
pub const SORE_ROUTINE: &str = "soothe-sore-muscles";

/// One entry: when, the local calendar day it counts for, and what was noted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// When it was noted.
    pub at: DateTime<Utc>,
    /// The runner's calendar day it counts for.
    pub day: NaiveDate,
    /// How sore, 0 to 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sore: Option<u8>,
    /// A line of text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The runner's rule for a run of sore days: above `above` on each of `days` days in a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SoreRule {
    /// Soreness above this counts.
    pub above: u8,
    /// On this many days in a row.
    pub days: u32,
}

/// What a note may not be, in a sentence; `None` when it is a fine line of text.
pub fn refuse_note(note: &str) -> Option<String> {
    if note.chars().any(|c| !crate::core::printable::shows(c)) {
        return Some("a note is one line of plain text, without control characters".into());
    }
    let n = note.chars().count();
    (n > LONGEST_NOTE)
        .then(|| format!("a note is at most {LONGEST_NOTE} characters; this one is {n}"))
}

/// The question the end of the day asks, in the full-screen and the plain guide alike.
pub const END_QUESTION: &str = "How sore are you, 0-10, and a note? (Enter skips)";

/// How sore, and a note, as answered: either may be left out.
pub type Answer = (Option<u8>, Option<String>);

/// What the runner typed at the end of the day: a number 0-10, a line of text, or both
/// (`7 left calf tight`); `Ok(None)` for nothing, which skips.
pub fn read_answer(text: &str) -> Result<Option<Answer>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let (first, rest) = text.split_once(' ').unwrap_or((text, ""));
    let (sore, note) = match first.parse::<u32>() {
        Ok(n) if n <= u32::from(MOST_SORE) => (u8::try_from(n).ok(), rest.trim()),
        Ok(n) => {
            return Err(format!(
                "{n} is past 10: how sore goes from 0 (not at all) to 10"
            ));
        }
        Err(_) => (None, text),
    };
    if let Some(why) = refuse_note(note) {
        return Err(why);
    }
    let note = (!note.is_empty()).then(|| note.to_string());
    Ok(Some((sore, note)))
}

/// Each day's soreness: the last noted that day.
pub fn sore_by_day(entries: &[Entry]) -> BTreeMap<NaiveDate, u8> {
    let mut days = BTreeMap::new();
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by_key(|e| e.at);
    for e in sorted {
        if let Some(s) = e.sore {
            days.insert(e.day, s);
        }
    }
    days
}

/// The last `n` days of the record, oldest first, ending today if today has a number, else
/// yesterday: each with its soreness, if noted.
fn last_days(days: &BTreeMap<NaiveDate, u8>, today: NaiveDate, n: u32) -> Vec<Option<u8>> {
    let end = match days.contains_key(&today) {
        true => today,
        false => today.pred_opt().unwrap_or(today),
    };
    (0..n)
        .rev()
        .map(|back| {
            end.checked_sub_days(chrono::Days::new(u64::from(back)))
                .and_then(|d| days.get(&d).copied())
        })
        .collect()
}

/// The trend in a few words: `sore 7 and 8 the last two days`, `sore 6 today`, `sore 4
/// yesterday`; `None` when neither today nor yesterday has a number.
pub fn trend(entries: &[Entry], today: NaiveDate) -> Option<String> {
    let days = sore_by_day(entries);
    let last = last_days(&days, today, 2);
    let ends_today = days.contains_key(&today);
    match (last[0], last[1]) {
        (Some(a), Some(b)) => Some(format!("sore {a} and {b} the last two days")),
        (_, Some(b)) if ends_today => Some(format!("sore {b} today")),
        (_, Some(b)) => Some(format!("sore {b} yesterday")),
        _ => None,
    }
}

/// When the runner's own numbers meet their rule: the days' numbers and what today could be
/// instead, in words that say what the record shows. `routine` is the routine chosen today.
pub fn offer(entries: &[Entry], today: NaiveDate, rule: SoreRule, routine: &str) -> Option<String> {
    let days = sore_by_day(entries);
    let last = last_days(&days, today, rule.days.max(1));
    let numbers: Option<Vec<u8>> = last.into_iter().collect();
    let numbers = numbers.filter(|n| n.iter().all(|s| *s > rule.above))?;
    let listed: Vec<String> = numbers.iter().map(u8::to_string).collect();
    let run = match rule.days {
        0 | 1 => format!("Sore above {} ({})", rule.above, listed.join(", then ")),
        n => format!(
            "Sore above {} {} days in a row ({})",
            rule.above,
            count(n),
            listed.join(", then ")
        ),
    };
    let instead = match routine == SORE_ROUTINE {
        true => "today could be this gentler routine, or a rest day".to_string(),
        false => format!(
            "today could be the Soothe sore muscles routine (postrun --protocol {SORE_ROUTINE}) or a rest day"
        ),
    };
    Some(format!(
        "{run}, which your rule in config.toml watches for: {instead}."
    ))
}

/// A small count in words.
fn count(n: u32) -> String {
    match n {
        2 => "two".into(),
        3 => "three".into(),
        4 => "four".into(),
        5 => "five".into(),
        6 => "six".into(),
        7 => "seven".into(),
        n => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::TimeZone;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, d).unwrap()
    }

    fn sore(d: u32, hour: u32, s: u8) -> Entry {
        Entry {
            at: Utc.with_ymd_and_hms(2026, 5, d, hour, 0, 0).unwrap(),
            day: day(d),
            sore: Some(s),
            note: None,
        }
    }

    const RULE: SoreRule = SoreRule { above: 6, days: 2 };

    #[test]
    fn the_trend_reads_the_last_two_days() {
        let e = [sore(9, 8, 7), sore(10, 8, 5), sore(10, 20, 8)];
        assert_eq!(
            trend(&e, day(10)).as_deref(),
            Some("sore 7 and 8 the last two days")
        );
        // Nothing noted yet today: the two days up to yesterday.
        assert_eq!(
            trend(&e, day(11)).as_deref(),
            Some("sore 7 and 8 the last two days")
        );
        assert_eq!(trend(&e[..1], day(9)).as_deref(), Some("sore 7 today"));
        assert_eq!(trend(&e[..1], day(10)).as_deref(), Some("sore 7 yesterday"));
        assert_eq!(trend(&e, day(12)), None);
        assert_eq!(trend(&[], day(12)), None);
    }

    #[test]
    fn the_rule_needs_each_day_above_it() {
        let high = [sore(9, 8, 7), sore(10, 8, 8)];
        assert_eq!(
            offer(&high, day(10), RULE, "optimal-recovery").as_deref(),
            Some(
                "Sore above 6 two days in a row (7, then 8), which your rule in config.toml watches for: today could be the Soothe sore muscles routine (postrun --protocol soothe-sore-muscles) or a rest day."
            )
        );
        assert!(
            offer(&high, day(10), RULE, SORE_ROUTINE)
                .unwrap()
                .ends_with("today could be this gentler routine, or a rest day.")
        );
        assert_eq!(
            offer(&[sore(9, 8, 7), sore(10, 8, 6)], day(10), RULE, "x"),
            None
        );
        // A day missing between them breaks the run.
        assert_eq!(
            offer(&[sore(8, 8, 9), sore(10, 8, 9)], day(10), RULE, "x"),
            None
        );
        let three = SoreRule { above: 6, days: 3 };
        assert_eq!(offer(&high, day(10), three, "x"), None);
        assert!(
            offer(&high, day(11), RULE, "x").is_some(),
            "up to yesterday"
        );
    }

    #[test]
    fn the_end_of_the_day_reads_a_number_a_note_or_both() {
        assert_eq!(read_answer("  "), Ok(None), "Enter skips");
        assert_eq!(read_answer("7"), Ok(Some((Some(7), None))));
        assert_eq!(
            read_answer("7 left calf tight"),
            Ok(Some((Some(7), Some("left calf tight".into()))))
        );
        assert_eq!(
            read_answer("slept badly"),
            Ok(Some((None, Some("slept badly".into()))))
        );
        assert_eq!(read_answer("0"), Ok(Some((Some(0), None))));
        assert!(read_answer("11 ouch").unwrap_err().contains("past 10"));
        assert!(read_answer("4 a\u{7}b").is_err());
    }

    #[test]
    fn a_note_is_a_line_of_plain_text() {
        assert_eq!(refuse_note("left calf tight"), None);
        assert!(refuse_note("two\nlines").is_some());
        assert!(refuse_note("\u{1b}[31mred").is_some());
        assert!(
            refuse_note(&"x".repeat(501))
                .unwrap()
                .contains("at most 500")
        );
    }
}

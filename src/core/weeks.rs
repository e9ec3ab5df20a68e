//! The weeks at a glance: one cell a day, Monday to Sunday, shaded by how much of the routine
//! was done, with how sore the runner was beside it. Plain characters (`·░▒▓█`), so it reads
//! without colour, on a screen reader's line as on a terminal.
use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::{Datelike, Days, NaiveDate};

/// A day as the calendar shows it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mark {
    /// The steps done and the steps in all, of the day's most complete session; `None` with
    /// no session that day.
    pub done: Option<(usize, usize)>,
    /// How sore the runner was, 0 to 10, if noted.
    pub sore: Option<u8>,
}

/// The shade of a day: all done, most, about half, little or none, no session.
pub fn shade(done: Option<(usize, usize)>) -> char {
    match done {
        None => '·',
        Some((_, 0)) => '░',
        Some((d, n)) if d >= n => '█',
        Some((d, n)) if 3 * d >= 2 * n => '▓',
        Some((d, n)) if 3 * d >= n => '▒',
        Some(_) => '░',
    }
}

/// The key to the shades and numbers, two lines.
pub const KEY: &str = "█ all done  ▓ two thirds or more  ▒ a third or more  ░ less  · no session\n\
    The number beside a day: how sore you noted you were (0-10).";

/// The last `weeks` weeks up to the one with `today`, a row a week, with a line of what they
/// add up to. Days after today are left blank. At most 60 columns wide.
pub fn render(days: &BTreeMap<NaiveDate, Mark>, today: NaiveDate, weeks: u32) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<10}{}",
        "Week of",
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
            .map(|d| format!("{d:<7}"))
            .concat()
            .trim_end()
    );
    let (mut sessions, mut whole, mut noted) = (0, 0, 0);
    for (monday, marks) in weeks_to(days, today, weeks) {
        let mut row = format!("{:<10}", monday.format("%b %-d").to_string());
        for mark in marks {
            let c = shade(mark.done);
            let sore = mark.sore.map(|n| n.to_string()).unwrap_or_default();
            let _ = write!(row, "{c}{c} {sore:<2}  ");
            sessions += usize::from(mark.done.is_some());
            whole += usize::from(mark.done.is_some_and(|(d, n)| n > 0 && d >= n));
            noted += usize::from(mark.sore.is_some());
        }
        s.push_str(row.trim_end());
        s.push('\n');
    }
    let _ = writeln!(s, "\n{KEY}");
    let _ = writeln!(
        s,
        "{} with a session, {} with every step done; soreness noted on {}.",
        plural(sessions, "day"),
        whole,
        plural(noted, "day")
    );
    s
}

/// The same weeks for a narrow screen (under 40 columns): a two-column cell a day, and the
/// soreness of the week's last noted day at the end of its row.
pub fn render_narrow(days: &BTreeMap<NaiveDate, Mark>, today: NaiveDate, weeks: u32) -> String {
    let mut s = String::from("Week   MoTuWeThFrSaSu sore\n");
    for (monday, marks) in weeks_to(days, today, weeks) {
        let mut row = format!("{:<7}", monday.format("%b %-d").to_string());
        let mut sore = None;
        for mark in marks {
            let c = shade(mark.done);
            let _ = write!(row, "{c}{c}");
            sore = mark.sore.or(sore);
        }
        if let Some(n) = sore {
            // Under the header's "sore": the row's own width varies with the days shown.
            let pad = (7 + 14 + 1usize).saturating_sub(row.chars().count());
            let _ = write!(row, "{}{n}", " ".repeat(pad));
        }
        s.push_str(row.trim_end());
        s.push('\n');
    }
    s.push_str("█ all ▓ most ▒ some ░ little · none\n");
    s
}

/// The last `weeks` weeks (at least one) up to the one with `today`, oldest first: each
/// week's Monday, and the marks of its days up to today.
fn weeks_to(
    days: &BTreeMap<NaiveDate, Mark>,
    today: NaiveDate,
    weeks: u32,
) -> impl Iterator<Item = (NaiveDate, Vec<Mark>)> + '_ {
    let weeks = weeks.max(1);
    let this_monday = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
    let first = this_monday - Days::new(7 * u64::from(weeks - 1));
    (0..weeks).map(move |week| {
        let monday = first + Days::new(7 * u64::from(week));
        let marks = (0..7)
            .map(|d| monday + Days::new(d))
            .take_while(|day| *day <= today)
            .map(|day| days.get(&day).copied().unwrap_or_default())
            .collect();
        (monday, marks)
    })
}

fn plural(n: usize, what: &str) -> String {
    match n {
        1 => format!("1 {what}"),
        n => format!("{n} {what}s"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn shades_go_by_the_share_done() {
        assert_eq!(shade(None), '·');
        assert_eq!(shade(Some((0, 9))), '░');
        assert_eq!(shade(Some((2, 9))), '░');
        assert_eq!(shade(Some((3, 9))), '▒');
        assert_eq!(shade(Some((6, 9))), '▓');
        assert_eq!(shade(Some((8, 9))), '▓');
        assert_eq!(shade(Some((9, 9))), '█');
        assert_eq!(shade(Some((0, 0))), '░');
    }

    #[test]
    fn a_week_is_a_row_and_the_days_to_come_are_blank() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 5, d).unwrap();
        let mut days = BTreeMap::new();
        days.insert(
            day(4),
            Mark {
                done: Some((9, 9)),
                sore: Some(3),
            },
        );
        days.insert(
            day(6),
            Mark {
                done: None,
                sore: Some(10),
            },
        );
        let out = render(&days, day(6), 1);
        assert_eq!(
            out.lines().take(2).collect::<Vec<_>>(),
            [
                "Week of   Mon    Tue    Wed    Thu    Fri    Sat    Sun",
                "May 4     ██ 3   ··     ·· 10"
            ]
        );
        assert!(out.ends_with(
            "1 day with a session, 1 with every step done; soreness noted on 2 days.\n"
        ));
    }
}

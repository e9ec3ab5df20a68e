//! The day's plan as an iCalendar file (RFC 5545), for a phone's or a desktop's calendar: one
//! event per kept step that has a window, with an alarm as the window opens. Pure: the moment
//! of export and the time zone of the clock times in the text come in as arguments.
//!
//! Times are written in UTC (`...Z`), which every calendar converts to its own zone. A window
//! that is a single moment (sleep "at 22:30") becomes an event with a start and no end, which
//! RFC 5545 defines as lasting no time at all (section 3.6.1); a zero-length `DTEND` would be
//! invalid, and a made-up length would misstate the window.
use chrono::TimeZone;
use icalendar::{Alarm, Calendar, Component, Event, EventLike, Property, Related, Trigger};

use crate::core::clock::Hours;
use crate::core::plan::{Plan, window_text_in};
use crate::core::protocol::Protocol;
use crate::core::session::Timestamp;

/// The right-hand side of every event's UID.
pub const UID_DOMAIN: &str = "postrun";

/// The plan's kept steps as iCalendar text, with CRLF line ends and lines folded at 75 octets.
/// `now` is the export's time stamp (`DTSTAMP`); `tz` and `hours` are the zone and the clock
/// of the clock times written into the descriptions. Dropped steps and steps without a window are left out.
pub fn ics<Tz: TimeZone>(
    protocol: &Protocol,
    plan: &Plan,
    now: Timestamp,
    tz: &Tz,
    hours: Hours,
) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(Property::new(
            "PRODID",
            concat!("-//postrun//postrun ", env!("CARGO_PKG_VERSION"), "//EN"),
        ))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", "PUBLISH"))
        // The crate writes NAME without TEXT escaping (X-WR-CALNAME it escapes): a name with
        // a line break or a comma from a hand-edited log must not start properties of its own.
        .append_property(Property::new("NAME", escaped(&one_line(&protocol.name))))
        .append_property(Property::new("X-WR-CALNAME", one_line(&protocol.name)));
    for entry in plan.entries.iter().filter(|e| e.dropped.is_none()) {
        let (Some(times), Some(step)) = (entry.times, protocol.steps.get(entry.step)) else {
            continue;
        };
        let when = window_text_in(&times, tz, hours);
        let title = one_line(&step.title);
        let mut description = format!("{}\n\nWhen: {when}", lines(&step.what));
        if step.optional {
            description.push_str(" (optional)");
        }
        if let Some(details) = &step.details {
            description.push_str("\n\n");
            description.push_str(&lines(details));
        }
        let uid = uid(protocol, plan, entry.step);
        // The crate stamps an alarm with the clock and a random UID when it has none; give it
        // fixed ones so the same day always exports the same text.
        let alarm = Alarm::display(
            &format!("{title}: {}", one_line(&step.what)),
            Trigger::Duration(chrono::TimeDelta::zero(), Some(Related::Start)),
        )
        .uid(&format!("alarm-{uid}"))
        .timestamp(now)
        .done();
        let mut event = Event::new();
        event
            .uid(&uid)
            .timestamp(now)
            .summary(&title)
            .description(&description)
            .starts(times.start)
            // A recovery window is when to do something, not time taken: it never shows busy.
            .append_property(("TRANSP", "TRANSPARENT"))
            .alarm(alarm);
        if times.end > times.start {
            event.ends(times.end);
        }
        calendar.push(event.done());
    }
    calendar.done().to_string()
}

/// Text with every control character (a carriage return, a line feed from a hand-edited log)
/// made a space: the crate escapes a line feed but not a carriage return, and a bare CR LF
/// would end the property and start one of the file's own.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Text kept on its lines (the crate escapes a line feed) but with every other control
/// character, a carriage return above all, made a space.
fn lines(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect()
}

/// TEXT escaping (RFC 5545, 3.3.11) for a property the crate writes as it is.
fn escaped(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(',', "\\,")
        .replace(';', "\\;")
}

/// A stable UID for a step's event: the day of the run (its date), the routine and the step.
/// The same day exported again, from the session or from a plan at another moment, gives the
/// same UIDs, so a calendar updates the events rather than adding them twice.
fn uid(protocol: &Protocol, plan: &Plan, step: usize) -> String {
    let id: String = protocol
        .id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let step_id = protocol.steps.get(step).map_or("", |s| s.id.as_str());
    format!(
        "{}-{id}-{step_id}@{UID_DOMAIN}",
        plan.finished_at.format("%Y%m%d")
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::time::Duration;

    use chrono::{FixedOffset, Utc};
    use icalendar::{CalendarComponent, CalendarDateTime, DatePerhapsTime};

    use super::*;
    use crate::core::plan::plan;
    use crate::core::protocol::parse;

    /// Text that iCalendar must escape (commas, semicolons, backslashes, new lines) and long
    /// lines with characters of several bytes, to fold.
    const AWKWARD: &str = r#"
name = "Awkward; text, everywhere"
summary = "Escaping and folding."

[[steps]]
id = "drink"
title = "Drink, then eat; slowly"
do = "Drink 500 ml; add salt, sugar and a squeeze of lemon \\ lime. Then rest, and breathe — café au lait is not a drink for now; 老虎 are not either."
details = """
First line, with a comma; and a semicolon.
Second line: C:\\path\\n is not a new line.
Third line is long: ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé."""
window = { within = "10m-15m" }
estimate = "5m"

[[steps]]
id = "ice"
title = "Ice bath"
do = "Sit in cold water."
optional = true
drop_order = 1
window = { from = "1h", to = "2h" }
[steps.timer]
length = "10m-15m"

[[steps]]
id = "nap"
title = "Nap"
do = "Lie down."
optional = true
drop_order = 2
estimate = "20m"

[[steps]]
id = "sleep"
title = "Sleep"
do = "Lights out."
window = { from = "0m", to = "0m", before_bed = true }
"#;

    fn at(h: u32, m: u32) -> Timestamp {
        Utc.with_ymd_and_hms(2026, 5, 1, h, m, 0).unwrap()
    }

    fn export(budget: Option<Duration>) -> (Protocol, Plan, String) {
        let p = parse("awkward.toml", "awkward", AWKWARD).unwrap();
        let plan = plan(&p, at(10, 0), at(22, 30), budget);
        let text = ics(&p, &plan, at(10, 5), &Utc, Hours::TwentyFour);
        (p, plan, text)
    }

    fn events(text: &str) -> Vec<Event> {
        let calendar: Calendar = text.parse().unwrap();
        calendar
            .components
            .into_iter()
            .filter_map(|c| match c {
                CalendarComponent::Event(e) => Some(e),
                _ => None,
            })
            .collect()
    }

    fn utc(t: Option<DatePerhapsTime>) -> Option<Timestamp> {
        match t? {
            DatePerhapsTime::DateTime(CalendarDateTime::Utc(t)) => Some(t),
            other => panic!("not a UTC time: {other:?}"),
        }
    }

    fn alarms(e: &Event) -> Vec<&impl Component> {
        e.components()
            .iter()
            .filter(|c| c.component_kind() == "VALARM")
            .collect()
    }

    #[test]
    fn every_kept_window_is_an_event_with_an_alarm_as_it_opens() {
        let (p, plan, text) = export(None);
        let events = events(&text);
        let windowed: Vec<_> = plan.entries.iter().filter(|e| e.times.is_some()).collect();
        assert_eq!(events.len(), windowed.len());
        for (event, entry) in events.iter().zip(windowed) {
            let (step, times) = (&p.steps[entry.step], entry.times.unwrap());
            assert_eq!(event.get_summary(), Some(step.title.as_str()));
            assert_eq!(utc(event.get_start()), Some(times.start), "{}", step.id);
            let end = utc(event.get_end()).unwrap_or(times.start);
            assert_eq!(end, times.end, "{}", step.id);
            assert_eq!(event.get_timestamp(), Some(at(10, 5)));
            let description = event.get_description().unwrap();
            assert!(description.starts_with(&step.what), "{description}");
            let alarms = alarms(event);
            assert_eq!(alarms.len(), 1, "{}", step.id);
            assert_eq!(alarms[0].property_value("ACTION"), Some("DISPLAY"));
            let trigger = alarms[0].properties().get("TRIGGER").unwrap();
            assert_eq!(trigger.value(), "P0D");
            assert_eq!(
                trigger.params().get("RELATED").map(|p| p.value()),
                Some("START")
            );
        }
        // The windows as the runner reads them, in the zone given.
        let descriptions: Vec<_> = events
            .iter()
            .map(|e| e.get_description().unwrap())
            .collect();
        assert!(descriptions[0].contains("When: by 10:10-10:15"));
        assert!(descriptions[1].contains("When: 11:00-12:00 (optional)"));
        assert!(descriptions[2].contains("When: at 22:30"));
    }

    #[test]
    fn a_single_moment_has_a_start_and_no_end() {
        let (_, _, text) = export(None);
        let sleep = events(&text).pop().unwrap();
        assert_eq!(sleep.get_summary(), Some("Sleep"));
        assert_eq!(utc(sleep.get_start()), Some(at(22, 30)));
        assert_eq!(sleep.get_end(), None);
        assert!(!text.contains("DTEND:20260501T223000Z"));
    }

    #[test]
    fn text_is_escaped_and_comes_back_whole() {
        let (p, _, text) = export(None);
        let drink = &events(&text)[0];
        let step = &p.steps[0];
        assert_eq!(drink.get_summary(), Some("Drink, then eat; slowly"));
        assert_eq!(
            drink.get_description(),
            Some(
                format!(
                    "{}\n\nWhen: by 10:10-10:15\n\n{}",
                    step.what,
                    step.details.as_deref().unwrap()
                )
                .as_str()
            )
        );
        assert_eq!(
            alarms(drink)[0].property_value("DESCRIPTION"),
            Some(format!("Drink, then eat; slowly: {}", step.what).as_str())
        );
        // On the wire: escaped, and no raw new line inside a value.
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains("SUMMARY:Drink\\, then eat\\; slowly\r\n"));
        assert!(unfolded.contains("C:\\\\path\\\\n is not a new line.\\nThird line"));
        assert!(text.contains("DTSTART:20260501T100000Z\r\n"));
    }

    #[test]
    fn lines_are_folded_at_75_octets_with_crlf() {
        let (_, _, text) = export(None);
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        let lines: Vec<&str> = text.split_terminator("\r\n").collect();
        assert!(lines.iter().all(|l| !l.contains('\n') && !l.contains('\r')));
        let longest = lines.iter().map(|l| l.len()).max().unwrap();
        assert!(longest <= 75, "a line of {longest} octets");
        // The long lines were folded: continuation lines begin with a space.
        assert!(lines.iter().filter(|l| l.starts_with(' ')).count() > 3);
    }

    #[test]
    fn dropped_steps_are_left_out() {
        // 5m for the drink leaves 10m: the ice bath (10m) stays, the nap (20m) goes.
        let (_, _, text) = export(Some(Duration::from_secs(15 * 60)));
        let summaries: Vec<_> = events(&text)
            .iter()
            .map(|e| e.get_summary().unwrap().to_string())
            .collect();
        assert_eq!(summaries, ["Drink, then eat; slowly", "Ice bath", "Sleep"]);
        let (_, plan, text) = export(Some(Duration::from_secs(5 * 60)));
        assert!(plan.entries[1].dropped.is_some());
        let summaries: Vec<_> = events(&text)
            .iter()
            .map(|e| e.get_summary().unwrap().to_string())
            .collect();
        assert_eq!(summaries, ["Drink, then eat; slowly", "Sleep"]);
        assert!(!text.contains("Ice bath"));
    }

    #[test]
    fn text_from_a_hand_edited_log_cannot_start_properties_of_its_own() {
        let mut p = parse("awkward.toml", "awkward", AWKWARD).unwrap();
        p.name = "N\r\nX-WR-CALNAME:evil\r\nBEGIN:VEVENT, a;b\\c".into();
        p.steps[0].title = "Drink\r\nBEGIN:VALARM".into();
        p.steps[0].what = "Water\r\nEND:VEVENT".into();
        let plan = plan(&p, at(10, 0), at(22, 30), None);
        let text = ics(&p, &plan, at(10, 5), &Utc, Hours::TwentyFour);
        let lines: Vec<&str> = text.split("\r\n").collect();
        let count = |l: &str| lines.iter().filter(|x| **x == l).count();
        let kept = plan
            .entries
            .iter()
            .filter(|e| e.dropped.is_none() && e.times.is_some())
            .count();
        assert_eq!(events(&text).len(), kept);
        for l in ["BEGIN:VEVENT", "END:VEVENT", "BEGIN:VALARM", "END:VALARM"] {
            assert_eq!(count(l), kept, "{l} in:\n{text}");
        }
        assert!(
            !lines.iter().any(|l| l.starts_with("X-WR-CALNAME:evil")),
            "{text}"
        );
        assert!(
            text.contains("\r\nNAME:N  X-WR-CALNAME:evil  BEGIN:VEVENT\\, a\\;b\\\\c\r\n"),
            "{text}"
        );
        let first = &events(&text)[0];
        assert_eq!(first.get_summary(), Some("Drink  BEGIN:VALARM"));
    }

    #[test]
    fn the_same_day_exports_the_same_text_and_uids() {
        let (_, _, a) = export(None);
        let (_, _, b) = export(None);
        assert_eq!(a, b);
        let uids: Vec<_> = events(&a)
            .iter()
            .map(|e| e.get_uid().unwrap().to_string())
            .collect();
        assert_eq!(
            uids,
            [
                "20260501-awkward-drink@postrun",
                "20260501-awkward-ice@postrun",
                "20260501-awkward-sleep@postrun",
            ]
        );
        // The same day planned a minute later (`plan --ics` without a session): the same ids.
        let p = parse("awkward.toml", "awkward", AWKWARD).unwrap();
        let later = plan(&p, at(10, 1), at(22, 30), None);
        let c = ics(&p, &later, at(10, 2), &Utc, Hours::TwentyFour);
        let again: Vec<_> = events(&c)
            .iter()
            .map(|e| e.get_uid().unwrap().to_string())
            .collect();
        assert_eq!(again, uids);
    }

    #[test]
    fn clock_times_in_the_text_follow_the_zone_given() {
        let p = parse("awkward.toml", "awkward", AWKWARD).unwrap();
        let plan = plan(&p, at(10, 0), at(22, 30), None);
        let plus2 = FixedOffset::east_opt(2 * 3600).unwrap();
        let text = ics(&p, &plan, at(10, 5), &plus2, Hours::TwentyFour);
        let events = events(&text);
        assert!(
            events[1]
                .get_description()
                .unwrap()
                .contains("When: 13:00-14:00")
        );
        // The times themselves stay in UTC.
        assert_eq!(utc(events[1].get_start()), Some(at(11, 0)));
    }
}

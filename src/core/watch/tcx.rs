//! TCX, Garmin's Training Center XML, read as a stream with `quick-xml`: the laps' start
//! times, total times and distances, and the trackpoints' times and distances. Nothing is
//! kept but those numbers, no entity is expanded beyond XML's own, and nesting deeper than
//! any activity file is refused.
use chrono::{DateTime, NaiveDateTime, Utc};
use quick_xml::Reader;
use quick_xml::events::Event;

use super::Figures;

/// Deeper than any activity file nests (TCX: about 8): a file past it is made to hurt.
const DEEPEST: usize = 64;

/// A file's bytes as XML text: UTF-8, with any byte-order mark left out.
pub(super) fn text(bytes: &[u8]) -> Result<&str, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes)
        .map_err(|e| format!("it is not UTF-8 text (byte {} is not)", e.valid_up_to()))
}

/// Each element's text as it comes, with the names of the elements it is in (innermost
/// last), until the document ends; an error says where the XML broke.
fn each_text(
    text: &str,
    mut seen: impl FnMut(&[String], &str, Option<&str>) -> Result<(), String>,
) -> Result<(), String> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut path: Vec<String> = Vec::new();
    loop {
        let event = reader.read_event().map_err(|e| {
            format!(
                "its XML breaks at byte {}: {}",
                reader.error_position(),
                crate::core::printable::fit(&e.to_string(), 120)
            )
        })?;
        match event {
            Event::Start(e) => {
                if path.len() >= DEEPEST {
                    return Err(format!(
                        "its elements nest more than {DEEPEST} deep, which no activity file does"
                    ));
                }
                let name = e.local_name().as_ref().to_string();
                let start = match name.as_str() {
                    "Lap" => attribute(&e, "StartTime"),
                    _ => None,
                };
                path.push(name);
                if let Some(start) = start {
                    seen(&path, "", Some(&start))?;
                }
            }
            Event::End(_) => {
                path.pop();
            }
            Event::Text(t) => seen(&path, &t.xml10_content(), None)?,
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

fn attribute(e: &quick_xml::events::BytesStart, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok()??;
    Some(a.value.trim().to_string())
}

/// The mean of the numbers in every element named `name`, if there are any.
pub(super) fn mean_of(text: &str, name: &str) -> Result<Option<f64>, String> {
    let (mut sum, mut n) = (0.0, 0u64);
    each_text(text, |path, value, _| {
        if path.last().is_some_and(|l| l == name)
            && let Ok(v) = value.trim().parse::<f64>()
            && v.is_finite()
        {
            sum += v;
            n += 1;
        }
        Ok(())
    })?;
    Ok((n > 0).then(|| sum / n as f64))
}

/// A time as XML Schema writes it: RFC 3339, or without an offset (taken as UTC).
fn moment(text: &str) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| {
            NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").map(|t| t.and_utc())
        })
        .map_err(|_| {
            format!(
                "'{}' is not a date and time",
                crate::core::printable::fit(text, 40)
            )
        })
}

fn number(text: &str, what: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(n) if n.is_finite() => Ok(n),
        _ => Err(format!(
            "{what} '{}' is not a number",
            crate::core::printable::fit(text.trim(), 40)
        )),
    }
}

/// The figures in a TCX file's bytes.
pub(super) fn read(bytes: &[u8]) -> Result<Figures, String> {
    let text = text(bytes)?;
    let mut laps = 0usize;
    let (mut lap_start, mut lap_end): (Option<DateTime<Utc>>, Option<DateTime<Utc>>) = (None, None);
    let (mut total, mut lap_distance) = (None::<f64>, None::<f64>);
    let (mut first, mut last, mut furthest) = (None, None, None::<f64>);
    let mut this_lap: Option<DateTime<Utc>> = None;
    each_text(text, |path, value, start| {
        let parent = path.len().checked_sub(2).and_then(|i| path.get(i));
        let here = path.last().map(String::as_str);
        if let Some(start) = start {
            let at = moment(start)?;
            laps += 1;
            lap_start = Some(lap_start.map_or(at, |s: DateTime<Utc>| s.min(at)));
            this_lap = Some(at);
            return Ok(());
        }
        match (parent.map(String::as_str), here) {
            (Some("Lap"), Some("TotalTimeSeconds")) => {
                let s = number(value, "a lap's TotalTimeSeconds")?;
                total = Some(total.unwrap_or(0.0) + s);
                if let Some(end) = this_lap.and_then(|a| Some(a + super::seconds(s)?)) {
                    lap_end = Some(lap_end.map_or(end, |e: DateTime<Utc>| e.max(end)));
                }
            }
            (Some("Lap"), Some("DistanceMeters")) => {
                let d = number(value, "a lap's DistanceMeters")?;
                lap_distance = Some(lap_distance.unwrap_or(0.0) + d);
            }
            (Some("Trackpoint"), Some("Time")) => {
                let at = moment(value)?;
                first = Some(first.map_or(at, |f: DateTime<Utc>| f.min(at)));
                last = Some(last.map_or(at, |l: DateTime<Utc>| l.max(at)));
            }
            (Some("Trackpoint"), Some("DistanceMeters")) => {
                let d = number(value, "a trackpoint's DistanceMeters")?;
                furthest = Some(furthest.map_or(d, |f| f.max(d)));
            }
            _ => {}
        }
        Ok(())
    })?;
    if laps == 0 && first.is_none() {
        return Err("it has no lap and no trackpoint with a time".into());
    }
    let started = match (lap_start, first) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let ended = match (lap_end, last) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    Ok(Figures {
        started,
        ended,
        // The laps' times add up to the time the watch ran; the span is the time that passed.
        duration_s: match (started, ended) {
            (Some(s), Some(e)) => Some((e - s).num_milliseconds() as f64 / 1000.0),
            _ => total,
        },
        distance_m: lap_distance.or(furthest),
        temperature_c: None,
    })
}

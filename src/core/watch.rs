//! The run as the watch recorded it: an activity file (FIT, GPX or TCX) read into when the
//! run ended, how long it took, how far it went and, where the file says, how warm it was.
//! Bytes in, a [`Run`] or an [`Unreadable`] out: the store opens the file (bounded, regular
//! files only), and no file, however broken or hostile, makes this panic or hang.
mod fit;
mod gpx;
mod tcx;

use std::fmt;

use chrono::{DateTime, Datelike, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::core::protocol::{Protocol, Units};

/// An activity file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// The binary format of Garmin, Coros, Wahoo and Suunto exports.
    Fit,
    /// A GPS track as XML.
    Gpx,
    /// Garmin's Training Center XML.
    Tcx,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Fit => "FIT",
            Format::Gpx => "GPX",
            Format::Tcx => "TCX",
        })
    }
}

impl Format {
    /// What a file of this format must hold for postrun to read a run from it.
    fn expected(self) -> &'static str {
        match self {
            Format::Fit => "a whole FIT activity file as a watch exports it",
            Format::Gpx => "a GPX track whose points carry times",
            Format::Tcx => "a TCX activity with laps or trackpoints that carry times",
        }
    }
}

/// A run as the watch recorded it: what a session keeps of it in its opening line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    /// The file's format.
    pub format: Format,
    /// The file it was read from, as the runner named it or postrun found it.
    pub file: String,
    /// When the run began.
    pub started_at: DateTime<Utc>,
    /// When it ended: the finish the day is planned from.
    pub ended_at: DateTime<Utc>,
    /// How long it took, in seconds: the watch's elapsed time where it says.
    pub duration_s: u64,
    /// How far, in metres, where the file says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<u64>,
    /// The average temperature the watch measured, in whole degrees Celsius, where it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature_c: Option<i32>,
}

/// Why a file gave no run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// The format it was read as; `None` when it looked like none of them.
    pub format: Option<Format>,
    /// What is wrong with it.
    pub why: String,
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.format {
            Some(format) => write!(
                f,
                "cannot be read as a {format} activity: {}; expected {}",
                self.why,
                format.expected()
            ),
            None => write!(
                f,
                "is not an activity file ({}); expected a FIT, GPX or TCX file as a watch exports it",
                self.why
            ),
        }
    }
}

impl std::error::Error for Unreadable {}

/// What a format's reader found, before it is checked and rounded into a [`Run`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Figures {
    started: Option<DateTime<Utc>>,
    ended: Option<DateTime<Utc>>,
    duration_s: Option<f64>,
    distance_m: Option<f64>,
    temperature_c: Option<f64>,
}

/// The run in an activity file's bytes. `name` is the file's name: it is kept in the run, and
/// its extension says the format when the content does not.
pub fn read(name: &str, bytes: &[u8]) -> Result<Run, Unreadable> {
    let format = sniff(name, bytes).ok_or_else(|| Unreadable {
        format: None,
        why: "neither FIT's signature nor a <gpx> or <TrainingCenterDatabase> element".into(),
    })?;
    read_as(format, name, bytes)
}

/// The run in a file's bytes read as `format`, whatever they look like.
pub fn read_as(format: Format, name: &str, bytes: &[u8]) -> Result<Run, Unreadable> {
    let fail = |why: String| Unreadable {
        format: Some(format),
        why,
    };
    let figures = match format {
        Format::Fit => fit::read(bytes),
        Format::Gpx => gpx::read(bytes),
        Format::Tcx => tcx::read(bytes),
    }
    .map_err(fail)?;
    settle(format, name, figures).map_err(fail)
}

/// The format of a file: by its content where that says, else by its name.
fn sniff(name: &str, bytes: &[u8]) -> Option<Format> {
    if bytes.get(8..12) == Some(b".FIT") {
        return Some(Format::Fit);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    if head.contains("<gpx") {
        return Some(Format::Gpx);
    }
    if head.contains("<TrainingCenterDatabase") {
        return Some(Format::Tcx);
    }
    let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
    match extension.as_str() {
        "fit" => Some(Format::Fit),
        "gpx" => Some(Format::Gpx),
        "tcx" => Some(Format::Tcx),
        _ => None,
    }
}

/// The earliest moment a watch's clock could mean: a time before it is a clock never set
/// (FIT counts from the last day of 1989, so a zero there is 1989).
fn earliest() -> DateTime<Utc> {
    DateTime::from_timestamp(946_684_800, 0).unwrap_or_default()
}

/// The figures checked and rounded: an end in a believable year, a start not after it, and
/// distance and temperature only where they are numbers a run can have.
fn settle(format: Format, name: &str, f: Figures) -> Result<Run, String> {
    let ended = f
        .ended
        .or_else(|| Some(f.started? + seconds(f.duration_s?)?))
        .ok_or("it has no time for the end of the run")?;
    if ended < earliest() || ended.year() > 2200 {
        return Err(format!(
            "its run ends on {}, which no watch's clock meant",
            ended.format("%Y-%m-%d")
        ));
    }
    let duration = f.duration_s.filter(|d| d.is_finite() && *d >= 0.0);
    let started = f
        .started
        .filter(|s| *s <= ended && *s >= earliest())
        .or_else(|| Some(ended - seconds(duration?)?))
        .unwrap_or(ended);
    let duration_s = match duration {
        Some(d) if d < 1e9 => d.round() as u64,
        _ => u64::try_from((ended - started).num_seconds()).unwrap_or(0),
    };
    let distance_m = f
        .distance_m
        .filter(|d| d.is_finite() && (0.0..1e7).contains(d))
        .map(|d| d.round() as u64);
    let temperature_c = f
        .temperature_c
        .filter(|t| t.is_finite() && (-80.0..80.0).contains(t))
        .map(|t| t.round() as i32);
    Ok(Run {
        format,
        file: name.to_string(),
        started_at: started,
        ended_at: ended,
        duration_s,
        distance_m,
        temperature_c,
    })
}

/// `s` seconds as a time delta, if it is one.
fn seconds(s: f64) -> Option<TimeDelta> {
    (s.is_finite() && (0.0..1e9).contains(&s))
        .then(|| TimeDelta::milliseconds((s * 1000.0).round() as i64))
}

impl Run {
    /// How far and how long, as the runner reads it: `21.1 km in 1:45:10`, `13.1 mi in
    /// 1:45:10` in US units, or `in 45:10` when the file has no distance.
    pub fn figures(&self, units: Units) -> String {
        match self.distance(units) {
            Some(d) => format!("{d} in {}", clock_length(self.duration_s)),
            None => format!("in {}", clock_length(self.duration_s)),
        }
    }

    /// How far, one decimal: `21.1 km`, or `13.1 mi` in US units.
    pub fn distance(&self, units: Units) -> Option<String> {
        let m = self.distance_m? as f64;
        Some(match units {
            Units::Metric => format!("{:.1} km", m / 1000.0),
            Units::Us => format!("{:.1} mi", m / 1609.344),
        })
    }

    /// The average temperature, whole degrees: `28 C`, or `82 F` in US units.
    pub fn temperature(&self, units: Units) -> Option<String> {
        let c = self.temperature_c?;
        Some(match units {
            Units::Metric => format!("{c} C"),
            Units::Us => format!("{} F", (f64::from(c) * 9.0 / 5.0 + 32.0).round()),
        })
    }

    /// Whether the run was hotter than `protocol` calls hot (its `hot_above`): never when
    /// either the file or the protocol does not say.
    pub fn is_hot(&self, protocol: &Protocol) -> bool {
        matches!((self.temperature_c, protocol.hot_above_c), (Some(t), Some(above)) if t > above)
    }
}

/// The routine for the day after `run`: after a hot run, each step's advice for the heat
/// (its `when_hot`) comes first in what it says to do; otherwise the routine as it is.
pub fn for_run(protocol: &Protocol, run: Option<&Run>) -> Protocol {
    let mut shown = protocol.clone();
    if !run.is_some_and(|r| r.is_hot(protocol)) {
        return shown;
    }
    for step in &mut shown.steps {
        if let Some(heat) = &step.when_hot {
            step.what = format!("{heat} {}", step.what);
        }
    }
    shown
}

/// A length of time as a watch shows it: `1:45:10`, or `45:10` under an hour.
pub fn clock_length(seconds: u64) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests;

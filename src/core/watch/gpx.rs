//! GPX: a track's points with times, read with the `gpx` crate. The run is from the first
//! timed point to the last, its distance the path between them; the temperature, where a
//! Garmin export records it, is its TrackPointExtension's `atemp` (which the crate leaves
//! unread, so a second, streaming pass finds it).
use chrono::{DateTime, Utc};

use super::{Figures, tcx};

/// The earth's mean radius, for distances between points.
const EARTH_M: f64 = 6_371_008.8;

/// The figures in a GPX file's bytes.
pub(super) fn read(bytes: &[u8]) -> Result<Figures, String> {
    let text = tcx::text(bytes)?;
    let data = ::gpx::read(text.as_bytes())
        .map_err(|e| crate::core::printable::fit(&e.to_string(), 200))?;
    let (mut first, mut last) = (None, None);
    let mut distance = 0.0;
    let mut points = 0usize;
    for segment in data.tracks.iter().flat_map(|t| &t.segments) {
        let mut previous: Option<(f64, f64)> = None;
        for point in &segment.points {
            let here = (point.point().y(), point.point().x());
            if let Some(before) = previous {
                distance += between(before, here);
            }
            previous = Some(here);
            points += 1;
            let Some(at) = point.time.and_then(|t| t.format().ok()) else {
                continue;
            };
            let at = DateTime::parse_from_rfc3339(&at)
                .map_err(|_| format!("a point's time '{at}' is not a date and time"))?
                .with_timezone(&Utc);
            first = Some(first.map_or(at, |f: DateTime<Utc>| f.min(at)));
            last = Some(last.map_or(at, |l: DateTime<Utc>| l.max(at)));
        }
    }
    if points == 0 {
        return Err("it has no track points".into());
    }
    if last.is_none() {
        return Err("none of its track points has a time".into());
    }
    Ok(Figures {
        started: first,
        ended: last,
        duration_s: None,
        distance_m: (distance.is_finite() && points > 1).then_some(distance),
        temperature_c: tcx::mean_of(text, "atemp")?,
    })
}

/// The great-circle distance between two points, (latitude, longitude) in degrees, in metres.
///
/// The trigonometry is the `libm` crate's, not the C library's: these are postrun's only calls
/// into the system's libm, and without them libm.so is not loaded at all. Loading it ran its
/// IFUNC resolvers at every start and kept about 300 KB of it resident (BENCHMARKS.md).
fn between((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
    use libm::{asin, cos, sin};
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let (dp, dl) = ((lat2 - lat1).to_radians(), (lon2 - lon1).to_radians());
    let a = sin(dp / 2.0).powi(2) + cos(p1) * cos(p2) * sin(dl / 2.0).powi(2);
    2.0 * EARTH_M * asin(a.sqrt().min(1.0))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_degree_of_latitude_is_about_111_km() {
        let d = between((45.0, 7.0), (46.0, 7.0));
        assert!((d - 111_195.0).abs() < 10.0, "{d}");
        assert_eq!(between((10.0, 20.0), (10.0, 20.0)), 0.0);
    }
}

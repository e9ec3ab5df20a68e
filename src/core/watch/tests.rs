#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Activity files made by the tests' own encoder (tests/fixture/activity.rs), read back; and
//! broken, cut and hostile ones, which must be errors that say what was expected.
use chrono::{TimeZone, Utc};

use super::*;
use crate::core::protocol::{DEFAULT, builtin};

#[path = "../../../tests/fixture/activity.rs"]
mod activity;

use activity::{FitRun, fit, gpx, tcx};

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 1, 5, 56, 50).unwrap()
}

#[test]
fn a_fit_session_gives_the_end_the_time_the_distance_and_the_temperature() {
    let run = read("morning.fit", &fit(&FitRun::half(start()))).unwrap();
    assert_eq!(run.format, Format::Fit);
    assert_eq!(run.file, "morning.fit");
    assert_eq!(run.started_at, start());
    assert_eq!(
        run.ended_at,
        Utc.with_ymd_and_hms(2026, 5, 1, 7, 42, 0).unwrap()
    );
    assert_eq!(run.duration_s, 6310);
    assert_eq!(run.distance_m, Some(21_098));
    assert_eq!(run.temperature_c, Some(18));
    assert_eq!(run.figures(Units::Metric), "21.1 km in 1:45:10");
    assert_eq!(run.figures(Units::Us), "13.1 mi in 1:45:10");
    assert_eq!(run.temperature(Units::Us).as_deref(), Some("64 F"));
}

#[test]
fn without_a_session_the_records_say() {
    let mut r = FitRun::half(start());
    r.session = false;
    r.temperature_c = Some(27);
    let run = read("x.fit", &fit(&r)).unwrap();
    // The last record is at the last whole minute: 1:45:00.
    assert_eq!(run.ended_at, start() + TimeDelta::seconds(6300));
    assert_eq!(run.duration_s, 6300);
    assert_eq!(run.distance_m, Some(21_064));
    assert_eq!(run.temperature_c, Some(27));
    r.every_s = 0;
    r.distance_m = None;
    let e = read("x.fit", &fit(&r)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot be read as a FIT activity: it has no time for the end of the run; expected a whole FIT activity file as a watch exports it"
    );
}

#[test]
fn every_cut_of_a_fit_file_is_an_error_never_a_panic() {
    let bytes = fit(&FitRun::half(start()));
    for len in 0..bytes.len() {
        let e = read("cut.fit", &bytes[..len]);
        assert!(e.is_err(), "{len} bytes read as {e:?}");
    }
    let e = read("cut.fit", &bytes[..bytes.len() - 10]).unwrap_err();
    assert!(
        e.why.starts_with("it is cut short: its header promises"),
        "{e}"
    );
}

#[test]
fn a_damaged_fit_file_is_an_error_that_says_so() {
    let mut bytes = fit(&FitRun::half(start()));
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x10;
    let e = read("bad.fit", &bytes).unwrap_err();
    assert_eq!(e.format, Some(Format::Fit));
    assert!(e.why.contains("checksum") || e.why.contains("byte"), "{e}");
    let mut header = fit(&FitRun::half(start()));
    header[0] = 200;
    assert_eq!(
        read("h.fit", &header).unwrap_err().why,
        "its header says it is 200 bytes long; a FIT header is 12 or 14"
    );
}

/// Found by the fuzz target (fuzz/fuzz_targets/read_activity.rs): a message that runs past
/// the data its header declares made the decoder read a second header from one byte and
/// panic subtracting.
#[test]
fn a_message_past_the_data_is_an_error_not_a_panic() {
    let hex = "0e205408df0000002e464954f4cd4000000000030001000102840404860004ff00a2f45644410000140003fd04860504860d010101a2f456440000000012410000140003fd04860504860d01010152f95644441f060012410000140003fd04860504860d01010102fe5644893e0c0012410000140003fd04860504860d010101b2025744cd5d120093410000340003fd04860504860d01010162075744117d180012410000140003fd04860504860d010101120c5744559c1e0012420000120007fd0486020486070486080486050000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000010009048632010102480d5744a2f456447048600070486000010101010012a210";
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    let e = read("fuzz.fit", &bytes).unwrap_err();
    assert!(e.why.contains("runs past the end of the data"), "{e}");
}

/// A field of a size its type cannot fill: the decoder would write about it to standard
/// error, round the printable writer; it is refused first.
#[test]
fn a_field_of_odd_size_is_refused() {
    let mut bytes = fit(&FitRun::half(start()));
    // The record definition follows the file id's (6 + 3 * 3 bytes) and its data (8 bytes);
    // its second field, the distance, is 4 bytes of uint32.
    let size_of_distance = 14 + 15 + 8 + 6 + 3 + 1;
    assert_eq!(bytes[size_of_distance..size_of_distance + 2], [4, 0x86]);
    bytes[size_of_distance] = 3;
    let e = read("odd.fit", &bytes).unwrap_err();
    assert_eq!(
        e.why,
        "the definition at byte 37 gives field 5 3 bytes, which its type (0x86) cannot fill"
    );
}

/// Every byte changed every way it matters (each bit, and to 0 and 0xFF): an answer each
/// time, never a panic or a loop.
#[test]
fn any_changed_byte_is_answered() {
    let mut r = FitRun::half(start());
    r.every_s = 1200;
    let good = fit(&r);
    for i in 0..good.len() {
        for change in [0x01u8, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80] {
            let mut bytes = good.clone();
            bytes[i] ^= change;
            let _ = read("m.fit", &bytes);
        }
        for value in [0u8, 0xFF] {
            let mut bytes = good.clone();
            bytes[i] = value;
            let _ = read("m.fit", &bytes);
        }
    }
}

#[test]
fn a_gpx_track_gives_its_span_its_path_and_garmins_air_temperature() {
    let text = gpx(start(), 11, 1000.0, Some(29.5));
    let run = read("track.gpx", text.as_bytes()).unwrap();
    assert_eq!(run.format, Format::Gpx);
    assert_eq!(run.started_at, start());
    assert_eq!(run.ended_at, start() + TimeDelta::minutes(10));
    assert_eq!(run.duration_s, 600);
    let d = run.distance_m.unwrap();
    assert!((9_990..=10_010).contains(&d), "{d}");
    assert_eq!(run.temperature_c, Some(30));
    let plain = gpx(start(), 3, 500.0, None);
    assert_eq!(read("t.gpx", plain.as_bytes()).unwrap().temperature_c, None);
}

#[test]
fn a_gpx_file_without_times_or_points_says_what_it_lacks() {
    let no_times = gpx(start(), 3, 100.0, None)
        .replace("<time>", "<desc>")
        .replace("</time>", "</desc>");
    let e = read("t.gpx", no_times.as_bytes()).unwrap_err();
    assert_eq!(e.why, "none of its track points has a time");
    let empty = "<gpx version=\"1.1\" creator=\"x\"></gpx>";
    assert_eq!(
        read("t.gpx", empty.as_bytes()).unwrap_err().why,
        "it has no track points"
    );
    let broken = &gpx(start(), 3, 100.0, None)[..300];
    let e = read("t.gpx", broken.as_bytes()).unwrap_err();
    assert!(
        e.to_string()
            .contains("expected a GPX track whose points carry times"),
        "{e}"
    );
}

#[test]
fn a_tcx_activity_gives_its_lap() {
    let text = tcx(start(), 3000, 10_012.4);
    let run = read("a.tcx", text.as_bytes()).unwrap();
    assert_eq!(run.format, Format::Tcx);
    assert_eq!(run.ended_at, start() + TimeDelta::seconds(3000));
    assert_eq!(run.duration_s, 3000);
    assert_eq!(run.distance_m, Some(10_012));
    assert_eq!(run.temperature_c, None);
    assert_eq!(run.figures(Units::Metric), "10.0 km in 50:00");
}

#[test]
fn a_broken_tcx_file_says_where() {
    let text = tcx(start(), 3000, 10_000.0).replace("</Lap>", "</Lapp>");
    let e = read("a.tcx", text.as_bytes()).unwrap_err();
    assert!(e.why.starts_with("its XML breaks at byte"), "{e}");
    let text =
        tcx(start(), 3000, 10_000.0).replace("<DistanceMeters>10000.0", "<DistanceMeters>far");
    let e = read("a.tcx", text.as_bytes()).unwrap_err();
    assert_eq!(e.why, "a lap's DistanceMeters 'far' is not a number");
    let e = read(
        "a.tcx",
        b"<TrainingCenterDatabase>\xff</TrainingCenterDatabase>",
    )
    .unwrap_err();
    assert_eq!(e.why, "it is not UTF-8 text (byte 24 is not)");
}

#[test]
fn hostile_xml_is_refused_quickly() {
    let deep = format!(
        "<TrainingCenterDatabase>{}{}</TrainingCenterDatabase>",
        "<a>".repeat(100_000),
        "</a>".repeat(100_000)
    );
    let e = read("deep.tcx", deep.as_bytes()).unwrap_err();
    assert!(e.why.contains("nest more than 64 deep"), "{e}");
    // Entities that would expand to gigabytes: neither reader expands them.
    let laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">\
        <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\
        <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\
        <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\
        <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\
        <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\
        <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\
        <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\
        <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]>";
    for root in [
        "<gpx version=\"1.1\" creator=\"x\"><trk><name>&lol9;</name></trk></gpx>",
        "<TrainingCenterDatabase><Lap StartTime=\"&lol9;\"></Lap></TrainingCenterDatabase>",
    ] {
        let text = format!("{laughs}{root}");
        let e = read("lol", text.as_bytes());
        assert!(e.is_err(), "{e:?}");
    }
}

#[test]
fn a_file_that_is_none_of_them_is_named_so() {
    let e = read("notes.txt", b"just some words").unwrap_err();
    assert_eq!(e.format, None);
    assert!(e.to_string().starts_with("is not an activity file"), "{e}");
    // A name says the format when the content does not: then the format's reader says why.
    let e = read("run.fit", b"just some words").unwrap_err();
    assert_eq!(e.why, "it lacks the '.FIT' signature at byte 8");
}

#[test]
fn a_clock_never_set_is_no_run() {
    let mut r = FitRun::half(Utc.with_ymd_and_hms(1989, 12, 31, 0, 0, 0).unwrap());
    r.every_s = 0;
    let e = read("zero.fit", &fit(&r)).unwrap_err();
    assert_eq!(
        e.why,
        "its run ends on 1989-12-31, which no watch's clock meant"
    );
}

#[test]
fn lengths_read_as_a_watch_shows_them() {
    assert_eq!(clock_length(6310), "1:45:10");
    assert_eq!(clock_length(2710), "45:10");
    assert_eq!(clock_length(59), "0:59");
}

#[test]
fn after_a_hot_run_the_heat_advice_comes_first() {
    let protocol = builtin(DEFAULT).unwrap().parse().unwrap();
    let hydrate = |p: &Protocol| p.steps[0].what.clone();
    let mut run = read("m.fit", &fit(&FitRun::half(start()))).unwrap();
    assert_eq!(hydrate(&for_run(&protocol, Some(&run))), hydrate(&protocol));
    assert_eq!(hydrate(&for_run(&protocol, None)), hydrate(&protocol));
    run.temperature_c = Some(29);
    let hot = for_run(&protocol, Some(&run));
    assert!(hydrate(&hot).starts_with(protocol.steps[0].when_hot.as_deref().unwrap()));
    assert!(hydrate(&hot).ends_with(&hydrate(&protocol)));
    assert_eq!(hot.steps[1], protocol.steps[1]);
}

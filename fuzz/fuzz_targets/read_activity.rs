//! Feeds arbitrary bytes to the activity readers (FIT, GPX, TCX; the first byte picks one, or
//! lets the content say): each must return a run or a reason, never panic or hang, and the
//! reason must name what was expected.
//! Run with a nightly toolchain: `cargo +nightly fuzz run read_activity`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use postrun::core::watch::{self, Format};

fuzz_target!(|data: &[u8]| {
    let Some((pick, bytes)) = data.split_first() else {
        return;
    };
    let read = match pick % 4 {
        0 => watch::read_as(Format::Fit, "fuzz.fit", bytes),
        1 => watch::read_as(Format::Gpx, "fuzz.gpx", bytes),
        2 => watch::read_as(Format::Tcx, "fuzz.tcx", bytes),
        _ => watch::read("fuzz", bytes),
    };
    match read {
        Ok(run) => assert!(run.started_at <= run.ended_at, "{run:?}"),
        Err(e) => assert!(e.to_string().contains("expected"), "{e}"),
    }
});

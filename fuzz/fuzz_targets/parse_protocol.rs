//! Feeds arbitrary bytes to the protocol parser: it must return problems, never panic or hang.
//! Run with a nightly toolchain: `cargo +nightly fuzz run parse_protocol`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(problems) = postrun::core::protocol::parse_bytes("fuzz.toml", "fuzz", data) {
        // Rendering is part of the contract: it must not panic on any span.
        let _ = problems.to_string();
    }
});

//! What the binary costs to start, in what it links: each library loaded is resident memory
//! at every start (BENCHMARKS.md, "Peak memory").

/// The system's libm is not loaded: its resolvers ran at every start and kept about 300 KB of
/// it resident. postrun's trigonometry and the two `log10`s its dependencies call come from
/// the `libm` crate (src/main.rs); a new call into the C library's maths brings it back and
/// fails here.
#[test]
#[cfg(target_os = "linux")]
fn the_binary_does_not_load_the_system_libm() {
    let binary = std::fs::read(env!("CARGO_BIN_EXE_postrun")).unwrap();
    let needed = |name: &[u8]| binary.windows(name.len()).any(|w| w == name);
    assert!(
        needed(b"libc.so.6"),
        "the check reads the binary's needed libraries"
    );
    assert!(
        !needed(b"libm.so.6"),
        "postrun links the system's libm again: `nm -D --undefined-only` names the call"
    );
}

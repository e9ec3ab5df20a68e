//! What the binary costs to start, in what it links: each library loaded is resident memory
//! at every start (BENCHMARKS.md, "Peak memory").

/// Whether the binary holds a name (a needed library's, a section's) anywhere in its bytes.
#[cfg(target_os = "linux")]
fn names_in_binary() -> impl Fn(&[u8]) -> bool {
    let binary = std::fs::read(env!("CARGO_BIN_EXE_postrun")).unwrap();
    move |name| binary.windows(name.len()).any(|w| w == name)
}

/// The system's libm is not loaded: its resolvers ran at every start and kept about 300 KB of
/// it resident. postrun's trigonometry and the two `log10`s its dependencies call come from
/// the `libm` crate (src/main.rs); a new call into the C library's maths brings it back and
/// fails here.
#[test]
#[cfg(target_os = "linux")]
fn the_binary_does_not_load_the_system_libm() {
    let needed = names_in_binary();
    assert!(
        needed(b"libc.so.6"),
        "the check reads the binary's needed libraries"
    );
    assert!(
        !needed(b"libm.so.6"),
        "postrun links the system's libm again: `nm -D --undefined-only` names the call"
    );
}

/// The list release builds hand the linker (bench/hot-functions.txt, from `bench/order`) is
/// one symbol per line, as lld reads it, says how many of its names tick, and has the
/// countdown's wake among those: an empty, garbled or hand-shuffled list would leave the
/// code a start runs spread over the binary again, which no other test would notice.
#[test]
fn the_hot_functions_list_puts_the_ticking_countdown_first() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/hot-functions.txt");
    let list = std::fs::read_to_string(path).unwrap();
    let ticking: usize = list
        .lines()
        .find_map(|l| {
            l.strip_prefix("# ")?
                .split_once(" ticking,")?
                .0
                .parse()
                .ok()
        })
        .expect("a `# N ticking, M more` line");
    let names: Vec<&str> = list.lines().filter(|l| !l.starts_with('#')).collect();
    assert!(
        names.len() > ticking && ticking > 50,
        "{ticking} of {}",
        names.len()
    );
    for name in &names {
        assert!(
            !name.is_empty() && !name.contains(char::is_whitespace),
            "not a symbol: {name:?}"
        );
    }
    // `Painter<O>::work_out_from`: the painter is generic over what its backend works out.
    let wake = |part: &[&str]| {
        part.iter()
            .any(|n| n.contains("5paint") && n.contains("work_out"))
    };
    assert!(
        wake(&names[..ticking]),
        "the tick's work is not among the ticking functions"
    );
    assert!(
        names.iter().any(|n| n.contains("7postrun3cli3day")),
        "the start (the day read from the command line) is not in the list"
    );
}

/// Where the build script found that a program with packed relative relocations (DT_RELR,
/// glibc 2.36 and later) links and runs, postrun is linked so: the table the loader reads at
/// every start is 4 KB instead of 66 KB (build.rs). A change to how the option reaches the
/// linker, and the table is back, fails here.
#[test]
#[cfg(target_os = "linux")]
fn the_binary_packs_its_relocations_where_the_system_can_load_that() {
    let has = names_in_binary();
    assert!(
        has(b".rela.dyn"),
        "the check reads the binary's section names"
    );
    assert_eq!(
        has(b".relr.dyn"),
        env!("POSTRUN_PACKED_RELOCS") == "1",
        "the build script's finding and the binary disagree"
    );
}

//! No input panics or hangs the parser: arbitrary bytes, and the built-ins mutated at random.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use postrun::core::protocol::{BUILTINS, parse, parse_bytes};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

/// Every problem must point inside the source and render without panicking.
fn assert_well_formed(
    result: Result<postrun::core::protocol::Protocol, postrun::core::protocol::Problems>,
) {
    if let Err(problems) = result {
        assert!(!problems.list.is_empty());
        let text = problems.to_string();
        for (line, p) in text
            .lines()
            .filter(|l| l.starts_with("f.toml:"))
            .zip(&problems.list)
        {
            assert!(line.contains(&p.fault.to_string()), "{line}");
        }
    }
}

fn mutate(source: &str, edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut bytes = source.as_bytes().to_vec();
    for &(at, kind, byte) in edits {
        if bytes.is_empty() {
            break;
        }
        let at = at % bytes.len();
        match kind % 4 {
            0 => bytes[at] = byte,
            1 => bytes.insert(at, byte),
            2 => {
                bytes.remove(at);
            }
            _ => {
                // Duplicate a slice: repeats tables, keys and brackets.
                let end = (at + usize::from(byte)).min(bytes.len());
                let slice = bytes[at..end].to_vec();
                bytes.splice(at..at, slice);
            }
        }
    }
    bytes
}

proptest! {
    // Failures are kept beside this file, in `parser_props.proptest-regressions`: proptest's default
    // would look for them in `tests/proptest-regressions/`, as `main.rs` is beside this file.
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        assert_well_formed(parse_bytes("f.toml", "f", &bytes));
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,512}") {
        assert_well_formed(parse("f.toml", "f", &text));
    }

    #[test]
    fn mutated_builtins_never_panic(
        which in 0..BUILTINS.len(),
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..12),
    ) {
        let bytes = mutate(BUILTINS[which].source, &edits);
        assert_well_formed(parse_bytes("f.toml", "f", &bytes));
    }

    #[test]
    fn toml_shaped_noise_never_panics(
        lines in proptest::collection::vec(
            prop_oneof![
                Just("[[steps]]".to_string()),
                Just("[steps.timer]".to_string()),
                Just("[[steps.holds]]".to_string()),
                "[a-z_]{1,10} = \"[ -~]{0,12}\"",
                "(id|title|do|within|from|to|length|time|at|gap|estimate) = \"[0-9hms-]{0,8}\"",
                "(optional|before_bed) = (true|false)",
                "(drop_order|daily_limit) = -?[0-9]{1,20}",
                "window = \\{ (within|from|to) = \"[0-9]{1,3}[smh]\" \\}",
                "cues = \\[\\{ at = \"[0-9]{1,3}[sm]\", say = \"x\" \\}\\]",
            ],
            0..40,
        )
    ) {
        let text = format!("name = \"n\"\nsummary = \"s\"\n{}", lines.join("\n"));
        assert_well_formed(parse("f.toml", "f", &text));
    }
}

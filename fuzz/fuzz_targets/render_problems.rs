//! Feeds arbitrary bytes to the protocol and config parsers and renders what they find wrong:
//! the message must never carry a control character other than a line end, a line separator
//! or a text direction control, whatever the file (or its name) holds. The bytes before the
//! first NUL name the file; the rest is its content.
//! Run with a nightly toolchain: `cargo +nightly fuzz run render_problems`.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// Whether a terminal would act on `c` or reorder the line round it.
fn drives_the_terminal(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}'
        )
}

fn assert_printable(rendered: &str) {
    if let Some(c) = rendered.chars().find(|c| drives_the_terminal(*c)) {
        panic!("{c:?} in the message:\n{rendered:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let (name, content) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&b"fuzz.toml"[..], data),
    };
    let name = String::from_utf8_lossy(name);
    if let Err(problems) = postrun::core::protocol::parse_bytes(&name, "fuzz", content) {
        assert_printable(&problems.to_string());
        for headline in problems.headlines() {
            assert_printable(&headline);
            assert!(!headline.contains('\n'), "one line: {headline:?}");
        }
    }
    let text = String::from_utf8_lossy(content);
    if let Err(problems) = postrun::store::config::parse(std::path::Path::new(&*name), &text) {
        assert_printable(&problems.to_string());
    }
});

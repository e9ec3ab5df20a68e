//! What the TOML parser and serde say, in the runner's words and at the right place: shared
//! by protocols and the config file.
use std::ops::Range;

use super::problem::{Fault, Problem};

/// The most parts a dotted key may have: at 80 dots the TOML parser gives up (its recursion
/// limit).
const MOST_KEY_PARTS: usize = 80;

/// The parser's errors as problems, each said once (deep nesting makes it repeat one
/// complaint for every level).
pub fn problems(source: &str, errors: &[toml::de::Error]) -> Vec<Problem> {
    let mut list: Vec<Problem> = Vec::new();
    for e in errors {
        let (span, fault) = match e.span() {
            Some(span) => (span, Fault::Syntax(one_line(e.message()))),
            // The parser stops at a dotted key of too many parts without saying where; find it,
            // rather than pointing at 1:1.
            None if e.message().trim() == "recursion limit" => (
                deep_key(source).unwrap_or(0..0),
                Fault::Syntax(format!(
                    "a dotted key may have at most {MOST_KEY_PARTS} parts; nest fewer tables"
                )),
            ),
            None => (0..0, Fault::Syntax(one_line(e.message()))),
        };
        if list.iter().all(|p| p.fault != fault) {
            list.push(Problem { span, fault });
        }
    }
    list
}

/// A toml or serde message on one line, in the runner's words rather than Rust's: the raw
/// types say what they expect themselves (`#[serde(expecting)]`); any type name still left is
/// "a table".
pub fn one_line(message: &str) -> String {
    let words = message
        .trim()
        .lines()
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("; ")
        .replace("a sequence", "an array")
        .replace("a map", "a table");
    type_names(&words, "a table")
}

/// `message` with each Rust type name serde put in it (`struct RawHooks`, `enum Body`) said as
/// `what` instead.
pub fn type_names(message: &str, what: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    const KINDS: [&str; 7] = [
        "internally tagged enum ",
        "adjacently tagged enum ",
        "untagged enum ",
        "tuple struct ",
        "unit struct ",
        "struct ",
        "enum ",
    ];
    // The first kind named, the longest where two start at once.
    while let Some(at) = KINDS
        .iter()
        .filter_map(|kw| rest.find(kw).map(|i| (i, std::cmp::Reverse(kw.len()))))
        .min()
        .map(|(i, std::cmp::Reverse(len))| (i, len))
    {
        let (at, kw) = at;
        let name_len = rest[at + kw..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len() - at - kw);
        // "a struct " in prose is not a type name: a name starts with a capital.
        if !rest[at + kw..].starts_with(|c: char| c.is_ascii_uppercase()) {
            out.push_str(&rest[..at + kw]);
            rest = &rest[at + kw..];
            continue;
        }
        out.push_str(&rest[..at]);
        out.push_str(what);
        rest = &rest[at + kw + name_len..];
    }
    out.push_str(rest);
    numbers_in_words(&out)
}

/// serde's words for numbers and flattened enums, as a runner reads them: "expected u64"
/// is "expected a whole number", and "no variant of ... found in flattened data" is a line
/// of a kind postrun does not write.
fn numbers_in_words(message: &str) -> String {
    if message.contains("found in flattened data") {
        return "not a kind of line postrun writes".to_string();
    }
    let mut out = message.to_string();
    for (rust, words) in [
        ("usize", "a whole number"),
        ("u64", "a whole number"),
        ("u32", "a whole number"),
        ("u16", "a whole number"),
        ("u8", "a whole number"),
        ("i64", "a whole number"),
        ("i32", "a whole number"),
        ("f64", "a number"),
        ("f32", "a number"),
    ] {
        out = out.replace(&format!("expected {rust}"), &format!("expected {words}"));
    }
    out
}

/// Where the first dotted key of more than [`MOST_KEY_PARTS`] parts starts, found by reading
/// the source as TOML's lexer would, as far as keys go: bare and quoted parts joined by dots,
/// with strings and comments stepped over.
fn deep_key(source: &str) -> Option<Range<usize>> {
    let bytes = source.as_bytes();
    let mut i = 0;
    // Where the key being read starts, how many dots it has, and whether a part came last.
    let (mut start, mut dots, mut part) = (0, 0, false);
    while i < bytes.len() {
        let b = bytes[i];
        let bare = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
        match b {
            b'#' => {
                i = source[i..].find('\n').map_or(bytes.len(), |n| i + n);
                part = false;
                dots = 0;
                continue;
            }
            b'"' | b'\'' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'-' => {
                if part || dots == 0 {
                    (start, dots) = (i, 0);
                }
                part = true;
                i = if bare(b) {
                    i + bytes[i..].iter().take_while(|b| bare(**b)).count()
                } else {
                    string_end(bytes, i)
                };
                continue;
            }
            b'.' if part => {
                dots += 1;
                part = false;
                if dots >= MOST_KEY_PARTS {
                    return Some(start..i + 1);
                }
            }
            b' ' | b'\t' => {}
            _ => {
                part = false;
                dots = 0;
            }
        }
        i += 1;
    }
    None
}

/// The byte after the string that starts at `at` (basic or literal, one line or three
/// quotes), or the end of the source.
fn string_end(bytes: &[u8], at: usize) -> usize {
    let quote = bytes[at];
    let triple = bytes[at..].starts_with(&[quote; 3]);
    let mut i = at + if triple { 3 } else { 1 };
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 1,
            b'\n' if !triple => return i,
            q if q == quote && (!triple || bytes[i..].starts_with(&[quote; 3])) => {
                return i + if triple { 3 } else { 1 };
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_deep_dotted_key_is_found_where_it_starts() {
        let key = vec!["a"; 200].join(".");
        let source = format!("name = \"x\" # a.b.c\ns = \"{}\"\n\n  {key} = 1\n", key);
        let at = deep_key(&source).unwrap();
        assert_eq!(&source[at.start..at.start + 4], "a.a.");
        assert_eq!(
            source[..at.start].matches('\n').count(),
            3,
            "on the fourth line"
        );
        let quoted = format!("[{}]\n", vec!["\"x.y\""; 90].join(" . "));
        assert_eq!(deep_key(&quoted).map(|r| r.start), Some(1));
        assert_eq!(
            deep_key(&format!("x = {}\n", vec!["1.5"; 100].join(", "))),
            None
        );
        assert_eq!(deep_key(&format!("a{}\n", ".a".repeat(79))), None);
    }

    #[test]
    fn rust_type_names_become_words() {
        assert_eq!(
            type_names(
                "invalid type: integer `3`, expected struct RawHooks",
                "a table"
            ),
            "invalid type: integer `3`, expected a table"
        );
        assert_eq!(
            type_names(
                "expected enum Body or struct X_1; a struct field",
                "an object"
            ),
            "expected an object or an object; a struct field"
        );
    }
}

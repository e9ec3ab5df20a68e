//! What is wrong with a protocol file, and where: `FILE:LINE:COL: message`, then the line with a
//! caret under the column, as rustc prints it.
use std::fmt;
use std::ops::Range;

use annotate_snippets::{Level, Renderer, Snippet};

use crate::core::printable;

/// One thing wrong with a protocol.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[allow(missing_docs)] // each variant's message documents it
pub enum Fault {
    #[error("{0}")]
    Syntax(String),
    #[error("{0}")]
    WrongType(String),
    #[error(
        "the file is {bytes} bytes; a protocol may be at most {} bytes",
        super::MAX_FILE_BYTES
    )]
    TooLarge { bytes: usize },
    #[error("the file is not valid UTF-8 text")]
    NotUtf8,
    #[error("unknown key '{key}' in {place}; did you mean '{suggestion}'?")]
    UnknownKeyNear {
        key: String,
        place: &'static str,
        suggestion: &'static str,
    },
    #[error("unknown key '{key}' in {place}; expected one of: {}", known.join(", "))]
    UnknownKey {
        key: String,
        place: &'static str,
        known: &'static [&'static str],
    },
    #[error("{place} needs '{key}'")]
    Missing {
        key: &'static str,
        place: &'static str,
    },
    #[error("the protocol has no steps; add at least one [[steps]] table")]
    NoSteps,
    #[error("'{key}' is empty; write some text")]
    Empty { key: &'static str },
    #[error(
        "step id '{0}' must be kebab-case: lowercase letters and digits joined by single dashes, like 'ice-bath'"
    )]
    BadId(String),
    #[error("step id '{id}' is already used by step {first}; ids must be unique")]
    DuplicateId { id: String, first: usize },
    #[error(
        "'{key}' contains the control character {code}; text must be plain, without escape sequences"
    )]
    ControlChar { key: &'static str, code: String },
    #[error("'{key}': {why}")]
    Quantity { key: &'static str, why: String },
    #[error("'{key}': {fault}")]
    Duration {
        key: &'static str,
        fault: super::DurationFault,
    },
    #[error("the window ends before it starts: 'to' ({to}) comes before 'from' ({from}){hint}")]
    WindowBackwards {
        from: String,
        to: String,
        hint: &'static str,
    },
    #[error("a window takes either 'within', or 'from' and 'to', not both")]
    WindowBoth,
    #[error("'before_bed' goes with 'from' and 'to', not with 'within'")]
    BeforeBedWithin,
    #[error("a step has a 'timer' or 'holds', not both")]
    TimerAndHolds,
    #[error("'estimate' is for steps without a timer or holds; their time is known")]
    EstimateTimed,
    #[error("'gap' goes with 'holds'")]
    GapWithoutHolds,
    #[error("'drop_order' is for optional steps; add 'optional = true' or remove it")]
    DropOrderRequired,
    #[error("'{key}' must be a whole number from 1 to {max}")]
    NotCount { key: &'static str, max: i64 },
    #[error("a side's name is empty; name it, like \"left leg\"")]
    EmptySide,
    #[error("'{key}' must be a whole number from 1 to {max}, not {value}")]
    OutOfRange {
        key: &'static str,
        value: i64,
        max: i64,
    },
    #[error("the cue at {at} is past the end of its {end} timer")]
    CuePastEnd { at: String, end: String },
    #[error("target {target} is outside the timer's range {length}")]
    TargetOutside { target: String, length: String },
    #[error("'holds' is empty; add at least one [[steps.holds]] table")]
    NoHolds,
    #[error("'sides' is empty; leave it out for a hold without sides")]
    NoSides,
}

/// A fault at a byte range of the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Byte range in the source it points at.
    pub span: Range<usize>,
    /// What is wrong.
    pub fault: Fault,
}

/// Every problem found in one file, with the source to show them against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problems {
    /// The file as named to the runner.
    pub path: String,
    /// Its text.
    pub source: String,
    /// In source order; never empty.
    pub list: Vec<Problem>,
}

impl Problems {
    /// Problems of one file, put in source order.
    pub fn sorted(path: &str, source: &str, mut list: Vec<Problem>) -> Self {
        list.sort_by_key(|p| (p.span.start, p.span.end));
        Problems {
            path: path.to_string(),
            source: source.to_string(),
            list,
        }
    }

    /// A single problem.
    pub fn one(path: &str, source: String, span: Range<usize>, fault: Fault) -> Self {
        Problems {
            path: path.to_string(),
            source,
            list: vec![Problem { span, fault }],
        }
    }

    /// Each problem's first line, `FILE:LINE:COL: message`, without the snippet.
    pub fn headlines(&self) -> Vec<String> {
        self.list.iter().map(|p| self.headline(p)).collect()
    }

    /// `FILE:LINE:COL: message`, printable: a fault quotes what the file says (an unknown
    /// key, a duration as written), and neither it nor the file's name may drive the terminal.
    fn headline(&self, p: &Problem) -> String {
        let (line, col) = line_col(&self.source, p.span.start);
        printable::printable(&format!("{}:{line}:{col}: {}", self.path, p.fault))
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The line is cut to SHOWN_WIDTH characters here already. The renderer's own cutting
        // measures lines in bytes but margins in characters, and overflows where they differ
        // (a fuzzer find: leading spaces, then many three-byte characters); at this width it
        // never cuts.
        let renderer = Renderer::plain().term_width(RENDER_WIDTH);
        for (i, p) in self.list.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{}", self.headline(p))?;
            // One line, as the headline: the renderer's title line is dropped below, and a
            // message broken over two would leave its second line behind, raw.
            let message = printable::printable(&p.fault.to_string());
            let (line_no, _) = line_col(&self.source, p.span.start);
            let (shown, span) = excerpt(&self.source, &p.span);
            let origin = printable::printable(&self.path);
            let snippet = Snippet::source(&shown)
                .line_start(line_no)
                .origin(&origin)
                .annotation(Level::Error.span(span).label(""));
            // The renderer has panicked on odd input before (found by fuzzing, since worked
            // around); should it again, the headline alone still says file, line and column.
            let rendered = std::panic::catch_unwind(|| {
                renderer
                    .render(Level::Error.title(&message).snippet(snippet))
                    .to_string()
            })
            .unwrap_or_default();
            // Our headline replaces annotate-snippets' `error: message` title line. The rest is
            // printable already; made so again, it stays so whatever the renderer does.
            // Its `-->` line counts columns in the cut excerpt; ours count in the whole line.
            let (_, col) = line_col(&self.source, p.span.start);
            let arrow = format!("--> {origin}:{line_no}:");
            for line in rendered.lines().skip(1) {
                let line = match line.find(&arrow) {
                    Some(at) => format!("{}{arrow}{col}", &line[..at]),
                    None => line.to_string(),
                };
                writeln!(f, "{}", printable::printable(&line))?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// A source line made printable for showing under an error ([`printable::same_length`]):
/// each character keeps its byte length, so every span still points where it did.
fn shown_line(line: &str) -> String {
    // annotate-snippets widens tabs itself and then miscounts its margins, and a lone carriage
    // return confuses them too (fuzzer finds); one space keeps the byte length and the column.
    printable::same_length(&line.replace(['\t', '\r'], " "))
}

/// Longest stretch of a line shown under an error, in characters.
const SHOWN_WIDTH: usize = 100;

/// The width the renderer is told it has: more than any excerpt takes, even in bytes
/// ([`SHOWN_WIDTH`] characters of at most four bytes, two `…` marks, the margin).
const RENDER_WIDTH: usize = 4 * SHOWN_WIDTH + 100;

/// The line a problem starts on, made printable and cut to [`SHOWN_WIDTH`] characters around
/// the fault, with the span moved into it. Short lines keep annotate-snippets away from its
/// margin arithmetic, which overflows on long, whitespace-heavy lines (found by fuzzing).
fn excerpt(source: &str, span: &Range<usize>) -> (String, Range<usize>) {
    let span = clamp(source, span);
    let line_start = source[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[span.start..]
        .find('\n')
        .map_or(source.len(), |i| span.start + i);
    let line = shown_line(&source[line_start..line_end]);
    // Byte offsets of the span within the line (a multi-line span stops at the line's end).
    let (start, end) = (span.start - line_start, span.end.min(line_end) - line_start);
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    if chars.len() <= SHOWN_WIDTH {
        return (line, start..end.max(start));
    }
    // A window of characters around the start of the span, marked as cut with '…'.
    let at = chars
        .iter()
        .position(|(b, _)| *b >= start)
        .unwrap_or(chars.len());
    let from = at.saturating_sub(SHOWN_WIDTH / 3);
    let to = (from + SHOWN_WIDTH).min(chars.len());
    let byte = |i: usize| chars.get(i).map_or(line.len(), |(b, _)| *b);
    let (from_b, to_b) = (byte(from), byte(to));
    let prefix = if from > 0 { "…" } else { "" };
    let shown = format!(
        "{prefix}{}{}",
        &line[from_b..to_b],
        if to < chars.len() { "…" } else { "" }
    );
    let shift = |b: usize| b.clamp(from_b, to_b) - from_b + prefix.len();
    (shown, shift(start)..shift(end).max(shift(start)))
}

/// A span cut to the source and to character boundaries, so rendering never panics.
fn clamp(source: &str, span: &Range<usize>) -> Range<usize> {
    let fix = |mut i: usize| {
        i = i.min(source.len());
        while !source.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = fix(span.start);
    start..fix(span.end).max(start)
}

/// The 1-based line and column (counted in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = clamp(source, &(offset..offset)).start;
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_from_one() {
        let src = "a = 1\nbé = \"x\"\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 4), (1, 5));
        assert_eq!(line_col(src, 6), (2, 1));
        // 'é' is two bytes but one column.
        assert_eq!(line_col(src, 11), (2, 5));
        assert_eq!(line_col(src, 999), (3, 1));
        // Inside a multi-byte character: the character's own column.
        assert_eq!(line_col(src, 8), (2, 2));
    }

    #[test]
    fn renders_headline_then_the_line_with_a_caret() {
        let problems = Problems::one(
            "p.toml",
            "x = 1\nid = \"\"\n".into(),
            11..13,
            Fault::Empty { key: "id" },
        );
        let text = problems.to_string();
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("p.toml:2:6: 'id' is empty; write some text")
        );
        assert!(text.contains("2 | id = \"\""), "{text}");
        assert!(text.contains("^^"), "{text}");
        assert!(!text.contains("error:"), "{text}");
    }

    #[test]
    fn the_echoed_line_carries_no_control_characters() {
        let source = "title = \"a\u{1b}[31m\u{9b}b\u{202e}c\"\n";
        let p = Problems::one("p", source.into(), 8..9, Fault::NoSteps);
        let text = p.to_string();
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert!(text.contains("a?[31m¿b\u{FFFD}c"), "{text}");
    }

    /// The fuzzer's finds must be refused with a headline and a rendered snippet.
    fn assert_renders(bytes: &[u8]) {
        let Err(p) = crate::core::protocol::parse_bytes("f.toml", "f", bytes) else {
            panic!("not a protocol");
        };
        let text = p.to_string();
        assert!(text.starts_with("f.toml:"), "{text}");
        assert!(
            text.contains(" --> f.toml:"),
            "the snippet rendered too: {text}"
        );
    }

    #[test]
    fn rendering_survives_what_the_fuzzer_found() {
        // A crash found by `cargo fuzz`: form feeds and invalid UTF-8 made annotate-snippets
        // subtract with overflow.
        let mut bytes = vec![12u8; 15];
        bytes.extend([244, 12, 12, 12, 12, 133, 133, 133, 133]);
        bytes.extend([255; 46]);
        bytes.extend([133, 39, 41, 11, 39]);
        assert_renders(&bytes);
    }

    #[test]
    fn rendering_survives_long_runs_of_tabs() {
        // The fuzzer's fourth find: a hundred tabs, then a short value.
        let mut bytes = vec![9u8; 130];
        bytes[4] = 13;
        bytes.extend([2, 38, 45, 34, 34, 45, 2, 10, 2, 10, 34]);
        assert_renders(&bytes);
    }

    #[test]
    fn a_long_line_is_shown_around_the_fault() {
        let source = format!("title = \"{}\u{1b}{}\"\n", "a".repeat(300), "b".repeat(300));
        let p = Problems::one("p", source.clone(), 308..309, Fault::NoSteps);
        let text = p.to_string();
        assert!(text.contains("…aaaa"), "{text}");
        assert!(text.contains("bbbb…"), "{text}");
        assert!(text.lines().all(|l| l.chars().count() < 130), "{text}");
    }

    #[test]
    fn rendering_survives_carriage_returns_and_a_long_bad_line() {
        // The fuzzer's third find: a tab, many lone CRs, then a long run of invalid UTF-8.
        let mut bytes = vec![15u8, 35, 10, 35, 10, 9];
        bytes.extend([13; 46]);
        bytes.push(93);
        bytes.extend([255; 64]);
        bytes.extend([13; 4]);
        assert_renders(&bytes);
    }

    #[test]
    fn rendering_survives_leading_spaces_before_wide_bytes() {
        // The fuzzer's fifth find (through the config parser): a span in a long run of
        // leading spaces on a line of three-byte characters.
        for (spaces, at) in [(28, 0), (28, 5), (60, 30)] {
            let line = format!("{}x{}\n", " ".repeat(spaces), "\u{FFFD}".repeat(61));
            let p = Problems::one("p", line, at..at + 1, Fault::NoSteps);
            let text = p.to_string();
            assert!(
                text.contains(" --> p:1:"),
                "the snippet rendered too: {text}"
            );
        }
        let mut bytes = b"name = 1\n".to_vec();
        bytes.extend([b'\r'; 28]);
        bytes.extend(b"x = \"");
        bytes.extend([0xff; 61]);
        let text = String::from_utf8_lossy(&bytes);
        let Err(problems) = crate::core::protocol::parse("f.toml", "f", &text) else {
            panic!("not a protocol");
        };
        assert!(problems.to_string().contains(" --> f.toml:"), "{problems}");
    }

    #[test]
    fn rendering_survives_tabs_before_invalid_utf8() {
        // The fuzzer's second find: tabs, then invalid UTF-8, then `==[[`.
        let mut bytes = vec![9u8; 11];
        bytes.extend([128; 62]);
        bytes.extend(b"==[[");
        assert_renders(&bytes);
    }

    #[test]
    fn rendering_survives_spans_past_the_end_and_inside_characters() {
        #[allow(clippy::reversed_empty_ranges)]
        let spans = [0..0, 5..5, 999..1000, 1..2, 2..1];
        for span in spans {
            let p = Problems::one("p", "é\n".into(), span, Fault::NoSteps);
            assert!(p.to_string().starts_with("p:"));
        }
    }
}

//! The one rule for text from outside (a protocol or config file, a session log, a hook, a
//! typed line, the command line): before it reaches the terminal, every character that could
//! drive the terminal rather than be shown by it is replaced. That is every control character
//! (C0, DEL and C1, so no escape sequence, bell or carriage return), the line and paragraph
//! separators, and the text-direction marks, embeddings, overrides and isolates (which could
//! reorder what a line seems to say). [`shows`] is the rule; the rest apply it for each way
//! text goes out:
//!
//! - [`printable`]: one line (a note, an echo, a table cell): every such character becomes `?`.
//! - [`Printable`]: a writer for everything a command prints; it keeps line ends and tabs.
//! - [`json`]: JSON for scripts, where such characters are escaped as `\uXXXX` and so kept.
//! - [`same_length`]: a source line under an error, where each keeps its byte length so that
//!   spans still point where they did.
//! - [`cell`]: a cell of the full-screen guide, where each keeps its width.
//!
//! A protocol is held to it as well: its text fields may hold none of these characters.
//! [`width`] and [`fit`] measure and cut text by the columns it takes, so a wide character
//! (CJK) counts as two.
use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

/// Whether a terminal shows `c` as text, rather than acting on it or reordering the line.
pub fn shows(c: char) -> bool {
    !(c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        ))
}

/// Text made safe to show on one line: each character the terminal would not just show
/// becomes `?`, line ends included.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if shows(c) { c } else { '?' })
        .collect()
}

/// Text made safe to print as lines: as [`printable`], but keeping line ends (`\n`, and `\r`
/// right before one, as iCalendar's lines end) and tabs.
pub fn printable_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(match c {
            '\n' | '\t' => c,
            '\r' if chars.peek() == Some(&'\n') => c,
            c if shows(c) => c,
            _ => '?',
        });
    }
    out
}

/// JSON text (as serde_json writes it) made safe to print, losing nothing: serde_json escapes
/// the C0 controls itself but leaves DEL, C1 controls, separators and direction marks raw
/// inside strings; they become `\uXXXX` escapes, which read back as the same characters. Line
/// ends outside strings (pretty printing) are kept.
pub fn json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if shows(c) || c == '\n' {
            out.push(c);
        } else {
            // Every character the rule refuses is in the Basic Multilingual Plane.
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        }
    }
    out
}

/// Text made printable with each character keeping its byte length (`?`, `¿` or `�` for one,
/// two or three bytes), so byte offsets into it still point at the same places. Line ends are
/// kept.
pub fn same_length(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' => c,
            c if shows(c) => c,
            c => match c.len_utf8() {
                1 => '?',
                2 => '¿',
                _ => '\u{FFFD}',
            },
        })
        .collect()
}

/// One cell of the screen made printable, keeping its width: ratatui has laid the screen out
/// already, so a character of no width (a direction mark folded into the cell before it) is
/// left out, and one that takes a column becomes `?`. `None` when the cell is fine as it is.
pub fn cell(symbol: &str) -> Option<String> {
    // Printable ASCII, most cells, at a glance.
    if let &[b] = symbol.as_bytes()
        && (b == b' ' || b.is_ascii_graphic())
    {
        return None;
    }
    if symbol.chars().all(shows) {
        return None;
    }
    let kept: String = symbol
        .chars()
        .filter_map(|c| match c {
            c if shows(c) => Some(c),
            c if c.encode_utf8(&mut [0; 4]).width() == 0 => None,
            _ => Some('?'),
        })
        .collect();
    Some(if kept.is_empty() { " ".into() } else { kept })
}

/// The columns text takes on a terminal once printable: a wide character (CJK) takes two, a
/// combining mark none.
pub fn width(text: &str) -> usize {
    printable(text).width()
}

/// Text made printable and cut to `columns` columns, the cut marked with `…`.
pub fn fit(text: &str, columns: usize) -> String {
    let text = printable(text);
    if text.width() <= columns {
        return text;
    }
    let mut cut = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.encode_utf8(&mut [0; 4]).width();
        if used + w + 1 > columns {
            break;
        }
        used += w;
        cut.push(c);
    }
    if columns > 0 {
        cut.push('…');
    }
    cut
}

/// Text made printable, cut to `columns` columns and padded with spaces to fill them.
pub fn pad(text: &str, columns: usize) -> String {
    let mut text = fit(text, columns);
    let fill = columns.saturating_sub(text.width());
    text.extend(std::iter::repeat_n(' ', fill));
    text
}

/// A writer that makes what goes through it printable ([`printable_lines`]): every command's
/// output and messages pass through one, so no text from outside reaches the terminal raw.
/// Bytes that are not UTF-8 come out as `�`; a character split across two writes is put back
/// together first.
#[derive(Debug)]
pub struct Printable<W: Write> {
    inner: W,
    /// The end of the last write: an unfinished character, or a `\r` that a `\n` may follow.
    held: Vec<u8>,
}

impl<W: Write> Printable<W> {
    /// A printable writer over `inner`.
    pub fn new(inner: W) -> Printable<W> {
        Printable {
            inner,
            held: Vec::new(),
        }
    }

    /// The writer underneath, for bytes that are ours on purpose (the plain guide's bell).
    pub fn raw(&mut self) -> io::Result<&mut W> {
        self.release()?;
        Ok(&mut self.inner)
    }

    /// Writes out what was held back, as it stands.
    fn release(&mut self) -> io::Result<()> {
        if self.held.is_empty() {
            return Ok(());
        }
        let held = std::mem::take(&mut self.held);
        let text = printable_lines(&String::from_utf8_lossy(&held));
        self.inner.write_all(text.as_bytes())
    }
}

impl<W: Write> Write for Printable<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut bytes = std::mem::take(&mut self.held);
        bytes.extend_from_slice(buf);
        let mut text = String::with_capacity(bytes.len());
        let mut rest: &[u8] = &bytes;
        while !rest.is_empty() {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    text.push_str(s);
                    rest = &[];
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    text.push_str(&String::from_utf8_lossy(good));
                    match e.error_len() {
                        Some(n) => {
                            text.push('\u{FFFD}');
                            rest = &bad[n..];
                        }
                        // Cut off mid-character: the next write may finish it.
                        None => break,
                    }
                }
            }
        }
        let mut held = rest.to_vec();
        if text.ends_with('\r') {
            text.pop();
            held.insert(0, b'\r');
        }
        self.held = held;
        self.inner.write_all(printable_lines(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.release()?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for Printable<W> {
    fn drop(&mut self) {
        // Nowhere is left to report a failure to.
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const HOSTILE: &str = "a\u{1b}]52;c;eA==\u{7}b\u{9b}2J\r\n\u{2028}\u{202E}z\u{2066}";

    #[test]
    fn nothing_from_outside_can_drive_the_terminal() {
        assert_eq!(printable(HOSTILE), "a?]52;c;eA==?b?2J????z?");
        assert_eq!(
            printable("Ice bath: 12-15 °C, 足"),
            "Ice bath: 12-15 °C, 足"
        );
        assert_eq!(printable_lines(HOSTILE), "a?]52;c;eA==?b?2J\r\n??z?");
        assert_eq!(printable_lines("a\rb\tc\n"), "a?b\tc\n");
    }

    #[test]
    fn json_keeps_every_character_as_an_escape() {
        let value = serde_json::json!({ "title": HOSTILE, "x": "\u{7f}\u{85}" });
        let text = json(&serde_json::to_string_pretty(&value).unwrap());
        assert!(text.chars().all(|c| shows(c) || c == '\n'), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn same_length_keeps_every_byte_offset() {
        let shown = same_length(HOSTILE);
        assert_eq!(shown.len(), HOSTILE.len());
        assert!(shown.chars().all(|c| shows(c) || c == '\n'), "{shown:?}");
        for (a, b) in HOSTILE.char_indices().zip(shown.char_indices()) {
            assert_eq!(a.0, b.0);
        }
    }

    #[test]
    fn a_cell_keeps_its_width() {
        assert_eq!(cell("a"), None);
        assert_eq!(cell("足"), None);
        assert_eq!(cell("a\u{202E}").as_deref(), Some("a"));
        assert_eq!(cell("\u{2028}").as_deref(), Some("?"));
        assert_eq!(cell("\u{1b}").as_deref(), Some("?"));
        assert_eq!(cell("\u{2066}").as_deref(), Some(" "));
    }

    #[test]
    fn wide_text_is_cut_by_columns() {
        assert_eq!(width("足足a"), 5);
        assert_eq!(fit("足足足足", 5), "足足…");
        assert_eq!(width(&fit("足足足足", 5)), 5);
        assert_eq!(fit("ice bath", 8), "ice bath");
        assert_eq!(fit("ice bath", 4), "ice…");
        assert_eq!(fit("ice", 0), "");
        assert_eq!(pad("足", 4), "足  ");
        assert_eq!(pad("a\u{202E}", 3), "a? ");
    }

    #[test]
    fn the_writer_escapes_across_writes_and_keeps_line_ends() {
        let mut w = Printable::new(Vec::new());
        let text = "ok 足\r\nx\u{1b}[2J\u{9b}\n";
        // Byte by byte: characters and CR LF split across writes come out whole.
        for b in text.as_bytes() {
            w.write_all(&[*b]).unwrap();
        }
        w.write_all(b"bad \xff\xfe end\r").unwrap();
        w.flush().unwrap();
        let out = String::from_utf8(w.inner.clone()).unwrap();
        assert_eq!(out, "ok 足\r\nx?[2J?\nbad \u{FFFD}\u{FFFD} end?");
    }
}

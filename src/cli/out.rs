//! Where every command's output and messages go: standard output and standard error, each
//! through the printable writer ([`Printable`]), so nothing a file, a log, a hook or the
//! command line holds reaches the terminal raw, whichever message quotes it. JSON is escaped
//! the JSON way instead, so scripts get every character back. `src/layers.rs` checks that
//! nothing else in the program writes to either.
use std::fmt;
use std::io::{self, StderrLock, StdoutLock, Write};

use crate::core::printable::{self, Printable};

/// Standard output, made printable.
pub fn stdout() -> Printable<StdoutLock<'static>> {
    Printable::new(io::stdout().lock())
}

/// Standard error, made printable.
pub fn stderr() -> Printable<StderrLock<'static>> {
    Printable::new(io::stderr().lock())
}

/// Says something on standard error, on a line of its own. A failed write is let go: there
/// is nowhere left to say it.
pub fn tell_line(what: fmt::Arguments) {
    let _ = writeln!(stderr(), "{what}");
}

/// `value` as pretty JSON, printable: characters a terminal would act on are `\uXXXX`
/// escapes, which read back as themselves.
pub fn json(value: &serde_json::Value) -> serde_json::Result<String> {
    Ok(printable::json(&serde_json::to_string_pretty(value)?))
}

/// `eprintln!` through the printable writer: `tell!("postrun: warning: {w}")`.
macro_rules! tell {
    ($($arg:tt)*) => {
        $crate::cli::out::tell_line(format_args!($($arg)*))
    };
}
pub(crate) use tell;

//! How a command fails, and so how postrun exits: the kind of error decides the exit code and
//! what is said, so `main` matches on it instead of searching a chain of messages for one.
use std::fmt;
use std::io::{self, Write};

use crate::core::protocol::Problems;
use crate::shell::scheduler;
use crate::store::catalog::CatalogError;
use crate::store::{self, Busy};

use super::out::{self, tell};

/// Why a command failed: what went wrong, and what was being done when it did.
#[derive(Debug)]
pub struct Failure {
    kind: Kind,
    /// What was being done, innermost first (`cannot reopen the session log`).
    context: Vec<String>,
}

/// What went wrong, as far as the exit code and the message care.
#[derive(Debug)]
pub enum Kind {
    /// The command line is wrong: clap says how, exit 2. Clap reports `--help` and
    /// `--version` the same way; those print to stdout and exit 0.
    Usage(clap::Error),
    /// A protocol or config file has problems: each is printed at its file, line and column;
    /// exit 1.
    Problems(Box<Problems>),
    /// Another window has the session: that alone is said, exit 2.
    Busy(Busy),
    /// Whoever reads the output stopped reading (`postrun history | head`): their choice, not
    /// an error, so nothing is said and the exit is 0.
    BrokenPipe,
    /// Anything else: `postrun: MESSAGE`, exit 2.
    Other(anyhow::Error),
}

impl Failure {
    /// A command line that asks for what cannot be: `postrun: WHY`, exit 2.
    pub fn usage(why: impl Into<String>) -> Failure {
        Failure::from(anyhow::anyhow!(why.into()))
    }

    /// What went wrong.
    pub fn kind(&self) -> &Kind {
        &self.kind
    }

    /// The failure, said to have happened while doing `what`.
    pub fn context(mut self, what: impl fmt::Display) -> Failure {
        self.context.push(what.to_string());
        self
    }

    /// The exit code its kind calls for.
    pub fn exit_code(&self) -> u8 {
        match &self.kind {
            Kind::Usage(e) if !e.use_stderr() => 0,
            Kind::BrokenPipe => 0,
            Kind::Problems(_) => 1,
            Kind::Usage(_) | Kind::Busy(_) | Kind::Other(_) => 2,
        }
    }

    /// Says on stderr (stdout for `--help`) what went wrong, as its kind wants it said, through
    /// the printable writer: a message may quote a file, a log or the command line.
    pub fn report(&self) {
        match &self.kind {
            // `--help` and `--version`: clap's own words, in its colours.
            Kind::Usage(e) if !e.use_stderr() => {
                let _ = e.print();
            }
            // A usage error quotes the command line: plain text (clap's colours would be
            // escaped), made printable.
            Kind::Usage(e) => {
                let _ = write!(out::stderr(), "{}", e.render());
            }
            Kind::Problems(problems) => {
                let _ = write!(out::stderr(), "{problems}");
            }
            Kind::Busy(busy) => tell!("postrun: {busy}"),
            Kind::BrokenPipe => {}
            Kind::Other(_) => tell!("postrun: {self}"),
        }
    }
}

/// The whole message: what was being done, outermost first, then what went wrong with its
/// causes (`cannot reopen the session log: PATH: Permission denied`).
impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for what in self.context.iter().rev() {
            write!(f, "{what}: ")?;
        }
        match &self.kind {
            Kind::Usage(e) => write!(f, "{e}"),
            Kind::Problems(problems) => write!(f, "{problems}"),
            Kind::Busy(busy) => write!(f, "{busy}"),
            Kind::BrokenPipe => write!(f, "the output was closed"),
            Kind::Other(e) => write!(f, "{e:#}"),
        }
    }
}

/// Its message holds its causes already, so it has no source: a chain would say them twice.
impl std::error::Error for Failure {}

impl From<Kind> for Failure {
    fn from(kind: Kind) -> Failure {
        Failure {
            kind,
            context: Vec::new(),
        }
    }
}

impl From<clap::Error> for Failure {
    fn from(e: clap::Error) -> Failure {
        Kind::Usage(e).into()
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        if e.kind() == io::ErrorKind::BrokenPipe {
            Kind::BrokenPipe.into()
        } else {
            Kind::Other(e.into()).into()
        }
    }
}

impl From<serde_json::Error> for Failure {
    fn from(e: serde_json::Error) -> Failure {
        Kind::Other(e.into()).into()
    }
}

impl From<CatalogError> for Failure {
    fn from(e: CatalogError) -> Failure {
        match e {
            CatalogError::Invalid(problems) => Kind::Problems(problems),
            e => Kind::Other(e.into()),
        }
        .into()
    }
}

impl From<store::Error> for Failure {
    fn from(e: store::Error) -> Failure {
        match e {
            store::Error::Busy(busy) => Kind::Busy(busy),
            e => Kind::Other(e.into()),
        }
        .into()
    }
}

impl From<scheduler::Error> for Failure {
    fn from(e: scheduler::Error) -> Failure {
        match e {
            scheduler::Error::Store(e) => e.into(),
            e => Kind::Other(e.into()).into(),
        }
    }
}

/// For what the shell's loop and the front ends report through `anyhow`: their output is the
/// terminal or stdout, and a closed stdout among the causes is still a reader who stopped.
impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        let closed = e
            .chain()
            .filter_map(|cause| cause.downcast_ref::<io::Error>())
            .any(|cause| cause.kind() == io::ErrorKind::BrokenPipe);
        if closed {
            Kind::BrokenPipe.into()
        } else {
            Kind::Other(e).into()
        }
    }
}

/// `.context(..)` for results whose error becomes a [`Failure`], as `anyhow::Context` does for
/// `anyhow::Error`, but keeping the kind that decides the exit code.
pub trait Context<T> {
    /// Says what was being done when it failed.
    fn context(self, what: impl fmt::Display) -> Result<T, Failure>;
    /// Says what was being done when it failed, worked out only if it did.
    fn with_context<D: fmt::Display>(self, what: impl FnOnce() -> D) -> Result<T, Failure>;
}

impl<T, E: Into<Failure>> Context<T> for Result<T, E> {
    fn context(self, what: impl fmt::Display) -> Result<T, Failure> {
        self.map_err(|e| e.into().context(what))
    }

    fn with_context<D: fmt::Display>(self, what: impl FnOnce() -> D) -> Result<T, Failure> {
        self.map_err(|e| e.into().context(what()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn busy() -> store::Error {
        store::Error::Busy(Busy { pid: Some(7) })
    }

    #[test]
    fn the_kind_decides_the_exit_code() {
        let other = Failure::from(anyhow::anyhow!("no"));
        assert_eq!(other.exit_code(), 2);
        assert_eq!(Failure::from(busy()).exit_code(), 2);
        let closed = io::Error::from(io::ErrorKind::BrokenPipe);
        assert_eq!(Failure::from(closed).exit_code(), 0);
        let problems = crate::core::protocol::parse("x", "x", "name = 3\n").unwrap_err();
        let invalid = CatalogError::Invalid(Box::new(problems));
        assert_eq!(Failure::from(invalid).exit_code(), 1);
    }

    #[test]
    fn context_is_said_first_and_the_kind_is_kept() {
        let failure: Result<(), Failure> = Err(busy()).context("cannot reopen the session log");
        let failure = failure.unwrap_err();
        assert!(matches!(failure.kind(), Kind::Busy(b) if b.pid == Some(7)));
        assert!(
            failure
                .to_string()
                .starts_with("cannot reopen the session log: this session is open in another"),
            "{failure}"
        );
        let chained = anyhow::anyhow!("disk full").context("cannot write x");
        let failure = Failure::from(chained).context("cannot start");
        assert_eq!(
            failure.to_string(),
            "cannot start: cannot write x: disk full"
        );
    }

    #[test]
    fn a_closed_output_deep_in_the_shells_report_is_still_quiet() {
        let e = anyhow::Error::new(io::Error::from(io::ErrorKind::BrokenPipe)).context("show");
        assert!(matches!(Failure::from(e).kind(), Kind::BrokenPipe));
    }
}

//! Why reminders could not be set or taken back: the schedulers that cannot be used here, the
//! programs that failed, and the record that could not be kept.
use std::io;
use std::process::ExitStatus;

/// Why a scheduler cannot be used, a reminder could not be set or taken back, or the record
/// of them could not be kept.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A program a scheduler needs is not on `PATH`.
    #[error("{program} is not installed")]
    NotInstalled {
        /// The program.
        program: &'static str,
    },
    /// A program a scheduler needs is there but could not be run.
    #[error("{program} cannot run ({error})")]
    CannotRun {
        /// The program.
        program: &'static str,
        /// Why.
        error: io::Error,
    },
    /// `systemctl --user` said nothing: no user manager to ask.
    #[error("no user systemd answers ({said})")]
    NoAnswer {
        /// The first line it wrote to stderr.
        said: String,
    },
    /// The user's systemd is not up.
    #[error("no user systemd is running (`systemctl --user is-system-running` says {state})")]
    NotRunning {
        /// The state it reports.
        state: String,
    },
    /// A program a scheduler needs runs but fails.
    #[error("{program} fails ({said})")]
    Fails {
        /// The program.
        program: &'static str,
        /// The first line it wrote to stderr.
        said: String,
    },
    /// A program could not be run, or fed its input.
    #[error("{error}")]
    Run {
        /// The program.
        program: &'static str,
        /// Why.
        error: io::Error,
    },
    /// A program failed and said nothing on stderr.
    #[error("{program} failed ({status})")]
    Failed {
        /// The program.
        program: &'static str,
        /// How it ended.
        status: ExitStatus,
    },
    /// A program failed, saying why.
    #[error("{program}: {said}")]
    Said {
        /// The program.
        program: &'static str,
        /// The first line it wrote to stderr.
        said: String,
    },
    /// `at` took the job but its report names no job number.
    #[error("at gave no job number ({report})")]
    NoJob {
        /// What `at` said.
        report: String,
    },
    /// This binary's own path, for the scheduler to run, is not to be had.
    #[error("{0}")]
    Exe(io::Error),
    /// The record of reminders could not be read or written.
    #[error(transparent)]
    Store(#[from] crate::store::Error),
}

/// Two reasons are the same when they say the same: the system's errors have no equality of
/// their own.
impl PartialEq for Error {
    fn eq(&self, other: &Error) -> bool {
        self.to_string() == other.to_string()
    }
}

impl Eq for Error {}

/// Why neither scheduler can be used.
#[derive(Debug, PartialEq, Eq)]
pub struct Missing {
    /// What is wrong with systemd.
    pub systemd: Error,
    /// What is wrong with `at`.
    pub at: Error,
}

/// A reminder that could not be set, and why.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("{title}: {error}")]
pub struct Unset {
    /// The reminder's title.
    pub title: String,
    /// Why.
    pub error: Error,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reason_reads_as_before() {
        let said = |e: Error| e.to_string();
        assert_eq!(
            said(Error::NotInstalled { program: "at" }),
            "at is not installed"
        );
        let gone = io::Error::from(io::ErrorKind::PermissionDenied);
        assert_eq!(
            said(Error::CannotRun {
                program: "atq",
                error: gone
            }),
            "atq cannot run (permission denied)"
        );
        assert_eq!(
            said(Error::NotRunning {
                state: "offline".into()
            }),
            "no user systemd is running (`systemctl --user is-system-running` says offline)"
        );
        assert_eq!(
            said(Error::Fails {
                program: "atq",
                said: "no atd".into()
            }),
            "atq fails (no atd)"
        );
        let unset = Unset {
            title: "Meal".into(),
            error: Error::Said {
                program: "at",
                said: "garbled time".into(),
            },
        };
        assert_eq!(unset.to_string(), "Meal: at: garbled time");
    }
}

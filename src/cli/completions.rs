//! `postrun completions SHELL`: a completion script for the shell. The script asks postrun
//! itself what to offer at each Tab (clap_complete's dynamic completion, through
//! `POSTRUN_COMPLETE`), so routine names come from the config folder as it is at that moment,
//! and hidden commands are never offered.
use std::ffi::OsStr;
use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate, PathCompleter};
use clap_complete::env::{self, EnvCompleter};

use super::Failure;
use super::out;
use crate::store::catalog::{self, Folders};

/// The variable the scripts set to ask postrun for completions. Not clap's default `COMPLETE`,
/// so a variable of that common name in the runner's environment never takes postrun over.
pub const VAR: &str = "POSTRUN_COMPLETE";

/// The shells there are scripts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    /// Bash.
    Bash,
    /// Elvish.
    Elvish,
    /// Fish.
    Fish,
    /// PowerShell.
    Powershell,
    /// Zsh.
    Zsh,
}

/// Arguments of `completions`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Prints the script.
pub fn run(args: Args) -> Result<ExitCode, Failure> {
    let shell: &dyn EnvCompleter = match args.shell {
        Shell::Bash => &env::Bash,
        Shell::Elvish => &env::Elvish,
        Shell::Fish => &env::Fish,
        Shell::Powershell => &env::Powershell,
        Shell::Zsh => &env::Zsh,
    };
    // The script runs `postrun` from PATH at each Tab, so it stays right when postrun moves.
    let mut script = Vec::new();
    shell.write_registration(VAR, "postrun", "postrun", "postrun", &mut script)?;
    out::stdout().write_all(&script)?;
    Ok(ExitCode::SUCCESS)
}

/// Answers the shell when a script asks (`POSTRUN_COMPLETE` set): `Some(exit code)` once the
/// candidates are written, `None` for an ordinary run.
pub fn answer() -> Option<ExitCode> {
    let cwd = std::env::current_dir().ok();
    match clap_complete::CompleteEnv::with_factory(command)
        .var(VAR)
        .try_complete(std::env::args_os(), cwd.as_deref())
    {
        Ok(true) => Some(ExitCode::SUCCESS),
        Ok(false) => None,
        // A completion that fails offers nothing. Said on stderr all the same: with a shell's
        // script it does not happen, so it is someone setting the variable by hand
        // (`POSTRUN_COMPLETE=x postrun status`), who would otherwise see nothing at all.
        Err(e) => {
            super::out::tell!("postrun: {VAR}: {e}");
            Some(ExitCode::from(2))
        }
    }
}

/// The command line as completion sees it: without the hidden commands, which clap would
/// still offer once what is typed matches only them (`postrun no<Tab>`). clap cannot take a
/// subcommand out, so this is a copy with the rest.
pub fn command() -> clap::Command {
    let full = super::Cli::command();
    let mut cmd = clap::Command::new("postrun")
        .version(env!("CARGO_PKG_VERSION"))
        .args(full.get_arguments().cloned())
        .subcommands(full.get_subcommands().filter(|s| !s.is_hide_set()).cloned());
    if let Some(about) = full.get_about() {
        cmd = cmd.about(about.clone());
    }
    cmd
}

/// For `--protocol`, `show` and `edit`: routine names, and files once what is typed looks
/// like a path (`./`, `~/`, `/`).
pub fn routine_or_path() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        let text = current.to_string_lossy();
        let mut offered = routines(current);
        if text.contains('/') || text.starts_with('.') || text.starts_with('~') {
            offered.extend(files(current));
        }
        offered
    })
}

/// For `check`: routine names and files.
pub fn routine_or_file() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        let mut offered = routines(current);
        offered.extend(files(current));
        offered
    })
}

fn files(current: &OsStr) -> Vec<CompletionCandidate> {
    use clap_complete::engine::ValueCompleter;
    PathCompleter::file().complete(current)
}

/// The routines whose names start with what is typed: the built-ins and the runner's own in
/// the config folder, each with a word on which it is.
pub fn routines(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(typed) = current.to_str() else {
        return Vec::new();
    };
    let Ok(folders) = Folders::locate() else {
        return Vec::new();
    };
    catalog::available(&folders)
        .into_iter()
        // A name a shell cannot show, or take as one word, is not offered: the shell prints
        // candidates raw, so one holding a direction override would reorder the line.
        .filter(|n| {
            n.starts_with(typed)
                && n.chars()
                    .all(|c| crate::core::printable::shows(c) && !c.is_whitespace())
        })
        .map(|name| {
            let whose = if folders.protocol_file(&name).is_file() {
                "yours"
            } else {
                "built in"
            };
            CompletionCandidate::new(name).help(Some(whose.into()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_completion_command_has_no_hidden_commands() {
        let cmd = command();
        assert!(cmd.get_subcommands().all(|s| !s.is_hide_set()));
        assert!(cmd.find_subcommand("notify").is_none());
        assert!(cmd.find_subcommand("show").is_some());
        assert!(
            cmd.get_arguments()
                .any(|a| a.get_long() == Some("protocol"))
        );
        cmd.debug_assert();
    }
}

//! `postrun completions SHELL`: a completion script for the shell.
use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;

use super::Failure;
use super::out;

/// Arguments of `completions`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Prints the script.
pub fn run(args: Args) -> Result<ExitCode, Failure> {
    let mut cmd = super::Cli::command();
    // clap_complete panics on a write error; write to memory, then to stdout ourselves, so a
    // closed pipe (`postrun completions bash | head`) is handled like everywhere else.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "postrun", &mut script);
    out::stdout().write_all(&script)?;
    Ok(ExitCode::SUCCESS)
}

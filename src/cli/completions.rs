//! `postrun completions SHELL`: a completion script for the shell.
use std::io;
use std::process::ExitCode;

use clap::CommandFactory;

/// Arguments of `completions`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Prints the script.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut cmd = super::Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "postrun", &mut io::stdout().lock());
    Ok(ExitCode::SUCCESS)
}

//! The `postrun` binary: parse the command line, run it, report errors, choose the exit code.
use std::process::ExitCode;

fn main() -> ExitCode {
    postrun::cli::main()
}

//! `postrun check FILE...`: validate protocol files.
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::Failure;
use super::out::{self, tell};
use crate::store::catalog::{self, CatalogError, Folders, Origin};

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Protocol files to check (a built-in or config-folder name works too).
    #[arg(required = true, value_name = "FILE", add = super::completions::routine_or_file())]
    pub files: Vec<PathBuf>,
}

/// Prints `FILE: ok (N steps)` for each good file and every problem of each bad one; exit 1 if
/// any file has a problem.
pub fn run(args: Args, folders: &Folders) -> Result<ExitCode, Failure> {
    let mut out = out::stdout();
    let mut all_ok = true;
    for file in &args.files {
        match check_one(file, folders) {
            Ok(steps) => writeln!(out, "{}: ok ({steps} steps)", file.display())?,
            Err(CatalogError::Invalid(problems)) => {
                all_ok = false;
                let _ = write!(out::stderr(), "{problems}");
            }
            Err(e @ CatalogError::Read { .. }) => {
                all_ok = false;
                tell!("{}: {e}", file.display());
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn check_one(file: &Path, folders: &Folders) -> Result<usize, CatalogError> {
    let name = file.to_string_lossy();
    let origin = if !file.exists() && !catalog::is_path(&name) {
        catalog::find(&name, folders).unwrap_or_else(|_| Origin::File(file.to_path_buf()))
    } else {
        Origin::File(file.to_path_buf())
    };
    catalog::load_origin(origin).map(|l| l.protocol.steps.len())
}

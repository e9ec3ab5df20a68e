//! `postrun init [--force]`: copy the built-in protocols into the config folder to edit.
use std::io::Write;
use std::process::ExitCode;

use anyhow::anyhow;

use super::out;
use super::{Context, Failure};
use crate::core::protocol::BUILTINS;
use crate::store::catalog::{self, Folders};
use crate::store::write::{self, Mode};

/// Arguments of `init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Overwrite protocols already in the config folder.
    #[arg(long)]
    pub force: bool,
}

/// Writes every built-in, or none: refusing to overwrite without `--force` keeps a runner's
/// edits safe.
pub fn run(args: Args, folders: &Folders) -> Result<ExitCode, Failure> {
    let targets: Vec<_> = BUILTINS
        .iter()
        .map(|b| (b, folders.protocol_file(b.id)))
        .collect();
    let existing: Vec<String> = targets
        .iter()
        .filter(|(_, path)| path.exists())
        .map(|(_, path)| path.display().to_string())
        .collect();
    if !existing.is_empty() && !args.force {
        return Err(anyhow!(
            "not overwriting {}; your edits would be lost. Use --force to replace them",
            existing.join(", ")
        )
        .into());
    }
    // What a killed `init` or `edit` left goes first.
    write::sweep(&folders.protocols());
    let mut out = out::stdout();
    for (builtin, path) in targets {
        catalog::write_atomic(&path, builtin.source.as_bytes(), Mode::Kept)
            .with_context(|| format!("cannot write {}", path.display()))?;
        writeln!(out, "{}", path.display())?;
    }
    Ok(ExitCode::SUCCESS)
}

//! `postrun init [--force]`: copy the built-in protocols into the config folder to edit.
use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::{Context, bail};

use crate::store::catalog::{self, Folders};
use crate::core::protocol::BUILTINS;

/// Arguments of `init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Overwrite protocols already in the config folder.
    #[arg(long)]
    pub force: bool,
}

/// Writes every built-in, or none: refusing to overwrite without `--force` keeps a runner's
/// edits safe.
pub fn run(args: Args, folders: &Folders) -> anyhow::Result<ExitCode> {
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
        bail!(
            "not overwriting {}; your edits would be lost. Use --force to replace them",
            existing.join(", ")
        );
    }
    let mut out = io::stdout().lock();
    for (builtin, path) in targets {
        catalog::write_atomic(&path, builtin.source.as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
        writeln!(out, "{}", path.display())?;
    }
    Ok(ExitCode::SUCCESS)
}

//! `postrun edit [NAME]`: edit one of the runner's protocols in their editor. The edit happens
//! on a draft beside the file; only a draft that validates replaces the protocol, so a broken
//! file is never left in use.
use std::fs;
use std::io::{self, BufRead, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{self, ExitCode};

use anyhow::anyhow;

use super::out::{self, tell};
use super::{Context, Failure};
use crate::core::protocol::{self, DEFAULT};
use crate::store::catalog::{self, Folders};
use crate::store::write::{self, Mode};

/// Arguments of `edit`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which of your protocols (default: optimal-recovery). A built-in name is copied to your
    /// config folder first; a new name starts from the default protocol.
    #[arg(value_name = "NAME", add = super::completions::routine_or_path())]
    pub name: Option<String>,
    /// Throw away the unsaved draft a failed edit left (`.NAME.edit.toml`) instead of editing.
    #[arg(long)]
    pub discard: bool,
}

/// Opens the editor, validates on save, offers to reopen on error.
pub fn run(args: Args, folders: &Folders) -> Result<ExitCode, Failure> {
    let name = args.name.as_deref().unwrap_or(DEFAULT);
    let target = if catalog::is_path(name) {
        PathBuf::from(name)
    } else {
        folders.protocol_file(name)
    };
    // What a killed `init` or `edit` left goes first.
    write::sweep(&folders.protocols());
    let draft = draft_path(&target);
    let mut out = out::stdout();
    if args.discard {
        match fs::remove_file(&draft) {
            Ok(()) => writeln!(out, "Discarded your unsaved edit in {}", draft.display())?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                writeln!(out, "No unsaved edit of {} to discard", target.display())?;
            }
            Err(e) => {
                return Err(anyhow!("cannot remove {}: {e}", draft.display()).into());
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let (original, started_from) = prepare(name, &target)?;
    // Folders the draft needs that are not there yet: gone again if nothing is saved.
    let made: Vec<PathBuf> = draft
        .ancestors()
        .skip(1)
        .take_while(|d| !d.as_os_str().is_empty() && !d.exists())
        .map(Path::to_path_buf)
        .collect();
    if draft.exists() {
        writeln!(out, "Continuing your unsaved edit in {}", draft.display())?;
    } else {
        // No more readable than the protocol it is a copy of.
        let mode = fs::metadata(&target).map_or(Mode::Kept, |m| Mode::Set(m.mode() & 0o777));
        catalog::write_atomic(&draft, &original, mode)
            .with_context(|| format!("cannot write {}", draft.display()))?;
    }
    let stdin = io::stdin();
    loop {
        open_editor(&draft)?;
        let edited = catalog::read_bounded(&draft)?;
        if edited == original {
            let _ = fs::remove_file(&draft);
            // Nothing changed: nothing left behind, not even a copy of the built-in. Only
            // empty folders go, the deepest first.
            for dir in &made {
                let _ = fs::remove_dir(dir);
            }
            writeln!(out, "{}: no changes", target.display())?;
            return Ok(ExitCode::SUCCESS);
        }
        match catalog::parse_file(&draft, &edited) {
            Ok(p) => {
                // Through a symlink to the file it leads to, keeping that file's mode.
                catalog::write_atomic(&target, &edited, Mode::Kept)
                    .with_context(|| format!("cannot write {}", target.display()))?;
                let _ = fs::remove_file(&draft);
                let from = started_from
                    .map(|id| format!(", started from the built-in {id}"))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "{}: ok ({} steps), saved{from}",
                    target.display(),
                    p.steps.len()
                )?;
                return Ok(ExitCode::SUCCESS);
            }
            Err(problems) => {
                let _ = write!(out::stderr(), "{problems}");
                let _ = write!(out::stderr(), "Reopen the editor to fix it? [Y/n] ");
                let mut answer = String::new();
                let read = stdin.lock().read_line(&mut answer).unwrap_or(0);
                let reopen = read > 0 && !answer.trim().to_lowercase().starts_with('n');
                if !reopen {
                    tell!(
                        "\n{} is unchanged and still in use; your edit is kept in {}",
                        target.display(),
                        draft.display()
                    );
                    return Ok(ExitCode::from(1));
                }
            }
        }
    }
}

/// The protocol's current bytes; for one the runner has no copy of yet, a built-in's (or, for
/// a new name, the default's), with its id, so the runner always edits something that works.
/// Nothing is written here: the copy is made only if a changed, valid draft is saved.
fn prepare(name: &str, target: &Path) -> Result<(Vec<u8>, Option<&'static str>), Failure> {
    if target.exists() {
        return Ok((catalog::read_bounded(target)?, None));
    }
    if catalog::is_path(name) {
        return Err(anyhow!("{} does not exist", target.display()).into());
    }
    let start = protocol::builtin(name).or_else(|| protocol::builtin(DEFAULT));
    let Some(start) = start else {
        return Err(anyhow!("no built-in protocol to start from").into());
    };
    Ok((start.source.as_bytes().to_vec(), Some(start.id)))
}

/// `.name.edit.toml` beside the protocol: hidden, and still `.toml` for the editor's highlighting.
fn draft_path(target: &Path) -> PathBuf {
    let stem = target
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{stem}.edit.toml"))
}

/// Runs `$VISUAL`, else `$EDITOR`, else `vi`, through the shell as git does, so an editor with
/// arguments (`code --wait`) works.
fn open_editor(file: &Path) -> Result<(), Failure> {
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|e| !e.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string());
    let status = process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg(&editor)
        .arg(file)
        .status()
        .with_context(|| format!("cannot start the editor '{editor}'"))?;
    if !status.success() {
        return Err(anyhow!(
            "the editor '{editor}' exited with {status}; your protocol is unchanged, the draft is in {}",
            file.display()
        )
        .into());
    }
    Ok(())
}

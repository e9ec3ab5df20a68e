//! Where protocols come from: the built-ins, the runner's own in the config folder (found by
//! name), or a path. The runner's copy of a built-in wins, since `postrun init` exists so they
//! can edit it.
use std::fs;
use std::path::{Path, PathBuf};

use super::read::{self, Kind, Refusal};
use super::write;
use crate::core::protocol::{self, BUILTINS, Builtin, Problems, Protocol};

/// The folders postrun keeps things in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folders {
    /// `config.toml` and `protocols/`.
    pub config: PathBuf,
    /// Session logs.
    pub data: PathBuf,
}

impl Folders {
    /// The platform's folders for postrun (on Linux, under `XDG_CONFIG_HOME`, `XDG_DATA_HOME`).
    pub fn locate() -> Result<Folders, CatalogError> {
        let dirs = directories::ProjectDirs::from("", "", "postrun").ok_or(CatalogError::NoHome)?;
        Ok(Folders {
            config: dirs.config_dir().to_path_buf(),
            data: dirs.data_dir().to_path_buf(),
        })
    }

    /// The folder of the runner's protocols.
    pub fn protocols(&self) -> PathBuf {
        self.config.join("protocols")
    }

    /// Where the runner's protocol of this name lives (or would).
    pub fn protocol_file(&self, name: &str) -> PathBuf {
        self.protocols().join(format!("{name}.toml"))
    }
}

/// Where a protocol was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Embedded in the binary.
    Builtin(&'static Builtin),
    /// A file: the runner's own, or a path they named.
    File(PathBuf),
}

/// A protocol found, read and validated, with its text.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Where it came from.
    pub origin: Origin,
    /// Its TOML text, exactly as read.
    pub source: String,
    /// The validated protocol.
    pub protocol: Protocol,
}

/// Why a protocol could not be had.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// No home folder to put the config folder in.
    #[error("cannot find a home folder for postrun's config and data (is HOME set?)")]
    NoHome,
    /// No protocol by that name.
    #[error("no protocol named '{name}'; available: {}", available.join(", "))]
    NotFound {
        /// The name asked for.
        name: String,
        /// The names there are.
        available: Vec<String>,
    },
    /// The file could not be read.
    // Not `source`: the message already holds it, and a source would print it twice.
    #[error("cannot read {}: {error}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
    /// The file is not a valid protocol.
    #[error("{0}")]
    Invalid(Box<Problems>),
}

impl CatalogError {
    /// The error on one line: for a file with problems, the first one's `FILE:LINE:COL:
    /// message` and how many more, without the snippets.
    pub fn headline(&self) -> String {
        match self {
            CatalogError::Invalid(problems) => {
                let lines = problems.headlines();
                match lines.len() {
                    0 | 1 => lines.concat(),
                    n => format!("{} (and {} more)", lines[0], n - 1),
                }
            }
            other => other.to_string(),
        }
    }
}

/// Whether a NAME_OR_PATH names a file rather than a protocol by name.
pub fn is_path(name: &str) -> bool {
    name.contains('/') || name.ends_with(".toml")
}

/// How a built-in is named past the runner's own copy of it: `built-in:optimal-recovery`, as
/// a session log names its origin.
pub const BUILTIN_PREFIX: &str = "built-in:";

/// Finds a protocol by name or path, without reading it.
pub fn find(name: &str, folders: &Folders) -> Result<Origin, CatalogError> {
    if is_path(name) {
        return Ok(Origin::File(PathBuf::from(name)));
    }
    if let Some(b) = name
        .strip_prefix(BUILTIN_PREFIX)
        .and_then(protocol::builtin)
    {
        return Ok(Origin::Builtin(b));
    }
    let own = folders.protocol_file(name);
    // Anything there by that name is the runner's: a FIFO or a dangling link is named when it
    // is read, not passed over for the built-in.
    if own.symlink_metadata().is_ok() {
        return Ok(Origin::File(own));
    }
    if let Some(b) = protocol::builtin(name) {
        return Ok(Origin::Builtin(b));
    }
    Err(CatalogError::NotFound {
        name: name.to_string(),
        available: available(folders),
    })
}

/// Finds, reads and validates a protocol.
pub fn load(name: &str, folders: &Folders) -> Result<Loaded, CatalogError> {
    load_origin(find(name, folders)?)
}

/// Reads and validates a protocol from where it was found.
pub fn load_origin(origin: Origin) -> Result<Loaded, CatalogError> {
    match &origin {
        Origin::Builtin(b) => {
            let protocol = b.parse().map_err(|p| CatalogError::Invalid(Box::new(p)))?;
            Ok(Loaded {
                source: b.source.to_string(),
                protocol,
                origin,
            })
        }
        Origin::File(path) => {
            let bytes = read_bounded(path)?;
            let protocol =
                parse_file(path, &bytes).map_err(|p| CatalogError::Invalid(Box::new(p)))?;
            let source = String::from_utf8_lossy(&bytes).into_owned();
            Ok(Loaded {
                source,
                protocol,
                origin,
            })
        }
    }
}

/// Validates a file's bytes; the protocol id is the file stem.
pub fn parse_file(path: &Path, bytes: &[u8]) -> Result<Protocol, Problems> {
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    protocol::parse_bytes(&path.display().to_string(), &id, bytes)
}

/// A protocol file's bytes: only a regular file, and never more than a protocol may be (see
/// [`read`]). One too large is a problem in the file, with its true size, as the parser
/// would say it.
pub fn read_bounded(path: &Path) -> Result<Vec<u8>, CatalogError> {
    read::read(path, Kind::Protocol).map_err(|refusal| match refusal {
        Refusal::TooLarge { size, .. } => {
            let bytes = usize::try_from(size).unwrap_or(usize::MAX);
            let fault = protocol::Fault::TooLarge { bytes };
            let label = path.display().to_string();
            CatalogError::Invalid(Box::new(Problems::one(&label, String::new(), 0..0, fault)))
        }
        other => CatalogError::Read {
            path: path.to_path_buf(),
            error: other.into(),
        },
    })
}

/// The names of every protocol to be had: built-ins and the runner's own, sorted. Hidden
/// files are not routines: `postrun edit` keeps its unsaved drafts as `.NAME.edit.toml`.
pub fn available(folders: &Folders) -> Vec<String> {
    let mut names: Vec<String> = BUILTINS.iter().map(|b| b.id.to_string()).collect();
    if let Ok(entries) = fs::read_dir(folders.protocols()) {
        for entry in entries.flatten() {
            let path = entry.path();
            // A hidden file is no protocol: an unsaved edit, or a write under way.
            let hidden = entry.file_name().as_encoded_bytes().starts_with(b".");
            if !hidden
                && path.extension().is_some_and(|e| e == "toml")
                && path.is_file()
                && let Some(stem) = path.file_stem()
                && !stem.to_string_lossy().starts_with('.')
            {
                names.push(stem.to_string_lossy().into_owned());
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// Writes one of the runner's files (a protocol, a draft) so that a crash leaves either the
/// old or the new content, never half of one, making its folder if need be. Written through
/// a symlink to its target, in `mode`: see [`super::write`].
pub fn write_atomic(path: &Path, bytes: &[u8], mode: write::Mode) -> Result<(), super::Error> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(|error| super::Error::Io {
            path: path.to_path_buf(),
            error,
        })?;
    }
    write::replace(path, bytes, mode)
}

//! The runner's settings, `config.toml` in the config folder: bedtime, bell, default protocol.
//! Checked like a protocol, with errors at file, line and column.
use std::path::Path;

use chrono::NaiveTime;
use serde::Deserialize;
use toml::Spanned;
use toml::de::DeTable;

use crate::catalog::{self, CatalogError, Folders};
use crate::protocol::{DEFAULT, Fault, Problem, Problems, keys};

/// The bedtime when neither `--bedtime` nor the config file gives one.
pub const DEFAULT_BEDTIME: (u32, u32) = (22, 30);

/// Where a setting came from, so the runner sees a default as a default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Built into postrun.
    Default,
    /// The config file.
    File,
    /// The command line.
    Flag,
}

/// The settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Bedtime, and where it came from.
    pub bedtime: (NaiveTime, Source),
    /// Ring the terminal bell at cues, switches and timer ends.
    pub bell: bool,
    /// The protocol used when none is named.
    pub protocol: String,
}

impl Default for Config {
    fn default() -> Config {
        let (h, m) = DEFAULT_BEDTIME;
        Config {
            bedtime: (
                NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default(),
                Source::Default,
            ),
            bell: true,
            protocol: DEFAULT.to_string(),
        }
    }
}

#[derive(Debug, Deserialize)]
struct RawConfig {
    bedtime: Option<Spanned<String>>,
    bell: Option<bool>,
    protocol: Option<Spanned<String>>,
}

const KEYS: &[&str] = &["bedtime", "bell", "protocol"];

/// Reads the config file, or the defaults when there is none.
pub fn load(folders: &Folders) -> Result<Config, CatalogError> {
    let path = folders.config.join("config.toml");
    if !path.exists() {
        return Ok(Config::default());
    }
    let bytes = catalog::read_bounded(&path)?;
    let text = String::from_utf8_lossy(&bytes);
    parse(&path, &text).map_err(|p| CatalogError::Invalid(Box::new(p)))
}

/// Checks a config file's text.
pub fn parse(path: &Path, text: &str) -> Result<Config, Problems> {
    let label = path.display().to_string();
    let fail = |list: Vec<Problem>| Problems::sorted(&label, text, list);
    let (doc, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        let list = errors
            .iter()
            .map(|e| Problem {
                span: e.span().unwrap_or(0..0),
                fault: Fault::Syntax(e.message().trim().replace('\n', "; ")),
            })
            .collect();
        return Err(fail(list));
    }
    let mut found = Vec::new();
    keys::check(doc.get_ref(), KEYS, "the config file", &mut found);
    let raw = match RawConfig::deserialize(toml::de::Deserializer::from(doc)) {
        Ok(raw) => raw,
        Err(e) => {
            found.push(Problem {
                span: e.span().unwrap_or(0..0),
                fault: Fault::WrongType(crate::protocol::one_line(e.message())),
            });
            return Err(fail(found));
        }
    };
    let mut config = Config::default();
    if let Some(bed) = raw.bedtime {
        match crate::cli::parse_clock(bed.get_ref()) {
            Ok(t) => config.bedtime = (t, Source::File),
            Err(message) => found.push(Problem {
                span: bed.span(),
                fault: Fault::WrongType(message),
            }),
        }
    }
    if let Some(bell) = raw.bell {
        config.bell = bell;
    }
    if let Some(p) = raw.protocol {
        if p.get_ref().trim().is_empty() {
            found.push(Problem {
                span: p.span(),
                fault: Fault::Empty { key: "protocol" },
            });
        }
        config.protocol = p.into_inner();
    }
    if found.is_empty() {
        Ok(config)
    } else {
        Err(fail(found))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn reads_every_setting() {
        let c = parse(
            Path::new("c.toml"),
            "bedtime = \"23:15\"\nbell = false\nprotocol = \"mine\"\n",
        )
        .unwrap();
        assert_eq!(
            c.bedtime,
            (NaiveTime::from_hms_opt(23, 15, 0).unwrap(), Source::File)
        );
        assert!(!c.bell);
        assert_eq!(c.protocol, "mine");
    }

    #[test]
    fn empty_file_is_the_defaults() {
        assert_eq!(parse(Path::new("c.toml"), "").unwrap(), Config::default());
    }

    #[test]
    fn errors_point_at_line_and_column() {
        let e = parse(
            Path::new("c.toml"),
            "bell = true\nbedtime = \"late\"\nbel = 1\n",
        )
        .unwrap_err();
        assert_eq!(
            e.headlines(),
            [
                "c.toml:2:11: 'late' is not a time; write it like 21:30",
                "c.toml:3:1: unknown key 'bel' in the config file; did you mean 'bell'?",
            ]
        );
        let e = parse(Path::new("c.toml"), "bell = \"yes\"\n").unwrap_err();
        assert_eq!(
            e.headlines(),
            ["c.toml:1:8: invalid type: string \"yes\", expected a boolean"]
        );
    }
}

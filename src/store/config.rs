//! The runner's settings, `config.toml` in the config folder: bedtime, bell, default protocol,
//! the 12- or 24-hour clock, metric or US units, the watch's folder.
//! Checked like a protocol, with errors at file, line and column.
use std::io;
use std::path::{Path, PathBuf};

use chrono::NaiveTime;
use serde::Deserialize;
use toml::Spanned;
use toml::de::DeTable;

use crate::core::clock::Hours;
use crate::core::journal::SoreRule;
use crate::core::protocol::{DEFAULT, Fault, Problem, Problems, Units, keys};
use crate::store::catalog::{CatalogError, Folders};
use crate::store::read::{self, Kind};

mod hooks;

pub use hooks::{HOOK_TIMEOUT, HookCommands};

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
    /// Say cues, switches, "time to get out" and window openings aloud.
    pub speak: bool,
    /// Show them as desktop notifications too.
    pub notify: bool,
    /// The protocol used when none is named.
    pub protocol: String,
    /// The clock clock times are shown on: `clock = "24h"` (the default) or `"12h"`.
    pub clock: Hours,
    /// The units of quantities a protocol marks: `units = "metric"` (the default) or `"us"`.
    pub units: Units,
    /// Commands to run on events.
    pub hooks: HookCommands,
    /// A folder of activity files (a mounted watch, a downloads folder): a run that ended
    /// there in the last hours is the day's run (`activities = "~/Downloads"`).
    pub activities: Option<PathBuf>,
    /// When the runner's own soreness numbers call for the sore-muscles routine or a rest
    /// day: `sore_rest_above = 6` (and `sore_rest_days = 2`, the default).
    pub sore_rule: Option<SoreRule>,
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
            speak: false,
            notify: false,
            protocol: DEFAULT.to_string(),
            clock: Hours::default(),
            units: Units::default(),
            hooks: HookCommands::default(),
            activities: None,
            sore_rule: None,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(expecting = "a table of settings")]
struct RawConfig {
    bedtime: Option<Spanned<String>>,
    bell: Option<bool>,
    speak: Option<bool>,
    notify: Option<bool>,
    protocol: Option<Spanned<String>>,
    clock: Option<Spanned<String>>,
    units: Option<Spanned<String>>,
    hooks: Option<hooks::RawHooks>,
    activities: Option<Spanned<String>>,
    sore_rest_above: Option<Spanned<i64>>,
    sore_rest_days: Option<Spanned<i64>>,
}

const KEYS: &[&str] = &[
    "bedtime",
    "bell",
    "speak",
    "notify",
    "protocol",
    "clock",
    "units",
    "hooks",
    "activities",
    "sore_rest_above",
    "sore_rest_days",
];

/// Reads the config file, or the defaults when there is none. One that cannot be read as it
/// stands (a FIFO, a dangling link, too large, not UTF-8) is an error naming it, never the
/// defaults or a guess: it may hold the hooks the runner relies on.
pub fn load(folders: &Folders) -> Result<Config, CatalogError> {
    let path = folders.config.join("config.toml");
    let bytes = match read::read(&path, Kind::Config).map_err(io::Error::from) {
        Ok(bytes) => bytes,
        // No file at all, or no config folder (or a file in its place): the defaults.
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(Config::default());
        }
        Err(error) => return Err(CatalogError::Read { path, error }),
    };
    let invalid = |p| CatalogError::Invalid(Box::new(p));
    let text = crate::core::protocol::utf8(&path.display().to_string(), &bytes).map_err(invalid)?;
    parse(&path, text).map_err(invalid)
}

/// Checks a config file's text.
pub fn parse(path: &Path, text: &str) -> Result<Config, Problems> {
    let label = path.display().to_string();
    let fail = |list: Vec<Problem>| Problems::sorted(&label, text, list);
    let (doc, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        return Err(fail(crate::core::protocol::syntax_problems(text, &errors)));
    }
    let mut found = Vec::new();
    keys::check(doc.get_ref(), KEYS, "the config file", &mut found);
    if let Some(toml::de::DeValue::Table(hooks)) = doc.get_ref().get("hooks").map(|v| v.get_ref()) {
        keys::check(hooks, hooks::KEYS, "[hooks]", &mut found);
    }
    let raw = match RawConfig::deserialize(toml::de::Deserializer::from(doc)) {
        Ok(raw) => raw,
        Err(e) => {
            found.push(Problem {
                span: e.span().unwrap_or(0..0),
                fault: Fault::WrongType(crate::core::protocol::one_line(e.message())),
            });
            return Err(fail(found));
        }
    };
    let mut config = Config::default();
    if let Some(bed) = raw.bedtime {
        match crate::core::clock::parse_clock(bed.get_ref()) {
            Ok(t) => config.bedtime = (t, Source::File),
            Err(message) => found.push(Problem {
                span: bed.span(),
                fault: Fault::WrongType(message),
            }),
        }
    }
    if let Some(clock) = raw.clock {
        match clock.get_ref().trim() {
            "24h" => config.clock = Hours::TwentyFour,
            "12h" => config.clock = Hours::Twelve,
            other => found.push(Problem {
                span: clock.span(),
                fault: Fault::WrongType(format!(
                    "clock is \"24h\" or \"12h\", not '{}'",
                    other.escape_debug()
                )),
            }),
        }
    }
    if let Some(units) = raw.units {
        match units.get_ref().trim() {
            "metric" => config.units = Units::Metric,
            "us" => config.units = Units::Us,
            other => found.push(Problem {
                span: units.span(),
                fault: Fault::WrongType(format!(
                    "units is \"metric\" or \"us\", not '{}'",
                    other.escape_debug()
                )),
            }),
        }
    }
    if let Some(bell) = raw.bell {
        config.bell = bell;
    }
    config.speak = raw.speak.unwrap_or(config.speak);
    config.notify = raw.notify.unwrap_or(config.notify);
    if let Some(p) = raw.protocol {
        if p.get_ref().trim().is_empty() {
            found.push(Problem {
                span: p.span(),
                fault: Fault::Empty { key: "protocol" },
            });
        }
        config.protocol = p.into_inner();
    }
    if let Some(folder) = raw.activities {
        match folder_path(folder.get_ref()) {
            Ok(path) => config.activities = Some(path),
            Err(why) => found.push(Problem {
                span: folder.span(),
                fault: Fault::WrongType(why),
            }),
        }
    }
    config.sore_rule = sore_rule(raw.sore_rest_above, raw.sore_rest_days, &mut found);
    if let Some(h) = raw.hooks {
        config.hooks = hooks::read(h, &mut found);
    }
    if found.is_empty() {
        Ok(config)
    } else {
        Err(fail(found))
    }
}

/// The soreness rule: above a number from 0 to 9, on 1 to 7 days in a row (2 unless said).
fn sore_rule(
    above: Option<Spanned<i64>>,
    days: Option<Spanned<i64>>,
    found: &mut Vec<Problem>,
) -> Option<SoreRule> {
    let mut number = |n: &Spanned<i64>, range: std::ops::RangeInclusive<i64>, what: &str| {
        let v = *n.get_ref();
        if range.contains(&v) {
            return u8::try_from(v).ok();
        }
        found.push(Problem {
            span: n.span(),
            fault: Fault::WrongType(format!(
                "{what} is a whole number from {} to {}, not {v}",
                range.start(),
                range.end()
            )),
        });
        None
    };
    // Both are checked before either is given up on, so both problems are said at once.
    let above = above.map(|a| number(&a, 0..=9, "sore_rest_above"));
    let days = days.map_or(Some(2), |d| number(&d, 1..=7, "sore_rest_days"));
    Some(SoreRule {
        above: above??,
        days: u32::from(days?),
    })
}

/// A folder as the config names it: absolute, or from the home folder with `~/`.
fn folder_path(text: &str) -> Result<PathBuf, String> {
    let bad = || {
        format!(
            "activities is a folder's full path, like \"/media/watch/GARMIN/Activity\" or \"~/Downloads\", not '{}'",
            text.escape_debug()
        )
    };
    if let Some(rest) = text.strip_prefix("~/") {
        let home = directories::BaseDirs::new().ok_or_else(bad)?;
        return Ok(home.home_dir().join(rest));
    }
    let path = PathBuf::from(text);
    if path.is_absolute() {
        Ok(path)
    } else {
        Err(bad())
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
            "bedtime = \"23:15\"\nbell = false\nprotocol = \"mine\"\nclock = \"12h\"\nspeak = true\nnotify = true\n",
        )
        .unwrap();
        assert_eq!(c.clock, Hours::Twelve);
        assert!(c.speak && c.notify);
        assert!(!Config::default().speak && !Config::default().notify);
        assert_eq!(c.units, Units::Metric);
        let us = parse(Path::new("c.toml"), "units = \"us\"\n").unwrap();
        assert_eq!(us.units, Units::Us);
        let e = parse(Path::new("c.toml"), "units = \"imperial\"\n").unwrap_err();
        assert_eq!(
            e.headlines(),
            ["c.toml:1:9: units is \"metric\" or \"us\", not 'imperial'"]
        );
        assert_eq!(
            c.bedtime,
            (NaiveTime::from_hms_opt(23, 15, 0).unwrap(), Source::File)
        );
        assert!(!c.bell);
        assert_eq!(c.protocol, "mine");
    }

    #[test]
    fn reads_hooks() {
        let c = parse(
            Path::new("c.toml"),
            "[hooks]\ncue = \"notify-send \\\"$POSTRUN_TEXT\\\"\"\ntimer_end = \"true\"\ntimeout = \"3s\"\n",
        )
        .unwrap();
        assert_eq!(
            c.hooks.cue.as_deref(),
            Some("notify-send \"$POSTRUN_TEXT\"")
        );
        assert_eq!(c.hooks.timer_end.as_deref(), Some("true"));
        assert_eq!(c.hooks.switch, None);
        assert_eq!(c.hooks.timeout, std::time::Duration::from_secs(3));
    }

    #[test]
    fn bad_hooks_point_at_line_and_column() {
        let e = parse(Path::new("c.toml"), "[hooks]\ncue = \"\"\ntimer_end = 3\n").unwrap_err();
        assert_eq!(
            e.headlines(),
            ["c.toml:3:13: invalid type: integer `3`, expected a string"]
        );
        let e = parse(
            Path::new("c.toml"),
            "[hooks]\ncue = \"\"\nswich = \"x\"\ntimeout = \"0s\"\n",
        )
        .unwrap_err();
        assert_eq!(
            e.headlines(),
            [
                "c.toml:2:7: 'cue' is empty; write some text",
                "c.toml:3:1: unknown key 'swich' in [hooks]; did you mean 'switch'?",
                "c.toml:4:11: a hook's timeout must be more than 0s and at most 10m, not '0s'",
            ]
        );
    }

    #[test]
    fn reads_a_twelve_hour_bedtime_and_the_clock() {
        let c = parse(Path::new("c.toml"), "bedtime = \"10:30pm\"\n").unwrap();
        assert_eq!(
            c.bedtime,
            (NaiveTime::from_hms_opt(22, 30, 0).unwrap(), Source::File)
        );
        assert_eq!(c.clock, Hours::TwentyFour);
        let e = parse(Path::new("c.toml"), "clock = \"12\"\n").unwrap_err();
        assert_eq!(
            e.headlines(),
            ["c.toml:1:9: clock is \"24h\" or \"12h\", not '12'"]
        );
    }

    #[test]
    fn the_watch_folder_is_a_full_path() {
        let c = parse(Path::new("c.toml"), "activities = \"/media/watch\"\n").unwrap();
        assert_eq!(c.activities, Some(PathBuf::from("/media/watch")));
        let c = parse(Path::new("c.toml"), "activities = \"~/Downloads\"\n").unwrap();
        assert!(c.activities.unwrap().ends_with("Downloads"));
        let e = parse(Path::new("c.toml"), "activities = \"Downloads\"\n").unwrap_err();
        assert!(
            e.headlines()[0].starts_with("c.toml:1:14: activities is a folder's full path"),
            "{:?}",
            e.headlines()
        );
    }

    #[test]
    fn the_soreness_rule_reads_its_numbers() {
        let c = parse(Path::new("c.toml"), "sore_rest_above = 6\n").unwrap();
        assert_eq!(c.sore_rule, Some(SoreRule { above: 6, days: 2 }));
        let c = parse(
            Path::new("c.toml"),
            "sore_rest_above = 5\nsore_rest_days = 3\n",
        )
        .unwrap();
        assert_eq!(c.sore_rule, Some(SoreRule { above: 5, days: 3 }));
        let e = parse(
            Path::new("c.toml"),
            "sore_rest_above = 10\nsore_rest_days = 0\n",
        )
        .unwrap_err();
        assert_eq!(
            e.headlines(),
            [
                "c.toml:1:19: sore_rest_above is a whole number from 0 to 9, not 10",
                "c.toml:2:18: sore_rest_days is a whole number from 1 to 7, not 0",
            ]
        );
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
                "c.toml:2:11: 'late' is not a time; write it like 21:30 or 9:30pm",
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

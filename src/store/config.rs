//! The runner's settings, `config.toml` in the config folder: bedtime, bell, default protocol,
//! the 12- or 24-hour clock, metric or US units.
//! Checked like a protocol, with errors at file, line and column.
use std::io;
use std::path::Path;
use std::time::Duration;

use chrono::NaiveTime;
use serde::Deserialize;
use toml::Spanned;
use toml::de::DeTable;

use crate::core::clock::Hours;
use crate::core::protocol::{DEFAULT, Fault, Problem, Problems, Units, keys, parse_duration};
use crate::store::catalog::{CatalogError, Folders};
use crate::store::read::{self, Kind};

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
}

/// The commands of `[hooks]`: each runs through `sh -c` when its event happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookCommands {
    /// A timer's cue.
    pub cue: Option<String>,
    /// A switch to the other side in a hold sequence.
    pub switch: Option<String>,
    /// A timer ran out.
    pub timer_end: Option<String>,
    /// The window of a step still to do opened.
    pub window_open: Option<String>,
    /// A `hard_max` timer reached its top: time to get out.
    pub get_out: Option<String>,
    /// How long a hook may run before it is stopped.
    pub timeout: Duration,
}

/// A hook's time limit unless `[hooks] timeout` says otherwise.
pub const HOOK_TIMEOUT: Duration = Duration::from_secs(10);

impl Default for HookCommands {
    fn default() -> HookCommands {
        HookCommands {
            cue: None,
            switch: None,
            timer_end: None,
            window_open: None,
            get_out: None,
            timeout: HOOK_TIMEOUT,
        }
    }
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
    hooks: Option<RawHooks>,
}

#[derive(Debug, Deserialize)]
#[serde(expecting = "a table of hooks, like [hooks]")]
struct RawHooks {
    cue: Option<Spanned<String>>,
    switch: Option<Spanned<String>>,
    timer_end: Option<Spanned<String>>,
    window_open: Option<Spanned<String>>,
    get_out: Option<Spanned<String>>,
    timeout: Option<Spanned<String>>,
}

const KEYS: &[&str] = &[
    "bedtime", "bell", "speak", "notify", "protocol", "clock", "units", "hooks",
];
const HOOK_KEYS: &[&str] = &[
    "cue",
    "switch",
    "timer_end",
    "window_open",
    "get_out",
    "timeout",
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
        keys::check(hooks, HOOK_KEYS, "[hooks]", &mut found);
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
    if let Some(h) = raw.hooks {
        let mut command = |c: Option<Spanned<String>>, key: &'static str| {
            let c = c?;
            if c.get_ref().trim().is_empty() {
                found.push(Problem {
                    span: c.span(),
                    fault: Fault::Empty { key },
                });
            }
            Some(c.into_inner())
        };
        config.hooks.cue = command(h.cue, "cue");
        config.hooks.switch = command(h.switch, "switch");
        config.hooks.timer_end = command(h.timer_end, "timer_end");
        config.hooks.window_open = command(h.window_open, "window_open");
        config.hooks.get_out = command(h.get_out, "get_out");
        if let Some(t) = h.timeout {
            match parse_duration(t.get_ref()) {
                Ok(d) if !d.is_zero() && d <= Duration::from_secs(600) => config.hooks.timeout = d,
                Ok(_) => found.push(Problem {
                    span: t.span(),
                    fault: Fault::WrongType(format!(
                        "a hook's timeout must be more than 0s and at most 10m, not '{}'",
                        t.get_ref()
                    )),
                }),
                Err(e) => found.push(Problem {
                    span: t.span(),
                    fault: Fault::WrongType(e.to_string()),
                }),
            }
        }
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
        assert_eq!(c.hooks.timeout, Duration::from_secs(3));
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

//! The `[hooks]` table of `config.toml`: a command per event, and how long one may run.
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use crate::core::protocol::{Fault, Problem, parse_duration};

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

#[derive(Debug, Deserialize)]
#[serde(expecting = "a table of hooks, like [hooks]")]
pub(super) struct RawHooks {
    cue: Option<Spanned<String>>,
    switch: Option<Spanned<String>>,
    timer_end: Option<Spanned<String>>,
    window_open: Option<Spanned<String>>,
    get_out: Option<Spanned<String>>,
    timeout: Option<Spanned<String>>,
}

pub(super) const KEYS: &[&str] = &[
    "cue",
    "switch",
    "timer_end",
    "window_open",
    "get_out",
    "timeout",
];

/// The commands of a `[hooks]` table, with its problems added to `found`.
pub(super) fn read(h: RawHooks, found: &mut Vec<Problem>) -> HookCommands {
    let mut hooks = HookCommands::default();
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
    hooks.cue = command(h.cue, "cue");
    hooks.switch = command(h.switch, "switch");
    hooks.timer_end = command(h.timer_end, "timer_end");
    hooks.window_open = command(h.window_open, "window_open");
    hooks.get_out = command(h.get_out, "get_out");
    if let Some(t) = h.timeout {
        match parse_duration(t.get_ref()) {
            Ok(d) if !d.is_zero() && d <= Duration::from_secs(600) => hooks.timeout = d,
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
    hooks
}

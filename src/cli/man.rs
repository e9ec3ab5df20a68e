//! `postrun man`: the manual page, as roff on standard output (`postrun man | man -l -`).
//! Made from the clap definitions, so every command and option is the one the binary takes;
//! the keys come from the tables the guide itself shows.
use std::io::{self, Write};
use std::process::ExitCode;

use clap::CommandFactory;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, italic, roman};

use super::Failure;
use crate::front::plain;
use crate::front::tui::input::{FORM_HELP, HELP, KeyHelp};

/// Arguments of `man`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Prints the page.
pub fn run(_: Args) -> Result<ExitCode, Failure> {
    let page = page()?;
    super::out::stdout().write_all(&page)?;
    Ok(ExitCode::SUCCESS)
}

/// The whole page as roff.
pub fn page() -> io::Result<Vec<u8>> {
    // As clap_mangen builds it: `help` is clap's, not a command of postrun's.
    let mut cmd = super::Cli::command().disable_help_subcommand(true);
    cmd.build();
    let man = Man::new(cmd.clone()).date("");
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    let mut synopsis = Roff::new();
    usage(&mut synopsis, &cmd);
    synopsis.to_writer(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    let mut roff = Roff::new();
    commands(&mut roff, &cmd);
    rest(&mut roff);
    roff.to_writer(&mut out)?;
    man.render_version_section(&mut out)?;
    Ok(out)
}

/// SYNOPSIS: the guide with its options, and the commands. (clap_mangen's leaves out the
/// options' values.)
fn usage(roff: &mut Roff, cmd: &clap::Command) {
    roff.control("SH", ["SYNOPSIS"]);
    roff.text(line("postrun", cmd));
    roff.control("br", []);
    roff.text([
        bold("postrun"),
        roman(" "),
        italic("COMMAND"),
        roman(" [...]"),
    ]);
}

/// `postrun plan [--budget DUR] ...`: the command and its arguments, but help and version.
fn line(name: &str, cmd: &clap::Command) -> Vec<clap_mangen::roff::Inline> {
    let mut usage = vec![bold(name)];
    for arg in arguments(cmd) {
        usage.push(roman(" "));
        usage.extend(marker(arg, true));
    }
    usage
}

/// A command's own arguments: `--help` and `--version` are said once, in OPTIONS.
fn arguments(cmd: &clap::Command) -> impl Iterator<Item = &clap::Arg> {
    cmd.get_arguments()
        .filter(|a| !a.is_hide_set() && !matches!(a.get_id().as_str(), "help" | "version"))
}

/// COMMANDS: each command the runner can type, with its usage, what it does and its options.
fn commands(roff: &mut Roff, cmd: &clap::Command) {
    roff.control("SH", ["COMMANDS"]);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("postrun {}", sub.get_name());
        roff.control("SS", [name.as_str()]);
        roff.text(line(&name, sub));
        if let Some(about) = sub.get_long_about().or(sub.get_about()) {
            roff.control("PP", []);
            roff.text([roman(about.to_string())]);
        }
        for arg in arguments(sub) {
            roff.control("TP", []);
            roff.text(marker(arg, false));
            let help = arg.get_long_help().or(arg.get_help());
            let mut text = help.map(|h| h.to_string()).unwrap_or_default();
            let values: Vec<String> = arg
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_string())
                .collect();
            if !values.is_empty() {
                if !text.is_empty() && !text.ends_with('.') {
                    text.push('.');
                }
                text.push_str(&format!(" One of: {}.", values.join(", ")));
            }
            roff.text([roman(text)]);
        }
    }
}

/// An argument as usage writes it: `--budget DUR`, `FILE...`; in brackets when optional.
fn marker(arg: &clap::Arg, brackets: bool) -> Vec<clap_mangen::roff::Inline> {
    let value = arg
        .get_value_names()
        .map(|names| names.join(" "))
        .unwrap_or_else(|| arg.get_id().to_string().to_uppercase());
    let many = arg
        .get_num_args()
        .is_some_and(|n| n.max_values() > 1 && arg.is_positional());
    let mut parts = Vec::new();
    if arg.is_positional() {
        parts.push(italic(value));
        if many {
            parts.push(roman("..."));
        }
    } else {
        let flag = match (arg.get_short(), arg.get_long()) {
            (Some(s), Some(l)) if !brackets => format!("-{s}, --{l}"),
            (_, Some(l)) => format!("--{l}"),
            (Some(s), None) => format!("-{s}"),
            (None, None) => String::new(),
        };
        parts.push(bold(flag));
        if arg.get_num_args().is_some_and(|n| n.takes_values()) {
            parts.push(roman(" "));
            parts.push(italic(value));
        }
    }
    if brackets && !arg.is_required_set() {
        parts.insert(0, roman("["));
        parts.push(roman("]"));
    }
    parts
}

/// The sections clap knows nothing of: times, keys, files, environment, exit status.
fn rest(roff: &mut Roff) {
    roff.control("SH", ["TIMES AND DURATIONS"]);
    roff.text([roman(
        "Times read like 21:30, 9:40, 9:30pm, 9:30 PM or 9pm, on either clock; 12am is midnight \
         and 12pm noon. --finished takes a time (the latest such moment not in the future) or \
         how long ago (25m). Durations read like 90s, 12m, 1h30m. Clock times are shown on the \
         24-hour clock unless config.toml says clock = \"12h\".",
    )]);

    roff.control("SH", ["KEYS"]);
    roff.text([roman("In the full-screen guide (? shows them there too):")]);
    keys(roff, &HELP);
    roff.control("PP", []);
    roff.text([roman("On the start screen, where a new day is set up:")]);
    keys(roff, &FORM_HELP);
    roff.control("PP", []);
    roff.text([roman(format!(
        "In the plain guide (--plain, TERM=dumb, or when input or output is not a terminal): {}",
        plain::KEYS
    ))]);

    roff.control("SH", ["FILES"]);
    for (path, what) in FILES {
        roff.control("TP", []);
        roff.text([italic(*path)]);
        roff.text([roman(*what)]);
    }

    roff.control("SH", ["ENVIRONMENT"]);
    for (name, what) in ENVIRONMENT {
        roff.control("TP", []);
        roff.text([bold(*name)]);
        roff.text([roman(*what)]);
    }

    roff.control("SH", ["EXIT STATUS"]);
    for (code, what) in EXIT_CODES {
        roff.control("TP", []);
        roff.text([bold(*code)]);
        roff.text([roman(*what)]);
    }
}

fn keys(roff: &mut Roff, keys: &[KeyHelp]) {
    for k in keys {
        roff.control("TP", []);
        roff.text([bold(k.keys)]);
        roff.text([roman(k.what)]);
    }
}

/// Where postrun keeps things on Linux (`directories`' XDG folders).
const FILES: &[(&str, &str)] = &[
    (
        "$XDG_CONFIG_HOME/postrun/config.toml",
        "Settings: bedtime, bell, speak and notify (spd-say or espeak-ng, notify-send), clock \
         (24h or 12h), units (metric or us), the default protocol, [hooks]. \
         $XDG_CONFIG_HOME is ~/.config when unset.",
    ),
    (
        "$XDG_CONFIG_HOME/postrun/protocols/NAME.toml",
        "Your routines: postrun init copies the built-ins here, postrun edit changes them; \
         one named like a built-in wins over it.",
    ),
    (
        "$XDG_DATA_HOME/postrun/sessions/",
        "One append-only log per session, a JSON line per event. \
         $XDG_DATA_HOME is ~/.local/share when unset.",
    ),
    (
        "$XDG_DATA_HOME/postrun/reminders.json",
        "The reminders postrun remind has set, so they can be taken back.",
    ),
];

const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "XDG_CONFIG_HOME, XDG_DATA_HOME",
        "Move the config and data folders.",
    ),
    (
        "VISUAL, EDITOR",
        "The editor postrun edit opens, the first one set.",
    ),
    ("NO_COLOR", "Set and not empty: no colour."),
    ("TERM", "dumb gives the plain guide."),
];

const EXIT_CODES: &[(&str, &str)] = &[
    ("0", "Success."),
    (
        "1",
        "A protocol or config file has problems (each printed as FILE:LINE:COL: message), \
         status finds no open session, or remind finds no scheduler.",
    ),
    ("2", "Bad command-line usage, or another error."),
];

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_page_is_roff_with_every_section() {
        let page = String::from_utf8(page().unwrap()).unwrap();
        assert!(page.contains("\n.TH postrun 1 "), "{page}");
        for section in [
            "NAME",
            "SYNOPSIS",
            "DESCRIPTION",
            "OPTIONS",
            "COMMANDS",
            "KEYS",
            "FILES",
            "ENVIRONMENT",
            "\"EXIT STATUS\"",
        ] {
            assert!(
                page.contains(&format!("\n.SH {section}\n")),
                "{section}:\n{page}"
            );
        }
    }
}

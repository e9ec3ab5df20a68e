//! The command line: clap types, dispatch, and `main`'s error reporting and exit codes.
//! Each subcommand lives in its own file with its own arguments and `run`.
mod check;
mod completions;
pub mod day;
mod edit;
mod failure;
pub mod history;
mod init;
mod journal;
mod man;
mod notify;
pub(crate) mod out;
mod plan;
mod remind;
mod show;
pub(crate) mod status;
mod today;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::store::catalog::Folders;

pub use failure::{Context, Failure, Kind};

use crate::core::clock::{Bedtime, Choice, Finished, parse_budget};

/// A terminal guide through a runner's recovery after a hard workout.
///
/// With no command, opens the guide for today: the session already under way, or a new one.
#[derive(Debug, Parser)]
#[command(name = "postrun", version, about, long_about)]
pub struct Cli {
    /// Today's routine options: for the guide, and for `plan` and `remind` when given before
    /// them; any other command refuses them.
    #[command(flatten)]
    pub day: DayArgs,
    /// A line of text per change and keys read as lines, for screen readers and dumb
    /// terminals (also when output is not a terminal, or TERM=dumb).
    #[arg(long)]
    pub plain: bool,
    /// What to do; none opens the guide.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// How today's session is set up.
#[derive(Debug, Clone, Default, PartialEq, Eq, clap::Args)]
pub struct DayArgs {
    /// The protocol: a built-in name, one of yours in the config folder, or a path.
    #[arg(long, value_name = "NAME_OR_PATH", add = completions::routine_or_path())]
    pub protocol: Option<String>,
    /// When the run finished: a time like 9:40 or 9:40am, or how long ago like 25m (default:
    /// now).
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub finished: Option<Finished>,
    /// The run from your watch: an activity file (FIT, GPX or TCX), or a folder to take the
    /// newest from. Its end is the finish; its distance, time and temperature are kept.
    #[arg(long, value_name = "FILE_OR_FOLDER", conflicts_with = "finished", value_hint = clap::ValueHint::AnyPath)]
    pub from: Option<std::path::PathBuf>,
    /// When you go to bed, like 22:30 or 10:30pm.
    #[arg(long, value_name = "HH:MM")]
    pub bedtime: Option<Bedtime>,
    /// How much time you have for the routine, like 20m; optional steps that don't fit are dropped.
    #[arg(long, value_name = "DUR", value_parser = parse_budget, allow_hyphen_values = true)]
    pub budget: Option<std::time::Duration>,
    /// Start a fresh session, closing the open one into history as it stands.
    #[arg(long)]
    pub new: bool,
}

impl DayArgs {
    /// Whether the command line says anything of the day: then it is planned as told,
    /// rather than the open session's.
    pub fn is_given(&self) -> bool {
        self.protocol.is_some()
            || self.finished.is_some()
            || self.from.is_some()
            || self.bedtime.is_some()
            || self.budget.is_some()
            || self.new
    }

    /// The day's options, without how the command line spells them.
    pub fn choice(&self) -> Choice {
        Choice {
            protocol: self.protocol.clone(),
            finished: self.finished,
            bedtime: self.bedtime,
            budget: self.budget,
            run: None,
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate protocol files; errors point at file, line and column.
    Check(check::Args),
    /// Print a protocol's steps as a table.
    Show(show::Args),
    /// Copy the built-in protocols into your config folder to edit.
    Init(init::Args),
    /// Edit one of your protocols in $VISUAL or $EDITOR; it is checked before it is used.
    Edit(edit::Args),
    /// The day's schedule with clock times; with --budget, what is kept and what dropped.
    Plan(plan::Args),
    /// The open session in one line (fits a tmux status bar), or as JSON.
    Status(status::Args),
    /// Past sessions: what was done and skipped, streaks.
    History(history::Args),
    /// Note how sore you are (0-10) and a line of text for today; alone, the last entries.
    Log(journal::Args),
    /// Remind you as the rest of today's windows open, even with postrun closed (systemd or at).
    Remind(remind::Args),
    /// Print a shell completion script.
    Completions(completions::Args),
    /// Print the manual page, as roff: `postrun man | man -l -`, or save it as postrun.1.
    Man(man::Args),
    /// Show one step's reminder now (what `remind` schedules).
    #[command(hide = true)]
    Notify(notify::Args),
}

/// Parses the command line, runs it, and turns the outcome into an exit code: 0 on success, 1
/// when a protocol has problems, 2 on bad usage and other errors; the kind of failure says
/// which, and what to print (see [`Failure`]).
pub fn main() -> ExitCode {
    if let Some(code) = completions::answer() {
        return code;
    }
    match Cli::try_parse().map_err(Failure::from).and_then(run) {
        Ok(code) => code,
        Err(failure) => {
            failure.report();
            ExitCode::from(failure.exit_code())
        }
    }
}

/// Runs a parsed command line.
pub fn run(mut cli: Cli) -> Result<ExitCode, Failure> {
    cli.command = cli
        .command
        .map(|c| before(&cli.day, cli.plain, c))
        .transpose()?;
    let folders = Folders::locate()?;
    match cli.command {
        Some(Command::Check(args)) => check::run(args, &folders),
        Some(Command::Show(args)) => show::run(args, &folders),
        Some(Command::Init(args)) => init::run(args, &folders),
        Some(Command::Edit(args)) => edit::run(args, &folders),
        Some(Command::Plan(args)) => plan::run(args, &folders),
        Some(Command::Status(args)) => status::run(args, &folders),
        Some(Command::History(args)) => history::run(args, &folders),
        Some(Command::Log(args)) => journal::run(args, &folders),
        Some(Command::Remind(args)) => remind::run(args, &folders),
        Some(Command::Completions(args)) => completions::run(args),
        Some(Command::Man(args)) => man::run(args),
        Some(Command::Notify(args)) => notify::run(args, &folders),
        None => today::run(&cli.day, cli.plain, &folders),
    }
}

/// The day's options given before a command (`postrun --budget 15m plan`) never go unused:
/// `plan` and `remind` take them as their own, and any other command refuses them, exit 2.
fn before(day: &DayArgs, plain: bool, command: Command) -> Result<Command, Failure> {
    let named: Vec<&str> = [
        (day.protocol.is_some(), "--protocol"),
        (day.finished.is_some(), "--finished"),
        (day.from.is_some(), "--from"),
        (day.bedtime.is_some(), "--bedtime"),
        (day.budget.is_some(), "--budget"),
        (day.new, "--new"),
    ]
    .into_iter()
    .filter_map(|(given, name)| given.then_some(name))
    .collect();
    if plain {
        return Err(Failure::usage(format!(
            "--plain is for the guide; `postrun {}` takes no such option",
            name(&command)
        )));
    }
    if named.is_empty() {
        return Ok(command);
    }
    let merge = |own: &mut DayArgs| -> Result<(), Failure> {
        let twice = |name: &str| {
            Failure::usage(format!(
                "{name} is given twice, before and after the command"
            ))
        };
        if day.protocol.is_some() {
            if own.protocol.is_some() {
                return Err(twice("--protocol"));
            }
            own.protocol.clone_from(&day.protocol);
        }
        for (mine, theirs, name) in [
            (day.finished.is_some(), own.finished.is_some(), "--finished"),
            (day.from.is_some(), own.from.is_some(), "--from"),
            (day.bedtime.is_some(), own.bedtime.is_some(), "--bedtime"),
            (day.budget.is_some(), own.budget.is_some(), "--budget"),
        ] {
            if mine && theirs {
                return Err(twice(name));
            }
        }
        own.finished = own.finished.or(day.finished);
        own.from = own.from.take().or_else(|| day.from.clone());
        if own.from.is_some() && own.finished.is_some() {
            return Err(Failure::usage(
                "--from and --finished both say when the run finished; give one of them",
            ));
        }
        own.bedtime = own.bedtime.or(day.bedtime);
        own.budget = own.budget.or(day.budget);
        own.new |= day.new;
        Ok(())
    };
    match command {
        Command::Plan(mut args) => {
            merge(&mut args.day)?;
            Ok(Command::Plan(args))
        }
        Command::Remind(mut args) => {
            merge(&mut args.day)?;
            Ok(Command::Remind(args))
        }
        other => Err(Failure::usage(format!(
            "{} {} for the guide (and for `plan` and `remind`); `postrun {}` takes no such option",
            named.join(", "),
            if named.len() == 1 { "is" } else { "are" },
            name(&other)
        ))),
    }
}

/// A command's name, as typed.
fn name(command: &Command) -> &'static str {
    match command {
        Command::Check(_) => "check",
        Command::Show(_) => "show",
        Command::Init(_) => "init",
        Command::Edit(_) => "edit",
        Command::Plan(_) => "plan",
        Command::Status(_) => "status",
        Command::History(_) => "history",
        Command::Log(_) => "log",
        Command::Remind(_) => "remind",
        Command::Completions(_) => "completions",
        Command::Man(_) => "man",
        Command::Notify(_) => "notify",
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}

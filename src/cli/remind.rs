//! `postrun remind`: reminders as the rest of today's windows open, fired by the system's own
//! scheduler while postrun is closed; `--cancel` takes them back. The reminders follow the
//! open session (its steps still to do), else the day's plan from the arguments. Setting them
//! again replaces the ones set before.
use std::io::Write;
use std::process::ExitCode;

use chrono::{Local, Utc};

use super::day::{self, clock};
use super::out::{self, tell};
use super::{DayArgs, Failure};
use crate::core::plan;
use crate::core::reminder;
use crate::core::session::Event;
use crate::shell::scheduler::{self, Missing, Outcome, Scheduler};
use crate::store::catalog::Folders;
use crate::store::{Store, reminders as record};

/// Arguments of `remind`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The day's setup, used when no session is open.
    #[command(flatten)]
    pub day: DayArgs,
    /// Remove the reminders set before.
    #[arg(long)]
    pub cancel: bool,
}

/// Sets (or with `--cancel` removes) the reminders; exit 1 when nothing here can set them.
pub fn run(args: Args, folders: &Folders) -> Result<ExitCode, Failure> {
    let now = Utc::now();
    if args.cancel {
        return cancel(folders, now);
    }
    let config = crate::store::config::load(folders)?;
    let hours = config.clock;
    let (source, reminders) = match Store::new(&folders.data).find_open(now)? {
        Some(open) => {
            let d = &args.day;
            if d.protocol.is_some()
                || d.finished.is_some()
                || d.from.is_some()
                || d.bedtime.is_some()
                || d.budget.is_some()
            {
                tell!(
                    "postrun: note: following your open session; --protocol, --finished, --from, --bedtime and --budget count only when none is open"
                );
            }
            let mut session = open.session;
            session.protocol = std::sync::Arc::new(crate::core::protocol::shown_in(
                &session.protocol,
                &open.opening.source,
                config.units,
            ));
            // A timer may have run out since the last line of the log.
            let _ = session.apply(Event::Wake, now);
            let source = format!(
                "your session (run finished {})",
                clock(session.finished_at, hours)
            );
            (source, reminder::for_session(&session, now, &Local, hours))
        }
        None => {
            let found = day::pick_run(args.day.from.as_deref(), false, &config, now)?;
            let day = day::resolve(&args.day.choice(), found.as_ref(), folders, now)?;
            let plan = plan::plan(
                &day.loaded.protocol,
                day.finished_at,
                day.bedtime,
                args.day.budget,
            );
            let source = format!(
                "today's plan (run finished {})",
                clock(day.finished_at, hours)
            );
            (
                source,
                reminder::for_plan(&day.loaded.protocol, &plan, now, &Local, hours),
            )
        }
    };
    let (outcome, warnings) = scheduler::replace(&folders.data, &reminders, now)?;
    for w in &warnings {
        tell!("postrun: warning: {w}");
    }
    let mut out = out::stdout();
    match outcome {
        Outcome::Set {
            scheduler,
            jobs,
            errors,
        } => {
            if !jobs.is_empty() {
                writeln!(out, "Reminders for {source}, set with {scheduler}:")?;
                for job in &jobs {
                    let r = &job.reminder;
                    writeln!(out, "  {}  {}", clock(r.at, hours), r.title)?;
                }
                writeln!(
                    out,
                    "Each one stays quiet if the step is done by then. `postrun remind --cancel` removes them."
                )?;
            }
            if scheduler == Scheduler::At && scheduler::atd_running() == Some(false) {
                tell!(
                    "postrun: warning: atd does not seem to be running, and at jobs wait for it (try `sudo systemctl enable --now atd`)"
                );
            }
            for e in &errors {
                tell!("postrun: could not set a reminder: {e}");
            }
            Ok(if errors.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            })
        }
        Outcome::NothingLeft => {
            writeln!(
                out,
                "Nothing left to remind you of today: every window of {source} has opened."
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Outcome::NoScheduler(missing) => {
            let _ = write!(out::stderr(), "{}", no_scheduler(&missing));
            Ok(ExitCode::from(1))
        }
    }
}

fn cancel(folders: &Folders, now: chrono::DateTime<Utc>) -> Result<ExitCode, Failure> {
    let pending =
        record::load(&folders.data)?.map(|s| s.jobs.iter().filter(|j| j.reminder.at > now).count());
    let warnings = scheduler::cancel_all(&folders.data, now)?;
    for w in &warnings {
        tell!("postrun: warning: {w}");
    }
    let mut out = out::stdout();
    match pending {
        None | Some(0) => writeln!(out, "No reminders to cancel.")?,
        Some(1) => writeln!(out, "Cancelled 1 reminder.")?,
        Some(n) => writeln!(out, "Cancelled {n} reminders.")?,
    }
    Ok(ExitCode::SUCCESS)
}

/// What is missing, and the way round it.
fn no_scheduler(missing: &Missing) -> String {
    format!(
        "postrun: cannot set reminders: nothing here runs a command at a set time.\n\
         \x20 systemd: {}\n\
         \x20 at: {}\n\
         Install at and start atd, or put the day in your phone's calendar instead:\n\
         \x20 postrun plan --ics > today.ics\n",
        missing.systemd, missing.at
    )
}

//! `postrun notify STEP` (hidden): what the system's scheduler runs as a step's window opens.
//! It reads what to say from the reminders record, stays quiet when the step is already done
//! or skipped in the open session, and shows a desktop notification with `notify-send`, or
//! prints the reminder where there is none (to the journal, or to `at`'s mail).
use std::io::Write;
use std::process::{Command, ExitCode, Stdio};

use chrono::Utc;

use super::Failure;
use super::out;
use crate::core::session::StepState;
use crate::shell::scheduler::find_program;
use crate::store::catalog::Folders;
use crate::store::{Store, reminders as record};

/// Arguments of `notify`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The step's id.
    pub step: String,
}

/// Shows the step's reminder, unless it is no longer wanted.
pub fn run(args: Args, folders: &Folders) -> Result<ExitCode, Failure> {
    let now = Utc::now();
    // Cancelled or replaced since: nothing to say.
    let Some(scheduled) = record::load(&folders.data)? else {
        return Ok(ExitCode::SUCCESS);
    };
    let Some(job) = scheduled.jobs.iter().find(|j| j.reminder.step == args.step) else {
        return Ok(ExitCode::SUCCESS);
    };
    if let Some(open) = Store::new(&folders.data).find_open(now)? {
        let state = open
            .session
            .protocol
            .steps
            .iter()
            .zip(open.session.states())
            .find(|(s, _)| s.id == args.step)
            .map(|(_, state)| *state);
        if matches!(state, Some(StepState::Done | StepState::Skipped)) {
            return Ok(ExitCode::SUCCESS);
        }
    }
    let r = &job.reminder;
    let sent = find_program("notify-send").is_some()
        && Command::new("notify-send")
            // `--`: a title or body that starts with a dash is text, never an option.
            .args(["--app-name=postrun", "--", &r.title, &r.body])
            .stdin(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    if !sent {
        writeln!(out::stdout(), "postrun: {}: {}", r.title, r.body)?;
    }
    Ok(ExitCode::SUCCESS)
}

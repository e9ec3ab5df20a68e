//! The system's own scheduler, so reminders fire while postrun is closed: transient timers of
//! the user's systemd where one runs (`systemd-run --user --on-calendar`), else `at` jobs.
//! What fires is this binary's hidden `notify STEP`, which reads what to say from the record
//! in the data folder (see [`crate::store::reminders`]) and stays quiet when the step is
//! already done. Setting reminders replaces the ones set before; [`refresh`] is the hook for
//! the guide to call when a step changes.
mod error;
mod follow;

use std::ffi::{OsStr, OsString};
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chrono::{Local, TimeZone};

use crate::core::clock::Hours;
use crate::core::reminder::{self, Reminder};
use crate::core::session::{Session, Timestamp};
pub use crate::store::reminders::Scheduler;
use crate::store::reminders::{self as record, Job, Scheduled};

pub use error::{Error, Missing, Unset};
pub use follow::Follow;

/// The first scheduler that works here: a running user systemd, else `at`.
pub fn detect() -> Result<Scheduler, Missing> {
    let systemd = match systemd_ready() {
        Ok(()) => return Ok(Scheduler::Systemd),
        Err(why) => why,
    };
    let at = match at_ready() {
        Ok(()) => return Ok(Scheduler::At),
        Err(why) => why,
    };
    Err(Missing { systemd, at })
}

fn systemd_ready() -> Result<(), Error> {
    installed(&["systemd-run", "systemctl"])?;
    let out = probe("systemctl", &["--user", "is-system-running"])?;
    // "degraded" means some unit failed, not that timers don't work; only the states of a
    // manager that is up will do.
    match String::from_utf8_lossy(&out.stdout).trim() {
        "running" | "degraded" | "starting" | "initializing" => Ok(()),
        "" => Err(Error::NoAnswer {
            said: first_line(&out.stderr),
        }),
        state => Err(Error::NotRunning {
            state: state.to_string(),
        }),
    }
}

fn at_ready() -> Result<(), Error> {
    installed(&["at", "atq", "atrm"])?;
    let out = probe("atq", &[])?;
    if !out.status.success() {
        return Err(Error::Fails {
            program: "atq",
            said: first_line(&out.stderr),
        });
    }
    Ok(())
}

/// Whether every one of a scheduler's programs is on `PATH`, or the first that is not.
fn installed(programs: &[&'static str]) -> Result<(), Error> {
    match programs.iter().find(|p| find_program(p).is_none()) {
        Some(&program) => Err(Error::NotInstalled { program }),
        None => Ok(()),
    }
}

/// Runs a scheduler's program to see that it works.
fn probe(program: &'static str, args: &[&str]) -> Result<Output, Error> {
    spawn(program, args, None).map_err(|error| Error::CannotRun { program, error })
}

/// Whether an `atd` process runs, where `/proc` tells; `None` where it cannot.
pub fn atd_running() -> Option<bool> {
    let entries = std::fs::read_dir("/proc").ok()?;
    Some(entries.filter_map(Result::ok).any(|e| {
        std::fs::read(e.path().join("comm")).is_ok_and(|comm| comm.trim_ascii() == b"atd")
    }))
}

/// What the scheduler runs: this binary's `notify STEP`, with the folders it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fire {
    /// The postrun binary.
    pub exe: PathBuf,
    /// `XDG_DATA_HOME` and `XDG_CONFIG_HOME`, where set: a systemd timer does not inherit the
    /// caller's environment.
    pub env: Vec<(String, OsString)>,
}

impl Fire {
    /// This process's binary and folders.
    pub fn this() -> Result<Fire, Error> {
        let env = ["XDG_DATA_HOME", "XDG_CONFIG_HOME"]
            .into_iter()
            .filter_map(|k| std::env::var_os(k).map(|v| (k.to_string(), v)))
            .collect();
        Ok(Fire {
            exe: std::env::current_exe().map_err(Error::Exe)?,
            env,
        })
    }
}

/// The systemd unit name for a reminder (the timer is this plus `.timer`).
pub fn unit_name(r: &Reminder) -> String {
    format!(
        "postrun-remind-{}-{}",
        r.step,
        r.at.format("%Y%m%dT%H%M%SZ")
    )
}

/// `systemd-run`'s arguments for a reminder.
pub fn systemd_run_args(r: &Reminder, fire: &Fire) -> Vec<OsString> {
    let mut args: Vec<OsString> = [
        "--user".to_string(),
        "--quiet".to_string(),
        // Unload the units once done, even if the notification failed, so the name is free.
        "--collect".to_string(),
        format!("--unit={}", unit_name(r)),
        format!("--on-calendar={}", r.at.format("%Y-%m-%d %H:%M:%S UTC")),
        "--timer-property=AccuracySec=1s".to_string(),
    ]
    .into_iter()
    .map(OsString::from)
    .collect();
    for (key, value) in &fire.env {
        let mut arg = OsString::from(format!("--setenv={key}="));
        arg.push(value);
        args.push(arg);
    }
    args.extend(["--".into(), fire.exe.clone().into(), "notify".into()]);
    args.push(r.step.clone().into());
    args
}

/// `at`'s arguments for a reminder: the time in the zone `at` reads it in (local).
pub fn at_args<Tz: TimeZone>(r: &Reminder, tz: &Tz) -> Vec<String>
where
    Tz::Offset: std::fmt::Display,
{
    vec![
        "-t".to_string(),
        r.at.with_timezone(tz).format("%Y%m%d%H%M.%S").to_string(),
    ]
}

/// The shell line `at` runs for a reminder; `at` keeps the caller's environment.
pub fn at_script(r: &Reminder, fire: &Fire) -> Vec<u8> {
    let mut line = shell_quote(fire.exe.as_os_str());
    line.extend_from_slice(b" notify ");
    line.extend(shell_quote(OsStr::new(&r.step)));
    line.push(b'\n');
    line
}

/// Single-quoted for `sh`: any bytes but a quote stand for themselves inside.
fn shell_quote(s: &OsStr) -> Vec<u8> {
    let mut out = vec![b'\''];
    for &b in s.as_bytes() {
        if b == b'\'' {
            out.extend_from_slice(b"'\\''");
        } else {
            out.push(b);
        }
    }
    out.push(b'\'');
    out
}

/// The job number in `at`'s report, `job 12 at Fri May  1 11:00:00 2026`.
pub fn at_job(report: &str) -> Option<String> {
    report.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("job ")?;
        let (id, _) = rest.split_once(' ')?;
        (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then(|| id.to_string())
    })
}

/// Hands each reminder to the scheduler. Returns the jobs set and, for those that could not
/// be, why.
pub fn schedule(
    scheduler: Scheduler,
    reminders: &[Reminder],
    fire: &Fire,
) -> (Vec<Job>, Vec<Unset>) {
    let mut jobs = Vec::new();
    let mut errors = Vec::new();
    for r in reminders {
        let handle = match scheduler {
            Scheduler::Systemd => run("systemd-run", systemd_run_args(r, fire), None)
                .map(|_| format!("{}.timer", unit_name(r))),
            Scheduler::At => {
                run("at", at_args(r, &Local), Some(&at_script(r, fire))).and_then(|out| {
                    let report = format!(
                        "{}{}",
                        String::from_utf8_lossy(&out.stderr),
                        String::from_utf8_lossy(&out.stdout)
                    );
                    at_job(&report).ok_or_else(|| Error::NoJob {
                        report: report.trim().to_string(),
                    })
                })
            }
        };
        match handle {
            Ok(handle) => jobs.push(Job {
                reminder: r.clone(),
                handle,
            }),
            Err(error) => errors.push(Unset {
                title: r.title.clone(),
                error,
            }),
        }
    }
    (jobs, errors)
}

/// Takes back the jobs still to fire. Jobs whose time has passed are gone already and are
/// left alone. Returns a warning, with the command to do it by hand, for each that could not
/// be removed.
pub fn cancel(scheduled: &Scheduled, now: Timestamp) -> Vec<String> {
    let mut warnings = Vec::new();
    for job in scheduled.jobs.iter().filter(|j| j.reminder.at > now) {
        let (program, args): (&'static str, Vec<&str>) = match scheduled.scheduler {
            Scheduler::Systemd => ("systemctl", vec!["--user", "stop", &job.handle]),
            Scheduler::At => ("atrm", vec![&job.handle]),
        };
        if let Err(e) = run(program, &args, None) {
            warnings.push(format!(
                "could not remove the {} reminder ({e}); remove it with `{program} {}`",
                job.reminder.title,
                args.join(" ")
            ));
        }
    }
    warnings
}

/// What setting reminders came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Set with this scheduler; `errors` for those that could not be.
    Set {
        /// The scheduler.
        scheduler: Scheduler,
        /// The jobs set.
        jobs: Vec<Job>,
        /// Reminders that could not be set, and why.
        errors: Vec<Unset>,
    },
    /// No window opens after now.
    NothingLeft,
    /// No scheduler works here.
    NoScheduler(Missing),
}

/// Replaces the reminders set before (if any) with these. Returns the outcome and warnings
/// from taking back the old ones.
pub fn replace(
    data: &Path,
    reminders: &[Reminder],
    now: Timestamp,
) -> Result<(Outcome, Vec<String>), Error> {
    let warnings = cancel_all(data, now)?;
    if reminders.is_empty() {
        return Ok((Outcome::NothingLeft, warnings));
    }
    let scheduler = match detect() {
        Ok(s) => s,
        Err(missing) => return Ok((Outcome::NoScheduler(missing), warnings)),
    };
    let (jobs, errors) = schedule(scheduler, reminders, &Fire::this()?);
    record::save(
        data,
        &Scheduled {
            v: record::VERSION,
            scheduler,
            jobs: jobs.clone(),
        },
    )?;
    Ok((
        Outcome::Set {
            scheduler,
            jobs,
            errors,
        },
        warnings,
    ))
}

/// Takes back every reminder set and forgets them. Returns warnings for those that could not
/// be removed.
pub fn cancel_all(data: &Path, now: Timestamp) -> Result<Vec<String>, Error> {
    let Some(scheduled) = record::load(data)? else {
        return Ok(Vec::new());
    };
    let warnings = cancel(&scheduled, now);
    record::clear(data)?;
    Ok(warnings)
}

/// The hook for the guide: after a step is done, skipped, undone or reopened, brings the
/// reminders in line with the session (cancel, then set again). Does nothing unless the
/// runner has set reminders with `postrun remind`; `Ok(None)` then.
pub fn refresh(
    data: &Path,
    session: &Session,
    now: Timestamp,
    hours: Hours,
) -> Result<Option<(Outcome, Vec<String>)>, Error> {
    if record::load(data)?.is_none() {
        return Ok(None);
    }
    let reminders = reminder::for_session(session, now, &Local, hours);
    replace(data, &reminders, now).map(Some)
}

/// Runs a program found on `PATH`, with `stdin` fed in when given, and insists it succeeds.
fn run<I, S>(program: &'static str, args: I, stdin: Option<&[u8]>) -> Result<Output, Error>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let out = spawn(program, args, stdin).map_err(|error| Error::Run { program, error })?;
    if out.status.success() {
        return Ok(out);
    }
    let said = first_line(&out.stderr);
    Err(if said.is_empty() {
        Error::Failed {
            program,
            status: out.status,
        }
    } else {
        Error::Said { program, said }
    })
}

/// Runs a program found on `PATH` and waits for it, with `stdin` fed in when given.
fn spawn<I, S>(program: &str, args: I, stdin: Option<&[u8]>) -> io::Result<Output>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut child = Command::new(program)
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(bytes)?;
    }
    child.wait_with_output()
}

fn first_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default()
        .to_string()
}

/// Where a program is on `PATH`, if it is there and executable.
pub fn find_program(name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| {
            std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use chrono::Utc;

    use super::*;

    fn meal() -> Reminder {
        Reminder {
            step: "meal".into(),
            at: Utc.with_ymd_and_hms(2026, 5, 1, 11, 0, 0).unwrap(),
            title: "Meal".into(),
            body: "Eat. (11:00-12:00)".into(),
        }
    }

    fn fire() -> Fire {
        Fire {
            exe: PathBuf::from("/opt/post run/postrun"),
            env: vec![("XDG_DATA_HOME".into(), OsString::from("/home/r/.data"))],
        }
    }

    #[test]
    fn systemd_gets_a_named_timer_at_the_utc_moment() {
        let args: Vec<String> = systemd_run_args(&meal(), &fire())
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect();
        assert_eq!(
            args,
            [
                "--user",
                "--quiet",
                "--collect",
                "--unit=postrun-remind-meal-20260501T110000Z",
                "--on-calendar=2026-05-01 11:00:00 UTC",
                "--timer-property=AccuracySec=1s",
                "--setenv=XDG_DATA_HOME=/home/r/.data",
                "--",
                "/opt/post run/postrun",
                "notify",
                "meal",
            ]
        );
    }

    #[test]
    fn at_gets_local_time_and_a_quoted_command() {
        let plus2 = chrono::FixedOffset::east_opt(2 * 3600).unwrap();
        assert_eq!(at_args(&meal(), &plus2), ["-t", "202605011300.00"]);
        assert_eq!(at_args(&meal(), &Utc), ["-t", "202605011100.00"]);
        let f = Fire {
            exe: PathBuf::from("/it's/postrun"),
            env: vec![],
        };
        assert_eq!(
            String::from_utf8(at_script(&meal(), &f)).unwrap(),
            "'/it'\\''s/postrun' notify 'meal'\n"
        );
    }

    #[test]
    fn reads_the_job_number_from_at() {
        let report = "warning: commands will be executed using /bin/sh\n\
                      job 12 at Fri May  1 11:00:00 2026\n";
        assert_eq!(at_job(report), Some("12".into()));
        assert_eq!(at_job("job  at soon"), None);
        assert_eq!(at_job("no job here"), None);
    }
}

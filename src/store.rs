//! Session logs: one append-only JSON Lines file per session under the data folder, each line
//! written and synced before its effect is shown. Replaying a log rebuilds the session; a torn
//! or garbled line is skipped with a warning, never fatal. [`reminders`] keeps the record of
//! reminders set with the system's scheduler. The only module that touches the data folder.
pub mod reminders;

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::protocol::Protocol;
use crate::session::{Event, Fact, Refusal, Session, StepState, Timestamp, delta};

/// The log format's version, on every line; a newer one is skipped rather than misread.
pub const VERSION: u32 = 1;

/// How long after the run a session stays open at most.
pub const OPEN_FOR: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// What a session began with: everything needed to rebuild it without the protocol file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opening {
    /// The protocol as it was: editing the file later does not change the session.
    pub protocol: Protocol,
    /// Where it came from: a path, or `built-in:ID`.
    pub origin: String,
    /// The file's text then, to tell the runner when it has changed since.
    pub source: String,
    /// When the run finished.
    pub finished_at: Timestamp,
    /// Bedtime as a moment.
    pub bedtime: Timestamp,
    /// Whether the bedtime was postrun's default rather than the runner's.
    #[serde(default)]
    pub bedtime_is_default: bool,
    /// Optional steps the budget planner dropped, skipped from the start.
    #[serde(default)]
    pub dropped: Vec<usize>,
}

/// A line's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Body {
    /// The first line.
    Open(Box<Opening>),
    /// Something applied to the session.
    Event(Event),
    /// The session was closed into history before it was finished (`--new`).
    Close,
}

/// One line of a log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Format version.
    pub v: u32,
    /// Position in the session, from 0.
    pub seq: u64,
    /// When it happened.
    pub at: Timestamp,
    /// What happened.
    #[serde(flatten)]
    pub body: Body,
}

/// A session rebuilt from its log.
#[derive(Debug, Clone)]
pub struct Replayed {
    /// The log file.
    pub path: PathBuf,
    /// What it began with.
    pub opening: Opening,
    /// The session as the log leaves it.
    pub session: Session,
    /// Every event applied, with its time.
    pub events: Vec<(Timestamp, Event)>,
    /// Closed by `--new`.
    pub closed: bool,
    /// When the opening line was written.
    pub opened_at: Timestamp,
    /// When the last line was written.
    pub last_at: Timestamp,
    /// The next line's `seq`.
    pub next_seq: u64,
    /// Lines that could not be used, as `path:line: why`.
    pub warnings: Vec<String>,
}

impl Replayed {
    /// Whether the session is still open at `now`: not closed, not finished, and less than
    /// 24 hours after the run.
    pub fn is_open(&self, now: Timestamp) -> bool {
        !self.closed
            && !self.session.is_complete()
            && now < self.opening.finished_at + delta(OPEN_FOR)
    }
}

/// A fresh session from its opening, with the budget's drops applied.
pub fn begin(opening: &Opening) -> Session {
    let mut session = Session::new(
        opening.protocol.clone(),
        opening.finished_at,
        opening.bedtime,
    );
    session.drop_steps(&opening.dropped);
    session
}

/// Rebuilds a session from a log's bytes. `None` when there is no readable opening line.
pub fn replay_bytes(path: &Path, bytes: &[u8]) -> Option<Replayed> {
    let mut warnings = Vec::new();
    let mut replayed: Option<Replayed> = None;
    for (n, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let warn = |why: &str| format!("{}:{}: {why}; skipped", path.display(), n + 1);
        let record: Record = match serde_json::from_slice(line) {
            Ok(r) => r,
            // A newer postrun may write events this one does not know; say so rather than
            // calling the line garbage.
            Err(_) if version(line).is_some_and(|v| v > VERSION) => {
                let v = version(line).unwrap_or_default();
                warnings.push(warn(&format!("written by a newer postrun (format {v})")));
                continue;
            }
            Err(e) if e.is_eof() => {
                warnings.push(warn("the line is cut short (a crash while writing?)"));
                continue;
            }
            Err(e) => {
                warnings.push(warn(&format!("unreadable line ({e})")));
                continue;
            }
        };
        if record.v > VERSION {
            warnings.push(warn(&format!(
                "written by a newer postrun (format {})",
                record.v
            )));
            continue;
        }
        match (record.body, replayed.as_mut()) {
            (_, _) if !sane_time(record.at) => {
                warnings.push(warn(&format!("its time {} is out of range", record.at)));
            }
            (Body::Open(opening), None) if let Err(why) = sane(&opening) => {
                warnings.push(warn(&format!(
                    "the session's opening is out of range ({why})"
                )));
            }
            (Body::Open(opening), None) => {
                replayed = Some(Replayed {
                    path: path.to_path_buf(),
                    session: begin(&opening),
                    opening: *opening,
                    events: Vec::new(),
                    closed: false,
                    opened_at: record.at,
                    last_at: record.at,
                    next_seq: record.seq + 1,
                    warnings: Vec::new(),
                });
            }
            (Body::Open(_), Some(_)) => warnings.push(warn("a second opening line")),
            (_, None) => warnings.push(warn("an event before the session's opening line")),
            (Body::Event(event), Some(r)) => {
                if let Err(refusal) = r.session.apply(event.clone(), record.at) {
                    warnings.push(warn(&format!("the event no longer applies ({refusal})")));
                }
                r.events.push((record.at, event));
                r.last_at = record.at;
                r.next_seq = record.seq + 1;
            }
            (Body::Close, Some(r)) => {
                r.closed = true;
                r.last_at = record.at;
                r.next_seq = record.seq + 1;
            }
        }
    }
    let mut replayed = replayed?;
    replayed.warnings = warnings;
    Some(replayed)
}

/// Whether a moment is one a session can be at: 1970 to 9999. A log edited by hand or
/// damaged could hold anything, and time arithmetic on it must not overflow.
fn sane_time(t: Timestamp) -> bool {
    (0..=253_402_300_799).contains(&t.timestamp())
}

/// Whether an opening line can be trusted: every time in range and every duration no longer
/// than a protocol allows, as validation would have insisted when the session began.
fn sane(o: &Opening) -> Result<(), String> {
    use crate::protocol::{Activity, LONGEST, Window};
    if !sane_time(o.finished_at) || !sane_time(o.bedtime) {
        return Err("a time is out of range".into());
    }
    let mut durations = Vec::new();
    for s in &o.protocol.steps {
        match s.window {
            Some(Window::Within(l)) => durations.extend([l.min, l.max]),
            Some(Window::After { from, to } | Window::BeforeBed { from, to }) => {
                durations.extend([from, to])
            }
            None => {}
        }
        if let Some(e) = s.estimate {
            durations.extend([e.min, e.max]);
        }
        match &s.activity {
            Activity::Tick => {}
            Activity::Timer(t) => {
                durations.extend([t.length.min, t.length.max, t.target]);
                durations.extend(t.cues.iter().map(|c| c.at));
            }
            Activity::Holds(h) => {
                durations.push(h.gap);
                durations.extend(h.holds.iter().flat_map(|x| [x.length.min, x.length.max]));
                if h.holds.len() > 10_000 || h.holds.iter().any(|x| x.sides.len() > 100) {
                    return Err("too many holds or sides".into());
                }
            }
        }
    }
    if o.protocol.steps.len() > 100_000 || durations.iter().any(|d| *d > LONGEST) {
        return Err("a duration is longer than a protocol allows".into());
    }
    Ok(())
}

/// The format version of a line, read on its own.
fn version(line: &[u8]) -> Option<u32> {
    #[derive(Deserialize)]
    struct Version {
        v: u32,
    }
    serde_json::from_slice::<Version>(line).ok().map(|r| r.v)
}

/// An open session with its log: every change is written and synced before it is shown.
#[derive(Debug)]
pub struct Live {
    /// The log file.
    pub path: PathBuf,
    /// The session.
    pub session: Session,
    file: File,
    next_seq: u64,
}

impl Live {
    /// Applies an event and records it. A refused event changes and records nothing; a Wake
    /// that fired nothing is not recorded either. On a write error the session is left as it
    /// was, so nothing is shown that is not on disk.
    pub fn apply(
        &mut self,
        event: Event,
        now: Timestamp,
    ) -> io::Result<Result<Vec<Fact>, Refusal>> {
        let mut next = self.session.clone();
        let facts = match next.apply(event.clone(), now) {
            Ok(facts) => facts,
            Err(refusal) => return Ok(Err(refusal)),
        };
        if event == Event::Wake && facts.is_empty() {
            return Ok(Ok(facts));
        }
        self.append(Body::Event(event), now)?;
        self.session = next;
        Ok(Ok(facts))
    }

    /// Closes the session into history as it stands.
    pub fn close(mut self, now: Timestamp) -> io::Result<()> {
        self.append(Body::Close, now)
    }

    fn append(&mut self, body: Body, at: Timestamp) -> io::Result<()> {
        let record = Record {
            v: VERSION,
            seq: self.next_seq,
            at,
            body,
        };
        let mut line = serde_json::to_vec(&record).map_err(io::Error::other)?;
        line.push(b'\n');
        self.file.write_all(&line)?;
        self.file.sync_data()?;
        self.next_seq += 1;
        Ok(())
    }
}

/// The session logs in the data folder.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

impl Store {
    /// The store under a data folder.
    pub fn new(data: &Path) -> Store {
        Store {
            dir: data.join("sessions"),
        }
    }

    /// The folder of session logs.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every log file, oldest first (names start with the creation time).
    pub fn logs(&self) -> io::Result<Vec<PathBuf>> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut logs: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .collect();
        logs.sort();
        Ok(logs)
    }

    /// Every session that can be rebuilt, oldest first, with the warnings of those that
    /// cannot.
    pub fn replay_all(&self) -> io::Result<(Vec<Replayed>, Vec<String>)> {
        let mut sessions = Vec::new();
        let mut warnings = Vec::new();
        for path in self.logs()? {
            let bytes = match fs::read(&path) {
                Ok(b) => b,
                Err(e) => {
                    warnings.push(format!("{}: cannot read ({e}); skipped", path.display()));
                    continue;
                }
            };
            match replay_bytes(&path, &bytes) {
                Some(r) => sessions.push(r),
                None if bytes.is_empty() => {}
                None => warnings.push(format!(
                    "{}: no session opening line; skipped",
                    path.display()
                )),
            }
        }
        // Oldest first by when they began; the name breaks ties between equal instants.
        sessions.sort_by(|a, b| (a.opened_at, &a.path).cmp(&(b.opened_at, &b.path)));
        Ok((sessions, warnings))
    }

    /// The open session at `now`, the newest if several.
    pub fn find_open(&self, now: Timestamp) -> io::Result<Option<Replayed>> {
        let (sessions, _) = self.replay_all()?;
        Ok(sessions.into_iter().rev().find(|r| r.is_open(now)))
    }

    /// Starts a new session log, synced before returning.
    pub fn create(&self, opening: Opening, now: Timestamp) -> io::Result<Live> {
        fs::create_dir_all(&self.dir)?;
        let stem = now.format("%Y%m%dT%H%M%S%.3fZ").to_string();
        let mut created = None;
        for n in 0..1000 {
            let name = if n == 0 {
                format!("{stem}.jsonl")
            } else {
                format!("{stem}-{n}.jsonl")
            };
            let path = self.dir.join(name);
            match OpenOptions::new().append(true).create_new(true).open(&path) {
                Ok(f) => {
                    created = Some((path, f));
                    break;
                }
                // Only a name already taken is worth another try; anything else is the answer.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        let (path, file) = created.ok_or_else(|| {
            io::Error::other(format!(
                "cannot name a new session log in {}",
                self.dir.display()
            ))
        })?;
        let session = begin(&opening);
        let mut live = Live {
            path,
            session,
            file,
            next_seq: 0,
        };
        live.append(Body::Open(Box::new(opening)), now)?;
        // The new file's name must survive a crash too.
        if let Ok(dir) = File::open(&self.dir) {
            let _ = dir.sync_all();
        }
        Ok(live)
    }

    /// Reopens a replayed session to carry on writing to it.
    pub fn resume(&self, replayed: Replayed) -> io::Result<Live> {
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .open(&replayed.path)?;
        // A crash may have left a torn last line: start ours on a line of its own.
        let len = file.metadata()?.len();
        if len > 0 {
            file.seek(SeekFrom::Start(len - 1))?;
            let mut last = [0u8];
            file.read_exact(&mut last)?;
            if last[0] != b'\n' {
                // A crash left a torn last line, already reported by the replay; cut it off
                // so ours start on a line of their own and it is not reported ever after.
                let mut bytes = Vec::new();
                file.seek(SeekFrom::Start(0))?;
                file.read_to_end(&mut bytes)?;
                let keep = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
                file.set_len(keep as u64)?;
                file.sync_data()?;
            }
        }
        Ok(Live {
            path: replayed.path,
            session: replayed.session,
            file,
            next_seq: replayed.next_seq,
        })
    }
}

/// How many times each daily-limited step was done in sessions whose run finished on the same
/// calendar day (in the time zone given) as `day_of`, leaving out the log at `except`.
pub fn used_on_day<Tz: chrono::TimeZone>(
    sessions: &[Replayed],
    day_of: Timestamp,
    tz: &Tz,
    except: Option<&Path>,
) -> std::collections::BTreeMap<String, u32> {
    let day = day_of.with_timezone(tz).date_naive();
    let mut used = std::collections::BTreeMap::new();
    for r in sessions {
        if Some(r.path.as_path()) == except
            || r.opening.finished_at.with_timezone(tz).date_naive() != day
        {
            continue;
        }
        for (step, state) in r.session.protocol.steps.iter().zip(r.session.states()) {
            if step.daily_limit.is_some() && *state == StepState::Done {
                *used.entry(step.id.clone()).or_insert(0) += 1;
            }
        }
    }
    used
}

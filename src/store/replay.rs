//! Rebuilding a session from its log's bytes: each line checked, the torn, garbled and newer
//! ones skipped with a warning.
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{Body, Opening, Record, Replayed, VERSION, begin};
use crate::core::session::{StepState, Timestamp};

/// The logs at `paths` replayed, oldest first by when they began (the name breaks ties
/// between equal instants), with what could not be read.
pub(super) fn replay_paths(paths: Vec<PathBuf>) -> (Vec<Replayed>, Vec<String>) {
    let mut sessions = Vec::new();
    let mut warnings = Vec::new();
    for path in paths {
        let Some(bytes) = read_log(&path, &mut warnings) else {
            continue;
        };
        match replay(&path, &bytes) {
            Ok(r) => sessions.push(r),
            // A crash between creating a log and writing its first line leaves it empty.
            Err(_) if bytes.is_empty() => {}
            Err(why) => {
                warnings.extend(why);
                warnings.push(format!(
                    "{}: no session this postrun can read; skipped",
                    path.display()
                ));
            }
        }
    }
    sessions.sort_by(|a, b| (a.opened_at, &a.path).cmp(&(b.opened_at, &b.path)));
    (sessions, warnings)
}

/// A log's bytes, or a warning that it cannot be read (it is then skipped).
pub(super) fn read_log(path: &Path, warnings: &mut Vec<String>) -> Option<Vec<u8>> {
    super::read::read(path, super::read::Kind::Log)
        .map_err(|e| warnings.push(format!("{}: cannot read ({e}); skipped", path.display())))
        .ok()
}

/// Rebuilds a session from a log's bytes. `None` when there is no readable opening line.
pub fn replay_bytes(path: &Path, bytes: &[u8]) -> Option<Replayed> {
    replay(path, bytes).ok()
}

/// Rebuilds a session from a log's bytes, or says why not: the warnings, when there is no
/// readable opening line.
pub(super) fn replay(path: &Path, bytes: &[u8]) -> Result<Replayed, Vec<String>> {
    let mut warnings = Vec::new();
    let mut replayed: Option<Replayed> = None;
    let mut newer: Option<u32> = None;
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
                newer = newer.max(Some(v));
                warnings.push(warn(&format!("written by a newer postrun (format {v})")));
                continue;
            }
            Err(e) if e.is_eof() => {
                warnings.push(warn("the line is cut short (a crash while writing?)"));
                continue;
            }
            Err(e) => {
                // serde names our types ("expected struct Opening"): say what a line holds.
                let e = crate::core::protocol::type_names(&e.to_string(), "an object");
                warnings.push(warn(&format!("unreadable line ({e})")));
                continue;
            }
        };
        if record.v > VERSION {
            newer = newer.max(Some(record.v));
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
                let session = begin(&opening);
                replayed = Some(Replayed {
                    path: path.to_path_buf(),
                    done_at: vec![None; session.states().len()],
                    session,
                    opening: *opening,
                    events: Vec::new(),
                    closed: false,
                    opened_at: record.at,
                    last_at: record.at,
                    next_seq: record.seq + 1,
                    warnings: Vec::new(),
                    newer: None,
                });
            }
            (Body::Open(_), Some(_)) => warnings.push(warn("a second opening line")),
            (_, None) => warnings.push(warn("an event before the session's opening line")),
            (Body::Event(event), Some(r)) => {
                let before = r.session.states().to_vec();
                if let Err(refusal) = r.session.apply(event.clone(), record.at) {
                    warnings.push(warn(&format!("the event no longer applies ({refusal})")));
                }
                for ((was, is), at) in before.iter().zip(r.session.states()).zip(&mut r.done_at) {
                    if *is != StepState::Done {
                        *at = None;
                    } else if *was != StepState::Done {
                        *at = Some(record.at);
                    }
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
    let Some(mut replayed) = replayed else {
        return Err(warnings);
    };
    replayed.warnings = warnings;
    replayed.newer = newer;
    Ok(replayed)
}

/// Whether a moment is one a session can be at: 1970 to 9999. A log edited by hand or
/// damaged could hold anything, and time arithmetic on it must not overflow.
pub(super) fn sane_time(t: Timestamp) -> bool {
    (0..=253_402_300_799).contains(&t.timestamp())
}

/// Whether an opening line can be trusted: every time in range and every duration no longer
/// than a protocol allows, as validation would have insisted when the session began.
fn sane(o: &Opening) -> Result<(), String> {
    use crate::core::protocol::{Activity, LONGEST, Window};
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

//! Short accounts of sessions for `history`, cached beside the logs. Replaying a log means
//! parsing its opening line, which carries the whole protocol and its text (about 18 KB for
//! the default one): ten thousand sessions took 0.65 s. The cache keeps each log's summary
//! under its name, length and modification time; a log that has grown or changed since is
//! replayed again, one that is gone is dropped. A missing or unreadable cache is rebuilt.
use std::collections::HashMap;
use std::fs;
use std::path::Path;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::{Error, Replayed, Store};
use crate::core::session::{StepState, Timestamp, open_until};
use crate::core::watch::Run;

/// What `history` shows of a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// The protocol's id.
    pub protocol: String,
    /// When the run finished.
    pub finished_at: Timestamp,
    /// Bedtime (unknown in summaries cached before it was kept).
    #[serde(default)]
    pub bedtime: Option<Timestamp>,
    /// When the log's first line was written.
    pub opened_at: Timestamp,
    /// When its last line was written.
    pub last_at: Timestamp,
    /// Closed by `--new`.
    pub closed: bool,
    /// Every step done or skipped.
    pub complete: bool,
    /// Each step's id and state, in order.
    pub steps: Vec<(String, StepState)>,
    /// How many times each step was done, in order: more than once for a daily step taken
    /// up again. (Required: a summary cached before it was kept is made again.)
    pub uses: Vec<u32>,
    /// The steps the budget dropped and nobody took up: skipped, but not by the runner.
    pub dropped: Vec<usize>,
    /// Seconds given to recovery, as [`crate::core::session::Session::time_spent`] counts.
    pub spent_s: u64,
    /// Lines of the log that could not be used.
    pub warnings: Vec<String>,
    /// The run from the watch the day followed, if it did.
    #[serde(default)]
    pub run: Option<Run>,
    /// The values steps asked for, the last given for each, in step order.
    #[serde(default)]
    pub values: Vec<Given>,
}

/// A value a step asked for, as given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Given {
    /// The step's id.
    pub step: String,
    /// What was asked ("water temperature").
    pub what: String,
    /// The number, as written (`12.5`).
    pub value: String,
    /// Its unit.
    pub unit: String,
}

impl Given {
    /// `ice-bath 10 C`.
    pub fn text(&self) -> String {
        format!("{} {} {}", self.step, self.value, self.unit)
    }
}

impl Summary {
    /// The summary of a replayed session.
    pub fn of(r: &Replayed) -> Summary {
        Summary {
            protocol: r.session.protocol.id.clone(),
            finished_at: r.opening.finished_at,
            bedtime: Some(r.opening.bedtime),
            opened_at: r.opened_at,
            last_at: r.last_at,
            closed: r.closed,
            complete: r.session.is_complete(),
            steps: r
                .session
                .protocol
                .steps
                .iter()
                .zip(r.session.states())
                .map(|(s, st)| (s.id.clone(), *st))
                .collect(),
            uses: r
                .session
                .uses()
                .iter()
                .map(|u| u32::try_from(u.len()).unwrap_or(u32::MAX))
                .collect(),
            dropped: (0..r.session.states().len())
                .filter(|i| r.session.is_dropped(*i))
                .collect(),
            spent_s: r.session.time_spent().as_secs(),
            warnings: r.warnings.clone(),
            run: r.opening.run.clone(),
            values: given(&r.session),
        }
    }

    /// How many times step `i` was done.
    pub fn uses_of(&self, i: usize) -> u32 {
        match self.uses.get(i) {
            Some(n) => *n,
            None => u32::from(
                self.steps
                    .get(i)
                    .is_some_and(|(_, s)| *s == StepState::Done),
            ),
        }
    }

    /// Whether the session is still open at `now`, as [`Replayed::is_open`] says.
    pub fn is_open(&self, now: Timestamp) -> bool {
        !self.closed && !self.complete && now < open_until(self.finished_at, self.bedtime)
    }
}

/// One log's summary, and what the log was like when it was made.
#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    name: String,
    len: u64,
    modified_ns: u64,
    summary: Summary,
}

/// A log's path and its cache entry.
type Logged = (std::path::PathBuf, Entry);

/// The cache's file, beside the sessions folder: that folder holds session logs and nothing
/// else, so no reader of logs ever meets it.
/// The values a session's steps were given, the last for each.
fn given(session: &crate::core::session::Session) -> Vec<Given> {
    session
        .last_values()
        .into_iter()
        .filter_map(|(i, tenths)| {
            let step = session.protocol.steps.get(i)?;
            let ask = step.ask.as_ref()?;
            Some(Given {
                step: step.id.clone(),
                what: ask.what.clone(),
                value: crate::core::protocol::ask::shown(tenths),
                unit: ask.unit.clone(),
            })
        })
        .collect()
}

const CACHE: &str = "summaries.cache";

impl Store {
    /// Where the summaries are cached.
    fn cache(&self) -> std::path::PathBuf {
        self.dir().parent().unwrap_or(self.dir()).join(CACHE)
    }

    /// Every session's summary, oldest first, with the warnings of logs that cannot be read.
    pub fn summaries(&self) -> Result<(Vec<Summary>, Vec<String>), Error> {
        let (entries, warnings) = self.entries()?;
        Ok((
            entries.into_iter().map(|(_, e)| e.summary).collect(),
            warnings,
        ))
    }

    /// The sessions that can matter at `now`, replayed: the open ones, and those written to
    /// in the last two days, whose uses of daily-limited steps may fall on today's calendar
    /// day wherever the runner is. The others are passed over by their cached summaries, so
    /// starting the guide or `status` with years of history costs a look at each log's size
    /// and time, not a replay of each (0.63 s for 10,000 sessions).
    pub fn replay_recent(&self, now: Timestamp) -> Result<(Vec<Replayed>, Vec<String>), Error> {
        let (entries, mut warnings) = self.entries()?;
        let since = now - chrono::TimeDelta::days(2);
        let paths = entries
            .into_iter()
            .filter(|(_, e)| e.summary.is_open(now) || e.summary.last_at >= since)
            .map(|(path, _)| path)
            .collect();
        let (sessions, more) = super::replay_paths(paths);
        warnings.extend(more);
        Ok((sessions, warnings))
    }

    /// Every log's cache entry, made again for logs that changed, oldest first, and the
    /// cache brought up to date.
    fn entries(&self) -> Result<(Vec<Logged>, Vec<String>), Error> {
        let logs = self.logs()?;
        let mut cached = read_cache(&self.cache());
        let (mut entries, mut warnings, mut changed) = (Vec::new(), Vec::new(), false);
        for path in logs {
            let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
                continue;
            };
            let meta = match fs::metadata(&path) {
                Ok(m) => m,
                Err(e) => {
                    warnings.push(format!("{}: cannot read ({e}); skipped", path.display()));
                    continue;
                }
            };
            let modified_ns = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .and_then(|d| u64::try_from(d.as_nanos()).ok())
                .unwrap_or(0);
            if let Some(e) = cached.remove(&name)
                && e.len == meta.len()
                && e.modified_ns == modified_ns
                && modified_ns != 0
            {
                entries.push((path, e));
                continue;
            }
            changed = true;
            let Some(bytes) = super::replay::read_log(&path, &mut warnings) else {
                continue;
            };
            match super::replay::replay(&path, &bytes) {
                Ok(r) => entries.push((
                    path,
                    Entry {
                        name,
                        len: meta.len(),
                        modified_ns,
                        summary: Summary::of(&r),
                    },
                )),
                Err(_) if bytes.is_empty() => {}
                // Why each line could not be used (a damaged opening names its line and what
                // is wrong with it), then that the session is left out.
                Err(why) => {
                    warnings.extend(why);
                    warnings.push(format!(
                        "{}: no session opening line this postrun can read; skipped",
                        path.display()
                    ));
                }
            }
        }
        // Oldest first by when they began; the name breaks ties, as `replay_all` orders them.
        entries.sort_by(|(_, a), (_, b)| {
            (a.summary.opened_at, &a.name).cmp(&(b.summary.opened_at, &b.name))
        });
        if changed || !cached.is_empty() {
            // A cache that cannot be written costs time next run, nothing else.
            let _ = write_cache(&self.cache(), entries.iter().map(|(_, e)| e));
        }
        Ok((entries, warnings))
    }
}

fn read_cache(path: &Path) -> HashMap<String, Entry> {
    let Ok(bytes) = super::read::read(path, super::read::Kind::Cache) else {
        return HashMap::new();
    };
    bytes
        .split(|b| *b == b'\n')
        .filter_map(|line| serde_json::from_slice::<Entry>(line).ok())
        .map(|e| (e.name.clone(), e))
        .collect()
}

/// Writes the cache whole and renames it into place, so a reader never sees half of one; a
/// write that fails (a full disk) leaves nothing behind. It says what the sessions were: the
/// runner's alone.
fn write_cache<'a>(path: &Path, entries: impl Iterator<Item = &'a Entry>) -> Result<(), Error> {
    let mut out = Vec::new();
    for e in entries {
        serde_json::to_writer(&mut out, e).map_err(Error::Encode)?;
        out.push(b'\n');
    }
    if let Some(data) = path.parent() {
        super::write::sweep(data);
    }
    super::write::replace_unsynced(path, &out, super::write::PRIVATE)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::core::protocol::{DEFAULT, builtin};
    use crate::core::session::Event;
    use crate::store::Opening;
    use chrono::{TimeDelta, TimeZone, Utc};

    fn t0() -> Timestamp {
        Utc.with_ymd_and_hms(2026, 5, 1, 9, 40, 0).unwrap()
    }

    fn opening(at: Timestamp) -> Opening {
        let b = builtin(DEFAULT).unwrap();
        Opening {
            protocol: b.parse().unwrap(),
            origin: "built-in".into(),
            source: b.source.into(),
            finished_at: at,
            bedtime: at + TimeDelta::hours(12),
            bedtime_is_default: false,
            dropped: Vec::new(),
            too_late: Vec::new(),
            budget_s: None,
            late: false,
            run: None,
        }
    }

    /// Three sessions a day apart, the last still open.
    fn store(dir: &Path) -> Store {
        let store = Store::new(dir);
        for day in 0..3 {
            let at = t0() + TimeDelta::days(day);
            let (mut log, _) = store.create(opening(at), at).unwrap();
            log.append(at + TimeDelta::minutes(5), &Event::Complete)
                .unwrap();
            if day < 2 {
                log.close(at + TimeDelta::minutes(9)).unwrap();
            }
        }
        store
    }

    fn replayed(store: &Store) -> Vec<Summary> {
        store
            .replay_all()
            .unwrap()
            .0
            .iter()
            .map(Summary::of)
            .collect()
    }

    #[test]
    fn summaries_agree_with_replaying_every_log_cached_or_not() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        let (first, warnings) = store.summaries().unwrap();
        assert!(warnings.is_empty());
        assert_eq!(first, replayed(&store));
        assert!(store.cache().exists());
        let (again, _) = store.summaries().unwrap();
        assert_eq!(again, first);
        assert_eq!(first[0].steps[0], ("hydrate".to_string(), StepState::Done));
        assert!(first[0].closed && !first[2].closed);
        assert!(first[2].is_open(t0() + TimeDelta::days(2)));
    }

    #[test]
    fn the_cache_is_read_instead_of_the_log_while_the_log_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        let (before, _) = store.summaries().unwrap();
        // Garble the oldest log in place, keeping its length and time: the cache answers.
        let log = store.logs().unwrap()[0].clone();
        let meta = fs::metadata(&log).unwrap();
        fs::write(&log, vec![b'x'; meta.len() as usize]).unwrap();
        let f = fs::File::options().write(true).open(&log).unwrap();
        f.set_modified(meta.modified().unwrap()).unwrap();
        drop(f);
        assert_eq!(store.summaries().unwrap().0, before);
    }

    #[test]
    fn a_log_that_grew_is_read_again_and_a_deleted_one_drops_out() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        store.summaries().unwrap();
        let logs = store.logs().unwrap();
        // The open session carries on: a skip is appended.
        let (all, _) = store.replay_all().unwrap();
        let open = all.into_iter().last().unwrap();
        let (mut log, _) = store.resume(open).unwrap();
        let at = t0() + TimeDelta::days(2) + TimeDelta::minutes(20);
        log.append(at, &Event::Skip { confirmed: true }).unwrap();
        fs::remove_file(&logs[0]).unwrap();
        let (now, _) = store.summaries().unwrap();
        assert_eq!(now, replayed(&store));
        assert_eq!(now.len(), 2);
        assert_eq!(now[1].steps[1].1, StepState::Skipped);
    }

    #[test]
    fn a_garbled_cache_is_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        store.summaries().unwrap();
        fs::write(store.cache(), b"{not json\n\xff\n").unwrap();
        assert_eq!(store.summaries().unwrap().0, replayed(&store));
        assert!(read_cache(&store.cache()).len() == 3);
    }
}

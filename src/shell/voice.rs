//! Built-in ways to hear of the guide away from the screen: cues, side switches, "time to get
//! out" and window openings said aloud (`speak = true`: speech-dispatcher's `spd-say`, else
//! `espeak-ng`) and shown as desktop notifications (`notify = true`: `notify-send`). Each
//! program runs as a hook does (see [`super::hooks`]): on a thread, in a session of its own,
//! never holding up the countdown, with a time limit. The text is one argument after `--`, never
//! read by a shell nor as an option.
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use super::hooks::{Call, Kind, Report};
use super::scheduler::find_program;
use super::supervise::{Running, supervise};

/// The speech programs, best first.
pub const SPEAKERS: [&str; 2] = ["spd-say", "espeak-ng"];

/// How long a sentence may take to say: espeak-ng speaks before it exits.
const SPEAK_LIMIT: Duration = Duration::from_secs(60);
/// How long notify-send may take.
const NOTIFY_LIMIT: Duration = Duration::from_secs(10);

/// The programs found, and where to report what goes wrong. Dropped (or
/// [`Voice::finish`]ed), it stops what is still being said.
pub struct Voice {
    speaker: Option<PathBuf>,
    notifier: Option<PathBuf>,
    report: Report,
    running: Running,
}

impl std::fmt::Debug for Voice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Voice")
            .field("speaker", &self.speaker)
            .field("notifier", &self.notifier)
            .finish_non_exhaustive()
    }
}

impl Voice {
    /// Speech if `speak`, notifications if `notify`, with the programs found on `PATH`. A
    /// program asked for and missing is reported once, here, and then never tried.
    pub fn new(speak: bool, notify: bool, report: Report) -> Voice {
        let speaker = speak
            .then(|| SPEAKERS.iter().find_map(|p| find_program(p)))
            .flatten();
        if speak && speaker.is_none() {
            report(
                "speak = true, but neither spd-say (speech-dispatcher) nor espeak-ng is installed: nothing is said aloud".into(),
            );
        }
        let notifier = notify.then(|| find_program("notify-send")).flatten();
        if notify && notifier.is_none() {
            report(
                "notify = true, but notify-send (libnotify) is not installed: no desktop notifications".into(),
            );
        }
        Voice::with_programs(speaker, notifier, report)
    }

    /// With these programs (the tests' stand-ins).
    pub fn with_programs(
        speaker: Option<PathBuf>,
        notifier: Option<PathBuf>,
        report: Report,
    ) -> Voice {
        Voice {
            speaker,
            notifier,
            report,
            running: Running::default(),
        }
    }

    /// Stops what is still being said or shown, as [`super::hooks::Hooks::finish`] does.
    pub fn finish(&self) {
        self.running.stop_all();
    }

    /// Says and shows what `calls` tell of, each on a thread of its own: this returns at once.
    /// A timer's end is left to the bell and the screen; the rest is worth hearing from the
    /// next room.
    pub fn tell(&self, calls: &[Call]) {
        for call in calls.iter().filter(|c| c.event != Kind::TimerEnd) {
            if let Some(speaker) = &self.speaker {
                let mut say = Command::new(speaker);
                say.arg("--").arg(&call.text);
                self.start(say, SPEAK_LIMIT, "saying it aloud");
            }
            if let Some(notifier) = &self.notifier {
                let mut show = Command::new(notifier);
                show.args(["--app-name=postrun", "--", &call.title, &call.text]);
                self.start(show, NOTIFY_LIMIT, "the desktop notification");
            }
        }
    }

    fn start(&self, program: Command, limit: Duration, what: &'static str) {
        let report = Arc::clone(&self.report);
        let running = self.running.clone();
        thread::spawn(move || {
            let path = std::path::Path::new(program.get_program());
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            if let Err(why) = supervise(program, None, limit, &running) {
                report(format!("{what} ({name}) {why}"));
            }
        });
    }
}

impl Drop for Voice {
    fn drop(&mut self) {
        self.finish();
    }
}

//! Issue 18: the built-in speech and notifications run their programs with the text as one
//! argument after `--` (checked against stand-ins that write down their argv), never through
//! a shell, and leave a timer's end to the bell.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use postrun::shell::hooks::{Call, Kind};
use postrun::shell::voice::Voice;

use crate::home::stand_in::{runs_of, stand_in};

/// The arguments of the stand-in's one run since the last look ([`runs_of`]), which is then
/// forgotten, so the next look waits for the next run.
fn args_of(dir: &Path, name: &str) -> Vec<String> {
    let mut runs = runs_of(dir, name);
    std::fs::remove_file(dir.join(format!("{name}.args"))).unwrap();
    runs.pop().unwrap()
}

fn call(event: Kind, text: &str) -> Call {
    Call {
        event,
        step: "ice-bath".into(),
        title: "Ice bath".into(),
        text: text.into(),
        remaining_s: Some(60),
        at: chrono::DateTime::UNIX_EPOCH,
    }
}

#[test]
fn speech_and_notifications_get_the_text_as_one_argument_never_an_option() {
    let dir = tempfile::tempdir().unwrap();
    let warnings = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&warnings);
    let voice = Voice::with_programs(
        Some(stand_in(dir.path(), "spd-say")),
        Some(stand_in(dir.path(), "notify-send")),
        Arc::new(move |w| seen.lock().unwrap().push(w)),
    );
    let hostile = "-w/tmp/postrun-pwned $(touch /tmp/postrun-pwned) `id` ; rm -rf ~";
    for event in [Kind::Cue, Kind::Switch, Kind::GetOut, Kind::WindowOpen] {
        voice.tell(&[call(event, hostile)]);
        assert_eq!(args_of(dir.path(), "spd-say"), ["--", hostile], "{event:?}");
        assert_eq!(
            args_of(dir.path(), "notify-send"),
            ["--app-name=postrun", "--", "Ice bath", hostile],
            "{event:?}"
        );
    }
    assert!(!Path::new("/tmp/postrun-pwned").exists());
    assert_eq!(*warnings.lock().unwrap(), [] as [String; 0]);
}

#[test]
fn a_program_that_fails_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let failing = dir.path().join("espeak-ng");
    std::fs::write(&failing, "#!/bin/sh\necho 'no audio device' >&2\nexit 4\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&failing, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let tx = Mutex::new(tx);
    let voice = Voice::with_programs(
        Some(failing),
        None,
        Arc::new(move |w| {
            let _ = tx.lock().unwrap().send(w);
        }),
    );
    voice.tell(&[call(Kind::Cue, "three minutes")]);
    let w = rx.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(
        w,
        "saying it aloud (espeak-ng) failed with exit code 4: no audio device"
    );
}

#[test]
fn the_guides_end_stops_what_is_still_being_said() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let slow = dir.path().join("espeak-ng");
    let pid_file = dir.path().join("pid");
    std::fs::write(
        &slow,
        format!(
            "#!/bin/sh\necho $$ > '{}'\nexec sleep 304\n",
            pid_file.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&slow, std::fs::Permissions::from_mode(0o755)).unwrap();
    let voice = Voice::with_programs(Some(slow), None, Arc::new(|_| {}));
    voice.tell(&[call(Kind::Cue, "three minutes")]);
    let started = Instant::now();
    let pid = loop {
        if let Some(pid) = std::fs::read_to_string(&pid_file)
            .ok()
            .and_then(|s| s.trim().parse::<u32>().ok())
        {
            break pid;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "never spoke");
        std::thread::sleep(Duration::from_millis(10));
    };
    drop(voice);
    // Killed, and reaped (or a zombie left for whoever adopted it).
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let state = stat
        .rsplit_once(')')
        .map(|(_, r)| r.trim_start().to_string());
    assert!(
        state.is_none_or(|s| s.starts_with('Z')),
        "speech {pid} outlived the guide: {stat}"
    );
}

//! The guide and its log, end to end in tmux: a second window on the same session is turned
//! away while the first runs, and a write that fails mid-session gives the terminal back with
//! a clear error and nothing recorded lost. Skips with a notice where tmux is missing, except
//! under CI=true.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use tempfile::TempDir;

fn tmux_available() -> bool {
    let found = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "tmux is missing under CI=true; .ci/run must install it"
        );
        eprintln!("NOTICE: tmux not found; skipping the end-to-end storage tests");
    }
    found
}

/// A tmux server of its own, one session `t` whose windows are numbered from 0, and a temp
/// home for postrun.
struct Tmux {
    socket: String,
    dir: TempDir,
}

impl Tmux {
    fn new(name: &str) -> Tmux {
        Tmux {
            socket: format!("postrun-storage-{name}-{}", std::process::id()),
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The environment postrun runs with, as a shell prefix.
    fn env(&self) -> String {
        let d = self.dir.path().display();
        format!("env XDG_CONFIG_HOME={d}/config XDG_DATA_HOME={d}/data TZ=UTC")
    }

    /// Runs `shell` in window `w` (0 makes the session); when it ends, the window says
    /// `EXITED <code>` and stays. A second run in a window replaces what runs there.
    fn run(&self, w: u8, shell: &str) {
        let cmd = format!("{shell}; echo EXITED $?; sleep 600");
        let target = format!("t:{w}");
        let exists = self
            .tmux(&["list-windows", "-t", "t", "-F", "#{window_index}"])
            .lines()
            .any(|l| l == w.to_string());
        let args: Vec<&str> = match (w, exists) {
            (_, true) => vec!["respawn-window", "-k", "-t", &target, &cmd],
            (0, false) => vec![
                "new-session",
                "-d",
                "-s",
                "t",
                "-x",
                "200",
                "-y",
                "24",
                &cmd,
            ],
            (_, false) => vec!["new-window", "-d", "-t", &target, &cmd],
        };
        let ok = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(&args)
            .status()
            .unwrap();
        assert!(ok.success());
    }

    /// Runs postrun with `args` in window `w`.
    fn postrun(&self, w: u8, args: &str) {
        let bin = env!("CARGO_BIN_EXE_postrun");
        self.run(w, &format!("{} '{bin}' {args}", self.env()));
    }

    fn keys(&self, w: u8, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", &format!("t:{w}"), k]);
        }
    }

    fn screen(&self, w: u8) -> String {
        self.tmux(&["capture-pane", "-p", "-t", &format!("t:{w}")])
    }

    /// Waits until window `w` shows `needle`, polling; fails with the screen after `secs`.
    fn wait_for(&self, w: u8, needle: &str, secs: u64) -> String {
        let until = Instant::now() + Duration::from_secs(secs);
        loop {
            let screen = self.screen(w);
            if screen.contains(needle) {
                return screen;
            }
            assert!(
                Instant::now() < until,
                "waited {secs}s for {needle:?} in window {w}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// postrun run plainly (no terminal) in this home.
    fn plain(&self, args: &[&str]) -> Output {
        let d = self.dir.path();
        Command::new(env!("CARGO_BIN_EXE_postrun"))
            .args(args)
            .env("XDG_CONFIG_HOME", d.join("config"))
            .env("XDG_DATA_HOME", d.join("data"))
            .env("TZ", "UTC")
            .output()
            .unwrap()
    }

    fn sessions(&self) -> PathBuf {
        self.dir.path().join("data/postrun/sessions")
    }

    /// The files in the sessions folder ending in `ext`.
    fn files(&self, ext: &str) -> Vec<PathBuf> {
        std::fs::read_dir(self.sessions())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == ext))
            .collect()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.tmux(&["kill-server"]);
    }
}

#[test]
fn a_second_window_is_turned_away_while_the_guide_runs() {
    if !tmux_available() {
        return;
    }
    let t = Tmux::new("two");
    t.postrun(0, "--finished 20m --bedtime 22:30");
    t.wait_for(0, "Enter done", 10);
    let pid_file = t.files("pid");
    assert_eq!(pid_file.len(), 1, "the guide signs its lock");
    let pid = std::fs::read_to_string(&pid_file[0]).unwrap();
    let pid = pid.trim();
    let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap();
    assert_eq!(comm.trim(), "postrun");

    // The second window: told who has the session and how to watch it, exit 2.
    t.postrun(1, "--finished 20m --bedtime 22:30");
    let screen = t.wait_for(1, "EXITED 2", 10);
    assert!(
        screen.contains(&format!(
            "postrun: this session is open in another window (pid {pid}); close it there, or \
             watch it with `postrun status`"
        )),
        "{screen}"
    );

    // Watching is free, and follows what the guide writes.
    t.keys(0, &["Enter"]);
    t.wait_for(0, "1/9 done", 5);
    let status = t.plain(&["status"]);
    assert_eq!(status.status.code(), Some(0));
    let line = String::from_utf8(status.stdout).unwrap();
    assert!(line.ends_with(" · 1/9\n"), "{line}");
    assert_eq!(t.plain(&["history"]).status.code(), Some(0));

    // Once the first window quits, the second opens the session.
    t.keys(0, &["q"]);
    t.wait_for(0, "EXITED 0", 5);
    assert!(
        t.files("pid").is_empty(),
        "the lock's pid file goes with it"
    );
    t.postrun(1, "--finished 20m --bedtime 22:30");
    t.wait_for(1, "1/9 done", 10);
    t.keys(1, &["q"]);
    t.wait_for(1, "EXITED 0", 5);
    assert_eq!(t.files("jsonl").len(), 1, "one session all along");
}

#[test]
fn a_write_that_fails_mid_session_gives_the_terminal_back_and_loses_nothing() {
    if !tmux_available() {
        return;
    }
    let t = Tmux::new("full");
    assert_eq!(
        t.plain(&["--finished", "20m", "--bedtime", "22:30"])
            .status
            .code(),
        Some(0)
    );
    let log = t.files("jsonl").pop().unwrap();
    let before = std::fs::read(&log).unwrap();

    // No byte can be added to any file from here on, as on a full disk.
    let bin = env!("CARGO_BIN_EXE_postrun");
    t.run(
        0,
        &format!("trap '' XFSZ; ulimit -f 0; {} '{bin}'", t.env()),
    );
    t.wait_for(0, "Enter done", 10);
    t.keys(0, &["Enter"]);
    let screen = t.wait_for(0, "EXITED 2", 10);
    assert!(
        screen.contains(&format!("postrun: cannot write to {}", log.display()))
            && screen.contains("File too large (os error 27); everything before it is saved"),
        "{screen}"
    );
    assert!(
        !screen.contains("Enter done"),
        "the guide's screen is gone: {screen}"
    );
    assert!(
        std::fs::read(&log).unwrap() == before,
        "the log is as it was"
    );
    let status = t.plain(&["status"]);
    let line = String::from_utf8(status.stdout).unwrap();
    assert!(
        line.starts_with("hydrate ") && line.ends_with(" · 0/9\n"),
        "{line}"
    );
}

//! The tmux harness the end-to-end tests share: one tmux server per test, the XDG folders in a
//! temp dir, the real binary. Either postrun runs as the pane's program (`start`, `spawn`), or
//! an interactive bash runs in the pane and the test types into it (`start_shell`, `type_line`,
//! `shell_run`), so the shell's own terminal state can be checked before and after.
//!
//! Each test file uses a part of it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The shell prompt in `start_shell` panes (a space follows it; captures trim it).
pub const PROMPT: &str = "postrun-test$";

/// One tmux server of its own per test, so tests never see each other's panes.
pub struct Tmux {
    socket: String,
    /// The temp dir: `config/`, `data/`, and the shell's working folder.
    pub dir: TempDir,
    /// `shell_run` markers so far, so each waits for its own.
    marks: std::cell::Cell<u32>,
}

/// Whether tmux is here; a notice when not, and a failure under CI=true, where `.ci/run` has
/// installed it.
pub fn tmux_available() -> bool {
    let found = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "tmux is missing under CI=true; .ci/run must install it"
        );
        eprintln!("NOTICE: tmux not found; skipping the end-to-end TUI tests");
    }
    found
}

impl Tmux {
    /// A fresh server and temp dir; `name` keeps sockets of parallel tests apart.
    pub fn new(name: &str) -> Tmux {
        Tmux {
            socket: format!("postrun-test-{name}-{}", std::process::id()),
            dir: tempfile::tempdir().unwrap(),
            marks: std::cell::Cell::new(0),
        }
    }

    /// Runs a tmux command on this server; its stdout.
    pub fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn running(&self) -> bool {
        Command::new("tmux")
            .args(["-L", &self.socket, "has-session"])
            .output()
            .is_ok_and(|o| o.status.success())
    }

    /// Runs `cmd` through `sh -c` as the pane's program at `size`: a new session the first
    /// time, a respawn of the same pane after.
    pub fn spawn(&self, size: (u16, u16), cmd: &str) {
        let (w, h) = (size.0.to_string(), size.1.to_string());
        let d = self.dir.path().to_str().unwrap();
        let args: Vec<&str> = if self.running() {
            vec!["respawn-pane", "-k", "-c", d, cmd]
        } else {
            vec!["new-session", "-d", "-x", &w, "-y", &h, "-c", d, cmd]
        };
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(&args)
            .output()
            .unwrap();
        assert!(out.status.success(), "tmux {args:?}: {out:?}");
    }

    /// `env` settings that put postrun's folders in the temp dir, in UTC.
    pub fn env(&self) -> String {
        let d = self.dir.path().display();
        format!("XDG_CONFIG_HOME={d}/config XDG_DATA_HOME={d}/data TZ=UTC")
    }

    /// Starts postrun at a size; when it exits, the pane says `EXITED <code>` and stays.
    pub fn start(&self, size: (u16, u16), args: &str) {
        let cmd = format!(
            "env {} '{}' {args}; echo EXITED $?; sleep 600",
            self.env(),
            env!("CARGO_BIN_EXE_postrun")
        );
        self.spawn(size, &cmd);
    }

    /// Starts an interactive bash with no startup files in the pane, with postrun's folders in
    /// the temp dir and a wrapper on its PATH: `postrun` there writes its process id to
    /// `postrun.pid` (see `pid`) and becomes the real binary.
    pub fn start_shell(&self, size: (u16, u16)) {
        let d = self.dir.path();
        let wrapper = d.join("bin/postrun");
        std::fs::create_dir_all(wrapper.parent().unwrap()).unwrap();
        std::fs::write(
            &wrapper,
            format!(
                "#!/bin/sh\necho $$ > '{}'\nexec '{}' \"$@\"\n",
                self.pid_file().display(),
                env!("CARGO_BIN_EXE_postrun")
            ),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
        let cmd = format!(
            "env {} PATH='{}':\"$PATH\" PS1='{PROMPT} ' HISTFILE=/dev/null bash --norc --noprofile",
            self.env(),
            d.join("bin").display()
        );
        self.spawn(size, &cmd);
        self.wait_for(PROMPT, 10);
    }

    fn pid_file(&self) -> PathBuf {
        self.dir.path().join("postrun.pid")
    }

    /// Types a line into the pane's shell and presses Enter; waits for nothing.
    pub fn type_line(&self, line: &str) {
        self.tmux(&["send-keys", "-l", line]);
        self.tmux(&["send-keys", "Enter"]);
    }

    /// Launches postrun from the shell and returns its process id once it runs.
    pub fn launch(&self, line: &str) -> u32 {
        let _ = std::fs::remove_file(self.pid_file());
        self.type_line(line);
        let until = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(pid) = std::fs::read_to_string(self.pid_file())
                .ok()
                .and_then(|s| s.trim().parse().ok())
            {
                return pid;
            }
            assert!(
                Instant::now() < until,
                "postrun never started:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Runs a command line in the pane's shell and waits until the shell has run it and is
    /// back: proof that the shell reads lines again. Its output is on the screen.
    pub fn shell_run(&self, line: &str) -> String {
        let n = self.marks.get() + 1;
        self.marks.set(n);
        // The marker is computed, so the typed line itself never matches it.
        self.type_line(&format!("{line}; echo RAN-$(({n}*1000+1))"));
        self.wait_for(&format!("RAN-{}", n * 1000 + 1), 10)
    }

    /// Presses keys (tmux key names).
    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", k]);
        }
    }

    /// The visible screen.
    pub fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p"])
    }

    /// A tmux format about the pane, such as `#{alternate_on}`.
    pub fn pane(&self, format: &str) -> String {
        self.tmux(&["display-message", "-p", format])
            .trim()
            .to_string()
    }

    /// Waits until the screen shows `needle`, polling; fails with the screen after `secs`.
    pub fn wait_for(&self, needle: &str, secs: u64) -> String {
        self.wait_until(secs, &format!("{needle:?}"), |s| s.contains(needle))
    }

    /// Waits until the screen passes `test`, polling; fails with the screen after `secs`.
    pub fn wait_until(&self, secs: u64, what: &str, test: impl Fn(&str) -> bool) -> String {
        let until = Instant::now() + Duration::from_secs(secs);
        loop {
            let screen = self.screen();
            if test(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < until,
                "waited {secs}s for {what}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until a pane format reads `want`.
    pub fn wait_pane(&self, format: &str, want: &str, secs: u64) {
        let until = Instant::now() + Duration::from_secs(secs);
        loop {
            let got = self.pane(format);
            if got == want {
                return;
            }
            assert!(
                Instant::now() < until,
                "waited {secs}s for {format} = {want}, got {got}; the screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Runs the binary outside tmux on the same folders (`status --json`, ...).
    pub fn postrun(&self, args: &[&str]) -> Output {
        let d = self.dir.path();
        Command::new(env!("CARGO_BIN_EXE_postrun"))
            .args(args)
            .env("XDG_CONFIG_HOME", d.join("config"))
            .env("XDG_DATA_HOME", d.join("data"))
            .env("TZ", "UTC")
            .output()
            .unwrap()
    }

    /// `postrun status --json`, parsed; `None` when there is no open session.
    pub fn status(&self) -> Option<serde_json::Value> {
        let out = self.postrun(&["status", "--json"]);
        if out.status.code() == Some(1) {
            return None;
        }
        assert!(out.status.success(), "status --json failed: {out:?}");
        Some(serde_json::from_slice(&out.stdout).unwrap())
    }

    /// The folder of session logs.
    pub fn sessions_dir(&self) -> PathBuf {
        self.dir.path().join("data/postrun/sessions")
    }

    /// Writes a protocol file into the temp dir; its path.
    pub fn protocol(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.tmux(&["kill-server"]);
    }
}

/// Sends a signal (`TERM`, `HUP`, `KILL`, ...) to a process.
pub fn signal(pid: u32, name: &str) {
    let out = Command::new("kill")
        .args([&format!("-{name}"), &pid.to_string()])
        .output()
        .unwrap();
    assert!(out.status.success(), "kill -{name} {pid}: {out:?}");
}

/// Whether a process still exists (and is not a zombie waiting to be reaped).
pub fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit_once(')')
                .map(|(_, rest)| rest.trim_start().to_string())
        })
        .is_some_and(|rest| !rest.starts_with('Z'))
}

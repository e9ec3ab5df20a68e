//! The tmux harness, built on [`Home`]: one tmux server per test, started in the home's
//! environment, so every pane runs with the home's folders, in UTC, and none of the user's
//! environment (tmux adds `TERM`). Either postrun runs as the pane's program (`start`,
//! `spawn`), or an interactive bash runs in the pane and the test types into it
//! (`start_shell`, `type_line`, `shell_run`), so the shell's own terminal state can be checked
//! before and after.
//!
//! Each test module uses a part of it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use super::{BIN, Home};

/// The shell prompt in `start_shell` panes (a space follows it; captures trim it).
pub const PROMPT: &str = "postrun-test$";

/// One tmux server of its own per test, so tests never see each other's panes.
pub struct Tmux {
    socket: String,
    /// The home: `config/`, `data/`, and the panes' working folder.
    pub home: Home,
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
    /// A fresh server and home; `name` keeps sockets of parallel tests apart.
    pub fn new(name: &str) -> Tmux {
        Tmux {
            socket: format!("postrun-test-{name}-{}", std::process::id()),
            home: Home::new(),
            marks: std::cell::Cell::new(0),
        }
    }

    /// A tmux command on this server, in the home's environment: the server the first one
    /// starts keeps it, and gives it to every pane.
    fn command(&self) -> Command {
        let mut cmd = self.home.std_command("tmux");
        cmd.arg("-L").arg(&self.socket);
        cmd
    }

    /// Runs a tmux command on this server; its stdout.
    pub fn tmux(&self, args: &[&str]) -> String {
        let out = self.command().args(args).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn running(&self) -> bool {
        self.command()
            .arg("has-session")
            .output()
            .is_ok_and(|o| o.status.success())
    }

    /// Runs `cmd` through `sh -c` as the pane's program at `size`: a new session the first
    /// time, a respawn of the same pane after.
    pub fn spawn(&self, size: (u16, u16), cmd: &str) {
        let (w, h) = (size.0.to_string(), size.1.to_string());
        let d = self.home.path().to_str().unwrap();
        let args: Vec<&str> = if self.running() {
            vec!["respawn-pane", "-k", "-c", d, cmd]
        } else {
            vec!["new-session", "-d", "-x", &w, "-y", &h, "-c", d, cmd]
        };
        let out = self.command().args(&args).output().unwrap();
        assert!(out.status.success(), "tmux {args:?}: {out:?}");
    }

    /// Starts postrun at a size; when it exits, the pane says `EXITED <code>` and stays.
    pub fn start(&self, size: (u16, u16), args: &str) {
        self.spawn(size, &format!("'{BIN}' {args}; echo EXITED $?; sleep 600"));
    }

    /// Starts an interactive bash with no startup files in the pane, with a wrapper on its
    /// PATH: `postrun` there writes its process id to `postrun.pid` (see `launch`) and becomes
    /// the real binary.
    pub fn start_shell(&self, size: (u16, u16)) {
        let d = self.home.path();
        let wrapper = d.join("bin/postrun");
        std::fs::create_dir_all(wrapper.parent().unwrap()).unwrap();
        std::fs::write(
            &wrapper,
            format!(
                "#!/bin/sh\necho $$ > '{}'\nexec '{}' \"$@\"\n",
                self.pid_file().display(),
                BIN
            ),
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).unwrap();
        let cmd = format!(
            "env PATH='{}':\"$PATH\" PS1='{PROMPT} ' HISTFILE=/dev/null bash --norc --noprofile",
            d.join("bin").display()
        );
        self.spawn(size, &cmd);
        self.wait_for(PROMPT, 10);
    }

    fn pid_file(&self) -> PathBuf {
        self.home.path().join("postrun.pid")
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

    /// Runs the binary outside tmux in the same home (`status --json`, ...).
    pub fn postrun(&self, args: &[&str]) -> Output {
        self.home.postrun().args(args).output().unwrap()
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
        self.home.data_home().join("postrun/sessions")
    }

    /// Writes a protocol file into the home; its path.
    pub fn protocol(&self, name: &str, text: &str) -> PathBuf {
        let path = self.home.path().join(name);
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

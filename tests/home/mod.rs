//! The one way the tests start the real binary: in a temp home, with the config and data
//! folders inside it, the clock in UTC, and none of the user's environment (`BurntSushi/ripgrep`
//! `tests/util.rs` `Dir::command`). Run it straight (`postrun`, `command`), spawn it to talk
//! through pipes (`std_postrun`, `std_command`), or in tmux ([`tmux::Tmux`], whose server starts
//! in this same environment). Each test module adds what it needs on top.
#![allow(dead_code, clippy::unwrap_used)]

pub mod stand_in;
pub mod tmux;

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use tempfile::TempDir;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_postrun");

/// A bedtime 12 hours from now (the harness's clock is UTC), for `--bedtime`: whatever the
/// hour a test runs, a run "5m" ago is a day, not a late night, and keeps its file's order.
pub fn bedtime_far() -> String {
    (chrono::Utc::now() + chrono::TimeDelta::hours(12))
        .format("%H:%M")
        .to_string()
}

/// A temp home: config and data folders inside it, and none of the user's environment.
pub struct Home {
    pub dir: TempDir,
}

impl Home {
    pub fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// The home's folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `XDG_CONFIG_HOME`: postrun's config is in `postrun/` under it.
    pub fn config_home(&self) -> PathBuf {
        self.path().join("config")
    }

    /// `XDG_DATA_HOME`: postrun's data is in `postrun/` under it.
    pub fn data_home(&self) -> PathBuf {
        self.path().join("data")
    }

    /// Everything a program run here sees of the environment: the test's `PATH`, and `HOME`,
    /// the XDG folders and `TZ=UTC` of its own. A test that needs more (or another `TZ`, or
    /// another `PATH`) sets it on the command.
    pub fn vars(&self) -> [(&'static str, OsString); 5] {
        [
            ("PATH", std::env::var_os("PATH").unwrap_or_default()),
            ("HOME", self.path().into()),
            ("XDG_CONFIG_HOME", self.config_home().into()),
            ("XDG_DATA_HOME", self.data_home().into()),
            ("TZ", "UTC".into()),
        ]
    }

    /// A program run in this home, in its folder, as a [`std::process::Command`] (to spawn it
    /// and talk through pipes).
    pub fn std_command(&self, program: impl AsRef<OsStr>) -> std::process::Command {
        let mut cmd = std::process::Command::new(program);
        cmd.env_clear().envs(self.vars()).current_dir(self.path());
        cmd
    }

    /// A program run in this home, in its folder, to assert on its output.
    pub fn command(&self, program: impl AsRef<OsStr>) -> assert_cmd::Command {
        assert_cmd::Command::from_std(self.std_command(program))
    }

    /// postrun run in this home, to assert on its output.
    pub fn postrun(&self) -> assert_cmd::Command {
        self.command(BIN)
    }

    /// The session logs in this home's data folder, oldest first (their names start with
    /// the time they were made).
    pub fn logs(&self) -> Vec<PathBuf> {
        let dir = self.data_home().join("postrun/sessions");
        let mut logs: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        logs.retain(|p| p.extension().is_some_and(|x| x == "jsonl"));
        logs.sort();
        logs
    }

    /// postrun run in this home, to spawn it and talk through pipes.
    pub fn std_postrun(&self) -> std::process::Command {
        self.std_command(BIN)
    }
}

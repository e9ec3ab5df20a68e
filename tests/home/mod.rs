//! A temp home for runs of the real binary: config and data folders inside it, and none of the
//! user's environment. Each test file adds the helpers it needs in an `impl Home` of its own.
#![allow(dead_code, clippy::unwrap_used)]

use assert_cmd::Command;
use tempfile::TempDir;

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

    /// A program run in this home: only PATH kept, HOME and the XDG folders inside it.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .current_dir(self.dir.path());
        cmd
    }
}

//! End-to-end runs of the built binary for the plain commands, each in a fresh temp home.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

/// A temp home: config and data folders inside it, and none of the user's environment.
struct Home {
    dir: TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn postrun(&self) -> Command {
        let mut cmd = Command::cargo_bin("postrun").unwrap();
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .current_dir(self.dir.path());
        cmd
    }

    fn protocols(&self) -> PathBuf {
        self.dir.path().join("config/postrun/protocols")
    }

    /// An executable script standing in for the runner's editor.
    fn editor(&self, body: &str) -> PathBuf {
        let path = self.dir.path().join("editor.sh");
        fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
        path
    }
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap()
}

#[test]
fn check_reports_ok_with_step_counts() {
    let home = Home::new();
    let root = env!("CARGO_MANIFEST_DIR");
    home.postrun()
        .args(["check"])
        .arg(format!("{root}/protocols/optimal-recovery.toml"))
        .arg(format!("{root}/protocols/soothe-sore-muscles.toml"))
        .assert()
        .success()
        .stdout(
            predicate::str::contains("optimal-recovery.toml: ok (9 steps)").and(
                predicate::str::contains("soothe-sore-muscles.toml: ok (6 steps)"),
            ),
        );
}

#[test]
fn check_takes_a_builtin_name_and_reports_a_missing_file() {
    let home = Home::new();
    home.postrun()
        .args(["check", "optimal-recovery"])
        .assert()
        .success()
        .stdout("optimal-recovery: ok (9 steps)\n");
    home.postrun()
        .args(["check", "nowhere.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "nowhere.toml: cannot read nowhere.toml:",
        ));
}

#[test]
fn check_needs_a_file() {
    Home::new().postrun().arg("check").assert().code(2);
}

#[test]
fn bad_usage_exits_2_and_help_exits_0() {
    let home = Home::new();
    home.postrun().arg("--nonsense").assert().code(2);
    home.postrun()
        .args(["--finished", "soon"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("'soon'"));
    home.postrun().args(["--bedtime", "25:00"]).assert().code(2);
    home.postrun()
        .args(["--budget", "-5m"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("negative"));
    home.postrun()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("check"));
}

#[test]
fn show_prints_nine_steps_with_windows_and_timers() {
    let out = Home::new()
        .postrun()
        .arg("show")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    for (id, window) in [
        ("hydrate", "within 10m-15m"),
        ("stretch", "within 25m-30m"),
        ("snack", "within 25m-30m"),
        ("meal", "1h-2h after"),
        ("epsom-bath", "1h30m-1h before bed"),
    ] {
        let row = out
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(id))
            .unwrap_or_else(|| panic!("no {id} row in\n{out}"));
        assert!(row.ends_with(window), "{id}: {row}");
    }
    for id in ["ice-bath", "nap", "roll", "sleep"] {
        assert!(
            out.lines().any(|l| l.split_whitespace().nth(1) == Some(id)),
            "{id} missing:\n{out}"
        );
    }
    assert!(out.contains("timer 10m-15m"), "{out}");
    assert!(
        out.contains("- Quadriceps 20s-30s each: left leg, right leg"),
        "{out}"
    );
    assert!(
        out.contains("- Calf 30s-40s each: left foot, right foot"),
        "{out}"
    );
}

#[test]
fn show_names_an_unknown_protocol_and_lists_the_known() {
    Home::new()
        .postrun()
        .args(["show", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no protocol named 'nope'; available: optimal-recovery, soothe-sore-muscles",
        ));
}

#[test]
fn show_of_a_bad_file_points_at_the_fault() {
    let home = Home::new();
    let bad = home.dir.path().join("bad.toml");
    fs::write(&bad, "name = \"x\"\nsummary = \"y\"\nsteps = []\n").unwrap();
    home.postrun()
        .args(["show", "bad.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "bad.toml:3:9: the protocol has no steps",
        ));
}

#[test]
fn init_writes_the_builtins_and_refuses_to_overwrite() {
    let home = Home::new();
    let dir = home.protocols();
    home.postrun()
        .arg("init")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            dir.join("optimal-recovery.toml").display().to_string(),
        ));
    assert_eq!(
        read(&dir.join("optimal-recovery.toml")),
        postrun::protocol::BUILTINS[0].source
    );
    assert_eq!(
        read(&dir.join("soothe-sore-muscles.toml")),
        postrun::protocol::BUILTINS[1].source
    );

    fs::write(dir.join("optimal-recovery.toml"), "my edits").unwrap();
    home.postrun()
        .arg("init")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    assert_eq!(
        read(&dir.join("optimal-recovery.toml")),
        "my edits",
        "init must not overwrite"
    );

    home.postrun().args(["init", "--force"]).assert().success();
    assert_eq!(
        read(&dir.join("optimal-recovery.toml")),
        postrun::protocol::BUILTINS[0].source
    );
}

#[test]
fn the_runners_copy_wins_over_the_builtin() {
    let home = Home::new();
    home.postrun().arg("init").assert().success();
    let file = home.protocols().join("optimal-recovery.toml");
    fs::write(
        &file,
        read(&file).replace("title = \"Hydrate\"", "title = \"Drink up\""),
    )
    .unwrap();
    home.postrun()
        .arg("show")
        .assert()
        .success()
        .stdout(predicate::str::contains("Drink up"));
}

#[test]
fn edit_saves_a_valid_change() {
    let home = Home::new();
    let editor = home.editor(r#"sed -i 's/^title = "Hydrate"/title = "Drink"/' "$1""#);
    home.postrun()
        .arg("edit")
        .env("EDITOR", &editor)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "optimal-recovery.toml: ok (9 steps), saved",
        ));
    let file = home.protocols().join("optimal-recovery.toml");
    assert!(read(&file).contains("title = \"Drink\""));
    assert!(
        !home
            .protocols()
            .join(".optimal-recovery.edit.toml")
            .exists(),
        "draft left behind"
    );
}

#[test]
fn edit_never_leaves_an_invalid_file_in_use() {
    let home = Home::new();
    home.postrun().arg("init").assert().success();
    let file = home.protocols().join("optimal-recovery.toml");
    let before = read(&file);
    let editor = home.editor(r#"sed -i 's/^title = "Hydrate"/title = ""/' "$1""#);
    let line = 1 + before
        .lines()
        .position(|l| l == "title = \"Hydrate\"")
        .unwrap();
    home.postrun()
        .arg("edit")
        .env("EDITOR", &editor)
        .write_stdin("n\n")
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains(format!(
                ".optimal-recovery.edit.toml:{line}:9: 'title' is empty"
            ))
            .and(predicate::str::contains("Reopen the editor to fix it?"))
            .and(predicate::str::contains("is unchanged and still in use")),
        );
    assert_eq!(read(&file), before, "the protocol in use must be untouched");
    let draft = home.protocols().join(".optimal-recovery.edit.toml");
    assert!(
        read(&draft).contains("title = \"\""),
        "the runner's edit is kept in the draft"
    );
}

#[test]
fn edit_reopens_on_error_until_the_file_is_valid() {
    let home = Home::new();
    // First run breaks the title, second run fixes it.
    let editor = home.editor(
        r#"if [ -e "$1.once" ]; then sed -i 's/^title = ""/title = "Fixed"/' "$1"; else touch "$1.once"; sed -i 's/^title = "Hydrate"/title = ""/' "$1"; fi"#,
    );
    home.postrun()
        .args(["edit", "optimal-recovery"])
        .env("VISUAL", &editor)
        .env("EDITOR", "false")
        .write_stdin("y\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("saved"));
    assert!(read(&home.protocols().join("optimal-recovery.toml")).contains("title = \"Fixed\""));
}

#[test]
fn edit_without_changes_says_so() {
    let home = Home::new();
    home.postrun()
        .arg("edit")
        .env("EDITOR", "true")
        .assert()
        .success()
        .stdout(predicate::str::contains("no changes"));
}

#[test]
fn edit_a_failing_editor_changes_nothing() {
    let home = Home::new();
    home.postrun().arg("init").assert().success();
    let file = home.protocols().join("optimal-recovery.toml");
    let before = read(&file);
    home.postrun()
        .arg("edit")
        .env("EDITOR", "false")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unchanged"));
    assert_eq!(read(&file), before);
}

#[test]
fn edit_a_new_name_starts_from_the_default() {
    let home = Home::new();
    home.postrun()
        .args(["edit", "mine"])
        .env("EDITOR", "true")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "from the built-in optimal-recovery",
        ));
    home.postrun()
        .args(["show", "mine"])
        .assert()
        .success()
        .stdout(predicate::str::contains("(mine)"));
}

#[test]
fn completions_for_each_shell() {
    let home = Home::new();
    for shell in ["bash", "zsh", "fish"] {
        home.postrun()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("postrun"));
    }
    home.postrun()
        .args(["completions", "tcsh"])
        .assert()
        .code(2);
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let home = Home::new();
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{}' completions bash | head -c 10 >/dev/null",
            env!("CARGO_BIN_EXE_postrun")
        ))
        .env("XDG_CONFIG_HOME", home.dir.path().join("config"))
        .env("XDG_DATA_HOME", home.dir.path().join("data"))
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

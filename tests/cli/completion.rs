//! Issue 18: completions offer routine names (the built-ins and the runner's own) for
//! `--protocol`, `show`, `edit` and `check` (files too), and never a hidden command. The
//! scripts ask postrun at each Tab (`POSTRUN_COMPLETE`); these tests ask it the way each
//! shell's script does, and bash through its script for real.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::ffi::OsString;
use std::fs;
use std::path::Path;

use crate::home::{BIN, Home};

/// A home with a routine of the runner's own, `mine`, and a file to check beside it.
fn home() -> Home {
    let home = Home::new();
    let protocols = home.config_home().join("postrun/protocols");
    fs::create_dir_all(&protocols).unwrap();
    fs::write(protocols.join("mine.toml"), "name = \"Mine\"\n").unwrap();
    fs::write(home.path().join("draft.toml"), "").unwrap();
    home
}

/// `PATH` with postrun on it, as an installed postrun is.
fn path_with_postrun() -> OsString {
    let dir = Path::new(BIN).parent().unwrap();
    let mut paths = vec![dir.to_path_buf()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).unwrap()
}

/// What postrun offers for the last of `words` when `shell`'s script asks: the values, without
/// the descriptions zsh and fish get beside them.
fn offered(home: &Home, shell: &str, words: &[&str]) -> Vec<String> {
    let mut cmd = home.postrun();
    cmd.env("POSTRUN_COMPLETE", shell)
        .env("_CLAP_IFS", "\n")
        .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
        .arg("--")
        .args(words);
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let value = match shell {
                "zsh" => l.split(':').next().unwrap(),
                "fish" => l.split('\t').next().unwrap(),
                _ => l,
            };
            value.to_string()
        })
        .collect()
}

const ROUTINES: [&str; 3] = ["mine", "optimal-recovery", "soothe-sore-muscles"];

#[test]
fn routine_names_are_offered_where_a_routine_is_named() {
    let home = home();
    for shell in ["bash", "zsh", "fish"] {
        for words in [
            &["postrun", "show", ""][..],
            &["postrun", "edit", ""],
            &["postrun", "--protocol", ""],
            &["postrun", "plan", "--protocol", ""],
            &["postrun", "check", ""],
        ] {
            let got = offered(&home, shell, words);
            for name in ROUTINES {
                assert!(got.iter().any(|g| g == name), "{shell} {words:?}: {got:?}");
            }
            // The runner's routines, not the files in the folder they stand in...
            let files = got.iter().any(|g| g == "draft.toml");
            // ...but check takes files as well.
            assert_eq!(files, words[1] == "check", "{shell} {words:?}: {got:?}");
        }
        assert_eq!(
            offered(&home, shell, &["postrun", "show", "s"]),
            ["soothe-sore-muscles"],
            "{shell}"
        );
        assert_eq!(
            offered(&home, shell, &["postrun", "edit", "m"]),
            ["mine"],
            "{shell}"
        );
        // A path is completed as a path once it looks like one.
        assert_eq!(
            offered(&home, shell, &["postrun", "show", "./dr"]),
            ["./draft.toml"],
            "{shell}"
        );
    }
}

#[test]
fn hidden_commands_are_never_offered() {
    let home = home();
    for shell in ["bash", "zsh", "fish"] {
        let got = offered(&home, shell, &["postrun", ""]);
        for command in ["show", "plan", "status", "man", "completions"] {
            assert!(got.iter().any(|g| g == command), "{shell}: {got:?}");
        }
        assert!(!got.iter().any(|g| g == "notify"), "{shell}: {got:?}");
        // Not even once what is typed matches only the hidden one.
        assert_eq!(offered(&home, shell, &["postrun", "not"]), [] as [&str; 0]);
    }
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = home
            .postrun()
            .args(["completions", shell])
            .assert()
            .success();
        let script = String::from_utf8(out.get_output().stdout.clone()).unwrap();
        assert!(script.contains("POSTRUN_COMPLETE"), "{shell}: {script}");
        assert!(!script.contains("notify"), "{shell}: {script}");
    }
}

#[test]
fn each_script_asks_postrun_on_path() {
    let home = home();
    let script = |shell| {
        let out = home
            .postrun()
            .args(["completions", shell])
            .assert()
            .success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };
    let zsh = script("zsh");
    assert!(zsh.starts_with("#compdef postrun\n"), "{zsh}");
    assert!(zsh.contains("POSTRUN_COMPLETE=\"zsh\""), "{zsh}");
    assert!(
        zsh.contains("compdef _clap_dynamic_completer_postrun postrun"),
        "{zsh}"
    );
    let fish = script("fish");
    assert!(fish.contains("--command postrun"), "{fish}");
    assert!(fish.contains("POSTRUN_COMPLETE=fish postrun --"), "{fish}");
    let bash = script("bash");
    assert!(bash.contains("POSTRUN_COMPLETE=\"bash\""), "{bash}");
    assert!(bash.contains("-F _clap_complete_postrun postrun"), "{bash}");
}

/// bash sources the script and its completion function fills `COMPREPLY`, as at a Tab.
#[test]
fn bash_completes_routine_names_through_its_script() {
    let home = home();
    let complete = |line: &str| {
        let words: Vec<&str> = line.split(' ').collect();
        let cword = words.len() - 1;
        let prev = words[cword.saturating_sub(1)];
        let program = format!(
            "source <(postrun completions bash) || exit 3\n\
             COMP_WORDS=({})\nCOMP_CWORD={cword}\nCOMP_LINE='{line}'\nCOMP_POINT=${{#COMP_LINE}}\n\
             _clap_complete_postrun postrun '{}' '{prev}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"",
            words
                .iter()
                .map(|w| format!("'{w}'"))
                .collect::<Vec<_>>()
                .join(" "),
            words[cword],
        );
        let Ok(out) = home
            .std_command("bash")
            .env("PATH", path_with_postrun())
            .args(["--norc", "--noprofile", "-c", &program])
            .output()
        else {
            return None;
        };
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        Some(
            text.lines()
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>(),
        )
    };
    let Some(show) = complete("postrun show ") else {
        eprintln!("bash not found: its completion is not tried");
        return;
    };
    assert_eq!(show[..3], ROUTINES, "{show:?}");
    assert_eq!(complete("postrun show op").unwrap(), ["optimal-recovery"]);
    assert_eq!(complete("postrun --protocol m").unwrap(), ["mine"]);
    assert_eq!(complete("postrun no").unwrap(), [] as [&str; 0]);
    let commands = complete("postrun ").unwrap();
    assert!(commands.iter().any(|c| c == "show"), "{commands:?}");
    assert!(!commands.iter().any(|c| c == "notify"), "{commands:?}");
}

#[test]
fn a_routine_name_a_terminal_would_reorder_is_not_offered() {
    let home = home();
    let protocols = home.config_home().join("postrun/protocols");
    fs::write(protocols.join("bid\u{202E}ilam.toml"), "name = \"x\"\n").unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let got = offered(&home, shell, &["postrun", "show", ""]);
        assert!(got.iter().any(|g| g == "mine"), "{shell}: {got:?}");
        assert!(
            got.iter().all(|g| !g.contains('\u{202E}')),
            "{shell}: {got:?}"
        );
    }
}

#[test]
fn an_unknown_shell_in_the_variable_is_said_not_silent() {
    let home = home();
    let out = home
        .postrun()
        .env("POSTRUN_COMPLETE", "x\u{1b}[2J")
        .arg("status")
        .assert()
        .code(2)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("POSTRUN_COMPLETE") && err.contains("unknown shell"),
        "{err}"
    );
    assert!(err.contains("bash"), "the shells it takes: {err}");
    assert!(
        !err.contains('\u{1b}'),
        "the value is shown escaped: {err:?}"
    );
    assert!(out.stdout.is_empty(), "nothing for a shell to read");
}

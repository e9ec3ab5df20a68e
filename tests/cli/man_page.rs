//! Issue 18: `postrun man` prints a man page made from the clap definitions, covering every
//! command, the keys, the files and the exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use clap::CommandFactory;
use postrun::cli::Cli;
use postrun::front::tui::input::{FORM_HELP, HELP};

use crate::home::Home;

fn page() -> String {
    let home = Home::new();
    let out = home.postrun().arg("man").assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// roff escapes `-` as `\-`; what a reader sees has plain hyphens.
fn plain(roff: &str) -> String {
    roff.replace("\\-", "-").replace("\\*(Aq", "'")
}

#[test]
fn the_man_page_lists_every_command_the_cli_has() {
    let page = page();
    assert!(
        page.starts_with(".ie") || page.starts_with(".TH"),
        "roff: {page}"
    );
    assert!(page.contains(".TH postrun 1"), "{page}");
    let cli = Cli::command();
    let mut seen = 0;
    for sub in cli.get_subcommands() {
        let heading = format!("\n.SS \"postrun {}\"\n", sub.get_name());
        if sub.is_hide_set() {
            assert!(!page.contains(&heading), "hidden {} listed", sub.get_name());
            continue;
        }
        seen += 1;
        assert!(page.contains(&heading), "no {heading:?} in\n{page}");
        // Each option of each command, by its long name.
        for arg in sub.get_arguments().filter(|a| !a.is_hide_set()) {
            if let Some(long) = arg.get_long() {
                let section = page.split(&heading).nth(1).unwrap();
                let section = section.split("\n.SS ").next().unwrap();
                assert!(
                    plain(section).contains(&format!("--{long}")),
                    "{} --{long} missing:\n{section}",
                    sub.get_name()
                );
            }
        }
    }
    assert!(seen >= 10, "{seen} commands");
    assert!(
        !plain(&page).contains("postrun notify"),
        "the hidden notify command is not offered"
    );
}

#[test]
fn the_man_page_has_the_keys_the_files_and_the_exit_codes() {
    let page = plain(&page());
    for key in HELP.iter().chain(&FORM_HELP) {
        assert!(page.contains(key.what), "{:?} missing", key.what);
    }
    for needle in [
        "$XDG_CONFIG_HOME/postrun/config.toml",
        "$XDG_CONFIG_HOME/postrun/protocols/NAME.toml",
        "$XDG_DATA_HOME/postrun/sessions/",
        ".SH \"EXIT STATUS\"",
        "FILE:LINE:COL",
        "9:30pm",
    ] {
        assert!(page.contains(needle), "{needle} missing:\n{page}");
    }
}

#[test]
fn man_reads_as_a_man_page() {
    let home = Home::new();
    // groff's own check, where it is installed: no warnings about the markup.
    let page = page();
    let Ok(out) = home
        .std_command("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(page.as_bytes())?;
            child.wait_with_output()
        })
    else {
        eprintln!("groff not found: the man page's markup is not checked");
        return;
    };
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

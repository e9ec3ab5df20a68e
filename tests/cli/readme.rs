//! Issue 18: the README a new runner follows: the quick start first, then an Install section
//! whose commands work, and a config example postrun takes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use crate::home::Home;

fn readme() -> String {
    std::fs::read_to_string(format!("{}/README.md", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The fenced blocks of a language, in order.
fn blocks<'a>(text: &'a str, lang: &str) -> Vec<&'a str> {
    text.split(&format!("```{lang}\n"))
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .collect()
}

#[test]
fn the_quick_start_comes_first_then_install() {
    let text = readme();
    let first = blocks(&text, "sh")[0];
    let commands: Vec<&str> = first
        .lines()
        .map(|l| l.split('#').next().unwrap().trim())
        .collect();
    assert_eq!(
        commands[..2],
        ["cargo run --release", "cargo test"],
        "{first}"
    );
    let install = text.find("\n## Install\n").expect("an Install section");
    assert!(text.find(first).unwrap() < install);
    let section = &text[install..];
    let section = &section[..section[1..].find("\n## ").unwrap()];
    assert!(
        section.contains("cargo install --locked --path ."),
        "{section}"
    );
    for shell in ["bash", "zsh", "fish"] {
        assert!(
            section.contains(&format!("postrun completions {shell}")),
            "{shell}: {section}"
        );
    }
    assert!(section.contains("postrun man >"), "{section}");
}

/// Every `postrun ...` the Install section runs, run here with its output kept.
#[test]
fn the_install_commands_run() {
    let text = readme();
    let install = &text[text.find("\n## Install\n").unwrap()..];
    let home = Home::new();
    let mut ran = 0;
    for block in blocks(install, "sh").into_iter().take(2) {
        for line in block.lines().map(str::trim) {
            let line = line.strip_prefix("source <(").unwrap_or(line);
            let Some(rest) = line.strip_prefix("postrun ") else {
                continue;
            };
            let args: Vec<&str> = rest
                .split(['>', ')'])
                .next()
                .unwrap()
                .split_whitespace()
                .collect();
            let out = home.postrun().args(&args).assert().success();
            assert!(!out.get_output().stdout.is_empty(), "{line}");
            ran += 1;
        }
    }
    assert_eq!(ran, 4, "bash, zsh, fish and the man page");
}

#[test]
fn the_config_example_is_a_config_postrun_takes() {
    let text = readme();
    let example = blocks(&text, "toml")
        .into_iter()
        .find(|b| b.starts_with("# ~/.config/postrun/config.toml"))
        .expect("a config.toml example");
    let config = postrun::store::config::parse(Path::new("README.md"), example)
        .unwrap_or_else(|p| panic!("{p}"));
    assert_eq!(config.clock, postrun::core::clock::Hours::Twelve);
    assert_eq!(config.units, postrun::core::protocol::Units::Us);
}

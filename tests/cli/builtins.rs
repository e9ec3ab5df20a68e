//! The built-in protocols: embedded copies equal the shipped files, both validate, and their
//! shape matches the contract in DESIGN.md.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use postrun::core::protocol::{Activity, BUILTINS, DEFAULT, Window, builtin};
use std::time::Duration;

#[test]
fn embedded_copies_are_the_files() {
    for b in BUILTINS {
        let path = format!("{}/protocols/{}.toml", env!("CARGO_MANIFEST_DIR"), b.id);
        let on_disk = std::fs::read_to_string(&path).expect(&path);
        assert_eq!(
            b.source, on_disk,
            "{path} differs from the copy in the binary"
        );
    }
    let files = std::fs::read_dir(format!("{}/protocols", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .count();
    assert_eq!(
        files,
        BUILTINS.len(),
        "every file in protocols/ is embedded"
    );
}

#[test]
fn every_builtin_validates() {
    for b in BUILTINS {
        if let Err(problems) = b.parse() {
            panic!("{problems}");
        }
    }
}

#[test]
fn default_is_optimal_recovery_with_the_contract_ids() {
    assert_eq!(DEFAULT, "optimal-recovery");
    let p = builtin(DEFAULT).unwrap().parse().unwrap();
    let ids: Vec<_> = p.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "hydrate",
            "stretch",
            "snack",
            "ice-bath",
            "meal",
            "nap",
            "epsom-bath",
            "roll",
            "sleep"
        ]
    );
    let p = builtin("soothe-sore-muscles").unwrap().parse().unwrap();
    let ids: Vec<_> = p.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "stretch",
            "foam-roll",
            "muscle-cream",
            "epsom-bath",
            "massage",
            "rest"
        ]
    );
}

#[test]
fn default_stretch_is_a_hold_sequence_of_ten_to_fifteen_minutes() {
    let p = builtin(DEFAULT).unwrap().parse().unwrap();
    let stretch = p.steps.iter().find(|s| s.id == "stretch").unwrap();
    let Activity::Holds(holds) = &stretch.activity else {
        panic!("stretch is not a hold sequence: {:?}", stretch.activity);
    };
    let min = holds.takes(|l| l.min);
    let max = holds.takes(|l| l.max);
    assert!(
        min >= Duration::from_secs(600),
        "shortest stretch is {min:?}"
    );
    assert!(
        max <= Duration::from_secs(900),
        "longest stretch is {max:?}"
    );
}

#[test]
fn windows_are_the_articles() {
    let p = builtin(DEFAULT).unwrap().parse().unwrap();
    let window = |id: &str| p.steps.iter().find(|s| s.id == id).unwrap().window;
    let m = |n: u64| Duration::from_secs(n * 60);
    assert_eq!(
        window("hydrate"),
        Some(Window::Within(postrun::core::protocol::Length {
            min: m(10),
            max: m(15)
        }))
    );
    assert_eq!(
        window("meal"),
        Some(Window::After {
            from: m(60),
            to: m(120)
        })
    );
    assert_eq!(
        window("epsom-bath"),
        Some(Window::BeforeBed {
            from: m(90),
            to: m(60)
        })
    );
}

/// The TOML examples a runner copies from the README and the format reference must be valid.
#[test]
fn documented_examples_are_valid_protocols() {
    for doc in ["README.md", "docs/protocol.md"] {
        let text =
            std::fs::read_to_string(format!("{}/{doc}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let blocks: Vec<&str> = text
            .split("```toml\n")
            .skip(1)
            .filter_map(|b| b.split("```").next())
            .filter(|b| b.contains("[[steps]]"))
            .collect();
        assert!(!blocks.is_empty(), "{doc} has a protocol example");
        for block in blocks {
            if let Err(problems) = postrun::core::protocol::parse(doc, "example", block) {
                panic!("{doc}'s example:\n{problems}");
            }
        }
    }
}

/// Every run of six words in a built-in's text, as `seed-shingles.txt` hashes them.
fn shingles(text: &str) -> Vec<(String, u64)> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
        .filter(|w| !w.is_empty())
        .collect();
    words
        .windows(6)
        .map(|w| {
            let run = w.join(" ");
            // FNV-1a, 64 bits.
            let hash = run.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
            });
            (run, hash)
        })
        .collect()
}

fn strings(v: &toml::Value, out: &mut Vec<String>) {
    match v {
        toml::Value::String(s) => out.push(s.clone()),
        toml::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        toml::Value::Table(t) => t.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// The built-ins' facts come from two articles, but every sentence a runner reads is ours:
/// no six words in a row of any text in them are the articles' (issue 15 found a list of
/// foods copied word for word). The articles are not in the repository; the hashes of their
/// six-word runs are.
#[test]
fn no_sentence_of_a_builtin_copies_the_seed_articles() {
    let seeds: std::collections::HashSet<u64> = include_str!("../fixture/seed-shingles.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| u64::from_str_radix(l, 16).unwrap())
        .collect();
    assert!(seeds.len() > 2000);
    let mut copied = Vec::new();
    for b in BUILTINS {
        let mut texts = Vec::new();
        strings(
            &toml::from_str::<toml::Value>(b.source).unwrap(),
            &mut texts,
        );
        for text in texts {
            for (run, hash) in shingles(&text) {
                if seeds.contains(&hash) {
                    copied.push(format!("{}: \"{run}\" in {text:?}", b.id));
                }
            }
        }
    }
    assert!(
        copied.is_empty(),
        "copied from a seed:\n{}",
        copied.join("\n")
    );
    // The check itself finds a copy: the food list as it was.
    let before = "yogurt with berries and granola, or a peanut butter bagel with";
    assert!(shingles(before).iter().any(|(_, h)| seeds.contains(h)));
}

//! The dependency rule, checked on the source: each layer uses only those below it (core <-
//! store <- shell <- front <- cli), no two modules use each other round a circle, the core
//! touches no file, environment, process, thread, clock or terminal, and no file's code
//! (tests aside) runs past 400 lines. A violation fails `cargo test`, and so CI.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The layers, lowest first.
const LAYERS: [&str; 5] = ["core", "store", "shell", "front", "cli"];

/// What the core may not name: the file system, the environment, processes, threads, clock
/// reads and the terminal.
const IMPURE: [&str; 13] = [
    "std::fs",
    "std::env",
    "std::process",
    "std::thread",
    "std::net",
    "Utc::now",
    "Local::now",
    "SystemTime",
    "Instant",
    "crossterm",
    "ratatui",
    "signal_hook",
    "libc",
];

/// The longest a file's code may run, tests aside.
const MAX_LINES: usize = 400;

/// A source file: its path from `src/`, and its code with comments and tests left out.
struct Source {
    path: String,
    code: String,
    lines: usize,
}

fn sources() -> Vec<Source> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files
        .into_iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n != "tests.rs" && n != "layers.rs")
        })
        .map(|p| {
            let text = fs::read_to_string(&p).unwrap();
            // Unit tests sit at the bottom, behind the first `#[cfg(test)]`.
            let code: Vec<&str> = text
                .lines()
                .take_while(|l| !l.trim_start().starts_with("#[cfg(test)]"))
                .collect();
            let kept: Vec<&str> = code
                .iter()
                .map(|l| l.split("//").next().unwrap_or_default())
                .collect();
            Source {
                path: p.strip_prefix(&src).unwrap().display().to_string(),
                code: kept.join("\n"),
                lines: code.len(),
            }
        })
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a file belongs to, two levels deep: `core/session/run.rs` is `core::session`.
fn module_of(path: &str) -> (String, String) {
    let parts: Vec<&str> = path.trim_end_matches(".rs").split('/').collect();
    let top = parts[0].to_string();
    let second = parts.get(1).map(|s| s.to_string()).unwrap_or_default();
    (top, second)
}

/// Every `crate::a::b` a file names, as `(a, b)`.
fn uses(code: &str) -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        let rest = &code[i + "crate::".len()..];
        let mut names = rest
            .split("::")
            .map(|s| s.split(|c: char| !(c.is_alphanumeric() || c == '_')).next())
            .map(Option::unwrap_or_default);
        let a = names.next().unwrap_or_default().to_string();
        let b = names.next().unwrap_or_default().to_string();
        found.insert((a, b));
    }
    found
}

fn rank(layer: &str) -> Option<usize> {
    LAYERS.iter().position(|l| *l == layer)
}

/// The violations of the layer rule in `files`.
fn upward_uses(files: &[Source]) -> Vec<String> {
    let mut wrong = Vec::new();
    for f in files {
        let (top, _) = module_of(&f.path);
        let Some(mine) = rank(&top) else { continue };
        for (used, _) in uses(&f.code) {
            if let Some(theirs) = rank(&used)
                && theirs > mine
            {
                wrong.push(format!("{} ({top}) uses crate::{used}", f.path));
            }
        }
    }
    wrong
}

/// A circle among the modules one level below the top, as `a -> b -> a`, if any.
fn circle(files: &[Source]) -> Option<String> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in files {
        let (top, second) = module_of(&f.path);
        let me = format!("{top}::{second}");
        for (a, b) in uses(&f.code) {
            let them = if rank(&a).is_some() {
                format!("{a}::{b}")
            } else {
                continue;
            };
            if them != me && !(a == top && b.is_empty()) {
                graph.entry(me.clone()).or_default().insert(them);
            }
        }
    }
    // Depth-first search with the path so far.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<String> {
        if let Some(at) = path.iter().position(|p| p == node) {
            let mut ring = path[at..].to_vec();
            ring.push(node.to_string());
            return Some(ring.join(" -> "));
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, &graph, &mut Vec::new(), &mut done))
}

/// What a core file names that the core may not.
fn impurities(files: &[Source]) -> Vec<String> {
    files
        .iter()
        .filter(|f| f.path.starts_with("core"))
        .flat_map(|f| {
            IMPURE.iter().filter_map(move |bad| {
                let named = f.code.contains(bad)
                    // `use std::{fs, ..}` names `fs` without `std::fs`.
                    || bad
                        .strip_prefix("std::")
                        .is_some_and(|m| grouped(&f.code).iter().any(|g| g == m));
                named.then(|| format!("{} names {bad}", f.path))
            })
        })
        .collect()
}

/// The modules named in `use std::{..}` groups.
fn grouped(code: &str) -> Vec<String> {
    code.match_indices("use std::{")
        .filter_map(|(i, m)| code[i + m.len()..].split('}').next())
        .flat_map(|g| g.split(','))
        .map(|n| n.trim().split("::").next().unwrap_or_default().to_string())
        .collect()
}

/// Where the program writes to the terminal other than through the printable writer
/// (`core::printable::Printable`): a print macro, or standard output or error named outside
/// `Printable::new(..)`. The full-screen guide is the exception: it owns the terminal, writes
/// its own escape sequences, and makes each cell printable as it paints (`front/tui/paint.rs`).
fn raw_output(files: &[Source]) -> Vec<String> {
    let mut found = Vec::new();
    for f in files {
        for bad in ["print!(", "println!(", "dbg!("] {
            if f.code.contains(bad) {
                found.push(format!("{} uses {bad}", f.path));
            }
        }
        if f.path.starts_with("front/tui") {
            continue;
        }
        for stream in ["io::stdout()", "io::stderr()"] {
            for (i, _) in f.code.match_indices(stream) {
                let before = f.code[..i].trim_end_matches("std::");
                let after = &f.code[i + stream.len()..];
                if !(before.ends_with("Printable::new(") || after.starts_with(".is_terminal()")) {
                    found.push(format!(
                        "{} writes to {stream} round the printable writer",
                        f.path
                    ));
                }
            }
        }
    }
    found
}

#[test]
fn text_reaches_the_terminal_only_through_the_printable_writer() {
    let wrong = raw_output(&sources());
    assert!(wrong.is_empty(), "raw output:\n{}", wrong.join("\n"));
}

#[test]
fn each_layer_uses_only_those_below_it() {
    let wrong = upward_uses(&sources());
    assert!(wrong.is_empty(), "upward uses:\n{}", wrong.join("\n"));
}

#[test]
fn no_modules_use_each_other_round_a_circle() {
    let found = circle(&sources());
    assert_eq!(found, None, "a circle of modules");
}

#[test]
fn the_core_reads_no_file_clock_environment_or_terminal() {
    let wrong = impurities(&sources());
    assert!(
        wrong.is_empty(),
        "the core is not pure:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_file_runs_past_400_lines_of_code() {
    let long: Vec<String> = sources()
        .iter()
        .filter(|f| f.lines > MAX_LINES)
        .map(|f| format!("{}: {} lines", f.path, f.lines))
        .collect();
    assert!(long.is_empty(), "files to split:\n{}", long.join("\n"));
}

/// The checks themselves catch what they are for: made-up files that break each rule.
#[test]
fn the_checks_catch_a_violation() {
    let file = |path: &str, code: &str| Source {
        path: path.into(),
        code: code.into(),
        lines: 1,
    };
    let bad = [
        file(
            "core/plan.rs",
            "use crate::store::Log;\nlet t = Utc::now();",
        ),
        file("store/log.rs", "use crate::core::session::Session;"),
        file("core/session.rs", "use crate::core::plan::Plan;"),
        file("core/guide.rs", "use std::{fs, io};"),
    ];
    assert_eq!(upward_uses(&bad), ["core/plan.rs (core) uses crate::store"]);
    let ring = circle(&[
        file("core/plan.rs", "use crate::core::session::X;"),
        file("core/session.rs", "use crate::core::plan::Y;"),
    ]);
    assert!(ring.is_some_and(|r| r.contains("core::plan -> core::session")));
    assert_eq!(
        impurities(&bad),
        ["core/plan.rs names Utc::now", "core/guide.rs names std::fs"]
    );
    let printing = [
        file("cli/show.rs", "eprintln!(\"{title}\");"),
        file("cli/check.rs", "eprint!(\"{problems}\");"),
        file("cli/plan.rs", "writeln!(std::io::stdout().lock(), \"x\")"),
        file(
            "cli/out.rs",
            "Printable::new(io::stderr().lock()); io::stdout().is_terminal()",
        ),
        file(
            "front/tui.rs",
            "crossterm::execute!(std::io::stdout(), Show)",
        ),
    ];
    assert_eq!(
        raw_output(&printing),
        [
            "cli/show.rs uses println!(",
            "cli/check.rs uses print!(",
            "cli/plan.rs writes to io::stdout() round the printable writer"
        ]
    );
}

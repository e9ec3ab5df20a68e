//! `postrun check` on one bad fixture per validation rule: every problem's exact line, column
//! and message, in source order, each followed by its snippet; and every good fixture passes.
//!
//! Fixtures live in `tests/protocols/invalid/` and `tests/protocols/valid/`. Every invalid
//! fixture must appear in [`CASES`] (or, while the validator gets it wrong, in [`BUG_FIXTURES`]
//! with an ignored test saying what it should do).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::home::Home;

/// The largest protocol file `postrun` reads (mirrors `postrun::core::protocol::MAX_FILE_BYTES`).
const MAX_FILE_BYTES: usize = 1024 * 1024;

/// The message of an unknown step key without a near match.
const STEP_KEYS: &str = "id, title, do, details, tips, when_hot, optional, drop_order, budget, window, estimate, \
                         daily_limit, gap, timer, holds, ask";

/// `(fixture in tests/protocols/invalid/, every expected "LINE:COL: message", in order)`.
const CASES: &[(&str, &[&str])] = &[
    (
        "ask-range.toml",
        &[
            "12:9: 'range': the range \"15-12\" goes down; write the lower number first",
            "18:7: an ask needs 'unit'",
            "18:45: 'range': 'lots' is not a range like \"12-15\"",
            "18:53: unknown key 'colour' in an ask; expected one of: what, unit, range",
        ],
    ),
    (
        "duplicate-id.toml",
        &["10:6: step id 'hydrate' is already used by step 1; ids must be unique"],
    ),
    (
        "window-backwards.toml",
        &["8:30: the window ends before it starts: 'to' (1h) comes before 'from' (2h)"],
    ),
    (
        "window-backwards-before-bed.toml",
        &[
            "8:31: the window ends before it starts: 'to' (1h30m) comes before 'from' (1h); \
             before bed, 'from' is the earlier and so the larger time, like from = \"90m\", \
             to = \"60m\"",
        ],
    ),
    (
        "window-both.toml",
        &["8:35: a window takes either 'within', or 'from' and 'to', not both"],
    ),
    (
        "before-bed-with-within.toml",
        &["8:41: 'before_bed' goes with 'from' and 'to', not with 'within'"],
    ),
    (
        "window-missing-to.toml",
        &["8:10: a window needs 'from' and 'to'"],
    ),
    (
        "cue-past-end.toml",
        &["11:59: the cue at 12m is past the end of its 10m timer"],
    ),
    ("cue-missing-at.toml", &["11:9: a cue needs 'at'"]),
    ("empty-id.toml", &["5:6: 'id' is empty; write some text"]),
    (
        "empty-title.toml",
        &["6:9: 'title' is empty; write some text"],
    ),
    ("empty-do.toml", &["7:6: 'do' is empty; write some text"]),
    (
        "bad-id.toml",
        &[
            "5:6: step id 'Ice Bath' must be kebab-case: lowercase letters and digits joined \
             by single dashes, like 'ice-bath'",
        ],
    ),
    (
        "control-char-escape.toml",
        &[
            "6:9: 'title' contains the control character U+001B (escape); text must be plain, \
             without escape sequences",
        ],
    ),
    (
        "control-char-in-tip.toml",
        &[
            "8:24: 'tips' contains the control character U+0000; text must be plain, without \
             escape sequences",
        ],
    ),
    (
        "control-char-bell-in-cue.toml",
        &[
            "11:28: 'say' contains the control character U+0007 (bell); text must be plain, \
             without escape sequences",
        ],
    ),
    (
        "bidi-override.toml",
        &[
            "7:6: 'do' contains the control character U+202E (a text direction override); text must be plain, without \
             escape sequences",
        ],
    ),
    (
        "line-separator.toml",
        &[
            "6:9: 'title' contains the control character U+2028 (a line break); text must be plain, without \
             escape sequences",
        ],
    ),
    (
        "direction-mark.toml",
        &[
            "7:6: 'do' contains the control character U+200F (a text direction mark); text must be plain, without \
             escape sequences",
        ],
    ),
    (
        "raw-tab-in-title.toml",
        &[
            "6:9: 'title' contains the control character U+0009 (tab); text must be plain, \
             without escape sequences",
        ],
    ),
    (
        "newline-in-title.toml",
        &[
            "6:9: 'title' contains the control character U+000A (new line); text must be \
             plain, without escape sequences",
        ],
    ),
    (
        // Columns count characters: 'è', '—' and '☕' before the fault are one column each.
        "column-counts-characters.toml",
        &[
            "8:32: 'tips' contains the control character U+0007 (bell); text must be plain, \
             without escape sequences",
        ],
    ),
    (
        "no-steps.toml",
        &["1:1: the protocol has no steps; add at least one [[steps]] table"],
    ),
    (
        "empty-steps.toml",
        &["3:9: the protocol has no steps; add at least one [[steps]] table"],
    ),
    (
        "missing-name-and-summary.toml",
        &[
            "1:1: the protocol needs 'name'",
            "1:1: the protocol needs 'summary'",
        ],
    ),
    (
        "negative-duration.toml",
        &["8:12: 'estimate': '-5s' is negative; durations count forward, like '90s'"],
    ),
    (
        "overflowing-duration.toml",
        &[
            "8:12: 'estimate': '99999999999999999999h' is longer than a day; the longest a \
             protocol allows is 24h",
        ],
    ),
    (
        "longer-than-a-day.toml",
        &["8:30: 'to': '25h' is longer than a day; the longest a protocol allows is 24h"],
    ),
    (
        "number-without-unit.toml",
        &["8:12: 'estimate': '30' has no unit; write '30s' or '30m'"],
    ),
    (
        "backwards-range.toml",
        &[
            "11:8: 'time': range '30s-20s' starts above where it ends; write the shorter time \
             first",
        ],
    ),
    (
        "unreadable-duration.toml",
        &["8:21: 'within': 'soon' is not a duration; write one like \
             '90s', '12m' or '1h30m'"],
    ),
    (
        "unknown-key-with-suggestion.toml",
        &["8:1: unknown key 'optinal' in a step; did you mean 'optional'?"],
    ),
    (
        "unknown-key-without-suggestion.toml",
        &["8:1: unknown key 'colour' in a step; expected one of: {STEP_KEYS}"],
    ),
    (
        "unknown-key-in-hold.toml",
        &["12:1: unknown key 'side' in a hold; did you mean 'sides'?"],
    ),
    (
        "unknown-key-in-timer.toml",
        &["11:1: unknown key 'cue' in a timer; did you mean 'cues'?"],
    ),
    (
        "unknown-key-in-window.toml",
        &[
            "8:28: unknown key 'until' in a window; expected one of: within, from, to, \
             before_bed",
        ],
    ),
    (
        // A misspelt required key is both missing and unknown; the suggestion names it.
        "misspelt-required-key.toml",
        &[
            "9:1: a timer needs 'length'",
            "10:1: unknown key 'lenght' in a timer; did you mean 'length'?",
        ],
    ),
    ("missing-title.toml", &["4:1: a step needs 'title'"]),
    (
        "missing-timer-length.toml",
        &["9:1: a timer needs 'length'"],
    ),
    ("missing-hold-time.toml", &["9:1: a hold needs 'time'"]),
    (
        "timer-and-holds.toml",
        &["10:1: a step has a 'timer' or 'holds', not both"],
    ),
    (
        "estimate-on-timer.toml",
        &["8:12: 'estimate' is for steps without a timer or holds; their time is known"],
    ),
    ("gap-without-holds.toml", &["8:7: 'gap' goes with 'holds'"]),
    (
        "drop-order-on-required-step.toml",
        &["8:14: 'drop_order' is for optional steps; add 'optional = true' or remove it"],
    ),
    (
        "drop-order-zero.toml",
        &["9:14: 'drop_order' must be a whole number from 1 to 9999, not 0"],
    ),
    (
        "daily-limit-negative.toml",
        &["8:15: 'daily_limit' must be a whole number from 1 to 9999, not -4"],
    ),
    (
        "target-outside-range.toml",
        &["11:10: target 20m is outside the timer's range 10m-15m"],
    ),
    (
        "empty-holds.toml",
        &["8:9: 'holds' is empty; add at least one [[steps.holds]] table"],
    ),
    (
        "wrong-type.toml",
        &["6:9: invalid type: integer `5`, expected a string"],
    ),
    (
        // Every unknown key, and serde's type error, together in source order.
        "unknown-key-and-wrong-type.toml",
        &[
            "6:1: unknown key 'titel' in a step; did you mean 'title'?",
            "8:12: invalid type: string \"yes\", expected a boolean",
            "9:1: unknown key 'colour' in a step; expected one of: {STEP_KEYS}",
        ],
    ),
    ("duplicate-key.toml", &["8:1: duplicate key"]),
    (
        "syntax-error.toml",
        &["4:9: unclosed array table, expected `]`"],
    ),
    (
        "syntax-errors-several.toml",
        &[
            "6:9: string values must be quoted, expected literal string",
            "8:15: missing comma between array elements, expected `,`",
        ],
    ),
    (
        "several-errors.toml",
        &[
            "5:6: step id 'Hydrate' must be kebab-case: lowercase letters and digits joined \
             by single dashes, like 'ice-bath'",
            "7:6: 'do' is empty; write some text",
            "8:1: unknown key 'colour' in a step; expected one of: {STEP_KEYS}",
            "9:30: the window ends before it starts: 'to' (1h) comes before 'from' (2h)",
            "15:14: 'drop_order' is for optional steps; add 'optional = true' or remove it",
            "16:12: 'estimate' is for steps without a timer or holds; their time is known",
            "20:16: the cue at 20m is past the end of its 15m timer",
        ],
    ),
];

/// Invalid fixtures the validator gets wrong today; each has an ignored test below.
const BUG_FIXTURES: &[&str] = &[
    "empty-sides.toml",
    "empty-side-name.toml",
    "timer-not-a-table.toml",
    "daily-limit-huge.toml",
    "duration-wrong-type.toml",
    "two-wrong-types.toml",
];

// ---------------------------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------------------------

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn invalid(name: &str) -> String {
    format!("tests/protocols/invalid/{name}")
}

/// `postrun check ARGS...` from the crate root, in a home of its own (so no editor either).
fn command(args: &[&str]) -> (Command, Home) {
    let home = Home::new();
    let mut cmd = home.std_postrun();
    cmd.current_dir(manifest_dir())
        .arg("check")
        .args(args)
        .stdin(Stdio::null());
    (cmd, home)
}

fn check(args: &[&str]) -> Output {
    let (mut cmd, _home) = command(args);
    cmd.output().unwrap()
}

/// Like [`check`], but killed and failed if it runs longer than `limit`.
fn check_within(args: &[&str], limit: Duration) -> (Output, Duration) {
    let (mut cmd, _home) = command(args);
    let start = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drain the pipes on threads so a chatty child cannot block on a full pipe.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut v).unwrap();
        v
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut v).unwrap();
        v
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("postrun check {args:?} ran longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = start.elapsed();
    let output = Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    };
    (output, took)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The lines of stderr that are headlines of `path`.
fn headlines(stderr: &str, path: &str) -> Vec<String> {
    let prefix = format!("{path}:");
    stderr
        .lines()
        .filter(|l| l.starts_with(&prefix))
        .map(str::to_string)
        .collect()
}

/// Splits stderr into one block per headline of `path`: the headline and the snippet after it.
fn blocks<'a>(stderr: &'a str, path: &str) -> Vec<Vec<&'a str>> {
    let prefix = format!("{path}:");
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    for line in stderr.lines() {
        if line.starts_with(&prefix) {
            blocks.push(vec![line]);
        } else if let Some(block) = blocks.last_mut() {
            block.push(line);
        }
    }
    blocks
}

fn line_col(expected: &str) -> (usize, usize) {
    let mut parts = expected.splitn(3, ':');
    let line = parts.next().unwrap().parse().unwrap();
    let col = parts.next().unwrap().parse().unwrap();
    (line, col)
}

/// Runs `check` on an invalid fixture and asserts exit 1, exactly the expected headlines in
/// order, and after each one a snippet: ` --> FILE:LINE:COL`, the source line, and carets.
fn assert_problems(name: &str, expected: &[&str]) {
    let path = invalid(name);
    let source = fs::read_to_string(manifest_dir().join(&path)).unwrap();
    let output = check(&[&path]);
    let stderr = text(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{name}: exit code\nstdout:\n{}\nstderr:\n{stderr}",
        text(&output.stdout)
    );
    assert!(
        output.stdout.is_empty(),
        "{name}: nothing on stdout for a bad file, got {}",
        text(&output.stdout)
    );
    let want: Vec<String> = expected
        .iter()
        .map(|e| format!("{path}:{}", e.replace("{STEP_KEYS}", STEP_KEYS)))
        .collect();
    assert_eq!(
        headlines(&stderr, &path),
        want,
        "{name}: headlines\nstderr:\n{stderr}"
    );
    for (block, expected) in blocks(&stderr, &path).iter().zip(expected) {
        assert_snippet(name, &path, &source, block, line_col(expected));
    }
}

/// One problem's snippet points at `(line, col)` of `source` and shows that line with carets.
fn assert_snippet(
    name: &str,
    path: &str,
    source: &str,
    block: &[&str],
    (line, col): (usize, usize),
) {
    let shown = block.join("\n");
    let arrow = format!("--> {path}:{line}:{col}");
    assert!(
        block.get(1).is_some_and(|l| l.trim_start() == arrow),
        "{name}: '{arrow}' right after the headline\n{shown}"
    );
    // The echoed line shows a tab as one space (annotate-snippets miscounts tabs).
    let source_line = source.lines().nth(line - 1).unwrap().replace('\t', " ");
    let numbered = format!("{line} |");
    let row = block
        .iter()
        .position(|l| {
            l.trim_start().starts_with(&numbered) && l.trim_end().ends_with(source_line.trim_end())
        })
        .unwrap_or_else(|| panic!("{name}: source line {line} {source_line:?} shown\n{shown}"));
    let carets = block[row + 1..]
        .iter()
        .find(|l| l.contains('^'))
        .unwrap_or_else(|| panic!("{name}: a caret line under line {line}\n{shown}"));
    // On a plain single-line span, the first caret sits under the column.
    let pipe = block[row].find('|').unwrap();
    let under: String = carets.chars().skip(pipe + 2).collect();
    let plain = source_line.is_ascii() && under.trim_start().starts_with('^');
    let single = !carets.contains('_');
    if plain && single {
        let offset = under.find('^').unwrap();
        assert_eq!(
            offset + 1,
            col,
            "{name}: the caret sits under column {col}\n{shown}"
        );
    }
}

/// Runs `check` on a generated file and returns its path as passed, exit code and stderr.
fn check_generated(dir: &Path, name: &str, bytes: &[u8]) -> (String, Option<i32>, String) {
    let path = dir.join(name);
    fs::write(&path, bytes).unwrap();
    let path = path.display().to_string();
    let output = check(&[&path]);
    (path, output.status.code(), text(&output.stderr))
}

fn toml_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(manifest_dir().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

// ---------------------------------------------------------------------------------------------
// The fixtures
// ---------------------------------------------------------------------------------------------

#[test]
fn every_invalid_fixture_reports_its_exact_problems() {
    let mut failures = Vec::new();
    for (name, expected) in CASES {
        let result = std::panic::catch_unwind(|| assert_problems(name, expected));
        if let Err(e) = result {
            let message = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(format!("--- {name}\n{message}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn every_invalid_fixture_is_in_the_case_table() {
    let files: Vec<String> = toml_files("tests/protocols/invalid")
        .iter()
        .map(|p| file_name(p))
        .collect();
    let listed: Vec<&str> = CASES
        .iter()
        .map(|(name, _)| *name)
        .chain(BUG_FIXTURES.iter().copied())
        .collect();
    for file in &files {
        assert!(
            listed.contains(&file.as_str()),
            "tests/protocols/invalid/{file} has no case in tests/cli/validation.rs"
        );
    }
    for name in &listed {
        assert!(
            files.iter().any(|f| f == name),
            "case {name} has no file in tests/protocols/invalid/"
        );
        assert_eq!(
            listed.iter().filter(|n| *n == name).count(),
            1,
            "{name} is listed twice"
        );
    }
    for (name, expected) in CASES {
        assert!(!expected.is_empty(), "{name}: a case expects no problems");
    }
}

#[test]
fn every_valid_fixture_passes() {
    let files = toml_files("tests/protocols/valid");
    assert!(files.len() >= 2, "too few valid fixtures: {files:?}");
    let mut paths = Vec::new();
    let mut want = String::new();
    for file in &files {
        let path = format!("tests/protocols/valid/{}", file_name(file));
        let table: toml::Table = toml::from_str(&fs::read_to_string(file).unwrap()).unwrap();
        let steps = table["steps"].as_array().unwrap().len();
        let line = format!("{path}: ok ({steps} steps)\n");

        let output = check(&[&path]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{path}\nstderr:\n{}",
            text(&output.stderr)
        );
        assert_eq!(text(&output.stdout), line);
        assert_eq!(text(&output.stderr), "", "{path}: nothing on stderr");

        paths.push(path);
        want.push_str(&line);
    }
    // All at once: one line each, in the order given.
    let args: Vec<&str> = paths.iter().map(String::as_str).collect();
    let output = check(&args);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(text(&output.stdout), want);
}

#[test]
fn one_bad_file_among_good_ones_fails_the_run_but_the_good_ones_are_ok() {
    let good = "tests/protocols/valid/minimal.toml";
    let bad = invalid("empty-do.toml");
    let output = check(&[good, &bad, good]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stdout),
        format!("{good}: ok (1 steps)\n{good}: ok (1 steps)\n")
    );
    assert_eq!(
        headlines(&text(&output.stderr), &bad),
        [format!("{bad}:7:6: 'do' is empty; write some text")]
    );
}

// ---------------------------------------------------------------------------------------------
// Generated files: too large, not UTF-8, deeply nested
// ---------------------------------------------------------------------------------------------

/// A valid protocol padded with a comment to exactly `size` bytes.
fn padded_protocol(size: usize) -> Vec<u8> {
    let head = "name = \"Big\"\nsummary = \"Padded.\"\n\n[[steps]]\nid = \"a\"\ntitle = \"A\"\n\
                do = \"B.\"\n# ";
    let mut bytes = head.as_bytes().to_vec();
    bytes.resize(size - 1, b'x');
    bytes.push(b'\n');
    assert_eq!(bytes.len(), size);
    bytes
}

#[test]
fn a_file_of_exactly_the_limit_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("at-limit.toml");
    fs::write(&path, padded_protocol(MAX_FILE_BYTES)).unwrap();
    let path = path.display().to_string();
    let output = check(&[&path]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), format!("{path}: ok (1 steps)\n"));
}

#[test]
fn a_file_one_byte_over_the_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, code, stderr) = check_generated(
        dir.path(),
        "over.toml",
        &padded_protocol(MAX_FILE_BYTES + 1),
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        headlines(&stderr, &path),
        [format!(
            "{path}:1:1: the file is 1048577 bytes; a protocol may be at most 1048576 bytes"
        )]
    );
    assert!(stderr.contains(&format!("--> {path}:1:1")), "{stderr}");
}

#[test]
fn bug_a_file_far_over_the_limit_is_refused_with_its_true_size() {
    let dir = tempfile::tempdir().unwrap();
    let size = 2 * MAX_FILE_BYTES + 3;
    let (path, code, stderr) = check_generated(dir.path(), "huge.toml", &padded_protocol(size));
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        headlines(&stderr, &path),
        [format!(
            "{path}:1:1: the file is {size} bytes; a protocol may be at most 1048576 bytes"
        )]
    );
}

#[test]
fn invalid_utf8_is_refused_at_the_first_bad_byte() {
    let dir = tempfile::tempdir().unwrap();
    // 'é' before the bad byte is two bytes but one column: the bad byte is column 17.
    let bytes = b"name = \"Test\"\nsummary = \"Caf\xc3\xa9 \xff here\"\n";
    let (path, code, stderr) = check_generated(dir.path(), "latin1.toml", bytes);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        headlines(&stderr, &path),
        [format!("{path}:2:17: the file is not valid UTF-8 text")]
    );
    let block = &blocks(&stderr, &path)[0];
    assert!(
        block[1].trim_start() == format!("--> {path}:2:17"),
        "{stderr}"
    );
    assert!(
        block.iter().any(|l| l.starts_with("2 | summary = \"Café ")),
        "{stderr}"
    );
    assert!(block.iter().any(|l| l.contains('^')), "{stderr}");
}

#[test]
fn invalid_utf8_on_the_first_line_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, code, stderr) = check_generated(dir.path(), "bad.toml", b"\xc3(");
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        headlines(&stderr, &path),
        [format!("{path}:1:1: the file is not valid UTF-8 text")]
    );
}

#[test]
fn deeply_nested_values_are_refused_quickly_without_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 100_000;
    let files = [
        ("arrays.toml", format!("a = {}\n", "[".repeat(depth))),
        ("tables.toml", format!("a = {}\n", "{a = ".repeat(depth))),
        (
            "closed.toml",
            format!("a = {}{}\n", "[".repeat(depth), "]".repeat(depth)),
        ),
    ];
    for (name, content) in files {
        let path = dir.path().join(name);
        fs::write(&path, content).unwrap();
        let path = path.display().to_string();
        let (output, took) = check_within(&[&path], Duration::from_secs(20));
        let stderr = text(&output.stderr);
        let head: String = stderr.chars().take(2000).collect();
        assert_eq!(output.status.code(), Some(1), "{name}: exit code\n{head}");
        assert!(took < Duration::from_secs(5), "{name}: took {took:?}");
        assert!(!stderr.contains("panicked"), "{name}: panic\n{head}");
        let found = headlines(&stderr, &path);
        assert!(!found.is_empty(), "{name}: no problem reported\n{head}");
        assert!(
            found[0].starts_with(&format!("{path}:1:")),
            "{name}: {}",
            found[0]
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions: each of these was a validator bug, found by these fixtures and since fixed.
// ---------------------------------------------------------------------------------------------

/// Asserts a fixture fails with exactly one problem at `line:col` and returns its message.
fn only_message(name: &str, line: usize, col: usize) -> String {
    let path = invalid(name);
    let output = check(&[&path]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let found = headlines(&stderr, &path);
    assert_eq!(found.len(), 1, "{name}: one problem\n{stderr}");
    let prefix = format!("{path}:{line}:{col}: ");
    assert!(
        found[0].starts_with(&prefix),
        "{name}: at {line}:{col}\n{stderr}"
    );
    found[0][prefix.len()..].to_string()
}

#[test]
fn bug_empty_sides_points_at_the_empty_array() {
    assert_problems(
        "empty-sides.toml",
        &["12:9: 'sides' is empty; leave it out for a hold without sides"],
    );
}

#[test]
fn bug_an_empty_side_name_says_which_side_is_empty() {
    let message = only_message("empty-side-name.toml", 12, 23);
    assert!(
        !message.starts_with("'sides' is empty"),
        "the array has a side; one of its names is empty: {message}"
    );
}

#[test]
fn bug_a_timer_that_is_not_a_table_says_so_plainly() {
    let message = only_message("timer-not-a-table.toml", 8, 9);
    assert!(
        !message.contains("Raw") && !message.contains("struct"),
        "no internal type names: {message}"
    );
}

#[test]
fn bug_a_huge_daily_limit_gets_the_range_message() {
    let message = only_message("daily-limit-huge.toml", 8, 15);
    assert!(
        !message.contains("i128") && !message.contains("i64"),
        "no Rust type names: {message}"
    );
    assert!(message.contains("'daily_limit'"), "{message}");
}

#[test]
fn bug_a_duration_of_the_wrong_type_says_what_a_duration_looks_like() {
    let message = only_message("duration-wrong-type.toml", 8, 12);
    assert!(
        !message.contains("DurationInput") && !message.contains("untagged"),
        "no internal type names: {message}"
    );
    assert!(message.contains("'estimate'"), "{message}");
}

#[test]
fn bug_the_first_type_error_in_the_file_is_reported() {
    assert_problems(
        "two-wrong-types.toml",
        &["6:9: invalid type: integer `5`, expected a string"],
    );
}

#[test]
fn bug_crlf_line_endings_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let source = fs::read_to_string(manifest_dir().join("tests/protocols/valid/full-routine.toml"))
        .unwrap()
        .replace('\n', "\r\n");
    let (path, code, stderr) = check_generated(dir.path(), "crlf.toml", source.as_bytes());
    assert_eq!(code, Some(0), "{path}\n{stderr}");
}

#[test]
fn bug_a_borrowed_unit_is_the_first_unit_of_the_top() {
    let dir = tempfile::tempdir().unwrap();
    let source = "name = \"Test\"\nsummary = \"S.\"\n\n[[steps]]\nid = \"a\"\ntitle = \"A\"\n\
                  do = \"B.\"\n\n[steps.timer]\nlength = \"1-1h30m\"\ntarget = \"1h15m\"\n";
    let (path, code, stderr) = check_generated(dir.path(), "borrow.toml", source.as_bytes());
    assert_eq!(code, Some(0), "{path}\n{stderr}");
}

#[test]
fn bug_deep_nesting_does_not_repeat_the_same_problem() {
    let dir = tempfile::tempdir().unwrap();
    let content = format!("a = {}\n", "[".repeat(100_000));
    let (path, code, stderr) = check_generated(dir.path(), "arrays.toml", content.as_bytes());
    assert_eq!(code, Some(1));
    let found = headlines(&stderr, &path);
    let mut unique = found.clone();
    unique.dedup();
    assert_eq!(
        found.len(),
        unique.len(),
        "{} headlines, {} different:\n{}",
        found.len(),
        unique.len(),
        unique.join("\n")
    );
}

#[test]
fn a_dotted_key_of_20000_parts_is_reported_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let key = vec!["a"; 20_000].join(".");
    for (name, content) in [
        (
            "dotted.toml",
            format!("name = \"x\"\nsummary = \"y\"\n\n  {key} = 1\n"),
        ),
        (
            "header.toml",
            format!("name = \"x\"\nsummary = \"y\"\n\n[{key}]\n"),
        ),
    ] {
        let (path, code, stderr) = check_generated(dir.path(), name, content.as_bytes());
        assert_eq!(code, Some(1), "{name}");
        let found = headlines(&stderr, &path);
        let col = if name == "dotted.toml" { 3 } else { 2 };
        assert_eq!(
            found,
            [format!(
                "{path}:4:{col}: a dotted key may have at most 80 parts; nest fewer tables"
            )],
            "{name}: at the key, not at 1:1"
        );
    }
}

#[test]
fn no_message_names_a_rust_type() {
    let dir = tempfile::tempdir().unwrap();
    let step = "[[steps]]\nid = \"a\"\ntitle = \"A\"\ndo = \"B.\"\n";
    let protocols = [
        "name = \"x\"\nsummary = \"y\"\nsteps = [3]\n".to_string(),
        format!("name = \"x\"\nsummary = \"y\"\n{step}window = 3\n"),
        format!("name = \"x\"\nsummary = \"y\"\n{step}timer = 3\n"),
        format!("name = \"x\"\nsummary = \"y\"\n{step}timer = {{ length = \"1m\", cues = [3] }}\n"),
        format!("name = \"x\"\nsummary = \"y\"\n{step}holds = [3]\n"),
    ];
    for (i, source) in protocols.iter().enumerate() {
        let (_, code, stderr) =
            check_generated(dir.path(), &format!("{i}.toml"), source.as_bytes());
        assert_eq!(code, Some(1), "{source}");
        for rust in ["struct", "enum ", "Raw", "a map", "a sequence"] {
            assert!(!stderr.contains(rust), "{rust} in:\n{stderr}");
        }
        assert!(
            stderr.contains("expected a table") || stderr.contains("expected an array"),
            "{stderr}"
        );
    }
    // The config file, read by any command that plans a day.
    for config in [
        "hooks = 3\n",
        "bell = 3\n",
        "[hooks]\ncue = [1]\n",
        "x = 1\n[hooks]\nx = [[1]]\n",
    ] {
        let home = Home::new();
        let folder = home.config_home().join("postrun");
        fs::create_dir_all(&folder).unwrap();
        fs::write(folder.join("config.toml"), config).unwrap();
        let out = home.postrun().arg("plan").output().unwrap();
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{config}: {stderr}");
        for rust in ["struct", "enum ", "Raw", "a map", "a sequence"] {
            assert!(!stderr.contains(rust), "{rust} in:\n{stderr}");
        }
    }
    // A hand-edited session log: numbers and line kinds in words, not u64 or "flattened data".
    let home = Home::new();
    home.postrun()
        .args(["--finished", "1m", "--plain"])
        .write_stdin("")
        .assert()
        .success();
    let log = home.logs().pop().unwrap();
    let mut text_of_log = fs::read_to_string(&log).unwrap();
    for line in [
        r#"{"v":1,"seq":"x","at":"2026-05-01T10:00:00Z","event":{"type":"wake"}}"#,
        r#"{"v":"x","seq":9,"at":"2026-05-01T10:00:00Z","event":{"type":"wake"}}"#,
        r#"{"v":1,"seq":9,"at":"2026-05-01T10:00:00Z","event":{"type":"select","step":"x"}}"#,
        r#"{"v":1,"seq":9,"at":"2026-05-01T10:00:00Z"}"#,
    ] {
        text_of_log.push_str(line);
        text_of_log.push('\n');
    }
    fs::write(&log, text_of_log).unwrap();
    let out = home.postrun().arg("status").output().unwrap();
    let stderr = text(&out.stderr);
    for rust in ["u64", "u32", "usize", "flattened", "struct", "enum "] {
        assert!(!stderr.contains(rust), "{rust} in:\n{stderr}");
    }
    assert!(stderr.contains("expected a whole number"), "{stderr}");
    assert!(
        stderr.contains("not a kind of line postrun writes"),
        "{stderr}"
    );

    let home = Home::new();
    let folder = home.config_home().join("postrun");
    fs::create_dir_all(&folder).unwrap();
    fs::write(folder.join("config.toml"), "hooks = 3\n").unwrap();
    let out = home.postrun().arg("plan").output().unwrap();
    assert!(
        text(&out.stderr).contains("expected a table of hooks"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_arrow_under_a_long_line_points_at_the_same_column_as_the_headline() {
    // The excerpt under the headline is cut around the fault; its `-->` line counted columns
    // in the cut piece (1:35 under a headline saying 1:611).
    let dir = tempfile::tempdir().unwrap();
    let source = format!("name = \"{}\" $ oops\n", "x".repeat(600));
    let (path, code, stderr) = check_generated(dir.path(), "long.toml", source.as_bytes());
    assert_eq!(code, Some(1));
    assert!(stderr.starts_with(&format!("{path}:1:611: ")), "{stderr}");
    assert!(stderr.contains(&format!(" --> {path}:1:611\n")), "{stderr}");
}

//! Hostile text in every text field of a protocol: terminal escape sequences (CSI, OSC), the
//! bell, NUL and a C1 control, written as TOML escapes and as raw bytes. `postrun check`
//! must refuse each with FILE:LINE:COL pointing at that field's line, exit 1, and never echo
//! the raw control character back to the terminal.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::home::Home;

/// A valid protocol with one marker per text field; each test puts the hostile text in place
/// of one marker.
const TEMPLATE: &str = r#"name = "NAME"
summary = "SUMMARY"

[[steps]]
id = "soak"
title = "TITLE"
do = "DO"
details = "DETAILS"
tips = ["TIP"]
[steps.timer]
length = "10m"
cues = [{ at = "3m", say = "SAY" }]

[[steps]]
id = "stretch"
title = "Stretch"
do = "Hold."
[[steps.holds]]
name = "HOLD"
time = "30s"
sides = ["SIDE", "right leg"]
how = "HOW"
"#;

const FIELDS: &[&str] = &[
    "NAME", "SUMMARY", "TITLE", "DO", "DETAILS", "TIP", "SAY", "HOLD", "SIDE", "HOW",
];

/// (what, as a TOML escape inside a basic string, as raw bytes or `None` where raw bytes are
/// not valid TOML at all)
const HOSTILE: &[(&str, &str, Option<&[u8]>)] = &[
    ("CSI clear screen", "\\u001b[2J", Some(b"\x1b[2J")),
    (
        "OSC window title",
        "\\u001b]0;pwned\\u0007",
        Some(b"\x1b]0;pwned\x07"),
    ),
    ("bell", "\\u0007", Some(b"\x07")),
    ("NUL", "\\u0000", None),
    ("C1 CSI", "\\u009b2J", Some("\u{9b}2J".as_bytes())),
];

fn check(home: &Home, path: &std::path::Path) -> std::process::Output {
    home.postrun().arg("check").arg(path).output().unwrap()
}

/// The 1-based line of a marker in the template.
fn line_of(marker: &str) -> usize {
    TEMPLATE
        .lines()
        .position(|l| l.contains(&format!("\"{marker}\"")))
        .unwrap()
        + 1
}

#[test]
fn the_template_itself_is_valid() {
    let home = Home::new();
    let path = home.path().join("ok.toml");
    std::fs::write(&path, TEMPLATE).unwrap();
    let out = check(&home, &path);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_text_field_refuses_escapes_bells_and_nul_where_they_are() {
    let home = Home::new();
    let mut cases = 0;
    for field in FIELDS {
        for (what, escaped, raw) in HOSTILE {
            let mut forms: Vec<(&str, Vec<u8>)> = vec![(
                "escaped",
                TEMPLATE
                    .replace(field, &format!("x{escaped}y"))
                    .into_bytes(),
            )];
            if let Some(raw) = raw {
                let mut bytes = Vec::new();
                let (before, after) = TEMPLATE.split_once(field).unwrap();
                bytes.extend_from_slice(before.as_bytes());
                bytes.push(b'x');
                bytes.extend_from_slice(raw);
                bytes.push(b'y');
                bytes.extend_from_slice(after.as_bytes());
                forms.push(("raw", bytes));
            }
            for (form, bytes) in forms {
                cases += 1;
                let path = home.path().join(format!("{field}-{cases}.toml"));
                std::fs::write(&path, &bytes).unwrap();
                let out = check(&home, &path);
                let stderr = String::from_utf8_lossy(&out.stderr);
                let case = format!("{what} ({form}) in {field}");
                assert_eq!(out.status.code(), Some(1), "{case}: {stderr}");
                let head = format!("{}:{}:", path.display(), line_of(field));
                assert!(
                    stderr.lines().next().unwrap_or("").starts_with(&head),
                    "{case}: want {head}COL first:\n{stderr}"
                );
                for b in [0x1b_u8, 0x07, 0x00] {
                    assert!(
                        !out.stderr.contains(&b) && !out.stdout.contains(&b),
                        "{case}: byte {b:#04x} echoed:\n{stderr}"
                    );
                }
                assert!(
                    !stderr.contains('\u{9b}'),
                    "{case}: the C1 control echoed:\n{stderr}"
                );
            }
        }
    }
    assert_eq!(cases, FIELDS.len() * 9, "every field, every form");
}

// What follows is issue 16's first finding: text from outside quoted in messages and shown by
// every command must reach the terminal printable, wherever it comes from (an unknown key, a
// duration as written, config.toml, a hand-edited session log, the command line, a typed
// line). Each test feeds the same mix through one surface.

/// Everything that could drive a terminal or reorder a line, with a wide character among
/// them: OSC 52 (sets the clipboard) ended by BEL, a CSI, C1 CSI and NEL, direction overrides
/// and isolates, line and paragraph separators.
const MIX: &str =
    "x\u{1b}]52;c;aGk=\u{7}\u{1b}[2J\u{9b}1m\u{202E}\u{2066}\u{2028}\u{2029}\u{85}足y";

/// Whether a terminal would act on `c` or reorder the line round it. Written out here rather
/// than taken from the library, so the tests do not grade the rule with itself.
fn drives_the_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// Both outputs of a run are printable: no byte or character of `MIX` that would drive the
/// terminal got through.
fn assert_printable(case: &str, out: &std::process::Output) {
    for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        if let Some(c) = text.chars().find(|c| drives_the_terminal(*c)) {
            panic!("{case}: {c:?} reached {name}:\n{text:?}");
        }
    }
}

/// `text` as the inside of a TOML basic string: everything but plain ASCII as `\uXXXX`.
fn toml_escaped(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c.to_string(),
            c if u32::from(c) <= 0xFFFF => format!("\\u{:04X}", u32::from(c)),
            c => format!("\\U{:08X}", u32::from(c)),
        })
        .collect()
}

/// A protocol with the mix as an unknown key in every table and as every duration.
fn hostile_protocol() -> String {
    let k = format!("\"{}\"", toml_escaped(MIX));
    let v = format!("\"{}\"", toml_escaped(MIX));
    format!(
        r#"name = "N"
summary = "S"
{k} = 1

[[steps]]
id = "a"
title = "A"
do = "D"
estimate = {v}
{k} = 1
window = {{ within = {v}, {k} = 1 }}

[[steps]]
id = "b"
title = "B"
do = "D"
window = {{ from = {v}, to = {v} }}
[steps.timer]
length = {v}
target = {v}
{k} = 1
cues = [{{ at = {v}, say = "hi", {k} = 1 }}]

[[steps]]
id = "c"
title = "C"
do = "D"
gap = {v}
[[steps.holds]]
name = "H"
time = {v}
{k} = 1

[[steps]]
id = "d"
title = "D"
do = "D"
window = {{ from = "1m", to = {v} }}
[steps.timer]
length = "5m"
target = {v}

[[steps]]
id = "e"
title = "E"
do = "D"
[steps.timer]
length = "5m"
cues = [{{ at = {v}, say = "hi" }}]
"#
    )
}

#[test]
fn unknown_keys_and_durations_are_quoted_printably_by_every_command() {
    let home = Home::new();
    let path = home.path().join("hostile.toml");
    std::fs::write(&path, hostile_protocol()).unwrap();
    let p = path.to_str().unwrap();
    let runs: [(&str, Vec<&str>); 4] = [
        ("check", vec!["check", p]),
        ("show", vec!["show", p]),
        ("plan", vec!["plan", "--protocol", p]),
        ("the guide", vec!["--protocol", p, "--finished", "5m"]),
    ];
    for (case, args) in runs {
        let out = home.postrun().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{case}: {out:?}");
        assert_printable(case, &out);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            stderr.matches("unknown key '").count(),
            6,
            "{case}: one for each table:\n{stderr}"
        );
        for key in [
            "estimate", "within", "from", "to", "length", "target", "at", "gap", "time",
        ] {
            assert!(
                stderr.contains(&format!("'{key}': '")),
                "{case}: the bad '{key}' is quoted:\n{stderr}"
            );
        }
    }
}

#[test]
fn config_toml_bedtime_timeout_and_unknown_keys_are_quoted_printably() {
    let home = Home::new();
    let dir = home.config_home().join("postrun");
    std::fs::create_dir_all(&dir).unwrap();
    let x = format!("\"{}\"", toml_escaped(MIX));
    std::fs::write(
        dir.join("config.toml"),
        format!("bedtime = {x}\n{x} = 1\n[hooks]\ntimeout = {x}\n{x} = 2\n"),
    )
    .unwrap();
    for (case, args) in [
        ("plan", vec!["plan"]),
        ("the guide", vec!["--finished", "5m"]),
        ("remind", vec!["remind"]),
    ] {
        let out = home.postrun().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{case}: {out:?}");
        assert_printable(case, &out);
        let stderr = String::from_utf8_lossy(&out.stderr);
        for (what, n) in [
            ("unknown key '", 2),
            ("is not a time", 1),
            ("is not a duration", 1),
        ] {
            assert_eq!(stderr.matches(what).count(), n, "{case}: {what}:\n{stderr}");
        }
    }
}

/// A session started by postrun, then edited by hand: the mix as the protocol's name and id,
/// every step's title and id, and the protocol's origin; then the first step skipped and an
/// event of a type no postrun knows. Returns the log's path.
fn hand_edited_session(home: &Home) -> std::path::PathBuf {
    home.postrun().args(["--finished", "5m"]).assert().success();
    let dir = home.data_home().join("postrun/sessions");
    let log = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    let mut open: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    let at = open["at"].clone();
    let o = &mut open["open"];
    o["origin"] = MIX.into();
    o["protocol"]["name"] = MIX.into();
    o["protocol"]["id"] = MIX.into();
    for (i, step) in o["protocol"]["steps"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        step["title"] = format!("{MIX}{i}").into();
        step["id"] = format!("{MIX}-{i}").into();
    }
    let skip = serde_json::json!({"v": 1, "seq": 1, "at": at, "event": {"type": "skip", "confirmed": true}});
    let odd = serde_json::json!({"v": 1, "seq": 2, "at": at, "event": {"type": MIX}});
    let wrong = serde_json::json!({"v": 1, "seq": 3, "at": at, "event": 3});
    std::fs::write(&log, format!("{open}\n{skip}\n{odd}\n{wrong}\n")).unwrap();
    log
}

#[test]
fn a_hand_edited_session_log_reaches_status_history_and_the_plain_guide_printable() {
    let home = Home::new();
    hand_edited_session(&home);

    let out = home.postrun().arg("status").output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_printable("status", &out);
    let warned = String::from_utf8_lossy(&out.stderr);
    assert!(
        warned.contains("unknown variant"),
        "the odd event is warned of: {warned}"
    );
    assert!(
        warned.contains("expected an object") && !warned.contains("enum Event"),
        "the wrong one without Rust's type names: {warned}"
    );

    // JSON loses nothing: the title comes back as it was written, escapes and all.
    let out = home.postrun().args(["status", "--json"]).output().unwrap();
    assert_printable("status --json", &out);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["steps"][1]["title"], format!("{MIX}1"));
    assert_eq!(v["protocol"], MIX);

    // The plain guide over it: the day's list, the time left, a step ticked off, quit.
    let out = home.postrun().write_stdin("l\nt\n\nq\n").output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_printable("the plain guide", &out);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("9. x?]52;c;aGk="),
        "the list, printable: {said}"
    );
    assert!(said.contains("Saved: "), "{said}");

    // Closed into history by a new session, then read back.
    let out = home
        .postrun()
        .args(["--new", "--finished", "1m"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_printable("--new", &out);
    let out = home.postrun().arg("history").output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_printable("history", &out);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("skipped "),
        "the skipped step's id is shown: {out:?}"
    );
    let out = home.postrun().args(["history", "--json"]).output().unwrap();
    assert_printable("history --json", &out);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["protocol"], MIX);
    assert_eq!(v[0]["steps"][0]["id"], format!("{MIX}-0"));
}

#[test]
fn the_command_line_and_file_names_are_quoted_printably() {
    let home = Home::new();
    // A protocol file named with the mix, with a problem in it.
    let named = home.path().join(format!("{}.toml", MIX.replace('/', "")));
    std::fs::write(&named, "name = 3\n").unwrap();
    let named = named.to_str().unwrap();
    for (case, args) in [
        ("a bad --bedtime", vec!["--bedtime", MIX]),
        ("a bad --finished", vec!["plan", "--finished", MIX]),
        ("an unknown protocol", vec!["show", MIX]),
        ("a missing file", vec!["check", MIX]),
        ("an unknown argument", vec![MIX]),
        ("a file named so", vec!["check", named]),
        ("a file named so, shown", vec!["show", named]),
    ] {
        let out = home.postrun().args(&args).output().unwrap();
        assert!(!out.status.success(), "{case}: {out:?}");
        assert!(!out.stderr.is_empty(), "{case}: something is said");
        assert_printable(case, &out);
    }
}

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

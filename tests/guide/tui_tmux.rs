//! End-to-end runs of the real binary in tmux, in the harness's temp home: what a
//! runner sees and types. Skips with a notice where tmux is missing, except under CI=true,
//! where `.ci/run` has installed it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::fixture;
use crate::home::tmux::{Tmux, tmux_available};

#[test]
fn a_runner_walks_through_pauses_skips_quits_and_comes_back() {
    if !tmux_available() {
        return;
    }
    let t = Tmux::new("walk");
    t.start((80, 24), "--finished 20m --bedtime 22:30");
    t.wait_for("Enter done", 10);
    t.wait_for("▶ Hydrate", 2);

    t.keys(&["Enter"]);
    t.wait_for("1/9 done", 5);
    t.wait_for("▶ Stretch", 2);

    t.keys(&["Enter"]);
    let screen = t.wait_for("whole step", 5);
    assert!(
        screen.contains("get ready: Quadriceps, left leg")
            || screen.contains("Quadriceps, left leg"),
        "{screen}"
    );

    t.keys(&["Space"]);
    t.wait_for("paused", 5);

    t.keys(&["?"]);
    t.wait_for("Keys", 5);
    t.keys(&["Escape"]);
    // The footer shows under the help too: wait for the help to go (Esc reaches the guide
    // only once the terminal has told it from the start of an escape sequence).
    t.wait_until(5, "the help to close", |s| {
        !s.contains("these keys; Esc closes") && s.contains("Space resume")
    });

    // The stretch is required: skipping asks first.
    t.keys(&["s"]);
    t.wait_for("is not optional", 5);
    t.keys(&["y"]);
    t.wait_for("▶ Recovery snack", 5);
    t.wait_for("– Stretch", 2);

    // A small window: the checklist gives way, the step stays.
    t.tmux(&["resize-window", "-x", "40", "-y", "12"]);
    let screen = t.wait_for("Recovery snack", 5);
    let small = t.wait_for("┌ Now", 5);
    assert!(!small.contains("Today"), "no checklist at 40x12:\n{screen}");
    t.tmux(&["resize-window", "-x", "80", "-y", "24"]);
    t.wait_for("┌ Today", 5);

    t.keys(&["q"]);
    let screen = t.wait_for("EXITED 0", 5);
    assert!(
        !screen.contains("┌ Today"),
        "the terminal is back to normal:\n{screen}"
    );

    // Reopening carries on where it was.
    t.start((80, 24), "");
    let screen = t.wait_for("▶ Recovery snack", 10);
    assert!(
        screen.contains("✓ Hydrate") && screen.contains("– Stretch"),
        "{screen}"
    );
    assert!(screen.contains("1/9 done"), "{screen}");
    t.keys(&["C-c"]);
    t.wait_for("EXITED 0", 5);
}

#[test]
fn a_short_timer_fires_its_cue_and_finishes_by_itself() {
    if !tmux_available() {
        return;
    }
    let t = Tmux::new("timer");
    let protocol = t.home.path().join("quick.toml");
    std::fs::write(
        &protocol,
        fixture::one_timer("4s", Some(("2s", "Halfway there"))),
    )
    .unwrap();
    t.start((80, 24), &format!("--protocol {}", protocol.display()));
    // A new day opens on the start screen, with the named routine picked.
    t.wait_for("◂ Quick ▸", 10);
    t.keys(&["Enter"]);
    t.wait_for("Enter start", 5);
    t.keys(&["Enter"]);
    t.wait_for("Halfway there", 6);
    t.wait_for("Time: Soak is done", 6);
    let screen = t.wait_for("▶ Rest", 2);
    assert!(screen.contains("✓ Soak"), "{screen}");
    t.keys(&["q"]);
    t.wait_for("EXITED 0", 5);

    // The log holds the run: status agrees from outside.
    let out = t.postrun(&["status"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "rest · 1/2\n");
}

/// The start screen shows `--bedtime`'s time as where bed comes from; Enter with it untouched
/// plans the day to that bedtime, not to the default.
#[test]
fn the_start_screen_begins_the_day_with_the_bedtime_given() {
    if !tmux_available() {
        return;
    }
    let t = Tmux::new("bedtime");
    t.start((80, 24), "--bedtime 23:40");
    t.wait_for("23:40  from --bedtime", 10);
    t.keys(&["Enter"]);
    t.wait_for("bed 23:40", 5);
    t.keys(&["q"]);
    t.wait_for("EXITED 0", 5);
}

#[test]
fn a_new_day_starts_on_the_start_screen_and_quitting_it_records_nothing() {
    if !tmux_available() {
        return;
    }
    let t = Tmux::new("start");
    t.start((80, 24), "--bedtime 22:30");
    t.wait_for("a new recovery day", 10);
    t.wait_for("Your day", 2);
    t.keys(&["q"]);
    t.wait_for("EXITED 0", 5);
    let status = |t: &Tmux| t.postrun(&["status", "--json"]);
    assert_eq!(status(&t).status.code(), Some(1), "no session was started");

    // Type when the run finished, give a budget, and begin.
    t.start((80, 24), "--bedtime 22:30");
    t.tmux(&["resize-window", "-x", "40", "-y", "12"]);
    t.wait_for("Tab field", 10);
    t.keys(&["Down", "2", "0", "m"]);
    t.wait_for("20m_", 5);
    t.keys(&["Down", "Down", "2", "0", "m", "Enter"]);
    t.wait_for("0/9 done", 5);
    t.keys(&["q"]);
    t.wait_for("EXITED 0", 5);
    let out = status(&t);
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let finished = chrono::DateTime::parse_from_rfc3339(json["finished_at"].as_str().unwrap())
        .unwrap()
        .with_timezone(&chrono::Utc);
    let ago = chrono::Utc::now() - finished;
    assert!(
        (19..=21).contains(&ago.num_minutes()),
        "finished {ago} ago, not 20m: {json}"
    );
    let skipped: Vec<&str> = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["state"] == "skipped")
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(
        skipped.contains(&"ice-bath"),
        "the budget dropped it: {json}"
    );

    // Reopening goes straight to the main screen.
    t.start((80, 24), "");
    let screen = t.wait_for("0/9 done", 10);
    assert!(!screen.contains("a new recovery day"), "{screen}");
    t.keys(&["q"]);
    t.wait_for("EXITED 0", 5);
}

#[test]
fn hooks_run_while_the_guide_runs_and_never_touch_its_screen() {
    if !tmux_available() {
        return;
    }
    let t = Tmux::new("hooks");
    let log = t.home.path().join("hooks.log");
    let config = t.home.path().join("config/postrun");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        format!(
            "[hooks]\n\
             cue = 'echo HOOK-STDOUT; echo HOOK-STDERR >&2; echo \"$POSTRUN_STEP: $POSTRUN_TEXT\" >> \"{log}\"'\n\
             timer_end = 'echo no speaker here >&2; exit 4'\n",
            log = log.display()
        ),
    )
    .unwrap();
    let quick = t.protocol(
        "quick.toml",
        &fixture::one_timer("3s", Some(("1s", "One second in"))),
    );
    t.start(
        (80, 24),
        &format!("--protocol {} --finished 0m", quick.display()),
    );
    t.wait_for("Enter start", 10);
    t.keys(&["Enter"]);
    // The warning wraps in the "Now" panel.
    let screen = t.wait_until(10, "the hook's warning", |s| {
        s.contains("Warning: the timer_end hook failed") && s.contains("4: no speaker here")
    });
    assert!(screen.contains("▶ Rest"), "the guide carried on:\n{screen}");
    assert!(
        !screen.contains("HOOK-STDOUT") && !screen.contains("HOOK-STDERR"),
        "a hook's output never reaches the screen:\n{screen}"
    );
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        "soak: One second in\n"
    );
    t.keys(&["q"]);
    t.wait_for("EXITED 0", 5);
}

/// Issue 16: titles from a hand-edited session log on a real terminal. A line separator or a
/// direction override in a title shifted the panel after it; a wide (CJK) title ran over the
/// state column; an escape sequence must never retitle the window.
#[test]
fn hostile_titles_from_a_log_keep_the_screen_in_place() {
    if !tmux_available() {
        return;
    }
    let t = Tmux::new("hostile");
    t.home
        .postrun()
        .args(["--finished", "5m", "--bedtime", &crate::home::bedtime_far()])
        .assert()
        .success();
    let log = std::fs::read_dir(t.sessions_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .unwrap();
    let text = std::fs::read_to_string(&log).unwrap();
    let mut open: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    let p = &mut open["open"]["protocol"];
    p["name"] = "Opt\u{1b}]2;pwned\u{7}imal".into();
    p["steps"][0]["title"] = "Hyd\u{2028}rate\u{202E}\u{2029}x".into();
    p["steps"][1]["title"] = "足".repeat(16).into();
    p["steps"][2]["title"] = "Sn\u{1b}]0;pwned\u{7}ack\u{9b}2J".into();
    // Without its source text, the session is shown from its own copy, titles and all.
    open["open"]["source"] = "".into();
    std::fs::write(&log, format!("{open}\n")).unwrap();

    t.start((80, 24), "");
    let screen = t.wait_for("┌ Today", 10);
    assert!(
        !t.pane("#{pane_title}").contains("pwned"),
        "the window was retitled:\n{screen}"
    );
    assert!(
        !screen.contains(['\u{2028}', '\u{2029}', '\u{202E}', '\u{9b}', '\u{1b}']),
        "{screen:?}"
    );
    // Where each frame line's vertical borders are, in terminal columns.
    let columns = |line: &str| -> Vec<usize> {
        let mut at = 0;
        let mut found = Vec::new();
        for c in line.chars() {
            if c == '│' {
                found.push(at);
            }
            at += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        }
        found
    };
    let lines: Vec<&str> = screen.lines().collect();
    for (y, line) in lines.iter().enumerate().take(22).skip(2) {
        assert_eq!(
            columns(line),
            [0, 29, 30, 79],
            "row {y} keeps the panels' borders in place:\n{screen}"
        );
    }
    let state_at = |needle: &str| {
        let line = lines.iter().find(|l| l.contains(needle)).unwrap();
        let (before, _) = line
            .split_once(" open ")
            .unwrap_or_else(|| panic!("the state column is on the row of {needle}:\n{screen}"));
        unicode_width::UnicodeWidthStr::width(before)
    };
    assert_eq!(
        state_at("足"),
        state_at("▶ Hyd"),
        "the wide title stops short of the state column:\n{screen}"
    );
    t.keys(&["q"]);
    t.wait_for("EXITED 0", 5);
}

/// Issue 14: `c` opens a small form over the guide; a bedtime typed there plans the day
/// again, one line in the log, and the header, the windows and `status` follow.
#[test]
fn c_changes_the_day_from_the_guide() {
    if !tmux_available() {
        return;
    }
    let t = Tmux::new("change-day");
    let bed = crate::home::bedtime_far();
    t.start((80, 24), &format!("--finished 20m --bedtime {bed}"));
    t.wait_for("▶ Hydrate", 10);
    t.keys(&["c"]);
    t.wait_for("Change the day", 5);
    // Down to the bedtime; the first key replaces it. An hour later than it was.
    let later = (chrono::Utc::now() + chrono::TimeDelta::hours(13))
        .format("%H:%M")
        .to_string();
    t.keys(&["Down"]);
    t.tmux(&["send-keys", "-l", &later]);
    t.wait_for(&format!("{later}_"), 5);
    t.keys(&["Enter"]);
    let screen = t.wait_until(5, "the form to close and the day to change", |s| {
        // "bed 14:40", or "bed tomorrow 00:10" past midnight.
        !s.contains("Change the day") && s.lines().next().is_some_and(|h| h.contains(&later))
    });
    assert!(screen.contains("The day is planned again"), "{screen}");
    let status = t.status().expect("the session is open");
    assert!(
        status["bedtime"]
            .as_str()
            .unwrap()
            .contains(&format!("T{later}:00")),
        "{status}"
    );
    // Esc closes the form and changes nothing.
    t.keys(&["c"]);
    t.wait_for("Change the day", 5);
    t.keys(&["Escape"]);
    t.wait_until(5, "the form to close", |s| !s.contains("Change the day"));
    t.keys(&["q"]);
}

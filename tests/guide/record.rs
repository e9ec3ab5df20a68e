//! The runner's record in the full-screen guide, end to end in tmux: the start screen offers
//! the run the config's watch folder holds, and beginning with it keeps the run's figures.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeDelta, Timelike, Utc};

use crate::activity::{FitRun, fit};
use crate::home::tmux::{Tmux, tmux_available};

#[test]
fn the_start_screen_offers_the_run_in_the_watch_folder_and_begins_with_it() {
    if !tmux_available() {
        return;
    }
    let t = Tmux::new("offer");
    let now = Utc::now().with_nanosecond(0).unwrap();
    // A half marathon that ended 40 minutes ago, in the watch's folder.
    let run = FitRun::half(now - TimeDelta::minutes(40) - TimeDelta::seconds(6310));
    let folder = t.home.path().join("watch");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("morning.fit"), fit(&run)).unwrap();
    let config = t.home.config_home().join("postrun");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        format!(
            "activities = \"{}\"\nbedtime = \"{}\"\n",
            folder.display(),
            crate::home::bedtime_far()
        ),
    )
    .unwrap();

    t.start((80, 24), "");
    let end = run.end().format("%H:%M").to_string();
    let screen = t.wait_for("Use your", 10);
    assert!(
        screen.contains(&format!("Use your {end} run (21.1 km)?")),
        "{screen}"
    );
    assert!(
        screen.contains(&format!("{end}  your run's end, from morning.fit")),
        "{screen}"
    );
    t.keys(&["Enter"]);
    t.wait_for("Enter done", 10);
    t.keys(&["q"]);
    t.wait_for("EXITED 0", 5);

    let logs = t.home.logs();
    let log = std::fs::read_to_string(&logs[0]).unwrap();
    let opening: serde_json::Value = serde_json::from_str(log.lines().next().unwrap()).unwrap();
    assert_eq!(opening["open"]["run"]["distance_m"], 21098);
    assert_eq!(
        opening["open"]["finished_at"]
            .as_str()
            .map(|s| s.to_string()),
        Some(run.end().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        "{opening}"
    );
}

#[test]
fn h_shows_the_weeks_at_a_glance_over_the_guide_and_h_closes_them() {
    if !tmux_available() {
        return;
    }
    let t = Tmux::new("weeks");
    let bed = crate::home::bedtime_far();
    t.start((80, 24), &format!("--finished 20m --bedtime {bed}"));
    t.wait_for("Enter done", 10);
    t.keys(&["h"]);
    let screen = t.wait_for("The weeks at a glance", 5);
    assert!(screen.contains("Week of   Mon    Tue"), "{screen}");
    // Today's session is on it: a day with something to do, nothing done yet.
    assert!(screen.contains("1 day with a session"), "{screen}");
    t.keys(&["h"]);
    t.wait_until(5, "the weeks to close", |s| {
        !s.contains("The weeks at a glance") && s.contains("Enter done")
    });
    t.keys(&["q"]);
    t.wait_for("EXITED 0", 5);
}

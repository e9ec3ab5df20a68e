//! Stand-ins for the programs postrun runs (spd-say, espeak-ng, notify-send): each writes
//! down its arguments, so a test reads exactly what postrun gave it.
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A stand-in `name` in `dir` that adds its arguments, one a line and `END` after them, to
/// `NAME.args` beside it: every run is written down. Only shell built-ins, so it runs with
/// nothing else on `PATH`.
pub fn stand_in(dir: &Path, name: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    let out = dir.join(format!("{name}.args"));
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\n{{ printf '%s\\n' \"$@\"; echo END; }} >> '{0}'\n",
            out.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// Every run of the stand-in `name` in `dir` so far, the arguments of each, once one has run
/// (10 s at most). `END` marks a run's list written whole.
pub fn runs_of(dir: &Path, name: &str) -> Vec<Vec<String>> {
    let file = dir.join(format!("{name}.args"));
    let started = Instant::now();
    let text = loop {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        if text.ends_with("END\n") {
            break text;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{name} never ran"
        );
        std::thread::sleep(Duration::from_millis(10));
    };
    text.split_terminator("END\n")
        .map(|run| run.lines().map(str::to_string).collect())
        .collect()
}

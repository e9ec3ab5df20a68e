//! The files themselves, end to end: only regular files are read (a FIFO, a device or a
//! dangling link is named and nothing waits on it), every read is bounded, the data folder
//! and what is in it are the runner's alone, `edit` keeps a symlink and a mode, and no
//! temporary file is left behind. Each runs the real binary in a fresh temp home.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::ffi::CString;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use assert_cmd::Command;

use crate::home::{BIN, Home};

/// Long enough for any command here, short enough that a command waiting on a FIFO fails the
/// test instead of hanging it.
const PROMPTLY: Duration = Duration::from_secs(20);

impl Home {
    fn config_dir(&self) -> PathBuf {
        self.config_home().join("postrun")
    }

    fn data_dir(&self) -> PathBuf {
        self.data_home().join("postrun")
    }

    fn sessions_dir(&self) -> PathBuf {
        self.data_dir().join("sessions")
    }

    fn own_protocols(&self) -> PathBuf {
        self.config_dir().join("protocols")
    }

    /// postrun here, stopped if it has not finished [`PROMPTLY`].
    fn run(&self, args: &[&str]) -> Command {
        let mut cmd = self.postrun();
        cmd.args(args).timeout(PROMPTLY);
        cmd
    }

    /// postrun here with a zero file-size limit (and SIGXFSZ ignored): every write that
    /// would add a byte fails, as on a full disk. Needs no root, unlike a full tmpfs.
    fn on_a_full_disk(&self, args: &[&str]) -> Command {
        let mut cmd = self.command("sh");
        cmd.arg("-c")
            .arg("trap '' XFSZ; ulimit -f 0; exec \"$0\" \"$@\"")
            .arg(BIN)
            .args(args)
            .timeout(PROMPTLY);
        cmd
    }

    /// Starts a session through the plain guide, which ends at once on an empty stdin.
    fn start(&self) {
        self.run(&["--finished", "5m"]).assert().success();
    }
}

fn mkfifo(path: &Path) {
    let c = CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(
        unsafe { libc::mkfifo(c.as_ptr(), 0o644) },
        0,
        "mkfifo {path:?}"
    );
}

/// The command's stderr, having checked its exit code.
fn stderr_of(cmd: &mut Command, code: i32) -> String {
    String::from_utf8(cmd.assert().code(code).get_output().stderr.clone()).unwrap()
}

fn stdout_of(cmd: &mut Command) -> (String, String) {
    let out = cmd.assert().success().get_output().clone();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().mode() & 0o7777
}

/// Every file and folder under `dir`, as names relative to it.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

// ---- special files ---------------------------------------------------------------------------

#[test]
fn a_fifo_or_a_device_as_a_protocol_is_named_and_nothing_waits() {
    let home = Home::new();
    let fifo = home.path().join("pipe.toml");
    mkfifo(&fifo);
    let not_a_file = "pipe.toml: it is a FIFO, not a file";

    let err = stderr_of(&mut home.run(&["check", "pipe.toml"]), 1);
    assert!(err.contains(not_a_file), "{err}");
    let err = stderr_of(&mut home.run(&["show", "./pipe.toml"]), 2);
    assert!(err.contains(not_a_file), "{err}");
    let err = stderr_of(
        &mut home.run(&["--protocol", "./pipe.toml", "--finished", "5m"]),
        2,
    );
    assert!(err.contains(not_a_file), "{err}");
    assert!(!home.sessions_dir().exists(), "no session was started");

    // A device is named for what it is, not read as an empty or endless file.
    let err = stderr_of(&mut home.run(&["check", "/dev/zero"]), 1);
    assert!(
        err.contains("/dev/zero: it is a character device, not a file"),
        "{err}"
    );
    assert!(!err.contains("0 bytes"), "{err}");

    // One of the runner's own protocols, by name: named, not passed over for the built-in.
    fs::create_dir_all(home.own_protocols()).unwrap();
    mkfifo(&home.own_protocols().join("optimal-recovery.toml"));
    let err = stderr_of(&mut home.run(&["show"]), 2);
    assert!(
        err.contains("optimal-recovery.toml: it is a FIFO, not a file"),
        "{err}"
    );

    // A symlink to a regular file is a file.
    let real = home.path().join("real.toml");
    let root = env!("CARGO_MANIFEST_DIR");
    fs::copy(format!("{root}/protocols/optimal-recovery.toml"), &real).unwrap();
    symlink(&real, home.path().join("link.toml")).unwrap();
    let (out, _) = stdout_of(&mut home.run(&["check", "link.toml"]));
    assert_eq!(out, "link.toml: ok (9 steps)\n");
}

#[test]
fn a_config_file_that_is_a_fifo_a_device_or_too_large_is_named_and_nothing_waits() {
    let home = Home::new();
    fs::create_dir_all(home.config_dir()).unwrap();
    let config = home.config_dir().join("config.toml");
    mkfifo(&config);
    let named = format!("{}: it is a FIFO, not a file", config.display());
    for args in [&["plan", "--finished", "10:00"][..], &["--finished", "5m"]] {
        let err = stderr_of(&mut home.run(args), 2);
        assert!(err.contains(&named), "{args:?}: {err}");
    }
    assert!(!home.sessions_dir().exists(), "no session was started");

    fs::remove_file(&config).unwrap();
    symlink("/dev/zero", &config).unwrap();
    let err = stderr_of(&mut home.run(&["plan", "--finished", "10:00"]), 2);
    let named = format!("{}: it is a character device, not a file", config.display());
    assert!(err.contains(&named), "{err}");

    // Sparse: over the cap without writing it.
    fs::remove_file(&config).unwrap();
    let big = fs::File::create(&config).unwrap();
    big.set_len(2 * 1024 * 1024).unwrap();
    drop(big);
    let err = stderr_of(&mut home.run(&["plan", "--finished", "10:00"]), 2);
    let named = format!(
        "{}: it is 2097152 bytes; a config file may be at most 1048576",
        config.display()
    );
    assert!(err.contains(&named), "{err}");
}

#[test]
fn a_log_that_is_not_a_regular_file_is_skipped_with_a_warning() {
    let home = Home::new();
    home.start();
    mkfifo(&home.sessions_dir().join("fifo.jsonl"));
    symlink("/dev/zero", home.sessions_dir().join("zero.jsonl")).unwrap();
    // Sparse: over the cap without writing it.
    let huge = fs::File::create(home.sessions_dir().join("huge.jsonl")).unwrap();
    huge.set_len(65 * 1024 * 1024).unwrap();
    drop(huge);

    let (out, err) = stdout_of(&mut home.run(&["status"]));
    assert!(out.starts_with("hydrate "), "{out}");
    for (name, why) in [
        ("fifo.jsonl", "it is a FIFO, not a file"),
        ("zero.jsonl", "it is a character device, not a file"),
        (
            "huge.jsonl",
            "it is 68157440 bytes; a session log may be at most 67108864 bytes",
        ),
    ] {
        let path = home.sessions_dir().join(name);
        let warning = format!(
            "postrun: warning: {}: cannot read ({why}); skipped",
            path.display()
        );
        assert!(err.contains(&warning), "{name}: {err}");
    }
    let (out, err) = stdout_of(&mut home.run(&["history"]));
    assert_eq!(out, "No past sessions yet.\n");
    assert!(
        err.contains("fifo.jsonl: cannot read (it is a FIFO"),
        "{err}"
    );
    assert!(
        err.contains("zero.jsonl: cannot read (it is a character"),
        "{err}"
    );
    // The guide, too, starts on the open session.
    home.run(&["--plain"]).assert().success();
}

#[test]
fn a_config_file_with_invalid_utf8_is_named_at_the_bad_byte() {
    let home = Home::new();
    fs::create_dir_all(home.config_dir()).unwrap();
    let config = home.config_dir().join("config.toml");
    // Inside a hook's command: read with a replacement character, it would run another one.
    fs::write(&config, b"bell = false\n[hooks]\ncue = \"say \xff\"\n").unwrap();
    let err = stderr_of(&mut home.run(&["plan", "--finished", "10:00"]), 1);
    let at = format!(
        "{}:3:12: the file is not valid UTF-8 text",
        config.display()
    );
    assert!(err.starts_with(&at), "{err}");
}

#[test]
fn a_dangling_config_symlink_is_named() {
    let home = Home::new();
    fs::create_dir_all(home.config_dir()).unwrap();
    let config = home.config_dir().join("config.toml");
    let gone = home.path().join("dotfiles/postrun.toml");
    symlink(&gone, &config).unwrap();
    for args in [&["plan", "--finished", "10:00"][..], &["--finished", "5m"]] {
        let err = stderr_of(&mut home.run(args), 2);
        let named = format!(
            "{}: it is a symlink to {}, which does not exist",
            config.display(),
            gone.display()
        );
        assert!(err.contains(&named), "{args:?}: {err}");
    }
}

// ---- private data ----------------------------------------------------------------------------

#[test]
fn the_data_folder_and_everything_in_it_are_the_runners_alone() {
    let home = Home::new();
    // A umask that lets everyone read, as is common.
    let mut cmd = home.command("sh");
    cmd.arg("-c")
        .arg("umask 022; exec \"$0\" \"$@\"")
        .arg(BIN)
        .args(["--finished", "5m"])
        .timeout(PROMPTLY)
        .assert()
        .success();
    let log = fs::read_dir(home.sessions_dir())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    // `XDG_DATA_HOME` did not exist either: made private too, as the XDG spec asks.
    for dir in [home.data_home(), home.data_dir(), home.sessions_dir()] {
        assert_eq!(mode(&dir), 0o700, "{dir:?}");
    }
    assert_eq!(mode(&log), 0o600);
    home.run(&["history"]).assert().success();
    assert_eq!(mode(&home.data_dir().join("summaries.cache")), 0o600);
}

#[test]
fn folders_an_older_postrun_left_open_are_made_private() {
    let home = Home::new();
    fs::create_dir_all(home.sessions_dir()).unwrap();
    for dir in [home.data_home(), home.data_dir(), home.sessions_dir()] {
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    }
    home.start();
    assert_eq!(mode(&home.data_dir()), 0o700);
    assert_eq!(mode(&home.sessions_dir()), 0o700);
    assert_eq!(mode(&home.data_home()), 0o755, "not postrun's own folder");
}

#[test]
fn edit_writes_through_a_symlink_and_keeps_the_files_mode() {
    let home = Home::new();
    let dotfiles = home.path().join("dotfiles");
    fs::create_dir_all(&dotfiles).unwrap();
    let real = dotfiles.join("mine.toml");
    let root = env!("CARGO_MANIFEST_DIR");
    fs::copy(format!("{root}/protocols/optimal-recovery.toml"), &real).unwrap();
    fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
    fs::create_dir_all(home.own_protocols()).unwrap();
    let link = home.own_protocols().join("mine.toml");
    symlink(&real, &link).unwrap();
    let editor = home.path().join("editor.sh");
    fs::write(
        &editor,
        "#!/bin/sh\nsed -i 's/^title = \"Hydrate\"/title = \"Drink\"/' \"$1\"\n",
    )
    .unwrap();
    fs::set_permissions(&editor, fs::Permissions::from_mode(0o755)).unwrap();

    home.run(&["edit", "mine"])
        .env("EDITOR", &editor)
        .assert()
        .success();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is still a link"
    );
    assert_eq!(fs::read_link(&link).unwrap(), real);
    assert!(
        fs::read_to_string(&real)
            .unwrap()
            .contains("title = \"Drink\"")
    );
    assert_eq!(mode(&real), 0o640);
    assert_eq!(listing(&dotfiles), ["mine.toml"], "nothing left beside it");
    assert_eq!(listing(&home.own_protocols()), ["mine.toml"]);
}

// ---- leftovers -------------------------------------------------------------------------------

#[test]
fn status_on_a_full_disk_leaves_no_temporary_file() {
    let home = Home::new();
    home.start();
    // The summaries are out of date (no cache yet), so `status` tries to write them.
    let (out, _) = stdout_of(&mut home.on_a_full_disk(&["status"]));
    assert!(out.starts_with("hydrate "), "{out}");
    // The logs, and the lock that starting a day takes (a file kept on purpose, empty).
    assert_eq!(listing(&home.data_dir()), ["sessions", "sessions.lock"]);
}

#[test]
fn temporary_files_a_killed_write_left_are_swept_and_never_listed() {
    let home = Home::new();
    fs::create_dir_all(home.own_protocols()).unwrap();
    // What a killed `init` leaves (an hour ago, and one of a write still under way), and what
    // a killed `edit` leaves: its draft.
    let stale = home.own_protocols().join(".optimal-recovery.toml.4242.tmp");
    let fresh = home.own_protocols().join(".mine.toml.4243.tmp");
    let draft = home.own_protocols().join(".mine.edit.toml");
    for path in [&stale, &fresh, &draft] {
        fs::write(path, "half").unwrap();
    }
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    fs::File::options()
        .write(true)
        .open(&stale)
        .unwrap()
        .set_modified(hour_ago)
        .unwrap();

    // The list of protocols is of protocols only.
    let err = stderr_of(&mut home.run(&["show", "nothing-by-this-name"]), 2);
    assert!(err.contains("available: optimal-recovery"), "{err}");
    assert!(!err.contains(".mine"), "{err}");

    home.run(&["init"]).assert().success();
    assert!(!stale.exists(), "a stale temporary file is swept");
    assert!(fresh.exists(), "a write under way is left alone");
    assert!(draft.exists(), "a draft is the runner's unsaved edit: kept");
}

#[test]
fn a_file_written_never_replaces_a_fifo_or_a_device() {
    // `plan --ics -o` renamed its file over whatever was there: as root, `-o /dev/null`
    // would have put a regular file in its place. A FIFO stands in here. Nothing reads it, so
    // writing into it would wait for ever: it is an error at once.
    let home = Home::new();
    let fifo = home.path().join("plan.ics");
    mkfifo(&fifo);
    let err = stderr_of(&mut home.run(&["plan", "--ics", "-o", "plan.ics"]), 2);
    assert!(
        err.contains("cannot write plan.ics: it is a FIFO nothing reads"),
        "{err}"
    );
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(listing(home.path()), ["plan.ics"]);
    // With a reader, the calendar goes through it, and the FIFO stays a FIFO.
    // The read end opened first, without waiting for a writer; the calendar fits in the pipe.
    let mut reader = fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&fifo)
        .unwrap();
    home.run(&["plan", "--ics", "-o", "plan.ics"])
        .assert()
        .success();
    let mut read = String::new();
    std::io::Read::read_to_string(&mut reader, &mut read).unwrap();
    assert!(read.starts_with("BEGIN:VCALENDAR"), "{read}");
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

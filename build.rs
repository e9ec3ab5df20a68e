//! Release builds lay out the functions a runner's day runs side by side, from the list
//! `bench/order` writes (bench/hot-functions.txt), so a start keeps a quarter as much of the
//! binary's code resident and a wake touches fewer pages (BENCHMARKS.md, "Peak memory").
//!
//! Only where the linker takes the list: lld's `--symbol-ordering-file`, which Rust uses on
//! x86_64 Linux since 1.90. Rather than guess which linker a machine ends up with (a
//! distribution's rustc, a `linker` in a cargo config, mold), an empty program is linked with
//! the option first, with the same rustc, target and flags; if that fails the list is left out
//! and the build is the same as without it. Debug builds, and so the tests, never use it.
//!
//! Every build also packs its relative relocations (`-z pack-relative-relocs`, DT_RELR):
//! the table the dynamic loader reads at every start shrinks from 66 KB to 4 KB, a 64 KB
//! window of the binary less resident. It needs glibc 2.36 or later to run, so the empty
//! program is also run (where it was built for this machine) and the option kept only if it
//! starts.
use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const LIST: &str = "bench/hot-functions.txt";

fn main() {
    println!("cargo::rerun-if-changed={LIST}");
    println!("cargo::rerun-if-changed=build.rs");
    // Every build packs its relocations where it can; the tests check the binary says so.
    let packed = ["-Wl,-z,pack-relative-relocs".to_string()];
    let packs = links_with(&packed, true);
    if packs {
        for arg in packed {
            println!("cargo::rustc-link-arg-bins={arg}");
        }
    }
    println!("cargo::rustc-env=POSTRUN_PACKED_RELOCS={}", u8::from(packs));
    if env::var("PROFILE").as_deref() != Ok("release") {
        return;
    }
    let Ok(root) = env::var("CARGO_MANIFEST_DIR") else {
        return;
    };
    let list = Path::new(&root).join(LIST);
    if !list.is_file() {
        return;
    }
    let args = [
        format!("-Wl,--symbol-ordering-file={}", list.display()),
        // Names the list has and this build does not (code changed since it was written)
        // are expected; each would be a warning.
        "-Wl,--no-warn-symbol-ordering".to_string(),
    ];
    if links_with(&args, false) {
        for arg in args {
            println!("cargo::rustc-link-arg-bins={arg}");
        }
    }
}

/// Whether an empty program links with these linker arguments, as this build would link, and
/// with `run`, also runs here (never when cross-compiling: it could not say).
fn links_with(args: &[String], run: bool) -> bool {
    let (Ok(rustc), Ok(target), Some(out)) = (
        env::var("RUSTC"),
        env::var("TARGET"),
        env::var_os("OUT_DIR").map(PathBuf::from),
    ) else {
        return false;
    };
    let source = out.join("probe.rs");
    if std::fs::write(&source, "fn main() {}\n").is_err() {
        return false;
    }
    let mut probe = Command::new(rustc);
    probe
        .arg("--target")
        .arg(&target)
        .arg("--crate-type=bin")
        .arg("-o")
        .arg(out.join("probe"))
        .arg(&source);
    if let Ok(linker) = env::var("RUSTC_LINKER") {
        probe.arg("-C").arg(format!("linker={linker}"));
    }
    if let Ok(flags) = env::var("CARGO_ENCODED_RUSTFLAGS") {
        probe.args(flags.split('\x1f').filter(|f| !f.is_empty()));
    }
    for arg in args {
        probe.arg("-C").arg(format!("link-arg={arg}"));
    }
    let linked = probe
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !run || !linked {
        return linked;
    }
    env::var("HOST").is_ok_and(|host| host == target)
        && Command::new(out.join("probe"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
}

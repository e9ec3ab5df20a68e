//! The `postrun` binary: parse the command line, run it, report errors, choose the exit code.
use std::process::ExitCode;

fn main() -> ExitCode {
    postrun::cli::main()
}

/// `log10` and `log10f` for the two dependencies that call them (annotate-snippets counts a
/// line number's digits, fitparser scales a field), from the pure-Rust `libm` crate. They were
/// postrun's last calls into the system's libm.so: defined here, the linker needs nothing from
/// it and it is not loaded at all. Loading it cost about 300 KB of resident memory at every
/// start, spent running its IFUNC resolvers (BENCHMARKS.md, "Peak memory").
mod no_system_libm {
    #[unsafe(no_mangle)]
    extern "C" fn log10(x: f64) -> f64 {
        libm::log10(x)
    }

    #[unsafe(no_mangle)]
    extern "C" fn log10f(x: f32) -> f32 {
        libm::log10f(x)
    }
}

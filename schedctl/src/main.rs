//! The `schedctl` binary: everything lives in the library so tests can reach it.

fn main() -> std::process::ExitCode {
    // Exit codes are 0..=5 (see `schedctl::exit_codes`), so the conversion never fails.
    std::process::ExitCode::from(u8::try_from(schedctl::main_entry()).unwrap_or(1))
}

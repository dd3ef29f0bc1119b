//! The committed shell completions (`completions/`) and man pages (`man/`) match the command
//! trees of `schedctl`, `schedd-master` and `schedd-worker`. The test regenerates everything in memory and
//! fails on any difference, missing file or stale file; with `SCHEDD_REGENERATE=1` it
//! rewrites the directories instead:
//!
//! ```sh
//! SCHEDD_REGENERATE=1 cargo test -p schedctl --test generated
//! ```
//!
//! The daemons' pages are generated here rather than by `schedctl man`, so the CLI does not
//! depend on their crates.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::Shell;
use schedctl::generate::{completion, completion_file_name, man_pages};

const REGENERATE: &str = "SCHEDD_REGENERATE";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("schedctl lives in the workspace")
        .to_owned()
}

/// Every generated file, by directory and file name.
fn generated() -> BTreeMap<&'static str, BTreeMap<String, Vec<u8>>> {
    let mut completions = BTreeMap::new();
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::Elvish,
        Shell::PowerShell,
    ] {
        completions.insert(
            completion_file_name(shell, "schedctl"),
            completion(shell, schedctl::Cli::command()),
        );
    }
    let mut man = BTreeMap::new();
    for cmd in [
        schedctl::Cli::command(),
        schedd_master::cli::Cli::command(),
        schedd_worker::cli::Cli::command(),
    ] {
        for (name, page) in man_pages(cmd).expect("man pages render") {
            assert!(
                man.insert(name.clone(), page).is_none(),
                "two commands want {name}"
            );
        }
    }
    BTreeMap::from([("completions", completions), ("man", man)])
}

/// The files in `dir` (none when it does not exist).
fn on_disk(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .map(|e| e.expect("directory entry"))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let bytes = std::fs::read(e.path()).expect("readable file");
            (name, bytes)
        })
        .collect()
}

#[test]
fn completions_and_man_pages_are_up_to_date() {
    let regenerate = std::env::var_os(REGENERATE).is_some_and(|v| v == "1");
    let mut problems = Vec::new();
    for (dir_name, want) in generated() {
        let dir = workspace().join(dir_name);
        let have = on_disk(&dir);
        if regenerate {
            std::fs::create_dir_all(&dir).expect("create the directory");
            for stale in have.keys().filter(|name| !want.contains_key(*name)) {
                std::fs::remove_file(dir.join(stale)).expect("remove a stale file");
            }
            for (name, bytes) in &want {
                if have.get(name) != Some(bytes) {
                    std::fs::write(dir.join(name), bytes).expect("write a generated file");
                }
            }
            continue;
        }
        for (name, bytes) in &want {
            match have.get(name) {
                None => problems.push(format!("{dir_name}/{name} is missing")),
                Some(old) if old != bytes => {
                    let first = String::from_utf8_lossy(old)
                        .lines()
                        .zip(String::from_utf8_lossy(bytes).lines())
                        .position(|(a, b)| a != b)
                        .map_or_else(
                            || "the lengths differ".to_owned(),
                            |i| format!("first at line {}", i + 1),
                        );
                    problems.push(format!("{dir_name}/{name} is out of date ({first})"));
                }
                Some(_) => {}
            }
        }
        for stale in have.keys().filter(|name| !want.contains_key(*name)) {
            problems.push(format!(
                "{dir_name}/{stale} is no longer generated (a command was removed or renamed)"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "the generated files do not match the commands:\n  {}\n\
         Regenerate them with:\n  {REGENERATE}=1 cargo test -p schedctl --test generated",
        problems.join("\n  ")
    );
}

#[test]
fn generation_is_deterministic() {
    // No dates or other per-run content: two renderings are byte-identical.
    assert_eq!(generated(), generated());
}

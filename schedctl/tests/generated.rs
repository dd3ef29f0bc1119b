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
//!
//! The release tarball ships these files, so its layout is checked here too: `scripts/package
//! --assemble-from DIR` packs already-built binaries the way a release run packs release ones,
//! in a second or two instead of the release build's minutes.

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

/// Runs `scripts/package` with `args`, with a fixed date so nothing depends on git.
fn package(args: &[&std::ffi::OsStr]) -> Output {
    Command::new("bash")
        .arg(workspace().join("scripts/package"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1790000000")
        .output()
        .expect("bash runs scripts/package")
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("the command starts");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

#[test]
fn the_package_holds_each_file_where_the_readme_installs_it_from() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let bin = tmp.path().join("bin");
    std::fs::create_dir(&bin).expect("bin dir");
    std::fs::copy(env!("CARGO_BIN_EXE_schedctl"), bin.join("schedctl")).expect("copy schedctl");
    // `cargo test -p schedctl` builds no daemon binaries (a test cannot ask for another
    // crate's), so any small executable that `strip` accepts stands in for them: this test is
    // about the layout; the release run of scripts/package packs and checks the real ones.
    let stand_in = ["/usr/bin/true", "/bin/true"]
        .into_iter()
        .find(|p| Path::new(p).is_file())
        .expect("coreutils' true");
    for daemon in ["schedd-master", "schedd-worker"] {
        std::fs::copy(stand_in, bin.join(daemon)).expect("copy a stand-in");
    }
    let out_dir = tmp.path().join("out");

    let out = package(&[
        "--assemble-from".as_ref(),
        bin.as_os_str(),
        "--out".as_ref(),
        out_dir.as_os_str(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "scripts/package failed:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tarball = PathBuf::from(
        stdout
            .lines()
            .next()
            .expect("the tarball's path comes first"),
    );
    let file_name = tarball.file_name().expect("a file").to_string_lossy();
    let prefix = format!("schedd-{}-", env!("CARGO_PKG_VERSION"));
    assert!(
        tarball.parent() == Some(&*out_dir)
            && file_name.starts_with(&prefix)
            && file_name.ends_with(".tar.gz"),
        "{stdout}"
    );
    assert!(
        stdout.contains("size: ") && stdout.contains("sha256: "),
        "{stdout}"
    );
    let top = file_name.trim_end_matches(".tar.gz").to_owned();

    // Every file, exactly: what is missing and what should not be there.
    let listing = run(Command::new("tar").arg("tzf").arg(&tarball));
    let files: BTreeSet<&str> = listing
        .lines()
        .filter(|l| !l.ends_with('/'))
        .map(|l| {
            l.strip_prefix(&format!("{top}/"))
                .unwrap_or_else(|| panic!("{l} is outside {top}/"))
        })
        .collect();
    let mut want: BTreeSet<String> = [
        "bin/schedctl",
        "bin/schedd-master",
        "bin/schedd-worker",
        "share/bash-completion/completions/schedctl",
        "share/zsh/site-functions/_schedctl",
        "share/fish/vendor_completions.d/schedctl.fish",
        "lib/systemd/system/schedd-master.service",
        "lib/systemd/system/schedd-worker.service",
        "etc/schedd/master.json",
        "etc/schedd/worker.json",
        "README.md",
    ]
    .map(String::from)
    .into();
    want.extend(
        on_disk(&workspace().join("man"))
            .into_keys()
            .map(|page| format!("share/man/man1/{page}")),
    );
    if workspace().join("LICENSE").is_file() {
        want.insert("LICENSE".to_owned());
    }
    let want: BTreeSet<&str> = want.iter().map(String::as_str).collect();
    assert_eq!(files, want, "the tarball's files, under {top}/");

    // Unpacked: binaries executable and working, the zsh function where compinit finds it,
    // the checksum right.
    let unpacked = tmp.path().join("unpacked");
    std::fs::create_dir(&unpacked).expect("unpack dir");
    run(Command::new("tar")
        .arg("xzf")
        .arg(&tarball)
        .arg("-C")
        .arg(&unpacked));
    let root = unpacked.join(&top);
    for b in ["schedctl", "schedd-master", "schedd-worker"] {
        let mode = std::fs::metadata(root.join("bin").join(b))
            .expect("a binary")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o755, "bin/{b}");
    }
    let version = run(Command::new(root.join("bin/schedctl"))
        .args(["--version"])
        .env("SCHEDCTL_CONFIG", "/nonexistent/schedctl/config.yaml"));
    assert!(version.contains(env!("CARGO_PKG_VERSION")), "{version}");
    let zsh = std::fs::read(root.join("share/zsh/site-functions/_schedctl")).expect("zsh file");
    assert!(zsh.starts_with(b"#compdef schedctl\n"));
    run(Command::new("sha256sum")
        .arg("--check")
        .arg(format!("{file_name}.sha256"))
        .current_dir(&out_dir));
}

#[test]
fn the_package_refuses_a_master_without_the_web_ui() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dist = tmp.path().join("dist");
    std::fs::create_dir(&dist).expect("dist dir");
    let index = "<!doctype html><script type=\"module\" crossorigin \
                 src=\"/assets/index-Xy12_ab.js\"></script><div id=\"app\"></div>";
    std::fs::write(dist.join("index.html"), index).expect("index.html");
    let with_ui = tmp.path().join("with-ui");
    std::fs::write(&with_ui, format!("\x7fELF\0\0{index}\0\0")).expect("a master with the UI");
    let without_ui = tmp.path().join("without-ui");
    std::fs::write(
        &without_ui,
        "\x7fELF\0\0The web UI is not built into this master.",
    )
    .expect("a master without it");

    let check = |master: &Path| {
        package(&[
            "--web-dist".as_ref(),
            dist.as_os_str(),
            "--check-ui".as_ref(),
            master.as_os_str(),
        ])
    };
    let ok = check(&with_ui);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let refused = check(&without_ui);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("does not embed the web UI")
            && stderr.contains("src=\"/assets/index-Xy12_ab.js\""),
        "{stderr}"
    );
}

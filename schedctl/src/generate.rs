//! Files generated from the command tree: shell completion scripts (`schedctl completions
//! SHELL`) and man pages (`schedctl man`). Both come from clap's own description of the
//! commands, so they cannot drift from `--help`; the copies committed under `completions/`
//! and `man/` are checked by `tests/generated.rs`, which rewrites them when
//! `SCHEDD_REGENERATE=1` is set.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::Cli;

/// Print a shell completion script to stdout.
///
/// The `Completions` variant's own doc is the about text (it wins over this one); where the
/// files go is in `--help` through `after_long_help`, which it leaves alone.
#[derive(Debug, Args)]
#[command(after_long_help = INSTALL_COMPLETIONS)]
pub struct Completions {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The names are `completion_file_name`'s, which `scripts/package` installs under `share/`.
const INSTALL_COMPLETIONS: &str = "\
Save the script where the shell looks for it, under the name it looks for:
  bash  ~/.local/share/bash-completion/completions/schedctl
        (system-wide: /usr/local/share/bash-completion/completions/schedctl)
  zsh   _schedctl in a directory of $fpath, e.g. ~/.zfunc/_schedctl with
        fpath=(~/.zfunc $fpath) before compinit in ~/.zshrc
        (system-wide: /usr/local/share/zsh/site-functions/_schedctl)
  fish  ~/.config/fish/completions/schedctl.fish
        (system-wide: /usr/local/share/fish/vendor_completions.d/schedctl.fish)
Or, for this bash session only: source <(schedctl completions bash)";

impl Completions {
    pub fn run(self) -> anyhow::Result<()> {
        let script = completion(self.shell, Cli::command());
        let mut out = std::io::stdout().lock();
        out.write_all(&script)
            .and_then(|()| out.flush())
            .context("writing to stdout")
    }
}

/// Write man pages: `schedctl.1` to stdout, or with --dir one page per command and
/// subcommand (`schedctl.1`, `schedctl-job.1`, `schedctl-job-save.1`, ...).
#[derive(Debug, Args)]
pub struct Man {
    /// Write every page into this directory (created if missing) instead of printing
    /// `schedctl.1`.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

impl Man {
    pub fn run(self) -> anyhow::Result<()> {
        let pages = man_pages(Cli::command())?;
        let Some(dir) = self.dir else {
            let (_, top) = pages.first().expect("the top page comes first");
            let mut out = std::io::stdout().lock();
            return out
                .write_all(top)
                .and_then(|()| out.flush())
                .context("writing to stdout");
        };
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        for (name, page) in &pages {
            let path = dir.join(name);
            std::fs::write(&path, page).with_context(|| format!("writing {}", path.display()))?;
        }
        crate::printer::note(format_args!(
            "wrote {} man pages to {}",
            pages.len(),
            dir.display()
        ));
        Ok(())
    }
}

/// The completion script for `shell`, for the binary `cmd` names.
pub fn completion(shell: Shell, mut cmd: clap::Command) -> Vec<u8> {
    let name = cmd.get_name().to_owned();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, name, &mut script);
    script
}

/// The file name under which `shell` loads the completions of `bin` by itself, which is
/// also the name the script is committed under in `completions/` and packaged under by
/// `scripts/package`:
///
/// - bash: `schedctl`. bash-completion's on-demand loader looks in its `completions`
///   directories (`/usr/share/bash-completion/completions`, `~/.local/share/...`) for the
///   command's name, then `NAME.bash`, then `_NAME`; the bare name is the one it tries first,
///   the one every 2.x release finds, and the one distributions install under.
/// - zsh: `_schedctl`. `compinit` autoloads only files in `$fpath` whose names start with an
///   underscore (and whose first line is `#compdef`); `schedctl.zsh` was never loaded.
/// - fish: `schedctl.fish`. fish loads `NAME.fish` from `~/.config/fish/completions` and
///   `vendor_completions.d` the first time NAME is completed.
/// - elvish: `schedctl.elv`, and PowerShell: `schedctl.ps1`. Neither autoloads completions;
///   the extension is what `use` (elvish modules) and dot-sourcing from `$PROFILE` expect.
pub fn completion_file_name(shell: Shell, bin: &str) -> String {
    match shell {
        Shell::Bash => bin.to_owned(),
        Shell::Zsh => format!("_{bin}"),
        Shell::Fish => format!("{bin}.fish"),
        Shell::Elvish => format!("{bin}.elv"),
        Shell::PowerShell => format!("{bin}.ps1"),
        // `Shell` is non-exhaustive; a new shell gets its name as the extension.
        other => format!("{bin}.{other}"),
    }
}

/// One man page per command and visible subcommand, as `(file name, roff)`, the top command
/// first, then depth first in the order of `--help`. Without a date, so the output only
/// changes when the commands do.
pub fn man_pages(cmd: clap::Command) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    fn walk(cmd: &clap::Command, pages: &mut Vec<(String, Vec<u8>)>) -> anyhow::Result<()> {
        let man = clap_mangen::Man::new(cmd.clone());
        let mut page = Vec::new();
        man.render(&mut page).context("rendering a man page")?;
        pages.push((man.get_filename(), page));
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub, pages)?;
        }
        Ok(())
    }
    // Built once here, so subcommands know their full names (`schedctl-job-save`) and carry
    // the global flags; `help` is clap's, not a command with a page of its own.
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    let mut pages = Vec::new();
    walk(&cmd, &mut pages)?;
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_is_a_page_per_command_and_subcommand() {
        let pages = man_pages(Cli::command()).expect("renders");
        let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names[0], "schedctl.1");
        for want in [
            "schedctl-job.1",
            "schedctl-job-save.1",
            "schedctl-config-use-context.1",
            "schedctl-version.1",
        ] {
            assert!(names.contains(&want), "{want} missing from {names:?}");
        }
        assert!(!names.iter().any(|n| n.contains("help")), "{names:?}");
        let save = &pages
            .iter()
            .find(|(n, _)| n == "schedctl-job-save.1")
            .expect("job save page")
            .1;
        let save = String::from_utf8_lossy(save);
        assert!(save.contains("\\-\\-cron"), "{save}");
    }

    #[test]
    fn completions_name_the_commands() {
        let bash = String::from_utf8(completion(Shell::Bash, Cli::command())).expect("utf-8");
        assert!(
            bash.contains("schedctl__subcmd__job__subcmd__save") && bash.contains("--cron"),
            "{bash}"
        );
    }

    /// Regression: the zsh script was named `schedctl.zsh`, which `compinit` never autoloads.
    #[test]
    fn completion_files_are_named_as_each_shell_loads_them() {
        let names: Vec<String> = [
            Shell::Bash,
            Shell::Zsh,
            Shell::Fish,
            Shell::Elvish,
            Shell::PowerShell,
        ]
        .into_iter()
        .map(|shell| completion_file_name(shell, "schedctl"))
        .collect();
        assert_eq!(
            names,
            [
                "schedctl",
                "_schedctl",
                "schedctl.fish",
                "schedctl.elv",
                "schedctl.ps1"
            ]
        );
        let zsh = completion(Shell::Zsh, Cli::command());
        assert!(
            zsh.starts_with(b"#compdef schedctl\n"),
            "compinit needs it first"
        );
    }
}

//! Where `schedctl` finds its master: the config file of named contexts (like kubectl's
//! kubeconfig), the environment, the global flags, and [`settings`], the one place that
//! decides between them. Also the `schedctl config` verbs that edit the file.
//!
//! The file is `$SCHEDCTL_CONFIG`, else `$XDG_CONFIG_HOME/schedctl/config.yaml`, else
//! `~/.config/schedctl/config.yaml`:
//!
//! ```yaml
//! currentContext: prod
//! contexts:
//! - name: prod
//!   endpoint: http://10.0.0.1:8070
//!   token: s3cret
//! ```
//!
//! Precedence, per setting: flag > env > file > default. A context named with `--context`
//! counts as a flag: its endpoint and token beat `SCHEDCTL_ENDPOINT`/`SCHEDCTL_TOKEN` (the
//! flag was typed for this very call; docker's `--context` works the same way), while the
//! current context of the file, or one named by `SCHEDCTL_CONTEXT`, ranks below them. A
//! context's token is only sent to that context's endpoint: with `--endpoint` (or
//! `SCHEDCTL_ENDPOINT` over the current context) it stays home, so pointing schedctl at
//! another server never hands it prod's credentials.
//!
//! The file holds tokens: it is written mode 0600, atomically (a temporary file in the same
//! directory, then `rename`), and tokens are redacted in `Debug` and in `config view`.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use clap::Subcommand;
use serde::{Deserialize, Serialize};

use crate::DEFAULT_ENDPOINT;
use crate::client::{Token, parse_endpoint};
use crate::exit_codes;
use crate::printer::{Layout, Printer, Render, Text, to_yaml};

pub const ENV_CONFIG: &str = "SCHEDCTL_CONFIG";
pub const ENV_ENDPOINT: &str = "SCHEDCTL_ENDPOINT";
pub const ENV_TOKEN: &str = "SCHEDCTL_TOKEN";
pub const ENV_CONTEXT: &str = "SCHEDCTL_CONTEXT";

/// What `config view` and `get-contexts` show instead of a token.
pub const REDACTED: &str = "REDACTED";

/// Why the settings or the config file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("context `{name}` (from {from}) is not in {}{}", path_or_none(.path.as_deref()), list_known(.known))]
    UnknownContext {
        name: String,
        from: &'static str,
        path: Option<PathBuf>,
        known: Vec<String>,
    },
    #[error("no current context is set; pick one with `schedctl config use-context NAME`")]
    NoCurrentContext,
    #[error("cannot tell where the config file is: set SCHEDCTL_CONFIG, XDG_CONFIG_HOME or HOME")]
    NoPath,
    #[error("invalid endpoint `{value}` (from {from}): {reason}")]
    BadEndpoint {
        value: String,
        from: String,
        reason: String,
    },
    #[error("invalid token (from {from}): {reason}")]
    BadToken { from: String, reason: String },
    #[error("invalid context name `{0}`: use letters, digits, `.`, `_` and `-`")]
    BadName(String),
    #[error("context `{0}` does not exist yet: give its --endpoint")]
    MissingEndpoint(String),
    #[error("reading {}: {source}", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is not a valid schedctl config file: {source}", .path.display())]
    Parse {
        path: PathBuf,
        source: serde_norway::Error,
    },
    #[error("writing {}: {source}", .path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn path_or_none(path: Option<&Path>) -> String {
    path.map_or_else(
        || "the config file (there is none)".to_owned(),
        |p| p.display().to_string(),
    )
}

fn list_known(names: &[String]) -> String {
    if names.is_empty() {
        "; it has no contexts (add one with `schedctl config set-context`)".to_owned()
    } else {
        format!("; contexts: {}", names.join(", "))
    }
}

impl ConfigError {
    /// The process exit code (see `exit_codes`): an unknown context is "not found" like an
    /// unknown job, a bad value is a usage error like a bad flag.
    pub fn exit_code(&self) -> i32 {
        match self {
            ConfigError::UnknownContext { .. } => exit_codes::NOT_FOUND,
            ConfigError::BadEndpoint { .. }
            | ConfigError::BadToken { .. }
            | ConfigError::BadName(_)
            | ConfigError::MissingEndpoint(_) => exit_codes::USAGE,
            ConfigError::NoCurrentContext
            | ConfigError::NoPath
            | ConfigError::Read { .. }
            | ConfigError::Parse { .. }
            | ConfigError::Write { .. } => exit_codes::ERROR,
        }
    }
}

// ---------------------------------------------------------------------------------------
// The file
// ---------------------------------------------------------------------------------------

/// The config file. Its `Debug` shows no token (see [`Token`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfigFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_context: Option<String>,
    #[serde(default)]
    pub contexts: Vec<Context>,
}

/// A named master: where it is and the token to send it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Context {
    pub name: String,
    pub endpoint: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<Token>,
}

impl ConfigFile {
    pub fn context(&self, name: &str) -> Option<&Context> {
        self.contexts.iter().find(|c| c.name == name)
    }

    fn names(&self) -> Vec<String> {
        self.contexts.iter().map(|c| c.name.clone()).collect()
    }

    /// Reads the file at `path`; a missing file is an empty config.
    pub fn load(path: &Path) -> Result<ConfigFile, ConfigError> {
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(ConfigFile::default());
            }
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.to_owned(),
                    source,
                });
            }
        };
        if text.trim().is_empty() {
            return Ok(ConfigFile::default());
        }
        serde_norway::from_str(&text).map_err(|source| ConfigError::Parse {
            path: path.to_owned(),
            source,
        })
    }

    /// Writes the file at `path` atomically, mode 0600, creating its directory (mode 0700).
    pub fn save(&self, path: &Path) -> Result<(), ConfigError> {
        let write_err = |source| ConfigError::Write {
            path: path.to_owned(),
            source,
        };
        // Replace what a symlink points at, not the link (dotfiles are often linked).
        let target = match fs::canonicalize(path) {
            Ok(real) => real,
            Err(_) => path.to_owned(),
        };
        let dir = match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
            _ => PathBuf::from("."),
        };
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(write_err)?;
        let text =
            serde_norway::to_string(self).map_err(|e| write_err(std::io::Error::other(e)))?;
        let file_name = target.file_name().map_or_else(
            || "config.yaml".into(),
            |n| n.to_string_lossy().into_owned(),
        );
        // In the same directory, so `rename` is atomic: a reader sees the old file or the
        // new one, never half of one, and a crash leaves the old file whole.
        let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
        let written = (|| {
            let mut file = fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(&tmp)?;
            // `mode` only applies to a new file; a stale temporary one keeps its own.
            file.set_permissions(fs::Permissions::from_mode(0o600))?;
            file.write_all(text.as_bytes())?;
            file.sync_all()?;
            fs::rename(&tmp, &target)
        })();
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(write_err(e));
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Settings: flag > env > file > default
// ---------------------------------------------------------------------------------------

/// The global flags, as given on the command line (`None` when not given).
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub endpoint: Option<String>,
    pub token: Option<Token>,
    pub context: Option<String>,
}

/// The environment variables that matter; empty values count as unset.
#[derive(Debug, Clone, Default)]
pub struct Env {
    pub endpoint: Option<String>,
    pub token: Option<String>,
    pub context: Option<String>,
    pub config: Option<PathBuf>,
    pub xdg_config_home: Option<PathBuf>,
    pub home: Option<PathBuf>,
}

impl Env {
    pub fn from_process() -> Env {
        let var = |name| std::env::var(name).ok().filter(|v| !v.is_empty());
        let path = |name| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        Env {
            endpoint: var(ENV_ENDPOINT),
            token: var(ENV_TOKEN),
            context: var(ENV_CONTEXT),
            config: path(ENV_CONFIG),
            xdg_config_home: path("XDG_CONFIG_HOME"),
            home: path("HOME"),
        }
    }

    /// Where the config file is (whether or not it exists).
    pub fn config_path(&self) -> Option<PathBuf> {
        if let Some(path) = &self.config {
            return Some(path.clone());
        }
        // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
        if let Some(xdg) = self.xdg_config_home.as_ref().filter(|p| p.is_absolute()) {
            return Some(xdg.join("schedctl").join("config.yaml"));
        }
        self.home
            .as_ref()
            .map(|home| home.join(".config").join("schedctl").join("config.yaml"))
    }
}

/// Where a setting came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Flag,
    Env,
    /// The named context of the config file.
    Context(String),
    Default,
}

/// What a command that talks to the master uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub endpoint: String,
    pub endpoint_from: Source,
    pub token: Option<Token>,
    /// The context in effect, if any (even when the flags overrode its endpoint).
    pub context: Option<String>,
}

/// Loads the config file (if there is one) and resolves the settings.
pub fn settings(flags: &Flags, env: &Env) -> Result<Settings, ConfigError> {
    let path = env.config_path();
    let file = match &path {
        Some(path) => ConfigFile::load(path)?,
        None => ConfigFile::default(),
    };
    resolve(flags, env, &file, path.as_deref())
}

/// The precedence rules of the module doc, without I/O.
pub fn resolve(
    flags: &Flags,
    env: &Env,
    file: &ConfigFile,
    path: Option<&Path>,
) -> Result<Settings, ConfigError> {
    let (context_name, context_from) = match (&flags.context, &env.context) {
        (Some(name), _) => (Some(name.clone()), "--context"),
        (None, Some(name)) => (Some(name.clone()), ENV_CONTEXT),
        (None, None) => (file.current_context.clone(), "currentContext"),
    };
    let context = match &context_name {
        Some(name) => Some(
            file.context(name)
                .ok_or_else(|| ConfigError::UnknownContext {
                    name: name.clone(),
                    from: context_from,
                    path: path.map(Path::to_owned),
                    known: file.names(),
                })?,
        ),
        None => None,
    };
    // A context named by the flag ranks with the flags, above the environment.
    let strong = flags.context.is_some();
    let from_context = |c: &Context| Source::Context(c.name.clone());

    let mut candidates: Vec<(Source, &str)> = Vec::new();
    if let Some(e) = &flags.endpoint {
        candidates.push((Source::Flag, e));
    }
    if let Some(c) = context.filter(|_| strong) {
        candidates.push((from_context(c), &c.endpoint));
    }
    if let Some(e) = &env.endpoint {
        candidates.push((Source::Env, e));
    }
    if let Some(c) = context.filter(|_| !strong) {
        candidates.push((from_context(c), &c.endpoint));
    }
    let (endpoint_from, raw) = candidates
        .into_iter()
        .next()
        .unwrap_or((Source::Default, DEFAULT_ENDPOINT));
    let endpoint = parse_endpoint(raw).map_err(|reason| ConfigError::BadEndpoint {
        value: raw.to_owned(),
        from: describe(&endpoint_from),
        reason,
    })?;

    // The context's token only goes with the context's endpoint.
    let context_token = context
        .filter(|c| endpoint_from == from_context(c))
        .and_then(|c| c.token.clone());
    let env_token = match &env.token {
        Some(t) => Some(
            Token::new(t.clone()).map_err(|reason| ConfigError::BadToken {
                from: ENV_TOKEN.to_owned(),
                reason,
            })?,
        ),
        None => None,
    };
    let token = if let Some(t) = &flags.token {
        Some(t.clone())
    } else if strong {
        context_token.or(env_token)
    } else {
        env_token.or(context_token)
    };
    Ok(Settings {
        endpoint,
        endpoint_from,
        token,
        context: context_name,
    })
}

fn describe(source: &Source) -> String {
    match source {
        Source::Flag => "--endpoint".to_owned(),
        Source::Env => ENV_ENDPOINT.to_owned(),
        Source::Context(name) => format!("context `{name}`"),
        Source::Default => "the default".to_owned(),
    }
}

// ---------------------------------------------------------------------------------------
// `schedctl config`
// ---------------------------------------------------------------------------------------

/// Edit and show the config file of named contexts (`$SCHEDCTL_CONFIG`, else
/// `$XDG_CONFIG_HOME/schedctl/config.yaml`, else `~/.config/schedctl/config.yaml`).
#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// List the contexts; `*` marks the current one.
    GetContexts,
    /// Print the name of the current context.
    CurrentContext,
    /// Make a context the current one, used when no --context is given.
    UseContext {
        /// The context's name.
        name: String,
    },
    /// Create or update a context from the global --endpoint and --token flags.
    ///
    /// A new context needs --endpoint; for an existing one, only the flags given change
    /// (`schedctl config set-context prod --token NEW` rotates the token). The
    /// SCHEDCTL_ENDPOINT and SCHEDCTL_TOKEN variables are not read here.
    SetContext {
        /// The context's name.
        name: String,
    },
    /// Remove a context (and unset it when it is the current one).
    DeleteContext {
        /// The context's name.
        name: String,
    },
    /// Print the config file with tokens redacted (YAML unless -o json).
    View,
}

impl ConfigCommand {
    pub fn run(self, flags: &Flags, env: &Env, printer: &Printer) -> anyhow::Result<()> {
        let path = env.config_path().ok_or(ConfigError::NoPath)?;
        let mut file = ConfigFile::load(&path)?;
        match self {
            ConfigCommand::GetContexts => printer.print(&ContextList::of(&file)),
            ConfigCommand::CurrentContext => {
                let name = file
                    .current_context
                    .clone()
                    .ok_or(ConfigError::NoCurrentContext)?;
                printer.print(&CurrentContext {
                    current_context: name,
                })
            }
            ConfigCommand::UseContext { name } => {
                let context = file.context(&name).map(ContextView::of).ok_or_else(|| {
                    ConfigError::UnknownContext {
                        name: name.clone(),
                        from: "the command line",
                        path: Some(path.clone()),
                        known: file.names(),
                    }
                })?;
                file.current_context = Some(name.clone());
                file.save(&path)?;
                printer.done(&format!("switched to context {name:?}"), &context)
            }
            ConfigCommand::SetContext { name } => {
                check_name(&name)?;
                let created = file.context(&name).is_none();
                let view = {
                    let context = match file.contexts.iter_mut().find(|c| c.name == name) {
                        Some(context) => context,
                        None => {
                            let endpoint = flags
                                .endpoint
                                .clone()
                                .ok_or_else(|| ConfigError::MissingEndpoint(name.clone()))?;
                            file.contexts.push(Context {
                                name: name.clone(),
                                endpoint,
                                token: None,
                            });
                            file.contexts.last_mut().expect("just pushed")
                        }
                    };
                    if let Some(endpoint) = &flags.endpoint {
                        context.endpoint = endpoint.clone();
                    }
                    if let Some(token) = &flags.token {
                        context.token = Some(token.clone());
                    }
                    ContextView::of(context)
                };
                file.save(&path)?;
                let verb = if created { "created" } else { "updated" };
                printer.done(&format!("context {name:?} {verb}"), &view)?;
                if printer.is_human() && file.current_context.as_deref() != Some(name.as_str()) {
                    crate::printer::note(format_args!(
                        "use it with `schedctl config use-context {name}` or `--context {name}`"
                    ));
                }
                Ok(())
            }
            ConfigCommand::DeleteContext { name } => {
                let Some(index) = file.contexts.iter().position(|c| c.name == name) else {
                    return Err(ConfigError::UnknownContext {
                        name,
                        from: "the command line",
                        path: Some(path),
                        known: file.names(),
                    }
                    .into());
                };
                let removed = file.contexts.remove(index);
                let was_current = file.current_context.as_deref() == Some(name.as_str());
                if was_current {
                    file.current_context = None;
                }
                file.save(&path)?;
                printer.done(
                    &format!("context {name:?} deleted"),
                    &ContextView::of(&removed),
                )?;
                if was_current && printer.is_human() {
                    crate::printer::note(format_args!(
                        "it was the current context; no context is current now"
                    ));
                }
                Ok(())
            }
            ConfigCommand::View => printer.print(&FileView::of(&file)),
        }
    }
}

/// Context names become `--context NAME` arguments and YAML keys: keep them plain.
fn check_name(name: &str) -> Result<(), ConfigError> {
    let ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(ConfigError::BadName(name.to_owned()))
    }
}

/// A context as shown: the token is `REDACTED` when there is one.
#[derive(Debug, Clone, Serialize)]
pub struct ContextView {
    pub name: String,
    pub endpoint: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<&'static str>,
}

impl ContextView {
    fn of(c: &Context) -> ContextView {
        ContextView {
            name: c.name.clone(),
            endpoint: c.endpoint.clone(),
            token: c.token.as_ref().map(|_| REDACTED),
        }
    }
}

impl Render for ContextView {
    fn layout(&self, _wide: bool) -> Option<Layout> {
        Some(Layout::Detail(vec![
            ("Name".to_owned(), Text::from(self.name.clone())),
            ("Endpoint".to_owned(), self.endpoint.clone().into()),
            ("Token".to_owned(), self.token.unwrap_or("-").into()),
        ]))
    }
}

/// `config get-contexts`: a JSON array of contexts with `current`.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct ContextList(pub Vec<ContextRow>);

#[derive(Debug, Clone, Serialize)]
pub struct ContextRow {
    #[serde(flatten)]
    pub context: ContextView,
    pub current: bool,
}

impl ContextList {
    fn of(file: &ConfigFile) -> ContextList {
        ContextList(
            file.contexts
                .iter()
                .map(|c| ContextRow {
                    context: ContextView::of(c),
                    current: file.current_context.as_deref() == Some(c.name.as_str()),
                })
                .collect(),
        )
    }
}

impl Render for ContextList {
    fn layout(&self, _wide: bool) -> Option<Layout> {
        let mut table = Layout::list(&["CURRENT", "NAME", "ENDPOINT", "TOKEN"]);
        for row in &self.0 {
            table.push(vec![
                if row.current { "*" } else { "" }.into(),
                row.context.name.clone().into(),
                row.context.endpoint.clone().into(),
                if row.context.token.is_some() {
                    "set"
                } else {
                    "-"
                }
                .into(),
            ]);
        }
        Some(table)
    }

    fn note(&self) -> Option<String> {
        self.0.is_empty().then(|| {
            "no contexts; add one with `schedctl config set-context NAME --endpoint URL`".to_owned()
        })
    }
}

/// `config current-context`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CurrentContext {
    pub current_context: String,
}

impl Render for CurrentContext {
    fn table(&self) -> String {
        self.current_context.clone()
    }

    fn names(&self) -> Option<Vec<String>> {
        Some(vec![self.current_context.clone()])
    }
}

/// `config view`: the file, tokens redacted.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileView {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_context: Option<String>,
    pub contexts: Vec<ContextView>,
}

impl FileView {
    fn of(file: &ConfigFile) -> FileView {
        FileView {
            current_context: file.current_context.clone(),
            contexts: file.contexts.iter().map(ContextView::of).collect(),
        }
    }
}

impl Render for FileView {
    /// The file's own format, like `kubectl config view`.
    fn table(&self) -> String {
        to_yaml(self).unwrap_or_else(|e| format!("{e:#}"))
    }

    fn names(&self) -> Option<Vec<String>> {
        Some(self.contexts.iter().map(|c| c.name.clone()).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(t: &str) -> Token {
        Token::new(t).expect("valid token")
    }

    fn file() -> ConfigFile {
        ConfigFile {
            current_context: Some("prod".into()),
            contexts: vec![
                Context {
                    name: "prod".into(),
                    endpoint: "http://prod:8070".into(),
                    token: Some(token("prod-token")),
                },
                Context {
                    name: "staging".into(),
                    endpoint: "staging:8070".into(),
                    token: Some(token("staging-token")),
                },
            ],
        }
    }

    fn flags(endpoint: Option<&str>, token_: Option<&str>, context: Option<&str>) -> Flags {
        Flags {
            endpoint: endpoint.map(str::to_owned),
            token: token_.map(token),
            context: context.map(str::to_owned),
        }
    }

    fn env(endpoint: Option<&str>, token_: Option<&str>, context: Option<&str>) -> Env {
        Env {
            endpoint: endpoint.map(str::to_owned),
            token: token_.map(str::to_owned),
            context: context.map(str::to_owned),
            ..Env::default()
        }
    }

    #[test]
    fn settings_follow_flag_env_file_default() {
        let none = || flags(None, None, None);
        let no_env = || env(None, None, None);
        let empty = ConfigFile::default();
        let ctx = |n: &str| Source::Context(n.to_owned());
        // (flags, env, file, endpoint, from, token, context)
        type Case = (
            Flags,
            Env,
            ConfigFile,
            &'static str,
            Source,
            Option<&'static str>,
            Option<&'static str>,
        );
        let cases: Vec<Case> = vec![
            // Nothing anywhere: the default, no token.
            (
                none(),
                no_env(),
                empty.clone(),
                DEFAULT_ENDPOINT,
                Source::Default,
                None,
                None,
            ),
            // The current context of the file.
            (
                none(),
                no_env(),
                file(),
                "http://prod:8070",
                ctx("prod"),
                Some("prod-token"),
                Some("prod"),
            ),
            // SCHEDCTL_CONTEXT picks another context; its `host:port` gets its scheme.
            (
                none(),
                env(None, None, Some("staging")),
                file(),
                "http://staging:8070",
                ctx("staging"),
                Some("staging-token"),
                Some("staging"),
            ),
            // --context beats SCHEDCTL_CONTEXT.
            (
                flags(None, None, Some("prod")),
                env(None, None, Some("staging")),
                file(),
                "http://prod:8070",
                ctx("prod"),
                Some("prod-token"),
                Some("prod"),
            ),
            // The environment beats the current context; prod's token stays home.
            (
                none(),
                env(Some("http://env:1"), None, None),
                file(),
                "http://env:1",
                Source::Env,
                None,
                Some("prod"),
            ),
            (
                none(),
                env(Some("http://env:1"), Some("env-token"), None),
                file(),
                "http://env:1",
                Source::Env,
                Some("env-token"),
                Some("prod"),
            ),
            // SCHEDCTL_TOKEN beats the current context's token.
            (
                none(),
                env(None, Some("env-token"), None),
                file(),
                "http://prod:8070",
                ctx("prod"),
                Some("env-token"),
                Some("prod"),
            ),
            // --context ranks with the flags: above SCHEDCTL_ENDPOINT and SCHEDCTL_TOKEN.
            (
                flags(None, None, Some("staging")),
                env(Some("http://env:1"), Some("env-token"), None),
                file(),
                "http://staging:8070",
                ctx("staging"),
                Some("staging-token"),
                Some("staging"),
            ),
            // Flags beat everything.
            (
                flags(Some("http://flag:2"), Some("flag-token"), None),
                env(Some("http://env:1"), Some("env-token"), None),
                file(),
                "http://flag:2",
                Source::Flag,
                Some("flag-token"),
                Some("prod"),
            ),
            (
                flags(Some("http://flag:2"), None, Some("staging")),
                no_env(),
                file(),
                "http://flag:2",
                Source::Flag,
                None,
                Some("staging"),
            ),
            (
                flags(None, Some("flag-token"), Some("staging")),
                no_env(),
                file(),
                "http://staging:8070",
                ctx("staging"),
                Some("flag-token"),
                Some("staging"),
            ),
            // No file: env, then the default.
            (
                none(),
                env(Some("envhost:9"), Some("env-token"), None),
                empty.clone(),
                "http://envhost:9",
                Source::Env,
                Some("env-token"),
                None,
            ),
            (
                none(),
                env(None, Some("env-token"), None),
                empty,
                DEFAULT_ENDPOINT,
                Source::Default,
                Some("env-token"),
                None,
            ),
        ];
        for (i, (f, e, file, endpoint, from, tok, context)) in cases.into_iter().enumerate() {
            let s = resolve(&f, &e, &file, None).unwrap_or_else(|err| panic!("case {i}: {err}"));
            assert_eq!(s.endpoint, endpoint, "case {i}");
            assert_eq!(s.endpoint_from, from, "case {i}");
            assert_eq!(s.token.as_ref().map(Token::expose), tok, "case {i}");
            assert_eq!(s.context.as_deref(), context, "case {i}");
        }
    }

    #[test]
    fn an_unknown_context_is_not_found_and_names_the_known_ones() {
        for (f, e, from) in [
            (
                flags(None, None, Some("nope")),
                env(None, None, None),
                "--context",
            ),
            (
                flags(None, None, None),
                env(None, None, Some("nope")),
                ENV_CONTEXT,
            ),
        ] {
            let err = resolve(&f, &e, &file(), Some(Path::new("/c.yaml"))).expect_err("unknown");
            assert_eq!(err.exit_code(), exit_codes::NOT_FOUND);
            assert_eq!(
                err.to_string(),
                format!("context `nope` (from {from}) is not in /c.yaml; contexts: prod, staging")
            );
        }
        let mut stale = file();
        stale.current_context = Some("gone".into());
        let err = resolve(&Flags::default(), &Env::default(), &stale, None).expect_err("stale");
        assert!(err.to_string().contains("(from currentContext)"), "{err}");
        // An explicit --endpoint does not excuse a bad --context: it may be a typo for the
        // token's context.
        let err = resolve(
            &flags(Some("http://h:1"), None, Some("nope")),
            &Env::default(),
            &ConfigFile::default(),
            None,
        )
        .expect_err("unknown");
        assert!(err.to_string().contains("has no contexts"), "{err}");
    }

    #[test]
    fn bad_values_from_the_environment_are_usage_errors() {
        let err = resolve(
            &Flags::default(),
            &env(Some("ftp://h:1"), None, None),
            &ConfigFile::default(),
            None,
        )
        .expect_err("ftp");
        assert_eq!(err.exit_code(), exit_codes::USAGE);
        assert!(
            err.to_string().contains("(from SCHEDCTL_ENDPOINT)"),
            "{err}"
        );
        let err = resolve(
            &Flags::default(),
            &env(None, Some("two words"), None),
            &ConfigFile::default(),
            None,
        )
        .expect_err("space");
        assert_eq!(err.exit_code(), exit_codes::USAGE);
    }

    #[test]
    fn the_config_path_follows_schedctl_config_then_xdg_then_home() {
        let mut e = Env {
            home: Some("/home/me".into()),
            ..Env::default()
        };
        assert_eq!(
            e.config_path(),
            Some(PathBuf::from("/home/me/.config/schedctl/config.yaml"))
        );
        e.xdg_config_home = Some("relative".into());
        assert_eq!(
            e.config_path(),
            Some(PathBuf::from("/home/me/.config/schedctl/config.yaml"))
        );
        e.xdg_config_home = Some("/xdg".into());
        assert_eq!(
            e.config_path(),
            Some(PathBuf::from("/xdg/schedctl/config.yaml"))
        );
        e.config = Some("/etc/schedctl.yaml".into());
        assert_eq!(e.config_path(), Some(PathBuf::from("/etc/schedctl.yaml")));
        assert_eq!(Env::default().config_path(), None);
    }

    #[test]
    fn the_file_round_trips_with_mode_0600_and_is_replaced_atomically() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("nested").join("config.yaml");
        assert_eq!(
            ConfigFile::load(&path).expect("missing is empty"),
            ConfigFile::default()
        );

        file().save(&path).expect("saves");
        assert_eq!(ConfigFile::load(&path).expect("loads"), file());
        let meta = fs::metadata(&path).expect("metadata");
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        let dir_mode = fs::metadata(path.parent().expect("parent"))
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(dir_mode & 0o777, 0o700);
        let text = fs::read_to_string(&path).expect("reads");
        assert!(text.contains("currentContext: prod"), "{text}");
        assert!(text.contains("token: prod-token"), "{text}");

        // A world-readable file from elsewhere is replaced by a new 0600 file (a new inode:
        // renamed over, not rewritten in place), and no temporary file is left behind.
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod");
        let before = fs::metadata(&path).expect("metadata").ino();
        let mut changed = file();
        changed.current_context = Some("staging".into());
        changed.save(&path).expect("saves");
        let meta = fs::metadata(&path).expect("metadata");
        assert_ne!(meta.ino(), before, "the file was rewritten in place");
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        assert_eq!(ConfigFile::load(&path).expect("loads"), changed);
        let entries: Vec<_> = fs::read_dir(path.parent().expect("parent"))
            .expect("lists")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(entries, ["config.yaml"]);
    }

    #[test]
    fn a_broken_file_names_itself() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.yaml");
        fs::write(&path, "contexts: [{name: a}]").expect("writes");
        let err = ConfigFile::load(&path).expect_err("no endpoint");
        assert!(
            err.to_string()
                .starts_with(&format!("{} is not a valid", path.display()))
        );
        fs::write(&path, "contexts: [{name: a, endpoint: x, token: 'a b'}]").expect("writes");
        assert!(ConfigFile::load(&path).is_err(), "a token with a space");
    }

    #[test]
    fn tokens_are_redacted_in_debug_and_in_views() {
        let f = file();
        let debug = format!("{f:?} {:?}", flags(None, Some("flag-token"), None));
        assert!(
            !debug.contains("prod-token") && !debug.contains("flag-token"),
            "{debug}"
        );
        let s = resolve(&Flags::default(), &Env::default(), &f, None).expect("resolves");
        assert!(!format!("{s:?}").contains("prod-token"));
        let view = to_yaml(&FileView::of(&f)).expect("yaml");
        assert!(!view.contains("prod-token"), "{view}");
        assert!(view.contains("token: REDACTED"), "{view}");
        let list = crate::printer::to_json(&ContextList::of(&f)).expect("json");
        assert!(!list.contains("prod-token"), "{list}");
    }

    #[test]
    fn context_names_are_plain() {
        assert!(check_name("prod-eu.1_a").is_ok());
        for bad in ["", "-x", "a b", "a/b", "ü"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
    }
}

//! Who may call what: bearer tokens with a role, checked on every gRPC method and REST route
//! before it reaches a handler.
//!
//! - Tokens live in a tokens file (`tokensFile`, by default `tokens.json` in the data
//!   directory), each with a name, a role and the SHA-256 of the token: the token itself is
//!   shown once, by `schedd-master token create`, and never stored. A token is 32 random
//!   bytes, so a plain hash is as strong as a slow one would be: there is nothing to guess.
//!   The file is read again when it changes, so creating or revoking a token needs no
//!   restart.
//! - Roles: `viewer` reads; `operator` also enables, disables, runs and kills; `admin` also
//!   saves and deletes; `worker` may only ingest records and relay output (and nothing a
//!   person would do).
//! - [`rule`] is the one table of what each method and route needs. A request that matches
//!   no entry needs `admin` (a new route is never open by accident), and a test goes over
//!   every gRPC method and REST route to check each has an entry.
//! - With no token in the file, authentication is off: every caller is an anonymous admin.
//!   The master only allows that on a loopback listener (or with `--insecure-no-auth`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What a caller may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Viewer,
    Operator,
    Admin,
    Worker,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Operator, Role::Admin, Role::Worker];

    /// Whether a caller with this role may do what needs `needed`. People's roles are
    /// ordered (admin > operator > viewer); `worker` stands apart: it may do what needs
    /// `worker` and nothing else, and no person's role may do that.
    pub fn allows(self, needed: Role) -> bool {
        match (self, needed) {
            (Role::Worker, Role::Worker) => true,
            (Role::Worker, _) | (_, Role::Worker) => false,
            (have, need) => have.rank() >= need.rank(),
        }
    }

    fn rank(self) -> u8 {
        match self {
            Role::Viewer => 1,
            Role::Operator => 2,
            Role::Admin => 3,
            Role::Worker => 0,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Operator => "operator",
            Role::Admin => "admin",
            Role::Worker => "worker",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.name() == s)
            .ok_or_else(|| format!("unknown role `{s}`; use viewer, operator, admin or worker"))
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What a request needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: health, reflection, the OpenAPI document, the web UI's files.
    Public,
    /// A token whose role allows this one.
    Needs(Role),
}

/// gRPC methods by `/package.Service/Method`.
const GRPC_RULES: &[(&str, Access)] = &[
    ("/schedd.v1.JobService/SaveJob", Access::Needs(Role::Admin)),
    (
        "/schedd.v1.JobService/DeleteJob",
        Access::Needs(Role::Admin),
    ),
    (
        "/schedd.v1.JobService/ListJobs",
        Access::Needs(Role::Viewer),
    ),
    ("/schedd.v1.JobService/GetJob", Access::Needs(Role::Viewer)),
    (
        "/schedd.v1.JobService/KillJob",
        Access::Needs(Role::Operator),
    ),
    (
        "/schedd.v1.JobService/DisableJob",
        Access::Needs(Role::Operator),
    ),
    (
        "/schedd.v1.JobService/EnableJob",
        Access::Needs(Role::Operator),
    ),
    (
        "/schedd.v1.JobService/RunJob",
        Access::Needs(Role::Operator),
    ),
    (
        "/schedd.v1.JobService/NextFireTimes",
        Access::Needs(Role::Viewer),
    ),
    (
        "/schedd.v1.LogService/ListLogs",
        Access::Needs(Role::Viewer),
    ),
    (
        "/schedd.v1.LogService/GetLatestLog",
        Access::Needs(Role::Viewer),
    ),
    (
        "/schedd.v1.LogService/GetLogStats",
        Access::Needs(Role::Viewer),
    ),
    ("/schedd.v1.LogService/TailLog", Access::Needs(Role::Viewer)),
    (
        "/schedd.v1.IngestService/Ingest",
        Access::Needs(Role::Worker),
    ),
    ("/schedd.v1.RelayService/Relay", Access::Needs(Role::Worker)),
    (
        "/schedd.v1.WorkerService/ListWorkers",
        Access::Needs(Role::Viewer),
    ),
    (
        "/schedd.v1.WorkerService/GetWorkerStats",
        Access::Needs(Role::Viewer),
    ),
    (
        "/schedd.v1.InfoService/GetInfo",
        Access::Needs(Role::Viewer),
    ),
    ("/schedd.v1.EventService/Watch", Access::Needs(Role::Viewer)),
    (
        "/schedd.v1.AuditService/ListAudit",
        Access::Needs(Role::Viewer),
    ),
];

/// gRPC services anyone may call: load balancers check health without a token, and
/// reflection only describes the API.
const PUBLIC_GRPC_SERVICES: &[&str] = &[
    "/grpc.health.v1.Health/",
    "/grpc.reflection.v1.ServerReflection/",
    "/grpc.reflection.v1alpha.ServerReflection/",
];

/// Operational endpoints anyone may call, any method: Prometheus scrapes and load
/// balancers probe without tokens (see [`crate::metrics`]).
const PUBLIC_PATHS: &[&str] = &["/metrics", "/healthz", "/readyz"];

/// REST routes by method and path under `/api/v1`; `{}` matches one path segment.
const REST_RULES: &[(Method, &str, Access)] = &[
    (Method::POST, "/job/save", Access::Needs(Role::Admin)),
    (Method::DELETE, "/job/{}", Access::Needs(Role::Admin)),
    (Method::GET, "/job/list", Access::Needs(Role::Viewer)),
    (Method::GET, "/job/running", Access::Needs(Role::Viewer)),
    (Method::GET, "/job/next", Access::Needs(Role::Viewer)),
    (Method::GET, "/job/next/{}", Access::Needs(Role::Viewer)),
    (Method::GET, "/job/{}", Access::Needs(Role::Viewer)),
    (Method::POST, "/job/kill/{}", Access::Needs(Role::Operator)),
    (
        Method::POST,
        "/job/disable/{}",
        Access::Needs(Role::Operator),
    ),
    (
        Method::POST,
        "/job/enable/{}",
        Access::Needs(Role::Operator),
    ),
    (Method::POST, "/job/run/{}", Access::Needs(Role::Operator)),
    (Method::GET, "/log/list", Access::Needs(Role::Viewer)),
    (Method::GET, "/log/running", Access::Needs(Role::Viewer)),
    (Method::GET, "/log/stats/{}", Access::Needs(Role::Viewer)),
    (Method::GET, "/log/tail/{}", Access::Needs(Role::Viewer)),
    (Method::GET, "/log/{}", Access::Needs(Role::Viewer)),
    (Method::GET, "/log/{}/{}", Access::Needs(Role::Viewer)),
    (Method::GET, "/worker/list", Access::Needs(Role::Viewer)),
    (Method::GET, "/worker/stats", Access::Needs(Role::Viewer)),
    (Method::GET, "/events", Access::Needs(Role::Viewer)),
    (Method::GET, "/info", Access::Needs(Role::Viewer)),
    (Method::GET, "/audit/list", Access::Needs(Role::Viewer)),
    (Method::GET, "/openapi.json", Access::Public),
];

/// The REST prefix.
const API: &str = "/api/v1";

fn segments_match(pattern: &str, path: &str) -> bool {
    let (mut p, mut q) = (pattern.split('/'), path.split('/'));
    loop {
        match (p.next(), q.next()) {
            (None, None) => return true,
            (Some("{}"), Some(seg)) if !seg.is_empty() => {}
            (Some(a), Some(b)) if a == b => {}
            _ => return false,
        }
    }
}

/// The explicit rule for a request, if the tables have one.
pub fn explicit_rule(method: &Method, path: &str) -> Option<Access> {
    if let Some(rest) = path.strip_prefix(API) {
        // HEAD reads as GET does.
        let method = if method == Method::HEAD {
            &Method::GET
        } else {
            method
        };
        return REST_RULES
            .iter()
            .find(|(m, p, _)| m == method && segments_match(p, rest))
            .map(|(_, _, access)| *access);
    }
    if let Some((_, access)) = GRPC_RULES.iter().find(|(p, _)| *p == path) {
        return Some(*access);
    }
    if PUBLIC_PATHS.contains(&path) {
        return Some(Access::Public);
    }
    PUBLIC_GRPC_SERVICES
        .iter()
        .any(|s| path.starts_with(s))
        .then_some(Access::Public)
}

/// What a request needs: its entry in the tables; the web UI's own files are public;
/// anything else under the API or gRPC needs `admin`, so a route added without a rule is
/// closed, not open.
pub fn rule(method: &Method, path: &str, grpc: bool) -> Access {
    if let Some(access) = explicit_rule(method, path) {
        return access;
    }
    if grpc || path == API || path.starts_with("/api/") {
        Access::Needs(Role::Admin)
    } else {
        Access::Public
    }
}

/// Whom a token stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The token's name; `anonymous` when authentication is off.
    pub name: String,
    pub role: Role,
}

/// A token as the tokens file holds it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TokenEntry {
    pub name: String,
    pub role: Role,
    /// Hex SHA-256 of the token.
    pub sha256: String,
    /// Unix seconds.
    #[serde(default)]
    pub created_at: i64,
    /// Who ran `token create`: `user@host`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub created_by: String,
}

/// A token taken out of the tokens file, kept for the audit trail: it opens nothing.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RevokedToken {
    pub name: String,
    pub role: Role,
    /// Unix seconds.
    #[serde(default)]
    pub created_at: i64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub created_by: String,
    /// Hex SHA-256 of the token, which tells apart tokens of one name.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sha256: String,
    /// Unix seconds.
    pub revoked_at: i64,
    /// Who ran `token revoke`: `user@host`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub revoked_by: String,
}

/// The tokens file: `{"tokens": [...], "revoked": [...]}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TokenFile {
    #[serde(default)]
    pub tokens: Vec<TokenEntry>,
    /// Tokens revoked, newest last.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revoked: Vec<RevokedToken>,
}

/// Why the tokens file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TokenFileError {
    #[error("reading the tokens file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the tokens file {path} is not valid: {source}")]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("the tokens file {path}: {problem}")]
    Invalid { path: PathBuf, problem: String },
    #[error("writing the tokens file {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Hex SHA-256 of `token`.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new token: `schedd_` and 32 random bytes in hex.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS random source works");
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("schedd_{hex}")
}

/// Equal, in time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl TokenFile {
    /// The file at `path`; an absent file is an empty one.
    pub fn load(path: &Path) -> Result<TokenFile, TokenFileError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(TokenFile::default()),
            Err(source) => {
                return Err(TokenFileError::Read {
                    path: path.to_owned(),
                    source,
                });
            }
        };
        let file: TokenFile =
            serde_json::from_str(&text).map_err(|source| TokenFileError::Parse {
                path: path.to_owned(),
                source,
            })?;
        let invalid = |problem: String| TokenFileError::Invalid {
            path: path.to_owned(),
            problem,
        };
        let mut names = std::collections::HashSet::new();
        for t in &file.tokens {
            if t.sha256.len() != 64 || !t.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(invalid(format!(
                    "token `{}`: sha256 must be 64 hex digits",
                    t.name
                )));
            }
            if !names.insert(t.name.as_str()) {
                return Err(invalid(format!("token `{}` is listed twice", t.name)));
            }
        }
        Ok(file)
    }

    /// Writes the file atomically (a temporary file, then a rename), readable by its owner
    /// only.
    pub fn save(&self, path: &Path) -> Result<(), TokenFileError> {
        let write = |source| TokenFileError::Write {
            path: path.to_owned(),
            source,
        };
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
        if let Some(dir) = dir {
            std::fs::create_dir_all(dir).map_err(write)?;
        }
        let tmp = path.with_extension("json.tmp");
        let text = serde_json::to_string_pretty(self).expect("tokens serialise") + "\n";
        // `token create` is often run as root in a directory its master's user owns (a
        // systemd DynamicUser): the new file keeps the old one's owner, or, the first time,
        // takes its directory's, so the master can read it. Nothing here follows a link a
        // planted file could be: a leftover temporary file is removed, the new one must not
        // exist (O_EXCL) and is never a link (O_NOFOLLOW), its owner is set through the
        // open file, and the old file is looked at without following a link.
        let owner = std::fs::symlink_metadata(path)
            .ok()
            .filter(std::fs::Metadata::is_file)
            .or_else(|| std::fs::metadata(dir.unwrap_or(Path::new("."))).ok());
        match std::fs::remove_file(&tmp) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(write(e)),
        }
        {
            use std::io::Write;
            use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .custom_flags(nix::libc::O_NOFOLLOW)
                .mode(0o600)
                .open(&tmp)
                .map_err(write)?;
            if let Some(owner) = &owner
                && let Err(e) = std::os::unix::fs::fchown(&f, Some(owner.uid()), Some(owner.gid()))
            {
                tracing::debug!(error = %e, "the tokens file could not take its owner");
            }
            f.write_all(text.as_bytes()).map_err(write)?;
            f.sync_all().map_err(write)?;
        }
        std::fs::rename(&tmp, path).map_err(write)
    }

    /// The caller `token` stands for.
    pub fn find(&self, token: &str) -> Option<Caller> {
        let hash = hash_token(token);
        // Every entry is compared, so the time taken says nothing about which matched.
        let mut found = None;
        for t in &self.tokens {
            if same(t.sha256.to_ascii_lowercase().as_bytes(), hash.as_bytes()) {
                found = Some(Caller {
                    name: t.name.clone(),
                    role: t.role,
                });
            }
        }
        found
    }
}

/// What tells that the tokens file changed: its modification time, inode (a save replaces
/// the file) and length.
type Version = Option<(SystemTime, u64, u64)>;

/// The master's tokens, read again from the file when it changes.
#[derive(Debug, Clone)]
pub struct Tokens {
    inner: Arc<TokensInner>,
}

impl Default for Tokens {
    /// No tokens: authentication off.
    fn default() -> Tokens {
        Tokens::none()
    }
}

#[derive(Debug)]
struct TokensInner {
    path: Option<PathBuf>,
    /// The file as last read, and its version then.
    state: Mutex<(Version, Arc<TokenFile>)>,
}

impl Tokens {
    /// The tokens of the file at `path` (read now: a bad file stops the master).
    pub fn from_file(path: PathBuf) -> Result<Tokens, TokenFileError> {
        let file = TokenFile::load(&path)?;
        let mtime = modified(&path);
        Ok(Tokens {
            inner: Arc::new(TokensInner {
                path: Some(path),
                state: Mutex::new((mtime, Arc::new(file))),
            }),
        })
    }

    /// No tokens and no file: authentication off.
    pub fn none() -> Tokens {
        Tokens {
            inner: Arc::new(TokensInner {
                path: None,
                state: Mutex::new((None, Arc::new(TokenFile::default()))),
            }),
        }
    }

    /// The current tokens, the file read again if it changed since. A file that became
    /// unreadable or invalid keeps the tokens last read (and says so in the log).
    fn current(&self) -> Arc<TokenFile> {
        let mut state = self
            .inner
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(path) = &self.inner.path {
            let mtime = modified(path);
            if mtime != state.0 {
                match TokenFile::load(path) {
                    Ok(file) => {
                        tracing::info!(tokens = file.tokens.len(), path = %path.display(), "tokens file read again");
                        *state = (mtime, Arc::new(file));
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "the tokens file changed but cannot be used; keeping the tokens read before");
                        state.0 = mtime;
                    }
                }
            }
        }
        Arc::clone(&state.1)
    }

    /// The tokens file as it is now (read again if it changed).
    pub fn file(&self) -> Arc<TokenFile> {
        self.current()
    }

    /// Where the tokens are read from; `None` without a file.
    pub fn path(&self) -> Option<&Path> {
        self.inner.path.as_deref()
    }

    /// Whether callers must present a token.
    pub fn required(&self) -> bool {
        !self.current().tokens.is_empty()
    }

    /// Who `token` is.
    pub fn caller(&self, token: &str) -> Option<Caller> {
        self.current().find(token)
    }
}

fn modified(path: &Path) -> Version {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.ino(), m.len()))
}

/// Routes whose token may come in the URL: the event streams, which a browser opens with
/// EventSource, and EventSource cannot set headers. Anywhere else a token in a URL (which
/// ends up in histories and proxy logs) is not read.
fn token_in_url_allowed(path: &str) -> bool {
    path == "/api/v1/events" || path.starts_with("/api/v1/log/tail/")
}

/// The bearer token of a request: the `authorization` header, or (for the event streams, see
/// [`token_in_url_allowed`]) an `access_token` query parameter on GET.
fn presented_token(req: &Request) -> Option<String> {
    if let Some(value) = req.headers().get(header::AUTHORIZATION) {
        let value = value.to_str().ok()?.trim();
        let (scheme, token) = value.split_once(' ')?;
        return scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim().to_owned());
    }
    if req.method() == Method::GET && token_in_url_allowed(req.uri().path()) {
        let query = req.uri().query()?;
        return query
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| *k == "access_token")
            .map(|(_, v)| v.to_owned());
    }
    None
}

fn is_grpc(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/grpc"))
}

/// Refused: 401/`UNAUTHENTICATED` without a valid token, 403/`PERMISSION_DENIED` with one
/// whose role does not allow the call (the message names the role needed).
fn refuse(grpc: bool, status: StatusCode, message: String) -> Response {
    if grpc {
        let status = if status == StatusCode::UNAUTHORIZED {
            tonic::Status::unauthenticated(message)
        } else {
            tonic::Status::permission_denied(message)
        };
        return status.into_http::<Body>().into_response();
    }
    let code = if status == StatusCode::UNAUTHORIZED {
        crate::rest::code::UNAUTHENTICATED
    } else {
        crate::rest::code::PERMISSION_DENIED
    };
    let mut response = crate::rest::ApiError::new(code, message)
        .with_status(status)
        .into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer"),
        );
    }
    response
}

/// The longest client name an audit entry keeps.
const MAX_CLIENT_LEN: usize = 128;

/// Who made a request and from where, for the audit trail, from its extensions (the
/// [`Caller`] that [`check`] let through, the peer address) and headers (what an
/// `x-forwarded-for` says, as it says it: it is not trusted; the program, by its
/// `x-schedd-client` or else its user agent). Only handlers that change something ask.
pub fn actor(ext: &axum::http::Extensions, headers: &axum::http::HeaderMap) -> schedd_core::Actor {
    use tonic::transport::server::{TcpConnectInfo, TlsConnectInfo};
    let Some(caller) = ext.get::<Caller>() else {
        return schedd_core::Actor {
            name: "unknown".into(),
            ..schedd_core::Actor::default()
        };
    };
    let peer = ext
        .get::<TcpConnectInfo>()
        .and_then(TcpConnectInfo::remote_addr)
        .or_else(|| {
            ext.get::<TlsConnectInfo<TcpConnectInfo>>()
                .and_then(|i| i.get_ref().remote_addr())
        });
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.trim()
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(MAX_CLIENT_LEN)
                    .collect::<String>()
            })
            .filter(|v| !v.is_empty())
    };
    let mut source = peer.map(|p| p.to_string()).unwrap_or_default();
    if let Some(forwarded) = header("x-forwarded-for") {
        source = format!("{source} (forwarded for {forwarded})");
    }
    schedd_core::Actor {
        name: caller.name.clone(),
        role: caller.role.name().to_owned(),
        source,
        client: header("x-schedd-client")
            .or_else(|| header(header::USER_AGENT.as_str()))
            .unwrap_or_default(),
    }
}

/// Lets `req` through as `caller`, who goes in its extensions (see [`actor`]).
fn admit(req: &mut Request, caller: Caller) {
    req.extensions_mut().insert(caller);
}

/// The middleware: checks the request against [`rule`], and puts the [`Caller`] in its
/// extensions.
pub async fn check(State(tokens): State<Tokens>, mut req: Request, next: Next) -> Response {
    let grpc = is_grpc(&req);
    let access = rule(req.method(), req.uri().path(), grpc);
    // One look at the tokens file per request: the same tokens decide both questions.
    let current = tokens.current();
    if current.tokens.is_empty() {
        let anonymous = Caller {
            name: "anonymous".into(),
            role: Role::Admin,
        };
        admit(&mut req, anonymous);
        return next.run(req).await;
    }
    let presented = presented_token(&req);
    let caller = presented.as_deref().and_then(|t| current.find(t));
    match (access, caller) {
        (Access::Public, caller) => {
            if let Some(caller) = caller {
                admit(&mut req, caller);
            }
            next.run(req).await
        }
        (Access::Needs(_), None) if presented.is_some() => refuse(
            grpc,
            StatusCode::UNAUTHORIZED,
            "the token is not valid: it is unknown to this master, or was revoked".into(),
        ),
        (Access::Needs(_), None) => refuse(
            grpc,
            StatusCode::UNAUTHORIZED,
            "a token is needed: send `authorization: Bearer TOKEN` (schedctl --token, SCHEDCTL_TOKEN)".into(),
        ),
        (Access::Needs(needed), Some(caller)) if !caller.role.allows(needed) => refuse(
            grpc,
            StatusCode::FORBIDDEN,
            format!(
                "token `{}` has role {}; this needs role {needed}",
                caller.name, caller.role
            ),
        ),
        (Access::Needs(_), Some(caller)) => {
            let streams = is_stream(req.uri().path(), grpc);
            admit(&mut req, caller);
            let response = next.run(req).await;
            match presented {
                Some(token) if streams => ends_on_revocation(response, tokens, token, grpc),
                _ => response,
            }
        }
    }
}

/// Calls whose answer goes on for as long as the client listens: the event streams and
/// tails (gRPC and server-sent events).
fn is_stream(path: &str, grpc: bool) -> bool {
    if grpc {
        matches!(
            path,
            "/schedd.v1.EventService/Watch" | "/schedd.v1.LogService/TailLog"
        )
    } else {
        path == "/api/v1/events" || path.starts_with("/api/v1/log/tail/")
    }
}

/// How often an open stream checks that its token still stands.
const REVOCATION_CHECK: std::time::Duration = std::time::Duration::from_secs(2);

/// `response` with a body that ends soon after `token` is revoked: a stream opened with a
/// token does not outlive it. A gRPC stream ends with `UNAUTHENTICATED` in its trailers; an
/// event stream just ends (the browser reconnects, and is asked for a token).
fn ends_on_revocation(response: Response, tokens: Tokens, token: String, grpc: bool) -> Response {
    let (parts, body) = response.into_parts();
    let mut check = tokio::time::interval(REVOCATION_CHECK);
    check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    Response::from_parts(
        parts,
        Body::new(Revocable {
            inner: body,
            tokens,
            token,
            grpc,
            check,
            ended: false,
        }),
    )
}

struct Revocable {
    inner: Body,
    tokens: Tokens,
    token: String,
    grpc: bool,
    check: tokio::time::Interval,
    ended: bool,
}

impl http_body::Body for Revocable {
    type Data = bytes::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        use std::task::Poll;
        let this = &mut *self;
        if this.ended {
            return Poll::Ready(None);
        }
        while this.check.poll_tick(cx).is_ready() {
            if this.tokens.caller(&this.token).is_none() {
                this.ended = true;
                tracing::info!("a stream's token was revoked; ending the stream");
                if !this.grpc {
                    return Poll::Ready(None);
                }
                let mut trailers = header::HeaderMap::new();
                trailers.insert("grpc-status", header::HeaderValue::from_static("16"));
                trailers.insert(
                    "grpc-message",
                    header::HeaderValue::from_static("the token was revoked"),
                );
                return Poll::Ready(Some(Ok(http_body::Frame::trailers(trailers))));
            }
        }
        std::pin::Pin::new(&mut this.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.ended || self.inner.is_end_stream()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_for_people_and_apart_for_workers() {
        use Role::*;
        assert!(Admin.allows(Operator) && Admin.allows(Viewer) && Admin.allows(Admin));
        assert!(Operator.allows(Viewer) && !Operator.allows(Admin));
        assert!(!Viewer.allows(Operator));
        assert!(Worker.allows(Worker));
        for r in [Viewer, Operator, Admin] {
            assert!(!Worker.allows(r), "worker must not do what {r} does");
            assert!(!r.allows(Worker), "{r} must not ingest or relay");
        }
    }

    #[test]
    fn routes_match_segment_by_segment() {
        assert_eq!(
            explicit_rule(&Method::DELETE, "/api/v1/job/a"),
            Some(Access::Needs(Role::Admin))
        );
        assert_eq!(
            explicit_rule(&Method::GET, "/api/v1/job/a"),
            Some(Access::Needs(Role::Viewer))
        );
        assert_eq!(
            explicit_rule(&Method::HEAD, "/api/v1/job/list"),
            Some(Access::Needs(Role::Viewer))
        );
        assert_eq!(explicit_rule(&Method::GET, "/api/v1/job/a/b/c"), None);
        assert_eq!(explicit_rule(&Method::GET, "/api/v1/job/"), None);
        // Unknown API routes and gRPC methods need admin; the UI's files are public.
        assert_eq!(
            rule(&Method::GET, "/api/v1/nope", false),
            Access::Needs(Role::Admin)
        );
        assert_eq!(
            rule(&Method::POST, "/schedd.v1.JobService/Nope", true),
            Access::Needs(Role::Admin)
        );
        assert_eq!(rule(&Method::GET, "/assets/x.js", false), Access::Public);
        assert_eq!(
            rule(&Method::POST, "/grpc.health.v1.Health/Check", true),
            Access::Public
        );
    }

    #[test]
    fn metrics_and_health_are_public_by_rule() {
        // Explicit entries, not the UI's catch-all: a scraper or a load balancer has no
        // token, and these must stay open whatever the catch-all becomes.
        for path in ["/metrics", "/healthz", "/readyz"] {
            assert_eq!(
                explicit_rule(&Method::GET, path),
                Some(Access::Public),
                "{path}"
            );
            assert_eq!(rule(&Method::GET, path, false), Access::Public, "{path}");
        }
        assert_eq!(explicit_rule(&Method::GET, "/metrics/x"), None);
        assert_eq!(
            rule(
                &Method::POST,
                "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                true
            ),
            Access::Public
        );
    }

    #[test]
    fn a_token_is_found_by_its_hash_and_the_file_holds_no_token() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("tokens.json");
        let token = new_token();
        assert!(token.starts_with("schedd_") && token.len() == 7 + 64);
        let file = TokenFile {
            revoked: Vec::new(),
            tokens: vec![TokenEntry {
                name: "ci".into(),
                role: Role::Operator,
                sha256: hash_token(&token),
                created_at: 1,
                created_by: String::new(),
            }],
        };
        file.save(&path).expect("save");
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(
            !text.contains(&token[7..]),
            "the token itself is never stored"
        );
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let tokens = Tokens::from_file(path).expect("load");
        assert!(tokens.required());
        assert_eq!(
            tokens.caller(&token),
            Some(Caller {
                name: "ci".into(),
                role: Role::Operator
            })
        );
        assert_eq!(tokens.caller("schedd_wrong"), None);
        assert_eq!(tokens.caller(""), None);
    }

    #[test]
    fn a_revoked_token_is_refused_at_once_without_a_restart() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("tokens.json");
        let (a, b) = (new_token(), new_token());
        let entry = |name: &str, token: &str| TokenEntry {
            name: name.into(),
            role: Role::Admin,
            sha256: hash_token(token),
            created_at: 0,
            created_by: String::new(),
        };
        TokenFile {
            revoked: Vec::new(),
            tokens: vec![entry("a", &a), entry("b", &b)],
        }
        .save(&path)
        .expect("save");
        let tokens = Tokens::from_file(path.clone()).expect("load");
        assert!(tokens.caller(&a).is_some());
        // Revoked the way `token revoke` does it: the file rewritten without it.
        TokenFile {
            revoked: Vec::new(),
            tokens: vec![entry("b", &b)],
        }
        .save(&path)
        .expect("save");
        assert_eq!(tokens.caller(&a), None);
        assert!(tokens.caller(&b).is_some());
    }

    /// Run as root for a master of another user, a new tokens file takes its directory's
    /// owner (and a rewritten one keeps its own), so the master can read it.
    #[test]
    fn a_new_tokens_file_takes_the_owner_of_its_directory() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let state = dir.path().join("state");
        std::fs::create_dir(&state).expect("mkdir");
        if nix::unistd::geteuid().is_root() {
            std::os::unix::fs::chown(&state, Some(12_345), Some(12_345)).expect("chown");
        }
        let path = state.join("tokens.json");
        TokenFile::default().save(&path).expect("save");
        let (d, f) = (
            std::fs::metadata(&state).expect("dir"),
            std::fs::metadata(&path).expect("file"),
        );
        assert_eq!((f.uid(), f.gid()), (d.uid(), d.gid()));
        TokenFile::default().save(&path).expect("save again");
        let again = std::fs::metadata(&path).expect("file");
        assert_eq!((again.uid(), again.gid()), (d.uid(), d.gid()));
    }

    /// A link planted where the temporary file goes is removed, never written through.
    #[test]
    fn saving_never_writes_through_a_planted_link() {
        let dir = tempfile::tempdir().expect("tempdir");
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "untouched").expect("victim");
        let path = dir.path().join("tokens.json");
        std::os::unix::fs::symlink(&victim, dir.path().join("tokens.json.tmp")).expect("link");
        TokenFile::default().save(&path).expect("save");
        assert_eq!(
            std::fs::read_to_string(&victim).expect("victim"),
            "untouched"
        );
        assert!(TokenFile::load(&path).expect("load").tokens.is_empty());
        // A link in place of the tokens file itself is replaced, not followed.
        std::fs::remove_file(&path).expect("rm");
        std::os::unix::fs::symlink(&victim, &path).expect("link");
        TokenFile::default().save(&path).expect("save");
        assert_eq!(
            std::fs::read_to_string(&victim).expect("victim"),
            "untouched"
        );
        assert!(std::fs::symlink_metadata(&path).expect("meta").is_file());
    }

    #[test]
    fn a_bad_tokens_file_is_named_with_its_problem() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("tokens.json");
        std::fs::write(
            &path,
            r#"{"tokens":[{"name":"a","role":"root","sha256":"00"}]}"#,
        )
        .expect("write");
        let e = TokenFile::load(&path)
            .expect_err("unknown role")
            .to_string();
        assert!(e.contains("tokens.json") && e.contains("root"), "{e}");
        std::fs::write(
            &path,
            r#"{"tokens":[{"name":"a","role":"admin","sha256":"00"}]}"#,
        )
        .expect("write");
        let e = TokenFile::load(&path).expect_err("short hash").to_string();
        assert!(e.contains("64 hex digits"), "{e}");
        let absent = TokenFile::load(&dir.path().join("none.json")).expect("absent is empty");
        assert!(absent.tokens.is_empty());
    }

    #[test]
    fn a_token_comes_from_the_header_or_from_the_query_of_a_get() {
        let req = |method: Method, uri: &str, auth: Option<&str>| {
            let mut b = axum::http::Request::builder().method(method).uri(uri);
            if let Some(a) = auth {
                b = b.header(header::AUTHORIZATION, a);
            }
            b.body(Body::empty()).expect("request")
        };
        assert_eq!(
            presented_token(&req(Method::GET, "/x", Some("Bearer abc"))),
            Some("abc".into())
        );
        assert_eq!(
            presented_token(&req(Method::GET, "/x", Some("bearer  abc "))),
            Some("abc".into())
        );
        assert_eq!(
            presented_token(&req(Method::GET, "/x", Some("Basic abc"))),
            None
        );
        assert_eq!(
            presented_token(&req(
                Method::GET,
                "/api/v1/events?access_token=t1&x=1",
                None
            )),
            Some("t1".into())
        );
        assert_eq!(
            presented_token(&req(
                Method::GET,
                "/api/v1/log/tail/a?follow=true&access_token=t2",
                None
            )),
            Some("t2".into())
        );
        assert_eq!(
            presented_token(&req(Method::POST, "/api/v1/job/save?access_token=t1", None)),
            None,
            "only reads take a token in the URL"
        );
        assert_eq!(
            presented_token(&req(Method::GET, "/api/v1/job/list?access_token=t1", None)),
            None,
            "only the event streams take a token in the URL"
        );
    }
}

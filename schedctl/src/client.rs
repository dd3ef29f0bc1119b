//! The connection to the schedd master: one `tonic` channel shared by the job, log and worker
//! service clients, a per-call timeout, the bearer [`Token`] sent with every call, and
//! [`ClientError`], the errors of talking to the master in terms a user can act on (the
//! server's own message, or why it could not be reached). `exit_codes` turns a
//! [`ClientError`] into the process exit code.

use std::error::Error as _;
use std::future::Future;
use std::time::Duration;

use schedd_proto::v1::audit_service_client::AuditServiceClient;
use schedd_proto::v1::event_service_client::EventServiceClient;
use schedd_proto::v1::info_service_client::InfoServiceClient;
use schedd_proto::v1::job_service_client::JobServiceClient;
use schedd_proto::v1::log_service_client::LogServiceClient;
use schedd_proto::v1::worker_service_client::WorkerServiceClient;
use tonic::metadata::{AsciiMetadataValue, MetadataValue};
use tonic::service::Interceptor;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Channel, Endpoint, Uri};

/// Why a call to the master failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("invalid endpoint `{endpoint}`: {reason}")]
    BadEndpoint { endpoint: String, reason: String },
    #[error("cannot reach the schedd master at {endpoint}: {reason}")]
    Unreachable { endpoint: String, reason: String },
    #[error(
        "the schedd master at {endpoint} did not answer within {} (see --request-timeout)",
        humantime::format_duration(*after)
    )]
    NoAnswer { endpoint: String, after: Duration },
    /// The master answered with an error status; `message` is the server's own words.
    #[error("{message}")]
    Rpc { code: tonic::Code, message: String },
}

impl ClientError {
    /// The error for a status returned by a call to `endpoint`.
    pub fn from_status(status: tonic::Status, endpoint: &str) -> ClientError {
        // tonic turns transport failures (the master went away between connect and call)
        // into an `Unavailable` status whose source is the transport error; name the cause
        // the way a failed connect does instead of showing tonic's generic message.
        if status.code() == tonic::Code::Unavailable
            && let Some(source) = status.source()
        {
            return ClientError::Unreachable {
                endpoint: endpoint.to_owned(),
                reason: describe_transport_error(source),
            };
        }
        let message = if status.message().is_empty() {
            format!(
                "the master answered `{:?}` without a message",
                status.code()
            )
        } else if status.message().starts_with("grpc-status header missing") {
            // An HTTP server that is not gRPC, most often the REST port given by mistake.
            format!(
                "the server at {endpoint} does not speak gRPC ({}); is this the master's gRPC address?",
                status.message()
            )
        } else {
            status.message().to_owned()
        };
        ClientError::Rpc {
            code: status.code(),
            message,
        }
    }
}

/// A short, lowercase reason for a transport failure: the OS error when there is one
/// (`connection refused`), else the innermost error's message.
fn describe_transport_error(err: &(dyn std::error::Error + 'static)) -> String {
    let mut innermost = err;
    let mut current = Some(err);
    while let Some(e) = current {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return describe_io_error(io);
        }
        innermost = e;
        current = e.source();
    }
    innermost.to_string()
}

fn describe_io_error(io: &std::io::Error) -> String {
    use std::io::ErrorKind;
    // The OS wording is `Connection refused (os error 111)`; users only need the first part.
    let phrase = match io.kind() {
        ErrorKind::ConnectionRefused => "connection refused",
        ErrorKind::ConnectionReset => "connection reset",
        ErrorKind::ConnectionAborted => "connection aborted",
        ErrorKind::TimedOut => "connection timed out",
        ErrorKind::HostUnreachable => "host unreachable",
        ErrorKind::NetworkUnreachable => "network unreachable",
        ErrorKind::AddrNotAvailable => "address not available",
        _ => return io.to_string(),
    };
    phrase.to_owned()
}

/// clap value parser for `--endpoint`: accepts `http://host:port` or `host:port` (meaning
/// http) and returns the normalised URL.
pub fn parse_endpoint(s: &str) -> Result<String, String> {
    let s = s.trim();
    let url = if s.contains("://") {
        s.to_owned()
    } else {
        format!("http://{s}")
    };
    if !url.starts_with("http://") && !url.starts_with("https://") {
        return Err("the endpoint must look like http://HOST:PORT or https://HOST:PORT".to_owned());
    }
    let uri: Uri = url.parse().map_err(|e| format!("not a valid URL: {e}"))?;
    if uri.host().is_none_or(str::is_empty) {
        return Err("the endpoint has no host".to_owned());
    }
    Ok(url)
}

/// A bearer token for the master. Its `Debug` form is redacted, so it never shows up in
/// `{:?}` of the CLI, the settings or the config file.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Token(String);

impl TryFrom<String> for Token {
    type Error = String;

    fn try_from(token: String) -> Result<Token, String> {
        Token::new(token)
    }
}

impl From<Token> for String {
    fn from(token: Token) -> String {
        token.0
    }
}

impl Token {
    /// A token, if it can travel in an HTTP/2 header: printable ASCII without spaces.
    pub fn new(token: impl Into<String>) -> Result<Token, String> {
        let token = token.into();
        if token.is_empty() {
            return Err("the token is empty".to_owned());
        }
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(
                "the token must be printable ASCII without spaces (it is sent as an HTTP header)"
                    .to_owned(),
            );
        }
        Ok(Token(token))
    }

    /// The token itself, for the wire and the config file only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// clap value parser for `--token`.
pub fn parse_token(s: &str) -> Result<Token, String> {
    Token::new(s)
}

/// Adds `authorization: Bearer TOKEN` to every call when there is a token, and
/// `x-schedd-client` naming the command (`schedctl job save`), which the master's audit
/// trail records.
///
/// An interceptor rather than a header on each request in the verbs: every call, streams
/// included, gets it without each verb having to remember.
#[derive(Clone, Default)]
pub struct Auth {
    header: Option<AsciiMetadataValue>,
    client: Option<AsciiMetadataValue>,
}

impl Auth {
    pub fn new(token: Option<&Token>) -> Auth {
        let header = token.map(|t| {
            let mut value: AsciiMetadataValue = MetadataValue::try_from(format!("Bearer {}", t.0))
                .expect("Token::new admits only printable ASCII, which is a valid header value");
            // Never indexed by HPACK and hidden from h2's logs.
            value.set_sensitive(true);
            value
        });
        Auth {
            header,
            client: None,
        }
    }

    /// Names the program in `x-schedd-client`; a name that is not a valid header value
    /// (not printable ASCII) is left out.
    pub fn with_client(mut self, name: &str) -> Auth {
        self.client = MetadataValue::try_from(name).ok();
        self
    }
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let token = if self.header.is_some() {
            "Some(<redacted>)"
        } else {
            "None"
        };
        write!(f, "Auth {{ token: {token} }}")
    }
}

impl Interceptor for Auth {
    fn call(
        &mut self,
        mut request: tonic::Request<()>,
    ) -> Result<tonic::Request<()>, tonic::Status> {
        if let Some(header) = &self.header {
            request
                .metadata_mut()
                .insert("authorization", header.clone());
        }
        if let Some(client) = &self.client {
            request
                .metadata_mut()
                .insert("x-schedd-client", client.clone());
        }
        Ok(request)
    }
}

/// What the service clients run on: the channel, with [`Auth`] in front.
pub type Transport = InterceptedService<Channel, Auth>;

/// The largest answer taken from the master. tonic's default, 4 MiB, is a list of about
/// 50,000 jobs: `job list` at 100,000 jobs (8.6 MB) failed with "decoded message length too
/// large". The master holds whatever a list sends in memory anyway; this only keeps a
/// broken or hostile master from making the client buffer without end.
pub const MAX_ANSWER_BYTES: usize = 256 * 1024 * 1024;

/// A connection to the master.
#[derive(Debug, Clone)]
pub struct Client {
    channel: Channel,
    auth: Auth,
    endpoint: String,
    timeout: Duration,
}

impl Client {
    /// Connects to `endpoint`, giving up after `timeout`. Calls carry no token; see
    /// [`Client::with_token`].
    pub async fn connect(endpoint: &str, timeout: Duration) -> Result<Client, ClientError> {
        Client::connect_with_ca(endpoint, timeout, None).await
    }

    /// [`Client::connect`]; an `https://` endpoint is trusted if its certificate is signed
    /// by the CA in the PEM file `ca_file`, or by one of the system's roots without it.
    pub async fn connect_with_ca(
        endpoint: &str,
        timeout: Duration,
        ca_file: Option<&std::path::Path>,
    ) -> Result<Client, ClientError> {
        let bad = |reason: String| ClientError::BadEndpoint {
            endpoint: endpoint.to_owned(),
            reason,
        };
        let mut target = Endpoint::from_shared(endpoint.to_owned())
            .map_err(|e| bad(e.to_string()))?
            .connect_timeout(timeout);
        if endpoint.starts_with("https://") {
            let mut tls = tonic::transport::ClientTlsConfig::new().with_native_roots();
            if let Some(path) = ca_file {
                let pem = std::fs::read(path)
                    .map_err(|e| bad(format!("reading the CA file {}: {e}", path.display())))?;
                tls = tls.ca_certificate(tonic::transport::Certificate::from_pem(pem));
            }
            target = target.tls_config(tls).map_err(|e| bad(e.to_string()))?;
        }
        // Connect eagerly: the error of a failed connect still holds the OS error, so we can
        // say "connection refused"; a lazy channel would report it later as a vaguer status.
        let channel = match tokio::time::timeout(timeout, target.connect()).await {
            Ok(Ok(channel)) => channel,
            Ok(Err(e)) => {
                return Err(ClientError::Unreachable {
                    endpoint: endpoint.to_owned(),
                    reason: describe_transport_error(&e),
                });
            }
            Err(_) => {
                return Err(ClientError::NoAnswer {
                    endpoint: endpoint.to_owned(),
                    after: timeout,
                });
            }
        };
        Ok(Client {
            channel,
            auth: Auth::default(),
            endpoint: endpoint.to_owned(),
            timeout,
        })
    }

    /// Sends `authorization: Bearer TOKEN` with every call from now on (none for `None`).
    pub fn with_token(mut self, token: Option<&Token>) -> Client {
        let client = self.auth.client.take();
        self.auth = Auth::new(token);
        self.auth.client = client;
        self
    }

    /// Names the program in every call's `x-schedd-client` (see [`Auth`]).
    pub fn with_client_name(mut self, name: &str) -> Client {
        self.auth = self.auth.with_client(name);
        self
    }

    pub fn audit(&self) -> AuditServiceClient<Transport> {
        AuditServiceClient::new(self.transport()).max_decoding_message_size(MAX_ANSWER_BYTES)
    }

    fn transport(&self) -> Transport {
        InterceptedService::new(self.channel.clone(), self.auth.clone())
    }

    pub fn jobs(&self) -> JobServiceClient<Transport> {
        JobServiceClient::new(self.transport()).max_decoding_message_size(MAX_ANSWER_BYTES)
    }

    pub fn logs(&self) -> LogServiceClient<Transport> {
        LogServiceClient::new(self.transport()).max_decoding_message_size(MAX_ANSWER_BYTES)
    }

    pub fn workers(&self) -> WorkerServiceClient<Transport> {
        WorkerServiceClient::new(self.transport()).max_decoding_message_size(MAX_ANSWER_BYTES)
    }

    /// The event stream client (`Watch`); its calls are long-lived, so use it without
    /// [`Client::call`]'s timeout.
    pub fn events(&self) -> EventServiceClient<Transport> {
        EventServiceClient::new(self.transport()).max_decoding_message_size(MAX_ANSWER_BYTES)
    }

    pub fn info(&self) -> InfoServiceClient<Transport> {
        InfoServiceClient::new(self.transport()).max_decoding_message_size(MAX_ANSWER_BYTES)
    }

    /// The endpoint this client talks to, as given.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Awaits one call with the request timeout and turns its failure into a [`ClientError`]:
    /// `client.call(client.jobs().get_job(req)).await?`.
    pub async fn call<T>(
        &self,
        call: impl Future<Output = Result<tonic::Response<T>, tonic::Status>>,
    ) -> Result<T, ClientError> {
        // A plain tokio timeout rather than `Endpoint::timeout`: tonic reports its own as a
        // `Cancelled` status saying "Timeout expired", which tells the user less.
        match tokio::time::timeout(self.timeout, call).await {
            Ok(Ok(response)) => Ok(response.into_inner()),
            Ok(Err(status)) => Err(ClientError::from_status(status, &self.endpoint)),
            Err(_) => Err(ClientError::NoAnswer {
                endpoint: self.endpoint.clone(),
                after: self.timeout,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_get_a_scheme_and_bad_ones_are_refused() {
        assert_eq!(
            parse_endpoint("127.0.0.1:8070").as_deref(),
            Ok("http://127.0.0.1:8070")
        );
        assert_eq!(
            parse_endpoint("http://master:9000").as_deref(),
            Ok("http://master:9000")
        );
        assert_eq!(parse_endpoint("https://m:1").as_deref(), Ok("https://m:1"));
        assert!(
            parse_endpoint("ftp://m:1")
                .expect_err("ftp")
                .contains("http://")
        );
        assert!(parse_endpoint("http://").is_err());
        assert!(parse_endpoint("http://a b").is_err());
    }

    #[test]
    fn a_status_shows_the_server_message_not_the_status_dump() {
        let err = ClientError::from_status(
            tonic::Status::invalid_argument("cronExpr: invalid cron expression"),
            "http://h:1",
        );
        assert_eq!(err.to_string(), "cronExpr: invalid cron expression");
        let not_grpc = ClientError::from_status(
            tonic::Status::unknown("grpc-status header missing, mapped from HTTP status code 404"),
            "http://h:1",
        );
        assert!(
            not_grpc
                .to_string()
                .starts_with("the server at http://h:1 does not speak gRPC"),
            "{not_grpc}"
        );
        let empty = ClientError::from_status(tonic::Status::internal(""), "http://h:1");
        assert_eq!(
            empty.to_string(),
            "the master answered `Internal` without a message"
        );
    }

    #[test]
    fn io_errors_are_described_in_short_lowercase_words() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert_eq!(describe_transport_error(&refused), "connection refused");
        let wrapped = std::io::Error::other("dns error: no such host");
        assert_eq!(
            describe_transport_error(&wrapped),
            "dns error: no such host"
        );
    }

    #[test]
    fn tokens_are_redacted_in_debug_and_must_fit_in_a_header() {
        let token = Token::new("s3cret-token").expect("valid");
        assert_eq!(format!("{token:?}"), "Token(<redacted>)");
        let auth = Auth::new(Some(&token));
        assert!(!format!("{auth:?}").contains("s3cret"), "{auth:?}");
        assert!(Token::new("").is_err());
        assert!(Token::new("has space").is_err());
        assert!(Token::new("line\nbreak").is_err());
        assert!(Token::new("caf\u{e9}").is_err());
    }

    #[test]
    fn the_interceptor_adds_a_bearer_header_only_when_there_is_a_token() {
        let token = Token::new("abc.def").expect("valid");
        let request = Auth::new(Some(&token))
            .call(tonic::Request::new(()))
            .expect("passes");
        assert_eq!(
            request
                .metadata()
                .get("authorization")
                .and_then(|v| v.to_str().ok()),
            Some("Bearer abc.def")
        );
        let request = Auth::new(None)
            .call(tonic::Request::new(()))
            .expect("passes");
        assert!(request.metadata().get("authorization").is_none());
    }

    /// An InfoService that answers with the `authorization` header it got as its version.
    struct EchoAuth;

    #[tonic::async_trait]
    impl schedd_proto::v1::info_service_server::InfoService for EchoAuth {
        async fn get_info(
            &self,
            request: tonic::Request<schedd_proto::v1::GetInfoRequest>,
        ) -> Result<tonic::Response<schedd_proto::v1::GetInfoResponse>, tonic::Status> {
            let header = request
                .metadata()
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("none")
                .to_owned();
            Ok(tonic::Response::new(schedd_proto::v1::GetInfoResponse {
                version: header,
                ..Default::default()
            }))
        }
    }

    #[tokio::test]
    async fn calls_carry_the_token_to_the_server() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind port 0");
        let endpoint = format!("http://{}", listener.local_addr().expect("local addr"));
        let server = tokio::spawn(
            tonic::transport::Server::builder()
                .add_service(
                    schedd_proto::v1::info_service_server::InfoServiceServer::new(EchoAuth),
                )
                .serve_with_incoming(tonic::transport::server::TcpIncoming::from(listener)),
        );
        let timeout = Duration::from_secs(10);
        let client = Client::connect(&endpoint, timeout).await.expect("connects");
        let ask = |client: Client| async move {
            client
                .call(client.info().get_info(schedd_proto::v1::GetInfoRequest {}))
                .await
                .expect("answers")
                .version
        };
        assert_eq!(ask(client.clone()).await, "none");
        let token = Token::new("t0k3n").expect("valid");
        assert_eq!(ask(client.with_token(Some(&token))).await, "Bearer t0k3n");
        server.abort();
    }
}

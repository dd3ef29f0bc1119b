//! Runs one HTTP job: makes the request its [`HttpSpec`] describes and turns the response into
//! the same [`ExecOutcome`] a shell command gives, so the runner, the records and the live
//! output treat both kinds of job alike.
//!
//! The record of a run that got a response: `stdout` holds it as `curl -i` shows it, the
//! status line (`HTTP/1.1 500 Internal Server Error`), one `name: value` line per header, a
//! blank line, then the body as text (converted lossily). Header names are in lower case, as
//! hyper hands them over; the values of headers that look secret (`set-cookie`, anything
//! naming a token or a key) are replaced by `***` ([`redact_header`]). The whole text is
//! bounded like a command's output (head and tail kept, see [`crate::executor`]) and goes to
//! the live output as it arrives; `stderr` stays empty. The termination is
//! [`Termination::Responded`] and the exit code is the status; `error` is `None` when the
//! status is one the job expects and `HTTP 500 Internal Server Error; expected 2xx` otherwise.
//! A body cut short after the status arrived is still `Responded`, with an error saying so.
//!
//! No response: a URL that cannot be requested, a failed DNS lookup, connection or TLS
//! handshake, or a malformed response give [`Termination::FailedToStart`] and an error
//! starting with `request failed: ` followed by the causes. The timeout (the smaller of the
//! spec's own `timeout` and the job's) bounds the whole call, from the DNS lookup to the
//! last byte of the body, and gives [`Termination::TimedOut`]; cancelling the kill token
//! gives [`Termination::Killed`]. These three have exit code -1, and a timeout or a kill
//! keeps what had arrived of the response.
//!
//! The request goes over a connection of its own, as HTTP/1.1 with `Connection: close`, with
//! the job's headers plus `Host`, a `User-Agent` of `schedd/VERSION` (unless the job sets
//! one) and `Content-Length` when there is a body (always for POST, PUT and PATCH). `https`
//! URLs use rustls on ring and trust the system's root certificates, read once per worker
//! process (a root installed later is trusted after a restart).
//!
//! What it does not do: follow redirects (a 3xx is the outcome, like any status); speak
//! HTTP/2 (TLS offers `http/1.1` only); present a client certificate; take credentials from
//! the URL (a job's URL may not hold `user:password@`: it sets an `Authorization` header
//! instead); go through a proxy
//! (`HTTPS_PROXY` and the like are ignored); reuse connections between runs; decompress a
//! body (no `Accept-Encoding` is sent unless the job sets one, and the body is then recorded
//! as it came).

use std::{
    error::Error as StdError,
    sync::{Arc, OnceLock},
    time::Duration,
};

use chrono::Utc;
use http_body_util::{BodyExt, Full};
use hyper::{
    Method, Request, Response, StatusCode,
    body::{Bytes, Incoming},
    header::{self, HeaderValue},
};
use hyper_util::rt::TokioIo;
use schedd_core::{
    HttpSpec, OutputStream as Stream,
    http::{redact_header, redact_url},
};
use tokio::{
    io::{AsyncRead, AsyncWrite},
    net::TcpStream,
};
use tokio_rustls::{
    TlsConnector,
    rustls::{ClientConfig, RootCertStore, crypto::ring, pki_types::ServerName},
};
use tokio_util::{sync::CancellationToken, task::AbortOnDropHandle};
use url::Url;

use crate::executor::{BoundedCapture, ExecOutcome, OutputTap, Termination};

/// What to request and under which limits.
#[derive(Debug, Clone)]
pub struct HttpCall {
    pub http: HttpSpec,
    /// The job's own timeout; the request is bounded by the smaller of this and
    /// `http.timeout` (when that is not 0).
    pub timeout: Option<Duration>,
    /// Bytes of the response (status line, headers and body) kept: head half + tail half.
    pub max_output_bytes: usize,
    /// Sees the response head and every chunk of its body as they arrive, before they are
    /// bounded (live output), as stdout.
    pub tap: Option<OutputTap>,
}

/// Makes the request of an HTTP job: to completion, to `timeout`, or to the cancellation of `kill`.
///
/// A token that is already cancelled makes no request: the outcome is `Killed` at once.
/// Dropping the returned future drops the connection.
pub async fn call(spec: &HttpCall, kill: CancellationToken) -> ExecOutcome {
    let limit = limit(&spec.http, spec.timeout);
    let mut out = Output {
        captured: BoundedCapture::new(spec.max_output_bytes),
        tap: spec.tap.as_ref(),
    };
    let started_at = Utc::now();
    let deadline = async {
        match limit {
            Some(limit) => tokio::time::sleep(limit).await,
            None => std::future::pending().await,
        }
    };
    // Biased: a kill, or a deadline, that has come wins over a response finishing in the same
    // poll.
    let (termination, error) = tokio::select! {
        biased;
        () = kill.cancelled() => (Termination::Killed, Some("killed".to_owned())),
        () = deadline => (
            Termination::TimedOut,
            // `limit` is `Some` here: only then does the deadline ever pass.
            Some(format!("timed out after {:?}", limit.unwrap_or_default())),
        ),
        answer = exchange(&spec.http, &mut out) => match answer {
            Ok(answer) => (Termination::Responded(answer.status), answer.error(&spec.http)),
            Err(cause) => (
                Termination::FailedToStart,
                Some(format!("request failed: {cause}")),
            ),
        },
    };
    let ended_at = Utc::now();
    let (stdout, output_truncated) = out.captured.finish();
    tracing::debug!(
        url = %redact_url(&spec.http.url),
        ?termination,
        error = error.as_deref().unwrap_or_default(),
        "http request finished"
    );
    ExecOutcome {
        started_at,
        ended_at,
        termination,
        exit_code: match termination {
            Termination::Responded(status) => i32::from(status),
            _ => -1,
        },
        stdout,
        stderr: String::new(),
        output_truncated,
        error,
    }
}

/// The smaller of the spec's own timeout (0: none) and the job's.
fn limit(http: &HttpSpec, job: Option<Duration>) -> Option<Duration> {
    let own = (http.timeout > 0).then(|| Duration::from_secs(http.timeout));
    match (own, job) {
        (Some(own), Some(job)) => Some(own.min(job)),
        (own, job) => own.or(job),
    }
}

/// Where the response goes: the live output, and the bounded record.
struct Output<'a> {
    captured: BoundedCapture,
    tap: Option<&'a OutputTap>,
}

impl Output<'_> {
    fn push(&mut self, data: &[u8]) {
        if let Some(tap) = self.tap {
            (tap.0)(Stream::Stdout, data);
        }
        self.captured.push(data);
    }
}

/// A response that arrived.
struct Answer {
    status: u16,
    /// `500 Internal Server Error`: the status and its reason, as on the status line.
    status_text: String,
    /// Why the body was not read to its end.
    body_error: Option<String>,
}

impl Answer {
    /// The run's error: `None` for an expected status with its whole body.
    fn error(&self, http: &HttpSpec) -> Option<String> {
        let status = &self.status_text;
        match (&self.body_error, http.expects(self.status)) {
            (None, true) => None,
            (None, false) => Some(format!("HTTP {status}; expected {}", http.expected())),
            (Some(cause), true) => Some(format!(
                "HTTP {status}, but the response body was cut short: {cause}"
            )),
            (Some(cause), false) => Some(format!(
                "HTTP {status}; expected {}; and the response body was cut short: {cause}",
                http.expected()
            )),
        }
    }
}

/// Connects, sends the request, and reads the response into `out`. `Err` is the cause of a
/// failure before any response arrived.
async fn exchange(http: &HttpSpec, out: &mut Output<'_>) -> Result<Answer, String> {
    let url = Url::parse(&http.url).map_err(|e| format!("invalid URL: {e}"))?;
    let tls = match url.scheme() {
        "http" => false,
        "https" => true,
        other => return Err(format!("unsupported URL scheme `{other}`")),
    };
    // The host as a name or an address, without the brackets of an IPv6 literal: what both
    // the connection and SNI want.
    let host = match url.host() {
        Some(url::Host::Domain(name)) => name.to_owned(),
        Some(url::Host::Ipv4(addr)) => addr.to_string(),
        Some(url::Host::Ipv6(addr)) => addr.to_string(),
        None => return Err("the URL has no host".to_owned()),
    };
    let port = url
        .port_or_known_default()
        .ok_or_else(|| "the URL has no port".to_owned())?;
    let request = request(http, &url)?;

    let tcp = TcpStream::connect((host.as_str(), port))
        .await
        .map_err(|e| format!("connect to {}:{port}: {}", url_host(&url), chain(&e)))?;
    // Only a small request follows; Nagle would hold its body back for the server's ACK.
    let _ = tcp.set_nodelay(true);
    if !tls {
        return send(tcp, request, out).await;
    }
    let name = ServerName::try_from(host.clone())
        .map_err(|e| format!("`{host}` is not a valid TLS server name: {e}"))?;
    let tls = TlsConnector::from(tls_config().await?)
        .connect(name, tcp)
        .await
        .map_err(|e| format!("TLS handshake with {host}: {}", chain(&e)))?;
    send(tls, request, out).await
}

/// The request of `http` to `url`, with the headers every request carries.
fn request(http: &HttpSpec, url: &Url) -> Result<Request<Full<Bytes>>, String> {
    let method = Method::from_bytes(http.method().as_bytes())
        .map_err(|_| format!("invalid method `{}`", http.method()))?;
    let host = match url.port() {
        // `port()` is `None` for the scheme's default port, which `Host` leaves out.
        Some(port) => format!("{}:{port}", url_host(url)),
        None => url_host(url).to_owned(),
    };
    let mut builder = Request::builder()
        .method(method.clone())
        .uri(&url[url::Position::BeforePath..url::Position::AfterQuery]);
    for (name, value) in &http.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let sets_user_agent = http
        .headers
        .keys()
        .any(|name| name.eq_ignore_ascii_case(header::USER_AGENT.as_str()));
    if !sets_user_agent {
        builder = builder.header(
            header::USER_AGENT,
            concat!("schedd/", env!("CARGO_PKG_VERSION")),
        );
    }
    // A POST without a body still says so, or some servers answer 411 Length Required.
    if !http.body.is_empty() || [Method::POST, Method::PUT, Method::PATCH].contains(&method) {
        builder = builder.header(header::CONTENT_LENGTH, http.body.len());
    }
    builder
        .header(header::HOST, host)
        .header(header::CONNECTION, HeaderValue::from_static("close"))
        .body(Full::new(Bytes::from(http.body.clone())))
        .map_err(|e| format!("invalid request: {}", chain(&e)))
}

/// The URL's host as it appears in a `Host` header (IPv6 literals in brackets).
fn url_host(url: &Url) -> &str {
    url.host_str().unwrap_or_default()
}

/// Sends `request` over `io` and reads the response into `out`.
async fn send<I>(
    io: I,
    request: Request<Full<Bytes>>,
    out: &mut Output<'_>,
) -> Result<Answer, String>
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .map_err(|e| format!("HTTP handshake: {}", chain(&e)))?;
    // The connection is driven by its own task, dropped (and the socket closed) with this
    // future whether the exchange ends, times out or is killed. Its errors reach us through
    // the response and its body.
    let _connection = AbortOnDropHandle::new(tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!(error = %chain(&e), "http job connection ended with an error");
        }
    }));
    let response = sender.send_request(request).await.map_err(|e| chain(&e))?;
    let (status, status_text) = status_of(&response);
    out.push(head(&response, &status_text).as_bytes());
    let mut body = response.into_body();
    let mut body_error = None;
    // Read to the end even past what is kept: the server is not cut off, and the run
    // lasts as long as the response does (bounded by the timeout).
    while let Some(frame) = body.frame().await {
        match frame {
            Ok(frame) => {
                if let Some(data) = frame.data_ref() {
                    out.push(data);
                }
            }
            Err(e) => {
                body_error = Some(chain(&e));
                break;
            }
        }
    }
    Ok(Answer {
        status: status.as_u16(),
        status_text,
        body_error,
    })
}

/// The status and `500 Internal Server Error`: its code and the reason the server gave (or the
/// standard one; nothing for an unknown status with no reason).
fn status_of(response: &Response<Incoming>) -> (StatusCode, String) {
    let status = response.status();
    let reason = match response.extensions().get::<hyper::ext::ReasonPhrase>() {
        Some(reason) => String::from_utf8_lossy(reason.as_bytes()).into_owned(),
        None => status.canonical_reason().unwrap_or_default().to_owned(),
    };
    let text = if reason.is_empty() {
        status.as_str().to_owned()
    } else {
        format!("{} {reason}", status.as_str())
    };
    (status, text)
}

/// The status line and the headers as `curl -i` shows them, with the blank line after them.
fn head(response: &Response<Incoming>, status_text: &str) -> String {
    let mut head = format!("{:?} {status_text}\n", response.version());
    for (name, value) in response.headers() {
        let value = String::from_utf8_lossy(value.as_bytes());
        head.push_str(name.as_str());
        head.push_str(": ");
        head.push_str(&redact_header(name.as_str(), &value));
        head.push('\n');
    }
    head.push('\n');
    head
}

/// `error: its cause: the cause of that`. A cause whose text the message already ends with
/// is left out (some errors repeat their source in their own message).
fn chain(error: &dyn StdError) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.ends_with(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// The TLS settings of every HTTPS job, made on first use: the system's roots are read from
/// disk, so off the async threads.
async fn tls_config() -> Result<Arc<ClientConfig>, String> {
    static CONFIG: OnceLock<Arc<ClientConfig>> = OnceLock::new();
    if let Some(config) = CONFIG.get() {
        return Ok(Arc::clone(config));
    }
    tokio::task::spawn_blocking(|| Arc::clone(CONFIG.get_or_init(make_tls_config)))
        .await
        .map_err(|e| format!("loading the trusted root certificates: {e}"))
}

fn make_tls_config() -> Arc<ClientConfig> {
    let found = rustls_native_certs::load_native_certs();
    for error in &found.errors {
        tracing::warn!(%error, "reading the system's trusted root certificates");
    }
    let mut roots = RootCertStore::empty();
    let (added, skipped) = roots.add_parsable_certificates(found.certs);
    if skipped > 0 {
        tracing::warn!(
            skipped,
            "some of the system's root certificates could not be used; skipped"
        );
    }
    if added == 0 {
        tracing::warn!(
            "no trusted root certificates found on this system: HTTPS jobs will fail to verify their servers"
        );
    }
    let mut config = ClientConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("ring supports rustls' default protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    // The connection speaks HTTP/1.1 only; offering h2 could make a server pick it.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Arc::new(config)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::{
        convert::Infallible,
        net::SocketAddr,
        sync::atomic::{AtomicUsize, Ordering},
    };

    use hyper::{HeaderMap, server::conn::http1, service::service_fn};
    use tokio::{net::TcpListener, sync::mpsc};

    /// What the test server received.
    #[derive(Debug)]
    struct Seen {
        method: Method,
        target: String,
        headers: HeaderMap,
        body: Bytes,
    }

    type Respond = dyn Fn() -> Response<Full<Bytes>> + Send + Sync;

    /// A loopback HTTP/1.1 server that answers every request with `respond()` and reports
    /// what it received.
    async fn server(respond: Arc<Respond>) -> (SocketAddr, mpsc::UnboundedReceiver<Seen>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (seen_tx, seen) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            loop {
                let (stream, _) = listener.accept().await.unwrap();
                let (respond, seen_tx) = (Arc::clone(&respond), seen_tx.clone());
                let service = service_fn(move |req: Request<Incoming>| {
                    let (respond, seen_tx) = (Arc::clone(&respond), seen_tx.clone());
                    async move {
                        let (parts, body) = req.into_parts();
                        let body = body.collect().await.unwrap().to_bytes();
                        let _ = seen_tx.send(Seen {
                            method: parts.method,
                            target: parts.uri.to_string(),
                            headers: parts.headers,
                            body,
                        });
                        Ok::<_, Infallible>(respond())
                    }
                });
                tokio::spawn(http1::Builder::new().serve_connection(TokioIo::new(stream), service));
            }
        });
        (addr, seen)
    }

    /// A server that accepts connections and never answers; `accepted` gets a message for
    /// each connection.
    async fn silent_server() -> (SocketAddr, mpsc::UnboundedReceiver<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (accepted_tx, accepted) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut held = Vec::new();
            loop {
                let (stream, _) = listener.accept().await.unwrap();
                held.push(stream);
                let _ = accepted_tx.send(());
            }
        });
        (addr, accepted)
    }

    fn respond(status: u16, body: impl Into<Bytes>) -> Arc<Respond> {
        let body = body.into();
        Arc::new(move || {
            Response::builder()
                .status(status)
                .header("set-cookie", "session=s3cr3t")
                .header("x-served-by", "test")
                .body(Full::new(body.clone()))
                .unwrap()
        })
    }

    fn get(url: String) -> HttpCall {
        HttpCall {
            http: HttpSpec {
                url,
                ..Default::default()
            },
            timeout: None,
            max_output_bytes: 64 * 1024,
            tap: None,
        }
    }

    #[tokio::test]
    async fn a_2xx_response_is_recorded_like_curl_i_and_the_request_is_the_jobs() {
        let (addr, mut seen) = server(respond(200, "pong")).await;
        let mut spec = get(format!("http://{addr}/hook?x=1&y=two"));
        spec.http.method = "POST".into();
        spec.http.body = "hello".into();
        spec.http.headers.insert("X-Trace".into(), "abc".into());
        let out = call(&spec, CancellationToken::new()).await;

        assert_eq!(out.termination, Termination::Responded(200));
        assert_eq!((out.exit_code, out.error), (200, None));
        assert!(
            out.stdout.starts_with("HTTP/1.1 200 OK\n"),
            "{}",
            out.stdout
        );
        assert!(
            out.stdout.contains("\nx-served-by: test\n"),
            "{}",
            out.stdout
        );
        assert!(out.stdout.contains("\nset-cookie: ***\n"), "{}", out.stdout);
        assert!(!out.stdout.contains("s3cr3t"), "{}", out.stdout);
        assert!(out.stdout.ends_with("\n\npong"), "{}", out.stdout);
        assert!(!out.output_truncated);
        assert!(out.stderr.is_empty());
        assert!(out.started_at <= out.ended_at);

        let seen = seen.recv().await.unwrap();
        assert_eq!(seen.method, Method::POST);
        assert_eq!(seen.target, "/hook?x=1&y=two");
        assert_eq!(seen.headers["x-trace"], "abc");
        assert_eq!(seen.headers["host"], addr.to_string().as_str());
        assert_eq!(seen.headers["content-length"], "5");
        assert_eq!(seen.headers["connection"], "close");
        let agent = seen.headers["user-agent"].to_str().unwrap();
        assert_eq!(agent, concat!("schedd/", env!("CARGO_PKG_VERSION")));
        assert_eq!(&seen.body[..], b"hello");
    }

    #[tokio::test]
    async fn an_unexpected_status_is_an_error_with_the_body_kept() {
        let (addr, _seen) = server(respond(500, "boom")).await;
        let out = call(&get(format!("http://{addr}/")), CancellationToken::new()).await;
        assert_eq!(out.termination, Termination::Responded(500));
        assert_eq!(out.exit_code, 500);
        assert_eq!(
            out.error.as_deref(),
            Some("HTTP 500 Internal Server Error; expected 2xx")
        );
        assert!(out.stdout.contains("boom"), "{}", out.stdout);
    }

    #[tokio::test]
    async fn an_expected_status_is_a_success_whatever_it_is() {
        let (addr, mut seen) = server(respond(500, "boom")).await;
        let mut spec = get(format!("http://{addr}/"));
        spec.http.expect_status = vec![500];
        let out = call(&spec, CancellationToken::new()).await;
        assert_eq!(out.termination, Termination::Responded(500));
        assert_eq!(out.error, None);
        // A GET without a body says nothing of a length.
        let seen = seen.recv().await.unwrap();
        assert_eq!(seen.method, Method::GET);
        assert!(!seen.headers.contains_key("content-length"));
    }

    #[tokio::test]
    async fn a_server_that_never_answers_times_out() {
        let (addr, _accepted) = silent_server().await;
        let mut spec = get(format!("http://{addr}/"));
        spec.timeout = Some(Duration::from_millis(300));
        let out = call(&spec, CancellationToken::new()).await;
        assert_eq!(out.termination, Termination::TimedOut);
        assert_eq!(out.exit_code, -1);
        assert_eq!(out.error.as_deref(), Some("timed out after 300ms"));
        assert!(out.stdout.is_empty());
    }

    #[test]
    fn the_timeout_is_the_smaller_of_the_requests_and_the_jobs() {
        let mut http = HttpSpec::default();
        let secs = Duration::from_secs;
        assert_eq!(limit(&http, None), None);
        assert_eq!(limit(&http, Some(secs(5))), Some(secs(5)));
        http.timeout = 3;
        assert_eq!(limit(&http, None), Some(secs(3)));
        assert_eq!(limit(&http, Some(secs(5))), Some(secs(3)));
        assert_eq!(limit(&http, Some(secs(2))), Some(secs(2)));
    }

    #[tokio::test]
    async fn a_refused_connection_fails_to_start() {
        let port = {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            listener.local_addr().unwrap().port()
        };
        let out = call(
            &get(format!("http://127.0.0.1:{port}/")),
            CancellationToken::new(),
        )
        .await;
        assert_eq!(out.termination, Termination::FailedToStart);
        assert_eq!(out.exit_code, -1);
        let error = out.error.unwrap();
        assert!(
            error.starts_with(&format!("request failed: connect to 127.0.0.1:{port}: ")),
            "{error}"
        );
    }

    #[tokio::test]
    async fn an_https_server_the_system_does_not_trust_fails_the_handshake() {
        use tokio_rustls::rustls::{
            ServerConfig,
            pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject},
        };
        let dir = tempfile::tempdir().unwrap();
        // Signed by a CA made on the spot, which no system trusts.
        let tls = testkit::tls::TestTls::make(dir.path());
        let config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![CertificateDer::from_pem_file(&tls.cert).unwrap()],
                PrivateKeyDer::from_pem_file(&tls.key).unwrap(),
            )
            .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            let _ = acceptor.accept(stream).await;
        });

        let out = call(&get(format!("https://{addr}/")), CancellationToken::new()).await;
        assert_eq!(out.termination, Termination::FailedToStart);
        let error = out.error.unwrap();
        assert!(
            error.starts_with(
                "request failed: TLS handshake with 127.0.0.1: invalid peer certificate"
            ),
            "{error}"
        );
    }

    #[tokio::test]
    async fn a_big_body_keeps_the_status_line_and_the_end_and_is_all_tapped() {
        let mut body = "x".repeat(1024 * 1024);
        body.push_str("the end");
        let body_len = body.len();
        let (addr, _seen) = server(respond(200, body)).await;
        let tapped = Arc::new(AtomicUsize::new(0));
        let mut spec = get(format!("http://{addr}/"));
        spec.max_output_bytes = 1024;
        spec.tap = Some(OutputTap(Arc::new({
            let tapped = Arc::clone(&tapped);
            move |stream, data: &[u8]| {
                assert_eq!(stream, Stream::Stdout);
                tapped.fetch_add(data.len(), Ordering::Relaxed);
            }
        })));
        let out = call(&spec, CancellationToken::new()).await;
        assert_eq!(out.termination, Termination::Responded(200));
        assert!(out.output_truncated);
        assert!(
            out.stdout.starts_with("HTTP/1.1 200 OK\n"),
            "{}",
            out.stdout
        );
        assert!(out.stdout.ends_with("xxxthe end"), "{}", out.stdout);
        assert!(out.stdout.len() < 1200, "{}", out.stdout.len());
        let head_len = out.stdout.find("\n\n").unwrap() + 2;
        assert_eq!(tapped.load(Ordering::Relaxed), head_len + body_len);
    }

    #[tokio::test]
    async fn a_kill_stops_a_request_the_server_sits_on() {
        let (addr, mut accepted) = silent_server().await;
        let kill = CancellationToken::new();
        let spec = get(format!("http://{addr}/"));
        let (out, ()) = tokio::join!(call(&spec, kill.clone()), async {
            accepted.recv().await.unwrap();
            kill.cancel();
        });
        assert_eq!(out.termination, Termination::Killed);
        assert_eq!(out.exit_code, -1);
        assert_eq!(out.error.as_deref(), Some("killed"));
    }
}

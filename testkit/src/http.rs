//! A minimal HTTP/1.0 client for tests of the REST bridge: one request per connection, the
//! answer read to the end. Plain sockets, so what is tested is the wire, not a client
//! library's reading of it.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// An HTTP answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    /// Header names in lower case, with their values.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as JSON; panics with the body when it is not.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "answer {} is not JSON ({e}): {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends `method path` (with `body`, if any, as JSON) to `addr` and reads the whole answer.
/// Panics on an I/O error or an answer that is not HTTP: the server under test is local.
pub fn request(addr: SocketAddr, method: &str, path: &str, body: Option<&[u8]>) -> Answer {
    request_with(addr, method, path, &[], body)
}

/// [`request`] with extra request headers.
pub fn request_with(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Answer {
    let mut stream = TcpStream::connect(addr).expect("connect to the server");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("read timeout");
    let body = body.unwrap_or_default();
    let extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    let head = format!(
        "{method} {path} HTTP/1.0\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra}\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).expect("send the request");
    // A server may answer before it has read the whole body (a body over its limit) and
    // close the connection: its answer is still there to read.
    if let Err(e) = stream.write_all(body) {
        assert!(
            matches!(
                e.kind(),
                std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset
            ),
            "send the body: {e}"
        );
    }
    let mut raw = Vec::new();
    if let Err(e) = stream.read_to_end(&mut raw) {
        assert!(
            e.kind() == std::io::ErrorKind::ConnectionReset && !raw.is_empty(),
            "read the answer: {e}"
        );
    }
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no end of headers in {:?}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {head:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_owned()))
        .collect();
    Answer {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// The status of `method path` with `headers`, read from the status line alone: for
/// streams (server-sent events) that never end.
pub fn status_of(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)]) -> u16 {
    let mut stream = TcpStream::connect(addr).expect("connect to the server");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("read timeout");
    let extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    let head =
        format!("{method} {path} HTTP/1.0\r\nHost: {addr}\r\nContent-Length: 0\r\n{extra}\r\n");
    stream.write_all(head.as_bytes()).expect("send the request");
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while !line.ends_with(b"\r\n") {
        match stream.read(&mut byte).expect("read the status line") {
            0 => break,
            _ => line.push(byte[0]),
        }
    }
    let line = String::from_utf8_lossy(&line).into_owned();
    line.split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {line:?}"))
}

/// `GET path`.
pub fn get(addr: SocketAddr, path: &str) -> Answer {
    request(addr, "GET", path, None)
}

/// The head and the body of an HTTP/1.1 request once `data` holds all of it (the body as
/// long as its `Content-Length` says); `None` while more is to come. For the small servers
/// that tests run to see what a client sent.
pub fn whole_request(data: &[u8]) -> Option<(String, String)> {
    let text = String::from_utf8_lossy(data);
    let end = text.find("\r\n\r\n")?;
    let length = text[..end]
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())
                .flatten()
        })
        .unwrap_or(0);
    (data.len() >= end + 4 + length).then(|| (text[..end].to_owned(), text[end + 4..].to_owned()))
}

#[cfg(test)]
mod whole_request_tests {
    use super::whole_request;

    #[test]
    fn a_request_is_whole_once_its_body_is_as_long_as_it_says() {
        let head = "POST /h HTTP/1.1\r\nContent-Length: 4\r\n\r\n";
        assert_eq!(whole_request(head.as_bytes()), None);
        assert_eq!(whole_request(format!("{head}ab").as_bytes()), None);
        assert_eq!(
            whole_request(format!("{head}abcd").as_bytes()),
            Some((
                "POST /h HTTP/1.1\r\nContent-Length: 4".into(),
                "abcd".into()
            ))
        );
        assert_eq!(
            whole_request(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
            Some(("GET / HTTP/1.1\r\nHost: a".into(), String::new()))
        );
    }
}

//! What the tests' small loopback servers share: reading one whole request.

use tokio::io::AsyncReadExt;

/// The head and the body of the request on `conn`, read as far as its `Content-Length`
/// says (or to the end of the connection, when it is cut short: then the body is empty).
pub async fn read_request(conn: &mut tokio::net::TcpStream) -> (String, String) {
    let mut data = Vec::new();
    let mut buf = [0_u8; 4096];
    while let Ok(n) = conn.read(&mut buf).await {
        if n == 0 {
            break;
        }
        data.extend_from_slice(&buf[..n]);
        if let Some(whole) = testkit::http::whole_request(&data) {
            return whole;
        }
    }
    (String::from_utf8_lossy(&data).into_owned(), String::new())
}

//! A TCP proxy on loopback that a test can cut and restore, to cut one process off from a
//! server (etcd) while the server and everyone else go on.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Forwards every connection made to [`TcpProxy::addr`] to `upstream`, until cut.
#[derive(Debug)]
pub struct TcpProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
}

#[derive(Debug, Default)]
struct Shared {
    cut: AtomicBool,
    stopped: AtomicBool,
    /// Both ends of every forwarded connection, to shut them when cut.
    open: Mutex<Vec<TcpStream>>,
}

impl TcpProxy {
    /// Listens on a free loopback port and forwards to `upstream`.
    pub fn start(upstream: SocketAddr) -> TcpProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        let addr = listener.local_addr().expect("proxy address");
        let shared = Arc::new(Shared::default());
        let s = Arc::clone(&shared);
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if s.stopped.load(Ordering::Acquire) {
                    return;
                }
                let Ok(client) = conn else { continue };
                if s.cut.load(Ordering::Acquire) {
                    // Refused while cut: closed at once.
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(server) = TcpStream::connect(upstream) else {
                    continue;
                };
                let _ = client.set_nodelay(true);
                let _ = server.set_nodelay(true);
                if let (Ok(c), Ok(sv), Ok(mut open)) =
                    (client.try_clone(), server.try_clone(), s.open.lock())
                {
                    open.push(c);
                    open.push(sv);
                }
                pipe(&client, &server);
                pipe(&server, &client);
            }
        });
        TcpProxy { addr, shared }
    }

    /// Where clients connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Shuts every forwarded connection and refuses new ones until [`TcpProxy::restore`].
    pub fn cut(&self) {
        self.shared.cut.store(true, Ordering::Release);
        if let Ok(mut open) = self.shared.open.lock() {
            for s in open.drain(..) {
                let _ = s.shutdown(Shutdown::Both);
            }
        }
    }

    /// Forwards new connections again.
    pub fn restore(&self) {
        self.shared.cut.store(false, Ordering::Release);
    }
}

impl Drop for TcpProxy {
    fn drop(&mut self) {
        self.shared.stopped.store(true, Ordering::Release);
        self.cut();
        // Wakes the accept loop so it sees `stopped`.
        let _ = TcpStream::connect(self.addr);
    }
}

/// Copies `from` to `to` on a thread until either end closes.
fn pipe(from: &TcpStream, to: &TcpStream) {
    let (Ok(mut from), Ok(mut to)) = (from.try_clone(), to.try_clone()) else {
        return;
    };
    std::thread::spawn(move || {
        let mut buf = [0_u8; 16 * 1024];
        loop {
            match from.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if to.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            }
        }
        let _ = to.shutdown(Shutdown::Both);
        let _ = from.shutdown(Shutdown::Both);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwards_until_cut_and_again_once_restored() {
        let server = TcpListener::bind("127.0.0.1:0").expect("bind");
        let upstream = server.local_addr().expect("addr");
        std::thread::spawn(move || {
            for conn in server.incoming() {
                let Ok(mut c) = conn else { continue };
                std::thread::spawn(move || {
                    let mut buf = [0_u8; 64];
                    while let Ok(n) = c.read(&mut buf) {
                        if n == 0 || c.write_all(&buf[..n]).is_err() {
                            break;
                        }
                    }
                });
            }
        });
        let proxy = TcpProxy::start(upstream);
        let echo = |s: &mut TcpStream| -> std::io::Result<Vec<u8>> {
            s.write_all(b"ping")?;
            let mut got = [0_u8; 4];
            s.read_exact(&mut got)?;
            Ok(got.to_vec())
        };
        let mut conn = TcpStream::connect(proxy.addr()).expect("connect");
        assert_eq!(echo(&mut conn).expect("echo"), b"ping");
        proxy.cut();
        assert!(echo(&mut conn).is_err(), "a cut connection carries nothing");
        let mut refused = TcpStream::connect(proxy.addr()).expect("accepted, then closed");
        assert!(
            echo(&mut refused).is_err(),
            "a new connection is refused while cut"
        );
        proxy.restore();
        let mut again = TcpStream::connect(proxy.addr()).expect("connect again");
        assert_eq!(echo(&mut again).expect("echo"), b"ping");
    }
}

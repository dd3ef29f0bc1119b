//! TLS on the master's listener (rustls, through tonic): a certificate and key in PEM, and
//! optionally a CA whose client certificates callers must present (mutual TLS). Browsers,
//! `curl`, `schedctl` and workers all reach the same port over it; ALPN offers HTTP/2, which
//! each of them speaks.

use std::path::{Path, PathBuf};

use tonic::transport::{Certificate, Identity, ServerTlsConfig};

/// The files of the master's TLS settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// The master's certificate chain, PEM.
    pub cert: PathBuf,
    /// Its private key, PEM.
    pub key: PathBuf,
    /// When set, callers must present a client certificate signed by this CA.
    pub client_ca: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("reading {what} {path}: {source}")]
    Read {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{what} {path} holds no PEM {expected}")]
    NotPem {
        what: &'static str,
        path: PathBuf,
        expected: &'static str,
    },
}

fn read_pem(what: &'static str, path: &Path, expected: &'static str) -> Result<Vec<u8>, TlsError> {
    let bytes = std::fs::read(path).map_err(|source| TlsError::Read {
        what,
        path: path.to_owned(),
        source,
    })?;
    // A missing header means a DER file, or the wrong file: say so now rather than at the
    // first handshake. The key's content is never put in a message.
    let text = String::from_utf8_lossy(&bytes);
    if !text.contains("-----BEGIN ") || !text.contains(expected) {
        return Err(TlsError::NotPem {
            what,
            path: path.to_owned(),
            expected,
        });
    }
    Ok(bytes)
}

impl TlsFiles {
    /// The server's TLS settings, the files read and checked now.
    pub fn server_config(&self) -> Result<ServerTlsConfig, TlsError> {
        let cert = read_pem("the TLS certificate", &self.cert, "CERTIFICATE")?;
        let key = read_pem("the TLS key", &self.key, "PRIVATE KEY")?;
        let mut config = ServerTlsConfig::new().identity(Identity::from_pem(cert, key));
        if let Some(ca) = &self.client_ca {
            let ca = read_pem("the client CA", ca, "CERTIFICATE")?;
            config = config.client_ca_root(Certificate::from_pem(ca));
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_that_are_not_pem_are_named() {
        let dir = tempfile::tempdir().expect("tempdir");
        let der = dir.path().join("cert.der");
        std::fs::write(&der, [0x30, 0x82, 0x01]).expect("write");
        let files = TlsFiles {
            cert: der.clone(),
            key: der.clone(),
            client_ca: None,
        };
        let e = files.server_config().expect_err("not PEM").to_string();
        assert!(e.contains("cert.der") && e.contains("CERTIFICATE"), "{e}");
        let missing = TlsFiles {
            cert: dir.path().join("none.pem"),
            ..files
        };
        let e = missing.server_config().expect_err("missing").to_string();
        assert!(e.contains("none.pem"), "{e}");
    }
}

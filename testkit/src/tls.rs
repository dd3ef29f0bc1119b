//! Certificates for tests and benchmarks of TLS: a CA made on the spot, and a certificate it
//! signed for `localhost` and `127.0.0.1`, written as PEM files.

use std::path::{Path, PathBuf};

/// The PEM files [`TestTls::make`] writes.
#[derive(Debug, Clone)]
pub struct TestTls {
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl TestTls {
    /// Makes `ca.pem`, `cert.pem` and `key.pem` in `dir`.
    pub fn make(dir: &Path) -> TestTls {
        use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let ca =
            CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("key")).expect("CA");
        let key = KeyPair::generate().expect("key");
        let cert = CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .expect("params")
            .signed_by(&key, &ca)
            .expect("certificate");
        let tls = TestTls {
            ca: dir.join("ca.pem"),
            cert: dir.join("cert.pem"),
            key: dir.join("key.pem"),
        };
        std::fs::write(&tls.ca, ca.pem()).expect("write ca.pem");
        std::fs::write(&tls.cert, cert.pem()).expect("write cert.pem");
        std::fs::write(&tls.key, key.serialize_pem()).expect("write key.pem");
        tls
    }
}

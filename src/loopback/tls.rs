//! The REST API over TLS as `https://discord.com`, so a serenity client can keep its
//! ratelimiter on (serenity's ratelimiter ignores `HttpBuilder::proxy` and always sends to
//! `https://discord.com`, see [`super::ratelimit`]).
//!
//! The client side is a reqwest client that resolves `discord.com` to the loopback's TLS port
//! and trusts only the loopback's test CA ([`CA_PEM`]), never the public roots: such a client
//! cannot reach the real Discord even by mistake. The CA's private key was thrown away after
//! signing the one `discord.com` certificate served here, so trusting the CA trusts nothing else.
//! Both certificates are valid until 2126.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::http::Accept;

/// The loopback's test CA (PEM). Trust it only in clients meant for the loopback.
pub const CA_PEM: &str = include_str!("tls/ca.pem");
/// The `discord.com` server certificate, signed by [`CA_PEM`].
const SERVER_CERT_PEM: &str = include_str!("tls/discord.com.pem");
/// Its private key (PKCS#8). Public on purpose: it only ever guards a test server on loopback.
const SERVER_KEY_PEM: &str = include_str!("tls/discord.com.key");

/// Accepts TLS on the API's second port (the handshake runs in the connection's own task).
pub(crate) struct TlsAccept(TlsAcceptor);

impl TlsAccept {
    pub fn new() -> Result<Self, String> {
        let certs = CertificateDer::pem_slice_iter(SERVER_CERT_PEM.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("server certificate: {e}"))?;
        let key = PrivateKeyDer::from_pem_slice(SERVER_KEY_PEM.as_bytes())
            .map_err(|e| format!("server key: {e}"))?;
        // ring, the provider reqwest (and so serenity) already uses, named explicitly so the
        // process-wide default provider does not matter.
        let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .map_err(|e| e.to_string())?;
        Ok(Self(TlsAcceptor::from(Arc::new(config))))
    }
}

impl Accept for TlsAccept {
    type Io = tokio_rustls::server::TlsStream<TcpStream>;
    fn accept(
        &self,
        stream: TcpStream,
    ) -> impl Future<Output = std::io::Result<Self::Io>> + Send + 'static {
        self.0.accept(stream)
    }
}

/// A reqwest client for which `https://discord.com` is the loopback at `tls_addr`: DNS for
/// `discord.com` resolves there, and only the loopback's CA is trusted.
pub fn discord_client(tls_addr: SocketAddr) -> reqwest::Client {
    let ca = reqwest::Certificate::from_pem(CA_PEM.as_bytes()).expect("the embedded CA parses");
    reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .add_root_certificate(ca)
        .resolve("discord.com", tls_addr)
        .build()
        .expect("a reqwest client with the loopback CA")
}

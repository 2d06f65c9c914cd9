//! A relay that answers as `https://discord.com` on loopback and forwards every request to a
//! Discord-compatible server at another base URL, so a serenity client can reach that server
//! with its ratelimiter ON.
//!
//! Why: serenity 0.12.5's ratelimiter builds every request with `proxy = None`
//! (`Ratelimiter::perform`, `src/http/ratelimiting.rs` line 199:
//! `req.clone().build(&self.client, self.token.expose_secret(), None)`), so
//! `HttpBuilder::proxy` only works with the ratelimiter disabled — and then Discord's
//! `X-RateLimit-*` headers and `Retry-After` are read by nobody. Through the relay the client
//! keeps sending to `https://discord.com` as in production: its reqwest client
//! ([`super::discord_client`]) resolves `discord.com` to the relay and trusts only the loopback
//! CA, whose `discord.com` certificate the relay serves (the scheme stays https, so the relay
//! must speak TLS).
//!
//! The relay changes nothing: method, path and query, headers (`Authorization`,
//! `X-Audit-Log-Reason`, content type and length, ...) and the body (streamed, multipart
//! included) go upstream as they came, to `{api_base}{path}?{query}` — the very URL
//! `HttpBuilder::proxy(api_base)` would have used. Status, headers (`X-RateLimit-*`,
//! `Retry-After`, ...) and body come back the same way. Only what HTTP defines as belonging to
//! one connection (`Host`, `Connection`, `Transfer-Encoding`, ...) is left to each side.
//! Redirects are handed back, not followed. The gateway needs nothing: serenity connects to the
//! URL that `GET /gateway` answers, which the relay passes on untouched.
//!
//! An upstream that cannot be reached (or breaks off) gives a 502 with a Discord-style JSON
//! body, which serenity reports as an unsuccessful 5xx request: a transient failure for the
//! caller, as a connection error would be.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use hyper::body::Incoming;
use hyper::header::{self, HeaderMap, HeaderName};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::http;
use super::tls::TlsAccept;

/// The running relay. It stops on [`Relay::shutdown`] or when dropped.
pub struct Relay {
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    /// The accept loop (taken by [`Relay::shutdown`] to wait for its end).
    accepting: Option<JoinHandle<()>>,
}

/// Where requests go, and the client that sends them.
struct Upstream {
    /// The base URL without a trailing `/`, e.g. `http://127.0.0.1:3000` or `https://host/x`.
    base: String,
    client: reqwest::Client,
}

impl Relay {
    /// Binds `127.0.0.1:0` and relays to `api_base` (an `http://` or `https://` URL, as given
    /// to `HttpBuilder::proxy`).
    pub async fn start(api_base: &str) -> std::io::Result<Relay> {
        let invalid = |why: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, why);
        let url = reqwest::Url::parse(api_base.trim())
            .map_err(|e| invalid(format!("api_base {api_base:?}: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(invalid(format!(
                "api_base {api_base:?}: not an http:// or https:// URL"
            )));
        }
        let client = reqwest::Client::builder()
            .use_rustls_tls()
            // The client (serenity) sees the upstream's answer itself, redirects included.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(std::io::Error::other)?;
        let upstream = Arc::new(Upstream {
            base: api_base.trim().trim_end_matches('/').to_owned(),
            client,
        });
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let tls = TlsAccept::new().map_err(std::io::Error::other)?;
        let (shutdown, shutdown_rx) = watch::channel(false);
        let accepting = tokio::spawn(http::accept_loop(
            listener,
            tls,
            shutdown_rx,
            move |io, shutdown| {
                let upstream = upstream.clone();
                let service = service_fn(move |req| {
                    let upstream = upstream.clone();
                    async move { Ok::<_, Infallible>(forward(&upstream, req).await) }
                });
                http::serve_connection(io, service, std::future::pending(), shutdown)
            },
        ));
        tracing::info!(%addr, to = api_base, "discord.com relay started");
        Ok(Relay {
            addr,
            shutdown,
            accepting: Some(accepting),
        })
    }

    /// Where the relay listens (TLS as `discord.com`): hand it to [`super::discord_client`].
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A reqwest client for which `https://discord.com` is this relay.
    pub fn client(&self) -> reqwest::Client {
        super::discord_client(self.addr)
    }

    /// Stops accepting and waits until no new connection can come; open connections finish
    /// the request in flight (within a second), then close.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(accepting) = self.accepting.take() {
            let _ = accepting.await;
        }
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

/// Sends `req` upstream and hands back the answer; 502 if there is none.
async fn forward(upstream: &Upstream, req: Request<Incoming>) -> Response<reqwest::Body> {
    let (parts, body) = req.into_parts();
    let target = format!(
        "{}{}",
        upstream.base,
        parts.uri.path_and_query().map_or("/", |p| p.as_str())
    );
    let mut headers = parts.headers;
    strip_connection_headers(&mut headers);
    // reqwest sets the upstream's own Host from the target URL.
    headers.remove(header::HOST);
    let sent = upstream
        .client
        .request(parts.method.clone(), &target)
        .headers(headers)
        .body(reqwest::Body::wrap(body))
        .send()
        .await;
    match sent {
        Ok(answer) => {
            let mut response = Response::from(answer);
            strip_connection_headers(response.headers_mut());
            response
        }
        Err(e) => {
            tracing::warn!(error = %e, method = %parts.method, %target, "relay: upstream unreachable");
            let body = serde_json::json!({
                "message": format!("relay: upstream unreachable: {e}"),
                "code": 0,
            });
            let mut response = Response::new(reqwest::Body::from(body.to_string()));
            *response.status_mut() = StatusCode::BAD_GATEWAY;
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                header::HeaderValue::from_static("application/json"),
            );
            response
        }
    }
}

/// Removes the headers that describe one connection rather than the message (RFC 9110 §7.6.1:
/// a proxy must not forward them): those named in `Connection`, and the ones listed there.
/// hyper and reqwest frame each side themselves (keep-alive, chunking).
fn strip_connection_headers(headers: &mut HeaderMap) {
    let named: Vec<HeaderName> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|name| HeaderName::from_bytes(name.trim().as_bytes()).ok())
        .collect();
    for name in named {
        headers.remove(name);
    }
    for name in [
        header::CONNECTION,
        header::TE,
        header::TRANSFER_ENCODING,
        header::UPGRADE,
    ] {
        headers.remove(name);
    }
    headers.remove("keep-alive");
    headers.remove("proxy-connection");
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::loopback::http::{HttpRequest, Outcome, PlainAccept};

    /// A plain-HTTP upstream that records each request and answers a 429 the way Discord does.
    async fn upstream() -> (String, Arc<Mutex<Vec<HttpRequest>>>, watch::Sender<bool>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        let handler: http::Handler = Arc::new(move |req: HttpRequest| {
            record.lock().unwrap().push(req);
            Outcome::Respond {
                status: 429,
                headers: vec![
                    ("x-ratelimit-limit".into(), "5".into()),
                    ("x-ratelimit-remaining".into(), "0".into()),
                    ("x-ratelimit-reset-after".into(), "2.500".into()),
                    ("x-ratelimit-bucket".into(), "abcd1234".into()),
                    ("x-ratelimit-scope".into(), "user".into()),
                    ("retry-after".into(), "3".into()),
                    ("via".into(), "upstream".into()),
                ],
                body: br#"{"message": "You are being rate limited.", "retry_after": 2.5, "global": false}"#
                    .to_vec(),
            }
        });
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(http::serve(listener, PlainAccept, handler, stopped));
        (base, seen, stop)
    }

    /// A multipart body as serenity sends an attachment: JSON part, then a binary file.
    fn multipart(boundary: &str) -> Vec<u8> {
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"payload_json\"\r\n\
             Content-Type: application/json\r\n\r\n{{\"content\":\"hi\"}}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"files[0]\"; \
             filename=\"a.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend((0..=255u8).cycle().take(70_000));
        body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
        body
    }

    #[tokio::test]
    async fn request_and_answer_pass_unchanged() {
        let (base, seen, _stop) = upstream().await;
        // A base with a trailing slash, as an operator may write it.
        let relay = Relay::start(&format!("{base}/")).await.unwrap();
        let body = multipart("XyZ");
        let answer = relay
            .client()
            .post("https://discord.com/api/v10/channels/7/messages?&a=1&b=%C3%A4")
            .header("authorization", "Bot secret.token")
            .header("x-audit-log-reason", "Grund%20%C3%A4")
            .header("content-type", "multipart/form-data; boundary=XyZ")
            .header("user-agent", "DiscordBot (test)")
            // A header the sender marks as belonging to its connection only.
            .header("connection", "x-hop")
            .header("x-hop", "1")
            .body(body.clone())
            .send()
            .await
            .unwrap();

        assert_eq!(answer.status(), 429);
        let header = |name: &str| answer.headers().get(name).map(|v| v.to_str().unwrap());
        for (name, value) in [
            ("x-ratelimit-limit", "5"),
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset-after", "2.500"),
            ("x-ratelimit-bucket", "abcd1234"),
            ("x-ratelimit-scope", "user"),
            ("retry-after", "3"),
            ("via", "upstream"),
            ("content-type", "application/json"),
        ] {
            assert_eq!(header(name), Some(value), "{name}");
        }
        let text = answer.text().await.unwrap();
        assert_eq!(
            text,
            r#"{"message": "You are being rate limited.", "retry_after": 2.5, "global": false}"#
        );

        let req = seen
            .lock()
            .unwrap()
            .pop()
            .expect("the upstream saw the request");
        assert_eq!(req.method, "POST");
        assert_eq!(req.path, "/api/v10/channels/7/messages");
        assert_eq!(req.query, "&a=1&b=%C3%A4");
        assert_eq!(req.header("authorization"), Some("Bot secret.token"));
        assert_eq!(req.header("x-audit-log-reason"), Some("Grund%20%C3%A4"));
        assert_eq!(
            req.header("content-type"),
            Some("multipart/form-data; boundary=XyZ")
        );
        assert_eq!(req.header("user-agent"), Some("DiscordBot (test)"));
        let length = body.len().to_string();
        assert_eq!(req.header("content-length"), Some(length.as_str()));
        assert_eq!(req.header("host"), Some(&base["http://".len()..]));
        assert_eq!(req.header("x-hop"), None, "connection-only headers stay");
        assert_eq!(req.body, body, "the body arrives byte for byte");
        relay.shutdown().await;
    }

    #[tokio::test]
    async fn a_streamed_body_is_streamed_on() {
        let (base, seen, _stop) = upstream().await;
        let relay = Relay::start(&base).await.unwrap();
        let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![
            Ok(b"first ".to_vec()),
            Ok(vec![0xff; 40_000]),
            Ok(b" last".to_vec()),
        ];
        let answer = relay
            .client()
            .put("https://discord.com/api/v10/x")
            .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
                chunks,
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 429);
        let req = seen.lock().unwrap().pop().unwrap();
        assert_eq!(req.method, "PUT");
        assert_eq!(req.body.len(), 6 + 40_000 + 5);
        assert!(req.body.starts_with(b"first ") && req.body.ends_with(b" last"));
        relay.shutdown().await;
    }

    #[tokio::test]
    async fn an_unreachable_upstream_answers_502_in_discords_shape() {
        let gone = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", gone.local_addr().unwrap());
        drop(gone);
        let relay = Relay::start(&base).await.unwrap();
        let answer = relay
            .client()
            .get("https://discord.com/api/v10/gateway/bot")
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 502);
        let body: serde_json::Value =
            serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
        assert_eq!(body["code"], 0);
        assert!(body["message"].as_str().unwrap().contains("unreachable"));
        relay.shutdown().await;
    }

    #[tokio::test]
    async fn only_http_and_https_bases_are_taken() {
        for bad in ["", "not a url", "ftp://example.com", "unix:/tmp/x"] {
            let e = Relay::start(bad).await.err().expect(bad);
            assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput, "{bad}");
        }
    }

    #[tokio::test]
    async fn after_shutdown_nothing_listens() {
        let (base, _seen, _stop) = upstream().await;
        let relay = Relay::start(&base).await.unwrap();
        let addr = relay.addr();
        relay.shutdown().await;
        assert!(tokio::net::TcpStream::connect(addr).await.is_err());
    }
}

//! The HTTP/1.1 server under the loopback REST API, on hyper.
//!
//! Each accepted socket (made ready by an [`Accept`]: plain TCP as is, or after a handshake) is
//! served by its own `hyper::server::conn::http1` connection with keep-alive, because reqwest
//! (inside serenity) reuses connections. The request body is read whole, then handed to the
//! synchronous [`Handler`], which answers an [`Outcome`]. The accept loop and the connection
//! driver also serve other hyper services ([`accept_loop`], [`serve_connection`]): the relay
//! (`super::relay`) streams requests on to another server with them.
//!
//! [`Outcome::Drop`] (failure injection: a connection that dies without an answer) is not
//! something hyper offers: the service parks the request forever and signals the connection
//! task, which then drops the hyper connection future. Dropping it closes the socket with no
//! byte of the response written, so the client really sees a connection closed before any
//! response (as with a crashed proxy), not an error status.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Body, Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::{HttpService, service_fn};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};

/// Largest request body accepted; larger ones get a 413 before the handler sees them. Discord's
/// own upload cap (checked by the routes, see `LoopbackConfig::attachment_size_limit`) is lower.
const MAX_BODY: usize = 32 * 1024 * 1024;

/// How long a connection may take to finish its request in flight after shutdown.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);

/// A parsed HTTP request.
#[derive(Debug, Clone)]
pub(crate) struct HttpRequest {
    pub method: String,
    /// Path without the query string, still percent-encoded.
    pub path: String,
    /// Raw query string without `?` (may start with `&`, as serenity builds it).
    pub query: String,
    /// Header names are lowercased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the handler wants done with a request.
pub(crate) enum Outcome {
    Respond {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Close the socket without answering (failure injection).
    Drop,
    /// This outcome, after a while (failure injection: a slow answer).
    Later(Duration, Box<Outcome>),
}

pub(crate) type Handler = Arc<dyn Fn(HttpRequest) -> Outcome + Send + Sync>;

/// Resolves once shutdown was requested (or the sender is gone). Wrapped so the non-`Send`
/// watch guard never lives across an await in the caller.
pub(crate) async fn stopped(rx: &mut watch::Receiver<bool>) {
    let _ = rx.wait_for(|v| *v).await;
}

/// How accepted sockets become the byte stream hyper reads (plain, or a TLS handshake first).
pub(crate) trait Accept: Send + Sync + 'static {
    type Io: AsyncRead + AsyncWrite + Unpin + Send + 'static;
    fn accept(
        &self,
        stream: TcpStream,
    ) -> impl Future<Output = std::io::Result<Self::Io>> + Send + 'static;
}

/// Plain HTTP: the socket as is.
pub(crate) struct PlainAccept;

impl Accept for PlainAccept {
    type Io = TcpStream;
    fn accept(
        &self,
        stream: TcpStream,
    ) -> impl Future<Output = std::io::Result<TcpStream>> + Send + 'static {
        std::future::ready(Ok(stream))
    }
}

/// Serves the REST API with `handler` on every connection until `shutdown` turns true.
pub(crate) async fn serve<A: Accept>(
    listener: TcpListener,
    acceptor: A,
    handler: Handler,
    shutdown: watch::Receiver<bool>,
) {
    accept_loop(listener, acceptor, shutdown, move |io, shutdown| {
        connection(io, handler.clone(), shutdown)
    })
    .await;
}

/// Accepts connections until `shutdown` turns true; each accepted socket is made ready by
/// `acceptor` and then served by `serve_io` in a task of its own.
pub(crate) async fn accept_loop<A, S, F>(
    listener: TcpListener,
    acceptor: A,
    shutdown: watch::Receiver<bool>,
    serve_io: S,
) where
    A: Accept,
    S: Fn(A::Io, watch::Receiver<bool>) -> F + Send + Sync + 'static,
    F: Future<Output = ()> + Send + 'static,
{
    let acceptor = Arc::new(acceptor);
    let serve_io = Arc::new(serve_io);
    loop {
        let mut sd = shutdown.clone();
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    // A response is often written in two parts (head, body) and a dispatch is a
                    // small frame: with Nagle's algorithm the second waits for the client's
                    // delayed ACK (up to 40 ms on Linux).
                    let _ = stream.set_nodelay(true);
                    let (acceptor, serve_io, shutdown) =
                        (acceptor.clone(), serve_io.clone(), shutdown.clone());
                    tokio::spawn(async move {
                        match acceptor.accept(stream).await {
                            Ok(io) => serve_io(io, shutdown).await,
                            Err(e) => tracing::warn!(error = %e, "loopback http: handshake failed"),
                        }
                    });
                }
                Err(e) => {
                    tracing::warn!(error = %e, "loopback http accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            () = stopped(&mut sd) => return,
        }
    }
}

/// Serves one connection until the client closes it, a handler drops it, or shutdown.
async fn connection<I>(io: I, handler: Handler, shutdown: watch::Receiver<bool>)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    // Set by a request whose outcome is `Drop`; that request's service future never resolves.
    let abort = Arc::new(Notify::new());
    let service_abort = abort.clone();
    let service = service_fn(move |req: Request<Incoming>| {
        let (handler, abort) = (handler.clone(), service_abort.clone());
        async move { Ok::<_, Infallible>(respond(req, &handler, &abort).await) }
    });
    // Leaving on `abort` drops the hyper connection, and with it the socket: nothing was
    // written for the parked request.
    serve_connection(io, service, abort.notified(), shutdown).await;
}

/// Serves one HTTP/1.1 connection (keep-alive) with `service` until the client closes it,
/// `abort` resolves (the socket is then dropped as is), or shutdown (requests in flight get
/// [`SHUTDOWN_GRACE`] to finish).
pub(crate) async fn serve_connection<I, S, B>(
    io: I,
    service: S,
    abort: impl Future<Output = ()>,
    mut shutdown: watch::Receiver<bool>,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    S: HttpService<Incoming, ResBody = B>,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    B: Body + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let conn = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(io), service);
    tokio::pin!(conn);
    tokio::select! {
        res = conn.as_mut() => {
            if let Err(e) = res {
                tracing::debug!(error = %e, "loopback http connection ended");
            }
        }
        () = abort => {}
        () = stopped(&mut shutdown) => {
            conn.as_mut().graceful_shutdown();
            let _ = tokio::time::timeout(SHUTDOWN_GRACE, conn).await;
        }
    }
}

/// Reads the body, runs the handler and builds the response (after the wait of a `Later`);
/// parks forever on `Drop`.
async fn respond(
    req: Request<Incoming>,
    handler: &Handler,
    abort: &Notify,
) -> Response<Full<Bytes>> {
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes().to_vec(),
        Err(e) => {
            tracing::warn!(error = %e, "loopback http: unreadable or oversized body");
            let too_large = e
                .downcast_ref::<http_body_util::LengthLimitError>()
                .is_some();
            let (status, message) = if too_large {
                (413, "Request entity too large")
            } else {
                (400, "400: Bad Request")
            };
            let body = serde_json::json!({"message": message, "code": 0}).to_string();
            return build(
                status,
                &[("connection".into(), "close".into())],
                body.into_bytes(),
            );
        }
    };
    let request = HttpRequest {
        method: parts.method.as_str().to_ascii_uppercase(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().unwrap_or("").to_owned(),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| {
                let value = String::from_utf8_lossy(v.as_bytes()).into_owned();
                (k.as_str().to_ascii_lowercase(), value)
            })
            .collect(),
        body,
    };
    // The handler only touches in-memory state under a short std mutex: no await inside.
    let mut outcome = handler(request);
    loop {
        match outcome {
            Outcome::Respond {
                status,
                headers,
                body,
            } => return build(status, &headers, body),
            Outcome::Drop => {
                abort.notify_one();
                return std::future::pending().await;
            }
            Outcome::Later(wait, then) => {
                tokio::time::sleep(wait).await;
                outcome = *then;
            }
        }
    }
}

fn build(status: u16, headers: &[(String, String)], body: Vec<u8>) -> Response<Full<Bytes>> {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let no_body = status == StatusCode::NO_CONTENT;
    let mut builder = Response::builder().status(status);
    if !no_body && !headers.iter().any(|(k, _)| k == "content-type") {
        builder = builder.header("content-type", "application/json");
    }
    for (k, v) in headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    let body = if no_body { Vec::new() } else { body };
    builder
        .body(Full::new(Bytes::from(body)))
        .unwrap_or_else(|e| {
            // Only a handler-made header can be invalid; answer instead of panicking the task.
            tracing::warn!(error = %e, "loopback http: invalid response header");
            let mut r = Response::new(Full::new(Bytes::new()));
            *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            r
        })
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    /// Serves `handler` on a fresh port; returns its address and the shutdown switch.
    async fn start(handler: Handler) -> (std::net::SocketAddr, watch::Sender<bool>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (tx, rx) = watch::channel(false);
        tokio::spawn(serve(listener, PlainAccept, handler, rx));
        (addr, tx)
    }

    /// Answers 200 with `METHOD path?query body` as the body; `/drop` drops the connection.
    fn echo() -> Handler {
        Arc::new(|req: HttpRequest| {
            if req.path == "/drop" {
                return Outcome::Drop;
            }
            let body = format!(
                "{} {}?{} {}",
                req.method,
                req.path,
                req.query,
                String::from_utf8_lossy(&req.body)
            );
            Outcome::Respond {
                status: 200,
                headers: vec![("x-test".into(), "1".into())],
                body: body.into_bytes(),
            }
        })
    }

    /// Reads until the peer closes; panics if it does not within 5 s.
    async fn read_all(s: &mut TcpStream) -> String {
        let mut out = Vec::new();
        tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut out))
            .await
            .expect("the server closed the connection")
            .expect("read");
        String::from_utf8_lossy(&out).into_owned()
    }

    #[tokio::test]
    async fn keep_alive_requests_with_chunked_and_absolute_form_targets() {
        let (addr, _stop) = start(echo()).await;
        let mut s = TcpStream::connect(addr).await.unwrap();
        let raw = b"POST /api/v10/x?&a=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}\
PUT http://h/z HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n\
GET /y HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
        s.write_all(raw).await.unwrap();
        let text = read_all(&mut s).await;
        // Three answers on one connection, in order, then the close the last request asked for.
        assert_eq!(text.matches("HTTP/1.1 200 OK").count(), 3, "{text}");
        let a = text.find("POST /api/v10/x?&a=1 {}").expect("first");
        let b = text.find("PUT /z? abcde").expect("second");
        let c = text.find("GET /y? ").expect("third");
        assert!(a < b && b < c, "{text}");
        assert!(text.contains("x-test: 1"));
        assert!(text.contains("content-type: application/json"));
    }

    #[tokio::test]
    async fn garbage_gets_400_and_a_close() {
        let (addr, _stop) = start(echo()).await;
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"nonsense\r\n\r\n").await.unwrap();
        let text = read_all(&mut s).await;
        assert!(text.starts_with("HTTP/1.1 400"), "{text}");
    }

    #[tokio::test]
    async fn drop_closes_without_a_byte_and_other_connections_go_on() {
        let (addr, _stop) = start(echo()).await;
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /drop HTTP/1.1\r\nHost: h\r\n\r\n")
            .await
            .unwrap();
        assert_eq!(
            read_all(&mut s).await,
            "",
            "a dropped request gets no answer"
        );
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /ok HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        assert!(read_all(&mut s).await.starts_with("HTTP/1.1 200"));
    }

    #[tokio::test]
    async fn shutdown_closes_idle_keep_alive_connections() {
        let (addr, stop) = start(echo()).await;
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET /a HTTP/1.1\r\nHost: h\r\n\r\n")
            .await
            .unwrap();
        let mut buf = [0u8; 12];
        s.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"HTTP/1.1 200");
        stop.send(true).unwrap();
        // The connection is idle: shutdown ends it, so the read reaches EOF.
        let rest = read_all(&mut s).await;
        assert!(rest.contains("GET /a?"), "{rest}");
    }
}

//! A tiny HTTP/1.1 server for the loopback REST API.
//!
//! reqwest (inside serenity) keeps connections alive, so each connection serves requests in a
//! loop. Request bodies come with `Content-Length` or `Transfer-Encoding: chunked`; responses
//! always carry `Content-Length` (none for 204). Malformed requests get a 400 and the
//! connection is closed; nothing on this path may panic the server task.

use std::sync::Arc;

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// Largest request head (request line + headers) accepted.
const MAX_HEAD: usize = 64 * 1024;
/// Largest request body accepted (Discord's own upload cap is far lower for bots).
const MAX_BODY: usize = 32 * 1024 * 1024;

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
}

pub(crate) type Handler = Arc<dyn Fn(HttpRequest) -> Outcome + Send + Sync>;

/// Resolves once shutdown was requested (or the sender is gone). Wrapped so the non-`Send`
/// watch guard never lives across an await in the caller.
pub(crate) async fn stopped(rx: &mut watch::Receiver<bool>) {
    let _ = rx.wait_for(|v| *v).await;
}

/// Accepts connections until `shutdown` turns true.
pub(crate) async fn serve(
    listener: TcpListener,
    handler: Handler,
    shutdown: watch::Receiver<bool>,
) {
    loop {
        let mut sd = shutdown.clone();
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let handler = handler.clone();
                    tokio::spawn(connection(stream, handler, shutdown.clone()));
                }
                Err(e) => {
                    tracing::warn!(error = %e, "loopback http accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
            },
            () = stopped(&mut sd) => return,
        }
    }
}

async fn connection(stream: TcpStream, handler: Handler, mut shutdown: watch::Receiver<bool>) {
    let _ = stream.set_nodelay(true);
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::new(r);
    loop {
        let req = tokio::select! {
            req = read_request(&mut r) => req,
            () = stopped(&mut shutdown) => return,
        };
        let req = match req {
            Ok(Some(req)) => req,
            Ok(None) => return, // clean EOF between requests
            Err(e) => {
                tracing::warn!(error = %e, "loopback http: bad request");
                let body =
                    serde_json::json!({"message": format!("400: Bad Request ({e})"), "code": 0});
                let _ = write_response(&mut w, 400, &[], body.to_string().as_bytes(), true).await;
                return;
            }
        };
        let close = req
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        // The handler only touches in-memory state under a short std mutex: no await inside.
        match handler(req) {
            Outcome::Respond {
                status,
                headers,
                body,
            } => {
                if write_response(&mut w, status, &headers, &body, close)
                    .await
                    .is_err()
                    || close
                {
                    return;
                }
            }
            Outcome::Drop => return,
        }
    }
}

async fn read_line_limited<R: AsyncBufRead + Unpin>(
    r: &mut R,
    budget: &mut usize,
) -> Result<Option<String>, String> {
    let mut buf = Vec::new();
    let n = r
        .take(*budget as u64 + 1)
        .read_until(b'\n', &mut buf)
        .await
        .map_err(|e| e.to_string())?;
    if n == 0 {
        return Ok(None);
    }
    if n > *budget {
        return Err("request head too large".into());
    }
    *budget -= n;
    let line = String::from_utf8(buf).map_err(|_| "non UTF-8 header".to_string())?;
    Ok(Some(line.trim_end_matches(['\r', '\n']).to_owned()))
}

/// Reads one request; `Ok(None)` on EOF before any byte of a new request.
pub(crate) async fn read_request<R: AsyncBufRead + Unpin>(
    r: &mut R,
) -> Result<Option<HttpRequest>, String> {
    let mut budget = MAX_HEAD;
    // Tolerate stray empty lines between requests (RFC 9112 §2.2).
    let request_line = loop {
        match read_line_limited(r, &mut budget).await? {
            None => return Ok(None),
            Some(l) if l.is_empty() => continue,
            Some(l) => break l,
        }
    };
    let mut parts = request_line.split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(format!("malformed request line {request_line:?}"));
    };
    if !version.starts_with("HTTP/1.") {
        return Err(format!("unsupported version {version}"));
    }
    let mut headers = Vec::new();
    loop {
        let Some(line) = read_line_limited(r, &mut budget).await? else {
            return Err("EOF inside headers".into());
        };
        if line.is_empty() {
            break;
        }
        let Some((k, v)) = line.split_once(':') else {
            return Err(format!("malformed header {line:?}"));
        };
        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
    }
    let find = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let body =
        if find("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked")) {
            read_chunked(r).await?
        } else if let Some(len) = find("content-length") {
            let len: usize = len
                .parse()
                .map_err(|_| format!("bad content-length {len:?}"))?;
            if len > MAX_BODY {
                return Err("body too large".into());
            }
            let mut body = vec![0; len];
            r.read_exact(&mut body).await.map_err(|e| e.to_string())?;
            body
        } else {
            Vec::new()
        };
    // Absolute-form targets ("http://host/path") are legal too; keep only the path.
    let target = match target.find("://") {
        Some(i) => {
            let rest = &target[i + 3..];
            rest.find('/').map_or("/", |j| &rest[j..])
        }
        None => target,
    };
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), q.to_owned()),
        None => (target.to_owned(), String::new()),
    };
    Ok(Some(HttpRequest {
        method: method.to_ascii_uppercase(),
        path,
        query,
        headers,
        body,
    }))
}

async fn read_chunked<R: AsyncBufRead + Unpin>(r: &mut R) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        let mut budget = 1024;
        let Some(line) = read_line_limited(r, &mut budget).await? else {
            return Err("EOF in chunked body".into());
        };
        let size_hex = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_hex, 16)
            .map_err(|_| format!("bad chunk size {size_hex:?}"))?;
        if size == 0 {
            // Trailers until an empty line.
            loop {
                let mut budget = MAX_HEAD;
                match read_line_limited(r, &mut budget).await? {
                    None => return Ok(body),
                    Some(l) if l.is_empty() => return Ok(body),
                    Some(_) => {}
                }
            }
        }
        if body.len() + size > MAX_BODY {
            return Err("body too large".into());
        }
        let start = body.len();
        body.resize(start + size, 0);
        r.read_exact(&mut body[start..])
            .await
            .map_err(|e| e.to_string())?;
        let mut crlf = [0u8; 2];
        r.read_exact(&mut crlf).await.map_err(|e| e.to_string())?;
        if &crlf != b"\r\n" {
            return Err("missing CRLF after chunk".into());
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => "Unknown",
    }
}

async fn write_response<W: AsyncWriteExt + Unpin>(
    w: &mut W,
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    close: bool,
) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    if status != 204 {
        head.push_str("content-type: application/json\r\n");
        head.push_str(&format!("content-length: {}\r\n", body.len()));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(if close {
        "connection: close\r\n\r\n"
    } else {
        "connection: keep-alive\r\n\r\n"
    });
    let mut out = head.into_bytes();
    if status != 204 {
        out.extend_from_slice(body);
    }
    w.write_all(&out).await?;
    w.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn parses_keep_alive_requests_and_chunked_bodies() {
        let raw: &[u8] = b"POST /api/v10/x?&a=1 HTTP/1.1\r\nContent-Length: 2\r\nHost: h\r\n\r\n{}\
GET /api/v10/y HTTP/1.1\r\n\r\n\
PUT /z HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n";
        let mut r = BufReader::new(raw);
        let a = read_request(&mut r).await.unwrap().unwrap();
        assert_eq!(
            (a.method.as_str(), a.path.as_str(), a.query.as_str()),
            ("POST", "/api/v10/x", "&a=1")
        );
        assert_eq!(a.body, b"{}");
        assert_eq!(a.header("host"), Some("h"));
        let b = read_request(&mut r).await.unwrap().unwrap();
        assert_eq!(b.path, "/api/v10/y");
        assert!(b.body.is_empty());
        let c = read_request(&mut r).await.unwrap().unwrap();
        assert_eq!(c.body, b"abcde");
        assert!(read_request(&mut r).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn rejects_garbage() {
        let mut r = BufReader::new(&b"nonsense\r\n\r\n"[..]);
        assert!(read_request(&mut r).await.is_err());
        let mut r = BufReader::new(&b"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n"[..]);
        assert!(read_request(&mut r).await.is_err());
    }
}

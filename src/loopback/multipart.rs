//! `multipart/form-data` bodies as Discord takes them for messages with files: a
//! `payload_json` part with the JSON body and `files[n]` parts with the uploads (RFC 7578).
//!
//! Parsed on bytes (files are binary), for the forms reqwest writes: quoted parameters with
//! backslash escapes, or `name*=utf-8''…` when the field name needed percent-encoding.

/// One part of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Part {
    /// The field name, e.g. `payload_json` or `files[0]`.
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

/// The boundary of a `multipart/form-data` content type.
fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (k, v) = param.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("boundary")).then(|| v.trim().trim_matches('"').to_owned())
    })
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// Splits a form into its parts.
pub(crate) fn parse(content_type: &str, body: &[u8]) -> Result<Vec<Part>, String> {
    let boundary = boundary(content_type).ok_or("multipart without a boundary")?;
    // Every delimiter but the first is preceded by CRLF; prefixing one makes them all alike.
    let mut data = Vec::with_capacity(body.len() + 2);
    data.extend_from_slice(b"\r\n");
    data.extend_from_slice(body);
    let delim = format!("\r\n--{boundary}").into_bytes();
    let mut at = find(&data, &delim, 0).ok_or("no multipart boundary in the body")? + delim.len();
    let mut parts = Vec::new();
    loop {
        if data[at..].starts_with(b"--") {
            return Ok(parts); // the close delimiter
        }
        // Transport padding, then CRLF, then the part's headers.
        let head_start = find(&data, b"\r\n", at).ok_or("truncated multipart")? + 2;
        let head_end =
            find(&data, b"\r\n\r\n", head_start - 2).ok_or("multipart part without headers")?;
        let next =
            find(&data, &delim, head_end + 4).ok_or("multipart without a close delimiter")?;
        // A part without headers has its blank line right at `head_start - 2`.
        let head = String::from_utf8_lossy(data.get(head_start..head_end).unwrap_or_default());
        parts.push(part(&head, data[head_end + 4..next].to_vec())?);
        at = next + delim.len();
    }
}

fn part(head: &str, data: Vec<u8>) -> Result<Part, String> {
    let mut name = None;
    let mut filename = None;
    let mut content_type = None;
    for line in head.split("\r\n").filter(|l| !l.is_empty()) {
        let Some((key, value)) = line.split_once(':') else {
            return Err(format!("malformed part header {line:?}"));
        };
        match key.trim().to_ascii_lowercase().as_str() {
            "content-disposition" => {
                for (k, v) in params(value) {
                    match k.as_str() {
                        "name" => name = Some(v),
                        "name*" => name = Some(ext_value(&v)),
                        "filename" => filename = Some(v),
                        _ => {}
                    }
                }
            }
            "content-type" => content_type = Some(value.trim().to_owned()),
            _ => {}
        }
    }
    Ok(Part {
        name: name.ok_or("multipart part without a name")?,
        filename,
        content_type,
        data,
    })
}

/// The `; key=value` parameters after the disposition type, quoted values unescaped.
fn params(value: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = value.chars().peekable();
    // Skip the disposition type (`form-data`).
    for c in chars.by_ref() {
        if c == ';' {
            break;
        }
    }
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ';') {
            chars.next();
        }
        let key: String = chars.by_ref().take_while(|c| *c != '=').collect();
        if key.is_empty() {
            return out;
        }
        let mut v = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => v.extend(chars.next()),
                    '"' => break,
                    c => v.push(c),
                }
            }
        } else {
            while let Some(c) = chars.peek().copied().filter(|c| *c != ';') {
                v.push(c);
                chars.next();
            }
            v = v.trim().to_owned();
        }
        out.push((key.trim().to_ascii_lowercase(), v));
    }
}

/// An RFC 8187 value `utf-8''percent%20encoded`.
fn ext_value(v: &str) -> String {
    let encoded = v.split_once("''").map_or(v, |(_, e)| e);
    let bytes = encoded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_files_and_payload_json_with_binary_content() {
        let mut body = Vec::new();
        body.extend_from_slice(b"--XyZ\r\nContent-Disposition: form-data; name=\"files[0]\"; filename=\"a \\\"q\\\".bin\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        body.extend_from_slice(&[0, 159, 146, 150, b'\r', b'\n', b'-', b'-']);
        body.extend_from_slice(b"\r\n--XyZ\r\nContent-Disposition: form-data; name*=utf-8''files%5B1%5D; filename=\"b.txt\"\r\n\r\nhello\r\n");
        body.extend_from_slice(b"--XyZ\r\nContent-Disposition: form-data; name=\"payload_json\"\r\n\r\n{\"content\":\"hi\"}\r\n--XyZ--\r\n");
        let parts = parse("multipart/form-data; boundary=XyZ", &body).unwrap();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0].name, "files[0]");
        assert_eq!(parts[0].filename.as_deref(), Some("a \"q\".bin"));
        assert_eq!(
            parts[0].content_type.as_deref(),
            Some("application/octet-stream")
        );
        assert_eq!(parts[0].data, [0, 159, 146, 150, b'\r', b'\n', b'-', b'-']);
        assert_eq!(parts[1].name, "files[1]");
        assert_eq!(parts[1].data, b"hello");
        assert_eq!(parts[2].name, "payload_json");
        assert_eq!(parts[2].data, b"{\"content\":\"hi\"}");
    }

    #[test]
    fn refuses_broken_forms() {
        assert!(parse("multipart/form-data", b"").is_err(), "no boundary");
        assert!(parse("multipart/form-data; boundary=B", b"garbage").is_err());
        let unterminated = b"--B\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nno end";
        assert!(parse("multipart/form-data; boundary=B", unterminated).is_err());
    }
}

//! Message attachments as Discord builds them from a multipart request: each `files[n]` upload
//! becomes an attachment object (`id`, `filename`, `size`, `url`, `proxy_url`, `content_type`,
//! …) on the message, described by the `attachments` entry with placeholder id `n` in the JSON.
//! On edits, `attachments` lists the existing attachments to keep (by id) plus the new ones;
//! without it, the existing ones stay and uploads are added.
//!
//! The bytes are kept per attachment id so tests can read what the bot sent, and are served at
//! the attachment's `url` (`{api_base}/attachments/{channel}/{id}/{filename}`, the loopback's
//! stand-in for Discord's CDN), so `Attachment::download` works too.

use serde_json::{Value, json};

use super::State;
use super::limits::LimitError;
use super::multipart::Part;

/// Most attachments on one message.
pub const MAX_ATTACHMENTS: usize = 10;
/// Default total size of the files of one request (Discord's limit for bots without boosts).
pub const DEFAULT_SIZE_LIMIT: usize = 10 * 1024 * 1024;

/// The uploads of a request with their placeholder index: `files[n]` is `n`; any other file
/// part (a bare `file`) takes its position among the uploads.
fn uploads(files: &[Part]) -> Vec<(u64, &Part)> {
    files
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let index = p
                .name
                .strip_prefix("files[")
                .and_then(|n| n.strip_suffix(']'))
                .and_then(|n| n.parse().ok())
                .unwrap_or(i as u64);
            (index, p)
        })
        .collect()
}

/// Total bytes uploaded in one request.
pub(crate) fn total_size(files: &[Part]) -> usize {
    files.iter().map(|p| p.data.len()).sum()
}

/// `id` of an `attachments` entry, whether sent as a number (new) or a string (existing).
fn entry_id(entry: &Value) -> Option<String> {
    match &entry["id"] {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Percent-encodes a filename for the URL path (keeps `A-Za-z0-9._-`).
fn url_segment(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"._-".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The attachment object for an upload, with a fresh id.
fn new_attachment(
    s: &mut State,
    api_base: &str,
    channel: &str,
    part: &Part,
    entry: Option<&Value>,
) -> (u64, Value) {
    let id = s.snowflake();
    let filename = entry
        .and_then(|e| e["filename"].as_str())
        .or(part.filename.as_deref())
        .unwrap_or("file")
        .to_owned();
    let url = format!(
        "{api_base}/attachments/{channel}/{id}/{}",
        url_segment(&filename)
    );
    let mut a = json!({
        "id": id.to_string(),
        "filename": filename,
        "size": part.data.len(),
        "url": url,
        "proxy_url": url,
        "content_type": part.content_type,
        "height": null,
        "width": null,
    });
    if let Some(d) = entry
        .and_then(|e| e.get("description"))
        .filter(|d| d.is_string())
    {
        a["description"] = d.clone();
    }
    (id, a)
}

/// Sets the attachments of `message` from a create/edit `body` and the request's uploads,
/// storing the new files' bytes. Leaves the message alone when the body says nothing about
/// attachments and nothing was uploaded. On an error nothing is stored.
pub(crate) fn apply(
    s: &mut State,
    api_base: &str,
    message: &mut Value,
    body: &Value,
    files: &[Part],
) -> Result<(), LimitError> {
    let listed = body.get("attachments").and_then(Value::as_array);
    if listed.is_none() && files.is_empty() {
        return Ok(());
    }
    let channel = message["channel_id"].as_str().unwrap_or("0").to_owned();
    let current: Vec<Value> = message["attachments"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let uploads = uploads(files);
    // What the message ends up with, in order.
    enum Pick<'a> {
        /// An attachment the message already has.
        Keep(Value),
        /// Upload `k` (position in `uploads`), with the JSON entry describing it, if any.
        Upload(usize, Option<&'a Value>),
    }
    let mut chosen: Vec<Pick> = Vec::new();
    let mut used = vec![false; uploads.len()];
    match listed {
        Some(entries) => {
            for (i, entry) in entries.iter().enumerate() {
                let id = entry_id(entry);
                if let Some(existing) = current.iter().find(|a| entry_id(a) == id) {
                    chosen.push(Pick::Keep(existing.clone()));
                } else if let Some(k) = id
                    .and_then(|id| id.parse::<u64>().ok())
                    .and_then(|n| uploads.iter().position(|(index, _)| *index == n))
                    .filter(|k| !used[*k])
                {
                    used[k] = true;
                    chosen.push(Pick::Upload(k, Some(entry)));
                } else {
                    return Err(LimitError {
                        code: 50035,
                        path: vec!["attachments".into(), i.to_string(), "id".into()],
                        field_code: "ATTACHMENT_NOT_FOUND".into(),
                        message: "Unknown attachment".into(),
                    });
                }
            }
        }
        None => chosen.extend(current.iter().cloned().map(Pick::Keep)),
    }
    // Uploads the JSON did not describe are attached as they are.
    chosen.extend(
        (0..uploads.len())
            .filter(|k| !used[*k])
            .map(|k| Pick::Upload(k, None)),
    );
    if chosen.len() > MAX_ATTACHMENTS {
        return Err(LimitError {
            code: 50035,
            path: vec!["attachments".into()],
            field_code: "BASE_TYPE_MAX_LENGTH".into(),
            message: format!("Must be {MAX_ATTACHMENTS} or fewer in length."),
        });
    }
    let mut out = Vec::with_capacity(chosen.len());
    for pick in chosen {
        match pick {
            Pick::Keep(a) => out.push(a),
            Pick::Upload(k, entry) => {
                let part = uploads[k].1;
                let (id, a) = new_attachment(s, api_base, &channel, part, entry);
                let content_type = part
                    .content_type
                    .clone()
                    .unwrap_or_else(|| "application/octet-stream".to_owned());
                s.attachment_bytes
                    .insert(id, (content_type, part.data.clone()));
                out.push(a);
            }
        }
    }
    message["attachments"] = Value::Array(out);
    Ok(())
}

/// `(filename, bytes)` of each attachment of a message, in order.
pub(crate) fn files_of(s: &State, message: &Value) -> Vec<(String, Vec<u8>)> {
    message["attachments"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|a| {
            let id: u64 = a["id"].as_str()?.parse().ok()?;
            let (_, bytes) = s.attachment_bytes.get(&id)?;
            Some((
                a["filename"].as_str().unwrap_or_default().to_owned(),
                bytes.clone(),
            ))
        })
        .collect()
}

/// The CDN stand-in: `/attachments/{channel}/{id}/{filename}` → the bytes and content type.
pub(crate) fn download(s: &State, path: &str) -> Option<(Vec<u8>, String)> {
    let mut segs = path.trim_start_matches('/').split('/');
    let (Some("attachments"), Some(_channel), Some(id)) = (segs.next(), segs.next(), segs.next())
    else {
        return None;
    };
    let (content_type, bytes) = s.attachment_bytes.get(&id.parse().ok()?)?;
    Some((bytes.clone(), content_type.clone()))
}

#[cfg(test)]
mod tests {
    use serenity::all::Attachment;

    use super::*;

    fn file(name: &str, filename: &str, data: &[u8]) -> Part {
        Part {
            name: name.into(),
            filename: Some(filename.into()),
            content_type: Some("text/plain".into()),
            data: data.to_vec(),
        }
    }

    fn message() -> Value {
        json!({"id": "9", "channel_id": "5", "attachments": []})
    }

    #[test]
    fn uploads_become_attachments_that_deserialize_and_keep_their_bytes() {
        let mut s = State::default();
        let mut m = message();
        let body = json!({"attachments": [
            {"id": 1, "filename": "b.txt", "description": "second"},
            {"id": 0, "filename": "a b.txt"},
        ]});
        let files = [
            file("files[0]", "a b.txt", b"A"),
            file("files[1]", "b.txt", b"BB"),
        ];
        apply(&mut s, "http://lb", &mut m, &body, &files).unwrap();
        let list: Vec<Attachment> = serde_json::from_value(m["attachments"].clone()).unwrap();
        assert_eq!(
            list.iter()
                .map(|a| (a.filename.as_str(), a.size))
                .collect::<Vec<_>>(),
            [("b.txt", 2), ("a b.txt", 1)],
            "in the order the JSON lists them"
        );
        assert_eq!(list[0].description.as_deref(), Some("second"));
        assert!(list[1].url.starts_with("http://lb/attachments/5/"));
        assert!(list[1].url.ends_with("/a%20b.txt"));
        assert_eq!(
            files_of(&s, &m),
            [
                ("b.txt".to_owned(), b"BB".to_vec()),
                ("a b.txt".to_owned(), b"A".to_vec())
            ]
        );
        // The URL serves the bytes with their type.
        let path = list[1].url.strip_prefix("http://lb").unwrap();
        assert_eq!(
            download(&s, path),
            Some((b"A".to_vec(), "text/plain".to_owned()))
        );
        assert_eq!(download(&s, "/attachments/5/1/x"), None);
    }

    #[test]
    fn edits_keep_listed_attachments_and_add_uploads() {
        let mut s = State::default();
        let mut m = message();
        let files = [
            file("files[0]", "a.txt", b"A"),
            file("files[1]", "b.txt", b"B"),
        ];
        apply(&mut s, "", &mut m, &json!({}), &files).unwrap();
        let ids: Vec<String> = m["attachments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_owned())
            .collect();
        // Keep the second, drop the first, add one.
        let body = json!({"attachments": [{"id": ids[1]}, {"id": 0, "filename": "c.txt"}]});
        apply(
            &mut s,
            "",
            &mut m,
            &body,
            &[file("files[0]", "c.txt", b"C")],
        )
        .unwrap();
        let names: Vec<_> = files_of(&s, &m).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["b.txt", "c.txt"]);
        // A body without `attachments` and without files changes nothing.
        apply(&mut s, "", &mut m, &json!({"content": "x"}), &[]).unwrap();
        assert_eq!(m["attachments"].as_array().map(Vec::len), Some(2));
        // `attachments: []` removes them all.
        apply(&mut s, "", &mut m, &json!({"attachments": []}), &[]).unwrap();
        assert_eq!(m["attachments"], json!([]));
    }

    #[test]
    fn at_most_ten_and_only_known_ids() {
        let mut s = State::default();
        let files: Vec<Part> = (0..11)
            .map(|i| file(&format!("files[{i}]"), "f", b"x"))
            .collect();
        let e = apply(&mut s, "", &mut message(), &json!({}), &files).unwrap_err();
        assert_eq!(e.dotted_path(), "attachments");
        assert!(
            s.attachment_bytes.is_empty(),
            "nothing stored for a refused request"
        );
        let body = json!({"attachments": [{"id": "777"}]});
        let e = apply(&mut s, "", &mut message(), &body, &[]).unwrap_err();
        assert_eq!(e.dotted_path(), "attachments.0.id");
    }
}

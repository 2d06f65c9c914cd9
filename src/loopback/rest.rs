//! REST routes of the loopback Discord: parses each request, applies injected failures,
//! enforces payload limits, updates the in-memory state and records request + answer.
//!
//! Everything runs synchronously under the state mutex (no awaits), so request handling is
//! atomic with respect to the test's observations.

use serde_json::{Value, json};

use std::time::Duration;

use super::http::{HttpRequest, Outcome};
use super::limits::{self, LimitError};
use super::multipart::{self, Part};
use super::ratelimit::{self, Bucket, Limited};
use super::{Failure, RecordedRequest, Shared, State, attachments, fixtures, guild, reactions};

/// A response before recording: status, body (`Null` = no body), extra headers.
struct Reply {
    status: u16,
    body: Value,
    headers: Vec<(String, String)>,
}

fn ok(body: Value) -> Reply {
    Reply {
        status: 200,
        body,
        headers: Vec::new(),
    }
}

fn no_content() -> Reply {
    Reply {
        status: 204,
        body: Value::Null,
        headers: Vec::new(),
    }
}

fn err(status: u16, code: u32, message: &str) -> Reply {
    Reply {
        status,
        body: json!({"message": message, "code": code}),
        headers: Vec::new(),
    }
}

fn not_found() -> Reply {
    err(404, 0, "404: Not Found")
}

fn unknown_message() -> Reply {
    err(404, 10008, "Unknown Message")
}

fn unknown_channel() -> Reply {
    err(404, 10003, "Unknown Channel")
}

fn missing_access() -> Reply {
    err(403, 50001, "Missing Access")
}

fn missing_permissions() -> Reply {
    err(403, 50013, "Missing Permissions")
}

fn unknown_webhook() -> Reply {
    err(404, 10015, "Unknown Webhook")
}

fn invalid(e: &LimitError) -> Reply {
    tracing::info!(error = %e, "loopback rejected a payload");
    Reply {
        status: 400,
        body: e.to_body(),
        headers: Vec::new(),
    }
}

/// Percent-decodes a path segment (emoji in reaction routes).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The JSON body (for multipart requests the `payload_json` part) and the uploaded files.
fn parse_body(req: &HttpRequest) -> Result<(Value, Vec<Part>), String> {
    if req.body.is_empty() {
        return Ok((Value::Null, Vec::new()));
    }
    let ctype = req.header("content-type").unwrap_or("");
    if ctype.starts_with("multipart/form-data") {
        let mut parts = multipart::parse(ctype, &req.body)?;
        let json = match parts.iter().position(|p| p.name == "payload_json") {
            Some(i) => {
                let p = parts.remove(i);
                serde_json::from_slice(&p.data).map_err(|e| format!("payload_json: {e}"))?
            }
            None => Value::Null,
        };
        // Only parts with a filename are uploads; other text fields are ignored.
        parts.retain(|p| p.filename.is_some());
        return Ok((json, parts));
    }
    let json = serde_json::from_slice(&req.body).map_err(|e| e.to_string())?;
    Ok((json, Vec::new()))
}

/// Entry point for one HTTP request.
pub(crate) fn handle(shared: &Shared, req: HttpRequest) -> Outcome {
    let path = req
        .path
        .strip_prefix("/api/v10")
        .or_else(|| req.path.strip_prefix("/api/v9"))
        .or_else(|| req.path.strip_prefix("/api"))
        .unwrap_or(&req.path)
        .to_owned();
    let query = req.query.trim_start_matches('&').to_owned();
    let mut state = shared.lock();
    if req.method == "GET"
        && let Some((bytes, content_type)) = attachments::download(&state, &req.path)
    {
        // The CDN stand-in is another host than the API: no recording, limits or failures.
        return Outcome::Respond {
            status: 200,
            headers: vec![("content-type".into(), content_type)],
            body: bytes,
        };
    }
    let now = shared.now(&state);
    let body_result = parse_body(&req);
    let (body, files) = body_result.clone().unwrap_or_default();
    let record = RecordedRequest {
        seq: state.requests.len(),
        method: req.method.clone(),
        path: path.clone(),
        query: query.clone(),
        body: body.clone(),
        at: now,
        files: files
            .iter()
            .map(|f| (f.filename.clone().unwrap_or_default(), f.data.len()))
            .collect(),
        ..RecordedRequest::default()
    };
    let bucket = Bucket::of(&state.rate_limits, &req.method, &path);

    // Injected failures come first, like an outage in front of the real API; they do not count
    // against the rate limits.
    let failure = take_failure(&mut state, &req.method, &path);
    let lose_response = matches!(failure, Some(Failure::LoseResponse));
    let slow = match failure {
        Some(Failure::SlowResponse(wait)) => Some(wait),
        _ => None,
    };
    let injected = match failure {
        None | Some(Failure::LoseResponse | Failure::SlowResponse(_)) => None,
        Some(Failure::DropConnection) => {
            state.requests.push(record);
            drop(state);
            shared.notify();
            return Outcome::Drop;
        }
        Some(Failure::Status(code)) => Some(err(code, 0, status_message(code))),
        Some(Failure::Forbidden) => Some(err(403, 50001, "Missing Access")),
        Some(Failure::RateLimited { retry_after_secs }) => {
            let retry_after = secs_duration(retry_after_secs);
            let (body, headers) = ratelimit::route_429(retry_after, bucket.exhausted(retry_after));
            Some(Reply {
                status: 429,
                body,
                headers,
            })
        }
        Some(Failure::GlobalRateLimited { retry_after_secs }) => {
            let (body, headers) = ratelimit::global_429(secs_duration(retry_after_secs));
            Some(Reply {
                status: 429,
                body,
                headers,
            })
        }
    };
    if let Some(mut reply) = injected {
        if reply.headers.is_empty() {
            reply.headers = state.buckets.peek(&bucket, now);
        }
        return finish(shared, state, record, reply);
    }

    // Discord's rate limits, then the route itself.
    let global = state.global_rate_limit;
    let exempt = path.starts_with("/interactions/");
    let limit_headers = match state.buckets.take(&bucket, global, exempt, now) {
        Ok(headers) => headers,
        Err(limited) => {
            let (body, headers) = match limited {
                Limited::Route {
                    retry_after,
                    headers,
                } => ratelimit::route_429(retry_after, headers),
                Limited::Global { retry_after } => ratelimit::global_429(retry_after),
            };
            let reply = Reply {
                status: 429,
                body,
                headers,
            };
            return finish(shared, state, record, reply);
        }
    };
    let mut reply = match body_result {
        Err(e) => {
            tracing::warn!(error = %e, %path, "loopback: body is not JSON");
            err(400, 50109, "The request body contains invalid JSON.")
        }
        Ok(_) if attachments::total_size(&files) > shared.cfg.attachment_size_limit => {
            err(413, 40005, "Request entity too large")
        }
        Ok(_) => {
            let req = Req {
                method: &req.method,
                path: &path,
                query: &query,
                body: &body,
                files: &files,
            };
            route(shared, &mut state, &req)
        }
    };
    reply.headers.extend(limit_headers);
    if lose_response {
        // Handled like any request, but the answer never reaches the client (a lost response).
        let mut record = record;
        record.status = reply.status;
        record.response = reply.body;
        record.response_headers = reply.headers;
        state.requests.push(record);
        drop(state);
        shared.notify();
        return Outcome::Drop;
    }
    let outcome = finish(shared, state, record, reply);
    match slow {
        // Recorded (and done) now; the client hears of it later.
        Some(wait) => Outcome::Later(wait, Box::new(outcome)),
        None => outcome,
    }
}

/// A test-given number of seconds as a duration (negative or NaN as zero).
fn secs_duration(secs: f64) -> Duration {
    Duration::try_from_secs_f64(secs).unwrap_or_default()
}

fn status_message(code: u16) -> &'static str {
    match code {
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

fn finish(
    shared: &Shared,
    mut state: std::sync::MutexGuard<'_, State>,
    mut record: RecordedRequest,
    reply: Reply,
) -> Outcome {
    record.status = reply.status;
    record.response = reply.body.clone();
    record.response_headers = reply.headers.clone();
    state.requests.push(record);
    drop(state);
    shared.notify();
    let body = if reply.body.is_null() {
        Vec::new()
    } else {
        reply.body.to_string().into_bytes()
    };
    Outcome::Respond {
        status: reply.status,
        headers: reply.headers,
        body,
    }
}

fn take_failure(state: &mut State, method: &str, path: &str) -> Option<Failure> {
    let idx = state.fail_rules.iter().position(|r| {
        r.times > 0
            && r.method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && r.path_prefix.as_deref().is_none_or(|p| path.starts_with(p))
    })?;
    let rule = &mut state.fail_rules[idx];
    // A request the rule lets through is not looked at by later rules either.
    if rule.after > 0 {
        rule.after -= 1;
        return None;
    }
    rule.times -= 1;
    let kind = rule.kind.clone();
    if rule.times == 0 {
        state.fail_rules.remove(idx);
    }
    Some(kind)
}

fn id(seg: &str) -> Option<u64> {
    seg.parse().ok()
}

/// One query parameter (the query without `?` and the leading `&`).
fn query_param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The user object for an id: the bot, a user the test introduced, a member seen, or a
/// generated `user{id}`.
pub(crate) fn known_user(s: &State, bot_user_id: u64, id: u64) -> Value {
    if id == bot_user_id {
        return fixtures::bot_user_json(bot_user_id);
    }
    s.users
        .get(&id)
        .or_else(|| s.members.get(&id).map(|m| &m["user"]))
        .filter(|u| u.is_object())
        .cloned()
        .unwrap_or_else(|| fixtures::user_json(&fixtures::FakeUser::new(id, &format!("user{id}"))))
}

/// A stored message as the API shows it now (with its current reactions).
pub(crate) fn render_message(s: &State, bot_user_id: u64, m: &Value) -> Value {
    let id = |k: &str| {
        m[k].as_str()
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let mut out = m.clone();
    out["reactions"] = reactions::render(s, id("channel_id"), id("id"), bot_user_id);
    out
}

/// A request as the routes see it.
struct Req<'a> {
    method: &'a str,
    /// Without `/api/v10`.
    path: &'a str,
    /// Without `?` and the leading `&`.
    query: &'a str,
    /// JSON body (`payload_json` of a multipart request).
    body: &'a Value,
    /// Uploaded files of a multipart request.
    files: &'a [Part],
}

/// Sets a message's attachments from a body and the uploads (see [`attachments::apply`]).
fn attach(
    shared: &Shared,
    s: &mut State,
    m: &mut Value,
    body: &Value,
    files: &[Part],
) -> Result<(), Reply> {
    let base = format!("http://{}", shared.api_addr);
    attachments::apply(s, &base, m, body, files).map_err(|e| invalid(&e))
}

fn route(shared: &Shared, s: &mut State, req: &Req<'_>) -> Reply {
    let cfg = &shared.cfg;
    let (method, path, query, body) = (req.method, req.path, req.query, req.body);
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (method, segs.as_slice()) {
        ("GET", ["gateway"]) => ok(json!({"url": shared.gateway_url()})),
        ("GET", ["gateway", "bot"]) => ok(json!({
            "url": shared.gateway_url(),
            "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
        })),
        ("GET", ["oauth2", "applications", "@me"] | ["applications", "@me"]) => ok(
            fixtures::application_info(cfg.application_id, cfg.bot_user_id),
        ),
        ("GET", ["users", "@me"]) => ok(fixtures::bot_user_json(cfg.bot_user_id)),
        ("GET", ["users", uid]) => match id(uid) {
            Some(u) => ok(known_user(s, cfg.bot_user_id, u)),
            None => not_found(),
        },

        // Application commands.
        ("PUT", ["applications", app, "commands"]) if id(app) == Some(cfg.application_id) => {
            put_commands(s, cfg.application_id, None, body)
        }
        ("GET", ["applications", app, "commands"]) if id(app) == Some(cfg.application_id) => {
            ok(json!(s.global_commands.clone().unwrap_or_default()))
        }
        ("PUT", ["applications", app, "guilds", g, "commands"])
            if id(app) == Some(cfg.application_id) =>
        {
            match id(g) {
                Some(g) => put_commands(s, cfg.application_id, Some(g), body),
                None => not_found(),
            }
        }
        ("GET", ["applications", app, "guilds", g, "commands"])
            if id(app) == Some(cfg.application_id) =>
        {
            let list = id(g)
                .and_then(|g| s.guild_commands.get(&g).cloned())
                .unwrap_or_default();
            ok(json!(list))
        }

        // Interactions.
        ("POST", ["interactions", iid, token, "callback"]) => {
            interaction_callback(shared, s, iid, token, body, req.files)
        }
        (_, ["webhooks", app, token, rest @ ..]) if id(app) == Some(cfg.application_id) => {
            webhook(shared, s, req, token, rest)
        }

        // Channels and messages: only the guild's channels and the DM channels exist.
        (_, ["channels", cid, ..]) if id(cid).is_some_and(|c| !channel_exists(s, c)) => {
            unknown_channel()
        }
        ("GET", ["channels", cid]) => match id(cid) {
            Some(c) => match (s.dm_user_by_channel.get(&c), s.guild.channel(c)) {
                (Some(u), _) => ok(fixtures::dm_channel(c, *u)),
                (None, Some(ch)) => ok(guild::channel_json(s.guild.id, ch)),
                (None, None) => unknown_channel(),
            },
            None => not_found(),
        },
        ("POST", ["channels", cid, "messages"]) => match id(cid) {
            Some(c) => post_channel_message(shared, s, c, body, req.files),
            None => not_found(),
        },
        ("GET", ["channels", cid, "messages"]) => match id(cid) {
            Some(c) => ok(json!(history(s, cfg.bot_user_id, c, query))),
            None => not_found(),
        },
        (_, ["channels", cid, "messages", mid]) => match (id(cid), id(mid)) {
            (Some(c), Some(m)) => channel_message(shared, s, req, c, m),
            _ => not_found(),
        },
        (_, ["channels", cid, "messages", mid, "reactions", rest @ ..]) => {
            match (id(cid), id(mid)) {
                (Some(c), Some(m)) => {
                    message_reactions(s, cfg.bot_user_id, method, c, m, rest, query)
                }
                _ => not_found(),
            }
        }

        // DMs.
        ("POST", ["users", "@me", "channels"]) => {
            let rid = match &body["recipient_id"] {
                Value::String(x) => x.parse().ok(),
                Value::Number(n) => n.as_u64(),
                _ => None,
            };
            match rid {
                Some(u) => {
                    let c = dm_channel_for(s, u);
                    ok(fixtures::dm_channel(c, u))
                }
                None => invalid(&LimitError {
                    code: 50035,
                    path: vec!["recipient_id".into()],
                    field_code: "BASE_TYPE_REQUIRED".into(),
                    message: "This field is required".into(),
                }),
            }
        }

        // The guild, its roles, channels and members.
        (_, ["guilds", g, ..]) if id(g) != Some(s.guild.id) => err(404, 10004, "Unknown Guild"),
        ("GET", ["guilds", _]) => ok(guild::guild_json(&s.guild)),
        ("GET", ["guilds", _, "roles"]) => ok(json!(
            s.guild
                .roles
                .iter()
                .map(guild::role_json)
                .collect::<Vec<_>>()
        )),
        ("GET", ["guilds", _, "channels"]) => {
            let g = &s.guild;
            ok(json!(
                g.channels
                    .iter()
                    .map(|c| guild::channel_json(g.id, c))
                    .collect::<Vec<_>>()
            ))
        }
        ("GET", ["guilds", _, "members", uid]) => match id(uid) {
            Some(u) if u == cfg.bot_user_id => ok(guild::bot_member_json(&s.guild, u)),
            Some(u) => match s.members.get(&u) {
                Some(m) => ok(m.clone()),
                None => err(404, 10007, "Unknown Member"),
            },
            None => not_found(),
        },

        _ => not_found(),
    }
}

/// Whether a channel exists: one of the guild's, or a DM channel.
fn channel_exists(s: &State, channel: u64) -> bool {
    s.dm_user_by_channel.contains_key(&channel) || s.guild.channel(channel).is_some()
}

/// Discord's answer if the bot may not do what `needed` (permission bits) says in a guild
/// channel: `50001 Missing Access` without View Channel, else `50013 Missing Permissions`.
/// DM channels need no permissions.
fn refuse_without(s: &State, bot: u64, channel: u64, needed: u64) -> Option<Reply> {
    let perms = s.guild.permissions_in(channel, bot, &s.guild.bot_roles)?;
    let view = serenity::all::Permissions::VIEW_CHANNEL.bits();
    if perms & view == 0 {
        Some(missing_access())
    } else if perms & needed != needed {
        Some(missing_permissions())
    } else {
        None
    }
}

/// Stable DM channel id for a user (created on first use).
pub(crate) fn dm_channel_for(s: &mut State, user_id: u64) -> u64 {
    if let Some(c) = s.dm_by_user.get(&user_id) {
        return *c;
    }
    let c = s.snowflake();
    s.dm_by_user.insert(user_id, c);
    s.dm_user_by_channel.insert(c, user_id);
    c
}

fn put_commands(s: &mut State, app: u64, guild: Option<u64>, body: &Value) -> Reply {
    if let Err(e) = limits::check_commands(body) {
        return invalid(&e);
    }
    let list: Vec<Value> = body
        .as_array()
        .map(|cmds| {
            cmds.iter()
                .map(|c| {
                    // Keep the id of an existing command with the same name, as Discord does.
                    let existing = match guild {
                        Some(g) => s.guild_commands.get(&g),
                        None => s.global_commands.as_ref(),
                    }
                    .and_then(|l| l.iter().find(|o| o["name"] == c["name"]))
                    .map(|o| o["id"].clone());
                    let id = existing.unwrap_or_else(|| json!(s.snowflake().to_string()));
                    let mut out = c.clone();
                    out["id"] = id;
                    out["application_id"] = json!(app.to_string());
                    out["version"] = json!(s.snowflake().to_string());
                    if out.get("type").is_none_or(Value::is_null) {
                        out["type"] = json!(1);
                    }
                    if out.get("description").is_none_or(Value::is_null) {
                        out["description"] = json!("");
                    }
                    if out.get("options").is_none_or(Value::is_null) {
                        out["options"] = json!([]);
                    }
                    if let Some(g) = guild {
                        out["guild_id"] = json!(g.to_string());
                    }
                    out
                })
                .collect()
        })
        .unwrap_or_default();
    match guild {
        Some(g) => {
            s.guild_commands.insert(g, list.clone());
        }
        None => s.global_commands = Some(list.clone()),
    }
    ok(json!(list))
}

/// A stored message built from a create body.
fn new_message(s: &mut State, bot_user_id: u64, channel_id: u64, body: &Value) -> Value {
    let id = s.snowflake();
    let mut m = fixtures::message_json(id, channel_id, bot_user_id, "");
    apply_edit(&mut m, body);
    m["edited_timestamp"] = Value::Null;
    if let Some(n) = body.get("nonce").filter(|n| !n.is_null()) {
        m["nonce"] = n.clone();
    }
    // A reply: Discord answers with type 19 (REPLY) and the reference, as clients show it.
    if let Some(reference) = body
        .get("message_reference")
        .filter(|r| r["message_id"].is_string() || r["message_id"].is_u64())
    {
        let message_id = match &reference["message_id"] {
            Value::String(id) => id.clone(),
            other => other.to_string(),
        };
        let channel = reference["channel_id"]
            .as_str()
            .map_or_else(|| channel_id.to_string(), str::to_string);
        m["type"] = json!(19);
        m["message_reference"] =
            json!({"type": 0, "message_id": message_id, "channel_id": channel});
    }
    m
}

/// Copies the displayable fields of a create/edit body onto a stored message.
fn apply_edit(m: &mut Value, body: &Value) {
    // `attachments` is not copied: [`attach`] resolves it against the uploads.
    for key in ["content", "embeds", "components", "tts", "flags"] {
        if let Some(v) = body.get(key) {
            m[key] = if v.is_null() {
                match key {
                    "content" => json!(""),
                    "tts" => json!(false),
                    "flags" => json!(0),
                    _ => json!([]),
                }
            } else {
                v.clone()
            };
        }
    }
    m["edited_timestamp"] = json!(fixtures::now_timestamp());
}

fn nonce_key(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn post_channel_message(
    shared: &Shared,
    s: &mut State,
    channel: u64,
    body: &Value,
    files: &[Part],
) -> Reply {
    if let Some(u) = s.dm_user_by_channel.get(&channel)
        && s.refused_dms.contains(u)
    {
        return err(403, 50007, "Cannot send messages to this user");
    }
    if s.guild
        .channel(channel)
        .is_some_and(|c| !c.takes_messages())
    {
        return err(400, 50008, "Cannot send messages in a non-text channel");
    }
    let mut needed = serenity::all::Permissions::SEND_MESSAGES.bits();
    if !files.is_empty() {
        needed |= serenity::all::Permissions::ATTACH_FILES.bits();
    }
    if let Some(refused) = refuse_without(s, shared.cfg.bot_user_id, channel, needed) {
        return refused;
    }
    // Uploaded files count as content even without an `attachments` description.
    if let Err(e) = limits::check_message(body, files.is_empty()) {
        return invalid(&e);
    }
    let enforce = body["enforce_nonce"].as_bool() == Some(true);
    let nonce = nonce_key(&body["nonce"]);
    if let Some(n) = &nonce {
        if n.chars().count() > 25 {
            return invalid(&LimitError {
                code: 50035,
                path: vec!["nonce".into()],
                field_code: "BASE_TYPE_MAX_LENGTH".into(),
                message: "Must be 25 or fewer in length.".into(),
            });
        }
        // Discord: a repeated enforced nonce returns the original message instead of a
        // duplicate, but only for a few minutes; later the same nonce posts again.
        let now = shared.now(s);
        let window = shared.cfg.nonce_window;
        if enforce
            && let Some((existing, at)) = s.nonces.get(&(channel, n.clone())).copied()
            && now.saturating_sub(at) < window
            && let Some(m) = find_message(s, channel, existing)
        {
            return ok(m.clone());
        }
    }
    let mut m = new_message(s, shared.cfg.bot_user_id, channel, body);
    if let Err(reply) = attach(shared, s, &mut m, body, files) {
        return reply;
    }
    let mid = m["id"].as_str().and_then(|x| x.parse().ok()).unwrap_or(0);
    if let (Some(n), true) = (nonce, enforce) {
        let now = shared.now(s);
        s.nonces.insert((channel, n), (mid, now));
    }
    s.channels.entry(channel).or_default().push(m.clone());
    ok(m)
}

/// `GET /channels/{id}/messages?limit=&before=&after=`, as Discord pages a channel's history:
/// at most `limit` messages (default 50, at most 100) — the newest ones, those just before
/// `before`, or those just after `after` — always listed newest first.
fn history(s: &State, bot: u64, channel: u64, query: &str) -> Vec<Value> {
    let limit = query_param(query, "limit")
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(50)
        .clamp(1, 100);
    let bound = |name: &str| query_param(query, name).and_then(id);
    let id_of = |m: &Value| m["id"].as_str().and_then(id).unwrap_or(0);
    // Stored in post order, which is id order.
    let messages = s
        .channels
        .get(&channel)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut page: Vec<&Value> = match (bound("after"), bound("before")) {
        (Some(after), _) => messages
            .iter()
            .filter(|m| id_of(m) > after)
            .take(limit)
            .collect(),
        (None, before) => {
            let older: Vec<&Value> = messages
                .iter()
                .filter(|m| before.is_none_or(|b| id_of(m) < b))
                .collect();
            older[older.len().saturating_sub(limit)..].to_vec()
        }
    };
    page.reverse();
    page.into_iter()
        .map(|m| render_message(s, bot, m))
        .collect()
}

fn find_message(s: &mut State, channel: u64, mid: u64) -> Option<&mut Value> {
    let key = mid.to_string();
    s.channels
        .get_mut(&channel)?
        .iter_mut()
        .find(|m| m["id"].as_str() == Some(key.as_str()))
}

fn channel_message(shared: &Shared, s: &mut State, req: &Req<'_>, channel: u64, mid: u64) -> Reply {
    let (bot, body) = (shared.cfg.bot_user_id, req.body);
    match req.method {
        "GET" => match find_message(s, channel, mid) {
            Some(m) => {
                let m = m.clone();
                ok(render_message(s, bot, &m))
            }
            None => unknown_message(),
        },
        "PATCH" => {
            if let Err(e) = limits::check_message(body, false) {
                return invalid(&e);
            }
            let Some(mut edited) = find_message(s, channel, mid).map(|m| m.clone()) else {
                return unknown_message();
            };
            apply_edit(&mut edited, body);
            if let Err(reply) = attach(shared, s, &mut edited, body, req.files) {
                return reply;
            }
            if limits::is_empty_message(&edited) {
                return invalid(&empty_error());
            }
            if let Some(m) = find_message(s, channel, mid) {
                *m = edited.clone();
            }
            ok(render_message(s, bot, &edited))
        }
        "DELETE" => {
            let key = mid.to_string();
            let Some(list) = s.channels.get_mut(&channel) else {
                return unknown_message();
            };
            let before = list.len();
            list.retain(|m| m["id"].as_str() != Some(key.as_str()));
            if list.len() == before {
                unknown_message()
            } else {
                no_content()
            }
        }
        _ => err(405, 0, "405: Method Not Allowed"),
    }
}

/// The reaction routes below `/channels/{c}/messages/{m}/reactions`.
fn message_reactions(
    s: &mut State,
    bot: u64,
    method: &str,
    channel: u64,
    mid: u64,
    rest: &[&str],
    query: &str,
) -> Reply {
    if find_message(s, channel, mid).is_none() {
        return unknown_message();
    }
    let method_not_allowed = || err(405, 0, "405: Method Not Allowed");
    match (method, rest) {
        ("PUT", [emoji, "@me"]) => {
            let needed = serenity::all::Permissions::ADD_REACTIONS.bits()
                | serenity::all::Permissions::READ_MESSAGE_HISTORY.bits();
            if let Some(refused) = refuse_without(s, bot, channel, needed) {
                return refused;
            }
            reactions::add(s, channel, mid, &percent_decode(emoji), bot);
            no_content()
        }
        ("DELETE", [emoji, "@me"]) => {
            reactions::remove(s, channel, mid, &percent_decode(emoji), bot);
            no_content()
        }
        ("DELETE", [emoji, uid]) => match id(uid) {
            Some(u) => {
                reactions::remove(s, channel, mid, &percent_decode(emoji), u);
                no_content()
            }
            None => not_found(),
        },
        ("GET", [emoji]) => reaction_users(s, bot, channel, mid, &percent_decode(emoji), query),
        ("DELETE", [emoji]) => {
            reactions::clear(s, channel, mid, Some(&percent_decode(emoji)));
            no_content()
        }
        ("DELETE", []) => {
            reactions::clear(s, channel, mid, None);
            no_content()
        }
        (_, [_] | [_, _] | []) => method_not_allowed(),
        _ => not_found(),
    }
}

/// `GET …/reactions/{emoji}?limit=&after=&type=`: users by ascending id, after `after`
/// (exclusive), at most `limit` (1..=100, default 25). Burst reactions (`type=1`) do not exist
/// here, so that list is empty.
fn reaction_users(s: &State, bot: u64, channel: u64, mid: u64, emoji: &str, query: &str) -> Reply {
    let limit = match query_param(query, "limit").map(str::parse::<u64>) {
        None => 25,
        Some(Ok(l)) if (1..=100).contains(&l) => l,
        Some(_) => {
            return invalid(&LimitError {
                code: 50035,
                path: vec!["limit".into()],
                field_code: "NUMBER_TYPE_MAX".into(),
                message: "int value should be between 1 and 100.".into(),
            });
        }
    };
    let after = query_param(query, "after")
        .and_then(|a| a.parse::<u64>().ok())
        .unwrap_or(0);
    if query_param(query, "type") == Some("1") {
        return ok(json!([]));
    }
    let users: Vec<Value> = reactions::users(s, channel, mid, emoji)
        .into_iter()
        .filter(|u| *u > after)
        .take(usize::try_from(limit).unwrap_or(25))
        .map(|u| known_user(s, bot, u))
        .collect();
    ok(json!(users))
}

fn interaction_callback(
    shared: &Shared,
    s: &mut State,
    iid: &str,
    token: &str,
    body: &Value,
    files: &[Part],
) -> Reply {
    let unknown = || err(404, 10062, "Unknown interaction");
    let Some(i) = id(iid).and_then(|i| s.interactions.get(&i)) else {
        return unknown();
    };
    if i.token != token {
        return unknown();
    }
    if i.callback.is_some() {
        return err(400, 40060, "Interaction has already been acknowledged.");
    }
    if shared.now(s).saturating_sub(i.dispatched_at) > shared.cfg.interaction_window {
        return unknown();
    }
    if let Err(e) = limits::check_interaction_response(body) {
        return invalid(&e);
    }
    let payload_message = i.payload.get("message").cloned();
    let channel = i.payload["channel_id"]
        .as_str()
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let kind = body["type"].as_u64().unwrap_or(0);
    let data = body.get("data").cloned().unwrap_or(Value::Null);
    let bot = shared.cfg.bot_user_id;
    let mut original = match kind {
        4 => Some(new_message(s, bot, channel, &data)),
        5 => {
            // Deferred: Discord shows a "thinking" message (flag LOADING 128).
            let mut m = fixtures::message_json(s.snowflake(), channel, bot, "");
            let eph = data["flags"].as_u64().unwrap_or(0) & 64;
            m["flags"] = json!(eph | 128);
            Some(m)
        }
        // Update (7) / deferred update (6) act on the component's message.
        6 | 7 => payload_message.map(|mut m| {
            if kind == 7 {
                apply_edit(&mut m, &data);
            }
            m
        }),
        _ => None,
    };
    if matches!(kind, 4 | 7)
        && let Some(m) = original.as_mut()
        && let Err(reply) = attach(shared, s, m, &data, files)
    {
        return reply;
    }
    if kind == 7
        && let Some(m) = &original
    {
        // Keep a stored channel copy of that message in sync.
        let mid = m["id"].as_str().and_then(|x| x.parse().ok()).unwrap_or(0);
        if let Some(stored) = find_message(s, channel, mid) {
            *stored = m.clone();
        }
    }
    let answered_at = shared.now(s);
    let Some(i) = id(iid).and_then(|i| s.interactions.get_mut(&i)) else {
        return unknown();
    };
    i.callback = Some(body.clone());
    i.callback_at = Some(answered_at);
    i.original = original;
    no_content()
}

/// Follow-ups and the `@original` of an interaction, by its token. Messages are edited as
/// copies, so their attachments (which need the whole state) are resolved before the
/// interaction is updated.
fn webhook(shared: &Shared, s: &mut State, req: &Req<'_>, token: &str, rest: &[&str]) -> Reply {
    let (method, body, files) = (req.method, req.body, req.files);
    let bot = shared.cfg.bot_user_id;
    let Some(iid) = s.interaction_by_token.get(token).copied() else {
        return unknown_webhook();
    };
    let Some(i) = s.interactions.get(&iid) else {
        return unknown_webhook();
    };
    if i.callback.is_none() {
        // Before the initial response there is no webhook message to touch.
        return unknown_webhook();
    }
    let channel = i.payload["channel_id"]
        .as_str()
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let original = i.original.clone();
    let followup = |mid: &str| {
        i.followups
            .iter()
            .position(|m| m["id"].as_str() == Some(mid))
            .map(|pos| (pos, i.followups[pos].clone()))
    };
    let target = match rest {
        ["messages", mid] if *mid != "@original" => followup(mid),
        _ => None,
    };
    match (method, rest) {
        ("POST", []) => {
            if let Err(e) = limits::check_message(body, files.is_empty()) {
                return invalid(&e);
            }
            let mut m = fixtures::message_json(s.snowflake(), channel, bot, "");
            apply_edit(&mut m, body);
            if let Err(reply) = attach(shared, s, &mut m, body, files) {
                return reply;
            }
            m["edited_timestamp"] = Value::Null;
            m["webhook_id"] = json!(shared.cfg.application_id.to_string());
            if let Some(i) = s.interactions.get_mut(&iid) {
                i.followups.push(m.clone());
            }
            ok(m)
        }
        ("GET", ["messages", "@original"]) => original.map_or_else(unknown_message, ok),
        ("PATCH", ["messages", "@original"]) => {
            if let Err(e) = limits::check_message(body, false) {
                return invalid(&e);
            }
            let Some(mut edited) = original else {
                return unknown_message();
            };
            apply_edit(&mut edited, body);
            if let Err(reply) = attach(shared, s, &mut edited, body, files) {
                return reply;
            }
            // Editing a deferred response replaces the "thinking" state.
            let flags = edited["flags"].as_u64().unwrap_or(0) & !128;
            edited["flags"] = json!(flags);
            if limits::is_empty_message(&edited) {
                return invalid(&empty_error());
            }
            if let Some(i) = s.interactions.get_mut(&iid) {
                i.original = Some(edited.clone());
                i.original_edits += 1;
            }
            ok(edited)
        }
        ("DELETE", ["messages", "@original"]) => {
            match s.interactions.get_mut(&iid).and_then(|i| i.original.take()) {
                Some(_) => no_content(),
                None => unknown_message(),
            }
        }
        (_, ["messages", _]) => {
            let Some((pos, message)) = target else {
                return unknown_message();
            };
            match method {
                "GET" => ok(message),
                "PATCH" => {
                    if let Err(e) = limits::check_message(body, false) {
                        return invalid(&e);
                    }
                    let mut edited = message;
                    apply_edit(&mut edited, body);
                    if let Err(reply) = attach(shared, s, &mut edited, body, files) {
                        return reply;
                    }
                    if limits::is_empty_message(&edited) {
                        return invalid(&empty_error());
                    }
                    if let Some(i) = s.interactions.get_mut(&iid) {
                        i.followups[pos] = edited.clone();
                    }
                    ok(edited)
                }
                "DELETE" => {
                    if let Some(i) = s.interactions.get_mut(&iid) {
                        i.followups.remove(pos);
                    }
                    no_content()
                }
                _ => err(405, 0, "405: Method Not Allowed"),
            }
        }
        _ => not_found(),
    }
}

fn empty_error() -> LimitError {
    LimitError {
        code: 50006,
        path: Vec::new(),
        field_code: "EMPTY_MESSAGE".into(),
        message: "Cannot send an empty message".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_emoji_segments() {
        assert_eq!(percent_decode("%F0%9F%91%8D"), "👍");
        assert_eq!(percent_decode("name%3A123"), "name:123");
        assert_eq!(percent_decode("abc%"), "abc%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}

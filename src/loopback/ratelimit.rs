//! Discord's rate limits: the `X-RateLimit-*` headers on every REST answer, and 429s for the
//! buckets a test configures (per route with [`RateLimitRule`], or the global limit with
//! [`GlobalRateLimit`]).
//!
//! A bucket counts the requests it answered in a fixed window that starts with its first
//! request, as Discord's do (`X-RateLimit-Reset` is that window's end). Routes without a rule
//! still get honest headers from a generous default bucket that never answers 429, so clients
//! with serenity's ratelimiter on are never slowed down by a limit the test did not ask for.
//! Windows are measured on the loopback's clock (see `LoopbackDiscord::advance_clock`).
//!
//! # How serenity 0.12.5 uses these (checked in `src/http/ratelimiting.rs`)
//! - Its buckets are keyed by serenity's own `Route` variant plus the route's major parameter
//!   (channel, guild, webhook or interaction id); `X-RateLimit-Bucket` is read by nobody.
//! - After each answer it takes `X-RateLimit-Limit`, `-Remaining` and `-Reset-After` (or
//!   `-Reset` with `absolute_ratelimits`) and, once `remaining` is 0, sleeps until the reset
//!   before the bucket's next request.
//! - On a 429 it sleeps for the `Retry-After` header (read as f64 seconds; the body's
//!   `retry_after` is not read) and sends the request again, without telling the caller.
//! - Any `X-RateLimit-Global` header, whatever its value, makes it treat the 429 as global, so
//!   that header is only sent on global 429s (as Discord does).
//! - The ratelimiter builds every request with `proxy = None`: with
//!   `HttpBuilder::proxy(..)` and the ratelimiter on, requests go to the real discord.com.
//!   That is why the loopback also serves the API over TLS as `discord.com` (see
//!   `super::tls` and [`super::ratelimited_http_for`]).

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

/// A per-route bucket: at most `limit` requests per window of `per` to paths starting with
/// `path_prefix` (without `/api/v10`), optionally only for one method. All requests matching
/// one rule share its bucket; give a path with the channel id to limit one channel, as Discord's
/// buckets are per major parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimitRule {
    /// Only this method (upper case); `None` = any.
    pub method: Option<String>,
    /// Paths starting with this, e.g. `/channels/123/messages`.
    pub path_prefix: String,
    /// Requests allowed per window.
    pub limit: u32,
    /// Window length.
    pub per: Duration,
}

impl RateLimitRule {
    /// `limit` requests per `per` to paths starting with `path_prefix`, any method.
    pub fn new(path_prefix: &str, limit: u32, per: Duration) -> Self {
        Self {
            method: None,
            path_prefix: path_prefix.to_owned(),
            limit,
            per,
        }
    }

    /// Restricts the rule to one method.
    #[must_use]
    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && path.starts_with(&self.path_prefix)
    }
}

/// Discord's global limit (50 requests per second for a bot): at most `limit` requests per
/// `per` over all routes except interaction callbacks, which Discord exempts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GlobalRateLimit {
    /// Requests allowed per window.
    pub limit: u32,
    /// Window length.
    pub per: Duration,
}

/// Limit of the default bucket of routes without a rule (counted, never enforced).
const DEFAULT_LIMIT: u32 = 10_000;
/// Window of the default bucket.
const DEFAULT_PER: Duration = Duration::from_secs(1);

/// The bucket a request falls into.
pub(crate) struct Bucket {
    /// Key of its window in [`Buckets`].
    key: String,
    /// The opaque `X-RateLimit-Bucket` value (the same for all major parameters of a route).
    id: String,
    limit: u32,
    per: Duration,
    /// Whether exceeding it answers 429 (only configured rules do).
    enforced: bool,
}

impl Bucket {
    pub fn of(rules: &[RateLimitRule], method: &str, path: &str) -> Bucket {
        if let Some((i, rule)) = rules
            .iter()
            .enumerate()
            .rev() // a later rule for the same prefix replaces an earlier one
            .find(|(_, r)| r.matches(method, path))
        {
            let source = format!(
                "{}|{}",
                rule.method.as_deref().unwrap_or("*"),
                rule.path_prefix
            );
            return Bucket {
                key: format!("rule {i}"),
                id: bucket_hash(&source),
                limit: rule.limit,
                per: rule.per,
                enforced: true,
            };
        }
        let (shape, major) = route_shape(path);
        Bucket {
            key: format!("{method} {shape} @{major}"),
            id: bucket_hash(&format!("{method} {shape}")),
            limit: DEFAULT_LIMIT,
            per: DEFAULT_PER,
            enforced: false,
        }
    }
}

impl Bucket {
    /// Headers of this bucket with nothing left for `reset_after` (an injected 429).
    pub fn exhausted(&self, reset_after: Duration) -> Vec<(String, String)> {
        headers(self, 0, reset_after)
    }
}

/// A fixed window: when it started and how many requests it answered.
#[derive(Debug, Clone, Copy)]
struct Window {
    start: Duration,
    used: u32,
}

impl Window {
    /// The window current at `now` (a fresh one once `per` has passed).
    fn current(slot: &mut Option<Window>, now: Duration, per: Duration) -> &mut Window {
        let w = slot.get_or_insert(Window {
            start: now,
            used: 0,
        });
        if now >= w.start + per {
            *w = Window {
                start: now,
                used: 0,
            };
        }
        w
    }

    fn reset_after(&self, now: Duration, per: Duration) -> Duration {
        (self.start + per).saturating_sub(now)
    }
}

/// Windows of every bucket seen, and of the global limit.
#[derive(Default)]
pub(crate) struct Buckets {
    windows: HashMap<String, Option<Window>>,
    global: Option<Window>,
}

/// Why a request is refused with 429.
pub(crate) enum Limited {
    /// The route's bucket is used up for `retry_after`.
    Route {
        retry_after: Duration,
        headers: Vec<(String, String)>,
    },
    /// The global limit is used up for `retry_after`.
    Global { retry_after: Duration },
}

impl Buckets {
    /// Headers describing `bucket` now, without counting a request.
    pub fn peek(&mut self, bucket: &Bucket, now: Duration) -> Vec<(String, String)> {
        let slot = self.windows.entry(bucket.key.clone()).or_default();
        let w = *Window::current(slot, now, bucket.per);
        headers(
            bucket,
            bucket.limit.saturating_sub(w.used),
            w.reset_after(now, bucket.per),
        )
    }

    /// Counts one request against the global limit (unless `exempt`) and `bucket`, or says why
    /// it is refused (then nothing is counted, as Discord does not count refused requests).
    pub fn take(
        &mut self,
        bucket: &Bucket,
        global: Option<GlobalRateLimit>,
        exempt_from_global: bool,
        now: Duration,
    ) -> Result<Vec<(String, String)>, Limited> {
        let global = global.filter(|_| !exempt_from_global);
        if let Some(g) = global {
            let w = Window::current(&mut self.global, now, g.per);
            if w.used >= g.limit {
                return Err(Limited::Global {
                    retry_after: w.reset_after(now, g.per),
                });
            }
        }
        let slot = self.windows.entry(bucket.key.clone()).or_default();
        let w = Window::current(slot, now, bucket.per);
        let reset_after = w.reset_after(now, bucket.per);
        if bucket.enforced && w.used >= bucket.limit {
            return Err(Limited::Route {
                retry_after: reset_after,
                headers: headers(bucket, 0, reset_after),
            });
        }
        w.used += 1;
        let remaining = bucket.limit.saturating_sub(w.used);
        if let Some(g) = global {
            Window::current(&mut self.global, now, g.per).used += 1;
        }
        Ok(headers(bucket, remaining, reset_after))
    }

    /// Forgets every window (after the clock jumped, all of them are over anyway).
    pub fn clear(&mut self) {
        self.windows.clear();
        self.global = None;
    }
}

/// Seconds with millisecond precision, as Discord writes them (`"1.250"`), rounded up: a client
/// that waits exactly this long must not arrive before the window ends.
fn secs(d: Duration) -> String {
    let ms = d.as_nanos().div_ceil(1_000_000);
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

/// The `X-RateLimit-*` headers of a bucket answer.
fn headers(bucket: &Bucket, remaining: u32, reset_after: Duration) -> Vec<(String, String)> {
    // `Reset` is wall-clock epoch time, so a client using absolute resets agrees with
    // `Reset-After` even after the loopback's own clock was advanced.
    let reset_epoch = (SystemTime::now() + reset_after)
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    vec![
        ("x-ratelimit-limit".into(), bucket.limit.to_string()),
        ("x-ratelimit-remaining".into(), remaining.to_string()),
        ("x-ratelimit-reset".into(), secs(reset_epoch)),
        ("x-ratelimit-reset-after".into(), secs(reset_after)),
        ("x-ratelimit-bucket".into(), bucket.id.clone()),
    ]
}

/// `Retry-After` is whole seconds, rounded up (the body carries the exact value).
fn retry_after_header(retry_after: Duration) -> String {
    let s = retry_after.as_secs_f64().ceil().max(0.0);
    format!("{s:.0}")
}

/// Discord's 429 for a route bucket: body, and headers (bucket headers plus `Retry-After` and
/// `X-RateLimit-Scope: user`; no `X-RateLimit-Global`, see the module docs).
pub(crate) fn route_429(
    retry_after: Duration,
    mut headers: Vec<(String, String)>,
) -> (Value, Vec<(String, String)>) {
    headers.push(("retry-after".into(), retry_after_header(retry_after)));
    headers.push(("x-ratelimit-scope".into(), "user".into()));
    let body = json!({
        "message": "You are being rate limited.",
        "retry_after": round_ms(retry_after),
        "global": false,
        "code": 0,
    });
    (body, headers)
}

/// Discord's 429 for the global limit.
pub(crate) fn global_429(retry_after: Duration) -> (Value, Vec<(String, String)>) {
    let headers = vec![
        ("retry-after".into(), retry_after_header(retry_after)),
        ("x-ratelimit-global".into(), "true".into()),
        ("x-ratelimit-scope".into(), "global".into()),
    ];
    let body = json!({
        "message": "You are being rate limited.",
        "retry_after": round_ms(retry_after),
        "global": true,
        "code": 0,
    });
    (body, headers)
}

/// Seconds as the body's `retry_after`, rounded up to the millisecond like the headers.
fn round_ms(d: Duration) -> f64 {
    let ms = u32::try_from(d.as_nanos().div_ceil(1_000_000)).unwrap_or(u32::MAX);
    f64::from(ms) / 1000.0
}

/// The route's shape (ids and tokens replaced) and its major parameter, which Discord's
/// buckets are scoped by: the channel, guild or webhook (with token) the path starts with.
fn route_shape(path: &str) -> (String, String) {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let major_kind = segs.first().copied().unwrap_or("");
    let has_major = matches!(major_kind, "channels" | "guilds" | "webhooks");
    let mut major = String::new();
    let mut shape = Vec::with_capacity(segs.len());
    for (i, seg) in segs.iter().enumerate() {
        let prev = if i > 0 { segs[i - 1] } else { "" };
        let is_token = i == 2 && matches!(major_kind, "webhooks" | "interactions");
        if has_major && i == 1 {
            major.push_str(seg);
            shape.push("{major}");
        } else if has_major && major_kind == "webhooks" && i == 2 {
            major.push('/');
            major.push_str(seg);
            shape.push("{token}");
        } else if is_token {
            shape.push("{token}");
        } else if prev == "reactions" {
            shape.push("{emoji}");
        } else if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            shape.push("{id}");
        } else {
            shape.push(seg);
        }
    }
    (format!("/{}", shape.join("/")), major)
}

/// A stable opaque bucket id, like Discord's hex hashes.
fn bucket_hash(source: &str) -> String {
    // FNV-1a: stable across runs and platforms (std's hasher is randomly seeded).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in source.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header<'a>(h: &'a [(String, String)], name: &str) -> &'a str {
        h.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v)
    }

    #[test]
    fn shapes_scope_buckets_by_major_parameter() {
        assert_eq!(
            route_shape("/channels/1/messages/2"),
            ("/channels/{major}/messages/{id}".into(), "1".into())
        );
        assert_eq!(
            route_shape("/channels/1/messages/2/reactions/%F0%9F%91%8D/@me").0,
            "/channels/{major}/messages/{id}/reactions/{emoji}/@me"
        );
        assert_eq!(
            route_shape("/webhooks/5/tok/messages/@original"),
            (
                "/webhooks/{major}/{token}/messages/@original".into(),
                "5/tok".into()
            )
        );
        assert_eq!(
            route_shape("/interactions/7/tok/callback").0,
            "/interactions/{id}/{token}/callback"
        );
        let a = Bucket::of(&[], "POST", "/channels/1/messages");
        let b = Bucket::of(&[], "POST", "/channels/2/messages");
        assert_eq!(a.id, b.id, "one bucket id for the route");
        assert_ne!(a.key, b.key, "separate windows per channel");
    }

    #[test]
    fn a_rule_answers_429_until_its_window_ends_and_counts_only_answered_requests() {
        let rules = [RateLimitRule::new("/channels/1/", 2, Duration::from_secs(1)).method("post")];
        let bucket = Bucket::of(&rules, "POST", "/channels/1/messages");
        let mut b = Buckets::default();
        let t0 = Duration::from_secs(100);
        let h = b.take(&bucket, None, false, t0).ok().expect("first");
        assert_eq!(header(&h, "x-ratelimit-limit"), "2");
        assert_eq!(header(&h, "x-ratelimit-remaining"), "1");
        assert_eq!(header(&h, "x-ratelimit-reset-after"), "1.000");
        let h = b
            .take(&bucket, None, false, t0 + Duration::from_millis(250))
            .ok()
            .expect("second");
        assert_eq!(header(&h, "x-ratelimit-remaining"), "0");
        assert_eq!(header(&h, "x-ratelimit-reset-after"), "0.750");
        let Err(Limited::Route {
            retry_after,
            headers,
        }) = b.take(&bucket, None, false, t0 + Duration::from_millis(400))
        else {
            panic!("third must be limited")
        };
        assert_eq!(retry_after, Duration::from_millis(600));
        let (body, headers) = route_429(retry_after, headers);
        assert_eq!(body["retry_after"], 0.6);
        assert_eq!(body["global"], false);
        assert_eq!(header(&headers, "retry-after"), "1");
        assert_eq!(header(&headers, "x-ratelimit-scope"), "user");
        assert!(headers.iter().all(|(k, _)| k != "x-ratelimit-global"));
        // A new window after `per`.
        let h = b
            .take(&bucket, None, false, t0 + Duration::from_secs(1))
            .ok()
            .expect("next window");
        assert_eq!(header(&h, "x-ratelimit-remaining"), "1");
        // Other methods and paths are not in the rule.
        assert!(!Bucket::of(&rules, "GET", "/channels/1/messages").enforced);
        assert!(!Bucket::of(&rules, "POST", "/channels/2/messages").enforced);
    }

    #[test]
    fn the_global_limit_spans_routes_but_not_interaction_callbacks() {
        let g = Some(GlobalRateLimit {
            limit: 2,
            per: Duration::from_secs(1),
        });
        let mut b = Buckets::default();
        let now = Duration::from_secs(5);
        let one = Bucket::of(&[], "GET", "/users/@me");
        let two = Bucket::of(&[], "POST", "/channels/1/messages");
        assert!(b.take(&one, g, false, now).is_ok());
        assert!(b.take(&two, g, false, now).is_ok());
        assert!(matches!(
            b.take(&one, g, false, now),
            Err(Limited::Global { .. })
        ));
        let callback = Bucket::of(&[], "POST", "/interactions/1/t/callback");
        assert!(b.take(&callback, g, true, now).is_ok(), "exempt");
        let (body, headers) = global_429(Duration::from_millis(1500));
        assert_eq!(body["global"], true);
        assert_eq!(header(&headers, "x-ratelimit-global"), "true");
        assert_eq!(header(&headers, "retry-after"), "2");
    }

    #[test]
    fn default_buckets_report_but_never_refuse() {
        let bucket = Bucket::of(&[], "GET", "/gateway");
        let mut b = Buckets::default();
        let now = Duration::ZERO;
        for _ in 0..(DEFAULT_LIMIT + 5) {
            assert!(b.take(&bucket, None, false, now).is_ok());
        }
        let h = b.peek(&bucket, now);
        assert_eq!(header(&h, "x-ratelimit-remaining"), "0");
    }
}

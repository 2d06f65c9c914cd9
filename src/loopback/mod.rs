//! A Discord-compatible server on loopback (REST + gateway) for the end-to-end tests and the
//! sandbox.
//!
//! [`LoopbackDiscord::start`] binds three listeners on `127.0.0.1:0`: the REST API
//! (`/api/v10/...`) over plain HTTP/1.1 (hyper, see `http`), the same API over TLS as
//! `discord.com` (see `tls`), and a websocket gateway. The real serenity/poise client is pointed
//! at it either with [`http_for`] (proxy, ratelimiter disabled, see
//! `docs/discord-on-loopback.md`) or with [`ratelimited_http_for`] (ratelimiter on, as in
//! production).
//!
//! The server records every REST request ([`RecordedRequest`]); keeps channel and DM messages
//! (with their reactions and attachments, see `reactions`, `attachments`), interaction responses
//! and a guild with channels, roles and permissions ([`GuildSetup`]); enforces Discord's payload
//! limits ([`limits`]), permissions and rate limits ([`RateLimitRule`]); and can inject failures
//! ([`FailRule`]). Its time windows run on a clock the test can move
//! ([`LoopbackDiscord::advance_clock`]). [`fixtures`] builds the gateway payloads the tests
//! dispatch.
//!
//! [`relay`] is the same `discord.com` TLS endpoint in front of another Discord-compatible
//! server: the bot's way to keep serenity's ratelimiter on with `discord.api_base`.

mod attachments;
pub mod fixtures;
mod gateway;
pub mod guild;
mod http;
pub mod limits;
mod multipart;
mod ratelimit;
mod reactions;
pub mod relay;
mod rest;
mod tls;

pub use guild::{ChannelSetup, GuildSetup, Overwrite, OverwriteTarget, RoleSetup};
pub use ratelimit::{GlobalRateLimit, RateLimitRule};
pub use tls::{CA_PEM, discord_client};

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};

/// Ids and timing of the fake Discord.
#[derive(Debug, Clone)]
pub struct LoopbackConfig {
    /// Application id (sent in READY; serenity uses it for command and webhook routes).
    pub application_id: u64,
    /// The bot's user id (READY `user`, author of the bot's messages).
    pub bot_user_id: u64,
    /// The guild the tests play in.
    pub guild_id: u64,
    /// Time an interaction may take for its initial callback before it is "Unknown interaction"
    /// (Discord: 3 s). Tests shorten it instead of sleeping.
    pub interaction_window: Duration,
    /// Heartbeat interval announced in HELLO. Shorter than Discord's 41.25 s on purpose: when a
    /// websocket ends without a close frame, serenity 0.12.5's shard runner busy-loops until its
    /// next heartbeat fails, which also stalls tokio runtime shutdown at the end of a test.
    pub heartbeat_interval: Duration,
    /// Per-route buckets that answer 429 when exceeded (none by default: every route then has
    /// a generous bucket that only reports headers). More can be added with
    /// [`LoopbackDiscord::set_rate_limit`].
    pub rate_limits: Vec<RateLimitRule>,
    /// Discord's global limit, if the test wants one (off by default).
    pub global_rate_limit: Option<GlobalRateLimit>,
    /// How long a repeated nonce with `enforce_nonce: true` returns the first message instead
    /// of posting again (Discord: a few minutes). Measured on the loopback clock, so a test can
    /// step past it with [`LoopbackDiscord::advance_clock`].
    pub nonce_window: Duration,
    /// Largest total size of the files in one request (Discord: 10 MiB for a bot in a guild
    /// without boosts); larger uploads get 413 `40005 Request entity too large`.
    pub attachment_size_limit: usize,
}

impl Default for LoopbackConfig {
    fn default() -> Self {
        Self {
            application_id: fixtures::DEFAULT_APPLICATION_ID,
            bot_user_id: fixtures::DEFAULT_BOT_USER_ID,
            guild_id: fixtures::DEFAULT_GUILD_ID,
            interaction_window: Duration::from_secs(3),
            heartbeat_interval: Duration::from_secs(5),
            rate_limits: Vec::new(),
            global_rate_limit: None,
            nonce_window: Duration::from_secs(5 * 60),
            attachment_size_limit: attachments::DEFAULT_SIZE_LIMIT,
        }
    }
}

/// One REST request as the server saw and answered it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RecordedRequest {
    /// Position in the request log (0-based).
    pub seq: usize,
    /// Upper-case HTTP method.
    pub method: String,
    /// Path without `/api/v10`, still percent-encoded, e.g. `/channels/1/messages`.
    pub path: String,
    /// Query string without `?` and without the leading `&` serenity adds.
    pub query: String,
    /// JSON body (`payload_json` for multipart), `Null` if empty or not JSON.
    pub body: Value,
    /// Files uploaded with a multipart request: `(filename, size in bytes)`, in form order.
    pub files: Vec<(String, usize)>,
    /// Status answered (0 if the connection was dropped on purpose).
    pub status: u16,
    /// Response body (`Null` for 204 and dropped connections).
    pub response: Value,
    /// The loopback's clock when the request arrived (time since start, plus any
    /// [`LoopbackDiscord::advance_clock`]); tells how long a client waited between requests.
    pub at: Duration,
    /// Headers answered besides the content headers (`x-ratelimit-*`, `retry-after`, ...),
    /// names in lower case; empty for dropped connections.
    pub response_headers: Vec<(String, String)>,
}

impl RecordedRequest {
    /// `method == m && path == p`.
    pub fn is(&self, method: &str, path: &str) -> bool {
        self.method == method && self.path == path
    }

    /// The value of an answered header (`name` in lower case).
    pub fn response_header(&self, name: &str) -> Option<&str> {
        self.response_headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// How an injected failure answers.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// That status with `{"message": ..., "code": 0}` (500 → "Internal Server Error").
    Status(u16),
    /// A route 429: Discord's body, `retry-after`, `x-ratelimit-scope: user` and the route's
    /// bucket headers with nothing remaining. serenity's ratelimiter (when on) sleeps for the
    /// header and retries by itself.
    RateLimited {
        /// Seconds in `retry_after` (and the header, rounded up).
        retry_after_secs: f64,
    },
    /// A global 429 (`"global": true`, `x-ratelimit-global: true`, scope `global`).
    GlobalRateLimited {
        /// Seconds in `retry_after` (and the header, rounded up).
        retry_after_secs: f64,
    },
    /// 403 `{"message": "Missing Access", "code": 50001}`.
    Forbidden,
    /// Close the socket without answering.
    DropConnection,
    /// Handle the request normally, then close the socket without answering: the client cannot
    /// tell whether it worked (the case a nonce protects against).
    LoseResponse,
    /// Handle the request normally, then hold the answer back this long (a slow Discord). While
    /// it is held the work is done but the client does not know it yet: a process killed then
    /// dies with the request in flight.
    SlowResponse(Duration),
}

/// A failure to inject into the next matching REST requests (checked before normal handling).
#[derive(Debug, Clone, PartialEq)]
pub struct FailRule {
    /// Only requests with this method (e.g. `"POST"`); `None` = any.
    pub method: Option<String>,
    /// Only paths (without `/api/v10`) starting with this, e.g. `"/channels/"`; `None` = any.
    pub path_prefix: Option<String>,
    /// What to answer.
    pub kind: Failure,
    /// How many matching requests fail before the rule is used up.
    pub times: u32,
    /// How many matching requests go through untouched before the rule starts failing them.
    pub after: u32,
}

impl FailRule {
    /// Fails the next request of any kind once.
    pub fn new(kind: Failure) -> Self {
        Self {
            method: None,
            path_prefix: None,
            kind,
            times: 1,
            after: 0,
        }
    }

    /// Restricts the rule to one method.
    #[must_use]
    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self
    }

    /// Restricts the rule to paths starting with `prefix` (without `/api/v10`).
    #[must_use]
    pub fn path_prefix(mut self, prefix: &str) -> Self {
        self.path_prefix = Some(prefix.to_owned());
        self
    }

    /// Fails this many matching requests.
    #[must_use]
    pub fn times(mut self, times: u32) -> Self {
        self.times = times;
        self
    }

    /// Lets the first `n` matching requests through untouched (e.g. fail the 51st post).
    #[must_use]
    pub fn after(mut self, n: u32) -> Self {
        self.after = n;
        self
    }
}

/// An interaction the test dispatched, and what the bot answered.
pub(crate) struct InteractionState {
    pub token: String,
    pub payload: Value,
    /// Loopback clock at dispatch.
    pub dispatched_at: Duration,
    /// The initial callback body (`POST /interactions/{id}/{token}/callback`).
    pub callback: Option<Value>,
    /// Loopback clock when the callback was taken.
    pub callback_at: Option<Duration>,
    /// The `@original` message as currently shown (after edits), `None` if none or deleted.
    pub original: Option<Value>,
    /// How many successful `PATCH @original` happened.
    pub original_edits: u32,
    /// Follow-up messages in post order (current state; deleted ones removed).
    pub followups: Vec<Value>,
}

/// A live gateway connection.
pub(crate) struct GatewayConn {
    pub tx: mpsc::UnboundedSender<gateway::GatewayCmd>,
    /// Set once IDENTIFY or RESUME succeeded; only those receive dispatches.
    pub session_id: Option<String>,
}

/// Everything the server remembers; guarded by one std mutex held only briefly (never across
/// an await).
#[derive(Default)]
pub(crate) struct State {
    pub requests: Vec<RecordedRequest>,
    pub fail_rules: Vec<FailRule>,
    pub global_commands: Option<Vec<Value>>,
    pub guild_commands: HashMap<u64, Vec<Value>>,
    /// Messages per channel in post order (current state).
    pub channels: HashMap<u64, Vec<Value>>,
    /// `(channel, nonce)` → message id and loopback clock of its post, for `enforce_nonce`.
    pub nonces: HashMap<(u64, String), (u64, Duration)>,
    /// user → DM channel id, and back.
    pub dm_by_user: HashMap<u64, u64>,
    pub dm_user_by_channel: HashMap<u64, u64>,
    pub refused_dms: HashSet<u64>,
    /// Members seen in interactions or added by the test, by user id.
    pub members: HashMap<u64, Value>,
    /// Who reacted with what: `(channel, message)` → emoji in first-use order, each with its
    /// users (the bot included).
    pub reactions: HashMap<(u64, u64), Vec<reactions::Reaction>>,
    /// User objects of users the test introduced (reactions, members), by id.
    pub users: HashMap<u64, Value>,
    /// Content type and bytes of every uploaded attachment, by attachment id.
    pub attachment_bytes: HashMap<u64, (String, Vec<u8>)>,
    /// The guild: channels, roles, overwrites, the bot's roles.
    pub guild: GuildSetup,
    pub interactions: HashMap<u64, InteractionState>,
    pub interaction_by_token: HashMap<String, u64>,
    pub gateway: HashMap<u64, GatewayConn>,
    /// Last sequence number per session id, for RESUME.
    pub session_seq: HashMap<String, u64>,
    /// Sessions [`LoopbackDiscord::end_sessions`] ended: a RESUME of them is refused.
    pub ended_sessions: HashSet<String>,
    pub identifies: u32,
    pub resumes: u32,
    pub last_snowflake: u64,
    pub next_conn_id: u64,
    /// Active per-route rules (from the config, then [`LoopbackDiscord::set_rate_limit`]).
    pub rate_limits: Vec<RateLimitRule>,
    pub global_rate_limit: Option<GlobalRateLimit>,
    pub buckets: ratelimit::Buckets,
    /// How far [`LoopbackDiscord::advance_clock`] moved the clock.
    pub clock_offset: Duration,
}

impl State {
    /// A fresh snowflake: Discord epoch milliseconds in the top bits, strictly increasing.
    pub fn snowflake(&mut self) -> u64 {
        const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;
        let now_ms = u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(0);
        let candidate = now_ms.saturating_sub(DISCORD_EPOCH_MS) << 22;
        self.last_snowflake = candidate.max(self.last_snowflake + 1);
        self.last_snowflake
    }

    fn identified_sessions(&self) -> usize {
        self.gateway
            .values()
            .filter(|c| c.session_id.is_some())
            .count()
    }

    fn registered(&self) -> bool {
        self.requests.iter().any(|r| {
            r.method == "PUT" && r.path.ends_with("/commands") && (200..300).contains(&r.status)
        })
    }
}

pub(crate) struct Shared {
    pub cfg: LoopbackConfig,
    pub api_addr: SocketAddr,
    /// The same API over TLS as `discord.com` (for clients with serenity's ratelimiter on).
    pub api_tls_addr: SocketAddr,
    /// Origin of the loopback clock.
    started: Instant,
    pub gateway_addr: SocketAddr,
    state: Mutex<State>,
    /// Bumped after every state change so waiters re-check.
    changed: watch::Sender<u64>,
    shutdown: watch::Sender<bool>,
}

impl Shared {
    /// Locks the state; a poisoned lock (a panic elsewhere) still yields the data.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The loopback clock: time since start plus any advance. Every window the server keeps
    /// (interaction response, `enforce_nonce`, rate limits) is measured on it.
    pub fn now(&self, s: &State) -> Duration {
        self.started.elapsed() + s.clock_offset
    }

    pub fn notify(&self) {
        self.changed.send_modify(|v| *v = v.wrapping_add(1));
    }

    pub fn gateway_url(&self) -> String {
        format!("ws://{}", self.gateway_addr)
    }

    /// Waits until `f` returns `Some`, re-checking after every state change.
    async fn wait_until<T>(&self, timeout: Duration, f: impl Fn(&State) -> Option<T>) -> Option<T> {
        let mut rx = self.changed.subscribe();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            // Mark the current version seen *before* checking so no change is missed.
            rx.borrow_and_update();
            if let Some(v) = f(&self.lock()) {
                return Some(v);
            }
            if tokio::time::timeout_at(deadline, rx.changed())
                .await
                .is_err()
            {
                return f(&self.lock());
            }
        }
    }
}

/// The running fake Discord. Cheap to clone; all clones share the same server.
#[derive(Clone)]
pub struct LoopbackDiscord {
    shared: Arc<Shared>,
}

/// A dispatched interaction; read the bot's answers through it.
#[derive(Clone)]
pub struct InteractionHandle {
    shared: Arc<Shared>,
    id: u64,
    token: String,
}

impl LoopbackDiscord {
    /// Binds REST and gateway listeners on `127.0.0.1:0` and starts serving.
    pub async fn start(cfg: LoopbackConfig) -> std::io::Result<Self> {
        let api = TcpListener::bind("127.0.0.1:0").await?;
        let api_tls = TcpListener::bind("127.0.0.1:0").await?;
        let gw = TcpListener::bind("127.0.0.1:0").await?;
        let tls = tls::TlsAccept::new().map_err(std::io::Error::other)?;
        let (changed, _) = watch::channel(0);
        let (shutdown, shutdown_rx) = watch::channel(false);
        let state = State {
            rate_limits: cfg.rate_limits.clone(),
            global_rate_limit: cfg.global_rate_limit,
            guild: GuildSetup::default_for(cfg.guild_id, cfg.bot_user_id),
            ..State::default()
        };
        let shared = Arc::new(Shared {
            cfg,
            api_addr: api.local_addr()?,
            api_tls_addr: api_tls.local_addr()?,
            started: Instant::now(),
            gateway_addr: gw.local_addr()?,
            state: Mutex::new(state),
            changed,
            shutdown,
        });
        let handler_shared = shared.clone();
        let handler: http::Handler = Arc::new(move |req| rest::handle(&handler_shared, req));
        tokio::spawn(http::serve(
            api,
            http::PlainAccept,
            handler.clone(),
            shutdown_rx.clone(),
        ));
        tokio::spawn(http::serve(api_tls, tls, handler, shutdown_rx.clone()));
        tokio::spawn(gateway::serve(gw, shared.clone(), shutdown_rx));
        tracing::info!(api = %shared.api_addr, gateway = %shared.gateway_addr, "loopback discord started");
        Ok(Self { shared })
    }

    /// The REST base to hand serenity as proxy, e.g. `http://127.0.0.1:40123`.
    pub fn api_base(&self) -> String {
        format!("http://{}", self.shared.api_addr)
    }

    /// The REST API over TLS, answering as `discord.com` (certificate signed by [`CA_PEM`]).
    /// Hand it to [`ratelimited_http_for`] for a client with serenity's ratelimiter on.
    pub fn api_tls_addr(&self) -> SocketAddr {
        self.shared.api_tls_addr
    }

    /// The gateway URL (`ws://127.0.0.1:PORT`), as `GET /gateway` reports it.
    pub fn gateway_url(&self) -> String {
        self.shared.gateway_url()
    }

    /// The configuration the server runs with.
    pub fn config(&self) -> &LoopbackConfig {
        &self.shared.cfg
    }

    /// Every REST request so far, in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    /// Waits until a request matching `pred` has been recorded (including earlier ones) and
    /// returns the first such; `None` on timeout.
    pub async fn wait_for(
        &self,
        timeout: Duration,
        pred: impl Fn(&RecordedRequest) -> bool,
    ) -> Option<RecordedRequest> {
        self.shared
            .wait_until(timeout, |s| s.requests.iter().find(|r| pred(r)).cloned())
            .await
    }

    /// Like [`Self::wait_for`] but only considers requests with `seq >= from` (use
    /// `requests().len()` taken before the action).
    pub async fn wait_for_after(
        &self,
        from: usize,
        timeout: Duration,
        pred: impl Fn(&RecordedRequest) -> bool,
    ) -> Option<RecordedRequest> {
        self.shared
            .wait_until(timeout, |s| {
                s.requests.iter().skip(from).find(|r| pred(r)).cloned()
            })
            .await
    }

    /// Waits until a gateway session is identified and a command registration PUT succeeded.
    pub async fn wait_ready(&self, timeout: Duration) -> bool {
        self.shared
            .wait_until(timeout, |s| {
                (s.identified_sessions() > 0 && s.registered()).then_some(())
            })
            .await
            .is_some()
    }

    /// Waits until at least one gateway session is identified (or resumed).
    pub async fn wait_gateway(&self, timeout: Duration) -> bool {
        self.shared
            .wait_until(timeout, |s| (s.identified_sessions() > 0).then_some(()))
            .await
            .is_some()
    }

    /// `(IDENTIFY count, RESUME count)` accepted so far.
    pub fn gateway_stats(&self) -> (u32, u32) {
        let s = self.shared.lock();
        (s.identifies, s.resumes)
    }

    /// Registered commands: the guild's (for the configured guild) followed by global ones.
    pub fn registered_commands(&self) -> Vec<Value> {
        let s = self.shared.lock();
        let mut out = s
            .guild_commands
            .get(&self.shared.cfg.guild_id)
            .cloned()
            .unwrap_or_default();
        out.extend(s.global_commands.clone().unwrap_or_default());
        out
    }

    /// Sends a dispatch (`op 0`, next `s`) to every identified gateway session.
    ///
    /// `MESSAGE_REACTION_ADD` / `_REMOVE` also update the reactions the server keeps (and so
    /// `GET …/reactions/{emoji}` and the messages' `reactions`), as on Discord.
    pub async fn dispatch(&self, event: &str, data: Value) {
        // Parsed before taking the lock: a burst of dispatches competes with the REST handler.
        let id = |k: &str| data[k].as_str().and_then(|v| v.parse::<u64>().ok());
        let reaction = match (event, reactions::emoji_key(&data["emoji"])) {
            ("MESSAGE_REACTION_ADD" | "MESSAGE_REACTION_REMOVE", Some(emoji)) => {
                match (id("channel_id"), id("message_id"), id("user_id")) {
                    (Some(c), Some(m), Some(u)) => Some((c, m, u, emoji)),
                    _ => None,
                }
            }
            _ => None,
        };
        let mut s = self.shared.lock();
        if let Some((c, m, u, emoji)) = reaction {
            if event == "MESSAGE_REACTION_ADD" {
                if let Some(user) = data["member"].get("user")
                    && !s.users.contains_key(&u)
                {
                    s.users.insert(u, user.clone());
                }
                reactions::add(&mut s, c, m, &emoji, u);
            } else {
                reactions::remove(&mut s, c, m, &emoji, u);
            }
        }
        // No `notify`: nothing waits on reactions, and waking every waiter per dispatch would
        // slow a burst down.
        for conn in s.gateway.values().filter(|c| c.session_id.is_some()) {
            let _ = conn.tx.send(gateway::GatewayCmd::Dispatch(
                event.to_owned(),
                data.clone(),
            ));
        }
    }

    /// `user` reacts with `emoji` (`"👍"`, or `"name:id"` for a custom emoji), or takes the
    /// reaction back (`add` false), and the bot gets `MESSAGE_REACTION_ADD` or `_REMOVE` (from
    /// [`fixtures::reaction_add`] and [`fixtures::reaction_remove`]).
    pub async fn react(
        &self,
        user: &fixtures::FakeUser,
        channel_id: u64,
        message_id: u64,
        emoji: &str,
        add: bool,
    ) {
        if add {
            let data = fixtures::reaction_add(user, channel_id, message_id, emoji);
            self.dispatch("MESSAGE_REACTION_ADD", data).await;
        } else {
            let data = fixtures::reaction_remove(user, channel_id, message_id, emoji);
            self.dispatch("MESSAGE_REACTION_REMOVE", data).await;
        }
    }

    /// `user` reacts, or takes the reaction back (`add` false), without any gateway event, as if
    /// it happened while the bot was offline: only REST (`GET …/reactions/{emoji}`, the message's
    /// `reactions`) shows it.
    pub fn react_silently(
        &self,
        user: &fixtures::FakeUser,
        channel_id: u64,
        message_id: u64,
        emoji: &str,
        add: bool,
    ) {
        let mut s = self.shared.lock();
        if add {
            s.users
                .entry(user.id)
                .or_insert_with(|| fixtures::user_json(user));
            reactions::add(&mut s, channel_id, message_id, emoji, user.id);
        } else {
            reactions::remove(&mut s, channel_id, message_id, emoji, user.id);
        }
        drop(s);
        self.shared.notify();
    }

    /// Ids of the users (the bot included) who currently react with `emoji`, ascending.
    pub fn reaction_users(&self, channel_id: u64, message_id: u64, emoji: &str) -> Vec<u64> {
        reactions::users(&self.shared.lock(), channel_id, message_id, emoji)
    }

    /// Adds a per-route bucket that answers 429 when exceeded (a later rule wins over an earlier
    /// one for the same requests).
    pub fn set_rate_limit(&self, rule: RateLimitRule) {
        self.shared.lock().rate_limits.push(rule);
    }

    /// Removes every per-route rule (and forgets the windows counted so far).
    pub fn clear_rate_limits(&self) {
        let mut s = self.shared.lock();
        s.rate_limits.clear();
        s.buckets.clear();
    }

    /// Sets (or with `None` lifts) Discord's global limit.
    pub fn set_global_rate_limit(&self, limit: Option<GlobalRateLimit>) {
        self.shared.lock().global_rate_limit = limit;
    }

    /// The loopback clock now (see [`Self::advance_clock`]); compare with
    /// [`RecordedRequest::at`].
    pub fn now(&self) -> Duration {
        let s = self.shared.lock();
        self.shared.now(&s)
    }

    /// Moves the loopback's clock forward, as if `by` had passed, without sleeping: open
    /// interaction windows, `enforce_nonce` windows and rate-limit windows see the time pass.
    /// Message timestamps and snowflakes stay on the wall clock.
    pub fn advance_clock(&self, by: Duration) {
        let mut s = self.shared.lock();
        s.clock_offset += by;
        // Rate-limit windows all end within their `per`; a jump leaves them stale.
        s.buckets.clear();
        drop(s);
        self.shared.notify();
    }

    /// Injects a failure into the next matching REST requests.
    pub fn fail_next(&self, rule: FailRule) {
        self.shared.lock().fail_rules.push(rule);
    }

    /// Drops every injected failure not used up yet (the outage is over).
    pub fn clear_failures(&self) {
        self.shared.lock().fail_rules.clear();
    }

    /// Messages in a channel (current state after edits/deletes, with their reactions), in
    /// post order.
    pub fn channel_messages(&self, channel_id: u64) -> Vec<Value> {
        let s = self.shared.lock();
        let bot = self.shared.cfg.bot_user_id;
        s.channels
            .get(&channel_id)
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|m| rest::render_message(&s, bot, m))
            .collect()
    }

    /// `(filename, bytes)` of each attachment of a channel (or DM) message, in order; empty for
    /// an unknown message.
    pub fn attachments(&self, channel_id: u64, message_id: u64) -> Vec<(String, Vec<u8>)> {
        let s = self.shared.lock();
        let key = message_id.to_string();
        s.channels
            .get(&channel_id)
            .and_then(|list| list.iter().find(|m| m["id"].as_str() == Some(key.as_str())))
            .map(|m| attachments::files_of(&s, m))
            .unwrap_or_default()
    }

    /// Messages the bot sent to a user's DM channel, in post order.
    pub fn dm_messages(&self, user_id: u64) -> Vec<Value> {
        let channel = self.shared.lock().dm_by_user.get(&user_id).copied();
        channel
            .map(|c| self.channel_messages(c))
            .unwrap_or_default()
    }

    /// The DM channel id the server uses for `user_id` (stable for the server's lifetime).
    pub fn dm_channel_id(&self, user_id: u64) -> u64 {
        rest::dm_channel_for(&mut self.shared.lock(), user_id)
    }

    /// Messages to this user's DM now fail with 403 code 50007 "Cannot send messages to this
    /// user" (opening the DM channel still works, as on Discord).
    pub fn refuse_dms_to(&self, user_id: u64) {
        self.shared.lock().refused_dms.insert(user_id);
    }

    /// The user opened their DMs again: messages to them go through.
    pub fn allow_dms_to(&self, user_id: u64) {
        self.shared.lock().refused_dms.remove(&user_id);
    }

    /// Emoji (decoded, e.g. `"👍"` or `"name:id"`) the bot currently has on a message.
    pub fn bot_reactions(&self, channel_id: u64, message_id: u64) -> Vec<String> {
        let bot = self.shared.cfg.bot_user_id;
        reactions::of_user(&self.shared.lock(), channel_id, message_id, bot)
    }

    /// The guild as it is set up now (see [`GuildSetup::default_for`] for the start).
    pub fn guild(&self) -> GuildSetup {
        self.shared.lock().guild.clone()
    }

    /// Changes the guild's setup (channels, roles, overwrites, the bot's roles) at will; the
    /// helpers below cover the usual cases.
    pub fn edit_guild(&self, f: impl FnOnce(&mut GuildSetup)) {
        f(&mut self.shared.lock().guild);
        self.shared.notify();
    }

    /// Adds (or replaces, by id) a channel.
    pub fn add_channel(&self, channel: ChannelSetup) {
        self.edit_guild(|g| {
            g.channels.retain(|c| c.id != channel.id);
            g.channels.push(channel);
        });
    }

    /// Deletes a channel: `GET /channels/{id}` is then 404 `10003 Unknown Channel`, and so is
    /// posting there.
    pub fn remove_channel(&self, channel_id: u64) {
        self.edit_guild(|g| g.channels.retain(|c| c.id != channel_id));
    }

    /// Changes a channel's type (e.g. [`guild::kind::VOICE`]).
    pub fn set_channel_kind(&self, channel_id: u64, kind: u8) {
        self.edit_guild(|g| {
            if let Some(c) = g.channel_mut(channel_id) {
                c.kind = kind;
            }
        });
    }

    /// Adds a permission overwrite to a channel (replacing one for the same role or member).
    pub fn add_overwrite(&self, channel_id: u64, overwrite: Overwrite) {
        self.edit_guild(|g| {
            if let Some(c) = g.channel_mut(channel_id) {
                c.overwrites.retain(|o| o.target != overwrite.target);
                c.overwrites.push(overwrite);
            }
        });
    }

    /// Adds (or replaces, by id) a role.
    pub fn add_role(&self, role: RoleSetup) {
        self.edit_guild(|g| {
            g.roles.retain(|r| r.id != role.id);
            g.roles.push(role);
        });
    }

    /// Deletes a role: gone from the guild, from the bot's roles and from every member, as on
    /// Discord.
    pub fn remove_role(&self, role_id: u64) {
        let mut s = self.shared.lock();
        s.guild.roles.retain(|r| r.id != role_id);
        s.guild.bot_roles.retain(|r| *r != role_id);
        for c in &mut s.guild.channels {
            c.overwrites
                .retain(|o| o.target != OverwriteTarget::Role(role_id));
        }
        let id = role_id.to_string();
        for m in s.members.values_mut() {
            if let Some(roles) = m["roles"].as_array_mut() {
                roles.retain(|r| r.as_str() != Some(id.as_str()));
            }
        }
        drop(s);
        self.shared.notify();
    }

    /// Makes a role mentionable or not.
    pub fn set_role_mentionable(&self, role_id: u64, mentionable: bool) {
        self.edit_guild(|g| {
            if let Some(r) = g.role_mut(role_id) {
                r.mentionable = mentionable;
            }
        });
    }

    /// Sets the roles of the bot's member.
    pub fn set_bot_roles(&self, roles: &[u64]) {
        self.edit_guild(|g| g.bot_roles = roles.to_vec());
    }

    /// The bot's permission bits in a guild channel, as the server enforces them; `None` for a
    /// channel the guild does not have.
    pub fn bot_permissions_in(&self, channel_id: u64) -> Option<u64> {
        let s = self.shared.lock();
        let g = &s.guild;
        g.permissions_in(channel_id, self.shared.cfg.bot_user_id, &g.bot_roles)
    }

    /// Makes `GET /guilds/{g}/members/{id}` know this member.
    pub fn add_member(&self, user: &fixtures::FakeUser) {
        self.shared
            .lock()
            .members
            .insert(user.id, fixtures::member_json(user));
    }

    /// Makes `GET /guilds/{g}/members/{id}` answer 404 (Unknown Member): they left the server.
    pub fn remove_member(&self, user_id: u64) {
        self.shared.lock().members.remove(&user_id);
    }

    /// Drops every gateway connection (close code 4000) so the client has to reconnect.
    pub async fn kick_gateway(&self) {
        let mut s = self.shared.lock();
        for conn in s.gateway.values() {
            let _ = conn.tx.send(gateway::GatewayCmd::Close);
        }
        // Forget them now so `wait_gateway` waits for the reconnect, not the old session.
        s.gateway.clear();
        drop(s);
        self.shared.notify();
    }

    /// Ends every gateway session and drops its connection, as Discord does after an outage
    /// longer than it keeps sessions: the client's RESUME is refused (op 9, not resumable) and
    /// it identifies afresh, getting a new READY.
    pub async fn end_sessions(&self) {
        {
            let mut s = self.shared.lock();
            let ended: Vec<String> = s.session_seq.keys().cloned().collect();
            s.ended_sessions.extend(ended);
        }
        self.kick_gateway().await;
    }

    /// Dispatches `INTERACTION_CREATE` with a fresh `id` and `token` and this application's id
    /// (and, for commands, the registered command's id), and starts the response window.
    pub async fn interact(&self, mut payload: Value) -> InteractionHandle {
        let (id, token) = {
            let mut s = self.shared.lock();
            let id = s.snowflake();
            let token = format!("loopback-interaction-{id}");
            payload["id"] = json!(id.to_string());
            payload["token"] = json!(token);
            payload["application_id"] = json!(self.shared.cfg.application_id.to_string());
            if let Some(name) = payload["data"]["name"].as_str() {
                let registered = s
                    .guild_commands
                    .values()
                    .flatten()
                    .chain(s.global_commands.iter().flatten())
                    .find(|c| c["name"].as_str() == Some(name))
                    .map(|c| c["id"].clone());
                if let Some(cid) = registered {
                    payload["data"]["id"] = cid;
                }
            }
            if let Some(uid) = payload["member"]["user"]["id"]
                .as_str()
                .and_then(|u| u.parse::<u64>().ok())
            {
                let mut member = payload["member"].clone();
                if let Some(m) = member.as_object_mut() {
                    m.remove("permissions");
                }
                s.members.insert(uid, member);
            }
            s.interaction_by_token.insert(token.clone(), id);
            let dispatched_at = self.shared.now(&s);
            s.interactions.insert(
                id,
                InteractionState {
                    token: token.clone(),
                    payload: payload.clone(),
                    dispatched_at,
                    callback: None,
                    callback_at: None,
                    original: None,
                    original_edits: 0,
                    followups: Vec::new(),
                },
            );
            (id, token)
        };
        self.dispatch("INTERACTION_CREATE", payload).await;
        InteractionHandle {
            shared: self.shared.clone(),
            id,
            token,
        }
    }

    /// Stops accepting and closes all connections.
    pub fn shutdown(&self) {
        let _ = self.shared.shutdown.send(true);
        let mut s = self.shared.lock();
        for conn in s.gateway.values() {
            let _ = conn.tx.send(gateway::GatewayCmd::Close);
        }
        s.gateway.clear();
    }
}

impl InteractionHandle {
    /// The interaction id.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The interaction token.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The payload that was dispatched (with its final id/token).
    pub fn payload(&self) -> Value {
        self.with(|i| i.payload.clone()).unwrap_or(Value::Null)
    }

    fn with<T>(&self, f: impl FnOnce(&InteractionState) -> T) -> Option<T> {
        self.shared.lock().interactions.get(&self.id).map(f)
    }

    /// Waits for the initial callback and returns its body (`{"type": 4, "data": {...}}`).
    pub async fn response(&self, timeout: Duration) -> Option<Value> {
        self.shared
            .wait_until(timeout, |s| {
                s.interactions
                    .get(&self.id)
                    .and_then(|i| i.callback.clone())
            })
            .await
    }

    /// Waits for what the user finally sees: for callback type 4/7 the `@original` message;
    /// for a deferred 5/6 the `@original` after its first edit, or else the first follow-up;
    /// for 8 (autocomplete) and 9 (modal) the callback body.
    pub async fn wait_final(&self, timeout: Duration) -> Option<Value> {
        self.shared
            .wait_until(timeout, |s| {
                let i = s.interactions.get(&self.id)?;
                let cb = i.callback.as_ref()?;
                match cb["type"].as_u64() {
                    Some(4 | 7) => i.original.clone(),
                    Some(5 | 6) if i.original_edits > 0 && i.original.is_some() => {
                        i.original.clone()
                    }
                    Some(5 | 6) => i.followups.first().cloned(),
                    _ => Some(cb.clone()),
                }
            })
            .await
    }

    /// Follow-up messages (current state), in post order.
    pub fn followups(&self) -> Vec<Value> {
        self.with(|i| i.followups.clone()).unwrap_or_default()
    }

    /// The current `@original` message (after edits); `None` before a message callback or
    /// after deletion.
    pub fn original(&self) -> Option<Value> {
        self.with(|i| i.original.clone()).flatten()
    }

    /// `(filename, bytes)` of the attachments of the `@original` message (current state).
    pub fn original_attachments(&self) -> Vec<(String, Vec<u8>)> {
        let s = self.shared.lock();
        s.interactions
            .get(&self.id)
            .and_then(|i| i.original.as_ref())
            .map(|m| attachments::files_of(&s, m))
            .unwrap_or_default()
    }

    /// `(filename, bytes)` of the attachments of the follow-up at `index` (post order, as in
    /// [`Self::followups`]).
    pub fn followup_attachments(&self, index: usize) -> Vec<(String, Vec<u8>)> {
        let s = self.shared.lock();
        s.interactions
            .get(&self.id)
            .and_then(|i| i.followups.get(index))
            .map(|m| attachments::files_of(&s, m))
            .unwrap_or_default()
    }

    /// The initial callback body, if any yet.
    pub fn callback(&self) -> Option<Value> {
        self.with(|i| i.callback.clone()).flatten()
    }

    /// How long after its dispatch the interaction was first answered (a reply, a form or
    /// "thinking…"); `None` while unanswered. Discord allows 3 s.
    pub fn answered_after(&self) -> Option<Duration> {
        self.with(|i| i.callback_at.map(|at| at.saturating_sub(i.dispatched_at)))
            .flatten()
    }
}

/// A serenity HTTP client for a loopback (or other Discord-compatible) API base: proxy set and
/// the ratelimiter disabled, because serenity's ratelimiter ignores the proxy and would send
/// requests to the real discord.com.
pub fn http_for(api_base: &str, token: &str) -> serenity::http::Http {
    serenity::http::HttpBuilder::new(token)
        .proxy(api_base)
        .ratelimiter_disabled(true)
        .build()
}

/// A serenity HTTP client with its ratelimiter ON, as in production, against the loopback's
/// TLS API at `tls_addr` ([`LoopbackDiscord::api_tls_addr`]).
///
/// serenity 0.12.5's ratelimiter builds each request with `proxy = None`
/// (`Ratelimiter::perform` in `src/http/ratelimiting.rs`), so `HttpBuilder::proxy` cannot be
/// combined with it. Instead no proxy is set: requests go to `https://discord.com` as in
/// production, and the reqwest client ([`discord_client`]) resolves `discord.com` to the
/// loopback and trusts only the loopback's CA. The ratelimiter then reads the loopback's
/// `X-RateLimit-*` headers and 429s exactly as Discord's.
pub fn ratelimited_http_for(tls_addr: SocketAddr, token: &str) -> serenity::http::Http {
    serenity::http::HttpBuilder::new(token)
        .client(discord_client(tls_addr))
        .build()
}

//! The loopback gateway: a websocket server speaking enough of Discord's gateway v10 for
//! serenity's shard runner (HELLO, IDENTIFY → READY, heartbeats, RESUME → RESUMED, or op 9
//! for a session it does not know or that was ended).
//!
//! Frames are plain JSON text (no compression). Each connection gets a task that owns its socket
//! and sequence counter; the rest of the server talks to it through an unbounded channel.

use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

use super::http::stopped;
use super::{GatewayConn, Shared, fixtures};

/// Commands from the rest of the server to one connection.
pub(crate) enum GatewayCmd {
    /// Send a dispatch (`op 0`) with the next sequence number.
    Dispatch(String, Value),
    /// Close with code 4000 so the client reconnects.
    Close,
}

pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    shutdown: watch::Receiver<bool>,
) {
    loop {
        let mut sd = shutdown.clone();
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    tokio::spawn(connection(stream, shared.clone(), shutdown.clone()));
                }
                Err(e) => {
                    tracing::warn!(error = %e, "loopback gateway accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
            },
            () = stopped(&mut sd) => return,
        }
    }
}

async fn connection(stream: TcpStream, shared: Arc<Shared>, shutdown: watch::Receiver<bool>) {
    // Dispatches are small frames written one by one: with Nagle's algorithm one would wait for
    // the client's delayed ACK (up to 40 ms on Linux) whenever the previous one is unacknowledged.
    let _ = stream.set_nodelay(true);
    let ws = match tokio_tungstenite::accept_async(stream).await {
        Ok(ws) => ws,
        Err(e) => {
            tracing::warn!(error = %e, "loopback gateway handshake failed");
            return;
        }
    };
    let (tx, rx) = mpsc::unbounded_channel();
    let conn_id = {
        let mut s = shared.lock();
        s.next_conn_id += 1;
        let id = s.next_conn_id;
        s.gateway.insert(
            id,
            GatewayConn {
                tx,
                session_id: None,
            },
        );
        id
    };
    if let Err(e) = run(ws, &shared, conn_id, rx, shutdown).await {
        tracing::debug!(error = %e, conn_id, "loopback gateway connection ended");
    }
    shared.lock().gateway.remove(&conn_id);
    shared.notify();
}

type Ws = tokio_tungstenite::WebSocketStream<TcpStream>;

struct Conn<'a> {
    shared: &'a Shared,
    conn_id: u64,
    seq: u64,
    session_id: Option<String>,
}

impl Conn<'_> {
    async fn send(&self, ws: &mut Ws, v: Value) -> anyhow::Result<()> {
        ws.send(WsMessage::Text(v.to_string())).await?;
        Ok(())
    }

    async fn dispatch(&mut self, ws: &mut Ws, event: &str, data: Value) -> anyhow::Result<()> {
        self.seq += 1;
        if let Some(sid) = &self.session_id {
            self.shared.lock().session_seq.insert(sid.clone(), self.seq);
        }
        let frame = json!({"op": 0, "s": self.seq, "t": event, "d": data});
        self.send(ws, frame).await
    }

    fn mark_identified(&mut self, session_id: String) {
        let mut s = self.shared.lock();
        if let Some(c) = s.gateway.get_mut(&self.conn_id) {
            c.session_id = Some(session_id.clone());
        }
        s.session_seq.insert(session_id.clone(), self.seq);
        drop(s);
        self.session_id = Some(session_id);
    }

    async fn on_frame(&mut self, ws: &mut Ws, text: &str) -> anyhow::Result<()> {
        let Ok(frame) = serde_json::from_str::<Value>(text) else {
            tracing::warn!(text, "loopback gateway: non-JSON frame");
            return Ok(());
        };
        match frame["op"].as_u64() {
            // Heartbeat: acknowledge at once.
            Some(1) => self.send(ws, json!({"op": 11})).await?,
            // Identify.
            Some(2) => {
                let sid = {
                    let mut s = self.shared.lock();
                    s.identifies += 1;
                    format!("loopback-session-{}", s.snowflake())
                };
                self.seq = 0;
                self.mark_identified(sid.clone());
                let cfg = &self.shared.cfg;
                let ready = fixtures::ready(
                    cfg.application_id,
                    cfg.bot_user_id,
                    &sid,
                    &self.shared.gateway_url(),
                );
                self.dispatch(ws, "READY", ready).await?;
                self.shared.notify();
            }
            // Resume: continue the session if we know it, else invalid session (not resumable).
            Some(6) => {
                let sid = frame["d"]["session_id"].as_str().unwrap_or("").to_owned();
                let known = {
                    let s = self.shared.lock();
                    let ended = s.ended_sessions.contains(&sid);
                    s.session_seq.get(&sid).copied().filter(|_| !ended)
                };
                match known {
                    Some(last) => {
                        self.seq = frame["d"]["seq"].as_u64().unwrap_or(last).max(last);
                        self.shared.lock().resumes += 1;
                        self.mark_identified(sid);
                        self.dispatch(ws, "RESUMED", json!({})).await?;
                        self.shared.notify();
                    }
                    None => self.send(ws, json!({"op": 9, "d": false})).await?,
                }
            }
            // Presence update (3), voice state (4), request guild members (8): ignored.
            _ => {}
        }
        Ok(())
    }
}

async fn run(
    mut ws: Ws,
    shared: &Shared,
    conn_id: u64,
    mut rx: mpsc::UnboundedReceiver<GatewayCmd>,
    mut shutdown: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let heartbeat_ms = u64::try_from(shared.cfg.heartbeat_interval.as_millis()).unwrap_or(41_250);
    let mut conn = Conn {
        shared,
        conn_id,
        seq: 0,
        session_id: None,
    };
    conn.send(
        &mut ws,
        json!({"op": 10, "s": null, "t": null, "d": {"heartbeat_interval": heartbeat_ms}}),
    )
    .await?;
    loop {
        tokio::select! {
            msg = ws.next() => match msg {
                Some(Ok(WsMessage::Text(t))) => conn.on_frame(&mut ws, &t).await?,
                Some(Ok(WsMessage::Binary(b))) => {
                    // serenity only sends text, but be lenient.
                    if let Ok(t) = String::from_utf8(b) {
                        conn.on_frame(&mut ws, &t).await?;
                    }
                }
                // Discord answers a client's close frame before it hangs up (serenity waits
                // for that answer when it shuts a shard down). tungstenite queued the answer on
                // reading the frame; reading on sends it and ends the stream.
                Some(Ok(WsMessage::Close(_))) => {
                    let drain = async { while let Some(Ok(_)) = ws.next().await {} };
                    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), drain).await;
                    return Ok(());
                }
                None => return Ok(()),
                Some(Ok(_)) => {} // ping/pong handled by tungstenite
                Some(Err(e)) => return Err(e.into()),
            },
            cmd = rx.recv() => match cmd {
                Some(GatewayCmd::Dispatch(event, data)) => conn.dispatch(&mut ws, &event, data).await?,
                Some(GatewayCmd::Close) | None => {
                    let frame = CloseFrame { code: CloseCode::Library(4000), reason: "kicked by loopback".into() };
                    close_gracefully(&mut ws, Some(frame)).await;
                    return Ok(());
                }
            },
            () = stopped(&mut shutdown) => {
                let frame = CloseFrame { code: CloseCode::Away, reason: "loopback shutting down".into() };
                close_gracefully(&mut ws, Some(frame)).await;
                return Ok(());
            }
        }
    }
}

/// Sends a close frame and waits (briefly) for the client's reply, so the client sees a proper
/// close (and its code) rather than a bare end of stream. serenity 0.12.5 busy-loops on a bare
/// end of stream until its next heartbeat.
async fn close_gracefully(ws: &mut Ws, frame: Option<CloseFrame<'static>>) {
    if ws.close(frame).await.is_err() {
        return;
    }
    let drain = async { while let Some(Ok(_)) = ws.next().await {} };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(2), drain).await;
}

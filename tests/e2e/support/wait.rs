//! Waiting, two ways and no third: [`wait_until`] polls for something that should appear, and
//! the bot's own signals on `Desk::events` say that an event was handled ([`handled`]) or that
//! the timers and the outbox reached a known point ([`Harness::settle`]). A check that
//! something did NOT happen always comes after such a signal, never after a sleep.

use std::time::Duration;

use tokio::sync::broadcast::Receiver;
use vpa_desk::domain::ids::DiscordId;
use vpa_desk::service::{DeskEvent, HandledEvent, HandledOutcome};

use super::harness::Harness;
use super::messages::message_id;

/// How long anything may take on a loaded 2-core machine.
pub const WAIT: Duration = Duration::from_secs(10);

/// The bot's stream of what it committed and handled (see [`Harness::events`]).
pub type Events = Receiver<DeskEvent>;

/// Polls `probe` until it yields, for up to [`WAIT`].
pub async fn wait_until<T>(probe: impl AsyncFnMut() -> Option<T>) -> Option<T> {
    wait_until_for(WAIT, probe).await
}

/// Polls `probe` until it yields, for up to `timeout`.
pub async fn wait_until_for<T>(
    timeout: Duration,
    mut probe: impl AsyncFnMut() -> Option<T>,
) -> Option<T> {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(v) = probe().await {
            return Some(v);
        }
        if tokio::time::Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits for the next event that `pick` takes.
pub async fn next_event<T>(
    events: &mut Events,
    what: &str,
    mut pick: impl FnMut(&DeskEvent) -> Option<T>,
) -> T {
    let wait = async {
        loop {
            match events.recv().await {
                Ok(event) => {
                    if let Some(v) = pick(&event) {
                        return v;
                    }
                }
                Err(e) => panic!("the bot's events ended while waiting for {what}: {e}"),
            }
        }
    };
    tokio::time::timeout(WAIT, wait)
        .await
        .unwrap_or_else(|_| panic!("waited in vain for {what}"))
}

/// Waits until the bot says it handled an event matching `wanted`; its outcome.
pub async fn handled(
    events: &mut Events,
    wanted: impl Fn(&HandledEvent) -> bool,
) -> HandledOutcome {
    next_event(events, "the bot to handle the event", |e| match e {
        DeskEvent::Handled { event, outcome } if wanted(event) => Some(*outcome),
        _ => None,
    })
    .await
}

/// Collects every handled event until `enough` says the collection is complete.
pub async fn handled_until(
    events: &mut Events,
    enough: impl Fn(&[(HandledEvent, HandledOutcome)]) -> bool,
) -> Vec<(HandledEvent, HandledOutcome)> {
    let mut seen = Vec::new();
    while !enough(&seen) {
        let next = next_event(events, "the bot to handle more events", |e| match e {
            DeskEvent::Handled { event, outcome } => Some((event.clone(), *outcome)),
            _ => None,
        })
        .await;
        seen.push(next);
    }
    seen
}

/// Matches the interaction with this id.
pub fn interaction(id: u64) -> impl Fn(&HandledEvent) -> bool {
    move |e| *e == HandledEvent::Interaction(id)
}

/// Matches the reaction `emoji` by `user` on `message`, added or taken back.
pub fn reaction(
    message: &serde_json::Value,
    user: u64,
    emoji: &str,
    added: bool,
) -> impl Fn(&HandledEvent) -> bool {
    let (message, emoji) = (message_id(message), emoji.to_string());
    move |e| {
        matches!(e, HandledEvent::Reaction { message: m, user: u, emoji: em, added: a }
            if *m == message && *u == DiscordId(user) && *em == emoji && *a == added)
    }
}

impl Harness {
    /// The bot's stream of what it handled; take it before the event that should show up.
    pub fn events(&self) -> Events {
        self.desk.events.subscribe()
    }

    /// Moves the clock and lets the bot catch up ([`Harness::settle`]).
    pub async fn advance(&self, by: chrono::Duration) {
        self.clock.advance(by);
        self.settle().await;
    }

    /// Brings the bot to a known point: rings the timers and waits for a pass that saw the
    /// clock's current time (everything due by now is handled), then for the outbox to be idle
    /// with nothing due or in flight (everything queued so far is out, or waits for a later
    /// attempt). After this, "nothing more happened" is a meaningful check.
    pub async fn settle(&self) {
        if let Err(part) = self.desk.settle(WAIT).await {
            panic!(
                "the bot did not settle ({part:?}): {:?}",
                self.desk.db.outbox_states().await
            );
        }
    }
}

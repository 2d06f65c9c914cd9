//! [`Desk`]: what every use case needs — database, configuration, clock, the workers' bells and
//! the stream of committed events — and [`Act`]: who asks, through which Discord event.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use tokio::sync::Notify;

use super::error::{Refusal, Result};
use crate::clock::SharedClock;
use crate::config::Config;
use crate::db::{self, Db};
use crate::domain::ids::{DiscordId, RoundId};

/// The application's shared state; cheap to clone.
#[derive(Debug, Clone)]
pub struct Desk {
    pub db: Db,
    pub config: Arc<Config>,
    pub clock: SharedClock,
    /// Rung after a transaction that queued outgoing messages, so delivery starts at once.
    pub outbox_bell: Arc<Notify>,
    /// Rung when timers may be due (clock moved in tests) or the pool changed.
    pub timer_bell: Arc<Notify>,
    /// Set when something that can affect availability changed, so the watch runs soon.
    pub pool_dirty: Arc<AtomicBool>,
    /// What happened, after it was committed (for watchers, tests and benchmarks). Sending
    /// costs nothing when nobody listens.
    pub events: tokio::sync::broadcast::Sender<DeskEvent>,
    /// Answers waiting to be written together (see [`super::answer_writer`]).
    pub(crate) answer_queue: Arc<super::answer_writer::AnswerQueue>,
    /// Members' languages seen by this process (see [`super::members`]).
    pub(crate) known_locales: Arc<super::members::KnownLocales>,
    /// What the last set-up check found (see [`super::setup`]); empty when all is set up.
    pub(crate) setup_problems: Arc<std::sync::Mutex<Vec<crate::domain::setup::SetupProblem>>>,
}

/// Who asks for a change, and through which Discord event. The event is marked as handled in
/// the same transaction as the change, so a repeated delivery changes nothing and a failed
/// one leaves no mark (it is handled again when Discord replays it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Act {
    pub by: DiscordId,
    /// `interaction:<id>`; none for the command line and the timers.
    pub event: Option<String>,
}

impl Act {
    /// A change asked for through a Discord interaction.
    pub fn interaction(by: DiscordId, interaction_id: u64) -> Act {
        Act {
            by,
            event: Some(format!("interaction:{interaction_id}")),
        }
    }

    /// A change without a Discord event (the command line, tests).
    pub fn by(by: DiscordId) -> Act {
        Act { by, event: None }
    }
}

/// When an answer reached the service, when its batch started and when that batch had the
/// write lock: with the commit, where an answer's time goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerStages {
    pub submitted: std::time::Instant,
    pub batch_started: std::time::Instant,
    pub locked: std::time::Instant,
    /// The batch's statements were done; what follows is the commit (the WAL sync).
    pub committing: std::time::Instant,
}

/// Something that was committed or handled.
#[derive(Debug, Clone, PartialEq)]
pub enum DeskEvent {
    /// A survey answer was stored or withdrawn.
    AnswerRecorded {
        round_id: RoundId,
        vpa: DiscordId,
        /// When it was committed.
        at: std::time::Instant,
        /// When it passed the stages before (the benches break the latency down by them).
        stages: AnswerStages,
    },
    /// A round's survey post is out.
    SurveyPosted {
        round_id: RoundId,
        channel: DiscordId,
        message: DiscordId,
    },
    /// The timers made a pass over everything due at `now` (rounds, follow-ups, pool watch).
    TimersPassed { now: DateTime<Utc> },
    /// The outbox worker found nothing due: everything queued until now is out (or waits for
    /// a later attempt).
    OutboxIdle,
    /// The catch-up on reactions after a READY is done (see [`super::catch_up`]): `posts`
    /// open survey posts were read, `added` answers recorded and `withdrawn` withdrawn;
    /// `failed` posts or changes did not go through (the next READY tries them again).
    CaughtUp {
        posts: usize,
        added: usize,
        withdrawn: usize,
        failed: usize,
    },
    /// Old handled events and delivered messages were pruned (see [`super::maintenance`]).
    Pruned(crate::db::maintenance::Pruned),
    /// The set-up check ran and found this many problems.
    SetupChecked { problems: usize },
    /// A Discord event was handled, whatever came of it (tests wait for this instead of
    /// sleeping before they check that nothing happened).
    Handled {
        event: HandledEvent,
        outcome: HandledOutcome,
    },
}

/// Which Discord event was handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandledEvent {
    /// A command, button, select, modal or autocomplete, by interaction id.
    Interaction(u64),
    /// A reaction added or removed on a message.
    Reaction {
        message: DiscordId,
        user: DiscordId,
        emoji: String,
        added: bool,
    },
}

/// What came of a handled event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandledOutcome {
    /// Done as asked.
    Done,
    /// Not ours to act on (a bot's reaction, a foreign emoji, a non-VPA).
    Ignored,
    /// Refused with a private message.
    Refused,
    /// A repeated delivery: nothing changed.
    Duplicate,
    /// Failed on our side; the user got the generic message.
    Failed,
}

/// What did not come to rest in [`Desk::settle`]'s time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsettled {
    /// The timer worker did not pass at the clock's time.
    Timers,
    /// The outbox kept sending, or had something due.
    Outbox,
}

impl Desk {
    pub fn new(db: Db, config: Config, clock: SharedClock) -> Desk {
        // Room for a burst: every answer and every handled event is one message.
        let (events, _) = tokio::sync::broadcast::channel(16_384);
        Desk {
            db,
            config: Arc::new(config),
            clock,
            outbox_bell: Arc::new(Notify::new()),
            timer_bell: Arc::new(Notify::new()),
            pool_dirty: Arc::new(AtomicBool::new(true)),
            events,
            answer_queue: Arc::default(),
            known_locales: Arc::default(),
            setup_problems: Arc::default(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Today in the agency's time zone.
    pub fn today(&self) -> NaiveDate {
        self.clock.today(self.config.timezone)
    }

    /// The last instant of a local calendar day (a deadline "D" runs until the end of D).
    pub fn end_of_day(&self, day: NaiveDate) -> DateTime<Utc> {
        let last = day.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default());
        self.config
            .timezone
            .from_local_datetime(&last)
            .latest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| last.and_utc())
    }

    /// Tells listeners what was committed or handled (no listener is fine).
    pub fn publish(&self, event: DeskEvent) {
        let _ = self.events.send(event);
    }

    /// Something that can change availability was committed (profile, assignment, import):
    /// the pool-health watch evaluates right away.
    pub fn pool_changed(&self) {
        self.pool_dirty.store(true, Ordering::SeqCst);
        self.timer_bell.notify_one();
    }

    /// Wakes the timer worker (e.g. after a test moved the clock).
    pub fn ring_timers(&self) {
        self.timer_bell.notify_one();
    }

    /// Wakes the outbox worker after queued messages were committed.
    pub fn ring_outbox(&self) {
        self.outbox_bell.notify_one();
    }

    /// Brings the desk to rest: the timers pass at the clock's current time (everything due by
    /// now is handled), then the outbox is idle with nothing in flight and nothing due (what waits
    /// for a later time, e.g. the end of quiet hours, stays queued). For a clock that only moves
    /// when told (tests, the sandbox): afterwards "nothing more happened" is a meaningful check.
    pub async fn settle(&self, within: std::time::Duration) -> std::result::Result<(), Unsettled> {
        use tokio::sync::broadcast::error::RecvError;
        let mut events = self.events.subscribe();
        let now = self.now();
        self.ring_timers();
        let passed = tokio::time::timeout(within, async {
            loop {
                match events.recv().await {
                    Ok(DeskEvent::TimersPassed { now: at }) if at >= now => return,
                    Err(RecvError::Closed) => return,
                    _ => {}
                }
            }
        });
        passed.await.map_err(|_| Unsettled::Timers)?;
        let idle = async {
            loop {
                self.ring_outbox();
                loop {
                    match events.recv().await {
                        Ok(DeskEvent::OutboxIdle) => break,
                        Err(RecvError::Closed) => return,
                        _ => {}
                    }
                }
                // An idle turn may have looked just before the timers queued something: the
                // outbox is done when nothing is being sent and nothing is due.
                let sending = self
                    .db
                    .outbox_states()
                    .await
                    .is_ok_and(|s| s.iter().any(|s| s.status == "sending"));
                let due = self.db.next_outbox_due_at().await.ok().flatten();
                if !sending && due.is_none_or(|at| at > self.now()) {
                    return;
                }
            }
        };
        tokio::time::timeout(within, idle)
            .await
            .map_err(|_| Unsettled::Outbox)
    }

    /// Marks the act's Discord event as handled inside the caller's transaction; a repeat is
    /// refused, so its effect is never written twice.
    pub(crate) async fn mark_handled(
        &self,
        conn: &mut sqlx::SqliteConnection,
        act: &Act,
    ) -> Result<()> {
        match &act.event {
            Some(key) if !db::events::mark_processed(conn, key, self.now()).await? => {
                Err(Refusal::AlreadyHandled.into())
            }
            _ => Ok(()),
        }
    }
}

//! [`Desk`]: what every use case needs — database, configuration, clock, and the outbox bell.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use tokio::sync::Notify;

use crate::clock::SharedClock;
use crate::config::Config;
use crate::db::Db;

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
    pub pool_dirty: Arc<std::sync::atomic::AtomicBool>,
    /// What happened, after it was committed (for watchers, metrics and benchmarks). Sending
    /// costs nothing when nobody listens.
    pub events: tokio::sync::broadcast::Sender<DeskEvent>,
    /// Answers waiting to be written together (see [`super::answers`]).
    pub(crate) answer_queue: Arc<super::answers::AnswerQueue>,
}

/// Something that was committed.
#[derive(Debug, Clone, PartialEq)]
pub enum DeskEvent {
    /// A survey answer was stored or withdrawn.
    AnswerRecorded {
        round_id: i64,
        vpa: crate::domain::ids::DiscordId,
        at: std::time::Instant,
    },
}

impl Desk {
    pub fn new(db: Db, config: Config, clock: SharedClock) -> Desk {
        let (events, _) = tokio::sync::broadcast::channel(4096);
        Desk {
            db,
            config: Arc::new(config),
            clock,
            outbox_bell: Arc::new(Notify::new()),
            timer_bell: Arc::new(Notify::new()),
            pool_dirty: Arc::new(std::sync::atomic::AtomicBool::new(true)),
            events,
            answer_queue: Arc::default(),
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

    /// Tells listeners what was committed (no listener is fine).
    pub fn publish(&self, event: DeskEvent) {
        let _ = self.events.send(event);
    }

    /// Something that can change availability was committed (profile, assignment, import):
    /// the pool-health watch evaluates right away.
    pub fn pool_changed(&self) {
        self.pool_dirty
            .store(true, std::sync::atomic::Ordering::SeqCst);
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
}

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
}

impl Desk {
    pub fn new(db: Db, config: Config, clock: SharedClock) -> Desk {
        Desk {
            db,
            config: Arc::new(config),
            clock,
            outbox_bell: Arc::new(Notify::new()),
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

    /// Wakes the outbox worker after queued messages were committed.
    pub fn ring_outbox(&self) {
        self.outbox_bell.notify_one();
    }
}

//! Where "now" comes from: the system clock in production, a hand-moved clock in tests, so survey
//! windows and reminders are tested without sleeping.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

/// A source of the current time.
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;

    /// Today's calendar day in the agency's time zone.
    fn today(&self, tz: Tz) -> NaiveDate {
        self.now().with_timezone(&tz).date_naive()
    }
}

/// Shared handle to a clock.
pub type SharedClock = Arc<dyn Clock>;

/// The real time.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock for tests: starts at a chosen instant and jumps when told to. A frozen one stands
/// still in between; a running one also moves with real time (so retry back-offs measured in
/// seconds still pass while a test jumps hours ahead to close a survey window).
#[derive(Debug)]
pub struct ManualClock {
    // A std Mutex: held for a copy only, never across an await.
    state: Mutex<(DateTime<Utc>, Option<std::time::Instant>)>,
}

impl ManualClock {
    /// A clock that stands still until moved.
    pub fn new(start: DateTime<Utc>) -> Arc<ManualClock> {
        Arc::new(ManualClock {
            state: Mutex::new((start, None)),
        })
    }

    /// A clock that runs at real speed from `start` and can jump ahead.
    pub fn running(start: DateTime<Utc>) -> Arc<ManualClock> {
        Arc::new(ManualClock {
            state: Mutex::new((start, Some(std::time::Instant::now()))),
        })
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: chrono::Duration) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).0 += by;
    }

    /// Sets the clock to an instant.
    pub fn set(&self, to: DateTime<Utc>) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.0 = to;
        if let Some(since) = state.1.as_mut() {
            *since = std::time::Instant::now();
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        let (base, since) = *self.state.lock().unwrap_or_else(|e| e.into_inner());
        match since {
            Some(since) => base + chrono::Duration::from_std(since.elapsed()).unwrap_or_default(),
            None => base,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told_and_knows_the_local_day() {
        let start: DateTime<Utc> = "2026-11-28T23:30:00Z".parse().unwrap();
        let clock = ManualClock::new(start);
        assert_eq!(clock.now(), start);
        // 23:30 UTC is already the next day in Berlin.
        assert_eq!(
            clock.today(chrono_tz::Europe::Berlin),
            NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()
        );
        clock.advance(chrono::Duration::hours(2));
        assert_eq!(clock.now(), start + chrono::Duration::hours(2));
    }
}

//! The SQLite database: opening it (WAL, foreign keys, migrations) and one file per table group.
//!
//! Reads go through [`Db`]'s methods; writes that must happen together take a
//! `&mut SqliteConnection` so the service layer can run them in one transaction.

pub mod clients;
pub mod outbox;
pub mod surveys;
pub mod tasks;
pub mod vpas;

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

/// Handle to the database; cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    pub pool: SqlitePool,
}

impl Db {
    /// Opens (creating if missing) the database at `url` and applies the migrations.
    ///
    /// WAL lets readers go on while one writer commits; `synchronous = NORMAL` in WAL mode keeps
    /// every committed transaction across a process crash (only an OS crash or power loss can
    /// lose the last commits), at a fraction of FULL's fsync cost.
    #[tracing::instrument(skip_all, fields(url = %url))]
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        let options = SqliteConnectOptions::from_str(url)
            .with_context(|| {
                format!(
                    "DATABASE_URL {url:?} is not a valid SQLite URL (e.g. sqlite://vpa-desk.db)"
                )
            })?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .with_context(|| format!("cannot open the database {url}"))?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .context("cannot apply the database migrations")?;
        Ok(Db { pool })
    }

    /// Starts a write transaction that takes the write lock at once.
    ///
    /// A plain `BEGIN` takes the lock only at the first write; two such transactions that both
    /// read first then deadlock on the upgrade and one fails with SQLITE_BUSY. `BEGIN IMMEDIATE`
    /// makes concurrent writers queue on the busy timeout instead.
    pub async fn begin_write(&self) -> anyhow::Result<Transaction<'static, Sqlite>> {
        self.pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .context("cannot start a write transaction")
    }
}

/// Days are stored as 'YYYY-MM-DD' text.
pub(crate) fn day_text(day: chrono::NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

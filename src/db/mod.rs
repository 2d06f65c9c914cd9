//! The SQLite database: opening it (WAL, foreign keys, migrations) and one file per table group.
//! All SQL of the crate lives in this folder.
//!
//! Reads go through [`Db`]'s methods; writes that must happen together are functions taking a
//! `&mut SqliteConnection`, so a use case runs them in one transaction ([`Db::begin_write`]).
//! The connection pool is private: nothing outside `db/` can send SQL of its own.

/// A row struct and its `sqlx::FromRow`, each field read from the column of its name — what
/// sqlx's derive does, written here so the build needs no sqlx proc macros (they compiled a
/// second SQLite, C and all, for the compiler's own use).
macro_rules! from_row {
    (
        $(#[$attr:meta])*
        $vis:vis struct $name:ident {
            $($(#[$field_attr:meta])* $field_vis:vis $field:ident : $ty:ty),+ $(,)?
        }
    ) => {
        $(#[$attr])*
        $vis struct $name {
            $($(#[$field_attr])* $field_vis $field: $ty),+
        }

        impl<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> for $name {
            fn from_row(row: &'r sqlx::sqlite::SqliteRow) -> Result<Self, sqlx::Error> {
                use sqlx::Row as _;
                Ok($name {
                    $($field: row.try_get(stringify!($field))?),+
                })
            }
        }
    };
}

pub mod clients;
mod codec;
pub mod edits;
pub mod erasure;
pub mod escalations;
pub mod events;
pub mod hand_overs;
pub mod maintenance;
pub mod members;
mod migrations;
pub mod newbies;
pub mod outbox;
pub mod reports;
pub mod surveys;
pub mod tasks;
pub mod vpas;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};

/// Why the database could not be opened (`Display` for logs; people read `present`'s text).
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("DATABASE_URL {0:?} is not an SQLite URL (e.g. sqlite://vpa-desk.db)")]
    NotSqliteUrl(String),
    #[error("cannot open the database {url}: {reason:?}")]
    CannotOpen { url: String, reason: OpenReason },
    /// `PRAGMA quick_check` found damage: nothing was written (no migration, no change).
    #[error("the database {url} is damaged: {found:?}")]
    Damaged { url: String, found: Vec<String> },
}

/// What SQLite said, in the terms an operator can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenReason {
    /// SQLITE_CANTOPEN: the folder is missing, the path is a folder, or no permission.
    CannotCreate,
    /// SQLITE_NOTADB: the file is something else.
    NotADatabase,
    /// The database has migrations this binary does not know: a newer version wrote it.
    NewerVersion,
    /// SQLITE_BUSY / LOCKED for longer than the busy timeout.
    Busy,
    Other(String),
}

impl OpenReason {
    fn of(error: &sqlx::Error) -> OpenReason {
        match error.as_database_error().and_then(|d| d.code()).as_deref() {
            Some("14") => OpenReason::CannotCreate,
            Some("26") => OpenReason::NotADatabase,
            Some("5") | Some("6") => OpenReason::Busy,
            _ => OpenReason::Other(error.to_string()),
        }
    }
}

/// How long a write keeps trying while another process (a CLI import, a backup) holds SQLite's
/// write lock, before it gives up with [`Busy`]. An import holds it well under a second; the
/// bound covers a slow disk or a tool that holds it longer, without hanging a user forever.
pub const BUSY_BOUND: Duration = Duration::from_secs(30);

/// One wait of SQLite's own busy handler; a write waiting longer logs each round, so an
/// operator sees who waits and for how long.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Another process held the database's write lock for longer than [`BUSY_BOUND`]: nothing was
/// written, the same request may be tried again.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("the database stayed locked by another process for {waited:?}")]
pub struct Busy {
    pub waited: Duration,
}

/// SQLITE_BUSY or SQLITE_LOCKED, with their extended codes (BUSY_SNAPSHOT 517 …).
pub fn is_busy(error: &sqlx::Error) -> bool {
    let code = error
        .as_database_error()
        .and_then(|d| d.code())
        .and_then(|c| c.parse::<i32>().ok());
    matches!(code.map(|c| c & 0xff), Some(5) | Some(6))
}

/// Runs `op` again while SQLite answers busy, up to `bound` in all; then the last error. For
/// writes outside a transaction (the outbox's single statements).
pub(crate) async fn retry_busy<T, Fut>(
    bound: Duration,
    what: &str,
    mut op: impl FnMut() -> Fut,
) -> sqlx::Result<T>
where
    Fut: std::future::Future<Output = sqlx::Result<T>>,
{
    let started = std::time::Instant::now();
    loop {
        match op().await {
            Err(e) if is_busy(&e) && started.elapsed() < bound => {
                tracing::warn!(
                    what,
                    waited_ms = started.elapsed().as_millis() as u64,
                    "the database is locked by another process; waiting"
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            other => return other,
        }
    }
}

/// Handle to the database; cheap to clone.
///
/// SQLite admits one writer at a time. Writers of this process queue on `write_lock` (a fair
/// async mutex) before they touch SQLite, instead of in SQLite's busy handler, which sleeps in
/// steps of up to 100 ms: that keeps the latency of concurrent answers low and even.
#[derive(Debug, Clone)]
pub struct Db {
    pool: SqlitePool,
    write_lock: Arc<tokio::sync::Mutex<()>>,
    /// How long a write waits for another process's lock ([`BUSY_BOUND`] but in tests).
    busy_bound: Duration,
}

/// A write transaction holding this process's write turn until commit or drop.
pub struct WriteTx {
    tx: Transaction<'static, Sqlite>,
    _turn: Turn,
}

/// This process's write turn, held until dropped; how long it was held is counted per call
/// site (see [`write_turns`]), so a benchmark can say which writes the others waited behind.
pub struct Turn {
    _guard: tokio::sync::OwnedMutexGuard<()>,
    at: &'static std::panic::Location<'static>,
    since: std::time::Instant,
}

impl Drop for Turn {
    fn drop(&mut self) {
        let held = self.since.elapsed();
        let mut stats = TURNS.lock().unwrap_or_else(|e| e.into_inner());
        let entry = stats.entry(self.at).or_default();
        entry.count += 1;
        entry.held += held;
        entry.longest = entry.longest.max(held);
    }
}

/// How often a call site held the write turn, for how long in all, and its longest hold.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TurnStats {
    pub count: u64,
    pub held: Duration,
    pub longest: Duration,
}

static TURNS: std::sync::LazyLock<
    std::sync::Mutex<std::collections::HashMap<&'static std::panic::Location<'static>, TurnStats>>,
> = std::sync::LazyLock::new(Default::default);

/// The write turns held since the last call, by call site (`file:line`), longest total first;
/// the counters start again from zero.
pub fn write_turns() -> Vec<(String, TurnStats)> {
    let mut stats = TURNS.lock().unwrap_or_else(|e| e.into_inner());
    let mut out: Vec<(String, TurnStats)> = stats
        .drain()
        .map(|(at, s)| (format!("{}:{}", at.file(), at.line()), s))
        .collect();
    out.sort_by_key(|(_, s)| std::cmp::Reverse(s.held));
    out
}

impl WriteTx {
    /// Commits and gives the write turn to the next writer.
    pub async fn commit(self) -> sqlx::Result<()> {
        self.tx.commit().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = sqlx::SqliteConnection;

    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// The `tasks` table as it stands since the status `split` (a parent whose parts carry the
/// demand). SQLite changes a CHECK constraint only by rebuilding the table.
const TASKS_WITH_SPLIT: &str = "CREATE TABLE tasks_rebuilt (
    id              INTEGER PRIMARY KEY,
    client_id       INTEGER NOT NULL REFERENCES clients (id),
    competence      TEXT    NOT NULL,
    area            TEXT    NOT NULL,
    hours           REAL    NOT NULL CHECK (hours > 0),
    -- Recurring: hours are per week and the deadline is when the work must start.
    recurring       INTEGER NOT NULL DEFAULT 0 CHECK (recurring IN (0, 1)),
    deadline        TEXT    NOT NULL,
    new_client      INTEGER NOT NULL CHECK (new_client IN (0, 1)),
    description     TEXT,
    status          TEXT    NOT NULL CHECK (status IN ('open', 'surveying', 'assigned', 'escalated', 'external', 'done', 'cancelled', 'split')),
    parent_task_id  INTEGER REFERENCES tasks (id),
    created_by      INTEGER,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
)";

/// Schema changes SQLite allows only with foreign keys off, which cannot be switched inside the
/// transaction sqlx runs each migration in: done here, after the migrations, once (each step
/// looks at the schema first, so it is idempotent and safe with a second process starting).
///
/// Rebuilding follows SQLite's documented procedure (create, copy, drop, rename, with foreign
/// keys off so dropping the old table neither cascades nor fails, then `foreign_key_check`).
async fn rebuild_steps(pool: &SqlitePool) -> sqlx::Result<()> {
    let mut conn = pool.acquire().await?;
    let has_split = |sql: Option<String>| sql.is_some_and(|s| s.contains("'split'"));
    let tasks_sql = "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'tasks'";
    if has_split(
        sqlx::query_scalar(tasks_sql)
            .fetch_optional(&mut *conn)
            .await?,
    ) {
        return Ok(());
    }
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&mut *conn)
        .await?;
    let result = async {
        let mut tx = sqlx::Connection::begin_with(&mut *conn, "BEGIN IMMEDIATE").await?;
        if !has_split(sqlx::query_scalar(tasks_sql).fetch_optional(&mut *tx).await?) {
            // Dropping the table drops its indexes and triggers, and migrations after the first
            // one added some: each is created again on the rebuilt table, as it stood.
            let indexes: Vec<String> = sqlx::query_scalar(
                "SELECT sql FROM sqlite_schema WHERE type IN ('index', 'trigger') \
                 AND tbl_name = 'tasks' AND sql IS NOT NULL ORDER BY type, name",
            )
            .fetch_all(&mut *tx)
            .await?;
            sqlx::query(TASKS_WITH_SPLIT).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO tasks_rebuilt SELECT id, client_id, competence, area, hours, recurring, deadline, new_client, description, status, parent_task_id, created_by, created_at, updated_at FROM tasks")
                .execute(&mut *tx)
                .await?;
            sqlx::query("DROP TABLE tasks").execute(&mut *tx).await?;
            sqlx::query("ALTER TABLE tasks_rebuilt RENAME TO tasks")
                .execute(&mut *tx)
                .await?;
            for index in &indexes {
                sqlx::query(index).execute(&mut *tx).await?;
            }
            // Parents split before: their parts carry the demand, so they are no open demand.
            sqlx::query(
                "UPDATE tasks SET status = 'split' WHERE status IN ('open', 'surveying', 'escalated') \
                 AND id IN (SELECT parent_task_id FROM tasks WHERE parent_task_id IS NOT NULL)",
            )
            .execute(&mut *tx)
            .await?;
            let broken: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
                .fetch_all(&mut *tx)
                .await?;
            if !broken.is_empty() {
                return Err(sqlx::Error::Protocol(format!(
                    "rebuilding tasks left broken references in {broken:?}"
                )));
            }
        }
        tx.commit().await
    }
    .await;
    sqlx::query("PRAGMA foreign_keys = ON")
        .execute(&mut *conn)
        .await?;
    result
}

impl Db {
    /// Opens (creating if missing) the database at `url` and applies the migrations.
    ///
    /// WAL lets readers go on while one writer commits; `synchronous = FULL` syncs the WAL at
    /// every commit, so a transaction that returned survives a power cut too: an answer the VPA
    /// saw confirmed is never lost. Answers are written by group commit (see
    /// `service::answers`), so a burst shares one sync per batch instead of paying one each.
    pub async fn connect(url: &str) -> Result<Db, OpenError> {
        Db::connect_waiting(url, BUSY_BOUND).await
    }

    /// Like [`Db::connect`], with writes waiting at most `busy_bound` for another process's
    /// lock (tests shorten it to see what happens beyond).
    #[tracing::instrument(skip_all, fields(url = %url))]
    pub async fn connect_waiting(url: &str, busy_bound: Duration) -> Result<Db, OpenError> {
        // Without the scheme sqlx would take the text as a file name and create it.
        if !url.trim_start().starts_with("sqlite:") {
            return Err(OpenError::NotSqliteUrl(url.to_string()));
        }
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|_| OpenError::NotSqliteUrl(url.to_string()))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            // Deleted content is overwritten, not left in free pages (erasure, pruning).
            .pragma("secure_delete", "ON")
            .busy_timeout(BUSY_TIMEOUT.min(busy_bound));
        // No ping before each use: a local SQLite connection does not go stale, and the ping
        // would be one more round trip to the connection's worker thread.
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .test_before_acquire(false)
            .connect_with(options)
            .await
            .map_err(|e| OpenError::CannotOpen {
                url: url.to_string(),
                reason: OpenReason::of(&e),
            })?;
        // Before anything is written: a damaged file is left as it is, for a restore.
        let found = maintenance::quick_check(&pool).await;
        if !found.is_empty() {
            tracing::error!(?found, "the database is damaged; nothing was written");
            pool.close().await;
            return Err(OpenError::Damaged {
                url: url.to_string(),
                found,
            });
        }
        migrations::migrator().run(&pool).await.map_err(|e| {
            let reason = match &e {
                sqlx::migrate::MigrateError::VersionMissing(_) => OpenReason::NewerVersion,
                sqlx::migrate::MigrateError::Execute(e) => OpenReason::of(e),
                other => OpenReason::Other(other.to_string()),
            };
            OpenError::CannotOpen {
                url: url.to_string(),
                reason,
            }
        })?;
        rebuild_steps(&pool)
            .await
            .map_err(|e| OpenError::CannotOpen {
                url: url.to_string(),
                reason: OpenReason::of(&e),
            })?;
        Ok(Db {
            pool,
            write_lock: Arc::new(tokio::sync::Mutex::new(())),
            busy_bound,
        })
    }

    /// Starts a write transaction that takes SQLite's write lock at once. In this process writers
    /// already queue on `write_lock`; `BEGIN IMMEDIATE` guards against another process (e.g. a
    /// CLI import while the bot runs), where a plain `BEGIN` could fail with SQLITE_BUSY when
    /// upgrading from read to write.
    ///
    /// While another process holds the lock, SQLite's busy handler waits (up to
    /// `BUSY_TIMEOUT` a time) and the start is tried again, up to [`BUSY_BOUND`] in all; then
    /// the error is [`Busy`] (nothing was written).
    #[track_caller]
    pub fn begin_write(&self) -> impl std::future::Future<Output = anyhow::Result<WriteTx>> + '_ {
        let at = std::panic::Location::caller();
        self.begin_write_at(at)
    }

    async fn begin_write_at(
        &self,
        at: &'static std::panic::Location<'static>,
    ) -> anyhow::Result<WriteTx> {
        let turn = self.turn_at(at).await;
        let started = std::time::Instant::now();
        let tx = retry_busy(self.busy_bound, "start a write transaction", || {
            self.pool.begin_with("BEGIN IMMEDIATE")
        })
        .await
        .map_err(|e| {
            if is_busy(&e) {
                anyhow::Error::new(Busy {
                    waited: started.elapsed(),
                })
            } else {
                anyhow::Error::new(e).context("cannot start a write transaction")
            }
        })?;
        Ok(WriteTx { tx, _turn: turn })
    }

    /// Waits for this process's write turn, for a single-statement write outside a transaction
    /// (tests also hold it to keep writers waiting).
    #[track_caller]
    pub fn write_turn(&self) -> impl std::future::Future<Output = Turn> + '_ {
        let at = std::panic::Location::caller();
        self.turn_at(at)
    }

    async fn turn_at(&self, at: &'static std::panic::Location<'static>) -> Turn {
        let guard = Arc::clone(&self.write_lock).lock_owned().await;
        Turn {
            _guard: guard,
            at,
            since: std::time::Instant::now(),
        }
    }

    /// A connection for reads that belong together (several statements on one snapshot need a
    /// transaction; single reads don't).
    pub(crate) async fn read(&self) -> sqlx::Result<sqlx::pool::PoolConnection<Sqlite>> {
        self.pool.acquire().await
    }

    /// How long a write waits for another process's lock.
    pub fn busy_bound(&self) -> Duration {
        self.busy_bound
    }

    /// Closes every connection (at shutdown, or before a test reopens the file as after a crash).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Instants as sqlx stores a `DateTime<Utc>`, for values passed inside JSON: stored times must
/// compare as text with those bound directly.
pub(crate) fn time_text(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
}

/// Days are stored as 'YYYY-MM-DD' text (as sqlx stores a `NaiveDate`).
pub(crate) fn day_text(day: chrono::NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// VPA ids as one JSON array, bound where a statement takes a list through `json_each(?)` (one
/// statement for any number of VPAs).
pub(crate) fn id_list(vpas: &[crate::domain::ids::DiscordId]) -> String {
    let ids: Vec<i64> = vpas.iter().map(|v| v.to_db()).collect();
    serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into())
}

//! Databases: a fresh, migrated SQLite file per test ([`TestDb`]), the test's own plain-SQL
//! view of any database file ([`Sql`]), ready-made VPAs and tasks, and the tests' fixed days.

use std::path::Path;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use sqlx::Sqlite;
use sqlx::sqlite::SqliteRow;
use tempfile::TempDir;
use vpa_desk::config::Config;
use vpa_desk::db::Db;
use vpa_desk::db::vpas::{ChangeSource, Saved, save_vpa};
use vpa_desk::domain::competence::Catalog;
use vpa_desk::domain::task::{Task, ValidTask};
use vpa_desk::domain::vpa::HeldCompetence;
use vpa_desk::domain::{DiscordId, Level, Vpa};

/// The test's own view of a database file, beside the code under test (which keeps its pool
/// private): to look at what was written, and to inject faults, with plain SQL.
/// SQLite's write lock held by a connection of its own, as another process holds it (an import,
/// a backup tool), until [`ForeignLock::release`].
pub struct ForeignLock(sqlx::SqliteConnection);

impl ForeignLock {
    /// Takes the write lock of the database at `url` (waiting for it if need be).
    pub async fn take(url: &str) -> ForeignLock {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(url)
            .await
            .expect("a connection of its own");
        sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut conn)
            .await
            .expect("the write lock");
        ForeignLock(conn)
    }

    /// Gives the lock back (nothing was written).
    pub async fn release(mut self) {
        sqlx::query("ROLLBACK")
            .execute(&mut self.0)
            .await
            .expect("the lock released");
    }
}

#[derive(Debug, Clone)]
pub struct Sql(sqlx::SqlitePool);

impl Sql {
    /// Opens an SQLite file by URL.
    pub async fn open(url: &str) -> Sql {
        use std::str::FromStr;
        let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)
            .expect("an SQLite URL")
            .busy_timeout(std::time::Duration::from_secs(10));
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(2)
            .connect_with(options)
            .await
            .expect("open the test's view of the database");
        Sql(pool)
    }

    /// The one value of a query.
    pub async fn one<T>(&self, query: impl AsRef<str>) -> T
    where
        T: for<'r> sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite> + Send + Unpin,
    {
        let query = query.as_ref();
        let mut values = self.column(query).await;
        assert_eq!(values.len(), 1, "one value of {query}");
        values.remove(0)
    }

    /// The first column of every row.
    pub async fn column<T>(&self, query: impl AsRef<str>) -> Vec<T>
    where
        T: for<'r> sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite> + Send + Unpin,
    {
        let rows: Vec<(T,)> = self.rows(query).await;
        rows.into_iter().map(|(value,)| value).collect()
    }

    /// Every row of a query, as tuples.
    pub async fn rows<T>(&self, query: impl AsRef<str>) -> Vec<T>
    where
        T: for<'r> sqlx::FromRow<'r, SqliteRow> + Send + Unpin,
    {
        sqlx::query_as(query.as_ref())
            .fetch_all(&self.0)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", query.as_ref()))
    }

    /// Rows in a table.
    pub async fn count(&self, table: &str) -> i64 {
        self.one(format!("SELECT COUNT(*) FROM {table}")).await
    }

    /// Runs a statement.
    pub async fn exec(&self, statement: impl AsRef<str>) {
        sqlx::query(statement.as_ref())
            .execute(&self.0)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", statement.as_ref()));
    }

    /// From now on every insert into `table` (where `when` holds, if given) fails: a fault of
    /// our side, in the real database.
    pub async fn break_inserts(&self, trigger: &str, table: &str, when: Option<&str>) {
        let when = when.map(|w| format!("WHEN {w} ")).unwrap_or_default();
        self.exec(format!(
            "CREATE TRIGGER {trigger} BEFORE INSERT ON {table} {when}\
             BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
        ))
        .await;
    }

    /// Removes a fault injected by [`Sql::break_inserts`].
    pub async fn repair(&self, trigger: &str) {
        self.exec(format!("DROP TRIGGER {trigger}")).await;
    }

    pub async fn close(&self) {
        self.0.close().await;
    }
}

/// A database in its own temp folder; the folder (and the file) go when this is dropped.
pub struct TestDb {
    pub db: Db,
    pub sql: Sql,
    pub config: Config,
    pub dir: TempDir,
}

impl TestDb {
    /// A fresh, migrated SQLite file and the shipped configuration.
    pub async fn new() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Db::connect(&sqlite_url(dir.path()))
            .await
            .expect("open the test database");
        let sql = Sql::open(&sqlite_url(dir.path())).await;
        TestDb {
            db,
            sql,
            config: Config::embedded(),
            dir,
        }
    }

    /// Saves VPAs in one write transaction, as the import does.
    pub async fn save(&self, vpas: &[Vpa]) -> Vec<Saved> {
        save_vpas(&self.db, &self.config.catalog, vpas, now()).await
    }

    /// The whole pool as the rules see it.
    pub async fn pool(&self) -> Vec<Vpa> {
        self.db
            .load_pool(&self.config.catalog)
            .await
            .expect("load_pool")
    }

    /// One VPA read back from the database.
    pub async fn vpa(&self, id: u64) -> Vpa {
        self.db
            .get_vpa(&self.config.catalog, DiscordId(id))
            .await
            .expect("get_vpa")
            .expect("VPA exists")
    }

    /// Stores a task for `client` (created if new) and returns it as stored.
    pub async fn task(
        &self,
        client: &str,
        competence: &str,
        hours: f64,
        recurring: bool,
        deadline: NaiveDate,
    ) -> Task {
        let catalog = &self.config.catalog;
        let competence = catalog.by_key(competence).expect("competence in catalog");
        let valid = ValidTask {
            client: client.into(),
            competence: competence.id,
            area: competence.area,
            hours,
            deadline,
            new_client: None,
            recurring,
            description: Some("Testaufgabe".into()),
        };
        let mut tx = self.db.begin_write().await.expect("begin");
        let (client_id, new) = vpa_desk::db::clients::find_or_create(&mut tx, client, now())
            .await
            .expect("client");
        let origin = vpa_desk::db::tasks::TaskOrigin {
            client_id,
            new_client: new,
            parent_task_id: None,
            created_by: None,
        };
        let id = vpa_desk::db::tasks::insert_task(&mut tx, catalog, &valid, origin, now())
            .await
            .expect("insert_task");
        let task = vpa_desk::db::tasks::get_task(&mut tx, catalog, id)
            .await
            .expect("get_task")
            .expect("task stored");
        tx.commit().await.expect("commit");
        task
    }

    /// Assigns `task` to a VPA from `assigned_on` with the task's hours.
    pub async fn assign(&self, task: &Task, vpa: u64, assigned_on: NaiveDate) -> i64 {
        let mut tx = self.db.begin_write().await.expect("begin");
        let id = vpa_desk::db::tasks::insert_assignment(
            &mut tx,
            task,
            DiscordId(vpa),
            task.hours,
            assigned_on,
            None,
            now(),
        )
        .await
        .expect("insert_assignment");
        tx.commit().await.expect("commit");
        id
    }

    /// Ends a VPA's assignment on a task.
    pub async fn end(&self, task: &Task, vpa: u64, ended_on: NaiveDate) -> bool {
        let mut tx = self.db.begin_write().await.expect("begin");
        let ended = vpa_desk::db::tasks::end_assignment(&mut tx, task.id, DiscordId(vpa), ended_on)
            .await
            .expect("end_assignment");
        tx.commit().await.expect("commit");
        ended
    }
}

/// Saves VPAs in one write transaction, as the import does (the one way tests seed a pool).
pub async fn save_vpas(db: &Db, catalog: &Catalog, vpas: &[Vpa], at: DateTime<Utc>) -> Vec<Saved> {
    let mut tx = db.begin_write().await.expect("begin");
    let mut saved = Vec::new();
    for vpa in vpas {
        saved.push(
            save_vpa(&mut tx, catalog, vpa, ChangeSource::Import, None, at)
                .await
                .expect("save_vpa"),
        );
    }
    tx.commit().await.expect("commit");
    saved
}

/// A VPA ready for work: 20 weekly hours, wants tasks and new clients, holds `competences`.
pub fn ready_vpa(config: &Config, id: u64, competences: &[(&str, Level)]) -> Vpa {
    let mut vpa = Vpa::new(DiscordId(id), format!("VPA {id}"));
    vpa.weekly_hours = 20.0;
    vpa.wants_tasks = true;
    vpa.wants_new_clients = true;
    vpa.competences = competences
        .iter()
        .map(|(key, level)| HeldCompetence {
            competence: config.catalog.by_key(key).expect("competence").id,
            level: *level,
        })
        .collect();
    vpa
}

/// The SQLite URL of `t.db` inside `dir`.
pub fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}/t.db", dir.display())
}

/// A calendar day from `YYYY-MM-DD`.
pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test day")
}

/// The fixed "now" of the database tests: Monday 30 November 2026, 09:00 UTC.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap()
}

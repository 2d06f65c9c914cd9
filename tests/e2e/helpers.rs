//! Shared helpers for the end-to-end tests: a fresh SQLite file per test, ready-made VPAs and
//! tasks, and the real `vpa-desk` binary pointed at a temp database.

// Each test module uses its own subset of these helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use tempfile::TempDir;
use vpa_desk::config::Config;
use vpa_desk::db::Db;
use vpa_desk::db::vpas::{ChangeSource, Saved, save_vpa};
use vpa_desk::domain::task::{Task, ValidTask};
use vpa_desk::domain::vpa::HeldCompetence;
use vpa_desk::domain::{DiscordId, Level, Vpa};

/// A database in its own temp folder; the folder (and the file) go when this is dropped.
pub struct TestDb {
    pub db: Db,
    /// The same file opened by the test, for plain SQL beside the code under test.
    pub sql: sqlx::SqlitePool,
    pub config: Config,
    pub dir: TempDir,
}

/// Opens an SQLite file with a pool of the test's own (the code under test keeps its pool private).
pub async fn open_sql(url: &str) -> sqlx::SqlitePool {
    use std::str::FromStr;
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)
        .expect("an SQLite URL")
        .busy_timeout(std::time::Duration::from_secs(10));
    sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(2)
        .connect_with(options)
        .await
        .expect("open the test's view of the database")
}

impl TestDb {
    /// A fresh, migrated SQLite file and the shipped configuration.
    pub async fn new() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Db::connect(&sqlite_url(dir.path()))
            .await
            .expect("open the test database");
        let sql = open_sql(&sqlite_url(dir.path())).await;
        TestDb {
            db,
            sql,
            config: Config::embedded(),
            dir,
        }
    }

    /// Saves VPAs in one write transaction, as the import does.
    pub async fn save(&self, vpas: &[Vpa]) -> Vec<Saved> {
        let mut tx = self.db.begin_write().await.expect("begin");
        let mut saved = Vec::new();
        for vpa in vpas {
            saved.push(
                save_vpa(
                    &mut tx,
                    &self.config.catalog,
                    vpa,
                    ChangeSource::Import,
                    None,
                    now(),
                )
                .await
                .expect("save_vpa"),
            );
        }
        tx.commit().await.expect("commit");
        saved
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

    /// Rows in a table.
    pub async fn count(&self, table: &str) -> i64 {
        count_rows(&self.sql, table).await
    }
}

/// Rows in a table of any database.
pub async fn count_rows(sql: &sqlx::SqlitePool, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(sql)
        .await
        .expect("count")
}

/// The SQLite URL of `t.db` inside `dir`.
pub fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}/t.db", dir.display())
}

/// A calendar day from `YYYY-MM-DD`.
pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test day")
}

/// The fixed "now" of the tests: Monday 30 November 2026, 09:00 UTC.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap()
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

/// The shipped config folder.
pub fn config_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/config"))
}

/// A temp folder for the binary to run in: its database is `t.db` there and no `.env` or
/// `./config` is found by accident.
pub struct CliEnv {
    pub dir: TempDir,
}

impl CliEnv {
    pub fn new() -> CliEnv {
        CliEnv {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// The real binary, without `--config` (so `./config` or the embedded defaults apply).
    pub fn bare(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_vpa-desk"));
        cmd.current_dir(self.dir.path())
            .env("DATABASE_URL", sqlite_url(self.dir.path()))
            .env("RUST_LOG", "warn")
            .env_remove("DISCORD_TOKEN")
            .env_remove("LOG_FORMAT");
        cmd
    }

    /// The real binary with `--config` pointing at the shipped config folder.
    pub fn cmd(&self) -> Command {
        let mut cmd = self.bare();
        cmd.arg("--config").arg(config_dir());
        cmd
    }

    /// Writes a file into the folder and returns its path.
    pub fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, contents).expect("write file");
        path
    }

    /// `vpa-desk import-vpas FILE`.
    pub fn import(&self, file: &Path) -> Output {
        run(self.cmd().arg("import-vpas").arg(file))
    }

    /// `vpa-desk pool --json --date DAY`, parsed.
    pub fn pool_json(&self, day: &str) -> serde_json::Value {
        let out = run(self.cmd().args(["pool", "--json", "--date", day]));
        assert!(out.status.success(), "pool --json failed: {}", stderr(&out));
        serde_json::from_slice(&out.stdout).expect("pool --json prints JSON")
    }

    /// The database the binary wrote.
    pub async fn db(&self) -> Db {
        Db::connect(&sqlite_url(self.dir.path()))
            .await
            .expect("open the CLI's database")
    }

    /// The same file for plain SQL.
    pub async fn sql(&self) -> sqlx::SqlitePool {
        open_sql(&sqlite_url(self.dir.path())).await
    }
}

/// Runs a command to completion.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("run vpa-desk")
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

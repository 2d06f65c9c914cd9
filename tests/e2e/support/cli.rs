//! The real `vpa-desk` binary, run in a temp folder of its own.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;
use vpa_desk::config::Config;
use vpa_desk::db::Db;
use vpa_desk::loopback::{LoopbackConfig, LoopbackDiscord};

use super::db::{Sql, sqlite_url};

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
    pub async fn sql(&self) -> Sql {
        Sql::open(&sqlite_url(self.dir.path())).await
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

/// The loopback Discord in the guild of the built-in configuration (its channel and role ids
/// are the loopback's defaults), so the binary runs without a config folder.
pub async fn loopback() -> LoopbackDiscord {
    LoopbackDiscord::start(LoopbackConfig {
        guild_id: Config::embedded().settings.discord.guild_id.0,
        ..LoopbackConfig::default()
    })
    .await
    .expect("loopback starts")
}

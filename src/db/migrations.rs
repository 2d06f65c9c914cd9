//! The schema's migrations, embedded in the binary by `build.rs` (every `migrations/*.sql`) and
//! read as sqlx's `migrate!` reads them: version and description from the file name, the SQL as
//! it is (so checksums match databases migrated before), `-- no-transaction` honoured. Done at
//! run time instead of by the macro, so the build needs no sqlx proc macros.

use std::borrow::Cow;

use sqlx::migrate::{Migration, MigrationType, Migrator};

/// `(file name, SQL)` of every migration, from `build.rs`.
const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

/// The migrator over the embedded migrations, oldest first.
pub fn migrator() -> Migrator {
    let mut migrations: Vec<Migration> = FILES
        .iter()
        .filter_map(|(name, sql)| migration(name, sql))
        .collect();
    migrations.sort_by_key(|m| m.version);
    Migrator {
        migrations: Cow::Owned(migrations),
        ..Migrator::DEFAULT
    }
}

/// One file as sqlx reads it: `<VERSION>_<DESCRIPTION>[.up|.down].sql`; other names are not
/// migrations (build.rs only passes `.sql` files, whose names a test checks).
fn migration(name: &str, sql: &'static str) -> Option<Migration> {
    let (version, rest) = name.split_once('_')?;
    if !rest.ends_with(".sql") {
        return None;
    }
    let version: i64 = version.parse().ok()?;
    let kind = MigrationType::from_filename(rest);
    let description = rest.trim_end_matches(kind.suffix()).replace('_', " ");
    Some(Migration::new(
        version,
        Cow::Owned(description),
        kind,
        Cow::Borrowed(sql),
        sql.starts_with("-- no-transaction"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_migration_file_is_one_migration_in_order() {
        let migrator = migrator();
        assert_eq!(migrator.migrations.len(), FILES.len(), "every file parses");
        let versions: Vec<i64> = migrator.migrations.iter().map(|m| m.version).collect();
        let mut sorted = versions.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(versions, sorted, "versions ascend without repeats");
        let first = &migrator.migrations[0];
        assert_eq!(first.version, 20261128000001);
        assert_eq!(first.description, "pool and tasks");
    }
}

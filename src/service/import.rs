//! Importing an existing pool from CSV (`vpa-desk import-vpas`): the file is read by the
//! domain's rules (every bad row reported; if any row is bad nothing is written) and stored in
//! one transaction; importing again updates by Discord id.

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::db::Db;
use crate::db::newbies::set_profiles_completed;
use crate::db::vpas::{ChangeSource, Saved, save_vpas};
pub use crate::domain::import::{COLUMNS, RowError, RowProblem, parse};
use crate::service::profiles::completion_mark;

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// How long the import held the database's write lock (others' writes wait meanwhile).
    pub write_lock_held: std::time::Duration,
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{} bad row(s)", .0.len())]
    Rows(Vec<RowError>),
    #[error(transparent)]
    Db(#[from] anyhow::Error),
}

/// Imports a CSV file: all rows or none, in one transaction.
#[tracing::instrument(skip_all, fields(bytes = bytes.len()))]
pub async fn import_vpas(
    db: &Db,
    config: &Config,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<ImportReport, ImportError> {
    let catalog = &config.catalog;
    let vpas = parse(bytes, catalog).map_err(ImportError::Rows)?;
    // Read before taking the write lock: the transaction then only writes (a few statements
    // whatever the file's size), so answers arriving meanwhile wait a moment, not seconds.
    let pool: std::collections::HashMap<_, _> = db
        .load_pool(catalog)
        .await
        .map_err(anyhow::Error::from)?
        .into_iter()
        .map(|v| (v.discord_id, v))
        .collect();
    let items: Vec<_> = vpas.iter().map(|v| (pool.get(&v.discord_id), v)).collect();
    // A newbie whose profile the file completes counts as completed now, as by `/profile`; one
    // the file creates complete was complete before anybody looked (no mark).
    let today = now.with_timezone(&config.timezone).date_naive();
    let marks: Vec<_> = items
        .iter()
        .filter_map(|(before, after)| {
            let before = (*before)?;
            completion_mark(config, today, Some(before), after, now)
                .map(|at| (after.discord_id, at))
        })
        .collect();
    let mut tx = db.begin_write().await?;
    let locked = std::time::Instant::now();
    // A VPA named in the file is part of the pool: a deactivated one becomes active again,
    // unless the file says otherwise (its optional `active` column, as an export writes it).
    let saved = save_vpas(&mut tx, catalog, &items, ChangeSource::Import, None, now)
        .await
        .map_err(anyhow::Error::from)?;
    set_profiles_completed(&mut tx, &marks)
        .await
        .map_err(anyhow::Error::from)?;
    tx.commit().await.map_err(anyhow::Error::from)?;
    let mut report = ImportReport {
        write_lock_held: locked.elapsed(),
        ..ImportReport::default()
    };
    for s in saved {
        match s {
            Saved::Created => report.created += 1,
            Saved::Updated => report.updated += 1,
            Saved::Unchanged => report.unchanged += 1,
        }
    }
    tracing::info!(
        created = report.created,
        updated = report.updated,
        unchanged = report.unchanged,
        locked_ms = report.write_lock_held.as_millis() as u64,
        "pool imported"
    );
    Ok(report)
}

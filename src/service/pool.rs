//! Pool health as the manager sees it (`vpa-desk pool`, `/pool`, the health watch).

use chrono::NaiveDate;

use super::error::Result;
use crate::config::Config;
use crate::db::Db;
use crate::domain::pool_health::{PoolHealth, evaluate};

/// Evaluates the pool in the database on `day`.
#[tracing::instrument(skip_all, fields(%day))]
pub async fn pool_health(db: &Db, config: &Config, day: NaiveDate) -> Result<PoolHealth> {
    // Availability and areas only: no commitments.
    let pool = db.load_profiles(&config.catalog).await?;
    Ok(evaluate(
        &pool,
        &config.catalog,
        day,
        config.settings.pool.min_available,
        &config.settings.pool.area_minimums,
    ))
}

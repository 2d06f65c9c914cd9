//! Clients (Kunden): found or created by name, case-insensitively.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use crate::domain::ids::ClientId;

/// The id of the client with this name, creating it if new; and whether it was new.
#[tracing::instrument(skip_all)]
pub async fn find_or_create(
    conn: &mut SqliteConnection,
    name: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<(ClientId, bool)> {
    if let Some(id) = sqlx::query_scalar::<_, ClientId>("SELECT id FROM clients WHERE name = ?")
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?
    {
        return Ok((id, false));
    }
    let id = sqlx::query_scalar::<_, ClientId>(
        "INSERT INTO clients (name, created_at) VALUES (?, ?) RETURNING id",
    )
    .bind(name)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok((id, true))
}

/// Whether the client ever had an assignment (then it is not new to the agency).
pub async fn has_history(conn: &mut SqliteConnection, client_id: ClientId) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM assignments WHERE client_id = ?)")
        .bind(client_id)
        .fetch_one(conn)
        .await
}

impl super::Db {
    /// The id of a client by name (case-insensitive), if known.
    pub async fn client_id(&self, name: &str) -> sqlx::Result<Option<ClientId>> {
        sqlx::query_scalar("SELECT id FROM clients WHERE name = ?")
            .bind(name)
            .fetch_optional(&self.pool)
            .await
    }
}

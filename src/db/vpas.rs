//! VPAs, their competences and the history of profile changes.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqliteConnection;

use super::{Db, day_text};
use crate::domain::competence::{Catalog, CompetenceId, Level};
use crate::domain::ids::{ClientId, DiscordId, TaskId};
use crate::domain::utilization::Commitment;
pub use crate::domain::vpa::ChangeSource;
use crate::domain::vpa::{HeldCompetence, Vpa};

from_row! {
    /// One recorded change of a profile field.
    #[derive(Debug, Clone, PartialEq)]
    pub struct HistoryEntry {
        pub vpa_id: DiscordId,
        pub field: String,
        pub old_value: Option<String>,
        pub new_value: Option<String>,
        pub source: ChangeSource,
        pub changed_by: Option<DiscordId>,
        pub changed_at: DateTime<Utc>,
    }
}

from_row! {
    struct VpaRow {
        discord_id: i64,
        name: String,
        weekly_hours: f64,
        wants_tasks: bool,
        wants_new_clients: bool,
        vt_stop_until: Option<NaiveDate>,
        absent_from: Option<NaiveDate>,
        absent_until: Option<NaiveDate>,
        willing_to_train: bool,
        joined_on: Option<NaiveDate>,
        active: bool,
        /// `key:level` pairs joined by `;`, ordered by key (none without competences).
        competences: Option<String>,
    }
}

impl VpaRow {
    fn into_domain(self) -> Vpa {
        let mut vpa = Vpa::new(DiscordId::from_db(self.discord_id), self.name);
        vpa.weekly_hours = self.weekly_hours;
        vpa.wants_tasks = self.wants_tasks;
        vpa.wants_new_clients = self.wants_new_clients;
        vpa.vt_stop_until = self.vt_stop_until;
        vpa.absent_from = self.absent_from;
        vpa.absent_until = self.absent_until;
        vpa.willing_to_train = self.willing_to_train;
        vpa.joined_on = self.joined_on;
        vpa.active = self.active;
        vpa
    }
}

from_row! {
    struct CommitmentRow {
        vpa_id: i64,
        client_id: ClientId,
        hours: f64,
        recurring: bool,
        assigned_on: NaiveDate,
        deadline: NaiveDate,
        ended_on: Option<NaiveDate>,
    }
}

impl CommitmentRow {
    /// How the assignment takes up hours; none for a one-off that is done or was taken back
    /// (it plans no more hours).
    fn commitment(&self) -> Option<Commitment> {
        match (self.recurring, self.ended_on) {
            (true, until) => Some(Commitment::Recurring {
                hours_per_week: self.hours,
                from: self.assigned_on,
                until,
            }),
            (false, Some(_)) => None,
            (false, None) => Some(Commitment::OneOff {
                hours: self.hours,
                assigned_on: self.assigned_on,
                deadline: self.deadline,
            }),
        }
    }
}

const VPA_COLUMNS: &str = "discord_id, name, weekly_hours, wants_tasks, wants_new_clients, vt_stop_until, \
     absent_from, absent_until, willing_to_train, joined_on, active";

/// A VPA's competences as one column (see [`VpaRow::competences`]). Competence keys are
/// lowercase letters, digits and '-' (the catalog's rule) and levels are fixed words, so neither
/// separator can occur inside a pair.
const COMPETENCES_COLUMN: &str = "(SELECT group_concat(competence || ':' || level, ';' ORDER BY competence) \
     FROM vpa_competences WHERE vpa_id = discord_id) AS competences";

/// VPA rows read by this process so far (tests check that a use case reads what its task
/// needs, not the pool).
static VPAS_READ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many VPA rows this process has read (see [`VPAS_READ`]).
pub fn vpas_read() -> u64 {
    VPAS_READ.load(std::sync::atomic::Ordering::Relaxed)
}

impl Db {
    /// The VPAs of `selection` (see [`load_selected`]).
    #[tracing::instrument(skip_all)]
    pub async fn load_selected(
        &self,
        catalog: &Catalog,
        selection: &Selection,
    ) -> sqlx::Result<Vec<Vpa>> {
        let mut conn = self.read().await?;
        load_selected(&mut conn, catalog, selection).await
    }

    /// Every profile with its competences but without commitments: what pool health needs
    /// (availability and areas), at half the reads of the whole pool.
    #[tracing::instrument(skip_all)]
    pub async fn load_profiles(&self, catalog: &Catalog) -> sqlx::Result<Vec<Vpa>> {
        let mut conn = self.read().await?;
        load_where(&mut conn, catalog, "", Chosen::default(), false).await
    }

    /// The whole pool (active and deactivated), with competences, commitments and served clients.
    ///
    /// Three queries, joined in memory: cheaper than one query per VPA for thousands of VPAs.
    #[tracing::instrument(skip_all)]
    pub async fn load_pool(&self, catalog: &Catalog) -> sqlx::Result<Vec<Vpa>> {
        let mut conn = self.read().await?;
        load_vpas(&mut conn, catalog, None).await
    }

    /// One VPA, or none if they have no profile.
    #[tracing::instrument(skip_all, fields(vpa = %id))]
    pub async fn get_vpa(&self, catalog: &Catalog, id: DiscordId) -> sqlx::Result<Option<Vpa>> {
        let mut conn = self.read().await?;
        Ok(load_vpas(&mut conn, catalog, Some(id)).await?.pop())
    }

    /// Profile changes since `since`, newest first.
    pub async fn history_since(&self, since: DateTime<Utc>) -> sqlx::Result<Vec<HistoryEntry>> {
        sqlx::query_as::<_, HistoryEntry>(
            "SELECT vpa_id, field, old_value, new_value, source, changed_by, changed_at FROM vpa_history \
             WHERE changed_at >= ? ORDER BY changed_at DESC, id DESC",
        )
        .bind(since)
        .fetch_all(&self.pool)
        .await
    }

    /// How many VPAs have a profile.
    pub async fn count_vpas(&self) -> sqlx::Result<i64> {
        sqlx::query_scalar("SELECT COUNT(*) FROM vpas")
            .fetch_one(&self.pool)
            .await
    }
}

/// Which VPAs to load: the work a use case does follows the task, not the pool.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Holders of any of these competences.
    pub holding: Vec<CompetenceId>,
    /// These VPAs.
    pub ids: Vec<DiscordId>,
    /// Those who joined on or after this day (newbies).
    pub joined_since: Option<NaiveDate>,
    /// Leave this task's assignments out of the commitments: the VPAs as they would be without
    /// it, to weigh the task afresh.
    pub except_task: Option<TaskId>,
}

impl Selection {
    /// The holders of one competence.
    pub fn holders(competence: CompetenceId) -> Selection {
        Selection {
            holding: vec![competence],
            ..Selection::default()
        }
    }

    /// These VPAs.
    pub fn of(ids: impl IntoIterator<Item = DiscordId>) -> Selection {
        Selection {
            ids: ids.into_iter().collect(),
            ..Selection::default()
        }
    }
}

/// Loads VPAs (all, or just `only`) with their competences and commitments on one connection.
pub async fn load_vpas(
    conn: &mut SqliteConnection,
    catalog: &Catalog,
    only: Option<DiscordId>,
) -> sqlx::Result<Vec<Vpa>> {
    match only {
        Some(id) => load_selected(conn, catalog, &Selection::of([id])).await,
        None => load_where(conn, catalog, "", Chosen::default(), true).await,
    }
}

/// Loads the VPAs of `selection` with their competences and commitments: indexed lookups,
/// rows read in proportion to the selection.
pub async fn load_selected(
    conn: &mut SqliteConnection,
    catalog: &Catalog,
    selection: &Selection,
) -> sqlx::Result<Vec<Vpa>> {
    let keys: Vec<&str> = selection
        .holding
        .iter()
        .map(|c| catalog.get(*c).key.as_str())
        .collect();
    let chosen = Chosen {
        keys: serde_json::to_string(&keys).unwrap_or_else(|_| "[]".into()),
        ids: super::id_list(&selection.ids),
        joined_since: selection.joined_since,
        except_task: selection.except_task,
    };
    load_where(conn, catalog, CHOSEN, chosen, true).await
}

/// The VPA ids of a [`Selection`] as SQL: each part an indexed lookup (competence, primary key,
/// joined_on), bound as ?1 (keys), ?2 (ids), ?3 (day).
const CHOSEN: &str = "SELECT vpa_id FROM vpa_competences WHERE competence IN (SELECT value FROM json_each(?1)) \
     UNION SELECT value FROM json_each(?2) \
     UNION SELECT discord_id FROM vpas WHERE ?3 IS NOT NULL AND joined_on >= ?3";

#[derive(Default)]
struct Chosen {
    keys: String,
    ids: String,
    joined_since: Option<NaiveDate>,
    except_task: Option<TaskId>,
}

async fn load_where(
    conn: &mut SqliteConnection,
    catalog: &Catalog,
    chosen_sql: &str,
    chosen: Chosen,
    with_commitments: bool,
) -> sqlx::Result<Vec<Vpa>> {
    let (filter, commitments_filter) = if chosen_sql.is_empty() {
        (String::new(), String::new())
    } else {
        (
            format!("WHERE discord_id IN ({chosen_sql})"),
            format!("WHERE vpa_id IN ({chosen_sql}) AND (?4 IS NULL OR task_id <> ?4)"),
        )
    };
    // Competences come aggregated, one row per VPA: every row costs a hand-over from sqlx's
    // SQLite worker thread, and one row per competence made loading a large pool ~20× slower.
    let sql = format!(
        "SELECT {VPA_COLUMNS}, {COMPETENCES_COLUMN} FROM vpas {filter} ORDER BY discord_id"
    );
    let mut query = sqlx::query_as::<_, VpaRow>(&sql);
    if !chosen_sql.is_empty() {
        query = query
            .bind(&chosen.keys)
            .bind(&chosen.ids)
            .bind(chosen.joined_since);
    }
    let rows = query.fetch_all(&mut *conn).await?;
    VPAS_READ.fetch_add(rows.len() as u64, std::sync::atomic::Ordering::Relaxed);
    let mut index: HashMap<i64, usize> = HashMap::with_capacity(rows.len());
    let mut vpas: Vec<Vpa> = Vec::with_capacity(rows.len());
    for mut row in rows {
        let discord_id = row.discord_id;
        let competences = row.competences.take().unwrap_or_default();
        let mut vpa = row.into_domain();
        for pair in competences.split(';').filter(|pair| !pair.is_empty()) {
            let (key, level) = pair.rsplit_once(':').unwrap_or((pair, ""));
            let (Some(competence), Some(level)) = (catalog.by_key(key), Level::parse(level)) else {
                // A competence removed from the catalog stays in the database but counts nowhere.
                tracing::debug!(vpa = discord_id, competence = %key, "competence not in the catalog, ignored");
                continue;
            };
            vpa.competences.push(HeldCompetence {
                competence: competence.id,
                level,
            });
        }
        index.insert(discord_id, vpas.len());
        vpas.push(vpa);
    }
    if !with_commitments {
        return Ok(vpas);
    }
    let sql = format!(
        "SELECT vpa_id, client_id, hours, recurring, assigned_on, deadline, \
         CASE WHEN recurring = 1 THEN COALESCE(ended_on, until) ELSE ended_on END AS ended_on \
         FROM assignments {commitments_filter}"
    );
    let mut query = sqlx::query_as::<_, CommitmentRow>(&sql);
    if !chosen_sql.is_empty() {
        query = query
            .bind(&chosen.keys)
            .bind(&chosen.ids)
            .bind(chosen.joined_since)
            .bind(chosen.except_task);
    }
    let commitments = query.fetch_all(&mut *conn).await?;
    for row in commitments {
        let Some(slot) = index.get(&row.vpa_id) else {
            continue;
        };
        let vpa = &mut vpas[*slot];
        vpa.clients_served.insert(row.client_id);
        if let Some(commitment) = row.commitment() {
            vpa.commitments.push(commitment);
        }
    }
    Ok(vpas)
}

/// Profile fields as stored in the history: neutral values (`true`/`false`, ISO days), never
/// words of a language.
fn profile_fields(vpa: &Vpa) -> [(&'static str, Option<String>); 10] {
    let day = |d: Option<NaiveDate>| d.map(day_text);
    let flag = |b: bool| Some(b.to_string());
    [
        ("name", Some(vpa.name.clone())),
        ("weekly_hours", Some(format!("{}", vpa.weekly_hours))),
        ("wants_tasks", flag(vpa.wants_tasks)),
        ("wants_new_clients", flag(vpa.wants_new_clients)),
        ("vt_stop_until", day(vpa.vt_stop_until)),
        ("absent_from", day(vpa.absent_from)),
        ("absent_until", day(vpa.absent_until)),
        ("willing_to_train", flag(vpa.willing_to_train)),
        ("joined_on", day(vpa.joined_on)),
        ("active", flag(vpa.active)),
    ]
}

fn competences_text(vpa: &Vpa, catalog: &Catalog) -> Option<String> {
    let mut held: Vec<String> = vpa
        .competences
        .iter()
        .map(|c| format!("{}:{}", catalog.get(c.competence).key, c.level.key()))
        .collect();
    held.sort();
    Some(held.join(";"))
}

/// What saving a profile did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Created,
    Updated,
    Unchanged,
}

/// Creates or updates a VPA's profile and competences, recording every changed field.
#[tracing::instrument(skip_all, fields(vpa = %vpa.discord_id))]
pub async fn save_vpa(
    conn: &mut SqliteConnection,
    catalog: &Catalog,
    vpa: &Vpa,
    source: ChangeSource,
    changed_by: Option<DiscordId>,
    now: DateTime<Utc>,
) -> sqlx::Result<Saved> {
    let before = load_vpas(conn, catalog, Some(vpa.discord_id)).await?.pop();
    let saved = save_vpas(
        conn,
        catalog,
        &[(before.as_ref(), vpa)],
        source,
        changed_by,
        now,
    )
    .await?;
    Ok(saved[0])
}

/// A changed field: (field, old value, new value).
type FieldChange = (&'static str, Option<String>, Option<String>);

/// What saving `after` over `before` changes, field by field.
fn field_changes(before: Option<&Vpa>, after: &Vpa, catalog: &Catalog) -> Vec<FieldChange> {
    let old_fields = before.map(profile_fields);
    let mut changes = Vec::new();
    for (i, (field, new)) in profile_fields(after).into_iter().enumerate() {
        let old = old_fields.as_ref().and_then(|o| o[i].1.clone());
        if before.is_none() || old != new {
            changes.push((field, old, new));
        }
    }
    let old_competences = before.and_then(|b| competences_text(b, catalog));
    let new_competences = competences_text(after, catalog);
    if before.is_none() || old_competences != new_competences {
        changes.push(("competences", old_competences, new_competences));
    }
    changes
}

fn json<T: serde::Serialize>(value: &T) -> sqlx::Result<String> {
    serde_json::to_string(value).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}

/// Saves many profiles, each given with how it was before (none: new), in four statements
/// whatever their number — so an import of thousands holds the write lock for well under a
/// second. Only what changed is written; every changed field goes to the history.
pub async fn save_vpas(
    conn: &mut SqliteConnection,
    catalog: &Catalog,
    items: &[(Option<&Vpa>, &Vpa)],
    source: ChangeSource,
    changed_by: Option<DiscordId>,
    now: DateTime<Utc>,
) -> sqlx::Result<Vec<Saved>> {
    let mut saved = Vec::with_capacity(items.len());
    let (mut rows, mut competences, mut replaced, mut history) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (before, vpa) in items {
        let changes = field_changes(*before, vpa, catalog);
        if before.is_some() && changes.is_empty() {
            saved.push(Saved::Unchanged);
            continue;
        }
        saved.push(if before.is_none() {
            Saved::Created
        } else {
            Saved::Updated
        });
        let id = vpa.discord_id.to_db();
        rows.push(serde_json::json!({
            "id": id, "name": vpa.name, "weekly_hours": vpa.weekly_hours,
            "wants_tasks": vpa.wants_tasks, "wants_new_clients": vpa.wants_new_clients,
            "vt_stop_until": vpa.vt_stop_until.map(day_text), "absent_from": vpa.absent_from.map(day_text),
            "absent_until": vpa.absent_until.map(day_text), "willing_to_train": vpa.willing_to_train,
            "joined_on": vpa.joined_on.map(day_text), "active": vpa.active,
        }));
        if changes.iter().any(|(field, _, _)| *field == "competences") {
            replaced.push(id);
            for held in &vpa.competences {
                competences.push((id, &catalog.get(held.competence).key, held.level.key()));
            }
        }
        for (field, old, new) in changes {
            history.push((id, field, old, new));
        }
    }
    if rows.is_empty() {
        return Ok(saved);
    }
    sqlx::query(
        "INSERT INTO vpas (discord_id, name, weekly_hours, wants_tasks, wants_new_clients, vt_stop_until, absent_from, \
         absent_until, willing_to_train, joined_on, active, created_at, updated_at) \
         SELECT value ->> 'id', value ->> 'name', value ->> 'weekly_hours', value ->> 'wants_tasks', \
                value ->> 'wants_new_clients', value ->> 'vt_stop_until', value ->> 'absent_from', \
                value ->> 'absent_until', value ->> 'willing_to_train', value ->> 'joined_on', value ->> 'active', ?2, ?2 \
         FROM json_each(?1) WHERE true \
         ON CONFLICT (discord_id) DO UPDATE SET name = excluded.name, weekly_hours = excluded.weekly_hours, \
         wants_tasks = excluded.wants_tasks, wants_new_clients = excluded.wants_new_clients, \
         vt_stop_until = excluded.vt_stop_until, absent_from = excluded.absent_from, \
         absent_until = excluded.absent_until, willing_to_train = excluded.willing_to_train, \
         joined_on = excluded.joined_on, active = excluded.active, updated_at = excluded.updated_at",
    )
    .bind(json(&rows)?)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if !replaced.is_empty() {
        sqlx::query("DELETE FROM vpa_competences WHERE vpa_id IN (SELECT value FROM json_each(?))")
            .bind(json(&replaced)?)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "INSERT INTO vpa_competences (vpa_id, competence, level) \
             SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)",
        )
        .bind(json(&competences)?)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "INSERT INTO vpa_history (vpa_id, field, old_value, new_value, source, changed_by, changed_at) \
         SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, ?2, ?3, ?4 FROM json_each(?1) ORDER BY key",
    )
    .bind(json(&history)?)
    .bind(source.key())
    .bind(changed_by)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(saved)
}

from_row! {
    /// A recorded change of a field that decides availability for new clients.
    #[derive(Debug, Clone, PartialEq)]
    pub struct AvailabilityChange {
        pub vpa_id: DiscordId,
        pub field: String,
        pub new_value: Option<String>,
    }
}

/// Changes since `since` (newest first) of the fields that decide availability for new clients,
/// made in Discord (an import is the manager's own doing and needs no alert naming it).
pub async fn availability_changes_since(
    conn: &mut SqliteConnection,
    since: DateTime<Utc>,
) -> sqlx::Result<Vec<AvailabilityChange>> {
    sqlx::query_as(
        "SELECT vpa_id, field, new_value FROM vpa_history WHERE changed_at >= ? AND source != 'import' \
         AND field IN ('wants_new_clients', 'vt_stop_until', 'absent_from', 'absent_until', 'active') \
         ORDER BY changed_at DESC, id DESC",
    )
    .bind(since)
    .fetch_all(conn)
    .await
}

/// When the VPA was last nudged to complete their competences.
pub async fn last_nudged_at(
    conn: &mut SqliteConnection,
    vpa: DiscordId,
) -> sqlx::Result<Option<DateTime<Utc>>> {
    Ok(sqlx::query_scalar::<_, Option<DateTime<Utc>>>(
        "SELECT last_nudged_at FROM vpas WHERE discord_id = ?",
    )
    .bind(vpa)
    .fetch_optional(conn)
    .await?
    .flatten())
}

/// Records that the VPA was nudged now.
pub async fn set_last_nudged(
    conn: &mut SqliteConnection,
    vpa: DiscordId,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE vpas SET last_nudged_at = ? WHERE discord_id = ?")
        .bind(now)
        .bind(vpa)
        .execute(conn)
        .await?;
    Ok(())
}

/// What the utilization of the active pool in the week of `day` is computed from: each active
/// VPA with weekly hours, and their commitments (two reads for the whole pool, no profile
/// fields or competences).
pub async fn active_commitments(
    conn: &mut SqliteConnection,
) -> sqlx::Result<Vec<(f64, Vec<Commitment>)>> {
    let vpas: Vec<(i64, f64)> = sqlx::query_as(
        "SELECT discord_id, weekly_hours FROM vpas WHERE active = 1 AND weekly_hours > 0",
    )
    .fetch_all(&mut *conn)
    .await?;
    let index: HashMap<i64, usize> = vpas
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (*id, i))
        .collect();
    let mut out: Vec<(f64, Vec<Commitment>)> = vpas.iter().map(|(_, h)| (*h, Vec::new())).collect();
    let rows: Vec<CommitmentRow> = sqlx::query_as(
        "SELECT a.vpa_id, a.client_id, a.hours, a.recurring, a.assigned_on, a.deadline, \
         CASE WHEN a.recurring = 1 THEN COALESCE(a.ended_on, a.until) ELSE a.ended_on END AS ended_on \
         FROM assignments a JOIN vpas v ON v.discord_id = a.vpa_id \
         WHERE v.active = 1 AND (a.recurring = 1 OR a.ended_on IS NULL)",
    )
    .fetch_all(&mut *conn)
    .await?;
    for row in rows {
        let Some(slot) = index.get(&row.vpa_id) else {
            continue;
        };
        if let Some(commitment) = row.commitment() {
            out[*slot].1.push(commitment);
        }
    }
    Ok(out)
}

impl Db {
    /// See [`active_commitments`].
    pub async fn active_commitments(&self) -> sqlx::Result<Vec<(f64, Vec<Commitment>)>> {
        let mut conn = self.read().await?;
        active_commitments(&mut conn).await
    }
}

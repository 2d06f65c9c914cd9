//! Drop-outs: the assignments a VPA holds, their hand-overs, the waitlist offers and the
//! recurring covers that go back to their holder.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqliteConnection;

use super::Db;
use crate::domain::dropout::{DropCause, Held};
use crate::domain::ids::{AssignmentId, DiscordId, HandOverId, OfferId, TaskId};

from_row! {
    struct HeldRow {
        id: AssignmentId,
        task_id: TaskId,
        hours: f64,
        recurring: bool,
        deadline: NaiveDate,
        until: Option<NaiveDate>,
    }
}

/// The assignments a VPA holds now on tasks that are not closed, by deadline.
pub async fn held_by(conn: &mut SqliteConnection, vpa: DiscordId) -> sqlx::Result<Vec<Held>> {
    let rows: Vec<HeldRow> = sqlx::query_as(
        "SELECT a.id, a.task_id, a.hours, a.recurring, a.deadline, a.until FROM assignments a \
         JOIN tasks t ON t.id = a.task_id \
         WHERE a.vpa_id = ? AND a.ended_on IS NULL AND a.end_reason IS NULL \
           AND t.status NOT IN ('done', 'cancelled', 'external') \
         ORDER BY a.deadline, a.id",
    )
    .bind(vpa)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Held {
            assignment: r.id,
            task_id: r.task_id,
            hours: r.hours,
            recurring: r.recurring,
            deadline: r.deadline,
            until: r.until,
        })
        .collect())
}

/// Ends an assignment because its holder dropped out (`ended_on` today), or plans its end
/// (`until`: a recurring one the holder keeps until the week before the absence).
pub async fn end_held(
    conn: &mut SqliteConnection,
    assignment: AssignmentId,
    ended_on: Option<NaiveDate>,
    until: Option<NaiveDate>,
    cause: DropCause,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE assignments SET ended_on = ?, until = COALESCE(?, until), end_reason = ? \
         WHERE id = ? AND ended_on IS NULL",
    )
    .bind(ended_on)
    .bind(until)
    .bind(cause.key())
    .bind(assignment)
    .execute(conn)
    .await?;
    Ok(())
}

/// A hand-over to record.
pub struct NewHandOver {
    pub task_id: TaskId,
    pub assignment: AssignmentId,
    pub vpa: DiscordId,
    pub cause: DropCause,
    pub cover_from: Option<NaiveDate>,
    pub cover_until: Option<NaiveDate>,
    pub created_by: Option<DiscordId>,
}

/// Where a hand-over stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandOverState {
    Offering,
    Round,
    Taken,
    Closed,
}

impl HandOverState {
    fn key(self) -> &'static str {
        match self {
            HandOverState::Offering => "offering",
            HandOverState::Round => "round",
            HandOverState::Taken => "taken",
            HandOverState::Closed => "closed",
        }
    }

    fn parse(key: &str) -> HandOverState {
        match key {
            "offering" => HandOverState::Offering,
            "round" => HandOverState::Round,
            "taken" => HandOverState::Taken,
            _ => HandOverState::Closed,
        }
    }
}

pub async fn insert(
    conn: &mut SqliteConnection,
    new: &NewHandOver,
    state: HandOverState,
    now: DateTime<Utc>,
) -> sqlx::Result<HandOverId> {
    sqlx::query_scalar(
        "INSERT INTO hand_overs (task_id, assignment_id, vpa_id, cause, cover_from, cover_until, state, created_by, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(new.task_id)
    .bind(new.assignment)
    .bind(new.vpa)
    .bind(new.cause.key())
    .bind(new.cover_from)
    .bind(new.cover_until)
    .bind(state.key())
    .bind(new.created_by)
    .bind(now)
    .bind(now)
    .fetch_one(conn)
    .await
}

pub async fn set_state(
    conn: &mut SqliteConnection,
    id: HandOverId,
    state: HandOverState,
    taken_by: Option<DiscordId>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE hand_overs SET state = ?, taken_by = COALESCE(?, taken_by), updated_at = ? WHERE id = ?",
    )
    .bind(state.key())
    .bind(taken_by)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Puts the waitlist in place, best first; nobody is offered yet.
pub async fn insert_waitlist(
    conn: &mut SqliteConnection,
    id: HandOverId,
    waitlist: &[DiscordId],
) -> sqlx::Result<()> {
    for (place, vpa) in waitlist.iter().enumerate() {
        sqlx::query(
            "INSERT INTO hand_over_offers (hand_over_id, vpa_id, place) VALUES (?, ?, ?) \
             ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(vpa)
        .bind(place as i64)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Offers the hand-over to the next one on its waitlist; none when nobody is left.
pub async fn offer_next(
    conn: &mut SqliteConnection,
    id: HandOverId,
    now: DateTime<Utc>,
    closes_at: DateTime<Utc>,
) -> sqlx::Result<Option<(OfferId, DiscordId)>> {
    sqlx::query_as(
        "UPDATE hand_over_offers SET offered_at = ?, closes_at = ? WHERE id = ( \
           SELECT id FROM hand_over_offers WHERE hand_over_id = ? AND offered_at IS NULL \
           ORDER BY place LIMIT 1) RETURNING id, vpa_id",
    )
    .bind(now)
    .bind(closes_at)
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// An offer with its hand-over, as a press or the timer needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    pub id: OfferId,
    pub hand_over: HandOverId,
    pub vpa: DiscordId,
    pub task_id: TaskId,
    /// Who dropped out.
    pub holder: DiscordId,
    pub closes_at: Option<DateTime<Utc>>,
    /// `accepted`, `declined`, `lapsed`, `void`; none while open.
    pub outcome: Option<String>,
    pub state: HandOverState,
    pub cover_from: Option<NaiveDate>,
    pub cover_until: Option<NaiveDate>,
}

from_row! {
    struct OfferRow {
        id: OfferId,
        hand_over_id: HandOverId,
        vpa_id: DiscordId,
        task_id: TaskId,
        holder: DiscordId,
        closes_at: Option<DateTime<Utc>>,
        outcome: Option<String>,
        state: String,
        cover_from: Option<NaiveDate>,
        cover_until: Option<NaiveDate>,
    }
}

const OFFER_SELECT: &str = "SELECT o.id, o.hand_over_id, o.vpa_id, h.task_id, h.vpa_id AS holder, o.closes_at, \
     o.outcome, h.state, h.cover_from, h.cover_until \
     FROM hand_over_offers o JOIN hand_overs h ON h.id = o.hand_over_id";

impl From<OfferRow> for Offer {
    fn from(r: OfferRow) -> Offer {
        Offer {
            id: r.id,
            hand_over: r.hand_over_id,
            vpa: r.vpa_id,
            task_id: r.task_id,
            holder: r.holder,
            closes_at: r.closes_at,
            outcome: r.outcome,
            state: HandOverState::parse(&r.state),
            cover_from: r.cover_from,
            cover_until: r.cover_until,
        }
    }
}

pub async fn get_offer(conn: &mut SqliteConnection, id: OfferId) -> sqlx::Result<Option<Offer>> {
    let row: Option<OfferRow> = sqlx::query_as(&format!("{OFFER_SELECT} WHERE o.id = ?"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(Offer::from))
}

/// The open offers made to `vpa` (they drop out: the next one is asked instead).
pub async fn open_offers_to(
    conn: &mut SqliteConnection,
    vpa: DiscordId,
) -> sqlx::Result<Vec<OfferId>> {
    sqlx::query_scalar(
        "SELECT id FROM hand_over_offers WHERE vpa_id = ? AND offered_at IS NOT NULL AND outcome IS NULL ORDER BY id",
    )
    .bind(vpa)
    .fetch_all(conn)
    .await
}

/// Records the outcome of an open offer; false when it was no longer open.
pub async fn close_offer(
    conn: &mut SqliteConnection,
    id: OfferId,
    outcome: &str,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE hand_over_offers SET outcome = ?, answered_at = ? WHERE id = ? AND outcome IS NULL",
    )
    .bind(outcome)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Voids what is left of a hand-over's waitlist (taken, or the task closed).
pub async fn void_waitlist(
    conn: &mut SqliteConnection,
    id: HandOverId,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE hand_over_offers SET outcome = 'void', answered_at = ? WHERE hand_over_id = ? AND outcome IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The open hand-overs of a task (the task closed: they end too).
pub async fn open_of_task(
    conn: &mut SqliteConnection,
    task_id: TaskId,
) -> sqlx::Result<Vec<HandOverId>> {
    sqlx::query_scalar(
        "SELECT id FROM hand_overs WHERE task_id = ? AND state IN ('offering', 'round') ORDER BY id",
    )
    .bind(task_id)
    .fetch_all(conn)
    .await
}

/// The latest open hand-over of a task with its cover (from, until), if any.
pub async fn open_hand_over_of_task(
    conn: &mut SqliteConnection,
    task_id: TaskId,
) -> sqlx::Result<Option<(HandOverId, Option<NaiveDate>, Option<NaiveDate>)>> {
    sqlx::query_as(
        "SELECT id, cover_from, cover_until FROM hand_overs \
         WHERE task_id = ? AND state IN ('offering', 'round') ORDER BY id DESC LIMIT 1",
    )
    .bind(task_id)
    .fetch_optional(conn)
    .await
}

/// The hand-over a round was opened for.
pub async fn of_round(
    conn: &mut SqliteConnection,
    round: crate::domain::ids::RoundId,
) -> sqlx::Result<Option<HandOverId>> {
    sqlx::query_scalar::<_, Option<HandOverId>>(
        "SELECT hand_over_id FROM survey_rounds WHERE id = ?",
    )
    .bind(round)
    .fetch_optional(conn)
    .await
    .map(Option::flatten)
}

/// Marks a round as opened for a hand-over.
pub async fn set_round(
    conn: &mut SqliteConnection,
    round: crate::domain::ids::RoundId,
    id: HandOverId,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE survey_rounds SET hand_over_id = ? WHERE id = ?")
        .bind(id)
        .bind(round)
        .execute(conn)
        .await?;
    Ok(())
}

/// A take-over: `vpa` holds the task from `from` (a cover: until `until`).
#[allow(clippy::too_many_arguments)]
pub async fn insert_take_over(
    conn: &mut SqliteConnection,
    task: &crate::domain::task::Task,
    vpa: DiscordId,
    from: NaiveDate,
    until: Option<NaiveDate>,
    id: HandOverId,
    by: Option<DiscordId>,
    now: DateTime<Utc>,
) -> sqlx::Result<AssignmentId> {
    sqlx::query_scalar(
        "INSERT INTO assignments (task_id, vpa_id, client_id, hours, recurring, assigned_on, deadline, until, hand_over_id, assigned_by, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(task.id)
    .bind(vpa)
    .bind(task.client_id)
    .bind(task.hours)
    .bind(task.recurring)
    .bind(from)
    .bind(task.deadline.max(from))
    .bind(until)
    .bind(id)
    .bind(by)
    .bind(now)
    .fetch_one(conn)
    .await
}

from_row! {
    /// A recurring cover whose holder has not taken it back.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Cover {
        pub id: HandOverId,
        pub task_id: TaskId,
        /// Who gave it up.
        pub vpa_id: DiscordId,
        pub cover_from: NaiveDate,
        pub cover_until: Option<NaiveDate>,
        pub state: String,
        /// What was handed on was itself someone's cover: it goes back to nobody.
        pub of_take_over: bool,
    }
}

const COVER_SELECT: &str = "SELECT h.id, h.task_id, h.vpa_id, h.cover_from, h.cover_until, h.state, \
     a.hand_over_id IS NOT NULL AS of_take_over \
     FROM hand_overs h JOIN assignments a ON a.id = h.assignment_id";

/// The covers of `holder` not yet back with them.
pub async fn covers_of(conn: &mut SqliteConnection, holder: DiscordId) -> sqlx::Result<Vec<Cover>> {
    sqlx::query_as(&format!(
        "{COVER_SELECT} WHERE h.vpa_id = ? AND h.cover_from IS NOT NULL AND h.returned_on IS NULL \
         AND h.state != 'closed' ORDER BY h.id"
    ))
    .bind(holder)
    .fetch_all(conn)
    .await
}

/// Covers whose last week is over: the holder takes them back.
pub async fn covers_due(conn: &mut SqliteConnection, today: NaiveDate) -> sqlx::Result<Vec<Cover>> {
    sqlx::query_as(&format!(
        "{COVER_SELECT} WHERE h.cover_from IS NOT NULL AND h.returned_on IS NULL AND h.state != 'closed' \
         AND h.cover_until IS NOT NULL AND h.cover_until < ? ORDER BY h.id"
    ))
    .bind(today)
    .fetch_all(conn)
    .await
}

/// A cover gets a new last day: on the hand-over and on the take-over's assignment.
pub async fn set_cover_until(
    conn: &mut SqliteConnection,
    id: HandOverId,
    until: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE hand_overs SET cover_until = ?, updated_at = ? WHERE id = ?")
        .bind(until)
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE assignments SET until = ? WHERE hand_over_id = ? AND ended_on IS NULL")
        .bind(until)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The holder took the cover back on `on`.
pub async fn set_returned(
    conn: &mut SqliteConnection,
    id: HandOverId,
    on: NaiveDate,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE hand_overs SET returned_on = ?, updated_at = ? WHERE id = ?")
        .bind(on)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A cover becomes for good (its holder was deactivated): it goes back to nobody.
pub async fn make_for_good(
    conn: &mut SqliteConnection,
    id: HandOverId,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE hand_overs SET cover_from = NULL, cover_until = NULL, cause = 'deactivated', updated_at = ? WHERE id = ?",
    )
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE assignments SET until = NULL WHERE hand_over_id = ? AND ended_on IS NULL")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A cover that had not begun is called off (its holder is back before): the holder keeps the
/// task, whoever was to cover gives it up, the waitlist is void.
pub async fn call_off(
    conn: &mut SqliteConnection,
    id: HandOverId,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE assignments SET until = NULL, end_reason = NULL \
         WHERE id = (SELECT assignment_id FROM hand_overs WHERE id = ?) AND ended_on IS NULL",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE assignments SET ended_on = ?, end_reason = 'returned' WHERE hand_over_id = ? AND ended_on IS NULL",
    )
    .bind(today)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE hand_overs SET state = 'closed', returned_on = ?, updated_at = ? WHERE id = ?",
    )
    .bind(today)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    void_waitlist(conn, id, now).await
}

/// Ends the take-overs of a cover on its last day (the holder is back).
pub async fn end_take_overs(
    conn: &mut SqliteConnection,
    id: HandOverId,
    last_day: NaiveDate,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE assignments SET ended_on = ?, end_reason = 'returned' WHERE hand_over_id = ? AND ended_on IS NULL",
    )
    .bind(last_day)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Closes the hand-overs of a task that closed, and their waitlists.
pub async fn close_of_task(
    conn: &mut SqliteConnection,
    task_id: TaskId,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    for id in open_of_task(conn, task_id).await? {
        set_state(conn, id, HandOverState::Closed, None, now).await?;
        void_waitlist(conn, id, now).await?;
    }
    Ok(())
}

/// Ends what was planned to end before `today` (a cover's last week, a holder's last week
/// before an absence), so that "held now" stays true.
pub async fn settle_planned_ends(
    conn: &mut SqliteConnection,
    today: NaiveDate,
) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "UPDATE assignments SET ended_on = until, end_reason = COALESCE(end_reason, 'returned') \
         WHERE ended_on IS NULL AND until IS NOT NULL AND until < ?",
    )
    .bind(today)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

from_row! {
    /// One step of a task's hand-overs, for `/task show`.
    #[derive(Debug, Clone, PartialEq)]
    pub struct HandOverView {
        pub vpa_id: DiscordId,
        pub vpa_name: Option<String>,
        pub cause: String,
        pub cover_from: Option<NaiveDate>,
        pub cover_until: Option<NaiveDate>,
        pub returned_on: Option<NaiveDate>,
        pub state: String,
        pub taken_by: Option<DiscordId>,
        pub taken_by_name: Option<String>,
        pub created_at: DateTime<Utc>,
    }
}

impl Db {
    /// The assignments a VPA holds now (see [`held_by`]).
    pub async fn held_by(&self, vpa: DiscordId) -> sqlx::Result<Vec<Held>> {
        let mut conn = self.read().await?;
        held_by(&mut conn, vpa).await
    }

    /// The open offers whose time ran out.
    pub async fn due_offers(&self, now: DateTime<Utc>) -> sqlx::Result<Vec<OfferId>> {
        sqlx::query_scalar(
            "SELECT id FROM hand_over_offers WHERE outcome IS NULL AND offered_at IS NOT NULL AND closes_at <= ? ORDER BY closes_at",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await
    }

    /// The earliest open offer's end (the timers sleep until then at most).
    pub async fn next_offer_end(&self) -> sqlx::Result<Option<DateTime<Utc>>> {
        sqlx::query_scalar(
            "SELECT MIN(closes_at) FROM hand_over_offers WHERE outcome IS NULL AND offered_at IS NOT NULL",
        )
        .fetch_one(&self.pool)
        .await
    }

    /// A task's hand-overs, oldest first.
    pub async fn hand_overs_of_task(&self, task_id: TaskId) -> sqlx::Result<Vec<HandOverView>> {
        sqlx::query_as(
            "SELECT h.vpa_id, v.name AS vpa_name, h.cause, h.cover_from, h.cover_until, h.returned_on, h.state, \
                    h.taken_by, t.name AS taken_by_name, h.created_at \
             FROM hand_overs h LEFT JOIN vpas v ON v.discord_id = h.vpa_id \
             LEFT JOIN vpas t ON t.discord_id = h.taken_by \
             WHERE h.task_id = ? ORDER BY h.id",
        )
        .bind(task_id)
        .fetch_all(&self.pool)
        .await
    }

    /// The hand-over a round was opened for, with its cover (from, until); none for other rounds.
    pub async fn hand_over_of_round(
        &self,
        round: crate::domain::ids::RoundId,
    ) -> sqlx::Result<Option<(Option<NaiveDate>, Option<NaiveDate>)>> {
        sqlx::query_as(
            "SELECT h.cover_from, h.cover_until FROM survey_rounds r JOIN hand_overs h ON h.id = r.hand_over_id WHERE r.id = ?",
        )
        .bind(round)
        .fetch_optional(&self.pool)
        .await
    }

    /// An offer as stored.
    pub async fn offer(&self, id: OfferId) -> sqlx::Result<Option<Offer>> {
        let mut conn = self.read().await?;
        get_offer(&mut conn, id).await
    }
}

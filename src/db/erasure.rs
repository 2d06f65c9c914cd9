//! Erasing a VPA who asked to be forgotten: their personal data deleted, what stays (hours of
//! assignments, answers as counts) kept under a random id. Written against the schema itself —
//! every column of every table is looked at — so a table added later is covered too.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use crate::domain::ids::DiscordId;

/// What stands in for an erased name wherever it was written (no word of a language: stored
/// values are neutral).
pub const ERASED_NAME: &str = "[…]";

/// What an erasure did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Erased {
    /// The random id the kept rows now carry.
    pub pseudonym: DiscordId,
    /// Rows deleted (history, competences, messages, marks).
    pub deleted: u64,
    /// Rows whose id or name was replaced.
    pub rewritten: u64,
}

/// Tables the erasure leaves alone: SQLite's and the migrations' own.
fn is_internal(table: &str) -> bool {
    table.starts_with("sqlite_") || table.starts_with("_sqlx")
}

/// Erases `vpa` (named `name`) inside the caller's write transaction. Foreign keys are checked
/// at its commit, so the kept rows can move to the new id together.
pub async fn forget(
    conn: &mut SqliteConnection,
    vpa: DiscordId,
    name: &str,
    pseudonym: DiscordId,
    now: DateTime<Utc>,
) -> sqlx::Result<Erased> {
    sqlx::query("PRAGMA defer_foreign_keys = ON")
        .execute(&mut *conn)
        .await?;
    let id = vpa.0.to_string();
    let mut deleted = 0;
    // Personal data: deleted outright.
    for sql in [
        "DELETE FROM vpa_competences WHERE vpa_id = ?1",
        "DELETE FROM vpa_history WHERE vpa_id = ?1",
        "DELETE FROM member_locales WHERE user_id = ?1",
        "DELETE FROM dm_unreachable WHERE member_id = ?1",
        "DELETE FROM dm_unreachable_told WHERE member_id = ?1 OR coordinator_id = ?1",
    ] {
        deleted += sqlx::query(sql)
            .bind(vpa)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    // Messages to or about them, and the events they caused (their keys hold the id).
    for sql in [
        "DELETE FROM outbox WHERE instr(intent, ?1) > 0",
        "DELETE FROM processed_events WHERE instr(event_key, ?1) > 0",
    ] {
        deleted += sqlx::query(sql)
            .bind(&id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    // Their own words in answers; the answers stay as counts.
    for sql in [
        "UPDATE survey_answers SET note = NULL WHERE vpa_id = ?1",
        "UPDATE survey_answer_history SET note = NULL WHERE vpa_id = ?1",
    ] {
        sqlx::query(sql).bind(vpa).execute(&mut *conn).await?;
    }
    // The profile: nothing of the person left, out of the pool.
    sqlx::query(
        "UPDATE vpas SET name = ?2, weekly_hours = 0, wants_tasks = 0, wants_new_clients = 0, \
         vt_stop_until = NULL, absent_from = NULL, absent_until = NULL, willing_to_train = 0, \
         joined_on = NULL, active = 0, last_nudged_at = NULL, profile_completed_at = NULL, created_at = ?3, updated_at = ?3 \
         WHERE discord_id = ?1",
    )
    .bind(vpa)
    .bind(ERASED_NAME)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    // Everywhere else the id or the name stands — columns of ids, JSON of views, keys — it is
    // replaced: the id by the pseudonym, the name by a placeholder.
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .fetch_all(&mut *conn)
            .await?;
    let mut rewritten = 0;
    let pseudo = pseudonym.0.to_string();
    for table in tables.iter().filter(|t| !is_internal(t)) {
        let columns: Vec<(String, String)> =
            sqlx::query_as("SELECT name, type FROM pragma_table_info(?)")
                .bind(table)
                .fetch_all(&mut *conn)
                .await?;
        for (column, kind) in columns {
            let (t, c) = (quote(table), quote(&column));
            let kind = kind.to_ascii_uppercase();
            if kind.contains("INT") {
                rewritten += sqlx::query(&format!("UPDATE {t} SET {c} = ?1 WHERE {c} = ?2"))
                    .bind(pseudonym)
                    .bind(vpa)
                    .execute(&mut *conn)
                    .await?
                    .rows_affected();
            } else if kind.contains("TEXT") || kind.is_empty() {
                // Read where the id or the name stands, replace in Rust (the id only as a whole
                // number, never inside a longer one), write back by rowid.
                let name_too = name.chars().count() >= 3 && name != ERASED_NAME;
                let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
                    "SELECT rowid, {c} FROM {t} WHERE instr({c}, ?1) > 0 \
                     OR (?3 AND instr({c}, ?2) > 0)"
                ))
                .bind(&id)
                .bind(name)
                .bind(name_too)
                .fetch_all(&mut *conn)
                .await?;
                for (rowid, text) in rows {
                    let mut new = replace_number(&text, &id, &pseudo);
                    if name_too {
                        new = new.replace(name, ERASED_NAME);
                    }
                    if new != text {
                        sqlx::query(&format!("UPDATE {t} SET {c} = ?1 WHERE rowid = ?2"))
                            .bind(new)
                            .bind(rowid)
                            .execute(&mut *conn)
                            .await?;
                        rewritten += 1;
                    }
                }
            }
        }
    }
    Ok(Erased {
        pseudonym,
        deleted,
        rewritten,
    })
}

/// `text` with every whole-number occurrence of `number` (no digit right before or after it)
/// replaced by `by`.
fn replace_number(text: &str, number: &str, by: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut before_digit = false;
    while let Some(at) = rest.find(number) {
        let (head, tail) = rest.split_at(at);
        let after = &tail[number.len()..];
        let left_digit = head
            .chars()
            .next_back()
            .map_or(before_digit, |c| c.is_ascii_digit());
        let right_digit = after.chars().next().is_some_and(|c| c.is_ascii_digit());
        out.push_str(head);
        if left_digit || right_digit {
            // Part of a longer number: keep its first digit and look on from the next.
            let first = number.chars().next().map_or(0, char::len_utf8);
            out.push_str(&tail[..first]);
            before_digit = true;
            rest = &tail[first..];
        } else {
            out.push_str(by);
            before_digit = true;
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// An identifier quoted for SQLite (table and column names come from the schema itself).
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl super::Db {
    /// After an erasure: the WAL folded into the file and emptied, so older page images holding
    /// the erased data are gone from it too (freed pages are zeroed: `secure_delete`).
    pub async fn fold_wal(&self) -> sqlx::Result<()> {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// What an erasure of `vpa` keeps, anonymous: their assignments and their answers.
    pub async fn kept_on_forget(&self, vpa: DiscordId) -> sqlx::Result<(i64, i64)> {
        sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM assignments WHERE vpa_id = ?1), \
                    (SELECT COUNT(*) FROM survey_answers WHERE vpa_id = ?1)",
        )
        .bind(vpa)
        .fetch_one(&self.pool)
        .await
    }

    /// Whether a VPA with this id exists (for a fresh pseudonym).
    pub async fn vpa_exists(&self, id: DiscordId) -> sqlx::Result<bool> {
        let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM vpas WHERE discord_id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(found.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::replace_number;

    #[test]
    fn only_whole_numbers_are_replaced() {
        assert_eq!(
            replace_number(
                r#"{"to":1000,"vpa":"1000","ch":1100010001000,"k":"r:5:1000:x"}"#,
                "1000",
                "77"
            ),
            r#"{"to":77,"vpa":"77","ch":1100010001000,"k":"r:5:77:x"}"#
        );
        assert_eq!(replace_number("10000 1000", "1000", "7"), "10000 7");
        assert_eq!(replace_number("a1000", "1000", "7"), "a7");
        assert_eq!(replace_number("nothing", "1000", "7"), "nothing");
    }
}

//! How domain values are stored: ids as INTEGER, kinds and statuses as TEXT keys. Implemented
//! here, beside the SQL, so the domain stays free of sqlx; a row struct can then hold
//! `TaskStatus` or `TaskId` directly and a stored value that is not a known key fails to decode
//! (instead of turning into a default somewhere far away).

use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::sqlite::{Sqlite, SqliteArgumentValue, SqliteTypeInfo, SqliteValueRef};
use sqlx::{Decode, Encode, Type};

use crate::domain::area::WorkArea;
use crate::domain::competence::Level;
use crate::domain::escalation::EscalationCause;
use crate::domain::ids::{
    AssignmentId, ClientId, DiscordId, HandOverId, OfferId, PendingEditId, RoundId, TaskId,
};
use crate::domain::survey::{AnswerVia, DeclineReason, RoundKind, RoundOutcome};
use crate::domain::task::TaskStatus;
use crate::domain::vpa::ChangeSource;

/// Stores an enum as its `key()` and reads it back through `FromStr`.
macro_rules! text_key {
    ($($ty:ty),+ $(,)?) => {$(
        impl Type<Sqlite> for $ty {
            fn type_info() -> SqliteTypeInfo {
                <str as Type<Sqlite>>::type_info()
            }

            fn compatible(ty: &SqliteTypeInfo) -> bool {
                <str as Type<Sqlite>>::compatible(ty)
            }
        }

        impl<'q> Encode<'q, Sqlite> for $ty {
            fn encode_by_ref(
                &self,
                buf: &mut Vec<SqliteArgumentValue<'q>>,
            ) -> Result<IsNull, BoxDynError> {
                <&str as Encode<'q, Sqlite>>::encode(self.key(), buf)
            }
        }

        impl<'r> Decode<'r, Sqlite> for $ty {
            fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
                let key = <&str as Decode<'r, Sqlite>>::decode(value)?;
                key.parse::<$ty>().map_err(Into::into)
            }
        }
    )+};
}

text_key!(
    TaskStatus,
    RoundKind,
    RoundOutcome,
    AnswerVia,
    EscalationCause,
    DeclineReason,
    WorkArea,
    Level,
    ChangeSource
);

/// Stores a row id as INTEGER.
macro_rules! integer_id {
    ($($ty:ident),+ $(,)?) => {$(
        impl Type<Sqlite> for $ty {
            fn type_info() -> SqliteTypeInfo {
                <i64 as Type<Sqlite>>::type_info()
            }

            fn compatible(ty: &SqliteTypeInfo) -> bool {
                <i64 as Type<Sqlite>>::compatible(ty)
            }
        }

        impl<'q> Encode<'q, Sqlite> for $ty {
            fn encode_by_ref(
                &self,
                buf: &mut Vec<SqliteArgumentValue<'q>>,
            ) -> Result<IsNull, BoxDynError> {
                <i64 as Encode<'q, Sqlite>>::encode(self.0, buf)
            }
        }

        impl<'r> Decode<'r, Sqlite> for $ty {
            fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
                Ok($ty(<i64 as Decode<'r, Sqlite>>::decode(value)?))
            }
        }
    )+};
}

integer_id!(
    TaskId,
    RoundId,
    ClientId,
    AssignmentId,
    HandOverId,
    OfferId,
    PendingEditId
);

impl Type<Sqlite> for DiscordId {
    fn type_info() -> SqliteTypeInfo {
        <i64 as Type<Sqlite>>::type_info()
    }

    fn compatible(ty: &SqliteTypeInfo) -> bool {
        <i64 as Type<Sqlite>>::compatible(ty)
    }
}

impl<'q> Encode<'q, Sqlite> for DiscordId {
    fn encode_by_ref(&self, buf: &mut Vec<SqliteArgumentValue<'q>>) -> Result<IsNull, BoxDynError> {
        <i64 as Encode<'q, Sqlite>>::encode(self.to_db(), buf)
    }
}

impl<'r> Decode<'r, Sqlite> for DiscordId {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(DiscordId::from_db(<i64 as Decode<'r, Sqlite>>::decode(
            value,
        )?))
    }
}

/// A SQL list of the keys of `values`, e.g. `'open', 'surveying'`, for `IN (…)` clauses that
/// must stay in step with a rule of the domain (such as [`TaskStatus::OPEN_DEMAND`]). Keys are
/// fixed identifiers of the code, never user input.
pub(crate) fn key_list<T: Copy>(values: &[T], key: impl Fn(T) -> &'static str) -> String {
    values
        .iter()
        .map(|v| format!("'{}'", key(*v)))
        .collect::<Vec<_>>()
        .join(", ")
}

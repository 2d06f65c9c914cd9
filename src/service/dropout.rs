//! When a VPA drops out (an absence or a deactivation): what it would hand on (the
//! confirmation lists it), handing it on in the same transaction as the profile change, the
//! waitlist of earlier accepters offered one after another, a new round when nobody is left,
//! covers going back to their holder, and telling everyone concerned.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sqlx::SqliteConnection;

use super::desk::{Act, Desk};
use super::error::Result;
use super::tasks::{direct, open_round, refresh_posts};
pub use crate::db::hand_overs::HandOverView;
use crate::db::hand_overs::{self, HandOverState, NewHandOver, Offer};
use crate::db::tasks::{self as task_rows, Why};
use crate::db::{outbox, surveys, vpas};
use crate::domain::dropout::{self, Affected, DropCause, Gap, HandOn};
use crate::domain::ids::{DiscordId, HandOverId, OfferId, TaskId};
use crate::domain::outbox::{DirectMessage, HandOnStep, HandedOnItem};
use crate::domain::ranking::{RankedVpa, rank};
use crate::domain::survey::{RoundKind, RoundOutcome};
use crate::domain::task::{StatusDetail, Task, TaskStatus};

/// One assignment a drop-out hands on, with its task (for the confirmation and the reply).
#[derive(Debug, Clone, PartialEq)]
pub struct AffectedTask {
    pub task: Task,
    pub hand_on: HandOn,
}

/// What saving `gap` for `vpa` would hand on; nothing is written.
pub async fn preview(desk: &Desk, vpa: DiscordId, gap: Option<Gap>) -> Result<Vec<AffectedTask>> {
    let Some(gap) = gap else {
        return Ok(Vec::new());
    };
    let held = desk.db.held_by(vpa).await?;
    let mut out = Vec::new();
    for Affected { held, hand_on } in dropout::affected(&held, &gap) {
        if let Some(task) = desk.db.get_task(&desk.config.catalog, held.task_id).await? {
            out.push(AffectedTask { task, hand_on });
        }
    }
    Ok(out)
}

/// What was done for one handed-on task.
#[derive(Debug, Clone, PartialEq)]
pub struct HandedOn {
    pub task: Task,
    pub hand_on: HandOn,
    pub step: HandOnStep,
}

/// Hands on everything `gap` affects, inside the profile change's transaction: the holder's
/// assignment ends (a recurring one in the week before the gap), each task goes to its
/// waitlist or a new round, and the coordinators and (when someone else acted) the VPA are
/// told by DM. A cover the VPA was holding for someone else goes on to the next.
pub(crate) async fn hand_on(
    tx: &mut SqliteConnection,
    desk: &Desk,
    vpa: DiscordId,
    gap: &Gap,
    by: DiscordId,
    now: DateTime<Utc>,
) -> Result<Vec<HandedOn>> {
    let today = desk.today();
    if gap.cause == DropCause::Deactivated {
        // Covers waiting for this holder's return never go back: what is covered is for good.
        for cover in hand_overs::covers_of(tx, vpa).await? {
            hand_overs::make_for_good(tx, cover.id, now).await?;
        }
    }
    // Offers made to this VPA are void: the next one on each waitlist is asked.
    for offer_id in hand_overs::open_offers_to(tx, vpa).await? {
        let Some(offer) = hand_overs::get_offer(tx, offer_id).await? else {
            continue;
        };
        if !hand_overs::close_offer(tx, offer_id, "void", now).await? {
            continue;
        }
        if let Some(task) = task_rows::get_task(tx, &desk.config.catalog, offer.task_id).await?
            && !task.status.is_final()
            && offer.state == HandOverState::Offering
        {
            advance(tx, desk, &task, offer.hand_over, offer.holder, now).await?;
        }
    }
    let held = hand_overs::held_by(tx, vpa).await?;
    let mut done = Vec::new();
    for Affected { held, hand_on } in dropout::affected(&held, gap) {
        let Some(task) = task_rows::get_task(tx, &desk.config.catalog, held.task_id).await? else {
            continue;
        };
        let (cover_from, cover_until) = match hand_on {
            HandOn::ForGood => {
                hand_overs::end_held(tx, held.assignment, Some(today), None, gap.cause).await?;
                (None, None)
            }
            HandOn::Cover { from, until } => {
                let last_own_day = from - Duration::days(1);
                if last_own_day < today {
                    hand_overs::end_held(tx, held.assignment, Some(last_own_day), None, gap.cause)
                        .await?;
                } else {
                    // Still the holder's until the week before the absence.
                    hand_overs::end_held(tx, held.assignment, None, Some(last_own_day), gap.cause)
                        .await?;
                }
                (Some(from), until)
            }
        };
        let hand_over = hand_overs::insert(
            tx,
            &NewHandOver {
                task_id: task.id,
                assignment: held.assignment,
                vpa,
                cause: gap.cause,
                cover_from,
                cover_until,
                created_by: Some(by),
            },
            HandOverState::Offering,
            now,
        )
        .await?;
        let detail = StatusDetail::HandedOn {
            vpa,
            cause: gap.cause,
            cover_from,
            cover_until,
        };
        if task.status == TaskStatus::Assigned
            && task_rows::open_assignment_count(tx, task.id).await? == 0
        {
            task_rows::set_status(
                tx,
                task.id,
                TaskStatus::Surveying,
                &Why::detail(detail),
                Some(by),
                now,
            )
            .await?;
        } else {
            task_rows::record_detail(tx, task.id, task.status, detail, Some(by), now).await?;
        }
        let waitlist = waitlist(tx, desk, &task, vpa).await?;
        hand_overs::insert_waitlist(tx, hand_over, &waitlist).await?;
        let step = advance(tx, desk, &task, hand_over, vpa, now).await?;
        refresh_posts(tx, task.id, now).await?;
        done.push(HandedOn {
            task,
            hand_on,
            step,
        });
    }
    // One DM per coordinator, listing their tasks.
    let mut by_coordinator: BTreeMap<DiscordId, Vec<HandedOnItem>> = BTreeMap::new();
    for h in &done {
        if let Some(coordinator) = h.task.created_by {
            by_coordinator.entry(coordinator).or_default().push(item(h));
        }
    }
    let mut items = Vec::new();
    for (coordinator, tasks) in by_coordinator {
        items.push(direct(
            coordinator,
            DirectMessage::HandedOnForCoordinator {
                vpa,
                cause: gap.cause,
                tasks,
            },
            now,
        ));
    }
    if by != vpa && !done.is_empty() {
        items.push(direct(
            vpa,
            DirectMessage::HandedOnForVpa {
                cause: gap.cause,
                tasks: done.iter().map(item).collect(),
            },
            now,
        ));
    }
    outbox::enqueue_many(tx, &items, now).await?;
    Ok(done)
}

fn item(h: &HandedOn) -> HandedOnItem {
    HandedOnItem {
        task_id: h.task.id,
        cover: match h.hand_on {
            HandOn::ForGood => None,
            HandOn::Cover { from, until } => Some((from, until)),
        },
        step: h.step.clone(),
    }
}

/// The VPAs who accepted the task in earlier rounds and still fit, best first; not the one
/// who dropped out nor anyone who holds it now.
async fn waitlist(
    tx: &mut SqliteConnection,
    desk: &Desk,
    task: &Task,
    dropped: DiscordId,
) -> Result<Vec<DiscordId>> {
    let holders = task_rows::open_holders(tx, task.id).await?;
    let accepters: Vec<DiscordId> = surveys::accepters_of_task(tx, task.id)
        .await?
        .into_iter()
        .filter(|v| *v != dropped && !holders.contains(v))
        .collect();
    if accepters.is_empty() {
        return Ok(Vec::new());
    }
    let people =
        vpas::load_selected(tx, &desk.config.catalog, &vpas::Selection::of(accepters)).await?;
    Ok(rank(&people, &task.offer(), desk.today())
        .fitting
        .iter()
        .map(|r| r.discord_id)
        .collect())
}

/// The next step of a hand-over: an offer to the next one on the waitlist, or — nobody left —
/// a new round for the fitting VPAs (which goes to the manager when nobody fits).
async fn advance(
    tx: &mut SqliteConnection,
    desk: &Desk,
    task: &Task,
    hand_over: HandOverId,
    dropped: DiscordId,
    now: DateTime<Utc>,
) -> Result<HandOnStep> {
    let minutes = desk.config.settings.change.offer_minutes;
    let closes_at = desk.config.after_active_minutes(now, minutes);
    if let Some((offer, to)) = hand_overs::offer_next(tx, hand_over, now, closes_at).await? {
        let cover = hand_overs::get_offer(tx, offer)
            .await?
            .and_then(|o| o.cover_from.map(|from| (from, o.cover_until)));
        outbox::enqueue(
            tx,
            direct(
                to,
                DirectMessage::HandOnOffer {
                    offer,
                    task_id: task.id,
                    closes_at,
                    cover,
                },
                now,
            ),
            now,
        )
        .await?;
        return Ok(HandOnStep::Offered { to });
    }
    hand_overs::set_state(tx, hand_over, HandOverState::Round, None, now).await?;
    let holders = task_rows::open_holders(tx, task.id).await?;
    let pool = vpas::load_selected(
        tx,
        &desk.config.catalog,
        &vpas::Selection::holders(task.competence),
    )
    .await?;
    let fitting: Vec<RankedVpa> = rank(&pool, &task.offer(), desk.today())
        .fitting
        .into_iter()
        .filter(|r| r.discord_id != dropped && !holders.contains(&r.discord_id))
        .collect();
    let invited = &fitting[..fitting.len().min(desk.config.settings.survey.max_mentions)];
    let task_now = task_rows::get_task(tx, &desk.config.catalog, task.id)
        .await?
        .unwrap_or_else(|| task.clone());
    let round = open_round(
        tx,
        desk,
        &task_now,
        RoundKind::First,
        task.competence,
        invited,
        None,
        now,
    )
    .await?;
    hand_overs::set_round(tx, round, hand_over).await?;
    Ok(if invited.is_empty() {
        HandOnStep::NobodyFits
    } else {
        HandOnStep::RoundOpened {
            surveyed: invited.len() as u32,
        }
    })
}

/// What a press on an offer did.
#[derive(Debug, Clone, PartialEq)]
pub enum OfferAnswered {
    /// The VPA holds the task now.
    Took { task_id: TaskId },
    /// Declined; the next one is asked.
    Declined { task_id: TaskId },
    /// Not this VPA's offer.
    NotYours,
    /// The offer is no longer open.
    Gone { task_id: TaskId, why: OfferGone },
}

/// Why an offer can no longer be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferGone {
    /// Answered already (a second press).
    Answered,
    /// Its time ran out; the next one was asked.
    Lapsed,
    /// Someone else took the task, or the holder took it back.
    Taken,
    /// The task is done, cancelled or given to an external provider.
    TaskClosed,
}

/// A VPA answers an offer: "Übernehmen" assigns the task at once (they accepted it before),
/// "Nein danke" asks the next one.
#[tracing::instrument(skip_all, fields(%offer_id, vpa = %vpa))]
pub async fn answer_offer(
    desk: &Desk,
    offer_id: OfferId,
    vpa: DiscordId,
    take: bool,
    act: &Act,
) -> Result<OfferAnswered> {
    let (now, today) = (desk.now(), desk.today());
    let mut tx = desk.db.begin_write().await?;
    desk.mark_handled(&mut tx, act).await?;
    let Some(offer) = hand_overs::get_offer(&mut tx, offer_id).await? else {
        return Ok(OfferAnswered::NotYours);
    };
    if offer.vpa != vpa {
        return Ok(OfferAnswered::NotYours);
    }
    let task_id = offer.task_id;
    let Some(task) = task_rows::get_task(&mut tx, &desk.config.catalog, task_id).await? else {
        return Ok(OfferAnswered::NotYours);
    };
    if let Some(why) = gone(&offer, &task, now) {
        if why == OfferGone::Lapsed && offer.outcome.is_none() {
            // The timer has not got to it yet: lapse it now, so the next one is asked.
            hand_overs::close_offer(&mut tx, offer.id, "lapsed", now).await?;
            advance(&mut tx, desk, &task, offer.hand_over, offer.holder, now).await?;
            tx.commit().await?;
            desk.ring_outbox();
        }
        return Ok(OfferAnswered::Gone { task_id, why });
    }
    if !take {
        hand_overs::close_offer(&mut tx, offer.id, "declined", now).await?;
        advance(&mut tx, desk, &task, offer.hand_over, offer.holder, now).await?;
        tx.commit().await?;
        desk.ring_outbox();
        return Ok(OfferAnswered::Declined { task_id });
    }
    hand_overs::close_offer(&mut tx, offer.id, "accepted", now).await?;
    take_over(&mut tx, &task, &offer, vpa, today, now).await?;
    tx.commit().await?;
    desk.ring_outbox();
    desk.pool_changed();
    Ok(OfferAnswered::Took { task_id })
}

fn gone(offer: &Offer, task: &Task, now: DateTime<Utc>) -> Option<OfferGone> {
    if task.status.is_final() {
        return Some(OfferGone::TaskClosed);
    }
    match offer.outcome.as_deref() {
        Some("lapsed") => return Some(OfferGone::Lapsed),
        Some("void") => return Some(OfferGone::Taken),
        Some(_) => return Some(OfferGone::Answered),
        None => {}
    }
    if offer.state != HandOverState::Offering {
        return Some(OfferGone::Taken);
    }
    if offer.closes_at.is_some_and(|at| at <= now) {
        return Some(OfferGone::Lapsed);
    }
    None
}

async fn take_over(
    tx: &mut SqliteConnection,
    task: &Task,
    offer: &Offer,
    vpa: DiscordId,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<()> {
    let from = offer.cover_from.map_or(today, |f| f.max(today));
    hand_overs::insert_take_over(
        tx,
        task,
        vpa,
        from,
        offer.cover_until,
        offer.hand_over,
        None,
        now,
    )
    .await?;
    hand_overs::set_state(tx, offer.hand_over, HandOverState::Taken, Some(vpa), now).await?;
    hand_overs::void_waitlist(tx, offer.hand_over, now).await?;
    let detail = StatusDetail::TakenOver { vpa };
    if task.status.can_become(TaskStatus::Assigned) {
        task_rows::set_status(
            tx,
            task.id,
            TaskStatus::Assigned,
            &Why::detail(detail),
            Some(vpa),
            now,
        )
        .await?;
    } else {
        task_rows::record_detail(tx, task.id, task.status, detail, Some(vpa), now).await?;
    }
    refresh_posts(tx, task.id, now).await?;
    let mut items = vec![direct(
        vpa,
        DirectMessage::Assigned { task_id: task.id },
        now,
    )];
    if let Some(coordinator) = task.created_by {
        items.push(direct(
            coordinator,
            DirectMessage::TakenOverForCoordinator {
                task_id: task.id,
                vpa,
                holder: offer.holder,
            },
            now,
        ));
    }
    outbox::enqueue_many(tx, &items, now).await?;
    Ok(())
}

/// Offers whose time ran out: the next one on the waitlist is asked (or a round opens).
pub async fn lapse_due_offers(desk: &Desk) -> Result<()> {
    let now = desk.now();
    for offer_id in desk.db.due_offers(now).await? {
        let mut tx = desk.db.begin_write().await?;
        let Some(offer) = hand_overs::get_offer(&mut tx, offer_id).await? else {
            continue;
        };
        if !hand_overs::close_offer(&mut tx, offer_id, "lapsed", now).await? {
            continue;
        }
        if let Some(task) =
            task_rows::get_task(&mut tx, &desk.config.catalog, offer.task_id).await?
            && !task.status.is_final()
            && offer.state == HandOverState::Offering
        {
            advance(&mut tx, desk, &task, offer.hand_over, offer.holder, now).await?;
        }
        tx.commit().await?;
        desk.ring_outbox();
    }
    Ok(())
}

/// Covers whose last week is over go back to their holder (a deactivated or again absent
/// holder does not take them back); planned ends that passed are recorded.
pub async fn return_covers(desk: &Desk) -> Result<()> {
    let (now, today) = (desk.now(), desk.today());
    let mut tx = desk.db.begin_write().await?;
    let mut items = Vec::new();
    for cover in hand_overs::covers_due(&mut tx, today).await? {
        let Some(back_on) = cover.cover_until.map(|u| u + Duration::days(1)) else {
            continue;
        };
        hand_overs::set_returned(&mut tx, cover.id, back_on, now).await?;
        hand_overs::void_waitlist(&mut tx, cover.id, now).await?;
        let Some(task) = task_rows::get_task(&mut tx, &desk.config.catalog, cover.task_id).await?
        else {
            continue;
        };
        if task.status.is_final() || cover.of_take_over {
            continue;
        }
        surveys::close_open_rounds_of_hand_over(&mut tx, cover.id, RoundOutcome::Settled, now)
            .await?;
        let holder = vpas::load_selected(
            &mut tx,
            &desk.config.catalog,
            &vpas::Selection::of([cover.vpa_id]),
        )
        .await?
        .pop();
        let back = holder.is_some_and(|h| h.active && !h.absent_on(back_on.max(today)));
        if !back || task_rows::has_open_assignment(&mut tx, task.id, cover.vpa_id).await? {
            continue;
        }
        hand_overs::end_take_overs(&mut tx, cover.id, back_on - Duration::days(1)).await?;
        task_rows::insert_assignment(&mut tx, &task, cover.vpa_id, task.hours, back_on, None, now)
            .await?;
        let detail = StatusDetail::CoverReturned { vpa: cover.vpa_id };
        if task.status.can_become(TaskStatus::Assigned) {
            task_rows::set_status(
                &mut tx,
                task.id,
                TaskStatus::Assigned,
                &Why::detail(detail),
                None,
                now,
            )
            .await?;
        } else {
            task_rows::record_detail(&mut tx, task.id, task.status, detail, None, now).await?;
        }
        refresh_posts(&mut tx, task.id, now).await?;
        items.push(direct(
            cover.vpa_id,
            DirectMessage::CoverBack { task_id: task.id },
            now,
        ));
    }
    hand_overs::settle_planned_ends(&mut tx, today).await?;
    outbox::enqueue_many(&mut tx, &items, now).await?;
    tx.commit().await?;
    if !items.is_empty() {
        desk.ring_outbox();
        desk.pool_changed();
    }
    Ok(())
}

/// The holder's absence changed (ended early, shortened, lengthened): their covers end with
/// the new last week — back from the next week when they are back now — and a cover that had
/// not begun is called off.
pub(crate) async fn absence_changed(
    tx: &mut SqliteConnection,
    desk: &Desk,
    vpa: DiscordId,
    gap: Option<&Gap>,
    now: DateTime<Utc>,
) -> Result<()> {
    let today = desk.today();
    for cover in hand_overs::covers_of(tx, vpa).await? {
        let until = match gap {
            None => Some(dropout::sunday_of(today)),
            Some(gap) => gap.until.map(dropout::sunday_of),
        };
        if until == cover.cover_until {
            continue;
        }
        match until {
            Some(until) if until < cover.cover_from => {
                // Back before the cover began: the holder keeps the task.
                hand_overs::call_off(tx, cover.id, today, now).await?;
                refresh_posts(tx, cover.task_id, now).await?;
            }
            _ => hand_overs::set_cover_until(tx, cover.id, until, now).await?,
        }
    }
    Ok(())
}

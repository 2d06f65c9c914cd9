//! `/profile …`: VPA self-service; coordinators and the manager can act for a VPA (`vpa:`), and
//! the manager can deactivate a VPA who left.

use poise::serenity_prelude as serenity;

use super::{in_time, lang, reply_private, roles};
use crate::bot::roles::profile_actor;
use crate::bot::{Context, Error, reply};
use crate::domain::competence::Level;
use crate::domain::dropout::Gap;
use crate::domain::ids::DiscordId;
use crate::domain::vpa::ChangeSource;
use crate::present;
use crate::present::catalog::t;
use crate::present::custom_id::DropOutConfirm;
use crate::service::dropout;
use crate::service::profiles::{self, Actor, ProfileChange};
use crate::service::{Refusal, refuse};

/// Add or remove.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum CompetenceAction {
    #[name = "add"]
    Add,
    #[name = "remove"]
    Remove,
}

/// A competence level.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum LevelChoice {
    #[name = "basic"]
    Basic,
    #[name = "good"]
    Good,
    #[name = "expert"]
    Expert,
}

impl From<LevelChoice> for Level {
    fn from(choice: LevelChoice) -> Level {
        match choice {
            LevelChoice::Basic => Level::Basic,
            LevelChoice::Good => Level::Good,
            LevelChoice::Expert => Level::Expert,
        }
    }
}

/// Look at and keep your VPA profile
#[poise::command(
    slash_command,
    guild_only,
    subcommands(
        "show",
        "competence",
        "pick",
        "schedule",
        "vt_stop",
        "absent",
        "deactivate",
        "forget"
    )
)]
pub async fn profile(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Whose profile a command acts on, and as whom: oneself needs the VPA role; someone else
/// needs a coordinator or the manager.
fn target(
    ctx: Context<'_>,
    vpa: Option<&serenity::User>,
) -> Result<(DiscordId, String, Actor), Error> {
    let me = ctx.author();
    let user = vpa.unwrap_or(me);
    let id = DiscordId(user.id.get());
    let actor = profile_actor(DiscordId(me.id.get()), id, Some(roles(ctx)))?;
    Ok((id, display_name(user), actor))
}

fn display_name(user: &serenity::User) -> String {
    user.global_name
        .clone()
        .unwrap_or_else(|| user.name.clone())
}

/// Shows the profile after a change (`changed` says what the lead line says), or as it is.
async fn show_saved(
    ctx: Context<'_>,
    saved: &profiles::ProfileSaved,
    lead: bool,
) -> Result<(), Error> {
    let lang = lang(ctx);
    let lead = lead.then(|| {
        if saved.changed {
            t!(lang, "profile-saved")
        } else {
            t!(lang, "profile-unchanged")
        }
    });
    let text = present::profiles::profile(lang, &ctx.data().config, saved, lead);
    reply_private(ctx, text).await
}

/// Show a profile (VPAs only their own)
#[poise::command(slash_command, guild_only)]
pub async fn show(ctx: Context<'_>, vpa: Option<serenity::User>) -> Result<(), Error> {
    let (id, name, actor) = target(ctx, vpa.as_ref())?;
    let own = actor.id == id;
    match profiles::profile(ctx.data(), id, &name, own).await? {
        Some(saved) => show_saved(ctx, &saved, false).await,
        None => reply_private(ctx, t!(lang(ctx), "no-profile", vpa = id)).await,
    }
}

/// Add or remove a competence
#[poise::command(slash_command, guild_only, rename = "competence")]
pub async fn competence(
    ctx: Context<'_>,
    action: CompetenceAction,
    #[autocomplete = "super::task::autocomplete_competence"]
    #[max_length = 100]
    competence: String,
    level: Option<LevelChoice>,
    vpa: Option<serenity::User>,
) -> Result<(), Error> {
    let (id, name, actor) = target(ctx, vpa.as_ref())?;
    let desk = ctx.data();
    let found = desk
        .config
        .catalog
        .resolve(&competence)
        .map_err(Refusal::UnknownCompetence)?
        .id;
    let change = match (action, level) {
        (CompetenceAction::Add, Some(level)) => ProfileChange::SetCompetence {
            competence: found,
            level: level.into(),
        },
        (CompetenceAction::Add, None) => return refuse(Refusal::LevelMissing),
        (CompetenceAction::Remove, _) => ProfileChange::RemoveCompetence { competence: found },
    };
    let saved = in_time(ctx, profiles::change(desk, id, &name, change, actor)).await?;
    show_saved(ctx, &saved, true).await
}

/// Complete competences with a guided picker (a menu per area)
#[poise::command(slash_command, guild_only)]
pub async fn pick(ctx: Context<'_>, vpa: Option<serenity::User>) -> Result<(), Error> {
    let (id, name, actor) = target(ctx, vpa.as_ref())?;
    let desk = ctx.data();
    let view = in_time(
        ctx,
        crate::service::newbies::open(desk, id, &name, None, actor),
    )
    .await?;
    reply::private(
        ctx,
        present::picker::page(lang(ctx), &desk.config, &view, None),
    )
    .await
}

/// Schedule: weekly hours, tasks, new clients
#[poise::command(slash_command, guild_only)]
pub async fn schedule(
    ctx: Context<'_>,
    weekly_hours: f64,
    wants_tasks: bool,
    wants_new_clients: bool,
    vpa: Option<serenity::User>,
) -> Result<(), Error> {
    let (id, name, actor) = target(ctx, vpa.as_ref())?;
    let weekly_hours = profiles::parse_weekly_hours(weekly_hours)?;
    let change = ProfileChange::Schedule {
        weekly_hours,
        wants_tasks,
        wants_new_clients,
    };
    let saved = in_time(ctx, profiles::change(ctx.data(), id, &name, change, actor)).await?;
    show_saved(ctx, &saved, true).await
}

/// Set a VT-Stop (a date) or end it ("off")
#[poise::command(slash_command, guild_only, rename = "vt-stop")]
pub async fn vt_stop(
    ctx: Context<'_>,
    #[max_length = 30] until: String,
    vpa: Option<serenity::User>,
) -> Result<(), Error> {
    let (id, name, actor) = target(ctx, vpa.as_ref())?;
    let until = profiles::parse_vt_stop(&until, ctx.data().today())?;
    let saved = in_time(
        ctx,
        profiles::change(
            ctx.data(),
            id,
            &name,
            ProfileChange::VtStop { until },
            actor,
        ),
    )
    .await?;
    show_saved(ctx, &saved, true).await
}

/// Report an absence (no reason asked) or end it
#[poise::command(slash_command, guild_only)]
pub async fn absent(
    ctx: Context<'_>,
    #[max_length = 30] from: String,
    #[max_length = 30] until: Option<String>,
    vpa: Option<serenity::User>,
) -> Result<(), Error> {
    let (id, name, actor) = target(ctx, vpa.as_ref())?;
    let desk = ctx.data();
    let today = desk.today();
    let (from, until) = profiles::parse_absence(&from, until.as_deref(), today)?;
    let gap = Gap::absence(from, until, today);
    // An absence that hands on assignments is saved only after a confirmation.
    if let (Some(gap), Some(start)) = (gap, from) {
        let confirm = DropOutConfirm::Absence {
            vpa: id,
            from: start,
            until,
        };
        if asked_first(ctx, id, gap, confirm).await? {
            return Ok(());
        }
    }
    let saved = in_time(
        ctx,
        profiles::change(
            desk,
            id,
            &name,
            ProfileChange::Absence { from, until },
            actor,
        ),
    )
    .await?;
    show_saved(ctx, &saved, true).await
}

/// Asks for a confirmation first when the gap hands on assignments (true: asked, nothing saved
/// yet; the confirmation's button saves it).
async fn asked_first(
    ctx: Context<'_>,
    vpa: DiscordId,
    gap: Gap,
    confirm: DropOutConfirm,
) -> Result<bool, Error> {
    let desk = ctx.data();
    let affected = in_time(ctx, dropout::preview(desk, vpa, Some(gap))).await?;
    if affected.is_empty() {
        return Ok(false);
    }
    let question =
        present::dropout::confirmation(lang(ctx), &desk.config, vpa, &gap, &affected, confirm);
    reply::private(ctx, question).await?;
    Ok(true)
}

/// Deactivate a VPA who left the agency (VPA manager only)
#[poise::command(slash_command, guild_only)]
pub async fn deactivate(ctx: Context<'_>, vpa: serenity::User) -> Result<(), Error> {
    if !roles(ctx).manager {
        return refuse(Refusal::OnlyManager);
    }
    let desk = ctx.data();
    let id = DiscordId(vpa.id.get());
    if profiles::profile(desk, id, &display_name(&vpa), false)
        .await?
        .is_none()
    {
        return refuse(Refusal::NoProfile(id));
    }
    let gap = Gap::deactivation(desk.today());
    if asked_first(ctx, id, gap, DropOutConfirm::Deactivation { vpa: id }).await? {
        return Ok(());
    }
    let actor = Actor {
        id: DiscordId(ctx.author().id.get()),
        source: ChangeSource::Manager,
    };
    in_time(
        ctx,
        profiles::change(
            desk,
            id,
            &display_name(&vpa),
            ProfileChange::Deactivate,
            actor,
        ),
    )
    .await?;
    reply_private(ctx, t!(lang(ctx), "profile-deactivated", vpa = id)).await
}

/// Erase a VPA's personal data for good (VPA manager only, asks first)
#[poise::command(slash_command, guild_only)]
pub async fn forget(ctx: Context<'_>, vpa: serenity::User) -> Result<(), Error> {
    if !roles(ctx).manager {
        return refuse(Refusal::OnlyManager);
    }
    let desk = ctx.data();
    let preview = profiles::forget_preview(desk, DiscordId(vpa.id.get())).await?;
    reply::private(
        ctx,
        present::profiles::forget_confirmation(lang(ctx), &preview),
    )
    .await
}

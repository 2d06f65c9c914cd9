//! `/profile …`: VPA self-service; coordinators and the manager can act for a VPA (`vpa:`), and
//! the manager can deactivate a VPA who left.

use poise::serenity_prelude as serenity;

use super::{reply_private, roles};
use crate::bot::errors::refuse;
use crate::bot::{Context, Error};
use crate::db::vpas::ChangeSource;
use crate::domain::competence::Level;
use crate::domain::ids::DiscordId;
use crate::messages;
use crate::service::profiles::{self, Actor, ProfileChange};

/// Add or remove.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum CompetenceAction {
    #[name = "add"]
    #[name_localized("de", "hinzufügen")]
    Add,
    #[name = "remove"]
    #[name_localized("de", "entfernen")]
    Remove,
}

/// A competence level.
#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum LevelChoice {
    #[name = "basic"]
    #[name_localized("de", "Grundkenntnisse")]
    Basic,
    #[name = "good"]
    #[name_localized("de", "gut")]
    Good,
    #[name = "expert"]
    #[name_localized("de", "Experte")]
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

/// Eigenes VPA-Profil ansehen und pflegen
#[poise::command(
    slash_command,
    guild_only,
    subcommands("show", "competence", "schedule", "vt_stop", "absent", "deactivate"),
    name_localized("de", "profil"),
    description_localized("de", "Eigenes VPA-Profil ansehen und pflegen")
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
    let roles = roles(ctx);
    let actor_id = DiscordId(me.id.get());
    match vpa {
        Some(user) if user.id != me.id => {
            if !roles.can_coordinate() {
                return refuse(messages::ONLY_OWN_PROFILE);
            }
            let source = if roles.manager {
                ChangeSource::Manager
            } else {
                ChangeSource::Coordinator
            };
            Ok((
                DiscordId(user.id.get()),
                display_name(user),
                Actor {
                    id: actor_id,
                    source,
                },
            ))
        }
        _ => {
            if !roles.vpa && !roles.can_coordinate() {
                return refuse(messages::ONLY_VPAS_PROFILE);
            }
            Ok((
                actor_id,
                display_name(me),
                Actor {
                    id: actor_id,
                    source: ChangeSource::Profile,
                },
            ))
        }
    }
}

fn display_name(user: &serenity::User) -> String {
    user.global_name
        .clone()
        .unwrap_or_else(|| user.name.clone())
}

/// Shows the profile after a change, with a hint when it was just created.
async fn show_saved(
    ctx: Context<'_>,
    saved: &profiles::ProfileSaved,
    lead: &str,
) -> Result<(), Error> {
    let desk = ctx.data();
    let mut text = format!(
        "{lead}\n\n{}",
        messages::profile_lines(
            &saved.vpa,
            &desk.config.catalog,
            desk.today(),
            desk.config.settings.newbies.period_days
        )
    );
    if saved.created {
        text.push_str(&format!("\n\n{}", messages::PROFILE_CREATED));
    }
    reply_private(
        ctx,
        format!(
            "**Profil von <@{}>** ({})\n{text}",
            saved.vpa.discord_id, saved.vpa.name
        ),
    )
    .await
}

/// Profil anzeigen (VPAs nur das eigene)
#[poise::command(
    slash_command,
    guild_only,
    name_localized("de", "anzeigen"),
    description_localized("de", "Profil anzeigen (VPAs nur das eigene)")
)]
pub async fn show(
    ctx: Context<'_>,
    #[description = "Wessen Profil (nur Koordination und VPA Manager)"] vpa: Option<serenity::User>,
) -> Result<(), Error> {
    let (id, name, actor) = target(ctx, vpa.as_ref())?;
    let own = actor.id == id;
    match profiles::profile(ctx.data(), id, &name, own).await? {
        Some(saved) => show_saved(ctx, &saved, "").await,
        None => reply_private(ctx, messages::no_profile(id)).await,
    }
}

/// Kompetenz hinzufügen oder entfernen
#[poise::command(
    slash_command,
    guild_only,
    rename = "competence",
    name_localized("de", "kompetenz"),
    description_localized("de", "Kompetenz hinzufügen oder entfernen")
)]
pub async fn competence(
    ctx: Context<'_>,
    #[description = "Hinzufügen oder entfernen"]
    #[name_localized("de", "aktion")]
    action: CompetenceAction,
    #[description = "Kompetenz aus dem Katalog"]
    #[name_localized("de", "kompetenz")]
    #[autocomplete = "super::task::autocomplete_competence"]
    competence: String,
    #[description = "Stufe (beim Hinzufügen)"]
    #[name_localized("de", "stufe")]
    level: Option<LevelChoice>,
    #[description = "Für wen (nur Koordination und VPA Manager)"] vpa: Option<serenity::User>,
) -> Result<(), Error> {
    let (id, name, actor) = target(ctx, vpa.as_ref())?;
    let desk = ctx.data();
    let found = match desk.config.catalog.resolve(&competence) {
        Ok(c) => c.id,
        Err(unknown) => return refuse(messages::competence_unknown(&unknown)),
    };
    let change = match (action, level) {
        (CompetenceAction::Add, Some(level)) => ProfileChange::SetCompetence {
            competence: found,
            level: level.into(),
        },
        (CompetenceAction::Add, None) => return refuse(messages::LEVEL_MISSING),
        (CompetenceAction::Remove, _) => ProfileChange::RemoveCompetence { competence: found },
    };
    let saved = profiles::change(desk, id, &name, change, actor).await?;
    show_saved(ctx, &saved, messages::profile_saved(saved.changed)).await
}

/// Zeitplanung: Wochenstunden, Aufgaben, Neukunden
#[poise::command(
    slash_command,
    guild_only,
    name_localized("de", "zeitplanung"),
    description_localized("de", "Zeitplanung: Wochenstunden, Aufgaben, Neukunden")
)]
pub async fn schedule(
    ctx: Context<'_>,
    #[description = "Stunden pro Woche (0 bis 80)"]
    #[name_localized("de", "wochenstunden")]
    weekly_hours: f64,
    #[description = "Möchtest du Aufgaben?"]
    #[name_localized("de", "aufgaben")]
    wants_tasks: bool,
    #[description = "Möchtest du Neukunden?"]
    #[name_localized("de", "neukunden")]
    wants_new_clients: bool,
    #[description = "Für wen (nur Koordination und VPA Manager)"] vpa: Option<serenity::User>,
) -> Result<(), Error> {
    let (id, name, actor) = target(ctx, vpa.as_ref())?;
    let weekly_hours = profiles::parse_weekly_hours(weekly_hours).or_else(refuse)?;
    let change = ProfileChange::Schedule {
        weekly_hours,
        wants_tasks,
        wants_new_clients,
    };
    let saved = profiles::change(ctx.data(), id, &name, change, actor).await?;
    show_saved(ctx, &saved, messages::profile_saved(saved.changed)).await
}

/// VT-Stop setzen (Datum) oder beenden („aus“)
#[poise::command(
    slash_command,
    guild_only,
    rename = "vt-stop",
    name_localized("de", "vt-stop"),
    description_localized("de", "VT-Stop setzen (Datum) oder beenden („aus“)")
)]
pub async fn vt_stop(
    ctx: Context<'_>,
    #[description = "Bis einschließlich (TT.MM.JJJJ) oder „aus“"]
    #[name_localized("de", "bis")]
    until: String,
    #[description = "Für wen (nur Koordination und VPA Manager)"] vpa: Option<serenity::User>,
) -> Result<(), Error> {
    let (id, name, actor) = target(ctx, vpa.as_ref())?;
    let until = profiles::parse_vt_stop(&until, ctx.data().today()).or_else(refuse)?;
    let saved = profiles::change(
        ctx.data(),
        id,
        &name,
        ProfileChange::VtStop { until },
        actor,
    )
    .await?;
    show_saved(ctx, &saved, messages::profile_saved(saved.changed)).await
}

/// Abwesenheit eintragen (ohne Grund) oder beenden
#[poise::command(
    slash_command,
    guild_only,
    name_localized("de", "abwesend"),
    description_localized("de", "Abwesenheit eintragen (ohne Grund) oder beenden")
)]
pub async fn absent(
    ctx: Context<'_>,
    #[description = "Von (TT.MM.JJJJ) oder „aus“ zum Beenden"]
    #[name_localized("de", "von")]
    from: String,
    #[description = "Bis einschließlich (TT.MM.JJJJ); leer = offen"]
    #[name_localized("de", "bis")]
    until: Option<String>,
    #[description = "Für wen (nur Koordination und VPA Manager)"] vpa: Option<serenity::User>,
) -> Result<(), Error> {
    let (id, name, actor) = target(ctx, vpa.as_ref())?;
    let (from, until) =
        profiles::parse_absence(&from, until.as_deref(), ctx.data().today()).or_else(refuse)?;
    let saved = profiles::change(
        ctx.data(),
        id,
        &name,
        ProfileChange::Absence { from, until },
        actor,
    )
    .await?;
    show_saved(ctx, &saved, messages::profile_saved(saved.changed)).await
}

/// VPA deaktivieren, die die Agentur verlassen hat (nur VPA Manager)
#[poise::command(
    slash_command,
    guild_only,
    name_localized("de", "deaktivieren"),
    description_localized(
        "de",
        "VPA deaktivieren, die die Agentur verlassen hat (nur VPA Manager)"
    )
)]
pub async fn deactivate(
    ctx: Context<'_>,
    #[description = "Welche VPA"] vpa: serenity::User,
) -> Result<(), Error> {
    if !roles(ctx).manager {
        return refuse(messages::ONLY_MANAGER);
    }
    let desk = ctx.data();
    let id = DiscordId(vpa.id.get());
    if profiles::profile(desk, id, &display_name(&vpa), false)
        .await?
        .is_none()
    {
        return refuse(messages::no_profile(id));
    }
    let actor = Actor {
        id: DiscordId(ctx.author().id.get()),
        source: ChangeSource::Manager,
    };
    profiles::change(
        desk,
        id,
        &display_name(&vpa),
        ProfileChange::Deactivate,
        actor,
    )
    .await?;
    reply_private(ctx, messages::deactivated(id)).await
}

//! Who may do what, from the role ids Discord sends with every interaction and reaction.
//!
//! Discord cannot hide a command per role for a bot, and poise checks cover commands only, so
//! every command and component calls these checks on our side.

use poise::serenity_prelude as serenity;

use crate::config::DiscordSettings;
use crate::domain::ids::DiscordId;
use crate::domain::vpa::ChangeSource;
use crate::service::Refusal;
use crate::service::profiles::Actor;

/// The roles that matter to the bot.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Roles {
    pub vpa: bool,
    pub coordinator: bool,
    pub manager: bool,
}

impl Roles {
    /// Reads the roles of a member.
    pub fn of(role_ids: &[serenity::RoleId], settings: &DiscordSettings) -> Roles {
        let has = |id: crate::domain::ids::DiscordId| role_ids.iter().any(|r| r.get() == id.0);
        Roles {
            vpa: has(settings.vpa_role_id),
            coordinator: has(settings.coordinator_role_id),
            manager: has(settings.manager_role_id),
        }
    }

    /// The manager may do everything a coordinator may.
    pub fn can_coordinate(self) -> bool {
        self.coordinator || self.manager
    }
}

/// Who changes `vpa`'s profile when `me` asks. Their own: with the VPA role or as a coordinator
/// (`roles` none in a DM, where the user id alone identifies the VPA). Somebody else's: only
/// coordinators and the manager.
pub fn profile_actor(
    me: DiscordId,
    vpa: DiscordId,
    roles: Option<Roles>,
) -> Result<Actor, Refusal> {
    if vpa == me {
        if roles.is_some_and(|r| !r.vpa && !r.can_coordinate()) {
            return Err(Refusal::OnlyVpasProfile);
        }
        return Ok(Actor {
            id: me,
            source: ChangeSource::Profile,
        });
    }
    let roles = roles.unwrap_or_default();
    if !roles.can_coordinate() {
        return Err(Refusal::OnlyOwnProfile);
    }
    let source = if roles.manager {
        ChangeSource::Manager
    } else {
        ChangeSource::Coordinator
    };
    Ok(Actor { id: me, source })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn manager_counts_as_coordinator() {
        let config = Config::embedded();
        let d = &config.settings.discord;
        let roles = Roles::of(&[serenity::RoleId::new(d.manager_role_id.0)], d);
        assert!(roles.can_coordinate() && roles.manager && !roles.vpa);
        let roles = Roles::of(
            &[
                serenity::RoleId::new(d.vpa_role_id.0),
                serenity::RoleId::new(42),
            ],
            d,
        );
        assert!(roles.vpa && !roles.can_coordinate());
        assert_eq!(Roles::of(&[], d), Roles::default());
    }
}

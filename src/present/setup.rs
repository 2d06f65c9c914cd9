//! The set-up check's report: what to fix and where, one line per problem, or that all is set
//! up.

use super::catalog::{Lang, t};
use super::discord::Message;
use crate::domain::setup::{Permission, SetupProblem};

fn permission(lang: Lang, p: Permission) -> String {
    match p {
        Permission::ViewChannel => t!(lang, "permission-view-channel"),
        Permission::SendMessages => t!(lang, "permission-send-messages"),
        Permission::EmbedLinks => t!(lang, "permission-embed-links"),
        Permission::AttachFiles => t!(lang, "permission-attach-files"),
        Permission::AddReactions => t!(lang, "permission-add-reactions"),
        Permission::ReadMessageHistory => t!(lang, "permission-read-message-history"),
    }
}

/// One problem with its fix.
pub fn problem(lang: Lang, p: &SetupProblem) -> String {
    match p {
        SetupProblem::GuildUnreachable { guild, error } => t!(
            lang,
            "setup-guild-unreachable",
            guild = *guild,
            error = super::discord::cut(error, 200)
        ),
        SetupProblem::ChannelMissing { channel, id } => {
            t!(lang, "setup-channel-missing", key = channel.key(), id = *id)
        }
        SetupProblem::ChannelNotText {
            channel,
            name,
            kind,
            ..
        } => t!(
            lang,
            "setup-channel-not-text",
            key = channel.key(),
            name = super::discord::cut(name, 100),
            kind = *kind
        ),
        SetupProblem::RoleMissing { role, id } => {
            t!(lang, "setup-role-missing", key = role.key(), id = *id)
        }
        SetupProblem::PermissionsMissing {
            channel,
            name,
            missing,
            ..
        } => {
            let names: Vec<String> = missing.iter().map(|p| permission(lang, *p)).collect();
            t!(
                lang,
                "setup-permissions-missing",
                key = channel.key(),
                name = super::discord::cut(name, 100),
                missing = super::format::list(lang, &names)
            )
        }
        SetupProblem::ManagerRoleNotMentionable { name, .. } => t!(
            lang,
            "setup-manager-not-mentionable",
            name = super::discord::cut(name, 100)
        ),
    }
}

/// The whole report: the problems with their fixes, or that all is set up (`guild`: its name).
pub fn report(lang: Lang, guild: &str, problems: &[SetupProblem]) -> String {
    if problems.is_empty() {
        return t!(lang, "setup-clean", guild = super::discord::cut(guild, 100));
    }
    let mut out = t!(lang, "setup-head", count = problems.len());
    for p in problems {
        out.push('\n');
        out.push_str(&problem(lang, p));
    }
    out
}

/// The notice in the manager channel when `serve` starts with problems.
pub fn serve_notice(lang: Lang, problems: &[SetupProblem]) -> Message {
    let mut out = report(lang, "", problems);
    out.push('\n');
    out.push_str(&t!(lang, "setup-serve-notice"));
    Message {
        content: super::discord::cut(&out, super::discord::limits::CONTENT),
        ..Message::default()
    }
}

/// `/pool`'s line while a problem stands.
pub fn pool_warning(lang: Lang, problems: usize) -> String {
    t!(lang, "setup-pool-warning", count = problems)
}

//! Rendering views into Discord messages. Every message the bot sends takes its allowed mentions
//! from [`mentions_only`], so text users typed can never ping @everyone or a role.

use poise::serenity_prelude as serenity;

use crate::domain::dates::german;
use crate::domain::ids::DiscordId;
use crate::domain::survey::DeclineReason;
use crate::messages;
use crate::service::survey::SurveyPostView;

/// Allowed mentions: exactly these users and roles, never @everyone/@here, nothing parsed from text.
pub fn mentions_only(users: &[DiscordId], roles: &[u64]) -> serenity::CreateAllowedMentions {
    serenity::CreateAllowedMentions::new()
        .everyone(false)
        .all_users(false)
        .all_roles(false)
        .users(users.iter().map(|u| serenity::UserId::new(u.0)))
        .roles(roles.iter().map(|r| serenity::RoleId::new(*r)))
}

/// Custom ids of survey components: `sv:<action>:<round id>`. Carrying the round id (instead of
/// poise's in-memory collectors) keeps buttons working across restarts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveyAction {
    Accept,
    Decline,
    Later,
    Reason,
    AddNote,
    NoteModal,
    LaterModal,
}

impl SurveyAction {
    fn code(self) -> &'static str {
        match self {
            SurveyAction::Accept => "a",
            SurveyAction::Decline => "d",
            SurveyAction::Later => "l",
            SurveyAction::Reason => "r",
            SurveyAction::AddNote => "n",
            SurveyAction::NoteModal => "nm",
            SurveyAction::LaterModal => "lm",
        }
    }

    /// The custom id for this action in a round.
    pub fn custom_id(self, round_id: i64) -> String {
        format!("sv:{}:{round_id}", self.code())
    }

    /// Parses a custom id made by [`SurveyAction::custom_id`].
    pub fn parse(custom_id: &str) -> Option<(SurveyAction, i64)> {
        let mut parts = custom_id.split(':');
        if parts.next()? != "sv" {
            return None;
        }
        let code = parts.next()?;
        let round_id = parts.next()?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        let action = [
            SurveyAction::Accept,
            SurveyAction::Decline,
            SurveyAction::Later,
            SurveyAction::Reason,
            SurveyAction::AddNote,
            SurveyAction::NoteModal,
            SurveyAction::LaterModal,
        ]
        .into_iter()
        .find(|a| a.code() == code)?;
        Some((action, round_id))
    }
}

/// The parts of a survey post: content (headline and mentions), embed, buttons.
pub struct SurveyPost {
    pub content: String,
    pub embed: serenity::CreateEmbed,
    pub components: Vec<serenity::CreateActionRow>,
    pub mentions: Vec<DiscordId>,
}

/// Renders a survey post. Open rounds mention their VPAs and carry the three buttons.
pub fn survey_post(view: &SurveyPostView) -> SurveyPost {
    // Answers stay welcome after the window closed (they update the manager's notice).
    let open = view.status.is_open_demand();
    let mut content = messages::survey_headline(
        view.task_id,
        view.area.german(),
        &view.competence,
        view.status,
        view.closed,
    );
    if !view.mentions.is_empty() {
        let mentions: Vec<String> = view.mentions.iter().map(|m| format!("<@{m}>")).collect();
        content.push('\n');
        content.push_str(&mentions.join(" "));
    }
    let deadline_label = if view.recurring {
        "Start spätestens"
    } else {
        "Deadline"
    };
    let mut embed = serenity::CreateEmbed::new()
        .title(format!("Aufgabe #{}", view.task_id))
        .field("Bereich", view.area.german(), true)
        .field("Kompetenz", &view.competence, true)
        .field(
            "Stunden",
            messages::task_hours(view.hours, view.recurring),
            true,
        )
        .field(deadline_label, german(view.deadline), true)
        .field("Neukunde", messages::yes_no(view.new_client), true)
        .footer(serenity::CreateEmbedFooter::new(messages::survey_counts(
            &view.counts,
        )));
    if let Some(description) = &view.description {
        embed = embed.field("Beschreibung", description, false);
    }
    let components = if open {
        vec![serenity::CreateActionRow::Buttons(vec![
            serenity::CreateButton::new(SurveyAction::Accept.custom_id(view.round_id))
                .label(messages::BUTTON_ACCEPT)
                .style(serenity::ButtonStyle::Success),
            serenity::CreateButton::new(SurveyAction::Decline.custom_id(view.round_id))
                .label(messages::BUTTON_DECLINE)
                .style(serenity::ButtonStyle::Danger),
            serenity::CreateButton::new(SurveyAction::Later.custom_id(view.round_id))
                .label(messages::BUTTON_LATER)
                .style(serenity::ButtonStyle::Secondary),
        ])]
    } else {
        Vec::new()
    };
    SurveyPost {
        content,
        embed,
        components,
        mentions: if open {
            view.mentions.clone()
        } else {
            Vec::new()
        },
    }
}

/// The select of decline reasons.
pub fn reason_select(round_id: i64) -> serenity::CreateActionRow {
    let options = DeclineReason::CHOOSABLE
        .into_iter()
        .map(|r| serenity::CreateSelectMenuOption::new(r.german(), r.key()))
        .collect();
    serenity::CreateActionRow::SelectMenu(
        serenity::CreateSelectMenu::new(
            SurveyAction::Reason.custom_id(round_id),
            serenity::CreateSelectMenuKind::String { options },
        )
        .placeholder(messages::SELECT_REASON_PLACEHOLDER),
    )
}

/// The button that opens the note modal.
pub fn add_note_button(round_id: i64) -> serenity::CreateActionRow {
    serenity::CreateActionRow::Buttons(vec![
        serenity::CreateButton::new(SurveyAction::AddNote.custom_id(round_id))
            .label(messages::BUTTON_ADD_NOTE)
            .style(serenity::ButtonStyle::Secondary),
    ])
}

/// The modal for a decline note (optional text).
pub fn note_modal(round_id: i64) -> serenity::CreateModal {
    serenity::CreateModal::new(
        SurveyAction::NoteModal.custom_id(round_id),
        messages::MODAL_NOTE_TITLE,
    )
    .components(vec![serenity::CreateActionRow::InputText(
        serenity::CreateInputText::new(
            serenity::InputTextStyle::Paragraph,
            messages::MODAL_NOTE_LABEL,
            "note",
        )
        .required(false)
        .max_length(500),
    )])
}

/// The modal asking from which day a VPA could take the task.
pub fn later_modal(round_id: i64) -> serenity::CreateModal {
    serenity::CreateModal::new(
        SurveyAction::LaterModal.custom_id(round_id),
        messages::MODAL_LATER_TITLE,
    )
    .components(vec![serenity::CreateActionRow::InputText(
        serenity::CreateInputText::new(
            serenity::InputTextStyle::Short,
            messages::MODAL_LATER_LABEL,
            "from",
        )
        .placeholder("24.12.2026")
        .required(true)
        .max_length(10),
    )])
}

/// Custom id of the assignment select of a task: `as:<task id>`.
pub fn assign_custom_id(task_id: i64) -> String {
    format!("as:{task_id}")
}

/// Parses an assignment select's custom id.
pub fn parse_assign_custom_id(custom_id: &str) -> Option<i64> {
    custom_id.strip_prefix("as:")?.parse().ok()
}

/// The select to assign a task: who accepted first, then "later", then the rest (25 at most).
pub fn assign_select(
    status: &crate::service::survey::SurveyStatus,
) -> Option<serenity::CreateActionRow> {
    use crate::domain::utilization::format_utilization;
    let groups = [
        ("✅", &status.accepted),
        ("⏳", &status.later),
        ("…", &status.no_answer),
        ("❌", &status.declined),
    ];
    let options: Vec<serenity::CreateSelectMenuOption> = groups
        .iter()
        .flat_map(|(mark, lines)| lines.iter().map(move |l| (mark, l)))
        .take(25)
        .map(|(mark, l)| {
            let name = if l.name.is_empty() {
                l.vpa.to_string()
            } else {
                l.name.clone()
            };
            let label: String = format!(
                "{mark} {name} – Auslastung {}",
                format_utilization(l.utilization)
            )
            .chars()
            .take(100)
            .collect();
            serenity::CreateSelectMenuOption::new(label, l.vpa.to_string())
        })
        .collect();
    if options.is_empty() || !status.task.status.is_open_demand() {
        return None;
    }
    Some(serenity::CreateActionRow::SelectMenu(
        serenity::CreateSelectMenu::new(
            assign_custom_id(status.task.id),
            serenity::CreateSelectMenuKind::String { options },
        )
        .placeholder(messages::SELECT_ASSIGN_PLACEHOLDER),
    ))
}

/// Custom ids of the playbook buttons: `pb:<action>:<task id>[:<competence key>]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaybookAction {
    Extend,
    Reask,
    Related(String),
    Nudge,
    Split,
}

impl PlaybookAction {
    /// The custom id for this action on a task.
    pub fn custom_id(&self, task_id: i64) -> String {
        match self {
            PlaybookAction::Extend => format!("pb:ext:{task_id}"),
            PlaybookAction::Reask => format!("pb:ask:{task_id}"),
            PlaybookAction::Related(key) => format!("pb:rel:{task_id}:{key}"),
            PlaybookAction::Nudge => format!("pb:nudge:{task_id}"),
            PlaybookAction::Split => format!("pb:split:{task_id}"),
        }
    }

    /// Parses a playbook custom id.
    pub fn parse(custom_id: &str) -> Option<(PlaybookAction, i64)> {
        let mut parts = custom_id.split(':');
        if parts.next()? != "pb" {
            return None;
        }
        let action = parts.next()?;
        let task_id = parts.next()?.parse().ok()?;
        let extra = parts.next();
        let action = match (action, extra) {
            ("ext", None) => PlaybookAction::Extend,
            ("ask", None) => PlaybookAction::Reask,
            ("rel", Some(key)) => PlaybookAction::Related(key.to_string()),
            ("nudge", None) => PlaybookAction::Nudge,
            ("split", None) => PlaybookAction::Split,
            _ => return None,
        };
        Some((action, task_id))
    }
}

/// The playbook as an embed under the notice.
pub fn notice_embed(
    desk: &crate::service::Desk,
    view: &crate::service::escalation::NoticeView,
) -> serenity::CreateEmbed {
    let fields = messages::playbook_fields(
        &view.playbook,
        &view.task,
        &desk.config.catalog,
        desk.config.settings.tasks.large_hours,
    );
    let mut embed = serenity::CreateEmbed::new().title("Was tun? Optionen aus dem Leitfaden");
    for (title, text) in fields {
        embed = embed.field(title, text, false);
    }
    embed
}

/// The playbook's one-click actions (only those that have somebody to act on); at most 5 rows
/// of 5 buttons, as Discord allows.
pub fn playbook_buttons(
    desk: &crate::service::Desk,
    view: &crate::service::escalation::NoticeView,
) -> Vec<serenity::CreateActionRow> {
    if !view.task.status.is_open_demand() {
        return Vec::new();
    }
    let book = &view.playbook;
    let id = view.task.id;
    let mut buttons = Vec::new();
    let button = |action: PlaybookAction, label: String| {
        serenity::CreateButton::new(action.custom_id(id))
            .label(label)
            .style(serenity::ButtonStyle::Primary)
    };
    if !book.extend.is_empty() {
        buttons.push(button(
            PlaybookAction::Extend,
            messages::playbook_button_extend(book.extend.len()),
        ));
    }
    if !book.illogical_decliners.is_empty() {
        buttons.push(button(
            PlaybookAction::Reask,
            messages::playbook_button_reask(book.illogical_decliners.len()),
        ));
    }
    for (competence, n) in book.related.iter().filter(|(_, n)| *n > 0).take(3) {
        let c = desk.config.catalog.get(*competence);
        buttons.push(button(
            PlaybookAction::Related(c.key.clone()),
            messages::playbook_button_related(&c.name, *n),
        ));
    }
    if !book.newbies.is_empty() {
        buttons.push(button(
            PlaybookAction::Nudge,
            messages::playbook_button_nudge(book.newbies.len()),
        ));
    }
    if let Some(parts) = &book.split {
        buttons.push(button(
            PlaybookAction::Split,
            messages::playbook_button_split(parts.len()),
        ));
    }
    buttons
        .chunks(5)
        .take(5)
        .map(|row| serenity::CreateActionRow::Buttons(row.to_vec()))
        .collect()
}

/// The link to a message in a guild.
pub fn message_link(guild_id: u64, channel_id: i64, message_id: i64) -> String {
    format!("https://discord.com/channels/{guild_id}/{channel_id}/{message_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_ids_round_trip_and_reject_garbage() {
        for action in [
            SurveyAction::Accept,
            SurveyAction::LaterModal,
            SurveyAction::Reason,
        ] {
            assert_eq!(
                SurveyAction::parse(&action.custom_id(42)),
                Some((action, 42))
            );
        }
        assert_eq!(SurveyAction::parse("sv:x:1"), None);
        assert_eq!(SurveyAction::parse("sv:a:abc"), None);
        assert_eq!(SurveyAction::parse("sv:a:1:2"), None);
        assert_eq!(SurveyAction::parse("other"), None);
    }
}

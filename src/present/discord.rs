//! Messages as Discord takes them, bounded in one place: every message the bot sends is built
//! as a [`Message`] (or a [`Form`]) and cut to Discord's limits here, visibly ("…", "und N
//! weitere"), before it becomes a serenity builder — so Discord never refuses one for its size.
//! Allowed mentions are exactly the message's users and roles, so text users typed can never
//! ping @everyone or a role.

use poise::serenity_prelude as serenity;

use super::catalog::{Lang, t};
use crate::domain::ids::DiscordId;

/// Discord's limits on what one message may hold (docs: "Create Message", "Embed Limits",
/// "Message Components"; the OpenAPI description states the component ones).
pub mod limits {
    pub const CONTENT: usize = 2000;
    pub const EMBEDS: usize = 10;
    pub const EMBED_TITLE: usize = 256;
    pub const EMBED_DESCRIPTION: usize = 4096;
    pub const EMBED_FIELDS: usize = 25;
    pub const FIELD_NAME: usize = 256;
    pub const FIELD_VALUE: usize = 1024;
    pub const FOOTER: usize = 2048;
    /// All titles, descriptions, field names and values and footers of a message together.
    pub const EMBEDS_TOTAL: usize = 6000;
    pub const ROWS: usize = 5;
    pub const BUTTONS_PER_ROW: usize = 5;
    pub const BUTTON_LABEL: usize = 80;
    pub const CUSTOM_ID: usize = 100;
    pub const SELECT_OPTIONS: usize = 25;
    pub const OPTION_TEXT: usize = 100;
    pub const PLACEHOLDER: usize = 150;
    pub const MODAL_TITLE: usize = 45;
    pub const INPUT_LABEL: usize = 45;
    pub const MENTIONS: usize = 100;
}

/// How a button looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Primary,
    Secondary,
    Success,
    Danger,
}

/// A button.
#[derive(Debug, Clone, PartialEq)]
pub struct Button {
    pub custom_id: String,
    pub label: String,
    pub style: Style,
}

/// One choice of a select menu.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub label: String,
    pub value: String,
    /// Shown as chosen when the menu appears (what a profile holds already).
    pub default: bool,
}

/// A row of components.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Buttons(Vec<Button>),
    Select {
        custom_id: String,
        placeholder: String,
        choices: Vec<Choice>,
        /// Any number of choices, none included (else exactly one).
        multi: bool,
    },
}

/// An embed field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub value: String,
    pub inline: bool,
}

/// An embed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Embed {
    pub title: Option<String>,
    pub description: Option<String>,
    pub fields: Vec<Field>,
    pub footer: Option<String>,
}

impl Embed {
    pub fn titled(title: impl Into<String>) -> Embed {
        Embed {
            title: Some(title.into()),
            ..Embed::default()
        }
    }

    #[must_use]
    pub fn field(
        mut self,
        name: impl Into<String>,
        value: impl Into<String>,
        inline: bool,
    ) -> Embed {
        self.fields.push(Field {
            name: name.into(),
            value: value.into(),
            inline,
        });
        self
    }

    #[must_use]
    pub fn footer(mut self, text: impl Into<String>) -> Embed {
        self.footer = Some(text.into());
        self
    }

    fn size(&self) -> usize {
        let chars = |s: &Option<String>| s.as_deref().map_or(0, |s| s.chars().count());
        chars(&self.title)
            + chars(&self.description)
            + chars(&self.footer)
            + self
                .fields
                .iter()
                .map(|f| f.name.chars().count() + f.value.chars().count())
                .sum::<usize>()
    }
}

/// A message ready to post, edit or answer with.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Message {
    pub content: String,
    pub embeds: Vec<Embed>,
    pub components: Vec<Row>,
    /// The users this message may ping.
    pub users: Vec<DiscordId>,
    /// The roles this message may ping.
    pub roles: Vec<DiscordId>,
    /// Files attached (charts, CSV exports).
    pub files: Vec<File>,
}

/// A file attached to a message.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl File {
    fn attachment(&self) -> serenity::CreateAttachment {
        serenity::CreateAttachment::bytes(self.bytes.clone(), self.name.clone())
    }
}

/// A form (modal): Discord allows only text inputs in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub custom_id: String,
    pub title: String,
    pub inputs: Vec<Input>,
}

/// A text input of a form.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    pub custom_id: String,
    pub label: String,
    pub paragraph: bool,
    pub placeholder: Option<String>,
    pub required: bool,
    pub max_length: u16,
}

/// Cuts text to at most `max` characters, marking the cut with "…".
pub fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Allowed mentions: exactly these users and roles, never @everyone/@here, nothing parsed from text.
pub fn mentions_only(users: &[DiscordId], roles: &[DiscordId]) -> serenity::CreateAllowedMentions {
    serenity::CreateAllowedMentions::new()
        .everyone(false)
        .all_users(false)
        .all_roles(false)
        .users(
            users
                .iter()
                .take(limits::MENTIONS)
                .map(|u| serenity::UserId::new(u.0)),
        )
        .roles(
            roles
                .iter()
                .take(limits::MENTIONS)
                .map(|r| serenity::RoleId::new(r.0)),
        )
}

impl Message {
    /// Plain text that pings nobody.
    pub fn text(content: impl Into<String>) -> Message {
        Message {
            content: content.into(),
            ..Message::default()
        }
    }

    /// A plain, short stand-in, for when Discord refused the message itself (400): its text,
    /// shortened, without embeds and components.
    pub fn fallback(&self) -> Message {
        Message {
            content: cut(&self.content, 1500),
            embeds: Vec::new(),
            components: Vec::new(),
            users: self.users.clone(),
            roles: self.roles.clone(),
            // Files are kept: a refusal is about the text, and the shortened one still says
            // what the files are.
            files: self.files.clone(),
        }
    }

    /// The message cut to Discord's limits, saying so where something was left out.
    pub fn fit(mut self, lang: Lang) -> Message {
        self.content = cut(&self.content, limits::CONTENT);
        if self.embeds.len() > limits::EMBEDS {
            self.embeds.truncate(limits::EMBEDS);
        }
        for embed in &mut self.embeds {
            embed.title = embed.title.as_deref().map(|t| cut(t, limits::EMBED_TITLE));
            embed.description = embed
                .description
                .as_deref()
                .map(|d| cut(d, limits::EMBED_DESCRIPTION));
            embed.footer = embed.footer.as_deref().map(|f| cut(f, limits::FOOTER));
            for field in &mut embed.fields {
                field.name = cut(&field.name, limits::FIELD_NAME);
                field.value = cut(&field.value, limits::FIELD_VALUE);
            }
        }
        // The total: first shorten the longest field values (to no less than a line), then
        // leave out fields from the end, saying how many, then shorten the descriptions.
        let total = |embeds: &[Embed]| embeds.iter().map(Embed::size).sum::<usize>();
        while total(&self.embeds) > limits::EMBEDS_TOTAL {
            let over = total(&self.embeds) - limits::EMBEDS_TOTAL;
            let Some(longest) = self
                .embeds
                .iter_mut()
                .flat_map(|e| e.fields.iter_mut())
                .filter(|f| f.value.chars().count() > 80)
                .max_by_key(|f| f.value.chars().count())
            else {
                break;
            };
            let len = longest.value.chars().count();
            longest.value = cut(
                &longest.value,
                len.saturating_sub(over).max(len / 2).max(80),
            );
        }
        // Leave out fields from the end (at most 25, and within the total), saying how many.
        for i in 0..self.embeds.len() {
            let fields = std::mem::take(&mut self.embeds[i].fields);
            let original = fields.len();
            let with = |keep: usize| -> Vec<Field> {
                let mut shown: Vec<Field> = fields[..keep].to_vec();
                if keep < original {
                    shown.push(Field {
                        name: "…".into(),
                        value: t!(lang, "format-more", more = original - keep),
                        inline: false,
                    });
                }
                shown
            };
            let others: usize = self
                .embeds
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, e)| e.size())
                .sum();
            let mut keep = original.min(limits::EMBED_FIELDS);
            if keep < original {
                keep -= 1;
            }
            loop {
                let embed = Embed {
                    fields: with(keep),
                    ..self.embeds[i].clone()
                };
                if keep == 0 || others + embed.size() <= limits::EMBEDS_TOTAL {
                    self.embeds[i] = embed;
                    break;
                }
                keep -= 1;
            }
        }
        for embed in &mut self.embeds {
            let over = total(std::slice::from_ref(embed)).saturating_sub(limits::EMBEDS_TOTAL);
            if over > 0 {
                if let Some(d) = &embed.description {
                    let len = d.chars().count();
                    embed.description = Some(cut(d, len.saturating_sub(over).max(1)));
                }
            }
        }
        let mut rows = Vec::new();
        for row in self.components {
            match row {
                Row::Buttons(buttons) => {
                    for chunk in buttons.chunks(limits::BUTTONS_PER_ROW) {
                        rows.push(Row::Buttons(
                            chunk
                                .iter()
                                .map(|b| Button {
                                    custom_id: cut(&b.custom_id, limits::CUSTOM_ID),
                                    label: cut(&b.label, limits::BUTTON_LABEL),
                                    style: b.style,
                                })
                                .collect(),
                        ));
                    }
                }
                Row::Select {
                    custom_id,
                    placeholder,
                    mut choices,
                    multi,
                } => {
                    choices.truncate(limits::SELECT_OPTIONS);
                    for c in &mut choices {
                        c.label = cut(&c.label, limits::OPTION_TEXT);
                        c.value = cut(&c.value, limits::OPTION_TEXT);
                    }
                    if !multi {
                        // One choice: at most one can be shown as chosen.
                        let mut seen = false;
                        for c in choices.iter_mut().filter(|c| c.default) {
                            c.default = !seen;
                            seen = true;
                        }
                    }
                    rows.push(Row::Select {
                        custom_id: cut(&custom_id, limits::CUSTOM_ID),
                        placeholder: cut(&placeholder, limits::PLACEHOLDER),
                        choices,
                        multi,
                    });
                }
            }
        }
        rows.truncate(limits::ROWS);
        self.components = rows;
        self.users.truncate(limits::MENTIONS);
        self.roles.truncate(limits::MENTIONS);
        self
    }

    /// What goes out: the message within Discord's limits.
    fn sendable(&self, lang: Lang) -> Message {
        self.clone().fit(lang)
    }

    fn embeds(&self) -> Vec<serenity::CreateEmbed> {
        self.embeds
            .iter()
            .map(|e| {
                let mut embed = serenity::CreateEmbed::new();
                if let Some(title) = &e.title {
                    embed = embed.title(title);
                }
                if let Some(description) = &e.description {
                    embed = embed.description(description);
                }
                for f in &e.fields {
                    embed = embed.field(&f.name, &f.value, f.inline);
                }
                if let Some(footer) = &e.footer {
                    embed = embed.footer(serenity::CreateEmbedFooter::new(footer));
                }
                embed
            })
            .collect()
    }

    fn components(&self) -> Vec<serenity::CreateActionRow> {
        self.components
            .iter()
            .map(|row| match row {
                Row::Buttons(buttons) => serenity::CreateActionRow::Buttons(
                    buttons
                        .iter()
                        .map(|b| {
                            serenity::CreateButton::new(&b.custom_id)
                                .label(&b.label)
                                .style(match b.style {
                                    Style::Primary => serenity::ButtonStyle::Primary,
                                    Style::Secondary => serenity::ButtonStyle::Secondary,
                                    Style::Success => serenity::ButtonStyle::Success,
                                    Style::Danger => serenity::ButtonStyle::Danger,
                                })
                        })
                        .collect(),
                ),
                Row::Select {
                    custom_id,
                    placeholder,
                    choices,
                    multi,
                } => {
                    let menu = serenity::CreateSelectMenu::new(
                        custom_id,
                        serenity::CreateSelectMenuKind::String {
                            options: choices
                                .iter()
                                .map(|c| {
                                    serenity::CreateSelectMenuOption::new(&c.label, &c.value)
                                        .default_selection(c.default)
                                })
                                .collect(),
                        },
                    )
                    .placeholder(placeholder);
                    let count = u8::try_from(choices.len()).unwrap_or(u8::MAX).max(1);
                    serenity::CreateActionRow::SelectMenu(if *multi {
                        menu.min_values(0).max_values(count)
                    } else {
                        menu
                    })
                }
            })
            .collect()
    }

    fn allowed_mentions(&self) -> serenity::CreateAllowedMentions {
        mentions_only(&self.users, &self.roles)
    }

    /// A new channel message, sent with `nonce` so a retry returns the first post.
    pub fn create(&self, lang: Lang, nonce: &str) -> serenity::CreateMessage {
        let m = self.sendable(lang);
        serenity::CreateMessage::new()
            .content(&m.content)
            .embeds(m.embeds())
            .components(m.components())
            .allowed_mentions(m.allowed_mentions())
            .nonce(serenity::Nonce::String(nonce.to_string()))
            .enforce_nonce(true)
            .add_files(m.files.iter().map(File::attachment))
    }

    /// An edit of a posted message to this one.
    pub fn edit(&self, lang: Lang) -> serenity::EditMessage {
        let m = self.sendable(lang);
        serenity::EditMessage::new()
            .content(&m.content)
            .embeds(m.embeds())
            .components(m.components())
            .allowed_mentions(m.allowed_mentions())
    }

    /// A private answer to an interaction.
    pub fn private_reply(&self, lang: Lang) -> serenity::CreateInteractionResponseMessage {
        self.update(lang).ephemeral(true)
    }

    /// The same, replacing the message the component is on (a select that becomes its answer).
    pub fn update(&self, lang: Lang) -> serenity::CreateInteractionResponseMessage {
        let m = self.sendable(lang);
        serenity::CreateInteractionResponseMessage::new()
            .content(&m.content)
            .embeds(m.embeds())
            .components(m.components())
            .allowed_mentions(m.allowed_mentions())
    }

    /// The completion of a deferred private answer.
    pub fn edit_response(&self, lang: Lang) -> serenity::EditInteractionResponse {
        let m = self.sendable(lang);
        let mut edit = serenity::EditInteractionResponse::new()
            .content(&m.content)
            .embeds(m.embeds())
            .components(m.components())
            .allowed_mentions(m.allowed_mentions());
        for file in &m.files {
            edit = edit.new_attachment(file.attachment());
        }
        edit
    }

    /// A private follow-up, when the first answer is already given.
    pub fn followup(&self, lang: Lang) -> serenity::CreateInteractionResponseFollowup {
        let m = self.sendable(lang);
        serenity::CreateInteractionResponseFollowup::new()
            .content(&m.content)
            .embeds(m.embeds())
            .components(m.components())
            .ephemeral(true)
            .allowed_mentions(m.allowed_mentions())
            .add_files(m.files.iter().map(File::attachment))
    }

    /// A private reply to a command through poise.
    pub fn command_reply(&self, lang: Lang) -> poise::CreateReply {
        let m = self.sendable(lang);
        let mut reply = poise::CreateReply::default()
            .content(&m.content)
            .components(m.components())
            .ephemeral(true)
            .allowed_mentions(m.allowed_mentions());
        for embed in m.embeds() {
            reply = reply.embed(embed);
        }
        for file in &m.files {
            reply = reply.attachment(file.attachment());
        }
        reply
    }
}

impl Form {
    /// The form cut to Discord's limits.
    pub fn fit(mut self) -> Form {
        self.custom_id = cut(&self.custom_id, limits::CUSTOM_ID);
        self.title = cut(&self.title, limits::MODAL_TITLE);
        self.inputs.truncate(limits::ROWS);
        for input in &mut self.inputs {
            input.label = cut(&input.label, limits::INPUT_LABEL);
            input.placeholder = input
                .placeholder
                .as_deref()
                .map(|p| cut(p, limits::OPTION_TEXT));
        }
        self
    }

    /// The form as serenity sends it.
    pub fn modal(&self) -> serenity::CreateModal {
        let form = self.clone().fit();
        serenity::CreateModal::new(&form.custom_id, &form.title).components(
            form.inputs
                .iter()
                .map(|i| {
                    let style = if i.paragraph {
                        serenity::InputTextStyle::Paragraph
                    } else {
                        serenity::InputTextStyle::Short
                    };
                    let mut input = serenity::CreateInputText::new(style, &i.label, &i.custom_id)
                        .required(i.required)
                        .max_length(i.max_length);
                    if let Some(p) = &i.placeholder {
                        input = input.placeholder(p);
                    }
                    serenity::CreateActionRow::InputText(input)
                })
                .collect(),
        )
    }
}

/// The link to a message in a guild.
pub fn message_link(guild_id: u64, channel: DiscordId, message: DiscordId) -> String {
    format!("https://discord.com/channels/{guild_id}/{channel}/{message}")
}

/// A mention of a user, as Discord writes it.
pub fn user_mention(user: DiscordId) -> String {
    format!("<@{user}>")
}

/// A mention of a role, as Discord writes it.
pub fn role_mention(role: DiscordId) -> String {
    format!("<@&{role}>")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn de() -> Lang {
        Lang::from_tag("de").unwrap()
    }

    #[test]
    fn an_oversized_message_is_cut_to_every_limit_and_says_so() {
        let long = "x".repeat(5000);
        let mut embed = Embed::titled(long.clone());
        for i in 0..40 {
            embed = embed.field(format!("{i}{long}"), long.clone(), false);
        }
        let message = Message {
            content: long.clone(),
            embeds: vec![embed],
            components: vec![
                Row::Buttons(
                    (0..12)
                        .map(|i| Button {
                            custom_id: format!("{i}{long}"),
                            label: long.clone(),
                            style: Style::Primary,
                        })
                        .collect(),
                ),
                Row::Select {
                    custom_id: "s".into(),
                    placeholder: long.clone(),
                    choices: (0..40)
                        .map(|i| Choice {
                            label: format!("{i}{long}"),
                            value: i.to_string(),
                            default: i < 2,
                        })
                        .collect(),
                    multi: false,
                },
                Row::Buttons(vec![]),
                Row::Buttons(vec![]),
                Row::Buttons(vec![]),
            ],
            users: (1..200).map(DiscordId).collect(),
            roles: Vec::new(),
            files: Vec::new(),
        }
        .fit(de());
        assert_eq!(message.content.chars().count(), limits::CONTENT);
        assert!(message.content.ends_with('…'));
        let embed = &message.embeds[0];
        // 40 fields with long names: as many as fit in 6,000 characters, then how many more.
        assert!(embed.fields.len() < limits::EMBED_FIELDS);
        let more = 40 - (embed.fields.len() - 1);
        assert_eq!(
            embed.fields.last().unwrap().value,
            format!("und {more} weitere")
        );
        assert!(
            embed
                .fields
                .iter()
                .all(|f| f.value.chars().count() <= limits::FIELD_VALUE)
        );
        assert!(message.embeds.iter().map(Embed::size).sum::<usize>() <= limits::EMBEDS_TOTAL);
        // Twelve buttons make three rows of five at most, the select one; empty rows go.
        assert_eq!(message.components.len(), 4);
        match &message.components[0] {
            Row::Buttons(b) => {
                assert_eq!(b.len(), 5);
                assert!(
                    b.iter()
                        .all(|b| b.label.chars().count() <= limits::BUTTON_LABEL)
                );
                assert!(
                    b.iter()
                        .all(|b| b.custom_id.chars().count() <= limits::CUSTOM_ID)
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(message.components.iter().all(|r| {
            match r {
                Row::Select {
                    choices,
                    placeholder,
                    ..
                } => {
                    // One choice: only one of them can show as chosen.
                    choices.iter().filter(|c| c.default).count() == 1
                        && choices.len() <= 25
                        && placeholder.chars().count() <= limits::PLACEHOLDER
                        && choices
                            .iter()
                            .all(|c| c.label.chars().count() <= limits::OPTION_TEXT)
                }
                Row::Buttons(b) => b.len() <= 5,
            }
        }));
        assert_eq!(message.users.len(), limits::MENTIONS);
    }

    #[test]
    fn a_message_within_the_limits_stays_as_it_is() {
        let message = Message {
            content: "Hallo".into(),
            embeds: vec![Embed::titled("T").field("a", "b", true).footer("f")],
            ..Message::default()
        };
        assert_eq!(message.clone().fit(de()), message);
    }
}

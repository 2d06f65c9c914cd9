//! The sandbox's stage: the loopback Discord, the bot's desk on the sandbox's own clock, the
//! demo members, and the transcript. Every action goes through the real bot; what Discord
//! would show afterwards is printed where it appears: a channel, a private reply, a DM.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::show::{self, Names};
use crate::clock::ManualClock;
use crate::loopback::fixtures::{self, FakeUser};
use crate::loopback::{InteractionHandle, LoopbackDiscord};
use crate::present::catalog::t;
use crate::present::{Lang, format};
use crate::service::{Desk, DeskEvent, HandledEvent};

/// How long the sandbox waits for the bot at most (real time).
pub const WAIT: Duration = Duration::from_secs(15);

/// A member of the demo server.
#[derive(Debug, Clone)]
pub struct Member {
    /// How the newcomer names them: the first name in lower case ("anna").
    pub key: String,
    /// As Discord shows them.
    pub name: String,
    /// What they are on the server ("VPA", "Koordination", "VPA Manager").
    pub role: String,
    pub user: FakeUser,
}

/// A message printed that carries buttons or menus, so that they can be used later.
#[derive(Debug, Clone)]
pub struct Shown {
    pub message: Value,
    /// In a DM: its components are used outside the server.
    pub dm: bool,
    /// Who sees it: one member (a private reply, a DM) or everyone in the channel.
    pub visible_to: Option<u64>,
}

/// A form (modal) a member has open: its custom id and its inputs (custom id, label).
#[derive(Debug, Clone)]
pub struct OpenForm {
    pub custom_id: String,
    pub inputs: Vec<(String, String)>,
    pub member: u64,
    pub dm: bool,
}

pub struct Stage {
    pub discord: LoopbackDiscord,
    pub desk: Desk,
    pub clock: Arc<ManualClock>,
    pub lang: Lang,
    pub members: Vec<Member>,
    pub names: Names,
    /// Where files the bot sends (a report's chart) are saved.
    pub out: PathBuf,
    /// Every message printed, by id, as it was printed (an edit prints again).
    seen: HashMap<String, String>,
    /// Messages with components printed, oldest first (the newest with a label wins).
    pub shown: Vec<Shown>,
    /// The form opened last, until it is filled in.
    pub form: Option<OpenForm>,
}

impl Stage {
    pub fn new(
        discord: LoopbackDiscord,
        desk: Desk,
        clock: Arc<ManualClock>,
        lang: Lang,
        members: Vec<Member>,
        out: PathBuf,
    ) -> Stage {
        let mut names = Names::default();
        for m in &members {
            names.users.insert(m.user.id, m.name.clone());
        }
        for role in discord.guild().roles {
            names.roles.insert(role.id, role.name.clone());
        }
        for channel in discord.guild().channels {
            names.channels.insert(channel.id, channel.name.clone());
        }
        names
            .users
            .insert(discord.config().bot_user_id, "vpa-desk".to_string());
        Stage {
            discord,
            desk,
            clock,
            lang,
            members,
            names,
            out,
            seen: HashMap::new(),
            shown: Vec::new(),
            form: None,
        }
    }

    /// The member a newcomer means by `name`: the key ("anna"), the first name or the whole
    /// name, in any case, with or without "@".
    pub fn member(&self, name: &str) -> Option<&Member> {
        let wanted = name.trim().trim_start_matches('@').to_lowercase();
        self.members.iter().find(|m| {
            let full = m.name.to_lowercase();
            m.key == wanted || full == wanted || full.split(' ').next() == Some(wanted.as_str())
        })
    }

    /// The members' keys, for messages that list who there is.
    pub fn member_keys(&self) -> String {
        self.members
            .iter()
            .map(|m| m.key.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The sandbox's time as the agency reads it: "30.11. 09:00".
    pub fn time_label(&self) -> String {
        format::local_day_month_time(self.lang, self.desk.now(), self.desk.config.timezone)
    }

    /// Brings the bot to rest: the timers ran at the clock's time and the outbox sent what is
    /// due (what waits for a later time, e.g. the end of quiet hours, stays queued).
    pub async fn settle(&self) {
        if let Err(part) = self.desk.settle(WAIT).await {
            tracing::warn!("the bot did not settle within {WAIT:?}: {part:?}");
        }
    }

    /// Sends an interaction as `who`; prints the private answer and what followed.
    pub async fn interact(&mut self, mut payload: Value, who: &Member) {
        let dm = payload["guild_id"].is_null();
        // The demo's members use Discord in the sandbox's language.
        payload["locale"] = Value::from(self.lang.tag());
        if !dm {
            payload["guild_locale"] = Value::from(self.lang.tag());
        }
        let handle = self.discord.interact(payload).await;
        let Some(first) = handle.response(WAIT).await else {
            println!("{}", t!(self.lang, "sandbox-no-answer"));
            return;
        };
        if first["type"] == 9 {
            self.open_form(&first["data"], who, dm);
            self.settle().await;
            self.flush();
            return;
        }
        // A deferred answer ("thinking…") is completed by an edit; wait for it, then for what
        // the action set going (posts, DMs), then show the answer as it stands.
        let _ = handle.wait_final(WAIT).await;
        self.settle().await;
        self.print_private(&handle, &first, who, dm);
        self.flush();
    }

    fn open_form(&mut self, data: &Value, who: &Member, dm: bool) {
        let inputs: Vec<(String, String)> = show::components(data)
            .filter(|c| c["type"] == 4)
            .filter_map(|c| {
                Some((
                    c["custom_id"].as_str()?.to_string(),
                    c["label"].as_str().unwrap_or_default().to_string(),
                ))
            })
            .collect();
        let labels: Vec<String> = inputs
            .iter()
            .map(|(_, l)| format::quoted(self.lang, l))
            .collect();
        println!(
            "{}",
            t!(
                self.lang,
                "sandbox-form-opened",
                who = who.name.clone(),
                title = data["title"].as_str().unwrap_or_default(),
                fields = labels.join(", ")
            )
        );
        self.form = Some(OpenForm {
            custom_id: data["custom_id"].as_str().unwrap_or_default().to_string(),
            inputs,
            member: who.user.id,
            dm,
        });
    }

    fn print_private(&mut self, handle: &InteractionHandle, first: &Value, who: &Member, dm: bool) {
        let mut answers = Vec::new();
        let files = handle.original_attachments();
        let updated = first["type"] == 7;
        if let Some(original) = handle.original() {
            // An updated channel message is no private answer: it shows as an edit there.
            let ephemeral = original["flags"].as_u64().unwrap_or(0) & 64 != 0;
            if !updated || ephemeral || dm {
                answers.push((original, files, updated));
            }
        }
        for (i, followup) in handle.followups().into_iter().enumerate() {
            let files = handle.followup_attachments(i);
            answers.push((followup, files, false));
        }
        for (answer, files, updated) in answers {
            // In a DM every answer stands in the DM, seen by that member only.
            let place = t!(self.lang, "sandbox-dm-place", who = who.name.clone());
            let head = match (dm, updated) {
                (true, true) => t!(self.lang, "sandbox-edited-in", place = place),
                (true, false) => t!(self.lang, "sandbox-dm-posted", place = place),
                (false, _) => t!(self.lang, "sandbox-private", who = who.name.clone()),
            };
            println!("{head}");
            println!("{}", show::message(&self.names, &answer));
            self.save(&files);
            if let Some(id) = answer["id"].as_str() {
                self.seen
                    .insert(id.to_string(), show::message(&self.names, &answer));
            }
            self.remember(Shown {
                message: answer,
                dm,
                visible_to: Some(who.user.id),
            });
        }
    }

    /// Saves the files of a message in the output folder and says where.
    fn save(&self, files: &[(String, Vec<u8>)]) {
        for (name, bytes) in files {
            // The name comes from the bot; only its last part is used as a file name.
            let file = std::path::Path::new(name)
                .file_name()
                .map(|f| self.out.join(f))
                .unwrap_or_else(|| self.out.join("attachment"));
            match std::fs::create_dir_all(&self.out).and_then(|()| std::fs::write(&file, bytes)) {
                Ok(()) => println!(
                    "{}",
                    t!(
                        self.lang,
                        "sandbox-file-saved",
                        file = name.as_str(),
                        path = file.display().to_string()
                    )
                ),
                Err(e) => println!(
                    "{}",
                    t!(
                        self.lang,
                        "sandbox-file-not-saved",
                        file = name.as_str(),
                        path = file.display().to_string(),
                        error = e.to_string()
                    )
                ),
            }
        }
    }

    /// The bot's channels (surveys, manager, newbies) with their names.
    pub fn channels(&self) -> Vec<(u64, String)> {
        let d = &self.desk.config.settings.discord;
        [
            d.surveys_channel_id,
            d.manager_channel_id,
            d.newbies_channel_id,
        ]
        .iter()
        .map(|c| {
            let name = self.names.channels.get(&c.0).cloned().unwrap_or_default();
            (c.0, name)
        })
        .collect()
    }

    /// Every message of the demo server: the bot's channels and the members' DMs, oldest
    /// first, with where it stands and who sees it.
    fn everything(&self) -> Vec<(String, Value, Option<u64>)> {
        let mut all = Vec::new();
        for (channel, name) in self.channels() {
            let place = format!("#{name}");
            for m in self.discord.channel_messages(channel) {
                all.push((place.clone(), m, None));
            }
        }
        for member in &self.members {
            let place = t!(self.lang, "sandbox-dm-place", who = member.name.clone());
            for m in self.discord.dm_messages(member.user.id) {
                all.push((place.clone(), m, Some(member.user.id)));
            }
        }
        all.sort_by_key(|(_, m, _)| snowflake(&m["id"]));
        all
    }

    /// Prints every message that appeared or changed since the last time.
    pub fn flush(&mut self) {
        for (place, m, visible_to) in self.everything() {
            let Some(id) = m["id"].as_str().map(str::to_string) else {
                continue;
            };
            let text = show::message(&self.names, &m);
            let before = self.seen.insert(id, text.clone());
            if before.as_ref() == Some(&text) {
                continue;
            }
            let head = match (before.is_some(), visible_to.is_some()) {
                (true, _) => t!(self.lang, "sandbox-edited-in", place = place),
                (false, false) => t!(self.lang, "sandbox-posted-in", place = place),
                (false, true) => t!(self.lang, "sandbox-dm-posted", place = place),
            };
            println!("{head}\n{text}");
            self.remember(Shown {
                message: m,
                dm: visible_to.is_some(),
                visible_to,
            });
        }
    }

    /// Prints a channel or a member's DMs as they stand (`zeige …`).
    pub fn print_place(&mut self, place: &str, messages: Vec<Value>, visible_to: Option<u64>) {
        println!("{}", t!(self.lang, "sandbox-place-head", place = place));
        if messages.is_empty() {
            println!("{}", t!(self.lang, "sandbox-place-empty"));
        }
        for m in messages {
            println!("{}", show::message(&self.names, &m));
            if let Some(id) = m["id"].as_str() {
                self.seen
                    .insert(id.to_string(), show::message(&self.names, &m));
            }
            self.remember(Shown {
                message: m,
                dm: visible_to.is_some(),
                visible_to,
            });
        }
    }

    /// Marks everything there is as printed (the demo's start).
    pub fn skip_to_now(&mut self) {
        for (_, m, _) in self.everything() {
            if let Some(id) = m["id"].as_str() {
                self.seen
                    .insert(id.to_string(), show::message(&self.names, &m));
            }
        }
    }

    /// The messages `who` can see, newest first.
    fn visible(&self, who: &Member) -> impl Iterator<Item = &Shown> {
        self.shown
            .iter()
            .rev()
            .filter(move |s| s.visible_to.is_none_or(|id| id == who.user.id))
    }

    /// Keeps a printed message with components for later use; an edit replaces the version
    /// printed before (whose buttons are gone).
    fn remember(&mut self, shown: Shown) {
        let id = shown.message["id"].clone();
        if !id.is_null() {
            self.shown.retain(|s| s.message["id"] != id);
        }
        if show::components(&shown.message).next().is_some() {
            self.shown.push(shown);
        }
    }

    /// The newest message `who` sees with a button labelled `label` (case-insensitive; a
    /// label's start is enough when no label is equal), and the button's custom id.
    pub fn button(&self, label: &str, who: &Member) -> Option<(Shown, String)> {
        let wanted = label.trim().to_lowercase();
        let find = |exact: bool| {
            self.visible(who).find_map(|s| {
                show::buttons(&s.message)
                    .into_iter()
                    .find(|(l, _)| {
                        let l = l.to_lowercase();
                        if exact {
                            l == wanted
                        } else {
                            l.starts_with(&wanted)
                        }
                    })
                    .map(|(_, id)| (s.clone(), id))
            })
        };
        find(true).or_else(|| find(false))
    }

    /// The newest message `who` sees with a select offering `label` (the start of an
    /// option's label, case-insensitive): the message, the select's custom id, the value.
    pub fn option(&self, label: &str, who: &Member) -> Option<(Shown, String, String)> {
        let wanted = label.trim().to_lowercase();
        self.visible(who).find_map(|s| {
            show::components(&s.message)
                .filter(|c| c["type"] == 3)
                .find_map(|c| {
                    let option = c["options"].as_array()?.iter().find(|o| {
                        o["label"]
                            .as_str()
                            .is_some_and(|l| l.to_lowercase().starts_with(&wanted))
                    })?;
                    Some((
                        s.clone(),
                        c["custom_id"].as_str()?.to_string(),
                        option["value"].as_str()?.to_string(),
                    ))
                })
        })
    }

    /// The labels of the buttons `who` can press, newest first, for a message that lists them.
    pub fn button_labels(&self, who: &Member) -> Vec<String> {
        let mut labels: Vec<String> = Vec::new();
        for s in self.visible(who) {
            for (label, _) in show::buttons(&s.message) {
                if !labels.contains(&label) {
                    labels.push(label);
                }
            }
        }
        labels
    }

    /// Presses a button of a shown message as `who`.
    pub async fn press(&mut self, on: &Shown, custom_id: &str, who: &Member) {
        let payload = fixtures::component(custom_id, 2, &[], on.message.clone(), &who.user);
        let dm = on.dm.then(|| self.discord.dm_channel_id(who.user.id));
        self.interact(in_place(payload, dm, &who.user), who).await;
    }

    /// Reacts to a shown message with `emoji` as `who`, and waits until the bot has handled it
    /// and settled: a reaction is a gateway event without an answer to wait for, so the bot's
    /// word that it handled it is what says its effects can be shown.
    pub async fn react(&mut self, on: &Shown, emoji: &str, who: &Member) {
        let channel = snowflake(&on.message["channel_id"]);
        let message = snowflake(&on.message["id"]);
        let mut events = self.desk.events.subscribe();
        self.discord
            .react(&who.user, channel, message, emoji, true)
            .await;
        let user = who.user.id;
        let handled = tokio::time::timeout(WAIT, async {
            loop {
                match events.recv().await {
                    Ok(DeskEvent::Handled {
                        event:
                            HandledEvent::Reaction {
                                message: m,
                                user: u,
                                ..
                            },
                        ..
                    }) if m.0 == message && u.0 == user => return,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                    _ => {}
                }
            }
        });
        if handled.await.is_err() {
            tracing::warn!("the bot did not handle the reaction within {WAIT:?}");
        }
        self.settle().await;
    }

    /// Chooses values of a select of a shown message as `who`.
    pub async fn choose(&mut self, on: &Shown, custom_id: &str, values: &[&str], who: &Member) {
        let payload = fixtures::component(custom_id, 3, values, on.message.clone(), &who.user);
        let dm = on.dm.then(|| self.discord.dm_channel_id(who.user.id));
        self.interact(in_place(payload, dm, &who.user), who).await;
    }

    /// Submits the open form with `values` in its inputs' order, as its member.
    pub async fn submit(&mut self, form: OpenForm, values: &[String], who: &Member) {
        let fields: Vec<(&str, &str)> = form
            .inputs
            .iter()
            .zip(values)
            .map(|((id, _), v)| (id.as_str(), v.as_str()))
            .collect();
        let payload = fixtures::modal_submit(&form.custom_id, &fields, &who.user);
        let dm = form.dm.then(|| self.discord.dm_channel_id(who.user.id));
        let payload = in_place(payload, dm, &who.user);
        self.interact(payload, who).await;
    }
}

/// An id field (a snowflake as Discord sends it, a string) as a number; snowflakes grow with
/// time, so message ids sort in the order Discord shows.
pub fn snowflake(id: &Value) -> u64 {
    id.as_str().and_then(|id| id.parse().ok()).unwrap_or(0)
}

/// An interaction as Discord sends it from a DM: without member and server, with the user
/// at the top, in the DM's channel (where an update of the message lands).
fn in_place(mut payload: Value, dm: Option<u64>, user: &FakeUser) -> Value {
    if let Some(channel) = dm {
        if let Some(object) = payload.as_object_mut() {
            object.remove("member");
            object.remove("guild_id");
            object.remove("guild_locale");
        }
        payload["user"] = fixtures::user_json(user);
        payload["channel_id"] = Value::from(channel.to_string());
        payload["channel"] = serde_json::json!({"id": channel.to_string(), "type": 1});
    }
    payload
}

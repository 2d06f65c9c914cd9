//! The sandbox's lines: what a newcomer types at the prompt and what the scripted story is
//! made of. `/…` is a slash command as typed in Discord; `als NAME …` acts as another member;
//! `annehmen 1`, `ablehnen 1 Grund`, `später 1 DATUM`, `reagiere 1 ✅` answer task 1's latest
//! post; `drücke "Label"`, `wähle "Label"`, `ausfüllen "Wert"` use buttons, menus and forms;
//! `zeit +4h` moves the clock; `zeige …` prints a channel; `hilfe` lists it all.

use serde_json::Value;

use super::slash::{self, Refused};
use super::stage::{Member, Shown, Stage, snowflake};
use crate::domain::survey::{ANSWER_EMOJIS, DeclineReason};
use crate::present::catalog::t;
use crate::present::custom_id::{CustomId, SurveyAction};
use crate::present::{Lang, format};

/// Whether to go on reading lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    Go,
    Quit,
}

/// Runs one line, as the demo coordinator unless it starts with `als NAME`.
pub async fn perform(stage: &mut Stage, line: &str) -> Next {
    let line = line.trim();
    let lang = stage.lang;
    let coordinator = stage
        .members
        .first()
        .map(|m| m.key.clone())
        .unwrap_or_default();
    let actor = coordinator.as_str();
    let (actor, line) = match split_word(line) {
        (first, rest) if Verb::of(first) == Some(Verb::As) => {
            let (name, rest) = split_word(rest);
            if name.is_empty() || rest.is_empty() {
                say(&t!(lang, "sandbox-as-usage", members = stage.member_keys()));
                return Next::Go;
            }
            (name, rest)
        }
        _ => (actor, line),
    };
    let Some(member) = stage.member(actor).cloned() else {
        say(&t!(
            lang,
            "sandbox-unknown-member",
            name = actor,
            members = stage.member_keys()
        ));
        return Next::Go;
    };
    if line.starts_with('/') {
        slash_command(stage, line, &member).await;
        return Next::Go;
    }
    let words = slash::words(line);
    let Some(verb) = words.first().map(|w| w.to_lowercase()) else {
        return Next::Go;
    };
    let args = &words[1..];
    match Verb::of(&verb) {
        Some(Verb::Help) => say(&t!(lang, "sandbox-help")),
        Some(Verb::Quit) => return Next::Quit,
        Some(Verb::Accept) => answer(stage, &member, args, SurveyAction::Accept).await,
        Some(Verb::Decline) => answer(stage, &member, args, SurveyAction::Decline).await,
        Some(Verb::Later) => answer(stage, &member, args, SurveyAction::Later).await,
        Some(Verb::React) => react(stage, &member, args).await,
        Some(Verb::Press) => press(stage, &member, &args.join(" ")).await,
        Some(Verb::Choose) => choose(stage, &member, args).await,
        Some(Verb::Fill) => fill(stage, &member, args).await,
        Some(Verb::Time) => time(stage, args).await,
        Some(Verb::Show) => show_place(stage, args),
        Some(Verb::Members) => members(stage),
        Some(Verb::As) | None => say(&t!(lang, "sandbox-unknown-line", line = line)),
    }
    Next::Go
}

fn say(text: &str) {
    println!("{text}");
}

/// What a line's first word asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    As,
    Help,
    Quit,
    Accept,
    Decline,
    Later,
    React,
    Press,
    Choose,
    Fill,
    Time,
    Show,
    Members,
}

impl Verb {
    /// The verb a word names, in any of the catalog's languages (a German newcomer may
    /// still type "help").
    fn of(word: &str) -> Option<Verb> {
        let word = word.to_lowercase();
        Lang::all().find_map(|lang| {
            let verbs = [
                (Verb::As, t!(lang, "sandbox-verbs-as")),
                (Verb::Help, t!(lang, "sandbox-verbs-help")),
                (Verb::Quit, t!(lang, "sandbox-verbs-quit")),
                (Verb::Accept, t!(lang, "sandbox-verbs-accept")),
                (Verb::Decline, t!(lang, "sandbox-verbs-decline")),
                (Verb::Later, t!(lang, "sandbox-verbs-later")),
                (Verb::React, t!(lang, "sandbox-verbs-react")),
                (Verb::Press, t!(lang, "sandbox-verbs-press")),
                (Verb::Choose, t!(lang, "sandbox-verbs-choose")),
                (Verb::Fill, t!(lang, "sandbox-verbs-fill")),
                (Verb::Time, t!(lang, "sandbox-verbs-time")),
                (Verb::Show, t!(lang, "sandbox-verbs-show")),
                (Verb::Members, t!(lang, "sandbox-verbs-members")),
            ];
            verbs
                .into_iter()
                .find(|(_, words)| one_of(words, &word))
                .map(|(verb, _)| verb)
        })
    }
}

/// Whether `word` is one of a catalog entry's comma-separated words.
fn one_of(words: &str, word: &str) -> bool {
    words.split(',').any(|w| w.trim() == word)
}

/// Whether `word` names a place (`sandbox-places-…`) in any language.
fn place_is(word: &str, place: fn(Lang) -> String) -> bool {
    Lang::all().any(|lang| one_of(&place(lang), word))
}

/// The first word and the rest of a line.
fn split_word(line: &str) -> (&str, &str) {
    match line.split_once(char::is_whitespace) {
        Some((first, rest)) => (first, rest.trim_start()),
        None => (line, ""),
    }
}

async fn slash_command(stage: &mut Stage, line: &str, member: &Member) {
    let commands = stage.discord.registered_commands();
    let read = {
        let stage: &Stage = stage;
        let find = |name: &str| stage.member(name).map(|m| m.user.clone());
        slash::read(line, &commands, member.user.permissions, &find)
    };
    match read {
        Ok(invocation) => {
            let path: Vec<&str> = invocation.path.iter().map(String::as_str).collect();
            let options = invocation
                .options
                .iter()
                .map(|(n, v)| (n.as_str(), v.clone()))
                .collect();
            let payload =
                crate::loopback::fixtures::slash(&invocation.name, &path, options, &member.user);
            stage.interact(payload, member).await;
        }
        Err(refused) => say(&refused_text(stage.lang, &refused, stage)),
    }
}

/// What Discord's client says when it does not send a command.
fn refused_text(lang: Lang, refused: &Refused, stage: &Stage) -> String {
    let list = |items: &[String]| items.join(", ");
    match refused {
        Refused::Empty => t!(lang, "sandbox-client-empty"),
        Refused::UnknownCommand { input, known } => t!(
            lang,
            "sandbox-client-unknown-command",
            input = input.as_str(),
            known = list(known)
        ),
        Refused::NotAllowed { command } => {
            t!(
                lang,
                "sandbox-client-not-allowed",
                command = command.as_str()
            )
        }
        Refused::NeedsSubcommand { command, known } => t!(
            lang,
            "sandbox-client-needs-subcommand",
            command = command.as_str(),
            known = list(known)
        ),
        Refused::UnknownSubcommand {
            command,
            input,
            known,
        } => t!(
            lang,
            "sandbox-client-unknown-subcommand",
            command = command.as_str(),
            input = input.as_str(),
            known = list(known)
        ),
        Refused::UnknownOption {
            command,
            input,
            known,
        } => t!(
            lang,
            "sandbox-client-unknown-option",
            command = command.as_str(),
            input = input.as_str(),
            known = list(known)
        ),
        Refused::ValueWithoutOption {
            command,
            input,
            known,
        } => t!(
            lang,
            "sandbox-client-value-without-option",
            command = command.as_str(),
            input = input.as_str(),
            known = list(known)
        ),
        Refused::Twice { option } => t!(lang, "sandbox-client-twice", option = option.as_str()),
        Refused::Missing { option } => {
            t!(lang, "sandbox-client-missing", option = option.as_str())
        }
        Refused::Blank { option } => t!(lang, "sandbox-client-blank", option = option.as_str()),
        Refused::NotInteger { option, input } => t!(
            lang,
            "sandbox-client-not-integer",
            option = option.as_str(),
            input = input.as_str()
        ),
        Refused::NotNumber { option, input } => t!(
            lang,
            "sandbox-client-not-number",
            option = option.as_str(),
            input = input.as_str()
        ),
        Refused::NotBoolean { option, input } => t!(
            lang,
            "sandbox-client-not-boolean",
            option = option.as_str(),
            input = input.as_str()
        ),
        Refused::NotChoice {
            option,
            input,
            known,
        } => t!(
            lang,
            "sandbox-client-not-choice",
            option = option.as_str(),
            input = input.as_str(),
            known = list(known)
        ),
        Refused::TooSmall { option, min } => t!(
            lang,
            "sandbox-client-too-small",
            option = option.as_str(),
            min = min.as_str()
        ),
        Refused::TooLarge { option, max } => t!(
            lang,
            "sandbox-client-too-large",
            option = option.as_str(),
            max = max.as_str()
        ),
        Refused::TooShort { option, min } => t!(
            lang,
            "sandbox-client-too-short",
            option = option.as_str(),
            min = *min
        ),
        Refused::TooLong { option, max } => t!(
            lang,
            "sandbox-client-too-long",
            option = option.as_str(),
            max = *max
        ),
        Refused::NotMember { option, input } => t!(
            lang,
            "sandbox-client-not-member",
            option = option.as_str(),
            input = input.as_str(),
            members = stage.member_keys()
        ),
    }
}

/// The task number a line names ("1" or "#1").
fn task_number(args: &[String], usage: &str) -> Option<i64> {
    let number = args
        .first()
        .and_then(|a| a.trim_start_matches('#').parse::<i64>().ok())
        .filter(|n| *n > 0);
    if number.is_none() {
        say(usage);
    }
    number
}

/// Whether a message is about task `n`: its title or text names "#n".
fn about_task(message: &Value, n: i64) -> bool {
    let needle = format!("#{n}");
    let names = |text: &str| {
        text.match_indices(&needle).any(|(i, _)| {
            !text[i + needle.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
        })
    };
    message["content"].as_str().is_some_and(names)
        || message["embeds"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|e| e["title"].as_str().is_some_and(names))
}

/// The newest survey message about task `n` that `member` sees (the post in the surveys
/// channel or a DM asking them) with the button for `action`, and that button's custom id.
fn survey_message(
    stage: &Stage,
    member: &Member,
    n: i64,
    action: SurveyAction,
) -> Option<(Shown, String)> {
    let surveys = stage.desk.config.settings.discord.surveys_channel_id.0;
    let mut candidates: Vec<(Value, bool)> = stage
        .discord
        .channel_messages(surveys)
        .into_iter()
        .map(|m| (m, false))
        .collect();
    candidates.extend(
        stage
            .discord
            .dm_messages(member.user.id)
            .into_iter()
            .map(|m| (m, true)),
    );
    candidates.sort_by_key(|(m, _)| snowflake(&m["id"]));
    candidates.into_iter().rev().find_map(|(m, dm)| {
        if !about_task(&m, n) {
            return None;
        }
        let id = super::show::buttons(&m).into_iter().find_map(|(_, id)| {
            matches!(CustomId::parse(&id), Some(CustomId::Survey { action: a, .. }) if a == action)
                .then_some(id)
        })?;
        Some((
            Shown {
                message: m,
                dm,
                visible_to: dm.then_some(member.user.id),
            },
            id,
        ))
    })
}

/// `annehmen N`, `ablehnen N [Grund]`, `später N DATUM`: the buttons of task N's latest post.
async fn answer(stage: &mut Stage, member: &Member, args: &[String], action: SurveyAction) {
    let usage = match action {
        SurveyAction::Decline => t!(stage.lang, "sandbox-decline-usage"),
        SurveyAction::Later => t!(stage.lang, "sandbox-later-usage"),
        _ => t!(stage.lang, "sandbox-accept-usage"),
    };
    let Some(n) = task_number(args, &usage) else {
        return;
    };
    if action == SurveyAction::Later && args.len() < 2 {
        say(&usage);
        return;
    }
    let Some((message, button)) = survey_message(stage, member, n, action) else {
        say(&t!(stage.lang, "sandbox-no-survey", task = n));
        return;
    };
    stage.press(&message, &button, member).await;
    let rest = args[1..].join(" ");
    match action {
        SurveyAction::Later => {
            if let Some(form) = stage.form.take() {
                stage.submit(form, &[rest], member).await;
            }
        }
        SurveyAction::Decline if !rest.is_empty() => match stage.option(&rest, member) {
            Some((on, select, value)) => {
                stage.choose(&on, &select, &[value.as_str()], member).await;
            }
            None => {
                let reasons: Vec<String> = DeclineReason::CHOOSABLE
                    .iter()
                    .map(|r| format::reason(stage.lang, *r))
                    .collect();
                say(&t!(
                    stage.lang,
                    "sandbox-unknown-reason",
                    input = rest.as_str(),
                    reasons = reasons.join(", ")
                ));
            }
        },
        _ => {}
    }
}

/// `reagiere N ✅`: a reaction on task N's post in the surveys channel.
async fn react(stage: &mut Stage, member: &Member, args: &[String]) {
    let Some(n) = task_number(args, &t!(stage.lang, "sandbox-react-usage")) else {
        return;
    };
    let Some(emoji) = args.get(1).filter(|e| ANSWER_EMOJIS.contains(&e.as_str())) else {
        say(&t!(stage.lang, "sandbox-react-usage"));
        return;
    };
    let Some((post, _)) =
        survey_message(stage, member, n, SurveyAction::Accept).filter(|(post, _)| !post.dm)
    else {
        say(&t!(stage.lang, "sandbox-no-survey", task = n));
        return;
    };
    stage.react(&post, emoji, member).await;
    stage.flush();
}

/// `drücke "Label"`: the button on the newest message the member sees that has it.
async fn press(stage: &mut Stage, member: &Member, label: &str) {
    if label.trim().is_empty() {
        say(&t!(stage.lang, "sandbox-press-usage"));
        return;
    }
    match stage.button(label, member) {
        Some((on, id)) => stage.press(&on, &id, member).await,
        None => {
            let labels: Vec<String> = stage
                .button_labels(member)
                .iter()
                .map(|l| format::quoted(stage.lang, l))
                .collect();
            say(&t!(
                stage.lang,
                "sandbox-no-button",
                label = label,
                who = member.name.clone(),
                labels = if labels.is_empty() {
                    "—".to_string()
                } else {
                    labels.join(", ")
                }
            ));
        }
    }
}

/// `wähle "Label" …`: options of the newest menu that offers the first; in a menu that allows
/// several, each named option is ticked or unticked as a click does, the others stay.
async fn choose(stage: &mut Stage, member: &Member, labels: &[String]) {
    let Some(first) = labels.first() else {
        say(&t!(stage.lang, "sandbox-choose-usage"));
        return;
    };
    let Some((on, select, _)) = stage.option(first, member) else {
        say(&t!(stage.lang, "sandbox-no-option", label = first.as_str()));
        return;
    };
    let Some(menu) = super::show::components(&on.message).find(|c| c["custom_id"] == select) else {
        return;
    };
    let options: Vec<&Value> = menu["options"].as_array().into_iter().flatten().collect();
    let mut picked = Vec::new();
    for label in labels {
        let wanted = label.to_lowercase();
        let Some(option) = options.iter().find(|o| {
            o["label"]
                .as_str()
                .is_some_and(|l| l.to_lowercase().starts_with(&wanted))
        }) else {
            say(&t!(stage.lang, "sandbox-no-option", label = label.as_str()));
            return;
        };
        picked.push(option["value"].as_str().unwrap_or_default().to_string());
    }
    let several = menu["max_values"].as_u64().unwrap_or(1) > 1;
    let values: Vec<String> = if several {
        options
            .iter()
            .filter_map(|o| {
                let value = o["value"].as_str()?.to_string();
                let ticked = o["default"] == true;
                (ticked != picked.contains(&value)).then_some(value)
            })
            .collect()
    } else {
        picked.truncate(1);
        picked
    };
    let values: Vec<&str> = values.iter().map(String::as_str).collect();
    stage.choose(&on, &select, &values, member).await;
}

/// `ausfüllen "Wert" …`: fills the open form, one value per field, and sends it.
async fn fill(stage: &mut Stage, member: &Member, values: &[String]) {
    match stage.form.take() {
        Some(form) if form.member == member.user.id => {
            stage.submit(form, values, member).await;
        }
        other => {
            stage.form = other;
            say(&t!(
                stage.lang,
                "sandbox-no-form",
                who = member.name.clone()
            ));
        }
    }
}

/// `zeit +4h`: moves the sandbox's clock (minutes, hours, days: "+30m", "+1d4h").
async fn time(stage: &mut Stage, args: &[String]) {
    let Some(input) = args.first() else {
        say(&t!(
            stage.lang,
            "sandbox-time-now",
            time = stage.time_label()
        ));
        return;
    };
    let Some(by) = parse_step(input) else {
        say(&t!(
            stage.lang,
            "sandbox-time-usage",
            input = input.as_str()
        ));
        return;
    };
    let before = stage.time_label();
    stage.clock.advance(by);
    say(&t!(
        stage.lang,
        "sandbox-time-moved",
        from = before,
        to = stage.time_label()
    ));
    stage.settle().await;
    stage.flush();
}

/// "+4h", "30m", "+1d4h" (at most 60 days): the step; anything else is none.
pub fn parse_step(input: &str) -> Option<chrono::Duration> {
    let input = input.trim().trim_start_matches('+');
    let mut total = chrono::Duration::zero();
    let mut number = String::new();
    for c in input.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: i64 = std::mem::take(&mut number).parse().ok()?;
        total += match c {
            'm' => chrono::Duration::minutes(n),
            'h' => chrono::Duration::hours(n),
            'd' | 't' => chrono::Duration::days(n),
            _ => return None,
        };
    }
    (number.is_empty() && total > chrono::Duration::zero() && total <= chrono::Duration::days(60))
        .then_some(total)
}

/// `zeige manager|umfragen|neulinge|dm NAME`: a channel or a member's DMs as they stand.
fn show_place(stage: &mut Stage, args: &[String]) {
    let lang = stage.lang;
    let what = args.first().map(|a| a.to_lowercase()).unwrap_or_default();
    let d = &stage.desk.config.settings.discord;
    let what = what.trim_start_matches('#');
    let channel = if place_is(what, |l| t!(l, "sandbox-places-manager")) {
        Some(d.manager_channel_id.0)
    } else if place_is(what, |l| t!(l, "sandbox-places-surveys")) {
        Some(d.surveys_channel_id.0)
    } else if place_is(what, |l| t!(l, "sandbox-places-newbies")) {
        Some(d.newbies_channel_id.0)
    } else {
        stage
            .channels()
            .into_iter()
            .find(|(_, name)| name == what)
            .map(|(id, _)| id)
    };
    if let Some(channel) = channel {
        let name = stage
            .names
            .channels
            .get(&channel)
            .cloned()
            .unwrap_or_default();
        let messages = stage.discord.channel_messages(channel);
        stage.print_place(&format!("#{name}"), messages, None);
        return;
    }
    if place_is(what, |l| t!(l, "sandbox-places-dm")) {
        let Some(member) = args.get(1).and_then(|n| stage.member(n)).cloned() else {
            say(&t!(
                lang,
                "sandbox-show-usage",
                members = stage.member_keys()
            ));
            return;
        };
        let place = t!(lang, "sandbox-dm-place", who = member.name.clone());
        let messages = stage.discord.dm_messages(member.user.id);
        stage.print_place(&place, messages, Some(member.user.id));
        return;
    }
    say(&t!(
        lang,
        "sandbox-show-usage",
        members = stage.member_keys()
    ));
}

fn members(stage: &Stage) {
    for m in &stage.members {
        say(&t!(
            stage.lang,
            "sandbox-member-line",
            key = m.key.as_str(),
            name = m.name.as_str(),
            role = m.role.as_str()
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_steps_read_as_minutes_hours_and_days() {
        assert_eq!(parse_step("+4h"), Some(chrono::Duration::hours(4)));
        assert_eq!(parse_step("30m"), Some(chrono::Duration::minutes(30)));
        assert_eq!(
            parse_step("+1d4h"),
            Some(chrono::Duration::days(1) + chrono::Duration::hours(4))
        );
        for bad in ["", "+", "4", "4x", "-4h", "+0h", "+61d", "h"] {
            assert_eq!(parse_step(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_message_is_about_a_task_when_it_names_its_number() {
        let post = serde_json::json!({"embeds": [{"title": "Aufgabe #1"}]});
        assert!(about_task(&post, 1));
        assert!(!about_task(&post, 11));
        let other = serde_json::json!({"content": "Aufgabe #12 ist frei", "embeds": []});
        assert!(about_task(&other, 12));
        assert!(!about_task(&other, 1));
    }
}

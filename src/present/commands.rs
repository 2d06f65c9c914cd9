//! Slash commands in every language of the catalog: their English names stay what the bot
//! routes by; descriptions, and the names and descriptions other languages' Discord clients
//! show, come from the catalog (`commands.ftl`), so a new language folder localizes the
//! commands too.

use std::borrow::Cow;

use super::catalog::{Lang, lookup};

/// The Discord locales (as Discord names them) a catalog language stands for.
fn discord_locales(tag: &str) -> Vec<&'static str> {
    const DISCORD: [&str; 32] = [
        "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl",
        "no", "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi",
        "th", "zh-CN", "ja", "zh-TW", "ko",
    ];
    DISCORD
        .into_iter()
        .filter(|l| {
            l.eq_ignore_ascii_case(tag)
                || l.split('-')
                    .next()
                    .is_some_and(|p| p.eq_ignore_ascii_case(tag))
        })
        .collect()
}

type Localizations = Cow<'static, [(Cow<'static, str>, Cow<'static, str>)]>;

/// The base language of Discord's command names (English), if the catalog has it.
fn base() -> Option<Lang> {
    Lang::from_tag("en")
}

/// The texts of `key` in every language but the base one, for each of its Discord locales.
fn localizations(key: &str) -> Localizations {
    let mut out = Vec::new();
    for lang in Lang::all().filter(|l| Some(*l) != base()) {
        if let Some(text) = lookup(lang, key) {
            for locale in discord_locales(lang.tag()) {
                out.push((Cow::Borrowed(locale), Cow::Owned(text.clone())));
            }
        }
    }
    Cow::Owned(out)
}

fn base_text(key: &str) -> Option<Cow<'static, str>> {
    base().and_then(|en| lookup(en, key)).map(Cow::Owned)
}

/// Gives every command, option and choice its texts from the catalog.
pub fn localize<U, E>(commands: &mut [poise::Command<U, E>]) {
    for command in commands {
        let path = command.name.to_string();
        localize_command(command, &path);
    }
}

fn localize_command<U, E>(command: &mut poise::Command<U, E>, path: &str) {
    let key = format!("cmd-{path}");
    if let Some(description) = base_text(&format!("{key}-desc")) {
        command.description = Some(description);
    }
    command.name_localizations = localizations(&key);
    command.description_localizations = localizations(&format!("{key}-desc"));
    for parameter in &mut command.parameters {
        let key = format!("{key}-{}", parameter.name);
        if let Some(description) = base_text(&format!("{key}-desc")) {
            parameter.description = Some(description);
        }
        parameter.name_localizations = localizations(&key);
        parameter.description_localizations = localizations(&format!("{key}-desc"));
        for choice in parameter.choices.to_mut() {
            choice.localizations = localizations(&format!("{key}-{}", choice.name));
        }
    }
    for sub in &mut command.subcommands {
        let path = format!("{path}-{}", sub.name);
        localize_command(sub, &path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_languages_map_to_discord_locales() {
        assert_eq!(discord_locales("de"), ["de"]);
        assert_eq!(discord_locales("en"), ["en-GB", "en-US"]);
        assert_eq!(discord_locales("es"), ["es-ES", "es-419"]);
        assert!(discord_locales("tlh").is_empty());
    }
}

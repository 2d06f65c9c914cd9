//! The message catalog: Fluent resources, one folder per language under `present/locales/`,
//! embedded at build time (see `build.rs`). Every text a user reads comes from here, through
//! [`t!`]: German and English today; another language is another folder, with no Rust change.

use std::borrow::Cow;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::domain::ids::{ClientId, DiscordId, RoundId, TaskId};

include!(concat!(env!("OUT_DIR"), "/locales.rs"));

/// A language of the catalog, by its position among the folders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Lang(u8);

struct Language {
    tag: &'static str,
    bundle: FluentBundle<FluentResource>,
}

static CATALOG: LazyLock<Vec<Language>> = LazyLock::new(load);

fn load() -> Vec<Language> {
    LOCALES
        .iter()
        .map(|(tag, files)| {
            let id: unic_langid::LanguageIdentifier = tag
                .parse()
                .unwrap_or_else(|e| panic!("locale folder {tag:?} is no language tag: {e}"));
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Unicode isolation marks around placeables would end up in Discord messages.
            bundle.set_use_isolating(false);
            for (name, text) in *files {
                let resource =
                    FluentResource::try_new(text.to_string()).unwrap_or_else(|(_, e)| {
                        panic!("{tag}/{name} has Fluent syntax errors: {e:?}")
                    });
                bundle
                    .add_resource(resource)
                    .unwrap_or_else(|e| panic!("{tag}/{name} defines a message twice: {e:?}"));
            }
            Language { tag, bundle }
        })
        .collect()
}

impl Lang {
    /// The language with this tag, or the one whose primary subtag it starts with (Discord
    /// sends `de`, `en-US`, `en-GB` …).
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        let position = |wanted: &str| {
            CATALOG
                .iter()
                .position(|l| l.tag.eq_ignore_ascii_case(wanted))
        };
        position(&tag)
            .or_else(|| position(primary))
            .and_then(|i| u8::try_from(i).ok())
            .map(Lang)
    }

    /// The user's language if the catalog has it, else `default`.
    pub fn or(tag: Option<&str>, default: Lang) -> Lang {
        tag.and_then(Lang::from_tag).unwrap_or(default)
    }

    /// The tag of the language's folder, e.g. `de`.
    pub fn tag(self) -> &'static str {
        CATALOG[usize::from(self.0)].tag
    }

    /// Every language of the catalog.
    pub fn all() -> impl Iterator<Item = Lang> {
        (0..CATALOG.len()).filter_map(|i| u8::try_from(i).ok().map(Lang))
    }
}

/// The text of message `id` in `lang`. A message missing in the catalog (a test prevents it)
/// shows its id rather than failing the reply.
pub fn text(lang: Lang, id: &str, args: Option<&FluentArgs>) -> String {
    let bundle = &CATALOG[usize::from(lang.0)].bundle;
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        tracing::error!(id, lang = lang.tag(), "message missing in the catalog");
        return id.to_string();
    };
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    if !errors.is_empty() {
        tracing::error!(
            id,
            lang = lang.tag(),
            ?errors,
            "message formatted with errors"
        );
    }
    text.into_owned()
}

/// The text of message `id` in `lang` if the language has it (for optional messages).
pub fn lookup(lang: Lang, id: &str) -> Option<String> {
    let bundle = &CATALOG[usize::from(lang.0)].bundle;
    let pattern = bundle.get_message(id)?.value()?;
    let mut errors = Vec::new();
    Some(
        bundle
            .format_pattern(pattern, None, &mut errors)
            .into_owned(),
    )
}

/// Every message id of a language with the placeables it uses (for the catalog's own tests).
pub fn message_ids(lang: Lang) -> Vec<(String, Vec<String>)> {
    let (_, files) = LOCALES[usize::from(lang.0)];
    let mut out = Vec::new();
    for (_, text) in files.iter() {
        let Ok(resource) = FluentResource::try_new(text.to_string()) else {
            continue;
        };
        for entry in resource.entries() {
            if let fluent_syntax::ast::Entry::Message(m) = entry {
                let mut vars = Vec::new();
                if let Some(value) = &m.value {
                    collect_variables(&value.elements, &mut vars);
                }
                vars.sort();
                vars.dedup();
                out.push((m.id.name.to_string(), vars));
            }
        }
    }
    out.sort();
    out
}

fn collect_variables(elements: &[fluent_syntax::ast::PatternElement<&str>], out: &mut Vec<String>) {
    use fluent_syntax::ast::{Expression, InlineExpression, PatternElement};
    fn inline(e: &InlineExpression<&str>, out: &mut Vec<String>) {
        if let InlineExpression::VariableReference { id } = e {
            out.push(id.name.to_string());
        }
    }
    for element in elements {
        if let PatternElement::Placeable { expression } = element {
            match expression {
                Expression::Inline(e) => inline(e, out),
                Expression::Select { selector, variants } => {
                    inline(selector, out);
                    for v in variants {
                        collect_variables(&v.value.elements, out);
                    }
                }
            }
        }
    }
}

/// A value for a placeable: numbers stay numbers (plural rules select on them), ids and
/// everything else become text.
pub trait IntoArg {
    fn into_arg(self) -> FluentValue<'static>;
}

impl IntoArg for String {
    fn into_arg(self) -> FluentValue<'static> {
        FluentValue::String(Cow::Owned(self))
    }
}

impl IntoArg for &String {
    fn into_arg(self) -> FluentValue<'static> {
        FluentValue::String(Cow::Owned(self.clone()))
    }
}

impl IntoArg for &str {
    fn into_arg(self) -> FluentValue<'static> {
        FluentValue::String(Cow::Owned(self.to_string()))
    }
}

macro_rules! number_arg {
    ($($ty:ty),+) => {$(
        impl IntoArg for $ty {
            fn into_arg(self) -> FluentValue<'static> {
                FluentValue::from(self)
            }
        }
    )+};
}
number_arg!(usize, u64, u32, i64, i32, u8);

macro_rules! id_arg {
    ($($ty:ty),+) => {$(
        impl IntoArg for $ty {
            // As text: snowflakes do not survive the trip through a float.
            fn into_arg(self) -> FluentValue<'static> {
                FluentValue::String(Cow::Owned(self.to_string()))
            }
        }
    )+};
}
id_arg!(DiscordId, TaskId, RoundId, ClientId);

/// Converts a value for [`t!`].
pub fn arg(value: impl IntoArg) -> FluentValue<'static> {
    value.into_arg()
}

/// The text of a catalog message: `t!(lang, "task-created", task = id, surveyed = n)`.
macro_rules! t {
    ($lang:expr, $id:literal) => {
        $crate::present::catalog::text($lang, $id, None)
    };
    ($lang:expr, $id:literal, $($key:ident = $value:expr),+ $(,)?) => {{
        let mut args = fluent_bundle::FluentArgs::new();
        $( args.set(stringify!($key), $crate::present::catalog::arg($value)); )+
        $crate::present::catalog::text($lang, $id, Some(&args))
    }};
}
pub(crate) use t;

#[cfg(test)]
mod tests {
    use super::*;

    fn de() -> Lang {
        Lang::from_tag("de").expect("German is in the catalog")
    }

    fn en() -> Lang {
        Lang::from_tag("en").expect("English is in the catalog")
    }

    #[test]
    fn languages_come_from_discord_locales() {
        assert_eq!(Lang::from_tag("en-US"), Some(en()));
        assert_eq!(Lang::from_tag("en-GB"), Some(en()));
        assert_eq!(Lang::from_tag("DE"), Some(de()));
        assert_eq!(Lang::from_tag("pt-BR"), None);
        assert_eq!(Lang::or(Some("ja"), de()), de());
        assert_eq!(Lang::or(Some("en-US"), de()), en());
        assert_eq!(Lang::or(None, en()), en());
    }

    #[test]
    fn every_message_exists_in_every_language_with_the_same_placeables() {
        let reference = message_ids(de());
        assert!(reference.len() > 100, "the German catalog is complete");
        for lang in Lang::all() {
            let ids = message_ids(lang);
            let names = |v: &[(String, Vec<String>)]| -> Vec<String> {
                v.iter().map(|(id, _)| id.clone()).collect()
            };
            let missing: Vec<_> = names(&reference)
                .into_iter()
                .filter(|id| !names(&ids).contains(id))
                .collect();
            let extra: Vec<_> = names(&ids)
                .into_iter()
                .filter(|id| !names(&reference).contains(id))
                .collect();
            assert!(missing.is_empty(), "{}: missing {missing:?}", lang.tag());
            assert!(extra.is_empty(), "{}: not in German {extra:?}", lang.tag());
            for ((id, vars), (_, reference_vars)) in ids.iter().zip(&reference) {
                assert_eq!(
                    vars,
                    reference_vars,
                    "{}: {id} uses other placeables than the German one",
                    lang.tag()
                );
            }
        }
    }

    #[test]
    fn plurals_follow_each_language() {
        let line = |lang, n: usize| t!(lang, "playbook-nudged", count = n);
        assert_eq!(
            line(de(), 0),
            "0 Newbies angestupst, ihre Kompetenzen zu ergänzen."
        );
        assert_eq!(
            line(de(), 1),
            "1 Newbie angestupst, ihre Kompetenzen zu ergänzen."
        );
        assert_eq!(
            line(de(), 2),
            "2 Newbies angestupst, ihre Kompetenzen zu ergänzen."
        );
        assert_eq!(
            line(en(), 0),
            "0 newbies nudged to complete their competences."
        );
        assert_eq!(
            line(en(), 1),
            "1 newbie nudged to complete their competences."
        );
        assert_eq!(
            line(en(), 2),
            "2 newbies nudged to complete their competences."
        );
        let vpas = |lang, n: usize| t!(lang, "playbook-related", competence = "X", count = n);
        assert_eq!(vpas(de(), 1), "„X“: 1 passende VPA");
        assert_eq!(vpas(de(), 2), "„X“: 2 passende VPAs");
        assert_eq!(vpas(en(), 0), "“X”: 0 fitting VPAs");
    }

    #[test]
    fn snowflakes_keep_every_digit() {
        let id = DiscordId(200_000_000_000_000_001);
        assert_eq!(
            t!(de(), "no-profile", vpa = id),
            "<@200000000000000001> hat noch kein VPA-Profil."
        );
    }
}

#[cfg(test)]
mod texts_live_here {
    //! Every text a user reads lives in the catalog: a German word in a string literal of
    //! `src/` outside `present/` (and outside tests) fails this test.

    use std::path::{Path, PathBuf};

    /// Words that only a German sentence has (input words people type, like "ja" or "aus",
    /// are not here: those are vocabulary the parsers accept, not text shown).
    const GERMAN: [&str; 24] = [
        "und",
        "nicht",
        "der",
        "die",
        "das",
        "ist",
        "mit",
        "für",
        "bitte",
        "keine",
        "kein",
        "aufgabe",
        "wurde",
        "kunde",
        "zeile",
        "fehler",
        "gespeichert",
        "angelegt",
        "umfrage",
        "danke",
        "hallo",
        "bereich",
        "gemeldet",
        "verfügbar",
    ];

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("src is readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// The string literals of code (comments and unit tests cut off).
    fn literals(code: &str) -> Vec<String> {
        let code = code.split("#[cfg(test)]").next().unwrap_or_default();
        let mut out = Vec::new();
        for line in code.lines() {
            let chars: Vec<char> = line.chars().collect();
            let (mut i, mut current): (usize, Option<String>) = (0, None);
            while i < chars.len() {
                let c = chars[i];
                match &mut current {
                    None if c == '/' && chars.get(i + 1) == Some(&'/') => break,
                    // A char literal such as '"' is no string.
                    None if c == '\'' && chars.get(i + 2) == Some(&'\'') => i += 2,
                    None if c == '"' => current = Some(String::new()),
                    None => {}
                    Some(text) if c == '\\' => {
                        text.push(c);
                        if let Some(next) = chars.get(i + 1) {
                            text.push(*next);
                        }
                        i += 1;
                    }
                    Some(_) if c == '"' => out.extend(current.take()),
                    Some(text) => text.push(c),
                }
                i += 1;
            }
        }
        out
    }

    fn german(literal: &str) -> bool {
        let lower = literal.to_lowercase();
        lower.contains(['ä', 'ö', 'ü', 'ß', '„'])
            || lower
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| GERMAN.contains(&w))
    }

    #[test]
    fn no_text_lives_outside_the_catalog() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let mut found = Vec::new();
        for file in files {
            let relative = file.strip_prefix(&src).unwrap_or(&file).to_path_buf();
            // The catalog's own code; the Discord stand-in knows nothing of the product.
            if relative.starts_with("present") || relative.starts_with("loopback") {
                continue;
            }
            let code = std::fs::read_to_string(&file).expect("a source file");
            for literal in literals(&code).into_iter().filter(|l| german(l)) {
                found.push(format!("{}: {literal:?}", relative.display()));
            }
        }
        assert!(
            found.is_empty(),
            "texts outside the catalog:\n{}",
            found.join("\n")
        );
    }

    #[test]
    fn the_guard_sees_german_and_not_code() {
        assert!(german("Die Aufgabe wurde gespeichert"));
        assert!(german("„Später“"));
        assert!(!german("SELECT id FROM tasks WHERE status = ?"));
        assert!(!german("ja"));
        assert_eq!(
            literals("let a = \"x \\\" y\"; // \"kommentar und mehr\"\nlet b = \"z\";"),
            ["x \\\" y", "z"]
        );
    }
}

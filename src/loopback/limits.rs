//! Discord's documented payload limits, checked by the loopback server so that a test cannot pass
//! with a payload the real Discord would reject (command names, descriptions, message content,
//! embeds, components, modals and autocomplete choices).
//!
//! Lengths are counted in Unicode scalar values (`chars`), the way Discord counts them, never in
//! bytes. A violation becomes a [`LimitError`], which renders as Discord's own error body
//! (`50035 Invalid Form Body` with a nested `errors` object, or `50006` for an empty message), so
//! serenity parses it into `DiscordJsonError::errors` with a readable dotted path.
//!
//! Compared with Discord's OpenAPI description (`discord/discord-api-spec`, `specs/openapi.json`,
//! commit `74fda0f`): the field limits here match it, with these deliberate differences:
//! - `content`: the description allows 4,000 (the Nitro limit); bots get 2,000 (Discord's docs).
//! - String choice `value`: the description allows 6,000; Discord's docs say 100, kept (stricter).
//! - Top-level `components`: the description allows 40 (Components V2, flag `IS_COMPONENTS_V2`);
//!   the loopback supports only action rows, at most 5.
//!
//! Not in the description, from Discord's docs: command name rules, the 6,000-character embed
//! total, the upload size (see `LoopbackConfig::attachment_size_limit`).

use serde_json::{Map, Value, json};

/// Most commands an application may register in one scope (global, or one guild).
pub const MAX_COMMANDS: usize = 100;
/// Most options per command or subcommand, and most choices per option.
pub const MAX_OPTIONS: usize = 25;
/// Longest message content.
pub const MAX_CONTENT: usize = 2000;
/// Most embeds per message.
pub const MAX_EMBEDS: usize = 10;
/// Largest total of all embed text in one message.
pub const MAX_EMBED_TOTAL: usize = 6000;
/// Most action rows per message or modal.
pub const MAX_ROWS: usize = 5;
/// Most choices in an autocomplete answer.
pub const MAX_AUTOCOMPLETE_CHOICES: usize = 25;
/// Longest URL in an embed (link, image, author, footer icon).
pub const MAX_URL: usize = 2048;

/// One rejected field: where it is and why, plus the top-level Discord error code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitError {
    /// Top-level JSON error code (50035 Invalid Form Body, or 50006 Cannot send an empty message).
    pub code: u32,
    /// Path of the offending field, e.g. `["embeds", "0", "title"]`.
    pub path: Vec<String>,
    /// Discord-style error code of the field, e.g. `BASE_TYPE_MAX_LENGTH`.
    pub field_code: String,
    /// Human readable reason.
    pub message: String,
}

impl LimitError {
    fn new(path: &[String], field_code: &str, message: impl Into<String>) -> Self {
        Self {
            code: 50035,
            path: path.to_vec(),
            field_code: field_code.to_owned(),
            message: message.into(),
        }
    }

    /// Dotted path of the offending field, e.g. `embeds.0.title`.
    pub fn dotted_path(&self) -> String {
        self.path.join(".")
    }

    /// The JSON body Discord would answer with (HTTP 400).
    pub fn to_body(&self) -> Value {
        if self.code == 50006 {
            return json!({"code": 50006, "message": "Cannot send an empty message"});
        }
        // Discord nests the errors by path and puts the list under `_errors` at the leaf.
        let mut node = json!({"_errors": [{"code": self.field_code, "message": self.message}]});
        for key in self.path.iter().rev() {
            let mut m = Map::new();
            m.insert(key.clone(), node);
            node = Value::Object(m);
        }
        if self.path.is_empty() {
            node = json!({"_errors": [{"code": self.field_code, "message": self.message}]});
        }
        json!({"code": 50035, "message": "Invalid Form Body", "errors": node})
    }
}

impl std::fmt::Display for LimitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} at {}: {}",
            self.field_code,
            self.dotted_path(),
            self.message
        )
    }
}

impl std::error::Error for LimitError {}

type Res = Result<(), LimitError>;

fn push(path: &[String], key: impl ToString) -> Vec<String> {
    let mut p = path.to_vec();
    p.push(key.to_string());
    p
}

fn char_len(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

/// Checks an optional string field against a maximum length.
fn max_len(obj: &Value, key: &str, max: usize, path: &[String]) -> Res {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(()),
        Some(Value::String(s)) => {
            if s.chars().count() > max {
                Err(LimitError::new(
                    &push(path, key),
                    "BASE_TYPE_MAX_LENGTH",
                    format!("Must be {max} or fewer in length."),
                ))
            } else {
                Ok(())
            }
        }
        Some(_) => Err(LimitError::new(
            &push(path, key),
            "BASE_TYPE_STRING",
            "Must be a string.",
        )),
    }
}

/// Checks a required string field for a length in `min..=max`.
fn len_between(obj: &Value, key: &str, min: usize, max: usize, path: &[String]) -> Res {
    match obj.get(key) {
        Some(Value::String(s)) => {
            let n = s.chars().count();
            if n < min || n > max {
                Err(LimitError::new(
                    &push(path, key),
                    "BASE_TYPE_BAD_LENGTH",
                    format!("Must be between {min} and {max} in length."),
                ))
            } else {
                Ok(())
            }
        }
        None | Some(Value::Null) if min == 0 => Ok(()),
        None | Some(Value::Null) => Err(LimitError::new(
            &push(path, key),
            "BASE_TYPE_REQUIRED",
            "This field is required",
        )),
        Some(_) => Err(LimitError::new(
            &push(path, key),
            "BASE_TYPE_STRING",
            "Must be a string.",
        )),
    }
}

/// Checks an optional string field for a length in `min..=max` (absent is fine).
fn opt_len_between(obj: &Value, key: &str, min: usize, max: usize, path: &[String]) -> Res {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(()),
        Some(_) => len_between(obj, key, min, max, path),
    }
}

/// Checks an optional integer field for a value in `min..=max`.
fn int_between(obj: &Value, key: &str, min: i64, max: i64, path: &[String]) -> Res {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(()),
        Some(v) => match v.as_i64() {
            Some(n) if n < min => Err(LimitError::new(
                &push(path, key),
                "NUMBER_TYPE_MIN",
                format!("int value should be greater than or equal to {min}."),
            )),
            Some(n) if n > max => Err(LimitError::new(
                &push(path, key),
                "NUMBER_TYPE_MAX",
                format!("int value should be less than or equal to {max}."),
            )),
            Some(_) => Ok(()),
            None => Err(LimitError::new(
                &push(path, key),
                "NUMBER_TYPE_COERCE",
                "Value is not int.",
            )),
        },
    }
}

fn max_items(obj: &Value, key: &str, max: usize, path: &[String]) -> Res {
    if let Some(arr) = obj.get(key).and_then(Value::as_array)
        && arr.len() > max
    {
        return Err(LimitError::new(
            &push(path, key),
            "BASE_TYPE_MAX_LENGTH",
            format!("Must be {max} or fewer in length."),
        ));
    }
    Ok(())
}

fn array<'a>(obj: &'a Value, key: &str) -> &'a [Value] {
    obj.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Whether `name` is a valid CHAT_INPUT command or option name.
///
/// Discord's rule is `^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$`, and a letter that has a
/// lowercase variant must be given in lowercase. (For ASCII this is `^[-_a-z0-9']{1,32}$`.)
pub fn is_valid_command_name(name: &str) -> bool {
    let n = name.chars().count();
    (1..=32).contains(&n)
        && name.chars().all(|c| {
            let allowed = c == '-'
                || c == '_'
                || c == '\''
                || c.is_alphabetic()
                || c.is_numeric()
                || ('\u{0900}'..='\u{097F}').contains(&c)
                || ('\u{0E00}'..='\u{0E7F}').contains(&c);
            // "If there is a lowercase variant of any letters used, you must use those."
            allowed && !c.is_uppercase()
        })
}

fn check_name(obj: &Value, path: &[String], chat_input: bool) -> Res {
    let name_ok = |s: &str| {
        if chat_input {
            is_valid_command_name(s)
        } else {
            (1..=32).contains(&s.chars().count())
        }
    };
    match obj.get("name").and_then(Value::as_str) {
        Some(s) if name_ok(s) => {}
        Some(_) => {
            return Err(LimitError::new(
                &push(path, "name"),
                "APPLICATION_COMMAND_INVALID_NAME",
                "Command name is invalid",
            ));
        }
        None => {
            return Err(LimitError::new(
                &push(path, "name"),
                "BASE_TYPE_REQUIRED",
                "This field is required",
            ));
        }
    }
    if let Some(locs) = obj.get("name_localizations").and_then(Value::as_object) {
        for (locale, v) in locs {
            let p = push(&push(path, "name_localizations"), locale);
            if !v.as_str().is_some_and(name_ok) {
                return Err(LimitError::new(
                    &p,
                    "APPLICATION_COMMAND_INVALID_NAME",
                    "Command name is invalid",
                ));
            }
        }
    }
    Ok(())
}

fn check_description(obj: &Value, path: &[String], required: bool) -> Res {
    if required {
        len_between(obj, "description", 1, 100, path)?;
    } else {
        max_len(obj, "description", 100, path)?;
    }
    if let Some(locs) = obj
        .get("description_localizations")
        .and_then(Value::as_object)
    {
        let lp = push(path, "description_localizations");
        for (locale, v) in locs {
            let n = char_len(v);
            if !(1..=100).contains(&n) {
                return Err(LimitError::new(
                    &push(&lp, locale),
                    "BASE_TYPE_BAD_LENGTH",
                    "Must be between 1 and 100 in length.",
                ));
            }
        }
    }
    Ok(())
}

fn check_unique_names(items: &[Value], path: &[String], code: &str) -> Res {
    let mut seen = std::collections::HashSet::new();
    for (i, item) in items.iter().enumerate() {
        if let Some(name) = item.get("name").and_then(Value::as_str)
            && !seen.insert(name)
        {
            return Err(LimitError::new(
                &push(path, i),
                code,
                format!("Application command names must be unique ({name})"),
            ));
        }
    }
    Ok(())
}

fn check_options(parent: &Value, path: &[String], depth: u8) -> Res {
    let options = array(parent, "options");
    if options.len() > MAX_OPTIONS {
        return Err(LimitError::new(
            &push(path, "options"),
            "BASE_TYPE_MAX_LENGTH",
            format!("Must be {MAX_OPTIONS} or fewer in length."),
        ));
    }
    let op = push(path, "options");
    check_unique_names(
        options,
        &op,
        "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS",
    )?;
    let mut seen_optional = false;
    for (i, opt) in options.iter().enumerate() {
        let p = push(&op, i);
        check_name(opt, &p, true)?;
        check_description(opt, &p, true)?;
        let kind = opt.get("type").and_then(Value::as_u64).unwrap_or(0);
        if kind == 1 || kind == 2 {
            // Subcommand (1) / group (2): recurse. Groups may only nest one level.
            if depth >= 2 || (kind == 2 && depth >= 1) {
                return Err(LimitError::new(
                    &push(&p, "type"),
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "Subcommands cannot be nested this deep",
                ));
            }
            check_options(opt, &p, depth + 1)?;
            continue;
        }
        // Discord requires all required options to come before optional ones.
        let required = opt.get("required").and_then(Value::as_bool) == Some(true);
        if required && seen_optional {
            return Err(LimitError::new(
                &p,
                "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                "Required options must be placed before non-required options",
            ));
        }
        seen_optional |= !required;
        let choices = array(opt, "choices");
        if choices.len() > MAX_OPTIONS {
            return Err(LimitError::new(
                &push(&p, "choices"),
                "BASE_TYPE_MAX_LENGTH",
                format!("Must be {MAX_OPTIONS} or fewer in length."),
            ));
        }
        for (j, choice) in choices.iter().enumerate() {
            check_choice(choice, &push(&push(&p, "choices"), j))?;
        }
    }
    Ok(())
}

fn check_choice(choice: &Value, path: &[String]) -> Res {
    len_between(choice, "name", 1, 100, path)?;
    if let Some(locs) = choice.get("name_localizations").and_then(Value::as_object) {
        for (locale, v) in locs {
            if !(1..=100).contains(&char_len(v)) {
                return Err(LimitError::new(
                    &push(&push(path, "name_localizations"), locale),
                    "BASE_TYPE_BAD_LENGTH",
                    "Must be between 1 and 100 in length.",
                ));
            }
        }
    }
    if choice.get("value").is_some_and(Value::is_string) {
        max_len(choice, "value", 100, path)?;
    }
    Ok(())
}

/// Validates one application command as sent in a bulk overwrite (`path` is its position).
pub fn check_command(cmd: &Value, path: &[String]) -> Res {
    let kind = cmd.get("type").and_then(Value::as_u64).unwrap_or(1);
    let chat_input = kind == 1;
    check_name(cmd, path, chat_input)?;
    // User (2) and message (3) commands have an empty description; chat input needs 1..=100.
    check_description(cmd, path, chat_input)?;
    if chat_input {
        check_options(cmd, path, 0)?;
    }
    Ok(())
}

/// Validates a bulk overwrite body (`PUT .../commands`): an array of at most 100 commands.
pub fn check_commands(body: &Value) -> Res {
    let Some(list) = body.as_array() else {
        return Err(LimitError::new(
            &[],
            "BASE_TYPE_ARRAY",
            "Must be an array of commands.",
        ));
    };
    if list.len() > MAX_COMMANDS {
        return Err(LimitError::new(
            &[],
            "BASE_TYPE_MAX_LENGTH",
            format!("Must be {MAX_COMMANDS} or fewer in length."),
        ));
    }
    check_unique_names(list, &[], "APPLICATION_COMMANDS_DUPLICATE_NAME")?;
    for (i, cmd) in list.iter().enumerate() {
        check_command(cmd, &[i.to_string()])?;
    }
    Ok(())
}

fn check_embeds(body: &Value) -> Res {
    let embeds = array(body, "embeds");
    if embeds.len() > MAX_EMBEDS {
        return Err(LimitError::new(
            &["embeds".to_owned()],
            "BASE_TYPE_MAX_LENGTH",
            format!("Must be {MAX_EMBEDS} or fewer in length."),
        ));
    }
    let mut total = 0usize;
    for (i, e) in embeds.iter().enumerate() {
        let p = vec!["embeds".to_owned(), i.to_string()];
        max_len(e, "title", 256, &p)?;
        max_len(e, "description", 4096, &p)?;
        // URL lengths and the colour range are from Discord's OpenAPI description.
        max_len(e, "url", MAX_URL, &p)?;
        int_between(e, "color", 0, 0xFF_FFFF, &p)?;
        for media in ["image", "thumbnail", "video"] {
            if let Some(m) = e.get(media).filter(|v| v.is_object()) {
                max_len(m, "url", MAX_URL, &push(&p, media))?;
            }
        }
        total += char_len(&e["title"]) + char_len(&e["description"]);
        let fields = array(e, "fields");
        if fields.len() > 25 {
            return Err(LimitError::new(
                &push(&p, "fields"),
                "BASE_TYPE_MAX_LENGTH",
                "Must be 25 or fewer in length.",
            ));
        }
        for (j, f) in fields.iter().enumerate() {
            let fp = push(&push(&p, "fields"), j);
            len_between(f, "name", 1, 256, &fp)?;
            len_between(f, "value", 1, 1024, &fp)?;
            total += char_len(&f["name"]) + char_len(&f["value"]);
        }
        if let Some(footer) = e.get("footer").filter(|v| v.is_object()) {
            max_len(footer, "text", 2048, &push(&p, "footer"))?;
            max_len(footer, "icon_url", MAX_URL, &push(&p, "footer"))?;
            total += char_len(&footer["text"]);
        }
        if let Some(author) = e.get("author").filter(|v| v.is_object()) {
            max_len(author, "name", 256, &push(&p, "author"))?;
            for key in ["url", "icon_url"] {
                max_len(author, key, MAX_URL, &push(&p, "author"))?;
            }
            total += char_len(&author["name"]);
        }
    }
    if total > MAX_EMBED_TOTAL {
        return Err(LimitError::new(
            &["embeds".to_owned()],
            "MAX_EMBED_SIZE_EXCEEDED",
            format!("Embed size exceeds maximum size of {MAX_EMBED_TOTAL}"),
        ));
    }
    Ok(())
}

/// Component types that are select menus (string, user, role, mentionable, channel).
fn is_select(kind: u64) -> bool {
    matches!(kind, 3 | 5 | 6 | 7 | 8)
}

fn check_message_components(body: &Value) -> Res {
    let rows = array(body, "components");
    let rp = vec!["components".to_owned()];
    if rows.len() > MAX_ROWS {
        return Err(LimitError::new(
            &rp,
            "BASE_TYPE_MAX_LENGTH",
            format!("Must be {MAX_ROWS} or fewer in length."),
        ));
    }
    for (i, row) in rows.iter().enumerate() {
        let p = push(&rp, i);
        if row.get("type").and_then(Value::as_u64) != Some(1) {
            return Err(LimitError::new(
                &push(&p, "type"),
                "UNION_TYPE_CHOICES",
                "Top-level components must be action rows (type 1).",
            ));
        }
        let children = array(row, "components");
        let cp = push(&p, "components");
        if children.is_empty() {
            return Err(LimitError::new(
                &cp,
                "BASE_TYPE_MIN_LENGTH",
                "Must be 1 or more in length.",
            ));
        }
        let selects = children
            .iter()
            .filter(|c| is_select(c["type"].as_u64().unwrap_or(0)))
            .count();
        if selects > 0 && children.len() > 1 {
            return Err(LimitError::new(
                &cp,
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "A select menu must be alone in its action row.",
            ));
        }
        if children.len() > 5 {
            return Err(LimitError::new(
                &cp,
                "BASE_TYPE_MAX_LENGTH",
                "Must be 5 or fewer in length.",
            ));
        }
        for (j, c) in children.iter().enumerate() {
            let p = push(&cp, j);
            let kind = c["type"].as_u64().unwrap_or(0);
            opt_len_between(c, "custom_id", 1, 100, &p)?;
            match kind {
                2 => {
                    max_len(c, "label", 80, &p)?;
                    max_len(c, "url", 512, &p)?;
                    // Non-link buttons (style 5 is link, 6 is premium) need a custom_id.
                    let style = c["style"].as_u64().unwrap_or(0);
                    if style != 5 && style != 6 && c.get("custom_id").is_none_or(Value::is_null) {
                        return Err(LimitError::new(
                            &push(&p, "custom_id"),
                            "BASE_TYPE_REQUIRED",
                            "This field is required",
                        ));
                    }
                }
                k if is_select(k) => {
                    max_len(c, "placeholder", 150, &p)?;
                    int_between(c, "min_values", 0, 25, &p)?;
                    int_between(c, "max_values", 1, 25, &p)?;
                    if k == 3 {
                        let opts = array(c, "options");
                        if opts.is_empty() || opts.len() > 25 {
                            return Err(LimitError::new(
                                &push(&p, "options"),
                                "BASE_TYPE_BAD_LENGTH",
                                "Must be between 1 and 25 in length.",
                            ));
                        }
                        for (k, o) in opts.iter().enumerate() {
                            let op = push(&push(&p, "options"), k);
                            len_between(o, "label", 1, 100, &op)?;
                            len_between(o, "value", 1, 100, &op)?;
                            max_len(o, "description", 100, &op)?;
                        }
                    }
                }
                _ => {
                    return Err(LimitError::new(
                        &push(&p, "type"),
                        "UNION_TYPE_CHOICES",
                        format!("Component type {kind} is not allowed in a message."),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Validates a message body (channel message, interaction response data, follow-up or edit).
///
/// `require_content` demands that the message carries content, embeds or components (plus the
/// rarer attachments, stickers or poll); edits check that on the merged result instead.
pub fn check_message(body: &Value, require_content: bool) -> Res {
    max_len(body, "content", MAX_CONTENT, &[])?;
    max_items(body, "sticker_ids", 3, &[])?;
    if let Some(mentions) = body.get("allowed_mentions").filter(|v| v.is_object()) {
        for key in ["users", "roles"] {
            max_items(mentions, key, 100, &["allowed_mentions".to_owned()])?;
        }
    }
    check_embeds(body)?;
    check_message_components(body)?;
    if require_content && is_empty_message(body) {
        return Err(LimitError {
            code: 50006,
            path: Vec::new(),
            field_code: "EMPTY_MESSAGE".to_owned(),
            message: "Cannot send an empty message".to_owned(),
        });
    }
    Ok(())
}

/// Whether a message has nothing to show (no content, embeds, components, files, stickers, poll).
pub fn is_empty_message(body: &Value) -> bool {
    let content_empty = body["content"].as_str().is_none_or(str::is_empty);
    let non_empty = |k: &str| {
        body.get(k)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
    };
    content_empty
        && !non_empty("embeds")
        && !non_empty("components")
        && !non_empty("attachments")
        && !non_empty("sticker_ids")
        && body.get("poll").is_none_or(Value::is_null)
}

/// Validates a modal (interaction response type 9 `data`).
pub fn check_modal(data: &Value) -> Res {
    len_between(data, "title", 1, 45, &[])?;
    len_between(data, "custom_id", 1, 100, &[])?;
    let rows = array(data, "components");
    if rows.is_empty() || rows.len() > MAX_ROWS {
        return Err(LimitError::new(
            &["components".to_owned()],
            "BASE_TYPE_BAD_LENGTH",
            format!("Must be between 1 and {MAX_ROWS} in length."),
        ));
    }
    for (i, row) in rows.iter().enumerate() {
        let p = vec!["components".to_owned(), i.to_string()];
        let children = array(row, "components");
        if row["type"].as_u64() != Some(1) || children.len() != 1 {
            return Err(LimitError::new(
                &push(&p, "components"),
                "BASE_TYPE_BAD_LENGTH",
                "Each modal action row must hold exactly one text input.",
            ));
        }
        let ti = &children[0];
        let tp = push(&push(&p, "components"), 0);
        if ti["type"].as_u64() != Some(4) {
            return Err(LimitError::new(
                &push(&tp, "type"),
                "UNION_TYPE_CHOICES",
                "Modals only accept text inputs (type 4).",
            ));
        }
        len_between(ti, "label", 1, 45, &tp)?;
        len_between(ti, "custom_id", 1, 100, &tp)?;
        max_len(ti, "placeholder", 100, &tp)?;
        max_len(ti, "value", 4000, &tp)?;
        for key in ["min_length", "max_length"] {
            if let Some(n) = ti.get(key).and_then(Value::as_u64)
                && n > 4000
            {
                return Err(LimitError::new(
                    &push(&tp, key),
                    "NUMBER_TYPE_MAX",
                    "int value should be less than or equal to 4000.",
                ));
            }
        }
    }
    Ok(())
}

/// Validates an autocomplete result (interaction response type 8 `data`).
pub fn check_autocomplete(data: &Value) -> Res {
    max_items(data, "choices", MAX_AUTOCOMPLETE_CHOICES, &[])?;
    for (i, c) in array(data, "choices").iter().enumerate() {
        check_choice(c, &["choices".to_owned(), i.to_string()])?;
    }
    Ok(())
}

/// Validates an interaction callback body by its type, prefixing paths with `data`.
pub fn check_interaction_response(body: &Value) -> Res {
    let kind = body["type"].as_u64().unwrap_or(0);
    let null = Value::Null;
    let data = body.get("data").unwrap_or(&null);
    let res = match kind {
        1 | 5 | 6 => Ok(()),
        4 => check_message(data, true),
        7 => check_message(data, false),
        8 => check_autocomplete(data),
        9 => check_modal(data),
        _ => Err(LimitError::new(
            &["type".to_owned()],
            "BASE_TYPE_CHOICES",
            format!("Value must be one of (1, 4, 5, 6, 7, 8, 9, 10, 12); got {kind}."),
        )),
    };
    res.map_err(|mut e| {
        if e.code == 50035 && kind != 0 && !(e.path.len() == 1 && e.path[0] == "type") {
            e.path.insert(0, "data".to_owned());
        }
        e
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(name: &str, desc: &str) -> Value {
        json!({"name": name, "description": desc, "type": 1})
    }

    #[test]
    fn command_names_follow_discord_regex() {
        assert!(is_valid_command_name("ping"));
        assert!(is_valid_command_name("set-rate_2"));
        assert!(is_valid_command_name("übersicht"));
        assert!(!is_valid_command_name("Ping"));
        assert!(!is_valid_command_name("Übersicht"));
        assert!(!is_valid_command_name("two words"));
        assert!(!is_valid_command_name(""));
        assert!(is_valid_command_name(&"a".repeat(32)));
        assert!(!is_valid_command_name(&"a".repeat(33)));
        // 32 multi-byte chars are fine: chars, not bytes.
        assert!(is_valid_command_name(&"ä".repeat(32)));
    }

    #[test]
    fn commands_reject_uppercase_long_descriptions_and_localizations() {
        assert!(check_commands(&json!([cmd("ping", "Pong!")])).is_ok());
        let e = check_commands(&json!([cmd("ping", "x"), cmd("Pong", "x")])).unwrap_err();
        assert_eq!(e.dotted_path(), "1.name");
        let e = check_commands(&json!([cmd("ping", &"x".repeat(101))])).unwrap_err();
        assert_eq!(e.dotted_path(), "0.description");
        assert!(check_commands(&json!([cmd("ping", &"ö".repeat(100))])).is_ok());
        let e = check_commands(&json!([cmd("ping", "")])).unwrap_err();
        assert_eq!(e.dotted_path(), "0.description");
        let mut c = cmd("ping", "x");
        c["name_localizations"] = json!({"de": "Pingen"});
        let e = check_commands(&json!([c])).unwrap_err();
        assert_eq!(e.dotted_path(), "0.name_localizations.de");
        let mut c = cmd("ping", "x");
        c["description_localizations"] = json!({"de": "y".repeat(101)});
        assert!(check_commands(&json!([c])).is_err());
        let e = check_commands(&json!([cmd("a", "x"), cmd("a", "y")])).unwrap_err();
        assert_eq!(e.field_code, "APPLICATION_COMMANDS_DUPLICATE_NAME");
        // Context-menu commands may use capitals and spaces and have no description.
        assert!(
            check_commands(&json!([{"name": "Show Profile", "type": 2, "description": ""}]))
                .is_ok()
        );
    }

    #[test]
    fn command_count_options_and_choices_are_capped() {
        let many: Vec<Value> = (0..101).map(|i| cmd(&format!("c{i}"), "x")).collect();
        assert!(check_commands(&Value::Array(many)).is_err());
        let opts: Vec<Value> = (0..26)
            .map(|i| json!({"type": 3, "name": format!("o{i}"), "description": "d"}))
            .collect();
        let mut c = cmd("ping", "x");
        c["options"] = Value::Array(opts[..25].to_vec());
        assert!(check_commands(&json!([c.clone()])).is_ok());
        c["options"] = Value::Array(opts);
        assert_eq!(
            check_commands(&json!([c])).unwrap_err().dotted_path(),
            "0.options"
        );
        let choices: Vec<Value> = (0..26)
            .map(|i| json!({"name": format!("n{i}"), "value": "v"}))
            .collect();
        let mut c = cmd("ping", "x");
        c["options"] = json!([{"type": 3, "name": "o", "description": "d", "choices": choices}]);
        assert_eq!(
            check_commands(&json!([c])).unwrap_err().dotted_path(),
            "0.options.0.choices"
        );
        // Nested subcommand option with an invalid name.
        let mut c = cmd("admin", "x");
        c["options"] = json!([{"type": 1, "name": "add", "description": "d",
            "options": [{"type": 3, "name": "Who", "description": "d"}]}]);
        assert_eq!(
            check_commands(&json!([c])).unwrap_err().dotted_path(),
            "0.options.0.options.0.name"
        );
        // Required after optional is rejected.
        let mut c = cmd("ping", "x");
        c["options"] = json!([
            {"type": 3, "name": "a", "description": "d"},
            {"type": 3, "name": "b", "description": "d", "required": true}
        ]);
        assert!(check_commands(&json!([c])).is_err());
    }

    #[test]
    fn message_content_counts_chars() {
        assert!(check_message(&json!({"content": "é".repeat(2000)}), true).is_ok());
        let e = check_message(&json!({"content": "é".repeat(2001)}), true).unwrap_err();
        assert_eq!(e.dotted_path(), "content");
        assert_eq!(e.to_body()["code"], 50035);
        assert_eq!(
            e.to_body()["errors"]["content"]["_errors"][0]["code"],
            "BASE_TYPE_MAX_LENGTH"
        );
        let e = check_message(&json!({"content": ""}), true).unwrap_err();
        assert_eq!(e.code, 50006);
        assert_eq!(e.to_body()["code"], 50006);
        assert!(check_message(&json!({"embeds": [{"title": "t"}]}), true).is_ok());
        assert!(check_message(&json!({}), false).is_ok());
    }

    #[test]
    fn embed_limits() {
        let ok = json!({"title": "t".repeat(256), "description": "d".repeat(4096)});
        assert!(check_message(&json!({"embeds": [ok]}), true).is_ok());
        let bad = json!({"embeds": [{"title": "t".repeat(257)}]});
        assert_eq!(
            check_message(&bad, true).unwrap_err().dotted_path(),
            "embeds.0.title"
        );
        let fields: Vec<Value> = (0..26)
            .map(|_| json!({"name": "n", "value": "v"}))
            .collect();
        assert!(check_message(&json!({"embeds": [{"fields": fields}]}), true).is_err());
        let bad = json!({"embeds": [{"fields": [{"name": "n", "value": "v".repeat(1025)}]}]});
        assert_eq!(
            check_message(&bad, true).unwrap_err().dotted_path(),
            "embeds.0.fields.0.value"
        );
        let bad = json!({"embeds": [{"footer": {"text": "f".repeat(2049)}}]});
        assert!(check_message(&bad, true).is_err());
        let bad = json!({"embeds": [{"author": {"name": "a".repeat(257)}}]});
        assert!(check_message(&bad, true).is_err());
        let eleven: Vec<Value> = (0..11).map(|_| json!({"title": "t"})).collect();
        assert!(check_message(&json!({"embeds": eleven}), true).is_err());
        // Two embeds of 4000 chars each: each fine, total 8000 > 6000.
        let big = json!({"description": "d".repeat(4000)});
        let e = check_message(&json!({"embeds": [big.clone(), big]}), true).unwrap_err();
        assert_eq!(e.field_code, "MAX_EMBED_SIZE_EXCEEDED");
    }

    #[test]
    fn limits_from_the_openapi_description() {
        let long_url = format!("https://x/{}", "u".repeat(2040));
        let bad = json!({"embeds": [{"url": long_url}]});
        assert_eq!(
            check_message(&bad, true).unwrap_err().dotted_path(),
            "embeds.0.url"
        );
        let bad = json!({"embeds": [{"title": "t", "image": {"url": long_url}}]});
        assert_eq!(
            check_message(&bad, true).unwrap_err().dotted_path(),
            "embeds.0.image.url"
        );
        let bad = json!({"embeds": [{"title": "t", "color": 0x0100_0000}]});
        assert_eq!(
            check_message(&bad, true).unwrap_err().field_code,
            "NUMBER_TYPE_MAX"
        );
        assert!(
            check_message(
                &json!({"embeds": [{"title": "t", "color": 0xFF_FFFF}]}),
                true
            )
            .is_ok()
        );
        let row = |c: Value| json!({"components": [{"type": 1, "components": [c]}]});
        let e = check_message(&row(json!({"type": 2, "style": 1, "custom_id": ""})), true);
        assert_eq!(
            e.unwrap_err().dotted_path(),
            "components.0.components.0.custom_id"
        );
        let link = json!({"type": 2, "style": 5, "label": "l", "url": "u".repeat(513)});
        assert_eq!(
            check_message(&row(link), true).unwrap_err().dotted_path(),
            "components.0.components.0.url"
        );
        let select = json!({"type": 3, "custom_id": "s", "max_values": 26,
            "options": [{"label": "a", "value": "a"}]});
        assert_eq!(
            check_message(&row(select), true).unwrap_err().dotted_path(),
            "components.0.components.0.max_values"
        );
        let stickers = json!({"sticker_ids": ["1", "2", "3", "4"]});
        assert!(check_message(&stickers, true).is_err());
        let users: Vec<String> = (0..101).map(|i| i.to_string()).collect();
        let bad = json!({"content": "x", "allowed_mentions": {"users": users}});
        assert_eq!(
            check_message(&bad, true).unwrap_err().dotted_path(),
            "allowed_mentions.users"
        );
    }

    #[test]
    fn component_limits() {
        let button = |id: &str| json!({"type": 2, "style": 1, "label": "b", "custom_id": id});
        let row = |c: Vec<Value>| json!({"type": 1, "components": c});
        let five = row((0..5).map(|i| button(&format!("b{i}"))).collect());
        assert!(check_message(&json!({"components": [five.clone()]}), true).is_ok());
        let six = row((0..6).map(|i| button(&format!("b{i}"))).collect());
        assert!(check_message(&json!({"components": [six]}), true).is_err());
        let rows: Vec<Value> = (0..6).map(|_| five.clone()).collect();
        assert!(check_message(&json!({"components": rows}), true).is_err());
        let long_label = json!({"type": 2, "style": 1, "label": "l".repeat(81), "custom_id": "x"});
        assert!(check_message(&json!({"components": [row(vec![long_label])]}), true).is_err());
        let long_id = json!({"type": 2, "style": 1, "label": "l", "custom_id": "x".repeat(101)});
        assert!(check_message(&json!({"components": [row(vec![long_id])]}), true).is_err());
        let opt = |v: &str| json!({"label": v, "value": v});
        let select = json!({"type": 3, "custom_id": "s",
            "options": (0..25).map(|i| opt(&format!("o{i}"))).collect::<Vec<_>>()});
        assert!(check_message(&json!({"components": [row(vec![select.clone()])]}), true).is_ok());
        let e = check_message(
            &json!({"components": [row(vec![select, button("b")])]}),
            true,
        )
        .unwrap_err();
        assert_eq!(e.field_code, "COMPONENT_LAYOUT_WIDTH_EXCEEDED");
        let select26 = json!({"type": 3, "custom_id": "s",
            "options": (0..26).map(|i| opt(&format!("o{i}"))).collect::<Vec<_>>()});
        assert!(check_message(&json!({"components": [row(vec![select26])]}), true).is_err());
        let long_opt = json!({"type": 3, "custom_id": "s", "options": [opt(&"v".repeat(101))]});
        assert!(check_message(&json!({"components": [row(vec![long_opt])]}), true).is_err());
    }

    #[test]
    fn modal_and_autocomplete_limits() {
        let input = |label: &str| {
            json!({"type": 1, "components": [
            {"type": 4, "custom_id": "f", "style": 1, "label": label}]})
        };
        let ok = json!({"title": "t", "custom_id": "m", "components": [input("Name")]});
        assert!(check_modal(&ok).is_ok());
        let bad = json!({"title": "t".repeat(46), "custom_id": "m", "components": [input("x")]});
        assert_eq!(check_modal(&bad).unwrap_err().dotted_path(), "title");
        let bad = json!({"title": "t", "custom_id": "m", "components": [input(&"l".repeat(46))]});
        assert_eq!(
            check_modal(&bad).unwrap_err().dotted_path(),
            "components.0.components.0.label"
        );
        let rows: Vec<Value> = (0..6).map(|_| input("x")).collect();
        assert!(check_modal(&json!({"title": "t", "custom_id": "m", "components": rows})).is_err());
        let choices: Vec<Value> = (0..26).map(|i| json!({"name": "n", "value": i})).collect();
        let e = check_interaction_response(&json!({"type": 8, "data": {"choices": choices}}))
            .unwrap_err();
        assert_eq!(e.dotted_path(), "data.choices");
        assert!(check_interaction_response(&json!({"type": 4, "data": {"content": "hi"}})).is_ok());
        assert_eq!(
            check_interaction_response(&json!({"type": 4, "data": {}}))
                .unwrap_err()
                .code,
            50006
        );
    }
}

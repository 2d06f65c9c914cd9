//! Discord messages as a terminal shows them in the sandbox: mentions as the names Discord
//! would show ("@Anna Becker", "@VPA Manager", "#umfragen"), embeds as readable blocks, buttons
//! in brackets, select menus with their options.

use std::collections::HashMap;

use serde_json::Value;

/// Names for ids: members, roles, channels.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub users: HashMap<u64, String>,
    pub roles: HashMap<u64, String>,
    pub channels: HashMap<u64, String>,
}

impl Names {
    /// `text` with every `<@id>`, `<@!id>`, `<@&id>` and `<#id>` replaced by its name.
    pub fn resolve(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find('<') {
            out.push_str(&rest[..start]);
            let tail = &rest[start..];
            match mention(tail).map(|(kind, id, len)| {
                let name = match kind {
                    '@' => self.users.get(&id).map(|n| format!("@{n}")),
                    '&' => self.roles.get(&id).map(|n| format!("@{n}")),
                    _ => self.channels.get(&id).map(|n| format!("#{n}")),
                };
                (name.unwrap_or_else(|| tail[..len].to_string()), len)
            }) {
                Some((name, len)) => {
                    out.push_str(&name);
                    rest = &tail[len..];
                }
                None => {
                    out.push('<');
                    rest = &tail[1..];
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// A mention at the start of `text`: its kind ('@' user, '&' role, '#' channel), id and length.
fn mention(text: &str) -> Option<(char, u64, usize)> {
    let body = text.strip_prefix('<')?;
    let (kind, digits) = if let Some(r) = body.strip_prefix("@&") {
        ('&', r)
    } else if let Some(r) = body.strip_prefix("@!") {
        ('@', r)
    } else if let Some(r) = body.strip_prefix('@') {
        ('@', r)
    } else if let Some(r) = body.strip_prefix('#') {
        ('#', r)
    } else {
        return None;
    };
    let end = digits.find('>')?;
    let id = digits[..end].parse().ok()?;
    Some((kind, id, text.len() - digits.len() + end + 1))
}

/// Every component of a message (in rows).
pub fn components(message: &Value) -> impl Iterator<Item = Value> + '_ {
    message["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
}

/// The labels and custom ids of a message's buttons that can be pressed, in order.
pub fn buttons(message: &Value) -> Vec<(String, String)> {
    components(message)
        .filter(|c| c["type"] == 2 && c["disabled"] != true)
        .filter_map(|c| {
            Some((
                c["label"].as_str()?.to_string(),
                c["custom_id"].as_str()?.to_string(),
            ))
        })
        .collect()
}

/// A message as indented lines: content, embeds (title, description, fields, footer), files,
/// buttons in brackets, selects with their options.
pub fn message(names: &Names, message: &Value) -> String {
    let mut out = Vec::new();
    let mut line = |text: &str| {
        for l in text.lines() {
            out.push(format!("   │ {l}"));
        }
    };
    if let Some(content) = message["content"].as_str().filter(|c| !c.is_empty()) {
        line(&names.resolve(content));
    }
    for embed in message["embeds"].as_array().into_iter().flatten() {
        if let Some(title) = embed["title"].as_str() {
            line(&format!("▌ {}", names.resolve(title)));
        }
        if let Some(d) = embed["description"].as_str() {
            line(&format!("▌ {}", names.resolve(d).replace('\n', "\n▌ ")));
        }
        for field in embed["fields"].as_array().into_iter().flatten() {
            let name = names.resolve(field["name"].as_str().unwrap_or_default());
            let value = names.resolve(field["value"].as_str().unwrap_or_default());
            line(&format!("▌ {name}: {}", value.replace('\n', "\n▌   ")));
        }
        if let Some(footer) = embed["footer"]["text"].as_str() {
            line(&format!("▌ {}", names.resolve(footer)));
        }
    }
    for file in message["attachments"].as_array().into_iter().flatten() {
        if let Some(name) = file["filename"].as_str() {
            line(&format!("📎 {name}"));
        }
    }
    let mut buttons = Vec::new();
    for c in components(message) {
        if c["type"] == 2 {
            // A button that can no longer be pressed shows crossed out, as Discord greys it.
            let label = c["label"].as_str().unwrap_or("?");
            if c["disabled"] == true {
                buttons.push(format!("[✗ {label}]"));
            } else {
                buttons.push(format!("[{label}]"));
            }
        } else if c["type"] == 3 {
            let options: Vec<String> = c["options"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|o| {
                    let mark = if o["default"] == true { "☑" } else { "☐" };
                    format!("{mark} {}", o["label"].as_str().unwrap_or("?"))
                })
                .collect();
            line(&format!(
                "▼ {}: {}",
                c["placeholder"].as_str().unwrap_or(""),
                options.join(" · ")
            ));
        }
    }
    if !buttons.is_empty() {
        line(&buttons.join(" "));
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_become_the_names_discord_shows() {
        let mut names = Names::default();
        names.users.insert(200, "Anna Becker".into());
        names.roles.insert(21, "VPA Manager".into());
        names.channels.insert(10, "umfragen".into());
        assert_eq!(
            names.resolve("<@200> <@!200>, <@&21> in <#10>; <@999> <x> <@12"),
            "@Anna Becker @Anna Becker, @VPA Manager in #umfragen; <@999> <x> <@12"
        );
    }

    #[test]
    fn a_message_reads_as_blocks_with_buttons_in_brackets() {
        let names = Names::default();
        let m = serde_json::json!({
            "content": "Hallo",
            "embeds": [{"title": "Aufgabe #1", "fields": [{"name": "Stunden", "value": "8"}],
                        "footer": {"text": "✅ 1"}}],
            "components": [{"type": 1, "components": [
                {"type": 2, "label": "Annehmen", "custom_id": "a"},
                {"type": 2, "label": "Ablehnen", "custom_id": "d"}]}]
        });
        assert_eq!(
            message(&names, &m),
            "   │ Hallo\n   │ ▌ Aufgabe #1\n   │ ▌ Stunden: 8\n   │ ▌ ✅ 1\n   │ [Annehmen] [Ablehnen]"
        );
        assert_eq!(buttons(&m)[1], ("Ablehnen".to_string(), "d".to_string()));
    }
}

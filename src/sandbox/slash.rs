//! A slash command typed as a line (`/task new client:"Kanzlei Berger" hours:8`) turned into
//! the interaction Discord's client would send, read from the commands the bot registered:
//! names in English or German (their localizations), options by type, choices by name, and the
//! client's own refusals (unknown command or option, a required option missing, a value of the
//! wrong type or out of range) before anything reaches the bot.

use poise::serenity_prelude::CommandOptionType;
use serde_json::Value;

use crate::loopback::fixtures::{FakeUser, Opt};

/// A registered option's type, as serenity reads Discord's number for it.
fn option_type(option: &Value) -> Option<CommandOptionType> {
    let number = u8::try_from(option["type"].as_u64()?).ok()?;
    Some(CommandOptionType::from(number))
}

/// A command line ready to send: the command's and subcommands' names and typed options.
#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    pub name: String,
    pub path: Vec<String>,
    pub options: Vec<(String, Opt)>,
}

/// What Discord's client refuses before sending, with what is accepted.
#[derive(Debug, Clone, PartialEq)]
pub enum Refused {
    Empty,
    UnknownCommand {
        input: String,
        known: Vec<String>,
    },
    NotAllowed {
        command: String,
    },
    NeedsSubcommand {
        command: String,
        known: Vec<String>,
    },
    UnknownSubcommand {
        command: String,
        input: String,
        known: Vec<String>,
    },
    UnknownOption {
        command: String,
        input: String,
        known: Vec<String>,
    },
    ValueWithoutOption {
        command: String,
        input: String,
        known: Vec<String>,
    },
    Twice {
        option: String,
    },
    Missing {
        option: String,
    },
    Blank {
        option: String,
    },
    NotInteger {
        option: String,
        input: String,
    },
    NotNumber {
        option: String,
        input: String,
    },
    NotBoolean {
        option: String,
        input: String,
    },
    NotChoice {
        option: String,
        input: String,
        known: Vec<String>,
    },
    TooSmall {
        option: String,
        min: String,
    },
    TooLarge {
        option: String,
        max: String,
    },
    TooShort {
        option: String,
        min: u64,
    },
    TooLong {
        option: String,
        max: u64,
    },
    NotMember {
        option: String,
        input: String,
    },
}

/// Reads `line` (with or without its leading "/") against the registered `commands`, as a
/// member with `permissions`; `member` finds the member a user option names.
pub fn read(
    line: &str,
    commands: &[Value],
    permissions: u64,
    member: &dyn Fn(&str) -> Option<FakeUser>,
) -> Result<Invocation, Refused> {
    let words = words(line.trim().trim_start_matches('/'));
    let mut words = words.into_iter();
    let Some(first) = words.next() else {
        return Err(Refused::Empty);
    };
    let command =
        commands
            .iter()
            .find(|c| named(c, &first))
            .ok_or_else(|| Refused::UnknownCommand {
                input: first.clone(),
                known: commands.iter().map(|c| format!("/{}", name(c))).collect(),
            })?;
    let mut shown = format!("/{}", name(command));
    if let Some(needed) = command["default_member_permissions"]
        .as_str()
        .and_then(|p| p.parse::<u64>().ok())
        && needed & permissions != needed
    {
        return Err(Refused::NotAllowed { command: shown });
    }
    let mut node = command;
    let mut path = Vec::new();
    let mut rest: Vec<String> = words.collect();
    loop {
        let subs: Vec<&Value> = options_of(node)
            .filter(|o| {
                matches!(
                    option_type(o),
                    Some(CommandOptionType::SubCommand | CommandOptionType::SubCommandGroup)
                )
            })
            .collect();
        if subs.is_empty() {
            break;
        }
        let known = subs.iter().map(|s| name(s).to_string()).collect();
        if rest.is_empty() {
            return Err(Refused::NeedsSubcommand {
                command: shown,
                known,
            });
        }
        let word = rest.remove(0);
        let sub = subs.into_iter().find(|s| named(s, &word)).ok_or_else(|| {
            Refused::UnknownSubcommand {
                command: shown.clone(),
                input: word.clone(),
                known,
            }
        })?;
        shown = format!("{shown} {}", name(sub));
        path.push(name(sub).to_string());
        node = sub;
    }
    let options = typed_options(node, &shown, &rest, member)?;
    Ok(Invocation {
        name: name(command).to_string(),
        path,
        options,
    })
}

/// The options of a (sub)command from the words after its name.
fn typed_options(
    node: &Value,
    command: &str,
    words: &[String],
    member: &dyn Fn(&str) -> Option<FakeUser>,
) -> Result<Vec<(String, Opt)>, Refused> {
    let declared: Vec<&Value> = options_of(node).collect();
    let known: Vec<String> = declared.iter().map(|o| name(o).to_string()).collect();
    let mut given: Vec<(&Value, String)> = Vec::new();
    for word in words {
        let option = word.split_once(':').and_then(|(key, value)| {
            declared
                .iter()
                .find(|o| named(o, key))
                .map(|o| (*o, value.to_string(), key))
        });
        match option {
            Some((option, value, _)) => {
                if given.iter().any(|(o, _)| name(o) == name(option)) {
                    return Err(Refused::Twice {
                        option: name(option).to_string(),
                    });
                }
                given.push((option, value));
            }
            None => {
                // "key:" with a key that names no option is a mistyped option; anything else
                // (a time "10:00", a second word) continues the value before it.
                let mistyped = word.split_once(':').is_some_and(|(key, _)| {
                    !key.is_empty() && key.chars().all(|c| c.is_alphabetic() || "_-".contains(c))
                });
                match given.last_mut() {
                    Some((_, value)) if !mistyped => {
                        value.push(' ');
                        value.push_str(word);
                    }
                    _ if mistyped => {
                        return Err(Refused::UnknownOption {
                            command: command.to_string(),
                            input: word.split(':').next().unwrap_or_default().to_string(),
                            known,
                        });
                    }
                    _ => {
                        return Err(Refused::ValueWithoutOption {
                            command: command.to_string(),
                            input: word.clone(),
                            known,
                        });
                    }
                }
            }
        }
    }
    for option in &declared {
        if option["required"] == true && !given.iter().any(|(o, _)| name(o) == name(option)) {
            return Err(Refused::Missing {
                option: name(option).to_string(),
            });
        }
    }
    // In the order the command declares them, as Discord's client sends them.
    let mut typed = Vec::new();
    for option in declared {
        if let Some((_, value)) = given.iter().find(|(o, _)| name(o) == name(option)) {
            typed.push((
                name(option).to_string(),
                value_of(option, value.trim(), member)?,
            ));
        }
    }
    Ok(typed)
}

/// One option's value as its type wants it.
fn value_of(
    option: &Value,
    input: &str,
    member: &dyn Fn(&str) -> Option<FakeUser>,
) -> Result<Opt, Refused> {
    let option_name = name(option).to_string();
    if input.is_empty() {
        return Err(Refused::Blank {
            option: option_name,
        });
    }
    if let Some(choices) = option["choices"].as_array().filter(|c| !c.is_empty()) {
        let chosen = choices.iter().find(|c| {
            named(c, input)
                || c["value"].as_str() == Some(input)
                || c["value"].as_i64().map(|v| v.to_string()).as_deref() == Some(input)
        });
        return match chosen.map(|c| &c["value"]) {
            Some(Value::String(s)) => Ok(Opt::Str(s.clone())),
            Some(v) if v.is_i64() => Ok(Opt::Int(v.as_i64().unwrap_or_default())),
            Some(v) => Ok(Opt::Num(v.as_f64().unwrap_or_default())),
            None => Err(Refused::NotChoice {
                option: option_name,
                input: input.to_string(),
                known: choices.iter().map(|c| name(c).to_string()).collect(),
            }),
        };
    }
    match option_type(option) {
        Some(CommandOptionType::Integer) => {
            let value: i64 = input.parse().map_err(|_| Refused::NotInteger {
                option: option_name.clone(),
                input: input.to_string(),
            })?;
            in_range(option, value as f64)?;
            Ok(Opt::Int(value))
        }
        Some(CommandOptionType::Number) => {
            let value: f64 = input
                .replace(',', ".")
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| Refused::NotNumber {
                    option: option_name.clone(),
                    input: input.to_string(),
                })?;
            in_range(option, value)?;
            Ok(Opt::Num(value))
        }
        Some(CommandOptionType::Boolean) => match input.to_lowercase().as_str() {
            "true" | "ja" | "yes" | "wahr" => Ok(Opt::Bool(true)),
            "false" | "nein" | "no" | "falsch" => Ok(Opt::Bool(false)),
            _ => Err(Refused::NotBoolean {
                option: option_name,
                input: input.to_string(),
            }),
        },
        Some(CommandOptionType::User) => member(input).map(Opt::User).ok_or(Refused::NotMember {
            option: option_name,
            input: input.to_string(),
        }),
        _ => {
            let length = input.chars().count() as u64;
            if let Some(min) = option["min_length"].as_u64().filter(|m| length < *m) {
                return Err(Refused::TooShort {
                    option: option_name,
                    min,
                });
            }
            if let Some(max) = option["max_length"].as_u64().filter(|m| length > *m) {
                return Err(Refused::TooLong {
                    option: option_name,
                    max,
                });
            }
            Ok(Opt::Str(input.to_string()))
        }
    }
}

fn in_range(option: &Value, value: f64) -> Result<(), Refused> {
    let bound = |key: &str| option[key].as_f64().map(|b| (b, option[key].to_string()));
    if let Some((min, shown)) = bound("min_value").filter(|(b, _)| value < *b) {
        let _ = min;
        return Err(Refused::TooSmall {
            option: name(option).to_string(),
            min: shown,
        });
    }
    if let Some((max, shown)) = bound("max_value").filter(|(b, _)| value > *b) {
        let _ = max;
        return Err(Refused::TooLarge {
            option: name(option).to_string(),
            max: shown,
        });
    }
    Ok(())
}

fn options_of(node: &Value) -> impl Iterator<Item = &Value> {
    node["options"].as_array().into_iter().flatten()
}

fn name(node: &Value) -> &str {
    node["name"].as_str().unwrap_or_default()
}

/// Whether `input` is the node's name or one of its localized names (any case).
fn named(node: &Value, input: &str) -> bool {
    let input = input.to_lowercase();
    name(node).to_lowercase() == input
        || node["name_localizations"].as_object().is_some_and(|l| {
            l.values()
                .any(|v| v.as_str().map(str::to_lowercase) == Some(input.clone()))
        })
}

/// The words of a line; double quotes ("…" or „…“) keep spaces inside a word and are dropped.
pub fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut started = false;
    for c in line.chars() {
        match c {
            '"' | '„' | '“' | '”' => {
                quoted = !quoted;
                started = true;
            }
            c if c.is_whitespace() && !quoted => {
                if started {
                    words.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            c => {
                word.push(c);
                started = true;
            }
        }
    }
    if started {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn commands() -> Vec<Value> {
        vec![
            json!({"name": "task", "name_localizations": {"de": "aufgabe"}, "options": [
                {"type": 1, "name": "new", "name_localizations": {"de": "neu"}, "options": [
                    {"type": 3, "name": "client", "name_localizations": {"de": "kunde"}, "required": true, "max_length": 20},
                    {"type": 10, "name": "hours", "name_localizations": {"de": "stunden"}, "required": true, "min_value": 0.25, "max_value": 500},
                    {"type": 5, "name": "new_client", "required": false},
                    {"type": 6, "name": "vpa", "required": false}
                ]}
            ]}),
            json!({"name": "report", "default_member_permissions": "8192", "options": [
                {"type": 4, "name": "kind", "required": true, "choices": [
                    {"name": "pool", "name_localizations": {"de": "Pool"}, "value": 0},
                    {"name": "demand", "name_localizations": {"de": "Bedarf"}, "value": 1}
                ]}
            ]}),
        ]
    }

    fn anna(name: &str) -> Option<FakeUser> {
        (name == "anna").then(|| FakeUser::new(1, "anna"))
    }

    fn read_line(line: &str) -> Result<Invocation, Refused> {
        read(line, &commands(), 8192, &anna)
    }

    #[test]
    fn a_line_in_german_or_english_becomes_the_typed_options() {
        let got = read_line("/aufgabe neu kunde:\"Kanzlei Berger\" stunden:8,5 vpa:anna").unwrap();
        assert_eq!(got.name, "task");
        assert_eq!(got.path, vec!["new".to_string()]);
        assert_eq!(
            got.options,
            vec![
                ("client".to_string(), Opt::Str("Kanzlei Berger".into())),
                ("hours".to_string(), Opt::Num(8.5)),
                ("vpa".to_string(), Opt::User(FakeUser::new(1, "anna"))),
            ]
        );
        let unquoted = read_line("/task new client:Kanzlei Berger hours:8 new_client:ja").unwrap();
        assert_eq!(unquoted.options[0].1, Opt::Str("Kanzlei Berger".into()));
        assert_eq!(unquoted.options[2].1, Opt::Bool(true));
        let choice = read_line("/report kind:Bedarf").unwrap();
        assert_eq!(choice.options, vec![("kind".to_string(), Opt::Int(1))]);
    }

    #[test]
    fn the_client_refuses_what_discord_would_not_send() {
        let cases: Vec<(&str, Refused)> = vec![
            (
                "/tsk new",
                Refused::UnknownCommand {
                    input: "tsk".into(),
                    known: vec!["/task".into(), "/report".into()],
                },
            ),
            (
                "/task",
                Refused::NeedsSubcommand {
                    command: "/task".into(),
                    known: vec!["new".into()],
                },
            ),
            (
                "/task new hours:8",
                Refused::Missing {
                    option: "client".into(),
                },
            ),
            (
                "/task new client:A hours:acht",
                Refused::NotNumber {
                    option: "hours".into(),
                    input: "acht".into(),
                },
            ),
            (
                "/task new client:A hours:0",
                Refused::TooSmall {
                    option: "hours".into(),
                    min: "0.25".into(),
                },
            ),
            (
                "/task new client:A hours:8 new_client:vielleicht",
                Refused::NotBoolean {
                    option: "new_client".into(),
                    input: "vielleicht".into(),
                },
            ),
            (
                "/task new client:A hours:8 vpa:zoe",
                Refused::NotMember {
                    option: "vpa".into(),
                    input: "zoe".into(),
                },
            ),
            (
                "/task new client:A hours:8 stundn:3",
                Refused::UnknownOption {
                    command: "/task new".into(),
                    input: "stundn".into(),
                    known: vec![
                        "client".into(),
                        "hours".into(),
                        "new_client".into(),
                        "vpa".into(),
                    ],
                },
            ),
            (
                "/task new client:A client:B hours:1",
                Refused::Twice {
                    option: "client".into(),
                },
            ),
            (
                "/task new client:Ein sehr langer Kundenname hours:1",
                Refused::TooLong {
                    option: "client".into(),
                    max: 20,
                },
            ),
            (
                "/report kind:alles",
                Refused::NotChoice {
                    option: "kind".into(),
                    input: "alles".into(),
                    known: vec!["pool".into(), "demand".into()],
                },
            ),
        ];
        for (line, refused) in cases {
            assert_eq!(read_line(line), Err(refused), "{line}");
        }
        assert_eq!(
            read("/report kind:pool", &commands(), 0, &anna),
            Err(Refused::NotAllowed {
                command: "/report".into()
            })
        );
    }

    #[test]
    fn quotes_keep_spaces_and_go() {
        assert_eq!(
            words("als anna ablehnen 1 „keine Kapazität“ x:\"a b\""),
            vec!["als", "anna", "ablehnen", "1", "keine Kapazität", "x:a b"]
        );
    }
}

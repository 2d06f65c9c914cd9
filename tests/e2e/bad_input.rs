//! Every value an operator types — each configuration key with a bound and each command-line
//! option — tried wrong through the real binary: a German message naming the file and key (or
//! the option), what was wrong and what is accepted; exit code 1 for a refused configuration,
//! 2 for a mistake on the command line; nothing written.

use std::path::Path;

use crate::support::CliEnv;
use crate::support::cli::{config_dir, run, stderr, stdout};

/// A config folder with `default.toml` changed by `edit` (and the shipped catalog).
fn config_with(
    env: &CliEnv,
    name: &str,
    edit: impl FnOnce(String) -> String,
) -> std::path::PathBuf {
    let dir = env.dir.path().join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(config_dir().join("default.toml")).unwrap();
    let changed = edit(text.clone());
    assert_ne!(changed, text, "{name}: the edit changes the file");
    std::fs::write(dir.join("default.toml"), changed).unwrap();
    std::fs::copy(
        config_dir().join("competences.toml"),
        dir.join("competences.toml"),
    )
    .unwrap();
    dir
}

fn replace<'a>(from: &'a str, to: &'a str) -> impl FnOnce(String) -> String + 'a {
    move |text| {
        assert!(text.contains(from), "the shipped default.toml has {from:?}");
        text.replacen(from, to, 1)
    }
}

/// Runs `pool` with the config in `dir` and returns its complaint (asserting it is one).
fn refused(env: &CliEnv, dir: &Path) -> String {
    let out = run(env.bare().arg("--config").arg(dir).arg("pool"));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    assert!(
        !env.dir.path().join("t.db").exists(),
        "a refused configuration opens no database"
    );
    stderr(&out)
}

#[test]
fn every_bounded_configuration_key_refused_in_german() {
    let env = CliEnv::new();
    let cases: &[(&str, &str, &str, &[&str])] = &[
        (
            "tz",
            "timezone = \"Europe/Berlin\"",
            "timezone = \"Mars/Olympus\"",
            &[
                "Schlüssel `timezone`",
                "unbekannte Zeitzone „Mars/Olympus“",
                "Europe/Berlin",
            ],
        ),
        (
            "tz-type",
            "timezone = \"Europe/Berlin\"",
            "timezone = 5",
            &["Zeile 5", "falscher Wert (5)", "Text in Anführungszeichen"],
        ),
        (
            "locale",
            "locale = \"de\"",
            "locale = \"fr\"",
            &[
                "Schlüssel `locale`",
                "keine Texte für „fr“",
                "vorhanden: de, en",
            ],
        ),
        (
            "pool-min-0",
            "min_available = 10",
            "min_available = 0",
            &["Schlüssel `pool.min_available`", "zwischen 1 und 10000"],
        ),
        (
            "pool-min-huge",
            "min_available = 10",
            "min_available = 10001",
            &["Schlüssel `pool.min_available`", "zwischen 1 und 10000"],
        ),
        (
            "pool-min-neg",
            "min_available = 10",
            "min_available = -1",
            &["falscher Wert (-1)", "ganze Zahl"],
        ),
        (
            "area-min",
            "[pool.area_minimums]",
            "[pool.area_minimums]\nbackoffice = 20000",
            &[
                "Schlüssel `pool.area_minimums.backoffice`",
                "zwischen 0 und 10000",
            ],
        ),
        (
            "area-unknown",
            "[pool.area_minimums]",
            "[pool.area_minimums]\nkitchen = 3",
            &[
                "unbekannter Wert „kitchen“",
                "erlaubt: backoffice, secretarial, marketing, sales, software",
            ],
        ),
        (
            "min-hours-0",
            "min_hours = 0.25",
            "min_hours = 0",
            &["Schlüssel `tasks.min_hours`", "über 0", "`tasks.max_hours`"],
        ),
        (
            "min-above-max",
            "min_hours = 0.25",
            "min_hours = 600",
            &["Schlüssel `tasks.min_hours`", "`tasks.max_hours`"],
        ),
        (
            "max-hours-huge",
            "max_hours = 500.0",
            "max_hours = 1e12",
            &["Schlüssel `tasks.max_hours`", "über 0 und höchstens 10000"],
        ),
        (
            "standard-0",
            "standard_hours = 10.0",
            "standard_hours = 0",
            &["Schlüssel `tasks.standard_hours`", "`tasks.large_hours`"],
        ),
        (
            "standard-above-large",
            "standard_hours = 10.0",
            "standard_hours = 30",
            &["Schlüssel `tasks.standard_hours`", "`tasks.large_hours`"],
        ),
        (
            "mentions-0",
            "max_mentions = 20",
            "max_mentions = 0",
            &["Schlüssel `survey.max_mentions`", "zwischen 1 und 100"],
        ),
        (
            "mentions-100",
            "max_mentions = 20",
            "max_mentions = 100",
            &[
                "Schlüssel `survey.max_mentions`",
                "höchstens 80",
                "2.000 Zeichen",
            ],
        ),
        (
            "mentions-text",
            "max_mentions = 20",
            "max_mentions = \"viele\"",
            &["falscher Wert (\"viele\")", "ganze Zahl"],
        ),
        (
            "quiet",
            "quiet_hours = \"\"",
            "quiet_hours = \"spät\"",
            &[
                "Schlüssel `survey.quiet_hours`",
                "„spät“ ist kein Zeitraum",
                "22:00-07:00",
            ],
        ),
        (
            "quiet-25",
            "quiet_hours = \"\"",
            "quiet_hours = \"25:00-07:00\"",
            &["Schlüssel `survey.quiet_hours`", "HH:MM-HH:MM"],
        ),
        (
            "window-0",
            "marketing = 24",
            "marketing = 0",
            &[
                "Schlüssel `survey.window_hours.marketing`",
                "über 0 und höchstens 720",
            ],
        ),
        (
            "window-huge",
            "marketing = 24",
            "marketing = 1e12",
            &[
                "Schlüssel `survey.window_hours.marketing`",
                "über 0 und höchstens 720",
            ],
        ),
        (
            "window-missing",
            "marketing = 24\n",
            "",
            &["Schlüssel `survey.window_hours.marketing`", "fehlt"],
        ),
        (
            "newbie-0",
            "period_days = 90",
            "period_days = 0",
            &["Schlüssel `newbies.period_days`", "zwischen 1 und 365"],
        ),
        (
            "newbie-huge",
            "period_days = 90",
            "period_days = 4000000000",
            &["Schlüssel `newbies.period_days`", "zwischen 1 und 365"],
        ),
        (
            "cooldown-0",
            "nudge_cooldown_days = 14",
            "nudge_cooldown_days = 0",
            &[
                "Schlüssel `newbies.nudge_cooldown_days`",
                "zwischen 1 und 365",
            ],
        ),
        (
            "offer-0",
            "offer_minutes = 60",
            "offer_minutes = 0",
            &["Schlüssel `change.offer_minutes`", "zwischen 1 und"],
        ),
        (
            "offer-week-plus",
            "offer_minutes = 60",
            "offer_minutes = 10081",
            &["Schlüssel `change.offer_minutes`", "zwischen 1 und"],
        ),
        (
            "offer-text",
            "offer_minutes = 60",
            "offer_minutes = \"eine Stunde\"",
            &["Zeile", "erwartet eine ganze Zahl"],
        ),
        (
            "share-high",
            "illogical_decline_below_utilization = 0.8",
            "illogical_decline_below_utilization = 1.5",
            &[
                "Schlüssel `playbook.illogical_decline_below_utilization`",
                "zwischen 0 und 1",
            ],
        ),
        (
            "share-low",
            "illogical_decline_below_utilization = 0.8",
            "illogical_decline_below_utilization = -0.1",
            &[
                "Schlüssel `playbook.illogical_decline_below_utilization`",
                "zwischen 0 und 1",
            ],
        ),
        (
            "guild-0",
            "guild_id = 100000000000000001",
            "guild_id = 0",
            &["Schlüssel `discord.guild_id`", "Discord-ID"],
        ),
        (
            "digest-day",
            "weekday = 1",
            "weekday = 8",
            &["Schlüssel `digest.weekday`", "zwischen 1 und 7"],
        ),
        (
            "min-competences-0",
            "min_competences = 3",
            "min_competences = 0",
            &["Schlüssel `newbies.min_competences`", "zwischen 1 und 20"],
        ),
        (
            "nudge-weekday",
            "nudge_weekday = 2",
            "nudge_weekday = 8",
            &["Schlüssel `newbies.nudge_weekday`", "zwischen 1 und 7"],
        ),
        (
            "nudge-hour",
            "nudge_hour = 10",
            "nudge_hour = 25",
            &["Schlüssel `newbies.nudge_hour`", "zwischen 0 und 23"],
        ),
        (
            "digest-hour",
            "hour = 8",
            "hour = 24",
            &["Schlüssel `digest.hour`", "zwischen 0 und 23"],
        ),
        (
            "retention-0",
            "processed_events_days = 7",
            "processed_events_days = 0",
            &[
                "Schlüssel `retention.processed_events_days`",
                "zwischen 1 und 3650",
            ],
        ),
        (
            "retention-long",
            "delivered_outbox_days = 30",
            "delivered_outbox_days = 3651",
            &[
                "Schlüssel `retention.delivered_outbox_days`",
                "zwischen 1 und 3650",
            ],
        ),
        (
            "dm-fallback-0",
            "# dm_fallback_channel_id = 100000000000000012",
            "dm_fallback_channel_id = 0",
            &["Schlüssel `discord.dm_fallback_channel_id`", "Discord-ID"],
        ),
        (
            "dm-fallback-text",
            "# dm_fallback_channel_id = 100000000000000012",
            "dm_fallback_channel_id = \"newbies\"",
            &["Zeile", "falscher Wert (\"newbies\")", "ganze Zahl"],
        ),
        (
            "role-0",
            "vpa_role_id = 100000000000000022",
            "vpa_role_id = 0",
            &["Schlüssel `discord.vpa_role_id`", "Discord-ID"],
        ),
        (
            "api-base",
            "api_base = \"\"",
            "api_base = \"discord.example\"",
            &["Schlüssel `discord.api_base`", "http://… oder https://…"],
        ),
        (
            "typo",
            "[pool]\n",
            "[pool]\nmin_availabel = 3\n",
            &[
                "Zeile",
                "unbekannter Schlüssel `min_availabel`",
                "erlaubt: min_available, area_minimums",
            ],
        ),
        (
            "missing",
            "min_available = 10\n",
            "",
            &["der Schlüssel `min_available` fehlt"],
        ),
        (
            "syntax",
            "[discord]",
            "x = [\n[discord]",
            &["kein gültiges TOML"],
        ),
    ];
    let count = cases.len();
    for (name, from, to, expected) in cases {
        let dir = config_with(&env, name, replace(from, to));
        let said = refused(&env, &dir);
        assert!(
            said.starts_with("Konfiguration abgelehnt – "),
            "{name}: {said}"
        );
        assert!(
            said.contains(&format!("{name}/default.toml")),
            "{name}: names the file: {said}"
        );
        for part in *expected {
            assert!(said.contains(part), "{name}: expected {part:?} in {said}");
        }
    }
    assert_eq!(count, 44);

    // The catalog file, too.
    let dir = config_with(
        &env,
        "catalog",
        replace("min_available = 10", "min_available = 11"),
    );
    let catalog = std::fs::read_to_string(dir.join("competences.toml")).unwrap();
    std::fs::write(
        dir.join("competences.toml"),
        catalog.replacen("key = \"document-creation\"", "key = \"research\"", 1),
    )
    .unwrap();
    let said = refused(&env, &dir);
    assert!(
        said.contains("competences.toml, Schlüssel `competence`")
            && said.contains("der Kompetenz-Schlüssel „research“ steht doppelt"),
        "{said}"
    );
    // A folder without the files.
    let out = run(env.bare().args(["--config", "nirgendwo", "pool"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("nirgendwo/default.toml ist nicht lesbar: die Datei gibt es nicht"),
        "{}",
        stderr(&out)
    );
}

/// Runs the binary with `args` (shipped config) and returns (exit code, stderr).
fn cli(env: &CliEnv, args: &[&str]) -> (Option<i32>, String) {
    let out = run(env.cmd().args(args));
    (out.status.code(), stderr(&out))
}

#[test]
fn every_command_line_option_refused_in_german() {
    let env = CliEnv::new();
    let usage = "(--help zeigt, was erlaubt ist)";
    let cases: &[(&[&str], i32, &[&str])] = &[
        (
            &["pool", "--date", "31.02.2026"],
            2,
            &[
                "Ungültiger Wert für --date <DATE>: „31.02.2026“ ist kein Datum (erlaubt: JJJJ-MM-TT oder TT.MM.JJJJ)",
            ],
        ),
        (
            &["pool", "--date", "morgen"],
            2,
            &["„morgen“ ist kein Datum"],
        ),
        (
            &["pool", "--date"],
            2,
            &["--date <DATE> braucht einen Wert."],
        ),
        (
            &["pool", "--dat", "2026-12-01"],
            2,
            &[
                "Unbekannte Angabe „--dat“ – gemeint ist wohl --date.",
                usage,
            ],
        ),
        (&["pool", "--json=ja"], 2, &["--json"]),
        (
            &["import-vpas"],
            2,
            &["Es fehlt: <FILE>.", "Aufruf: vpa-desk import-vpas"],
        ),
        (
            &["import-vpas", "fehlt.csv"],
            1,
            &["fehlt.csv ist nicht lesbar: die Datei gibt es nicht"],
        ),
        (
            &["import-vpas", "."],
            1,
            &["ist nicht lesbar: das ist ein Ordner, keine Datei"],
        ),
        (
            &["outbox", "--requeue=0"],
            2,
            &["„0“ ist keine Eintragsnummer (erlaubt: eine ganze Zahl ab 1"],
        ),
        (
            &["outbox", "--requeue=x"],
            2,
            &["„x“ ist keine Eintragsnummer"],
        ),
        (
            &["outbox", "--requeue", "-3"],
            2,
            &["Unbekannte Angabe „-3“."],
        ),
        (
            &["outbox", "--requeue", "7"],
            2,
            &[
                "Nicht unter den nicht zugestellten Nachrichten: 7.",
                "Es gibt keine nicht zugestellten Nachrichten.",
            ],
        ),
        (
            &["outbox", "--requeue", "1", "--requeue-all"],
            2,
            &["--requeue <ID> und --requeue-all schließen sich aus"],
        ),
        (
            &["outbox", "--json", "--requeue-all"],
            2,
            &["schließen sich aus"],
        ),
        (
            &["outbox", "--requeue-all", "--requeue-all"],
            2,
            &["--requeue-all darf nur einmal angegeben werden."],
        ),
        (
            &["outbx"],
            2,
            &[
                "Unbekannter Befehl „outbx“ (erlaubt: import-vpas, pool, outbox, backup, export, forget, check, serve, sandbox).",
            ],
        ),
        (
            &["--database-url", "vpa.db", "pool"],
            1,
            &["DATABASE_URL „vpa.db“ ist keine SQLite-Adresse (erlaubt: sqlite://"],
        ),
        (
            &["--database-url", "sqlite:///gibt/es/nicht/x.db", "pool"],
            1,
            &["lässt sich nicht öffnen: der Ordner fehlt"],
        ),
        (
            &["serve"],
            1,
            &["DISCORD_TOKEN ist nicht gesetzt", "vpa-desk sandbox"],
        ),
        (&["backup"], 2, &["Es fehlt: <FILE>."]),
        (&["check"], 1, &["DISCORD_TOKEN ist nicht gesetzt"]),
    ];
    for (args, code, expected) in cases {
        let (got, said) = cli(&env, args);
        assert_eq!(got, Some(*code), "{args:?}: {said}");
        for part in *expected {
            assert!(said.contains(part), "{args:?}: expected {part:?} in {said}");
        }
    }
    // Nothing was created by a refused call but the database the valid ones opened.
    assert!(!env.dir.path().join("vpa.db").exists());
    // Not a database at all.
    let file = env.file("kein.db", "hallo");
    let (got, said) = cli(
        &env,
        &[
            "--database-url",
            &format!("sqlite://{}", file.display()),
            "pool",
        ],
    );
    assert_eq!(got, Some(1));
    assert!(
        said.contains("die Datei ist keine SQLite-Datenbank"),
        "{said}"
    );
    // Help speaks German, too.
    let out = run(env.cmd().arg("--help"));
    assert!(out.status.success());
    let help = stdout(&out);
    assert!(
        help.contains("Aufruf:") && help.contains("Befehle:") && help.contains("Optionen:"),
        "{help}"
    );
    assert!(help.contains("Pool-Gesundheit zeigen"), "{help}");
}

#[test]
fn an_import_refuses_ids_and_names_that_cannot_be_right_and_writes_nothing() {
    let env = CliEnv::new();
    let header = vpa_desk::service::import::COLUMNS.join(",");
    let rows = [
        "0,Anna Schmidt,20,ja,ja,,,nein,,research:good",
        "9223372036854775808,Berta Müller,20,ja,ja,,,nein,,research:good",
        "123456789012345003,Carla <@&100000000000000021>,20,ja,ja,,,nein,,research:good",
        "123456789012345004,\"Dora\nFischer\",20,ja,ja,,,nein,,research:good",
        "123456789012345005,@everyone,20,ja,ja,,,nein,,research:good",
    ];
    let file = env.file("pool.csv", format!("{header}\n{}\n", rows.join("\n")));
    let out = env.import(&file);
    assert_eq!(out.status.code(), Some(2));
    let said = stderr(&out);
    for expected in [
        "Zeile 2, Spalte discord_id: „0“ ist keine Discord-ID (eine ID ist nie 0",
        "Zeile 3, Spalte discord_id: „9223372036854775808“ ist zu groß für eine Discord-ID",
        "Zeile 4, Spalte name: der Name enthält eine Discord-Erwähnung",
        "Zeile 5, Spalte name: der Name enthält einen Zeilenumbruch",
        "Zeile 7, Spalte name: der Name enthält eine Discord-Erwähnung",
    ] {
        assert!(said.contains(expected), "expected {expected:?} in {said}");
    }
    let pool = env.pool_json("2026-12-01");
    assert_eq!(
        pool["areas"]["backoffice"]["vpas"], 0,
        "nothing was written: {pool}"
    );
}

#[test]
fn output_to_a_closed_pipe_or_a_full_disk_ends_cleanly() {
    let env = CliEnv::new();
    // `vpa-desk pool | head -0`: the reader is gone before the output comes.
    let mut child = env
        .cmd()
        .arg("pool")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    // `vpa-desk pool > /dev/full`, for the table, JSON and the outbox list.
    if std::path::Path::new("/dev/full").exists() {
        for args in [&["pool"][..], &["pool", "--json"], &["outbox"]] {
            let full = std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap();
            let out = run(env.cmd().args(args).stdout(full));
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            assert!(
                stderr(&out).contains(
                    "Die Ausgabe lässt sich nicht schreiben: kein Platz mehr auf dem Gerät"
                ),
                "{args:?}: {}",
                stderr(&out)
            );
        }
    }
}

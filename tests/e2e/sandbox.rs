//! `vpa-desk sandbox` as a newcomer runs it: the real binary, the real bot against its built-in
//! loopback Discord. The scripted story is read step by step (names for mentions, the notice
//! with its playbook, the pressed option's effect, the hand-on, the alert and the recovery, the
//! chart saved as a PNG that decodes); `--play` is driven through its standard input.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::support::cli::{CliEnv, stderr, stdout};

/// The sandbox binary with no configured database and no token, as in the README.
fn sandbox(env: &CliEnv) -> Command {
    let mut cmd = env.bare();
    cmd.arg("sandbox")
        .env_remove("DATABASE_URL")
        .env_remove("RUST_LOG");
    cmd
}

/// `text` contains every one of `steps`, each after the one before; the failure names the
/// first step missing and what followed the last one found.
fn in_order(text: &str, steps: &[&str]) {
    let mut at = 0;
    for step in steps {
        match text[at..].find(step) {
            Some(i) => at += i + step.len(),
            None => panic!(
                "missing {step:?} after position {at} in:\n{}",
                &text[at.saturating_sub(400)..]
            ),
        }
    }
}

/// The part of the transcript from `from` up to `to` (or the end).
fn section<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
    let start = text
        .find(from)
        .unwrap_or_else(|| panic!("no {from:?} in:\n{text}"));
    let rest = &text[start..];
    let end = rest[from.len()..]
        .find(to)
        .map_or(rest.len(), |i| i + from.len());
    &rest[..end]
}

#[test]
fn the_story_shows_a_morning_at_the_agency_step_by_step() {
    let env = CliEnv::new();
    let out_dir = env.dir.path().join("files");
    let output = sandbox(&env)
        .arg("--out")
        .arg(&out_dir)
        .output()
        .expect("run");
    let text = stdout(&output);
    assert!(output.status.success(), "{text}\n{}", stderr(&output));
    assert!(
        stderr(&output).is_empty(),
        "the sandbox logs nothing at its default level: {}",
        stderr(&output)
    );

    // A task that is taken: the post mentions the fitting VPAs by name; the answers by
    // button, reaction, form and select; the assignment with German command names.
    in_order(
        &text,
        &[
            "Demo-Pool importiert: 15 VPAs.",
            "11 von mindestens 10 VPAs verfügbar für Neukunden — gesund",
            "/task new client:\"Kanzlei Berger\" competence:research",
            "privat an Koordination (nur Koordination sieht das)",
            "Aufgabe #1 angelegt. 5 passende VPAs angefragt.",
            "#surveys, neue Nachricht",
            "@Anna Becker @Ben Schulz",
            "[Annehmen] [Ablehnen] [Später]",
            "als anna annehmen 1",
            "privat an Anna Becker",
            "Du hast Aufgabe #1 angenommen",
            "DM an Koordination",
            "@Anna Becker (anna) hat Aufgabe #1 angenommen",
            "als ben reagiere 1 ✅",
            "@Ben Schulz (ben) hat Aufgabe #1 angenommen",
            "als cem später 1",
            "sieht das Formular „Später – ab wann hättest du Zeit?“",
            "könntest du ab",
            "als kai ablehnen 1 keine Kapazität",
            "Absage zu Aufgabe #1 gespeichert: keine Kapazität.",
            "/aufgabe vergeben nummer:1 vpa:anna",
            "Aufgabe #1 ist an @Anna Becker (Anna Becker) vergeben.",
            "DM an Anna Becker",
            "Du hast Aufgabe #1 bekommen",
        ],
    );
    // A task nobody takes: the window runs out, the notice with the playbook, "Umfrage
    // erweitern" reaches Dana, who accepts and is assigned.
    let notice = section(&text, "zeit +4h", "drücke \"Umfrage erweitern\"");
    in_order(
        notice,
        &[
            "Die Uhr springt von",
            "Aufgabe #2 – Umfrage beendet, noch nicht vergeben",
            "#manager, neue Nachricht",
            "Bedarf nicht gedeckt – Aufgabe #2",
            "Was tun? Optionen aus dem Leitfaden",
            "1. Umfrage erweitern: 1 VPA",
            "[Umfrage erweitern (1)]",
            "[Extern vergeben]",
        ],
    );
    in_order(
        &text,
        &[
            "drücke \"Umfrage erweitern\"",
            "Erweiterte Umfrage zu Aufgabe #2 gestartet: 1 VPA angefragt",
            "#surveys, neue Nachricht",
            "@Dana Krüger",
            "als dana annehmen 2",
            "Du hast Aufgabe #2 angenommen",
            "/task assign id:2 vpa:dana",
            "Aufgabe #2 ist an @Dana Krüger (Dana Krüger) vergeben.",
            "⚠️ Hinweis: eigentlich passt es nicht – möchte keine Neukunden.",
        ],
    );
    // A drop-out handed on to the earlier accepter, who takes it.
    in_order(
        &text,
        &[
            "als anna /profile absent",
            "• #1 (Backoffice · Recherche · 8 h · Deadline",
            "[Bestätigen] [Abbrechen]",
            "als anna drücke \"Bestätigen\"",
            "• #1: @Ben Schulz angeboten (hatte zuvor angenommen)",
            "DM an Ben Schulz",
            "Möchtest du sie übernehmen?",
            "[Übernehmen] [Nein danke]",
            "als ben drücke \"Übernehmen\"",
            "Aufgabe #1 gehört jetzt dir",
            "@Ben Schulz hat Aufgabe #1 übernommen (bisher @Anna Becker)",
        ],
    );
    // The pool below its minimum, then healthy again.
    in_order(
        &text,
        &[
            "als greta /profile vt-stop until:",
            "#manager, neue Nachricht",
            "Pool-Gesundheit: nur 9 von mindestens 10 VPAs verfügbar für Neukunden.",
            "@Greta Wolf (Greta Wolf) – VT-Stop bis",
            "als greta /profile vt-stop until:aus",
            "✅ Pool wieder gesund: 10 von mindestens 10 VPAs verfügbar für Neukunden.",
        ],
    );
    // The report with its chart, saved where --out says.
    let saved = out_dir.join("pool.png");
    in_order(
        &text,
        &[
            "als manager /report kind:pool",
            "privat an VPA Manager",
            "📊 Pool-Gesundheit vom",
            &format!("📎 pool.png gespeichert: {}", saved.display()),
            "vpa-desk sandbox --play",
        ],
    );
    let png = image::open(&saved).expect("the saved chart decodes as an image");
    assert!(
        png.width() >= 600 && png.height() >= 300,
        "{}x{}",
        png.width(),
        png.height()
    );

    assert!(!text.contains("<@"), "no raw mention left:\n{text}");
    assert!(!text.contains("\u{1b}["), "no colour codes");
    assert!(
        !env.dir.path().join("t.db").exists(),
        "the sandbox leaves the configured database alone"
    );
}

/// Runs `sandbox --play` with `script` as its standard input.
fn play(env: &CliEnv, script: &str) -> Output {
    let mut child = sandbox(env)
        .arg("--play")
        .arg("--out")
        .arg(env.dir.path().join("files"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the sandbox");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(script.as_bytes())
        .expect("write the script");
    child.wait_with_output().expect("the sandbox ends")
}

#[test]
fn play_takes_typed_commands_answers_the_clock_and_buttons() {
    let env = CliEnv::new();
    let output = play(
        &env,
        "/task new client:\"Kanzlei Berger\" competence:resarch hours:8 deadline:31.12.2026
/task new client:\"Kanzlei Berger\" competence:research hours:acht deadline:31.12.2026
/task new client:\"Kanzlei Berger\" competence:research deadline:31.12.2026
/aufgabe neu kunde:\"Kanzlei Berger\" kompetenz:research stunden:8 deadline:31.12.2026
als anna ablehnen 1 kein Interesse
als zoe annehmen 1
zeit +4h
zeige manager
drücke \"Umfrage erweitern\"
als dana annehmen 1
zeit +abc
/report kind:pool
als hanna /profile pick
als hanna wähle \"Recherche\"
als hanna wähle \"Recherche: gut\"
hilfe
ende
",
    );
    let text = stdout(&output);
    assert!(output.status.success(), "{text}\n{}", stderr(&output));
    in_order(
        &text,
        &[
            "Du bist am Zug.",
            // The bot's own answer to a typo, as in Discord: the same German suggestion.
            "competence:resarch",
            "privat an Koordination",
            "Die Kompetenz „resarch“ gibt es im Katalog nicht. Meintest du: „Recherche“",
            // Type and required-option errors come from the client, before the bot.
            "hours:acht",
            "Discord: „acht“ ist keine Zahl (Option „hours“).",
            "Discord: Die Option „hours“ ist erforderlich.",
            "/aufgabe neu kunde:",
            "Aufgabe #1 angelegt. 5 passende VPAs angefragt.",
            "als anna ablehnen 1 kein Interesse",
            "privat an Anna Becker",
            "Absage zu Aufgabe #1 gespeichert: kein Interesse.",
            "„zoe“ ist niemand auf dem Demo-Server. Mitglieder: koordination, manager, anna",
            "zeit +4h",
            "Die Uhr springt von",
            "Aufgabe #1 – Umfrage beendet, noch nicht vergeben",
            "zeige manager",
            "── #manager:",
            "Bedarf nicht gedeckt – Aufgabe #1",
            "[Umfrage erweitern (1)]",
            "drücke \"Umfrage erweitern\"",
            "Erweiterte Umfrage zu Aufgabe #1 gestartet: 1 VPA angefragt",
            "@Dana Krüger",
            "als dana annehmen 1",
            "Du hast Aufgabe #1 angenommen",
            "„+abc“ ist kein Zeitschritt.",
            // The report is for coordinators too; its chart is saved.
            "📎 pool.png gespeichert:",
            // A newbie picks a competence in the guided picker's menus, then its level.
            "als hanna /profile pick",
            "Kompetenzen ergänzen** – Backoffice",
            "als hanna wähle \"Recherche\"",
            "Gespeichert mit Grundkenntnissen: Recherche.",
            "als hanna wähle \"Recherche: gut\"",
            "Recherche: gut gespeichert.",
            "Was du tippen kannst",
            "ende",
        ],
    );
    assert!(env.dir.path().join("files/pool.png").exists());
    // The report is for coordinators; members without the permission do not see it.
    let output = play(&env, "als anna /report kind:pool\nals anna /task new\n");
    let text = stdout(&output);
    in_order(
        &text,
        &[
            "Discord: /report ist für dich auf diesem Server nicht freigegeben.",
            "Discord: Die Option „client“ ist erforderlich.",
        ],
    );
}

//! `/task edit` re-evaluates: edits of hours, deadline and competence each on a pool where the
//! answer is known — who is told, who shows as outdated, who is newly fitting and asked on
//! the button's press, the assignment following, the confirmation an edit over a holder's
//! hours needs — and a bad-input test for every option.

use chrono::Duration;
use serde_json::Value;
use vpa_desk::domain::Level;
use vpa_desk::domain::ids::RoundId;
use vpa_desk::loopback::fixtures::{self, Opt};

use crate::support::{CustomId, Harness, SurveyAction, content, custom_ids, sv};

/// Saves VPAs into the pool and makes them members (so DMs reach them).
async fn pool(h: &Harness, vpas: Vec<vpa_desk::domain::Vpa>) {
    h.save_vpas(&vpas).await;
    for v in &vpas {
        h.discord.add_member(&h.vpa(v.discord_id.0));
    }
}

fn vpa(h: &Harness, id: u64, weekly_hours: f64, competences: &[&str]) -> vpa_desk::domain::Vpa {
    let held: Vec<(&str, Level)> = competences.iter().map(|c| (*c, Level::Good)).collect();
    let mut v = h.ready_vpa(id, &held);
    v.weekly_hours = weekly_hours;
    v
}

/// `/task edit` as the coordinator: the whole reply (text and buttons).
async fn edit(h: &Harness, options: Vec<(&str, Opt)>) -> Value {
    let payload = fixtures::slash("task", &["edit"], options, &h.coordinator());
    h.reply(payload).await.shown
}

/// `/survey status` of task 1 as the coordinator.
async fn status(h: &Harness) -> Value {
    let payload = fixtures::slash(
        "survey",
        &["status"],
        vec![("task", 1i64.into())],
        &h.coordinator(),
    );
    h.reply(payload).await.shown
}

fn button_ids(message: &Value) -> Vec<String> {
    custom_ids(message).iter().map(CustomId::encode).collect()
}

fn mentioned(post: &Value) -> Vec<String> {
    content(post)
        .split_whitespace()
        .filter(|w| w.starts_with("<@") && w.ends_with('>'))
        .map(str::to_string)
        .collect()
}

async fn accept(h: &Harness, post: &Value, round: i64, id: u64) {
    let text = h
        .press(post, &sv(SurveyAction::Accept, RoundId(round)), &h.vpa(id))
        .await;
    assert!(text.contains("Danke"), "{id}: {text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_of_hours_tells_the_outdated_offers_the_newly_fitting_and_moves_the_assignment() {
    let h = Harness::start().await;
    // 4 h fit 7101 (10 h a week) and 7102 (40 h); 7103 (3 h a week) fits from 3 h down.
    pool(
        &h,
        vec![
            vpa(&h, 7101, 10.0, &["research"]),
            vpa(&h, 7102, 40.0, &["research"]),
            vpa(&h, 7103, 3.0, &["research"]),
        ],
    )
    .await;
    h.new_task("Kanzlei Berger", "research", 4.0, "04.12.2026")
        .await;
    let post = h.wait_survey_post(1).await;
    assert_eq!(mentioned(&post), ["<@7101>", "<@7102>"]);
    accept(&h, &post, 1, 7101).await;
    accept(&h, &post, 1, 7102).await;

    // 12 h: 7101 no longer has room; told why, shown as outdated.
    let reply = edit(&h, vec![("id", 1i64.into()), ("hours", 12.0.into())]).await;
    let text = content(&reply);
    assert!(text.contains("Stunden 4 h → 12 h"), "{text}");
    assert!(text.contains("1 VPA, die/der zugesagt"), "{text}");
    assert!(
        text.contains("<@7101>") && !text.contains("<@7102>"),
        "{text}"
    );
    let dm = h.wait_dm(7101, "passt nicht mehr zu dir").await;
    assert!(
        content(&dm).contains("wären es 12 h bei 10 h Wochenstunden"),
        "{}",
        content(&dm)
    );
    assert!(
        h.discord
            .dm_messages(7102)
            .iter()
            .all(|m| !content(m).contains("geändert"))
    );
    let shown = status(&h).await;
    let lines: Vec<&str> = content(&shown).lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("<@7101>") && l.contains("veraltet")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .all(|l| !(l.contains("<@7102>") && l.contains("veraltet"))),
        "{lines:?}"
    );
    // Assigning the outdated accepter asks first; the button assigns anyway.
    let asked = h
        .reply(fixtures::slash(
            "task",
            &["assign"],
            vec![("id", 1i64.into()), ("vpa", (&h.vpa(7101)).into())],
            &h.coordinator(),
        ))
        .await
        .shown;
    assert!(content(&asked).contains("veraltet"), "{}", content(&asked));
    assert_eq!(h.count("assignments").await, 0, "nothing assigned yet");
    assert_eq!(button_ids(&asked), ["aa:1:7101"]);
    let done = h.press(&asked, "aa:1:7101", &h.coordinator()).await;
    assert!(done.contains("#1"), "{done}");
    let hours: f64 = h
        .sql
        .one("SELECT hours FROM assignments WHERE task_id = 1")
        .await;
    assert_eq!(hours, 12.0);

    // 2 h: 7103 fits now and was never asked — offered by a button; the assignment follows
    // and its holder hears what changed.
    let reply = edit(&h, vec![("id", 1i64.into()), ("hours", 2.0.into())]).await;
    assert!(
        content(&reply).contains("1 VPA passt jetzt neu"),
        "{}",
        content(&reply)
    );
    assert_eq!(button_ids(&reply), ["nf:1"]);
    let hours: f64 = h
        .sql
        .one("SELECT hours FROM assignments WHERE task_id = 1")
        .await;
    assert_eq!(hours, 2.0);
    h.wait_dm(7101, "Deine Aufgabe #1 wurde geändert: Stunden 12 h → 2 h")
        .await;
    // The holder's utilization follows (2 h this week of 10 h).
    let profile = h
        .desk
        .db
        .load_selected(
            &h.desk.config.catalog,
            &vpa_desk::db::vpas::Selection::of([vpa_desk::domain::DiscordId(7101)]),
        )
        .await
        .unwrap();
    let load =
        vpa_desk::domain::utilization::load_in_week_of(&profile[0].commitments, h.desk.today());
    assert!((load - 2.0).abs() < 1e-9, "{load}");
    // The task is assigned: the newly fitting are asked once it needs someone again.
    let refused = h.press(&reply, "nf:1", &h.coordinator()).await;
    assert!(refused.contains("vergeben"), "{refused}");
    h.unassign(1, &h.vpa(7101)).await;
    let shown = status(&h).await;
    assert!(
        button_ids(&shown).contains(&"nf:1".to_string()),
        "{:?}",
        button_ids(&shown)
    );
    // Pressed twice at once: one post, mentioning 7103 alone.
    let (coordinator, manager) = (h.coordinator(), h.manager());
    let (a, b) = tokio::join!(
        h.click(&reply, "nf:1", &coordinator),
        h.click(&reply, "nf:1", &manager)
    );
    let texts = [h.final_text(&a).await, h.final_text(&b).await];
    assert_eq!(
        texts
            .iter()
            .filter(|t| t.contains("1 neu passende VPA"))
            .count(),
        1,
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t.contains("niemand mehr neu passend")),
        "{texts:?}"
    );
    let second = h.wait_survey_post(2).await;
    assert_eq!(mentioned(&second), ["<@7103>"]);
    let shown = status(&h).await;
    assert!(!button_ids(&shown).contains(&"nf:1".to_string()));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_over_a_holders_weekly_hours_is_saved_only_when_confirmed() {
    let h = Harness::start().await;
    pool(&h, vec![vpa(&h, 7111, 10.0, &["research"])]).await;
    h.new_task("Kanzlei Berger", "research", 4.0, "04.12.2026")
        .await;
    h.wait_survey_post(1).await;
    h.assign(1, &h.vpa(7111)).await;
    const HOURS: &str = "SELECT hours FROM assignments WHERE task_id = 1";
    const TASK_HOURS: &str = "SELECT hours FROM tasks WHERE id = 1";
    // 9 h stay within 10 h: saved at once.
    let reply = edit(&h, vec![("id", 1i64.into()), ("hours", 9.0.into())]).await;
    assert!(content(&reply).contains("4 h → 9 h"), "{}", content(&reply));
    assert_eq!(h.sql.one::<f64>(HOURS).await, 9.0);
    // 11 h would be over: nothing saved until confirmed.
    let ask = edit(&h, vec![("id", 1i64.into()), ("hours", 11.0.into())]).await;
    let text = content(&ask);
    assert!(text.contains("über ihre Wochenstunden"), "{text}");
    assert!(
        text.contains("<@7111>") && text.contains("11 h von 10 h"),
        "{text}"
    );
    assert_eq!(button_ids(&ask), ["te:y:1", "te:n:1"]);
    assert_eq!(h.sql.one::<f64>(HOURS).await, 9.0);
    assert_eq!(h.sql.one::<f64>(TASK_HOURS).await, 9.0);
    // "Nicht speichern": nothing changes; the other button is then spent too.
    let dropped = h.press(&ask, "te:n:1", &h.coordinator()).await;
    assert!(dropped.contains("nicht gespeichert"), "{dropped}");
    let late = h.press(&ask, "te:y:1", &h.coordinator()).await;
    assert!(late.contains("schon entschieden"), "{late}");
    assert_eq!(h.sql.one::<f64>(TASK_HOURS).await, 9.0);
    // Asked again and confirmed: saved, the assignment follows, the holder is told.
    let ask = edit(&h, vec![("id", 1i64.into()), ("hours", 11.0.into())]).await;
    let saved = h.press(&ask, "te:y:2", &h.coordinator()).await;
    assert!(
        saved.contains("9 h → 11 h") && saved.contains("Bestätigt über den Wochenstunden"),
        "{saved}"
    );
    assert_eq!(h.sql.one::<f64>(HOURS).await, 11.0);
    h.wait_dm(7111, "Stunden 9 h → 11 h").await;
    let again = h.press(&ask, "te:y:2", &h.coordinator()).await;
    assert!(again.contains("schon entschieden"), "{again}");
    // A confirmation after 30 minutes is too late.
    let ask = edit(&h, vec![("id", 1i64.into()), ("hours", 12.0.into())]).await;
    h.advance(Duration::minutes(31)).await;
    let expired = h.press(&ask, "te:y:3", &h.coordinator()).await;
    assert!(expired.contains("länger als 30 Minuten"), "{expired}");
    assert_eq!(h.sql.one::<f64>(HOURS).await, 11.0);
    // Only coordinators confirm.
    let ask = edit(&h, vec![("id", 1i64.into()), ("hours", 12.0.into())]).await;
    let refused = h.press(&ask, "te:y:4", &h.vpa(7111)).await;
    assert!(refused.contains("nur Koordinator"), "{refused}");
    assert_eq!(h.sql.one::<f64>(HOURS).await, 11.0);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_earlier_deadline_outdates_a_later_answer_after_it_and_a_later_one_restores_it() {
    let h = Harness::start().await;
    pool(
        &h,
        vec![
            vpa(&h, 7201, 20.0, &["research"]),
            vpa(&h, 7202, 20.0, &["research"]),
        ],
    )
    .await;
    h.new_task("Kanzlei Berger", "research", 4.0, "11.12.2026")
        .await;
    h.wait_survey_post(1).await;
    let later = sv(SurveyAction::LaterModal, RoundId(1));
    h.submit(&later, &[("from", "08.12.2026")], &h.vpa(7201))
        .await;
    h.submit(&later, &[("from", "02.12.2026")], &h.vpa(7202))
        .await;
    let reply = edit(
        &h,
        vec![("id", 1i64.into()), ("deadline", "04.12.2026".into())],
    )
    .await;
    let text = content(&reply);
    assert!(text.contains("Deadline 11.12.2026 → 04.12.2026"), "{text}");
    assert!(
        text.contains("<@7201>") && !text.contains("<@7202>"),
        "{text}"
    );
    let dm = h.wait_dm(7201, "passt nicht mehr").await;
    assert!(
        content(&dm).contains(
            "die Deadline (04.12.2026) liegt jetzt vor dem „später ab“-Datum (08.12.2026)"
        ),
        "{}",
        content(&dm)
    );
    let outdated = |shown: &Value| {
        content(shown)
            .lines()
            .filter(|l| l.contains("veraltet"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let shown = status(&h).await;
    let marked = outdated(&shown);
    assert!(
        marked.len() == 1 && marked[0].contains("<@7201>"),
        "{marked:?}"
    );
    // The post shows what changed.
    let post = h.wait_survey_post(1).await;
    let id = post["id"].as_str().unwrap().to_string();
    h.wait_post_matching(&id, |m| {
        m["embeds"][0]["fields"].as_array().is_some_and(|f| {
            f.iter()
                .any(|f| f["value"] == "Deadline 11.12.2026 → 04.12.2026")
        })
    })
    .await;
    // Back to a later deadline: the answer stands again.
    edit(
        &h,
        vec![("id", 1i64.into()), ("deadline", "11.12.2026".into())],
    )
    .await;
    assert!(outdated(&status(&h).await).is_empty());
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_competence_moves_area_and_window_and_reaches_its_holders() {
    let h = Harness::start().await;
    pool(
        &h,
        vec![
            vpa(&h, 7301, 20.0, &["research"]),
            vpa(&h, 7302, 20.0, &["research", "newsletter"]),
            vpa(&h, 7303, 20.0, &["newsletter"]),
        ],
    )
    .await;
    h.new_task("Kanzlei Berger", "research", 4.0, "04.12.2026")
        .await;
    let post = h.wait_survey_post(1).await;
    accept(&h, &post, 1, 7302).await;
    h.assign(1, &h.vpa(7301)).await;
    const CLOSES: &str = "SELECT closes_at FROM survey_rounds WHERE id = 1";
    let before: String = h.sql.one(CLOSES).await;
    let reply = edit(
        &h,
        vec![("id", 1i64.into()), ("competence", "newsletter".into())],
    )
    .await;
    let text = content(&reply);
    assert!(text.contains("Kompetenz Recherche → Newsletter"), "{text}");
    // The holder without it is told, the coordinator decides; the accepter with it stands.
    assert!(
        text.contains("<@7301> passt nicht mehr") && text.contains("Du entscheidest"),
        "{text}"
    );
    assert!(!text.contains("<@7302>:"), "{text}");
    h.wait_dm(
        7301,
        "Sie passt nicht mehr zu deinem Profil (die Aufgabe verlangt jetzt Newsletter, das steht nicht in deinem Profil)",
    )
    .await;
    assert_eq!(button_ids(&reply), ["nf:1"]);
    // Marketing now: its window (the round's close moves), its area on the task.
    let area: String = h.sql.one("SELECT area FROM tasks WHERE id = 1").await;
    assert_eq!(area, "marketing");
    let after: String = h.sql.one(CLOSES).await;
    assert!(after > before, "{before} → {after}");
    // The post names the new competence.
    let id = post["id"].as_str().unwrap().to_string();
    h.wait_post_matching(&id, |m| {
        m["embeds"][0]["fields"].as_array().is_some_and(|f| {
            f.iter().any(|f| {
                f["value"]
                    .as_str()
                    .is_some_and(|v| v.contains("Newsletter"))
            })
        })
    })
    .await;
    h.unassign(1, &h.vpa(7301)).await;
    let asked = h.press(&reply, "nf:1", &h.coordinator()).await;
    assert!(asked.contains("1 neu passende VPA"), "{asked}");
    assert_eq!(mentioned(&h.wait_survey_post(2).await), ["<@7303>"]);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_edits_say_what_is_accepted_and_change_nothing() {
    let h = Harness::start().await;
    pool(&h, vec![vpa(&h, 7401, 20.0, &["research"])]).await;
    h.new_task("Kanzlei Berger", "research", 4.0, "04.12.2026")
        .await;
    h.wait_survey_post(1).await;
    const TASK: &str = "SELECT competence || '|' || hours || '|' || deadline || '|' || new_client FROM tasks WHERE id = 1";
    let before: String = h.sql.one(TASK).await;
    let id = || ("id", Opt::from(1i64));
    for (options, expected) in [
        (vec![id(), ("competence", "Recherge".into())], "Recherche"),
        (vec![id(), ("competence", "".into())], "Kompetenz"),
        (
            vec![id(), ("hours", 0.0.into())],
            "außerhalb des erlaubten Bereichs",
        ),
        (
            vec![id(), ("deadline", "31.02.2026".into())],
            "kein gültiges Datum",
        ),
        (vec![id()], "mindestens eines"),
    ] {
        let text = h.task_cmd("edit", options).await;
        assert!(text.contains(expected), "{expected}: {text}");
    }
    assert_eq!(h.sql.one::<String>(TASK).await, before);
    // What is stored already changes nothing (a client nobody served is a new client); the
    // mark is an edit like the others.
    let same = h
        .task_cmd("edit", vec![id(), ("new_client", true.into())])
        .await;
    assert!(same.contains("schon so gespeichert"), "{same}");
    let reply = edit(&h, vec![id(), ("new_client", false.into())]).await;
    assert!(
        content(&reply).contains("Neukunde ja → nein"),
        "{}",
        content(&reply)
    );
    // A VPA may not edit.
    let refused = h
        .slash(
            "task",
            &["edit"],
            vec![id(), ("hours", 2.0.into())],
            &h.vpa(7401),
        )
        .await;
    assert!(refused.contains("nur Koordinator"), "{refused}");
    h.stop().await;
}

//! Profiles, the coordinator's view, assignment, `/task` management and `/pool` — through the
//! real bot and the loopback Discord, with the role matrix.

use serde_json::Value;
use vpa_desk::domain::ids::DiscordId;
use vpa_desk::loopback::fixtures::{self, FakeUser, Opt};

use crate::bot_harness::{Harness, WAIT, wait_until};
#[allow(unused_imports)]
use crate::bot_harness::{
    PlaybookButton, SurveyAction, de, pb, playbook_button, round_of, survey_button, sv,
};
#[allow(unused_imports)]
use vpa_desk::domain::ids::{RoundId, TaskId};

impl Harness {
    async fn command(
        &self,
        name: &str,
        sub: &[&str],
        options: Vec<(&str, Opt)>,
        user: &FakeUser,
    ) -> String {
        let handle = self
            .discord
            .interact(fixtures::slash(name, sub, options, user))
            .await;
        self.final_text(&handle).await
    }

    async fn command_message(
        &self,
        name: &str,
        sub: &[&str],
        options: Vec<(&str, Opt)>,
        user: &FakeUser,
    ) -> Value {
        let handle = self
            .discord
            .interact(fixtures::slash(name, sub, options, user))
            .await;
        handle.wait_final(WAIT).await.expect("an answer")
    }

    async fn vpa_row(&self, id: u64) -> Option<(f64, bool, bool, Option<String>, bool)> {
        sqlx::query_as("SELECT weekly_hours, wants_tasks, wants_new_clients, vt_stop_until, active FROM vpas WHERE discord_id = ?")
            .bind(id as i64)
            .fetch_optional(&self.sql)
            .await
            .unwrap()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_is_created_on_first_use_and_kept_by_self_service() {
    let h = Harness::start().await;
    let anna = h.vpa(3001);
    let text = h.command("profile", &["show"], vec![], &anna).await;
    assert!(
        text.contains("Dein VPA-Profil wurde angelegt") && text.contains("/profile schedule"),
        "{text}"
    );
    assert_eq!(h.vpa_row(3001).await, Some((0.0, false, false, None, true)));

    let text = h
        .command(
            "profile",
            &["schedule"],
            vec![
                ("weekly_hours", 20.0.into()),
                ("wants_tasks", true.into()),
                ("wants_new_clients", true.into()),
            ],
            &anna,
        )
        .await;
    assert!(
        text.contains("Gespeichert") && text.contains("20 h"),
        "{text}"
    );
    let text = h
        .command(
            "profile",
            &["schedule"],
            vec![
                ("weekly_hours", 100.0.into()),
                ("wants_tasks", false.into()),
                ("wants_new_clients", false.into()),
            ],
            &anna,
        )
        .await;
    assert!(text.contains("erlaubt sind 0 h bis 80 h"), "{text}");
    assert_eq!(
        h.vpa_row(3001).await,
        Some((20.0, true, true, None, true)),
        "nothing changed by the bad input"
    );

    let text = h
        .command(
            "profile",
            &["competence"],
            vec![
                ("action", 0i64.into()),
                ("competence", "newsletter".into()),
                ("level", 1i64.into()),
            ],
            &anna,
        )
        .await;
    assert!(text.contains("Newsletter (gut)"), "{text}");
    let text = h
        .command(
            "profile",
            &["competence"],
            vec![
                ("action", 0i64.into()),
                ("competence", "Kreativ Texten".into()),
                ("level", 0i64.into()),
            ],
            &anna,
        )
        .await;
    assert!(
        text.contains("Meintest du") && text.contains("Kreatives Texten"),
        "{text}"
    );
    let text = h
        .command(
            "profile",
            &["competence"],
            vec![("action", 0i64.into()), ("competence", "seo".into())],
            &anna,
        )
        .await;
    assert!(text.contains("fehlt die Stufe"), "{text}");
    let text = h
        .command(
            "profile",
            &["competence"],
            vec![("action", 1i64.into()), ("competence", "newsletter".into())],
            &anna,
        )
        .await;
    assert!(text.contains("keine – ergänze"), "{text}");

    let text = h
        .command(
            "profile",
            &["vt-stop"],
            vec![("until", "31.12.2026".into())],
            &anna,
        )
        .await;
    assert!(text.contains("VT-Stop:** bis 31.12.2026"), "{text}");
    let text = h
        .command(
            "profile",
            &["vt-stop"],
            vec![("until", "morgen".into())],
            &anna,
        )
        .await;
    assert!(
        text.contains("kein gültiges Datum") && text.contains("„aus“"),
        "{text}"
    );
    assert_eq!(
        h.vpa_row(3001).await.unwrap().3.as_deref(),
        Some("2026-12-31")
    );
    h.command(
        "profile",
        &["vt-stop"],
        vec![("until", "aus".into())],
        &anna,
    )
    .await;
    assert_eq!(h.vpa_row(3001).await.unwrap().3, None);

    let text = h
        .command(
            "profile",
            &["absent"],
            vec![
                ("from", "01.12.2026".into()),
                ("until", "04.12.2026".into()),
            ],
            &anna,
        )
        .await;
    assert!(text.contains("01.12.2026 – 04.12.2026"), "{text}");
    let text = h
        .command(
            "profile",
            &["absent"],
            vec![
                ("from", "05.12.2026".into()),
                ("until", "01.12.2026".into()),
            ],
            &anna,
        )
        .await;
    assert!(text.contains("liegt vor dem Beginn"), "{text}");
    let history: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM vpa_history WHERE vpa_id = 3001 AND source = 'profile' AND changed_by = 3001")
        .fetch_one(&h.sql)
        .await
        .unwrap();
    assert!(history >= 8, "every change is recorded ({history})");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vpa_sees_only_their_own_profile_and_coordinators_act_for_vpas() {
    let h = Harness::start().await;
    h.seed_vpas(3001, 2, "research", 20.0).await;
    let (anna, ben) = (h.vpa(3001), h.vpa(3002));
    let text = h
        .command("profile", &["show"], vec![("vpa", (&ben).into())], &anna)
        .await;
    assert!(text.contains("nur dein eigenes Profil"), "{text}");
    assert!(!text.contains("Wochenstunden"));
    let text = h
        .command(
            "profile",
            &["schedule"],
            vec![
                ("weekly_hours", 1.0.into()),
                ("wants_tasks", false.into()),
                ("wants_new_clients", false.into()),
                ("vpa", (&ben).into()),
            ],
            &anna,
        )
        .await;
    assert!(text.contains("nur dein eigenes Profil"), "{text}");
    assert_eq!(h.vpa_row(3002).await.unwrap().0, 20.0);
    // A coordinator records that Ben fell ill (no reason stored).
    let text = h
        .command(
            "profile",
            &["absent"],
            vec![
                ("from", "30.11.2026".into()),
                ("until", "11.12.2026".into()),
                ("vpa", (&ben).into()),
            ],
            &h.coordinator(),
        )
        .await;
    assert!(text.contains("30.11.2026 – 11.12.2026"), "{text}");
    let source: String = sqlx::query_scalar("SELECT source FROM vpa_history WHERE vpa_id = 3002 AND field = 'absent_until' ORDER BY id DESC LIMIT 1")
        .fetch_one(&h.sql)
        .await
        .unwrap();
    assert_eq!(source, "coordinator");
    let text = h
        .command(
            "profile",
            &["show"],
            vec![("vpa", (&ben).into())],
            &h.manager(),
        )
        .await;
    assert!(
        text.contains("Abwesend:** 30.11.2026 – 11.12.2026"),
        "{text}"
    );
    // Nobody without a profile is created by looking at them.
    let text = h
        .command(
            "profile",
            &["show"],
            vec![("vpa", (&FakeUser::new(4444, "x")).into())],
            &h.coordinator(),
        )
        .await;
    assert!(text.contains("noch kein VPA-Profil"), "{text}");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deactivated_vpas_are_not_surveyed_and_do_not_count() {
    let h = Harness::start().await;
    h.seed_vpas(3001, 11, "research", 20.0).await;
    let gone = FakeUser::new(3001, "gone");
    let text = h
        .command(
            "profile",
            &["deactivate"],
            vec![("vpa", (&gone).into())],
            &h.coordinator(),
        )
        .await;
    assert!(text.contains("nur der VPA Manager"), "{text}");
    let text = h
        .command(
            "profile",
            &["deactivate"],
            vec![("vpa", (&gone).into())],
            &h.manager(),
        )
        .await;
    assert!(text.contains("deaktiviert"), "{text}");
    assert!(!h.vpa_row(3001).await.unwrap().4);
    let pool = h.command("pool", &[], vec![], &h.manager()).await;
    assert!(pool.contains("10 von mindestens 10"), "{pool}");
    let health = vpa_desk::service::pool::pool_health(&h.desk.db, &h.desk.config, h.desk.today())
        .await
        .unwrap();
    assert_eq!(
        health.available_for_new_clients, 10,
        "/pool shows the CLI's figures"
    );
    h.research_task(2.0).await;
    let post = h.wait_survey_post(1).await;
    assert!(!post["content"].as_str().unwrap().contains("<@3001>"));
    assert_eq!(post["content"].as_str().unwrap().matches("<@").count(), 10);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinator_sees_answers_assigns_and_unassigns() {
    let h = Harness::start().await;
    h.seed_vpas(3001, 4, "research", 20.0).await;
    h.research_task(10.0).await;
    let post = h.wait_survey_post(1).await;
    let round = round_of(&post);
    h.react(&post, &h.vpa(3001), "✅", true).await;
    h.react(&post, &h.vpa(3002), "❌", true).await;
    let later = h
        .discord
        .interact(fixtures::modal_submit(
            &sv(SurveyAction::LaterModal, round),
            &[("from", "03.12.2026")],
            &h.vpa(3003),
        ))
        .await;
    h.final_text(&later).await;
    // The creator hears about the acceptance.
    let discord = h.discord.clone();
    wait_until(|| discord.dm_messages(900).first().cloned())
        .await
        .expect("creator DM");
    h.wait_answers(
        round,
        &[(3001, "accept"), (3002, "decline"), (3003, "later")],
    )
    .await;

    let status = h
        .command_message(
            "survey",
            &["status"],
            vec![("task", 1i64.into())],
            &h.coordinator(),
        )
        .await;
    let text = status["content"].as_str().unwrap();
    assert!(
        text.contains("Angenommen (1)") && text.contains("<@3001> – Auslastung 0 %"),
        "{text}"
    );
    assert!(
        text.contains("Später (1)") && text.contains("ab 03.12.2026"),
        "{text}"
    );
    assert!(
        text.contains("Abgelehnt (1)") && text.contains("nicht angegeben"),
        "{text}"
    );
    assert!(
        text.contains("Ohne Antwort (1)") && text.contains("<@3004>"),
        "{text}"
    );
    let options = status["components"][0]["components"][0]["options"]
        .as_array()
        .unwrap();
    assert_eq!(options[0]["value"], "3001", "who accepted comes first");
    // A VPA cannot use the assignment select; the coordinator can.
    let select_id = status["components"][0]["components"][0]["custom_id"]
        .as_str()
        .unwrap()
        .to_string();
    let refused = h.choose(&status, &select_id, &["3001"], &h.vpa(3001)).await;
    assert!(
        h.final_text(&refused)
            .await
            .contains("nur Koordinator:innen")
    );
    let chosen = h
        .choose(&status, &select_id, &["3001"], &h.coordinator())
        .await;
    let text = h.final_text(&chosen).await;
    assert!(
        text.contains("an <@3001>") && text.contains("Auslastung diese Woche jetzt: 50 %"),
        "{text}"
    );
    // The post says "vergeben", the buttons are gone, the VPA gets a DM with the client.
    let id = post["id"].as_str().unwrap().to_string();
    h.wait_post_matching(&id, |m| {
        m["content"]
            .as_str()
            .is_some_and(|c| c.contains("vergeben"))
            && m["components"].as_array().is_none_or(|c| c.is_empty())
    })
    .await;
    let dm = wait_until(|| {
        discord.dm_messages(3001).into_iter().find(|m| {
            m["content"]
                .as_str()
                .is_some_and(|c| c.contains("bekommen"))
        })
    })
    .await
    .expect("assignment DM");
    assert!(dm["content"].as_str().unwrap().contains("Kanzlei Berger"));
    let util = |h: &Harness| {
        let desk = h.desk.clone();
        async move {
            let vpa = desk
                .db
                .get_vpa(&desk.config.catalog, DiscordId(3001))
                .await
                .unwrap()
                .unwrap();
            vpa_desk::domain::utilization::utilization(
                &vpa.commitments,
                vpa.weekly_hours,
                desk.today(),
            )
        }
    };
    assert_eq!(util(&h).await, Some(0.5));
    let text = h
        .command(
            "task",
            &["assign"],
            vec![("id", 1i64.into()), ("vpa", (&h.vpa(3001)).into())],
            &h.coordinator(),
        )
        .await;
    assert!(text.contains("hat Aufgabe #1 schon"), "{text}");
    // Unassigning frees the hours and puts the task back into demand.
    let text = h
        .command(
            "task",
            &["unassign"],
            vec![("id", 1i64.into()), ("vpa", (&h.vpa(3001)).into())],
            &h.coordinator(),
        )
        .await;
    assert!(
        text.contains("wieder frei") && text.contains("Umfrage läuft"),
        "{text}"
    );
    assert_eq!(util(&h).await, Some(0.0));
    let text = h
        .command(
            "task",
            &["unassign"],
            vec![("id", 1i64.into()), ("vpa", (&h.vpa(3001)).into())],
            &h.coordinator(),
        )
        .await;
    assert!(text.contains("hat Aufgabe #1 nicht"), "{text}");
    // Assign by command, with a concern when the VPA would not fit.
    let text = h
        .command(
            "task",
            &["assign"],
            vec![("id", 1i64.into()), ("vpa", (&h.vpa(3002)).into())],
            &h.coordinator(),
        )
        .await;
    assert!(text.contains("an <@3002>"), "{text}");
    let text = h
        .command(
            "task",
            &["assign"],
            vec![("id", 99i64.into()), ("vpa", (&h.vpa(3002)).into())],
            &h.coordinator(),
        )
        .await;
    assert!(text.contains("Eine Aufgabe #99 gibt es nicht"), "{text}");
    let text = h
        .command(
            "task",
            &["assign"],
            vec![
                ("id", 1i64.into()),
                ("vpa", (&FakeUser::new(4444, "x")).into()),
            ],
            &h.coordinator(),
        )
        .await;
    assert!(text.contains("kein VPA-Profil"), "{text}");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn task_show_list_done_and_cancel() {
    let h = Harness::start().await;
    h.seed_vpas(3001, 2, "research", 20.0).await;
    h.research_task(4.0).await;
    h.wait_survey_post(1).await;
    h.research_task(6.0).await;
    h.wait_survey_post(2).await;
    let text = h.command("task", &["list"], vec![], &h.coordinator()).await;
    assert!(
        text.contains("Offener Bedarf: 2")
            && text.contains("__Backoffice__")
            && text.find("#1").unwrap() < text.find("#2").unwrap(),
        "{text}"
    );
    let text = h
        .command(
            "task",
            &["show"],
            vec![("id", 1i64.into())],
            &h.coordinator(),
        )
        .await;
    assert!(
        text.contains("Kunde: Kanzlei Berger")
            && text.contains("Umfrage 1:")
            && text.contains("Umfrage läuft"),
        "{text}"
    );
    let text = h
        .command(
            "task",
            &["show"],
            vec![("id", 7i64.into())],
            &h.coordinator(),
        )
        .await;
    assert!(text.contains("gibt es nicht"), "{text}");
    let text = h
        .command(
            "task",
            &["cancel"],
            vec![("id", 2i64.into()), ("reason", "   ".into())],
            &h.coordinator(),
        )
        .await;
    assert!(text.contains("Gib einen Grund"), "{text}");
    let text = h
        .command(
            "task",
            &["cancel"],
            vec![("id", 2i64.into()), ("reason", "Kunde hat abgesagt".into())],
            &h.coordinator(),
        )
        .await;
    assert!(text.contains("abgebrochen"), "{text}");
    let text = h
        .command(
            "task",
            &["done"],
            vec![("id", 2i64.into())],
            &h.coordinator(),
        )
        .await;
    assert!(
        text.contains("abgebrochen – das geht in diesem Zustand nicht"),
        "{text}"
    );
    h.command(
        "task",
        &["assign"],
        vec![("id", 1i64.into()), ("vpa", (&h.vpa(3001)).into())],
        &h.coordinator(),
    )
    .await;
    let text = h
        .command(
            "task",
            &["done"],
            vec![("id", 1i64.into())],
            &h.coordinator(),
        )
        .await;
    assert!(text.contains("erledigt"), "{text}");
    let text = h.command("task", &["list"], vec![], &h.coordinator()).await;
    assert!(text.contains("Kein offener Bedarf"), "{text}");
    let note: String = sqlx::query_scalar(
        "SELECT note FROM task_status_history WHERE task_id = 2 AND to_status = 'cancelled'",
    )
    .fetch_one(&h.sql)
    .await
    .unwrap();
    assert_eq!(note, "Kunde hat abgesagt");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_role_matrix_holds_for_every_command_and_component() {
    let h = Harness::start().await;
    h.seed_vpas(3001, 2, "research", 20.0).await;
    h.research_task(2.0).await;
    let post = h.wait_survey_post(1).await;
    let other = h.vpa(3002);
    let roles: Vec<(&str, FakeUser)> = vec![
        ("coordinator", h.coordinator()),
        ("vpa", h.vpa(3001)),
        ("manager", h.manager()),
        ("none", FakeUser::new(777, "gast")),
    ];
    // (command, sub, options, who may) — refusals are private messages saying who may.
    let task_new = vec![
        ("client", Opt::from("X")),
        ("competence", "research".into()),
        ("hours", 1.0.into()),
        ("deadline", "04.12.2026".into()),
    ];
    type Case<'a> = (&'a str, &'a [&'a str], Vec<(&'a str, Opt)>, &'a [&'a str]);
    let commands: Vec<Case> = vec![
        ("task", &["new"], task_new, &["coordinator", "manager"]),
        (
            "task",
            &["show"],
            vec![("id", 1i64.into())],
            &["coordinator", "manager"],
        ),
        ("task", &["list"], vec![], &["coordinator", "manager"]),
        (
            "task",
            &["assign"],
            vec![("id", 99i64.into()), ("vpa", (&other).into())],
            &["coordinator", "manager"],
        ),
        (
            "task",
            &["unassign"],
            vec![("id", 99i64.into()), ("vpa", (&other).into())],
            &["coordinator", "manager"],
        ),
        (
            "task",
            &["done"],
            vec![("id", 99i64.into())],
            &["coordinator", "manager"],
        ),
        (
            "task",
            &["cancel"],
            vec![("id", 99i64.into()), ("reason", "x".into())],
            &["coordinator", "manager"],
        ),
        (
            "survey",
            &["status"],
            vec![("task", 1i64.into())],
            &["coordinator", "manager"],
        ),
        ("pool", &[], vec![], &["coordinator", "manager"]),
        (
            "demand",
            &["report"],
            vec![("task", 99i64.into())],
            &["coordinator", "manager"],
        ),
        (
            "profile",
            &["show"],
            vec![],
            &["coordinator", "vpa", "manager"],
        ),
        (
            "profile",
            &["schedule"],
            vec![
                ("weekly_hours", 10.0.into()),
                ("wants_tasks", true.into()),
                ("wants_new_clients", true.into()),
                ("vpa", (&other).into()),
            ],
            &["coordinator", "manager"],
        ),
        (
            "profile",
            &["vt-stop"],
            vec![("until", "aus".into()), ("vpa", (&other).into())],
            &["coordinator", "manager"],
        ),
        (
            "profile",
            &["absent"],
            vec![("from", "aus".into()), ("vpa", (&other).into())],
            &["coordinator", "manager"],
        ),
        (
            "profile",
            &["competence"],
            vec![
                ("action", 1i64.into()),
                ("competence", "seo".into()),
                ("vpa", (&other).into()),
            ],
            &["coordinator", "manager"],
        ),
        (
            "profile",
            &["deactivate"],
            vec![("vpa", (&FakeUser::new(5555, "x")).into())],
            &["manager"],
        ),
    ];
    let refusals = [
        "nur Koordinator:innen",
        "nur der VPA Manager",
        "nur dein eigenes Profil",
        "nur für VPAs",
    ];
    for (name, sub, options, allowed) in &commands {
        for (role, user) in &roles {
            let text = h.command(name, sub, options.clone(), user).await;
            let refused = refusals.iter().any(|r| text.contains(r));
            assert_eq!(
                !refused,
                allowed.contains(role),
                "/{name} {sub:?} as {role}: {text}"
            );
        }
    }
    // Components: survey buttons are for VPAs only.
    for (role, user) in &roles {
        let click = h
            .click(&post, &survey_button(&post, SurveyAction::Later), user)
            .await;
        let response = click.response(WAIT).await.unwrap();
        let opened_modal = response["type"] == 9;
        assert_eq!(
            opened_modal,
            *role == "vpa",
            "survey button as {role}: {response}"
        );
    }
    h.stop().await;
}

//! `/task new`, survey posts and answers by button, select, modal and reaction — through the
//! real bot and the loopback Discord.

use serde_json::Value;
use vpa_desk::db::outbox::Intent;
use vpa_desk::loopback::{FailRule, Failure};

use crate::bot_harness::{Harness, WAIT, wait_until};
#[allow(unused_imports)]
use crate::bot_harness::{
    PlaybookButton, SurveyAction, de, pb, playbook_button, round_of, survey_button, sv,
};
#[allow(unused_imports)]
use vpa_desk::domain::ids::{RoundId, TaskId};

fn first_round_id(post: &Value) -> RoundId {
    round_of(post)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_uses_english_names_with_german_localizations() {
    let h = Harness::start().await;
    let commands = h.discord.registered_commands();
    let task = commands
        .iter()
        .find(|c| c["name"] == "task")
        .expect("/task registered");
    assert_eq!(task["name_localizations"]["de"], "aufgabe");
    let new = task["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["name"] == "new")
        .expect("/task new");
    let names: Vec<&str> = new["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "client",
            "competence",
            "hours",
            "deadline",
            "new_client",
            "recurring",
            "description"
        ]
    );
    assert_eq!(new["options"][0]["name_localizations"]["de"], "kunde");
    assert!(new["options"][1]["autocomplete"].as_bool().unwrap());
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn task_new_posts_a_survey_mentioning_exactly_the_fitting_vpas() {
    let h = Harness::start().await;
    let fitting = h.seed_vpas(1000, 3, "research", 20.0).await;
    h.seed_vpas(2000, 2, "newsletter", 20.0).await; // other competence: not mentioned
    let reply = h.research_task(8.0).await;
    let post = h.wait_survey_post(1).await;
    let content = post["content"].as_str().unwrap();
    for id in &fitting {
        assert!(content.contains(&format!("<@{id}>")), "{content}");
    }
    assert!(!content.contains("<@2000>"));
    assert!(
        !content.contains("Kanzlei Berger"),
        "no client name in the post"
    );
    let embed = &post["embeds"][0];
    let fields: Vec<(String, String)> = embed["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_string(),
                f["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        fields.contains(&("Bereich".into(), "Backoffice".into())),
        "{fields:?}"
    );
    assert!(fields.contains(&("Kompetenz".into(), "Recherche".into())));
    assert!(fields.contains(&("Stunden".into(), "8 h".into())));
    assert!(fields.contains(&("Deadline".into(), "04.12.2026".into())));
    assert!(fields.contains(&("Neukunde".into(), "ja".into())));
    // allowed_mentions: exactly those users, nothing parsed.
    let request = h
        .discord
        .wait_for(WAIT, |r| {
            r.method == "POST"
                && r.path == format!("/channels/{}/messages", h.settings().surveys_channel_id.0)
        })
        .await
        .unwrap();
    let allowed = &request.body["allowed_mentions"];
    assert_eq!(allowed["parse"], serde_json::json!([]));
    let mut users: Vec<String> = allowed["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap().to_string())
        .collect();
    users.sort();
    assert_eq!(users, ["1000", "1001", "1002"]);
    assert!(request.body["nonce"].is_string() && request.body["enforce_nonce"] == true);
    // The bot's own quick-answer reactions.
    let message_id: u64 = post["id"].as_str().unwrap().parse().unwrap();
    let channel = h.settings().surveys_channel_id.0;
    let discord = h.discord.clone();
    let reactions = wait_until(|| {
        let r = discord.bot_reactions(channel, message_id);
        (r.len() == 3).then_some(r)
    })
    .await
    .expect("three reactions");
    assert_eq!(reactions, ["✅", "❌", "⏳"]);
    // The coordinator's private reply names the task, the count and links the post.
    let text = wait_until(|| {
        reply
            .original()
            .and_then(|o| o["content"].as_str().map(str::to_string))
            .filter(|t| t.contains("discord.com/channels"))
    })
    .await
    .expect("reply with link");
    assert!(
        text.contains("Aufgabe #1") && text.contains("3 passende VPAs"),
        "{text}"
    );
    assert!(text.contains(&post["id"].as_str().unwrap().to_string()));
    assert_eq!(
        reply.callback().unwrap()["data"]["flags"],
        64,
        "the reply is private"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn description_with_everyone_pings_nobody_and_mentions_are_capped() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 25, "research", 20.0).await;
    let reply = h
        .task_new(
            &h.coordinator(),
            vec![
                ("client", "Praxis Sommer".into()),
                ("competence", "Recherche".into()),
                ("hours", 2.0.into()),
                ("deadline", "2026-12-10".into()),
                (
                    "description",
                    "@everyone dringend <@&100000000000000021>".into(),
                ),
            ],
        )
        .await;
    let post = h.wait_survey_post(1).await;
    let mentioned = post["content"].as_str().unwrap().matches("<@").count();
    assert_eq!(mentioned, 20, "survey.max_mentions caps the mentions");
    let request = h
        .discord
        .wait_for(WAIT, |r| {
            r.method == "POST"
                && r.path == format!("/channels/{}/messages", h.settings().surveys_channel_id.0)
        })
        .await
        .unwrap();
    assert_eq!(
        request.body["allowed_mentions"]["parse"],
        serde_json::json!([])
    );
    assert!(
        request.body["allowed_mentions"]["roles"]
            .as_array()
            .is_none_or(|r| r.is_empty())
    );
    assert_eq!(
        request.body["allowed_mentions"]["users"]
            .as_array()
            .unwrap()
            .len(),
        20
    );
    let text = h.final_text(&reply).await;
    assert!(
        text.contains("20 passende VPAs") && text.contains("5 weitere"),
        "{text}"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_inputs_get_a_clear_german_message_and_nothing_is_written() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 2, "research", 20.0).await;
    let cases: Vec<(Vec<(&str, vpa_desk::loopback::fixtures::Opt)>, &str)> = vec![
        (
            vec![
                ("client", "X".into()),
                ("competence", "Newsleter".into()),
                ("hours", 2.0.into()),
                ("deadline", "04.12.2026".into()),
            ],
            "Meintest du: „Newsletter“",
        ),
        (
            vec![
                ("client", "X".into()),
                ("competence", "research".into()),
                ("hours", 0.1.into()),
                ("deadline", "04.12.2026".into()),
            ],
            "0,25 h bis 500 h",
        ),
        (
            vec![
                ("client", "X".into()),
                ("competence", "research".into()),
                ("hours", 900.0.into()),
                ("deadline", "04.12.2026".into()),
            ],
            "außerhalb des erlaubten Bereichs",
        ),
        (
            vec![
                ("client", "X".into()),
                ("competence", "research".into()),
                ("hours", 2.0.into()),
                ("deadline", "29.11.2026".into()),
            ],
            "in der Vergangenheit",
        ),
        (
            vec![
                ("client", "X".into()),
                ("competence", "research".into()),
                ("hours", 2.0.into()),
                ("deadline", "nächste Woche".into()),
            ],
            "TT.MM.JJJJ",
        ),
        (
            vec![
                ("client", "   ".into()),
                ("competence", "research".into()),
                ("hours", 2.0.into()),
                ("deadline", "04.12.2026".into()),
            ],
            "Der Kunde fehlt",
        ),
        (
            vec![
                ("client", "X".into()),
                ("competence", "research".into()),
                ("hours", 2.0.into()),
                ("deadline", "04.12.2026".into()),
                ("description", "x".repeat(1025).into()),
            ],
            "Beschreibung ist zu lang",
        ),
    ];
    for (options, expected) in cases {
        let reply = h.task_new(&h.coordinator(), options).await;
        let text = h.final_text(&reply).await;
        assert!(
            text.contains("nicht angelegt") && text.contains(expected),
            "expected {expected:?} in {text:?}"
        );
    }
    assert_eq!(h.count("tasks").await, 0);
    assert_eq!(h.count("clients").await, 0);
    assert_eq!(h.count("survey_rounds").await, 0);
    let queued: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE json_extract(intent, '$.type') != 'pool_watch'",
    )
    .fetch_one(&h.sql)
    .await
    .unwrap();
    assert_eq!(
        queued, 0,
        "nothing queued but the pool-health watch's own message"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_are_checked_for_commands_and_components() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 2, "research", 20.0).await;
    // A VPA and a member without roles cannot create tasks.
    for user in [
        h.vpa(1000),
        vpa_desk::loopback::fixtures::FakeUser::new(777, "gast"),
    ] {
        let reply = h
            .task_new(
                &user,
                vec![
                    ("client", "X".into()),
                    ("competence", "research".into()),
                    ("hours", 2.0.into()),
                    ("deadline", "04.12.2026".into()),
                ],
            )
            .await;
        let text = h.final_text(&reply).await;
        assert!(text.contains("nur Koordinator:innen"), "{text}");
    }
    assert_eq!(h.count("tasks").await, 0);
    // The manager may do what a coordinator may.
    let reply = h
        .task_new(
            &h.manager(),
            vec![
                ("client", "X".into()),
                ("competence", "research".into()),
                ("hours", 2.0.into()),
                ("deadline", "04.12.2026".into()),
            ],
        )
        .await;
    h.final_text(&reply).await;
    let post = h.wait_survey_post(1).await;
    // A member without the VPA role cannot answer.
    let click = h
        .click(
            &post,
            &survey_button(&post, SurveyAction::Accept),
            &h.coordinator(),
        )
        .await;
    assert!(h.final_text(&click).await.contains("nur VPAs"));
    assert_eq!(h.answers(first_round_id(&post)).await, vec![]);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_by_button_select_and_modal_and_their_changes() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 3, "research", 20.0).await;
    h.research_task(6.0).await;
    let post = h.wait_survey_post(1).await;
    let round = first_round_id(&post);
    let (anna, ben, cem) = (h.vpa(1000), h.vpa(1001), h.vpa(1002));

    // Accept by button: private confirmation, the creator gets a DM.
    let accept = h
        .click(&post, &sv(SurveyAction::Accept, round), &anna)
        .await;
    assert!(h.final_text(&accept).await.contains("angenommen"));
    let discord = h.discord.clone();
    let dm = wait_until(|| discord.dm_messages(900).first().cloned())
        .await
        .expect("coordinator DM");
    assert!(
        dm["content"].as_str().unwrap().contains("<@1000>")
            && dm["content"].as_str().unwrap().contains("#1")
    );

    // Decline: a private select of reasons, then the optional note modal.
    let decline = h
        .click(&post, &sv(SurveyAction::Decline, round), &ben)
        .await;
    let select_message = decline.wait_final(WAIT).await.unwrap();
    let options: Vec<&str> = select_message["components"][0]["components"][0]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        options,
        [
            "keine Kapazität",
            "Kompetenz fehlt",
            "kein Interesse",
            "Deadline zu knapp",
            "Sonstiges"
        ]
    );
    let chosen = h
        .choose(
            &select_message,
            &sv(SurveyAction::Reason, round),
            &["no-capacity"],
            &ben,
        )
        .await;
    let confirmation = chosen.wait_final(WAIT).await.unwrap();
    assert_eq!(
        chosen.callback().unwrap()["type"],
        7,
        "the select message is updated in place"
    );
    assert!(
        confirmation["content"]
            .as_str()
            .unwrap()
            .contains("keine Kapazität")
    );
    let note_button = h
        .click(&confirmation, &sv(SurveyAction::AddNote, round), &ben)
        .await;
    let modal = note_button.response(WAIT).await.unwrap();
    assert_eq!(modal["type"], 9);
    let note = h
        .discord
        .interact(vpa_desk::loopback::fixtures::modal_submit(
            &sv(SurveyAction::NoteModal, round),
            &[("note", "Urlaub bis Mitte Dezember")],
            &ben,
        ))
        .await;
    assert!(
        h.final_text(&note)
            .await
            .contains("Urlaub bis Mitte Dezember")
    );
    let stored: (String, Option<String>) = sqlx::query_as(
        "SELECT reason, note FROM survey_answers WHERE round_id = ? AND vpa_id = 1001",
    )
    .bind(round)
    .fetch_one(&h.sql)
    .await
    .unwrap();
    assert_eq!(
        stored,
        (
            "no-capacity".into(),
            Some("Urlaub bis Mitte Dezember".into())
        )
    );

    // Later: a modal asks from when; a bad date changes nothing.
    let later = h.click(&post, &sv(SurveyAction::Later, round), &cem).await;
    assert_eq!(later.response(WAIT).await.unwrap()["type"], 9);
    let bad = h
        .discord
        .interact(vpa_desk::loopback::fixtures::modal_submit(
            &sv(SurveyAction::LaterModal, round),
            &[("from", "irgendwann")],
            &cem,
        ))
        .await;
    assert!(h.final_text(&bad).await.contains("kein gültiges Datum"));
    let past = h
        .discord
        .interact(vpa_desk::loopback::fixtures::modal_submit(
            &sv(SurveyAction::LaterModal, round),
            &[("from", "01.11.2026")],
            &cem,
        ))
        .await;
    assert!(h.final_text(&past).await.contains("Vergangenheit"));
    h.wait_answers(round, &[(1000, "accept"), (1001, "decline")])
        .await;
    let good = h
        .discord
        .interact(vpa_desk::loopback::fixtures::modal_submit(
            &sv(SurveyAction::LaterModal, round),
            &[("from", "07.12.2026")],
            &cem,
        ))
        .await;
    assert!(h.final_text(&good).await.contains("07.12.2026"));
    h.wait_answers(
        round,
        &[(1000, "accept"), (1001, "decline"), (1002, "later")],
    )
    .await;

    // Changing an answer replaces it and keeps the history.
    let change = h.click(&post, &sv(SurveyAction::Accept, round), &cem).await;
    h.final_text(&change).await;
    h.wait_answers(
        round,
        &[(1000, "accept"), (1001, "decline"), (1002, "accept")],
    )
    .await;
    assert_eq!(h.desk.db.answer_history_len(round).await.unwrap(), 5);

    // The post shows the live counts (edits folded).
    let id = post["id"].as_str().unwrap().to_string();
    h.wait_post_matching(&id, |m| {
        m["embeds"][0]["footer"]["text"]
            .as_str()
            .is_some_and(|t| t.contains("✅ 2 · ❌ 1 · ⏳ 0 · noch offen 0 von 3"))
    })
    .await;
    let edits = h.requests_since(0, |r| {
        r.method == "PATCH" && r.path.ends_with(&format!("/messages/{id}"))
    });
    assert!(
        edits.len() < 5,
        "answers fold into fewer edits than answers: {}",
        edits.len()
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reactions_answer_and_their_removal_withdraws() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 3, "research", 20.0).await;
    h.research_task(4.0).await;
    let post = h.wait_survey_post(1).await;
    let round = first_round_id(&post);
    let (anna, ben, cem) = (h.vpa(1000), h.vpa(1001), h.vpa(1002));
    h.react(&post, &anna, "✅", true).await;
    h.react(&post, &ben, "❌", true).await;
    h.react(&post, &cem, "⏳", true).await;
    h.wait_answers(
        round,
        &[(1000, "accept"), (1001, "decline"), (1002, "later")],
    )
    .await;
    let reason: String = sqlx::query_scalar(
        "SELECT reason FROM survey_answers WHERE round_id = ? AND vpa_id = 1001",
    )
    .bind(round)
    .fetch_one(&h.sql)
    .await
    .unwrap();
    assert_eq!(reason, "not-given");
    // ❌ and ⏳ leave reason or date open: the bot asks by DM with a button.
    let discord = h.discord.clone();
    let dm = wait_until(|| discord.dm_messages(1001).first().cloned())
        .await
        .expect("DM to Ben");
    assert_eq!(
        survey_button(&dm, SurveyAction::Decline),
        sv(SurveyAction::Decline, round)
    );
    let dm = wait_until(|| discord.dm_messages(1002).first().cloned())
        .await
        .expect("DM to Cem");
    assert_eq!(
        survey_button(&dm, SurveyAction::Later),
        sv(SurveyAction::Later, round)
    );
    // The DM button works outside the server (no member, no roles).
    let mut dm_click = vpa_desk::loopback::fixtures::component(
        &sv(SurveyAction::Later, round),
        2,
        &[],
        dm.clone(),
        &cem,
    );
    dm_click.as_object_mut().unwrap().remove("member");
    dm_click.as_object_mut().unwrap().remove("guild_id");
    dm_click["user"] = vpa_desk::loopback::fixtures::user_json(&cem);
    let opened = h.discord.interact(dm_click).await;
    assert_eq!(opened.response(WAIT).await.unwrap()["type"], 9);

    // Removing a reaction that is not the current answer does nothing; the matching one withdraws.
    h.react(&post, &anna, "❌", false).await;
    h.react(&post, &ben, "❌", false).await;
    h.wait_answers(round, &[(1000, "accept"), (1002, "later")])
        .await;
    // A changed answer by reaction replaces the old one.
    h.react(&post, &cem, "✅", true).await;
    h.wait_answers(round, &[(1000, "accept"), (1002, "accept")])
        .await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicates_bot_reactions_and_strangers() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 2, "research", 20.0).await;
    h.research_task(4.0).await;
    let post = h.wait_survey_post(1).await;
    let round = first_round_id(&post);
    let anna = h.vpa(1000);
    // The same reaction delivered several times at once: one answer, one history row.
    for _ in 0..5 {
        h.react(&post, &anna, "✅", true).await;
    }
    // The bot's own reaction is ignored.
    let bot = vpa_desk::loopback::fixtures::FakeUser::new(
        vpa_desk::loopback::fixtures::DEFAULT_BOT_USER_ID,
        "vpa-desk",
    )
    .with_roles(&[h.settings().vpa_role_id.0]);
    h.react(&post, &bot, "❌", true).await;
    // A VPA who was not surveyed is recorded and marked.
    let stranger = h.vpa(5000);
    h.react(&post, &stranger, "✅", true).await;
    h.wait_answers(round, &[(1000, "accept"), (5000, "accept")])
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(h.desk.db.answer_history_len(round).await.unwrap(), 2);
    let surveyed: Vec<(i64, bool)> = sqlx::query_as(
        "SELECT vpa_id, surveyed FROM survey_answers WHERE round_id = ? ORDER BY vpa_id",
    )
    .bind(round)
    .fetch_all(&h.sql)
    .await
    .unwrap();
    assert_eq!(surveyed, vec![(1000, true), (5000, false)]);
    // The same interaction delivered twice is handled once.
    let payload = vpa_desk::loopback::fixtures::component(
        &sv(SurveyAction::Accept, round),
        2,
        &[],
        post.clone(),
        &h.vpa(1001),
    );
    let first = h.discord.interact(payload.clone()).await;
    h.final_text(&first).await;
    h.discord
        .dispatch("INTERACTION_CREATE", first.payload())
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let callbacks = h.requests_since(0, |r| {
        r.path == format!("/interactions/{}/{}/callback", first.id(), first.token())
    });
    assert_eq!(callbacks.len(), 1, "one answer to one interaction");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_fits_is_said_plainly_and_nothing_is_posted() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 2, "newsletter", 20.0).await;
    let reply = h.research_task(4.0).await;
    let text = h.final_text(&reply).await;
    assert!(text.contains("kein VPA passt"), "{text}");
    assert!(h.survey_posts().is_empty());
    assert_eq!(h.count("tasks").await, 1);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_discord_outage_delays_the_post_but_delivers_it_exactly_once() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 2, "research", 20.0).await;
    let surveys = format!("/channels/{}/messages", h.settings().surveys_channel_id.0);
    h.discord.fail_next(
        FailRule::new(Failure::Status(500))
            .method("POST")
            .path_prefix(&surveys)
            .times(2),
    );
    h.discord.fail_next(
        FailRule::new(Failure::RateLimited {
            retry_after_secs: 0.2,
        })
        .method("POST")
        .path_prefix(&surveys)
        .times(1),
    );
    h.research_task(4.0).await;
    let discord = h.discord.clone();
    let channel = h.settings().surveys_channel_id.0;
    // Back-off after 1 s, 2 s and 4 s: 7 s, well inside 30 s even on a loaded machine.
    crate::bot_harness::wait_until_for(std::time::Duration::from_secs(30), || {
        (!discord.channel_messages(channel).is_empty()).then_some(())
    })
    .await
    .expect("the post after the outage");
    let posts = h.survey_posts();
    assert_eq!(posts.len(), 1, "delivered exactly once");
    let attempts = h.requests_since(0, |r| r.method == "POST" && r.path == surveys);
    assert_eq!(
        attempts.iter().map(|r| r.status).collect::<Vec<_>>(),
        [500, 500, 429, 200]
    );
    // A lost response: Discord made the post but the answer never arrived. The retry carries
    // the same nonce, so Discord hands back the first message instead of posting twice.
    h.discord.fail_next(
        FailRule::new(Failure::LoseResponse)
            .method("POST")
            .path_prefix(&surveys)
            .times(1),
    );
    h.research_task(3.0).await;
    let discord = h.discord.clone();
    wait_until(|| {
        let states = discord.requests();
        (states
            .iter()
            .filter(|r| r.method == "POST" && r.path == surveys)
            .count()
            >= 6)
            .then_some(())
    })
    .await
    .expect("the retry after the lost response");
    h.wait_survey_post(2).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        h.survey_posts().len(),
        2,
        "no double post after a lost response"
    );
    let nonces: Vec<Value> = h
        .requests_since(0, |r| r.method == "POST" && r.path == surveys)
        .iter()
        .skip(4)
        .map(|r| r.body["nonce"].clone())
        .collect();
    assert_eq!(nonces.len(), 2);
    assert_eq!(nonces[0], nonces[1], "the retry repeats the nonce");
    let recorded: i64 = sqlx::query_scalar("SELECT message_id FROM survey_rounds WHERE id = 2")
        .fetch_one(&h.sql)
        .await
        .unwrap();
    assert_eq!(
        recorded.to_string(),
        h.survey_posts()[1]["id"].as_str().unwrap(),
        "the round knows the one post"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_permanent_error_is_not_retried_forever() {
    let h = Harness::start().await;
    // A DM to a user who does not accept DMs: 403, given up at once and recorded.
    h.discord.refuse_dms_to(4242);
    let now = h.desk.now();
    let mut tx = h.desk.db.begin_write().await.unwrap();
    vpa_desk::db::outbox::enqueue(
        &mut tx,
        vpa_desk::db::outbox::once(
            Intent::Direct {
                to: vpa_desk::domain::DiscordId(4242),
                message: vpa_desk::domain::outbox::DirectMessage::Unassigned { task_id: TaskId(1) },
            },
            now,
        ),
        now,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    h.desk.ring_outbox();
    let desk = h.desk.clone();
    let mut failed = None;
    for _ in 0..200 {
        let states = desk.db.outbox_states().await.unwrap();
        if let Some(s) = states.into_iter().find(|s| s.status == "failed") {
            failed = Some(s);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let failed = failed.expect("the item is given up");
    assert_eq!(failed.attempts, 1);
    let error = failed.last_error.unwrap();
    assert!(
        error.contains("Cannot send messages to this user"),
        "{error}"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_crash_old_buttons_and_reactions_still_work_and_pending_posts_go_out_once() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 3, "research", 20.0).await;
    h.research_task(4.0).await;
    let post = h.wait_survey_post(1).await;
    let round = first_round_id(&post);
    // A post queued while Discord refuses: pending at the crash.
    let surveys = format!("/channels/{}/messages", h.settings().surveys_channel_id.0);
    h.discord.fail_next(
        FailRule::new(Failure::Status(503))
            .method("POST")
            .path_prefix(&surveys)
            .times(1),
    );
    h.research_task(2.0).await;
    let discord = h.discord.clone();
    wait_until(|| {
        discord
            .requests()
            .iter()
            .any(|r| r.status == 503)
            .then_some(())
    })
    .await
    .expect("the 503 happened");
    let h = h.crash_and_restart().await;
    let discord = h.discord.clone();
    let channel = h.settings().surveys_channel_id.0;
    wait_until(|| (discord.channel_messages(channel).len() == 2).then_some(()))
        .await
        .expect("pending post delivered after restart");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(h.survey_posts().len(), 2, "exactly once");
    // Buttons and reactions on the post from before the crash.
    let click = h
        .click(&post, &sv(SurveyAction::Accept, round), &h.vpa(1000))
        .await;
    assert!(h.final_text(&click).await.contains("angenommen"));
    h.react(&post, &h.vpa(1001), "❌", true).await;
    h.wait_answers(round, &[(1000, "accept"), (1001, "decline")])
        .await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn competence_autocomplete_offers_at_most_25_catalog_entries() {
    let h = Harness::start().await;
    let payload = vpa_desk::loopback::fixtures::autocomplete(
        "task",
        &["new"],
        vec![],
        ("competence", "text"),
        &h.coordinator(),
    );
    let handle = h.discord.interact(payload).await;
    let response = handle.response(WAIT).await.unwrap();
    assert_eq!(response["type"], 8);
    let choices = response["data"]["choices"].as_array().unwrap();
    assert!(!choices.is_empty() && choices.len() <= 25);
    assert!(choices.iter().any(|c| c["value"] == "copywriting"));
    h.stop().await;
}

#[test]
fn the_sandbox_binary_shows_a_whole_survey_without_a_discord_account() {
    let dir = tempfile::TempDir::new().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_vpa-desk"))
        .arg("sandbox")
        .current_dir(dir.path())
        .env("RUST_LOG", "warn")
        .env_remove("DATABASE_URL")
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for expected in [
        "Demo-Pool importiert: 10 VPAs.",
        "Aufgabe #1 angelegt. 4 passende VPAs angefragt.",
        "[Annehmen] [Ablehnen] [Später]",
        "Du hast Aufgabe #1 angenommen",
        "[Grund angeben]",
        "✅ 1 · ❌ 1 · ⏳ 1 · noch offen 1 von 4",
        "hat Aufgabe #1 angenommen",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
    assert!(
        !dir.path().join("vpa-desk.db").exists(),
        "the sandbox leaves the real database alone"
    );
}

/// Several DMs to one person go through one DM channel (asked for once), and every delivery is
/// recorded with the message it produced.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dms_to_one_person_share_their_dm_channel_and_are_recorded() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 3, "research", 20.0).await;
    h.research_task(6.0).await;
    let post = h.wait_survey_post(1).await;
    let round = first_round_id(&post);
    for id in 1000..1003 {
        h.react(&post, &h.vpa(id), "✅", true).await;
    }
    h.wait_answers(
        round,
        &[(1000, "accept"), (1001, "accept"), (1002, "accept")],
    )
    .await;
    // Each acceptance tells the creating coordinator (900).
    let discord = h.discord.clone();
    let dms = wait_until(|| Some(discord.dm_messages(900)).filter(|m| m.len() == 3))
        .await
        .expect("three DMs to the coordinator");
    let opened = h
        .discord
        .requests()
        .iter()
        .filter(|r| {
            r.is("POST", "/users/@me/channels")
                && (r.body["recipient_id"] == "900" || r.body["recipient_id"] == 900)
        })
        .count();
    assert_eq!(opened, 1, "the coordinator's DM channel is asked for once");

    let mut sent: Vec<i64> = dms
        .iter()
        .map(|m| m["id"].as_str().unwrap().parse().unwrap())
        .collect();
    sent.sort_unstable();
    // The delivery records are written once per batch: poll until they are in.
    let deadline = tokio::time::Instant::now() + WAIT;
    let recorded = loop {
        let rows: Vec<i64> = sqlx::query_scalar(
            "SELECT produced_message_id FROM outbox WHERE status = 'sent' \
             AND json_extract(intent, '$.type') = 'direct' AND json_extract(intent, '$.to') = 900 \
             ORDER BY produced_message_id",
        )
        .fetch_all(&h.sql)
        .await
        .unwrap();
        if rows.len() == 3 || tokio::time::Instant::now() >= deadline {
            break rows;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert_eq!(recorded, sent);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_given_together_share_a_batch_and_keep_each_vpas_order() {
    use vpa_desk::domain::DiscordId;
    use vpa_desk::domain::survey::{Answer, AnswerVia, DeclineReason};
    use vpa_desk::service::answers::{self, AnswerOutcome, Answerer};

    let h = Harness::start().await;
    h.seed_vpas(1000, 40, "research", 20.0).await;
    h.research_task(4.0).await;
    let post = h.wait_survey_post(1).await;
    let round = first_round_id(&post);
    let message = DiscordId(post["id"].as_str().unwrap().parse().unwrap());
    let desk = &h.desk;
    // Futures are first polled in order, so they join the queue in this order: Anna's four
    // changes land in between the others' answers of the same batches.
    type Outcome = vpa_desk::service::Result<AnswerOutcome>;
    let who = |id: u64, name: &str| Answerer {
        vpa: DiscordId(id),
        name: name.into(),
        event: None,
    };
    let anna = who(1000, "Anna");
    let others: Vec<Answerer> = (1..40).map(|i| who(1000 + i, "VPA")).collect();
    let mut all: Vec<futures_util::future::BoxFuture<'_, Outcome>> = Vec::new();
    for (i, vpa) in (1..40).zip(&others) {
        all.push(Box::pin(answers::record_answer(
            desk,
            round,
            vpa,
            Answer::Accept,
            AnswerVia::Button,
        )));
        match i {
            10 => all.push(Box::pin(answers::record_answer(
                desk,
                round,
                &anna,
                Answer::Accept,
                AnswerVia::Button,
            ))),
            20 => all.push(Box::pin(answers::record_reaction(
                desk,
                message,
                &anna,
                Answer::Decline {
                    reason: DeclineReason::NotGiven,
                    note: None,
                },
            ))),
            25 => all.push(Box::pin(answers::add_decline_note(
                desk,
                round,
                &anna,
                " voll bis Freitag ".into(),
            ))),
            30 => all.push(Box::pin(answers::withdraw_reaction(
                desk, message, &anna, "❌",
            ))),
            // The same reaction twice: the repeat changes nothing.
            35 => all.push(Box::pin(answers::record_answer(
                desk,
                round,
                vpa,
                Answer::Accept,
                AnswerVia::Button,
            ))),
            _ => {}
        }
    }
    let outcomes: Vec<AnswerOutcome> = futures_util::future::join_all(all)
        .await
        .into_iter()
        .collect::<vpa_desk::service::Result<_>>()
        .expect("every answer written");
    let changed = outcomes
        .iter()
        .filter(|o| {
            matches!(
                o,
                AnswerOutcome::Recorded { changed: true, .. } | AnswerOutcome::Withdrawn { .. }
            )
        })
        .count();
    assert_eq!(changed, 39 + 4, "39 first answers and Anna's four changes");
    let repeats = outcomes
        .iter()
        .filter(|o| matches!(o, AnswerOutcome::Recorded { changed: false, .. }))
        .count();
    assert_eq!(repeats, 1, "the repeated answer changes nothing");
    assert!(outcomes.contains(&AnswerOutcome::Withdrawn { task_id: TaskId(1) }));
    let history: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT answer, reason, note FROM survey_answer_history WHERE round_id = ? AND vpa_id = 1000 ORDER BY id",
    )
    .bind(round.0)
    .fetch_all(&h.sql)
    .await
    .unwrap();
    let kinds: Vec<&str> = history.iter().map(|h| h.0.as_str()).collect();
    assert_eq!(kinds, ["accept", "decline", "decline", "withdrawn"]);
    // The note kept the reason the reaction left open, trimmed.
    assert_eq!(
        history[2],
        (
            "decline".to_string(),
            Some("not-given".to_string()),
            Some("voll bis Freitag".to_string())
        )
    );
    let expected: Vec<(u64, &str)> = (1001..1040).map(|v| (v, "accept")).collect();
    assert_eq!(
        h.answers(round).await,
        expected
            .iter()
            .map(|(v, a)| (*v, a.to_string()))
            .collect::<Vec<_>>()
    );
    assert_eq!(h.desk.db.answer_history_len(round).await.unwrap(), 39 + 4);
    // Anna's ❌ by reaction asked for her reason once.
    let discord = h.discord.clone();
    let asked = wait_until(|| (!discord.dm_messages(1000).is_empty()).then_some(()))
        .await
        .is_some();
    assert!(asked, "Anna is asked for her reason");
    assert_eq!(
        h.discord
            .dm_messages(1000)
            .iter()
            .filter(|m| m["content"].as_str().unwrap_or_default().contains("warum"))
            .count(),
        1
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_answer_fails_alone_and_leaves_nothing_half_written() {
    use vpa_desk::domain::DiscordId;
    use vpa_desk::domain::survey::{Answer, AnswerVia};
    use vpa_desk::service::answers::{self, Answerer};

    let h = Harness::start().await;
    h.seed_vpas(1000, 20, "research", 20.0).await;
    h.research_task(4.0).await;
    let post = h.wait_survey_post(1).await;
    let round = first_round_id(&post);
    // A fault in the database for one VPA's row (real SQLite, a trigger that aborts).
    sqlx::query(
        "CREATE TRIGGER fail_for_1007 BEFORE INSERT ON survey_answers WHEN NEW.vpa_id = 1007 \
         BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    )
    .execute(&h.sql)
    .await
    .unwrap();
    let outbox_before: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM outbox")
        .fetch_one(&h.sql)
        .await
        .unwrap();
    let vpas: Vec<Answerer> = (1000..1020)
        .map(|v| Answerer {
            vpa: DiscordId(v),
            name: "VPA".into(),
            event: None,
        })
        .collect();
    let results = futures_util::future::join_all(
        vpas.iter()
            .map(|v| answers::record_answer(&h.desk, round, v, Answer::Accept, AnswerVia::Button)),
    )
    .await;
    for (v, result) in (1000..1020).zip(&results) {
        match v {
            1007 => assert!(
                format!("{:#}", result.as_ref().unwrap_err()).contains("injected fault"),
                "{result:?}"
            ),
            _ => assert!(result.is_ok(), "VPA {v}: {result:?}"),
        }
    }
    let expected: Vec<(u64, String)> = (1000..1020)
        .filter(|v| *v != 1007)
        .map(|v| (v, "accept".to_string()))
        .collect();
    assert_eq!(h.answers(round).await, expected);
    // Nothing of 1007's answer was written: no history row, no message to the coordinator.
    assert_eq!(h.desk.db.answer_history_len(round).await.unwrap(), 19);
    let dms: Vec<String> = sqlx::query_scalar("SELECT intent FROM outbox WHERE id > ?")
        .bind(outbox_before)
        .fetch_all(&h.sql)
        .await
        .unwrap();
    let to_coordinator = dms
        .iter()
        .filter(|i| i.contains("accepted_for_coordinator"))
        .count();
    assert_eq!(to_coordinator, 19, "one DM per recorded acceptance");
    assert!(!dms.iter().any(|i| i.contains("1007")), "{dms:?}");
    h.stop().await;
}

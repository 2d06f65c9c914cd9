//! Tasks: `/task new` (registration, the survey post and whom it mentions, bad inputs, nobody
//! fits, autocomplete), the coordinator's view of the answers, assigning and unassigning,
//! `/task show`, `list`, `done` and `cancel`, and task status changes with their history on
//! the database.

use chrono::Duration;
use vpa_desk::db::tasks::{StatusError, Why, set_status};
use vpa_desk::domain::task::TaskStatus;
use vpa_desk::domain::{DiscordId, TaskId};
use vpa_desk::loopback::fixtures::{self, FakeUser};

use crate::support::{
    CustomId, Harness, SurveyAction, TestDb, WAIT, content, custom_ids, d, message_id, now,
    round_of, sv, task_options, wait_until,
};

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
    let fitting = h.seed_vpas(1000, 3, "research").await;
    h.seed_vpas(2000, 2, "newsletter").await; // other competence: not mentioned
    let reply = h.research_task(8.0).await;
    let post = h.wait_survey_post(1).await;
    let content = content(&post);
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
    let request = h.survey_post_request().await;
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
    let channel = h.settings().surveys_channel_id.0;
    let reactions = wait_until(async || {
        let r = h.discord.bot_reactions(channel, message_id(&post).0);
        (r.len() == 3).then_some(r)
    })
    .await
    .expect("three reactions");
    assert_eq!(reactions, ["✅", "❌", "⏳"]);
    // The coordinator's private reply names the task, the count and links the post.
    let text = wait_until(async || {
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
    h.seed_vpas(1000, 25, "research").await;
    let mut options = task_options("Praxis Sommer", "Recherche", 2.0, "2026-12-10");
    options.push((
        "description",
        "@everyone dringend <@&100000000000000021>".into(),
    ));
    let new_task = fixtures::slash("task", &["new"], options, &h.coordinator());
    let reply = h.discord.interact(new_task).await;
    let post = h.wait_survey_post(1).await;
    let mentioned = content(&post).matches("<@").count();
    assert_eq!(mentioned, 20, "survey.max_mentions caps the mentions");
    let request = h.survey_post_request().await;
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
    h.seed_vpas(1000, 2, "research").await;
    let mut too_long = task_options("X", "research", 2.0, "04.12.2026");
    too_long.push(("description", "x".repeat(1025).into()));
    let cases = [
        (
            task_options("X", "Newsleter", 2.0, "04.12.2026"),
            "Meintest du: „Newsletter“",
        ),
        (
            task_options("X", "research", 0.1, "04.12.2026"),
            "0,25 h bis 500 h",
        ),
        (
            task_options("X", "research", 900.0, "04.12.2026"),
            "außerhalb des erlaubten Bereichs",
        ),
        (
            task_options("X", "research", 2.0, "29.11.2026"),
            "in der Vergangenheit",
        ),
        (
            task_options("X", "research", 2.0, "nächste Woche"),
            "TT.MM.JJJJ",
        ),
        (
            task_options("   ", "research", 2.0, "04.12.2026"),
            "Der Kunde fehlt",
        ),
        (too_long, "Beschreibung ist zu lang"),
    ];
    for (options, expected) in cases {
        let text = h.task_cmd("new", options).await;
        assert!(
            text.contains("nicht angelegt") && text.contains(expected),
            "expected {expected:?} in {text:?}"
        );
    }
    assert_eq!(h.count("tasks").await, 0);
    assert_eq!(h.count("clients").await, 0);
    assert_eq!(h.count("survey_rounds").await, 0);
    let queued: i64 = h
        .sql
        .one("SELECT COUNT(*) FROM outbox WHERE json_extract(intent, '$.type') != 'pool_watch'")
        .await;
    assert_eq!(
        queued, 0,
        "nothing queued but the pool-health watch's own message"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_fits_is_said_plainly_and_nothing_is_posted() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 2, "newsletter").await;
    let reply = h.research_task(4.0).await;
    let text = h.final_text(&reply).await;
    assert!(text.contains("kein VPA passt"), "{text}");
    h.settle().await;
    assert!(h.survey_posts().is_empty());
    assert_eq!(h.count("tasks").await, 1);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn competence_autocomplete_offers_at_most_25_catalog_entries() {
    let h = Harness::start().await;
    let payload = fixtures::autocomplete(
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinator_sees_answers_assigns_and_unassigns() {
    let h = Harness::start().await;
    h.seed_vpas(3001, 4, "research").await;
    h.research_task(10.0).await;
    let post = h.wait_survey_post(1).await;
    let round = round_of(&post);
    h.react(&post, &h.vpa(3001), "✅", true).await;
    h.react(&post, &h.vpa(3002), "❌", true).await;
    let later = sv(SurveyAction::LaterModal, round);
    h.submit(&later, &[("from", "03.12.2026")], &h.vpa(3003))
        .await;
    // The creator hears about the acceptance.
    h.wait_dm(900, "").await;
    h.wait_answers(
        round,
        &[(3001, "accept"), (3002, "decline"), (3003, "later")],
    )
    .await;

    let survey_status = vec![("task", 1i64.into())];
    let status = fixtures::slash("survey", &["status"], survey_status, &h.coordinator());
    let status = h.reply(status).await.shown;
    let text = content(&status);
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
    let assign = CustomId::Assign { task: TaskId(1) };
    assert!(custom_ids(&status).contains(&assign), "{status}");
    let select_id = assign.encode();
    let refused = h.pick(&status, &select_id, &["3001"], &h.vpa(3001)).await;
    assert!(refused.contains("nur Koordinator:innen"));
    let text = h
        .pick(&status, &select_id, &["3001"], &h.coordinator())
        .await;
    assert!(
        text.contains("an <@3001>") && text.contains("Auslastung diese Woche jetzt: 50 %"),
        "{text}"
    );
    // The post says "vergeben", the buttons are gone, the VPA gets a DM with the client.
    let id = post["id"].as_str().unwrap().to_string();
    h.wait_post_matching(&id, |m| {
        content(m).contains("vergeben") && m["components"].as_array().is_none_or(|c| c.is_empty())
    })
    .await;
    let dm = h.wait_dm(3001, "bekommen").await;
    assert!(content(&dm).contains("Kanzlei Berger"));
    let util = async || {
        let desk = &h.desk;
        let vpa = desk
            .db
            .get_vpa(&desk.config.catalog, DiscordId(3001))
            .await
            .unwrap()
            .unwrap();
        vpa_desk::domain::utilization::utilization(&vpa.commitments, vpa.weekly_hours, desk.today())
    };
    assert_eq!(util().await, Some(0.5));
    let text = h.assign(1, &h.vpa(3001)).await;
    assert!(text.contains("hat Aufgabe #1 schon"), "{text}");
    // Unassigning frees the hours and puts the task back into demand.
    let text = h.unassign(1, &h.vpa(3001)).await;
    assert!(
        text.contains("wieder frei") && text.contains("Umfrage läuft"),
        "{text}"
    );
    assert_eq!(util().await, Some(0.0));
    let text = h.unassign(1, &h.vpa(3001)).await;
    assert!(text.contains("hat Aufgabe #1 nicht"), "{text}");
    // Assign by command, with a concern when the VPA would not fit.
    let text = h.assign(1, &h.vpa(3002)).await;
    assert!(text.contains("an <@3002>"), "{text}");
    let text = h.assign(99, &h.vpa(3002)).await;
    assert!(text.contains("Eine Aufgabe #99 gibt es nicht"), "{text}");
    let text = h.assign(1, &FakeUser::new(4444, "x")).await;
    assert!(text.contains("kein VPA-Profil"), "{text}");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn task_show_list_done_and_cancel() {
    let h = Harness::start().await;
    h.seed_vpas(3001, 2, "research").await;
    h.research_task(4.0).await;
    h.wait_survey_post(1).await;
    h.research_task(6.0).await;
    h.wait_survey_post(2).await;
    let id = |id: i64| vec![("id", id.into())];
    let text = h.task_cmd("list", vec![]).await;
    assert!(
        text.contains("Offener Bedarf: 2")
            && text.contains("__Backoffice__")
            && text.find("#1").unwrap() < text.find("#2").unwrap(),
        "{text}"
    );
    let text = h.task_cmd("show", id(1)).await;
    assert!(
        text.contains("Kunde: Kanzlei Berger")
            && text.contains("Umfrage 1:")
            && text.contains("Umfrage läuft"),
        "{text}"
    );
    let text = h.task_cmd("show", id(7)).await;
    assert!(text.contains("gibt es nicht"), "{text}");
    let cancel = |reason: &str| vec![("id", 2i64.into()), ("reason", reason.into())];
    let text = h.task_cmd("cancel", cancel("   ")).await;
    assert!(text.contains("Gib einen Grund"), "{text}");
    let text = h.task_cmd("cancel", cancel("Kunde hat abgesagt")).await;
    assert!(text.contains("abgebrochen"), "{text}");
    let text = h.task_cmd("done", id(2)).await;
    assert!(
        text.contains("abgebrochen – das geht in diesem Zustand nicht"),
        "{text}"
    );
    h.assign(1, &h.vpa(3001)).await;
    let text = h.task_cmd("done", id(1)).await;
    assert!(text.contains("erledigt"), "{text}");
    let text = h.task_cmd("list", vec![]).await;
    assert!(text.contains("Kein offener Bedarf"), "{text}");
    let note: String = h
        .sql
        .one("SELECT note FROM task_status_history WHERE task_id = 2 AND to_status = 'cancelled'")
        .await;
    assert_eq!(note, "Kunde hat abgesagt");
    h.stop().await;
}

#[tokio::test]
async fn task_status_changes_are_stored_with_history_and_forbidden_ones_refused() {
    let t = TestDb::new().await;
    let catalog = &t.config.catalog;
    let coordinator = DiscordId(900);
    let task = t
        .task("Kanzlei Müller", "research", 8.0, false, d("2026-12-04"))
        .await;
    assert_eq!(task.status, TaskStatus::Open);
    assert!(task.new_client);

    let mut tx = t.db.begin_write().await.unwrap();
    let later = |m| now() + Duration::minutes(m);
    let steps = [
        (TaskStatus::Surveying, "Umfrage gestartet", 1),
        (TaskStatus::Assigned, "an VPA 101", 2),
        (TaskStatus::Done, "erledigt", 3),
    ];
    let mut from = TaskStatus::Open;
    for (to, note, m) in steps {
        let previous = set_status(
            &mut tx,
            task.id,
            to,
            &Why::note(Some(note)),
            Some(coordinator),
            later(m),
        )
        .await
        .unwrap();
        assert_eq!(previous, from);
        from = to;
    }
    // Done is final.
    match set_status(
        &mut tx,
        task.id,
        TaskStatus::Open,
        &Why::default(),
        None,
        later(4),
    )
    .await
    {
        Err(StatusError::NotAllowed { from, to, .. }) => {
            assert_eq!((from, to), (TaskStatus::Done, TaskStatus::Open))
        }
        other => panic!("expected NotAllowed, got {other:?}"),
    }
    // The same status again changes nothing and records nothing.
    set_status(
        &mut tx,
        task.id,
        TaskStatus::Done,
        &Why::default(),
        None,
        later(5),
    )
    .await
    .unwrap();
    assert!(matches!(
        set_status(
            &mut tx,
            TaskId(9999),
            TaskStatus::Surveying,
            &Why::default(),
            None,
            later(6)
        )
        .await,
        Err(StatusError::Missing(TaskId(9999)))
    ));
    tx.commit().await.unwrap();

    let stored = t.db.get_task(catalog, task.id).await.unwrap().unwrap();
    assert_eq!(stored.status, TaskStatus::Done);
    let history = t.db.status_history(task.id).await.unwrap();
    let got: Vec<(Option<&str>, &str, Option<&str>)> = history
        .iter()
        .map(|c| {
            (
                c.from_status.map(TaskStatus::key),
                c.to_status.key(),
                c.note.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (None, "open", None),
            (Some("open"), "surveying", Some("Umfrage gestartet")),
            (Some("surveying"), "assigned", Some("an VPA 101")),
            (Some("assigned"), "done", Some("erledigt")),
        ]
    );
    assert_eq!(history[3].changed_at, later(3));
    let who: Vec<Option<i64>> = t
        .sql
        .column(format!(
            "SELECT changed_by FROM task_status_history WHERE task_id = {} ORDER BY id",
            task.id
        ))
        .await;
    assert_eq!(who, vec![None, Some(900), Some(900), Some(900)]);

    // Open demand lists surveying tasks, not finished ones; open → done directly is refused.
    let second = t
        .task("Kanzlei Müller", "newsletter", 4.0, false, d("2026-12-11"))
        .await;
    assert!(!second.new_client);
    let mut tx = t.db.begin_write().await.unwrap();
    assert!(matches!(
        set_status(
            &mut tx,
            second.id,
            TaskStatus::Done,
            &Why::default(),
            None,
            later(7)
        )
        .await,
        Err(StatusError::NotAllowed { .. })
    ));
    set_status(
        &mut tx,
        second.id,
        TaskStatus::Surveying,
        &Why::default(),
        None,
        later(8),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let demand: Vec<TaskId> =
        t.db.open_demand(catalog)
            .await
            .unwrap()
            .iter()
            .map(|t| t.id)
            .collect();
    assert_eq!(demand, vec![second.id]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survey_status_lists_who_was_left_out_grouped_by_reason() {
    let h = Harness::start().await;
    let today = h.desk.today();
    let research = [("research", vpa_desk::domain::Level::Good)];
    let mut pool = Vec::new();
    let mut vpa = |id: u64, change: &dyn Fn(&mut vpa_desk::domain::Vpa)| {
        let mut v = h.ready_vpa(id, &research);
        change(&mut v);
        pool.push(v);
    };
    vpa(6001, &|_| {}); // fits
    vpa(6002, &|v| {
        v.vt_stop_until = Some(today + chrono::Duration::days(5))
    });
    vpa(6003, &|v| {
        v.absent_from = Some(today);
        v.absent_until = Some(today + chrono::Duration::days(3));
    });
    vpa(6004, &|v| v.weekly_hours = 1.0); // no room for 2 h
    vpa(6005, &|v| v.wants_new_clients = false);
    vpa(6006, &|v| v.wants_tasks = false);
    vpa(6007, &|v| v.weekly_hours = 0.0);
    vpa(6008, &|v| v.active = false);
    pool.push(h.ready_vpa(6009, &[("newsletter", vpa_desk::domain::Level::Good)]));
    h.save_vpas(&pool).await;
    h.new_task("Kanzlei Berger", "research", 2.0, "04.12.2026")
        .await;
    h.wait_survey_post(1).await;
    let status = fixtures::slash(
        "survey",
        &["status"],
        vec![("task", 1i64.into())],
        &h.coordinator(),
    );
    let status = h.reply(status).await.shown;
    // A VPA may not see the list.
    let refused = h.press(&status, "lo:1", &h.vpa(6001)).await;
    assert!(refused.contains("nur Koordinator"), "{refused}");
    let text = h.press(&status, "lo:1", &h.coordinator()).await;
    assert!(text.contains("1 VPAs ohne die Kompetenz"), "{text}");
    assert!(text.contains("von den 8 mit der Kompetenz"), "{text}");
    for (reason, vpa) in [
        ("VT-Stop (1): <@6002>", 6002),
        ("abwesend (1): <@6003>", 6003),
        ("keine Kapazität (1): <@6004>", 6004),
        ("(1): <@6005>", 6005),
        ("(1): <@6006>", 6006),
        ("(1): <@6007>", 6007),
        ("(1): <@6008>", 6008),
    ] {
        assert!(text.contains(reason), "{vpa}: {text}");
    }
    assert!(
        !text.contains("<@6001>"),
        "the fitting one was asked: {text}"
    );
    assert!(!text.contains("<@6009>"), "counted, not named: {text}");
    // /task show carries the same button.
    let show = fixtures::slash(
        "task",
        &["show"],
        vec![("id", 1i64.into())],
        &h.coordinator(),
    );
    let show = h.reply(show).await.shown;
    let again = h.press(&show, "lo:1", &h.coordinator()).await;
    assert_eq!(again, text);
    h.stop().await;
}

/// The VPAs a post mentions.
fn mentioned(post: &serde_json::Value) -> Vec<String> {
    content(post)
        .split_whitespace()
        .filter(|w| w.starts_with("<@") && w.ends_with('>'))
        .map(str::to_string)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_fitting_than_one_post_are_reached_in_waves_and_nobody_twice() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 45, "research").await;
    let reply = h.research_task(2.0).await;
    let reply = h.final_text(&reply).await;
    assert!(reply.contains("Hälfte des Umfragefensters"), "{reply}");
    let first = mentioned(&h.wait_survey_post(1).await);
    assert_eq!(first.len(), 20);
    // Back office: a 4 h window; at half of it nobody has accepted, so the next 20 are asked.
    h.advance(Duration::minutes(119)).await;
    assert_eq!(h.survey_posts().len(), 1, "not before half the window");
    h.advance(Duration::minutes(2)).await;
    let second = mentioned(&h.wait_survey_post(2).await);
    assert_eq!(second.len(), 20);
    assert!(second.iter().all(|m| !first.contains(m)), "nobody twice");
    // The first round closes at 4 h while the wave is still open: no notice yet.
    h.advance(Duration::minutes(120)).await;
    assert!(h.notices().is_empty(), "a round of the task is still open");
    // The wave closes at 2 h + 4 h without an acceptance: now the manager hears.
    h.advance(Duration::minutes(121)).await;
    h.wait_notices(1).await;
    // Only one wave by itself; the last 5 by "Weitere anfragen" on /survey status, which then
    // has nobody left to ask — still nobody twice.
    assert_eq!(h.survey_posts().len(), 2);
    let status = h
        .reply(fixtures::slash(
            "survey",
            &["status"],
            vec![("task", 1i64.into())],
            &h.coordinator(),
        ))
        .await
        .shown;
    let further = custom_ids(&status)
        .into_iter()
        .map(|c| c.encode())
        .find(|c| c == "wv:1");
    assert!(further.is_some(), "{status}");
    assert!(
        status.to_string().contains("Weitere anfragen: 5"),
        "{status}"
    );
    let text = h.press(&status, "wv:1", &h.coordinator()).await;
    assert!(
        text.contains("5 weitere passende VPAs") && text.contains("alle Passenden angefragt"),
        "{text}"
    );
    let again = h.press(&status, "wv:1", &h.coordinator()).await;
    assert!(again.contains("schon angefragt"), "{again}");
    let third = mentioned(&h.wait_survey_post(3).await);
    assert_eq!(third.len(), 5);
    let mut all: Vec<String> = first.into_iter().chain(second).chain(third).collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 45);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_wave_once_somebody_accepted() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 25, "research").await;
    h.research_task(2.0).await;
    let post = h.wait_survey_post(1).await;
    h.react(&post, &h.vpa(1000), "✅", true).await;
    h.wait_answers(crate::support::round_of(&post), &[(1000, "accept")])
        .await;
    h.advance(Duration::minutes(121)).await;
    assert_eq!(h.survey_posts().len(), 1);
    h.stop().await;
}

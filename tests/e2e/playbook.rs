//! The fallback playbook: the right people and numbers in the manager's notice (from a test
//! pool where the answers are known) and every button doing what it says — extend, re-ask,
//! related rounds, newbie nudges, split — and a later deadline (`/task edit`) with the
//! templates for the client.

use chrono::Duration;
use serde_json::Value;
use vpa_desk::domain::competence::Level;
use vpa_desk::domain::ids::{RoundId, TaskId};
use vpa_desk::domain::vpa::Vpa;
use vpa_desk::loopback::fixtures::FakeUser;
use vpa_desk::present::custom_id::{CustomId, PickerId};

use crate::support::{
    Harness, PlaybookButton, SurveyAction, content, custom_ids, de, field, pb, playbook_button,
    says, survey_button, sv, wait_until,
};

struct Member {
    id: u64,
    competences: &'static [(&'static str, Level)],
    wants_tasks: bool,
    wants_new_clients: bool,
    vt_stop: bool,
    newbie: bool,
    willing_to_train: bool,
}

const fn m(id: u64, competences: &'static [(&'static str, Level)]) -> Member {
    Member {
        id,
        competences,
        wants_tasks: true,
        wants_new_clients: true,
        vt_stop: false,
        newbie: false,
        willing_to_train: false,
    }
}

const RESEARCH: &[(&str, Level)] = &[("research", Level::Good)];

/// The test pool; who is where in the playbook is known by construction.
async fn seed(h: &Harness) {
    let members = [
        m(7001, RESEARCH), // declines "keine Kapazität" although free → illogical
        m(7002, RESEARCH), // later from 07.12.2026
        m(7003, RESEARCH), // no answer
        Member {
            wants_tasks: false,
            ..m(7010, RESEARCH)
        }, // extend
        Member {
            wants_new_clients: false,
            ..m(7011, RESEARCH)
        }, // extend
        Member {
            wants_tasks: false,
            vt_stop: true,
            ..m(7012, RESEARCH)
        }, // VT-Stop: not even extended
        Member {
            newbie: true,
            ..m(7020, &[("newsletter", Level::Basic)])
        }, // newbie without BO competence
        Member {
            newbie: true,
            ..m(7021, &[("data-entry", Level::Basic)])
        }, // newbie with one: not nudged
        Member {
            newbie: true,
            ..m(7022, &[("seo", Level::Basic)])
        }, // newbie who refuses DMs
        Member {
            willing_to_train: true,
            ..m(7030, &[("document-creation", Level::Good)])
        }, // training, related round
        m(
            7040,
            &[("research", Level::Good), ("newsletter", Level::Good)],
        ), // keeps the pool healthy
        m(
            7041,
            &[("research", Level::Good), ("newsletter", Level::Good)],
        ),
        m(
            7042,
            &[("research", Level::Good), ("newsletter", Level::Good)],
        ),
    ];
    let today = h.desk.today();
    let vpas: Vec<Vpa> = members
        .iter()
        .map(|member| {
            let mut vpa = h.ready_vpa(member.id, member.competences);
            vpa.wants_tasks = member.wants_tasks;
            vpa.wants_new_clients = member.wants_new_clients;
            vpa.vt_stop_until = member.vt_stop.then(|| today + Duration::days(30));
            vpa.joined_on = Some(if member.newbie {
                today - Duration::days(10)
            } else {
                today - Duration::days(400)
            });
            vpa.willing_to_train = member.willing_to_train;
            vpa
        })
        .collect();
    h.save_vpas(&vpas).await;
    h.desk.pool_changed();
}

/// Creates the 25 h task, lets the VPAs answer, closes the window: the notice with the playbook.
async fn escalated(h: &Harness) -> Value {
    seed(h).await;
    h.new_task("Kanzlei Berger", "research", 25.0, "31.12.2026")
        .await;
    let post = h.wait_survey_post(1).await;
    let content = content(&post);
    for id in [7001, 7002, 7003, 7040, 7041, 7042] {
        assert!(
            content.contains(&format!("<@{id}>")),
            "{id} surveyed: {content}"
        );
    }
    let reason = sv(SurveyAction::Reason, RoundId(1));
    h.pick(&post, &reason, &["no-capacity"], &h.vpa(7001)).await;
    let later = sv(SurveyAction::LaterModal, RoundId(1));
    h.submit(&later, &[("from", "07.12.2026")], &h.vpa(7002))
        .await;
    h.advance(Duration::hours(5)).await;
    wait_until(async || {
        h.notices()
            .into_iter()
            .find(|n| n["embeds"].as_array().is_some_and(|e| !e.is_empty()))
    })
    .await
    .expect("the notice")
}

/// Presses the notice's playbook button of this kind as `user`: the final private text.
async fn play(h: &Harness, notice: &Value, button: PlaybookButton, user: &FakeUser) -> String {
    h.press(notice, &playbook_button(notice, &button), user)
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_notice_names_the_right_people_and_numbers() {
    let h = Harness::start().await;
    let notice = escalated(&h).await;
    let content = content(&notice);
    assert!(
        content.contains("6 angefragt")
            && content.contains("keine Kapazität 1")
            && content.contains("⏳ 1 später"),
        "{content}"
    );
    let extend = field(&notice, "1. Umfrage erweitern");
    assert!(
        extend.starts_with("2 VPAs")
            && extend.contains("Unlogische Absagen")
            && extend.contains("<@7001>"),
        "{extend}"
    );
    let later = field(&notice, "2. Deadline verschieben");
    assert!(
        later.contains("Frühestens ab 07.12.2026") && later.contains("<@7002>"),
        "{later}"
    );
    let related = field(&notice, "3. Kompetenz ändern");
    assert!(
        related.contains("„Dokumentenerstellung“: 1 passende")
            && related.contains("„Datenpflege“: 1 passende"),
        "{related}"
    );
    let newbies = field(&notice, "4. Newbies anstupsen");
    assert!(newbies.starts_with("2 Newbies"), "{newbies}");
    let split = field(&notice, "5. Aufteilen");
    assert!(
        split.contains("3 Teile: 8,5 h + 8,25 h + 8,25 h"),
        "{split}"
    );
    let training = field(&notice, "6. Einarbeitung");
    assert!(
        training.contains("<@7030>") && !training.contains("<@7021>"),
        "{training}"
    );
    assert!(field(&notice, "7. Externe Recherche").contains("/template name:external task:1"));
    let labels: Vec<String> = notice["components"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["components"].as_array().unwrap().clone())
        .map(|b| b["label"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        labels,
        [
            "Umfrage erweitern (2)",
            "Absagen nachfragen (1)",
            "Als „Dokumentenerstellung“ ausschreiben (1)",
            "Als „Datenpflege“ ausschreiben (1)",
            "Newbies anstupsen (2)",
            "In 3 Teile aufteilen",
            "Extern vergeben"
        ]
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extend_reask_and_related_rounds_reach_exactly_their_people() {
    let h = Harness::start().await;
    let notice = escalated(&h).await;
    // A VPA may not press the manager's buttons.
    let refused = play(&h, &notice, PlaybookButton::Extend, &h.vpa(7001)).await;
    assert!(refused.contains("nur Koordinator:innen"), "{refused}");
    h.settle().await;
    assert_eq!(h.survey_posts().len(), 1);

    let text = play(&h, &notice, PlaybookButton::Extend, &h.manager()).await;
    assert!(text.contains("2 VPAs angefragt"), "{text}");
    let extended = h.wait_survey_post(2).await;
    let mentions = content(&extended);
    assert!(
        mentions.contains("<@7010>") && mentions.contains("<@7011>"),
        "{mentions}"
    );
    assert_eq!(
        mentions.matches("<@").count(),
        2,
        "only the new group: {mentions}"
    );

    let text = play(&h, &notice, PlaybookButton::Reask, &h.coordinator()).await;
    assert!(text.contains("1 VPA zu Aufgabe #1"), "{text}");
    let dm = h.wait_dm(7001, "keine Kapazität").await;
    assert_eq!(
        survey_button(&dm, SurveyAction::Accept),
        sv(SurveyAction::Accept, RoundId(1))
    );

    let related = pb(1, PlaybookButton::Related("document-creation".into()));
    let text = h.press(&notice, &related, &h.coordinator()).await;
    assert!(
        text.contains("Dokumentenerstellung") && text.contains("1 VPA angefragt"),
        "{text}"
    );
    let related = h.wait_survey_post(3).await;
    let content = content(&related);
    assert!(
        content.contains("Dokumentenerstellung")
            && content.contains("<@7030>")
            && content.matches("<@").count() == 1,
        "{content}"
    );
    let kinds: Vec<String> = h
        .sql
        .column("SELECT kind FROM survey_rounds ORDER BY id")
        .await;
    assert_eq!(kinds, ["first", "extended", "related"]);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn newbie_nudges_respect_the_cool_down_and_fall_back_to_the_channel() {
    let h = Harness::start().await;
    h.discord.refuse_dms_to(7022);
    let notice = escalated(&h).await;
    let nudge = async || play(&h, &notice, PlaybookButton::Nudge, &h.coordinator()).await;
    let text = nudge().await;
    assert!(text.starts_with("2 Newbies angestupst"), "{text}");
    let dm = h.wait_dm(7020, "").await;
    assert!(content(&dm).contains("Grundkenntnisse reichen!"));
    assert!(
        custom_ids(&dm).contains(&CustomId::Picker(PickerId::Open)),
        "{dm}"
    );
    let newbies = h.settings().newbies_channel_id.0;
    let post = wait_until(async || h.discord.channel_messages(newbies).first().cloned())
        .await
        .expect("fallback post");
    assert!(content(&post).starts_with("<@7022>"));
    h.settle().await;
    assert!(
        h.discord.dm_messages(7021).is_empty(),
        "a newbie with a BO competence is left alone"
    );
    let text = nudge().await;
    assert!(
        text.starts_with("0 Newbies") && text.contains("2 wurden kürzlich"),
        "{text}"
    );
    // Only the clock moves (no timers rung): the cool-down is over.
    h.clock.advance(Duration::days(15));
    let text = nudge().await;
    assert!(text.starts_with("2 Newbies"), "after the cool-down: {text}");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn split_makes_surveyed_parts_that_sum_to_the_whole() {
    let h = Harness::start().await;
    let notice = escalated(&h).await;
    let text = play(&h, &notice, PlaybookButton::Split, &h.coordinator()).await;
    assert!(
        text.contains("#2 (8,5 h)") && text.contains("#3 (8,25 h)") && text.contains("#4 (8,25 h)"),
        "{text}"
    );
    let parts: Vec<(f64, i64)> = h
        .sql
        .rows(
            "SELECT hours, parent_task_id FROM tasks WHERE parent_task_id IS NOT NULL ORDER BY id",
        )
        .await;
    assert_eq!(parts.len(), 3);
    assert!((parts.iter().map(|p| p.0).sum::<f64>() - 25.0).abs() < 1e-9);
    assert!(parts.iter().all(|p| p.0 <= 10.0 && p.1 == 1));
    for n in 2..=4 {
        let post = h.wait_survey_post(n).await;
        assert!(
            post["embeds"][0]["fields"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["value"].as_str().is_some_and(|v| v.starts_with("Teil ")))
        );
    }
    // Only a large task can be split.
    let text = h
        .press(&notice, &pb(2, PlaybookButton::Split), &h.coordinator())
        .await;
    assert!(text.contains("erst ab 20 h"), "{text}");
    // The parent is final: its parts are the demand, it cannot be assigned, and /task show
    // names its parts.
    let status: String = h.sql.one("SELECT status FROM tasks WHERE id = 1").await;
    assert_eq!(status, "split");
    let list = h.task_cmd("list", vec![]).await;
    assert!(
        !list.contains("#1 ") && list.contains("#2") && list.contains("#4"),
        "{list}"
    );
    let refused = h.assign(1, &h.vpa(7001)).await;
    assert!(refused.contains("aufgeteilt"), "{refused}");
    let show = h.task_cmd("show", vec![("id", 1i64.into())]).await;
    assert!(
        show.contains("Aufgeteilt in: #2 (8,5 h, ") && show.contains("#4 (8,25 h, "),
        "{show}"
    );
    crate::reports::facts_agree(&h).await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_later_deadline_moves_the_round_and_updates_the_post_and_templates_are_filled() {
    let h = Harness::start().await;
    seed(&h).await;
    h.new_task("Praxis Sommer", "research", 4.0, "01.12.2026")
        .await;
    let post = h.wait_survey_post(1).await;
    const CLOSES: &str = "SELECT closes_at FROM survey_rounds WHERE id = 1";
    let before: String = h.sql.one(CLOSES).await;
    let later = sv(SurveyAction::LaterModal, RoundId(1));
    h.submit(&later, &[("from", "03.12.2026")], &h.vpa(7002))
        .await;
    // Bad inputs change nothing.
    let edit = |field: &'static str, value: &str| vec![("id", 1i64.into()), (field, value.into())];
    for (options, expected) in [
        (edit("deadline", "gestern"), "kein gültiges Datum"),
        (edit("deadline", "01.01.2020"), "in der Vergangenheit"),
        (
            vec![("id", 1i64.into()), ("hours", 900.0.into())],
            "außerhalb des erlaubten Bereichs",
        ),
        (vec![("id", 1i64.into())], "mindestens eines"),
        (
            vec![("id", 77i64.into()), ("deadline", "05.12.2026".into())],
            "gibt es nicht",
        ),
    ] {
        let text = h.task_cmd("edit", options).await;
        assert!(text.contains(expected), "{expected}: {text}");
    }
    assert_eq!(h.sql.one::<String>(CLOSES).await, before);
    // The template for the client, with the "later" date.
    let template = |name: i64| vec![("name", name.into()), ("task", 1i64.into())];
    let text = h
        .slash("template", &[], template(0), &h.coordinator())
        .await;
    assert!(
        text.contains("Hallo Praxis Sommer")
            && text.contains("ab 03.12.2026")
            && text.contains("Deadline 01.12.2026"),
        "{text}"
    );
    let refused = h.slash("template", &[], template(3), &h.vpa(7001)).await;
    assert!(refused.contains("nur Koordinator:innen"));
    // Move the deadline: the round's close moves with it (Monday 30.11. 09:00 + 4 h window,
    // previously capped by the end of 01.12.; now the window itself), the post shows the date.
    let text = h.task_cmd("edit", edit("deadline", "03.12.2026")).await;
    assert!(text.contains("Deadline 01.12.2026 → 03.12.2026"), "{text}");
    let id = post["id"].as_str().unwrap().to_string();
    h.wait_post_matching(&id, |m| {
        m["embeds"][0]["fields"]
            .as_array()
            .is_some_and(|f| f.iter().any(|f| f["value"] == "03.12.2026"))
    })
    .await;
    // The history keeps what changed as data; it reads as the catalog says it.
    let history = h.desk.db.status_history(TaskId(1)).await.unwrap();
    let edited = history
        .last()
        .and_then(|c| c.detail.clone())
        .expect("the edit");
    assert_eq!(
        vpa_desk::present::tasks::detail(de(), &h.desk.config.catalog, &edited),
        "Deadline 01.12.2026 → 03.12.2026"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_playbook_action_happens_once_however_often_it_is_pressed() {
    let h = Harness::start().await;
    let notice = escalated(&h).await;
    let coordinator = h.coordinator();
    let manager = h.manager();
    // Pressed by two people at the same time: one extended round.
    let extend = playbook_button(&notice, &PlaybookButton::Extend);
    let (a, b) = tokio::join!(
        h.click(&notice, &extend, &coordinator),
        h.click(&notice, &extend, &manager)
    );
    let texts = [h.final_text(&a).await, h.final_text(&b).await];
    assert_eq!(
        texts
            .iter()
            .filter(|t| t.contains("2 VPAs angefragt"))
            .count(),
        1,
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t.contains("niemanden")), "{texts:?}");
    let kinds: Vec<String> = h
        .sql
        .column("SELECT kind FROM survey_rounds ORDER BY id")
        .await;
    assert_eq!(kinds, ["first", "extended"]);
    // Re-asked once; the second press says so and DMs nobody.
    let reask = playbook_button(&notice, &PlaybookButton::Reask);
    let first = h.press(&notice, &reask, &coordinator).await;
    assert!(first.contains("1 VPA zu Aufgabe #1"), "{first}");
    let second = h.press(&notice, &reask, &manager).await;
    assert!(second.contains("schon geschehen"), "{second}");
    h.settle().await;
    let asked = h
        .discord
        .dm_messages(7001)
        .iter()
        .filter(|m| says(m, "keine Kapazität"))
        .count();
    assert_eq!(asked, 1);
    // Split twice at once: one set of parts.
    let split = playbook_button(&notice, &PlaybookButton::Split);
    let (a, b) = tokio::join!(
        h.click(&notice, &split, &coordinator),
        h.click(&notice, &split, &manager)
    );
    let texts = [h.final_text(&a).await, h.final_text(&b).await];
    assert!(
        texts.iter().any(|t| t.contains("bereits aufgeteilt")),
        "{texts:?}"
    );
    let parts: i64 = h
        .sql
        .one("SELECT COUNT(*) FROM tasks WHERE parent_task_id = 1")
        .await;
    assert_eq!(parts, 3);
    // The split parent is final: its external button is refused, saying why.
    let parent = h
        .press(&notice, &pb(1, PlaybookButton::External), &coordinator)
        .await;
    assert!(parent.contains("aufgeteilt"), "{parent}");
    // A part goes to an external provider by the external-research button: gone from the open
    // demand; a second press is refused with the status.
    let external = h
        .press(&notice, &pb(2, PlaybookButton::External), &coordinator)
        .await;
    assert!(external.contains("extern vergeben"), "{external}");
    let status: String = h.sql.one("SELECT status FROM tasks WHERE id = 2").await;
    assert_eq!(status, "external");
    let again = h
        .press(&notice, &pb(2, PlaybookButton::External), &coordinator)
        .await;
    assert!(again.contains("#2"), "refused with the status: {again}");
    let list = h.task_cmd("list", vec![]).await;
    assert!(!list.contains("#1 ") && !list.contains("#2 "), "{list}");
    // /task external for a part, with its note; a bad note is refused.
    let empty = h
        .task_cmd("external", vec![("id", 3i64.into()), ("note", "  ".into())])
        .await;
    assert!(empty.contains("an wen oder warum"), "{empty}");
    let done = h
        .task_cmd(
            "external",
            vec![("id", 3i64.into()), ("note", "Agentur Nord".into())],
        )
        .await;
    assert!(done.contains("#3"), "{done}");
    let status: String = h.sql.one("SELECT status FROM tasks WHERE id = 3").await;
    assert_eq!(status, "external");
    // Demand of a closed task reaches nobody.
    h.task_cmd(
        "cancel",
        vec![("id", 4i64.into()), ("reason", "Kunde hat abgesagt".into())],
    )
    .await;
    let before = h.manager_messages().len();
    let report = h
        .slash(
            "demand",
            &["report"],
            vec![("task", 4i64.into())],
            &coordinator,
        )
        .await;
    assert!(report.contains("#4"), "{report}");
    h.settle().await;
    assert_eq!(h.manager_messages().len(), before, "nobody pinged");
    h.stop().await;
}

//! Failures on our side, injected through the real database (a trigger that aborts): every kind
//! of interaction gets the generic message and nothing is half-written; a deferred reply is
//! completed; and an event whose handling failed is handled when Discord delivers it again.

use serde_json::Value;
use vpa_desk::domain::ids::{DiscordId, RoundId};
use vpa_desk::loopback::fixtures;
use vpa_desk::present::catalog::text;
use vpa_desk::service::{HandledEvent, HandledOutcome};

use crate::bot_harness::{
    Harness, PlaybookButton, SurveyAction, WAIT, de, handled, interaction, playbook_button, sv,
    wait_until,
};

/// From now on, marking any interaction as handled fails: every effect of an interaction is
/// written with its mark, so every effect fails.
async fn break_interactions(h: &Harness) {
    sqlx::query(
        "CREATE TRIGGER broken BEFORE INSERT ON processed_events \
         BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    )
    .execute(&h.sql)
    .await
    .unwrap();
}

async fn repair(h: &Harness, trigger: &str) {
    sqlx::query(&format!("DROP TRIGGER {trigger}"))
        .execute(&h.sql)
        .await
        .unwrap();
}

fn generic() -> String {
    text(de(), "internal-error", None)
}

/// The text of a callback, a deferred reply's completion or a follow-up.
fn shown(message: &Value) -> String {
    message["content"]
        .as_str()
        .or_else(|| message["data"]["content"].as_str())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_internal_error_in_a_button_a_select_and_a_form_gets_the_generic_reply() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 3, "research", 20.0).await;
    h.research_task(4.0).await;
    let post = h.wait_survey_post(1).await;
    let round = RoundId(1);
    let marks = h.count("processed_events").await;
    break_interactions(&h).await;
    let mut events = h.events();
    // A button.
    let click = h
        .click(&post, &sv(SurveyAction::Accept, round), &h.vpa(1000))
        .await;
    assert_eq!(shown(&click.wait_final(WAIT).await.unwrap()), generic());
    assert_eq!(
        handled(&mut events, interaction(click.id())).await,
        HandledOutcome::Failed
    );
    // A select.
    let select = h
        .choose(
            &post,
            &sv(SurveyAction::Reason, round),
            &["no-capacity"],
            &h.vpa(1001),
        )
        .await;
    assert_eq!(shown(&select.wait_final(WAIT).await.unwrap()), generic());
    assert_eq!(
        handled(&mut events, interaction(select.id())).await,
        HandledOutcome::Failed
    );
    // A form.
    let form = h
        .discord
        .interact(fixtures::modal_submit(
            &sv(SurveyAction::LaterModal, round),
            &[("from", "03.12.2026")],
            &h.vpa(1002),
        ))
        .await;
    assert_eq!(shown(&form.wait_final(WAIT).await.unwrap()), generic());
    assert_eq!(
        handled(&mut events, interaction(form.id())).await,
        HandledOutcome::Failed
    );
    // Nothing of any of them was written.
    assert!(h.answers(round).await.is_empty());
    assert_eq!(h.count("survey_answer_history").await, 0);
    assert_eq!(h.count("processed_events").await, marks);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_internal_error_after_a_deferred_playbook_button_completes_the_reply() {
    let h = Harness::start().await;
    // Nobody holds the competence: the 25 h task goes to the manager at once, with "split".
    let reply = h
        .task_new(
            &h.coordinator(),
            vec![
                ("client", "Praxis Sonne".into()),
                ("competence", "sales".into()),
                ("hours", 25.0.into()),
                ("deadline", "18.12.2026".into()),
            ],
        )
        .await;
    h.final_text(&reply).await;
    let manager = h.settings().manager_channel_id.0;
    let discord = h.discord.clone();
    let notice = wait_until(|| {
        discord.channel_messages(manager).into_iter().find(|m| {
            m["content"]
                .as_str()
                .is_some_and(|c| c.contains("Bedarf nicht gedeckt"))
        })
    })
    .await
    .expect("the notice");
    let tasks_before = h.count("tasks").await;
    break_interactions(&h).await;
    let mut events = h.events();
    let press = h
        .click(
            &notice,
            &playbook_button(&notice, &PlaybookButton::Split),
            &h.manager(),
        )
        .await;
    // Acknowledged first ("thinking…"), then completed with the generic message.
    let callback = press.response(WAIT).await.expect("acknowledged");
    assert_eq!(callback["type"], 5);
    assert_eq!(
        handled(&mut events, interaction(press.id())).await,
        HandledOutcome::Failed
    );
    let original = wait_until(|| press.original().filter(|o| !shown(o).is_empty()))
        .await
        .expect("the deferred reply is completed");
    assert_eq!(shown(&original), generic());
    assert_eq!(h.count("tasks").await, tasks_before, "no part was made");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interaction_that_failed_is_handled_once_when_delivered_again() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 2, "research", 20.0).await;
    h.research_task(4.0).await;
    let post = h.wait_survey_post(1).await;
    break_interactions(&h).await;
    let mut events = h.events();
    let click = h
        .click(&post, &sv(SurveyAction::Accept, RoundId(1)), &h.vpa(1000))
        .await;
    assert_eq!(
        handled(&mut events, interaction(click.id())).await,
        HandledOutcome::Failed
    );
    repair(&h, "broken").await;
    // Discord delivers the same interaction again: now it is recorded, once, and since the first
    // answer (the generic message) is given, the confirmation goes as a follow-up.
    h.discord
        .dispatch("INTERACTION_CREATE", click.payload())
        .await;
    assert_eq!(
        handled(&mut events, interaction(click.id())).await,
        HandledOutcome::Done
    );
    assert_eq!(
        h.answers(RoundId(1)).await,
        vec![(1000, "accept".to_string())]
    );
    let followup = wait_until(|| click.followups().first().cloned())
        .await
        .expect("a follow-up");
    assert!(shown(&followup).contains("angenommen"), "{followup}");
    // A third delivery changes nothing and says nothing more.
    h.discord
        .dispatch("INTERACTION_CREATE", click.payload())
        .await;
    assert_eq!(
        handled(&mut events, interaction(click.id())).await,
        HandledOutcome::Duplicate
    );
    assert_eq!(h.desk.db.answer_history_len(RoundId(1)).await.unwrap(), 1);
    assert_eq!(click.followups().len(), 1);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reaction_whose_handling_failed_is_handled_when_delivered_again() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 2, "research", 20.0).await;
    h.research_task(4.0).await;
    let post = h.wait_survey_post(1).await;
    sqlx::query(
        "CREATE TRIGGER broken_answers BEFORE INSERT ON survey_answers \
         BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
    )
    .execute(&h.sql)
    .await
    .unwrap();
    let message = DiscordId(post["id"].as_str().unwrap().parse().unwrap());
    let reaction = |e: &HandledEvent| {
        matches!(e, HandledEvent::Reaction { message: m, user, added: true, .. }
            if *m == message && *user == DiscordId(1001))
    };
    let mut events = h.events();
    h.react(&post, &h.vpa(1001), "✅", true).await;
    assert_eq!(handled(&mut events, reaction).await, HandledOutcome::Failed);
    assert!(h.answers(RoundId(1)).await.is_empty());
    repair(&h, "broken_answers").await;
    h.react(&post, &h.vpa(1001), "✅", true).await;
    assert_eq!(handled(&mut events, reaction).await, HandledOutcome::Done);
    assert_eq!(
        h.answers(RoundId(1)).await,
        vec![(1001, "accept".to_string())]
    );
    h.stop().await;
}

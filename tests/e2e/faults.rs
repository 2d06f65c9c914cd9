//! Failures on our side, injected through the real database (a trigger that aborts): every kind
//! of interaction gets the generic message and nothing is half-written; a deferred reply is
//! completed; and an event whose handling failed is handled when Discord delivers it again.

use vpa_desk::domain::ids::RoundId;
use vpa_desk::loopback::fixtures;
use vpa_desk::present::catalog::text;
use vpa_desk::service::HandledOutcome;

use crate::support::{
    Harness, PlaybookButton, SurveyAction, WAIT, de, handled, interaction, playbook_button,
    reaction, sv, text_of, wait_until,
};

/// From now on, marking any interaction as handled fails: every effect of an interaction is
/// written with its mark, so every effect fails.
async fn break_interactions(h: &Harness) {
    h.sql
        .break_inserts("broken", "processed_events", None)
        .await;
}

fn generic() -> String {
    text(de(), "internal-error", None)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_internal_error_in_a_button_a_select_and_a_form_gets_the_generic_reply() {
    let (h, post) = Harness::with_survey(3, 4.0).await;
    let round = RoundId(1);
    let marks = h.count("processed_events").await;
    break_interactions(&h).await;
    let accept = sv(SurveyAction::Accept, round);
    let reason = sv(SurveyAction::Reason, round);
    let later = sv(SurveyAction::LaterModal, round);
    let kinds = [
        // A button.
        fixtures::component(&accept, 2, &[], post.clone(), &h.vpa(1000)),
        // A select.
        fixtures::component(&reason, 3, &["no-capacity"], post.clone(), &h.vpa(1001)),
        // A form.
        fixtures::modal_submit(&later, &[("from", "03.12.2026")], &h.vpa(1002)),
    ];
    for payload in kinds {
        let reply = h.reply(payload).await;
        assert_eq!(reply.text(), generic());
        assert_eq!(reply.outcome, HandledOutcome::Failed);
    }
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
    h.new_task("Praxis Sonne", "sales", 25.0, "18.12.2026")
        .await;
    let notice = h.wait_notices(1).await.remove(0);
    let tasks_before = h.count("tasks").await;
    break_interactions(&h).await;
    let mut events = h.events();
    let split = playbook_button(&notice, &PlaybookButton::Split);
    let press = h.click(&notice, &split, &h.manager()).await;
    // Acknowledged first ("thinking…"), then completed with the generic message.
    let callback = press.response(WAIT).await.expect("acknowledged");
    assert_eq!(callback["type"], 5);
    assert_eq!(
        handled(&mut events, interaction(press.id())).await,
        HandledOutcome::Failed
    );
    let original = wait_until(async || press.original().filter(|o| !text_of(o).is_empty()))
        .await
        .expect("the deferred reply is completed");
    assert_eq!(text_of(&original), generic());
    assert_eq!(h.count("tasks").await, tasks_before, "no part was made");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interaction_that_failed_is_handled_once_when_delivered_again() {
    let (h, post) = Harness::with_survey(2, 4.0).await;
    break_interactions(&h).await;
    let accept = sv(SurveyAction::Accept, RoundId(1));
    let first = h
        .reply(fixtures::component(
            &accept,
            2,
            &[],
            post.clone(),
            &h.vpa(1000),
        ))
        .await;
    assert_eq!(first.outcome, HandledOutcome::Failed);
    let click = first.handle;
    h.sql.repair("broken").await;
    // Discord delivers the same interaction again: now it is recorded, once, and since the first
    // answer (the generic message) is given, the confirmation goes as a follow-up.
    assert_eq!(h.deliver_again(&click).await, HandledOutcome::Done);
    assert_eq!(
        h.answers(RoundId(1)).await,
        vec![(1000, "accept".to_string())]
    );
    let followup = wait_until(async || click.followups().first().cloned())
        .await
        .expect("a follow-up");
    assert!(text_of(&followup).contains("angenommen"), "{followup}");
    // A third delivery changes nothing and says nothing more.
    assert_eq!(h.deliver_again(&click).await, HandledOutcome::Duplicate);
    assert_eq!(h.desk.db.answer_history_len(RoundId(1)).await.unwrap(), 1);
    assert_eq!(click.followups().len(), 1);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reaction_whose_handling_failed_is_handled_when_delivered_again() {
    let (h, post) = Harness::with_survey(2, 4.0).await;
    h.sql
        .break_inserts("broken_answers", "survey_answers", None)
        .await;
    let bens = reaction(&post, 1001, "✅", true);
    let mut events = h.events();
    h.react(&post, &h.vpa(1001), "✅", true).await;
    assert_eq!(handled(&mut events, &bens).await, HandledOutcome::Failed);
    assert!(h.answers(RoundId(1)).await.is_empty());
    h.sql.repair("broken_answers").await;
    h.react(&post, &h.vpa(1001), "✅", true).await;
    assert_eq!(handled(&mut events, &bens).await, HandledOutcome::Done);
    assert_eq!(
        h.answers(RoundId(1)).await,
        vec![(1001, "accept".to_string())]
    );
    h.stop().await;
}

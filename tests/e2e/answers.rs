//! Answers to a survey: by button, select and form and by reaction, their changes and
//! withdrawals, repeated deliveries and strangers, and the answer writer — answers given
//! together share a batch, a failing one fails alone, and a writer dropped with its runtime
//! does not block the next.

use vpa_desk::domain::{DiscordId, TaskId};
use vpa_desk::loopback::fixtures::{self, FakeUser};
use vpa_desk::service::{HandledEvent, HandledOutcome};

use crate::support::{
    Harness, SurveyAction, TestDb, WAIT, content, handled_until, message_id, reaction, round_of,
    says, survey_button, sv, text_of, wait_until,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_by_button_select_and_modal_and_their_changes() {
    let (h, post) = Harness::with_survey(3, 6.0).await;
    let round = round_of(&post);
    let (ben, cem) = (h.vpa(1001), h.vpa(1002));
    // A Discord name may hold anything: mention syntax and line breaks.
    let mut anna = h.vpa(1000);
    anna.name = "Anna <@&100000000000000021>\n@everyone".into();

    // Accept by button: private confirmation, the creator gets a DM.
    let accept = h
        .press(&post, &sv(SurveyAction::Accept, round), &anna)
        .await;
    assert!(accept.contains("angenommen"));
    let dm = h.wait_dm(900, "").await;
    assert!(content(&dm).contains("<@1000>") && content(&dm).contains("#1"));
    // Its name is shown defused: on one line, calling nobody.
    assert!(
        content(&dm).contains("(Anna <\u{200b}@&100000000000000021> @\u{200b}everyone)"),
        "{}",
        content(&dm)
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
    assert!(content(&confirmation).contains("keine Kapazität"));
    let note_button = h
        .click(&confirmation, &sv(SurveyAction::AddNote, round), &ben)
        .await;
    let modal = note_button.response(WAIT).await.unwrap();
    assert_eq!(modal["type"], 9);
    // A form sent with a longer note than the form allows (a client that ignores max_length)
    // is refused by the bot itself, and nothing is stored.
    let too_long = "x".repeat(501);
    let refused = h
        .submit(
            &sv(SurveyAction::NoteModal, round),
            &[("note", &too_long)],
            &ben,
        )
        .await;
    assert!(refused.contains("höchstens 500 Zeichen"), "{refused}");
    let note = [("note", "Urlaub bis Mitte Dezember")];
    let noted = h
        .submit(&sv(SurveyAction::NoteModal, round), &note, &ben)
        .await;
    assert!(noted.contains("Urlaub bis Mitte Dezember"));
    let stored: Vec<(String, Option<String>)> = h
        .sql
        .rows(format!(
            "SELECT reason, note FROM survey_answers WHERE round_id = {round} AND vpa_id = 1001"
        ))
        .await;
    assert_eq!(
        stored,
        [(
            "no-capacity".into(),
            Some("Urlaub bis Mitte Dezember".into())
        )]
    );

    // Later: a modal asks from when; a bad date changes nothing.
    let later = h.click(&post, &sv(SurveyAction::Later, round), &cem).await;
    assert_eq!(later.response(WAIT).await.unwrap()["type"], 9);
    let later_from = async |from: &str| {
        h.submit(
            &sv(SurveyAction::LaterModal, round),
            &[("from", from)],
            &cem,
        )
        .await
    };
    assert!(
        later_from("irgendwann")
            .await
            .contains("kein gültiges Datum")
    );
    assert!(later_from("01.11.2026").await.contains("Vergangenheit"));
    h.wait_answers(round, &[(1000, "accept"), (1001, "decline")])
        .await;
    assert!(later_from("07.12.2026").await.contains("07.12.2026"));
    h.wait_answers(
        round,
        &[(1000, "accept"), (1001, "decline"), (1002, "later")],
    )
    .await;

    // Changing an answer replaces it and keeps the history.
    h.press(&post, &sv(SurveyAction::Accept, round), &cem).await;
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
    // Every edit still to come is out before they are counted.
    h.settle().await;
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
    let (h, post) = Harness::with_survey(3, 4.0).await;
    let round = round_of(&post);
    let (anna, ben, cem) = (h.vpa(1000), h.vpa(1001), h.vpa(1002));
    h.react(&post, &anna, "✅", true).await;
    h.react(&post, &ben, "❌", true).await;
    h.react(&post, &cem, "⏳", true).await;
    h.wait_answers(
        round,
        &[(1000, "accept"), (1001, "decline"), (1002, "later")],
    )
    .await;
    let reason: String = h
        .sql
        .one(format!(
            "SELECT reason FROM survey_answers WHERE round_id = {round} AND vpa_id = 1001"
        ))
        .await;
    assert_eq!(reason, "not-given");
    // ❌ and ⏳ leave reason or date open: the bot asks by DM with a button.
    let dm = h.wait_dm(1001, "").await;
    assert_eq!(
        survey_button(&dm, SurveyAction::Decline),
        sv(SurveyAction::Decline, round)
    );
    let dm = h.wait_dm(1002, "").await;
    assert_eq!(
        survey_button(&dm, SurveyAction::Later),
        sv(SurveyAction::Later, round)
    );
    // The DM button works outside the server (no member, no roles: Discord is asked).
    let opened = h
        .click_in_dm(&dm, &sv(SurveyAction::Later, round), &cem)
        .await;
    assert_eq!(opened.response(WAIT).await.unwrap()["type"], 9);
    // Once the VPA role is taken away, the profile and the DM are no permission any more; and
    // somebody who left the server cannot answer either.
    let ben_dm = h.wait_dm(1001, "").await;
    h.discord
        .add_member(&vpa_desk::loopback::fixtures::FakeUser::new(
            1001, "vpa1001",
        ));
    let refused = h
        .click_in_dm(&ben_dm, &sv(SurveyAction::Decline, round), &ben)
        .await;
    let said = refused.wait_final(WAIT).await.expect("a reply");
    assert!(
        text_of(&said).contains("nur VPAs antworten"),
        "without the VPA role: {said}"
    );
    h.discord.remove_member(1001);
    let refused = h
        .click_in_dm(&ben_dm, &sv(SurveyAction::Decline, round), &ben)
        .await;
    assert!(text_of(&refused.wait_final(WAIT).await.unwrap()).contains("nur VPAs antworten"));
    h.discord.add_member(&h.vpa(1001));

    // Removing a reaction that is not the current answer does nothing; the matching one withdraws.
    let mut events = h.events();
    h.react(&post, &anna, "❌", false).await;
    h.react(&post, &ben, "❌", false).await;
    let (annas, bens) = (
        reaction(&post, 1000, "❌", false),
        reaction(&post, 1001, "❌", false),
    );
    handled_until(&mut events, |seen| {
        seen.iter().any(|(e, _)| annas(e)) && seen.iter().any(|(e, _)| bens(e))
    })
    .await;
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
    let (h, post) = Harness::with_survey(2, 4.0).await;
    let round = round_of(&post);
    let anna = h.vpa(1000);
    let mut events = h.events();
    // The same reaction delivered several times at once: one answer, one history row.
    for _ in 0..5 {
        h.react(&post, &anna, "✅", true).await;
    }
    // The bot's own reaction is ignored.
    let bot = FakeUser::new(fixtures::DEFAULT_BOT_USER_ID, "vpa-desk")
        .with_roles(&[h.settings().vpa_role_id.0]);
    h.react(&post, &bot, "❌", true).await;
    // A VPA who was not surveyed is recorded and marked.
    let stranger = h.vpa(5000);
    h.react(&post, &stranger, "✅", true).await;
    h.wait_answers(round, &[(1000, "accept"), (5000, "accept")])
        .await;
    let (annas, bots, strangers) = (
        reaction(&post, 1000, "✅", true),
        reaction(&post, fixtures::DEFAULT_BOT_USER_ID, "❌", true),
        reaction(&post, 5000, "✅", true),
    );
    let seen = handled_until(&mut events, |seen| {
        let of =
            |wanted: &dyn Fn(&HandledEvent) -> bool| seen.iter().filter(|(e, _)| wanted(e)).count();
        of(&annas) >= 5 && of(&bots) >= 1 && of(&strangers) >= 1
    })
    .await;
    let bots_outcome = seen.iter().find(|(e, _)| bots(e)).map(|(_, o)| *o);
    assert_eq!(bots_outcome, Some(HandledOutcome::Ignored));
    assert_eq!(h.desk.db.answer_history_len(round).await.unwrap(), 2);
    let surveyed: Vec<(i64, bool)> = h
        .sql
        .rows(format!(
            "SELECT vpa_id, surveyed FROM survey_answers WHERE round_id = {round} ORDER BY vpa_id"
        ))
        .await;
    assert_eq!(surveyed, vec![(1000, true), (5000, false)]);
    // The same interaction delivered twice is handled once.
    let payload = fixtures::component(
        &sv(SurveyAction::Accept, round),
        2,
        &[],
        post.clone(),
        &h.vpa(1001),
    );
    let first = h.reply(payload).await.handle;
    assert_eq!(h.deliver_again(&first).await, HandledOutcome::Duplicate);
    let callbacks = h.requests_since(0, |r| {
        r.path == format!("/interactions/{}/{}/callback", first.id(), first.token())
    });
    assert_eq!(callbacks.len(), 1, "one answer to one interaction");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_given_together_share_a_batch_and_keep_each_vpas_order() {
    use vpa_desk::domain::survey::{Answer, AnswerVia, DeclineReason};
    use vpa_desk::service::answers::{self, AnswerOutcome, Answerer};

    let (h, post) = Harness::with_survey(40, 4.0).await;
    let round = round_of(&post);
    let message = message_id(&post);
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
    let history: Vec<(String, Option<String>, Option<String>)> = h
        .sql
        .rows(format!(
            "SELECT answer, reason, note FROM survey_answer_history \
             WHERE round_id = {round} AND vpa_id = 1000 ORDER BY id"
        ))
        .await;
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
    let asked = wait_until(async || (!h.discord.dm_messages(1000).is_empty()).then_some(()))
        .await
        .is_some();
    assert!(asked, "Anna is asked for her reason");
    // Once the outbox settled, no second question is still on its way.
    h.settle().await;
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
    use vpa_desk::domain::survey::{Answer, AnswerVia};
    use vpa_desk::service::answers::{self, Answerer};

    let (h, post) = Harness::with_survey(20, 4.0).await;
    let round = round_of(&post);
    // A fault in the database for one VPA's row (real SQLite, a trigger that aborts).
    h.sql
        .break_inserts("fail_for_1007", "survey_answers", Some("NEW.vpa_id = 1007"))
        .await;
    let outbox_before: i64 = h.sql.one("SELECT COALESCE(MAX(id), 0) FROM outbox").await;
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
    let dms: Vec<String> = h
        .sql
        .column(format!(
            "SELECT intent FROM outbox WHERE id > {outbox_before}"
        ))
        .await;
    let to_coordinator = dms
        .iter()
        .filter(|i| i.contains("accepted_for_coordinator"))
        .count();
    assert_eq!(to_coordinator, 19, "one DM per recorded acceptance");
    assert!(!dms.iter().any(|i| i.contains("1007")), "{dms:?}");
    h.stop().await;
}

#[test]
fn answers_still_get_written_after_a_writer_was_dropped_with_its_runtime() {
    use std::sync::Arc;
    use vpa_desk::domain::RoundId;
    use vpa_desk::domain::survey::{Answer, AnswerVia};
    use vpa_desk::service::Desk;
    use vpa_desk::service::answers::{self, AnswerOutcome, Answerer};

    fn answerer(id: u64, name: &str) -> Answerer {
        Answerer {
            vpa: DiscordId(id),
            name: name.into(),
            event: None,
        }
    }
    let runtime = || {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap()
    };
    let first = runtime();
    let (desk, turn, _dir) = first.block_on(async {
        let t = TestDb::new().await;
        let desk = Desk::new(
            t.db.clone(),
            t.config.clone(),
            Arc::new(vpa_desk::clock::SystemClock),
        );
        // The write turn is taken, so the writer waits inside its batch when the runtime goes.
        let turn = desk.db.write_turn().await;
        let waiting = desk.clone();
        tokio::spawn(async move {
            let anna = answerer(7, "Anna");
            let _ = answers::record_answer(
                &waiting,
                RoundId(1),
                &anna,
                Answer::Accept,
                AnswerVia::Button,
            )
            .await;
        });
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        (desk, turn, t.dir)
    });
    first.shutdown_timeout(std::time::Duration::from_secs(5));
    drop(turn);
    // Whatever the first writer was doing, a new answer is written on the next runtime.
    let outcome = runtime().block_on(async {
        tokio::time::timeout(
            std::time::Duration::from_secs(10),
            answers::record_answer(
                &desk,
                RoundId(1),
                &answerer(8, "Ben"),
                Answer::Accept,
                AnswerVia::Button,
            ),
        )
        .await
    });
    assert_eq!(
        outcome.expect("the answer did not hang").unwrap(),
        AnswerOutcome::UnknownRound
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_taken_back_and_given_again_asks_and_tells_nobody_twice() {
    let (h, post) = Harness::with_survey(3, 2.0).await;
    let round = round_of(&post);
    for _ in 0..3 {
        h.react(&post, &h.vpa(1000), "⏳", true).await;
        h.wait_answers(round, &[(1000, "later")]).await;
        h.react(&post, &h.vpa(1000), "⏳", false).await;
        h.wait_answers(round, &[]).await;
        h.react(&post, &h.vpa(1001), "✅", true).await;
        h.wait_answers(round, &[(1001, "accept")]).await;
        h.react(&post, &h.vpa(1001), "✅", false).await;
        h.wait_answers(round, &[]).await;
    }
    h.settle().await;
    let asked = h
        .discord
        .dm_messages(1000)
        .iter()
        .filter(|m| says(m, "mit ⏳ geantwortet"))
        .count();
    assert_eq!(asked, 1, "asked once for the date");
    let told = h
        .discord
        .dm_messages(900)
        .iter()
        .filter(|m| says(m, "<@1001>") && says(m, "angenommen"))
        .count();
    assert_eq!(told, 1, "the coordinator is told once");
    // Every change is in the history all the same.
    let history: i64 = h
        .sql
        .one(format!(
            "SELECT COUNT(*) FROM survey_answer_history WHERE round_id = {round}"
        ))
        .await;
    assert_eq!(history, 12);
    h.stop().await;
}

/// Reactions taken back and given again by many VPAs at once (as a busy post sees them) share a
/// batch: each VPA's history keeps their own order — taken back, given again, taken back — and
/// the answer that stands is each one's last.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reactions_taken_back_and_given_again_together_keep_each_vpas_history() {
    use vpa_desk::domain::survey::Answer;
    use vpa_desk::service::answers::{self, AnswerOutcome, Answerer};

    let (h, post) = Harness::with_survey(30, 4.0).await;
    let round = round_of(&post);
    let message = message_id(&post);
    let desk = &h.desk;
    let who = |id: u64| Answerer {
        vpa: DiscordId(id),
        name: "VPA".into(),
        event: None,
    };
    let vpas: Vec<Answerer> = (1000..1030).map(who).collect();
    for vpa in &vpas {
        answers::record_reaction(desk, message, vpa, Answer::Accept)
            .await
            .expect("accepted");
    }
    // Everyone's changes interleaved, as they arrive: the n-th change of every VPA, then the
    // (n+1)-th. VPA i takes back and gives again (i % 3 == 0), takes back only (1), or takes back,
    // gives again and takes back (2).
    type Outcome = vpa_desk::service::Result<AnswerOutcome>;
    let mut all: Vec<futures_util::future::BoxFuture<'_, Outcome>> = Vec::new();
    for step in 0..3 {
        for (i, vpa) in vpas.iter().enumerate() {
            let steps = match i % 3 {
                0 => 2,
                1 => 1,
                _ => 3,
            };
            if step >= steps {
                continue;
            }
            if step % 2 == 0 {
                all.push(Box::pin(answers::withdraw_reaction(
                    desk, message, vpa, "✅",
                )));
            } else {
                all.push(Box::pin(answers::record_reaction(
                    desk,
                    message,
                    vpa,
                    Answer::Accept,
                )));
            }
        }
    }
    for outcome in futures_util::future::join_all(all).await {
        outcome.expect("every change written");
    }
    for (i, vpa) in vpas.iter().enumerate() {
        let kinds: Vec<String> = h
            .sql
            .rows::<(String,)>(format!(
                "SELECT answer FROM survey_answer_history WHERE round_id = {round} AND vpa_id = {} ORDER BY id",
                vpa.vpa.0
            ))
            .await
            .into_iter()
            .map(|(k,)| k)
            .collect();
        let expected: &[&str] = match i % 3 {
            0 => &["accept", "withdrawn", "accept"],
            1 => &["accept", "withdrawn"],
            _ => &["accept", "withdrawn", "accept", "withdrawn"],
        };
        assert_eq!(kinds, expected, "VPA {}", vpa.vpa.0);
    }
    let standing: Vec<(u64, String)> = (1000..1030)
        .step_by(3)
        .map(|v| (v, "accept".to_string()))
        .collect();
    assert_eq!(h.answers(round).await, standing);
    h.stop().await;
}

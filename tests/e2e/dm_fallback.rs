//! Members Discord refuses DMs to (403, 50007): a mention in the fallback channel that says
//! nothing of the message (at most once a day), the coordinator of the task told (once a day
//! per member), the profile marked until a DM goes through, the DM tried again hourly and
//! delivered once they open their DMs — or given up after three days without a notice to the
//! manager.

use vpa_desk::db::outbox::{self, Intent};
use vpa_desk::domain::outbox::DirectMessage;
use vpa_desk::domain::{DiscordId, RoundId, TaskId};

use crate::support::{Harness, SurveyAction, content, round_of, sv};

const CLIENT: &str = "Kanzlei Berger";

/// Messages in a channel, as the bot posted them.
fn in_channel(h: &Harness, channel: DiscordId) -> Vec<String> {
    h.discord
        .channel_messages(channel.0)
        .iter()
        .map(|m| content(m).to_string())
        .collect()
}

/// Queues a DM as the services do.
async fn enqueue_dm(h: &Harness, to: u64, message: DirectMessage) {
    let now = h.desk.now();
    let mut tx = h.desk.db.begin_write().await.unwrap();
    outbox::enqueue(
        &mut tx,
        outbox::once(
            Intent::Direct {
                to: DiscordId(to),
                message,
            },
            now,
        ),
        now,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// DMs to the coordinator saying a member can't be reached.
fn told_coordinator(h: &Harness, member: u64) -> usize {
    h.discord
        .dm_messages(900)
        .iter()
        .filter(|m| {
            content(m).contains(&format!(
                "<@{member}> ist per Direktnachricht nicht erreichbar"
            ))
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vpa_without_dms_is_asked_in_the_channel_the_coordinator_told_and_the_dm_arrives_later() {
    let (h, post) = Harness::with_survey(3, 2.0).await;
    let round = round_of(&post);
    let newbies = h.settings().newbies_channel_id;
    let anna = h.vpa(1000);
    h.discord.refuse_dms_to(1000);

    // Accepted and assigned: the assignment DM (with the client's name) is refused.
    let accepted = h
        .press(&post, &sv(SurveyAction::Accept, round), &anna)
        .await;
    assert!(accepted.contains("angenommen"), "{accepted}");
    let assigned = h.assign(1, &anna).await;
    assert!(assigned.contains("vergeben"), "{assigned}");
    h.settle().await;

    let said = in_channel(&h, newbies);
    assert_eq!(said.len(), 1, "one mention: {said:?}");
    assert!(
        said[0].starts_with("<@1000>, du hast eine Nachricht vom vpa-desk")
            && said[0].contains("Direktnachrichten"),
        "{}",
        said[0]
    );
    // Nothing of the task in the channel: not the client, the competence or the hours.
    for secret in [CLIENT, "Marktrecherche", "Recherche", "#1"] {
        assert!(!said[0].contains(secret), "{secret} in {}", said[0]);
    }
    // Only Anna is pinged by it.
    let mention = h
        .discord
        .requests()
        .into_iter()
        .rfind(|r| r.method == "POST" && r.path == format!("/channels/{}/messages", newbies.0))
        .unwrap();
    assert_eq!(
        mention.body["allowed_mentions"]["users"],
        serde_json::json!(["1000"])
    );
    assert_eq!(told_coordinator(&h, 1000), 1);
    let told = h.wait_dm(900, "nicht erreichbar").await;
    assert!(content(&told).contains("Aufgabe #1"), "{}", content(&told));

    // The profile shows it.
    let profile = h.profile("show", vec![], &anna).await;
    assert!(
        profile.contains("⚠️ Per Direktnachricht nicht erreichbar seit 30.11.2026"),
        "{profile}"
    );

    // Unassigned the same day: refused too, but no second mention and no second DM to the
    // coordinator today.
    h.unassign(1, &anna).await;
    h.settle().await;
    assert_eq!(in_channel(&h, newbies).len(), 1);
    assert_eq!(told_coordinator(&h, 1000), 1);

    // The next day the waiting DMs are tried again: asked once more, the coordinator once more.
    h.advance(chrono::Duration::hours(25)).await;
    assert_eq!(
        in_channel(&h, newbies).len(),
        2,
        "{:?}",
        in_channel(&h, newbies)
    );
    assert_eq!(told_coordinator(&h, 1000), 2);

    // Anna opens her DMs: within the hour both DMs arrive, in order, and the mark is gone.
    h.discord.allow_dms_to(1000);
    h.advance(chrono::Duration::minutes(61)).await;
    let dms: Vec<String> = h
        .discord
        .dm_messages(1000)
        .iter()
        .map(|m| content(m).to_string())
        .collect();
    assert!(
        dms.iter().any(|d| d.contains(CLIENT)),
        "the assignment DM with the client's name: {dms:?}"
    );
    assert_eq!(dms.len(), 2, "{dms:?}");
    let profile = h.profile("show", vec![], &anna).await;
    assert!(!profile.contains("nicht erreichbar"), "{profile}");
    assert_eq!(
        in_channel(&h, newbies).len(),
        2,
        "no mention after DMs work"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_dm_falls_back_in_the_configured_channel_without_private_data() {
    let general = DiscordId(vpa_desk::loopback::fixtures::DEFAULT_CHANNEL_ID);
    let h =
        Harness::start_with(|c| c.settings.discord.dm_fallback_channel_id = Some(general)).await;
    h.seed_vpas(1000, 12, "research").await;
    h.research_task(2.0).await;
    h.wait_survey_post(1).await;
    let (task_id, round_id) = (TaskId(1), RoundId(1));
    let kinds = [
        DirectMessage::AskDeclineReason { task_id, round_id },
        DirectMessage::AskLaterDate { task_id, round_id },
        DirectMessage::Assigned { task_id },
        DirectMessage::Unassigned { task_id },
        DirectMessage::ReaskDecliner {
            task_id,
            round_id: Some(round_id),
        },
        DirectMessage::CoverBack { task_id },
        DirectMessage::AnswerOutdated {
            task_id,
            reasons: Vec::new(),
        },
    ];
    // The coordinator does not take DMs either: what the bot tells them waits too, so it can
    // be counted.
    h.discord.refuse_dms_to(900);
    for (i, message) in kinds.iter().enumerate() {
        let vpa = 1000 + i as u64;
        h.discord.refuse_dms_to(vpa);
        enqueue_dm(&h, vpa, message.clone()).await;
    }
    // The coordinator's own DMs: the coordinator is asked, nobody else is told.
    enqueue_dm(
        &h,
        900,
        DirectMessage::AcceptedButUnassigned {
            task_id,
            accepted: 1,
        },
    )
    .await;
    h.settle().await;

    let said = in_channel(&h, general);
    for (i, _) in kinds.iter().enumerate() {
        let vpa = 1000 + i as u64;
        assert_eq!(
            said.iter()
                .filter(|m| m.starts_with(&format!("<@{vpa}>,")))
                .count(),
            1,
            "{vpa}: {said:?}"
        );
    }
    assert_eq!(said.iter().filter(|m| m.starts_with("<@900>,")).count(), 1);
    for m in &said {
        for secret in [CLIENT, "Marktrecherche", "#1", "Aufgabe"] {
            assert!(!m.contains(secret), "{secret} in {m}");
        }
    }
    // Nothing went to the newbies channel.
    assert!(in_channel(&h, h.settings().newbies_channel_id).is_empty());
    // The coordinator refuses DMs too, so what the bot told them waits as well: queued once per
    // VPA, never about the coordinator's own DM.
    let told: Vec<(i64,)> = h
        .sql
        .rows("SELECT id FROM outbox WHERE json_extract(intent, '$.message.kind') = 'dm_refused'")
        .await;
    assert_eq!(told.len(), kinds.len());
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dm_refused_for_three_days_is_given_up_without_a_notice() {
    let (h, _) = Harness::with_survey(1, 2.0).await;
    h.settle().await;
    h.discord.refuse_dms_to(4242);
    enqueue_dm(&h, 4242, DirectMessage::Unassigned { task_id: TaskId(1) }).await;
    h.settle().await;
    let waiting = |states: &[vpa_desk::db::outbox::OutboxState]| {
        states
            .iter()
            .filter(|s| s.intent.contains("4242") && s.status == "pending")
            .count()
    };
    let states = h.desk.db.outbox_states().await.unwrap();
    assert_eq!(waiting(&states), 1, "tried again later: {states:?}");

    for _ in 0..3 {
        h.advance(chrono::Duration::hours(25)).await;
    }
    let states = h.desk.db.outbox_states().await.unwrap();
    let failed = states
        .iter()
        .find(|s| s.intent.contains("4242") && s.status == "failed")
        .expect("given up after three days");
    assert!(
        failed.last_error.as_deref().unwrap_or("").contains("50007"),
        "{failed:?}"
    );
    // Three days, one mention each; the manager channel heard nothing of it.
    let newbies = h.settings().newbies_channel_id;
    assert_eq!(
        in_channel(&h, newbies).len(),
        3,
        "{:?}",
        in_channel(&h, newbies)
    );
    assert!(
        h.manager_messages_saying("nicht zugestellt werden")
            .is_empty(),
        "{:?}",
        h.manager_messages()
    );
    h.stop().await;
}

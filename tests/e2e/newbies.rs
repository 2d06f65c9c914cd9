//! Newbies complete their profiles: the weekly nudge reaches exactly the newbies whose profile
//! is incomplete (none in BO, fewer than `newbies.min_competences`, or none at all), once per
//! cool-down, in the newbies channel when DMs are refused, never in quiet hours, exactly once
//! across a restart at its time; the guided picker saves every step (selects, then levels), in
//! a DM and in the server, removes after a confirmation, works for coordinators on a VPA's
//! profile, and refuses forged values.

use chrono::Duration;
use serde_json::Value;
use vpa_desk::domain::ids::DiscordId;
use vpa_desk::domain::{Level, Vpa};
use vpa_desk::loopback::fixtures::{self, FakeUser};
use vpa_desk::present::custom_id::{CustomId, PickerId};

use crate::support::{Harness, content, custom_ids, d};

/// A newbie (joined `joined`) ready for work with these competences.
fn newbie(h: &Harness, id: u64, joined: &str, competences: &[(&str, Level)]) -> Vpa {
    let mut vpa = h.ready_vpa(id, competences);
    vpa.joined_on = Some(d(joined));
    vpa
}

/// The nudges `user` got by DM: the messages carrying the picker's open button.
fn nudges(h: &Harness, user: u64) -> Vec<Value> {
    h.discord
        .dm_messages(user)
        .into_iter()
        .filter(|m| custom_ids(m).contains(&CustomId::Picker(PickerId::Open)))
        .collect()
}

/// Every nudge sent: (user, how) for DMs and the newbies channel.
fn all_nudges(h: &Harness, users: &[u64]) -> Vec<u64> {
    let mut reached: Vec<u64> = users
        .iter()
        .copied()
        .filter(|u| !nudges(h, *u).is_empty())
        .collect();
    let channel = h.settings().newbies_channel_id.0;
    for post in h.discord.channel_messages(channel) {
        for u in users {
            if content(&post).starts_with(&format!("<@{u}>")) {
                reached.push(*u);
            }
        }
    }
    reached.sort_unstable();
    reached
}

/// The competences a VPA holds, with their levels, by key.
async fn held(h: &Harness, vpa: u64) -> Vec<(String, String)> {
    h.sql
        .rows(format!(
            "SELECT competence, level FROM vpa_competences WHERE vpa_id = {vpa} ORDER BY competence"
        ))
        .await
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// A component interaction in a DM: outside the server, without member or roles.
fn in_dm(mut payload: Value, user: &FakeUser) -> Value {
    payload.as_object_mut().unwrap().remove("member");
    payload.as_object_mut().unwrap().remove("guild_id");
    payload["user"] = fixtures::user_json(user);
    payload
}

/// The custom id of the component of `message` that `matches`.
fn component(message: &Value, matches: impl Fn(&PickerId) -> bool) -> String {
    custom_ids(message)
        .into_iter()
        .find(|id| matches!(id, CustomId::Picker(p) if matches(p)))
        .map(|id| id.encode())
        .unwrap_or_else(|| panic!("no such picker component in {message}"))
}

fn select_of(message: &Value) -> String {
    component(message, |p| matches!(p, PickerId::Choose { .. }))
}

/// The options of the first select of a message shown as chosen.
fn preselected(message: &Value) -> Vec<String> {
    message["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter(|c| c["type"] == 3)
        .take(1)
        .flat_map(|c| c["options"].as_array().cloned().unwrap_or_default())
        .filter(|o| o["default"] == true)
        .map(|o| o["value"].as_str().unwrap().to_string())
        .collect()
}

/// Chooses `values` in a select of `message` as `user`: what the bot shows then.
async fn choose(h: &Harness, message: &Value, id: &str, values: &[&str], user: &FakeUser) -> Value {
    h.reply(fixtures::component(id, 3, values, message.clone(), user))
        .await
        .shown
}

/// Chooses `values` in the select `id` of `message` as `user`: the private text the bot answers.
async fn answered(
    h: &Harness,
    message: &Value,
    id: &str,
    values: &[&str],
    user: &FakeUser,
) -> String {
    h.reply(fixtures::component(id, 3, values, message.clone(), user))
        .await
        .text()
}

async fn press(h: &Harness, message: &Value, id: &str, user: &FakeUser) -> Value {
    h.reply(fixtures::component(id, 2, &[], message.clone(), user))
        .await
        .shown
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_weekly_nudge_reaches_exactly_the_incomplete_newbies_once_per_cool_down() {
    let h = Harness::start().await;
    let bo = ("research", Level::Good);
    let mut pool = vec![
        // Incomplete: nothing at all; nothing in BO; too few; DMs refused; nudged lately.
        newbie(&h, 5001, "2026-11-20", &[]),
        newbie(
            &h,
            5003,
            "2026-11-20",
            &[
                ("appointment-organisation", Level::Good),
                ("creative-copywriting", Level::Basic),
                ("lead-generation", Level::Basic),
            ],
        ),
        newbie(&h, 5004, "2026-11-20", &[bo]),
        newbie(&h, 5007, "2026-11-20", &[bo]),
        newbie(&h, 5008, "2026-11-20", &[]),
        // Left alone: complete; no newbie; deactivated.
        newbie(
            &h,
            5002,
            "2026-11-20",
            &[
                bo,
                ("data-entry", Level::Basic),
                ("lead-generation", Level::Basic),
            ],
        ),
        newbie(&h, 5005, "2025-01-10", &[]),
        newbie(&h, 5006, "2026-11-20", &[]),
    ];
    pool[7].active = false;
    h.save_vpas(&pool).await;
    h.sql
        .exec("UPDATE vpas SET last_nudged_at = '2026-11-27T10:00:00Z' WHERE discord_id = 5008")
        .await;
    h.discord.refuse_dms_to(5007);
    let users = [5001, 5002, 5003, 5004, 5005, 5006, 5007, 5008];
    h.settle().await;
    assert!(all_nudges(&h, &users).is_empty(), "not before its time");

    // Tuesday 1 December 09:59 Berlin; a restart right before its time.
    h.advance(Duration::hours(25) - Duration::minutes(1)).await;
    assert!(all_nudges(&h, &users).is_empty(), "not before 10:00");
    let h = h.restart_after(|_| {}).await;
    h.advance(Duration::minutes(2)).await;
    assert_eq!(all_nudges(&h, &users), [5001, 5003, 5004, 5007]);
    let said = |user: u64| content(&nudges(&h, user)[0]).to_string();
    assert!(
        said(5001).contains("Grundkenntnisse reichen!")
            && said(5001).contains("Noch offen: noch keine Kompetenz"),
        "{}",
        said(5001)
    );
    assert!(said(5003).contains("keine im Backoffice"), "{}", said(5003));
    assert!(
        said(5004).contains("1 Kompetenz, vollständig ab 3"),
        "{}",
        said(5004)
    );
    let channel = h.settings().newbies_channel_id.0;
    let fallback = h.discord.channel_messages(channel);
    assert_eq!(
        fallback.len(),
        1,
        "DMs refused: one mention in the newbies channel"
    );
    assert!(custom_ids(&fallback[0]).contains(&CustomId::Picker(PickerId::Open)));

    // Exactly once: a restart right after its time sends nothing again.
    let h = h.restart_after(|_| {}).await;
    h.advance(Duration::minutes(5)).await;
    let count = |h: &Harness| {
        users.iter().map(|u| nudges(h, *u).len()).sum::<usize>()
            + h.discord.channel_messages(channel).len()
    };
    assert_eq!(count(&h), 4);

    // A week later the cool-down (14 days) holds everyone back, also 5008 nudged on 27.11.
    h.advance(Duration::days(7)).await;
    assert_eq!(count(&h), 4, "within the cool-down");
    // Two weeks later all five incomplete newbies again.
    h.advance(Duration::days(7)).await;
    assert_eq!(count(&h), 9);
    assert_eq!(nudges(&h, 5008).len(), 1);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nudges_wait_for_the_end_of_quiet_hours() {
    let h = Harness::start_with(|c| {
        c.settings.survey.quiet_hours = "09:30-12:00".parse().unwrap();
    })
    .await;
    h.save_vpas(&[newbie(&h, 5101, "2026-11-25", &[])]).await;
    h.advance(Duration::hours(25) + Duration::minutes(5)).await;
    assert!(
        nudges(&h, 5101).is_empty(),
        "10:05 is within the quiet hours"
    );
    // 12:00 Berlin is 11:00 UTC.
    h.advance(Duration::hours(2)).await;
    assert_eq!(nudges(&h, 5101).len(), 1, "after the quiet hours");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_picker_saves_each_step_in_the_server_and_removes_after_a_confirmation() {
    let h = Harness::start().await;
    let anna = h.vpa(5201);
    h.save_vpas(&[newbie(
        &h,
        5201,
        "2026-11-25",
        &[("appointment-organisation", Level::Good)],
    )])
    .await;
    let page = h
        .reply(fixtures::slash("profile", &["pick"], vec![], &anna))
        .await;
    let page = page.shown;
    let text = content(&page).to_string();
    // The first area the profile holds nothing in: the back office.
    assert!(
        text.contains("Kompetenzen ergänzen") && text.contains("Backoffice"),
        "{text}"
    );
    assert!(text.contains("Grundkenntnisse reichen!"), "{text}");
    assert!(text.contains("keine im Backoffice"), "{text}");
    assert!(preselected(&page).is_empty());

    // Two chosen: saved at once with basic knowledge, then a level each.
    let levels = choose(
        &h,
        &page,
        &select_of(&page),
        &["research", "data-entry"],
        &anna,
    )
    .await;
    assert_eq!(
        held(&h, 5201).await,
        pairs(&[
            ("appointment-organisation", "good"),
            ("data-entry", "basic"),
            ("research", "basic")
        ])
    );
    let text = content(&levels).to_string();
    assert!(
        text.contains("Gespeichert mit Grundkenntnissen: Recherche, Datenpflege")
            && text.contains("Grundkenntnisse reichen!"),
        "{text}"
    );
    let research_level = component(
        &levels,
        |p| matches!(p, PickerId::Level { index: 0, chosen, .. } if chosen[0] == "research"),
    );
    let shown = choose(&h, &levels, &research_level, &["good"], &anna).await;
    assert!(
        content(&shown).contains("Recherche: gut gespeichert"),
        "{}",
        content(&shown)
    );
    // Abandoned here: what was chosen stays.
    assert_eq!(
        held(&h, 5201).await,
        pairs(&[
            ("appointment-organisation", "good"),
            ("data-entry", "basic"),
            ("research", "good")
        ])
    );
    let profile = h.profile("show", vec![], &anna).await;
    assert!(profile.contains("Profil:** vollständig ✅"), "{profile}");
    let completed: Option<String> = h
        .sql
        .one("SELECT profile_completed_at FROM vpas WHERE discord_id = 5201")
        .await;
    assert!(completed.is_some(), "the completion is recorded");

    // Back to the page: what is held shows as chosen; leaving one out asks first.
    let again = press(
        &h,
        &shown,
        &component(&shown, |p| matches!(p, PickerId::Page { .. })),
        &anna,
    )
    .await;
    assert_eq!(preselected(&again), ["research", "data-entry"]);
    let ask = choose(&h, &again, &select_of(&again), &["research"], &anna).await;
    assert!(
        content(&ask).contains("Aus dem Profil entfernen: Datenpflege?"),
        "{}",
        content(&ask)
    );
    assert_eq!(
        held(&h, 5201).await.len(),
        3,
        "nothing removed before the confirmation"
    );
    let remove = component(&ask, |p| matches!(p, PickerId::Remove { .. }));
    let after = press(&h, &ask, &remove, &anna).await;
    assert!(
        content(&after).contains("Entfernt: Datenpflege."),
        "{}",
        content(&after)
    );
    assert_eq!(
        held(&h, 5201).await,
        pairs(&[("appointment-organisation", "good"), ("research", "good")])
    );
    let completed: Option<String> = h
        .sql
        .one("SELECT profile_completed_at FROM vpas WHERE discord_id = 5201")
        .await;
    assert!(completed.is_none(), "incomplete again");

    // The next area shows the held one chosen; "Fertig" shows the profile.
    let next = component(
        &after,
        |p| matches!(p, PickerId::Page { page, .. } if page.area != vpa_desk::domain::area::WorkArea::Backoffice),
    );
    let secretarial = press(&h, &after, &next, &anna).await;
    assert!(
        content(&secretarial).contains("Sekretariat"),
        "{}",
        content(&secretarial)
    );
    assert_eq!(preselected(&secretarial), ["appointment-organisation"]);
    let done = press(
        &h,
        &secretarial,
        &component(&secretarial, |p| matches!(p, PickerId::Done { .. })),
        &anna,
    )
    .await;
    let text = content(&done).to_string();
    assert!(
        text.contains("Fertig") && text.contains("unvollständig – 2 Kompetenzen, vollständig ab 3"),
        "{text}"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_nudge_opens_the_picker_in_the_dm_and_the_digest_lists_who_completed() {
    let h = Harness::start().await;
    let ben = h.vpa(5301);
    h.discord.add_member(&ben);
    h.save_vpas(&[newbie(&h, 5301, "2026-11-25", &[])]).await;
    h.advance(Duration::hours(25) + Duration::minutes(1)).await;
    let dm = nudges(&h, 5301).pop().expect("the nudge");
    let open = fixtures::component(&CustomId::Picker(PickerId::Open).encode(), 2, &[], dm, &ben);
    let page = h.reply(in_dm(open, &ben)).await.shown;
    assert!(content(&page).contains("Backoffice"), "{}", content(&page));
    let choice = fixtures::component(
        &select_of(&page),
        3,
        &["research", "data-entry", "email-management"],
        page.clone(),
        &ben,
    );
    let levels = h.reply(in_dm(choice, &ben)).await.shown;
    assert!(
        content(&levels).contains("Gespeichert"),
        "{}",
        content(&levels)
    );
    assert_eq!(held(&h, 5301).await.len(), 3);
    // A level in the DM, too.
    let level = component(&levels, |p| matches!(p, PickerId::Level { index: 2, .. }));
    let set = fixtures::component(&level, 3, &["expert"], levels.clone(), &ben);
    h.reply(in_dm(set, &ben)).await;
    assert!(
        held(&h, 5301)
            .await
            .contains(&("email-management".into(), "expert".into()))
    );
    // The digest on Monday 7 December lists the newbie who completed the profile.
    h.advance(Duration::days(6)).await;
    let digest = h.manager_messages_saying("Wochenbericht");
    let text = content(digest.last().expect("the digest")).to_string();
    assert!(
        text.contains("Profil vervollständigt (1 Newbie): VPA 5301."),
        "{text}"
    );
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_picks_for_a_vpa_and_a_vpa_cannot_pick_for_another() {
    let h = Harness::start().await;
    h.save_vpas(&[newbie(&h, 5401, "2026-11-25", &[])]).await;
    let coordinator = h.coordinator();
    let cem = h.vpa(5401);
    let other = h.vpa(5402);
    let page = h
        .reply(fixtures::slash(
            "profile",
            &["pick"],
            vec![("vpa", (&cem).into())],
            &coordinator,
        ))
        .await
        .shown;
    assert!(
        content(&page).contains("Kompetenzen von <@5401>"),
        "{}",
        content(&page)
    );
    choose(&h, &page, &select_of(&page), &["research"], &coordinator).await;
    assert_eq!(held(&h, 5401).await, pairs(&[("research", "basic")]));
    let source: String = h
        .sql
        .one("SELECT source FROM vpa_history WHERE vpa_id = 5401 ORDER BY id DESC LIMIT 1")
        .await;
    assert_eq!(source, "coordinator");

    // Another VPA: neither the command nor the picker's components for Cem's profile.
    let refused = h
        .slash("profile", &["pick"], vec![("vpa", (&cem).into())], &other)
        .await;
    assert!(refused.contains("nur dein eigenes"), "{refused}");
    let refused = h
        .reply(fixtures::component(
            &select_of(&page),
            3,
            &["data-entry"],
            page.clone(),
            &other,
        ))
        .await
        .text();
    assert!(refused.contains("nur dein eigenes"), "{refused}");
    assert_eq!(held(&h, 5401).await, pairs(&[("research", "basic")]));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_picker_values_are_refused_and_change_nothing() {
    let h = Harness::start().await;
    let dora = h.vpa(5501);
    h.save_vpas(&[newbie(&h, 5501, "2026-11-25", &[("research", Level::Good)])])
        .await;
    let page = h
        .reply(fixtures::slash("profile", &["pick"], vec![], &dora))
        .await
        .shown;
    let select = select_of(&page);
    // An unknown value, and a competence of another area in this area's menu.
    for values in [
        &["nonsense"][..],
        &["research", "appointment-organisation"][..],
    ] {
        let text = answered(&h, &page, &select, values, &dora).await;
        assert!(
            text.contains("bietet dieses Menü nicht an") && text.contains("nichts geändert"),
            "{text}"
        );
    }
    assert_eq!(held(&h, 5501).await, pairs(&[("research", "good")]));

    // A level for a competence not chosen, and a level that is none.
    let vpa = DiscordId(5501);
    let bo = vpa_desk::domain::newbie::PickerPage {
        area: vpa_desk::domain::area::WorkArea::Backoffice,
        page: 0,
    };
    let level = |keys: &[&str]| {
        CustomId::Picker(PickerId::Level {
            vpa,
            page: bo,
            index: 0,
            chosen: keys.iter().map(|k| k.to_string()).collect(),
        })
        .encode()
    };
    let text = answered(&h, &page, &level(&["data-entry"]), &["expert"], &dora).await;
    assert!(
        text.contains("Für „Datenpflege“ lässt sich keine Stufe setzen"),
        "{text}"
    );
    let text = answered(&h, &page, &level(&["research"]), &["master"], &dora).await;
    assert!(
        text.contains("„master“ bietet dieses Menü nicht an"),
        "{text}"
    );
    assert_eq!(held(&h, 5501).await, pairs(&[("research", "good")]));
    h.stop().await;
}

//! When a VPA drops out: the confirmation lists exactly what an absence hands on; after it
//! the assignment ends, the earlier accepters are offered the task one after another (the
//! clock runs the offers out), a new round opens when nobody is left, the coordinator hears of
//! exactly their tasks; a recurring assignment is covered for the weeks of an absence and goes
//! back; a deactivation ends everything; offers survive a restart and are taken once.

use chrono::Duration;
use serde_json::Value;
use vpa_desk::domain::ids::DiscordId;
use vpa_desk::loopback::fixtures::{FakeUser, Opt};

use crate::support::{Harness, content, says};

/// Creates a research task of `hours` due `deadline` (recurring: starting then), lets
/// `accepters` accept it by ✅ and assigns it to the first of them: the task's id.
async fn accepted_and_assigned(
    h: &Harness,
    n: usize,
    deadline: &str,
    recurring: bool,
    accepters: &[u64],
) -> i64 {
    let mut options = crate::support::task_options("Kanzlei Berger", "research", 2.0, deadline);
    if recurring {
        options.push(("recurring", true.into()));
    }
    h.slash("task", &["new"], options, &h.coordinator()).await;
    let post = h.wait_survey_post(n).await;
    let round = crate::support::round_of(&post);
    for vpa in accepters {
        h.react(&post, &h.vpa(*vpa), "✅", true).await;
    }
    let expected: Vec<(u64, &str)> = accepters.iter().map(|v| (*v, "accept")).collect();
    h.wait_answers(round, &expected).await;
    let task = n as i64;
    h.assign(task, &h.vpa(accepters[0])).await;
    task
}

fn absent(from: &str, until: Option<&str>) -> Vec<(&'static str, Opt)> {
    let mut options = vec![("from", from.into())];
    options.extend(until.map(|u| ("until", u.into())));
    options
}

/// `/profile absent` as `user` (for someone else with `vpa`): what the person is shown.
async fn report_absence(
    h: &Harness,
    user: &FakeUser,
    from: &str,
    until: Option<&str>,
    vpa: Option<&FakeUser>,
) -> Value {
    let mut options = absent(from, until);
    if let Some(v) = vpa {
        options.push(("vpa", v.into()));
    }
    let payload = vpa_desk::loopback::fixtures::slash("profile", &["absent"], options, user);
    h.reply(payload).await.shown
}

/// The button of a message whose custom id starts with `prefix`.
fn button(message: &Value, prefix: &str) -> String {
    message["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|c| c["custom_id"].as_str().map(str::to_string))
        .find(|id| id.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix} button in {message}"))
}

async fn open_assignments(h: &Harness, vpa: u64) -> Vec<i64> {
    h.sql
        .column(format!(
            "SELECT task_id FROM assignments WHERE vpa_id = {vpa} AND ended_on IS NULL ORDER BY task_id"
        ))
        .await
}

async fn load_this_week(h: &Harness, vpa: u64) -> f64 {
    let profile = h
        .desk
        .db
        .get_vpa(&h.desk.config.catalog, DiscordId(vpa))
        .await
        .unwrap()
        .unwrap();
    vpa_desk::domain::utilization::load_in_week_of(&profile.commitments, h.desk.today())
}

/// Task #1 (due 4 December) accepted by 1000–1002 and assigned to Anna (1000), who reports an
/// absence from 30 November to 11 December and confirms it: the task is offered on.
async fn anna_absent_with_three_accepters(h: &Harness) {
    h.seed_vpas(1000, 4, "research").await;
    accepted_and_assigned(h, 1, "04.12.2026", false, &[1000, 1001, 1002]).await;
    let anna = h.vpa(1000);
    let question = report_absence(h, &anna, "30.11.2026", Some("11.12.2026"), None).await;
    h.press(&question, &button(&question, "dc:a:"), &anna).await;
}

/// The offer DM to `vpa` (waits for it).
async fn offer_to(h: &Harness, vpa: u64) -> Value {
    h.wait_dm(vpa, "wieder frei").await
}

async fn press_in_dm(h: &Harness, dm: &Value, custom_id: &str, user: &FakeUser) -> String {
    let handle = h.click_in_dm(dm, custom_id, user).await;
    h.final_text(&handle).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_absence_hands_on_the_task_due_inside_it_to_the_waitlist_then_a_new_round() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 6, "research").await;
    // #1 is due inside the absence, #2 after it.
    let inside = accepted_and_assigned(&h, 1, "04.12.2026", false, &[1000, 1001, 1002]).await;
    let after = accepted_and_assigned(&h, 2, "18.12.2026", false, &[1000]).await;
    let anna = h.vpa(1000);
    let load_before = load_this_week(&h, 1000).await;

    let question = report_absence(&h, &anna, "01.12.2026", Some("10.12.2026"), None).await;
    let text = content(&question);
    assert!(text.contains(&format!("#{inside} ")), "{text}");
    assert!(!text.contains(&format!("#{after} ")), "{text}");
    assert!(text.contains("Bestätigen"), "{text}");
    // Nothing saved before the confirmation.
    let saved: Option<String> = h
        .sql
        .one("SELECT absent_from FROM vpas WHERE discord_id = 1000")
        .await;
    assert_eq!(saved, None);
    assert_eq!(open_assignments(&h, 1000).await, vec![inside, after]);

    let confirmed = h.press(&question, &button(&question, "dc:a:"), &anna).await;
    assert!(confirmed.contains("Weitergegeben"), "{confirmed}");
    assert!(confirmed.contains("<@1001> angeboten"), "{confirmed}");
    assert_eq!(open_assignments(&h, 1000).await, vec![after]);
    let reason: String = h
        .sql
        .one(format!(
            "SELECT end_reason FROM assignments WHERE vpa_id = 1000 AND task_id = {inside}"
        ))
        .await;
    assert_eq!(reason, "absent");
    // Utilization drops by the handed-on task's share of this week (2 h over 5 workdays,
    // 4 of them in this week).
    let load_after = load_this_week(&h, 1000).await;
    assert!(
        (load_before - load_after - 2.0).abs() < 1e-9,
        "{load_before} → {load_after}"
    );
    let status: String = h
        .sql
        .one(format!("SELECT status FROM tasks WHERE id = {inside}"))
        .await;
    assert_eq!(status, "surveying");

    // The coordinator hears of exactly that task.
    let dm = h.wait_dm(900, "ist abwesend").await;
    assert!(says(&dm, &format!("#{inside}")), "{dm}");
    assert!(!says(&dm, &format!("#{after}")), "{dm}");

    // The first accepter in ranking order is offered it; when the offer runs out, the next.
    let first = offer_to(&h, 1001).await;
    assert!(
        !says(&first, "Kanzlei Berger"),
        "no client name in the offer: {first}"
    );
    assert!(
        h.discord
            .dm_messages(1002)
            .iter()
            .all(|m| !says(m, "wieder frei"))
    );
    h.advance(Duration::minutes(61)).await;
    let second = offer_to(&h, 1002).await;
    let late = press_in_dm(&h, &first, &button(&first, "ho:y:"), &h.vpa(1001)).await;
    assert!(late.contains("abgelaufen"), "{late}");
    assert_eq!(open_assignments(&h, 1001).await, Vec::<i64>::new());

    // Declined by the last one: a new round asks the fitting VPAs, without the absent one.
    let declined = press_in_dm(&h, &second, &button(&second, "ho:n:"), &h.vpa(1002)).await;
    assert!(declined.contains("nächste Person"), "{declined}");
    let round = h.wait_survey_post(3).await;
    let mentions = content(&round);
    assert!(mentions.contains("<@1003>"), "{mentions}");
    assert!(!mentions.contains("<@1000>"), "{mentions}");
    assert!(round.to_string().contains("Neu zu besetzen"), "{round}");
    // /task show tells the story.
    let shown = h.task_cmd("show", vec![("id", inside.into())]).await;
    assert!(
        shown.contains("Übergaben") && shown.contains("<@1000> abwesend"),
        "{shown}"
    );
    assert!(shown.contains("neue Umfrage"), "{shown}");
    // Open demand again.
    let list = h.task_cmd("list", vec![]).await;
    assert!(list.contains(&format!("#{inside}")), "{list}");
    crate::reports::facts_agree(&h).await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_waitlist_takes_it_over_once_and_a_deactivation_ends_everything() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 4, "research").await;
    let task = accepted_and_assigned(&h, 1, "04.12.2026", false, &[1000, 1001]).await;
    let manager = h.manager();
    // A coordinator sets the absence for the VPA: the same confirmation.
    let question =
        report_absence(&h, &h.coordinator(), "30.11.2026", None, Some(&h.vpa(1000))).await;
    assert!(content(&question).contains(&format!("#{task} ")));
    // Someone else pressing it is refused.
    let foreign = h
        .press(&question, &button(&question, "dc:a:"), &h.guest())
        .await;
    assert!(foreign.contains("jemand anderem"), "{foreign}");
    assert_eq!(open_assignments(&h, 1000).await, vec![task]);
    h.press(&question, &button(&question, "dc:a:"), &h.coordinator())
        .await;
    // The VPA is told, since someone else saved it.
    let told = h.wait_dm(1000, "Abwesenheit wurde eingetragen").await;
    assert!(says(&told, &format!("#{task}")), "{told}");

    // Both buttons pressed at the same time: assigned once.
    let offer = offer_to(&h, 1001).await;
    let take = button(&offer, "ho:y:");
    let ben = h.vpa(1001);
    let (a, b) = tokio::join!(
        h.click_in_dm(&offer, &take, &ben),
        h.click_in_dm(&offer, &take, &ben)
    );
    let texts = [h.final_text(&a).await, h.final_text(&b).await];
    assert_eq!(
        texts
            .iter()
            .filter(|t| t.contains("gehört jetzt dir"))
            .count(),
        1,
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t.contains("schon geantwortet")),
        "{texts:?}"
    );
    assert_eq!(open_assignments(&h, 1001).await, vec![task]);
    let coordinator = h.wait_dm(900, "übernommen").await;
    assert!(says(&coordinator, "<@1001>"), "{coordinator}");
    h.wait_dm(1001, "Kanzlei Berger").await; // the assignment DM with the client

    // The manager deactivates 1001: confirmation, then the task is handed on for good.
    let payload = vpa_desk::loopback::fixtures::slash(
        "profile",
        &["deactivate"],
        vec![("vpa", (&h.vpa(1001)).into())],
        &manager,
    );
    let question = h.reply(payload).await.shown;
    assert!(
        content(&question).contains(&format!("#{task} ")),
        "{question}"
    );
    let done = h
        .press(&question, &button(&question, "dc:d:"), &manager)
        .await;
    assert!(done.contains("deaktiviert"), "{done}");
    assert_eq!(open_assignments(&h, 1001).await, Vec::<i64>::new());
    let reason: String = h
        .sql
        .one("SELECT end_reason FROM assignments WHERE vpa_id = 1001")
        .await;
    assert_eq!(reason, "deactivated");
    // Nobody left on the waitlist (1000 is absent): a new round.
    let round = h.wait_survey_post(2).await;
    assert!(content(&round).contains("<@1002>"), "{round}");
    crate::reports::facts_agree(&h).await;
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recurring_assignment_is_covered_for_a_two_week_absence_and_returns() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 3, "research").await;
    let task = accepted_and_assigned(&h, 1, "30.11.2026", true, &[1000, 1001]).await;
    let anna = h.vpa(1000);
    // Monday 7 to Friday 18 December.
    let question = report_absence(&h, &anna, "07.12.2026", Some("18.12.2026"), None).await;
    let text = content(&question);
    assert!(
        text.contains("Vertretung vom 07.12.2026 bis 20.12.2026"),
        "{text}"
    );
    h.press(&question, &button(&question, "dc:a:"), &anna).await;
    // Still Anna's this week.
    assert_eq!(open_assignments(&h, 1000).await, vec![task]);
    let offer = offer_to(&h, 1001).await;
    assert!(
        says(&offer, "Vertretung vom 07.12.2026 bis 20.12.2026"),
        "{offer}"
    );
    let took = press_in_dm(&h, &offer, &button(&offer, "ho:y:"), &h.vpa(1001)).await;
    assert!(took.contains("gehört jetzt dir"), "{took}");

    // During the absence the hours count for the cover, not for Anna.
    h.advance(Duration::days(14)).await; // Monday 14 December
    assert_eq!(open_assignments(&h, 1000).await, Vec::<i64>::new());
    assert_eq!(load_this_week(&h, 1000).await, 0.0);
    assert_eq!(load_this_week(&h, 1001).await, 2.0);
    // From Monday 21 December it is Anna's again.
    h.advance(Duration::days(7)).await;
    let back = h.wait_dm(1000, "Willkommen zurück").await;
    assert!(says(&back, &format!("#{task}")), "{back}");
    assert_eq!(open_assignments(&h, 1000).await, vec![task]);
    assert_eq!(open_assignments(&h, 1001).await, Vec::<i64>::new());
    assert_eq!(load_this_week(&h, 1000).await, 2.0);
    assert_eq!(load_this_week(&h, 1001).await, 0.0);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coming_back_early_takes_a_cover_back_from_the_next_week() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 3, "research").await;
    let task = accepted_and_assigned(&h, 1, "30.11.2026", true, &[1000, 1001]).await;
    let anna = h.vpa(1000);
    let question = report_absence(&h, &anna, "30.11.2026", None, None).await;
    assert!(
        content(&question).contains("bis zur Rückkehr"),
        "{question}"
    );
    h.press(&question, &button(&question, "dc:a:"), &anna).await;
    let offer = offer_to(&h, 1001).await;
    press_in_dm(&h, &offer, &button(&offer, "ho:y:"), &h.vpa(1001)).await;
    assert_eq!(open_assignments(&h, 1001).await, vec![task]);
    // Back on Wednesday 9 December: the cover ends that Sunday.
    h.advance(Duration::days(9)).await;
    h.profile("absent", absent("aus", None), &anna).await;
    let until: String = h.sql.one("SELECT cover_until FROM hand_overs").await;
    assert_eq!(until, "2026-12-13");
    h.advance(Duration::days(5)).await; // Monday 14 December
    assert_eq!(open_assignments(&h, 1000).await, vec![task]);
    assert_eq!(open_assignments(&h, 1001).await, Vec::<i64>::new());
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offer_keeps_its_deadline_across_a_restart() {
    let h = Harness::start().await;
    anna_absent_with_three_accepters(&h).await;
    offer_to(&h, 1001).await;
    let h = h.crash_and_restart().await;
    h.advance(Duration::minutes(30)).await;
    assert!(
        h.discord
            .dm_messages(1002)
            .iter()
            .all(|m| !says(m, "wieder frei"))
    );
    h.advance(Duration::minutes(31)).await;
    offer_to(&h, 1002).await;
    let lapsed: i64 = h
        .sql
        .one("SELECT COUNT(*) FROM hand_over_offers WHERE outcome = 'lapsed'")
        .await;
    assert_eq!(lapsed, 1);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_absence_without_assignments_in_it_is_saved_at_once() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 2, "research").await;
    let task = accepted_and_assigned(&h, 1, "18.12.2026", false, &[1000]).await;
    let anna = h.vpa(1000);
    let shown = report_absence(&h, &anna, "01.12.2026", Some("04.12.2026"), None).await;
    assert!(!content(&shown).contains("Bestätigen"), "{shown}");
    let saved: Option<String> = h
        .sql
        .one("SELECT absent_from FROM vpas WHERE discord_id = 1000")
        .await;
    assert_eq!(saved.as_deref(), Some("2026-12-01"));
    assert_eq!(open_assignments(&h, 1000).await, vec![task]);
    // "Abbrechen" under a question saves nothing.
    let question = report_absence(&h, &anna, "01.12.2026", None, None).await;
    let called_off = h.press(&question, &button(&question, "dc:x"), &anna).await;
    assert!(
        called_off.contains("nichts wurde gespeichert"),
        "{called_off}"
    );
    let until: Option<String> = h
        .sql
        .one("SELECT absent_until FROM vpas WHERE discord_id = 1000")
        .await;
    assert_eq!(until.as_deref(), Some("2026-12-04"));
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_offer_to_a_vpa_who_drops_out_goes_to_the_next_at_once() {
    let h = Harness::start().await;
    anna_absent_with_three_accepters(&h).await;
    let first = offer_to(&h, 1001).await;
    // 1001 reports an absence too (holding nothing: saved at once): the offer is void.
    h.profile(
        "absent",
        absent("30.11.2026", Some("02.12.2026")),
        &h.vpa(1001),
    )
    .await;
    offer_to(&h, 1002).await;
    let late = press_in_dm(&h, &first, &button(&first, "ho:y:"), &h.vpa(1001)).await;
    assert!(late.contains("schon vergeben"), "{late}");
    assert_eq!(open_assignments(&h, 1001).await, Vec::<i64>::new());
    h.stop().await;
}

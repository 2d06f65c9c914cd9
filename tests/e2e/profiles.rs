//! Profiles: created on first use and kept by self-service (`/profile schedule`, `competence`,
//! `vt-stop`, `absent`), a VPA sees only their own, coordinators act for VPAs, deactivated VPAs
//! are neither surveyed nor counted — and every change recorded in the profile history.

use chrono::Duration;
use vpa_desk::db::vpas::{ChangeSource, Saved, save_vpa};
use vpa_desk::domain::{DiscordId, Level, Vpa};
use vpa_desk::loopback::fixtures::{FakeUser, Opt};

use crate::support::{Harness, TestDb, content, d, now, ready_vpa};

/// What the profile of a VPA holds: weekly hours, wants tasks, wants new clients, VT-Stop,
/// active.
type Row = (f64, bool, bool, Option<String>, bool);

async fn vpa_row(h: &Harness, id: u64) -> Option<Row> {
    let query = format!(
        "SELECT weekly_hours, wants_tasks, wants_new_clients, vt_stop_until, active \
         FROM vpas WHERE discord_id = {id}"
    );
    h.sql.rows(query).await.pop()
}

/// The options of `/profile schedule`.
fn schedule(hours: f64, tasks: bool, new_clients: bool) -> Vec<(&'static str, Opt)> {
    vec![
        ("weekly_hours", hours.into()),
        ("wants_tasks", tasks.into()),
        ("wants_new_clients", new_clients.into()),
    ]
}

/// The options of `/profile competence`.
fn competence(action: i64, key: &str, level: Option<i64>) -> Vec<(&'static str, Opt)> {
    let mut options = vec![("action", action.into()), ("competence", key.into())];
    options.extend(level.map(|l| ("level", l.into())));
    options
}

/// The options of `/profile absent`.
fn absent(from: &str, until: &str) -> Vec<(&'static str, Opt)> {
    vec![("from", from.into()), ("until", until.into())]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_is_created_on_first_use_and_kept_by_self_service() {
    let h = Harness::start().await;
    let anna = h.vpa(3001);
    let text = h.profile("show", vec![], &anna).await;
    assert!(
        text.contains("Dein VPA-Profil wurde angelegt") && text.contains("/profile schedule"),
        "{text}"
    );
    assert_eq!(
        vpa_row(&h, 3001).await,
        Some((0.0, false, false, None, true))
    );

    let text = h
        .profile("schedule", schedule(20.0, true, true), &anna)
        .await;
    assert!(
        text.contains("Gespeichert") && text.contains("20 h"),
        "{text}"
    );
    let text = h
        .profile("schedule", schedule(100.0, false, false), &anna)
        .await;
    assert!(text.contains("erlaubt sind 0 h bis 80 h"), "{text}");
    assert_eq!(
        vpa_row(&h, 3001).await,
        Some((20.0, true, true, None, true)),
        "nothing changed by the bad input"
    );

    let text = h
        .profile("competence", competence(0, "newsletter", Some(1)), &anna)
        .await;
    assert!(text.contains("Newsletter (gut)"), "{text}");
    let text = h
        .profile(
            "competence",
            competence(0, "Kreativ Texten", Some(0)),
            &anna,
        )
        .await;
    assert!(
        text.contains("Meintest du") && text.contains("Kreatives Texten"),
        "{text}"
    );
    let text = h
        .profile("competence", competence(0, "seo", None), &anna)
        .await;
    assert!(text.contains("fehlt die Stufe"), "{text}");
    let text = h
        .profile("competence", competence(1, "newsletter", None), &anna)
        .await;
    assert!(text.contains("keine – ergänze"), "{text}");

    let vt_stop = |until: &str| vec![("until", until.into())];
    let text = h.profile("vt-stop", vt_stop("31.12.2026"), &anna).await;
    assert!(text.contains("VT-Stop:** bis 31.12.2026"), "{text}");
    let text = h.profile("vt-stop", vt_stop("morgen"), &anna).await;
    assert!(
        text.contains("kein gültiges Datum") && text.contains("„aus“"),
        "{text}"
    );
    assert_eq!(
        vpa_row(&h, 3001).await.unwrap().3.as_deref(),
        Some("2026-12-31")
    );
    h.profile("vt-stop", vt_stop("aus"), &anna).await;
    assert_eq!(vpa_row(&h, 3001).await.unwrap().3, None);

    let text = h
        .profile("absent", absent("01.12.2026", "04.12.2026"), &anna)
        .await;
    assert!(text.contains("01.12.2026 – 04.12.2026"), "{text}");
    let text = h
        .profile("absent", absent("05.12.2026", "01.12.2026"), &anna)
        .await;
    assert!(text.contains("liegt vor dem Beginn"), "{text}");
    let history: i64 = h
        .sql
        .one(
            "SELECT COUNT(*) FROM vpa_history \
             WHERE vpa_id = 3001 AND source = 'profile' AND changed_by = 3001",
        )
        .await;
    assert!(history >= 8, "every change is recorded ({history})");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vpa_sees_only_their_own_profile_and_coordinators_act_for_vpas() {
    let h = Harness::start().await;
    h.seed_vpas(3001, 2, "research").await;
    let (anna, ben) = (h.vpa(3001), h.vpa(3002));
    let of_ben = |mut options: Vec<(&'static str, Opt)>| {
        options.push(("vpa", (&ben).into()));
        options
    };
    let text = h.profile("show", of_ben(vec![]), &anna).await;
    assert!(text.contains("nur dein eigenes Profil"), "{text}");
    assert!(!text.contains("Wochenstunden"));
    let text = h
        .profile("schedule", of_ben(schedule(1.0, false, false)), &anna)
        .await;
    assert!(text.contains("nur dein eigenes Profil"), "{text}");
    assert_eq!(vpa_row(&h, 3002).await.unwrap().0, 20.0);
    // A coordinator records that Ben fell ill (no reason stored).
    let ill = of_ben(absent("30.11.2026", "11.12.2026"));
    let text = h.profile("absent", ill, &h.coordinator()).await;
    assert!(text.contains("30.11.2026 – 11.12.2026"), "{text}");
    let source: String = h
        .sql
        .one(
            "SELECT source FROM vpa_history WHERE vpa_id = 3002 AND field = 'absent_until' \
             ORDER BY id DESC LIMIT 1",
        )
        .await;
    assert_eq!(source, "coordinator");
    let text = h.profile("show", of_ben(vec![]), &h.manager()).await;
    assert!(
        text.contains("Abwesend:** 30.11.2026 – 11.12.2026"),
        "{text}"
    );
    // Nobody without a profile is created by looking at them.
    let nobody = vec![("vpa", (&FakeUser::new(4444, "x")).into())];
    let text = h.profile("show", nobody, &h.coordinator()).await;
    assert!(text.contains("noch kein VPA-Profil"), "{text}");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deactivated_vpas_are_not_surveyed_and_do_not_count() {
    let h = Harness::start().await;
    h.seed_vpas(3001, 11, "research").await;
    let gone = vec![("vpa", (&FakeUser::new(3001, "gone")).into())];
    let text = h
        .profile("deactivate", gone.clone(), &h.coordinator())
        .await;
    assert!(text.contains("nur der VPA Manager"), "{text}");
    let text = h.profile("deactivate", gone, &h.manager()).await;
    assert!(text.contains("deaktiviert"), "{text}");
    assert!(!vpa_row(&h, 3001).await.unwrap().4);
    let pool = h.slash("pool", &[], vec![], &h.manager()).await;
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
    assert!(!content(&post).contains("<@3001>"));
    assert_eq!(content(&post).matches("<@").count(), 10);
    h.stop().await;
}

#[tokio::test]
async fn profile_changes_are_recorded_and_a_no_op_save_is_unchanged() {
    let t = TestDb::new().await;
    let catalog = &t.config.catalog;
    let id = 123_456_789_012_345_678;
    let mut vpa = ready_vpa(&t.config, id, &[("research", Level::Good)]);
    assert_eq!(
        t.save(std::slice::from_ref(&vpa)).await,
        vec![Saved::Created]
    );
    let created = t.db.history_since(now()).await.unwrap();
    assert_eq!(created.len(), 11, "ten fields and the competences");
    assert!(created.iter().all(|h| h.source == ChangeSource::Import
        && h.old_value.is_none()
        && h.vpa_id == DiscordId(id)
        && h.changed_by.is_none()));

    // The VPA sets a VT-Stop and fewer hours themselves.
    let later = now() + Duration::hours(1);
    vpa.weekly_hours = 10.0;
    vpa.vt_stop_until = Some(d("2026-12-15"));
    let save = |vpa: Vpa, at| {
        let t = &t;
        async move {
            let mut tx = t.db.begin_write().await.unwrap();
            let saved = save_vpa(
                &mut tx,
                catalog,
                &vpa,
                ChangeSource::Profile,
                Some(DiscordId(id)),
                at,
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
            saved
        }
    };
    assert_eq!(save(vpa.clone(), later).await, Saved::Updated);
    let mut changes = t.db.history_since(later).await.unwrap();
    changes.sort_by(|a, b| a.field.cmp(&b.field));
    /// field, old value, new value, source, changed by
    type Change<'a> = (
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        &'a str,
        Option<DiscordId>,
    );
    let got: Vec<Change> = changes
        .iter()
        .map(|h| {
            (
                h.field.as_str(),
                h.old_value.as_deref(),
                h.new_value.as_deref(),
                h.source.key(),
                h.changed_by,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "vt_stop_until",
                None,
                Some("2026-12-15"),
                "profile",
                Some(DiscordId(id))
            ),
            (
                "weekly_hours",
                Some("20"),
                Some("10"),
                "profile",
                Some(DiscordId(id))
            ),
        ]
    );
    assert_eq!(t.vpa(id).await.vt_stop_until, Some(d("2026-12-15")));

    // Saving the same profile again writes nothing.
    let rows = t.sql.count("vpa_history").await;
    assert_eq!(
        save(vpa.clone(), later + Duration::hours(1)).await,
        Saved::Unchanged
    );
    assert_eq!(t.sql.count("vpa_history").await, rows);

    // A new competence is one history entry with the whole list before and after.
    vpa.competences
        .push(ready_vpa(&t.config, id, &[("newsletter", Level::Expert)]).competences[0]);
    let at = later + Duration::hours(2);
    assert_eq!(save(vpa, at).await, Saved::Updated);
    let changes = t.db.history_since(at).await.unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].field, "competences");
    assert_eq!(changes[0].old_value.as_deref(), Some("research:good"));
    assert_eq!(
        changes[0].new_value.as_deref(),
        Some("newsletter:expert;research:good")
    );
    assert_eq!(t.vpa(id).await.competences.len(), 2);
}

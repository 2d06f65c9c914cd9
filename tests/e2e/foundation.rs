//! The foundation on a real SQLite file: eligibility, utilization, ranking and pool health read
//! back from the database; task status and profile history; and the real `vpa-desk` binary
//! (`import-vpas`, `pool`, `serve`, config errors).

use std::collections::{BTreeMap, BTreeSet};

use chrono::Duration;
use serde_json::json;
use vpa_desk::db::tasks::{StatusError, Why, set_status};
use vpa_desk::db::vpas::{ChangeSource, Saved, save_vpa};
use vpa_desk::domain::eligibility::{Exclusion, check};
use vpa_desk::domain::ranking::rank;
use vpa_desk::domain::task::TaskStatus;
use vpa_desk::domain::utilization::utilization;
use vpa_desk::domain::{DiscordId, Level, TaskId, Vpa, WorkArea};
use vpa_desk::present::{Lang, format};
use vpa_desk::service::pool::pool_health;

/// The language the German texts below are in.
fn de() -> Lang {
    Lang::from_tag("de").unwrap()
}

use crate::helpers::{
    CliEnv, TestDb, config_dir, count_rows, d, now, ready_vpa, run, stderr, stdout,
};

/// Monday 30 November 2026, the day the DB tests are evaluated on.
fn today() -> chrono::NaiveDate {
    d("2026-11-30")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn find(pool: &[Vpa], id: u64) -> &Vpa {
    pool.iter()
        .find(|v| v.discord_id == DiscordId(id))
        .unwrap_or_else(|| panic!("VPA {id} not in the pool"))
}

// ---------------------------------------------------------------------------------------------
// Rules through the database
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn eligibility_matrix_each_exclusion_reason_from_stored_profiles() {
    let t = TestDb::new().await;
    let c = &t.config;
    let research = |id| ready_vpa(c, id, &[("research", Level::Good)]);
    let mut vpas = Vec::new();
    vpas.push(research(101)); // fits
    vpas.push(ready_vpa(c, 102, &[("newsletter", Level::Expert)]));
    let mut v = research(103);
    v.vt_stop_until = Some(today()); // until D: active on D
    vpas.push(v);
    let mut v = research(104);
    v.absent_until = Some(d("2026-12-02")); // no start: already begun
    vpas.push(v);
    let mut v = research(105);
    v.wants_tasks = false;
    vpas.push(v);
    let mut v = research(106);
    v.wants_new_clients = false;
    vpas.push(v);
    let mut v = research(107);
    v.weekly_hours = 0.0;
    vpas.push(v);
    let mut v = research(108);
    v.weekly_hours = 12.0;
    vpas.push(v);
    let mut v = research(109);
    v.active = false;
    vpas.push(v);
    // Wants no new clients, but worked for this client before: the task is not new for them.
    let mut v = ready_vpa(c, 110, &[("research", Level::Expert)]);
    v.wants_new_clients = false;
    vpas.push(v);
    assert!(t.save(&vpas).await.iter().all(|s| *s == Saved::Created));

    // 108 already has 5 h a week for another client.
    let weekly = t
        .task("Steuerbüro Weber", "data-entry", 5.0, true, d("2026-11-02"))
        .await;
    t.assign(&weekly, 108, d("2026-11-02")).await;
    // 110 had a (finished) assignment with Kanzlei Müller.
    let earlier = t
        .task("Kanzlei Müller", "research", 2.0, false, d("2026-11-20"))
        .await;
    t.assign(&earlier, 110, d("2026-11-16")).await;
    assert!(t.end(&earlier, 110, d("2026-11-20")).await);

    let task = t
        .task("Kanzlei Müller", "research", 10.0, false, d("2026-12-04"))
        .await;
    assert!(!task.new_client, "Kanzlei Müller had a task before");
    let pool = t.pool().await;
    assert_eq!(pool.len(), 10);
    let ranking = rank(&pool, &task.offer(), today());

    let fitting: Vec<u64> = ranking.fitting.iter().map(|r| r.discord_id.0).collect();
    assert_eq!(fitting, vec![110, 101], "expert first at equal utilization");
    let excluded: BTreeMap<u64, Vec<Exclusion>> = ranking
        .excluded
        .iter()
        .map(|(id, reasons)| (id.0, reasons.clone()))
        .collect();
    let expected: BTreeMap<u64, (Exclusion, &str)> = BTreeMap::from([
        (102, (Exclusion::NoCompetence, "Kompetenz fehlt")),
        (
            103,
            (
                Exclusion::VtStop { until: today() },
                "VT-Stop bis 30.11.2026",
            ),
        ),
        (
            104,
            (
                Exclusion::Absent {
                    until: Some(d("2026-12-02")),
                },
                "abwesend bis 02.12.2026",
            ),
        ),
        (105, (Exclusion::DoesNotWantTasks, "möchte keine Aufgaben")),
        (
            106,
            (Exclusion::DoesNotWantNewClients, "möchte keine Neukunden"),
        ),
        (107, (Exclusion::NoWeeklyHours, "keine Wochenstunden")),
        (
            108,
            (
                Exclusion::NoRoom {
                    week: today(),
                    load: 5.0,
                    share: 10.0,
                    weekly_hours: 12.0,
                },
                "keine Kapazität in der Woche ab 30.11.2026: 5 h verplant + 10 h Aufgabe > 12 h Wochenstunden",
            ),
        ),
        (109, (Exclusion::Inactive, "deaktiviert")),
    ]);
    assert_eq!(
        excluded.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (id, (reason, german)) in &expected {
        assert_eq!(excluded[id], vec![reason.clone()], "VPA {id}");
        assert_eq!(
            vpa_desk::present::profiles::exclusion(de(), reason),
            *german,
            "VPA {id}"
        );
        // `check` on a single VPA agrees with the ranking.
        assert_eq!(
            check(find(&pool, *id), &task.offer(), today()).unwrap_err(),
            vec![reason.clone()]
        );
    }

    // The lift comes from the history with this client: for a client 110 never served, the
    // missing wish for new clients excludes them.
    let other = t
        .task("Praxis Neumann", "research", 10.0, false, d("2026-12-04"))
        .await;
    assert!(other.new_client);
    assert_eq!(
        check(find(&pool, 110), &other.offer(), today()).unwrap_err(),
        vec![Exclusion::DoesNotWantNewClients]
    );
    // VT-Stop until D is over on D+1.
    assert!(check(find(&pool, 103), &task.offer(), d("2026-12-01")).is_ok());
}

#[tokio::test]
async fn utilization_from_stored_one_off_and_recurring_assignments() {
    let t = TestDb::new().await;
    let c = &t.config;
    let mut idle = ready_vpa(c, 202, &[("research", Level::Good)]);
    idle.weekly_hours = 0.0;
    t.save(&[ready_vpa(c, 201, &[("research", Level::Good)]), idle])
        .await;
    // 10 h from Mon 23.11. to Fri 04.12.: 10 workdays, 5 h in each of the two weeks.
    let one_off = t
        .task("Kanzlei Müller", "research", 10.0, false, d("2026-12-04"))
        .await;
    t.assign(&one_off, 201, d("2026-11-23")).await;
    // 4 h every week from Wednesday 25.11. (that week counts in full).
    let weekly = t
        .task("Steuerbüro Weber", "research", 4.0, true, d("2026-11-25"))
        .await;
    t.assign(&weekly, 201, d("2026-11-25")).await;

    let util = |pool: &[Vpa], id: u64, day: &str| {
        let v = find(pool, id);
        utilization(&v.commitments, v.weekly_hours, d(day))
    };
    let pool = t.pool().await;
    assert_eq!(find(&pool, 201).commitments.len(), 2);
    assert_eq!(util(&pool, 201, "2026-11-18"), Some(0.0));
    assert!(close(util(&pool, 201, "2026-11-25").unwrap(), 0.45)); // (5 + 4) / 20
    assert!(close(util(&pool, 201, "2026-12-02").unwrap(), 0.45));
    assert!(close(util(&pool, 201, "2026-12-09").unwrap(), 0.20)); // only the recurring 4 h
    assert_eq!(
        format::utilization(de(), util(&pool, 201, "2026-11-29")),
        "45 %"
    );
    assert_eq!(util(&pool, 202, "2026-11-25"), None);
    assert_eq!(
        format::utilization(de(), util(&pool, 202, "2026-11-25")),
        "—"
    );
    // The ranking carries the same figure.
    let small = t
        .task("Kanzlei Müller", "research", 1.0, false, d("2026-12-04"))
        .await;
    let ranking = rank(&pool, &small.offer(), d("2026-12-02"));
    assert_eq!(ranking.fitting.len(), 1);
    assert!(close(ranking.fitting[0].utilization, 0.45));

    // An ended one-off plans no more hours; the client stays known.
    assert!(t.end(&one_off, 201, d("2026-11-27")).await);
    assert!(
        !t.end(&one_off, 201, d("2026-11-27")).await,
        "already ended"
    );
    let pool = t.pool().await;
    assert!(close(util(&pool, 201, "2026-11-25").unwrap(), 0.20));
    assert!(close(util(&pool, 201, "2026-12-02").unwrap(), 0.20));
    assert!(find(&pool, 201).clients_served.contains(&one_off.client_id));
    // A recurring one counts up to and including the week it ends in.
    assert!(t.end(&weekly, 201, d("2026-12-08")).await);
    let pool = t.pool().await;
    assert!(close(util(&pool, 201, "2026-12-13").unwrap(), 0.20));
    assert_eq!(util(&pool, 201, "2026-12-14"), Some(0.0));
}

#[tokio::test]
async fn ranking_order_from_the_database_least_utilized_then_level_then_id() {
    let t = TestDb::new().await;
    let c = &t.config;
    let people = [
        (305, Level::Expert, 10.0),
        (304, Level::Basic, 0.0),
        (303, Level::Expert, 0.0),
        (302, Level::Basic, 0.0),
        (301, Level::Good, 5.0),
        (309, Level::Expert, 20.0), // full: no room
    ];
    let vpas: Vec<Vpa> = people
        .iter()
        .map(|(id, level, _)| ready_vpa(c, *id, &[("research", *level)]))
        .collect();
    t.save(&vpas).await;
    for (id, _, busy) in people {
        if busy > 0.0 {
            let weekly = t
                .task(
                    &format!("Kunde {id}"),
                    "research",
                    busy,
                    true,
                    d("2026-11-02"),
                )
                .await;
            t.assign(&weekly, id, d("2026-11-02")).await;
        }
    }
    let task = t
        .task("Kanzlei Müller", "research", 2.0, false, d("2026-12-04"))
        .await;
    let ranking = rank(&t.pool().await, &task.offer(), today());
    let order: Vec<(u64, f64)> = ranking
        .fitting
        .iter()
        .map(|r| (r.discord_id.0, r.utilization))
        .collect();
    assert_eq!(
        order,
        vec![(303, 0.0), (302, 0.0), (304, 0.0), (301, 0.25), (305, 0.5)]
    );
    assert_eq!(ranking.excluded.len(), 1);
    assert_eq!(ranking.excluded[0].0, DiscordId(309));
    assert!(matches!(
        ranking.excluded[0].1.as_slice(),
        [Exclusion::NoRoom { load, .. }] if close(*load, 20.0)
    ));
}

#[tokio::test]
async fn pool_health_at_the_threshold_and_by_date() {
    let t = TestDb::new().await;
    let c = &t.config;
    assert_eq!(c.settings.pool.min_available, 10);
    let member = |id| {
        ready_vpa(
            c,
            id,
            &[("research", Level::Basic), ("newsletter", Level::Good)],
        )
    };
    let health = |day: &'static str| {
        let t = &t;
        async move { pool_health(&t.db, &t.config, d(day)).await.expect("health") }
    };

    t.save(&(1..=9).map(member).collect::<Vec<_>>()).await;
    let h = health("2026-11-30").await;
    assert_eq!((h.available_for_new_clients, h.healthy), (9, false));
    assert_eq!(h.areas[&WorkArea::Backoffice].vpas, 9);
    assert_eq!(h.areas[&WorkArea::Marketing].available_for_new_clients, 9);
    assert_eq!(h.areas[&WorkArea::Sales].vpas, 0);
    t.save(&[member(10)]).await;
    let h = health("2026-11-30").await;
    assert_eq!((h.available_for_new_clients, h.healthy), (10, true));
    t.save(&[member(11)]).await;
    let h = health("2026-11-30").await;
    assert_eq!((h.available_for_new_clients, h.healthy), (11, true));

    // VT-Stop until 01.12.; absent until 03.12. without a start; absent 05.–06.12.
    let mut vt = member(1);
    vt.vt_stop_until = Some(d("2026-12-01"));
    let mut away = member(2);
    away.absent_until = Some(d("2026-12-03"));
    let mut later = member(3);
    later.absent_from = Some(d("2026-12-05"));
    later.absent_until = Some(d("2026-12-06"));
    assert_eq!(t.save(&[vt, away, later]).await, vec![Saved::Updated; 3]);

    for (day, available, healthy, vt_stop, absent) in [
        ("2026-11-30", 9, false, 1, 1),
        ("2026-12-01", 9, false, 1, 1), // VT-Stop's last day
        ("2026-12-02", 10, true, 0, 1),
        ("2026-12-03", 10, true, 0, 1), // absence's last day
        ("2026-12-04", 11, true, 0, 0),
        ("2026-12-05", 10, true, 0, 1),
        ("2026-12-06", 10, true, 0, 1),
        ("2026-12-07", 11, true, 0, 0),
    ] {
        let h = health(day).await;
        assert_eq!(
            (h.available_for_new_clients, h.healthy),
            (available, healthy),
            "{day}"
        );
        let bo = h.areas[&WorkArea::Backoffice];
        assert_eq!(
            (bo.vt_stop, bo.absent, bo.vpas),
            (vt_stop, absent, 11),
            "{day}"
        );
        assert_eq!(bo.available_for_new_clients, available, "{day}");
    }
    // An absence without a start has always begun.
    assert_eq!(
        health("2020-01-01").await.areas[&WorkArea::Backoffice].absent,
        1
    );

    // Deactivating someone takes them out of every figure.
    let mut gone = member(11);
    gone.active = false;
    t.save(&[gone]).await;
    let h = health("2026-12-07").await;
    assert_eq!(h.available_for_new_clients, 10);
    assert_eq!(h.areas[&WorkArea::Backoffice].vpas, 10);
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
    let who: Vec<Option<i64>> = sqlx::query_scalar(
        "SELECT changed_by FROM task_status_history WHERE task_id = ? ORDER BY id",
    )
    .bind(task.id.0)
    .fetch_all(&t.sql)
    .await
    .unwrap();
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
    let rows = t.count("vpa_history").await;
    assert_eq!(
        save(vpa.clone(), later + Duration::hours(1)).await,
        Saved::Unchanged
    );
    assert_eq!(t.count("vpa_history").await, rows);

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

// ---------------------------------------------------------------------------------------------
// The real binary
// ---------------------------------------------------------------------------------------------

const HEADER: &str = "discord_id,name,weekly_hours,wants_tasks,wants_new_clients,vt_stop_until,absent_until,willing_to_train,joined_on,competences";

/// Five VPAs: German levels and dates, a quoted name with a comma, a German decimal comma,
/// a VT-Stop until 01.12.2026 and an absence until 05.12.2026.
fn good_csv() -> String {
    format!(
        "{HEADER}
123456789012345001,Anna Schmidt,20,ja,ja,,,nein,2025-01-15,research:good;data-entry:expert
123456789012345002,\"Müller, Berta\",\"12,5\",true,true,,,ja,01.10.2026,newsletter:gut;creative-copywriting:experte
123456789012345003,Carla Weber,10,1,0,,,0,,appointment-organisation:grundkenntnisse
123456789012345004,Dora Fischer,15,ja,ja,2026-12-01,,nein,,research:basic;social-media:good
123456789012345005,Emil Wagner,15,ja,ja,,05.12.2026,nein,,research:expert;crm:good
"
    )
}

fn area(available: u32, vpas: u32, vt_stop: u32, absent: u32) -> serde_json::Value {
    json!({"available_for_new_clients": available, "vpas": vpas, "vt_stop": vt_stop, "absent": absent})
}

async fn competences_of(sql: &sqlx::SqlitePool, id: i64) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT competence, level FROM vpa_competences WHERE vpa_id = ? ORDER BY competence",
    )
    .bind(id)
    .fetch_all(sql)
    .await
    .unwrap()
}

#[tokio::test]
async fn cli_import_then_pool_json_table_and_dates_and_idempotent_reimport() {
    let env = CliEnv::new();
    let file = env.file("pool.csv", good_csv());
    let out = env.import(&file);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Import abgeschlossen: 5 neu, 0 aktualisiert, 0 unverändert."),
        "{}",
        stdout(&out)
    );

    // Exactly the documented shape; VT-Stop until 01.12. active on that day, over the next.
    let expected_nov30 = json!({
        "threshold": 10,
        "available_for_new_clients": 2,
        "healthy": false,
        "areas": {
            "backoffice": area(1, 3, 1, 1),
            "secretarial": area(0, 1, 0, 0),
            "marketing": area(1, 2, 1, 0),
            "sales": area(0, 1, 0, 1),
            "software": area(0, 0, 0, 0),
        }
    });
    assert_eq!(env.pool_json("2026-11-30"), expected_nov30);
    assert_eq!(env.pool_json("01.12.2026"), expected_nov30);
    let dec2 = env.pool_json("2026-12-02");
    assert_eq!(dec2["available_for_new_clients"], 3);
    assert_eq!(dec2["areas"]["backoffice"], area(2, 3, 0, 1));
    assert_eq!(dec2["areas"]["marketing"], area(2, 2, 0, 0));
    let dec6 = env.pool_json("2026-12-06");
    assert_eq!(dec6["available_for_new_clients"], 4);
    assert_eq!(dec6["areas"]["sales"], area(1, 1, 0, 0));

    // The table is German.
    let out = run(env.cmd().args(["pool", "--date", "2026-11-30"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(
        table.contains("Pool-Gesundheit am 30.11.2026: 2 von mindestens 10 VPAs verfügbar für Neukunden — ZU WENIG"),
        "{table}"
    );
    for word in [
        "Bereich",
        "verfügbar",
        "VPAs",
        "VT-Stop",
        "abwesend",
        "Sekretariat",
        "Marketing",
        "Vertrieb",
        "Software",
    ] {
        assert!(table.contains(word), "{word} missing in\n{table}");
    }
    let backoffice: Vec<&str> = table
        .lines()
        .find(|l| l.starts_with("Backoffice"))
        .expect("Backoffice row")
        .split_whitespace()
        .collect();
    assert_eq!(backoffice, vec!["Backoffice", "1", "3", "1", "1"]);
    let out = run(env.cmd().args(["pool", "--date", "31.02.2026"]));
    assert!(!out.status.success());
    assert!(stderr(&out).contains("kein Datum"), "{}", stderr(&out));

    // What was stored: German levels and dates, the quoted name, the decimal comma.
    let db = env.db().await;
    let sql = env.sql().await;
    let catalog = vpa_desk::config::Config::embedded().catalog;
    let berta = db
        .get_vpa(&catalog, DiscordId(123456789012345002))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(berta.name, "Müller, Berta");
    assert_eq!(berta.weekly_hours, 12.5);
    assert_eq!(berta.joined_on, Some(d("2026-10-01")));
    assert!(berta.willing_to_train);
    assert_eq!(
        competences_of(&sql, 123456789012345002).await,
        vec![
            ("creative-copywriting".into(), "expert".into()),
            ("newsletter".into(), "good".into())
        ]
    );
    let history = count_rows(&sql, "vpa_history").await;
    assert_eq!(count_rows(&sql, "vpas").await, 5);
    assert_eq!(count_rows(&sql, "vpa_competences").await, 9);

    // The same file again: nothing new, nothing changed, no duplicates.
    let out = env.import(&file);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("0 neu, 0 aktualisiert, 5 unverändert"),
        "{}",
        stdout(&out)
    );
    assert_eq!(count_rows(&sql, "vpas").await, 5);
    assert_eq!(count_rows(&sql, "vpa_competences").await, 9);
    assert_eq!(count_rows(&sql, "vpa_history").await, history);

    // A changed file updates by Discord id and replaces the competences.
    let changed = good_csv().replace(
        "123456789012345001,Anna Schmidt,20,ja,ja,,,nein,2025-01-15,research:good;data-entry:expert",
        "123456789012345001,Anna Schmidt,25,ja,ja,,,nein,2025-01-15,research:expert",
    );
    let out = env.import(&env.file("changed.csv", changed));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("0 neu, 1 aktualisiert, 4 unverändert"),
        "{}",
        stdout(&out)
    );
    assert_eq!(count_rows(&sql, "vpas").await, 5);
    assert_eq!(
        competences_of(&sql, 123456789012345001).await,
        vec![("research".into(), "expert".into())]
    );
    let anna = db
        .get_vpa(&catalog, DiscordId(123456789012345001))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(anna.weekly_hours, 25.0);
    let fields: BTreeSet<String> = sqlx::query_scalar(
        "SELECT field FROM vpa_history WHERE vpa_id = ? AND source = 'import' AND old_value IS NOT NULL",
    )
    .bind(123456789012345001_i64)
    .fetch_all(&sql)
    .await
    .unwrap()
    .into_iter()
    .collect();
    assert_eq!(
        fields,
        BTreeSet::from(["competences".to_string(), "weekly_hours".to_string()])
    );
}

#[tokio::test]
async fn cli_bad_file_reports_every_row_with_line_and_column_and_writes_nothing() {
    let bad = format!(
        "{HEADER}
123456789012345001,Anna Schmidt,20,ja,ja,,,nein,2025-01-15,research:good
123456789012345002,Berta,20,vielleicht,ja,,,nein,,research:good
123456789012345003,Carla,20,ja,ja,31.02.2026,,nein,,research:good
123456789012345004,Dora,20,ja,ja,,,nein,,reserch:good
123456789012345005,Emil,20,ja,ja,,,nein,,research:meister
123456789012345001,Anna Doppelt,20,ja,ja,,,nein,,research:good
1.2E+17,Franz,20,ja,ja,,,nein,,research:good
123456789012345008,Greta,20,ja,ja,,,nein,research:good
"
    );
    let env = CliEnv::new();
    let file = env.file("bad.csv", &bad);
    let out = env.import(&file);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    for expected in [
        "Import abgelehnt, nichts wurde geschrieben. 7 Fehler:",
        "Zeile 3, Spalte wants_tasks: „vielleicht“ ist kein Ja/Nein-Wert",
        "Zeile 4, Spalte vt_stop_until: „31.02.2026“ ist kein Datum",
        "Zeile 5, Spalte competences: unbekannte Kompetenz „reserch“ (meintest du: research",
        "Zeile 6, Spalte competences: unbekannte Stufe „meister“",
        "Zeile 7, Spalte discord_id: die Discord-ID 123456789012345001 steht schon in Zeile 2",
        "Zeile 8, Spalte discord_id: „1.2E+17“ ist in wissenschaftlicher Schreibweise",
        "Zeile 9: 9 Felder statt 10",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
    let rows: Vec<&str> = err
        .lines()
        .filter(|l| l.trim_start().starts_with("Zeile "))
        .collect();
    assert_eq!(rows.len(), 7, "one line per problem:\n{err}");
    assert!(
        !rows.iter().any(|l| l.trim_start().starts_with("Zeile 2")),
        "the good row is fine:\n{err}"
    );
    assert!(stdout(&out).is_empty());
    let sql = env.sql().await;
    assert_eq!(count_rows(&sql, "vpas").await, 0);
    assert_eq!(count_rows(&sql, "vpa_history").await, 0);

    // Against an existing pool: the good rows of a bad file change nothing either.
    let out = env.import(&env.file("pool.csv", good_csv()));
    assert!(out.status.success(), "{}", stderr(&out));
    let history = count_rows(&sql, "vpa_history").await;
    let update_then_fail = format!(
        "{HEADER}
123456789012345001,Anna Schmidt,40,ja,ja,,,nein,2025-01-15,research:good
123456789012345099,Neu,20,ja,ja,,,nein,,research:good
123456789012345003,Carla,20,ja,ja,,,nein,,research:good;research:expert
"
    );
    let out = env.import(&env.file("partly.csv", update_then_fail));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("Zeile 4, Spalte competences: research steht doppelt"),
        "{}",
        stderr(&out)
    );
    assert_eq!(count_rows(&sql, "vpas").await, 5);
    assert_eq!(count_rows(&sql, "vpa_history").await, history);
    let weekly: f64 = sqlx::query_scalar("SELECT weekly_hours FROM vpas WHERE discord_id = ?")
        .bind(123456789012345001_i64)
        .fetch_one(&sql)
        .await
        .unwrap();
    assert_eq!(weekly, 20.0);
}

#[tokio::test]
async fn cli_semicolon_file_is_refused_clearly_and_a_bom_file_imports() {
    let env = CliEnv::new();
    let semicolons = good_csv()
        .lines()
        .take(2)
        .map(|l| l.replace(',', ";"))
        .collect::<Vec<_>>()
        .join("\n");
    let out = env.import(&env.file("excel.csv", semicolons));
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("Semikolon") && err.contains("CSV UTF-8"),
        "{err}"
    );
    assert_eq!(count_rows(&env.sql().await, "vpas").await, 0);

    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(
        good_csv()
            .lines()
            .take(2)
            .collect::<Vec<_>>()
            .join("\r\n")
            .as_bytes(),
    );
    let out = env.import(&env.file("bom.csv", bom));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 neu"), "{}", stdout(&out));
    let sql = env.sql().await;
    assert_eq!(
        competences_of(&sql, 123456789012345001).await,
        vec![
            ("data-entry".into(), "expert".into()),
            ("research".into(), "good".into())
        ]
    );
}

#[test]
fn cli_serve_without_a_token_stops_with_a_clear_message() {
    let env = CliEnv::new();
    for token in [None, Some("   ")] {
        let mut cmd = env.cmd();
        cmd.arg("serve");
        if let Some(token) = token {
            cmd.env("DISCORD_TOKEN", token);
        }
        let out = run(&mut cmd);
        assert!(!out.status.success());
        assert!(stderr(&out).contains("DISCORD_TOKEN"), "{}", stderr(&out));
    }
    // It did open and migrate the database first.
    assert!(env.dir.path().join("t.db").exists());
}

#[test]
fn cli_broken_config_names_the_file_and_the_key() {
    let env = CliEnv::new();
    let broken = env.dir.path().join("broken-config");
    std::fs::create_dir(&broken).unwrap();
    for name in ["default.toml", "competences.toml"] {
        std::fs::copy(config_dir().join(name), broken.join(name)).unwrap();
    }
    let text = std::fs::read_to_string(broken.join("default.toml")).unwrap();
    assert!(text.contains("min_available = 10\n"));
    std::fs::write(
        broken.join("default.toml"),
        text.replace("min_available = 10\n", ""),
    )
    .unwrap();
    let out = run(env
        .bare()
        .arg("--config")
        .arg(&broken)
        .args(["pool", "--json"]));
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("broken-config/default.toml") && err.contains("min_available"),
        "{err}"
    );
    assert!(stdout(&out).is_empty());

    // A --config folder that does not exist is an error too, not a silent fallback.
    let out = run(env.bare().args(["--config", "nirgendwo", "pool"]));
    assert!(!out.status.success());
    assert!(stderr(&out).contains("nirgendwo"), "{}", stderr(&out));
}

#[test]
fn cli_without_a_config_folder_uses_the_built_in_defaults() {
    let env = CliEnv::new();
    let out = run(env.bare().args(["pool", "--json", "--date", "2026-11-30"]));
    assert!(out.status.success(), "{}", stderr(&out));
    let health: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(health["threshold"], 10);
    assert_eq!(health["available_for_new_clients"], 0);
    assert_eq!(health["healthy"], false);
    assert_eq!(
        health["areas"].as_object().unwrap().len(),
        WorkArea::ALL.len()
    );
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

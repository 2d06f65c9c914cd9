//! The pool rules on a real SQLite file: eligibility (each exclusion reason), utilization of
//! one-off and recurring assignments, the ranking order and pool health at the threshold and
//! by date — each read back from the database, not built in memory.

use std::collections::BTreeMap;

use vpa_desk::db::vpas::Saved;
use vpa_desk::domain::eligibility::{Exclusion, check};
use vpa_desk::domain::ranking::rank;
use vpa_desk::domain::utilization::utilization;
use vpa_desk::domain::{DiscordId, Level, Vpa, WorkArea};
use vpa_desk::present::format;
use vpa_desk::service::pool::pool_health;

use crate::support::{TestDb, d, de, ready_vpa};

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
        .excluded()
        .map(|(id, reasons)| (id.0, reasons.to_vec()))
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
    let excluded: Vec<_> = ranking.excluded().collect();
    assert_eq!(excluded.len(), 1);
    assert_eq!(excluded[0].0, DiscordId(309));
    assert!(matches!(
        excluded[0].1,
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

//! Erasure: `/profile forget` (the manager only, after deactivating, with a confirmation) and
//! `vpa-desk forget` remove a VPA's personal data — no trace of the name or the id in a dump of
//! the database, nor in the file's bytes — while the anonymous figures stay: the assignment
//! hours and the answer counts add up as before, and `pool --json` is unchanged.

use vpa_desk::domain::{DiscordId, Level};
use vpa_desk::loopback::fixtures::FakeUser;

use crate::support::cli::{run, stderr, stdout};
use crate::support::{CliEnv, Harness, Sql, SurveyAction, round_of, sv};

const ZOE: u64 = 123_456_789_012_345_777;
const NAME: &str = "Zoe Quandt";

/// Every value of every table, as SQLite quotes it, one row a line.
async fn dump(sql: &Sql) -> String {
    let tables: Vec<(String,)> = sql
        .rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .await;
    let mut out = String::new();
    for (table,) in tables {
        let columns: Vec<(String,)> = sql
            .rows(format!("SELECT name FROM pragma_table_info('{table}')"))
            .await;
        let select = columns
            .iter()
            .map(|(c,)| format!("quote(\"{c}\")"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let rows: Vec<(String,)> = sql.rows(format!("SELECT {select} FROM \"{table}\"")).await;
        for (row,) in rows {
            out.push_str(&table);
            out.push(':');
            out.push_str(&row);
            out.push('\n');
        }
    }
    out
}

/// Whether `number` stands in `text` as a whole number.
fn has_number(text: &str, number: u64) -> bool {
    let n = number.to_string();
    text.match_indices(&n).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + n.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
    })
}

async fn totals(sql: &Sql) -> (f64, Vec<(i64, i64)>) {
    let hours: f64 = sql
        .one("SELECT COALESCE(SUM(hours), 0) FROM assignments")
        .await;
    let answers: Vec<(i64, i64)> = sql
        .rows("SELECT round_id, COUNT(*) FROM survey_answers GROUP BY round_id ORDER BY round_id")
        .await;
    (hours, answers)
}

fn pool_json(h: &Harness) -> serde_json::Value {
    let env = CliEnv::new();
    let out = run(env.cmd().env("DATABASE_URL", &h.db_url).args([
        "pool",
        "--json",
        "--date",
        "2026-11-30",
    ]));
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forget_leaves_no_trace_of_the_person_and_the_figures_add_up() {
    let h = Harness::start().await;
    let mut zoe_profile = h.ready_vpa(ZOE, &[("research", Level::Good)]);
    zoe_profile.name = NAME.into();
    h.save_vpas(&[zoe_profile]).await;
    h.seed_vpas(1001, 2, "research").await;
    let zoe = FakeUser::new(ZOE, "zoe").with_roles(&[h.settings().vpa_role_id.0]);
    h.discord.add_member(&zoe);
    let ben = h.vpa(1001);

    // Task 1: Zoe accepts and is assigned; Ben declines, naming her in his note.
    h.research_task(2.0).await;
    let post = h.wait_survey_post(1).await;
    let round = round_of(&post);
    h.press(&post, &sv(SurveyAction::Accept, round), &zoe).await;
    let decline = h
        .click(&post, &sv(SurveyAction::Decline, round), &ben)
        .await;
    let select = decline.wait_final(crate::support::WAIT).await.unwrap();
    h.choose(&select, &sv(SurveyAction::Reason, round), &["other"], &ben)
        .await
        .wait_final(crate::support::WAIT)
        .await
        .unwrap();
    let note = [("note", "Zoe Quandt macht das besser")];
    h.submit(&sv(SurveyAction::NoteModal, round), &note, &ben)
        .await;
    assert!(h.assign(1, &zoe).await.contains("vergeben"));
    // Task 2: Zoe declines with a note of her own.
    h.research_task(1.0).await;
    let post2 = h.wait_survey_post(2).await;
    let round2 = round_of(&post2);
    let decline = h
        .click(&post2, &sv(SurveyAction::Decline, round2), &zoe)
        .await;
    let select = decline.wait_final(crate::support::WAIT).await.unwrap();
    h.choose(&select, &sv(SurveyAction::Reason, round2), &["other"], &zoe)
        .await
        .wait_final(crate::support::WAIT)
        .await
        .unwrap();
    let own = [("note", "Urlaub bis Mitte Dezember")];
    h.submit(&sv(SurveyAction::NoteModal, round2), &own, &zoe)
        .await;
    h.settle().await;
    assert!(dump(&h.sql).await.contains(NAME));

    // Only the manager; not while she is active.
    let manager = h.manager();
    let refused = h
        .profile("forget", vec![("vpa", (&zoe).into())], &h.coordinator())
        .await;
    assert!(
        refused.contains("Das darf nur der VPA Manager"),
        "{refused}"
    );
    let active = h
        .profile("forget", vec![("vpa", (&zoe).into())], &manager)
        .await;
    assert!(
        active.contains("ist noch aktiv") && active.contains("/profile deactivate"),
        "{active}"
    );

    // Deactivated (her task handed on), then the figures as they stand.
    let ask = h
        .reply(vpa_desk::loopback::fixtures::slash(
            "profile",
            &["deactivate"],
            vec![("vpa", (&zoe).into())],
            &manager,
        ))
        .await;
    h.press(&ask.shown, &format!("dc:d:{ZOE}"), &manager).await;
    h.settle().await;
    let before = totals(&h.sql).await;
    let pool_before = pool_json(&h);

    // The question names what goes and what stays; a coordinator's press is refused.
    let question = h
        .reply(vpa_desk::loopback::fixtures::slash(
            "profile",
            &["forget"],
            vec![("vpa", (&zoe).into())],
            &manager,
        ))
        .await;
    let text = question.text();
    assert!(
        text.contains(&format!("<@{ZOE}> ({NAME}) endgültig löschen?"))
            && text.contains("1 Zuweisung")
            && text.contains("2 Antworten")
            && text.contains("Posts, die schon in Discord stehen, bleiben unverändert"),
        "{text}"
    );
    let forget_id = format!("dc:f:{ZOE}");
    let by_coordinator = h.press(&question.shown, &forget_id, &h.coordinator()).await;
    assert!(
        by_coordinator.contains("Das darf nur der VPA Manager"),
        "{by_coordinator}"
    );
    assert!(dump(&h.sql).await.contains(NAME), "nothing erased yet");

    let done = h.press(&question.shown, &forget_id, &manager).await;
    assert!(done.starts_with("Gelöscht."), "{done}");
    // A second press finds nobody to erase.
    let again = h.press(&question.shown, &forget_id, &manager).await;
    assert!(again.contains("hat noch kein VPA-Profil"), "{again}");

    // No trace: not the name, not the id, not her note, not Ben's mention of her.
    let all = dump(&h.sql).await;
    for gone in [NAME, "Quandt", "Urlaub bis Mitte Dezember"] {
        assert!(!all.contains(gone), "{gone:?} is still in the database");
    }
    assert!(!has_number(&all, ZOE), "her id is still in the database");
    assert!(
        all.contains("[…] macht das besser"),
        "Ben's note keeps its own words"
    );
    // Nor in the file's bytes (freed pages zeroed, the WAL folded in).
    let file = h.db_url.trim_start_matches("sqlite://").to_string();
    for path in [file.clone(), format!("{file}-wal")] {
        if let Ok(bytes) = std::fs::read(&path) {
            assert!(
                !bytes.windows(6).any(|w| w == b"Quandt"),
                "{path} still holds the name"
            );
        }
    }
    // The figures add up as before.
    assert_eq!(totals(&h.sql).await, before);
    assert_eq!(pool_json(&h), pool_before);
    let profile = h.profile("show", vec![], &zoe).await;
    assert!(!profile.contains(NAME), "{profile}");
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_asks_first_then_forgets() {
    let env = CliEnv::new();
    let csv = env.file(
        "pool.csv",
        format!(
            "discord_id,name,weekly_hours,wants_tasks,wants_new_clients,vt_stop_until,absent_until,willing_to_train,joined_on,competences\n\
             {ZOE},{NAME},20,ja,ja,,,nein,,research:good\n\
             123456789012345002,Berta Müller,10,ja,ja,,,nein,,newsletter:gut\n"
        ),
    );
    assert!(env.import(&csv).status.success());
    // Still active: refused, nothing erased.
    let out = run(env.cmd().args(["forget", &ZOE.to_string(), "--yes"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("ist noch aktiv"), "{}", stderr(&out));
    deactivate(&env, ZOE).await;

    // Without --yes: what would go, and how to go on; nothing erased.
    let out = run(env.cmd().args(["forget", &ZOE.to_string()]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(NAME) && stdout(&out).contains("--yes"),
        "{}",
        stdout(&out)
    );
    assert!(dump(&env.sql().await).await.contains(NAME));
    let out = run(env.cmd().args(["forget", &ZOE.to_string(), "--yes"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("Gelöscht."), "{}", stdout(&out));
    let all = dump(&env.sql().await).await;
    assert!(!all.contains("Quandt") && !has_number(&all, ZOE));
    assert!(all.contains("Berta Müller"), "the others stay");
    // Bad input: not an id.
    let out = run(env.cmd().args(["forget", "Zoe"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("„Zoe“ ist keine Discord-ID"),
        "{}",
        stderr(&out)
    );
}

/// Deactivates a VPA through the use case `/profile deactivate` calls (the manager).
async fn deactivate(env: &CliEnv, id: u64) {
    use vpa_desk::service::profiles::{Actor, ProfileChange, change};
    let desk = vpa_desk::service::Desk::new(
        env.db().await,
        vpa_desk::config::Config::embedded(),
        std::sync::Arc::new(vpa_desk::clock::SystemClock),
    );
    let actor = Actor {
        id: DiscordId(900),
        source: vpa_desk::db::vpas::ChangeSource::Manager,
    };
    change(&desk, DiscordId(id), "", ProfileChange::Deactivate, actor)
        .await
        .expect("deactivated");
    desk.db.close().await;
}

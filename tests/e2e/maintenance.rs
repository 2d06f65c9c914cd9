//! Keeping the file sound and small: the integrity check refusing a damaged file (nothing
//! written, how to restore said), `vpa-desk backup` while answers stream in (a consistent,
//! checked copy the bot opens), and pruning of handled events and delivered messages after
//! their retention (on the hand-moved clock).

use vpa_desk::db::maintenance::Pruned;
use vpa_desk::service::DeskEvent;

use crate::support::cli::{run, stderr, stdout};
use crate::support::wait::next_event;
use crate::support::{CliEnv, Harness, Sql, round_of};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_database_is_refused_and_left_as_it_is() {
    let env = CliEnv::new();
    let file = env.file(
        "pool.csv",
        "discord_id,name,weekly_hours,wants_tasks,wants_new_clients,vt_stop_until,absent_until,willing_to_train,joined_on,competences\n\
         123456789012345001,Anna Schmidt,20,ja,ja,,,nein,,research:good\n\
         123456789012345002,Berta Müller,10,ja,ja,,,nein,,newsletter:gut\n",
    );
    assert!(env.import(&file).status.success());
    // Everything in the main file, then the vpas table's root page made unreadable.
    let sql = env.sql().await;
    sql.exec("PRAGMA wal_checkpoint(TRUNCATE)").await;
    let root: i64 = sql
        .one("SELECT rootpage FROM sqlite_master WHERE name = 'vpas'")
        .await;
    let page: i64 = sql.one("PRAGMA page_size").await;
    sql.close().await;
    let path = env.dir.path().join("t.db");
    let mut bytes = std::fs::read(&path).unwrap();
    let at = usize::try_from((root - 1) * page).unwrap();
    bytes[at..at + 16].fill(0xEE);
    std::fs::write(&path, &bytes).unwrap();

    for args in [&["pool"][..], &["import-vpas", "pool.csv"][..]] {
        let out = run(env.cmd().args(args));
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stdout(&out));
        let said = stderr(&out);
        assert!(
            said.contains("ist beschädigt (SQLite meldet:")
                && said.contains("schreibt nichts hinein")
                && said.contains("letzte Sicherung an ihre Stelle")
                && said.contains("vpa-desk backup"),
            "{args:?}: {said}"
        );
    }
    assert_eq!(
        std::fs::read(&path).unwrap(),
        bytes,
        "the damaged file is left as it was"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_while_answers_stream_in_is_a_consistent_checked_copy() {
    let (h, post) = Harness::with_survey(300, 2.0).await;
    let round = round_of(&post);
    let env = CliEnv::new();
    let copy = env.dir.path().join("backup.db");
    let url = h.db_url.clone();
    let stream = {
        let (discord, post) = (h.discord.clone(), post.clone());
        let vpas: Vec<_> = (1000..1300).map(|id| h.vpa(id)).collect();
        tokio::spawn(async move {
            for vpa in &vpas {
                let (channel, id) = (
                    crate::support::channel_id(&post).0,
                    crate::support::message_id(&post).0,
                );
                discord
                    .dispatch(
                        "MESSAGE_REACTION_ADD",
                        vpa_desk::loopback::fixtures::reaction_add(vpa, channel, id, "✅"),
                    )
                    .await;
                tokio::time::sleep(std::time::Duration::from_millis(2)).await;
            }
        })
    };
    // Once the first answers are in, the backup runs beside the stream.
    let started = crate::support::wait_until(async || {
        let n = h.count("survey_answers").await;
        (n > 0).then_some(n)
    })
    .await;
    assert!(started.is_some(), "answers arrive");
    let out = {
        let copy = copy.clone();
        tokio::task::spawn_blocking(move || {
            run(CliEnv::new()
                .cmd()
                .env("DATABASE_URL", &url)
                .arg("backup")
                .arg(&copy))
        })
        .await
        .unwrap()
    };
    stream.await.unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Sicherung geschrieben:")
            && stdout(&out).contains("geprüft: in Ordnung"),
        "{}",
        stdout(&out)
    );
    let all = crate::support::wait_until(async || {
        let n: i64 = h
            .sql
            .one(format!(
                "SELECT COUNT(*) FROM survey_answers WHERE round_id = {}",
                round.0
            ))
            .await;
        (n == 300).then_some(n)
    })
    .await;
    assert_eq!(all, Some(300), "every answer is stored");

    // The copy: sound, and every stored answer has its history (they commit together).
    let copy_url = format!("sqlite://{}", copy.display());
    let sql = Sql::open(&copy_url).await;
    let check: String = sql.one("PRAGMA integrity_check").await;
    assert_eq!(check, "ok");
    let answers: i64 = sql.one("SELECT COUNT(*) FROM survey_answers").await;
    let with_history: i64 = sql
        .one(
            "SELECT COUNT(*) FROM survey_answers a WHERE EXISTS (SELECT 1 FROM \
             survey_answer_history x WHERE x.round_id = a.round_id AND x.vpa_id = a.vpa_id)",
        )
        .await;
    let history: i64 = sql
        .one("SELECT COUNT(DISTINCT round_id || ':' || vpa_id) FROM survey_answer_history")
        .await;
    assert_eq!(answers, with_history);
    assert_eq!(answers, history);
    assert!(answers <= 300);
    eprintln!("the backup holds {answers} of the 300 answers");
    let vpas: i64 = sql.one("SELECT COUNT(*) FROM vpas").await;
    assert_eq!(vpas, 300);
    sql.close().await;
    // The bot opens it as its own database.
    vpa_desk::db::Db::connect(&copy_url)
        .await
        .expect("the copy opens");

    // A second backup to the same file overwrites nothing.
    let again = run(env
        .cmd()
        .env("DATABASE_URL", &h.db_url)
        .arg("backup")
        .arg(&copy));
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("gibt es schon – eine Sicherung überschreibt nichts"),
        "{}",
        stderr(&again)
    );
    h.stop().await;
}

async fn pruned(h: &Harness, days: i64) -> Pruned {
    let mut events = h.events();
    h.clock.advance(chrono::Duration::days(days));
    h.desk.ring_timers();
    next_event(&mut events, "a pruning pass", |e| match e {
        DeskEvent::Pruned(p) => Some(*p),
        _ => None,
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handled_events_and_delivered_messages_are_pruned_after_their_retention() {
    let (h, post) = Harness::with_survey(3, 2.0).await;
    let round = round_of(&post);
    h.press(
        &post,
        &crate::support::sv(crate::support::SurveyAction::Accept, round),
        &h.vpa(1000),
    )
    .await;
    h.settle().await;
    let events_at_start: i64 = h.sql.one("SELECT COUNT(*) FROM processed_events").await;
    let sent_at_start: i64 = h
        .sql
        .one("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
        .await;
    assert!(events_at_start >= 2 && sent_at_start >= 3);
    // An item given up stays, however old.
    h.sql
        .exec(
            "INSERT INTO outbox (intent, nonce, status, next_attempt_at, created_at, finished_at) \
             VALUES ('{\"type\":\"direct\"}', 'old-failed', 'failed', '2026-01-01T00:00:00Z', \
             '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
        )
        .await;

    // After 6 days nothing is old enough; after 8 the events go, the messages stay.
    let p = pruned(&h, 6).await;
    assert_eq!(p, Pruned::default());
    let p = pruned(&h, 2).await;
    assert_eq!(p.processed_events, events_at_start as u64);
    assert_eq!(p.delivered_outbox, 0);
    // After 31 days the messages delivered at the start go too.
    let p = pruned(&h, 23).await;
    assert!(p.delivered_outbox >= sent_at_start as u64, "{p:?}");
    let old_sent: i64 = h
        .sql
        .one("SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND finished_at < '2026-12-01'")
        .await;
    assert_eq!(old_sent, 0);
    let failed: i64 = h
        .sql
        .one("SELECT COUNT(*) FROM outbox WHERE nonce = 'old-failed'")
        .await;
    assert_eq!(failed, 1, "what was not delivered stays");
    h.stop().await;
}

//! Answers while another process holds the database: a foreign write lock of 12 s (longer than
//! SQLite's busy timeout) loses no answer and every interaction is answered within Discord's
//! 3 s; beyond the bot's bound a button says so and a reaction is read back from its post; a
//! 20,000-row import by the real binary next to the bot while 1,000 answers arrive.

use std::time::{Duration, Instant};

use vpa_desk::domain::RoundId;
use vpa_desk::loopback::InteractionHandle;
use vpa_desk::service::{BUSY_BOUND, Busy, DeskEvent};

use crate::support::cli::{config_dir, stderr};
use crate::support::{
    ForeignLock, Harness, SurveyAction, WAIT, channel_id, de, message_id, round_of, sv, text_of,
    wait_until, wait_until_for,
};

/// Discord drops an interaction not answered within this.
const DISCORD_WINDOW: Duration = Duration::from_secs(3);

/// Waits until every interaction got its first answer and returns how long each took.
async fn first_answers(handles: &[InteractionHandle], within: Duration) -> Vec<Duration> {
    wait_until_for(within, async || {
        handles
            .iter()
            .map(|h| h.answered_after())
            .collect::<Option<Vec<_>>>()
    })
    .await
    .unwrap_or_else(|| {
        let missing: Vec<u64> = handles
            .iter()
            .filter(|h| h.answered_after().is_none())
            .map(|h| h.id())
            .collect();
        panic!("interactions never answered: {missing:?}")
    })
}

/// The round's answers of this kind.
async fn count_answers(h: &Harness, round: RoundId, kind: &str) -> i64 {
    h.sql
        .one(format!(
            "SELECT COUNT(*) FROM survey_answers WHERE round_id = {round} AND answer = '{kind}'"
        ))
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lock_held_12_s_by_another_process_loses_no_answer_and_answers_in_time() {
    assert!(BUSY_BOUND > Duration::from_secs(12), "the bound covers it");
    let (h, post) = Harness::with_survey(9, 4.0).await;
    let round = round_of(&post);
    let (channel, message) = (channel_id(&post).0, message_id(&post).0);
    let lock = ForeignLock::take(&h.db_url).await;
    let locked_at = Instant::now();
    // Six ✅ and three "Annehmen" while the lock is held.
    for id in 1000..1006 {
        h.discord
            .react(&h.vpa(id), channel, message, "✅", true)
            .await;
    }
    let mut buttons = Vec::new();
    for id in 1006..1009 {
        buttons.push(
            h.click(&post, &sv(SurveyAction::Accept, round), &h.vpa(id))
                .await,
        );
    }
    // Each button is acknowledged in time ("thinking…"), the write still waiting.
    let first = first_answers(&buttons, Duration::from_secs(10)).await;
    for (button, after) in buttons.iter().zip(&first) {
        assert!(*after <= DISCORD_WINDOW, "answered after {after:?}");
        assert_eq!(button.callback().unwrap()["type"], 5, "deferred");
    }
    eprintln!("first answers while locked: {first:?}");
    tokio::time::sleep(Duration::from_secs(12).saturating_sub(locked_at.elapsed())).await;
    assert_eq!(count_answers(&h, round, "accept").await, 0, "all waited");
    lock.release().await;
    // The lock is gone: all nine are recorded and every deferred reply is completed.
    let all =
        wait_until(async || (count_answers(&h, round, "accept").await == 9).then_some(())).await;
    assert!(all.is_some(), "answers: {:?}", h.answers(round).await);
    for button in &buttons {
        let text = text_of(&button.wait_final(WAIT).await.expect("the reply completed"));
        assert!(text.contains("angenommen"), "{text}");
    }
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn beyond_the_bound_a_button_says_so_and_a_reaction_is_read_back_later() {
    let bound = Duration::from_secs(1);
    let h = Harness::start_waiting(bound).await;
    h.seed_vpas(1000, 3, "research").await;
    h.research_task(4.0).await;
    let post = h.wait_survey_post(1).await;
    let round = round_of(&post);
    let (channel, message) = (channel_id(&post).0, message_id(&post).0);
    let mut events = h.desk.events.subscribe();
    let lock = ForeignLock::take(&h.db_url).await;
    // Discord keeps the reaction (and tells the bot); the button waits for the bot.
    let anna = h.vpa(1000);
    h.discord
        .react_silently(&anna, channel, message, "✅", true);
    h.discord.react(&anna, channel, message, "✅", true).await;
    let button = h
        .click(&post, &sv(SurveyAction::Accept, round), &h.vpa(1001))
        .await;
    let text = text_of(&button.wait_final(WAIT).await.expect("the button answered"));
    let busy = vpa_desk::present::refusal::database_busy(de(), &Busy { waited: bound });
    assert_eq!(text, busy);
    assert!(
        text.contains("belegt") && text.contains("nichts gespeichert"),
        "{text}"
    );
    assert!(button.answered_after().unwrap() <= DISCORD_WINDOW);
    // Held for 3 s in all: the post is read back while still locked, and again after.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(h.answers(round).await, [], "nothing half-written");
    lock.release().await;
    h.wait_answers(round, &[(1000, "accept")]).await;
    let caught = wait_until(async || {
        while let Ok(event) = events.try_recv() {
            if let DeskEvent::CaughtUp { added, .. } = event
                && added == 1
            {
                return Some(());
            }
        }
        None
    })
    .await;
    assert!(caught.is_some(), "the reread recorded the reaction");
    h.stop().await;
}

/// 20,000 rows: `discord_id, name, weekly_hours, …` of VPAs who are not in the surveys.
fn big_csv() -> String {
    let mut csv = vpa_desk::service::import::COLUMNS.join(",");
    csv.push('\n');
    for i in 0..20_000u64 {
        csv.push_str(&format!(
            "{},Import {i},20,ja,ja,,,nein,2025-01-15,research:good;data-entry:basic;crm:expert\n",
            400_000_000_000_000_000u64 + i
        ));
    }
    csv
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_20000_row_import_beside_the_bot_while_1000_answers_arrive() {
    const POSTS: u64 = 10;
    const VPAS: u64 = 100;
    let h = Harness::start_with(|c| c.settings.survey.max_mentions = VPAS as usize).await;
    h.seed_vpas(1000, VPAS, "research").await;
    let mut posts = Vec::new();
    for n in 1..=POSTS {
        h.research_task(2.0).await;
        posts.push(h.wait_survey_post(n as usize).await);
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pool.csv");
    std::fs::write(&file, big_csv()).unwrap();
    // The real binary on the bot's database file, as the README shows it.
    let mut import = std::process::Command::new(env!("CARGO_BIN_EXE_vpa-desk"));
    import
        .arg("--config")
        .arg(config_dir())
        .arg("import-vpas")
        .arg(&file)
        .env("DATABASE_URL", &h.db_url)
        .env("RUST_LOG", "vpa_desk=info")
        .env_remove("DISCORD_TOKEN");
    let import = tokio::task::spawn_blocking(move || import.output());
    // 900 ✅ on nine posts and 100 "Annehmen" on the tenth, paced over about two seconds.
    let started = Instant::now();
    let mut buttons = Vec::new();
    for (n, post) in posts.iter().enumerate() {
        let (channel, message) = (channel_id(post).0, message_id(post).0);
        for id in 1000..1000 + VPAS {
            let vpa = h.vpa(id);
            if n + 1 < POSTS as usize {
                h.discord.react(&vpa, channel, message, "✅", true).await;
            } else {
                let round = round_of(post);
                buttons.push(h.click(post, &sv(SurveyAction::Accept, round), &vpa).await);
            }
            if id % 50 == 0 {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    eprintln!("1,000 answers dispatched in {:?}", started.elapsed());
    let out = import.await.unwrap().expect("the import runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let log = stderr(&out);
    eprintln!(
        "import: {}",
        log.lines().find(|l| l.contains("locked_ms")).unwrap_or("")
    );
    // Every answer stored, every button answered within Discord's window.
    let stored = wait_until_for(Duration::from_secs(60), async || {
        let n: i64 = h
            .sql
            .one("SELECT COUNT(*) FROM survey_answers WHERE answer = 'accept'")
            .await;
        (n == (POSTS * VPAS) as i64).then_some(n)
    })
    .await;
    assert_eq!(stored, Some(1000), "all 1,000 answers stored");
    let first = first_answers(&buttons, Duration::from_secs(30)).await;
    let slowest = first.iter().max().unwrap();
    eprintln!("slowest first answer of 100 buttons: {slowest:?}");
    assert!(
        *slowest <= DISCORD_WINDOW,
        "a button answered after {slowest:?}"
    );
    for button in &buttons {
        let text = text_of(&button.wait_final(WAIT).await.expect("the reply completed"));
        assert!(text.contains("angenommen"), "{text}");
    }
    let imported: i64 = h
        .sql
        .one("SELECT COUNT(*) FROM vpas WHERE discord_id >= 400000000000000000")
        .await;
    assert_eq!(imported, 20_000);
    h.stop().await;
}

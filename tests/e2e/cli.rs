//! The real `vpa-desk` binary: `import-vpas` (good files, bad files with every problem named,
//! Excel's semicolons, a BOM), `pool` (JSON and the German table, by date), `serve` without a
//! token, configuration errors and the built-in defaults (the sandbox has `sandbox.rs`).

use std::collections::BTreeSet;

use serde_json::json;
use vpa_desk::domain::{DiscordId, WorkArea};

use crate::support::cli::{config_dir, run, stderr, stdout};
use crate::support::{CliEnv, Sql, d};

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

async fn competences_of(sql: &Sql, id: i64) -> Vec<(String, String)> {
    sql.rows(format!(
        "SELECT competence, level FROM vpa_competences WHERE vpa_id = {id} ORDER BY competence"
    ))
    .await
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
    let history = sql.count("vpa_history").await;
    assert_eq!(sql.count("vpas").await, 5);
    assert_eq!(sql.count("vpa_competences").await, 9);

    // The same file again: nothing new, nothing changed, no duplicates.
    let out = env.import(&file);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("0 neu, 0 aktualisiert, 5 unverändert"),
        "{}",
        stdout(&out)
    );
    assert_eq!(sql.count("vpas").await, 5);
    assert_eq!(sql.count("vpa_competences").await, 9);
    assert_eq!(sql.count("vpa_history").await, history);

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
    assert_eq!(sql.count("vpas").await, 5);
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
    let fields: BTreeSet<String> = sql
        .column::<String>(
            "SELECT field FROM vpa_history WHERE vpa_id = 123456789012345001 \
             AND source = 'import' AND old_value IS NOT NULL",
        )
        .await
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
    assert_eq!(sql.count("vpas").await, 0);
    assert_eq!(sql.count("vpa_history").await, 0);

    // Against an existing pool: the good rows of a bad file change nothing either.
    let out = env.import(&env.file("pool.csv", good_csv()));
    assert!(out.status.success(), "{}", stderr(&out));
    let history = sql.count("vpa_history").await;
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
    assert_eq!(sql.count("vpas").await, 5);
    assert_eq!(sql.count("vpa_history").await, history);
    let weekly: f64 = sql
        .one("SELECT weekly_hours FROM vpas WHERE discord_id = 123456789012345001")
        .await;
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
    assert_eq!(env.sql().await.count("vpas").await, 0);

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

#[tokio::test]
async fn export_pool_then_import_changes_nothing_with_absences_and_a_deactivated_vpa() {
    let env = CliEnv::new();
    let file = env.file(
        "pool.csv",
        format!(
            "{HEADER},absent_from,active
123456789012345001,Anna Schmidt,20,ja,ja,,,nein,2025-01-15,research:good;data-entry:expert,,
123456789012345002,\"Müller, Berta\",\"12,5\",true,true,,10.12.2026,ja,01.10.2026,newsletter:gut,01.12.2026,ja
123456789012345003,Carla Weber,10,1,0,,,0,,appointment-organisation:grundkenntnisse,,nein
123456789012345004,Dora Fischer,15,ja,ja,2026-12-01,,nein,,research:basic;social-media:good,2026-12-20,
"
        ),
    );
    let out = env.import(&file);
    assert!(out.status.success(), "{}", stderr(&out));
    let pool_before = env.pool_json("2026-12-02");
    let exported = env.dir.path().join("export.csv");
    let out = run(env.cmd().args(["export", "pool"]).arg(&exported));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("(4 Zeilen)"), "{}", stdout(&out));
    let text = std::fs::read_to_string(&exported).unwrap();
    assert!(
        text.starts_with(&format!("{HEADER},absent_from,active\n")),
        "{text}"
    );
    assert!(
        text.contains("123456789012345003,Carla Weber,10,true,false,,,false,,appointment-organisation:basic,,false"),
        "{text}"
    );
    assert!(text.contains("\"Müller, Berta\",12.5"), "{text}");
    // Imported again: nothing changes, the figures neither.
    let out = env.import(&exported);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("0 neu, 0 aktualisiert, 4 unverändert"),
        "{}",
        stdout(&out)
    );
    assert_eq!(env.pool_json("2026-12-02"), pool_before);
    let again = env.dir.path().join("again.csv");
    assert!(
        run(env.cmd().args(["export", "pool"]).arg(&again))
            .status
            .success()
    );
    assert_eq!(std::fs::read_to_string(&again).unwrap(), text);
    // Bad input: what to export, and a file that cannot be written.
    let out = run(env.cmd().args(["export", "kunden", "x.csv"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("kunden"), "{}", stderr(&out));
    let out = run(env.cmd().args(["export", "pool", "/gibt/es/nicht/x.csv"]));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("lässt sich nicht schreiben"),
        "{}",
        stderr(&out)
    );
}

/// A newbie whose profile an import completes counts as completed then (the weekly digest lists
/// them), as after `/profile`; one the file makes incomplete again loses the mark; one the file
/// creates complete was complete before anybody looked, and one who joined long ago is no
/// newbie: neither is marked.
#[tokio::test]
async fn an_import_that_completes_a_newbies_profile_marks_it_and_one_that_undoes_it_clears_it() {
    let env = CliEnv::new();
    // The binary runs on the system clock: joined ten days ago is a newbie (90 days).
    let joined = (chrono::Utc::now() - chrono::Duration::days(10))
        .format("%Y-%m-%d")
        .to_string();
    let file = |rows: &[(u64, &str, &str)]| {
        let mut csv = format!("{HEADER}\n");
        for (id, joined_on, competences) in rows {
            csv.push_str(&format!(
                "{id},VPA {id},20,ja,ja,,,nein,{joined_on},{competences}\n"
            ));
        }
        env.file("pool.csv", csv)
    };
    let complete = "research:good;data-entry:good;crm:good";
    let out = env.import(&file(&[
        (1001, &joined, "research:good"),
        (1002, &joined, complete),
        (1003, "2024-01-15", "research:good"),
    ]));
    assert!(out.status.success(), "{}", stderr(&out));
    let sql = env.sql().await;
    let marked = async || -> Vec<(i64, bool)> {
        sql.rows(
            "SELECT discord_id, profile_completed_at IS NOT NULL FROM vpas ORDER BY discord_id",
        )
        .await
    };
    assert_eq!(
        marked().await,
        [(1001, false), (1002, false), (1003, false)]
    );

    // 1001 and 1003 complete theirs in the next file: only the newbie is marked.
    let out = env.import(&file(&[
        (1001, &joined, complete),
        (1002, &joined, complete),
        (1003, "2024-01-15", complete),
    ]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(marked().await, [(1001, true), (1002, false), (1003, false)]);
    let at: String = sql
        .one("SELECT profile_completed_at FROM vpas WHERE discord_id = 1001")
        .await;
    let at = chrono::DateTime::parse_from_rfc3339(&at).expect("stored as sqlx stores a time");
    assert!(
        (chrono::Utc::now() - at.to_utc()).num_seconds().abs() < 120,
        "{at}"
    );

    // The same file again changes nothing; one without the Backoffice competence undoes it.
    let again = env.import(&file(&[
        (1001, &joined, complete),
        (1002, &joined, complete),
        (1003, "2024-01-15", complete),
    ]));
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(marked().await, [(1001, true), (1002, false), (1003, false)]);
    let out = env.import(&file(&[(
        1001,
        &joined,
        "crm:good;social-media:good;newsletter:good",
    )]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        marked().await,
        [(1001, false), (1002, false), (1003, false)]
    );
}

//! The sandbox's scripted story: a morning at the agency, typed as the lines a newcomer could
//! type with `--play` — a task that is taken; a task nobody takes, its window running out, the
//! manager's notice with the playbook and a pressed option; a drop-out handed on to an earlier
//! accepter; the pool falling below its minimum and recovering; a report with its chart.

use chrono::NaiveDate;

use super::script;
use super::stage::Stage;
use crate::present::Lang;
use crate::present::catalog::t;

/// The story's steps: what the narrator says, then the line typed.
pub fn steps(lang: Lang, today: NaiveDate) -> Vec<(String, String)> {
    let day = |n: i64| {
        (today + chrono::Duration::days(n))
            .format("%d.%m.%Y")
            .to_string()
    };
    let step = |say: String, line: String| (say, line);
    vec![
        step(
            t!(lang, "sandbox-story-task"),
            t!(lang, "sandbox-story-task-line", deadline = day(7)),
        ),
        step(
            t!(lang, "sandbox-story-accept"),
            t!(lang, "sandbox-story-accept-line"),
        ),
        step(
            t!(lang, "sandbox-story-react"),
            t!(lang, "sandbox-story-react-line"),
        ),
        step(
            t!(lang, "sandbox-story-later"),
            t!(lang, "sandbox-story-later-line", day = day(3)),
        ),
        step(
            t!(lang, "sandbox-story-decline"),
            t!(lang, "sandbox-story-decline-line"),
        ),
        step(
            t!(lang, "sandbox-story-assign"),
            t!(lang, "sandbox-story-assign-line"),
        ),
        step(
            t!(lang, "sandbox-story-nobody"),
            t!(lang, "sandbox-story-nobody-line", deadline = day(5)),
        ),
        step(
            t!(lang, "sandbox-story-window"),
            t!(lang, "sandbox-story-window-line"),
        ),
        step(
            t!(lang, "sandbox-story-extend"),
            t!(lang, "sandbox-story-extend-line"),
        ),
        step(
            t!(lang, "sandbox-story-extended-accept"),
            t!(lang, "sandbox-story-extended-accept-line"),
        ),
        step(
            t!(lang, "sandbox-story-assign-2"),
            t!(lang, "sandbox-story-assign-2-line"),
        ),
        step(
            t!(lang, "sandbox-story-absent"),
            t!(
                lang,
                "sandbox-story-absent-line",
                from = day(0),
                until = day(10)
            ),
        ),
        step(
            t!(lang, "sandbox-story-confirm"),
            t!(lang, "sandbox-story-confirm-line"),
        ),
        step(
            t!(lang, "sandbox-story-take"),
            t!(lang, "sandbox-story-take-line"),
        ),
        step(
            t!(lang, "sandbox-story-vt-stop"),
            t!(lang, "sandbox-story-vt-stop-line", until = day(14)),
        ),
        step(
            t!(lang, "sandbox-story-vt-stop-off"),
            t!(lang, "sandbox-story-vt-stop-off-line"),
        ),
        step(
            t!(lang, "sandbox-story-report"),
            t!(lang, "sandbox-story-report-line"),
        ),
    ]
}

/// Plays the story on the stage, each line announced with the sandbox's time.
pub async fn play(stage: &mut Stage) {
    let lang = stage.lang;
    for (say, line) in steps(lang, stage.desk.today()) {
        println!("\n{say}");
        println!(
            "{}",
            t!(
                lang,
                "sandbox-typed",
                time = stage.time_label(),
                line = line.as_str()
            )
        );
        script::perform(stage, &line).await;
    }
}

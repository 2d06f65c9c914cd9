//! Who may do what: every command and component checked against the four kinds of member
//! (coordinator, VPA, VPA manager, nobody), refusals being private messages saying who may.

use vpa_desk::loopback::fixtures::{FakeUser, Opt};

use crate::support::{Harness, SurveyAction, WAIT, round_of, survey_button, task_options};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_are_checked_for_commands_and_components() {
    let h = Harness::start().await;
    h.seed_vpas(1000, 2, "research").await;
    let new_task = || task_options("X", "research", 2.0, "04.12.2026");
    // A VPA and a member without roles cannot create tasks.
    for user in [h.vpa(1000), h.guest()] {
        let text = h.slash("task", &["new"], new_task(), &user).await;
        assert!(text.contains("nur Koordinator:innen"), "{text}");
    }
    assert_eq!(h.count("tasks").await, 0);
    // The manager may do what a coordinator may.
    h.slash("task", &["new"], new_task(), &h.manager()).await;
    let post = h.wait_survey_post(1).await;
    // A member without the VPA role cannot answer.
    let accept = survey_button(&post, SurveyAction::Accept);
    let text = h.press(&post, &accept, &h.coordinator()).await;
    assert!(text.contains("nur VPAs"));
    assert_eq!(h.answers(round_of(&post)).await, vec![]);
    h.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_role_matrix_holds_for_every_command_and_component() {
    let h = Harness::start().await;
    h.seed_vpas(3001, 2, "research").await;
    h.research_task(2.0).await;
    let post = h.wait_survey_post(1).await;
    let other = h.vpa(3002);
    let roles: Vec<(&str, FakeUser)> = vec![
        ("coordinator", h.coordinator()),
        ("vpa", h.vpa(3001)),
        ("manager", h.manager()),
        ("none", h.guest()),
    ];
    // (command, sub, options, who may) — refusals are private messages saying who may.
    let task_new = task_options("X", "research", 1.0, "04.12.2026");
    type Case<'a> = (&'a str, &'a [&'a str], Vec<(&'a str, Opt)>, &'a [&'a str]);
    let commands: Vec<Case> = vec![
        ("task", &["new"], task_new, &["coordinator", "manager"]),
        (
            "task",
            &["show"],
            vec![("id", 1i64.into())],
            &["coordinator", "manager"],
        ),
        ("task", &["list"], vec![], &["coordinator", "manager"]),
        (
            "task",
            &["assign"],
            vec![("id", 99i64.into()), ("vpa", (&other).into())],
            &["coordinator", "manager"],
        ),
        (
            "task",
            &["unassign"],
            vec![("id", 99i64.into()), ("vpa", (&other).into())],
            &["coordinator", "manager"],
        ),
        (
            "task",
            &["done"],
            vec![("id", 99i64.into())],
            &["coordinator", "manager"],
        ),
        (
            "task",
            &["cancel"],
            vec![("id", 99i64.into()), ("reason", "x".into())],
            &["coordinator", "manager"],
        ),
        (
            "survey",
            &["status"],
            vec![("task", 1i64.into())],
            &["coordinator", "manager"],
        ),
        ("pool", &[], vec![], &["coordinator", "manager"]),
        (
            "demand",
            &["report"],
            vec![("task", 99i64.into())],
            &["coordinator", "manager"],
        ),
        (
            "profile",
            &["show"],
            vec![],
            &["coordinator", "vpa", "manager"],
        ),
        (
            "profile",
            &["schedule"],
            vec![
                ("weekly_hours", 10.0.into()),
                ("wants_tasks", true.into()),
                ("wants_new_clients", true.into()),
                ("vpa", (&other).into()),
            ],
            &["coordinator", "manager"],
        ),
        (
            "profile",
            &["vt-stop"],
            vec![("until", "aus".into()), ("vpa", (&other).into())],
            &["coordinator", "manager"],
        ),
        (
            "profile",
            &["absent"],
            vec![("from", "aus".into()), ("vpa", (&other).into())],
            &["coordinator", "manager"],
        ),
        (
            "profile",
            &["competence"],
            vec![
                ("action", 1i64.into()),
                ("competence", "seo".into()),
                ("vpa", (&other).into()),
            ],
            &["coordinator", "manager"],
        ),
        (
            "profile",
            &["deactivate"],
            vec![("vpa", (&FakeUser::new(5555, "x")).into())],
            &["manager"],
        ),
    ];
    let refusals = [
        "nur Koordinator:innen",
        "nur der VPA Manager",
        "nur dein eigenes Profil",
        "nur für VPAs",
    ];
    for (name, sub, options, allowed) in &commands {
        for (role, user) in &roles {
            let text = h.slash(name, sub, options.clone(), user).await;
            let refused = refusals.iter().any(|r| text.contains(r));
            assert_eq!(
                !refused,
                allowed.contains(role),
                "/{name} {sub:?} as {role}: {text}"
            );
        }
    }
    // Components: survey buttons are for VPAs only.
    for (role, user) in &roles {
        let click = h
            .click(&post, &survey_button(&post, SurveyAction::Later), user)
            .await;
        let response = click.response(WAIT).await.unwrap();
        let opened_modal = response["type"] == 9;
        assert_eq!(
            opened_modal,
            *role == "vpa",
            "survey button as {role}: {response}"
        );
    }
    h.stop().await;
}
